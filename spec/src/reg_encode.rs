//! The binary encoding of register code: fixed-width 16-bit code units for
//! the instructions, and a separate origin table.
//!
//! [`encode`] turns a list of [`RegInstr`] into `Vec<u16>` and
//! [`encode_origins`] turns their origins into a byte table (as CPython
//! keeps `co_lnotab` beside `co_code`); [`decode_with_origins`] turns the
//! two back: `decode_with_origins(&encode(x)?, &encode_origins(x))? == x`
//! for every list of well-formed instructions (see [`EncodeError`] for
//! what that requires). [`decode`] reads the instruction stream alone,
//! giving every instruction origin 0. Both encodings are canonical: when
//! `decode(w)` succeeds, `encode(&decode(w)?)? == w`, and when
//! `decode_origins(b, n)` succeeds, it gives the origins whose table is
//! `b`; so every instruction list has exactly one encoding.
//!
//! # Layout of one instruction
//!
//! An instruction is 0 or more *keep prefix* words, a *head* word, 0–2
//! *argument* words, the rest of the *operand stream* and 0 or more *tail*
//! words holding the values too large for their field, in this order:
//!
//! | Part      | Words   | Contents |
//! |-----------|---------|----------|
//! | keep prefix | 1 or 2 each | one per entry of `keep`, in increasing position order: bits 0–7: `0xFF` ([`KEEP_PREFIX`]); bits 8–15: the position (`0x00`–`0xFE`), or `0xFF` and the position in the next word (≥ 255) |
//! | head      | 1       | bits 0–7: opcode byte; bits 8–11: stream nibble 0; bits 12–15: stream nibble 1 |
//! | argument  | 0, 1, 2 | argument nibble 14: `arg` (one word); 15: `arg` low half then high half |
//! | stream    | ⌈(n−2)/4⌉ | stream nibbles 2 to `n`−1, four per word, the first in the low bits; the last word is padded with zero nibbles |
//! | tail      | 0 or more | the escaped values of the stream fields, in stream order |
//!
//! The operand stream is `n` 4-bit nibbles holding, in order:
//!
//! 1. the argument nibble (1 nibble), when the opcode takes an argument:
//!    a lifted stack opcode with `HAVE_ARGUMENT`, or a
//!    `COMPARE_BRANCH_*`, whose nibble is the comparison;
//! 2. the target (2 nibbles, low first), when the shape has a target;
//! 3. one nibble per output register;
//! 4. two nibbles (low first) per input.
//!
//! How many of each there are is given by the opcode and
//! [`shape`]`(op, arg)` and nothing else, which is why escaped argument
//! words come right after the head rather than in the tail: the operand
//! counts of `CALL_FUNCTION`, `BUILD_TUPLE`, ... depend on the argument.
//! Every field has a fixed nibble position, so an interpreter reads
//! operand `i` of an instruction without decoding the ones before it.
//!
//! ## Fields
//!
//! | Field | Encoding |
//! |-------|----------|
//! | opcode byte | [`RegOp::Apply`]`(o)`: CPython's number `o as u8` (1–165); the register-native opcodes: `0xF0 + k` in the order `MOVE`, `DELETE`, `JUMP`, `BRANCH_IF_FALSE`, `BRANCH_IF_TRUE`, `COMPARE_BRANCH_IF_FALSE`, `COMPARE_BRANCH_IF_TRUE`, `BRANCH_IF_NOT_EXC_MATCH`, `FOR_ITER`, `RETURN`, `YIELD`, `YIELD_FROM`, `POP_EXCEPT`, `RERAISE` (`0xF0`–`0xFD`); see [`op_byte`]. `0xFF` is the keep prefix |
//! | argument nibble | 0–13: `arg` itself; 14: one argument word holds it (14–65535); 15: two argument words (≥ 65536). An opcode without the nibble has `arg` 0 |
//! | comparison nibble | `test` and `arg` of a `COMPARE_BRANCH_*`: 0–5: `COMPARE_OP` 0–5; 6–7: `IS_OP` 0–1; 8–9: `CONTAINS_OP` 0–1 (10–15 are invalid). Every other opcode has `test` `None` |
//! | target | `0x00`–`0xFD`: the target itself; `0xFE`: one tail word holds it (≥ 254); `0xFF`: two tail words, low half first (≥ 65536) |
//! | output nibble | 0–13: register `r0`–`r13`; 14: [`DISCARD`]; 15: one tail word holds the register (14–65534) |
//! | input | `0x00`–`0x7F`: [`Rk::Reg`] `r0`–`r127`; `0x80`–`0xFD`: [`Rk::Const`] `k0`–`k125`; `0xFE`: [`Rk::Reg`], one tail word (≥ 128); `0xFF`: [`Rk::Const`], one tail word (≥ 126) |
//!
//! Every value takes its shortest form; [`decode`] rejects any other
//! ([`DecodeError::NonCanonical`]), a nonzero padding nibble, a constant
//! where the shape wants a register, and keep positions that are not
//! strictly increasing or not below the input count.
//!
//! ## Sizes
//!
//! With small operands, argument and target:
//!
//! | Instruction | Words |
//! |-------------|-------|
//! | `LOAD_NAME[2] r3`, `LOAD_GLOBAL[2] r5`, `RETURN r1`, `JUMP -> 40`, `RAISE_VARARGS[0]` | 1 |
//! | `MOVE r3 <- k0`, `STORE_NAME[1] <- r0`, `GET_ITER r5 <- r5`, `LOAD_ATTR[3] r4 <- r1` | 2 |
//! | `BINARY_ADD r2 <- r0, k1`, `CALL_FUNCTION[1] r5 <- r5, r0`, `FOR_ITER r2 <- r3 -> 9`, `LOAD_METHOD[1] r4, r5 <- r4` | 2 |
//! | `CALL_FUNCTION[2] r5 <- r5, r0, k1`, `CALL_METHOD[1] r3 <- r3, r4, r0`, `COMPARE_BRANCH_IF_FALSE[COMPARE_OP 2] r6, k0 -> 9` | 3 |
//!
//! In general an instruction with `n` stream nibbles and no escapes takes
//! ⌈(n + 2)/4⌉ words.
//!
//! A keep prefix adds a word.
//!
//! # The origin table
//!
//! [`encode_origins`] gives one entry per instruction, as 4-bit nibbles
//! packed two per byte, the first in the low bits (an odd count is padded
//! with a zero nibble). An entry relates the instruction's origin to the
//! previous instruction's (0 before the first): nibble 0–14: that origin
//! plus the nibble; nibble 15: the origin itself in the next 8 nibbles,
//! least significant first (only for a backward step or a forward step
//! over 14). [`decode_origins`] rejects trailing bytes, nonzero padding,
//! and an absolute entry a step would do; its errors name byte offsets in
//! the table ([`DecodeError::in_origin_table`]).
//!
//! # Why this format
//!
//! The goal is register code no more than 1.3 times the size of the stack
//! bytecode it comes from (2 bytes per stack instruction; `co_lnotab` not
//! counted) while executing about half as many instructions; a register
//! instruction may spend about two words. Measured on the 186 conformance
//! programs, their register code is 1.18 times the stack code (1.12 on
//! the code objects of the standard library's top-level modules); the
//! origin table adds 0.16 times (0.13).
//!
//! Operand numbers are small in practice: outputs are registers below 14
//! or [`DISCARD`] (9% of them) in over 99% of the programs' outputs (90%
//! in the standard library), and arguments (name and attribute indices,
//! call argument counts) are below 14 in 86–89% of instructions, so both
//! take one nibble and pay a word only when large. An input is a register
//! or a constant, and constant indices run higher (a third are above 13),
//! so an input takes a byte. The fields have fixed positions and escapes
//! go to the tail, so the common case decodes with shifts and masks. With
//! the opcode byte, a head word has room for two nibbles: `LOAD_NAME[a] r`
//! and `STORE_NAME[a] <- r`, the commonest instructions of module code,
//! take one and two words, and a three-address `BINARY_ADD` two.
//!
//! The origin (the stack instruction a traceback or `f_lasti` reports) is
//! not needed to execute, so it lives in a side table, as CPython's line
//! table does; it costs a nibble per instruction in the common case (the
//! step from one instruction's origin to the next is small and
//! nonnegative). In the instruction stream it took 5 bits of every head
//! word. Moving it out gains nothing by itself (1.64 before; 1.66 after,
//! with the keep prefixes), but the freed head byte holds stream fields:
//! 1.46 with byte-sized fields throughout, 1.18 with the nibble fields
//! above. The `keep` list is empty for 97% of instructions, so it costs
//! nothing then and a prefix word otherwise, rather than a flag in every
//! head. The comparison of a fused compare-and-branch and its argument
//! share a nibble, since only ten pairs are valid (this saves no word in
//! practice: with two byte inputs and a target, the instruction takes
//! three words either way).
//!
//! We considered fixed 32-bit words (Lua style: an 8-bit opcode and three
//! 8-bit operands per word). They make a three-operand instruction one
//! word, but every instruction with fewer operands — loads of names and
//! globals, moves, returns, jumps, which are most of them — pays padding
//! at 4-byte granularity, and variable-length operand lists (calls,
//! displays) waste more; 16-bit units also keep the comparison with
//! CPython's own 16-bit wordcode direct. Among 16-bit layouts, a nibble
//! argument alone came to 1.51 and a nibble output alone to 1.44; a
//! nibble per input (registers 0–8, a few constants, escapes for the
//! rest) to 1.15 on the programs but 1.17 on the standard library, whose
//! code uses more constants and locals; and variable-length fields (a
//! constant input in three nibbles) to 1.13, at the cost of fixed operand
//! positions. Targets relative to the instruction saved under 0.1%.

