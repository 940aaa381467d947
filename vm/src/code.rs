//! Register code prepared for the VM: the register ISA's instructions
//! ([`pyreg_spec::reg::RegCode`], verified and validated) lowered to a flat
//! array of fixed-size [`Ins`], with constants materialised as values,
//! global names resolved to namespace slots once (the inline cache of
//! `LOAD_GLOBAL`), and each instruction's consumed temporaries listed.

use crate::heap::{Heap, Obj};
use crate::interp::Namespace;
use crate::value::Value;
use pyreg_spec::code::{CodeObject, Constant};
use pyreg_spec::opcode::Opcode;
use pyreg_spec::reg::{RegCode, RegOp, Rk, DISCARD};
use std::sync::Arc;

/// Operand bit marking a constant (the low bits index the constants).
pub const CONST: u16 = 0x8000;
/// The output that discards its value.
pub const NOWHERE: u16 = u16::MAX;

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `is`
    Is,
    /// `is not`
    IsNot,
    /// `in`
    In,
    /// `not in`
    NotIn,
}

/// A binary operator (`inplace`: the `INPLACE_*` form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bin {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    Lshift,
    /// `>>`
    Rshift,
    /// `&`
    And,
    /// `|`
    Or,
    /// `^`
    Xor,
}

impl Bin {
    /// The operator as error messages show it.
    pub fn symbol(self) -> &'static str {
        match self {
            Bin::Add => "+",
            Bin::Sub => "-",
            Bin::Mul => "*",
            Bin::TrueDiv => "/",
            Bin::FloorDiv => "//",
            Bin::Mod => "%",
            Bin::Pow => "** or pow()",
            Bin::Lshift => "<<",
            Bin::Rshift => ">>",
            Bin::And => "&",
            Bin::Or => "|",
            Bin::Xor => "^",
        }
    }
}

/// The VM's operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `a <- b` (raises for an unbound local `b`).
    Move,
    /// Unbind local `a`.
    Delete,
    /// Jump to `d`.
    Jump,
    /// Jump to `d` when the truth of `b` is the flag.
    Branch(bool),
    /// Compare `b` and `c`; jump to `d` when the truth is the flag.
    CmpBranch(Cmp, bool),
    /// `a <- b cmp c`.
    Compare(Cmp),
    /// `a <- next(b)`, or at exhaustion clear `b` and jump to `d`.
    ForIter,
    /// Return `b`.
    Return,
    /// `a <- b op c` (`true`: in place).
    Binary(Bin, bool),
    /// `a <- not b`.
    Not,
    /// `a <- b.names[d]`.
    LoadAttr,
    /// `c.names[d] <- b`.
    StoreAttr,
    /// `a <- name d` in a class body: its namespace, the globals, the
    /// built-ins (`d` indexes `co_names`).
    LoadName,
    /// `name d <- b` in a class body's namespace.
    StoreName,
    /// Delete name `d` from a class body's namespace.
    DeleteName,
    /// `a <- yield b`.
    Yield,
    /// `a <- yield from b` (sending `c`).
    YieldFrom,
    /// A stack opcode's rule on values: inputs `extra[d..d+n]`, outputs
    /// `extra[d+n..d+n+c]`, the opcode's argument in `b` (the opcode is
    /// the variant's).
    Apply(Opcode),
    /// `a <- global slot d` (then the built-ins).
    LoadGlobal,
    /// `global slot d <- b`.
    StoreGlobal,
    /// Unbind global slot `d` (`DELETE_NAME`/`DELETE_GLOBAL` at module level).
    DeleteGlobal,
    /// `a <- extra[d](extra[d+1..d+1+n])`.
    Call,
    /// `a <- method extra[d] (self extra[d+1]) (extra[d+2..])`.
    CallMethod,
    /// `a, extra[d] <- method named d of b` (the method and `self`).
    LoadMethod,
    /// `a <- function(code b, name c)`; `n` holds `MAKE_FUNCTION`'s flags
    /// and `extra[d..]` its defaults tuple (flag 1) then its closure tuple
    /// (flag 8).
    MakeFunction,
    /// `a <- cell d` (`LOAD_CLOSURE`).
    LoadClosure,
    /// `a <- contents of cell d` (`LOAD_DEREF`).
    LoadDeref,
    /// `cell d <- b` (`STORE_DEREF`).
    StoreDeref,
    /// Empty cell `d` (`DELETE_DEREF`).
    DeleteDeref,
    /// `a <- tuple(extra[d..d+n])`.
    BuildTuple,
    /// `a <- list(extra[d..d+n])`.
    BuildList,
    /// `a <- b[c]`.
    Subscr,
    /// `c[extra[d]] <- b`.
    StoreSubscr,
    /// `a <- iter(b)`.
    GetIter,
    /// `extra[d..d+n] <- b` unpacked (in stack order).
    Unpack,
    /// Raise `b` (`n`: 0 re-raises, 1 raises `b`).
    Raise,
    /// Jump to `d` when the exception `b` does not match class `c`.
    ExcMatchBranch,
    /// Make the exception in `c` the handled one again.
    PopExcept,
    /// Re-raise the exception in `c`.
    Reraise,
    /// `b.append(c)` for the list `b` (`LIST_APPEND`).
    ListAppend,
    /// `b.extend(c)` for the list `b` (`LIST_EXTEND`).
    ListExtend,
    /// An opcode the VM does not implement yet (its stack opcode in `d`).
    Unsupported,
    /// An instruction reading a constant the VM cannot represent yet (its
    /// index in `d`).
    UnsupportedConstant,
}

