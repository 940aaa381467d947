//! The verifier on ill-formed code: each case checks the exact rule, offset
//! and opcode of the rejection, not merely that there is one.

use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use pyreg_spec::decode::DecodeError;
use pyreg_spec::opcode::Opcode::{self, *};
use pyreg_spec::verify::{verify, verify_code, Rule, VerifyError};
use std::sync::Arc;

fn names(prefix: &str, n: usize) -> Vec<PyStr> {
    (0..n)
        .map(|i| PyStr::from(format!("{prefix}{i}").as_str()))
        .collect()
}

/// A function-like code object with 2 locals, 2 names, 2 constants and one
/// cell, whose wordcode is `ops` (with EXTENDED_ARG prefixes added for wide
/// arguments).
fn code(ops: &[(Opcode, u32)], stacksize: u32) -> CodeObject {
    let mut bytes = Vec::new();
    for &(op, arg) in ops {
        for shift in [24, 16, 8] {
            if arg >> shift != 0 {
                bytes.extend([ExtendedArg as u8, (arg >> shift) as u8]);
            }
        }
        bytes.extend([op as u8, arg as u8]);
    }
    raw(bytes, stacksize)
}

fn raw(bytes: Vec<u8>, stacksize: u32) -> CodeObject {
    CodeObject {
        argcount: 1,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals: 2,
        stacksize,
        flags: flags::OPTIMIZED | flags::NEWLOCALS,
        code: bytes.into(),
        consts: vec![Constant::None, Constant::Int(7.into())],
        names: names("n", 2),
        varnames: names("v", 2),
        freevars: Vec::new(),
        cellvars: names("c", 1),
        filename: PyStr::from("t.py"),
        name: PyStr::from("f"),
        firstlineno: 3,
        lnotab: Vec::new().into(),
    }
}

fn reject(c: &CodeObject) -> VerifyError {
    match verify_code(c) {
        Ok(_) => panic!("accepted ill-formed code {:?}", c.code),
        Err(e) => e,
    }
}

/// Asserts the rejection's rule, offset and opcode.
fn expect(ops: &[(Opcode, u32)], stacksize: u32, offset: u32, op: Opcode, rule: Rule) {
    let e = reject(&code(ops, stacksize));
    assert_eq!(e.rule, rule, "{e}");
    assert_eq!(e.offset, Some(offset), "{e}");
    assert_eq!(e.opcode, Some(op), "{e}");
}

const RET_NONE: [(Opcode, u32); 2] = [(LoadConst, 0), (ReturnValue, 0)];

fn with_ret(ops: &[(Opcode, u32)]) -> Vec<(Opcode, u32)> {
    let mut v = ops.to_vec();
    v.extend(RET_NONE);
    v
}

#[test]
fn well_formed_code_is_accepted() {
    let ok = code(
        &with_ret(&[
            (LoadFast, 0),
            (LoadConst, 1),
            (BinaryAdd, 0),
            (StoreFast, 1),
            (LoadDeref, 0),
            (PopTop, 0),
        ]),
        2,
    );
    let v = verify_code(&ok).expect("accepted");
    assert_eq!(v.states.len(), 8);
}

#[test]
fn const_index_out_of_range() {
    expect(
        &[(LoadConst, 2), (ReturnValue, 0)],
        1,
        0,
        LoadConst,
        Rule::IndexOutOfRange {
            table: "co_consts",
            index: 2,
            len: 2,
        },
    );
}

#[test]
fn name_index_out_of_range() {
    expect(
        &with_ret(&[(LoadGlobal, 5), (PopTop, 0)]),
        1,
        0,
        LoadGlobal,
        Rule::IndexOutOfRange {
            table: "co_names",
            index: 5,
            len: 2,
        },
    );
}

#[test]
fn local_index_out_of_range() {
    expect(
        &with_ret(&[(LoadConst, 0), (StoreFast, 2)]),
        1,
        2,
        StoreFast,
        Rule::IndexOutOfRange {
            table: "co_varnames",
            index: 2,
            len: 2,
        },
    );
}

#[test]
fn cell_index_out_of_range() {
    expect(
        &with_ret(&[(LoadDeref, 1), (PopTop, 0)]),
        1,
        0,
        LoadDeref,
        Rule::IndexOutOfRange {
            table: "cells (co_cellvars + co_freevars)",
            index: 1,
            len: 1,
        },
    );
}

#[test]
fn wide_index_out_of_range_reports_the_opcode_offset() {
    // Two EXTENDED_ARG prefixes, so the LOAD_CONST sits at offset 4.
    expect(
        &[(LoadConst, 0x10000), (ReturnValue, 0)],
        1,
        4,
        LoadConst,
        Rule::IndexOutOfRange {
            table: "co_consts",
            index: 0x10000,
            len: 2,
        },
    );
}

