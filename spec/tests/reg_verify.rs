//! The register verifier on hand-made register code: a valid program
//! passes, and each broken rule is reported with its exact rule and
//! instruction index.

use proptest::prelude::*;
use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use pyreg_spec::opcode::Opcode::{self, *};
use pyreg_spec::reg::{RegCode, RegInstr, RegOp, Rk, StaticBlock, DISCARD};
use pyreg_spec::reg_verify::{verify_reg, RegRule, RegVerifyError};
use std::sync::Arc;

/// The stack instructions the register instructions name as origins (the
/// stack code need not be a sensible program: only its decoding matters).
const STACK: &[(Opcode, u32)] = &[
    (LoadFast, 0),          // 0
    (LoadConst, 1),         // 1
    (BinaryAdd, 0),         // 2
    (StoreDeref, 0),        // 3
    (LoadDeref, 0),         // 4
    (GetIter, 0),           // 5
    (ForIter, 0),           // 6
    (CompareOp, 2),         // 7
    (LoadGlobal, 0),        // 8
    (CallFunction, 1),      // 9
    (ReturnValue, 0),       // 10
    (JumpAbsolute, 0),      // 11
    (SetupFinally, 0),      // 12
    (PopExcept, 0),         // 13
    (Reraise, 0),           // 14
    (JumpIfNotExcMatch, 0), // 15
    (DeleteFast, 1),        // 16
    (YieldValue, 0),        // 17
    (PopJumpIfFalse, 0),    // 18
    (LoadClosure, 0),       // 19
    (BuildTuple, 2),        // 20
    (UnpackSequence, 2),    // 21
    (YieldFrom, 0),         // 22
    (LoadDeref, 1),         // 23
    (RaiseVarargs, 1),      // 24
    (BuildSlice, 5),        // 25
    (LoadGlobal, 3),        // 26
];

fn o(op: Opcode) -> u32 {
    STACK.iter().position(|(s, _)| *s == op).expect("in STACK") as u32
}

fn names(prefix: &str, n: usize) -> Vec<PyStr> {
    (0..n)
        .map(|i| PyStr::from(format!("{prefix}{i}").as_str()))
        .collect()
}

/// `f(a, b)` with 2 locals (r0, r1), 2 constants (None, 7), one name and
/// one cell variable.
fn code_object() -> CodeObject {
    let mut bytes = Vec::new();
    for &(op, arg) in STACK {
        bytes.extend([op as u8, arg as u8]);
    }
    CodeObject {
        argcount: 2,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals: 2,
        stacksize: 6,
        flags: flags::OPTIMIZED | flags::NEWLOCALS,
        code: bytes.into(),
        consts: vec![Constant::None, Constant::Int(7.into())],
        names: names("g", 1),
        varnames: names("v", 2),
        freevars: Vec::new(),
        cellvars: names("c", 1),
        filename: PyStr::from("t.py"),
        name: PyStr::from("f"),
        firstlineno: 1,
        lnotab: Vec::new().into(),
    }
}

fn r(n: u16) -> Rk {
    Rk::Reg(n)
}

fn k(n: u16) -> Rk {
    Rk::Const(n)
}

/// A lifted stack opcode whose origin is the first `STACK` entry with
/// that opcode and argument.
fn apply(op: Opcode, arg: u32, outs: &[u16], ins: &[Rk]) -> RegInstr {
    let origin = STACK
        .iter()
        .position(|&(s, a)| s == op && a == arg)
        .unwrap_or(0) as u32;
    RegInstr {
        op: RegOp::Apply(op),
        arg,
        test: None,
        outs: outs.to_vec(),
        ins: ins.to_vec(),
        target: 0,
        origin,
        keep: Vec::new(),
    }
}

/// A register-native instruction.
fn native(op: RegOp, outs: &[u16], ins: &[Rk], target: u32, origin: u32) -> RegInstr {
    RegInstr {
        op,
        arg: 0,
        test: None,
        outs: outs.to_vec(),
        ins: ins.to_vec(),
        target,
        origin,
        keep: Vec::new(),
    }
}

fn compare_branch(sense: bool, test: Opcode, arg: u32, ins: &[Rk], target: u32) -> RegInstr {
    RegInstr {
        op: RegOp::CompareBranch(sense),
        arg,
        test: Some(test),
        outs: Vec::new(),
        ins: ins.to_vec(),
        target,
        origin: o(CompareOp),
        keep: Vec::new(),
    }
}

