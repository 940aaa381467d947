//! The translator on hand-assembled code objects (exact register code for
//! the patterns it optimizes) and on every code object of the conformance
//! corpus (CPython 3.9's compilation, committed as marshal files).

use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use pyreg_spec::opcode::Opcode::{self, *};
use pyreg_spec::reg::{RegCode, RegOp, Rk, DISCARD};
use pyreg_translator::{translate, TranslateError};
use std::path::Path;
use std::sync::Arc;

/// A function code object with `args` parameters among `locals`, running
/// `ops`.
fn function(ops: &[(Opcode, u32)], locals: &[&str], args: u32, stacksize: u32) -> Arc<CodeObject> {
    let mut code = Vec::new();
    for &(op, arg) in ops {
        code.push(op as u8);
        code.push(arg as u8);
    }
    Arc::new(CodeObject {
        argcount: args,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals: locals.len() as u32,
        stacksize,
        flags: flags::OPTIMIZED | flags::NEWLOCALS,
        code: code.into(),
        consts: vec![
            Constant::None,
            Constant::Int(1.into()),
            Constant::Int(10.into()),
        ],
        names: vec![PyStr::from("g"), PyStr::from("attr")],
        varnames: locals.iter().map(|n| PyStr::from(*n)).collect(),
        freevars: vec![],
        cellvars: vec![],
        filename: PyStr::from("t.py"),
        name: PyStr::from("f"),
        firstlineno: 1,
        lnotab: Vec::new().into(),
    })
}

fn ops_of(rc: &RegCode) -> Vec<RegOp> {
    rc.instrs.iter().map(|i| i.op).collect()
}

#[test]
fn three_address_arithmetic_writes_the_local_directly() {
    // x = a + b; return x
    let code = function(
        &[
            (LoadFast, 0),
            (LoadFast, 1),
            (BinaryAdd, 0),
            (StoreFast, 2),
            (LoadFast, 2),
            (ReturnValue, 0),
        ],
        &["a", "b", "x"],
        2,
        2,
    );
    let rc = translate(&code).expect("translates");
    assert_eq!(ops_of(&rc), [RegOp::Apply(BinaryAdd), RegOp::Return]);
    assert_eq!(rc.instrs[0].outs, [2]);
    assert_eq!(rc.instrs[0].ins, [Rk::Reg(0), Rk::Reg(1)]);
    assert_eq!(rc.instrs[1].ins, [Rk::Reg(2)]);
}

#[test]
fn constants_are_operands_and_statement_results_are_dropped() {
    // g(a, 10)  (as a statement); return None
    let code = function(
        &[
            (LoadGlobal, 0),
            (LoadFast, 0),
            (LoadConst, 2),
            (CallFunction, 2),
            (PopTop, 0),
            (LoadConst, 0),
            (ReturnValue, 0),
        ],
        &["a"],
        1,
        3,
    );
    let rc = translate(&code).expect("translates");
    assert_eq!(
        ops_of(&rc),
        [
            RegOp::Apply(LoadGlobal),
            RegOp::Apply(CallFunction),
            RegOp::Return
        ]
    );
    let call = &rc.instrs[1];
    assert_eq!(call.outs, [DISCARD]);
    assert_eq!(call.ins, [Rk::Reg(1), Rk::Reg(0), Rk::Const(2)]);
    assert_eq!(rc.instrs[2].ins, [Rk::Const(0)]);
}

#[test]
fn swap_through_rot_two_costs_no_instruction_for_locals() {
    // a, b = b, a; return None
    let code = function(
        &[
            (LoadFast, 1),
            (LoadFast, 0),
            (RotTwo, 0),
            (StoreFast, 0),
            (StoreFast, 1),
            (LoadConst, 0),
            (ReturnValue, 0),
        ],
        &["a", "b"],
        2,
        2,
    );
    let rc = translate(&code).expect("translates");
    // The first store must keep the old `a` for the second: one copy.
    let moves = rc.instrs.iter().filter(|i| i.op == RegOp::Move).count();
    assert!(moves <= 3, "{:?}", rc.instrs);
    assert_eq!(rc.instrs.last().map(|i| i.op), Some(RegOp::Return));
}

