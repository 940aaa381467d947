//! The methods of `str`, as CPython 3.9's `Objects/unicodeobject.c` and
//! `Objects/stringlib` define them: results, argument handling and error
//! messages.
//!
//! Strings are handled as code points throughout, so a string holding lone
//! surrogates (legal in Python) goes through the same rules as any other.
//!
//! # Character database
//! Python's character predicates and case mappings come from Unicode
//! 13.0.0, CPython 3.9's `unicodedata.unidata_version`. General categories
//! come from the `unicode-general-category` crate, pinned to that version
//! (see `crate::pyrepr`); the few properties that are not a function of the
//! category (Other_Lowercase, Numeric_Type=Digit, ...) are small tables
//! below, taken from CPython 3.9's `unicodedata`. Case mappings come from
//! Rust's `char::to_uppercase`/`to_lowercase`, which follow a newer Unicode:
//! a mapping is only used when the character and its image were all
//! assigned in Unicode 13, and the title-case and case-folding differences
//! are tables. `spec/tests/str_methods.rs` checks every code point against
//! CPython 3.9, so a toolchain with different case tables is caught.

#[path = "bytes.rs"]
mod bytes;
pub(super) use bytes::bytes_method;

use super::{arg_count, ascii_of, format_value, name_of, Args, BuiltinId, Kwargs};
use crate::code::PyStr;
use crate::interp::ops::MAX_COLLECTION;
use crate::interp::{text, Fault, Machine, PyResult};
use crate::object::{Obj, Value};
use num_traits::{Signed, ToPrimitive};
use unicode_general_category::{get_general_category, GeneralCategory as G};

// ----- character database ------------------------------------------------------

/// Lowercase characters outside Ll (Other_Lowercase), Unicode 13.
#[rustfmt::skip]
const OTHER_LOWERCASE: &[(u32, u32)] = &[
    (0x00AA, 0x00AA), (0x00BA, 0x00BA), (0x02B0, 0x02B8), (0x02C0, 0x02C1),
    (0x02E0, 0x02E4), (0x0345, 0x0345), (0x037A, 0x037A), (0x1D2C, 0x1D6A),
    (0x1D78, 0x1D78), (0x1D9B, 0x1DBF), (0x2071, 0x2071), (0x207F, 0x207F),
    (0x2090, 0x209C), (0x2170, 0x217F), (0x24D0, 0x24E9), (0x2C7C, 0x2C7D),
    (0xA69C, 0xA69D), (0xA770, 0xA770), (0xA7F8, 0xA7F9), (0xAB5C, 0xAB5F),
];

/// Uppercase characters outside Lu (Other_Uppercase), Unicode 13.
#[rustfmt::skip]
const OTHER_UPPERCASE: &[(u32, u32)] = &[
    (0x2160, 0x216F), (0x24B6, 0x24CF), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189),
];

/// Characters with Numeric_Type=Digit (digits that are not decimal), Unicode 13.
#[rustfmt::skip]
const DIGIT_NOT_DECIMAL: &[(u32, u32)] = &[
    (0x00B2, 0x00B3), (0x00B9, 0x00B9), (0x1369, 0x1371), (0x19DA, 0x19DA), (0x2070, 0x2070),
    (0x2074, 0x2079), (0x2080, 0x2089), (0x2460, 0x2468), (0x2474, 0x247C), (0x2488, 0x2490),
    (0x24EA, 0x24EA), (0x24F5, 0x24FD), (0x24FF, 0x24FF), (0x2776, 0x277E), (0x2780, 0x2788),
    (0x278A, 0x2792), (0x10A40, 0x10A43), (0x10E60, 0x10E68), (0x11052, 0x1105A),
    (0x1F100, 0x1F10A),
];

/// Numeric characters whose category is not N* (CJK numerals), Unicode 13.
#[rustfmt::skip]
const NUMERIC_NOT_N: &[(u32, u32)] = &[
    (0x3405, 0x3405), (0x3483, 0x3483), (0x382A, 0x382A), (0x3B4D, 0x3B4D), (0x4E00, 0x4E00),
    (0x4E03, 0x4E03), (0x4E07, 0x4E07), (0x4E09, 0x4E09), (0x4E5D, 0x4E5D), (0x4E8C, 0x4E8C),
    (0x4E94, 0x4E94), (0x4E96, 0x4E96), (0x4EBF, 0x4EC0), (0x4EDF, 0x4EDF), (0x4EE8, 0x4EE8),
    (0x4F0D, 0x4F0D), (0x4F70, 0x4F70), (0x5104, 0x5104), (0x5146, 0x5146), (0x5169, 0x5169),
    (0x516B, 0x516B), (0x516D, 0x516D), (0x5341, 0x5341), (0x5343, 0x5345), (0x534C, 0x534C),
    (0x53C1, 0x53C4), (0x56DB, 0x56DB), (0x58F1, 0x58F1), (0x58F9, 0x58F9), (0x5E7A, 0x5E7A),
    (0x5EFE, 0x5EFF), (0x5F0C, 0x5F0E), (0x5F10, 0x5F10), (0x62FE, 0x62FE), (0x634C, 0x634C),
    (0x67D2, 0x67D2), (0x6F06, 0x6F06), (0x7396, 0x7396), (0x767E, 0x767E), (0x8086, 0x8086),
    (0x842C, 0x842C), (0x8CAE, 0x8CAE), (0x8CB3, 0x8CB3), (0x8D30, 0x8D30), (0x9621, 0x9621),
    (0x9646, 0x9646), (0x964C, 0x964C), (0x9678, 0x9678), (0x96F6, 0x96F6), (0xF96B, 0xF96B),
    (0xF973, 0xF973), (0xF978, 0xF978), (0xF9B2, 0xF9B2), (0xF9D1, 0xF9D1), (0xF9D3, 0xF9D3),
    (0xF9FD, 0xF9FD), (0x20001, 0x20001), (0x20064, 0x20064), (0x200E2, 0x200E2),
    (0x20121, 0x20121), (0x2092A, 0x2092A), (0x20983, 0x20983), (0x2098C, 0x2098C),
    (0x2099C, 0x2099C), (0x20AEA, 0x20AEA), (0x20AFD, 0x20AFD), (0x20B19, 0x20B19),
    (0x22390, 0x22390), (0x22998, 0x22998), (0x23B1B, 0x23B1B), (0x2626D, 0x2626D),
    (0x2F890, 0x2F890),
];

/// Title-case mappings that differ from the upper-case mapping, besides the
/// ranges `push_title` handles by rule (Unicode 13 SpecialCasing and Lt).
const TITLE_SPECIAL: &[(u32, &[u32])] = &[
    (0x00DF, &[0x0053, 0x0073]),
    (0x01C4, &[0x01C5]),
    (0x01C5, &[0x01C5]),
    (0x01C6, &[0x01C5]),
    (0x01C7, &[0x01C8]),
    (0x01C8, &[0x01C8]),
    (0x01C9, &[0x01C8]),
    (0x01CA, &[0x01CB]),
    (0x01CB, &[0x01CB]),
    (0x01CC, &[0x01CB]),
    (0x01F1, &[0x01F2]),
    (0x01F2, &[0x01F2]),
    (0x01F3, &[0x01F2]),
    (0x0587, &[0x0535, 0x0582]),
    (0x1FB2, &[0x1FBA, 0x0345]),
    (0x1FB3, &[0x1FBC]),
    (0x1FB4, &[0x0386, 0x0345]),
    (0x1FB7, &[0x0391, 0x0342, 0x0345]),
    (0x1FBC, &[0x1FBC]),
    (0x1FC2, &[0x1FCA, 0x0345]),
    (0x1FC3, &[0x1FCC]),
    (0x1FC4, &[0x0389, 0x0345]),
    (0x1FC7, &[0x0397, 0x0342, 0x0345]),
    (0x1FCC, &[0x1FCC]),
    (0x1FF2, &[0x1FFA, 0x0345]),
    (0x1FF3, &[0x1FFC]),
    (0x1FF4, &[0x038F, 0x0345]),
    (0x1FF7, &[0x03A9, 0x0342, 0x0345]),
    (0x1FFC, &[0x1FFC]),
    (0xFB00, &[0x0046, 0x0066]),
    (0xFB01, &[0x0046, 0x0069]),
    (0xFB02, &[0x0046, 0x006C]),
    (0xFB03, &[0x0046, 0x0066, 0x0069]),
    (0xFB04, &[0x0046, 0x0066, 0x006C]),
    (0xFB05, &[0x0053, 0x0074]),
    (0xFB06, &[0x0053, 0x0074]),
    (0xFB13, &[0x0544, 0x0576]),
    (0xFB14, &[0x0544, 0x0565]),
    (0xFB15, &[0x0544, 0x056B]),
    (0xFB16, &[0x054E, 0x0576]),
    (0xFB17, &[0x0544, 0x056D]),
];

