//! The register liveness checker (`invariants/liveness.md`): temporaries
//! hold objects exactly as long as CPython's operand stack would.
//!
//! It recomputes liveness of the temporaries over the register control-flow
//! graph on its own (it shares no code with the translator's
//! `reg::temps_live_after`), with the exception edges the unwinder takes:
//! into the innermost handler, where only registers below the block's base
//! survive, and through the except-handler blocks it leaves, whose saved
//! exception it reads. Then, for every instruction, it checks that
//! **consumption is exact**: an input temporary is listed in `keep`
//! exactly when it is live afterwards and not overwritten by the
//! instruction (a missing `keep` loses a value, an extra one keeps an
//! object alive past its last use).
//!
//! Definedness (every read temporary written on every path) is the
//! register verifier's rule (`reg_verify`), and that no temporary holds an
//! object CPython has dropped is the translation validator's (it knows
//! which values the stack still holds); neither is repeated here. The
//! checker also counts *lingering* edges: a temporary kept by a branch
//! because one successor reads it, dead on the other successor (where it
//! would stay in its register until overwritten). The translator leaves
//! none: it clears such a value where the stack code pops it.

use pyreg_spec::opcode::Opcode;
use pyreg_spec::reg::{shape, Reg, RegCode, RegOp, Rk, StaticBlock, DISCARD};
use std::collections::BTreeSet;
use thiserror::Error;

/// A violation of the liveness invariant.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LivenessError {
    /// An input's `keep` flag disagrees with its liveness.
    #[error("{name}: instruction {index}: input r{reg} is {} afterwards but {}", if *.live { "live" } else { "dead" }, if *.kept { "kept" } else { "consumed" })]
    Keep {
        /// `co_name`.
        name: String,
        /// Instruction index.
        index: usize,
        /// The input register.
        reg: Reg,
        /// Whether it is live after the instruction.
        live: bool,
        /// Whether `keep` lists it.
        kept: bool,
    },
}

/// What the checker measured on one register code object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LivenessReport {
    /// Input operands checked for exact consumption.
    pub inputs_checked: usize,
    /// Control-flow edges on which a kept temporary is dead.
    pub lingering_edges: usize,
}

fn is_temp(rc: &RegCode, r: Reg) -> bool {
    r != DISCARD && (r as usize) >= rc.code.nlocals as usize && (r as usize) < rc.nregs as usize
}

/// Whether the instruction clears the temporaries it reads last
/// (`YIELD_FROM` runs again on resumption, `FOR_ITER` keeps its iterator
/// across the loop, `DELETE` and `JUMP` read nothing).
fn consumes(op: RegOp) -> bool {
    !matches!(
        op,
        RegOp::YieldFrom | RegOp::ForIter | RegOp::Delete | RegOp::Jump
    )
}

/// Successors in normal control flow.
fn successors(rc: &RegCode, i: usize) -> Vec<usize> {
    let ins = &rc.instrs[i];
    let mut s = Vec::new();
    let leaves = matches!(
        ins.op,
        RegOp::Jump | RegOp::Return | RegOp::Reraise | RegOp::Apply(Opcode::RaiseVarargs)
    );
    if !leaves && i + 1 < rc.instrs.len() {
        s.push(i + 1);
    }
    if shape(ins.op, ins.arg).is_some_and(|sh| sh.target) && (ins.target as usize) < rc.instrs.len()
    {
        s.push(ins.target as usize);
    }
    s
}

