//! Prints the code object a fuzz input generates, and how spec-stack ran it.
//!
//! Usage: `cargo run --release -p pyreg-proofs --example show_case FILE`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: show_case FILE");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).unwrap_or_default();
    let mut u = arbitrary::Unstructured::new(&data);
    let Ok(code) = pyreg_proofs::generate::generate(&mut u) else {
        println!("no code object");
        return;
    };
    println!("{}", pyreg_spec::dis::disassemble_recursive(&code));
    if let Ok(rc) = pyreg_translator::translate(&code) {
        println!(
            "register code of <module>:\n{}",
            pyreg_spec::reg::listing(&rc)
        );
    }
    match pyreg_proofs::oracle::observe(&code, 20_000, false) {
        Ok(o) => println!("spec-stack: {:?}\n{}\n{}", o.outcome, o.stdout, o.stderr),
        Err(e) => println!("spec-stack did not run: {e}"),
    }
    for stack_mode in [false, true] {
        let v = pyreg_proofs::oracle::compare_vm(&code, 20_000, stack_mode);
        println!("vm (stack mode {stack_mode}): {v:?}");
    }
}
