//! CPython 3.9's `hash()` of the immutable built-in values, bit for bit, for
//! a process started with `PYTHONHASHSEED=0` on a 64-bit platform.
//!
//! Every function here is a pure leaf: it takes a value (or, for containers,
//! the hashes of the elements) and returns what `hash()` returns in CPython
//! 3.9.18 on x86-64 / aarch64 Linux, where `sys.hash_info` is
//! `(width=64, modulus=2**61-1, inf=314159, nan=0, imag=1000003,
//! algorithm='siphash24', hash_bits=64, seed_bits=128, cutoff=0)`.
//!
//! # The rules, per type
//!
//! - **Numbers** (`int`, `bool`, `float`, `complex`) hash so that equal
//!   numbers hash equally across types: a rational `x` hashes to
//!   `sign(x) * (|x| mod P)` with `P` = [`MODULUS`] = `2**61 - 1`, where
//!   division means multiplying by the inverse modulo `P`. So `hash(2) ==
//!   hash(2.0) == hash(2+0j) == hash(True + True)`. Infinities hash to
//!   `±`[`INF_HASH`]; in 3.9 every NaN hashes to [`NAN_HASH`] (`0`) — 3.10
//!   changed this to the object's address. `complex` combines the two parts'
//!   hashes as `hash(re) + 1000003 * hash(im)` in wrapping 64-bit arithmetic.
//! - **`str` and `bytes`** hash with SipHash-2-4 keyed by the hash secret,
//!   which `PYTHONHASHSEED=0` makes all zeros. The empty string hashes to 0
//!   without running SipHash. A `str` is hashed over its PEP 393 storage,
//!   whose width is set by its widest code point: 1 byte per code point if
//!   all are below U+0100, else 2 bytes (UCS-2, little-endian) if all are
//!   below U+10000, else 4 (UCS-4). Hence `hash("\u{e9}")` equals
//!   `hash(b"\xe9")`, but `"\u{e9}"` hashes differently inside a string that
//!   also holds U+0100.
//! - **`tuple`** folds the element hashes with a single-lane variant of
//!   xxHash (since CPython 3.8); **`frozenset`** XORs a bit-shuffle of each
//!   element hash (so order does not matter) and then disperses the result.
//!
//! `-1` is never a hash: CPython reserves it to signal an error. Numbers,
//! `str`, `bytes` and `complex` map it to `-2` (so `hash(-1) == -2`);
//! `tuple` and `frozenset` map it to the fixed values `1546275796` and
//! `590923713`.
//!
//! # Not reproducible, so not provided
//!
//! `None`, `Ellipsis`, `NotImplemented`, type objects and any object using
//! the default `object.__hash__` hash in CPython 3.9 by their memory address
//! (`_Py_HashPointer`: the address rotated right by 4 bits). Those values
//! change from run to run and between builds, so no function here claims to
//! produce them; a tuple or frozenset containing such an object has no
//! reproducible hash either. Code objects hash by their fields, which
//! include the hashes of their constants and names; they are left to the
//! caller for the same reason whenever a constant is `None`.
//!
//! # Implementation choices
//!
//! SipHash-2-4 is implemented here (about forty lines) rather than taken
//! from a crate: CPython's variant must be matched exactly (64-bit output,
//! little-endian words, the message length's low byte in the final block),
//! the key must be explicit, and `str` is hashed by streaming its PEP 393
//! bytes without building them. The module's unit tests check it against
//! the reference vectors of the SipHash paper.

use crate::code::PyStr;
use num_bigint::{BigInt, Sign};

/// The number of bits in the modulus of numeric hashes
/// (`sys.hash_info.modulus == 2**HASH_BITS - 1`).
pub const HASH_BITS: u32 = 61;

/// The Mersenne prime `2**61 - 1` modulo which numbers are hashed
/// (`sys.hash_info.modulus`).
///
/// Given as an `i64` to combine directly with hash values, which are `i64`
/// like CPython's `Py_hash_t`.
pub const MODULUS: i64 = (1 << HASH_BITS) - 1;

/// The hash of `float('inf')`; `float('-inf')` hashes to `-INF_HASH`
/// (`sys.hash_info.inf`).
pub const INF_HASH: i64 = 314_159;

/// The hash of every NaN in CPython 3.9 (`sys.hash_info.nan`), whatever its
/// sign or payload.
pub const NAN_HASH: i64 = 0;

