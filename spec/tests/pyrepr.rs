//! Checks `repr` of constants against CPython 3.9 (golden data from
//! scripts/gen_repr_golden.py), and printability against CPython for every
//! code point.

use num_bigint::BigInt;
use pyreg_spec::code::{CodeObject, Constant, PyStr};
use pyreg_spec::pyrepr::{
    is_printable, repr_bytes, repr_complex, repr_constant, repr_constant_with, repr_float,
    repr_int, repr_str, PLACEHOLDER_CODE_ADDRESS, UNICODE_VERSION,
};
use serde_json::Value;
use std::sync::Arc;

fn golden() -> Value {
    let text = include_str!("data/repr_golden.json");
    serde_json::from_str(text).expect("golden repr data parses")
}

fn float_from_hex(v: &Value) -> f64 {
    let h = v.as_str().expect("float bits are a hex string");
    f64::from_bits(u64::from_str_radix(h, 16).expect("float bits are hex"))
}

fn str_from_points(v: &Value) -> PyStr {
    let points: Vec<u32> = v
        .as_array()
        .expect("a string is a list of code points")
        .iter()
        .map(|p| p.as_u64().expect("a code point is a number") as u32)
        .collect();
    PyStr::from_code_points(&points)
}

fn bytes_from_hex(h: &str) -> Vec<u8> {
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("bytes are hex"))
        .collect()
}

fn code_object(name: PyStr, filename: PyStr, firstlineno: u32) -> CodeObject {
    CodeObject {
        argcount: 0,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals: 0,
        stacksize: 1,
        flags: 0,
        code: Arc::from(&b"d\x00S\x00"[..]),
        consts: vec![Constant::None],
        names: Vec::new(),
        varnames: Vec::new(),
        freevars: Vec::new(),
        cellvars: Vec::new(),
        filename,
        name,
        firstlineno,
        lnotab: Arc::from(&[][..]),
    }
}

/// Decodes the script's encoding of a constant (see its docstring).
fn decode(v: &Value) -> Constant {
    let a = v.as_array().expect("a constant is a JSON list");
    let items = |v: &Value| -> Arc<[Constant]> {
        v.as_array()
            .expect("container items are a list")
            .iter()
            .map(decode)
            .collect()
    };
    match a[0].as_str().expect("a constant starts with its kind") {
        "None" => Constant::None,
        "Ellipsis" => Constant::Ellipsis,
        "bool" => Constant::Bool(a[1].as_bool().unwrap()),
        "int" => Constant::Int(a[1].as_str().unwrap().parse::<BigInt>().unwrap()),
        "float" => Constant::Float(float_from_hex(&a[1])),
        "complex" => Constant::Complex(float_from_hex(&a[1]), float_from_hex(&a[2])),
        "str" => Constant::Str(str_from_points(&a[1])),
        "bytes" => Constant::Bytes(bytes_from_hex(a[1].as_str().unwrap()).into()),
        "tuple" => Constant::Tuple(items(&a[1])),
        "frozenset" => Constant::FrozenSet(items(&a[1])),
        "code" => Constant::Code(Arc::new(code_object(
            str_from_points(&a[1]),
            str_from_points(&a[2]),
            a[3].as_u64().unwrap() as u32,
        ))),
        kind => panic!("unknown constant kind {kind}"),
    }
}

/// The kind-specific function's output, to test each one directly and not
/// only through `repr_constant`'s dispatch.
fn direct_repr(c: &Constant) -> Option<String> {
    match c {
        Constant::Int(i) => Some(repr_int(i)),
        Constant::Float(f) => Some(repr_float(*f)),
        Constant::Complex(re, im) => Some(repr_complex(*re, *im)),
        Constant::Str(s) => Some(repr_str(s)),
        Constant::Bytes(b) => Some(repr_bytes(b)),
        _ => None,
    }
}

