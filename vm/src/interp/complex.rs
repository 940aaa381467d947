//! `complex` numbers, with CPython 3.9's arithmetic (`complexobject.c`:
//! `_Py_c_prod`, `_Py_c_quot`, `_Py_c_pow` and the integral powers), its
//! constructor, comparison, `format()` and the complex result of a
//! negative float to a fractional power. The spec's `builtins/numbers.rs`
//! is the reference; the repr, hash and float formatting are the spec's
//! pure leaf helpers.

use super::{Res, Vm};
use crate::code::Bin;
use crate::heap::{ExcKind, Obj};
use crate::value::Value;
use num_bigint::BigInt;
use num_traits::FromPrimitive;
use pyreg_spec::pyformat;

/// A complex number: real and imaginary parts.
pub(super) type C = pyreg_spec::pycomplex::Complex;

use pyreg_spec::pycomplex::{prod as c_prod, quot as c_quot, PowError};

impl Vm {
    /// A new complex, owned.
    pub(super) fn new_complex(&mut self, c: C) -> Value {
        self.heap.alloc(Obj::Complex(c.0, c.1))
    }

    /// The parts of `v` when it is a `complex`.
    pub(super) fn as_complex(&self, v: Value) -> Option<C> {
        match self.heap.obj(v) {
            Some(Obj::Complex(re, im)) => Some((*re, *im)),
            _ => None,
        }
    }

    /// `v` as an operand of complex arithmetic (`TO_COMPLEX`): `None` when
    /// it is not a number; an int too large for a float is an error.
    fn complex_operand(&mut self, v: Value) -> Res<Option<C>> {
        if let Some(c) = self.as_complex(v) {
            return Ok(Some(c));
        }
        let num = matches!(v, Value::Int(_) | Value::Bool(_) | Value::Float(_))
            || matches!(self.heap.obj(v), Some(Obj::Big(_)));
        if !num {
            return Ok(None);
        }
        match self
            .as_f64(v)
            .filter(|f| f.is_finite() || matches!(v, Value::Float(_)))
        {
            Some(f) => Ok(Some((f, 0.0))),
            None => Err(self.error(
                ExcKind::OverflowError,
                "int too large to convert to float".into(),
            )),
        }
    }

    /// `a op b` when one operand is complex and the other a number;
    /// `None` otherwise (or for operators complex numbers lack).
    pub(super) fn complex_binary(&mut self, op: Bin, a: Value, b: Value) -> Res<Option<Value>> {
        if self.as_complex(a).is_none() && self.as_complex(b).is_none() {
            return Ok(None);
        }
        let is_num = |vm: &Vm, v: Value| {
            matches!(v, Value::Int(_) | Value::Bool(_) | Value::Float(_))
                || matches!(vm.heap.obj(v), Some(Obj::Big(_) | Obj::Complex(..)))
        };
        if !is_num(self, a) || !is_num(self, b) {
            return Ok(None);
        }
        match op {
            Bin::FloorDiv => {
                return Err(self.error(
                    ExcKind::TypeError,
                    "can't take floor of complex number.".into(),
                ))
            }
            Bin::Mod => {
                return Err(self.error(ExcKind::TypeError, "can't mod complex numbers.".into()))
            }
            Bin::Add | Bin::Sub | Bin::Mul | Bin::TrueDiv | Bin::Pow => {}
            _ => return Ok(None),
        }
        let (Some(x), Some(y)) = (self.complex_operand(a)?, self.complex_operand(b)?) else {
            return Ok(None);
        };
        let r = match op {
            Bin::Add => (x.0 + y.0, x.1 + y.1),
            Bin::Sub => (x.0 - y.0, x.1 - y.1),
            Bin::Mul => c_prod(x, y),
            Bin::TrueDiv => match c_quot(x, y) {
                Some(r) => r,
                None => {
                    return Err(self.error(
                        ExcKind::ZeroDivisionError,
                        "complex division by zero".into(),
                    ))
                }
            },
            _ => return self.complex_pow(x, y).map(Some),
        };
        Ok(Some(self.new_complex(r)))
    }

    /// `a ** b` for complex numbers, as CPython 3.9's `complex_pow`.
    pub(super) fn complex_pow(&mut self, a: C, b: C) -> Res<Value> {
        match pyreg_spec::pycomplex::pow(a, b) {
            Ok(p) => Ok(self.new_complex(p)),
            Err(PowError::ZeroToNegative) => Err(self.error(
                ExcKind::ZeroDivisionError,
                "0.0 to a negative or complex power".into(),
            )),
            Err(PowError::Overflow) => {
                Err(self.error(ExcKind::OverflowError, "complex exponentiation".into()))
            }
        }
    }

    /// `a == b` when one of them is complex and the other a number;
    /// `None` otherwise.
    pub(super) fn complex_eq(&self, a: Value, b: Value) -> Option<bool> {
        let (c, other) = match (self.as_complex(a), self.as_complex(b)) {
            (Some(x), Some(y)) => return Some(x == y),
            (Some(x), None) => (x, b),
            (None, Some(y)) => (y, a),
            (None, None) => return None,
        };
        match other {
            Value::Float(f) => Some(c.1 == 0.0 && c.0 == f),
            _ => {
                let i = self.as_big(other)?;
                // Exactly, as `complex_richcompare` compares with an int.
                Some(c.1 == 0.0 && c.0.fract() == 0.0 && BigInt::from_f64(c.0) == Some(i))
            }
        }
    }

