//! The methods of `bytes`, and the text codecs behind `str.encode` and
//! `bytes.decode` (UTF-8, ASCII, Latin-1, UTF-16 and UTF-32), as CPython
//! 3.9's `Objects/bytesobject.c`, `Objects/bytes_methods.c` and
//! `Objects/unicodeobject.c` define them.

use super::super::{arg_count, is_method, name_of, Args, BuiltinId, Kwargs};
use super::{
    bind_args, check_size, cint_arg, count_slice, expandtabs_len, expandtabs_of, find_in,
    find_slice, join_items, justify_margins, no_args, no_kwargs, one_arg, pad, replace_in,
    rfind_in, rsplit_on, rsplit_ws, slice_bound, split_on, split_ws, splitlines_of, ssize_arg,
    strip_by, tailmatch, var_args, zfill_of,
};
use crate::code::PyStr;
use crate::interp::{text, Fault, Machine, PyResult};
use crate::object::{Obj, Value};
use num_traits::ToPrimitive;

/// The normalised names (`encodings` modules and aliases) of the codecs
/// CPython 3.9 has, so that pyreg can tell an encoding it does not
/// implement from one that does not exist.
const CPYTHON_CODECS: &str = concat!(
    "037 1026 1125 1140 1250 1251 1252 1253 1254 1255 1256 1257 1258 273 424 437 500 646 775 ",
    "850 852 855 857 858 860 861 862 863 864 865 866 869 8859 932 936 949 950 ansi ",
    "ansi_x3.4_1968 ansi_x3.4_1986 ansi_x3_4_1968 arabic ascii asmo_708 base64 base64_codec ",
    "base_64 big5 big5_hkscs big5_tw big5hkscs bz2 bz2_codec charmap chinese cp037 cp1006 ",
    "cp1026 cp1051 cp1125 cp1140 cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 ",
    "cp1258 cp1361 cp154 cp273 cp367 cp424 cp437 cp500 cp65001 cp720 cp737 cp775 cp819 cp850 ",
    "cp852 cp855 cp856 cp857 cp858 cp860 cp861 cp862 cp863 cp864 cp865 cp866 cp866u cp869 ",
    "cp874 cp875 cp932 cp936 cp949 cp950 cp_gr cp_is csascii csbig5 cshproman8 csibm037 ",
    "csibm1026 csibm273 csibm424 csibm500 csibm855 csibm857 csibm858 csibm860 csibm861 ",
    "csibm863 csibm864 csibm865 csibm866 csibm869 csiso2022jp csiso2022kr csiso58gb231280 ",
    "csisolatin1 csisolatin2 csisolatin3 csisolatin4 csisolatin5 csisolatin6 csisolatinarabic ",
    "csisolatincyrillic csisolatingreek csisolatinhebrew cskoi8r cspc775baltic ",
    "cspc850multilingual cspc862latinhebrew cspc8codepage437 cspcp852 csptcp154 csshiftjis ",
    "cyrillic cyrillic_asian dbcs ebcdic_cp_be ebcdic_cp_ca ebcdic_cp_ch ebcdic_cp_he ",
    "ebcdic_cp_nl ebcdic_cp_us ebcdic_cp_wt ecma_114 ecma_118 elot_928 euc_cn euc_jis2004 ",
    "euc_jis_2004 euc_jisx0213 euc_jp euc_kr euccn eucgb2312_cn eucjis2004 eucjisx0213 eucjp ",
    "euckr gb18030 gb18030_2000 gb2312 gb2312_1980 gb2312_80 gbk greek greek8 hebrew hex ",
    "hex_codec hkscs hp_roman8 hz hz_gb hz_gb_2312 hzgb ibm037 ibm039 ibm1026 ibm1051 ibm1125 ",
    "ibm1140 ibm273 ibm367 ibm424 ibm437 ibm500 ibm775 ibm819 ibm850 ibm852 ibm855 ibm857 ",
    "ibm858 ibm860 ibm861 ibm862 ibm863 ibm864 ibm865 ibm866 ibm869 idna iso2022_jp ",
    "iso2022_jp_1 iso2022_jp_2 iso2022_jp_2004 iso2022_jp_3 iso2022_jp_ext iso2022_kr ",
    "iso2022jp iso2022jp_1 iso2022jp_2 iso2022jp_2004 iso2022jp_3 iso2022jp_ext iso2022kr ",
    "iso646_us iso8859 iso8859_1 iso8859_10 iso8859_11 iso8859_13 iso8859_14 iso8859_15 ",
    "iso8859_16 iso8859_2 iso8859_3 iso8859_4 iso8859_5 iso8859_6 iso8859_7 iso8859_8 ",
    "iso8859_9 iso_2022_jp iso_2022_jp_1 iso_2022_jp_2 iso_2022_jp_2004 iso_2022_jp_3 ",
    "iso_2022_jp_ext iso_2022_kr iso_646.irv_1991 iso_8859_1 iso_8859_10 iso_8859_10_1992 ",
    "iso_8859_11 iso_8859_11_2001 iso_8859_13 iso_8859_14 iso_8859_14_1998 iso_8859_15 ",
    "iso_8859_16 iso_8859_16_2001 iso_8859_1_1987 iso_8859_2 iso_8859_2_1987 iso_8859_3 ",
    "iso_8859_3_1988 iso_8859_4 iso_8859_4_1988 iso_8859_5 iso_8859_5_1988 iso_8859_6 ",
    "iso_8859_6_1987 iso_8859_7 iso_8859_7_1987 iso_8859_8 iso_8859_8_1988 iso_8859_9 ",
    "iso_8859_9_1989 iso_celtic iso_ir_100 iso_ir_101 iso_ir_109 iso_ir_110 iso_ir_126 ",
    "iso_ir_127 iso_ir_138 iso_ir_144 iso_ir_148 iso_ir_157 iso_ir_166 iso_ir_199 iso_ir_226 ",
    "iso_ir_58 iso_ir_6 jisx0213 johab koi8_r koi8_t koi8_u korean ks_c_5601 ks_c_5601_1987 ",
    "ks_x_1001 ksc5601 ksx1001 kz1048 kz_1048 l1 l10 l2 l3 l4 l5 l6 l7 l8 l9 latin latin1 ",
    "latin10 latin2 latin3 latin4 latin5 latin6 latin7 latin8 latin9 latin_1 mac_arabic ",
    "mac_centeuro mac_croatian mac_cyrillic mac_farsi mac_greek mac_iceland mac_latin2 ",
    "mac_roman mac_romanian mac_turkish maccentraleurope maccyrillic macgreek maciceland ",
    "macintosh maclatin2 macroman macturkish mbcs ms1361 ms932 ms936 ms949 ms950 ms_kanji ",
    "mskanji oem palmos pt154 ptcp154 punycode quopri quopri_codec quoted_printable ",
    "quotedprintable r8 raw_unicode_escape rk1048 roman8 rot13 rot_13 ruscii s_jis s_jis_2004 ",
    "s_jisx0213 shift_jis shift_jis_2004 shift_jisx0213 shiftjis shiftjis2004 shiftjisx0213 ",
    "sjis sjis_2004 sjisx0213 strk1048_2002 thai tis620 tis_620 tis_620_0 tis_620_2529_0 ",
    "tis_620_2529_1 u16 u32 u7 u8 u_jis uhc ujis undefined unicode_1_1_utf_7 unicode_escape ",
    "unicodebigunmarked unicodelittleunmarked us us_ascii utf utf16 utf32 utf7 utf8 utf8_ucs2 ",
    "utf8_ucs4 utf_16 utf_16_be utf_16_le utf_16be utf_16le utf_32 utf_32_be utf_32_le ",
    "utf_32be utf_32le utf_7 utf_8 utf_8_sig uu uu_codec windows_1250 windows_1251 ",
    "windows_1252 windows_1253 windows_1254 windows_1255 windows_1256 windows_1257 ",
    "windows_1258 x_mac_japanese x_mac_korean x_mac_simp_chinese x_mac_trad_chinese zip zlib ",
    "zlib_codec ",
);

