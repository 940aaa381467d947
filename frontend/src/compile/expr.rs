//! Expressions (`compiler_visit_expr` and the functions it calls).

use super::fold::{fold, fold_iter, list_becomes_tuple};
use super::{Compiler, UnitKind, R};
use pyreg_spec::code::Constant;
use pyreg_spec::opcode::Opcode;
use rustpython_parser::ast::{self, CmpOp, Expr, ExprContext as Ctx};

/// `not (a is b)` and friends: the optimizer turns them into the inverted
/// comparison (`fold_unaryop` in `ast_opt.c`).
fn inverted_compare(e: &Expr) -> Option<(&Expr, CmpOp, &Expr)> {
    let Expr::UnaryOp(u) = e else { return None };
    if u.op != ast::UnaryOp::Not {
        return None;
    }
    let Expr::Compare(c) = u.operand.as_ref() else {
        return None;
    };
    if c.ops.len() != 1 {
        return None;
    }
    let inv = match c.ops[0] {
        CmpOp::Is => CmpOp::IsNot,
        CmpOp::IsNot => CmpOp::Is,
        CmpOp::In => CmpOp::NotIn,
        CmpOp::NotIn => CmpOp::In,
        _ => return None,
    };
    Some((&c.left, inv, &c.comparators[0]))
}

fn binop(op: ast::Operator) -> Opcode {
    use ast::Operator as O;
    match op {
        O::Add => Opcode::BinaryAdd,
        O::Sub => Opcode::BinarySubtract,
        O::Mult => Opcode::BinaryMultiply,
        O::MatMult => Opcode::BinaryMatrixMultiply,
        O::Div => Opcode::BinaryTrueDivide,
        O::Mod => Opcode::BinaryModulo,
        O::Pow => Opcode::BinaryPower,
        O::LShift => Opcode::BinaryLshift,
        O::RShift => Opcode::BinaryRshift,
        O::BitOr => Opcode::BinaryOr,
        O::BitXor => Opcode::BinaryXor,
        O::BitAnd => Opcode::BinaryAnd,
        O::FloorDiv => Opcode::BinaryFloorDivide,
    }
}

/// The kind of comprehension being compiled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Comp {
    Gen,
    List,
    Set,
    Dict,
}