/// Block stacks of the fixtures: none, a try block (handler 12, base r3),
/// inside its handler.
const NONE: u32 = 0;
const TRY: u32 = 1;
const HANDLER: u32 = 2;

fn reg_code(instrs: Vec<RegInstr>, blocks_at: Vec<u32>) -> RegCode {
    RegCode {
        code: Arc::new(code_object()),
        nregs: 10,
        instrs,
        block_stacks: vec![
            vec![],
            vec![StaticBlock::Finally {
                handler: 12,
                base: 3,
            }],
            vec![StaticBlock::ExceptHandler { base: 3 }],
        ],
        blocks_at,
    }
}

/// Code with no blocks.
fn plain(instrs: Vec<RegInstr>) -> RegCode {
    let n = instrs.len();
    reg_code(instrs, vec![NONE; n])
}

/// A valid program exercising every register-native opcode but the
/// generator ones:
///
/// ```text
///  0  MOVE r2 <- r0
///  1  BINARY_ADD r3 <- r2, k1
///  2  STORE_DEREF[0] <- r3
///  3  GET_ITER r2 <- r1
///  4  FOR_ITER r3 <- r2 -> 8
///  5  COMPARE_BRANCH_IF_FALSE[COMPARE_OP 2] r3, k1 -> 4
///  6  BRANCH_IF_TRUE r3 -> 4
///  7  JUMP -> 4
///  8  LOAD_GLOBAL[0] r2                       try (handler 12, base r3)
///  9  CALL_FUNCTION[1] r2 <- r2, r0           try
/// 10  DELETE r1                               try
/// 11  RETURN r2
/// 12  BRANCH_IF_NOT_EXC_MATCH r7, k0 -> 15    except handler (base r3)
/// 13  POP_EXCEPT <- r3, r4, r5                except handler
/// 14  RETURN k0
/// 15  RERAISE <- r3, r4, r5                   except handler
/// ```
fn valid_instrs() -> Vec<RegInstr> {
    vec![
        native(RegOp::Move, &[2], &[r(0)], 0, o(LoadFast)),
        apply(BinaryAdd, 0, &[3], &[r(2), k(1)]),
        apply(StoreDeref, 0, &[], &[r(3)]),
        apply(GetIter, 0, &[2], &[r(1)]),
        native(RegOp::ForIter, &[3], &[r(2)], 8, o(ForIter)),
        compare_branch(false, CompareOp, 2, &[r(3), k(1)], 4),
        native(RegOp::Branch(true), &[], &[r(3)], 4, o(PopJumpIfFalse)),
        native(RegOp::Jump, &[], &[], 4, o(JumpAbsolute)),
        apply(LoadGlobal, 0, &[2], &[]),
        apply(CallFunction, 1, &[2], &[r(2), r(0)]),
        native(RegOp::Delete, &[1], &[], 0, o(DeleteFast)),
        native(RegOp::Return, &[], &[r(2)], 0, o(ReturnValue)),
        native(
            RegOp::ExcMatchBranch,
            &[],
            &[r(7), k(0)],
            15,
            o(JumpIfNotExcMatch),
        ),
        native(RegOp::PopExcept, &[], &[r(3), r(4), r(5)], 0, o(PopExcept)),
        native(RegOp::Return, &[], &[k(0)], 0, o(ReturnValue)),
        native(RegOp::Reraise, &[], &[r(3), r(4), r(5)], 0, o(Reraise)),
    ]
}

fn valid_blocks() -> Vec<u32> {
    vec![
        NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, TRY, TRY, TRY, NONE, HANDLER, HANDLER,
        NONE, HANDLER,
    ]
}

fn valid() -> RegCode {
    reg_code(valid_instrs(), valid_blocks())
}

/// `valid()` with instruction `i` replaced.
fn valid_with(i: usize, ins: RegInstr) -> RegCode {
    let mut c = valid();
    c.instrs[i] = ins;
    c
}

fn reject(c: &RegCode) -> RegVerifyError {
    match verify_reg(&with_liveness(c)) {
        Ok(()) => panic!("accepted ill-formed register code"),
        Err(e) => e,
    }
}

/// Asserts the rule and the instruction index of the rejection.
fn expect(c: &RegCode, index: Option<usize>, rule: RegRule) {
    let e = reject(c);
    assert_eq!(e.rule, rule, "{e}");
    assert_eq!(e.index, index, "{e}");
    assert_eq!(e.code_name, "f");
}

