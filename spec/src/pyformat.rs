//! CPython 3.9's formatting of numbers and strings, as pure functions over
//! Rust values: `format(x, spec)` for `int`, `float` and `str`, the
//! `PyOS_double_to_string` conversions behind `repr`/`str` of floats, the
//! prefixes of `hex()`/`oct()`/`bin()`, and `str % args`.
//!
//! Every function mirrors the C code it stands for, and error messages are
//! CPython's, byte for byte:
//! - [`parse_spec`], [`format_int`], [`format_float`], [`format_str`]:
//!   `Python/formatter_unicode.c` (the format-spec mini-language);
//! - [`float_to_string`]: `PyOS_double_to_string` and `format_float_short`
//!   in `Python/pystrtod.c`;
//! - [`int_to_base`]: `_PyLong_Format` in `Objects/longobject.c`;
//! - [`percent_format`], [`render_percent`]: `PyUnicode_Format` in
//!   `Objects/unicodeobject.c`.
//!
//! The `'n'` presentation type formats as in the C locale, which is what
//! CPython uses unless the program calls `locale.setlocale`: no grouping and
//! a `.` decimal point.
//!
//! Results are Rust `String`s, so a lone surrogate (which `'%c' % 0xd800` or
//! `format(0xd800, 'c')` produce in CPython) comes out as U+FFFD.

use crate::pyrepr::repr_float;
use num_bigint::{BigInt, BigUint, Sign as BigSign};
use num_traits::{ToPrimitive, Zero};
use std::fmt;
use thiserror::Error;
use unicode_general_category::{get_general_category, GeneralCategory};

/// C's `INT_MAX`: CPython keeps float precisions and `%`-format precisions
/// in a C `int`.
const INT_MAX: usize = i32::MAX as usize;
/// C's `PY_SSIZE_T_MAX` on the 64-bit platforms CPython 3.9 is built for.
const SSIZE_MAX: usize = i64::MAX as usize;

/// Shows a presentation type in a message as CPython does: `'d'` for
/// printable ASCII, `'\xe9'` (lowercase hex) for anything else, space
/// included.
struct CodeInMessage(char);

impl fmt::Display for CodeInMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = u32::from(self.0);
        if c > 32 && c < 128 {
            write!(f, "'{}'", self.0)
        } else {
            write!(f, "'\\x{c:x}'")
        }
    }
}

/// Shows the conversion character of an unsupported `%` directive as
/// `PyUnicode_Format` does: itself when in 31..=126, `?` otherwise.
struct PercentCharInMessage(char);

impl fmt::Display for PercentCharInMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = u32::from(self.0);
        let shown = if (31..=126).contains(&c) { self.0 } else { '?' };
        write!(f, "'{shown}' (0x{c:x})")
    }
}

/// Why a formatting operation failed. [`Display`](fmt::Display) gives
/// exactly CPython 3.9's message, and [`FormatError::exception_type`] the
/// Python exception class it raises.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormatError {
    // ---- format-spec parsing (ValueError) ----
    /// More than one character left after the precision.
    #[error("Invalid format specifier")]
    InvalidFormatSpecifier,
    /// A `.` with no digits after it.
    #[error("Format specifier missing precision")]
    MissingPrecision,
    /// A width or precision that does not fit in a C `Py_ssize_t`.
    #[error("Too many decimal digits in format string")]
    TooManyDecimalDigits,
    /// Both `,` and `_` given.
    #[error("Cannot specify both ',' and '_'.")]
    CommaAndUnderscore,
    /// A grouping option (`separator`, `,` or `_`) with a presentation type
    /// that does not take it.
    #[error("Cannot specify '{separator}' with {}.", CodeInMessage(*.code))]
    InvalidGrouping {
        /// The grouping option given, `,` or `_`.
        separator: char,
        /// The presentation type.
        code: char,
    },
    /// A `0` fill in a complex format spec.
    #[error("Zero padding is not allowed in complex format specifier")]
    ComplexZeroPadding,
    /// The `=` alignment in a complex format spec.
    #[error("'=' alignment flag is not allowed in complex format specifier")]
    ComplexAfterSign,
    /// A presentation type the object's type does not know.
    #[error("Unknown format code {} for object of type '{type_name}'", CodeInMessage(*.code))]
    UnknownFormatCode {
        /// The presentation type.
        code: char,
        /// The Python type name (`int`, `float`, `str`; see
        /// [`FormatError::for_type`] for subclasses).
        type_name: String,
    },
    /// A `+` or `-` sign option when formatting a `str`.
    #[error("Sign not allowed in string format specifier")]
    SignNotAllowedInString,
    /// A ` ` sign option when formatting a `str`.
    #[error("Space not allowed in string format specifier")]
    SpaceNotAllowedInString,
    /// `#` when formatting a `str`.
    #[error("Alternate form (#) not allowed in string format specifier")]
    AlternateNotAllowedInString,
    /// `=` alignment (possibly implied by a leading `0`) for a `str`.
    #[error("'=' alignment not allowed in string format specifier")]
    EqualsAlignNotAllowedInString,
    /// A precision with an integer presentation type.
    #[error("Precision not allowed in integer format specifier")]
    PrecisionNotAllowedInInt,
    /// A sign option with the `c` presentation type.
    #[error("Sign not allowed with integer format specifier 'c'")]
    SignNotAllowedWithC,
    /// `#` with the `c` presentation type.
    #[error("Alternate form (#) not allowed with integer format specifier 'c'")]
    AlternateNotAllowedWithC,
    /// A float (or `%`-format) precision above C's `INT_MAX`.
    #[error("precision too big")]
    PrecisionTooBig,

    // ---- conversions (OverflowError / ValueError) ----
    /// `%c` or `format(i, 'c')` of an int outside `range(0x110000)`
    /// (OverflowError).
    #[error("%c arg not in range(0x110000)")]
    CharOutOfRange,
    /// An int that does not fit in a C `long` (OverflowError).
    #[error("Python int too large to convert to C long")]
    IntTooLargeForCLong,
    /// A `*` width that does not fit in a C `Py_ssize_t` (OverflowError).
    #[error("Python int too large to convert to C ssize_t")]
    IntTooLargeForCSsize,
    /// A `*` precision that does not fit in a C `int` (OverflowError).
    #[error("Python int too large to convert to C int")]
    IntTooLargeForCInt,
    /// An int too large for a float (OverflowError).
    #[error("int too large to convert to float")]
    IntTooLargeForFloat,
    /// `int(inf)`, as `%d` does to an infinite float (OverflowError).
    #[error("cannot convert float infinity to integer")]
    FloatInfinityToInt,
    /// `int(nan)`, as `%d` does to a NaN (ValueError).
    #[error("cannot convert float NaN to integer")]
    FloatNanToInt,
    /// A `%d`-style precision above `INT_MAX - 3` (OverflowError).
    #[error("precision too large")]
    PrecisionTooLarge,

    // ---- %-formatting ----
    /// More directives than arguments (TypeError).
    #[error("not enough arguments for format string")]
    NotEnoughArguments,
    /// Fewer directives than arguments (TypeError).
    #[error("not all arguments converted during string formatting")]
    NotAllArgumentsConverted,
    /// The same, for `bytes % args` (TypeError).
    #[error("not all arguments converted during bytes formatting")]
    NotAllBytesArgumentsConverted,
    /// The format string ends inside a directive (ValueError).
    #[error("incomplete format")]
    IncompleteFormat,
    /// A `%(` without its closing `)` (ValueError).
    #[error("incomplete format key")]
    IncompleteFormatKey,
    /// A `%(key)` directive when the argument is no mapping (TypeError).
    #[error("format requires a mapping")]
    FormatRequiresMapping,
    /// An unknown conversion character (ValueError); `index` counts code
    /// points from the start of the format string.
    #[error("unsupported format character {} at index {index}", PercentCharInMessage(*.conversion))]
    UnsupportedFormatCharacter {
        /// The conversion character.
        conversion: char,
        /// Its position in the format string, in code points.
        index: usize,
    },
    /// A `*` width or precision whose argument is no int (TypeError).
    #[error("* wants int")]
    StarWantsInt,
    /// A literal `%`-format width above `PY_SSIZE_T_MAX` (ValueError).
    #[error("width too big")]
    WidthTooBig,
    /// `%d`, `%i` or `%u` of a non-number (TypeError).
    #[error("%{conversion} format: a number is required, not {type_name}")]
    NumberRequired {
        /// The conversion character.
        conversion: char,
        /// The Python type name of the argument.
        type_name: String,
    },
    /// `%o`, `%x` or `%X` of a non-integer (TypeError).
    #[error("%{conversion} format: an integer is required, not {type_name}")]
    IntegerRequired {
        /// The conversion character.
        conversion: char,
        /// The Python type name of the argument.
        type_name: String,
    },
    /// `%e`, `%f`, `%g` (and capitals) of something `float()` rejects
    /// (TypeError).
    #[error("must be real number, not {type_name}")]
    RealNumberRequired {
        /// The Python type name of the argument.
        type_name: String,
    },
    /// `%c` of something neither an int nor a one-character string
    /// (TypeError).
    #[error("%c requires int or char")]
    CharRequired,
}

