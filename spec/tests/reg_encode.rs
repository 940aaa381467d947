//! The encoding of register code (16-bit instruction stream and origin
//! table): hand-built round trips of every register opcode kind, keep
//! lists and origins, exact sizes of common instructions, errors, and
//! properties (random well-formed lists round-trip; arbitrary words and
//! origin bytes never make the decoders panic, and whatever decodes
//! re-encodes to the same words or bytes).

use proptest::prelude::*;
use pyreg_spec::opcode::{Opcode, OPCODES};
use pyreg_spec::reg::{liftable, shape, Reg, RegInstr, RegOp, Rk, DISCARD};
use pyreg_spec::reg_encode::{
    code_bytes, decode, decode_origins, decode_with_origins, encode, encode_origins,
    encode_with_origins, op_byte, op_from_byte, origin_bytes, DecodeError, EncodeError,
    KEEP_PREFIX,
};

fn ri(op: RegOp, arg: u32, outs: &[Reg], ins: &[Rk], target: u32, origin: u32) -> RegInstr {
    RegInstr {
        op,
        arg,
        test: None,
        outs: outs.to_vec(),
        ins: ins.to_vec(),
        target,
        origin,
        keep: Vec::new(),
    }
}

fn apply(o: Opcode, arg: u32, outs: &[Reg], ins: &[Rk], origin: u32) -> RegInstr {
    ri(RegOp::Apply(o), arg, outs, ins, 0, origin)
}

/// A `COMPARE_BRANCH_IF_TRUE`/`_FALSE` with comparison `test` `arg`.
fn cmp_br(jump_if: bool, test: Opcode, arg: u32, ins: &[Rk], target: u32) -> RegInstr {
    let mut i = ri(RegOp::CompareBranch(jump_if), arg, &[], ins, target, 0);
    i.test = Some(test);
    i
}

fn kept(mut i: RegInstr, keep: &[u16]) -> RegInstr {
    i.keep = keep.to_vec();
    i
}

fn r(n: Reg) -> Rk {
    Rk::Reg(n)
}

fn k(n: u16) -> Rk {
    Rk::Const(n)
}

/// The instructions with every origin 0.
fn without_origins(instrs: &[RegInstr]) -> Vec<RegInstr> {
    instrs
        .iter()
        .cloned()
        .map(|mut i| {
            i.origin = 0;
            i
        })
        .collect()
}

/// Encodes, checks the round trip of the stream alone and with the origin
/// table, and returns the words.
fn round_trip(instrs: &[RegInstr]) -> Vec<u16> {
    let words = encode(instrs).unwrap_or_else(|e| panic!("encode failed: {e}"));
    let origins = encode_origins(instrs);
    let back = decode(&words).unwrap_or_else(|e| panic!("decode failed: {e}"));
    assert_eq!(back, without_origins(instrs), "round trip of {words:04x?}");
    let full = decode_with_origins(&words, &origins).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(full, instrs, "round trip of {words:04x?} + {origins:02x?}");
    assert_eq!(
        encode_with_origins(instrs),
        Ok((words.clone(), origins.clone()))
    );
    assert_eq!(code_bytes(instrs), Ok(2 * words.len()));
    assert_eq!(origin_bytes(instrs), origins.len());
    words
}

fn words_of(i: RegInstr) -> usize {
    round_trip(&[i]).len()
}

const ALL_NATIVE: [RegOp; 14] = pyreg_spec::reg::NATIVE_OPS;

/// The ten comparisons a `COMPARE_BRANCH_*` may carry.
fn comparisons() -> Vec<(Opcode, u32)> {
    (0..6)
        .map(|a| (Opcode::CompareOp, a))
        .chain((0..2).map(|a| (Opcode::IsOp, a)))
        .chain((0..2).map(|a| (Opcode::ContainsOp, a)))
        .collect()
}

#[test]
fn opcode_bytes_are_a_bijection() {
    let mut seen = std::collections::HashSet::new();
    let all = OPCODES
        .iter()
        .map(|row| RegOp::Apply(row.opcode))
        .chain(ALL_NATIVE);
    for op in all {
        let b = op_byte(op);
        assert!(seen.insert(b), "{} shares byte {b:#x}", op.name());
        assert_eq!(op_from_byte(b), Some(op));
    }
    for b in 0..=255u8 {
        if let Some(op) = op_from_byte(b) {
            assert_eq!(op_byte(op), b);
        }
    }
    assert_eq!(op_from_byte(KEEP_PREFIX), None);
}

