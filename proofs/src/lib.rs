//! # pyreg-proofs: invariants and their executable checkers
//!
//! The written invariants live beside this crate as Markdown; the checkers
//! and the bodies of the fuzz targets live here, so that `cargo test` runs
//! every fuzz body and `fuzz/` stays a set of one-line targets.
//!
//! Implemented so far: the fuzz bodies of the loader, the verifier and the
//! translator ([`fuzz_bodies`]) and the differential oracle between
//! spec-stack and spec-reg ([`oracle`]). The translation validator,
//! lockstep checker, liveness and DEREF checkers are still to come.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod deref;
pub mod exhaustive;
pub mod fuzz_bodies;
pub mod liveness;
pub mod lockstep;
pub mod oracle;
pub mod validator;
