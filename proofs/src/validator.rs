//! The translation validator: checks, for one translation, that the
//! register code simulates the stack code (`invariants/simulation.md`).
//!
//! It does not trust the translator's reasoning, only its output. Both
//! programs run side by side on symbolic values: each value is a symbol,
//! the same symbol on both sides meaning the same object. Stack shuffles,
//! `LOAD_FAST`, `LOAD_CONST`, `STORE_FAST` and register `MOVE`s only move
//! symbols; every other instruction is an *event* (it can compute, call,
//! raise, branch, yield or leave). The events of the two programs must
//! match one for one, in order: the same operation with the same argument
//! on the same symbols, from the register instruction whose `origin` is the
//! stack instruction. The results of a matched event are fresh symbols
//! given to both sides, except the inputs a rule leaves in place
//! ([`passed_through`]), which keep theirs.
//!
//! At every event, every temporary must hold a value the stack code still
//! holds (on its stack or in a local), so no object outlives CPython's
//! reference to it. At every event that can raise, the fast locals must
//! hold the stack
//! code's values (a handler, a traceback's frame or `locals()` may look at
//! them), the block stack must be the exception table's, and the handler's
//! entry state (locals, the values below the block's level, the six the
//! unwinder writes) becomes an incoming edge of the handler.
//!
//! Joins are where the stack code has a jump target or handler: a node is a
//! pair (stack instruction, register instruction). Its entry state is the
//! part of every incoming state both agree on: for each register, the set
//! of stack locations (locals, stack slots) whose value it holds on every
//! incoming path (the must-analysis of regalloc2's checker, and of
//! Rideau and Leroy's validated register allocation); for each local,
//! whether it is bound on every path. Nodes are re-run until nothing
//! changes; the sets only shrink, so this ends.
//!
//! Boundness is tracked per symbol along each path: a `LOAD_FAST` of a
//! local that may be unbound is an event (it may raise `UnboundLocalError`)
//! and must match a `MOVE` from that local's register.
//!
//! The validator also records, for each register instruction that starts
//! an event, which registers hold each stack slot there ([`Witness`]): the
//! correspondence the lockstep checker asserts on concrete states.

use pyreg_spec::code::CodeObject;
use pyreg_spec::opcode::{Flow, Opcode};
use pyreg_spec::reg::{
    passed_through, shape, Reg, RegCode, RegInstr, RegOp, Rk, StaticBlock, DISCARD,
};
use pyreg_spec::verify::{self, Block, Verified};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;
use thiserror::Error;

/// A symbolic value: equal symbols are the same object.
type Sym = u32;

/// What is wrong with a translation.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Problem {
    /// The stack code cannot be validated against (the verifier rejects
    /// it, or the register code is malformed).
    #[error("{0}")]
    Malformed(String),
    /// The two programs do different things next.
    #[error("the stack code does {stack} where the register code does {reg}")]
    Mismatch {
        /// The stack code's next event.
        stack: String,
        /// The register code's next event.
        reg: String,
    },
    /// A register is read that holds no value of the stack code.
    #[error("r{0} is read but holds no value the stack code has there")]
    Undefined(Reg),
    /// A local's register differs from the stack code's local where the
    /// frame can be observed.
    #[error("local {0} (r{0}) differs from the stack code's at an instruction that can raise")]
    LocalDiffers(u16),
    /// The exception table disagrees with the block stack.
    #[error("block stack [{stack}] does not correspond to the exception table's [{reg}]")]
    Blocks {
        /// The stack code's block stack.
        stack: String,
        /// The register code's.
        reg: String,
    },
    /// An except handler's saved exception is not where the unwinder reads
    /// it.
    #[error("the exception saved at stack level {level} is not in r{base}..r{}", base + 2)]
    SavedException {
        /// Its stack level.
        level: usize,
        /// The block's base register.
        base: Reg,
    },
    /// A join is reached with a stack depth the verifier did not prove.
    #[error("stack depth {found} at a join where the verifier proved {expected}")]
    Depth {
        /// Depth on this path.
        found: usize,
        /// Depth the verifier proved.
        expected: usize,
    },
    /// A register instruction names the wrong stack instruction as its
    /// origin (its line number and `f_lasti` would be wrong).
    #[error("origin {found}, but it does the work of stack instruction {expected}")]
    Origin {
        /// Its origin.
        found: u32,
        /// The matched stack instruction's index.
        expected: usize,
    },
    /// A temporary still holds an object the stack code has dropped, so
    /// the object lives longer than under CPython.
    #[error("r{0} still holds a value the stack code has dropped")]
    Lingering(Reg),
    /// The register code ran off its end.
    #[error("the register code runs off its end")]
    RanOff,
    /// The validation took more steps than allowed.
    #[error("validation budget exhausted")]
    Budget,
}

