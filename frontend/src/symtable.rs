//! The symbol table: CPython 3.9's scoping rules (`Python/symtable.c`).
//!
//! Two passes, as CPython does. The first walks the AST and records, per
//! block (module, function, class; lambdas and comprehensions are
//! functions), every name with the ways it is used (`DEF_*` flags). The
//! second resolves each name to a scope (local, global explicit or implicit,
//! free, cell) by passing the names bound in enclosing functions down and
//! the free names of children up.
//!
//! The flags and scope numbers are CPython's own, so that the checker test
//! can compare them with the `symtable` module bit for bit.

use crate::parse::Lines;
use rustpython_parser::ast::{self, Ranged};
use std::collections::{BTreeSet, HashMap};
use thiserror::Error;

/// A name is assigned with `global`.
pub const DEF_GLOBAL: u32 = 1;
/// A name is bound in the block.
pub const DEF_LOCAL: u32 = 2;
/// A name is a parameter.
pub const DEF_PARAM: u32 = 4;
/// A name is declared `nonlocal`.
pub const DEF_NONLOCAL: u32 = 8;
/// A name is read.
pub const USE: u32 = 16;
/// A name is free in the block (set by the analysis).
pub const DEF_FREE: u32 = 32;
/// A free variable of a method that a class also binds.
pub const DEF_FREE_CLASS: u32 = 64;
/// A name is bound by an import.
pub const DEF_IMPORT: u32 = 128;
/// A name is annotated.
pub const DEF_ANNOT: u32 = 256;
/// A name is a comprehension iteration variable.
pub const DEF_COMP_ITER: u32 = 512;
/// The binding flags.
pub const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;
/// Where the resolved scope sits in a symbol's flags.
pub const SCOPE_OFFSET: u32 = 11;

/// The scope a name resolves to (CPython's numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A local of the block.
    Local = 1,
    /// Declared `global`.
    GlobalExplicit = 2,
    /// Not bound anywhere enclosing: a global or builtin.
    GlobalImplicit = 3,
    /// Bound in an enclosing function.
    Free = 4,
    /// A local captured by an inner block.
    Cell = 5,
}

/// The kind of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// The module.
    Module,
    /// A function, lambda or comprehension.
    Function,
    /// A class body.
    Class,
}

/// A scoping error, a `SyntaxError` in CPython.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{msg} (line {line})")]
pub struct SymtableError {
    /// CPython's message.
    pub msg: String,
    /// The line of the offending statement.
    pub line: u32,
}

/// One block of the program.
#[derive(Debug, Clone)]
pub struct Block {
    /// Its kind.
    pub kind: BlockKind,
    /// Its name (`top` for the module, `lambda`, `listcomp`, ...).
    pub name: String,
    /// The line it starts at (0 for the module).
    pub lineno: u32,
    /// Symbols in the order they were first seen, with their flags
    /// (`DEF_*` bits, and the scope from [`SCOPE_OFFSET`] on).
    pub symbols: Vec<(String, u32)>,
    index: HashMap<String, usize>,
    /// Parameters in order.
    pub varnames: Vec<String>,
    /// Inner blocks in order.
    pub children: Vec<usize>,
    /// Nested in a function.
    pub nested: bool,
    /// Contains `yield`.
    pub generator: bool,
    /// Contains `await` or is `async def`.
    pub coroutine: bool,
    /// Has `*args`.
    pub varargs: bool,
    /// Has `**kwargs`.
    pub varkeywords: bool,
    /// A comprehension.
    pub comprehension: bool,
    /// Has free variables.
    pub free: bool,
    /// Some inner block has free variables.
    pub child_free: bool,
    /// A class whose methods use `__class__` (or `super`).
    pub needs_class_closure: bool,
    /// Has `return` with a value.
    pub returns_value: bool,
    comp_iter_target: bool,
    comp_iter_expr: u32,
}

