//! The interpreter: one register stack holding every frame's window, a
//! `loop { match }` over the prepared instructions, Python-to-Python calls
//! that push a frame instead of recursing in Rust, and exceptions unwound
//! through the static exception table.

use crate::code::{prepare, Bin, Cmp, Ins, Op, VmCode, CONST, NOWHERE};
use crate::heap::{Builtin, ExcKind, Function, Heap, Method, Obj};
use crate::text::{repr, str_of, type_name};
use crate::value::Value;
use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};
use pyreg_spec::code::CodeObject;
use pyreg_spec::reg::{RegCode, StaticBlock};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// The names of CPython 3.9's `builtins` module: loading one the VM does
/// not have yet is reported as unsupported, not as a `NameError`.
const PYTHON_BUILTINS: &[&str] = &[
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
    "__import__",
    "__build_class__",
    "ArithmeticError",
    "AssertionError",
    "BufferError",
    "EOFError",
    "FloatingPointError",
    "GeneratorExit",
    "ImportError",
    "IndentationError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NotImplementedError",
    "OSError",
    "StopAsyncIteration",
    "SyntaxError",
    "SystemError",
    "SystemExit",
    "TabError",
    "UnicodeError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "Warning",
    "NotImplemented",
    "Ellipsis",
];

/// What [`Vm::fast`] returns when the frame stack changed.
const SWITCH: usize = usize::MAX;
/// What [`Vm::fast`] returns when the module returned.
const DONE: usize = usize::MAX - 1;

/// CPython's default recursion limit.
pub const RECURSION_LIMIT: usize = 1000;

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

struct Frame {
    code: Rc<VmCode>,
    /// The instruction running (or to run, once resumed).
    pc: usize,
    base: usize,
    /// The caller's register receiving the result.
    ret: u16,
    /// The cells of `co_cellvars` then `co_freevars` (one reference each).
    cells: Vec<Value>,
}

/// How a run ended.
#[derive(Debug)]
pub struct Finished {
    /// Exit status: 0, or 1 after an uncaught exception was printed.
    pub status: i32,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
    /// Heap objects still alive at the end (the module's globals, the
    /// constants and built-ins): what reference counting left.
    pub live_objects: usize,
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
    prepared: HashMap<usize, Rc<VmCode>>,
    translate: Translator,
    sources: HashMap<String, String>,
    stdout: Vec<u8>,
    /// The exception being handled (one reference), or `None`.
    handling: Value,
    /// Where the exception being raised has been, innermost first.
    traceback: Vec<(Rc<VmCode>, usize)>,
}

/// What an instruction asks the loop to do next.
enum Next {
    /// Continue at this instruction of the same frame.
    Go(usize),
    /// The frame stack changed.
    Switch,
    /// The module returned.
    Done,
}

impl Vm {
    /// A VM with the built-ins, taking register code from `translate`.
    pub fn new(translate: Translator, sources: HashMap<String, String>) -> Vm {
        let mut heap = Heap::default();
        let mut builtins = HashMap::new();
        for b in [
            Builtin::Print,
            Builtin::Range,
            Builtin::Len,
            Builtin::Abs,
            Builtin::Str,
            Builtin::Repr,
            Builtin::Min,
            Builtin::Max,
            Builtin::Sum,
            Builtin::Pow,
        ] {
            let v = heap.alloc(Obj::Builtin(b));
            heap.incref(v);
            builtins.insert(crate::text::builtin_name(b).to_string(), v);
        }
        for k in ExcKind::ALL {
            let v = heap.alloc(Obj::ExcType(k));
            heap.incref(v);
            builtins.insert(k.name().to_string(), v);
        }
        Vm {
            heap,
            regs: vec![Value::Empty; 1 << 16],
            top: 0,
            frames: Vec::new(),
            ns: Vec::new(),
            builtins,
            prepared: HashMap::new(),
            translate,
            sources,
            stdout: Vec::new(),
            handling: Value::None,
            traceback: Vec::new(),
        }
    }

    /// Runs `code` as the `__main__` module.
    pub fn run_main(mut self, code: &Arc<CodeObject>) -> Result<Finished, String> {
        self.ns.push(Namespace::default());
        let name = self.str_value("__main__");
        let slot = self.ns[0].slot("__name__");
        self.heap.incref(name);
        self.ns[0].slots[slot as usize] = name;
        let vc = self.prepared_code(code, 0).map_err(|e| match e {
            Fault::Unsupported(s) => s,
            Fault::Raise(_) => "the module cannot be prepared".into(),
        })?;
        self.open_window(0, vc.nregs);
        let cells = self.make_cells(&vc, 0, &[]);
        self.frames.push(Frame {
            code: vc,
            pc: 0,
            base: 0,
            ret: NOWHERE,
            cells,
        });
        match self.run_loop() {
            Ok(()) => Ok(Finished {
                status: 0,
                live_objects: self.heap.live(),
                stdout: self.stdout,
                stderr: Vec::new(),
            }),
            Err(Fault::Raise(e)) => {
                let stderr = self.traceback_text(e);
                Ok(Finished {
                    status: 1,
                    live_objects: self.heap.live(),
                    stdout: self.stdout,
                    stderr: stderr.into_bytes(),
                })
            }
            Err(Fault::Unsupported(s)) => Err(s),
        }
    }

    fn prepared_code(&mut self, code: &Arc<CodeObject>, globals: u32) -> Res<Rc<VmCode>> {
        let key = Arc::as_ptr(code) as usize;
        if let Some(c) = self.prepared.get(&key) {
            if c.globals == globals {
                return Ok(c.clone());
            }
        }
        let rc = (self.translate)(code).map_err(Fault::Unsupported)?;
        let vc = Rc::new(prepare(
            rc,
            &mut self.heap,
            &mut self.ns[globals as usize],
            globals,
        ));
        self.prepared.insert(key, vc.clone());
        Ok(vc)
    }

    fn str_value(&mut self, s: &str) -> Value {
        self.heap.alloc(Obj::Str(s.into()))
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
    fn make_cells(&mut self, code: &VmCode, base: usize, closure: &[Value]) -> Vec<Value> {
        let mut cells = Vec::with_capacity(code.cell_args.len() + closure.len());
        for arg in &code.cell_args {
            let init = match arg {
                Some(j) => std::mem::replace(&mut self.regs[base + j], Value::Empty),
                None => Value::Empty,
            };
            let c = self.heap.alloc(Obj::Cell(init));
            self.heap.incref(c);
            cells.push(c);
        }
        // The closure's references were taken by the caller.
        cells.extend_from_slice(closure);
        cells
    }

    /// Releases a popped frame's window and cells.
    fn drop_frame(&mut self, f: Frame) {
        self.close_window(f.base);
        for c in f.cells {
            self.heap.decref(c);
        }
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

    /// Stores `v` (whose reference the caller already took) in register
    /// `r`, dropping what it held.
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

    /// Completes an instruction with one result: takes its reference,
    /// consumes the inputs, stores it.
    #[inline]
    fn finish(&mut self, code: &VmCode, base: usize, ins: &Ins, v: Value) {
        self.heap.incref(v);
        self.consume(code, base, ins);
        self.put(base, ins.a, v);
    }

    // ---- errors ----

    fn error(&mut self, kind: ExcKind, msg: String) -> Fault {
        let m = self.str_value(&msg);
        self.heap.incref(m);
        let e = self.heap.alloc(Obj::Exc(kind, vec![m].into()));
        self.heap.incref(e);
        Fault::Raise(e)
    }

    fn unsupported(&self, code: &VmCode, pc: usize, what: &str) -> Fault {
        let origin = code.rc.instrs.get(pc).map_or(0, |i| i.origin);
        Fault::Unsupported(format!(
            "vm: unsupported {what} in {} at register instruction {pc} (stack instruction {origin})",
            code.co.name.to_string_lossy()
        ))
    }

    // ---- the loop ----

    fn run_loop(&mut self) -> Res<()> {
        loop {
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
                    if n == SWITCH {
                        break;
                    }
                    if n == DONE {
                        return Ok(());
                    }
                    pc = n;
                    continue;
                }
                match self.step(&code, base, pc, &ins) {
                    Ok(Next::Go(n)) => pc = n,
                    Ok(Next::Switch) => break,
                    Ok(Next::Done) => return Ok(()),
                    Err(Fault::Raise(e)) => {
                        if let Some(f) = self.frames.last_mut() {
                            f.pc = pc;
                        }
                        self.unwind(e)?;
                        break;
                    }
                    Err(f) => return Err(f),
                }
            }
        }
    }

