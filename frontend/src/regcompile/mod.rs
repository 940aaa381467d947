//! The direct register compiler: Python source to register code
//! ([`pyreg_spec::reg::RegCode`]) without going through stack code.
//!
//! Code generation is destination-driven, as in RegCPython's compiler:
//! an expression is compiled *into* a register chosen by its consumer, so
//! `x = a + b` is the single instruction `BINARY_ADD x <- a, b`. Fast
//! locals are registers `0..nlocals`; an expression that is a local bound
//! on every path, or a constant, is an operand of its consumer and costs
//! no instruction. Temporaries are allocated like a stack above the
//! locals (`nlocals + depth`), and `keep` (which temporaries survive the
//! instruction that reads them) is computed afterwards by liveness
//! ([`pyreg_spec::reg::mark_kept_inputs`]). Every code object made here
//! passes the register verifier ([`pyreg_spec::reg_verify::verify_reg`]).
//!
//! What is reused from the native front end: the parser, the symbol table,
//! constant folding ([`crate::compile::fold`]), and the header of each code
//! object (name, flags, argument counts, first line, `co_varnames`,
//! `co_cellvars`, `co_freevars`), taken from the native compiler's
//! compilation of the same function, which is run first. Its instruction
//! stream is never read for a directly compiled code object; it serves
//! as the fallback below.
//!
//! # How the engines get directly compiled code
//!
//! spec-reg and the VM take register code from a *translator*, a plain
//! `fn(&Arc<CodeObject>) -> Result<RegCode, String>` that they call once
//! per code object (at its first call, nested functions included) and
//! cache by the address of the `Arc`. Rather than change that type in
//! both engines, a compiled program registers its register code in a
//! process-wide table keyed by the same address ([`register`],
//! [`registered`]); the front end's translator function looks the code
//! object up there (see `cli/src/load.rs`). The table holds the `Arc`s, so
//! an address is never reused while it is registered. Each code object
//! of a directly compiled program is a [`CodeObject`] whose constants hold
//! the nested code objects (so `MAKE_FUNCTION` works unchanged) and whose
//! `co_code` is the *origin table* of its register code: instruction `i`
//! of the register code has origin `i`, and the stack instruction there
//! is the lifted opcode with its argument (the rule spec-reg runs for
//! it) or, for a register-native instruction, a stand-in (`NOP`,
//! `RETURN_VALUE`, ...); `co_lnotab` gives each its line, for tracebacks.
//! It is a side table, not executable stack code.
//!
//! # Fallback
//!
//! A code object using a construct this compiler does not handle yet is
//! taken, with everything nested in it, from the native compiler as stack
//! code, which the engines translate as usual. [`RegProgram::fallbacks`]
//! names each such code object and the construct; `pyreg stats` prints
//! them.

mod expr;
mod stmt;

use crate::compile::{docstring, CompileError, ConstKey};
use crate::parse::{parse_module, Lines};
use crate::symtable::{BlockKind, Scope, SymbolTable};
use pyreg_spec::code::{CodeObject, Constant, PyStr};
use pyreg_spec::opcode::Opcode;
use pyreg_spec::reg::{RegCode, RegInstr, RegOp, Rk, StaticBlock, DISCARD};
use rustpython_parser::ast::{self, Ranged};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// A program compiled by the direct register compiler.
#[derive(Debug)]
pub struct RegProgram {
    /// The module's code object (its constants hold the nested ones).
    pub code: Arc<CodeObject>,
    /// The register code of every directly compiled code object.
    pub direct: Vec<Arc<RegCode>>,
    /// The code objects taken from the native compiler instead.
    pub fallbacks: Vec<Fallback>,
}

/// A code object that fell back to stack compilation and translation.
#[derive(Clone, Debug)]
pub struct Fallback {
    /// The code object taken from the native compiler.
    pub code: Arc<CodeObject>,
    /// Its qualified name.
    pub qualname: String,
    /// Its first line.
    pub line: u32,
    /// The construct the direct compiler does not handle, and its line.
    pub reason: String,
}

/// Why a code object is not compiled directly (internal).
#[derive(Debug)]
struct Unsupported(String);

type R<T = ()> = Result<T, Unsupported>;

