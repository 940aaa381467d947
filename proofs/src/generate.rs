//! A generator of always-valid stack code objects, in the manner of
//! wasm-smith: random bytes in, a code object the stack verifier accepts
//! out, without rejection sampling.
//!
//! The generator keeps the abstract state the verifier proves — the
//! operand stack (with the kinds of values, where they matter for choosing
//! an interesting operation), the open control constructs (each with the
//! stack depth it started at, its *floor*) and the block stack they imply —
//! and emits one *row* at a time. Each row has a precondition over that
//! state (enough values above the innermost floor, a kind on top, a
//! construct of the right sort open) and an emitter. A closing pass pops
//! what is left above each floor (printing it, so the values are observed)
//! and closes the constructs, so every stack depth agrees at every join.
//!
//! The rows cover arithmetic on ints, floats and strings, containers,
//! comparisons, shuffles, locals, globals, cells; `if`/`else`, bounded
//! `for` and `while` loops with `break` and `continue`; `try`/`except`
//! (matching a class or not), `try`/`finally`, `raise`; calls of built-ins,
//! methods and generated nested functions, closures sharing the cells of
//! the code around them, and generator functions. Loops are bounded by
//! construction (`range(k)` with `k <= 4`, counters the body cannot touch),
//! so values cannot grow without bound; fuel still bounds everything.
//!
//! [`Config`] is itself `Arbitrary` (swarm testing: random limits, random
//! subsets of the row groups), and [`single_instruction`] tests one opcode
//! alone on arbitrary operands. `with` statements are not generated yet
//! (they need a generated class with `__enter__` and `__exit__`).

use arbitrary::{Arbitrary, Result, Unstructured};
use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use pyreg_spec::opcode::{ArgKind, Opcode};
use std::sync::Arc;

/// The row groups a configuration can switch on and off.
pub mod group {
    /// Arithmetic and unary operators.
    pub const ARITH: u16 = 1 << 0;
    /// String operations and methods.
    pub const STRINGS: u16 = 1 << 1;
    /// Lists, tuples, dicts, subscripts.
    pub const CONTAINERS: u16 = 1 << 2;
    /// Comparisons, `is`, `in`.
    pub const COMPARE: u16 = 1 << 3;
    /// `if`/`else`, `or`/`and` expressions.
    pub const BRANCHES: u16 = 1 << 4;
    /// `for` and `while` loops, `break`, `continue`.
    pub const LOOPS: u16 = 1 << 5;
    /// `try`/`except`, `try`/`finally`, `raise`.
    pub const EXCEPTIONS: u16 = 1 << 6;
    /// Calls of built-ins and nested functions.
    pub const CALLS: u16 = 1 << 7;
    /// Closures over cells.
    pub const CLOSURES: u16 = 1 << 8;
    /// Generator functions.
    pub const GENERATORS: u16 = 1 << 9;
    /// `DUP_TOP`, `ROT_*`, `POP_TOP`.
    pub const SHUFFLES: u16 = 1 << 10;
    /// Locals, globals and cells.
    pub const VARIABLES: u16 = 1 << 11;
}

/// A generator configuration (swarm testing).
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct Config {
    /// Rows per code object (taken modulo 96, plus 4).
    pub rows: u8,
    /// Deepest nesting of constructs (modulo 5).
    pub nesting: u8,
    /// Nested functions in all (modulo 5).
    pub functions: u8,
    /// Enabled row groups ([`group`]); 0 enables all.
    pub groups: u16,
}

impl Config {
    fn rows(&self) -> usize {
        4 + usize::from(self.rows % 96)
    }

    fn nesting(&self) -> usize {
        usize::from(self.nesting % 5)
    }

    fn has(&self, g: u16) -> bool {
        self.groups == 0 || self.groups & g != 0
    }
}

/// Generates one module code object from `u` (its configuration first).
pub fn generate(u: &mut Unstructured) -> Result<Arc<CodeObject>> {
    let cfg = Config::arbitrary(u)?;
    generate_with(u, &cfg)
}

/// Generates one module code object with `cfg`.
pub fn generate_with(u: &mut Unstructured, cfg: &Config) -> Result<Arc<CodeObject>> {
    let mut functions = usize::from(cfg.functions % 5);
    let shape = Shape {
        name: "<module>",
        args: 0,
        cells: 2,
        freevars: Vec::new(),
        generator: false,
        function: false,
    };
    Body::new(u, *cfg, shape, &mut functions).run()
}

/// The rows: each is an instruction or a small group of them, with a
/// precondition over the abstract state ([`Draft::rows`] lists those whose
/// precondition holds) and an emitter that draws its details (operands,
/// which operator, how many values) from bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    /// `LOAD_CONST` of a random constant.
    Constant,
    /// Closes the innermost construct (or does nothing when none is open).
    Close,
    /// `LOAD_FAST` of a user local.
    LoadLocal,
    /// `STORE_FAST` into a user local.
    StoreLocal,
    /// A binary or in-place operator on the top two values.
    Binary,
    /// A unary operator.
    Unary,
    /// `COMPARE_OP`, `IS_OP` or `CONTAINS_OP`.
    Compare,
    /// `BUILD_LIST`/`BUILD_TUPLE` of the top one to three values.
    Build,
    /// `BINARY_SUBSCR`, or `BUILD_MAP 1`, of the top two.
    SubscrOrMap,
    /// `DUP_TOP`, `POP_TOP` or printing the top value.
    DupOrPop,
    /// `ROT_TWO`/`THREE`/`FOUR` or `DUP_TOP_TWO`.
    Shuffle,
    /// A string method call on a string on top.
    StrMethod,
    /// A built-in called on the top value.
    CallBuiltin,
    /// Opens `if` on the top value.
    OpenIf,
    /// `x or k` / `x and k` as a value.
    OrAnd,
    /// Opens a bounded `for` loop.
    OpenFor,
    /// Opens a `while` loop counting down a hidden local.
    OpenWhile,
    /// `if x: break` or `if x: continue` in the innermost loop.
    BreakOrContinue,
    /// Opens `try` (with `except` or `finally`).
    OpenTry,
    /// `if not x: raise E(k)`, or a bare `raise` in a handler.
    RaiseIf,
    /// Makes and calls a nested function (maybe a closure).
    CallNested,
    /// Makes a generator function and consumes it with `list`.
    CallGenerator,
    /// `YIELD_VALUE` (in generator functions only).
    Yield,
    /// `LOAD_DEREF`.
    LoadDeref,
    /// `STORE_DEREF`.
    StoreDeref,
    /// `UNPACK_SEQUENCE 2`, or `sorted`/`list` of an iterable.
    Unpack,
    /// `STORE_GLOBAL g0` or `LOAD_GLOBAL g0`.
    Global,
}

