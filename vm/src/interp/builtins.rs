//! The built-in functions (a table of name and rule), and the built-in
//! types called as constructors.

use super::{gap, Fault, Res, Vm};
use crate::code::{Bin, Cmp};
use crate::heap::{ExcKind, Iter, Obj, Ty};
use crate::value::Value;
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use std::collections::HashMap;

type Rule = fn(&mut Vm, &[Value], &[(Value, Value)]) -> Res<Value>;

/// Every built-in function: its name and its rule.
const TABLE: &[(&str, Rule)] = &[
    ("print", print),
    ("len", len),
    ("abs", abs),
    ("repr", repr),
    ("ascii", ascii),
    ("min", min),
    ("max", max),
    ("sum", sum),
    ("pow", pow),
    ("round", round),
    ("divmod", divmod),
    ("hash", hash),
    ("id", id),
    ("isinstance", isinstance),
    ("issubclass", issubclass),
    ("iter", iter),
    ("next", next),
    ("sorted", sorted),
    ("reversed", reversed),
    ("enumerate", enumerate),
    ("zip", zip),
    ("map", map),
    ("filter", filter),
    ("any", any),
    ("all", all),
    ("chr", chr),
    ("ord", ord),
    ("hex", hex),
    ("oct", oct),
    ("bin", bin),
    ("format", format),
    ("getattr", getattr),
    ("setattr", setattr),
    ("hasattr", hasattr),
    ("delattr", delattr),
    ("callable", callable),
    ("__build_class__", build_class),
    ("globals", globals),
    ("locals", locals),
    ("vars", vars),
    ("dir", dir),
    ("exit", exit),
    ("quit", quit),
];

/// Puts the built-in functions into `builtins`.
pub fn install(heap: &mut crate::heap::Heap, builtins: &mut HashMap<String, Value>) {
    for (i, (name, _)) in TABLE.iter().enumerate() {
        let v = heap.alloc(Obj::Builtin(i as u16));
        builtins.insert((*name).to_string(), v);
    }
}

/// The name of built-in function `i`.
pub fn name(i: u16) -> &'static str {
    TABLE.get(i as usize).map_or("?", |(n, _)| n)
}

/// Calls built-in function `i`.
pub fn call(vm: &mut Vm, i: u16, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    match TABLE.get(i as usize) {
        Some((_, rule)) => rule(vm, args, kwargs),
        None => vm.broken("a built-in function index"),
    }
}

/// Refuses keyword arguments, as most built-ins do.
fn no_kwargs(vm: &mut Vm, fname: &str, kwargs: &[(Value, Value)]) -> Res<()> {
    if kwargs.is_empty() {
        return Ok(());
    }
    Err(vm.error(
        ExcKind::TypeError,
        format!("{fname}() takes no keyword arguments"),
    ))
}

/// Checks the number of positional arguments with CPython's wording.
fn arity(vm: &mut Vm, fname: &str, args: &[Value], lo: usize, hi: usize) -> Res<()> {
    let n = args.len();
    if n >= lo && n <= hi {
        return Ok(());
    }
    let msg = if lo == hi && lo == 1 {
        format!("{fname}() takes exactly one argument ({n} given)")
    } else if lo == hi {
        format!("{fname} expected {lo} arguments, got {n}")
    } else if n < lo {
        format!(
            "{fname} expected at least {lo} argument{}, got {n}",
            if lo == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{fname} expected at most {hi} argument{}, got {n}",
            if hi == 1 { "" } else { "s" }
        )
    };
    Err(vm.error(ExcKind::TypeError, msg))
}

/// A keyword argument by name, borrowed.
fn kwarg(vm: &Vm, kwargs: &[(Value, Value)], name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| vm.heap.as_str(*k) == Some(name))
        .map(|(_, v)| *v)
}

/// Refuses keyword arguments other than `allowed`.
fn only_kwargs(vm: &mut Vm, fname: &str, kwargs: &[(Value, Value)], allowed: &[&str]) -> Res<()> {
    for (k, _) in kwargs {
        let k = vm.heap.as_str(*k).unwrap_or("").to_string();
        if !allowed.contains(&k.as_str()) {
            return Err(vm.error(
                ExcKind::TypeError,
                format!("'{k}' is an invalid keyword argument for {fname}()"),
            ));
        }
    }
    Ok(())
}

fn print(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    only_kwargs(vm, "print", kwargs, &["sep", "end", "file", "flush"])?;
    let text = |vm: &mut Vm, k: &str, default: &str| -> Res<String> {
        match kwarg(vm, kwargs, k) {
            None | Some(Value::None) => Ok(default.to_string()),
            Some(v) => match vm.heap.as_str(v) {
                Some(s) => Ok(s.to_string()),
                None => {
                    let t = vm.type_name(v);
                    Err(vm.error(
                        ExcKind::TypeError,
                        format!("{k} must be None or a string, not {t}"),
                    ))
                }
            },
        }
    };
    let sep = text(vm, "sep", " ")?;
    let end = text(vm, "end", "\n")?;
    let to_stderr = match kwarg(vm, kwargs, "file") {
        None | Some(Value::None) => false,
        Some(_) => return gap("print(file=...)"),
    };
    let mut out = String::new();
    for (k, a) in args.iter().enumerate() {
        if k > 0 {
            out.push_str(&sep);
        }
        out.push_str(&vm.str_of(*a)?);
    }
    out.push_str(&end);
    if !to_stderr {
        vm.stdout.extend_from_slice(out.as_bytes());
    }
    Ok(Value::None)
}

fn len(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "len", kwargs)?;
    arity(vm, "len", args, 1, 1)?;
    Ok(Value::Int(vm.len(args[0])? as i64))
}

pub(super) fn abs(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "abs", kwargs)?;
    arity(vm, "abs", args, 1, 1)?;
    let v = args[0];
    Ok(match v {
        Value::Int(i) => match i.checked_abs() {
            Some(a) => Value::Int(a),
            None => vm.big(BigInt::from(i).abs()),
        },
        Value::Float(f) => Value::Float(f.abs()),
        Value::Bool(b) => Value::Int(i64::from(b)),
        _ => {
            if let Some(b) = vm.as_big(v) {
                return Ok(vm.big(b.abs()));
            }
            if let Some(c) = vm.as_complex(v) {
                return vm.complex_abs(c);
            }
            if let Some(f) = vm.special(v, "__abs__") {
                return vm.call_value(f, &[v], &[]);
            }
            let t = vm.type_name(v);
            return Err(vm.error(
                ExcKind::TypeError,
                format!("bad operand type for abs(): '{t}'"),
            ));
        }
    })
}

fn repr(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "repr", kwargs)?;
    arity(vm, "repr", args, 1, 1)?;
    let s = vm.repr(args[0])?;
    Ok(vm.str_value(&s))
}

fn ascii(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "ascii", kwargs)?;
    arity(vm, "ascii", args, 1, 1)?;
    let s = vm.ascii(args[0])?;
    Ok(vm.str_value(&s))
}

fn min(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    extreme(vm, args, kwargs, "min", Cmp::Lt)
}

fn max(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    extreme(vm, args, kwargs, "max", Cmp::Gt)
}

