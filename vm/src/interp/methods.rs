//! The methods of built-in types: a table of (type, name, rule), and a
//! second one of the special methods several types share (`__add__`,
//! `__len__`, ...), which delegate to the VM's operators. A method found on
//! an object is a bound built-in; found on its class (`str.upper`) it is
//! unbound and takes the object as its first argument, but for the class
//! methods (`dict.fromkeys`), which are bound to the class.

use super::builtins::{small, sort_values};
use super::{gap, Fault, Res, Vm};
use crate::code::Bin;
use crate::heap::{DictPart, ExcKind, GenState, Obj, Ty, View};
use crate::value::Value;

type Rule = fn(&mut Vm, Value, &[Value], &[(Value, Value)]) -> Res<Value>;

const TABLE: &[(Ty, &str, Rule)] = &[
    (Ty::List, "append", list_append),
    (Ty::List, "pop", list_pop),
    (Ty::List, "extend", list_extend),
    (Ty::List, "insert", list_insert),
    (Ty::List, "remove", list_remove),
    (Ty::List, "index", seq_index),
    (Ty::List, "count", seq_count),
    (Ty::List, "sort", list_sort),
    (Ty::List, "reverse", list_reverse),
    (Ty::List, "clear", list_clear),
    (Ty::List, "copy", list_copy),
    (Ty::Tuple, "index", seq_index),
    (Ty::Tuple, "count", seq_count),
    (Ty::Range, "index", range_index),
    (Ty::Range, "count", range_count),
    (Ty::Dict, "get", dict_get),
    (Ty::Dict, "items", dict_items),
    (Ty::Dict, "keys", dict_keys),
    (Ty::Dict, "values", dict_values),
    (Ty::Dict, "pop", dict_pop),
    (Ty::Dict, "popitem", dict_popitem),
    (Ty::Dict, "setdefault", dict_setdefault),
    (Ty::Dict, "update", dict_update),
    (Ty::Dict, "clear", dict_clear),
    (Ty::Dict, "copy", dict_copy),
    (Ty::Dict, "fromkeys", dict_fromkeys),
    (Ty::Set, "add", set_add),
    (Ty::Set, "remove", set_remove),
    (Ty::Set, "discard", set_discard),
    (Ty::Set, "pop", set_pop),
    (Ty::Set, "clear", set_clear),
    (Ty::Set, "update", set_update),
    (Ty::Set, "union", set_union),
    (Ty::Set, "intersection", set_intersection),
    (Ty::Set, "difference", set_difference),
    (Ty::Set, "symmetric_difference", set_symmetric_difference),
    (Ty::Set, "issubset", set_issubset),
    (Ty::Set, "issuperset", set_issuperset),
    (Ty::Set, "isdisjoint", set_isdisjoint),
    (Ty::Set, "copy", set_copy),
    (Ty::Set, "difference_update", set_difference_update),
    (Ty::Set, "intersection_update", set_intersection_update),
    (
        Ty::Set,
        "symmetric_difference_update",
        set_symmetric_difference_update,
    ),
    (Ty::FrozenSet, "union", set_union),
    (Ty::FrozenSet, "intersection", set_intersection),
    (Ty::FrozenSet, "difference", set_difference),
    (
        Ty::FrozenSet,
        "symmetric_difference",
        set_symmetric_difference,
    ),
    (Ty::FrozenSet, "issubset", set_issubset),
    (Ty::FrozenSet, "issuperset", set_issuperset),
    (Ty::FrozenSet, "isdisjoint", set_isdisjoint),
    (Ty::FrozenSet, "copy", set_copy),
    (Ty::Str, "join", str_join),
    (Ty::Str, "split", str_split),
    (Ty::Str, "rsplit", str_rsplit),
    (Ty::Str, "strip", str_strip),
    (Ty::Str, "lstrip", str_lstrip),
    (Ty::Str, "rstrip", str_rstrip),
    (Ty::Str, "upper", str_upper),
    (Ty::Str, "lower", str_lower),
    (Ty::Str, "casefold", str_casefold),
    (Ty::Str, "swapcase", str_swapcase),
    (Ty::Str, "title", str_title),
    (Ty::Str, "capitalize", str_capitalize),
    (Ty::Str, "replace", str_replace),
    (Ty::Str, "find", str_find),
    (Ty::Str, "rfind", str_rfind),
    (Ty::Str, "index", str_index),
    (Ty::Str, "rindex", str_rindex),
    (Ty::Str, "count", str_count),
    (Ty::Str, "startswith", str_startswith),
    (Ty::Str, "endswith", str_endswith),
    (Ty::Str, "format", str_format),
    (Ty::Str, "format_map", str_format_map),
    (Ty::Str, "isdigit", str_isdigit),
    (Ty::Str, "isdecimal", str_isdecimal),
    (Ty::Str, "isnumeric", str_isnumeric),
    (Ty::Str, "isalpha", str_isalpha),
    (Ty::Str, "isalnum", str_isalnum),
    (Ty::Str, "isspace", str_isspace),
    (Ty::Str, "isupper", str_isupper),
    (Ty::Str, "islower", str_islower),
    (Ty::Str, "isidentifier", str_isidentifier),
    (Ty::Str, "center", str_center),
    (Ty::Str, "ljust", str_ljust),
    (Ty::Str, "rjust", str_rjust),
    (Ty::Str, "zfill", str_zfill),
    (Ty::Str, "splitlines", str_splitlines),
    (Ty::Str, "partition", str_partition),
    (Ty::Str, "rpartition", str_rpartition),
    (Ty::Str, "expandtabs", str_expandtabs),
    (Ty::Str, "isascii", str_isascii),
    (Ty::Str, "isprintable", str_isprintable),
    (Ty::Str, "istitle", str_istitle),
    (Ty::Str, "removeprefix", str_removeprefix),
    (Ty::Str, "removesuffix", str_removesuffix),
    (Ty::Str, "translate", str_translate),
    (Ty::Str, "maketrans", str_maketrans),
    (Ty::Int, "bit_length", int_bit_length),
    (Ty::Int, "conjugate", int_conjugate),
    (Ty::Int, "as_integer_ratio", int_as_integer_ratio),
    (Ty::Bool, "bit_length", int_bit_length),
    (Ty::Float, "is_integer", float_is_integer),
    (Ty::Float, "as_integer_ratio", float_as_integer_ratio),
    (Ty::Float, "conjugate", float_conjugate),
    (Ty::Float, "hex", float_hex),
    (Ty::Float, "fromhex", float_fromhex),
    (Ty::Property, "getter", property_getter),
    (Ty::Property, "setter", property_setter),
    (Ty::Property, "deleter", property_deleter),
    (Ty::Slice, "indices", slice_indices),
    (Ty::Generator, "send", gen_send),
    (Ty::Generator, "throw", gen_throw),
    (Ty::Generator, "close", gen_close),
    (Ty::Generator, "__next__", gen_next),
    (Ty::Object, "__init__", object_init),
    (Ty::Object, "__new__", object_new),
    (Ty::Object, "__setattr__", object_setattr),
    (Ty::Object, "__getattribute__", object_getattribute),
    (Ty::Object, "__delattr__", object_delattr),
    (Ty::Object, "__eq__", object_eq),
    (Ty::Object, "__ne__", object_ne),
    (Ty::Object, "__hash__", object_hash),
    (Ty::Object, "__repr__", object_repr),
    (Ty::Object, "__str__", object_str),
    (Ty::BaseException, "with_traceback", exc_with_traceback),
    (Ty::BaseException, "__init__", exc_init),
    (Ty::Type, "mro", type_mro),
    (Ty::Bytes, "upper", super::bytes::upper),
    (Ty::Bytes, "lower", super::bytes::lower),
    (Ty::Bytes, "swapcase", super::bytes::swapcase),
    (Ty::Bytes, "capitalize", super::bytes::capitalize),
    (Ty::Bytes, "title", super::bytes::title),
    (Ty::Bytes, "isalpha", super::bytes::isalpha),
    (Ty::Bytes, "isdigit", super::bytes::isdigit),
    (Ty::Bytes, "isalnum", super::bytes::isalnum),
    (Ty::Bytes, "isspace", super::bytes::isspace),
    (Ty::Bytes, "islower", super::bytes::islower),
    (Ty::Bytes, "isupper", super::bytes::isupper),
    (Ty::Bytes, "isascii", super::bytes::isascii),
    (Ty::Bytes, "decode", super::bytes::decode_method),
    (Ty::Bytes, "hex", super::bytes::hex),
    (Ty::Bytes, "fromhex", super::bytes::bytes_fromhex),
    (Ty::Bytes, "join", super::bytes::join),
    (Ty::Bytes, "split", super::bytes::split),
    (Ty::Bytes, "rsplit", super::bytes::rsplit),
    (Ty::Bytes, "strip", super::bytes::strip),
    (Ty::Bytes, "lstrip", super::bytes::lstrip),
    (Ty::Bytes, "rstrip", super::bytes::rstrip),
    (Ty::Bytes, "replace", super::bytes::replace),
    (Ty::Bytes, "find", super::bytes::find),
    (Ty::Bytes, "rfind", super::bytes::rfind),
    (Ty::Bytes, "index", super::bytes::index),
    (Ty::Bytes, "rindex", super::bytes::rindex),
    (Ty::Bytes, "count", super::bytes::count),
    (Ty::Bytes, "startswith", super::bytes::startswith),
    (Ty::Bytes, "endswith", super::bytes::endswith),
    (Ty::Bytes, "center", super::bytes::center),
    (Ty::Bytes, "ljust", super::bytes::ljust),
    (Ty::Bytes, "rjust", super::bytes::rjust),
    (Ty::Bytes, "zfill", super::bytes::zfill),
    (Ty::Bytes, "partition", super::bytes::partition),
    (Ty::Bytes, "rpartition", super::bytes::rpartition),
    (Ty::Bytes, "splitlines", super::bytes::splitlines),
    (Ty::Bytes, "removeprefix", super::bytes::removeprefix),
    (Ty::Bytes, "removesuffix", super::bytes::removesuffix),
    (Ty::ByteArray, "upper", super::bytes::upper),
    (Ty::ByteArray, "lower", super::bytes::lower),
    (Ty::ByteArray, "swapcase", super::bytes::swapcase),
    (Ty::ByteArray, "capitalize", super::bytes::capitalize),
    (Ty::ByteArray, "title", super::bytes::title),
    (Ty::ByteArray, "isalpha", super::bytes::isalpha),
    (Ty::ByteArray, "isdigit", super::bytes::isdigit),
    (Ty::ByteArray, "isalnum", super::bytes::isalnum),
    (Ty::ByteArray, "isspace", super::bytes::isspace),
    (Ty::ByteArray, "islower", super::bytes::islower),
    (Ty::ByteArray, "isupper", super::bytes::isupper),
    (Ty::ByteArray, "isascii", super::bytes::isascii),
    (Ty::ByteArray, "decode", super::bytes::decode_method),
    (Ty::ByteArray, "hex", super::bytes::hex),
    (Ty::ByteArray, "fromhex", super::bytes::bytearray_fromhex),
    (Ty::ByteArray, "join", super::bytes::join),
    (Ty::ByteArray, "split", super::bytes::split),
    (Ty::ByteArray, "rsplit", super::bytes::rsplit),
    (Ty::ByteArray, "strip", super::bytes::strip),
    (Ty::ByteArray, "lstrip", super::bytes::lstrip),
    (Ty::ByteArray, "rstrip", super::bytes::rstrip),
    (Ty::ByteArray, "replace", super::bytes::replace),
    (Ty::ByteArray, "find", super::bytes::find),
    (Ty::ByteArray, "rfind", super::bytes::rfind),
    (Ty::ByteArray, "index", super::bytes::index),
    (Ty::ByteArray, "rindex", super::bytes::rindex),
    (Ty::ByteArray, "count", super::bytes::count),
    (Ty::ByteArray, "startswith", super::bytes::startswith),
    (Ty::ByteArray, "endswith", super::bytes::endswith),
    (Ty::ByteArray, "center", super::bytes::center),
    (Ty::ByteArray, "ljust", super::bytes::ljust),
    (Ty::ByteArray, "rjust", super::bytes::rjust),
    (Ty::ByteArray, "zfill", super::bytes::zfill),
    (Ty::ByteArray, "partition", super::bytes::partition),
    (Ty::ByteArray, "rpartition", super::bytes::rpartition),
    (Ty::ByteArray, "splitlines", super::bytes::splitlines),
    (Ty::ByteArray, "removeprefix", super::bytes::removeprefix),
    (Ty::ByteArray, "removesuffix", super::bytes::removesuffix),
    (Ty::ByteArray, "append", super::bytes::ba_append),
    (Ty::ByteArray, "extend", super::bytes::ba_extend),
    (Ty::ByteArray, "pop", super::bytes::ba_pop),
    (Ty::ByteArray, "insert", super::bytes::ba_insert),
    (Ty::ByteArray, "remove", super::bytes::ba_remove),
    (Ty::ByteArray, "reverse", super::bytes::ba_reverse),
    (Ty::ByteArray, "clear", super::bytes::ba_clear),
    (Ty::ByteArray, "copy", super::bytes::ba_copy),
    (Ty::Str, "encode", super::bytes::str_encode),
    (Ty::Int, "to_bytes", super::bytes::int_to_bytes),
    (Ty::Int, "from_bytes", super::bytes::int_from_bytes),
    (Ty::Complex, "conjugate", super::complex::conjugate),
];

/// Methods shared by several built-in types: the special methods that
/// delegate to the VM's operators, reached as attributes (`[1].__len__()`,
/// `int.__add__`). Their index in [`find`] is `TABLE.len() + 32 * row +
/// the type's position`, so that each keeps the type it was found on.
const SHARED: &[(&[Ty], &str, Rule)] = &[
    (ARITH_ADD, "__add__", d_add),
    (NUM, "__radd__", d_radd),
    (ARITH_SUB, "__sub__", d_sub),
    (ARITH_SUB, "__rsub__", d_rsub),
    (ARITH_MUL, "__mul__", d_mul),
    (ARITH_MUL, "__rmul__", d_rmul),
    (NUM, "__truediv__", d_truediv),
    (NUM, "__rtruediv__", d_rtruediv),
    (NUM, "__floordiv__", d_floordiv),
    (NUM, "__rfloordiv__", d_rfloordiv),
    (NUM_STR, "__mod__", d_mod),
    (NUM, "__rmod__", d_rmod),
    (NUM, "__pow__", d_pow),
    (NUM, "__rpow__", d_rpow),
    (NUM, "__divmod__", d_divmod),
    (NUM, "__rdivmod__", d_rdivmod),
    (INT, "__lshift__", d_lshift),
    (INT, "__rlshift__", d_rlshift),
    (INT, "__rshift__", d_rshift),
    (INT, "__rrshift__", d_rrshift),
    (BITS, "__and__", d_and),
    (BITS, "__rand__", d_rand),
    (BITS_DICT, "__or__", d_or),
    (BITS_DICT, "__ror__", d_ror),
    (BITS, "__xor__", d_xor),
    (BITS, "__rxor__", d_rxor),
    (NUM, "__neg__", d_neg),
    (NUM, "__pos__", d_pos),
    (NUM, "__abs__", d_abs),
    (INT, "__invert__", d_invert),
    (NUM, "__bool__", d_bool),
    (NUM, "__int__", d_int),
    (NUM, "__float__", d_float),
    (INT, "__index__", d_index),
    (NUM, "__trunc__", d_trunc),
    (NUM, "__floor__", d_floor),
    (NUM, "__ceil__", d_ceil),
    (NUM, "__round__", d_round),
    (NUM_STR, "__format__", d_format),
    (ORDERED, "__lt__", d_lt),
    (ORDERED, "__le__", d_le),
    (ORDERED, "__gt__", d_gt),
    (ORDERED, "__ge__", d_ge),
    (EQUAL, "__eq__", d_eq),
    (EQUAL, "__ne__", d_ne),
    (SIZED, "__len__", d_len),
    (SIZED, "__contains__", d_contains),
    (INDEXED, "__getitem__", d_getitem),
    (MUTABLE, "__setitem__", d_setitem),
    (MUTABLE, "__delitem__", d_delitem),
    (ITERABLE, "__iter__", d_iter),
    (&[Ty::Iterator], "__next__", d_next),
    (&[Ty::List], "__iadd__", d_iadd),
    (CALLABLE, "__call__", d_call),
    (REPRS, "__repr__", d_repr),
    (&[Ty::Str], "__str__", d_str),
    (&[Ty::List], "__imul__", d_imul),
];

