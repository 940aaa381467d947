//! The register ISA: pyreg's register form of CPython 3.9 code.
//!
//! A register code object ([`RegCode`]) runs on one register file per
//! frame: the fast locals first (register `i` is `co_varnames[i]`), then
//! the temporaries. An instruction ([`RegInstr`]) names its inputs as
//! [`Rk`] operands — a register or a constant of `co_consts`, so a
//! constant needs no load — and its outputs as registers, so `x = a + b`
//! is one instruction whose destination is the local `x`.
//!
//! The instructions come in two families ([`RegOp`]):
//!
//! - **Lifted stack opcodes** ([`RegOp::Apply`]): every value-computing
//!   opcode of the stack ISA in three-address form. Its rule is the stack
//!   rule of that opcode applied to operands taken from registers: the
//!   inputs, in stack order (deepest first), are the values the stack
//!   opcode would read, and the outputs receive, in stack order, the values
//!   it leaves in that part of the stack. Their number is fixed by the
//!   stack ISA table ([`shape`]), so the stack ISA stays the single source
//!   of truth for both forms. Examples: `BINARY_ADD r2 <- r0, k1`;
//!   `CALL_FUNCTION r3 <- r4, r0` (call `r4` with `r0`);
//!   `UNPACK_SEQUENCE r1, r0 <- r5`.
//! - **Register-native instructions**: data movement ([`RegOp::Move`]),
//!   control flow with explicit targets ([`RegOp::Jump`], the branches,
//!   among them the fused compare-and-branch [`RegOp::CompareBranch`],
//!   [`RegOp::ForIter`]), frame exits ([`RegOp::Return`], [`RegOp::Yield`],
//!   [`RegOp::YieldFrom`]) and the exception instructions whose stack forms
//!   manipulate the block stack ([`RegOp::PopExcept`], [`RegOp::Reraise`]).
//!
//! There is no block stack at run time: `SETUP_FINALLY`, `SETUP_WITH`'s
//! block and `POP_BLOCK` become the static exception table
//! ([`RegCode::blocks_at`]), which gives for every instruction the blocks
//! CPython 3.9 would have on its block stack there. An exception unwinds
//! through them as `ceval.c` unwinds the block stack, with registers in
//! place of stack slots (see [`StaticBlock`]).
//!
//! Temporaries are consumed by the instruction that reads them last: an
//! input temporary not listed in [`RegInstr::keep`] is cleared once read,
//! so a temporary holds an object exactly as long as CPython's operand
//! stack would (the translator computes `keep` by liveness).
//!
//! Cells are not registers: cell and free variables stay in the frame's
//! cell array, reached only by the lifted `LOAD_DEREF`, `STORE_DEREF`,
//! `DELETE_DEREF`, `LOAD_CLOSURE` and `LOAD_CLASSDEREF`.
//!
//! `docs/register-isa.md` explains each choice and its alternatives.

use crate::code::CodeObject;
use crate::opcode::{Flow, Opcode};
use std::fmt;
use std::sync::Arc;

/// A register number: `0..nlocals` are the fast locals, then temporaries.
pub type Reg = u16;

/// The output register that drops its value (an expression statement's
/// result, a popped value that nothing reads).
pub const DISCARD: Reg = u16::MAX;

/// An input operand: a register or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rk {
    /// Register `r`.
    Reg(Reg),
    /// Constant `co_consts[k]`.
    Const(u16),
}