impl FormatError {
    /// The Python exception class CPython raises for this error:
    /// `"ValueError"`, `"TypeError"` or `"OverflowError"`.
    pub fn exception_type(&self) -> &'static str {
        use FormatError as E;
        match self {
            E::CharOutOfRange
            | E::IntTooLargeForCLong
            | E::IntTooLargeForCSsize
            | E::IntTooLargeForCInt
            | E::IntTooLargeForFloat
            | E::FloatInfinityToInt
            | E::PrecisionTooLarge => "OverflowError",
            E::NotEnoughArguments
            | E::NotAllArgumentsConverted
            | E::NotAllBytesArgumentsConverted
            | E::FormatRequiresMapping
            | E::StarWantsInt
            | E::NumberRequired { .. }
            | E::IntegerRequired { .. }
            | E::RealNumberRequired { .. }
            | E::CharRequired => "TypeError",
            _ => "ValueError",
        }
    }

    /// The same error naming `type_name` as the formatted object's type.
    ///
    /// [`format_int`], [`format_float`] and [`format_str`] report unknown
    /// presentation types against `int`, `float` and `str`; an interpreter
    /// formatting a `bool` or a subclass renames the type with this, as
    /// CPython's message uses `Py_TYPE(obj)->tp_name`.
    pub fn for_type(self, type_name: &str) -> FormatError {
        match self {
            FormatError::UnknownFormatCode { code, .. } => FormatError::UnknownFormatCode {
                code,
                type_name: type_name.to_string(),
            },
            other => other,
        }
    }
}

// ======================================================================
// Format specifications
// ======================================================================

/// The alignment option of a format specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// `<`: pad on the right.
    Left,
    /// `>`: pad on the left.
    Right,
    /// `^`: centre, the extra fill character going right.
    Center,
    /// `=`: pad between the sign (and `0x`-style prefix) and the digits.
    AfterSign,
}

/// The sign option of a format specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// `+`: a sign on every number.
    Plus,
    /// `-`: a sign on negative numbers only (the default behaviour).
    Minus,
    /// ` `: a space before non-negative numbers, `-` before negative ones.
    Space,
}

/// The grouping option of a format specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// `,`: a comma every three digits.
    Comma,
    /// `_`: an underscore every three digits, or every four for `b`, `o`,
    /// `x` and `X`.
    Underscore,
}

impl Grouping {
    fn separator(self) -> char {
        match self {
            Grouping::Comma => ',',
            Grouping::Underscore => '_',
        }
    }
}

/// A parsed format specification: the text after `:` in a replacement
/// field, or the second argument of `format()`:
/// `[[fill]align][sign][#][0][width][grouping][.precision][type]`.
///
/// Like CPython's `InternalFormatSpec` it does not know which type it will
/// format, so the alignment and presentation type stay `None` when not
/// given: the `format_*` function supplies the type's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    /// The fill character; `' '` unless given, `'0'` after a leading `0`
    /// with no explicit fill.
    pub fill: char,
    /// The alignment; a leading `0` with no explicit alignment implies
    /// [`Align::AfterSign`]. `None`: the type's default (`<` for strings,
    /// `>` for numbers).
    pub align: Option<Align>,
    /// The sign option, if given.
    pub sign: Option<Sign>,
    /// `#`: the alternate form.
    pub alternate: bool,
    /// The minimum field width, in characters.
    pub width: Option<usize>,
    /// The thousands separator option.
    pub grouping: Option<Grouping>,
    /// The precision.
    pub precision: Option<usize>,
    /// The presentation type, if given.
    pub ty: Option<char>,
}

impl Default for FormatSpec {
    /// The empty specification.
    fn default() -> Self {
        FormatSpec {
            fill: ' ',
            align: None,
            sign: None,
            alternate: false,
            width: None,
            grouping: None,
            precision: None,
            ty: None,
        }
    }
}

fn align_of(c: char) -> Option<Align> {
    match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' => Some(Align::AfterSign),
        _ => None,
    }
}

/// The value of `c` as a decimal digit, as `Py_UNICODE_TODECIMAL` reads it:
/// any character of general category Nd counts, not only ASCII (so
/// `format(5, '١٠')` pads to width 10).
fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(u32::from(c) - u32::from('0'));
    }
    if c.is_ascii() || get_general_category(c) != GeneralCategory::DecimalNumber {
        return None;
    }
    // Unicode encodes every decimal digit set as a contiguous run from 0 to
    // 9 (and adjacent sets, like the mathematical digits, as whole runs),
    // so the value is the distance from the start of the run, modulo 10.
    let mut start = u32::from(c);
    while let Some(prev) = start.checked_sub(1).and_then(char::from_u32) {
        if get_general_category(prev) != GeneralCategory::DecimalNumber {
            break;
        }
        start -= 1;
    }
    Some((u32::from(c) - start) % 10)
}

/// CPython's `get_integer`: consumes decimal digits from `chars[*pos..]`,
/// returning `None` when there are none.
fn get_integer(chars: &[char], pos: &mut usize) -> Result<Option<usize>, FormatError> {
    let mut acc: usize = 0;
    let mut consumed = false;
    while let Some(d) = chars.get(*pos).and_then(|&c| decimal_value(c)) {
        let d = d as usize;
        if acc > (SSIZE_MAX - d) / 10 {
            return Err(FormatError::TooManyDecimalDigits);
        }
        acc = acc * 10 + d;
        consumed = true;
        *pos += 1;
    }
    Ok(consumed.then_some(acc))
}

/// Parses a format specification as CPython's
/// `parse_internal_render_format_spec` does, minus the check of the
/// grouping option against the presentation type, which needs the type's
/// default presentation and so happens in the `format_*` functions.
///
/// Errors: [`FormatError::InvalidFormatSpecifier`],
/// [`FormatError::MissingPrecision`], [`FormatError::CommaAndUnderscore`],
/// [`FormatError::TooManyDecimalDigits`] (all ValueError).
pub fn parse_spec(spec: &str) -> Result<FormatSpec, FormatError> {
    let chars: Vec<char> = spec.chars().collect();
    let mut out = FormatSpec::default();
    let mut pos = 0;
    let mut fill_specified = false;

    // A fill character needs an alignment after it, so look two ahead first.
    if let Some(a) = chars.get(1).and_then(|&c| align_of(c)) {
        out.fill = chars[0];
        out.align = Some(a);
        fill_specified = true;
        pos = 2;
    } else if let Some(a) = chars.first().and_then(|&c| align_of(c)) {
        out.align = Some(a);
        pos = 1;
    }
    match chars.get(pos) {
        Some('+') => out.sign = Some(Sign::Plus),
        Some('-') => out.sign = Some(Sign::Minus),
        Some(' ') => out.sign = Some(Sign::Space),
        _ => {}
    }
    if out.sign.is_some() {
        pos += 1;
    }
    if chars.get(pos) == Some(&'#') {
        out.alternate = true;
        pos += 1;
    }
    // The backwards-compatible `0` flag: zero fill, after the sign, unless
    // a fill or an alignment was given explicitly.
    if !fill_specified && chars.get(pos) == Some(&'0') {
        out.fill = '0';
        if out.align.is_none() {
            out.align = Some(Align::AfterSign);
        }
        pos += 1;
    }
    out.width = get_integer(&chars, &mut pos)?;
    if chars.get(pos) == Some(&',') {
        out.grouping = Some(Grouping::Comma);
        pos += 1;
    }
    if chars.get(pos) == Some(&'_') {
        if out.grouping.is_some() {
            return Err(FormatError::CommaAndUnderscore);
        }
        out.grouping = Some(Grouping::Underscore);
        pos += 1;
    }
    // Only `_,` is caught here: after `,,` the second comma is taken as the
    // presentation type (and rejected as such), as in CPython 3.9.
    if out.grouping == Some(Grouping::Underscore) && chars.get(pos) == Some(&',') {
        return Err(FormatError::CommaAndUnderscore);
    }
    if chars.get(pos) == Some(&'.') {
        pos += 1;
        match get_integer(&chars, &mut pos)? {
            Some(p) => out.precision = Some(p),
            None => return Err(FormatError::MissingPrecision),
        }
    }
    match chars.len() - pos {
        0 => {}
        1 => out.ty = Some(chars[pos]),
        _ => return Err(FormatError::InvalidFormatSpecifier),
    }
    Ok(out)
}