/// Case foldings that differ from the lower-case mapping, besides the ranges
/// `push_fold` handles by rule (Unicode 13 CaseFolding, statuses C and F).
const FOLD_SPECIAL: &[(u32, &[u32])] = &[
    (0x00B5, &[0x03BC]),
    (0x00DF, &[0x0073, 0x0073]),
    (0x0149, &[0x02BC, 0x006E]),
    (0x017F, &[0x0073]),
    (0x01F0, &[0x006A, 0x030C]),
    (0x0345, &[0x03B9]),
    (0x0390, &[0x03B9, 0x0308, 0x0301]),
    (0x03B0, &[0x03C5, 0x0308, 0x0301]),
    (0x03C2, &[0x03C3]),
    (0x03D0, &[0x03B2]),
    (0x03D1, &[0x03B8]),
    (0x03D5, &[0x03C6]),
    (0x03D6, &[0x03C0]),
    (0x03F0, &[0x03BA]),
    (0x03F1, &[0x03C1]),
    (0x03F5, &[0x03B5]),
    (0x0587, &[0x0565, 0x0582]),
    (0x1C80, &[0x0432]),
    (0x1C81, &[0x0434]),
    (0x1C82, &[0x043E]),
    (0x1C83, &[0x0441]),
    (0x1C84, &[0x0442]),
    (0x1C85, &[0x0442]),
    (0x1C86, &[0x044A]),
    (0x1C87, &[0x0463]),
    (0x1C88, &[0xA64B]),
    (0x1E96, &[0x0068, 0x0331]),
    (0x1E97, &[0x0074, 0x0308]),
    (0x1E98, &[0x0077, 0x030A]),
    (0x1E99, &[0x0079, 0x030A]),
    (0x1E9A, &[0x0061, 0x02BE]),
    (0x1E9B, &[0x1E61]),
    (0x1E9E, &[0x0073, 0x0073]),
    (0x1F50, &[0x03C5, 0x0313]),
    (0x1F52, &[0x03C5, 0x0313, 0x0300]),
    (0x1F54, &[0x03C5, 0x0313, 0x0301]),
    (0x1F56, &[0x03C5, 0x0313, 0x0342]),
    (0x1FB2, &[0x1F70, 0x03B9]),
    (0x1FB3, &[0x03B1, 0x03B9]),
    (0x1FB4, &[0x03AC, 0x03B9]),
    (0x1FB6, &[0x03B1, 0x0342]),
    (0x1FB7, &[0x03B1, 0x0342, 0x03B9]),
    (0x1FBC, &[0x03B1, 0x03B9]),
    (0x1FBE, &[0x03B9]),
    (0x1FC2, &[0x1F74, 0x03B9]),
    (0x1FC3, &[0x03B7, 0x03B9]),
    (0x1FC4, &[0x03AE, 0x03B9]),
    (0x1FC6, &[0x03B7, 0x0342]),
    (0x1FC7, &[0x03B7, 0x0342, 0x03B9]),
    (0x1FCC, &[0x03B7, 0x03B9]),
    (0x1FD2, &[0x03B9, 0x0308, 0x0300]),
    (0x1FD3, &[0x03B9, 0x0308, 0x0301]),
    (0x1FD6, &[0x03B9, 0x0342]),
    (0x1FD7, &[0x03B9, 0x0308, 0x0342]),
    (0x1FE2, &[0x03C5, 0x0308, 0x0300]),
    (0x1FE3, &[0x03C5, 0x0308, 0x0301]),
    (0x1FE4, &[0x03C1, 0x0313]),
    (0x1FE6, &[0x03C5, 0x0342]),
    (0x1FE7, &[0x03C5, 0x0308, 0x0342]),
    (0x1FF2, &[0x1F7C, 0x03B9]),
    (0x1FF3, &[0x03C9, 0x03B9]),
    (0x1FF4, &[0x03CE, 0x03B9]),
    (0x1FF6, &[0x03C9, 0x0342]),
    (0x1FF7, &[0x03C9, 0x0342, 0x03B9]),
    (0x1FFC, &[0x03C9, 0x03B9]),
    (0xFB00, &[0x0066, 0x0066]),
    (0xFB01, &[0x0066, 0x0069]),
    (0xFB02, &[0x0066, 0x006C]),
    (0xFB03, &[0x0066, 0x0066, 0x0069]),
    (0xFB04, &[0x0066, 0x0066, 0x006C]),
    (0xFB05, &[0x0073, 0x0074]),
    (0xFB06, &[0x0073, 0x0074]),
    (0xFB13, &[0x0574, 0x0576]),
    (0xFB14, &[0x0574, 0x0565]),
    (0xFB15, &[0x0574, 0x056B]),
    (0xFB16, &[0x057E, 0x0576]),
    (0xFB17, &[0x0574, 0x056D]),
];

/// Whether `cp` lies in one of the sorted, disjoint inclusive `ranges`.
fn in_ranges(ranges: &[(u32, u32)], cp: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The Unicode 13 general category of a code point; lone surrogates are Cs.
fn category(cp: u32) -> G {
    char::from_u32(cp).map_or(G::Surrogate, get_general_category)
}

/// Whether `cp` was assigned a character in Unicode 13.
fn assigned(cp: u32) -> bool {
    !matches!(category(cp), G::Unassigned | G::Surrogate)
}

/// `Py_UNICODE_ISSPACE`: the ASCII whitespace CPython recognises (including
/// the separators U+001C..U+001F) and the characters with bidirectional type
/// WS, B or S or category Zs.
pub(super) fn is_space(cp: u32) -> bool {
    matches!(
        cp,
        0x09..=0x0D | 0x1C..=0x20 | 0x85 | 0xA0 | 0x1680 | 0x2000..=0x200A | 0x2028 | 0x2029 | 0x202F | 0x205F | 0x3000
    )
}

/// `Py_UNICODE_ISLINEBREAK`: the line boundaries of `str.splitlines`.
fn is_linebreak(cp: u32) -> bool {
    matches!(cp, 0x0A..=0x0D | 0x1C..=0x1E | 0x85 | 0x2028 | 0x2029)
}

/// `Py_UNICODE_ISALPHA`: categories Lu, Ll, Lt, Lm, Lo.
fn is_alpha(cp: u32) -> bool {
    matches!(
        category(cp),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
    )
}

/// `Py_UNICODE_ISDECIMAL`: Numeric_Type=Decimal, which is exactly category Nd.
fn is_decimal(cp: u32) -> bool {
    category(cp) == G::DecimalNumber
}

/// `Py_UNICODE_TODECIMAL`: the value of a decimal digit. Unicode encodes
/// every decimal digit in a contiguous run 0..9, so the value is the
/// distance from the start of the run of Nd characters, modulo 10.
pub(super) fn decimal_value(cp: u32) -> Option<u32> {
    if !is_decimal(cp) {
        return None;
    }
    let mut start = cp;
    while start > 0 && is_decimal(start - 1) {
        start -= 1;
    }
    Some((cp - start) % 10)
}

/// `Py_UNICODE_ISDIGIT`: Numeric_Type Decimal or Digit.
fn is_digit(cp: u32) -> bool {
    is_decimal(cp) || in_ranges(DIGIT_NOT_DECIMAL, cp)
}

/// `Py_UNICODE_ISNUMERIC`: any Numeric_Type.
fn is_numeric(cp: u32) -> bool {
    matches!(
        category(cp),
        G::DecimalNumber | G::LetterNumber | G::OtherNumber
    ) || in_ranges(NUMERIC_NOT_N, cp)
}

/// `Py_UNICODE_ISALNUM`: alphabetic, decimal, digit or numeric.
fn is_alnum(cp: u32) -> bool {
    is_alpha(cp) || is_numeric(cp)
}

/// `Py_UNICODE_ISLOWER`: the Lowercase property.
fn is_lower(cp: u32) -> bool {
    category(cp) == G::LowercaseLetter || in_ranges(OTHER_LOWERCASE, cp)
}

/// `Py_UNICODE_ISUPPER`: the Uppercase property.
fn is_upper(cp: u32) -> bool {
    category(cp) == G::UppercaseLetter || in_ranges(OTHER_UPPERCASE, cp)
}

/// `Py_UNICODE_ISTITLE`: category Lt.
fn is_title(cp: u32) -> bool {
    category(cp) == G::TitlecaseLetter
}

/// `_PyUnicode_IsCased`: Lowercase, Uppercase or Lt.
fn is_cased(cp: u32) -> bool {
    is_lower(cp) || is_upper(cp) || is_title(cp)
}

/// `_PyUnicode_IsCaseIgnorable`: categories Mn, Me, Cf, Lm, Sk and the
/// Word_Break classes MidLetter, MidNumLet and Single_Quote.
fn is_case_ignorable(cp: u32) -> bool {
    matches!(
        category(cp),
        G::NonspacingMark | G::EnclosingMark | G::Format | G::ModifierLetter | G::ModifierSymbol
    ) || matches!(
        cp,
        0x27 | 0x2E
            | 0x3A
            | 0xB7
            | 0x387
            | 0x55F
            | 0x5F4
            | 0x2018
            | 0x2019
            | 0x2024
            | 0x2027
            | 0xFE13
            | 0xFE52
            | 0xFE55
            | 0xFF07
            | 0xFF0E
            | 0xFF1A
    )
}

/// Characters that ID_Start/ID_Continue would admit but XID_* exclude
/// (Pattern_Syntax, and NFKC closure), Unicode 13.
fn not_xid(cp: u32) -> bool {
    matches!(cp, 0x037A | 0x2E2F | 0xFC5E..=0xFC63 | 0xFDFA | 0xFDFB)
        || ((0xFE70..=0xFE7E).contains(&cp) && cp.is_multiple_of(2))
}

/// `_PyUnicode_IsXidStart`: letters, Nl and Other_ID_Start, less the NFKC
/// exclusions.
fn is_xid_start(cp: u32) -> bool {
    let by_category = matches!(
        category(cp),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::LetterNumber
    );
    (by_category || matches!(cp, 0x1885 | 0x1886 | 0x2118 | 0x212E))
        && !not_xid(cp)
        && !matches!(cp, 0x0E33 | 0x0EB3 | 0xFF9E | 0xFF9F)
}

/// `_PyUnicode_IsXidContinue`: XID_Start plus marks, digits, connector
/// punctuation and Other_ID_Continue.
fn is_xid_continue(cp: u32) -> bool {
    let by_category = matches!(
        category(cp),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::LetterNumber
            | G::NonspacingMark
            | G::SpacingMark
            | G::DecimalNumber
            | G::ConnectorPunctuation
    );
    (by_category
        || matches!(
            cp,
            0xB7 | 0x387 | 0x1369..=0x1371 | 0x19DA | 0x2118 | 0x212E
        ))
        && !not_xid(cp)
}

/// Appends Rust's full upper- or lower-case mapping of `cp`, or `cp` itself
/// when the character or any character of its image is not assigned in
/// Unicode 13 (newer Unicode versions give some old letters new capitals).
fn push_rust_case(cp: u32, upper: bool, out: &mut Vec<u32>) {
    let Some(c) = char::from_u32(cp) else {
        out.push(cp);
        return;
    };
    if !assigned(cp) {
        out.push(cp);
        return;
    }
    let start = out.len();
    if upper {
        out.extend(c.to_uppercase().map(u32::from));
    } else {
        out.extend(c.to_lowercase().map(u32::from));
    }
    if out[start..].iter().any(|&x| !assigned(x)) {
        out.truncate(start);
        out.push(cp);
    }
}

/// `_PyUnicode_ToUpperFull`.
fn push_upper(cp: u32, out: &mut Vec<u32>) {
    push_rust_case(cp, true, out);
}

/// `_PyUnicode_ToLowerFull` (without the final-sigma context).
fn push_lower(cp: u32, out: &mut Vec<u32>) {
    push_rust_case(cp, false, out);
}

/// The entry of a sorted special-mapping table for `cp`.
fn special(table: &'static [(u32, &'static [u32])], cp: u32) -> Option<&'static [u32]> {
    table
        .binary_search_by_key(&cp, |&(c, _)| c)
        .ok()
        .map(|i| table[i].1)
}

