//! Expressions back to source text, as CPython 3.9's `Python/ast_unparse.c`
//! writes them: the strings `from __future__ import annotations` stores in
//! place of annotations.

use pyreg_spec::pyrepr::repr_constant;
use rustpython_parser::ast::{self, Expr};

/// Operator precedences of `ast_unparse.c`, lowest first.
const PR_TUPLE: u8 = 0;
const PR_TEST: u8 = 1;
const PR_OR: u8 = 2;
const PR_AND: u8 = 3;
const PR_NOT: u8 = 4;
const PR_CMP: u8 = 5;
const PR_EXPR: u8 = 6;
const PR_BOR: u8 = PR_EXPR;
const PR_BXOR: u8 = 7;
const PR_BAND: u8 = 8;
const PR_SHIFT: u8 = 9;
const PR_ARITH: u8 = 10;
const PR_TERM: u8 = 11;
const PR_FACTOR: u8 = 12;
const PR_POWER: u8 = 13;
const PR_AWAIT: u8 = 14;
const PR_ATOM: u8 = 15;

/// The text of `e`, or `None` for a form this unparser does not write
/// (f-strings and the like).
pub fn unparse(e: &Expr) -> Option<String> {
    let mut out = String::new();
    expr(&mut out, e, PR_TEST)?;
    Some(out)
}

fn paren(out: &mut String, open: bool, f: impl FnOnce(&mut String) -> Option<()>) -> Option<()> {
    if open {
        out.push('(');
    }
    f(out)?;
    if open {
        out.push(')');
    }
    Some(())
}

fn seq(out: &mut String, items: &[Expr], level: u8) -> Option<()> {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        expr(out, x, level)?;
    }
    Some(())
}

fn constant(out: &mut String, c: &ast::Constant) {
    if matches!(c, ast::Constant::Ellipsis) {
        out.push_str("...");
        return;
    }
    let k = super::fold::from_ast(c);
    let r = repr_constant(&k);
    // An infinite float reads back as 1e309 (`append_repr`).
    if matches!(c, ast::Constant::Float(_) | ast::Constant::Complex { .. }) {
        out.push_str(&r.replace("inf", "1e309"));
    } else {
        out.push_str(&r);
    }
}

fn binop(op: ast::Operator) -> (&'static str, u8) {
    use ast::Operator as O;
    match op {
        O::Add => ("+", PR_ARITH),
        O::Sub => ("-", PR_ARITH),
        O::Mult => ("*", PR_TERM),
        O::MatMult => ("@", PR_TERM),
        O::Div => ("/", PR_TERM),
        O::Mod => ("%", PR_TERM),
        O::FloorDiv => ("//", PR_TERM),
        O::Pow => ("**", PR_POWER),
        O::LShift => ("<<", PR_SHIFT),
        O::RShift => (">>", PR_SHIFT),
        O::BitOr => ("|", PR_BOR),
        O::BitXor => ("^", PR_BXOR),
        O::BitAnd => ("&", PR_BAND),
    }
}

fn cmpop(op: ast::CmpOp) -> &'static str {
    use ast::CmpOp as C;
    match op {
        C::Eq => "==",
        C::NotEq => "!=",
        C::Lt => "<",
        C::LtE => "<=",
        C::Gt => ">",
        C::GtE => ">=",
        C::Is => "is",
        C::IsNot => "is not",
        C::In => "in",
        C::NotIn => "not in",
    }
}

fn comprehensions(out: &mut String, gens: &[ast::Comprehension]) -> Option<()> {
    for g in gens {
        out.push_str(if g.is_async { " async for " } else { " for " });
        expr(out, &g.target, PR_TUPLE)?;
        out.push_str(" in ");
        expr(out, &g.iter, PR_TEST + 1)?;
        for c in &g.ifs {
            out.push_str(" if ");
            expr(out, c, PR_TEST + 1)?;
        }
    }
    Some(())
}