/// The grouping CPython's locale machinery applies: the separator and the
/// group size, or `None` for none.
type GroupingRule = Option<(char, usize)>;

/// Checks the grouping option against the effective presentation type
/// (`ty`, the type's default already applied; `None` is float's "no type")
/// and returns the grouping to apply, as the tail of
/// `parse_internal_render_format_spec` and `get_locale_info` decide it.
fn grouping_rule(spec: &FormatSpec, ty: Option<char>) -> Result<GroupingRule, FormatError> {
    let Some(g) = spec.grouping else {
        return Ok(None);
    };
    let invalid = |code| FormatError::InvalidGrouping {
        separator: g.separator(),
        code,
    };
    match ty {
        None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => Ok(Some((g.separator(), 3))),
        // PEP 515: underscores every four digits in bin/oct/hex.
        Some('b' | 'o' | 'x' | 'X') if g == Grouping::Underscore => Ok(Some(('_', 4))),
        Some(c) => Err(invalid(c)),
    }
}

/// CPython's `_PyUnicode_InsertThousandsGrouping` (via `stringlib`):
/// `digits` with `rule`'s separator between groups, left-padded with zeros
/// (separators included) to at least `min_width` characters.
fn group_digits(digits: &str, min_width: isize, rule: GroupingRule) -> String {
    let digits = digits.as_bytes();
    let mut remaining = digits.len() as isize;
    let mut min_width = min_width;
    let mut end = digits.len();
    // Built right to left: each piece is `zeros digits [separator]`.
    let mut pieces: Vec<String> = Vec::new();
    let mut emit = |n_zeros: isize, n_chars: isize, sep: Option<char>, end: &mut usize| {
        let mut piece = "0".repeat(n_zeros as usize);
        let start = *end - n_chars as usize;
        piece.push_str(std::str::from_utf8(&digits[start..*end]).unwrap_or(""));
        *end = start;
        if let Some(s) = sep {
            piece.push(s);
        }
        pieces.push(piece);
    };
    let mut use_separator = false;
    let mut loop_broken = false;
    if let Some((sep, group)) = rule {
        let group = group as isize;
        // The grouping string "\3" (or "\4") repeats forever, so this loop
        // only ends by the break.
        loop {
            let l = group.min(remaining.max(min_width).max(1));
            let n_zeros = (l - remaining).max(0);
            let n_chars = remaining.min(l).max(0);
            emit(n_zeros, n_chars, use_separator.then_some(sep), &mut end);
            use_separator = true;
            remaining -= n_chars;
            min_width -= l;
            if remaining <= 0 && min_width <= 0 {
                loop_broken = true;
                break;
            }
            min_width -= 1; // the separator's width
        }
    }
    if !loop_broken {
        let l = remaining.max(min_width).max(1);
        let n_zeros = (l - remaining).max(0);
        let n_chars = remaining.min(l).max(0);
        let sep = rule.map(|(s, _)| s);
        emit(n_zeros, n_chars, sep.filter(|_| use_separator), &mut end);
    }
    pieces.iter().rev().map(String::as_str).collect()
}

/// The pieces of a formatted number, as `calc_number_widths` and
/// `fill_number` see them: `[sign][prefix][digits][.remainder]`.
struct NumberParts<'a> {
    /// Whether the number is negative (its `-` is already stripped).
    negative: bool,
    /// `0x`-style prefix (empty if none).
    prefix: &'a str,
    /// The integer digits, which grouping and zero padding apply to.
    digits: &'a str,
    /// Whether a decimal point follows the digits.
    has_decimal: bool,
    /// Everything after the digits and decimal point (fraction, exponent,
    /// `%`, or the character of `c` formatting).
    remainder: &'a str,
}

/// Lays a number out in its field as `calc_number_widths` and
/// `fill_number` do: `<lpad><sign><prefix><spad><digits><.><rest><rpad>`.
fn fill_number(
    parts: &NumberParts<'_>,
    spec: &FormatSpec,
    align: Align,
    rule: GroupingRule,
    upper: bool,
) -> String {
    let sign = match (spec.sign, parts.negative) {
        (_, true) => Some('-'),
        (Some(Sign::Plus), false) => Some('+'),
        (Some(Sign::Space), false) => Some(' '),
        _ => None,
    };
    let n_remainder = parts.remainder.chars().count() as isize;
    let n_non_digit = isize::from(sign.is_some())
        + parts.prefix.len() as isize
        + isize::from(parts.has_decimal)
        + n_remainder;
    let width = spec.width.map_or(-1, |w| w as isize);
    let min_width = if spec.fill == '0' && align == Align::AfterSign {
        width - n_non_digit
    } else {
        0
    };
    // `c` formatting has no digits, and the grouping code always emits at
    // least one character, so CPython skips it then.
    let grouped = if parts.digits.is_empty() {
        String::new()
    } else {
        group_digits(parts.digits, min_width, rule)
    };
    let n_padding = width - (n_non_digit + grouped.len() as isize);
    let (mut lpad, mut spad, mut rpad) = (0, 0, 0);
    if n_padding > 0 {
        let n = n_padding as usize;
        match align {
            Align::Left => rpad = n,
            Align::Center => {
                lpad = n / 2;
                rpad = n - lpad;
            }
            Align::AfterSign => spad = n,
            Align::Right => lpad = n,
        }
    }
    let fill = |n: usize| std::iter::repeat_n(spec.fill, n);
    let mut out = String::new();
    out.extend(fill(lpad));
    out.extend(sign);
    if upper {
        out.push_str(&parts.prefix.to_ascii_uppercase());
    } else {
        out.push_str(parts.prefix);
    }
    out.extend(fill(spad));
    if upper {
        out.push_str(&grouped.to_ascii_uppercase());
    } else {
        out.push_str(&grouped);
    }
    if parts.has_decimal {
        out.push('.');
    }
    out.push_str(parts.remainder);
    out.extend(fill(rpad));
    out
}

