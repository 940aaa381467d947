//! Numeric leaf algorithms of the VM: int true division rounded once,
//! exact int/float ordering, float floor division (the spec's leaf helper).

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{FromPrimitive, Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

pub use pyreg_spec::interp::arith::float_divmod;

/// `a / b` for integers, correctly rounded (as CPython's
/// `long_true_divide`); `None` when the quotient overflows a float.
pub fn true_divide(a: &BigInt, b: &BigInt) -> Option<f64> {
    if let (Some(x), Some(y)) = (a.to_i64(), b.to_i64()) {
        if x.unsigned_abs() < (1 << 53) && y.unsigned_abs() < (1 << 53) {
            return Some(x as f64 / y as f64);
        }
    }
    let neg = a.is_negative() != b.is_negative();
    let (a, b) = (a.abs(), b.abs());
    // A quotient of at least 55 significant bits, the remainder folded
    // into the last bit, rounds once when converted.
    let shift = b.bits() as i64 - a.bits() as i64 + 55;
    let (num, den) = if shift >= 0 {
        (a << shift as usize, b)
    } else {
        (a, b << (-shift) as usize)
    };
    let (q, r) = num.div_rem(&den);
    let q = q.to_u64()? | u64::from(!r.is_zero());
    let f = (q as f64) * 2f64.powi(-(shift as i32));
    if f.is_infinite() {
        return None;
    }
    Some(if neg { -f } else { f })
}

/// The exact order of two numbers at least one of which is a float too
/// large for a plain comparison: `None` when a NaN is involved.
pub fn exact_order(
    ai: Option<BigInt>,
    af: Option<f64>,
    bi: Option<BigInt>,
    bf: Option<f64>,
) -> Option<Ordering> {
    match (ai, bi) {
        (Some(x), None) => int_float_order(&x, bf?),
        (None, Some(y)) => int_float_order(&y, af?).map(Ordering::reverse),
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        (None, None) => af?.partial_cmp(&bf?),
    }
}

fn int_float_order(n: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let fl = f.floor();
    let whole = BigInt::from_f64(fl)?;
    match n.cmp(&whole) {
        Ordering::Equal if f > fl => Some(Ordering::Less),
        o => Some(o),
    }
}