fn extreme(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    fname: &str,
    c: Cmp,
) -> Res<Value> {
    if args.is_empty() {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("{fname} expected at least 1 argument, got 0"),
        ));
    }
    only_kwargs(vm, fname, kwargs, &["key", "default"])?;
    let key = kwarg(vm, kwargs, "key").filter(|k| *k != Value::None);
    let default = kwarg(vm, kwargs, "default");
    if args.len() > 1 && default.is_some() {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("Cannot specify a default for {fname}() with multiple positional arguments"),
        ));
    }
    let items = if args.len() == 1 {
        vm.collect(args[0])?
    } else {
        args.iter().map(|a| vm.heap.own(*a)).collect()
    };
    if items.is_empty() {
        return match default {
            Some(d) => Ok(vm.heap.own(d)),
            None => Err(vm.error(
                ExcKind::ValueError,
                format!("{fname}() arg is an empty sequence"),
            )),
        };
    }
    let r = (|| -> Res<Value> {
        let mut best = items[0];
        let mut best_key = match key {
            Some(k) => vm.call_value(k, &[best], &[])?,
            None => vm.heap.own(best),
        };
        for x in &items[1..] {
            let kx = match key {
                Some(k) => vm.call_value(k, &[*x], &[])?,
                None => vm.heap.own(*x),
            };
            let better = vm.compare(c, kx, best_key);
            let better = match better {
                Ok(b) => {
                    let t = vm.truthy(b);
                    vm.heap.decref(b);
                    t
                }
                Err(e) => Err(e),
            };
            match better {
                Ok(true) => {
                    vm.heap.decref(best_key);
                    best_key = kx;
                    best = *x;
                }
                Ok(false) => vm.heap.decref(kx),
                Err(e) => {
                    vm.heap.decref(kx);
                    vm.heap.decref(best_key);
                    return Err(e);
                }
            }
        }
        vm.heap.decref(best_key);
        Ok(vm.heap.own(best))
    })();
    vm.heap.decref_all(items);
    r
}

fn sum(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    only_kwargs(vm, "sum", kwargs, &["start"])?;
    arity(vm, "sum", args, 1, 2)?;
    let start = args
        .get(1)
        .copied()
        .or(kwarg(vm, kwargs, "start"))
        .unwrap_or(Value::Int(0));
    if vm.heap.as_str(start).is_some() {
        return Err(vm.error(
            ExcKind::TypeError,
            "sum() can't sum strings [use ''.join(seq) instead]".into(),
        ));
    }
    let it = vm.iter(args[0])?;
    let mut acc = vm.heap.own(start);
    loop {
        let x = match vm.next(it) {
            Ok(Some(x)) => x,
            Ok(None) => break,
            Err(e) => {
                vm.heap.decref(acc);
                vm.heap.decref(it);
                return Err(e);
            }
        };
        let r = vm.binary(Bin::Add, false, acc, x);
        vm.heap.decref(x);
        vm.heap.decref(acc);
        match r {
            Ok(v) => acc = v,
            Err(e) => {
                vm.heap.decref(it);
                return Err(e);
            }
        }
    }
    vm.heap.decref(it);
    Ok(acc)
}

fn pow(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "pow", kwargs)?;
    arity(vm, "pow", args, 2, 3)?;
    if args.len() == 2 || args[2] == Value::None {
        return vm.binary(Bin::Pow, false, args[0], args[1]);
    }
    let (Some(b), Some(e), Some(m)) = (vm.as_big(args[0]), vm.as_big(args[1]), vm.as_big(args[2]))
    else {
        return Err(vm.error(
            ExcKind::TypeError,
            "pow() 3rd argument not allowed unless all arguments are integers".into(),
        ));
    };
    if m.is_zero() {
        return Err(vm.error(ExcKind::ValueError, "pow() 3rd argument cannot be 0".into()));
    }
    let (b, e) = if e.is_negative() {
        match mod_inverse(&b, &m) {
            Some(inv) => (inv, -e),
            None => {
                return Err(vm.error(
                    ExcKind::ValueError,
                    "base is not invertible for the given modulus".into(),
                ))
            }
        }
    } else {
        (b, e)
    };
    let mut r = b.modpow(&e, &m);
    if !r.is_zero() && (r.is_negative() != m.is_negative()) {
        r += &m;
    }
    Ok(vm.big(r))
}

fn mod_inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    use num_integer::Integer;
    let m_abs = m.abs();
    let e = a.mod_floor(&m_abs).extended_gcd(&m_abs);
    if e.gcd != BigInt::from(1) {
        return None;
    }
    Some(e.x.mod_floor(&m_abs))
}

pub(super) fn round(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    only_kwargs(vm, "round", kwargs, &["ndigits"])?;
    arity(vm, "round", args, 1, 2)?;
    let x = args[0];
    let nd = args
        .get(1)
        .copied()
        .or(kwarg(vm, kwargs, "ndigits"))
        .filter(|v| *v != Value::None);
    if let Some(f) = vm.special(x, "__round__") {
        let mut a = vec![x];
        a.extend(nd);
        return vm.call_value(f, &a, &[]);
    }
    match x {
        Value::Float(f) => match nd {
            None => {
                if !f.is_finite() {
                    let kind = if f.is_nan() {
                        ExcKind::ValueError
                    } else {
                        ExcKind::OverflowError
                    };
                    let msg = if f.is_nan() {
                        "cannot convert float NaN to integer"
                    } else {
                        "cannot convert float infinity to integer"
                    };
                    return Err(vm.error(kind, msg.into()));
                }
                let r = f.round_ties_even();
                if r.abs() < 1e18 {
                    return Ok(Value::Int(r as i64));
                }
                match pyreg_spec::pyformat::f64_to_int(r) {
                    Ok(b) => Ok(vm.big(b)),
                    Err(_) => gap("round() of a huge float"),
                }
            }
            Some(n) => {
                let n = ndigits(vm, n)?;
                let r = round_float(f, n);
                if f.is_finite() && !r.is_finite() {
                    return Err(vm.error(
                        ExcKind::OverflowError,
                        "rounded value too large to represent".into(),
                    ));
                }
                Ok(Value::Float(r))
            }
        },
        _ => match vm.as_big(x) {
            Some(b) => match nd {
                None => Ok(vm.big(b)),
                Some(n) => {
                    let n = ndigits(vm, n)?;
                    if n >= 0 {
                        return Ok(vm.big(b));
                    }
                    // Past the number's digits the result is 0.
                    let digits = b.magnitude().bits() as i64 / 3 + 2;
                    if n < -digits {
                        return Ok(Value::Int(0));
                    }
                    let p = num_traits::pow(BigInt::from(10), n.unsigned_abs() as usize);
                    let (q, r) = num_integer::Integer::div_mod_floor(&b, &p);
                    let twice = &r * 2;
                    let q = if twice > p || (twice == p && q.clone() % 2 != BigInt::zero()) {
                        q + 1
                    } else {
                        q
                    };
                    Ok(vm.big(q * p))
                }
            },
            None => {
                let t = vm.type_name(x);
                Err(vm.error(
                    ExcKind::TypeError,
                    format!("type {t} doesn't define __round__ method"),
                ))
            }
        },
    }
}