/// `format(i, spec)` for a Python `int`, as `_PyLong_FormatAdvancedWriter`
/// does it for a non-empty specification.
///
/// Types `b c d o x X n` and none (`d`) format the integer; `e E f F g G %`
/// convert it to a float first, as `float(i)` would (OverflowError
/// [`FormatError::IntTooLargeForFloat`] when it does not fit), and go
/// through [`format_float`]. An empty specification is `str(i)`, which this
/// gives for `int` itself; for a `bool` or an int subclass the caller must
/// use `str()` instead, and rename the type in errors with
/// [`FormatError::for_type`].
pub fn format_int(value: &BigInt, spec: &FormatSpec) -> Result<String, FormatError> {
    let ty = spec.ty.unwrap_or('d');
    let rule = grouping_rule(spec, Some(ty))?;
    match ty {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let x = int_to_f64(value)?;
            return format_float_checked(x, spec, Some(ty), rule);
        }
        code => {
            return Err(FormatError::UnknownFormatCode {
                code,
                type_name: "int".to_string(),
            })
        }
    }
    if spec.precision.is_some() {
        return Err(FormatError::PrecisionNotAllowedInInt);
    }
    let align = spec.align.unwrap_or(Align::Right);
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err(FormatError::SignNotAllowedWithC);
        }
        if spec.alternate {
            return Err(FormatError::AlternateNotAllowedWithC);
        }
        let code = value.to_i64().ok_or(FormatError::IntTooLargeForCLong)?;
        if !(0..=0x10ffff).contains(&code) {
            return Err(FormatError::CharOutOfRange);
        }
        let ch = char::from_u32(code as u32).unwrap_or('\u{FFFD}');
        let text = ch.to_string();
        // The character goes in as "remainder", copied but never grouped.
        let parts = NumberParts {
            negative: false,
            prefix: "",
            digits: "",
            has_decimal: false,
            remainder: &text,
        };
        return Ok(fill_number(&parts, spec, align, rule, false));
    }
    let (base, prefix) = match ty {
        'b' => (2, "0b"),
        'o' => (8, "0o"),
        'x' | 'X' => (16, "0x"),
        _ => (10, ""),
    };
    let digits = value.magnitude().to_str_radix(base);
    let parts = NumberParts {
        negative: value.sign() == BigSign::Minus,
        prefix: if spec.alternate { prefix } else { "" },
        digits: &digits,
        has_decimal: false,
        remainder: "",
    };
    // 'n' uses the current locale, which is the C locale: no grouping.
    let rule = if ty == 'n' { None } else { rule };
    Ok(fill_number(&parts, spec, align, rule, ty == 'X'))
}

/// `format(x, spec)` for a Python `float`, as
/// `_PyFloat_FormatAdvancedWriter` does it.
///
/// Types `e E f F g G n %` and none. With no type and no precision the
/// digits are `repr(x)`'s; with no type and a precision it is like `g` but
/// keeps at least one digit after the point in fixed notation (`'.3'`
/// formats `1.0` as `1.0` and `1234.0` as `1.23e+03`). Infinities and NaN
/// are `inf`/`nan` (`INF`/`NAN` for capital types), padded like numbers
/// (`'010'` gives `0000000inf`). An empty specification is `str(x)`, which
/// this gives.
pub fn format_float(value: f64, spec: &FormatSpec) -> Result<String, FormatError> {
    let rule = grouping_rule(spec, spec.ty)?;
    match spec.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') => {}
        Some(code) => {
            return Err(FormatError::UnknownFormatCode {
                code,
                type_name: "float".to_string(),
            })
        }
    }
    format_float_checked(value, spec, spec.ty, rule)
}

/// `format_float_internal`: formats `value` once the presentation type
/// `ty` is known to be a float one and the grouping rule is checked.
fn format_float_checked(
    value: f64,
    spec: &FormatSpec,
    ty: Option<char>,
    rule: GroupingRule,
) -> Result<String, FormatError> {
    if spec.precision.is_some_and(|p| p > INT_MAX) {
        return Err(FormatError::PrecisionTooBig);
    }
    let mut flags = FloatFlags {
        alternate: spec.alternate,
        ..FloatFlags::default()
    };
    let mut default_precision = 6;
    let mut mode = match ty {
        // No type: like repr (mode 'r'), or 'g' with at least one digit
        // after the point when a precision is given.
        None => {
            flags.add_dot_0_if_integer = true;
            default_precision = 0;
            'r'
        }
        // 'n' is 'g' in the locale's conventions, the C locale's here.
        Some('n') => 'g',
        Some(c) => c,
    };
    let mut value = value;
    let add_pct = mode == '%';
    if add_pct {
        mode = 'f';
        value *= 100.0;
    }
    let precision = match spec.precision {
        None => default_precision,
        Some(p) => {
            if mode == 'r' {
                mode = 'g';
            }
            p
        }
    };
    let mut text = float_to_string(value, mode, precision, flags);
    if add_pct {
        text.push('%');
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let n_digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, rest) = body.split_at(n_digits);
    let (has_decimal, remainder) = match rest.strip_prefix('.') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let parts = NumberParts {
        negative,
        prefix: "",
        digits,
        has_decimal,
        remainder,
    };
    let rule = if ty == Some('n') { None } else { rule };
    let align = spec.align.unwrap_or(Align::Right);
    Ok(fill_number(&parts, spec, align, rule, false))
}

/// `format(s, spec)` for a Python `str`, as `_PyUnicode_FormatAdvancedWriter`
/// does it: type `s` or none; the precision truncates to that many
/// characters and the width counts characters (code points); alignment
/// defaults to left.
///
/// A sign (` ` has its own message), `#`, or `=` alignment (which a leading
/// `0` implies) is an error,
/// as is a grouping option.
pub fn format_str(value: &str, spec: &FormatSpec) -> Result<String, FormatError> {
    let ty = spec.ty.unwrap_or('s');
    grouping_rule(spec, Some(ty))?;
    if ty != 's' {
        return Err(FormatError::UnknownFormatCode {
            code: ty,
            type_name: "str".to_string(),
        });
    }
    match spec.sign {
        Some(Sign::Space) => return Err(FormatError::SpaceNotAllowedInString),
        Some(_) => return Err(FormatError::SignNotAllowedInString),
        None => {}
    }
    if spec.alternate {
        return Err(FormatError::AlternateNotAllowedInString);
    }
    let align = spec.align.unwrap_or(Align::Left);
    if align == Align::AfterSign {
        return Err(FormatError::EqualsAlignNotAllowedInString);
    }
    let mut len = value.chars().count();
    if let Some(p) = spec.precision {
        len = len.min(p);
    }
    let total = spec.width.map_or(len, |w| w.max(len));
    let lpad = match align {
        Align::Right => total - len,
        Align::Center => (total - len) / 2,
        _ => 0,
    };
    let rpad = total - len - lpad;
    let mut out = String::with_capacity(total);
    out.extend(std::iter::repeat_n(spec.fill, lpad));
    out.extend(value.chars().take(len));
    out.extend(std::iter::repeat_n(spec.fill, rpad));
    Ok(out)
}

// ======================================================================
// Float to string: PyOS_double_to_string
// ======================================================================

/// The flags of [`float_to_string`], CPython's `Py_DTSF_*`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FloatFlags {
    /// `Py_DTSF_ALT`: keep the decimal point even with no digits after it
    /// (`1.`), and for `g` keep trailing zeros.
    pub alternate: bool,
    /// `Py_DTSF_ADD_DOT_0`: integral values in fixed notation end in `.0`;
    /// for `g` this also moves the switch to exponent notation one digit
    /// earlier, so that the `.0` fits in the precision.
    pub add_dot_0_if_integer: bool,
    /// `Py_DTSF_SIGN`: a `+` before non-negative values.
    pub sign: bool,
}

/// More significant digits than any double's exact decimal expansion has
/// (at most 767).
const EXACT_SIGNIFICANT_DIGITS: usize = 800;
/// More digits after the point than any double's exact decimal expansion
/// has (at most 1074, for the smallest subnormal).
const EXACT_FRACTION_DIGITS: usize = 1100;

/// Significant digits with no leading or trailing zeros, and the decimal
/// point position `decpt`: the value is `0.DIGITS × 10^decpt`. This is what
/// David Gay's `dtoa` returns to CPython.
type Digits = (String, i64);

/// Splits a rendering `INT[.FRAC][eEXP]` of a non-negative finite value
/// into [`Digits`]. `None` when every digit is zero.
fn digits_of(text: &str) -> Option<Digits> {
    let (mantissa, exp) = match text.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    let trimmed = all.trim_start_matches('0');
    let decpt = int.len() as i64 + exp - (all.len() - trimmed.len()) as i64;
    let trimmed = trimmed.trim_end_matches('0');
    (!trimmed.is_empty()).then(|| (trimmed.to_string(), decpt))
}

/// `dtoa` mode 0: the shortest digits that read back as `x` (`x >= 0`,
/// finite), taken from [`repr_float`], which already computes them.
fn shortest_digits(x: f64) -> Digits {
    digits_of(&repr_float(x)).unwrap_or_else(|| ("0".to_string(), 1))
}

