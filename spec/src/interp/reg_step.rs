//! spec-reg: the small-step semantics of the register ISA.
//!
//! A frame runs register code when the machine has a translator
//! ([`Machine::translator`]): its `fast` vector is then the register file
//! (the fast locals, then the temporaries), and [`step_mut`] runs one
//! register instruction. The rules, instruction by instruction:
//!
//! - A **lifted stack opcode** ([`RegOp::Apply`]) reads its inputs (a
//!   register, or a constant of `co_consts`), runs the stack rule of that
//!   opcode (`stack_step`) on exactly those values, and writes the values
//!   the rule leaves to its output registers. Exceptions, calls and
//!   generators are those of the stack rule. When the rule starts a Python
//!   call, the call's frame is pushed and the output register receives the
//!   result when the callee returns.
//! - `MOVE out <- in` copies; reading an unbound local (a register below
//!   `co_nlocals`) raises `UnboundLocalError`, as `LOAD_FAST` does.
//! - `DELETE out` unbinds a local, raising `UnboundLocalError` if unbound.
//! - `JUMP`, `BRANCH_IF_TRUE`/`_FALSE` (truth of the input, via
//!   `__bool__`/`__len__`), `COMPARE_BRANCH` (the comparison's rule, then
//!   the truth of its result), `BRANCH_IF_NOT_EXC_MATCH` (the rule of
//!   `JUMP_IF_NOT_EXC_MATCH`) move to their target; a jump to an
//!   instruction at or before the current one spends one unit of fuel, as
//!   the stack ISA's backward jumps do, so both forms run out of fuel at
//!   the same point.
//! - `FOR_ITER out <- iter` writes `next(iter)`, or clears `iter` and
//!   jumps when it is exhausted.
//! - `RETURN`, `YIELD`, `YIELD_FROM`, `POP_EXCEPT`, `RERAISE`: see
//!   [`RegOp`].
//! - An exception raised by an instruction unwinds through the static
//!   block stack of that instruction ([`RegCode::blocks`]) exactly as
//!   `ceval.c` unwinds its block stack: an except-handler block restores
//!   the exception it saved; a finally block clears the temporaries from
//!   its base up, receives the previous and the new exception triples in
//!   its six registers and continues at its handler; with no such block the
//!   frame is left and the exception goes on in its caller.

use super::{text, Fault, Frame, Machine, PyResult};
use crate::decode::Instruction;
use crate::object::Value;
use crate::opcode::Opcode;
use crate::reg::{Reg, RegCode, RegOp, Rk, StaticBlock, DISCARD};
use std::sync::Arc;

/// The profile entry (not an opcode) counting the moves a contiguous
/// call-window design would add: call arguments that are constants or
/// locals, which windows would have to copy.
pub const CALL_WINDOW_MOVES: &str = "~call-window moves (lower bound)";

fn top(m: &mut Machine) -> PyResult<&mut Frame> {
    m.frames
        .back_mut()
        .ok_or_else(|| Fault::Stuck("no frame to run".into()))
}

/// Reads an operand of the top frame.
fn read(m: &mut Machine, rk: Rk) -> PyResult<Value> {
    let f = top(m)?;
    match rk {
        Rk::Const(k) => f
            .decoded
            .constants
            .get(k as usize)
            .cloned()
            .ok_or_else(|| Fault::Stuck(format!("constant k{k} out of range"))),
        Rk::Reg(r) => match f.fast.get(r as usize) {
            Some(Some(v)) => Ok(v.clone()),
            Some(None) if (r as usize) < f.code.nlocals as usize => {
                let n = f.code.varnames.get(r as usize).map(text).unwrap_or_default();
                Err(m.new_error(
                    "UnboundLocalError",
                    format!("local variable '{n}' referenced before assignment"),
                ))
            }
            _ => Err(Fault::Stuck(format!(
                "register r{r} of {} read before it was written: the register verifier should have rejected it",
                text(&f.code.name)
            ))),
        },
    }
}

