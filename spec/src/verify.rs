//! The stack verifier: rejects ill-formed code objects before anything runs them.
//!
//! It decodes the wordcode, checks every operand against the tables it
//! indexes, and abstractly interprets the control-flow graph to prove that
//! the operand-stack depth and the block stack are the same on every path
//! into each instruction, never negative, never above `co_stacksize`, and
//! that no path runs off the end of the code.
//!
//! The block stack is tracked as CPython 3.9's `ceval.c` builds it:
//! `SETUP_FINALLY`/`SETUP_WITH`/`SETUP_ASYNC_WITH` push a *finally* block
//! recording the handler and the stack level; `POP_BLOCK` pops it; entering
//! a handler replaces it by an *except-handler* block at the same level with
//! six values pushed (the previous exception triple, then the new one);
//! `POP_EXCEPT` pops that block and the three saved values.

use crate::code::CodeObject;
use crate::decode::{decode, DecodeError, Instruction};
use crate::opcode::{ArgKind, Flow, Opcode};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use thiserror::Error;

/// CPython's `CO_MAXBLOCKS`: the deepest block stack a frame can hold.
pub const MAX_BLOCKS: usize = 20;

/// The largest `co_stacksize` pyreg accepts. CPython allows any `int`; a
/// larger bound only lets bad input demand huge frames.
pub const MAX_STACKSIZE: u32 = 1 << 16;

/// A rule of well-formedness, as broken by some code object.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Rule {
    /// The wordcode itself is malformed.
    #[error("{0}")]
    Decode(DecodeError),
    /// `co_nlocals` disagrees with `co_varnames`.
    #[error("co_nlocals is {nlocals} but co_varnames has {varnames} names")]
    NlocalsMismatch {
        /// `co_nlocals`.
        nlocals: u32,
        /// `len(co_varnames)`.
        varnames: usize,
    },
    /// More parameters than locals.
    #[error("{params} parameters do not fit in {nlocals} locals")]
    TooManyParameters {
        /// Parameters, `*args` and `**kwargs` included.
        params: u64,
        /// `co_nlocals`.
        nlocals: u32,
    },
    /// `co_posonlyargcount` above `co_argcount`.
    #[error("co_posonlyargcount {posonly} exceeds co_argcount {argcount}")]
    PosonlyAboveArgcount {
        /// `co_posonlyargcount`.
        posonly: u32,
        /// `co_argcount`.
        argcount: u32,
    },
    /// `co_stacksize` beyond what pyreg accepts.
    #[error("co_stacksize {0} exceeds the limit of {MAX_STACKSIZE}")]
    StacksizeTooLarge(u32),
    /// `co_lnotab` must hold byte pairs.
    #[error("co_lnotab has odd length {0}")]
    OddLnotab(usize),
    /// An operand indexes past the end of the table it names.
    #[error("{table} index {index} out of range (the table has {len} entries)")]
    IndexOutOfRange {
        /// `co_consts`, `co_names`, `co_varnames` or `cells` (cellvars + freevars).
        table: &'static str,
        /// The index.
        index: u32,
        /// The table's length.
        len: usize,
    },
    /// An argument outside the values the opcode defines.
    #[error("argument {arg} is not valid here: {expected}")]
    BadArgument {
        /// The argument.
        arg: u32,
        /// What the opcode accepts.
        expected: &'static str,
    },
    /// A jump to an offset where no instruction starts.
    #[error("jump target {target} is not the start of an instruction")]
    BadJumpTarget {
        /// The target offset.
        target: u64,
    },
    /// An instruction pops more than the stack holds.
    #[error("stack underflow: needs {needs} values, stack depth is {depth}")]
    StackUnderflow {
        /// Values the instruction reads.
        needs: u32,
        /// Depth before it.
        depth: u32,
    },
    /// The depth reaches above `co_stacksize`.
    #[error("stack depth {depth} exceeds co_stacksize {stacksize}")]
    StackOverflow {
        /// The depth reached.
        depth: i64,
        /// `co_stacksize`.
        stacksize: u32,
    },
    /// Two paths reach an instruction with different stack depths.
    #[error("stack depth mismatch at merge point: {first} on one path, {second} on another")]
    DepthMismatch {
        /// Depth recorded first.
        first: u32,
        /// Depth of the path that disagrees.
        second: u32,
    },
    /// Two paths reach an instruction with different block stacks.
    #[error("block stack mismatch at merge point: {first} on one path, {second} on another")]
    BlockMismatch {
        /// Block stack recorded first.
        first: String,
        /// Block stack of the path that disagrees.
        second: String,
    },
    /// More nested blocks than CPython's frame holds.
    #[error("more than {MAX_BLOCKS} nested blocks")]
    TooManyBlocks,
    /// `POP_BLOCK` with no finally block on top.
    #[error("POP_BLOCK without a SETUP block on top of the block stack ({0})")]
    PopBlockWithoutSetup(String),
    /// `POP_EXCEPT` (or `END_ASYNC_FOR`) with no except-handler block on top.
    #[error("no exception handler to close ({0})")]
    PopExceptOutsideHandler(String),
    /// `POP_EXCEPT` where the saved exception triple is not on top (at most
    /// one value, a rotated return value, may sit below it at the level).
    #[error("POP_EXCEPT at stack depth {depth}, expected the handler level {level} + 3 or + 4")]
    PopExceptDepth {
        /// Depth before the instruction.
        depth: u32,
        /// The handler block's level.
        level: u32,
    },
    /// `END_ASYNC_FOR` not directly in the handler of its loop's block, with
    /// the iterator just below the handler's level.
    #[error("END_ASYNC_FOR at stack depth {depth}, expected the handler level {level} + 6 above an iterator")]
    EndAsyncForDepth {
        /// Depth before the instruction.
        depth: u32,
        /// The handler block's level.
        level: u32,
    },
    /// The stack falls below the level a block recorded.
    #[error("stack depth {depth} below the level {level} of the enclosing block")]
    BelowBlockLevel {
        /// Depth after the instruction.
        depth: u32,
        /// The innermost block's level.
        level: u32,
    },
    /// `RETURN_VALUE` with other values on the stack or blocks still open.
    #[error("RETURN_VALUE with stack depth {depth} and {blocks} open blocks (expected 1 and 0)")]
    ReturnNotClean {
        /// Depth before the instruction.
        depth: u32,
        /// Open blocks.
        blocks: usize,
    },
    /// Control runs past the last instruction.
    #[error("control falls off the end of the code")]
    FallsOffEnd,
}

