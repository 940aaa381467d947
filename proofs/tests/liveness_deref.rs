//! The liveness and DEREF checkers on every code object of the
//! conformance corpus, and on translations broken on purpose.

use pyreg_proofs::deref::check_deref;
use pyreg_proofs::liveness::{check_liveness, LivenessError};
use pyreg_proofs::testkit::{self, golden_code_objects};
use pyreg_spec::opcode::Opcode::{self, *};
use pyreg_spec::reg::{RegCode, RegOp, Rk};
use pyreg_translator::translate;

#[test]
fn every_corpus_translation_passes_both_checkers() {
    let (mut inputs, mut cells) = (0, 0);
    for (_, c) in golden_code_objects() {
        let rc = translate(&c).expect("translates");
        inputs += check_liveness(&rc)
            .unwrap_or_else(|e| panic!("{e}\n{}", pyreg_spec::reg::listing(&rc)))
            .inputs_checked;
        cells += check_deref(&rc).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(inputs > 1000, "only {inputs} inputs checked");
    assert!(cells > 50, "only {cells} cell accesses checked");
}

fn function(ops: &[(Opcode, u32)], locals: &[&str], args: u32) -> RegCode {
    let rc = translate(&testkit::function(ops, locals, args)).expect("translates");
    check_liveness(&rc).expect("the unbroken translation passes");
    check_deref(&rc).expect("the unbroken translation passes");
    rc
}

/// g(a).attr + g(a).attr with the callee kept across both calls.
fn two_calls() -> RegCode {
    function(
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
    )
}

#[test]
fn a_dropped_keep_is_caught() {
    let mut rc = two_calls();
    let i = rc
        .instrs
        .iter()
        .position(|x| !x.keep.is_empty())
        .expect("a keep");
    rc.instrs[i].keep.clear();
    assert!(matches!(
        check_liveness(&rc),
        Err(LivenessError::Keep {
            live: true,
            kept: false,
            ..
        })
    ));
}

#[test]
fn an_extra_keep_is_caught() {
    // The sum's operands are dead after it: keeping one holds its object
    // past its last use.
    let mut rc = two_calls();
    let i = rc
        .instrs
        .iter()
        .position(|x| x.op == RegOp::Apply(BinaryAdd))
        .expect("the sum");
    rc.instrs[i].keep.push(0);
    assert!(matches!(
        check_liveness(&rc),
        Err(LivenessError::Keep {
            live: false,
            kept: true,
            ..
        })
    ));
}

#[test]
fn a_cell_read_as_a_register_is_caught() {
    // c = a; return c
    let mut rc = function(
        &[
            (LoadFast, 0),
            (StoreDeref, 0),
            (LoadDeref, 0),
            (ReturnValue, 0),
        ],
        &["a"],
        1,
    );
    let i = rc
        .instrs
        .iter()
        .position(|x| x.op == RegOp::Apply(LoadDeref))
        .expect("the load");
    rc.instrs[i].op = RegOp::Move;
    rc.instrs[i].arg = 0;
    rc.instrs[i].ins = vec![Rk::Reg(0)];
    let e = check_deref(&rc).expect_err("caught");
    assert!(e.what.contains("LOAD_DEREF"), "{e}");
}

#[test]
fn a_cell_index_out_of_range_is_caught() {
    let mut rc = function(&[(LoadDeref, 0), (ReturnValue, 0)], &[], 0);
    let i = rc
        .instrs
        .iter()
        .position(|x| x.op == RegOp::Apply(LoadDeref))
        .expect("the load");
    rc.instrs[i].arg = 1;
    assert!(check_deref(&rc).is_err());
}
