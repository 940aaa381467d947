//! spec-stack: the small-step semantics of CPython 3.9 bytecode.
//!
//! [`step`] is the reference: a pure function from one machine state to
//! the next. [`step_mut`] is the same rule applied in place, which drivers
//! use to avoid the copy. Each opcode is one arm of `execute`; its rule in
//! words (operands, top of stack last; effect; exceptions) is part of the
//! stack ISA table and documents [`crate::opcode::Opcode`].

use super::ops::{BinOp, CmpOp, NativeReturn, Prepared};
use super::{text, Block, Fault, Frame, Machine, Outcome, PyResult, Step};
use crate::code::{Constant, PyStr};
use crate::decode::Instruction;
use crate::object::{Dict, Function, Int, Obj, Value};
use crate::opcode::Opcode;
use std::sync::Arc;

/// One small step of the machine: runs the next instruction of the top
/// frame (handling any exception it raises by unwinding to a handler).
pub fn step(m: &Machine) -> Step {
    let mut next = m.clone();
    match step_mut(&mut next) {
        Ok(()) if next.frames.is_empty() => {
            let out = next.output.clone();
            Step::Done(next.finish_status(), out)
        }
        Ok(()) => Step::Next(Box::new(next)),
        Err(Fault::Exhausted(x)) => Step::Done(Outcome::Exhausted(x), next.output),
        Err(Fault::Stuck(s)) => Step::Done(Outcome::Stuck(s), next.output),
        Err(Fault::Raise(_)) => Step::Done(
            Outcome::Stuck("an exception escaped the step function".into()),
            next.output,
        ),
    }
}

/// [`step`] in place. Exceptions are handled inside the step; only
/// exhaustion and stuck states come back as errors.
pub fn step_mut(m: &mut Machine) -> PyResult<()> {
    let Some(frame) = m.frames.back_mut() else {
        return Ok(());
    };
    if frame.reg.is_some() {
        return super::reg_step::step_mut(m);
    }
    let Some(ins) = frame.decoded.instructions.get(frame.pc).copied() else {
        let name = text(&frame.code.name);
        return Err(Fault::Stuck(format!(
            "control ran off the end of {name}: the verifier should have rejected it"
        )));
    };
    frame.last = frame.pc;
    frame.pc += 1;
    m.executed += 1;
    if let Some(p) = m.profile.as_mut() {
        *p.entry(ins.opcode.name()).or_default() += 1;
    }
    match execute(m, ins) {
        Ok(()) => Ok(()),
        Err(Fault::Raise(e)) => {
            m.raise_in_top_frame(e, true);
            Ok(())
        }
        Err(f) => Err(f),
    }
}

fn top(m: &mut Machine) -> &mut Frame {
    m.frames
        .back_mut()
        .unwrap_or_else(|| unreachable!("execute runs with a frame"))
}

fn pop(m: &mut Machine) -> PyResult<Value> {
    top(m).stack.pop().ok_or_else(|| {
        Fault::Stuck("operand stack underflow: the verifier should have rejected it".into())
    })
}

fn pop_n(m: &mut Machine, n: usize) -> PyResult<Vec<Value>> {
    let s = &mut top(m).stack;
    if n > s.len() {
        return Err(Fault::Stuck("operand stack underflow".into()));
    }
    let at = s.len() - n;
    Ok(s.split_off(at))
}

fn push(m: &mut Machine, v: Value) {
    top(m).stack.push(v);
}

fn peek(m: &mut Machine, depth: usize) -> PyResult<Value> {
    let s = &top(m).stack;
    s.len()
        .checked_sub(depth)
        .and_then(|i| s.get(i))
        .cloned()
        .ok_or_else(|| Fault::Stuck("operand stack underflow".into()))
}

fn name_at(m: &mut Machine, i: u32) -> PyStr {
    top(m).code.names[i as usize].clone()
}

/// Jumps to byte offset `target`, spending fuel when the jump goes back.
fn jump(m: &mut Machine, target: u64) -> PyResult<()> {
    let f = top(m);
    let idx = u32::try_from(target)
        .ok()
        .and_then(|t| f.decoded.index_of.get(&t).copied())
        .ok_or_else(|| Fault::Stuck(format!("jump to {target}, not an instruction")))?;
    let backward = idx < f.pc;
    f.pc = idx;
    if backward {
        m.spend_fuel()?;
    }
    Ok(())
}

/// Converts a constant to a value (tuples and frozensets recursively).
pub fn constant_value(m: &mut Machine, c: &Constant) -> PyResult<Value> {
    Ok(match c {
        Constant::None => Value::None,
        Constant::Bool(b) => Value::Bool(*b),
        Constant::Ellipsis => Value::Ellipsis,
        Constant::Int(i) => Value::Int(Int::from_big(i.clone())),
        Constant::Float(f) => Value::float(*f),
        Constant::Complex(a, b) => Value::Complex(*a, *b),
        Constant::Str(s) => Value::Str(s.clone()),
        Constant::Bytes(b) => Value::Bytes(b.clone()),
        Constant::Tuple(items) => {
            let mut v = Vec::with_capacity(items.len());
            for i in items.iter() {
                v.push(constant_value(m, i)?);
            }
            Value::tuple(v)
        }
        Constant::FrozenSet(items) => {
            let mut v = Vec::with_capacity(items.len());
            for i in items.iter() {
                v.push(constant_value(m, i)?);
            }
            m.new_set(v, true)?
        }
        Constant::Code(c) => Value::Obj(m.heap.alloc(Obj::Code(c.clone()))),
    })
}

