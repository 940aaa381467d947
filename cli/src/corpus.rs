//! `pyreg corpus`: compile, load and verify every module under some folders,
//! and count what passes each stage.

use indicatif::{ProgressBar, ProgressStyle};
use pyreg_frontend::bridge::{compile_files, BridgeError, Warnings};
use pyreg_spec::verify::verify_code;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// One failure: which file and code object, and why.
#[derive(Serialize)]
struct Failure {
    file: String,
    code_object: String,
    reason: String,
}

/// The counts `--json` prints.
#[derive(Serialize, Default)]
struct Summary {
    files: usize,
    files_not_compiled: usize,
    code_objects: usize,
    loaded: usize,
    verified: usize,
    translated: usize,
    reg_verified: usize,
    validated: usize,
    liveness_checked: usize,
    lingering_edges: usize,
    deref_checked: usize,
    cell_accesses: usize,
    failures_total: usize,
    failures: Vec<Failure>,
    seconds: f64,
}

/// Every `.py` file under `root` (or `root` itself), in a stable order.
/// Symbolic links to folders are not followed, so a link cycle cannot loop.
pub(crate) fn python_files(root: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(root)?;
    if meta.is_file() {
        out.push(root.to_path_buf());
        return Ok(());
    }
    if !meta.is_dir() {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let Ok(m) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if m.is_dir() {
            python_files(&p, out)?;
        } else if m.is_file() && p.extension().is_some_and(|e| e == "py") {
            out.push(p);
        }
    }
    Ok(())
}

/// Runs the corpus check and prints its summary.
pub fn run(roots: &[PathBuf], json: bool, max_failures: usize) -> ExitCode {
    let start = Instant::now();
    let mut files = Vec::new();
    for r in roots {
        if let Err(e) = python_files(r, &mut files) {
            eprintln!("pyreg corpus: cannot read {}: {e}", r.display());
            return ExitCode::FAILURE;
        }
    }
    let mut s = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut not_compiled = Vec::new();
    let fail = |s: &mut Summary, file: &Path, code: String, reason: String| {
        s.failures_total += 1;
        if s.failures.len() < max_failures {
            s.failures.push(Failure {
                file: file.display().to_string(),
                code_object: code,
                reason,
            });
        }
    };
    let outcome = compile_files(&files, Warnings::Ignore, |i, result| {
        bar.inc(1);
        let file = &files[i];
        match result {
            Ok(module) => {
                for code in module.walk() {
                    s.code_objects += 1;
                    s.loaded += 1;
                    match verify_code(&code) {
                        Ok(_) => s.verified += 1,
                        Err(e) => {
                            fail(&mut s, file, code.name.to_string_lossy(), e.to_string());
                            continue;
                        }
                    }
                    match pyreg_translator::translate(&code) {
                        Ok(rc) => {
                            s.translated += 1;
                            if let Err(e) = pyreg_spec::reg_verify::verify_reg(&rc) {
                                fail(&mut s, file, code.name.to_string_lossy(), e.to_string());
                                continue;
                            }
                            s.reg_verified += 1;
                            let name = code.name.to_string_lossy();
                            match pyreg_proofs::validator::validate(&rc) {
                                Ok(_) => s.validated += 1,
                                Err(e) => fail(&mut s, file, name.clone(), e.to_string()),
                            }
                            match pyreg_proofs::liveness::check_liveness(&rc) {
                                Ok(r) => {
                                    s.liveness_checked += 1;
                                    s.lingering_edges += r.lingering_edges;
                                }
                                Err(e) => fail(&mut s, file, name.clone(), e.to_string()),
                            }
                            match pyreg_proofs::deref::check_deref(&rc) {
                                Ok(n) => {
                                    s.deref_checked += 1;
                                    s.cell_accesses += n;
                                }
                                Err(e) => fail(&mut s, file, name, e.to_string()),
                            }
                        }
                        Err(e) => fail(&mut s, file, code.name.to_string_lossy(), e.to_string()),
                    }
                }
            }
            Err(e @ (BridgeError::Syntax(_) | BridgeError::Compile { .. })) => {
                s.files_not_compiled += 1;
                not_compiled.push(format!("{}: {}", file.display(), last_line(&e.to_string())));
            }
            Err(e) => fail(&mut s, file, "<module>".into(), e.to_string()),
        }
    });
    bar.finish_and_clear();
    if let Err(e) = outcome {
        eprintln!("pyreg corpus: {e}");
        return ExitCode::FAILURE;
    }
    s.seconds = start.elapsed().as_secs_f64();
    println!(
        "{} files ({} not compiled by CPython), {} code objects: {} loaded, {} verified, \
         {} translated, {} register-verified, {} validated, {} liveness-checked \
         ({} lingering edges), {} DEREF-checked ({} cell accesses), {} failures, in {:.1} s",
        s.files,
        s.files_not_compiled,
        s.code_objects,
        s.loaded,
        s.verified,
        s.translated,
        s.reg_verified,
        s.validated,
        s.liveness_checked,
        s.lingering_edges,
        s.deref_checked,
        s.cell_accesses,
        s.failures_total,
        s.seconds
    );
    for f in &s.failures {
        println!("FAIL {} [{}]: {}", f.file, f.code_object, f.reason);
    }
    if !json {
        for n in not_compiled.iter().take(max_failures) {
            println!("not compiled: {n}");
        }
    }
    if json {
        match serde_json::to_string(&s) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("pyreg corpus: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if s.failures_total > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn last_line(s: &str) -> String {
    s.lines().last().unwrap_or("").to_string()
}
