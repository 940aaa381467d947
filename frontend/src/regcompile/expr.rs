//! Expressions, destination-driven: [`RCompiler::expr_into`] computes an
//! expression into the register its consumer names, [`RCompiler::val`]
//! gives it as an operand (a constant or a bound local costs nothing),
//! [`RCompiler::cond_jump`] branches on it without materialising a bool.

use super::{Body, Comp, Dst, Label, NameAccess, RCompiler, UnitKind, R, V};
use crate::compile::fold::{fold, fold_iter, truthy};
use pyreg_spec::code::Constant;
use pyreg_spec::opcode::Opcode;
use pyreg_spec::reg::RegOp;
use rustpython_parser::ast::{self, CmpOp, Expr};

/// The stack opcode of a binary operator.
pub(super) fn binop(op: ast::Operator, inplace: bool) -> Opcode {
    use ast::Operator as O;
    use Opcode::*;
    match (op, inplace) {
        (O::Add, false) => BinaryAdd,
        (O::Sub, false) => BinarySubtract,
        (O::Mult, false) => BinaryMultiply,
        (O::MatMult, false) => BinaryMatrixMultiply,
        (O::Div, false) => BinaryTrueDivide,
        (O::Mod, false) => BinaryModulo,
        (O::Pow, false) => BinaryPower,
        (O::LShift, false) => BinaryLshift,
        (O::RShift, false) => BinaryRshift,
        (O::BitOr, false) => BinaryOr,
        (O::BitXor, false) => BinaryXor,
        (O::BitAnd, false) => BinaryAnd,
        (O::FloorDiv, false) => BinaryFloorDivide,
        (O::Add, true) => InplaceAdd,
        (O::Sub, true) => InplaceSubtract,
        (O::Mult, true) => InplaceMultiply,
        (O::MatMult, true) => InplaceMatrixMultiply,
        (O::Div, true) => InplaceTrueDivide,
        (O::Mod, true) => InplaceModulo,
        (O::Pow, true) => InplacePower,
        (O::LShift, true) => InplaceLshift,
        (O::RShift, true) => InplaceRshift,
        (O::BitOr, true) => InplaceOr,
        (O::BitXor, true) => InplaceXor,
        (O::BitAnd, true) => InplaceAnd,
        (O::FloorDiv, true) => InplaceFloorDivide,
    }
}

/// The comparison opcode and argument of a comparison operator.
fn cmp(op: CmpOp) -> (Opcode, u32) {
    match op {
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
    }
}

