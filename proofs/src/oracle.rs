//! The differential oracle between the two reference engines: a code object
//! runs on spec-stack and, translated, on spec-reg, with the same fuel; the
//! two runs must end the same way and print the same.
//!
//! Exhaustion poisons the comparison when only one run is exhausted (the
//! fuel rule makes both ISAs run out at the same point, but the heap limit
//! counts objects, which the two forms need not allocate alike). A run
//! that gets stuck where the other does not is a difference: stuck means a
//! verifier or translator bug.

use pyreg_spec::code::CodeObject;
use pyreg_spec::interp::driver::Program;
use pyreg_spec::interp::{Machine, Outcome};
use similar::TextDiff;
use std::sync::Arc;

/// How one engine's run ended and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// The outcome.
    pub outcome: Outcome,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// What the oracle concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Both runs ended the same way with the same output.
    Same,
    /// Only one run was exhausted: nothing can be concluded.
    Poisoned,
    /// The code does not start (its module frame cannot be made).
    NotRun(String),
    /// The runs differ; a readable diff of the two observations.
    Differ(String),
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
    let code = code.clone();
    let program = Program {
        argv: vec!["<oracle>".into()],
        translator: register.then_some(translate as pyreg_spec::interp::Translator),
        ..Program::default()
    };
    let joined = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || {
            let mut m = Machine::new(&code, program, fuel)?;
            // A small heap limit keeps oracle runs cheap.
            m.max_objects = 1 << 20;
            Ok::<_, String>(m.run())
        })
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|_| "the interpreter panicked".to_string())?;
    let (outcome, output) = joined?;
    let text = |v: &imbl::Vector<u8>| {
        String::from_utf8_lossy(&v.iter().copied().collect::<Vec<u8>>()).into_owned()
    };
    Ok(Observation {
        outcome,
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
    })
}

fn render(o: &Observation) -> String {
    format!(
        "outcome: {:?}\n--- stdout\n{}\n--- stderr\n{}\n",
        o.outcome, o.stdout, o.stderr
    )
}

/// Runs `code` on both reference engines with `fuel` and compares.
pub fn compare_engines(code: &Arc<CodeObject>, fuel: u64) -> Verdict {
    let stack = match observe(code, fuel, false) {
        Ok(o) => o,
        Err(e) => return Verdict::NotRun(e),
    };
    let reg = match observe(code, fuel, true) {
        Ok(o) => o,
        Err(e) => return Verdict::Differ(format!("spec-reg did not run: {e}")),
    };
    if stack == reg {
        return Verdict::Same;
    }
    let exhausted = |o: &Observation| matches!(o.outcome, Outcome::Exhausted(_));
    if exhausted(&stack) != exhausted(&reg) {
        return Verdict::Poisoned;
    }
    let (a, b) = (render(&stack), render(&reg));
    Verdict::Differ(
        TextDiff::from_lines(&a, &b)
            .unified_diff()
            .header("spec-stack", "spec-reg")
            .to_string(),
    )
}

/// How the VM compared with spec-stack on one code object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VmVerdict {
    /// Same exit status, output and uncaught exception.
    Same,
    /// spec-stack did not finish (exhausted, stuck, not run): the VM, which
    /// has no fuel, is not run.
    Skipped,
    /// The VM stopped at something it does not implement yet, named.
    Gap(String),
    /// The runs differ; a readable diff.
    Differ(String),
}

/// The last line of a traceback: the uncaught exception, as both engines
/// print it (the frames above it may name instructions differently).
fn exception_line(stderr: &str) -> &str {
    stderr.lines().last().unwrap_or("")
}

/// Runs `code` on spec-stack with `fuel`, then, when that run finished, on
/// the VM (register code, or stack code with `stack_mode`), and compares
/// exit status, standard output and the uncaught exception.
pub fn compare_vm(code: &Arc<CodeObject>, fuel: u64, stack_mode: bool) -> VmVerdict {
    let spec = match observe(code, fuel, false) {
        Ok(o) => o,
        Err(_) => return VmVerdict::Skipped,
    };
    let Outcome::Exited(status) = spec.outcome else {
        return VmVerdict::Skipped;
    };
    let c = code.clone();
    let joined = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || {
            let vm = pyreg_vm::Vm::new(translate, Default::default());
            let vm = if stack_mode { vm.stack_mode() } else { vm };
            vm.run_main(&c)
        })
        .map_err(|e| e.to_string())
        .and_then(|t| t.join().map_err(|_| "the VM panicked".to_string()));
    let f = match joined {
        Ok(Ok(f)) => f,
        Ok(Err(gap)) => return VmVerdict::Gap(gap),
        Err(e) => return VmVerdict::Differ(e),
    };
    let vm = Observation {
        outcome: Outcome::Exited(f.status),
        stdout: String::from_utf8_lossy(&f.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&f.stderr).into_owned(),
    };
    if status == f.status
        && spec.stdout == vm.stdout
        && exception_line(&spec.stderr) == exception_line(&vm.stderr)
    {
        return VmVerdict::Same;
    }
    let (a, b) = (render(&spec), render(&vm));
    let engine = if stack_mode { "vm-stack" } else { "vm" };
    VmVerdict::Differ(
        TextDiff::from_lines(&a, &b)
            .unified_diff()
            .header("spec-stack", engine)
            .to_string(),
    )
}
