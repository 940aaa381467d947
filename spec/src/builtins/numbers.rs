//! The methods of `int`, `bool`, `float` and `complex`, the `complex()`
//! constructor, complex arithmetic, and the `math` module, with CPython
//! 3.9's results and error messages.
//!
//! Where CPython calls the C library (`sin`, `exp`, `log`, `pow`,
//! `hypot`, ...), this calls Rust's `f64` methods, which on Linux call the
//! same C library, so results agree to the last bit. Rust computes `asinh`,
//! `acosh` and `atanh` itself and has no `erf`/`erfc`, so this file carries
//! ports of glibc's (fdlibm-derived) code for those. CPython's own
//! algorithms (`gamma`, `lgamma`, `fsum`, `hypot`, `remainder`, complex
//! `**`, `float.hex`, ...) are ported from its C sources.

use super::{arg_count, name_of, Args, BuiltinId, Kwargs};
use crate::code::PyStr;
use crate::interp::ops::{BinOp, CmpOp, Num};
use crate::interp::{text, Fault, Machine, PyResult};
use crate::object::{Int, Obj, ObjId, Value};
use crate::pyformat::{self, FormatError};
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

// ----- shared helpers ------------------------------------------------------

fn int_v(i: BigInt) -> Value {
    Value::Int(Int::from_big(i))
}

/// `ValueError("math domain error")`.
fn domain_error(m: &mut Machine) -> Fault {
    m.new_error("ValueError", "math domain error".into())
}

/// `OverflowError("math range error")`.
fn range_error(m: &mut Machine) -> Fault {
    m.new_error("OverflowError", "math range error".into())
}

/// Raises the Python exception a conversion error of `pyformat` stands for.
fn format_fault(m: &mut Machine, e: FormatError) -> Fault {
    let kind = e.exception_type();
    m.new_error(kind, e.to_string())
}

/// `PyLong_AsDouble`: the nearest float, or `OverflowError`.
fn int_to_double(m: &mut Machine, i: &BigInt) -> PyResult<f64> {
    pyformat::int_to_f64(i).map_err(|e| format_fault(m, e))
}

/// `PyLong_FromDouble`: truncation of a float to an int, with CPython's
/// errors for infinities and NaN.
fn double_to_int(m: &mut Machine, x: f64) -> PyResult<Value> {
    pyformat::f64_to_int(x)
        .map(int_v)
        .map_err(|e| format_fault(m, e))
}

/// `PyFloat_AsDouble`: floats, ints, and objects with `__float__` (or,
/// failing that, `__index__`).
pub(crate) fn as_double(m: &mut Machine, v: &Value) -> PyResult<f64> {
    match v {
        Value::Float(f) => Ok(f.get()),
        Value::Int(i) => int_to_double(m, &i.to_big()),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        _ => {
            let t = m.type_of(v);
            if let Some(f) = m.lookup_in_mro(t, &PyStr::from("__float__")) {
                let r = m.call(f, vec![v.clone()], vec![])?;
                return match r {
                    Value::Float(x) => Ok(x.get()),
                    other => {
                        let (tn, rn) = (m.type_name(t), m.type_name_of(&other));
                        Err(m.type_error(format!("{tn}.__float__ returned non-float (type {rn})")))
                    }
                };
            }
            if m.lookup_in_mro(t, &PyStr::from("__index__")).is_some() {
                let i = m.index_of(v, "")?;
                return int_to_double(m, &i);
            }
            let tn = m.type_name(t);
            Err(m.type_error(format!("must be real number, not {tn}")))
        }
    }
}

/// `PyNumber_Index` with CPython's message for non-integers.
fn index_arg(m: &mut Machine, v: &Value) -> PyResult<BigInt> {
    m.index_of(v, "'{}' object cannot be interpreted as an integer")
}

/// Fails with `"{name}() takes no keyword arguments"` when there are any.
fn no_kwargs(m: &mut Machine, name: &str, kwargs: &Kwargs) -> PyResult<()> {
    if kwargs.is_empty() {
        Ok(())
    } else {
        Err(m.type_error(format!("{name}() takes no keyword arguments")))
    }
}

/// Binds positional `args` and `kwargs` to the parameters `names` as
/// Argument Clinic's `_PyArg_UnpackKeywords` does: the first `npos` may be
/// passed by position, the rest only by keyword, the first `required` must
/// be given, and the first `posonly` can only be passed by position. The
/// result has one slot per name.
fn bind_args(
    m: &mut Machine,
    fname: &str,
    args: &[Value],
    kwargs: &Kwargs,
    names: &[&str],
    (npos, required, posonly): (usize, usize, usize),
) -> PyResult<Vec<Option<Value>>> {
    if args.len() + kwargs.len() > names.len() {
        return Err(m.type_error(format!(
            "{fname}() takes at most {} {}argument{} ({} given)",
            names.len(),
            if args.is_empty() { "keyword " } else { "" },
            if names.len() == 1 { "" } else { "s" },
            args.len() + kwargs.len()
        )));
    }
    if args.len() > npos {
        let msg = if npos == 0 {
            format!("{fname}() takes no positional arguments")
        } else {
            format!(
                "{fname}() takes {} {npos} positional argument{} ({} given)",
                if required < npos {
                    "at most"
                } else {
                    "exactly"
                },
                if npos == 1 { "" } else { "s" },
                args.len()
            )
        };
        return Err(m.type_error(msg));
    }
    let minpos = required.min(posonly);
    if args.len() < minpos {
        return Err(m.type_error(format!(
            "{fname}() takes {} {minpos} positional argument{} ({} given)",
            if minpos < npos { "at least" } else { "exactly" },
            if minpos == 1 { "" } else { "s" },
            args.len()
        )));
    }
    let mut out: Vec<Option<Value>> = names.iter().map(|_| None).collect();
    for (slot, a) in out.iter_mut().zip(args) {
        *slot = Some(a.clone());
    }
    for (k, v) in kwargs {
        let key = text(k);
        match names.iter().position(|n| *n == key) {
            Some(i) if out[i].is_some() => {
                return Err(m.type_error(format!(
                    "argument for {fname}() given by name ('{key}') and position ({})",
                    i + 1
                )));
            }
            Some(i) => out[i] = Some(v.clone()),
            None => {
                return Err(m.type_error(format!(
                    "'{key}' is an invalid keyword argument for {fname}()"
                )));
            }
        }
    }
    for (i, slot) in out.iter().enumerate().take(required) {
        if slot.is_none() {
            return Err(m.type_error(format!(
                "{fname}() missing required argument '{}' (pos {})",
                names[i],
                i + 1
            )));
        }
    }
    Ok(out)
}

// ----- methods of int, float and complex -----------------------------------

/// What kind of number a method belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NumKind {
    Int,
    Float,
    Complex,
}

impl NumKind {
    fn name(self) -> &'static str {
        match self {
            NumKind::Int => "int",
            NumKind::Float => "float",
            NumKind::Complex => "complex",
        }
    }

    /// Whether `v` is an instance (`bool` counts as `int`).
    fn accepts(self, v: &Value) -> bool {
        matches!(
            (self, v),
            (NumKind::Int, Value::Int(_) | Value::Bool(_))
                | (NumKind::Float, Value::Float(_))
                | (NumKind::Complex, Value::Complex(..))
        )
    }

    /// Whether a binary slot of this type handles `other` (otherwise it
    /// returns `NotImplemented`): `int` only ints, `float` ints and floats.
    fn takes_operand(self, other: &Value) -> bool {
        match self {
            NumKind::Int => matches!(other, Value::Int(_) | Value::Bool(_)),
            NumKind::Float => matches!(other, Value::Int(_) | Value::Bool(_) | Value::Float(_)),
            NumKind::Complex => {
                matches!(
                    other,
                    Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::Complex(..)
                )
            }
        }
    }
}

/// One of the special methods numbers share.
#[derive(Clone, Copy)]
enum Dunder {
    /// `__op__` (`false`) or `__rop__` (`true`).
    Binary(BinOp, bool),
    /// `__divmod__` / `__rdivmod__`.
    Divmod(bool),
    Compare(CmpOp),
    Neg,
    Pos,
    Abs,
    Invert,
    Bool,
    Int,
    Float,
    Trunc,
    Floor,
    Ceil,
    Round,
    Hash,
    Repr,
    Format,
}

/// The type and special method a built-in id stands for, if it is one of
/// the numbers' special methods.
fn dunder_of(id: BuiltinId) -> Option<(NumKind, Dunder)> {
    use BinOp as O;
    use BuiltinId::*;
    use Dunder as D;
    use NumKind::{Float as F, Int as I};
    Some(match id {
        IntAdd => (I, D::Binary(O::Add, false)),
        IntRadd => (I, D::Binary(O::Add, true)),
        IntSub => (I, D::Binary(O::Sub, false)),
        IntRsub => (I, D::Binary(O::Sub, true)),
        IntMul => (I, D::Binary(O::Mul, false)),
        IntRmul => (I, D::Binary(O::Mul, true)),
        IntTruediv => (I, D::Binary(O::TrueDiv, false)),
        IntRtruediv => (I, D::Binary(O::TrueDiv, true)),
        IntFloordiv => (I, D::Binary(O::FloorDiv, false)),
        IntRfloordiv => (I, D::Binary(O::FloorDiv, true)),
        IntMod => (I, D::Binary(O::Mod, false)),
        IntRmod => (I, D::Binary(O::Mod, true)),
        IntDivmod => (I, D::Divmod(false)),
        IntRdivmod => (I, D::Divmod(true)),
        IntPow => (I, D::Binary(O::Pow, false)),
        IntRpow => (I, D::Binary(O::Pow, true)),
        IntLshift => (I, D::Binary(O::LShift, false)),
        IntRlshift => (I, D::Binary(O::LShift, true)),
        IntRshift => (I, D::Binary(O::RShift, false)),
        IntRrshift => (I, D::Binary(O::RShift, true)),
        IntAnd | BoolAnd => (I, D::Binary(O::And, false)),
        IntRand | BoolRand => (I, D::Binary(O::And, true)),
        IntOr | BoolOr => (I, D::Binary(O::Or, false)),
        IntRor | BoolRor => (I, D::Binary(O::Or, true)),
        IntXor | BoolXor => (I, D::Binary(O::Xor, false)),
        IntRxor | BoolRxor => (I, D::Binary(O::Xor, true)),
        IntEq => (I, D::Compare(CmpOp::Eq)),
        IntNe => (I, D::Compare(CmpOp::Ne)),
        IntLt => (I, D::Compare(CmpOp::Lt)),
        IntLe => (I, D::Compare(CmpOp::Le)),
        IntGt => (I, D::Compare(CmpOp::Gt)),
        IntGe => (I, D::Compare(CmpOp::Ge)),
        IntNeg => (I, D::Neg),
        IntPos => (I, D::Pos),
        IntAbs => (I, D::Abs),
        IntInvert => (I, D::Invert),
        IntBool => (I, D::Bool),
        IntInt | IntIndex => (I, D::Int),
        IntFloat => (I, D::Float),
        IntTrunc => (I, D::Trunc),
        IntFloor => (I, D::Floor),
        IntCeil => (I, D::Ceil),
        IntRound => (I, D::Round),
        IntHash => (I, D::Hash),
        IntRepr | IntStr => (I, D::Repr),
        IntFormat => (I, D::Format),
        FloatAdd => (F, D::Binary(O::Add, false)),
        FloatRadd => (F, D::Binary(O::Add, true)),
        FloatSub => (F, D::Binary(O::Sub, false)),
        FloatRsub => (F, D::Binary(O::Sub, true)),
        FloatMul => (F, D::Binary(O::Mul, false)),
        FloatRmul => (F, D::Binary(O::Mul, true)),
        FloatTruediv => (F, D::Binary(O::TrueDiv, false)),
        FloatRtruediv => (F, D::Binary(O::TrueDiv, true)),
        FloatFloordiv => (F, D::Binary(O::FloorDiv, false)),
        FloatRfloordiv => (F, D::Binary(O::FloorDiv, true)),
        FloatMod => (F, D::Binary(O::Mod, false)),
        FloatRmod => (F, D::Binary(O::Mod, true)),
        FloatDivmod => (F, D::Divmod(false)),
        FloatRdivmod => (F, D::Divmod(true)),
        FloatPow => (F, D::Binary(O::Pow, false)),
        FloatRpow => (F, D::Binary(O::Pow, true)),
        FloatEq => (F, D::Compare(CmpOp::Eq)),
        FloatNe => (F, D::Compare(CmpOp::Ne)),
        FloatLt => (F, D::Compare(CmpOp::Lt)),
        FloatLe => (F, D::Compare(CmpOp::Le)),
        FloatGt => (F, D::Compare(CmpOp::Gt)),
        FloatGe => (F, D::Compare(CmpOp::Ge)),
        FloatNeg => (F, D::Neg),
        FloatPos => (F, D::Pos),
        FloatAbs => (F, D::Abs),
        FloatBool => (F, D::Bool),
        FloatInt => (F, D::Trunc),
        FloatFloat => (F, D::Float),
        FloatTrunc => (F, D::Trunc),
        FloatFloor => (F, D::Floor),
        FloatCeil => (F, D::Ceil),
        FloatRound => (F, D::Round),
        FloatHash => (F, D::Hash),
        FloatRepr | FloatStr => (F, D::Repr),
        FloatFormat => (F, D::Format),
        _ => return None,
    })
}

