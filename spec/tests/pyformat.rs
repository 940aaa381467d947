//! Checks `pyformat` against CPython 3.9: `format()` of ints, floats and
//! strings, `str % args`, and `hex`/`oct`/`bin`, from golden data written by
//! scripts/gen_format_golden.py (see its docstring for the encoding).
//!
//! Each section collects every mismatch and reports the first 20, so that one
//! run shows the shape of a regression rather than its first instance.

use num_bigint::BigInt;
use pyreg_spec::code::PyStr;
use pyreg_spec::pyformat::{
    f64_to_int, float_to_string, format_float, format_int, format_str, int_to_base, int_to_f64,
    parse_spec, percent_format, render_percent, ArgRequest, FloatFlags, FormatError, PercentArg,
    PercentArgs, PercentFlags, PercentSource, PercentSpec,
};
use pyreg_spec::pyrepr::{repr_float, repr_str};
use serde_json::Value;

fn golden() -> Value {
    let text = include_str!("data/format_golden.json");
    serde_json::from_str(text).expect("golden format data parses")
}

fn float_from_hex(v: &Value) -> f64 {
    let h = v.as_str().expect("float bits are a hex string");
    f64::from_bits(u64::from_str_radix(h, 16).expect("float bits are hex"))
}

fn int_from(v: &Value) -> BigInt {
    v.as_str()
        .expect("an int is decimal text")
        .parse()
        .expect("an int parses")
}

/// A result as the golden data writes it: the output, or `[type, message]`.
type Outcome = Result<String, (String, String)>;

fn expected(v: &Value) -> Outcome {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Array(a) => Err((
            a[0].as_str().unwrap().to_string(),
            a[1].as_str().unwrap().to_string(),
        )),
        other => panic!("bad expectation {other}"),
    }
}

fn outcome(r: Result<String, FormatError>) -> Outcome {
    r.map_err(|e| (e.exception_type().to_string(), e.to_string()))
}

/// Checks every case of a section, printing up to 20 mismatches.
fn check_section(name: &str, cases: &[Value], run: impl Fn(&[Value]) -> Outcome) {
    let mut mismatches = Vec::new();
    for case in cases {
        let case = case.as_array().expect("a case is a list");
        let want = expected(case.last().unwrap());
        let got = run(&case[..case.len() - 1]);
        if got != want {
            mismatches.push(format!(
                "{}: got {:?}, want {:?}",
                Value::Array(case[..case.len() - 1].to_vec()),
                got,
                want
            ));
        }
    }
    for m in mismatches.iter().take(20) {
        eprintln!("{name} mismatch: {m}");
    }
    assert!(
        mismatches.is_empty(),
        "{name}: {} of {} cases differ from CPython",
        mismatches.len(),
        cases.len()
    );
    eprintln!("{name}: all {} cases match", cases.len());
}

#[test]
fn golden_is_from_python_3_9() {
    assert!(golden()["python"].as_str().unwrap().starts_with("3.9."));
}

#[test]
fn format_int_matches_cpython() {
    let g = golden();
    check_section("format(int)", g["int"].as_array().unwrap(), |c| {
        let v = int_from(&c[0]);
        let spec = c[1].as_str().unwrap();
        outcome(parse_spec(spec).and_then(|s| format_int(&v, &s)))
    });
}

#[test]
fn format_float_matches_cpython() {
    let g = golden();
    check_section("format(float)", g["float"].as_array().unwrap(), |c| {
        let v = float_from_hex(&c[0]);
        let spec = c[1].as_str().unwrap();
        outcome(parse_spec(spec).and_then(|s| format_float(v, &s)))
    });
}

#[test]
fn format_str_matches_cpython() {
    let g = golden();
    check_section("format(str)", g["str"].as_array().unwrap(), |c| {
        let v = c[0].as_str().unwrap();
        let spec = c[1].as_str().unwrap();
        outcome(parse_spec(spec).and_then(|s| format_str(v, &s)))
    });
}

