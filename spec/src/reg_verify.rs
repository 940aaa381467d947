//! The register verifier: rejects ill-formed register code before anything
//! runs it.
//!
//! [`verify_reg`] checks a [`RegCode`] against the register ISA
//! ([`crate::reg`]) and its executable semantics
//! ([`crate::interp::reg_step`]):
//!
//! 1. **Shape**: every instruction has the operands [`shape`] gives its
//!    opcode and argument (a stack opcode with no register form is
//!    rejected); inputs that must be registers are; only
//!    `COMPARE_BRANCH` carries a comparison, which is `COMPARE_OP`,
//!    `IS_OP` or `CONTAINS_OP` with a valid argument; the argument of a
//!    lifted opcode is valid for it; jump targets are instructions.
//! 2. **Bounds**: registers are below `nregs` (the discard register `_`
//!    only as an output), constants index `co_consts`, every `origin` is a
//!    stack instruction, and a lifted opcode's origin is that very stack
//!    instruction (the register step runs the origin's stack rule);
//!    `DELETE` unbinds only fast locals.
//! 3. **Exception table**: one block stack per instruction, each an index
//!    of [`RegCode::block_stacks`]; handlers are instructions; a block's
//!    registers (six for a finally block, three for an except handler) lie
//!    among the temporaries.
//! 4. **Cells**: only `LOAD_CLOSURE`, `LOAD_DEREF`, `STORE_DEREF`,
//!    `DELETE_DEREF` and `LOAD_CLASSDEREF` name cells, and their argument
//!    indexes the cell array.
//! 5. **Definition before use**: a forward must-analysis over the register
//!    control-flow graph (fall-through, jump targets, and the exception
//!    edge of every instruction that can raise to the innermost finally
//!    block of its static block stack) proves every temporary register is
//!    written on every path to each reachable instruction that reads it.
//!    Fast locals may be read unbound: that raises `UnboundLocalError`, as
//!    in CPython.
//! 6. **No fall-off**: no reachable instruction falls through past the
//!    last one.
//!
//! The header must also be coherent: `co_nlocals` equals the number of
//! `co_varnames`, the register file holds the locals, the stack code
//! decodes and the code is not empty.

use crate::code::CodeObject;
use crate::decode::{decode, DecodeError};
use crate::opcode::{ArgKind, Opcode};
use crate::reg::{shape, Reg, RegCode, RegInstr, RegOp, Rk, StaticBlock, DISCARD};
use std::fmt;
use thiserror::Error;

