//! # pyreg-translator: stack code → register code
//!
//! [`translate`] turns one verified CPython 3.9 code object into pyreg's
//! register form ([`pyreg_spec::reg::RegCode`]); [`translate_all`] does so
//! for a code object and every code object nested in it.
//!
//! The method is an abstract interpretation of the operand stack in
//! instruction order, using the stack depth and block stack the verifier
//! proved for every reachable instruction:
//!
//! - Every stack slot `d` has a home register, `nlocals + d`. An abstract
//!   stack entry is an operand ([`Rk`]): a local or a constant not loaded
//!   yet (so `LOAD_FAST`/`LOAD_CONST` emit nothing), or a slot register.
//!   The invariant: the entry at depth `d` names a local, a constant or a
//!   slot register at most `d`. Then an instruction that leaves values at
//!   depths `d..` may write their home registers without destroying any
//!   value still on the abstract stack.
//! - A `LOAD_FAST` is folded only when the local is bound on every path to
//!   it (a must-analysis of stores; a local that is ever deleted is never
//!   folded), so an unbound local still raises where CPython raises.
//!   Before a local is stored or deleted, stack entries naming it are
//!   copied to their home registers.
//! - `STORE_FAST` (and a `POP_TOP` of a fresh result) retargets the output
//!   of the instruction just emitted when nothing else reads that value:
//!   `x = a + b` becomes one `BINARY_ADD x <- a, b`, `f(x)` as a statement
//!   writes its result nowhere.
//! - `DUP_TOP`, `DUP_TOP_TWO` and the `ROT_*` permute operands; registers
//!   are copied only where the invariant would break (a parallel move).
//! - At jumps, at fall-through into a jump target and at block setup, the
//!   stack is made canonical (each entry in its home register), so every
//!   path into a target agrees and exception handlers find the values
//!   below their level where CPython's unwinding leaves them.
//! - A comparison consumed by `POP_JUMP_IF_*` fuses into one
//!   `COMPARE_BRANCH`.
//! - The block stack becomes the static exception table.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use pyreg_spec::code::{flags, CodeObject};
use pyreg_spec::decode::Instruction;
use pyreg_spec::opcode::{Flow, Opcode};
use pyreg_spec::reg::{
    passed_through, shape, Reg, RegCode, RegInstr, RegOp, Rk, StaticBlock, DISCARD,
};
use pyreg_spec::verify::{self, Block, Verified, VerifyError};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use thiserror::Error;

/// Why a code object has no register form.
#[derive(Debug, Error)]
pub enum TranslateError {
    /// The stack verifier rejected it.
    #[error("{0}")]
    Verify(#[from] VerifyError),
    /// The register file would exceed the register numbering.
    #[error("code object {name}: {registers} registers needed, at most {max} can be numbered")]
    TooManyRegisters {
        /// `co_name`.
        name: String,
        /// Registers the translation needs.
        registers: u64,
        /// The largest register file.
        max: u64,
    },
    /// An instruction the translator has no rule for.
    #[error("code object {name} at offset {offset}: cannot translate {opcode}: {reason}")]
    Unsupported {
        /// `co_name`.
        name: String,
        /// Byte offset of the instruction.
        offset: u32,
        /// Its opcode name.
        opcode: &'static str,
        /// What is missing.
        reason: String,
    },
}

/// Translates `code` and every code object nested in it; the results are
/// keyed by the address of the code object (`Arc::as_ptr`), as the
/// register machine looks them up.
pub fn translate_all(code: &Arc<CodeObject>) -> Result<Vec<RegCode>, TranslateError> {
    code.walk().iter().map(translate).collect()
}

/// Translates one code object (not those nested in it).
pub fn translate(code: &Arc<CodeObject>) -> Result<RegCode, TranslateError> {
    let verified = verify::verify_code(code)?;
    Translator::new(code, &verified)?.run()
}

/// The state of one translation.
struct Translator<'a> {
    code: &'a Arc<CodeObject>,
    v: &'a Verified,
    nlocals: u16,
    /// First of the three scratch registers (after all slot registers):
    /// `scratch` breaks cycles of parallel moves, `scratch + 1` and
    /// `scratch + 2` keep a branch's operands while the stack is made
    /// canonical.
    scratch: Reg,
    nregs: u16,
    /// Locals bound on every path to each instruction (by index).
    bound: Vec<Option<Vec<bool>>>,
    /// Locals deleted somewhere: never folded.
    deleted: Vec<bool>,
    /// Offsets that are jump or handler targets.
    leaders: BTreeSet<u32>,