// ----- codecs ----------------------------------------------------------------------

/// Byte order of a UTF-16 or UTF-32 codec.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Little,
    Big,
    /// The plain codec: a byte order mark, then little-endian (the order of
    /// the machines CPython's goldens come from).
    Marked,
}

/// A codec pyreg implements.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    Utf8,
    Ascii,
    Latin1,
    Utf16(Order),
    Utf32(Order),
}

impl Codec {
    /// The name CPython's error messages give the codec.
    fn display(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
            Codec::Utf16(Order::Little) => "utf-16-le",
            Codec::Utf16(Order::Big) => "utf-16-be",
            Codec::Utf16(Order::Marked) => "utf-16",
            Codec::Utf32(Order::Little) => "utf-32-le",
            Codec::Utf32(Order::Big) => "utf-32-be",
            Codec::Utf32(Order::Marked) => "utf-32",
        }
    }
}

/// An encoding name as `codecs.lookup` normalises it: lower case, and
/// (`encodings.normalize_encoding`) every run of characters other than
/// ASCII letters, digits and `.` replaced by one `_`, none at either end.
fn normalize_encoding(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut punct = false;
    for c in name.chars() {
        if c.is_alphanumeric() || c == '.' {
            if punct && !out.is_empty() {
                out.push('_');
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            }
            punct = false;
        } else {
            punct = true;
        }
    }
    out
}

/// The codec called `name`, `LookupError` for a name CPython does not
/// know, or stuck for a CPython codec pyreg does not implement.
fn lookup_codec(m: &mut Machine, name: &str) -> PyResult<Codec> {
    let n = normalize_encoding(name);
    Ok(match n.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => Codec::Utf8,
        "ascii" | "646" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "ansi_x3.4_1986" | "cp367"
        | "csascii" | "ibm367" | "iso646_us" | "iso_646.irv_1991" | "iso_ir_6" | "us"
        | "us_ascii" => Codec::Ascii,
        "latin_1" | "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1"
        | "iso_8859_1" | "iso_8859_1_1987" | "iso_ir_100" | "l1" | "latin" | "latin1" => {
            Codec::Latin1
        }
        "utf_16" | "u16" | "utf16" => Codec::Utf16(Order::Marked),
        "utf_16_le" | "utf_16le" | "unicodelittleunmarked" => Codec::Utf16(Order::Little),
        "utf_16_be" | "utf_16be" | "unicodebigunmarked" => Codec::Utf16(Order::Big),
        "utf_32" | "u32" | "utf32" => Codec::Utf32(Order::Marked),
        "utf_32_le" | "utf_32le" => Codec::Utf32(Order::Little),
        "utf_32_be" | "utf_32be" => Codec::Utf32(Order::Big),
        _ if !n.is_empty()
            && CPYTHON_CODECS
                .split_whitespace()
                .any(|c| c == n || c == n.replace('.', "_")) =>
        {
            return Err(Fault::Stuck(format!(
                "the '{name}' codec is not implemented yet"
            )));
        }
        _ => return Err(m.new_error("LookupError", format!("unknown encoding: {name}"))),
    })
}

