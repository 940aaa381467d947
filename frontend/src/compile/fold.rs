//! Constant folding as CPython 3.9's AST optimizer (`Python/ast_opt.c`)
//! does it, evaluated on demand: [`fold`] returns the constant an
//! expression becomes after optimization, or `None` when it stays an
//! expression (not constant, or an operation CPython refuses to fold
//! because it raises or its result would be too large).

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};
use pyreg_spec::code::{Constant, PyStr};
use rustpython_parser::ast::{self, Expr, Ranged};
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    /// The source being compiled on this thread, and whether a string
    /// literal in it could not be decoded (see [`constant_of`]).
    static SOURCE: RefCell<(Option<Arc<str>>, Option<u32>)> = const { RefCell::new((None, None)) };
}

/// Makes `source` the text [`constant_of`] reads literals from.
pub fn set_source(source: &str) {
    SOURCE.with(|s| *s.borrow_mut() = (Some(source.into()), None));
}

/// The byte offset of a string literal [`constant_of`] could not decode
/// since [`set_source`], if any.
pub fn undecodable_literal() -> Option<u32> {
    SOURCE.with(|s| s.borrow().1)
}

/// The constant of a literal node. The parser cannot represent lone
/// surrogates (`"\udc80"` is legal Python) and puts U+FFFD in their place;
/// such a string is decoded again from its source text.
pub fn constant_of(c: &ast::ExprConstant) -> Constant {
    if let ast::Constant::Str(s) = &c.value {
        if s.contains('\u{FFFD}') {
            let start = usize::from(c.range().start());
            let end = usize::from(c.range().end());
            let decoded = SOURCE.with(|src| {
                let src = src.borrow();
                let text = src.0.as_ref()?.get(start..end)?.to_string();
                decode_literals(&text)
            });
            match decoded {
                Some(points) => return Constant::Str(PyStr::from_code_points(&points)),
                None => SOURCE.with(|src| {
                    src.borrow_mut().1.get_or_insert(start as u32);
                }),
            }
        }
    }
    from_ast(&c.value)
}

/// The value of adjacent plain string literals (`'a' "b"`), from their
/// source text; `None` for f-strings, bytes, `\N{...}` escapes, or text
/// that is not literals.
fn decode_literals(text: &str) -> Option<Vec<u32>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        // Whitespace, line continuations and comments between literals.
        while i < chars.len() {
            match chars[i] {
                ' ' | '\t' | '\n' | '\r' | '\x0c' | '(' | ')' => i += 1,
                '\\' => i += 1,
                '#' => {
                    while i < chars.len() && chars[i] != '\n' {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        if i >= chars.len() {
            return Some(out);
        }
        let mut raw = false;
        while i < chars.len() && chars[i].is_ascii_alphabetic() {
            match chars[i] {
                'r' | 'R' => raw = true,
                'u' | 'U' => {}
                _ => return None,
            }
            i += 1;
        }
        let q = *chars.get(i)?;
        if q != '\'' && q != '"' {
            return None;
        }
        let triple = chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q);
        i += if triple { 3 } else { 1 };
        loop {
            let c = *chars.get(i)?;
            if c == q && (!triple || (chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q)))
            {
                i += if triple { 3 } else { 1 };
                break;
            }
            if c != '\\' {
                out.push(u32::from(c));
                i += 1;
                continue;
            }
            let e = *chars.get(i + 1)?;
            if raw {
                out.push(u32::from('\\'));
                out.push(u32::from(e));
                i += 2;
                continue;
            }
            i += 2;
            let hex = |from: usize, n: usize| -> Option<u32> {
                let s: String = chars.get(from..from + n)?.iter().collect();
                u32::from_str_radix(&s, 16).ok()
            };
            match e {
                '\n' => {}
                '\\' | '\'' | '"' => out.push(u32::from(e)),
                'a' => out.push(7),
                'b' => out.push(8),
                'f' => out.push(12),
                'n' => out.push(10),
                'r' => out.push(13),
                't' => out.push(9),
                'v' => out.push(11),
                'x' => {
                    out.push(hex(i, 2)?);
                    i += 2;
                }
                'u' => {
                    out.push(hex(i, 4)?);
                    i += 4;
                }
                'U' => {
                    out.push(hex(i, 8)?);
                    i += 8;
                }
                '0'..='7' => {
                    let mut v = e.to_digit(8)?;
                    let mut n = 1;
                    while n < 3 {
                        match chars.get(i).and_then(|c| c.to_digit(8)) {
                            Some(d) => {
                                v = v * 8 + d;
                                i += 1;
                                n += 1;
                            }
                            None => break,
                        }
                    }
                    out.push(v);
                }
                _ => {
                    out.push(u32::from('\\'));
                    out.push(u32::from(e));
                }
            }
        }
    }
}