/// The fixtures are written without `keep`: liveness supplies it, as the
/// translator does (the consumption tests below set it by hand).
fn with_liveness(c: &RegCode) -> RegCode {
    let mut c = c.clone();
    if c.blocks_at.len() == c.instrs.len() && c.instrs.iter().all(|i| i.keep.is_empty()) {
        pyreg_spec::reg::mark_kept_inputs(&mut c);
    }
    c
}

fn accept(c: &RegCode) {
    if let Err(e) = verify_reg(&with_liveness(c)) {
        panic!("rejected valid register code: {e}");
    }
}

#[test]
fn valid_program_passes() {
    accept(&valid());
}

#[test]
fn valid_generator_passes() {
    // LOAD_CLOSURE, a multi-output opcode, YIELD, YIELD_FROM, and a
    // RAISE_VARARGS that ends the code (it never falls through).
    let c = plain(vec![
        apply(LoadClosure, 0, &[2], &[]),
        apply(BuildTuple, 2, &[2], &[r(2), k(1)]),
        apply(UnpackSequence, 2, &[3, 2], &[r(2)]),
        native(RegOp::Yield, &[4], &[r(3)], 0, o(YieldValue)),
        native(RegOp::YieldFrom, &[DISCARD], &[r(2), r(4)], 0, o(YieldFrom)),
        native(RegOp::Branch(false), &[], &[r(4)], 7, o(PopJumpIfFalse)),
        native(RegOp::Return, &[], &[r(4)], 0, o(ReturnValue)),
        apply(RaiseVarargs, 1, &[], &[r(3)]),
    ]);
    accept(&c);
}

#[test]
fn error_names_code_index_and_instruction() {
    let mut c = valid();
    c.instrs[11].ins = vec![r(9)];
    let e = reject(&c);
    assert_eq!(e.instr.as_deref(), Some("RETURN <- r9"));
    let shown = e.to_string();
    assert!(shown.contains("register code of f"), "{shown}");
    assert!(shown.contains("at instruction 11"), "{shown}");
    assert!(shown.contains("(RETURN <- r9)"), "{shown}");
    assert!(shown.contains("r9 is read but not written"), "{shown}");
}

// ----- rule 1: shape ------------------------------------------------------

#[test]
fn stack_opcode_without_register_form() {
    let c = valid_with(1, apply(LoadFast, 0, &[3], &[]));
    expect(&c, Some(1), RegRule::NoRegisterForm { op: "LOAD_FAST" });
    let c = valid_with(7, apply(JumpAbsolute, 0, &[], &[]));
    expect(
        &c,
        Some(7),
        RegRule::NoRegisterForm {
            op: "JUMP_ABSOLUTE",
        },
    );
}

#[test]
fn wrong_operand_counts() {
    let c = valid_with(1, apply(BinaryAdd, 0, &[3], &[r(2)]));
    expect(
        &c,
        Some(1),
        RegRule::OperandCount {
            kind: "inputs",
            expected: 2,
            found: 1,
        },
    );
    let c = valid_with(9, apply(CallFunction, 1, &[2, 4], &[r(2), r(0)]));
    expect(
        &c,
        Some(9),
        RegRule::OperandCount {
            kind: "outputs",
            expected: 1,
            found: 2,
        },
    );
    let c = valid_with(13, native(RegOp::PopExcept, &[], &[r(3), r(4)], 0, 0));
    expect(
        &c,
        Some(13),
        RegRule::OperandCount {
            kind: "inputs",
            expected: 3,
            found: 2,
        },
    );
}

#[test]
fn constant_where_register_required() {
    let c = valid_with(4, native(RegOp::ForIter, &[3], &[k(0)], 8, o(ForIter)));
    expect(&c, Some(4), RegRule::ConstantInput { position: 0 });
    let c = valid_with(
        15,
        native(RegOp::Reraise, &[], &[r(3), k(1), r(5)], 0, o(Reraise)),
    );
    expect(&c, Some(15), RegRule::ConstantInput { position: 1 });
}

#[test]
fn comparison_only_on_compare_branch() {
    let mut b = native(RegOp::Branch(true), &[], &[r(3)], 4, 0);
    b.test = Some(CompareOp);
    expect(
        &valid_with(6, b),
        Some(6),
        RegRule::UnexpectedTest { test: "COMPARE_OP" },
    );
    let mut cb = compare_branch(false, CompareOp, 2, &[r(3), k(1)], 4);
    cb.test = None;
    expect(&valid_with(5, cb), Some(5), RegRule::MissingTest);
    let cb = compare_branch(false, BinaryAdd, 0, &[r(3), k(1)], 4);
    expect(
        &valid_with(5, cb),
        Some(5),
        RegRule::NotAComparison { test: "BINARY_ADD" },
    );
}