/// The register opcodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RegOp {
    /// A lifted stack opcode (see the module documentation).
    Apply(Opcode),
    /// `MOVE out <- in`: copies a value. Reading an unbound local raises
    /// `UnboundLocalError` (`local variable 'x' referenced before
    /// assignment`), as the `LOAD_FAST` it replaces would.
    Move,
    /// `DELETE out`: unbinds a local; `UnboundLocalError` if it is unbound
    /// (`DELETE_FAST`).
    Delete,
    /// `JUMP target`.
    Jump,
    /// `BRANCH_IF_TRUE in, target` / `BRANCH_IF_FALSE in, target`: jumps
    /// when the truth of the input (`bool(x)`, which may call `__bool__`
    /// or `__len__` and raise) equals the flag.
    Branch(bool),
    /// `COMPARE_BRANCH[op] a, b, target`: the comparison `op` (a
    /// `COMPARE_OP`, `IS_OP` or `CONTAINS_OP` with its argument) then a
    /// branch on its truth, without materialising the result. Fused from
    /// the comparison and the `POP_JUMP_IF_*` that consumed it.
    CompareBranch(bool),
    /// `BRANCH_IF_NOT_EXC_MATCH a, b, target`: `JUMP_IF_NOT_EXC_MATCH`.
    ExcMatchBranch,
    /// `FOR_ITER out <- iter, target`: `out = next(iter)`, or when the
    /// iterator is exhausted, clears `iter` and jumps to the target.
    ForIter,
    /// `RETURN in`: returns the value from the frame.
    Return,
    /// `YIELD out <- in`: yields the input; when resumed, `out` receives
    /// the value sent in.
    Yield,
    /// `YIELD_FROM out <- iter, value`: sends `value` to `iter` (which
    /// must be a register, as must `value`); while it yields, the frame
    /// yields the same value and, when resumed, receives the sent value in
    /// `value` and runs this instruction again; when it returns, both
    /// input registers are cleared and `out` receives the result.
    YieldFrom,
    /// `POP_EXCEPT tb, value, type`: leaves an except handler, making the
    /// saved exception `value` the one being handled again.
    PopExcept,
    /// `RERAISE tb, value, type`: re-raises the exception `value` (the
    /// `RERAISE` at the end of a finally block or of an unmatched except).
    Reraise,
}

/// Every register-native opcode (all but the lifted ones), in a fixed
/// order: the encoding numbers them in this order.
pub const NATIVE_OPS: [RegOp; 14] = [
    RegOp::Move,
    RegOp::Delete,
    RegOp::Jump,
    RegOp::Branch(false),
    RegOp::Branch(true),
    RegOp::CompareBranch(false),
    RegOp::CompareBranch(true),
    RegOp::ExcMatchBranch,
    RegOp::ForIter,
    RegOp::Return,
    RegOp::Yield,
    RegOp::YieldFrom,
    RegOp::PopExcept,
    RegOp::Reraise,
];

impl RegOp {
    /// The name shown by `dis` for this opcode (the stack name for lifted
    /// opcodes).
    pub fn name(self) -> &'static str {
        match self {
            RegOp::Apply(op) => op.name(),
            RegOp::Move => "MOVE",
            RegOp::Delete => "DELETE",
            RegOp::Jump => "JUMP",
            RegOp::Branch(true) => "BRANCH_IF_TRUE",
            RegOp::Branch(false) => "BRANCH_IF_FALSE",
            RegOp::CompareBranch(true) => "COMPARE_BRANCH_IF_TRUE",
            RegOp::CompareBranch(false) => "COMPARE_BRANCH_IF_FALSE",
            RegOp::ExcMatchBranch => "BRANCH_IF_NOT_EXC_MATCH",
            RegOp::ForIter => "FOR_ITER",
            RegOp::Return => "RETURN",
            RegOp::Yield => "YIELD",
            RegOp::YieldFrom => "YIELD_FROM",
            RegOp::PopExcept => "POP_EXCEPT",
            RegOp::Reraise => "RERAISE",
        }
    }

    /// Whether executing this instruction is pure data movement (what the
    /// move statistics count).
    pub fn is_move(self) -> bool {
        matches!(self, RegOp::Move)
    }
}

/// What kind of value an operand position holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    /// A register that is written.
    Out,
    /// A register or a constant that is read.
    In,
    /// A register (never a constant) that is read.
    InReg,
    /// An instruction index of the same code object.
    Target,
}