fn binop_of(op: Opcode) -> Option<(BinOp, bool)> {
    use Opcode::*;
    Some(match op {
        BinaryAdd => (BinOp::Add, false),
        BinarySubtract => (BinOp::Sub, false),
        BinaryMultiply => (BinOp::Mul, false),
        BinaryMatrixMultiply => (BinOp::MatMul, false),
        BinaryTrueDivide => (BinOp::TrueDiv, false),
        BinaryFloorDivide => (BinOp::FloorDiv, false),
        BinaryModulo => (BinOp::Mod, false),
        BinaryPower => (BinOp::Pow, false),
        BinaryLshift => (BinOp::LShift, false),
        BinaryRshift => (BinOp::RShift, false),
        BinaryAnd => (BinOp::And, false),
        BinaryOr => (BinOp::Or, false),
        BinaryXor => (BinOp::Xor, false),
        InplaceAdd => (BinOp::Add, true),
        InplaceSubtract => (BinOp::Sub, true),
        InplaceMultiply => (BinOp::Mul, true),
        InplaceMatrixMultiply => (BinOp::MatMul, true),
        InplaceTrueDivide => (BinOp::TrueDiv, true),
        InplaceFloorDivide => (BinOp::FloorDiv, true),
        InplaceModulo => (BinOp::Mod, true),
        InplacePower => (BinOp::Pow, true),
        InplaceLshift => (BinOp::LShift, true),
        InplaceRshift => (BinOp::RShift, true),
        InplaceAnd => (BinOp::And, true),
        InplaceOr => (BinOp::Or, true),
        InplaceXor => (BinOp::Xor, true),
        _ => return None,
    })
}

fn unsupported(m: &mut Machine, ins: Instruction) -> Fault {
    let f = top(m);
    Fault::Stuck(format!(
        "unsupported opcode {} in {} at offset {}",
        ins.opcode,
        text(&f.code.name),
        ins.offset
    ))
}

