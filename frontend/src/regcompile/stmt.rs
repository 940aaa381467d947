//! Statements, function and class definitions, assignment targets.

use super::{unsupported, Blk, Body, Dst, FBlock, Label, NameAccess, RCompiler, UnitKind, R, V};
use crate::compile::docstring;
use crate::compile::fold::{fold, truthy};
use pyreg_spec::code::Constant;
use pyreg_spec::opcode::Opcode;
use pyreg_spec::reg::RegOp;
use rustpython_parser::ast::{self, Expr, Stmt};
use std::collections::{HashMap, HashSet};

/// The names a `del` statement of `body` unbinds (not looking into nested
/// scopes): such locals are never used as operands in place, so reading
/// them after the `del` raises where CPython raises.
pub(super) fn deleted_names(body: &[Stmt], out: &mut HashSet<String>) {
    fn target(e: &Expr, out: &mut HashSet<String>) {
        match e {
            Expr::Name(n) => {
                out.insert(n.id.to_string());
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|e| target(e, out)),
            Expr::List(t) => t.elts.iter().for_each(|e| target(e, out)),
            _ => {}
        }
    }
    for s in body {
        match s {
            Stmt::Delete(d) => d.targets.iter().for_each(|e| target(e, out)),
            Stmt::If(i) => {
                deleted_names(&i.body, out);
                deleted_names(&i.orelse, out);
            }
            Stmt::While(w) => {
                deleted_names(&w.body, out);
                deleted_names(&w.orelse, out);
            }
            Stmt::For(f) => {
                deleted_names(&f.body, out);
                deleted_names(&f.orelse, out);
            }
            Stmt::With(w) => deleted_names(&w.body, out),
            Stmt::Try(t) => {
                deleted_names(&t.body, out);
                deleted_names(&t.orelse, out);
                deleted_names(&t.finalbody, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        out.insert(n.to_string());
                    }
                    deleted_names(&h.body, out);
                }
            }
            _ => {}
        }
    }
}

