//! Python's `repr` of the constants a code object can hold, byte for byte as
//! CPython 3.9 prints them.
//!
//! `pyreg dis` must reproduce `python3.9 -m dis`, whose `LOAD_CONST` lines
//! show `repr(constant)`; so every function here follows the C code it
//! mirrors (`unicode_repr`, `bytes_repr`, `float_repr`, `complex_repr`,
//! `code_repr`) rather than any notion of a "nice" rendering.
//!
//! Printability is CPython 3.9's, from Unicode 13.0.0: the
//! `unicode-general-category` crate is pinned to 0.4.0 because that release
//! carries exactly that Unicode version (see [`UNICODE_VERSION`]).

use crate::code::{CodeObject, Constant, PyStr};
use num_bigint::BigInt;
use std::fmt::Write as _;
use unicode_general_category::{get_general_category, GeneralCategory};

/// The Unicode version whose character data CPython 3.9 uses
/// (`unicodedata.unidata_version`), and therefore the one [`is_printable`]
/// must follow.
pub const UNICODE_VERSION: (u64, u64, u64) = (13, 0, 0);

// A newer Unicode would mark newly assigned characters printable where
// CPython 3.9 still escapes them; fail the build rather than drift.
const _: () = assert!(
    unicode_general_category::UNICODE_VERSION.0 == UNICODE_VERSION.0
        && unicode_general_category::UNICODE_VERSION.1 == UNICODE_VERSION.1
        && unicode_general_category::UNICODE_VERSION.2 == UNICODE_VERSION.2
);

/// The address [`repr_constant`] prints for code objects.
///
/// A real address differs on every run of CPython, so no output can match
/// it; a fixed, plausible-looking one keeps listings stable and diffable.
pub const PLACEHOLDER_CODE_ADDRESS: &str = "0x7f0000000000";

/// Whether `repr` prints code point `cp` as itself: CPython's
/// `Py_UNICODE_ISPRINTABLE`, i.e. `chr(cp).isprintable()`.
///
/// A code point is not printable when its general category is Cc, Cf, Cs,
/// Co, Cn, Zl, Zp, or Zs other than U+0020 SPACE. Values above U+10FFFF are
/// not code points and count as not printable.
pub fn is_printable(cp: u32) -> bool {
    if (0x20..0x7f).contains(&cp) {
        return true;
    }
    // Surrogates (Cs) are no `char`, and neither is anything past U+10FFFF.
    let Some(ch) = char::from_u32(cp) else {
        return false;
    };
    use GeneralCategory as G;
    !matches!(
        get_general_category(ch),
        G::Control
            | G::Format
            | G::Surrogate
            | G::PrivateUse
            | G::Unassigned
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::SpaceSeparator
    )
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `\x`, `\u` or `\U` and `width` lowercase hex digits of `cp`.
fn push_hex_escape(out: &mut String, marker: char, cp: u32, width: u32) {
    out.push('\\');
    out.push(marker);
    for i in (0..width).rev() {
        out.push(char::from(HEX[((cp >> (4 * i)) & 0xf) as usize]));
    }
}

/// Picks the quote as both `unicode_repr` and `bytes_repr` do: `'` unless
/// the text holds a `'` and no `"`.
fn choose_quote(units: impl Iterator<Item = u32>) -> char {
    let (mut squote, mut dquote) = (false, false);
    for u in units {
        squote |= u == u32::from(b'\'');
        dquote |= u == u32::from(b'"');
    }
    if squote && !dquote {
        '"'
    } else {
        '\''
    }
}

/// `repr(s)` for a Python `str`, as CPython 3.9's `unicode_repr` writes it.
///
/// Backslash, the chosen quote, `\t`, `\n` and `\r` get a backslash escape;
/// other code points below U+0020 and U+007F become `\xNN`; any other code
/// point that is not [printable](is_printable), lone surrogates included,
/// becomes `\xNN`, `\uNNNN` or `\UNNNNNNNN` by its size, in lowercase hex.
pub fn repr_str(s: &PyStr) -> String {
    let points = s.code_points();
    let quote = choose_quote(points.iter().copied());
    let mut out = String::with_capacity(points.len() + 2);
    out.push(quote);
    for &cp in &points {
        match cp {
            0x5c => out.push_str("\\\\"),
            0x09 => out.push_str("\\t"),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            _ if cp == u32::from(quote) => {
                out.push('\\');
                out.push(quote);
            }
            _ if is_printable(cp) => {
                // Printable implies a scalar value: surrogates never are.
                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
            }
            _ if cp < 0x100 => push_hex_escape(&mut out, 'x', cp, 2),
            _ if cp < 0x10000 => push_hex_escape(&mut out, 'u', cp, 4),
            _ => push_hex_escape(&mut out, 'U', cp, 8),
        }
    }
    out.push(quote);
    out
}

/// `repr(b)` for a Python `bytes`, as CPython 3.9's `bytes_repr` writes it:
/// `b'...'` with the quote chosen as for `str`, backslash escapes for `\\`,
/// the quote, `\t`, `\n`, `\r`, and `\xNN` for bytes below 0x20 or from 0x7f.
pub fn repr_bytes(b: &[u8]) -> String {
    let quote = choose_quote(b.iter().map(|&x| u32::from(x)));
    let mut out = String::with_capacity(b.len() + 3);
    out.push('b');
    out.push(quote);
    for &byte in b {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if char::from(byte) == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(char::from(byte)),
            _ => push_hex_escape(&mut out, 'x', u32::from(byte), 2),
        }
    }
    out.push(quote);
    out
}