/// `round()`'s `ndigits` as an `i64`, saturated (both roundings treat
/// every huge count alike).
fn ndigits(vm: &mut Vm, n: Value) -> Res<i64> {
    if let Some(i) = vm.as_i64(n) {
        return Ok(i);
    }
    match vm.as_big(n) {
        Some(b) if b.is_negative() => Ok(-(1 << 40)),
        Some(_) => Ok(1 << 40),
        None => {
            let t = vm.type_name(n);
            Err(vm.error(
                ExcKind::TypeError,
                format!("'{t}' object cannot be interpreted as an integer"),
            ))
        }
    }
}

/// `round(x, n)` for floats, by way of the correctly rounded decimal
/// string as CPython's `double_round` does.
fn round_float(x: f64, n: i64) -> f64 {
    if !x.is_finite() || n > 323 {
        return x;
    }
    if n < -308 {
        return 0.0f64.copysign(x);
    }
    if n >= 0 {
        let s = format!("{:.*}", n as usize, x);
        // Rust rounds half to even on the exact binary value, as
        // `_Py_dg_dtoa` mode 3 does.
        s.parse().unwrap_or(x)
    } else {
        // The exact value over 10**-n, rounded half to even, then read
        // back correctly rounded.
        let bits = x.abs().to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let mant = if exp == 0 {
            (bits & ((1 << 52) - 1)) << 1
        } else {
            (bits & ((1 << 52) - 1)) | (1 << 52)
        };
        let e = exp - 1075;
        let q = num_traits::pow(BigInt::from(10), (-n) as usize);
        let (num, den) = if e >= 0 {
            (BigInt::from(mant) << (e as usize), q)
        } else {
            (BigInt::from(mant), q << ((-e) as usize))
        };
        let (d, r) = num_integer::Integer::div_rem(&num, &den);
        let twice = r * 2;
        let odd = (&d % 2u32) != BigInt::zero();
        let d = if twice > den || (twice == den && odd) {
            d + 1
        } else {
            d
        };
        let y: f64 = format!("{d}e{}", -n).parse().unwrap_or(0.0);
        y.copysign(x)
    }
}

pub(super) fn divmod(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "divmod", kwargs)?;
    arity(vm, "divmod", args, 2, 2)?;
    let (a, b) = (args[0], args[1]);
    if let (Value::Float(_), _) | (_, Value::Float(_)) = (a, b) {
        if let (Some(x), Some(y)) = (vm.as_f64(a), vm.as_f64(b)) {
            if y == 0.0 {
                return Err(vm.error(ExcKind::ZeroDivisionError, "float divmod()".into()));
            }
            let (q, m) = crate::num::float_divmod(x, y);
            return Ok(vm
                .heap
                .alloc(Obj::Tuple(vec![Value::Float(q), Value::Float(m)].into())));
        }
    }
    if vm.as_big(a).is_some() && vm.as_big(b).is_some() {
        let q = vm.binary(Bin::FloorDiv, false, a, b)?;
        let m = vm.binary(Bin::Mod, false, a, b)?;
        return Ok(vm.heap.alloc(Obj::Tuple(vec![q, m].into())));
    }
    if let Some(f) = vm.special(a, "__divmod__") {
        return vm.call_value(f, &[a, b], &[]);
    }
    let number = |vm: &Vm, v: Value| {
        vm.as_f64(v).is_some() || vm.as_big(v).is_some() || vm.as_complex(v).is_some()
    };
    if (vm.as_complex(a).is_some() || vm.as_complex(b).is_some()) && number(vm, a) && number(vm, b)
    {
        return Err(vm.error(
            ExcKind::TypeError,
            "can't take floor or mod of complex number.".into(),
        ));
    }
    let (ta, tb) = (vm.type_name(a), vm.type_name(b));
    Err(vm.error(
        ExcKind::TypeError,
        format!("unsupported operand type(s) for divmod(): '{ta}' and '{tb}'"),
    ))
}

fn hash(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "hash", kwargs)?;
    arity(vm, "hash", args, 1, 1)?;
    Ok(Value::Int(vm.hash(args[0])?))
}

fn id(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "id", kwargs)?;
    arity(vm, "id", args, 1, 1)?;
    Ok(match args[0] {
        Value::Obj(r) => Value::Int(0x7f00_0000_0000 + i64::from(r.0) * 0x30),
        Value::Int(i) => Value::Int(0x1000 + i.wrapping_mul(32)),
        Value::None => Value::Int(0x900),
        Value::Bool(b) => Value::Int(0x920 + i64::from(b) * 0x20),
        _ => return gap("id() of a float (identity of floats is not modelled)"),
    })
}

/// `isinstance`'s class test, tuples included.
fn class_test(vm: &mut Vm, t: crate::value::ObjRef, c: Value, fname: &str) -> Res<bool> {
    match vm.heap.obj(c) {
        Some(Obj::Class(_)) => Ok(vm.is_subclass(t, c.obj().unwrap_or(t))),
        Some(Obj::Tuple(xs)) => {
            let xs = xs.to_vec();
            for x in xs {
                if class_test(vm, t, x, fname)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Err(vm.error(
            ExcKind::TypeError,
            format!("{fname}() arg 2 must be a type or tuple of types"),
        )),
    }
}

fn isinstance(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "isinstance", kwargs)?;
    arity(vm, "isinstance", args, 2, 2)?;
    let t = vm.type_of(args[0]);
    Ok(Value::Bool(class_test(vm, t, args[1], "isinstance")?))
}

fn issubclass(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "issubclass", kwargs)?;
    arity(vm, "issubclass", args, 2, 2)?;
    let Some(t) = args[0]
        .obj()
        .filter(|r| matches!(vm.heap.get(*r), Obj::Class(_)))
    else {
        return Err(vm.error(
            ExcKind::TypeError,
            "issubclass() arg 1 must be a class".into(),
        ));
    };
    Ok(Value::Bool(class_test(vm, t, args[1], "issubclass")?))
}

fn iter(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "iter", kwargs)?;
    arity(vm, "iter", args, 1, 2)?;
    if args.len() == 2 {
        vm.heap.incref(args[0]);
        vm.heap.incref(args[1]);
        return Ok(vm.heap.alloc(Obj::Iter(Iter::Callable(args[0], args[1]))));
    }
    vm.iter(args[0])
}

fn next(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "next", kwargs)?;
    arity(vm, "next", args, 1, 2)?;
    let it = args[0];
    let is_iter = matches!(vm.heap.obj(it), Some(Obj::Iter(_) | Obj::Generator(_)))
        || vm.special(it, "__next__").is_some();
    if !is_iter {
        let t = vm.type_name(it);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("'{t}' object is not an iterator"),
        ));
    }
    match vm.next(it)? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(d) => Ok(vm.heap.own(*d)),
            None => {
                // A generator's return value rides on the StopIteration.
                let rv = if matches!(vm.heap.obj(it), Some(Obj::Generator(_))) {
                    std::mem::replace(&mut vm.native_result, Value::Empty)
                } else {
                    Value::Empty
                };
                let args: Vec<Value> = if rv == Value::None || rv == Value::Empty {
                    vec![]
                } else {
                    vec![rv]
                };
                let e = vm.new_exception(vm.types.exc(ExcKind::StopIteration), &args);
                vm.heap.decref(rv);
                vm.set_context(e);
                Err(Fault::Raise(e))
            }
        },
    }
}

