//! The marshal reader: every fixture of `tests/data/` decodes to what
//! CPython 3.9 decodes (see `scripts/gen_marshal_fixtures.py`), and every
//! kind of malformed input gives its own error at the right byte offset.

mod common;

use common::*;
use num_bigint::BigInt;
use pyreg_frontend::marshal::{
    load_code, loads, loads_constant, loads_prefix, to_constant, MarshalError,
    MarshalErrorKind as K, MarshalValue, MAX_MARSHAL_STACK_DEPTH,
};
use pyreg_spec::code::{flags, Constant, PyStr};
use std::sync::Arc;

// ---------------------------------------------------------------------------
// Fixtures

#[test]
fn value_fixtures_decode_like_cpython() {
    let cases = value_cases();
    assert!(cases.len() >= 70, "only {} cases", cases.len());
    for case in &cases {
        let (value, consumed) =
            loads_prefix(&case.bytes).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        check_value(&value, &case.expected, &case.name);
        assert_eq!(
            consumed,
            case.consumed.unwrap_or(case.bytes.len()),
            "{}: bytes consumed",
            case.name
        );
        if is_constant(&case.expected) {
            let c = to_constant(&value).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            check_constant(&c, &case.expected, &case.name);
            let c = loads_constant(&case.bytes).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            check_constant(&c, &case.expected, &case.name);
        } else {
            let kind = to_constant(&value).expect_err(&case.name);
            assert!(
                matches!(kind, K::UnsupportedConstant { .. }),
                "{}",
                case.name
            );
            assert!(loads_constant(&case.bytes).is_err(), "{}", case.name);
        }
    }
}

#[test]
fn every_type_code_is_covered_by_the_fixtures() {
    let mut seen = std::collections::BTreeSet::new();
    let mut bytes: Vec<Vec<u8>> = value_cases().into_iter().map(|c| c.bytes).collect();
    bytes.push(data("program.marshal"));
    for b in &bytes {
        for &x in b {
            seen.insert(x & 0x7f);
        }
    }
    // Every code CPython 3.9 writes or reads, except '0' (only in a dict
    // or crafted input, tested below) and '?' (an error).
    for code in b"NFTS.iIfgxylstr()[{<>cuaAzZ" {
        assert!(
            seen.contains(code),
            "type code {:?} never appears",
            *code as char
        );
    }
}

#[test]
fn program_fixture_decodes_like_cpython() {
    let expected = json("program.json");
    let code = load_code(&data("program.marshal")).expect("program.marshal");
    check_code(&code, &expected, "program");
    let all = code.walk();
    let names: Vec<String> = all.iter().map(|c| c.name.to_string()).collect();
    assert_eq!(
        names,
        [
            "<module>",
            "counter",
            "bump",
            "pos_only",
            "<listcomp>",
            "Point",
            "__init__",
            "norm",
            "gen",
            "coro",
            "<lambda>"
        ]
    );
    let bump = &all[2];
    assert_eq!(bump.freevars, vec![PyStr::from("count")]);
    assert_eq!(all[1].cellvars, vec![PyStr::from("count")]);
    assert_eq!(bump.flags & flags::NOFREE, 0);
    assert_ne!(all[0].flags & flags::NOFREE, 0);
    // Shared strings come back as the same value through references.
    assert_eq!(all[1].filename, PyStr::from("program.py"));
    assert_eq!(all[9].filename, all[1].filename);
}

#[test]
fn lone_surrogates_keep_their_code_points() {
    let v = loads(b"u\x05\x00\x00\x00a\xed\xa0\x80b").unwrap();
    let MarshalValue::Str(s) = v else {
        panic!("{v:?}")
    };
    assert_eq!(s, PyStr::CodePoints(vec![0x61, 0xd800, 0x62].into()));
    // Two surrogate halves stay two code points, as with surrogatepass.
    let v = loads(b"u\x06\x00\x00\x00\xed\xa0\xbd\xed\xb8\x80").unwrap();
    let MarshalValue::Str(s) = v else {
        panic!("{v:?}")
    };
    assert_eq!(s.code_points(), vec![0xd83d, 0xde00]);
}