/// The multiplier of the imaginary part's hash in a `complex` hash
/// (`sys.hash_info.imag`).
pub const IMAG_MULTIPLIER: i64 = 1_000_003;

/// [`MODULUS`] as the unsigned type the reductions work in.
const P: u64 = MODULUS as u64;

/// Maps the reserved hash `-1` to `-2`, as CPython does for numbers, `str`,
/// `bytes` and `complex`.
fn not_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

/// Attaches the sign to a magnitude already reduced modulo [`MODULUS`], then
/// avoids `-1`. Reduced magnitudes are below `2**61`, so negation is exact.
fn signed_hash(negative: bool, reduced: u64) -> i64 {
    debug_assert!(reduced < P);
    let magnitude = reduced as i64;
    not_minus_one(if negative { -magnitude } else { magnitude })
}

/// Multiplies `x < P` by `2**k` modulo `P`, for `k < 61`. Because
/// `2**61 ≡ 1 (mod P)`, this is a rotation of `x` as a 61-bit word; a 61-bit
/// word that is not all ones stays not all ones, so the result is `< P`.
fn mul_pow2_mod_p(x: u64, k: u32) -> u64 {
    debug_assert!(x < P && k < HASH_BITS);
    if k == 0 {
        x
    } else {
        ((x << k) & P) | (x >> (HASH_BITS - k))
    }
}

// ---------------------------------------------------------------------------
// Numbers

/// `hash(n)` for an `int` `n`: `sign(n) * (|n| mod (2**61 - 1))`, with `-1`
/// mapped to `-2`.
///
/// CPython computes this from the 30-bit digits of its `int` representation,
/// but the value only depends on `n`: this reduces the 64-bit digits of `|n|`
/// instead. Agrees with [`hash_i64`] on every `i64`.
pub fn hash_int(n: &BigInt) -> i64 {
    // Horner's rule from the most significant digit: x = x * 2**64 + d
    // (mod P). With x < P < 2**61 the intermediate value is below 2**125.
    let reduced = n.iter_u64_digits().rev().fold(0u64, |x, d| {
        ((u128::from(x) << 64 | u128::from(d)) % u128::from(P)) as u64
    });
    signed_hash(n.sign() == Sign::Minus, reduced)
}

/// `hash(n)` for an `int` that fits in an `i64`; the same as [`hash_int`]
/// without building a big integer.
pub fn hash_i64(n: i64) -> i64 {
    signed_hash(n < 0, n.unsigned_abs() % P)
}

/// `hash(b)` for a `bool`: `bool` is a subclass of `int`, so `True` hashes
/// as `1` and `False` as `0`.
pub fn hash_bool(b: bool) -> i64 {
    i64::from(b)
}

/// `hash(x)` for a `float` (CPython's `_Py_HashDouble`).
///
/// Infinities hash to `±`[`INF_HASH`] and every NaN to [`NAN_HASH`] (3.9
/// behaviour). A finite `x` is exactly `m * 2**e` with an integer
/// `m < 2**53`; it hashes to `sign(x) * (m * 2**e mod P)`, which is why an
/// integral float hashes like the equal `int`, and `0.5` like the inverse
/// of 2 modulo `P`, which is `2**60`. `-0.0` hashes to `0`.
pub fn hash_float(x: f64) -> i64 {
    if x.is_nan() {
        return NAN_HASH;
    }
    if x.is_infinite() {
        return if x > 0.0 { INF_HASH } else { -INF_HASH };
    }
    let bits = x.to_bits();
    let biased_exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // Decode |x| = mantissa * 2**exponent exactly; subnormals (biased
    // exponent 0) have no implicit leading bit and the smallest exponent.
    let (mantissa, exponent) = if biased_exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased_exponent - 1075)
    };
    // mantissa < 2**53 < P is already reduced, and 2**exponent ≡
    // 2**(exponent mod 61), which also covers negative exponents since
    // 2**-1 ≡ 2**60 (mod P).
    let shift = exponent.rem_euclid(HASH_BITS as i32) as u32;
    signed_hash(x.is_sign_negative(), mul_pow2_mod_p(mantissa, shift))
}

/// `hash(complex(re, im))`: `hash(re) + 1000003 * hash(im)` in wrapping
/// 64-bit arithmetic, with `-1` mapped to `-2`.
///
/// A complex with a zero imaginary part therefore hashes like its real part,
/// so `hash(2+0j) == hash(2)`.
pub fn hash_complex(re: f64, im: f64) -> i64 {
    let combined = hash_float(re).wrapping_add(IMAG_MULTIPLIER.wrapping_mul(hash_float(im)));
    not_minus_one(combined)
}

