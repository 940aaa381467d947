//! Shared helpers of the frontend tests: the fixtures of `tests/data/` and
//! comparison of decoded values with their JSON description (written by
//! `scripts/gen_marshal_fixtures.py`).
#![allow(dead_code)]

use num_bigint::BigInt;
use pyreg_frontend::marshal::MarshalValue;
use pyreg_spec::code::{CodeObject, Constant, PyStr};
use serde_json::Value;
use std::path::PathBuf;

/// The path of a fixture.
pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name)
}

/// The bytes of a fixture.
pub fn data(name: &str) -> Vec<u8> {
    std::fs::read(data_path(name)).unwrap_or_else(|e| panic!("reading fixture {name}: {e}"))
}

/// A JSON fixture.
pub fn json(name: &str) -> Value {
    serde_json::from_slice(&data(name)).unwrap_or_else(|e| panic!("parsing fixture {name}: {e}"))
}

/// Decodes lowercase hex.
pub fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// One case of `values.json`: name, marshal bytes, expected description,
/// and the number of bytes the value takes when that is not all of them.
pub struct ValueCase {
    pub name: String,
    pub bytes: Vec<u8>,
    pub expected: Value,
    pub consumed: Option<usize>,
}

/// The cases of `values.json`.
pub fn value_cases() -> Vec<ValueCase> {
    let doc = json("values.json");
    doc["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(|c| ValueCase {
            name: c["name"].as_str().expect("name").to_string(),
            bytes: unhex(c["hex"].as_str().expect("hex")),
            expected: c["expected"].clone(),
            consumed: c
                .get("consumed")
                .and_then(Value::as_u64)
                .map(|n| n as usize),
        })
        .collect()
}

fn float_bits(e: &Value, key: &str) -> u64 {
    u64::from_str_radix(e[key].as_str().expect("float bits"), 16).expect("hex bits")
}

fn check_str(s: &PyStr, e: &Value, path: &str) {
    if let Some(v) = e.get("v") {
        assert_eq!(s.as_str(), Some(v.as_str().expect("str")), "{path}");
        assert!(matches!(s, PyStr::Utf8(_)), "{path}: expected UTF-8 form");
    } else {
        let cp: Vec<u32> = e["cp"]
            .as_array()
            .expect("cp")
            .iter()
            .map(|x| x.as_u64().expect("code point") as u32)
            .collect();
        assert_eq!(s.code_points(), cp, "{path}");
        assert!(
            matches!(s, PyStr::CodePoints(_)),
            "{path}: expected code points form"
        );
    }
}

fn check_int(i: &BigInt, e: &Value, path: &str) {
    assert_eq!(i.to_string(), e["v"].as_str().expect("int"), "{path}");
}

fn items<'a>(e: &'a Value, path: &str) -> &'a Vec<Value> {
    e["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: items"))
}

/// Asserts that `v` is what `e` describes.
pub fn check_value(v: &MarshalValue, e: &Value, path: &str) {
    let t = e["t"].as_str().expect("type tag");
    match (v, t) {
        (MarshalValue::None, "None")
        | (MarshalValue::Ellipsis, "Ellipsis")
        | (MarshalValue::StopIteration, "StopIteration") => {}
        (MarshalValue::Bool(b), "bool") => assert_eq!(Some(*b), e["v"].as_bool(), "{path}"),
        (MarshalValue::Int(i), "int") => check_int(i, e, path),
        (MarshalValue::Float(f), "float") => {
            assert_eq!(f.to_bits(), float_bits(e, "bits"), "{path}")
        }
        (MarshalValue::Complex(re, im), "complex") => {
            assert_eq!(re.to_bits(), float_bits(e, "re"), "{path} real");
            assert_eq!(im.to_bits(), float_bits(e, "im"), "{path} imag");
        }
        (MarshalValue::Str(s), "str") => check_str(s, e, path),
        (MarshalValue::Bytes(b), "bytes") => {
            assert_eq!(
                &b[..],
                &unhex(e["hex"].as_str().expect("hex"))[..],
                "{path}"
            )
        }
        (MarshalValue::Tuple(xs), "tuple")
        | (MarshalValue::List(xs), "list")
        | (MarshalValue::Set(xs), "set")
        | (MarshalValue::FrozenSet(xs), "frozenset") => {
            let es = items(e, path);
            assert_eq!(xs.len(), es.len(), "{path}: length");
            for (i, (x, ex)) in xs.iter().zip(es).enumerate() {
                check_value(x, ex, &format!("{path}[{i}]"));
            }
        }
        (MarshalValue::Dict(pairs), "dict") => {
            let es = items(e, path);
            assert_eq!(pairs.len(), es.len(), "{path}: length");
            for (i, ((k, v), ex)) in pairs.iter().zip(es).enumerate() {
                check_value(k, &ex[0], &format!("{path}.key{i}"));
                check_value(v, &ex[1], &format!("{path}.value{i}"));
            }
        }
        (MarshalValue::Code(c), "code") => check_code(c, e, path),
        _ => panic!("{path}: got {v:?}, expected {e}"),
    }
}

