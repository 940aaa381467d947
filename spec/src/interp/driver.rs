//! Starting a machine on a module and running it to its outcome.

use super::{Decoded, Fault, Frame, Machine, Outcome, Output};
use crate::code::{CodeObject, PyStr};
use crate::object::{Dict, Heap, Obj, ObjId, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// What a run needs besides the code: the program's files and arguments.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Source text by file name (for traceback lines).
    pub sources: HashMap<String, String>,
    /// Modules `import` may load, by name.
    pub modules: HashMap<String, Arc<CodeObject>>,
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// The translator, to run register code (spec-reg); `None` runs the
    /// stack code.
    pub translator: Option<super::Translator>,
}

/// The default fuel: enough for any corpus program, finite for fuzzing.
pub const DEFAULT_FUEL: u64 = 1 << 40;

/// The default heap limit, in objects.
pub const DEFAULT_MAX_OBJECTS: usize = 1 << 28;

impl Machine {
    /// A machine about to run `code` as the `__main__` module.
    pub fn new(code: &Arc<CodeObject>, program: Program, fuel: u64) -> Result<Machine, String> {
        let mut heap = Heap::default();
        let (types, builtins_dict) = super::types::bootstrap(&mut heap);
        let null_marker = heap.alloc(Obj::Cell(None));
        let builtins = heap.alloc(Obj::Dict(builtins_dict));
        let mut m = Machine {
            heap,
            frames: imbl::Vector::new(),
            output: Output::default(),
            fuel,
            types: Arc::new(types),
            builtins,
            modules: Dict::default(),
            handling: None,
            sources: Arc::new(program.sources),
            importable: Arc::new(program.modules),
            argv: program.argv,
            depth: 0,
            max_objects: DEFAULT_MAX_OBJECTS,
            native_return: None,
            repr_stack: Vec::new(),
            null_marker,
            decoded: imbl::HashMap::new(),
            executed: 0,
            translator: program.translator,
            reg_code: imbl::HashMap::new(),
            profile: None,
            main_globals: None,
        };
        let globals = m.heap.alloc(Obj::Dict(Dict::default()));
        m.dict_set_str(
            globals,
            &PyStr::from("__name__"),
            Some(Value::str("__main__")),
        );
        m.dict_set_str(
            globals,
            &PyStr::from("__builtins__"),
            Some(Value::Obj(builtins)),
        );
        m.dict_set_str(globals, &PyStr::from("__doc__"), Some(Value::None));
        m.main_globals = Some(globals);
        let mut frame = m
            .module_frame(code, globals)
            .map_err(|f| format!("{f:?}"))?;
        frame.returns_to_native = true;
        m.attach_reg(&mut frame).map_err(|f| format!("{f:?}"))?;
        m.depth = 1;
        m.frames.push_back(frame);
        Ok(m)
    }

    /// A machine whose program only returns `None`: a heap with the built-in
    /// types, for calling built-ins directly (tests, fuzzing).
    pub fn empty() -> Machine {
        let code = Arc::new(CodeObject {
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            nlocals: 0,
            stacksize: 1,
            flags: 0,
            code: vec![
                crate::opcode::Opcode::LoadConst as u8,
                0,
                crate::opcode::Opcode::ReturnValue as u8,
                0,
            ]
            .into(),
            consts: vec![crate::code::Constant::None],
            names: vec![],
            varnames: vec![],
            freevars: vec![],
            cellvars: vec![],
            filename: PyStr::from("<empty>"),
            name: PyStr::from("<module>"),
            firstlineno: 1,
            lnotab: Vec::new().into(),
        });
        match Machine::new(&code, Program::default(), DEFAULT_FUEL) {
            Ok(m) => m,
            Err(e) => unreachable!("a two-instruction module always starts: {e}"),
        }
    }

    /// A frame running module code with `globals` as its namespace.
    pub fn module_frame(&mut self, code: &Arc<CodeObject>, globals: ObjId) -> Result<Frame, Fault> {
        let decoded: Arc<Decoded> = self.decoded_for(code)?;
        let mut cells = Vec::new();
        for _ in 0..code.ncells() {
            cells.push(self.heap.alloc(Obj::Cell(None)));
        }
        Ok(Frame {
            code: code.clone(),
            decoded,
            pc: 0,
            last: 0,
            stack: Vec::new(),
            fast: vec![None; code.nlocals as usize],
            cells,
            blocks: Vec::new(),
            globals,
            locals: Some(globals),
            generator: None,
            returns_to_native: false,
            reg: None,
            rpc: 0,
            rlast: 0,
            pending: None,
        })
    }

    /// [`Machine::run_counted`], also handing back the profile (executed
    /// instructions by opcode) when [`Machine::profile`] was on.
    pub fn run_profiled(
        mut self,
    ) -> (
        Outcome,
        Output,
        u64,
        Option<std::collections::BTreeMap<&'static str, u64>>,
    ) {
        let (outcome, output) = self.run_loop();
        (outcome, output, self.executed, self.profile.take())
    }

    /// Runs to the end, stepping in place; the outcome and the output.
    pub fn run(self) -> (Outcome, Output) {
        let (outcome, output, _) = self.run_counted();
        (outcome, output)
    }

    /// [`Machine::run`], also giving the final globals of `__main__`
    /// ([`Machine::main_globals_rendered`]).
    pub fn run_observed(mut self) -> (Outcome, Output, Vec<(String, String)>) {
        let (outcome, output) = self.run_loop();
        let globals = self.main_globals_rendered();
        (outcome, output, globals)
    }

    /// [`Machine::run`], also giving the number of instructions executed.
    pub fn run_counted(mut self) -> (Outcome, Output, u64) {
        let (outcome, output) = self.run_loop();
        (outcome, output, self.executed)
    }

    fn run_loop(&mut self) -> (Outcome, Output) {
        loop {
            if self.frames.is_empty() {
                let status = self.finish_status();
                return (status, self.output.clone());
            }
            match super::stack_step::step_mut(self) {
                Ok(()) => {}
                Err(Fault::Exhausted(x)) => return (Outcome::Exhausted(x), self.output.clone()),
                Err(Fault::Stuck(s)) => return (Outcome::Stuck(s), self.output.clone()),
                Err(Fault::Raise(e)) => {
                    let status = self.uncaught(e);
                    return (status, self.output.clone());
                }
            }
            if self.heap.len() > self.max_objects {
                let n = self.max_objects;
                return (
                    Outcome::Exhausted(super::Exhaustion::Memory(n)),
                    self.output.clone(),
                );
            }
        }
    }
}