/// Results larger than these are left to run time (`ast_opt.c`).
const MAX_INT_SIZE: u64 = 128;
const MAX_COLLECTION_SIZE: usize = 256;
const MAX_STR_SIZE: usize = 4096;
const MAX_TOTAL_ITEMS: usize = 1024;

/// Converts a parser constant.
pub fn from_ast(c: &ast::Constant) -> Constant {
    match c {
        ast::Constant::None => Constant::None,
        ast::Constant::Bool(b) => Constant::Bool(*b),
        ast::Constant::Str(s) => Constant::Str(PyStr::from(s.as_str())),
        ast::Constant::Bytes(b) => Constant::Bytes(b.as_slice().into()),
        ast::Constant::Int(i) => Constant::Int(i.clone()),
        ast::Constant::Tuple(t) => Constant::Tuple(t.iter().map(from_ast).collect()),
        ast::Constant::Float(f) => Constant::Float(*f),
        ast::Constant::Complex { real, imag } => Constant::Complex(*real, *imag),
        ast::Constant::Ellipsis => Constant::Ellipsis,
    }
}

/// Python truth of a constant.
pub fn truthy(c: &Constant) -> bool {
    match c {
        Constant::None => false,
        Constant::Bool(b) => *b,
        Constant::Ellipsis | Constant::Code(_) => true,
        Constant::Int(i) => !i.is_zero(),
        Constant::Float(f) => *f != 0.0,
        Constant::Complex(r, i) => *r != 0.0 || *i != 0.0,
        Constant::Str(s) => match s {
            PyStr::Utf8(s) => !s.is_empty(),
            PyStr::CodePoints(p) => !p.is_empty(),
        },
        Constant::Bytes(b) => !b.is_empty(),
        Constant::Tuple(t) | Constant::FrozenSet(t) => !t.is_empty(),
    }
}

/// The constant `e` folds to, if any.
pub fn fold(e: &Expr) -> Option<Constant> {
    match e {
        Expr::Constant(c) => Some(constant_of(c)),
        Expr::UnaryOp(u) => unary(u.op, fold(&u.operand)?),
        Expr::BinOp(b) => {
            let l = fold(&b.left)?;
            let r = fold(&b.right)?;
            binary(b.op, &l, &r)
        }
        Expr::Tuple(t) if t.ctx == ast::ExprContext::Load => {
            let items: Option<Vec<Constant>> = t.elts.iter().map(fold).collect();
            Some(Constant::Tuple(items?.into()))
        }
        Expr::Subscript(s) if s.ctx == ast::ExprContext::Load => {
            subscript(&fold(&s.value)?, &fold(&s.slice)?)
        }
        Expr::Name(n) if n.ctx == ast::ExprContext::Load && n.id.as_str() == "__debug__" => {
            Some(Constant::Bool(true))
        }
        _ => None,
    }
}