impl Block {
    fn new(kind: BlockKind, name: &str, lineno: u32, nested: bool) -> Block {
        Block {
            kind,
            name: name.to_string(),
            lineno,
            symbols: Vec::new(),
            index: HashMap::new(),
            varnames: Vec::new(),
            children: Vec::new(),
            nested,
            generator: false,
            coroutine: false,
            varargs: false,
            varkeywords: false,
            comprehension: false,
            free: false,
            child_free: false,
            needs_class_closure: false,
            returns_value: false,
            comp_iter_target: false,
            comp_iter_expr: 0,
        }
    }

    /// The flags of `name`, 0 if the block does not know it.
    pub fn flags(&self, name: &str) -> u32 {
        self.index.get(name).map_or(0, |&i| self.symbols[i].1)
    }

    fn set(&mut self, name: &str, flags: u32) {
        match self.index.get(name) {
            Some(&i) => self.symbols[i].1 = flags,
            None => {
                self.index.insert(name.to_string(), self.symbols.len());
                self.symbols.push((name.to_string(), flags));
            }
        }
    }

    /// The resolved scope of `name`, if the block knows it.
    pub fn scope(&self, name: &str) -> Option<Scope> {
        let f = self.index.get(name).map(|&i| self.symbols[i].1)?;
        scope_of(f)
    }

    /// Names with the given scope, or with `flag` set, sorted (CPython's
    /// `dictbytype` order for `co_cellvars` and `co_freevars`).
    pub fn sorted_names(&self, scope: Scope, flag: u32) -> Vec<String> {
        let mut v: Vec<String> = self
            .symbols
            .iter()
            .filter(|(_, f)| scope_of(*f) == Some(scope) || f & flag != 0)
            .map(|(n, _)| n.clone())
            .collect();
        v.sort();
        v
    }
}

/// The scope bits of a symbol's flags.
pub fn scope_of(flags: u32) -> Option<Scope> {
    match (flags >> SCOPE_OFFSET) & 7 {
        1 => Some(Scope::Local),
        2 => Some(Scope::GlobalExplicit),
        3 => Some(Scope::GlobalImplicit),
        4 => Some(Scope::Free),
        5 => Some(Scope::Cell),
        _ => None,
    }
}

/// CPython's private name mangling (`_Py_Mangle`): `__x` inside class `C`
/// becomes `_C__x`.
pub fn mangle(private: Option<&str>, name: &str) -> String {
    let Some(class) = private else {
        return name.to_string();
    };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let stripped = class.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_string();
    }
    format!("_{stripped}{name}")
}

/// The symbol table of a module: every block, and the block of each
/// scope-making AST node (keyed by the node's start offset).
#[derive(Debug, Clone)]
pub struct SymbolTable {
    /// All blocks; index 0 is the module.
    pub blocks: Vec<Block>,
    by_node: HashMap<u32, usize>,
}

impl SymbolTable {
    /// The block made by the node starting at byte `start`.
    pub fn block_at(&self, start: u32) -> Option<usize> {
        self.by_node.get(&start).copied()
    }

    /// Builds the table for a module.
    pub fn build(body: &[ast::Stmt], lines: &Lines) -> Result<SymbolTable, SymtableError> {
        let mut b = Builder {
            blocks: vec![Block::new(BlockKind::Module, "top", 0, false)],
            by_node: HashMap::new(),
            stack: vec![0],
            private: None,
            lines,
            line: 1,
            depth: 0,
        };
        for s in body {
            b.stmt(s)?;
        }
        let mut table = SymbolTable {
            blocks: b.blocks,
            by_node: b.by_node,
        };
        let mut free = BTreeSet::new();
        table.analyze(0, None, &mut free, &BTreeSet::new())?;
        Ok(table)
    }