/// A stable merge sort by `<` on keys that may run Python code and raise
/// (`list.sort`, `sorted`); `reverse` keeps equal items in their order.
pub(super) fn sort_values(
    vm: &mut Vm,
    items: &mut [Value],
    key: Option<Value>,
    reverse: bool,
) -> Res<()> {
    let mut keys = Vec::with_capacity(items.len());
    for x in items.iter() {
        match key {
            Some(k) => match vm.call_value(k, &[*x], &[]) {
                Ok(v) => keys.push(v),
                Err(e) => {
                    vm.heap.decref_all(keys);
                    return Err(e);
                }
            },
            None => keys.push(vm.heap.own(*x)),
        }
    }
    let mut idx: Vec<usize> = (0..items.len()).collect();
    if reverse {
        idx.reverse();
    }
    let r = if sort_homogeneous(vm, &mut idx, &keys) {
        Ok(())
    } else {
        merge_sort(vm, &mut idx, &keys)
    };
    vm.heap.decref_all(keys);
    r?;
    if reverse {
        idx.reverse();
    }
    let old = items.to_vec();
    for (slot, i) in items.iter_mut().zip(idx) {
        *slot = old[i];
    }
    Ok(())
}

/// Sorts `idx` by `keys` without calling back into Python when every key
/// is an `int` (small), every key a `str`, or every key a float other than
/// NaN: these are total orders that no special method can observe, so any
/// stable sort gives the result CPython's does. `false` (and `idx` as it
/// was) otherwise.
fn sort_homogeneous(vm: &Vm, idx: &mut [usize], keys: &[Value]) -> bool {
    if keys.iter().all(|k| matches!(k, Value::Int(_))) {
        idx.sort_by_key(|&i| match keys[i] {
            Value::Int(x) => x,
            _ => 0,
        });
        return true;
    }
    if keys
        .iter()
        .all(|k| matches!(k, Value::Float(f) if !f.is_nan()))
    {
        let f = |i: usize| match keys[i] {
            Value::Float(x) => x,
            _ => 0.0,
        };
        // `partial_cmp`, not `total_cmp`: -0.0 and 0.0 are equal keys.
        idx.sort_by(|&a, &b| f(a).partial_cmp(&f(b)).unwrap_or(std::cmp::Ordering::Equal));
        return true;
    }
    let strs: Option<Vec<&str>> = keys.iter().map(|k| vm.heap.as_str(*k)).collect();
    if let Some(strs) = strs {
        // UTF-8 byte order is code point order, which is Python's.
        idx.sort_by(|&a, &b| strs[a].cmp(strs[b]));
        return true;
    }
    false
}

fn merge_sort(vm: &mut Vm, idx: &mut Vec<usize>, keys: &[Value]) -> Res<()> {
    let n = idx.len();
    let mut width = 1;
    let mut buf = idx.clone();
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                let lt = vm.compare(Cmp::Lt, keys[idx[j]], keys[idx[i]])?;
                let t = vm.truthy(lt);
                vm.heap.decref(lt);
                if t? {
                    buf[k] = idx[j];
                    j += 1;
                } else {
                    buf[k] = idx[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + mid - i].copy_from_slice(&idx[i..mid]);
            k += mid - i;
            buf[k..k + hi - j].copy_from_slice(&idx[j..hi]);
            lo = hi;
        }
        std::mem::swap(idx, &mut buf);
        width *= 2;
    }
    Ok(())
}

fn sorted(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    only_kwargs(vm, "sort", kwargs, &["key", "reverse"])?;
    if args.len() != 1 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("sorted expected 1 argument, got {}", args.len()),
        ));
    }
    let key = kwarg(vm, kwargs, "key").filter(|k| *k != Value::None);
    let reverse = match kwarg(vm, kwargs, "reverse") {
        Some(r) => vm.truthy(r)?,
        None => false,
    };
    let mut items = vm.collect(args[0])?;
    if let Err(e) = sort_values(vm, &mut items, key, reverse) {
        vm.heap.decref_all(items);
        return Err(e);
    }
    Ok(vm.heap.alloc(Obj::List(items)))
}

fn reversed(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "reversed", kwargs)?;
    arity(vm, "reversed", args, 1, 1)?;
    let v = args[0];
    match vm.heap.obj(v) {
        Some(Obj::List(xs)) => {
            let n = xs.len();
            vm.heap.incref(v);
            Ok(vm.heap.alloc(Obj::Iter(Iter::Reversed(v, n))))
        }
        Some(
            Obj::Tuple(_)
            | Obj::Str(_)
            | Obj::Range(..)
            | Obj::Dict(_)
            | Obj::View(_)
            | Obj::Bytes(_)
            | Obj::ByteArray(_),
        ) => {
            let mut items = vm.collect(v)?;
            items.reverse();
            let n = items.len();
            let l = vm.heap.alloc(Obj::List(items));
            let it = vm.heap.alloc(Obj::Iter(Iter::Reversed(l, n)));
            // The iterator reads the reversed copy from its end.
            if let Some(Obj::List(xs)) = l.obj().map(|r| vm.heap.get_mut(r)) {
                xs.reverse();
            }
            Ok(it)
        }
        _ => {
            if let Some(f) = vm.special(v, "__reversed__") {
                return vm.call_value(f, &[v], &[]);
            }
            if vm.special(v, "__len__").is_some() && vm.special(v, "__getitem__").is_some() {
                return gap("reversed() through __len__ and __getitem__");
            }
            let t = vm.type_name(v);
            Err(vm.error(
                ExcKind::TypeError,
                format!("'{t}' object is not reversible"),
            ))
        }
    }
}

fn enumerate(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    only_kwargs(vm, "enumerate", kwargs, &["start", "iterable"])?;
    let it_arg = args.first().copied().or(kwarg(vm, kwargs, "iterable"));
    let Some(it_arg) = it_arg else {
        return Err(vm.error(
            ExcKind::TypeError,
            "enumerate() missing required argument 'iterable' (pos 1)".into(),
        ));
    };
    let start = args
        .get(1)
        .copied()
        .or(kwarg(vm, kwargs, "start"))
        .unwrap_or(Value::Int(0));
    let Some(start) = vm.as_i64(start) else {
        return gap("enumerate() with a non-int or huge start");
    };
    let it = vm.iter(it_arg)?;
    Ok(vm.heap.alloc(Obj::Iter(Iter::Enumerate(it, start))))
}

fn iters_of(vm: &mut Vm, args: &[Value]) -> Res<Vec<Value>> {
    let mut its = Vec::with_capacity(args.len());
    for a in args {
        match vm.iter(*a) {
            Ok(i) => its.push(i),
            Err(e) => {
                vm.heap.decref_all(its);
                return Err(e);
            }
        }
    }
    Ok(its)
}

fn zip(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "zip", kwargs)?;
    let its = iters_of(vm, args)?;
    Ok(vm.heap.alloc(Obj::Iter(Iter::Zip(its.into()))))
}

fn map(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "map", kwargs)?;
    if args.len() < 2 {
        return Err(vm.error(
            ExcKind::TypeError,
            "map() must have at least two arguments.".into(),
        ));
    }
    let its = iters_of(vm, &args[1..])?;
    let f = vm.heap.own(args[0]);
    Ok(vm.heap.alloc(Obj::Iter(Iter::Map(f, its.into()))))
}

