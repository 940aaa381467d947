//! The differential oracle on real and mutated code objects: every
//! conformance program's code, and single-byte mutations of it that still
//! verify, must behave the same on spec-stack and spec-reg.

use pyreg_proofs::oracle::{compare_engines, Verdict};

fn programs() -> Vec<(String, Vec<u8>)> {
    let files = pyreg_proofs::testkit::golden_marshals(true);
    files
        .iter()
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read(p).expect("readable"),
            )
        })
        .collect()
}

/// Mutations of `bytes` (deterministic: a linear congruential sequence),
/// `n` of them, each changing one byte.
fn mutations(bytes: &[u8], seed: u64, n: usize) -> Vec<Vec<u8>> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (x >> 33) as usize % bytes.len().max(1);
            let mut m = bytes.to_vec();
            if let Some(b) = m.get_mut(at) {
                *b = (x >> 17) as u8;
            }
            m
        })
        .collect()
}

fn campaign(per_program: usize, fuel: u64) -> (usize, usize, usize, usize) {
    let (mut same, mut poisoned, mut ran, mut stuck) = (0, 0, 0, 0);
    let mut differ = Vec::new();
    // PYREG_ORACLE_SEED picks another sequence of mutations.
    let shift: u64 = std::env::var("PYREG_ORACLE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    for (k, (name, bytes)) in programs().into_iter().enumerate() {
        for m in mutations(&bytes, k as u64 + shift * 1000, per_program) {
            let Ok(code) = pyreg_frontend::marshal::load_code(&m) else {
                continue;
            };
            if pyreg_spec::verify::verify(&code).is_err() {
                continue;
            }
            ran += 1;
            if let Some(dump) = std::env::var_os("PYREG_ORACLE_TRACE") {
                // Keep the mutant about to run, to reproduce a crash.
                let _ = std::fs::write(&dump, &m);
                eprintln!("mutant of {name} #{ran}");
            }
            match compare_engines(&code, fuel) {
                Verdict::Same => same += 1,
                Verdict::Poisoned | Verdict::NotRun(_) => poisoned += 1,
                // Both stuck alike: an ill-typed mutant the verifier
                // accepts (a constant where a names tuple must be).
                Verdict::Stuck(_) => stuck += 1,
                Verdict::Differ(d) => differ.push(format!("{name}: {d}")),
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
    (ran, same, poisoned, stuck)
}

/// Mutants per program: 3 by default; a longer campaign is
/// `PYREG_ORACLE_MUTANTS=60 cargo test --release -p pyreg-proofs --test oracle`
/// (with `PYREG_ORACLE_SEED` for another sequence).
fn mutants_per_program() -> usize {
    std::env::var("PYREG_ORACLE_MUTANTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
}

#[test]
fn corpus_programs_and_their_mutants_agree_on_both_reference_engines() {
    let per_program = mutants_per_program();
    let (ran, same, poisoned, stuck) = campaign(per_program, 400);
    eprintln!(
        "oracle campaign: {ran} verified mutants run, {same} the same, {poisoned} poisoned, \
         {stuck} stuck alike on both engines"
    );
    assert!(ran > 100 && same > 100, "only {ran} runs, {same} the same");
}

/// The VM agrees with spec-stack on generated code, in both modes: the
/// same exit status, output and uncaught exception, or a gap it names.
#[test]
fn the_vm_agrees_with_spec_stack_on_generated_code() {
    use arbitrary::Unstructured;
    use pyreg_proofs::oracle::{compare_vm, VmVerdict};
    let cases: u64 = std::env::var("PYREG_GENERATE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150);
    let mut same = 0;
    for seed in 0..cases {
        let mut x = seed;
        let data: Vec<u8> = (0..64 + (seed as usize * 37) % 2000)
            .map(|_| {
                x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = x;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                (z ^ (z >> 31)) as u8
            })
            .collect();
        let Ok(code) = pyreg_proofs::generate::generate(&mut Unstructured::new(&data)) else {
            continue;
        };
        for stack_mode in [false, true] {
            match compare_vm(&code, 20_000, stack_mode) {
                VmVerdict::Differ(d) => panic!("seed {seed}, stack mode {stack_mode}:\n{d}"),
                VmVerdict::Same => same += 1,
                VmVerdict::Gap(_) | VmVerdict::Skipped => {}
            }
        }
    }
    assert!(same > cases, "only {same} agreeing runs of {}", cases * 2);
}