/// One instruction.
#[derive(Clone, Copy, Debug)]
pub struct Ins {
    /// The operation.
    pub op: Op,
    /// Output register ([`NOWHERE`] to discard).
    pub a: u16,
    /// First input.
    pub b: u16,
    /// Second input.
    pub c: u16,
    /// Count of operands in `extra`.
    pub n: u16,
    /// Jump target, global slot, or start in `extra`.
    pub d: u32,
    /// Start of the consumed temporaries in `clears`.
    pub clear_at: u32,
    /// How many temporaries it consumes.
    pub clear_n: u16,
}

/// The stack instructions the stack mode's dispatch loop takes on its
/// fast path, decoded once as the register mode decodes its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SOp {
    /// `LOAD_FAST`.
    LoadFast,
    /// `STORE_FAST`.
    StoreFast,
    /// `LOAD_CONST`.
    LoadConst,
    /// `POP_TOP`.
    PopTop,
    /// `JUMP_ABSOLUTE`, `JUMP_FORWARD`.
    Jump,
    /// `POP_JUMP_IF_TRUE` (`true`) / `POP_JUMP_IF_FALSE`.
    PopJump(bool),
    /// `COMPARE_OP`, `IS_OP`, `CONTAINS_OP`.
    Compare(Cmp),
    /// `BINARY_*` / `INPLACE_*`.
    Binary(Bin, bool),
    /// `LOAD_GLOBAL`.
    LoadGlobal,
    /// `CALL_FUNCTION`.
    Call,
    /// `CALL_METHOD`.
    CallMethod,
    /// `LOAD_DEREF`.
    LoadDeref,
    /// `STORE_DEREF`.
    StoreDeref,
    /// `RETURN_VALUE`.
    Return,
    /// `FOR_ITER`.
    ForIter,
    /// `BINARY_SUBSCR`.
    Subscr,
    /// `STORE_SUBSCR`.
    StoreSubscr,
    /// `UNPACK_SEQUENCE`.
    Unpack,
    /// Anything else: the general path matches on the opcode.
    Other,
}

/// One stack instruction, decoded, for the VM's stack mode.
#[derive(Clone, Copy, Debug)]
pub struct SIns {
    /// Its fast-path kind.
    pub kind: SOp,
    /// The opcode.
    pub op: Opcode,
    /// Its argument (`EXTENDED_ARG` folded in).
    pub arg: u32,
    /// A jump's target as an instruction index; for a global or module
    /// name operation, the name's global slot.
    pub target: u32,
}