// ---------------------------------------------------------------------------
// str and bytes

/// `hash(b)` for a `bytes` value: SipHash-2-4 of the bytes with the all-zero
/// key of `PYTHONHASHSEED=0`, `0` for `b""`, and `-1` mapped to `-2`.
///
/// `bytearray` is unhashable; `memoryview` of bytes hashes like this.
pub fn hash_bytes(b: &[u8]) -> i64 {
    if b.is_empty() {
        return 0;
    }
    not_minus_one(siphash24(0, 0, b.iter().copied()) as i64)
}

/// `hash(s)` for a `str`: SipHash-2-4 (all-zero key) of the string's PEP 393
/// storage, `0` for `""`, and `-1` mapped to `-2`.
///
/// The storage uses 1, 2 or 4 little-endian bytes per code point according
/// to the widest code point in the string (below U+0100, below U+10000, or
/// not), so a string's hash depends on the width of its widest character.
/// Lone surrogates (in [`PyStr::CodePoints`]) are code points below U+10000
/// like any other.
pub fn hash_str(s: &PyStr) -> i64 {
    match s {
        // ASCII text is stored one byte per character, identical to UTF-8.
        PyStr::Utf8(text) if text.is_ascii() => hash_bytes(text.as_bytes()),
        PyStr::Utf8(text) => hash_code_points(text.chars().map(u32::from)),
        PyStr::CodePoints(points) => hash_code_points(points.iter().copied()),
    }
}

/// Hashes code points as CPython's compact `str` stores them (PEP 393).
fn hash_code_points(points: impl Iterator<Item = u32> + Clone) -> i64 {
    let width = match points.clone().max() {
        None => return 0,
        Some(widest) if widest < 0x100 => 1,
        Some(widest) if widest < 0x1_0000 => 2,
        Some(_) => 4,
    };
    // Each code point contributes its `width` low bytes, least significant
    // first, which is its in-memory form on a little-endian machine. (CPython
    // hashes raw memory; SipHash then reads it as little-endian words. The
    // platforms this specifies are little-endian, as are all tier-1 64-bit
    // Linux targets.)
    let bytes = points.flat_map(move |p| p.to_le_bytes().into_iter().take(width));
    not_minus_one(siphash24(0, 0, bytes) as i64)
}

/// SipHash-2-4 state: the four 64-bit words of the permutation.
struct SipState([u64; 4]);

impl SipState {
    /// The initial state: the key XORed into the ASCII of
    /// "somepseudorandomlygeneratedbytes".
    fn new(k0: u64, k1: u64) -> SipState {
        SipState([
            k0 ^ 0x736f_6d65_7073_6575,
            k1 ^ 0x646f_7261_6e64_6f6d,
            k0 ^ 0x6c79_6765_6e65_7261,
            k1 ^ 0x7465_6462_7974_6573,
        ])
    }

    /// One SipRound: two add-rotate-xor half rounds.
    fn round(&mut self) {
        let [mut v0, mut v1, mut v2, mut v3] = self.0;
        v0 = v0.wrapping_add(v1);
        v1 = v1.rotate_left(13) ^ v0;
        v0 = v0.rotate_left(32);
        v2 = v2.wrapping_add(v3);
        v3 = v3.rotate_left(16) ^ v2;
        v0 = v0.wrapping_add(v3);
        v3 = v3.rotate_left(21) ^ v0;
        v2 = v2.wrapping_add(v1);
        v1 = v1.rotate_left(17) ^ v2;
        v2 = v2.rotate_left(32);
        self.0 = [v0, v1, v2, v3];
    }

    /// Absorbs one message word with the "2" compression rounds.
    fn compress(&mut self, m: u64) {
        self.0[3] ^= m;
        self.round();
        self.round();
        self.0[0] ^= m;
    }
}

/// SipHash-2-4 with the key `(k0, k1)` of a byte stream, as CPython's
/// `siphash24` computes it: message words are read little-endian, and the
/// last block holds the remaining bytes with the length (mod 256) in its top
/// byte. Streaming lets `str` be hashed without materialising its storage.
fn siphash24(k0: u64, k1: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut state = SipState::new(k0, k1);
    let mut word = 0u64;
    let mut len = 0u64;
    for byte in bytes {
        word |= u64::from(byte) << (8 * (len % 8));
        len = len.wrapping_add(1);
        if len.is_multiple_of(8) {
            state.compress(word);
            word = 0;
        }
    }
    state.compress(word | len << 56);
    // Finalization: the "4" rounds.
    state.0[2] ^= 0xff;
    for _ in 0..4 {
        state.round();
    }
    let [v0, v1, v2, v3] = state.0;
    v0 ^ v1 ^ v2 ^ v3
}