/// How many operands of each kind an instruction has: the operand-kind
/// table of the register ISA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Output registers.
    pub outs: u32,
    /// Inputs.
    pub ins: u32,
    /// Whether the inputs must be registers.
    pub ins_are_regs: bool,
    /// Whether it has a jump target.
    pub target: bool,
}

/// The operand shape of `op` with argument `arg`, or `None` for a stack
/// opcode that has no register form (the stack shuffles, `LOAD_FAST`,
/// `STORE_FAST`, `LOAD_CONST`, the jumps and block setup, which become
/// operands, destinations, register-native branches or the exception
/// table).
pub fn shape(op: RegOp, arg: u32) -> Option<Shape> {
    let s = |outs, ins, ins_are_regs, target| {
        Some(Shape {
            outs,
            ins,
            ins_are_regs,
            target,
        })
    };
    match op {
        RegOp::Apply(o) => {
            if !liftable(o) {
                return None;
            }
            let ins = crate::verify::stack_inputs(o, arg);
            let effect = o.info().effect.of(arg, false);
            let outs = i64::from(ins) + i64::from(effect);
            u32::try_from(outs)
                .ok()
                .and_then(|outs| s(outs, ins, false, false))
        }
        RegOp::Move => s(1, 1, false, false),
        RegOp::Delete => s(1, 0, false, false),
        RegOp::Jump => s(0, 0, false, true),
        RegOp::Branch(_) => s(0, 1, false, true),
        RegOp::CompareBranch(_) | RegOp::ExcMatchBranch => s(0, 2, false, true),
        RegOp::ForIter => s(1, 1, true, true),
        RegOp::Return => s(0, 1, false, false),
        RegOp::Yield => s(1, 1, false, false),
        RegOp::YieldFrom => s(1, 2, true, false),
        RegOp::PopExcept | RegOp::Reraise => s(0, 3, true, false),
    }
}

/// How many of a lifted opcode's inputs (the deepest ones) its stack rule
/// leaves in place unchanged: the container under the appended item of
/// `LIST_APPEND i` and the `i - 1` values above it, the seven values under
/// `WITH_EXCEPT_START`'s result. Their outputs are the same objects as the
/// inputs, so the translator writes them to [`DISCARD`] and leaves the
/// values where they are.
pub fn passed_through(op: Opcode, arg: u32) -> u32 {
    use Opcode::*;
    let inputs = crate::verify::stack_inputs(op, arg);
    let popped = match op {
        ListAppend | SetAdd | ListExtend | SetUpdate | DictUpdate | DictMerge => 1,
        MapAdd => 2,
        WithExceptStart => 0,
        _ => return 0,
    };
    inputs.saturating_sub(popped)
}

/// Whether a stack opcode is lifted as it is into the register ISA.
pub fn liftable(op: Opcode) -> bool {
    use Opcode::*;
    let info = op.info();
    !matches!(
        op,
        Nop | PopTop
            | RotTwo
            | RotThree
            | RotFour
            | DupTop
            | DupTopTwo
            | LoadFast
            | StoreFast
            | DeleteFast
            | LoadConst
            | ReturnValue
            | YieldValue
            | YieldFrom
            | PopBlock
            | PopExcept
            | Reraise
            | SetupFinally
            | ExtendedArg
            | JumpIfNotExcMatch
            | ForIter
    ) && matches!(info.flow, Flow::Next)
        || matches!(op, SetupWith | SetupAsyncWith | RaiseVarargs)
}

/// One register instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegInstr {
    /// The opcode.
    pub op: RegOp,
    /// The stack opcode's argument for [`RegOp::Apply`] and
    /// [`RegOp::CompareBranch`] (whose comparison opcode is `test`); 0
    /// otherwise.
    pub arg: u32,
    /// For [`RegOp::CompareBranch`]: the comparison (`COMPARE_OP`,
    /// `IS_OP` or `CONTAINS_OP`).
    pub test: Option<Opcode>,
    /// Output registers, in stack order.
    pub outs: Vec<Reg>,
    /// Inputs, in stack order.
    pub ins: Vec<Rk>,
    /// The jump target (an instruction index), when the shape has one.
    pub target: u32,
    /// Index of the stack instruction this one comes from: tracebacks,
    /// line numbers and `f_lasti` report that instruction.
    pub origin: u32,
    /// Positions in `ins` of temporaries that stay live after the
    /// instruction. Every other temporary input is consumed: cleared once
    /// the inputs are read (before the outputs are written), as the stack
    /// instruction pops it, so no object outlives its last use.
    pub keep: Vec<u16>,
}