#[test]
fn every_register_opcode_kind_round_trips() {
    use Opcode::*;
    let call_args: Vec<Rk> = vec![r(4), r(0), k(1), r(200), k(126), r(3)];
    let tuple_items: Vec<Rk> = (0..300u16)
        .map(|i| if i % 3 == 0 { k(i * 7) } else { r(i * 13) })
        .collect();
    let mut instrs = vec![
        apply(BinaryAdd, 0, &[2], &[r(0), k(1)], 2),
        kept(apply(CallFunction, 5, &[5], &call_args, 9), &[0, 5]),
        kept(
            apply(BuildTuple, 300, &[DISCARD], &tuple_items, 310),
            &[1, 254, 255, 299],
        ),
        apply(UnpackSequence, 3, &[7, 6, 5], &[r(8)], 311),
        apply(LoadMethod, 7, &[9, 10], &[r(1)], 312),
        apply(RaiseVarargs, 0, &[], &[], 313),
        apply(RaiseVarargs, 2, &[], &[r(1), k(3)], 314),
        apply(LoadGlobal, 0x1234_5678, &[40000], &[], 315),
        kept(
            apply(StoreSubscr, 0, &[], &[r(1), r(2), k(60000)], 316),
            &[1],
        ),
        apply(LoadName, 13, &[13], &[], 316),
        apply(StoreName, 14, &[], &[r(13)], 316),
        ri(RegOp::Move, 0, &[3], &[k(0)], 0, 317),
        ri(RegOp::Delete, 0, &[40000], &[], 0, 318),
        ri(RegOp::Jump, 0, &[], &[], 5, 319),
        ri(RegOp::Branch(true), 0, &[], &[r(4)], 1000, 320),
        ri(RegOp::Branch(false), 0, &[], &[k(3)], 0x1234_5678, 321),
        ri(RegOp::ExcMatchBranch, 0, &[], &[r(5), r(6)], 70000, 43),
        kept(ri(RegOp::ForIter, 0, &[11], &[r(12)], 254, 44), &[0]),
        ri(RegOp::Return, 0, &[], &[k(0)], 0, 45),
        ri(RegOp::Yield, 0, &[DISCARD], &[r(1)], 0, 46),
        ri(RegOp::YieldFrom, 0, &[2], &[r(3), r(4)], 0, 0x8765_4321),
        ri(
            RegOp::PopExcept,
            0,
            &[],
            &[r(10), r(11), r(12)],
            0,
            0x8765_4321,
        ),
        ri(RegOp::Reraise, 0, &[], &[r(300), r(301), r(302)], 0, 7),
    ];
    for (n, (test, arg)) in comparisons().into_iter().enumerate() {
        let mut c = cmp_br(n % 2 == 0, test, arg, &[r(1), k(2)], 17 + n as u32);
        c.origin = 50 + n as u32;
        instrs.push(c);
    }
    for (n, op) in ALL_NATIVE.iter().enumerate() {
        assert!(
            instrs.iter().any(|i| i.op == *op),
            "native opcode {n} ({}) is not covered",
            op.name()
        );
    }
    round_trip(&instrs);
    for i in &instrs {
        round_trip(std::slice::from_ref(i));
    }
}

#[test]
fn large_values_round_trip() {
    use Opcode::*;
    let regs = [0, 13, 14, 127, 128, 253, 254, 255, 40000, 65534, DISCARD];
    let consts = [0, 125, 126, 127, 255, 5000, 65535];
    let mut instrs = Vec::new();
    for (n, &a) in regs.iter().enumerate() {
        let b = consts[n % consts.len()];
        instrs.push(apply(BinarySubtract, 0, &[a], &[r(a), k(b)], n as u32));
        instrs.push(ri(RegOp::Move, 0, &[a], &[k(b)], 0, n as u32));
    }
    for arg in [0, 1, 13, 14, 255, 256, 65535, 65536, 0x1234_5678, u32::MAX] {
        instrs.push(apply(LoadAttr, arg, &[1], &[r(2)], 100));
    }
    for target in [0, 253, 254, 255, 65535, 65536, 0x1234_5678, u32::MAX] {
        instrs.push(ri(RegOp::Jump, 0, &[], &[], target, 100));
    }
    let items: Vec<Rk> = (0..600).map(r).collect();
    for keep in [
        vec![0],
        vec![254],
        vec![255],
        vec![0, 599],
        vec![256, 257, 598],
    ] {
        instrs.push(kept(apply(BuildList, 600, &[3], &items, 100), &keep));
    }
    for origin in [
        100,
        114,
        115,
        129,
        65_665,
        65_666,
        5,
        0,
        u32::MAX,
        u32::MAX,
        u32::MAX - 3,
        1,
    ] {
        instrs.push(ri(RegOp::Return, 0, &[], &[r(0)], 0, origin));
    }
    round_trip(&instrs);
}

