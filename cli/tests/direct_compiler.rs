//! Programs that exercise what the direct register compiler decides on its
//! own — values read from locals that an assignment stores, `:=`, unbound
//! and deleted locals, `return`/`break`/`continue` through `finally`,
//! `with` and handlers, starred calls and displays — run through
//! `pyreg run --frontend native-reg` on spec-reg and on the VM. Each must
//! print what CPython 3.9 printed (`cli/tests/direct/NAME.stdout`,
//! `.stderr`, `.status`, written by CPython 3.9 run in that folder with
//! `PYTHONHASHSEED=0`, the folder dropped from the file names of tracebacks) and what the native front end's translated code
//! prints.

use std::path::Path;
use std::process::Command;

/// Programs the VM does not run as CPython does, whatever the front end
/// (a gap of the VM, named): only the two front ends are compared there.
const VM_GAPS: &[(&str, &str)] = &[
    ("future_annotations", "functions have no `__annotations__`"),
    ("loops_annotations", "functions have no `__annotations__`"),
];

fn run(dir: &Path, file: &str, engine: &str, frontend: &str) -> (String, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .current_dir(dir)
        .args(["run", "--engine", engine, "--frontend", frontend, file])
        .output()
        .expect("pyreg runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1).to_string(),
    )
}

#[test]
fn directly_compiled_programs_match_cpython_and_the_translation() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/direct");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("folder")
        .filter_map(|e| {
            let n = e.ok()?.file_name().to_string_lossy().into_owned();
            // Modules the programs import start with `_`.
            n.strip_suffix(".py")
                .filter(|n| !n.starts_with('_'))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 3);
    for name in names {
        let file = format!("{name}.py");
        let read = |ext: &str| {
            std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).expect("golden output")
        };
        let want = (
            read("stdout"),
            read("stderr"),
            read("status").trim().to_string(),
        );
        for engine in ["spec-reg", "vm"] {
            let got = run(&dir, &file, engine, "native-reg");
            let gap = VM_GAPS.iter().find(|(n, _)| *n == name && engine == "vm");
            if gap.is_none() {
                assert_eq!(got, want, "{file} on {engine} through native-reg");
            }
            let translated = run(&dir, &file, engine, "native");
            assert_eq!(
                got, translated,
                "{file} on {engine}: native-reg and native differ"
            );
        }
    }
}
