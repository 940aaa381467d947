//! The code-object generator: everything it makes verifies, and goes
//! through the translator, every checker and both reference engines in
//! lockstep.

use arbitrary::Unstructured;
use pyreg_proofs::generate::{generate, single_instruction};
use std::sync::Arc;

/// Deterministic pseudo-random bytes (splitmix64), `len` of them.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

fn case(seed: u64) -> Arc<pyreg_spec::code::CodeObject> {
    let data = bytes(seed, 64 + (seed as usize * 37) % 2000);
    generate(&mut Unstructured::new(&data)).expect("the generator never fails")
}

fn count() -> u64 {
    std::env::var("PYREG_GENERATE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

#[test]
fn generated_code_always_verifies() {
    let mut instructions = 0;
    for seed in 0..count() * 4 {
        let code = case(seed);
        for c in code.walk() {
            if let Err(e) = pyreg_spec::verify::verify_code(&c) {
                panic!("seed {seed}: {e}\n{}", pyreg_spec::dis::disassemble(&c));
            }
            instructions += c.code.len() / 2;
        }
    }
    assert!(instructions > 10_000, "only {instructions} instructions");
}

#[test]
fn single_instructions_always_verify() {
    for seed in 0..count() {
        let data = bytes(seed, 32);
        let code = single_instruction(&mut Unstructured::new(&data)).expect("generates");
        if let Err(e) = pyreg_spec::verify::verify_code(&code) {
            panic!("seed {seed}: {e}\n{}", pyreg_spec::dis::disassemble(&code));
        }
    }
}

fn check_all(code: &Arc<pyreg_spec::code::CodeObject>, what: &str) {
    eprintln!("{what}");
    pyreg_proofs::fuzz_bodies::check_generated(code);
}

#[test]
fn generated_code_translates_validates_and_runs_in_lockstep() {
    for seed in 0..count() {
        check_all(&case(seed), &format!("seed {seed}"));
    }
}

#[test]
fn single_instructions_run_in_lockstep() {
    for seed in 0..count() {
        let data = bytes(seed ^ 0xABCD, 32);
        let code = single_instruction(&mut Unstructured::new(&data)).expect("generates");
        check_all(&code, &format!("single seed {seed}"));
    }
}