/// A rule of well-formedness of register code, as broken by some code.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RegRule {
    /// `co_nlocals` disagrees with `co_varnames`.
    #[error("co_nlocals is {nlocals} but co_varnames has {varnames} names")]
    NlocalsMismatch {
        /// `co_nlocals`.
        nlocals: u32,
        /// `len(co_varnames)`.
        varnames: usize,
    },
    /// The register file cannot hold the fast locals.
    #[error("{nregs} registers cannot hold the {nlocals} fast locals")]
    TooFewRegisters {
        /// [`RegCode::nregs`].
        nregs: u16,
        /// `co_nlocals`.
        nlocals: u32,
    },
    /// The stack code the register code comes from does not decode.
    #[error("the stack code does not decode: {0}")]
    Decode(DecodeError),
    /// The exception table does not give one block stack per instruction.
    #[error("the exception table has {blocks_at} entries for {instrs} instructions")]
    ExceptionTableLength {
        /// `blocks_at.len()`.
        blocks_at: usize,
        /// `instrs.len()`.
        instrs: usize,
    },
    /// A stack opcode that has no register form.
    #[error("{op} has no register form")]
    NoRegisterForm {
        /// The stack opcode's name.
        op: &'static str,
    },
    /// Wrong number of outputs or inputs for the opcode and argument.
    #[error("{expected} {kind} expected, {found} given")]
    OperandCount {
        /// `"outputs"` or `"inputs"`.
        kind: &'static str,
        /// What the shape requires.
        expected: u32,
        /// What the instruction has.
        found: usize,
    },
    /// A constant where the opcode reads a register.
    #[error("input {position} is a constant where a register is required")]
    ConstantInput {
        /// The input's position (0-based).
        position: usize,
    },
    /// A comparison on an instruction other than `COMPARE_BRANCH`.
    #[error("a comparison ({test}) on an instruction that is not COMPARE_BRANCH")]
    UnexpectedTest {
        /// The comparison's opcode name.
        test: &'static str,
    },
    /// `COMPARE_BRANCH` without its comparison.
    #[error("COMPARE_BRANCH without its comparison")]
    MissingTest,
    /// `COMPARE_BRANCH` whose comparison is not one.
    #[error("{test} is not a comparison (COMPARE_OP, IS_OP or CONTAINS_OP)")]
    NotAComparison {
        /// The opcode given as the comparison.
        test: &'static str,
    },
    /// An argument outside the values the opcode defines.
    #[error("argument {arg} is not valid here: {expected}")]
    BadArgument {
        /// The argument.
        arg: u32,
        /// What the opcode accepts.
        expected: &'static str,
    },
    /// A `keep` entry that names no input temporary.
    #[error("keep position {position} names no temporary input")]
    KeepNotATemporary {
        /// The position in `keep`'s list.
        position: u16,
    },
    /// A jump target that is no instruction.
    #[error("target {target} is not an instruction (the code has {len})")]
    TargetOutOfRange {
        /// The target.
        target: u32,
        /// Number of instructions.
        len: usize,
    },
    /// A register beyond the register file.
    #[error("register r{reg} is beyond the {nregs} registers")]
    RegisterOutOfRange {
        /// The register.
        reg: Reg,
        /// [`RegCode::nregs`].
        nregs: u16,
    },
    /// The discard register used as an input.
    #[error("the discard register _ is read")]
    DiscardRead,
    /// A constant index beyond `co_consts`.
    #[error("constant k{index} is beyond co_consts ({len} entries)")]
    ConstOutOfRange {
        /// The index.
        index: u32,
        /// `len(co_consts)`.
        len: usize,
    },
    /// A name index beyond `co_names`.
    #[error("name {index} is beyond co_names ({len} entries)")]
    NameOutOfRange {
        /// The index.
        index: u32,
        /// `len(co_names)`.
        len: usize,
    },
    /// A cell index beyond the cell array.
    #[error("cell {index} is beyond the {ncells} cells (co_cellvars + co_freevars)")]
    CellOutOfRange {
        /// The index.
        index: u32,
        /// `len(co_cellvars) + len(co_freevars)`.
        ncells: usize,
    },
    /// A cell argument on an opcode that is not one of the five cell
    /// opcodes.
    #[error("{op} takes a cell argument but is not a cell opcode")]
    NotACellOpcode {
        /// The opcode's name.
        op: &'static str,
    },
    /// An `origin` that is no stack instruction.
    #[error("origin {origin} is not a stack instruction (the stack code has {len})")]
    OriginOutOfRange {
        /// The origin.
        origin: u32,
        /// Number of stack instructions.
        len: usize,
    },
    /// A lifted opcode whose origin is a different stack instruction (the
    /// register step runs the origin's rule).
    #[error("origin {origin} is {stack}[{stack_arg}], not the lifted opcode")]
    OriginMismatch {
        /// The origin.
        origin: u32,
        /// The origin's opcode name.
        stack: &'static str,
        /// The origin's argument.
        stack_arg: u32,
    },
    /// `DELETE` of a register that is no fast local.
    #[error("DELETE of r{reg}, which is not one of the {nlocals} fast locals")]
    DeleteNotLocal {
        /// The register.
        reg: Reg,
        /// `co_nlocals`.
        nlocals: u32,
    },
    /// A block stack index beyond [`RegCode::block_stacks`].
    #[error("block stack {index} is beyond the {len} block stacks")]
    BlockStackOutOfRange {
        /// The index.
        index: u32,
        /// `block_stacks.len()`.
        len: usize,
    },
    /// A finally block whose handler is no instruction.
    #[error("handler {handler} is not an instruction (the code has {len})")]
    HandlerOutOfRange {
        /// The handler.
        handler: u32,
        /// Number of instructions.
        len: usize,
    },
    /// A block whose registers go beyond the register file.
    #[error("a block at base r{base} needs {needs} registers, beyond the {nregs} registers")]
    BlockRegistersOutOfRange {
        /// The block's base.
        base: Reg,
        /// 6 for a finally block, 3 for an except handler.
        needs: u32,
        /// [`RegCode::nregs`].
        nregs: u16,
    },
    /// A block whose base is a fast local (handlers use temporaries only).
    #[error("a block at base r{base} overlaps the {nlocals} fast locals")]
    BlockBaseIsLocal {
        /// The block's base.
        base: Reg,
        /// `co_nlocals`.
        nlocals: u32,
    },
    /// A temporary read where some path has not written it.
    #[error("temporary r{reg} is read but not written on every path here")]
    Undefined {
        /// The register.
        reg: Reg,
    },
    /// Control runs past the last instruction.
    #[error("control falls off the end of the code")]
    FallsOffEnd,
}

