//! Checks `hash` of values of every hashable constant kind against CPython
//! 3.9 run with `PYTHONHASHSEED=0` (golden data from
//! scripts/gen_hash_golden.py), plus properties that tie the numeric hashes
//! together for inputs the golden data cannot enumerate.

use num_bigint::BigInt;
use num_traits::FromPrimitive;
use proptest::prelude::*;
use pyreg_spec::code::{Constant, PyStr};
use pyreg_spec::pyhash::{
    hash_bool, hash_bytes, hash_complex, hash_float, hash_frozenset, hash_i64, hash_int, hash_str,
    hash_tuple, IMAG_MULTIPLIER, INF_HASH, MODULUS, NAN_HASH,
};
use serde_json::Value;
use std::sync::Arc;

fn golden() -> Value {
    let text = include_str!("data/hash_golden.json");
    serde_json::from_str(text).expect("golden hash data parses")
}

fn float_from_hex(v: &Value) -> f64 {
    let h = v.as_str().expect("float bits are a hex string");
    f64::from_bits(u64::from_str_radix(h, 16).expect("float bits are hex"))
}

fn str_from_points(v: &Value) -> PyStr {
    let points: Vec<u32> = v
        .as_array()
        .expect("a string is a list of code points")
        .iter()
        .map(|p| u32::try_from(p.as_u64().expect("a code point is a number")).unwrap())
        .collect();
    PyStr::from_code_points(&points)
}

fn bytes_from_hex(h: &str) -> Vec<u8> {
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("bytes are hex"))
        .collect()
}

/// Decodes the script's encoding of a value (see its docstring).
fn decode(v: &Value) -> Constant {
    let a = v.as_array().expect("a value is a JSON list");
    let items = |v: &Value| -> Arc<[Constant]> {
        v.as_array()
            .expect("container items are a list")
            .iter()
            .map(decode)
            .collect()
    };
    match a[0].as_str().expect("a value starts with its kind") {
        "bool" => Constant::Bool(a[1].as_bool().unwrap()),
        "int" => Constant::Int(a[1].as_str().unwrap().parse::<BigInt>().unwrap()),
        "float" => Constant::Float(float_from_hex(&a[1])),
        "complex" => Constant::Complex(float_from_hex(&a[1]), float_from_hex(&a[2])),
        "str" => Constant::Str(str_from_points(&a[1])),
        "bytes" => Constant::Bytes(bytes_from_hex(a[1].as_str().unwrap()).into()),
        "tuple" => Constant::Tuple(items(&a[1])),
        "frozenset" => Constant::FrozenSet(items(&a[1])),
        kind => panic!("unknown value kind {kind}"),
    }
}

/// `hash()` of a decoded value, dispatching to the function for its kind and
/// hashing container elements first.
fn hash_constant(c: &Constant) -> i64 {
    let hashes = |items: &[Constant]| items.iter().map(hash_constant).collect::<Vec<_>>();
    match c {
        Constant::Bool(b) => hash_bool(*b),
        Constant::Int(i) => hash_int(i),
        Constant::Float(f) => hash_float(*f),
        Constant::Complex(re, im) => hash_complex(*re, *im),
        Constant::Str(s) => hash_str(s),
        Constant::Bytes(b) => hash_bytes(b),
        Constant::Tuple(items) => hash_tuple(&hashes(items)),
        Constant::FrozenSet(items) => hash_frozenset(&hashes(items)),
        other => panic!("no reproducible hash for {other:?}"),
    }
}

