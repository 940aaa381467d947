//! Checks the methods of `int`/`bool`/`float`/`complex`, the `math` module,
//! complex arithmetic and `complex()`, and the methods of
//! `list`/`dict`/`set`/`frozenset` and the dict views against CPython 3.9,
//! from golden data written by scripts/gen_numbers_golden.py (see its
//! docstring for the encoding). Every recorded call is replayed on a fresh
//! machine; its result's `repr`, or its exception's type and message, and
//! for mutating methods the receiver's `repr` afterwards, must be CPython's.
//!
//! All mismatches are collected and the first 25 reported, so that one run
//! shows the shape of a regression.

use num_bigint::BigInt;
use num_traits::Pow;
use pyreg_spec::builtins::{call_builtin, constructor_of, Owner, BUILTINS};
use pyreg_spec::code::PyStr;
use pyreg_spec::interp::ops::{BinOp, CmpOp};
use pyreg_spec::interp::{Fault, Machine, PyResult};
use pyreg_spec::object::{Int, Obj, Value};
use serde_json::Value as Json;

fn golden() -> Json {
    let text = include_str!("data/numbers_golden.json");
    serde_json::from_str(text).expect("golden numbers data parses")
}

/// A machine ready to run `None`, for its heap and types.
fn machine() -> Machine {
    Machine::empty()
}

fn float(v: &Json) -> f64 {
    v.as_str()
        .expect("a float repr")
        .parse()
        .expect("Rust parses Python's float repr")
}

fn items(m: &mut Machine, v: &Json) -> Vec<Value> {
    v.as_array()
        .expect("items")
        .iter()
        .map(|i| value(m, i))
        .collect()
}

fn big_int(v: &Json) -> BigInt {
    if let Some(s) = v.get("i") {
        return s
            .as_str()
            .expect("int text")
            .parse()
            .expect("a decimal int");
    }
    let p = v["pow"].as_array().expect("[sign, base, exp, add]");
    let n = |i: usize| p[i].as_i64().expect("a small int");
    let exp = u32::try_from(n(2)).expect("a small exponent");
    BigInt::from(n(0)) * (Pow::pow(BigInt::from(n(1)), exp) + BigInt::from(n(3)))
}

/// The Python value a golden value stands for (a new object each time).
fn value(m: &mut Machine, v: &Json) -> Value {
    match v {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::int(n.as_i64().expect("an i64")),
        Json::String(s) => Value::str(s),
        Json::Object(o) => {
            let (tag, x) = o.iter().next().expect("a tagged value");
            match tag.as_str() {
                "i" | "pow" => Value::Int(Int::from_big(big_int(v))),
                "f" => Value::float(float(x)),
                "c" => Value::Complex(float(&x[0]), float(&x[1])),
                "y" => {
                    let h = x.as_str().expect("hex");
                    let bytes: Vec<u8> = (0..h.len())
                        .step_by(2)
                        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
                        .collect();
                    Value::Bytes(bytes.into())
                }
                "t" => Value::tuple(items(m, x)),
                "l" => {
                    let items = items(m, x);
                    Value::Obj(m.heap.alloc(Obj::List(items)))
                }
                "d" => dict(m, x),
                "set" | "fs" => {
                    let items = items(m, x);
                    m.new_set(items, tag == "fs")
                        .expect("set items are hashable")
                }
                "iter" => {
                    let items = items(m, x);
                    let l = Value::Obj(m.heap.alloc(Obj::List(items)));
                    m.get_iter(&l).expect("a list is iterable")
                }
                "keys" | "values" | "items" => {
                    let Value::Obj(d) = value(m, x) else {
                        panic!("a view of a non-dict")
                    };
                    let kind = match tag.as_str() {
                        "keys" => 0,
                        "values" => 1,
                        _ => 2,
                    };
                    Value::Obj(m.heap.alloc(Obj::DictView { dict: d, kind }))
                }
                "type" => Value::Obj(m.types.get(x.as_str().expect("a type name"))),
                other => panic!("unknown tag {other}"),
            }
        }
        Json::Array(_) => panic!("bad value {v}"),
    }
}

fn dict(m: &mut Machine, pairs: &Json) -> Value {
    let d = m.heap.alloc(Obj::Dict(Default::default()));
    for pair in pairs.as_array().expect("pairs") {
        let k = value(m, &pair[0]);
        let v = value(m, &pair[1]);
        m.dict_set(d, k, v).expect("dict keys are hashable");
    }
    Value::Obj(d)
}