fn expr(out: &mut String, e: &Expr, level: u8) -> Option<()> {
    match e {
        Expr::BoolOp(b) => {
            let (op, pr) = if b.op == ast::BoolOp::And {
                (" and ", PR_AND)
            } else {
                (" or ", PR_OR)
            };
            paren(out, level > pr, |out| {
                for (i, v) in b.values.iter().enumerate() {
                    if i > 0 {
                        out.push_str(op);
                    }
                    expr(out, v, pr + 1)?;
                }
                Some(())
            })
        }
        Expr::BinOp(b) => {
            let (op, pr) = binop(b.op);
            let rassoc = u8::from(b.op == ast::Operator::Pow);
            paren(out, level > pr, |out| {
                expr(out, &b.left, pr + rassoc)?;
                out.push(' ');
                out.push_str(op);
                out.push(' ');
                expr(out, &b.right, pr + 1 - rassoc)
            })
        }
        Expr::UnaryOp(u) => {
            let (op, pr) = match u.op {
                ast::UnaryOp::Invert => ("~", PR_FACTOR),
                ast::UnaryOp::Not => ("not ", PR_NOT),
                ast::UnaryOp::UAdd => ("+", PR_FACTOR),
                ast::UnaryOp::USub => ("-", PR_FACTOR),
            };
            paren(out, level > pr, |out| {
                out.push_str(op);
                expr(out, &u.operand, pr)
            })
        }
        Expr::IfExp(i) => paren(out, level > PR_TEST, |out| {
            expr(out, &i.body, PR_TEST + 1)?;
            out.push_str(" if ");
            expr(out, &i.test, PR_TEST + 1)?;
            out.push_str(" else ");
            expr(out, &i.orelse, PR_TEST)
        }),
        Expr::Dict(d) => {
            out.push('{');
            for (i, (k, v)) in d.keys.iter().zip(&d.values).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match k {
                    Some(k) => {
                        expr(out, k, PR_TEST)?;
                        out.push_str(": ");
                        expr(out, v, PR_TEST)?;
                    }
                    None => {
                        out.push_str("**");
                        expr(out, v, PR_EXPR)?;
                    }
                }
            }
            out.push('}');
            Some(())
        }
        Expr::Set(s) => {
            if s.elts.is_empty() {
                out.push_str("{*()}");
                return Some(());
            }
            out.push('{');
            seq(out, &s.elts, PR_TEST)?;
            out.push('}');
            Some(())
        }
        Expr::List(l) => {
            out.push('[');
            seq(out, &l.elts, PR_TEST)?;
            out.push(']');
            Some(())
        }
        Expr::Tuple(t) => {
            if t.elts.is_empty() {
                out.push_str("()");
                return Some(());
            }
            paren(out, level > PR_TUPLE, |out| {
                seq(out, &t.elts, PR_TEST)?;
                if t.elts.len() == 1 {
                    out.push(',');
                }
                Some(())
            })
        }
        Expr::ListComp(c) => {
            out.push('[');
            expr(out, &c.elt, PR_TEST)?;
            comprehensions(out, &c.generators)?;
            out.push(']');
            Some(())
        }
        Expr::SetComp(c) => {
            out.push('{');
            expr(out, &c.elt, PR_TEST)?;
            comprehensions(out, &c.generators)?;
            out.push('}');
            Some(())
        }
        Expr::GeneratorExp(c) => {
            out.push('(');
            expr(out, &c.elt, PR_TEST)?;
            comprehensions(out, &c.generators)?;
            out.push(')');
            Some(())
        }
        Expr::DictComp(c) => {
            out.push('{');
            expr(out, &c.key, PR_TEST)?;
            out.push_str(": ");
            expr(out, &c.value, PR_TEST)?;
            comprehensions(out, &c.generators)?;
            out.push('}');
            Some(())
        }
        Expr::Compare(c) => paren(out, level > PR_CMP, |out| {
            expr(out, &c.left, PR_CMP + 1)?;
            for (op, r) in c.ops.iter().zip(&c.comparators) {
                out.push(' ');
                out.push_str(cmpop(*op));
                out.push(' ');
                expr(out, r, PR_CMP + 1)?;
            }
            Some(())
        }),
        Expr::Call(c) => {
            expr(out, &c.func, PR_ATOM)?;
            if c.args.len() == 1 && c.keywords.is_empty() {
                if let Expr::GeneratorExp(_) = &c.args[0] {
                    return expr(out, &c.args[0], PR_TEST);
                }
            }
            out.push('(');
            let mut first = true;
            for a in &c.args {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                expr(out, a, PR_TEST)?;
            }
            for k in &c.keywords {
                if !first {
                    out.push_str(", ");
                }
                first = false;
                match &k.arg {
                    Some(name) => {
                        out.push_str(name.as_str());
                        out.push('=');
                    }
                    None => out.push_str("**"),
                }
                expr(out, &k.value, PR_TEST)?;
            }
            out.push(')');
            Some(())
        }
        Expr::Constant(c) => {
            constant(out, &c.value);
            Some(())
        }
        Expr::Attribute(a) => {
            expr(out, &a.value, PR_ATOM)?;
            // `1 .real`: a dot right after an int literal would be a float.
            if let Expr::Constant(c) = a.value.as_ref() {
                if matches!(c.value, ast::Constant::Int(_)) {
                    out.push(' ');
                }
            }
            out.push('.');
            out.push_str(a.attr.as_str());
            Some(())
        }
        Expr::Subscript(s) => {
            expr(out, &s.value, PR_ATOM)?;
            out.push('[');
            expr(out, &s.slice, PR_TUPLE)?;
            out.push(']');
            Some(())
        }
        Expr::Slice(s) => {
            if let Some(l) = &s.lower {
                expr(out, l, PR_TEST)?;
            }
            out.push(':');
            if let Some(u) = &s.upper {
                expr(out, u, PR_TEST)?;
            }
            if let Some(st) = &s.step {
                out.push(':');
                expr(out, st, PR_TEST)?;
            }
            Some(())
        }
        Expr::Starred(s) => {
            out.push('*');
            expr(out, &s.value, PR_EXPR)
        }
        Expr::Name(n) => {
            out.push_str(n.id.as_str());
            Some(())
        }
        Expr::Await(a) => paren(out, level > PR_AWAIT, |out| {
            out.push_str("await ");
            expr(out, &a.value, PR_ATOM)
        }),
        _ => None,
    }
}
