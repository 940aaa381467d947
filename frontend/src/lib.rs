//! # pyreg-frontend: getting CPython 3.9 code objects into pyreg
//!
//! - [`marshal`]: a reader for CPython 3.9's `marshal` format, the
//!   serialisation of code objects and their constants;
//! - [`pyc`]: `.pyc` files, a 16-byte header followed by a marshalled code
//!   object;
//! - [`bridge`]: a real CPython 3.9 compiling source files, until the
//!   native front end exists;
//! - [`compile`]: the native compiler, source to CPython 3.9 code objects;
//! - [`symtable`]: CPython 3.9's scoping rules;
//! - [`parse`]: the native front end's parser (`rustpython-parser`) and
//!   CPython-style syntax errors.
//!
//! Both readers return errors, never panic, on any malformed input.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bridge;
pub mod codepages;
pub mod compare;
pub mod compile;
pub mod marshal;
pub mod parse;
pub mod pyc;
pub mod regcompile;
pub mod symtable;