/// A register verification failure: which code object, where, and the
/// rule broken.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub struct RegVerifyError {
    /// `co_name` of the code object.
    pub code_name: String,
    /// Index of the offending register instruction, when the rule is about
    /// one.
    pub index: Option<usize>,
    /// That instruction, as its `Display` shows it.
    pub instr: Option<String>,
    /// The rule broken.
    pub rule: RegRule,
}

impl fmt::Display for RegVerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "register code of {}", self.code_name)?;
        if let Some(i) = self.index {
            write!(f, " at instruction {i}")?;
        }
        if let Some(ins) = &self.instr {
            write!(f, " ({ins})")?;
        }
        write!(f, ": {}", self.rule)
    }
}

/// Checks `code` against every rule of the module documentation.
pub fn verify_reg(code: &RegCode) -> Result<(), RegVerifyError> {
    let co: &CodeObject = &code.code;
    let whole = |rule: RegRule| RegVerifyError {
        code_name: co.name.to_string_lossy(),
        index: None,
        instr: None,
        rule,
    };
    let at = |i: usize, rule: RegRule| RegVerifyError {
        code_name: co.name.to_string_lossy(),
        index: Some(i),
        instr: code.instrs.get(i).map(RegInstr::to_string),
        rule,
    };
    if co.nlocals as usize != co.varnames.len() {
        return Err(whole(RegRule::NlocalsMismatch {
            nlocals: co.nlocals,
            varnames: co.varnames.len(),
        }));
    }
    if u32::from(code.nregs) < co.nlocals {
        return Err(whole(RegRule::TooFewRegisters {
            nregs: code.nregs,
            nlocals: co.nlocals,
        }));
    }
    let stack = decode(&co.code).map_err(|e| whole(RegRule::Decode(e)))?;
    if code.blocks_at.len() != code.instrs.len() {
        return Err(whole(RegRule::ExceptionTableLength {
            blocks_at: code.blocks_at.len(),
            instrs: code.instrs.len(),
        }));
    }
    if code.instrs.is_empty() {
        return Err(whole(RegRule::FallsOffEnd));
    }
    for (i, ins) in code.instrs.iter().enumerate() {
        check_instr(code, &stack, ins).map_err(|r| at(i, r))?;
        check_blocks(code, i).map_err(|r| at(i, r))?;
    }
    let (i, rule) = match DefUse::new(code).run() {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    Err(at(i, rule))
}

/// `co_nlocals`, as a bound on register numbers.
fn nlocals(code: &RegCode) -> u32 {
    code.code.nlocals
}

/// Rules 1, 2 and 4 for one instruction.
fn check_instr(
    code: &RegCode,
    stack: &[crate::decode::Instruction],
    ins: &RegInstr,
) -> Result<(), RegRule> {
    let co = &code.code;
    let Some(sh) = shape(ins.op, ins.arg) else {
        return Err(RegRule::NoRegisterForm { op: ins.op.name() });
    };
    match (ins.op, ins.test) {
        (RegOp::CompareBranch(_), None) => return Err(RegRule::MissingTest),
        (RegOp::CompareBranch(_), Some(t)) => {
            let limit = match t {
                Opcode::CompareOp => 5,
                Opcode::IsOp | Opcode::ContainsOp => 1,
                _ => return Err(RegRule::NotAComparison { test: t.name() }),
            };
            if ins.arg > limit {
                return Err(RegRule::BadArgument {
                    arg: ins.arg,
                    expected: if limit == 5 {
                        "a COMPARE_OP index 0..=5"
                    } else {
                        "0 or 1 (invert)"
                    },
                });
            }
        }
        (_, Some(t)) => return Err(RegRule::UnexpectedTest { test: t.name() }),
        (_, None) => {}
    }
    if let RegOp::Apply(o) = ins.op {
        check_argument(co, o, ins.arg)?;
    }
    if ins.outs.len() as u64 != u64::from(sh.outs) {
        return Err(RegRule::OperandCount {
            kind: "outputs",
            expected: sh.outs,
            found: ins.outs.len(),
        });
    }
    if ins.ins.len() as u64 != u64::from(sh.ins) {
        return Err(RegRule::OperandCount {
            kind: "inputs",
            expected: sh.ins,
            found: ins.ins.len(),
        });
    }
    if sh.ins_are_regs {
        if let Some(position) = ins.ins.iter().position(|x| matches!(x, Rk::Const(_))) {
            return Err(RegRule::ConstantInput { position });
        }
    }
    for &position in &ins.keep {
        let is_temp = matches!(
            ins.ins.get(position as usize),
            Some(Rk::Reg(r)) if u32::from(*r) >= code.code.nlocals && *r != DISCARD
        );
        if !is_temp {
            return Err(RegRule::KeepNotATemporary { position });
        }
    }
    if sh.target && ins.target as usize >= code.instrs.len() {
        return Err(RegRule::TargetOutOfRange {
            target: ins.target,
            len: code.instrs.len(),
        });
    }
    for &r in &ins.outs {
        if r != DISCARD && r >= code.nregs {
            return Err(RegRule::RegisterOutOfRange {
                reg: r,
                nregs: code.nregs,
            });
        }
    }
    for x in &ins.ins {
        match *x {
            Rk::Reg(DISCARD) => return Err(RegRule::DiscardRead),
            Rk::Reg(r) if r >= code.nregs => {
                return Err(RegRule::RegisterOutOfRange {
                    reg: r,
                    nregs: code.nregs,
                })
            }
            Rk::Const(k) if k as usize >= co.consts.len() => {
                return Err(RegRule::ConstOutOfRange {
                    index: u32::from(k),
                    len: co.consts.len(),
                })
            }
            _ => {}
        }
    }
    let Some(origin) = stack.get(ins.origin as usize) else {
        return Err(RegRule::OriginOutOfRange {
            origin: ins.origin,
            len: stack.len(),
        });
    };
    if let RegOp::Apply(o) = ins.op {
        if origin.opcode != o || origin.arg != ins.arg {
            return Err(RegRule::OriginMismatch {
                origin: ins.origin,
                stack: origin.opcode.name(),
                stack_arg: origin.arg,
            });
        }
    }
    if ins.op == RegOp::Delete {
        if let Some(&r) = ins.outs.first() {
            if u32::from(r) >= nlocals(code) || r == DISCARD {
                return Err(RegRule::DeleteNotLocal {
                    reg: r,
                    nlocals: nlocals(code),
                });
            }
        }
    }
    Ok(())
}

/// The argument of a lifted opcode against the table it indexes or the
/// values it defines (the stack verifier's rule, for register code that
/// did not come through it).
fn check_argument(co: &CodeObject, op: Opcode, arg: u32) -> Result<(), RegRule> {
    let allowed = |ok: bool, expected: &'static str| {
        if ok {
            Ok(())
        } else {
            Err(RegRule::BadArgument { arg, expected })
        }
    };
    match op.info().arg {
        ArgKind::Const if arg as usize >= co.consts.len() => Err(RegRule::ConstOutOfRange {
            index: arg,
            len: co.consts.len(),
        }),
        ArgKind::Name if arg as usize >= co.names.len() => Err(RegRule::NameOutOfRange {
            index: arg,
            len: co.names.len(),
        }),
        ArgKind::Local => allowed(
            arg < co.nlocals,
            "a fast local (no lifted opcode takes one)",
        ),
        ArgKind::Cell => {
            if !matches!(
                op,
                Opcode::LoadClosure
                    | Opcode::LoadDeref
                    | Opcode::StoreDeref
                    | Opcode::DeleteDeref
                    | Opcode::LoadClassderef
            ) {
                return Err(RegRule::NotACellOpcode { op: op.name() });
            }
            if arg as usize >= co.ncells() {
                return Err(RegRule::CellOutOfRange {
                    index: arg,
                    ncells: co.ncells(),
                });
            }
            Ok(())
        }
        ArgKind::Compare => allowed(arg <= 5, "a COMPARE_OP index 0..=5"),
        ArgKind::StackDepth => allowed(arg >= 1, "a stack depth of at least 1"),
        ArgKind::Flags => match op {
            Opcode::IsOp | Opcode::ContainsOp => allowed(arg <= 1, "0 or 1 (invert)"),
            Opcode::MakeFunction => allowed(arg <= 0x0F, "MAKE_FUNCTION flags 0..=0x0F"),
            Opcode::CallFunctionEx => allowed(arg <= 1, "0 or 1 (has keyword mapping)"),
            Opcode::FormatValue => allowed(arg <= 7, "FORMAT_VALUE flags 0..=7"),
            _ => Ok(()),
        },
        ArgKind::Count => match op {
            Opcode::RaiseVarargs => allowed(arg <= 2, "RAISE_VARARGS count 0..=2"),
            Opcode::BuildSlice => allowed(arg == 2 || arg == 3, "BUILD_SLICE count 2 or 3"),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Rule 3 for the block stack of instruction `i`.
fn check_blocks(code: &RegCode, i: usize) -> Result<(), RegRule> {
    let index = code.blocks_at[i];
    let Some(blocks) = code.block_stacks.get(index as usize) else {
        return Err(RegRule::BlockStackOutOfRange {
            index,
            len: code.block_stacks.len(),
        });
    };
    for b in blocks {
        let (base, needs) = match *b {
            StaticBlock::Finally { handler, base } => {
                if handler as usize >= code.instrs.len() {
                    return Err(RegRule::HandlerOutOfRange {
                        handler,
                        len: code.instrs.len(),
                    });
                }
                (base, 6)
            }
            StaticBlock::ExceptHandler { base } => (base, 3),
        };
        if u32::from(base) < nlocals(code) {
            return Err(RegRule::BlockBaseIsLocal {
                base,
                nlocals: nlocals(code),
            });
        }
        if u32::from(base) + needs > u32::from(code.nregs) {
            return Err(RegRule::BlockRegistersOutOfRange {
                base,
                needs,
                nregs: code.nregs,
            });
        }
    }
    Ok(())
}

/// A set of tracked temporaries, one bit each.
type Bits = Vec<u64>;

fn bit(b: &Bits, k: usize) -> bool {
    b.get(k / 64).is_some_and(|w| (w >> (k % 64)) & 1 == 1)
}

fn set_bit(b: &mut Bits, k: usize) {
    if let Some(w) = b.get_mut(k / 64) {
        *w |= 1 << (k % 64);
    }
}

fn clear_bit(b: &mut Bits, k: usize) {
    if let Some(w) = b.get_mut(k / 64) {
        *w &= !(1 << (k % 64));
    }
}

/// Rules 5 and 6: the must-analysis of defined temporaries. Only the
/// temporaries that some instruction reads are tracked (writes to others
/// cannot matter), numbered densely in register order so that "below a
/// block's base" is a prefix of the numbering.
struct DefUse<'a> {
    code: &'a RegCode,
    /// The tracked temporaries, ascending.
    tracked: Vec<Reg>,
    words: usize,
    /// The defined set at each instruction's entry (`None`: unreached).
    state: Vec<Option<Bits>>,
    work: Vec<usize>,
}

impl<'a> DefUse<'a> {
    fn new(code: &'a RegCode) -> Self {
        let mut tracked: Vec<Reg> = code
            .instrs
            .iter()
            .flat_map(|ins| reads(code, ins))
            .collect();
        tracked.sort_unstable();
        tracked.dedup();
        let words = tracked.len().div_ceil(64);
        DefUse {
            code,
            tracked,
            words,
            state: vec![None; code.instrs.len()],
            work: Vec::new(),
        }
    }

    /// The dense number of a tracked register.
    fn dense(&self, r: Reg) -> Option<usize> {
        self.tracked.binary_search(&r).ok()
    }

    /// How many tracked registers are below `r`.
    fn below(&self, r: Reg) -> usize {
        self.tracked.partition_point(|&t| t < r)
    }

    fn define(&self, s: &mut Bits, r: Reg) {
        if r != DISCARD {
            if let Some(k) = self.dense(r) {
                set_bit(s, k);
            }
        }
    }

    /// Merges `s` into the entry state of `j`, queueing `j` when it
    /// changed.
    fn flow_to(&mut self, j: usize, s: Bits) {
        let Some(slot) = self.state.get_mut(j) else {
            return;
        };
        let changed = match slot {
            None => {
                *slot = Some(s);
                true
            }
            Some(old) => {
                let mut changed = false;
                for (o, n) in old.iter_mut().zip(&s) {
                    let m = *o & n;
                    changed |= m != *o;
                    *o = m;
                }
                changed
            }
        };
        if changed {
            self.work.push(j);
        }
    }

    /// Propagates the entry state of `i` to its successors.
    fn step(&mut self, i: usize) {
        let Some(s) = self.state[i].clone() else {
            return;
        };
        let code = self.code;
        let ins = &code.instrs[i];
        if can_raise(code, ins) {
            let handler = code.blocks(i).iter().rev().find_map(|b| match *b {
                StaticBlock::Finally { handler, base } => Some((handler, base)),
                StaticBlock::ExceptHandler { .. } => None,
            });
            if let Some((handler, base)) = handler {
                let mut h = s.clone();
                let cut = self.below(base);
                for k in cut..self.tracked.len() {
                    clear_bit(&mut h, k);
                }
                for r in u32::from(base)..u32::from(base) + 6 {
                    if let Ok(r) = Reg::try_from(r) {
                        self.define(&mut h, r);
                    }
                }
                self.flow_to(handler as usize, h);
            }
        }
        // On completion the instruction consumes its input temporaries
        // that are not kept (ForIter and YieldFrom keep theirs; Return and
        // Reraise leave).
        let mut s = s;
        if !matches!(ins.op, RegOp::ForIter | RegOp::YieldFrom) {
            for (k, x) in ins.ins.iter().enumerate() {
                if let Rk::Reg(r) = *x {
                    if !ins.keep.contains(&(k as u16)) {
                        if let Some(d) = self.dense(r) {
                            clear_bit(&mut s, d);
                        }
                    }
                }
            }
        }
        let has_target = shape(ins.op, ins.arg).is_some_and(|sh| sh.target);
        if has_target {
            let mut t = s.clone();
            if ins.op == RegOp::ForIter {
                if let Some(Rk::Reg(it)) = ins.ins.first() {
                    if let Some(k) = self.dense(*it) {
                        clear_bit(&mut t, k);
                    }
                }
            }
            self.flow_to(ins.target as usize, t);
        }
        if falls_through(ins) {
            let mut f = s;
            if ins.op != RegOp::Delete {
                for &r in &ins.outs {
                    self.define(&mut f, r);
                }
            }
            self.flow_to(i + 1, f);
        }
    }

    /// Runs the analysis to its fixed point, then checks every reachable
    /// instruction in order: its reads, then that it does not fall off the
    /// end.
    fn run(mut self) -> Result<(), (usize, RegRule)> {
        self.state[0] = Some(vec![0; self.words]);
        self.work.push(0);
        while let Some(i) = self.work.pop() {
            self.step(i);
        }
        let code = self.code;
        for (i, ins) in code.instrs.iter().enumerate() {
            let Some(s) = &self.state[i] else { continue };
            for r in reads(code, ins) {
                if !self.dense(r).is_some_and(|k| bit(s, k)) {
                    return Err((i, RegRule::Undefined { reg: r }));
                }
            }
            if falls_through(ins) && i + 1 >= code.instrs.len() {
                return Err((i, RegRule::FallsOffEnd));
            }
        }
        Ok(())
    }
}

/// The temporaries an instruction reads.
fn reads<'a>(code: &'a RegCode, ins: &'a RegInstr) -> impl Iterator<Item = Reg> + 'a {
    ins.ins.iter().filter_map(move |x| match *x {
        Rk::Reg(r) if u32::from(r) >= nlocals(code) && r != DISCARD => Some(r),
        _ => None,
    })
}

/// Whether control may continue at the next instruction.
fn falls_through(ins: &RegInstr) -> bool {
    !matches!(
        ins.op,
        RegOp::Jump | RegOp::Return | RegOp::Reraise | RegOp::Apply(Opcode::RaiseVarargs)
    )
}

/// Whether the instruction may raise (conservatively: all but a jump and a
/// move of a temporary or a constant).
fn can_raise(code: &RegCode, ins: &RegInstr) -> bool {
    match ins.op {
        RegOp::Jump => false,
        RegOp::Move => match ins.ins.first() {
            Some(Rk::Reg(r)) => u32::from(*r) < nlocals(code),
            Some(Rk::Const(_)) => false,
            None => true,
        },
        _ => true,
    }
}