/// Raises the built-in exception `kind` (`UnicodeEncodeError`,
/// `UnicodeDecodeError`), or gets stuck naming it when the machine does not
/// define that class.
fn unicode_error(m: &mut Machine, kind: &str, msg: String) -> Fault {
    if m.types.by_name.contains_key(kind) {
        m.new_error(kind, msg)
    } else {
        Fault::Stuck(format!(
            "{kind} is not a built-in class of the machine yet ({kind}: {msg})"
        ))
    }
}

/// The `LookupError` for an error handler CPython does not know.
fn unknown_handler(m: &mut Machine, errors: &str) -> Fault {
    m.new_error(
        "LookupError",
        format!("unknown error handler name '{errors}'"),
    )
}

/// `UnicodeEncodeError.__str__`.
fn encode_error(
    m: &mut Machine,
    codec: Codec,
    s: &[u32],
    start: usize,
    end: usize,
    reason: &str,
) -> Fault {
    let name = codec.display();
    let msg = if end == start + 1 {
        let c = s[start];
        let shown = match c {
            0..=0xFF => format!("\\x{c:02x}"),
            0x100..=0xFFFF => format!("\\u{c:04x}"),
            _ => format!("\\U{c:08x}"),
        };
        format!("'{name}' codec can't encode character '{shown}' in position {start}: {reason}")
    } else {
        format!(
            "'{name}' codec can't encode characters in position {start}-{}: {reason}",
            end - 1
        )
    };
    unicode_error(m, "UnicodeEncodeError", msg)
}

/// Appends code point `c` in `codec`, which can encode it.
fn put(codec: Codec, c: u32, out: &mut Vec<u8>) {
    match codec {
        Codec::Ascii | Codec::Latin1 => out.push(c as u8),
        Codec::Utf8 => {
            // Surrogates too (the `surrogatepass` handler writes them).
            if c < 0x80 {
                out.push(c as u8);
            } else if c < 0x800 {
                out.extend_from_slice(&[0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]);
            } else if c < 0x10000 {
                out.extend_from_slice(&[
                    0xE0 | (c >> 12) as u8,
                    0x80 | ((c >> 6) & 0x3F) as u8,
                    0x80 | (c & 0x3F) as u8,
                ]);
            } else {
                out.extend_from_slice(&[
                    0xF0 | (c >> 18) as u8,
                    0x80 | ((c >> 12) & 0x3F) as u8,
                    0x80 | ((c >> 6) & 0x3F) as u8,
                    0x80 | (c & 0x3F) as u8,
                ]);
            }
        }
        Codec::Utf16(order) => {
            let mut unit = |u: u16| {
                if order == Order::Big {
                    out.extend_from_slice(&u.to_be_bytes());
                } else {
                    out.extend_from_slice(&u.to_le_bytes());
                }
            };
            if c >= 0x10000 {
                let v = c - 0x10000;
                unit(0xD800 | (v >> 10) as u16);
                unit(0xDC00 | (v & 0x3FF) as u16);
            } else {
                unit(c as u16);
            }
        }
        Codec::Utf32(order) => {
            if order == Order::Big {
                out.extend_from_slice(&c.to_be_bytes());
            } else {
                out.extend_from_slice(&c.to_le_bytes());
            }
        }
    }
}

/// Whether `codec` encodes `c` without an error handler.
fn encodable(codec: Codec, c: u32) -> bool {
    match codec {
        Codec::Ascii => c < 0x80,
        Codec::Latin1 => c < 0x100,
        _ => !(0xD800..0xE000).contains(&c),
    }
}

/// `str.encode(encoding, errors)`.
pub(super) fn encode_str(
    m: &mut Machine,
    s: &[u32],
    encoding: &str,
    errors: &str,
) -> PyResult<Vec<u8>> {
    let codec = lookup_codec(m, encoding)?;
    let reason = match codec {
        Codec::Ascii => "ordinal not in range(128)",
        Codec::Latin1 => "ordinal not in range(256)",
        _ => "surrogates not allowed",
    };
    let mut out = Vec::with_capacity(s.len());
    match codec {
        Codec::Utf16(Order::Marked) => out.extend_from_slice(&[0xFF, 0xFE]),
        Codec::Utf32(Order::Marked) => out.extend_from_slice(&[0xFF, 0xFE, 0, 0]),
        _ => {}
    }
    let mut i = 0;
    while i < s.len() {
        if encodable(codec, s[i]) {
            put(codec, s[i], &mut out);
            i += 1;
            continue;
        }
        // The run of characters the codec cannot encode goes to the error
        // handler (and into the message) as one range; the UTF-16 and
        // UTF-32 encoders report one character at a time.
        let mut end = i + 1;
        while end < s.len()
            && !encodable(codec, s[end])
            && !matches!(codec, Codec::Utf16(_) | Codec::Utf32(_))
        {
            end += 1;
        }
        match errors {
            "strict" => return Err(encode_error(m, codec, s, i, end, reason)),
            "ignore" => {}
            "replace" => (i..end).for_each(|_| put(codec, u32::from(b'?'), &mut out)),
            "backslashreplace" | "xmlcharrefreplace" => {
                for &c in &s[i..end] {
                    let r = if errors == "xmlcharrefreplace" {
                        format!("&#{c};")
                    } else if c < 0x100 {
                        format!("\\x{c:02x}")
                    } else if c < 0x10000 {
                        format!("\\u{c:04x}")
                    } else {
                        format!("\\U{c:08x}")
                    };
                    r.bytes().for_each(|b| put(codec, u32::from(b), &mut out));
                }
            }
            "surrogateescape" => {
                // Escaped bytes (U+DC80..U+DCFF) go back to bytes up to the
                // first other character, which raises the error from there.
                // The UTF-16 and UTF-32 encoders refuse the single byte.
                let wide = matches!(codec, Codec::Utf16(_) | Codec::Utf32(_));
                let n = if wide {
                    0
                } else {
                    s[i..end]
                        .iter()
                        .take_while(|c| (0xDC80..0xDD00).contains(*c))
                        .count()
                };
                out.extend(s[i..i + n].iter().map(|&c| (c - 0xDC00) as u8));
                if i + n < end {
                    return Err(encode_error(m, codec, s, i + n, end, reason));
                }
            }
            "surrogatepass" => {
                let surrogates = s[i..end].iter().all(|c| (0xD800..0xE000).contains(c));
                if !surrogates || matches!(codec, Codec::Ascii | Codec::Latin1) {
                    return Err(encode_error(m, codec, s, i, end, reason));
                }
                s[i..end].iter().for_each(|&c| put(codec, c, &mut out));
            }
            "namereplace" => {
                return Err(Fault::Stuck(
                    "the 'namereplace' error handler is not implemented yet".into(),
                ));
            }
            _ => return Err(unknown_handler(m, errors)),
        }
        i = end;
    }
    Ok(out)
}