/// `_PyUnicode_ToTitleFull`: the upper-case mapping except for digraphs,
/// ligatures, Greek letters with ypogegrammeni, and Georgian Mkhedruli
/// (whose capitals are not title case).
fn push_title(cp: u32, out: &mut Vec<u32>) {
    if let Some(m) = special(TITLE_SPECIAL, cp) {
        out.extend_from_slice(m);
    } else if matches!(cp, 0x10D0..=0x10FA | 0x10FD..=0x10FF) {
        out.push(cp);
    } else if (0x1F80..=0x1FAF).contains(&cp) {
        // ᾀ..ᾇ title-case to ᾈ..ᾏ (and the capitals stay): one bit apart.
        out.push(cp | 8);
    } else {
        push_upper(cp, out);
    }
}

/// `_PyUnicode_ToFoldedFull`: the lower-case mapping except where
/// CaseFolding.txt says otherwise (Cherokee folds to its capitals).
fn push_fold(cp: u32, out: &mut Vec<u32>) {
    if let Some(m) = special(FOLD_SPECIAL, cp) {
        out.extend_from_slice(m);
    } else if (0x13A0..=0x13F5).contains(&cp) {
        out.push(cp);
    } else if (0x13F8..=0x13FD).contains(&cp) {
        out.push(cp - 8);
    } else if (0xAB70..=0xABBF).contains(&cp) {
        out.push(cp - 0xAB70 + 0x13A0);
    } else if (0x1F80..=0x1FAF).contains(&cp) {
        // Greek with ypogegrammeni or prosgegrammeni: the plain vowel
        // with its breathing, then ι.
        let base = match cp {
            0x1F80..=0x1F8F => 0x1F00,
            0x1F90..=0x1F9F => 0x1F20,
            _ => 0x1F60,
        };
        out.extend_from_slice(&[base + (cp & 7), 0x3B9]);
    } else {
        push_lower(cp, out);
    }
}

/// CPython's `handle_capital_sigma`: Σ at `i` lower-cases to final ς when
/// a cased letter precedes it and none follows (case-ignorable characters
/// in between are skipped).
fn final_sigma(s: &[u32], i: usize) -> u32 {
    let before = s[..i].iter().rev().find(|&&c| !is_case_ignorable(c));
    let mut is_final = before.is_some_and(|&c| is_cased(c));
    if is_final {
        let after = s[i + 1..].iter().find(|&&c| !is_case_ignorable(c));
        is_final = after.is_none_or(|&c| !is_cased(c));
    }
    if is_final {
        0x3C2
    } else {
        0x3C3
    }
}

/// CPython's `lower_ucs4`: the lower-case mapping of `s[i]` in context.
fn push_lower_at(s: &[u32], i: usize, out: &mut Vec<u32>) {
    if s[i] == 0x3A3 {
        out.push(final_sigma(s, i));
    } else {
        push_lower(s[i], out);
    }
}

fn upper_of(s: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        push_upper(c, &mut out);
    }
    out
}

fn lower_of(s: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        push_lower_at(s, i, &mut out);
    }
    out
}

fn casefold_of(s: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        push_fold(c, &mut out);
    }
    out
}

/// `do_swapcase`: Uppercase letters go to lower case, Lowercase ones to
/// upper case; title-case letters (Lt) stay.
fn swapcase_of(s: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    for (i, &c) in s.iter().enumerate() {
        if is_upper(c) {
            push_lower_at(s, i, &mut out);
        } else if is_lower(c) {
            push_upper(c, &mut out);
        } else {
            out.push(c);
        }
    }
    out
}

/// `do_title`: a character after a cased one goes to lower case, any other
/// to title case.
fn title_of(s: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    let mut previous_is_cased = false;
    for (i, &c) in s.iter().enumerate() {
        if previous_is_cased {
            push_lower_at(s, i, &mut out);
        } else {
            push_title(c, &mut out);
        }
        previous_is_cased = is_cased(c);
    }
    out
}

/// `do_capitalize` (3.8+): the first character to title case, the rest to
/// lower case.
fn capitalize_of(s: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    if let Some(&first) = s.first() {
        push_title(first, &mut out);
    }
    for i in 1..s.len() {
        push_lower_at(s, i, &mut out);
    }
    out
}

/// `str.istitle`: upper- and title-case letters only after uncased
/// characters, lower-case ones only after cased characters, and at least
/// one cased character.
fn istitle_of(s: &[u32]) -> bool {
    let (mut cased, mut previous_is_cased) = (false, false);
    for &c in s {
        if is_upper(c) || is_title(c) {
            if previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else if is_lower(c) {
            if !previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else {
            previous_is_cased = false;
        }
    }
    cased
}

/// `str.islower` (`lower`) or `str.isupper` (not `lower`): no character of
/// the other case nor title case, and at least one of this case.
fn is_all_case(s: &[u32], lower: bool) -> bool {
    let mut cased = false;
    for &c in s {
        let (this, other) = if lower {
            (is_lower(c), is_upper(c))
        } else {
            (is_upper(c), is_lower(c))
        };
        if other || is_title(c) {
            return false;
        }
        cased |= this;
    }
    cased
}

/// `str.isidentifier`.
fn is_identifier(s: &[u32]) -> bool {
    match s.split_first() {
        Some((&first, rest)) => {
            (first == u32::from(b'_') || is_xid_start(first))
                && rest.iter().all(|&c| is_xid_continue(c))
        }
        None => false,
    }
}

// ----- sequence algorithms shared with bytes ------------------------------------

/// CPython's `ADJUST_INDICES`: clamps `start`/`end` (absent: the whole
/// sequence) to `0..=len`, counting negative ones from the end. `start`
/// may stay past `len`; callers compare `end - start` first.
pub(super) fn adjust_indices(start: Option<i64>, end: Option<i64>, len: usize) -> (i64, i64) {
    let len = len as i64;
    let mut start = start.unwrap_or(0);
    let mut end = end.unwrap_or(len);
    if end > len {
        end = len;
    } else if end < 0 {
        end = (end + len).max(0);
    }
    if start < 0 {
        start = (start + len).max(0);
    }
    (start, end)
}

/// The first occurrence of `needle` in `hay`.
pub(super) fn find_in<T: PartialEq>(hay: &[T], needle: &[T]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

/// The last occurrence of `needle` in `hay`.
pub(super) fn rfind_in<T: PartialEq>(hay: &[T], needle: &[T]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()] == *needle)
}

/// Non-overlapping occurrences of a non-empty `needle`, at most `max`.
pub(super) fn count_in<T: PartialEq>(hay: &[T], needle: &[T], max: usize) -> usize {
    let (mut i, mut n) = (0, 0);
    while n < max && i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()] == *needle {
            n += 1;
            i += needle.len();
        } else {
            i += 1;
        }
    }
    n
}

/// `find`/`rfind` over `hay[start:end]`: the index, or -1.
pub(super) fn find_slice<T: PartialEq>(
    hay: &[T],
    sub: &[T],
    start: Option<i64>,
    end: Option<i64>,
    from_right: bool,
) -> i64 {
    let (start, end) = adjust_indices(start, end, hay.len());
    if end - start < sub.len() as i64 {
        return -1;
    }
    if sub.is_empty() {
        return if from_right { end } else { start };
    }
    let window = &hay[start as usize..end as usize];
    let found = if from_right {
        rfind_in(window, sub)
    } else {
        find_in(window, sub)
    };
    found.map_or(-1, |i| start + i as i64)
}

