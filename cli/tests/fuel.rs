//! The fuel rule: spec-stack and spec-reg spend fuel at the same events
//! (backward jumps and calls), so with the same fuel both runs end in the
//! same way — exhausted at the same point with the same output so far, or
//! finished identically.

use pyreg_frontend::marshal::load_code;
use pyreg_spec::interp::driver::Program;
use pyreg_spec::interp::{Machine, Outcome};
use std::path::Path;

fn translate(
    code: &std::sync::Arc<pyreg_spec::code::CodeObject>,
) -> Result<pyreg_spec::reg::RegCode, String> {
    pyreg_translator::translate(code).map_err(|e| e.to_string())
}

fn run(name: &str, fuel: u64, register: bool) -> (Outcome, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden/dis")
        .join(format!("{name}.marshal"));
    let code = load_code(&std::fs::read(path).expect("golden code")).expect("loads");
    let program = Program {
        argv: vec![format!("{name}.py")],
        translator: register.then_some(translate as pyreg_spec::interp::Translator),
        ..Program::default()
    };
    let (outcome, output) = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || Machine::new(&code, program, fuel).expect("starts").run())
        .expect("thread")
        .join()
        .expect("no panic");
    (outcome, output.stdout.iter().copied().collect())
}

#[test]
fn both_isas_run_out_of_fuel_at_the_same_point() {
    let programs = [
        "099_loop_sieve",
        "104_recursion",
        "154_generator_closures",
        "034_yield_from",
        "056_break_continue_finally",
        "131_exceptions_in_loops",
    ];
    let mut exhausted = 0;
    for name in programs {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/golden/dis")
            .join(format!("{name}.marshal"));
        assert!(path.exists(), "{name}: no golden code object");
        for fuel in [
            0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987,
        ] {
            let stack = run(name, fuel, false);
            let reg = run(name, fuel, true);
            assert_eq!(stack.0, reg.0, "{name} with fuel {fuel}: outcomes differ");
            assert_eq!(
                String::from_utf8_lossy(&stack.1),
                String::from_utf8_lossy(&reg.1),
                "{name} with fuel {fuel}: output so far differs"
            );
            if matches!(stack.0, Outcome::Exhausted(_)) {
                exhausted += 1;
            }
        }
    }
    assert!(exhausted >= 10, "only {exhausted} runs ran out of fuel");
}