const INT: &[Ty] = &[Ty::Int];
const REPRS: &[Ty] = &[
    Ty::NoneType,
    Ty::Int,
    Ty::Float,
    Ty::Str,
    Ty::List,
    Ty::Tuple,
    Ty::Dict,
    Ty::Set,
    Ty::FrozenSet,
    Ty::Range,
    Ty::Slice,
];
const CALLABLE: &[Ty] = &[Ty::Function, Ty::Method, Ty::BuiltinFunction, Ty::Type];
const NUM: &[Ty] = &[Ty::Int, Ty::Float];
const NUM_STR: &[Ty] = &[Ty::Int, Ty::Float, Ty::Str];
const ARITH_ADD: &[Ty] = &[Ty::Int, Ty::Float, Ty::Str, Ty::List, Ty::Tuple];
const ARITH_SUB: &[Ty] = &[Ty::Int, Ty::Float, Ty::Set, Ty::FrozenSet];
const ARITH_MUL: &[Ty] = &[Ty::Int, Ty::Float, Ty::Str, Ty::List, Ty::Tuple];
const BITS: &[Ty] = &[Ty::Int, Ty::Set, Ty::FrozenSet];
const BITS_DICT: &[Ty] = &[Ty::Int, Ty::Set, Ty::FrozenSet, Ty::Dict];
const ORDERED: &[Ty] = &[
    Ty::Dict,
    Ty::Int,
    Ty::Float,
    Ty::Str,
    Ty::List,
    Ty::Tuple,
    Ty::Set,
    Ty::FrozenSet,
];
const EQUAL: &[Ty] = &[
    Ty::Int,
    Ty::Float,
    Ty::Str,
    Ty::List,
    Ty::Tuple,
    Ty::Set,
    Ty::FrozenSet,
    Ty::Dict,
    Ty::Range,
];
const SIZED: &[Ty] = &[
    Ty::Str,
    Ty::List,
    Ty::Tuple,
    Ty::Dict,
    Ty::Set,
    Ty::FrozenSet,
    Ty::Range,
];
const INDEXED: &[Ty] = &[Ty::Str, Ty::List, Ty::Tuple, Ty::Dict, Ty::Range];
const MUTABLE: &[Ty] = &[Ty::List, Ty::Dict];
const ITERABLE: &[Ty] = &[
    Ty::Str,
    Ty::List,
    Ty::Tuple,
    Ty::Dict,
    Ty::Set,
    Ty::FrozenSet,
    Ty::Range,
    Ty::Iterator,
    Ty::Generator,
];

/// Methods of built-in types called through the class with the class
/// bound (`dict.fromkeys`, `float.fromhex`) or that ignore the object
/// (`str.maketrans`).
const CLASS_METHODS: &[(Ty, &str)] = &[
    (Ty::Dict, "fromkeys"),
    (Ty::Float, "fromhex"),
    (Ty::Str, "maketrans"),
    (Ty::Bytes, "fromhex"),
    (Ty::ByteArray, "fromhex"),
    (Ty::Int, "from_bytes"),
];

/// The type at position `k` of [`Ty::ALL`] (past it: exceptions).
fn ty_at(k: usize) -> Ty {
    Ty::ALL.get(k).copied().unwrap_or(Ty::BaseException)
}

/// The type, name and rule of method `i`.
fn entry(i: u16) -> Option<(Ty, &'static str, Rule)> {
    let i = i as usize;
    if let Some((t, n, r)) = TABLE.get(i) {
        return Some((*t, n, *r));
    }
    let j = i.checked_sub(TABLE.len())?;
    let (_, n, r) = SHARED.get(j / 32)?;
    Some((ty_at(j % 32), n, *r))
}

fn find_one(ty: Ty, name: &str) -> Option<u16> {
    if let Some(i) = TABLE.iter().position(|(t, n, _)| *t == ty && *n == name) {
        return Some(i as u16);
    }
    let row = SHARED
        .iter()
        .position(|(ts, n, _)| *n == name && ts.contains(&ty))?;
    let k = Ty::ALL.iter().position(|t| *t == ty)?;
    Some((TABLE.len() + 32 * row + k) as u16)
}

/// The method `name` of built-in type `ty` (or of a base it inherits
/// methods from).
pub fn find(ty: Ty, name: &str) -> Option<u16> {
    let base = match ty {
        Ty::Bool => Some(Ty::Int),
        _ => None,
    };
    find_one(ty, name).or_else(|| base.and_then(|b| find_one(b, name)))
}

/// Whether method `i` is bound to the class when reached through it
/// (a class method such as `dict.fromkeys`, or a static one such as
/// `str.maketrans`).
pub fn takes_class(i: u16) -> bool {
    entry(i).is_some_and(|(t, n, _)| CLASS_METHODS.contains(&(t, n)))
}

/// The name of method `i`.
pub fn name(i: u16) -> &'static str {
    entry(i).map_or("?", |(_, n, _)| n)
}

/// The type that has method `i`.
pub fn owner(i: u16) -> &'static str {
    entry(i).map_or("?", |(t, _, _)| t.name())
}

/// Calls method `i` on `this` (`Empty`: unbound, the first argument is
/// the object; for a class method, the object it was looked up on).
pub fn call(
    vm: &mut Vm,
    i: u16,
    this: Value,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> Res<Value> {
    let Some((ty, n, rule)) = entry(i) else {
        return vm.broken("a method index");
    };
    if this != Value::Empty {
        return rule(vm, this, args, kwargs);
    }
    let Some(first) = args.first().copied() else {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("unbound method {}.{n}() needs an argument", ty.name()),
        ));
    };
    let rest = args.get(1..).unwrap_or_default();
    if takes_class(i) {
        // Reached through an object (`{}.fromkeys(..)` by LOAD_METHOD):
        // the class of the object.
        let cls = Value::Obj(vm.type_of(first));
        return rule(vm, cls, rest, kwargs);
    }
    // `object.__new__(cls, ...)` takes the class.
    let ok = (ty, n) == (Ty::Object, "__new__") || vm.is_a(first, ty) || ty == Ty::Object;
    if !ok {
        let t = vm.type_name(first);
        return Err(vm.error(
            ExcKind::TypeError,
            format!(
                "descriptor '{n}' requires a '{}' object but received a '{t}'",
                ty.name()
            ),
        ));
    }
    rule(vm, first, rest, kwargs)
}

fn no_kw(vm: &mut Vm, m: &str, kwargs: &[(Value, Value)]) -> Res<()> {
    if kwargs.is_empty() {
        return Ok(());
    }
    Err(vm.error(
        ExcKind::TypeError,
        format!("{m}() takes no keyword arguments"),
    ))
}

/// The type name CPython qualifies a method of `this` with (`bool`'s
/// methods are `int`'s).
fn owner_name(vm: &Vm, this: Value) -> String {
    match this {
        Value::Bool(_) => "int".into(),
        _ => vm.type_name(this),
    }
}

/// [`no_kw`] with the method named `type.m`, as CPython's newer methods
/// are.
fn no_kw_q(vm: &mut Vm, this: Value, m: &str, kwargs: &[(Value, Value)]) -> Res<()> {
    if kwargs.is_empty() {
        return Ok(());
    }
    let q = format!("{}.{m}", owner_name(vm, this));
    no_kw(vm, &q, kwargs)
}

/// [`nargs`] with the method named `type.m` where CPython names it so
/// (no argument, or exactly one).
fn nargs_q(vm: &mut Vm, this: Value, m: &str, args: &[Value], lo: usize, hi: usize) -> Res<()> {
    let n = args.len();
    if n >= lo && n <= hi {
        return Ok(());
    }
    if lo == hi && lo <= 1 {
        let q = format!("{}.{m}", owner_name(vm, this));
        return nargs(vm, &q, args, lo, hi);
    }
    nargs(vm, m, args, lo, hi)
}

/// The arity check of the `str` methods CPython still parses the old way
/// (`find`, `count`, `startswith`, ...).
fn nargs_old(vm: &mut Vm, m: &str, args: &[Value], lo: usize, hi: usize) -> Res<()> {
    let n = args.len();
    if n >= lo && n <= hi {
        return Ok(());
    }
    let (word, k) = if n < lo {
        ("at least", lo)
    } else {
        ("at most", hi)
    };
    let s = if k == 1 { "" } else { "s" };
    Err(vm.error(
        ExcKind::TypeError,
        format!("{m}() takes {word} {k} argument{s} ({n} given)"),
    ))
}

fn nargs(vm: &mut Vm, m: &str, args: &[Value], lo: usize, hi: usize) -> Res<()> {
    let n = args.len();
    if n >= lo && n <= hi {
        return Ok(());
    }
    let msg = if lo == hi && lo == 0 {
        format!("{m}() takes no arguments ({n} given)")
    } else if lo == hi && lo == 1 {
        format!("{m}() takes exactly one argument ({n} given)")
    } else if lo == hi {
        format!("{m} expected {lo} arguments, got {n}")
    } else if n < lo {
        format!(
            "{m} expected at least {lo} argument{}, got {n}",
            if lo == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{m} expected at most {hi} argument{}, got {n}",
            if hi == 1 { "" } else { "s" }
        )
    };
    Err(vm.error(ExcKind::TypeError, msg))
}

fn list_mut(vm: &mut Vm, l: Value) -> Option<&mut Vec<Value>> {
    match l.obj().map(|r| vm.heap.get_mut(r)) {
        Some(Obj::List(xs)) => Some(xs),
        _ => None,
    }
}

fn items(vm: &Vm, v: Value) -> Vec<Value> {
    match vm.heap.obj(v) {
        Some(Obj::List(xs)) => xs.clone(),
        Some(Obj::Tuple(xs)) => xs.to_vec(),
        _ => Vec::new(),
    }
}

// ---- list ----

fn list_append(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "append", kw)?;
    nargs_q(vm, l, "append", args, 1, 1)?;
    vm.heap.incref(args[0]);
    if let Some(xs) = list_mut(vm, l) {
        xs.push(args[0]);
    }
    Ok(Value::None)
}

fn list_pop(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "pop", kw)?;
    nargs_q(vm, l, "pop", args, 0, 1)?;
    let n = items(vm, l).len();
    if n == 0 {
        return Err(vm.error(ExcKind::IndexError, "pop from empty list".into()));
    }
    let i = match args.first() {
        None => n - 1,
        Some(k) => {
            let Some(i) = vm.index_value(*k) else {
                let t = vm.type_name(*k);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("'{t}' object cannot be interpreted as an integer"),
                ));
            };
            let j = if i < 0 { i + n as i64 } else { i };
            if j < 0 || j >= n as i64 {
                return Err(vm.error(ExcKind::IndexError, "pop index out of range".into()));
            }
            j as usize
        }
    };
    // The list's reference moves to the caller.
    Ok(list_mut(vm, l).map_or(Value::None, |xs| xs.remove(i)))
}

fn list_extend(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "extend", kw)?;
    nargs_q(vm, l, "extend", args, 1, 1)?;
    let new = vm.collect(args[0])?;
    if let Some(xs) = list_mut(vm, l) {
        xs.extend(new);
    }
    Ok(Value::None)
}

fn list_insert(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "insert", kw)?;
    nargs_q(vm, l, "insert", args, 2, 2)?;
    let n = items(vm, l).len() as i64;
    let Some(i) = vm.index_value(args[0]) else {
        let t = vm.type_name(args[0]);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("'{t}' object cannot be interpreted as an integer"),
        ));
    };
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    vm.heap.incref(args[1]);
    if let Some(xs) = list_mut(vm, l) {
        xs.insert(i, args[1]);
    }
    Ok(Value::None)
}

fn list_remove(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "remove", kw)?;
    nargs_q(vm, l, "remove", args, 1, 1)?;
    let xs = items(vm, l);
    for (i, x) in xs.iter().enumerate() {
        if vm.eq(*x, args[0])? {
            let removed = list_mut(vm, l).map(|xs| xs.remove(i));
            if let Some(v) = removed {
                vm.heap.decref(v);
            }
            return Ok(Value::None);
        }
    }
    Err(vm.error(ExcKind::ValueError, "list.remove(x): x not in list".into()))
}

fn seq_index(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "index", kw)?;
    nargs_q(vm, l, "index", args, 1, 3)?;
    let xs = items(vm, l);
    let n = xs.len() as i64;
    let bound = |v: Option<&Value>, d: i64, vm: &mut Vm| -> Res<i64> {
        let Some(v) = v else { return Ok(d) };
        match vm.index_value(*v) {
            None => Err(vm.error(
                ExcKind::TypeError,
                "slice indices must be integers or have an __index__ method".into(),
            )),
            Some(i) if i < 0 => Ok((i.saturating_add(n)).max(0)),
            Some(i) => Ok(i.min(n)),
        }
    };
    let (a, z) = (bound(args.get(1), 0, vm)?, bound(args.get(2), n, vm)?);
    for i in a..z.max(a) {
        if vm.eq(xs[i as usize], args[0])? {
            return Ok(Value::Int(i));
        }
    }
    let is_list = matches!(vm.heap.obj(l), Some(Obj::List(_)));
    let msg = if is_list {
        let r = vm.repr(args[0])?;
        format!("{r} is not in list")
    } else {
        "tuple.index(x): x not in tuple".into()
    };
    Err(vm.error(ExcKind::ValueError, msg))
}

fn seq_count(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "count", kw)?;
    nargs_q(vm, l, "count", args, 1, 1)?;
    let xs = items(vm, l);
    let mut c = 0;
    for x in xs {
        if vm.eq(x, args[0])? {
            c += 1;
        }
    }
    Ok(Value::Int(c))
}

/// The position of `x` in range `r` when `x` is an int (`range_index`
/// computes it; `None` when absent), or `Err(())` when `x` is not an int
/// and the range must be searched by equality.
fn range_position(vm: &Vm, r: Value, x: Value) -> Result<Option<i64>, ()> {
    let Some(Obj::Range(a, z, st)) = vm.heap.obj(r) else {
        return Err(());
    };
    let (a, z, st) = (*a, *z, *st);
    let x = match x {
        Value::Int(i) => i,
        Value::Bool(b) => i64::from(b),
        _ => return Err(()),
    };
    let inside = if st > 0 {
        a <= x && x < z
    } else {
        z < x && x <= a
    };
    if !inside || (x - a) % st != 0 {
        return Ok(None);
    }
    Ok(Some((x - a) / st))
}