use crate::opcode::Opcode;
use crate::reg::{shape, Reg, RegInstr, RegOp, Rk, DISCARD};
use thiserror::Error;

/// The opcode byte of the first register-native opcode ([`RegOp::Move`]);
/// the others follow in the order of the module documentation.
pub const NATIVE_BASE: u8 = 0xF0;

/// The low byte of a keep prefix word (no opcode has this byte).
pub const KEEP_PREFIX: u8 = 0xFF;

/// The register-native opcodes, in opcode-byte order from [`NATIVE_BASE`].
const NATIVE: [RegOp; 14] = crate::reg::NATIVE_OPS;

/// Largest argument held in the argument nibble.
const ARG_DIRECT_MAX: u8 = 13;
/// Argument nibble: one argument word holds the argument.
const ARG_WORD: u8 = 14;
/// Argument nibble: two argument words hold the argument.
const ARG_WIDE: u8 = 15;
/// Largest register held in an output nibble.
const OUT_DIRECT_MAX: u8 = 13;
/// Output nibble of [`DISCARD`].
const OUT_DISCARD: u8 = 14;
/// Output nibble: one tail word holds the register.
const OUT_WORD: u8 = 15;
/// Escape byte `0xFE`: the value is in one tail word (for an input: a
/// register).
const ESC_WORD: u8 = 0xFE;
/// Escape byte `0xFF`: for a target, the value is in two tail words; for an
/// input, a constant in one tail word.
const ESC_WIDE: u8 = 0xFF;
/// Largest target a target byte holds directly.
const DIRECT_MAX: u8 = 0xFD;
/// Largest register an input byte holds directly.
const IN_REG_MAX: u8 = 0x7F;
/// Input byte of constant 0.
const IN_CONST_BASE: u8 = 0x80;
/// Largest constant an input byte holds directly.
const IN_CONST_MAX: u16 = (DIRECT_MAX - IN_CONST_BASE) as u16;
/// Keep prefix byte: the position is in the next word.
const KEEP_WORD: u8 = 0xFF;
/// Largest origin step held in an origin-table nibble.
const ORIGIN_STEP_MAX: u8 = 14;
/// Origin-table nibble: the origin follows in 8 nibbles.
const ORIGIN_ABSOLUTE: u8 = 15;