/// Asserts that the constant `c` is what `e` describes.
pub fn check_constant(c: &Constant, e: &Value, path: &str) {
    let t = e["t"].as_str().expect("type tag");
    match (c, t) {
        (Constant::None, "None") | (Constant::Ellipsis, "Ellipsis") => {}
        (Constant::Bool(b), "bool") => assert_eq!(Some(*b), e["v"].as_bool(), "{path}"),
        (Constant::Int(i), "int") => check_int(i, e, path),
        (Constant::Float(f), "float") => assert_eq!(f.to_bits(), float_bits(e, "bits"), "{path}"),
        (Constant::Complex(re, im), "complex") => {
            assert_eq!(re.to_bits(), float_bits(e, "re"), "{path} real");
            assert_eq!(im.to_bits(), float_bits(e, "im"), "{path} imag");
        }
        (Constant::Str(s), "str") => check_str(s, e, path),
        (Constant::Bytes(b), "bytes") => {
            assert_eq!(
                &b[..],
                &unhex(e["hex"].as_str().expect("hex"))[..],
                "{path}"
            )
        }
        (Constant::Tuple(xs), "tuple") | (Constant::FrozenSet(xs), "frozenset") => {
            let es = items(e, path);
            assert_eq!(xs.len(), es.len(), "{path}: length");
            for (i, (x, ex)) in xs.iter().zip(es).enumerate() {
                check_constant(x, ex, &format!("{path}[{i}]"));
            }
        }
        (Constant::Code(code), "code") => check_code(code, e, path),
        _ => panic!("{path}: got {c:?}, expected {e}"),
    }
}

fn check_names(names: &[PyStr], e: &Value, path: &str) {
    let expected: Vec<&str> = e
        .as_array()
        .unwrap_or_else(|| panic!("{path}"))
        .iter()
        .map(|x| x.as_str().expect("name"))
        .collect();
    let got: Vec<String> = names.iter().map(PyStr::to_string_lossy).collect();
    assert_eq!(got, expected, "{path}");
}

/// Asserts that the code object `c` is what `e` describes.
pub fn check_code(c: &CodeObject, e: &Value, path: &str) {
    let path = &format!("{path}<{}>", c.name);
    let num = |k: &str| e[k].as_u64().unwrap_or_else(|| panic!("{path}.{k}")) as u32;
    assert_eq!(c.argcount, num("argcount"), "{path}.argcount");
    assert_eq!(
        c.posonlyargcount,
        num("posonlyargcount"),
        "{path}.posonlyargcount"
    );
    assert_eq!(
        c.kwonlyargcount,
        num("kwonlyargcount"),
        "{path}.kwonlyargcount"
    );
    assert_eq!(c.nlocals, num("nlocals"), "{path}.nlocals");
    assert_eq!(c.stacksize, num("stacksize"), "{path}.stacksize");
    assert_eq!(c.flags, num("flags"), "{path}.flags");
    assert_eq!(c.firstlineno, num("firstlineno"), "{path}.firstlineno");
    assert_eq!(
        &c.code[..],
        &unhex(e["code"].as_str().expect("code"))[..],
        "{path}.code"
    );
    assert_eq!(
        &c.lnotab[..],
        &unhex(e["lnotab"].as_str().expect("lnotab"))[..],
        "{path}.lnotab"
    );
    check_names(&c.names, &e["names"], &format!("{path}.names"));
    check_names(&c.varnames, &e["varnames"], &format!("{path}.varnames"));
    check_names(&c.freevars, &e["freevars"], &format!("{path}.freevars"));
    check_names(&c.cellvars, &e["cellvars"], &format!("{path}.cellvars"));
    assert_eq!(
        Some(c.filename.to_string_lossy().as_str()),
        e["filename"].as_str(),
        "{path}.filename"
    );
    assert_eq!(
        Some(c.name.to_string_lossy().as_str()),
        e["name"].as_str(),
        "{path}.name"
    );
    let consts = e["consts"].as_array().expect("consts");
    assert_eq!(c.consts.len(), consts.len(), "{path}.consts length");
    for (i, (k, ek)) in c.consts.iter().zip(consts).enumerate() {
        check_constant(k, ek, &format!("{path}.consts[{i}]"));
    }
}

/// Whether a description only holds code object constants.
pub fn is_constant(e: &Value) -> bool {
    match e["t"].as_str() {
        Some("list" | "dict" | "set" | "StopIteration") => false,
        Some("tuple" | "frozenset") => e["items"]
            .as_array()
            .is_some_and(|xs| xs.iter().all(is_constant)),
        _ => true,
    }
}
