//! CPython 3.9's complex arithmetic (`Objects/complexobject.c`): the leaf
//! algorithms whose rounding decides the digits a program prints, shared
//! by the spec's object model, the VM and the constant folder of the
//! native compiler (which must fold `2j ** 3` to CPython's exact bits).

/// A complex number: real and imaginary parts.
pub type Complex = (f64, f64);

/// Why `a ** b` raised in CPython.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowError {
    /// `ZeroDivisionError: 0.0 to a negative or complex power` (C's
    /// `errno == EDOM`).
    ZeroToNegative,
    /// `OverflowError: complex exponentiation` (an infinite part).
    Overflow,
}

/// `_Py_c_prod`.
pub fn prod(a: Complex, b: Complex) -> Complex {
    (a.0 * b.0 - a.1 * b.1, a.0 * b.1 + a.1 * b.0)
}

/// `_Py_c_quot`: `None` for a zero divisor (C's `errno = EDOM`).
pub fn quot(a: Complex, b: Complex) -> Option<Complex> {
    let abs_breal = b.0.abs();
    let abs_bimag = b.1.abs();
    if abs_breal >= abs_bimag {
        if abs_breal == 0.0 {
            return None;
        }
        let ratio = b.1 / b.0;
        let denom = b.0 + b.1 * ratio;
        Some(((a.0 + a.1 * ratio) / denom, (a.1 - a.0 * ratio) / denom))
    } else if abs_bimag >= abs_breal {
        let ratio = b.0 / b.1;
        let denom = b.0 * ratio + b.1;
        Some(((a.0 * ratio + a.1) / denom, (a.1 * ratio - a.0) / denom))
    } else {
        // A NaN in the divisor.
        Some((f64::NAN, f64::NAN))
    }
}

/// `_Py_c_pow`; the flag is C's `errno == EDOM` (a zero base with a
/// negative or complex exponent, or `sin`/`cos` of an infinite phase).
fn c_pow(a: Complex, b: Complex) -> (Complex, bool) {
    if b.0 == 0.0 && b.1 == 0.0 {
        return ((1.0, 0.0), false);
    }
    if a.0 == 0.0 && a.1 == 0.0 {
        return ((0.0, 0.0), b.1 != 0.0 || b.0 < 0.0);
    }
    let vabs = a.0.hypot(a.1);
    let mut len = vabs.powf(b.0);
    let at = a.1.atan2(a.0);
    let mut phase = at * b.0;
    if b.1 != 0.0 {
        len /= (at * b.1).exp();
        phase += b.1 * vabs.ln();
    }
    ((len * phase.cos(), len * phase.sin()), phase.is_infinite())
}

/// `c_powu`: `x**n` by repeated squaring, for `0 <= n <= 100`.
fn c_powu(x: Complex, n: i64) -> Complex {
    let mut r = (1.0, 0.0);
    let mut p = x;
    let mut mask: i64 = 1;
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = prod(r, p);
        }
        mask = mask.wrapping_shl(1);
        p = prod(p, p);
    }
    r
}

/// `c_powi`: integral exponents; large ones go through [`c_pow`].
fn c_powi(x: Complex, n: i64) -> (Complex, bool) {
    if !(-100..=100).contains(&n) {
        c_pow(x, (n as f64, 0.0))
    } else if n > 0 {
        (c_powu(x, n), false)
    } else {
        match quot((1.0, 0.0), c_powu(x, -n)) {
            Some(r) => (r, false),
            None => ((0.0, 0.0), true),
        }
    }
}

/// C's `(long)x` on x86-64: truncation, or `LONG_MIN` when out of range.
pub fn c_long(x: f64) -> i64 {
    // 2**63 is the first double above i64::MAX.
    let two_63 = 2f64.powi(63);
    if x.is_nan() || !(-two_63..two_63).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// `a ** b`, as CPython 3.9's `complex_pow` computes it (integral
/// exponents by repeated squaring, others through polar form).
pub fn pow(a: Complex, b: Complex) -> Result<Complex, PowError> {
    let int_exponent = c_long(b.0);
    let (p, edom) = if b.1 == 0.0 && b.0 == int_exponent as f64 {
        c_powi(a, int_exponent)
    } else {
        c_pow(a, b)
    };
    if edom {
        return Err(PowError::ZeroToNegative);
    }
    if p.0.is_infinite() || p.1.is_infinite() {
        return Err(PowError::Overflow);
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_follow_cpython() {
        assert_eq!(pow((0.0, 2.0), (3.0, 0.0)), Ok((-0.0, -8.0)));
        assert_eq!(pow((0.0, 0.0), (-1.0, 0.0)), Err(PowError::ZeroToNegative));
        assert_eq!(pow((1e300, 0.0), (2.0, 0.0)), Err(PowError::Overflow));
        assert_eq!(quot((1.0, 0.0), (0.0, 0.0)), None);
    }
}