fn range_index(vm: &mut Vm, r: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, r, "index", kw)?;
    nargs_q(vm, r, "index", args, 1, 1)?;
    match range_position(vm, r, args[0]) {
        Ok(Some(i)) => Ok(Value::Int(i)),
        Ok(None) => {
            let x = vm.repr(args[0])?;
            Err(vm.error(ExcKind::ValueError, format!("{x} is not in range")))
        }
        Err(()) => {
            // `_PySequence_IterSearch`: by equality, in order.
            for (i, v) in range_values(vm, r).into_iter().enumerate() {
                if vm.eq(v, args[0])? {
                    return Ok(Value::Int(i as i64));
                }
            }
            Err(vm.error(
                ExcKind::ValueError,
                "sequence.index(x): x not in sequence".into(),
            ))
        }
    }
}

fn range_count(vm: &mut Vm, r: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, r, "count", kw)?;
    nargs_q(vm, r, "count", args, 1, 1)?;
    match range_position(vm, r, args[0]) {
        Ok(p) => Ok(Value::Int(i64::from(p.is_some()))),
        Err(()) => {
            let mut c = 0;
            for v in range_values(vm, r) {
                if vm.eq(v, args[0])? {
                    c += 1;
                }
            }
            Ok(Value::Int(c))
        }
    }
}

/// The ints of range `r`, for the searches by equality (bounded by the
/// size limit of a collection).
fn range_values(vm: &Vm, r: Value) -> Vec<Value> {
    let Some(Obj::Range(a, z, st)) = vm.heap.obj(r) else {
        return Vec::new();
    };
    let (a, z, st) = (*a, *z, *st);
    let mut out = Vec::new();
    let mut x = a;
    while ((st > 0 && x < z) || (st < 0 && x > z)) && !super::ops::too_big(out.len()) {
        out.push(Value::Int(x));
        x = match x.checked_add(st) {
            Some(n) => n,
            None => break,
        };
    }
    out
}

fn list_sort(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    if !args.is_empty() {
        return Err(vm.error(
            ExcKind::TypeError,
            "sort() takes no positional arguments".into(),
        ));
    }
    let mut key = None;
    let mut reverse = false;
    for (k, v) in kw {
        match vm.heap.as_str(*k) {
            Some("key") => key = Some(*v).filter(|v| *v != Value::None),
            Some("reverse") => reverse = vm.truthy(*v)?,
            Some(other) => {
                let other = other.to_string();
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("'{other}' is an invalid keyword argument for sort()"),
                ));
            }
            None => {}
        }
    }
    // CPython empties the list while sorting: changes made by key or
    // comparison functions are detected.
    let mut xs = list_mut(vm, l).map(std::mem::take).unwrap_or_default();
    let r = sort_values(vm, &mut xs, key, reverse);
    let modified = list_mut(vm, l)
        .map(|cur| std::mem::replace(cur, xs))
        .unwrap_or_default();
    let was_modified = !modified.is_empty();
    vm.heap.decref_all(modified);
    r?;
    if was_modified {
        return Err(vm.error(ExcKind::ValueError, "list modified during sort".into()));
    }
    Ok(Value::None)
}

fn list_reverse(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "reverse", kw)?;
    nargs_q(vm, l, "reverse", args, 0, 0)?;
    if let Some(xs) = list_mut(vm, l) {
        xs.reverse();
    }
    Ok(Value::None)
}

fn list_clear(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "clear", kw)?;
    nargs_q(vm, l, "clear", args, 0, 0)?;
    let old = list_mut(vm, l).map(std::mem::take).unwrap_or_default();
    vm.heap.decref_all(old);
    Ok(Value::None)
}

fn list_copy(vm: &mut Vm, l: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, l, "copy", kw)?;
    nargs_q(vm, l, "copy", args, 0, 0)?;
    let xs = items(vm, l);
    for x in &xs {
        vm.heap.incref(*x);
    }
    Ok(vm.heap.alloc(Obj::List(xs)))
}

// ---- dict ----

fn dict_get(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "get", kw)?;
    nargs_q(vm, d, "get", args, 1, 2)?;
    match vm.dict_get(d, args[0])? {
        Some(v) => Ok(vm.heap.own(v)),
        None => Ok(vm.heap.own(args.get(1).copied().unwrap_or(Value::None))),
    }
}

fn view(vm: &mut Vm, d: Value, part: DictPart) -> Value {
    vm.heap.incref(d);
    vm.heap.alloc(Obj::View(View { dict: d, part }))
}

fn dict_items(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "items", kw)?;
    nargs_q(vm, d, "items", args, 0, 0)?;
    Ok(view(vm, d, DictPart::Items))
}

fn dict_keys(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "keys", kw)?;
    nargs_q(vm, d, "keys", args, 0, 0)?;
    Ok(view(vm, d, DictPart::Keys))
}

fn dict_values(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "values", kw)?;
    nargs_q(vm, d, "values", args, 0, 0)?;
    Ok(view(vm, d, DictPart::Values))
}

fn key_error(vm: &mut Vm, k: Value) -> Fault {
    let e = vm.new_exception(vm.types.exc(ExcKind::KeyError), &[k]);
    vm.set_context(e);
    Fault::Raise(e)
}

fn dict_pop(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "pop", kw)?;
    nargs_q(vm, d, "pop", args, 1, 2)?;
    match vm.dict_pop(d, args[0])? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(x) => Ok(vm.heap.own(*x)),
            None => Err(key_error(vm, args[0])),
        },
    }
}

fn dict_popitem(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "popitem", kw)?;
    nargs_q(vm, d, "popitem", args, 0, 0)?;
    let last = vm.set_keys(d).last().copied();
    let Some((_, k)) = last else {
        return Err(vm.error(ExcKind::KeyError, "popitem(): dictionary is empty".into()));
    };
    vm.heap.incref(k);
    let v = vm.dict_pop(d, k)?.unwrap_or(Value::None);
    Ok(vm.heap.alloc(Obj::Tuple(vec![k, v].into())))
}

fn dict_setdefault(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "setdefault", kw)?;
    nargs_q(vm, d, "setdefault", args, 1, 2)?;
    if let Some(v) = vm.dict_get(d, args[0])? {
        return Ok(vm.heap.own(v));
    }
    let v = args.get(1).copied().unwrap_or(Value::None);
    vm.dict_set(d, args[0], v)?;
    Ok(vm.heap.own(v))
}

fn dict_update(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    nargs_q(vm, d, "update", args, 0, 1)?;
    if let Some(o) = args.first() {
        vm.dict_update(d, *o)?;
    }
    for (k, v) in kw {
        vm.dict_set(d, *k, *v)?;
    }
    Ok(Value::None)
}

fn dict_clear(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "clear", kw)?;
    nargs_q(vm, d, "clear", args, 0, 0)?;
    let entries = match d.obj().map(|r| vm.heap.get_mut(r)) {
        Some(Obj::Dict(t)) => t.take(),
        _ => Vec::new(),
    };
    for e in entries {
        vm.heap.decref(e.key);
        vm.heap.decref(e.value);
    }
    Ok(Value::None)
}

fn dict_copy(vm: &mut Vm, d: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, d, "copy", kw)?;
    nargs_q(vm, d, "copy", args, 0, 0)?;
    vm.copy_dict(d)
}

fn dict_fromkeys(vm: &mut Vm, _cls: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "fromkeys", kw)?;
    nargs(vm, "fromkeys", args, 1, 2)?;
    let keys = vm.collect(args[0])?;
    let v = args.get(1).copied().unwrap_or(Value::None);
    let d = vm.new_dict();
    for k in &keys {
        if let Err(e) = vm.dict_set(d, *k, v) {
            vm.heap.decref_all(keys);
            vm.heap.decref(d);
            return Err(e);
        }
    }
    vm.heap.decref_all(keys);
    Ok(d)
}

// ---- set ----

fn set_add(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "add", kw)?;
    nargs_q(vm, s, "add", args, 1, 1)?;
    vm.set_add(s, args[0])?;
    Ok(Value::None)
}

fn set_remove(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "remove", kw)?;
    nargs_q(vm, s, "remove", args, 1, 1)?;
    match vm.set_remove(s, args[0])? {
        Some(k) => {
            vm.heap.decref(k);
            Ok(Value::None)
        }
        None => Err(key_error(vm, args[0])),
    }
}

fn set_discard(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "discard", kw)?;
    nargs_q(vm, s, "discard", args, 1, 1)?;
    if let Some(k) = vm.set_remove(s, args[0])? {
        vm.heap.decref(k);
    }
    Ok(Value::None)
}

fn set_pop(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "pop", kw)?;
    nargs_q(vm, s, "pop", args, 0, 0)?;
    match vm.set_pop(s) {
        Some(k) => Ok(k),
        None => Err(vm.empty_set_pop()),
    }
}

fn set_clear(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "clear", kw)?;
    nargs_q(vm, s, "clear", args, 0, 0)?;
    vm.set_clear(s);
    Ok(Value::None)
}

fn set_update(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "update", kw)?;
    vm.set_update(s, args)?;
    Ok(Value::None)
}

fn set_union(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "union", kw)?;
    vm.set_method_new('|', s, args)
}

fn set_intersection(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "intersection", kw)?;
    vm.set_method_new('&', s, args)
}

fn set_difference(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "difference", kw)?;
    vm.set_method_new('-', s, args)
}

fn set_symmetric_difference(
    vm: &mut Vm,
    s: Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> Res<Value> {
    no_kw_q(vm, s, "symmetric_difference", kw)?;
    nargs_q(vm, s, "symmetric_difference", args, 1, 1)?;
    vm.set_method_new('^', s, args)
}

fn set_issubset(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "issubset", kw)?;
    nargs_q(vm, s, "issubset", args, 1, 1)?;
    Ok(Value::Bool(vm.set_relation_method(true, s, args[0])?))
}

fn set_issuperset(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "issuperset", kw)?;
    nargs_q(vm, s, "issuperset", args, 1, 1)?;
    Ok(Value::Bool(vm.set_relation_method(false, s, args[0])?))
}

fn set_isdisjoint(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "isdisjoint", kw)?;
    nargs_q(vm, s, "isdisjoint", args, 1, 1)?;
    Ok(Value::Bool(vm.set_isdisjoint(s, args[0])?))
}

fn set_difference_update(
    vm: &mut Vm,
    s: Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> Res<Value> {
    no_kw(vm, "difference_update", kw)?;
    vm.set_method_update('-', s, args)?;
    Ok(Value::None)
}

fn set_intersection_update(
    vm: &mut Vm,
    s: Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> Res<Value> {
    no_kw(vm, "intersection_update", kw)?;
    vm.set_method_update('&', s, args)?;
    Ok(Value::None)
}

fn set_symmetric_difference_update(
    vm: &mut Vm,
    s: Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> Res<Value> {
    no_kw_q(vm, s, "symmetric_difference_update", kw)?;
    nargs_q(vm, s, "symmetric_difference_update", args, 1, 1)?;
    vm.set_method_update('^', s, args)?;
    Ok(Value::None)
}

fn set_copy(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "copy", kw)?;
    nargs_q(vm, s, "copy", args, 0, 0)?;
    // `frozenset.copy()` of an exact frozenset is the frozenset itself.
    if matches!(vm.heap.obj(s), Some(Obj::FrozenSet(_))) {
        return Ok(vm.heap.own(s));
    }
    vm.set_method_new('|', s, args)
}

// ---- str ----

fn text(vm: &Vm, v: Value) -> String {
    vm.heap.as_str(v).unwrap_or("").to_string()
}

/// The text of a `str` argument; else a `TypeError` of message `msg`,
/// its `{t}` replaced by the argument's type name.
fn str_arg(vm: &mut Vm, v: Value, msg: &str) -> Res<String> {
    match vm.heap.as_str(v) {
        Some(s) => Ok(s.to_string()),
        None => {
            let t = vm.type_name(v);
            Err(vm.error(ExcKind::TypeError, msg.replace("{t}", &t)))
        }
    }
}

/// An integer argument as an `i64` (huge ones saturate); a `TypeError`
/// for anything else.
fn int_arg(vm: &mut Vm, v: Value) -> Res<i64> {
    match vm.index_value(v).filter(|_| !matches!(v, Value::Float(_))) {
        Some(i) => Ok(i),
        None => {
            let t = vm.type_name(v);
            Err(vm.error(
                ExcKind::TypeError,
                format!("'{t}' object cannot be interpreted as an integer"),
            ))
        }
    }
}

fn str_list(vm: &mut Vm, parts: Vec<String>) -> Value {
    let vs: Vec<Value> = parts.iter().map(|p| vm.str_value(p)).collect();
    vm.heap.alloc(Obj::List(vs))
}

fn str_join(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "join", kw)?;
    nargs_q(vm, s, "join", args, 1, 1)?;
    let sep = text(vm, s);
    let xs = vm.collect(args[0])?;
    let mut out = String::new();
    for (i, x) in xs.iter().enumerate() {
        match vm.heap.as_str(*x) {
            Some(t) => {
                if i > 0 {
                    out.push_str(&sep);
                }
                out.push_str(t);
            }
            None => {
                let t = vm.type_name(*x);
                vm.heap.decref_all(xs);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("sequence item {i}: expected str instance, {t} found"),
                ));
            }
        }
    }
    vm.heap.decref_all(xs);
    Ok(vm.str_value(&out))
}

fn split_args(
    vm: &mut Vm,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
) -> Res<(Option<String>, i64)> {
    if args.len() > 2 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("{m}() takes at most 2 arguments ({} given)", args.len()),
        ));
    }
    let mut sep = args.first().copied();
    let mut max = args.get(1).copied();
    for (k, v) in kw {
        match vm.heap.as_str(*k) {
            Some("sep") => sep = Some(*v),
            Some("maxsplit") => max = Some(*v),
            _ => {
                let k = text(vm, *k);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("'{k}' is an invalid keyword argument for {m}()"),
                ));
            }
        }
    }
    let sep = match sep {
        None | Some(Value::None) => None,
        Some(v) => {
            let s = str_arg(vm, v, "must be str or None, not {t}")?;
            if s.is_empty() {
                return Err(vm.error(ExcKind::ValueError, "empty separator".into()));
            }
            Some(s)
        }
    };
    let max = match max {
        None => -1,
        Some(v) => int_arg(vm, v)?,
    };
    Ok((sep, max))
}

