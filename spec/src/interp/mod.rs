//! The machine state of the executable semantics and the rules shared by
//! both instruction sets: calls, attribute lookup, operators, exceptions.
//!
//! # Outcomes
//! A run ends in exactly one of three kinds of outcome, kept apart:
//! - a Python exception (specified behaviour: it must match CPython);
//! - [`Exhaustion`]: fuel, recursion depth or memory ran out (the run is
//!   "poisoned": comparisons between engines stop there);
//! - stuck: ill-formed code reached execution, which is always a bug in the
//!   verifier or a code generator.
//!
//! # Re-entrancy
//! Most Python-to-Python calls are small steps: `CALL_FUNCTION` pushes a
//! frame and the next step runs its first instruction. Where CPython's C
//! code calls back into Python (a `__add__` found by `BINARY_ADD`, a key
//! function of `sorted`, a generator driven by `list()`), the rule runs
//! that call to completion within the one step, exactly as CPython's C
//! stack does; the nested run spends fuel and counts recursion depth in the
//! same machine, so exhaustion happens at the same point either way.

pub mod arith;
pub mod containers;
pub mod driver;
pub mod exceptions;
pub mod generator;
pub mod iter;
pub mod observe;
pub mod ops;
pub mod reg_step;
pub mod stack_step;
pub mod types;

use crate::code::{CodeObject, PyStr};
use crate::decode::Instruction;
use crate::object::{Dict, Heap, ObjId, Value};
use std::collections::HashMap;
use std::sync::Arc;
use thiserror::Error;

pub use types::TypeIds;

/// CPython's default recursion limit (`sys.getrecursionlimit()`).
pub const RECURSION_LIMIT: usize = 1000;

/// Why a run stopped without a Python-level outcome.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Exhaustion {
    /// The fuel given to the run was spent.
    #[error("out of fuel")]
    Fuel,
    /// The heap grew past the configured object limit.
    #[error("out of memory: more than {0} objects")]
    Memory(usize),
}

/// How an operation failed.
#[derive(Clone, Debug)]
pub enum Fault {
    /// A Python exception was raised (the exception instance).
    Raise(ObjId),
    /// The run is exhausted.
    Exhausted(Exhaustion),
    /// Ill-formed code or an unsupported feature reached execution; the
    /// message names the code object, offset and what is missing.
    Stuck(String),
}

/// The result of an operation that may raise.
pub type PyResult<T> = Result<T, Fault>;

/// A block on a frame's block stack (see the verifier for the rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// `SETUP_FINALLY`/`SETUP_WITH`: on an exception, unwind the operand
    /// stack to `level` and continue at instruction index `handler`.
    Finally {
        /// Instruction index of the handler.
        handler: usize,
        /// Operand-stack depth to unwind to.
        level: usize,
    },
    /// Entered a handler; the saved exception triple sits at `level`.
    ExceptHandler {
        /// Operand-stack depth below the saved triple.
        level: usize,
    },
}

/// Decoded code shared by every frame running the same code object.
#[derive(Debug)]
pub struct Decoded {
    /// The instructions.
    pub instructions: Vec<Instruction>,
    /// Instruction index by start offset.
    pub index_of: HashMap<u32, usize>,
    /// `co_consts` as objects, made once so that every `LOAD_CONST` of one
    /// constant yields the same object, as in CPython (`x is x` for a
    /// float or tuple constant loaded twice).
    pub constants: Vec<Value>,
}

/// One activation of a code object.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The code being run.
    pub code: Arc<CodeObject>,
    /// Its decoded instructions.
    pub decoded: Arc<Decoded>,
    /// Index of the next instruction to run.
    pub pc: usize,
    /// Index of the instruction running or last run (`f_lasti`).
    pub last: usize,
    /// The operand stack.
    pub stack: Vec<Value>,
    /// Fast locals (`None`: unbound).
    pub fast: Vec<Option<Value>>,
    /// Cells of `co_cellvars` then `co_freevars`.
    pub cells: Vec<ObjId>,
    /// The block stack.
    pub blocks: Vec<Block>,
    /// The globals dict.
    pub globals: ObjId,
    /// The locals mapping for `*_NAME` instructions (module and class bodies).
    pub locals: Option<ObjId>,
    /// The generator this frame belongs to, if any.
    pub generator: Option<ObjId>,
    /// Whether native code is waiting for this frame's result: a return
    /// from it ends the nested run instead of resuming the frame below.
    pub returns_to_native: bool,
    /// The register form being run, when the frame runs register code
    /// (then `fast` is the whole register file and `stack` only carries a
    /// value delivered to the frame: a callee's result or a sent value).
    pub reg: Option<Arc<crate::reg::RegCode>>,
    /// Index of the next register instruction.
    pub rpc: usize,
    /// Index of the register instruction running or last run.
    pub rlast: usize,
    /// The register that receives the next value delivered to the frame.
    pub pending: Option<crate::reg::Reg>,
}

