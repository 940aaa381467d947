//! The conformance corpus on every engine that runs (spec-stack, spec-reg
//! and the VM): every program in `tests/programs/` must print the same
//! stdout and stderr and exit with the same status as CPython 3.9 did
//! (golden files from `scripts/gen_program_golden.py`).
//!
//! The code objects come from `tests/golden/dis/*.marshal` (CPython 3.9's
//! compilation of each file), so this test needs no CPython.
//!
//! `tests/programs/ENGINE.xfail` lists the programs that do not match yet
//! on that engine, one name per line. The test fails when a listed program starts to
//! match (take it off the list) as well as when an unlisted one does not.
//!
//! The same corpus also runs from pyreg's native front end
//! (`pyreg_frontend::compile`) instead of CPython's code objects, on
//! spec-stack and spec-reg, against `tests/programs/native-ENGINE.xfail`,
//! where every line is a program name followed by the reason it fails.

use pyreg_frontend::marshal::load_code;
use pyreg_spec::interp::driver::{Program, DEFAULT_FUEL};
use pyreg_spec::interp::{Machine, Outcome, Translator};
use similar::TextDiff;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What a run printed and how it ended.
#[derive(PartialEq, Eq)]
struct Observed {
    stdout: String,
    stderr: String,
    status: String,
}

/// An engine under test.
#[derive(Clone, Copy)]
enum Engine {
    /// A reference engine: spec-stack, or spec-reg with the translator.
    Spec(Option<Translator>),
    /// The VM on register code (`false`) or on stack code (`true`).
    Vm(bool),
}

/// Where the code objects come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// CPython 3.9's compilation, committed as marshal data.
    Golden,
    /// pyreg's native front end, compiling the source now.
    Native,
    /// pyreg's direct register compiler (`--frontend native-reg`): its
    /// register code is registered and taken by [`direct`].
    NativeReg,
}

/// The code object of program or module `stem`, or why there is none.
fn code_of(
    stem: &str,
    source: Source,
) -> Result<std::sync::Arc<pyreg_spec::code::CodeObject>, String> {
    match source {
        Source::Golden => {
            let bytes = std::fs::read(repo().join(format!("tests/golden/dis/{stem}.marshal")))
                .map_err(|e| e.to_string())?;
            load_code(&bytes).map_err(|e| e.to_string())
        }
        Source::Native => {
            let src = std::fs::read_to_string(repo().join(format!("tests/programs/{stem}.py")))
                .map_err(|e| e.to_string())?;
            pyreg_frontend::compile::compile_source(&src, &format!("{stem}.py"))
                .map_err(|e| e.to_string())
        }
        Source::NativeReg => {
            let src = std::fs::read_to_string(repo().join(format!("tests/programs/{stem}.py")))
                .map_err(|e| e.to_string())?;
            let p = pyreg_frontend::regcompile::compile_source_reg(&src, &format!("{stem}.py"))
                .map_err(|e| e.to_string())?;
            pyreg_frontend::regcompile::register(&p);
            Ok(p.code)
        }
    }
}

/// The register code of a code object compiled by the direct register
/// compiler, or the validated translation of a fallback's stack code.
fn direct(
    code: &std::sync::Arc<pyreg_spec::code::CodeObject>,
) -> Result<pyreg_spec::reg::RegCode, String> {
    match pyreg_frontend::regcompile::registered(code) {
        Some(rc) => Ok((*rc).clone()),
        None => validated(code),
    }
}