/// The abstract state of a module code object under construction, row by
/// row: the operand stack (with value kinds), the open constructs with
/// their floors (and so the block stack), the kinds last stored in the
/// locals, the nested functions left to make, and the instructions so
/// far. It is the generator's own state, so the rows' preconditions and
/// emitters are those [`generate`] uses; a state machine test
/// (`proofs/tests/state_machine.rs`) drives it one row at a time.
#[derive(Clone, Debug)]
pub struct Draft {
    cfg: Config,
    shape: Shape,
    functions: usize,
    asm: Asm,
    stack: Vec<Kind>,
    max_depth: usize,
    ctl: Vec<Ctl>,
    consts: Vec<Constant>,
    locals: Vec<Kind>,
    counters_used: usize,
}

impl Draft {
    /// An empty module body under `cfg` (two cells, the user locals, the
    /// global `g0`); with `bind`, the locals, cells and `g0` are bound
    /// first, as most generated modules do.
    pub fn module(cfg: Config, bind: bool, bytes: &[u8]) -> Draft {
        let shape = Shape {
            name: "<module>",
            args: 0,
            cells: 2,
            freevars: Vec::new(),
            generator: false,
            function: false,
        };
        let mut d = Draft {
            cfg,
            shape,
            functions: usize::from(cfg.functions % 5),
            asm: Asm::default(),
            stack: Vec::new(),
            max_depth: 0,
            ctl: Vec::new(),
            consts: vec![Constant::None],
            locals: vec![Kind::Any; USER_LOCALS],
            counters_used: 0,
        };
        if bind {
            d = d.with_body(bytes, |b| b.bind_all()).unwrap_or(d);
        }
        d
    }

    /// Runs `f` on a generator resumed from this state with `bytes`; the
    /// state after it, or `None` if `f` failed.
    fn with_body(&self, bytes: &[u8], f: impl FnOnce(&mut Body) -> Result<()>) -> Option<Draft> {
        let mut u = Unstructured::new(bytes);
        let mut functions = self.functions;
        let d = self.clone();
        let mut body = Body {
            u: &mut u,
            cfg: d.cfg,
            shape: d.shape,
            functions: &mut functions,
            asm: d.asm,
            stack: d.stack,
            max_depth: d.max_depth,
            ctl: d.ctl,
            consts: d.consts,
            locals: d.locals,
            counters_used: d.counters_used,
            rows_left: 0,
        };
        if f(&mut body).is_err() {
            return None;
        }
        let Body {
            cfg,
            shape,
            asm,
            stack,
            max_depth,
            ctl,
            consts,
            locals,
            counters_used,
            ..
        } = body;
        Some(Draft {
            cfg,
            shape,
            functions,
            asm,
            stack,
            max_depth,
            ctl,
            consts,
            locals,
            counters_used,
        })
    }

    /// The rows whose precondition holds here.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let _ = self.with_body(&[], |b| {
            rows = b.available_rows();
            Ok(())
        });
        rows
    }

    /// The state after emitting `row` with its details drawn from
    /// `bytes`. A row whose precondition does not hold leaves the state
    /// as it is.
    pub fn apply(&self, row: Row, bytes: &[u8]) -> Draft {
        if !self.rows().contains(&row) {
            return self.clone();
        }
        self.with_body(bytes, |b| b.emit(row))
            .unwrap_or_else(|| self.clone())
    }

    /// The module this prefix makes once closed: every open construct
    /// closed, what is left on the stack printed, `return None`.
    pub fn close(&self) -> Arc<CodeObject> {
        let mut u = Unstructured::new(&[]);
        let mut functions = 0;
        let d = self.clone();
        let mut body = Body {
            u: &mut u,
            cfg: d.cfg,
            shape: d.shape,
            functions: &mut functions,
            asm: d.asm,
            stack: d.stack,
            max_depth: d.max_depth,
            ctl: d.ctl,
            consts: d.consts,
            locals: d.locals,
            counters_used: d.counters_used,
            rows_left: 0,
        };
        // With no bytes left every choice takes its first option; closing
        // draws nothing else, so it cannot fail.
        let _ = body.close_all();
        body.finish()
    }

    /// Instructions emitted so far (before `EXTENDED_ARG` prefixes): the
    /// index, in the closed module, of the first closing instruction.
    pub fn len(&self) -> usize {
        self.asm.items.len()
    }

    /// Whether nothing was emitted yet.
    pub fn is_empty(&self) -> bool {
        self.asm.items.is_empty()
    }

    /// The operand stack depth the verifier must find where the prefix
    /// ends.
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// The block stack implied by the open constructs, as the verifier
    /// records it: each `try` body a finally block at its floor, each
    /// handler body an except-handler block three below its floor.
    pub fn blocks(&self) -> Vec<pyreg_spec::verify::Block> {
        // Handler offsets are not modelled here; the caller compares
        // kinds and levels only (`handler` set to 0).
        self.ctl
            .iter()
            .filter_map(|c| match *c {
                Ctl::Try { floor, .. } => Some(pyreg_spec::verify::Block::Finally {
                    handler: 0,
                    level: floor as u32,
                }),
                Ctl::Handler { floor, .. } => Some(pyreg_spec::verify::Block::ExceptHandler {
                    level: floor as u32 - 3,
                }),
                _ => None,
            })
            .collect()
    }

    /// Open constructs.
    pub fn nesting(&self) -> usize {
        self.ctl.len()
    }
}

/// The kinds of value the generator tracks (only to pick operations that
/// usually succeed; any kind is valid code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Str,
    Bool,
    List,
    Tuple,
    Dict,
    Iter,
    Any,
}

impl Kind {
    fn numeric(self) -> bool {
        matches!(self, Kind::Int | Kind::Float | Kind::Bool)
    }

    fn iterable(self) -> bool {
        matches!(
            self,
            Kind::Str | Kind::List | Kind::Tuple | Kind::Dict | Kind::Iter
        )
    }
}

type Label = usize;

/// An instruction whose argument may be a label.
#[derive(Clone, Copy, Debug)]
enum Arg {
    Imm(u32),
    To(Label),
}

