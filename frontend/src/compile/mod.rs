//! The native compiler: Python source to CPython 3.9 code objects.
//!
//! It follows CPython 3.9's `Python/compile.c` construct by construct, so
//! that the instruction stream is the one CPython emits: the same basic
//! blocks, jumps, constant and name numbering, line numbers. Constant
//! folding (`ast_opt.c`) is in [`fold`], the assembler and the peephole
//! optimizer (`peephole.c`) in [`assemble`]; statements are in `stmt`,
//! expressions in `expr`.
//!
//! Constructs pyreg does not compile yet (async code, `from __future__
//! import annotations`) are a [`CompileError::Unsupported`] naming the
//! construct and its line, never a panic.

pub mod assemble;
mod expr;
pub mod fold;
mod stmt;
pub(crate) mod unparse;

use crate::bridge::SyntaxErrorReport;
use crate::parse::{parse_module, Lines};
use crate::symtable::{BlockKind, Scope, SymbolTable, DEF_FREE_CLASS};
use num_bigint::BigInt;
use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use pyreg_spec::opcode::Opcode;
use rustpython_parser::ast::{self, Ranged};
use std::collections::HashMap;
use std::sync::Arc;
use thiserror::Error;

/// Why the native front end could not compile a program.
#[derive(Debug, Error)]
pub enum CompileError {
    /// The source is not valid Python 3.9 (as CPython would report it).
    #[error("{0}")]
    Syntax(Box<SyntaxErrorReport>),
    /// A construct the native compiler does not handle yet.
    #[error("unsupported in native front end: {construct} at line {line}")]
    Unsupported {
        /// What it is.
        construct: String,
        /// Where it is.
        line: u32,
    },
    /// The compiler itself failed (a bug in pyreg, reported, not a crash).
    #[error("pyreg: internal error in the native front end: {0}")]
    Internal(String),
}

type R<T = ()> = Result<T, CompileError>;

/// The stack the compiler runs on: parsing, the passes over the AST and
/// dropping it all recurse as deep as the source nests (bounded by
/// [`crate::symtable::MAX_NESTING`] once parsed).
const COMPILER_STACK: usize = 1 << 30;

/// Compiles a module's source to its code object (`compile(source,
/// filename, 'exec')`), on a thread with a stack deep enough for any
/// nesting the symbol table accepts.
pub fn compile_source(source: &str, filename: &str) -> Result<Arc<CodeObject>, CompileError> {
    let (src, name) = (source.to_string(), filename.to_string());
    let worker = std::thread::Builder::new()
        .stack_size(COMPILER_STACK)
        .spawn(move || compile_here(&src, &name));
    match worker.map(|h| h.join()) {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => Err(CompileError::Internal(
            "the native compiler panicked (a bug in pyreg)".into(),
        )),
        Err(e) => Err(CompileError::Internal(format!(
            "cannot start the compiler thread: {e}"
        ))),
    }
}

/// [`compile_source`] on the current thread.
pub(crate) fn compile_here(source: &str, filename: &str) -> Result<Arc<CodeObject>, CompileError> {
    fold::set_source(source);
    let parsed = parse_module(source, filename).map_err(CompileError::Syntax)?;
    let table = SymbolTable::build(&parsed.body, &parsed.lines)
        .map_err(|e| syntax_error(source, filename, &e.msg, e.line, None))?;
    let (future, future_line) = future_flags(&parsed.body, &parsed.lines)
        .map_err(|(msg, line)| syntax_error(source, filename, &msg, line, None))?;
    let mut c = Compiler {
        st: &table,
        lines: &parsed.lines,
        source,
        filename: filename.to_string(),
        units: Vec::new(),
        last_qualname: String::new(),
        no_fold: 0,
        future_flags: future,
        future_line,
    };
    c.enter(0, UnitKind::Module, "<module>", 0);
    c.module_body(&parsed.body)?;
    let code = c.leave(true)?;
    if let Some(at) = fold::undecodable_literal() {
        let line = parsed
            .lines
            .line(rustpython_parser::text_size::TextSize::from(at));
        return Err(CompileError::Unsupported {
            construct: "a string with lone surrogates in this form".into(),
            line,
        });
    }
    Ok(code)
}