fn unsupported<T>(what: impl Into<String>) -> R<T> {
    Err(Unsupported(what.into()))
}

/// The process-wide table of directly compiled register code, keyed by
/// the address of the code object's `Arc` (see the module documentation).
fn table() -> &'static Mutex<HashMap<usize, Arc<RegCode>>> {
    static TABLE: OnceLock<Mutex<HashMap<usize, Arc<RegCode>>>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The fallbacks of registered programs, by the address of the code
/// object taken from the native compiler.
fn fallback_table() -> &'static Mutex<HashMap<usize, Fallback>> {
    static TABLE: OnceLock<Mutex<HashMap<usize, Fallback>>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Makes the register code of `p` available to [`registered`] (and its
/// fallbacks to [`fallback_of`]).
pub fn register(p: &RegProgram) {
    let mut t = table().lock().unwrap_or_else(|e| e.into_inner());
    for rc in &p.direct {
        t.insert(Arc::as_ptr(&rc.code) as usize, rc.clone());
    }
    let mut f = fallback_table().lock().unwrap_or_else(|e| e.into_inner());
    for fb in &p.fallbacks {
        f.insert(Arc::as_ptr(&fb.code) as usize, fb.clone());
    }
}

/// Why `code` was left to the native compiler, when it is the outermost
/// code object of a fallback of a registered program.
pub fn fallback_of(code: &Arc<CodeObject>) -> Option<Fallback> {
    let f = fallback_table().lock().unwrap_or_else(|e| e.into_inner());
    f.get(&(Arc::as_ptr(code) as usize))
        .filter(|fb| Arc::ptr_eq(&fb.code, code))
        .cloned()
}

/// The directly compiled register code of `code`, if it was registered;
/// `None` for a code object that is stack code (a fallback).
pub fn registered(code: &Arc<CodeObject>) -> Option<Arc<RegCode>> {
    let t = table().lock().unwrap_or_else(|e| e.into_inner());
    t.get(&(Arc::as_ptr(code) as usize))
        .filter(|rc| Arc::ptr_eq(&rc.code, code))
        .cloned()
}

/// Compiles a module's source straight to register code, on a thread with
/// a stack deep enough for any nesting the symbol table accepts. Syntax
/// errors are those of the native front end.
pub fn compile_source_reg(source: &str, filename: &str) -> Result<RegProgram, CompileError> {
    let (src, name) = (source.to_string(), filename.to_string());
    let worker = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || compile_here(&src, &name));
    match worker.map(|h| h.join()) {
        Ok(r) => r.unwrap_or_else(|_| {
            Err(CompileError::Internal(
                "the direct register compiler panicked (a bug in pyreg)".into(),
            ))
        }),
        Err(e) => Err(CompileError::Internal(format!(
            "cannot start the compiler thread: {e}"
        ))),
    }
}

fn compile_here(source: &str, filename: &str) -> Result<RegProgram, CompileError> {
    // The native compilation gives the syntax errors, the headers and the
    // fallbacks.
    let native = crate::compile::compile_here(source, filename)?;
    let parsed = parse_module(source, filename).map_err(CompileError::Syntax)?;
    let table = SymbolTable::build(&parsed.body, &parsed.lines)
        .map_err(|e| CompileError::Internal(format!("symbol table: {}", e.msg)))?;
    let mut c = RCompiler {
        st: &table,
        lines: &parsed.lines,
        units: Vec::new(),
        direct: Vec::new(),
        fallbacks: Vec::new(),
        retry_copy: None,
    };
    let code = c.unit(
        &native,
        0,
        UnitKind::Module,
        "<module>".into(),
        Body::Module(&parsed.body),
    );
    Ok(RegProgram {
        code,
        direct: c.direct,
        fallbacks: c.fallbacks,
    })
}

/// The kind of code a unit compiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum UnitKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

/// What a unit compiles.
#[derive(Clone, Copy)]
enum Body<'a> {
    Module(&'a [ast::Stmt]),
    Function(&'a [ast::Stmt]),
    Class(&'a ast::StmtClassDef),
    Lambda(&'a ast::Expr),
    Comprehension(
        Comp,
        &'a [ast::Comprehension],
        &'a ast::Expr,
        Option<&'a ast::Expr>,
    ),
}

/// The comprehension kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comp {
    List,
    Set,
    Dict,
    Gen,
}

/// An operand while compiling: temporaries are numbered from 0 above the
/// locals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum V {
    Local(u16),
    Temp(u16),
    Const(u32),
}

/// A destination register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dst {
    Local(u16),
    Temp(u16),
    Discard,
}