#[test]
fn one_byte_strings_are_latin1() {
    let v = loads(b"Z\x02\xe9\xff").unwrap();
    let MarshalValue::Str(s) = v else {
        panic!("{v:?}")
    };
    assert_eq!(s.as_str(), Some("\u{e9}\u{ff}"));
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let mut input = b")\x01".repeat(MAX_MARSHAL_STACK_DEPTH - 1);
    input.push(b'N');
    let mut v = loads(&input).expect("depth 2000");
    let mut depth = 1;
    while let MarshalValue::Tuple(items) = v {
        v = items[0].clone();
        depth += 1;
    }
    assert_eq!(depth, MAX_MARSHAL_STACK_DEPTH);
    // And through to_constant too.
    assert!(loads_constant(&input).is_ok());
}

#[test]
fn references_share_the_value() {
    let shared = b"\xdb\x02\x00\x00\x00\xe9\x01\x00\x00\x00\xe9\x02\x00\x00\x00";
    let mut input = b")\x02".to_vec();
    input.extend_from_slice(shared);
    input.extend_from_slice(b"r\x00\x00\x00\x00");
    let MarshalValue::Tuple(items) = loads(&input).unwrap() else {
        panic!()
    };
    let (MarshalValue::List(a), MarshalValue::List(b)) = (&items[0], &items[1]) else {
        panic!("{items:?}")
    };
    assert!(Arc::ptr_eq(a, b));
}

#[test]
fn code_object_constants_convert() {
    let c = loads_constant(b")\x03\xe9\x07\x00\x00\x00>\x01\x00\x00\x00Fz\x01x").unwrap();
    let Constant::Tuple(items) = c else {
        panic!("{c:?}")
    };
    assert!(matches!(&items[0], Constant::Int(i) if *i == BigInt::from(7)));
    assert!(
        matches!(&items[1], Constant::FrozenSet(f) if matches!(f[..], [Constant::Bool(false)]))
    );
    assert!(matches!(&items[2], Constant::Str(s) if s.as_str() == Some("x")));
    assert_eq!(
        to_constant(&MarshalValue::StopIteration).unwrap_err(),
        K::UnsupportedConstant { found: "type" }
    );
}

#[test]
fn errors_display_their_offset() {
    let e = loads(b")\x02N\x01").unwrap_err();
    assert_eq!(
        e.to_string(),
        "bad marshal data at byte 3: unknown type code 0x01"
    );
    assert_eq!(e.clone().shifted(16).offset, 19);
}

// ---------------------------------------------------------------------------
// Encoding helpers for the malformed cases

fn i32le(v: i32) -> [u8; 4] {
    v.to_le_bytes()
}

fn bytes_obj(b: &[u8]) -> Vec<u8> {
    let mut out = vec![b's'];
    out.extend_from_slice(&i32le(b.len() as i32));
    out.extend_from_slice(b);
    out
}

fn short_str(s: &str) -> Vec<u8> {
    let mut out = vec![b'z', s.len() as u8];
    out.extend_from_slice(s.as_bytes());
    out
}

fn int_obj(v: i32) -> Vec<u8> {
    let mut out = vec![b'i'];
    out.extend_from_slice(&i32le(v));
    out
}

fn small_tuple(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![b')', items.len() as u8];
    for i in items {
        out.extend_from_slice(i);
    }
    out
}

/// The pieces of a marshalled code object; the default is a valid one.
#[derive(Clone)]
struct CodeParts {
    header: [i32; 6],
    fields: [Vec<u8>; 8],
    firstlineno: i32,
    lnotab: Vec<u8>,
}

impl Default for CodeParts {
    fn default() -> CodeParts {
        CodeParts {
            header: [1, 0, 0, 1, 1, 0x43],
            fields: [
                bytes_obj(b"d\x00S\x00"),
                small_tuple(&[b"N".to_vec()]),
                small_tuple(&[]),
                small_tuple(&[short_str("a")]),
                small_tuple(&[]),
                small_tuple(&[]),
                short_str("f.py"),
                short_str("f"),
            ],
            firstlineno: 1,
            lnotab: bytes_obj(b""),
        }
    }
}

