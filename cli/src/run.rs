//! `pyreg run`: loading a program with the modules it imports and running
//! it on an engine.

use crate::load::{compile_with, load_program_with, SourceCompiler};
use pyreg_spec::code::CodeObject;
use pyreg_spec::decode::decode;
use pyreg_spec::interp::driver::{Program, DEFAULT_FUEL};
use pyreg_spec::interp::{Machine, Outcome};
use pyreg_spec::opcode::Opcode;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Exit status when a run is exhausted (fuel or memory).
const EXIT_EXHAUSTED: u8 = 125;
/// Exit status when execution got stuck (a bug or an unsupported feature).
const EXIT_STUCK: u8 = 70;

/// The stack the interpreter thread gets: nested calls from native code
/// (dunder methods, key functions) recurse on it up to the recursion limit.
const INTERPRETER_STACK: usize = 1 << 30;

/// Names imported anywhere in `code` (the operands of `IMPORT_NAME`).
fn imported_names(code: &Arc<CodeObject>, out: &mut Vec<String>) {
    for c in code.walk() {
        let Ok(instructions) = decode(&c.code) else {
            continue;
        };
        for ins in instructions {
            if ins.opcode == Opcode::ImportName {
                if let Some(n) = c.names.get(ins.arg as usize) {
                    out.push(n.to_string_lossy());
                }
            }
        }
    }
}

/// Why a program did not start: the message, and the exit status (1 for a
/// syntax error, as CPython exits).
pub struct NotStarted {
    /// What to print on standard error.
    pub message: String,
    /// The exit status.
    pub status: u8,
}

impl From<crate::load::LoadError> for NotStarted {
    fn from(e: crate::load::LoadError) -> NotStarted {
        NotStarted {
            status: e.status(),
            message: e.to_string(),
        }
    }
}

impl From<String> for NotStarted {
    fn from(message: String) -> NotStarted {
        NotStarted {
            message,
            status: EXIT_STUCK,
        }
    }
}

/// The program, the sources for its tracebacks, and the `.py` modules beside
/// it that it imports (transitively), compiled with `compiler`.
pub(crate) fn gather(
    program: &Path,
    compiler: SourceCompiler,
) -> Result<(Arc<CodeObject>, Program), NotStarted> {
    let code = load_program_with(program, compiler)?;
    let dir = program.parent().unwrap_or(Path::new("."));
    let mut p = Program::default();
    if let Ok(src) = std::fs::read_to_string(program) {
        p.sources.insert(program.display().to_string(), src);
    }
    let mut todo = Vec::new();
    imported_names(&code, &mut todo);
    while let Some(name) = todo.pop() {
        if p.modules.contains_key(&name) {
            continue;
        }
        let file = dir.join(format!("{name}.py"));
        if !file.is_file() {
            continue;
        }
        let shown = if dir == Path::new("") || dir == Path::new(".") {
            Path::new(&format!("{name}.py")).to_path_buf()
        } else {
            file.clone()
        };
        let m = compile_with(compiler, &file, &shown)?;
        if let Ok(src) = std::fs::read_to_string(&file) {
            p.sources.insert(shown.display().to_string(), src);
        }
        imported_names(&m, &mut todo);
        p.modules.insert(name, m);
    }
    Ok((code, p))
}

/// The code objects of `program` and of the modules beside it that it
/// imports.
pub fn gather_code(program: &Path) -> Result<Vec<Arc<CodeObject>>, String> {
    let (code, p) = gather(program, SourceCompiler::Cpython).map_err(|e| e.message)?;
    let mut all = vec![code];
    let mut names: Vec<&String> = p.modules.keys().collect();
    names.sort();
    all.extend(names.into_iter().filter_map(|n| p.modules.get(n).cloned()));
    Ok(all)
}

/// The code objects of `program` and of the modules beside it that it
/// imports, compiled with `compiler`.
pub fn gather_code_with(
    program: &Path,
    compiler: SourceCompiler,
) -> Result<Vec<Arc<CodeObject>>, String> {
    let (code, p) = gather(program, compiler).map_err(|e| e.message)?;
    let mut all = vec![code];
    let mut names: Vec<&String> = p.modules.keys().collect();
    names.sort();
    all.extend(names.into_iter().filter_map(|n| p.modules.get(n).cloned()));
    Ok(all)
}

/// The translator as the register machine takes it.
pub fn translate_for_machine(code: &Arc<CodeObject>) -> Result<pyreg_spec::reg::RegCode, String> {
    let rc = pyreg_translator::translate(code).map_err(|e| e.to_string())?;
    // spec-reg is the reference for register code: it runs only
    // translations the validator has proved to simulate the stack code.
    pyreg_proofs::validator::validate(&rc).map_err(|e| format!("translation validator: {e}"))?;
    Ok(rc)
}

/// What one run of a program produced.
pub struct Finished {
    /// How it ended.
    pub outcome: Outcome,
    /// Its standard output.
    pub stdout: Vec<u8>,
    /// Its standard error.
    pub stderr: Vec<u8>,
    /// Instructions executed.
    pub executed: u64,
    /// Executed instructions by opcode, when profiled.
    pub profile: std::collections::BTreeMap<&'static str, u64>,
    /// Wall time of the run proper.
    pub elapsed: std::time::Duration,
}