/// A `SyntaxError` report for an error found after parsing.
fn syntax_error(
    source: &str,
    filename: &str,
    msg: &str,
    line: u32,
    col: Option<usize>,
) -> CompileError {
    let text = source
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("");
    let offset = col.unwrap_or_else(|| text.len() - text.trim_start().len()) + 1;
    CompileError::Syntax(Box::new(SyntaxErrorReport {
        kind: "SyntaxError".into(),
        msg: msg.to_string(),
        filename: filename.to_string(),
        lineno: Some(u64::from(line)),
        offset: Some(offset as u64),
        text: Some(format!("{text}\n")),
    }))
}

/// The kind of code a unit compiles (CPython's `COMPILER_SCOPE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UnitKind {
    Module,
    Class,
    Function,
    AsyncFunction,
    Lambda,
    Comprehension,
}

/// One instruction before assembly; `target` is a block for jumps.
#[derive(Clone, Debug)]
pub struct Instr {
    /// The opcode.
    pub op: Opcode,
    /// The argument (for jumps, filled in by the assembler).
    pub arg: u32,
    /// The jump target block.
    pub target: Option<usize>,
    /// The source line, 0 for none.
    pub line: u32,
}

/// A basic block; `next` is the block laid out after it.
#[derive(Clone, Debug, Default)]
pub struct Block {
    /// Its instructions.
    pub instrs: Vec<Instr>,
    /// The following block in layout order.
    pub next: Option<usize>,
    /// Ends with (contains) `RETURN_VALUE`.
    pub has_return: bool,
}

/// The frame-block kinds of `compiler_push_fblock`.
#[derive(Clone, Debug)]
enum FBlock {
    WhileLoop { start: usize, exit: usize },
    ForLoop { start: usize, exit: usize },
    Except,
    FinallyTry { body: Vec<ast::Stmt> },
    FinallyEnd,
    With,
    AsyncWith,
    AsyncComprehension,
    HandlerCleanup { name: Option<String> },
    PopValue,
}

/// Constants as `_PyCode_ConstantKey` distinguishes them: by type and
/// value, so `1`, `1.0` and `True` are three constants.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ConstKey {
    /// `None`.
    None,
    /// A bool.
    Bool(bool),
    /// `...`.
    Ellipsis,
    /// An int.
    Int(BigInt),
    /// A float, by bits (`0.0` and `-0.0` differ).
    Float(u64),
    /// A complex.
    Complex(u64, u64),
    /// A str.
    Str(Vec<u32>),
    /// A bytes.
    Bytes(Vec<u8>),
    /// A tuple.
    Tuple(Vec<ConstKey>),
    /// A frozenset (order-insensitive).
    FrozenSet(Vec<ConstKey>),
    /// A NaN (or a complex with a NaN part): never equal to another
    /// constant, as each folded NaN is its own object in CPython.
    Nan(usize),
    /// A code object, by the fields `code_richcompare` compares: equal
    /// code objects (two identical lambdas on one line) are one constant.
    Code(String),
}

impl ConstKey {
    /// The key of a constant.
    pub fn of(c: &Constant) -> ConstKey {
        match c {
            Constant::None => ConstKey::None,
            Constant::Bool(b) => ConstKey::Bool(*b),
            Constant::Ellipsis => ConstKey::Ellipsis,
            Constant::Int(i) => ConstKey::Int(i.clone()),
            Constant::Float(f) if f.is_nan() => ConstKey::Nan(next_nan()),
            Constant::Complex(r, i) if r.is_nan() || i.is_nan() => ConstKey::Nan(next_nan()),
            Constant::Float(f) => ConstKey::Float(f.to_bits()),
            Constant::Complex(r, i) => ConstKey::Complex(r.to_bits(), i.to_bits()),
            Constant::Str(s) => ConstKey::Str(s.code_points()),
            Constant::Bytes(b) => ConstKey::Bytes(b.to_vec()),
            Constant::Tuple(t) => ConstKey::Tuple(t.iter().map(ConstKey::of).collect()),
            Constant::FrozenSet(t) => {
                let mut v: Vec<ConstKey> = t.iter().map(ConstKey::of).collect();
                v.sort_by_key(|k| format!("{k:?}"));
                ConstKey::FrozenSet(v)
            }
            Constant::Code(c) => {
                let consts: Vec<ConstKey> = c.consts.iter().map(ConstKey::of).collect();
                ConstKey::Code(format!(
                    "{:?}|{}|{}|{}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
                    c.name,
                    c.argcount,
                    c.posonlyargcount,
                    c.kwonlyargcount,
                    c.nlocals,
                    c.flags,
                    c.firstlineno,
                    c.code,
                    consts,
                    c.names,
                    c.varnames,
                    c.freevars,
                    c.cellvars
                ))
            }
        }
    }
}

