//! Property tests: no input, random or a mutation of a valid fixture, makes
//! the marshal or `.pyc` reader panic, and every error's offset lies within
//! the input.

mod common;

use common::*;
use proptest::prelude::*;
use pyreg_frontend::marshal::{self, to_constant, MarshalValue};
use pyreg_frontend::pyc;

/// Runs every entry point on `bytes`, checking what can be checked.
fn exercise(bytes: &[u8]) {
    match marshal::loads_prefix(bytes) {
        Ok((value, consumed)) => {
            assert!(consumed <= bytes.len());
            let _ = to_constant(&value);
            // (No Debug formatting: a DAG of shared tuples prints exponentially.)
            if let MarshalValue::Code(code) = &value {
                for c in code.walk() {
                    let _ = c.line_starts();
                }
            }
        }
        Err(e) => {
            assert!(e.offset <= bytes.len(), "{e} for {} bytes", bytes.len());
            let _ = e.to_string();
        }
    }
    if let Err(e) = marshal::load_code(bytes) {
        assert!(e.offset <= bytes.len(), "{e}");
    }
    if let Err(e) = marshal::loads_constant(bytes) {
        assert!(e.offset <= bytes.len(), "{e}");
    }
    match pyc::load_pyc(bytes) {
        Err(pyc::PycError::Marshal(e)) => assert!(e.offset <= bytes.len(), "{e}"),
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(_) => {}
    }
}

/// The valid inputs the mutations start from.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = vec![data("program.marshal"), data("program.pyc")];
        seeds.extend(value_cases().into_iter().map(|c| c.bytes));
        seeds
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    FlipBit(usize, u8),
    SetByte(usize, u8),
    SetI32(usize, i32),
    Truncate(usize),
    Insert(usize, u8),
    Remove(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::SetByte(i, b)),
        (
            any::<usize>(),
            prop_oneof![
                Just(-1),
                Just(i32::MIN),
                Just(i32::MAX),
                Just(0x7fff_fffe),
                0i32..64
            ]
        )
            .prop_map(|(i, v)| Mutation::SetI32(i, v)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Remove),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len().max(1);
    match *m {
        Mutation::FlipBit(i, b) => {
            if let Some(x) = bytes.get_mut(i % len) {
                *x ^= 1 << b;
            }
        }
        Mutation::SetByte(i, v) => {
            if let Some(x) = bytes.get_mut(i % len) {
                *x = v;
            }
        }
        Mutation::SetI32(i, v) => {
            for (k, b) in v.to_le_bytes().into_iter().enumerate() {
                if let Some(x) = bytes.get_mut(i % len + k) {
                    *x = b;
                }
            }
        }
        Mutation::Truncate(n) => bytes.truncate(n % len),
        Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
        Mutation::Remove(i) => {
            if !bytes.is_empty() {
                bytes.remove(i % bytes.len());
            }
        }
    }
}

/// Turns random bytes into bytes that look like marshal data: mostly type
/// codes (some with `FLAG_REF`) and small numbers, so that the reader gets
/// past the first byte and into lengths, references and nesting.
fn shaped(raw: &[u8]) -> Vec<u8> {
    const CODES: &[u8] = b"0NFTS.iIfgxylstr()[{<>cu?aAzZ";
    raw.iter()
        .map(|&b| {
            let code = CODES[usize::from(b) % CODES.len()];
            match b {
                0..=111 => code,
                112..=143 => code | 0x80,
                144..=223 => b % 4,
                _ => b,
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        exercise(&bytes);
    }

    /// Random bytes that start like marshal data: a valid type code, then
    /// mostly small numbers, so that the reader gets past the first byte.
    #[test]
    fn marshal_shaped_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(&shaped(&raw));
    }

    #[test]
    fn mutated_fixtures_never_panic(
        seed in any::<proptest::sample::Index>(),
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let seeds = seeds();
        let mut bytes = seed.get(seeds).clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        exercise(&bytes);
    }
}

/// Every prefix of the valid fixtures is an error, never a panic, and a
/// truncated code object always says so.
#[test]
fn every_truncation_of_the_program_is_an_error() {
    let program = data("program.marshal");
    for n in 0..program.len() {
        let e = marshal::load_code(&program[..n]).unwrap_err();
        assert!(
            matches!(e.kind, marshal::MarshalErrorKind::Truncated { .. }),
            "prefix {n}: {e}"
        );
        assert!(e.offset <= n, "prefix {n}: {e}");
    }
    let pyc_bytes = data("program.pyc");
    for n in 0..pyc_bytes.len() {
        assert!(pyc::load_pyc(&pyc_bytes[..n]).is_err(), "prefix {n}");
    }
}

/// Every single-bit flip of the program: no panic, offsets in range.
#[test]
fn every_bit_flip_of_the_program() {
    let program = data("program.marshal");
    for i in 0..program.len() {
        for bit in 0..8 {
            let mut bytes = program.clone();
            bytes[i] ^= 1 << bit;
            exercise(&bytes);
        }
    }
}