/// Loads `program` with its modules and runs it on spec-stack
/// (`register`: false) or spec-reg, on a thread with a large stack.
pub fn execute(
    program: &Path,
    args: Vec<String>,
    register: bool,
    profile: bool,
) -> Result<Finished, String> {
    execute_with(program, args, register, profile, SourceCompiler::Cpython).map_err(|e| e.message)
}

/// [`execute`] with the source compiled by `compiler`.
pub fn execute_with(
    program: &Path,
    args: Vec<String>,
    register: bool,
    profile: bool,
    compiler: SourceCompiler,
) -> Result<Finished, NotStarted> {
    let (code, mut p) = gather(program, compiler)?;
    p.argv = std::iter::once(program.display().to_string())
        .chain(args)
        .collect();
    if register {
        p.translator = Some(if compiler == SourceCompiler::NativeReg {
            crate::load::direct_for_machine
        } else {
            translate_for_machine
        });
    }
    let worker = std::thread::Builder::new()
        .stack_size(INTERPRETER_STACK)
        .spawn(move || {
            let mut m = Machine::new(&code, p, DEFAULT_FUEL)
                .map_err(|e| format!("pyreg: cannot start the program: {e}"))?;
            if profile {
                m.profile = Some(Default::default());
            }
            let start = std::time::Instant::now();
            let (outcome, output, executed, profile) = m.run_profiled();
            Ok::<_, String>(Finished {
                outcome,
                stdout: output.stdout.iter().copied().collect(),
                stderr: output.stderr.iter().copied().collect(),
                executed,
                profile: profile.unwrap_or_default(),
                elapsed: start.elapsed(),
            })
        });
    match worker.map(|h| h.join()) {
        Ok(Ok(r)) => r.map_err(NotStarted::from),
        _ => Err(NotStarted::from(
            "pyreg: the interpreter thread failed".to_string(),
        )),
    }
}

/// The exit status for an outcome, reporting exhaustion and stuck states.
pub fn exit_status(outcome: &Outcome) -> ExitCode {
    match outcome {
        Outcome::Exited(code) => ExitCode::from((*code).clamp(0, 255) as u8),
        Outcome::Exhausted(x) => {
            eprintln!("pyreg: run exhausted: {x}");
            ExitCode::from(EXIT_EXHAUSTED)
        }
        Outcome::Stuck(s) => {
            eprintln!("pyreg: stuck: {s}");
            ExitCode::from(EXIT_STUCK)
        }
    }
}

/// Runs `program` on spec-stack (`register`: false) or spec-reg and exits
/// as CPython would; with `stats`, reports the instructions executed and
/// their rate on standard error.
pub fn run_spec(
    program: &Path,
    args: Vec<String>,
    stats: bool,
    register: bool,
    compiler: SourceCompiler,
) -> ExitCode {
    let engine = if register { "spec-reg" } else { "spec-stack" };
    let r = match execute_with(program, args, register, false, compiler) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}", e.message);
            return ExitCode::from(e.status);
        }
    };
    let _ = std::io::stdout().write_all(&r.stdout);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(&r.stderr);
    if stats {
        let secs = r.elapsed.as_secs_f64();
        eprintln!(
            "pyreg stats: {engine} executed {} instructions in {secs:.3} s ({:.0} instructions/s)",
            r.executed,
            r.executed as f64 / secs.max(1e-9)
        );
    }
    exit_status(&r.outcome)
}

/// `pyreg run --engine vm`: the program on the VM (translated, validated
/// register code). Exit status 70 when the VM meets something it does not
/// implement yet, with the message naming it.
///
/// With `stack`, the VM runs the stack code itself (`--engine vm-stack`).
pub fn run_vm(program: &Path, stats: bool, compiler: SourceCompiler, stack: bool) -> ExitCode {
    let (code, p) = match gather(program, compiler) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{}", e.message);
            return ExitCode::from(e.status);
        }
    };
    let start = std::time::Instant::now();
    let sources = p.sources;
    let modules = p.modules;
    // The VM does not recurse for Python calls; the thread only keeps the
    // run off the main thread's stack like the other engines.
    let outcome = std::thread::Builder::new()
        .stack_size(INTERPRETER_STACK)
        .spawn(move || {
            let translate: pyreg_vm::Translator = if compiler == SourceCompiler::NativeReg {
                crate::load::direct_for_machine
            } else {
                translate_for_machine
            };
            let vm = pyreg_vm::Vm::new(translate, sources).with_modules(modules);
            let vm = if stack { vm.stack_mode() } else { vm };
            vm.run_main(&code)
        })
        .map_err(|e| e.to_string())
        .and_then(|t| {
            t.join()
                .map_err(|_| "vm: the interpreter panicked".to_string())
        });
    let finished = match outcome {
        Ok(Ok(f)) => f,
        Ok(Err(e)) | Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_STUCK);
        }
    };
    let _ = std::io::stdout().write_all(&finished.stdout);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(&finished.stderr);
    if stats {
        eprintln!(
            "pyreg stats: vm ran in {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
    ExitCode::from(finished.status as u8)
}