/// Instructions with symbolic jump targets, assembled at the end.
#[derive(Clone, Debug, Default)]
struct Asm {
    items: Vec<(Opcode, Arg)>,
    /// Label → index of the item it precedes.
    labels: Vec<Option<usize>>,
}

impl Asm {
    fn label(&mut self) -> Label {
        self.labels.push(None);
        self.labels.len() - 1
    }

    fn place(&mut self, l: Label) {
        self.labels[l] = Some(self.items.len());
    }

    /// Wordcode with `EXTENDED_ARG` prefixes where arguments need them:
    /// sizes and offsets are recomputed until they agree.
    fn assemble(&self) -> Vec<u8> {
        let n = self.items.len();
        let mut units = vec![1usize; n];
        loop {
            let mut start = Vec::with_capacity(n + 1);
            let mut at = 0usize;
            for u in &units {
                start.push(at);
                at += 2 * u;
            }
            start.push(at);
            let target = |l: Label| start[self.labels[l].unwrap_or(n)] as u32;
            let args: Vec<u32> = self
                .items
                .iter()
                .enumerate()
                .map(|(i, (op, arg))| match *arg {
                    Arg::Imm(a) => a,
                    Arg::To(l) => match op.info().arg {
                        ArgKind::JumpRelative => target(l).saturating_sub(start[i + 1] as u32),
                        _ => target(l),
                    },
                })
                .collect();
            let needed: Vec<usize> = args
                .iter()
                .map(|a| match *a {
                    0..=0xFF => 1,
                    0x100..=0xFFFF => 2,
                    0x1_0000..=0xFF_FFFF => 3,
                    _ => 4,
                })
                .collect();
            if needed == units {
                let mut code = Vec::with_capacity(at);
                for ((op, _), (a, u)) in self.items.iter().zip(args.iter().zip(&units)) {
                    for k in (1..*u).rev() {
                        code.push(Opcode::ExtendedArg as u8);
                        code.push((a >> (8 * k)) as u8);
                    }
                    code.push(*op as u8);
                    code.push(*a as u8);
                }
                return code;
            }
            // Sizes only grow, so this ends.
            for (u, n) in units.iter_mut().zip(needed) {
                *u = (*u).max(n);
            }
        }
    }
}

/// An open control construct.
#[derive(Clone, Debug)]
enum Ctl {
    /// `if`: the body; `else_` is where the false branch goes.
    If {
        else_: Label,
        end: Label,
        floor: usize,
        has_else: bool,
        in_else: bool,
    },
    /// `for x in it`: the iterator sits just below `floor`.
    For {
        head: Label,
        end: Label,
        floor: usize,
    },
    /// `while counter > 0`: counts down a hidden local.
    While {
        head: Label,
        end: Label,
        floor: usize,
    },
    /// The body of `try` (a `SETUP_FINALLY` block at `floor`).
    Try {
        handler: Label,
        end: Label,
        floor: usize,
        finally: bool,
    },
    /// An except handler's body; the saved exception sits below `floor`.
    Handler {
        end: Label,
        floor: usize,
        reraise: Option<Label>,
    },
}

impl Ctl {
    fn floor(&self) -> usize {
        match self {
            Ctl::If { floor, .. }
            | Ctl::For { floor, .. }
            | Ctl::While { floor, .. }
            | Ctl::Try { floor, .. }
            | Ctl::Handler { floor, .. } => *floor,
        }
    }

    fn is_loop(&self) -> bool {
        matches!(self, Ctl::For { .. } | Ctl::While { .. })
    }
}

/// The fixed features of the code object being generated.
#[derive(Clone, Debug)]
struct Shape {
    name: &'static str,
    args: u32,
    /// Cell variables it owns.
    cells: usize,
    /// Free variables (cells of the code around it).
    freevars: Vec<PyStr>,
    generator: bool,
    function: bool,
}

/// Built-in names the rows call or load.
const BUILTINS: [&str; 12] = [
    "print",
    "len",
    "str",
    "abs",
    "list",
    "range",
    "ValueError",
    "KeyError",
    "Exception",
    "repr",
    "sorted",
    "g0",
];

/// String methods the rows call (`co_names` after [`BUILTINS`]).
const METHODS: [&str; 4] = ["upper", "strip", "split", "title"];

const USER_LOCALS: usize = 3;
const COUNTERS: usize = 5;

/// The generator of one code object.
struct Body<'a, 'b, 'f> {
    u: &'a mut Unstructured<'b>,
    cfg: Config,
    shape: Shape,
    functions: &'f mut usize,
    asm: Asm,
    stack: Vec<Kind>,
    max_depth: usize,
    ctl: Vec<Ctl>,
    consts: Vec<Constant>,
    /// Kind last stored in each user local (a hint).
    locals: Vec<Kind>,
    /// Hidden loop counters in use.
    counters_used: usize,
    rows_left: usize,
}

impl<'a, 'b, 'f> Body<'a, 'b, 'f> {
    fn new(
        u: &'a mut Unstructured<'b>,
        cfg: Config,
        shape: Shape,
        functions: &'f mut usize,
    ) -> Self {
        let rows_left = if shape.function {
            cfg.rows() / 3 + 2
        } else {
            cfg.rows()
        };
        Body {
            u,
            cfg,
            shape,
            functions,
            asm: Asm::default(),
            stack: Vec::new(),
            max_depth: 0,
            ctl: Vec::new(),
            consts: vec![Constant::None],
            locals: vec![Kind::Any; USER_LOCALS],
            counters_used: 0,
            rows_left,
        }
    }

    // ---- emission helpers ----

    fn op(&mut self, op: Opcode, arg: u32) {
        self.asm.items.push((op, Arg::Imm(arg)));
    }

    fn jump(&mut self, op: Opcode, l: Label) {
        self.asm.items.push((op, Arg::To(l)));
    }

    fn push(&mut self, k: Kind) {
        self.stack.push(k);
        self.max_depth = self.max_depth.max(self.stack.len());
    }

    fn pop(&mut self) -> Kind {
        self.stack.pop().unwrap_or(Kind::Any)
    }

    fn pop_n(&mut self, n: usize) {
        for _ in 0..n {
            self.pop();
        }
    }

    fn top(&self) -> Kind {
        self.stack.last().copied().unwrap_or(Kind::Any)
    }

