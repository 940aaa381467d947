//! The binary encoding of register code: fixed-width 16-bit code units.
//!
//! [`encode`] turns a list of [`RegInstr`] into `Vec<u16>` and [`decode`]
//! turns it back: `decode(&encode(x)?)? == x` for every list whose
//! instructions match their operand shape ([`shape`]). The encoding is also
//! canonical: when `decode(w)` succeeds, `encode(&decode(w)?)? == w`, so
//! every instruction list has exactly one encoding.
//!
//! # Layout of one instruction
//!
//! An instruction is a *head* word, 0–2 *argument* words, the *operand
//! stream* (bytes packed two per word) and 0 or more *tail* words holding
//! the values too large for a byte, in this order:
//!
//! | Part      | Words   | Contents |
//! |-----------|---------|----------|
//! | head      | 1       | bits 0–7: opcode byte; bits 8–9: argument mode; bit 10: test flag `T`; bits 11–15: origin code |
//! | argument  | 0, 1, 2 | argument mode 2: `arg` (one word); mode 3: `arg` low half then high half |
//! | stream    | ⌈n/2⌉   | the `n` bytes below, the first in the low byte of a word; an odd count is padded with a zero high byte |
//! | tail      | 0 or more | the escaped values of the stream bytes, in stream order, then the escaped origin |
//!
//! The stream holds, in order:
//!
//! 1. the argument byte, when the argument mode is 1;
//! 2. the test byte, when `T` is set: the CPython number of `test`;
//! 3. the target byte, when the shape has a target;
//! 4. one byte per output register;
//! 5. one byte per input.
//!
//! How many of each there are is given by [`shape`]`(op, arg)` and nothing
//! else, which is why the argument comes before the stream: the operand
//! counts of `CALL_FUNCTION`, `BUILD_TUPLE`, ... depend on it.
//!
//! ## Fields
//!
//! | Field | Encoding |
//! |-------|----------|
//! | opcode byte | [`RegOp::Apply`]`(o)`: CPython's number `o as u8` (1–165); the register-native opcodes: `0xF0 + k` in the order `MOVE`, `DELETE`, `JUMP`, `BRANCH_IF_FALSE`, `BRANCH_IF_TRUE`, `COMPARE_BRANCH_IF_FALSE`, `COMPARE_BRANCH_IF_TRUE`, `BRANCH_IF_NOT_EXC_MATCH`, `FOR_ITER`, `RETURN`, `YIELD`, `YIELD_FROM`, `POP_EXCEPT`, `RERAISE` (`0xF0`–`0xFD`); see [`op_byte`] |
//! | argument mode | 0: `arg` is 0; 1: `arg` is 1–255, in the argument byte; 2: `arg` is 256–65535, in one argument word; 3: `arg` ≥ 65536, in two argument words |
//! | test byte | `test` is `Some(Opcode::from_u8(byte))`; `T` clear means `None` |
//! | target byte | `0x00`–`0xFD`: the target itself; `0xFE`: one tail word holds it (≥ 254); `0xFF`: two tail words, low half first (≥ 65536) |
//! | output byte | `0x00`–`0xFD`: register `r0`–`r253`; `0xFE`: one tail word holds the register (254–65534); `0xFF`: [`DISCARD`] |
//! | input byte | `0x00`–`0x7F`: [`Rk::Reg`] `r0`–`r127`; `0x80`–`0xFD`: [`Rk::Const`] `k0`–`k125`; `0xFE`: [`Rk::Reg`], one tail word (≥ 128); `0xFF`: [`Rk::Const`], one tail word (≥ 126) |
//! | origin code | relative to the previous instruction's origin (0 before the first instruction): 0–29: that origin plus the code; 30: plus the delta in one tail word (30–65535); 31: the origin itself in two tail words, low half first (any other origin: a backward step or a forward step over 65535) |
//!
//! Every value takes its shortest form; [`decode`] rejects any other
//! ([`DecodeError::NonCanonical`]), a nonzero padding byte, and a constant
//! where the shape wants a register.
//!
//! ## Sizes
//!
//! With small operands, argument, target and origin step:
//!
//! | Instruction | Words |
//! |-------------|-------|
//! | `RAISE_VARARGS[0]` | 1 |
//! | `RETURN r1`, `MOVE r3 <- k0`, `JUMP -> 40`, `LOAD_GLOBAL[2] r5`, `GET_ITER r5 <- r5` | 2 |
//! | `BINARY_ADD r2 <- r0, k1`, `LOAD_ATTR[3] r4 <- r1`, `CALL_FUNCTION[1] r5 <- r5, r0` | 3 |
//! | `COMPARE_BRANCH_IF_FALSE[COMPARE_OP 2] r6, k0 -> 9` | 4 |
//!
//! # Why this format
//!
//! The goal is register code no more than 1.3 times the size of the stack
//! bytecode it comes from (2 bytes per stack instruction) while executing
//! about half as many instructions: a register instruction may spend about
//! two and a half words. Operand numbers are small in practice (locals and
//! temporaries rarely exceed 127, constants 125), so an operand takes one
//! byte and pays an escape word only when it is large; a three-operand
//! instruction is three words, a move two. The head byte above the opcode
//! spends 2 bits on the argument (most arguments are 0 or fit the stream
//! byte), 1 bit on the rare `test`, and 5 bits on the origin, whose step
//! from one instruction to the next is small and nonnegative (a register
//! instruction stands for the few stack instructions that loaded its
//! operands), so a traceback's stack instruction costs no extra word in the
//! common case. Operand bytes sit at fixed positions after the argument
//! words and escapes go after them, so an interpreter reads operand `i` of
//! a small instruction without decoding the ones before it. Targets are
//! absolute instruction indices so that decoding needs no context but the
//! previous origin.
//!
//! We considered fixed 32-bit words (Lua style: an 8-bit opcode and three
//! 8-bit operands per word, the origins in a side table). They make a
//! three-operand instruction one word (4 bytes rather than 6), but every
//! instruction with fewer operands — moves, returns, jumps, loads of
//! globals, which are most of them — pays padding at 4-byte granularity,
//! variable-length operand lists (calls, displays) waste 1.5 bytes on
//! average rather than half a byte, and the argument and origin need
//! either their own word or a side table; on hand-counted loops the two
//! came out about even, and 16-bit units keep the comparison with
//! CPython's own 16-bit wordcode direct. A side table for origins (as
//! `co_lnotab`) was also considered: with the head byte holding an operand
//! instead it saves about 4 bits per instruction, but adds a header and a
//! second structure for little gain.

