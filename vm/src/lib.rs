//! # pyreg-vm: the optimized register virtual machine
//!
//! Status: not implemented yet. This crate will hold the fast engine: an
//! implementation of the register ISA independent of `pyreg-spec`'s step
//! functions (it may share only the ISA and code-object types and pure leaf
//! helpers), so that differential testing against the spec means something.
#![warn(missing_docs)]
