//! Statements (`compiler_visit_stmt` and the functions it calls).

use super::fold::truthy;
use super::{docstring, Compiler, FBlock, UnitKind, R};
use pyreg_spec::code::Constant;
use pyreg_spec::opcode::Opcode;
use rustpython_parser::ast::{self, ExprContext as Ctx, Ranged};

/// What CPython's parser calls an expression that cannot be a target
/// (`_PyPegen_get_expr_name`); `None` for the forms that can.
fn expr_name(e: &ast::Expr) -> Option<&'static str> {
    use ast::Expr as E;
    Some(match e {
        E::Attribute(_)
        | E::Subscript(_)
        | E::Starred(_)
        | E::Name(_)
        | E::List(_)
        | E::Tuple(_) => return None,
        E::Lambda(_) => "lambda",
        E::Call(_) => "function call",
        E::BoolOp(_) | E::BinOp(_) | E::UnaryOp(_) => "operator",
        E::GeneratorExp(_) => "generator expression",
        E::Yield(_) | E::YieldFrom(_) => "yield expression",
        E::Await(_) => "await expression",
        E::ListComp(_) => "list comprehension",
        E::SetComp(_) => "set comprehension",
        E::DictComp(_) => "dict comprehension",
        E::Dict(_) => "dict display",
        E::Set(_) => "set display",
        E::JoinedStr(_) | E::FormattedValue(_) => "f-string expression",
        E::Constant(c) => match c.value {
            ast::Constant::None => "None",
            ast::Constant::Bool(true) => "True",
            ast::Constant::Bool(false) => "False",
            ast::Constant::Ellipsis => "Ellipsis",
            _ => "literal",
        },
        E::Compare(_) => "comparison",
        E::IfExp(_) => "conditional expression",
        E::NamedExpr(_) => "named expression",
        E::Slice(_) => "slice",
    })
}

/// The name of any expression form, for messages about targets.
pub(super) fn target_name(e: &ast::Expr) -> &'static str {
    match e {
        ast::Expr::Attribute(_) => "attribute",
        ast::Expr::Subscript(_) => "subscript",
        ast::Expr::Starred(_) => "starred",
        ast::Expr::List(_) => "list",
        ast::Expr::Tuple(_) => "tuple",
        ast::Expr::Name(_) => "name",
        e => expr_name(e).unwrap_or("expression"),
    }
}