/// A validation failure, located in both programs.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{name}: stack offset {offset}, register instruction {index}: {problem}")]
pub struct ValidationError {
    /// `co_name`.
    pub name: String,
    /// Byte offset of the stack instruction being matched.
    pub offset: u32,
    /// Index of the register instruction being matched.
    pub index: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// The correspondence at one register instruction that starts an event:
/// the stack instruction it matches and, for each stack slot (deepest
/// first), the registers holding that slot's value on every path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// Index of the matched stack instruction.
    pub stack_index: usize,
    /// Registers holding each stack slot.
    pub slots: Vec<Vec<Reg>>,
}

/// What the validator proved about a translation.
#[derive(Clone, Debug, Default)]
pub struct Validated {
    /// For each register instruction that starts an event, the
    /// correspondence there (`None`: never reached, or reached matching
    /// different stack instructions).
    pub witnesses: Vec<Option<Witness>>,
    /// Events matched (counting re-runs of nodes).
    pub events: u64,
}

/// Validates `rc` against the stack code it was translated from.
pub fn validate(rc: &RegCode) -> Result<Validated, ValidationError> {
    let code = &rc.code;
    let fail = |problem| ValidationError {
        name: code.name.to_string_lossy(),
        offset: 0,
        index: 0,
        problem,
    };
    let v = verify::verify_code(code).map_err(|e| fail(Problem::Malformed(e.to_string())))?;
    if rc.blocks_at.len() != rc.instrs.len() {
        return Err(fail(Problem::Malformed(
            "the exception table does not cover every instruction".into(),
        )));
    }
    let mut checker = Checker::new(rc, &v);
    checker.run()?;
    Ok(Validated {
        witnesses: checker
            .witnesses
            .into_iter()
            .map(|w| match w {
                Some(Seen::One(w)) => Some(w),
                _ => None,
            })
            .collect(),
        events: checker.events,
    })
}

/// What the validator saw at one register instruction.
#[derive(Clone, Debug)]
enum Seen {
    /// The same correspondence on every visit (intersected).
    One(Witness),
    /// Visits matching different stack instructions or depths.
    Conflict,
}

/// An event: one observable operation of either program.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    /// A lifted operation (opcode, argument).
    Apply(Opcode, u32),
    /// Reading a local that may be unbound.
    Check(u16),
    /// Unbinding a local.
    Delete(u16),
    /// A conditional jump on the truth of its input.
    Branch(bool),
    /// `JUMP_IF_NOT_EXC_MATCH`.
    ExcMatch,
    /// `FOR_ITER`.
    ForIter,
    Return,
    Yield,
    YieldFrom,
    PopExcept,
    Reraise,
}

impl Kind {
    fn can_raise(&self) -> bool {
        !matches!(self, Kind::Return | Kind::PopExcept)
    }

    /// How many fresh values the event produces.
    fn results(&self) -> usize {
        match self {
            Kind::Apply(op, arg) => shape(RegOp::Apply(*op), *arg).map_or(0, |s| {
                s.outs.saturating_sub(passed_through(*op, *arg)) as usize
            }),
            Kind::Delete(_) | Kind::ForIter | Kind::Yield | Kind::YieldFrom => 1,
            _ => 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Event {
    kind: Kind,
    ins: Vec<Sym>,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Apply(op, arg) => write!(f, "{}[{arg}]", op.name())?,
            Kind::Check(l) => write!(f, "a bound check of local {l}")?,
            Kind::Delete(l) => write!(f, "a delete of local {l}")?,
            k => write!(f, "{k:?}")?,
        }
        let ins: Vec<String> = self.ins.iter().map(|s| format!("v{s}")).collect();
        write!(f, "({})", ins.join(", "))
    }
}

/// Where one side stopped.
enum Stop {
    /// At an event (not yet done).
    Event(Event),
    /// At an unconditional jump to this instruction index.
    Jump(usize),
    /// At a join (stack side only).
    Label,
}

impl Stop {
    fn describe(&self) -> String {
        match self {
            Stop::Event(e) => e.to_string(),
            Stop::Jump(t) => format!("a jump to {t}"),
            Stop::Label => "a join".into(),
        }
    }
}

/// One path's state: both programs' values as symbols.
#[derive(Clone, Debug)]
struct Path {
    locals: Vec<Sym>,
    stack: Vec<Sym>,
    regs: Vec<Option<Sym>>,
    /// Symbols that may be an unbound local.
    maybe_unbound: BTreeSet<Sym>,
    /// Next stack instruction (index).
    spc: usize,
    /// Next register instruction.
    rpc: usize,
    /// The stack side has not moved since the node's entry.
    at_entry: bool,
    /// The comparison half of a `COMPARE_BRANCH` is done: its branch half
    /// (sense, the comparison's result) is next.
    pending_branch: Option<(bool, Sym)>,
}

/// A join's entry: what every incoming path agrees on.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    /// For each register, the locations (locals `0..nlocals`, then stack
    /// slots) whose value it holds on every incoming path.
    held: Vec<Vec<u32>>,
    /// For each local, whether it is bound on every incoming path.
    bound: Vec<bool>,
    /// For each location, the constant it holds on every incoming path.
    consts: Vec<Option<Sym>>,
    depth: usize,
}

