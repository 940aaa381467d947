//! Arithmetic and the other binary and unary operators: the built-in rules
//! for numbers and sequences, then CPython's `__op__`/`__rop__` dispatch.

use super::ops::{num_of, BinOp, Num, MAX_COLLECTION};
use super::{Machine, PyResult};
use crate::code::PyStr;
use crate::object::{Int, Obj, Value};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

fn int_value(b: BigInt) -> Value {
    Value::Int(Int::from_big(b))
}

impl Machine {
    /// `a <op> b` (`inplace`: `a <op>= b`).
    pub fn binary_op(&mut self, op: BinOp, a: &Value, b: &Value, inplace: bool) -> PyResult<Value> {
        if inplace {
            if let Some(r) = self.inplace_builtin(op, a, b)? {
                return Ok(r);
            }
            let ta = self.type_of(a);
            let iname = PyStr::from(format!("__i{}__", op.dunder()).as_str());
            if let Some(f) = self.lookup_in_mro(ta, &iname) {
                let r = self.call(f, vec![a.clone(), b.clone()], vec![])?;
                if !matches!(r, Value::NotImplemented) {
                    return Ok(r);
                }
            }
        }
        if let Some(r) = self.builtin_binary(op, a, b)? {
            return Ok(r);
        }
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        let fwd = self.lookup_in_mro(ta, &PyStr::from(format!("__{}__", op.dunder()).as_str()));
        let rev = if ta == tb {
            None
        } else {
            self.lookup_in_mro(tb, &PyStr::from(format!("__r{}__", op.dunder()).as_str()))
        };
        let rev_first = rev.is_some() && self.is_subtype(tb, ta);
        if rev_first {
            let r = self.call(
                rev.clone().unwrap_or(Value::None),
                vec![b.clone(), a.clone()],
                vec![],
            )?;
            if !matches!(r, Value::NotImplemented) {
                return Ok(r);
            }
        }
        if let Some(f) = fwd {
            let r = self.call(f, vec![a.clone(), b.clone()], vec![])?;
            if !matches!(r, Value::NotImplemented) {
                return Ok(r);
            }
        }
        if !rev_first {
            if let Some(f) = rev {
                let r = self.call(f, vec![b.clone(), a.clone()], vec![])?;
                if !matches!(r, Value::NotImplemented) {
                    return Ok(r);
                }
            }
        }
        // Subclasses of built-in types fall back to their built-in values.
        let (ba, bb) = (self.base_of(a), self.base_of(b));
        if ba.is_some() || bb.is_some() {
            let a2 = ba.unwrap_or_else(|| a.clone());
            let b2 = bb.unwrap_or_else(|| b.clone());
            return self.binary_op(op, &a2, &b2, inplace);
        }
        let (na, nb) = (self.type_name(ta), self.type_name(tb));
        let sym = if inplace {
            format!("{}=", op.symbol())
        } else {
            op.symbol().to_string()
        };
        // `unicode_concat`, `list_concat`, `tupleconcat` (in place too).
        if op == BinOp::Add && (matches!(a, Value::Str(_) | Value::Tuple(_)) || self.is_list(a)) {
            let kind = match a {
                Value::Str(_) => "str",
                Value::Tuple(_) => "tuple",
                _ => "list",
            };
            return Err(self.type_error(format!(
                "can only concatenate {kind} (not \"{nb}\") to {kind}"
            )));
        }
        if op == BinOp::Add && self.buffer_of(a).is_some() {
            // bytes_concat: the operand is no buffer.
            return Err(self.type_error(format!("can't concat {nb} to {na}")));
        }
        Err(self.type_error(format!(
            "unsupported operand type(s) for {sym}: '{na}' and '{nb}'"
        )))
    }

