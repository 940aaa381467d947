//! `str()` and `repr()` of VM values, with CPython 3.9's spelling (the
//! float and string algorithms are the spec's pure leaf helpers).

use crate::heap::{Builtin, Heap, Obj};
use crate::value::Value;
use pyreg_spec::code::PyStr;
use pyreg_spec::pyrepr::{repr_float, repr_str};

/// `repr(v)`.
pub fn repr(heap: &Heap, v: Value) -> String {
    match v {
        Value::Empty => "<NULL>".into(),
        Value::None => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => repr_float(f),
        Value::Obj(r) => match heap.get(r) {
            Obj::Str(s) => repr_str(&PyStr::from(&**s)),
            Obj::Big(b) => b.to_string(),
            Obj::Tuple(xs) if xs.len() == 1 => format!("({},)", repr(heap, xs[0])),
            Obj::Tuple(xs) => format!("({})", join(heap, xs)),
            Obj::List(xs) => format!("[{}]", join(heap, xs)),
            Obj::Function(f) => format!("<function {}>", f.name),
            Obj::Builtin(b) => format!("<built-in function {}>", builtin_name(*b)),
            Obj::Method(_) => "<built-in method>".into(),
            Obj::Range(a, b, 1) => format!("range({a}, {b})"),
            Obj::Range(a, b, c) => format!("range({a}, {b}, {c})"),
            Obj::RangeIter(..) => "<range_iterator object>".into(),
            Obj::SeqIter(..) => "<iterator object>".into(),
            Obj::ExcType(k) => format!("<class '{}'>", k.name()),
            Obj::Exc(k, args) if args.len() == 1 => {
                format!("{}({})", k.name(), repr(heap, args[0]))
            }
            Obj::Exc(k, args) => format!("{}({})", k.name(), join(heap, args)),
            Obj::Cell(_) => "<cell>".into(),
            Obj::Free => "<freed>".into(),
        },
    }
}

/// `str(v)`.
pub fn str_of(heap: &Heap, v: Value) -> String {
    if let Value::Obj(r) = v {
        match heap.get(r) {
            Obj::Str(s) => return s.to_string(),
            Obj::Exc(_, args) => {
                return match args.len() {
                    0 => String::new(),
                    1 => str_of(heap, args[0]),
                    _ => format!("({})", join(heap, args)),
                }
            }
            _ => {}
        }
    }
    repr(heap, v)
}

fn join(heap: &Heap, xs: &[Value]) -> String {
    xs.iter()
        .map(|x| repr(heap, *x))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name a built-in function has in `builtins`.
pub fn builtin_name(b: Builtin) -> &'static str {
    match b {
        Builtin::Print => "print",
        Builtin::Range => "range",
        Builtin::Len => "len",
        Builtin::Abs => "abs",
        Builtin::Str => "str",
        Builtin::Repr => "repr",
        Builtin::Min => "min",
        Builtin::Max => "max",
        Builtin::Sum => "sum",
        Builtin::Pow => "pow",
    }
}

/// The `type(v).__name__` that error messages quote.
pub fn type_name(heap: &Heap, v: Value) -> &'static str {
    match v {
        Value::Empty => "NULL",
        Value::None => "NoneType",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::Obj(r) => match heap.get(r) {
            Obj::Str(_) => "str",
            Obj::Big(_) => "int",
            Obj::Tuple(_) => "tuple",
            Obj::List(_) => "list",
            Obj::Function(_) => "function",
            Obj::Builtin(_) | Obj::Method(_) => "builtin_function_or_method",
            Obj::Range(..) => "range",
            Obj::RangeIter(..) => "range_iterator",
            Obj::SeqIter(..) => "iterator",
            Obj::ExcType(_) => "type",
            Obj::Exc(k, _) => k.name(),
            Obj::Cell(_) => "cell",
            Obj::Free => "freed",
        },
    }
}