/// Runs one instruction: one arm per opcode, implementing the rule that
/// the opcode table states in words (see [`Opcode`], whose documentation is
/// the index of every rule).
pub(crate) fn execute(m: &mut Machine, ins: Instruction) -> PyResult<()> {
    use Opcode::*;
    let arg = ins.arg;
    if let Some((op, inplace)) = binop_of(ins.opcode) {
        // BINARY_*/INPLACE_* (TOS1, TOS → TOS1 op TOS): built-in arithmetic
        // first, then `__op__`/`__rop__` (`__iop__` first for INPLACE_*);
        // TypeError "unsupported operand type(s)" when nothing applies.
        let b = pop(m)?;
        let a = pop(m)?;
        let r = m.binary_op(op, &a, &b, inplace)?;
        push(m, r);
        return Ok(());
    }
    match ins.opcode {
        Nop => {}
        PopTop => {
            pop(m)?;
        }
        RotTwo => {
            let s = &mut top(m).stack;
            let n = s.len();
            s.swap(n - 1, n - 2);
        }
        RotThree => {
            let v = pop(m)?;
            let s = &mut top(m).stack;
            let n = s.len();
            s.insert(n - 2, v);
        }
        RotFour => {
            let v = pop(m)?;
            let s = &mut top(m).stack;
            let n = s.len();
            s.insert(n - 3, v);
        }
        DupTop => {
            let v = peek(m, 1)?;
            push(m, v);
        }
        DupTopTwo => {
            let a = peek(m, 2)?;
            let b = peek(m, 1)?;
            push(m, a);
            push(m, b);
        }
        UnaryPositive | UnaryNegative | UnaryInvert => {
            let v = pop(m)?;
            let op = match ins.opcode {
                UnaryPositive => "+",
                UnaryNegative => "-",
                _ => "~",
            };
            let r = m.unary_op(op, &v)?;
            push(m, r);
        }
        UnaryNot => {
            let v = pop(m)?;
            let t = m.truthy(&v)?;
            push(m, Value::Bool(!t));
        }
        BinarySubscr => {
            let k = pop(m)?;
            let c = pop(m)?;
            let r = m.get_item(&c, &k)?;
            push(m, r);
        }
        StoreSubscr => {
            let k = pop(m)?;
            let c = pop(m)?;
            let v = pop(m)?;
            m.set_item(&c, &k, v)?;
        }
        DeleteSubscr => {
            let k = pop(m)?;
            let c = pop(m)?;
            m.del_item(&c, &k)?;
        }
        CompareOp => {
            let b = pop(m)?;
            let a = pop(m)?;
            let op = CmpOp::from_arg(arg).ok_or_else(|| Fault::Stuck("bad COMPARE_OP".into()))?;
            let r = m.compare(op, &a, &b)?;
            push(m, r);
        }
        IsOp => {
            let b = pop(m)?;
            let a = pop(m)?;
            push(m, Value::Bool(a.is(&b) != (arg == 1)));
        }
        ContainsOp => {
            let c = pop(m)?;
            let item = pop(m)?;
            let r = m.contains(&c, &item)?;
            push(m, Value::Bool(r != (arg == 1)));
        }
        GetIter => {
            let v = pop(m)?;
            let it = m.get_iter(&v)?;
            push(m, it);
        }
        GetYieldFromIter => {
            let v = peek(m, 1)?;
            let is_gen =
                matches!(&v, Value::Obj(id) if matches!(m.heap.get(*id), Obj::Generator(_)));
            if !is_gen {
                let v = pop(m)?;
                let it = m.get_iter(&v)?;
                push(m, it);
            }
        }
        ForIter => {
            let it = peek(m, 1)?;
            match m.next_of(&it)? {
                Some(v) => push(m, v),
                None => {
                    pop(m)?;
                    jump(m, ins.jump_target().unwrap_or(0))?;
                }
            }
        }
        LoadConst => {
            let v = top(m).decoded.constants[arg as usize].clone();
            push(m, v);
        }
        LoadFast => {
            let f = top(m);
            match f.fast[arg as usize].clone() {
                Some(v) => push(m, v),
                None => {
                    let n = text(&f.code.varnames[arg as usize]);
                    return Err(m.new_error(
                        "UnboundLocalError",
                        format!("local variable '{n}' referenced before assignment"),
                    ));
                }
            }
        }
        StoreFast => {
            let v = pop(m)?;
            top(m).fast[arg as usize] = Some(v);
        }
        DeleteFast => {
            let f = top(m);
            if f.fast[arg as usize].take().is_none() {
                let n = text(&f.code.varnames[arg as usize]);
                return Err(m.new_error(
                    "UnboundLocalError",
                    format!("local variable '{n}' referenced before assignment"),
                ));
            }
        }
        LoadName => {
            let n = name_at(m, arg);
            let f = top(m);
            let (locals, globals) = (f.locals, f.globals);
            let found = locals
                .and_then(|l| m.dict_get_str(l, n.as_str().unwrap_or("")))
                .or_else(|| m.dict_get_str(globals, n.as_str().unwrap_or("")))
                .or_else(|| m.dict_get_str(m.builtins, n.as_str().unwrap_or("")));
            match found {
                Some(v) => push(m, v),
                None => return Err(m.name_error(&n)),
            }
        }
        StoreName => {
            let n = name_at(m, arg);
            let v = pop(m)?;
            let f = top(m);
            let d = f.locals.unwrap_or(f.globals);
            m.dict_set_str(d, &n, Some(v));
        }
        DeleteName => {
            let n = name_at(m, arg);
            let f = top(m);
            let d = f.locals.unwrap_or(f.globals);
            if !m.dict_set_str(d, &n, None) {
                return Err(m.name_error(&n));
            }
        }
        LoadGlobal => {
            let n = name_at(m, arg);
            let g = top(m).globals;
            let key = n.as_str().unwrap_or("");
            let found = m
                .dict_get_str(g, key)
                .or_else(|| m.dict_get_str(m.builtins, key));
            match found {
                Some(v) => push(m, v),
                None => return Err(m.name_error(&n)),
            }
        }
        StoreGlobal => {
            let n = name_at(m, arg);
            let v = pop(m)?;
            let g = top(m).globals;
            m.dict_set_str(g, &n, Some(v));
        }
        DeleteGlobal => {
            let n = name_at(m, arg);
            let g = top(m).globals;
            if !m.dict_set_str(g, &n, None) {
                return Err(m.name_error(&n));
            }
        }
        LoadClosure => {
            let c = top(m).cells[arg as usize];
            push(m, Value::Obj(c));
        }
        LoadDeref => {
            let v = m.load_cell(arg)?;
            push(m, v);
        }
        LoadClassderef => {
            let f = top(m);
            let ncell = f.code.cellvars.len();
            let idx = arg as usize;
            let n = if idx < ncell {
                f.code.cellvars[idx].clone()
            } else {
                f.code.freevars[idx - ncell].clone()
            };
            let local = f
                .locals
                .and_then(|l| m.dict_get_str(l, n.as_str().unwrap_or("")));
            let v = match local {
                Some(v) => v,
                None => m.load_cell(arg)?,
            };
            push(m, v);
        }
        StoreDeref => {
            let v = pop(m)?;
            let c = top(m).cells[arg as usize];
            *m.heap.get_mut(c) = Obj::Cell(Some(v));
        }
        DeleteDeref => {
            m.load_cell(arg)?;
            let c = top(m).cells[arg as usize];
            *m.heap.get_mut(c) = Obj::Cell(None);
        }
        LoadAttr => {
            let n = name_at(m, arg);
            let o = pop(m)?;
            let v = m.get_attr(&o, &n)?;
            push(m, v);
        }
        StoreAttr => {
            let n = name_at(m, arg);
            let o = pop(m)?;
            let v = pop(m)?;
            m.set_attr(&o, &n, v)?;
        }
        DeleteAttr => {
            let n = name_at(m, arg);
            let o = pop(m)?;
            let t = m.type_of(&o);
            match m.lookup_in_mro(t, &PyStr::from("__delattr__")) {
                Some(f) if !m.is_builtin_slot(&f) => {
                    m.call(f, vec![o, Value::Str(n)], vec![])?;
                }
                _ => m.generic_set_attr(&o, &n, None)?,
            }
        }
        LoadMethod => {
            let n = name_at(m, arg);
            let o = pop(m)?;
            match m.method_for_call(&o, &n)? {
                Some(f) => {
                    push(m, f);
                    push(m, o);
                }
                None => {
                    let v = m.get_attr(&o, &n)?;
                    push(m, Value::Obj(m.null_marker));
                    push(m, v);
                }
            }
        }
        CallMethod => {
            let args = pop_n(m, arg as usize)?;
            let second = pop(m)?;
            let first = pop(m)?;
            if matches!(first, Value::Obj(id) if id == m.null_marker) {
                call_and_push(m, second, args, vec![])?;
            } else {
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(second);
                all.extend(args);
                call_and_push(m, first, all, vec![])?;
            }
        }
        CallFunction => {
            let args = pop_n(m, arg as usize)?;
            let f = pop(m)?;
            call_and_push(m, f, args, vec![])?;
        }
        CallFunctionKw => {
            let names = pop(m)?;
            let mut args = pop_n(m, arg as usize)?;
            let f = pop(m)?;
            let Value::Tuple(names) = names else {
                return Err(Fault::Stuck(
                    "CALL_FUNCTION_KW without a names tuple".into(),
                ));
            };
            let split = args.len() - names.len();
            let kwvals = args.split_off(split);
            let kwargs = names
                .iter()
                .zip(kwvals)
                .map(|(k, v)| match k {
                    Value::Str(s) => (s.clone(), v),
                    _ => (PyStr::from("?"), v),
                })
                .collect();
            call_and_push(m, f, args, kwargs)?;
        }
        CallFunctionEx => {
            let kw = if arg & 1 != 0 { Some(pop(m)?) } else { None };
            let a = pop(m)?;
            let f = pop(m)?;
            let args = m.collect(&a)?;
            let mut kwargs = Vec::new();
            if let Some(Value::Obj(d)) = kw {
                if let Obj::Dict(d) = m.heap.get(d).clone() {
                    for e in d.iter() {
                        match &e.key {
                            Value::Str(s) => kwargs.push((s.clone(), e.value.clone())),
                            _ => return Err(m.type_error("keywords must be strings".into())),
                        }
                    }
                }
            }
            call_and_push(m, f, args, kwargs)?;
        }
        MakeFunction => {
            let qualname = pop(m)?;
            let code = pop(m)?;
            let closure = if arg & 8 != 0 { Some(pop(m)?) } else { None };
            let annotations = if arg & 4 != 0 { Some(pop(m)?) } else { None };
            let kwdefaults = if arg & 2 != 0 { Some(pop(m)?) } else { None };
            let defaults = if arg & 1 != 0 { Some(pop(m)?) } else { None };
            let f = m.make_function(code, qualname, defaults, kwdefaults, annotations, closure)?;
            push(m, f);
        }
        ReturnValue => {
            let v = pop(m)?;
            m.return_from_frame(v);
        }
        YieldValue => {
            let v = pop(m)?;
            m.yield_from_frame(v)?;
        }
        YieldFrom => {
            let v = pop(m)?;
            let recv = peek(m, 1)?;
            match m.delegate(&recv, v)? {
                Delegated::Yielded(y) => {
                    let f = top(m);
                    f.pc -= 1;
                    m.yield_from_frame(y)?;
                }
                Delegated::Returned(r) => {
                    pop(m)?;
                    push(m, r);
                }
            }
        }
        JumpForward | JumpAbsolute => jump(m, ins.jump_target().unwrap_or(0))?,
        PopJumpIfFalse | PopJumpIfTrue => {
            let v = pop(m)?;
            let t = m.truthy(&v)?;
            if t == (ins.opcode == PopJumpIfTrue) {
                jump(m, ins.jump_target().unwrap_or(0))?;
            }
        }
        JumpIfFalseOrPop | JumpIfTrueOrPop => {
            let v = peek(m, 1)?;
            let t = m.truthy(&v)?;
            if t == (ins.opcode == JumpIfTrueOrPop) {
                jump(m, ins.jump_target().unwrap_or(0))?;
            } else {
                pop(m)?;
            }
        }
        JumpIfNotExcMatch => {
            let pattern = pop(m)?;
            let exc = pop(m)?;
            let ok = m.exception_matches(&exc, &pattern)?;
            if !ok {
                jump(m, ins.jump_target().unwrap_or(0))?;
            }
        }
        SetupFinally => {
            let handler = handler_index(m, ins)?;
            let f = top(m);
            let level = f.stack.len();
            f.blocks.push(Block::Finally { handler, level });
        }
        SetupWith => {
            let mgr = pop(m)?;
            let t = m.type_of(&mgr);
            let enter = m.lookup_in_mro(t, &PyStr::from("__enter__"));
            let exit = m.lookup_in_mro(t, &PyStr::from("__exit__"));
            let (Some(enter), Some(exit)) = (enter, exit) else {
                let missing = if m.lookup_in_mro(t, &PyStr::from("__enter__")).is_none() {
                    "__enter__"
                } else {
                    "__exit__"
                };
                return Err(m.new_error("AttributeError", missing.into()));
            };
            let exit = m.bind(exit, mgr.clone(), t)?;
            push(m, exit);
            let r = m.call(enter, vec![mgr], vec![])?;
            let handler = handler_index(m, ins)?;
            let f = top(m);
            let level = f.stack.len();
            f.blocks.push(Block::Finally { handler, level });
            push(m, r);
        }
        WithExceptStart => {
            let exc = peek(m, 1)?;
            let val = peek(m, 2)?;
            let tb = peek(m, 3)?;
            let exit = peek(m, 7)?;
            let r = m.call(exit, vec![exc, val, tb], vec![])?;
            push(m, r);
        }
        PopBlock => {
            top(m).blocks.pop();
        }
        PopExcept => {
            let f = top(m);
            match f.blocks.pop() {
                Some(Block::ExceptHandler { .. }) => {}
                _ => {
                    return Err(m.new_error(
                        "SystemError",
                        "popped block is not an except handler".into(),
                    ))
                }
            }
            let saved = pop_n(m, 3)?;
            m.handling = saved[1].obj();
        }
        Reraise => {
            let saved = pop_n(m, 3)?;
            let Some(e) = saved[1].obj() else {
                return Err(Fault::Stuck("RERAISE without an exception".into()));
            };
            m.raise_in_top_frame(e, false);
        }
        RaiseVarargs => {
            let e = match arg {
                0 => match m.handling {
                    Some(e) => {
                        m.raise_in_top_frame(e, false);
                        return Ok(());
                    }
                    None => {
                        return Err(
                            m.new_error("RuntimeError", "No active exception to reraise".into())
                        )
                    }
                },
                1 => {
                    let v = pop(m)?;
                    m.exception_from(v)?
                }
                _ => {
                    let cause = pop(m)?;
                    let v = pop(m)?;
                    let e = m.exception_from(v)?;
                    let cause = if matches!(cause, Value::None) {
                        None
                    } else if m.is_exception_class(&cause) {
                        Some(Value::Obj(m.exception_from(cause)?))
                    } else if m.is_exception(&cause) {
                        Some(cause)
                    } else {
                        return Err(
                            m.type_error("exception causes must derive from BaseException".into())
                        );
                    };
                    if let Some(s) = m.exc_state_mut(e) {
                        s.cause = cause;
                        s.suppress_context = true;
                    }
                    e
                }
            };
            m.chain_context(e);
            return Err(Fault::Raise(e));
        }
        LoadAssertionError => {
            let t = m.types.get("AssertionError");
            push(m, Value::Obj(t));
        }
        LoadBuildClass => {
            let b = m.builtins;
            match m.dict_get_str(b, "__build_class__") {
                Some(v) => push(m, v),
                None => return Err(m.new_error("NameError", "__build_class__ not found".into())),
            }
        }
        BuildTuple => {
            let items = pop_n(m, arg as usize)?;
            push(m, Value::tuple(items));
        }
        BuildList => {
            let items = pop_n(m, arg as usize)?;
            let l = m.heap.alloc(Obj::List(items));
            push(m, Value::Obj(l));
        }
        BuildSet => {
            let items = pop_n(m, arg as usize)?;
            let s = m.new_set(items, false)?;
            push(m, s);
        }
        BuildMap => {
            let items = pop_n(m, 2 * arg as usize)?;
            let d = m.heap.alloc(Obj::Dict(Dict::default()));
            for kv in items.chunks(2) {
                m.dict_set(d, kv[0].clone(), kv[1].clone())?;
            }
            push(m, Value::Obj(d));
        }
        BuildConstKeyMap => {
            let keys = pop(m)?;
            let vals = pop_n(m, arg as usize)?;
            let Value::Tuple(keys) = keys else {
                return Err(Fault::Stuck(
                    "BUILD_CONST_KEY_MAP without a key tuple".into(),
                ));
            };
            let d = m.heap.alloc(Obj::Dict(Dict::default()));
            for (k, v) in keys.iter().zip(vals) {
                m.dict_set(d, k.clone(), v)?;
            }
            push(m, Value::Obj(d));
        }
        BuildString => {
            let parts = pop_n(m, arg as usize)?;
            let mut s = String::new();
            let mut points: Option<Vec<u32>> = None;
            for p in &parts {
                if let Value::Str(p) = p {
                    match (p.as_str(), &mut points) {
                        (Some(t), None) => s.push_str(t),
                        _ => {
                            let pts =
                                points.get_or_insert_with(|| s.chars().map(u32::from).collect());
                            pts.extend(p.code_points());
                        }
                    }
                }
            }
            let v = match points {
                Some(p) => PyStr::from_code_points(&p),
                None => PyStr::from(s.as_str()),
            };
            push(m, Value::Str(v));
        }
        BuildSlice => {
            let step = if arg == 3 { pop(m)? } else { Value::None };
            let stop = pop(m)?;
            let start = pop(m)?;
            let s = m.heap.alloc(Obj::Slice { start, stop, step });
            push(m, Value::Obj(s));
        }
        ListToTuple => {
            let l = pop(m)?;
            let items = m.collect(&l)?;
            push(m, Value::tuple(items));
        }
        ListAppend | SetAdd | ListExtend | SetUpdate => {
            let v = pop(m)?;
            let c = peek(m, arg as usize)?;
            match ins.opcode {
                ListAppend => m.list_append(&c, v),
                SetAdd => m.set_add(&c, v)?,
                ListExtend => {
                    let items = m.collect(&v)?;
                    if let Value::Obj(id) = c {
                        if let Obj::List(l) = m.heap.get_mut(id) {
                            l.extend(items);
                        }
                    }
                }
                _ => {
                    let items = m.collect(&v)?;
                    for i in items {
                        m.set_add(&c, i)?;
                    }
                }
            }
        }
        MapAdd => {
            let v = pop(m)?;
            let k = pop(m)?;
            let d = peek(m, arg as usize)?;
            if let Value::Obj(d) = d {
                m.dict_set(d, k, v)?;
            }
        }
        DictUpdate | DictMerge => {
            let src = pop(m)?;
            let d = peek(m, arg as usize)?;
            let Value::Obj(d) = d else {
                return Err(Fault::Stuck("DICT_UPDATE target is not a dict".into()));
            };
            if let Err(Fault::Raise(e)) = m.dict_update(d, &src, ins.opcode == DictMerge) {
                // The message names the function being called, which sits
                // below the positional-argument tuple.
                if ins.opcode == DictMerge {
                    let f = peek(m, arg as usize + 2)?;
                    let fname = m.function_str(&f);
                    if let Some(st) = m.exc_state_mut(e) {
                        if let Some(Value::Str(msg)) = st.args.first().cloned() {
                            let msg =
                                text(&msg).replacen("function got", &format!("{fname} got"), 1);
                            st.args = vec![Value::str(&msg)];
                        }
                    }
                }
                return Err(Fault::Raise(e));
            }
        }
        FormatValue => {
            let spec = if arg & 4 != 0 { Some(pop(m)?) } else { None };
            let v = pop(m)?;
            let v = match arg & 3 {
                1 => Value::str(&m.str_of(&v)?),
                2 => Value::str(&m.repr_of(&v)?),
                3 => Value::str(&crate::builtins::ascii_of(m, &v)?),
                _ => v,
            };
            let spec = match spec {
                Some(Value::Str(s)) => text(&s),
                _ => String::new(),
            };
            let r = crate::builtins::format_value(m, &v, &spec)?;
            push(m, Value::str(&r));
        }
        UnpackSequence => {
            let s = pop(m)?;
            let items = m.unpack(&s, arg as usize, None)?;
            for v in items.into_iter().rev() {
                push(m, v);
            }
        }
        UnpackEx => {
            let s = pop(m)?;
            let before = (arg & 0xFF) as usize;
            let after = (arg >> 8) as usize;
            let items = m.unpack(&s, before, Some(after))?;
            for v in items.into_iter().rev() {
                push(m, v);
            }
        }
        ImportName => {
            let n = name_at(m, arg);
            let fromlist = pop(m)?;
            let _level = pop(m)?;
            let module = m.import(&n, &fromlist)?;
            push(m, module);
        }
        ImportFrom => {
            let n = name_at(m, arg);
            let module = peek(m, 1)?;
            match m.get_attr_opt(&module, &n)? {
                Some(v) => push(m, v),
                None => {
                    let mn = match m.get_attr_opt(&module, &PyStr::from("__name__"))? {
                        Some(Value::Str(s)) => text(&s),
                        _ => "?".into(),
                    };
                    let err = m.new_error(
                        "ImportError",
                        format!(
                            "cannot import name '{}' from '{mn}' (unknown location)",
                            text(&n)
                        ),
                    );
                    if let Fault::Raise(e) = &err {
                        let e = *e;
                        m.generic_set_attr(
                            &Value::Obj(e),
                            &PyStr::from("name"),
                            Some(Value::str(&mn)),
                        )?;
                    }
                    return Err(err);
                }
            }
        }
        ImportStar => {
            let module = pop(m)?;
            m.import_star(&module)?;
        }
        SetupAnnotations => {
            let f = top(m);
            let d = f.locals.unwrap_or(f.globals);
            if m.dict_get_str(d, "__annotations__").is_none() {
                let a = m.heap.alloc(Obj::Dict(Dict::default()));
                m.dict_set_str(d, &PyStr::from("__annotations__"), Some(Value::Obj(a)));
            }
        }
        PrintExpr => {
            let v = pop(m)?;
            if !matches!(v, Value::None) {
                let r = m.repr_of(&v)?;
                m.write_stdout(&format!("{r}\n"));
            }
        }
        ExtendedArg => return Err(unsupported(m, ins)),
        // The async opcodes are not supported yet.
        GetAwaitable | GetAiter | GetAnext | BeforeAsyncWith | SetupAsyncWith | EndAsyncFor => {
            return Err(unsupported(m, ins))
        }
        _ => return Err(unsupported(m, ins)),
    }
    Ok(())
}