/// `count` over `hay[start:end]`; an empty `sub` matches between every
/// two items and at both ends.
pub(super) fn count_slice<T: PartialEq>(
    hay: &[T],
    sub: &[T],
    start: Option<i64>,
    end: Option<i64>,
) -> i64 {
    let (start, end) = adjust_indices(start, end, hay.len());
    if end - start < sub.len() as i64 {
        return 0;
    }
    if sub.is_empty() {
        return end - start + 1;
    }
    count_in(&hay[start as usize..end as usize], sub, usize::MAX) as i64
}

/// CPython's `tailmatch`: whether `hay[start:end]` starts (or ends, when
/// `at_end`) with `sub`.
pub(super) fn tailmatch<T: PartialEq>(
    hay: &[T],
    sub: &[T],
    start: Option<i64>,
    end: Option<i64>,
    at_end: bool,
) -> bool {
    let (start, end) = adjust_indices(start, end, hay.len());
    let last = end - sub.len() as i64;
    if last < start {
        return false;
    }
    if sub.is_empty() {
        return true;
    }
    let at = if at_end { last } else { start } as usize;
    hay[at..at + sub.len()] == *sub
}

/// `maxsplit` as CPython reads it: negative means no limit.
fn max_count(maxsplit: i64) -> usize {
    usize::try_from(maxsplit).unwrap_or(usize::MAX)
}

/// `split(sep, maxsplit)` with a non-empty separator.
pub(super) fn split_on<'a, T: PartialEq>(s: &'a [T], sep: &[T], maxsplit: i64) -> Vec<&'a [T]> {
    let mut left = max_count(maxsplit);
    let (mut out, mut j) = (Vec::new(), 0);
    while left > 0 {
        match find_in(&s[j..], sep) {
            Some(p) => {
                out.push(&s[j..j + p]);
                j += p + sep.len();
                left -= 1;
            }
            None => break,
        }
    }
    out.push(&s[j..]);
    out
}

/// `rsplit(sep, maxsplit)` with a non-empty separator.
pub(super) fn rsplit_on<'a, T: PartialEq>(s: &'a [T], sep: &[T], maxsplit: i64) -> Vec<&'a [T]> {
    let mut left = max_count(maxsplit);
    let (mut out, mut end) = (Vec::new(), s.len());
    while left > 0 {
        match rfind_in(&s[..end], sep) {
            Some(p) => {
                out.push(&s[p + sep.len()..end]);
                end = p;
                left -= 1;
            }
            None => break,
        }
    }
    out.push(&s[..end]);
    out.reverse();
    out
}

/// `split(None, maxsplit)`: runs of whitespace separate, leading and
/// trailing whitespace gives no empty piece; once `maxsplit` pieces are
/// cut, the rest (leading whitespace removed) is the last piece.
pub(super) fn split_ws<T: Copy>(s: &[T], space: impl Fn(T) -> bool, maxsplit: i64) -> Vec<&[T]> {
    let mut left = max_count(maxsplit);
    let (mut out, mut i, n) = (Vec::new(), 0, s.len());
    while left > 0 {
        while i < n && space(s[i]) {
            i += 1;
        }
        if i == n {
            break;
        }
        let j = i;
        while i < n && !space(s[i]) {
            i += 1;
        }
        out.push(&s[j..i]);
        left -= 1;
    }
    while i < n && space(s[i]) {
        i += 1;
    }
    if i < n {
        out.push(&s[i..]);
    }
    out
}

/// `rsplit(None, maxsplit)`, the mirror image of [`split_ws`].
pub(super) fn rsplit_ws<T: Copy>(s: &[T], space: impl Fn(T) -> bool, maxsplit: i64) -> Vec<&[T]> {
    let mut left = max_count(maxsplit);
    let (mut out, mut i) = (Vec::new(), s.len());
    while left > 0 {
        while i > 0 && space(s[i - 1]) {
            i -= 1;
        }
        if i == 0 {
            break;
        }
        let j = i;
        while i > 0 && !space(s[i - 1]) {
            i -= 1;
        }
        out.push(&s[i..j]);
        left -= 1;
    }
    while i > 0 && space(s[i - 1]) {
        i -= 1;
    }
    if i > 0 {
        out.push(&s[..i]);
    }
    out.reverse();
    out
}

/// `splitlines(keepends)`: `\r\n` is one boundary; no empty last line.
pub(super) fn splitlines_of<T: Copy + PartialEq>(
    s: &[T],
    is_break: impl Fn(T) -> bool,
    cr: T,
    lf: T,
    keepends: bool,
) -> Vec<&[T]> {
    let (mut out, mut i, n) = (Vec::new(), 0, s.len());
    while i < n {
        let j = i;
        while i < n && !is_break(s[i]) {
            i += 1;
        }
        let mut eol = i;
        if i < n {
            i += if s[i] == cr && i + 1 < n && s[i + 1] == lf {
                2
            } else {
                1
            };
            if keepends {
                eol = i;
            }
        }
        out.push(&s[j..eol]);
    }
    out
}

/// The result length of `replace`, or `None` when it would not fit.
fn replaced_len(len: usize, old: usize, new: usize, n: usize) -> Option<usize> {
    (len - n * old).checked_add(n.checked_mul(new)?)
}

/// `replace(old, new, count)`; `None` when the result would be larger than
/// pyreg builds. An empty `old` matches before every item and at the end.
pub(super) fn replace_in<T: Copy + PartialEq>(
    s: &[T],
    old: &[T],
    new: &[T],
    count: i64,
) -> Option<Vec<T>> {
    let max = max_count(count);
    if max == 0 {
        return Some(s.to_vec());
    }
    if old.is_empty() {
        let n = max.min(s.len() + 1);
        if replaced_len(s.len(), 0, new.len(), n)? > MAX_COLLECTION {
            return None;
        }
        let mut out = Vec::new();
        for (i, &c) in s.iter().enumerate() {
            if i < n {
                out.extend_from_slice(new);
            }
            out.push(c);
        }
        if n > s.len() {
            out.extend_from_slice(new);
        }
        return Some(out);
    }
    let n = count_in(s, old, max);
    if replaced_len(s.len(), old.len(), new.len(), n)? > MAX_COLLECTION {
        return None;
    }
    let (mut out, mut i, mut done) = (Vec::with_capacity(s.len()), 0, 0);
    while done < n {
        let Some(p) = find_in(&s[i..], old) else {
            break;
        };
        out.extend_from_slice(&s[i..i + p]);
        out.extend_from_slice(new);
        i += p + old.len();
        done += 1;
    }
    out.extend_from_slice(&s[i..]);
    Some(out)
}

/// `s` with `left` and `right` copies of `fill` around it.
pub(super) fn pad<T: Copy>(s: &[T], left: usize, right: usize, fill: T) -> Vec<T> {
    let mut out = Vec::with_capacity(s.len() + left + right);
    out.extend(std::iter::repeat_n(fill, left));
    out.extend_from_slice(s);
    out.extend(std::iter::repeat_n(fill, right));
    out
}

/// The `(left, right)` padding of `center`, `ljust` or `rjust` to `width`
/// (`kind` 'c', 'l', 'r'); CPython's `center` puts the odd extra space on
/// the left when `width` is odd.
pub(super) fn justify_margins(len: usize, width: i64, kind: char) -> (usize, usize) {
    let marg = (width - len as i64).max(0) as usize;
    match kind {
        'c' => {
            let left = marg / 2 + (marg & (width as usize) & 1);
            (left, marg - left)
        }
        'l' => (0, marg),
        _ => (marg, 0),
    }
}

/// `zfill(width)`: zeros on the left, after a leading sign.
pub(super) fn zfill_of<T: Copy + PartialEq>(
    s: &[T],
    width: usize,
    zero: T,
    plus: T,
    minus: T,
) -> Vec<T> {
    if s.len() >= width {
        return s.to_vec();
    }
    let fill = width - s.len();
    let mut out = pad(s, fill, 0, zero);
    if s.first().is_some_and(|&c| c == plus || c == minus) {
        out[0] = out[fill];
        out[fill] = zero;
    }
    out
}

/// The length `expandtabs(tabsize)` gives, to check before building it.
pub(super) fn expandtabs_len<T: Copy + PartialEq>(
    s: &[T],
    tabsize: i64,
    tab: T,
    cr: T,
    lf: T,
) -> u128 {
    let (mut total, mut col) = (0u128, 0u128);
    for &c in s {
        if c == tab {
            if tabsize > 0 {
                let incr = tabsize as u128 - col % tabsize as u128;
                col += incr;
                total += incr;
            }
        } else {
            col += 1;
            total += 1;
            if c == cr || c == lf {
                col = 0;
            }
        }
    }
    total
}

/// `expandtabs(tabsize)`: each tab becomes spaces to the next multiple of
/// `tabsize` columns; `\r` and `\n` restart the column count.
pub(super) fn expandtabs_of<T: Copy + PartialEq>(
    s: &[T],
    tabsize: i64,
    tab: T,
    cr: T,
    lf: T,
    space: T,
) -> Vec<T> {
    let (mut out, mut col) = (Vec::with_capacity(s.len()), 0usize);
    for &c in s {
        if c == tab {
            if tabsize > 0 {
                let incr = tabsize as usize - col % tabsize as usize;
                col += incr;
                out.extend(std::iter::repeat_n(space, incr));
            }
        } else {
            col += 1;
            out.push(c);
            if c == cr || c == lf {
                col = 0;
            }
        }
    }
    out
}

