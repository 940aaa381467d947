//! The 16-bit encoding of register code: hand-built round trips of every
//! register opcode kind, exact sizes of common instructions, errors, and
//! properties (random well-shaped lists round-trip; arbitrary words never
//! make the decoder panic, and whatever decodes re-encodes to the same
//! words).

use proptest::prelude::*;
use pyreg_spec::opcode::{Opcode, OPCODES};
use pyreg_spec::reg::{liftable, shape, Reg, RegInstr, RegOp, Rk, DISCARD};
use pyreg_spec::reg_encode::{
    code_bytes, decode, encode, op_byte, op_from_byte, DecodeError, EncodeError,
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

fn r(n: Reg) -> Rk {
    Rk::Reg(n)
}

fn k(n: u16) -> Rk {
    Rk::Const(n)
}

/// Encodes, checks the round trip, and returns the words.
fn round_trip(instrs: &[RegInstr]) -> Vec<u16> {
    let words = encode(instrs).unwrap_or_else(|e| panic!("encode failed: {e}"));
    let back = decode(&words).unwrap_or_else(|e| panic!("decode failed: {e}"));
    assert_eq!(back, instrs, "round trip of {words:04x?}");
    assert_eq!(code_bytes(instrs), Ok(2 * words.len()));
    words
}

fn words_of(i: RegInstr) -> usize {
    round_trip(&[i]).len()
}

const ALL_NATIVE: [RegOp; 14] = [
    RegOp::Move,
    RegOp::Delete,
    RegOp::Jump,
    RegOp::Branch(false),
    RegOp::Branch(true),
    RegOp::CompareBranch(false),
    RegOp::CompareBranch(true),
    RegOp::ExcMatchBranch,
    RegOp::ForIter,
    RegOp::Return,
    RegOp::Yield,
    RegOp::YieldFrom,
    RegOp::PopExcept,
    RegOp::Reraise,
];

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
}