/// A verification failure: which code object, where, and the rule broken.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub struct VerifyError {
    /// `co_name` of the offending code object.
    pub code_name: String,
    /// `co_filename`.
    pub filename: String,
    /// `co_firstlineno`.
    pub firstlineno: u32,
    /// Byte offset of the offending instruction, when the rule is about one.
    pub offset: Option<u32>,
    /// Its opcode, when known.
    pub opcode: Option<Opcode>,
    /// The rule broken.
    pub rule: Rule,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "code object {} (file \"{}\", line {})",
            self.code_name, self.filename, self.firstlineno
        )?;
        if let Some(off) = self.offset {
            write!(f, " at offset {off}")?;
        }
        if let Some(op) = self.opcode {
            write!(f, " ({op})")?;
        }
        write!(f, ": {}", self.rule)
    }
}

/// A block on CPython's per-frame block stack, as the verifier sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// Pushed by a SETUP instruction: on an exception, unwind to `level` and
    /// jump to `handler`.
    Finally {
        /// Handler offset.
        handler: u32,
        /// Stack depth recorded when the block was pushed.
        level: u32,
    },
    /// Pushed on entry to a handler; three saved exception values sit at
    /// `level..level + 3`.
    ExceptHandler {
        /// Stack depth below the saved exception values.
        level: u32,
    },
}

impl Block {
    /// The lowest stack depth allowed while this block is innermost.
    fn floor(self) -> u32 {
        match self {
            Block::Finally { level, .. } => level,
            Block::ExceptHandler { level } => level + 3,
        }
    }
}

fn show_blocks(blocks: &[Block]) -> String {
    if blocks.is_empty() {
        return "no blocks".into();
    }
    let parts: Vec<String> = blocks
        .iter()
        .map(|b| match b {
            Block::Finally { handler, level } => {
                format!("finally(handler {handler}, level {level})")
            }
            Block::ExceptHandler { level } => format!("except-handler(level {level})"),
        })
        .collect();
    parts.join(" > ")
}