impl Dst {
    fn val(self) -> Option<V> {
        match self {
            Dst::Local(i) => Some(V::Local(i)),
            Dst::Temp(t) => Some(V::Temp(t)),
            Dst::Discard => None,
        }
    }
}

/// A label: an instruction index once bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Label(usize);

/// One instruction while compiling.
struct PInstr {
    /// Its static block stack (an index of `Unit::stacks`).
    stack: u32,
    op: RegOp,
    arg: u32,
    test: Option<Opcode>,
    outs: Vec<Dst>,
    ins: Vec<V>,
    target: Option<Label>,
    line: u32,
}

/// A block of the static exception table while compiling (temporaries
/// numbered from 0, handlers as labels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Blk {
    Finally { handler: Label, base: u16 },
    Handler { base: u16 },
}

/// What `return`, `break` and `continue` leave on their way out
/// (`compiler_unwind_fblock`).
#[derive(Clone)]
enum FBlock {
    /// A loop: where `continue` and `break` go, and the iterator a
    /// `break` drops.
    Loop {
        cont: Label,
        brk: Label,
        iter: Option<u16>,
    },
    /// The body of a `try` with handlers: its block is left.
    TryExcept,
    /// The body of a `try` with a `finally`: its block is left and the
    /// final body runs.
    FinallyTry(Vec<ast::Stmt>),
    /// Inside an except handler (or the exceptional run of a final
    /// body): the saved exception at `base` is restored, and the handler's
    /// name unbound.
    Handler { base: u16, name: Option<String> },
    /// The body of a `with`: its block is left and `__exit__` called.
    With { exit: u16, is_async: bool },
}

/// The state of one code object being compiled.
struct Unit {
    st_block: usize,
    kind: UnitKind,
    private: Option<String>,
    qualname: String,
    native: Arc<CodeObject>,
    children_seen: HashMap<(String, u32), usize>,
    instrs: Vec<PInstr>,
    labels: Vec<Option<usize>>,
    label_used: Vec<bool>,
    reachable: bool,
    consts: Vec<Constant>,
    const_index: HashMap<ConstKey, u32>,
    names: Vec<String>,
    name_index: HashMap<String, u32>,
    varnames: HashMap<String, u16>,
    cellvars: Vec<String>,
    freevars: Vec<String>,
    line: u32,
    next_temp: u16,
    max_temp: u16,
    fblocks: Vec<FBlock>,
    /// The static block stack here.
    blocks: Vec<Blk>,
    /// The distinct block stacks met, and their indices.
    stacks: Vec<Vec<Blk>>,
    stack_index: HashMap<Vec<Blk>, u32>,
    /// Fast locals bound on every path to the current point.
    bound: HashSet<u16>,
    /// Fast locals some `del` unbinds: never used as operands in place.
    deleted: HashSet<String>,
    /// Locals never used as operands in place (every read is a `MOVE`):
    /// the targets of the unit's assignment expressions, which can rebind a
    /// local between the point an operand names it and the instruction
    /// that reads it.
    copy_locals: HashSet<u16>,
}

/// The reason that makes [`RCompiler::unit`] compile a unit again with one
/// more local in [`Unit::copy_locals`] ([`RCompiler::retry_copy`]).
const RETRY_WITH_COPIES: &str = "an assignment expression (compiled again with copies)";

/// The compiler: the stack of units and the results.
struct RCompiler<'a> {
    st: &'a SymbolTable,
    lines: &'a Lines,
    units: Vec<Unit>,
    direct: Vec<Arc<RegCode>>,
    fallbacks: Vec<Fallback>,
    /// The local an assignment expression met in a unit that does not copy
    /// it yet.
    retry_copy: Option<u16>,
}

/// `u16` of a count, or unsupported.
fn small(n: usize, what: &str) -> R<u16> {
    u16::try_from(n)
        .ok()
        .filter(|&n| n < 0x7fff)
        .map_or_else(|| unsupported(format!("too many {what}")), Ok)
}