    /// `analyze_block`: resolves the names of block `id` given the names
    /// bound in enclosing functions (`bound`, `None` at module level) and
    /// the explicit globals; adds the block's free names to `free`.
    fn analyze(
        &mut self,
        id: usize,
        bound: Option<&BTreeSet<String>>,
        free: &mut BTreeSet<String>,
        global: &BTreeSet<String>,
    ) -> Result<(), SymtableError> {
        let kind = self.blocks[id].kind;
        let mut global = global.clone();
        let mut local = BTreeSet::new();
        let mut scopes: HashMap<String, Scope> = HashMap::new();
        let mut newglobal = BTreeSet::new();
        let mut newbound = BTreeSet::new();
        let mut newfree = BTreeSet::new();
        if kind == BlockKind::Class {
            newglobal.extend(global.iter().cloned());
            if let Some(b) = bound {
                newbound.extend(b.iter().cloned());
            }
        }
        let symbols = self.blocks[id].symbols.clone();
        for (name, flags) in &symbols {
            let s = self.analyze_name(id, name, *flags, bound, &mut local, free, &mut global)?;
            scopes.insert(name.clone(), s);
        }
        if kind != BlockKind::Class {
            if kind == BlockKind::Function {
                newbound.extend(local.iter().cloned());
            }
            if let Some(b) = bound {
                newbound.extend(b.iter().cloned());
            }
            newglobal.extend(global.iter().cloned());
        } else {
            newbound.insert("__class__".to_string());
        }
        let mut allfree = BTreeSet::new();
        for child in self.blocks[id].children.clone() {
            let mut child_free = newfree.clone();
            self.analyze(child, Some(&newbound), &mut child_free, &newglobal)?;
            allfree.extend(child_free);
            if self.blocks[child].free || self.blocks[child].child_free {
                self.blocks[id].child_free = true;
            }
        }
        newfree.extend(allfree);
        match kind {
            BlockKind::Function => {
                // analyze_cells: a local some child uses freely is a cell.
                for (name, s) in scopes.iter_mut() {
                    if *s == Scope::Local && newfree.remove(name) {
                        *s = Scope::Cell;
                    }
                }
            }
            BlockKind::Class => {
                if newfree.remove("__class__") {
                    self.blocks[id].needs_class_closure = true;
                }
            }
            BlockKind::Module => {}
        }
        // update_symbols
        let block = &mut self.blocks[id];
        for (name, flags) in block.symbols.iter_mut() {
            *flags |= (scopes[name.as_str()] as u32) << SCOPE_OFFSET;
        }
        for name in &newfree {
            if let Some(&i) = block.index.get(name) {
                if kind == BlockKind::Class && block.symbols[i].1 & (DEF_BOUND | DEF_GLOBAL) != 0 {
                    block.symbols[i].1 |= DEF_FREE_CLASS;
                }
                continue;
            }
            if let Some(b) = bound {
                if !b.contains(name) {
                    continue;
                }
            }
            block.set(name, (Scope::Free as u32) << SCOPE_OFFSET);
        }
        free.extend(newfree);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn analyze_name(
        &mut self,
        id: usize,
        name: &str,
        flags: u32,
        bound: Option<&BTreeSet<String>>,
        local: &mut BTreeSet<String>,
        free: &mut BTreeSet<String>,
        global: &mut BTreeSet<String>,
    ) -> Result<Scope, SymtableError> {
        let line = self.blocks[id].lineno;
        if flags & DEF_GLOBAL != 0 {
            if flags & DEF_NONLOCAL != 0 {
                return Err(SymtableError {
                    msg: format!("name '{name}' is nonlocal and global"),
                    line,
                });
            }
            global.insert(name.to_string());
            return Ok(Scope::GlobalExplicit);
        }
        if flags & DEF_NONLOCAL != 0 {
            if !bound.is_some_and(|b| b.contains(name)) {
                return Err(SymtableError {
                    msg: format!("no binding for nonlocal '{name}' found"),
                    line,
                });
            }
            self.blocks[id].free = true;
            free.insert(name.to_string());
            return Ok(Scope::Free);
        }
        if flags & DEF_BOUND != 0 {
            local.insert(name.to_string());
            global.remove(name);
            return Ok(Scope::Local);
        }
        if bound.is_some_and(|b| b.contains(name)) {
            self.blocks[id].free = true;
            free.insert(name.to_string());
            return Ok(Scope::Free);
        }
        if global.contains(name) {
            return Ok(Scope::GlobalImplicit);
        }
        if self.blocks[id].nested {
            self.blocks[id].free = true;
        }
        Ok(Scope::GlobalImplicit)
    }
}

/// The first pass: records the uses of every name, block by block.
struct Builder<'a> {
    blocks: Vec<Block>,
    by_node: HashMap<u32, usize>,
    stack: Vec<usize>,
    private: Option<String>,
    lines: &'a Lines,
    line: u32,
    /// Nesting of statements and expressions being visited.
    depth: u32,
}