/// The type a non-dunder number method belongs to.
fn method_kind(id: BuiltinId) -> NumKind {
    use BuiltinId::*;
    match id {
        FloatIsInteger | FloatHex | FloatFromhex | FloatAsIntegerRatio | FloatConjugate => {
            NumKind::Float
        }
        ComplexConjugate | ComplexInt | ComplexFloat | ComplexFormat => NumKind::Complex,
        _ => NumKind::Int,
    }
}

/// Calls a method of `int`, `bool`, `float` or `complex`; `args[0]` is the
/// receiver (the class, for the classmethods `int.from_bytes` and
/// `float.fromhex`).
pub(super) fn number_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let name = name_of(id);
    if let Some((kind, d)) = dunder_of(id) {
        return number_dunder(m, kind, d, name, args, kwargs);
    }
    if matches!(id, IntFromBytes | FloatFromhex) {
        let rest = args.get(1..).unwrap_or(&[]);
        return if id == IntFromBytes {
            int_from_bytes(m, args.first(), rest, &kwargs)
        } else {
            no_kwargs(m, "float.fromhex", &kwargs)?;
            arg_count(m, "float.fromhex", &rest.to_vec(), 1, 1)?;
            float_fromhex(m, &rest[0])
        };
    }
    let kind = method_kind(id);
    let this = receiver(m, kind, name, &args, false)?;
    let rest = &args[1..];
    if id != IntToBytes && id != ComplexFormat {
        let qual = format!("{}.{name}", kind.name());
        no_kwargs(m, &qual, &kwargs)?;
        if !rest.is_empty() {
            return Err(m.type_error(format!(
                "{qual}() takes no arguments ({} given)",
                rest.len()
            )));
        }
    }
    match (id, &this) {
        (IntBitLength, v) => {
            let i = int_of(v);
            Ok(Value::int(i.bits() as i64))
        }
        (IntConjugate, v) => Ok(int_v(int_of(v))),
        (IntAsIntegerRatio, v) => Ok(Value::tuple(vec![int_v(int_of(v)), Value::int(1)])),
        (IntToBytes, v) => int_to_bytes(m, &int_of(v), rest, &kwargs),
        (FloatIsInteger, Value::Float(x)) => Ok(Value::Bool(
            x.get().is_finite() && x.get().floor() == x.get(),
        )),
        (FloatHex, Value::Float(x)) => Ok(Value::str(&float_hex(x.get()))),
        (FloatAsIntegerRatio, Value::Float(x)) => float_as_integer_ratio(m, x.get()),
        (FloatConjugate, Value::Float(x)) => Ok(Value::Float(x.clone())),
        (ComplexConjugate, Value::Complex(re, im)) => Ok(Value::Complex(*re, -im)),
        (ComplexInt, _) => Err(m.type_error("can't convert complex to int".into())),
        (ComplexFloat, _) => Err(m.type_error("can't convert complex to float".into())),
        (ComplexFormat, Value::Complex(re, im)) => {
            no_kwargs(m, "__format__", &kwargs)?;
            let spec = match rest {
                [Value::Str(s)] => text(s),
                [v] => {
                    let tn = m.type_name_of(v);
                    return Err(
                        m.type_error(format!("__format__() argument must be str, not {tn}"))
                    );
                }
                _ => {
                    return Err(m.type_error(format!(
                        "__format__() takes exactly one argument ({} given)",
                        rest.len()
                    )))
                }
            };
            Ok(Value::str(&format_complex(m, *re, *im, &spec)?))
        }
        _ => Err(Fault::Stuck(format!("number_method called for {name}"))),
    }
}

/// The value of an `int` or `bool`.
fn int_of(v: &Value) -> BigInt {
    match v {
        Value::Int(i) => i.to_big(),
        Value::Bool(b) => BigInt::from(u8::from(*b)),
        _ => BigInt::zero(),
    }
}

/// Checks the receiver of a method of `kind`, with the wording of a method
/// descriptor (`dunder`: of a slot wrapper).
fn receiver(
    m: &mut Machine,
    kind: NumKind,
    name: &str,
    args: &Args,
    dunder: bool,
) -> PyResult<Value> {
    let tn = kind.name();
    match args.first() {
        Some(v) if kind.accepts(v) => Ok(v.clone()),
        Some(v) => {
            let vn = m.type_name_of(v);
            Err(m.type_error(if dunder {
                format!("descriptor '{name}' requires a '{tn}' object but received a '{vn}'")
            } else {
                format!("descriptor '{name}' for '{tn}' objects doesn't apply to a '{vn}' object")
            }))
        }
        None => Err(m.type_error(format!(
            "descriptor '{name}' of '{tn}' object needs an argument"
        ))),
    }
}

/// The special methods of `int` and `float` called explicitly
/// (`(5).__add__(3)`, `map(int.__add__, ...)`): the operator's built-in
/// meaning, or `NotImplemented` for an operand of another type.
fn number_dunder(
    m: &mut Machine,
    kind: NumKind,
    d: Dunder,
    name: &str,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let this = receiver(m, kind, name, &args, true)?;
    let rest = &args[1..];
    no_kwargs(m, name, &kwargs)?;
    let want = match d {
        Dunder::Binary(BinOp::Pow, _) | Dunder::Round => None,
        Dunder::Binary(..) | Dunder::Divmod(_) | Dunder::Compare(_) | Dunder::Format => Some(1),
        _ => Some(0),
    };
    if let Some(n) = want {
        if rest.len() != n {
            return Err(m.type_error(format!(
                "expected {n} argument{}, got {}",
                if n == 1 { "" } else { "s" },
                rest.len()
            )));
        }
    }
    match d {
        Dunder::Binary(op, reflected) => {
            if op == BinOp::Pow && (rest.is_empty() || rest.len() > 2) {
                return Err(m.type_error(format!("expected 1 or 2 arguments, got {}", rest.len())));
            }
            let other = rest[0].clone();
            if !kind.takes_operand(&other) {
                return Ok(Value::NotImplemented);
            }
            let (a, b) = if reflected {
                (other, this)
            } else {
                (this, other)
            };
            match rest.get(1) {
                Some(md) if !matches!(md, Value::None) => {
                    if kind == NumKind::Float || reflected {
                        return Err(m.type_error(
                            "pow() 3rd argument not allowed unless all arguments are integers"
                                .into(),
                        ));
                    }
                    super::call_builtin(m, BuiltinId::Pow, None, vec![a, b, md.clone()], vec![])
                }
                _ => m.binary_op(op, &a, &b, false),
            }
        }
        Dunder::Divmod(reflected) => {
            let other = rest[0].clone();
            if !kind.takes_operand(&other) {
                return Ok(Value::NotImplemented);
            }
            let (a, b) = if reflected {
                (other, this)
            } else {
                (this, other)
            };
            super::call_builtin(m, BuiltinId::Divmod, None, vec![a, b], vec![])
        }
        Dunder::Compare(op) => {
            if !kind.takes_operand(&rest[0]) {
                return Ok(Value::NotImplemented);
            }
            m.compare(op, &this, &rest[0])
        }
        Dunder::Neg => m.unary_op("-", &this),
        Dunder::Pos => m.unary_op("+", &this),
        Dunder::Invert => m.unary_op("~", &this),
        Dunder::Abs => super::call_builtin(m, BuiltinId::Abs, None, vec![this], vec![]),
        Dunder::Bool => Ok(Value::Bool(m.truthy(&this)?)),
        Dunder::Float => Ok(Value::float(as_double(m, &this)?)),
        Dunder::Int => Ok(int_v(int_of(&this))),
        Dunder::Trunc | Dunder::Floor | Dunder::Ceil => match this {
            Value::Float(x) => {
                let x = x.get();
                let r = match d {
                    Dunder::Floor => x.floor(),
                    Dunder::Ceil => x.ceil(),
                    _ => x.trunc(),
                };
                double_to_int(m, r)
            }
            v => Ok(int_v(int_of(&v))),
        },
        Dunder::Round => {
            let nd = match rest {
                [] => None,
                [v] => Some(v.clone()),
                _ => {
                    return Err(m.type_error(format!(
                        "__round__ expected at most 1 argument, got {}",
                        rest.len()
                    )))
                }
            };
            // `round` handles ints natively; a bool would come back here.
            let this = match this {
                Value::Bool(_) => int_v(int_of(&this)),
                v => v,
            };
            let mut a = vec![this];
            a.extend(nd);
            super::call_builtin(m, BuiltinId::Round, None, a, vec![])
        }
        Dunder::Hash => Ok(Value::int(m.hash_of(&this)?)),
        Dunder::Repr => Ok(Value::str(&m.repr_of(&this)?)),
        Dunder::Format => match &rest[0] {
            Value::Str(s) => {
                let spec = text(s);
                Ok(Value::str(&super::format_value(m, &this, &spec)?))
            }
            v => {
                let tn = m.type_name_of(v);
                Err(m.type_error(format!("format() argument 2 must be str, not {tn}")))
            }
        },
    }
}

// ----- int.to_bytes / int.from_bytes ------------------------------------------

/// Whether the byte order argument means little-endian.
fn byteorder(m: &mut Machine, fname: &str, v: &Value) -> PyResult<bool> {
    match v {
        Value::Str(s) => match s.as_str() {
            Some("little") => Ok(true),
            Some("big") => Ok(false),
            _ => Err(m.new_error(
                "ValueError",
                "byteorder must be either 'little' or 'big'".into(),
            )),
        },
        other => {
            let tn = m.type_name_of(other);
            Err(m.type_error(format!(
                "{fname}() argument 'byteorder' must be str, not {tn}"
            )))
        }
    }
}