impl Compiler<'_> {
    /// The parser accepts any expression where a target belongs; CPython's
    /// grammar does not: `f() = 1` is "cannot assign to function call".
    pub(super) fn check_target(&self, e: &ast::Expr, delete: bool) -> R {
        let verb = if delete { "delete" } else { "assign to" };
        let line = self.line_of(e);
        match e {
            ast::Expr::List(l) => l.elts.iter().try_for_each(|x| self.check_target(x, delete)),
            ast::Expr::Tuple(t) => t.elts.iter().try_for_each(|x| self.check_target(x, delete)),
            ast::Expr::Starred(s) if !delete => self.check_target(&s.value, delete),
            ast::Expr::Starred(_) => self.error("cannot delete starred", line),
            ast::Expr::Name(n) if n.id.as_str() == "__debug__" => {
                self.error(&format!("cannot {verb} __debug__"), line)
            }
            _ => match expr_name(e) {
                Some(what) => self.error(&format!("cannot {verb} {what}"), line),
                None => Ok(()),
            },
        }
    }

    pub(super) fn stmts(&mut self, body: &[ast::Stmt]) -> R {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    pub(super) fn stmt(&mut self, s: &ast::Stmt) -> R {
        use ast::Stmt as S;
        let line = self.line_of(s);
        self.u().lineno = line;
        match s {
            S::FunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                UnitKind::Function,
            ),
            S::AsyncFunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                UnitKind::AsyncFunction,
            ),
            S::ClassDef(c) => self.class(s, c),
            S::Return(r) => self.return_(r.value.as_deref(), line),
            S::Delete(d) => {
                for t in &d.targets {
                    self.check_target(t, true)?;
                }
                d.targets.iter().try_for_each(|t| self.expr(t))
            }
            S::Assign(a) => {
                for t in &a.targets {
                    self.check_target(t, false)?;
                }
                self.expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.emit(Opcode::DupTop, 0);
                    }
                    self.expr(t)?;
                }
                Ok(())
            }
            S::AugAssign(a) => self.augassign(a),
            S::AnnAssign(a) => self.annassign(s, a),
            S::For(f) => self.for_(f),
            S::While(w) => self.while_(w),
            S::If(i) => self.if_(i),
            S::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n += 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n += 1;
                    }
                }
                self.emit(Opcode::RaiseVarargs, n);
                Ok(())
            }
            S::Try(t) => {
                if t.finalbody.is_empty() {
                    self.try_except(t)
                } else {
                    self.try_finally(t)
                }
            }
            S::Assert(a) => {
                let end = self.new_block();
                self.jump_if(&a.test, end, true)?;
                self.emit(Opcode::LoadAssertionError, 0);
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                    self.emit(Opcode::CallFunction, 1);
                }
                self.emit(Opcode::RaiseVarargs, 1);
                self.use_next(end);
                Ok(())
            }
            S::Import(i) => self.import(i),
            S::ImportFrom(i) => self.import_from(i),
            S::Global(_) | S::Nonlocal(_) | S::Pass(_) => Ok(()),
            S::Expr(e) => {
                // A constant statement (docstrings, `...`, and whatever the
                // optimizer folds to a constant) compiles to nothing.
                if self.cfold(&e.value).is_some() {
                    return Ok(());
                }
                self.expr(&e.value)?;
                self.emit(Opcode::PopTop, 0);
                Ok(())
            }
            S::Break(_) => self.break_(line),
            S::Continue(_) => self.continue_(line),
            S::With(w) => self.with(w, 0),
            S::AsyncWith(w) => {
                if self.ur().kind != UnitKind::AsyncFunction {
                    return self.error("'async with' outside async function", line);
                }
                self.async_with(w, 0)
            }
            S::AsyncFor(f) => {
                if self.ur().kind != UnitKind::AsyncFunction {
                    return self.error("'async for' outside async function", line);
                }
                self.async_for(f)
            }
            S::Match(_) => self.error("invalid syntax", line),
            S::TryStar(_) => self.error("invalid syntax", line),
            S::TypeAlias(_) => self.error("invalid syntax", line),
        }
    }

    fn return_(&mut self, value: Option<&ast::Expr>, line: u32) -> R {
        if self.ur().kind == UnitKind::Module || self.ur().kind == UnitKind::Class {
            return self.error("'return' outside function", line);
        }
        let st = &self.st.blocks[self.ur().st_block];
        if value.is_some() && st.coroutine && st.generator {
            return self.error("'return' with value in async generator", line);
        }
        let preserve = value.is_some_and(|v| self.cfold(v).is_none());
        if preserve {
            self.expr(value.expect("value"))?;
        }
        self.unwind_stack(preserve, false)?;
        match value {
            None => self.load_const(Constant::None),
            Some(v) if !preserve => self.expr(v)?,
            _ => {}
        }
        self.emit(Opcode::ReturnValue, 0);
        Ok(())
    }

    /// `compiler_unwind_fblock`.
    fn unwind(&mut self, fb: &FBlock, preserve: bool) -> R {
        match fb {
            FBlock::WhileLoop { .. } | FBlock::AsyncComprehension => {}
            FBlock::Except => self.emit(Opcode::PopBlock, 0),
            FBlock::ForLoop { .. } | FBlock::PopValue => {
                if preserve {
                    self.emit(Opcode::RotTwo, 0);
                }
                self.emit(Opcode::PopTop, 0);
            }
            FBlock::FinallyTry { body } => {
                self.emit(Opcode::PopBlock, 0);
                if preserve {
                    self.u().fblocks.push(FBlock::PopValue);
                }
                let saved = self.ur().lineno;
                self.stmts(body)?;
                self.u().lineno = saved;
                if preserve {
                    self.u().fblocks.pop();
                }
            }
            FBlock::FinallyEnd => {
                if preserve {
                    self.emit(Opcode::RotFour, 0);
                }
                for _ in 0..3 {
                    self.emit(Opcode::PopTop, 0);
                }
                if preserve {
                    self.emit(Opcode::RotFour, 0);
                }
                self.emit(Opcode::PopExcept, 0);
            }
            FBlock::With | FBlock::AsyncWith => {
                self.emit(Opcode::PopBlock, 0);
                if preserve {
                    self.emit(Opcode::RotTwo, 0);
                }
                self.call_exit_with_nones();
                if matches!(fb, FBlock::AsyncWith) {
                    self.await_top();
                }
                self.emit(Opcode::PopTop, 0);
            }
            FBlock::HandlerCleanup { name } => {
                if name.is_some() {
                    self.emit(Opcode::PopBlock, 0);
                }
                if preserve {
                    self.emit(Opcode::RotFour, 0);
                }
                self.emit(Opcode::PopExcept, 0);
                if let Some(n) = name {
                    self.load_const(Constant::None);
                    self.nameop(n, Ctx::Store)?;
                    self.nameop(n, Ctx::Del)?;
                }
            }
        }
        Ok(())
    }

    /// `compiler_unwind_fblock_stack`: unwinds every frame block (to the
    /// innermost loop when `to_loop`), returning that loop's index.
    fn unwind_stack(&mut self, preserve: bool, to_loop: bool) -> R<Option<usize>> {
        let Some(top) = self.u().fblocks.pop() else {
            return Ok(None);
        };
        if to_loop && matches!(top, FBlock::WhileLoop { .. } | FBlock::ForLoop { .. }) {
            self.u().fblocks.push(top);
            return Ok(Some(self.ur().fblocks.len() - 1));
        }
        let r = self
            .unwind(&top, preserve)
            .and_then(|_| self.unwind_stack(preserve, to_loop));
        self.u().fblocks.push(top);
        r
    }

    fn break_(&mut self, line: u32) -> R {
        let Some(i) = self.unwind_stack(false, true)? else {
            return self.error("'break' outside loop", line);
        };
        let fb = self.ur().fblocks[i].clone();
        self.unwind(&fb, false)?;
        let exit = match fb {
            FBlock::WhileLoop { exit, .. } | FBlock::ForLoop { exit, .. } => exit,
            // unwind_stack(_, true) returns the index of a loop block.
            _ => return self.unsupported("break target", line),
        };
        self.jump(Opcode::JumpAbsolute, exit);
        self.next_block();
        Ok(())
    }

    fn continue_(&mut self, line: u32) -> R {
        let Some(i) = self.unwind_stack(false, true)? else {
            return self.error("'continue' not properly in loop", line);
        };
        let start = match self.ur().fblocks[i] {
            FBlock::WhileLoop { start, .. } | FBlock::ForLoop { start, .. } => start,
            _ => return self.unsupported("continue target", line),
        };
        self.jump(Opcode::JumpAbsolute, start);
        self.next_block();
        Ok(())
    }

    fn call_exit_with_nones(&mut self) {
        self.load_const(Constant::None);
        self.emit(Opcode::DupTop, 0);
        self.emit(Opcode::DupTop, 0);
        self.emit(Opcode::CallFunction, 3);
    }

    fn if_(&mut self, s: &ast::StmtIf) -> R {
        let end = self.new_block();
        match self.cfold(&s.test).map(|c| truthy(&c)) {
            Some(false) => {
                self.u().no_emit += 1;
                let r = self.stmts(&s.body);
                self.u().no_emit -= 1;
                r?;
                self.stmts(&s.orelse)?;
            }
            Some(true) => {
                self.stmts(&s.body)?;
                self.u().no_emit += 1;
                let r = self.stmts(&s.orelse);
                self.u().no_emit -= 1;
                r?;
            }
            None => {
                let next = if s.orelse.is_empty() {
                    end
                } else {
                    self.new_block()
                };
                self.jump_if(&s.test, next, false)?;
                self.stmts(&s.body)?;
                if !s.orelse.is_empty() {
                    self.jump(Opcode::JumpForward, end);
                    self.use_next(next);
                    self.stmts(&s.orelse)?;
                }
            }
        }
        self.use_next(end);
        Ok(())
    }

    fn while_(&mut self, s: &ast::StmtWhile) -> R {
        let constant = self.cfold(&s.test).map(|c| truthy(&c));
        if constant == Some(false) {
            self.u().no_emit += 1;
            self.u()
                .fblocks
                .push(FBlock::WhileLoop { start: 0, exit: 0 });
            let r = self.stmts(&s.body);
            self.u().fblocks.pop();
            self.u().no_emit -= 1;
            r?;
            return self.stmts(&s.orelse);
        }
        let lp = self.new_block();
        let end = self.new_block();
        let anchor = if constant.is_none() {
            Some(self.new_block())
        } else {
            None
        };
        self.use_next(lp);
        self.u().fblocks.push(FBlock::WhileLoop {
            start: lp,
            exit: end,
        });
        if let Some(a) = anchor {
            self.jump_if(&s.test, a, false)?;
        }
        self.stmts(&s.body)?;
        self.jump(Opcode::JumpAbsolute, lp);
        if let Some(a) = anchor {
            self.use_next(a);
        }
        self.u().fblocks.pop();
        self.stmts(&s.orelse)?;
        self.use_next(end);
        Ok(())
    }

    fn for_(&mut self, s: &ast::StmtFor) -> R {
        self.check_target(&s.target, false)?;
        let start = self.new_block();
        let cleanup = self.new_block();
        let end = self.new_block();
        self.u().fblocks.push(FBlock::ForLoop { start, exit: end });
        self.iter_expr(&s.iter)?;
        self.emit(Opcode::GetIter, 0);
        self.use_next(start);
        self.jump(Opcode::ForIter, cleanup);
        self.expr(&s.target)?;
        self.stmts(&s.body)?;
        self.jump(Opcode::JumpAbsolute, start);
        self.use_next(cleanup);
        self.u().fblocks.pop();
        self.stmts(&s.orelse)?;
        self.use_next(end);
        Ok(())
    }

    /// `GET_AWAITABLE; LOAD_CONST None; YIELD_FROM`: awaits the top of
    /// the stack.
    pub(super) fn await_top(&mut self) {
        self.emit(Opcode::GetAwaitable, 0);
        self.load_const(Constant::None);
        self.emit(Opcode::YieldFrom, 0);
    }

    fn async_for(&mut self, s: &ast::StmtAsyncFor) -> R {
        self.check_target(&s.target, false)?;
        let start = self.new_block();
        let except = self.new_block();
        let end = self.new_block();
        self.expr(&s.iter)?;
        self.emit(Opcode::GetAiter, 0);
        self.use_next(start);
        self.u().fblocks.push(FBlock::ForLoop { start, exit: end });
        self.jump(Opcode::SetupFinally, except);
        self.emit(Opcode::GetAnext, 0);
        self.load_const(Constant::None);
        self.emit(Opcode::YieldFrom, 0);
        self.emit(Opcode::PopBlock, 0);
        self.expr(&s.target)?;
        self.stmts(&s.body)?;
        self.jump(Opcode::JumpAbsolute, start);
        self.u().fblocks.pop();
        self.use_next(except);
        self.emit(Opcode::EndAsyncFor, 0);
        self.stmts(&s.orelse)?;
        self.use_next(end);
        Ok(())
    }

    fn async_with(&mut self, s: &ast::StmtAsyncWith, pos: usize) -> R {
        let item = &s.items[pos];
        if let Some(v) = &item.optional_vars {
            self.check_target(v, false)?;
        }
        let block = self.new_block();
        let fin = self.new_block();
        let exit = self.new_block();
        self.expr(&item.context_expr)?;
        self.emit(Opcode::BeforeAsyncWith, 0);
        self.await_top();
        self.jump(Opcode::SetupAsyncWith, fin);
        self.use_next(block);
        self.u().fblocks.push(FBlock::AsyncWith);
        match &item.optional_vars {
            Some(v) => self.expr(v)?,
            None => self.emit(Opcode::PopTop, 0),
        }
        if pos + 1 == s.items.len() {
            self.stmts(&s.body)?;
        } else {
            self.async_with(s, pos + 1)?;
        }
        self.u().fblocks.pop();
        self.emit(Opcode::PopBlock, 0);
        self.call_exit_with_nones();
        self.await_top();
        self.emit(Opcode::PopTop, 0);
        self.jump(Opcode::JumpAbsolute, exit);
        self.use_next(fin);
        self.emit(Opcode::WithExceptStart, 0);
        self.await_top();
        self.with_except_finish();
        self.use_next(exit);
        Ok(())
    }

    /// `compiler_with_except_finish`.
    fn with_except_finish(&mut self) {
        let exit = self.new_block();
        self.jump(Opcode::PopJumpIfTrue, exit);
        self.next_block();
        self.emit(Opcode::Reraise, 0);
        self.use_next(exit);
        for _ in 0..3 {
            self.emit(Opcode::PopTop, 0);
        }
        self.emit(Opcode::PopExcept, 0);
        self.emit(Opcode::PopTop, 0);
    }

    fn try_finally(&mut self, s: &ast::StmtTry) -> R {
        let body = self.new_block();
        let end = self.new_block();
        let exit = self.new_block();
        self.jump(Opcode::SetupFinally, end);
        self.use_next(body);
        self.u().fblocks.push(FBlock::FinallyTry {
            body: s.finalbody.clone(),
        });
        if s.handlers.is_empty() {
            self.stmts(&s.body)?;
        } else {
            self.try_except(s)?;
        }
        self.emit(Opcode::PopBlock, 0);
        self.u().fblocks.pop();
        self.stmts(&s.finalbody)?;
        self.jump(Opcode::JumpForward, exit);
        self.use_next(end);
        self.u().fblocks.push(FBlock::FinallyEnd);
        self.stmts(&s.finalbody)?;
        self.u().fblocks.pop();
        self.emit(Opcode::Reraise, 0);
        self.use_next(exit);
        Ok(())
    }

    fn try_except(&mut self, s: &ast::StmtTry) -> R {
        let body = self.new_block();
        let mut except = self.new_block();
        let orelse = self.new_block();
        let end = self.new_block();
        self.jump(Opcode::SetupFinally, except);
        self.use_next(body);
        self.u().fblocks.push(FBlock::Except);
        self.stmts(&s.body)?;
        self.emit(Opcode::PopBlock, 0);
        self.u().fblocks.pop();
        self.jump(Opcode::JumpForward, orelse);
        let n = s.handlers.len();
        self.use_next(except);
        for (i, h) in s.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let hline = self.lines.line(h.range.start());
            if h.type_.is_none() && i + 1 < n {
                return self.error("default 'except:' must be last", hline);
            }
            self.u().lineno = hline;
            except = self.new_block();
            if let Some(t) = &h.type_ {
                self.emit(Opcode::DupTop, 0);
                self.expr(t)?;
                self.jump(Opcode::JumpIfNotExcMatch, except);
            }
            self.emit(Opcode::PopTop, 0);
            if let Some(name) = &h.name {
                let name = name.to_string();
                let cleanup_end = self.new_block();
                let cleanup_body = self.new_block();
                self.nameop(&name, Ctx::Store)?;
                self.emit(Opcode::PopTop, 0);
                self.jump(Opcode::SetupFinally, cleanup_end);
                self.use_next(cleanup_body);
                self.u().fblocks.push(FBlock::HandlerCleanup {
                    name: Some(name.clone()),
                });
                self.stmts(&h.body)?;
                self.u().fblocks.pop();
                self.emit(Opcode::PopBlock, 0);
                self.emit(Opcode::PopExcept, 0);
                self.load_const(Constant::None);
                self.nameop(&name, Ctx::Store)?;
                self.nameop(&name, Ctx::Del)?;
                self.jump(Opcode::JumpForward, end);
                self.use_next(cleanup_end);
                self.load_const(Constant::None);
                self.nameop(&name, Ctx::Store)?;
                self.nameop(&name, Ctx::Del)?;
                self.emit(Opcode::Reraise, 0);
            } else {
                let cleanup_body = self.new_block();
                self.emit(Opcode::PopTop, 0);
                self.emit(Opcode::PopTop, 0);
                self.use_next(cleanup_body);
                self.u().fblocks.push(FBlock::HandlerCleanup { name: None });
                self.stmts(&h.body)?;
                self.u().fblocks.pop();
                self.emit(Opcode::PopExcept, 0);
                self.jump(Opcode::JumpForward, end);
            }
            self.use_next(except);
        }
        self.emit(Opcode::Reraise, 0);
        self.use_next(orelse);
        self.stmts(&s.orelse)?;
        self.use_next(end);
        Ok(())
    }

    fn with(&mut self, s: &ast::StmtWith, pos: usize) -> R {
        let item = &s.items[pos];
        if let Some(v) = &item.optional_vars {
            self.check_target(v, false)?;
        }
        let block = self.new_block();
        let fin = self.new_block();
        let exit = self.new_block();
        self.expr(&item.context_expr)?;
        self.jump(Opcode::SetupWith, fin);
        self.use_next(block);
        self.u().fblocks.push(FBlock::With);
        match &item.optional_vars {
            Some(v) => self.expr(v)?,
            None => self.emit(Opcode::PopTop, 0),
        }
        if pos + 1 == s.items.len() {
            self.stmts(&s.body)?;
        } else {
            self.with(s, pos + 1)?;
        }
        self.emit(Opcode::PopBlock, 0);
        self.u().fblocks.pop();
        self.call_exit_with_nones();
        self.emit(Opcode::PopTop, 0);
        self.jump(Opcode::JumpForward, exit);
        self.use_next(fin);
        self.emit(Opcode::WithExceptStart, 0);
        self.with_except_finish();
        self.use_next(exit);
        Ok(())
    }

    fn augassign(&mut self, a: &ast::StmtAugAssign) -> R {
        use ast::Expr as E;
        let old = self.ur().lineno;
        let tline = self.line_of(a.target.as_ref());
        self.u().lineno = tline;
        match a.target.as_ref() {
            E::Attribute(t) => {
                self.expr(&t.value)?;
                self.emit(Opcode::DupTop, 0);
                self.emit_name(Opcode::LoadAttr, t.attr.as_str());
            }
            E::Subscript(t) => {
                self.expr(&t.value)?;
                self.expr(&t.slice)?;
                self.emit(Opcode::DupTopTwo, 0);
                self.emit(Opcode::BinarySubscr, 0);
            }
            E::Name(n) => self.nameop(n.id.as_str(), Ctx::Load)?,
            other => {
                let what = match other {
                    E::List(_) => "list",
                    E::Tuple(_) => "tuple",
                    e => expr_name(e).unwrap_or("expression"),
                };
                return self.error(
                    &format!("'{what}' is an illegal expression for augmented assignment"),
                    tline,
                );
            }
        }
        self.u().lineno = old;
        self.expr(&a.value)?;
        self.emit(inplace_op(a.op), 0);
        self.u().lineno = tline;
        match a.target.as_ref() {
            E::Attribute(t) => {
                self.emit(Opcode::RotTwo, 0);
                self.emit_name(Opcode::StoreAttr, t.attr.as_str());
            }
            E::Subscript(_) => {
                self.emit(Opcode::RotThree, 0);
                self.emit(Opcode::StoreSubscr, 0);
            }
            E::Name(n) => self.nameop(n.id.as_str(), Ctx::Store)?,
            _ => {}
        }
        Ok(())
    }

    /// The annotation as a string under `from __future__ import annotations`.
    fn annotation_string(&mut self, ann: &ast::Expr) -> R {
        match super::unparse::unparse(ann) {
            Some(text) => {
                self.load_str(&text);
                Ok(())
            }
            None => {
                let line = self.line_of(ann);
                self.unsupported(
                    "this annotation form under `from __future__ import annotations`",
                    line,
                )
            }
        }
    }

    fn future_annotations(&self) -> bool {
        self.future_flags & super::CO_FUTURE_ANNOTATIONS != 0
    }

    fn annassign(&mut self, s: &ast::Stmt, a: &ast::StmtAnnAssign) -> R {
        if let Some(what) = expr_name(&a.target) {
            let line = self.line_of(a.target.as_ref());
            return self.error(&format!("cannot assign to {what}"), line);
        }
        if matches!(a.target.as_ref(), ast::Expr::List(_) | ast::Expr::Tuple(_)) {
            let line = self.line_of(a.target.as_ref());
            let what = if matches!(a.target.as_ref(), ast::Expr::List(_)) {
                "list"
            } else {
                "tuple"
            };
            return self.error(
                &format!("only single target (not {what}) can be annotated"),
                line,
            );
        }
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.expr(&a.target)?;
        }
        let module_or_class = matches!(self.ur().kind, UnitKind::Module | UnitKind::Class);
        // Only an unparenthesized name is a "simple" target.
        let simple = matches!(a.target.as_ref(), ast::Expr::Name(_))
            && !self.lines.paren_at(s.range().start());
        match a.target.as_ref() {
            ast::Expr::Name(n) => {
                if simple && module_or_class {
                    if self.future_annotations() {
                        self.annotation_string(&a.annotation)?;
                    } else {
                        self.expr(&a.annotation)?;
                    }
                    self.emit_name_raw(Opcode::LoadName, "__annotations__");
                    let m = crate::symtable::mangle(self.ur().private.as_deref(), n.id.as_str());
                    self.load_str(&m);
                    self.emit(Opcode::StoreSubscr, 0);
                }
            }
            ast::Expr::Attribute(t) => {
                if a.value.is_none() {
                    self.check_ann_expr(&t.value)?;
                }
            }
            ast::Expr::Subscript(t) => {
                if a.value.is_none() {
                    self.check_ann_expr(&t.value)?;
                    self.check_ann_subscr(&t.slice)?;
                }
            }
            _ => {
                let line = self.ur().lineno;
                return self.error("illegal target for annotation", line);
            }
        }
        // `check_annotation`: other annotations are evaluated and dropped,
        // in modules and classes, unless they are kept as strings.
        if !simple && module_or_class && !self.future_annotations() {
            self.check_ann_expr(&a.annotation)?;
        }
        Ok(())
    }

    fn check_ann_expr(&mut self, e: &ast::Expr) -> R {
        self.expr(e)?;
        self.emit(Opcode::PopTop, 0);
        Ok(())
    }

    fn check_ann_subscr(&mut self, e: &ast::Expr) -> R {
        match e {
            ast::Expr::Slice(sl) => {
                for p in [&sl.lower, &sl.upper, &sl.step].into_iter().flatten() {
                    self.check_ann_expr(p)?;
                }
                Ok(())
            }
            ast::Expr::Tuple(t) => t.elts.iter().try_for_each(|x| self.check_ann_subscr(x)),
            _ => self.check_ann_expr(e),
        }
    }

    fn import(&mut self, i: &ast::StmtImport) -> R {
        for alias in &i.names {
            let name = alias.name.as_str();
            self.load_const(Constant::Int(0.into()));
            self.load_const(Constant::None);
            self.emit_name(Opcode::ImportName, name);
            match &alias.asname {
                Some(asname) => {
                    let parts: Vec<&str> = name.split('.').collect();
                    if parts.len() > 1 {
                        for (k, attr) in parts[1..].iter().enumerate() {
                            self.emit_name_raw(Opcode::ImportFrom, attr);
                            if k + 2 < parts.len() {
                                self.emit(Opcode::RotTwo, 0);
                                self.emit(Opcode::PopTop, 0);
                            }
                        }
                        self.nameop(asname.as_str(), Ctx::Store)?;
                        self.emit(Opcode::PopTop, 0);
                    } else {
                        self.nameop(asname.as_str(), Ctx::Store)?;
                    }
                }
                None => {
                    let first = name.split('.').next().unwrap_or(name);
                    self.nameop(first, Ctx::Store)?;
                }
            }
        }
        Ok(())
    }

    fn import_from(&mut self, i: &ast::StmtImportFrom) -> R {
        let module = i.module.as_ref().map(|m| m.to_string()).unwrap_or_default();
        let line = self.ur().lineno;
        if module == "__future__" && line > self.future_line {
            return self.error(
                "from __future__ imports must occur at the beginning of the file",
                line,
            );
        }
        let level = i.level.map_or(0, |l| l.to_u32());
        self.load_const(Constant::Int(level.into()));
        let names: Vec<Constant> = i
            .names
            .iter()
            .map(|a| Constant::Str(a.name.as_str().into()))
            .collect();
        self.load_const(Constant::Tuple(names.into()));
        self.emit_name(Opcode::ImportName, &module);
        for (k, alias) in i.names.iter().enumerate() {
            if k == 0 && alias.name.as_str().starts_with('*') {
                self.emit(Opcode::ImportStar, 0);
                return Ok(());
            }
            self.emit_name(Opcode::ImportFrom, alias.name.as_str());
            let store = alias.asname.as_ref().unwrap_or(&alias.name);
            self.nameop(store.as_str(), Ctx::Store)?;
        }
        self.emit(Opcode::PopTop, 0);
        Ok(())
    }

    /// `compiler_default_arguments`: pushes the defaults, returns the
    /// MAKE_FUNCTION flags they need.
    pub(super) fn default_arguments(&mut self, args: &ast::Arguments) -> R<u32> {
        let mut fl = 0;
        let defaults: Vec<&ast::Expr> = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !defaults.is_empty() {
            for d in &defaults {
                self.expr(d)?;
            }
            self.emit(Opcode::BuildTuple, defaults.len() as u32);
            fl |= 0x01;
        }
        let mut keys = Vec::new();
        for a in &args.kwonlyargs {
            if let Some(d) = &a.default {
                let m = crate::symtable::mangle(self.ur().private.as_deref(), a.def.arg.as_str());
                keys.push(Constant::Str(m.as_str().into()));
                self.expr(d)?;
            }
        }
        if !keys.is_empty() {
            let n = keys.len() as u32;
            self.load_const(Constant::Tuple(keys.into()));
            self.emit(Opcode::BuildConstKeyMap, n);
            fl |= 0x02;
        }
        Ok(fl)
    }

    /// `compiler_visit_annotations`: pushes the annotations dict, if any.
    fn annotations(&mut self, args: &ast::Arguments, returns: Option<&ast::Expr>) -> R<bool> {
        let mut names = Vec::new();
        let future = self.future_annotations();
        let mut one = |c: &mut Self, id: &str, ann: Option<&ast::Expr>| -> R {
            if let Some(a) = ann {
                if future {
                    c.annotation_string(a)?;
                } else {
                    c.expr(a)?;
                }
                let m = crate::symtable::mangle(c.ur().private.as_deref(), id);
                names.push(Constant::Str(m.as_str().into()));
            }
            Ok(())
        };
        for a in args.args.iter().chain(&args.posonlyargs) {
            one(self, a.def.arg.as_str(), a.def.annotation.as_deref())?;
        }
        if let Some(v) = &args.vararg {
            one(self, v.arg.as_str(), v.annotation.as_deref())?;
        }
        for a in &args.kwonlyargs {
            one(self, a.def.arg.as_str(), a.def.annotation.as_deref())?;
        }
        if let Some(k) = &args.kwarg {
            one(self, k.arg.as_str(), k.annotation.as_deref())?;
        }
        one(self, "return", returns)?;
        if names.is_empty() {
            return Ok(false);
        }
        let n = names.len() as u32;
        self.load_const(Constant::Tuple(names.into()));
        self.emit(Opcode::BuildConstKeyMap, n);
        Ok(true)
    }

    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        s: &ast::Stmt,
        name: &str,
        args: &ast::Arguments,
        body: &[ast::Stmt],
        decorators: &[ast::Expr],
        returns: Option<&ast::Expr>,
        kind: UnitKind,
    ) -> R {
        for d in decorators {
            self.expr(d)?;
        }
        let firstlineno = decorators
            .first()
            .map_or_else(|| self.def_line(s), |d| self.line_of(d));
        let mut fl = self.default_arguments(args)?;
        if self.annotations(args, returns)? {
            fl |= 0x04;
        }
        let block = self.block_for(s, "function")?;
        self.enter(block, kind, name, firstlineno);
        let doc = docstring(body);
        let first = match &doc {
            Some(d) => Constant::Str(d.as_str().into()),
            None => Constant::None,
        };
        self.add_const(first);
        self.u().argcount = args.args.len() as u32;
        self.u().posonlyargcount = args.posonlyargs.len() as u32;
        self.u().kwonlyargcount = args.kwonlyargs.len() as u32;
        // The docstring statement is visited too: it emits nothing but sets
        // the line an implicit `return None` gets when it is alone.
        let r = self.stmts(body);
        if let Err(e) = r {
            self.units.pop();
            return Err(e);
        }
        let qualname = self.ur().qualname.clone();
        let code = self.leave(true)?;
        self.make_closure(code, fl, &qualname)?;
        for _ in decorators {
            self.emit(Opcode::CallFunction, 1);
        }
        self.nameop(name, Ctx::Store)
    }

    /// The line of the `def` or `class` keyword: the parser starts the node
    /// there, not at its decorators (CPython's `s->lineno`).
    pub(super) fn def_line(&self, s: &ast::Stmt) -> u32 {
        self.line_of(s)
    }

    fn class(&mut self, s: &ast::Stmt, c: &ast::StmtClassDef) -> R {
        for d in &c.decorator_list {
            self.expr(d)?;
        }
        let firstlineno = c
            .decorator_list
            .first()
            .map_or_else(|| self.def_line(s), |d| self.line_of(d));
        let block = self.block_for(s, "class")?;
        self.enter(block, UnitKind::Class, c.name.as_str(), firstlineno);
        let r = (|| -> R {
            self.nameop("__name__", Ctx::Load)?;
            self.nameop("__module__", Ctx::Store)?;
            let q = self.ur().qualname.clone();
            self.load_str(&q);
            self.nameop("__qualname__", Ctx::Store)?;
            self.body(&c.body)?;
            if self.st.blocks[block].needs_class_closure {
                self.emit(Opcode::LoadClosure, 0);
                self.emit(Opcode::DupTop, 0);
                self.nameop("__classcell__", Ctx::Store)?;
            } else {
                self.load_const(Constant::None);
            }
            self.emit(Opcode::ReturnValue, 0);
            Ok(())
        })();
        if let Err(e) = r {
            self.units.pop();
            return Err(e);
        }
        let code = self.leave(true)?;
        self.emit(Opcode::LoadBuildClass, 0);
        let name = code.name.to_string_lossy();
        self.make_closure(code, 0, &name)?;
        self.load_str(c.name.as_str());
        self.call_helper(2, &c.bases, &c.keywords)?;
        for _ in &c.decorator_list {
            self.emit(Opcode::CallFunction, 1);
        }
        self.nameop(c.name.as_str(), Ctx::Store)
    }
}

/// The in-place opcode of an augmented assignment.
pub(super) fn inplace_op(op: ast::Operator) -> Opcode {
    use ast::Operator as O;
    match op {
        O::Add => Opcode::InplaceAdd,
        O::Sub => Opcode::InplaceSubtract,
        O::Mult => Opcode::InplaceMultiply,
        O::MatMult => Opcode::InplaceMatrixMultiply,
        O::Div => Opcode::InplaceTrueDivide,
        O::Mod => Opcode::InplaceModulo,
        O::Pow => Opcode::InplacePower,
        O::LShift => Opcode::InplaceLshift,
        O::RShift => Opcode::InplaceRshift,
        O::BitOr => Opcode::InplaceOr,
        O::BitXor => Opcode::InplaceXor,
        O::BitAnd => Opcode::InplaceAnd,
        O::FloorDiv => Opcode::InplaceFloorDivide,
    }
}