    /// `format(complex(re, im), spec)`, as CPython 3.9's
    /// `format_complex_internal`.
    pub(super) fn format_complex(&mut self, re: f64, im: f64, spec: &str) -> Res<String> {
        pyformat::format_complex(re, im, spec).map_err(|e| {
            let e = e.for_type("complex");
            let kind = match e.exception_type() {
                "TypeError" => ExcKind::TypeError,
                "OverflowError" => ExcKind::OverflowError,
                _ => ExcKind::ValueError,
            };
            self.error(kind, e.to_string())
        })
    }

    /// `abs(z)`.
    pub(super) fn complex_abs(&mut self, c: C) -> Res<Value> {
        let r = c.0.hypot(c.1);
        if r.is_infinite() && c.0.is_finite() && c.1.is_finite() {
            return Err(self.error(ExcKind::OverflowError, "absolute value too large".into()));
        }
        Ok(Value::Float(r))
    }

    /// A number of a `complex()` argument: its float value, or its parts
    /// when complex; `None` when it is not a number.
    fn complex_arg(&mut self, v: Value) -> Res<Option<(C, bool)>> {
        if let Some(c) = self.as_complex(v) {
            return Ok(Some((c, true)));
        }
        if let Some(f) = self.special(v, "__float__") {
            let r = self.call_value(f, &[v], &[])?;
            let Value::Float(x) = r else {
                let (c, t) = (self.type_name(v), self.type_name(r));
                self.heap.decref(r);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("{c}.__float__ returned non-float (type {t})"),
                ));
            };
            return Ok(Some(((x, 0.0), false)));
        }
        Ok(self.complex_operand(v)?.map(|c| (c, false)))
    }
}

/// `complex(real=0, imag=0)`, as CPython 3.9's `complex_new_impl`.
pub(super) fn construct(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
    let mut slots = [args.first().copied(), args.get(1).copied()];
    if args.len() > 2 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!(
                "complex() takes at most 2 arguments ({} given)",
                args.len() + kwargs.len()
            ),
        ));
    }
    for (k, v) in kwargs {
        let name = vm.heap.as_str(*k).unwrap_or("").to_string();
        let i = match name.as_str() {
            "real" => 0,
            "imag" => 1,
            _ => {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("'{name}' is an invalid keyword argument for complex()"),
                ))
            }
        };
        if slots[i].is_some() {
            return Err(vm.error(
                ExcKind::TypeError,
                format!(
                    "argument for complex() given by name ('{name}') and position ({})",
                    i + 1
                ),
            ));
        }
        slots[i] = Some(*v);
    }
    let [r, i] = slots;
    let r = r.unwrap_or(Value::Int(0));
    if vm.as_complex(r).is_some() && i.is_none() {
        return Ok(vm.heap.own(r));
    }
    if let Some(s) = vm.heap.as_str(r) {
        if i.is_some() {
            return Err(vm.error(
                ExcKind::TypeError,
                "complex() can't take second arg if first is a string".into(),
            ));
        }
        let s = s.to_string();
        return match pyreg_spec::pycomplex::parse(&s) {
            Ok(c) => Ok(vm.new_complex(c)),
            Err(pyreg_spec::pycomplex::ParseError::Malformed) => Err(vm.error(
                ExcKind::ValueError,
                "complex() arg is a malformed string".into(),
            )),
            Err(pyreg_spec::pycomplex::ParseError::Underscore) => {
                let shown = pyreg_spec::pyrepr::repr_str(&pyreg_spec::code::PyStr::from(&*s));
                Err(vm.error(
                    ExcKind::ValueError,
                    format!("could not convert string to complex: {shown}"),
                ))
            }
        };
    }
    if i.is_some_and(|i| vm.heap.as_str(i).is_some()) {
        return Err(vm.error(
            ExcKind::TypeError,
            "complex() second arg can't be a string".into(),
        ));
    }
    let Some((cr, cr_complex)) = vm.complex_arg(r)? else {
        let t = vm.type_name(r);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("complex() first argument must be a string or a number, not '{t}'"),
        ));
    };
    let ci = match i {
        None => None,
        Some(iv) => match vm.complex_arg(iv)? {
            Some(c) => Some(c),
            None => {
                let t = vm.type_name(iv);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("complex() second argument must be a number, not '{t}'"),
                ));
            }
        },
    };
    let mut real = cr.0;
    let mut imag = match ci {
        None => cr.1,
        Some((c, _)) => c.0,
    };
    if let Some((c, true)) = ci {
        real -= c.1;
    }
    if cr_complex && ci.is_some() {
        imag += cr.1;
    }
    Ok(vm.new_complex((real, imag)))
}

/// `complex.conjugate()`.
pub(super) fn conjugate(
    vm: &mut Vm,
    z: Value,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> Res<Value> {
    if !args.is_empty() || !kwargs.is_empty() {
        return Err(vm.error(
            ExcKind::TypeError,
            format!(
                "complex.conjugate() takes no arguments ({} given)",
                args.len()
            ),
        ));
    }
    match vm.as_complex(z) {
        Some((re, im)) => Ok(vm.new_complex((re, -im))),
        None => vm.broken("a complex"),
    }
}

/// The hash of a complex, as CPython's `complex_hash`.
pub(super) fn hash(c: C) -> i64 {
    pyreg_spec::pyhash::hash_complex(c.0, c.1)
}

/// `int(z)`/`float(z)` refuse complex numbers.
pub(super) fn no_conversion(vm: &mut Vm, v: Value, to: &str) -> Res<()> {
    if vm.as_complex(v).is_some() {
        return Err(vm.error(ExcKind::TypeError, format!("can't convert complex to {to}")));
    }
    Ok(())
}