/// A block of CPython 3.9's block stack as the exception table states it
/// for an instruction, with register numbers in place of stack levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaticBlock {
    /// A `SETUP_FINALLY`/`SETUP_WITH` block: an exception clears the
    /// temporaries from `base` up, writes the previously handled exception
    /// (traceback, value, type) to `base..base + 3` and the new one to
    /// `base + 3..base + 6`, makes the new one the handled exception and
    /// continues at `handler`; inside the handler, the block is an
    /// [`StaticBlock::ExceptHandler`] at the same base.
    Finally {
        /// Instruction index of the handler.
        handler: u32,
        /// First register of the six the handler receives.
        base: Reg,
    },
    /// An except handler: an exception that leaves it makes the exception
    /// saved in `base + 1` the handled one again before unwinding further.
    ExceptHandler {
        /// First register of the saved (traceback, value, type).
        base: Reg,
    },
}

/// A code object in register form.
#[derive(Clone, Debug)]
pub struct RegCode {
    /// The stack code object it was translated from (names, constants,
    /// variable names and line table are shared).
    pub code: Arc<CodeObject>,
    /// Registers in the file: `nlocals` fast locals, then temporaries.
    pub nregs: u16,
    /// The instructions.
    pub instrs: Vec<RegInstr>,
    /// The distinct block stacks of the exception table, outermost first.
    pub block_stacks: Vec<Vec<StaticBlock>>,
    /// For each instruction, its block stack (an index into
    /// [`RegCode::block_stacks`]).
    pub blocks_at: Vec<u32>,
}

impl RegCode {
    /// The block stack in force at instruction `i`.
    pub fn blocks(&self, i: usize) -> &[StaticBlock] {
        self.blocks_at
            .get(i)
            .and_then(|b| self.block_stacks.get(*b as usize))
            .map_or(&[], Vec::as_slice)
    }
}

impl fmt::Display for Rk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rk::Reg(r) => write!(f, "r{r}"),
            Rk::Const(k) => write!(f, "k{k}"),
        }
    }
}

impl fmt::Display for RegInstr {
    /// `NAME[arg] outs <- ins -> target`, e.g. `BINARY_ADD r2 <- r0, k1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.op.name())?;
        if let Some(t) = self.test {
            write!(f, "[{} {}]", t.name(), self.arg)?;
        } else if matches!(self.op, RegOp::Apply(o) if o.info().arg != crate::opcode::ArgKind::None)
        {
            write!(f, "[{}]", self.arg)?;
        }
        let outs: Vec<String> = self
            .outs
            .iter()
            .map(|r| {
                if *r == DISCARD {
                    "_".to_string()
                } else {
                    format!("r{r}")
                }
            })
            .collect();
        let ins: Vec<String> = self.ins.iter().map(Rk::to_string).collect();
        if !outs.is_empty() {
            write!(f, " {}", outs.join(", "))?;
        }
        if !ins.is_empty() {
            write!(f, " <- {}", ins.join(", "))?;
        }
        if shape(self.op, self.arg).is_some_and(|s| s.target) {
            write!(f, " -> {}", self.target)?;
        }
        Ok(())
    }
}