    fn is_list(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(id) if matches!(self.heap.get(*id), Obj::List(_)))
    }

    /// The contents of a bytes-like object (`bytes` or `bytearray`).
    pub fn buffer_of(&self, v: &Value) -> Option<Vec<u8>> {
        match v {
            Value::Bytes(b) => Some(b.to_vec()),
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::ByteArray(b) => Some(b.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// In-place operators that mutate built-in containers (`list +=`,
    /// `list *=`, `bytearray +=`).
    fn inplace_builtin(&mut self, op: BinOp, a: &Value, b: &Value) -> PyResult<Option<Value>> {
        let Value::Obj(id) = a else { return Ok(None) };
        if op == BinOp::Add && matches!(self.heap.get(*id), Obj::ByteArray(_)) {
            let Some(more) = self.buffer_of(b) else {
                let tn = self.type_name_of(b);
                return Err(self.type_error(format!("can't concat {tn} to bytearray")));
            };
            let have = match self.heap.get(*id) {
                Obj::ByteArray(x) => x.len(),
                _ => 0,
            };
            self.check_concat(have, more.len())?;
            if let Obj::ByteArray(x) = self.heap.get_mut(*id) {
                x.extend(more);
            }
            return Ok(Some(a.clone()));
        }
        if !matches!(self.heap.get(*id), Obj::List(_)) {
            return Ok(None);
        }
        match op {
            BinOp::Add => {
                let items = self.collect(b)?;
                let have = match self.heap.get(*id) {
                    Obj::List(l) => l.len(),
                    _ => 0,
                };
                self.check_concat(have, items.len())?;
                if let Obj::List(l) = self.heap.get_mut(*id) {
                    l.extend(items);
                }
                Ok(Some(a.clone()))
            }
            BinOp::Mul => {
                let Some(n) = self.repeat_count(b)? else {
                    return Ok(None);
                };
                let items = match self.heap.get(*id) {
                    Obj::List(l) => l.clone(),
                    _ => Vec::new(),
                };
                let rep = self.repeat(&items, n)?;
                if let Obj::List(l) = self.heap.get_mut(*id) {
                    *l = rep;
                }
                Ok(Some(a.clone()))
            }
            _ => Ok(None),
        }
    }

    fn repeat_count(&mut self, v: &Value) -> PyResult<Option<i64>> {
        Ok(match v {
            Value::Int(Int::Small(n)) => Some(*n),
            Value::Int(Int::Big(b)) => Some(if b.is_negative() { 0 } else { i64::MAX }),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        })
    }

    /// `MemoryError` when a concatenation would hold more than
    /// [`MAX_COLLECTION`] items: a resource limit of the specification
    /// (CPython's limit is the machine's memory), so that repeated doubling
    /// ends in a Python error instead of exhausting the host.
    fn check_concat(&mut self, a: usize, b: usize) -> PyResult<()> {
        if a.saturating_add(b) > MAX_COLLECTION {
            return Err(self.new_error_args("MemoryError", vec![]));
        }
        Ok(())
    }

    fn repeat<T: Clone>(&mut self, items: &[T], n: i64) -> PyResult<Vec<T>> {
        let n = n.max(0) as u128;
        if items.len() as u128 * n > MAX_COLLECTION as u128 {
            return Err(self.new_error_args("MemoryError", vec![]));
        }
        let mut out = Vec::with_capacity(items.len() * n as usize);
        for _ in 0..n {
            out.extend_from_slice(items);
        }
        Ok(out)
    }

    /// The built-in meaning of a binary operator, or `None` when the
    /// operands need dunder dispatch.
    fn builtin_binary(&mut self, op: BinOp, a: &Value, b: &Value) -> PyResult<Option<Value>> {
        if let (Some(x), Some(y)) = (num_of(a), num_of(b)) {
            // `bool & bool` (and `|`, `^`) is a bool.
            if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
                match op {
                    BinOp::And => return Ok(Some(Value::Bool(x & y))),
                    BinOp::Or => return Ok(Some(Value::Bool(x | y))),
                    BinOp::Xor => return Ok(Some(Value::Bool(x ^ y))),
                    _ => {}
                }
            }
            // NotImplemented (complex with a bitwise operator) falls through
            // to dunder dispatch, whose error names the operand types.
            return self
                .numeric(op, x, y)
                .map(|v| (!matches!(v, Value::NotImplemented)).then_some(v));
        }
        if op == BinOp::Add {
            if let (Some(x), Some(y)) = (self.buffer_of(a), self.buffer_of(b)) {
                // bytes_concat: the result has the left operand's type.
                self.check_concat(x.len(), y.len())?;
                let mut v = x;
                v.extend(y);
                return Ok(Some(match a {
                    Value::Bytes(_) => Value::Bytes(v.into()),
                    _ => Value::Obj(self.heap.alloc(Obj::ByteArray(v))),
                }));
            }
        }
        match (op, a, b) {
            (BinOp::Add, Value::Str(x), Value::Str(y)) => {
                // Bytes bound the code points from above.
                let (lx, ly) = (str_size(x), str_size(y));
                self.check_concat(lx, ly)?;
                let s = match (x, y) {
                    (PyStr::Utf8(x), PyStr::Utf8(y)) => PyStr::Utf8(format!("{x}{y}").into()),
                    _ => {
                        let mut p = x.code_points();
                        p.extend(y.code_points());
                        PyStr::from_code_points(&p)
                    }
                };
                Ok(Some(Value::Str(s)))
            }
            (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
                self.check_concat(x.len(), y.len())?;
                let mut v = x.to_vec();
                v.extend(y.iter().cloned());
                Ok(Some(Value::tuple(v)))
            }
            (
                BinOp::Mul,
                Value::Str(_) | Value::Tuple(_) | Value::Bytes(_),
                Value::Int(_) | Value::Bool(_),
            ) => self.sequence_repeat(a, b),
            (
                BinOp::Mul,
                Value::Int(_) | Value::Bool(_),
                Value::Str(_) | Value::Tuple(_) | Value::Bytes(_),
            ) => self.sequence_repeat(b, a),
            (BinOp::Mod, Value::Str(_) | Value::Bytes(_), _) => {
                crate::builtins::percent_format(self, a, b).map(Some)
            }
            (_, Value::Obj(ia), _) => {
                let ia = *ia;
                match (op, self.heap.get(ia).clone(), b) {
                    (BinOp::Add, Obj::List(x), Value::Obj(ib)) => match self.heap.get(*ib) {
                        Obj::List(y) => {
                            let ylen = y.len();
                            self.check_concat(x.len(), ylen)?;
                            let y = match self.heap.get(*ib) {
                                Obj::List(y) => y.clone(),
                                _ => Vec::new(),
                            };
                            let mut v = x;
                            v.extend(y.iter().cloned());
                            Ok(Some(Value::Obj(self.heap.alloc(Obj::List(v)))))
                        }
                        _ => Ok(None),
                    },
                    (BinOp::Mul, Obj::ByteArray(x), Value::Int(_) | Value::Bool(_)) => {
                        let n = self.repeat_count(b)?.unwrap_or(0);
                        let v = self.repeat(&x, n)?;
                        Ok(Some(Value::Obj(self.heap.alloc(Obj::ByteArray(v)))))
                    }
                    (BinOp::Mul, Obj::List(x), Value::Int(_) | Value::Bool(_)) => {
                        let n = self.repeat_count(b)?.unwrap_or(0);
                        let v = self.repeat(&x, n)?;
                        Ok(Some(Value::Obj(self.heap.alloc(Obj::List(v)))))
                    }
                    (
                        BinOp::Sub | BinOp::And | BinOp::Or | BinOp::Xor,
                        Obj::Set { .. },
                        Value::Obj(ib),
                    ) if matches!(self.heap.get(*ib), Obj::Set { .. }) => {
                        crate::builtins::set_operator(self, op, a, b).map(Some)
                    }
                    (BinOp::Or, Obj::Dict(_), Value::Obj(ib))
                        if matches!(self.heap.get(*ib), Obj::Dict(_)) =>
                    {
                        Ok(None)
                    }
                    _ => Ok(None),
                }
            }
            (BinOp::Mul, Value::Int(_) | Value::Bool(_), Value::Obj(ib)) => {
                if let Obj::List(x) = self.heap.get(*ib).clone() {
                    let n = self.repeat_count(a)?.unwrap_or(0);
                    let v = self.repeat(&x, n)?;
                    return Ok(Some(Value::Obj(self.heap.alloc(Obj::List(v)))));
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    fn sequence_repeat(&mut self, seq: &Value, n: &Value) -> PyResult<Option<Value>> {
        let n = self.repeat_count(n)?.unwrap_or(0);
        Ok(Some(match seq {
            Value::Str(PyStr::Utf8(s)) => {
                let chars: Vec<char> = s.chars().collect();
                let r: String = self.repeat(&chars, n)?.into_iter().collect();
                Value::str(&r)
            }
            Value::Str(s) => {
                let p = self.repeat(&s.code_points(), n)?;
                Value::Str(PyStr::from_code_points(&p))
            }
            Value::Tuple(t) => Value::tuple(self.repeat(t, n)?),
            Value::Bytes(b) => Value::Bytes(self.repeat(b, n)?.into()),
            _ => return Ok(None),
        }))
    }

    /// Arithmetic on numbers, promoting int → float → complex as CPython does.
    pub fn numeric(&mut self, op: BinOp, x: Num, y: Num) -> PyResult<Value> {
        match (x, y) {
            (Num::Int(a), Num::Int(b)) => self.int_op(op, a, b),
            (x @ Num::Complex(..), y) | (x, y @ Num::Complex(..)) => {
                crate::builtins::complex_arith(self, op, &x, &y)
            }
            (a, b) => {
                let fa = self.num_to_float(&a)?;
                let fb = self.num_to_float(&b)?;
                self.float_op(op, fa, fb)
            }
        }
    }

    fn num_to_float(&mut self, n: &Num) -> PyResult<f64> {
        match n {
            Num::Float(f) => Ok(*f),
            Num::Int(i) => match i.to_f64() {
                Some(f) if f.is_finite() => Ok(f),
                _ => {
                    Err(self.new_error("OverflowError", "int too large to convert to float".into()))
                }
            },
            Num::Complex(a, _) => Ok(*a),
        }
    }

    fn int_op(&mut self, op: BinOp, a: BigInt, b: BigInt) -> PyResult<Value> {
        let zero_div = |m: &mut Machine, what: &str| m.new_error("ZeroDivisionError", what.into());
        Ok(match op {
            BinOp::Add => int_value(a + b),
            BinOp::Sub => int_value(a - b),
            BinOp::Mul => {
                if a.bits() + b.bits() > 1 << 24 {
                    return Err(self.new_error_args("MemoryError", vec![]));
                }
                int_value(a * b)
            }
            BinOp::FloorDiv => {
                if b.is_zero() {
                    return Err(zero_div(self, "integer division or modulo by zero"));
                }
                int_value(a.div_floor(&b))
            }
            BinOp::Mod => {
                if b.is_zero() {
                    return Err(zero_div(self, "integer division or modulo by zero"));
                }
                int_value(a.mod_floor(&b))
            }
            BinOp::TrueDiv => {
                if b.is_zero() {
                    return Err(zero_div(self, "division by zero"));
                }
                Value::float(int_true_div(&a, &b).ok_or_else(|| {
                    self.new_error(
                        "OverflowError",
                        "integer division result too large for a float".into(),
                    )
                })?)
            }
            BinOp::Pow => {
                if b.is_negative() {
                    if a.is_zero() {
                        return Err(zero_div(self, "0.0 cannot be raised to a negative power"));
                    }
                    let fa = self.num_to_float(&Num::Int(a))?;
                    let fb = self.num_to_float(&Num::Int(b))?;
                    return self.float_op(BinOp::Pow, fa, fb);
                }
                let e = b.to_u64().unwrap_or(u64::MAX);
                if a.bits().saturating_mul(e) > 1 << 24 && a.abs() > BigInt::one() {
                    return Err(self.new_error_args("MemoryError", vec![]));
                }
                int_value(Pow::pow(a, e))
            }
            BinOp::LShift => {
                if b.is_negative() {
                    return Err(self.new_error("ValueError", "negative shift count".into()));
                }
                let s = b.to_u64().unwrap_or(u64::MAX);
                if a.is_zero() {
                    int_value(a)
                } else if s > 1 << 24 {
                    return Err(self.new_error_args("MemoryError", vec![]));
                } else {
                    int_value(a << s as usize)
                }
            }
            BinOp::RShift => {
                if b.is_negative() {
                    return Err(self.new_error("ValueError", "negative shift count".into()));
                }
                let s = b.to_u64().unwrap_or(u64::MAX);
                if s > a.bits() {
                    int_value(if a.is_negative() {
                        BigInt::from(-1)
                    } else {
                        BigInt::zero()
                    })
                } else {
                    // Arithmetic shift: floor division by a power of two.
                    int_value(a.div_floor(&(BigInt::one() << s as usize)))
                }
            }
            BinOp::And => int_value(a & b),
            BinOp::Or => int_value(a | b),
            BinOp::Xor => int_value(a ^ b),
            BinOp::MatMul => {
                return Err(
                    self.type_error("unsupported operand type(s) for @: 'int' and 'int'".into())
                )
            }
        })
    }

    fn float_op(&mut self, op: BinOp, a: f64, b: f64) -> PyResult<Value> {
        let zero_div = |m: &mut Machine, what: &str| m.new_error("ZeroDivisionError", what.into());
        Ok(Value::float(match op {
            BinOp::Add => a + b,
            BinOp::Sub => a - b,
            BinOp::Mul => a * b,
            BinOp::TrueDiv => {
                if b == 0.0 {
                    return Err(zero_div(self, "float division by zero"));
                }
                a / b
            }
            BinOp::FloorDiv => {
                if b == 0.0 {
                    return Err(zero_div(self, "float floor division by zero"));
                }
                float_divmod(a, b).0
            }
            BinOp::Mod => {
                if b == 0.0 {
                    return Err(zero_div(self, "float modulo"));
                }
                float_divmod(a, b).1
            }
            // Special values, and negative bases to fractional powers
            // (complex results), as CPython's `float_pow`.
            BinOp::Pow => return crate::builtins::float_pow(self, a, b),
            _ => {
                let sym = op.symbol();
                return Err(self.type_error(format!(
                    "unsupported operand type(s) for {sym}: 'float' and 'float'"
                )));
            }
        }))
    }

    /// `-v`, `+v`, `~v`.
    pub fn unary_op(&mut self, op: &str, v: &Value) -> PyResult<Value> {
        let r = match (op, v) {
            ("-", Value::Int(i)) => Some(int_value(-i.to_big())),
            ("-", Value::Bool(b)) => Some(Value::int(-i64::from(*b))),
            ("-", Value::Float(f)) => Some(Value::float(-f.get())),
            ("-", Value::Complex(a, b)) => Some(Value::Complex(-a, -b)),
            ("+", Value::Int(_) | Value::Float(_) | Value::Complex(..)) => Some(v.clone()),
            ("+", Value::Bool(b)) => Some(Value::int(i64::from(*b))),
            ("~", Value::Int(i)) => Some(int_value(!i.to_big())),
            ("~", Value::Bool(b)) => Some(Value::int(!i64::from(*b))),
            _ => None,
        };
        if let Some(r) = r {
            return Ok(r);
        }
        let dunder = match op {
            "-" => "__neg__",
            "+" => "__pos__",
            _ => "__invert__",
        };
        let t = self.type_of(v);
        match self.lookup_in_mro(t, &PyStr::from(dunder)) {
            Some(f) => self.call(f, vec![v.clone()], vec![]),
            None if self.base_of(v).is_some() => {
                let b = self.base_of(v).unwrap_or(Value::None);
                self.unary_op(op, &b)
            }
            None => {
                let tn = self.type_name(t);
                Err(self.type_error(format!("bad operand type for unary {op}: '{tn}'")))
            }
        }
    }

    /// The integer a value stands for as an index (`__index__`), or a
    /// `TypeError` naming `what`.
    pub fn index_of(&mut self, v: &Value, what: &str) -> PyResult<BigInt> {
        match v {
            Value::Int(i) => Ok(i.to_big()),
            Value::Bool(b) => Ok(BigInt::from(i64::from(*b))),
            _ => {
                let t = self.type_of(v);
                if let Some(b) = self.base_of(v) {
                    if matches!(b, Value::Int(_) | Value::Bool(_)) {
                        return self.index_of(&b, what);
                    }
                }
                if let Some(f) = self.lookup_in_mro(t, &PyStr::from("__index__")) {
                    let r = self.call(f, vec![v.clone()], vec![])?;
                    if let Value::Int(i) = r {
                        return Ok(i.to_big());
                    }
                }
                let tn = self.type_name(t);
                Err(self.type_error(what.replace("{}", &tn)))
            }
        }
    }
}

/// CPython's `float_divmod`: floor quotient and modulo with the sign of `b`.
pub fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0_f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0_f64.copysign(a / b)
    };
    (floordiv, m)
}

/// Correctly rounded `a / b` for integers (CPython's `long_true_divide`),
/// `None` on overflow.
fn int_true_div(a: &BigInt, b: &BigInt) -> Option<f64> {
    if let (Some(x), Some(y)) = (a.to_i64(), b.to_i64()) {
        // Exact when both fit in the 53-bit mantissa.
        if x.unsigned_abs() < (1 << 53) && y.unsigned_abs() < (1 << 53) {
            return Some(x as f64 / y as f64);
        }
    }
    let neg = a.is_negative() != b.is_negative();
    let (a, b) = (a.abs(), b.abs());
    // Scale so the quotient has 55+ significant bits, then round once.
    let shift = b.bits() as i64 - a.bits() as i64 + 55;
    let (num, den) = if shift >= 0 {
        (a << shift as usize, b)
    } else {
        (a, b << (-shift) as usize)
    };
    let (q, r) = num.div_rem(&den);
    let sticky = u64::from(!r.is_zero());
    let q = q.to_u64()? | sticky;
    let f = (q as f64) * 2f64.powi(-(shift as i32));
    if f.is_infinite() {
        return None;
    }
    Some(if neg { -f } else { f })
}

/// A size of `s` no smaller than its length in code points.
fn str_size(s: &PyStr) -> usize {
    match s {
        PyStr::Utf8(u) => u.len(),
        other => other.code_points().len(),
    }
}