fn filter(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "filter", kwargs)?;
    arity(vm, "filter", args, 2, 2)?;
    let it = vm.iter(args[1])?;
    let f = vm.heap.own(args[0]);
    Ok(vm.heap.alloc(Obj::Iter(Iter::Filter(f, it))))
}

fn any_all(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    fname: &str,
    want: bool,
) -> Res<Value> {
    no_kwargs(vm, fname, kwargs)?;
    arity(vm, fname, args, 1, 1)?;
    let it = vm.iter(args[0])?;
    loop {
        let x = match vm.next(it) {
            Ok(Some(x)) => x,
            Ok(None) => break,
            Err(e) => {
                vm.heap.decref(it);
                return Err(e);
            }
        };
        let t = vm.truthy(x);
        vm.heap.decref(x);
        match t {
            Ok(t) if t == want => {
                vm.heap.decref(it);
                return Ok(Value::Bool(want));
            }
            Ok(_) => {}
            Err(e) => {
                vm.heap.decref(it);
                return Err(e);
            }
        }
    }
    vm.heap.decref(it);
    Ok(Value::Bool(!want))
}

fn any(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    any_all(vm, args, kwargs, "any", true)
}

fn all(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    any_all(vm, args, kwargs, "all", false)
}

fn chr(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "chr", kwargs)?;
    arity(vm, "chr", args, 1, 1)?;
    let Some(i) = vm
        .index_value(args[0])
        .filter(|_| !matches!(args[0], Value::Float(_)))
    else {
        let t = vm.type_name(args[0]);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("an integer is required (got type {t})"),
        ));
    };
    if i32::try_from(i).is_err() {
        return Err(vm.error(
            ExcKind::OverflowError,
            "Python int too large to convert to C int".into(),
        ));
    }
    match u32::try_from(i).ok().and_then(char::from_u32) {
        Some(c) => Ok(vm.str_value(&c.to_string())),
        None if (0..0x110000).contains(&i) => gap("chr() of a lone surrogate"),
        None => Err(vm.error(
            ExcKind::ValueError,
            "chr() arg not in range(0x110000)".into(),
        )),
    }
}

fn ord(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "ord", kwargs)?;
    arity(vm, "ord", args, 1, 1)?;
    match vm.heap.as_str(args[0]) {
        Some(s) => {
            let mut cs = s.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => Ok(Value::Int(i64::from(u32::from(c)))),
                _ => {
                    let n = s.chars().count();
                    Err(vm.error(
                        ExcKind::TypeError,
                        format!("ord() expected a character, but string of length {n} found"),
                    ))
                }
            }
        }
        None => {
            if let Some(b) = vm.bytes_of(args[0]) {
                if b.len() == 1 {
                    return Ok(Value::Int(i64::from(b[0])));
                }
                let n = b.len();
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("ord() expected a character, but string of length {n} found"),
                ));
            }
            let t = vm.type_name(args[0]);
            Err(vm.error(
                ExcKind::TypeError,
                format!("ord() expected string of length 1, but {t} found"),
            ))
        }
    }
}

fn radix(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    fname: &str,
    base: u32,
) -> Res<Value> {
    no_kwargs(vm, fname, kwargs)?;
    arity(vm, fname, args, 1, 1)?;
    let Some(b) = index_of(vm, args[0])? else {
        let t = vm.type_name(args[0]);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("'{t}' object cannot be interpreted as an integer"),
        ));
    };
    let s = pyreg_spec::pyformat::int_to_base(&b, base, true, false);
    Ok(vm.str_value(&s))
}

fn hex(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    radix(vm, args, kwargs, "hex", 16)
}

fn oct(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    radix(vm, args, kwargs, "oct", 8)
}

fn bin(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    radix(vm, args, kwargs, "bin", 2)
}

fn format(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "format", kwargs)?;
    arity(vm, "format", args, 1, 2)?;
    let spec = match args.get(1) {
        Some(s) => match vm.heap.as_str(*s) {
            Some(s) => s.to_string(),
            None => {
                let t = vm.type_name(*s);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("format() argument 2 must be str, not {t}"),
                ));
            }
        },
        None => String::new(),
    };
    let s = vm.format_value(args[0], &spec)?;
    Ok(vm.str_value(&s))
}

fn attr_name(vm: &mut Vm, v: Value, fname: &str) -> Res<()> {
    if vm.heap.as_str(v).is_none() {
        let t = vm.type_name(v);
        // CPython 3.9 words the two families differently.
        let msg = if matches!(fname, "getattr" | "hasattr") {
            format!("{fname}(): attribute name must be string")
        } else {
            format!("attribute name must be string, not '{t}'")
        };
        return Err(vm.error(ExcKind::TypeError, msg));
    }
    Ok(())
}

fn getattr(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "getattr", kwargs)?;
    arity(vm, "getattr", args, 2, 3)?;
    attr_name(vm, args[1], "getattr")?;
    match vm.getattr(args[0], args[1]) {
        Err(Fault::Raise(e))
            if args.len() == 3
                && vm.is_subclass(vm.type_of(e), vm.types.exc(ExcKind::AttributeError)) =>
        {
            vm.heap.decref(e);
            Ok(vm.heap.own(args[2]))
        }
        r => r,
    }
}

fn setattr(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "setattr", kwargs)?;
    arity(vm, "setattr", args, 3, 3)?;
    attr_name(vm, args[1], "setattr")?;
    vm.setattr(args[0], args[1], args[2])?;
    Ok(Value::None)
}

fn hasattr(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "hasattr", kwargs)?;
    arity(vm, "hasattr", args, 2, 2)?;
    attr_name(vm, args[1], "hasattr")?;
    match vm.getattr(args[0], args[1]) {
        Ok(v) => {
            vm.heap.decref(v);
            Ok(Value::Bool(true))
        }
        Err(Fault::Raise(e))
            if vm.is_subclass(vm.type_of(e), vm.types.exc(ExcKind::AttributeError)) =>
        {
            vm.heap.decref(e);
            Ok(Value::Bool(false))
        }
        Err(e) => Err(e),
    }
}

fn delattr(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "delattr", kwargs)?;
    arity(vm, "delattr", args, 2, 2)?;
    attr_name(vm, args[1], "delattr")?;
    vm.delattr(args[0], args[1])?;
    Ok(Value::None)
}

fn callable(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "callable", kwargs)?;
    arity(vm, "callable", args, 1, 1)?;
    let v = args[0];
    Ok(Value::Bool(match vm.heap.obj(v) {
        Some(
            Obj::Function(_)
            | Obj::Builtin(_)
            | Obj::BoundBuiltin(..)
            | Obj::BoundMethod(..)
            | Obj::Class(_),
        ) => true,
        Some(Obj::Instance(_)) => vm.special(v, "__call__").is_some(),
        _ => false,
    }))
}

fn build_class(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    vm.build_class(args, kwargs)
}

// ---- built-in types called ----