/// `repr(i)` for a Python `int`: its decimal digits, `-` first if negative.
///
/// CPython 3.9.14 and later raise `ValueError` instead for ints of more
/// than 4300 digits (`sys.set_int_max_str_digits`), so `dis` fails on them;
/// this prints every digit, there being no listing to match.
pub fn repr_int(i: &BigInt) -> String {
    i.to_string()
}

/// Splits Rust's `{:e}` rendering of a non-negative finite float into its
/// significant digits and `decpt`, where the value is `0.DIGITS × 10^decpt`.
fn split_sci(sci: &str) -> (String, i32) {
    let (mantissa, exp) = sci
        .split_once('e')
        .expect("`{:e}` output always has an exponent");
    let digits: String = mantissa.chars().filter(|&c| c != '.').collect();
    let exp: i32 = exp.parse().expect("`{:e}` exponent is an integer");
    (digits, exp + 1)
}

/// The shortest decimal digits that read back as `|f|` (no leading or
/// trailing zeros, except `"0"` for zero) and `decpt`, the position of the
/// decimal point: `|f| = 0.DIGITS × 10^decpt`, exactly as David Gay's
/// `dtoa` mode 0 reports them to CPython.
fn shortest_digits(f: f64) -> (String, i32) {
    let f = f.abs();
    // Rust's `{:e}` with no precision is also shortest-round-trip and picks
    // the nearest of the shortest candidates, like `dtoa`; the two differ
    // only when `f` lies exactly halfway between two of them.
    let (digits, decpt) = split_sci(&format!("{:e}", f));
    // Such a tie needs the halfway point to sit within the float's rounding
    // interval, about 1.1e-16 of the value wide on either side for normal
    // floats, so a tie between candidates of under 16 digits is
    // impossible; subnormals cannot tie at all, since their exact decimal
    // expansions run to hundreds of digits.
    if digits.len() < 16 {
        return (digits, decpt);
    }
    // 767 digits after the point hold any double exactly.
    let (mut exact, exact_decpt) = split_sci(&format!("{:.767e}", f));
    exact.truncate(exact.trim_end_matches('0').len());
    let n = digits.len();
    if exact.len() != n + 1 || !exact.ends_with('5') {
        return (digits, decpt);
    }
    // A tie: `dtoa` takes the candidate with the even last digit when both
    // read back as `f`, where Rust always rounds up. The lower candidate is
    // the exact digits cut short; the upper one is what Rust returned or
    // one too large to read back.
    let lower_is_even = exact.as_bytes()[n - 1].is_multiple_of(2);
    let lower = exact[..n].trim_end_matches('0');
    let lower_reads_back = format!("0.{lower}e{exact_decpt}").parse::<f64>() == Ok(f);
    if lower_is_even && lower_reads_back {
        (lower.to_string(), exact_decpt)
    } else {
        (digits, decpt)
    }
}

/// CPython's `format_float_short` for format code `'r'`: shortest
/// round-trip digits, in exponent notation when the decimal exponent is
/// below -4 or at least 16. `add_dot_0` is `Py_DTSF_ADD_DOT_0` (integral
/// values in fixed notation end in `.0`); `always_sign` is `Py_DTSF_SIGN`.
fn format_float_r(f: f64, add_dot_0: bool, always_sign: bool) -> String {
    let mut out = String::new();
    // CPython drops the sign of a NaN, but still honours Py_DTSF_SIGN.
    if f.is_sign_negative() && !f.is_nan() {
        out.push('-');
    } else if always_sign {
        out.push('+');
    }
    if f.is_nan() {
        out.push_str("nan");
        return out;
    }
    if f.is_infinite() {
        out.push_str("inf");
        return out;
    }
    let (digits, decpt) = shortest_digits(f);
    let ndigits = digits.len() as i32;
    if decpt <= -4 || decpt > 16 {
        out.push_str(&digits[..1]);
        if ndigits > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let exp = decpt - 1;
        // C's "%+.02d": a sign always, and at least two digits.
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    } else if decpt <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-decpt) as usize));
        out.push_str(&digits);
    } else if ndigits <= decpt {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (decpt - ndigits) as usize));
        if add_dot_0 {
            out.push_str(".0");
        }
    } else {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    }
    out
}

