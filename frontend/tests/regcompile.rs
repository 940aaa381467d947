//! The direct register compiler on the conformance corpus: every program
//! compiles, every directly compiled code object passes the register
//! verifier, and the code objects left to the native compiler (fallbacks)
//! are only those of the constructs listed below.

use pyreg_frontend::regcompile::compile_source_reg;
use std::path::Path;

/// The constructs the direct compiler leaves to the native one, and how
/// many code objects of the corpus fall back for each. Lower a count when
/// a construct becomes supported.
const KNOWN_FALLBACKS: &[(&str, usize)] = &[];

#[test]
fn the_corpus_compiles_directly_and_passes_the_register_verifier() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/programs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("programs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 180, "only {} programs", files.len());
    let mut direct = 0;
    let mut fallbacks = Vec::new();
    for f in &files {
        let src = std::fs::read_to_string(f).expect("source");
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        let p = match compile_source_reg(&src, &name) {
            Ok(p) => p,
            // A program the native front end rejects (a syntax error test).
            Err(pyreg_frontend::compile::CompileError::Syntax(_)) => continue,
            Err(e) => panic!("{name}: {e}"),
        };
        for rc in &p.direct {
            pyreg_spec::reg_verify::verify_reg(rc)
                .unwrap_or_else(|e| panic!("{name}: register verifier: {e}"));
            direct += 1;
        }
        for fb in p.fallbacks {
            fallbacks.push((name.clone(), fb));
        }
    }
    eprintln!(
        "direct register compiler: {direct} code objects compiled directly, {} fallbacks",
        fallbacks.len()
    );
    for (name, fb) in &fallbacks {
        eprintln!(
            "  fallback {name}: {} (line {}): {}",
            fb.qualname, fb.line, fb.reason
        );
        assert!(
            KNOWN_FALLBACKS.iter().any(|(r, _)| *r == fb.reason),
            "{name}: {} falls back for an unlisted reason: {}",
            fb.qualname,
            fb.reason
        );
    }
    for (reason, n) in KNOWN_FALLBACKS {
        let got = fallbacks
            .iter()
            .filter(|(_, f)| f.reason == *reason)
            .count();
        assert!(
            got <= *n,
            "{got} fallbacks for {reason}, more than the {n} known"
        );
        assert_eq!(
            got, *n,
            "fewer fallbacks for {reason}: lower KNOWN_FALLBACKS"
        );
    }
}