/// `dtoa` mode 2: `ndigits` (at least 1) significant digits, correctly
/// rounded, ties to even on the exact binary value (`x >= 0`, finite).
///
/// Rust's `{:.*e}` rounds the exact value correctly with ties to even too,
/// which is what makes this a faithful stand-in for `dtoa`.
fn significant_digits(x: f64, ndigits: usize) -> Digits {
    if x == 0.0 {
        return ("0".to_string(), 1);
    }
    // Rust caps a formatting precision at u16::MAX, while CPython allows up
    // to INT_MAX (`format(1.5, '.2147483647')` is "1.5"). No double has more
    // than 767 significant digits, so asking for more rounds nothing and
    // gives the same digits.
    let ndigits = ndigits.clamp(1, EXACT_SIGNIFICANT_DIGITS);
    digits_of(&format!("{:.*e}", ndigits - 1, x)).unwrap_or_else(|| ("0".to_string(), 1))
}

/// `dtoa` mode 3: the digits of `x` (`x >= 0`, finite) correctly rounded
/// to `ndigits` places after the point. A non-zero value that rounds to
/// zero gives no digits and `decpt = -ndigits`, as `dtoa` reports it.
fn fixed_digits(x: f64, ndigits: usize) -> Digits {
    if x == 0.0 {
        return ("0".to_string(), 1);
    }
    // As in `significant_digits`: no double has digits beyond 10**-1074, so
    // more places round nothing (and the `ndigits` of the no-digits case
    // below cannot arise for such precisions).
    let ndigits = ndigits.min(EXACT_FRACTION_DIGITS);
    digits_of(&format!("{:.*}", ndigits, x)).unwrap_or_else(|| (String::new(), -(ndigits as i64)))
}