#[test]
fn common_instructions_are_compact() {
    use Opcode::*;
    assert_eq!(words_of(apply(RaiseVarargs, 0, &[], &[], 0)), 1);
    assert_eq!(words_of(apply(LoadName, 2, &[3], &[], 0)), 1);
    assert_eq!(words_of(apply(LoadGlobal, 2, &[5], &[], 1)), 1);
    assert_eq!(words_of(ri(RegOp::Return, 0, &[], &[r(1)], 0, 3)), 1);
    assert_eq!(words_of(ri(RegOp::Jump, 0, &[], &[], 40, 1)), 1);
    assert_eq!(words_of(ri(RegOp::Move, 0, &[3], &[k(0)], 0, 1)), 2);
    assert_eq!(words_of(apply(StoreName, 1, &[], &[r(0)], 1)), 2);
    assert_eq!(words_of(apply(GetIter, 0, &[5], &[r(5)], 1)), 2);
    assert_eq!(words_of(apply(LoadAttr, 3, &[4], &[r(1)], 2)), 2);
    assert_eq!(words_of(apply(BinaryAdd, 0, &[2], &[r(0), k(1)], 3)), 2);
    assert_eq!(words_of(apply(CallFunction, 1, &[5], &[r(5), r(0)], 4)), 2);
    assert_eq!(words_of(apply(LoadMethod, 1, &[4, 5], &[r(4)], 4)), 2);
    assert_eq!(words_of(ri(RegOp::ForIter, 0, &[2], &[r(3)], 9, 4)), 2);
    assert_eq!(
        words_of(apply(CallFunction, 2, &[5], &[r(5), r(0), k(1)], 4)),
        3
    );
    assert_eq!(
        words_of(apply(CallMethod, 1, &[3], &[r(3), r(4), r(0)], 4)),
        3
    );
    let cmp = cmp_br(false, CompareOp, 2, &[r(6), k(0)], 9);
    assert_eq!(words_of(cmp), 3);
    // Escapes cost one word each (two for wide arguments and targets).
    assert_eq!(words_of(apply(LoadName, 14, &[3], &[], 0)), 2);
    assert_eq!(words_of(apply(LoadName, 65536, &[3], &[], 0)), 3);
    assert_eq!(words_of(apply(LoadName, 2, &[14], &[], 0)), 2);
    assert_eq!(words_of(apply(LoadName, 2, &[DISCARD], &[], 0)), 1);
    assert_eq!(words_of(apply(BinaryAdd, 0, &[300], &[r(0), k(1)], 3)), 3);
    assert_eq!(words_of(apply(BinaryAdd, 0, &[2], &[r(0), k(126)], 3)), 3);
    assert_eq!(words_of(ri(RegOp::Jump, 0, &[], &[], 254, 0)), 2);
    assert_eq!(words_of(ri(RegOp::Jump, 0, &[], &[], 70000, 0)), 3);
    // Origins are not in the instruction stream.
    assert_eq!(
        words_of(apply(BinaryAdd, 0, &[2], &[r(0), k(1)], u32::MAX)),
        2
    );
}

#[test]
fn keep_lists_cost_a_prefix_word_each() {
    use Opcode::*;
    let call = apply(CallFunction, 1, &[5], &[r(5), r(6)], 4);
    assert_eq!(words_of(call.clone()), 2);
    assert_eq!(words_of(kept(call.clone(), &[0])), 3);
    assert_eq!(words_of(kept(call, &[0, 1])), 4);
    let items: Vec<Rk> = (0..300).map(r).collect();
    let build = apply(BuildTuple, 300, &[3], &items, 0);
    let plain = words_of(build.clone());
    assert_eq!(words_of(kept(build.clone(), &[254])), plain + 1);
    assert_eq!(words_of(kept(build, &[255])), plain + 2);
    let words = encode(&[kept(ri(RegOp::Return, 0, &[], &[r(9)], 0, 0), &[0])]).expect("encodes");
    assert_eq!(words[0], u16::from(KEEP_PREFIX));
}