fn run_program(
    name: &str,
    modules: &HashMap<String, std::sync::Arc<pyreg_spec::code::CodeObject>>,
    engine: Engine,
    source: Source,
) -> Observed {
    let dir = repo().join("tests/programs");
    let code = match code_of(name, source) {
        Ok(c) => c,
        Err(e) => {
            return Observed {
                stdout: String::new(),
                stderr: e,
                status: "not compiled".into(),
            }
        }
    };
    let mut sources = HashMap::new();
    for entry in std::fs::read_dir(&dir).expect("programs") {
        let p = entry.expect("entry").path();
        if p.extension().is_some_and(|e| e == "py") {
            let file = p.file_name().expect("name").to_string_lossy().into_owned();
            sources.insert(file, std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
    let translator = match engine {
        Engine::Spec(t) => t,
        Engine::Vm(stack) => return run_vm(code, sources, modules.clone(), stack, source),
    };
    let program = Program {
        sources,
        modules: modules.clone(),
        argv: vec![format!("{name}.py")],
        translator,
    };
    let joined = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || Machine::new(&code, program, DEFAULT_FUEL).map(Machine::run))
        .expect("thread")
        .join();
    let Ok(started) = joined else {
        return Observed {
            stdout: String::new(),
            stderr: String::new(),
            status: "the interpreter panicked".into(),
        };
    };
    let (outcome, output) = started.expect("machine starts");
    let status = match outcome {
        Outcome::Exited(c) => c.to_string(),
        Outcome::Exhausted(x) => format!("exhausted: {x}"),
        Outcome::Stuck(s) => format!("stuck: {s}"),
    };
    Observed {
        stdout: String::from_utf8_lossy(&output.stdout.iter().copied().collect::<Vec<u8>>())
            .into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr.iter().copied().collect::<Vec<u8>>())
            .into_owned(),
        status,
    }
}

fn run_vm(
    code: std::sync::Arc<pyreg_spec::code::CodeObject>,
    sources: HashMap<String, String>,
    modules: HashMap<String, std::sync::Arc<pyreg_spec::code::CodeObject>>,
    stack: bool,
    source: Source,
) -> Observed {
    let translate: pyreg_vm::Translator = if source == Source::NativeReg {
        direct
    } else {
        validated
    };
    let joined = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || {
            let vm = pyreg_vm::Vm::new(translate, sources).with_modules(modules);
            let vm = if stack { vm.stack_mode() } else { vm };
            vm.run_main(&code)
        })
        .expect("thread")
        .join();
    match joined {
        Ok(Ok(f)) => Observed {
            stdout: String::from_utf8_lossy(&f.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&f.stderr).into_owned(),
            status: f.status.to_string(),
        },
        Ok(Err(e)) => Observed {
            stdout: String::new(),
            stderr: String::new(),
            status: format!("stuck: {e}"),
        },
        Err(_) => Observed {
            stdout: String::new(),
            stderr: String::new(),
            status: "the VM panicked".into(),
        },
    }
}

/// The translator as the VM takes it: validated translations only.
fn validated(
    code: &std::sync::Arc<pyreg_spec::code::CodeObject>,
) -> Result<pyreg_spec::reg::RegCode, String> {
    let rc = translate(code)?;
    pyreg_proofs::validator::validate(&rc).map_err(|e| e.to_string())?;
    Ok(rc)
}

fn expected(name: &str) -> Observed {
    let g = repo().join("tests/programs/golden");
    let read = |ext: &str| {
        std::fs::read_to_string(g.join(format!("{name}.{ext}"))).expect("golden output")
    };
    Observed {
        stdout: read("stdout"),
        stderr: read("stderr"),
        status: read("status").trim().to_string(),
    }
}

fn diff(engine: &str, what: &str, e: &str, a: &str) -> String {
    TextDiff::from_lines(e, a)
        .unified_diff()
        .context_radius(1)
        .header(
            &format!("{what} (CPython 3.9)"),
            &format!("{what} ({engine})"),
        )
        .to_string()
        .lines()
        .take(12)
        .collect::<Vec<_>>()
        .join("\n")
}

fn translate(
    code: &std::sync::Arc<pyreg_spec::code::CodeObject>,
) -> Result<pyreg_spec::reg::RegCode, String> {
    pyreg_translator::translate(code).map_err(|e| e.to_string())
}