    /// The abstract stack.
    stack: Vec<Rk>,
    out: Vec<RegInstr>,
    /// Pending targets: instruction index in `out` → target offset.
    targets: Vec<(usize, u32)>,
    /// Offset → index in `out` where that instruction's code begins.
    labels: HashMap<u32, usize>,
    /// Index in `out` where the current straight-line run began (no
    /// label since): instructions before it may not be rewritten.
    run_start: usize,
    /// Block stack (verifier form) at each emitted instruction.
    blocks_of: Vec<Vec<Block>>,
    /// Index of the stack instruction being translated.
    origin: usize,
}

impl<'a> Translator<'a> {
    fn new(code: &'a Arc<CodeObject>, v: &'a Verified) -> Result<Self, TranslateError> {
        let nlocals = u64::from(code.nlocals);
        let registers = nlocals + u64::from(code.stacksize) + 3;
        let max = u64::from(DISCARD) - 1;
        if registers > max {
            return Err(TranslateError::TooManyRegisters {
                name: code.name.to_string_lossy(),
                registers,
                max,
            });
        }
        let mut leaders = BTreeSet::new();
        for ins in &v.instructions {
            if !v.states.contains_key(&ins.start) {
                continue;
            }
            if ins.opcode.is_jump() {
                if let Some(t) = ins.jump_target().and_then(|t| u32::try_from(t).ok()) {
                    leaders.insert(t);
                }
            }
        }
        let deleted = {
            let mut d = vec![false; code.nlocals as usize];
            for ins in &v.instructions {
                if ins.opcode == Opcode::DeleteFast {
                    if let Some(x) = d.get_mut(ins.arg as usize) {
                        *x = true;
                    }
                }
            }
            d
        };
        let mut t = Translator {
            code,
            v,
            nlocals: nlocals as u16,
            scratch: (nlocals + u64::from(code.stacksize)) as u16,
            nregs: registers as u16,
            bound: Vec::new(),
            deleted,
            leaders,
            stack: Vec::new(),
            out: Vec::new(),
            targets: Vec::new(),
            labels: HashMap::new(),
            run_start: 0,
            blocks_of: Vec::new(),
            origin: 0,
        };
        t.bound = t.definitely_bound();
        Ok(t)
    }

    fn name(&self) -> String {
        self.code.name.to_string_lossy()
    }

    /// The must-bound locals before each instruction: arguments at entry,
    /// plus every `STORE_FAST` on all paths (handlers inherit the state at
    /// their `SETUP_*`, which is sound because only deletion unbinds and
    /// deleted locals are excluded everywhere).
    fn definitely_bound(&self) -> Vec<Option<Vec<bool>>> {
        let ins = &self.v.instructions;
        let n = self.code.nlocals as usize;
        let index_of: HashMap<u32, usize> =
            ins.iter().enumerate().map(|(i, x)| (x.start, i)).collect();
        let mut entry = vec![false; n];
        let c = self.code;
        let mut nargs = (c.argcount + c.kwonlyargcount) as usize;
        nargs += usize::from(c.flags & flags::VARARGS != 0);
        nargs += usize::from(c.flags & flags::VARKEYWORDS != 0);
        for b in entry.iter_mut().take(nargs.min(n)) {
            *b = true;
        }
        let mut state: Vec<Option<Vec<bool>>> = vec![None; ins.len()];
        if ins.is_empty() {
            return state;
        }
        state[0] = Some(entry);
        let mut work = vec![0usize];
        while let Some(i) = work.pop() {
            let Some(mut s) = state[i].clone() else {
                continue;
            };
            let x = ins[i];
            if x.opcode == Opcode::StoreFast {
                if let Some(b) = s.get_mut(x.arg as usize) {
                    *b = true;
                }
            }
            let mut succ = Vec::new();
            let flow = x.opcode.info().flow;
            if !matches!(flow, Flow::Jump | Flow::Exit) && i + 1 < ins.len() {
                succ.push(i + 1);
            }
            if x.opcode.is_jump() {
                if let Some(t) = x
                    .jump_target()
                    .and_then(|t| u32::try_from(t).ok())
                    .and_then(|t| index_of.get(&t))
                {
                    succ.push(*t);
                }
            }
            for j in succ {
                let merged = match &state[j] {
                    None => s.clone(),
                    Some(old) => old.iter().zip(&s).map(|(a, b)| *a && *b).collect(),
                };
                if state[j].as_ref() != Some(&merged) {
                    state[j] = Some(merged);
                    work.push(j);
                }
            }
        }
        state
    }