/// `fold_iter`: the iterable of a `for` or comprehension, and the right
/// operand of `in`: a list becomes a tuple, a set of constants a frozenset.
pub fn fold_iter(e: &Expr) -> Option<Constant> {
    match e {
        Expr::List(l) => {
            let items: Option<Vec<Constant>> = l.elts.iter().map(fold).collect();
            Some(Constant::Tuple(items?.into()))
        }
        Expr::Set(s) => {
            let items: Option<Vec<Constant>> = s.elts.iter().map(fold).collect();
            let mut uniq: Vec<Constant> = Vec::new();
            for i in items? {
                if !uniq.iter().any(|u| same_key(u, &i)) {
                    uniq.push(i);
                }
            }
            Some(Constant::FrozenSet(uniq.into()))
        }
        _ => fold(e),
    }
}

/// Whether `e` is a list literal that `fold_iter` turns into a tuple
/// (without starred items) even when not all items are constant.
pub fn list_becomes_tuple(e: &Expr) -> Option<&[Expr]> {
    match e {
        Expr::List(l) if !l.elts.iter().any(|x| matches!(x, Expr::Starred(_))) => Some(&l.elts),
        _ => None,
    }
}

fn same_key(a: &Constant, b: &Constant) -> bool {
    super::ConstKey::of(a) == super::ConstKey::of(b)
}

fn as_int(c: &Constant) -> Option<BigInt> {
    match c {
        Constant::Int(i) => Some(i.clone()),
        Constant::Bool(b) => Some(BigInt::from(u8::from(*b))),
        _ => None,
    }
}

fn as_float(c: &Constant) -> Option<f64> {
    match c {
        Constant::Float(f) => Some(*f),
        _ => {
            let f = as_int(c)?.to_f64()?;
            f.is_finite().then_some(f)
        }
    }
}

fn as_complex(c: &Constant) -> Option<(f64, f64)> {
    match c {
        Constant::Complex(r, i) => Some((*r, *i)),
        _ => Some((as_float(c)?, 0.0)),
    }
}

fn unary(op: ast::UnaryOp, v: Constant) -> Option<Constant> {
    use ast::UnaryOp as U;
    match op {
        U::Not => Some(Constant::Bool(!truthy(&v))),
        U::USub => match v {
            Constant::Float(f) => Some(Constant::Float(-f)),
            Constant::Complex(r, i) => Some(Constant::Complex(-r, -i)),
            _ => Some(Constant::Int(-as_int(&v)?)),
        },
        U::UAdd => match v {
            Constant::Float(_) | Constant::Complex(..) => Some(v),
            _ => Some(Constant::Int(as_int(&v)?)),
        },
        U::Invert => Some(Constant::Int(!as_int(&v)?)),
    }
}

fn bits(i: &BigInt) -> u64 {
    i.bits()
}

fn str_len(s: &PyStr) -> usize {
    match s {
        PyStr::Utf8(s) => s.chars().count(),
        PyStr::CodePoints(p) => p.len(),
    }
}

fn total_items(c: &Constant) -> usize {
    match c {
        Constant::Tuple(t) | Constant::FrozenSet(t) => {
            t.len() + t.iter().map(total_items).sum::<usize>()
        }
        _ => 0,
    }
}

fn repeat(seq: &Constant, n: &BigInt) -> Option<Constant> {
    let n = n.to_i64()?;
    let count = usize::try_from(n.max(0)).ok()?;
    match seq {
        Constant::Str(s) => {
            let len = str_len(s);
            if len > 0 && (n < 0 || count > MAX_STR_SIZE / len) {
                return None;
            }
            let points = s.code_points();
            let mut out = Vec::with_capacity(points.len() * count);
            for _ in 0..count {
                out.extend_from_slice(&points);
            }
            Some(Constant::Str(PyStr::from_code_points(&out)))
        }
        Constant::Bytes(b) => {
            if !b.is_empty() && (n < 0 || count > MAX_STR_SIZE / b.len()) {
                return None;
            }
            Some(Constant::Bytes(b.repeat(count).into()))
        }
        Constant::Tuple(t) => {
            if !t.is_empty() {
                if n < 0 || count > MAX_COLLECTION_SIZE / t.len() {
                    return None;
                }
                if count > 0 && total_items(seq) > MAX_TOTAL_ITEMS / count {
                    return None;
                }
            }
            let mut out = Vec::with_capacity(t.len() * count);
            for _ in 0..count {
                out.extend(t.iter().cloned());
            }
            Some(Constant::Tuple(out.into()))
        }
        _ => None,
    }
}