#[test]
fn corpus_matches_cpython_on_spec_stack() {
    conformance("spec-stack", Engine::Spec(None), Source::Golden);
}

#[test]
fn corpus_matches_cpython_on_spec_reg() {
    conformance("spec-reg", Engine::Spec(Some(translate)), Source::Golden);
}

#[test]
fn corpus_matches_cpython_on_the_vm() {
    conformance("vm", Engine::Vm(false), Source::Golden);
}

#[test]
fn corpus_matches_cpython_on_the_vm_in_stack_mode() {
    conformance("vm-stack", Engine::Vm(true), Source::Golden);
}

#[test]
fn corpus_through_the_native_front_end_matches_cpython_on_spec_stack() {
    conformance("spec-stack", Engine::Spec(None), Source::Native);
}

#[test]
fn corpus_through_the_native_front_end_matches_cpython_on_spec_reg() {
    conformance("spec-reg", Engine::Spec(Some(translate)), Source::Native);
}

#[test]
fn corpus_through_the_direct_register_compiler_matches_cpython_on_spec_reg() {
    conformance("spec-reg", Engine::Spec(Some(direct)), Source::NativeReg);
}

#[test]
fn corpus_through_the_direct_register_compiler_matches_cpython_on_the_vm() {
    conformance("vm", Engine::Vm(false), Source::NativeReg);
}

fn conformance(engine: &str, runner: Engine, source: Source) {
    let list = match source {
        Source::Golden => format!("{engine}.xfail"),
        Source::Native => format!("native-{engine}.xfail"),
        Source::NativeReg => format!("native-reg-{engine}.xfail"),
    };
    let dir = repo().join("tests/programs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("programs")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py") && n.as_bytes().first().is_some_and(u8::is_ascii_digit))
        .map(|n| n.trim_end_matches(".py").to_string())
        .collect();
    names.sort();
    assert!(names.len() >= 150, "only {} programs", names.len());
    let lines: Vec<String> = std::fs::read_to_string(dir.join(&list))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    if source != Source::Golden {
        // Every entry of a native list says why the program fails.
        let bare: Vec<&String> = lines
            .iter()
            .filter(|l| l.split_once(char::is_whitespace).is_none())
            .collect();
        assert!(
            bare.is_empty(),
            "{list}: entries without a reason: {bare:?}"
        );
    }
    let xfail: BTreeSet<String> = lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap_or_default().to_string())
        .collect();
    let mut modules = HashMap::new();
    for entry in std::fs::read_dir(&dir).expect("programs") {
        let n = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(stem) = n.strip_suffix(".py") {
            if !stem.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                if let Ok(code) = code_of(stem, source) {
                    modules.insert(stem.to_string(), code);
                }
            }
        }
    }
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut passed = 0;
    for name in &names {
        let got = run_program(name, &modules, runner, source);
        let want = expected(name);
        let ok = got == want;
        if ok {
            passed += 1;
        }
        match (ok, xfail.contains(name)) {
            (true, true) => fixed.push(name.clone()),
            (false, false) => {
                let mut d = format!("{name}: status {} (expected {})\n", got.status, want.status);
                d.push_str(&diff(engine, "stdout", &want.stdout, &got.stdout));
                d.push('\n');
                d.push_str(&diff(engine, "stderr", &want.stderr, &got.stderr));
                unexpected.push(d);
            }
            _ => {}
        }
    }
    let through = match source {
        Source::Golden => "",
        Source::Native => " through the native front end",
        Source::NativeReg => " through the direct register compiler",
    };
    eprintln!(
        "{engine} conformance{through}: {passed} of {} programs match CPython 3.9",
        names.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} programs differ from CPython 3.9 on {engine}{through} and are not in {list}:\n{}",
        unexpected.len(),
        unexpected.join("\n\n")
    );
    assert!(
        fixed.is_empty(),
        "these programs now match CPython 3.9 on {engine}{through}: remove them from tests/programs/{list}: {}",
        fixed.join(" ")
    );
}