    fn slot(&self, depth: usize) -> Reg {
        self.nlocals + depth as u16
    }

    fn depth_of_slot(&self, r: Reg) -> Option<usize> {
        (r >= self.nlocals && r < self.scratch).then(|| (r - self.nlocals) as usize)
    }

    fn current_blocks(&self) -> Vec<Block> {
        let start = self.v.instructions[self.origin].start;
        self.v
            .states
            .get(&start)
            .map(|s| s.blocks.clone())
            .unwrap_or_default()
    }

    fn emit(&mut self, op: RegOp, arg: u32, outs: Vec<Reg>, ins: Vec<Rk>) -> usize {
        self.out.push(RegInstr {
            op,
            arg,
            test: None,
            outs,
            ins,
            target: 0,
            origin: self.origin as u32,
            keep: Vec::new(),
        });
        let blocks = self.current_blocks();
        self.blocks_of.push(blocks);
        self.out.len() - 1
    }

    fn emit_jump(&mut self, op: RegOp, ins: Vec<Rk>, target: u32) {
        let i = self.emit(op, 0, Vec::new(), ins);
        self.targets.push((i, target));
    }

    fn mov(&mut self, dst: Reg, src: Rk) {
        if src != Rk::Reg(dst) {
            self.emit(RegOp::Move, 0, vec![dst], vec![src]);
        }
    }

    /// Emits moves making `dst_k <- src_k` hold for all k at once.
    fn parallel_moves(&mut self, mut moves: Vec<(Reg, Rk)>) {
        moves.retain(|(d, s)| *s != Rk::Reg(*d));
        while !moves.is_empty() {
            let free = moves
                .iter()
                .position(|(d, _)| !moves.iter().any(|(_, s)| *s == Rk::Reg(*d)));
            match free {
                Some(i) => {
                    let (d, s) = moves.remove(i);
                    self.mov(d, s);
                }
                None => {
                    // A cycle: park one source in the scratch register.
                    let (d, s) = moves[0];
                    self.mov(self.scratch, s);
                    moves[0] = (d, Rk::Reg(self.scratch));
                    let _ = d;
                }
            }
        }
    }

    /// Makes the entries from depth `from` to the top canonical (and any
    /// entry below that names a slot register the moves would overwrite).
    fn canonicalize_from(&mut self, from: usize) {
        let mut from = from.min(self.stack.len());
        while let Some(e) = (0..from).find(|&e| match self.stack[e] {
            Rk::Reg(r) => self.depth_of_slot(r).is_some_and(|j| j >= from),
            Rk::Const(_) => false,
        }) {
            from = e;
        }
        let moves: Vec<(Reg, Rk)> = (from..self.stack.len())
            .map(|e| (self.slot(e), self.stack[e]))
            .collect();
        self.parallel_moves(moves);
        for e in from..self.stack.len() {
            self.stack[e] = Rk::Reg(self.slot(e));
        }
    }

    fn canonicalize(&mut self) {
        self.canonicalize_from(0);
    }

    /// Copies stack entries that name local `i` to their home registers,
    /// before `i` changes.
    fn spill_local(&mut self, i: Reg) {
        if let Some(low) = self.stack.iter().position(|e| *e == Rk::Reg(i)) {
            self.canonicalize_from(low);
        }
    }