/// Writes an output register of the top frame.
fn write(m: &mut Machine, r: Reg, v: Value) -> PyResult<()> {
    if r == DISCARD {
        return Ok(());
    }
    let f = top(m)?;
    match f.fast.get_mut(r as usize) {
        Some(slot) => {
            *slot = Some(v);
            Ok(())
        }
        None => Err(Fault::Stuck(format!("register r{r} out of range"))),
    }
}

fn reg_of(rk: Rk) -> PyResult<Reg> {
    match rk {
        Rk::Reg(r) => Ok(r),
        Rk::Const(_) => Err(Fault::Stuck(
            "a constant where a register is required".into(),
        )),
    }
}

fn jump(m: &mut Machine, target: u32, current: usize) -> PyResult<()> {
    if target as usize <= current {
        m.spend_fuel()?;
    }
    top(m)?.rpc = target as usize;
    Ok(())
}

/// One small step of a frame running register code (called by
/// [`super::stack_step::step_mut`] for such frames).
pub fn step_mut(m: &mut Machine) -> PyResult<()> {
    let frame = top(m)?;
    let Some(code) = frame.reg.clone() else {
        return Err(Fault::Stuck("a stack frame in the register step".into()));
    };
    if let Some(v) = frame.stack.pop() {
        // A callee's result or a sent value arrives in the register that
        // waits for it.
        if let Some(r) = frame.pending.take() {
            if r != DISCARD {
                if let Some(slot) = frame.fast.get_mut(r as usize) {
                    *slot = Some(v);
                }
            }
        }
        frame.stack.clear();
    }
    let idx = frame.rpc;
    let Some(ins) = code.instrs.get(idx) else {
        let name = text(&frame.code.name);
        return Err(Fault::Stuck(format!(
            "control ran off the end of the register code of {name}"
        )));
    };
    frame.rlast = idx;
    frame.rpc = idx + 1;
    frame.last = ins.origin as usize;
    m.executed += 1;
    if let Some(p) = m.profile.as_mut() {
        *p.entry(ins.op.name()).or_default() += 1;
        if let RegOp::Apply(
            Opcode::CallFunction
            | Opcode::CallFunctionKw
            | Opcode::CallFunctionEx
            | Opcode::CallMethod,
        ) = ins.op
        {
            // A contiguous call window would need a MOVE for each
            // argument that is a constant or a local (at least).
            let nlocals = code.code.nlocals as usize;
            let outside = ins
                .ins
                .iter()
                .filter(|x| match x {
                    Rk::Const(_) => true,
                    Rk::Reg(r) => (*r as usize) < nlocals,
                })
                .count();
            *p.entry(CALL_WINDOW_MOVES).or_default() += outside as u64;
        }
    }
    match execute(m, &code, idx) {
        Ok(()) => Ok(()),
        Err(Fault::Raise(e)) => {
            m.raise_in_top_frame(e, true);
            Ok(())
        }
        Err(f) => Err(f),
    }
}

/// The stack instruction a register instruction comes from.
fn origin(m: &mut Machine, code: &RegCode, idx: usize) -> PyResult<Instruction> {
    let o = code.instrs[idx].origin as usize;
    top(m)?
        .decoded
        .instructions
        .get(o)
        .copied()
        .ok_or_else(|| Fault::Stuck(format!("register instruction {idx} has no origin")))
}

/// How a lifted stack rule ended.
enum Applied {
    /// It left these values (the outputs, in stack order).
    Values(Vec<Value>),
    /// It started a Python call from the frame at this index; the result
    /// will arrive in that frame's `pending` register.
    Called(usize),
    /// It unwound the frame itself (a bare `raise`).
    Unwound,
}

/// Clears the temporaries `ins` consumes (inputs not listed in `keep`):
/// done when the instruction completes, not when it raises, as CPython
/// pops operands only on the way through.
fn consume(f: &mut Frame, ins: &crate::reg::RegInstr) {
    let nlocals = f.code.nlocals as usize;
    for (k, rk) in ins.ins.iter().enumerate() {
        if let Rk::Reg(r) = rk {
            let r = *r as usize;
            if r >= nlocals && !ins.keep.contains(&(k as u16)) {
                if let Some(slot) = f.fast.get_mut(r) {
                    *slot = None;
                }
            }
        }
    }
}

