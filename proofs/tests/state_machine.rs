//! State machine tests (proptest-state-machine): the reference state
//! machine is the generator's abstract state of a module under
//! construction ([`Draft`]: operand stack with value kinds, open
//! constructs and their floors, hence the block stack, locals and cells
//! bound by the prologue, nested functions left), and its transitions are
//! the generator's rows, drawn from that state by the rows' own
//! preconditions ([`Draft::rows`]).
//!
//! The systems under test run the program built so far. After each
//! transition the prefix is closed (constructs closed, stack balanced,
//! `return None`) and
//! - the stack verifier must accept it and find, where the prefix ends,
//!   the stack depth and block stack the model predicts;
//! - every code object must translate and pass the register verifier, the
//!   translation validator, the register liveness checker and the DEREF
//!   (cell indirection) checker;
//! - spec-stack and spec-reg run it in lockstep, the stack↔register
//!   correspondence checked at every synchronisation point;
//! - the VM runs it in both modes (register and stack code), and must end
//!   as spec-stack does (exit status, output, uncaught exception).
//!
//! Programs stay small (at most [`MAX_TRANSITIONS`] rows), so re-running
//! the whole prefix at each step is cheap, and a failure shrinks to a short
//! sequence of rows (`shrinking_finds_a_short_sequence` shows it on a
//! deliberately broken translation).
//!
//! `PYREG_STATE_MACHINE_CASES` sets the number of cases (default 256).

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};
use pyreg_proofs::generate::{group, Config as GenConfig, Draft, Row};
use pyreg_proofs::lockstep::lockstep_with;
use pyreg_proofs::oracle::{compare_vm, VmVerdict};
use pyreg_spec::code::CodeObject;
use pyreg_spec::verify::{verify_code, Block};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Longest sequence of rows in one case.
const MAX_TRANSITIONS: usize = 24;
/// Fuel for the reference engines (the VM has none; it runs only when
/// spec-stack finished).
const FUEL: u64 = 20_000;

/// One transition: a row and the bytes its emitter draws its details from
/// (which operator, which constant, how many values; a nested function's
/// whole body).
#[derive(Clone, Debug)]
struct Step {
    row: Row,
    bytes: Vec<u8>,
}

/// The reference state machine: the abstract state of the module.
struct Model;

impl ReferenceStateMachine for Model {
    type State = Draft;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Draft> {
        // Swarm testing: sometimes every row group, sometimes a subset.
        let groups = prop_oneof![Just(0u16), 1u16..(1 << 12)];
        (
            groups,
            1u8..5,
            0u8..3,
            prop::bool::weighted(0.85),
            prop::collection::vec(any::<u8>(), 0..12),
        )
            .prop_map(|(groups, nesting, functions, bind, bytes)| {
                let cfg = GenConfig {
                    rows: 0,
                    nesting,
                    functions,
                    groups,
                };
                Draft::module(cfg, bind, &bytes)
            })
            .boxed()
    }

    fn transitions(state: &Draft) -> BoxedStrategy<Step> {
        // `select` shrinks towards the first row (a constant).
        (
            select(state.rows()),
            prop::collection::vec(any::<u8>(), 0..24),
        )
            .prop_map(|(row, bytes)| Step { row, bytes })
            .boxed()
    }

    fn preconditions(state: &Draft, t: &Step) -> bool {
        state.rows().contains(&t.row)
    }

    fn apply(state: Draft, t: &Step) -> Draft {
        state.apply(t.row, &t.bytes)
    }
}

/// What the systems did with the last closed prefix.
#[derive(Default)]
struct Sut {
    /// The closed module of the current prefix.
    code: Option<Arc<CodeObject>>,
}

/// Totals over a test run, printed at its end.
static PREFIXES: AtomicU64 = AtomicU64::new(0);
static SYNCS: AtomicU64 = AtomicU64::new(0);
static VM_SAME: AtomicU64 = AtomicU64::new(0);
static VM_GAPS: AtomicU64 = AtomicU64::new(0);
static VM_SKIPPED: AtomicU64 = AtomicU64::new(0);
/// The gaps the VM named, by message.
static GAPS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