#[test]
fn origin_table_takes_a_nibble_per_small_step() {
    let at = |origins: &[u32]| -> Vec<RegInstr> {
        origins
            .iter()
            .map(|&o| ri(RegOp::Return, 0, &[], &[r(0)], 0, o))
            .collect()
    };
    assert_eq!(origin_bytes(&[]), 0);
    assert_eq!(encode_origins(&at(&[0])), vec![0x00]);
    assert_eq!(encode_origins(&at(&[1, 3])), vec![0x21]);
    assert_eq!(encode_origins(&at(&[1, 3, 17])), vec![0x21, 0x0E]);
    // A backward step or a step over 14: the absolute origin in 8 nibbles.
    assert_eq!(
        encode_origins(&at(&[2, 1])),
        vec![0xF2, 0x01, 0x00, 0x00, 0x00]
    );
    assert_eq!(
        encode_origins(&at(&[15])),
        vec![0xFF, 0x00, 0x00, 0x00, 0x00]
    );
    assert_eq!(
        encode_origins(&at(&[0x1234_5678])),
        vec![0x8F, 0x67, 0x45, 0x23, 0x01]
    );
    let many = at(&(0..1000).map(|i| i * 2).collect::<Vec<_>>());
    assert_eq!(origin_bytes(&many), 500);
    round_trip(&many);
    assert_eq!(decode_origins(&[], 0), Ok(vec![]));
}

/// A loop whose stack code is 21 instructions (42 bytes):
///
/// ```python
/// def f(n):
///     total = 0
///     for i in range(n):
///         if i % 3 == 0:
///             total += i
///     return total
/// ```
///
/// Locals `n` = r0, `total` = r1, `i` = r2; temporaries from r3; constants
/// `k0` = 0, `k1` = 3; the origins are the stack instruction indices.
#[test]
fn a_loop_is_within_the_size_budget() {
    use Opcode::*;
    let mut cmp = cmp_br(false, CompareOp, 2, &[r(4), k(0)], 4);
    cmp.origin = 12;
    let instrs = vec![
        ri(RegOp::Move, 0, &[1], &[k(0)], 0, 1),
        apply(LoadGlobal, 0, &[3], &[], 2),
        apply(CallFunction, 1, &[3], &[r(3), r(0)], 4),
        apply(GetIter, 0, &[3], &[r(3)], 5),
        kept(ri(RegOp::ForIter, 0, &[2], &[r(3)], 9, 6), &[0]),
        apply(BinaryModulo, 0, &[4], &[r(2), k(1)], 10),
        cmp,
        apply(InplaceAdd, 0, &[1], &[r(1), r(2)], 16),
        ri(RegOp::Jump, 0, &[], &[], 4, 18),
        ri(RegOp::Return, 0, &[], &[r(1)], 0, 20),
    ];
    round_trip(&instrs);
    let bytes = code_bytes(&instrs).expect("encodes");
    let stack_bytes = 2 * 21;
    assert!(
        bytes * 10 <= stack_bytes * 13,
        "{bytes} bytes of register code for {stack_bytes} bytes of stack code"
    );
    assert_eq!(bytes, 2 * 19);
}

/// Whether an error is the expected one.
type EncodeCheck = fn(&EncodeError) -> bool;
/// Whether an error is the expected one.
type DecodeCheck = fn(&DecodeError) -> bool;