/// `int.to_bytes(length, byteorder, *, signed=False)`.
fn int_to_bytes(m: &mut Machine, n: &BigInt, rest: &[Value], kwargs: &Kwargs) -> PyResult<Value> {
    let a = bind_args(
        m,
        "to_bytes",
        rest,
        kwargs,
        &["length", "byteorder", "signed"],
        (2, 2, 0),
    )?;
    let (Some(len), Some(order)) = (a[0].clone(), a[1].clone()) else {
        return Err(Fault::Stuck("to_bytes: unbound arguments".into()));
    };
    if let Value::Float(_) = len {
        return Err(m.type_error("integer argument expected, got float".into()));
    }
    let length = index_arg(m, &len)?;
    let little = byteorder(m, "to_bytes", &order)?;
    let signed = match &a[2] {
        Some(v) => m.truthy(v)?,
        None => false,
    };
    if length.is_negative() {
        return Err(m.new_error("ValueError", "length argument must be non-negative".into()));
    }
    if !signed && n.is_negative() {
        return Err(m.new_error(
            "OverflowError",
            "can't convert negative int to unsigned".into(),
        ));
    }
    let too_big = |m: &mut Machine| m.new_error("OverflowError", "int too big to convert".into());
    // The bytes needed: magnitude bits, plus a sign bit when signed (for a
    // negative power of two the two's complement needs no extra bit).
    let needed_bits = if signed {
        if n.is_negative() {
            (-n - 1u8).bits() + 1
        } else {
            n.bits() + 1
        }
    } else {
        n.bits()
    };
    let length = match length.to_u64() {
        Some(l) if needed_bits <= l.saturating_mul(8) => l,
        _ => return Err(too_big(m)),
    };
    if length > crate::interp::ops::MAX_COLLECTION as u64 {
        return Err(m.new_error_args("MemoryError", vec![]));
    }
    let mut bytes = n.to_signed_bytes_le();
    let fill = if n.is_negative() { 0xff } else { 0 };
    bytes.resize(length as usize, fill);
    bytes.truncate(length as usize);
    if !little {
        bytes.reverse();
    }
    Ok(Value::Bytes(bytes.into()))
}

/// The bytes of `bytes(v)` (`PyObject_Bytes`), as `int.from_bytes` sees
/// its first argument.
pub(super) fn bytes_of(m: &mut Machine, v: &Value) -> PyResult<Vec<u8>> {
    match v {
        Value::Bytes(b) => return Ok(b.to_vec()),
        Value::Obj(id) => {
            if let Obj::ByteArray(b) = m.heap.get(*id) {
                return Ok(b.clone());
            }
        }
        Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::None => {
            let tn = m.type_name_of(v);
            return Err(m.type_error(format!("cannot convert '{tn}' object to bytes")));
        }
        _ => {}
    }
    let t = m.type_of(v);
    if let Some(f) = m.lookup_in_mro(t, &PyStr::from("__bytes__")) {
        return match m.call(f, vec![v.clone()], vec![])? {
            Value::Bytes(b) => Ok(b.to_vec()),
            other => {
                let tn = m.type_name_of(&other);
                Err(m.type_error(format!("__bytes__ returned non-bytes (type {tn})")))
            }
        };
    }
    let items = match m.get_iter(v) {
        Ok(_) => m.collect(v)?,
        Err(Fault::Raise(_)) => {
            let tn = m.type_name(t);
            return Err(m.type_error(format!("cannot convert '{tn}' object to bytes")));
        }
        Err(e) => return Err(e),
    };
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        let i = index_arg(m, it)?;
        match i.to_u8() {
            Some(b) => out.push(b),
            None => return Err(m.new_error("ValueError", "bytes must be in range(0, 256)".into())),
        }
    }
    Ok(out)
}

/// `int.from_bytes(bytes, byteorder, *, signed=False)` for `class`.
fn int_from_bytes(
    m: &mut Machine,
    class: Option<&Value>,
    rest: &[Value],
    kwargs: &Kwargs,
) -> PyResult<Value> {
    let a = bind_args(
        m,
        "from_bytes",
        rest,
        kwargs,
        &["bytes", "byteorder", "signed"],
        (2, 2, 0),
    )?;
    let (Some(src), Some(order)) = (a[0].clone(), a[1].clone()) else {
        return Err(Fault::Stuck("from_bytes: unbound arguments".into()));
    };
    let little = byteorder(m, "from_bytes", &order)?;
    let signed = match &a[2] {
        Some(v) => m.truthy(v)?,
        None => false,
    };
    let mut bytes = bytes_of(m, &src)?;
    if !little {
        bytes.reverse();
    }
    let n = if signed {
        BigInt::from_signed_bytes_le(&bytes)
    } else {
        BigInt::from_bytes_le(Sign::Plus, &bytes)
    };
    // `bool.from_bytes` (or `True.from_bytes`) calls the class on the int.
    if matches!(class, Some(Value::Obj(c)) if *c == m.types.bool_) {
        return Ok(Value::Bool(!n.is_zero()));
    }
    Ok(int_v(n))
}

// ----- float.hex / float.fromhex / float.as_integer_ratio ---------------------

/// `frexp(x)` for finite non-zero `x`: `(m, e)` with `0.5 <= |m| < 1` and
/// `x == m * 2**e`; zeros, infinities and NaN come back unchanged with 0.
pub fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let (x, adjust) = if x.abs() < f64::MIN_POSITIVE {
        // Subnormal: scale into the normal range first (exact).
        (x * 2f64.powi(54), -54)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022 + adjust)
}

/// `ldexp(x, n)`: `x * 2**n` rounded once, as musl's `scalbn` does it.
pub fn ldexp(x: f64, n: i64) -> f64 {
    let mut y = x;
    let mut n = n.clamp(-10_000, 10_000) as i32;
    if n > 1023 {
        y *= 2f64.powi(1023);
        n -= 1023;
        if n > 1023 {
            y *= 2f64.powi(1023);
            n -= 1023;
            if n > 1023 {
                n = 1023;
            }
        }
    } else if n < -1022 {
        // Keep the final n below -53 so that the subnormal result is
        // rounded only once.
        y *= 2f64.powi(-1022) * 2f64.powi(53);
        n += 1022 - 53;
        if n < -1022 {
            y *= 2f64.powi(-1022) * 2f64.powi(53);
            n += 1022 - 53;
            if n < -1022 {
                n = -1022;
            }
        }
    }
    y * f64::from_bits(((0x3ff + n) as u64) << 52)
}

/// `float.hex()`, as CPython's `float_hex` writes it.
pub fn float_hex(x: f64) -> String {
    if !x.is_finite() {
        return crate::pyrepr::repr_float(x);
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0x0.0p+0"
        } else {
            "0x0.0p+0"
        }
        .into();
    }
    let (m, e) = frexp(x.abs());
    // DBL_MIN_EXP is -1021: subnormals keep a leading 0 digit.
    let shift = 1 - (-1021 - e).max(0);
    let mut m = ldexp(m, i64::from(shift));
    let e = e - shift;
    let hex = |d: f64| char::from_digit(d as u32, 16).unwrap_or('0');
    let mut s = String::new();
    s.push(hex(m));
    m -= m.trunc();
    s.push('.');
    for _ in 0..13 {
        m *= 16.0;
        s.push(hex(m));
        m -= m.trunc();
    }
    format!(
        "{}0x{s}p{}{}",
        if x < 0.0 { "-" } else { "" },
        if e < 0 { '-' } else { '+' },
        e.abs()
    )
}

/// Python's `str.isspace` for the ASCII whitespace CPython's number parsers
/// skip (`Py_ISSPACE`).
fn is_py_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// The nearest float to `mant * 2**exp` (ties to even), or `None` when it
/// is too large.
fn scale_exact(mant: &BigUint, exp: i64) -> Option<f64> {
    if mant.is_zero() {
        return Some(0.0);
    }
    let bits = mant.bits() as i64;
    let top = bits - 1 + exp;
    if top >= 1024 {
        return None;
    }
    if top < -1076 {
        return Some(0.0);
    }
    // Position of the last bit kept: 53 significant bits, fewer for
    // subnormals.
    let lsb = (top - 52).max(-1074);
    let q = if lsb > exp {
        let drop = (lsb - exp) as u64;
        let q = mant >> drop;
        let rem = mant - (&q << drop);
        let half = BigUint::one() << (drop - 1);
        let round_up = rem > half || (rem == half && q.is_odd());
        if round_up {
            q + 1u8
        } else {
            q
        }
    } else {
        mant << ((exp - lsb) as u64)
    };
    let q = q.to_u64()?;
    let r = ldexp(q as f64, lsb);
    r.is_finite().then_some(r)
}

/// `float.fromhex(s)`, as CPython's `float_fromhex` parses it.
fn float_fromhex(m: &mut Machine, v: &Value) -> PyResult<Value> {
    let Value::Str(s) = v else {
        return Err(m.type_error("bad argument type for built-in operation".into()));
    };
    let chars: Vec<char> = text(s).chars().collect();
    let invalid = |m: &mut Machine| {
        m.new_error(
            "ValueError",
            "invalid hexadecimal floating-point string".into(),
        )
    };
    let mut i = 0;
    while i < chars.len() && is_py_space(chars[i]) {
        i += 1;
    }
    let value = if let Some((x, n)) = crate::pycomplex::parse_inf_or_nan(&chars[i..]) {
        i += n;
        x
    } else {
        let mut negate = false;
        match chars.get(i) {
            Some('-') => {
                negate = true;
                i += 1;
            }
            Some('+') => i += 1,
            _ => {}
        }
        if chars.get(i) == Some(&'0') && matches!(chars.get(i + 1), Some('x' | 'X')) {
            i += 2;
        }
        let mut mant = BigUint::zero();
        let mut ndigits = 0usize;
        let mut fdigits = 0i64;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(16)) {
            mant = (mant << 4u8) + d;
            ndigits += 1;
            i += 1;
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(16)) {
                mant = (mant << 4u8) + d;
                ndigits += 1;
                fdigits += 1;
                i += 1;
            }
        }
        if ndigits == 0 {
            return Err(invalid(m));
        }
        let mut exp: i64 = 0;
        if matches!(chars.get(i), Some('p' | 'P')) {
            i += 1;
            let neg = match chars.get(i) {
                Some('-') => {
                    i += 1;
                    true
                }
                Some('+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            if !chars.get(i).is_some_and(char::is_ascii_digit) {
                return Err(invalid(m));
            }
            while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
                // strtol saturates; any exponent this large over- or
                // underflows anyway.
                exp = exp.saturating_mul(10).saturating_add(i64::from(d));
                i += 1;
            }
            if neg {
                exp = -exp;
            }
        }
        let exp = exp.clamp(-(1 << 40), 1 << 40) - 4 * fdigits;
        let x = match scale_exact(&mant, exp) {
            Some(x) => x,
            None => {
                return Err(m.new_error(
                    "OverflowError",
                    "hexadecimal value too large to represent as a float".into(),
                ))
            }
        };
        if negate {
            -x
        } else {
            x
        }
    };
    while i < chars.len() && is_py_space(chars[i]) {
        i += 1;
    }
    if i != chars.len() {
        return Err(invalid(m));
    }
    Ok(Value::float(value))
}

/// `float.as_integer_ratio()`: the exact fraction in lowest terms.
fn float_as_integer_ratio(m: &mut Machine, x: f64) -> PyResult<Value> {
    if x.is_infinite() {
        return Err(m.new_error(
            "OverflowError",
            "cannot convert Infinity to integer ratio".into(),
        ));
    }
    if x.is_nan() {
        return Err(m.new_error("ValueError", "cannot convert NaN to integer ratio".into()));
    }
    if x == 0.0 {
        return Ok(Value::tuple(vec![Value::int(0), Value::int(1)]));
    }
    let (fm, e) = frexp(x);
    // fm * 2**53 is an integer; strip its trailing zero bits.
    let mut num = (fm * 2f64.powi(53)) as i64;
    let mut e = i64::from(e) - 53;
    let tz = i64::from(num.trailing_zeros());
    num >>= tz;
    e += tz;
    let num = BigInt::from(num);
    let (n, d) = if e >= 0 {
        (num << e as usize, BigInt::one())
    } else {
        (num, BigInt::one() << (-e) as usize)
    };
    Ok(Value::tuple(vec![int_v(n), int_v(d)]))
}