fn handler_index(m: &mut Machine, ins: Instruction) -> PyResult<usize> {
    let f = top(m);
    ins.jump_target()
        .and_then(|t| u32::try_from(t).ok())
        .and_then(|t| f.decoded.index_of.get(&t).copied())
        .ok_or_else(|| Fault::Stuck("SETUP target is not an instruction".into()))
}

/// Calls `f`: a Python function gets a new frame (the call continues in
/// the next steps); anything else runs now and its result is pushed.
fn call_and_push(
    m: &mut Machine,
    f: Value,
    args: Vec<Value>,
    kwargs: Vec<(PyStr, Value)>,
) -> PyResult<()> {
    match m.prepare_call(f, args, kwargs)? {
        Prepared::Done(v) => push(m, v),
        Prepared::Frame(frame) => m.push_frame(*frame)?,
    }
    Ok(())
}

/// How a `yield from` delegation answered.
pub(crate) enum Delegated {
    Yielded(Value),
    Returned(Value),
}

impl Machine {
    /// `_PyObject_FunctionStr`: `module.qualname()` for functions, as call
    /// errors name them.
    pub fn function_str(&mut self, f: &Value) -> String {
        if let Value::Obj(id) = f {
            if let Obj::Function(func) = self.heap.get(*id).clone() {
                let module = match self.dict_get_str(func.globals, "__name__") {
                    Some(Value::Str(s)) => text(&s),
                    _ => String::new(),
                };
                let q = text(&func.qualname);
                return if module.is_empty() || module == "builtins" {
                    format!("{q}()")
                } else {
                    format!("{module}.{q}()")
                };
            }
        }
        let t = self.type_name_of(f);
        format!("{t} object")
    }