#[test]
fn encode_rejects_ill_formed_instructions() {
    use Opcode::*;
    let cases: Vec<(RegInstr, EncodeCheck)> = vec![
        (apply(LoadFast, 0, &[1], &[], 0), |e| {
            matches!(e, EncodeError::NoShape { .. })
        }),
        (apply(BinaryAdd, 0, &[1], &[r(0)], 0), |e| {
            matches!(e, EncodeError::OperandCount { what: "inputs", .. })
        }),
        (apply(BinaryAdd, 0, &[], &[r(0), r(1)], 0), |e| {
            matches!(
                e,
                EncodeError::OperandCount {
                    what: "outputs",
                    ..
                }
            )
        }),
        (apply(BuildTuple, 0x1234_5678, &[1], &[], 0), |e| {
            matches!(e, EncodeError::OperandCount { .. })
        }),
        (ri(RegOp::ForIter, 0, &[1], &[k(0)], 3, 0), |e| {
            matches!(e, EncodeError::ConstInput { position: 0, .. })
        }),
        (ri(RegOp::Move, 0, &[1], &[r(0)], 3, 0), |e| {
            matches!(e, EncodeError::StrayTarget { target: 3, .. })
        }),
        (apply(BinaryAdd, 1, &[1], &[r(0), r(1)], 0), |e| {
            matches!(e, EncodeError::StrayArgument { arg: 1, .. })
        }),
        (ri(RegOp::Jump, 2, &[], &[], 3, 0), |e| {
            matches!(e, EncodeError::StrayArgument { arg: 2, .. })
        }),
        (
            {
                let mut i = apply(CompareOp, 2, &[1], &[r(0), r(1)], 0);
                i.test = Some(CompareOp);
                i
            },
            |e| {
                matches!(
                    e,
                    EncodeError::StrayTest {
                        test: "COMPARE_OP",
                        ..
                    }
                )
            },
        ),
        (
            ri(RegOp::CompareBranch(true), 0, &[], &[r(0), r(1)], 3, 0),
            |e| matches!(e, EncodeError::BadComparison { found, .. } if found == "none"),
        ),
        (
            cmp_br(true, CompareOp, 6, &[r(0), r(1)], 3),
            |e| matches!(e, EncodeError::BadComparison { found, .. } if found == "COMPARE_OP 6"),
        ),
        (cmp_br(false, IsOp, 2, &[r(0), r(1)], 3), |e| {
            matches!(e, EncodeError::BadComparison { .. })
        }),
        (cmp_br(false, BinaryAdd, 0, &[r(0), r(1)], 3), |e| {
            matches!(e, EncodeError::BadComparison { .. })
        }),
        (
            kept(apply(BinaryAdd, 0, &[1], &[r(0), r(1)], 0), &[1, 0]),
            |e| matches!(e, EncodeError::BadKeep { position: 0, .. }),
        ),
        (
            kept(apply(BinaryAdd, 0, &[1], &[r(0), r(1)], 0), &[1, 1]),
            |e| matches!(e, EncodeError::BadKeep { position: 1, .. }),
        ),
        (
            kept(apply(BinaryAdd, 0, &[1], &[r(0), r(1)], 0), &[2]),
            |e| {
                matches!(
                    e,
                    EncodeError::BadKeep {
                        position: 2,
                        inputs: 2,
                        ..
                    }
                )
            },
        ),
    ];
    for (instr, expected) in cases {
        let list = [ri(RegOp::Return, 0, &[], &[r(0)], 0, 0), instr];
        let e = encode(&list).expect_err("ill-formed instruction encodes");
        assert!(expected(&e), "unexpected error {e:?}");
        assert!(e.to_string().starts_with("instruction 1: "), "{e}");
        assert_eq!(code_bytes(&list), Err(e));
    }
}

/// Checks that an error message names the offset [`DecodeError::offset`]
/// gives, in the right part of the encoding.
fn names_its_offset(e: &DecodeError) -> bool {
    let prefix = if e.in_origin_table() {
        format!("at origin byte {}: ", e.offset())
    } else {
        format!("at word {}: ", e.offset())
    };
    e.to_string().starts_with(&prefix)
}