#[test]
fn hex_oct_bin_match_cpython() {
    let g = golden();
    let mut mismatches = Vec::new();
    let cases = g["base"].as_array().unwrap();
    for case in cases {
        let v = int_from(&case[0]);
        for (i, base) in [(1, 16), (2, 8), (3, 2)] {
            let got = int_to_base(&v, base, true, false);
            if got != case[i].as_str().unwrap() {
                mismatches.push(format!("{v} base {base}: got {got}, want {}", case[i]));
            }
        }
        // Base 10 is str(): no prefix even with `alternate`.
        assert_eq!(int_to_base(&v, 10, true, false), v.to_string());
    }
    for m in mismatches.iter().take(20) {
        eprintln!("hex/oct/bin mismatch: {m}");
    }
    assert!(mismatches.is_empty(), "{} mismatches", mismatches.len());
}

// ---------------------------------------------------------------------------
// %-formatting, through a PercentSource over the script's tagged values.

/// A Python value as the golden data encodes it.
#[derive(Clone, Debug)]
enum Py {
    Int(BigInt),
    Bool(bool),
    Float(f64),
    Str(String),
    None,
    Dict(Vec<(String, Py)>),
}

fn decode(v: &Value) -> Py {
    let a = v.as_array().expect("a value is a tagged list");
    match a[0].as_str().unwrap() {
        "i" => Py::Int(int_from(&a[1])),
        "b" => Py::Bool(a[1].as_bool().unwrap()),
        "f" => Py::Float(float_from_hex(&a[1])),
        "s" => Py::Str(a[1].as_str().unwrap().to_string()),
        "n" => Py::None,
        "d" => Py::Dict(decode_items(&a[1])),
        tag => panic!("unknown value tag {tag}"),
    }
}

fn decode_items(v: &Value) -> Vec<(String, Py)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|kv| (kv[0].as_str().unwrap().to_string(), decode(&kv[1])))
        .collect()
}

fn type_name(v: &Py) -> &'static str {
    match v {
        Py::Int(_) => "int",
        Py::Bool(_) => "bool",
        Py::Float(_) => "float",
        Py::Str(_) => "str",
        Py::None => "NoneType",
        Py::Dict(_) => "dict",
    }
}