/// A built-in type called: `int(x)`, `list(it)`, `type(x)`, ...
pub fn construct(
    vm: &mut Vm,
    ty: Ty,
    cls: crate::value::ObjRef,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> Res<Value> {
    let _ = cls;
    let tname = ty.name();
    match ty {
        Ty::Object => {
            if !args.is_empty() || !kwargs.is_empty() {
                return Err(vm.error(ExcKind::TypeError, "object() takes no arguments".into()));
            }
            vm.heap.incref(Value::Obj(cls));
            Ok(vm.heap.alloc(Obj::Instance(Box::new(crate::heap::Instance {
                class: cls,
                dict: crate::dict::Dict::new(),
                exc: None,
            }))))
        }
        Ty::Type => {
            no_kwargs(vm, "type", kwargs)?;
            match args.len() {
                1 => {
                    let t = vm.type_of(args[0]);
                    Ok(vm.heap.own(Value::Obj(t)))
                }
                3 => gap("type() with three arguments"),
                _ => Err(vm.error(ExcKind::TypeError, "type() takes 1 or 3 arguments".into())),
            }
        }
        Ty::Int => int(vm, args, kwargs),
        Ty::Float => {
            no_kwargs(vm, "float", kwargs)?;
            arity(vm, "float", args, 0, 1)?;
            let Some(v) = args.first().copied() else {
                return Ok(Value::Float(0.0));
            };
            if let Some(f) = vm
                .as_f64(v)
                .filter(|f| f.is_finite() || vm.as_big(v).is_none())
            {
                return Ok(Value::Float(f));
            }
            if vm.as_big(v).is_some() {
                return Err(vm.error(
                    ExcKind::OverflowError,
                    "int too large to convert to float".into(),
                ));
            }
            super::complex::no_conversion(vm, v, "float")?;
            if let Some(s) = vm.heap.as_str(v) {
                let s = s.to_string();
                return match parse_float(&s) {
                    Some(f) => Ok(Value::Float(f)),
                    None => {
                        let r = vm.repr(v)?;
                        Err(vm.error(
                            ExcKind::ValueError,
                            format!("could not convert string to float: {r}"),
                        ))
                    }
                };
            }
            if let Some(f) = vm.special(v, "__float__") {
                let r = vm.call_value(f, &[v], &[])?;
                if !matches!(r, Value::Float(_)) {
                    let (c, t) = (vm.type_name(v), vm.type_name(r));
                    vm.heap.decref(r);
                    return Err(vm.error(
                        ExcKind::TypeError,
                        format!("{c}.__float__ returned non-float (type {t})"),
                    ));
                }
                return Ok(r);
            }
            if vm.special(v, "__index__").is_some() {
                if let Some(b) = index_of(vm, v)? {
                    return match b.to_f64().filter(|f| f.is_finite()) {
                        Some(f) => Ok(Value::Float(f)),
                        None => Err(vm.error(
                            ExcKind::OverflowError,
                            "int too large to convert to float".into(),
                        )),
                    };
                }
            }
            let t = vm.type_name(v);
            Err(vm.error(
                ExcKind::TypeError,
                format!("float() argument must be a string or a number, not '{t}'"),
            ))
        }
        Ty::Str => {
            only_kwargs(vm, "str", kwargs, &["object", "encoding", "errors"])?;
            if args.len() > 3 {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("str() takes at most 3 arguments ({} given)", args.len()),
                ));
            }
            let encoding = args.get(1).copied().or(kwarg(vm, kwargs, "encoding"));
            let errors = args.get(2).copied().or(kwarg(vm, kwargs, "errors"));
            for (k, a) in [(2, encoding), (3, errors)] {
                if let Some(a) = a.filter(|a| vm.heap.as_str(*a).is_none()) {
                    let t = vm.type_name(a);
                    return Err(vm.error(
                        ExcKind::TypeError,
                        format!("str() argument {k} must be str, not {t}"),
                    ));
                }
            }
            match args.first().copied().or(kwarg(vm, kwargs, "object")) {
                None => Ok(vm.str_value("")),
                // Decoding: bytes-like objects are decoded, every other
                // object is refused.
                Some(v) if encoding.is_some() || errors.is_some() => {
                    if let Some(s) = super::bytes::decode_to_str(vm, v, encoding, errors)? {
                        return Ok(s);
                    }
                    let msg = if vm.heap.as_str(v).is_some() {
                        "decoding str is not supported".to_string()
                    } else {
                        let t = vm.type_name(v);
                        format!("decoding to str: need a bytes-like object, {t} found")
                    };
                    Err(vm.error(ExcKind::TypeError, msg))
                }
                Some(v) => {
                    let s = vm.str_of(v)?;
                    Ok(vm.str_value(&s))
                }
            }
        }
        Ty::Bool => {
            no_kwargs(vm, "bool", kwargs)?;
            arity(vm, "bool", args, 0, 1)?;
            match args.first() {
                None => Ok(Value::Bool(false)),
                Some(v) => Ok(Value::Bool(vm.truthy(*v)?)),
            }
        }
        Ty::List | Ty::Tuple => {
            no_kwargs(vm, tname, kwargs)?;
            if args.len() > 1 {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("{tname} expected at most 1 argument, got {}", args.len()),
                ));
            }
            let items = match args.first() {
                Some(v) => vm.collect(*v)?,
                None => Vec::new(),
            };
            Ok(vm.heap.alloc(if ty == Ty::List {
                Obj::List(items)
            } else {
                Obj::Tuple(items.into())
            }))
        }
        Ty::Dict => {
            if args.len() > 1 {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("dict expected at most 1 argument, got {}", args.len()),
                ));
            }
            let d = vm.new_dict();
            if let Some(a) = args.first() {
                if let Err(e) = vm.dict_update(d, *a) {
                    vm.heap.decref(d);
                    return Err(e);
                }
            }
            for (k, v) in kwargs {
                vm.dict_set(d, *k, *v)?;
            }
            Ok(d)
        }
        Ty::Set | Ty::FrozenSet => {
            no_kwargs(vm, tname, kwargs)?;
            if args.len() > 1 {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("{tname} expected at most 1 argument, got {}", args.len()),
                ));
            }
            vm.new_set(args.first().copied(), ty == Ty::FrozenSet)
        }
        Ty::Range => {
            no_kwargs(vm, "range", kwargs)?;
            let mut ints = Vec::new();
            for a in args {
                match vm.index_value(*a).filter(|_| !matches!(a, Value::Float(_))) {
                    Some(i) if vm.as_i64(*a).is_some() => ints.push(i),
                    Some(_) => return gap("range() of big integers"),
                    None => {
                        let t = vm.type_name(*a);
                        return Err(vm.error(
                            ExcKind::TypeError,
                            format!("'{t}' object cannot be interpreted as an integer"),
                        ));
                    }
                }
            }
            let (a, z, s) = match ints[..] {
                [z] => (0, z, 1),
                [a, z] => (a, z, 1),
                [a, z, s] => (a, z, s),
                [] => {
                    return Err(vm.error(
                        ExcKind::TypeError,
                        "range expected 1 argument, got 0".into(),
                    ))
                }
                _ => {
                    return Err(vm.error(
                        ExcKind::TypeError,
                        format!("range expected at most 3 arguments, got {}", ints.len()),
                    ))
                }
            };
            if s == 0 {
                return Err(vm.error(ExcKind::ValueError, "range() arg 3 must not be zero".into()));
            }
            Ok(vm.heap.alloc(Obj::Range(a, z, s)))
        }
        Ty::Slice => {
            no_kwargs(vm, "slice", kwargs)?;
            arity(vm, "slice", args, 1, 3)?;
            let (a, b, c) = match args {
                [b] => (Value::None, *b, Value::None),
                [a, b] => (*a, *b, Value::None),
                _ => (args[0], args[1], args[2]),
            };
            for v in [a, b, c] {
                vm.heap.incref(v);
            }
            Ok(vm.heap.alloc(Obj::Slice(a, b, c)))
        }
        Ty::Property => {
            only_kwargs(vm, "property", kwargs, &["fget", "fset", "fdel", "doc"])?;
            let get = |k: usize, n: &str, vm: &Vm| {
                args.get(k)
                    .copied()
                    .or(kwarg(vm, kwargs, n))
                    .unwrap_or(Value::None)
            };
            let (g, s, d) = (get(0, "fget", vm), get(1, "fset", vm), get(2, "fdel", vm));
            for v in [g, s, d] {
                vm.heap.incref(v);
            }
            Ok(vm.heap.alloc(Obj::Property(g, s, d)))
        }
        Ty::StaticMethod | Ty::ClassMethod => {
            no_kwargs(vm, tname, kwargs)?;
            arity(vm, tname, args, 1, 1)?;
            let f = vm.heap.own(args[0]);
            Ok(vm.heap.alloc(if ty == Ty::StaticMethod {
                Obj::StaticMethod(f)
            } else {
                Obj::ClassMethod(f)
            }))
        }
        Ty::Super => vm.make_super(args),
        Ty::Bytes => super::bytes::construct(vm, false, args, kwargs),
        Ty::ByteArray => super::bytes::construct(vm, true, args, kwargs),
        Ty::Complex => super::complex::construct(vm, args, kwargs),
        _ => Err(vm.error(
            ExcKind::TypeError,
            format!("cannot create '{tname}' instances"),
        )),
    }
}

fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim().replace('_', "");
    if t.is_empty() || s.trim().starts_with('_') || s.trim().ends_with('_') || s.contains("__") {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    let neg = lower.starts_with('-');
    let v = match body {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => {
            if !body
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-'))
            {
                return None;
            }
            return t.parse().ok();
        }
    };
    Some(if neg { -v } else { v })
}

fn int(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    only_kwargs(vm, "int", kwargs, &["base"])?;
    if args.len() > 2 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("int() takes at most 2 arguments ({} given)", args.len()),
        ));
    }
    let base = args.get(1).copied().or(kwarg(vm, kwargs, "base"));
    let Some(v) = args.first().copied() else {
        if base.is_some() {
            return Err(vm.error(ExcKind::TypeError, "int() missing string argument".into()));
        }
        return Ok(Value::Int(0));
    };
    if let Some(b) = base {
        let Some(s) = vm.heap.as_str(v).map(String::from) else {
            return Err(vm.error(
                ExcKind::TypeError,
                "int() can't convert non-string with explicit base".into(),
            ));
        };
        let Some(b) = vm.as_i64(b) else {
            return Err(vm.error(ExcKind::TypeError, "an integer is required".into()));
        };
        if b != 0 && !(2..=36).contains(&b) {
            return Err(vm.error(
                ExcKind::ValueError,
                "int() base must be >= 2 and <= 36, or 0".into(),
            ));
        }
        return parse_int(vm, &s, b as u32, v);
    }
    match v {
        Value::Int(_) => Ok(v),
        Value::Bool(b) => Ok(Value::Int(i64::from(b))),
        Value::Float(f) => {
            if f.is_nan() {
                return Err(vm.error(
                    ExcKind::ValueError,
                    "cannot convert float NaN to integer".into(),
                ));
            }
            if f.is_infinite() {
                return Err(vm.error(
                    ExcKind::OverflowError,
                    "cannot convert float infinity to integer".into(),
                ));
            }
            match pyreg_spec::pyformat::f64_to_int(f.trunc()) {
                Ok(b) => Ok(vm.big(b)),
                Err(_) => gap("int() of this float"),
            }
        }
        _ => {
            if let Some(b) = vm.as_big(v) {
                return Ok(vm.big(b));
            }
            if let Some(s) = vm.heap.as_str(v).map(String::from) {
                return parse_int(vm, &s, 10, v);
            }
            if let Some(b) = vm.bytes_of(v) {
                let s: String = b.iter().map(|&c| char::from(c)).collect();
                return parse_int(vm, &s, 10, v);
            }
            super::complex::no_conversion(vm, v, "int")?;
            for m in ["__int__", "__index__"] {
                if let Some(f) = vm.special(v, m) {
                    return vm.call_value(f, &[v], &[]);
                }
            }
            let t = vm.type_name(v);
            Err(vm.error(
                ExcKind::TypeError,
                format!(
                    "int() argument must be a string, a bytes-like object or a number, not '{t}'"
                ),
            ))
        }
    }
}

fn parse_int(vm: &mut Vm, s: &str, base: u32, orig: Value) -> Res<Value> {
    let given_base = base;
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    let (base, digits) = match (base, lower.get(..2)) {
        (16 | 0, Some("0x")) => (16, &body[2..]),
        (8 | 0, Some("0o")) => (8, &body[2..]),
        (2 | 0, Some("0b")) => (2, &body[2..]),
        (0, _) => (10, body),
        (b, _) => (b, body),
    };
    let digits = digits
        .strip_prefix('_')
        .filter(|_| digits.len() < body.len())
        .unwrap_or(digits);
    let ok = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.chars().all(|c| c == '_' || c.is_digit(base));
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    // Base 0 takes a decimal with leading zeros only when it is zero.
    let ok = ok
        && !(given_base == 0
            && base == 10
            && clean.starts_with('0')
            && clean.chars().any(|c| c != '0'));
    let parsed = if ok {
        BigInt::parse_bytes(clean.as_bytes(), base)
    } else {
        None
    };
    match parsed {
        Some(b) => Ok(vm.big(if neg { -b } else { b })),
        None => {
            let r = vm.repr(orig)?;
            Err(vm.error(
                ExcKind::ValueError,
                format!("invalid literal for int() with base {given_base}: {r}"),
            ))
        }
    }
}

/// The integer `v` is or gives through its `__index__`; `None` when it
/// has none.
pub(super) fn index_of(vm: &mut Vm, v: Value) -> Res<Option<BigInt>> {
    if let Some(b) = vm.as_big(v) {
        return Ok(Some(b));
    }
    let Some(f) = vm.special(v, "__index__") else {
        return Ok(None);
    };
    let r = vm.call_value(f, &[v], &[])?;
    let b = vm.as_big(r);
    if b.is_none() {
        let t = vm.type_name(r);
        vm.heap.decref(r);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("__index__ returned non-int (type {t})"),
        ));
    }
    vm.heap.decref(r);
    Ok(b)
}

/// The value as an `i64` when it fits; used by methods taking counts.
pub(super) fn small(vm: &Vm, v: Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(i),
        Value::Bool(b) => Some(i64::from(b)),
        _ => vm.as_big(v).and_then(|b| b.to_i64()),
    }
}