#[test]
fn comparison_arguments() {
    let cb = compare_branch(false, CompareOp, 6, &[r(3), k(1)], 4);
    expect(
        &valid_with(5, cb),
        Some(5),
        RegRule::BadArgument {
            arg: 6,
            expected: "a COMPARE_OP index 0..=5",
        },
    );
    for test in [IsOp, ContainsOp] {
        accept(&valid_with(
            5,
            compare_branch(true, test, 1, &[r(3), k(1)], 4),
        ));
        let cb = compare_branch(true, test, 2, &[r(3), k(1)], 4);
        expect(
            &valid_with(5, cb),
            Some(5),
            RegRule::BadArgument {
                arg: 2,
                expected: "0 or 1 (invert)",
            },
        );
    }
}

#[test]
fn lifted_opcode_arguments() {
    let c = plain(vec![
        apply(LoadGlobal, 0, &[2], &[]),
        apply(BuildSlice, 5, &[2], &[r(2), r(2), r(2), r(2), r(2)]),
        native(RegOp::Return, &[], &[r(2)], 0, 0),
    ]);
    expect(
        &c,
        Some(1),
        RegRule::BadArgument {
            arg: 5,
            expected: "BUILD_SLICE count 2 or 3",
        },
    );
    let c = valid_with(8, apply(LoadGlobal, 3, &[2], &[]));
    expect(&c, Some(8), RegRule::NameOutOfRange { index: 3, len: 1 });
}

#[test]
fn target_out_of_range() {
    let c = valid_with(7, native(RegOp::Jump, &[], &[], 16, 0));
    expect(
        &c,
        Some(7),
        RegRule::TargetOutOfRange {
            target: 16,
            len: 16,
        },
    );
    let c = valid_with(4, native(RegOp::ForIter, &[3], &[r(2)], 99, o(ForIter)));
    expect(
        &c,
        Some(4),
        RegRule::TargetOutOfRange {
            target: 99,
            len: 16,
        },
    );
}

// ----- rule 2: bounds -----------------------------------------------------

#[test]
fn registers_out_of_range() {
    let c = valid_with(1, apply(BinaryAdd, 0, &[10], &[r(2), k(1)]));
    expect(
        &c,
        Some(1),
        RegRule::RegisterOutOfRange { reg: 10, nregs: 10 },
    );
    let c = valid_with(1, apply(BinaryAdd, 0, &[3], &[r(2), r(40)]));
    expect(
        &c,
        Some(1),
        RegRule::RegisterOutOfRange { reg: 40, nregs: 10 },
    );
}

#[test]
fn discard_only_as_output() {
    // MOVE _ <- r0 leaves r2 unwritten: make its reader read r0 instead.
    let mut c = valid_with(0, native(RegOp::Move, &[DISCARD], &[r(0)], 0, 0));
    c.instrs[1].ins = vec![r(0), k(1)];
    accept(&c);
    let c = valid_with(1, apply(BinaryAdd, 0, &[3], &[r(DISCARD), k(1)]));
    expect(&c, Some(1), RegRule::DiscardRead);
}

#[test]
fn constant_out_of_range() {
    let c = valid_with(14, native(RegOp::Return, &[], &[k(2)], 0, 0));
    expect(&c, Some(14), RegRule::ConstOutOfRange { index: 2, len: 2 });
}

#[test]
fn origin_out_of_range() {
    let n = STACK.len();
    let c = valid_with(7, native(RegOp::Jump, &[], &[], 4, n as u32));
    expect(
        &c,
        Some(7),
        RegRule::OriginOutOfRange {
            origin: n as u32,
            len: n,
        },
    );
}

#[test]
fn lifted_opcode_must_be_its_origin() {
    let mut add = apply(BinaryAdd, 0, &[3], &[r(2), k(1)]);
    add.origin = o(GetIter);
    expect(
        &valid_with(1, add),
        Some(1),
        RegRule::OriginMismatch {
            origin: o(GetIter),
            stack: "GET_ITER",
            stack_arg: 0,
        },
    );
    // Same opcode, different argument.
    let mut call = apply(CallFunction, 0, &[2], &[r(2)]);
    call.origin = o(CallFunction);
    expect(
        &valid_with(9, call),
        Some(9),
        RegRule::OriginMismatch {
            origin: o(CallFunction),
            stack: "CALL_FUNCTION",
            stack_arg: 1,
        },
    );
}