    fn floor(&self) -> usize {
        self.ctl.last().map_or(0, Ctl::floor)
    }

    /// Values above the innermost floor.
    fn avail(&self) -> usize {
        self.stack.len() - self.floor()
    }

    fn konst(&mut self, c: Constant) -> u32 {
        let i = self
            .consts
            .iter()
            .position(|x| same_constant(x, &c))
            .unwrap_or_else(|| {
                self.consts.push(c);
                self.consts.len() - 1
            });
        i as u32
    }

    fn load_const(&mut self, c: Constant, k: Kind) {
        let i = self.konst(c);
        self.op(Opcode::LoadConst, i);
        self.push(k);
    }

    fn name(&self, n: &str) -> u32 {
        BUILTINS.iter().position(|b| *b == n).unwrap_or(0) as u32
    }

    fn load_global(&mut self, n: &str) {
        let i = self.name(n);
        self.op(Opcode::LoadGlobal, i);
        self.push(Kind::Any);
    }

    /// Calls built-in `f` on the top `n` values (`n <= 3`).
    fn call_builtin(&mut self, f: &str, n: usize, result: Kind) {
        self.load_global(f);
        match n {
            1 => self.op(Opcode::RotTwo, 0),
            2 => self.op(Opcode::RotThree, 0),
            3 => self.op(Opcode::RotFour, 0),
            _ => {}
        }
        self.op(Opcode::CallFunction, n as u32);
        self.pop_n(n + 1);
        self.push(result);
    }

    /// Prints the top value and pops it.
    fn print_top(&mut self) {
        self.call_builtin("print", 1, Kind::Any);
        self.op(Opcode::PopTop, 0);
        self.pop();
    }

    /// Pops everything above `floor`, printing some of it.
    fn balance_to(&mut self, floor: usize) -> Result<()> {
        while self.stack.len() > floor {
            if self.u.ratio(1, 2)? {
                self.print_top();
            } else {
                self.op(Opcode::PopTop, 0);
                self.pop();
            }
        }
        Ok(())
    }

    fn random_constant(&mut self) -> Result<(Constant, Kind)> {
        Ok(match self.u.int_in_range(0..=9)? {
            0 => (
                Constant::Int(i64::from(self.u.int_in_range(-3i8..=9)?).into()),
                Kind::Int,
            ),
            1 => (
                Constant::Int(num_bigint::BigInt::from(1u8) << 70),
                Kind::Int,
            ),
            2 => (
                Constant::Float(f64::from(self.u.int_in_range(-4i8..=4)?) / 2.0),
                Kind::Float,
            ),
            3 => (
                Constant::Str(PyStr::from(*self.u.choose(&["", "ab", "x y", "é"])?)),
                Kind::Str,
            ),
            4 => (Constant::Bool(self.u.arbitrary()?), Kind::Bool),
            5 => (Constant::None, Kind::Any),
            6 => (
                Constant::Tuple(Arc::from(vec![
                    Constant::Int(1.into()),
                    Constant::Str(PyStr::from("t")),
                ])),
                Kind::Tuple,
            ),
            7 => (Constant::Float(f64::NAN), Kind::Float),
            _ => (
                Constant::Int(i64::from(self.u.int_in_range(0u8..=4)?).into()),
                Kind::Int,
            ),
        })
    }

    // ---- the rows ----

    /// Runs rows until the budget or the input is spent, then closes.
    fn run(mut self) -> Result<Arc<CodeObject>> {
        // Usually bind the locals, cells and the global first, so that
        // runs get past their first loads (unbound ones still occur).
        if self.u.ratio(7, 8)? {
            self.bind_all()?;
        }
        while self.rows_left > 0 && !self.u.is_empty() {
            self.rows_left -= 1;
            self.row()?;
        }
        self.close_all()?;
        Ok(self.finish())
    }

    /// Binds the locals, the cells and (in a module) the global `g0`.
    fn bind_all(&mut self) -> Result<()> {
        {
            for i in (self.shape.args as usize)..USER_LOCALS {
                let (k, kind) = self.random_constant()?;
                self.load_const(k, kind);
                self.op(Opcode::StoreFast, i as u32);
                self.locals[i] = self.pop();
            }
            for i in 0..self.shape.cells {
                let (k, kind) = self.random_constant()?;
                self.load_const(k, kind);
                self.op(Opcode::StoreDeref, i as u32);
                self.pop();
            }
            if !self.shape.function {
                self.load_const(Constant::Int(0.into()), Kind::Int);
                self.op(Opcode::StoreGlobal, self.name("g0"));
                self.pop();
            }
        }
        Ok(())
    }

    /// Closes every open construct, pops what is left and returns `None`.
    fn close_all(&mut self) -> Result<()> {
        while !self.ctl.is_empty() {
            self.close()?;
        }
        self.balance_to(0)?;
        self.load_const(Constant::None, Kind::Any);
        self.op(Opcode::ReturnValue, 0);
        self.pop();
        Ok(())
    }

    /// The rows whose precondition holds, in a fixed order (the order
    /// decides which row a byte picks, so it stays as it is).
    fn available_rows(&self) -> Vec<Row> {
        let avail = self.avail();
        let top = self.top();
        let nest = self.ctl.len() < self.cfg.nesting();
        let in_loop_via_ifs = self.loop_through_ifs().is_some();
        let c = self.cfg;
        let mut rows = vec![Row::Constant, Row::Close];
        let mut add = |ok: bool, r: Row| {
            if ok {
                rows.push(r);
            }
        };
        add(c.has(group::VARIABLES), Row::LoadLocal);
        add(c.has(group::VARIABLES) && avail >= 1, Row::StoreLocal);
        add(c.has(group::ARITH) && avail >= 2, Row::Binary);
        add(c.has(group::ARITH) && avail >= 1, Row::Unary);
        add(c.has(group::COMPARE) && avail >= 2, Row::Compare);
        add(c.has(group::CONTAINERS) && avail >= 1, Row::Build);
        add(c.has(group::CONTAINERS) && avail >= 2, Row::SubscrOrMap);
        add(c.has(group::SHUFFLES) && avail >= 1, Row::DupOrPop);
        add(c.has(group::SHUFFLES) && avail >= 2, Row::Shuffle);
        add(
            c.has(group::STRINGS) && avail >= 1 && top == Kind::Str,
            Row::StrMethod,
        );
        add(c.has(group::CALLS) && avail >= 1, Row::CallBuiltin);
        add(c.has(group::BRANCHES) && avail >= 1 && nest, Row::OpenIf);
        add(c.has(group::BRANCHES) && avail >= 1, Row::OrAnd);
        add(c.has(group::LOOPS) && nest, Row::OpenFor);
        add(
            c.has(group::LOOPS) && nest && self.counters_used < COUNTERS,
            Row::OpenWhile,
        );
        add(
            c.has(group::LOOPS) && in_loop_via_ifs && avail >= 1,
            Row::BreakOrContinue,
        );
        add(c.has(group::EXCEPTIONS) && nest, Row::OpenTry);
        add(c.has(group::EXCEPTIONS) && avail >= 1, Row::RaiseIf);
        add(
            c.has(group::CALLS) && *self.functions > 0 && avail <= 3,
            Row::CallNested,
        );
        add(
            c.has(group::GENERATORS) && *self.functions > 0,
            Row::CallGenerator,
        );
        add(self.shape.generator && avail >= 1, Row::Yield);
        add(c.has(group::VARIABLES) && self.ncells() > 0, Row::LoadDeref);
        add(
            c.has(group::VARIABLES) && self.ncells() > 0 && avail >= 1,
            Row::StoreDeref,
        );
        add(
            c.has(group::CONTAINERS) && avail >= 1 && top.iterable(),
            Row::Unpack,
        );
        add(c.has(group::VARIABLES) && avail >= 1, Row::Global);
        rows
    }