// ----- complex: constructor --------------------------------------------------

/// Whether `v` is a number as `complex()` requires: a built-in number or an
/// object with `__float__` or `__index__`.
fn is_number(m: &Machine, v: &Value) -> bool {
    match v {
        Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::Complex(..) => true,
        Value::Obj(_) => {
            let t = m.type_of(v);
            m.lookup_in_mro(t, &PyStr::from("__float__")).is_some()
                || m.lookup_in_mro(t, &PyStr::from("__index__")).is_some()
        }
        _ => false,
    }
}

/// `complex(real=0, imag=0)`, as CPython 3.9's `complex_new_impl`.
pub(super) fn ctor_complex(
    m: &mut Machine,
    _t: ObjId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let a = bind_args(m, "complex", &args, &kwargs, &["real", "imag"], (2, 0, 0))?;
    let r = a[0].clone().unwrap_or(Value::int(0));
    let i = a[1].clone();
    if let (Value::Complex(..), None) = (&r, &i) {
        return Ok(r);
    }
    if let Value::Str(s) = &r {
        if i.is_some() {
            return Err(m.type_error("complex() can't take second arg if first is a string".into()));
        }
        return complex_from_str(m, s);
    }
    if let Some(Value::Str(_)) = &i {
        return Err(m.type_error("complex() second arg can't be a string".into()));
    }
    // `__complex__` takes precedence over `__float__`.
    let mut r = r;
    if let Value::Obj(_) = &r {
        let t = m.type_of(&r);
        if let Some(f) = m.lookup_in_mro(t, &PyStr::from("__complex__")) {
            r = m.call(f, vec![r.clone()], vec![])?;
            if !matches!(r, Value::Complex(..)) {
                let tn = m.type_name_of(&r);
                return Err(m.type_error(format!("__complex__ returned non-complex (type {tn})")));
            }
        }
    }
    if !is_number(m, &r) {
        let tn = m.type_name_of(&r);
        return Err(m.type_error(format!(
            "complex() first argument must be a string or a number, not '{tn}'"
        )));
    }
    if let Some(iv) = &i {
        if !is_number(m, iv) {
            let tn = m.type_name_of(iv);
            return Err(m.type_error(format!(
                "complex() second argument must be a number, not '{tn}'"
            )));
        }
    }
    let (cr, cr_is_complex) = match r {
        Value::Complex(re, im) => ((re, im), true),
        ref v => ((as_double(m, v)?, 0.0), false),
    };
    let (ci_real, ci_imag, ci_is_complex) = match &i {
        None => (cr.1, 0.0, false),
        Some(Value::Complex(re, im)) => (*re, *im, true),
        Some(v) => (as_double(m, v)?, 0.0, false),
    };
    // Non-canonical inputs (complex parts) fold into the other part.
    let mut real = cr.0;
    let mut imag = ci_real;
    if ci_is_complex {
        real -= ci_imag;
    }
    if cr_is_complex && i.is_some() {
        imag += cr.1;
    }
    Ok(Value::Complex(real, imag))
}

/// `complex(s)` for a string, as `complex_from_string_inner` parses it.
fn complex_from_str(m: &mut Machine, s: &PyStr) -> PyResult<Value> {
    match crate::pycomplex::parse(&text(s)) {
        Ok((x, y)) => Ok(Value::Complex(x, y)),
        Err(crate::pycomplex::ParseError::Malformed) => {
            Err(m.new_error("ValueError", "complex() arg is a malformed string".into()))
        }
        Err(crate::pycomplex::ParseError::Underscore) => {
            let shown = crate::pyrepr::repr_str(s);
            Err(m.new_error(
                "ValueError",
                format!("could not convert string to complex: {shown}"),
            ))
        }
    }
}

// ----- complex: arithmetic ------------------------------------------------------

use crate::pycomplex::{prod as c_prod, quot as c_quot, Complex, PowError};

/// `a ** b` for complex numbers, as CPython 3.9's `complex_pow`.
pub fn complex_pow(m: &mut Machine, a: Complex, b: Complex) -> PyResult<Value> {
    match crate::pycomplex::pow(a, b) {
        Ok(p) => Ok(Value::Complex(p.0, p.1)),
        Err(PowError::ZeroToNegative) => Err(m.new_error(
            "ZeroDivisionError",
            "0.0 to a negative or complex power".into(),
        )),
        Err(PowError::Overflow) => {
            Err(m.new_error("OverflowError", "complex exponentiation".into()))
        }
    }
}

/// An operand of complex arithmetic as a complex number (`TO_COMPLEX`).
fn num_to_complex(m: &mut Machine, n: &Num) -> PyResult<Complex> {
    match n {
        Num::Int(i) => Ok((int_to_double(m, i)?, 0.0)),
        Num::Float(f) => Ok((*f, 0.0)),
        Num::Complex(re, im) => Ok((*re, *im)),
    }
}

/// `x <op> y` when either operand is complex, as CPython 3.9's
/// `complexobject.c` computes it; `NotImplemented` for operators complex
/// numbers do not have.
pub fn complex_arith(m: &mut Machine, op: BinOp, x: &Num, y: &Num) -> PyResult<Value> {
    // These fail before the operands are converted.
    match op {
        BinOp::FloorDiv => return Err(m.type_error("can't take floor of complex number.".into())),
        BinOp::Mod => return Err(m.type_error("can't mod complex numbers.".into())),
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::TrueDiv | BinOp::Pow => {}
        // No slot: the caller's dunder dispatch reports the types.
        _ => return Ok(Value::NotImplemented),
    }
    let a = num_to_complex(m, x)?;
    let b = num_to_complex(m, y)?;
    let r = match op {
        BinOp::Add => (a.0 + b.0, a.1 + b.1),
        BinOp::Sub => (a.0 - b.0, a.1 - b.1),
        BinOp::Mul => c_prod(a, b),
        BinOp::TrueDiv => match c_quot(a, b) {
            Some(r) => r,
            None => return Err(m.new_error("ZeroDivisionError", "complex division by zero".into())),
        },
        _ => return complex_pow(m, a, b),
    };
    Ok(Value::Complex(r.0, r.1))
}

// ----- complex: formatting -------------------------------------------------------

/// `format(complex(re, im), spec)`, as CPython 3.9's `format_complex_internal`.
pub fn format_complex(m: &mut Machine, re: f64, im: f64, spec: &str) -> PyResult<String> {
    pyformat::format_complex(re, im, spec).map_err(|e| format_fault(m, e))
}

// ----- the math module -------------------------------------------------------------

/// `math_1`: a one-argument function of a float. A NaN from a non-NaN
/// argument is a domain error; an infinity from a finite argument is a
/// range error when the function can overflow, else a domain error (a
/// pole).
fn math_1(
    m: &mut Machine,
    args: &Args,
    name: &str,
    f: fn(f64) -> f64,
    can_overflow: bool,
) -> PyResult<Value> {
    arg_count(m, name, args, 1, 1)?;
    let x = as_double(m, &args[0])?;
    let r = f(x);
    if r.is_nan() && !x.is_nan() {
        return Err(domain_error(m));
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow {
            range_error(m)
        } else {
            domain_error(m)
        });
    }
    Ok(Value::float(r))
}

/// How a CPython math helper set `errno`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Errno {
    Ok,
    /// `EDOM`: ValueError.
    Dom,
    /// `ERANGE`: OverflowError unless the result is small (an underflow).
    Range,
}

/// `math_1a` / `is_error`: a result with the errno its helper set.
fn math_result(m: &mut Machine, r: f64, e: Errno) -> PyResult<Value> {
    match e {
        Errno::Dom => Err(domain_error(m)),
        Errno::Range if r.abs() >= 1.5 => Err(range_error(m)),
        _ => Ok(Value::float(r)),
    }
}

/// `math_2`: a two-argument function of floats, with `math_1`'s rules.
fn math_2(m: &mut Machine, args: &Args, name: &str, f: fn(f64, f64) -> f64) -> PyResult<Value> {
    arg_count(m, name, args, 2, 2)?;
    let x = as_double(m, &args[0])?;
    let y = as_double(m, &args[1])?;
    let r = f(x, y);
    let e = if r.is_nan() && !x.is_nan() && !y.is_nan() {
        Errno::Dom
    } else if r.is_infinite() && x.is_finite() && y.is_finite() {
        Errno::Range
    } else {
        Errno::Ok
    };
    math_result(m, r, e)
}

/// `m_log`: `log` with C99's special values.
fn m_log(x: f64) -> f64 {
    if x.is_finite() {
        if x > 0.0 {
            x.ln()
        } else if x == 0.0 {
            f64::NEG_INFINITY
        } else {
            f64::NAN
        }
    } else if x.is_nan() || x > 0.0 {
        x
    } else {
        f64::NAN
    }
}

/// `m_log2` (`log2` for positive finite arguments).
fn m_log2(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x.log2()
    } else {
        m_log(x)
    }
}

/// `m_log10` (`log10` for positive finite arguments).
fn m_log10(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x.log10()
    } else {
        m_log(x)
    }
}

/// `loghelper`: ints of any size are allowed (via their binary exponent);
/// other arguments go through `math_1`.
fn loghelper(m: &mut Machine, v: &Value, func: fn(f64) -> f64, name: &str) -> PyResult<f64> {
    let big = match v {
        Value::Int(i) => Some(i.to_big()),
        Value::Bool(b) => Some(BigInt::from(u8::from(*b))),
        _ => None,
    };
    if let Some(n) = big {
        if !n.is_positive() {
            return Err(domain_error(m));
        }
        return Ok(match pyformat::int_to_f64(&n) {
            Ok(x) => func(x),
            Err(_) => {
                // Too large for a float: log(x) = log(x / 2**e) + e*log(2),
                // with x / 2**e rounded into [0.5, 1) as _PyLong_Frexp does.
                let bits = n.bits();
                let shift = bits - 64;
                let mut top = (&n >> shift).to_u64().unwrap_or(u64::MAX);
                if n.trailing_zeros().unwrap_or(0) < shift {
                    top |= 1;
                }
                let mut x = top as f64 * 2f64.powi(-64);
                let mut e = bits as f64;
                if x == 1.0 {
                    x = 0.5;
                    e += 1.0;
                }
                func(x) + func(2.0) * e
            }
        });
    }
    match math_1(m, &vec![v.clone()], name, func, false)? {
        Value::Float(r) => Ok(r.get()),
        _ => Err(Fault::Stuck("math_1 returned a non-float".into())),
    }
}