/// `UnicodeDecodeError.__str__`.
fn decode_error(
    m: &mut Machine,
    codec: Codec,
    b: &[u8],
    start: usize,
    end: usize,
    reason: &str,
) -> Fault {
    let name = codec.display();
    let msg = if end == start + 1 {
        format!(
            "'{name}' codec can't decode byte 0x{:02x} in position {start}: {reason}",
            b[start]
        )
    } else {
        format!(
            "'{name}' codec can't decode bytes in position {start}-{}: {reason}",
            end - 1
        )
    };
    unicode_error(m, "UnicodeDecodeError", msg)
}

/// Applies decoding error handler `errors` to the undecodable `b[start..end]`
/// and gives the position where decoding resumes, as CPython's handlers do:
/// `surrogateescape` escapes at most four bytes and none below 0x80, and
/// `surrogatepass` takes one encoded surrogate; either raises the original
/// error when it cannot.
fn decode_handler(
    m: &mut Machine,
    codec: Codec,
    b: &[u8],
    (start, end): (usize, usize),
    reason: &str,
    errors: &str,
    out: &mut Vec<u32>,
) -> PyResult<usize> {
    match errors {
        "strict" => {}
        "ignore" => return Ok(end),
        "replace" => {
            out.push(0xFFFD);
            return Ok(end);
        }
        "backslashreplace" => {
            for &x in &b[start..end] {
                out.extend(format!("\\x{x:02x}").chars().map(u32::from));
            }
            return Ok(end);
        }
        "surrogateescape" => {
            let n = b[start..end]
                .iter()
                .take(4)
                .take_while(|&&x| x >= 0x80)
                .count();
            if n > 0 {
                out.extend(b[start..start + n].iter().map(|&x| 0xDC00 + u32::from(x)));
                return Ok(start + n);
            }
        }
        "surrogatepass" => {
            let p = &b[start..];
            let (cp, len) = match codec {
                Codec::Utf8
                    if p.len() >= 3
                        && p[0] & 0xF0 == 0xE0
                        && p[1] & 0xC0 == 0x80
                        && p[2] & 0xC0 == 0x80 =>
                {
                    let cp = (u32::from(p[0] & 0x0F) << 12)
                        | (u32::from(p[1] & 0x3F) << 6)
                        | u32::from(p[2] & 0x3F);
                    (cp, 3)
                }
                Codec::Utf16(order) if p.len() >= 2 => {
                    let pair = [p[0], p[1]];
                    let u = if order == Order::Big {
                        u16::from_be_bytes(pair)
                    } else {
                        u16::from_le_bytes(pair)
                    };
                    (u32::from(u), 2)
                }
                Codec::Utf32(order) if p.len() >= 4 => {
                    let quad = [p[0], p[1], p[2], p[3]];
                    let u = if order == Order::Big {
                        u32::from_be_bytes(quad)
                    } else {
                        u32::from_le_bytes(quad)
                    };
                    (u, 4)
                }
                _ => (0, 0),
            };
            if (0xD800..0xE000).contains(&cp) {
                out.push(cp);
                return Ok(start + len);
            }
        }
        _ => return Err(unknown_handler(m, errors)),
    }
    Err(decode_error(m, codec, b, start, end, reason))
}

