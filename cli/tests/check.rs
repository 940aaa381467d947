//! `pyreg check`: the differential oracle as a command. Each test runs the
//! binary and checks its exit status and its lines, one per engine pair.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyreg"))
        .arg("check")
        .args(args)
        .current_dir(repo())
        .output()
        .expect("pyreg runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A program in a fresh directory of the target folder.
fn program(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("written");
    p
}

const ALL_SAME: &str = "spec-stack vs spec-reg: same
spec-stack vs vm: same
spec-stack vs vm-stack: same
";

#[test]
fn corpus_programs_agree_on_every_engine() {
    for name in [
        "001_int_arith",
        "004_list_ops",
        "016_build_collections",
        "047_iter_next",
    ] {
        let o = check(&[&format!("tests/programs/{name}.py")]);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{name}:\n{out}");
        assert!(
            out.starts_with("spec-stack: exit status 0,") && out.ends_with(ALL_SAME),
            "{name}:\n{out}"
        );
    }
}

#[test]
fn final_globals_of_every_kind_agree() {
    let p = program(
        "globals.py",
        r#"
import math
class Point:
    def __init__(self, x):
        self.x = x
def f(): return 1
n, big, neg = 7, 2 ** 100, -3
x, y, z = 1.5, -0.0, 1e308 * 10
s, t = "héllo\n", ("a", (1,), [])
l = [1, [2, [3]], {"k": (None, True)}]
l.append(l)
d = {3: "c", 1: "a", (1, 2): {4, 1, 3}}
d["self"] = d
fs = frozenset({"b", "a"})
empty = set()
p = Point(2)
it = zip([1], [2]); list(it)
e = enumerate("ab")
g = (i for i in range(3))
print(len(l), len(d))
"#,
    );
    let o = check(&["--globals", p.to_str().expect("utf-8 path")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    // 16 bound names and `__name__` and `__doc__`; `math`, `Point` and
    // `f` are left out.
    let expected = r#"spec-stack: exit status 0, 1 lines of output, 18 globals
  __doc__ = None
  __name__ = '__main__'
  big = 1267650600228229401496703205376
  d = {3: 'c', 1: 'a', (1, 2): {1, 3, 4}, 'self': {...}}
  e = <enumerate>
  empty = set()
  fs = frozenset({'a', 'b'})
  g = <generator>
  it = <zip>
  l = [1, [2, [3]], {'k': (None, True)}, [...]]
  n = 7
  neg = -3
  p = <Point>
  s = 'héllo\n'
  t = ('a', (1,), [])
  x = 1.5
  y = -0.0
  z = inf
"#;
    assert_eq!(out, format!("{expected}{ALL_SAME}"));
}

#[test]
fn different_globals_are_a_difference_with_a_diff() {
    // `id()` is an address in CPython and a different number on each
    // engine: the output agrees, the final globals do not.
    let p = program("ids.py", "k = [1]\nx = id(k)\nprint('ok')\n");
    let o = check(&[p.to_str().expect("utf-8 path")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("spec-stack vs spec-reg: same\n"), "{out}");
    assert!(out.contains("spec-stack vs vm: differ\n"), "{out}");
    assert!(out.contains("--- spec-stack\n+++ vm\n"), "{out}");
    assert!(
        out.lines().any(|l| l.starts_with("-x = ")) && out.lines().any(|l| l.starts_with("+x = ")),
        "{out}"
    );
    assert!(!out.contains("\n-ok") && !out.contains("\n+ok"), "{out}");
}

#[test]
fn gaps_and_exhaustion_are_reported_not_failures() {
    // The VM cannot tell whether two equal floats are one object (a named
    // gap); if it learns to, pick another construct it lacks.
    let p = program("gap.py", "c = 1.5\nprint(c is c)\n");
    let o = check(&[p.to_str().expect("utf-8 path")]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("spec-stack vs spec-reg: same\n"), "{out}");
    assert!(
        out.contains("spec-stack vs vm: gap: vm: unsupported"),
        "{out}"
    );

    let o = check(&["--fuel", "10", "tests/programs/001_int_arith.py"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.starts_with("spec-stack: exhausted (out of fuel)"),
        "{out}"
    );
    assert!(
        out.contains("spec-stack vs spec-reg: same (both exhausted at the same point)\n"),
        "{out}"
    );
    assert!(out.contains("spec-stack vs vm: poisoned ("), "{out}");
}

#[test]
fn programs_that_do_not_compile_exit_2_with_a_message() {
    let o = check(&["tests/programs/no_such_program.py"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));

    let p = program("syntax.py", "x = (\n");
    let o = check(&[p.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("SyntaxError"), "{err}");
    assert!(stdout(&o).is_empty());
}