    /// One row, chosen among those whose precondition holds.
    fn row(&mut self) -> Result<()> {
        let rows = self.available_rows();
        let r = *self.u.choose(&rows)?;
        self.emit(r)
    }

    /// Emits row `r` (its precondition must hold), its details drawn
    /// from the bytes.
    fn emit(&mut self, r: Row) -> Result<()> {
        let avail = self.avail();
        match r {
            Row::Constant => {
                let (k, kind) = self.random_constant()?;
                self.load_const(k, kind);
            }
            Row::Close => {
                if !self.ctl.is_empty() {
                    self.close()?;
                }
            }
            Row::LoadLocal => {
                let i = self.u.int_in_range(0..=USER_LOCALS - 1)?;
                self.op(Opcode::LoadFast, i as u32);
                let k = self.locals[i];
                self.push(k);
            }
            Row::StoreLocal => {
                let i = self.u.int_in_range(0..=USER_LOCALS - 1)?;
                self.op(Opcode::StoreFast, i as u32);
                self.locals[i] = self.pop();
            }
            Row::Binary => self.binary()?,
            Row::Unary => {
                let op = *self.u.choose(&[
                    Opcode::UnaryNegative,
                    Opcode::UnaryNot,
                    Opcode::UnaryInvert,
                    Opcode::UnaryPositive,
                ])?;
                self.op(op, 0);
                let k = self.pop();
                self.push(if op == Opcode::UnaryNot {
                    Kind::Bool
                } else {
                    k
                });
            }
            Row::Compare => {
                let (op, arg) = *self.u.choose(&[
                    (Opcode::CompareOp, 0),
                    (Opcode::CompareOp, 2),
                    (Opcode::CompareOp, 3),
                    (Opcode::CompareOp, 4),
                    (Opcode::IsOp, 0),
                    (Opcode::IsOp, 1),
                    (Opcode::ContainsOp, 0),
                    (Opcode::ContainsOp, 1),
                ])?;
                self.op(op, arg);
                self.pop_n(2);
                self.push(Kind::Bool);
            }
            Row::Build => {
                let n = self.u.int_in_range(1..=avail.min(3))?;
                let (op, k) = *self.u.choose(&[
                    (Opcode::BuildList, Kind::List),
                    (Opcode::BuildTuple, Kind::Tuple),
                ])?;
                self.op(op, n as u32);
                self.pop_n(n);
                self.push(k);
            }
            Row::SubscrOrMap => {
                if self.u.ratio(1, 2)? {
                    self.op(Opcode::BinarySubscr, 0);
                    self.pop_n(2);
                    self.push(Kind::Any);
                } else {
                    // {key: value} of the top two.
                    self.op(Opcode::BuildMap, 1);
                    self.pop_n(2);
                    self.push(Kind::Dict);
                }
            }
            Row::DupOrPop => {
                if self.u.ratio(1, 2)? {
                    self.op(Opcode::DupTop, 0);
                    let k = self.top();
                    self.push(k);
                } else if self.u.ratio(1, 2)? {
                    self.op(Opcode::PopTop, 0);
                    self.pop();
                } else {
                    self.print_top();
                }
            }
            Row::Shuffle => self.shuffle(avail)?,
            Row::StrMethod => {
                let m = *self.u.choose(&METHODS)?;
                let i = self.method_name(m);
                self.op(Opcode::LoadMethod, i);
                self.pop();
                self.push(Kind::Any);
                self.push(Kind::Any);
                self.op(Opcode::CallMethod, 0);
                self.pop_n(2);
                self.push(if m == "split" { Kind::List } else { Kind::Str });
            }
            Row::CallBuiltin => {
                let (f, k) = *self.u.choose(&[
                    ("len", Kind::Int),
                    ("str", Kind::Str),
                    ("abs", Kind::Any),
                    ("repr", Kind::Str),
                    ("print", Kind::Any),
                ])?;
                self.call_builtin(f, 1, k);
            }
            Row::OpenIf => self.open_if()?,
            Row::OrAnd => {
                // `a or k` / `a and k` as a value.
                let end = self.asm.label();
                let op = *self
                    .u
                    .choose(&[Opcode::JumpIfTrueOrPop, Opcode::JumpIfFalseOrPop])?;
                self.jump(op, end);
                self.pop();
                let (k, kind) = self.random_constant()?;
                self.load_const(k, kind);
                self.asm.place(end);
                self.pop();
                self.push(Kind::Any);
            }
            Row::OpenFor => self.open_for()?,
            Row::OpenWhile => self.open_while()?,
            Row::BreakOrContinue => self.break_or_continue()?,
            Row::OpenTry => self.open_try()?,
            Row::RaiseIf => self.raise_if()?,
            Row::CallNested => self.call_nested(false)?,
            Row::CallGenerator => self.call_nested(true)?,
            Row::Yield => {
                self.op(Opcode::YieldValue, 0);
                self.pop();
                self.push(Kind::Any);
            }
            Row::LoadDeref => {
                let i = self.u.int_in_range(0..=self.ncells() - 1)?;
                self.op(Opcode::LoadDeref, i as u32);
                self.push(Kind::Any);
            }
            Row::StoreDeref => {
                let i = self.u.int_in_range(0..=self.ncells() - 1)?;
                self.op(Opcode::StoreDeref, i as u32);
                self.pop();
            }
            Row::Unpack => {
                // Unpack a two-element sequence: `a, b = x`, and
                // `sorted`/`list` of an iterable.
                if self.u.ratio(1, 2)? {
                    self.op(Opcode::UnpackSequence, 2);
                    self.pop();
                    self.push(Kind::Any);
                    self.push(Kind::Any);
                } else {
                    let f = *self.u.choose(&["sorted", "list"])?;
                    self.call_builtin(f, 1, Kind::List);
                }
            }
            Row::Global => {
                // A module global: `g0 = x` or `x = g0`.
                if self.u.ratio(1, 2)? {
                    self.op(Opcode::StoreGlobal, self.name("g0"));
                    self.pop();
                } else {
                    self.load_global("g0");
                }
            }
        }
        Ok(())
    }