    /// [`Self::spill_local`] while keeping `v` (the value about to be
    /// stored) readable: when it is in a slot register, which the spill
    /// may overwrite (`item, h[0] = h[0], item` leaves `item`'s entry in the
    /// home of the value stored), it is parked in a scratch register first. Returns where `v` is then.
    fn spill_local_keeping(&mut self, i: Reg, v: Rk) -> Rk {
        let Some(low) = self.stack.iter().position(|e| *e == Rk::Reg(i)) else {
            return v;
        };
        let v = match v {
            // The spill may lower its start (see `canonicalize_from`), so
            // any slot register may be overwritten.
            Rk::Reg(r) if self.depth_of_slot(r).is_some() => {
                let park = self.scratch + 1;
                self.mov(park, v);
                Rk::Reg(park)
            }
            _ => v,
        };
        self.canonicalize_from(low);
        v
    }

    /// Before slot register `w` is written by an instruction that consumes
    /// the entries from depth `below` up: entries under `below` that still
    /// need its old value (possible after a rotation) are moved to their
    /// homes (together with the consumed ones, so those stay readable).
    fn free_slot_below(&mut self, w: Reg, below: usize) {
        let victim = (0..below.min(self.stack.len()))
            .find(|&e| self.stack[e] == Rk::Reg(w) && self.slot(e) != w);
        if let Some(e) = victim {
            self.canonicalize_from(e);
        }
    }

    fn free_slot(&mut self, w: Reg) {
        self.free_slot_below(w, self.stack.len());
    }

    fn pop(&mut self) -> Result<Rk, TranslateError> {
        self.stack
            .pop()
            .ok_or_else(|| self.unsupported("stack underflow in translation"))
    }

    fn unsupported(&self, reason: &str) -> TranslateError {
        let ins = self.v.instructions[self.origin];
        TranslateError::Unsupported {
            name: self.name(),
            offset: ins.offset,
            opcode: ins.opcode.name(),
            reason: reason.to_string(),
        }
    }

    /// How many entries refer to slot register `r`.
    fn refs(&self, r: Reg) -> usize {
        self.stack.iter().filter(|e| **e == Rk::Reg(r)).count()
    }

    /// If an instruction of the current straight-line run wrote slot `s`
    /// (popped from the stack already) and nothing since read it, redirects
    /// that output to `dst` (a local, or [`DISCARD`]). `false` when it
    /// cannot.
    ///
    /// Writing a local earlier than the stack code does is only invisible
    /// when nothing in between reads or writes it or can raise, call, jump
    /// or yield: only copies of temporaries and constants may intervene,
    /// so the fast locals equal CPython's at every instruction that can be
    /// observed (the simulation relation of `proofs/invariants`).
    fn retarget(&mut self, s: Rk, dst: Reg) -> bool {
        let Rk::Reg(s) = s else { return false };
        if self.depth_of_slot(s).is_none() || self.refs(s) > 0 {
            return false;
        }
        if dst != DISCARD && self.refs(dst) > 0 {
            return false;
        }
        let touches =
            |ins: &RegInstr, r: Reg| ins.outs.contains(&r) || ins.ins.contains(&Rk::Reg(r));
        let mut i = self.out.len();
        while i > self.run_start {
            i -= 1;
            let ins = &self.out[i];
            if let Some(pos) = ins.outs.iter().position(|o| *o == s) {
                if dst != DISCARD && ins.outs.contains(&dst) {
                    return false;
                }
                self.out[i].outs[pos] = dst;
                return true;
            }
            let plain = matches!(ins.op, RegOp::Apply(_) | RegOp::Move);
            if !plain || touches(ins, s) {
                return false;
            }
            if dst != DISCARD {
                // Only a copy that cannot raise may run between the early
                // write and the store: anything else could observe the
                // local (a handler, `locals()`, `sys._getframe().f_locals`,
                // a traceback's frame, a generator's `gi_frame`).
                let silent = ins.op == RegOp::Move
                    && match ins.ins.first() {
                        Some(Rk::Const(_)) => true,
                        Some(Rk::Reg(r)) => *r >= self.nlocals,
                        None => false,
                    };
                if touches(ins, dst) || !silent {
                    return false;
                }
            }
        }
        false
    }