struct Checker<'a> {
    rc: &'a RegCode,
    code: &'a Arc<CodeObject>,
    v: &'a Verified,
    nlocals: usize,
    nregs: usize,
    index_of: HashMap<u32, usize>,
    leaders: HashSet<usize>,
    reg_labels: HashSet<usize>,
    nodes: HashMap<(usize, usize), Entry>,
    work: Vec<(usize, usize)>,
    next_sym: Sym,
    witnesses: Vec<Option<Seen>>,
    events: u64,
    budget: u64,
    /// Where the current path is, for errors.
    at: (usize, usize),
}

impl<'a> Checker<'a> {
    fn new(rc: &'a RegCode, v: &'a Verified) -> Self {
        let index_of: HashMap<u32, usize> = v
            .instructions
            .iter()
            .enumerate()
            .map(|(i, x)| (x.start, i))
            .collect();
        let mut leaders = HashSet::new();
        for ins in &v.instructions {
            if v.states.contains_key(&ins.start) && ins.opcode.is_jump() {
                if let Some(t) = ins
                    .jump_target()
                    .and_then(|t| u32::try_from(t).ok())
                    .and_then(|t| index_of.get(&t))
                {
                    leaders.insert(*t);
                }
            }
        }
        let mut reg_labels = HashSet::new();
        for ins in &rc.instrs {
            if shape(ins.op, ins.arg).is_some_and(|s| s.target) {
                reg_labels.insert(ins.target as usize);
            }
        }
        for bs in &rc.block_stacks {
            for b in bs {
                if let StaticBlock::Finally { handler, .. } = b {
                    reg_labels.insert(*handler as usize);
                }
            }
        }
        Checker {
            rc,
            code: &rc.code,
            v,
            nlocals: rc.code.nlocals as usize,
            nregs: rc.nregs as usize,
            index_of,
            leaders,
            reg_labels,
            nodes: HashMap::new(),
            work: Vec::new(),
            next_sym: rc.code.consts.len() as Sym,
            witnesses: vec![None; rc.instrs.len()],
            events: 0,
            budget: 50_000_000,
            at: (0, 0),
        }
    }

    fn error(&self, problem: Problem) -> ValidationError {
        let offset = self.v.instructions.get(self.at.0).map_or(0, |i| i.offset);
        ValidationError {
            name: self.code.name.to_string_lossy(),
            offset,
            index: self.at.1,
            problem,
        }
    }

    fn malformed(&self, what: &str) -> ValidationError {
        self.error(Problem::Malformed(what.to_string()))
    }

    fn fresh(&mut self) -> Sym {
        self.next_sym += 1;
        self.next_sym
    }

    fn depth_at(&self, spc: usize) -> Option<usize> {
        let start = self.v.instructions.get(spc)?.start;
        self.v.states.get(&start).map(|s| s.depth as usize)
    }

    fn run(&mut self) -> Result<(), ValidationError> {
        if self.v.instructions.is_empty() {
            return Ok(());
        }
        // The entry: parameters bound, other locals unbound (each its own
        // symbol), no temporaries.
        let c = self.code;
        let mut nargs = (c.argcount + c.kwonlyargcount) as usize;
        nargs += usize::from(c.flags & pyreg_spec::code::flags::VARARGS != 0);
        nargs += usize::from(c.flags & pyreg_spec::code::flags::VARKEYWORDS != 0);
        let mut p = Path {
            locals: Vec::new(),
            stack: Vec::new(),
            regs: vec![None; self.nregs],
            maybe_unbound: BTreeSet::new(),
            spc: 0,
            rpc: 0,
            at_entry: true,
            pending_branch: None,
        };
        for i in 0..self.nlocals {
            let s = self.fresh();
            if i >= nargs {
                p.maybe_unbound.insert(s);
            }
            p.locals.push(s);
            if let Some(r) = p.regs.get_mut(i) {
                *r = Some(s);
            }
        }
        if self.nregs < self.nlocals {
            return Err(self.malformed("fewer registers than locals"));
        }
        self.merge((0, 0), &p)?;
        while let Some(key) = self.work.pop() {
            let p = self.entry_path(key);
            self.run_from(p)?;
        }
        Ok(())
    }

