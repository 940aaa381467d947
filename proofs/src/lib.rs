//! # pyreg-proofs: invariants and their executable checkers
//!
//! The written invariants live beside this crate as Markdown; the checkers
//! and the bodies of the fuzz targets live here, so that `cargo test` runs
//! every fuzz body and `fuzz/` stays a set of one-line targets.
//!
//! The checkers, one module each, named by the invariant files:
//! - [`validator`]: the translation validator (simulation, liveness (3),
//!   DEREF event matching);
//! - [`lockstep`]: spec-stack and spec-reg side by side, checking the
//!   simulation relation on concrete states;
//! - [`liveness`]: exact consumption of temporaries;
//! - [`deref`]: cell accesses only through the DEREF family;
//! - [`exhaustive`]: every small well-formed program, through all of them;
//! - [`generate`]: the generator of always-valid stack code objects;
//! - [`oracle`]: the differential oracle between the two reference engines;
//! - [`fuzz_bodies`]: the bodies of the cargo-fuzz targets;
//! - [`testkit`]: builders the tests share.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod deref;
pub mod exhaustive;
pub mod fuzz_bodies;
pub mod generate;
pub mod liveness;
pub mod lockstep;
pub mod oracle;
pub mod testkit;
pub mod validator;