/// `math.pow(x, y)`, with C99's special cases handled explicitly.
fn math_pow(m: &mut Machine, x: f64, y: f64) -> PyResult<Value> {
    let mut e = Errno::Ok;
    let r = if !x.is_finite() || !y.is_finite() {
        if x.is_nan() {
            if y == 0.0 {
                1.0
            } else {
                x
            }
        } else if y.is_nan() {
            if x == 1.0 {
                1.0
            } else {
                y
            }
        } else if x.is_infinite() {
            let odd_y = y.is_finite() && (y.abs() % 2.0) == 1.0;
            if y > 0.0 {
                if odd_y {
                    x
                } else {
                    x.abs()
                }
            } else if y == 0.0 {
                1.0
            } else if odd_y {
                0.0f64.copysign(x)
            } else {
                0.0
            }
        } else if x.abs() == 1.0 {
            1.0
        } else if y > 0.0 && x.abs() > 1.0 {
            y
        } else if y < 0.0 && x.abs() < 1.0 {
            -y
        } else {
            0.0
        }
    } else {
        let r = x.powf(y);
        if r.is_nan() {
            e = Errno::Dom;
        } else if r.is_infinite() {
            e = if x == 0.0 { Errno::Dom } else { Errno::Range };
        }
        r
    };
    math_result(m, r, e)
}

/// `m_atan2`: `atan2` with C99's special values.
fn m_atan2(y: f64, x: f64) -> f64 {
    use std::f64::consts::PI;
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if y.is_infinite() {
        if x.is_infinite() {
            return if x.is_sign_positive() {
                (0.25 * PI).copysign(y)
            } else {
                (0.75 * PI).copysign(y)
            };
        }
        return (0.5 * PI).copysign(y);
    }
    if x.is_infinite() || y == 0.0 {
        return if x.is_sign_positive() {
            0.0f64.copysign(y)
        } else {
            PI.copysign(y)
        };
    }
    y.atan2(x)
}

/// `m_remainder`: IEEE 754 remainder, computed exactly.
fn m_remainder(x: f64, y: f64) -> f64 {
    if x.is_finite() && y.is_finite() {
        if y == 0.0 {
            return f64::NAN;
        }
        let absx = x.abs();
        let absy = y.abs();
        let m = absx % absy;
        let c = absy - m;
        let r = if m < c {
            m
        } else if m > c {
            -c
        } else {
            m - 2.0 * ((0.5 * (absx - m)) % absy)
        };
        return 1.0f64.copysign(x) * r;
    }
    if x.is_nan() {
        return x;
    }
    if y.is_nan() {
        return y;
    }
    if x.is_infinite() {
        return f64::NAN;
    }
    x
}

/// `nextafter(x, y)`.
fn next_after(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    let up = (y > x) == (x > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

/// `vector_norm` of CPython 3.9 (`math.hypot`, `math.dist`): the
/// Euclidean norm of non-negative coordinates whose maximum is `max`, from
/// the squares of the coordinates divided by `max`, summed with a running
/// compensation term.
fn vector_norm(vec: &[f64], max: f64, found_nan: bool) -> f64 {
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    let mut csum = 1.0f64;
    let mut frac = 0.0f64;
    for &v in vec {
        let x = v / max;
        let x = x * x;
        let old = csum;
        csum += x;
        frac += (old - csum) + x;
    }
    max * (csum - 1.0 + frac).sqrt()
}

/// `math.fsum`: Shewchuk's exactly rounded sum, as CPython's `math_fsum`.
fn fsum(m: &mut Machine, it: &Value) -> PyResult<Value> {
    let iter = m.get_iter(it)?;
    let mut p: Vec<f64> = Vec::new();
    let mut special_sum = 0.0f64;
    let mut inf_sum = 0.0f64;
    while let Some(item) = m.next_of(&iter)? {
        let mut x = as_double(m, &item)?;
        let xsave = x;
        let mut i = 0;
        for j in 0..p.len() {
            let mut y = p[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let yr = hi - x;
            let lo = y - yr;
            if lo != 0.0 {
                p[i] = lo;
                i += 1;
            }
            x = hi;
        }
        p.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                // A non-finite sum comes from an overflow or from an
                // infinity or NaN among the summands.
                if xsave.is_finite() {
                    return Err(
                        m.new_error("OverflowError", "intermediate overflow in fsum".into())
                    );
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special_sum += xsave;
                p.clear();
            } else {
                p.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if inf_sum.is_nan() {
            return Err(m.new_error("ValueError", "-inf + inf in fsum".into()));
        }
        return Ok(Value::float(special_sum));
    }
    let mut hi = 0.0f64;
    let mut n = p.len();
    if n > 0 {
        n -= 1;
        hi = p[n];
        let mut lo = 0.0f64;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Half-even rounding across partials: sum([1e-16, 1, 1e16]).
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(Value::float(hi))
}

/// `math.floor`/`math.ceil`: `__floor__`/`__ceil__` when the type has
/// one, else the float value rounded and made an int.
fn floor_ceil(m: &mut Machine, args: &Args, ceil: bool) -> PyResult<Value> {
    let name = if ceil { "math.ceil" } else { "math.floor" };
    arg_count(m, name, args, 1, 1)?;
    let v = &args[0];
    let x = match v {
        Value::Float(x) => x.get(),
        Value::Int(_) | Value::Bool(_) => return Ok(int_v(int_of(v))),
        _ => {
            let t = m.type_of(v);
            let dunder = if ceil { "__ceil__" } else { "__floor__" };
            if let Some(f) = m.lookup_in_mro(t, &PyStr::from(dunder)) {
                return m.call(f, vec![v.clone()], vec![]);
            }
            as_double(m, v)?
        }
    };
    double_to_int(m, if ceil { x.ceil() } else { x.floor() })
}

/// `math.comb(n, k)` and `math.perm(n, k)`.
fn comb_perm(m: &mut Machine, args: &Args, comb: bool) -> PyResult<Value> {
    let n = index_arg(m, &args[0])?;
    let k = index_arg(m, &args[1])?;
    if n.is_negative() {
        return Err(m.new_error("ValueError", "n must be a non-negative integer".into()));
    }
    if k.is_negative() {
        return Err(m.new_error("ValueError", "k must be a non-negative integer".into()));
    }
    if k > n {
        return Ok(Value::int(0));
    }
    let k = if comb { k.clone().min(&n - &k) } else { k };
    let Some(kk) = k.to_u64().filter(|k| *k <= 1_000_000) else {
        return Err(if k.to_i64().is_none() {
            m.new_error(
                "OverflowError",
                if comb {
                    "min(n - k, k) must not exceed 9223372036854775807".into()
                } else {
                    "k must not exceed 9223372036854775807".into()
                },
            )
        } else {
            m.new_error_args("MemoryError", vec![])
        });
    };
    let mut r = BigInt::one();
    for i in 0..kk {
        r *= &n - i;
        if comb {
            r /= i + 1;
        }
    }
    Ok(int_v(r))
}

/// `math.factorial(n)`: floats with integral values are accepted (with a
/// DeprecationWarning in CPython 3.9, which this does not print).
fn factorial(m: &mut Machine, v: &Value) -> PyResult<Value> {
    let n = match v {
        Value::Float(x) => {
            let x = &x.get();
            if !(x.is_finite() && x.floor() == *x) {
                return Err(m.new_error(
                    "ValueError",
                    "factorial() only accepts integral values".into(),
                ));
            }
            pyformat::f64_to_int(*x).unwrap_or_default()
        }
        _ => index_arg(m, v)?,
    };
    if n.is_negative() {
        return Err(m.new_error(
            "ValueError",
            "factorial() not defined for negative values".into(),
        ));
    }
    let Some(n) = n.to_u64().filter(|n| *n <= 100_000) else {
        return Err(if n.to_i64().is_none() {
            m.new_error(
                "OverflowError",
                "factorial() argument should not exceed 9223372036854775807".into(),
            )
        } else {
            m.new_error_args("MemoryError", vec![])
        });
    };
    let mut r = BigInt::one();
    for k in 2..=n {
        r *= k;
    }
    Ok(int_v(r))
}

/// The coordinates of a point for `math.dist`, as a tuple.
fn point(m: &mut Machine, v: &Value) -> PyResult<Vec<Value>> {
    match v {
        Value::Tuple(t) => Ok(t.to_vec()),
        _ => m.collect(v),
    }
}

/// Calls a function of the `math` module.
pub(super) fn math_function(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let name = name_of(id);
    // Errors of METH_O functions name the module (`math.sqrt()`); those
    // of Argument Clinic's METH_FASTCALL ones do not.
    let qual = format!("math.{name}");
    let name = qual.as_str();
    if !matches!(id, MathIsclose | MathProd) {
        let shown = if matches!(
            id,
            MathAtan2
                | MathCopysign
                | MathRemainder
                | MathPow
                | MathFmod
                | MathLdexp
                | MathComb
                | MathPerm
                | MathDist
                | MathNextafter
                | MathLog
                | MathHypot
                | MathGcd
                | MathLcm
        ) {
            name_of(id)
        } else {
            name
        };
        no_kwargs(m, shown, &kwargs)?;
    }
    match id {
        MathSqrt => math_1(m, &args, name, f64::sqrt, false),
        MathExp => math_1(m, &args, name, f64::exp, true),
        MathExpm1 => math_1(m, &args, name, f64::exp_m1, true),
        MathFabs => math_1(m, &args, name, f64::abs, false),
        MathSin => math_1(m, &args, name, f64::sin, false),
        MathCos => math_1(m, &args, name, f64::cos, false),
        MathTan => math_1(m, &args, name, f64::tan, false),
        MathAsin => math_1(m, &args, name, f64::asin, false),
        MathAcos => math_1(m, &args, name, f64::acos, false),
        MathAtan => math_1(m, &args, name, f64::atan, false),
        MathSinh => math_1(m, &args, name, f64::sinh, true),
        MathCosh => math_1(m, &args, name, f64::cosh, true),
        MathTanh => math_1(m, &args, name, f64::tanh, false),
        MathAsinh => math_1(m, &args, name, libm::asinh, false),
        MathAcosh => math_1(m, &args, name, libm::acosh, false),
        MathAtanh => math_1(m, &args, name, libm::atanh, false),
        MathLog1p => math_1(
            m,
            &args,
            name,
            |x| if x == 0.0 { x } else { x.ln_1p() },
            false,
        ),
        MathErf | MathErfc | MathGamma | MathLgamma => {
            arg_count(m, name, &args, 1, 1)?;
            let x = as_double(m, &args[0])?;
            let (r, e) = match id {
                MathErf => (libm::erf(x), Errno::Ok),
                MathErfc => (libm::erfc(x), Errno::Ok),
                MathGamma => libm::tgamma(x),
                _ => libm::lgamma(x),
            };
            math_result(m, r, e)
        }
        MathDegrees | MathRadians => {
            arg_count(m, name, &args, 1, 1)?;
            let x = as_double(m, &args[0])?;
            let pi = std::f64::consts::PI;
            Ok(Value::float(if id == MathDegrees {
                x * (180.0 / pi)
            } else {
                x * (pi / 180.0)
            }))
        }
        MathIsfinite | MathIsinf | MathIsnan => {
            arg_count(m, name, &args, 1, 1)?;
            let x = as_double(m, &args[0])?;
            Ok(Value::Bool(match id {
                MathIsfinite => x.is_finite(),
                MathIsinf => x.is_infinite(),
                _ => x.is_nan(),
            }))
        }
        MathFloor | MathCeil => floor_ceil(m, &args, id == MathCeil),
        MathTrunc => {
            arg_count(m, name, &args, 1, 1)?;
            let v = &args[0];
            match v {
                Value::Float(x) => double_to_int(m, x.get().trunc()),
                Value::Int(_) | Value::Bool(_) => Ok(int_v(int_of(v))),
                _ => {
                    let t = m.type_of(v);
                    match m.lookup_in_mro(t, &PyStr::from("__trunc__")) {
                        Some(f) => m.call(f, vec![v.clone()], vec![]),
                        None => {
                            let tn = m.type_name(t);
                            Err(m.type_error(format!("type {tn} doesn't define __trunc__ method")))
                        }
                    }
                }
            }
        }
        MathLog => {
            if args.is_empty() || args.len() > 2 {
                return Err(m.type_error("math.log requires 1 to 2 arguments".into()));
            }
            let num = loghelper(m, &args[0], m_log, "log")?;
            match args.get(1) {
                None => Ok(Value::float(num)),
                Some(base) => {
                    let den = loghelper(m, base, m_log, "log")?;
                    if den == 0.0 {
                        return Err(
                            m.new_error("ZeroDivisionError", "float division by zero".into())
                        );
                    }
                    Ok(Value::float(num / den))
                }
            }
        }
        MathLog2 | MathLog10 => {
            arg_count(m, name, &args, 1, 1)?;
            let f = if id == MathLog2 { m_log2 } else { m_log10 };
            Ok(Value::float(loghelper(m, &args[0], f, name)?))
        }
        MathPow => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            let x = as_double(m, &args[0])?;
            let y = as_double(m, &args[1])?;
            math_pow(m, x, y)
        }
        MathAtan2 => math_2(m, &args, name_of(id), m_atan2),
        MathCopysign => math_2(m, &args, name_of(id), f64::copysign),
        MathRemainder => math_2(m, &args, name_of(id), m_remainder),
        MathFmod => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            let x = as_double(m, &args[0])?;
            let y = as_double(m, &args[1])?;
            if y.is_infinite() && x.is_finite() {
                return Ok(Value::float(x));
            }
            let r = x % y;
            if r.is_nan() && !x.is_nan() && !y.is_nan() {
                return Err(domain_error(m));
            }
            Ok(Value::float(r))
        }
        MathHypot => {
            let mut coords = Vec::with_capacity(args.len());
            let (mut max, mut found_nan) = (0.0f64, false);
            for a in &args {
                let x = as_double(m, a)?.abs();
                found_nan |= x.is_nan();
                if x > max {
                    max = x;
                }
                coords.push(x);
            }
            Ok(Value::float(vector_norm(&coords, max, found_nan)))
        }
        MathDist => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            let p = point(m, &args[0])?;
            let q = point(m, &args[1])?;
            if p.len() != q.len() {
                return Err(m.new_error(
                    "ValueError",
                    "both points must have the same number of dimensions".into(),
                ));
            }
            let mut diffs = Vec::with_capacity(p.len());
            let (mut max, mut found_nan) = (0.0f64, false);
            for (a, b) in p.iter().zip(&q) {
                let px = as_double(m, a)?;
                let qx = as_double(m, b)?;
                let x = (px - qx).abs();
                found_nan |= x.is_nan();
                if x > max {
                    max = x;
                }
                diffs.push(x);
            }
            Ok(Value::float(vector_norm(&diffs, max, found_nan)))
        }
        MathIsclose => {
            let a = bind_args(
                m,
                "isclose",
                &args,
                &kwargs,
                &["a", "b", "rel_tol", "abs_tol"],
                (2, 2, 0),
            )?;
            let mut f = [0.0f64, 0.0, 1e-9, 0.0];
            for (slot, v) in f.iter_mut().zip(&a) {
                if let Some(v) = v {
                    *slot = as_double(m, v)?;
                }
            }
            let [a, b, rel_tol, abs_tol] = f;
            if rel_tol < 0.0 || abs_tol < 0.0 {
                return Err(m.new_error("ValueError", "tolerances must be non-negative".into()));
            }
            if a == b {
                return Ok(Value::Bool(true));
            }
            if a.is_infinite() || b.is_infinite() {
                return Ok(Value::Bool(false));
            }
            let diff = (b - a).abs();
            Ok(Value::Bool(
                diff <= (rel_tol * b).abs() || diff <= (rel_tol * a).abs() || diff <= abs_tol,
            ))
        }
        MathGcd => {
            let mut g = BigInt::zero();
            for a in &args {
                let i = index_arg(m, a)?;
                g = g.gcd(&i);
            }
            Ok(int_v(g))
        }
        MathLcm => {
            let mut r = BigInt::one();
            for (k, a) in args.iter().enumerate() {
                let i = index_arg(m, a)?;
                r = if k == 0 {
                    i.abs()
                } else if r.is_zero() || i.is_zero() {
                    BigInt::zero()
                } else {
                    (&r / r.gcd(&i) * &i).abs()
                };
            }
            Ok(int_v(r))
        }
        MathFactorial => {
            arg_count(m, name, &args, 1, 1)?;
            factorial(m, &args[0])
        }
        MathComb => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            comb_perm(m, &args, true)
        }
        MathPerm => {
            arg_count(m, name_of(id), &args, 1, 2)?;
            match args.get(1) {
                None | Some(Value::None) => factorial(m, &args[0]),
                Some(_) => comb_perm(m, &args, false),
            }
        }
        MathIsqrt => {
            arg_count(m, name, &args, 1, 1)?;
            let n = index_arg(m, &args[0])?;
            if n.is_negative() {
                return Err(
                    m.new_error("ValueError", "isqrt() argument must be nonnegative".into())
                );
            }
            Ok(int_v(n.sqrt()))
        }
        MathProd => {
            let a = bind_args(m, "prod", &args, &kwargs, &["iterable", "start"], (1, 1, 1))?;
            let Some(it) = a[0].clone() else {
                return Err(Fault::Stuck("prod: unbound argument".into()));
            };
            let mut acc = a[1].clone().unwrap_or(Value::int(1));
            let iter = m.get_iter(&it)?;
            while let Some(v) = m.next_of(&iter)? {
                acc = m.binary_op(BinOp::Mul, &acc, &v, false)?;
            }
            Ok(acc)
        }
        MathFsum => {
            arg_count(m, name, &args, 1, 1)?;
            fsum(m, &args[0])
        }
        MathModf => {
            arg_count(m, name, &args, 1, 1)?;
            let x = as_double(m, &args[0])?;
            let (f, i) = if x.is_infinite() {
                (0.0f64.copysign(x), x)
            } else if x.is_nan() {
                (x, x)
            } else {
                let i = x.trunc();
                ((x - i).copysign(x), i)
            };
            Ok(Value::tuple(vec![Value::float(f), Value::float(i)]))
        }
        MathFrexp => {
            arg_count(m, name, &args, 1, 1)?;
            let x = as_double(m, &args[0])?;
            let (f, e) = frexp(x);
            Ok(Value::tuple(vec![
                Value::float(f),
                Value::int(i64::from(e)),
            ]))
        }
        MathLdexp => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            let x = as_double(m, &args[0])?;
            let n = match &args[1] {
                Value::Int(_) | Value::Bool(_) => int_of(&args[1]),
                _ => {
                    return Err(m.type_error("Expected an int as second argument to ldexp.".into()));
                }
            };
            let n = n
                .to_i64()
                .unwrap_or(if n.is_negative() { i64::MIN } else { i64::MAX });
            if x == 0.0 || !x.is_finite() {
                return Ok(Value::float(x));
            }
            if n > i64::from(i32::MAX) {
                return Err(range_error(m));
            }
            if n < i64::from(i32::MIN) {
                return Ok(Value::float(0.0f64.copysign(x)));
            }
            let r = ldexp(x, n);
            if r.is_infinite() {
                return Err(range_error(m));
            }
            Ok(Value::float(r))
        }
        MathNextafter => {
            arg_count(m, name_of(id), &args, 2, 2)?;
            let x = as_double(m, &args[0])?;
            let y = as_double(m, &args[1])?;
            Ok(Value::float(next_after(x, y)))
        }
        MathUlp => {
            arg_count(m, name, &args, 1, 1)?;
            let x = as_double(m, &args[0])?;
            if x.is_nan() {
                return Ok(Value::float(x));
            }
            let x = x.abs();
            if x.is_infinite() {
                return Ok(Value::float(x));
            }
            let x2 = next_after(x, f64::INFINITY);
            Ok(Value::float(if x2.is_infinite() {
                x - next_after(x, f64::NEG_INFINITY)
            } else {
                x2 - x
            }))
        }
        _ => Err(Fault::Stuck(format!("math_function called for {name}"))),
    }
}

