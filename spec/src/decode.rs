//! Wordcode decoding.
//!
//! CPython 3.9 code is a sequence of 2-byte code units `(opcode, arg)`. An
//! argument wider than a byte is built by up to three `EXTENDED_ARG` prefixes,
//! each contributing the next higher byte. A decoded [`Instruction`] folds its
//! prefixes in; [`code_units`] keeps them apart, as `dis` shows them.

use crate::opcode::{Opcode, HAVE_ARGUMENT};
use thiserror::Error;

/// The most `EXTENDED_ARG` prefixes an instruction can have: with four, the
/// argument would not fit in the 32 bits of CPython's `oparg`.
pub const MAX_EXTENDED_ARGS: u32 = 3;

/// One instruction with its `EXTENDED_ARG` prefixes folded into `arg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// Byte offset of the first prefix, or of the opcode when it has none.
    /// Jumps target this offset.
    pub start: u32,
    /// Byte offset of the opcode itself.
    pub offset: u32,
    /// The opcode.
    pub opcode: Opcode,
    /// The full argument (0 for opcodes without one).
    pub arg: u32,
}

impl Instruction {
    /// Offset of the instruction that follows this one.
    pub fn next(&self) -> u32 {
        self.offset + 2
    }

    /// The target of a jump instruction, as CPython 3.9 computes it: relative
    /// jumps count bytes from the next instruction, absolute ones from 0.
    pub fn jump_target(&self) -> Option<u64> {
        match self.opcode.info().arg {
            crate::opcode::ArgKind::JumpRelative => {
                Some(u64::from(self.next()) + u64::from(self.arg))
            }
            crate::opcode::ArgKind::JumpAbsolute => Some(u64::from(self.arg)),
            _ => None,
        }
    }
}

/// Why a byte string is not well-formed wordcode.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The code is empty.
    #[error("co_code is empty")]
    Empty,
    /// Wordcode is made of 2-byte units.
    #[error("co_code has odd length {0}")]
    OddLength(usize),
    /// A byte that is no CPython 3.9 opcode.
    #[error("unknown opcode {opcode} at offset {offset}")]
    UnknownOpcode {
        /// The offending byte.
        opcode: u8,
        /// Its offset.
        offset: u32,
    },
    /// `EXTENDED_ARG` must be followed by an instruction that takes an argument.
    #[error("EXTENDED_ARG at offset {offset} is not followed by an instruction with an argument")]
    DanglingExtendedArg {
        /// Offset of the prefix.
        offset: u32,
    },
    /// More prefixes than a 32-bit argument needs.
    #[error("more than {MAX_EXTENDED_ARGS} EXTENDED_ARG prefixes before offset {offset}")]
    TooManyExtendedArgs {
        /// Offset of the prefixed instruction.
        offset: u32,
    },
    /// An opcode without an argument must have a zero argument byte.
    #[error("{opcode} at offset {offset} takes no argument but has argument byte {arg}")]
    ArgumentOnNoArgOpcode {
        /// The opcode.
        opcode: Opcode,
        /// Its offset.
        offset: u32,
        /// The argument byte.
        arg: u8,
    },
    /// Code longer than a 32-bit offset can address.
    #[error("co_code is {0} bytes long, more than a 32-bit offset can address")]
    TooLong(usize),
}

impl DecodeError {
    /// The byte offset the error is about, if any.
    pub fn offset(&self) -> Option<u32> {
        match self {
            DecodeError::UnknownOpcode { offset, .. }
            | DecodeError::DanglingExtendedArg { offset }
            | DecodeError::TooManyExtendedArgs { offset }
            | DecodeError::ArgumentOnNoArgOpcode { offset, .. } => Some(*offset),
            _ => None,
        }
    }
}

/// One 2-byte code unit as `dis` lists it: the raw opcode byte and, for
/// opcodes with an argument, the argument including earlier prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeUnit {
    /// Byte offset.
    pub offset: u32,
    /// The opcode byte (which may name no opcode in ill-formed code).
    pub op: u8,
    /// The argument with its prefixes, for opcodes at or above `HAVE_ARGUMENT`.
    pub arg: Option<u64>,
}

/// Splits code into units without rejecting anything, folding prefixes the
/// way `dis._unpack_opargs` does (a prefix shifts the accumulated argument
/// left by 8 bits; an argument wider than 64 bits keeps its low bits).
pub fn code_units(code: &[u8]) -> Vec<CodeUnit> {
    let mut out = Vec::with_capacity(code.len() / 2);
    let mut ext: u64 = 0;
    for (i, pair) in code.chunks_exact(2).enumerate() {
        let (op, byte) = (pair[0], pair[1]);
        let arg = if op >= HAVE_ARGUMENT {
            let a = u64::from(byte) | ext;
            ext = if op == Opcode::ExtendedArg as u8 {
                a << 8
            } else {
                0
            };
            Some(a)
        } else {
            ext = 0;
            None
        };
        out.push(CodeUnit {
            offset: (i * 2) as u32,
            op,
            arg,
        });
    }
    out
}

/// Decodes wordcode into instructions, rejecting anything that is not
/// well-formed CPython 3.9 wordcode.
pub fn decode(code: &[u8]) -> Result<Vec<Instruction>, DecodeError> {
    if code.is_empty() {
        return Err(DecodeError::Empty);
    }
    if !code.len().is_multiple_of(2) {
        return Err(DecodeError::OddLength(code.len()));
    }
    if u32::try_from(code.len()).is_err() {
        return Err(DecodeError::TooLong(code.len()));
    }
    let mut out = Vec::with_capacity(code.len() / 2);
    let mut start: Option<u32> = None;
    let mut prefixes = 0u32;
    let mut arg: u32 = 0;
    for (i, pair) in code.chunks_exact(2).enumerate() {
        let offset = (i * 2) as u32;
        let opcode = Opcode::from_u8(pair[0]).ok_or(DecodeError::UnknownOpcode {
            opcode: pair[0],
            offset,
        })?;
        if !opcode.has_arg() {
            if let Some(p) = start {
                return Err(DecodeError::DanglingExtendedArg { offset: p });
            }
            if pair[1] != 0 {
                return Err(DecodeError::ArgumentOnNoArgOpcode {
                    opcode,
                    offset,
                    arg: pair[1],
                });
            }
        }
        // Prefixes beyond the third would shift bits out of the 32-bit argument.
        arg = (arg << 8) | u32::from(pair[1]);
        if opcode == Opcode::ExtendedArg {
            if start.is_none() {
                start = Some(offset);
            }
            prefixes += 1;
            if prefixes > MAX_EXTENDED_ARGS {
                return Err(DecodeError::TooManyExtendedArgs { offset: offset + 2 });
            }
            continue;
        }
        out.push(Instruction {
            start: start.take().unwrap_or(offset),
            offset,
            opcode,
            arg,
        });
        arg = 0;
        prefixes = 0;
    }
    if let Some(p) = start {
        return Err(DecodeError::DanglingExtendedArg { offset: p });
    }
    Ok(out)
}