    fn ncells(&self) -> usize {
        self.shape.cells + self.shape.freevars.len()
    }

    /// The name index of a method (the methods follow the built-ins).
    fn method_name(&self, m: &str) -> u32 {
        (BUILTINS.len() + METHODS.iter().position(|x| *x == m).unwrap_or(0)) as u32
    }

    fn binary(&mut self) -> Result<()> {
        let a = self.stack[self.stack.len() - 2];
        let b = self.top();
        let numeric = a.numeric() && b.numeric();
        // Multiplication, powers and shifts could grow values without
        // bound in loops; only adding and the bounded operators are used
        // on arbitrary operands.
        let op = if numeric {
            *self.u.choose(&[
                Opcode::BinaryAdd,
                Opcode::BinarySubtract,
                Opcode::BinaryTrueDivide,
                Opcode::BinaryFloorDivide,
                Opcode::BinaryModulo,
                Opcode::BinaryAnd,
                Opcode::BinaryOr,
                Opcode::BinaryXor,
                Opcode::InplaceAdd,
                Opcode::InplaceSubtract,
            ])?
        } else {
            *self.u.choose(&[
                Opcode::BinaryAdd,
                Opcode::BinarySubtract,
                Opcode::BinaryModulo,
                Opcode::InplaceAdd,
            ])?
        };
        self.op(op, 0);
        self.pop_n(2);
        self.push(if numeric {
            if a == Kind::Float || b == Kind::Float {
                Kind::Float
            } else {
                Kind::Int
            }
        } else if a == b && a == Kind::Str {
            Kind::Str
        } else {
            Kind::Any
        });
        Ok(())
    }

    fn shuffle(&mut self, avail: usize) -> Result<()> {
        let n = self.u.int_in_range(2..=avail.min(4))?;
        let op = match n {
            2 => *self.u.choose(&[Opcode::RotTwo, Opcode::DupTopTwo])?,
            3 => Opcode::RotThree,
            _ => Opcode::RotFour,
        };
        self.op(op, 0);
        let d = self.stack.len();
        if op == Opcode::DupTopTwo {
            let (a, b) = (self.stack[d - 2], self.stack[d - 1]);
            self.push(a);
            self.push(b);
        } else {
            let t = self.stack.remove(d - 1);
            self.stack.insert(d - n, t);
        }
        Ok(())
    }

    /// The innermost loop, if only `if` constructs lie between it and
    /// here (a `break` then needs no block to be popped).
    fn loop_through_ifs(&self) -> Option<usize> {
        for (i, c) in self.ctl.iter().enumerate().rev() {
            if c.is_loop() {
                return Some(i);
            }
            if !matches!(c, Ctl::If { .. }) {
                return None;
            }
        }
        None
    }

    fn open_if(&mut self) -> Result<()> {
        let else_ = self.asm.label();
        let end = self.asm.label();
        let op = *self
            .u
            .choose(&[Opcode::PopJumpIfFalse, Opcode::PopJumpIfTrue])?;
        self.jump(op, else_);
        self.pop();
        let has_else = self.u.arbitrary()?;
        self.ctl.push(Ctl::If {
            else_,
            end,
            floor: self.stack.len(),
            has_else,
            in_else: false,
        });
        Ok(())
    }

    fn open_for(&mut self) -> Result<()> {
        let top = self.top();
        if self.avail() >= 1 && top.iterable() {
            // Iterate over the value on top.
        } else {
            let k = self.u.int_in_range(0u8..=4)?;
            self.load_const(Constant::Int(k.into()), Kind::Int);
            self.call_builtin("range", 1, Kind::Iter);
        }
        self.op(Opcode::GetIter, 0);
        self.pop();
        self.push(Kind::Iter);
        let head = self.asm.label();
        let end = self.asm.label();
        self.asm.place(head);
        self.jump(Opcode::ForIter, end);
        let floor = self.stack.len();
        self.push(Kind::Any);
        self.ctl.push(Ctl::For { head, end, floor });
        Ok(())
    }

    fn open_while(&mut self) -> Result<()> {
        let counter = (USER_LOCALS + self.counters_used) as u32;
        self.counters_used += 1;
        let k = self.u.int_in_range(0u8..=3)?;
        self.load_const(Constant::Int(k.into()), Kind::Int);
        self.op(Opcode::StoreFast, counter);
        self.pop();
        let head = self.asm.label();
        let end = self.asm.label();
        self.asm.place(head);
        self.op(Opcode::LoadFast, counter);
        self.push(Kind::Int);
        self.load_const(Constant::Int(0.into()), Kind::Int);
        self.op(Opcode::CompareOp, 4);
        self.pop_n(2);
        self.jump(Opcode::PopJumpIfFalse, end);
        self.op(Opcode::LoadFast, counter);
        self.push(Kind::Int);
        self.load_const(Constant::Int(1.into()), Kind::Int);
        self.op(Opcode::InplaceSubtract, 0);
        self.pop();
        self.op(Opcode::StoreFast, counter);
        self.pop();
        self.ctl.push(Ctl::While {
            head,
            end,
            floor: self.stack.len(),
        });
        Ok(())
    }