fn bin_op(sym: &str) -> BinOp {
    match sym {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::TrueDiv,
        "//" => BinOp::FloorDiv,
        "%" => BinOp::Mod,
        "**" => BinOp::Pow,
        "&" => BinOp::And,
        "|" => BinOp::Or,
        "^" => BinOp::Xor,
        other => panic!("unknown operator {other}"),
    }
}

fn cmp_op(sym: &str) -> CmpOp {
    match sym {
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        "==" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        other => panic!("unknown comparison {other}"),
    }
}

/// Runs one recorded call.
fn run(
    m: &mut Machine,
    call: &str,
    args: Vec<Value>,
    kwargs: Vec<(PyStr, Value)>,
) -> PyResult<Value> {
    if let Some(sym) = call.strip_prefix("op:") {
        return m.binary_op(bin_op(sym), &args[0], &args[1], false);
    }
    if let Some(sym) = call.strip_prefix("cmp:") {
        return m.compare(cmp_op(sym), &args[0], &args[1]);
    }
    if call == "complex()" {
        let t = m.types.complex;
        let ctor = constructor_of(m, t).expect("complex has a constructor");
        return ctor(m, t, args, kwargs);
    }
    let (owner, name) = call.split_once('.').expect("OWNER.NAME");
    let want = match owner {
        "math" => Owner::Module("math"),
        "builtins" => Owner::Builtins,
        t => Owner::Type(match t {
            "int" => "int",
            "float" => "float",
            "complex" => "complex",
            "list" => "list",
            "dict" => "dict",
            "set" => "set",
            "frozenset" => "frozenset",
            "dict_keys" => "dict_keys",
            "dict_items" => "dict_items",
            other => panic!("unknown owner {other}"),
        }),
    };
    let id = BUILTINS
        .iter()
        .find(|(_, n, o)| *n == name && *o == want)
        .map(|(id, _, _)| *id)
        .unwrap_or_else(|| panic!("no built-in {call}"));
    call_builtin(m, id, None, args, kwargs)
}

/// What a call produced, as the golden data records it.
fn outcome(m: &mut Machine, r: PyResult<Value>) -> Json {
    match r {
        Ok(v) => Json::String(m.repr_of(&v).expect("repr of a result")),
        Err(Fault::Raise(e)) => {
            let tn = m.type_name_of(&Value::Obj(e));
            let msg = m.exception_str(e).expect("str of an exception");
            Json::Array(vec![Json::String(tn), Json::String(msg)])
        }
        Err(other) => Json::String(format!("<not a Python outcome: {other:?}>")),
    }
}

#[test]
fn golden_calls_match_cpython() {
    let data = golden();
    let cases = data["cases"].as_array().expect("cases");
    assert!(cases.len() > 2000, "the golden data has its cases");
    let mut failures = Vec::new();
    for c in cases {
        let call = c[0].as_str().expect("a call name");
        let mut m = machine();
        let args = items(&mut m, &c[1]);
        let mut kwargs = Vec::new();
        if let Some(Json::Object(kw)) = c.get(3) {
            for (k, v) in kw {
                let v = value(&mut m, v);
                kwargs.push((PyStr::from(k.as_str()), v));
            }
        }
        let receiver = args.first().cloned();
        let r = run(&mut m, call, args, kwargs);
        let got = outcome(&mut m, r);
        if got != c[2] {
            failures.push(format!("{call} {}: got {got}, want {}", c[1], c[2]));
            continue;
        }
        if let (Some(after), Some(recv)) = (c.get(4), receiver) {
            let got = m.repr_of(&recv).expect("repr of the receiver");
            if after.as_str() != Some(got.as_str()) {
                failures.push(format!(
                    "{call} {}: receiver after {got}, want {after}",
                    c[1]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} calls differ from CPython; first ones:\n{}",
        failures.len(),
        cases.len(),
        failures
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn math_functions_never_panic_on_odd_arguments() {
    // Every math function with arguments of every kind (and wrong counts)
    // returns a value or raises; none panics or gets stuck.
    let odd = [
        Value::None,
        Value::Bool(true),
        Value::int(-1),
        Value::float(f64::NAN),
        Value::float(f64::NEG_INFINITY),
        Value::float(-0.0),
        Value::Complex(1.0, -1.0),
        Value::str("x"),
        Value::tuple(vec![]),
    ];
    for &(id, name, owner) in BUILTINS {
        if owner != Owner::Module("math") {
            continue;
        }
        for n in 0..3 {
            for a in &odd {
                let mut m = machine();
                let args = vec![a.clone(); n];
                match call_builtin(&mut m, id, None, args, vec![]) {
                    Ok(_) | Err(Fault::Raise(_)) => {}
                    Err(other) => panic!("math.{name} with {n} x {a:?}: {other:?}"),
                }
            }
        }
    }
}