/// Everything a run produces besides the machine state.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// Bytes written to standard output.
    pub stdout: imbl::Vector<u8>,
    /// Bytes written to standard error.
    pub stderr: imbl::Vector<u8>,
}

/// The complete state of a run.
#[derive(Clone, Debug)]
pub struct Machine {
    /// Heap objects.
    pub heap: Heap,
    /// The call stack, outermost first.
    pub frames: imbl::Vector<Frame>,
    /// Output so far.
    pub output: Output,
    /// Fuel left; one unit is spent at each backward jump, each Python
    /// frame pushed and each call of a generator function (which makes a
    /// generator instead of pushing a frame).
    pub fuel: u64,
    /// The built-in types and singletons.
    pub types: Arc<TypeIds>,
    /// The `builtins` module's dict.
    pub builtins: ObjId,
    /// Imported modules by name (`sys.modules`).
    pub modules: Dict,
    /// The exception being handled (`sys.exc_info()[1]`), if any.
    pub handling: Option<ObjId>,
    /// Source text of files, for traceback lines, by file name.
    pub sources: Arc<HashMap<String, String>>,
    /// Files that `import` may load, by module name.
    pub importable: Arc<HashMap<String, Arc<CodeObject>>>,
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// Depth of Python calls, for `RecursionError`.
    pub depth: usize,
    /// The object limit that counts as running out of memory.
    pub max_objects: usize,
    /// How the last frame that returned to native code finished: its
    /// result, or the exception that left it.
    pub native_return: Option<Result<ops::NativeReturn, ObjId>>,
    /// Objects whose `repr` is being computed (to print `[...]` for cycles).
    pub repr_stack: Vec<ObjId>,
    /// The NULL that `LOAD_METHOD` pushes below a non-method attribute.
    pub null_marker: ObjId,
    /// Decoded code objects, by the address of their `Arc`.
    pub decoded: imbl::HashMap<usize, Arc<Decoded>>,
    /// Instructions executed so far (nested runs included).
    pub executed: u64,
    /// The stack → register translator, when the machine runs register
    /// code (spec-reg); `None` runs the stack code (spec-stack).
    pub translator: Option<Translator>,
    /// Register forms made so far, by the address of their code's `Arc`.
    pub reg_code: imbl::HashMap<usize, Arc<crate::reg::RegCode>>,
    /// Executed instructions by opcode name, when profiling (`pyreg stats`).
    pub profile: Option<std::collections::BTreeMap<&'static str, u64>>,
    /// The `__main__` module's globals (a dict), kept after its frame is
    /// gone so that the final state can be observed.
    pub main_globals: Option<ObjId>,
}

/// Translates one code object to register form (the translator crate's
/// function, passed in so that the specification does not depend on it).
pub type Translator = fn(&Arc<CodeObject>) -> Result<crate::reg::RegCode, String>;

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The program finished; the process exit status (0, or the
    /// `SystemExit` code, or 1 after an uncaught exception was printed).
    Exited(i32),
    /// The run is exhausted.
    Exhausted(Exhaustion),
    /// Execution got stuck (a verifier or generator bug, or an unsupported
    /// feature), with the reason.
    Stuck(String),
}

/// The result of one small step.
#[derive(Debug)]
pub enum Step {
    /// The run goes on from this state.
    Next(Box<Machine>),
    /// The run is over.
    Done(Outcome, Output),
}

/// A `str` as a Rust string for messages.
pub fn text(s: &PyStr) -> String {
    s.to_string_lossy()
}