impl CodeParts {
    /// The encoding and the offsets of the 8 object fields, then of
    /// `co_firstlineno`, then of `co_lnotab`.
    fn encode(&self) -> (Vec<u8>, [usize; 10]) {
        let mut out = vec![b'c'];
        for h in self.header {
            out.extend_from_slice(&i32le(h));
        }
        let mut offsets = [0; 10];
        for (i, f) in self.fields.iter().enumerate() {
            offsets[i] = out.len();
            out.extend_from_slice(f);
        }
        offsets[8] = out.len();
        out.extend_from_slice(&i32le(self.firstlineno));
        offsets[9] = out.len();
        out.extend_from_slice(&self.lnotab);
        (out, offsets)
    }
}

fn code_with(f: impl FnOnce(&mut CodeParts)) -> (Vec<u8>, [usize; 10]) {
    let mut parts = CodeParts::default();
    f(&mut parts);
    parts.encode()
}

#[test]
fn the_default_code_parts_are_valid() {
    let (bytes, _) = CodeParts::default().encode();
    let code = load_code(&bytes).expect("valid code object");
    assert_eq!(code.argcount, 1);
    assert_eq!(code.varnames, vec![PyStr::from("a")]);
    // NOFREE is set as CPython sets it.
    assert_eq!(code.flags, 0x43 | flags::NOFREE);
}

fn expect_err(input: &[u8], offset: usize, kind: K) {
    match loads(input) {
        Ok(v) => panic!("expected {kind:?} at {offset}, got {v:?}"),
        Err(e) => assert_eq!(e, MarshalError { offset, kind }, "{e}"),
    }
}

macro_rules! malformed {
    ($($name:ident: $input:expr => $offset:expr, $kind:expr;)*) => {
        $(
            #[test]
            fn $name() {
                let (input, offset): (Vec<u8>, usize) = ($input.to_vec(), $offset);
                expect_err(&input, offset, $kind);
            }
        )*
        /// The number of malformed-input cases above.
        const MALFORMED_CASES: usize = [$(stringify!($name)),*].len();
    };
}

fn deep_tuples(levels: usize) -> Vec<u8> {
    let mut v = b")\x01".repeat(levels);
    v.push(b'N');
    v
}

/// A tuple whose nesting is 2001 only once a reference is resolved: every
/// object is read at a depth of at most 2000.
fn deep_through_refs() -> (Vec<u8>, usize) {
    let mut v = b")\x02\xa9\x01".to_vec();
    v.extend_from_slice(&deep_tuples(MAX_MARSHAL_STACK_DEPTH - 3));
    let at = v.len();
    v.extend_from_slice(b")\x01r\x00\x00\x00\x00");
    (v, at)
}