/// `strip`: `s` without the leading (`left`) and trailing (`right`) items
/// that `strip_this` accepts.
pub(super) fn strip_by<T: Copy>(
    s: &[T],
    strip_this: impl Fn(T) -> bool,
    left: bool,
    right: bool,
) -> &[T] {
    let mut i = 0;
    let mut j = s.len();
    if left {
        while i < j && strip_this(s[i]) {
            i += 1;
        }
    }
    if right {
        while j > i && strip_this(s[j - 1]) {
            j -= 1;
        }
    }
    &s[i..j]
}

// ----- arguments ------------------------------------------------------------------

/// A `str` value from code points.
pub(super) fn str_value(cps: &[u32]) -> Value {
    Value::Str(PyStr::from_code_points(cps))
}

/// A new list of `str` pieces.
fn str_list(m: &mut Machine, pieces: &[&[u32]]) -> Value {
    let items = pieces.iter().map(|p| str_value(p)).collect();
    Value::Obj(m.heap.alloc(Obj::List(items)))
}

/// `MemoryError` when a result of `len` items is larger than pyreg builds.
pub(super) fn check_size(m: &mut Machine, len: u128) -> PyResult<()> {
    if len > MAX_COLLECTION as u128 {
        return Err(m.new_error_args("MemoryError", vec![]));
    }
    Ok(())
}

/// Whether a fault is a Python exception of class `kind` (or a subclass).
pub(super) fn raised(m: &Machine, f: &Fault, kind: &str) -> bool {
    match f {
        Fault::Raise(e) => m
            .types
            .by_name
            .get(kind)
            .is_some_and(|&t| m.is_instance(&Value::Obj(*e), t)),
        _ => false,
    }
}

/// The `TypeError` of a method without keyword parameters given keywords:
/// `str.upper() takes no keyword arguments` for methods CPython calls
/// through vectorcall (`qualified`), `find() takes no keyword arguments`
/// for the old `METH_VARARGS` ones.
pub(super) fn no_kwargs(
    m: &mut Machine,
    owner: &str,
    name: &str,
    kwargs: &Kwargs,
    qualified: bool,
) -> PyResult<()> {
    if kwargs.is_empty() {
        return Ok(());
    }
    let shown = if qualified {
        format!("{owner}.{name}")
    } else {
        name.to_string()
    };
    Err(m.type_error(format!("{shown}() takes no keyword arguments")))
}

/// Checks a method that takes no arguments (`METH_NOARGS`).
pub(super) fn no_args(
    m: &mut Machine,
    owner: &str,
    name: &str,
    rest: &[Value],
    kwargs: &Kwargs,
) -> PyResult<()> {
    no_kwargs(m, owner, name, kwargs, true)?;
    if !rest.is_empty() {
        return Err(m.type_error(format!(
            "{owner}.{name}() takes no arguments ({} given)",
            rest.len()
        )));
    }
    Ok(())
}

/// Checks a method that takes exactly one positional argument (`METH_O`)
/// and returns it.
pub(super) fn one_arg<'a>(
    m: &mut Machine,
    owner: &str,
    name: &str,
    rest: &'a [Value],
    kwargs: &Kwargs,
) -> PyResult<&'a Value> {
    no_kwargs(m, owner, name, kwargs, true)?;
    match rest {
        [v] => Ok(v),
        _ => Err(m.type_error(format!(
            "{owner}.{name}() takes exactly one argument ({} given)",
            rest.len()
        ))),
    }
}

/// Checks a positional-only method parsed by `PyArg_ParseTuple` with a
/// `"O|OO:name"` format (`find`, `count`, `startswith`, ...).
pub(super) fn var_args(
    m: &mut Machine,
    name: &str,
    rest: &[Value],
    kwargs: &Kwargs,
    min: usize,
    max: usize,
) -> PyResult<()> {
    no_kwargs(m, "", name, kwargs, false)?;
    let n = rest.len();
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    if n < min {
        return Err(m.type_error(format!(
            "{name}() takes at least {min} argument{} ({n} given)",
            plural(min)
        )));
    }
    if n > max {
        return Err(m.type_error(format!(
            "{name}() takes at most {max} argument{} ({n} given)",
            plural(max)
        )));
    }
    Ok(())
}

/// Checks a positional-only Argument Clinic method
/// (`center expected at least 1 argument, got 0`).
pub(super) fn clinic_args(
    m: &mut Machine,
    owner: &str,
    name: &str,
    rest: &[Value],
    kwargs: &Kwargs,
    min: usize,
    max: usize,
) -> PyResult<()> {
    no_kwargs(m, owner, name, kwargs, true)?;
    arg_count(m, name, &rest.to_vec(), min, max)
}

/// Binds the arguments of an Argument Clinic method with keyword
/// parameters `names` (`split(sep=None, maxsplit=-1)`), as
/// `_PyArg_UnpackKeywords` does; absent ones are `None`.
pub(super) fn bind_args(
    m: &mut Machine,
    name: &str,
    rest: &[Value],
    kwargs: &Kwargs,
    names: &[&str],
) -> PyResult<Vec<Option<Value>>> {
    let given = rest.len() + kwargs.len();
    if given > names.len() {
        return Err(m.type_error(format!(
            "{name}() takes at most {} {}argument{} ({given} given)",
            names.len(),
            if rest.is_empty() { "keyword " } else { "" },
            if names.len() == 1 { "" } else { "s" }
        )));
    }
    let mut out: Vec<Option<Value>> = (0..names.len()).map(|i| rest.get(i).cloned()).collect();
    for (k, v) in kwargs {
        match names.iter().position(|n| k.as_str() == Some(n)) {
            Some(i) if i < rest.len() => {
                return Err(m.type_error(format!(
                    "argument for {name}() given by name ('{}') and position ({})",
                    text(k),
                    i + 1
                )));
            }
            Some(i) => out[i] = Some(v.clone()),
            None => {
                return Err(m.type_error(format!(
                    "'{}' is an invalid keyword argument for {name}()",
                    text(k)
                )));
            }
        }
    }
    Ok(out)
}

/// A `Py_ssize_t` argument as Argument Clinic converts it.
pub(super) fn ssize_arg(m: &mut Machine, v: &Value) -> PyResult<i64> {
    if let Value::Float(_) = v {
        return Err(m.type_error("integer argument expected, got float".into()));
    }
    let i = m.index_of(v, "'{}' object cannot be interpreted as an integer")?;
    match i.to_i64() {
        Some(i) => Ok(i),
        None => Err(m.new_error(
            "OverflowError",
            "Python int too large to convert to C ssize_t".into(),
        )),
    }
}

/// A C `int` argument as Argument Clinic converts it (`_PyLong_AsInt`).
pub(super) fn cint_arg(m: &mut Machine, v: &Value) -> PyResult<i64> {
    if let Value::Float(_) = v {
        return Err(m.type_error("integer argument expected, got float".into()));
    }
    let i = m.index_of(v, "an integer is required (got type {})")?;
    match i.to_i32() {
        Some(i) => Ok(i64::from(i)),
        None => Err(m.new_error(
            "OverflowError",
            "Python int too large to convert to C int".into(),
        )),
    }
}

/// A slice bound of `find`, `count`, `startswith`, ... (`_PyEval_SliceIndex`):
/// `None` or absent means the default; huge ints clamp.
pub(super) fn slice_bound(m: &mut Machine, v: Option<&Value>) -> PyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => {
            let i = m.index_of(
                v,
                "slice indices must be integers or None or have an __index__ method",
            )?;
            Ok(Some(i.to_i64().unwrap_or(if i.is_negative() {
                i64::MIN
            } else {
                i64::MAX
            })))
        }
    }
}

/// A `str` argument, or the `TypeError` `"{prefix}must be str, not T"`.
fn str_arg_cps(m: &mut Machine, v: &Value, prefix: &str) -> PyResult<Vec<u32>> {
    match v {
        Value::Str(s) => Ok(s.code_points()),
        _ => {
            let tn = m.type_name_of(v);
            Err(m.type_error(format!("{prefix}must be str, not {tn}")))
        }
    }
}

/// The fill character of `center`, `ljust`, `rjust`.
fn fill_char(m: &mut Machine, v: Option<&Value>) -> PyResult<u32> {
    match v {
        None => Ok(0x20),
        Some(Value::Str(s)) => match s.code_points().as_slice() {
            [c] => Ok(*c),
            _ => Err(m.type_error("The fill character must be exactly one character long".into())),
        },
        Some(v) => {
            let tn = m.type_name_of(v);
            Err(m.type_error(format!(
                "The fill character must be a unicode character, not {tn}"
            )))
        }
    }
}

// ----- the methods ------------------------------------------------------------------

