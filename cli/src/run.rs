//! `pyreg run`: loading a program with the modules it imports and running
//! it on an engine.

use crate::load::load_program;
use pyreg_frontend::bridge::compile_file;
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

/// The program, the sources for its tracebacks, and the `.py` modules beside
/// it that it imports (transitively).
fn gather(program: &Path) -> Result<(Arc<CodeObject>, Program), String> {
    let code = load_program(program).map_err(|e| e.to_string())?;
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
        let m = compile_file(&shown).map_err(|e| e.to_string())?;
        if let Ok(src) = std::fs::read_to_string(&file) {
            p.sources.insert(shown.display().to_string(), src);
        }
        imported_names(&m, &mut todo);
        p.modules.insert(name, m);
    }
    Ok((code, p))
}

/// The translator as the register machine takes it.
pub fn translate_for_machine(code: &Arc<CodeObject>) -> Result<pyreg_spec::reg::RegCode, String> {
    pyreg_translator::translate(code).map_err(|e| e.to_string())
}

/// Runs `program` on spec-stack (`register`: false) or spec-reg and exits
/// as CPython would; with `stats`, reports the instructions executed and
/// their rate on standard error.
pub fn run_spec(program: &Path, args: Vec<String>, stats: bool, register: bool) -> ExitCode {
    let (code, mut p) = match gather(program) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    p.argv = std::iter::once(program.display().to_string())
        .chain(args)
        .collect();
    if register {
        p.translator = Some(translate_for_machine);
    }
    let engine = if register { "spec-reg" } else { "spec-stack" };
    let worker = std::thread::Builder::new()
        .stack_size(INTERPRETER_STACK)
        .spawn(move || {
            let m = Machine::new(&code, p, DEFAULT_FUEL)?;
            let start = std::time::Instant::now();
            let (outcome, output, executed) = m.run_counted();
            Ok::<_, String>((outcome, output, executed, start.elapsed()))
        });
    let result = match worker.map(|h| h.join()) {
        Ok(Ok(Ok(r))) => r,
        Ok(Ok(Err(e))) => {
            eprintln!("pyreg: cannot start the program: {e}");
            return ExitCode::from(EXIT_STUCK);
        }
        _ => {
            eprintln!("pyreg: the interpreter thread failed");
            return ExitCode::from(EXIT_STUCK);
        }
    };
    let (outcome, output, executed, elapsed) = result;
    let stdout: Vec<u8> = output.stdout.iter().copied().collect();
    let stderr: Vec<u8> = output.stderr.iter().copied().collect();
    let _ = std::io::stdout().write_all(&stdout);
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(&stderr);
    if stats {
        let secs = elapsed.as_secs_f64();
        eprintln!(
            "pyreg stats: {engine} executed {executed} instructions in {secs:.3} s ({:.0} instructions/s)",
            executed as f64 / secs.max(1e-9)
        );
    }
    match outcome {
        Outcome::Exited(code) => ExitCode::from(code.clamp(0, 255) as u8),
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
