//! `pyreg dis` against `python3.9 -m dis`: byte-identical apart from the
//! addresses of code objects.
//!
//! The golden test needs no CPython: it disassembles the committed code
//! objects of the conformance corpus (scripts/gen_dis_golden.py). The live
//! test runs both commands on the corpus and on standard-library modules
//! when CPython 3.9 is present.

use pyreg_frontend::marshal::load_code;
use pyreg_spec::dis::disassemble_recursive;
use regex::Regex;
use similar::TextDiff;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Replaces every code-object address by one placeholder.
fn normalize(listing: &str) -> String {
    let re = Regex::new(r" at 0x[0-9a-f]+, file ").expect("valid regex");
    re.replace_all(listing, " at 0xADDR, file ").into_owned()
}

/// A readable diff of the first differences, for failure messages.
fn diff(expected: &str, actual: &str) -> String {
    TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(2)
        .header("python3.9 -m dis", "pyreg dis")
        .to_string()
        .lines()
        .take(60)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn golden_listings_of_the_corpus_match() {
    let dir = repo().join("tests/golden/dis");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/golden/dis exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "marshal"))
        .collect();
    entries.sort();
    for m in entries {
        let bytes = std::fs::read(&m).expect("readable golden code");
        let code = load_code(&bytes).unwrap_or_else(|e| panic!("{}: {e}", m.display()));
        let expected = std::fs::read_to_string(m.with_extension("dis")).expect("golden listing");
        let actual = disassemble_recursive(&code);
        let (e, a) = (normalize(&expected), normalize(&actual));
        if e != a {
            failures.push(format!("{}:\n{}", m.display(), diff(&e, &a)));
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} golden listings found");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn compare_live(python: &Path, dir: &Path, file: &str) -> Result<(), String> {
    let run = |cmd: &mut Command| {
        let out = cmd
            .current_dir(dir)
            .env("PYTHONHASHSEED", "0")
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let expected = run(Command::new(python).args(["-m", "dis", file]))?;
    let actual = run(Command::new(env!("CARGO_BIN_EXE_pyreg")).args(["dis", file]))?;
    let (e, a) = (normalize(&expected), normalize(&actual));
    if e == a {
        Ok(())
    } else {
        Err(diff(&e, &a))
    }
}

fn py_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .collect();
    names.sort();
    names
}

#[test]
fn live_listings_match_python_on_corpus_and_stdlib() {
    let Ok(python) = pyreg_frontend::bridge::find_python() else {
        eprintln!("CPython 3.9 not found: live dis comparison skipped");
        return;
    };
    let programs = repo().join("tests/programs");
    let mut targets: Vec<(PathBuf, String)> = py_files(&programs)
        .into_iter()
        .map(|n| (programs.clone(), n))
        .collect();
    let out = Command::new(&python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .expect("python runs");
    let stdlib = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    // Every third top-level module of the standard library.
    let mods: Vec<String> = py_files(&stdlib).into_iter().step_by(3).collect();
    let stdlib_count = mods.len();
    assert!(stdlib_count >= 50, "only {stdlib_count} stdlib modules");
    targets.extend(mods.into_iter().map(|n| (stdlib.clone(), n)));
    let mut failures = Vec::new();
    for (dir, file) in &targets {
        if let Err(d) = compare_live(&python, dir, file) {
            failures.push(format!("{}/{file}:\n{d}", dir.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} listings differ ({stdlib_count} stdlib modules):\n{}",
        failures.len(),
        targets.len(),
        failures.join("\n")
    );
}