#[test]
fn every_register_opcode_kind_round_trips() {
    use Opcode::*;
    let call_args: Vec<Rk> = vec![r(4), r(0), k(1), r(200), k(126), r(3)];
    let tuple_items: Vec<Rk> = (0..300u16)
        .map(|i| if i % 3 == 0 { k(i * 7) } else { r(i * 13) })
        .collect();
    let mut cmp = ri(RegOp::CompareBranch(false), 4, &[], &[r(1), k(2)], 17, 40);
    cmp.test = Some(CompareOp);
    let mut is_br = ri(RegOp::CompareBranch(true), 1, &[], &[r(1), k(0)], 3, 41);
    is_br.test = Some(IsOp);
    let mut contains_br = ri(RegOp::CompareBranch(true), 0, &[], &[r(1), r(2)], 300, 42);
    contains_br.test = Some(ContainsOp);
    let instrs = vec![
        apply(BinaryAdd, 0, &[2], &[r(0), k(1)], 2),
        apply(CallFunction, 5, &[5], &call_args, 9),
        apply(BuildTuple, 300, &[DISCARD], &tuple_items, 310),
        apply(UnpackSequence, 3, &[7, 6, 5], &[r(8)], 311),
        apply(LoadMethod, 7, &[9, 10], &[r(1)], 312),
        apply(RaiseVarargs, 0, &[], &[], 313),
        apply(RaiseVarargs, 2, &[], &[r(1), k(3)], 314),
        apply(LoadGlobal, 0x1234_5678, &[40000], &[], 315),
        apply(StoreSubscr, 0, &[], &[r(1), r(2), k(60000)], 316),
        ri(RegOp::Move, 0, &[3], &[k(0)], 0, 317),
        ri(RegOp::Delete, 0, &[40000], &[], 0, 318),
        ri(RegOp::Jump, 0, &[], &[], 5, 319),
        ri(RegOp::Branch(true), 0, &[], &[r(4)], 1000, 320),
        ri(RegOp::Branch(false), 0, &[], &[k(3)], 0x1234_5678, 321),
        cmp,
        is_br,
        contains_br,
        ri(RegOp::ExcMatchBranch, 0, &[], &[r(5), r(6)], 70000, 43),
        ri(RegOp::ForIter, 0, &[11], &[r(12)], 254, 44),
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
    let regs = [0, 127, 128, 253, 254, 255, 40000, 65534, DISCARD];
    let consts = [0, 125, 126, 127, 255, 5000, 65535];
    let mut instrs = Vec::new();
    for (n, &a) in regs.iter().enumerate() {
        let b = consts[n % consts.len()];
        instrs.push(apply(BinarySubtract, 0, &[a], &[r(a), k(b)], n as u32));
        instrs.push(ri(RegOp::Move, 0, &[a], &[k(b)], 0, n as u32));
    }
    for arg in [0, 1, 255, 256, 65535, 65536, 0x1234_5678, u32::MAX] {
        instrs.push(apply(LoadAttr, arg, &[1], &[r(2)], 100));
    }
    for target in [0, 253, 254, 255, 65535, 65536, 0x1234_5678, u32::MAX] {
        instrs.push(ri(RegOp::Jump, 0, &[], &[], target, 100));
    }
    for origin in [
        100,
        129,
        130,
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
    assert_eq!(words_of(ri(RegOp::Return, 0, &[], &[r(1)], 0, 3)), 2);
    assert_eq!(words_of(ri(RegOp::Move, 0, &[3], &[k(0)], 0, 1)), 2);
    assert_eq!(words_of(ri(RegOp::Jump, 0, &[], &[], 40, 1)), 2);
    assert_eq!(words_of(apply(LoadGlobal, 2, &[5], &[], 1)), 2);
    assert_eq!(words_of(apply(BinaryAdd, 0, &[2], &[r(0), k(1)], 3)), 3);
    assert_eq!(words_of(apply(LoadAttr, 3, &[4], &[r(1)], 2)), 3);
    assert_eq!(words_of(apply(CallFunction, 1, &[5], &[r(5), r(0)], 4)), 3);
    let mut cmp = ri(RegOp::CompareBranch(false), 2, &[], &[r(6), k(0)], 9, 12);
    cmp.test = Some(CompareOp);
    assert_eq!(words_of(cmp), 4);
    // Escapes cost one tail word each (two for wide targets and origins).
    assert_eq!(words_of(apply(BinaryAdd, 0, &[300], &[r(0), k(1)], 3)), 4);
    assert_eq!(
        words_of(apply(BinaryAdd, 0, &[DISCARD], &[r(0), k(1)], 3)),
        3
    );
    assert_eq!(words_of(apply(BinaryAdd, 0, &[2], &[r(0), k(1)], 300)), 4);
    assert_eq!(words_of(ri(RegOp::Jump, 0, &[], &[], 70000, 0)), 4);
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
    let mut cmp = ri(RegOp::CompareBranch(false), 2, &[], &[r(4), k(0)], 4, 12);
    cmp.test = Some(CompareOp);
    let instrs = vec![
        ri(RegOp::Move, 0, &[1], &[k(0)], 0, 1),
        apply(LoadGlobal, 0, &[3], &[], 2),
        apply(CallFunction, 1, &[3], &[r(3), r(0)], 4),
        apply(GetIter, 0, &[3], &[r(3)], 5),
        ri(RegOp::ForIter, 0, &[2], &[r(3)], 9, 6),
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
}

/// Whether an error is the expected one.
type EncodeCheck = fn(&EncodeError) -> bool;
/// Whether an error is the expected one.
type DecodeCheck = fn(&DecodeError) -> bool;

#[test]
fn encode_rejects_ill_shaped_instructions() {
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
    ];
    for (instr, expected) in cases {
        let list = [ri(RegOp::Return, 0, &[], &[r(0)], 0, 0), instr];
        let e = encode(&list).expect_err("ill-shaped instruction encodes");
        assert!(expected(&e), "unexpected error {e:?}");
        assert!(e.to_string().starts_with("instruction 1: "), "{e}");
    }
}

/// One malformed input per decode error kind: each message names the word
/// offset that [`DecodeError::offset`] gives.
#[test]
fn every_decode_error_names_its_offset() {
    let ret = encode(&[ri(RegOp::Return, 0, &[], &[r(0)], 0, 0)]).expect("encodes");
    let add = encode(&[apply(Opcode::BinaryAdd, 0, &[2], &[r(0), k(1)], 0)]).expect("encodes");
    let with = |prefix: &[u16], tail: &[u16]| [prefix, tail].concat();
    let move_head = u16::from(op_byte(RegOp::Move));
    let cmp_head = u16::from(op_byte(RegOp::CompareBranch(true))) | 1 << 10;
    let ret_head = u16::from(op_byte(RegOp::Return));
    let cases: Vec<(Vec<u16>, DecodeCheck)> = vec![
        (with(&ret, &add[..add.len() - 1]), |e| {
            matches!(e, DecodeError::Truncated { offset: 4, .. })
        }),
        (with(&ret, &[0x00EE]), |e| {
            matches!(
                e,
                DecodeError::UnknownOpcode {
                    offset: 2,
                    byte: 0xEE
                }
            )
        }),
        (with(&ret, &[0x00FF]), |e| {
            matches!(e, DecodeError::UnknownOpcode { offset: 2, .. })
        }),
        (with(&ret, &[0]), |e| {
            matches!(e, DecodeError::UnknownOpcode { offset: 2, byte: 0 })
        }),
        (with(&ret, &[cmp_head, 0x0300, 0x0001]), |e| {
            matches!(e, DecodeError::UnknownTest { offset: 3, byte: 0 })
        }),
        (with(&ret, &[u16::from(Opcode::LoadFast as u8)]), |e| {
            matches!(e, DecodeError::NoShape { offset: 2, .. })
        }),
        (
            with(&ret, &[u16::from(op_byte(RegOp::ForIter)), 0x0103, 0x0080]),
            |e| matches!(e, DecodeError::ConstInput { offset: 4, .. }),
        ),
        (with(&ret, &[move_head]), |e| {
            matches!(e, DecodeError::Truncated { offset: 3, .. })
        }),
        (with(&ret, &[ret_head, 0x0700]), |e| {
            matches!(e, DecodeError::BadPadding { offset: 3, byte: 7 })
        }),
        (with(&ret, &[ret_head | 1 << 8, 0x0000]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 3, .. })
        }),
        (with(&ret, &[ret_head | 2 << 8, 0x0005, 0x0000]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 3, .. })
        }),
        (with(&ret, &[ret_head | 30 << 11, 0x0000, 4]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 4, .. })
        }),
        (with(&ret, &[ret_head | 31 << 11, 0x0000, 4, 0]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 4, .. })
        }),
        (with(&ret, &[ret_head, 0x00FE, 5]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 4, .. })
        }),
        (with(&ret, &[move_head, 0x00FE, 0xFFFF, 7]), |e| {
            matches!(e, DecodeError::NonCanonical { offset: 4, .. })
        }),
        (
            with(
                &ret,
                &[
                    ret_head | 31 << 11,
                    0,
                    0xFFFF,
                    0xFFFF,
                    ret_head | 1 << 11,
                    0,
                ],
            ),
            |e| matches!(e, DecodeError::OriginOverflow { offset: 6 }),
        ),
    ];
    for (words, expected) in cases {
        let e = decode(&words).expect_err("malformed input decodes");
        assert!(expected(&e), "{words:04x?}: unexpected error {e:?}");
        let msg = e.to_string();
        assert!(
            msg.starts_with(&format!("at word {}: ", e.offset())),
            "{msg}"
        );
    }
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