fn str_split(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let (sep, max) = split_args(vm, args, kw, "split")?;
    let t = text(vm, s);
    let parts: Vec<String> = match sep {
        None => {
            let mut out = Vec::new();
            let mut rest = t.trim_start();
            while !rest.is_empty() {
                if max >= 0 && out.len() as i64 == max {
                    out.push(rest.to_string());
                    break;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                out.push(rest[..end].to_string());
                rest = rest[end..].trim_start();
            }
            out
        }
        Some(sep) => {
            if max < 0 {
                t.split(sep.as_str()).map(String::from).collect()
            } else {
                t.splitn(max as usize + 1, sep.as_str())
                    .map(String::from)
                    .collect()
            }
        }
    };
    Ok(str_list(vm, parts))
}

fn str_rsplit(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let (sep, max) = split_args(vm, args, kw, "rsplit")?;
    let t = text(vm, s);
    let mut parts: Vec<String> = match sep {
        None => {
            let mut out = Vec::new();
            let mut rest = t.trim_end();
            while !rest.is_empty() {
                if max >= 0 && out.len() as i64 == max {
                    out.push(rest.to_string());
                    break;
                }
                let start = rest.rfind(char::is_whitespace).map_or(0, |i| {
                    i + rest[i..].chars().next().map_or(1, char::len_utf8)
                });
                out.push(rest[start..].to_string());
                rest = rest[..start].trim_end();
            }
            out
        }
        Some(sep) => {
            if max < 0 {
                t.rsplit(sep.as_str()).map(String::from).collect()
            } else {
                t.rsplitn(max as usize + 1, sep.as_str())
                    .map(String::from)
                    .collect()
            }
        }
    };
    parts.reverse();
    Ok(str_list(vm, parts))
}

fn strip_chars(
    vm: &mut Vm,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
) -> Res<Option<Vec<char>>> {
    no_kw(vm, &format!("str.{m}"), kw)?;
    nargs(vm, m, args, 0, 1)?;
    match args.first() {
        None | Some(Value::None) => Ok(None),
        Some(v) => Ok(Some(
            str_arg(vm, *v, &format!("{m} arg must be None or str"))?
                .chars()
                .collect(),
        )),
    }
}

fn str_strip(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let cs = strip_chars(vm, args, kw, "strip")?;
    let t = text(vm, s);
    let r = match cs {
        None => t.trim().to_string(),
        Some(cs) => t.trim_matches(|c| cs.contains(&c)).to_string(),
    };
    Ok(vm.str_value(&r))
}

fn str_lstrip(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let cs = strip_chars(vm, args, kw, "lstrip")?;
    let t = text(vm, s);
    let r = match cs {
        None => t.trim_start().to_string(),
        Some(cs) => t.trim_start_matches(|c| cs.contains(&c)).to_string(),
    };
    Ok(vm.str_value(&r))
}

fn str_rstrip(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let cs = strip_chars(vm, args, kw, "rstrip")?;
    let t = text(vm, s);
    let r = match cs {
        None => t.trim_end().to_string(),
        Some(cs) => t.trim_end_matches(|c| cs.contains(&c)).to_string(),
    };
    Ok(vm.str_value(&r))
}

fn map_str(
    vm: &mut Vm,
    s: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
    f: fn(&str) -> String,
) -> Res<Value> {
    no_kw_q(vm, s, m, kw)?;
    nargs_q(vm, s, m, args, 0, 0)?;
    let t = text(vm, s);
    let r = f(&t);
    Ok(vm.str_value(&r))
}

fn str_upper(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    map_str(vm, s, args, kw, "upper", str::to_uppercase)
}

fn str_lower(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    map_str(vm, s, args, kw, "lower", str::to_lowercase)
}

fn str_swapcase(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    map_str(vm, s, args, kw, "swapcase", |t| {
        let mut out = String::with_capacity(t.len());
        for c in t.chars() {
            if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else if c.is_lowercase() {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
        }
        out
    })
}

/// Whether `c` is a titlecase letter (category Lt), which `char` neither
/// counts upper nor lower case.
fn is_title(c: char) -> bool {
    matches!(
        c,
        '\u{1c5}'
            | '\u{1c8}'
            | '\u{1cb}'
            | '\u{1f2}'
            | '\u{1f88}'..='\u{1f8f}'
            | '\u{1f98}'..='\u{1f9f}'
            | '\u{1fa8}'..='\u{1faf}'
            | '\u{1fbc}'
            | '\u{1fcc}'
            | '\u{1ffc}'
    )
}

/// Whether `c` is cased (upper, lower or title case).
fn is_cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase() || is_title(c)
}

/// The titlecase mapping of `c` (`char` maps to upper and lower case
/// only): the Latin digraphs, Greek letters with iota subscript, and the
/// ligatures whose title case is their first letter upper cased.
fn push_title(out: &mut String, c: char) {
    let single = match c {
        '\u{1c4}'..='\u{1c6}' => Some('\u{1c5}'),
        '\u{1c7}'..='\u{1c9}' => Some('\u{1c8}'),
        '\u{1ca}'..='\u{1cc}' => Some('\u{1cb}'),
        '\u{1f1}'..='\u{1f3}' => Some('\u{1f2}'),
        '\u{1f80}'..='\u{1f87}' | '\u{1f90}'..='\u{1f97}' | '\u{1fa0}'..='\u{1fa7}' => {
            char::from_u32(c as u32 + 8)
        }
        '\u{1fb3}' => Some('\u{1fbc}'),
        '\u{1fc3}' => Some('\u{1fcc}'),
        '\u{1ff3}' => Some('\u{1ffc}'),
        // Georgian letters are their own title case.
        '\u{10d0}'..='\u{10fa}' | '\u{10fd}'..='\u{10ff}' => Some(c),
        _ if is_title(c) => Some(c),
        _ => None,
    };
    if let Some(t) = single {
        out.push(t);
        return;
    }
    let ligature = c == '\u{df}' || c == '\u{587}' || ('\u{fb00}'..='\u{fb17}').contains(&c);
    if ligature {
        let up: String = c.to_uppercase().collect();
        let mut cs = up.chars();
        out.extend(cs.next());
        out.extend(cs.flat_map(char::to_lowercase));
    } else {
        out.extend(c.to_uppercase());
    }
}

fn title_case(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut prev_cased = false;
    for c in t.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            push_title(&mut out, c);
        }
        prev_cased = is_cased(c);
    }
    out
}

fn str_casefold(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    // Full case folding is, but for a few scripts, the lower case of the
    // upper case of the lower case (`ß` and `ẞ` fold to `ss`).
    map_str(vm, s, args, kw, "casefold", |t| {
        let mut out = String::with_capacity(t.len());
        for c in t.chars() {
            // The dotless i folds to itself, Cherokee to upper case.
            if c == '\u{131}' {
                out.push(c);
                continue;
            }
            if matches!(c, '\u{13a0}'..='\u{13fd}' | '\u{ab70}'..='\u{abbf}') {
                out.extend(c.to_uppercase());
                continue;
            }
            out.extend(
                c.to_lowercase()
                    .flat_map(char::to_uppercase)
                    .flat_map(char::to_lowercase),
            );
        }
        out
    })
}

fn str_title(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    map_str(vm, s, args, kw, "title", title_case)
}

fn str_capitalize(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    map_str(vm, s, args, kw, "capitalize", |t| {
        // The first character in title case (CPython 3.8 and later).
        let mut out = String::with_capacity(t.len());
        let mut cs = t.chars();
        if let Some(c) = cs.next() {
            push_title(&mut out, c);
        }
        out.extend(cs.flat_map(char::to_lowercase));
        out
    })
}

fn str_replace(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "replace", kw)?;
    nargs_q(vm, s, "replace", args, 2, 3)?;
    let t = text(vm, s);
    let old = str_arg(vm, args[0], "replace() argument 1 must be str, not {t}")?;
    let new = str_arg(vm, args[1], "replace() argument 2 must be str, not {t}")?;
    let count = match args.get(2) {
        Some(v) => int_arg(vm, *v)?,
        None => -1,
    };
    let r = if count < 0 {
        t.replace(&old, &new)
    } else {
        t.replacen(&old, &new, count as usize)
    };
    if super::ops::too_big(r.len()) {
        return Err(vm.memory_error());
    }
    Ok(vm.str_value(&r))
}

/// The byte range `[start, end)` of a `str` method's optional slice
/// arguments (given in code points); `None` when the start is past the
/// end, where CPython finds nothing (not even the empty string).
fn char_range(vm: &mut Vm, t: &str, args: &[Value]) -> Res<Option<(usize, usize)>> {
    let n = t.chars().count() as i64;
    let bound = |v: Option<&Value>, d: i64, vm: &mut Vm| -> Res<i64> {
        match v.filter(|v| **v != Value::None) {
            None => Ok(d),
            Some(v) => match vm.index_value(*v) {
                Some(i) if i < 0 => Ok((i.saturating_add(n)).max(0)),
                Some(i) => Ok(i),
                None => Err(vm.error(
                    ExcKind::TypeError,
                    "slice indices must be integers or None or have an __index__ method".into(),
                )),
            },
        }
    };
    let a = bound(args.first(), 0, vm)?;
    let z = bound(args.get(1), n, vm)?.min(n);
    if a > z {
        return Ok(None);
    }
    let byte = |i: i64| t.char_indices().nth(i as usize).map_or(t.len(), |(b, _)| b);
    Ok(Some((byte(a), byte(z))))
}

fn find_in(vm: &mut Vm, s: Value, args: &[Value], m: &str, rev: bool) -> Res<Option<i64>> {
    nargs_old(vm, m, args, 1, 3)?;
    let t = text(vm, s);
    let needle = match vm.heap.as_str(args[0]) {
        Some(n) => n.to_string(),
        None => {
            let ty = vm.type_name(args[0]);
            return Err(vm.error(ExcKind::TypeError, format!("must be str, not {ty}")));
        }
    };
    let Some((a, z)) = char_range(vm, &t, &args[1..])? else {
        return Ok(None);
    };
    let hay = t.get(a..z).unwrap_or_default();
    let found = if rev {
        hay.rfind(&needle)
    } else {
        hay.find(&needle)
    };
    Ok(found.map(|b| t[..a + b].chars().count() as i64))
}

fn str_find(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "find", kw)?;
    Ok(Value::Int(
        find_in(vm, s, args, "find", false)?.unwrap_or(-1),
    ))
}

fn str_rfind(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "rfind", kw)?;
    Ok(Value::Int(
        find_in(vm, s, args, "rfind", true)?.unwrap_or(-1),
    ))
}

fn str_index(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "index", kw)?;
    match find_in(vm, s, args, "index", false)? {
        Some(i) => Ok(Value::Int(i)),
        None => Err(vm.error(ExcKind::ValueError, "substring not found".into())),
    }
}

fn str_rindex(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "rindex", kw)?;
    match find_in(vm, s, args, "rindex", true)? {
        Some(i) => Ok(Value::Int(i)),
        None => Err(vm.error(ExcKind::ValueError, "substring not found".into())),
    }
}

fn str_count(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "count", kw)?;
    nargs_old(vm, "count", args, 1, 3)?;
    let t = text(vm, s);
    let needle = str_arg(vm, args[0], "must be str, not {t}")?;
    let Some((a, z)) = char_range(vm, &t, &args[1..])? else {
        return Ok(Value::Int(0));
    };
    let hay = t.get(a..z).unwrap_or_default();
    let n = if needle.is_empty() {
        hay.chars().count() + 1
    } else {
        hay.matches(needle.as_str()).count()
    };
    Ok(Value::Int(n as i64))
}

fn affix(vm: &mut Vm, s: Value, args: &[Value], m: &str, end: bool) -> Res<Value> {
    nargs_old(vm, m, args, 1, 3)?;
    let t = text(vm, s);
    let range = char_range(vm, &t, &args[1..])?;
    let part = range.map(|(a, z)| t.get(a..z).unwrap_or_default());
    let test = |c: &str| match part {
        None => false,
        Some(p) if end => p.ends_with(c),
        Some(p) => p.starts_with(c),
    };
    match vm.heap.obj(args[0]) {
        Some(Obj::Str(x)) => {
            let x = x.s.to_string();
            Ok(Value::Bool(test(&x)))
        }
        Some(Obj::Tuple(xs)) => {
            // In order, stopping at the first match, as CPython does.
            let xs = xs.to_vec();
            for x in xs {
                let c = str_arg(
                    vm,
                    x,
                    &format!("tuple for {m} must only contain str, not {{t}}"),
                )?;
                if test(&c) {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        _ => {
            let ty = vm.type_name(args[0]);
            Err(vm.error(
                ExcKind::TypeError,
                format!("{m} first arg must be str or a tuple of str, not {ty}"),
            ))
        }
    }
}

fn str_startswith(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "startswith", kw)?;
    affix(vm, s, args, "startswith", false)
}

fn str_endswith(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "endswith", kw)?;
    affix(vm, s, args, "endswith", true)
}

fn pred(
    vm: &mut Vm,
    s: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
    f: fn(&str) -> bool,
) -> Res<Value> {
    no_kw_q(vm, s, m, kw)?;
    nargs_q(vm, s, m, args, 0, 0)?;
    let t = text(vm, s);
    Ok(Value::Bool(!t.is_empty() && f(&t)))
}

fn str_isdigit(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "isdigit", |t| {
        t.chars().all(|c| in_ranges(DIGIT, c))
    })
}

fn str_isdecimal(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "isdecimal", |t| {
        t.chars().all(|c| in_ranges(DECIMAL, c))
    })
}

fn str_isnumeric(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "isnumeric", |t| {
        t.chars().all(|c| in_ranges(NUMERIC, c))
    })
}

fn str_isalpha(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "isalpha", |t| {
        t.chars().all(char::is_alphabetic)
    })
}

fn str_isalnum(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "isalnum", |t| {
        t.chars().all(char::is_alphanumeric)
    })
}

fn str_isspace(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    // CPython also counts the separators U+001C..U+001F as space.
    pred(vm, s, args, kw, "isspace", |t| {
        t.chars()
            .all(|c| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
    })
}

fn str_isupper(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "isupper", |t| {
        t.chars().any(char::is_uppercase) && !t.chars().any(char::is_lowercase)
    })
}

fn str_islower(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "islower", |t| {
        t.chars().any(char::is_lowercase) && !t.chars().any(char::is_uppercase)
    })
}

fn str_isidentifier(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    pred(vm, s, args, kw, "isidentifier", |t| {
        let mut cs = t.chars();
        cs.next().is_some_and(|c| c == '_' || c.is_alphabetic())
            && cs.all(|c| c == '_' || c.is_alphanumeric())
    })
}

fn pad_args(vm: &mut Vm, args: &[Value], m: &str) -> Res<(usize, char)> {
    nargs(vm, m, args, 1, 2)?;
    let Some(w) = small(vm, args[0]) else {
        let t = vm.type_name(args[0]);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("'{t}' object cannot be interpreted as an integer"),
        ));
    };
    let fill = match args.get(1) {
        None => ' ',
        Some(v) => {
            let f = str_arg(
                vm,
                *v,
                "The fill character must be a unicode character, not {t}",
            )?;
            let mut cs = f.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(vm.error(
                        ExcKind::TypeError,
                        "The fill character must be exactly one character long".into(),
                    ))
                }
            }
        }
    };
    if super::ops::too_big(w.max(0) as usize) {
        return Err(vm.memory_error());
    }
    Ok((w.max(0) as usize, fill))
}

fn str_center(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "center", kw)?;
    let (w, f) = pad_args(vm, args, "center")?;
    let t = text(vm, s);
    let n = t.chars().count();
    if w <= n {
        return Ok(vm.str_value(&t));
    }
    let marg = w - n;
    let left = marg / 2 + (marg & w & 1);
    let r: String = std::iter::repeat_n(f, left)
        .chain(t.chars())
        .chain(std::iter::repeat_n(f, marg - left))
        .collect();
    Ok(vm.str_value(&r))
}

fn str_ljust(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "ljust", kw)?;
    let (w, f) = pad_args(vm, args, "ljust")?;
    let t = text(vm, s);
    let n = t.chars().count();
    let r: String = t
        .chars()
        .chain(std::iter::repeat_n(f, w.saturating_sub(n)))
        .collect();
    Ok(vm.str_value(&r))
}

fn str_rjust(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "rjust", kw)?;
    let (w, f) = pad_args(vm, args, "rjust")?;
    let t = text(vm, s);
    let n = t.chars().count();
    let r: String = std::iter::repeat_n(f, w.saturating_sub(n))
        .chain(t.chars())
        .collect();
    Ok(vm.str_value(&r))
}