/// How registers and constants are shown in listings: a local with its
/// name (`r0:n`), a temporary as `rN`, a constant with its value
/// (`k1:3`).
fn operand_text(code: &CodeObject, rk: Rk) -> String {
    match rk {
        Rk::Reg(DISCARD) => "_".to_string(),
        Rk::Reg(r) => match code.varnames.get(r as usize) {
            Some(n) if (r as usize) < code.nlocals as usize => {
                format!("r{r}:{}", n.to_string_lossy())
            }
            _ => format!("r{r}"),
        },
        Rk::Const(k) => match code.consts.get(k as usize) {
            Some(c) => format!(
                "k{k}:{}",
                crate::pyrepr::repr_constant_with(c, &mut |co: &CodeObject| {
                    crate::dis::code_address(co)
                })
            ),
            None => format!("k{k}:<out of range>"),
        },
    }
}

/// One instruction as listings show it, with names and constant values.
pub fn instr_text(rc: &RegCode, ins: &RegInstr) -> String {
    let code = &rc.code;
    let mut s = ins.op.name().to_string();
    let cells: Vec<crate::code::PyStr> = code
        .cellvars
        .iter()
        .chain(code.freevars.iter())
        .cloned()
        .collect();
    let op_arg = match (ins.op, ins.test) {
        (_, Some(t)) => Some(t),
        (RegOp::Apply(o), None) if o.has_arg() => Some(o),
        _ => None,
    };
    if let Some(o) = op_arg {
        let ar = crate::dis::argrepr(code, &cells, 0, o as u8, u64::from(ins.arg));
        if ins.test.is_some() {
            s.push_str(&format!(
                "[{} {}]",
                o.name(),
                if ar.is_empty() {
                    ins.arg.to_string()
                } else {
                    ar
                }
            ));
        } else if ar.is_empty() {
            s.push_str(&format!("[{}]", ins.arg));
        } else {
            s.push_str(&format!("[{} ({ar})]", ins.arg));
        }
    }
    let outs: Vec<String> = ins
        .outs
        .iter()
        .map(|r| operand_text(code, Rk::Reg(*r)))
        .collect();
    let ins_text: Vec<String> = ins.ins.iter().map(|x| operand_text(code, *x)).collect();
    if !outs.is_empty() {
        s.push_str(&format!(" {}", outs.join(", ")));
    }
    if !ins_text.is_empty() {
        s.push_str(&format!(" <- {}", ins_text.join(", ")));
    }
    if shape(ins.op, ins.arg).is_some_and(|sh| sh.target) {
        s.push_str(&format!(" -> {}", ins.target));
    }
    s
}

/// The register layout of a code object: which register is which local,
/// the temporaries, the cells and the constants.
pub fn layout_text(rc: &RegCode) -> String {
    let code = &rc.code;
    let nlocals = code.nlocals as usize;
    let locals: Vec<String> = code
        .varnames
        .iter()
        .take(nlocals)
        .enumerate()
        .map(|(i, n)| format!("r{i}:{}", n.to_string_lossy()))
        .collect();
    let cells: Vec<String> = code
        .cellvars
        .iter()
        .chain(code.freevars.iter())
        .enumerate()
        .map(|(i, n)| format!("c{i}:{}", n.to_string_lossy()))
        .collect();
    let consts: Vec<String> = (0..code.consts.len())
        .map(|k| operand_text(code, Rk::Const(k as u16)))
        .collect();
    let temps = if (rc.nregs as usize) > nlocals {
        format!("r{}..r{}", nlocals, rc.nregs - 1)
    } else {
        "none".to_string()
    };
    format!(
        "registers: {} ({} locals, temporaries {temps})\nlocals: {}\ncells (DEREF only): {}\nconstants: {}\n",
        rc.nregs,
        nlocals,
        if locals.is_empty() { "none".into() } else { locals.join(" ") },
        if cells.is_empty() { "none".into() } else { cells.join(" ") },
        if consts.is_empty() { "none".into() } else { consts.join(" ") },
    )
}

