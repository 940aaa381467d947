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

/// Why a string is not a complex number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// `ValueError: complex() arg is a malformed string`.
    Malformed,
    /// An underscore not between digits: `ValueError: could not convert
    /// string to complex: '...'`.
    Underscore,
}

/// Python's whitespace in numeric strings (`Py_ISSPACE`).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `_Py_parse_inf_or_nan`: `[sign](inf|infinity|nan)` at the start of
/// `s`, case-insensitively; the value and the characters used.
pub fn parse_inf_or_nan(s: &[char]) -> Option<(f64, usize)> {
    let (neg, start) = match s.first() {
        Some('-') => (true, 1),
        Some('+') => (false, 1),
        _ => (false, 0),
    };
    let word: String = s[start..]
        .iter()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    let (v, n) = if word.starts_with("infinity") {
        (f64::INFINITY, 8)
    } else if word.starts_with("inf") {
        (f64::INFINITY, 3)
    } else if word.starts_with("nan") {
        (f64::NAN, 3)
    } else {
        return None;
    };
    Some((if neg { -v } else { v }, start + n))
}

/// `_PyOS_ascii_strtod` on a prefix of `s`: a decimal float (`1`, `1.5`,
/// `.5e-3`) or `inf`/`infinity`/`nan`, each with an optional sign. The
/// value (overflow gives an infinity) and the characters used.
fn float_prefix(s: &[char]) -> Option<(f64, usize)> {
    let mut i = 0;
    if matches!(s.first(), Some('+' | '-')) {
        i = 1;
    }
    let int_start = i;
    while s.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    let mut ndigits = i - int_start;
    if s.get(i) == Some(&'.') {
        let mut j = i + 1;
        while s.get(j).is_some_and(char::is_ascii_digit) {
            j += 1;
        }
        ndigits += j - i - 1;
        if ndigits > 0 {
            i = j;
        }
    }
    if ndigits == 0 {
        return parse_inf_or_nan(s);
    }
    if matches!(s.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some('+' | '-')) {
            j += 1;
        }
        if s.get(j).is_some_and(char::is_ascii_digit) {
            while s.get(j).is_some_and(char::is_ascii_digit) {
                j += 1;
            }
            i = j;
        }
    }
    let lit: String = s[..i].iter().collect();
    // Rust's parser is correctly rounded, like David Gay's strtod.
    lit.parse::<f64>().ok().map(|v| (v, i))
}

/// `complex(s)` for a string, as `complex_from_string_inner` parses it.
pub fn parse(raw: &str) -> Result<Complex, ParseError> {
    // `_PyUnicode_TransformDecimalAndSpaceToASCII`: Unicode spaces become
    // ASCII spaces; other non-ASCII characters can never parse.
    let mut chars: Vec<char> = raw
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c
            } else if c.is_whitespace() {
                ' '
            } else {
                '?'
            }
        })
        .collect();
    if chars.contains(&'_') {
        // Underscores only between digits, as in numeric literals.
        let mut out = Vec::with_capacity(chars.len());
        let mut prev = '\0';
        let mut ok = true;
        for &c in &chars {
            if c == '_' {
                ok &= prev.is_ascii_digit();
            } else {
                ok &= prev != '_' || c.is_ascii_digit();
                out.push(c);
            }
            prev = c;
        }
        if !ok || prev == '_' || chars.contains(&'\0') {
            return Err(ParseError::Underscore);
        }
        chars = out;
    }
    let n = chars.len();
    let mut i = 0;
    while i < n && is_space(chars[i]) {
        i += 1;
    }
    let got_bracket = chars.get(i) == Some(&'(');
    if got_bracket {
        i += 1;
        while i < n && is_space(chars[i]) {
            i += 1;
        }
    }
    let (mut x, mut y) = (0.0, 0.0);
    let is_j = |c: Option<&char>| matches!(c, Some('j' | 'J'));
    match float_prefix(&chars[i..]) {
        Some((z, used)) => {
            i += used;
            if matches!(chars.get(i), Some('+' | '-')) {
                // <float><signed-float>j or <float><sign>j
                x = z;
                match float_prefix(&chars[i..]) {
                    Some((w, used)) => {
                        y = w;
                        i += used;
                    }
                    None => {
                        y = if chars[i] == '+' { 1.0 } else { -1.0 };
                        i += 1;
                    }
                }
                if !is_j(chars.get(i)) {
                    return Err(ParseError::Malformed);
                }
                i += 1;
            } else if is_j(chars.get(i)) {
                i += 1;
                y = z;
            } else {
                x = z;
            }
        }
        None => {
            // <sign>j or j
            match chars.get(i) {
                Some('+') => {
                    y = 1.0;
                    i += 1;
                }
                Some('-') => {
                    y = -1.0;
                    i += 1;
                }
                _ => y = 1.0,
            }
            if !is_j(chars.get(i)) {
                return Err(ParseError::Malformed);
            }
            i += 1;
        }
    }
    while i < n && is_space(chars[i]) {
        i += 1;
    }
    if got_bracket {
        if chars.get(i) != Some(&')') {
            return Err(ParseError::Malformed);
        }
        i += 1;
        while i < n && is_space(chars[i]) {
            i += 1;
        }
    }
    if i != n {
        return Err(ParseError::Malformed);
    }
    Ok((x, y))
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
