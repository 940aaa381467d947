//! Checks the methods of `str` and `bytes` against CPython 3.9, from golden
//! data written by scripts/gen_str_methods_golden.py (see its docstring for
//! the encoding): the recorded calls, and the character database (predicates
//! and case mappings) code point by code point.
//!
//! Each check collects every mismatch and reports the first 25, so that one
//! run shows the shape of a regression rather than its first instance.

use num_bigint::BigInt;
use pyreg_spec::builtins::{call_builtin, BuiltinId, Owner, BUILTINS};
use pyreg_spec::code::PyStr;
use pyreg_spec::interp::{Fault, Machine};
use pyreg_spec::object::{Int, Obj, Value};
use serde_json::Value as Json;
use std::collections::HashMap;

fn golden() -> Json {
    let text = include_str!("data/str_methods_golden.json");
    serde_json::from_str(text).expect("golden str methods data parses")
}

/// A machine ready to run `None`, for its heap and types.
fn machine() -> Machine {
    Machine::empty()
}

fn hex_bytes(h: &str) -> Vec<u8> {
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("bytes are hex"))
        .collect()
}

fn float_bits(v: &Json) -> f64 {
    f64::from_bits(u64::from_str_radix(v.as_str().expect("float bits"), 16).expect("hex"))
}

fn points(v: &Json) -> Vec<u32> {
    v.as_array()
        .expect("code points")
        .iter()
        .map(|p| p.as_u64().expect("a code point") as u32)
        .collect()
}

/// The Python value a tagged golden value stands for.
fn value(m: &mut Machine, v: &Json) -> Value {
    match v {
        Json::Null => Value::None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::int(n.as_i64().expect("a small int")),
        Json::String(s) => Value::str(s),
        Json::Object(o) => {
            let (tag, x) = o.iter().next().expect("a tagged value");
            match tag.as_str() {
                "i" => {
                    let b: BigInt = x.as_str().expect("int text").parse().expect("an int");
                    Value::Int(Int::from_big(b))
                }
                "f" => Value::float(float_bits(x)),
                "c" => Value::Complex(float_bits(&x[0]), float_bits(&x[1])),
                "u" => Value::Str(PyStr::from_code_points(&points(x))),
                "y" => Value::Bytes(hex_bytes(x.as_str().expect("hex")).into()),
                "ba" => Value::Obj(
                    m.heap
                        .alloc(Obj::ByteArray(hex_bytes(x.as_str().expect("hex")))),
                ),
                "t" => {
                    let items = x
                        .as_array()
                        .expect("items")
                        .iter()
                        .map(|i| value(m, i))
                        .collect();
                    Value::tuple(items)
                }
                "l" => {
                    let items = x
                        .as_array()
                        .expect("items")
                        .iter()
                        .map(|i| value(m, i))
                        .collect();
                    Value::Obj(m.heap.alloc(Obj::List(items)))
                }
                "d" => {
                    let d = m.heap.alloc(Obj::Dict(Default::default()));
                    for pair in x.as_array().expect("pairs") {
                        let k = value(m, &pair[0]);
                        let v = value(m, &pair[1]);
                        assert!(m.dict_set(d, k, v).is_ok(), "dict keys are hashable");
                    }
                    Value::Obj(d)
                }
                other => panic!("unknown tag {other}"),
            }
        }
        Json::Array(_) => panic!("bad value {v}"),
    }
}

/// The built-in method `name` of type `owner`.
fn method(owner: &str, name: &str) -> BuiltinId {
    BUILTINS
        .iter()
        .find(|(_, n, o)| {
            let t = owner_static(owner);
            *n == name && (*o == Owner::Type(t) || *o == Owner::Static(t))
        })
        .map(|(id, _, _)| *id)
        .unwrap_or_else(|| panic!("no method {owner}.{name}"))
}

fn owner_static(owner: &str) -> &'static str {
    match owner {
        "str" => "str",
        "bytes" => "bytes",
        other => panic!("unexpected owner {other}"),
    }
}