impl RCompiler<'_> {
    fn u(&mut self) -> &mut Unit {
        self.units.last_mut().expect("a unit is open")
    }

    fn ur(&self) -> &Unit {
        self.units.last().expect("a unit is open")
    }

    fn line_of(&self, node: &impl Ranged) -> u32 {
        self.lines.line(node.range().start())
    }

    /// Compiles one code object directly, or takes `native` (with all it
    /// nests) when a construct is not supported.
    fn unit(
        &mut self,
        native: &Arc<CodeObject>,
        st_block: usize,
        kind: UnitKind,
        qualname: String,
        body: Body<'_>,
    ) -> Arc<CodeObject> {
        let depth = self.units.len();
        let (ndirect, nfallbacks) = (self.direct.len(), self.fallbacks.len());
        let mut copies = HashSet::new();
        let mut r = self.unit_direct(native, st_block, kind, qualname.clone(), body, &copies);
        while matches!(&r, Err(Unsupported(why)) if why == RETRY_WITH_COPIES) {
            let Some(i) = self.retry_copy.take() else {
                break;
            };
            if !copies.insert(i) {
                break;
            }
            self.units.truncate(depth);
            self.direct.truncate(ndirect);
            self.fallbacks.truncate(nfallbacks);
            r = self.unit_direct(native, st_block, kind, qualname.clone(), body, &copies);
        }
        match r {
            Ok(code) => code,
            Err(Unsupported(reason)) => {
                // Nested units made on the way are dropped with it.
                self.units.truncate(depth);
                self.direct.truncate(ndirect);
                self.fallbacks.truncate(nfallbacks);
                self.fallbacks.push(Fallback {
                    code: native.clone(),
                    qualname,
                    line: native.firstlineno,
                    reason,
                });
                native.clone()
            }
        }
    }

    fn unit_direct(
        &mut self,
        native: &Arc<CodeObject>,
        st_block: usize,
        kind: UnitKind,
        qualname: String,
        body: Body<'_>,
        copy_locals: &HashSet<u16>,
    ) -> R<Arc<CodeObject>> {
        let private = match body {
            Body::Class(c) => Some(c.name.to_string()),
            _ => self.units.last().and_then(|u| u.private.clone()),
        };
        let varnames: HashMap<String, u16> = native
            .varnames
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string_lossy(), i as u16))
            .collect();
        small(native.varnames.len(), "locals")?;
        let nargs = native.argcount
            + native.kwonlyargcount
            + u32::from(native.flags & pyreg_spec::code::flags::VARARGS != 0)
            + u32::from(native.flags & pyreg_spec::code::flags::VARKEYWORDS != 0);
        let bound = (0..nargs as u16).collect();
        let mut deleted = HashSet::new();
        match body {
            Body::Module(s) | Body::Function(s) => stmt::deleted_names(s, &mut deleted),
            Body::Class(c) => stmt::deleted_names(&c.body, &mut deleted),
            _ => {}
        }
        let line = match body {
            Body::Module(s) => s.first().map_or(1, |s| self.line_of(s)),
            _ => native.firstlineno,
        };
        self.units.push(Unit {
            st_block,
            kind,
            private,
            qualname,
            native: native.clone(),
            children_seen: HashMap::new(),
            instrs: Vec::new(),
            labels: Vec::new(),
            label_used: Vec::new(),
            reachable: true,
            consts: Vec::new(),
            const_index: HashMap::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            varnames,
            cellvars: native
                .cellvars
                .iter()
                .map(|s| s.to_string_lossy())
                .collect(),
            freevars: native
                .freevars
                .iter()
                .map(|s| s.to_string_lossy())
                .collect(),
            line,
            next_temp: 0,
            max_temp: 0,
            fblocks: Vec::new(),
            blocks: Vec::new(),
            stacks: vec![Vec::new()],
            stack_index: [(Vec::new(), 0)].into_iter().collect(),
            bound,
            deleted,
            copy_locals: copy_locals.clone(),
        });
        match body {
            Body::Module(s) => {
                self.body(s)?;
                self.implicit_return()?;
            }
            Body::Function(s) => {
                let first = match docstring(s) {
                    Some(d) => Constant::Str(d.as_str().into()),
                    None => Constant::None,
                };
                self.add_const(first);
                let rest = if docstring(s).is_some() { &s[1..] } else { s };
                self.stmts(rest)?;
                self.implicit_return()?;
            }
            Body::Class(c) => self.class_body(c)?,
            Body::Lambda(e) => {
                self.add_const(Constant::None);
                let ast::Expr::Lambda(l) = e else {
                    return unsupported("a lambda that is not one");
                };
                if self.st.blocks[st_block].generator {
                    let t = self.temp()?;
                    self.expr_into(&l.body, Dst::Temp(t))?;
                    self.implicit_return()?;
                } else {
                    let v = self.val(&l.body)?;
                    self.emit(RegOp::Return, 0, vec![], vec![v]);
                }
            }
            Body::Comprehension(kind, gens, elt, value) => {
                self.comprehension_body(kind, gens, elt, value)?;
            }
        }
        self.finish()
    }

    /// `return None` where the code can fall off its end.
    fn implicit_return(&mut self) -> R {
        if self.ur().reachable {
            let k = self.add_const(Constant::None);
            self.emit(RegOp::Return, 0, vec![], vec![V::Const(k)]);
        }
        Ok(())
    }

    /// The finished unit: its register code verified and recorded, its
    /// code object returned.
    fn finish(&mut self) -> R<Arc<CodeObject>> {
        let u = self.units.pop().expect("unit");
        let nlocals = u.native.varnames.len() as u16;
        let nregs = nlocals
            .checked_add(u.max_temp)
            .filter(|&n| n < 0x7fff)
            .map_or_else(|| unsupported("too many registers"), Ok)?;
        let reg = |v: V| match v {
            V::Local(i) => Rk::Reg(i),
            V::Temp(t) => Rk::Reg(nlocals + t),
            V::Const(k) => Rk::Const(k as u16),
        };
        let out = |d: Dst| match d {
            Dst::Local(i) => i,
            Dst::Temp(t) => nlocals + t,
            Dst::Discard => DISCARD,
        };
        if u.consts.len() >= 0x7fff {
            return unsupported("too many constants");
        }
        let mut u = u;
        thread_jumps(&mut u);
        let mut instrs = Vec::with_capacity(u.instrs.len());
        let mut origin = Vec::with_capacity(u.instrs.len());
        for (i, p) in u.instrs.iter().enumerate() {
            let target = match p.target {
                Some(Label(l)) => match u.labels[l] {
                    Some(t) => t as u32,
                    None => return unsupported("a jump to an unbound label (a bug)"),
                },
                None => 0,
            };
            let (sop, sarg) = match p.op {
                RegOp::Apply(o) => (o, p.arg),
                RegOp::CompareBranch(_) => (p.test.unwrap_or(Opcode::Nop), p.arg),
                RegOp::Return => (Opcode::ReturnValue, 0),
                RegOp::Yield => (Opcode::YieldValue, 0),
                RegOp::YieldFrom => (Opcode::YieldFrom, 0),
                RegOp::PopExcept => (Opcode::PopExcept, 0),
                RegOp::Reraise => (Opcode::Reraise, 0),
                _ => (Opcode::Nop, 0),
            };
            origin.push(crate::compile::Instr {
                op: sop,
                arg: sarg,
                target: None,
                line: p.line,
            });
            instrs.push(RegInstr {
                op: p.op,
                arg: p.arg,
                test: p.test,
                outs: p.outs.iter().map(|d| out(*d)).collect(),
                ins: p.ins.iter().map(|v| reg(*v)).collect(),
                target,
                origin: i as u32,
                keep: Vec::new(),
            });
        }
        let firstlineno = u.native.firstlineno;
        let mut blocks = vec![crate::compile::Block {
            instrs: origin,
            next: None,
            has_return: false,
        }];
        let (code_bytes, lnotab) = crate::compile::assemble::assemble(&mut blocks, firstlineno);
        let n = &u.native;
        let code = Arc::new(CodeObject {
            argcount: n.argcount,
            posonlyargcount: n.posonlyargcount,
            kwonlyargcount: n.kwonlyargcount,
            nlocals: n.nlocals,
            stacksize: u32::from(u.max_temp),
            flags: n.flags,
            code: code_bytes.into(),
            consts: u.consts,
            names: u.names.iter().map(|s| PyStr::from(s.as_str())).collect(),
            varnames: n.varnames.clone(),
            freevars: n.freevars.clone(),
            cellvars: n.cellvars.clone(),
            filename: n.filename.clone(),
            name: n.name.clone(),
            firstlineno,
            lnotab: lnotab.into(),
        });
        let mut block_stacks = Vec::new();
        for st in &u.stacks {
            let mut v = Vec::new();
            for b in st {
                v.push(match *b {
                    Blk::Finally { handler, base } => StaticBlock::Finally {
                        handler: match u.labels[handler.0] {
                            Some(h) => h as u32,
                            None => return unsupported("a handler never placed (a bug)"),
                        },
                        base: nlocals + base,
                    },
                    Blk::Handler { base } => StaticBlock::ExceptHandler {
                        base: nlocals + base,
                    },
                });
            }
            block_stacks.push(v);
        }
        let blocks_at = u.instrs.iter().map(|p| p.stack).collect();
        let mut rc = RegCode {
            code: code.clone(),
            nregs,
            instrs,
            block_stacks,
            blocks_at,
        };
        compact_temporaries(&mut rc);
        pyreg_spec::reg::mark_kept_inputs(&mut rc);
        if let Err(e) = pyreg_spec::reg_verify::verify_reg(&rc) {
            return unsupported(format!("register verifier rejected the output: {e}"));
        }
        self.direct.push(Arc::new(rc));
        Ok(code)
    }

    // ----- emitting -----

    fn emit_full(&mut self, mut p: PInstr) {
        let u = self.u();
        if !u.reachable {
            return;
        }
        p.stack = match u.stack_index.get(&u.blocks) {
            Some(&i) => i,
            None => {
                let i = u.stacks.len() as u32;
                u.stacks.push(u.blocks.clone());
                u.stack_index.insert(u.blocks.clone(), i);
                i
            }
        };
        let ends = matches!(p.op, RegOp::Jump | RegOp::Return | RegOp::Reraise)
            || p.op == RegOp::Apply(Opcode::RaiseVarargs);
        if let Some(Label(l)) = p.target {
            u.label_used[l] = true;
        }
        u.instrs.push(p);
        if ends {
            u.reachable = false;
        }
    }

    fn emit(&mut self, op: RegOp, arg: u32, outs: Vec<Dst>, ins: Vec<V>) {
        let line = self.ur().line;
        self.emit_full(PInstr {
            stack: 0,
            op,
            arg,
            test: None,
            outs,
            ins,
            target: None,
            line,
        });
    }

    /// A lifted stack opcode.
    fn apply(&mut self, op: Opcode, arg: u32, outs: Vec<Dst>, ins: Vec<V>) {
        self.emit(RegOp::Apply(op), arg, outs, ins);
    }

    fn jump_to(&mut self, op: RegOp, ins: Vec<V>, target: Label) {
        let line = self.ur().line;
        self.emit_full(PInstr {
            stack: 0,
            op,
            arg: 0,
            test: None,
            outs: vec![],
            ins,
            target: Some(target),
            line,
        });
    }

    fn new_label(&mut self) -> Label {
        let u = self.u();
        u.labels.push(None);
        u.label_used.push(false);
        Label(u.labels.len() - 1)
    }

    /// Binds `l` here; code after it is reachable when something jumps to
    /// it (or falls into it).
    fn bind(&mut self, l: Label) {
        let u = self.u();
        u.labels[l.0] = Some(u.instrs.len());
        if u.label_used[l.0] {
            u.reachable = true;
        }
    }

    /// A fresh temporary (stack-like: [`RCompiler::free_to`] releases).
    fn temp(&mut self) -> R<u16> {
        let u = self.u();
        let t = u.next_temp;
        u.next_temp = t
            .checked_add(1)
            .filter(|&n| n < 0x4000)
            .map_or_else(|| unsupported("too many temporaries"), Ok)?;
        u.max_temp = u.max_temp.max(u.next_temp);
        Ok(t)
    }

    fn mark(&self) -> u16 {
        self.ur().next_temp
    }

    fn free_to(&mut self, mark: u16) {
        self.u().next_temp = mark;
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

    fn konst(&mut self, c: Constant) -> V {
        V::Const(self.add_const(c))
    }

    fn str_const(&mut self, s: &str) -> V {
        self.konst(Constant::Str(PyStr::from(s)))
    }

    /// The index of `name` in `co_names`, mangled when `mangle`.
    fn name_index(&mut self, name: &str, mangle: bool) -> u32 {
        let m = if mangle {
            crate::symtable::mangle(self.ur().private.as_deref(), name)
        } else {
            name.to_string()
        };
        let u = self.u();
        if let Some(&i) = u.name_index.get(&m) {
            return i;
        }
        let i = u.names.len() as u32;
        u.names.push(m.clone());
        u.name_index.insert(m, i);
        i
    }

    /// The native compilation of the nested code object called `name`
    /// starting at `line`, the `k`-th of them met so far.
    fn native_child(&mut self, name: &str, line: u32) -> R<Arc<CodeObject>> {
        let u = self.u();
        let seen = u.children_seen.entry((name.to_string(), line)).or_insert(0);
        let k = *seen;
        *seen += 1;
        let found: Vec<&Arc<CodeObject>> = u
            .native
            .consts
            .iter()
            .filter_map(|c| match c {
                Constant::Code(co) if co.name.to_string_lossy() == name => Some(co),
                _ => None,
            })
            .collect();
        let at_line: Vec<&&Arc<CodeObject>> =
            found.iter().filter(|c| c.firstlineno == line).collect();
        match at_line.get(k).or(at_line.last()) {
            Some(c) => Ok((**c).clone()),
            None => unsupported(format!("no native code object for {name} at line {line}")),
        }
    }

    /// The qualified name of a nested unit named `name`
    /// (`compiler_set_qualname`).
    fn child_qualname(&self, name: &str, kind: UnitKind) -> String {
        let parent = self.ur();
        if parent.kind == UnitKind::Module {
            return name.to_string();
        }
        if matches!(kind, UnitKind::Function | UnitKind::Class) {
            let mangled = crate::symtable::mangle(parent.private.as_deref(), name);
            if self.st.blocks[parent.st_block].scope(&mangled) == Some(Scope::GlobalExplicit) {
                return name.to_string();
            }
        }
        match parent.kind {
            UnitKind::Function | UnitKind::Lambda | UnitKind::Comprehension => {
                format!("{}.<locals>.{name}", parent.qualname)
            }
            _ => format!("{}.{name}", parent.qualname),
        }
    }

    /// How a name is reached in the current unit (`compiler_nameop`).
    fn scope_of(&mut self, name: &str) -> NameAccess {
        let mangled = crate::symtable::mangle(self.ur().private.as_deref(), name);
        let st = &self.st.blocks[self.ur().st_block];
        let scope = st.scope(&mangled);
        let is_fn = st.kind == BlockKind::Function;
        let is_class = st.kind == BlockKind::Class;
        let u = self.ur();
        match scope {
            Some(Scope::Free) | Some(Scope::Cell) => {
                let i = if scope == Some(Scope::Cell) {
                    u.cellvars.iter().position(|n| *n == mangled)
                } else {
                    u.freevars
                        .iter()
                        .position(|n| *n == mangled)
                        .map(|i| i + u.cellvars.len())
                };
                match i {
                    Some(i) => NameAccess::Deref(i as u32, is_class),
                    None => NameAccess::Missing(mangled),
                }
            }
            Some(Scope::Local) if is_fn => match u.varnames.get(&mangled) {
                Some(&i) => NameAccess::Fast(i, !u.deleted.contains(&mangled)),
                None => NameAccess::Missing(mangled),
            },
            Some(Scope::GlobalImplicit) if is_fn => NameAccess::Global(mangled),
            Some(Scope::GlobalExplicit) => NameAccess::Global(mangled),
            _ => NameAccess::Name(mangled),
        }
    }
}

