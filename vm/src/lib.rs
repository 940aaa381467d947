//! # pyreg-vm: the optimized register virtual machine
//!
//! An implementation of the register ISA independent of `pyreg-spec`'s
//! step functions: it shares only the ISA and code-object types and pure
//! leaf helpers (float and string repr, line tables), so that differential
//! testing against the spec means something.
//!
//! - [`value`]: the 16-byte `Copy` value, ints and floats unboxed;
//! - [`heap`]: objects with non-atomic reference counts, and the object
//!   kinds (classes, instances, functions, generators, iterators);
//! - [`dict`]: the insertion-ordered hash table of dicts, sets and
//!   namespaces;
//! - [`code`]: register code lowered to fixed-size instructions, constants
//!   materialised, global slots resolved (the `LOAD_GLOBAL` cache);
//! - [`interp`]: one register stack with a window per frame, Python calls
//!   without Rust recursion, `loop { match }` dispatch, exceptions through
//!   the static exception table, and the object model;
//! - [`num`]: numeric leaf algorithms.
//!
//! What the VM does not implement yet stops the run with a message naming
//! it (`vm: unsupported import of module `os` in f at register
//! instruction 3`). No `unsafe` yet: register access is bounds-checked.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod code;
pub mod dict;
pub mod heap;
pub mod interp;
pub mod num;
pub mod value;

pub use interp::{Finished, Translator, Vm};