    fn label_here(&mut self, offset: u32) {
        self.labels.insert(offset, self.out.len());
        self.run_start = self.out.len();
    }

    fn run(mut self) -> Result<RegCode, TranslateError> {
        let instructions = self.v.instructions.clone();
        let mut live = false;
        for (i, ins) in instructions.iter().enumerate() {
            self.origin = i;
            let Some(state) = self.v.states.get(&ins.start) else {
                live = false;
                continue;
            };
            let depth = state.depth as usize;
            if self.leaders.contains(&ins.start) || !live {
                if live {
                    // Fall-through into a jump target: agree with the jumps.
                    self.canonicalize();
                }
                self.stack = (0..depth).map(|d| Rk::Reg(self.slot(d))).collect();
                self.label_here(ins.start);
            } else {
                self.labels.insert(ins.start, self.out.len());
            }
            if self.stack.len() != depth {
                return Err(self.unsupported(&format!(
                    "abstract stack has {} entries where the verifier proved {depth}",
                    self.stack.len()
                )));
            }
            live = !matches!(ins.opcode.info().flow, Flow::Jump | Flow::Exit);
            self.instruction(i, *ins)?;
        }
        self.finish()
    }

    fn is_bound(&self, i: usize, local: u32) -> bool {
        let l = local as usize;
        !self.deleted.get(l).copied().unwrap_or(true)
            && self.bound[i]
                .as_ref()
                .and_then(|b| b.get(l).copied())
                .unwrap_or(false)
    }

    fn target_of(&self, ins: Instruction) -> Result<u32, TranslateError> {
        ins.jump_target()
            .and_then(|t| u32::try_from(t).ok())
            .ok_or_else(|| self.unsupported("jump target out of range"))
    }

