//! The `pyreg` command line: exit statuses, messages and output formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn pyreg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("pyreg runs")
}

fn have_python() -> bool {
    pyreg_frontend::bridge::find_python().is_ok()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn run_parses_its_interface_and_runs_the_stack_mode() {
    let o = pyreg(&[
        "run",
        "--engine",
        "vm-stack",
        "--frontend",
        "cpython",
        "tests/programs/001_int_arith.py",
        "arg1",
        "--flag-for-the-program",
    ]);
    if !have_python() {
        eprintln!("CPython 3.9 not found: skipped");
        return;
    }
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/programs/golden/001_int_arith.stdout"),
    )
    .expect("golden");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), golden);
}

#[test]
fn the_vm_runs_a_program_and_names_what_it_lacks() {
    let o = pyreg(&[
        "run",
        "--engine",
        "vm",
        "--frontend",
        "cpython",
        "tests/programs/056_break_continue_finally.py",
    ]);
    if !have_python() {
        eprintln!("CPython 3.9 not found: skipped");
        return;
    }
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/programs/golden/056_break_continue_finally.stdout"),
    )
    .expect("golden");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), golden);
    let o = pyreg(&[
        "run",
        "--engine",
        "vm",
        "--frontend",
        "cpython",
        "tests/programs/007_comparisons.py",
    ]);
    assert_eq!(o.status.code(), Some(70), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("vm: unsupported `is` on two equal floats"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn native_reg_is_refused_by_a_stack_engine() {
    for engine in ["spec-stack", "vm-stack"] {
        let o = pyreg(&[
            "run",
            "--engine",
            engine,
            "--frontend",
            "native-reg",
            "tests/programs/001_int_arith.py",
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("register code, which the stack engine"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn native_reg_runs_on_the_register_engines() {
    let want = std::fs::read_to_string(repo().join("tests/programs/golden/001_int_arith.stdout"))
        .expect("golden output");
    for engine in ["spec-reg", "vm"] {
        let o = pyreg(&[
            "run",
            "--engine",
            engine,
            "--frontend",
            "native-reg",
            "tests/programs/001_int_arith.py",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(String::from_utf8_lossy(&o.stdout), want, "{engine}");
    }
}

#[test]
fn spec_stack_runs_a_program_and_passes_its_arguments() {
    if !have_python() {
        eprintln!("CPython 3.9 not found: skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("pyreg-cli-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("prog.py"),
        "import sys\nprint(sys.argv[1:], sum(range(10)))\nraise SystemExit(sys.argv[1])\n",
    )
    .expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args([
            "run",
            "--engine",
            "spec-stack",
            "--frontend",
            "cpython",
            "prog.py",
            "7",
            "--x",
        ])
        .current_dir(&dir)
        .output()
        .expect("pyreg runs");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "['7', '--x'] 45\n");
    assert_eq!(stderr(&o), "7\n");
    assert_eq!(o.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_rejects_an_unknown_engine_as_a_usage_error() {
    let o = pyreg(&["run", "--engine", "jit", "x.py"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid value 'jit'"), "{}", stderr(&o));
}

#[test]
fn dis_of_a_missing_file_fails_with_its_name() {
    let o = pyreg(&["dis", "no/such/file.py"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot read no/such/file.py"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn dis_of_a_pyc_needs_no_python() {
    let dir = std::env::temp_dir().join(format!("pyreg-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let stem = "001_int_arith";
    let golden = repo().join("tests/golden/dis");
    let mut pyc = vec![0x61, 0x0D, 0x0D, 0x0A];
    pyc.extend([0u8; 12]);
    pyc.extend(std::fs::read(golden.join(format!("{stem}.marshal"))).expect("golden code"));
    let path = dir.join(format!("{stem}.pyc"));
    std::fs::write(&path, pyc).expect("write pyc");
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args(["dis".as_ref(), path.as_os_str()])
        .env("PYREG_PYTHON", "/nonexistent/python3.9")
        .output()
        .expect("pyreg runs");
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = std::fs::read_to_string(golden.join(format!("{stem}.dis"))).expect("listing");
    assert_eq!(String::from_utf8_lossy(&o.stdout), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn dis_of_a_pyc_with_a_foreign_magic_names_the_version() {
    let dir = std::env::temp_dir().join(format!("pyreg-cli-magic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("old.pyc");
    // CPython 3.8's magic number, 3413.
    let mut pyc = vec![0x55, 0x0D, 0x0D, 0x0A];
    pyc.extend([0u8; 12]);
    std::fs::write(&path, pyc).expect("write pyc");
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args(["dis".as_ref(), path.as_os_str()])
        .output()
        .expect("pyreg runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("3.8"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_python_is_a_clear_error() {
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args(["dis", "tests/programs/001_int_arith.py"])
        .current_dir(repo())
        .env("PYREG_PYTHON", "/nonexistent/python3.9")
        .output()
        .expect("pyreg runs");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("no CPython 3.9 found"), "{err}");
    assert!(err.contains("/nonexistent/python3.9"), "{err}");
}

#[test]
fn syntax_errors_come_back_as_cpython_reports_them() {
    if !have_python() {
        eprintln!("CPython 3.9 not found: skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("pyreg-cli-syntax-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("bad.py"), "x = 1\nif x\n    pass\n").expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args(["dis", "bad.py"])
        .current_dir(&dir)
        .output()
        .expect("pyreg runs");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "  File \"bad.py\", line 2\n    if x\n        ^\nSyntaxError: invalid syntax\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn corpus_json_ends_with_the_counts() {
    if !have_python() {
        eprintln!("CPython 3.9 not found: skipped");
        return;
    }
    let o = pyreg(&["corpus", "--json", "tests/programs"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let last = out.lines().last().expect("output");
    let v: serde_json::Value = serde_json::from_str(last).expect("JSON last line");
    for key in [
        "files",
        "files_not_compiled",
        "code_objects",
        "loaded",
        "verified",
        "translated",
        "validated",
        "failures",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert!(v["files"].as_u64().unwrap() >= 50);
    assert_eq!(v["code_objects"], v["verified"]);
    assert_eq!(v["failures"].as_array().unwrap().len(), 0);
}

/// The native front end runs a program with no CPython anywhere: the
/// bridge is pointed at a file that does not exist.
#[test]
fn native_front_end_runs_without_cpython() {
    for engine in ["spec-stack", "spec-reg"] {
        let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
            .args([
                "run",
                "--engine",
                engine,
                "--frontend",
                "native",
                "tests/programs/035_closures_three_levels.py",
            ])
            .current_dir(repo())
            .env("PYREG_PYTHON", "/nonexistent/python3.9")
            .env("PATH", "/nonexistent")
            .output()
            .expect("pyreg runs");
        let want = std::fs::read_to_string(
            repo().join("tests/programs/golden/035_closures_three_levels.stdout"),
        )
        .expect("golden");
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            want,
            "{engine}: {}",
            stderr(&o)
        );
        assert_eq!(o.status.code(), Some(0), "{engine}");
    }
}

#[test]
fn native_front_end_reports_syntax_errors_as_cpython_does() {
    let dir = std::env::temp_dir().join(format!("pyreg-cli-syntax-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("bad.py"), "x = 1\ny = = 2\n").expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args([
            "run",
            "--engine",
            "spec-stack",
            "--frontend",
            "native",
            "bad.py",
        ])
        .current_dir(&dir)
        .output()
        .expect("pyreg runs");
    assert_eq!(
        stderr(&o),
        "  File \"bad.py\", line 2\n    y = = 2\n        ^\nSyntaxError: invalid syntax\n"
    );
    assert_eq!(o.status.code(), Some(1));
    std::fs::write(
        dir.join("aw.py"),
        "from __future__ import annotations\nx: f'{y}' = 1\n",
    )
    .expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args([
            "run",
            "--engine",
            "spec-stack",
            "--frontend",
            "native",
            "aw.py",
        ])
        .current_dir(&dir)
        .output()
        .expect("pyreg runs");
    assert_eq!(
        stderr(&o),
        "unsupported in native front end: this annotation form under \
         `from __future__ import annotations` at line 2\n"
    );
    assert_eq!(o.status.code(), Some(70));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `pyreg dis --frontend native` prints what `python3.9 -m dis` prints
/// (the committed golden listing), with no CPython involved.
#[test]
fn dis_through_the_native_front_end_matches_cpython() {
    let o = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .args([
            "dis",
            "--frontend",
            "native",
            "035_closures_three_levels.py",
        ])
        .current_dir(repo().join("tests/programs"))
        .env("PYREG_PYTHON", "/nonexistent/python3.9")
        .env("PATH", "/nonexistent")
        .output()
        .expect("pyreg runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want =
        std::fs::read_to_string(repo().join("tests/golden/dis/035_closures_three_levels.dis"))
            .expect("golden listing");
    // Code object addresses differ from run to run.
    let strip = |s: &str| {
        regex::Regex::new(r" at 0x[0-9a-f]+")
            .expect("regex")
            .replace_all(s, "")
            .into_owned()
    };
    assert_eq!(strip(&String::from_utf8_lossy(&o.stdout)), strip(&want));
}