fn str_zfill(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "zfill", kw)?;
    nargs_q(vm, s, "zfill", args, 1, 1)?;
    let w = int_arg(vm, args[0])?.max(0) as usize;
    if super::ops::too_big(w) {
        return Err(vm.memory_error());
    }
    let t = text(vm, s);
    let n = t.chars().count();
    if w <= n {
        return Ok(vm.str_value(&t));
    }
    let (sign, rest) = match t.chars().next() {
        Some(c @ ('+' | '-')) => (Some(c), &t[1..]),
        _ => (None, &t[..]),
    };
    let mut r = String::new();
    r.extend(sign);
    r.extend(std::iter::repeat_n('0', w - n));
    r.push_str(rest);
    Ok(vm.str_value(&r))
}

fn str_splitlines(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    if args.len() + kw.len() > 1 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!(
                "splitlines() takes at most 1 argument ({} given)",
                args.len() + kw.len()
            ),
        ));
    }
    if let Some((k, _)) = kw.first() {
        if vm.heap.as_str(*k) != Some("keepends") {
            let k = text(vm, *k);
            return Err(vm.error(
                ExcKind::TypeError,
                format!("'{k}' is an invalid keyword argument for splitlines()"),
            ));
        }
    }
    let keep = match args.first().copied().or(kw.first().map(|(_, v)| *v)) {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let t = text(vm, s);
    let mut out = Vec::new();
    let cs: Vec<(usize, char)> = t.char_indices().collect();
    let mut start = 0;
    let mut i = 0;
    while i < cs.len() {
        let (b, c) = cs[i];
        let is_break = matches!(
            c,
            '\n' | '\r'
                | '\x0b'
                | '\x0c'
                | '\x1c'
                | '\x1d'
                | '\x1e'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        );
        if is_break {
            let mut end = b + c.len_utf8();
            if c == '\r' && cs.get(i + 1).map(|x| x.1) == Some('\n') {
                end += 1;
                i += 1;
            }
            out.push(if keep {
                t[start..end].to_string()
            } else {
                t[start..b].to_string()
            });
            start = end;
        }
        i += 1;
    }
    if start < t.len() {
        out.push(t[start..].to_string());
    }
    Ok(str_list(vm, out))
}

fn partition(vm: &mut Vm, s: Value, args: &[Value], m: &str, rev: bool) -> Res<Value> {
    nargs_q(vm, s, m, args, 1, 1)?;
    let t = text(vm, s);
    let sep = str_arg(vm, args[0], "must be str, not {t}")?;
    if sep.is_empty() {
        return Err(vm.error(ExcKind::ValueError, "empty separator".into()));
    }
    let found = if rev { t.rfind(&sep) } else { t.find(&sep) };
    let parts = match found {
        Some(i) => [
            t[..i].to_string(),
            sep.clone(),
            t[i + sep.len()..].to_string(),
        ],
        None if rev => [String::new(), String::new(), t.clone()],
        None => [t.clone(), String::new(), String::new()],
    };
    let vs: Vec<Value> = parts.iter().map(|p| vm.str_value(p)).collect();
    Ok(vm.heap.alloc(Obj::Tuple(vs.into())))
}

fn str_partition(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "partition", kw)?;
    partition(vm, s, args, "partition", false)
}

fn str_rpartition(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "rpartition", kw)?;
    partition(vm, s, args, "rpartition", true)
}

/// `str.format`: replacement fields with automatic or explicit numbering,
/// names, attribute and index access, conversions and nested specs.
fn str_format(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let t = text(vm, s);
    let mut auto = 0usize;
    let r = format_fields(vm, &t, args, kw, &mut auto, 2)?;
    Ok(vm.str_value(&r))
}

/// `str.format_map`: the fields' names looked up in a dict.
fn str_format_map(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "format_map", kw)?;
    nargs_q(vm, s, "format_map", args, 1, 1)?;
    let pairs: Vec<(Value, Value)> = match vm.heap.obj(args[0]) {
        Some(Obj::Dict(d)) => d.iter().map(|e| (e.key, e.value)).collect(),
        _ => return gap("str.format_map with a mapping other than a dict"),
    };
    // Held while fields are formatted: `__format__` may change the dict.
    for (k, v) in &pairs {
        vm.heap.incref(*k);
        vm.heap.incref(*v);
    }
    let t = text(vm, s);
    let mut auto = 0usize;
    let r = format_fields(vm, &t, &[], &pairs, &mut auto, 2);
    for (k, v) in pairs {
        vm.heap.decref(k);
        vm.heap.decref(v);
    }
    let r = r?;
    Ok(vm.str_value(&r))
}

fn format_fields(
    vm: &mut Vm,
    t: &str,
    args: &[Value],
    kw: &[(Value, Value)],
    auto: &mut usize,
    depth: u32,
) -> Res<String> {
    let cs: Vec<char> = t.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let bad = |vm: &mut Vm, m: &str| vm.error(ExcKind::ValueError, m.to_string());
    while i < cs.len() {
        let c = cs[i];
        if c == '}' {
            if cs.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(bad(vm, "Single '}' encountered in format string"));
        }
        if c != '{' {
            out.push(c);
            i += 1;
            continue;
        }
        if cs.get(i + 1) == Some(&'{') {
            out.push('{');
            i += 2;
            continue;
        }
        if i + 1 == cs.len() {
            return Err(bad(vm, "Single '{' encountered in format string"));
        }
        // The field, up to its matching brace.
        let mut j = i + 1;
        let mut level = 1;
        while j < cs.len() {
            match cs[j] {
                '{' => level += 1,
                '}' => {
                    level -= 1;
                    if level == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        if j >= cs.len() {
            let in_spec = cs[i + 1..].contains(&':');
            return Err(bad(
                vm,
                if in_spec {
                    "unmatched '{' in format spec"
                } else {
                    "expected '}' before end of string"
                },
            ));
        }
        let field: String = cs[i + 1..j].iter().collect();
        i = j + 1;
        if depth == 0 {
            return Err(bad(vm, "Max string recursion exceeded"));
        }
        // name[!conv][:spec]
        let (head, spec) = match field.find(':') {
            Some(p) => (&field[..p], &field[p + 1..]),
            None => (&field[..], ""),
        };
        let (name, conv) = match head.find('!') {
            Some(p) => (&head[..p], Some(&head[p + 1..])),
            None => (head, None),
        };
        let first_end = name.find(['.', '[']).unwrap_or(name.len());
        let (first, rest) = name.split_at(first_end);
        let mut obj = if first.is_empty() {
            if *auto == usize::MAX {
                return Err(bad(
                    vm,
                    "cannot switch from manual field specification to automatic field numbering",
                ));
            }
            let k = *auto;
            *auto += 1;
            match args.get(k) {
                Some(v) => vm.heap.own(*v),
                None => {
                    return Err(vm.error(
                        ExcKind::IndexError,
                        format!("Replacement index {k} out of range for positional args tuple"),
                    ))
                }
            }
        } else if let Ok(k) = first.parse::<usize>() {
            if *auto > 0 && *auto != usize::MAX {
                return Err(bad(
                    vm,
                    "cannot switch from automatic field numbering to manual field specification",
                ));
            }
            *auto = usize::MAX;
            match args.get(k) {
                Some(v) => vm.heap.own(*v),
                None => {
                    return Err(vm.error(
                        ExcKind::IndexError,
                        format!("Replacement index {k} out of range for positional args tuple"),
                    ))
                }
            }
        } else {
            match kw.iter().find(|(k, _)| vm.heap.as_str(*k) == Some(first)) {
                Some((_, v)) => vm.heap.own(*v),
                None => {
                    let k = vm.str_value(first);
                    let e = vm.new_exception(vm.types.exc(ExcKind::KeyError), &[k]);
                    vm.heap.decref(k);
                    return Err(Fault::Raise(e));
                }
            }
        };
        // .attr and [key] parts.
        let rc: Vec<char> = rest.chars().collect();
        let mut p = 0;
        while p < rc.len() {
            let next = if rc[p] == '.' {
                let e = rc[p + 1..]
                    .iter()
                    .position(|c| *c == '.' || *c == '[')
                    .map_or(rc.len(), |q| p + 1 + q);
                let attr: String = rc[p + 1..e].iter().collect();
                p = e;
                let n = vm.str_value(&attr);
                let r = vm.getattr(obj, n);
                vm.heap.decref(n);
                r
            } else {
                let e = rc[p..]
                    .iter()
                    .position(|c| *c == ']')
                    .map_or(rc.len(), |q| p + q);
                let key: String = rc[p + 1..e].iter().collect();
                p = e + 1;
                let k = match key.parse::<i64>() {
                    Ok(n) => Value::Int(n),
                    Err(_) => vm.str_value(&key),
                };
                let r = vm.subscript(obj, k);
                vm.heap.decref(k);
                r
            };
            vm.heap.decref(obj);
            obj = next?;
        }
        let converted = match conv {
            None => None,
            Some("r") => Some(vm.repr(obj)),
            Some("s") => Some(vm.str_of(obj)),
            Some("a") => Some(vm.ascii(obj)),
            Some(c) => {
                vm.heap.decref(obj);
                let mut cs = c.chars();
                let msg = match (cs.next(), cs.next()) {
                    (None, _) => "unmatched '{' in format spec".to_string(),
                    (Some(x), None) => format!("Unknown conversion specifier {x}"),
                    _ => "expected ':' after conversion specifier".to_string(),
                };
                return Err(bad(vm, &msg));
            }
        };
        let spec = if spec.contains('{') {
            format_fields(vm, spec, args, kw, auto, depth - 1)?
        } else {
            spec.to_string()
        };
        let piece = match converted {
            Some(Ok(s)) => {
                let sv = vm.str_value(&s);
                let r = vm.format_value(sv, &spec);
                vm.heap.decref(sv);
                r
            }
            Some(Err(e)) => Err(e),
            None => vm.format_value(obj, &spec),
        };
        vm.heap.decref(obj);
        out.push_str(&piece?);
    }
    Ok(out)
}

// ---- numbers ----

fn int_bit_length(vm: &mut Vm, n: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, n, "bit_length", kw)?;
    nargs_q(vm, n, "bit_length", args, 0, 0)?;
    let b = vm.as_big(n).unwrap_or_default();
    Ok(Value::Int(b.bits() as i64))
}

fn int_conjugate(vm: &mut Vm, n: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, n, "conjugate", kw)?;
    nargs_q(vm, n, "conjugate", args, 0, 0)?;
    let b = vm.as_big(n).unwrap_or_default();
    Ok(vm.big(b))
}

fn float_is_integer(vm: &mut Vm, f: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, f, "is_integer", kw)?;
    nargs_q(vm, f, "is_integer", args, 0, 0)?;
    let x = vm.as_f64(f).unwrap_or(0.0);
    Ok(Value::Bool(x.is_finite() && x.fract() == 0.0))
}

fn float_as_integer_ratio(
    vm: &mut Vm,
    f: Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> Res<Value> {
    no_kw_q(vm, f, "as_integer_ratio", kw)?;
    nargs_q(vm, f, "as_integer_ratio", args, 0, 0)?;
    let x = vm.as_f64(f).unwrap_or(0.0);
    if x.is_nan() {
        return Err(vm.error(
            ExcKind::ValueError,
            "cannot convert NaN to integer ratio".into(),
        ));
    }
    if x.is_infinite() {
        return Err(vm.error(
            ExcKind::OverflowError,
            "cannot convert Infinity to integer ratio".into(),
        ));
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = if exp == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    let mut num = num_bigint::BigInt::from(mant);
    let mut e = exp - 1075;
    if x < 0.0 {
        num = -num;
    }
    let mut den = num_bigint::BigInt::from(1);
    if num == num_bigint::BigInt::from(0) {
        return Ok(vm
            .heap
            .alloc(Obj::Tuple(vec![Value::Int(0), Value::Int(1)].into())));
    }
    while e < 0 && (&num % 2u32) == num_bigint::BigInt::from(0) {
        num /= 2;
        e += 1;
    }
    if e > 0 {
        num <<= e as usize;
    } else {
        den <<= (-e) as usize;
    }
    let (a, b) = (vm.big(num), vm.big(den));
    Ok(vm.heap.alloc(Obj::Tuple(vec![a, b].into())))
}

// ---- generators ----

fn gen_ref(vm: &mut Vm, g: Value) -> Res<crate::value::ObjRef> {
    match g.obj() {
        Some(r) if matches!(vm.heap.get(r), Obj::Generator(_)) => Ok(r),
        _ => vm.broken("a generator"),
    }
}

/// The result of resuming: the yielded value, or `StopIteration`
/// carrying the return value.
fn resumed(vm: &mut Vm, r: Option<Value>) -> Res<Value> {
    match r {
        Some(v) => Ok(v),
        None => {
            let rv = std::mem::replace(&mut vm.native_result, Value::Empty);
            let args: Vec<Value> = if rv == Value::None || rv == Value::Empty {
                vec![]
            } else {
                vec![rv]
            };
            let e = vm.new_exception(vm.types.exc(ExcKind::StopIteration), &args);
            vm.heap.decref(rv);
            Err(Fault::Raise(e))
        }
    }
}

fn gen_send(vm: &mut Vm, g: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, g, "send", kw)?;
    nargs_q(vm, g, "send", args, 1, 1)?;
    let r = gen_ref(vm, g)?;
    let out = vm.resume(r, args[0], None)?;
    resumed(vm, out)
}

fn gen_next(vm: &mut Vm, g: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__next__")?;
    let r = gen_ref(vm, g)?;
    let out = vm.resume(r, Value::None, None)?;
    resumed(vm, out)
}

fn gen_throw(vm: &mut Vm, g: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, g, "throw", kw)?;
    nargs_q(vm, g, "throw", args, 1, 3)?;
    let r = gen_ref(vm, g)?;
    let e = if args.len() >= 2 && args[1] != Value::None && vm.exc_data(args[1]).is_none() {
        vm.call_value(args[0], &[args[1]], &[])?
    } else if args.len() >= 2 && args[1] != Value::None {
        vm.heap.own(args[1])
    } else {
        vm.exception_of(args[0])?
    };
    let state = match vm.heap.get(r) {
        Obj::Generator(gen) => gen.state,
        _ => GenState::Done,
    };
    if state == GenState::Created {
        if let Obj::Generator(gen) = vm.heap.get_mut(r) {
            gen.state = GenState::Done;
        }
        return Err(Fault::Raise(e));
    }
    let out = vm.resume(r, Value::None, Some(e))?;
    resumed(vm, out)
}

fn gen_close(vm: &mut Vm, g: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, g, "close", kw)?;
    nargs_q(vm, g, "close", args, 0, 0)?;
    let r = gen_ref(vm, g)?;
    let state = match vm.heap.get(r) {
        Obj::Generator(gen) => gen.state,
        _ => GenState::Done,
    };
    if state != GenState::Suspended {
        if let Obj::Generator(gen) = vm.heap.get_mut(r) {
            gen.state = GenState::Done;
        }
        return Ok(Value::None);
    }
    let e = vm.new_exception(vm.types.exc(ExcKind::GeneratorExit), &[]);
    match vm.resume(r, Value::None, Some(e)) {
        Ok(Some(v)) => {
            vm.heap.decref(v);
            Err(vm.error(
                ExcKind::RuntimeError,
                "generator ignored GeneratorExit".into(),
            ))
        }
        Ok(None) => Ok(Value::None),
        Err(Fault::Raise(x))
            if vm.is_subclass(vm.type_of(x), vm.types.exc(ExcKind::GeneratorExit))
                || vm.is_stop_iteration(x) =>
        {
            vm.heap.decref(x);
            Ok(Value::None)
        }
        Err(f) => Err(f),
    }
}

// ---- object, exceptions, type ----