#[test]
fn compare_op_argument_out_of_range() {
    expect(
        &with_ret(&[(LoadFast, 0), (LoadFast, 0), (CompareOp, 6), (PopTop, 0)]),
        2,
        4,
        CompareOp,
        Rule::BadArgument {
            arg: 6,
            expected: "a COMPARE_OP index 0..=5",
        },
    );
}

#[test]
fn is_op_argument_not_a_flag() {
    expect(
        &with_ret(&[(LoadFast, 0), (LoadFast, 0), (IsOp, 2), (PopTop, 0)]),
        2,
        4,
        IsOp,
        Rule::BadArgument {
            arg: 2,
            expected: "0 or 1 (invert)",
        },
    );
}

#[test]
fn raise_varargs_with_three_operands() {
    expect(
        &[
            (LoadConst, 0),
            (LoadConst, 0),
            (LoadConst, 0),
            (RaiseVarargs, 3),
        ],
        3,
        6,
        RaiseVarargs,
        Rule::BadArgument {
            arg: 3,
            expected: "RAISE_VARARGS count 0..=2",
        },
    );
}

#[test]
fn build_slice_of_one() {
    expect(
        &with_ret(&[(LoadConst, 0), (BuildSlice, 1), (PopTop, 0)]),
        1,
        2,
        BuildSlice,
        Rule::BadArgument {
            arg: 1,
            expected: "BUILD_SLICE count 2 or 3",
        },
    );
}

#[test]
fn make_function_unknown_flag() {
    expect(
        &with_ret(&[
            (LoadConst, 0),
            (LoadConst, 0),
            (MakeFunction, 0x10),
            (PopTop, 0),
        ]),
        2,
        4,
        MakeFunction,
        Rule::BadArgument {
            arg: 0x10,
            expected: "MAKE_FUNCTION flags 0..=0x0F",
        },
    );
}

#[test]
fn list_append_at_depth_zero() {
    expect(
        &with_ret(&[(BuildList, 0), (LoadConst, 0), (ListAppend, 0), (PopTop, 0)]),
        2,
        4,
        ListAppend,
        Rule::BadArgument {
            arg: 0,
            expected: "a stack depth of at least 1",
        },
    );
}

#[test]
fn format_value_bad_flags() {
    expect(
        &with_ret(&[(LoadConst, 0), (FormatValue, 8), (PopTop, 0)]),
        1,
        2,
        FormatValue,
        Rule::BadArgument {
            arg: 8,
            expected: "FORMAT_VALUE flags 0..=7",
        },
    );
}

#[test]
fn jump_into_the_middle_of_an_instruction_prefix() {
    // The LOAD_CONST with a wide argument starts at 2 (its EXTENDED_ARG);
    // offset 4 is not an instruction start.
    expect(
        &[(JumpAbsolute, 4), (LoadConst, 0x100), (ReturnValue, 0)],
        1,
        0,
        JumpAbsolute,
        Rule::BadJumpTarget { target: 4 },
    );
}

#[test]
fn jump_past_the_end() {
    expect(
        &[(JumpForward, 100), (LoadConst, 0), (ReturnValue, 0)],
        1,
        0,
        JumpForward,
        Rule::BadJumpTarget { target: 102 },
    );
}

#[test]
fn odd_jump_target() {
    expect(
        &[(PopJumpIfFalse, 3), (LoadConst, 0), (ReturnValue, 0)],
        1,
        0,
        PopJumpIfFalse,
        Rule::BadJumpTarget { target: 3 },
    );
}

#[test]
fn pop_on_empty_stack() {
    expect(
        &with_ret(&[(PopTop, 0)]),
        1,
        0,
        PopTop,
        Rule::StackUnderflow { needs: 1, depth: 0 },
    );
}

#[test]
fn binary_op_with_one_operand() {
    expect(
        &with_ret(&[(LoadConst, 1), (BinaryAdd, 0)]),
        2,
        2,
        BinaryAdd,
        Rule::StackUnderflow { needs: 2, depth: 1 },
    );
}

#[test]
fn call_with_missing_arguments() {
    expect(
        &with_ret(&[
            (LoadGlobal, 0),
            (LoadConst, 0),
            (CallFunction, 2),
            (PopTop, 0),
        ]),
        3,
        4,
        CallFunction,
        Rule::StackUnderflow { needs: 3, depth: 2 },
    );
}

#[test]
fn rot_three_on_two_values() {
    expect(
        &with_ret(&[(LoadConst, 0), (LoadConst, 0), (RotThree, 0)]),
        2,
        4,
        RotThree,
        Rule::StackUnderflow { needs: 3, depth: 2 },
    );
}