malformed! {
    empty_input: b"" => 0, K::Truncated { needed: 1, available: 0 };
    unknown_type_code: b"\x01" => 0, K::UnknownType { code: 0x01 };
    unknown_type_code_with_flag: b"\xff" => 0, K::UnknownType { code: 0xff };
    unknown_type_code_nested: b")\x02N\x01" => 3, K::UnknownType { code: 0x01 };
    unmarshallable_marker: b"[\x01\x00\x00\x00?" => 5, K::Unmarshallable;
    null_at_top_level: b"0" => 0, K::NullObject { context: "object" };
    null_in_tuple: b")\x02N0" => 3, K::NullObject { context: "tuple" };
    null_in_list: b"[\x01\x00\x00\x000" => 5, K::NullObject { context: "list" };
    null_in_frozenset: b">\x01\x00\x00\x000" => 5, K::NullObject { context: "set" };
    truncated_int: b"i\x01\x02" => 1, K::Truncated { needed: 4, available: 2 };
    truncated_int64: b"I\x00" => 1, K::Truncated { needed: 8, available: 1 };
    truncated_binary_float: b"g\x00\x00\x00\x00\x00\x00\xf0" => 1, K::Truncated { needed: 8, available: 7 };
    truncated_binary_complex: b"y\x00\x00\x00\x00\x00\x00\xf0\x3f\x00\x00\x00" => 9, K::Truncated { needed: 8, available: 3 };
    truncated_tuple_items: b")\x03NN" => 2, K::Truncated { needed: 3, available: 2 };
    truncated_list_item: b"[\x02\x00\x00\x00)\x01" => 7, K::Truncated { needed: 1, available: 0 };
    truncated_dict_without_null: b"{NN" => 3, K::Truncated { needed: 1, available: 0 };
    truncated_bytes: b"s\x10\x00\x00\x00abc" => 5, K::Truncated { needed: 16, available: 3 };
    truncated_short_ascii: b"z\x05ab" => 2, K::Truncated { needed: 5, available: 2 };
    absurd_bytes_length: b"s\xff\xff\xff\x7f" => 5, K::Truncated { needed: 0x7fff_ffff, available: 0 };
    absurd_tuple_length: b"(\xff\xff\xff\x7fN" => 5, K::Truncated { needed: 0x7fff_ffff, available: 1 };
    absurd_string_length: b"u\x00\x00\x00\x40xyz" => 5, K::Truncated { needed: 0x4000_0000, available: 3 };
    negative_bytes_length: b"s\xff\xff\xff\xff" => 1, K::NegativeLength { what: "bytes object", value: -1 };
    negative_tuple_length: b"(\x00\x00\x00\x80" => 1, K::NegativeLength { what: "tuple", value: i32::MIN };
    negative_list_length: b"[\xfe\xff\xff\xff" => 1, K::NegativeLength { what: "list", value: -2 };
    negative_set_length: b"<\xff\xff\xff\xff" => 1, K::NegativeLength { what: "set", value: -1 };
    negative_frozenset_length: b")\x01>\xff\xff\xff\xff" => 3, K::NegativeLength { what: "set", value: -1 };
    negative_unicode_length: b"u\xfe\xff\xff\xff" => 1, K::NegativeLength { what: "string", value: -2 };
    negative_ascii_length: b"A\xfe\xff\xff\xff" => 1, K::NegativeLength { what: "string", value: -2 };
    long_size_out_of_range: b"l\x00\x00\x00\x80" => 1, K::LongSizeOutOfRange { value: i32::MIN };
    long_digit_out_of_range: b"l\x02\x00\x00\x00\x01\x00\x00\x80" => 7, K::LongDigitOutOfRange { digit: 0x8000 };
    long_unnormalized: b"l\xfe\xff\xff\xff\x01\x00\x00\x00" => 7, K::UnnormalizedLong;
    long_truncated: b"l\x03\x00\x00\x00\x01\x00" => 7, K::Truncated { needed: 2, available: 0 };
    absurd_long_length: b"l\xff\xff\xff\x7f\x01\x00" => 7, K::Truncated { needed: 2, available: 0 };
    invalid_utf8_byte: b"u\x03\x00\x00\x00a\xffb" => 6, K::InvalidUtf8;
    overlong_utf8: b"t\x02\x00\x00\x00\xc0\x80" => 5, K::InvalidUtf8;
    utf8_cut_in_the_middle: b"u\x02\x00\x00\x00a\xe2" => 6, K::InvalidUtf8;
    utf8_beyond_unicode: b"u\x04\x00\x00\x00\xf4\x90\x80\x80" => 5, K::InvalidUtf8;
    float_text_not_a_number: b"f\x03abc" => 2, K::InvalidFloat { text: "abc".into() };
    float_text_with_space: b"f\x04 1.5" => 2, K::InvalidFloat { text: " 1.5".into() };
    float_text_empty: b"f\x00" => 2, K::InvalidFloat { text: String::new() };
    complex_text_bad_imaginary: b"x\x011\x021j" => 4, K::InvalidFloat { text: "1j".into() };
    float_text_truncated: b"f\x051.5" => 2, K::Truncated { needed: 5, available: 3 };
    ref_into_empty_table: b"r\x00\x00\x00\x00" => 1, K::InvalidRef { index: 0, len: 0 };
    ref_negative: b")\x02\xe9\x01\x00\x00\x00r\xff\xff\xff\xff" => 8, K::InvalidRef { index: -1, len: 1 };
    ref_past_the_end: b")\x02\xe9\x01\x00\x00\x00r\x01\x00\x00\x00" => 8, K::InvalidRef { index: 1, len: 1 };
    ref_to_unflagged_object: b")\x02i\x01\x00\x00\x00r\x00\x00\x00\x00" => 8, K::InvalidRef { index: 0, len: 0 };
    ref_to_tuple_being_read: b"\xa9\x01r\x00\x00\x00\x00" => 3, K::IncompleteRef { index: 0 };
    ref_to_frozenset_being_read: b"\xbe\x01\x00\x00\x00r\x00\x00\x00\x00" => 6, K::IncompleteRef { index: 0 };
    ref_to_dict_being_read: b"\xfbNr\x00\x00\x00\x00" => 3, K::IncompleteRef { index: 0 };
    singleton_flag_makes_no_slot: b")\x02\xcer\x00\x00\x00\x00" => 4, K::InvalidRef { index: 0, len: 0 };
    nesting_too_deep: deep_tuples(MAX_MARSHAL_STACK_DEPTH) => 2 * MAX_MARSHAL_STACK_DEPTH, K::TooDeep;
    nesting_too_deep_in_lists: {
        let mut v = b"[\x01\x00\x00\x00".repeat(3000);
        v.push(b'N');
        v
    } => 5 * MAX_MARSHAL_STACK_DEPTH, K::TooDeep;
    nesting_too_deep_through_refs: deep_through_refs().0 => deep_through_refs().1, K::TooDeep;
    unhashable_dict_key: b"{[\x00\x00\x00\x00N0" => 1, K::Unhashable { found: "list" };
    unhashable_set_element: b"<\x01\x00\x00\x00)\x01{0" => 5, K::Unhashable { found: "dict" };
    unhashable_frozenset_element: b">\x01\x00\x00\x00<\x00\x00\x00\x00" => 5, K::Unhashable { found: "set" };
    code_negative_argcount: code_with(|p| p.header[0] = -1).0 => 1, K::NegativeCodeField { field: "co_argcount", value: -1 };
    code_negative_stacksize: code_with(|p| p.header[4] = -5).0 => 17, K::NegativeCodeField { field: "co_stacksize", value: -5 };
    code_negative_flags: code_with(|p| p.header[5] = i32::MIN).0 => 21, K::NegativeCodeField { field: "co_flags", value: i32::MIN };
    code_posonly_exceeds_argcount: code_with(|p| p.header[1] = 2).0 => 5, K::PosOnlyExceedsArgCount { argcount: 1, posonlyargcount: 2 };
    code_truncated_header: code_with(|_| ()).0[..11] => 9, K::Truncated { needed: 4, available: 2 };
    code_co_code_not_bytes: code_with(|p| p.fields[0] = int_obj(3)).0 => 25, K::CodeFieldType { field: "co_code", expected: "bytes", found: "int" };
    code_consts_not_tuple: {
        let (b, o) = code_with(|p| p.fields[1] = b"[\x00\x00\x00\x00".to_vec());
        (b, o[1])
    }.0 => code_with(|p| p.fields[1] = b"[\x00\x00\x00\x00".to_vec()).1[1],
        K::CodeFieldType { field: "co_consts", expected: "tuple", found: "list" };
    code_const_is_a_list: code_with(|p| p.fields[1] = b")\x02N[\x00\x00\x00\x00".to_vec()).0
        => code_with(|_| ()).1[1] + 3, K::UnsupportedConstant { found: "list" };
    code_const_is_stopiteration: code_with(|p| p.fields[1] = b")\x01)\x01S".to_vec()).0
        => code_with(|_| ()).1[1] + 4, K::UnsupportedConstant { found: "type" };
    code_name_is_an_int: code_with(|p| p.fields[2] = small_tuple(&[short_str("x"), int_obj(1)])).0
        => code_with(|_| ()).1[2], K::CodeNameType { field: "co_names", index: 1, found: "int" };
    code_freevars_not_tuple: code_with(|p| p.fields[4] = b"N".to_vec()).0
        => code_with(|_| ()).1[4], K::CodeFieldType { field: "co_freevars", expected: "tuple", found: "NoneType" };
    code_filename_is_bytes: code_with(|p| p.fields[6] = bytes_obj(b"f.py")).0
        => code_with(|_| ()).1[6], K::CodeFieldType { field: "co_filename", expected: "str", found: "bytes" };
    code_name_is_null: code_with(|p| p.fields[7] = b"0".to_vec()).0
        => code_with(|_| ()).1[7], K::NullObject { context: "code object" };
    code_negative_firstlineno: code_with(|p| p.firstlineno = -3).0
        => code_with(|_| ()).1[8], K::NegativeCodeField { field: "co_firstlineno", value: -3 };
    code_lnotab_is_str: code_with(|p| p.lnotab = short_str("")).0
        => code_with(|_| ()).1[9], K::CodeFieldType { field: "co_lnotab", expected: "bytes", found: "str" };
    code_varnames_too_small: code_with(|p| p.header[0] = 2).0
        => code_with(|_| ()).1[3], K::VarnamesTooSmall { needed: 2, len: 1 };
    code_varnames_too_small_for_varargs: code_with(|p| p.header[5] |= 0x0c).0
        => code_with(|_| ()).1[3], K::VarnamesTooSmall { needed: 3, len: 1 };
    code_refers_to_itself: {
        let mut b = code_with(|p| p.fields[0] = b"r\x00\x00\x00\x00".to_vec()).0;
        b[0] |= 0x80;
        b
    } => 26, K::IncompleteRef { index: 0 };
    code_nested_code_is_bad: {
        let (inner, _) = code_with(|p| p.fields[0] = b"N".to_vec());
        let mut inner_tuple = vec![b')', 1];
        inner_tuple.extend_from_slice(&inner);
        code_with(|p| p.fields[1] = inner_tuple).0
    } => code_with(|_| ()).1[1] + 2 + 25, K::CodeFieldType { field: "co_code", expected: "bytes", found: "NoneType" };
}