/// `bytes.decode(encoding, errors)` as code points.
pub(super) fn decode_bytes(
    m: &mut Machine,
    b: &[u8],
    encoding: &str,
    errors: &str,
) -> PyResult<Vec<u32>> {
    let codec = lookup_codec(m, encoding)?;
    let mut out = Vec::with_capacity(b.len());
    match codec {
        Codec::Latin1 => out.extend(b.iter().map(|&x| u32::from(x))),
        Codec::Ascii => {
            for (i, &x) in b.iter().enumerate() {
                if x < 0x80 {
                    out.push(u32::from(x));
                } else {
                    decode_handler(
                        m,
                        codec,
                        b,
                        (i, i + 1),
                        "ordinal not in range(128)",
                        errors,
                        &mut out,
                    )?;
                }
            }
        }
        Codec::Utf8 => {
            let mut pos = 0;
            while pos < b.len() {
                match std::str::from_utf8(&b[pos..]) {
                    Ok(s) => {
                        out.extend(s.chars().map(u32::from));
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        let valid = std::str::from_utf8(&b[pos..pos + good]).unwrap_or_default();
                        out.extend(valid.chars().map(u32::from));
                        let start = pos + good;
                        // Rust and CPython both report the maximal invalid
                        // prefix of a sequence (Unicode's "maximal subpart").
                        let (end, reason) = match e.error_len() {
                            None => (b.len(), "unexpected end of data"),
                            Some(n) if n == 1 && matches!(b[start], 0x80..=0xC1 | 0xF5..=0xFF) => {
                                (start + 1, "invalid start byte")
                            }
                            Some(n) => (start + n, "invalid continuation byte"),
                        };
                        pos = decode_handler(m, codec, b, (start, end), reason, errors, &mut out)?;
                    }
                }
            }
        }
        Codec::Utf16(order) | Codec::Utf32(order) => {
            let utf16 = matches!(codec, Codec::Utf16(_));
            let width = if utf16 { 2 } else { 4 };
            let (mut pos, mut big) = (0, order == Order::Big);
            if order == Order::Marked {
                let (le, be): (&[u8], &[u8]) = if utf16 {
                    (&[0xFF, 0xFE], &[0xFE, 0xFF])
                } else {
                    (&[0xFF, 0xFE, 0, 0], &[0, 0, 0xFE, 0xFF])
                };
                if b.starts_with(le) {
                    pos = width;
                } else if b.starts_with(be) {
                    pos = width;
                    big = true;
                }
            }
            // Errors name the byte order the decoder settled on.
            let order = if big { Order::Big } else { Order::Little };
            let codec = if utf16 {
                Codec::Utf16(order)
            } else {
                Codec::Utf32(order)
            };
            let unit = |at: usize| {
                let bytes = &b[at..at + width];
                let fold = |acc: u32, &x: &u8| (acc << 8) | u32::from(x);
                if big {
                    bytes.iter().fold(0, fold)
                } else {
                    bytes.iter().rev().fold(0, fold)
                }
            };
            let n = b.len();
            while pos < n {
                let (end, reason) = if n - pos < width {
                    (n, "truncated data")
                } else if !utf16 {
                    match unit(pos) {
                        u @ (0..=0xD7FF | 0xE000..=0x10FFFF) => {
                            out.push(u);
                            pos += 4;
                            continue;
                        }
                        0xD800..=0xDFFF => (
                            pos + 4,
                            "code point in surrogate code point range(0xd800, 0xe000)",
                        ),
                        _ => (pos + 4, "code point not in range(0x110000)"),
                    }
                } else {
                    match unit(pos) {
                        0xDC00..=0xDFFF => (pos + 2, "illegal encoding"),
                        hi @ 0xD800..=0xDBFF => {
                            if n - pos < 4 {
                                (n, "unexpected end of data")
                            } else {
                                match unit(pos + 2) {
                                    lo @ 0xDC00..=0xDFFF => {
                                        out.push(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                                        pos += 4;
                                        continue;
                                    }
                                    _ => (pos + 2, "illegal UTF-16 surrogate"),
                                }
                            }
                        }
                        u => {
                            out.push(u);
                            pos += 2;
                            continue;
                        }
                    }
                };
                pos = decode_handler(m, codec, b, (pos, end), reason, errors, &mut out)?;
            }
        }
    }
    Ok(out)
}

// ----- the methods ----------------------------------------------------------------

/// `Py_ISSPACE`: the ASCII whitespace of `bytes` methods.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// The contents of a bytes-like object (`bytes` or `bytearray`).
fn bytes_like(m: &Machine, v: &Value) -> Option<Vec<u8>> {
    m.buffer_of(v)
}

/// A bytes-like argument, or `a bytes-like object is required, not 'T'`.
fn need_bytes(m: &mut Machine, v: &Value) -> PyResult<Vec<u8>> {
    match bytes_like(m, v) {
        Some(b) => Ok(b),
        None => {
            let tn = m.type_name_of(v);
            Err(m.type_error(format!("a bytes-like object is required, not '{tn}'")))
        }
    }
}

/// The needle of `find`, `count`, ...: bytes-like, or an int naming one byte.
fn needle(m: &mut Machine, v: &Value) -> PyResult<Vec<u8>> {
    if let Some(b) = bytes_like(m, v) {
        return Ok(b);
    }
    if matches!(v, Value::Int(_) | Value::Bool(_)) {
        let i = m.index_of(v, "")?;
        return match i.to_u8() {
            Some(b) => Ok(vec![b]),
            None => Err(m.new_error("ValueError", "byte must be in range(0, 256)".into())),
        };
    }
    let tn = m.type_name_of(v);
    Err(m.type_error(format!(
        "argument should be integer or bytes-like object, not '{tn}'"
    )))
}

/// A bytes method's result as the same method of `bytearray` returns it:
/// bytes become bytearrays, also inside the tuple of `partition` and the
/// list of `split`.
fn bytes_to_bytearray(m: &mut Machine, r: Value) -> Value {
    match r {
        Value::Bytes(b) => Value::Obj(m.heap.alloc(Obj::ByteArray(b.to_vec()))),
        Value::Tuple(items) => Value::tuple(
            items
                .iter()
                .map(|v| bytes_to_bytearray(m, v.clone()))
                .collect(),
        ),
        Value::Obj(id) => {
            if let Obj::List(items) = m.heap.get(id).clone() {
                let items = items
                    .into_iter()
                    .map(|v| bytes_to_bytearray(m, v))
                    .collect();
                *m.heap.get_mut(id) = Obj::List(items);
            }
            Value::Obj(id)
        }
        other => other,
    }
}

fn bytes_value(b: Vec<u8>) -> Value {
    Value::Bytes(b.into())
}

fn bytes_list(m: &mut Machine, pieces: &[&[u8]]) -> Value {
    let items = pieces.iter().map(|p| bytes_value(p.to_vec())).collect();
    Value::Obj(m.heap.alloc(Obj::List(items)))
}

/// `bytes.istitle` on ASCII.
fn istitle(b: &[u8]) -> bool {
    let (mut cased, mut previous_is_cased) = (false, false);
    for &c in b {
        if c.is_ascii_uppercase() {
            if previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            cased = true;
        } else if c.is_ascii_lowercase() {
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

/// `bytes.title` on ASCII.
fn title(b: &[u8]) -> Vec<u8> {
    let mut previous_is_cased = false;
    b.iter()
        .map(|&c| {
            let r = if previous_is_cased {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            };
            previous_is_cased = c.is_ascii_alphabetic();
            r
        })
        .collect()
}

/// `bytes.hex(sep, bytes_per_sep)`, as `_Py_strhex_impl`: a separator
/// every `bytes_per_sep` bytes, counted from the right when positive and
/// from the left when negative.
fn hex(m: &mut Machine, b: &[u8], sep: Option<&Value>, per: i64) -> PyResult<Value> {
    let sep = match sep {
        None => None,
        Some(v) => {
            let (len, first) = match v {
                Value::Str(s) => {
                    let p = s.code_points();
                    (p.len(), p.first().copied())
                }
                Value::Bytes(x) => (x.len(), x.first().map(|&c| u32::from(c))),
                _ => (m.len_of(v)?, None),
            };
            if len != 1 {
                return Err(m.new_error("ValueError", "sep must be length 1.".into()));
            }
            match first {
                Some(c) if c < 0x80 => Some(c as u8),
                Some(_) => return Err(m.new_error("ValueError", "sep must be ASCII.".into())),
                None => return Err(m.type_error("sep must be str or bytes.".into())),
            }
        }
    };
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let group = per.unsigned_abs() as usize;
    let mut out = String::with_capacity(b.len() * 3);
    for (i, &x) in b.iter().enumerate() {
        if let (Some(s), true) = (sep, group > 0 && i > 0) {
            // Separators go between groups: from the right, a group ends
            // where the number of bytes left is a multiple of the size.
            let boundary = if per > 0 {
                (b.len() - i).is_multiple_of(group)
            } else {
                i.is_multiple_of(group)
            };
            if boundary {
                out.push(char::from(s));
            }
        }
        out.push(char::from(DIGITS[usize::from(x >> 4)]));
        out.push(char::from(DIGITS[usize::from(x & 15)]));
    }
    Ok(Value::str(&out))
}

/// `bytes.fromhex(string)`: pairs of hex digits, whitespace allowed before
/// each pair.
fn fromhex(m: &mut Machine, v: &Value) -> PyResult<Value> {
    let Value::Str(s) = v else {
        let tn = m.type_name_of(v);
        return Err(m.type_error(format!("fromhex() argument must be str, not {tn}")));
    };
    let p = s.code_points();
    let bad = |m: &mut Machine, at: usize| {
        m.new_error(
            "ValueError",
            format!("non-hexadecimal number found in fromhex() arg at position {at}"),
        )
    };
    if let Some(at) = p.iter().position(|&c| c >= 0x80) {
        return Err(bad(m, at));
    }
    let digit = |i: usize| p.get(i).and_then(|&c| char::from_u32(c)?.to_digit(16));
    let (mut out, mut i) = (Vec::with_capacity(p.len() / 2), 0);
    while i < p.len() {
        if is_space(p[i] as u8) {
            i += 1;
            continue;
        }
        let Some(hi) = digit(i) else {
            return Err(bad(m, i));
        };
        let Some(lo) = digit(i + 1) else {
            return Err(bad(m, i + 1));
        };
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(bytes_value(out))
}

/// Calls the `bytes` method `id`; `args[0]` is the receiver (except for
/// the class method `fromhex`).
pub(crate) fn bytes_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let name = name_of(id);
    if let Some(Value::Obj(oid)) = args.first() {
        if let Obj::ByteArray(b) = m.heap.get(*oid) {
            // A bytes method called on a bytearray: the same computation,
            // with every bytes it returns made a bytearray.
            let mut args = args.clone();
            args[0] = bytes_value(b.clone());
            let r = bytes_method(m, id, args, kwargs)?;
            return Ok(bytes_to_bytearray(m, r));
        }
    }
    if id == BytesFromhex {
        // A class method: `bytes.fromhex(s)` and `b.fromhex(s)` both work.
        // While pyreg binds it like any method, an instance call brings the
        // instance first.
        let rest = match args.as_slice() {
            [Value::Bytes(_), rest @ ..] if !rest.is_empty() && is_method(id) => rest,
            rest => rest,
        };
        let v = one_arg(m, "bytes", name, rest, &kwargs)?.clone();
        return fromhex(m, &v);
    }
    let b: Vec<u8> = match args.first() {
        Some(Value::Bytes(b)) => b.to_vec(),
        Some(v) => {
            let tn = m.type_name_of(v);
            return Err(m.type_error(format!(
                "descriptor '{name}' for 'bytes' objects doesn't apply to a '{tn}' object"
            )));
        }
        None => {
            return Err(m.type_error(format!("unbound method bytes.{name}() needs an argument")))
        }
    };
    let rest = &args[1..];
    let predicate = |f: fn(&u8) -> bool| Value::Bool(!b.is_empty() && b.iter().all(f));
    Ok(match id {
        BytesUpper | BytesLower | BytesSwapcase | BytesCapitalize | BytesTitle => {
            no_args(m, "bytes", name, rest, &kwargs)?;
            bytes_value(match id {
                BytesUpper => b.to_ascii_uppercase(),
                BytesLower => b.to_ascii_lowercase(),
                BytesSwapcase => b
                    .iter()
                    .map(|&c| {
                        if c.is_ascii_uppercase() {
                            c.to_ascii_lowercase()
                        } else {
                            c.to_ascii_uppercase()
                        }
                    })
                    .collect(),
                BytesCapitalize => b
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| {
                        if i == 0 {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        }
                    })
                    .collect(),
                _ => title(&b),
            })
        }
        BytesIsalpha | BytesIsdigit | BytesIsalnum | BytesIsspace | BytesIslower | BytesIsupper
        | BytesIstitle | BytesIsascii => {
            no_args(m, "bytes", name, rest, &kwargs)?;
            match id {
                BytesIsalpha => predicate(u8::is_ascii_alphabetic),
                BytesIsdigit => predicate(u8::is_ascii_digit),
                BytesIsalnum => predicate(u8::is_ascii_alphanumeric),
                BytesIsspace => predicate(|&c| is_space(c)),
                BytesIslower => Value::Bool(
                    b.iter().any(u8::is_ascii_lowercase) && !b.iter().any(u8::is_ascii_uppercase),
                ),
                BytesIsupper => Value::Bool(
                    b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase),
                ),
                BytesIstitle => Value::Bool(istitle(&b)),
                _ => Value::Bool(b.is_ascii()),
            }
        }
        BytesDecode => {
            let a = bind_args(m, name, rest, &kwargs, &["encoding", "errors"])?;
            let mut names = [String::from("utf-8"), String::from("strict")];
            for (i, what) in ["encoding", "errors"].iter().enumerate() {
                match &a[i] {
                    None => {}
                    Some(Value::Str(x)) => names[i] = text(x),
                    Some(v) => {
                        let tn = m.type_name_of(v);
                        return Err(m.type_error(format!(
                            "decode() argument '{what}' must be str, not {tn}"
                        )));
                    }
                }
            }
            let cps = decode_bytes(m, &b, &names[0], &names[1])?;
            Value::Str(PyStr::from_code_points(&cps))
        }
        BytesHex => {
            let a = bind_args(m, name, rest, &kwargs, &["sep", "bytes_per_sep"])?;
            let per = match &a[1] {
                Some(v) => cint_arg(m, v)?,
                None => 1,
            };
            hex(m, &b, a[0].as_ref(), per)?
        }
        BytesJoin => {
            let iterable = one_arg(m, "bytes", name, rest, &kwargs)?.clone();
            let items = join_items(m, &iterable)?;
            let mut out = Vec::new();
            for (i, v) in items.iter().enumerate() {
                let Some(p) = bytes_like(m, v) else {
                    let tn = m.type_name_of(v);
                    return Err(m.type_error(format!(
                        "sequence item {i}: expected a bytes-like object, {tn} found"
                    )));
                };
                if i > 0 {
                    out.extend_from_slice(&b);
                }
                out.extend_from_slice(&p);
                check_size(m, out.len() as u128)?;
            }
            bytes_value(out)
        }
        BytesSplit | BytesRsplit => {
            let a = bind_args(m, name, rest, &kwargs, &["sep", "maxsplit"])?;
            let sep = match &a[0] {
                None | Some(Value::None) => None,
                Some(v) => Some(need_bytes(m, v)?),
            };
            let maxsplit = match &a[1] {
                Some(v) => ssize_arg(m, v)?,
                None => -1,
            };
            let pieces = match (&sep, id == BytesSplit) {
                (Some(sep), _) if sep.is_empty() => {
                    return Err(m.new_error("ValueError", "empty separator".into()));
                }
                (Some(sep), true) => split_on(&b, sep, maxsplit),
                (Some(sep), false) => rsplit_on(&b, sep, maxsplit),
                (None, true) => split_ws(&b, is_space, maxsplit),
                (None, false) => rsplit_ws(&b, is_space, maxsplit),
            };
            bytes_list(m, &pieces)
        }
        BytesSplitlines => {
            let a = bind_args(m, name, rest, &kwargs, &["keepends"])?;
            let keepends = match &a[0] {
                Some(v) => cint_arg(m, v)? != 0,
                None => false,
            };
            let pieces = splitlines_of(&b, |c| c == b'\n' || c == b'\r', b'\r', b'\n', keepends);
            bytes_list(m, &pieces)
        }
        BytesStrip | BytesLstrip | BytesRstrip => {
            no_kwargs(m, "bytes", name, &kwargs, true)?;
            arg_count(m, name, &rest.to_vec(), 0, 1)?;
            let chars = match rest.first() {
                None | Some(Value::None) => None,
                Some(v) => Some(need_bytes(m, v)?),
            };
            let (left, right) = (id != BytesRstrip, id != BytesLstrip);
            let out = match &chars {
                Some(set) => strip_by(&b, |c| set.contains(&c), left, right),
                None => strip_by(&b, is_space, left, right),
            };
            bytes_value(out.to_vec())
        }
        BytesReplace => {
            no_kwargs(m, "bytes", name, &kwargs, true)?;
            arg_count(m, name, &rest.to_vec(), 2, 3)?;
            let old = need_bytes(m, &rest[0])?;
            let new = need_bytes(m, &rest[1])?;
            let count = match rest.get(2) {
                Some(v) => ssize_arg(m, v)?,
                None => -1,
            };
            match replace_in(&b, &old, &new, count) {
                Some(out) => bytes_value(out),
                None => return Err(m.new_error_args("MemoryError", vec![])),
            }
        }
        BytesFind | BytesRfind | BytesIndex | BytesRindex | BytesCount => {
            var_args(m, name, rest, &kwargs, 1, 3)?;
            let sub = needle(m, &rest[0])?;
            let start = slice_bound(m, rest.get(1))?;
            let end = slice_bound(m, rest.get(2))?;
            if id == BytesCount {
                return Ok(Value::int(count_slice(&b, &sub, start, end)));
            }
            let i = find_slice(&b, &sub, start, end, matches!(id, BytesRfind | BytesRindex));
            if i < 0 && matches!(id, BytesIndex | BytesRindex) {
                return Err(m.new_error("ValueError", "subsection not found".into()));
            }
            Value::int(i)
        }
        BytesStartswith | BytesEndswith => {
            var_args(m, name, rest, &kwargs, 1, 3)?;
            let start = slice_bound(m, rest.get(1))?;
            let end = slice_bound(m, rest.get(2))?;
            let at_end = id == BytesEndswith;
            if let Value::Tuple(t) = &rest[0] {
                for v in t.iter() {
                    let p = need_bytes(m, v)?;
                    if tailmatch(&b, &p, start, end, at_end) {
                        return Ok(Value::Bool(true));
                    }
                }
                return Ok(Value::Bool(false));
            }
            let Some(p) = bytes_like(m, &rest[0]) else {
                let tn = m.type_name_of(&rest[0]);
                return Err(m.type_error(format!(
                    "{name} first arg must be bytes or a tuple of bytes, not {tn}"
                )));
            };
            Value::Bool(tailmatch(&b, &p, start, end, at_end))
        }
        BytesCenter | BytesLjust | BytesRjust => {
            no_kwargs(m, "bytes", name, &kwargs, true)?;
            arg_count(m, name, &rest.to_vec(), 1, 2)?;
            let width = ssize_arg(m, &rest[0])?;
            let fill = match rest.get(1) {
                None => b' ',
                Some(v) => match bytes_like(m, v) {
                    Some(f) if f.len() == 1 => f[0],
                    _ => {
                        let tn = m.type_name_of(v);
                        return Err(m.type_error(format!(
                            "{name}() argument 2 must be a byte string of length 1, not {tn}"
                        )));
                    }
                },
            };
            let kind = match id {
                BytesCenter => 'c',
                BytesLjust => 'l',
                _ => 'r',
            };
            let (left, right) = justify_margins(b.len(), width, kind);
            check_size(m, (b.len() + left + right) as u128)?;
            bytes_value(pad(&b, left, right, fill))
        }
        BytesZfill => {
            let width = one_arg(m, "bytes", name, rest, &kwargs)?.clone();
            let width = usize::try_from(ssize_arg(m, &width)?).unwrap_or(0);
            check_size(m, width as u128)?;
            bytes_value(zfill_of(&b, width, b'0', b'+', b'-'))
        }
        BytesExpandtabs => {
            let a = bind_args(m, name, rest, &kwargs, &["tabsize"])?;
            let tabsize = match &a[0] {
                Some(v) => cint_arg(m, v)?,
                None => 8,
            };
            check_size(m, expandtabs_len(&b, tabsize, b'\t', b'\r', b'\n'))?;
            bytes_value(expandtabs_of(&b, tabsize, b'\t', b'\r', b'\n', b' '))
        }
        BytesPartition | BytesRpartition => {
            let sep = one_arg(m, "bytes", name, rest, &kwargs)?.clone();
            let sep = need_bytes(m, &sep)?;
            if sep.is_empty() {
                return Err(m.new_error("ValueError", "empty separator".into()));
            }
            let found = if id == BytesPartition {
                find_in(&b, &sep)
            } else {
                rfind_in(&b, &sep)
            };
            let parts: [&[u8]; 3] = match found {
                Some(i) => [&b[..i], &sep, &b[i + sep.len()..]],
                None if id == BytesPartition => [&b, &[], &[]],
                None => [&[], &[], &b],
            };
            Value::tuple(parts.iter().map(|p| bytes_value(p.to_vec())).collect())
        }
        BytesRemoveprefix | BytesRemovesuffix => {
            let affix = one_arg(m, "bytes", name, rest, &kwargs)?.clone();
            let affix = need_bytes(m, &affix)?;
            let out = if id == BytesRemoveprefix {
                b.strip_prefix(affix.as_slice())
            } else {
                b.strip_suffix(affix.as_slice())
            };
            bytes_value(out.unwrap_or(&b).to_vec())
        }
        _ => {
            return Err(Fault::Stuck(format!(
                "bytes_method called for {name}, not a bytes method"
            )))
        }
    })
}