impl Compiler<'_> {
    /// `compiler_visit_expr`: sets the line of the expression for its
    /// instructions, and restores the previous one after.
    pub(super) fn expr(&mut self, e: &Expr) -> R {
        let line = self.expr_line(e);
        let old = self.ur().lineno;
        if line != old {
            self.u().lineno = line;
        }
        let r = self.expr1(e);
        if old != self.ur().lineno {
            self.u().lineno = old;
        }
        r
    }

    /// `expr` with the line forced to `line`.
    fn expr_at(&mut self, e: &Expr, line: u32) -> R {
        let old = self.ur().lineno;
        self.u().lineno = line;
        let r = self.expr1(e);
        self.u().lineno = old;
        r
    }

    /// The constant `e` is after CPython's AST optimizer: none of the
    /// folding inside an assignment expression, which it does not visit.
    pub(super) fn cfold(&self, e: &Expr) -> Option<Constant> {
        if self.no_fold > 0 {
            return match e {
                Expr::Constant(c) => Some(super::fold::constant_of(c)),
                _ => None,
            };
        }
        fold(e)
    }

    /// [`fold_iter`] unless folding is off (see [`Compiler::cfold`]).
    fn cfold_iter(&self, e: &Expr) -> Option<Constant> {
        if self.no_fold > 0 {
            return self.cfold(e);
        }
        fold_iter(e)
    }

    /// Compiling a function, lambda or comprehension body.
    fn in_function(&self) -> bool {
        self.st.blocks[self.ur().st_block].kind == crate::symtable::BlockKind::Function
    }

    /// The iterable of a `for` or a comprehension, after `fold_iter`.
    pub(super) fn iter_expr(&mut self, e: &Expr) -> R {
        if let Some(c) = self.cfold_iter(e) {
            return self.const_expr(e, c);
        }
        if let Some(elts) = list_becomes_tuple(e).filter(|_| self.no_fold == 0) {
            let line = self.line_of(e);
            let old = self.ur().lineno;
            self.u().lineno = line;
            let r = self.starunpack(elts, 0, Opcode::BuildList, true);
            self.u().lineno = old;
            return r;
        }
        self.expr(e)
    }

    /// A folded constant in place of `e`, with `e`'s line.
    fn const_expr(&mut self, e: &Expr, c: Constant) -> R {
        let line = self.line_of(e);
        let old = self.ur().lineno;
        self.u().lineno = line;
        self.load_const(c);
        self.u().lineno = old;
        Ok(())
    }

    fn expr1(&mut self, e: &Expr) -> R {
        if let Some(c) = self.cfold(e) {
            self.load_const(c);
            return Ok(());
        }
        let line = self.ur().lineno;
        match e {
            Expr::NamedExpr(n) => {
                if !matches!(n.target.as_ref(), Expr::Name(_)) {
                    let what = super::stmt::target_name(&n.target);
                    return self.error(
                        &format!("cannot use assignment expressions with {what}"),
                        line,
                    );
                }
                // CPython 3.9's AST optimizer does not descend into `:=`.
                self.no_fold += 1;
                let r = self.expr(&n.value);
                self.no_fold -= 1;
                r?;
                self.emit(Opcode::DupTop, 0);
                self.expr(&n.target)?;
            }
            Expr::BoolOp(b) => {
                let jump = if b.op == ast::BoolOp::And {
                    Opcode::JumpIfFalseOrPop
                } else {
                    Opcode::JumpIfTrueOrPop
                };
                let end = self.new_block();
                let n = b.values.len() - 1;
                for v in &b.values[..n] {
                    self.expr(v)?;
                    self.jump(jump, end);
                    self.next_block();
                }
                self.expr(&b.values[n])?;
                self.use_next(end);
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(binop(b.op), 0);
            }
            Expr::UnaryOp(u) => {
                if let Some((l, op, r)) = inverted_compare(e) {
                    self.expr(l)?;
                    self.compare_rhs(r, op)?;
                    self.cmp_op(op);
                    return Ok(());
                }
                self.expr(&u.operand)?;
                self.emit(
                    match u.op {
                        ast::UnaryOp::Invert => Opcode::UnaryInvert,
                        ast::UnaryOp::Not => Opcode::UnaryNot,
                        ast::UnaryOp::UAdd => Opcode::UnaryPositive,
                        ast::UnaryOp::USub => Opcode::UnaryNegative,
                    },
                    0,
                );
            }
            Expr::Lambda(l) => self.lambda(e, l)?,
            Expr::IfExp(i) => {
                let end = self.new_block();
                let next = self.new_block();
                self.jump_if(&i.test, next, false)?;
                self.expr(&i.body)?;
                self.jump(Opcode::JumpForward, end);
                self.use_next(next);
                self.expr(&i.orelse)?;
                self.use_next(end);
            }
            Expr::Dict(d) => self.dict(d)?,
            Expr::Set(s) => self.starunpack(&s.elts, 0, Opcode::BuildSet, false)?,
            Expr::GeneratorExp(g) => {
                self.comprehension(e, Comp::Gen, &g.generators, &g.elt, None)?
            }
            Expr::ListComp(g) => self.comprehension(e, Comp::List, &g.generators, &g.elt, None)?,
            Expr::SetComp(g) => self.comprehension(e, Comp::Set, &g.generators, &g.elt, None)?,
            Expr::DictComp(g) => {
                self.comprehension(e, Comp::Dict, &g.generators, &g.key, Some(&g.value))?
            }
            Expr::Yield(y) => {
                if !self.in_function() {
                    return self.error("'yield' outside function", line);
                }
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Constant::None),
                }
                self.emit(Opcode::YieldValue, 0);
            }
            Expr::YieldFrom(y) => {
                if !self.in_function() {
                    return self.error("'yield' outside function", line);
                }
                if self.ur().kind == UnitKind::AsyncFunction {
                    return self.error("'yield from' inside async function", line);
                }
                self.expr(&y.value)?;
                self.emit(Opcode::GetYieldFromIter, 0);
                self.load_const(Constant::None);
                self.emit(Opcode::YieldFrom, 0);
            }
            Expr::Await(a) => {
                if !self.in_function() {
                    return self.error("'await' outside function", line);
                }
                if !matches!(
                    self.ur().kind,
                    UnitKind::AsyncFunction | UnitKind::Comprehension
                ) {
                    return self.error("'await' outside async function", line);
                }
                self.expr(&a.value)?;
                self.await_top();
            }
            Expr::Compare(c) => self.compare(c)?,
            Expr::Call(c) => self.call(c)?,
            Expr::FormattedValue(f) => {
                self.expr(&f.value)?;
                let mut oparg = match f.conversion {
                    ast::ConversionFlag::None => 0,
                    ast::ConversionFlag::Str => 1,
                    ast::ConversionFlag::Repr => 2,
                    ast::ConversionFlag::Ascii => 3,
                };
                if let Some(spec) = &f.format_spec {
                    // The format spec keeps its own line (unlike the parts
                    // of the f-string around it).
                    self.expr(spec)?;
                    oparg |= 4;
                }
                self.emit(Opcode::FormatValue, oparg);
            }
            Expr::JoinedStr(j) => {
                // CPython 3.9 places the parts of an f-string (not the
                // expressions inside them) on the line of its first token.
                let line = self.ur().lineno;
                for v in &j.values {
                    self.expr_at(v, line)?;
                }
                if j.values.len() != 1 {
                    self.emit(Opcode::BuildString, j.values.len() as u32);
                }
            }
            Expr::Constant(c) => self.load_const(super::fold::constant_of(c)),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let op = match a.ctx {
                    Ctx::Load => Opcode::LoadAttr,
                    Ctx::Store => Opcode::StoreAttr,
                    Ctx::Del => Opcode::DeleteAttr,
                };
                self.emit_name(op, a.attr.as_str());
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(
                    match s.ctx {
                        Ctx::Load => Opcode::BinarySubscr,
                        Ctx::Store => Opcode::StoreSubscr,
                        Ctx::Del => Opcode::DeleteSubscr,
                    },
                    0,
                );
            }
            Expr::Starred(s) => {
                let msg = if s.ctx == Ctx::Store {
                    "starred assignment target must be in a list or tuple"
                } else {
                    "can't use starred expression here"
                };
                return self.error(msg, line);
            }
            Expr::Name(n) => self.nameop(n.id.as_str(), n.ctx)?,
            Expr::List(l) => match l.ctx {
                Ctx::Store => self.assignment_helper(&l.elts)?,
                Ctx::Load => self.starunpack(&l.elts, 0, Opcode::BuildList, false)?,
                Ctx::Del => l.elts.iter().try_for_each(|x| self.expr(x))?,
            },
            Expr::Tuple(t) => match t.ctx {
                Ctx::Store => self.assignment_helper(&t.elts)?,
                Ctx::Load => self.starunpack(&t.elts, 0, Opcode::BuildList, true)?,
                Ctx::Del => t.elts.iter().try_for_each(|x| self.expr(x))?,
            },
            Expr::Slice(s) => {
                let mut n = 2;
                match &s.lower {
                    Some(x) => self.expr(x)?,
                    None => self.load_const(Constant::None),
                }
                match &s.upper {
                    Some(x) => self.expr(x)?,
                    None => self.load_const(Constant::None),
                }
                if let Some(x) = &s.step {
                    n += 1;
                    self.expr(x)?;
                }
                self.emit(Opcode::BuildSlice, n);
            }
        }
        Ok(())
    }

    fn cmp_op(&mut self, op: CmpOp) {
        let (o, a) = match op {
            CmpOp::Lt => (Opcode::CompareOp, 0),
            CmpOp::LtE => (Opcode::CompareOp, 1),
            CmpOp::Eq => (Opcode::CompareOp, 2),
            CmpOp::NotEq => (Opcode::CompareOp, 3),
            CmpOp::Gt => (Opcode::CompareOp, 4),
            CmpOp::GtE => (Opcode::CompareOp, 5),
            CmpOp::Is => (Opcode::IsOp, 0),
            CmpOp::IsNot => (Opcode::IsOp, 1),
            CmpOp::In => (Opcode::ContainsOp, 0),
            CmpOp::NotIn => (Opcode::ContainsOp, 1),
        };
        self.emit(o, a);
    }

    /// The right operand of a comparison; that of `in` is folded like an
    /// iterable (`fold_compare`).
    fn compare_rhs(&mut self, r: &Expr, op: CmpOp) -> R {
        if matches!(op, CmpOp::In | CmpOp::NotIn) {
            self.iter_expr(r)
        } else {
            self.expr(r)
        }
    }

    fn compare(&mut self, c: &ast::ExprCompare) -> R {
        let n = c.ops.len() - 1;
        self.expr(&c.left)?;
        if n == 0 {
            self.compare_rhs(&c.comparators[0], c.ops[0])?;
            self.cmp_op(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_block();
        for i in 0..n {
            self.expr(&c.comparators[i])?;
            self.emit(Opcode::DupTop, 0);
            self.emit(Opcode::RotThree, 0);
            self.cmp_op(c.ops[i]);
            self.jump(Opcode::JumpIfFalseOrPop, cleanup);
            self.next_block();
        }
        self.compare_rhs(&c.comparators[n], c.ops[n])?;
        self.cmp_op(c.ops[n]);
        let end = self.new_block();
        self.jump(Opcode::JumpForward, end);
        self.use_next(cleanup);
        self.emit(Opcode::RotTwo, 0);
        self.emit(Opcode::PopTop, 0);
        self.use_next(end);
        Ok(())
    }

    /// `compiler_jump_if`: jumps to `next` when `e`'s truth is `cond`.
    pub(super) fn jump_if(&mut self, e: &Expr, next: usize, cond: bool) -> R {
        if self.cfold(e).is_none() {
            match e {
                Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not && inverted_compare(e).is_none() => {
                    return self.jump_if(&u.operand, next, !cond);
                }
                Expr::BoolOp(b) => {
                    let n = b.values.len() - 1;
                    let cond2 = b.op == ast::BoolOp::Or;
                    let next2 = if cond2 != cond {
                        self.new_block()
                    } else {
                        next
                    };
                    for v in &b.values[..n] {
                        self.jump_if(v, next2, cond2)?;
                    }
                    self.jump_if(&b.values[n], next, cond)?;
                    if next2 != next {
                        self.use_next(next2);
                    }
                    return Ok(());
                }
                Expr::IfExp(i) => {
                    let end = self.new_block();
                    let next2 = self.new_block();
                    self.jump_if(&i.test, next2, false)?;
                    self.jump_if(&i.body, next, cond)?;
                    self.jump(Opcode::JumpForward, end);
                    self.use_next(next2);
                    self.jump_if(&i.orelse, next, cond)?;
                    self.use_next(end);
                    return Ok(());
                }
                Expr::Compare(c) if c.ops.len() > 1 => {
                    let n = c.ops.len() - 1;
                    let cleanup = self.new_block();
                    self.expr(&c.left)?;
                    for i in 0..n {
                        self.expr(&c.comparators[i])?;
                        self.emit(Opcode::DupTop, 0);
                        self.emit(Opcode::RotThree, 0);
                        self.cmp_op(c.ops[i]);
                        self.jump(Opcode::PopJumpIfFalse, cleanup);
                        self.next_block();
                    }
                    self.compare_rhs(&c.comparators[n], c.ops[n])?;
                    self.cmp_op(c.ops[n]);
                    self.jump(
                        if cond {
                            Opcode::PopJumpIfTrue
                        } else {
                            Opcode::PopJumpIfFalse
                        },
                        next,
                    );
                    let end = self.new_block();
                    self.jump(Opcode::JumpForward, end);
                    self.use_next(cleanup);
                    self.emit(Opcode::PopTop, 0);
                    if !cond {
                        self.jump(Opcode::JumpForward, next);
                    }
                    self.use_next(end);
                    return Ok(());
                }
                _ => {}
            }
        }
        self.expr(e)?;
        self.jump(
            if cond {
                Opcode::PopJumpIfTrue
            } else {
                Opcode::PopJumpIfFalse
            },
            next,
        );
        Ok(())
    }

    /// `assignment_helper`: unpacking into a tuple or list target.
    fn assignment_helper(&mut self, elts: &[Expr]) -> R {
        let line = self.ur().lineno;
        let mut seen_star = false;
        for (i, e) in elts.iter().enumerate() {
            if matches!(e, Expr::Starred(_)) {
                if seen_star {
                    return self.error("multiple starred expressions in assignment", line);
                }
                if i >= 256 {
                    return self.error("too many expressions in star-unpacking assignment", line);
                }
                self.emit(Opcode::UnpackEx, (i + ((elts.len() - i - 1) << 8)) as u32);
                seen_star = true;
            }
        }
        if !seen_star {
            self.emit(Opcode::UnpackSequence, elts.len() as u32);
        }
        for e in elts {
            match e {
                Expr::Starred(s) => self.expr(&s.value)?,
                _ => self.expr(e)?,
            }
        }
        Ok(())
    }

    /// `starunpack_helper`: builds a list, set or (with `tuple`) tuple from
    /// items, some maybe starred, with `pushed` items already on the stack.
    fn starunpack(&mut self, elts: &[Expr], pushed: u32, build: Opcode, tuple: bool) -> R {
        let n = elts.len();
        let (add, extend) = match build {
            Opcode::BuildSet => (Opcode::SetAdd, Opcode::SetUpdate),
            _ => (Opcode::ListAppend, Opcode::ListExtend),
        };
        if n > 2 {
            let consts: Option<Vec<Constant>> = elts
                .iter()
                .map(|e| {
                    if matches!(e, Expr::Starred(_)) {
                        None
                    } else {
                        self.cfold(e)
                    }
                })
                .collect();
            if let Some(items) = consts {
                if tuple {
                    self.load_const(Constant::Tuple(items.into()));
                } else {
                    self.emit(build, pushed);
                    let c = if build == Opcode::BuildSet {
                        let mut uniq: Vec<Constant> = Vec::new();
                        for i in items {
                            let k = super::ConstKey::of(&i);
                            if !uniq.iter().any(|u| super::ConstKey::of(u) == k) {
                                uniq.push(i);
                            }
                        }
                        Constant::FrozenSet(uniq.into())
                    } else {
                        Constant::Tuple(items.into())
                    };
                    self.load_const(c);
                    self.emit(extend, 1);
                }
                return Ok(());
            }
        }
        if elts.iter().any(|e| matches!(e, Expr::Starred(_))) {
            let mut seen = false;
            for (i, e) in elts.iter().enumerate() {
                if let Expr::Starred(s) = e {
                    if !seen {
                        self.emit(build, i as u32 + pushed);
                        seen = true;
                    }
                    self.expr(&s.value)?;
                    self.emit(extend, 1);
                } else {
                    self.expr(e)?;
                    if seen {
                        self.emit(add, 1);
                    }
                }
            }
            if tuple {
                self.emit(Opcode::ListToTuple, 0);
            }
        } else {
            for e in elts {
                self.expr(e)?;
            }
            self.emit(
                if tuple { Opcode::BuildTuple } else { build },
                n as u32 + pushed,
            );
        }
        Ok(())
    }

    fn subdict(&mut self, d: &ast::ExprDict, begin: usize, end: usize) -> R {
        let n = end - begin;
        let keys: Option<Vec<Constant>> = d.keys[begin..end]
            .iter()
            .map(|k| k.as_ref().and_then(|k| self.cfold(k)))
            .collect();
        match keys {
            Some(keys) if n > 1 => {
                for v in &d.values[begin..end] {
                    self.expr(v)?;
                }
                self.load_const(Constant::Tuple(keys.into()));
                self.emit(Opcode::BuildConstKeyMap, n as u32);
            }
            _ => {
                for i in begin..end {
                    if let Some(k) = &d.keys[i] {
                        self.expr(k)?;
                    }
                    self.expr(&d.values[i])?;
                }
                self.emit(Opcode::BuildMap, n as u32);
            }
        }
        Ok(())
    }

    fn dict(&mut self, d: &ast::ExprDict) -> R {
        let n = d.values.len();
        let mut have_dict = false;
        let mut elements = 0;
        for i in 0..n {
            if d.keys[i].is_none() {
                if elements > 0 {
                    self.subdict(d, i - elements, i)?;
                    if have_dict {
                        self.emit(Opcode::DictUpdate, 1);
                    }
                    have_dict = true;
                    elements = 0;
                }
                if !have_dict {
                    self.emit(Opcode::BuildMap, 0);
                    have_dict = true;
                }
                self.expr(&d.values[i])?;
                self.emit(Opcode::DictUpdate, 1);
            } else if elements == 0xFFFF {
                self.subdict(d, i - elements, i)?;
                if have_dict {
                    self.emit(Opcode::DictUpdate, 1);
                }
                have_dict = true;
                elements = 0;
            } else {
                elements += 1;
            }
        }
        if elements > 0 {
            self.subdict(d, n - elements, n)?;
            if have_dict {
                self.emit(Opcode::DictUpdate, 1);
            }
            have_dict = true;
        }
        if !have_dict {
            self.emit(Opcode::BuildMap, 0);
        }
        Ok(())
    }

    fn call(&mut self, c: &ast::ExprCall) -> R {
        if let Expr::Attribute(a) = c.func.as_ref() {
            if a.ctx == Ctx::Load
                && c.keywords.is_empty()
                && !c.args.iter().any(|x| matches!(x, Expr::Starred(_)))
            {
                self.expr(&a.value)?;
                self.emit_name(Opcode::LoadMethod, a.attr.as_str());
                for x in &c.args {
                    self.expr(x)?;
                }
                self.emit(Opcode::CallMethod, c.args.len() as u32);
                return Ok(());
            }
        }
        self.expr(&c.func)?;
        self.call_helper(0, &c.args, &c.keywords)
    }

    /// `compiler_call_helper`: the arguments and the call, `n` positional
    /// arguments being on the stack already.
    pub(super) fn call_helper(&mut self, n: u32, args: &[Expr], keywords: &[ast::Keyword]) -> R {
        let starred = args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || keywords.iter().any(|k| k.arg.is_none());
        if !starred {
            for a in args {
                self.expr(a)?;
            }
            if !keywords.is_empty() {
                for k in keywords {
                    self.expr(&k.value)?;
                }
                let names: Vec<Constant> = keywords
                    .iter()
                    .map(|k| Constant::Str(k.arg.as_ref().map_or("", |a| a.as_str()).into()))
                    .collect();
                self.load_const(Constant::Tuple(names.into()));
                self.emit(
                    Opcode::CallFunctionKw,
                    n + args.len() as u32 + keywords.len() as u32,
                );
            } else {
                self.emit(Opcode::CallFunction, n + args.len() as u32);
            }
            return Ok(());
        }
        if n == 0 && args.len() == 1 {
            if let Expr::Starred(s) = &args[0] {
                self.expr(&s.value)?;
            } else {
                self.starunpack(args, n, Opcode::BuildList, true)?;
            }
        } else {
            self.starunpack(args, n, Opcode::BuildList, true)?;
        }
        if !keywords.is_empty() {
            let mut have_dict = false;
            let mut nseen = 0;
            for (i, k) in keywords.iter().enumerate() {
                if k.arg.is_none() {
                    if nseen > 0 {
                        self.subkwargs(&keywords[i - nseen..i])?;
                        if have_dict {
                            self.emit(Opcode::DictMerge, 1);
                        }
                        have_dict = true;
                        nseen = 0;
                    }
                    if !have_dict {
                        self.emit(Opcode::BuildMap, 0);
                        have_dict = true;
                    }
                    self.expr(&k.value)?;
                    self.emit(Opcode::DictMerge, 1);
                } else {
                    nseen += 1;
                }
            }
            if nseen > 0 {
                self.subkwargs(&keywords[keywords.len() - nseen..])?;
                if have_dict {
                    self.emit(Opcode::DictMerge, 1);
                }
            }
        }
        self.emit(Opcode::CallFunctionEx, u32::from(!keywords.is_empty()));
        Ok(())
    }

    fn subkwargs(&mut self, kws: &[ast::Keyword]) -> R {
        let n = kws.len();
        if n > 1 {
            for k in kws {
                self.expr(&k.value)?;
            }
            let keys: Vec<Constant> = kws
                .iter()
                .map(|k| Constant::Str(k.arg.as_ref().map_or("", |a| a.as_str()).into()))
                .collect();
            self.load_const(Constant::Tuple(keys.into()));
            self.emit(Opcode::BuildConstKeyMap, n as u32);
        } else {
            for k in kws {
                self.load_str(k.arg.as_ref().map_or("", |a| a.as_str()));
                self.expr(&k.value)?;
            }
            self.emit(Opcode::BuildMap, n as u32);
        }
        Ok(())
    }

    fn lambda(&mut self, e: &Expr, l: &ast::ExprLambda) -> R {
        let fl = self.default_arguments(&l.args)?;
        let block = self.block_for(e, "lambda")?;
        let line = self.line_of(e);
        self.enter(block, UnitKind::Lambda, "<lambda>", line);
        self.add_const(Constant::None);
        self.u().argcount = l.args.args.len() as u32;
        self.u().posonlyargcount = l.args.posonlyargs.len() as u32;
        self.u().kwonlyargcount = l.args.kwonlyargs.len() as u32;
        if let Err(err) = self.expr(&l.body) {
            self.units.pop();
            return Err(err);
        }
        let generator = self.st.blocks[block].generator;
        let code = if generator {
            self.leave(false)?
        } else {
            self.emit(Opcode::ReturnValue, 0);
            self.leave(true)?
        };
        let q = self.last_qualname.clone();
        self.make_closure(code, fl, &q)
    }

    fn comprehension(
        &mut self,
        e: &Expr,
        kind: Comp,
        generators: &[ast::Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> R {
        let line = self.expr_line(e);
        let is_async_function = self.st.blocks[self.ur().st_block].coroutine;
        let name = match kind {
            Comp::Gen => "<genexpr>",
            Comp::List => "<listcomp>",
            Comp::Set => "<setcomp>",
            Comp::Dict => "<dictcomp>",
        };
        let block = self.block_for(e, "comprehension")?;
        self.enter(block, UnitKind::Comprehension, name, line);
        let is_async_generator = self.st.blocks[block].coroutine;
        if is_async_generator && !is_async_function && kind != Comp::Gen {
            self.units.pop();
            return self.error(
                "asynchronous comprehension outside of an asynchronous function",
                line,
            );
        }
        let r = (|| -> R {
            match kind {
                Comp::Gen => {}
                Comp::List => self.emit(Opcode::BuildList, 0),
                Comp::Set => self.emit(Opcode::BuildSet, 0),
                Comp::Dict => self.emit(Opcode::BuildMap, 0),
            }
            self.comprehension_generator(generators, 0, 0, elt, value, kind)?;
            if kind != Comp::Gen {
                self.emit(Opcode::ReturnValue, 0);
            }
            Ok(())
        })();
        if let Err(err) = r {
            self.units.pop();
            return Err(err);
        }
        let code = self.leave(true)?;
        let q = self.last_qualname.clone();
        self.make_closure(code, 0, &q)?;
        if generators[0].is_async {
            self.expr(&generators[0].iter)?;
            self.emit(Opcode::GetAiter, 0);
        } else {
            self.iter_expr(&generators[0].iter)?;
            self.emit(Opcode::GetIter, 0);
        }
        self.emit(Opcode::CallFunction, 1);
        if is_async_generator && kind != Comp::Gen {
            self.await_top();
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn comprehension_generator(
        &mut self,
        generators: &[ast::Comprehension],
        index: usize,
        depth: u32,
        elt: &Expr,
        value: Option<&Expr>,
        kind: Comp,
    ) -> R {
        if generators[index].is_async {
            return self.async_comprehension_generator(generators, index, depth, elt, value, kind);
        }
        let start = self.new_block();
        let skip = self.new_block();
        let if_cleanup = self.new_block();
        let anchor = self.new_block();
        let gen = &generators[index];
        self.check_target(&gen.target, false)?;
        let mut looping = true;
        if index == 0 {
            self.u().argcount = 1;
            self.emit(Opcode::LoadFast, 0);
        } else {
            // The assignment idiom `for y in [f(x)]` (a one-item list or
            // tuple that does not fold to a constant) assigns without a loop.
            let single = match &gen.iter {
                Expr::List(l) if l.elts.len() == 1 => Some(&l.elts[0]),
                Expr::Tuple(t) if t.elts.len() == 1 => Some(&t.elts[0]),
                _ => None,
            };
            if let Some(item) = single {
                if !matches!(item, Expr::Starred(_)) && self.cfold_iter(&gen.iter).is_none() {
                    self.expr(item)?;
                    looping = false;
                }
            }
            if looping {
                self.iter_expr(&gen.iter)?;
                self.emit(Opcode::GetIter, 0);
            }
        }
        let mut depth = depth;
        if looping {
            depth += 1;
            self.use_next(start);
            self.jump(Opcode::ForIter, anchor);
        }
        self.next_block();
        self.expr(&gen.target)?;
        for cond in &gen.ifs {
            self.jump_if(cond, if_cleanup, false)?;
            self.next_block();
        }
        let index = index + 1;
        if index < generators.len() {
            self.comprehension_generator(generators, index, depth, elt, value, kind)?;
        }
        if index >= generators.len() {
            self.comprehension_element(elt, value, kind, depth + 1)?;
            self.use_next(skip);
        }
        self.use_next(if_cleanup);
        if looping {
            self.jump(Opcode::JumpAbsolute, start);
            self.use_next(anchor);
        }
        Ok(())
    }

    /// The innermost body of a comprehension: yield or add the element.
    fn comprehension_element(
        &mut self,
        elt: &Expr,
        value: Option<&Expr>,
        kind: Comp,
        depth: u32,
    ) -> R {
        self.expr(elt)?;
        match kind {
            Comp::Gen => {
                self.emit(Opcode::YieldValue, 0);
                self.emit(Opcode::PopTop, 0);
            }
            Comp::List => self.emit(Opcode::ListAppend, depth),
            Comp::Set => self.emit(Opcode::SetAdd, depth),
            Comp::Dict => {
                // `{k: v}` evaluates the key first.
                if let Some(v) = value {
                    self.expr(v)?;
                }
                self.emit(Opcode::MapAdd, depth);
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn async_comprehension_generator(
        &mut self,
        generators: &[ast::Comprehension],
        index: usize,
        depth: u32,
        elt: &Expr,
        value: Option<&Expr>,
        kind: Comp,
    ) -> R {
        let start = self.new_block();
        let except = self.new_block();
        let if_cleanup = self.new_block();
        let gen = &generators[index];
        self.check_target(&gen.target, false)?;
        if index == 0 {
            self.u().argcount = 1;
            self.emit(Opcode::LoadFast, 0);
        } else {
            self.expr(&gen.iter)?;
            self.emit(Opcode::GetAiter, 0);
        }
        self.use_next(start);
        self.u().fblocks.push(super::FBlock::AsyncComprehension);
        self.jump(Opcode::SetupFinally, except);
        self.emit(Opcode::GetAnext, 0);
        self.load_const(Constant::None);
        self.emit(Opcode::YieldFrom, 0);
        self.emit(Opcode::PopBlock, 0);
        self.expr(&gen.target)?;
        for cond in &gen.ifs {
            self.jump_if(cond, if_cleanup, false)?;
            self.next_block();
        }
        let depth = depth + 1;
        let index = index + 1;
        if index < generators.len() {
            self.comprehension_generator(generators, index, depth, elt, value, kind)?;
        }
        if index >= generators.len() {
            self.comprehension_element(elt, value, kind, depth + 1)?;
        }
        self.use_next(if_cleanup);
        self.jump(Opcode::JumpAbsolute, start);
        self.u().fblocks.pop();
        self.use_next(except);
        self.emit(Opcode::EndAsyncFor, 0);
        Ok(())
    }
}