/// The comparisons a `COMPARE_BRANCH_*` may carry, in comparison-nibble
/// order: the test opcode and how many arguments it takes.
const COMPARISONS: [(Opcode, u8); 3] = [
    (Opcode::CompareOp, 6),
    (Opcode::IsOp, 2),
    (Opcode::ContainsOp, 2),
];

/// Why an instruction list cannot be encoded. `index` is the position of
/// the offending instruction in the list.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum EncodeError {
    /// The opcode has no register form with this argument ([`shape`] is
    /// `None`).
    #[error("instruction {index}: {op} with argument {arg} has no register form")]
    NoShape {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// The argument.
        arg: u32,
    },
    /// The number of outputs or inputs differs from the shape's.
    #[error(
        "instruction {index}: {op} with argument {arg} takes {expected} {what}, found {found}"
    )]
    OperandCount {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// The argument.
        arg: u32,
        /// `"outputs"` or `"inputs"`.
        what: &'static str,
        /// The shape's count.
        expected: u32,
        /// The instruction's count.
        found: usize,
    },
    /// A constant where the shape wants a register input.
    #[error("instruction {index}: input {position} of {op} must be a register, found k{constant}")]
    ConstInput {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// Position of the input.
        position: usize,
        /// The constant's index.
        constant: u16,
    },
    /// A nonzero target on an instruction whose shape has none.
    #[error("instruction {index}: {op} has no jump target, but its target is {target}")]
    StrayTarget {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// The target.
        target: u32,
    },
    /// A nonzero argument on an opcode that takes none.
    #[error("instruction {index}: {op} takes no argument, but its argument is {arg}")]
    StrayArgument {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// The argument.
        arg: u32,
    },
    /// A `test` on an opcode other than `COMPARE_BRANCH_*`.
    #[error("instruction {index}: {op} takes no comparison, but its test is {test}")]
    StrayTest {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// The test opcode's name.
        test: &'static str,
    },
    /// A `COMPARE_BRANCH_*` whose test and argument are not one of
    /// `COMPARE_OP` 0–5, `IS_OP` 0–1, `CONTAINS_OP` 0–1.
    #[error("instruction {index}: {op} needs COMPARE_OP 0..=5, IS_OP 0..=1 or CONTAINS_OP 0..=1, found {found}")]
    BadComparison {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// The test and argument found (`"none"` without a test).
        found: String,
    },
    /// A `keep` entry not above the previous one, or not below the input
    /// count.
    #[error("instruction {index}: keep position {position} of {op} is out of order or not below its {inputs} inputs")]
    BadKeep {
        /// Instruction index.
        index: usize,
        /// Opcode name.
        op: &'static str,
        /// The position.
        position: u16,
        /// The number of inputs.
        inputs: usize,
    },
}

