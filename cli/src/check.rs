//! `pyreg check`: the differential oracle on one program. The program
//! runs on spec-stack, on spec-reg (its translation), and on the VM in
//! both modes; each engine is compared with spec-stack on its outcome (exit
//! status and uncaught exception), output and final globals of
//! `__main__`.
//!
//! One line per pair: `same`, `poisoned (...)` (spec-stack or one side
//! ran out of fuel or memory, nothing can be concluded), `gap: ...` (the VM
//! stopped at something it does not implement yet, named), `stuck: ...`
//! or `differ`, followed by a diff of the two observations. Exit status:
//! 0 when no pair differs or is stuck (gaps and poisoned pairs are
//! reported, not failures), 1 when one does, 2 when the program does not
//! compile or load.

use crate::load::SourceCompiler;
use pyreg_proofs::oracle::{
    judge_engines, judge_vm, observe_vm, observe_with, Observation, Setup, Verdict, VmVerdict,
};
use pyreg_spec::interp::driver::DEFAULT_MAX_OBJECTS;
use pyreg_spec::interp::Outcome;
use std::path::Path;
use std::process::ExitCode;

/// Exit status when the program cannot be compiled or loaded.
const EXIT_NOT_COMPILED: u8 = 2;

fn summary(o: &Observation) -> String {
    let ended = match &o.outcome {
        Outcome::Exited(s) => format!("exit status {s}"),
        Outcome::Exhausted(x) => format!("exhausted ({x})"),
        Outcome::Stuck(s) => format!("stuck ({s})"),
    };
    format!(
        "{ended}, {} lines of output, {} globals",
        o.stdout.lines().count(),
        o.globals.len()
    )
}

/// Runs `pyreg check` on `program`; with `show_globals`, lists
/// spec-stack's final globals after its summary.
pub fn run(program: &Path, compiler: SourceCompiler, fuel: u64, show_globals: bool) -> ExitCode {
    let (code, p) = match crate::run::gather(program, compiler) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{}", e.message);
            eprintln!("pyreg check: {} was not checked", program.display());
            return ExitCode::from(EXIT_NOT_COMPILED);
        }
    };
    let setup = Setup {
        sources: p.sources,
        modules: p.modules,
        argv: vec![program.display().to_string()],
        max_objects: DEFAULT_MAX_OBJECTS,
    };
    let start = std::time::Instant::now();
    let stack = match observe_with(&code, &setup, fuel, false) {
        Ok(o) => o,
        Err(e) => {
            println!("spec-stack: did not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("spec-stack: {}", summary(&stack));
    if show_globals {
        for (name, value) in &stack.globals {
            println!("  {name} = {value}");
        }
    }
    let mut failed = false;
    let reg = observe_with(&code, &setup, fuel, true);
    let verdict = match &reg {
        Ok(reg) => judge_engines(&stack, reg),
        Err(e) => Verdict::Differ(format!("spec-reg did not start: {e}\n")),
    };
    match verdict {
        Verdict::Same if matches!(stack.outcome, Outcome::Exhausted(_)) => {
            println!("spec-stack vs spec-reg: same (both exhausted at the same point)")
        }
        Verdict::Same => println!("spec-stack vs spec-reg: same"),
        Verdict::Poisoned => println!(
            "spec-stack vs spec-reg: poisoned (only one run was exhausted: spec-stack {}, \
             spec-reg {})",
            summary(&stack),
            reg.as_ref().map(summary).unwrap_or_default()
        ),
        Verdict::NotRun(e) => {
            failed = true;
            println!("spec-stack vs spec-reg: stuck: did not start: {e}");
        }
        Verdict::Stuck(why) => {
            failed = true;
            println!("spec-stack vs spec-reg: stuck: {why}");
        }
        Verdict::Differ(d) => {
            failed = true;
            println!("spec-stack vs spec-reg: differ");
            print!("{d}");
        }
    }
    for (stack_mode, engine) in [(false, "vm"), (true, "vm-stack")] {
        match judge_vm(&stack, || observe_vm(&code, &setup, stack_mode), stack_mode) {
            VmVerdict::Same => println!("spec-stack vs {engine}: same"),
            VmVerdict::Skipped => println!(
                "spec-stack vs {engine}: poisoned (spec-stack did not finish: {}; the VM, \
                 which has no fuel, was not run)",
                summary(&stack)
            ),
            VmVerdict::Gap(g) => println!("spec-stack vs {engine}: gap: {g}"),
            VmVerdict::Differ(d) => {
                failed = true;
                if let Outcome::Stuck(why) = &stack.outcome {
                    println!("spec-stack vs {engine}: stuck: {why}");
                } else {
                    println!("spec-stack vs {engine}: differ");
                    print!("{d}");
                }
            }
        }
    }
    eprintln!(
        "pyreg check: {} in {:.2} s",
        program.display(),
        start.elapsed().as_secs_f64()
    );
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
