//! Operators: arithmetic on ints (big on overflow) and floats, sequence
//! concatenation and repetition, comparison, truth, equality and hashing,
//! membership, subscripts and slices; user classes through their special
//! methods, reflected operands included.

use super::types::str_hash;
use super::{gap, Fault, Res, Vm};
use crate::code::{Bin, Cmp};
use crate::dict::Dict;
use crate::heap::{ExcKind, Obj};
use crate::value::Value;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// A comparison of two small ints; `None` for `in` (ints are not
/// containers: the general path raises). `is` compares small ints by value,
/// as the specification does (`Value::is`).
#[inline]
pub(super) fn int_cmp(c: Cmp, x: i64, y: i64) -> Option<bool> {
    Some(match c {
        Cmp::Lt => x < y,
        Cmp::Le => x <= y,
        Cmp::Eq | Cmp::Is => x == y,
        Cmp::Ne | Cmp::IsNot => x != y,
        Cmp::Gt => x > y,
        Cmp::Ge => x >= y,
        Cmp::In | Cmp::NotIn => return None,
    })
}

/// The arithmetic on two small ints that both dispatch loops do inline
/// (no overflow, no division by zero or negative shift); `None` leaves
/// the case to the general path.
#[inline(always)]
pub(super) fn int_fast(op: Bin, x: i64, y: i64) -> Option<i64> {
    Some(match op {
        Bin::Add => x.checked_add(y)?,
        Bin::Sub => x.checked_sub(y)?,
        Bin::Mul => x.checked_mul(y)?,
        Bin::And => x & y,
        Bin::Or => x | y,
        Bin::Xor => x ^ y,
        Bin::Rshift if (0..64).contains(&y) => x >> y,
        Bin::Mod | Bin::FloorDiv if y > 0 => {
            if op == Bin::Mod {
                x.rem_euclid(y)
            } else {
                x.div_euclid(y)
            }
        }
        _ => return None,
    })
}

/// The arithmetic on two floats that the register loop does inline (no
/// division by zero); `None` leaves the case to the general path.
#[inline(always)]
pub(super) fn float_fast(op: Bin, x: f64, y: f64) -> Option<f64> {
    Some(match op {
        Bin::Add => x + y,
        Bin::Sub => x - y,
        Bin::Mul => x * y,
        Bin::TrueDiv if y != 0.0 => x / y,
        _ => return None,
    })
}

/// A comparison of two floats as IEEE 754 orders them (every comparison
/// with a NaN is false but `!=`), which is CPython's float_richcompare on
/// two floats; `None` for the operators that are not orderings.
#[inline(always)]
pub(super) fn float_cmp(c: Cmp, x: f64, y: f64) -> Option<bool> {
    Some(match c {
        Cmp::Lt => x < y,
        Cmp::Le => x <= y,
        Cmp::Eq => x == y,
        Cmp::Ne => x != y,
        Cmp::Gt => x > y,
        Cmp::Ge => x >= y,
        Cmp::Is | Cmp::IsNot | Cmp::In | Cmp::NotIn => return None,
    })
}

/// The arithmetic both dispatch loops do inline: ints (no overflow) and
/// floats, mixed as CPython mixes them (an i64 converts to the nearest
/// double, ties to even, as `PyLong_AsDouble` rounds); `None` leaves the
/// case to the general path.
#[inline(always)]
pub(super) fn binary_fast(op: Bin, a: Value, b: Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(int_fast(op, x, y)?),
        (Value::Float(x), Value::Float(y)) => Value::Float(float_fast(op, x, y)?),
        (Value::Int(x), Value::Float(y)) => Value::Float(float_fast(op, x as f64, y)?),
        (Value::Float(x), Value::Int(y)) => Value::Float(float_fast(op, x, y as f64)?),
        _ => return None,
    })
}

/// The comparisons both dispatch loops do inline: two ints or two floats.
#[inline(always)]
pub(super) fn compare_fast(c: Cmp, a: Value, b: Value) -> Option<bool> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => int_cmp(c, x, y),
        (Value::Float(x), Value::Float(y)) => float_cmp(c, x, y),
        _ => None,
    }
}

impl Vm {
    /// `seq[i]` for a list or tuple and a small int in range, borrowed;
    /// `None` leaves the case to the general path.
    #[inline(always)]
    pub(super) fn item_fast(&self, seq: Value, i: Value) -> Option<Value> {
        let (Value::Obj(c), Value::Int(i)) = (seq, i) else {
            return None;
        };
        let items: &[Value] = match self.heap.get(c) {
            Obj::List(xs) => xs,
            Obj::Tuple(xs) => xs,
            _ => return None,
        };
        Some(items[fast_index(i, items.len())?])
    }

    /// The `n` items of a list or tuple of exactly `n <= 8` items, copied
    /// out (not yet referenced); `None` leaves unpacking to the general
    /// path.
    #[inline(always)]
    pub(super) fn items_fast(&self, seq: Value, n: usize) -> Option<[Value; 8]> {
        let Value::Obj(t) = seq else { return None };
        let items: &[Value] = match self.heap.get(t) {
            Obj::List(xs) => xs,
            Obj::Tuple(xs) => xs,
            _ => return None,
        };
        if n > 8 || items.len() != n {
            return None;
        }
        let mut buf = [Value::Empty; 8];
        buf[..n].copy_from_slice(items);
        Some(buf)
    }
}

/// A small int index into a sequence of `len` items, counted from the end
/// when negative; `None` when out of range (the general path raises).
#[inline(always)]
pub(super) fn fast_index(i: i64, len: usize) -> Option<usize> {
    let k = if i < 0 { i.checked_add(len as i64)? } else { i };
    if (0..len as i64).contains(&k) {
        Some(k as usize)
    } else {
        None
    }
}

/// Whether a sequence of `n` items passes the specification's bound on one
/// sequence (`MAX_COLLECTION`, a resource limit the engines share: past it
/// they raise `MemoryError`).
pub(super) fn too_big(n: usize) -> bool {
    n > pyreg_spec::interp::ops::MAX_COLLECTION
}

/// The special methods of a binary operator: (normal, reflected, in place).
fn dunders(op: Bin) -> (&'static str, &'static str, &'static str) {
    match op {
        Bin::Add => ("__add__", "__radd__", "__iadd__"),
        Bin::Sub => ("__sub__", "__rsub__", "__isub__"),
        Bin::Mul => ("__mul__", "__rmul__", "__imul__"),
        Bin::TrueDiv => ("__truediv__", "__rtruediv__", "__itruediv__"),
        Bin::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        Bin::Mod => ("__mod__", "__rmod__", "__imod__"),
        Bin::Pow => ("__pow__", "__rpow__", "__ipow__"),
        Bin::Lshift => ("__lshift__", "__rlshift__", "__ilshift__"),
        Bin::Rshift => ("__rshift__", "__rrshift__", "__irshift__"),
        Bin::And => ("__and__", "__rand__", "__iand__"),
        Bin::Or => ("__or__", "__ror__", "__ior__"),
        Bin::Xor => ("__xor__", "__rxor__", "__ixor__"),
    }
}

impl Vm {
    /// A big int result, small when it fits (owned).
    pub(super) fn big(&mut self, b: BigInt) -> Value {
        match b.to_i64() {
            Some(i) => Value::Int(i),
            None => self.heap.alloc(Obj::Big(b)),
        }
    }

