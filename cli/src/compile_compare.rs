//! `pyreg compile-compare`: how close the native front end is to CPython
//! 3.9. Every `.py` file under the given folders is compiled twice — by
//! CPython through the bridge and by the native compiler — and every code
//! object is compared; the headline figure is the share of CPython's code
//! objects whose instruction stream (opcode, argument) the native compiler
//! reproduces exactly.

use crate::corpus::python_files;
use pyreg_frontend::bridge::{compile_files, Warnings};
use pyreg_frontend::compare::compare;
use pyreg_frontend::compile::{compile_source, CompileError};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// The script printing CPython's symbol tables (`--symtables`).
const SYMTABLE_SCRIPT: &str = include_str!("../../scripts/gen_symtable_golden.py");

/// The counts `--json` prints.
#[derive(Serialize, Default)]
struct Summary {
    /// With `--symtables`: files whose symbol tables CPython's `symtable`
    /// module dumps, and how many of those the native table matches.
    symtable_files: usize,
    symtable_identical: usize,
    files: usize,
    /// Files CPython 3.9 itself does not compile (left out of the figures).
    cpython_rejected: usize,
    /// Files the native front end did not compile, by reason.
    native_failed: usize,
    native_failures: BTreeMap<String, usize>,
    /// Code objects of CPython's compilations.
    code_objects: usize,
    identical_streams: usize,
    identical_fields: usize,
    /// Native code objects the stack verifier rejects.
    verifier_rejected: usize,
    /// First differences, by (native, CPython) opcode pair.
    differences: BTreeMap<String, usize>,
    /// Up to `--examples` differing code objects, with the difference.
    examples: Vec<String>,
}

/// The reason class of a native failure, for the tally.
fn reason(e: &CompileError) -> String {
    match e {
        CompileError::Syntax(r) => format!("syntax error: {}", r.msg),
        CompileError::Unsupported { construct, .. } => format!("unsupported: {construct}"),
        CompileError::Internal(m) => format!("internal error: {m}"),
    }
}

/// The native symbol table of `path` as `symtable::dump` prints it, or
/// `None` when the file does not parse natively.
fn native_symtable(path: &std::path::Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let src = pyreg_frontend::parse::decode_source(&bytes).ok()?;
    let parsed = pyreg_frontend::parse::parse_module(&src, "x.py").ok()?;
    Some(
        match pyreg_frontend::symtable::SymbolTable::build(&parsed.body, &parsed.lines) {
            Ok(t) => pyreg_frontend::symtable::dump(&t),
            Err(e) => format!("error {}\n", e.msg),
        },
    )
}

