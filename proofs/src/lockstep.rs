//! The lockstep checker: spec-stack and spec-reg run one program side by
//! side, stopping at every synchronisation point, where the simulation
//! relation `R` of `invariants/simulation.md` must hold on the concrete
//! states.
//!
//! A synchronisation point is the start of an *event*: an instruction that
//! is not pure data movement (on the stack side anything but the loads,
//! stores, shuffles, jumps and block markers; on the register side anything
//! but `MOVE` and `JUMP`). Both machines run their pure instructions up to
//! their next event, then `R` is checked:
//!
//! - the same number of frames, the top ones running the same code object
//!   (the frames below were checked when they were on top, and cannot
//!   have changed since);
//! - in the top frame, the stack machine is about to run the instruction
//!   the register instruction names as its origin;
//! - the fast locals are the same values, and the cells are the same cell
//!   objects holding the same values;
//! - in the top frame, each operand-stack slot equals every register the
//!   translation validator proved holds it there ([`crate::validator::Witness`]);
//! - the block stack matches the exception table (kinds, and each block's
//!   base register is the home register of its level);
//! - the exception being handled and the output so far are the same.
//!
//! Then each machine runs its event (a fused `COMPARE_BRANCH` matches the
//! stack machine's comparison and the `POP_JUMP_IF_*` after it), and the
//! check repeats until both finish, which they must do with the same
//! outcome.
//!
//! Both machines allocate the same objects in the same order, so heap
//! objects are compared by identity (`ObjId`); immediate values (numbers,
//! strings, bytes, tuples of them) by value.

use crate::validator::{validate, Validated};
use pyreg_spec::code::CodeObject;
use pyreg_spec::interp::driver::Program;
use pyreg_spec::interp::{Block, Fault, Frame, Machine, Outcome};
use pyreg_spec::object::{Obj, Value};
use pyreg_spec::opcode::Opcode;
use pyreg_spec::reg::{RegCode, RegOp, StaticBlock};
use std::collections::HashMap;
use std::sync::Arc;
use thiserror::Error;

/// Why a lockstep run failed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LockstepError {
    /// The program could not be started on one engine.
    #[error("cannot start: {0}")]
    Setup(String),
    /// A translation failed the validator.
    #[error("translation validator: {0}")]
    Invalid(String),
    /// `R` failed at a synchronisation point.
    #[error("after {syncs} synchronisation points, in {code} at stack instruction {pc}: {what}")]
    Diverged {
        /// Synchronisation points passed.
        syncs: u64,
        /// `co_name` of the top frame.
        code: String,
        /// Stack instruction index of the top frame.
        pc: usize,
        /// Which part of `R` failed.
        what: String,
    },
    /// The runs ended differently.
    #[error("the runs end differently: spec-stack {stack:?}, spec-reg {reg:?}")]
    Outcomes {
        /// spec-stack's outcome.
        stack: Outcome,
        /// spec-reg's outcome.
        reg: Outcome,
    },
}

/// What a lockstep run checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockstepReport {
    /// Synchronisation points at which `R` held.
    pub syncs: u64,
    /// Stack slots compared with registers, over all points.
    pub slots_compared: u64,
    /// How both runs ended.
    pub outcome: Outcome,
}

fn translate(code: &Arc<CodeObject>) -> Result<RegCode, String> {
    pyreg_translator::translate(code).map_err(|e| e.to_string())
}

/// Runs `code` as `__main__` on both reference engines in lockstep with
/// `fuel`, checking `R` at every synchronisation point.
pub fn lockstep(code: &Arc<CodeObject>, fuel: u64) -> Result<LockstepReport, LockstepError> {
    lockstep_with(code, fuel, translate, true)
}

/// [`lockstep`] with another translator (a broken one, to show what the
/// checker catches). When `strict` is false, a translation the validator
/// rejects still runs, without the validator's slot correspondence.
pub fn lockstep_with(
    code: &Arc<CodeObject>,
    fuel: u64,
    translator: pyreg_spec::interp::Translator,
    strict: bool,
) -> Result<LockstepReport, LockstepError> {
    let make = |register: bool| {
        let program = Program {
            argv: vec!["<lockstep>".into()],
            translator: register.then_some(translator),
            ..Program::default()
        };
        Machine::new(code, program, fuel).map(|mut m| {
            m.max_objects = 1 << 20;
            m
        })
    };
    let s = make(false).map_err(LockstepError::Setup)?;
    let r = make(true).map_err(LockstepError::Setup)?;
    Lockstep {
        s,
        r,
        strict,
        witnesses: HashMap::new(),
        syncs: 0,
        slots: 0,
    }
    .run()
}

struct Lockstep {
    s: Machine,
    r: Machine,
    strict: bool,
    witnesses: HashMap<usize, Validated>,
    syncs: u64,
    slots: u64,
}

