//! `.pyc` files: the header checks and the code object after it.

mod common;

use common::*;
use pyreg_frontend::marshal::{MarshalError, MarshalErrorKind};
use pyreg_frontend::pyc::{
    load_pyc, load_pyc_with_header, magic_version, parse_header, Invalidation, PycError,
    HEADER_LEN, MAGIC,
};

#[test]
fn py_compile_output_loads() {
    let bytes = data("program.pyc");
    let (header, code) = load_pyc_with_header(&bytes).expect("program.pyc");
    assert_eq!(header.flags, 0b11);
    assert!(matches!(
        header.invalidation,
        Invalidation::Hash {
            check_source: true,
            ..
        }
    ));
    check_code(&code, &json("program.json"), "program.pyc");
    let direct = load_pyc(&bytes).unwrap();
    assert_eq!(direct.walk().len(), 11);
}

fn with_header(flags: u32, body: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&0x5f00_0000u32.to_le_bytes());
    out.extend_from_slice(&1234u32.to_le_bytes());
    out.extend_from_slice(body);
    out
}

fn body() -> Vec<u8> {
    data("program.pyc")[HEADER_LEN..].to_vec()
}

#[test]
fn timestamp_header() {
    let header = parse_header(&with_header(0, &body())).unwrap();
    assert_eq!(
        header.invalidation,
        Invalidation::Timestamp {
            mtime: 0x5f00_0000,
            source_size: 1234
        }
    );
    // Bit 1 without bit 0 is allowed (and means nothing), as in CPython.
    assert!(load_pyc(&with_header(0b10, &body())).is_ok());
    assert!(matches!(
        parse_header(&with_header(0b01, &[])).unwrap().invalidation,
        Invalidation::Hash {
            check_source: false,
            ..
        }
    ));
}

#[test]
fn trailing_bytes_after_the_code_object_are_ignored() {
    let mut bytes = data("program.pyc");
    bytes.extend_from_slice(b"junk");
    assert!(load_pyc(&bytes).is_ok());
}

#[test]
fn short_header() {
    assert_eq!(load_pyc(b"").unwrap_err(), PycError::ShortHeader { len: 0 });
    let bytes = data("program.pyc");
    assert_eq!(
        load_pyc(&bytes[..15]).unwrap_err(),
        PycError::ShortHeader { len: 15 }
    );
}

fn with_magic(magic: [u8; 4]) -> Vec<u8> {
    let mut bytes = data("program.pyc");
    bytes[..4].copy_from_slice(&magic);
    bytes
}

#[test]
fn magic_of_python_3_8() {
    let magic = [0x55, 0x0d, 0x0d, 0x0a];
    let e = load_pyc(&with_magic(magic)).unwrap_err();
    assert_eq!(e, PycError::BadMagic { magic });
    let message = e.to_string();
    assert!(
        message.contains("3413") && message.contains("Python 3.8"),
        "{message}"
    );
    assert_eq!(e.python_version().as_deref(), Some("3.8"));
}

#[test]
fn magic_of_other_versions() {
    let m = |n: u16| {
        let [a, b] = n.to_le_bytes();
        [a, b, 0x0d, 0x0a]
    };
    assert_eq!(magic_version(m(3439)).as_deref(), Some("3.10"));
    assert_eq!(magic_version(m(3495)).as_deref(), Some("3.11"));
    assert_eq!(magic_version(m(3531)).as_deref(), Some("3.12"));
    assert_eq!(magic_version(m(3571)).as_deref(), Some("3.13"));
    assert_eq!(magic_version(m(3379)).as_deref(), Some("3.6"));
    assert_eq!(magic_version(m(62211)).as_deref(), Some("2.7"));
    assert_eq!(magic_version(m(3425)).as_deref(), Some("3.9"));
    assert_eq!(magic_version(m(3423)).as_deref(), Some("3.9 (pre-release)"));
    assert_eq!(magic_version(m(7)), None);
    let e = load_pyc(&with_magic(m(3495))).unwrap_err();
    assert!(e.to_string().contains("Python 3.11"), "{e}");
    let e = load_pyc(&with_magic(m(7))).unwrap_err();
    assert!(e.to_string().contains("bad magic number 7"), "{e}");
    assert_eq!(e.python_version(), None);
}

#[test]
fn magic_without_crlf() {
    let magic = *b"\x7fELF";
    let e = load_pyc(&with_magic(magic)).unwrap_err();
    assert_eq!(e, PycError::BadMagic { magic });
    assert!(e.to_string().contains("not a .pyc magic"), "{e}");
}

#[test]
fn unknown_flags() {
    assert_eq!(
        load_pyc(&with_header(0b100, &body())).unwrap_err(),
        PycError::UnknownFlags { flags: 0b100 }
    );
    assert_eq!(
        load_pyc(&with_header(0x8000_0001, &body())).unwrap_err(),
        PycError::UnknownFlags { flags: 0x8000_0001 }
    );
}

#[test]
fn marshal_errors_have_file_offsets() {
    assert_eq!(
        load_pyc(&with_header(0, &[])).unwrap_err(),
        PycError::Marshal(MarshalError::new(
            16,
            MarshalErrorKind::Truncated {
                needed: 1,
                available: 0
            }
        ))
    );
    assert_eq!(
        load_pyc(&with_header(0, b"N")).unwrap_err(),
        PycError::Marshal(MarshalError::new(
            16,
            MarshalErrorKind::NotCode { found: "NoneType" }
        ))
    );
    // The program cut in the middle: the error is past the header.
    let mut bytes = data("program.pyc");
    bytes.truncate(200);
    let PycError::Marshal(e) = load_pyc(&bytes).unwrap_err() else {
        panic!()
    };
    assert!(matches!(e.kind, MarshalErrorKind::Truncated { .. }), "{e}");
    assert!((16..=200).contains(&e.offset), "{e}");
    // The same bytes through the marshal reader directly give the offset
    // 16 bytes earlier.
    let direct = pyreg_frontend::marshal::load_code(&bytes[16..]).unwrap_err();
    assert_eq!(direct.offset + 16, e.offset);
}