/// A call's outcome as the golden data writes it: the repr of the result,
/// or the exception's class name and message.
fn outcome(m: &mut Machine, r: Result<Value, Fault>) -> Result<String, (String, String)> {
    match r {
        Ok(v) => m
            .repr_of(&v)
            .map_err(|_| ("repr failed".into(), String::new())),
        Err(Fault::Raise(e)) => {
            let tn = m.type_name_of(&Value::Obj(e));
            let msg = m.exception_str(e).unwrap_or_else(|_| "<str failed>".into());
            Err((tn, msg))
        }
        Err(other) => Err(("<not an exception>".into(), format!("{other:?}"))),
    }
}

fn expected(v: &Json) -> Result<String, (String, String)> {
    match v {
        Json::String(s) => Ok(s.clone()),
        Json::Array(a) => Err((
            a[0].as_str().expect("a class name").to_string(),
            a[1].as_str().expect("a message").to_string(),
        )),
        other => panic!("bad expectation {other}"),
    }
}

fn report(what: &str, total: usize, mismatches: &[String]) {
    assert!(
        mismatches.is_empty(),
        "{what}: {} of {total} differ from CPython 3.9; first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Runs the golden cases whose method satisfies `select`.
fn check_cases(select: impl Fn(&str, &Json) -> bool) {
    let g = golden();
    let cases = g["cases"].as_array().expect("cases");
    let mut m = machine();
    let mut mismatches = Vec::new();
    let mut total = 0;
    for c in cases {
        let name = c[0].as_str().expect("a method name");
        if !select(name, &c[1]) {
            continue;
        }
        total += 1;
        let receiver = match &c[1] {
            Json::Null => None,
            r => Some(value(&mut m, r)),
        };
        let (owner, short) = match (name.split_once('.'), &receiver) {
            (Some((owner, short)), _) => (owner.to_string(), short),
            (None, Some(Value::Bytes(_))) => ("bytes".to_string(), name),
            (None, _) => ("str".to_string(), name),
        };
        let id = method(&owner, short);
        let args: Vec<Value> = c[2]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| value(&mut m, a))
            .collect();
        let kwargs: Vec<(PyStr, Value)> = match c.get(4) {
            Some(kw) => kw
                .as_array()
                .expect("kwargs")
                .iter()
                .map(|p| {
                    (
                        PyStr::from(p[0].as_str().expect("a name")),
                        value(&mut m, &p[1]),
                    )
                })
                .collect(),
            None => Vec::new(),
        };
        let want = expected(&c[3]);
        // Static methods (`str.maketrans`, `bytes.fromhex`) are not bound to
        // an instance they are looked up on, so they never get a receiver.
        let receiver = if pyreg_spec::builtins::is_method(id) {
            receiver
        } else {
            None
        };
        let r = call_builtin(&mut m, id, receiver, args, kwargs);
        let got = outcome(&mut m, r);
        if got != want {
            mismatches.push(format!("{c}\n    got  {got:?}\n    want {want:?}"));
        }
    }
    assert!(total > 0, "no cases selected");
    report("calls", total, &mismatches);
}

fn is_bytes_case(name: &str, receiver: &Json) -> bool {
    name.starts_with("bytes.") || receiver.get("y").is_some()
}

#[test]
fn str_case_mapping_and_predicates_match_cpython() {
    check_cases(|name, r| {
        !is_bytes_case(name, r)
            && matches!(
                name,
                "upper"
                    | "lower"
                    | "casefold"
                    | "swapcase"
                    | "title"
                    | "capitalize"
                    | "isalnum"
                    | "isalpha"
                    | "isascii"
                    | "isdecimal"
                    | "isdigit"
                    | "isidentifier"
                    | "islower"
                    | "isnumeric"
                    | "isprintable"
                    | "isspace"
                    | "istitle"
                    | "isupper"
                    | "str.upper"
            )
    });
}

#[test]
fn str_search_methods_match_cpython() {
    check_cases(|name, r| {
        !is_bytes_case(name, r)
            && matches!(
                name,
                "find" | "rfind" | "index" | "rindex" | "count" | "startswith" | "endswith"
            )
    });
}

#[test]
fn str_split_strip_replace_match_cpython() {
    check_cases(|name, r| {
        !is_bytes_case(name, r)
            && matches!(
                name,
                "split"
                    | "rsplit"
                    | "splitlines"
                    | "strip"
                    | "lstrip"
                    | "rstrip"
                    | "replace"
                    | "partition"
                    | "rpartition"
                    | "removeprefix"
                    | "removesuffix"
                    | "join"
                    | "str.join"
                    | "str.split"
            )
    });
}

#[test]
fn str_padding_methods_match_cpython() {
    check_cases(|name, r| {
        !is_bytes_case(name, r)
            && matches!(name, "center" | "ljust" | "rjust" | "zfill" | "expandtabs")
    });
}

#[test]
fn str_format_matches_cpython() {
    check_cases(|name, r| {
        !is_bytes_case(name, r) && matches!(name, "format" | "format_map" | "str.format")
    });
}

#[test]
fn str_translate_and_maketrans_match_cpython() {
    check_cases(|name, r| {
        !is_bytes_case(name, r) && matches!(name, "translate" | "maketrans" | "str.maketrans")
    });
}

#[test]
fn str_encode_matches_cpython() {
    check_cases(|name, r| !is_bytes_case(name, r) && name == "encode");
}

#[test]
fn bytes_methods_match_cpython() {
    check_cases(is_bytes_case);
}

#[test]
fn every_golden_case_is_checked() {
    let g = golden();
    let cases = g["cases"].as_array().expect("cases");
    let known = [
        "upper",
        "lower",
        "casefold",
        "swapcase",
        "title",
        "capitalize",
        "isalnum",
        "isalpha",
        "isascii",
        "isdecimal",
        "isdigit",
        "isidentifier",
        "islower",
        "isnumeric",
        "isprintable",
        "isspace",
        "istitle",
        "isupper",
        "str.upper",
        "find",
        "rfind",
        "index",
        "rindex",
        "count",
        "startswith",
        "endswith",
        "split",
        "rsplit",
        "splitlines",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "partition",
        "rpartition",
        "removeprefix",
        "removesuffix",
        "join",
        "str.join",
        "str.split",
        "center",
        "ljust",
        "rjust",
        "zfill",
        "expandtabs",
        "format",
        "format_map",
        "str.format",
        "translate",
        "maketrans",
        "str.maketrans",
        "encode",
    ];
    for c in cases {
        let name = c[0].as_str().expect("a method name");
        assert!(
            is_bytes_case(name, &c[1]) || known.contains(&name),
            "golden case {c} is in no test's selection"
        );
    }
}

// ----- the character database, code point by code point ----------------------------

/// Ranges written as [gap, length, gap, length, ...].
fn ranges(flat: &Json) -> Vec<(u32, u32)> {
    let nums = points(flat);
    let mut out = Vec::new();
    let mut end = 0;
    for pair in nums.chunks(2) {
        let lo = end + pair[0];
        let hi = lo + pair[1] - 1;
        out.push((lo, hi));
        end = hi + 1;
    }
    out
}

fn in_ranges(r: &[(u32, u32)], cp: u32) -> bool {
    r.binary_search_by(|&(lo, hi)| {
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

fn call_str(m: &mut Machine, id: BuiltinId, s: &[u32]) -> Value {
    let r = call_builtin(
        m,
        id,
        Some(Value::Str(PyStr::from_code_points(s))),
        vec![],
        vec![],
    );
    match r {
        Ok(v) => v,
        Err(f) => panic!("{id:?} of {s:x?} failed: {f:?}"),
    }
}

#[test]
fn str_predicates_match_cpython_for_every_code_point() {
    let g = golden();
    let props = g["unicode"]["props"].as_object().expect("props");
    let mut m = machine();
    let mut mismatches = Vec::new();
    let mut total = 0;
    for (name, flat) in props {
        let r = ranges(flat);
        let (id, prefix): (BuiltinId, &[u32]) = match name.as_str() {
            "idcontinue" => (method("str", "isidentifier"), &[0x61]),
            n => (method("str", n), &[]),
        };
        // Every code point with the property, a range at a time: these
        // predicates hold of a string when they hold of each character
        // (islower/isupper also need one cased character, which each
        // range has). istitle is not of that kind.
        if name != "istitle" {
            for &(lo, hi) in &r {
                let mut s = prefix.to_vec();
                s.extend(lo..=hi);
                total += 1;
                if !matches!(call_str(&mut m, id, &s), Value::Bool(true)) {
                    mismatches.push(format!("{name} of U+{lo:04X}..U+{hi:04X}: not all true"));
                }
            }
        }
        // Code points one at a time: the BMP, the edges of every range, and
        // a sample of the rest.
        let mut sample: Vec<u32> = (0..0x10000).collect();
        for &(lo, hi) in &r {
            sample.extend([lo.saturating_sub(1), lo, hi, hi + 1]);
        }
        sample.extend((0x10000..0x110000).step_by(61));
        sample.sort_unstable();
        sample.dedup();
        for cp in sample.into_iter().filter(|&cp| cp < 0x110000) {
            let mut s = prefix.to_vec();
            s.push(cp);
            let want = in_ranges(&r, cp);
            total += 1;
            if !matches!(call_str(&mut m, id, &s), Value::Bool(b) if b == want) {
                mismatches.push(format!("{name} of U+{cp:04X}: want {want}"));
            }
        }
    }
    report("predicates", total, &mismatches);
}

/// One mapping of a code point as the golden data writes it: an offset or
/// the code points.
fn mapped(cp: u32, v: &Json) -> Vec<u32> {
    match v {
        Json::Number(n) => vec![(i64::from(cp) + n.as_i64().expect("an offset")) as u32],
        other => points(other),
    }
}

#[test]
fn str_case_mappings_match_cpython_for_every_code_point() {
    let g = golden();
    let props = g["unicode"]["props"].as_object().expect("props");
    let (lower_set, upper_set) = (ranges(&props["islower"]), ranges(&props["isupper"]));
    // upper, lower, title, casefold of each code point that has one.
    let mut maps: HashMap<u32, [Vec<u32>; 4]> = HashMap::new();
    for run in g["unicode"]["maps"].as_array().expect("maps") {
        let (first, count, step) = (
            run[0].as_u64().expect("first") as u32,
            run[1].as_u64().expect("count") as u32,
            run[2].as_u64().expect("step") as u32,
        );
        for k in 0..count {
            let cp = first + k * step;
            maps.insert(cp, [0, 1, 2, 3].map(|i| mapped(cp, &run[3 + i])));
        }
    }
    // Planes 0 and 1 whole (every cased letter of Unicode 13 is there, and
    // newer Unicode versions add more), every code point with a mapping,
    // and a sample of the rest: one string of all of them is slow enough.
    let mut cps: Vec<u32> = (0..0x20000)
        .chain((0x20000..0x110000).step_by(97))
        .collect();
    cps.extend(maps.keys());
    cps.sort_unstable();
    cps.dedup();
    let mut m = machine();
    let mut mismatches = Vec::new();
    let names = ["upper", "lower", "title", "casefold", "swapcase"];
    for (i, name) in names.iter().enumerate() {
        let want_of = |cp: u32| -> Vec<u32> {
            let m = maps.get(&cp);
            let pick = |j: usize| m.map_or(vec![cp], |m| m[j].clone());
            if i < 4 {
                pick(i)
            } else if in_ranges(&upper_set, cp) {
                pick(1)
            } else if in_ranges(&lower_set, cp) {
                pick(0)
            } else {
                vec![cp]
            }
        };
        // All code points in one string, each after a space: no character
        // is then in the context of another (title case, final sigma).
        let mut s = Vec::with_capacity(2 * cps.len());
        let mut want = Vec::with_capacity(2 * cps.len());
        for &cp in &cps {
            s.extend([0x20, cp]);
            want.push(0x20);
            want.extend(want_of(cp));
        }
        let id = method("str", name);
        let got = match call_str(&mut m, id, &s) {
            Value::Str(p) => p.code_points(),
            other => panic!("{name} gave {other:?}"),
        };
        if got != want {
            // Find the culprits one code point at a time.
            for &cp in &cps {
                let want = want_of(cp);
                let got = match call_str(&mut m, id, &[cp]) {
                    Value::Str(p) => p.code_points(),
                    other => panic!("{name} gave {other:?}"),
                };
                if got != want {
                    mismatches.push(format!(
                        "{name} of U+{cp:04X}: got {got:x?}, want {want:x?}"
                    ));
                }
            }
        }
    }
    report("case mappings", 5 * cps.len(), &mismatches);
}