/// The exception edge of instruction `i`: the registers the unwinder reads
/// (saved exceptions of the except-handler blocks it leaves) and the
/// handler it enters with the base below which registers survive.
fn exception_edge(rc: &RegCode, i: usize) -> (Vec<Reg>, Option<(usize, Reg)>) {
    let mut reads = Vec::new();
    let ins = &rc.instrs[i];
    let silent = match ins.op {
        RegOp::Return | RegOp::Jump | RegOp::PopExcept => true,
        // A copy raises only when its source is an unbound local.
        RegOp::Move => {
            !matches!(ins.ins.first(), Some(Rk::Reg(r)) if (*r as usize) < rc.code.nlocals as usize)
        }
        _ => false,
    };
    if silent {
        return (reads, None);
    }
    for b in rc.blocks(i).iter().rev() {
        match *b {
            StaticBlock::ExceptHandler { base } => reads.push(base.saturating_add(1)),
            StaticBlock::Finally { handler, base } => {
                return (reads, Some((handler as usize, base)));
            }
        }
    }
    (reads, None)
}

/// Live temporaries before instruction `i` when it completes, given those
/// live after it: its inputs, and what survives its writes.
fn transfer(rc: &RegCode, i: usize, out: &BTreeSet<Reg>) -> BTreeSet<Reg> {
    let ins = &rc.instrs[i];
    let mut inn = out.clone();
    if ins.op != RegOp::ForIter {
        for o in &ins.outs {
            inn.remove(o);
        }
    }
    for rk in &ins.ins {
        if let Rk::Reg(r) = rk {
            if is_temp(rc, *r) {
                inn.insert(*r);
            }
        }
    }
    inn
}

/// Live temporaries before and after each instruction.
fn liveness(rc: &RegCode) -> (Vec<BTreeSet<Reg>>, Vec<BTreeSet<Reg>>) {
    let n = rc.instrs.len();
    let mut live_in: Vec<BTreeSet<Reg>> = vec![BTreeSet::new(); n];
    let mut live_out: Vec<BTreeSet<Reg>> = vec![BTreeSet::new(); n];
    let mut changed = true;
    while changed {
        changed = false;
        for i in (0..n).rev() {
            let ins = &rc.instrs[i];
            let mut out: BTreeSet<Reg> = BTreeSet::new();
            for s in successors(rc, i) {
                // FOR_ITER writes its output on the fall-through edge only.
                let written = ins.op == RegOp::ForIter && s == i + 1;
                out.extend(
                    live_in[s]
                        .iter()
                        .copied()
                        .filter(|r| !(written && ins.outs.contains(r))),
                );
            }
            let mut inn = transfer(rc, i, &out);
            // An instruction that raises does not complete: what the
            // unwinder and the handler read is live before it.
            let (reads, handler) = exception_edge(rc, i);
            inn.extend(reads.into_iter().filter(|r| is_temp(rc, *r)));
            if let Some((h, base)) = handler {
                if let Some(l) = live_in.get(h) {
                    inn.extend(l.iter().copied().filter(|r| *r < base));
                }
            }
            if out != live_out[i] || inn != live_in[i] {
                live_out[i] = out;
                live_in[i] = inn;
                changed = true;
            }
        }
    }
    (live_in, live_out)
}

/// Checks that consumption is exact.
pub fn check_liveness(rc: &RegCode) -> Result<LivenessReport, LivenessError> {
    let name = rc.code.name.to_string_lossy();
    let (live_in, live) = liveness(rc);
    let mut report = LivenessReport::default();
    for (i, ins) in rc.instrs.iter().enumerate() {
        if consumes(ins.op) {
            for (k, rk) in ins.ins.iter().enumerate() {
                let Rk::Reg(r) = *rk else { continue };
                if !is_temp(rc, r) {
                    continue;
                }
                report.inputs_checked += 1;
                let should = live[i].contains(&r) && !ins.outs.contains(&r);
                let kept = ins.keep.contains(&(k as u16));
                if should != kept {
                    return Err(LivenessError::Keep {
                        name,
                        index: i,
                        reg: r,
                        live: should,
                        kept,
                    });
                }
                if kept {
                    report.lingering_edges += successors(rc, i)
                        .into_iter()
                        .filter(|s| !live_in[*s].contains(&r))
                        .count();
                }
            }
        }
    }
    Ok(report)
}