/// Runs the stack rule of `stack_ins` on `inputs`, taking the `n_out`
/// values it leaves.
fn apply(
    m: &mut Machine,
    stack_ins: Instruction,
    inputs: Vec<Value>,
    n_out: usize,
) -> PyResult<Applied> {
    let depth = m.frames.len();
    top(m)?.stack.extend(inputs);
    super::stack_step::execute(m, stack_ins)?;
    if m.frames.len() > depth {
        return Ok(Applied::Called(depth - 1));
    }
    if stack_ins.opcode == Opcode::RaiseVarargs {
        // A bare `raise` unwinds in the rule itself.
        return Ok(Applied::Unwound);
    }
    let f = top(m)?;
    f.blocks.clear();
    if f.stack.len() < n_out {
        return Err(Fault::Stuck(format!(
            "{} left {} values, {n_out} expected",
            stack_ins.opcode.name(),
            f.stack.len()
        )));
    }
    let out = f.stack.split_off(f.stack.len() - n_out);
    f.stack.clear();
    Ok(Applied::Values(out))
}

fn read_all(m: &mut Machine, ins: &crate::reg::RegInstr) -> PyResult<Vec<Value>> {
    let mut vals = Vec::with_capacity(ins.ins.len());
    for rk in &ins.ins {
        vals.push(read(m, *rk)?);
    }
    Ok(vals)
}

fn execute(m: &mut Machine, code: &Arc<RegCode>, idx: usize) -> PyResult<()> {
    let ins = &code.instrs[idx];
    let vals = read_all(m, ins)?;
    let arg = |k: usize| vals.get(k).cloned().unwrap_or(Value::None);
    match ins.op {
        RegOp::Apply(_) => {
            let stack_ins = origin(m, code, idx)?;
            match apply(m, stack_ins, vals, ins.outs.len())? {
                Applied::Values(out) => {
                    consume(top(m)?, ins);
                    for (r, v) in ins.outs.iter().zip(out) {
                        write(m, *r, v)?;
                    }
                }
                Applied::Called(caller) => {
                    // The result comes back to this frame's output register.
                    if let Some(f) = m.frames.get_mut(caller) {
                        consume(f, ins);
                        f.pending = ins.outs.first().copied();
                    }
                }
                Applied::Unwound => {}
            }
        }
        RegOp::Move => {
            consume(top(m)?, ins);
            write(m, ins.outs[0], arg(0))?;
        }
        RegOp::Delete => {
            let r = ins.outs[0];
            read(m, Rk::Reg(r))?;
            if let Some(slot) = top(m)?.fast.get_mut(r as usize) {
                *slot = None;
            }
        }
        RegOp::Jump => jump(m, ins.target, idx)?,
        RegOp::Branch(sense) => {
            let t = m.truthy(&arg(0))?;
            consume(top(m)?, ins);
            if t == sense {
                jump(m, ins.target, idx)?;
            }
        }
        RegOp::CompareBranch(sense) => {
            let Some(test) = ins.test else {
                return Err(Fault::Stuck("COMPARE_BRANCH without its comparison".into()));
            };
            let here = origin(m, code, idx)?;
            let cmp = Instruction {
                opcode: test,
                arg: ins.arg,
                ..here
            };
            let r = match apply(m, cmp, vals, 1)? {
                Applied::Values(mut out) => out.pop().unwrap_or(Value::None),
                _ => return Err(Fault::Stuck("a comparison left the frame".into())),
            };
            let t = m.truthy(&r)?;
            consume(top(m)?, ins);
            if t == sense {
                jump(m, ins.target, idx)?;
            }
        }
        RegOp::ExcMatchBranch => {
            let matched = m.exception_matches(&arg(0), &arg(1))?;
            consume(top(m)?, ins);
            if !matched {
                jump(m, ins.target, idx)?;
            }
        }
        RegOp::ForIter => {
            // The iterator stays live across the loop (never consumed).
            let r = reg_of(ins.ins[0])?;
            match m.next_of(&arg(0))? {
                Some(v) => write(m, ins.outs[0], v)?,
                None => {
                    if let Some(slot) = top(m)?.fast.get_mut(r as usize) {
                        *slot = None;
                    }
                    jump(m, ins.target, idx)?;
                }
            }
        }
        RegOp::Return => m.return_from_frame(arg(0)),
        RegOp::Yield => {
            let f = top(m)?;
            consume(f, ins);
            f.pending = Some(ins.outs[0]);
            m.yield_from_frame(arg(0))?;
        }
        RegOp::YieldFrom => {
            // Both inputs stay: the instruction runs again on resumption.
            match m.delegate(&arg(0), arg(1))? {
                super::stack_step::Delegated::Yielded(y) => {
                    let f = top(m)?;
                    f.rpc = idx;
                    f.pending = Some(reg_of(ins.ins[1])?);
                    m.yield_from_frame(y)?;
                }
                super::stack_step::Delegated::Returned(r) => {
                    // Done: the iterator and the last sent value are
                    // dropped, as the stack rule pops them.
                    let f = top(m)?;
                    for rk in &ins.ins {
                        if let Rk::Reg(x) = rk {
                            if let Some(slot) = f.fast.get_mut(*x as usize) {
                                *slot = None;
                            }
                        }
                    }
                    write(m, ins.outs[0], r)?
                }
            }
        }
        RegOp::PopExcept => {
            consume(top(m)?, ins);
            m.handling = arg(1).obj();
        }
        RegOp::Reraise => {
            let Some(e) = arg(1).obj() else {
                return Err(Fault::Stuck("RERAISE without an exception".into()));
            };
            m.raise_in_top_frame(e, false);
        }
    }
    Ok(())
}