#[test]
fn golden_data_is_from_cpython_3_9_with_our_unicode_version() {
    let g = golden();
    assert!(g["version"].as_str().unwrap().starts_with("3.9."));
    let (major, minor, micro) = UNICODE_VERSION;
    assert_eq!(
        g["unicode_version"].as_str().unwrap(),
        format!("{major}.{minor}.{micro}")
    );
    assert_eq!(
        g["code_address"].as_str().unwrap(),
        PLACEHOLDER_CODE_ADDRESS
    );
}

#[test]
fn every_golden_constant_reprs_as_cpython_does() {
    let g = golden();
    let cases = g["cases"].as_array().unwrap();
    assert!(cases.len() > 4000, "golden data has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let c = decode(&case["value"]);
        let expected = case["repr"].as_str().unwrap();
        let actual = repr_constant(&c);
        if actual != expected {
            failures.push(format!(
                "{:?}\n    expected {expected:?}\n    actual   {actual:?}",
                case["value"]
            ));
        } else if let Some(direct) = direct_repr(&c) {
            if direct != expected {
                failures.push(format!(
                    "{:?} (direct)\n    expected {expected:?}\n    actual   {direct:?}",
                    case["value"]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from CPython; the first ones:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn printability_matches_cpython_for_every_code_point() {
    let g = golden();
    let mut nonprintable = vec![false; 0x11_0000];
    for range in g["nonprintable"].as_array().unwrap() {
        let lo = range[0].as_u64().unwrap() as usize;
        let hi = range[1].as_u64().unwrap() as usize;
        nonprintable[lo..=hi].iter_mut().for_each(|x| *x = true);
    }
    let wrong: Vec<String> = (0..=0x10_FFFFu32)
        .filter(|&cp| is_printable(cp) == nonprintable[cp as usize])
        .map(|cp| {
            format!(
                "U+{cp:04X} (CPython printable: {})",
                !nonprintable[cp as usize]
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} code points differ in printability; the first ones:\n{}",
        wrong.len(),
        wrong[..wrong.len().min(20)].join("\n")
    );
    assert!(!is_printable(0x11_0000));
    assert!(!is_printable(u32::MAX));
}

#[test]
fn code_objects_take_their_address_from_the_caller() {
    let inner = Arc::new(code_object("g".into(), "m.py".into(), 0));
    let outer = Constant::Tuple(Arc::from(vec![
        Constant::Code(Arc::new(code_object("<lambda>".into(), "m.py".into(), 3))),
        Constant::Code(inner),
    ]));
    let mut n = 0;
    let text = repr_constant_with(&outer, &mut |code| {
        n += 1;
        format!("0x{n}{}", code.name)
    });
    assert_eq!(
        text,
        "(<code object <lambda> at 0x1<lambda>, file \"m.py\", line 3>, \
         <code object g at 0x2g, file \"m.py\", line -1>)"
    );
}

#[test]
fn hand_picked_examples() {
    assert_eq!(repr_float(1e16), "1e+16");
    assert_eq!(repr_float(1.5e-5), "1.5e-05");
    assert_eq!(repr_float(1e-4), "0.0001");
    assert_eq!(repr_float(123.0), "123.0");
    assert_eq!(repr_float(-0.0), "-0.0");
    assert_eq!(repr_float(-f64::NAN), "nan");
    assert_eq!(repr_complex(-0.0, -1.0), "(-0-1j)");
    assert_eq!(repr_complex(0.0, -1.0), "-1j");
    assert_eq!(repr_complex(f64::NAN, f64::INFINITY), "(nan+infj)");
    assert_eq!(repr_str(&"it's".into()), "\"it's\"");
    assert_eq!(repr_str(&"'\"".into()), "'\\'\"'");
    assert_eq!(
        repr_str(&PyStr::from_code_points(&[0xd800, 0x41])),
        "'\\ud800A'"
    );
    assert_eq!(repr_bytes(b"\x00'\x7f"), "b\"\\x00'\\x7f\"");
    assert_eq!(
        repr_constant(&Constant::Tuple(Arc::from(vec![Constant::Int(1.into())]))),
        "(1,)"
    );
}
