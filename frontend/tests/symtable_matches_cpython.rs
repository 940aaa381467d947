//! The native symbol table against CPython 3.9's `symtable` module, for
//! every program of `tests/programs/`: the committed golden dumps
//! (`scripts/gen_symtable_golden.py --write tests/golden/symtable`) always,
//! and a live CPython 3.9 as well when one is found.

use pyreg_frontend::parse::parse_module;
use pyreg_frontend::symtable::{dump, SymbolTable};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn programs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/programs"))
        .expect("programs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    v.sort();
    v
}

fn ours(path: &Path) -> String {
    let src = std::fs::read_to_string(path).expect("source");
    let parsed = parse_module(&src, "x.py").expect("parses");
    match SymbolTable::build(&parsed.body, &parsed.lines) {
        Ok(t) => dump(&t),
        Err(e) => format!("error {}\n", e.msg),
    }
}

fn compare(name: &str, want: &str, got: &str, failures: &mut Vec<String>) {
    if want != got {
        let d = similar::TextDiff::from_lines(want, got)
            .unified_diff()
            .context_radius(2)
            .header("CPython 3.9", "pyreg")
            .to_string();
        failures.push(format!("{name}:\n{d}"));
    }
}

#[test]
fn symbol_tables_match_the_golden_dumps() {
    let mut failures = Vec::new();
    let progs = programs();
    assert!(progs.len() >= 150);
    for p in &progs {
        let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
        let want =
            std::fs::read_to_string(repo().join(format!("tests/golden/symtable/{stem}.symtable")))
                .expect("golden symtable: run scripts/gen_symtable_golden.py");
        compare(&stem, &want, &ours(p), &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn symbol_tables_match_live_cpython_when_present() {
    let Ok(python) = pyreg_frontend::bridge::find_python() else {
        eprintln!("no CPython 3.9: live comparison skipped (the golden test still ran)");
        return;
    };
    let progs = programs();
    let out = Command::new(python)
        .arg(repo().join("scripts/gen_symtable_golden.py"))
        .args(&progs)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut failures = Vec::new();
    let mut seen = 0;
    for chunk in text.split("=== ").filter(|c| !c.is_empty()) {
        let (path, want) = chunk.split_once('\n').expect("header");
        let path = PathBuf::from(path);
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        compare(&stem, want, &ours(&path), &mut failures);
        seen += 1;
    }
    assert_eq!(seen, progs.len());
    assert!(
        failures.is_empty(),
        "{} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