/// Runs one step; the outcome when the run is over.
fn advance(m: &mut Machine) -> Option<Outcome> {
    if m.frames.is_empty() {
        return Some(m.finish_status());
    }
    match pyreg_spec::interp::stack_step::step_mut(m) {
        Ok(()) => {}
        Err(Fault::Exhausted(x)) => return Some(Outcome::Exhausted(x)),
        Err(Fault::Stuck(s)) => return Some(Outcome::Stuck(s)),
        Err(Fault::Raise(e)) => return Some(m.uncaught(e)),
    }
    if m.heap.len() > m.max_objects {
        return Some(Outcome::Exhausted(pyreg_spec::interp::Exhaustion::Memory(
            m.max_objects,
        )));
    }
    if m.frames.is_empty() {
        return Some(m.finish_status());
    }
    None
}

fn stack_pure(op: Opcode) -> bool {
    use Opcode::*;
    matches!(
        op,
        Nop | PopBlock
            | ExtendedArg
            | SetupFinally
            | LoadConst
            | LoadFast
            | StoreFast
            | PopTop
            | DupTop
            | DupTopTwo
            | RotTwo
            | RotThree
            | RotFour
            | JumpForward
            | JumpAbsolute
    )
}

fn next_stack_op(m: &Machine) -> Option<Opcode> {
    let f = m.frames.back()?;
    f.decoded.instructions.get(f.pc).map(|i| i.opcode)
}

fn next_reg_op(m: &Machine) -> Option<RegOp> {
    let f = m.frames.back()?;
    f.reg.as_ref()?.instrs.get(f.rpc).map(|i| i.op)
}

/// Whether two values of the two machines are the same object.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::None, Value::None)
        | (Value::NotImplemented, Value::NotImplemented)
        | (Value::Ellipsis, Value::Ellipsis) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.get().to_bits() == y.get().to_bits(),
        (Value::Complex(a, b), Value::Complex(c, d)) => {
            a.to_bits() == c.to_bits() && b.to_bits() == d.to_bits()
        }
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
        }
        (Value::Obj(x), Value::Obj(y)) => x == y,
        _ => false,
    }
}

fn same_opt(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same(a, b),
        _ => false,
    }
}

impl Lockstep {
    fn run(mut self) -> Result<LockstepReport, LockstepError> {
        loop {
            let so = self.run_to_event(true);
            let ro = self.run_to_event(false);
            match (so, ro) {
                (None, None) => {}
                (a, b) => {
                    // One run ended (or both): finish the other to compare.
                    let stack = a.unwrap_or_else(|| self.finish(true));
                    let reg = b.unwrap_or_else(|| self.finish(false));
                    return self.ended(stack, reg);
                }
            }
            self.check()?;
            self.syncs += 1;
            let compare_branch = next_reg_op(&self.r) == Some(RegOp::CompareBranch(true))
                || next_reg_op(&self.r) == Some(RegOp::CompareBranch(false));
            let frames = self.s.frames.len();
            let pc = self.s.frames.back().map_or(0, |f| f.pc);
            if let Some(o) = advance(&mut self.r) {
                let stack = self.finish(true);
                return self.ended(stack, o);
            }
            if let Some(o) = advance(&mut self.s) {
                let reg = self.finish(false);
                return self.ended(o, reg);
            }
            // The branch half of a fused compare-and-branch: the
            // `POP_JUMP_IF_*` after the comparison, past any stack shuffles
            // the translator folded into the fused instruction
            // (`CONTAINS_OP; ROT_TWO; ROT_TWO; POP_JUMP_IF_FALSE`).
            if compare_branch
                && self.s.frames.len() == frames
                && self.s.frames.back().is_some_and(|f| f.pc == pc + 1)
            {
                if let Some(o) = self.run_to_event(true) {
                    let reg = self.finish(false);
                    return self.ended(o, reg);
                }
                let at_branch = self.s.frames.len() == frames
                    && matches!(
                        next_stack_op(&self.s),
                        Some(Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue)
                    );
                if at_branch {
                    if let Some(o) = advance(&mut self.s) {
                        let reg = self.finish(false);
                        return self.ended(o, reg);
                    }
                }
            }
        }
    }

    fn ended(&self, stack: Outcome, reg: Outcome) -> Result<LockstepReport, LockstepError> {
        let exhausted = |o: &Outcome| matches!(o, Outcome::Exhausted(_));
        if stack == reg || (exhausted(&stack) && exhausted(&reg)) {
            Ok(LockstepReport {
                syncs: self.syncs,
                slots_compared: self.slots,
                outcome: stack,
            })
        } else {
            Err(LockstepError::Outcomes { stack, reg })
        }
    }

    /// Runs one machine to its end (after the other ended).
    fn finish(&mut self, stack: bool) -> Outcome {
        let m = if stack { &mut self.s } else { &mut self.r };
        loop {
            if let Some(o) = advance(m) {
                return o;
            }
        }
    }

    /// Runs one machine's pure instructions; its outcome if it ends.
    fn run_to_event(&mut self, stack: bool) -> Option<Outcome> {
        loop {
            let m = if stack { &mut self.s } else { &mut self.r };
            if m.frames.is_empty() {
                return Some(m.finish_status());
            }
            let pure = if stack {
                next_stack_op(m).is_some_and(stack_pure)
            } else {
                matches!(next_reg_op(m), Some(RegOp::Move | RegOp::Jump))
            };
            if !pure {
                return None;
            }
            if let Some(o) = advance(m) {
                return Some(o);
            }
        }
    }

