//! The translation validator on every code object of the conformance
//! corpus (CPython 3.9's compilation, committed as marshal files), and on
//! translations broken on purpose: each class of translator bug must be
//! caught, with the problem the validator names for it.

use pyreg_proofs::testkit::{function, golden_code_objects};
use pyreg_proofs::validator::{validate, Problem};
use pyreg_spec::opcode::Opcode::{self, *};
use pyreg_spec::reg::{RegCode, RegOp, Rk, StaticBlock};
use pyreg_translator::translate;

#[test]
fn every_corpus_translation_validates() {
    let mut n = 0;
    let mut events = 0;
    for (file, c) in golden_code_objects() {
        let rc = translate(&c).unwrap_or_else(|e| panic!("{file}: {e}"));
        let v = validate(&rc).unwrap_or_else(|e| panic!("{file}: {e}"));
        events += v.events;
        n += 1;
    }
    assert!(n > 500, "only {n} code objects");
    assert!(events > 10 * n as u64, "only {events} events matched");
}

fn translated(ops: &[(Opcode, u32)], locals: &[&str], args: u32) -> RegCode {
    let rc = translate(&function(ops, locals, args)).expect("translates");
    validate(&rc).expect("the unbroken translation validates");
    rc
}

fn problem(rc: &RegCode) -> Problem {
    match validate(rc) {
        Ok(_) => panic!(
            "the broken translation validates:\n{}",
            pyreg_spec::reg::listing(rc)
        ),
        Err(e) => e.problem,
    }
}

fn index_of(rc: &RegCode, op: RegOp) -> usize {
    rc.instrs
        .iter()
        .position(|i| i.op == op)
        .unwrap_or_else(|| panic!("no {op:?} in\n{}", pyreg_spec::reg::listing(rc)))
}

#[test]
fn swapped_operands_are_caught() {
    // return a - b
    let mut rc = translated(
        &[
            (LoadFast, 0),
            (LoadFast, 1),
            (BinarySubtract, 0),
            (ReturnValue, 0),
        ],
        &["a", "b"],
        2,
    );
    let i = index_of(&rc, RegOp::Apply(BinarySubtract));
    rc.instrs[i].ins.swap(0, 1);
    assert!(matches!(problem(&rc), Problem::Mismatch { .. }));
}

#[test]
fn a_dropped_keep_is_caught() {
    // t = g(); return t + t, with the sum's operand a temporary read twice:
    // x = g; return x(a) + x(a) keeps the callee temporary live.
    let mut rc = translated(
        &[
            (LoadGlobal, 0),
            (DupTop, 0),
            (LoadFast, 0),
            (CallFunction, 1),
            (RotTwo, 0),
            (LoadFast, 0),
            (CallFunction, 1),
            (BinaryAdd, 0),
            (ReturnValue, 0),
        ],
        &["a"],
        1,
    );
    let i = rc
        .instrs
        .iter()
        .position(|x| !x.keep.is_empty())
        .unwrap_or_else(|| panic!("nothing kept in\n{}", pyreg_spec::reg::listing(&rc)));
    rc.instrs[i].keep.clear();
    assert!(matches!(problem(&rc), Problem::Undefined(_)));
}

#[test]
fn a_cell_read_as_a_register_is_caught() {
    // c = a; return c  (c a cell)
    let mut rc = translated(
        &[
            (LoadFast, 0),
            (StoreDeref, 0),
            (LoadDeref, 0),
            (ReturnValue, 0),
        ],
        &["a"],
        1,
    );
    let i = index_of(&rc, RegOp::Apply(LoadDeref));
    let out = rc.instrs[i].outs[0];
    rc.instrs[i].op = RegOp::Move;
    rc.instrs[i].arg = 0;
    rc.instrs[i].outs = vec![out];
    rc.instrs[i].ins = vec![Rk::Reg(0)];
    assert!(matches!(problem(&rc), Problem::Mismatch { .. }));
}