    /// The hot cases on small ints, kept in the dispatch loop (no call,
    /// no references to count): the next instruction's index, or `None`
    /// for [`Vm::step`] to do the general case.
    #[inline(always)]
    fn fast(&mut self, code: &VmCode, base: usize, pc: usize, ins: &Ins) -> Option<usize> {
        match ins.op {
            Op::Jump => Some(ins.d as usize),
            Op::Move => {
                let v = self.get(code, base, ins.b);
                if matches!(
                    v,
                    Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::None
                ) {
                    self.consume(code, base, ins);
                    self.put(base, ins.a, v);
                    return Some(pc + 1);
                }
                None
            }
            Op::CmpBranch(c, sense) => {
                let (Value::Int(x), Value::Int(y)) =
                    (self.get(code, base, ins.b), self.get(code, base, ins.c))
                else {
                    return None;
                };
                let t = int_cmp(c, x, y)?;
                self.consume(code, base, ins);
                Some(if t == sense { ins.d as usize } else { pc + 1 })
            }
            Op::Branch(sense) => {
                let t = match self.get(code, base, ins.b) {
                    Value::Bool(b) => b,
                    Value::Int(i) => i != 0,
                    _ => return None,
                };
                self.consume(code, base, ins);
                Some(if t == sense { ins.d as usize } else { pc + 1 })
            }
            Op::Binary(op, _) => {
                let (Value::Int(x), Value::Int(y)) =
                    (self.get(code, base, ins.b), self.get(code, base, ins.c))
                else {
                    return None;
                };
                let r = match op {
                    Bin::Add => x.checked_add(y)?,
                    Bin::Sub => x.checked_sub(y)?,
                    Bin::Mul => x.checked_mul(y)?,
                    Bin::And => x & y,
                    Bin::Or => x | y,
                    Bin::Xor => x ^ y,
                    Bin::Rshift if (0..64).contains(&y) => x >> y,
                    Bin::Mod | Bin::FloorDiv if y > 0 => {
                        let (q, m) = (x.div_euclid(y), x.rem_euclid(y));
                        if op == Bin::Mod {
                            m
                        } else {
                            q
                        }
                    }
                    _ => return None,
                };
                self.consume(code, base, ins);
                self.put(base, ins.a, Value::Int(r));
                Some(pc + 1)
            }
            Op::Return => {
                let v = self.get(code, base, ins.b);
                self.heap.incref(v);
                Some(match self.return_value(v) {
                    Next::Done => DONE,
                    _ => SWITCH,
                })
            }
            Op::Call if self.frames.len() < RECURSION_LIMIT => {
                let f = self.get(code, base, code.extra[ins.d as usize]);
                match self.call_python(code, base, pc, ins, f) {
                    Ok(Some(_)) => Some(SWITCH),
                    _ => None,
                }
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
                if let Obj::RangeIter(n, z, st) = self.heap.get_mut(it) {
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
                // Small ints took the fast path in the dispatch loop.
                let (a, b) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let r = self.compare(c, a, b)?;
                let t = self.truthy(r)?;
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
                // Small ints that cannot overflow took the fast path.
                let (a, b) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let r = self.binary(op, inplace, a, b)?;
                self.finish(code, base, ins, r);
            }
            Op::Negative => {
                let v = self.get(code, base, ins.b);
                let r = match v {
                    Value::Int(i) => match i.checked_neg() {
                        Some(n) => Value::Int(n),
                        None => self.big(-BigInt::from(i)),
                    },
                    Value::Bool(b) => Value::Int(-i64::from(b)),
                    Value::Float(f) => Value::Float(-f),
                    _ => match self.as_big(v) {
                        Some(b) => self.big(-b),
                        None => {
                            let t = type_name(&self.heap, v);
                            return Err(self.error(
                                ExcKind::TypeError,
                                format!("bad operand type for unary -: '{t}'"),
                            ));
                        }
                    },
                };
                self.finish(code, base, ins, r);
            }
            Op::Not => {
                let t = self.truthy(self.get(code, base, ins.b))?;
                self.finish(code, base, ins, Value::Bool(!t));
            }
            Op::LoadGlobal => {
                let ns = &self.ns[code.globals as usize];
                let mut v = ns.slots[ins.d as usize];
                if v == Value::Empty {
                    let name = &ns.names[ins.d as usize];
                    v = match self.builtins.get(name) {
                        Some(b) => *b,
                        None if PYTHON_BUILTINS.contains(&name.as_str()) => {
                            return Err(self.unsupported(code, pc, &format!("built-in `{name}`")));
                        }
                        None => {
                            let msg = format!("name '{name}' is not defined");
                            return Err(self.error(ExcKind::NameError, msg));
                        }
                    };
                }
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
            Op::Call => {
                let d = ins.d as usize;
                let f = self.get(code, base, code.extra[d]);
                if let Some(next) = self.call_python(code, base, pc, ins, f)? {
                    return Ok(next);
                }
                let args: Vec<Value> = (0..ins.n as usize)
                    .map(|k| self.get(code, base, code.extra[d + 1 + k]))
                    .collect();
                return self.call(code, base, pc, ins, f, &args);
            }
            Op::CallMethod => {
                let d = ins.d as usize;
                let m = self.get(code, base, code.extra[d]);
                let this = self.get(code, base, code.extra[d + 1]);
                let args: Vec<Value> = (0..ins.n as usize)
                    .map(|k| self.get(code, base, code.extra[d + 2 + k]))
                    .collect();
                let (r, owned) = self.call_method(m, this, &args)?;
                self.finish(code, base, ins, r);
                if owned {
                    self.heap.decref(r);
                }
            }
            Op::LoadMethod => {
                let obj = self.get(code, base, ins.b);
                let name = code.co.names[ins.d as usize].to_string_lossy();
                let m = match (obj.obj().map(|r| self.heap.get(r)), name.as_str()) {
                    (Some(Obj::List(_)), "append") => Method::ListAppend,
                    (Some(Obj::List(_)), "pop") => Method::ListPop,
                    _ => {
                        let t = type_name(&self.heap, obj);
                        return Err(self.unsupported(
                            code,
                            pc,
                            &format!("method lookup `{t}.{name}`"),
                        ));
                    }
                };
                let mv = self.heap.alloc(Obj::Method(m));
                self.heap.incref(mv);
                self.heap.incref(obj);
                self.consume(code, base, ins);
                self.put(base, ins.a, mv);
                self.put(base, ins.c, obj);
            }
            Op::MakeFunction => {
                let k = (ins.b & !CONST) as usize;
                let Some(pyreg_spec::code::Constant::Code(co)) = code.co.consts.get(k) else {
                    return Err(self.unsupported(
                        code,
                        pc,
                        "MAKE_FUNCTION without a code constant",
                    ));
                };
                let co = co.clone();
                let vc = self.prepared_code(&co, code.globals)?;
                let name = str_of(&self.heap, self.get(code, base, ins.c));
                let tuple = |vm: &Vm, k: usize| -> Vec<Value> {
                    let t = vm.get(code, base, code.extra[ins.d as usize + k]);
                    match t.obj().map(|r| vm.heap.get(r)) {
                        Some(Obj::Tuple(xs)) => xs.to_vec(),
                        _ => Vec::new(),
                    }
                };
                let defaults = if ins.n & 1 != 0 {
                    tuple(self, 0)
                } else {
                    Vec::new()
                };
                let closure = if ins.n & 8 != 0 {
                    tuple(self, usize::from(ins.n & 1 != 0))
                } else {
                    Vec::new()
                };
                for v in defaults.iter().chain(&closure) {
                    self.heap.incref(*v);
                }
                let f = self.heap.alloc(Obj::Function(Function {
                    code: vc,
                    name: name.into(),
                    defaults: defaults.into(),
                    closure: closure.into(),
                }));
                self.finish(code, base, ins, f);
            }
            Op::LoadClosure => {
                let c = self.cell(code, pc, ins.d)?;
                self.finish(code, base, ins, c);
            }
            Op::LoadDeref => {
                let c = self.cell(code, pc, ins.d)?;
                let v = match c.obj().map(|r| self.heap.get(r)) {
                    Some(Obj::Cell(v)) => *v,
                    _ => Value::Empty,
                };
                if v == Value::Empty {
                    return Err(self.unbound_cell(code, ins.d));
                }
                self.finish(code, base, ins, v);
            }
            Op::StoreDeref | Op::DeleteDeref => {
                let c = self.cell(code, pc, ins.d)?;
                let v = if ins.op == Op::StoreDeref {
                    self.get(code, base, ins.b)
                } else {
                    Value::Empty
                };
                let old = match c.obj().map(|r| self.heap.get(r)) {
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
                let d = ins.d as usize;
                let items: Vec<Value> = (0..ins.n as usize)
                    .map(|k| self.get(code, base, code.extra[d + k]))
                    .collect();
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
                match self.next(it)? {
                    Some(v) => {
                        self.heap.incref(v);
                        self.put(base, ins.a, v);
                    }
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
                let items: Vec<Value> = match v {
                    Value::Obj(_) => self.items_of(code, pc, v)?,
                    _ => {
                        let t = type_name(&self.heap, v);
                        return Err(self.error(
                            ExcKind::TypeError,
                            format!("cannot unpack non-iterable {t} object"),
                        ));
                    }
                };
                let n = ins.n as usize;
                if items.len() != n {
                    let msg = if items.len() > n {
                        format!("too many values to unpack (expected {n})")
                    } else {
                        format!(
                            "not enough values to unpack (expected {n}, got {})",
                            items.len()
                        )
                    };
                    return Err(self.error(ExcKind::ValueError, msg));
                }
                for x in &items {
                    self.heap.incref(*x);
                }
                self.consume(code, base, ins);
                for (k, x) in items.iter().rev().enumerate() {
                    let r = code.extra[ins.d as usize + k];
                    self.put(base, r, *x);
                }
            }
            Op::Return => {
                let v = self.get(code, base, ins.b);
                self.heap.incref(v);
                return Ok(self.return_value(v));
            }
            Op::Raise => {
                if ins.n == 0 {
                    let h = self.handling;
                    if h == Value::None {
                        return Err(self.error(
                            ExcKind::RuntimeError,
                            "No active exception to reraise".into(),
                        ));
                    }
                    self.heap.incref(h);
                    return Err(Fault::Raise(h));
                }
                let v = self.get(code, base, ins.b);
                self.traceback.clear();
                return Err(self.raise_value(v));
            }
            Op::ExcMatchBranch => {
                let (e, c) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let m = self.exc_matches(e, c);
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
                return Err(Fault::Raise(v));
            }
            Op::ListAppend | Op::ListExtend => {
                let (l, x) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
                let items = if ins.op == Op::ListAppend {
                    vec![x]
                } else {
                    self.items_of(code, pc, x)?
                };
                for v in &items {
                    self.heap.incref(*v);
                }
                match l.obj().map(|r| self.heap.get_mut(r)) {
                    Some(Obj::List(xs)) => xs.extend(items),
                    _ => return Err(self.unsupported(code, pc, "LIST_APPEND to a non-list")),
                }
                self.consume(code, base, ins);
            }
            Op::UnsupportedConstant => {
                let what = match code.co.consts.get(ins.d as usize) {
                    Some(pyreg_spec::code::Constant::Bytes(_)) => "bytes",
                    Some(pyreg_spec::code::Constant::Complex(..)) => "complex",
                    Some(pyreg_spec::code::Constant::FrozenSet(_)) => "frozenset",
                    Some(pyreg_spec::code::Constant::Ellipsis) => "Ellipsis",
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

    /// The items of an iterable the VM can list without running code
    /// (lists, tuples, ranges, strings), no references taken; `None` for
    /// anything else.
    fn list_items(&mut self, x: Value) -> Option<Vec<Value>> {
        let mut out = Vec::new();
        match x.obj().map(|r| self.heap.get(r))? {
            Obj::List(xs) => out.extend_from_slice(xs),
            Obj::Tuple(xs) => out.extend_from_slice(xs),
            Obj::Range(a, z, st) => {
                let (a, z, st) = (*a, *z, *st);
                let mut n = a;
                while (st > 0 && n < z) || (st < 0 && n > z) {
                    out.push(Value::Int(n));
                    n += st;
                }
            }
            Obj::Str(s) => {
                let chars: Vec<String> = s.chars().map(String::from).collect();
                for c in chars {
                    out.push(self.str_value(&c));
                }
            }
            _ => return None,
        }
        Some(out)
    }

    /// [`Vm::list_items`] in an instruction: what it cannot list is a gap,
    /// named with the instruction.
    fn items_of(&mut self, code: &VmCode, pc: usize, x: Value) -> Res<Vec<Value>> {
        match self.list_items(x) {
            Some(items) => Ok(items),
            None => {
                let t = type_name(&self.heap, x);
                Err(self.unsupported(code, pc, &format!("iterating over '{t}' here")))
            }
        }
    }

    /// Cell `i` of the running frame.
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

    // ---- calls ----

    fn call(
        &mut self,
        code: &Rc<VmCode>,
        base: usize,
        pc: usize,
        ins: &Ins,
        f: Value,
        args: &[Value],
    ) -> Res<Next> {
        let Some(fr) = f.obj() else {
            return Err(self.not_callable(f));
        };
        match self.heap.get(fr) {
            Obj::Function(func) => {
                // `call_python` takes every call whose arguments fit; what
                // reaches here has the wrong number of them.
                let co = func.code.co.clone();
                let nargs = func.code.nargs;
                let ndefaults = func.defaults.len();
                let given = args.len();
                let name = co.name.to_string_lossy();
                let msg = if given > nargs {
                    let takes = if ndefaults > 0 {
                        format!("from {} to {nargs} positional arguments", nargs - ndefaults)
                    } else {
                        format!(
                            "{nargs} positional argument{}",
                            if nargs == 1 { "" } else { "s" }
                        )
                    };
                    format!(
                        "{name}() takes {takes} but {given} {} given",
                        if given == 1 { "was" } else { "were" }
                    )
                } else {
                    let missing: Vec<String> = co.varnames[given..nargs - ndefaults]
                        .iter()
                        .map(|n| format!("'{}'", n.to_string_lossy()))
                        .collect();
                    let list = match missing.len() {
                        1 => missing[0].clone(),
                        2 => format!("{} and {}", missing[0], missing[1]),
                        n => format!("{}, and {}", missing[..n - 1].join(", "), missing[n - 1]),
                    };
                    format!(
                        "{name}() missing {} required positional argument{}: {list}",
                        missing.len(),
                        if missing.len() == 1 { "" } else { "s" }
                    )
                };
                Err(self.error(ExcKind::TypeError, msg))
            }
            Obj::Builtin(b) => {
                let b = *b;
                let (r, owned) = if b == Builtin::Sum {
                    self.sum(args)?
                } else {
                    (self.call_builtin(b, args)?, false)
                };
                self.finish(code, base, ins, r);
                if owned {
                    self.heap.decref(r);
                }
                Ok(Next::Go(pc + 1))
            }
            Obj::ExcType(k) => {
                let k = *k;
                for v in args {
                    self.heap.incref(*v);
                }
                let e = self.heap.alloc(Obj::Exc(k, args.to_vec().into()));
                self.finish(code, base, ins, e);
                Ok(Next::Go(pc + 1))
            }
            _ => Err(self.not_callable(f)),
        }
    }

    /// The fast path of `CALL_FUNCTION` for a Python function with the
    /// right number of positional arguments: the arguments go straight
    /// from the caller's registers into the callee's window. `None` when
    /// `f` is anything else (the general path handles it).
    #[inline(always)]
    fn call_python(
        &mut self,
        code: &VmCode,
        base: usize,
        pc: usize,
        ins: &Ins,
        f: Value,
    ) -> Res<Option<Next>> {
        let Some(fr) = f.obj() else { return Ok(None) };
        let Obj::Function(func) = self.heap.get(fr) else {
            return Ok(None);
        };
        let given = ins.n as usize;
        let ndefaults = func.defaults.len();
        let callee = func.code.clone();
        let nargs = callee.nargs;
        if given > nargs || given + ndefaults < nargs {
            return Ok(None);
        }
        if self.frames.len() >= RECURSION_LIMIT {
            return Err(self.error(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded".into(),
            ));
        }
        // Taken before the call's inputs are consumed: that may drop the
        // last reference to the function itself.
        let closure = match self.heap.get(fr) {
            Obj::Function(func) if !func.closure.is_empty() => func.closure.to_vec(),
            _ => Vec::new(),
        };
        for c in &closure {
            self.heap.incref(*c);
        }
        let new_base = self.top;
        self.open_window(new_base, callee.nregs);
        let d = ins.d as usize + 1;
        for k in 0..given {
            let v = self.get(code, base, code.extra[d + k]);
            self.heap.incref(v);
            self.regs[new_base + k] = v;
        }
        for k in given..nargs {
            let v = match self.heap.get(fr) {
                Obj::Function(func) => func.defaults[k + ndefaults - nargs],
                _ => Value::None,
            };
            self.heap.incref(v);
            self.regs[new_base + k] = v;
        }
        self.consume(code, base, ins);
        // The caller stays at the call: an exception unwinding into it
        // finds the call's handlers and line; a return resumes after it.
        if let Some(f) = self.frames.last_mut() {
            f.pc = pc;
        }
        let cells = if callee.co.cellvars.is_empty() && callee.co.freevars.is_empty() {
            Vec::new()
        } else {
            self.make_cells(&callee, new_base, &closure)
        };
        self.frames.push(Frame {
            code: callee,
            pc: 0,
            base: new_base,
            ret: ins.a,
            cells,
        });
        Ok(Some(Next::Switch))
    }

    fn not_callable(&mut self, f: Value) -> Fault {
        let t = type_name(&self.heap, f);
        self.error(ExcKind::TypeError, format!("'{t}' object is not callable"))
    }

    /// Pops the frame, delivering `v` (one reference) to the caller.
    fn return_value(&mut self, v: Value) -> Next {
        let Some(f) = self.frames.pop() else {
            self.heap.decref(v);
            return Next::Done;
        };
        let ret = f.ret;
        self.drop_frame(f);
        match self.frames.last_mut() {
            Some(caller) => {
                caller.pc += 1;
                let cb = caller.base;
                self.put(cb, ret, v);
                Next::Switch
            }
            None => {
                self.heap.decref(v);
                Next::Done
            }
        }
    }

    /// `sum(iterable[, start])`. Its intermediate sums are held with
    /// references (freeing one must not free the next operand), so the
    /// result comes back owned, as from [`Vm::call_method`].
    fn sum(&mut self, args: &[Value]) -> Res<(Value, bool)> {
        if args.is_empty() || args.len() > 2 {
            return Err(Fault::Unsupported("vm: unsupported sum() arguments".into()));
        }
        let items = match args[0].obj() {
            Some(_) => match self.list_items(args[0]) {
                Some(items) => items,
                None => {
                    let t = type_name(&self.heap, args[0]);
                    return Err(Fault::Unsupported(format!(
                        "vm: unsupported iteration over '{t}'"
                    )));
                }
            },
            None => {
                let t = type_name(&self.heap, args[0]);
                return Err(self.error(ExcKind::TypeError, format!("'{t}' object is not iterable")));
            }
        };
        let mut acc = args.get(1).copied().unwrap_or(Value::Int(0));
        // Intermediate sums are held here: take references so that
        // freeing one does not free the next operand.
        self.heap.incref(acc);
        for x in items {
            let next = self.binary(Bin::Add, false, acc, x)?;
            self.heap.incref(next);
            self.heap.decref(acc);
            acc = next;
        }
        Ok((acc, true))
    }

    fn call_builtin(&mut self, b: Builtin, args: &[Value]) -> Res<Value> {
        let arity = |n: usize, name: &str, vm: &mut Vm| -> Res<()> {
            if args.len() != n {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("{name}() takes exactly one argument ({} given)", args.len()),
                ));
            }
            Ok(())
        };
        match b {
            Builtin::Print => {
                let parts: Vec<String> = args.iter().map(|a| str_of(&self.heap, *a)).collect();
                self.stdout.extend_from_slice(parts.join(" ").as_bytes());
                self.stdout.push(b'\n');
                Ok(Value::None)
            }
            Builtin::Range => {
                let ints: Option<Vec<i64>> = args
                    .iter()
                    .map(|a| match a {
                        Value::Int(i) => Some(*i),
                        Value::Bool(b) => Some(i64::from(*b)),
                        _ => None,
                    })
                    .collect();
                let Some(ints) = ints else {
                    return Err(Fault::Unsupported(
                        "vm: unsupported range() arguments (only small ints)".into(),
                    ));
                };
                let (a, z, s) = match ints[..] {
                    [z] => (0, z, 1),
                    [a, z] => (a, z, 1),
                    [a, z, s] => (a, z, s),
                    _ => {
                        return Err(self.error(
                            ExcKind::TypeError,
                            format!("range expected at most 3 arguments, got {}", ints.len()),
                        ))
                    }
                };
                if s == 0 {
                    return Err(
                        self.error(ExcKind::ValueError, "range() arg 3 must not be zero".into())
                    );
                }
                Ok(self.heap.alloc(Obj::Range(a, z, s)))
            }
            Builtin::Len => {
                arity(1, "len", self)?;
                let v = args[0];
                let n = match v.obj().map(|r| self.heap.get(r)) {
                    Some(Obj::Str(s)) => s.chars().count(),
                    Some(Obj::List(xs)) => xs.len(),
                    Some(Obj::Tuple(xs)) => xs.len(),
                    Some(Obj::Range(a, z, st)) => {
                        let (a, z, st) = (*a as i128, *z as i128, *st as i128);
                        let n = if st > 0 {
                            (z - a + st - 1) / st
                        } else {
                            (a - z - st - 1) / -st
                        };
                        n.max(0) as usize
                    }
                    Some(_) => {
                        let t = type_name(&self.heap, v);
                        return Err(Fault::Unsupported(format!(
                            "vm: unsupported len() of '{t}'"
                        )));
                    }
                    None => {
                        let t = type_name(&self.heap, v);
                        return Err(self.error(
                            ExcKind::TypeError,
                            format!("object of type '{t}' has no len()"),
                        ));
                    }
                };
                Ok(Value::Int(n as i64))
            }
            Builtin::Abs => {
                arity(1, "abs", self)?;
                Ok(match args[0] {
                    Value::Int(i) => match i.checked_abs() {
                        Some(a) => Value::Int(a),
                        None => self.big(BigInt::from(i).magnitude().clone().into()),
                    },
                    Value::Float(f) => Value::Float(f.abs()),
                    Value::Bool(b) => Value::Int(i64::from(b)),
                    v => {
                        let t = type_name(&self.heap, v);
                        return Err(self.error(
                            ExcKind::TypeError,
                            format!("bad operand type for abs(): '{t}'"),
                        ));
                    }
                })
            }
            Builtin::Str | Builtin::Repr => {
                if args.is_empty() && b == Builtin::Str {
                    return Ok(self.str_value(""));
                }
                arity(1, crate::text::builtin_name(b), self)?;
                let s = if b == Builtin::Str {
                    str_of(&self.heap, args[0])
                } else {
                    repr(&self.heap, args[0])
                };
                Ok(self.str_value(&s))
            }
            Builtin::Sum => Err(Fault::Unsupported("vm: sum() outside its call path".into())),
            Builtin::Pow => {
                let big = |vm: &Vm, k: usize| args.get(k).and_then(|v| vm.as_big(*v));
                match args.len() {
                    2 => self.binary(Bin::Pow, false, args[0], args[1]),
                    3 => {
                        let (Some(b), Some(e), Some(m)) =
                            (big(self, 0), big(self, 1), big(self, 2))
                        else {
                            return Err(Fault::Unsupported(
                                "vm: unsupported pow() with a modulus and non-ints".into(),
                            ));
                        };
                        if m.is_zero() {
                            return Err(self.error(
                                ExcKind::ValueError,
                                "pow() 3rd argument cannot be 0".into(),
                            ));
                        }
                        if e < BigInt::zero() {
                            return Err(Fault::Unsupported(
                                "vm: unsupported pow() with a negative exponent and a modulus"
                                    .into(),
                            ));
                        }
                        // num-bigint rounds like Python: the result has the
                        // modulus's sign.
                        let r = b.modpow(&e, &m);
                        Ok(self.big(r))
                    }
                    n => Err(self.error(
                        ExcKind::TypeError,
                        format!("pow expected at most 3 arguments, got {n}"),
                    )),
                }
            }
            Builtin::Min | Builtin::Max => {
                let items: Vec<Value> = if args.len() == 1 {
                    match args[0].obj().map(|r| self.heap.get(r)) {
                        Some(Obj::List(xs)) => xs.clone(),
                        Some(Obj::Tuple(xs)) => xs.to_vec(),
                        _ => {
                            return Err(Fault::Unsupported(
                                "vm: unsupported min/max argument".into(),
                            ))
                        }
                    }
                } else {
                    args.to_vec()
                };
                let Some(mut best) = items.first().copied() else {
                    let name = crate::text::builtin_name(b);
                    return Err(self.error(
                        ExcKind::ValueError,
                        format!("{name}() arg is an empty sequence"),
                    ));
                };
                for x in &items[1..] {
                    let c = if b == Builtin::Min { Cmp::Lt } else { Cmp::Gt };
                    let better = self.compare(c, *x, best)?;
                    if better == Value::Bool(true) {
                        best = *x;
                    }
                }
                Ok(best)
            }
        }
    }

    /// Calls a built-in method; the result, and whether it comes with a
    /// reference the caller must drop once it has stored it.
    fn call_method(&mut self, m: Value, this: Value, args: &[Value]) -> Res<(Value, bool)> {
        let Some(Obj::Method(m)) = m.obj().map(|r| self.heap.get(r)) else {
            return Err(self.not_callable(m));
        };
        let m = *m;
        let Some(r) = this.obj() else {
            return Err(Fault::Unsupported("vm: a method without its object".into()));
        };
        match m {
            Method::ListAppend => {
                if args.len() != 1 {
                    return Err(self.error(
                        ExcKind::TypeError,
                        format!(
                            "list.append() takes exactly one argument ({} given)",
                            args.len()
                        ),
                    ));
                }
                self.heap.incref(args[0]);
                if let Obj::List(xs) = self.heap.get_mut(r) {
                    xs.push(args[0]);
                }
                Ok((Value::None, false))
            }
            Method::ListPop => {
                let popped = match self.heap.get_mut(r) {
                    Obj::List(xs) if args.is_empty() => xs.pop(),
                    _ => return Err(Fault::Unsupported("vm: list.pop with an index".into())),
                };
                match popped {
                    // The list's reference comes along.
                    Some(v) => Ok((v, true)),
                    None => Err(self.error(ExcKind::IndexError, "pop from empty list".into())),
                }
            }
        }
    }

    // ---- exceptions ----

    /// The exception `v` raises (an instance, or a class called with no
    /// arguments), one reference taken.
    fn raise_value(&mut self, v: Value) -> Fault {
        match v.obj().map(|r| self.heap.get(r)) {
            Some(Obj::Exc(..)) => {
                self.heap.incref(v);
                Fault::Raise(v)
            }
            Some(Obj::ExcType(k)) => {
                let e = self.heap.alloc(Obj::Exc(*k, Vec::new().into()));
                self.heap.incref(e);
                Fault::Raise(e)
            }
            _ => self.error(
                ExcKind::TypeError,
                "exceptions must derive from BaseException".into(),
            ),
        }
    }

    fn exc_matches(&self, e: Value, c: Value) -> bool {
        let kind = match e.obj().map(|r| self.heap.get(r)) {
            Some(Obj::Exc(k, _)) | Some(Obj::ExcType(k)) => *k,
            _ => return false,
        };
        match c.obj().map(|r| self.heap.get(r)) {
            Some(Obj::ExcType(k)) => kind.is_subclass(*k),
            Some(Obj::Tuple(xs)) => xs.iter().any(|x| self.exc_matches(e, *x)),
            _ => false,
        }
    }

    /// Unwinds to the handler of the innermost frame that has one; `Err`
    /// when none does.
    fn unwind(&mut self, e: Value) -> Res<()> {
        loop {
            let Some(f) = self.frames.last() else {
                return Err(Fault::Raise(e));
            };
            let code = f.code.clone();
            let (pc, base) = (f.pc, f.base);
            self.traceback.push((code.clone(), pc));
            let mut handler = None;
            let mut restored = None;
            for b in code.rc.blocks(pc).iter().rev() {
                match *b {
                    StaticBlock::ExceptHandler { base: b } => {
                        restored = Some(self.regs[base + b as usize + 1]);
                    }
                    StaticBlock::Finally {
                        handler: h,
                        base: b,
                    } => {
                        handler = Some((h as usize, b as usize));
                        break;
                    }
                }
            }
            if let Some(r) = restored {
                self.heap.incref(r);
                let old = std::mem::replace(&mut self.handling, r);
                self.heap.decref(old);
            }
            if let Some((h, hb)) = handler {
                let end = base + code.nregs;
                for r in base + hb..end {
                    let old = std::mem::replace(&mut self.regs[r], Value::Empty);
                    self.heap.decref(old);
                }
                let prev = self.handling;
                let prev_type = self.type_of_exc(prev);
                let new_type = self.type_of_exc(e);
                let six = [Value::None, prev, prev_type, Value::None, e, new_type];
                for (k, v) in six.iter().enumerate() {
                    if base + hb + k < end {
                        self.heap.incref(*v);
                        self.regs[base + hb + k] = *v;
                    }
                }
                let old = std::mem::replace(&mut self.handling, e);
                // `e`'s reference moves to `handling`; the old one drops.
                self.heap.decref(old);
                if let Some(f) = self.frames.last_mut() {
                    f.pc = h;
                }
                return Ok(());
            }
            let Some(f) = self.frames.pop() else {
                return Err(Fault::Raise(e));
            };
            self.drop_frame(f);
        }
    }

    fn type_of_exc(&mut self, e: Value) -> Value {
        match e.obj().map(|r| self.heap.get(r)) {
            Some(Obj::Exc(k, _)) => {
                let k = *k;
                self.builtins.get(k.name()).copied().unwrap_or(Value::None)
            }
            _ => Value::None,
        }
    }

    fn traceback_text(&mut self, e: Value) -> String {
        let mut s = String::from("Traceback (most recent call last):\n");
        for (code, pc) in self.traceback.iter().rev() {
            let origin = code.rc.instrs.get(*pc).map_or(0, |i| i.origin as usize);
            let offset = pyreg_spec::decode::decode(&code.co.code)
                .ok()
                .and_then(|d| d.get(origin).map(|i| i.offset))
                .unwrap_or(0);
            let line = code.co.line_of(offset);
            let file = code.co.filename.to_string_lossy();
            s.push_str(&format!(
                "  File \"{file}\", line {line}, in {}\n",
                code.co.name.to_string_lossy()
            ));
            if let Some(src) = self.sources.get(&file) {
                if let Some(l) = src.lines().nth((line - 1).max(0) as usize) {
                    s.push_str(&format!("    {}\n", l.trim()));
                }
            }
        }
        let name = match e.obj().map(|r| self.heap.get(r)) {
            Some(Obj::Exc(k, _)) => k.name(),
            _ => "Exception",
        };
        let msg = str_of(&self.heap, e);
        if msg.is_empty() {
            s.push_str(&format!("{name}\n"));
        } else {
            s.push_str(&format!("{name}: {msg}\n"));
        }
        s
    }

    // ---- values ----

    fn big(&mut self, b: BigInt) -> Value {
        match b.to_i64() {
            Some(i) => Value::Int(i),
            None => self.heap.alloc(Obj::Big(b)),
        }
    }

    fn as_big(&self, v: Value) -> Option<BigInt> {
        match v {
            Value::Int(i) => Some(BigInt::from(i)),
            Value::Bool(b) => Some(BigInt::from(i64::from(b))),
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Big(b) => Some(b.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    fn as_f64(&self, v: Value) -> Option<f64> {
        match v {
            Value::Float(f) => Some(f),
            Value::Int(i) => Some(i as f64),
            Value::Bool(b) => Some(f64::from(u8::from(b))),
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Big(b) => b.to_f64(),
                _ => None,
            },
            _ => None,
        }
    }

    fn truthy(&self, v: Value) -> Res<bool> {
        Ok(match v {
            Value::Empty | Value::None => false,
            Value::Bool(b) => b,
            Value::Int(i) => i != 0,
            Value::Float(f) => f != 0.0,
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Str(s) => !s.is_empty(),
                Obj::List(xs) => !xs.is_empty(),
                Obj::Tuple(xs) => !xs.is_empty(),
                Obj::Big(b) => !b.is_zero(),
                Obj::Range(a, z, s) => (*s > 0 && a < z) || (*s < 0 && a > z),
                _ => true,
            },
        })
    }

    fn binary(&mut self, op: Bin, inplace: bool, a: Value, b: Value) -> Res<Value> {
        if let (Value::Int(x), Value::Int(y)) = (a, b) {
            if let Some(v) = self.int_op(op, x, y)? {
                return Ok(v);
            }
        }
        let is_int = |v: Value, vm: &Vm| vm.as_big(v).is_some();
        if is_int(a, self) && is_int(b, self) {
            let (x, y) = (
                self.as_big(a).unwrap_or_default(),
                self.as_big(b).unwrap_or_default(),
            );
            return self.big_op(op, x, y);
        }
        let floaty = |v: Value| matches!(v, Value::Float(_));
        if (floaty(a) || floaty(b)) && self.as_f64(a).is_some() && self.as_f64(b).is_some() {
            let (x, y) = (self.as_f64(a).unwrap_or(0.0), self.as_f64(b).unwrap_or(0.0));
            return self.float_op(op, x, y);
        }
        let (ra, rb) = (
            a.obj().map(|r| self.heap.get(r)),
            b.obj().map(|r| self.heap.get(r)),
        );
        match (op, ra, rb) {
            (Bin::Add, Some(Obj::Str(x)), Some(Obj::Str(y))) => {
                let s = format!("{x}{y}");
                if too_big(s.len()) {
                    return Err(self.memory_error());
                }
                return Ok(self.str_value(&s));
            }
            (Bin::Add, Some(Obj::List(x)), Some(Obj::List(y))) => {
                let items: Vec<Value> = x.iter().chain(y.iter()).copied().collect();
                if too_big(items.len()) {
                    return Err(self.memory_error());
                }
                if inplace {
                    let r = a.obj().expect("a list");
                    let extra: Vec<Value> = y.clone();
                    for v in &extra {
                        self.heap.incref(*v);
                    }
                    if let Obj::List(xs) = self.heap.get_mut(r) {
                        xs.extend(extra);
                    }
                    return Ok(a);
                }
                for v in &items {
                    self.heap.incref(*v);
                }
                return Ok(self.heap.alloc(Obj::List(items)));
            }
            (Bin::Add, Some(Obj::Tuple(x)), Some(Obj::Tuple(y))) => {
                let items: Vec<Value> = x.iter().chain(y.iter()).copied().collect();
                if too_big(items.len()) {
                    return Err(self.memory_error());
                }
                for v in &items {
                    self.heap.incref(*v);
                }
                return Ok(self.heap.alloc(Obj::Tuple(items.into())));
            }
            (Bin::Mul, Some(Obj::Str(_) | Obj::List(_) | Obj::Tuple(_)), None)
            | (Bin::Mul, None, Some(Obj::Str(_) | Obj::List(_) | Obj::Tuple(_))) => {
                let (seq, n) = if a.obj().is_some() { (a, b) } else { (b, a) };
                if let Value::Int(n) = n {
                    return self.repeat(seq, n.max(0) as usize, inplace);
                }
            }
            (Bin::Mod, Some(Obj::Str(f)), _) => {
                let f = f.to_string();
                return self.percent_format(&f, b);
            }
            _ => {}
        }
        let (ta, tb) = (type_name(&self.heap, a), type_name(&self.heap, b));
        let sym = if inplace {
            format!("{}=", op.symbol())
        } else {
            op.symbol().to_string()
        };
        // A TypeError only where every operator of both types is known to
        // the VM (numbers, None); anything else is a gap, said as such.
        let known = |t: &str| matches!(t, "int" | "float" | "bool" | "NoneType");
        if !(known(ta) && known(tb)) {
            return Err(Fault::Unsupported(format!(
                "vm: unsupported operand types for {sym}: '{ta}' and '{tb}'"
            )));
        }
        Err(self.error(
            ExcKind::TypeError,
            format!("unsupported operand type(s) for {sym}: '{ta}' and '{tb}'"),
        ))
    }

    /// `seq * n` (in place for a list with `inplace`).
    fn repeat(&mut self, seq: Value, n: usize, inplace: bool) -> Res<Value> {
        let Some(r) = seq.obj() else {
            return Err(Fault::Unsupported(
                "vm: repetition of a non-sequence".into(),
            ));
        };
        let items: Vec<Value> = match self.heap.get(r) {
            Obj::Str(s) => {
                if too_big(s.len().saturating_mul(n)) {
                    return Err(self.memory_error());
                }
                let s = s.repeat(n);
                return Ok(self.str_value(&s));
            }
            Obj::List(xs) => xs.clone(),
            Obj::Tuple(xs) => xs.to_vec(),
            _ => return Err(Fault::Unsupported("vm: repetition of this type".into())),
        };
        let total = items.len().saturating_mul(n);
        if too_big(total) {
            return Err(self.memory_error());
        }
        let mut out = Vec::with_capacity(total);
        for _ in 0..n {
            out.extend_from_slice(&items);
        }
        for v in &out {
            self.heap.incref(*v);
        }
        match self.heap.get_mut(r) {
            Obj::List(xs) if inplace => {
                let old = std::mem::replace(xs, out);
                for v in old {
                    self.heap.decref(v);
                }
                Ok(seq)
            }
            Obj::List(_) => Ok(self.heap.alloc(Obj::List(out))),
            _ => Ok(self.heap.alloc(Obj::Tuple(out.into()))),
        }
    }

    /// A `MemoryError`, raised past [`too_big`].
    fn memory_error(&mut self) -> Fault {
        let e = self
            .heap
            .alloc(Obj::Exc(ExcKind::MemoryError, Vec::new().into()));
        self.heap.incref(e);
        Fault::Raise(e)
    }

    fn int_op(&mut self, op: Bin, x: i64, y: i64) -> Res<Option<Value>> {
        let v = match op {
            Bin::Add => x.checked_add(y).map(Value::Int),
            Bin::Sub => x.checked_sub(y).map(Value::Int),
            Bin::Mul => x.checked_mul(y).map(Value::Int),
            Bin::And => Some(Value::Int(x & y)),
            Bin::Or => Some(Value::Int(x | y)),
            Bin::Xor => Some(Value::Int(x ^ y)),
            Bin::FloorDiv | Bin::Mod => {
                if y == 0 {
                    return Err(self.error(
                        ExcKind::ZeroDivisionError,
                        "integer division or modulo by zero".into(),
                    ));
                }
                if x == i64::MIN && y == -1 {
                    None
                } else {
                    let (q, r) = (x.div_euclid(y), x.rem_euclid(y));
                    // Python floors: the remainder has the divisor's sign.
                    let (q, r) = if r != 0 && y < 0 {
                        (q - 1, r + y)
                    } else {
                        (q, r)
                    };
                    Some(Value::Int(if op == Bin::FloorDiv { q } else { r }))
                }
            }
            Bin::TrueDiv => {
                if y == 0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "division by zero".into()));
                }
                Some(Value::Float(x as f64 / y as f64))
            }
            Bin::Rshift => {
                if y < 0 {
                    return Err(self.error(ExcKind::ValueError, "negative shift count".into()));
                }
                Some(Value::Int(if y >= 64 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> y
                }))
            }
            Bin::Lshift => {
                if y < 0 {
                    return Err(self.error(ExcKind::ValueError, "negative shift count".into()));
                }
                if y < 63 && (x.unsigned_abs() >> (63 - y)) == 0 {
                    Some(Value::Int(x << y))
                } else {
                    None
                }
            }
            Bin::Pow => {
                if y < 0 {
                    return self.float_op(op, x as f64, y as f64).map(Some);
                }
                u32::try_from(y)
                    .ok()
                    .and_then(|e| x.checked_pow(e))
                    .map(Value::Int)
            }
        };
        Ok(v)
    }

    fn big_op(&mut self, op: Bin, x: BigInt, y: BigInt) -> Res<Value> {
        use num_integer::Integer;
        let zero = || "integer division or modulo by zero".to_string();
        let r = match op {
            Bin::Add => x + y,
            Bin::Sub => x - y,
            Bin::Mul => x * y,
            Bin::And => x & y,
            Bin::Or => x | y,
            Bin::Xor => x ^ y,
            Bin::FloorDiv | Bin::Mod => {
                if y.is_zero() {
                    return Err(self.error(ExcKind::ZeroDivisionError, zero()));
                }
                let (q, r) = x.div_mod_floor(&y);
                if op == Bin::FloorDiv {
                    q
                } else {
                    r
                }
            }
            Bin::TrueDiv => {
                if y.is_zero() {
                    return Err(self.error(ExcKind::ZeroDivisionError, "division by zero".into()));
                }
                let (a, b) = (
                    x.to_f64().unwrap_or(f64::NAN),
                    y.to_f64().unwrap_or(f64::NAN),
                );
                return Ok(Value::Float(a / b));
            }
            Bin::Lshift | Bin::Rshift => {
                let Some(n) = y.to_i64().filter(|n| *n >= 0) else {
                    return Err(self.error(ExcKind::ValueError, "negative shift count".into()));
                };
                if op == Bin::Lshift {
                    if n > 1 << 24 {
                        return Err(Fault::Unsupported("vm: shift count too large".into()));
                    }
                    x << n as usize
                } else {
                    x >> n.min(1 << 24) as usize
                }
            }
            Bin::Pow => {
                let Some(e) = y.to_u32() else {
                    return Err(Fault::Unsupported("vm: unsupported power exponent".into()));
                };
                num_traits::pow(x, e as usize)
            }
        };
        Ok(self.big(r))
    }

    fn float_op(&mut self, op: Bin, x: f64, y: f64) -> Res<Value> {
        let r = match op {
            Bin::Add => x + y,
            Bin::Sub => x - y,
            Bin::Mul => x * y,
            Bin::TrueDiv => {
                if y == 0.0 {
                    return Err(
                        self.error(ExcKind::ZeroDivisionError, "float division by zero".into())
                    );
                }
                x / y
            }
            Bin::FloorDiv => {
                if y == 0.0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "float divmod()".into()));
                }
                (x / y).floor()
            }
            Bin::Mod => {
                if y == 0.0 {
                    return Err(self.error(ExcKind::ZeroDivisionError, "float modulo".into()));
                }
                let m = x % y;
                if m != 0.0 && (m < 0.0) != (y < 0.0) {
                    m + y
                } else {
                    m
                }
            }
            Bin::Pow => x.powf(y),
            _ => {
                return Err(self.error(
                    ExcKind::TypeError,
                    format!(
                        "unsupported operand type(s) for {}: 'float' and 'float'",
                        op.symbol()
                    ),
                ))
            }
        };
        Ok(Value::Float(r))
    }