    /// Adds an incoming path to node `key`; queues it when its entry changed.
    fn merge(&mut self, key: (usize, usize), p: &Path) -> Result<(), ValidationError> {
        let expected = self
            .depth_at(key.0)
            .ok_or_else(|| self.malformed("a join at an unreachable stack instruction"))?;
        if p.stack.len() != expected {
            return Err(self.error(Problem::Depth {
                found: p.stack.len(),
                expected,
            }));
        }
        if key.1 >= self.rc.instrs.len() {
            return Err(self.error(Problem::RanOff));
        }
        let mut locs: HashMap<Sym, Vec<u32>> = HashMap::new();
        for (i, s) in p.locals.iter().chain(&p.stack).enumerate() {
            locs.entry(*s).or_default().push(i as u32);
        }
        let held: Vec<Vec<u32>> = p
            .regs
            .iter()
            .map(|r| r.and_then(|s| locs.get(&s).cloned()).unwrap_or_default())
            .collect();
        let bound: Vec<bool> = p
            .locals
            .iter()
            .map(|s| !p.maybe_unbound.contains(s))
            .collect();
        let nconsts = self.code.consts.len() as Sym;
        let consts: Vec<Option<Sym>> = p
            .locals
            .iter()
            .chain(&p.stack)
            .map(|s| (*s < nconsts).then_some(*s))
            .collect();
        let incoming = Entry {
            held,
            bound,
            consts,
            depth: expected,
        };
        let changed = match self.nodes.get_mut(&key) {
            None => {
                self.nodes.insert(key, incoming);
                true
            }
            Some(old) => {
                let mut merged = old.clone();
                for (h, n) in merged.held.iter_mut().zip(&incoming.held) {
                    h.retain(|l| n.contains(l));
                }
                for (b, n) in merged.bound.iter_mut().zip(&incoming.bound) {
                    *b = *b && *n;
                }
                for (c, n) in merged.consts.iter_mut().zip(&incoming.consts) {
                    if c != n {
                        *c = None;
                    }
                }
                let changed = merged != *old;
                *old = merged;
                changed
            }
        };
        if changed && !self.work.contains(&key) {
            self.work.push(key);
        }
        Ok(())
    }

    /// The state at a node's entry: one symbol per class of locations that
    /// some register shows equal on every incoming path (the constant's
    /// own symbol when the class holds one constant on every path).
    fn entry_path(&mut self, key: (usize, usize)) -> Path {
        let e = self.nodes[&key].clone();
        let n = self.nlocals + e.depth;
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for h in &e.held {
            for w in h.windows(2) {
                let (a, b) = (
                    find(&mut parent, w[0] as usize),
                    find(&mut parent, w[1] as usize),
                );
                if a != b {
                    parent[a] = b;
                }
            }
        }
        let mut class_sym: HashMap<usize, Sym> = HashMap::new();
        let mut class_bound: HashMap<usize, bool> = HashMap::new();
        let mut sym_of = vec![0; n];
        for loc in 0..n {
            let root = find(&mut parent, loc);
            let known = loc >= self.nlocals || e.bound[loc];
            *class_bound.entry(root).or_default() |= known;
            if let Some(k) = e.consts[loc] {
                class_sym.insert(root, k);
            }
        }
        for (loc, s) in sym_of.iter_mut().enumerate() {
            let root = find(&mut parent, loc);
            *s = match class_sym.get(&root) {
                Some(s) => *s,
                None => {
                    let s = self.fresh();
                    class_sym.insert(root, s);
                    s
                }
            };
        }
        let mut maybe_unbound = BTreeSet::new();
        for (root, s) in &class_sym {
            if !class_bound[root] && *s >= self.code.consts.len() as Sym {
                maybe_unbound.insert(*s);
            }
        }
        Path {
            locals: sym_of[..self.nlocals].to_vec(),
            stack: sym_of[self.nlocals..].to_vec(),
            regs: e
                .held
                .iter()
                .map(|h| h.first().map(|l| sym_of[*l as usize]))
                .collect(),
            maybe_unbound,
            spc: key.0,
            rpc: key.1,
            at_entry: true,
            pending_branch: None,
        }
    }