#[test]
fn delete_only_locals() {
    let c = valid_with(10, native(RegOp::Delete, &[2], &[], 0, o(DeleteFast)));
    expect(&c, Some(10), RegRule::DeleteNotLocal { reg: 2, nlocals: 2 });
    let c = valid_with(10, native(RegOp::Delete, &[DISCARD], &[], 0, o(DeleteFast)));
    expect(
        &c,
        Some(10),
        RegRule::DeleteNotLocal {
            reg: DISCARD,
            nlocals: 2,
        },
    );
}

// ----- rule 3: exception table ------------------------------------------

#[test]
fn exception_table_length() {
    let mut c = valid();
    c.blocks_at.pop();
    expect(
        &c,
        None,
        RegRule::ExceptionTableLength {
            blocks_at: 15,
            instrs: 16,
        },
    );
}

#[test]
fn block_stack_index_out_of_range() {
    let mut c = valid();
    c.blocks_at[3] = 3;
    expect(
        &c,
        Some(3),
        RegRule::BlockStackOutOfRange { index: 3, len: 3 },
    );
}

#[test]
fn handler_out_of_range() {
    let mut c = valid();
    c.block_stacks[TRY as usize] = vec![StaticBlock::Finally {
        handler: 16,
        base: 3,
    }];
    expect(
        &c,
        Some(8),
        RegRule::HandlerOutOfRange {
            handler: 16,
            len: 16,
        },
    );
}

#[test]
fn block_registers_out_of_range() {
    let mut c = valid();
    c.block_stacks[TRY as usize] = vec![StaticBlock::Finally {
        handler: 12,
        base: 5,
    }];
    expect(
        &c,
        Some(8),
        RegRule::BlockRegistersOutOfRange {
            base: 5,
            needs: 6,
            nregs: 10,
        },
    );
    let mut c = valid();
    c.block_stacks[HANDLER as usize] = vec![StaticBlock::ExceptHandler { base: 8 }];
    expect(
        &c,
        Some(12),
        RegRule::BlockRegistersOutOfRange {
            base: 8,
            needs: 3,
            nregs: 10,
        },
    );
    // Exactly fitting is fine.
    let mut c = valid();
    c.block_stacks[HANDLER as usize] = vec![StaticBlock::ExceptHandler { base: 7 }];
    accept(&c);
}

#[test]
fn block_base_among_locals() {
    let mut c = valid();
    c.block_stacks[HANDLER as usize] = vec![StaticBlock::ExceptHandler { base: 1 }];
    expect(
        &c,
        Some(12),
        RegRule::BlockBaseIsLocal {
            base: 1,
            nlocals: 2,
        },
    );
}

// ----- rule 4: cells --------------------------------------------------------

#[test]
fn cell_out_of_range() {
    let c = valid_with(8, apply(LoadDeref, 1, &[2], &[]));
    expect(
        &c,
        Some(8),
        RegRule::CellOutOfRange {
            index: 1,
            ncells: 1,
        },
    );
    let mut co = code_object();
    co.freevars = names("fv", 1);
    let mut c = valid_with(8, apply(LoadDeref, 1, &[2], &[]));
    c.code = Arc::new(co);
    accept(&c);
}

// ----- rule 5: definition before use --------------------------------------

#[test]
fn temporary_never_written() {
    let c = valid_with(1, apply(BinaryAdd, 0, &[3], &[r(6), k(1)]));
    expect(&c, Some(1), RegRule::Undefined { reg: 6 });
}

#[test]
fn locals_may_be_read_unbound() {
    // r1 is deleted at 10, then read: UnboundLocalError at run time.
    let mut c = valid();
    c.instrs[11] = native(RegOp::Return, &[], &[r(1)], 0, 0);
    accept(&c);
}

#[test]
fn defined_on_one_path_only() {
    // 0 BRANCH_IF_TRUE r0 -> 2; 1 LOAD_GLOBAL r2; 2 RETURN r2
    let c = plain(vec![
        native(RegOp::Branch(true), &[], &[r(0)], 2, 0),
        apply(LoadGlobal, 0, &[2], &[]),
        native(RegOp::Return, &[], &[r(2)], 0, 0),
    ]);
    expect(&c, Some(2), RegRule::Undefined { reg: 2 });
}