/// Why a word sequence is not register code, or a byte sequence not an
/// origin table. Every variant names an offset ([`DecodeError::offset`]):
/// a word offset in the instruction stream, or for the origin-table
/// variants ([`DecodeError::in_origin_table`]) a byte offset in the table.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The input ends where `what` should be.
    #[error("at word {offset}: truncated, {what} missing")]
    Truncated {
        /// Offset of the first missing word (the input's length).
        offset: usize,
        /// What is missing.
        what: &'static str,
    },
    /// The opcode byte names no register opcode.
    #[error("at word {offset}: unknown opcode byte {byte:#04x}")]
    UnknownOpcode {
        /// Offset of the head word.
        offset: usize,
        /// The opcode byte.
        byte: u8,
    },
    /// The comparison nibble of a `COMPARE_BRANCH_*` names no comparison.
    #[error("at word {offset}: unknown comparison nibble {nibble}")]
    UnknownComparison {
        /// Offset of the head word.
        offset: usize,
        /// The nibble.
        nibble: u8,
    },
    /// The opcode has no register form with this argument.
    #[error("at word {offset}: {op} with argument {arg} has no register form")]
    NoShape {
        /// Offset of the head word.
        offset: usize,
        /// Opcode name.
        op: &'static str,
        /// The argument.
        arg: u32,
    },
    /// A constant where the shape wants a register input (a bad operand
    /// tag).
    #[error("at word {offset}: input {position} of {op} must be a register, found a constant")]
    ConstInput {
        /// Offset of the word holding the input's first nibble.
        offset: usize,
        /// Opcode name.
        op: &'static str,
        /// Position of the input.
        position: usize,
    },
    /// A value not in its shortest form.
    #[error("at word {offset}: non-canonical {what}")]
    NonCanonical {
        /// Offset of the word holding the value.
        offset: usize,
        /// Which value, and why.
        what: &'static str,
    },
    /// A padding nibble of the operand stream is not zero.
    #[error("at word {offset}: padding nibble is {nibble:#x}, not 0")]
    BadPadding {
        /// Offset of the padded word.
        offset: usize,
        /// The padding nibble.
        nibble: u8,
    },
    /// A keep position not above the previous one, or not below the
    /// instruction's input count.
    #[error(
        "at word {offset}: keep position {position} is out of order or not below the input count"
    )]
    BadKeep {
        /// Offset of the keep prefix word.
        offset: usize,
        /// The position.
        position: u16,
    },
    /// The origin table ends before the last instruction's entry.
    #[error("at origin byte {offset}: truncated, origin entry missing")]
    OriginsTruncated {
        /// Offset of the first missing byte (the table's length).
        offset: usize,
    },
    /// An absolute origin entry where a step would do.
    #[error(
        "at origin byte {offset}: non-canonical absolute origin within 14 after the previous one"
    )]
    OriginsNonCanonical {
        /// Offset of the byte holding the entry's first nibble.
        offset: usize,
    },
    /// A byte after the last entry, or a nonzero padding nibble.
    #[error("at origin byte {offset}: trailing data after the last origin entry")]
    OriginsTrailing {
        /// Offset of the byte.
        offset: usize,
    },
    /// An origin step leaves the 32-bit range.
    #[error("at origin byte {offset}: origin overflows 32 bits")]
    OriginOverflow {
        /// Offset of the byte holding the entry.
        offset: usize,
    },
}

impl DecodeError {
    /// The offset the error names: a word offset in the instruction
    /// stream, or a byte offset in the origin table when
    /// [`DecodeError::in_origin_table`].
    pub fn offset(&self) -> usize {
        match *self {
            DecodeError::Truncated { offset, .. }
            | DecodeError::UnknownOpcode { offset, .. }
            | DecodeError::UnknownComparison { offset, .. }
            | DecodeError::NoShape { offset, .. }
            | DecodeError::ConstInput { offset, .. }
            | DecodeError::NonCanonical { offset, .. }
            | DecodeError::BadPadding { offset, .. }
            | DecodeError::BadKeep { offset, .. }
            | DecodeError::OriginsTruncated { offset }
            | DecodeError::OriginsNonCanonical { offset }
            | DecodeError::OriginsTrailing { offset }
            | DecodeError::OriginOverflow { offset } => offset,
        }
    }

    /// Whether the error is in the origin table (its offset is a byte
    /// offset there) rather than in the instruction stream.
    pub fn in_origin_table(&self) -> bool {
        matches!(
            self,
            DecodeError::OriginsTruncated { .. }
                | DecodeError::OriginsNonCanonical { .. }
                | DecodeError::OriginsTrailing { .. }
                | DecodeError::OriginOverflow { .. }
        )
    }
}

/// The opcode byte of `op` (see the module documentation).
pub fn op_byte(op: RegOp) -> u8 {
    let native = |k: u8| NATIVE_BASE + k;
    match op {
        RegOp::Apply(o) => o as u8,
        RegOp::Move => native(0),
        RegOp::Delete => native(1),
        RegOp::Jump => native(2),
        RegOp::Branch(false) => native(3),
        RegOp::Branch(true) => native(4),
        RegOp::CompareBranch(false) => native(5),
        RegOp::CompareBranch(true) => native(6),
        RegOp::ExcMatchBranch => native(7),
        RegOp::ForIter => native(8),
        RegOp::Return => native(9),
        RegOp::Yield => native(10),
        RegOp::YieldFrom => native(11),
        RegOp::PopExcept => native(12),
        RegOp::Reraise => native(13),
    }
}