    /// Runs the paths from one node's entry until each reaches a join or
    /// leaves the frame.
    fn run_from(&mut self, p: Path) -> Result<(), ValidationError> {
        let mut paths = vec![p];
        while let Some(mut p) = paths.pop() {
            loop {
                self.at = (p.spc, p.rpc);
                if self.budget == 0 {
                    return Err(self.error(Problem::Budget));
                }
                self.budget -= 1;
                let s = self.stack_stop(&mut p)?;
                match s {
                    Stop::Label => {
                        if p.pending_branch.is_some() {
                            return Err(self.mismatch(&s, &Stop::Label));
                        }
                        self.reg_to_label(&mut p)?;
                        self.merge((p.spc, p.rpc), &p)?;
                        break;
                    }
                    Stop::Jump(t) => match self.reg_stop(&mut p)? {
                        Stop::Jump(rt) => {
                            p.spc = t;
                            p.rpc = rt;
                            self.merge((t, rt), &p)?;
                            break;
                        }
                        r => return Err(self.mismatch(&s, &r)),
                    },
                    Stop::Event(ref se) => {
                        let se = se.clone();
                        let r = self.reg_stop(&mut p)?;
                        let Stop::Event(re) = &r else {
                            return Err(self.mismatch(&s, &r));
                        };
                        if *re != se {
                            return Err(self.mismatch(&s, &r));
                        }
                        self.events += 1;
                        self.check_origin(&p)?;
                        self.witness(&p);
                        self.no_lingering(&p)?;
                        if se.kind.can_raise() {
                            self.raise_edge(&p)?;
                        }
                        let outs: Vec<Sym> = (0..se.kind.results()).map(|_| self.fresh()).collect();
                        if let Kind::Delete(_) = se.kind {
                            p.maybe_unbound.extend(outs.iter().copied());
                        }
                        match self.complete(p, &se, &outs)? {
                            (Some(next), taken) => {
                                if let Some(t) = taken {
                                    self.merge((t.spc, t.rpc), &t)?;
                                }
                                p = next;
                            }
                            (None, taken) => {
                                if let Some(t) = taken {
                                    self.merge((t.spc, t.rpc), &t)?;
                                }
                                break;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn mismatch(&self, s: &Stop, r: &Stop) -> ValidationError {
        self.error(Problem::Mismatch {
            stack: s.describe(),
            reg: r.describe(),
        })
    }

    /// Every temporary holds a value the stack code still holds (on its
    /// stack or in a local) or a constant: a value popped is a reference
    /// dropped, on both sides.
    fn no_lingering(&self, p: &Path) -> Result<(), ValidationError> {
        if p.pending_branch.is_some() {
            // Inside a fused compare-and-branch, whose operands are
            // consumed when it completes, after the truth test.
            return Ok(());
        }
        let nconsts = self.code.consts.len() as Sym;
        let held: HashSet<Sym> = p.stack.iter().chain(&p.locals).copied().collect();
        for (r, s) in p.regs.iter().enumerate().skip(self.nlocals) {
            if let Some(s) = s {
                if *s >= nconsts && !held.contains(s) {
                    return Err(self.error(Problem::Lingering(r as Reg)));
                }
            }
        }
        Ok(())
    }

    fn check_origin(&self, p: &Path) -> Result<(), ValidationError> {
        if p.pending_branch.is_some() {
            // The branch half of a fused compare-and-branch reports the
            // comparison's instruction.
            return Ok(());
        }
        let found = self.rc.instrs[p.rpc].origin;
        if found as usize != p.spc {
            return Err(self.error(Problem::Origin {
                found,
                expected: p.spc,
            }));
        }
        Ok(())
    }

    fn witness(&mut self, p: &Path) {
        if p.pending_branch.is_some() {
            return;
        }
        let slots: Vec<Vec<Reg>> = p
            .stack
            .iter()
            .map(|s| {
                (0..p.regs.len())
                    .filter(|r| p.regs[*r] == Some(*s))
                    .map(|r| r as Reg)
                    .collect()
            })
            .collect();
        let w = &mut self.witnesses[p.rpc];
        *w = match w.take() {
            None => Some(Seen::One(Witness {
                stack_index: p.spc,
                slots,
            })),
            Some(Seen::One(mut old))
                if old.stack_index == p.spc && old.slots.len() == slots.len() =>
            {
                for (o, n) in old.slots.iter_mut().zip(&slots) {
                    o.retain(|r| n.contains(r));
                }
                Some(Seen::One(old))
            }
            Some(_) => Some(Seen::Conflict),
        };
    }

    fn const_sym(&self, k: u16) -> Result<Sym, ValidationError> {
        if (k as usize) < self.code.consts.len() {
            Ok(Sym::from(k))
        } else {
            Err(self.malformed(&format!("constant k{k} out of range")))
        }
    }

    fn pop(&self, p: &mut Path) -> Result<Sym, ValidationError> {
        p.stack
            .pop()
            .ok_or_else(|| self.malformed("stack underflow"))
    }

    fn top_n(&self, p: &Path, n: usize) -> Result<Vec<Sym>, ValidationError> {
        let d = p.stack.len();
        if n > d {
            return Err(self.malformed("stack underflow"));
        }
        Ok(p.stack[d - n..].to_vec())
    }

    fn target_index(&self, spc: usize) -> Result<usize, ValidationError> {
        self.v.instructions[spc]
            .jump_target()
            .and_then(|t| u32::try_from(t).ok())
            .and_then(|t| self.index_of.get(&t).copied())
            .ok_or_else(|| self.malformed("jump target is not an instruction"))
    }

    /// Runs the stack side's moves up to its next event, jump or join.
    fn stack_stop(&self, p: &mut Path) -> Result<Stop, ValidationError> {
        use Opcode::*;
        loop {
            let Some(ins) = self.v.instructions.get(p.spc).copied() else {
                return Err(self.malformed("the stack code runs off its end"));
            };
            if !p.at_entry && self.leaders.contains(&p.spc) {
                return Ok(Stop::Label);
            }
            p.at_entry = false;
            let ev = |kind, ins| Ok(Stop::Event(Event { kind, ins }));
            let d = p.stack.len();
            match ins.opcode {
                Nop | PopBlock | ExtendedArg | SetupFinally => {}
                LoadConst => {
                    let k = u16::try_from(ins.arg)
                        .map_err(|_| self.malformed("constant index too large"))?;
                    let s = self.const_sym(k)?;
                    p.stack.push(s);
                }
                LoadFast => {
                    let s = *p
                        .locals
                        .get(ins.arg as usize)
                        .ok_or_else(|| self.malformed("local out of range"))?;
                    if p.maybe_unbound.contains(&s) {
                        return ev(Kind::Check(ins.arg as u16), vec![s]);
                    }
                    p.stack.push(s);
                }
                StoreFast => {
                    let s = self.pop(p)?;
                    *p.locals
                        .get_mut(ins.arg as usize)
                        .ok_or_else(|| self.malformed("local out of range"))? = s;
                }
                DeleteFast => {
                    let s = *p
                        .locals
                        .get(ins.arg as usize)
                        .ok_or_else(|| self.malformed("local out of range"))?;
                    return ev(Kind::Delete(ins.arg as u16), vec![s]);
                }
                PopTop => {
                    self.pop(p)?;
                }
                DupTop => {
                    let t = self.top_n(p, 1)?;
                    p.stack.extend(t);
                }
                DupTopTwo => {
                    let t = self.top_n(p, 2)?;
                    p.stack.extend(t);
                }
                RotTwo | RotThree | RotFour => {
                    let n = match ins.opcode {
                        RotTwo => 2,
                        RotThree => 3,
                        _ => 4,
                    };
                    if n > d {
                        return Err(self.malformed("stack underflow"));
                    }
                    let t = p.stack.remove(d - 1);
                    p.stack.insert(d - n, t);
                }
                JumpForward | JumpAbsolute => return Ok(Stop::Jump(self.target_index(p.spc)?)),
                ReturnValue => return ev(Kind::Return, self.top_n(p, 1)?),
                YieldValue => return ev(Kind::Yield, self.top_n(p, 1)?),
                YieldFrom => return ev(Kind::YieldFrom, self.top_n(p, 2)?),
                PopExcept => return ev(Kind::PopExcept, self.top_n(p, 3)?),
                Reraise => return ev(Kind::Reraise, self.top_n(p, 3)?),
                PopJumpIfFalse | PopJumpIfTrue | JumpIfFalseOrPop | JumpIfTrueOrPop => {
                    let sense = matches!(ins.opcode, PopJumpIfTrue | JumpIfTrueOrPop);
                    return ev(Kind::Branch(sense), self.top_n(p, 1)?);
                }
                JumpIfNotExcMatch => return ev(Kind::ExcMatch, self.top_n(p, 2)?),
                ForIter => return ev(Kind::ForIter, self.top_n(p, 1)?),
                op => {
                    let sh = shape(RegOp::Apply(op), ins.arg)
                        .ok_or_else(|| self.malformed("an opcode with no register form"))?;
                    return ev(Kind::Apply(op, ins.arg), self.top_n(p, sh.ins as usize)?);
                }
            }
            p.spc += 1;
        }
    }

    fn read(&self, p: &Path, rk: Rk) -> Result<Sym, ValidationError> {
        match rk {
            Rk::Const(k) => self.const_sym(k),
            Rk::Reg(r) => p
                .regs
                .get(r as usize)
                .copied()
                .ok_or_else(|| self.malformed(&format!("r{r} out of range")))?
                .ok_or_else(|| self.error(Problem::Undefined(r))),
        }
    }

    fn reads(&self, p: &Path, ins: &RegInstr) -> Result<Vec<Sym>, ValidationError> {
        ins.ins.iter().map(|rk| self.read(p, *rk)).collect()
    }

    /// Runs the register side's moves up to its next event or jump.
    fn reg_stop(&self, p: &mut Path) -> Result<Stop, ValidationError> {
        if let Some((sense, s)) = p.pending_branch {
            return Ok(Stop::Event(Event {
                kind: Kind::Branch(sense),
                ins: vec![s],
            }));
        }
        loop {
            let Some(ins) = self.rc.instrs.get(p.rpc) else {
                return Err(self.error(Problem::RanOff));
            };
            let ev = |kind, ins| Ok(Stop::Event(Event { kind, ins }));
            let shape_ok = shape(ins.op, ins.arg).is_some_and(|s| {
                s.ins as usize == ins.ins.len() && s.outs as usize == ins.outs.len()
            });
            if !shape_ok {
                return Err(self.malformed("a register instruction with the wrong operands"));
            }
            match ins.op {
                RegOp::Move => {
                    let s = self.read(p, ins.ins[0])?;
                    if let Rk::Reg(r) = ins.ins[0] {
                        if (r as usize) < self.nlocals && p.maybe_unbound.contains(&s) {
                            return ev(Kind::Check(r), vec![s]);
                        }
                    }
                    self.consume(p, ins);
                    self.write(p, ins.outs[0], s)?;
                    p.rpc += 1;
                    continue;
                }
                RegOp::Jump => return Ok(Stop::Jump(ins.target as usize)),
                RegOp::Delete => {
                    let r = ins.outs[0];
                    if r as usize >= self.nlocals {
                        return Err(self.malformed("DELETE of a temporary"));
                    }
                    return ev(Kind::Delete(r), vec![self.read(p, Rk::Reg(r))?]);
                }
                RegOp::Apply(op) => return ev(Kind::Apply(op, ins.arg), self.reads(p, ins)?),
                RegOp::CompareBranch(_) => {
                    let Some(test) = ins.test else {
                        return Err(self.malformed("COMPARE_BRANCH without its comparison"));
                    };
                    return ev(Kind::Apply(test, ins.arg), self.reads(p, ins)?);
                }
                RegOp::Branch(sense) => return ev(Kind::Branch(sense), self.reads(p, ins)?),
                RegOp::ExcMatchBranch => return ev(Kind::ExcMatch, self.reads(p, ins)?),
                RegOp::ForIter => return ev(Kind::ForIter, self.reads(p, ins)?),
                RegOp::Return => return ev(Kind::Return, self.reads(p, ins)?),
                RegOp::Yield => return ev(Kind::Yield, self.reads(p, ins)?),
                RegOp::YieldFrom => return ev(Kind::YieldFrom, self.reads(p, ins)?),
                RegOp::PopExcept => return ev(Kind::PopExcept, self.reads(p, ins)?),
                RegOp::Reraise => return ev(Kind::Reraise, self.reads(p, ins)?),
            }
        }
    }

    /// At a join of the stack code: the register side runs the moves that
    /// belong to earlier stack instructions, then those up to one of its own
    /// join points (or an event).
    fn reg_to_label(&self, p: &mut Path) -> Result<(), ValidationError> {
        for _ in 0..=self.rc.instrs.len() {
            let Some(ins) = self.rc.instrs.get(p.rpc) else {
                return Err(self.error(Problem::RanOff));
            };
            if (ins.origin as usize) >= p.spc && self.reg_labels.contains(&p.rpc) {
                return Ok(());
            }
            if ins.op != RegOp::Move || ins.ins.len() != 1 || ins.outs.len() != 1 {
                return Ok(());
            }
            let s = self.read(p, ins.ins[0])?;
            if matches!(ins.ins[0], Rk::Reg(r) if (r as usize) < self.nlocals)
                && p.maybe_unbound.contains(&s)
            {
                return Ok(());
            }
            self.consume(p, ins);
            self.write(p, ins.outs[0], s)?;
            p.rpc += 1;
        }
        Err(self.error(Problem::RanOff))
    }

    /// Clears the temporaries `ins` consumes.
    fn consume(&self, p: &mut Path, ins: &RegInstr) {
        for (k, rk) in ins.ins.iter().enumerate() {
            if let Rk::Reg(r) = rk {
                let r = *r as usize;
                if r >= self.nlocals && !ins.keep.contains(&(k as u16)) {
                    if let Some(slot) = p.regs.get_mut(r) {
                        *slot = None;
                    }
                }
            }
        }
    }

    fn write(&self, p: &mut Path, r: Reg, s: Sym) -> Result<(), ValidationError> {
        if r == DISCARD {
            return Ok(());
        }
        *p.regs
            .get_mut(r as usize)
            .ok_or_else(|| self.malformed(&format!("r{r} out of range")))? = Some(s);
        Ok(())
    }

    /// Exceptions at an event: the frame must be observable as the stack
    /// code's, and the handler (if any) gets an incoming edge.
    fn raise_edge(&mut self, p: &Path) -> Result<(), ValidationError> {
        for i in 0..self.nlocals {
            if p.regs[i] != Some(p.locals[i]) {
                return Err(self.error(Problem::LocalDiffers(i as u16)));
            }
        }
        let start = self.v.instructions[p.spc].start;
        let sblocks = self
            .v
            .states
            .get(&start)
            .map(|s| s.blocks.clone())
            .unwrap_or_default();
        let rblocks = self.rc.blocks(p.rpc).to_vec();
        let describe = || Problem::Blocks {
            stack: format!("{sblocks:?}"),
            reg: format!("{rblocks:?}"),
        };
        if sblocks.len() != rblocks.len() {
            return Err(self.error(describe()));
        }
        for (sb, rb) in sblocks.iter().zip(&rblocks).rev() {
            match (*sb, *rb) {
                (Block::ExceptHandler { level }, StaticBlock::ExceptHandler { base }) => {
                    let level = level as usize;
                    for j in 0..3 {
                        let reg = p.regs.get(base as usize + j).copied().flatten();
                        if reg.is_none() || reg != p.stack.get(level + j).copied() {
                            return Err(self.error(Problem::SavedException { level, base }));
                        }
                    }
                }
                (Block::Finally { handler, level }, StaticBlock::Finally { handler: h, base }) => {
                    let hs = *self
                        .index_of
                        .get(&handler)
                        .ok_or_else(|| self.malformed("handler is not an instruction"))?;
                    let level = level as usize;
                    let base = base as usize;
                    if base < self.nlocals || base + 6 > self.nregs || level > p.stack.len() {
                        return Err(self.error(describe()));
                    }
                    let mut q = p.clone();
                    q.stack.truncate(level);
                    for r in q.regs.iter_mut().skip(base) {
                        *r = None;
                    }
                    for j in 0..6 {
                        let x = self.fresh();
                        q.stack.push(x);
                        q.regs[base + j] = Some(x);
                    }
                    q.spc = hs;
                    q.rpc = h as usize;
                    q.pending_branch = None;
                    self.merge((hs, h as usize), &q)?;
                    return Ok(());
                }
                _ => return Err(self.error(describe())),
            }
        }
        Ok(())
    }

    /// Does a matched event on both sides: the path that falls through
    /// (if any) and the state of a taken jump (if any).
    fn complete(
        &mut self,
        mut p: Path,
        e: &Event,
        outs: &[Sym],
    ) -> Result<(Option<Path>, Option<Path>), ValidationError> {
        let sins = self.v.instructions[p.spc];
        let rins = self.rc.instrs[p.rpc].clone();
        let in_branch_half = p.pending_branch.is_some();
        // The stack side.
        let mut taken: Option<Path> = None;
        let mut falls = true;
        match &e.kind {
            Kind::Check(_) => {
                p.maybe_unbound.remove(&e.ins[0]);
                p.stack.push(e.ins[0]);
            }
            Kind::Delete(l) => p.locals[*l as usize] = outs[0],
            Kind::Apply(op, arg) => {
                let n_in = shape(RegOp::Apply(*op), *arg).map_or(0, |s| s.ins as usize);
                let left = (passed_through(*op, *arg) as usize).min(n_in);
                p.stack.truncate(p.stack.len() - n_in);
                p.stack.extend_from_slice(&e.ins[..left]);
                p.stack.extend_from_slice(outs);
                falls = sins.opcode.info().flow != Flow::Exit;
            }
            Kind::Return | Kind::Reraise => falls = false,
            Kind::Yield => {
                self.pop(&mut p)?;
                p.stack.push(outs[0]);
            }
            Kind::YieldFrom => {
                self.pop(&mut p)?;
                self.pop(&mut p)?;
                p.stack.push(outs[0]);
            }
            Kind::PopExcept => {
                p.stack.truncate(p.stack.len() - 3);
            }
            Kind::Branch(_) | Kind::ExcMatch | Kind::ForIter => {
                let mut t = p.clone();
                t.spc = self.target_index(p.spc)?;
                match sins.opcode {
                    Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue => {
                        t.stack.pop();
                        p.stack.pop();
                    }
                    Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => {
                        p.stack.pop();
                    }
                    Opcode::JumpIfNotExcMatch => {
                        t.stack.truncate(t.stack.len() - 2);
                        p.stack.truncate(p.stack.len() - 2);
                    }
                    Opcode::ForIter => {
                        t.stack.pop();
                        p.stack.push(outs[0]);
                    }
                    _ => return Err(self.malformed("a branch event from a non-branch")),
                }
                t.at_entry = false;
                taken = Some(t);
            }
        }
        p.spc += 1;
        // The register side.
        if let (RegOp::CompareBranch(sense), false) = (rins.op, in_branch_half) {
            // Only the comparison is done: the stack side's branch comes
            // next, matched against the branch half.
            p.pending_branch = Some((sense, outs[0]));
            return Ok((falls.then_some(p), taken));
        }
        p.pending_branch = None;
        match rins.op {
            RegOp::Move => {
                self.write(&mut p, rins.outs[0], e.ins[0])?;
                p.rpc += 1;
            }
            RegOp::Delete => {
                self.write(&mut p, rins.outs[0], outs[0])?;
                p.rpc += 1;
            }
            RegOp::Apply(_) | RegOp::Yield => {
                // Outputs the rule leaves in place are the inputs' objects.
                let left = match rins.op {
                    RegOp::Apply(op) => (passed_through(op, rins.arg) as usize).min(e.ins.len()),
                    _ => 0,
                };
                self.consume(&mut p, &rins);
                let values = e.ins[..left].iter().chain(outs);
                for (r, s) in rins.outs.iter().zip(values) {
                    self.write(&mut p, *r, *s)?;
                }
                p.rpc += 1;
            }
            RegOp::YieldFrom => {
                for rk in &rins.ins {
                    if let Rk::Reg(v) = rk {
                        p.regs[*v as usize] = None;
                    }
                }
                self.write(&mut p, rins.outs[0], outs[0])?;
                p.rpc += 1;
            }
            RegOp::PopExcept => {
                self.consume(&mut p, &rins);
                p.rpc += 1;
            }
            RegOp::Return | RegOp::Reraise => {}
            RegOp::Branch(_) | RegOp::CompareBranch(_) | RegOp::ExcMatchBranch => {
                self.consume(&mut p, &rins);
                p.rpc += 1;
                if let Some(t) = taken.as_mut() {
                    self.consume(t, &rins);
                    t.rpc = rins.target as usize;
                    t.pending_branch = None;
                }
            }
            RegOp::ForIter => {
                self.write(&mut p, rins.outs[0], outs[0])?;
                p.rpc += 1;
                if let (Some(t), Some(Rk::Reg(it))) = (taken.as_mut(), rins.ins.first()) {
                    t.regs[*it as usize] = None;
                    t.rpc = rins.target as usize;
                }
            }
            RegOp::Jump => return Err(self.malformed("a jump matched as an event")),
        }
        if taken.is_some() != shape(rins.op, rins.arg).is_some_and(|s| s.target) {
            return Err(self.malformed("a branch matched with a non-branch"));
        }
        Ok((falls.then_some(p), taken))
    }
}
