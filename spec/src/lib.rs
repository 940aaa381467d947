//! # pyreg-spec: the executable specification
//!
//! This crate defines what pyreg's programs mean:
//! - [`code`]: CPython 3.9 code objects and their constants;
//! - [`opcode`]: the stack ISA, one table row per CPython 3.9 opcode;
//! - [`decode`]: wordcode decoding with `EXTENDED_ARG`;
//! - [`verify`]: the stack verifier that rejects ill-formed code;
//! - [`pyrepr`]: Python's `repr` of constants (strings, floats, bytes, ...);
//! - [`pyformat`]: `format()`, `str % args` and float-to-string conversion
//!   of ints, floats and strings, as CPython 3.9 formats them;
//! - [`pyhash`]: Python's `hash` of immutable values, as with `PYTHONHASHSEED=0`;
//! - [`settable`]: the hash table of `set`/`frozenset`, in CPython 3.9's order;
//! - [`reg`]: the register ISA, pyreg's register form of that code;
//! - [`reg_encode`]: the binary encoding of register code in 16-bit code units;
//! - [`reg_verify`]: the register verifier that rejects ill-formed register code;
//! - [`dis`]: the disassembly listing, byte-identical to `python3.9 -m dis`;
//! - [`canon`]: a canonical structural rendering of values, to compare the
//!   final globals of different engines.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod builtins;
pub mod canon;
pub mod code;
pub mod decode;
pub mod dis;
pub mod interp;
pub mod object;
pub mod opcode;
pub mod pycomplex;
pub mod pyformat;
pub mod pyhash;
pub mod pyrepr;
pub mod reg;
pub mod reg_encode;
pub mod reg_verify;
pub mod settable;
pub mod verify;