    fn diverged(&self, what: String) -> LockstepError {
        let f = self.s.frames.back();
        LockstepError::Diverged {
            syncs: self.syncs,
            code: f.map_or(String::new(), |f| f.code.name.to_string_lossy()),
            pc: f.map_or(0, |f| f.pc),
            what,
        }
    }

    fn witness(&mut self, rc: &Arc<RegCode>) -> Result<&Validated, LockstepError> {
        let key = Arc::as_ptr(rc) as usize;
        if !self.witnesses.contains_key(&key) {
            let v = match validate(rc) {
                Ok(v) => v,
                Err(e) if self.strict => return Err(LockstepError::Invalid(e.to_string())),
                Err(_) => Validated::default(),
            };
            self.witnesses.insert(key, v);
        }
        Ok(&self.witnesses[&key])
    }

    /// Checks `R`.
    fn check(&mut self) -> Result<(), LockstepError> {
        if self.s.frames.len() != self.r.frames.len() {
            return Err(self.diverged(format!(
                "{} frames on the stack side, {} on the register side",
                self.s.frames.len(),
                self.r.frames.len()
            )));
        }
        // Only the top frame can have changed since the last point: the
        // frames below were checked when they were on top, and are frozen.
        if let (Some(fs), Some(fr)) = (self.s.frames.back(), self.r.frames.back()) {
            let (fs, fr) = (fs.clone(), fr.clone());
            self.check_frame(&fs, &fr)?;
        }
        if !same_opt(
            &self.s.handling.map(Value::Obj),
            &self.r.handling.map(Value::Obj),
        ) {
            return Err(self.diverged("the handled exception differs".into()));
        }
        if self.s.output.stdout != self.r.output.stdout
            || self.s.output.stderr != self.r.output.stderr
        {
            return Err(self.diverged("the output differs".into()));
        }
        Ok(())
    }

    fn check_frame(&mut self, fs: &Frame, fr: &Frame) -> Result<(), LockstepError> {
        if !Arc::ptr_eq(&fs.code, &fr.code) {
            return Err(self.diverged("the frames run different code objects".into()));
        }
        let Some(rc) = fr.reg.clone() else {
            return Err(self.diverged("a register-side frame without register code".into()));
        };
        // A value delivered to the frame (a callee's result) lands in its
        // register at the frame's next step.
        let mut regs = fr.fast.clone();
        if let (Some(v), Some(p)) = (fr.stack.last(), fr.pending) {
            if let Some(slot) = regs.get_mut(p as usize) {
                *slot = Some(v.clone());
            }
        }
        let nlocals = fs.code.nlocals as usize;
        for (i, (a, b)) in fs.fast.iter().zip(&regs).enumerate().take(nlocals) {
            if !same_opt(a, b) {
                return Err(self.diverged(format!(
                    "local {} ({}) differs",
                    i,
                    fs.code.varnames[i].to_string_lossy()
                )));
            }
        }
        if fs.cells != fr.cells {
            return Err(self.diverged("the frames have different cells".into()));
        }
        for c in &fs.cells {
            let (a, b) = (self.s.heap.get(*c), self.r.heap.get(*c));
            let same_content = match (a, b) {
                (Obj::Cell(x), Obj::Cell(y)) => same_opt(x, y),
                _ => false,
            };
            if !same_content {
                return Err(self.diverged("a cell holds different values".into()));
            }
        }
        let Some(ins) = rc.instrs.get(fr.rpc) else {
            return Err(self.diverged("the register side ran off its code".into()));
        };
        if ins.origin as usize != fs.pc {
            return Err(self.diverged(format!(
                "the register side is at instruction {} (origin {}), the stack side at {}",
                fr.rpc, ins.origin, fs.pc
            )));
        }
        let blocks = rc.blocks(fr.rpc);
        let matches = blocks.len() == fs.blocks.len()
            && blocks.iter().zip(&fs.blocks).all(|(b, s)| match (b, s) {
                (StaticBlock::Finally { base, .. }, Block::Finally { level, .. })
                | (StaticBlock::ExceptHandler { base }, Block::ExceptHandler { level }) => {
                    *base as usize == nlocals + level
                }
                _ => false,
            });
        if !matches {
            return Err(self.diverged(format!(
                "block stack {:?} against the exception table's {:?}",
                fs.blocks, blocks
            )));
        }
        let rpc = fr.rpc;
        let w = self.witness(&rc)?.witnesses.get(rpc).cloned().flatten();
        if let Some(w) = w {
            if w.slots.len() != fs.stack.len() {
                return Err(self.diverged(format!(
                    "{} stack slots where the validator proved {}",
                    fs.stack.len(),
                    w.slots.len()
                )));
            }
            for (d, holders) in w.slots.iter().enumerate() {
                for r in holders {
                    self.slots += 1;
                    let reg = regs.get(*r as usize).cloned().flatten();
                    if !same_opt(&Some(fs.stack[d].clone()), &reg) {
                        return Err(self.diverged(format!(
                            "stack slot {d} differs from r{r}, which the validator says holds it"
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}