impl Machine {
    /// Gives `frame` its register form when the machine runs register code
    /// (translated once per code object).
    pub fn attach_reg(&mut self, frame: &mut Frame) -> PyResult<()> {
        let Some(translate) = self.translator else {
            return Ok(());
        };
        if frame.reg.is_some() {
            return Ok(());
        }
        let key = Arc::as_ptr(&frame.code) as usize;
        let rc = match self.reg_code.get(&key) {
            Some(r) => r.clone(),
            None => {
                let r = Arc::new(translate(&frame.code).map_err(|e| {
                    Fault::Stuck(format!("cannot translate {}: {e}", text(&frame.code.name)))
                })?);
                // Register code runs only once the register verifier accepts it.
                crate::reg_verify::verify_reg(&r).map_err(|e| Fault::Stuck(e.to_string()))?;
                self.reg_code.insert(key, r.clone());
                r
            }
        };
        frame.fast.resize(rc.nregs as usize, None);
        frame.reg = Some(rc);
        Ok(())
    }

    /// Unwinds a register frame to its handler for `e`, as
    /// [`Machine::raise_in_top_frame`] does for stack frames; `true` when a
    /// handler took it, `false` when the frame has none.
    pub(crate) fn unwind_reg_frame(&mut self, e: crate::object::ObjId) -> bool {
        let Some(f) = self.frames.back_mut() else {
            return false;
        };
        let Some(code) = f.reg.clone() else {
            return false;
        };
        f.stack.clear();
        f.pending = None;
        let mut restored = None;
        let mut entered = None;
        for b in code.blocks(f.rlast).iter().rev() {
            match *b {
                StaticBlock::ExceptHandler { base } => {
                    restored = Some(
                        f.fast
                            .get(base as usize + 1)
                            .cloned()
                            .flatten()
                            .and_then(|v| v.obj()),
                    );
                }
                StaticBlock::Finally { handler, base } => {
                    entered = Some((handler, base));
                    break;
                }
            }
        }
        if let Some(r) = restored {
            self.handling = r;
        }
        let Some((handler, base)) = entered else {
            return false;
        };
        let six = self.enter_handler(e);
        if let Some(f) = self.frames.back_mut() {
            let base = base as usize;
            for slot in f.fast.iter_mut().skip(base) {
                *slot = None;
            }
            for (k, v) in six.into_iter().enumerate() {
                if let Some(slot) = f.fast.get_mut(base + k) {
                    *slot = Some(v);
                }
            }
            f.rpc = handler as usize;
        }
        true
    }
}