    /// `format % args` for `%d`, `%s`, `%r` and `%%`.
    fn percent_format(&mut self, f: &str, args: Value) -> Res<Value> {
        let items: Vec<Value> = match args.obj().map(|r| self.heap.get(r)) {
            Some(Obj::Tuple(xs)) => xs.to_vec(),
            _ => vec![args],
        };
        let mut out = String::new();
        let mut it = items.iter();
        let mut chars = f.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some(k @ ('d' | 's' | 'r')) => {
                    let Some(v) = it.next() else {
                        return Err(self.error(
                            ExcKind::TypeError,
                            "not enough arguments for format string".into(),
                        ));
                    };
                    match k {
                        'd' => match self.as_big(*v) {
                            Some(b) => out.push_str(&b.to_string()),
                            None => return Err(Fault::Unsupported("vm: %d of a non-int".into())),
                        },
                        's' => out.push_str(&str_of(&self.heap, *v)),
                        _ => out.push_str(&repr(&self.heap, *v)),
                    }
                }
                _ => return Err(Fault::Unsupported("vm: unsupported % format".into())),
            }
        }
        if it.next().is_some() {
            return Err(self.error(
                ExcKind::TypeError,
                "not all arguments converted during string formatting".into(),
            ));
        }
        Ok(self.str_value(&out))
    }

    fn compare(&mut self, c: Cmp, a: Value, b: Value) -> Res<Value> {
        use std::cmp::Ordering;
        let ord: Option<Ordering> = match (a, b) {
            (Value::Int(x), Value::Int(y)) => Some(x.cmp(&y)),
            _ => {
                if let (Some(x), Some(y)) = (self.as_big(a), self.as_big(b)) {
                    Some(x.cmp(&y))
                } else if let (Some(x), Some(y)) = (self.as_f64(a), self.as_f64(b)) {
                    x.partial_cmp(&y)
                } else {
                    match (
                        a.obj().map(|r| self.heap.get(r)),
                        b.obj().map(|r| self.heap.get(r)),
                    ) {
                        (Some(Obj::Str(x)), Some(Obj::Str(y))) => Some(x.cmp(y)),
                        (Some(Obj::Tuple(x)), Some(Obj::Tuple(y))) => {
                            let (x, y) = (x.to_vec(), y.to_vec());
                            self.sequence_order(&x, &y)?
                        }
                        (Some(Obj::List(x)), Some(Obj::List(y))) => {
                            let (x, y) = (x.clone(), y.clone());
                            self.sequence_order(&x, &y)?
                        }
                        _ => None,
                    }
                }
            }
        };
        let numeric_nan = ord.is_none() && self.as_f64(a).is_some() && self.as_f64(b).is_some();
        let r = match c {
            Cmp::Is | Cmp::IsNot => self.is(a, b)? == (c == Cmp::Is),
            Cmp::Eq | Cmp::Ne => {
                let eq = match ord {
                    Some(o) => o == Ordering::Equal,
                    None if numeric_nan => false,
                    None => self.equal(a, b),
                };
                eq == (c == Cmp::Eq)
            }
            Cmp::In | Cmp::NotIn => {
                let found = self.contains(b, a)?;
                found == (c == Cmp::In)
            }
            _ => match ord {
                Some(o) => match c {
                    Cmp::Lt => o == Ordering::Less,
                    Cmp::Le => o != Ordering::Greater,
                    Cmp::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
                None if numeric_nan => false,
                None => {
                    let sym = match c {
                        Cmp::Lt => "<",
                        Cmp::Le => "<=",
                        Cmp::Gt => ">",
                        _ => ">=",
                    };
                    let (ta, tb) = (type_name(&self.heap, a), type_name(&self.heap, b));
                    return Err(self.error(
                        ExcKind::TypeError,
                        format!("'{sym}' not supported between instances of '{ta}' and '{tb}'"),
                    ));
                }
            },
        };
        Ok(Value::Bool(r))
    }

    /// Lexicographic order of two sequences, as CPython compares them:
    /// the first unequal items decide, else the lengths.
    fn sequence_order(&mut self, x: &[Value], y: &[Value]) -> Res<Option<std::cmp::Ordering>> {
        for (p, q) in x.iter().zip(y) {
            if !self.equal(*p, *q) {
                let lt = self.compare(Cmp::Lt, *p, *q)?;
                return Ok(Some(if lt == Value::Bool(true) {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Greater
                }));
            }
        }
        Ok(Some(x.len().cmp(&y.len())))
    }

    /// `a is b`, by the specification's rule (`Value::is`): small ints,
    /// bools and `None` by value, strings by contents, big ints never,
    /// other objects by identity. Floats are unboxed here, so their
    /// identity is not modelled yet.
    fn is(&self, a: Value, b: Value) -> Res<bool> {
        Ok(match (a, b) {
            (Value::Float(_), _) | (_, Value::Float(_)) => {
                return Err(Fault::Unsupported(
                    "vm: unsupported `is` on floats (their identity is not modelled)".into(),
                ))
            }
            (Value::Obj(x), Value::Obj(y)) => match (self.heap.get(x), self.heap.get(y)) {
                (Obj::Str(p), Obj::Str(q)) => p == q,
                (Obj::Big(_), Obj::Big(_)) => false,
                _ => x == y,
            },
            _ => a == b,
        })
    }

    fn equal(&self, a: Value, b: Value) -> bool {
        if a == b {
            return true;
        }
        match (
            a.obj().map(|r| self.heap.get(r)),
            b.obj().map(|r| self.heap.get(r)),
        ) {
            (Some(Obj::Str(x)), Some(Obj::Str(y))) => x == y,
            (Some(Obj::Big(x)), Some(Obj::Big(y))) => x == y,
            (Some(Obj::Tuple(x)), Some(Obj::Tuple(y))) => {
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| self.equal(*p, *q))
            }
            (Some(Obj::List(x)), Some(Obj::List(y))) => {
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| self.equal(*p, *q))
            }
            _ => match (self.as_f64(a), self.as_f64(b)) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
        }
    }

    fn contains(&mut self, container: Value, item: Value) -> Res<bool> {
        match container.obj().map(|r| self.heap.get(r)) {
            Some(Obj::List(xs)) => Ok(xs.iter().any(|x| self.equal(*x, item))),
            Some(Obj::Tuple(xs)) => Ok(xs.iter().any(|x| self.equal(*x, item))),
            Some(Obj::Str(s)) => match item.obj().map(|r| self.heap.get(r)) {
                Some(Obj::Str(t)) => Ok(s.contains(&**t)),
                _ => {
                    let t = type_name(&self.heap, item);
                    Err(self.error(
                        ExcKind::TypeError,
                        format!("'in <string>' requires string as left operand, not {t}"),
                    ))
                }
            },
            Some(Obj::Range(a, z, s)) => {
                let (a, z, s) = (*a, *z, *s);
                Ok(match item {
                    Value::Int(i) => {
                        let inside = if s > 0 {
                            a <= i && i < z
                        } else {
                            z < i && i <= a
                        };
                        inside && (i - a) % s == 0
                    }
                    _ => false,
                })
            }
            _ => {
                let t = type_name(&self.heap, container);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("argument of type '{t}' is not iterable"),
                ))
            }
        }
    }

    fn index(&mut self, k: Value, len: usize, what: &str) -> Res<usize> {
        let i = match k {
            Value::Int(i) => i,
            Value::Bool(b) => i64::from(b),
            _ => {
                let t = type_name(&self.heap, k);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("{what} indices must be integers or slices, not {t}"),
                ));
            }
        };
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            return Err(self.error(ExcKind::IndexError, format!("{what} index out of range")));
        }
        Ok(j as usize)
    }

    fn subscript(&mut self, c: Value, k: Value) -> Res<Value> {
        let Some(r) = c.obj() else {
            let t = type_name(&self.heap, c);
            return Err(self.error(
                ExcKind::TypeError,
                format!("'{t}' object is not subscriptable"),
            ));
        };
        let len = match self.heap.get(r) {
            Obj::List(xs) => xs.len(),
            Obj::Tuple(xs) => xs.len(),
            Obj::Str(s) => s.chars().count(),
            _ => {
                let t = type_name(&self.heap, c);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("'{t}' object is not subscriptable"),
                ));
            }
        };
        let what = type_name(&self.heap, c);
        let what = if what == "str" { "string" } else { what };
        let i = self.index(k, len, what)?;
        Ok(match self.heap.get(r) {
            Obj::List(xs) => xs[i],
            Obj::Tuple(xs) => xs[i],
            Obj::Str(s) => {
                let ch = s.chars().nth(i).map(String::from).unwrap_or_default();
                self.str_value(&ch)
            }
            _ => Value::None,
        })
    }

    fn store_subscript(&mut self, c: Value, k: Value, v: Value) -> Res<()> {
        let len = match c.obj().map(|r| self.heap.get(r)) {
            Some(Obj::List(xs)) => xs.len(),
            _ => {
                let t = type_name(&self.heap, c);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("'{t}' object does not support item assignment"),
                ));
            }
        };
        let i = self.index(k, len, "list assignment")?;
        self.heap.incref(v);
        let old = match c.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::List(xs)) => std::mem::replace(&mut xs[i], v),
            _ => Value::Empty,
        };
        self.heap.decref(old);
        Ok(())
    }

    fn iter(&mut self, v: Value) -> Res<Value> {
        let obj = v.obj().map(|r| self.heap.get(r));
        match obj {
            Some(Obj::Range(a, z, s)) => {
                let (a, z, s) = (*a, *z, *s);
                Ok(self.heap.alloc(Obj::RangeIter(a, z, s)))
            }
            Some(Obj::List(_)) | Some(Obj::Tuple(_)) | Some(Obj::Str(_)) => {
                self.heap.incref(v);
                Ok(self.heap.alloc(Obj::SeqIter(v, 0)))
            }
            Some(Obj::RangeIter(..)) | Some(Obj::SeqIter(..)) => Ok(v),
            _ => {
                let t = type_name(&self.heap, v);
                Err(self.error(ExcKind::TypeError, format!("'{t}' object is not iterable")))
            }
        }
    }

    /// The iterator's next item (no reference taken), `None` at the end.
    fn next(&mut self, it: Value) -> Res<Option<Value>> {
        let Some(r) = it.obj() else {
            return Err(Fault::Unsupported(
                "vm: FOR_ITER over a non-iterator".into(),
            ));
        };
        let (seq, i) = match self.heap.get_mut(r) {
            Obj::RangeIter(n, z, s) => {
                let (n0, z0, s0) = (*n, *z, *s);
                if (s0 > 0 && n0 < z0) || (s0 < 0 && n0 > z0) {
                    *n = n0.wrapping_add(s0);
                    return Ok(Some(Value::Int(n0)));
                }
                return Ok(None);
            }
            Obj::SeqIter(seq, i) => {
                *i += 1;
                (*seq, *i - 1)
            }
            _ => return Err(Fault::Unsupported("vm: FOR_ITER over this iterator".into())),
        };
        let Some(sr) = seq.obj() else { return Ok(None) };
        Ok(match self.heap.get(sr) {
            Obj::List(xs) => xs.get(i).copied(),
            Obj::Tuple(xs) => xs.get(i).copied(),
            Obj::Str(s) => s.chars().nth(i).map(|ch| self.str_value(&ch.to_string())),
            _ => None,
        })
    }
}

/// A comparison of two small ints; `None` for `in` (ints are not
/// containers: the general path raises). `is` compares small ints by value,
/// as the specification does (`Value::is`).
#[inline]
fn int_cmp(c: Cmp, x: i64, y: i64) -> Option<bool> {
    Some(match c {
        Cmp::Lt => x < y,
        Cmp::Le => x <= y,
        Cmp::Eq | Cmp::Is => x == y,
        Cmp::Ne | Cmp::IsNot => x != y,
        Cmp::Gt => x > y,
        Cmp::Ge => x >= y,
        Cmp::In | Cmp::NotIn => return None,
    })
}

/// Whether a sequence of `n` items passes the specification's bound on one
/// sequence (`MAX_COLLECTION`, a resource limit the engines share: past it
/// they raise `MemoryError`).
fn too_big(n: usize) -> bool {
    n > pyreg_spec::interp::ops::MAX_COLLECTION
}