// ---------------------------------------------------------------------------
// Containers

/// xxHash's 64-bit primes 1, 2 and 5, used by the tuple hash.
const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

/// `hash(t)` for a `tuple`, given the hashes of its elements in order.
///
/// CPython 3.8+ runs one xxHash lane over the element hashes (no final
/// avalanche), then adds the length XORed with a constant chosen so that
/// `hash(())` kept its historical value `5740354900026072187`. A result of
/// `-1` becomes `1546275796`.
pub fn hash_tuple(element_hashes: &[i64]) -> i64 {
    let mut acc = XXPRIME_5;
    for &h in element_hashes {
        acc = acc.wrapping_add((h as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add(element_hashes.len() as u64 ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        1_546_275_796
    } else {
        acc as i64
    }
}

/// Spreads an element hash's bits before the XOR in [`hash_frozenset`], so
/// that elements with nearby hashes (small ints) do not cancel out.
fn shuffle_bits(h: u64) -> u64 {
    (h ^ 89_869_747 ^ (h << 16)).wrapping_mul(3_644_798_167)
}

/// `hash(s)` for a `frozenset`, given the hashes of its elements in any
/// order.
///
/// The elements must be distinct, as a set's are: pass one hash per element
/// of the set, not per item of whatever built it (`frozenset([1, 1.0,
/// True])` has one element). Distinct elements may share a hash —
/// `frozenset({-1, -2})` passes `[-2, -2]` — and each still counts.
///
/// The 3.9 algorithm XORs a bit-shuffle of every hash (hence order
/// independence), mixes in the size, disperses the bits for nested
/// frozensets, and maps `-1` to `590923713`.
pub fn hash_frozenset(element_hashes: &[i64]) -> i64 {
    let mut hash = element_hashes
        .iter()
        .fold(0u64, |acc, &h| acc ^ shuffle_bits(h as u64));
    hash ^= (element_hashes.len() as u64)
        .wrapping_add(1)
        .wrapping_mul(1_927_868_237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69_069).wrapping_add(907_133_923);
    if hash == u64::MAX {
        590_923_713
    } else {
        hash as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference key of the SipHash paper: bytes 00..0f, little-endian.
    const K0: u64 = 0x0706_0504_0302_0100;
    const K1: u64 = 0x0f0e_0d0c_0b0a_0908;

    #[test]
    fn siphash24_matches_the_papers_vectors() {
        // Appendix A of "SipHash: a fast short-input PRF": message 00..0e.
        assert_eq!(siphash24(K0, K1, 0u8..15), 0xa129_ca61_49be_45e5);
        // The first and last entries of the reference implementation's
        // 64-entry table (messages 00..(n-1)), as little-endian bytes.
        assert_eq!(
            siphash24(K0, K1, 0u8..0).to_le_bytes(),
            [0x31, 0x0e, 0x0e, 0xdd, 0x47, 0xdb, 0x6f, 0x72]
        );
        assert_eq!(
            siphash24(K0, K1, 0u8..63).to_le_bytes(),
            [0x72, 0x45, 0x06, 0xeb, 0x4c, 0x32, 0x8a, 0x95]
        );
    }

    #[test]
    fn rotation_is_multiplication_by_a_power_of_two() {
        for x in [0, 1, 3, P - 1, 0x0123_4567_89ab_cdef] {
            for k in 0..HASH_BITS {
                let expected = (u128::from(x) << k) % u128::from(P);
                assert_eq!(u128::from(mul_pow2_mod_p(x, k)), expected, "{x} << {k}");
            }
        }
    }

    #[test]
    fn well_known_values() {
        assert_eq!(hash_i64(-1), -2);
        assert_eq!(hash_float(0.5), 1 << 60);
        assert_eq!(hash_float(f64::INFINITY), INF_HASH);
        assert_eq!(hash_tuple(&[]), 5_740_354_900_026_072_187);
        assert_eq!(hash_frozenset(&[]), 133_146_708_735_736);
        assert_eq!(hash_bytes(b""), 0);
        assert_eq!(hash_str(&PyStr::from("")), 0);
    }
}
