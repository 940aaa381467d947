//! The bounded exhaustive check, with a small bound so that `cargo test`
//! stays quick; `PYREG_EXHAUSTIVE_N` raises it (TESTING.md has the figures
//! of the longest run).

#[test]
fn every_small_program_translates_validates_and_simulates() {
    let n = std::env::var("PYREG_EXHAUSTIVE_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let report = std::thread::Builder::new()
        .stack_size(1 << 26)
        .spawn(move || pyreg_proofs::exhaustive::run(n, 60, |_| {}))
        .expect("thread")
        .join()
        .expect("no panic")
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{report:?}");
    assert_eq!(report.max_len, n);
    assert!(
        report.checked > 100,
        "only {} bodies checked",
        report.checked
    );
}
