//! Prints what the code-object generator makes from a file of bytes (a
//! fuzz input, a regression input), and how spec-stack runs it:
//!
//! ```sh
//! cargo run --release -p pyreg-proofs --example show_generated -- FILE
//! ```

use arbitrary::Unstructured;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: show_generated FILE");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let code = match pyreg_proofs::generate::generate(&mut Unstructured::new(&data)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("the generator needs more bytes: {e}");
            std::process::exit(1);
        }
    };
    println!("{}", pyreg_spec::dis::disassemble_recursive(&code));
    match pyreg_proofs::oracle::observe(&code, 3_000, false) {
        Ok(o) => println!("{o:?}"),
        Err(e) => println!("does not run: {e}"),
    }
}