#[test]
fn a_local_written_before_a_call_is_caught() {
    // x = a; y = g(); return x   →  the store of x moved after the call is
    // fine, but writing y's register before the call is not.
    let mut rc = translated(
        &[
            (LoadGlobal, 0),
            (CallFunction, 0),
            (StoreFast, 1),
            (LoadFast, 1),
            (ReturnValue, 0),
        ],
        &["a", "y"],
        1,
    );
    // Insert `MOVE y <- k1` before the call: y changes before CPython's
    // STORE_FAST, where the callee could observe the frame.
    let call = index_of(&rc, RegOp::Apply(CallFunction));
    let mut early = rc.instrs[call].clone();
    early.op = RegOp::Move;
    early.arg = 0;
    early.outs = vec![1];
    early.ins = vec![Rk::Const(1)];
    early.keep = Vec::new();
    rc.instrs.insert(call, early);
    rc.blocks_at.insert(call, rc.blocks_at[call]);
    assert_eq!(problem(&rc), Problem::LocalDiffers(1));
}

#[test]
fn a_wrong_origin_is_caught() {
    // return g.attr
    let mut rc = translated(&[(LoadGlobal, 0), (LoadAttr, 1), (ReturnValue, 0)], &[], 0);
    let i = index_of(&rc, RegOp::Apply(LoadAttr));
    rc.instrs[i].origin = 0;
    assert!(matches!(problem(&rc), Problem::Origin { .. }));
}

#[test]
fn a_missing_bound_check_is_caught() {
    // x is not a parameter: return x must raise UnboundLocalError.
    let mut rc = translated(&[(LoadFast, 0), (ReturnValue, 0)], &["x"], 0);
    // Fold the checked MOVE away: RETURN reads the local directly.
    let i = index_of(&rc, RegOp::Move);
    rc.instrs.remove(i);
    rc.blocks_at.remove(i);
    let ret = index_of(&rc, RegOp::Return);
    rc.instrs[ret].ins = vec![Rk::Reg(0)];
    assert!(matches!(problem(&rc), Problem::Mismatch { .. }));
}

#[test]
fn a_wrong_exception_table_is_caught() {
    // try: g() except: pass; return None
    let ops = [
        (SetupFinally, 10),
        (LoadGlobal, 0),
        (CallFunction, 0),
        (PopTop, 0),
        (PopBlock, 0),
        (JumpForward, 8),
        (PopTop, 0),
        (PopTop, 0),
        (PopTop, 0),
        (PopExcept, 0),
        (LoadConst, 0),
        (ReturnValue, 0),
    ];
    let rc = translated(&ops, &[], 0);
    // The handler's base one register too high: the unwinder would write
    // the six values where the handler does not read them.
    let mut shifted = rc.clone();
    for bs in &mut shifted.block_stacks {
        for b in bs.iter_mut() {
            if let StaticBlock::Finally { base, .. } = b {
                *base += 1;
            }
        }
    }
    shifted.nregs += 1;
    assert!(
        matches!(
            problem(&shifted),
            Problem::Undefined(_) | Problem::Mismatch { .. }
        ),
        "{:?}",
        problem(&shifted)
    );
    // No exception table at all: the call's exception would leave the frame.
    let mut dropped = rc.clone();
    for b in &mut dropped.blocks_at {
        *b = dropped
            .block_stacks
            .iter()
            .position(Vec::is_empty)
            .unwrap_or(0) as u32;
    }
    if !dropped.block_stacks.iter().any(Vec::is_empty) {
        dropped.block_stacks.push(Vec::new());
        let k = dropped.block_stacks.len() as u32 - 1;
        dropped.blocks_at.iter_mut().for_each(|b| *b = k);
    }
    assert!(matches!(problem(&dropped), Problem::Blocks { .. }));
}

#[test]
fn a_value_kept_past_its_pop_is_caught() {
    // g() as a statement: its result is dropped at once; writing it to a
    // temporary would keep it alive until the register is reused.
    let mut rc = translated(
        &[
            (LoadGlobal, 0),
            (CallFunction, 0),
            (PopTop, 0),
            (LoadGlobal, 0),
            (CallFunction, 0),
            (ReturnValue, 0),
        ],
        &[],
        0,
    );
    let i = rc
        .instrs
        .iter()
        .position(|x| x.outs == [pyreg_spec::reg::DISCARD])
        .expect("a discarded result");
    rc.instrs[i].outs = vec![rc.nregs - 1];
    assert!(matches!(problem(&rc), Problem::Lingering(_)));
}