/// Compares every file's symbol table with CPython's `symtable` module.
fn compare_symtables(files: &[PathBuf], s: &mut Summary, examples: usize) -> Result<(), String> {
    use std::io::Write;
    let python = pyreg_frontend::bridge::find_python().map_err(|e| e.to_string())?;
    let mut child = std::process::Command::new(python)
        .args(["-c", SYMTABLE_SCRIPT, "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .map_err(|e| e.to_string())?;
    let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    // Written from a thread: the child's output could fill its pipe first.
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = writer.join();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut chunks: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("=== ") {
            chunks.push((path.trim_end().to_string(), String::new()));
        } else if let Some(last) = chunks.last_mut() {
            last.1.push_str(line);
        }
    }
    for (path, want) in chunks {
        if want.starts_with("error ") {
            continue;
        }
        s.symtable_files += 1;
        let got = native_symtable(std::path::Path::new(&path));
        if got.as_deref() == Some(want.as_str()) {
            s.symtable_identical += 1;
        } else if s.examples.len() < examples {
            let first = match &got {
                Some(g) => g
                    .lines()
                    .zip(want.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("native `{a}`, CPython `{b}`"))
                    .unwrap_or_else(|| "lengths differ".into()),
                None => "not parsed natively".into(),
            };
            s.examples.push(format!("{path}: symbol table: {first}"));
        }
    }
    Ok(())
}

/// Runs the comparison and prints its summary.
pub fn run(roots: &[PathBuf], json: bool, examples: usize, symtables: bool) -> ExitCode {
    let mut files = Vec::new();
    for r in roots {
        if let Err(e) = python_files(r, &mut files) {
            eprintln!("pyreg compile-compare: cannot read {}: {e}", r.display());
            return ExitCode::FAILURE;
        }
    }
    let mut s = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let outcome = compile_files(&files, Warnings::Ignore, |i, result| {
        let file = &files[i];
        let Ok(cpython) = result else {
            s.cpython_rejected += 1;
            return;
        };
        let theirs = cpython.walk().len();
        s.code_objects += theirs;
        let native = match std::fs::read(file).map(|b| pyreg_frontend::parse::decode_source(&b)) {
            Ok(Ok(src)) => {
                let name = file.display().to_string();
                // A panic in the compiler comes back as CompileError::Internal.
                compile_source(&src, &name).map_err(|e| reason(&e))
            }
            Ok(Err(why)) => Err(format!("unsupported: {why}")),
            Err(e) => Err(format!("unreadable: {e}")),
        };
        let native = match native {
            Ok(n) => n,
            Err(why) => {
                if s.examples.len() < examples {
                    s.examples.push(format!("{}: {why}", file.display()));
                }
                s.native_failed += 1;
                *s.native_failures.entry(why).or_default() += 1;
                return;
            }
        };
        for c in native.walk() {
            if pyreg_spec::verify::verify(&c).is_err() {
                s.verifier_rejected += 1;
            }
        }
        for c in compare(&native, &cpython) {
            s.identical_streams += usize::from(c.identical_stream);
            s.identical_fields += usize::from(c.identical_fields);
            if let Some(d) = c.difference {
                let key = d
                    .split_once(": ")
                    .map_or(d.clone(), |(_, rest)| rest.to_string());
                let key: String = key
                    .replace(|ch: char| ch.is_ascii_digit(), "")
                    .chars()
                    .take(90)
                    .collect();
                *s.differences.entry(key).or_default() += 1;
                if s.examples.len() < examples {
                    s.examples
                        .push(format!("{}: {}: {d}", file.display(), c.name));
                }
            }
        }
    });
    if let Err(e) = outcome {
        eprintln!("pyreg compile-compare: {e}");
        return ExitCode::FAILURE;
    }
    if symtables {
        if let Err(e) = compare_symtables(&files, &mut s, examples) {
            eprintln!("pyreg compile-compare: symbol tables: {e}");
            return ExitCode::FAILURE;
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / s.code_objects.max(1) as f64;
    if json {
        println!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    println!(
        "files: {} ({} rejected by CPython 3.9, {} not compiled natively)",
        s.files, s.cpython_rejected, s.native_failed
    );
    for (why, n) in &s.native_failures {
        println!("  {n:6}  {why}");
    }
    println!(
        "code objects: {}; identical instruction streams: {} ({:.2}%); identical in every field: {} ({:.2}%); rejected by the verifier: {}",
        s.code_objects,
        s.identical_streams,
        pct(s.identical_streams),
        s.identical_fields,
        pct(s.identical_fields),
        s.verifier_rejected
    );
    if symtables {
        println!(
            "symbol tables identical to CPython's symtable module: {} of {} files ({:.2}%)",
            s.symtable_identical,
            s.symtable_files,
            100.0 * s.symtable_identical as f64 / s.symtable_files.max(1) as f64
        );
    }
    let mut diffs: Vec<(&String, &usize)> = s.differences.iter().collect();
    diffs.sort_by(|a, b| b.1.cmp(a.1));
    if !diffs.is_empty() {
        println!("most frequent first differences:");
        for (d, n) in diffs.iter().take(15) {
            println!("  {n:6}  {d}");
        }
    }
    for e in &s.examples {
        println!("  {e}");
    }
    ExitCode::SUCCESS
}
