//! The differential oracle: a code object runs on spec-stack, translated on
//! spec-reg with the same fuel, and on the VM (register code and, in stack
//! mode, stack code); the runs must end the same way (exit status and
//! uncaught exception), print the same and leave the same globals in the
//! `__main__` module.
//!
//! Exhaustion poisons the comparison when only one run is exhausted (the
//! fuel rule makes both ISAs run out at the same point, but the heap limit
//! counts objects, which the two forms need not allocate alike). A run
//! that gets stuck is never agreement: stuck means a verifier or
//! translator bug, or a feature the specification lacks. When only one
//! reference engine is stuck (or they are stuck differently) the verdict
//! is a difference; when both are stuck alike it is [`Verdict::Stuck`],
//! which `pyreg check` counts as a failure and the campaign over mutated
//! code objects counts apart (mutants the verifier accepts can be
//! ill-typed: a constant where a tuple of names must be).
//!
//! The globals are compared in `pyreg_spec::canon`'s rendering (sorted by
//! name; modules, functions, classes and built-in functions left out; the
//! built-in values rendered structurally, other objects by type name).
//! Cells are not compared here: at the end of a run the module frame is
//! gone, and module code has no cells of its own; the lockstep checker
//! (`lockstep`) compares every frame's cells at every synchronisation
//! point between spec-stack and spec-reg.

use pyreg_spec::code::CodeObject;
use pyreg_spec::interp::driver::Program;
use pyreg_spec::interp::{Machine, Outcome};
use similar::TextDiff;
use std::collections::HashMap;
use std::sync::Arc;

/// How one engine's run ended, what it printed and the globals it left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// The outcome.
    pub outcome: Outcome,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// The `__main__` module's globals at the end, by name, rendered.
    pub globals: Vec<(String, String)>,
}

/// What the oracle concluded about spec-stack and spec-reg.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Both runs ended the same way with the same output and globals.
    Same,
    /// Only one run was exhausted: nothing can be concluded.
    Poisoned,
    /// The code does not start (its module frame cannot be made).
    NotRun(String),
    /// Both runs got stuck at the same point, alike: the code reached a
    /// state no rule covers (a verifier-accepted but ill-formed code
    /// object, such as a mutant whose `BUILD_CONST_KEY_MAP` finds no key
    /// tuple, or a feature the specification lacks), named. A failure for
    /// `pyreg check`; the mutant campaign counts them.
    Stuck(String),
    /// The runs differ (one got stuck and the other not, included); a
    /// readable diff of the two observations.
    Differ(String),
}

/// What a run is given besides the code: the program's modules, sources
/// and arguments, and the heap limit of the reference engines.
#[derive(Clone, Debug)]
pub struct Setup {
    /// Source text by file name (traceback lines).
    pub sources: HashMap<String, String>,
    /// Modules `import` may load, by name.
    pub modules: HashMap<String, Arc<CodeObject>>,
    /// `sys.argv`.
    pub argv: Vec<String>,
    /// The reference engines' heap limit, in objects.
    pub max_objects: usize,
}

impl Default for Setup {
    /// No files, `sys.argv` `['<oracle>']`, and a small heap limit that
    /// keeps generated and mutated programs cheap.
    fn default() -> Setup {
        Setup {
            sources: HashMap::new(),
            modules: HashMap::new(),
            argv: vec!["<oracle>".into()],
            max_objects: 1 << 20,
        }
    }
}

fn translate(code: &Arc<CodeObject>) -> Result<pyreg_spec::reg::RegCode, String> {
    let rc = pyreg_translator::translate(code).map_err(|e| e.to_string())?;
    crate::validator::validate(&rc).map_err(|e| format!("translation validator: {e}"))?;
    Ok(rc)
}

/// Runs `code` as the `__main__` module on spec-stack (`register`: false)
/// or spec-reg with `fuel`, on a thread with a stack deep enough for
/// nested native calls.
pub fn observe(code: &Arc<CodeObject>, fuel: u64, register: bool) -> Result<Observation, String> {
    observe_with(code, &Setup::default(), fuel, register)
}

