//! `pyreg stats`: the same program on spec-stack and on spec-reg, with
//! the instructions each executed, opcode by opcode.

use crate::run::{execute, exit_status, gather_code, Finished};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

/// The stack opcodes that only move data: what a register machine removes.
const STACK_MOVES: &[&str] = &[
    "LOAD_FAST",
    "STORE_FAST",
    "LOAD_CONST",
    "POP_TOP",
    "DUP_TOP",
    "DUP_TOP_TWO",
    "ROT_TWO",
    "ROT_THREE",
    "ROT_FOUR",
];

/// The summary `--json` prints as its last line.
#[derive(Serialize)]
pub struct Summary {
    /// The program.
    pub program: String,
    /// Instructions executed on spec-stack.
    pub stack_executed: u64,
    /// Instructions executed on spec-reg.
    pub reg_executed: u64,
    /// `reg_executed / stack_executed`.
    pub ratio: f64,
    /// Pure data-movement instructions executed on spec-reg (`MOVE`).
    pub reg_moves: u64,
    /// Pure stack-movement instructions executed on spec-stack.
    pub stack_moves: u64,
    /// `reg_moves / reg_executed`.
    pub reg_move_share: f64,
    /// `stack_moves / stack_executed`.
    pub stack_move_share: f64,
    /// Bytes of CPython bytecode of every code object of the program.
    pub stack_code_bytes: usize,
    /// Bytes of encoded register code of the same code objects.
    pub reg_code_bytes: usize,
    /// `reg_code_bytes / stack_code_bytes`.
    pub code_size_ratio: f64,
    /// Whether both runs printed the same and ended the same way.
    pub same_behaviour: bool,
    /// Executed stack instructions by opcode.
    pub stack_profile: std::collections::BTreeMap<&'static str, u64>,
    /// Executed register instructions by opcode.
    pub reg_profile: std::collections::BTreeMap<&'static str, u64>,
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The static code sizes of the program and the modules it imports.
fn code_sizes(program: &Path) -> Result<(usize, usize), String> {
    let mut stack = 0;
    let mut reg = 0;
    for code in gather_code(program)? {
        for c in code.walk() {
            stack += c.code.len();
            let rc = pyreg_translator::translate(&c).map_err(|e| e.to_string())?;
            reg += pyreg_spec::reg_encode::code_bytes(&rc.instrs).map_err(|e| e.to_string())?;
        }
    }
    Ok((stack, reg))
}

/// Computes the statistics of both runs of `program`.
pub fn measure(program: &Path, args: &[String]) -> Result<(Summary, Finished, Finished), String> {
    let stack = execute(program, args.to_vec(), false, true)?;
    let reg = execute(program, args.to_vec(), true, true)?;
    let moves = |f: &Finished, names: &[&str]| -> u64 {
        names
            .iter()
            .map(|n| f.profile.get(n).copied().unwrap_or(0))
            .sum()
    };
    let stack_moves = moves(&stack, STACK_MOVES);
    let reg_moves = moves(&reg, &["MOVE"]);
    let (stack_code_bytes, reg_code_bytes) = code_sizes(program)?;
    let summary = Summary {
        program: program.display().to_string(),
        stack_executed: stack.executed,
        reg_executed: reg.executed,
        ratio: share(reg.executed, stack.executed),
        reg_moves,
        stack_moves,
        reg_move_share: share(reg_moves, reg.executed),
        stack_move_share: share(stack_moves, stack.executed),
        stack_code_bytes,
        reg_code_bytes,
        code_size_ratio: share(reg_code_bytes as u64, stack_code_bytes as u64),
        same_behaviour: stack.stdout == reg.stdout
            && stack.stderr == reg.stderr
            && stack.outcome == reg.outcome,
        stack_profile: stack.profile.clone(),
        reg_profile: reg.profile.clone(),
    };
    Ok((summary, stack, reg))
}

/// Prints the per-opcode table and the summary.
pub fn run(program: &Path, args: &[String], json: bool) -> ExitCode {
    let (s, stack, reg) = match measure(program, args) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("pyreg stats: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Entries starting with `~` are counters, not opcodes.
    let names: BTreeSet<&str> = stack
        .profile
        .keys()
        .chain(reg.profile.keys())
        .copied()
        .filter(|n| !n.starts_with('~'))
        .collect();
    let mut rows: Vec<(&str, u64, u64)> = names
        .into_iter()
        .map(|n| {
            (
                n,
                stack.profile.get(n).copied().unwrap_or(0),
                reg.profile.get(n).copied().unwrap_or(0),
            )
        })
        .collect();
    rows.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then(a.0.cmp(b.0)));
    println!(
        "{:<28} {:>12} {:>7} {:>12} {:>7}",
        "opcode", "stack", "%", "register", "%"
    );
    for (n, a, b) in &rows {
        println!(
            "{n:<28} {a:>12} {:>6.2}% {b:>12} {:>6.2}%",
            100.0 * share(*a, s.stack_executed),
            100.0 * share(*b, s.reg_executed)
        );
    }
    println!(
        "{:<28} {:>12} {:>7} {:>12} {:>7}",
        "total", s.stack_executed, "", s.reg_executed, ""
    );
    println!(
        "executed register/stack {:.3}; moves: stack {} ({:.1}%), register {} ({:.1}%); \
         code bytes: stack {}, register {} ({:.3}){}",
        s.ratio,
        s.stack_moves,
        100.0 * s.stack_move_share,
        s.reg_moves,
        100.0 * s.reg_move_share,
        s.stack_code_bytes,
        s.reg_code_bytes,
        s.code_size_ratio,
        if s.same_behaviour {
            ""
        } else {
            "; THE TWO RUNS BEHAVED DIFFERENTLY"
        }
    );
    if json {
        match serde_json::to_string(&s) {
            Ok(j) => println!("{j}"),
            Err(e) => {
                eprintln!("pyreg stats: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if !s.same_behaviour {
        // Show how the register run ended, then fail.
        let _ = exit_status(&reg.outcome);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