/// The exception table, as listings show it: for each run of
/// instructions with the same block stack, its blocks.
pub fn exception_table_text(rc: &RegCode) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < rc.blocks_at.len() {
        let k = rc.blocks_at[i];
        let mut j = i;
        while j < rc.blocks_at.len() && rc.blocks_at[j] == k {
            j += 1;
        }
        let blocks = rc.blocks(i);
        if !blocks.is_empty() {
            let shown: Vec<String> = blocks
                .iter()
                .map(|b| match b {
                    StaticBlock::Finally { handler, base } => {
                        format!("finally(handler {handler}, r{base}..r{})", base + 5)
                    }
                    StaticBlock::ExceptHandler { base } => {
                        format!("except-handler(saved r{base}..r{})", base + 2)
                    }
                })
                .collect();
            out.push_str(&format!("  {i:>4}..{:<4} {}\n", j - 1, shown.join(" / ")));
        }
        i = j;
    }
    out
}

/// A listing of a register code object: layout, instructions (with the
/// line of their origin) and exception table.
pub fn listing(rc: &RegCode) -> String {
    let mut out = layout_text(rc);
    let decoded = crate::decode::decode(&rc.code.code).unwrap_or_default();
    let targets: std::collections::BTreeSet<u32> = rc
        .instrs
        .iter()
        .filter(|i| shape(i.op, i.arg).is_some_and(|s| s.target))
        .map(|i| i.target)
        .chain(rc.block_stacks.iter().flatten().filter_map(|b| match b {
            StaticBlock::Finally { handler, .. } => Some(*handler),
            StaticBlock::ExceptHandler { .. } => None,
        }))
        .collect();
    let mut last_line = None;
    for (i, ins) in rc.instrs.iter().enumerate() {
        let line = decoded
            .get(ins.origin as usize)
            .map(|d| rc.code.line_of(d.start));
        let shown_line = match line {
            Some(l) if Some(l) != last_line => {
                last_line = Some(l);
                format!("{l:>4}")
            }
            _ => "    ".to_string(),
        };
        let mark = if targets.contains(&(i as u32)) {
            ">>"
        } else {
            "  "
        };
        out.push_str(&format!(
            "{shown_line} {mark} {i:>4} {}\n",
            instr_text(rc, ins)
        ));
    }
    let table = exception_table_text(rc);
    if !table.is_empty() {
        out.push_str("exception table:\n");
        out.push_str(&table);
    }
    out
}

/// The stack code and the register code side by side: each stack
/// instruction with the register instructions that came from it.
pub fn side_by_side(rc: &RegCode) -> String {
    let mut out = layout_text(rc);
    let decoded = crate::decode::decode(&rc.code.code).unwrap_or_default();
    let cells: Vec<crate::code::PyStr> = rc
        .code
        .cellvars
        .iter()
        .chain(rc.code.freevars.iter())
        .cloned()
        .collect();
    let mut by_origin: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
    for (i, ins) in rc.instrs.iter().enumerate() {
        by_origin.entry(ins.origin).or_default().push(i);
    }
    out.push_str(&format!("{:<48} | register\n", "stack"));
    for (k, d) in decoded.iter().enumerate() {
        let mut left = format!("{:>5} {:<20}", d.offset, d.opcode.name());
        if d.opcode.has_arg() {
            let ar =
                crate::dis::argrepr(&rc.code, &cells, d.offset, d.opcode as u8, u64::from(d.arg));
            left.push_str(&format!(" {}", d.arg));
            if !ar.is_empty() {
                left.push_str(&format!(" ({ar})"));
            }
        }
        let right: Vec<String> = by_origin
            .get(&(k as u32))
            .map(|v| {
                v.iter()
                    .map(|i| format!("{i:>4} {}", instr_text(rc, &rc.instrs[*i])))
                    .collect()
            })
            .unwrap_or_default();
        match right.split_first() {
            None => out.push_str(&format!("{left:<48} |\n")),
            Some((first, rest)) => {
                out.push_str(&format!("{left:<48} | {first}\n"));
                for r in rest {
                    out.push_str(&format!("{:<48} | {r}\n", ""));
                }
            }
        }
    }
    out
}

/// A set of temporaries (bit `r - nlocals`).
#[derive(Clone, PartialEq, Eq)]
struct RegSet(Vec<u64>);