/// [`observe`] with the program's files, arguments and heap limit.
pub fn observe_with(
    code: &Arc<CodeObject>,
    setup: &Setup,
    fuel: u64,
    register: bool,
) -> Result<Observation, String> {
    let code = code.clone();
    let program = Program {
        sources: setup.sources.clone(),
        modules: setup.modules.clone(),
        argv: setup.argv.clone(),
        translator: register.then_some(translate as pyreg_spec::interp::Translator),
    };
    let max_objects = setup.max_objects;
    let joined = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || {
            let mut m = Machine::new(&code, program, fuel)?;
            m.max_objects = max_objects;
            Ok::<_, String>(m.run_observed())
        })
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|_| "the interpreter panicked".to_string())?;
    let (outcome, output, globals) = joined?;
    let text = |v: &imbl::Vector<u8>| {
        String::from_utf8_lossy(&v.iter().copied().collect::<Vec<u8>>()).into_owned()
    };
    Ok(Observation {
        outcome,
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
        globals,
    })
}

fn render(o: &Observation) -> String {
    let mut s = format!(
        "outcome: {:?}\n--- stdout\n{}\n--- stderr\n{}\n--- globals\n",
        o.outcome, o.stdout, o.stderr
    );
    for (name, value) in &o.globals {
        s.push_str(name);
        s.push_str(" = ");
        s.push_str(value);
        s.push('\n');
    }
    s
}

fn diff(a: &Observation, b: &Observation, left: &str, right: &str) -> String {
    let (a, b) = (render(a), render(b));
    TextDiff::from_lines(&a, &b)
        .unified_diff()
        .header(left, right)
        .to_string()
}

fn stuck(o: &Observation) -> Option<&str> {
    match &o.outcome {
        Outcome::Stuck(s) => Some(s),
        _ => None,
    }
}

/// Runs `code` on both reference engines with `fuel` and compares.
pub fn compare_engines(code: &Arc<CodeObject>, fuel: u64) -> Verdict {
    compare_engines_with(code, &Setup::default(), fuel)
}

/// [`compare_engines`] with the program's files, arguments and heap limit.
pub fn compare_engines_with(code: &Arc<CodeObject>, setup: &Setup, fuel: u64) -> Verdict {
    let stack = match observe_with(code, setup, fuel, false) {
        Ok(o) => o,
        Err(e) => return Verdict::NotRun(e),
    };
    let reg = match observe_with(code, setup, fuel, true) {
        Ok(o) => o,
        Err(e) => return Verdict::Differ(format!("spec-reg did not run: {e}")),
    };
    judge_engines(&stack, &reg)
}

/// The verdict on a spec-stack and a spec-reg observation of one program.
pub fn judge_engines(stack: &Observation, reg: &Observation) -> Verdict {
    if stack == reg {
        return match stuck(stack) {
            Some(why) => Verdict::Stuck(why.to_string()),
            None => Verdict::Same,
        };
    }
    for (engine, o) in [("spec-stack", stack), ("spec-reg", reg)] {
        if let Some(why) = stuck(o) {
            return Verdict::Differ(format!(
                "{engine} got stuck: {why}\n{}",
                diff(stack, reg, "spec-stack", "spec-reg")
            ));
        }
    }
    let exhausted = |o: &Observation| matches!(o.outcome, Outcome::Exhausted(_));
    if exhausted(stack) != exhausted(reg) {
        return Verdict::Poisoned;
    }
    Verdict::Differ(diff(stack, reg, "spec-stack", "spec-reg"))
}

/// How the VM compared with spec-stack on one code object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VmVerdict {
    /// Same exit status, output, uncaught exception and globals.
    Same,
    /// spec-stack did not finish (exhausted, not run): the VM, which has
    /// no fuel, is not run.
    Skipped,
    /// The VM stopped at something it does not implement yet, named.
    Gap(String),
    /// The runs differ, or spec-stack got stuck; a readable diff.
    Differ(String),
}