#[test]
fn depth_above_stacksize() {
    expect(
        &with_ret(&[(LoadConst, 0), (LoadConst, 0), (BuildTuple, 2), (PopTop, 0)]),
        1,
        2,
        LoadConst,
        Rule::StackOverflow {
            depth: 2,
            stacksize: 1,
        },
    );
}

#[test]
fn unbalanced_merge() {
    // Both arms reach offset 10: one pushed a value, the other did not.
    let ops = [
        (LoadFast, 0),        // 0
        (PopJumpIfFalse, 10), // 2
        (LoadConst, 0),       // 4
        (LoadConst, 0),       // 6
        (PopTop, 0),          // 8
        (LoadConst, 0),       // 10
        (ReturnValue, 0),     // 12
    ];
    let e = reject(&code(&ops, 3));
    assert_eq!(e.offset, Some(10), "{e}");
    assert!(
        matches!(e.rule, Rule::DepthMismatch { .. }),
        "{e}: expected a depth mismatch"
    );
}

#[test]
fn loop_that_grows_the_stack() {
    let e = reject(&code(&[(LoadConst, 0), (JumpAbsolute, 0)], 4));
    assert_eq!(
        e.rule,
        Rule::DepthMismatch {
            first: 0,
            second: 1
        },
        "{e}"
    );
    assert_eq!(e.offset, Some(0));
}

#[test]
fn return_with_extra_values() {
    expect(
        &[(LoadConst, 0), (LoadConst, 0), (ReturnValue, 0)],
        2,
        4,
        ReturnValue,
        Rule::ReturnNotClean {
            depth: 2,
            blocks: 0,
        },
    );
}

#[test]
fn return_inside_an_open_block() {
    expect(
        &[
            (SetupFinally, 4),
            (LoadConst, 0),
            (ReturnValue, 0),
            (Reraise, 0),
        ],
        7,
        4,
        ReturnValue,
        Rule::ReturnNotClean {
            depth: 1,
            blocks: 1,
        },
    );
}

#[test]
fn pop_block_without_setup() {
    expect(
        &with_ret(&[(PopBlock, 0)]),
        1,
        0,
        PopBlock,
        Rule::PopBlockWithoutSetup("no blocks".into()),
    );
}

#[test]
fn pop_except_outside_a_handler() {
    expect(
        &with_ret(&[
            (LoadConst, 0),
            (LoadConst, 0),
            (LoadConst, 0),
            (PopExcept, 0),
        ]),
        3,
        6,
        PopExcept,
        Rule::PopExceptOutsideHandler("no blocks".into()),
    );
}

#[test]
fn pop_except_with_extra_values() {
    // The handler at 6 is entered with 6 values and pops 3; two more are
    // pushed before POP_EXCEPT (one is allowed: a rotated return value).
    let ops = [
        (SetupFinally, 4), // 0 -> handler 6
        (PopBlock, 0),     // 2
        (JumpForward, 16), // 4 -> 22
        (PopTop, 0),       // 6 handler: depth 6
        (PopTop, 0),       // 8
        (PopTop, 0),       // 10: depth 3
        (LoadConst, 0),    // 12: depth 4
        (LoadConst, 0),    // 14: depth 5
        (PopExcept, 0),    // 16
        (JumpForward, 2),  // 18 -> 22
        (Nop, 0),          // 20
        (LoadConst, 0),    // 22
        (ReturnValue, 0),  // 24
    ];
    expect(
        &ops,
        7,
        16,
        PopExcept,
        Rule::PopExceptDepth { depth: 5, level: 0 },
    );
}

#[test]
fn popping_below_the_block_level() {
    expect(
        &[
            (LoadConst, 0),    // 0
            (SetupFinally, 6), // 2 -> 10, level 1
            (PopTop, 0),       // 4: below level 1
            (PopBlock, 0),     // 6
            (LoadConst, 0),    // 8
            (ReturnValue, 0),  // 10
        ],
        8,
        4,
        PopTop,
        Rule::BelowBlockLevel { depth: 0, level: 1 },
    );
}

#[test]
fn block_stacks_differ_at_a_merge() {
    let ops = [
        (LoadFast, 0),       // 0
        (PopJumpIfFalse, 8), // 2
        (SetupFinally, 10),  // 4 -> 16
        (Nop, 0),            // 6
        (Nop, 0),            // 8: reached with and without the block
        (PopBlock, 0),       // 10
        (LoadConst, 0),      // 12
        (ReturnValue, 0),    // 14
        (Reraise, 0),        // 16
    ];
    let e = reject(&code(&ops, 7));
    assert!(matches!(e.rule, Rule::BlockMismatch { .. }), "{e}");
}