/// A fresh identity for a NaN constant key.
fn next_nan() -> usize {
    static NANS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NANS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// An index-preserving set of names.
#[derive(Default, Debug)]
struct NameSet {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl NameSet {
    fn add(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }
}

/// The state of one code object being compiled (`struct compiler_unit`).
struct Unit {
    st_block: usize,
    kind: UnitKind,
    name: String,
    qualname: String,
    blocks: Vec<Block>,
    cur: usize,
    consts: Vec<Constant>,
    const_index: HashMap<ConstKey, u32>,
    names: NameSet,
    varnames: NameSet,
    cellvars: NameSet,
    freevars: NameSet,
    argcount: u32,
    posonlyargcount: u32,
    kwonlyargcount: u32,
    firstlineno: u32,
    lineno: u32,
    fblocks: Vec<FBlock>,
    private: Option<String>,
    /// Inside `if 0:` and the like: nothing is emitted.
    no_emit: u32,
}

/// The compiler: the stack of units and what every unit shares.
struct Compiler<'a> {
    st: &'a SymbolTable,
    lines: &'a Lines,
    source: &'a str,
    filename: String,
    units: Vec<Unit>,
    /// The qualified name of the unit [`Compiler::leave`] finished last.
    last_qualname: String,
    /// Inside the value of an assignment expression: no constant folding.
    no_fold: u32,
    /// The `CO_FUTURE_*` flags of the module's `from __future__` imports,
    /// which every code object carries.
    future_flags: u32,
    /// The line of the last of those imports.
    future_line: u32,
}

/// `CO_FUTURE_ANNOTATIONS`: annotations are kept as strings.
const CO_FUTURE_ANNOTATIONS: u32 = 0x100_0000;

/// `PyFuture_FromAST`: the features of the `from __future__` imports that
/// open the module (after its docstring), as `co_flags` bits, and the line
/// of the last of them (0 if none): a `from __future__` import after it is
/// an error.
fn future_flags(body: &[ast::Stmt], lines: &Lines) -> Result<(u32, u32), (String, u32)> {
    let mut flags = 0;
    let mut last = 0;
    let mut done = false;
    let mut prev_line = 0;
    for (i, s) in body.iter().enumerate() {
        let line = lines.line(s.range().start());
        if done && line > prev_line {
            return Ok((flags, last));
        }
        prev_line = line;
        match s {
            ast::Stmt::ImportFrom(f)
                if f.module
                    .as_ref()
                    .is_some_and(|m| m.as_str() == "__future__") =>
            {
                if done {
                    return Err((
                        "from __future__ imports must occur at the beginning of the file".into(),
                        line,
                    ));
                }
                for a in &f.names {
                    flags |= match a.name.as_str() {
                        // Python 3 behaviour already: no flag.
                        "nested_scopes" | "generators" | "division" | "absolute_import"
                        | "with_statement" | "print_function" | "unicode_literals"
                        | "generator_stop" => 0,
                        "barry_as_FLUFL" => 0x40_0000,
                        "annotations" => CO_FUTURE_ANNOTATIONS,
                        "braces" => return Err(("not a chance".into(), line)),
                        other => {
                            return Err((format!("future feature {other} is not defined"), line))
                        }
                    };
                }
                last = line;
            }
            _ if i == 0 && docstring(body).is_some() => {}
            _ => done = true,
        }
    }
    Ok((flags, last))
}

impl Compiler<'_> {
    fn u(&mut self) -> &mut Unit {
        self.units.last_mut().expect("a unit is always open")
    }

    fn ur(&self) -> &Unit {
        self.units.last().expect("a unit is always open")
    }

    fn line_of(&self, node: &impl Ranged) -> u32 {
        self.lines.line(node.range().start())
    }

    /// The line CPython gives an expression node ([`Lines::expr_line`]).
    fn expr_line(&self, e: &ast::Expr) -> u32 {
        self.lines.expr_line(e)
    }

    fn unsupported<T>(&self, construct: &str, line: u32) -> R<T> {
        Err(CompileError::Unsupported {
            construct: construct.to_string(),
            line,
        })
    }

    fn error<T>(&self, msg: &str, line: u32) -> R<T> {
        Err(syntax_error(self.source, &self.filename, msg, line, None))
    }

    /// `compiler_enter_scope`.
    fn enter(&mut self, st_block: usize, kind: UnitKind, name: &str, firstlineno: u32) {
        let b = &self.st.blocks[st_block];
        let mut varnames = NameSet::default();
        for v in &b.varnames {
            varnames.add(v);
        }
        let mut cellvars = NameSet::default();
        if b.needs_class_closure {
            cellvars.add("__class__");
        }
        for n in b.sorted_names(Scope::Cell, 0) {
            cellvars.add(&n);
        }
        let mut freevars = NameSet::default();
        for n in b.sorted_names(Scope::Free, DEF_FREE_CLASS) {
            freevars.add(&n);
        }
        let private = match kind {
            UnitKind::Class => Some(name.to_string()),
            _ => self.units.last().and_then(|u| u.private.clone()),
        };
        let mut u = Unit {
            st_block,
            kind,
            name: name.to_string(),
            qualname: name.to_string(),
            blocks: vec![Block::default()],
            cur: 0,
            consts: Vec::new(),
            const_index: HashMap::new(),
            names: NameSet::default(),
            varnames,
            cellvars,
            freevars,
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            firstlineno,
            lineno: 0,
            fblocks: Vec::new(),
            private,
            no_emit: 0,
        };
        u.qualname = self.qualname(&u);
        self.units.push(u);
    }

    /// `compiler_set_qualname`.
    fn qualname(&self, u: &Unit) -> String {
        if self.units.len() <= 1 {
            return u.name.clone();
        }
        let parent = self.units.last().expect("parent");
        let mut force_global = false;
        if matches!(
            u.kind,
            UnitKind::Function | UnitKind::AsyncFunction | UnitKind::Class
        ) {
            let mangled = crate::symtable::mangle(parent.private.as_deref(), &u.name);
            if self.st.blocks[parent.st_block].scope(&mangled) == Some(Scope::GlobalExplicit) {
                force_global = true;
            }
        }
        if force_global {
            return u.name.clone();
        }
        let base = match parent.kind {
            UnitKind::Function | UnitKind::AsyncFunction | UnitKind::Lambda => {
                format!("{}.<locals>", parent.qualname)
            }
            _ => parent.qualname.clone(),
        };
        format!("{base}.{}", u.name)
    }

    /// `assemble` and `compiler_exit_scope`: the finished code object.
    fn leave(&mut self, add_none: bool) -> R<Arc<CodeObject>> {
        if !self.ur().blocks[self.ur().cur].has_return {
            self.next_block();
            if add_none {
                self.load_const(Constant::None);
            }
            self.emit(Opcode::ReturnValue, 0);
        }
        let mut u = self.units.pop().expect("unit");
        self.last_qualname = u.qualname.clone();
        let st = &self.st.blocks[u.st_block];
        let mut fl = 0;
        if st.kind == BlockKind::Function {
            fl |= flags::NEWLOCALS | flags::OPTIMIZED;
            if st.nested {
                fl |= flags::NESTED;
            }
            if st.generator && !st.coroutine {
                fl |= flags::GENERATOR;
            }
            if !st.generator && st.coroutine {
                fl |= flags::COROUTINE;
            }
            if st.generator && st.coroutine {
                fl |= flags::ASYNC_GENERATOR;
            }
            if st.varargs {
                fl |= flags::VARARGS;
            }
            if st.varkeywords {
                fl |= flags::VARKEYWORDS;
            }
        }
        fl |= self.future_flags;
        if u.freevars.list.is_empty() && u.cellvars.list.is_empty() {
            fl |= flags::NOFREE;
        }
        let stacksize = assemble::stack_depth(&u.blocks);
        let mut firstlineno = u.firstlineno;
        if firstlineno == 0 {
            firstlineno = u.blocks[0]
                .instrs
                .first()
                .map(|i| i.line)
                .filter(|&l| l != 0)
                .unwrap_or(1);
        }
        let (code, lnotab) = assemble::assemble(&mut u.blocks, firstlineno);
        let (code, lnotab) = assemble::Peephole::run(&code, &lnotab, &mut u.consts);
        let strs = |v: &[String]| v.iter().map(|s| PyStr::from(s.as_str())).collect();
        Ok(Arc::new(CodeObject {
            argcount: u.argcount + u.posonlyargcount,
            posonlyargcount: u.posonlyargcount,
            kwonlyargcount: u.kwonlyargcount,
            nlocals: u.varnames.list.len() as u32,
            stacksize,
            flags: fl,
            code: code.into(),
            consts: u.consts,
            names: strs(&u.names.list),
            varnames: strs(&u.varnames.list),
            freevars: strs(&u.freevars.list),
            cellvars: strs(&u.cellvars.list),
            filename: PyStr::from(self.filename.as_str()),
            name: PyStr::from(u.name.as_str()),
            firstlineno,
            lnotab: lnotab.into(),
        }))
    }

    // ----- blocks and instructions -----

    fn new_block(&mut self) -> usize {
        let u = self.u();
        u.blocks.push(Block::default());
        u.blocks.len() - 1
    }

    /// `compiler_use_next_block`: `b` follows the current block.
    fn use_next(&mut self, b: usize) {
        let u = self.u();
        let cur = u.cur;
        u.blocks[cur].next = Some(b);
        u.cur = b;
    }

    fn next_block(&mut self) {
        let b = self.new_block();
        self.use_next(b);
    }

    fn push(&mut self, op: Opcode, arg: u32, target: Option<usize>) {
        let u = self.u();
        if u.no_emit > 0 {
            return;
        }
        let line = u.lineno;
        let cur = u.cur;
        u.blocks[cur].instrs.push(Instr {
            op,
            arg,
            target,
            line,
        });
        if op == Opcode::ReturnValue {
            u.blocks[cur].has_return = true;
        }
    }

    fn emit(&mut self, op: Opcode, arg: u32) {
        self.push(op, arg, None);
    }

    fn jump(&mut self, op: Opcode, target: usize) {
        self.push(op, 0, Some(target));
    }

    fn add_const(&mut self, c: Constant) -> u32 {
        let key = ConstKey::of(&c);
        let u = self.u();
        if let Some(&i) = u.const_index.get(&key) {
            return i;
        }
        let i = u.consts.len() as u32;
        u.consts.push(c);
        u.const_index.insert(key, i);
        i
    }

    fn load_const(&mut self, c: Constant) {
        if self.ur().no_emit > 0 {
            return;
        }
        let i = self.add_const(c);
        self.emit(Opcode::LoadConst, i);
    }

    fn load_str(&mut self, s: &str) {
        self.load_const(Constant::Str(PyStr::from(s)));
    }

    /// `ADDOP_NAME`: an instruction naming a (mangled) entry of `co_names`.
    /// In code that is not emitted (`if 0:` bodies) the name does not
    /// enter `co_names` (CPython's `compiler_addop_name`), unlike the names
    /// of variables ([`Compiler::nameop`]).
    fn emit_name(&mut self, op: Opcode, name: &str) {
        if self.ur().no_emit > 0 {
            return;
        }
        let m = crate::symtable::mangle(self.ur().private.as_deref(), name);
        let i = self.u().names.add(&m);
        self.emit(op, i);
    }

    /// `ADDOP_N` on `co_names`, without mangling.
    fn emit_name_raw(&mut self, op: Opcode, name: &str) {
        let i = self.u().names.add(name);
        self.emit(op, i);
    }

    /// `compiler_nameop`.
    fn nameop(&mut self, name: &str, ctx: ast::ExprContext) -> R {
        use ast::ExprContext as C;
        let mangled = crate::symtable::mangle(self.ur().private.as_deref(), name);
        let st = &self.st.blocks[self.ur().st_block];
        let scope = st.scope(&mangled);
        let is_fn = st.kind == BlockKind::Function;
        let is_class = st.kind == BlockKind::Class;
        enum K {
            Deref(bool),
            Fast,
            Global,
            Name,
        }
        let k = match scope {
            Some(Scope::Free) => K::Deref(false),
            Some(Scope::Cell) => K::Deref(true),
            Some(Scope::Local) if is_fn => K::Fast,
            Some(Scope::GlobalImplicit) if is_fn => K::Global,
            Some(Scope::GlobalExplicit) => K::Global,
            _ => K::Name,
        };
        match k {
            K::Deref(cell) => {
                let op = match ctx {
                    C::Load if is_class => Opcode::LoadClassderef,
                    C::Load => Opcode::LoadDeref,
                    C::Store => Opcode::StoreDeref,
                    C::Del => Opcode::DeleteDeref,
                };
                let u = self.u();
                let i = if cell {
                    u.cellvars.get(&mangled)
                } else {
                    u.freevars
                        .get(&mangled)
                        .map(|i| i + u.cellvars.list.len() as u32)
                };
                let Some(i) = i else {
                    return self
                        .unsupported(&format!("cell lookup of {mangled}"), self.ur().lineno);
                };
                self.emit(op, i);
            }
            K::Fast => {
                let op = match ctx {
                    C::Load => Opcode::LoadFast,
                    C::Store => Opcode::StoreFast,
                    C::Del => Opcode::DeleteFast,
                };
                // `ADDOP_N`: in code not emitted, a fast local is not added
                // to `co_varnames` (names of globals are, below).
                if self.ur().no_emit > 0 {
                    return Ok(());
                }
                let i = self.u().varnames.add(&mangled);
                self.emit(op, i);
            }
            K::Global => {
                let op = match ctx {
                    C::Load => Opcode::LoadGlobal,
                    C::Store => Opcode::StoreGlobal,
                    C::Del => Opcode::DeleteGlobal,
                };
                self.emit_name_raw(op, &mangled);
            }
            K::Name => {
                let op = match ctx {
                    C::Load => Opcode::LoadName,
                    C::Store => Opcode::StoreName,
                    C::Del => Opcode::DeleteName,
                };
                self.emit_name_raw(op, &mangled);
            }
        }
        Ok(())
    }

    /// The scope block for the node starting at `start`.
    fn block_for(&self, node: &impl Ranged, what: &str) -> R<usize> {
        match self.st.block_at(u32::from(node.range().start())) {
            Some(b) => Ok(b),
            None => self.unsupported(
                &format!("{what} without a symbol table entry"),
                self.line_of(node),
            ),
        }
    }

    /// `compiler_make_closure`.
    fn make_closure(&mut self, code: Arc<CodeObject>, mut fl: u32, qualname: &str) -> R {
        if !code.freevars.is_empty() {
            for name in code.freevars.iter() {
                let name = name.to_string_lossy();
                let u = self.ur();
                let is_class_cell = u.kind == UnitKind::Class && name == "__class__";
                let scope = self.st.blocks[u.st_block].scope(&name);
                let arg = if is_class_cell || scope == Some(Scope::Cell) {
                    u.cellvars.get(&name)
                } else {
                    u.freevars
                        .get(&name)
                        .map(|i| i + u.cellvars.list.len() as u32)
                };
                let Some(arg) = arg else {
                    return self.unsupported(&format!("closure over {name}"), u.lineno);
                };
                self.emit(Opcode::LoadClosure, arg);
            }
            fl |= 0x08;
            self.emit(Opcode::BuildTuple, code.freevars.len() as u32);
        }
        self.load_const(Constant::Code(code));
        self.load_str(qualname);
        self.emit(Opcode::MakeFunction, fl);
        Ok(())
    }

    /// `compiler_body` for the module.
    fn module_body(&mut self, body: &[ast::Stmt]) -> R {
        if let Some(first) = body.first() {
            self.u().lineno = self.line_of(first);
        }
        self.body(body)
    }

    /// `compiler_body`: annotations set-up, the docstring, the statements.
    fn body(&mut self, body: &[ast::Stmt]) -> R {
        if find_ann(body) {
            self.emit(Opcode::SetupAnnotations, 0);
        }
        let mut rest = body;
        if docstring(body).is_some() {
            if let ast::Stmt::Expr(e) = &body[0] {
                self.expr(&e.value)?;
                self.nameop("__doc__", ast::ExprContext::Store)?;
                rest = &body[1..];
            }
        }
        for s in rest {
            self.stmt(s)?;
        }
        Ok(())
    }
}

/// `_PyAST_GetDocString`: the first statement, when it is a string.
pub(crate) fn docstring(body: &[ast::Stmt]) -> Option<String> {
    match body.first()? {
        ast::Stmt::Expr(e) => match e.value.as_ref() {
            ast::Expr::Constant(c) => match &c.value {
                ast::Constant::Str(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// `find_ann`: an annotated assignment anywhere in the block's own code.
pub(crate) fn find_ann(body: &[ast::Stmt]) -> bool {
    use ast::Stmt as S;
    body.iter().any(|s| match s {
        S::AnnAssign(_) => true,
        S::For(f) => find_ann(&f.body) || find_ann(&f.orelse),
        S::AsyncFor(f) => find_ann(&f.body) || find_ann(&f.orelse),
        S::While(w) => find_ann(&w.body) || find_ann(&w.orelse),
        S::If(i) => find_ann(&i.body) || find_ann(&i.orelse),
        S::With(w) => find_ann(&w.body),
        S::AsyncWith(w) => find_ann(&w.body),
        S::Try(t) => {
            find_ann(&t.body)
                || find_ann(&t.orelse)
                || find_ann(&t.finalbody)
                || t.handlers.iter().any(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    find_ann(&h.body)
                })
        }
        _ => false,
    })
}
