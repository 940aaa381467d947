//! The VM on hand-assembled modules: results, reference counting, and
//! recursion that ends in `RecursionError` without using the Rust stack.

use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use pyreg_spec::opcode::Opcode::{self, *};
use pyreg_vm::{Finished, Vm};
use std::collections::HashMap;
use std::sync::Arc;

fn code(
    ops: &[(Opcode, u32)],
    consts: Vec<Constant>,
    names: &[&str],
    locals: &[&str],
    args: u32,
) -> Arc<CodeObject> {
    let strs = |xs: &[&str]| xs.iter().map(|n| PyStr::from(*n)).collect::<Vec<_>>();
    Arc::new(CodeObject {
        argcount: args,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals: locals.len() as u32,
        stacksize: 8,
        flags: if args > 0 {
            flags::OPTIMIZED | flags::NEWLOCALS
        } else {
            0
        },
        code: ops
            .iter()
            .flat_map(|&(op, arg)| [op as u8, arg as u8])
            .collect::<Vec<u8>>()
            .into(),
        consts,
        names: strs(names),
        varnames: strs(locals),
        freevars: vec![],
        cellvars: vec![],
        filename: PyStr::from("t.py"),
        name: PyStr::from(if args > 0 { "f" } else { "<module>" }),
        firstlineno: 1,
        lnotab: Vec::new().into(),
    })
}

fn translate(c: &Arc<CodeObject>) -> Result<pyreg_spec::reg::RegCode, String> {
    pyreg_translator::translate(c).map_err(|e| e.to_string())
}

/// Runs on a thread with a small stack: Python calls must not recurse in
/// Rust.
fn run(module: Arc<CodeObject>) -> Finished {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || Vm::new(translate, HashMap::new()).run_main(&module))
        .expect("thread")
        .join()
        .expect("no panic")
        .expect("runs")
}

fn stdout(f: &Finished) -> String {
    String::from_utf8_lossy(&f.stdout).into_owned()
}

#[test]
fn ints_overflow_into_big_ints() {
    // print(4611686018427387904 + 4611686018427387904, 7 // -2, -7 % 3)
    let m = code(
        &[
            (LoadName, 0),
            (LoadConst, 0),
            (LoadConst, 0),
            (BinaryAdd, 0),
            (LoadConst, 1),
            (LoadConst, 2),
            (BinaryFloorDivide, 0),
            (LoadConst, 3),
            (LoadConst, 4),
            (BinaryModulo, 0),
            (CallFunction, 3),
            (PopTop, 0),
            (LoadConst, 5),
            (ReturnValue, 0),
        ],
        vec![
            Constant::Int((1i64 << 62).into()),
            Constant::Int(7.into()),
            Constant::Int((-2).into()),
            Constant::Int((-7).into()),
            Constant::Int(3.into()),
            Constant::None,
        ],
        &["print"],
        &[],
        0,
    );
    let f = run(m);
    assert_eq!(f.status, 0);
    assert_eq!(stdout(&f), "9223372036854775808 -4 2\n");
}

/// `for i in range(n): y = [i]`
fn loop_of_lists(n: i64) -> Arc<CodeObject> {
    code(
        &[
            (LoadName, 0),
            (LoadConst, 0),
            (CallFunction, 1),
            (GetIter, 0),
            (ForIter, 10),
            (StoreName, 1),
            (LoadName, 1),
            (BuildList, 1),
            (StoreName, 2),
            (JumpAbsolute, 8),
            (LoadConst, 1),
            (ReturnValue, 0),
        ],
        vec![Constant::Int(n.into()), Constant::None],
        &["range", "i", "y"],
        &[],
        0,
    )
}

#[test]
fn objects_are_freed_when_their_last_reference_goes() {
    let short = run(loop_of_lists(10));
    let long = run(loop_of_lists(100_000));
    assert_eq!(long.status, 0, "{}", String::from_utf8_lossy(&long.stderr));
    assert_eq!(
        long.live_objects, short.live_objects,
        "objects alive after 100,000 iterations vs after 10"
    );
}

#[test]
fn runaway_recursion_is_a_recursion_error() {
    // def f(n): return f(n + 1)
    // f(0)
    let f = code(
        &[
            (LoadGlobal, 0),
            (LoadFast, 0),
            (LoadConst, 1),
            (BinaryAdd, 0),
            (CallFunction, 1),
            (ReturnValue, 0),
        ],
        vec![Constant::None, Constant::Int(1.into())],
        &["f"],
        &["n"],
        1,
    );
    let m = code(
        &[
            (LoadConst, 0),
            (LoadConst, 1),
            (MakeFunction, 0),
            (StoreName, 0),
            (LoadName, 0),
            (LoadConst, 2),
            (CallFunction, 1),
            (PopTop, 0),
            (LoadConst, 3),
            (ReturnValue, 0),
        ],
        vec![
            Constant::Code(f),
            Constant::Str(PyStr::from("f")),
            Constant::Int(0.into()),
            Constant::None,
        ],
        &["f"],
        &[],
        0,
    );
    let out = run(m);
    assert_eq!(out.status, 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.ends_with("RecursionError: maximum recursion depth exceeded\n"),
        "{err}"
    );
}

#[test]
fn an_unsupported_feature_is_named() {
    // import os   (modules are not in the VM yet)
    let m = code(
        &[
            (LoadConst, 0),
            (LoadConst, 1),
            (ImportName, 0),
            (ReturnValue, 0),
        ],
        vec![Constant::Int(0.into()), Constant::None],
        &["os"],
        &[],
        0,
    );
    let e = std::thread::spawn(move || Vm::new(translate, HashMap::new()).run_main(&m))
        .join()
        .expect("no panic")
        .expect_err("unsupported");
    assert!(e.contains("unsupported import of module `os`"), "{e}");
}