    /// `if cond: break` or `if cond: continue` in the innermost loop.
    fn break_or_continue(&mut self) -> Result<()> {
        let Some(i) = self.loop_through_ifs() else {
            return Ok(());
        };
        let skip = self.asm.label();
        self.jump(Opcode::PopJumpIfFalse, skip);
        self.pop();
        let saved = self.stack.clone();
        let (head, end, floor, is_for) = match self.ctl[i] {
            Ctl::For { head, end, floor } => (head, end, floor, true),
            Ctl::While { head, end, floor } => (head, end, floor, false),
            _ => return Ok(()),
        };
        for _ in floor..self.stack.len() {
            self.op(Opcode::PopTop, 0);
        }
        if self.u.arbitrary()? {
            self.jump(Opcode::JumpAbsolute, head);
        } else {
            if is_for {
                self.op(Opcode::PopTop, 0);
            }
            self.jump(Opcode::JumpAbsolute, end);
        }
        self.asm.place(skip);
        self.stack = saved;
        Ok(())
    }

    fn open_try(&mut self) -> Result<()> {
        let handler = self.asm.label();
        let end = self.asm.label();
        self.jump(Opcode::SetupFinally, handler);
        let finally = self.u.ratio(1, 4)?;
        self.ctl.push(Ctl::Try {
            handler,
            end,
            floor: self.stack.len(),
            finally,
        });
        Ok(())
    }

    /// `if cond: raise ValueError(x)` (or a bare `raise` in a handler).
    fn raise_if(&mut self) -> Result<()> {
        let skip = self.asm.label();
        self.jump(Opcode::PopJumpIfTrue, skip);
        self.pop();
        let saved = self.stack.clone();
        let in_handler = self.ctl.iter().any(|c| matches!(c, Ctl::Handler { .. }));
        if in_handler && self.u.ratio(1, 3)? {
            self.op(Opcode::RaiseVarargs, 0);
        } else {
            let e = *self.u.choose(&["ValueError", "KeyError", "Exception"])?;
            self.load_global(e);
            let (k, kind) = self.random_constant()?;
            self.load_const(k, kind);
            self.op(Opcode::CallFunction, 1);
            self.pop_n(2);
            self.push(Kind::Any);
            self.op(Opcode::RaiseVarargs, 1);
        }
        self.asm.place(skip);
        self.stack = saved;
        Ok(())
    }

    /// Closes the innermost construct.
    fn close(&mut self) -> Result<()> {
        let Some(c) = self.ctl.pop() else {
            return Ok(());
        };
        match c {
            Ctl::If {
                else_,
                end,
                floor,
                has_else,
                in_else,
            } => {
                self.balance_to(floor)?;
                if has_else && !in_else {
                    self.jump(Opcode::JumpForward, end);
                    self.asm.place(else_);
                    self.ctl.push(Ctl::If {
                        else_,
                        end,
                        floor,
                        has_else,
                        in_else: true,
                    });
                } else {
                    if !has_else {
                        self.asm.place(else_);
                    }
                    self.asm.place(end);
                }
            }
            Ctl::For { head, end, floor } => {
                self.balance_to(floor)?;
                self.jump(Opcode::JumpAbsolute, head);
                self.asm.place(end);
                self.pop();
            }
            Ctl::While { head, end, floor } => {
                self.balance_to(floor)?;
                self.jump(Opcode::JumpAbsolute, head);
                self.asm.place(end);
            }
            Ctl::Try {
                handler,
                end,
                floor,
                finally,
            } => {
                self.balance_to(floor)?;
                self.op(Opcode::PopBlock, 0);
                if finally {
                    // The finally body runs on both paths (CPython 3.9
                    // copies it).
                    let k = self.u.int_in_range(0u8..=9)?;
                    self.finally_body(k);
                    self.jump(Opcode::JumpForward, end);
                    self.asm.place(handler);
                    self.enter_handler(floor);
                    self.finally_body(k);
                    self.op(Opcode::Reraise, 0);
                    self.asm.place(end);
                    self.stack.truncate(floor);
                } else {
                    self.jump(Opcode::JumpForward, end);
                    self.asm.place(handler);
                    self.enter_handler(floor);
                    let reraise = if self.u.arbitrary()? {
                        let r = self.asm.label();
                        self.op(Opcode::DupTop, 0);
                        self.push(Kind::Any);
                        let e = *self.u.choose(&["ValueError", "KeyError", "Exception"])?;
                        self.load_global(e);
                        self.jump(Opcode::JumpIfNotExcMatch, r);
                        self.pop_n(2);
                        Some(r)
                    } else {
                        None
                    };
                    for _ in 0..3 {
                        self.op(Opcode::PopTop, 0);
                        self.pop();
                    }
                    self.ctl.push(Ctl::Handler {
                        end,
                        floor: floor + 3,
                        reraise,
                    });
                }
            }
            Ctl::Handler {
                end,
                floor,
                reraise,
            } => {
                self.balance_to(floor)?;
                self.op(Opcode::PopExcept, 0);
                self.pop_n(3);
                self.jump(Opcode::JumpForward, end);
                if let Some(r) = reraise {
                    self.asm.place(r);
                    self.op(Opcode::Reraise, 0);
                }
                self.asm.place(end);
            }
        }
        Ok(())
    }

    /// The six values the unwinder pushes at a handler.
    fn enter_handler(&mut self, floor: usize) {
        self.stack.truncate(floor);
        for _ in 0..6 {
            self.push(Kind::Any);
        }
    }

    /// A stack-neutral finally body: `print(k)`.
    fn finally_body(&mut self, k: u8) {
        self.load_const(Constant::Int(k.into()), Kind::Int);
        self.print_top();
    }

