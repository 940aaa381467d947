//! Plain properties of the leaf algorithms, each against a reference that
//! shares no code with the spec, and a small table of CPython 3.9 values
//! (`data/leaf_reference.rs`, made by `scripts/gen_leaf_reference.py` with
//! `PYTHONHASHSEED=0`) that the same functions must reproduce:
//!
//! - `repr(float)` reads back as the same float (Rust's correctly rounded
//!   parser), no decimal with one digit fewer does, and its layout is
//!   CPython's (`repr` style `'r'`: exponent notation exactly when the
//!   decimal exponent is below -4 or at least 16, `.0` after integral
//!   values, at least two exponent digits);
//! - `format(int, spec)` against a reference renderer of the integer
//!   presentation types (`d x X o b`), signs, `#`, fill, alignment, width,
//!   zero padding and both grouping options;
//! - `hash()` of ints (reduction modulo 2**61 - 1 in big integers), floats
//!   (the exact rational value reduced with the inverse of 2) and strs and
//!   bytes (the standard library's SipHash-2-4 over the PEP 393 storage).
//!
//! proptest rather than quickcheck: the crate already uses it (pyhash.rs),
//! and quickcheck would bring a second generator framework whose only
//! difference here is weaker shrinking of composite values.

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive};
use proptest::prelude::*;
use pyreg_spec::code::PyStr;
use pyreg_spec::pyformat::{format_int, parse_spec};
use pyreg_spec::pyhash::{hash_bytes, hash_float, hash_int, hash_str};
use pyreg_spec::pyrepr::repr_float;

mod reference {
    include!("data/leaf_reference.rs");
}

/// Cases per property: `PYREG_LEAF_CASES`, 2,048 by default.
fn cases() -> u32 {
    std::env::var("PYREG_LEAF_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2048)
}

// ---------------------------------------------------------------------------
// float repr

/// Floats of every sort: any bit pattern, and short decimals (whose reprs
/// are short, where ties and layout switches live).
fn any_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        (1u64..100_000_000_000_000_000, -330i32..310)
            .prop_map(|(m, e)| format!("{m}e{e}").parse::<f64>().expect("a decimal")),
        (1u64..1000, -8i32..20).prop_map(|(m, e)| format!("{m}e{e}").parse::<f64>().unwrap()),
        (0i32..2098).prop_map(|e| 2f64.powi(e - 1074)),
    ]
}

/// The significant digits of a repr and the decimal exponent of the first
/// one, read from its text: `1.25e-07` is ("125", -7), `0.001` ("1", -3),
/// `1200.0` ("12", 3).
fn significant(repr: &str) -> (String, i32) {
    let s = repr.trim_start_matches('-');
    let (mantissa, exp) = match s.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().expect("an exponent")),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0').to_string();
    // The first significant digit is at position `lead` of `all`; the
    // decimal point sits after `int`.
    let exp10 = exp + int.len() as i32 - 1 - lead as i32;
    (digits, exp10)
}

/// Whether the decimal `m × 10^e` reads back as `x`.
fn reads_back(m: &BigInt, e: i32, x: f64) -> bool {
    format!("{m}e{e}").parse::<f64>() == Ok(x)
}

