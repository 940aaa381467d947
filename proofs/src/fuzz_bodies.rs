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
/// plausible code object, and whatever the marshal loader accepts. The
/// verifier must answer without panicking, and whatever it accepts must
/// translate, pass every checker and run on both reference engines alike
/// (with little fuel, so that loops end quickly) — never stuck.
pub fn verifier(data: &[u8]) {
    let obj = std::sync::Arc::new(plausible_code(data));
    let _ = dis::disassemble(&obj);
    if verify::verify_code(&obj).is_ok() {
        check_translation(&obj);
    }
    if let Ok(code) = marshal::load_code(data) {
        let mut all_verify = true;
        for c in code.walk() {
            match verify::verify_code(&c) {
                Ok(_) => check_translation(&c),
                Err(_) => all_verify = false,
            }
        }
        if all_verify {
            if let crate::oracle::Verdict::Differ(d) = crate::oracle::compare_engines(&code, 300) {
                panic!("spec-stack and spec-reg differ:\n{d}");
            }
        }
    }
}

/// `cargo fuzz run translator`: the bytes drive the code-object generator
/// ([`crate::generate`]; the first byte picks a whole program or a single
/// instruction). The generated code must verify (else the generator is
/// wrong), translate, pass the register verifier, the translation
/// validator and the liveness and DEREF checkers, and run in lockstep on
/// spec-stack and spec-reg.
pub fn translator(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let single = data.first().is_some_and(|b| b % 8 == 0);
    let made = if single {
        crate::generate::single_instruction(&mut u)
    } else {
        crate::generate::generate(&mut u)
    };
    let Ok(code) = made else { return };
    check_generated(&code);
}

/// The `vm` target: a generated code object (from the fuzzer's bytes) runs
/// on spec-stack and, when that run finishes, on the VM in both modes;
/// exit status, output and the uncaught exception must agree. A gap the VM
/// names (`vm: unsupported ...`) is not a failure.
pub fn vm(data: &[u8]) {
    let mut u = arbitrary::Unstructured::new(data);
    let Ok(code) = crate::generate::generate(&mut u) else {
        return;
    };
    for stack_mode in [false, true] {
        if let crate::oracle::VmVerdict::Differ(d) =
            crate::oracle::compare_vm(&code, 20_000, stack_mode)
        {
            panic!(
                "the VM differs from spec-stack:\n{d}\n{}",
                dis::disassemble_recursive(&code)
            );
        }
    }
}

/// `cargo fuzz run compiler`: arbitrary bytes (as lossy UTF-8) through the
/// native front end. It must answer with a code object or an error, never
/// panic (a panic comes back as `CompileError::Internal`, which fails
/// here); every code object it produces must pass the stack verifier and
/// translate, passing every translation checker. The same text then goes
/// through the direct register compiler, whose every code object must pass
/// the register verifier.
pub fn compiler(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    match pyreg_frontend::compile::compile_source(&source, "fuzz.py") {
        Ok(code) => {
            for c in code.walk() {
                if let Err(e) = verify::verify(&c) {
                    panic!("the native compiler produced code the verifier rejects: {e}");
                }
                check_translation(&c);
            }
        }
        Err(pyreg_frontend::compile::CompileError::Internal(m)) => panic!("{m}"),
        Err(_) => {}
    }
    direct_compiler(&source);
}

/// The direct register compiler on `source`: no panic, and every code
/// object it compiles passes the register verifier (a rejection would
/// have made that code object fall back; that is a bug too).
fn direct_compiler(source: &str) {
    match pyreg_frontend::regcompile::compile_source_reg(source, "fuzz.py") {
        Ok(p) => {
            for rc in &p.direct {
                if let Err(e) = pyreg_spec::reg_verify::verify_reg(rc) {
                    panic!("the direct register compiler produced code the register verifier rejects: {e}");
                }
            }
            for f in &p.fallbacks {
                assert!(
                    !f.reason.starts_with("register verifier"),
                    "the direct register compiler fell back on its own output: {}",
                    f.reason
                );
            }
        }
        Err(pyreg_frontend::compile::CompileError::Internal(m)) => panic!("{m}"),
        Err(_) => {}
    }
}

/// Everything [`translator`] checks on one generated module.
pub fn check_generated(code: &std::sync::Arc<pyreg_spec::code::CodeObject>) {
    for c in code.walk() {
        if let Err(e) = verify::verify_code(&c) {
            panic!(
                "the generator made code the verifier rejects: {e}\n{}",
                dis::disassemble(&c)
            );
        }
        check_translation(&c);
    }
    let code = code.clone();
    let listing = dis::disassemble_recursive(&code);
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 27)
        .spawn(move || crate::lockstep::lockstep(&code, 3_000))
        .map(|t| t.join());
    match outcome {
        Ok(Ok(Ok(_))) => {}
        Ok(Ok(Err(e))) => panic!("lockstep: {e}\n{listing}"),
        Ok(Err(_)) => panic!("an engine panicked\n{listing}"),
        Err(e) => panic!("cannot start a thread: {e}"),
    }
}

/// A verified code object must translate and its register code pass the
/// register verifier, the translation validator and the liveness and DEREF
/// checkers; the first failure, named, with the listing.
pub fn translation_checks(c: &std::sync::Arc<pyreg_spec::code::CodeObject>) -> Result<(), String> {
    let rc = pyreg_translator::translate(c).map_err(|e| {
        format!(
            "verified code does not translate: {e}\n{}",
            dis::disassemble(c)
        )
    })?;
    let show = || pyreg_spec::reg::side_by_side(&rc);
    pyreg_spec::reg_verify::verify_reg(&rc)
        .map_err(|e| format!("register verifier: {e}\n{}", show()))?;
    crate::validator::validate(&rc)
        .map_err(|e| format!("translation validator: {e}\n{}", show()))?;
    crate::liveness::check_liveness(&rc)
        .map_err(|e| format!("liveness checker: {e}\n{}", show()))?;
    crate::deref::check_deref(&rc).map_err(|e| format!("DEREF checker: {e}\n{}", show()))?;
    Ok(())
}

/// [`translation_checks`], a failure being a translator bug: panics with it.
fn check_translation(c: &std::sync::Arc<pyreg_spec::code::CodeObject>) {
    if let Err(e) = translation_checks(c) {
        panic!("{e}");
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
