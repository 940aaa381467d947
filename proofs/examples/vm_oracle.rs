//! The differential oracle between spec-stack and the VM (both modes) on
//! generated code objects: prints how many agree, how many stop at a gap
//! the VM names, and the first differences.
//!
//! Usage: `cargo run --release -p pyreg-proofs --example vm_oracle [CASES]`

use arbitrary::Unstructured;
use pyreg_proofs::generate::generate;
use pyreg_proofs::oracle::{compare_vm, VmVerdict};
use std::collections::BTreeMap;

/// Deterministic pseudo-random bytes (splitmix64), `len` of them.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

fn main() {
    let cases: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    for stack_mode in [false, true] {
        let mut tally: BTreeMap<&str, u64> = BTreeMap::new();
        let mut gaps: BTreeMap<String, u64> = BTreeMap::new();
        let mut shown = 0;
        for seed in 0..cases {
            let data = bytes(seed, 64 + (seed as usize * 37) % 2000);
            let Ok(code) = generate(&mut Unstructured::new(&data)) else {
                continue;
            };
            let v = compare_vm(&code, 20_000, stack_mode);
            let kind = match &v {
                VmVerdict::Same => "same",
                VmVerdict::Skipped => "skipped (spec-stack did not finish)",
                VmVerdict::Gap(_) => "gap",
                VmVerdict::Differ(_) => "differ",
            };
            *tally.entry(kind).or_default() += 1;
            match v {
                VmVerdict::Gap(g) => {
                    let key = g.split(" in ").next().unwrap_or(&g).to_string();
                    *gaps.entry(key).or_default() += 1;
                }
                VmVerdict::Differ(d) if shown < 3 => {
                    shown += 1;
                    println!(
                        "--- seed {seed}\n{d}\n{}",
                        pyreg_spec::dis::disassemble_recursive(&code)
                    );
                }
                _ => {}
            }
        }
        let engine = if stack_mode { "vm-stack" } else { "vm" };
        println!("{engine}: {tally:?}");
        for (g, n) in gaps.iter().take(15) {
            println!("  {n:5} {g}");
        }
    }
}