/// `PyOS_double_to_string(x, mode, precision, flags)`: the conversion
/// behind `repr`/`str` of floats, `format()` and `%`-formatting.
///
/// Modes: `'e'`/`'E'` exponent notation with `precision` digits after the
/// point; `'f'`/`'F'` fixed notation with `precision` digits after the
/// point; `'g'`/`'G'` `precision` significant digits (0 counts as 1) in
/// exponent notation when the exponent is below -4 or not below the
/// precision, trailing zeros removed unless `alternate`; `'r'` the shortest
/// digits that read back as `x`, exponent notation below 1e-4 and from 1e16
/// (`precision` is unused). Capital modes write `E`, `INF` and `NAN`.
/// Exponents have a sign and at least two digits (`1e-05`). NaN never has
/// a `-`.
///
/// `float_to_string(x, 'r', 0, FloatFlags { add_dot_0_if_integer: true,
/// ..Default::default() })` is `repr(x)`, which is also `str(x)`.
///
/// # Panics
///
/// For a mode other than those above: CPython calls that an internal error
/// (`PyErr_BadInternalCall`) too.
pub fn float_to_string(x: f64, mode: char, precision: usize, flags: FloatFlags) -> String {
    let upper = mode.is_ascii_uppercase();
    let code = mode.to_ascii_lowercase();
    assert!(
        matches!(code, 'e' | 'f' | 'g') || mode == 'r',
        "float_to_string: unknown mode {mode:?}"
    );
    let mut out = String::new();
    // The sign of a NaN is ignored; Py_DTSF_SIGN still adds a '+'.
    if x.is_sign_negative() && !x.is_nan() {
        out.push('-');
    } else if flags.sign {
        out.push('+');
    }
    if !x.is_finite() {
        let word = if x.is_nan() { "nan" } else { "inf" };
        out.push_str(&if upper {
            word.to_ascii_uppercase()
        } else {
            word.to_string()
        });
        return out;
    }
    let ax = x.abs();
    // `precision` is a C int in CPython; anything larger cannot get here
    // from Python code, and saturating keeps the arithmetic in range.
    let mut precision = precision.min(INT_MAX);
    let (digits, mut decpt) = match code {
        'e' => {
            precision += 1;
            significant_digits(ax, precision)
        }
        'f' => fixed_digits(ax, precision),
        'g' => {
            precision = precision.max(1);
            significant_digits(ax, precision)
        }
        _ => shortest_digits(ax),
    };
    let precision = precision as i64;
    let digits_len = digits.len() as i64;

    // From here on this is `format_float_short`: the output is the slice
    // vdigits[vdigits_start..vdigits_end] of the digits padded with zeros
    // on both sides, with a decimal point at `decpt`.
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match code {
        'e' => {
            use_exp = true;
            vdigits_end = precision;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            let limit = if flags.add_dot_0_if_integer {
                precision - 1
            } else {
                precision
            };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alternate {
                vdigits_end = precision;
            }
        }
        _ => {
            // 'r' switches at 1e16, not 1e17: a 17-digit repr padded with
            // zeros would show digits the value does not have.
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    // Make vdigits_start < decpt <= vdigits_end, and leave room for ".0"
    // when it is wanted.
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    vdigits_end = if !use_exp && flags.add_dot_0_if_integer {
        vdigits_end.max(decpt + 1)
    } else {
        vdigits_end.max(decpt)
    };
    let zeros = |out: &mut String, n: i64| out.extend(std::iter::repeat_n('0', n.max(0) as usize));

    if decpt <= 0 {
        zeros(&mut out, decpt - vdigits_start);
        out.push('.');
        zeros(&mut out, -decpt);
    } else {
        zeros(&mut out, -vdigits_start);
    }
    if 0 < decpt && decpt <= digits_len {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    } else {
        out.push_str(&digits);
    }
    if digits_len < decpt {
        zeros(&mut out, decpt - digits_len);
        out.push('.');
        zeros(&mut out, vdigits_end - decpt);
    } else {
        zeros(&mut out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alternate {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        // C's "%+.02d": always a sign, at least two digits.
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    }
    out
}

// ======================================================================
// Integers
// ======================================================================

/// An int in base 2, 8, 10 or 16 as `_PyLong_Format` writes it, which is
/// what `bin()`, `oct()`, `hex()` and `str()` return: a `-` first if
/// negative, then with `alternate` the prefix `0b`, `0o` or `0x` (none for
/// base 10), then the digits. `upper` capitalises the digits and the prefix
/// (`-0XFF`), as the `X` presentation type does.
///
/// Other bases from 2 to 36 give their digits with no prefix.
///
/// # Panics
///
/// If `base` is outside 2..=36.
pub fn int_to_base(value: &BigInt, base: u32, alternate: bool, upper: bool) -> String {
    let mut out = String::new();
    if value.sign() == BigSign::Minus {
        out.push('-');
    }
    if alternate {
        out.push_str(match base {
            2 => "0b",
            8 => "0o",
            16 => "0x",
            _ => "",
        });
    }
    out.push_str(&value.magnitude().to_str_radix(base));
    if upper {
        out.make_ascii_uppercase();
    }
    out
}

/// `float(i)`: the nearest float to `value`, ties to even, or OverflowError
/// [`FormatError::IntTooLargeForFloat`] when that is out of range (as
/// `PyLong_AsDouble` decides: rounding up to 2**1024 counts as too large).
pub fn int_to_f64(value: &BigInt) -> Result<f64, FormatError> {
    let mag: &BigUint = value.magnitude();
    let bits = mag.bits();
    let abs = if bits <= 64 {
        // `as` rounds to nearest, ties to even.
        mag.to_u64().unwrap_or(0) as f64
    } else {
        let shift = bits - 64;
        let mut top = (mag >> shift).to_u64().unwrap_or(u64::MAX);
        // A sticky bit for everything shifted out, so that the rounding of
        // the top 64 bits to 53 sees a tie only when there is one.
        if mag.trailing_zeros().unwrap_or(0) < shift {
            top |= 1;
        }
        if shift > 1023 {
            f64::INFINITY
        } else {
            // Scaling by a power of two is exact until it overflows.
            let scale = f64::from_bits((shift + 1023) << 52);
            top as f64 * scale
        }
    };
    if abs.is_infinite() {
        return Err(FormatError::IntTooLargeForFloat);
    }
    Ok(if value.sign() == BigSign::Minus {
        -abs
    } else {
        abs
    })
}

/// `int(x)` for a float: truncation toward zero. OverflowError
/// [`FormatError::FloatInfinityToInt`] for an infinity, ValueError
/// [`FormatError::FloatNanToInt`] for NaN.
pub fn f64_to_int(x: f64) -> Result<BigInt, FormatError> {
    if x.is_nan() {
        return Err(FormatError::FloatNanToInt);
    }
    if x.is_infinite() {
        return Err(FormatError::FloatInfinityToInt);
    }
    let t = x.trunc();
    if t == 0.0 {
        return Ok(BigInt::zero());
    }
    // |t| >= 1 here, so it is a normal float: 1.m × 2^e with e >= 0.
    let bits = t.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    let mag = BigInt::from(mantissa);
    let mag = if exp >= 0 {
        mag << exp as usize
    } else {
        mag >> (-exp) as usize
    };
    Ok(if t < 0.0 { -mag } else { mag })
}

// ======================================================================
// %-formatting: PyUnicode_Format
// ======================================================================

/// The flags of a `%` directive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PercentFlags {
    /// `-`: left-justify (also set by a negative `*` width).
    pub left: bool,
    /// `+`: a sign on every number.
    pub sign: bool,
    /// ` `: a space before non-negative numbers (`+` wins over it).
    pub blank: bool,
    /// `#`: the alternate form (`0x`/`0o` prefixes, float decimal point).
    pub alternate: bool,
    /// `0`: zero padding for numbers.
    pub zero: bool,
}

/// One `%` directive with its `*` width and precision already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PercentSpec {
    /// The flags.
    pub flags: PercentFlags,
    /// The minimum field width.
    pub width: Option<usize>,
    /// The precision (a negative `*` precision counts as 0).
    pub precision: Option<usize>,
    /// The conversion character (`s`, `d`, ...).
    pub conversion: char,
    /// The position of the conversion character in the format string, in
    /// code points, for [`FormatError::UnsupportedFormatCharacter`].
    pub index: usize,
}

/// What a `%` directive needs its argument converted to; the interpreter
/// performs the conversion (it may run Python code) and answers with a
/// [`PercentArg`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgRequest {
    /// A `*` width or precision: [`PercentArg::Int`] if the argument is an
    /// `int` (or subclass, `bool` included; no `__index__`), else
    /// [`PercentArg::Unsupported`].
    Star,
    /// `%s`: [`PercentArg::Str`] of `str(x)`.
    Str,
    /// `%r`: [`PercentArg::Str`] of `repr(x)`.
    Repr,
    /// `%a`: [`PercentArg::Str`] of `ascii(x)`.
    Ascii,
    /// `%d`, `%i`, `%u`: an int if `x` is an int, [`PercentArg::Float`] if
    /// it is a float (truncated here, with CPython's errors for inf and
    /// NaN), else `int(x)` as [`PercentArg::Int`] when `x` is a number
    /// (`PyNumber_Check`) whose `int()` succeeds; otherwise (no number, or
    /// `int()` raises TypeError) [`PercentArg::Unsupported`]. Other
    /// exceptions from `int()` propagate.
    Number,
    /// `%o`, `%x`, `%X`: [`PercentArg::Int`] of `operator.index(x)`, or
    /// [`PercentArg::Unsupported`] when `x` is not a number or has no
    /// `__index__` (floats included).
    Index,
    /// `%e %E %f %F %g %G`: [`PercentArg::Float`] of `float(x)` as
    /// `PyFloat_AsDouble` computes it (an int may also be passed as
    /// [`PercentArg::Int`], converted here), or [`PercentArg::Unsupported`]
    /// when that raises TypeError.
    Float,
    /// `%c`: [`PercentArg::Str`] with the string itself if `x` is a `str`,
    /// [`PercentArg::Int`] if it is an int or has `__index__`, else
    /// [`PercentArg::Unsupported`].
    Char,
}

/// An argument of a `%` directive, converted as its [`ArgRequest`] asks.
#[derive(Debug, Clone, PartialEq)]
pub enum PercentArg {
    /// An integer.
    Int(BigInt),
    /// A float.
    Float(f64),
    /// Text: the `str()`/`repr()`/`ascii()` of the argument, or for `%c`
    /// the argument itself.
    Str(String),
    /// The argument cannot be converted as requested; `type_name` is its
    /// Python type's name, for the message.
    Unsupported {
        /// The argument's Python type name.
        type_name: String,
    },
}

/// The right operand of `format % args`, as `PyUnicode_Format` classifies
/// it.
#[derive(Debug, Clone, PartialEq)]
pub enum PercentArgs<V> {
    /// A tuple (or tuple subclass): its items are the arguments.
    Tuple(Vec<V>),
    /// Any other single value, which is the only argument.
    Single(V),
    /// A single value that is a mapping for `%` (`PyMapping_Check`, and
    /// neither a tuple nor a str): `%(key)` directives look keys up in it,
    /// and a directive without a key takes the mapping itself.
    Mapping(V),
}

/// The interpreter's side of [`percent_format`]: looks keys up and converts
/// argument values, which may run Python code and raise.
pub trait PercentSource {
    /// The interpreter's handle on a Python value.
    type Value: Clone;
    /// The interpreter's exception type; [`FormatError`]s convert into it.
    type Error: From<FormatError>;

    /// `mapping[key]`, for a `%(key)` directive.
    fn get_item(&mut self, mapping: &Self::Value, key: &str) -> Result<Self::Value, Self::Error>;

    /// Converts `value` as `request` says; see [`ArgRequest`].
    fn convert(
        &mut self,
        value: &Self::Value,
        request: ArgRequest,
    ) -> Result<PercentArg, Self::Error>;

    /// Whether this formats `bytes` (`_PyBytes_FormatEx`) rather than
    /// `str`: then `%b` is `%s`, and the text is Latin-1, one char a byte.
    fn formats_bytes(&self) -> bool {
        false
    }
}

/// `PyUnicode_Format`'s argument cursor: `arglen`/`argidx` for a tuple,
/// `-1`/`-2` for a single value (which is then taken once).
struct ArgCursor<V> {
    items: Vec<V>,
    arglen: isize,
    argidx: isize,
    dict: Option<V>,
}

impl<V: Clone> ArgCursor<V> {
    fn new(args: PercentArgs<V>) -> Self {
        match args {
            PercentArgs::Tuple(items) => ArgCursor {
                arglen: items.len() as isize,
                argidx: 0,
                items,
                dict: None,
            },
            PercentArgs::Single(v) => ArgCursor {
                items: vec![v],
                arglen: -1,
                argidx: -2,
                dict: None,
            },
            PercentArgs::Mapping(v) => ArgCursor {
                items: vec![v.clone()],
                arglen: -1,
                argidx: -2,
                dict: Some(v),
            },
        }
    }

    /// `unicode_format_getnextarg`.
    fn next(&mut self) -> Result<V, FormatError> {
        if self.argidx < self.arglen {
            let i = self.argidx;
            self.argidx += 1;
            Ok(if self.arglen < 0 {
                self.items[0].clone()
            } else {
                self.items[i as usize].clone()
            })
        } else {
            Err(FormatError::NotEnoughArguments)
        }
    }

    /// After `%(key)`: the looked-up value becomes the one argument.
    fn replace(&mut self, v: V) {
        self.items = vec![v];
        self.arglen = -1;
        self.argidx = -2;
    }
}

/// `fmt % args` for a `str` format, as CPython 3.9's `PyUnicode_Format`
/// computes it.
///
/// The directives are `%[(key)][flags][width][.precision][h|l|L]conversion`
/// with flags `-+ #0`, `*` for a width or precision taken from the
/// arguments (a negative width left-justifies, a negative precision counts
/// as 0), `%%` for a literal `%`, and conversions `s r a d i u o x X e E f
/// F g G c`.
///
/// The format string is walked once, left to right, exactly as CPython
/// walks it, so that errors come out in CPython's order (a missing argument
/// for an earlier directive is reported before a malformed later one, a
/// missing key before a bad width): for each directive the key is looked
/// up with [`PercentSource::get_item`], `*` arguments are taken, the
/// directive's argument is taken, and only then is its conversion
/// character checked; the argument is converted with
/// [`PercentSource::convert`] and rendered with [`render_percent`].
///
/// After a `%(key)` directive the looked-up value replaces the arguments,
/// as in CPython (`'%(a)s %s' % {'a': 1}` is "not enough arguments").
pub fn percent_format<S: PercentSource>(
    fmt: &str,
    args: PercentArgs<S::Value>,
    src: &mut S,
) -> Result<String, S::Error> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut cursor = ArgCursor::new(args);
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut pos = 0;
    while pos < chars.len() {
        if chars[pos] != '%' {
            out.push(chars[pos]);
            pos += 1;
            continue;
        }
        pos += 1;
        if chars.get(pos) == Some(&'%') {
            out.push('%');
            pos += 1;
            continue;
        }
        let mut spec = parse_directive(&chars, &mut pos, &mut cursor, src)?;
        if spec.conversion == 'b' && src.formats_bytes() {
            spec.conversion = 's';
        }
        let value = cursor.next()?;
        let request = match spec.conversion {
            's' => ArgRequest::Str,
            'r' => ArgRequest::Repr,
            'a' => ArgRequest::Ascii,
            'd' | 'i' | 'u' => ArgRequest::Number,
            'o' | 'x' | 'X' => ArgRequest::Index,
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => ArgRequest::Float,
            'c' => ArgRequest::Char,
            conversion => {
                return Err(FormatError::UnsupportedFormatCharacter {
                    conversion,
                    index: spec.index,
                }
                .into())
            }
        };
        let arg = src.convert(&value, request)?;
        out.push_str(&render_percent(&spec, arg)?);
    }
    if cursor.argidx < cursor.arglen && cursor.dict.is_none() {
        return Err(if src.formats_bytes() {
            FormatError::NotAllBytesArgumentsConverted
        } else {
            FormatError::NotAllArgumentsConverted
        }
        .into());
    }
    Ok(out)
}