/// The register opcode with opcode byte `byte`, if any (the inverse of
/// [`op_byte`]).
pub fn op_from_byte(byte: u8) -> Option<RegOp> {
    if byte >= NATIVE_BASE {
        NATIVE.get(usize::from(byte - NATIVE_BASE)).copied()
    } else {
        Opcode::from_u8(byte).map(RegOp::Apply)
    }
}

/// Whether instructions of `op` have an argument nibble (a comparison
/// nibble for `COMPARE_BRANCH_*`).
fn has_arg_nibble(op: RegOp) -> bool {
    match op {
        RegOp::Apply(o) => o.has_arg(),
        RegOp::CompareBranch(_) => true,
        _ => false,
    }
}

/// The comparison nibble of a `COMPARE_BRANCH_*`'s test and argument.
fn comparison_nibble(test: Option<Opcode>, arg: u32) -> Option<u8> {
    let test = test?;
    let mut base = 0u8;
    for (t, count) in COMPARISONS {
        if t == test {
            return (arg < u32::from(count)).then(|| base + arg as u8);
        }
        base += count;
    }
    None
}

/// The test and argument of a comparison nibble.
fn comparison_of(nibble: u8) -> Option<(Opcode, u32)> {
    let mut base = 0u8;
    for (t, count) in COMPARISONS {
        if nibble < base + count {
            return Some((t, u32::from(nibble - base)));
        }
        base += count;
    }
    None
}

/// Encodes the instructions as 16-bit code units (see the module
/// documentation for the format). Origins are not encoded: see
/// [`encode_origins`].
pub fn encode(instrs: &[RegInstr]) -> Result<Vec<u16>, EncodeError> {
    let mut out = Vec::with_capacity(instrs.len().saturating_mul(2));
    for (index, ins) in instrs.iter().enumerate() {
        encode_one(index, ins, &mut out)?;
    }
    Ok(out)
}

/// The instruction stream and the origin table of `instrs`.
pub fn encode_with_origins(instrs: &[RegInstr]) -> Result<(Vec<u16>, Vec<u8>), EncodeError> {
    Ok((encode(instrs)?, encode_origins(instrs)))
}

/// The size in bytes of the instruction stream of `instrs`: twice its
/// word count (the origin table is not counted: see [`origin_bytes`]).
pub fn code_bytes(instrs: &[RegInstr]) -> Result<usize, EncodeError> {
    Ok(2 * encode(instrs)?.len())
}

/// The size in bytes of the origin table of `instrs`.
pub fn origin_bytes(instrs: &[RegInstr]) -> usize {
    encode_origins(instrs).len()
}

fn lo(v: u32) -> u16 {
    (v & 0xFFFF) as u16
}

fn hi(v: u32) -> u16 {
    (v >> 16) as u16
}

/// Checks `ins` against its shape and the field rules, giving the shape's
/// error for instruction `index`.
fn check(index: usize, ins: &RegInstr) -> Result<(), EncodeError> {
    let op = ins.op.name();
    let arg = ins.arg;
    let sh = shape(ins.op, arg).ok_or(EncodeError::NoShape { index, op, arg })?;
    let count = |what, expected: u32, found: usize| {
        if u64::from(expected) == found as u64 {
            Ok(())
        } else {
            Err(EncodeError::OperandCount {
                index,
                op,
                arg,
                what,
                expected,
                found,
            })
        }
    };
    count("outputs", sh.outs, ins.outs.len())?;
    count("inputs", sh.ins, ins.ins.len())?;
    if !sh.target && ins.target != 0 {
        return Err(EncodeError::StrayTarget {
            index,
            op,
            target: ins.target,
        });
    }
    if matches!(ins.op, RegOp::CompareBranch(_)) {
        if comparison_nibble(ins.test, arg).is_none() {
            let found = match ins.test {
                Some(t) => format!("{} {arg}", t.name()),
                None => "none".to_string(),
            };
            return Err(EncodeError::BadComparison { index, op, found });
        }
    } else if let Some(t) = ins.test {
        return Err(EncodeError::StrayTest {
            index,
            op,
            test: t.name(),
        });
    } else if !has_arg_nibble(ins.op) && arg != 0 {
        return Err(EncodeError::StrayArgument { index, op, arg });
    }
    if sh.ins_are_regs {
        if let Some((position, &Rk::Const(constant))) = ins
            .ins
            .iter()
            .enumerate()
            .find(|(_, x)| matches!(x, Rk::Const(_)))
        {
            return Err(EncodeError::ConstInput {
                index,
                op,
                position,
                constant,
            });
        }
    }
    let mut prev: Option<u16> = None;
    for &position in &ins.keep {
        if prev.is_some_and(|p| position <= p) || usize::from(position) >= ins.ins.len() {
            return Err(EncodeError::BadKeep {
                index,
                op,
                position,
                inputs: ins.ins.len(),
            });
        }
        prev = Some(position);
    }
    Ok(())
}

