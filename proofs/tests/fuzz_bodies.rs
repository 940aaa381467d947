//! Runs every fuzz body briefly, so that `cargo test` exercises what
//! `cargo fuzz run` does: random bytes, and mutations of real code objects.

use proptest::prelude::*;
use pyreg_proofs::fuzz_bodies;
use std::sync::OnceLock;

/// Marshalled code objects of the conformance corpus, as seeds to mutate.
fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<Vec<u8>> {
    let files = pyreg_proofs::testkit::golden_marshals(false);
    files
        .iter()
        .take(12)
        .map(|p| std::fs::read(p).expect("readable"))
        .collect()
}

#[test]
fn seeds_load_and_verify() {
    let seeds = seeds();
    assert!(!seeds.is_empty());
    for s in seeds {
        let code = pyreg_frontend::marshal::load_code(s).expect("seed loads");
        pyreg_spec::verify::verify(&code).expect("seed verifies");
        fuzz_bodies::marshal(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn marshal_body_survives_random_bytes(data in proptest::collection::vec(any::<u8>(), 0..256)) {
        fuzz_bodies::marshal(&data);
    }

    #[test]
    fn marshal_body_survives_mutated_code_objects(
        which in 0usize..12,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let seeds = seeds();
        let mut data = seeds[which % seeds.len()].clone();
        for (at, byte) in edits {
            let i = at.index(data.len());
            data[i] = byte;
        }
        fuzz_bodies::marshal(&data);
        let keep = cut.index(data.len() + 1);
        fuzz_bodies::marshal(&data[..keep]);
    }

    #[test]
    fn verifier_body_survives_random_wordcode(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        fuzz_bodies::verifier(&data);
    }

    #[test]
    fn translator_body_on_random_bytes(data in proptest::collection::vec(any::<u8>(), 0..1024)) {
        fuzz_bodies::translator(&data);
    }

    #[test]
    fn vm_body_on_random_bytes(data in proptest::collection::vec(any::<u8>(), 0..1024)) {
        fuzz_bodies::vm(&data);
    }

    #[test]
    fn verifier_body_on_mutated_code_objects(
        which in 0usize..12,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let seeds = seeds();
        let mut data = seeds[which % seeds.len()].clone();
        for (at, byte) in edits {
            let i = at.index(data.len());
            data[i] = byte;
        }
        fuzz_bodies::verifier(&data);
    }
}

/// The conformance programs, and arbitrary prefixes and splices of them,
/// through the compiler body.
#[test]
fn compiler_body_on_the_corpus_and_its_prefixes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/programs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("programs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    for p in files.iter().step_by(9) {
        let src = std::fs::read(p).expect("readable");
        fuzz_bodies::compiler(&src);
        for k in 1..6 {
            fuzz_bodies::compiler(&src[..src.len() * k / 6]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn compiler_body_on_random_text(data in proptest::collection::vec(any::<u8>(), 0..256)) {
        fuzz_bodies::compiler(&data);
    }
}

#[test]
fn verifier_body_accepts_the_seeds() {
    for s in seeds() {
        fuzz_bodies::verifier(s);
    }
}

/// Inputs the fuzzers once failed on, kept so that the bugs stay fixed
/// (`proofs/tests/regressions/TARGET/`).
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut n = 0;
    for (target, body) in [
        ("translator", fuzz_bodies::translator as fn(&[u8])),
        ("verifier", fuzz_bodies::verifier),
        ("marshal", fuzz_bodies::marshal),
        ("vm", fuzz_bodies::vm),
    ] {
        let Ok(entries) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        for e in entries {
            let data = std::fs::read(e.expect("entry").path()).expect("readable");
            body(&data);
            n += 1;
        }
    }
    assert!(n >= 1, "no regression inputs found");
}