/// Takes a `*` argument as a C integer of at most `max`, or the error for
/// one that does not fit.
fn star_value<S: PercentSource>(
    cursor: &mut ArgCursor<S::Value>,
    src: &mut S,
    too_large: FormatError,
    max: i64,
) -> Result<i64, S::Error> {
    let v = cursor.next()?;
    match src.convert(&v, ArgRequest::Star)? {
        PercentArg::Int(n) => match n.to_i64() {
            Some(x) if (-max - 1..=max).contains(&x) => Ok(x),
            _ => Err(too_large.into()),
        },
        _ => Err(FormatError::StarWantsInt.into()),
    }
}

/// `unicode_format_arg_parse`: reads one directive from just after its
/// `%`, looking its key up and taking its `*` arguments as it goes.
fn parse_directive<S: PercentSource>(
    chars: &[char],
    pos: &mut usize,
    cursor: &mut ArgCursor<S::Value>,
    src: &mut S,
) -> Result<PercentSpec, S::Error> {
    let incomplete = || S::Error::from(FormatError::IncompleteFormat);
    if chars.get(*pos) == Some(&'(') {
        let Some(dict) = cursor.dict.clone() else {
            return Err(FormatError::FormatRequiresMapping.into());
        };
        *pos += 1;
        let start = *pos;
        // Parentheses nest: "%(a(b))s" has the key "a(b)".
        let mut depth = 1;
        while depth > 0 && *pos < chars.len() {
            match chars[*pos] {
                ')' => depth -= 1,
                '(' => depth += 1,
                _ => {}
            }
            *pos += 1;
        }
        if depth > 0 {
            return Err(FormatError::IncompleteFormatKey.into());
        }
        let key: String = chars[start..*pos - 1].iter().collect();
        let value = src.get_item(&dict, &key)?;
        cursor.replace(value);
    }
    let mut flags = PercentFlags::default();
    let mut ch;
    loop {
        ch = *chars.get(*pos).ok_or_else(incomplete)?;
        *pos += 1;
        match ch {
            '-' => flags.left = true,
            '+' => flags.sign = true,
            ' ' => flags.blank = true,
            '#' => flags.alternate = true,
            '0' => flags.zero = true,
            _ => break,
        }
    }
    let mut width = None;
    if ch == '*' {
        let w = star_value(cursor, src, FormatError::IntTooLargeForCSsize, i64::MAX)?;
        if w < 0 {
            flags.left = true;
        }
        width = Some(w.unsigned_abs() as usize);
        ch = *chars.get(*pos).ok_or_else(incomplete)?;
        *pos += 1;
    } else if let Some(d) = ch.to_digit(10) {
        let mut w = d as usize;
        loop {
            ch = *chars.get(*pos).ok_or_else(incomplete)?;
            *pos += 1;
            let Some(d) = ch.to_digit(10) else { break };
            if w > (SSIZE_MAX - d as usize) / 10 {
                return Err(FormatError::WidthTooBig.into());
            }
            w = w * 10 + d as usize;
        }
        width = Some(w);
    }
    let mut precision = None;
    if ch == '.' {
        ch = *chars.get(*pos).ok_or_else(incomplete)?;
        *pos += 1;
        if ch == '*' {
            let p = star_value(
                cursor,
                src,
                FormatError::IntTooLargeForCInt,
                i64::from(i32::MAX),
            )?;
            precision = Some(p.max(0) as usize);
            ch = *chars.get(*pos).ok_or_else(incomplete)?;
            *pos += 1;
        } else if let Some(d) = ch.to_digit(10) {
            let mut p = d as usize;
            loop {
                ch = *chars.get(*pos).ok_or_else(incomplete)?;
                *pos += 1;
                let Some(d) = ch.to_digit(10) else { break };
                if p > (INT_MAX - d as usize) / 10 {
                    return Err(FormatError::PrecisionTooBig.into());
                }
                p = p * 10 + d as usize;
            }
            precision = Some(p);
        } else {
            precision = Some(0);
        }
    }
    // C length modifiers are accepted and ignored.
    if matches!(ch, 'h' | 'l' | 'L') {
        ch = *chars.get(*pos).ok_or_else(incomplete)?;
        *pos += 1;
    }
    Ok(PercentSpec {
        flags,
        width,
        precision,
        conversion: ch,
        index: *pos - 1,
    })
}

/// `_PyUnicode_FormatLong`: the text of an int for `%d`-style conversions,
/// before padding: sign, `0x`/`0o` prefix with `#`, digits zero-extended to
/// the precision.
fn format_long(
    value: &BigInt,
    alternate: bool,
    precision: Option<usize>,
    conversion: char,
) -> Result<String, FormatError> {
    if precision.is_some_and(|p| p > INT_MAX - 3) {
        return Err(FormatError::PrecisionTooLarge);
    }
    let base = match conversion {
        'o' => 8,
        'x' | 'X' => 16,
        _ => 10,
    };
    let negative = value.sign() == BigSign::Minus;
    let digits = value.magnitude().to_str_radix(base);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if alternate && base != 10 {
        out.push_str(if base == 8 { "0o" } else { "0x" });
    }
    if let Some(p) = precision {
        out.extend(std::iter::repeat_n('0', p.saturating_sub(digits.len())));
    }
    out.push_str(&digits);
    if conversion == 'X' {
        out.make_ascii_uppercase();
    }
    Ok(out)
}