use crate::opcode::Opcode;
use crate::reg::{shape, Reg, RegInstr, RegOp, Rk, DISCARD};
use thiserror::Error;

/// The opcode byte of the first register-native opcode ([`RegOp::Move`]);
/// the others follow in the order of the module documentation.
pub const NATIVE_BASE: u8 = 0xF0;

/// The register-native opcodes, in opcode-byte order from [`NATIVE_BASE`].
const NATIVE: [RegOp; 14] = [
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

/// Escape byte `0xFE`: the value is in one tail word (for an input: a
/// register).
const ESC_WORD: u8 = 0xFE;
/// Escape byte `0xFF`: for a target, the value is in two tail words; for an
/// input, a constant in one tail word; for an output, [`DISCARD`].
const ESC_WIDE: u8 = 0xFF;
/// Largest value a target or an output byte holds directly.
const DIRECT_MAX: u8 = 0xFD;
/// Largest register an input byte holds directly.
const IN_REG_MAX: u8 = 0x7F;
/// Input byte of constant 0.
const IN_CONST_BASE: u8 = 0x80;
/// Largest constant an input byte holds directly.
const IN_CONST_MAX: u16 = (DIRECT_MAX - IN_CONST_BASE) as u16;
/// Largest origin step held in the origin code itself.
const ORIGIN_STEP_MAX: u16 = 29;
/// Origin code: the step is in one tail word.
const ORIGIN_STEP_WORD: u16 = 30;
/// Origin code: the origin is in two tail words.
const ORIGIN_ABSOLUTE: u16 = 31;
/// Bit of the head word that says a test byte is present.
const TEST_BIT: u16 = 1 << 10;

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
}

/// Why a word sequence is not register code. Every variant names the word
/// offset of the problem ([`DecodeError::offset`]).
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
    /// The test byte names no stack opcode.
    #[error("at word {offset}: unknown test opcode byte {byte:#04x}")]
    UnknownTest {
        /// Offset of the word holding the test byte.
        offset: usize,
        /// The test byte.
        byte: u8,
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
        /// Offset of the word holding the input byte.
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
    /// The padding byte of an odd-length operand stream is not zero.
    #[error("at word {offset}: padding byte is {byte:#04x}, not 0")]
    BadPadding {
        /// Offset of the padded word.
        offset: usize,
        /// The padding byte.
        byte: u8,
    },
    /// The origin step leaves the 32-bit range.
    #[error("at word {offset}: origin overflows 32 bits")]
    OriginOverflow {
        /// Offset of the head word.
        offset: usize,
    },
}