/// Calls the `str` method `id`; `args[0]` is the receiver (except for the
/// static `maketrans`).
pub(super) fn str_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let name = name_of(id);
    if id == StrMaketrans {
        return maketrans(m, &args, &kwargs);
    }
    let s = match args.first() {
        Some(Value::Str(s)) => s.clone(),
        Some(v) => {
            let tn = m.type_name_of(v);
            return Err(m.type_error(format!(
                "descriptor '{name}' for 'str' objects doesn't apply to a '{tn}' object"
            )));
        }
        None => return Err(m.type_error(format!("unbound method str.{name}() needs an argument"))),
    };
    let rest = &args[1..];
    let cps = s.code_points();
    let predicate = |f: fn(u32) -> bool| Value::Bool(!cps.is_empty() && cps.iter().all(|&c| f(c)));
    Ok(match id {
        StrUpper | StrLower | StrCasefold | StrSwapcase | StrTitle | StrCapitalize => {
            no_args(m, "str", name, rest, &kwargs)?;
            let out = match id {
                StrUpper => upper_of(&cps),
                StrLower => lower_of(&cps),
                StrCasefold => casefold_of(&cps),
                StrSwapcase => swapcase_of(&cps),
                StrTitle => title_of(&cps),
                _ => capitalize_of(&cps),
            };
            str_value(&out)
        }
        StrIsalnum | StrIsalpha | StrIsascii | StrIsdecimal | StrIsdigit | StrIsidentifier
        | StrIslower | StrIsnumeric | StrIsprintable | StrIsspace | StrIstitle | StrIsupper => {
            no_args(m, "str", name, rest, &kwargs)?;
            match id {
                StrIsalnum => predicate(is_alnum),
                StrIsalpha => predicate(is_alpha),
                StrIsdecimal => predicate(is_decimal),
                StrIsdigit => predicate(is_digit),
                StrIsnumeric => predicate(is_numeric),
                StrIsspace => predicate(is_space),
                // The two predicates true of the empty string.
                StrIsascii => Value::Bool(cps.iter().all(|&c| c < 0x80)),
                StrIsprintable => Value::Bool(cps.iter().all(|&c| crate::pyrepr::is_printable(c))),
                StrIsidentifier => Value::Bool(is_identifier(&cps)),
                StrIslower => Value::Bool(is_all_case(&cps, true)),
                StrIsupper => Value::Bool(is_all_case(&cps, false)),
                _ => Value::Bool(istitle_of(&cps)),
            }
        }
        StrJoin => {
            let iterable = one_arg(m, "str", name, rest, &kwargs)?.clone();
            let items = join_items(m, &iterable)?;
            let mut out: Vec<u32> = Vec::new();
            for (i, v) in items.iter().enumerate() {
                let Value::Str(p) = v else {
                    let tn = m.type_name_of(v);
                    return Err(m.type_error(format!(
                        "sequence item {i}: expected str instance, {tn} found"
                    )));
                };
                if i > 0 {
                    out.extend_from_slice(&cps);
                }
                out.extend(p.code_points());
                check_size(m, out.len() as u128)?;
            }
            str_value(&out)
        }
        StrSplit | StrRsplit => {
            let a = bind_args(m, name, rest, &kwargs, &["sep", "maxsplit"])?;
            let sep = match &a[0] {
                None | Some(Value::None) => None,
                Some(Value::Str(x)) => Some(x.code_points()),
                Some(v) => {
                    let tn = m.type_name_of(v);
                    return Err(m.type_error(format!("must be str or None, not {tn}")));
                }
            };
            let maxsplit = match &a[1] {
                Some(v) => ssize_arg(m, v)?,
                None => -1,
            };
            let pieces = match (&sep, id == StrSplit) {
                (Some(sep), _) if sep.is_empty() => {
                    return Err(m.new_error("ValueError", "empty separator".into()));
                }
                (Some(sep), true) => split_on(&cps, sep, maxsplit),
                (Some(sep), false) => rsplit_on(&cps, sep, maxsplit),
                (None, true) => split_ws(&cps, is_space, maxsplit),
                (None, false) => rsplit_ws(&cps, is_space, maxsplit),
            };
            str_list(m, &pieces)
        }
        StrSplitlines => {
            let a = bind_args(m, name, rest, &kwargs, &["keepends"])?;
            let keepends = match &a[0] {
                Some(v) => cint_arg(m, v)? != 0,
                None => false,
            };
            let pieces = splitlines_of(&cps, is_linebreak, 0x0D, 0x0A, keepends);
            str_list(m, &pieces)
        }
        StrStrip | StrLstrip | StrRstrip => {
            clinic_args(m, "str", name, rest, &kwargs, 0, 1)?;
            let chars = match rest.first() {
                None | Some(Value::None) => None,
                Some(Value::Str(x)) => Some(x.code_points()),
                Some(_) => return Err(m.type_error(format!("{name} arg must be None or str"))),
            };
            let (left, right) = (id != StrRstrip, id != StrLstrip);
            let out = match &chars {
                Some(set) => strip_by(&cps, |c| set.contains(&c), left, right),
                None => strip_by(&cps, is_space, left, right),
            };
            str_value(out)
        }
        StrReplace => {
            clinic_args(m, "str", name, rest, &kwargs, 2, 3)?;
            let old = str_arg_cps(m, &rest[0], "replace() argument 1 ")?;
            let new = str_arg_cps(m, &rest[1], "replace() argument 2 ")?;
            let count = match rest.get(2) {
                Some(v) => ssize_arg(m, v)?,
                None => -1,
            };
            match replace_in(&cps, &old, &new, count) {
                Some(out) => str_value(&out),
                None => return Err(m.new_error_args("MemoryError", vec![])),
            }
        }
        StrFind | StrRfind | StrIndex | StrRindex | StrCount => {
            var_args(m, name, rest, &kwargs, 1, 3)?;
            let sub = str_arg_cps(m, &rest[0], "")?;
            let start = slice_bound(m, rest.get(1))?;
            let end = slice_bound(m, rest.get(2))?;
            if id == StrCount {
                return Ok(Value::int(count_slice(&cps, &sub, start, end)));
            }
            let i = find_slice(&cps, &sub, start, end, matches!(id, StrRfind | StrRindex));
            if i < 0 && matches!(id, StrIndex | StrRindex) {
                return Err(m.new_error("ValueError", "substring not found".into()));
            }
            Value::int(i)
        }
        StrStartswith | StrEndswith => {
            var_args(m, name, rest, &kwargs, 1, 3)?;
            let start = slice_bound(m, rest.get(1))?;
            let end = slice_bound(m, rest.get(2))?;
            let at_end = id == StrEndswith;
            match &rest[0] {
                Value::Str(p) => Value::Bool(tailmatch(&cps, &p.code_points(), start, end, at_end)),
                Value::Tuple(t) => {
                    for v in t.iter() {
                        let Value::Str(p) = v else {
                            let tn = m.type_name_of(v);
                            return Err(m.type_error(format!(
                                "tuple for {name} must only contain str, not {tn}"
                            )));
                        };
                        if tailmatch(&cps, &p.code_points(), start, end, at_end) {
                            return Ok(Value::Bool(true));
                        }
                    }
                    Value::Bool(false)
                }
                v => {
                    let tn = m.type_name_of(v);
                    return Err(m.type_error(format!(
                        "{name} first arg must be str or a tuple of str, not {tn}"
                    )));
                }
            }
        }
        StrCenter | StrLjust | StrRjust => {
            clinic_args(m, "str", name, rest, &kwargs, 1, 2)?;
            let width = ssize_arg(m, &rest[0])?;
            let fill = fill_char(m, rest.get(1))?;
            let kind = match id {
                StrCenter => 'c',
                StrLjust => 'l',
                _ => 'r',
            };
            let (left, right) = justify_margins(cps.len(), width, kind);
            check_size(m, (cps.len() + left + right) as u128)?;
            str_value(&pad(&cps, left, right, fill))
        }
        StrZfill => {
            let width = one_arg(m, "str", name, rest, &kwargs)?.clone();
            let width = ssize_arg(m, &width)?;
            let width = usize::try_from(width).unwrap_or(0);
            check_size(m, width as u128)?;
            str_value(&zfill_of(&cps, width, 0x30, 0x2B, 0x2D))
        }
        StrExpandtabs => {
            let a = bind_args(m, name, rest, &kwargs, &["tabsize"])?;
            let tabsize = match &a[0] {
                Some(v) => cint_arg(m, v)?,
                None => 8,
            };
            check_size(m, expandtabs_len(&cps, tabsize, 0x09, 0x0D, 0x0A))?;
            str_value(&expandtabs_of(&cps, tabsize, 0x09, 0x0D, 0x0A, 0x20))
        }
        StrPartition | StrRpartition => {
            let sep = one_arg(m, "str", name, rest, &kwargs)?.clone();
            let sep = str_arg_cps(m, &sep, "")?;
            if sep.is_empty() {
                return Err(m.new_error("ValueError", "empty separator".into()));
            }
            let found = if id == StrPartition {
                find_in(&cps, &sep)
            } else {
                rfind_in(&cps, &sep)
            };
            let parts: [&[u32]; 3] = match found {
                Some(i) => [&cps[..i], &sep, &cps[i + sep.len()..]],
                None if id == StrPartition => [&cps, &[], &[]],
                None => [&[], &[], &cps],
            };
            Value::tuple(parts.iter().map(|p| str_value(p)).collect())
        }
        StrRemoveprefix | StrRemovesuffix => {
            let affix = one_arg(m, "str", name, rest, &kwargs)?.clone();
            let affix = str_arg_cps(m, &affix, &format!("{name}() argument "))?;
            let out = if id == StrRemoveprefix {
                cps.strip_prefix(affix.as_slice())
            } else {
                cps.strip_suffix(affix.as_slice())
            };
            str_value(out.unwrap_or(&cps))
        }
        StrEncode => {
            let a = bind_args(m, name, rest, &kwargs, &["encoding", "errors"])?;
            let mut names = [String::from("utf-8"), String::from("strict")];
            for (i, what) in ["encoding", "errors"].iter().enumerate() {
                match &a[i] {
                    None => {}
                    Some(Value::Str(x)) => names[i] = text(x),
                    Some(v) => {
                        let tn = m.type_name_of(v);
                        return Err(m.type_error(format!(
                            "encode() argument '{what}' must be str, not {tn}"
                        )));
                    }
                }
            }
            let out = bytes::encode_str(m, &cps, &names[0], &names[1])?;
            Value::Bytes(out.into())
        }
        StrFormat => {
            let source = Source::Call {
                args: rest,
                kwargs: &kwargs,
            };
            let mut auto = AutoNumber::default();
            str_value(&build_string(m, &cps, &source, 2, &mut auto)?)
        }
        StrFormatMap => {
            let mapping = one_arg(m, "str", name, rest, &kwargs)?.clone();
            let source = Source::Map(mapping);
            let mut auto = AutoNumber::default();
            str_value(&build_string(m, &cps, &source, 2, &mut auto)?)
        }
        StrTranslate => {
            let table = one_arg(m, "str", name, rest, &kwargs)?.clone();
            str_value(&translate(m, &cps, &table)?)
        }
        _ => {
            return Err(Fault::Stuck(format!(
                "str_method called for {name}, not a str method"
            )))
        }
    })
}