impl RCompiler<'_> {
    /// A module or class body: the docstring into `__doc__`, then the
    /// statements.
    pub(super) fn body(&mut self, body: &[Stmt]) -> R {
        if crate::compile::find_ann(body) {
            if let Some(first) = body.first() {
                self.u().line = self.line_of(first);
            }
            self.apply(Opcode::SetupAnnotations, 0, vec![], vec![]);
        }
        let mut rest = body;
        if let Some(d) = docstring(body) {
            self.u().line = self.line_of(&body[0]);
            let k = self.konst(Constant::Str(d.as_str().into()));
            self.store_name("__doc__", k)?;
            rest = &body[1..];
        }
        self.stmts(rest)
    }

    pub(super) fn stmts(&mut self, body: &[Stmt]) -> R {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> R {
        self.u().line = self.line_of(s);
        let mark = self.mark();
        match s {
            Stmt::Expr(e) => {
                if !matches!(e.value.as_ref(), Expr::Constant(_)) {
                    self.expr_into(&e.value, Dst::Discard)?;
                }
            }
            Stmt::Assign(a) => self.assign(&a.targets, &a.value)?,
            Stmt::AugAssign(a) => self.augassign(a)?,
            Stmt::AnnAssign(a) => self.annassign(s, a)?,
            Stmt::If(i) => self.if_(i)?,
            Stmt::While(w) => self.while_(w)?,
            Stmt::For(f) => self.for_(f)?,
            Stmt::Break(_) => self.leave_to(Exit::Break)?,
            Stmt::Continue(_) => self.leave_to(Exit::Continue)?,
            Stmt::Return(r) if !self.runs_code_on_exit() && is_ifexp(r.value.as_deref()) => {
                self.return_ifexp(r.value.as_deref().expect("a value"))?;
            }
            Stmt::Return(r) => {
                let v = match &r.value {
                    Some(v) => self.val(v)?,
                    None => self.konst(Constant::None),
                };
                let v = if self.runs_code_on_exit() {
                    // A final body or handler cleanup run on the way out
                    // must not change it.
                    self.unaliased(v)?
                } else {
                    v
                };
                self.leave_to(Exit::Return(v))?;
            }
            Stmt::Pass(_) | Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            Stmt::Raise(r) => {
                let mut ins = Vec::new();
                if let Some(e) = &r.exc {
                    ins.push(self.val(e)?);
                    if let Some(c) = &r.cause {
                        ins.push(self.val(c)?);
                    }
                }
                let n = ins.len() as u32;
                self.apply(Opcode::RaiseVarargs, n, vec![], ins);
            }
            Stmt::Assert(a) => {
                let end = self.new_label();
                self.cond_jump(&a.test, true, end)?;
                let t = self.temp()?;
                self.apply(Opcode::LoadAssertionError, 0, vec![Dst::Temp(t)], vec![]);
                if let Some(m) = &a.msg {
                    let m = self.val(m)?;
                    self.apply(
                        Opcode::CallFunction,
                        1,
                        vec![Dst::Temp(t)],
                        vec![V::Temp(t), m],
                    );
                }
                self.apply(Opcode::RaiseVarargs, 1, vec![], vec![V::Temp(t)]);
                self.bind(end);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete(t)?;
                }
            }
            Stmt::Import(i) => self.import(i)?,
            Stmt::ImportFrom(i) => self.import_from(i)?,
            Stmt::FunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
            )?,
            Stmt::ClassDef(c) => self.class(s, c)?,
            Stmt::Try(t) => {
                if t.finalbody.is_empty() {
                    self.try_except(t)?;
                } else {
                    self.try_finally(t)?;
                }
            }
            Stmt::With(w) => self.with(w, 0)?,
            Stmt::AsyncFunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
            )?,
            Stmt::AsyncFor(f) => self.async_for(f)?,
            Stmt::AsyncWith(w) => self.async_with(w, 0)?,
            _ => return unsupported("this statement"),
        }
        self.free_to(mark);
        Ok(())
    }

    fn assign(&mut self, targets: &[Expr], value: &Expr) -> R {
        if let [t] = targets {
            if let Expr::Name(n) = t {
                if let NameAccess::Fast(i, _) = self.scope_of(n.id.as_str()) {
                    self.expr_into(value, Dst::Local(i))?;
                    self.u().bound.insert(i);
                    return Ok(());
                }
            }
            // `a, b = x, y`: no tuple is built.
            let lhs = match t {
                Expr::Tuple(t) => Some(&t.elts),
                Expr::List(t) => Some(&t.elts),
                _ => None,
            };
            let rhs = match value {
                Expr::Tuple(t) => Some(&t.elts),
                Expr::List(t) => Some(&t.elts),
                _ => None,
            };
            if let (Some(l), Some(r)) = (lhs, rhs) {
                let starred = |v: &Vec<Expr>| v.iter().any(|e| matches!(e, Expr::Starred(_)));
                if l.len() == r.len() && !starred(l) && !starred(r) && fold(value).is_none() {
                    // With distinct plain locals as targets, the last value
                    // goes straight to its target: the stores before it
                    // cannot fail or be observed.
                    let mut locals = Vec::new();
                    for e in l.iter() {
                        if let Expr::Name(n) = e {
                            if let NameAccess::Fast(i, _) = self.scope_of(n.id.as_str()) {
                                if !locals.contains(&i) {
                                    locals.push(i);
                                }
                            }
                        }
                    }
                    let direct_last = locals.len() == l.len();
                    let last_local = if direct_last {
                        locals.last().copied()
                    } else {
                        None
                    };
                    // Where each local is first stored: a value read from a
                    // local stored before it is copied first.
                    let mut first_store: HashMap<u16, usize> = HashMap::new();
                    for (j, e) in l.iter().enumerate() {
                        for i in self.target_locals(e) {
                            first_store.entry(i).or_insert(j);
                        }
                    }
                    let mut vals = Vec::new();
                    for (k, e) in r.iter().enumerate() {
                        if let (Some(last), true) = (last_local, k + 1 == r.len()) {
                            self.expr_into(e, Dst::Local(last))?;
                            vals.push(V::Local(last));
                            break;
                        }
                        let v = self.val(e)?;
                        let copy = match v {
                            V::Local(i) => {
                                first_store.get(&i).is_some_and(|&j| j < k) || last_local == Some(i)
                            }
                            _ => false,
                        };
                        vals.push(if copy { self.unaliased(v)? } else { v });
                    }
                    for (e, v) in l.iter().zip(vals) {
                        self.store(e, v)?;
                    }
                    return Ok(());
                }
            }
            let v = self.val(value)?;
            return self.store(t, v);
        }
        // `a = b = value`: the value goes to the first target when it is a
        // local no later target stores.
        if let Some(Expr::Name(n)) = targets.first() {
            if let NameAccess::Fast(i, _) = self.scope_of(n.id.as_str()) {
                let later: Vec<u16> = targets[1..]
                    .iter()
                    .flat_map(|t| self.target_locals(t))
                    .collect();
                if !later.contains(&i) {
                    self.expr_into(value, Dst::Local(i))?;
                    self.u().bound.insert(i);
                    for t in &targets[1..] {
                        self.store(t, V::Local(i))?;
                    }
                    return Ok(());
                }
            }
        }
        let v = self.val(value)?;
        let v = self.unaliased(v)?;
        for t in targets {
            self.store(t, v)?;
        }
        Ok(())
    }

    /// The fast locals an assignment target stores (its plain names, in
    /// nested tuples too).
    fn target_locals(&mut self, e: &Expr) -> Vec<u16> {
        match e {
            Expr::Name(n) => match self.scope_of(n.id.as_str()) {
                NameAccess::Fast(i, _) => vec![i],
                _ => vec![],
            },
            Expr::Tuple(t) => t.elts.iter().flat_map(|e| self.target_locals(e)).collect(),
            Expr::List(t) => t.elts.iter().flat_map(|e| self.target_locals(e)).collect(),
            Expr::Starred(s) => self.target_locals(&s.value),
            _ => vec![],
        }
    }

    /// Whether leaving the frame from here runs code of the program (a
    /// final body, an `__exit__`, a handler's name cleanup) or restores an
    /// exception.
    fn runs_code_on_exit(&self) -> bool {
        self.ur()
            .fblocks
            .iter()
            .any(|f| !matches!(f, FBlock::Loop { .. } | FBlock::TryExcept))
    }

    /// `return a if c else b` as two returns (no join, no move).
    fn return_ifexp(&mut self, e: &Expr) -> R {
        let Expr::IfExp(i) = e else {
            let v = self.val(e)?;
            self.emit(RegOp::Return, 0, vec![], vec![v]);
            return Ok(());
        };
        let line = self.ur().line;
        let orelse = self.new_label();
        self.u().line = self.lines.expr_line(e);
        self.cond_jump(&i.test, false, orelse)?;
        let mark = self.mark();
        self.return_ifexp(&i.body)?;
        self.free_to(mark);
        self.bind(orelse);
        self.u().line = self.lines.expr_line(e);
        self.return_ifexp(&i.orelse)?;
        self.free_to(mark);
        self.u().line = line;
        Ok(())
    }

    /// `v` where storing into a local cannot change it: a local is copied.
    fn unaliased(&mut self, v: V) -> R<V> {
        match v {
            V::Local(_) => {
                let t = self.temp()?;
                self.emit(RegOp::Move, 0, vec![Dst::Temp(t)], vec![v]);
                Ok(V::Temp(t))
            }
            _ => Ok(v),
        }
    }

    /// Stores `v` into an assignment target.
    pub(super) fn store(&mut self, target: &Expr, v: V) -> R {
        let mark = self.mark();
        match target {
            Expr::Name(n) => self.store_name(n.id.as_str(), v)?,
            Expr::Attribute(a) => {
                let o = self.val(&a.value)?;
                let i = self.name_index(a.attr.as_str(), true);
                self.apply(Opcode::StoreAttr, i, vec![], vec![v, o]);
            }
            Expr::Subscript(s) => {
                let o = self.val(&s.value)?;
                let i = self.val(&s.slice)?;
                self.apply(Opcode::StoreSubscr, 0, vec![], vec![v, o, i]);
            }
            Expr::Tuple(t) => self.unpack(&t.elts, v)?,
            Expr::List(t) => self.unpack(&t.elts, v)?,
            _ => return unsupported("this assignment target"),
        }
        self.free_to(mark);
        Ok(())
    }

    /// `UNPACK_SEQUENCE`/`UNPACK_EX` of `v` into the targets.
    fn unpack(&mut self, elts: &[Expr], v: V) -> R {
        let star = elts.iter().position(|e| matches!(e, Expr::Starred(_)));
        let (op, arg) = match star {
            Some(k) => {
                let after = elts.len() - k - 1;
                if k > 255 || after > 255 {
                    return unsupported("too many targets around a starred one");
                }
                (Opcode::UnpackEx, (k | (after << 8)) as u32)
            }
            None => (Opcode::UnpackSequence, elts.len() as u32),
        };
        // The leading targets that are distinct plain locals receive their
        // items directly: CPython stores them first, and storing a local
        // cannot fail or be observed. The others go through temporaries
        // and are stored in order.
        let mut dsts = Vec::new();
        let mut direct = Vec::new();
        for e in elts {
            let plain = match e {
                Expr::Starred(s) => s.value.as_ref(),
                e => e,
            };
            if direct.len() == dsts.len() {
                if let Expr::Name(n) = plain {
                    if let NameAccess::Fast(i, _) = self.scope_of(n.id.as_str()) {
                        if !direct.contains(&i) {
                            direct.push(i);
                            dsts.push(Dst::Local(i));
                            continue;
                        }
                    }
                }
            }
            dsts.push(Dst::Temp(self.temp()?));
        }
        let outs = dsts.iter().rev().copied().collect();
        self.apply(op, arg, outs, vec![v]);
        for i in &direct {
            self.u().bound.insert(*i);
        }
        for (e, d) in elts.iter().zip(dsts).skip(direct.len()) {
            let e = match e {
                Expr::Starred(s) => s.value.as_ref(),
                e => e,
            };
            if let Some(t) = d.val() {
                self.store(e, t)?;
            }
        }
        Ok(())
    }

    fn delete(&mut self, target: &Expr) -> R {
        match target {
            Expr::Name(n) => match self.scope_of(n.id.as_str()) {
                NameAccess::Fast(i, _) => {
                    self.emit(RegOp::Delete, 0, vec![Dst::Local(i)], vec![]);
                    self.u().bound.remove(&i);
                }
                NameAccess::Deref(i, _) => self.apply(Opcode::DeleteDeref, i, vec![], vec![]),
                NameAccess::Global(n) => {
                    let i = self.name_index(&n, false);
                    self.apply(Opcode::DeleteGlobal, i, vec![], vec![]);
                }
                NameAccess::Name(n) => {
                    let i = self.name_index(&n, false);
                    self.apply(Opcode::DeleteName, i, vec![], vec![]);
                }
                NameAccess::Missing(n) => return unsupported(format!("the variable {n}")),
            },
            Expr::Attribute(a) => {
                let o = self.val(&a.value)?;
                let i = self.name_index(a.attr.as_str(), true);
                self.apply(Opcode::DeleteAttr, i, vec![], vec![o]);
            }
            Expr::Subscript(s) => {
                let o = self.val(&s.value)?;
                let i = self.val(&s.slice)?;
                self.apply(Opcode::DeleteSubscr, 0, vec![], vec![o, i]);
            }
            Expr::Tuple(t) => {
                for e in &t.elts {
                    self.delete(e)?;
                }
            }
            Expr::List(t) => {
                for e in &t.elts {
                    self.delete(e)?;
                }
            }
            _ => return unsupported("this del target"),
        }
        Ok(())
    }

    fn augassign(&mut self, a: &ast::StmtAugAssign) -> R {
        let op = super::expr::binop(a.op, true);
        match a.target.as_ref() {
            Expr::Name(n) => {
                let name = n.id.as_str();
                if let NameAccess::Fast(i, _) = self.scope_of(name) {
                    let cur = if self.ur().bound.contains(&i)
                        && !self.ur().deleted.contains(name)
                        && !self.ur().copy_locals.contains(&i)
                    {
                        V::Local(i)
                    } else {
                        let t = self.temp()?;
                        self.emit(RegOp::Move, 0, vec![Dst::Temp(t)], vec![V::Local(i)]);
                        V::Temp(t)
                    };
                    let b = self.val(&a.value)?;
                    self.apply(op, 0, vec![Dst::Local(i)], vec![cur, b]);
                    self.u().bound.insert(i);
                } else {
                    let t = self.temp()?;
                    self.load_name(name, Dst::Temp(t))?;
                    let b = self.val(&a.value)?;
                    self.apply(op, 0, vec![Dst::Temp(t)], vec![V::Temp(t), b]);
                    self.store_name(name, V::Temp(t))?;
                }
            }
            Expr::Attribute(at) => {
                let o = self.val(&at.value)?;
                let i = self.name_index(at.attr.as_str(), true);
                let t = self.temp()?;
                self.apply(Opcode::LoadAttr, i, vec![Dst::Temp(t)], vec![o]);
                let b = self.val(&a.value)?;
                self.apply(op, 0, vec![Dst::Temp(t)], vec![V::Temp(t), b]);
                self.apply(Opcode::StoreAttr, i, vec![], vec![V::Temp(t), o]);
            }
            Expr::Subscript(s) => {
                let o = self.val(&s.value)?;
                let k = self.val(&s.slice)?;
                let t = self.temp()?;
                self.apply(Opcode::BinarySubscr, 0, vec![Dst::Temp(t)], vec![o, k]);
                let b = self.val(&a.value)?;
                self.apply(op, 0, vec![Dst::Temp(t)], vec![V::Temp(t), b]);
                self.apply(Opcode::StoreSubscr, 0, vec![], vec![V::Temp(t), o, k]);
            }
            _ => return unsupported("this augmented assignment target"),
        }
        Ok(())
    }

    fn if_(&mut self, i: &ast::StmtIf) -> R {
        if let Some(c) = fold(&i.test) {
            return if truthy(&c) {
                self.stmts(&i.body)
            } else {
                self.stmts(&i.orelse)
            };
        }
        let orelse = self.new_label();
        let end = self.new_label();
        let before = self.ur().bound.clone();
        self.cond_jump(&i.test, false, orelse)?;
        self.stmts(&i.body)?;
        let body_end = (self.ur().reachable, self.ur().bound.clone());
        if !i.orelse.is_empty() {
            self.jump_to(RegOp::Jump, vec![], end);
        }
        self.bind(orelse);
        self.u().bound = before.clone();
        self.stmts(&i.orelse)?;
        let else_end = (self.ur().reachable, self.ur().bound.clone());
        self.bind(end);
        self.u().bound = match (body_end, else_end) {
            ((true, a), (true, b)) => a.intersection(&b).copied().collect(),
            ((true, a), (false, _)) => a,
            ((false, _), (true, b)) => b,
            _ => before,
        };
        Ok(())
    }

    /// `while`: the test is compiled twice, before the loop and at its
    /// bottom (loop inversion), so an iteration runs one branch and no
    /// jump; `continue` goes to the bottom test.
    fn while_(&mut self, w: &ast::StmtWhile) -> R {
        let constant = fold(&w.test).map(|c| truthy(&c));
        if constant == Some(false) {
            return self.stmts(&w.orelse);
        }
        let before = self.ur().bound.clone();
        let top = self.new_label();
        let cont = self.new_label();
        let orelse = self.new_label();
        let brk = self.new_label();
        if constant.is_none() {
            self.cond_jump(&w.test, false, orelse)?;
        }
        self.bind(top);
        self.u().fblocks.push(FBlock::Loop {
            cont: if constant.is_none() { cont } else { top },
            brk,
            iter: None,
        });
        let r = self.stmts(&w.body);
        self.u().fblocks.pop();
        r?;
        self.bind(cont);
        self.u().bound = before.clone();
        self.u().line = self.line_of(w.test.as_ref());
        if constant.is_none() {
            self.cond_jump(&w.test, true, top)?;
        } else {
            self.jump_to(RegOp::Jump, vec![], top);
        }
        self.bind(orelse);
        self.u().bound = before.clone();
        self.stmts(&w.orelse)?;
        self.bind(brk);
        self.u().bound = before;
        Ok(())
    }

    fn for_(&mut self, f: &ast::StmtFor) -> R {
        let before = self.ur().bound.clone();
        let v = self.iter_val(&f.iter)?;
        let it = self.temp()?;
        self.apply(Opcode::GetIter, 0, vec![Dst::Temp(it)], vec![v]);
        let top = self.new_label();
        let exit = self.new_label();
        let brk = self.new_label();
        self.bind(top);
        self.for_iter(V::Temp(it), &f.target, exit)?;
        self.u().fblocks.push(FBlock::Loop {
            cont: top,
            brk,
            iter: Some(it),
        });
        let r = self.stmts(&f.body);
        self.u().fblocks.pop();
        r?;
        self.u().line = self.line_of(f);
        self.jump_to(RegOp::Jump, vec![], top);
        self.bind(exit);
        self.u().bound = before.clone();
        self.stmts(&f.orelse)?;
        self.bind(brk);
        self.u().bound = before;
        Ok(())
    }

    /// `break`, `continue` or `return`: leaves the frame blocks in the way
    /// (`compiler_unwind_fblock_stack`), then jumps or returns.
    fn leave_to(&mut self, exit: Exit) -> R {
        let saved_fblocks = self.ur().fblocks.clone();
        let saved_blocks = self.ur().blocks.clone();
        let r = self.leave_to1(exit);
        self.u().fblocks = saved_fblocks;
        self.u().blocks = saved_blocks;
        r
    }

    fn leave_to1(&mut self, exit: Exit) -> R {
        while let Some(fb) = self.u().fblocks.pop() {
            match fb {
                FBlock::Loop { cont, brk, iter } => match exit {
                    Exit::Break => {
                        if let Some(it) = iter {
                            self.emit(RegOp::Move, 0, vec![Dst::Discard], vec![V::Temp(it)]);
                        }
                        self.jump_to(RegOp::Jump, vec![], brk);
                        return Ok(());
                    }
                    Exit::Continue => {
                        self.jump_to(RegOp::Jump, vec![], cont);
                        return Ok(());
                    }
                    Exit::Return(_) => {}
                },
                FBlock::TryExcept => {
                    self.u().blocks.pop();
                }
                FBlock::FinallyTry(body) => {
                    self.u().blocks.pop();
                    let mark = self.mark();
                    self.stmts(&body)?;
                    self.free_to(mark);
                }
                FBlock::Handler { base, name } => {
                    if name.is_some() {
                        // The block that unbinds the name on an exception.
                        self.u().blocks.pop();
                    }
                    self.pop_except(base);
                    if let Some(n) = name {
                        self.unbind_handler_name(&n)?;
                    }
                }
                FBlock::With { exit: e, is_async } => {
                    self.u().blocks.pop();
                    self.call_exit(e, is_async)?;
                }
            }
        }
        match exit {
            Exit::Return(v) => {
                self.emit(RegOp::Return, 0, vec![], vec![v]);
                Ok(())
            }
            _ => unsupported("break or continue outside a loop"),
        }
    }

    /// `POP_EXCEPT` of the handler whose six registers start at `base`
    /// (its block leaves the static block stack).
    fn pop_except(&mut self, base: u16) {
        self.emit(
            RegOp::PopExcept,
            0,
            vec![],
            vec![V::Temp(base), V::Temp(base + 1), V::Temp(base + 2)],
        );
        self.u().blocks.pop();
    }

    /// `name = None; del name` at the end of `except E as name`.
    fn unbind_handler_name(&mut self, name: &str) -> R {
        let none = self.konst(Constant::None);
        self.store_name(name, none)?;
        self.delete(&Expr::Name(ast::ExprName {
            range: Default::default(),
            id: name.into(),
            ctx: ast::ExprContext::Del,
        }))
    }

    /// `__exit__(None, None, None)` of a `with` on the normal way out.
    /// (awaited for an `async with`).
    fn call_exit(&mut self, exit: u16, is_async: bool) -> R {
        let none = self.konst(Constant::None);
        let mark = self.mark();
        let dst = if is_async {
            Dst::Temp(self.temp()?)
        } else {
            Dst::Discard
        };
        self.apply(
            Opcode::CallFunction,
            3,
            vec![dst],
            vec![V::Temp(exit), none, none, none],
        );
        if let Some(v) = dst.val() {
            self.await_into(v, Dst::Discard)?;
        }
        self.free_to(mark);
        Ok(())
    }

    /// `async for` (`compiler_async_for`): `GET_ANEXT` awaited inside a
    /// finally block whose handler, `END_ASYNC_FOR`, ends the loop on
    /// `StopAsyncIteration`.
    fn async_for(&mut self, f: &ast::StmtAsyncFor) -> R {
        let before = self.ur().bound.clone();
        let v = self.val(&f.iter)?;
        let it = self.temp()?;
        self.apply(Opcode::GetAiter, 0, vec![Dst::Temp(it)], vec![v]);
        let base = self.mark();
        let top = self.new_label();
        let handler = self.new_label();
        let brk = self.new_label();
        self.bind(top);
        self.u().blocks.push(Blk::Finally { handler, base });
        let aw = self.temp()?;
        self.apply(
            Opcode::GetAnext,
            0,
            vec![Dst::Discard, Dst::Temp(aw)],
            vec![V::Temp(it)],
        );
        let item = self.temp()?;
        self.await_into(V::Temp(aw), Dst::Temp(item))?;
        self.u().blocks.pop();
        self.store(&f.target, V::Temp(item))?;
        self.free_to(base);
        self.u().fblocks.push(FBlock::Loop {
            cont: top,
            brk,
            iter: Some(it),
        });
        let r = self.stmts(&f.body);
        self.u().fblocks.pop();
        r?;
        self.u().line = self.line_of(f);
        self.jump_to(RegOp::Jump, vec![], top);
        self.u().blocks.push(Blk::Finally { handler, base });
        self.enter_handler(handler, base)?;
        let mut ins = vec![V::Temp(it)];
        ins.extend((0..6).map(|i| V::Temp(base + i)));
        self.apply(Opcode::EndAsyncFor, 0, vec![], ins);
        self.u().blocks.pop();
        self.free_to(base);
        self.u().bound = before.clone();
        self.stmts(&f.orelse)?;
        self.bind(brk);
        self.u().bound = before;
        Ok(())
    }

    /// `async with` (`compiler_async_with`), item `k` on.
    fn async_with(&mut self, w: &ast::StmtAsyncWith, k: usize) -> R {
        let Some(item) = w.items.get(k) else {
            return self.stmts(&w.body);
        };
        let before = self.ur().bound.clone();
        let mark = self.mark();
        let mgr = self.val(&item.context_expr)?;
        let exit = self.temp()?;
        let base = self.mark();
        let handler = self.new_label();
        let end = self.new_label();
        let aw = self.temp()?;
        self.apply(
            Opcode::BeforeAsyncWith,
            0,
            vec![Dst::Temp(exit), Dst::Temp(aw)],
            vec![mgr],
        );
        self.await_into(V::Temp(aw), Dst::Temp(aw))?;
        let res = if item.optional_vars.is_some() {
            Dst::Temp(aw)
        } else {
            Dst::Discard
        };
        self.apply(Opcode::SetupAsyncWith, 0, vec![res], vec![V::Temp(aw)]);
        self.u().blocks.push(Blk::Finally { handler, base });
        if let (Some(target), Some(v)) = (&item.optional_vars, res.val()) {
            self.store(target, v)?;
        }
        self.free_to(base);
        self.u().fblocks.push(FBlock::With {
            exit,
            is_async: true,
        });
        let r = self.async_with(w, k + 1);
        self.u().fblocks.pop();
        r?;
        self.u().blocks.pop();
        self.u().line = self.line_of(w);
        self.call_exit(exit, true)?;
        self.jump_to(RegOp::Jump, vec![], end);
        self.u().blocks.push(Blk::Finally { handler, base });
        self.enter_handler(handler, base)?;
        let t = self.temp()?;
        let mut outs = vec![Dst::Discard; 7];
        outs.push(Dst::Temp(t));
        let mut ins = vec![V::Temp(exit)];
        ins.extend((0..6).map(|i| V::Temp(base + i)));
        self.apply(Opcode::WithExceptStart, 0, outs, ins);
        self.await_into(V::Temp(t), Dst::Temp(t))?;
        let suppress = self.new_label();
        self.jump_to(RegOp::Branch(true), vec![V::Temp(t)], suppress);
        self.reraise(base);
        self.bind(suppress);
        self.pop_except(base);
        self.emit(RegOp::Move, 0, vec![Dst::Discard], vec![V::Temp(exit)]);
        self.bind(end);
        self.free_to(mark);
        self.u().bound = before;
        Ok(())
    }

    /// Enters a handler: the six registers from `base` hold the previous
    /// and the new exception, and the block becomes an except handler.
    pub(super) fn enter_handler(&mut self, handler: Label, base: u16) -> R {
        self.u().blocks.pop();
        self.free_to(base);
        for _ in 0..6 {
            self.temp()?;
        }
        self.bind(handler);
        self.u().reachable = true;
        self.u().blocks.push(Blk::Handler { base });
        Ok(())
    }

    /// `RERAISE` of the exception a handler at `base` received.
    fn reraise(&mut self, base: u16) {
        self.emit(
            RegOp::Reraise,
            0,
            vec![],
            vec![V::Temp(base + 3), V::Temp(base + 4), V::Temp(base + 5)],
        );
    }

    /// `try` with handlers (`compiler_try_except`).
    fn try_except(&mut self, t: &ast::StmtTry) -> R {
        let before = self.ur().bound.clone();
        let base = self.mark();
        let handler = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.u().blocks.push(Blk::Finally { handler, base });
        self.u().fblocks.push(FBlock::TryExcept);
        let r = self.stmts(&t.body);
        self.u().fblocks.pop();
        r?;
        self.u().blocks.pop();
        self.jump_to(RegOp::Jump, vec![], orelse);
        self.u().blocks.push(Blk::Finally { handler, base });
        self.enter_handler(handler, base)?;
        let in_handler = self.ur().blocks.clone();
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.u().line = self.line_of(h);
            self.u().bound = before.clone();
            let next = self.new_label();
            if let Some(ty) = &h.type_ {
                let mark = self.mark();
                let v = self.val(ty)?;
                self.jump_to(RegOp::ExcMatchBranch, vec![V::Temp(base + 5), v], next);
                self.free_to(mark);
            }
            let name = h.name.as_ref().map(|n| n.to_string());
            if let Some(n) = &name {
                self.store_name(n, V::Temp(base + 4))?;
                // The body runs in a try/finally that unbinds the name.
                let cleanup = self.new_label();
                let inner = self.mark();
                self.u().blocks.push(Blk::Finally {
                    handler: cleanup,
                    base: inner,
                });
                self.u().fblocks.push(FBlock::Handler {
                    base,
                    name: Some(n.clone()),
                });
                let r = self.stmts(&h.body);
                self.u().fblocks.pop();
                r?;
                self.u().blocks.pop();
                self.pop_except(base);
                self.unbind_handler_name(n)?;
                self.jump_to(RegOp::Jump, vec![], end);
                // An exception in the body: unbind, then re-raise.
                self.u().blocks.push(Blk::Handler { base });
                self.u().blocks.push(Blk::Finally {
                    handler: cleanup,
                    base: inner,
                });
                self.enter_handler(cleanup, inner)?;
                self.unbind_handler_name(n)?;
                self.reraise(inner);
                self.u().blocks.pop();
                self.free_to(base + 6);
            } else {
                self.u().fblocks.push(FBlock::Handler { base, name: None });
                let r = self.stmts(&h.body);
                self.u().fblocks.pop();
                r?;
                self.pop_except(base);
                self.jump_to(RegOp::Jump, vec![], end);
            }
            self.bind(next);
            self.u().blocks = in_handler.clone();
        }
        // No handler matched.
        self.reraise(base);
        self.u().blocks.pop();
        self.free_to(base);
        self.bind(orelse);
        self.u().bound = before.clone();
        self.stmts(&t.orelse)?;
        self.bind(end);
        self.u().bound = before;
        Ok(())
    }

    /// `try` with a `finally` (`compiler_try_finally`); handlers, if any,
    /// form a `try` nested in it.
    fn try_finally(&mut self, t: &ast::StmtTry) -> R {
        let before = self.ur().bound.clone();
        let base = self.mark();
        let handler = self.new_label();
        let end = self.new_label();
        self.u().blocks.push(Blk::Finally { handler, base });
        self.u()
            .fblocks
            .push(FBlock::FinallyTry(t.finalbody.clone()));
        let r = if t.handlers.is_empty() {
            self.stmts(&t.body)
        } else {
            let inner = ast::StmtTry {
                range: t.range,
                body: t.body.clone(),
                handlers: t.handlers.clone(),
                orelse: t.orelse.clone(),
                finalbody: Vec::new(),
            };
            self.try_except(&inner)
        };
        self.u().fblocks.pop();
        r?;
        self.u().blocks.pop();
        self.u().bound = before.clone();
        self.stmts(&t.finalbody)?;
        self.jump_to(RegOp::Jump, vec![], end);
        self.u().blocks.push(Blk::Finally { handler, base });
        self.enter_handler(handler, base)?;
        self.u().bound = before.clone();
        self.u().fblocks.push(FBlock::Handler { base, name: None });
        let r = self.stmts(&t.finalbody);
        self.u().fblocks.pop();
        r?;
        self.reraise(base);
        self.u().blocks.pop();
        self.free_to(base);
        self.bind(end);
        self.u().bound = before;
        Ok(())
    }

    /// `with` (`compiler_with`), item `k` on.
    fn with(&mut self, w: &ast::StmtWith, k: usize) -> R {
        let Some(item) = w.items.get(k) else {
            return self.stmts(&w.body);
        };
        let before = self.ur().bound.clone();
        let mark = self.mark();
        let mgr = self.val(&item.context_expr)?;
        let exit = self.temp()?;
        let base = self.mark();
        let handler = self.new_label();
        let end = self.new_label();
        let res = if item.optional_vars.is_some() {
            Dst::Temp(self.temp()?)
        } else {
            Dst::Discard
        };
        self.apply(Opcode::SetupWith, 0, vec![Dst::Temp(exit), res], vec![mgr]);
        self.u().blocks.push(Blk::Finally { handler, base });
        if let (Some(target), Some(v)) = (&item.optional_vars, res.val()) {
            self.store(target, v)?;
        }
        self.free_to(base);
        self.u().fblocks.push(FBlock::With {
            exit,
            is_async: false,
        });
        let r = self.with(w, k + 1);
        self.u().fblocks.pop();
        r?;
        self.u().blocks.pop();
        self.u().line = self.line_of(w);
        self.call_exit(exit, false)?;
        self.jump_to(RegOp::Jump, vec![], end);
        self.u().blocks.push(Blk::Finally { handler, base });
        self.enter_handler(handler, base)?;
        let t = self.temp()?;
        let mut outs = vec![Dst::Discard; 7];
        outs.push(Dst::Temp(t));
        let mut ins = vec![V::Temp(exit)];
        ins.extend((0..6).map(|i| V::Temp(base + i)));
        self.apply(Opcode::WithExceptStart, 0, outs, ins);
        let suppress = self.new_label();
        self.jump_to(RegOp::Branch(true), vec![V::Temp(t)], suppress);
        self.reraise(base);
        self.bind(suppress);
        self.pop_except(base);
        self.emit(RegOp::Move, 0, vec![Dst::Discard], vec![V::Temp(exit)]);
        self.bind(end);
        self.free_to(mark);
        self.u().bound = before;
        Ok(())
    }

    fn import(&mut self, i: &ast::StmtImport) -> R {
        for alias in &i.names {
            let name = alias.name.as_str();
            let idx = self.name_index(name, true);
            let zero = self.konst(Constant::Int(0.into()));
            let none = self.konst(Constant::None);
            let t = self.temp()?;
            self.apply(
                Opcode::ImportName,
                idx,
                vec![Dst::Temp(t)],
                vec![zero, none],
            );
            match &alias.asname {
                Some(asname) => {
                    let mut cur = t;
                    for attr in name.split('.').skip(1) {
                        let a = self.name_index(attr, false);
                        let n = self.temp()?;
                        self.apply(
                            Opcode::ImportFrom,
                            a,
                            vec![Dst::Discard, Dst::Temp(n)],
                            vec![V::Temp(cur)],
                        );
                        cur = n;
                    }
                    self.store_name(asname.as_str(), V::Temp(cur))?;
                }
                None => {
                    let first = name.split('.').next().unwrap_or(name);
                    self.store_name(first, V::Temp(t))?;
                }
            }
        }
        Ok(())
    }

    fn import_from(&mut self, i: &ast::StmtImportFrom) -> R {
        let module = i.module.as_ref().map(|m| m.to_string()).unwrap_or_default();
        let level = i.level.map_or(0, |l| l.to_u32());
        let lv = self.konst(Constant::Int(level.into()));
        let names: Vec<Constant> = i
            .names
            .iter()
            .map(|a| Constant::Str(a.name.as_str().into()))
            .collect();
        let fromlist = self.konst(Constant::Tuple(names.into()));
        let idx = self.name_index(&module, true);
        let m = self.temp()?;
        self.apply(
            Opcode::ImportName,
            idx,
            vec![Dst::Temp(m)],
            vec![lv, fromlist],
        );
        for alias in &i.names {
            if alias.name.as_str().starts_with('*') {
                self.apply(Opcode::ImportStar, 0, vec![], vec![V::Temp(m)]);
                return Ok(());
            }
            let a = self.name_index(alias.name.as_str(), true);
            let n = self.temp()?;
            self.apply(
                Opcode::ImportFrom,
                a,
                vec![Dst::Discard, Dst::Temp(n)],
                vec![V::Temp(m)],
            );
            let store = alias.asname.as_ref().unwrap_or(&alias.name);
            self.store_name(store.as_str(), V::Temp(n))?;
            self.free_to(n);
        }
        Ok(())
    }

    /// The annotations dict of a function, when it has any.
    fn annotations(&mut self, args: &ast::Arguments, returns: Option<&Expr>) -> R<Option<V>> {
        let mut names = Vec::new();
        let mut ins = Vec::new();
        let mut all: Vec<(&str, Option<&Expr>)> = Vec::new();
        for a in args.args.iter().chain(&args.posonlyargs) {
            all.push((a.def.arg.as_str(), a.def.annotation.as_deref()));
        }
        if let Some(v) = &args.vararg {
            all.push((v.arg.as_str(), v.annotation.as_deref()));
        }
        for a in &args.kwonlyargs {
            all.push((a.def.arg.as_str(), a.def.annotation.as_deref()));
        }
        if let Some(k) = &args.kwarg {
            all.push((k.arg.as_str(), k.annotation.as_deref()));
        }
        all.push(("return", returns));
        let future = self.future_annotations();
        for (id, ann) in all {
            if let Some(a) = ann {
                ins.push(if future {
                    self.annotation_string(a)?
                } else {
                    self.val(a)?
                });
                let m = crate::symtable::mangle(self.ur().private.as_deref(), id);
                names.push(Constant::Str(m.as_str().into()));
            }
        }
        if names.is_empty() {
            return Ok(None);
        }
        let n = names.len() as u32;
        ins.push(self.konst(Constant::Tuple(names.into())));
        let t = self.temp()?;
        self.apply(Opcode::BuildConstKeyMap, n, vec![Dst::Temp(t)], ins);
        Ok(Some(V::Temp(t)))
    }

    fn function(
        &mut self,
        s: &Stmt,
        name: &str,
        args: &ast::Arguments,
        body: &[Stmt],
        decorators: &[Expr],
        returns: Option<&Expr>,
    ) -> R {
        let mut decs = Vec::new();
        for d in decorators {
            let v = self.val(d)?;
            decs.push(v);
        }
        let firstlineno = decorators
            .first()
            .map_or_else(|| self.line_of(s), |d| self.line_of(d));
        let (mut fl, mut pre) = self.default_arguments(args)?;
        if let Some(a) = self.annotations(args, returns)? {
            pre.push(a);
            fl |= 0x04;
        }
        let native = self.native_child(name, firstlineno)?;
        let block = self.block_for(s)?;
        let q = self.child_qualname(name, UnitKind::Function);
        let code = self.unit(
            &native,
            block,
            UnitKind::Function,
            q.clone(),
            Body::Function(body),
        );
        let f = self.temp()?;
        let last = self.def_target(name, f, decs.is_empty());
        self.make_function(code, (fl, pre), &q, last)?;
        self.decorate(name, f, decs)
    }

    /// Where the instruction that makes a definition's value writes: its
    /// local, when it is the last one (`last`) and the name is a fast
    /// local, else temporary `f`.
    fn def_target(&mut self, name: &str, f: u16, last: bool) -> Dst {
        match self.scope_of(name) {
            NameAccess::Fast(i, _) if last => Dst::Local(i),
            _ => Dst::Temp(f),
        }
    }

    /// Applies the decorators (innermost first) to the value in `f` and
    /// binds `name`; the last call writes a fast local directly.
    fn decorate(&mut self, name: &str, f: u16, decs: Vec<V>) -> R {
        let n = decs.len();
        for (k, d) in decs.into_iter().rev().enumerate() {
            let dst = self.def_target(name, f, k + 1 == n);
            self.apply(Opcode::CallFunction, 1, vec![dst], vec![d, V::Temp(f)]);
        }
        match self.scope_of(name) {
            NameAccess::Fast(i, _) => {
                self.u().bound.insert(i);
                Ok(())
            }
            _ => self.store_name(name, V::Temp(f)),
        }
    }

    /// An annotation kept as its source text (`from __future__ import
    /// annotations`).
    fn annotation_string(&mut self, a: &Expr) -> R<V> {
        match crate::compile::unparse::unparse(a) {
            Some(text) => Ok(self.str_const(&text)),
            None => unsupported("this annotation form under `from __future__ import annotations`"),
        }
    }

    /// An annotated assignment (`compiler_annassign`): the assignment, then
    /// in a module or class the annotation of a simple name stored in
    /// `__annotations__`, other annotations evaluated and dropped.
    fn annassign(&mut self, s: &Stmt, a: &ast::StmtAnnAssign) -> R {
        if let Some(v) = &a.value {
            self.assign(std::slice::from_ref(a.target.as_ref()), v)?;
        }
        let module_or_class = matches!(self.ur().kind, UnitKind::Module | UnitKind::Class);
        let simple = matches!(a.target.as_ref(), Expr::Name(_))
            && !self
                .lines
                .paren_at(rustpython_parser::ast::Ranged::range(s).start());
        let future = self.future_annotations();
        match a.target.as_ref() {
            Expr::Name(n) => {
                if simple && module_or_class {
                    let ann = if future {
                        self.annotation_string(&a.annotation)?
                    } else {
                        self.val(&a.annotation)?
                    };
                    let d = self.temp()?;
                    let i = self.name_index("__annotations__", false);
                    self.apply(Opcode::LoadName, i, vec![Dst::Temp(d)], vec![]);
                    let m = crate::symtable::mangle(self.ur().private.as_deref(), n.id.as_str());
                    let key = self.str_const(&m);
                    self.apply(Opcode::StoreSubscr, 0, vec![], vec![ann, V::Temp(d), key]);
                }
            }
            Expr::Attribute(t) => {
                if a.value.is_none() {
                    self.check_ann_expr(&t.value)?;
                }
            }
            Expr::Subscript(t) => {
                if a.value.is_none() {
                    self.check_ann_expr(&t.value)?;
                    self.check_ann_subscr(&t.slice)?;
                }
            }
            _ => return unsupported("this annotated target"),
        }
        if !simple && module_or_class && !future {
            self.check_ann_expr(&a.annotation)?;
        }
        Ok(())
    }

    /// Evaluates `e` and drops the value.
    fn check_ann_expr(&mut self, e: &Expr) -> R {
        let mark = self.mark();
        self.expr_into(e, Dst::Discard)?;
        self.free_to(mark);
        Ok(())
    }

    fn check_ann_subscr(&mut self, e: &Expr) -> R {
        match e {
            Expr::Slice(sl) => {
                for p in [&sl.lower, &sl.upper, &sl.step].into_iter().flatten() {
                    self.check_ann_expr(p)?;
                }
                Ok(())
            }
            Expr::Tuple(t) => t.elts.iter().try_for_each(|x| self.check_ann_subscr(x)),
            _ => self.check_ann_expr(e),
        }
    }

    fn future_annotations(&self) -> bool {
        self.ur().native.flags & 0x100_0000 != 0
    }

    fn class(&mut self, s: &Stmt, c: &ast::StmtClassDef) -> R {
        let mut decs = Vec::new();
        for d in &c.decorator_list {
            let v = self.val(d)?;
            decs.push(v);
        }
        let firstlineno = c
            .decorator_list
            .first()
            .map_or_else(|| self.line_of(s), |d| self.line_of(d));
        let name = c.name.as_str();
        let native = self.native_child(name, firstlineno)?;
        let block = self.block_for(s)?;
        let q = self.child_qualname(name, UnitKind::Class);
        let code = self.unit(&native, block, UnitKind::Class, q, Body::Class(c));
        let bc = self.temp()?;
        self.apply(Opcode::LoadBuildClass, 0, vec![Dst::Temp(bc)], vec![]);
        let f = self.temp()?;
        self.make_function(code, (0, vec![]), name, Dst::Temp(f))?;
        if c.bases.iter().any(|e| matches!(e, Expr::Starred(_)))
            || c.keywords.iter().any(|k| k.arg.is_none())
        {
            return unsupported("a class with `*` or `**` in its bases");
        }
        let n = self.str_const(name);
        let mut ins = vec![V::Temp(bc), V::Temp(f), n];
        for b in &c.bases {
            ins.push(self.val(b)?);
        }
        let argc = (2 + c.bases.len() + c.keywords.len()) as u32;
        let dst = self.def_target(name, bc, decs.is_empty());
        if c.keywords.is_empty() {
            self.apply(Opcode::CallFunction, argc, vec![dst], ins);
        } else {
            let mut names = Vec::new();
            for k in &c.keywords {
                ins.push(self.val(&k.value)?);
                let name = k.arg.as_ref().map(|a| a.to_string()).unwrap_or_default();
                names.push(Constant::Str(name.as_str().into()));
            }
            ins.push(self.konst(Constant::Tuple(names.into())));
            self.apply(Opcode::CallFunctionKw, argc, vec![dst], ins);
        }
        self.decorate(name, bc, decs)
    }

    /// The code of a class body.
    pub(super) fn class_body(&mut self, c: &ast::StmtClassDef) -> R {
        let t = self.temp()?;
        self.load_name("__name__", Dst::Temp(t))?;
        self.store_name("__module__", V::Temp(t))?;
        self.free_to(t);
        let q = self.ur().qualname.clone();
        let k = self.str_const(&q);
        self.store_name("__qualname__", k)?;
        self.body(&c.body)?;
        if self.st.blocks[self.ur().st_block].needs_class_closure {
            let t = self.temp()?;
            self.apply(Opcode::LoadClosure, 0, vec![Dst::Temp(t)], vec![]);
            self.store_name("__classcell__", V::Temp(t))?;
            self.emit(RegOp::Return, 0, vec![], vec![V::Temp(t)]);
        } else {
            self.implicit_return()?;
        }
        Ok(())
    }
}

/// Where a `break`, `continue` or `return` goes.
#[derive(Clone, Copy)]
enum Exit {
    Break,
    Continue,
    Return(V),
}

/// Whether `e` is a conditional expression.
fn is_ifexp(e: Option<&Expr>) -> bool {
    matches!(e, Some(Expr::IfExp(_)))
}