impl RCompiler<'_> {
    /// Runs `f` with the line of `e` (`compiler_visit_expr`).
    fn at_line<T>(&mut self, e: &Expr, f: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        let old = self.ur().line;
        self.u().line = self.lines.expr_line(e);
        let r = f(self);
        self.u().line = old;
        r
    }

    /// `e` as an operand: a constant, a local bound on every path here, or
    /// a fresh temporary holding its value.
    pub(super) fn val(&mut self, e: &Expr) -> R<V> {
        if let Some(c) = fold(e) {
            return Ok(self.konst(c));
        }
        if let Expr::JoinedStr(j) = e {
            // A format spec with no replacement field is a constant.
            if let [only] = j.values.as_slice() {
                if let Some(c) = fold(only) {
                    return Ok(self.konst(c));
                }
            }
        }
        if let Expr::Name(n) = e {
            if let NameAccess::Fast(i, stable) = self.scope_of(n.id.as_str()) {
                if stable && self.ur().bound.contains(&i) && !self.ur().copy_locals.contains(&i) {
                    return Ok(V::Local(i));
                }
            }
        }
        let t = self.temp()?;
        self.expr_into(e, Dst::Temp(t))?;
        Ok(V::Temp(t))
    }

    /// The iterable of a `for` or comprehension as an operand (lists of
    /// constants fold to tuples).
    pub(super) fn iter_val(&mut self, e: &Expr) -> R<V> {
        if let Some(c) = fold_iter(e) {
            return Ok(self.konst(c));
        }
        self.val(e)
    }

    /// The last right operand of a comparison: for `in`, a display of
    /// constants folds to a tuple or frozenset (`fold_iter`, which
    /// CPython's AST optimizer applies to the last comparator only: an
    /// inner one is also the left operand of the next link).
    fn cmp_rhs(&mut self, op: CmpOp, e: &Expr) -> R<V> {
        if matches!(op, CmpOp::In | CmpOp::NotIn) {
            self.iter_val(e)
        } else {
            self.val(e)
        }
    }

    /// Operands of several expressions, in order.
    fn vals(&mut self, es: &[Expr]) -> R<Vec<V>> {
        es.iter().map(|e| self.val(e)).collect()
    }

    /// Computes `e` into `dst`. On every path, only the last instruction
    /// writes `dst`, unless `dst` is a temporary: so a local destination
    /// keeps its old value while the expression is evaluated.
    pub(super) fn expr_into(&mut self, e: &Expr, dst: Dst) -> R {
        self.at_line(e, |c| c.expr_into1(e, dst))
    }

    /// The destination for an expression that writes it more than once: a
    /// temporary (`dst` itself when it is one).
    fn scratch(&mut self, dst: Dst) -> R<Dst> {
        match dst {
            Dst::Temp(_) => Ok(dst),
            _ => Ok(Dst::Temp(self.temp()?)),
        }
    }

    /// Copies a scratch result to the real destination.
    fn settle(&mut self, scratch: Dst, dst: Dst) {
        if scratch != dst && dst != Dst::Discard {
            if let Some(v) = scratch.val() {
                self.emit(RegOp::Move, 0, vec![dst], vec![v]);
            }
        } else if dst == Dst::Discard {
            if let Some(v) = scratch.val() {
                // Drop the value (a temporary is cleared by the move).
                self.emit(RegOp::Move, 0, vec![Dst::Discard], vec![v]);
            }
        }
    }

    fn expr_into1(&mut self, e: &Expr, dst: Dst) -> R {
        if let Some(c) = fold(e) {
            if dst != Dst::Discard {
                let k = self.konst(c);
                self.emit(RegOp::Move, 0, vec![dst], vec![k]);
            }
            return Ok(());
        }
        let mark = self.mark();
        match e {
            Expr::Name(n) => self.load_name(n.id.as_str(), dst)?,
            Expr::BinOp(b) => {
                let l = self.val(&b.left)?;
                let r = self.val(&b.right)?;
                self.apply(binop(b.op, false), 0, vec![dst], vec![l, r]);
            }
            Expr::UnaryOp(u) => {
                let v = self.val(&u.operand)?;
                let op = match u.op {
                    ast::UnaryOp::Invert => Opcode::UnaryInvert,
                    ast::UnaryOp::Not => Opcode::UnaryNot,
                    ast::UnaryOp::UAdd => Opcode::UnaryPositive,
                    ast::UnaryOp::USub => Opcode::UnaryNegative,
                };
                self.apply(op, 0, vec![dst], vec![v]);
            }
            Expr::BoolOp(b) => {
                let s = self.scratch(dst)?;
                let end = self.new_label();
                let or = b.op == ast::BoolOp::Or;
                let (last, init) = b.values.split_last().expect("two values at least");
                for v in init {
                    self.expr_into(v, s)?;
                    let sv = s.val().expect("a register");
                    self.jump_to(RegOp::Branch(or), vec![sv], end);
                }
                self.expr_into(last, s)?;
                self.bind(end);
                self.settle(s, dst);
            }
            Expr::Compare(c) => {
                if c.ops.len() == 1 {
                    let l = self.val(&c.left)?;
                    let r = self.cmp_rhs(c.ops[0], &c.comparators[0])?;
                    let (op, arg) = cmp(c.ops[0]);
                    self.apply(op, arg, vec![dst], vec![l, r]);
                } else {
                    let s = self.scratch(dst)?;
                    let sv = s.val().expect("a register");
                    let end = self.new_label();
                    let mut l = self.val(&c.left)?;
                    let n = c.ops.len();
                    for (k, (op, r)) in c.ops.iter().zip(&c.comparators).enumerate() {
                        let r = if k + 1 == n {
                            self.cmp_rhs(*op, r)?
                        } else {
                            self.val(r)?
                        };
                        let (o, arg) = cmp(*op);
                        self.apply(o, arg, vec![s], vec![l, r]);
                        if k + 1 < n {
                            self.jump_to(RegOp::Branch(false), vec![sv], end);
                        }
                        l = r;
                    }
                    self.bind(end);
                    self.settle(s, dst);
                }
            }
            Expr::IfExp(i) => {
                // Each path writes `dst` once, with its last instruction:
                // no scratch register is needed.
                let orelse = self.new_label();
                let end = self.new_label();
                self.cond_jump(&i.test, false, orelse)?;
                self.expr_into(&i.body, dst)?;
                self.jump_to(RegOp::Jump, vec![], end);
                self.bind(orelse);
                self.expr_into(&i.orelse, dst)?;
                self.bind(end);
            }
            Expr::Call(c) => self.call(c, dst)?,
            Expr::Attribute(a) => {
                let o = self.val(&a.value)?;
                let i = self.name_index(a.attr.as_str(), true);
                self.apply(Opcode::LoadAttr, i, vec![dst], vec![o]);
            }
            Expr::Subscript(s) => {
                let o = self.val(&s.value)?;
                let i = self.val(&s.slice)?;
                self.apply(Opcode::BinarySubscr, 0, vec![dst], vec![o, i]);
            }
            Expr::Slice(s) => {
                let mut ins = Vec::new();
                for part in [&s.lower, &s.upper] {
                    ins.push(match part {
                        Some(p) => self.val(p)?,
                        None => self.konst(Constant::None),
                    });
                }
                if let Some(step) = &s.step {
                    ins.push(self.val(step)?);
                }
                let n = ins.len() as u32;
                self.apply(Opcode::BuildSlice, n, vec![dst], ins);
            }
            Expr::Tuple(t) => self.build(&t.elts, Opcode::BuildTuple, dst)?,
            Expr::List(l) => self.build(&l.elts, Opcode::BuildList, dst)?,
            Expr::Set(s) => self.build(&s.elts, Opcode::BuildSet, dst)?,
            Expr::Dict(d) => self.dict(d, dst)?,
            Expr::JoinedStr(j) => {
                let line = self.ur().line;
                let mut ins = Vec::new();
                for v in &j.values {
                    let old = self.ur().line;
                    self.u().line = line;
                    let r = if j.values.len() == 1 {
                        self.expr_into1(v, dst).map(|_| None)
                    } else {
                        match fold(v) {
                            Some(c) => Ok(Some(self.konst(c))),
                            None => {
                                let t = self.temp()?;
                                self.expr_into1(v, Dst::Temp(t)).map(|_| Some(V::Temp(t)))
                            }
                        }
                    };
                    self.u().line = old;
                    if let Some(v) = r? {
                        ins.push(v);
                    }
                }
                if j.values.len() != 1 {
                    let n = ins.len() as u32;
                    self.apply(Opcode::BuildString, n, vec![dst], ins);
                }
            }
            Expr::FormattedValue(f) => {
                let v = self.val(&f.value)?;
                let mut arg = match f.conversion {
                    ast::ConversionFlag::None => 0,
                    ast::ConversionFlag::Str => 1,
                    ast::ConversionFlag::Repr => 2,
                    ast::ConversionFlag::Ascii => 3,
                };
                let mut ins = vec![v];
                if let Some(spec) = &f.format_spec {
                    ins.push(self.val(spec)?);
                    arg |= 4;
                }
                self.apply(Opcode::FormatValue, arg, vec![dst], ins);
            }
            Expr::Constant(c) => {
                if dst != Dst::Discard {
                    let k = self.konst(crate::compile::fold::constant_of(c));
                    self.emit(RegOp::Move, 0, vec![dst], vec![k]);
                }
            }
            Expr::Lambda(l) => {
                // The defaults first: lambdas among them are met first.
                let pre = self.default_arguments(&l.args)?;
                let line = self.line_of(e);
                let native = self.native_child("<lambda>", line)?;
                let block = self.block_for(e)?;
                let q = self.child_qualname("<lambda>", UnitKind::Lambda);
                let code = self.unit(&native, block, UnitKind::Lambda, q.clone(), Body::Lambda(e));
                self.make_function(code, pre, &q, dst)?;
            }
            Expr::ListComp(l) => {
                self.comprehension(e, Comp::List, &l.generators, &l.elt, None, dst)?
            }
            Expr::SetComp(l) => {
                self.comprehension(e, Comp::Set, &l.generators, &l.elt, None, dst)?
            }
            Expr::GeneratorExp(l) => {
                self.comprehension(e, Comp::Gen, &l.generators, &l.elt, None, dst)?
            }
            Expr::DictComp(d) => {
                self.comprehension(e, Comp::Dict, &d.generators, &d.key, Some(&d.value), dst)?
            }
            Expr::Yield(y) => {
                let v = match &y.value {
                    Some(v) => self.val(v)?,
                    None => self.konst(Constant::None),
                };
                self.emit(RegOp::Yield, 0, vec![dst], vec![v]);
            }
            Expr::YieldFrom(y) => {
                let v = self.val(&y.value)?;
                let it = self.temp()?;
                self.apply(Opcode::GetYieldFromIter, 0, vec![Dst::Temp(it)], vec![v]);
                let sent = self.temp()?;
                let none = self.konst(Constant::None);
                self.emit(RegOp::Move, 0, vec![Dst::Temp(sent)], vec![none]);
                self.emit(
                    RegOp::YieldFrom,
                    0,
                    vec![dst],
                    vec![V::Temp(it), V::Temp(sent)],
                );
            }
            Expr::Starred(_) => return super::unsupported("a starred expression here"),
            Expr::NamedExpr(n) => {
                let Expr::Name(target) = n.target.as_ref() else {
                    return super::unsupported("an assignment expression to a non-name");
                };
                if let NameAccess::Fast(i, _) = self.scope_of(target.id.as_str()) {
                    if !self.ur().copy_locals.contains(&i) {
                        self.retry_copy = Some(i);
                        return super::unsupported(super::RETRY_WITH_COPIES);
                    }
                }
                if let Dst::Temp(t) = dst {
                    // The value in its temporary, then the store.
                    self.expr_into(&n.value, dst)?;
                    self.store_name(target.id.as_str(), V::Temp(t))?;
                } else {
                    let v = self.val(&n.value)?;
                    self.store_name(target.id.as_str(), v)?;
                    if dst != Dst::Discard {
                        self.emit(RegOp::Move, 0, vec![dst], vec![v]);
                    }
                }
            }
            Expr::Await(a) => {
                let v = self.val(&a.value)?;
                self.await_into(v, dst)?;
            }
        }
        self.free_to(mark);
        Ok(())
    }

    /// `await v` into `dst`: `GET_AWAITABLE`, then `YIELD_FROM` sending
    /// `None`.
    pub(super) fn await_into(&mut self, v: V, dst: Dst) -> R {
        let mark = self.mark();
        let it = self.temp()?;
        self.apply(Opcode::GetAwaitable, 0, vec![Dst::Temp(it)], vec![v]);
        let sent = self.temp()?;
        let none = self.konst(Constant::None);
        self.emit(RegOp::Move, 0, vec![Dst::Temp(sent)], vec![none]);
        self.emit(
            RegOp::YieldFrom,
            0,
            vec![dst],
            vec![V::Temp(it), V::Temp(sent)],
        );
        self.free_to(mark);
        Ok(())
    }

    /// `BUILD_TUPLE`/`BUILD_LIST`/`BUILD_SET` of the elements; with
    /// starred elements, the plain ones before the first star are built
    /// together, then each is appended or extended (`starunpack_helper`).
    fn build(&mut self, elts: &[Expr], op: Opcode, dst: Dst) -> R {
        if op == Opcode::BuildSet && elts.len() > 2 {
            // CPython builds a set display of three or more constants from
            // one frozenset constant (`BUILD_SET 0; SET_UPDATE`), which
            // copies that table: its iteration order is the frozenset's,
            // not that of adding the items one by one.
            if let Some(items) = elts.iter().map(fold).collect::<Option<Vec<_>>>() {
                let mut uniq: Vec<pyreg_spec::code::Constant> = Vec::new();
                for i in items {
                    let k = crate::compile::ConstKey::of(&i);
                    if !uniq.iter().any(|u| crate::compile::ConstKey::of(u) == k) {
                        uniq.push(i);
                    }
                }
                let acc = self.scratch(dst)?;
                let accv = acc.val().expect("a register");
                self.apply(Opcode::BuildSet, 0, vec![acc], vec![]);
                let k = self.konst(pyreg_spec::code::Constant::FrozenSet(uniq.into()));
                self.apply(Opcode::SetUpdate, 1, vec![Dst::Discard], vec![accv, k]);
                self.settle(acc, dst);
                return Ok(());
            }
        }
        let Some(first_star) = elts.iter().position(|e| matches!(e, Expr::Starred(_))) else {
            let ins = self.vals(elts)?;
            self.apply(op, elts.len() as u32, vec![dst], ins);
            return Ok(());
        };
        let set = op == Opcode::BuildSet;
        let (build, add, extend) = if set {
            (Opcode::BuildSet, Opcode::SetAdd, Opcode::SetUpdate)
        } else {
            (Opcode::BuildList, Opcode::ListAppend, Opcode::ListExtend)
        };
        let acc = self.scratch(dst)?;
        let accv = acc.val().expect("a register");
        let ins = self.vals(&elts[..first_star])?;
        self.apply(build, first_star as u32, vec![acc], ins);
        for e in &elts[first_star..] {
            let mark = self.mark();
            match e {
                Expr::Starred(s) => {
                    let v = self.val(&s.value)?;
                    self.apply(extend, 1, vec![Dst::Discard], vec![accv, v]);
                }
                e => {
                    let v = self.val(e)?;
                    self.apply(add, 1, vec![Dst::Discard], vec![accv, v]);
                }
            }
            self.free_to(mark);
        }
        if op == Opcode::BuildTuple {
            self.apply(Opcode::ListToTuple, 0, vec![dst], vec![accv]);
        } else {
            self.settle(acc, dst);
        }
        Ok(())
    }

    /// A dict display (`compiler_dict`): runs of `key: value` built by
    /// `BUILD_MAP`, each `**` merged by `DICT_UPDATE`.
    fn dict(&mut self, d: &ast::ExprDict, dst: Dst) -> R {
        if d.keys.iter().all(Option::is_some) {
            let mut ins = Vec::new();
            for (k, v) in d.keys.iter().zip(&d.values) {
                if let Some(k) = k {
                    ins.push(self.val(k)?);
                }
                ins.push(self.val(v)?);
            }
            let n = d.values.len() as u32;
            self.apply(Opcode::BuildMap, n, vec![dst], ins);
            return Ok(());
        }
        let acc = self.scratch(dst)?;
        let accv = acc.val().expect("a register");
        let mut have = false;
        let mut run: Vec<V> = Vec::new();
        let mark = self.mark();
        for (k, v) in d.keys.iter().zip(&d.values) {
            match k {
                Some(k) => {
                    run.push(self.val(k)?);
                    run.push(self.val(v)?);
                }
                None => {
                    self.flush_run(&mut run, &mut have, acc)?;
                    if !have {
                        self.apply(Opcode::BuildMap, 0, vec![acc], vec![]);
                        have = true;
                    }
                    let u = self.val(v)?;
                    self.apply(Opcode::DictUpdate, 1, vec![Dst::Discard], vec![accv, u]);
                    self.free_to(mark);
                }
            }
        }
        self.flush_run(&mut run, &mut have, acc)?;
        self.free_to(mark);
        self.settle(acc, dst);
        Ok(())
    }

    /// The pending `key: value` pairs of a dict display into `acc` (built,
    /// or merged when `acc` exists).
    fn flush_run(&mut self, run: &mut Vec<V>, have: &mut bool, acc: Dst) -> R {
        if run.is_empty() {
            return Ok(());
        }
        let items = std::mem::take(run);
        let n = (items.len() / 2) as u32;
        if *have {
            let t = self.temp()?;
            self.apply(Opcode::BuildMap, n, vec![Dst::Temp(t)], items);
            let accv = acc.val().expect("a register");
            self.apply(
                Opcode::DictUpdate,
                1,
                vec![Dst::Discard],
                vec![accv, V::Temp(t)],
            );
        } else {
            self.apply(Opcode::BuildMap, n, vec![acc], items);
            *have = true;
        }
        Ok(())
    }

    /// The symbol-table block of the scope `node` opens.
    pub(super) fn block_for(&self, node: &impl rustpython_parser::ast::Ranged) -> R<usize> {
        match self.st.block_at(u32::from(node.range().start())) {
            Some(b) => Ok(b),
            None => super::unsupported("a scope without a symbol table entry"),
        }
    }

    /// Loads variable `name` into `dst`.
    pub(super) fn load_name(&mut self, name: &str, dst: Dst) -> R {
        match self.scope_of(name) {
            NameAccess::Fast(i, stable) => {
                if dst == Dst::Local(i) {
                    return Ok(());
                }
                if dst == Dst::Discard
                    && stable
                    && self.ur().bound.contains(&i)
                    && !self.ur().copy_locals.contains(&i)
                {
                    return Ok(());
                }
                self.emit(RegOp::Move, 0, vec![dst], vec![V::Local(i)]);
            }
            NameAccess::Deref(i, class) => {
                let op = if class {
                    Opcode::LoadClassderef
                } else {
                    Opcode::LoadDeref
                };
                self.apply(op, i, vec![dst], vec![]);
            }
            NameAccess::Global(n) => {
                let i = self.name_index(&n, false);
                self.apply(Opcode::LoadGlobal, i, vec![dst], vec![]);
            }
            NameAccess::Name(n) => {
                let i = self.name_index(&n, false);
                self.apply(Opcode::LoadName, i, vec![dst], vec![]);
            }
            NameAccess::Missing(n) => return super::unsupported(format!("the variable {n}")),
        }
        Ok(())
    }

    /// Stores `v` into variable `name`.
    pub(super) fn store_name(&mut self, name: &str, v: V) -> R {
        match self.scope_of(name) {
            NameAccess::Fast(i, _) => {
                if v != V::Local(i) {
                    self.emit(RegOp::Move, 0, vec![Dst::Local(i)], vec![v]);
                }
                self.u().bound.insert(i);
            }
            NameAccess::Deref(i, _) => self.apply(Opcode::StoreDeref, i, vec![], vec![v]),
            NameAccess::Global(n) => {
                let i = self.name_index(&n, false);
                self.apply(Opcode::StoreGlobal, i, vec![], vec![v]);
            }
            NameAccess::Name(n) => {
                let i = self.name_index(&n, false);
                self.apply(Opcode::StoreName, i, vec![], vec![v]);
            }
            NameAccess::Missing(n) => return super::unsupported(format!("the variable {n}")),
        }
        Ok(())
    }

    /// Jumps to `l` when the truth of `e` is `when`.
    pub(super) fn cond_jump(&mut self, e: &Expr, when: bool, l: Label) -> R {
        self.at_line(e, |c| c.cond_jump1(e, when, l))
    }

    fn cond_jump1(&mut self, e: &Expr, when: bool, l: Label) -> R {
        if let Some(k) = fold(e) {
            if truthy(&k) == when {
                self.jump_to(RegOp::Jump, vec![], l);
            }
            return Ok(());
        }
        let mark = self.mark();
        match e {
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => {
                self.cond_jump(&u.operand, !when, l)?;
            }
            Expr::BoolOp(b) => {
                let or = b.op == ast::BoolOp::Or;
                let (last, init) = b.values.split_last().expect("two values at least");
                if or == when {
                    // Any value deciding the whole goes to `l`.
                    for v in init {
                        self.cond_jump(v, when, l)?;
                    }
                    self.cond_jump(last, when, l)?;
                } else {
                    let skip = self.new_label();
                    for v in init {
                        self.cond_jump(v, !when, skip)?;
                    }
                    self.cond_jump(last, when, l)?;
                    self.bind(skip);
                }
            }
            Expr::Compare(c) if c.ops.len() > 1 => {
                // `a < b < c`: one fused compare-and-branch per link; a
                // link that is false makes the whole false.
                let skip = self.new_label();
                let line = self.ur().line;
                let mut a = self.val(&c.left)?;
                let n = c.ops.len();
                for (k, (op, r)) in c.ops.iter().zip(&c.comparators).enumerate() {
                    let b = if k + 1 == n {
                        self.cmp_rhs(*op, r)?
                    } else {
                        self.val(r)?
                    };
                    let (o, arg) = cmp(*op);
                    let (sense, target) = if k + 1 == n {
                        (when, l)
                    } else if when {
                        (false, skip)
                    } else {
                        (false, l)
                    };
                    self.emit_full(super::PInstr {
                        stack: 0,
                        op: RegOp::CompareBranch(sense),
                        arg,
                        test: Some(o),
                        outs: vec![],
                        ins: vec![a, b],
                        target: Some(target),
                        line,
                    });
                    a = b;
                }
                self.bind(skip);
            }
            Expr::Compare(c) if c.ops.len() == 1 => {
                let a = self.val(&c.left)?;
                let b = self.cmp_rhs(c.ops[0], &c.comparators[0])?;
                let (op, arg) = cmp(c.ops[0]);
                let line = self.ur().line;
                self.emit_full(super::PInstr {
                    stack: 0,
                    op: RegOp::CompareBranch(when),
                    arg,
                    test: Some(op),
                    outs: vec![],
                    ins: vec![a, b],
                    target: Some(l),
                    line,
                });
            }
            _ => {
                let v = self.val(e)?;
                self.jump_to(RegOp::Branch(when), vec![v], l);
            }
        }
        self.free_to(mark);
        Ok(())
    }

    /// A call into `dst`.
    fn call(&mut self, c: &ast::ExprCall, dst: Dst) -> R {
        let starred = c.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            || c.keywords.iter().any(|k| k.arg.is_none());
        if starred {
            return self.call_ex(c, dst);
        }
        if let Expr::Attribute(a) = c.func.as_ref() {
            if c.keywords.is_empty() && c.args.len() < 256 {
                // `LOAD_METHOD` then `CALL_METHOD`.
                let o = self.val(&a.value)?;
                let i = self.name_index(a.attr.as_str(), true);
                let m1 = self.temp()?;
                let m2 = self.temp()?;
                self.at_line(c.func.as_ref(), |s| {
                    s.apply(
                        Opcode::LoadMethod,
                        i,
                        vec![Dst::Temp(m1), Dst::Temp(m2)],
                        vec![o],
                    );
                    Ok(())
                })?;
                let mut ins = vec![V::Temp(m1), V::Temp(m2)];
                ins.extend(self.vals(&c.args)?);
                self.apply(Opcode::CallMethod, c.args.len() as u32, vec![dst], ins);
                return Ok(());
            }
        }
        let f = self.val(&c.func)?;
        self.call_with(f, &c.args, &c.keywords, dst)
    }

    /// `f(args, keywords)` into `dst` (no `*` or `**`).
    pub(super) fn call_with(
        &mut self,
        f: V,
        args: &[Expr],
        keywords: &[ast::Keyword],
        dst: Dst,
    ) -> R {
        let mut ins = vec![f];
        ins.extend(self.vals(args)?);
        let n = (args.len() + keywords.len()) as u32;
        if keywords.is_empty() {
            self.apply(Opcode::CallFunction, n, vec![dst], ins);
        } else {
            let mut names = Vec::new();
            for k in keywords {
                ins.push(self.val(&k.value)?);
                let name = k.arg.as_ref().map(|a| a.to_string()).unwrap_or_default();
                names.push(Constant::Str(name.as_str().into()));
            }
            let kn = self.konst(Constant::Tuple(names.into()));
            ins.push(kn);
            self.apply(Opcode::CallFunctionKw, n, vec![dst], ins);
        }
        Ok(())
    }

    /// A call with `*args` or `**kwargs`: `CALL_FUNCTION_EX`.
    fn call_ex(&mut self, c: &ast::ExprCall, dst: Dst) -> R {
        let f = self.val(&c.func)?;
        // The positional arguments as one tuple.
        let args = match c.args.as_slice() {
            [Expr::Starred(s)] => self.val(&s.value)?,
            _ => {
                let l = self.temp()?;
                let mut plain = Vec::new();
                let mut started = false;
                for a in &c.args {
                    match a {
                        Expr::Starred(s) => {
                            if !started {
                                let ins = std::mem::take(&mut plain);
                                let n = ins.len() as u32;
                                self.apply(Opcode::BuildList, n, vec![Dst::Temp(l)], ins);
                                started = true;
                            } else if !plain.is_empty() {
                                let ins = std::mem::take(&mut plain);
                                let t = self.temp()?;
                                let n = ins.len() as u32;
                                self.apply(Opcode::BuildTuple, n, vec![Dst::Temp(t)], ins);
                                self.apply(
                                    Opcode::ListExtend,
                                    1,
                                    vec![Dst::Discard],
                                    vec![V::Temp(l), V::Temp(t)],
                                );
                            }
                            let v = self.val(&s.value)?;
                            self.apply(
                                Opcode::ListExtend,
                                1,
                                vec![Dst::Discard],
                                vec![V::Temp(l), v],
                            );
                        }
                        _ => plain.push(self.val(a)?),
                    }
                }
                if !started {
                    let n = plain.len() as u32;
                    self.apply(Opcode::BuildTuple, n, vec![Dst::Temp(l)], plain);
                } else {
                    if !plain.is_empty() {
                        let t = self.temp()?;
                        let n = plain.len() as u32;
                        self.apply(Opcode::BuildTuple, n, vec![Dst::Temp(t)], plain);
                        self.apply(
                            Opcode::ListExtend,
                            1,
                            vec![Dst::Discard],
                            vec![V::Temp(l), V::Temp(t)],
                        );
                    }
                    self.apply(Opcode::ListToTuple, 0, vec![Dst::Temp(l)], vec![V::Temp(l)]);
                }
                V::Temp(l)
            }
        };
        let mut ins = vec![f, args];
        let mut flags = 0;
        if !c.keywords.is_empty() {
            flags = 1;
            let d = self.temp()?;
            let mut built = false;
            let mut pending: Vec<V> = Vec::new();
            // `DICT_MERGE` also reads the callee and the positional
            // arguments (its error message names the callee).
            let merge = |s: &mut Self, update: V| {
                s.apply(
                    Opcode::DictMerge,
                    1,
                    vec![Dst::Discard; 3],
                    vec![f, args, V::Temp(d), update],
                );
            };
            let mut groups: Vec<Option<&ast::Keyword>> = Vec::new();
            for k in &c.keywords {
                groups.push(Some(k));
            }
            groups.push(None);
            for k in groups {
                match k {
                    Some(k) if k.arg.is_some() => {
                        let a = k.arg.as_ref().map(|a| a.to_string()).unwrap_or_default();
                        let key = self.str_const(&a);
                        pending.push(key);
                        pending.push(self.val(&k.value)?);
                        continue;
                    }
                    _ => {}
                }
                if !pending.is_empty() {
                    let n = (pending.len() / 2) as u32;
                    let items = std::mem::take(&mut pending);
                    if !built {
                        self.apply(Opcode::BuildMap, n, vec![Dst::Temp(d)], items);
                        built = true;
                    } else {
                        let t = self.temp()?;
                        self.apply(Opcode::BuildMap, n, vec![Dst::Temp(t)], items);
                        merge(self, V::Temp(t));
                    }
                }
                if let Some(k) = k {
                    if !built {
                        self.apply(Opcode::BuildMap, 0, vec![Dst::Temp(d)], vec![]);
                        built = true;
                    }
                    let v = self.val(&k.value)?;
                    merge(self, v);
                }
            }
            ins.push(V::Temp(d));
        }
        self.apply(Opcode::CallFunctionEx, flags, vec![dst], ins);
        Ok(())
    }

    /// `compiler_make_closure` into `dst`: `pre` are the defaults,
    /// keyword defaults and annotations already computed, with their flags.
    pub(super) fn make_function(
        &mut self,
        code: std::sync::Arc<pyreg_spec::code::CodeObject>,
        pre: (u32, Vec<V>),
        qualname: &str,
        dst: Dst,
    ) -> R {
        let (mut fl, mut ins) = pre;
        if !code.freevars.is_empty() {
            let mut cells = Vec::new();
            for name in code.freevars.iter() {
                let name = name.to_string_lossy();
                let u = self.ur();
                let is_class_cell = u.kind == UnitKind::Class && name == "__class__";
                let scope = self.st.blocks[u.st_block].scope(&name);
                let arg = if is_class_cell || scope == Some(crate::symtable::Scope::Cell) {
                    u.cellvars.iter().position(|n| *n == name)
                } else {
                    u.freevars
                        .iter()
                        .position(|n| *n == name)
                        .map(|i| i + u.cellvars.len())
                };
                let Some(arg) = arg else {
                    return super::unsupported(format!("closure over {name}"));
                };
                let t = self.temp()?;
                self.apply(Opcode::LoadClosure, arg as u32, vec![Dst::Temp(t)], vec![]);
                cells.push(V::Temp(t));
            }
            let t = self.temp()?;
            let n = cells.len() as u32;
            self.apply(Opcode::BuildTuple, n, vec![Dst::Temp(t)], cells);
            ins.push(V::Temp(t));
            fl |= 0x08;
        }
        ins.push(self.konst(Constant::Code(code)));
        ins.push(self.str_const(qualname));
        self.apply(Opcode::MakeFunction, fl, vec![dst], ins);
        Ok(())
    }

    /// The defaults and keyword defaults of a function (`compiler_default_arguments`),
    /// computed into temporaries: the `MAKE_FUNCTION` flags and operands.
    pub(super) fn default_arguments(&mut self, args: &ast::Arguments) -> R<(u32, Vec<V>)> {
        let mut fl = 0;
        let mut out = Vec::new();
        let defaults: Vec<&Expr> = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !defaults.is_empty() {
            let mut ins = Vec::new();
            for d in &defaults {
                ins.push(self.val(d)?);
            }
            let t = self.temp()?;
            self.apply(
                Opcode::BuildTuple,
                ins.len() as u32,
                vec![Dst::Temp(t)],
                ins,
            );
            out.push(V::Temp(t));
            fl |= 0x01;
        }
        let mut keys = Vec::new();
        let mut ins = Vec::new();
        for a in &args.kwonlyargs {
            if let Some(d) = &a.default {
                let m = crate::symtable::mangle(self.ur().private.as_deref(), a.def.arg.as_str());
                keys.push(Constant::Str(m.as_str().into()));
                ins.push(self.val(d)?);
            }
        }
        if !keys.is_empty() {
            let n = keys.len() as u32;
            ins.push(self.konst(Constant::Tuple(keys.into())));
            let t = self.temp()?;
            self.apply(Opcode::BuildConstKeyMap, n, vec![Dst::Temp(t)], ins);
            out.push(V::Temp(t));
            fl |= 0x02;
        }
        Ok((fl, out))
    }

    /// A comprehension into `dst`: its function made and called with the
    /// iterator of its first iterable.
    fn comprehension(
        &mut self,
        e: &Expr,
        kind: Comp,
        gens: &[ast::Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
        dst: Dst,
    ) -> R {
        let name = match kind {
            Comp::Gen => "<genexpr>",
            Comp::List => "<listcomp>",
            Comp::Set => "<setcomp>",
            Comp::Dict => "<dictcomp>",
        };
        let line = self.lines.expr_line(e);
        let native = self.native_child(name, line)?;
        let block = self.block_for(e)?;
        let q = self.child_qualname(name, UnitKind::Comprehension);
        let code = self.unit(
            &native,
            block,
            UnitKind::Comprehension,
            q.clone(),
            Body::Comprehension(kind, gens, elt, value),
        );
        let f = self.temp()?;
        self.make_function(code, (0, vec![]), &q, Dst::Temp(f))?;
        let t = self.temp()?;
        if gens[0].is_async {
            let it = self.val(&gens[0].iter)?;
            self.apply(Opcode::GetAiter, 0, vec![Dst::Temp(t)], vec![it]);
        } else {
            let it = self.iter_val(&gens[0].iter)?;
            self.apply(Opcode::GetIter, 0, vec![Dst::Temp(t)], vec![it]);
        }
        // A comprehension that awaits is a coroutine: its result is awaited
        // (an asynchronous generator expression is not).
        if self.st.blocks[block].coroutine && kind != Comp::Gen {
            let r = self.temp()?;
            self.apply(
                Opcode::CallFunction,
                1,
                vec![Dst::Temp(r)],
                vec![V::Temp(f), V::Temp(t)],
            );
            self.await_into(V::Temp(r), dst)?;
        } else {
            self.apply(
                Opcode::CallFunction,
                1,
                vec![dst],
                vec![V::Temp(f), V::Temp(t)],
            );
        }
        Ok(())
    }

    /// The body of a comprehension's function.
    pub(super) fn comprehension_body(
        &mut self,
        kind: Comp,
        gens: &[ast::Comprehension],
        elt: &Expr,
        value: Option<&Expr>,
    ) -> R {
        let acc = match kind {
            Comp::Gen => None,
            _ => {
                let t = self.temp()?;
                let op = match kind {
                    Comp::List => Opcode::BuildList,
                    Comp::Set => Opcode::BuildSet,
                    _ => Opcode::BuildMap,
                };
                self.apply(op, 0, vec![Dst::Temp(t)], vec![]);
                Some(t)
            }
        };
        self.comp_generator(kind, gens, 0, elt, value, acc)?;
        match acc {
            Some(t) => self.emit(RegOp::Return, 0, vec![], vec![V::Temp(t)]),
            None => self.implicit_return()?,
        }
        Ok(())
    }

    fn comp_generator(
        &mut self,
        kind: Comp,
        gens: &[ast::Comprehension],
        k: usize,
        elt: &Expr,
        value: Option<&Expr>,
        acc: Option<u16>,
    ) -> R {
        let g = &gens[k];
        if g.is_async {
            return self.async_comp_generator(kind, gens, k, elt, value, acc);
        }
        let mark = self.mark();
        let it = if k == 0 {
            V::Local(0)
        } else {
            let v = self.iter_val(&g.iter)?;
            let t = self.temp()?;
            self.at_line(&g.iter, |s| {
                s.apply(Opcode::GetIter, 0, vec![Dst::Temp(t)], vec![v]);
                Ok(())
            })?;
            V::Temp(t)
        };
        let top = self.new_label();
        let exit = self.new_label();
        self.bind(top);
        let before = self.ur().bound.clone();
        self.for_iter(it, &g.target, exit)?;
        for cond in &g.ifs {
            self.cond_jump(cond, false, top)?;
        }
        self.comp_inner(kind, gens, k, elt, value, acc)?;
        self.jump_to(RegOp::Jump, vec![], top);
        self.bind(exit);
        self.u().bound = before;
        self.free_to(mark);
        Ok(())
    }

    /// An `async for` of a comprehension (`compiler_async_comprehension_generator`).
    fn async_comp_generator(
        &mut self,
        kind: Comp,
        gens: &[ast::Comprehension],
        k: usize,
        elt: &Expr,
        value: Option<&Expr>,
        acc: Option<u16>,
    ) -> R {
        let g = &gens[k];
        let mark = self.mark();
        let it = if k == 0 {
            V::Local(0)
        } else {
            let v = self.val(&g.iter)?;
            let t = self.temp()?;
            self.apply(Opcode::GetAiter, 0, vec![Dst::Temp(t)], vec![v]);
            V::Temp(t)
        };
        let before = self.ur().bound.clone();
        let base = self.mark();
        let top = self.new_label();
        let handler = self.new_label();
        self.bind(top);
        self.u().blocks.push(super::Blk::Finally { handler, base });
        let aw = self.temp()?;
        self.apply(
            Opcode::GetAnext,
            0,
            vec![Dst::Discard, Dst::Temp(aw)],
            vec![it],
        );
        let item = self.temp()?;
        self.await_into(V::Temp(aw), Dst::Temp(item))?;
        self.u().blocks.pop();
        self.store(&g.target, V::Temp(item))?;
        self.free_to(base);
        for cond in &g.ifs {
            self.cond_jump(cond, false, top)?;
        }
        self.comp_inner(kind, gens, k, elt, value, acc)?;
        self.jump_to(RegOp::Jump, vec![], top);
        self.u().blocks.push(super::Blk::Finally { handler, base });
        self.enter_handler(handler, base)?;
        let mut ins = vec![it];
        ins.extend((0..6).map(|i| V::Temp(base + i)));
        self.apply(Opcode::EndAsyncFor, 0, vec![], ins);
        self.u().blocks.pop();
        self.u().bound = before;
        self.free_to(mark);
        Ok(())
    }

    /// The next generator of a comprehension, or its element.
    fn comp_inner(
        &mut self,
        kind: Comp,
        gens: &[ast::Comprehension],
        k: usize,
        elt: &Expr,
        value: Option<&Expr>,
        acc: Option<u16>,
    ) -> R {
        if k + 1 < gens.len() {
            self.comp_generator(kind, gens, k + 1, elt, value, acc)?;
        } else {
            let m = self.mark();
            match (kind, acc) {
                (Comp::Gen, _) => {
                    let v = self.val(elt)?;
                    self.at_line(elt, |s| {
                        s.emit(RegOp::Yield, 0, vec![Dst::Discard], vec![v]);
                        Ok(())
                    })?;
                }
                (Comp::Dict, Some(a)) => {
                    let key = self.val(elt)?;
                    let v = self.val(value.expect("a dict comprehension has a value"))?;
                    self.apply(
                        Opcode::MapAdd,
                        1,
                        vec![Dst::Discard],
                        vec![V::Temp(a), key, v],
                    );
                }
                (Comp::List, Some(a)) => {
                    let v = self.val(elt)?;
                    self.apply(
                        Opcode::ListAppend,
                        1,
                        vec![Dst::Discard],
                        vec![V::Temp(a), v],
                    );
                }
                (Comp::Set, Some(a)) => {
                    let v = self.val(elt)?;
                    self.apply(Opcode::SetAdd, 1, vec![Dst::Discard], vec![V::Temp(a), v]);
                }
                _ => return super::unsupported("a comprehension without its result"),
            }
            self.free_to(m);
        }
        Ok(())
    }

    /// `FOR_ITER` over register `it` into `target`, leaving for `exit` when
    /// the iterator is exhausted.
    pub(super) fn for_iter(&mut self, it: V, target: &Expr, exit: Label) -> R {
        let line = self.ur().line;
        if let Expr::Name(n) = target {
            if let NameAccess::Fast(i, _) = self.scope_of(n.id.as_str()) {
                self.emit_full(super::PInstr {
                    stack: 0,
                    op: RegOp::ForIter,
                    arg: 0,
                    test: None,
                    outs: vec![Dst::Local(i)],
                    ins: vec![it],
                    target: Some(exit),
                    line,
                });
                self.u().bound.insert(i);
                return Ok(());
            }
        }
        let t = self.temp()?;
        self.emit_full(super::PInstr {
            stack: 0,
            op: RegOp::ForIter,
            arg: 0,
            test: None,
            outs: vec![Dst::Temp(t)],
            ins: vec![it],
            target: Some(exit),
            line,
        });
        self.store(target, V::Temp(t))?;
        self.free_to(t);
        Ok(())
    }
}
