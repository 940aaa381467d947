//! The bodies of the cargo-fuzz targets: each takes arbitrary bytes and must
//! never panic, whatever the bytes are.

use pyreg_frontend::{marshal, pyc};
use pyreg_spec::{dis, verify};

/// `cargo fuzz run marshal`: arbitrary bytes through the marshal and `.pyc`
/// loaders; whatever loads is verified, and whatever the verifier accepts or
/// rejects is also disassembled (the listing must cope with ill-formed code).
pub fn marshal(data: &[u8]) {
    let _ = marshal::loads(data);
    let _ = pyc::load_pyc(data);
    if let Ok(code) = marshal::load_code(data) {
        for c in code.walk() {
            let _ = verify::verify_code(&c);
            let _ = dis::disassemble(&c);
        }
    }
}

/// `cargo fuzz run verifier`: arbitrary bytes as the wordcode of an otherwise
/// plausible code object; the verifier must answer without panicking.
pub fn verifier(data: &[u8]) {
    let obj = plausible_code(data);
    let _ = verify::verify_code(&obj);
    let _ = dis::disassemble(&obj);
}

/// `cargo fuzz run translator`: arbitrary wordcode, and whatever the marshal
/// loader accepts. Every code object the stack verifier accepts must
/// translate, and its register code must pass the register verifier, the
/// translation validator and the liveness and DEREF checkers: a failure is
/// a translator bug, reported by panicking with the reason.
pub fn translator(data: &[u8]) {
    let check = |c: &std::sync::Arc<pyreg_spec::code::CodeObject>| {
        if verify::verify_code(c).is_err() {
            return;
        }
        let rc = match pyreg_translator::translate(c) {
            Ok(rc) => rc,
            Err(e) => panic!("verified code does not translate: {e}"),
        };
        if let Err(e) = pyreg_spec::reg_verify::verify_reg(&rc) {
            panic!("translated code fails the register verifier: {e}");
        }
        if let Err(e) = crate::validator::validate(&rc) {
            panic!("translated code fails the translation validator: {e}");
        }
        if let Err(e) = crate::liveness::check_liveness(&rc) {
            panic!("translated code fails the liveness checker: {e}");
        }
        if let Err(e) = crate::deref::check_deref(&rc) {
            panic!("translated code fails the DEREF checker: {e}");
        }
        let _ = pyreg_spec::reg::listing(&rc);
    };
    // Whatever loads as a module runs on both reference engines, which
    // must agree (with little fuel, so that loops end quickly).
    let compare = |c: &std::sync::Arc<pyreg_spec::code::CodeObject>| {
        if pyreg_translator::translate_all(c).is_err() {
            return;
        }
        if let crate::oracle::Verdict::Differ(d) = crate::oracle::compare_engines(c, 300) {
            panic!("spec-stack and spec-reg differ:\n{d}");
        }
    };
    check(&std::sync::Arc::new(plausible_code(data)));
    if let Ok(code) = marshal::load_code(data) {
        for c in code.walk() {
            check(&c);
        }
        compare(&code);
    }
}

/// A code object with `data` as its wordcode (after a 4-byte header that
/// picks the counts), plausible enough for the verifier to look inside.
fn plausible_code(data: &[u8]) -> pyreg_spec::code::CodeObject {
    use pyreg_spec::code::{CodeObject, Constant, PyStr};
    let (header, code) = data.split_at(data.len().min(4));
    let h = |i: usize| u32::from(header.get(i).copied().unwrap_or(0));
    let names = |n: u32, p: &str| -> Vec<PyStr> {
        (0..n)
            .map(|i| PyStr::from(format!("{p}{i}").as_str()))
            .collect()
    };
    let nlocals = h(0) % 4;
    CodeObject {
        argcount: h(1) % 3,
        posonlyargcount: 0,
        kwonlyargcount: 0,
        nlocals,
        stacksize: h(2) % 12,
        flags: 0,
        code: code.into(),
        consts: vec![Constant::None, Constant::Int(1.into())],
        names: names(2, "n"),
        varnames: names(nlocals, "v"),
        freevars: names(h(3) % 2, "f"),
        cellvars: names(h(3) / 2 % 2, "c"),
        filename: PyStr::from("<fuzz>"),
        name: PyStr::from("<fuzz>"),
        firstlineno: 1,
        lnotab: Vec::new().into(),
    }
}
