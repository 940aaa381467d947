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

/// What [`big_arith`] computed.
pub enum BigOut {
    /// An integer.
    Int(BigInt),
    /// A float (true division).
    Float(f64),
    /// A negative power: to be computed on floats.
    FloatPow(f64, f64),
    /// A Python exception: its class and message.
    Error(crate::heap::ExcKind, &'static str),
    /// The result would pass the bound on one object's size.
    TooBig,
    /// Something the VM does not do yet.
    Gap(&'static str),
}

/// `x op y` on Python ints, as `long_*` in CPython's `longobject.c`
/// computes them; results whose size in bytes would pass `limit` are
/// refused.
pub fn big_arith(op: crate::code::Bin, x: &BigInt, y: &BigInt, limit: usize) -> BigOut {
    use crate::code::Bin;
    use crate::heap::ExcKind;
    let too_big = |bytes: u64| bytes as usize > limit;
    BigOut::Int(match op {
        Bin::Add => x + y,
        Bin::Sub => x - y,
        Bin::Mul => {
            if too_big((x.bits() + y.bits()) / 8) {
                return BigOut::TooBig;
            }
            x * y
        }
        Bin::And => x & y,
        Bin::Or => x | y,
        Bin::Xor => x ^ y,
        Bin::FloorDiv | Bin::Mod => {
            if y.is_zero() {
                return BigOut::Error(
                    ExcKind::ZeroDivisionError,
                    "integer division or modulo by zero",
                );
            }
            let (q, r) = x.div_mod_floor(y);
            if op == Bin::FloorDiv {
                q
            } else {
                r
            }
        }
        Bin::TrueDiv => {
            if y.is_zero() {
                return BigOut::Error(ExcKind::ZeroDivisionError, "division by zero");
            }
            return match true_divide(x, y) {
                Some(f) => BigOut::Float(f),
                None => BigOut::Error(
                    ExcKind::OverflowError,
                    "integer division result too large for a float",
                ),
            };
        }
        Bin::Lshift | Bin::Rshift => {
            let Some(n) = y.to_i64().filter(|n| *n >= 0) else {
                if y.is_negative() {
                    return BigOut::Error(ExcKind::ValueError, "negative shift count");
                }
                return BigOut::TooBig;
            };
            if op == Bin::Lshift {
                if too_big((x.bits() + n as u64) / 8) {
                    return BigOut::TooBig;
                }
                x << n as usize
            } else {
                x >> n.min(1 << 40) as usize
            }
        }
        Bin::Pow => {
            if y.is_negative() {
                return match (x.to_f64(), y.to_f64()) {
                    (Some(a), Some(b)) => BigOut::FloatPow(a, b),
                    _ => BigOut::Gap("a huge base with a negative exponent"),
                };
            }
            if x.bits() <= 1 {
                // 0, 1 and -1 stay small whatever the exponent.
                let odd = y.is_odd();
                return BigOut::Int(if x.is_zero() {
                    BigInt::from(u8::from(y.is_zero()))
                } else if x.is_negative() && odd {
                    BigInt::from(-1)
                } else {
                    BigInt::from(1)
                });
            }
            let Some(e) = y.to_u32() else {
                return BigOut::TooBig;
            };
            if x.bits() > 1 && too_big(x.bits().saturating_mul(u64::from(e)) / 8) {
                return BigOut::TooBig;
            }
            num_traits::Pow::pow(x, e)
        }
    })
}