/// The translator under test: the real one, or (for the shrinking test)
/// one that swaps the operands of every subtraction.
fn translator(broken: bool) -> pyreg_spec::interp::Translator {
    fn swapping(code: &Arc<CodeObject>) -> Result<pyreg_spec::reg::RegCode, String> {
        let mut rc = pyreg_translator::translate(code).map_err(|e| e.to_string())?;
        for ins in &mut rc.instrs {
            if ins.op == pyreg_spec::reg::RegOp::Apply(pyreg_spec::opcode::Opcode::BinarySubtract) {
                ins.ins.swap(0, 1);
            }
        }
        Ok(rc)
    }
    fn real(code: &Arc<CodeObject>) -> Result<pyreg_spec::reg::RegCode, String> {
        pyreg_translator::translate(code).map_err(|e| e.to_string())
    }
    if broken {
        swapping
    } else {
        real
    }
}

/// The state machine test; `BROKEN` runs the lockstep checker on a broken
/// translation (and skips the VM), to show failures shrink.
struct Machine<const BROKEN: bool>;

impl<const BROKEN: bool> StateMachineTest for Machine<BROKEN> {
    type SystemUnderTest = Sut;
    type Reference = Model;

    fn init_test(_: &Draft) -> Sut {
        Sut::default()
    }

    fn apply(mut sut: Sut, model: &Draft, _: Step) -> Sut {
        let code = model.close();
        run_systems(&code, BROKEN);
        sut.code = Some(code);
        sut
    }

    fn check_invariants(sut: &Sut, model: &Draft) {
        if let Some(code) = &sut.code {
            model_matches_verifier(code, model);
        }
    }
}

/// The stack verifier's state where the prefix ends (the first closing
/// instruction) is the one the model predicts: the same operand stack
/// depth, the same block kinds at the same levels.
fn model_matches_verifier(code: &Arc<CodeObject>, model: &Draft) {
    let listing = || pyreg_spec::dis::disassemble(code);
    let v = verify_code(code).unwrap_or_else(|e| panic!("verifier: {e}\n{}", listing()));
    let at = v
        .instructions
        .get(model.len())
        .unwrap_or_else(|| panic!("no instruction {} to close at\n{}", model.len(), listing()));
    let state = v.states.get(&at.start).unwrap_or_else(|| {
        panic!(
            "the prefix ends at offset {}, which the verifier finds unreachable\n{}",
            at.start,
            listing()
        )
    });
    assert_eq!(
        state.depth as usize,
        model.depth(),
        "stack depth at offset {} (the model's stack: {:?})\n{}",
        at.start,
        model,
        listing()
    );
    let blocks: Vec<Block> = state
        .blocks
        .iter()
        .map(|b| match *b {
            Block::Finally { level, .. } => Block::Finally { handler: 0, level },
            b => b,
        })
        .collect();
    assert_eq!(
        blocks,
        model.blocks(),
        "block stack at offset {}\n{}",
        at.start,
        listing()
    );
}

/// Every checker and engine on one closed prefix; panics with the first
/// failure.
fn run_systems(code: &Arc<CodeObject>, broken: bool) {
    if !broken {
        PREFIXES.fetch_add(1, Ordering::Relaxed);
    }
    let listing = pyreg_spec::dis::disassemble_recursive(code);
    for c in code.walk() {
        if let Err(e) = verify_code(&c) {
            panic!("the model made code the verifier rejects: {e}\n{listing}");
        }
        if !broken {
            // Register verifier, translation validator, liveness, DEREF.
            if let Err(e) = pyreg_proofs::fuzz_bodies::translation_checks(&c) {
                panic!("{e}\n{listing}");
            }
        }
    }
    let c = code.clone();
    let t = translator(broken);
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 27)
        .spawn(move || lockstep_with(&c, FUEL, t, !broken))
        .expect("a thread")
        .join();
    match outcome {
        Ok(Ok(report)) => {
            if !broken {
                SYNCS.fetch_add(report.syncs, Ordering::Relaxed);
            }
        }
        Ok(Err(e)) => panic!("lockstep: {e}\n{listing}"),
        Err(_) => panic!("an engine panicked\n{listing}"),
    }
    if broken {
        return;
    }
    for stack_mode in [false, true] {
        match compare_vm(code, FUEL, stack_mode) {
            VmVerdict::Same => VM_SAME.fetch_add(1, Ordering::Relaxed),
            VmVerdict::Gap(g) => {
                *GAPS
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .entry(g)
                    .or_default() += 1;
                VM_GAPS.fetch_add(1, Ordering::Relaxed)
            }
            VmVerdict::Skipped => VM_SKIPPED.fetch_add(1, Ordering::Relaxed),
            VmVerdict::Differ(d) => {
                panic!("the VM (stack mode {stack_mode}) differs from spec-stack:\n{d}\n{listing}")
            }
        };
    }
}