/// Renders one `%` directive (everything resolved) with its converted
/// argument: `unicode_format_arg_format` followed by
/// `unicode_format_arg_output`.
///
/// Numbers get the sign from `+`/` `, zero padding after the sign (and after
/// the `0x` prefix) with `0`, floats go through [`float_to_string`] with
/// precision 6 by default; `%s`, `%r` and `%a` truncate to the precision;
/// `%c` takes a one-character string or a code point.
///
/// Arguments of the wrong kind get CPython's TypeError for the conversion
/// (e.g. `%d format: a number is required, not str`); a few harmless
/// mismatches are accepted: an int or float for `%s`-style conversions is
/// shown as `str()` shows it, an int for float conversions is converted
/// with [`int_to_f64`], a float for `%d`/`%i`/`%u` is truncated with
/// [`f64_to_int`]. [`PercentArg::Unsupported`] for `%s`, `%r` or `%a` (which
/// cannot happen in Python, every object having a `str` and a `repr`) shows
/// as `<TYPE object>`.
pub fn render_percent(spec: &PercentSpec, arg: PercentArg) -> Result<String, FormatError> {
    let conv = spec.conversion;
    let type_name = |arg: &PercentArg| match arg {
        PercentArg::Int(_) => "int".to_string(),
        PercentArg::Float(_) => "float".to_string(),
        PercentArg::Str(_) => "str".to_string(),
        PercentArg::Unsupported { type_name } => type_name.clone(),
    };
    let (text, numeric) = match conv {
        's' | 'r' | 'a' => {
            let text = match arg {
                PercentArg::Str(s) => s,
                PercentArg::Int(n) => n.to_string(),
                PercentArg::Float(x) => repr_float(x),
                PercentArg::Unsupported { type_name } => format!("<{type_name} object>"),
            };
            (text, false)
        }
        'd' | 'i' | 'u' => {
            let n = match arg {
                PercentArg::Int(n) => n,
                PercentArg::Float(x) => f64_to_int(x)?,
                other => {
                    return Err(FormatError::NumberRequired {
                        conversion: conv,
                        type_name: type_name(&other),
                    })
                }
            };
            (
                format_long(&n, spec.flags.alternate, spec.precision, conv)?,
                true,
            )
        }
        'o' | 'x' | 'X' => {
            let n = match arg {
                PercentArg::Int(n) => n,
                other => {
                    return Err(FormatError::IntegerRequired {
                        conversion: conv,
                        type_name: type_name(&other),
                    })
                }
            };
            (
                format_long(&n, spec.flags.alternate, spec.precision, conv)?,
                true,
            )
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let x = match arg {
                PercentArg::Float(x) => x,
                PercentArg::Int(n) => int_to_f64(&n)?,
                other => {
                    return Err(FormatError::RealNumberRequired {
                        type_name: type_name(&other),
                    })
                }
            };
            let flags = FloatFlags {
                alternate: spec.flags.alternate,
                ..FloatFlags::default()
            };
            let precision = spec.precision.unwrap_or(6);
            (float_to_string(x, conv, precision, flags), true)
        }
        'c' => {
            let ch = match arg {
                PercentArg::Str(s) => {
                    let mut it = s.chars();
                    match (it.next(), it.next()) {
                        (Some(c), None) => c,
                        _ => return Err(FormatError::CharRequired),
                    }
                }
                PercentArg::Int(n) => {
                    // PyLong_AsLong failing is reported as the TypeError.
                    let code = n.to_i64().ok_or(FormatError::CharRequired)?;
                    if !(0..=0x10ffff).contains(&code) {
                        return Err(FormatError::CharOutOfRange);
                    }
                    char::from_u32(code as u32).unwrap_or('\u{FFFD}')
                }
                _ => return Err(FormatError::CharRequired),
            };
            (ch.to_string(), false)
        }
        conversion => {
            return Err(FormatError::UnsupportedFormatCharacter {
                conversion,
                index: spec.index,
            })
        }
    };
    Ok(pad_percent(spec, &text, numeric))
}

/// `unicode_format_arg_output`: pads `text` into the directive's field.
/// `numeric` is CPython's `arg->sign`: the text may start with a sign, which
/// (like the `0x` prefix) goes before any zero padding.
fn pad_percent(spec: &PercentSpec, text: &str, numeric: bool) -> String {
    let flags = spec.flags;
    let conv = spec.conversion;
    let chars: Vec<char> = text.chars().collect();
    let fill = if numeric && flags.zero { '0' } else { ' ' };
    let mut len = chars.len();
    if matches!(conv, 's' | 'r' | 'a') {
        if let Some(p) = spec.precision {
            len = len.min(p);
        }
    }
    let mut pindex = 0;
    let mut sign = None;
    if numeric {
        match chars.first() {
            Some(&c @ ('-' | '+')) => {
                sign = Some(c);
                len -= 1;
                pindex = 1;
            }
            _ if flags.sign => sign = Some('+'),
            _ if flags.blank => sign = Some(' '),
            _ => {}
        }
    }
    let mut width = spec.width.unwrap_or(0).max(len);
    let mut out = String::with_capacity(width + 1);
    if let Some(s) = sign {
        if fill != ' ' {
            out.push(s);
        }
        if width > len {
            width -= 1;
        }
    }
    let alt_prefix = flags.alternate && matches!(conv, 'x' | 'X' | 'o');
    if alt_prefix {
        if fill != ' ' {
            out.push('0');
            out.push(conv);
            pindex += 2;
        }
        width = width.saturating_sub(2);
        len -= 2;
    }
    if width > len && !flags.left {
        out.extend(std::iter::repeat_n(fill, width - len));
        width = len;
    }
    if fill == ' ' {
        if let Some(s) = sign {
            out.push(s);
        }
        if alt_prefix {
            out.push('0');
            out.push(conv);
            pindex += 2;
        }
    }
    out.extend(&chars[pindex..pindex + len]);
    if width > len {
        out.extend(std::iter::repeat_n(' ', width - len));
    }
    out
}

// ----- complex ------------------------------------------------------------------

/// Inserts `sep` every three digits of the leading run of digits of `s`.
fn group_int_digits(s: &str, sep: char) -> String {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, rest) = s.split_at(n);
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (n - k) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out.push_str(rest);
    out
}

/// `format(complex(re, im), spec)`, as CPython 3.9's `format_complex_internal`.
pub fn format_complex(re: f64, im: f64, spec: &str) -> Result<String, FormatError> {
    if spec.is_empty() {
        return Ok(crate::pyrepr::repr_complex(re, im));
    }
    let parsed = parse_spec(spec)?;
    if parsed.fill == '0' {
        return Err(FormatError::ComplexZeroPadding);
    }
    if parsed.align == Some(Align::AfterSign) {
        return Err(FormatError::ComplexAfterSign);
    }
    let mut mode = match parsed.ty {
        None => 'r',
        Some('n') => 'g',
        Some(c @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G')) => c,
        Some(code) => {
            let e = FormatError::UnknownFormatCode {
                code,
                type_name: "complex".into(),
            };
            return Err(e);
        }
    };
    let (mut skip_re, mut add_parens) = (false, false);
    if parsed.ty.is_none() {
        if re == 0.0 && re.is_sign_positive() {
            skip_re = true;
        } else {
            add_parens = true;
        }
    }
    let precision = match parsed.precision {
        None if mode == 'r' => 0,
        None => 6,
        Some(p) => {
            if mode == 'r' {
                mode = 'g';
            }
            p
        }
    };
    let flags = FloatFlags {
        alternate: parsed.alternate,
        ..FloatFlags::default()
    };
    let part = |x: f64, sign: Option<Sign>| {
        let mut s = float_to_string(x, mode, precision, flags);
        if let Some(g) = parsed.grouping {
            let sep = if g == Grouping::Comma { ',' } else { '_' };
            let (neg, body) = match s.strip_prefix('-') {
                Some(b) => (true, b.to_string()),
                None => (false, s.clone()),
            };
            s = format!(
                "{}{}",
                if neg { "-" } else { "" },
                group_int_digits(&body, sep)
            );
        }
        if !s.starts_with('-') {
            match sign {
                Some(Sign::Plus) => s.insert(0, '+'),
                Some(Sign::Space) => s.insert(0, ' '),
                _ => {}
            }
        }
        s
    };
    let re_s = if skip_re {
        String::new()
    } else {
        part(re, parsed.sign)
    };
    let im_sign = if skip_re {
        parsed.sign
    } else {
        Some(Sign::Plus)
    };
    let im_s = part(im, im_sign);
    let body = format!(
        "{}{re_s}{im_s}j{}",
        if add_parens { "(" } else { "" },
        if add_parens { ")" } else { "" }
    );
    let len = body.chars().count();
    let width = parsed.width.unwrap_or(0);
    if width <= len {
        return Ok(body);
    }
    let pad = width - len;
    let (l, r) = match parsed.align.unwrap_or(Align::Right) {
        Align::Left => (0, pad),
        Align::Center => (pad / 2, pad - pad / 2),
        _ => (pad, 0),
    };
    let fill = |n: usize| std::iter::repeat_n(parsed.fill, n).collect::<String>();
    Ok(format!("{}{body}{}", fill(l), fill(r)))
}