/// Renumbers the temporaries of code without an exception table by
/// liveness, as the translator does: two temporaries share a register
/// unless one is written while the other is live (greedy colouring of the
/// interference graph, in order of first appearance). The stack-like
/// allocation gives each expression depth its own register; this packs
/// them, so the register file is smaller and more operands fit the short
/// encoding. Code with `try`/`with` keeps its numbering: a handler's
/// registers are fixed by its block's base.
fn compact_temporaries(rc: &mut RegCode) {
    if rc.block_stacks.iter().any(|b| !b.is_empty()) {
        return;
    }
    let nlocals = rc.code.nlocals as usize;
    let width = (rc.nregs as usize).saturating_sub(nlocals);
    if width == 0 {
        return;
    }
    let temp = |r: pyreg_spec::reg::Reg| {
        let r = r as usize;
        (r >= nlocals && r < nlocals + width).then(|| r - nlocals)
    };
    let live = pyreg_spec::reg::temps_live_after(rc);
    let mut edges: Vec<HashSet<usize>> = vec![HashSet::new(); width];
    let mut order: Vec<usize> = Vec::new();
    let mut seen = vec![false; width];
    for (ins, after) in rc.instrs.iter().zip(&live) {
        let regs = ins
            .ins
            .iter()
            .filter_map(|x| match x {
                Rk::Reg(r) => Some(*r),
                Rk::Const(_) => None,
            })
            .chain(ins.outs.iter().copied());
        for r in regs {
            if let Some(t) = temp(r) {
                if !seen[t] {
                    seen[t] = true;
                    order.push(t);
                }
            }
        }
        let defs: Vec<usize> = ins.outs.iter().filter_map(|r| temp(*r)).collect();
        for &d in &defs {
            for &l in after {
                if let Some(l) = temp(l) {
                    if l != d {
                        edges[d].insert(l);
                        edges[l].insert(d);
                    }
                }
            }
            for &d2 in &defs {
                if d2 != d {
                    edges[d].insert(d2);
                }
            }
        }
    }
    let mut color: Vec<Option<usize>> = vec![None; width];
    let mut ncolors = 0;
    for &t in &order {
        let taken: HashSet<usize> = edges[t].iter().filter_map(|n| color[*n]).collect();
        let c = (0..).find(|c| !taken.contains(c)).unwrap_or(0);
        color[t] = Some(c);
        ncolors = ncolors.max(c + 1);
    }
    let map = |r: pyreg_spec::reg::Reg| match temp(r) {
        Some(t) => (nlocals + color[t].unwrap_or(t)) as pyreg_spec::reg::Reg,
        None => r,
    };
    for ins in &mut rc.instrs {
        for x in &mut ins.ins {
            if let Rk::Reg(r) = x {
                *r = map(*r);
            }
        }
        for o in &mut ins.outs {
            *o = map(*o);
        }
    }
    rc.nregs = (nlocals + ncolors) as u16;
}