/// The abstract state before an instruction: stack depth and block stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Operand stack depth.
    pub depth: u32,
    /// Block stack, outermost first.
    pub blocks: Vec<Block>,
}

/// What the verifier proved about one code object: its instructions and the
/// state before each reachable one (keyed by the instruction's `start`).
#[derive(Clone, Debug)]
pub struct Verified {
    /// The decoded instructions.
    pub instructions: Vec<Instruction>,
    /// The state before each reachable instruction.
    pub states: BTreeMap<u32, State>,
}

/// How many values an instruction reads from the stack (the depth it needs),
/// which may exceed what it pops (`DUP_TOP` reads one, pops none).
pub fn stack_inputs(op: Opcode, arg: u32) -> u32 {
    use Opcode::*;
    match op {
        Nop | LoadBuildClass | LoadAssertionError | SetupAnnotations | PopBlock | DeleteName
        | DeleteGlobal | LoadConst | LoadName | LoadGlobal | JumpForward | JumpAbsolute
        | SetupFinally | LoadFast | DeleteFast | LoadClosure | LoadDeref | DeleteDeref
        | LoadClassderef | ExtendedArg => 0,
        PopTop | DupTop | UnaryPositive | UnaryNegative | UnaryNot | UnaryInvert | GetAiter
        | GetAnext | BeforeAsyncWith | GetIter | GetYieldFromIter | PrintExpr | GetAwaitable
        | ListToTuple | ReturnValue | ImportStar | YieldValue | StoreName | UnpackSequence
        | ForIter | UnpackEx | DeleteAttr | StoreGlobal | LoadAttr | ImportFrom
        | JumpIfFalseOrPop | JumpIfTrueOrPop | PopJumpIfFalse | PopJumpIfTrue | StoreFast
        | StoreDeref | SetupWith | SetupAsyncWith | LoadMethod => 1,
        RotTwo
        | DupTopTwo
        | BinaryMatrixMultiply
        | InplaceMatrixMultiply
        | BinaryPower
        | BinaryMultiply
        | BinaryModulo
        | BinaryAdd
        | BinarySubtract
        | BinarySubscr
        | BinaryFloorDivide
        | BinaryTrueDivide
        | InplaceFloorDivide
        | InplaceTrueDivide
        | InplaceAdd
        | InplaceSubtract
        | InplaceMultiply
        | InplaceModulo
        | DeleteSubscr
        | BinaryLshift
        | BinaryRshift
        | BinaryAnd
        | BinaryXor
        | BinaryOr
        | InplacePower
        | YieldFrom
        | InplaceLshift
        | InplaceRshift
        | InplaceAnd
        | InplaceXor
        | InplaceOr
        | StoreAttr
        | CompareOp
        | ImportName
        | IsOp
        | ContainsOp
        | JumpIfNotExcMatch => 2,
        RotThree | Reraise | StoreSubscr | PopExcept => 3,
        RotFour => 4,
        WithExceptStart | EndAsyncFor => 7,
        BuildTuple | BuildList | BuildSet | BuildString | RaiseVarargs | BuildSlice => arg,
        BuildMap => arg.saturating_mul(2),
        CallFunction | BuildConstKeyMap => arg.saturating_add(1),
        CallFunctionKw | CallMethod => arg.saturating_add(2),
        MakeFunction => 2 + (arg & 0x0F).count_ones(),
        CallFunctionEx => 2 + (arg & 1),
        FormatValue => 1 + u32::from(arg & 0x4 != 0),
        ListAppend | SetAdd | ListExtend | SetUpdate | DictUpdate => arg.saturating_add(1),
        // Its error message names the function being called, two below
        // the dict (`format_kwargs_error(PEEK(2 + oparg))`).
        DictMerge => arg.saturating_add(3),
        MapAdd => arg.saturating_add(2),
    }
}