// ----- pow(base, exp, mod) -----------------------------------------------------------

/// `pow(b, e, md)` for ints, as CPython 3.9's `long_pow`: the result has
/// the sign of the modulus, and a negative exponent raises the modular
/// inverse of the base.
fn int_pow_mod(m: &mut Machine, b: BigInt, e: BigInt, md: BigInt) -> PyResult<Value> {
    if md.is_zero() {
        return Err(m.new_error("ValueError", "pow() 3rd argument cannot be 0".into()));
    }
    let modulus = md.abs();
    if modulus.is_one() {
        return Ok(Value::int(0));
    }
    let (b, e) = if e.is_negative() {
        match mod_inverse(&b, &modulus) {
            Some(inv) => (inv, -e),
            None => {
                return Err(m.new_error(
                    "ValueError",
                    "base is not invertible for the given modulus".into(),
                ))
            }
        }
    } else {
        (b.mod_floor(&modulus), e)
    };
    let r = b.modpow(&e, &modulus);
    Ok(int_v(if md.is_negative() && !r.is_zero() {
        r + md
    } else {
        r
    }))
}

/// The inverse of `a` modulo `n > 0`, if `gcd(a, n) == 1`.
fn mod_inverse(a: &BigInt, n: &BigInt) -> Option<BigInt> {
    let (mut r0, mut r1) = (a.mod_floor(n), n.clone());
    let (mut s0, mut s1) = (BigInt::one(), BigInt::zero());
    while !r1.is_zero() {
        let q = &r0 / &r1;
        let r2 = &r0 - &q * &r1;
        r0 = std::mem::replace(&mut r1, r2);
        let s2 = &s0 - &q * &s1;
        s0 = std::mem::replace(&mut s1, s2);
    }
    r0.is_one().then(|| s0.mod_floor(n))
}

// ----- C library functions Rust does not provide as glibc computes them -------------

/// Ports of the glibc 2.36 (`sysdeps/ieee754/dbl-64`, from fdlibm) and
/// CPython 3.9 (`m_tgamma`, `m_lgamma`) functions behind `math.asinh`,
/// `math.acosh`, `math.atanh`, `math.erf`, `math.erfc`, `math.gamma` and
/// `math.lgamma`. They evaluate the same operations in the same order, so
/// they round identically; `ln`, `ln_1p`, `exp`, `sin`, `cos` and `powf`
/// are the C library's.
// The constants are glibc's and CPython's, digit for digit, so that they
// can be checked against those sources; they round to the same doubles.
#[allow(clippy::excessive_precision)]
mod libm {
    use super::Errno;

    fn high_word(x: f64) -> i32 {
        (x.to_bits() >> 32) as i32
    }

    /// `__asinh`.
    pub fn asinh(x: f64) -> f64 {
        let ix = high_word(x) & 0x7fff_ffff;
        if ix < 0x3e30_0000 {
            // |x| < 2**-28: asinh(x) = x.
            return x;
        }
        let w = if ix > 0x41b0_0000 {
            if ix >= 0x7ff0_0000 {
                return x + x;
            }
            x.abs().ln() + std::f64::consts::LN_2
        } else {
            let xa = x.abs();
            if ix > 0x4000_0000 {
                (2.0 * xa + 1.0 / ((xa * xa + 1.0).sqrt() + xa)).ln()
            } else {
                let t = xa * xa;
                (xa + t / (1.0 + (1.0 + t).sqrt())).ln_1p()
            }
        };
        w.copysign(x)
    }