impl DecodeError {
    /// The word offset the error names.
    pub fn offset(&self) -> usize {
        match *self {
            DecodeError::Truncated { offset, .. }
            | DecodeError::UnknownOpcode { offset, .. }
            | DecodeError::UnknownTest { offset, .. }
            | DecodeError::NoShape { offset, .. }
            | DecodeError::ConstInput { offset, .. }
            | DecodeError::NonCanonical { offset, .. }
            | DecodeError::BadPadding { offset, .. }
            | DecodeError::OriginOverflow { offset } => offset,
        }
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

/// Encodes register instructions as 16-bit code units (see the module
/// documentation for the format).
pub fn encode(instrs: &[RegInstr]) -> Result<Vec<u16>, EncodeError> {
    let mut out = Vec::with_capacity(instrs.len().saturating_mul(3));
    let mut prev = 0;
    for (index, ins) in instrs.iter().enumerate() {
        encode_one(index, ins, prev, &mut out)?;
        prev = ins.origin;
    }
    Ok(out)
}

/// The size in bytes of the encoding of `instrs`: twice its word count.
pub fn code_bytes(instrs: &[RegInstr]) -> Result<usize, EncodeError> {
    Ok(2 * encode(instrs)?.len())
}

fn lo(v: u32) -> u16 {
    (v & 0xFFFF) as u16
}

fn hi(v: u32) -> u16 {
    (v >> 16) as u16
}

fn encode_one(
    index: usize,
    ins: &RegInstr,
    prev_origin: u32,
    out: &mut Vec<u16>,
) -> Result<(), EncodeError> {
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

    let mut bytes: Vec<u8> = Vec::with_capacity(3 + ins.outs.len() + ins.ins.len());
    let mut arg_words: Vec<u16> = Vec::new();
    let mut tail: Vec<u16> = Vec::new();
    let arg_mode: u16 = match arg {
        0 => 0,
        1..=0xFF => {
            bytes.push(arg as u8);
            1
        }
        0x100..=0xFFFF => {
            arg_words.push(lo(arg));
            2
        }
        _ => {
            arg_words.extend([lo(arg), hi(arg)]);
            3
        }
    };
    if let Some(t) = ins.test {
        bytes.push(t as u8);
    }
    if sh.target {
        let t = ins.target;
        if t <= u32::from(DIRECT_MAX) {
            bytes.push(t as u8);
        } else if t <= 0xFFFF {
            bytes.push(ESC_WORD);
            tail.push(lo(t));
        } else {
            bytes.push(ESC_WIDE);
            tail.extend([lo(t), hi(t)]);
        }
    }
    for &r in &ins.outs {
        if r == DISCARD {
            bytes.push(ESC_WIDE);
        } else if r <= Reg::from(DIRECT_MAX) {
            bytes.push(r as u8);
        } else {
            bytes.push(ESC_WORD);
            tail.push(r);
        }
    }
    for (position, &x) in ins.ins.iter().enumerate() {
        match x {
            Rk::Reg(r) if r <= Reg::from(IN_REG_MAX) => bytes.push(r as u8),
            Rk::Reg(r) => {
                bytes.push(ESC_WORD);
                tail.push(r);
            }
            Rk::Const(constant) if sh.ins_are_regs => {
                return Err(EncodeError::ConstInput {
                    index,
                    op,
                    position,
                    constant,
                })
            }
            Rk::Const(k) if k <= IN_CONST_MAX => bytes.push(IN_CONST_BASE + k as u8),
            Rk::Const(k) => {
                bytes.push(ESC_WIDE);
                tail.push(k);
            }
        }
    }
    let origin_code = match ins.origin.checked_sub(prev_origin) {
        Some(step) if step <= u32::from(ORIGIN_STEP_MAX) => step as u16,
        Some(step) if step <= 0xFFFF => {
            tail.push(lo(step));
            ORIGIN_STEP_WORD
        }
        _ => {
            tail.extend([lo(ins.origin), hi(ins.origin)]);
            ORIGIN_ABSOLUTE
        }
    };

    let test_bit = if ins.test.is_some() { TEST_BIT } else { 0 };
    out.push(u16::from(op_byte(ins.op)) | arg_mode << 8 | test_bit | origin_code << 11);
    out.extend(arg_words);
    out.extend(bytes.chunks(2).map(|pair| match *pair {
        [a, b] => u16::from(a) | u16::from(b) << 8,
        [a] => u16::from(a),
        _ => 0,
    }));
    out.extend(tail);
    Ok(())
}

/// Decodes 16-bit code units into register instructions. Never panics:
/// malformed input gives a [`DecodeError`] naming the word offset.
pub fn decode(words: &[u16]) -> Result<Vec<RegInstr>, DecodeError> {
    let mut r = Reader { words, pos: 0 };
    let mut out = Vec::new();
    let mut prev = 0;
    while r.pos < words.len() {
        let ins = decode_one(&mut r, prev)?;
        prev = ins.origin;
        out.push(ins);
    }
    Ok(out)
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

    /// Byte `i` of the operand stream starting at word `start`, and the
    /// offset of its word.
    fn stream_byte(&self, start: usize, i: usize) -> Result<(u8, usize), DecodeError> {
        let at = start.saturating_add(i / 2);
        let w = self.words.get(at).copied().ok_or(DecodeError::Truncated {
            offset: self.words.len(),
            what: "operand stream",
        })?;
        let b = if i.is_multiple_of(2) {
            w & 0xFF
        } else {
            w >> 8
        };
        Ok((b as u8, at))
    }
}

fn non_canonical(offset: usize, what: &'static str) -> DecodeError {
    DecodeError::NonCanonical { offset, what }
}

fn decode_one(r: &mut Reader<'_>, prev_origin: u32) -> Result<RegInstr, DecodeError> {
    let (head, start) = r.word("instruction")?;
    let byte = (head & 0xFF) as u8;
    let op = op_from_byte(byte).ok_or(DecodeError::UnknownOpcode {
        offset: start,
        byte,
    })?;
    let name = op.name();
    let arg_mode = (head >> 8) & 3;
    let has_test = head & TEST_BIT != 0;
    let origin_code = head >> 11;

    let arg = match arg_mode {
        0 => 0,
        1 => {
            let (b, at) = r.stream_byte(r.pos, 0)?;
            if b == 0 {
                return Err(non_canonical(at, "argument byte 0 (mode 0 says 0)"));
            }
            u32::from(b)
        }
        2 => {
            let (w, at) = r.word("argument word")?;
            if w <= 0xFF {
                return Err(non_canonical(at, "argument word below 256"));
            }
            u32::from(w)
        }
        _ => {
            let (v, at) = r.u32("argument words")?;
            if v <= 0xFFFF {
                return Err(non_canonical(at, "two-word argument below 65536"));
            }
            v
        }
    };
    let sh = shape(op, arg).ok_or(DecodeError::NoShape {
        offset: start,
        op: name,
        arg,
    })?;

    // The stream's length, checked against the input before anything is
    // allocated for it.
    let nbytes = u64::from(arg_mode == 1)
        + u64::from(has_test)
        + u64::from(sh.target)
        + u64::from(sh.outs)
        + u64::from(sh.ins);
    let nwords = nbytes.div_ceil(2);
    let remaining = r.words.len().saturating_sub(r.pos) as u64;
    if nwords > remaining {
        return Err(DecodeError::Truncated {
            offset: r.words.len(),
            what: "operand stream",
        });
    }
    let stream = r.pos;
    r.pos += nwords as usize;
    let mut i = usize::from(arg_mode == 1);

    let test = if has_test {
        let (b, at) = r.stream_byte(stream, i)?;
        i += 1;
        Some(Opcode::from_u8(b).ok_or(DecodeError::UnknownTest {
            offset: at,
            byte: b,
        })?)
    } else {
        None
    };

    let target = if sh.target {
        let (b, _) = r.stream_byte(stream, i)?;
        i += 1;
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
        let (b, _) = r.stream_byte(stream, i)?;
        i += 1;
        outs.push(match b {
            ESC_WIDE => DISCARD,
            ESC_WORD => {
                let (w, at) = r.word("output register word")?;
                if w <= Reg::from(DIRECT_MAX) || w == DISCARD {
                    return Err(non_canonical(
                        at,
                        "output register word below 254 or DISCARD",
                    ));
                }
                w
            }
            b => Reg::from(b),
        });
    }

    let mut ins = Vec::with_capacity(sh.ins as usize);
    for position in 0..sh.ins as usize {
        let (b, at) = r.stream_byte(stream, i)?;
        i += 1;
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

    if i % 2 == 1 {
        let (b, at) = r.stream_byte(stream, i)?;
        if b != 0 {
            return Err(DecodeError::BadPadding {
                offset: at,
                byte: b,
            });
        }
    }

    let overflow = DecodeError::OriginOverflow { offset: start };
    let origin = match origin_code {
        ORIGIN_STEP_WORD => {
            let (w, at) = r.word("origin step word")?;
            if w <= ORIGIN_STEP_MAX {
                return Err(non_canonical(at, "origin step word below 30"));
            }
            prev_origin.checked_add(u32::from(w)).ok_or(overflow)?
        }
        ORIGIN_ABSOLUTE => {
            let (v, at) = r.u32("origin words")?;
            if v.checked_sub(prev_origin)
                .is_some_and(|step| step <= 0xFFFF)
            {
                return Err(non_canonical(
                    at,
                    "absolute origin within 65535 after the previous one",
                ));
            }
            v
        }
        step => prev_origin.checked_add(u32::from(step)).ok_or(overflow)?,
    };

    Ok(RegInstr {
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
