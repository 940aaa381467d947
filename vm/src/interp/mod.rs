//! The interpreter: one register stack holding every frame's window, a
//! `loop { match }` over the prepared instructions, Python-to-Python calls
//! that push a frame instead of recursing in Rust, and exceptions unwound
//! through the static exception table.
//!
//! Reference ownership, everywhere in this module and its children: a
//! `Value` passed in is borrowed; a `Value` returned in `Ok` (and the
//! exception in [`Fault::Raise`]) is owned, holding one reference for the
//! caller, who stores it (the reference moves) or drops it. Registers,
//! container items, namespaces and cells own theirs.
//!
//! Native code calling back into Python (`__init__`, `__eq__`, `key=`,
//! generators) runs a nested dispatch loop until the frame it pushed
//! returns ([`Vm::call_value`]); plain Python-to-Python calls never do.
//!
//! - [`types`]: the built-in classes and `type(x)`;
//! - [`call`]: calls, argument binding, classes called;
//! - [`attr`]: attributes, descriptors, class creation;
//! - [`ops`]: operators, comparison, truth, hashing;
//! - [`text`]: `repr` and `str`;
//! - [`exc`]: raising, unwinding, tracebacks;
//! - [`iter`]: iterators and generators;
//! - [`apply`]: the stack rules of lifted opcodes.

mod apply;
mod attr;
mod builtins;
mod bytes;
mod call;
mod complex;
mod exc;
pub(crate) mod inline_cache;
mod iter;
mod methods;
mod modules;
mod observe;
mod ops;
mod sets;
mod stack;
mod text;
mod type_cache;
mod types;

use crate::code::{prepare, Ins, Op, VmCode, CONST, NOWHERE};
use crate::heap::{ExcKind, Heap, Obj};
use crate::value::{ObjRef, Value};
use pyreg_spec::code::CodeObject;
use pyreg_spec::reg::RegCode;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

pub use inline_cache::AttrSite;
pub use types::Types;

/// The names of CPython 3.9's `builtins` module: loading one the VM does
/// not have yet is reported as unsupported, not as a `NameError`.
const PYTHON_BUILTINS: &[&str] = &[
    "__build_class__",
    "__import__",
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "exit",
    "quit",
];

/// CPython's default recursion limit.
pub const RECURSION_LIMIT: usize = 1000;

/// The caller register that sends a frame's result to
/// [`Vm::native_result`] (a frame pushed by native code).
const RET_NATIVE: u16 = NOWHERE - 1;

/// The translator the VM takes register code from (the translator crate's,
/// validated), passed in so that the VM depends only on the spec's types.
pub type Translator = fn(&Arc<CodeObject>) -> Result<RegCode, String>;

/// A module's globals: a slot per name, so that `LOAD_GLOBAL` finds its
/// slot once, when the code is prepared.
#[derive(Default, Debug)]
pub struct Namespace {
    slots: Vec<Value>,
    index: HashMap<String, u32>,
    names: Vec<String>,
}