    /// `__ieee754_acosh`.
    pub fn acosh(x: f64) -> f64 {
        let bits = x.to_bits();
        let hx = (bits >> 32) as i32;
        let lx = bits as u32;
        if hx < 0x3ff0_0000 {
            f64::NAN
        } else if hx >= 0x41b0_0000 {
            if hx >= 0x7ff0_0000 {
                x + x
            } else {
                x.ln() + std::f64::consts::LN_2
            }
        } else if ((hx - 0x3ff0_0000) as u32 | lx) == 0 {
            0.0
        } else if hx > 0x4000_0000 {
            let t = x * x;
            (2.0 * x - 1.0 / (x + (t - 1.0).sqrt())).ln()
        } else {
            let t = x - 1.0;
            (t + (2.0 * t + t * t).sqrt()).ln_1p()
        }
    }

    /// `__ieee754_atanh`.
    pub fn atanh(x: f64) -> f64 {
        let xa = x.abs();
        let t = if xa < 0.5 {
            if xa < 2f64.powi(-28) {
                return x;
            }
            let t = xa + xa;
            0.5 * (t + t * xa / (1.0 - xa)).ln_1p()
        } else if xa < 1.0 {
            0.5 * ((xa + xa) / (1.0 - xa)).ln_1p()
        } else if xa > 1.0 {
            return f64::NAN;
        } else {
            return x / 0.0;
        };
        t.copysign(x)
    }

    const ERX: f64 = 8.450_629_115_104_675_292_97e-1;
    const EFX: f64 = 1.283_791_670_955_125_863_16e-1;
    const PP: [f64; 5] = [
        1.283_791_670_955_125_585_61e-1,
        -3.250_421_072_470_014_993_70e-1,
        -2.848_174_957_559_851_047_66e-2,
        -5.770_270_296_489_441_591_57e-3,
        -2.376_301_665_665_016_260_84e-5,
    ];
    const QQ: [f64; 6] = [
        0.0,
        3.979_172_239_591_553_528_19e-1,
        6.502_224_998_876_729_444_85e-2,
        5.081_306_281_875_765_627_76e-3,
        1.324_947_380_043_216_445_26e-4,
        -3.960_228_278_775_368_123_20e-6,
    ];
    const PA: [f64; 7] = [
        -2.362_118_560_752_659_440_77e-3,
        4.148_561_186_837_483_316_66e-1,
        -3.722_078_760_357_013_238_47e-1,
        3.183_466_199_011_617_536_74e-1,
        -1.108_946_942_823_966_774_76e-1,
        3.547_830_432_561_823_593_71e-2,
        -2.166_375_594_868_790_843_00e-3,
    ];
    const QA: [f64; 7] = [
        0.0,
        1.064_208_804_008_442_282_86e-1,
        5.403_979_177_021_710_489_37e-1,
        7.182_865_441_419_626_628_68e-2,
        1.261_712_198_087_616_421_12e-1,
        1.363_708_391_202_905_073_62e-2,
        1.198_449_984_679_910_741_70e-2,
    ];
    const RA: [f64; 8] = [
        -9.864_944_034_847_148_227_05e-3,
        -6.938_585_727_071_817_643_72e-1,
        -1.055_862_622_532_329_098_14e1,
        -6.237_533_245_032_600_603_96e1,
        -1.623_966_694_625_734_703_55e2,
        -1.846_050_929_067_110_359_94e2,
        -8.128_743_550_630_659_342_46e1,
        -9.814_329_344_169_145_485_92,
    ];
    const SA: [f64; 9] = [
        0.0,
        1.965_127_166_743_925_712_92e1,
        1.376_577_541_435_190_426_00e2,
        4.345_658_774_752_292_288_21e2,
        6.453_872_717_332_678_803_36e2,
        4.290_081_400_275_678_333_86e2,
        1.086_350_055_417_794_351_34e2,
        6.570_249_770_319_281_701_35,
        -6.042_441_521_485_809_874_38e-2,
    ];
    const RB: [f64; 7] = [
        -9.864_942_924_700_099_285_97e-3,
        -7.992_832_376_805_230_065_74e-1,
        -1.775_795_491_775_475_198_89e1,
        -1.606_363_848_558_219_160_62e2,
        -6.375_664_433_683_896_277_22e2,
        -1.025_095_131_611_077_249_54e3,
        -4.835_191_916_086_513_970_19e2,
    ];
    const SB: [f64; 8] = [
        0.0,
        3.033_806_074_348_245_829_24e1,
        3.257_925_129_965_739_188_26e2,
        1.536_729_586_084_436_959_94e3,
        3.199_858_219_508_595_539_08e3,
        2.553_050_406_433_164_425_83e3,
        4.745_285_412_069_553_672_15e2,
        -2.244_095_244_658_581_833_62e1,
    ];
    const TINY: f64 = 1e-300;

    /// The rational approximation `R/S` of erf on `|x| < 0.84375`, as
    /// glibc evaluates it (in pairs, for pipelining).
    fn small_ratio(z: f64) -> f64 {
        let r1 = PP[0] + z * PP[1];
        let z2 = z * z;
        let r2 = PP[2] + z * PP[3];
        let z4 = z2 * z2;
        let s1 = 1.0 + z * QQ[1];
        let s2 = QQ[2] + z * QQ[3];
        let s3 = QQ[4] + z * QQ[5];
        let r = r1 + z2 * r2 + z4 * PP[4];
        let s = s1 + z2 * s2 + z4 * s3;
        r / s
    }

    /// `P/Q` of erf on `0.84375 <= |x| < 1.25`, with `s = |x| - 1`.
    fn mid_ratio(s: f64) -> f64 {
        let p1 = PA[0] + s * PA[1];
        let s2 = s * s;
        let q1 = 1.0 + s * QA[1];
        let s4 = s2 * s2;
        let p2 = PA[2] + s * PA[3];
        let s6 = s4 * s2;
        let q2 = QA[2] + s * QA[3];
        let p3 = PA[4] + s * PA[5];
        let q3 = QA[4] + s * QA[5];
        let p = p1 + s2 * p2 + s4 * p3 + s6 * PA[6];
        let q = q1 + s2 * q2 + s4 * q3 + s6 * QA[6];
        p / q
    }

    /// `exp(-x*x - 0.5625 + R/S)` for `|x| >= 1.25`, `x >= 0`, with the
    /// rational function for the interval of `ix`.
    fn tail_exp(x: f64, ix: i32, erfc_bound: bool) -> f64 {
        let s = 1.0 / (x * x);
        let boundary = if erfc_bound { 0x4006_db6d } else { 0x4006_db6e };
        let (r, ss) = if ix < boundary {
            let r1 = RA[0] + s * RA[1];
            let s2 = s * s;
            let s1 = 1.0 + s * SA[1];
            let s4 = s2 * s2;
            let r2 = RA[2] + s * RA[3];
            let s6 = s4 * s2;
            let t2 = SA[2] + s * SA[3];
            let s8 = s4 * s4;
            let r3 = RA[4] + s * RA[5];
            let t3 = SA[4] + s * SA[5];
            let r4 = RA[6] + s * RA[7];
            let t4 = SA[6] + s * SA[7];
            (
                r1 + s2 * r2 + s4 * r3 + s6 * r4,
                s1 + s2 * t2 + s4 * t3 + s6 * t4 + s8 * SA[8],
            )
        } else {
            let r1 = RB[0] + s * RB[1];
            let s2 = s * s;
            let s1 = 1.0 + s * SB[1];
            let s4 = s2 * s2;
            let r2 = RB[2] + s * RB[3];
            let s6 = s4 * s2;
            let t2 = SB[2] + s * SB[3];
            let r3 = RB[4] + s * RB[5];
            let t3 = SB[4] + s * SB[5];
            let t4 = SB[6] + s * SB[7];
            (
                r1 + s2 * r2 + s4 * r3 + s6 * RB[6],
                s1 + s2 * t2 + s4 * t3 + s6 * t4,
            )
        };
        let z = f64::from_bits(x.to_bits() & 0xffff_ffff_0000_0000);
        (-z * z - 0.5625).exp() * ((z - x) * (z + x) + r / ss).exp()
    }

    /// glibc's `__erf`.
    pub fn erf(x: f64) -> f64 {
        let hx = high_word(x);
        let ix = hx & 0x7fff_ffff;
        if ix >= 0x7ff0_0000 {
            let i = ((hx as u32) >> 31) << 1;
            return (1 - i as i32) as f64 + 1.0 / x;
        }
        if ix < 0x3feb_0000 {
            if ix < 0x3e30_0000 {
                if ix < 0x0080_0000 {
                    return 0.0625 * (16.0 * x + (16.0 * EFX) * x);
                }
                return x + EFX * x;
            }
            let y = small_ratio(x * x);
            return x + x * y;
        }
        if ix < 0x3ff4_0000 {
            let pq = mid_ratio(x.abs() - 1.0);
            return if hx >= 0 { ERX + pq } else { -ERX - pq };
        }
        if ix >= 0x4018_0000 {
            return if hx >= 0 { 1.0 - TINY } else { TINY - 1.0 };
        }
        let ax = x.abs();
        let r = tail_exp(ax, ix, false);
        if hx >= 0 {
            1.0 - r / ax
        } else {
            r / ax - 1.0
        }
    }

    /// glibc's `__erfc`.
    pub fn erfc(x: f64) -> f64 {
        let hx = high_word(x);
        let ix = hx & 0x7fff_ffff;
        if ix >= 0x7ff0_0000 {
            return ((((hx as u32) >> 31) << 1) as f64) + 1.0 / x;
        }
        if ix < 0x3feb_0000 {
            if ix < 0x3c70_0000 {
                return 1.0 - x;
            }
            let y = small_ratio(x * x);
            if hx < 0x3fd0_0000 {
                return 1.0 - (x + x * y);
            }
            let r = x * y + (x - 0.5);
            return 0.5 - r;
        }
        if ix < 0x3ff4_0000 {
            let pq = mid_ratio(x.abs() - 1.0);
            return if hx >= 0 {
                (1.0 - ERX) - pq
            } else {
                1.0 + (ERX + pq)
            };
        }
        if ix < 0x403c_0000 {
            if hx < 0 && ix >= 0x4018_0000 {
                return 2.0 - TINY;
            }
            let ax = x.abs();
            let r = tail_exp(ax, ix, true);
            return if hx > 0 { r / ax } else { 2.0 - r / ax };
        }
        if hx > 0 {
            TINY * TINY
        } else {
            2.0 - TINY
        }
    }

    const PI: f64 = std::f64::consts::PI;
    const LOGPI: f64 = 1.144_729_885_849_400_174_143_427_351_353_058_711_647;
    const LANCZOS_G: f64 = 6.024_680_040_776_729_583_740_234_375;
    const LANCZOS_G_MINUS_HALF: f64 = 5.524_680_040_776_729_583_740_234_375;
    const LANCZOS_NUM: [f64; 13] = [
        23_531_376_880.410_759_688_572_007_674_451_636_754_734_846_804_940,
        42_919_803_642.649_098_768_957_899_047_001_988_850_926_355_848_959,
        35_711_959_237.355_668_049_440_185_451_547_166_705_960_488_635_843,
        17_921_034_426.037_209_699_919_755_754_458_931_112_671_403_265_390,
        6_039_542_586.352_028_005_064_291_644_307_297_921_069_938_842_070_8,
        1_439_720_407.311_721_673_663_223_072_794_912_393_971_548_578_677_2,
        248_874_557.862_054_156_511_460_386_413_229_423_216_321_251_278_01,
        31_426_415.585_400_194_380_614_231_628_318_205_362_874_684_987_640,
        2_876_370.628_935_372_441_225_409_051_620_849_613_599_114_537_876_8,
        186_056.265_395_223_495_040_294_989_716_045_699_282_207_842_363_28,
        8_071.672_002_365_816_210_638_002_902_272_250_613_821_851_632_502_4,
        210.824_277_751_579_345_872_509_733_920_713_362_711_669_695_802_91,
        2.506_628_274_631_000_270_164_908_177_133_837_338_626_431_079_340_8,
    ];
    const LANCZOS_DEN: [f64; 13] = [
        0.0,
        39_916_800.0,
        120_543_840.0,
        150_917_976.0,
        105_258_076.0,
        45_995_730.0,
        13_339_535.0,
        2_637_558.0,
        357_423.0,
        32_670.0,
        1_925.0,
        66.0,
        1.0,
    ];
    const GAMMA_INTEGRAL: [f64; 23] = [
        1.0,
        1.0,
        2.0,
        6.0,
        24.0,
        120.0,
        720.0,
        5040.0,
        40320.0,
        362_880.0,
        3_628_800.0,
        39_916_800.0,
        479_001_600.0,
        6_227_020_800.0,
        87_178_291_200.0,
        1_307_674_368_000.0,
        20_922_789_888_000.0,
        355_687_428_096_000.0,
        6_402_373_705_728_000.0,
        121_645_100_408_832_000.0,
        2_432_902_008_176_640_000.0,
        51_090_942_171_709_440_000.0,
        1_124_000_727_777_607_680_000.0,
    ];