/// Deeper nesting is refused before anything recurses further (the
/// compiler, the folder and the unparser recurse as deep as the AST).
pub const MAX_NESTING: u32 = 20_000;

type R = Result<(), SymtableError>;

impl Builder<'_> {
    fn cur(&mut self) -> &mut Block {
        let id = *self.stack.last().unwrap_or(&0);
        &mut self.blocks[id]
    }

    fn err(&self, msg: String) -> SymtableError {
        SymtableError {
            msg,
            line: self.line,
        }
    }

    fn enter(&mut self, kind: BlockKind, name: &str, start: u32, lineno: u32) {
        let parent = &self.blocks[*self.stack.last().unwrap_or(&0)];
        let nested = parent.nested || parent.kind == BlockKind::Function;
        let id = self.blocks.len();
        self.blocks.push(Block::new(kind, name, lineno, nested));
        let p = *self.stack.last().unwrap_or(&0);
        self.blocks[p].children.push(id);
        self.by_node.insert(start, id);
        self.stack.push(id);
    }

    fn exit(&mut self) {
        self.stack.pop();
    }

    fn lookup(&self, name: &str) -> u32 {
        let m = mangle(self.private.as_deref(), name);
        self.blocks[*self.stack.last().unwrap_or(&0)].flags(&m)
    }

    /// `symtable_add_def`.
    fn add_def(&mut self, name: &str, flag: u32) -> R {
        let m = mangle(self.private.as_deref(), name);
        let line = self.line;
        let cur = self.cur();
        let mut val = cur.flags(&m);
        if flag & DEF_PARAM != 0 && val & DEF_PARAM != 0 {
            return Err(SymtableError {
                msg: format!("duplicate argument '{m}' in function definition"),
                line,
            });
        }
        val |= flag;
        if cur.comp_iter_target {
            if val & (DEF_GLOBAL | DEF_NONLOCAL) != 0 {
                return Err(SymtableError {
                    msg: format!(
                        "comprehension inner loop cannot rebind assignment expression target '{m}'"
                    ),
                    line,
                });
            }
            val |= DEF_COMP_ITER;
        }
        cur.set(&m, val);
        if flag & DEF_PARAM != 0 {
            cur.varnames.push(m);
        } else if flag & DEF_GLOBAL != 0 {
            let top = &mut self.blocks[0];
            let v = top.flags(&m) | flag;
            top.set(&m, v);
        }
        Ok(())
    }

    fn start(node: &impl Ranged) -> u32 {
        u32::from(node.range().start())
    }

    fn line_of(&self, node: &impl Ranged) -> u32 {
        self.lines.line(node.range().start())
    }

    fn stmts(&mut self, body: &[ast::Stmt]) -> R {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn exprs(&mut self, es: &[ast::Expr]) -> R {
        es.iter().try_for_each(|e| self.expr(e))
    }

    fn params(&mut self, a: &ast::Arguments) -> R {
        for p in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
            self.add_def(p.def.arg.as_str(), DEF_PARAM)?;
        }
        if let Some(v) = &a.vararg {
            self.add_def(v.arg.as_str(), DEF_PARAM)?;
            self.cur().varargs = true;
        }
        if let Some(k) = &a.kwarg {
            self.add_def(k.arg.as_str(), DEF_PARAM)?;
            self.cur().varkeywords = true;
        }
        Ok(())
    }

    fn defaults(&mut self, a: &ast::Arguments) -> R {
        for p in a.posonlyargs.iter().chain(&a.args) {
            if let Some(d) = &p.default {
                self.expr(d)?;
            }
        }
        for p in &a.kwonlyargs {
            if let Some(d) = &p.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn annotations(&mut self, a: &ast::Arguments, returns: Option<&ast::Expr>) -> R {
        for p in a.posonlyargs.iter().chain(&a.args) {
            if let Some(an) = &p.def.annotation {
                self.expr(an)?;
            }
        }
        if let Some(v) = &a.vararg {
            if let Some(an) = &v.annotation {
                self.expr(an)?;
            }
        }
        if let Some(k) = &a.kwarg {
            if let Some(an) = &k.annotation {
                self.expr(an)?;
            }
        }
        for p in &a.kwonlyargs {
            if let Some(an) = &p.def.annotation {
                self.expr(an)?;
            }
        }
        if let Some(r) = returns {
            self.expr(r)?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        node: &ast::Stmt,
        name: &str,
        args: &ast::Arguments,
        body: &[ast::Stmt],
        decorators: &[ast::Expr],
        returns: Option<&ast::Expr>,
        is_async: bool,
    ) -> R {
        self.add_def(name, DEF_LOCAL)?;
        self.defaults(args)?;
        self.annotations(args, returns)?;
        self.exprs(decorators)?;
        let line = self.line;
        self.enter(BlockKind::Function, name, Self::start(node), line);
        if is_async {
            self.cur().coroutine = true;
        }
        self.params(args)?;
        self.stmts(body)?;
        self.exit();
        Ok(())
    }

    fn stmt(&mut self, s: &ast::Stmt) -> R {
        self.depth += 1;
        let r = self.stmt1(s);
        self.depth -= 1;
        r
    }

    fn too_deep(&self) -> R {
        if self.depth > MAX_NESTING {
            return Err(self.err("maximum recursion depth exceeded during compilation".into()));
        }
        Ok(())
    }

    fn stmt1(&mut self, s: &ast::Stmt) -> R {
        self.too_deep()?;
        use ast::Stmt as S;
        self.line = self.line_of(s);
        match s {
            S::FunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                false,
            )?,
            S::AsyncFunctionDef(f) => self.function(
                s,
                f.name.as_str(),
                &f.args,
                &f.body,
                &f.decorator_list,
                f.returns.as_deref(),
                true,
            )?,
            S::ClassDef(c) => {
                self.add_def(c.name.as_str(), DEF_LOCAL)?;
                self.exprs(&c.bases)?;
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
                self.exprs(&c.decorator_list)?;
                let line = self.line;
                self.enter(BlockKind::Class, c.name.as_str(), Self::start(s), line);
                let saved = self.private.replace(c.name.to_string());
                self.stmts(&c.body)?;
                self.private = saved;
                self.exit();
            }
            S::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v)?;
                    self.cur().returns_value = true;
                }
            }
            S::Delete(d) => self.exprs(&d.targets)?,
            S::Assign(a) => {
                self.exprs(&a.targets)?;
                self.expr(&a.value)?;
            }
            S::AugAssign(a) => {
                self.expr(&a.target)?;
                self.expr(&a.value)?;
            }
            S::AnnAssign(a) => {
                // A parenthesized name is not a simple target: it is only
                // bound when a value is assigned.
                let simple = !self.lines.paren_at(s.range().start());
                if let ast::Expr::Name(n) = a.target.as_ref() {
                    let cur = self.lookup(n.id.as_str());
                    if cur & (DEF_GLOBAL | DEF_NONLOCAL) != 0
                        && *self.stack.last().unwrap_or(&0) != 0
                    {
                        let what = if cur & DEF_GLOBAL != 0 {
                            "global"
                        } else {
                            "nonlocal"
                        };
                        return Err(self.err(format!(
                            "annotated name '{}' can't be {what}",
                            n.id.as_str()
                        )));
                    }
                    if simple {
                        self.add_def(n.id.as_str(), DEF_ANNOT | DEF_LOCAL)?;
                    } else if a.value.is_some() {
                        self.add_def(n.id.as_str(), DEF_LOCAL)?;
                    }
                } else {
                    self.expr(&a.target)?;
                }
                self.expr(&a.annotation)?;
                if let Some(v) = &a.value {
                    self.expr(v)?;
                }
            }
            S::For(f) => {
                self.expr(&f.target)?;
                self.expr(&f.iter)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            S::AsyncFor(f) => {
                self.expr(&f.target)?;
                self.expr(&f.iter)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            S::While(w) => {
                self.expr(&w.test)?;
                self.stmts(&w.body)?;
                self.stmts(&w.orelse)?;
            }
            S::If(i) => {
                self.expr(&i.test)?;
                self.stmts(&i.body)?;
                self.stmts(&i.orelse)?;
            }
            S::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                    }
                }
            }
            S::Try(t) => {
                self.stmts(&t.body)?;
                self.stmts(&t.orelse)?;
                self.handlers(&t.handlers)?;
                self.stmts(&t.finalbody)?;
            }
            S::TryStar(t) => {
                self.stmts(&t.body)?;
                self.stmts(&t.orelse)?;
                self.handlers(&t.handlers)?;
                self.stmts(&t.finalbody)?;
            }
            S::Assert(a) => {
                self.expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                }
            }
            S::Import(i) => {
                for a in &i.names {
                    self.alias(a)?;
                }
            }
            S::ImportFrom(i) => {
                for a in &i.names {
                    self.alias(a)?;
                }
            }
            S::Global(g) => {
                for n in &g.names {
                    self.declare(n.as_str(), DEF_GLOBAL, "global")?;
                }
            }
            S::Nonlocal(g) => {
                for n in &g.names {
                    self.declare(n.as_str(), DEF_NONLOCAL, "nonlocal")?;
                }
            }
            S::Expr(e) => self.expr(&e.value)?,
            S::Pass(_) | S::Break(_) | S::Continue(_) => {}
            S::With(w) => {
                for item in &w.items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.expr(v)?;
                    }
                }
                self.stmts(&w.body)?;
            }
            S::AsyncWith(w) => {
                for item in &w.items {
                    self.expr(&item.context_expr)?;
                    if let Some(v) = &item.optional_vars {
                        self.expr(v)?;
                    }
                }
                self.stmts(&w.body)?;
            }
            S::Match(_) | S::TypeAlias(_) => {
                return Err(self.err("invalid syntax".into()));
            }
        }
        Ok(())
    }

    fn handlers(&mut self, hs: &[ast::ExceptHandler]) -> R {
        for h in hs {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.line = self.lines.line(h.range.start());
            if let Some(t) = &h.type_ {
                self.expr(t)?;
            }
            if let Some(n) = &h.name {
                self.add_def(n.as_str(), DEF_LOCAL)?;
            }
            self.stmts(&h.body)?;
        }
        Ok(())
    }

    fn declare(&mut self, name: &str, flag: u32, what: &str) -> R {
        let cur = self.lookup(name);
        if cur & (DEF_PARAM | DEF_LOCAL | USE | DEF_ANNOT) != 0 {
            let msg = if cur & DEF_PARAM != 0 {
                format!("name '{name}' is parameter and {what}")
            } else if cur & USE != 0 {
                format!("name '{name}' is used prior to {what} declaration")
            } else if cur & DEF_ANNOT != 0 {
                format!("annotated name '{name}' can't be {what}")
            } else {
                format!("name '{name}' is assigned to before {what} declaration")
            };
            return Err(self.err(msg));
        }
        if flag == DEF_NONLOCAL && *self.stack.last().unwrap_or(&0) == 0 {
            return Err(self.err("nonlocal declaration not allowed at module level".into()));
        }
        self.add_def(name, flag)
    }

    fn alias(&mut self, a: &ast::Alias) -> R {
        let name = a.asname.as_ref().unwrap_or(&a.name).as_str();
        if name == "*" {
            if *self.stack.last().unwrap_or(&0) != 0
                && self.blocks[*self.stack.last().unwrap_or(&0)].kind != BlockKind::Module
            {
                return Err(self.err("import * only allowed at module level".into()));
            }
            return Ok(());
        }
        let store = name.split('.').next().unwrap_or(name).to_string();
        self.add_def(&store, DEF_IMPORT)
    }

    fn expr(&mut self, e: &ast::Expr) -> R {
        self.depth += 1;
        let r = self.expr1(e);
        self.depth -= 1;
        r
    }

    fn expr1(&mut self, e: &ast::Expr) -> R {
        self.too_deep()?;
        use ast::Expr as E;
        match e {
            E::BoolOp(b) => self.exprs(&b.values)?,
            E::NamedExpr(n) => {
                if self.cur().comp_iter_expr > 0 {
                    return Err(self.err(
                        "assignment expression cannot be used in a comprehension iterable expression"
                            .into(),
                    ));
                }
                // symtable_handle_namedexpr: the binding in the enclosing
                // scope first, then the value, then the target as usual.
                if self.cur().comprehension {
                    self.extend_named_scope(&n.target)?;
                }
                self.expr(&n.value)?;
                self.expr(&n.target)?;
            }
            E::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
            }
            E::UnaryOp(u) => self.expr(&u.operand)?,
            E::Lambda(l) => {
                self.defaults(&l.args)?;
                let line = self.line_of(e);
                self.enter(BlockKind::Function, "lambda", Self::start(e), line);
                self.params(&l.args)?;
                self.expr(&l.body)?;
                self.exit();
            }
            E::IfExp(i) => {
                self.expr(&i.test)?;
                self.expr(&i.body)?;
                self.expr(&i.orelse)?;
            }
            E::Dict(d) => {
                for k in d.keys.iter().flatten() {
                    self.expr(k)?;
                }
                self.exprs(&d.values)?;
            }
            E::Set(s) => self.exprs(&s.elts)?,
            E::GeneratorExp(g) => self.comprehension(e, "genexpr", &g.generators, &g.elt, None)?,
            E::ListComp(g) => self.comprehension(e, "listcomp", &g.generators, &g.elt, None)?,
            E::SetComp(g) => self.comprehension(e, "setcomp", &g.generators, &g.elt, None)?,
            E::DictComp(g) => {
                self.comprehension(e, "dictcomp", &g.generators, &g.key, Some(&g.value))?
            }
            E::Yield(y) => {
                if let Some(v) = &y.value {
                    self.expr(v)?;
                }
                self.cur().generator = true;
            }
            E::YieldFrom(y) => {
                self.expr(&y.value)?;
                self.cur().generator = true;
            }
            E::Await(a) => {
                self.expr(&a.value)?;
                self.cur().coroutine = true;
            }
            E::Compare(c) => {
                self.expr(&c.left)?;
                self.exprs(&c.comparators)?;
            }
            E::Call(c) => {
                self.expr(&c.func)?;
                self.exprs(&c.args)?;
                for k in &c.keywords {
                    self.expr(&k.value)?;
                }
            }
            E::FormattedValue(f) => {
                self.expr(&f.value)?;
                if let Some(s) = &f.format_spec {
                    self.expr(s)?;
                }
            }
            E::JoinedStr(j) => self.exprs(&j.values)?,
            E::Constant(_) => {}
            E::Attribute(a) => self.expr(&a.value)?,
            E::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            E::Starred(s) => self.expr(&s.value)?,
            E::Slice(s) => {
                for p in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(p)?;
                }
            }
            E::Name(n) => {
                let flag = if n.ctx == ast::ExprContext::Load {
                    USE
                } else {
                    DEF_LOCAL
                };
                self.add_def(n.id.as_str(), flag)?;
                // `super` counts as a use of `__class__`.
                if n.ctx == ast::ExprContext::Load
                    && self.cur().kind == BlockKind::Function
                    && n.id.as_str() == "super"
                {
                    self.add_def("__class__", USE)?;
                }
            }
            E::List(l) => self.exprs(&l.elts)?,
            E::Tuple(t) => self.exprs(&t.elts)?,
        }
        Ok(())
    }

    /// The target of `:=`: inside a comprehension it binds in the nearest
    /// enclosing function or module (`symtable_extend_namedexpr_scope`).
    fn extend_named_scope(&mut self, target: &ast::Expr) -> R {
        let ast::Expr::Name(n) = target else {
            return Ok(());
        };
        let name = n.id.as_str();
        for i in (0..self.stack.len()).rev() {
            let id = self.stack[i];
            let b = &self.blocks[id];
            if b.comprehension {
                if b.flags(name) & DEF_COMP_ITER != 0 {
                    return Err(self.err(format!(
                        "assignment expression cannot rebind comprehension iteration variable '{name}'"
                    )));
                }
                continue;
            }
            match b.kind {
                BlockKind::Function => {
                    let target_flags = b.flags(name);
                    let flag = if target_flags & DEF_GLOBAL != 0 {
                        DEF_GLOBAL
                    } else {
                        DEF_NONLOCAL
                    };
                    self.add_def(name, flag)?;
                    let keep = self.stack[..=i].to_vec();
                    let saved = std::mem::replace(&mut self.stack, keep);
                    let r = self.add_def(name, DEF_LOCAL);
                    self.stack = saved;
                    return r;
                }
                BlockKind::Module => {
                    self.add_def(name, DEF_GLOBAL)?;
                    let keep = self.stack[..=i].to_vec();
                    let saved = std::mem::replace(&mut self.stack, keep);
                    let r = self.add_def(name, DEF_GLOBAL);
                    self.stack = saved;
                    return r;
                }
                BlockKind::Class => {
                    return Err(self.err(
                        "assignment expression within a comprehension cannot be used in a class body"
                            .into(),
                    ));
                }
            }
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        e: &ast::Expr,
        name: &str,
        generators: &[ast::Comprehension],
        elt: &ast::Expr,
        value: Option<&ast::Expr>,
    ) -> R {
        let Some(outermost) = generators.first() else {
            return Err(self.err("comprehension without a for clause".into()));
        };
        self.cur().comp_iter_expr += 1;
        self.expr(&outermost.iter)?;
        self.cur().comp_iter_expr -= 1;
        let line = self.lines.expr_line(e);
        self.enter(BlockKind::Function, name, Self::start(e), line);
        if outermost.is_async {
            self.cur().coroutine = true;
        }
        self.cur().comprehension = true;
        self.add_def(".0", DEF_PARAM)?;
        self.cur().comp_iter_target = true;
        self.expr(&outermost.target)?;
        self.cur().comp_iter_target = false;
        self.exprs(&outermost.ifs)?;
        for g in &generators[1..] {
            self.cur().comp_iter_target = true;
            self.expr(&g.target)?;
            self.cur().comp_iter_target = false;
            self.cur().comp_iter_expr += 1;
            self.expr(&g.iter)?;
            self.cur().comp_iter_expr -= 1;
            self.exprs(&g.ifs)?;
            if g.is_async {
                self.cur().coroutine = true;
            }
        }
        if let Some(v) = value {
            self.expr(v)?;
        }
        self.expr(elt)?;
        if self.cur().generator {
            let kind = match name {
                "listcomp" => "list comprehension",
                "setcomp" => "set comprehension",
                "dictcomp" => "dict comprehension",
                _ => "generator expression",
            };
            return Err(self.err(format!("'yield' inside {kind}")));
        }
        let is_gen = name == "genexpr";
        self.cur().generator = is_gen;
        self.exit();
        Ok(())
    }
}

/// The table as text, one block per paragraph, symbols sorted by name with
/// their `DEF_*` flags and scope: the format `scripts/gen_symtable_golden.py`
/// prints from CPython's `symtable` module.
pub fn dump(table: &SymbolTable) -> String {
    let mut out = String::new();
    fn go(t: &SymbolTable, id: usize, out: &mut String) {
        let b = &t.blocks[id];
        let kind = match b.kind {
            BlockKind::Module => "module",
            BlockKind::Function => "function",
            BlockKind::Class => "class",
        };
        out.push_str(&format!("{kind} {} {}\n", b.name, b.lineno));
        let mut syms = b.symbols.clone();
        syms.sort();
        for (n, f) in syms {
            out.push_str(&format!(
                "  {n} {} {}\n",
                f & ((1 << SCOPE_OFFSET) - 1),
                (f >> SCOPE_OFFSET) & 7
            ));
        }
        for &c in &b.children {
            go(t, c, out);
        }
    }
    go(table, 0, &mut out);
    out
}