    fn instruction(&mut self, i: usize, ins: Instruction) -> Result<(), TranslateError> {
        use Opcode::*;
        let d = self.stack.len();
        match ins.opcode {
            Nop | PopBlock | ExtendedArg => {}
            SetupFinally => self.canonicalize(),
            LoadConst => self.stack.push(Rk::Const(ins.arg as u16)),
            LoadFast => {
                if self.is_bound(i, ins.arg) {
                    self.stack.push(Rk::Reg(ins.arg as Reg));
                } else {
                    let s = self.slot(d);
                    self.free_slot(s);
                    self.emit(RegOp::Move, 0, vec![s], vec![Rk::Reg(ins.arg as Reg)]);
                    self.stack.push(Rk::Reg(s));
                }
            }
            StoreFast => {
                let local = ins.arg as Reg;
                let v = self.pop()?;
                if !self.retarget(v, local) {
                    let v = self.spill_local_keeping(local, v);
                    self.mov(local, v);
                }
            }
            DeleteFast => {
                let local = ins.arg as Reg;
                self.spill_local(local);
                self.emit(RegOp::Delete, 0, vec![local], Vec::new());
            }
            PopTop => {
                let v = self.pop()?;
                if !self.retarget(v, DISCARD) {
                    self.clear_popped(v);
                }
            }
            DupTop => {
                let v = *self
                    .stack
                    .last()
                    .ok_or_else(|| self.unsupported("empty stack"))?;
                self.stack.push(v);
            }
            DupTopTwo => {
                if d < 2 {
                    return Err(self.unsupported("DUP_TOP_TWO needs two values"));
                }
                let (a, b) = (self.stack[d - 2], self.stack[d - 1]);
                self.stack.push(a);
                self.stack.push(b);
            }
            RotTwo | RotThree | RotFour => {
                let n = match ins.opcode {
                    RotTwo => 2,
                    RotThree => 3,
                    _ => 4,
                };
                if d < n {
                    return Err(self.unsupported("rotation deeper than the stack"));
                }
                // Only the operands move; registers are copied later, if a
                // write would destroy a value still needed. Below a block's
                // level the handler expects canonical values: copy now.
                let top = self.stack.remove(d - 1);
                self.stack.insert(d - n, top);
                let level = self
                    .current_blocks()
                    .iter()
                    .map(|b| match b {
                        Block::Finally { level, .. } | Block::ExceptHandler { level } => {
                            *level as usize
                        }
                    })
                    .max()
                    .unwrap_or(0);
                if d - n < level {
                    self.canonicalize_from(d - n);
                }
            }
            ReturnValue => {
                let v = self.pop()?;
                self.emit(RegOp::Return, 0, Vec::new(), vec![v]);
            }
            YieldValue => {
                let s = self.slot(d - 1);
                self.free_slot_below(s, d - 1);
                let v = self.pop()?;
                self.emit(RegOp::Yield, 0, vec![s], vec![v]);
                self.stack.push(Rk::Reg(s));
            }
            YieldFrom => {
                self.canonicalize_from(d.saturating_sub(2));
                let (r, v) = (self.slot(d - 2), self.slot(d - 1));
                self.stack.truncate(d - 2);
                self.free_slot(r);
                self.emit(RegOp::YieldFrom, 0, vec![r], vec![Rk::Reg(r), Rk::Reg(v)]);
                self.stack.push(Rk::Reg(r));
            }
            PopExcept | Reraise => {
                if d < 3 {
                    return Err(self.unsupported("needs the saved exception triple"));
                }
                self.canonicalize_from(d - 3);
                let ins3: Vec<Rk> = self.stack.split_off(d - 3);
                let op = if ins.opcode == PopExcept {
                    RegOp::PopExcept
                } else {
                    RegOp::Reraise
                };
                self.emit(op, 0, Vec::new(), ins3);
            }
            JumpForward | JumpAbsolute => {
                self.canonicalize();
                let t = self.target_of(ins)?;
                self.emit_jump(RegOp::Jump, Vec::new(), t);
            }
            PopJumpIfFalse | PopJumpIfTrue => {
                let sense = ins.opcode == PopJumpIfTrue;
                let t = self.target_of(ins)?;
                let cond = self.pop()?;
                self.branch(cond, sense, t);
            }
            JumpIfFalseOrPop | JumpIfTrueOrPop => {
                let sense = ins.opcode == JumpIfTrueOrPop;
                let t = self.target_of(ins)?;
                self.canonicalize();
                let top = self.stack[d - 1];
                self.emit_jump(RegOp::Branch(sense), vec![top], t);
                self.stack.pop();
                // The jump keeps the value; falling through pops it.
                self.clear_popped(top);
            }
            JumpIfNotExcMatch => {
                let t = self.target_of(ins)?;
                let b = self.pop()?;
                let a = self.pop()?;
                let ab = self.canonicalize_keeping(vec![a, b]);
                self.emit_jump(RegOp::ExcMatchBranch, ab, t);
            }
            ForIter => {
                self.canonicalize();
                let t = self.target_of(ins)?;
                let (it, s) = (self.slot(d - 1), self.slot(d));
                let k = self.emit(RegOp::ForIter, 0, vec![s], vec![Rk::Reg(it)]);
                self.targets.push((k, t));
                self.stack.push(Rk::Reg(s));
            }
            op => self.lifted(ins, op)?,
        }
        Ok(())
    }

    /// After a pop that no instruction consumes: a slot register holding
    /// a value nothing else on the stack names (made before a join, or by
    /// the unwinder) is cleared now, as CPython's pop drops the reference,
    /// instead of keeping the object alive until the register is reused
    /// (`MOVE _ <- r` consumes `r`).
    fn clear_popped(&mut self, v: Rk) {
        if let Rk::Reg(r) = v {
            if self.depth_of_slot(r).is_some() && self.refs(r) == 0 {
                self.emit(RegOp::Move, 0, vec![DISCARD], vec![v]);
            }
        }
    }

    /// The home registers that making the stack canonical would write.
    fn canonical_writes(&self) -> Vec<Reg> {
        (0..self.stack.len())
            .filter(|&e| self.stack[e] != Rk::Reg(self.slot(e)))
            .map(|e| self.slot(e))
            .collect()
    }