/// The items of the argument of `join`, as `PySequence_Fast` collects
/// them: a `TypeError` from asking for an iterator becomes
/// `can only join an iterable`.
pub(super) fn join_items(m: &mut Machine, iterable: &Value) -> PyResult<Vec<Value>> {
    let it = match m.get_iter(iterable) {
        Ok(it) => it,
        Err(f) if raised(m, &f, "TypeError") => {
            return Err(m.type_error("can only join an iterable".into()));
        }
        Err(f) => return Err(f),
    };
    let mut items = Vec::new();
    while let Some(v) = m.next_of(&it)? {
        check_size(m, items.len() as u128 + 1)?;
        items.push(v);
    }
    Ok(items)
}

// ----- maketrans and translate ----------------------------------------------------

/// Whether `v` is a `dict`.
fn is_dict(m: &Machine, v: &Value) -> bool {
    matches!(v, Value::Obj(id) if matches!(m.heap.get(*id), Obj::Dict(_)))
}

/// `str.maketrans(x[, y[, z]])`, a static method.
///
/// While pyreg binds it like any method of a built-in type
/// ([`super::is_method`]), `s.maketrans(...)` reaches here with the
/// instance first and `str.maketrans(...)` without it. The instance is
/// then recognised by the shape of the arguments: four of them; or a
/// string then a dict; or three strings where only the last two have equal
/// lengths (`str.maketrans(x, y, z)` needs `len(x) == len(y)`). So
/// `"ab".maketrans("cd", "ef")` is taken for `str.maketrans("ab", "cd",
/// "ef")`: only binding it as a static method can tell them apart.
fn maketrans(m: &mut Machine, args: &Args, kwargs: &Kwargs) -> PyResult<Value> {
    no_kwargs(m, "str", "maketrans", kwargs, true)?;
    let len_of = |v: &Value| match v {
        Value::Str(s) => Some(s.code_points().len()),
        _ => None,
    };
    let bound_like_a_method = super::is_method(BuiltinId::StrMaketrans);
    let has_receiver = bound_like_a_method
        && match args.as_slice() {
            [Value::Str(_), _, _, _] => true,
            [Value::Str(_), d] => is_dict(m, d),
            [a, b, c] => {
                let (la, lb, lc) = (len_of(a), len_of(b), len_of(c));
                la.is_some() && lb.is_some() && la != lb && lb == lc
            }
            _ => false,
        };
    let args = if has_receiver { &args[1..] } else { &args[..] };
    arg_count(m, "maketrans", &args.to_vec(), 1, 3)?;
    let mut strs = Vec::new();
    for (i, v) in args.iter().enumerate().skip(1) {
        strs.push(str_arg_cps(
            m,
            v,
            &format!("maketrans() argument {} ", i + 1),
        )?);
    }
    let table = m.heap.alloc(Obj::Dict(crate::object::Dict::default()));
    if let Some(y) = strs.first() {
        let Value::Str(x) = &args[0] else {
            return Err(m.type_error(
                "first maketrans argument must be a string if there is a second argument".into(),
            ));
        };
        let x = x.code_points();
        if x.len() != y.len() {
            return Err(m.new_error(
                "ValueError",
                "the first two maketrans arguments must have equal length".into(),
            ));
        }
        for (&a, &b) in x.iter().zip(y.iter()) {
            m.dict_set(table, Value::int(i64::from(a)), Value::int(i64::from(b)))?;
        }
        if let Some(z) = strs.get(1) {
            for &c in z {
                m.dict_set(table, Value::int(i64::from(c)), Value::None)?;
            }
        }
        return Ok(Value::Obj(table));
    }
    let Value::Obj(src) = &args[0] else {
        return Err(
            m.type_error("if you give only one argument to maketrans it must be a dict".into())
        );
    };
    let Obj::Dict(d) = m.heap.get(*src).clone() else {
        return Err(
            m.type_error("if you give only one argument to maketrans it must be a dict".into())
        );
    };
    for e in d.iter() {
        let key = match &e.key {
            Value::Str(k) => match k.code_points().as_slice() {
                [c] => Value::int(i64::from(*c)),
                _ => {
                    return Err(m.new_error(
                        "ValueError",
                        "string keys in translate table must be of length 1".into(),
                    ))
                }
            },
            k @ (Value::Int(_) | Value::Bool(_)) => k.clone(),
            _ => {
                return Err(
                    m.type_error("keys in translate table must be strings or integers".into())
                )
            }
        };
        m.dict_set(table, key, e.value.clone())?;
    }
    Ok(Value::Obj(table))
}

/// What a translation table says about one character.
enum Mapped {
    /// No entry (a `LookupError`): the character stays.
    Keep,
    /// `None`: the character goes.
    Delete,
    /// A code point or a string to put instead.
    Text(Vec<u32>),
}

/// `charmaptranslate_lookup`: `table[ord(c)]`, checked.
fn translate_lookup(m: &mut Machine, table: &Value, c: u32) -> PyResult<Mapped> {
    let item = match m.get_item(table, &Value::int(i64::from(c))) {
        Ok(v) => v,
        Err(f) if raised(m, &f, "LookupError") => return Ok(Mapped::Keep),
        Err(f) => return Err(f),
    };
    match item {
        Value::None => Ok(Mapped::Delete),
        Value::Int(_) | Value::Bool(_) => {
            let i = m.index_of(&item, "")?;
            match i.to_u32().filter(|&c| c <= 0x10FFFF) {
                Some(c) => Ok(Mapped::Text(vec![c])),
                None => Err(m.new_error(
                    "ValueError",
                    "character mapping must be in range(0x110000)".into(),
                )),
            }
        }
        Value::Str(s) => Ok(Mapped::Text(s.code_points())),
        _ => Err(m.type_error("character mapping must return integer, None or str".into())),
    }
}

/// `str.translate(table)`, as `_PyUnicode_TranslateCharmap` does it,
/// including which characters it looks up how often (a table may be any
/// object with `__getitem__`): an ASCII string first takes the fast path,
/// which looks each distinct character up once while the answers are
/// ASCII; from the first other answer on, every character is looked up,
/// and the character after a run of deleted ones twice.
fn translate(m: &mut Machine, s: &[u32], table: &Value) -> PyResult<Vec<u32>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    if s.iter().all(|&c| c < 0x80) {
        // Some(None): delete; Some(Some(c)): write c.
        let mut cache: [Option<Option<u32>>; 128] = [None; 128];
        while i < s.len() {
            let c = s[i] as usize;
            if cache[c].is_none() {
                let fast = match translate_lookup(m, table, s[i])? {
                    Mapped::Keep => Some(Some(s[i])),
                    Mapped::Delete => Some(None),
                    Mapped::Text(t) if t.len() == 1 && t[0] < 0x80 => Some(Some(t[0])),
                    Mapped::Text(_) => None,
                };
                match fast {
                    Some(f) => cache[c] = Some(f),
                    None => break,
                }
            }
            if let Some(Some(x)) = cache[c] {
                out.push(x);
            }
            i += 1;
        }
    }
    while i < s.len() {
        match translate_lookup(m, table, s[i])? {
            Mapped::Keep => out.push(s[i]),
            Mapped::Text(t) => out.extend_from_slice(&t),
            Mapped::Delete => {
                // Skip the run of deleted characters, looking each up.
                let mut end = i + 1;
                while end < s.len() {
                    if !matches!(translate_lookup(m, table, s[end])?, Mapped::Delete) {
                        break;
                    }
                    end += 1;
                }
                i = end;
                continue;
            }
        }
        check_size(m, out.len() as u128)?;
        i += 1;
    }
    Ok(out)
}

// ----- str.format --------------------------------------------------------------------

/// Where `str.format` finds its fields.
enum Source<'a> {
    /// `format(*args, **kwargs)`.
    Call {
        /// Positional arguments.
        args: &'a [Value],
        /// Keyword arguments.
        kwargs: &'a Kwargs,
    },
    /// `format_map(mapping)`: names only.
    Map(Value),
}

/// CPython's `AutoNumber`: whether fields are numbered automatically
/// (`{}`) or by hand (`{0}`), which cannot be mixed.
#[derive(Default)]
struct AutoNumber {
    /// `None` until the first numbered field; then whether it was automatic.
    automatic: Option<bool>,
    /// The next automatic index.
    next: usize,
}