#[test]
fn loop_back_edge_must_define() {
    // The loop body writes r4 after the read: the first iteration reads
    // it unwritten.
    let mut c = valid();
    c.instrs[6] = native(RegOp::Branch(true), &[], &[r(4)], 4, 0);
    c.instrs[7] = apply(LoadGlobal, 0, &[4], &[]);
    c.instrs.insert(8, native(RegOp::Jump, &[], &[], 4, 0));
    c.blocks_at.insert(8, NONE);
    for ins in &mut c.instrs {
        if matches!(ins.op, RegOp::ForIter) {
            ins.target = 9;
        }
        if ins.op == RegOp::ExcMatchBranch {
            ins.target = 16;
        }
    }
    c.block_stacks[TRY as usize] = vec![StaticBlock::Finally {
        handler: 13,
        base: 3,
    }];
    expect(&c, Some(6), RegRule::Undefined { reg: 4 });
}

#[test]
fn for_iter_output_only_on_fall_through_and_iterator_cleared_on_exit() {
    // The loop exit reads the iterator, which FOR_ITER cleared.
    let mut c = valid();
    c.instrs[8] = apply(GetIter, 0, &[2], &[r(2)]);
    expect(&c, Some(8), RegRule::Undefined { reg: 2 });
    // The loop exit reads FOR_ITER's output, written on the other edge
    // only (r3 is written before the loop here, so use r4).
    let mut c = valid();
    c.instrs[4].outs = vec![4];
    c.instrs[5].ins = vec![r(4), k(1)];
    c.instrs[6].ins = vec![r(4)];
    accept(&c);
    c.instrs[8] = apply(GetIter, 0, &[2], &[r(4)]);
    expect(&c, Some(8), RegRule::Undefined { reg: 4 });
}

#[test]
fn handler_sees_only_registers_below_base_and_its_six() {
    // r2 (below the base) is written by LOAD_GLOBAL at 8, which may raise
    // before writing it: the handler cannot read it.
    let mut c = valid();
    c.instrs[14] = native(RegOp::Return, &[], &[r(2)], 0, 0);
    c.blocks_at[14] = HANDLER;
    expect(&c, Some(14), RegRule::Undefined { reg: 2 });
    // With r2 written before the try block, it can.
    let c2 = {
        let instrs = vec![
            apply(LoadGlobal, 0, &[2], &[]),                          // 0
            apply(CallFunction, 1, &[3], &[r(2), r(0)]),              // 1 try
            native(RegOp::Return, &[], &[r(3)], 0, 0),                // 2
            native(RegOp::PopExcept, &[], &[r(3), r(4), r(5)], 0, 0), // 3 handler
            native(RegOp::Return, &[], &[r(2)], 0, 0),                // 4
        ];
        let mut c = reg_code(instrs, vec![NONE, TRY, NONE, HANDLER, NONE]);
        c.block_stacks[TRY as usize] = vec![StaticBlock::Finally {
            handler: 3,
            base: 3,
        }];
        c
    };
    accept(&c2);
    // The handler's registers above base + 6 are cleared by the unwinding.
    let mut c3 = c2.clone();
    c3.instrs[0] = apply(LoadGlobal, 0, &[9], &[]);
    c3.instrs[1].ins = vec![r(9), r(0)];
    c3.instrs[4].ins = vec![r(9)];
    expect(&c3, Some(4), RegRule::Undefined { reg: 9 });
    // Registers from the base to base + 6 are the six the handler
    // receives, whatever the try block did with them.
    let mut c4 = c2;
    c4.instrs[0] = apply(LoadGlobal, 0, &[6], &[]);
    c4.instrs[1].ins = vec![r(6), r(0)];
    c4.instrs[1].outs = vec![2];
    c4.instrs[2].ins = vec![r(2)];
    c4.instrs[4].ins = vec![r(6)];
    accept(&c4);
    c4.instrs[0] = apply(LoadGlobal, 0, &[3], &[]);
    c4.instrs[1].ins = vec![r(3), r(0)];
    c4.instrs[4].ins = vec![r(3)];
    accept(&c4);
}

