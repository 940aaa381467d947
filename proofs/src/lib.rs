//! # pyreg-proofs: invariants and their executable checkers
//!
//! The written invariants live beside this crate as Markdown; the checkers
//! and the bodies of the fuzz targets live here, so that `cargo test` runs
//! every fuzz body and `fuzz/` stays a set of one-line targets.
//!
//! Implemented so far: the fuzz bodies of the loader and the verifier
//! ([`fuzz_bodies`]). The translation validator, lockstep checker, liveness
//! and DEREF checkers arrive with the register ISA.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod fuzz_bodies;
