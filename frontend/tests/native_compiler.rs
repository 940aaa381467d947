//! The native compiler against CPython 3.9's own compilation of the
//! conformance corpus (`tests/golden/dis/*.marshal`, from
//! `scripts/gen_dis_golden.py`): every code object must pass the stack
//! verifier and match CPython's field for field (instruction stream, stack
//! size, flags, line table, names).

use proptest::prelude::*;
use pyreg_frontend::compare::compare;
use pyreg_frontend::compile::{compile_source, CompileError};
use pyreg_frontend::marshal::load_code;
use std::path::{Path, PathBuf};

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

#[test]
fn corpus_compiles_exactly_as_cpython_does() {
    let mut failures = Vec::new();
    let mut objects = 0;
    for p in programs() {
        let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
        let file = p.file_name().expect("name").to_string_lossy().into_owned();
        let src = std::fs::read_to_string(&p).expect("source");
        let golden = load_code(
            &std::fs::read(repo().join(format!("tests/golden/dis/{stem}.marshal")))
                .expect("golden code"),
        )
        .expect("golden loads");
        let code = match compile_source(&src, &file) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{stem}: {e}"));
                continue;
            }
        };
        for c in code.walk() {
            if let Err(e) = pyreg_spec::verify::verify(&c) {
                failures.push(format!("{stem}: verifier: {e}"));
            }
        }
        for c in compare(&code, &golden) {
            objects += 1;
            if let Some(d) = c.difference {
                failures.push(format!("{stem}: {}: {d}", c.name));
            }
        }
    }
    assert!(objects > 1500, "only {objects} code objects compared");
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn syntax_errors_are_reported_as_cpython_does() {
    let e = compile_source("def f(:\n  pass\n", "x.py").expect_err("syntax error");
    assert!(matches!(e, CompileError::Syntax(_)));
    assert_eq!(
        e.to_string(),
        "  File \"x.py\", line 1\n    def f(:\n          ^\nSyntaxError: invalid syntax"
    );
    let e = compile_source("x = 1\nreturn x\n", "x.py").expect_err("return at module level");
    assert!(
        e.to_string()
            .ends_with("SyntaxError: 'return' outside function"),
        "{e}"
    );
    let e = compile_source("def f():\n    nonlocal q\n", "x.py").expect_err("nonlocal");
    assert!(
        e.to_string().contains("no binding for nonlocal 'q' found"),
        "{e}"
    );
}

#[test]
fn unsupported_constructs_name_themselves_and_their_line() {
    let src = "from __future__ import annotations\nimport os\n\nx: f'{os}' = 1\n";
    let e = compile_source(src, "x.py").expect_err("f-string annotation");
    assert_eq!(
        e.to_string(),
        "unsupported in native front end: this annotation form under \
         `from __future__ import annotations` at line 4"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Any prefix or splice of corpus programs, and arbitrary text, gives
    /// a code object or an error, never a panic.
    #[test]
    fn never_panics(cut in 0usize..4000, noise in "[ -~\\n\\t]{0,40}", pick in 0usize..200) {
        let progs = programs();
        let src = std::fs::read_to_string(&progs[pick % progs.len()]).expect("source");
        let mut cut = cut.min(src.len());
        while !src.is_char_boundary(cut) {
            cut -= 1;
        }
        let spliced = format!("{}{}{}", &src[..cut], noise, &src[cut..]);
        let _ = compile_source(&spliced, "x.py");
        let _ = compile_source(&src[..cut], "x.py");
        let _ = compile_source(&noise, "x.py");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("x = {}1\n", "-".repeat(100_000));
    let e = compile_source(&deep, "x.py").expect_err("too deep");
    assert!(
        e.to_string()
            .contains("maximum recursion depth exceeded during compilation"),
        "{e}"
    );
    // A long flat chain within the limit compiles.
    let long = format!("x = 1{}\n", " + 1".repeat(5_000));
    compile_source(&long, "x.py").expect("compiles");
}

#[test]
fn lone_surrogates_survive_the_parser() {
    use pyreg_spec::code::Constant;
    let code = compile_source("x = ('a\\udc80' 'b')\ny = r'\\udc80'\n", "x.py").expect("compiles");
    let strs: Vec<Vec<u32>> = code
        .consts
        .iter()
        .filter_map(|c| match c {
            Constant::Str(s) => Some(s.code_points()),
            _ => None,
        })
        .collect();
    assert!(strs.contains(&vec![0x61, 0xdc80, 0x62]), "{strs:?}");
    assert!(
        strs.contains(&"\\udc80".chars().map(u32::from).collect::<Vec<_>>()),
        "{strs:?}"
    );
}

/// The parser accepts any expression as a target; the compiler refuses
/// what CPython's grammar refuses, with CPython's message.
#[test]
fn invalid_targets_are_cpythons_syntax_errors() {
    for (src, msg) in [
        ("f() = 1\n", "cannot assign to function call"),
        ("None = 1\n", "cannot assign to None"),
        ("x + 1 = 2\n", "cannot assign to operator"),
        ("del f()\n", "cannot delete function call"),
        (
            "[a, b] += 1\n",
            "'list' is an illegal expression for augmented assignment",
        ),
        ("__debug__ = 1\n", "cannot assign to __debug__"),
        ("for f() in x: pass\n", "cannot assign to function call"),
        ("[x for 1 in y]\n", "cannot assign to literal"),
        (
            "with a as (b, c()): pass\n",
            "cannot assign to function call",
        ),
    ] {
        let e = compile_source(src, "x.py").expect_err(src);
        assert!(
            matches!(e, CompileError::Syntax(_))
                && e.to_string().ends_with(&format!("SyntaxError: {msg}")),
            "{src:?}: {e}"
        );
    }
}