/// One malformed input per decode error kind of the instruction stream:
/// each message names the word offset that [`DecodeError::offset`] gives.
#[test]
fn every_decode_error_names_its_offset() {
    use Opcode::*;
    let ret = encode(&[ri(RegOp::Return, 0, &[], &[r(0)], 0, 0)]).expect("encodes");
    assert_eq!(ret.len(), 1);
    let add = encode(&[apply(BinaryAdd, 0, &[2], &[r(0), k(1)], 0)]).expect("encodes");
    assert_eq!(add.len(), 2);
    let with = |prefix: &[u16], tail: &[u16]| [prefix, tail].concat();
    let head = |op: RegOp| u16::from(op_byte(op));
    let move_head = head(RegOp::Move);
    let ret_head = head(RegOp::Return);
    let jump_head = head(RegOp::Jump);
    let global_head = head(RegOp::Apply(LoadGlobal));
    let raise_head = head(RegOp::Apply(RaiseVarargs));
    let keep = u16::from(KEEP_PREFIX);
    let cases: Vec<(Vec<u16>, DecodeCheck)> = vec![
        (with(&ret, &add[..1]), |e| {
            matches!(e, DecodeError::Truncated { offset: 2, .. })
        }),
        (with(&ret, &[0x00EE]), |e| {
            matches!(
                e,
                DecodeError::UnknownOpcode {
                    offset: 1,
                    byte: 0xEE
                }
            )
        }),
        (with(&ret, &[0x00FE]), |e| {
            matches!(e, DecodeError::UnknownOpcode { offset: 1, .. })
        }),
        (with(&ret, &[0]), |e| {
            matches!(e, DecodeError::UnknownOpcode { offset: 1, byte: 0 })
        }),
        (with(&ret, &[keep]), |e| {
            matches!(
                e,
                DecodeError::Truncated {
                    offset: 2,
                    what: "instruction after keep prefix"
                }
            )
        }),
        (
            with(&ret, &[head(RegOp::CompareBranch(true)) | 10 << 8, 0, 0]),
            |e| {
                matches!(
                    e,
                    DecodeError::UnknownComparison {
                        offset: 1,
                        nibble: 10
                    }
                )
            },
        ),
        (with(&ret, &[head(RegOp::Apply(LoadFast))]), |e| {
            matches!(e, DecodeError::NoShape { offset: 1, .. })
        }),
        (
            with(&ret, &[head(RegOp::Apply(BuildTuple)) | 15 << 8, 0, 0x10]),
            |e| matches!(e, DecodeError::Truncated { offset: 4, .. }),
        ),
        (with(&ret, &[head(RegOp::ForIter) | 0x0300, 0x0801]), |e| {
            matches!(e, DecodeError::ConstInput { offset: 2, .. })
        }),
        (with(&ret, &[move_head]), |e| {
            matches!(e, DecodeError::Truncated { offset: 2, .. })
        }),
        (with(&ret, &[move_head, 0x0070]), |e| {
            matches!(
                e,
                DecodeError::BadPadding {
                    offset: 2,
                    nibble: 7
                }
            )
        }),
        (with(&ret, &[raise_head | 0x5000]), |e| {
            matches!(
                e,
                DecodeError::BadPadding {
                    offset: 1,
                    nibble: 5
                }
            )
        }),
        (with(&ret, &[global_head | 14 << 8, 5]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 2, .. })
        }),
        (with(&ret, &[global_head | 15 << 8, 5, 0]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 2, .. })
        }),
        (with(&ret, &[jump_head | 0xFE << 8, 5]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 2, .. })
        }),
        (with(&ret, &[jump_head | 0xFF << 8, 5, 0]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 2, .. })
        }),
        (with(&ret, &[move_head | 15 << 8, 0, 7]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 3, .. })
        }),
        (with(&ret, &[move_head | 15 << 8, 0, DISCARD]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 3, .. })
        }),
        (with(&ret, &[ret_head | 0xFE << 8, 5]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 2, .. })
        }),
        (with(&ret, &[ret_head | 0xFF << 8, 5]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 2, .. })
        }),
        (with(&ret, &[keep | 0xFF << 8, 7, ret_head]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 2, .. })
        }),
        (with(&ret, &[keep | 1 << 8, keep, ret_head]), |e| {
            matches!(
                e,
                DecodeError::BadKeep {
                    offset: 2,
                    position: 0
                }
            )
        }),
        (with(&ret, &[keep, keep, ret_head]), |e| {
            matches!(
                e,
                DecodeError::BadKeep {
                    offset: 2,
                    position: 0
                }
            )
        }),
        (with(&ret, &[keep, keep | 1 << 8, ret_head]), |e| {
            matches!(
                e,
                DecodeError::BadKeep {
                    offset: 2,
                    position: 1
                }
            )
        }),
        (with(&ret, &[keep, jump_head]), |e| {
            matches!(
                e,
                DecodeError::BadKeep {
                    offset: 1,
                    position: 0
                }
            )
        }),
    ];
    for (words, expected) in cases {
        let e = decode(&words).expect_err("malformed input decodes");
        assert!(expected(&e), "{words:04x?}: unexpected error {e:?}");
        assert!(!e.in_origin_table(), "{e:?}");
        assert!(names_its_offset(&e), "{e}");
        let again = decode_with_origins(&words, &[]).expect_err("malformed input decodes");
        assert_eq!(again, e);
    }
}