#[test]
fn move_of_a_temporary_does_not_raise() {
    // 0 LOAD_GLOBAL r2; 1 MOVE r2' <- ...  (try, base r4); 2 LOAD_GLOBAL
    // r4 (try); 3 RETURN r4; 4 RETURN r3 (handler)
    let build = |src: Rk| {
        let instrs = vec![
            apply(LoadGlobal, 0, &[2], &[]),
            native(RegOp::Move, &[3], &[src], 0, 0),
            apply(LoadGlobal, 0, &[4], &[]),
            native(RegOp::Return, &[], &[r(4)], 0, 0),
            native(RegOp::Return, &[], &[r(3)], 0, 0),
        ];
        let mut c = reg_code(instrs, vec![NONE, TRY, TRY, NONE, HANDLER]);
        c.block_stacks[TRY as usize] = vec![StaticBlock::Finally {
            handler: 4,
            base: 4,
        }];
        c.block_stacks[HANDLER as usize] = vec![StaticBlock::ExceptHandler { base: 4 }];
        c
    };
    accept(&build(r(2)));
    accept(&build(k(1)));
    // A move of a local may raise UnboundLocalError before writing r3.
    expect(&build(r(0)), Some(4), RegRule::Undefined { reg: 3 });
}

#[test]
fn yield_defines_its_output() {
    let c = plain(vec![
        native(RegOp::Yield, &[2], &[k(0)], 0, o(YieldValue)),
        native(RegOp::Return, &[], &[r(2)], 0, 0),
    ]);
    accept(&c);
    let c = plain(vec![
        native(RegOp::Yield, &[DISCARD], &[k(0)], 0, o(YieldValue)),
        native(RegOp::Return, &[], &[r(2)], 0, 0),
    ]);
    expect(&c, Some(1), RegRule::Undefined { reg: 2 });
}

#[test]
fn exception_instructions_read_their_triple() {
    let c = plain(vec![
        apply(LoadGlobal, 0, &[2], &[]),
        native(RegOp::Reraise, &[], &[r(2), r(2), r(3)], 0, 0),
    ]);
    expect(&c, Some(1), RegRule::Undefined { reg: 3 });
    let c = plain(vec![
        apply(LoadGlobal, 0, &[2], &[]),
        native(RegOp::YieldFrom, &[2], &[r(2), r(5)], 0, 0),
        native(RegOp::Return, &[], &[r(2)], 0, 0),
    ]);
    expect(&c, Some(1), RegRule::Undefined { reg: 5 });
}

#[test]
fn unreachable_instructions_are_not_checked_for_definitions() {
    let c = plain(vec![
        native(RegOp::Return, &[], &[k(0)], 0, 0),
        native(RegOp::Return, &[], &[r(7)], 0, 0),
    ]);
    accept(&c);
    // The handler of a try block with no instruction that can raise is
    // unreachable too.
    let mut c = valid();
    c.blocks_at[8] = NONE;
    c.blocks_at[9] = NONE;
    c.blocks_at[10] = NONE;
    c.instrs[12].ins = vec![r(9), k(0)];
    accept(&c);
}

// ----- rule 6: falling off the end ------------------------------------------

#[test]
fn falls_off_the_end() {
    let c = plain(vec![apply(LoadGlobal, 0, &[2], &[])]);
    expect(&c, Some(0), RegRule::FallsOffEnd);
    let mut c = valid();
    c.instrs[15] = native(RegOp::PopExcept, &[], &[r(3), r(4), r(5)], 0, 0);
    expect(&c, Some(15), RegRule::FallsOffEnd);
    // A trailing branch falls through when not taken.
    let c = plain(vec![native(RegOp::Branch(true), &[], &[r(0)], 0, 0)]);
    expect(&c, Some(0), RegRule::FallsOffEnd);
    // Unreachable code at the end may fall through.
    let c = plain(vec![
        native(RegOp::Return, &[], &[k(0)], 0, 0),
        apply(LoadGlobal, 0, &[2], &[]),
    ]);
    accept(&c);
    // Empty code falls off at once.
    expect(&plain(Vec::new()), None, RegRule::FallsOffEnd);
}

// ----- the header ---------------------------------------------------------

#[test]
fn header_rules() {
    let mut c = valid();
    let mut co = code_object();
    co.varnames.pop();
    c.code = Arc::new(co);
    expect(
        &c,
        None,
        RegRule::NlocalsMismatch {
            nlocals: 2,
            varnames: 1,
        },
    );
    let mut c = valid();
    c.nregs = 1;
    expect(
        &c,
        None,
        RegRule::TooFewRegisters {
            nregs: 1,
            nlocals: 2,
        },
    );
    let mut c = valid();
    let mut co = code_object();
    co.code = vec![1u8, 0, 1].into();
    c.code = Arc::new(co);
    assert!(matches!(reject(&c).rule, RegRule::Decode(_)));
}

// ----- robustness ---------------------------------------------------------