/// A code object prepared for the VM.
#[derive(Debug)]
pub struct VmCode {
    /// The stack code object (names, line table).
    pub co: Arc<CodeObject>,
    /// Its register form (for the exception table and origins).
    pub rc: RegCode,
    /// The instructions (register mode).
    pub ins: Vec<Ins>,
    /// The stack instructions (stack mode; empty in register mode).
    pub stack: Vec<SIns>,
    /// Operand lists of calls and builds.
    pub extra: Vec<u16>,
    /// Consumed temporaries.
    pub clears: Vec<u16>,
    /// Constants as values (each holds a reference).
    pub consts: Vec<Value>,
    /// `co_names` as `str` values (each holds a reference).
    pub names: Vec<Value>,
    /// The byte offset of each stack instruction (for line numbers).
    pub offsets: Vec<u32>,
    /// Whether a call needs only positional binding: no `*args`,
    /// `**kwargs`, keyword-only parameters or generator flags.
    pub simple: bool,
    /// Whether every return of the code returns the constant `None` (so
    /// an `__init__` with this code needs no check of its result).
    pub returns_none: bool,
    /// Registers in a frame.
    pub nregs: usize,
    /// Fast locals.
    pub nlocals: usize,
    /// Parameters.
    pub nargs: usize,
    /// For each cell variable, the parameter whose value starts in it.
    pub cell_args: Vec<Option<usize>>,
    /// The namespace its globals live in.
    pub globals: u32,
    /// One inline cache per instruction for the attribute instructions
    /// (indexed like `ins`, or like `stack` in stack mode).
    pub attr_sites: Vec<std::cell::Cell<crate::interp::AttrSite>>,
}

fn operand(rk: Rk) -> u16 {
    match rk {
        Rk::Reg(r) => r,
        Rk::Const(k) => CONST | k,
    }
}

fn out(r: u16) -> u16 {
    if r == DISCARD {
        NOWHERE
    } else {
        r
    }
}

pub(crate) fn cmp_of(op: Opcode, arg: u32) -> Option<Cmp> {
    Some(match (op, arg) {
        (Opcode::CompareOp, 0) => Cmp::Lt,
        (Opcode::CompareOp, 1) => Cmp::Le,
        (Opcode::CompareOp, 2) => Cmp::Eq,
        (Opcode::CompareOp, 3) => Cmp::Ne,
        (Opcode::CompareOp, 4) => Cmp::Gt,
        (Opcode::CompareOp, 5) => Cmp::Ge,
        (Opcode::IsOp, 0) => Cmp::Is,
        (Opcode::IsOp, _) => Cmp::IsNot,
        (Opcode::ContainsOp, 0) => Cmp::In,
        (Opcode::ContainsOp, _) => Cmp::NotIn,
        _ => return None,
    })
}

pub(crate) fn bin_of(op: Opcode) -> Option<(Bin, bool)> {
    use Opcode::*;
    Some(match op {
        BinaryAdd => (Bin::Add, false),
        BinarySubtract => (Bin::Sub, false),
        BinaryMultiply => (Bin::Mul, false),
        BinaryTrueDivide => (Bin::TrueDiv, false),
        BinaryFloorDivide => (Bin::FloorDiv, false),
        BinaryModulo => (Bin::Mod, false),
        BinaryPower => (Bin::Pow, false),
        BinaryLshift => (Bin::Lshift, false),
        BinaryRshift => (Bin::Rshift, false),
        BinaryAnd => (Bin::And, false),
        BinaryOr => (Bin::Or, false),
        BinaryXor => (Bin::Xor, false),
        InplaceAdd => (Bin::Add, true),
        InplaceSubtract => (Bin::Sub, true),
        InplaceMultiply => (Bin::Mul, true),
        InplaceTrueDivide => (Bin::TrueDiv, true),
        InplaceFloorDivide => (Bin::FloorDiv, true),
        InplaceModulo => (Bin::Mod, true),
        InplacePower => (Bin::Pow, true),
        InplaceLshift => (Bin::Lshift, true),
        InplaceRshift => (Bin::Rshift, true),
        InplaceAnd => (Bin::And, true),
        InplaceOr => (Bin::Or, true),
        InplaceXor => (Bin::Xor, true),
        _ => return None,
    })
}