fn is_seq(c: &Constant) -> bool {
    matches!(
        c,
        Constant::Str(_) | Constant::Bytes(_) | Constant::Tuple(_)
    )
}

fn binary(op: ast::Operator, l: &Constant, r: &Constant) -> Option<Constant> {
    use ast::Operator as O;
    // Sequences first: concatenation and repetition.
    match (op, l, r) {
        (O::Add, Constant::Str(a), Constant::Str(b)) => {
            // ast_opt.c limits repetition, not concatenation.
            let mut p = a.code_points();
            p.extend(b.code_points());
            return Some(Constant::Str(PyStr::from_code_points(&p)));
        }
        (O::Add, Constant::Bytes(a), Constant::Bytes(b)) => {
            let mut v = a.to_vec();
            v.extend_from_slice(b);
            return Some(Constant::Bytes(v.into()));
        }
        (O::Add, Constant::Tuple(a), Constant::Tuple(b)) => {
            let v: Vec<Constant> = a.iter().chain(b.iter()).cloned().collect();
            return Some(Constant::Tuple(v.into()));
        }
        (O::Mult, s, n) if is_seq(s) => return repeat(s, &as_int(n)?),
        (O::Mult, n, s) if is_seq(s) => return repeat(s, &as_int(n)?),
        _ => {}
    }
    if is_seq(l) || is_seq(r) {
        return None;
    }
    if let (Constant::Bool(a), Constant::Bool(b)) = (l, r) {
        match op {
            O::BitAnd => return Some(Constant::Bool(*a & *b)),
            O::BitOr => return Some(Constant::Bool(*a | *b)),
            O::BitXor => return Some(Constant::Bool(*a ^ *b)),
            _ => {}
        }
    }
    if let (Some(a), Some(b)) = (as_int(l), as_int(r)) {
        return int_op(op, &a, &b);
    }
    if matches!(l, Constant::Complex(..)) || matches!(r, Constant::Complex(..)) {
        let (a, b) = (as_complex(l)?, as_complex(r)?);
        return match op {
            O::Add => Some(Constant::Complex(a.0 + b.0, a.1 + b.1)),
            O::Sub => Some(Constant::Complex(a.0 - b.0, a.1 - b.1)),
            O::Mult => Some(Constant::Complex(
                a.0 * b.0 - a.1 * b.1,
                a.0 * b.1 + a.1 * b.0,
            )),
            O::Div => pyreg_spec::pycomplex::quot(a, b).map(|(x, y)| Constant::Complex(x, y)),
            O::Pow => complex_pow(a, b).map(|(x, y)| Constant::Complex(x, y)),
            _ => None,
        };
    }
    let (a, b) = (as_float(l)?, as_float(r)?);
    if op == ast::Operator::Pow && a < 0.0 && b.fract() != 0.0 && b.is_finite() {
        // A negative base to a fractional power is complex (float_pow).
        return complex_pow((a, 0.0), (b, 0.0)).map(|(x, y)| Constant::Complex(x, y));
    }
    float_op(op, a, b).map(Constant::Float)
}