fn object_init(_vm: &mut Vm, _o: Value, _args: &[Value], _kw: &[(Value, Value)]) -> Res<Value> {
    Ok(Value::None)
}

fn object_new(vm: &mut Vm, cls: Value, _args: &[Value], _kw: &[(Value, Value)]) -> Res<Value> {
    let Some(r) = cls
        .obj()
        .filter(|r| matches!(vm.heap.get(*r), Obj::Class(_)))
    else {
        let t = vm.type_name(cls);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("object.__new__(X): X is not a type object ({t})"),
        ));
    };
    let ty = vm.class(r).map_or(Ty::Object, |c| c.ty);
    if ty == Ty::BaseException {
        return Ok(vm.new_exception(r, _args));
    }
    vm.heap.incref(cls);
    Ok(vm.heap.alloc(Obj::Instance(Box::new(crate::heap::Instance {
        class: r,
        dict: crate::dict::Dict::new(),
        exc: None,
    }))))
}

fn object_setattr(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__setattr__", kw)?;
    nargs(vm, "__setattr__", args, 2, 2)?;
    let n = text(vm, args[0]);
    vm.generic_setattr(o, args[0], args[1], &n)?;
    Ok(Value::None)
}

fn object_getattribute(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__getattribute__", kw)?;
    nargs(vm, "__getattribute__", args, 1, 1)?;
    let n = text(vm, args[0]);
    match vm.generic_getattr(o, &n)? {
        Some(v) => Ok(v),
        // CPython names only the attribute here.
        None => Err(vm.error(ExcKind::AttributeError, n)),
    }
}

fn object_eq(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__eq__", kw)?;
    nargs(vm, "__eq__", args, 1, 1)?;
    if vm.is(o, args[0])? {
        return Ok(Value::Bool(true));
    }
    let ni = vm.builtin("NotImplemented")?;
    Ok(vm.heap.own(ni))
}

fn object_ne(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__ne__", kw)?;
    nargs(vm, "__ne__", args, 1, 1)?;
    let r = vm.compare(crate::code::Cmp::Eq, o, args[0])?;
    let t = vm.truthy(r);
    vm.heap.decref(r);
    Ok(Value::Bool(!t?))
}

fn object_hash(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__hash__", kw)?;
    nargs(vm, "__hash__", args, 0, 0)?;
    Ok(Value::Int(match o {
        Value::Obj(r) if matches!(vm.heap.get(r), Obj::Instance(_)) => (r.0 as i64) << 4 | 0x5,
        _ => vm.hash(o)?,
    }))
}

fn object_repr(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__repr__", kw)?;
    nargs(vm, "__repr__", args, 0, 0)?;
    let Some(r) = o.obj() else {
        // Immediate values: their own `__repr__`.
        let s = vm.repr(o)?;
        return Ok(vm.str_value(&s));
    };
    if let Some(d) = vm.exc_data(o) {
        // `BaseException.__repr__`: the class name and the arguments.
        let args = d.args.clone();
        let name = vm
            .class(vm.type_of(o))
            .map_or_else(String::new, |c| c.name.to_string());
        let mut parts = Vec::with_capacity(args.len());
        for a in args {
            parts.push(vm.repr(a)?);
        }
        let s = format!("{name}({})", parts.join(", "));
        return Ok(vm.str_value(&s));
    }
    if !matches!(vm.heap.get(r), Obj::Instance(_)) {
        let t = vm.type_name(o);
        let s = format!(
            "<{t} object at 0x{:012x}>",
            0x7f00_0000_0000u64 + u64::from(r.0) * 0x30
        );
        return Ok(vm.str_value(&s));
    }
    let t = vm.type_of(o);
    let q = vm
        .class(t)
        .map_or_else(String::new, |c| c.qualname.to_string());
    let s = format!(
        "<__main__.{q} object at 0x{:012x}>",
        0x7f00_0000_0000u64 + u64::from(r.0) * 0x30
    );
    Ok(vm.str_value(&s))
}

fn object_str(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__str__", kw)?;
    nargs(vm, "__str__", args, 0, 0)?;
    if vm.exc_data(o).is_some() {
        let args = vm.exc_data(o).map(|d| d.args.clone()).unwrap_or_default();
        let s = match args.len() {
            0 => String::new(),
            1 => vm.str_of(args[0])?,
            _ => {
                for a in &args {
                    vm.heap.incref(*a);
                }
                let t = vm.heap.alloc(Obj::Tuple(args.into()));
                let s = vm.repr(t);
                vm.heap.decref(t);
                s?
            }
        };
        return Ok(vm.str_value(&s));
    }
    // `object.__str__` is the object's `repr`.
    let s = vm.repr(o)?;
    Ok(vm.str_value(&s))
}

fn exc_with_traceback(vm: &mut Vm, e: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "BaseException.with_traceback", kw)?;
    nargs(vm, "BaseException.with_traceback", args, 1, 1)?;
    Ok(vm.heap.own(e))
}

fn type_mro(vm: &mut Vm, c: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let q = c
        .obj()
        .and_then(|r| vm.class(r))
        .map_or_else(|| "type".to_string(), |k| k.name.to_string());
    no_kw(vm, &format!("{q}.mro"), kw)?;
    nargs(vm, &format!("{q}.mro"), args, 0, 0)?;
    let mro: Vec<Value> = c
        .obj()
        .and_then(|r| vm.class(r))
        .map(|k| k.mro.iter().map(|m| Value::Obj(*m)).collect())
        .unwrap_or_default();
    for m in &mro {
        vm.heap.incref(*m);
    }
    Ok(vm.heap.alloc(Obj::List(mro)))
}

// ---- str, continued ----

fn str_expandtabs(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    if args.len() + kw.len() > 1 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!(
                "expandtabs() takes at most 1 argument ({} given)",
                args.len() + kw.len()
            ),
        ));
    }
    let mut size = args.first().copied();
    for (k, v) in kw {
        match vm.heap.as_str(*k) {
            Some("tabsize") => size = Some(*v),
            _ => {
                let k = text(vm, *k);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("'{k}' is an invalid keyword argument for expandtabs()"),
                ));
            }
        }
    }
    let size = match size {
        None => 8,
        Some(v) => match vm.as_i64(v) {
            Some(n) => n,
            None if vm.as_big(v).is_some() => {
                return Err(vm.error(
                    ExcKind::OverflowError,
                    "Python int too large to convert to C long".into(),
                ))
            }
            None => {
                let t = vm.type_name(v);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("an integer is required (got type {t})"),
                ));
            }
        },
    };
    let t = text(vm, s);
    let mut out = String::with_capacity(t.len());
    let mut col: usize = 0;
    for c in t.chars() {
        match c {
            '\t' => {
                if size > 0 {
                    let size = size as usize;
                    let n = size - col % size;
                    if super::ops::too_big(out.len().saturating_add(n)) {
                        return Err(vm.memory_error());
                    }
                    out.extend(std::iter::repeat_n(' ', n));
                    col += n;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                col = 0;
            }
            _ => {
                out.push(c);
                col += 1;
            }
        }
    }
    Ok(vm.str_value(&out))
}

fn str_isascii(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "isascii", kw)?;
    nargs_q(vm, s, "isascii", args, 0, 0)?;
    Ok(Value::Bool(text(vm, s).is_ascii()))
}

/// Whether CPython counts `c` printable: not a control, format,
/// surrogate, private-use or unassigned character, nor a separator other
/// than the space (approximated without the Unicode database's categories
/// beyond what `char` knows).
fn printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = c as u32;
    let format = matches!(
        u,
        0xad | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x180e
            | 0x200b..=0x200f
            | 0x202a..=0x202e
            | 0x2060..=0x2064
            | 0x2066..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0xe0001
            | 0xe0020..=0xe007f
    );
    let private = matches!(u, 0xe000..=0xf8ff | 0xf0000..=0x10ffff);
    let nonchar = (u & 0xfffe) == 0xfffe || (0xfdd0..=0xfdef).contains(&u);
    !(format || private || nonchar)
}

fn str_isprintable(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "isprintable", kw)?;
    nargs_q(vm, s, "isprintable", args, 0, 0)?;
    Ok(Value::Bool(text(vm, s).chars().all(printable)))
}

fn str_istitle(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "istitle", kw)?;
    nargs_q(vm, s, "istitle", args, 0, 0)?;
    let t = text(vm, s);
    let mut cased = false;
    let mut prev_cased = false;
    for c in t.chars() {
        // Titlecase letters (`ǅ`) count as upper case.
        if c.is_uppercase() || is_title(c) {
            if prev_cased {
                return Ok(Value::Bool(false));
            }
            prev_cased = true;
            cased = true;
        } else if c.is_lowercase() {
            if !prev_cased {
                return Ok(Value::Bool(false));
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    Ok(Value::Bool(cased))
}

fn affix_remove(
    vm: &mut Vm,
    s: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
) -> Res<Value> {
    no_kw(vm, m, kw)?;
    nargs(vm, &format!("str.{m}"), args, 1, 1)?;
    let Some(a) = vm.heap.as_str(args[0]).map(String::from) else {
        let t = vm.type_name(args[0]);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("{m}() argument must be str, not {t}"),
        ));
    };
    let t = text(vm, s);
    let r = if m == "removeprefix" {
        t.strip_prefix(a.as_str())
    } else {
        t.strip_suffix(a.as_str())
    };
    match r {
        Some(r) => Ok(vm.str_value(r)),
        None => Ok(vm.heap.own(s)),
    }
}

fn str_removeprefix(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    affix_remove(vm, s, args, kw, "removeprefix")
}

fn str_removesuffix(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    affix_remove(vm, s, args, kw, "removesuffix")
}

/// Whether `f` is an exception that is a `LookupError`; dropped if so.
fn drop_lookup_error(vm: &mut Vm, f: &Fault) -> bool {
    let Fault::Raise(e) = f else { return false };
    let e = *e;
    let is = vm.is_subclass(vm.type_of(e), vm.types.exc(ExcKind::LookupError));
    if is {
        vm.heap.decref(e);
    }
    is
}

fn str_translate(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "translate", kw)?;
    nargs_q(vm, s, "translate", args, 1, 1)?;
    let table = args[0];
    let t = text(vm, s);
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        let k = Value::Int(i64::from(u32::from(c)));
        let r = match vm.subscript(table, k) {
            Ok(r) => r,
            Err(f) => {
                if drop_lookup_error(vm, &f) {
                    out.push(c);
                    continue;
                }
                return Err(f);
            }
        };
        let piece: Res<()> = match r {
            Value::None => Ok(()),
            _ => {
                if let Some(x) = vm.heap.as_str(r) {
                    out.push_str(x);
                    Ok(())
                } else if let Some(n) = vm.as_i64(r) {
                    match u32::try_from(n).ok().and_then(char::from_u32) {
                        Some(ch) => {
                            out.push(ch);
                            Ok(())
                        }
                        None if (0..0x110000).contains(&n) => {
                            gap("a lone surrogate in str.translate")
                        }
                        None => Err(vm.error(
                            ExcKind::ValueError,
                            "character mapping must be in range(0x110000)".into(),
                        )),
                    }
                } else if vm.as_big(r).is_some() {
                    Err(vm.error(
                        ExcKind::ValueError,
                        "character mapping must be in range(0x110000)".into(),
                    ))
                } else {
                    Err(vm.error(
                        ExcKind::TypeError,
                        "character mapping must return integer, None or str".into(),
                    ))
                }
            }
        };
        vm.heap.decref(r);
        piece?;
        if super::ops::too_big(out.len()) {
            return Err(vm.memory_error());
        }
    }
    Ok(vm.str_value(&out))
}

/// `str.maketrans(x[, y[, z]])` (static: the object it was found on is
/// ignored).
fn str_maketrans(vm: &mut Vm, _s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "maketrans", kw)?;
    nargs(vm, "maketrans", args, 1, 3)?;
    let out = vm.new_dict();
    let r = maketrans_into(vm, out, args);
    match r {
        Ok(()) => Ok(out),
        Err(e) => {
            vm.heap.decref(out);
            Err(e)
        }
    }
}

fn maketrans_into(vm: &mut Vm, out: Value, args: &[Value]) -> Res<()> {
    if args.len() == 1 {
        if !matches!(vm.heap.obj(args[0]), Some(Obj::Dict(_))) {
            return Err(vm.error(
                ExcKind::TypeError,
                "if you give only one argument to maketrans it must be a dict".into(),
            ));
        }
        let entries: Vec<(Value, Value)> = match vm.heap.obj(args[0]) {
            Some(Obj::Dict(d)) => d.iter().map(|e| (e.key, e.value)).collect(),
            _ => Vec::new(),
        };
        for (k, v) in entries {
            if let Some(ks) = vm.heap.as_str(k) {
                let mut cs = ks.chars();
                let (Some(c), None) = (cs.next(), cs.next()) else {
                    return Err(vm.error(
                        ExcKind::ValueError,
                        "string keys in translate table must be of length 1".into(),
                    ));
                };
                vm.dict_set(out, Value::Int(i64::from(u32::from(c))), v)?;
            } else if vm.as_big(k).is_some() {
                vm.dict_set(out, k, v)?;
            } else {
                return Err(vm.error(
                    ExcKind::TypeError,
                    "keys in translate table must be strings or integers".into(),
                ));
            }
        }
        return Ok(());
    }
    let mut strs = Vec::new();
    for (n, a) in args.iter().enumerate() {
        match vm.heap.as_str(*a) {
            Some(x) => strs.push(x.chars().collect::<Vec<char>>()),
            None => {
                let t = vm.type_name(*a);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("maketrans() argument {} must be str, not {t}", n + 1),
                ));
            }
        }
    }
    let (Some(x), Some(y)) = (strs.first(), strs.get(1)) else {
        return vm.broken("maketrans arguments");
    };
    if x.len() != y.len() {
        return Err(vm.error(
            ExcKind::ValueError,
            "the first two maketrans arguments must have equal length".into(),
        ));
    }
    for (a, b) in x.iter().zip(y) {
        let (a, b) = (i64::from(u32::from(*a)), i64::from(u32::from(*b)));
        vm.dict_set(out, Value::Int(a), Value::Int(b))?;
    }
    for c in strs.get(2).map(Vec::as_slice).unwrap_or_default() {
        vm.dict_set(out, Value::Int(i64::from(u32::from(*c))), Value::None)?;
    }
    Ok(())
}

// ---- numbers, continued ----

fn int_as_integer_ratio(
    vm: &mut Vm,
    n: Value,
    args: &[Value],
    kw: &[(Value, Value)],
) -> Res<Value> {
    no_kw_q(vm, n, "as_integer_ratio", kw)?;
    nargs_q(vm, n, "as_integer_ratio", args, 0, 0)?;
    let b = vm.as_big(n).unwrap_or_default();
    let a = vm.big(b);
    Ok(vm.heap.alloc(Obj::Tuple(vec![a, Value::Int(1)].into())))
}

fn float_conjugate(vm: &mut Vm, f: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, f, "conjugate", kw)?;
    nargs_q(vm, f, "conjugate", args, 0, 0)?;
    Ok(Value::Float(vm.as_f64(f).unwrap_or(0.0)))
}

/// `float.hex`: CPython's `0x1.<13 hex digits>p<exponent>` form.
fn hex_of(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x < 0.0 { "-inf" } else { "inf" }.into();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        format!("{sign}0x0.{mant:013x}p-1022")
    } else {
        format!("{sign}0x1.{mant:013x}p{:+}", exp - 1023)
    }
}