fn py_repr(v: &Py) -> String {
    match v {
        Py::Str(s) => repr_str(&PyStr::from(s.as_str())),
        Py::Dict(items) => {
            let inner: Vec<String> = items
                .iter()
                .map(|(k, v)| format!("{}: {}", repr_str(&PyStr::from(k.as_str())), py_repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        other => py_str(other),
    }
}

fn py_str(v: &Py) -> String {
    match v {
        Py::Int(i) => i.to_string(),
        Py::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Py::Float(x) => repr_float(*x),
        Py::Str(s) => s.clone(),
        Py::None => "None".to_string(),
        Py::Dict(_) => py_repr(v),
    }
}

/// `ascii(v)`: the repr with every non-ASCII character escaped.
fn py_ascii(v: &Py) -> String {
    let mut out = String::new();
    for c in py_repr(v).chars() {
        let cp = u32::from(c);
        match cp {
            0..=0x7f => out.push(c),
            0x80..=0xff => out.push_str(&format!("\\x{cp:02x}")),
            0x100..=0xffff => out.push_str(&format!("\\u{cp:04x}")),
            _ => out.push_str(&format!("\\U{cp:08x}")),
        }
    }
    out
}

/// Python exceptions of the test "interpreter": type name and message.
#[derive(Debug, PartialEq)]
struct PyErr(String, String);

impl From<FormatError> for PyErr {
    fn from(e: FormatError) -> Self {
        PyErr(e.exception_type().to_string(), e.to_string())
    }
}

struct Source;

impl PercentSource for Source {
    type Value = Py;
    type Error = PyErr;

    fn get_item(&mut self, mapping: &Py, key: &str) -> Result<Py, PyErr> {
        let Py::Dict(items) = mapping else {
            panic!("only dicts are mappings in the golden data")
        };
        items
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                PyErr(
                    "KeyError".to_string(),
                    repr_str(&PyStr::from(key)).to_string(),
                )
            })
    }

    fn convert(&mut self, v: &Py, request: ArgRequest) -> Result<PercentArg, PyErr> {
        let unsupported = || PercentArg::Unsupported {
            type_name: type_name(v).to_string(),
        };
        let as_int = |v: &Py| match v {
            Py::Int(i) => Some(i.clone()),
            Py::Bool(b) => Some(BigInt::from(u8::from(*b))),
            _ => None,
        };
        Ok(match request {
            ArgRequest::Str => PercentArg::Str(py_str(v)),
            ArgRequest::Repr => PercentArg::Str(py_repr(v)),
            ArgRequest::Ascii => PercentArg::Str(py_ascii(v)),
            ArgRequest::Star | ArgRequest::Index => {
                as_int(v).map_or_else(unsupported, PercentArg::Int)
            }
            ArgRequest::Number => match v {
                Py::Float(x) => PercentArg::Float(*x),
                _ => as_int(v).map_or_else(unsupported, PercentArg::Int),
            },
            // Ints go in unconverted, to exercise render_percent's int_to_f64.
            ArgRequest::Float => match v {
                Py::Float(x) => PercentArg::Float(*x),
                _ => as_int(v).map_or_else(unsupported, PercentArg::Int),
            },
            ArgRequest::Char => match v {
                Py::Str(s) => PercentArg::Str(s.clone()),
                _ => as_int(v).map_or_else(unsupported, PercentArg::Int),
            },
        })
    }
}

fn decode_args(v: &Value) -> PercentArgs<Py> {
    if let Some(items) = v.get("tuple") {
        PercentArgs::Tuple(items.as_array().unwrap().iter().map(decode).collect())
    } else if let Some(items) = v.get("mapping") {
        PercentArgs::Mapping(Py::Dict(decode_items(items)))
    } else {
        PercentArgs::Single(decode(&v["single"]))
    }
}

#[test]
fn percent_format_matches_cpython() {
    let g = golden();
    check_section("str % args", g["percent"].as_array().unwrap(), |c| {
        let fmt = c[0].as_str().unwrap();
        percent_format(fmt, decode_args(&c[1]), &mut Source).map_err(|PyErr(t, m)| (t, m))
    });
}

// ---------------------------------------------------------------------------
// Direct checks of the lower-level functions.

#[test]
fn float_to_string_modes_and_flags() {
    let f = FloatFlags::default();
    let dot0 = FloatFlags {
        add_dot_0_if_integer: true,
        ..f
    };
    let alt = FloatFlags {
        alternate: true,
        ..f
    };
    let sign = FloatFlags { sign: true, ..f };
    assert_eq!(float_to_string(1.0, 'r', 0, f), "1");
    assert_eq!(float_to_string(1.0, 'r', 0, dot0), "1.0");
    assert_eq!(float_to_string(1e16, 'r', 0, dot0), "1e+16");
    assert_eq!(float_to_string(1e16, 'r', 0, alt), "1.e+16");
    assert_eq!(float_to_string(0.1, 'r', 0, sign), "+0.1");
    assert_eq!(float_to_string(f64::NAN, 'r', 0, sign), "+nan");
    assert_eq!(float_to_string(-f64::NAN, 'r', 0, f), "nan");
    assert_eq!(float_to_string(f64::NEG_INFINITY, 'E', 3, f), "-INF");
    assert_eq!(float_to_string(0.125, 'f', 2, f), "0.12");
    assert_eq!(float_to_string(0.375, 'f', 2, f), "0.38");
    assert_eq!(float_to_string(2.5, 'f', 0, f), "2");
    assert_eq!(float_to_string(2.5, 'f', 0, alt), "2.");
    assert_eq!(float_to_string(1e-10, 'f', 3, f), "0.000");
    assert_eq!(float_to_string(-1e-10, 'f', 3, f), "-0.000");
    assert_eq!(float_to_string(0.0, 'e', 0, alt), "0.e+00");
    assert_eq!(float_to_string(123456.0, 'E', 2, f), "1.23E+05");
    assert_eq!(float_to_string(1e-300, 'e', 1, f), "1.0e-300");
    assert_eq!(float_to_string(100.0, 'g', 3, f), "100");
    assert_eq!(float_to_string(100.0, 'g', 3, dot0), "1e+02");
    assert_eq!(float_to_string(100.0, 'g', 0, f), "1e+02");
    assert_eq!(float_to_string(0.0001, 'g', 6, alt), "0.000100000");
    assert_eq!(float_to_string(1.5, 'G', 1, f), "2");
    // repr(x) == float_to_string(x, 'r', 0, ADD_DOT_0) for a spread of x.
    for bits in (0..200u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)) {
        let x = f64::from_bits(bits);
        assert_eq!(float_to_string(x, 'r', 0, dot0), repr_float(x), "{bits:#x}");
    }
}