/// Checks every golden case of one kind with `check`, which returns the
/// hash it computed, and fails listing the first mismatches readably.
fn check_kind(kind: &str, min_cases: usize, check: impl Fn(&Constant, i64) -> Result<(), String>) {
    let g = golden();
    let cases = g["cases"][kind]
        .as_array()
        .unwrap_or_else(|| panic!("golden data has no {kind} cases"));
    assert!(
        cases.len() >= min_cases,
        "golden data has only {} {kind} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in cases {
        let value = &case[0];
        let expected = case[1].as_i64().expect("a hash is an i64");
        if let Err(why) = check(&decode(value), expected) {
            failures.push(format!("{value}\n    {why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {kind} hashes differ from CPython's; the first ones:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(8)
            .map(|f| {
                // Long strings and containers make unreadable reports.
                if f.len() > 600 {
                    format!("{}...", &f[..f.floor_char_boundary(600)])
                } else {
                    f.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn compare(what: &str, expected: i64, actual: i64) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected}, actual {actual}"))
    }
}

/// The plain check: `hash_constant` must give CPython's hash.
fn same_hash(c: &Constant, expected: i64) -> Result<(), String> {
    compare("hash", expected, hash_constant(c))
}

#[test]
fn golden_data_is_from_a_build_with_the_assumed_hash_parameters() {
    let g = golden();
    assert!(g["version"].as_str().unwrap().starts_with("3.9."));
    let info = &g["hash_info"];
    assert_eq!(info["width"], 64);
    assert_eq!(info["modulus"].as_i64(), Some(MODULUS));
    assert_eq!(info["inf"].as_i64(), Some(INF_HASH));
    assert_eq!(info["nan"].as_i64(), Some(NAN_HASH));
    assert_eq!(info["imag"].as_i64(), Some(IMAG_MULTIPLIER));
    assert_eq!(info["algorithm"], "siphash24");
    assert_eq!(info["cutoff"], 0);
}

#[test]
fn str_hashes_match_cpython() {
    check_kind("str", 300, same_hash);
}

#[test]
fn str_hashes_depend_on_the_widest_code_point() {
    // "é" alone is stored in one byte, like b"\xe9"; next to U+0100 it takes
    // two, and next to an astral character four.
    let e_acute = PyStr::from("\u{e9}");
    assert_eq!(hash_str(&e_acute), hash_bytes(b"\xe9"));
    assert_eq!(
        hash_str(&PyStr::from("\u{e9}\u{100}")),
        hash_bytes(b"\xe9\x00\x00\x01")
    );
    assert_eq!(
        hash_str(&PyStr::from("\u{e9}\u{1f600}")),
        hash_bytes(b"\xe9\x00\x00\x00\x00\xf6\x01\x00")
    );
    // A lone surrogate is a two-byte code point; the same code points hash
    // the same whichever representation holds them.
    let surrogate = PyStr::from_code_points(&[0x61, 0xd800]);
    assert!(matches!(surrogate, PyStr::CodePoints(_)));
    assert_eq!(hash_str(&surrogate), hash_bytes(b"a\x00\x00\xd8"));
    let wide = PyStr::CodePoints(Arc::from(&[0x61, 0x1f600][..]));
    assert_eq!(hash_str(&wide), hash_str(&PyStr::from("a\u{1f600}")));
}

#[test]
fn bytes_hashes_match_cpython() {
    check_kind("bytes", 100, same_hash);
}

#[test]
fn int_hashes_match_cpython() {
    check_kind("int", 1000, |c, expected| {
        same_hash(c, expected)?;
        let Constant::Int(i) = c else {
            return Err(format!("not an int: {c:?}"));
        };
        match i64::try_from(i) {
            Ok(small) => compare("hash_i64", expected, hash_i64(small)),
            Err(_) => Ok(()),
        }
    });
}

#[test]
fn bool_hashes_match_cpython() {
    check_kind("bool", 2, same_hash);
}

#[test]
fn float_hashes_match_cpython() {
    check_kind("float", 1000, |c, expected| {
        same_hash(c, expected)?;
        // An integral float must also hash like the equal int.
        let Constant::Float(f) = c else {
            return Err(format!("not a float: {c:?}"));
        };
        match BigInt::from_f64(*f) {
            Some(i) if f.fract() == 0.0 => compare("hash_int(int(x))", expected, hash_int(&i)),
            _ => Ok(()),
        }
    });
}

#[test]
fn complex_hashes_match_cpython() {
    check_kind("complex", 400, same_hash);
}

#[test]
fn tuple_hashes_match_cpython() {
    check_kind("tuple", 100, same_hash);
}

#[test]
fn frozenset_hashes_match_cpython_in_any_element_order() {
    check_kind("frozenset", 100, |c, expected| {
        same_hash(c, expected)?;
        let Constant::FrozenSet(items) = c else {
            return Err(format!("not a frozenset: {c:?}"));
        };
        let mut hashes: Vec<i64> = items.iter().map(hash_constant).collect();
        hashes.reverse();
        compare("reversed", expected, hash_frozenset(&hashes))?;
        hashes.sort_unstable();
        compare("sorted", expected, hash_frozenset(&hashes))
    });
}

#[test]
fn reserved_minus_one_is_never_returned() {
    assert_eq!(hash_i64(-1), -2);
    assert_eq!(hash_int(&BigInt::from(-1)), -2);
    assert_eq!(hash_int(&(-BigInt::from(MODULUS) - 1)), -2);
    assert_eq!(hash_float(-1.0), -2);
    assert_eq!(hash_complex(-1_000_004.0, 1.0), -2);
}

/// Floats that are whole numbers, from small to beyond `i64` (every finite
/// float of magnitude at least 2**52 is integral).
fn integral_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<i64>().prop_map(|n| n as f64),
        // |m| < 2**31, so an exponent below 992 keeps the product finite.
        (any::<i32>(), 0..992i32).prop_map(|(m, e)| f64::from(m) * 2f64.powi(e)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(f64::trunc),
    ]
}

proptest! {
    #[test]
    fn hash_i64_agrees_with_hash_int(n in any::<i64>()) {
        prop_assert_eq!(hash_i64(n), hash_int(&BigInt::from(n)));
    }

    #[test]
    fn integral_floats_hash_like_ints(f in integral_float()) {
        let i = BigInt::from_f64(f).expect("an integral float converts exactly");
        prop_assert_eq!(hash_float(f), hash_int(&i));
        prop_assert_eq!(hash_complex(f, 0.0), hash_int(&i));
    }

    #[test]
    fn int_hashes_are_reductions_modulo_the_prime(n in any::<i128>()) {
        let big = BigInt::from(n);
        let reduced = n.unsigned_abs() % MODULUS as u128;
        let expected = if n < 0 { -(reduced as i64) } else { reduced as i64 };
        let expected = if expected == -1 { -2 } else { expected };
        prop_assert_eq!(hash_int(&big), expected);
        // Adding a multiple of the modulus to a non-negative int keeps its hash.
        if n >= 0 {
            prop_assert_eq!(hash_int(&(big.clone() + BigInt::from(MODULUS) * 7)), hash_int(&big));
        }
    }

    #[test]
    fn frozenset_hash_ignores_order(
        mut hashes in prop::collection::vec(any::<i64>(), 0..12),
        seed in any::<u64>(),
    ) {
        let expected = hash_frozenset(&hashes);
        // A seeded Fisher-Yates shuffle, so failures replay.
        let mut state = seed | 1;
        for i in (1..hashes.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            hashes.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(hash_frozenset(&hashes), expected);
    }
}