/// Checks the argument against the values the opcode defines.
fn check_argument(code: &CodeObject, ins: &Instruction) -> Result<(), Rule> {
    let arg = ins.arg;
    let index = |table: &'static str, len: usize| {
        if (arg as usize) < len {
            Ok(())
        } else {
            Err(Rule::IndexOutOfRange {
                table,
                index: arg,
                len,
            })
        }
    };
    let allowed = |ok: bool, expected: &'static str| {
        if ok {
            Ok(())
        } else {
            Err(Rule::BadArgument { arg, expected })
        }
    };
    match ins.opcode.info().arg {
        ArgKind::Const => index("co_consts", code.consts.len()),
        ArgKind::Name => index("co_names", code.names.len()),
        ArgKind::Local => index("co_varnames", code.varnames.len()),
        ArgKind::Cell => index("cells (co_cellvars + co_freevars)", code.ncells()),
        ArgKind::Compare => allowed(arg <= 5, "a COMPARE_OP index 0..=5"),
        ArgKind::StackDepth => allowed(arg >= 1, "a stack depth of at least 1"),
        ArgKind::Flags => match ins.opcode {
            Opcode::IsOp | Opcode::ContainsOp => allowed(arg <= 1, "0 or 1 (invert)"),
            Opcode::MakeFunction => allowed(arg <= 0x0F, "MAKE_FUNCTION flags 0..=0x0F"),
            Opcode::CallFunctionEx => allowed(arg <= 1, "0 or 1 (has keyword mapping)"),
            Opcode::FormatValue => allowed(arg <= 7, "FORMAT_VALUE flags 0..=7"),
            _ => Ok(()),
        },
        ArgKind::Count => match ins.opcode {
            Opcode::RaiseVarargs => allowed(arg <= 2, "RAISE_VARARGS count 0..=2"),
            Opcode::BuildSlice => allowed(arg == 2 || arg == 3, "BUILD_SLICE count 2 or 3"),
            _ => Ok(()),
        },
        ArgKind::None | ArgKind::JumpRelative | ArgKind::JumpAbsolute | ArgKind::Extended => Ok(()),
    }
}

fn check_header(code: &CodeObject) -> Result<(), Rule> {
    if code.nlocals as usize != code.varnames.len() {
        return Err(Rule::NlocalsMismatch {
            nlocals: code.nlocals,
            varnames: code.varnames.len(),
        });
    }
    let star = |flag: u32| u64::from(code.flags & flag != 0);
    let params = u64::from(code.argcount)
        + u64::from(code.kwonlyargcount)
        + star(crate::code::flags::VARARGS)
        + star(crate::code::flags::VARKEYWORDS);
    if params > u64::from(code.nlocals) {
        return Err(Rule::TooManyParameters {
            params,
            nlocals: code.nlocals,
        });
    }
    if code.posonlyargcount > code.argcount {
        return Err(Rule::PosonlyAboveArgcount {
            posonly: code.posonlyargcount,
            argcount: code.argcount,
        });
    }
    if code.stacksize > MAX_STACKSIZE {
        return Err(Rule::StacksizeTooLarge(code.stacksize));
    }
    if !code.lnotab.len().is_multiple_of(2) {
        return Err(Rule::OddLnotab(code.lnotab.len()));
    }
    Ok(())
}

struct Checker<'a> {
    code: &'a CodeObject,
    instructions: Vec<Instruction>,
    /// Instruction index by `start` offset.
    by_start: BTreeMap<u32, usize>,
    states: BTreeMap<u32, State>,
    work: Vec<usize>,
}