/// The module globals of namespace `g` as a new dict (a snapshot: stores
/// into it do not reach the namespace).
fn globals_dict(vm: &mut Vm, g: usize) -> Res<Value> {
    let pairs: Vec<(String, Value)> = match vm.ns.get(g) {
        Some(ns) => ns
            .names
            .iter()
            .zip(&ns.slots)
            .filter(|(_, v)| **v != Value::Empty)
            .map(|(n, v)| (n.clone(), *v))
            .collect(),
        None => Vec::new(),
    };
    let d = vm.new_dict();
    for (n, v) in pairs {
        let k = vm.str_value(&n);
        let r = vm.dict_set(d, k, v);
        vm.heap.decref(k);
        if let Err(e) = r {
            vm.heap.decref(d);
            return Err(e);
        }
    }
    Ok(d)
}

/// `globals()`: the caller's module globals, as a snapshot dict.
fn globals(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "globals", kwargs)?;
    if !args.is_empty() {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("globals() takes no arguments ({} given)", args.len()),
        ));
    }
    let g = vm.frames.last().map_or(0, |f| f.code.globals as usize);
    globals_dict(vm, g)
}

/// `locals()`: a class body's namespace, the module's globals, or a
/// snapshot of a function's fast locals and cells.
fn locals(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "locals", kwargs)?;
    if !args.is_empty() {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("locals() takes no arguments ({} given)", args.len()),
        ));
    }
    let Some(fr) = vm.frames.last() else {
        return globals_dict(vm, 0);
    };
    if fr.locals != Value::Empty {
        let l = fr.locals;
        return Ok(vm.heap.own(l));
    }
    let code = fr.code.clone();
    if code.co.flags & pyreg_spec::code::flags::NEWLOCALS == 0 {
        return globals_dict(vm, code.globals as usize);
    }
    let base = fr.base;
    let mut pairs: Vec<(String, Value)> = Vec::new();
    for (i, n) in code.co.varnames.iter().enumerate().take(code.nlocals) {
        let v = vm.regs.get(base + i).copied().unwrap_or(Value::Empty);
        pairs.push((n.to_string(), v));
    }
    let cell_names = code.co.cellvars.iter().chain(code.co.freevars.iter());
    for (n, c) in cell_names.zip(fr.cells.iter()) {
        let v = match vm.heap.obj(*c) {
            Some(Obj::Cell(v)) => *v,
            _ => Value::Empty,
        };
        pairs.push((n.to_string(), v));
    }
    let d = vm.new_dict();
    for (n, v) in pairs {
        if v == Value::Empty {
            continue;
        }
        let k = vm.str_value(&n);
        let r = vm.dict_set(d, k, v);
        vm.heap.decref(k);
        if let Err(e) = r {
            vm.heap.decref(d);
            return Err(e);
        }
    }
    Ok(d)
}

/// `vars([obj])`: `obj.__dict__`, or `locals()`.
fn vars(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "vars", kwargs)?;
    arity(vm, "vars", args, 0, 1)?;
    let Some(o) = args.first().copied() else {
        return locals(vm, &[], &[]);
    };
    let n = vm.str_value("__dict__");
    let r = vm.getattr(o, n);
    vm.heap.decref(n);
    match r {
        Err(Fault::Raise(e))
            if vm.is_subclass(vm.type_of(e), vm.types.exc(ExcKind::AttributeError)) =>
        {
            vm.heap.decref(e);
            Err(vm.error(
                ExcKind::TypeError,
                "vars() argument must have __dict__ attribute".into(),
            ))
        }
        r => r,
    }
}

fn exit_with(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)], fname: &str) -> Res<Value> {
    only_kwargs(vm, fname, kwargs, &["code"])?;
    if args.len() > 1 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!(
                "__call__() takes from 1 to 2 positional arguments but {} were given",
                args.len() + 1
            ),
        ));
    }
    let code = args
        .first()
        .copied()
        .or(kwarg(vm, kwargs, "code"))
        .unwrap_or(Value::None);
    let e = vm.new_exception(vm.types.exc(ExcKind::SystemExit), &[code]);
    Err(Fault::Raise(e))
}

/// `exit([code])`: raises `SystemExit(code)`, as the site module's
/// `Quitter` does.
fn exit(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    exit_with(vm, args, kwargs, "exit")
}

/// `quit([code])`, the same as `exit`.
fn quit(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    exit_with(vm, args, kwargs, "quit")
}

/// What `dir()` lists for every object of a class made by a `class`
/// statement: `object`'s attributes and those each such class has.
const OBJECT_DIR: &[&str] = &[
    "__class__",
    "__delattr__",
    "__dir__",
    "__doc__",
    "__eq__",
    "__format__",
    "__ge__",
    "__getattribute__",
    "__gt__",
    "__hash__",
    "__init__",
    "__init_subclass__",
    "__le__",
    "__lt__",
    "__ne__",
    "__new__",
    "__reduce__",
    "__reduce_ex__",
    "__repr__",
    "__setattr__",
    "__sizeof__",
    "__str__",
    "__subclasshook__",
    "__dict__",
    "__module__",
    "__weakref__",
];

/// What `BaseException` adds to [`OBJECT_DIR`].
const EXCEPTION_DIR: &[&str] = &[
    "__cause__",
    "__context__",
    "__setstate__",
    "__suppress_context__",
    "__traceback__",
    "args",
    "with_traceback",
];

/// `dir([obj])`: the sorted names of the caller's locals, or of the
/// attributes of an instance or class made by a `class` statement.
fn dir(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    no_kwargs(vm, "dir", kwargs)?;
    arity(vm, "dir", args, 0, 1)?;
    let mut names: Vec<String> = Vec::new();
    match args.first().copied() {
        None => {
            let d = locals(vm, &[], &[])?;
            if let Some(Obj::Dict(t)) = vm.heap.obj(d) {
                names = t
                    .iter()
                    .filter_map(|e| vm.heap.as_str(e.key).map(String::from))
                    .collect();
            }
            vm.heap.decref(d);
        }
        Some(o) => {
            let cls = match vm.heap.obj(o) {
                Some(Obj::Class(_)) => o.obj(),
                Some(Obj::Instance(i)) => {
                    names.extend(
                        i.dict
                            .iter()
                            .filter_map(|e| vm.heap.as_str(e.key).map(String::from)),
                    );
                    Some(i.class)
                }
                _ => None,
            };
            let mro = cls
                .and_then(|c| vm.class(c))
                .filter(|c| c.user)
                .map(|c| c.mro.clone());
            let Some(mro) = mro else {
                return gap("dir() of a built-in object");
            };
            for k in mro {
                let Some(c) = vm.class(k) else { continue };
                if !c.user {
                    if c.ty == Ty::BaseException {
                        names.extend(EXCEPTION_DIR.iter().map(|n| n.to_string()));
                    }
                    continue;
                }
                names.extend(
                    c.dict
                        .iter()
                        .filter_map(|e| vm.heap.as_str(e.key))
                        // Left in the namespace by class creation; CPython's
                        // class dicts do not have them.
                        .filter(|n| !matches!(*n, "__qualname__" | "__classcell__"))
                        .map(String::from),
                );
            }
            names.extend(OBJECT_DIR.iter().map(|n| n.to_string()));
        }
    }
    names.sort();
    names.dedup();
    let vs: Vec<Value> = names.iter().map(|n| vm.str_value(n)).collect();
    Ok(vm.heap.alloc(Obj::List(vs)))
}