    /// `v` as an integer, if it is an `int` or `bool`.
    pub(super) fn as_big(&self, v: Value) -> Option<BigInt> {
        match v {
            Value::Int(i) => Some(BigInt::from(i)),
            Value::Bool(b) => Some(BigInt::from(i64::from(b))),
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Big(b) => Some(b.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// `v` as a small int, if it is an `int` or `bool` that fits.
    pub(super) fn as_i64(&self, v: Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(i),
            Value::Bool(b) => Some(i64::from(b)),
            _ => None,
        }
    }

    /// `v` as a float, if it is a number.
    pub(super) fn as_f64(&self, v: Value) -> Option<f64> {
        match v {
            Value::Float(f) => Some(f),
            Value::Int(i) => Some(i as f64),
            Value::Bool(b) => Some(f64::from(u8::from(b))),
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Big(b) => b.to_f64(),
                _ => None,
            },
            _ => None,
        }
    }

    /// `bool(v)`.
    pub(super) fn truthy(&mut self, v: Value) -> Res<bool> {
        Ok(match v {
            Value::Empty | Value::None => false,
            Value::Bool(b) => b,
            Value::Int(i) => i != 0,
            Value::Float(f) => f != 0.0,
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Str(s) => !s.s.is_empty(),
                Obj::List(xs) => !xs.is_empty(),
                Obj::Tuple(xs) => !xs.is_empty(),
                Obj::Dict(d) => !d.is_empty(),
                Obj::Set(t) | Obj::FrozenSet(t) => !t.is_empty(),
                Obj::Big(b) => !b.is_zero(),
                Obj::Bytes(b) => !b.is_empty(),
                Obj::ByteArray(b) => !b.is_empty(),
                Obj::Complex(re, im) => *re != 0.0 || *im != 0.0,
                Obj::Range(a, z, s) => (*s > 0 && a < z) || (*s < 0 && a > z),
                Obj::Instance(_) => {
                    if let Some(f) = self.special(v, "__bool__") {
                        let r = self.call_value(f, &[v], &[])?;
                        return match r {
                            Value::Bool(b) => Ok(b),
                            _ => {
                                let t = self.type_name(r);
                                self.heap.decref(r);
                                Err(self.error(
                                    ExcKind::TypeError,
                                    format!("__bool__ should return bool, returned {t}"),
                                ))
                            }
                        };
                    }
                    if let Some(f) = self.special(v, "__len__") {
                        let n = self.call_len(f, v)?;
                        return Ok(n != 0);
                    }
                    true
                }
                Obj::View(view) => {
                    let d = view.dict;
                    matches!(self.heap.obj(d), Some(Obj::Dict(t)) if !t.is_empty())
                }
                _ => true,
            },
        })
    }

