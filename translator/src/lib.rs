//! # pyreg-translator: stack code → register code
//!
//! Status: not implemented yet. This crate will hold the translation of
//! verified CPython 3.9 code objects into pyreg's register ISA (CFG
//! construction, abstract interpretation of the operand and block stacks,
//! operand folding, liveness-based register allocation, static exception
//! tables). Until it exists, every caller reports "translator not
//! implemented" rather than pretending to translate.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