fn any_op() -> impl Strategy<Value = RegOp> {
    prop_oneof![
        (0u8..=255).prop_filter_map("an opcode", |b| Opcode::from_u8(b).map(RegOp::Apply)),
        Just(RegOp::Move),
        Just(RegOp::Delete),
        Just(RegOp::Jump),
        any::<bool>().prop_map(RegOp::Branch),
        any::<bool>().prop_map(RegOp::CompareBranch),
        Just(RegOp::ExcMatchBranch),
        Just(RegOp::ForIter),
        Just(RegOp::Return),
        Just(RegOp::Yield),
        Just(RegOp::YieldFrom),
        Just(RegOp::PopExcept),
        Just(RegOp::Reraise),
    ]
}

fn any_reg() -> impl Strategy<Value = u16> {
    prop_oneof![0u16..12, Just(DISCARD), any::<u16>()]
}

fn any_rk() -> impl Strategy<Value = Rk> {
    prop_oneof![any_reg().prop_map(Rk::Reg), (0u16..4).prop_map(Rk::Const)]
}

fn any_instr() -> impl Strategy<Value = RegInstr> {
    (
        any_op(),
        prop_oneof![0u32..4, any::<u32>()],
        proptest::option::of((0u8..=255).prop_filter_map("an opcode", Opcode::from_u8)),
        proptest::collection::vec(any_reg(), 0..4),
        proptest::collection::vec(any_rk(), 0..4),
        0u32..12,
        0u32..30,
    )
        .prop_map(|(op, arg, test, outs, ins, target, origin)| RegInstr {
            op,
            arg,
            test,
            outs,
            ins,
            target,
            origin,
            keep: Vec::new(),
        })
}

fn any_block() -> impl Strategy<Value = StaticBlock> {
    prop_oneof![
        (0u32..12, any_reg()).prop_map(|(handler, base)| StaticBlock::Finally { handler, base }),
        any_reg().prop_map(|base| StaticBlock::ExceptHandler { base }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any register code, however ill-formed, gets an answer, never a panic.
    #[test]
    fn never_panics(
        instrs in proptest::collection::vec(any_instr(), 0..10),
        blocks in proptest::collection::vec(proptest::collection::vec(any_block(), 0..3), 0..3),
        blocks_at in proptest::collection::vec(0u32..4, 0..10),
        nregs in prop_oneof![0u16..12, any::<u16>()],
    ) {
        let c = RegCode {
            code: Arc::new(code_object()),
            nregs,
            instrs,
            block_stacks: blocks,
            blocks_at,
        };
        let _ = verify_reg(&c);
    }

    /// Mutations of the valid program's operands get an answer too.
    #[test]
    fn mutated_valid_program(
        i in 0usize..16,
        outs in proptest::collection::vec(0u16..10, 0..3),
        ins in proptest::collection::vec((0u16..10).prop_map(Rk::Reg), 0..4),
    ) {
        let mut c = valid();
        c.instrs[i].outs = outs;
        c.instrs[i].ins = ins;
        let _ = verify_reg(&c);
    }
}

// ----- consumption of temporaries --------------------------------------------

#[test]
fn a_consumed_temporary_is_undefined_after() {
    // 0 LOAD_GLOBAL r2; 1 MOVE r1 <- r2 (consumes r2); 2 RETURN r2
    let c = plain(vec![
        apply(LoadGlobal, 0, &[2], &[]),
        native(RegOp::Move, &[1], &[r(2)], 0, 0),
        native(RegOp::Return, &[], &[r(2)], 0, 0),
    ]);
    let e = verify_reg(&c).expect_err("r2 was consumed");
    assert_eq!(e.rule, RegRule::Undefined { reg: 2 }, "{e}");
    assert_eq!(e.index, Some(2));
}

#[test]
fn a_kept_temporary_stays_defined() {
    let mut mv = native(RegOp::Move, &[1], &[r(2)], 0, 0);
    mv.keep = vec![0];
    let c = plain(vec![
        apply(LoadGlobal, 0, &[2], &[]),
        mv,
        native(RegOp::Return, &[], &[r(2)], 0, 0),
    ]);
    accept(&c);
}

#[test]
fn keep_must_name_a_temporary_input() {
    let mut mv = native(RegOp::Move, &[2], &[r(0)], 0, 0);
    mv.keep = vec![0];
    let c = plain(vec![mv, native(RegOp::Return, &[], &[r(2)], 0, 0)]);
    expect(&c, Some(0), RegRule::KeepNotATemporary { position: 0 });
}
