//! Builders shared by the checkers' tests and the bounded exhaustive check:
//! hand-assembled code objects and the conformance corpus's committed
//! compilations (`tests/golden/dis/*.marshal`).

use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use pyreg_spec::opcode::Opcode;
use std::path::PathBuf;
use std::sync::Arc;

/// A code object named `f` running `ops` (each argument one byte), with
/// `args` parameters among `locals`, the given cells and constants, and
/// the names `g` and `attr`. With `function` false it has no flags (a
/// module body, as the reference machines start one).
pub fn code_object(
    ops: &[(Opcode, u32)],
    locals: &[&str],
    args: u32,
    cells: &[&str],
    consts: Vec<Constant>,
    stacksize: u32,
    function: bool,
) -> Arc<CodeObject> {
    let names = |xs: &[&str]| xs.iter().map(|n| PyStr::from(*n)).collect::<Vec<_>>();
    Arc::new(CodeObject {
        argcount: args,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals: locals.len() as u32,
        stacksize,
        flags: if function {
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
        names: names(&["g", "attr"]),
        varnames: names(locals),
        freevars: vec![],
        cellvars: names(cells),
        filename: PyStr::from("t.py"),
        name: PyStr::from("f"),
        firstlineno: 1,
        lnotab: Vec::new().into(),
    })
}

/// The function the checkers' tests assemble: `ops` with `args`
/// parameters among `locals`, one cell variable `c`, the constants `None`
/// and `1`.
pub fn function(ops: &[(Opcode, u32)], locals: &[&str], args: u32) -> Arc<CodeObject> {
    let consts = vec![Constant::None, Constant::Int(1.into())];
    code_object(ops, locals, args, &["c"], consts, 8, true)
}

/// The committed marshal files of the conformance corpus, sorted; with
/// `programs_only`, only the numbered programs (not their helper modules).
pub fn golden_marshals(programs_only: bool) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/dis");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.extension().is_some_and(|e| e == "marshal")
            && (!programs_only
                || p.file_name()
                    .is_some_and(|n| n.to_string_lossy().as_bytes()[0].is_ascii_digit()))
    });
    files.sort();
    files
}

/// Every code object (nested ones included) of the corpus's marshal
/// files, with the file it comes from. Panics on an unreadable file: the
/// files are committed test data.
pub fn golden_code_objects() -> Vec<(String, Arc<CodeObject>)> {
    let mut out = Vec::new();
    for p in golden_marshals(false) {
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let code = pyreg_frontend::marshal::load_code(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        for c in code.walk() {
            out.push((p.display().to_string(), c));
        }
    }
    out
}