#[test]
fn comparison_and_branch_fuse() {
    // if a < 10: return 1
    // return None
    let code = function(
        &[
            (LoadFast, 0),
            (LoadConst, 2),
            (CompareOp, 0),
            (PopJumpIfFalse, 12),
            (LoadConst, 1),
            (ReturnValue, 0),
            (LoadConst, 0),
            (ReturnValue, 0),
        ],
        &["a"],
        1,
        2,
    );
    let rc = translate(&code).expect("translates");
    assert_eq!(
        ops_of(&rc),
        [RegOp::CompareBranch(false), RegOp::Return, RegOp::Return]
    );
    assert_eq!(rc.instrs[0].test, Some(CompareOp));
    assert_eq!(rc.instrs[0].target, 2);
}

#[test]
fn a_possibly_unbound_local_is_loaded_where_python_loads_it() {
    // return x  (x is not a parameter and never stored)
    let code = function(&[(LoadFast, 0), (ReturnValue, 0)], &["x"], 0, 1);
    let rc = translate(&code).expect("translates");
    assert_eq!(ops_of(&rc), [RegOp::Move, RegOp::Return]);
    assert_eq!(rc.instrs[0].ins, [Rk::Reg(0)]);
}

#[test]
fn a_stored_local_is_spilled_before_it_changes() {
    // return (a, a := 10)-like: LOAD a; LOAD 10; DUP; STORE a; BUILD_TUPLE 2
    let code = function(
        &[
            (LoadFast, 0),
            (LoadConst, 2),
            (DupTop, 0),
            (StoreFast, 0),
            (BuildTuple, 2),
            (ReturnValue, 0),
        ],
        &["a"],
        1,
        3,
    );
    let rc = translate(&code).expect("translates");
    let build = rc
        .instrs
        .iter()
        .find(|i| i.op == RegOp::Apply(BuildTuple))
        .expect("BUILD_TUPLE");
    // The tuple's first item is the old `a`, not the register `a`.
    assert_ne!(build.ins[0], Rk::Reg(0), "{:?}", rc.instrs);
}

#[test]
fn ill_formed_code_is_rejected_with_the_verifiers_reason() {
    let code = function(&[(BinaryAdd, 0), (ReturnValue, 0)], &[], 0, 2);
    match translate(&code) {
        Err(TranslateError::Verify(e)) => assert!(e.to_string().contains("offset 0"), "{e}"),
        other => panic!("expected a verifier error, got {other:?}"),
    }
}

#[test]
fn every_corpus_code_object_translates_verifies_and_round_trips_its_encoding() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/dis");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("golden dir") {
        let p = entry.expect("entry").path();
        if p.extension().is_none_or(|e| e != "marshal") {
            continue;
        }
        let bytes = std::fs::read(&p).expect("read");
        let code = pyreg_frontend_free_load(&bytes);
        for c in code.walk() {
            let rc = translate(&c).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            pyreg_spec::reg_verify::verify_reg(&rc)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let (words, origins) = pyreg_spec::reg_encode::encode_with_origins(&rc.instrs)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let back = pyreg_spec::reg_encode::decode_with_origins(&words, &origins)
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            assert_eq!(back, rc.instrs, "{}: encoding round trip", p.display());
            count += 1;
        }
    }
    assert!(count > 500, "only {count} code objects");
}

/// The marshal loader lives in the front end, which the translator does
/// not depend on; the test reaches it as a dev-dependency.
fn pyreg_frontend_free_load(bytes: &[u8]) -> Arc<CodeObject> {
    pyreg_frontend::marshal::load_code(bytes).expect("golden code loads")
}

#[test]
fn temporaries_are_allocated_by_liveness() {
    // return (a + 1) * (a + 10): two temporaries live at once, so two
    // registers after the one local (the stack layout reserves
    // stacksize + 3 scratch).
    let code = function(
        &[
            (LoadFast, 0),
            (LoadConst, 1),
            (BinaryAdd, 0),
            (LoadFast, 0),
            (LoadConst, 2),
            (BinaryAdd, 0),
            (BinaryMultiply, 0),
            (ReturnValue, 0),
        ],
        &["a"],
        1,
        3,
    );
    let rc = translate(&code).expect("translates");
    assert_eq!(rc.nregs, 3, "{:?}", rc.instrs);
    let add1 = &rc.instrs[0];
    let add2 = &rc.instrs[1];
    assert_ne!(add1.outs, add2.outs, "live at once, so apart");
    pyreg_spec::reg_verify::verify_reg(&rc).expect("valid");
}