#[test]
fn int_float_conversions() {
    let big = |s: &str| s.parse::<BigInt>().unwrap();
    assert_eq!(int_to_f64(&big("9007199254740993")), Ok(9007199254740992.0));
    assert_eq!(int_to_f64(&big("9007199254740995")), Ok(9007199254740996.0));
    // 2**64 + 2**11 + 1: above the halfway point, so it rounds up.
    assert_eq!(
        int_to_f64(&big("18446744073709553665")),
        Ok(18446744073709555712.0)
    );
    let max = (BigInt::from(1) << 1024) - (BigInt::from(1) << 970);
    assert_eq!(
        int_to_f64(&max),
        Err(FormatError::IntTooLargeForFloat),
        "rounds to 2**1024"
    );
    assert_eq!(int_to_f64(&(max - 1)), Ok(f64::MAX));
    assert_eq!(f64_to_int(-3.9), Ok(BigInt::from(-3)));
    assert_eq!(f64_to_int(1e20), Ok(big("100000000000000000000")));
    assert_eq!(
        f64_to_int(f64::INFINITY),
        Err(FormatError::FloatInfinityToInt)
    );
    assert_eq!(f64_to_int(f64::NAN), Err(FormatError::FloatNanToInt));
}

#[test]
fn render_percent_directly() {
    let spec = |conversion, flags, width, precision| PercentSpec {
        flags,
        width,
        precision,
        conversion,
        index: 1,
    };
    let zero = PercentFlags {
        zero: true,
        alternate: true,
        ..PercentFlags::default()
    };
    assert_eq!(
        render_percent(
            &spec('x', zero, Some(8), None),
            PercentArg::Int(BigInt::from(-255))
        ),
        Ok("-0x000ff".to_string())
    );
    assert_eq!(
        render_percent(
            &spec('f', PercentFlags::default(), None, Some(2)),
            PercentArg::Int(BigInt::from(3))
        ),
        Ok("3.00".to_string())
    );
    let e = render_percent(
        &spec('y', PercentFlags::default(), None, None),
        PercentArg::Int(BigInt::from(3)),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unsupported format character 'y' (0x79) at index 1"
    );
    assert_eq!(e.exception_type(), "ValueError");
}

#[test]
fn error_messages_and_types() {
    let unknown = FormatError::UnknownFormatCode {
        code: 'd',
        type_name: "float".to_string(),
    };
    assert_eq!(
        unknown.to_string(),
        "Unknown format code 'd' for object of type 'float'"
    );
    assert_eq!(
        unknown.clone().for_type("bool").to_string(),
        "Unknown format code 'd' for object of type 'bool'"
    );
    assert_eq!(unknown.exception_type(), "ValueError");
    assert_eq!(
        FormatError::NotEnoughArguments.exception_type(),
        "TypeError"
    );
    assert_eq!(
        FormatError::CharOutOfRange.exception_type(),
        "OverflowError"
    );
    let e = FormatError::NumberRequired {
        conversion: 'd',
        type_name: "str".to_string(),
    };
    assert_eq!(e.to_string(), "%d format: a number is required, not str");
}