/// One malformed table per origin-table error kind: each message names
/// the byte offset that [`DecodeError::offset`] gives.
#[test]
fn every_origin_error_names_its_offset() {
    let cases: Vec<(Vec<u8>, usize, DecodeCheck)> = vec![
        (vec![], 1, |e| {
            matches!(e, DecodeError::OriginsTruncated { offset: 0 })
        }),
        (vec![0x21], 3, |e| {
            matches!(e, DecodeError::OriginsTruncated { offset: 1 })
        }),
        (vec![0x0F, 0, 0, 0], 1, |e| {
            matches!(e, DecodeError::OriginsTruncated { offset: 4 })
        }),
        (vec![0x5F, 0, 0, 0, 0], 1, |e| {
            matches!(e, DecodeError::OriginsNonCanonical { offset: 0 })
        }),
        (vec![0x11, 0x3F, 0, 0, 0, 0], 3, |e| {
            matches!(e, DecodeError::OriginsNonCanonical { offset: 1 })
        }),
        (vec![0x21], 1, |e| {
            matches!(e, DecodeError::OriginsTrailing { offset: 0 })
        }),
        (vec![0x21, 0x00], 2, |e| {
            matches!(e, DecodeError::OriginsTrailing { offset: 1 })
        }),
        (vec![0x00], 0, |e| {
            matches!(e, DecodeError::OriginsTrailing { offset: 0 })
        }),
        (vec![0xFF, 0xFF, 0xFF, 0xFF, 0x1F], 2, |e| {
            matches!(e, DecodeError::OriginOverflow { offset: 4 })
        }),
    ];
    for (bytes, n, expected) in cases {
        let e = decode_origins(&bytes, n).expect_err("malformed table decodes");
        assert!(expected(&e), "{bytes:02x?}: unexpected error {e:?}");
        assert!(e.in_origin_table(), "{e:?}");
        assert!(names_its_offset(&e), "{e}");
    }
    // The table must have one entry per instruction.
    let words = encode(&[ri(RegOp::Return, 0, &[], &[r(0)], 0, 0)]).expect("encodes");
    assert_eq!(
        decode_with_origins(&words, &[]),
        Err(DecodeError::OriginsTruncated { offset: 0 })
    );
    assert_eq!(
        decode_with_origins(&words, &[0x10]),
        Err(DecodeError::OriginsTrailing { offset: 0 })
    );
    assert_eq!(
        decode_with_origins(&words, &[0x03])
            .expect("decodes")
            .first()
            .map(|i| i.origin),
        Some(3)
    );
}

/// Stack opcodes with a register form, and the register-native opcodes.
fn any_op() -> impl Strategy<Value = RegOp> {
    let ops: Vec<RegOp> = OPCODES
        .iter()
        .map(|row| row.opcode)
        .filter(|o| liftable(*o))
        .map(RegOp::Apply)
        .chain(ALL_NATIVE)
        .collect();
    prop::sample::select(ops)
}

fn any_reg() -> impl Strategy<Value = Reg> {
    prop_oneof![
        4 => 0u16..20,
        2 => 0u16..140,
        1 => 0u16..300,
        1 => any::<u16>(),
        1 => Just(DISCARD),
    ]
}

fn any_rk(regs_only: bool) -> BoxedStrategy<Rk> {
    if regs_only {
        any_reg().prop_map(Rk::Reg).boxed()
    } else {
        prop_oneof![
            any_reg().prop_map(Rk::Reg),
            prop_oneof![3 => 0u16..140, 1 => any::<u16>()].prop_map(Rk::Const),
        ]
        .boxed()
    }
}

fn any_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => 0u32..20,
        2 => 0u32..300,
        1 => 0u32..70_000,
        1 => any::<u32>(),
    ]
}

/// The argument and test of an instruction of `op`.
fn any_arg(op: RegOp) -> BoxedStrategy<(u32, Option<Opcode>)> {
    match op {
        RegOp::CompareBranch(_) => prop::sample::select(comparisons())
            .prop_map(|(t, a)| (a, Some(t)))
            .boxed(),
        RegOp::Apply(o) if o.has_arg() => any_u32().prop_map(|a| (a, None)).boxed(),
        _ => Just((0, None)).boxed(),
    }
}

/// A keep list for an instruction with `n` inputs.
fn any_keep(n: usize) -> BoxedStrategy<Vec<u16>> {
    if n == 0 {
        return Just(Vec::new()).boxed();
    }
    let n = n as u16;
    prop_oneof![
        3 => Just(Vec::new()),
        2 => (0..n).prop_map(|p| vec![p]),
        1 => prop::collection::btree_set(0..n, 1..5).prop_map(|s| s.into_iter().collect()),
    ]
    .boxed()
}

/// How an instruction's origin follows the previous one.
#[derive(Clone, Debug)]
enum OriginStep {
    Forward(u32),
    Absolute(u32),
}

fn any_origin_step() -> impl Strategy<Value = OriginStep> {
    prop_oneof![
        6 => (0u32..18).prop_map(OriginStep::Forward),
        1 => (0u32..70_000).prop_map(OriginStep::Forward),
        1 => any::<u32>().prop_map(OriginStep::Absolute),
    ]
}