    /// Makes the stack canonical while keeping a branch's popped operands
    /// (at most two) readable: one that a move would overwrite is parked in
    /// a scratch register first.
    fn canonicalize_keeping(&mut self, operands: Vec<Rk>) -> Vec<Rk> {
        let written = self.canonical_writes();
        let mut kept = Vec::with_capacity(operands.len());
        for (k, x) in operands.into_iter().enumerate() {
            kept.push(match x {
                Rk::Reg(r) if written.contains(&r) => {
                    let park = self.scratch + 1 + k as Reg;
                    self.mov(park, x);
                    Rk::Reg(park)
                }
                _ => x,
            });
        }
        self.canonicalize();
        kept
    }

    /// `POP_JUMP_IF_*` on `cond`: fused with the comparison that made it
    /// when possible.
    fn branch(&mut self, cond: Rk, sense: bool, target: u32) {
        let written = self.canonical_writes();
        let last = self.out.len().checked_sub(1);
        let fusable = match (cond, last) {
            (Rk::Reg(s), Some(l)) if l >= self.run_start && self.refs(s) == 0 => {
                let c = &self.out[l];
                matches!(
                    c.op,
                    RegOp::Apply(Opcode::CompareOp | Opcode::IsOp | Opcode::ContainsOp)
                ) && c.outs == [s]
                    && self.depth_of_slot(s).is_some()
                    && !c
                        .ins
                        .iter()
                        .any(|x| matches!(x, Rk::Reg(r) if written.contains(r)))
            }
            _ => false,
        };
        if fusable {
            let Some(c) = self.out.pop() else { return };
            self.blocks_of.pop();
            self.canonicalize();
            let RegOp::Apply(test) = c.op else { return };
            let i = self.emit(RegOp::CompareBranch(sense), c.arg, Vec::new(), c.ins);
            self.out[i].test = Some(test);
            self.out[i].origin = c.origin;
            self.targets.push((i, target));
            return;
        }
        let cond = self.canonicalize_keeping(vec![cond]);
        self.emit_jump(RegOp::Branch(sense), cond, target);
    }

    /// A stack opcode in three-address form.
    fn lifted(&mut self, ins: Instruction, op: Opcode) -> Result<(), TranslateError> {
        let Some(sh) = shape(RegOp::Apply(op), ins.arg) else {
            return Err(self.unsupported("no register form"));
        };
        let n_in = sh.ins as usize;
        let d = self.stack.len();
        if n_in > d {
            return Err(self.unsupported("reads below the stack"));
        }
        if matches!(op, Opcode::SetupWith | Opcode::SetupAsyncWith) {
            // The block's level is the depth below: make it canonical.
            self.canonicalize_from(0);
        }
        let base = d - n_in;
        // Values the rule leaves in place stay where they are (their
        // outputs are discarded); the others go to their home registers.
        let kept = (passed_through(op, ins.arg) as usize).min(n_in);
        let outs: Vec<Reg> = (0..sh.outs as usize)
            .map(|k| {
                if k < kept {
                    DISCARD
                } else {
                    self.slot(base + k)
                }
            })
            .collect();
        if base + outs.len() > self.code.stacksize as usize {
            return Err(self.unsupported("writes above co_stacksize"));
        }
        for o in outs.iter().filter(|o| **o != DISCARD) {
            self.free_slot_below(*o, base);
        }
        let inputs = self.stack.split_off(base);
        let left: Vec<Rk> = inputs[..kept].to_vec();
        self.emit(RegOp::Apply(op), ins.arg, outs.clone(), inputs);
        self.stack.extend(left);
        self.stack.extend(outs.into_iter().skip(kept).map(Rk::Reg));
        Ok(())
    }