/// Appends the two nibbles of `b`, low first.
fn push_byte(nibbles: &mut Vec<u8>, b: u8) {
    nibbles.extend([b & 0xF, b >> 4]);
}

fn encode_one(index: usize, ins: &RegInstr, out: &mut Vec<u16>) -> Result<(), EncodeError> {
    check(index, ins)?;
    for &position in &ins.keep {
        let prefix = u16::from(KEEP_PREFIX);
        if position < u16::from(KEEP_WORD) {
            out.push(prefix | position << 8);
        } else {
            out.extend([prefix | u16::from(KEEP_WORD) << 8, position]);
        }
    }

    let arg = ins.arg;
    let mut nibbles: Vec<u8> = Vec::with_capacity(3 + ins.outs.len() + 2 * ins.ins.len());
    let mut arg_words: Vec<u16> = Vec::new();
    let mut tail: Vec<u16> = Vec::new();
    if matches!(ins.op, RegOp::CompareBranch(_)) {
        nibbles.extend(comparison_nibble(ins.test, arg));
    } else if has_arg_nibble(ins.op) {
        if arg <= u32::from(ARG_DIRECT_MAX) {
            nibbles.push(arg as u8);
        } else if arg <= 0xFFFF {
            nibbles.push(ARG_WORD);
            arg_words.push(lo(arg));
        } else {
            nibbles.push(ARG_WIDE);
            arg_words.extend([lo(arg), hi(arg)]);
        }
    }
    if shape(ins.op, arg).is_some_and(|sh| sh.target) {
        let t = ins.target;
        if t <= u32::from(DIRECT_MAX) {
            push_byte(&mut nibbles, t as u8);
        } else if t <= 0xFFFF {
            push_byte(&mut nibbles, ESC_WORD);
            tail.push(lo(t));
        } else {
            push_byte(&mut nibbles, ESC_WIDE);
            tail.extend([lo(t), hi(t)]);
        }
    }
    for &r in &ins.outs {
        if r == DISCARD {
            nibbles.push(OUT_DISCARD);
        } else if r <= Reg::from(OUT_DIRECT_MAX) {
            nibbles.push(r as u8);
        } else {
            nibbles.push(OUT_WORD);
            tail.push(r);
        }
    }
    for &x in &ins.ins {
        match x {
            Rk::Reg(r) if r <= Reg::from(IN_REG_MAX) => push_byte(&mut nibbles, r as u8),
            Rk::Reg(r) => {
                push_byte(&mut nibbles, ESC_WORD);
                tail.push(r);
            }
            Rk::Const(k) if k <= IN_CONST_MAX => push_byte(&mut nibbles, IN_CONST_BASE + k as u8),
            Rk::Const(k) => {
                push_byte(&mut nibbles, ESC_WIDE);
                tail.push(k);
            }
        }
    }

    let pack = |ns: &[u8]| {
        ns.iter()
            .enumerate()
            .fold(0u16, |w, (i, &n)| w | u16::from(n) << (4 * i))
    };
    let (first, rest) = nibbles.split_at(nibbles.len().min(2));
    out.push(u16::from(op_byte(ins.op)) | pack(first) << 8);
    out.extend(arg_words);
    out.extend(rest.chunks(4).map(pack));
    out.extend(tail);
    Ok(())
}

/// Decodes 16-bit code units into register instructions, every one with
/// origin 0 (see [`decode_with_origins`]). Never panics: malformed input
/// gives a [`DecodeError`] naming the word offset.
pub fn decode(words: &[u16]) -> Result<Vec<RegInstr>, DecodeError> {
    let mut r = Reader { words, pos: 0 };
    let mut out = Vec::new();
    while r.pos < words.len() {
        out.push(decode_one(&mut r)?);
    }
    Ok(out)
}

/// Decodes an instruction stream and its origin table (the inverse of
/// [`encode_with_origins`]). Never panics.
pub fn decode_with_origins(words: &[u16], origins: &[u8]) -> Result<Vec<RegInstr>, DecodeError> {
    let mut instrs = decode(words)?;
    let table = decode_origins(origins, instrs.len())?;
    for (ins, origin) in instrs.iter_mut().zip(table) {
        ins.origin = origin;
    }
    Ok(instrs)
}

/// A cursor over the words of the input.
struct Reader<'a> {
    words: &'a [u16],
    pos: usize,
}

impl Reader<'_> {
    /// The next word and its offset.
    fn word(&mut self, what: &'static str) -> Result<(u16, usize), DecodeError> {
        let at = self.pos;
        let w = self.words.get(at).copied().ok_or(DecodeError::Truncated {
            offset: self.words.len(),
            what,
        })?;
        self.pos += 1;
        Ok((w, at))
    }

    /// The next two words as a `u32`, low half first, and the offset of the
    /// first.
    fn u32(&mut self, what: &'static str) -> Result<(u32, usize), DecodeError> {
        let (l, at) = self.word(what)?;
        let (h, _) = self.word(what)?;
        Ok((u32::from(l) | u32::from(h) << 16, at))
    }
}