fn float_hex(vm: &mut Vm, f: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, f, "hex", kw)?;
    nargs_q(vm, f, "hex", args, 0, 0)?;
    let s = hex_of(vm.as_f64(f).unwrap_or(0.0));
    Ok(vm.str_value(&s))
}

/// The float nearest `n * 2**e` (ties to even); infinite past the range.
fn scaled(n: &num_bigint::BigUint, e: i64) -> f64 {
    use num_traits::{ToPrimitive, Zero};
    if n.is_zero() {
        return 0.0;
    }
    let bits = n.bits() as i64;
    // Keep 53 significant bits, fewer below the normal range.
    let shift = (bits - 53).max(-1074 - e);
    let (m, e) = if shift > 0 {
        let q = n >> (shift as usize);
        let rem = n - (&q << (shift as usize));
        let half = num_bigint::BigUint::from(1u8) << ((shift - 1) as usize);
        let odd = q.bit(0);
        let q = if rem > half || (rem == half && odd) {
            q + 1u8
        } else {
            q
        };
        (q, e + shift)
    } else {
        (n.clone(), e)
    };
    let mut x = m.to_f64().unwrap_or(f64::INFINITY);
    if e.abs() > 4000 {
        return if e > 0 { f64::INFINITY } else { 0.0 };
    }
    let mut e = e;
    while e > 0 {
        let k = e.min(1000);
        x *= 2f64.powi(k as i32);
        e -= k;
    }
    while e < 0 {
        let k = (-e).min(1000);
        x /= 2f64.powi(k as i32);
        e += k;
    }
    x
}

/// Parses CPython's hexadecimal float syntax; `None` when invalid.
fn parse_hex_float(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    let sign = |x: f64| if neg { -x } else { x };
    match body {
        "inf" | "infinity" => return Some(sign(f64::INFINITY)),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    let body = body.strip_prefix("0x").unwrap_or(body);
    let (digits, exp) = match body.split_once('p') {
        Some((d, x)) => {
            let x = x.strip_prefix('+').unwrap_or(x);
            let ok = !x.is_empty()
                && x.strip_prefix('-')
                    .unwrap_or(x)
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && x != "-";
            if !ok {
                return None;
            }
            // Saturate huge exponents: the value is then 0 or infinite.
            let e = x.parse::<i64>().unwrap_or(if x.starts_with('-') {
                -1_000_000
            } else {
                1_000_000
            });
            (d, e.clamp(-1_000_000, 1_000_000))
        }
        None => (body, 0),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut n = num_bigint::BigUint::default();
    for c in int.chars().chain(frac.chars()) {
        let d = c.to_digit(16)?;
        n = (n << 4usize) + d;
    }
    let e = exp - 4 * frac.len() as i64;
    Some(sign(scaled(&n, e)))
}

fn float_fromhex(vm: &mut Vm, _cls: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "fromhex", kw)?;
    nargs(vm, "float.fromhex", args, 1, 1)?;
    let Some(s) = vm.heap.as_str(args[0]).map(String::from) else {
        return Err(vm.error(
            ExcKind::TypeError,
            "bad argument type for built-in operation".into(),
        ));
    };
    match parse_hex_float(&s) {
        Some(x) if x.is_infinite() && !s.to_ascii_lowercase().contains("inf") => Err(vm.error(
            ExcKind::OverflowError,
            "hexadecimal value too large to represent as a float".into(),
        )),
        Some(x) => Ok(Value::Float(x)),
        None => Err(vm.error(
            ExcKind::ValueError,
            "invalid hexadecimal floating-point string".into(),
        )),
    }
}

// ---- property, slice ----

fn property_with(
    vm: &mut Vm,
    p: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
    slot: usize,
) -> Res<Value> {
    no_kw(vm, m, kw)?;
    nargs(vm, &format!("property.{m}"), args, 1, 1)?;
    let Some(Obj::Property(g, s, d)) = vm.heap.obj(p) else {
        return vm.broken("a property");
    };
    let mut parts = [*g, *s, *d];
    if let Some(x) = parts.get_mut(slot) {
        *x = args[0];
    }
    for v in parts {
        vm.heap.incref(v);
    }
    let [g, s, d] = parts;
    Ok(vm.heap.alloc(Obj::Property(g, s, d)))
}

fn property_getter(vm: &mut Vm, p: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    property_with(vm, p, args, kw, "getter", 0)
}

fn property_setter(vm: &mut Vm, p: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    property_with(vm, p, args, kw, "setter", 1)
}

fn property_deleter(vm: &mut Vm, p: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    property_with(vm, p, args, kw, "deleter", 2)
}

fn slice_indices(vm: &mut Vm, s: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw_q(vm, s, "indices", kw)?;
    nargs_q(vm, s, "indices", args, 1, 1)?;
    let n = match vm.index_value(args[0]) {
        Some(n) => n,
        None if vm.as_big(args[0]).is_some() => return gap("slice.indices of a huge length"),
        None => {
            let t = vm.type_name(args[0]);
            return Err(vm.error(
                ExcKind::TypeError,
                format!("'{t}' object cannot be interpreted as an integer"),
            ));
        }
    };
    if n < 0 {
        return Err(vm.error(ExcKind::ValueError, "length should not be negative".into()));
    }
    let (a, z, st) = vm.slice_indices(s, n as usize)?;
    Ok(vm.heap.alloc(Obj::Tuple(
        vec![Value::Int(a), Value::Int(z), Value::Int(st)].into(),
    )))
}

// ---- special methods shared by built-in types ----

/// The kind of a built-in operand, for the special methods that return
/// `NotImplemented` on an operand of another kind: 1 int, 2 float, 3 str,
/// 4 list, 5 tuple, 6 dict, 7 set or frozenset, 8 range; 0 anything else.
fn kind(vm: &Vm, v: Value) -> u8 {
    match v {
        Value::Int(_) | Value::Bool(_) => 1,
        Value::Float(_) => 2,
        _ => match vm.heap.obj(v) {
            Some(Obj::Big(_)) => 1,
            Some(Obj::Str(_)) => 3,
            Some(Obj::List(_)) => 4,
            Some(Obj::Tuple(_)) => 5,
            Some(Obj::Dict(_)) => 6,
            Some(Obj::Set(_) | Obj::FrozenSet(_)) => 7,
            Some(Obj::Range(..)) => 8,
            _ => 0,
        },
    }
}

/// Whether the special methods of `this` take `other` (a float takes an
/// int).
fn accepts(vm: &Vm, this: Value, other: Value) -> bool {
    let (a, b) = (kind(vm, this), kind(vm, other));
    a != 0 && (a == b || (a, b) == (2, 1))
}

fn not_implemented(vm: &mut Vm) -> Res<Value> {
    let ni = vm.builtin("NotImplemented")?;
    Ok(vm.heap.own(ni))
}

fn one_arg(vm: &mut Vm, args: &[Value], kw: &[(Value, Value)], m: &str) -> Res<Value> {
    no_kw(vm, m, kw)?;
    match args {
        [a] => Ok(*a),
        _ => Err(vm.error(
            ExcKind::TypeError,
            format!("expected 1 argument, got {}", args.len()),
        )),
    }
}

fn no_args(vm: &mut Vm, args: &[Value], kw: &[(Value, Value)], m: &str) -> Res<()> {
    no_kw(vm, m, kw)?;
    if args.is_empty() {
        return Ok(());
    }
    Err(vm.error(
        ExcKind::TypeError,
        format!("expected 0 arguments, got {}", args.len()),
    ))
}

/// `this.__op__(other)` (or `__rop__` when `reflected`).
fn arith(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
    op: Bin,
    reflected: bool,
) -> Res<Value> {
    let other = one_arg(vm, args, kw, m)?;
    let (k, ko) = (kind(vm, this), kind(vm, other));
    let seq = matches!(k, 3..=5);
    if op == Bin::Mul && seq {
        if vm.index_value(other).is_none() && vm.as_big(other).is_none() {
            let t = vm.type_name(other);
            return Err(vm.error(
                ExcKind::TypeError,
                format!("'{t}' object cannot be interpreted as an integer"),
            ));
        }
    } else if op == Bin::Mod && k == 3 && !reflected {
        // `str % anything`.
    } else if op == Bin::Add && seq && ko != k {
        // Concatenation raises rather than returning NotImplemented.
    } else if !accepts(vm, this, other) {
        return not_implemented(vm);
    }
    if reflected {
        vm.binary(op, false, other, this)
    } else {
        vm.binary(op, false, this, other)
    }
}

macro_rules! arith_methods {
    ($($f:ident $name:literal $op:ident $refl:literal;)*) => {
        $(
            fn $f(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
                arith(vm, this, args, kw, $name, Bin::$op, $refl)
            }
        )*
    };
}

arith_methods! {
    d_add "__add__" Add false;
    d_radd "__radd__" Add true;
    d_sub "__sub__" Sub false;
    d_rsub "__rsub__" Sub true;
    d_mul "__mul__" Mul false;
    d_rmul "__rmul__" Mul true;
    d_truediv "__truediv__" TrueDiv false;
    d_rtruediv "__rtruediv__" TrueDiv true;
    d_floordiv "__floordiv__" FloorDiv false;
    d_rfloordiv "__rfloordiv__" FloorDiv true;
    d_mod "__mod__" Mod false;
    d_rmod "__rmod__" Mod true;
    d_pow "__pow__" Pow false;
    d_rpow "__rpow__" Pow true;
    d_lshift "__lshift__" Lshift false;
    d_rlshift "__rlshift__" Lshift true;
    d_rshift "__rshift__" Rshift false;
    d_rrshift "__rrshift__" Rshift true;
    d_and "__and__" And false;
    d_rand "__rand__" And true;
    d_or "__or__" Or false;
    d_ror "__ror__" Or true;
    d_xor "__xor__" Xor false;
    d_rxor "__rxor__" Xor true;
}

fn divmod_method(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    reflected: bool,
) -> Res<Value> {
    let m = if reflected {
        "__rdivmod__"
    } else {
        "__divmod__"
    };
    let other = one_arg(vm, args, kw, m)?;
    if !accepts(vm, this, other) {
        return not_implemented(vm);
    }
    let pair = if reflected {
        [other, this]
    } else {
        [this, other]
    };
    super::builtins::divmod(vm, &pair, &[])
}

fn d_divmod(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    divmod_method(vm, this, args, kw, false)
}

fn d_rdivmod(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    divmod_method(vm, this, args, kw, true)
}

fn unary_method(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
    op: pyreg_spec::opcode::Opcode,
) -> Res<Value> {
    no_args(vm, args, kw, m)?;
    vm.unary(op, this)
}

fn d_neg(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    unary_method(
        vm,
        this,
        args,
        kw,
        "__neg__",
        pyreg_spec::opcode::Opcode::UnaryNegative,
    )
}

fn d_pos(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    unary_method(
        vm,
        this,
        args,
        kw,
        "__pos__",
        pyreg_spec::opcode::Opcode::UnaryPositive,
    )
}

fn d_invert(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    unary_method(
        vm,
        this,
        args,
        kw,
        "__invert__",
        pyreg_spec::opcode::Opcode::UnaryInvert,
    )
}

fn d_abs(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__abs__")?;
    super::builtins::abs(vm, &[this], &[])
}

fn d_bool(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__bool__")?;
    Ok(Value::Bool(vm.truthy(this)?))
}

/// The integer a number truncates, rounds down or rounds up to.
fn to_int(vm: &mut Vm, this: Value, f: fn(f64) -> f64) -> Res<Value> {
    let Value::Float(x) = this else {
        let b = vm.as_big(this).unwrap_or_default();
        return Ok(vm.big(b));
    };
    if x.is_nan() {
        return Err(vm.error(
            ExcKind::ValueError,
            "cannot convert float NaN to integer".into(),
        ));
    }
    if x.is_infinite() {
        return Err(vm.error(
            ExcKind::OverflowError,
            "cannot convert float infinity to integer".into(),
        ));
    }
    match pyreg_spec::pyformat::f64_to_int(f(x)) {
        Ok(b) => Ok(vm.big(b)),
        Err(_) => gap("int of this float"),
    }
}

fn d_int(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__int__")?;
    to_int(vm, this, f64::trunc)
}

fn d_index(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__index__")?;
    to_int(vm, this, f64::trunc)
}

fn d_trunc(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__trunc__")?;
    to_int(vm, this, f64::trunc)
}

fn d_floor(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__floor__")?;
    to_int(vm, this, f64::floor)
}

fn d_ceil(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__ceil__")?;
    to_int(vm, this, f64::ceil)
}

fn d_float(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__float__")?;
    match vm.as_f64(this) {
        Some(x) if x.is_finite() || matches!(this, Value::Float(_)) => Ok(Value::Float(x)),
        _ => Err(vm.error(
            ExcKind::OverflowError,
            "int too large to convert to float".into(),
        )),
    }
}

fn d_round(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__round__", kw)?;
    nargs(vm, "__round__", args, 0, 1)?;
    let mut all = vec![this];
    all.extend(args.iter().copied().filter(|a| *a != Value::None));
    super::builtins::round(vm, &all, &[])
}

fn d_format(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let spec = one_arg(vm, args, kw, "__format__")?;
    let Some(spec) = vm.heap.as_str(spec).map(String::from) else {
        let t = vm.type_name(spec);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("__format__() argument must be str, not {t}"),
        ));
    };
    let s = vm.format_value(this, &spec)?;
    Ok(vm.str_value(&s))
}

fn compare_method(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: &[(Value, Value)],
    m: &str,
    c: crate::code::Cmp,
) -> Res<Value> {
    let other = one_arg(vm, args, kw, m)?;
    let k = kind(vm, this);
    let ordered = !matches!(c, crate::code::Cmp::Eq | crate::code::Cmp::Ne);
    // A float takes an int (not the other way round); dicts and ranges
    // compare only for equality.
    if !accepts(vm, this, other) || (ordered && matches!(k, 6 | 8)) {
        return not_implemented(vm);
    }
    vm.compare(c, this, other)
}

macro_rules! compare_methods {
    ($($f:ident $name:literal $c:ident;)*) => {
        $(
            fn $f(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
                compare_method(vm, this, args, kw, $name, crate::code::Cmp::$c)
            }
        )*
    };
}

compare_methods! {
    d_lt "__lt__" Lt;
    d_le "__le__" Le;
    d_gt "__gt__" Gt;
    d_ge "__ge__" Ge;
    d_eq "__eq__" Eq;
    d_ne "__ne__" Ne;
}

fn d_len(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__len__")?;
    Ok(Value::Int(vm.len(this)? as i64))
}

fn d_contains(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let x = one_arg(vm, args, kw, "__contains__")?;
    Ok(Value::Bool(vm.contains(this, x)?))
}

fn d_getitem(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let k = one_arg(vm, args, kw, "__getitem__")?;
    vm.subscript(this, k)
}

fn d_setitem(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__setitem__", kw)?;
    let [k, v] = args else {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("expected 2 arguments, got {}", args.len()),
        ));
    };
    vm.store_subscript(this, *k, *v)?;
    Ok(Value::None)
}

fn d_delitem(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let k = one_arg(vm, args, kw, "__delitem__")?;
    vm.delete_subscript(this, k)?;
    Ok(Value::None)
}

fn d_iter(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__iter__")?;
    vm.iter(this)
}

fn d_next(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__next__")?;
    if !matches!(vm.heap.obj(this), Some(Obj::Iter(_))) {
        let t = vm.type_name(this);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("'{t}' object is not an iterator"),
        ));
    }
    match vm.next(this)? {
        Some(v) => Ok(v),
        None => Err(vm.error0(ExcKind::StopIteration)),
    }
}