impl Checker<'_> {
    fn error(&self, ins: Option<&Instruction>, rule: Rule) -> VerifyError {
        VerifyError {
            code_name: self.code.name.to_string_lossy(),
            filename: self.code.filename.to_string_lossy(),
            firstlineno: self.code.firstlineno,
            offset: ins.map(|i| i.offset),
            opcode: ins.map(|i| i.opcode),
            rule,
        }
    }

    fn target_index(&self, ins: &Instruction, target: u64) -> Result<usize, VerifyError> {
        u32::try_from(target)
            .ok()
            .and_then(|t| self.by_start.get(&t).copied())
            .ok_or_else(|| self.error(Some(ins), Rule::BadJumpTarget { target }))
    }

    /// Records `state` as reaching instruction `idx`, queueing it when new.
    fn flow_to(&mut self, idx: usize, state: State) -> Result<(), VerifyError> {
        let start = self.instructions[idx].start;
        match self.states.get(&start) {
            None => {
                self.states.insert(start, state);
                self.work.push(idx);
                Ok(())
            }
            Some(old) if old.depth != state.depth => Err(self.error(
                Some(&self.instructions[idx]),
                Rule::DepthMismatch {
                    first: old.depth,
                    second: state.depth,
                },
            )),
            Some(old) if old.blocks != state.blocks => Err(self.error(
                Some(&self.instructions[idx]),
                Rule::BlockMismatch {
                    first: show_blocks(&old.blocks),
                    second: show_blocks(&state.blocks),
                },
            )),
            Some(_) => Ok(()),
        }
    }

    fn with_depth(&self, ins: &Instruction, st: &State, delta: i32) -> Result<State, VerifyError> {
        let depth = i64::from(st.depth) + i64::from(delta);
        if depth > i64::from(self.code.stacksize) {
            return Err(self.error(
                Some(ins),
                Rule::StackOverflow {
                    depth,
                    stacksize: self.code.stacksize,
                },
            ));
        }
        // Never negative: the inputs check has already run.
        let depth = depth.max(0) as u32;
        if let Some(b) = st.blocks.last() {
            if depth < b.floor() {
                return Err(self.error(
                    Some(ins),
                    Rule::BelowBlockLevel {
                        depth,
                        level: b.floor(),
                    },
                ));
            }
        }
        Ok(State {
            depth,
            blocks: st.blocks.clone(),
        })
    }

    fn step(&mut self, idx: usize) -> Result<(), VerifyError> {
        let ins = self.instructions[idx];
        let st = self.states[&ins.start].clone();
        let op = ins.opcode;
        let needs = stack_inputs(op, ins.arg);
        if needs > st.depth {
            return Err(self.error(
                Some(&ins),
                Rule::StackUnderflow {
                    needs,
                    depth: st.depth,
                },
            ));
        }
        let fall = op.stack_effect(ins.arg, false);
        match op {
            Opcode::PopBlock => {
                let mut next = st.clone();
                match next.blocks.pop() {
                    Some(Block::Finally { .. }) => {}
                    _ => {
                        return Err(self.error(
                            Some(&ins),
                            Rule::PopBlockWithoutSetup(show_blocks(&st.blocks)),
                        ))
                    }
                }
                return self.fall_through(&ins, idx, next);
            }
            Opcode::PopExcept => {
                let mut next = st.clone();
                let Some(Block::ExceptHandler { level }) = next.blocks.pop() else {
                    return Err(self.error(
                        Some(&ins),
                        Rule::PopExceptOutsideHandler(show_blocks(&st.blocks)),
                    ));
                };
                // ceval pops the three saved values from the top. A `return`
                // inside a handler first rotates its value below them
                // (ROT_FOUR), so one extra value may sit at the level.
                if st.depth != level + 3 && st.depth != level + 4 {
                    return Err(self.error(
                        Some(&ins),
                        Rule::PopExceptDepth {
                            depth: st.depth,
                            level,
                        },
                    ));
                }
                next.depth = st.depth - 3;
                return self.fall_through(&ins, idx, next);
            }
            Opcode::EndAsyncFor => {
                // On StopAsyncIteration it closes the handler the loop's
                // SETUP_FINALLY led to, drops the saved triple, then pops the
                // iterator below them (-7 in all); otherwise it re-raises.
                let mut next = st.clone();
                let Some(Block::ExceptHandler { level }) = next.blocks.pop() else {
                    return Err(self.error(
                        Some(&ins),
                        Rule::PopExceptOutsideHandler(show_blocks(&st.blocks)),
                    ));
                };
                if st.depth != level + 6 || level == 0 {
                    return Err(self.error(
                        Some(&ins),
                        Rule::EndAsyncForDepth {
                            depth: st.depth,
                            level,
                        },
                    ));
                }
                next.depth = level - 1;
                if let Some(b) = next.blocks.last() {
                    if next.depth < b.floor() {
                        return Err(self.error(
                            Some(&ins),
                            Rule::BelowBlockLevel {
                                depth: next.depth,
                                level: b.floor(),
                            },
                        ));
                    }
                }
                return self.fall_through(&ins, idx, next);
            }
            Opcode::ReturnValue if st.depth != 1 || !st.blocks.is_empty() => {
                return Err(self.error(
                    Some(&ins),
                    Rule::ReturnNotClean {
                        depth: st.depth,
                        blocks: st.blocks.len(),
                    },
                ));
            }
            _ => {}
        }
        let target = ins.jump_target();
        match op.info().flow {
            Flow::Exit => Ok(()),
            Flow::Next => {
                let next = self.with_depth(&ins, &st, fall)?;
                self.fall_through(&ins, idx, next)
            }
            Flow::Jump | Flow::Branch => {
                let t = target.unwrap_or_else(|| unreachable!("jumps have targets"));
                let t_idx = self.target_index(&ins, t)?;
                let jumped = self.with_depth(&ins, &st, op.stack_effect(ins.arg, true))?;
                self.flow_to(t_idx, jumped)?;
                if op.info().flow == Flow::Branch {
                    let next = self.with_depth(&ins, &st, fall)?;
                    self.fall_through(&ins, idx, next)?;
                }
                Ok(())
            }
            Flow::SetupBlock => {
                let t = target.unwrap_or_else(|| unreachable!("SETUP_* have targets"));
                let t_idx = self.target_index(&ins, t)?;
                // The block records the depth once the instruction has
                // rearranged the stack, before it pushes its fall-through result:
                // SETUP_WITH leaves __exit__ below the level's top and pushes
                // __enter__'s result above it.
                let level = match op {
                    Opcode::SetupWith => st.depth,
                    Opcode::SetupAsyncWith => st.depth - 1,
                    _ => st.depth,
                };
                if st.blocks.len() >= MAX_BLOCKS {
                    return Err(self.error(Some(&ins), Rule::TooManyBlocks));
                }
                let mut handler = State {
                    depth: level,
                    blocks: st.blocks.clone(),
                };
                handler.blocks.push(Block::ExceptHandler { level });
                let handler = self.with_depth(&ins, &handler, 6)?;
                self.flow_to(t_idx, handler)?;
                let mut next = self.with_depth(&ins, &st, fall)?;
                next.blocks.push(Block::Finally {
                    handler: t as u32,
                    level,
                });
                self.fall_through(&ins, idx, next)
            }
        }
    }

    fn fall_through(
        &mut self,
        ins: &Instruction,
        idx: usize,
        next: State,
    ) -> Result<(), VerifyError> {
        if idx + 1 >= self.instructions.len() {
            return Err(self.error(Some(ins), Rule::FallsOffEnd));
        }
        self.flow_to(idx + 1, next)
    }
}