/// The operand stream of one instruction: nibbles 0 and 1 in the head
/// word, the others from word `start` on.
struct Stream<'a> {
    words: &'a [u16],
    head: u16,
    head_at: usize,
    start: usize,
}

impl Stream<'_> {
    /// Nibble `i` and the offset of its word.
    fn nibble(&self, i: usize) -> Result<(u8, usize), DecodeError> {
        let (w, at, shift) = if i < 2 {
            (self.head, self.head_at, 8 + 4 * i)
        } else {
            let at = self.start.saturating_add((i - 2) / 4);
            let w = self.words.get(at).copied().ok_or(DecodeError::Truncated {
                offset: self.words.len(),
                what: "operand stream",
            })?;
            (w, at, 4 * ((i - 2) % 4))
        };
        Ok((((w >> shift) & 0xF) as u8, at))
    }

    /// The byte in nibbles `i` and `i + 1`, and the offset of the first.
    fn byte(&self, i: usize) -> Result<(u8, usize), DecodeError> {
        let (l, at) = self.nibble(i)?;
        let (h, _) = self.nibble(i + 1)?;
        Ok((l | h << 4, at))
    }
}

fn non_canonical(offset: usize, what: &'static str) -> DecodeError {
    DecodeError::NonCanonical { offset, what }
}

fn decode_one(r: &mut Reader<'_>) -> Result<RegInstr, DecodeError> {
    // Keep prefixes, each with its offset.
    let mut keep: Vec<u16> = Vec::new();
    let mut last_keep_at = 0;
    let (head, start) = loop {
        let what = if keep.is_empty() {
            "instruction"
        } else {
            "instruction after keep prefix"
        };
        let (head, at) = r.word(what)?;
        if (head & 0xFF) as u8 != KEEP_PREFIX {
            break (head, at);
        }
        let position = match (head >> 8) as u8 {
            KEEP_WORD => {
                let (w, wat) = r.word("keep position word")?;
                if w < u16::from(KEEP_WORD) {
                    return Err(non_canonical(wat, "keep position word below 255"));
                }
                w
            }
            b => u16::from(b),
        };
        if keep.last().is_some_and(|&p| position <= p) {
            return Err(DecodeError::BadKeep {
                offset: at,
                position,
            });
        }
        keep.push(position);
        last_keep_at = at;
    };

    let byte = (head & 0xFF) as u8;
    let op = op_from_byte(byte).ok_or(DecodeError::UnknownOpcode {
        offset: start,
        byte,
    })?;
    let name = op.name();
    let first = ((head >> 8) & 0xF) as u8;

    let (arg, test) = if matches!(op, RegOp::CompareBranch(_)) {
        let (t, arg) = comparison_of(first).ok_or(DecodeError::UnknownComparison {
            offset: start,
            nibble: first,
        })?;
        (arg, Some(t))
    } else if has_arg_nibble(op) {
        let arg = match first {
            ARG_WORD => {
                let (w, at) = r.word("argument word")?;
                if w <= u16::from(ARG_DIRECT_MAX) {
                    return Err(non_canonical(at, "argument word below 14"));
                }
                u32::from(w)
            }
            ARG_WIDE => {
                let (v, at) = r.u32("argument words")?;
                if v <= 0xFFFF {
                    return Err(non_canonical(at, "two-word argument below 65536"));
                }
                v
            }
            n => u32::from(n),
        };
        (arg, None)
    } else {
        (0, None)
    };
    let sh = shape(op, arg).ok_or(DecodeError::NoShape {
        offset: start,
        op: name,
        arg,
    })?;

    // The stream's length, checked against the input before anything is
    // allocated for it.
    let with_arg = usize::from(has_arg_nibble(op));
    let n = with_arg as u64 + 2 * u64::from(sh.target) + u64::from(sh.outs) + 2 * u64::from(sh.ins);
    let extra_words = (n + 2).div_ceil(4) - 1;
    let remaining = r.words.len().saturating_sub(r.pos) as u64;
    if extra_words > remaining {
        return Err(DecodeError::Truncated {
            offset: r.words.len(),
            what: "operand stream",
        });
    }
    let s = Stream {
        words: r.words,
        head,
        head_at: start,
        start: r.pos,
    };
    r.pos += extra_words as usize;
    let n = n as usize;
    let mut i = with_arg;

    let target = if sh.target {
        let (b, _) = s.byte(i)?;
        i += 2;
        match b {
            ESC_WORD => {
                let (w, at) = r.word("target word")?;
                if w <= u16::from(DIRECT_MAX) {
                    return Err(non_canonical(at, "target word below 254"));
                }
                u32::from(w)
            }
            ESC_WIDE => {
                let (v, at) = r.u32("target words")?;
                if v <= 0xFFFF {
                    return Err(non_canonical(at, "two-word target below 65536"));
                }
                v
            }
            b => u32::from(b),
        }
    } else {
        0
    };

    let mut outs = Vec::with_capacity(sh.outs as usize);
    for _ in 0..sh.outs {
        let (b, _) = s.nibble(i)?;
        i += 1;
        outs.push(match b {
            OUT_DISCARD => DISCARD,
            OUT_WORD => {
                let (w, at) = r.word("output register word")?;
                if w <= Reg::from(OUT_DIRECT_MAX) || w == DISCARD {
                    return Err(non_canonical(
                        at,
                        "output register word below 14 or DISCARD",
                    ));
                }
                w
            }
            b => Reg::from(b),
        });
    }

    let mut ins = Vec::with_capacity(sh.ins as usize);
    for position in 0..sh.ins as usize {
        let (b, at) = s.byte(i)?;
        i += 2;
        let x = match b {
            ESC_WORD => {
                let (w, at) = r.word("input register word")?;
                if w <= Reg::from(IN_REG_MAX) {
                    return Err(non_canonical(at, "input register word below 128"));
                }
                Rk::Reg(w)
            }
            ESC_WIDE => {
                let (w, at) = r.word("input constant word")?;
                if w <= IN_CONST_MAX {
                    return Err(non_canonical(at, "input constant word below 126"));
                }
                Rk::Const(w)
            }
            b if b <= IN_REG_MAX => Rk::Reg(Reg::from(b)),
            b => Rk::Const(u16::from(b - IN_CONST_BASE)),
        };
        if sh.ins_are_regs && matches!(x, Rk::Const(_)) {
            return Err(DecodeError::ConstInput {
                offset: at,
                op: name,
                position,
            });
        }
        ins.push(x);
    }

    // Padding up to the end of the last stream word (or of the head).
    debug_assert_eq!(i, n);
    let end = 4 * (extra_words as usize + 1) - 2;
    for p in n..end {
        let (b, at) = s.nibble(p)?;
        if b != 0 {
            return Err(DecodeError::BadPadding {
                offset: at,
                nibble: b,
            });
        }
    }

    if let Some(&position) = keep.last() {
        if usize::from(position) >= ins.len() {
            return Err(DecodeError::BadKeep {
                offset: last_keep_at,
                position,
            });
        }
    }

    Ok(RegInstr {
        op,
        arg,
        test,
        outs,
        ins,
        target,
        origin: 0,
        keep,
    })
}