const LBRACE: u32 = b'{' as u32;
const RBRACE: u32 = b'}' as u32;

/// A `ValueError` of `str.format`.
fn format_error(m: &mut Machine, msg: &str) -> Fault {
    m.new_error("ValueError", msg.into())
}

/// CPython's `get_integer`: the value of a field name made of decimal
/// digits (any script's), `None` for anything else.
fn field_integer(m: &mut Machine, s: &[u32]) -> PyResult<Option<usize>> {
    if s.is_empty() {
        return Ok(None);
    }
    let mut acc: i64 = 0;
    for &c in s {
        let Some(d) = decimal_value(c) else {
            return Ok(None);
        };
        let d = i64::from(d);
        if acc > (i64::MAX - d) / 10 {
            return Err(format_error(m, "Too many decimal digits in format string"));
        }
        acc = acc * 10 + d;
    }
    Ok(usize::try_from(acc).ok())
}

/// A parsed replacement field: `{name!conversion:spec}`.
struct Field<'a> {
    name: &'a [u32],
    conversion: Option<u32>,
    spec: &'a [u32],
    spec_needs_expanding: bool,
}

/// CPython's `parse_field`, reading from `fmt[*pos..]` just after a `{`
/// up to and including the matching `}`.
fn parse_field<'a>(m: &mut Machine, fmt: &'a [u32], pos: &mut usize) -> PyResult<Field<'a>> {
    let n = fmt.len();
    let name_start = *pos;
    let mut c = 0;
    while *pos < n {
        c = fmt[*pos];
        *pos += 1;
        if c == LBRACE {
            return Err(format_error(m, "unexpected '{' in field name"));
        }
        if c == u32::from(b'[') {
            while *pos < n && fmt[*pos] != u32::from(b']') {
                *pos += 1;
            }
            continue;
        }
        if c == RBRACE || c == u32::from(b':') || c == u32::from(b'!') {
            break;
        }
    }
    let mut field = Field {
        name: &fmt[name_start..(*pos).saturating_sub(1).max(name_start)],
        conversion: None,
        spec: &[],
        spec_needs_expanding: false,
    };
    if c == u32::from(b'!') || c == u32::from(b':') {
        if c == u32::from(b'!') {
            if *pos >= n {
                return Err(format_error(
                    m,
                    "end of string while looking for conversion specifier",
                ));
            }
            field.conversion = Some(fmt[*pos]);
            *pos += 1;
            if *pos < n {
                let next = fmt[*pos];
                *pos += 1;
                if next == RBRACE {
                    return Ok(field);
                }
                if next != u32::from(b':') {
                    return Err(format_error(m, "expected ':' after conversion specifier"));
                }
            }
        }
        let spec_start = *pos;
        let mut depth = 1;
        while *pos < n {
            let ch = fmt[*pos];
            *pos += 1;
            if ch == LBRACE {
                field.spec_needs_expanding = true;
                depth += 1;
            } else if ch == RBRACE {
                depth -= 1;
                if depth == 0 {
                    field.spec = &fmt[spec_start..*pos - 1];
                    return Ok(field);
                }
            }
        }
        return Err(format_error(m, "unmatched '{' in format spec"));
    }
    if c != RBRACE {
        return Err(format_error(m, "expected '}' before end of string"));
    }
    Ok(field)
}

/// CPython's `get_field_object`: the object a field name designates,
/// `first` then `.attr` and `[key]` steps.
fn field_object(
    m: &mut Machine,
    name: &[u32],
    source: &Source,
    auto: &mut AutoNumber,
) -> PyResult<Value> {
    let split = name
        .iter()
        .position(|&c| c == u32::from(b'.') || c == u32::from(b'['))
        .unwrap_or(name.len());
    let (first, rest) = name.split_at(split);
    let mut index = field_integer(m, first)?;
    let empty = first.is_empty();
    if empty || index.is_some() {
        let automatic = *auto.automatic.get_or_insert(empty);
        if automatic && !empty {
            return Err(format_error(
                m,
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        if !automatic && empty {
            return Err(format_error(
                m,
                "cannot switch from manual field specification to automatic field numbering",
            ));
        }
        if empty {
            index = Some(auto.next);
            auto.next += 1;
        }
    }
    let mut obj = match (index, source) {
        (None, Source::Call { kwargs, .. }) => {
            match kwargs.iter().find(|(k, _)| k.code_points() == first) {
                Some((_, v)) => v.clone(),
                None => return Err(m.new_error_args("KeyError", vec![str_value(first)])),
            }
        }
        (None, Source::Map(mapping)) => m.get_item(mapping, &str_value(first))?,
        (Some(i), Source::Call { args, .. }) => match args.get(i) {
            Some(v) => v.clone(),
            None => {
                return Err(m.new_error(
                    "IndexError",
                    format!("Replacement index {i} out of range for positional args tuple"),
                ))
            }
        },
        (Some(_), Source::Map(_)) => {
            return Err(format_error(m, "Format string contains positional fields"))
        }
    };
    let mut p = 0;
    while p < rest.len() {
        let c = rest[p];
        p += 1;
        let (is_attr, key) = if c == u32::from(b'.') {
            let s = p;
            while p < rest.len() && rest[p] != u32::from(b'.') && rest[p] != u32::from(b'[') {
                p += 1;
            }
            (true, &rest[s..p])
        } else if c == u32::from(b'[') {
            let s = p;
            let Some(close) = rest[s..].iter().position(|&x| x == u32::from(b']')) else {
                return Err(format_error(m, "Missing ']' in format string"));
            };
            p = s + close + 1;
            (false, &rest[s..s + close])
        } else {
            return Err(format_error(
                m,
                "Only '.' or '[' may follow ']' in format field specifier",
            ));
        };
        let item_index = if is_attr {
            None
        } else {
            field_integer(m, key)?
        };
        if key.is_empty() {
            return Err(format_error(m, "Empty attribute in format string"));
        }
        obj = if is_attr {
            m.get_attr(&obj, &PyStr::from_code_points(key))?
        } else {
            match item_index {
                Some(i) => m.get_item(&obj, &Value::int(i as i64))?,
                None => m.get_item(&obj, &str_value(key))?,
            }
        };
    }
    Ok(obj)
}

/// `format(obj, spec)` for one field, keeping the code points of strings.
fn render_field(m: &mut Machine, obj: &Value, spec: &[u32]) -> PyResult<Vec<u32>> {
    if let Value::Str(s) = obj {
        if spec.is_empty() {
            return Ok(s.code_points());
        }
        if s.as_str().is_none() {
            return Err(Fault::Stuck(
                "str.format: a format spec applied to a string with lone surrogates is not implemented yet"
                    .into(),
            ));
        }
    }
    let spec = PyStr::from_code_points(spec).to_string_lossy();
    let r = format_value(m, obj, &spec)?;
    Ok(r.chars().map(u32::from).collect())
}

/// CPython's `build_string`: the formatted text of `fmt`; nested format
/// specs recurse with `depth - 1`, and depth 0 is an error.
fn build_string(
    m: &mut Machine,
    fmt: &[u32],
    source: &Source,
    depth: u32,
    auto: &mut AutoNumber,
) -> PyResult<Vec<u32>> {
    if depth == 0 {
        return Err(format_error(m, "Max string recursion exceeded"));
    }
    let n = fmt.len();
    let mut out = Vec::with_capacity(n);
    let mut pos = 0;
    while pos < n {
        // MarkupIterator_next: literal text up to a brace.
        let start = pos;
        let mut c = 0;
        let mut markup = false;
        while pos < n {
            c = fmt[pos];
            pos += 1;
            if c == LBRACE || c == RBRACE {
                markup = true;
                break;
            }
        }
        let at_end = pos >= n;
        let mut len = pos - start;
        if c == RBRACE && (at_end || fmt[pos] != RBRACE) {
            return Err(format_error(m, "Single '}' encountered in format string"));
        }
        if at_end && c == LBRACE {
            return Err(format_error(m, "Single '{' encountered in format string"));
        }
        if !at_end {
            if fmt[pos] == c {
                // An escaped brace: the literal keeps one.
                pos += 1;
                markup = false;
            } else {
                len -= 1;
            }
        }
        out.extend_from_slice(&fmt[start..start + len]);
        if !markup {
            continue;
        }
        let field = parse_field(m, fmt, &mut pos)?;
        let obj = field_object(m, field.name, source, auto)?;
        let obj = match field.conversion {
            None => obj,
            Some(0x72) => Value::str(&m.repr_of(&obj)?),
            Some(0x73) => match obj {
                Value::Str(_) => obj,
                _ => Value::str(&m.str_of(&obj)?),
            },
            Some(0x61) => Value::str(&ascii_of(m, &obj)?),
            Some(x) => {
                let msg = match char::from_u32(x) {
                    Some(ch) if x > 32 && x < 127 => format!("Unknown conversion specifier {ch}"),
                    _ => format!("Unknown conversion specifier \\x{x:x}"),
                };
                return Err(m.new_error("ValueError", msg));
            }
        };
        let spec = if field.spec_needs_expanding {
            build_string(m, field.spec, source, depth - 1, auto)?
        } else {
            field.spec.to_vec()
        };
        out.extend(render_field(m, &obj, &spec)?);
        check_size(m, out.len() as u128)?;
    }
    Ok(out)
}