/// A constant as a value (strings and big integers allocated, with their
/// first reference taken by the constant table); `None` only for a
/// frozenset constant with an item that has no hash.
fn constant(heap: &mut Heap, c: &Constant) -> Option<Value> {
    Some(match c {
        Constant::None => Value::None,
        Constant::Bool(b) => Value::Bool(*b),
        Constant::Int(i) => match i64::try_from(i) {
            Ok(x) => Value::Int(x),
            Err(_) => heap.alloc(Obj::Big(i.clone())),
        },
        Constant::Float(f) => Value::Float(*f),
        Constant::Str(s) => heap.str(&s.to_string_lossy()),
        Constant::Tuple(items) => {
            let mut vs = Vec::with_capacity(items.len());
            for it in items.iter() {
                match constant(heap, it) {
                    Some(v) => vs.push(v),
                    None => {
                        heap.decref_all(vs);
                        return None;
                    }
                }
            }
            heap.alloc(Obj::Tuple(vs.into()))
        }
        Constant::Bytes(b) => heap.alloc(Obj::Bytes(b.to_vec().into_boxed_slice())),
        Constant::Complex(re, im) => heap.alloc(Obj::Complex(*re, *im)),
        Constant::Ellipsis => heap.alloc(Obj::Ellipsis),
        Constant::Code(c) => heap.alloc(Obj::Code(c.clone())),
        Constant::FrozenSet(items) => {
            // CPython's compiler makes the frozenset from the items in
            // source order (`PyFrozenSet_New`, which drops items equal to
            // an earlier one), then `merge_consts_recursive` makes it again
            // from the first one's table order: both steps are reproduced,
            // on item indices, then replayed with the values.
            use pyreg_spec::settable::SetTable;
            let mut hashed = Vec::with_capacity(items.len());
            for (i, it) in items.iter().enumerate() {
                hashed.push((const_hash(it)?, i));
            }
            let mut eq = |a: &usize, b: &usize| Ok::<bool, ()>(const_eq(&items[*a], &items[*b]));
            let first = SetTable::from_hashed(hashed, &mut eq).ok()?;
            let order: Vec<(i64, usize)> = first.iter_hashed().map(|(h, i)| (h, *i)).collect();
            let mut t = SetTable::new();
            for (h, i) in order {
                match constant(heap, &items[i]) {
                    // The same inserts as the second build: the items are
                    // distinct now, so equal hashes are unequal keys.
                    Some(v) => {
                        let _ = t.insert(h, v, &mut |_, _| Ok::<bool, ()>(false));
                    }
                    None => {
                        heap.decref_all(t.iter().copied().collect::<Vec<_>>());
                        return None;
                    }
                }
            }
            heap.alloc(Obj::FrozenSet(t))
        }
    })
}

