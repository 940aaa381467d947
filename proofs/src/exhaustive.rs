//! The bounded exhaustive check: every well-formed stack code object of up
//! to `N` instructions over a small alphabet translates, passes the
//! register verifier, the translation validator and the liveness and DEREF
//! checkers, and runs in lockstep on spec-stack and spec-reg.
//!
//! The alphabet covers what the translator reasons about: two locals (the
//! first bound by a fixed prologue, the second unbound until stored or
//! deleted again), a constant, arithmetic, a comparison, `DUP_TOP`,
//! `ROT_TWO`, `ROT_THREE`, `POP_TOP`, a cell (`LOAD_DEREF`/`STORE_DEREF`),
//! conditional and unconditional jumps to every instruction of the body
//! and to its end, and `RETURN_VALUE`. A body is placed between the
//! prologue `x0 = 1` and the epilogue `return None`; the verifier decides
//! which bodies are well formed (no underflow, depths agree at joins).

use crate::lockstep::lockstep;
use pyreg_spec::code::{CodeObject, Constant};
use pyreg_spec::opcode::Opcode::{self, *};
use std::sync::Arc;

/// What a bounded exhaustive run covered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExhaustiveReport {
    /// The largest body length.
    pub max_len: usize,
    /// Bodies generated (all lengths up to `max_len`; prefixes that
    /// underflow the stack before any jump are not extended).
    pub generated: u64,
    /// Bodies the stack verifier accepts: each was translated, checked and
    /// run in lockstep.
    pub checked: u64,
    /// Of those, runs that ended by running out of fuel (loops).
    pub exhausted: u64,
}

/// The instructions of the alphabet that are not jumps.
const PLAIN: [(Opcode, u32); 15] = [
    (LoadFast, 0),
    (LoadFast, 1),
    (StoreFast, 1),
    (DeleteFast, 1),
    (LoadConst, 1),
    (BinaryAdd, 0),
    (BinarySubtract, 0),
    (CompareOp, 0),
    (DupTop, 0),
    (RotTwo, 0),
    (RotThree, 0),
    (PopTop, 0),
    (LoadDeref, 0),
    (StoreDeref, 0),
    (ReturnValue, 0),
];

const PROLOGUE: [(Opcode, u32); 2] = [(LoadConst, 1), (StoreFast, 0)];
const EPILOGUE: [(Opcode, u32); 2] = [(LoadConst, 0), (ReturnValue, 0)];

/// The code object running `body` between the prologue and the epilogue.
pub fn code_for(body: &[(Opcode, u32)]) -> Arc<CodeObject> {
    let ops: Vec<(Opcode, u32)> = PROLOGUE
        .iter()
        .chain(body)
        .chain(&EPILOGUE)
        .copied()
        .collect();
    crate::testkit::code_object(
        &ops,
        &["x0", "x1"],
        0,
        &["c"],
        vec![Constant::None, Constant::Int(1.into())],
        body.len() as u32 + 2,
        false,
    )
}

/// The alphabet for bodies of `len` instructions: the plain instructions,
/// and both jumps to each body instruction and to the epilogue (absolute
/// byte offsets).
fn alphabet(len: usize) -> Vec<(Opcode, u32)> {
    let mut a: Vec<(Opcode, u32)> = PLAIN.to_vec();
    for t in 0..=len {
        let offset = 2 * (PROLOGUE.len() + t) as u32;
        a.push((PopJumpIfFalse, offset));
        a.push((JumpAbsolute, offset));
    }
    a
}

/// Checks one body; `Err` names the checker that failed and why.
pub fn check_body(body: &[(Opcode, u32)], fuel: u64) -> Result<Option<bool>, String> {
    let code = code_for(body);
    if pyreg_spec::verify::verify_code(&code).is_err() {
        return Ok(None);
    }
    crate::fuzz_bodies::translation_checks(&code)?;
    let report = lockstep(&code, fuel).map_err(|e| format!("lockstep: {e}"))?;
    Ok(Some(matches!(
        report.outcome,
        pyreg_spec::interp::Outcome::Exhausted(_)
    )))
}

/// Whether the straight-line prefix (no jump so far) already underflows:
/// every extension of it is ill-formed, so it is not extended.
fn underflows(prefix: &[(Opcode, u32)]) -> bool {
    let mut depth: i64 = 0;
    for &(op, arg) in prefix {
        if matches!(op, PopJumpIfFalse | JumpAbsolute | ReturnValue) {
            return false;
        }
        let needs = i64::from(pyreg_spec::verify::stack_inputs(op, arg));
        if depth < needs {
            return true;
        }
        depth += i64::from(op.stack_effect(arg, false));
    }
    false
}

/// Runs the check over every body of up to `max_len` instructions, calling
/// `progress` with the number of bodies generated so far now and then.
pub fn run(
    max_len: usize,
    fuel: u64,
    mut progress: impl FnMut(u64),
) -> Result<ExhaustiveReport, String> {
    let mut report = ExhaustiveReport {
        max_len,
        ..ExhaustiveReport::default()
    };
    for len in 0..=max_len {
        let alphabet = alphabet(len);
        let mut body = Vec::with_capacity(len);
        walk(len, &alphabet, &mut body, fuel, &mut report, &mut progress)?;
    }
    Ok(report)
}

/// Depth-first over the bodies of exactly `len` instructions extending
/// `body`.
fn walk(
    len: usize,
    alphabet: &[(Opcode, u32)],
    body: &mut Vec<(Opcode, u32)>,
    fuel: u64,
    report: &mut ExhaustiveReport,
    progress: &mut impl FnMut(u64),
) -> Result<(), String> {
    if body.len() == len {
        report.generated += 1;
        if report.generated.is_multiple_of(10_000) {
            progress(report.generated);
        }
        return match check_body(body, fuel) {
            Ok(None) => Ok(()),
            Ok(Some(exhausted)) => {
                report.checked += 1;
                report.exhausted += u64::from(exhausted);
                Ok(())
            }
            Err(e) => Err(format!("body {body:?}: {e}")),
        };
    }
    for &ins in alphabet {
        body.push(ins);
        if !underflows(body) {
            walk(len, alphabet, body, fuel, report, progress)?;
        }
        body.pop();
    }
    Ok(())
}