    fn name_error(&mut self, n: &PyStr) -> Fault {
        self.new_error("NameError", format!("name '{}' is not defined", text(n)))
    }

    fn load_cell(&mut self, arg: u32) -> PyResult<Value> {
        let f = self
            .frames
            .back()
            .ok_or_else(|| Fault::Stuck("no frame".into()))?;
        let c = f.cells[arg as usize];
        match self.heap.get(c) {
            Obj::Cell(Some(v)) => Ok(v.clone()),
            _ => {
                let ncell = f.code.cellvars.len();
                let idx = arg as usize;
                if idx < ncell {
                    let n = text(&f.code.cellvars[idx]);
                    Err(self.new_error(
                        "UnboundLocalError",
                        format!("local variable '{n}' referenced before assignment"),
                    ))
                } else {
                    let n = text(&f.code.freevars[idx - ncell]);
                    Err(self.new_error(
                        "NameError",
                        format!(
                            "free variable '{n}' referenced before assignment in enclosing scope"
                        ),
                    ))
                }
            }
        }
    }

    /// The unbound method LOAD_METHOD may push for `o.name`, if the lookup
    /// finds a plain function or built-in method on the type that the
    /// instance does not shadow.
    fn method_for_call(&mut self, o: &Value, n: &PyStr) -> PyResult<Option<Value>> {
        if self.is_type(o)
            || matches!(o, Value::Obj(id) if matches!(self.heap.get(*id), Obj::Module { .. } | Obj::Super { .. }))
        {
            return Ok(None);
        }
        let t = self.type_of(o);
        if let Some(ga) = self.lookup_in_mro(t, &PyStr::from("__getattribute__")) {
            if !self.is_builtin_slot(&ga) {
                return Ok(None);
            }
        }
        let Some(f) = self.lookup_in_mro(t, n) else {
            return Ok(None);
        };
        let is_plain = match &f {
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::Function(_) => true,
                // Built-in classmethods bind to the class, through get_attr.
                Obj::Builtin { id, receiver: None } => {
                    crate::builtins::is_method(*id) && !crate::builtins::is_classmethod(*id)
                }
                _ => false,
            },
            _ => false,
        };
        if !is_plain {
            return Ok(None);
        }
        if let Value::Obj(id) = o {
            if let Obj::Instance { dict, .. } = self.heap.get(*id) {
                if self.dict_get_str(*dict, n.as_str().unwrap_or("")).is_some() {
                    return Ok(None);
                }
            }
        }
        Ok(Some(f))
    }

    /// MAKE_FUNCTION's effect.
    fn make_function(
        &mut self,
        code: Value,
        qualname: Value,
        defaults: Option<Value>,
        kwdefaults: Option<Value>,
        annotations: Option<Value>,
        closure: Option<Value>,
    ) -> PyResult<Value> {
        let code = match &code {
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::Code(c) => c.clone(),
                _ => return Err(Fault::Stuck("MAKE_FUNCTION without a code object".into())),
            },
            _ => return Err(Fault::Stuck("MAKE_FUNCTION without a code object".into())),
        };
        let qualname = match qualname {
            Value::Str(s) => s,
            _ => code.name.clone(),
        };
        let defaults = match defaults {
            Some(Value::Tuple(t)) => t.to_vec(),
            _ => Vec::new(),
        };
        let mut kw = Vec::new();
        if let Some(Value::Obj(d)) = kwdefaults {
            if let Obj::Dict(d) = self.heap.get(d) {
                for e in d.iter() {
                    if let Value::Str(k) = &e.key {
                        kw.push((k.clone(), e.value.clone()));
                    }
                }
            }
        }
        let closure = match closure {
            Some(Value::Tuple(t)) => t.iter().filter_map(Value::obj).collect(),
            _ => Vec::new(),
        };
        let doc = match code.consts.first() {
            // The compiler puts the docstring first, or None when there is
            // none, so a first constant that is a string is the docstring.
            Some(Constant::Str(s)) => Value::Str(s.clone()),
            _ => Value::None,
        };
        let globals = self
            .frames
            .back()
            .map(|f| f.globals)
            .ok_or_else(|| Fault::Stuck("no frame".into()))?;
        let decoded = self.decoded_for(&code)?;
        let f = Function {
            name: code.name.clone(),
            code,
            decoded,
            qualname,
            globals,
            defaults,
            kwdefaults: kw,
            closure,
            annotations,
            doc,
            dict: Dict::default(),
        };
        Ok(Value::Obj(self.heap.alloc(Obj::Function(Box::new(f)))))
    }

    /// Pops the top frame for good (returned or unwound): a generator it
    /// belongs to is finished. Whether native code waits for its result.
    fn finish_frame(&mut self) -> Option<bool> {
        let frame = self.frames.pop_back()?;
        self.depth = self.depth.saturating_sub(1);
        if let Some(g) = frame.generator {
            if let Obj::Generator(s) = self.heap.get_mut(g) {
                s.frame = None;
            }
        }
        Some(frame.returns_to_native || frame.generator.is_some())
    }

    /// Ends the top frame with `v`.
    pub fn return_from_frame(&mut self, v: Value) {
        let Some(to_native) = self.finish_frame() else {
            return;
        };
        if to_native {
            self.native_return = Some(Ok(NativeReturn::Returned(v)));
        } else if let Some(caller) = self.frames.back_mut() {
            caller.stack.push(v);
        } else {
            self.native_return = Some(Ok(NativeReturn::Returned(v)));
        }
    }

    pub(crate) fn yield_from_frame(&mut self, v: Value) -> PyResult<()> {
        let Some(frame) = self.frames.pop_back() else {
            return Err(Fault::Stuck("yield without a frame".into()));
        };
        self.depth = self.depth.saturating_sub(1);
        let Some(g) = frame.generator else {
            return Err(Fault::Stuck(format!(
                "YIELD in {}, which is not a generator",
                text(&frame.code.name)
            )));
        };
        if let Obj::Generator(s) = self.heap.get_mut(g) {
            s.frame = Some(frame);
        }
        self.native_return = Some(Ok(NativeReturn::Yielded(v)));
        Ok(())
    }

    pub(crate) fn delegate(&mut self, recv: &Value, v: Value) -> PyResult<Delegated> {
        if let Value::Obj(id) = recv {
            if matches!(self.heap.get(*id), Obj::Generator(_)) {
                return Ok(match self.resume(*id, v, None)? {
                    super::generator::Resumed::Yielded(y) => Delegated::Yielded(y),
                    super::generator::Resumed::Returned(r) => Delegated::Returned(r),
                });
            }
        }
        if !matches!(v, Value::None) {
            let send = self.get_attr(recv, &PyStr::from("send"))?;
            return match self.call(send, vec![v], vec![]) {
                Ok(y) => Ok(Delegated::Yielded(y)),
                Err(Fault::Raise(e))
                    if self.is_instance(&Value::Obj(e), self.types.get("StopIteration")) =>
                {
                    let r = self
                        .exc_state(e)
                        .and_then(|s| s.args.first().cloned())
                        .unwrap_or(Value::None);
                    Ok(Delegated::Returned(r))
                }
                Err(e) => Err(e),
            };
        }
        Ok(match self.next_of(recv)? {
            Some(y) => Delegated::Yielded(y),
            None => Delegated::Returned(Value::None),
        })
    }

    /// Unwinds the top frame to its innermost handler for exception `e`,
    /// popping frames that have none (`add_traceback`: record the current
    /// instruction first, as every raise but a re-raise does).
    ///
    /// As in `ceval.c`: except-handler blocks on the way restore the
    /// exception they saved; a finally block truncates the operand stack to
    /// its level, becomes an except-handler block, and the handler starts
    /// with the previous exception triple (traceback, value, type) and the
    /// new one pushed.
    pub fn raise_in_top_frame(&mut self, e: crate::object::ObjId, add_traceback: bool) {
        let mut add = add_traceback;
        loop {
            if self.frames.is_empty() {
                self.native_return = Some(Err(e));
                return;
            }
            if add {
                self.add_traceback_here(e);
            }
            add = true;
            let handled = match self.frames.back() {
                Some(f) if f.reg.is_some() => self.unwind_reg_frame(e),
                Some(_) => self.unwind_stack_frame(e),
                None => return,
            };
            if handled {
                return;
            }
            let Some(to_native) = self.finish_frame() else {
                return;
            };
            if to_native {
                self.native_return = Some(Err(e));
                return;
            }
        }
    }

    /// The six values a handler receives: the previously handled exception
    /// and the new one `e`, each as (traceback, value, type). Handler entry
    /// makes `e` the handled exception.
    pub(crate) fn enter_handler(&mut self, e: crate::object::ObjId) -> Vec<Value> {
        let triple = |m: &Machine, x: Option<crate::object::ObjId>| match x {
            Some(x) => [
                Value::None,
                Value::Obj(x),
                Value::Obj(m.type_of(&Value::Obj(x))),
            ],
            None => [Value::None, Value::None, Value::None],
        };
        let mut six = triple(self, self.handling).to_vec();
        six.extend(triple(self, Some(e)));
        self.handling = Some(e);
        six
    }

    /// Unwinds the top (stack) frame's block stack to a handler for `e`, as
    /// `ceval.c` does; `false` when the frame has none.
    fn unwind_stack_frame(&mut self, e: crate::object::ObjId) -> bool {
        {
            let Some(f) = self.frames.back_mut() else {
                return false;
            };
            let mut restored = None;
            let mut entered = false;
            while let Some(b) = f.blocks.pop() {
                match b {
                    Block::ExceptHandler { level } => {
                        f.stack.truncate(level + 3);
                        restored = Some(f.stack.get(level + 1).and_then(Value::obj));
                        f.stack.truncate(level);
                    }
                    Block::Finally { handler, level } => {
                        f.stack.truncate(level);
                        f.blocks.push(Block::ExceptHandler { level });
                        f.pc = handler;
                        entered = true;
                        break;
                    }
                }
            }
            if let Some(r) = restored {
                self.handling = r;
            }
            if !entered {
                return false;
            }
        }
        let pushed = self.enter_handler(e);
        if let Some(f) = self.frames.back_mut() {
            f.stack.extend(pushed);
        }
        true
    }

    /// Whether exception `exc` (a class, as pushed at handler entry)
    /// matches `pattern` (a class or tuple of classes).
    pub(crate) fn exception_matches(&mut self, exc: &Value, pattern: &Value) -> PyResult<bool> {
        let classes: Vec<Value> = match pattern {
            Value::Tuple(t) => t.to_vec(),
            p => vec![p.clone()],
        };
        for c in &classes {
            if !self.is_exception_class(c) {
                return Err(self.type_error(
                    "catching classes that do not inherit from BaseException is not allowed".into(),
                ));
            }
        }
        let Value::Obj(et) = exc else {
            return Ok(false);
        };
        let et = if self.is_type(exc) {
            *et
        } else {
            self.type_of(exc)
        };
        Ok(classes
            .iter()
            .any(|c| matches!(c, Value::Obj(cid) if self.is_subtype(et, *cid))))
    }

    /// The exit status once the frame stack is empty.
    pub fn finish_status(&mut self) -> Outcome {
        match self.native_return.take() {
            Some(Err(e)) => self.uncaught(e),
            _ => Outcome::Exited(0),
        }
    }

    /// What CPython does with an exception that leaves the program:
    /// `SystemExit` sets the status, anything else prints its traceback.
    pub fn uncaught(&mut self, e: crate::object::ObjId) -> Outcome {
        let sys_exit = self.types.get("SystemExit");
        if self.is_instance(&Value::Obj(e), sys_exit) {
            let code = self
                .exc_state(e)
                .map(|s| match s.args.len() {
                    0 => Value::None,
                    1 => s.args[0].clone(),
                    _ => Value::tuple(s.args.clone()),
                })
                .unwrap_or(Value::None);
            return match code {
                Value::None => Outcome::Exited(0),
                Value::Int(Int::Small(i)) => Outcome::Exited(i as i32),
                Value::Bool(b) => Outcome::Exited(i32::from(b)),
                other => {
                    let s = self.str_of(&other).unwrap_or_default();
                    self.write_stderr(&format!("{s}\n"));
                    Outcome::Exited(1)
                }
            };
        }
        match self.format_exception(e) {
            Ok(t) => {
                self.write_stderr(&t);
                Outcome::Exited(1)
            }
            Err(Fault::Exhausted(x)) => Outcome::Exhausted(x),
            Err(Fault::Stuck(s)) => Outcome::Stuck(s),
            Err(Fault::Raise(_)) => {
                self.write_stderr("Error in sys.excepthook:\n");
                Outcome::Exited(1)
            }
        }
    }

    /// Appends text to standard output.
    pub fn write_stdout(&mut self, s: &str) {
        self.output.stdout.extend(s.bytes());
    }

    /// Appends text to standard error.
    pub fn write_stderr(&mut self, s: &str) {
        self.output.stderr.extend(s.bytes());
    }

    /// The decoded instructions of `code`, made once per code object.
    pub fn decoded_for(
        &mut self,
        code: &Arc<crate::code::CodeObject>,
    ) -> PyResult<Arc<super::Decoded>> {
        let key = Arc::as_ptr(code) as usize;
        if let Some(d) = self.decoded.get(&key) {
            return Ok(d.clone());
        }
        let instructions = crate::decode::decode(&code.code)
            .map_err(|e| Fault::Stuck(format!("{}: {e}", text(&code.name))))?;
        let index_of = instructions
            .iter()
            .enumerate()
            .map(|(i, ins)| (ins.start, i))
            .collect();
        let mut constants = Vec::with_capacity(code.consts.len());
        for c in code.consts.iter() {
            constants.push(constant_value(self, c)?);
        }
        let d = Arc::new(super::Decoded {
            instructions,
            index_of,
            constants,
        });
        self.decoded.insert(key, d.clone());
        Ok(d)
    }
}