impl Namespace {
    /// The slot of `name`, made (empty) on first use.
    pub fn slot(&mut self, name: &str) -> u32 {
        if let Some(i) = self.index.get(name) {
            return *i;
        }
        let i = self.slots.len() as u32;
        self.slots.push(Value::Empty);
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

/// Why an instruction did not complete.
#[derive(Debug)]
pub enum Fault {
    /// A Python exception (the instance, one reference held).
    Raise(Value),
    /// Something the VM does not implement yet, named.
    Unsupported(String),
}

type Res<T> = Result<T, Fault>;

/// Shorthand for a gap in the VM.
fn gap<T>(what: impl std::fmt::Display) -> Res<T> {
    Err(Fault::Unsupported(format!("vm: unsupported {what}")))
}

struct Frame {
    code: Rc<VmCode>,
    /// The instruction running (or to run, once resumed).
    pc: usize,
    base: usize,
    /// The caller's register receiving the result ([`RET_NATIVE`]: native
    /// code waits for it).
    ret: u16,
    /// The cells of `co_cellvars` then `co_freevars` (one reference each).
    cells: Vec<Value>,
    /// A class body's namespace (a dict, one reference), else `Empty`.
    locals: Value,
    /// The generator this frame runs, if any.
    gen: Option<ObjRef>,
    /// Stack mode: the next free slot of the value stack (an index into
    /// the register stack).
    sp: usize,
    /// Stack mode: the block stack.
    blocks: Vec<crate::heap::Block>,
    /// For an `__init__` the dispatch loop called to make an instance:
    /// the instance (one reference), which its return hands to the caller
    /// in place of `None`; else `Empty`.
    init: Value,
}

/// How a run ended.
#[derive(Debug)]
pub struct Finished {
    /// Exit status: 0, 1 after an uncaught exception was printed, or
    /// `SystemExit`'s code.
    pub status: i32,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// Heap objects still alive at the end (the module's globals, the
    /// constants and built-ins): what reference counting left.
    pub live_objects: usize,
    /// The `__main__` module's globals at the end, sorted by name, each
    /// value in `pyreg_spec::canon`'s rendering (modules, functions,
    /// classes and built-in functions left out); empty unless the VM was
    /// made with [`Vm::observe_globals`].
    pub globals: Vec<(String, String)>,
}

/// The virtual machine.
pub struct Vm {
    heap: Heap,
    /// The register stack: every frame's window, `Empty` above `top`.
    regs: Vec<Value>,
    /// End of the innermost window.
    top: usize,
    frames: Vec<Frame>,
    ns: Vec<Namespace>,
    builtins: HashMap<String, Value>,
    types: Types,
    prepared: HashMap<(usize, bool), Rc<VmCode>>,
    translate: Translator,
    sources: HashMap<String, String>,
    stdout: Vec<u8>,
    /// The exception being handled (one reference), or `None`.
    handling: Value,
    /// Set by a bare `raise` and `RERAISE`: the frame re-raising is
    /// already in the exception's traceback.
    reraising: bool,
    /// The result of the frame native code waits for.
    native_result: Value,
    /// Whether that frame yielded (rather than returned).
    yielded: bool,
    /// Objects whose `repr` is being computed (for `[...]`).
    repr_active: Vec<ObjRef>,
    /// What `SystemExit` prints to standard error.
    stderr_extra: String,
    /// The `__class__` cell a class body returned.
    class_cell: Value,
    /// The result of a finished `yield from`.
    stop_value: Value,
    /// One shared unbound object per built-in method.
    unbound_methods: Vec<Value>,
    /// Modules imported so far.
    modules: HashMap<String, Value>,
    /// The program's path (`sys.argv[0]`).
    program: String,
    /// The modules of the program, by name, not yet run.
    program_modules: HashMap<String, Arc<CodeObject>>,
    /// Whether frames run stack code (`--engine vm-stack`).
    stack_mode: bool,
    /// Built-in methods found by `LOAD_METHOD`, by name object and type.
    method_cache: HashMap<(u32, u8), Option<u16>, types::BuildFx>,
    /// Lookups along class MROs, remembered.
    type_cache: std::cell::RefCell<type_cache::TypeCache>,
    /// Moves when class dicts gain or lose keys: the attribute sites
    /// filled before are void (`inline_cache.rs`).
    attr_epoch: std::cell::Cell<u64>,
    /// Whether [`Finished::globals`] is filled.
    observe_globals: bool,
}

/// The argument operands of a `Call`: `extra[d + 1..d + 1 + n]` (the
/// function is `extra[d]`).
#[inline(always)]
fn call_args(ins: &Ins) -> std::ops::Range<usize> {
    let d = ins.d as usize + 1;
    d..d + ins.n as usize
}

/// What an instruction asks the loop to do next.
enum Next {
    /// Continue at this instruction of the same frame.
    Go(usize),
    /// The frame stack changed.
    Switch,
}

impl Vm {
    /// A VM with the built-ins, taking register code from `translate`.
    pub fn new(translate: Translator, sources: HashMap<String, String>) -> Vm {
        let mut heap = Heap::default();
        let types = Types::new(&mut heap);
        let mut builtins = HashMap::new();
        types.install(&mut heap, &mut builtins);
        builtins::install(&mut heap, &mut builtins);
        Vm {
            heap,
            regs: vec![Value::Empty; 1 << 16],
            top: 0,
            frames: Vec::new(),
            ns: Vec::new(),
            builtins,
            types,
            prepared: HashMap::new(),
            translate,
            sources,
            stdout: Vec::new(),
            handling: Value::None,
            reraising: false,
            native_result: Value::Empty,
            yielded: false,
            repr_active: Vec::new(),
            stderr_extra: String::new(),
            class_cell: Value::Empty,
            stop_value: Value::Empty,
            unbound_methods: Vec::new(),
            modules: HashMap::new(),
            program: String::new(),
            program_modules: HashMap::new(),
            stack_mode: false,
            method_cache: HashMap::with_hasher(types::BuildFx),
            type_cache: Default::default(),
            attr_epoch: Default::default(),
            observe_globals: false,
        }
    }

    /// Makes the VM run CPython's stack code instead of register code,
    /// with everything else the same.
    pub fn stack_mode(mut self) -> Vm {
        self.stack_mode = true;
        self
    }

    /// Makes the run's [`Finished`] hold the final globals of `__main__`
    /// (for the differential oracle).
    pub fn observe_globals(mut self) -> Vm {
        self.observe_globals = true;
        self
    }

    /// Where instruction `pc` of `code` is, for messages.
    fn place(code: &VmCode, pc: usize) -> String {
        if code.stack.is_empty() {
            let origin = Vm::origin(code, pc);
            format!("register instruction {pc} (stack instruction {origin})")
        } else {
            format!("stack instruction {pc}")
        }
    }

    /// The stack instruction behind instruction `pc` of `code`.
    fn origin(code: &VmCode, pc: usize) -> u32 {
        if code.stack.is_empty() {
            code.rc.instrs.get(pc).map_or(0, |i| i.origin)
        } else {
            pc as u32
        }
    }

    /// The modules of the program (`.py` files beside it) that `import`
    /// finds, compiled.
    pub fn with_modules(mut self, modules: HashMap<String, Arc<CodeObject>>) -> Vm {
        self.program_modules = modules;
        self
    }

    /// Runs `code` as the `__main__` module.
    pub fn run_main(mut self, code: &Arc<CodeObject>) -> Result<Finished, String> {
        self.ns.push(Namespace::default());
        self.program = code.filename.to_string_lossy();
        let main = self.heap.str("__main__");
        let slot = self.ns[0].slot("__name__");
        self.ns[0].slots[slot as usize] = main;
        let doc = self.ns[0].slot("__doc__");
        self.ns[0].slots[doc as usize] = Value::None;
        let vc = self.prepared_code(code, 0, false).map_err(|e| match e {
            Fault::Unsupported(s) => s,
            Fault::Raise(_) => "the module cannot be prepared".into(),
        })?;
        self.open_window(0, vc.nregs);
        let cells = self.make_cells(&vc, 0, Vec::new());
        self.frames.push(Frame {
            code: vc,
            pc: 0,
            base: 0,
            ret: RET_NATIVE,
            cells,
            locals: Value::Empty,
            gen: None,
            sp: 0,
            blocks: Vec::new(),
            init: Value::Empty,
        });
        match self.run_loop(0) {
            Ok(()) => {
                let r = std::mem::replace(&mut self.native_result, Value::Empty);
                self.heap.decref(r);
                Ok(self.finished(0, Vec::new()))
            }
            Err(Fault::Raise(e)) => {
                if let Some(status) = self.system_exit(e) {
                    let err = std::mem::take(&mut self.stderr_extra).into_bytes();
                    return Ok(self.finished(status, err));
                }
                let stderr = self.traceback_text(e);
                Ok(self.finished(1, stderr.into_bytes()))
            }
            Err(Fault::Unsupported(s)) => Err(s),
        }
    }

    fn finished(&mut self, status: i32, stderr: Vec<u8>) -> Finished {
        let globals = if self.observe_globals {
            self.main_globals_rendered()
        } else {
            Vec::new()
        };
        Finished {
            status,
            globals,
            live_objects: self.heap.live(),
            stdout: std::mem::take(&mut self.stdout),
            stderr,
        }
    }

    fn prepared_code(
        &mut self,
        code: &Arc<CodeObject>,
        globals: u32,
        class_body: bool,
    ) -> Res<Rc<VmCode>> {
        let key = (Arc::as_ptr(code) as usize, class_body);
        if let Some(c) = self.prepared.get(&key) {
            if c.globals == globals {
                return Ok(c.clone());
            }
        }
        if self.stack_mode {
            let vc = crate::code::prepare_stack(
                code.clone(),
                &mut self.heap,
                &mut self.ns[globals as usize],
                globals,
                class_body,
            )
            .map_err(|e| Fault::Unsupported(format!("vm-stack: unverifiable code: {e}")))?;
            let vc = Rc::new(vc);
            self.prepared.insert(key, vc.clone());
            return Ok(vc);
        }
        let rc = (self.translate)(code).map_err(Fault::Unsupported)?;
        let vc = Rc::new(prepare(
            rc,
            &mut self.heap,
            &mut self.ns[globals as usize],
            globals,
            class_body,
        ));
        self.prepared.insert(key, vc.clone());
        Ok(vc)
    }

    /// A new `str` (owned).
    fn str_value(&mut self, s: &str) -> Value {
        self.heap.str(s)
    }

    // ---- registers ----

    /// Makes `[base, base + n)` the innermost window. Registers above the
    /// top are always empty, so nothing needs filling unless the stack
    /// grows.
    #[inline(always)]
    fn open_window(&mut self, base: usize, n: usize) {
        let end = base + n;
        if end > self.regs.len() {
            self.regs.resize(end.max(self.regs.len() * 2), Value::Empty);
        }
        self.top = end;
    }

    /// The cells of a new frame of `code`: a fresh cell per cell variable
    /// (holding its parameter's value, moved out of the register, when it
    /// is one), then the closure's cells (whose references the caller has
    /// taken).
    fn make_cells(&mut self, code: &VmCode, base: usize, closure: Vec<Value>) -> Vec<Value> {
        if code.cell_args.is_empty() {
            // A function with free variables only: its closure is its cells.
            return closure;
        }
        let mut cells = Vec::with_capacity(code.cell_args.len() + closure.len());
        for arg in &code.cell_args {
            let init = match arg {
                Some(j) => std::mem::replace(&mut self.regs[base + j], Value::Empty),
                None => Value::Empty,
            };
            cells.push(self.heap.alloc(Obj::Cell(init)));
        }
        cells.extend(closure);
        cells
    }

    /// Releases a popped frame's window, cells and namespace.
    fn drop_frame(&mut self, f: Frame) {
        self.close_window(f.base);
        self.heap.decref_all(f.cells);
        self.heap.decref(f.locals);
        self.heap.decref(f.init);
    }

    /// Drops the innermost window, from `base` up, leaving it empty.
    #[inline(always)]
    fn close_window(&mut self, base: usize) {
        for r in base..self.top {
            let old = std::mem::replace(&mut self.regs[r], Value::Empty);
            self.heap.decref(old);
        }
        self.top = base;
    }

    #[inline(always)]
    fn get(&self, code: &VmCode, base: usize, x: u16) -> Value {
        if x & CONST != 0 {
            code.consts[(x & !CONST) as usize]
        } else {
            self.regs[base + x as usize]
        }
    }

    /// Stores the owned `v` in register `r`, dropping what it held.
    #[inline(always)]
    fn put(&mut self, base: usize, r: u16, v: Value) {
        if r == NOWHERE {
            self.heap.decref(v);
            return;
        }
        let old = std::mem::replace(&mut self.regs[base + r as usize], v);
        self.heap.decref(old);
    }

    /// Clears the temporaries `ins` consumes.
    #[inline(always)]
    fn consume(&mut self, code: &VmCode, base: usize, ins: &Ins) {
        let at = ins.clear_at as usize;
        for k in at..at + ins.clear_n as usize {
            let r = code.clears[k] as usize;
            let old = std::mem::replace(&mut self.regs[base + r], Value::Empty);
            self.heap.decref(old);
        }
    }

    /// Completes an instruction with one owned result: consumes the
    /// inputs, stores it.
    #[inline]
    fn finish(&mut self, code: &VmCode, base: usize, ins: &Ins, v: Value) {
        self.consume(code, base, ins);
        self.put(base, ins.a, v);
    }

    /// Calls `f` with the operands `extra[d..d+n]`, gathered without
    /// allocating when they are few.
    #[inline]
    fn call_operands(
        &mut self,
        f: Value,
        code: &VmCode,
        base: usize,
        d: usize,
        n: usize,
    ) -> Res<Value> {
        if n <= 8 {
            let mut buf = [Value::Empty; 8];
            for (k, slot) in buf.iter_mut().enumerate().take(n) {
                *slot = self.get(code, base, code.extra[d + k]);
            }
            return self.call_value(f, &buf[..n], &[]);
        }
        let args = self.operands(code, base, d, n);
        self.call_value(f, &args, &[])
    }

    /// The operands `extra[d..d+n]`, borrowed.
    fn operands(&self, code: &VmCode, base: usize, d: usize, n: usize) -> Vec<Value> {
        (0..n)
            .map(|k| self.get(code, base, code.extra[d + k]))
            .collect()
    }

    fn unsupported(&self, code: &VmCode, pc: usize, what: &str) -> Fault {
        Fault::Unsupported(format!(
            "vm: unsupported {what} in {} at {}",
            code.co.name.to_string_lossy(),
            Vm::place(code, pc)
        ))
    }

    /// Names a gap with the instruction where it was met.
    fn locate(&self, code: &VmCode, pc: usize, f: Fault) -> Fault {
        match f {
            Fault::Unsupported(s) if !s.contains(" instruction ") => Fault::Unsupported(format!(
                "{s} in {} at {}",
                code.co.name.to_string_lossy(),
                Vm::place(code, pc)
            )),
            f => f,
        }
    }

    // ---- the loop ----

    /// Runs frames until the stack is back to `stop` frames. An exception
    /// that leaves frame `stop` comes back as `Err`.
    fn run_loop(&mut self, stop: usize) -> Res<()> {
        if self.stack_mode {
            return self.run_stack(stop);
        }
        loop {
            if self.frames.len() <= stop {
                return Ok(());
            }
            let Some(f) = self.frames.last() else {
                return Ok(());
            };
            let code = f.code.clone();
            let base = f.base;
            let mut pc = f.pc;
            loop {
                let Some(ins) = code.ins.get(pc).copied() else {
                    return Err(self.unsupported(&code, pc, "fall off the end of the code"));
                };
                if let Some(n) = self.fast(&code, base, pc, &ins) {
                    if n == usize::MAX {
                        break;
                    }
                    pc = n;
                    continue;
                }
                match self.step(&code, base, pc, &ins) {
                    Ok(Next::Go(n)) => pc = n,
                    Ok(Next::Switch) => break,
                    Err(Fault::Raise(e)) => {
                        if let Some(f) = self.frames.last_mut() {
                            f.pc = pc;
                        }
                        self.unwind(e, stop)?;
                        break;
                    }
                    Err(f) => return Err(self.locate(&code, pc, f)),
                }
            }
        }
    }

    /// The hot cases on small ints, kept in the dispatch loop (no call,
    /// no references to count): the next instruction's index
    /// (`usize::MAX` when the frame stack changed), or `None` for
    /// [`Vm::step`] to do the general case.
    #[inline(always)]
    fn fast(&mut self, code: &VmCode, base: usize, pc: usize, ins: &Ins) -> Option<usize> {
        match ins.op {
            Op::Jump => Some(ins.d as usize),
            Op::Move => {
                let v = self.get(code, base, ins.b);
                if v == Value::Empty {
                    return None;
                }
                self.heap.incref(v);
                self.consume(code, base, ins);
                self.put(base, ins.a, v);
                Some(pc + 1)
            }
            Op::CmpBranch(c, sense) => {
                let t =
                    ops::compare_fast(c, self.get(code, base, ins.b), self.get(code, base, ins.c))?;
                self.consume(code, base, ins);
                Some(if t == sense { ins.d as usize } else { pc + 1 })
            }
            Op::Branch(sense) => {
                let t = match self.get(code, base, ins.b) {
                    Value::Bool(b) => b,
                    Value::Int(i) => i != 0,
                    Value::None => false,
                    _ => return None,
                };
                self.consume(code, base, ins);
                Some(if t == sense { ins.d as usize } else { pc + 1 })
            }
            Op::Binary(op, _) => {
                let r =
                    ops::binary_fast(op, self.get(code, base, ins.b), self.get(code, base, ins.c))?;
                self.consume(code, base, ins);
                self.put(base, ins.a, r);
                Some(pc + 1)
            }
            Op::Subscr => {
                let v = self.item_fast(self.get(code, base, ins.b), self.get(code, base, ins.c))?;
                self.heap.incref(v);
                self.consume(code, base, ins);
                self.put(base, ins.a, v);
                Some(pc + 1)
            }
            Op::StoreSubscr => {
                let v = self.get(code, base, ins.b);
                let (Value::Obj(c), Value::Int(i)) = (
                    self.get(code, base, ins.c),
                    self.get(code, base, code.extra[ins.d as usize]),
                ) else {
                    return None;
                };
                let Obj::List(xs) = self.heap.get_mut(c) else {
                    return None;
                };
                let k = ops::fast_index(i, xs.len())?;
                let old = std::mem::replace(&mut xs[k], v);
                self.heap.incref(v);
                self.heap.decref(old);
                self.consume(code, base, ins);
                Some(pc + 1)
            }
            Op::Unpack if ins.n as usize <= 8 => {
                let n = ins.n as usize;
                let buf = self.items_fast(self.get(code, base, ins.b), n)?;
                for v in &buf[..n] {
                    self.heap.incref(*v);
                }
                self.consume(code, base, ins);
                for k in 0..n {
                    let r = code.extra[ins.d as usize + k];
                    self.put(base, r, buf[n - 1 - k]);
                }
                Some(pc + 1)
            }
            Op::Return => {
                let v = self.get(code, base, ins.b);
                self.heap.incref(v);
                self.return_value(v);
                Some(usize::MAX)
            }
            Op::Call if self.frames.len() < RECURSION_LIMIT => {
                let f = self.get(code, base, code.extra[ins.d as usize]);
                match self.call_python(code, base, pc, ins, f, call_args(ins)) {
                    Ok(true) => Some(usize::MAX),
                    _ => None,
                }
            }
            Op::CallMethod if self.frames.len() < RECURSION_LIMIT => {
                // A method found by LOAD_METHOD: `self` is the first operand.
                let d = ins.d as usize;
                let m = self.get(code, base, code.extra[d]);
                let this = self.get(code, base, code.extra[d + 1]);
                if this == Value::Empty {
                    return None;
                }
                match self.call_python(code, base, pc, ins, m, d + 1..d + 2 + ins.n as usize) {
                    Ok(true) => Some(usize::MAX),
                    _ => None,
                }
            }
            Op::LoadDeref => {
                let v = self.cell_contents(ins.d)?;
                self.heap.incref(v);
                self.consume(code, base, ins);
                self.put(base, ins.a, v);
                Some(pc + 1)
            }
            Op::StoreDeref => {
                let v = self.get(code, base, ins.b);
                let old = self.swap_cell(ins.d, v)?;
                self.heap.incref(v);
                self.consume(code, base, ins);
                self.heap.decref(old);
                Some(pc + 1)
            }
            Op::LoadGlobal => {
                let v = self.ns[code.globals as usize].slots[ins.d as usize];
                if v == Value::Empty {
                    return None;
                }
                self.heap.incref(v);
                self.put(base, ins.a, v);
                Some(pc + 1)
            }
            Op::ForIter => {
                let it = self.get(code, base, ins.b).obj()?;
                if let Obj::Iter(crate::heap::Iter::Range(n, z, st)) = self.heap.get_mut(it) {
                    let (n0, z0, s0) = (*n, *z, *st);
                    if (s0 > 0 && n0 < z0) || (s0 < 0 && n0 > z0) {
                        *n = n0.wrapping_add(s0);
                        self.put(base, ins.a, Value::Int(n0));
                        return Some(pc + 1);
                    }
                }
                None
            }
            _ => None,
        }
    }

    fn step(&mut self, code: &Rc<VmCode>, base: usize, pc: usize, ins: &Ins) -> Res<Next> {
        let next = Next::Go(pc + 1);
        match ins.op {
            Op::Move => {
                let v = self.get(code, base, ins.b);
                if v == Value::Empty {
                    return Err(self.unbound(code, ins.b));
                }
                self.heap.incref(v);
                self.finish(code, base, ins, v);
            }
            Op::Delete => {
                let r = base + ins.a as usize;
                if self.regs[r] == Value::Empty {
                    return Err(self.unbound(code, ins.a));
                }
                let old = std::mem::replace(&mut self.regs[r], Value::Empty);
                self.heap.decref(old);
            }
            Op::Jump => return Ok(Next::Go(ins.d as usize)),
            Op::Branch(sense) => {
                let t = self.truthy(self.get(code, base, ins.b))?;
                self.consume(code, base, ins);
                if t == sense {
                    return Ok(Next::Go(ins.d as usize));
                }
            }
            Op::CmpBranch(c, sense) => {
                let (a, b) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let r = self.compare(c, a, b)?;
                let t = self.truthy(r);
                self.heap.decref(r);
                let t = t?;
                self.consume(code, base, ins);
                if t == sense {
                    return Ok(Next::Go(ins.d as usize));
                }
            }
            Op::Compare(c) => {
                let (a, b) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let r = self.compare(c, a, b)?;
                self.finish(code, base, ins, r);
            }
            Op::Binary(op, inplace) => {
                let (a, b) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let r = self.binary(op, inplace, a, b)?;
                self.finish(code, base, ins, r);
            }
            Op::Not => {
                let t = self.truthy(self.get(code, base, ins.b))?;
                self.finish(code, base, ins, Value::Bool(!t));
            }
            Op::LoadGlobal => {
                let ns = &self.ns[code.globals as usize];
                let v = ns.slots[ins.d as usize];
                let v = if v == Value::Empty {
                    let name = ns.names[ins.d as usize].clone();
                    self.builtin(&name)?
                } else {
                    v
                };
                self.heap.incref(v);
                self.finish(code, base, ins, v);
            }
            Op::StoreGlobal => {
                let v = self.get(code, base, ins.b);
                self.heap.incref(v);
                self.consume(code, base, ins);
                let slot = &mut self.ns[code.globals as usize].slots[ins.d as usize];
                let old = std::mem::replace(slot, v);
                self.heap.decref(old);
            }
            Op::DeleteGlobal => {
                let ns = &mut self.ns[code.globals as usize];
                let old = std::mem::replace(&mut ns.slots[ins.d as usize], Value::Empty);
                if old == Value::Empty {
                    let name = ns.names[ins.d as usize].clone();
                    return Err(
                        self.error(ExcKind::NameError, format!("name '{name}' is not defined"))
                    );
                }
                self.heap.decref(old);
            }
            Op::LoadName | Op::StoreName | Op::DeleteName => {
                return self.class_body_name(code, base, pc, ins);
            }
            Op::LoadAttr => {
                let obj = self.get(code, base, ins.b);
                let name = code.names[ins.d as usize];
                let v = self.load_attr_at(code, pc, obj, name)?;
                self.finish(code, base, ins, v);
            }
            Op::StoreAttr => {
                // value, object
                let (v, obj) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let name = code.names[ins.d as usize];
                self.store_attr_at(code, pc, obj, name, v)?;
                self.consume(code, base, ins);
            }
            Op::Call => {
                let d = ins.d as usize;
                let f = self.get(code, base, code.extra[d]);
                if self.call_python(code, base, pc, ins, f, call_args(ins))? {
                    return Ok(Next::Switch);
                }
                let r = self.call_operands(f, code, base, d + 1, ins.n as usize)?;
                self.finish(code, base, ins, r);
            }
            Op::CallMethod => {
                let d = ins.d as usize;
                let m = self.get(code, base, code.extra[d]);
                let this = self.get(code, base, code.extra[d + 1]);
                if this != Value::Empty
                    && self.call_python(code, base, pc, ins, m, d + 1..d + 2 + ins.n as usize)?
                {
                    return Ok(Next::Switch);
                }
                let r = if this == Value::Empty {
                    // LOAD_METHOD found a plain attribute: call it alone.
                    self.call_operands(m, code, base, d + 2, ins.n as usize)?
                } else {
                    self.call_operands(m, code, base, d + 1, ins.n as usize + 1)?
                };
                self.finish(code, base, ins, r);
            }
            Op::LoadMethod => {
                let obj = self.get(code, base, ins.b);
                let name = code.names[ins.d as usize];
                let (m, this) = self.load_method_at(code, pc, obj, name)?;
                self.consume(code, base, ins);
                self.put(base, ins.a, m);
                self.put(base, ins.c, this);
            }
            Op::MakeFunction => {
                let f = self.make_function(code, base, pc, ins)?;
                self.finish(code, base, ins, f);
            }
            Op::LoadClosure => {
                let c = self.cell(code, pc, ins.d)?;
                self.heap.incref(c);
                self.finish(code, base, ins, c);
            }
            Op::LoadDeref => {
                let c = self.cell(code, pc, ins.d)?;
                let v = match self.heap.obj(c) {
                    Some(Obj::Cell(v)) => *v,
                    _ => Value::Empty,
                };
                if v == Value::Empty {
                    return Err(self.unbound_cell(code, ins.d));
                }
                self.heap.incref(v);
                self.finish(code, base, ins, v);
            }
            Op::StoreDeref | Op::DeleteDeref => {
                let c = self.cell(code, pc, ins.d)?;
                let v = if ins.op == Op::StoreDeref {
                    self.get(code, base, ins.b)
                } else {
                    Value::Empty
                };
                let old = match self.heap.obj(c) {
                    Some(Obj::Cell(old)) => *old,
                    _ => Value::Empty,
                };
                if ins.op == Op::DeleteDeref && old == Value::Empty {
                    return Err(self.unbound_cell(code, ins.d));
                }
                self.heap.incref(v);
                self.consume(code, base, ins);
                if let Some(Obj::Cell(slot)) = c.obj().map(|r| self.heap.get_mut(r)) {
                    *slot = v;
                }
                self.heap.decref(old);
            }
            Op::BuildTuple | Op::BuildList => {
                let items = self.operands(code, base, ins.d as usize, ins.n as usize);
                for v in &items {
                    self.heap.incref(*v);
                }
                let obj = if ins.op == Op::BuildTuple {
                    Obj::Tuple(items.into())
                } else {
                    Obj::List(items)
                };
                let v = self.heap.alloc(obj);
                self.finish(code, base, ins, v);
            }
            Op::Subscr => {
                let (c, k) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let v = self.subscript(c, k)?;
                self.finish(code, base, ins, v);
            }
            Op::StoreSubscr => {
                let v = self.get(code, base, ins.b);
                let c = self.get(code, base, ins.c);
                let k = self.get(code, base, code.extra[ins.d as usize]);
                self.store_subscript(c, k, v)?;
                self.consume(code, base, ins);
            }
            Op::GetIter => {
                let v = self.get(code, base, ins.b);
                let it = self.iter(v)?;
                self.finish(code, base, ins, it);
            }
            Op::ForIter => {
                let it = self.get(code, base, ins.b);
                if self.for_iter_generator(it, pc, ins.a)? {
                    return Ok(Next::Switch);
                }
                match self.next(it)? {
                    Some(v) => self.put(base, ins.a, v),
                    None => {
                        let r = base + (ins.b & !CONST) as usize;
                        let old = std::mem::replace(&mut self.regs[r], Value::Empty);
                        self.heap.decref(old);
                        return Ok(Next::Go(ins.d as usize));
                    }
                }
            }
            Op::Unpack => {
                let v = self.get(code, base, ins.b);
                let items = self.unpack(v, ins.n as usize)?;
                self.consume(code, base, ins);
                for (k, x) in items.into_iter().rev().enumerate() {
                    let r = code.extra[ins.d as usize + k];
                    self.put(base, r, x);
                }
            }
            Op::Return => {
                let v = self.get(code, base, ins.b);
                self.heap.incref(v);
                self.return_value(v);
                return Ok(Next::Switch);
            }
            Op::Yield => {
                let v = self.get(code, base, ins.b);
                self.heap.incref(v);
                self.consume(code, base, ins);
                self.yield_value(pc, v);
                return Ok(Next::Switch);
            }
            Op::YieldFrom => return self.yield_from(code, base, pc, ins),
            Op::Raise => {
                if ins.n == 0 {
                    return Err(self.reraise_handled());
                }
                let v = self.get(code, base, ins.b);
                let e = self.exception_of(v)?;
                self.set_context(e);
                return Err(Fault::Raise(e));
            }
            Op::ExcMatchBranch => {
                let (e, c) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let m = self.exc_matches(e, c)?;
                self.consume(code, base, ins);
                if !m {
                    return Ok(Next::Go(ins.d as usize));
                }
            }
            Op::PopExcept => {
                let v = self.get(code, base, ins.c);
                self.heap.incref(v);
                let old = std::mem::replace(&mut self.handling, v);
                self.heap.decref(old);
                self.consume(code, base, ins);
            }
            Op::Reraise => {
                let v = self.get(code, base, ins.c);
                self.heap.incref(v);
                self.reraising = true;
                return Err(Fault::Raise(v));
            }
            Op::ListAppend | Op::ListExtend => {
                let (l, x) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let items = if ins.op == Op::ListAppend {
                    self.heap.incref(x);
                    vec![x]
                } else {
                    self.collect(x)?
                };
                match l.obj().map(|r| self.heap.get_mut(r)) {
                    Some(Obj::List(xs)) => xs.extend(items),
                    _ => return gap("LIST_APPEND to a non-list"),
                }
                self.consume(code, base, ins);
            }
            Op::Apply(op) => {
                let d = ins.d as usize;
                let n = ins.n as usize;
                let vals = self.operands(code, base, d, n);
                let outs = self.apply(code, pc, op, u32::from(ins.b), &vals)?;
                self.consume(code, base, ins);
                let mut outs = outs.into_iter();
                for k in 0..ins.c as usize {
                    let v = outs.next().unwrap_or(Value::None);
                    self.put(base, code.extra[d + n + k], v);
                }
                self.heap.decref_all(outs);
            }
            Op::UnsupportedConstant => {
                let what = match code.co.consts.get(ins.d as usize) {
                    Some(pyreg_spec::code::Constant::Bytes(_)) => "bytes",
                    Some(pyreg_spec::code::Constant::Complex(..)) => "complex",
                    Some(pyreg_spec::code::Constant::FrozenSet(_)) => "frozenset",
                    Some(pyreg_spec::code::Constant::Code(_)) => "code object",
                    _ => "this kind",
                };
                return Err(self.unsupported(code, pc, &format!("constant of type {what}")));
            }
            Op::Unsupported => {
                let name = pyreg_spec::opcode::Opcode::from_u8(ins.d as u8)
                    .map_or("instruction", |o| o.name());
                return Err(self.unsupported(code, pc, &format!("opcode {name}")));
            }
        }
        Ok(next)
    }

    /// A built-in by name, borrowed; a `NameError` when there is none.
    fn builtin(&mut self, name: &str) -> Res<Value> {
        match self.builtins.get(name) {
            Some(b) => Ok(*b),
            None if PYTHON_BUILTINS.contains(&name) => gap(format!("built-in `{name}`")),
            None => Err(self.error(ExcKind::NameError, format!("name '{name}' is not defined"))),
        }
    }

    /// `LOAD_NAME`, `STORE_NAME`, `DELETE_NAME` in a class body.
    fn class_body_name(
        &mut self,
        code: &Rc<VmCode>,
        base: usize,
        pc: usize,
        ins: &Ins,
    ) -> Res<Next> {
        let locals = self.frames.last().map_or(Value::Empty, |f| f.locals);
        let name = code.names[ins.d as usize];
        match ins.op {
            Op::LoadName => {
                let v = self.class_body_load(code, locals, name)?;
                self.finish(code, base, ins, v);
            }
            Op::StoreName => {
                let v = self.get(code, base, ins.b);
                self.dict_set(locals, name, v)?;
                self.consume(code, base, ins);
            }
            _ => {
                if !self.dict_del(locals, name)? {
                    let s = self.heap.as_str(name).unwrap_or("").to_string();
                    return Err(
                        self.error(ExcKind::NameError, format!("name '{s}' is not defined"))
                    );
                }
            }
        }
        Ok(Next::Go(pc + 1))
    }

    /// `LOAD_NAME` in a class body: the namespace `locals`, then the
    /// globals, then the built-ins. Owned.
    fn class_body_load(&mut self, code: &VmCode, locals: Value, name: Value) -> Res<Value> {
        let v = match self.dict_get(locals, name)? {
            Some(v) => v,
            None => {
                let s = self.heap.as_str(name).unwrap_or("").to_string();
                let slot = self.ns[code.globals as usize].slot(&s);
                let g = self.ns[code.globals as usize].slots[slot as usize];
                if g == Value::Empty {
                    self.builtin(&s)?
                } else {
                    g
                }
            }
        };
        Ok(self.heap.own(v))
    }

    /// Cell `i` of the running frame, borrowed.
    /// The value in the running frame's cell `i`, borrowed; `None` when
    /// the cell is empty (or absent) and the general path must report it.
    #[inline(always)]
    fn cell_contents(&self, i: u32) -> Option<Value> {
        let c = self.frames.last()?.cells.get(i as usize)?.obj()?;
        match self.heap.get(c) {
            Obj::Cell(v) if *v != Value::Empty => Some(*v),
            _ => None,
        }
    }

    /// Puts `v` (the reference is the caller's to take) in the running
    /// frame's cell `i`, returning what it held; `None` when there is no
    /// such cell.
    #[inline(always)]
    fn swap_cell(&mut self, i: u32, v: Value) -> Option<Value> {
        let c = self.frames.last()?.cells.get(i as usize)?.obj()?;
        match self.heap.get_mut(c) {
            Obj::Cell(slot) => Some(std::mem::replace(slot, v)),
            _ => None,
        }
    }

    fn cell(&self, code: &VmCode, pc: usize, i: u32) -> Res<Value> {
        self.frames
            .last()
            .and_then(|f| f.cells.get(i as usize).copied())
            .ok_or_else(|| self.unsupported(code, pc, "a cell index out of range"))
    }

    /// The error for reading or deleting an empty cell: CPython's wording
    /// differs for a cell variable and a free variable.
    fn unbound_cell(&mut self, code: &VmCode, i: u32) -> Fault {
        let ncell = code.co.cellvars.len();
        let i = i as usize;
        if i < ncell {
            let name = code.co.cellvars[i].to_string_lossy();
            self.error(
                ExcKind::UnboundLocalError,
                format!("local variable '{name}' referenced before assignment"),
            )
        } else {
            let name = code
                .co
                .freevars
                .get(i - ncell)
                .map_or_else(String::new, |n| n.to_string_lossy());
            self.error(
                ExcKind::NameError,
                format!("free variable '{name}' referenced before assignment in enclosing scope"),
            )
        }
    }

    fn unbound(&mut self, code: &VmCode, r: u16) -> Fault {
        let name = code
            .co
            .varnames
            .get(r as usize)
            .map_or_else(|| format!("r{r}"), |n| n.to_string_lossy());
        self.error(
            ExcKind::UnboundLocalError,
            format!("local variable '{name}' referenced before assignment"),
        )
    }
}