    /// Calls a user `__len__`, checking its result as `len()` does.
    pub(super) fn call_len(&mut self, f: Value, v: Value) -> Res<i64> {
        let r = self.call_value(f, &[v], &[])?;
        match r {
            Value::Int(n) if n >= 0 => Ok(n),
            Value::Bool(b) => Ok(i64::from(b)),
            Value::Int(_) => {
                Err(self.error(ExcKind::ValueError, "__len__() should return >= 0".into()))
            }
            _ => {
                let t = self.type_name(r);
                self.heap.decref(r);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("'{t}' object cannot be interpreted as an integer"),
                ))
            }
        }
    }

    /// `a op b` (in place: `a op= b`), owned.
    pub(super) fn binary(&mut self, op: Bin, inplace: bool, a: Value, b: Value) -> Res<Value> {
        if let (Value::Int(x), Value::Int(y)) = (a, b) {
            if let Some(v) = self.int_op(op, x, y)? {
                return Ok(v);
            }
        }
        let ints = matches!(a, Value::Int(_) | Value::Bool(_))
            || matches!(self.heap.obj(a), Some(Obj::Big(_)));
        let intb = matches!(b, Value::Int(_) | Value::Bool(_))
            || matches!(self.heap.obj(b), Some(Obj::Big(_)));
        if ints && intb {
            if matches!(op, Bin::And | Bin::Or | Bin::Xor) {
                if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
                    return Ok(Value::Bool(match op {
                        Bin::And => x & y,
                        Bin::Or => x | y,
                        _ => x ^ y,
                    }));
                }
            }
            return self.big_op(op, a, b);
        }
        let fa = matches!(a, Value::Float(_));
        let fb = matches!(b, Value::Float(_));
        if (fa && (fb || intb)) || (fb && ints) {
            let (Some(x), Some(y)) = (self.as_f64(a), self.as_f64(b)) else {
                return Err(self.error(
                    ExcKind::OverflowError,
                    "int too large to convert to float".into(),
                ));
            };
            return self.float_op(op, x, y);
        }
        if let Some(v) = self.complex_binary(op, a, b)? {
            return Ok(v);
        }
        if let Some(v) = self.bytes_binary(op, inplace, a, b)? {
            return Ok(v);
        }
        if let Some(v) = self.sequence_op(op, inplace, a, b)? {
            return Ok(v);
        }
        // User classes: in place, then normal, then reflected.
        let (name, rname, iname) = dunders(op);
        if inplace {
            if let Some(f) = self.special(a, iname) {
                let r = self.call_value(f, &[a, b], &[])?;
                if !self.is_not_implemented(r) {
                    return Ok(r);
                }
            }
        }
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        let fa = self.special(a, name);
        let fb = if ta != tb {
            self.special(b, rname)
        } else {
            None
        };
        // A subclass's reflected method goes first.
        let b_first = fb.is_some() && self.is_subclass(tb, ta) && tb != ta;
        if b_first {
            if let Some(f) = fb {
                let r = self.call_value(f, &[b, a], &[])?;
                if !self.is_not_implemented(r) {
                    return Ok(r);
                }
            }
        }
        if let Some(f) = fa {
            let r = self.call_value(f, &[a, b], &[])?;
            if !self.is_not_implemented(r) {
                return Ok(r);
            }
        }
        if !b_first {
            if let Some(f) = fb {
                let r = self.call_value(f, &[b, a], &[])?;
                if !self.is_not_implemented(r) {
                    return Ok(r);
                }
            }
        }
        let (na, nb) = (self.type_name(a), self.type_name(b));
        let sym = if inplace {
            format!("{}=", op.symbol())
        } else {
            op.symbol().to_string()
        };
        if op == Bin::Pow && !inplace {
            return Err(self.error(
                ExcKind::TypeError,
                format!("unsupported operand type(s) for ** or pow(): '{na}' and '{nb}'"),
            ));
        }
        if op == Bin::Add && na == "str" {
            return Err(self.error(
                ExcKind::TypeError,
                format!("can only concatenate str (not \"{nb}\") to str"),
            ));
        }
        if op == Bin::Add && (na == "bytes" || na == "bytearray") {
            return Err(self.error(ExcKind::TypeError, format!("can't concat {nb} to {na}")));
        }
        if op == Bin::Add && (na == "list" || na == "tuple") {
            return Err(self.error(
                ExcKind::TypeError,
                format!("can only concatenate {na} (not \"{nb}\") to {na}"),
            ));
        }
        if op == Bin::Mul
            && matches!(
                na.as_str(),
                "str" | "list" | "tuple" | "bytes" | "bytearray"
            )
        {
            return Err(self.error(
                ExcKind::TypeError,
                format!("can't multiply sequence by non-int of type '{nb}'"),
            ));
        }
        if op == Bin::Mul
            && matches!(
                nb.as_str(),
                "str" | "list" | "tuple" | "bytes" | "bytearray"
            )
        {
            return Err(self.error(
                ExcKind::TypeError,
                format!("can't multiply sequence by non-int of type '{na}'"),
            ));
        }
        Err(self.error(
            ExcKind::TypeError,
            format!("unsupported operand type(s) for {sym}: '{na}' and '{nb}'"),
        ))
    }

    /// Whether `r` is `NotImplemented` (dropping it if so).
    pub(super) fn is_not_implemented(&mut self, r: Value) -> bool {
        if matches!(self.heap.obj(r), Some(Obj::NotImplemented)) {
            self.heap.decref(r);
            return true;
        }
        false
    }

    /// Concatenation, repetition, `%` formatting, set operators, dict
    /// merge: `None` when the operands are not of these kinds.
    fn sequence_op(&mut self, op: Bin, inplace: bool, a: Value, b: Value) -> Res<Option<Value>> {
        let (oa, ob) = (self.heap.obj(a), self.heap.obj(b));
        match (op, oa, ob) {
            (Bin::Add, Some(Obj::Str(x)), Some(Obj::Str(y))) => {
                if too_big(x.s.len() + y.s.len()) {
                    return Err(self.memory_error());
                }
                let mut s = String::with_capacity(x.s.len() + y.s.len());
                s.push_str(&x.s);
                s.push_str(&y.s);
                Ok(Some(self.str_value(&s)))
            }
            (Bin::Add, Some(Obj::List(x)), Some(Obj::List(y))) => {
                if too_big(x.len() + y.len()) {
                    return Err(self.memory_error());
                }
                if inplace {
                    let extra = y.clone();
                    for v in &extra {
                        self.heap.incref(*v);
                    }
                    if let Some(Obj::List(xs)) = a.obj().map(|r| self.heap.get_mut(r)) {
                        xs.extend(extra);
                    }
                    return Ok(Some(self.heap.own(a)));
                }
                let items: Vec<Value> = x.iter().chain(y.iter()).copied().collect();
                for v in &items {
                    self.heap.incref(*v);
                }
                Ok(Some(self.heap.alloc(Obj::List(items))))
            }
            (Bin::Add, Some(Obj::List(_)), _) if inplace => {
                let extra = self.collect(b)?;
                if let Some(Obj::List(xs)) = a.obj().map(|r| self.heap.get_mut(r)) {
                    xs.extend(extra);
                }
                Ok(Some(self.heap.own(a)))
            }
            (Bin::Add, Some(Obj::Tuple(x)), Some(Obj::Tuple(y))) => {
                if too_big(x.len() + y.len()) {
                    return Err(self.memory_error());
                }
                let items: Vec<Value> = x.iter().chain(y.iter()).copied().collect();
                for v in &items {
                    self.heap.incref(*v);
                }
                Ok(Some(self.heap.alloc(Obj::Tuple(items.into()))))
            }
            (Bin::Mul, Some(Obj::Str(_) | Obj::List(_) | Obj::Tuple(_)), _)
                if self.as_big(b).is_some() =>
            {
                let n = self.as_big(b).unwrap_or_default();
                self.repeat(a, &n, inplace).map(Some)
            }
            (Bin::Mul, _, Some(Obj::Str(_) | Obj::List(_) | Obj::Tuple(_)))
                if self.as_big(a).is_some() =>
            {
                let n = self.as_big(a).unwrap_or_default();
                self.repeat(b, &n, false).map(Some)
            }
            (Bin::Mod, Some(Obj::Str(f)), _) => {
                let f = f.s.to_string();
                self.percent_format(&f, b).map(Some)
            }
            (
                Bin::Sub | Bin::And | Bin::Or | Bin::Xor,
                Some(Obj::Set(_) | Obj::FrozenSet(_)),
                Some(Obj::Set(_) | Obj::FrozenSet(_)),
            ) => self.set_op(op, inplace, a, b).map(Some),
            (Bin::Sub | Bin::And | Bin::Or | Bin::Xor, Some(Obj::View(v)), _)
                if v.part != crate::heap::DictPart::Values =>
            {
                // Key and item views combine as sets.
                let x = self.new_set(Some(a), false)?;
                let y = match self.new_set(Some(b), false) {
                    Ok(y) => y,
                    Err(e) => {
                        self.heap.decref(x);
                        return Err(e);
                    }
                };
                let r = self.set_op(op, false, x, y);
                self.heap.decref(x);
                self.heap.decref(y);
                r.map(Some)
            }
            (Bin::Or, Some(Obj::Dict(_)), Some(_)) if inplace => {
                self.dict_update(a, b)?;
                Ok(Some(self.heap.own(a)))
            }
            (Bin::Or, Some(Obj::Dict(_)), Some(Obj::Dict(_))) => {
                let d = if inplace {
                    self.heap.own(a)
                } else {
                    self.copy_dict(a)?
                };
                self.dict_update(d, b)?;
                Ok(Some(d))
            }
            _ => Ok(None),
        }
    }

    /// `seq * n` (in place for a list with `inplace`).
    fn repeat(&mut self, seq: Value, n: &BigInt, inplace: bool) -> Res<Value> {
        let n = if n.is_negative() {
            0
        } else {
            match n.to_usize() {
                Some(n) => n,
                None => return Err(self.memory_error()),
            }
        };
        let Some(r) = seq.obj() else {
            return gap("repetition of a non-sequence");
        };
        let items: Vec<Value> = match self.heap.get(r) {
            Obj::Str(s) => {
                if too_big(s.s.len().saturating_mul(n)) {
                    return Err(self.memory_error());
                }
                let s = s.s.repeat(n);
                return Ok(self.str_value(&s));
            }
            Obj::List(xs) => xs.clone(),
            Obj::Tuple(xs) => xs.to_vec(),
            _ => return gap("repetition of this type"),
        };
        let total = items.len().saturating_mul(n);
        if too_big(total) {
            return Err(self.memory_error());
        }
        let mut out = Vec::with_capacity(total);
        for _ in 0..n {
            out.extend_from_slice(&items);
        }
        for v in &out {
            self.heap.incref(*v);
        }
        match self.heap.get_mut(r) {
            Obj::List(xs) if inplace => {
                let old = std::mem::replace(xs, out);
                self.heap.decref_all(old);
                Ok(self.heap.own(seq))
            }
            Obj::List(_) => Ok(self.heap.alloc(Obj::List(out))),
            _ => Ok(self.heap.alloc(Obj::Tuple(out.into()))),
        }
    }

    fn int_op(&mut self, op: Bin, x: i64, y: i64) -> Res<Option<Value>> {
        let v = match op {
            Bin::Add => x.checked_add(y).map(Value::Int),
            Bin::Sub => x.checked_sub(y).map(Value::Int),
            Bin::Mul => x.checked_mul(y).map(Value::Int),
            Bin::And => Some(Value::Int(x & y)),
            Bin::Or => Some(Value::Int(x | y)),
            Bin::Xor => Some(Value::Int(x ^ y)),
            Bin::FloorDiv | Bin::Mod => {
                if y == 0 {
                    return Err(self.error(
                        ExcKind::ZeroDivisionError,
                        "integer division or modulo by zero".into(),
                    ));
                }
                if x == i64::MIN && y == -1 {
                    None
                } else {
                    let (q, r) = x.div_mod_floor(&y);
                    Some(Value::Int(if op == Bin::FloorDiv { q } else { r }))
                }
            }
            Bin::TrueDiv => {
                if y == 0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "division by zero".into()));
                }
                if x.unsigned_abs() < (1 << 53) && y.unsigned_abs() < (1 << 53) {
                    Some(Value::Float(x as f64 / y as f64))
                } else {
                    None
                }
            }
            Bin::Rshift => {
                if y < 0 {
                    return Err(self.error(ExcKind::ValueError, "negative shift count".into()));
                }
                Some(Value::Int(if y >= 64 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> y
                }))
            }
            Bin::Lshift => {
                if y < 0 {
                    return Err(self.error(ExcKind::ValueError, "negative shift count".into()));
                }
                if y < 63 && (x.unsigned_abs() >> (63 - y)) == 0 {
                    Some(Value::Int(x << y))
                } else {
                    None
                }
            }
            Bin::Pow => {
                if y < 0 {
                    if x == 0 {
                        return Err(self.error(
                            ExcKind::ZeroDivisionError,
                            "0.0 cannot be raised to a negative power".into(),
                        ));
                    }
                    return self.float_op(op, x as f64, y as f64).map(Some);
                }
                u32::try_from(y)
                    .ok()
                    .and_then(|e| x.checked_pow(e))
                    .map(Value::Int)
            }
        };
        Ok(v)
    }

    /// `a op b` for ints at least one of which is big: computed on
    /// borrowed digits (no copy of the operands).
    fn big_op(&mut self, op: Bin, a: Value, b: Value) -> Res<Value> {
        use crate::num::BigOut;
        let out = {
            let (xa, ya);
            let x: &BigInt = match self.heap.obj(a) {
                Some(Obj::Big(v)) => v,
                _ => {
                    xa = self.as_big(a).unwrap_or_default();
                    &xa
                }
            };
            let y: &BigInt = match self.heap.obj(b) {
                Some(Obj::Big(v)) => v,
                _ => {
                    ya = self.as_big(b).unwrap_or_default();
                    &ya
                }
            };
            crate::num::big_arith(op, x, y, pyreg_spec::interp::ops::MAX_COLLECTION)
        };
        match out {
            BigOut::Int(r) => Ok(self.big(r)),
            BigOut::Float(f) => Ok(Value::Float(f)),
            BigOut::FloatPow(x, y) => self.float_op(op, x, y),
            BigOut::Error(kind, msg) => Err(self.error(kind, msg.into())),
            BigOut::TooBig => Err(self.memory_error()),
            BigOut::Gap(what) => gap(what),
        }
    }

    pub(super) fn float_op(&mut self, op: Bin, x: f64, y: f64) -> Res<Value> {
        let r = match op {
            Bin::Add => x + y,
            Bin::Sub => x - y,
            Bin::Mul => x * y,
            Bin::TrueDiv => {
                if y == 0.0 {
                    return Err(
                        self.error(ExcKind::ZeroDivisionError, "float division by zero".into())
                    );
                }
                x / y
            }
            Bin::FloorDiv | Bin::Mod => {
                if y == 0.0 {
                    let what = if op == Bin::Mod {
                        "float modulo"
                    } else {
                        "float floor division by zero"
                    };
                    return Err(self.error(ExcKind::ZeroDivisionError, what.into()));
                }
                let (q, m) = crate::num::float_divmod(x, y);
                if op == Bin::Mod {
                    m
                } else {
                    q
                }
            }
            Bin::Pow => {
                if x == 0.0 && y < 0.0 {
                    return Err(self.error(
                        ExcKind::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power".into(),
                    ));
                }
                if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                    // `float_pow` hands this case to complex `**`.
                    return self.complex_pow((x, 0.0), (y, 0.0));
                }
                let r = x.powf(y);
                if r.is_infinite() && x.is_finite() && y.is_finite() {
                    return Err(self.error(
                        ExcKind::OverflowError,
                        "(34, 'Numerical result out of range')".into(),
                    ));
                }
                r
            }
            _ => {
                return Err(self.error(
                    ExcKind::TypeError,
                    format!(
                        "unsupported operand type(s) for {}: 'float' and 'float'",
                        op.symbol()
                    ),
                ))
            }
        };
        Ok(Value::Float(r))
    }

    /// `-v`, `+v`, `~v`, owned.
    pub(super) fn unary(&mut self, op: pyreg_spec::opcode::Opcode, v: Value) -> Res<Value> {
        use pyreg_spec::opcode::Opcode::*;
        let (sym, dunder) = match op {
            UnaryNegative => ("-", "__neg__"),
            UnaryPositive => ("+", "__pos__"),
            _ => ("~", "__invert__"),
        };
        match (op, v) {
            (UnaryNegative, Value::Int(i)) => {
                return Ok(match i.checked_neg() {
                    Some(n) => Value::Int(n),
                    None => self.big(-BigInt::from(i)),
                })
            }
            (UnaryNegative, Value::Float(f)) => return Ok(Value::Float(-f)),
            (UnaryPositive, Value::Int(_) | Value::Float(_)) => return Ok(v),
            (UnaryPositive, Value::Bool(b)) => return Ok(Value::Int(i64::from(b))),
            (UnaryInvert, Value::Int(i)) => return Ok(Value::Int(!i)),
            _ => {}
        }
        if let Some((re, im)) = self.as_complex(v) {
            match op {
                UnaryNegative => return Ok(self.new_complex((-re, -im))),
                UnaryPositive => return Ok(self.new_complex((re, im))),
                _ => {}
            }
        }
        if let Some(b) = self.as_big(v) {
            return Ok(match op {
                UnaryNegative => self.big(-b),
                UnaryPositive => self.big(b),
                _ => self.big(!b),
            });
        }
        if let Some(f) = self.special(v, dunder) {
            return self.call_value(f, &[v], &[]);
        }
        let t = self.type_name(v);
        Err(self.error(
            ExcKind::TypeError,
            format!("bad operand type for unary {sym}: '{t}'"),
        ))
    }

    /// `a c b`, owned.
    pub(super) fn compare(&mut self, c: Cmp, a: Value, b: Value) -> Res<Value> {
        match c {
            Cmp::Is => return Ok(Value::Bool(self.is(a, b)?)),
            Cmp::IsNot => return Ok(Value::Bool(!self.is(a, b)?)),
            Cmp::In => return Ok(Value::Bool(self.contains(b, a)?)),
            Cmp::NotIn => return Ok(Value::Bool(!self.contains(b, a)?)),
            _ => {}
        }
        // Sequences: the first items that differ decide, compared with the
        // operator itself (as `tuplerichcompare` and `list_richcompare` do).
        let items = |vm: &Vm, v: Value| -> Option<(bool, usize)> {
            match vm.heap.obj(v) {
                Some(Obj::Tuple(x)) => Some((false, x.len())),
                Some(Obj::List(x)) => Some((true, x.len())),
                _ => None,
            }
        };
        let seqs = match (items(self, a), items(self, b)) {
            (Some((la, _)), Some((lb, _))) => la == lb,
            _ => false,
        };
        if seqs {
            // Items are read afresh at each step (an `__eq__` may change a
            // list) and held while compared, as CPython holds them.
            let item = |vm: &Vm, v: Value, i: usize| match vm.heap.obj(v) {
                Some(Obj::Tuple(x)) => x.get(i).copied(),
                Some(Obj::List(x)) => x.get(i).copied(),
                _ => None,
            };
            let mut i = 0;
            while let (Some(p), Some(q)) = (item(self, a, i), item(self, b, i)) {
                self.heap.incref(p);
                self.heap.incref(q);
                let same = self.eq(p, q);
                let r = match same {
                    Ok(true) => None,
                    Ok(false) => Some(match c {
                        Cmp::Eq => Ok(Value::Bool(false)),
                        Cmp::Ne => Ok(Value::Bool(true)),
                        _ => self.compare(c, p, q),
                    }),
                    Err(e) => Some(Err(e)),
                };
                self.heap.decref(p);
                self.heap.decref(q);
                if let Some(r) = r {
                    return r;
                }
                i += 1;
            }
            let len = |vm: &Vm, v: Value| items(vm, v).map_or(0, |(_, n)| n);
            let o = len(self, a).cmp(&len(self, b));
            return Ok(Value::Bool(match c {
                Cmp::Lt => o == Ordering::Less,
                Cmp::Le => o != Ordering::Greater,
                Cmp::Eq => o == Ordering::Equal,
                Cmp::Ne => o != Ordering::Equal,
                Cmp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            }));
        }
        if let Some(o) = self.builtin_order(a, b)? {
            return Ok(Value::Bool(match (c, o) {
                (_, None) => c == Cmp::Ne,
                (Cmp::Lt, Some(o)) => o == Ordering::Less,
                (Cmp::Le, Some(o)) => o != Ordering::Greater,
                (Cmp::Eq, Some(o)) => o == Ordering::Equal,
                (Cmp::Ne, Some(o)) => o != Ordering::Equal,
                (Cmp::Gt, Some(o)) => o == Ordering::Greater,
                (_, Some(o)) => o != Ordering::Less,
            }));
        }
        self.rich_compare(c, a, b)
    }

    /// The order of two values of built-in kinds the VM compares itself
    /// (numbers, strings, sequences): `Some(None)` for unordered numbers
    /// (NaN); `None` when special methods or identity must decide.
    fn builtin_order(&mut self, a: Value, b: Value) -> Res<Option<Option<Ordering>>> {
        match (a, b) {
            (Value::Int(x), Value::Int(y)) => return Ok(Some(Some(x.cmp(&y)))),
            (Value::Float(x), Value::Float(y)) => return Ok(Some(x.partial_cmp(&y))),
            _ => {}
        }
        let num = |vm: &Vm, v: Value| {
            matches!(v, Value::Int(_) | Value::Bool(_) | Value::Float(_))
                || matches!(vm.heap.obj(v), Some(Obj::Big(_)))
        };
        if num(self, a) && num(self, b) {
            if let (Some(x), Some(y)) = (self.as_big(a), self.as_big(b)) {
                return Ok(Some(Some(x.cmp(&y))));
            }
            let (x, y) = (self.as_f64(a), self.as_f64(b));
            return Ok(Some(match (x, y) {
                (Some(x), Some(y))
                    if !(x.is_finite() && y.is_finite()) || (x.abs() < 9e15 && y.abs() < 9e15) =>
                {
                    x.partial_cmp(&y)
                }
                _ => crate::num::exact_order(self.as_big(a), x, self.as_big(b), y),
            }));
        }
        if let Some(o) = self.bytes_order(a, b) {
            return Ok(Some(Some(o)));
        }
        match (self.heap.obj(a), self.heap.obj(b)) {
            (Some(Obj::Str(x)), Some(Obj::Str(y))) => Ok(Some(Some(x.s.cmp(&y.s)))),
            _ => Ok(None),
        }
    }

    /// Comparison through special methods, then identity for `==`/`!=`.
    fn rich_compare(&mut self, c: Cmp, a: Value, b: Value) -> Res<Value> {
        let (name, swapped) = match c {
            Cmp::Lt => ("__lt__", "__gt__"),
            Cmp::Le => ("__le__", "__ge__"),
            Cmp::Eq => ("__eq__", "__eq__"),
            Cmp::Ne => ("__ne__", "__ne__"),
            Cmp::Gt => ("__gt__", "__lt__"),
            _ => ("__ge__", "__le__"),
        };
        let (ta, tb) = (self.type_of(a), self.type_of(b));
        let reflected_first = ta != tb && self.is_subclass(tb, ta);
        let order: [(Value, Value, &str); 2] = if reflected_first {
            [(b, a, swapped), (a, b, name)]
        } else {
            [(a, b, name), (b, a, swapped)]
        };
        for (x, y, m) in order {
            if let Some(f) = self.special(x, m) {
                let r = self.call_value(f, &[x, y], &[])?;
                if !self.is_not_implemented(r) {
                    return Ok(r);
                }
            } else if m == "__ne__" {
                if let Some(f) = self.special(x, "__eq__") {
                    let r = self.call_value(f, &[x, y], &[])?;
                    if !self.is_not_implemented(r) {
                        let t = self.truthy(r);
                        self.heap.decref(r);
                        return Ok(Value::Bool(!t?));
                    }
                }
            }
        }
        match c {
            Cmp::Eq => Ok(Value::Bool(self.builtin_eq(a, b)?)),
            Cmp::Ne => Ok(Value::Bool(!self.builtin_eq(a, b)?)),
            _ => {
                let sym = match c {
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    _ => ">=",
                };
                let (na, nb) = (self.type_name(a), self.type_name(b));
                if let (
                    Some(Obj::Set(_) | Obj::FrozenSet(_)),
                    Some(Obj::Set(_) | Obj::FrozenSet(_)),
                ) = (self.heap.obj(a), self.heap.obj(b))
                {
                    let r = self.set_compare(c, a, b)?;
                    return Ok(Value::Bool(r));
                }
                Err(self.error(
                    ExcKind::TypeError,
                    format!("'{sym}' not supported between instances of '{na}' and '{nb}'"),
                ))
            }
        }
    }

    /// `==` of built-in containers and identity for everything else.
    fn builtin_eq(&mut self, a: Value, b: Value) -> Res<bool> {
        if let Some(e) = self.complex_eq(a, b) {
            return Ok(e);
        }
        match (self.heap.obj(a), self.heap.obj(b)) {
            (Some(Obj::Dict(x)), Some(Obj::Dict(y))) => {
                if x.len() != y.len() {
                    return Ok(false);
                }
                let pairs: Vec<(i64, Value, Value)> =
                    x.iter().map(|e| (e.hash, e.key, e.value)).collect();
                for (h, k, v) in pairs {
                    let Some(w) = self.dict_lookup(b, h, k)? else {
                        return Ok(false);
                    };
                    if !self.eq(v, w)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            (Some(Obj::Set(x) | Obj::FrozenSet(x)), Some(Obj::Set(y) | Obj::FrozenSet(y))) => {
                if x.len() != y.len() {
                    return Ok(false);
                }
                self.set_compare(Cmp::Le, a, b)
            }
            (Some(Obj::Range(a0, a1, a2)), Some(Obj::Range(b0, b1, b2))) => {
                let la = range_len(*a0, *a1, *a2);
                let lb = range_len(*b0, *b1, *b2);
                Ok(la == lb && (la == 0 || (a0 == b0 && (la == 1 || a2 == b2))))
            }
            (Some(Obj::Slice(..)), Some(Obj::Slice(..))) => gap("slice equality"),
            _ => Ok(self.is(a, b)?),
        }
    }

    /// `a == b` as a truth value.
    pub(super) fn eq(&mut self, a: Value, b: Value) -> Res<bool> {
        if a == b && !matches!(a, Value::Float(_)) {
            if let Value::Obj(_) = a {
                if self.special(a, "__eq__").is_none() {
                    return Ok(true);
                }
            } else {
                return Ok(true);
            }
        }
        match (a, b) {
            (Value::Int(x), Value::Int(y)) => return Ok(x == y),
            (Value::Float(x), Value::Float(y)) => return Ok(x == y),
            _ => {}
        }
        if let (Some(Obj::Str(x)), Some(Obj::Str(y))) = (self.heap.obj(a), self.heap.obj(b)) {
            return Ok(x.s == y.s);
        }
        let r = self.compare(Cmp::Eq, a, b)?;
        let t = self.truthy(r);
        self.heap.decref(r);
        t
    }

    /// `a is b`, by the specification's rule (`Value::is`): small ints,
    /// bools and `None` by value, strings by contents, big ints never,
    /// other objects by identity. Floats are unboxed here, so their
    /// identity is not modelled yet.
    pub(super) fn is(&self, a: Value, b: Value) -> Res<bool> {
        Ok(match (a, b) {
            // A float is never the same object as a value of another type,
            // nor as a float of another value; two equal floats may or may
            // not be one object, which unboxed floats cannot tell.
            (Value::Float(x), Value::Float(y)) if x.to_bits() == y.to_bits() => {
                return gap("`is` on two equal floats (their identity is not modelled)")
            }
            (Value::Float(_), _) | (_, Value::Float(_)) => false,
            (Value::Obj(x), Value::Obj(y)) => match (self.heap.get(x), self.heap.get(y)) {
                (Obj::Str(p), Obj::Str(q)) => p.s == q.s,
                (Obj::Big(_), Obj::Big(_)) => false,
                _ => x == y,
            },
            _ => a == b,
        })
    }

    /// `hash(v)`.
    pub(super) fn hash(&mut self, v: Value) -> Res<i64> {
        use pyreg_spec::pyhash;
        Ok(match v {
            Value::Int(i) => pyhash::hash_i64(i),
            Value::Bool(b) => pyhash::hash_bool(b),
            Value::Float(f) => pyhash::hash_float(f),
            Value::None | Value::Empty => 0x_7ff0_0000_0000_i64 >> 4,
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Str(s) => match s.hash.get() {
                    Some(h) => h,
                    None => {
                        let h = str_hash(&s.s);
                        s.hash.set(Some(h));
                        h
                    }
                },
                Obj::Big(b) => pyhash::hash_int(b),
                Obj::Bytes(b) => pyhash::hash_bytes(b),
                Obj::Complex(re, im) => super::complex::hash((*re, *im)),
                Obj::Tuple(xs) => {
                    let xs = xs.to_vec();
                    let mut hs = Vec::with_capacity(xs.len());
                    for x in xs {
                        hs.push(self.hash(x)?);
                    }
                    pyhash::hash_tuple(&hs)
                }
                Obj::FrozenSet(t) => {
                    let hs: Vec<i64> = t.iter_hashed().map(|(h, _)| h).collect();
                    pyhash::hash_frozenset(&hs)
                }
                Obj::List(_) | Obj::Dict(_) | Obj::Set(_) | Obj::ByteArray(_) => {
                    let t = self.type_name(v);
                    return Err(self.error(ExcKind::TypeError, format!("unhashable type: '{t}'")));
                }
                Obj::Instance(_) => {
                    if let Some(f) = self.special(v, "__hash__") {
                        if f == Value::None {
                            let t = self.type_name(v);
                            return Err(
                                self.error(ExcKind::TypeError, format!("unhashable type: '{t}'"))
                            );
                        }
                        let h = self.call_value(f, &[v], &[])?;
                        return match h {
                            // A result that is a valid hash stays as it is.
                            Value::Int(-1) => Ok(-2),
                            Value::Int(i) => Ok(i),
                            Value::Bool(b) => Ok(i64::from(b)),
                            _ => match self.as_big(h) {
                                Some(b) => {
                                    self.heap.decref(h);
                                    Ok(pyhash::hash_int(&b))
                                }
                                None => {
                                    self.heap.decref(h);
                                    Err(self.error(
                                        ExcKind::TypeError,
                                        "__hash__ method should return an integer".into(),
                                    ))
                                }
                            },
                        };
                    }
                    if self.special(v, "__eq__").is_some() {
                        let t = self.type_name(v);
                        return Err(
                            self.error(ExcKind::TypeError, format!("unhashable type: '{t}'"))
                        );
                    }
                    (r.0 as i64) << 4 | 0x5
                }
                _ => (r.0 as i64) << 4 | 0x3,
            },
        })
    }

    /// `item in container`.
    pub(super) fn contains(&mut self, container: Value, item: Value) -> Res<bool> {
        match self.heap.obj(container) {
            Some(Obj::List(xs)) => {
                let xs = xs.clone();
                for x in xs {
                    if self.eq(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Some(Obj::Tuple(xs)) => {
                let xs = xs.to_vec();
                for x in xs {
                    if self.eq(x, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Some(Obj::Str(s)) => match self.heap.obj(item) {
                Some(Obj::Str(t)) => Ok(s.s.contains(&*t.s)),
                _ => {
                    let t = self.type_name(item);
                    Err(self.error(
                        ExcKind::TypeError,
                        format!("'in <string>' requires string as left operand, not {t}"),
                    ))
                }
            },
            Some(Obj::Dict(_)) => {
                let h = self.hash(item)?;
                Ok(self.dict_lookup_pos(container, h, item)?.is_some())
            }
            Some(Obj::Bytes(_) | Obj::ByteArray(_)) => self.bytes_contains(container, item),
            Some(Obj::Set(_) | Obj::FrozenSet(_)) => {
                let h = self.hash(item)?;
                self.set_contains_hashed(container, h, item)
            }
            Some(Obj::View(view)) => {
                let (d, part) = (view.dict, view.part);
                match part {
                    crate::heap::DictPart::Keys => self.contains(d, item),
                    _ => {
                        let it = self.iter(container)?;
                        let r = self.iter_contains(it, item);
                        self.heap.decref(it);
                        r
                    }
                }
            }
            Some(Obj::Range(a, z, s)) => {
                let (a, z, s) = (*a, *z, *s);
                Ok(match self.as_i64(item) {
                    Some(i) if !matches!(item, Value::Float(_)) => {
                        let inside = if s > 0 {
                            a <= i && i < z
                        } else {
                            z < i && i <= a
                        };
                        inside && (i - a) % s == 0
                    }
                    _ => {
                        let it = self.iter(container)?;
                        let r = self.iter_contains(it, item);
                        self.heap.decref(it);
                        return r;
                    }
                })
            }
            Some(Obj::Instance(_)) => {
                if let Some(f) = self.special(container, "__contains__") {
                    let r = self.call_value(f, &[container, item], &[])?;
                    let t = self.truthy(r);
                    self.heap.decref(r);
                    return t;
                }
                let it = self.iter(container)?;
                let r = self.iter_contains(it, item);
                self.heap.decref(it);
                r
            }
            Some(Obj::Iter(_) | Obj::Generator(_)) => self.iter_contains(container, item),
            _ => {
                let t = self.type_name(container);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("argument of type '{t}' is not iterable"),
                ))
            }
        }
    }

    fn iter_contains(&mut self, it: Value, item: Value) -> Res<bool> {
        while let Some(x) = self.next(it)? {
            let e = self.eq(x, item);
            self.heap.decref(x);
            if e? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// An index into a sequence of `len` items, negative from the end.
    pub(super) fn index(&mut self, k: Value, len: usize, what: &str) -> Res<usize> {
        let i = match self.index_value(k) {
            Some(i) => i,
            None if self.special(k, "__index__").is_some() => self.user_index(k)?,
            None => {
                let t = self.type_name(k);
                let what = if what == "list assignment" {
                    "list"
                } else {
                    what
                };
                let msg = if what == "string" {
                    "string indices must be integers".to_string()
                } else {
                    format!("{what} indices must be integers or slices, not {t}")
                };
                return Err(self.error(ExcKind::TypeError, msg));
            }
        };
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            return Err(self.error(ExcKind::IndexError, format!("{what} index out of range")));
        }
        Ok(j as usize)
    }

    /// `v` as an index (`__index__` of ints and bools), clamped to i64.
    pub(super) fn index_value(&self, k: Value) -> Option<i64> {
        match k {
            Value::Int(i) => Some(i),
            Value::Bool(b) => Some(i64::from(b)),
            _ => self
                .as_big(k)
                .map(|b| if b.is_negative() { i64::MIN } else { i64::MAX }),
        }
    }

    /// `k.__index__()` of a user object, as an i64 (clamped).
    pub(super) fn user_index(&mut self, k: Value) -> Res<i64> {
        let f = self.special(k, "__index__").unwrap_or(Value::None);
        let r = self.call_value(f, &[k], &[])?;
        match self
            .index_value(r)
            .filter(|_| !matches!(r, Value::Float(_)))
        {
            Some(i) => {
                self.heap.decref(r);
                Ok(i)
            }
            None => {
                let t = self.type_name(r);
                self.heap.decref(r);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("__index__ returned non-int (type {t})"),
                ))
            }
        }
    }

    /// The indices a slice selects from a sequence of `len` items.
    pub(super) fn slice_indices(&mut self, s: Value, len: usize) -> Res<(i64, i64, i64)> {
        let Some(Obj::Slice(a, b, c)) = self.heap.obj(s) else {
            return self.broken("a slice");
        };
        let (a, b, c) = (*a, *b, *c);
        let get = |vm: &mut Vm, v: Value| -> Res<Option<i64>> {
            if v == Value::None {
                return Ok(None);
            }
            match vm.index_value(v) {
                Some(i) => Ok(Some(i)),
                None if vm.special(v, "__index__").is_some() => vm.user_index(v).map(Some),
                None => Err(vm.error(
                    ExcKind::TypeError,
                    "slice indices must be integers or None or have an __index__ method".into(),
                )),
            }
        };
        let step = get(self, c)?.unwrap_or(1);
        if step == 0 {
            return Err(self.error(ExcKind::ValueError, "slice step cannot be zero".into()));
        }
        let len = len as i64;
        let clamp = |x: Option<i64>, default: i64, lo: i64, hi: i64| match x {
            None => default,
            Some(i) if i < 0 => (i.saturating_add(len)).max(lo),
            Some(i) => i.min(hi),
        };
        let (start, stop) = if step > 0 {
            (
                clamp(get(self, a)?, 0, 0, len),
                clamp(get(self, b)?, len, 0, len),
            )
        } else {
            (
                clamp(get(self, a)?, len - 1, -1, len - 1),
                clamp(get(self, b)?, -1, -1, len - 1),
            )
        };
        Ok((start, stop, step))
    }

    /// `c[k]`, owned.
    pub(super) fn subscript(&mut self, c: Value, k: Value) -> Res<Value> {
        let is_slice = matches!(self.heap.obj(k), Some(Obj::Slice(..)));
        match self.heap.obj(c) {
            Some(Obj::List(_) | Obj::Tuple(_)) => {
                let items: &[Value] = match self.heap.obj(c) {
                    Some(Obj::List(xs)) => xs,
                    Some(Obj::Tuple(xs)) => xs,
                    _ => &[],
                };
                let len = items.len();
                let is_list = matches!(self.heap.obj(c), Some(Obj::List(_)));
                if is_slice {
                    let (a, z, s) = self.slice_indices(k, len)?;
                    let items: &[Value] = match self.heap.obj(c) {
                        Some(Obj::List(xs)) => xs,
                        Some(Obj::Tuple(xs)) => xs,
                        _ => &[],
                    };
                    let out: Vec<Value> = slice_positions(a, z, s).map(|i| items[i]).collect();
                    for v in &out {
                        self.heap.incref(*v);
                    }
                    return Ok(self.heap.alloc(if is_list {
                        Obj::List(out)
                    } else {
                        Obj::Tuple(out.into())
                    }));
                }
                let i = self.index(k, len, if is_list { "list" } else { "tuple" })?;
                let v = match self.heap.obj(c) {
                    Some(Obj::List(xs)) => xs[i],
                    Some(Obj::Tuple(xs)) => xs[i],
                    _ => Value::None,
                };
                Ok(self.heap.own(v))
            }
            Some(Obj::Str(s)) => {
                let ascii = s.ascii;
                let len = if ascii {
                    s.s.len()
                } else {
                    s.s.chars().count()
                };
                if is_slice {
                    let (a, z, st) = self.slice_indices(k, len)?;
                    let Some(Obj::Str(s)) = self.heap.obj(c) else {
                        return self.broken("a str");
                    };
                    let out: String = if ascii && st == 1 {
                        if a < z {
                            s.s[a as usize..z as usize].to_string()
                        } else {
                            String::new()
                        }
                    } else {
                        let chars: Vec<char> = s.s.chars().collect();
                        slice_positions(a, z, st).map(|i| chars[i]).collect()
                    };
                    return Ok(self.str_value(&out));
                }
                let i = self.index(k, len, "string")?;
                let Some(Obj::Str(s)) = self.heap.obj(c) else {
                    return self.broken("a str");
                };
                let ch = if ascii {
                    char::from(s.s.as_bytes()[i])
                } else {
                    match s.s.chars().nth(i) {
                        Some(c) => c,
                        None => return self.broken("a str index"),
                    }
                };
                Ok(self.heap.char(ch))
            }
            Some(Obj::Bytes(_) | Obj::ByteArray(_)) => self.bytes_subscript(c, k),
            Some(Obj::Dict(_)) => {
                let h = self.hash(k)?;
                match self.dict_lookup(c, h, k)? {
                    Some(v) => Ok(self.heap.own(v)),
                    None => {
                        let e = self.new_exception(self.types.exc(ExcKind::KeyError), &[k]);
                        self.set_context(e);
                        Err(Fault::Raise(e))
                    }
                }
            }
            Some(Obj::Range(a, z, s)) => {
                let (a, z, s) = (*a, *z, *s);
                let len = range_len(a, z, s) as usize;
                if is_slice {
                    let (i, j, st) = self.slice_indices(k, len)?;
                    let start = a + i * s;
                    let stop = a + j * s;
                    return Ok(self.heap.alloc(Obj::Range(start, stop, s * st)));
                }
                let i = self.index(k, len, "range object")?;
                Ok(Value::Int(a + i as i64 * s))
            }
            Some(Obj::Instance(_)) => match self.special(c, "__getitem__") {
                Some(f) => self.call_value(f, &[c, k], &[]),
                None => {
                    let t = self.type_name(c);
                    Err(self.error(
                        ExcKind::TypeError,
                        format!("'{t}' object is not subscriptable"),
                    ))
                }
            },
            Some(Obj::Class(_)) => {
                if let Some(f) = c
                    .obj()
                    .and_then(|r| self.lookup_static(r, "__class_getitem__"))
                {
                    let f = match self.heap.obj(f.0) {
                        Some(Obj::ClassMethod(g)) => *g,
                        _ => f.0,
                    };
                    return self.call_value(f, &[c, k], &[]);
                }
                Err(self.error(
                    ExcKind::TypeError,
                    "'type' object is not subscriptable".into(),
                ))
            }
            _ => {
                let t = self.type_name(c);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("'{t}' object is not subscriptable"),
                ))
            }
        }
    }

    /// `c[k] = v`.
    pub(super) fn store_subscript(&mut self, c: Value, k: Value, v: Value) -> Res<()> {
        match self.heap.obj(c) {
            Some(Obj::List(xs)) => {
                let len = xs.len();
                if matches!(self.heap.obj(k), Some(Obj::Slice(..))) {
                    return self.store_slice(c, k, v, len);
                }
                let i = self.index(k, len, "list assignment")?;
                self.heap.incref(v);
                let old = match c.obj().map(|r| self.heap.get_mut(r)) {
                    Some(Obj::List(xs)) => std::mem::replace(&mut xs[i], v),
                    _ => Value::Empty,
                };
                self.heap.decref(old);
                Ok(())
            }
            Some(Obj::Dict(_)) => self.dict_set(c, k, v),
            Some(Obj::ByteArray(_)) => self.bytearray_store(c, k, v),
            Some(Obj::Instance(_)) => match self.special(c, "__setitem__") {
                Some(f) => {
                    let r = self.call_value(f, &[c, k, v], &[])?;
                    self.heap.decref(r);
                    Ok(())
                }
                None => {
                    let t = self.type_name(c);
                    Err(self.error(
                        ExcKind::TypeError,
                        format!("'{t}' object does not support item assignment"),
                    ))
                }
            },
            _ => {
                let t = self.type_name(c);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("'{t}' object does not support item assignment"),
                ))
            }
        }
    }

    fn store_slice(&mut self, c: Value, k: Value, v: Value, len: usize) -> Res<()> {
        let (a, z, s) = self.slice_indices(k, len)?;
        let items = self.collect(v)?;
        let Some(Obj::List(_)) = self.heap.obj(c) else {
            return self.broken("a list");
        };
        if s == 1 {
            let z = z.max(a);
            let removed: Vec<Value> = match c.obj().map(|r| self.heap.get_mut(r)) {
                Some(Obj::List(xs)) => xs.splice(a as usize..z as usize, items).collect(),
                _ => Vec::new(),
            };
            self.heap.decref_all(removed);
            return Ok(());
        }
        let pos: Vec<usize> = slice_positions(a, z, s).collect();
        if pos.len() != items.len() {
            let n = items.len();
            self.heap.decref_all(items);
            return Err(self.error(
                ExcKind::ValueError,
                format!(
                    "attempt to assign sequence of size {n} to extended slice of size {}",
                    pos.len()
                ),
            ));
        }
        let mut old = Vec::new();
        if let Some(Obj::List(xs)) = c.obj().map(|r| self.heap.get_mut(r)) {
            for (p, x) in pos.into_iter().zip(items) {
                old.push(std::mem::replace(&mut xs[p], x));
            }
        }
        self.heap.decref_all(old);
        Ok(())
    }

    /// `del c[k]`.
    pub(super) fn delete_subscript(&mut self, c: Value, k: Value) -> Res<()> {
        match self.heap.obj(c) {
            Some(Obj::List(xs)) => {
                let len = xs.len();
                let removed: Vec<Value> = if matches!(self.heap.obj(k), Some(Obj::Slice(..))) {
                    let (a, z, s) = self.slice_indices(k, len)?;
                    let mut pos: Vec<usize> = slice_positions(a, z, s).collect();
                    pos.sort_unstable();
                    match c.obj().map(|r| self.heap.get_mut(r)) {
                        Some(Obj::List(xs)) => {
                            let mut out = Vec::new();
                            for p in pos.into_iter().rev() {
                                out.push(xs.remove(p));
                            }
                            out
                        }
                        _ => Vec::new(),
                    }
                } else {
                    let i = self.index(k, len, "list assignment")?;
                    match c.obj().map(|r| self.heap.get_mut(r)) {
                        Some(Obj::List(xs)) => vec![xs.remove(i)],
                        _ => Vec::new(),
                    }
                };
                self.heap.decref_all(removed);
                Ok(())
            }
            Some(Obj::Dict(_)) => {
                if self.dict_del(c, k)? {
                    Ok(())
                } else {
                    let e = self.new_exception(self.types.exc(ExcKind::KeyError), &[k]);
                    self.set_context(e);
                    Err(Fault::Raise(e))
                }
            }
            Some(Obj::ByteArray(_)) => self.bytearray_delete(c, k),
            Some(Obj::Instance(_)) => match self.special(c, "__delitem__") {
                Some(f) => {
                    let r = self.call_value(f, &[c, k], &[])?;
                    self.heap.decref(r);
                    Ok(())
                }
                None => {
                    let t = self.type_name(c);
                    Err(self.error(
                        ExcKind::TypeError,
                        format!("'{t}' object does not support item deletion"),
                    ))
                }
            },
            _ => {
                let t = self.type_name(c);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("'{t}' object doesn't support item deletion"),
                ))
            }
        }
    }

    // ---- dicts and sets ----

    /// The position of key `k` (hash `h`) in the dict or set `d`.
    pub(super) fn dict_lookup_pos(&mut self, d: Value, h: i64, k: Value) -> Res<Option<usize>> {
        let Some(Obj::Dict(t)) = self.heap.obj(d) else {
            return self.broken("a dict");
        };
        // First by the equality that needs no Python code.
        let mut hard = false;
        let found = t.find(h, |x| match self.pure_eq(x, k) {
            Some(e) => e,
            None => {
                hard = true;
                false
            }
        });
        if found.is_some() || !hard {
            return Ok(found);
        }
        // Keys whose equality runs Python code: the candidates of this
        // hash, one by one.
        let cands: Vec<(usize, Value)> = t
            .candidates(h)
            .into_iter()
            .map(|p| (p, t.at(p).key))
            .collect();
        for (p, x) in cands {
            if self.eq(x, k)? {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// `a == b` when no Python code decides it (numbers, strings, tuples
    /// of such, objects compared by identity); `None` when a user
    /// `__eq__` may be involved.
    pub(super) fn pure_eq(&self, a: Value, b: Value) -> Option<bool> {
        // Identity first, as CPython's dict lookup does.
        if a == b {
            return Some(true);
        }
        match (self.heap.obj(a), self.heap.obj(b)) {
            (None, None) => Some(match (a, b) {
                (Value::Float(x), Value::Float(y)) => x == y,
                (Value::Float(x), Value::Int(i)) | (Value::Int(i), Value::Float(x)) => {
                    x == i as f64 && x.fract() == 0.0 && (x as i128) == i as i128
                }
                (Value::Float(x), Value::Bool(v)) | (Value::Bool(v), Value::Float(x)) => {
                    x == f64::from(u8::from(v))
                }
                (Value::Int(i), Value::Bool(v)) | (Value::Bool(v), Value::Int(i)) => {
                    i == i64::from(v)
                }
                _ => a == b,
            }),
            (Some(Obj::Str(p)), Some(Obj::Str(q))) => Some(p.s == q.s),
            (Some(Obj::Big(p)), Some(Obj::Big(q))) => Some(p == q),
            (Some(Obj::Bytes(p)), Some(Obj::Bytes(q))) => Some(p == q),
            (Some(Obj::Complex(..)), _) | (_, Some(Obj::Complex(..))) => self.complex_eq(a, b),
            (Some(Obj::Bytes(_)), _) | (_, Some(Obj::Bytes(_))) => Some(false),
            (Some(Obj::Tuple(p)), Some(Obj::Tuple(q))) => {
                if p.len() != q.len() {
                    return Some(false);
                }
                for (x, y) in p.iter().zip(q.iter()) {
                    match self.pure_eq(*x, *y) {
                        Some(true) => {}
                        other => return other,
                    }
                }
                Some(true)
            }
            (Some(Obj::FrozenSet(p)), Some(Obj::FrozenSet(q))) if p.len() != q.len() => Some(false),
            (Some(Obj::Instance(_)), _) | (_, Some(Obj::Instance(_))) => {
                if self.special(a, "__eq__").is_some() || self.special(b, "__eq__").is_some() {
                    None
                } else {
                    Some(a == b)
                }
            }
            (Some(Obj::Str(_) | Obj::Tuple(_) | Obj::Big(_)), _)
            | (_, Some(Obj::Str(_) | Obj::Tuple(_) | Obj::Big(_))) => Some(false),
            (Some(Obj::FrozenSet(_)), _) | (_, Some(Obj::FrozenSet(_))) => None,
            _ => Some(a == b),
        }
    }

    /// `d[k]` for hash `h`, borrowed.
    pub(super) fn dict_lookup(&mut self, d: Value, h: i64, k: Value) -> Res<Option<Value>> {
        let pos = self.dict_lookup_pos(d, h, k)?;
        Ok(pos.and_then(|p| match self.heap.obj(d) {
            Some(Obj::Dict(t)) => Some(t.at(p).value),
            _ => None,
        }))
    }

    /// `d.get(k)`, borrowed.
    pub(super) fn dict_get(&mut self, d: Value, k: Value) -> Res<Option<Value>> {
        let h = self.hash(k)?;
        self.dict_lookup(d, h, k)
    }

    /// `d[name]` for a `str` name, borrowed.
    pub(super) fn dict_get_str(&self, d: Value, name: &str) -> Option<Value> {
        match self.heap.obj(d) {
            Some(Obj::Dict(t)) => super::types::dict_get_str(&self.heap, t, name),
            _ => None,
        }
    }

    /// `d[k] = v` (a set ignores `v`).
    pub(super) fn dict_set(&mut self, d: Value, k: Value, v: Value) -> Res<()> {
        let h = self.hash(k)?;
        self.dict_set_hashed(d, h, k, v)
    }

    pub(super) fn dict_set_hashed(&mut self, d: Value, h: i64, k: Value, v: Value) -> Res<()> {
        let pos = self.dict_lookup_pos(d, h, k)?;
        let Some(r) = d.obj() else {
            return self.broken("a dict");
        };
        self.heap.incref(v);
        match pos {
            Some(p) => {
                let old = match self.heap.get_mut(r) {
                    Obj::Dict(t) => std::mem::replace(t.value_mut(p), v),
                    _ => Value::Empty,
                };
                self.heap.decref(old);
            }
            None => {
                self.heap.incref(k);
                if let Obj::Dict(t) = self.heap.get_mut(r) {
                    if too_big(t.len() + 1) {
                        self.heap.decref(k);
                        self.heap.decref(v);
                        return Err(self.memory_error());
                    }
                    t.push(h, k, v)
                }
            }
        }
        Ok(())
    }

    /// Removes `k` from dict or set `d`: whether it was there.
    pub(super) fn dict_del(&mut self, d: Value, k: Value) -> Res<bool> {
        Ok(self.dict_pop(d, k)?.map(|v| self.heap.decref(v)).is_some())
    }

    /// Removes `k`, returning its value (owned; `Empty` for a set).
    pub(super) fn dict_pop(&mut self, d: Value, k: Value) -> Res<Option<Value>> {
        let h = self.hash(k)?;
        let Some(p) = self.dict_lookup_pos(d, h, k)? else {
            return Ok(None);
        };
        let e = match d.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::Dict(t)) => t.remove_at(p),
            _ => return Ok(None),
        };
        self.heap.decref(e.key);
        Ok(Some(e.value))
    }

    /// A new empty dict, owned.
    pub(super) fn new_dict(&mut self) -> Value {
        self.heap.alloc(Obj::Dict(Dict::new()))
    }

    /// A shallow copy of dict `d`, owned.
    pub(super) fn copy_dict(&mut self, d: Value) -> Res<Value> {
        let Some(Obj::Dict(t)) = self.heap.obj(d) else {
            return self.broken("a dict");
        };
        let t = t.clone();
        for e in t.iter() {
            self.heap.incref(e.key);
            self.heap.incref(e.value);
        }
        Ok(self.heap.alloc(Obj::Dict(t)))
    }

    /// `d.update(other)`: a dict, or an iterable of pairs.
    pub(super) fn dict_update(&mut self, d: Value, other: Value) -> Res<()> {
        if let Some(Obj::Dict(t)) = self.heap.obj(other) {
            let pairs: Vec<(i64, Value, Value)> =
                t.iter().map(|e| (e.hash, e.key, e.value)).collect();
            for (h, k, v) in pairs {
                self.dict_set_hashed(d, h, k, v)?;
            }
            return Ok(());
        }
        if self
            .heap
            .obj(other)
            .is_some_and(|o| matches!(o, Obj::Instance(_)))
        {
            if let Some(keys) = self.special(other, "keys") {
                let ks = self.call_value(keys, &[other], &[])?;
                let ks_items = self.collect(ks);
                self.heap.decref(ks);
                for k in ks_items? {
                    let v = self.subscript(other, k)?;
                    self.dict_set(d, k, v)?;
                    self.heap.decref(k);
                    self.heap.decref(v);
                }
                return Ok(());
            }
        }
        let items = self.collect(other)?;
        for (n, item) in items.iter().enumerate() {
            let pair = match self.collect(*item) {
                Ok(p) => p,
                Err(Fault::Raise(e)) => {
                    self.heap.decref(e);
                    let t = self.type_name(*item);
                    self.heap.decref_all(items);
                    let _ = t;
                    return Err(self.error(
                        ExcKind::TypeError,
                        format!(
                            "cannot convert dictionary update sequence element #{n} to a sequence"
                        ),
                    ));
                }
                Err(f) => {
                    self.heap.decref_all(items);
                    return Err(f);
                }
            };
            if pair.len() != 2 {
                let l = pair.len();
                self.heap.decref_all(pair);
                self.heap.decref_all(items);
                return Err(self.error(
                    ExcKind::ValueError,
                    format!(
                        "dictionary update sequence element #{n} has length {l}; 2 is required"
                    ),
                ));
            }
            let r = self.dict_set(d, pair[0], pair[1]);
            self.heap.decref_all(pair);
            if let Err(e) = r {
                self.heap.decref_all(items);
                return Err(e);
            }
        }
        self.heap.decref_all(items);
        Ok(())
    }

    /// The keys of a dict, borrowed, with their hashes.
    pub(super) fn set_keys(&self, s: Value) -> Vec<(i64, Value)> {
        match self.heap.obj(s) {
            Some(Obj::Dict(t)) => t.iter().map(|e| (e.hash, e.key)).collect(),
            _ => Vec::new(),
        }
    }

    /// `len(v)`.
    pub(super) fn len(&mut self, v: Value) -> Res<usize> {
        Ok(match self.heap.obj(v) {
            Some(Obj::Str(s)) => {
                if s.ascii {
                    s.s.len()
                } else {
                    s.s.chars().count()
                }
            }
            Some(Obj::List(xs)) => xs.len(),
            Some(Obj::Tuple(xs)) => xs.len(),
            Some(Obj::Bytes(b)) => b.len(),
            Some(Obj::ByteArray(b)) => b.len(),
            Some(Obj::Dict(d)) => d.len(),
            Some(Obj::Set(t) | Obj::FrozenSet(t)) => t.len(),
            Some(Obj::Range(a, z, s)) => range_len(*a, *z, *s) as usize,
            Some(Obj::View(view)) => {
                let d = view.dict;
                match self.heap.obj(d) {
                    Some(Obj::Dict(t)) => t.len(),
                    _ => 0,
                }
            }
            Some(Obj::Instance(_)) if self.special(v, "__len__").is_some() => {
                let f = self.special(v, "__len__").unwrap_or(Value::None);
                self.call_len(f, v)? as usize
            }
            _ => {
                let t = self.type_name(v);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("object of type '{t}' has no len()"),
                ));
            }
        })
    }
}

/// The length of `range(a, z, s)`.
pub(super) fn range_len(a: i64, z: i64, s: i64) -> i64 {
    let (a, z, s) = (a as i128, z as i128, s as i128);
    let n = if s > 0 {
        (z - a + s - 1) / s
    } else {
        (a - z - s - 1) / -s
    };
    n.max(0) as i64
}

/// The positions a normalised slice visits.
pub(super) fn slice_positions(a: i64, z: i64, s: i64) -> impl Iterator<Item = usize> {
    let mut i = a;
    std::iter::from_fn(move || {
        if (s > 0 && i < z) || (s < 0 && i > z) {
            let r = i as usize;
            i += s;
            Some(r)
        } else {
            None
        }
    })
}