    /// `m_sinpi`: `sin(pi*x)`, accurate for integral `x`.
    fn sinpi(x: f64) -> f64 {
        let y = x.abs() % 2.0;
        let n = (2.0 * y).round() as i32;
        let r = match n {
            0 => (PI * y).sin(),
            1 => (PI * (y - 0.5)).cos(),
            2 => (PI * (1.0 - y)).sin(),
            3 => -(PI * (y - 1.5)).cos(),
            _ => (PI * (y - 2.0)).sin(),
        };
        1.0f64.copysign(x) * r
    }

    /// `lanczos_sum`, for positive `x`.
    fn lanczos_sum(x: f64) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        if x < 5.0 {
            for i in (0..13).rev() {
                num = num * x + LANCZOS_NUM[i];
                den = den * x + LANCZOS_DEN[i];
            }
        } else {
            for i in 0..13 {
                num = num / x + LANCZOS_NUM[i];
                den = den / x + LANCZOS_DEN[i];
            }
        }
        num / den
    }

    /// CPython's `m_tgamma`.
    pub fn tgamma(x: f64) -> (f64, Errno) {
        if !x.is_finite() {
            if x.is_nan() || x > 0.0 {
                return (x, Errno::Ok);
            }
            return (f64::NAN, Errno::Dom);
        }
        if x == 0.0 {
            return (f64::INFINITY.copysign(x), Errno::Dom);
        }
        if x == x.floor() {
            if x < 0.0 {
                return (f64::NAN, Errno::Dom);
            }
            if x <= 23.0 {
                return (GAMMA_INTEGRAL[x as usize - 1], Errno::Ok);
            }
        }
        let absx = x.abs();
        if absx < 1e-20 {
            let r = 1.0 / x;
            return (
                r,
                if r.is_infinite() {
                    Errno::Range
                } else {
                    Errno::Ok
                },
            );
        }
        if absx > 200.0 {
            if x < 0.0 {
                return (0.0 / sinpi(x), Errno::Ok);
            }
            return (f64::INFINITY, Errno::Range);
        }
        let y = absx + LANCZOS_G_MINUS_HALF;
        let z = if absx > LANCZOS_G_MINUS_HALF {
            let q = y - absx;
            q - LANCZOS_G_MINUS_HALF
        } else {
            let q = y - LANCZOS_G_MINUS_HALF;
            q - absx
        };
        let z = z * LANCZOS_G / y;
        let mut r;
        if x < 0.0 {
            r = -PI / sinpi(absx) / absx * y.exp() / lanczos_sum(absx);
            r -= z * r;
            if absx < 140.0 {
                r /= y.powf(absx - 0.5);
            } else {
                let sqrtpow = y.powf(absx / 2.0 - 0.25);
                r /= sqrtpow;
                r /= sqrtpow;
            }
        } else {
            r = lanczos_sum(absx) / y.exp();
            r += z * r;
            if absx < 140.0 {
                r *= y.powf(absx - 0.5);
            } else {
                let sqrtpow = y.powf(absx / 2.0 - 0.25);
                r *= sqrtpow;
                r *= sqrtpow;
            }
        }
        (
            r,
            if r.is_infinite() {
                Errno::Range
            } else {
                Errno::Ok
            },
        )
    }

    /// CPython's `m_lgamma`.
    pub fn lgamma(x: f64) -> (f64, Errno) {
        if !x.is_finite() {
            if x.is_nan() {
                return (x, Errno::Ok);
            }
            return (f64::INFINITY, Errno::Ok);
        }
        if x == x.floor() && x <= 2.0 {
            if x <= 0.0 {
                return (f64::INFINITY, Errno::Dom);
            }
            return (0.0, Errno::Ok);
        }
        let absx = x.abs();
        if absx < 1e-20 {
            return (-absx.ln(), Errno::Ok);
        }
        let mut r = lanczos_sum(absx).ln() - LANCZOS_G;
        r += (absx - 0.5) * ((absx + LANCZOS_G - 0.5).ln() - 1.0);
        if x < 0.0 {
            r = LOGPI - sinpi(absx).abs().ln() - absx.ln() - r;
        }
        (
            r,
            if r.is_infinite() {
                Errno::Range
            } else {
                Errno::Ok
            },
        )
    }
}

/// `pow(a, b, c)` with a modulus when not all three are ints:
/// CPython's `ternary_op` tries the `nb_power` slot of each distinct type
/// in turn. `float` refuses a modulus, `complex` too (with a ValueError),
/// `int` declines non-int operands, and a class's `__pow__` is only called
/// for the first operand (3-argument power never uses `__rpow__`).
pub(super) fn ternary_pow(m: &mut Machine, a: &Value, b: &Value, c: &Value) -> PyResult<Value> {
    let is_int = |v: &Value| matches!(v, Value::Int(_) | Value::Bool(_));
    if is_int(a) && is_int(b) && is_int(c) {
        return int_pow_mod(m, int_of(a), int_of(b), int_of(c));
    }
    let mut seen: Vec<ObjId> = Vec::new();
    for (k, v) in [a, b, c].into_iter().enumerate() {
        let t = m.type_of(v);
        if seen.contains(&t) {
            continue;
        }
        seen.push(t);
        match v {
            Value::Float(_) => {
                return Err(m.type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers".into(),
                ))
            }
            Value::Complex(..) => return Err(m.new_error("ValueError", "complex modulo".into())),
            Value::Obj(_) if k == 0 => {
                if let Some(f) = m.lookup_in_mro(t, &PyStr::from("__pow__")) {
                    if !m.is_builtin_slot(&f) {
                        let r = m.call(f, vec![a.clone(), b.clone(), c.clone()], vec![])?;
                        if !matches!(r, Value::NotImplemented) {
                            return Ok(r);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let (x, y, z) = (m.type_name_of(a), m.type_name_of(b), m.type_name_of(c));
    Err(m.type_error(format!(
        "unsupported operand type(s) for pow(): '{x}', '{y}', '{z}'"
    )))
}

/// `divmod(a, b)`: numbers natively (complex numbers have no floor), other
/// operands through `__divmod__`/`__rdivmod__`, reflected first when the
/// right operand's type is a subclass of the left's, as `binary_op` does.
pub(super) fn divmod(m: &mut Machine, a: &Value, b: &Value) -> PyResult<Value> {
    use crate::interp::ops::num_of;
    if let (Some(x), Some(y)) = (num_of(a), num_of(b)) {
        if matches!(x, Num::Complex(..)) || matches!(y, Num::Complex(..)) {
            return Err(m.type_error("can't take floor or mod of complex number.".into()));
        }
        if matches!(x, Num::Float(_)) || matches!(y, Num::Float(_)) {
            // `float_divmod` converts both operands before its zero check.
            num_to_complex(m, &x)?;
            if num_to_complex(m, &y)?.0 == 0.0 {
                return Err(m.new_error("ZeroDivisionError", "float divmod()".into()));
            }
        }
        let q = m.binary_op(BinOp::FloorDiv, a, b, false)?;
        let r = m.binary_op(BinOp::Mod, a, b, false)?;
        return Ok(Value::tuple(vec![q, r]));
    }
    let (ta, tb) = (m.type_of(a), m.type_of(b));
    let user = |m: &Machine, t: ObjId, name: &str| {
        m.lookup_in_mro(t, &PyStr::from(name))
            .filter(|f| !m.is_builtin_slot(f))
    };
    let fwd = user(m, ta, "__divmod__");
    let rev = if ta == tb {
        None
    } else {
        user(m, tb, "__rdivmod__")
    };
    let rev_first = rev.is_some() && m.is_subtype(tb, ta);
    let mut attempts: Vec<(Value, Value, Value)> = Vec::new();
    if rev_first {
        attempts.extend(rev.clone().map(|f| (f, b.clone(), a.clone())));
    }
    attempts.extend(fwd.map(|f| (f, a.clone(), b.clone())));
    if !rev_first {
        attempts.extend(rev.map(|f| (f, b.clone(), a.clone())));
    }
    for (f, x, y) in attempts {
        let r = m.call(f, vec![x, y], vec![])?;
        if !matches!(r, Value::NotImplemented) {
            return Ok(r);
        }
    }
    let (na, nb) = (m.type_name(ta), m.type_name(tb));
    Err(m.type_error(format!(
        "unsupported operand type(s) for divmod(): '{na}' and '{nb}'"
    )))
}

/// `a ** b` for floats (and ints with a negative exponent), as CPython
/// 3.9's `float_pow`: IEEE special values handled explicitly, a negative
/// base to a fractional power giving a complex result, and an overflow
/// raising `OverflowError(34, 'Numerical result out of range')`.
pub fn float_pow(m: &mut Machine, iv: f64, iw: f64) -> PyResult<Value> {
    let is_odd_integer = |w: f64| w.is_finite() && (w.abs() % 2.0) == 1.0;
    if iw == 0.0 {
        return Ok(Value::float(1.0));
    }
    if iv.is_nan() {
        return Ok(Value::float(iv));
    }
    if iw.is_nan() {
        return Ok(Value::float(if iv == 1.0 { 1.0 } else { iw }));
    }
    if iw.is_infinite() {
        let av = iv.abs();
        return Ok(Value::float(if av == 1.0 {
            1.0
        } else if (iw > 0.0) == (av > 1.0) {
            iw.abs()
        } else {
            0.0
        }));
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Ok(Value::float(if iw > 0.0 {
            if odd {
                iv
            } else {
                iv.abs()
            }
        } else if odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        }));
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(m.new_error(
                "ZeroDivisionError",
                "0.0 cannot be raised to a negative power".into(),
            ));
        }
        // 0.0 ** odd is 0.0 with the base's sign.
        return Ok(Value::float(if is_odd_integer(iw) { iv } else { 0.0 }));
    }
    let mut base = iv;
    let mut negate = false;
    if iv < 0.0 {
        if iw != iw.floor() {
            return complex_pow(m, (iv, 0.0), (iw, 0.0));
        }
        base = -iv;
        negate = is_odd_integer(iw);
    }
    if base == 1.0 {
        return Ok(Value::float(if negate { -1.0 } else { 1.0 }));
    }
    let r = base.powf(iw);
    if r.is_infinite() {
        return Err(m.new_error_args(
            "OverflowError",
            vec![Value::int(34), Value::str("Numerical result out of range")],
        ));
    }
    Ok(Value::float(if negate { -r } else { r }))
}