impl RegSet {
    fn new(n: usize) -> Self {
        RegSet(vec![0; n.div_ceil(64)])
    }
    fn insert(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }
    fn remove(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }
    fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    fn union_with(&mut self, o: &RegSet) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }
}

/// The temporaries live after each instruction: liveness backwards over
/// the register CFG, exception edges included (a handler sees the
/// temporaries below its base).
pub fn temps_live_after(rc: &RegCode) -> Vec<Vec<Reg>> {
    let nlocals = rc.code.nlocals as usize;
    let width = (rc.nregs as usize).saturating_sub(nlocals);
    let n = rc.instrs.len();
    let temp = |r: Reg| (r as usize) >= nlocals && (r as usize) < nlocals + width;
    let succs: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let ins = &rc.instrs[i];
            let mut s = Vec::new();
            let ends = matches!(
                ins.op,
                RegOp::Jump
                    | RegOp::Return
                    | RegOp::Reraise
                    | RegOp::Apply(crate::opcode::Opcode::RaiseVarargs)
            );
            if !ends && i + 1 < n {
                s.push(i + 1);
            }
            if shape(ins.op, ins.arg).is_some_and(|sh| sh.target) {
                s.push(ins.target as usize);
            }
            s
        })
        .collect();
    // The innermost handler of each instruction, with its base.
    let handler: Vec<Option<(usize, usize)>> = (0..n)
        .map(|i| {
            rc.blocks(i).iter().rev().find_map(|b| match b {
                StaticBlock::Finally { handler, base } => Some((*handler as usize, *base as usize)),
                StaticBlock::ExceptHandler { .. } => None,
            })
        })
        .collect();
    // Live after `i`: live into a successor, or into the handler below
    // its base (the unwinder clears the rest).
    let live_out = |i: usize, live_in: &[RegSet]| {
        let mut out = RegSet::new(width);
        for &s in &succs[i] {
            if let Some(l) = live_in.get(s) {
                out.union_with(l);
            }
        }
        if let Some((h, base)) = handler[i] {
            if let Some(l) = live_in.get(h) {
                for r in nlocals..base.min(nlocals + width) {
                    if l.contains(r - nlocals) {
                        out.insert(r - nlocals);
                    }
                }
            }
        }
        out
    };
    let mut live_in = vec![RegSet::new(width); n];
    let mut changed = true;
    while changed {
        changed = false;
        for i in (0..n).rev() {
            let ins = &rc.instrs[i];
            let mut out = live_out(i, &live_in);
            for &o in &ins.outs {
                if temp(o) {
                    out.remove(o as usize - nlocals);
                }
            }
            for rk in &ins.ins {
                if let Rk::Reg(r) = rk {
                    if temp(*r) {
                        out.insert(*r as usize - nlocals);
                    }
                }
            }
            if out != live_in[i] {
                live_in[i] = out;
                changed = true;
            }
        }
    }
    let mut result = Vec::with_capacity(n);
    for i in 0..n {
        let after = live_out(i, &live_in);
        result.push(
            (0..width)
                .filter(|&k| after.contains(k))
                .map(|k| (nlocals + k) as Reg)
                .collect(),
        );
    }
    result
}

/// Sets [`RegInstr::keep`]: an input temporary stays when it is live after
/// the instruction (on a normal exit) and the instruction does not
/// overwrite it.
pub fn mark_kept_inputs(rc: &mut RegCode) {
    let nlocals = rc.code.nlocals as usize;
    let live = temps_live_after(rc);
    for (ins, after) in rc.instrs.iter_mut().zip(live) {
        let keep: Vec<u16> = ins
            .ins
            .iter()
            .enumerate()
            .filter(|(_, rk)| match rk {
                Rk::Reg(r) => {
                    (*r as usize) >= nlocals && after.contains(r) && !ins.outs.contains(r)
                }
                Rk::Const(_) => false,
            })
            .map(|(k, _)| k as u16)
            .collect();
        ins.keep = keep;
    }
}