/// `a == b` for two constants, as Python compares them (numbers across
/// `bool`, `int`, `float` and `complex`; containers item by item).
fn const_eq(a: &Constant, b: &Constant) -> bool {
    use num_bigint::BigInt;
    use num_traits::FromPrimitive;
    // A real number as an exact integer when it is one, else a float.
    fn real(c: &Constant) -> Option<Result<BigInt, f64>> {
        Some(match c {
            Constant::Bool(b) => Ok(BigInt::from(u8::from(*b))),
            Constant::Int(i) => Ok(i.clone()),
            Constant::Float(f) if f.is_finite() && f.fract() == 0.0 => Ok(BigInt::from_f64(*f)?),
            Constant::Float(f) => Err(*f),
            Constant::Complex(re, 0.0) => return real(&Constant::Float(*re)),
            _ => return None,
        })
    }
    match (a, b) {
        (Constant::Complex(x, y), Constant::Complex(u, v)) => x == u && y == v,
        (Constant::Str(x), Constant::Str(y)) => x == y,
        (Constant::Bytes(x), Constant::Bytes(y)) => x == y,
        (Constant::None, Constant::None) | (Constant::Ellipsis, Constant::Ellipsis) => true,
        (Constant::Tuple(x), Constant::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| const_eq(p, q))
        }
        (Constant::FrozenSet(x), Constant::FrozenSet(y)) => {
            x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| const_eq(p, q)))
        }
        _ => match (real(a), real(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// `hash()` of a constant, as CPython computes it; `None` for kinds whose
/// hash is an address.
fn const_hash(c: &Constant) -> Option<i64> {
    use pyreg_spec::pyhash;
    Some(match c {
        Constant::Bool(b) => pyhash::hash_bool(*b),
        Constant::Int(i) => pyhash::hash_int(i),
        Constant::Float(f) => pyhash::hash_float(*f),
        Constant::Complex(re, im) => pyhash::hash_complex(*re, *im),
        Constant::Str(s) => pyhash::hash_str(s),
        Constant::Bytes(b) => pyhash::hash_bytes(b),
        Constant::Tuple(items) => {
            let hs: Option<Vec<i64>> = items.iter().map(const_hash).collect();
            pyhash::hash_tuple(&hs?)
        }
        Constant::FrozenSet(items) => {
            let hs: Option<Vec<i64>> = items.iter().map(const_hash).collect();
            pyhash::hash_frozenset(&hs?)
        }
        _ => return None,
    })
}

/// Prepares `rc` to run with globals in namespace `globals`.
///
/// A class body (`class_body`) looks its names up in its namespace first;
/// module code keeps them in global slots.
pub fn prepare(
    rc: RegCode,
    heap: &mut Heap,
    ns: &mut Namespace,
    globals: u32,
    class_body: bool,
) -> VmCode {
    let co = rc.code.clone();
    let nlocals = co.nlocals as usize;
    let consts: Vec<Value> = co
        .consts
        .iter()
        .map(|c| constant(heap, c).unwrap_or(Value::Empty))
        .collect();
    let names: Vec<Value> = co
        .names
        .iter()
        .map(|n| heap.intern(&n.to_string_lossy()))
        .collect();
    let slots: Vec<u32> = co
        .names
        .iter()
        .map(|n| ns.slot(&n.to_string_lossy()))
        .collect();
    let mut ins = Vec::with_capacity(rc.instrs.len());
    let mut extra: Vec<u16> = Vec::new();
    let mut clears: Vec<u16> = Vec::new();
    for ri in &rc.instrs {
        let clear_at = clears.len() as u32;
        for (k, x) in ri.ins.iter().enumerate() {
            if let Rk::Reg(r) = x {
                if (*r as usize) >= nlocals && !ri.keep.contains(&(k as u16)) {
                    clears.push(*r);
                }
            }
        }
        let mut i = Ins {
            op: Op::Unsupported,
            a: ri.outs.first().copied().map_or(NOWHERE, out),
            b: ri.ins.first().copied().map_or(0, operand),
            c: ri.ins.get(1).copied().map_or(0, operand),
            n: 0,
            d: ri.target,
            clear_at,
            clear_n: (clears.len() as u32 - clear_at) as u16,
        };
        let list = |extra: &mut Vec<u16>, xs: &[Rk]| {
            let at = extra.len() as u32;
            extra.extend(xs.iter().map(|x| operand(*x)));
            at
        };
        i.op = match ri.op {
            RegOp::Move => Op::Move,
            RegOp::Delete => Op::Delete,
            RegOp::Jump => Op::Jump,
            RegOp::Branch(s) => Op::Branch(s),
            RegOp::CompareBranch(s) => match ri.test.and_then(|t| cmp_of(t, ri.arg)) {
                Some(c) => Op::CmpBranch(c, s),
                None => {
                    i.d = ri.test.map_or(0, |t| t as u32);
                    Op::Unsupported
                }
            },
            RegOp::ForIter => Op::ForIter,
            RegOp::Return => Op::Return,
            RegOp::ExcMatchBranch => Op::ExcMatchBranch,
            RegOp::PopExcept => Op::PopExcept,
            RegOp::Reraise => Op::Reraise,
            RegOp::Yield => Op::Yield,
            RegOp::YieldFrom => Op::YieldFrom,
            RegOp::Apply(op) => {
                use Opcode::*;
                if let Some(c) = cmp_of(op, ri.arg) {
                    Op::Compare(c)
                } else if let Some((b, inplace)) = bin_of(op) {
                    Op::Binary(b, inplace)
                } else {
                    match op {
                        UnaryNot => Op::Not,
                        LoadName | StoreName | DeleteName if class_body => {
                            i.d = ri.arg;
                            match op {
                                LoadName => Op::LoadName,
                                StoreName => Op::StoreName,
                                _ => Op::DeleteName,
                            }
                        }
                        LoadAttr => {
                            i.d = ri.arg;
                            Op::LoadAttr
                        }
                        StoreAttr => {
                            // value, object
                            i.d = ri.arg;
                            Op::StoreAttr
                        }
                        LoadGlobal | LoadName => {
                            i.d = slots.get(ri.arg as usize).copied().unwrap_or(0);
                            Op::LoadGlobal
                        }
                        DeleteGlobal | DeleteName => {
                            i.d = slots.get(ri.arg as usize).copied().unwrap_or(0);
                            Op::DeleteGlobal
                        }
                        StoreGlobal | StoreName => {
                            i.d = slots.get(ri.arg as usize).copied().unwrap_or(0);
                            Op::StoreGlobal
                        }
                        CallFunction => {
                            i.n = ri.arg as u16;
                            i.d = list(&mut extra, &ri.ins);
                            Op::Call
                        }
                        CallMethod => {
                            i.n = ri.arg as u16;
                            i.d = list(&mut extra, &ri.ins);
                            Op::CallMethod
                        }
                        LoadMethod => {
                            i.d = ri.arg;
                            i.c = ri.outs.get(1).copied().map_or(NOWHERE, out);
                            Op::LoadMethod
                        }
                        MakeFunction => {
                            // [defaults,] [closure,] code, qualname
                            let k = ri.ins.len();
                            i.b = operand(ri.ins[k - 2]);
                            i.c = operand(ri.ins[k - 1]);
                            i.n = ri.arg as u16;
                            i.d = list(&mut extra, &ri.ins[..k - 2]);
                            Op::MakeFunction
                        }
                        LoadClosure | LoadDeref | StoreDeref | DeleteDeref => {
                            i.d = ri.arg;
                            match op {
                                LoadClosure => Op::LoadClosure,
                                LoadDeref => Op::LoadDeref,
                                StoreDeref => Op::StoreDeref,
                                _ => Op::DeleteDeref,
                            }
                        }
                        BuildTuple | BuildList => {
                            i.n = ri.arg as u16;
                            i.d = list(&mut extra, &ri.ins);
                            if op == BuildTuple {
                                Op::BuildTuple
                            } else {
                                Op::BuildList
                            }
                        }
                        ListAppend | ListExtend => {
                            // The list is the deepest input, the item the
                            // top one; the values between pass through.
                            i.b = operand(ri.ins[0]);
                            i.c = operand(ri.ins[ri.ins.len() - 1]);
                            if op == ListAppend {
                                Op::ListAppend
                            } else {
                                Op::ListExtend
                            }
                        }
                        BinarySubscr => Op::Subscr,
                        StoreSubscr => {
                            // value, container, key
                            i.d = list(&mut extra, &ri.ins[2..3]);
                            Op::StoreSubscr
                        }
                        GetIter => Op::GetIter,
                        UnpackSequence => {
                            i.n = ri.arg as u16;
                            let at = extra.len() as u32;
                            extra.extend(ri.outs.iter().map(|r| out(*r)));
                            i.d = at;
                            Op::Unpack
                        }
                        RaiseVarargs if ri.arg <= 1 => {
                            i.n = ri.arg as u16;
                            Op::Raise
                        }
                        _ if ri.arg <= u32::from(u16::MAX) => {
                            i.b = ri.arg as u16;
                            i.n = ri.ins.len() as u16;
                            let kept = pyreg_spec::reg::passed_through(op, ri.arg) as usize;
                            let outs: Vec<u16> =
                                ri.outs.iter().skip(kept).map(|r| out(*r)).collect();
                            i.c = outs.len() as u16;
                            i.d = list(&mut extra, &ri.ins);
                            extra.extend(outs);
                            Op::Apply(op)
                        }
                        _ => {
                            i.d = op as u32;
                            Op::Unsupported
                        }
                    }
                }
            }
        };
        let bad = ri.ins.iter().find_map(|x| match x {
            Rk::Const(k) if consts.get(*k as usize) == Some(&Value::Empty) => Some(*k),
            _ => None,
        });
        if let Some(k) = bad {
            i.op = Op::UnsupportedConstant;
            i.d = u32::from(k);
        }
        if matches!(ri.op, RegOp::PopExcept | RegOp::Reraise) {
            // (tb, value, type): the value is the middle input.
            i.c = ri.ins.get(1).copied().map_or(0, operand);
        }
        ins.push(i);
    }
    let offsets = pyreg_spec::decode::decode(&co.code)
        .map(|d| d.iter().map(|i| i.offset).collect())
        .unwrap_or_default();
    let Layout { simple, cell_args } = Layout::of(&co);
    let returns_none = ins.iter().all(|i| {
        i.op != Op::Return
            || (i.b & CONST != 0 && consts.get((i.b & !CONST) as usize) == Some(&Value::None))
    });
    VmCode {
        returns_none,
        attr_sites: vec![Default::default(); ins.len()],
        stack: Vec::new(),
        cell_args,
        nregs: rc.nregs as usize,
        nlocals,
        nargs: co.argcount as usize,
        co,
        rc,
        ins,
        extra,
        clears,
        consts,
        names,
        offsets,
        simple,
        globals,
    }
}

/// Prepares verified stack code to run in the VM's stack mode (the same
/// object model and calls, CPython 3.9's instructions): instructions
/// decoded with jump targets as indices, constants materialised, global
/// names resolved to slots.
pub fn prepare_stack(
    co: Arc<CodeObject>,
    heap: &mut Heap,
    ns: &mut Namespace,
    globals: u32,
    class_body: bool,
) -> Result<VmCode, String> {
    pyreg_spec::verify::verify(&co).map_err(|e| e.to_string())?;
    let decoded = pyreg_spec::decode::decode(&co.code).map_err(|e| e.to_string())?;
    let index: std::collections::HashMap<u64, u32> = decoded
        .iter()
        .enumerate()
        .map(|(i, d)| (u64::from(d.start), i as u32))
        .collect();
    let slots: Vec<u32> = co
        .names
        .iter()
        .map(|n| ns.slot(&n.to_string_lossy()))
        .collect();
    let mut stack = Vec::with_capacity(decoded.len());
    for d in &decoded {
        use Opcode::*;
        let target = match d.opcode {
            LoadGlobal | StoreGlobal | DeleteGlobal => {
                slots.get(d.arg as usize).copied().unwrap_or(0)
            }
            LoadName | StoreName | DeleteName if !class_body => {
                slots.get(d.arg as usize).copied().unwrap_or(0)
            }
            _ => d
                .jump_target()
                .and_then(|t| index.get(&t).copied())
                .unwrap_or(u32::MAX),
        };
        let kind = match d.opcode {
            LoadFast => SOp::LoadFast,
            StoreFast => SOp::StoreFast,
            LoadConst => SOp::LoadConst,
            PopTop => SOp::PopTop,
            JumpAbsolute | JumpForward => SOp::Jump,
            PopJumpIfTrue => SOp::PopJump(true),
            PopJumpIfFalse => SOp::PopJump(false),
            LoadGlobal => SOp::LoadGlobal,
            CallFunction => SOp::Call,
            CallMethod => SOp::CallMethod,
            LoadDeref => SOp::LoadDeref,
            StoreDeref => SOp::StoreDeref,
            ReturnValue => SOp::Return,
            ForIter => SOp::ForIter,
            BinarySubscr => SOp::Subscr,
            StoreSubscr => SOp::StoreSubscr,
            UnpackSequence => SOp::Unpack,
            op => match (cmp_of(op, d.arg), bin_of(op)) {
                (Some(c), _) => SOp::Compare(c),
                (_, Some((b, inplace))) => SOp::Binary(b, inplace),
                _ => SOp::Other,
            },
        };
        stack.push(SIns {
            kind,
            op: d.opcode,
            arg: d.arg,
            target,
        });
    }
    let consts: Vec<Value> = co
        .consts
        .iter()
        .map(|c| constant(heap, c).unwrap_or(Value::Empty))
        .collect();
    let names: Vec<Value> = co
        .names
        .iter()
        .map(|n| heap.intern(&n.to_string_lossy()))
        .collect();
    let nlocals = co.nlocals as usize;
    let rc = RegCode {
        code: co.clone(),
        nregs: 0,
        instrs: Vec::new(),
        block_stacks: Vec::new(),
        blocks_at: Vec::new(),
    };
    let layout = Layout::of(&co);
    let returns_none = stack_returns_none(&stack, &consts);
    Ok(VmCode {
        returns_none,
        attr_sites: vec![Default::default(); stack.len()],
        ins: Vec::new(),
        stack,
        extra: Vec::new(),
        clears: Vec::new(),
        consts,
        names,
        offsets: decoded.iter().map(|d| d.offset).collect(),
        simple: layout.simple,
        nregs: nlocals + co.stacksize as usize,
        nlocals,
        nargs: co.argcount as usize,
        cell_args: layout.cell_args,
        globals,
        co,
        rc,
    })
}

/// Whether every `RETURN_VALUE` of `stack` returns the constant `None`:
/// each follows a `LOAD_CONST` of `None` and no jump or handler lands on
/// it (CPython's compiler emits the pair for `return` and at the end).
fn stack_returns_none(stack: &[SIns], consts: &[Value]) -> bool {
    let targets: std::collections::HashSet<u32> = stack
        .iter()
        .filter(|s| s.op.is_jump())
        .map(|s| s.target)
        .collect();
    stack.iter().enumerate().all(|(i, s)| {
        s.op != Opcode::ReturnValue
            || (i > 0
                && !targets.contains(&(i as u32))
                && stack[i - 1].op == Opcode::LoadConst
                && consts.get(stack[i - 1].arg as usize) == Some(&Value::None))
    })
}

/// What a frame of a code object needs besides its instructions.
struct Layout {
    simple: bool,
    cell_args: Vec<Option<usize>>,
}

impl Layout {
    fn of(co: &CodeObject) -> Layout {
        use pyreg_spec::code::flags;
        let nparams = (co.argcount
            + co.kwonlyargcount
            + u32::from(co.flags & flags::VARARGS != 0)
            + u32::from(co.flags & flags::VARKEYWORDS != 0)) as usize;
        Layout {
            simple: co.kwonlyargcount == 0
                && co.flags
                    & (flags::VARARGS
                        | flags::VARKEYWORDS
                        | flags::GENERATOR
                        | flags::COROUTINE
                        | flags::ASYNC_GENERATOR)
                    == 0,
            cell_args: co
                .cellvars
                .iter()
                .map(|c| co.varnames.iter().take(nparams).position(|v| v == c))
                .collect(),
        }
    }
}