/// The last line of a traceback: the uncaught exception (`Type: args`), as
/// both engines print it (the frames above it may name instructions
/// differently).
fn exception_line(stderr: &str) -> &str {
    stderr.lines().last().unwrap_or("")
}

/// Why the VM gave no observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VmFailure {
    /// It stopped at something it does not implement yet, named.
    Gap(String),
    /// It panicked, or its thread could not be made.
    Crashed(String),
}

/// Runs `code` on the VM (register code, or stack code with `stack_mode`),
/// which has no fuel, with the program's files.
pub fn observe_vm(
    code: &Arc<CodeObject>,
    setup: &Setup,
    stack_mode: bool,
) -> Result<Observation, VmFailure> {
    let c = code.clone();
    let sources = setup.sources.clone();
    let modules = setup.modules.clone();
    let joined = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || {
            let vm = pyreg_vm::Vm::new(translate, sources)
                .with_modules(modules)
                .observe_globals();
            let vm = if stack_mode { vm.stack_mode() } else { vm };
            vm.run_main(&c)
        })
        .map_err(|e| e.to_string())
        .and_then(|t| t.join().map_err(|_| "the VM panicked".to_string()));
    match joined {
        Ok(Ok(f)) => Ok(Observation {
            outcome: Outcome::Exited(f.status),
            stdout: String::from_utf8_lossy(&f.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&f.stderr).into_owned(),
            globals: f.globals,
        }),
        Ok(Err(gap)) => Err(VmFailure::Gap(gap)),
        Err(e) => Err(VmFailure::Crashed(e)),
    }
}

/// Runs `code` on spec-stack with `fuel`, then, when that run finished, on
/// the VM (register code, or stack code with `stack_mode`), and compares
/// exit status, standard output, the uncaught exception and the globals.
pub fn compare_vm(code: &Arc<CodeObject>, fuel: u64, stack_mode: bool) -> VmVerdict {
    compare_vm_with(code, &Setup::default(), fuel, stack_mode)
}

/// [`compare_vm`] with the program's files, arguments and heap limit.
pub fn compare_vm_with(
    code: &Arc<CodeObject>,
    setup: &Setup,
    fuel: u64,
    stack_mode: bool,
) -> VmVerdict {
    let Ok(spec) = observe_with(code, setup, fuel, false) else {
        return VmVerdict::Skipped;
    };
    judge_vm(&spec, || observe_vm(code, setup, stack_mode), stack_mode)
}

/// The verdict on spec-stack's observation and the VM's run, which
/// `run_vm` makes only when spec-stack finished.
pub fn judge_vm(
    spec: &Observation,
    run_vm: impl FnOnce() -> Result<Observation, VmFailure>,
    stack_mode: bool,
) -> VmVerdict {
    let engine = if stack_mode { "vm-stack" } else { "vm" };
    let status = match &spec.outcome {
        Outcome::Exited(status) => *status,
        Outcome::Stuck(why) => return VmVerdict::Differ(format!("spec-stack got stuck: {why}")),
        Outcome::Exhausted(_) => return VmVerdict::Skipped,
    };
    let vm = match run_vm() {
        Ok(o) => o,
        Err(VmFailure::Gap(gap)) => return VmVerdict::Gap(gap),
        Err(VmFailure::Crashed(e)) => return VmVerdict::Differ(format!("{engine}: {e}")),
    };
    if vm.outcome == Outcome::Exited(status)
        && spec.stdout == vm.stdout
        && exception_line(&spec.stderr) == exception_line(&vm.stderr)
        && spec.globals == vm.globals
    {
        return VmVerdict::Same;
    }
    VmVerdict::Differ(diff(spec, &vm, "spec-stack", engine))
}