/// The origin table of `instrs` (see the module documentation).
pub fn encode_origins(instrs: &[RegInstr]) -> Vec<u8> {
    let mut nibbles: Vec<u8> = Vec::with_capacity(instrs.len());
    let mut prev = 0u32;
    for ins in instrs {
        match ins.origin.checked_sub(prev) {
            Some(step) if step <= u32::from(ORIGIN_STEP_MAX) => nibbles.push(step as u8),
            _ => {
                nibbles.push(ORIGIN_ABSOLUTE);
                nibbles.extend((0..8).map(|k| ((ins.origin >> (4 * k)) & 0xF) as u8));
            }
        }
        prev = ins.origin;
    }
    nibbles
        .chunks(2)
        .map(|pair| match *pair {
            [a, b] => a | b << 4,
            [a] => a,
            _ => 0,
        })
        .collect()
}

/// Decodes the origins of `n` instructions from an origin table. Never
/// panics: malformed input gives a [`DecodeError`] naming the byte offset
/// in the table.
pub fn decode_origins(bytes: &[u8], n: usize) -> Result<Vec<u32>, DecodeError> {
    let nibble = |i: usize| -> Result<u8, DecodeError> {
        let b = bytes
            .get(i / 2)
            .copied()
            .ok_or(DecodeError::OriginsTruncated {
                offset: bytes.len(),
            })?;
        Ok(if i.is_multiple_of(2) { b & 0xF } else { b >> 4 })
    };
    let mut out = Vec::with_capacity(n.min(bytes.len().saturating_mul(2)));
    let mut prev = 0u32;
    let mut i = 0usize;
    for _ in 0..n {
        let at = i / 2;
        let v = nibble(i)?;
        i += 1;
        prev = if v == ORIGIN_ABSOLUTE {
            let mut origin = 0u32;
            for k in 0..8 {
                origin |= u32::from(nibble(i)?) << (4 * k);
                i += 1;
            }
            if origin
                .checked_sub(prev)
                .is_some_and(|step| step <= u32::from(ORIGIN_STEP_MAX))
            {
                return Err(DecodeError::OriginsNonCanonical { offset: at });
            }
            origin
        } else {
            prev.checked_add(u32::from(v))
                .ok_or(DecodeError::OriginOverflow { offset: at })?
        };
        out.push(prev);
    }
    if !i.is_multiple_of(2) && nibble(i)? != 0 {
        return Err(DecodeError::OriginsTrailing { offset: i / 2 });
    }
    let used = i.div_ceil(2);
    if used < bytes.len() {
        return Err(DecodeError::OriginsTrailing { offset: used });
    }
    Ok(out)
}