fn int_op(op: ast::Operator, a: &BigInt, b: &BigInt) -> Option<Constant> {
    use ast::Operator as O;
    let int = |i: BigInt| Some(Constant::Int(i));
    match op {
        O::Add => int(a + b),
        O::Sub => int(a - b),
        O::Mult => {
            if !a.is_zero() && !b.is_zero() && bits(a) + bits(b) > MAX_INT_SIZE {
                return None;
            }
            int(a * b)
        }
        O::FloorDiv => (!b.is_zero()).then(|| Constant::Int(a.div_floor(b))),
        O::Mod => (!b.is_zero()).then(|| Constant::Int(a.mod_floor(b))),
        O::Div => {
            if b.is_zero() {
                return None;
            }
            // Correctly rounded only when both are exact doubles.
            let limit = BigInt::from(1u64 << 53);
            if a.abs() > limit || b.abs() > limit {
                return None;
            }
            Some(Constant::Float(a.to_f64()? / b.to_f64()?))
        }
        O::Pow => {
            if b.is_negative() {
                let (x, y) = (a.to_f64()?, b.to_f64()?);
                if x == 0.0 {
                    return None;
                }
                let r = x.powf(y);
                return r.is_finite().then_some(Constant::Float(r));
            }
            let e = b.to_u64()?;
            if e > 0 && bits(a) > MAX_INT_SIZE / e {
                return None;
            }
            int(num_traits::pow(a.clone(), usize::try_from(e).ok()?))
        }
        O::LShift => {
            if b.is_negative() {
                return None;
            }
            if !a.is_zero() && !b.is_zero() {
                let w = b.to_u64()?;
                if w > MAX_INT_SIZE || bits(a) > MAX_INT_SIZE - w {
                    return None;
                }
            }
            int(a << usize::try_from(b.to_u64()?).ok()?)
        }
        O::RShift => {
            if b.is_negative() {
                return None;
            }
            let s = b.to_u64().unwrap_or(u64::MAX);
            if s > bits(a) {
                return int(if a.is_negative() {
                    BigInt::from(-1)
                } else {
                    BigInt::zero()
                });
            }
            int(a >> usize::try_from(s).ok()?)
        }
        O::BitAnd => int(a & b),
        O::BitOr => int(a | b),
        O::BitXor => int(a ^ b),
        O::MatMult => None,
    }
}

fn float_op(op: ast::Operator, a: f64, b: f64) -> Option<f64> {
    use ast::Operator as O;
    match op {
        O::Add => Some(a + b),
        O::Sub => Some(a - b),
        O::Mult => Some(a * b),
        O::Div => (b != 0.0).then(|| a / b),
        O::FloorDiv | O::Mod => {
            if b == 0.0 {
                return None;
            }
            // float_divmod in Objects/floatobject.c.
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
            Some(if op == O::Mod { m } else { floordiv })
        }
        O::Pow => {
            if a == 0.0 && b < 0.0 {
                return None;
            }
            if a < 0.0 && b.fract() != 0.0 {
                return None;
            }
            let r = a.powf(b);
            (r.is_finite() || !a.is_finite() || !b.is_finite()).then_some(r)
        }
        _ => None,
    }
}

fn subscript(v: &Constant, k: &Constant) -> Option<Constant> {
    let i = match k {
        Constant::Int(i) => i.to_i64()?,
        Constant::Bool(b) => i64::from(*b),
        _ => return None,
    };
    let index = |len: usize| -> Option<usize> {
        let len = i64::try_from(len).ok()?;
        let j = if i < 0 { i + len } else { i };
        (0..len).contains(&j).then_some(j as usize)
    };
    match v {
        Constant::Str(s) => {
            let p = s.code_points();
            Some(Constant::Str(PyStr::from_code_points(
                &[p[index(p.len())?]],
            )))
        }
        Constant::Bytes(b) => Some(Constant::Int(BigInt::from(b[index(b.len())?]))),
        Constant::Tuple(t) => Some(t[index(t.len())?].clone()),
        _ => None,
    }
}

/// A tuple constant from already-folded items.
pub fn tuple(items: Vec<Constant>) -> Constant {
    Constant::Tuple(Arc::from(items))
}

type C = pyreg_spec::pycomplex::Complex;

/// `complex_pow` (Objects/complexobject.c); `None` where CPython raises.
fn complex_pow(a: C, b: C) -> Option<C> {
    pyreg_spec::pycomplex::pow(a, b).ok()
}