/// A well-formed instruction (origin 0) and its origin step.
fn any_instr() -> impl Strategy<Value = (RegInstr, OriginStep)> {
    any_op()
        .prop_flat_map(|op| (Just(op), any_arg(op)))
        .prop_filter_map("operand counts stay small", |(op, (arg, test))| {
            let small = |a| shape(op, a).filter(|s| u64::from(s.outs) + u64::from(s.ins) <= 400);
            match small(arg) {
                Some(s) => Some((op, arg, test, s)),
                None => small(arg % 8).map(|s| (op, arg % 8, test, s)),
            }
        })
        .prop_flat_map(|(op, arg, test, s)| {
            let target = if s.target {
                any_u32().boxed()
            } else {
                Just(0).boxed()
            };
            (
                prop::collection::vec(any_reg(), s.outs as usize),
                prop::collection::vec(any_rk(s.ins_are_regs), s.ins as usize),
                any_keep(s.ins as usize),
                target,
                any_origin_step(),
            )
                .prop_map(move |(outs, ins, keep, target, step)| {
                    let instr = RegInstr {
                        op,
                        arg,
                        test,
                        outs,
                        ins,
                        target,
                        origin: 0,
                        keep,
                    };
                    (instr, step)
                })
        })
}

fn any_program() -> impl Strategy<Value = Vec<RegInstr>> {
    prop::collection::vec(any_instr(), 0..40).prop_map(|v| {
        let mut prev = 0u32;
        v.into_iter()
            .map(|(mut instr, step)| {
                instr.origin = match step {
                    OriginStep::Forward(d) => prev.saturating_add(d),
                    OriginStep::Absolute(o) => o,
                };
                prev = instr.origin;
                instr
            })
            .collect()
    })
}

/// Checks that decoding never panics, and that anything that decodes is
/// the canonical encoding of what it decodes to.
fn check_decode(words: &[u16]) -> Result<(), TestCaseError> {
    match decode(words) {
        Ok(instrs) => {
            let again = encode(&instrs);
            prop_assert_eq!(again.as_deref(), Ok(words));
        }
        Err(e) => {
            prop_assert!(e.offset() <= words.len());
            prop_assert!(!e.in_origin_table());
            prop_assert!(names_its_offset(&e), "{}", e);
        }
    }
    Ok(())
}

/// The same for the origin table of `n` instructions.
fn check_decode_origins(bytes: &[u8], n: usize) -> Result<(), TestCaseError> {
    match decode_origins(bytes, n) {
        Ok(origins) => {
            prop_assert_eq!(origins.len(), n);
            let instrs: Vec<RegInstr> = origins
                .iter()
                .map(|&o| ri(RegOp::Return, 0, &[], &[r(0)], 0, o))
                .collect();
            prop_assert_eq!(encode_origins(&instrs), bytes);
        }
        Err(e) => {
            prop_assert!(e.offset() <= bytes.len());
            prop_assert!(e.in_origin_table());
            prop_assert!(names_its_offset(&e), "{}", e);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn well_formed_programs_round_trip(instrs in any_program()) {
        let (words, origins) =
            encode_with_origins(&instrs).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = decode_with_origins(&words, &origins)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &instrs);
        let stream_only = decode(&words).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(stream_only, without_origins(&instrs));
        let table = decode_origins(&origins, instrs.len())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(table, instrs.iter().map(|i| i.origin).collect::<Vec<_>>());
    }

    #[test]
    fn arbitrary_words_never_panic(words in prop::collection::vec(any::<u16>(), 0..64)) {
        check_decode(&words)?;
    }

    #[test]
    fn small_arbitrary_words_never_panic(
        words in prop::collection::vec(
            prop_oneof![
                0u16..0x100,
                0xF0u16..0x100,
                (0u16..0x100).prop_map(|w| w << 8 | 0xFF),
                any::<u16>(),
            ],
            0..24,
        )
    ) {
        check_decode(&words)?;
    }

    #[test]
    fn mutated_encodings_never_panic(
        instrs in any_program(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u16>()), 0..4),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut words = encode(&instrs).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if !words.is_empty() {
            for (at, w) in &edits {
                let i = at.index(words.len());
                words[i] = *w;
            }
            if truncate {
                words.truncate(cut.index(words.len()));
            }
        }
        check_decode(&words)?;
    }

    #[test]
    fn arbitrary_origin_tables_never_panic(
        bytes in prop::collection::vec(
            prop_oneof![3 => 0u8..0x20, 1 => any::<u8>()],
            0..24,
        ),
        n in 0usize..40,
    ) {
        check_decode_origins(&bytes, n)?;
    }

    #[test]
    fn mutated_origin_tables_never_panic(
        instrs in any_program(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
        extra in 0usize..3,
    ) {
        let mut bytes = encode_origins(&instrs);
        if !bytes.is_empty() {
            for (at, b) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *b;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
        }
        check_decode_origins(&bytes, instrs.len())?;
        check_decode_origins(&bytes, instrs.len() + extra)?;
        check_decode_origins(&bytes, instrs.len().saturating_sub(extra))?;
    }
}