/// `repr(f)` for a Python `float`, as CPython 3.9's `float_repr` writes it:
/// the shortest digits that read back as `f`, in exponent notation when the
/// decimal exponent is below -4 or at least 16 (`1e-05`, `0.0001`, `1e+16`),
/// `.0` after integral values otherwise (`123.0`); `inf`, `-inf`, `nan`
/// (never `-nan`), and `-0.0` for negative zero.
pub fn repr_float(f: f64) -> String {
    format_float_r(f, true, false)
}

/// `repr(complex(re, im))`, as CPython 3.9's `complex_repr` writes it.
///
/// When the real part is +0.0 only the imaginary part is printed (`1j`,
/// `-1j`); otherwise both, in parentheses, the imaginary part always signed
/// (`(1+2j)`, `(-0-1j)`, `(nan+infj)`). The parts are formatted like
/// [`repr_float`] but without the `.0` after integral values.
pub fn repr_complex(re: f64, im: f64) -> String {
    if re == 0.0 && re.is_sign_positive() {
        let mut out = format_float_r(im, false, false);
        out.push('j');
        out
    } else {
        format!(
            "({}{}j)",
            format_float_r(re, false, false),
            format_float_r(im, false, true)
        )
    }
}

/// `repr(code)` for a code object, as CPython 3.9's `code_repr` writes it:
/// `<code object NAME at ADDRESS, file "FILENAME", line N>`.
///
/// The name and file name are inserted as they are, not `repr`'d; a lone
/// surrogate in them, which CPython could not print to a UTF-8 stream
/// anyway, becomes U+FFFD. A `co_firstlineno` of 0 prints as line -1, as in
/// CPython. `address` is the text printed after `at` (CPython's `%p`).
pub fn repr_code(code: &CodeObject, address: &str) -> String {
    let line = if code.firstlineno == 0 {
        -1
    } else {
        i64::from(code.firstlineno)
    };
    format!(
        "<code object {} at {}, file \"{}\", line {}>",
        code.name.to_string_lossy(),
        address,
        code.filename.to_string_lossy(),
        line
    )
}

/// `repr(c)` for any constant, code objects shown at
/// [`PLACEHOLDER_CODE_ADDRESS`].
///
/// Tuples print as `()`, `(1,)`, `(1, 2)`; frozensets as `frozenset()` or
/// `frozenset({1, 2})` with the elements in their stored order (the order
/// marshal wrote them, which is CPython's iteration order).
pub fn repr_constant(c: &Constant) -> String {
    repr_constant_with(c, &mut |_| PLACEHOLDER_CODE_ADDRESS.to_string())
}

/// [`repr_constant`], asking `address` for the text to print as the address
/// of each code object, nested ones included; e.g. to number code objects
/// so that distinct ones stay distinguishable in a listing.
pub fn repr_constant_with(c: &Constant, address: &mut dyn FnMut(&CodeObject) -> String) -> String {
    let mut out = String::new();
    write_constant(&mut out, c, address);
    out
}

fn write_constant(out: &mut String, c: &Constant, address: &mut dyn FnMut(&CodeObject) -> String) {
    match c {
        Constant::None => out.push_str("None"),
        Constant::Bool(true) => out.push_str("True"),
        Constant::Bool(false) => out.push_str("False"),
        Constant::Ellipsis => out.push_str("Ellipsis"),
        Constant::Int(i) => out.push_str(&repr_int(i)),
        Constant::Float(f) => out.push_str(&repr_float(*f)),
        Constant::Complex(re, im) => out.push_str(&repr_complex(*re, *im)),
        Constant::Str(s) => out.push_str(&repr_str(s)),
        Constant::Bytes(b) => out.push_str(&repr_bytes(b)),
        Constant::Tuple(items) => {
            out.push('(');
            write_items(out, items, address);
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Constant::FrozenSet(items) if items.is_empty() => out.push_str("frozenset()"),
        Constant::FrozenSet(items) => {
            out.push_str("frozenset({");
            write_items(out, items, address);
            out.push_str("})");
        }
        Constant::Code(code) => {
            let addr = address(code);
            out.push_str(&repr_code(code, &addr));
        }
    }
}

fn write_items(
    out: &mut String,
    items: &[Constant],
    address: &mut dyn FnMut(&CodeObject) -> String,
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_constant(out, item, address);
    }
}
