//! The lockstep checker on every conformance program: spec-stack and
//! spec-reg, side by side, satisfy the simulation relation at every
//! synchronisation point.

use pyreg_proofs::lockstep::lockstep;

#[test]
fn every_conformance_program_runs_in_lockstep() {
    let files = pyreg_proofs::testkit::golden_marshals(true);
    // Enough fuel for every program but the long benchmarks, which stop
    // exhausted at the same point on both sides.
    let fuel = std::env::var("PYREG_LOCKSTEP_FUEL")
        .ok()
        .and_then(|f| f.parse().ok())
        .unwrap_or(20_000);
    let (mut programs, mut syncs, mut slots) = (0, 0, 0);
    for p in &files {
        let bytes = std::fs::read(p).expect("readable");
        let code = pyreg_frontend::marshal::load_code(&bytes).expect("loads");
        let name = p.display().to_string();
        let code2 = code.clone();
        let report = std::thread::Builder::new()
            .stack_size(1 << 28)
            .spawn(move || lockstep(&code2, fuel))
            .expect("thread")
            .join()
            .unwrap_or_else(|_| panic!("{name}: the lockstep run panicked"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        programs += 1;
        syncs += report.syncs;
        slots += report.slots_compared;
    }
    assert!(programs > 180, "only {programs} programs");
    assert!(syncs > 100_000, "only {syncs} synchronisation points");
    assert!(slots > 100_000, "only {slots} slots compared");
    eprintln!("{programs} programs, {syncs} synchronisation points, {slots} slots compared");
}

/// `x = a - b` for the corpus's own functions: a translator that swaps
/// the operands of every subtraction.
fn swapping_translator(
    code: &std::sync::Arc<pyreg_spec::code::CodeObject>,
) -> Result<pyreg_spec::reg::RegCode, String> {
    let mut rc = pyreg_translator::translate(code).map_err(|e| e.to_string())?;
    for ins in &mut rc.instrs {
        if ins.op == pyreg_spec::reg::RegOp::Apply(pyreg_spec::opcode::Opcode::BinarySubtract) {
            ins.ins.swap(0, 1);
        }
    }
    Ok(rc)
}

/// A translator that drops every computed value stored into a local.
fn forgetful_translator(
    code: &std::sync::Arc<pyreg_spec::code::CodeObject>,
) -> Result<pyreg_spec::reg::RegCode, String> {
    let mut rc = pyreg_translator::translate(code).map_err(|e| e.to_string())?;
    let nlocals = code.nlocals as u16;
    for ins in &mut rc.instrs {
        if matches!(ins.op, pyreg_spec::reg::RegOp::Apply(_)) {
            for o in &mut ins.outs {
                if *o < nlocals {
                    *o = pyreg_spec::reg::DISCARD;
                }
            }
        }
    }
    Ok(rc)
}

fn program(name: &str) -> std::sync::Arc<pyreg_spec::code::CodeObject> {
    let p = pyreg_proofs::testkit::golden_marshals(true)
        .into_iter()
        .find(|p| p.ends_with(name))
        .expect("the program is in the corpus");
    pyreg_frontend::marshal::load_code(&std::fs::read(p).expect("readable")).expect("loads")
}

#[test]
fn broken_translations_diverge() {
    use pyreg_proofs::lockstep::{lockstep_with, LockstepError};
    let code = program("001_int_arith.marshal");
    match lockstep_with(&code, 100_000, swapping_translator, false) {
        Err(LockstepError::Diverged { what, .. }) => {
            assert!(
                what.contains("differs"),
                "swapped operands reported as: {what}"
            )
        }
        other => panic!("swapped operands not caught: {other:?}"),
    }
    // The strict checker refuses the broken translation outright.
    assert!(matches!(
        lockstep_with(&code, 100_000, swapping_translator, true),
        Err(LockstepError::Invalid(_))
    ));
    let code = program("183_dijkstra.marshal");
    match lockstep_with(&code, 100_000, forgetful_translator, false) {
        Err(LockstepError::Diverged { what, .. }) => {
            assert!(what.contains("local"), "dropped stores reported as: {what}")
        }
        other => panic!("dropped stores not caught: {other:?}"),
    }
}