/// Jump threading, as CPython's peephole optimizer does it: a jump or
/// branch to a jump goes to the final target, and a jump to a `RETURN`
/// becomes that `RETURN` (it reads the same registers).
fn thread_jumps(u: &mut Unit) {
    let at = |u: &Unit, l: Label| u.labels.get(l.0).copied().flatten();
    for i in 0..u.instrs.len() {
        let Some(mut label) = u.instrs[i].target else {
            continue;
        };
        for _ in 0..8 {
            let Some(t) = at(u, label) else { break };
            match u.instrs.get(t) {
                Some(p) if p.op == RegOp::Jump && t != i => match p.target {
                    Some(l) => label = l,
                    None => break,
                },
                _ => break,
            }
        }
        u.instrs[i].target = Some(label);
        if u.instrs[i].op != RegOp::Jump {
            continue;
        }
        if let Some(t) = at(u, label) {
            if let Some(p) = u.instrs.get(t) {
                if p.op == RegOp::Return {
                    let ins = p.ins.clone();
                    let q = &mut u.instrs[i];
                    q.op = RegOp::Return;
                    q.ins = ins;
                    q.target = None;
                }
            }
        }
    }
}

/// How a variable is reached.
enum NameAccess {
    /// A cell or free variable: its index in the cell array, and whether
    /// the unit is a class body (`LOAD_CLASSDEREF`).
    Deref(u32, bool),
    /// A fast local, and whether it is never deleted.
    Fast(u16, bool),
    /// A global (`LOAD_GLOBAL`).
    Global(String),
    /// A name looked up at run time (`LOAD_NAME`).
    Name(String),
    /// Not found where the symbol table says it is (a bug).
    Missing(String),
}