#[test]
fn too_many_nested_blocks() {
    // 21 SETUP_FINALLYs at offsets 0..=40, each with its own RERAISE
    // handler after the return at 42..=44, so that no merge disagrees first.
    let mut ops: Vec<(Opcode, u32)> = (0..21u32)
        .map(|i| (SetupFinally, 46 + 2 * i - (2 * i + 2)))
        .collect();
    ops.extend(RET_NONE);
    ops.extend((0..21).map(|_| (Reraise, 0)));
    let e = reject(&code(&ops, 8));
    assert_eq!(e.rule, Rule::TooManyBlocks, "{e}");
    assert_eq!(e.offset, Some(40));
}

#[test]
fn falls_off_the_end() {
    expect(
        &[(LoadConst, 0), (PopTop, 0)],
        1,
        2,
        PopTop,
        Rule::FallsOffEnd,
    );
}

#[test]
fn conditional_branch_falls_off_the_end() {
    expect(
        &[(LoadConst, 0), (PopJumpIfFalse, 0)],
        1,
        2,
        PopJumpIfFalse,
        Rule::FallsOffEnd,
    );
}

#[test]
fn unknown_opcode() {
    let e = reject(&raw(vec![100, 0, 7, 0, 83, 0], 1));
    assert_eq!(
        e.rule,
        Rule::Decode(DecodeError::UnknownOpcode {
            opcode: 7,
            offset: 2
        })
    );
    assert_eq!(e.offset, Some(2));
}

#[test]
fn extended_arg_at_the_end() {
    let e = reject(&raw(vec![100, 0, 83, 0, 144, 1], 1));
    assert_eq!(
        e.rule,
        Rule::Decode(DecodeError::DanglingExtendedArg { offset: 4 })
    );
}

#[test]
fn extended_arg_before_an_opcode_without_argument() {
    let e = reject(&raw(vec![100, 0, 144, 1, 83, 0], 1));
    assert_eq!(
        e.rule,
        Rule::Decode(DecodeError::DanglingExtendedArg { offset: 2 })
    );
}

#[test]
fn four_extended_args() {
    let e = reject(&raw(vec![144, 0, 144, 0, 144, 0, 144, 0, 100, 0, 83, 0], 1));
    assert_eq!(
        e.rule,
        Rule::Decode(DecodeError::TooManyExtendedArgs { offset: 8 })
    );
}

#[test]
fn argument_byte_on_a_no_argument_opcode() {
    let e = reject(&raw(vec![100, 0, 83, 5], 1));
    assert_eq!(
        e.rule,
        Rule::Decode(DecodeError::ArgumentOnNoArgOpcode {
            opcode: ReturnValue,
            offset: 2,
            arg: 5
        })
    );
}

#[test]
fn odd_length_and_empty_code() {
    assert_eq!(
        reject(&raw(vec![100, 0, 83], 1)).rule,
        Rule::Decode(DecodeError::OddLength(3))
    );
    assert_eq!(
        reject(&raw(Vec::new(), 1)).rule,
        Rule::Decode(DecodeError::Empty)
    );
}

#[test]
fn header_rules() {
    let mut c = code(&RET_NONE, 1);
    c.nlocals = 3;
    assert_eq!(
        reject(&c).rule,
        Rule::NlocalsMismatch {
            nlocals: 3,
            varnames: 2
        }
    );
    let mut c = code(&RET_NONE, 1);
    c.argcount = 2;
    c.flags |= flags::VARARGS;
    assert_eq!(
        reject(&c).rule,
        Rule::TooManyParameters {
            params: 3,
            nlocals: 2
        }
    );
    let mut c = code(&RET_NONE, 1);
    c.posonlyargcount = 2;
    assert_eq!(
        reject(&c).rule,
        Rule::PosonlyAboveArgcount {
            posonly: 2,
            argcount: 1
        }
    );
    let mut c = code(&RET_NONE, 1);
    c.stacksize = u32::MAX;
    assert_eq!(reject(&c).rule, Rule::StacksizeTooLarge(u32::MAX));
    let mut c = code(&RET_NONE, 1);
    c.lnotab = vec![2u8].into();
    assert_eq!(reject(&c).rule, Rule::OddLnotab(1));
}

#[test]
fn nested_code_objects_are_verified_and_named() {
    let mut inner = code(&[(PopTop, 0)], 1);
    inner.name = PyStr::from("inner");
    let mut outer = code(&RET_NONE, 1);
    outer.consts.push(Constant::Code(Arc::new(inner)));
    let e = verify(&Arc::new(outer)).expect_err("inner code is ill-formed");
    assert_eq!(e.code_name, "inner");
    assert_eq!(e.rule, Rule::StackUnderflow { needs: 1, depth: 0 });
    assert_eq!(
        e.to_string(),
        "code object inner (file \"t.py\", line 3) at offset 0 (POP_TOP): \
         stack underflow: needs 1 values, stack depth is 0"
    );
}