fn any_opcode() -> impl Strategy<Value = Opcode> {
    prop::sample::select(OPCODES.iter().map(|row| row.opcode).collect::<Vec<_>>())
}

fn any_reg() -> impl Strategy<Value = Reg> {
    prop_oneof![
        4 => 0u16..140,
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

/// How an instruction's origin follows the previous one.
#[derive(Clone, Debug)]
enum OriginStep {
    Forward(u32),
    Absolute(u32),
}

fn any_origin_step() -> impl Strategy<Value = OriginStep> {
    prop_oneof![
        6 => (0u32..32).prop_map(OriginStep::Forward),
        1 => (0u32..70_000).prop_map(OriginStep::Forward),
        1 => any::<u32>().prop_map(OriginStep::Absolute),
    ]
}

/// A well-shaped instruction (origin 0) and its origin step.
fn any_instr() -> impl Strategy<Value = (RegInstr, OriginStep)> {
    (any_op(), any_u32())
        .prop_filter_map("operand counts stay small", |(op, arg)| {
            let small = |a| shape(op, a).filter(|s| u64::from(s.outs) + u64::from(s.ins) <= 400);
            match small(arg) {
                Some(s) => Some((op, arg, s)),
                None => small(arg % 8).map(|s| (op, arg % 8, s)),
            }
        })
        .prop_flat_map(|(op, arg, s)| {
            let test = if matches!(op, RegOp::CompareBranch(_)) {
                prop::option::weighted(0.9, any_opcode()).boxed()
            } else {
                prop::option::weighted(0.05, any_opcode()).boxed()
            };
            let target = if s.target {
                any_u32().boxed()
            } else {
                Just(0).boxed()
            };
            (
                prop::collection::vec(any_reg(), s.outs as usize),
                prop::collection::vec(any_rk(s.ins_are_regs), s.ins as usize),
                test,
                target,
                any_origin_step(),
            )
                .prop_map(move |(outs, ins, test, target, step)| {
                    let instr = RegInstr {
                        op,
                        arg,
                        test,
                        outs,
                        ins,
                        target,
                        origin: 0,
                        keep: Vec::new(),
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
            let prefix = format!("at word {}: ", e.offset());
            prop_assert!(e.to_string().starts_with(&prefix), "{}", e);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn well_shaped_programs_round_trip(instrs in any_program()) {
        let words = encode(&instrs).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back = decode(&words).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, instrs);
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
                0xF0u16..0xFE,
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
}