fn d_iadd(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let x = one_arg(vm, args, kw, "__iadd__")?;
    let new = vm.collect(x)?;
    if let Some(xs) = list_mut(vm, this) {
        xs.extend(new);
    }
    Ok(vm.heap.own(this))
}

fn d_imul(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    let x = one_arg(vm, args, kw, "__imul__")?;
    vm.binary(Bin::Mul, true, this, x)
}

/// `BaseException.__init__`: the arguments become `args`.
fn exc_init(vm: &mut Vm, e: Value, args: &[Value], _kw: &[(Value, Value)]) -> Res<Value> {
    let Some(r) = e.obj() else {
        return Ok(Value::None);
    };
    for a in args {
        vm.heap.incref(*a);
    }
    let old = match vm.heap.get_mut(r) {
        Obj::Instance(i) => match i.exc.as_deref_mut() {
            Some(d) => std::mem::replace(&mut d.args, args.to_vec()),
            None => args.to_vec(),
        },
        _ => args.to_vec(),
    };
    vm.heap.decref_all(old);
    Ok(Value::None)
}

/// `object.__delattr__`: a property's deleter, else the instance's own
/// attribute (what `del obj.name` does without a `__delattr__`).
fn object_delattr(vm: &mut Vm, o: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_kw(vm, "__delattr__", kw)?;
    nargs(vm, "__delattr__", args, 1, 1)?;
    let Some(n) = vm.heap.as_str(args[0]).map(String::from) else {
        let t = vm.type_name(args[0]);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("attribute name must be string, not '{t}'"),
        ));
    };
    let t = vm.type_of(o);
    if let Some((d, _)) = vm.lookup(t, &n) {
        if let Some(Obj::Property(_, _, del)) = vm.heap.obj(d) {
            let del = *del;
            if del == Value::None {
                return Err(vm.error(ExcKind::AttributeError, "can't delete attribute".into()));
            }
            let r = vm.call_value(del, &[o], &[])?;
            vm.heap.decref(r);
            return Ok(Value::None);
        }
    }
    let h = super::types::str_hash(&n);
    let pos = match o.obj().map(|r| vm.heap.get(r)) {
        Some(Obj::Instance(i)) => i.dict.find(h, |k| vm.heap.as_str(k) == Some(n.as_str())),
        _ => None,
    };
    let removed = match (pos, o.obj().map(|r| vm.heap.get_mut(r))) {
        (Some(p), Some(Obj::Instance(i))) => Some(i.dict.remove_at(p)),
        _ => None,
    };
    match removed {
        Some(e) => {
            vm.heap.decref(e.key);
            vm.heap.decref(e.value);
            Ok(Value::None)
        }
        // CPython names only the attribute here.
        None => Err(vm.error(ExcKind::AttributeError, n)),
    }
}

fn d_call(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    vm.call_value(this, args, kw)
}

// ---- the numeric properties of CPython 3.9's Unicode database (13.0) ----

// Inclusive code point ranges, flattened as start, end pairs, of the
// characters `str.isdecimal`, `str.isdigit` and `str.isnumeric` accept
// (generated from CPython 3.9's `unicodedata`; `char` alone cannot tell
// decimal digits from other numerals).

const DECIMAL: &[u32] = &[
    0x30, 0x39, 0x660, 0x669, 0x6f0, 0x6f9, 0x7c0, 0x7c9, 0x966, 0x96f, 0x9e6, 0x9ef, 0xa66, 0xa6f,
    0xae6, 0xaef, 0xb66, 0xb6f, 0xbe6, 0xbef, 0xc66, 0xc6f, 0xce6, 0xcef, 0xd66, 0xd6f, 0xde6,
    0xdef, 0xe50, 0xe59, 0xed0, 0xed9, 0xf20, 0xf29, 0x1040, 0x1049, 0x1090, 0x1099, 0x17e0,
    0x17e9, 0x1810, 0x1819, 0x1946, 0x194f, 0x19d0, 0x19d9, 0x1a80, 0x1a89, 0x1a90, 0x1a99, 0x1b50,
    0x1b59, 0x1bb0, 0x1bb9, 0x1c40, 0x1c49, 0x1c50, 0x1c59, 0xa620, 0xa629, 0xa8d0, 0xa8d9, 0xa900,
    0xa909, 0xa9d0, 0xa9d9, 0xa9f0, 0xa9f9, 0xaa50, 0xaa59, 0xabf0, 0xabf9, 0xff10, 0xff19,
    0x104a0, 0x104a9, 0x10d30, 0x10d39, 0x11066, 0x1106f, 0x110f0, 0x110f9, 0x11136, 0x1113f,
    0x111d0, 0x111d9, 0x112f0, 0x112f9, 0x11450, 0x11459, 0x114d0, 0x114d9, 0x11650, 0x11659,
    0x116c0, 0x116c9, 0x11730, 0x11739, 0x118e0, 0x118e9, 0x11950, 0x11959, 0x11c50, 0x11c59,
    0x11d50, 0x11d59, 0x11da0, 0x11da9, 0x16a60, 0x16a69, 0x16b50, 0x16b59, 0x1d7ce, 0x1d7ff,
    0x1e140, 0x1e149, 0x1e2f0, 0x1e2f9, 0x1e950, 0x1e959, 0x1fbf0, 0x1fbf9,
];

const DIGIT: &[u32] = &[
    0x30, 0x39, 0xb2, 0xb3, 0xb9, 0xb9, 0x660, 0x669, 0x6f0, 0x6f9, 0x7c0, 0x7c9, 0x966, 0x96f,
    0x9e6, 0x9ef, 0xa66, 0xa6f, 0xae6, 0xaef, 0xb66, 0xb6f, 0xbe6, 0xbef, 0xc66, 0xc6f, 0xce6,
    0xcef, 0xd66, 0xd6f, 0xde6, 0xdef, 0xe50, 0xe59, 0xed0, 0xed9, 0xf20, 0xf29, 0x1040, 0x1049,
    0x1090, 0x1099, 0x1369, 0x1371, 0x17e0, 0x17e9, 0x1810, 0x1819, 0x1946, 0x194f, 0x19d0, 0x19da,
    0x1a80, 0x1a89, 0x1a90, 0x1a99, 0x1b50, 0x1b59, 0x1bb0, 0x1bb9, 0x1c40, 0x1c49, 0x1c50, 0x1c59,
    0x2070, 0x2070, 0x2074, 0x2079, 0x2080, 0x2089, 0x2460, 0x2468, 0x2474, 0x247c, 0x2488, 0x2490,
    0x24ea, 0x24ea, 0x24f5, 0x24fd, 0x24ff, 0x24ff, 0x2776, 0x277e, 0x2780, 0x2788, 0x278a, 0x2792,
    0xa620, 0xa629, 0xa8d0, 0xa8d9, 0xa900, 0xa909, 0xa9d0, 0xa9d9, 0xa9f0, 0xa9f9, 0xaa50, 0xaa59,
    0xabf0, 0xabf9, 0xff10, 0xff19, 0x104a0, 0x104a9, 0x10a40, 0x10a43, 0x10d30, 0x10d39, 0x10e60,
    0x10e68, 0x11052, 0x1105a, 0x11066, 0x1106f, 0x110f0, 0x110f9, 0x11136, 0x1113f, 0x111d0,
    0x111d9, 0x112f0, 0x112f9, 0x11450, 0x11459, 0x114d0, 0x114d9, 0x11650, 0x11659, 0x116c0,
    0x116c9, 0x11730, 0x11739, 0x118e0, 0x118e9, 0x11950, 0x11959, 0x11c50, 0x11c59, 0x11d50,
    0x11d59, 0x11da0, 0x11da9, 0x16a60, 0x16a69, 0x16b50, 0x16b59, 0x1d7ce, 0x1d7ff, 0x1e140,
    0x1e149, 0x1e2f0, 0x1e2f9, 0x1e950, 0x1e959, 0x1f100, 0x1f10a, 0x1fbf0, 0x1fbf9,
];

const NUMERIC: &[u32] = &[
    0x30, 0x39, 0xb2, 0xb3, 0xb9, 0xb9, 0xbc, 0xbe, 0x660, 0x669, 0x6f0, 0x6f9, 0x7c0, 0x7c9,
    0x966, 0x96f, 0x9e6, 0x9ef, 0x9f4, 0x9f9, 0xa66, 0xa6f, 0xae6, 0xaef, 0xb66, 0xb6f, 0xb72,
    0xb77, 0xbe6, 0xbf2, 0xc66, 0xc6f, 0xc78, 0xc7e, 0xce6, 0xcef, 0xd58, 0xd5e, 0xd66, 0xd78,
    0xde6, 0xdef, 0xe50, 0xe59, 0xed0, 0xed9, 0xf20, 0xf33, 0x1040, 0x1049, 0x1090, 0x1099, 0x1369,
    0x137c, 0x16ee, 0x16f0, 0x17e0, 0x17e9, 0x17f0, 0x17f9, 0x1810, 0x1819, 0x1946, 0x194f, 0x19d0,
    0x19da, 0x1a80, 0x1a89, 0x1a90, 0x1a99, 0x1b50, 0x1b59, 0x1bb0, 0x1bb9, 0x1c40, 0x1c49, 0x1c50,
    0x1c59, 0x2070, 0x2070, 0x2074, 0x2079, 0x2080, 0x2089, 0x2150, 0x2182, 0x2185, 0x2189, 0x2460,
    0x249b, 0x24ea, 0x24ff, 0x2776, 0x2793, 0x2cfd, 0x2cfd, 0x3007, 0x3007, 0x3021, 0x3029, 0x3038,
    0x303a, 0x3192, 0x3195, 0x3220, 0x3229, 0x3248, 0x324f, 0x3251, 0x325f, 0x3280, 0x3289, 0x32b1,
    0x32bf, 0x3405, 0x3405, 0x3483, 0x3483, 0x382a, 0x382a, 0x3b4d, 0x3b4d, 0x4e00, 0x4e00, 0x4e03,
    0x4e03, 0x4e07, 0x4e07, 0x4e09, 0x4e09, 0x4e5d, 0x4e5d, 0x4e8c, 0x4e8c, 0x4e94, 0x4e94, 0x4e96,
    0x4e96, 0x4ebf, 0x4ec0, 0x4edf, 0x4edf, 0x4ee8, 0x4ee8, 0x4f0d, 0x4f0d, 0x4f70, 0x4f70, 0x5104,
    0x5104, 0x5146, 0x5146, 0x5169, 0x5169, 0x516b, 0x516b, 0x516d, 0x516d, 0x5341, 0x5341, 0x5343,
    0x5345, 0x534c, 0x534c, 0x53c1, 0x53c4, 0x56db, 0x56db, 0x58f1, 0x58f1, 0x58f9, 0x58f9, 0x5e7a,
    0x5e7a, 0x5efe, 0x5eff, 0x5f0c, 0x5f0e, 0x5f10, 0x5f10, 0x62fe, 0x62fe, 0x634c, 0x634c, 0x67d2,
    0x67d2, 0x6f06, 0x6f06, 0x7396, 0x7396, 0x767e, 0x767e, 0x8086, 0x8086, 0x842c, 0x842c, 0x8cae,
    0x8cae, 0x8cb3, 0x8cb3, 0x8d30, 0x8d30, 0x9621, 0x9621, 0x9646, 0x9646, 0x964c, 0x964c, 0x9678,
    0x9678, 0x96f6, 0x96f6, 0xa620, 0xa629, 0xa6e6, 0xa6ef, 0xa830, 0xa835, 0xa8d0, 0xa8d9, 0xa900,
    0xa909, 0xa9d0, 0xa9d9, 0xa9f0, 0xa9f9, 0xaa50, 0xaa59, 0xabf0, 0xabf9, 0xf96b, 0xf96b, 0xf973,
    0xf973, 0xf978, 0xf978, 0xf9b2, 0xf9b2, 0xf9d1, 0xf9d1, 0xf9d3, 0xf9d3, 0xf9fd, 0xf9fd, 0xff10,
    0xff19, 0x10107, 0x10133, 0x10140, 0x10178, 0x1018a, 0x1018b, 0x102e1, 0x102fb, 0x10320,
    0x10323, 0x10341, 0x10341, 0x1034a, 0x1034a, 0x103d1, 0x103d5, 0x104a0, 0x104a9, 0x10858,
    0x1085f, 0x10879, 0x1087f, 0x108a7, 0x108af, 0x108fb, 0x108ff, 0x10916, 0x1091b, 0x109bc,
    0x109bd, 0x109c0, 0x109cf, 0x109d2, 0x109ff, 0x10a40, 0x10a48, 0x10a7d, 0x10a7e, 0x10a9d,
    0x10a9f, 0x10aeb, 0x10aef, 0x10b58, 0x10b5f, 0x10b78, 0x10b7f, 0x10ba9, 0x10baf, 0x10cfa,
    0x10cff, 0x10d30, 0x10d39, 0x10e60, 0x10e7e, 0x10f1d, 0x10f26, 0x10f51, 0x10f54, 0x10fc5,
    0x10fcb, 0x11052, 0x1106f, 0x110f0, 0x110f9, 0x11136, 0x1113f, 0x111d0, 0x111d9, 0x111e1,
    0x111f4, 0x112f0, 0x112f9, 0x11450, 0x11459, 0x114d0, 0x114d9, 0x11650, 0x11659, 0x116c0,
    0x116c9, 0x11730, 0x1173b, 0x118e0, 0x118f2, 0x11950, 0x11959, 0x11c50, 0x11c6c, 0x11d50,
    0x11d59, 0x11da0, 0x11da9, 0x11fc0, 0x11fd4, 0x12400, 0x1246e, 0x16a60, 0x16a69, 0x16b50,
    0x16b59, 0x16b5b, 0x16b61, 0x16e80, 0x16e96, 0x1d2e0, 0x1d2f3, 0x1d360, 0x1d378, 0x1d7ce,
    0x1d7ff, 0x1e140, 0x1e149, 0x1e2f0, 0x1e2f9, 0x1e8c7, 0x1e8cf, 0x1e950, 0x1e959, 0x1ec71,
    0x1ecab, 0x1ecad, 0x1ecaf, 0x1ecb1, 0x1ecb4, 0x1ed01, 0x1ed2d, 0x1ed2f, 0x1ed3d, 0x1f100,
    0x1f10c, 0x1fbf0, 0x1fbf9, 0x20001, 0x20001, 0x20064, 0x20064, 0x200e2, 0x200e2, 0x20121,
    0x20121, 0x2092a, 0x2092a, 0x20983, 0x20983, 0x2098c, 0x2098c, 0x2099c, 0x2099c, 0x20aea,
    0x20aea, 0x20afd, 0x20afd, 0x20b19, 0x20b19, 0x22390, 0x22390, 0x22998, 0x22998, 0x23b1b,
    0x23b1b, 0x2626d, 0x2626d, 0x2f890, 0x2f890,
];

/// Whether `c` lies in one of the flattened inclusive `ranges`.
fn in_ranges(ranges: &[u32], c: char) -> bool {
    let c = c as u32;
    ranges
        .chunks_exact(2)
        .any(|r| matches!(r, [a, z] if (*a..=*z).contains(&c)))
}

fn d_repr(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__repr__")?;
    let s = vm.repr(this)?;
    Ok(vm.str_value(&s))
}

fn d_str(vm: &mut Vm, this: Value, args: &[Value], kw: &[(Value, Value)]) -> Res<Value> {
    no_args(vm, args, kw, "__str__")?;
    Ok(vm.heap.own(this))
}