    /// Makes a nested function (a closure over this code's cells when it
    /// has some, a generator function when `generator`) and calls it with
    /// the values above the floor as arguments (a generator is then
    /// consumed by `list`).
    fn call_nested(&mut self, generator: bool) -> Result<()> {
        *self.functions -= 1;
        let args = if generator {
            0
        } else {
            self.u.int_in_range(0..=self.avail().min(3))?
        };
        let closure = self.cfg.has(group::CLOSURES) && self.ncells() > 0 && self.u.arbitrary()?;
        let freevars: Vec<PyStr> = if closure {
            (0..self.ncells()).map(cell_name).collect()
        } else {
            Vec::new()
        };
        let shape = Shape {
            name: if generator { "gen" } else { "fn" },
            args: args as u32,
            cells: 0,
            freevars: freevars.clone(),
            generator,
            function: true,
        };
        let inner = {
            let mut cfg = self.cfg;
            cfg.nesting = cfg.nesting.saturating_sub(1);
            Body::new(&mut *self.u, cfg, shape, &mut *self.functions).run()?
        };
        if closure {
            for i in 0..freevars.len() {
                self.op(Opcode::LoadClosure, i as u32);
                self.push(Kind::Any);
            }
            self.op(Opcode::BuildTuple, freevars.len() as u32);
            self.pop_n(freevars.len());
            self.push(Kind::Tuple);
        }
        let name = PyStr::from(if generator { "gen" } else { "fn" });
        self.load_const(Constant::Code(inner), Kind::Any);
        self.load_const(Constant::Str(name), Kind::Str);
        self.op(Opcode::MakeFunction, if closure { 8 } else { 0 });
        self.pop_n(2 + usize::from(closure));
        self.push(Kind::Any);
        match args {
            1 => self.op(Opcode::RotTwo, 0),
            2 => self.op(Opcode::RotThree, 0),
            3 => self.op(Opcode::RotFour, 0),
            _ => {}
        }
        self.op(Opcode::CallFunction, args as u32);
        self.pop_n(args + 1);
        self.push(Kind::Any);
        if generator {
            self.call_builtin("list", 1, Kind::List);
        }
        Ok(())
    }

    fn finish(self) -> Arc<CodeObject> {
        let mut names: Vec<PyStr> = BUILTINS.iter().map(|n| PyStr::from(*n)).collect();
        names.extend(METHODS.map(PyStr::from));
        let mut varnames: Vec<PyStr> = (0..USER_LOCALS)
            .map(|i| PyStr::from(format!("v{i}").as_str()))
            .collect();
        varnames.extend((0..COUNTERS).map(|i| PyStr::from(format!("i{i}").as_str())));
        let mut f = 0;
        if self.shape.function {
            f |= flags::OPTIMIZED | flags::NEWLOCALS;
        }
        if self.shape.generator {
            f |= flags::GENERATOR;
        }
        if !self.shape.freevars.is_empty() {
            f |= flags::NESTED;
        }
        Arc::new(CodeObject {
            argcount: self.shape.args,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            nlocals: varnames.len() as u32,
            stacksize: self.max_depth as u32,
            flags: f,
            code: self.asm.assemble().into(),
            consts: self.consts,
            names,
            varnames,
            freevars: self.shape.freevars,
            cellvars: (0..self.shape.cells).map(cell_name).collect(),
            filename: PyStr::from("<generated>"),
            name: PyStr::from(self.shape.name),
            firstlineno: 1,
            lnotab: Vec::new().into(),
        })
    }
}

fn cell_name(i: usize) -> PyStr {
    PyStr::from(format!("c{i}").as_str())
}

/// Constants are shared by value; floats by bits (so `0.0` and `-0.0`, and
/// NaNs, stay apart), and code objects never.
fn same_constant(a: &Constant, b: &Constant) -> bool {
    match (a, b) {
        (Constant::None, Constant::None) => true,
        (Constant::Bool(x), Constant::Bool(y)) => x == y,
        (Constant::Int(x), Constant::Int(y)) => x == y,
        (Constant::Float(x), Constant::Float(y)) => x.to_bits() == y.to_bits(),
        (Constant::Str(x), Constant::Str(y)) => x == y,
        _ => false,
    }
}

/// The opcodes [`single_instruction`] tests, with their input count and
/// the arguments they take.
const SINGLES: &[(Opcode, usize, &[u32])] = &[
    (Opcode::BinaryAdd, 2, &[0]),
    (Opcode::BinarySubtract, 2, &[0]),
    (Opcode::BinaryMultiply, 2, &[0]),
    (Opcode::BinaryTrueDivide, 2, &[0]),
    (Opcode::BinaryFloorDivide, 2, &[0]),
    (Opcode::BinaryModulo, 2, &[0]),
    (Opcode::BinaryRshift, 2, &[0]),
    (Opcode::BinaryAnd, 2, &[0]),
    (Opcode::BinaryOr, 2, &[0]),
    (Opcode::BinaryXor, 2, &[0]),
    (Opcode::BinarySubscr, 2, &[0]),
    (Opcode::InplaceAdd, 2, &[0]),
    (Opcode::InplaceMultiply, 2, &[0]),
    (Opcode::CompareOp, 2, &[0, 1, 2, 3, 4, 5]),
    (Opcode::IsOp, 2, &[0, 1]),
    (Opcode::ContainsOp, 2, &[0, 1]),
    (Opcode::UnaryNegative, 1, &[0]),
    (Opcode::UnaryPositive, 1, &[0]),
    (Opcode::UnaryNot, 1, &[0]),
    (Opcode::UnaryInvert, 1, &[0]),
    (Opcode::BuildTuple, 2, &[2]),
    (Opcode::BuildList, 2, &[2]),
    (Opcode::BuildSet, 2, &[2]),
    (Opcode::BuildMap, 2, &[1]),
    (Opcode::BuildSlice, 2, &[2]),
    (Opcode::FormatValue, 1, &[0, 1, 2, 3]),
    (Opcode::GetIter, 1, &[0]),
    (Opcode::UnpackSequence, 1, &[2]),
];

/// A module that applies one opcode to arbitrary constant operands and
/// prints what it leaves (or raises).
pub fn single_instruction(u: &mut Unstructured) -> Result<Arc<CodeObject>> {
    let (op, n, args) = *u.choose(SINGLES)?;
    let arg = *u.choose(args)?;
    let mut functions = 0;
    let shape = Shape {
        name: "<module>",
        args: 0,
        cells: 0,
        freevars: Vec::new(),
        generator: false,
        function: false,
    };
    let cfg = Config {
        rows: 0,
        nesting: 0,
        functions: 0,
        groups: 0,
    };
    let mut b = Body::new(u, cfg, shape, &mut functions);
    for _ in 0..n {
        let (k, kind) = b.random_constant()?;
        b.load_const(k, kind);
    }
    b.op(op, arg);
    b.pop_n(n);
    let left = match op {
        Opcode::UnpackSequence => arg as usize,
        _ => 1,
    };
    for _ in 0..left {
        b.push(Kind::Any);
    }
    b.balance_to(0)?;
    b.load_const(Constant::None, Kind::Any);
    b.op(Opcode::ReturnValue, 0);
    Ok(b.finish())
}
