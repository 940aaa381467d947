//! # pyreg-spec: the executable specification
//!
//! This crate defines what pyreg's programs mean:
//! - [`code`]: CPython 3.9 code objects and their constants;
//! - [`opcode`]: the stack ISA, one table row per CPython 3.9 opcode;
//! - [`decode`]: wordcode decoding with `EXTENDED_ARG`;
//! - [`verify`]: the stack verifier that rejects ill-formed code;
//! - [`pyrepr`]: Python's `repr` of constants (strings, floats, bytes, ...);
//! - [`dis`]: the disassembly listing, byte-identical to `python3.9 -m dis`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod code;
pub mod decode;
pub mod dis;
pub mod opcode;
pub mod pyrepr;
pub mod verify;