/// Verifies one code object (not the code objects nested in its constants).
pub fn verify_code(code: &CodeObject) -> Result<Verified, VerifyError> {
    let header_error = |rule| VerifyError {
        code_name: code.name.to_string_lossy(),
        filename: code.filename.to_string_lossy(),
        firstlineno: code.firstlineno,
        offset: None,
        opcode: None,
        rule,
    };
    check_header(code).map_err(header_error)?;
    let instructions = decode(&code.code).map_err(|e| VerifyError {
        offset: e.offset(),
        ..header_error(Rule::Decode(e))
    })?;
    let by_start = instructions
        .iter()
        .enumerate()
        .map(|(i, ins)| (ins.start, i))
        .collect();
    let mut checker = Checker {
        code,
        instructions,
        by_start,
        states: BTreeMap::new(),
        work: Vec::new(),
    };
    for ins in &checker.instructions {
        check_argument(code, ins).map_err(|rule| checker.error(Some(ins), rule))?;
        if let Some(t) = ins.jump_target() {
            checker.target_index(ins, t)?;
        }
    }
    checker.states.insert(
        0,
        State {
            depth: 0,
            blocks: Vec::new(),
        },
    );
    checker.work.push(0);
    while let Some(idx) = checker.work.pop() {
        checker.step(idx)?;
    }
    Ok(Verified {
        instructions: checker.instructions,
        states: checker.states,
    })
}

/// Verifies a code object and, recursively, every code object in its constants.
pub fn verify(code: &Arc<CodeObject>) -> Result<(), VerifyError> {
    for c in code.walk() {
        verify_code(&c)?;
    }
    Ok(())
}