    fn finish(mut self) -> Result<RegCode, TranslateError> {
        for (i, off) in std::mem::take(&mut self.targets) {
            let Some(&t) = self.labels.get(&off) else {
                self.origin = self.out[i].origin as usize;
                return Err(self.unsupported(&format!("jump to offset {off}, which has no code")));
            };
            self.out[i].target = t as u32;
        }
        let mut block_stacks: Vec<Vec<StaticBlock>> = Vec::new();
        let mut index: HashMap<Vec<StaticBlock>, u32> = HashMap::new();
        let mut blocks_at = Vec::with_capacity(self.out.len());
        for bs in std::mem::take(&mut self.blocks_of) {
            let mut st = Vec::with_capacity(bs.len());
            for b in bs {
                st.push(match b {
                    Block::Finally { handler, level } => StaticBlock::Finally {
                        handler: match self.labels.get(&handler) {
                            Some(&h) => h as u32,
                            None => {
                                return Err(self.unsupported(&format!(
                                    "handler at offset {handler} has no code"
                                )))
                            }
                        },
                        base: self.slot(level as usize),
                    },
                    Block::ExceptHandler { level } => StaticBlock::ExceptHandler {
                        base: self.slot(level as usize),
                    },
                });
            }
            let k = match index.get(&st) {
                Some(k) => *k,
                None => {
                    let k = block_stacks.len() as u32;
                    index.insert(st.clone(), k);
                    block_stacks.push(st);
                    k
                }
            };
            blocks_at.push(k);
        }
        let mut rc = RegCode {
            code: self.code.clone(),
            nregs: self.nregs,
            instrs: self.out,
            block_stacks,
            blocks_at,
        };
        if rc.block_stacks.iter().all(Vec::is_empty) {
            allocate_temporaries(&mut rc);
        }
        pyreg_spec::reg::mark_kept_inputs(&mut rc);
        Ok(rc)
    }
}

/// Renumbers the temporaries by liveness: two temporaries share a register
/// unless one is written where the other is live (greedy colouring of the
/// interference graph, in register order). Only for code without an
/// exception table: there the unwinder clears registers from a handler's
/// base up and writes six fixed registers, which renaming must not move.
fn allocate_temporaries(rc: &mut RegCode) {
    let nlocals = rc.code.nlocals as usize;
    let is_temp = |r: Reg| r != DISCARD && (r as usize) >= nlocals;
    let live = pyreg_spec::reg::temps_live_after(rc);
    let mut temps: Vec<Reg> = rc
        .instrs
        .iter()
        .flat_map(|i| {
            i.outs
                .iter()
                .copied()
                .chain(i.ins.iter().filter_map(|x| match x {
                    Rk::Reg(r) => Some(*r),
                    Rk::Const(_) => None,
                }))
        })
        .filter(|r| is_temp(*r))
        .collect();
    temps.sort_unstable();
    temps.dedup();
    let index: HashMap<Reg, usize> = temps.iter().enumerate().map(|(k, r)| (*r, k)).collect();
    let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); temps.len()];
    let link = |a: Reg, b: Reg, edges: &mut Vec<BTreeSet<usize>>| {
        if let (Some(&x), Some(&y)) = (index.get(&a), index.get(&b)) {
            if x != y {
                edges[x].insert(y);
                edges[y].insert(x);
            }
        }
    };
    for (ins, after) in rc.instrs.iter().zip(&live) {
        for &o in ins.outs.iter().filter(|o| is_temp(**o)) {
            for &t in after {
                link(o, t, &mut edges);
            }
            for &o2 in &ins.outs {
                link(o, o2, &mut edges);
            }
        }
    }
    let mut color: Vec<Option<u16>> = vec![None; temps.len()];
    for k in 0..temps.len() {
        let used: BTreeSet<u16> = edges[k].iter().filter_map(|&n| color[n]).collect();
        let c = (0u16..).find(|c| !used.contains(c)).unwrap_or(0);
        color[k] = Some(c);
    }
    let rename = |r: Reg| -> Reg {
        match index.get(&r).and_then(|&k| color[k]) {
            Some(c) => nlocals as Reg + c,
            None => r,
        }
    };
    for ins in &mut rc.instrs {
        for o in &mut ins.outs {
            *o = rename(*o);
        }
        for x in &mut ins.ins {
            if let Rk::Reg(r) = x {
                *r = rename(*r);
            }
        }
    }
    let used = color
        .iter()
        .flatten()
        .map(|c| usize::from(*c) + 1)
        .max()
        .unwrap_or(0);
    rc.nregs = (nlocals + used) as u16;
}