/// Checks the layout rules of CPython's `repr(float)` on the text alone.
fn check_layout(x: f64, r: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(r.starts_with('-'), x.is_sign_negative(), "sign of {}", r);
    let s = r.trim_start_matches('-');
    if x == 0.0 {
        prop_assert_eq!(s, "0.0");
        return Ok(());
    }
    let (_, exp10) = significant(r);
    let exponent_form = !(-4..16).contains(&exp10);
    if let Some((m, e)) = s.split_once('e') {
        prop_assert!(exponent_form, "{} in exponent notation", r);
        let (sign, digits) = e.split_at(1);
        prop_assert!(sign == "+" || sign == "-", "exponent sign of {}", r);
        prop_assert!(digits.len() >= 2, "exponent digits of {}", r);
        prop_assert!(digits.len() == 2 || !digits.starts_with('0'), "{}", r);
        prop_assert!(m.as_bytes()[0].is_ascii_digit() && m.as_bytes()[0] != b'0');
        if let Some((int, frac)) = m.split_once('.') {
            prop_assert_eq!(int.len(), 1, "{}", r);
            prop_assert!(!frac.is_empty() && !frac.ends_with('0'), "{}", r);
        }
    } else {
        prop_assert!(!exponent_form, "{} in fixed notation", r);
        let (int, frac) = s.split_once('.').expect("a fixed repr has a point");
        prop_assert!(int == "0" || !int.starts_with('0'), "{}", r);
        prop_assert!(!frac.is_empty(), "{}", r);
        prop_assert!(frac == "0" || !frac.ends_with('0'), "{}", r);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn float_repr_reads_back_and_is_shortest(x in any_float()) {
        let r = repr_float(x);
        if x.is_nan() {
            prop_assert_eq!(r, "nan");
            return Ok(());
        }
        if x.is_infinite() {
            prop_assert_eq!(r, if x > 0.0 { "inf" } else { "-inf" });
            return Ok(());
        }
        prop_assert_eq!(r.parse::<f64>().map(f64::to_bits), Ok(x.to_bits()), "{}", r);
        check_layout(x, &r)?;
        // Shortest: no decimal with one digit fewer reads back. The
        // nearest ones below and above |x| are the correctly rounded
        // (n-1)-digit decimal and its two neighbours.
        let (digits, _) = significant(&r);
        let n = digits.len();
        if n >= 2 {
            let sci = format!("{:.*e}", n - 2, x.abs());
            let (m, e) = sci.split_once('e').expect("an exponent");
            let m: BigInt = m.replace('.', "").parse().expect("digits");
            let e: i32 = e.parse::<i32>().expect("an exponent") - (n as i32 - 2);
            for c in [&m - 1, m.clone(), &m + 1] {
                prop_assert!(
                    !reads_back(&c, e, x.abs()),
                    "{} has {} digits, but {}e{} reads back too", r, n, c, e
                );
            }
        }
    }
}

#[test]
fn float_repr_matches_the_cpython_table() {
    let mut wrong = Vec::new();
    for &(bits, expected) in reference::FLOAT_REPR {
        let got = repr_float(f64::from_bits(bits));
        if got != expected {
            wrong.push(format!("{bits:#018x}: CPython {expected}, spec {got}"));
        }
    }
    assert!(reference::FLOAT_REPR.len() >= 300);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------
// int formatting

/// A format specification for an int, in parts.
#[derive(Clone, Debug)]
struct IntSpec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alternate: bool,
    zero: bool,
    width: Option<usize>,
    grouping: Option<char>,
    ty: Option<char>,
}

impl IntSpec {
    fn text(&self) -> String {
        let mut s = String::new();
        if let Some(a) = self.align {
            s.extend(self.fill);
            s.push(a);
        }
        s.extend(self.sign);
        if self.alternate {
            s.push('#');
        }
        if self.zero {
            s.push('0');
        }
        if let Some(w) = self.width {
            s.push_str(&w.to_string());
        }
        s.extend(self.grouping);
        s.extend(self.ty);
        s
    }

    /// What CPython 3.9 makes of `format(n, self.text())`; `None` where it
    /// raises (`,` with a non-decimal type).
    fn render(&self, n: &BigInt) -> Option<String> {
        let ty = self.ty.unwrap_or('d');
        let (base, prefix) = match ty {
            'x' => (16, "0x"),
            'X' => (16, "0X"),
            'o' => (8, "0o"),
            'b' => (2, "0b"),
            _ => (10, ""),
        };
        if self.grouping == Some(',') && base != 10 {
            return None;
        }
        let mut digits = n.abs().to_str_radix(base);
        if ty == 'X' {
            digits = digits.to_uppercase();
        }
        let prefix = if self.alternate { prefix } else { "" };
        let sign = if n.is_negative() {
            "-"
        } else {
            match self.sign {
                Some('+') => "+",
                Some(' ') => " ",
                _ => "",
            }
        };
        let group = |d: &str| -> String {
            let Some(sep) = self.grouping else {
                return d.to_string();
            };
            let size = if base == 10 { 3 } else { 4 };
            let chars: Vec<char> = d.chars().collect();
            let mut out = Vec::new();
            for (i, c) in chars.iter().rev().enumerate() {
                if i > 0 && i % size == 0 {
                    out.push(sep);
                }
                out.push(*c);
            }
            out.into_iter().rev().collect()
        };
        let fill = self.fill.or(self.zero.then_some('0')).unwrap_or(' ');
        let align = self.align.or(self.zero.then_some('=')).unwrap_or('>');
        let width = self.width.unwrap_or(0);
        let head = format!("{sign}{prefix}");
        if fill == '0' && align == '=' {
            // Zero padding goes through the grouping: leading zero digits
            // are added until the grouped digits fill the width.
            let min = width.saturating_sub(head.chars().count());
            let mut d = digits;
            while group(&d).chars().count() < min {
                d.insert(0, '0');
            }
            return Some(format!("{head}{}", group(&d)));
        }
        let body = group(&digits);
        let len = head.chars().count() + body.chars().count();
        let pad = width.saturating_sub(len);
        let fills = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
        Some(match align {
            '<' => format!("{head}{body}{}", fills(pad)),
            '^' => format!("{}{head}{body}{}", fills(pad / 2), fills(pad - pad / 2)),
            '=' => format!("{head}{}{body}", fills(pad)),
            _ => format!("{}{head}{body}", fills(pad)),
        })
    }
}

fn int_spec() -> impl Strategy<Value = IntSpec> {
    let fill_align = prop_oneof![
        Just((None, None)),
        (
            prop::option::of(prop::sample::select(vec![
                '*', ' ', '0', '_', '=', '<', 'é'
            ])),
            prop::sample::select(vec!['<', '>', '^', '='])
        )
            .prop_map(|(f, a)| (f, Some(a))),
    ];
    (
        fill_align,
        prop::option::of(prop::sample::select(vec!['+', '-', ' '])),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(1usize..30),
        prop::option::of(prop::sample::select(vec![',', '_'])),
        prop::option::of(prop::sample::select(vec!['d', 'x', 'X', 'o', 'b'])),
    )
        .prop_map(
            |((fill, align), sign, alternate, zero, width, grouping, ty)| IntSpec {
                fill,
                align,
                sign,
                alternate,
                zero,
                width,
                grouping,
                ty,
            },
        )
}

fn big_int() -> impl Strategy<Value = BigInt> {
    prop_oneof![
        any::<i64>().prop_map(BigInt::from),
        (any::<bool>(), prop::collection::vec(any::<u32>(), 0..8)).prop_map(|(neg, d)| {
            BigInt::from_slice(if neg { Sign::Minus } else { Sign::Plus }, &d)
        }),
        (-2000i64..2000).prop_map(BigInt::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn int_formatting_matches_the_reference_renderer(n in big_int(), spec in int_spec()) {
        let text = spec.text();
        let got = parse_spec(&text).and_then(|s| format_int(&n, &s));
        match spec.render(&n) {
            Some(expected) => prop_assert_eq!(got, Ok(expected), "format({}, {:?})", n, text),
            None => prop_assert!(got.is_err(), "format({}, {:?}) = {:?}", n, text, got),
        }
    }
}

#[test]
fn int_formatting_matches_the_cpython_table() {
    let mut wrong = Vec::new();
    for &(n, spec, expected) in reference::INT_FORMAT {
        let n: BigInt = n.parse().expect("an int");
        let got = parse_spec(spec).and_then(|s| format_int(&n, &s));
        if got.as_deref() != Ok(expected) {
            wrong.push(format!(
                "format({n}, {spec:?}): CPython {expected:?}, spec {got:?}"
            ));
        }
    }
    assert!(reference::INT_FORMAT.len() >= 400);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------
// hashing

/// The Mersenne prime CPython reduces numeric hashes by.
fn modulus() -> BigInt {
    (BigInt::from(1) << 61) - 1
}

fn fix_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

/// `hash(n)`: `sign(n) × (|n| mod P)`, `-1` becoming `-2`.
fn reference_hash_int(n: &BigInt) -> i64 {
    let r = (n.abs() % modulus()).to_i64().expect("below P");
    fix_minus_one(if n.is_negative() { -r } else { r })
}

/// `hash(x)` for a float: `x = m × 2^e` exactly, and `2^e` for negative
/// `e` is the inverse of 2 (that is `(P + 1) / 2`) to the power `-e`.
fn reference_hash_float(x: f64) -> i64 {
    if x.is_nan() {
        return 0;
    }
    if x.is_infinite() {
        return if x > 0.0 { 314_159 } else { -314_159 };
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (m, e) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let p = modulus();
    let r = if e >= 0 {
        (BigInt::from(m) << e as usize) % &p
    } else {
        let inverse_of_two: BigInt = (&p + 1) / 2;
        BigInt::from(m) * inverse_of_two.modpow(&BigInt::from(-e), &p) % &p
    };
    let r = r.to_i64().expect("below P");
    fix_minus_one(if x.is_sign_negative() { -r } else { r })
}

/// SipHash-2-4 with the all-zero key, from the standard library.
fn siphash(bytes: &[u8]) -> i64 {
    use std::hash::Hasher;
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new_with_keys(0, 0);
    h.write(bytes);
    h.finish() as i64
}

/// `hash(s)`: SipHash of the PEP 393 storage (1, 2 or 4 little-endian
/// bytes per code point, after the widest), 0 for `""`.
fn reference_hash_str(points: &[u32]) -> i64 {
    if points.is_empty() {
        return 0;
    }
    let widest = points.iter().copied().max().unwrap_or(0);
    let width = if widest < 0x100 {
        1
    } else if widest < 0x1_0000 {
        2
    } else {
        4
    };
    let bytes: Vec<u8> = points
        .iter()
        .flat_map(|p| p.to_le_bytes().into_iter().take(width))
        .collect();
    fix_minus_one(siphash(&bytes))
}

fn code_points() -> impl Strategy<Value = Vec<u32>> {
    prop_oneof![
        prop::collection::vec(0u32..0x80, 0..40),
        prop::collection::vec(0u32..0x100, 0..40),
        prop::collection::vec(
            prop_oneof![0u32..0x100, 0x100u32..0x1_0000, 0x1_0000u32..0x11_0000],
            0..40
        ),
        prop::collection::vec(0xd800u32..0xe000, 0..6),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn int_hash_is_the_reduction_modulo_the_prime(n in big_int()) {
        prop_assert_eq!(hash_int(&n), reference_hash_int(&n), "hash({})", n);
    }

    #[test]
    fn float_hash_is_the_exact_value_reduced(x in any_float()) {
        prop_assert_eq!(hash_float(x), reference_hash_float(x), "hash({:e})", x);
    }

    #[test]
    fn str_hash_is_siphash_of_the_pep_393_storage(points in code_points()) {
        let s = PyStr::from_code_points(&points);
        prop_assert_eq!(hash_str(&s), reference_hash_str(&points), "{:x?}", points);
    }

    #[test]
    fn bytes_hash_is_siphash_of_the_bytes(b in prop::collection::vec(any::<u8>(), 0..64)) {
        let expected = if b.is_empty() { 0 } else { fix_minus_one(siphash(&b)) };
        prop_assert_eq!(hash_bytes(&b), expected);
    }
}

#[test]
fn hashes_match_the_cpython_table() {
    let mut wrong = Vec::new();
    for &(n, expected) in reference::HASH_INT {
        let got = hash_int(&n.parse::<BigInt>().expect("an int"));
        if got != expected {
            wrong.push(format!("hash({n}): CPython {expected}, spec {got}"));
        }
    }
    for &(bits, expected) in reference::HASH_FLOAT {
        let got = hash_float(f64::from_bits(bits));
        if got != expected {
            wrong.push(format!(
                "hash({bits:#018x}): CPython {expected}, spec {got}"
            ));
        }
    }
    for &(points, expected) in reference::HASH_STR {
        let got = hash_str(&PyStr::from_code_points(points));
        if got != expected {
            wrong.push(format!("hash({points:x?}): CPython {expected}, spec {got}"));
        }
        // The reference implementations agree with CPython too.
        assert_eq!(reference_hash_str(points), expected, "{points:x?}");
    }
    for &(bits, expected) in reference::HASH_FLOAT {
        assert_eq!(reference_hash_float(f64::from_bits(bits)), expected);
    }
    assert!(
        !reference::HASH_INT.is_empty()
            && reference::HASH_INT
                .iter()
                .all(|(n, h)| { reference_hash_int(&n.parse().expect("an int")) == *h })
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