// At least 30 distinct malformed inputs, each with its kind and offset.
const _: () = assert!(MALFORMED_CASES >= 30);

#[test]
fn load_code_needs_a_code_object() {
    assert_eq!(
        load_code(b")\x00").unwrap_err(),
        MarshalError::new(0, K::NotCode { found: "tuple" })
    );
    assert_eq!(
        load_code(b"").unwrap_err(),
        MarshalError::new(
            0,
            K::Truncated {
                needed: 1,
                available: 0
            }
        )
    );
}

#[test]
fn loads_constant_reports_the_offending_value() {
    assert_eq!(
        loads_constant(b")\x02N)\x01{0").unwrap_err(),
        MarshalError::new(5, K::UnsupportedConstant { found: "dict" })
    );
}

#[test]
fn copying_a_huge_int_through_references_hits_the_budget() {
    // A 75 KB int, then thousands of references to it in a tuple: each
    // reference would copy it into the tuple's constant form.
    let digits = 40_000u32;
    let mut input = b")\x02\xec".to_vec();
    input.extend_from_slice(&i32le(digits as i32));
    for _ in 0..digits {
        input.extend_from_slice(&0x7fffu16.to_le_bytes());
    }
    let count = 4000;
    let refs_start = input.len() + 5;
    input.push(b'(');
    input.extend_from_slice(&i32le(count));
    for _ in 0..count {
        input.extend_from_slice(b"r\x00\x00\x00\x00");
    }
    let e = loads(&input).unwrap_err();
    assert_eq!(e.kind, K::ResourceLimit);
    assert!(
        e.offset >= refs_start && (e.offset - refs_start).is_multiple_of(5),
        "{e}"
    );
}

/// The workspace's golden code objects (written by CPython 3.9 for the
/// disassembler tests) all load.
#[test]
fn golden_code_objects_load() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/dis");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "marshal") {
            let bytes = std::fs::read(&path).expect("read golden file");
            let code = load_code(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!code.code.is_empty(), "{}", path.display());
        }
    }
}