fn cases() -> u32 {
    std::env::var("PYREG_STATE_MACHINE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

#[test]
fn programs_built_row_by_row_keep_every_invariant() {
    let config = Config {
        cases: cases(),
        // Each shrinking step re-runs a whole sequence.
        max_shrink_iters: 4096,
        // Failures found are kept beside this file and run first next time.
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config.clone());
    let result = runner.run(
        &Model::sequential_strategy(1..MAX_TRANSITIONS),
        |(init, steps, seen)| {
            Machine::<false>::test_sequential(config.clone(), init, steps, seen);
            Ok(())
        },
    );
    eprintln!(
        "state machine: {} cases, {} closed prefixes, {} lockstep synchronisation points; \
         VM runs: {} agree, {} gaps, {} skipped (spec-stack did not finish)",
        cases(),
        PREFIXES.load(Ordering::Relaxed),
        SYNCS.load(Ordering::Relaxed),
        VM_SAME.load(Ordering::Relaxed),
        VM_GAPS.load(Ordering::Relaxed),
        VM_SKIPPED.load(Ordering::Relaxed),
    );
    for (gap, n) in GAPS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        eprintln!("  gap {n:>6} × {gap}");
    }
    if let Err(e) = result {
        panic!("{e}");
    }
    // The runs must have exercised the systems, not only the model.
    assert!(VM_SAME.load(Ordering::Relaxed) > u64::from(cases()));
}

/// A broken translation (operands of every subtraction swapped) is caught,
/// and the failing sequence shrinks to a few rows ending in the
/// subtraction.
#[test]
fn shrinking_finds_a_short_sequence() {
    let config = Config {
        cases: 256,
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config.clone(),
        proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm),
    );
    // Arithmetic and variables only, so a subtraction comes early; panic
    // messages are silenced while the runner shrinks.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = runner.run(
        &ArithModel::sequential_strategy(1..MAX_TRANSITIONS),
        |(init, steps, seen)| {
            Machine::<true>::test_sequential(config.clone(), init, steps, seen);
            Ok::<(), TestCaseError>(())
        },
    );
    std::panic::set_hook(previous);
    match result {
        Err(TestError::Fail(why, (_, steps, _))) => {
            eprintln!("shrunk to {} steps: {steps:?}\n{why}", steps.len());
            assert!(
                steps.len() <= 4,
                "the failing sequence shrank only to {} steps: {steps:?}",
                steps.len()
            );
            assert!(
                steps.iter().any(|s| s.row == Row::Binary),
                "no subtraction in {steps:?}"
            );
            assert!(why.message().contains("lockstep"), "{why}");
        }
        Err(e) => panic!("unexpected: {e}"),
        Ok(()) => panic!("the swapped subtraction was not caught"),
    }
}

/// [`Model`] restricted to arithmetic and variables.
struct ArithModel;

impl ReferenceStateMachine for ArithModel {
    type State = Draft;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Draft> {
        let cfg = GenConfig {
            rows: 0,
            nesting: 1,
            functions: 0,
            groups: group::ARITH | group::VARIABLES,
        };
        prop::collection::vec(any::<u8>(), 0..8)
            .prop_map(move |bytes| Draft::module(cfg, true, &bytes))
            .boxed()
    }

    fn transitions(state: &Draft) -> BoxedStrategy<Step> {
        Model::transitions(state)
    }

    fn preconditions(state: &Draft, t: &Step) -> bool {
        Model::preconditions(state, t)
    }

    fn apply(state: Draft, t: &Step) -> Draft {
        Model::apply(state, t)
    }
}
