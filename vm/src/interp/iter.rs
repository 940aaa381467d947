//! Iteration: `iter()`, `next()`, unpacking, and generators, which resume
//! by copying their saved register window back onto the stack.

use super::{Fault, Res, Vm};
use crate::code::Op;
use crate::heap::{DictPart, ExcKind, GenState, Iter, Obj};
use crate::value::{ObjRef, Value};

impl Vm {
    /// `iter(v)`, owned.
    pub(super) fn iter(&mut self, v: Value) -> Res<Value> {
        let it = match self.heap.obj(v) {
            Some(Obj::Range(a, z, s)) => Iter::Range(*a, *z, *s),
            Some(
                Obj::List(_) | Obj::Tuple(_) | Obj::Str(_) | Obj::Bytes(_) | Obj::ByteArray(_),
            ) => {
                self.heap.incref(v);
                Iter::Seq(v, 0)
            }
            Some(Obj::Dict(d)) => {
                let n = d.len();
                self.heap.incref(v);
                Iter::Dict(v, 0, n, DictPart::Keys)
            }
            // A set iterator keeps a slot index of the set's table.
            Some(Obj::Set(t)) | Some(Obj::FrozenSet(t)) => {
                let n = t.len();
                self.heap.incref(v);
                Iter::Dict(v, 0, n, DictPart::Keys)
            }
            Some(Obj::View(view)) => {
                let (d, part) = (view.dict, view.part);
                let n = match self.heap.obj(d) {
                    Some(Obj::Dict(d)) => d.len(),
                    _ => 0,
                };
                self.heap.incref(d);
                Iter::Dict(d, 0, n, part)
            }
            Some(Obj::Iter(_)) | Some(Obj::Generator(_)) => {
                self.heap.incref(v);
                return Ok(v);
            }
            Some(Obj::Instance(_)) => {
                if let Some(f) = self.special(v, "__iter__") {
                    let it = self.call_value(f, &[v], &[])?;
                    if self.special(it, "__next__").is_none()
                        && !matches!(self.heap.obj(it), Some(Obj::Iter(_) | Obj::Generator(_)))
                    {
                        let t = self.type_name(it);
                        self.heap.decref(it);
                        return Err(self.error(
                            ExcKind::TypeError,
                            format!("iter() returned non-iterator of type '{t}'"),
                        ));
                    }
                    return Ok(it);
                }
                if let Some(g) = self.special(v, "__getitem__") {
                    let _ = g;
                    return super::gap("iteration through __getitem__");
                }
                let t = self.type_name(v);
                return Err(self.error(ExcKind::TypeError, format!("'{t}' object is not iterable")));
            }
            _ => {
                let t = self.type_name(v);
                return Err(self.error(ExcKind::TypeError, format!("'{t}' object is not iterable")));
            }
        };
        Ok(self.heap.alloc(Obj::Iter(it)))
    }

    /// The iterator's next item, owned; `None` at the end.
    pub(super) fn next(&mut self, it: Value) -> Res<Option<Value>> {
        let Some(r) = it.obj() else {
            let t = self.type_name(it);
            return Err(self.error(
                ExcKind::TypeError,
                format!("'{t}' object is not an iterator"),
            ));
        };
        match self.heap.get_mut(r) {
            Obj::Iter(Iter::Range(n, z, s)) => {
                let (n0, z0, s0) = (*n, *z, *s);
                if (s0 > 0 && n0 < z0) || (s0 < 0 && n0 > z0) {
                    *n = n0.wrapping_add(s0);
                    return Ok(Some(Value::Int(n0)));
                }
                Ok(None)
            }
            Obj::Iter(Iter::Seq(seq, i)) => {
                let (seq, k) = (*seq, *i);
                *i += 1;
                let v = match self.heap.obj(seq) {
                    Some(Obj::List(xs)) => xs.get(k).copied(),
                    Some(Obj::Tuple(xs)) => xs.get(k).copied(),
                    Some(Obj::Bytes(b)) => b.get(k).map(|x| Value::Int(i64::from(*x))),
                    Some(Obj::ByteArray(b)) => b.get(k).map(|x| Value::Int(i64::from(*x))),
                    Some(Obj::Str(s)) => {
                        // Strings step by code point: the index counts bytes.
                        let ch = s.s.get(k..).and_then(|t| t.chars().next());
                        if let (Some(c), Obj::Iter(Iter::Seq(_, i))) = (ch, self.heap.get_mut(r)) {
                            *i = k + c.len_utf8();
                        }
                        return Ok(ch.map(|c| self.heap.char(c)));
                    }
                    _ => None,
                };
                match v {
                    Some(v) => Ok(Some(self.heap.own(v))),
                    None => {
                        self.finish_iter(r);
                        Ok(None)
                    }
                }
            }
            Obj::Iter(Iter::Reversed(seq, left)) => {
                if *left == 0 {
                    return Ok(None);
                }
                *left -= 1;
                let (seq, k) = (*seq, *left);
                let v = match self.heap.obj(seq) {
                    Some(Obj::List(xs)) => xs.get(k).copied(),
                    Some(Obj::Tuple(xs)) => xs.get(k).copied(),
                    _ => None,
                };
                Ok(v.map(|v| self.heap.own(v)))
            }
            Obj::Iter(Iter::Dict(d, pos, n, part)) => {
                let (d, start, n0, part) = (*d, *pos, *n, *part);
                let (found, size) = match self.heap.obj(d) {
                    Some(Obj::Set(t)) | Some(Obj::FrozenSet(t)) => (
                        t.next_entry(start).map(|(next, _, k)| {
                            let e = crate::dict::Entry {
                                hash: 0,
                                key: *k,
                                value: Value::Empty,
                            };
                            (next - 1, e)
                        }),
                        t.len(),
                    ),
                    Some(Obj::Dict(t)) => {
                        let mut p = start;
                        while p < t.slots() && t.at(p).key == Value::Empty {
                            p += 1;
                        }
                        let e = if p < t.slots() {
                            Some((p, *t.at(p)))
                        } else {
                            None
                        };
                        (e, t.len())
                    }
                    _ => (None, 0),
                };
                if size != n0 {
                    let what = if matches!(self.heap.obj(d), Some(Obj::Dict(_))) {
                        "dictionary"
                    } else {
                        "Set"
                    };
                    if let Obj::Iter(Iter::Dict(_, _, n, _)) = self.heap.get_mut(r) {
                        *n = usize::MAX;
                    }
                    return Err(self.error(
                        ExcKind::RuntimeError,
                        format!("{what} changed size during iteration"),
                    ));
                }
                let Some((p, e)) = found else {
                    return Ok(None);
                };
                if let Obj::Iter(Iter::Dict(_, pos, _, _)) = self.heap.get_mut(r) {
                    *pos = p + 1;
                }
                Ok(Some(match part {
                    DictPart::Keys => self.heap.own(e.key),
                    DictPart::Values => self.heap.own(e.value),
                    DictPart::Items => {
                        self.heap.incref(e.key);
                        self.heap.incref(e.value);
                        self.heap.alloc(Obj::Tuple(vec![e.key, e.value].into()))
                    }
                }))
            }
            Obj::Iter(Iter::Enumerate(inner, count)) => {
                let (inner, c) = (*inner, *count);
                match self.next(inner)? {
                    Some(v) => {
                        if let Obj::Iter(Iter::Enumerate(_, count)) = self.heap.get_mut(r) {
                            *count += 1;
                        }
                        Ok(Some(
                            self.heap.alloc(Obj::Tuple(vec![Value::Int(c), v].into())),
                        ))
                    }
                    None => Ok(None),
                }
            }
            Obj::Iter(Iter::Zip(its)) => {
                let its = its.to_vec();
                match self.next_of_each(&its)? {
                    Some(out) if !out.is_empty() => {
                        Ok(Some(self.heap.alloc(Obj::Tuple(out.into()))))
                    }
                    _ => Ok(None),
                }
            }
            Obj::Iter(Iter::Map(f, its)) => {
                let (f, its) = (*f, its.to_vec());
                let Some(args) = self.next_of_each(&its)? else {
                    return Ok(None);
                };
                let r = self.call_value(f, &args, &[]);
                self.heap.decref_all(args);
                r.map(Some)
            }
            Obj::Iter(Iter::Filter(f, inner)) => {
                let (f, inner) = (*f, *inner);
                loop {
                    let Some(v) = self.next(inner)? else {
                        return Ok(None);
                    };
                    let keep = if f == Value::None {
                        self.truthy(v)
                    } else {
                        match self.call_value(f, &[v], &[]) {
                            Ok(t) => {
                                let b = self.truthy(t);
                                self.heap.decref(t);
                                b
                            }
                            Err(e) => Err(e),
                        }
                    };
                    match keep {
                        Ok(true) => return Ok(Some(v)),
                        Ok(false) => self.heap.decref(v),
                        Err(e) => {
                            self.heap.decref(v);
                            return Err(e);
                        }
                    }
                }
            }
            Obj::Iter(Iter::Callable(f, sentinel)) => {
                let (f, sentinel) = (*f, *sentinel);
                let v = self.call_value(f, &[], &[])?;
                if self.eq(v, sentinel)? {
                    self.heap.decref(v);
                    self.finish_iter(r);
                    return Ok(None);
                }
                Ok(Some(v))
            }
            Obj::Iter(Iter::Done(_)) => Ok(None),
            Obj::Generator(_) => self.resume(r, Value::None, None),
            _ => match self.special(it, "__next__") {
                Some(f) => match self.call_value(f, &[it], &[]) {
                    Ok(v) => Ok(Some(v)),
                    Err(Fault::Raise(e)) if self.is_stop_iteration(e) => {
                        self.heap.decref(e);
                        Ok(None)
                    }
                    Err(e) => Err(e),
                },
                None => {
                    let t = self.type_name(it);
                    Err(self.error(
                        ExcKind::TypeError,
                        format!("'{t}' object is not an iterator"),
                    ))
                }
            },
        }
    }

    /// The next item of each iterator (owned), or `None` as soon as one
    /// is exhausted (the items taken so far are dropped): `zip` and `map`.
    fn next_of_each(&mut self, its: &[Value]) -> Res<Option<Vec<Value>>> {
        let mut out = Vec::with_capacity(its.len());
        for i in its {
            match self.next(*i) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => {
                    self.heap.decref_all(out);
                    return Ok(None);
                }
                Err(e) => {
                    self.heap.decref_all(out);
                    return Err(e);
                }
            }
        }
        Ok(Some(out))
    }

    fn finish_iter(&mut self, r: ObjRef) {
        let name = match self.heap.get(r) {
            Obj::Iter(it) => self.iter_type_name(it),
            _ => return,
        };
        if let Obj::Iter(it) = self.heap.get_mut(r) {
            let old = std::mem::replace(it, Iter::Done(name));
            let mut held = Vec::new();
            Obj::Iter(old).children(&mut held);
            self.heap.decref_all(held);
        }
    }

    pub(super) fn is_stop_iteration(&self, e: Value) -> bool {
        self.is_subclass(self.type_of(e), self.types.exc(ExcKind::StopIteration))
    }

    /// The items of an iterable, owned.
    pub(super) fn collect(&mut self, v: Value) -> Res<Vec<Value>> {
        match self.heap.obj(v) {
            Some(Obj::List(xs)) => {
                let xs = xs.clone();
                for x in &xs {
                    self.heap.incref(*x);
                }
                return Ok(xs);
            }
            Some(Obj::Tuple(xs)) => {
                let xs = xs.to_vec();
                for x in &xs {
                    self.heap.incref(*x);
                }
                return Ok(xs);
            }
            _ => {}
        }
        let it = self.iter(v)?;
        let mut out = Vec::new();
        loop {
            match self.next(it) {
                Ok(Some(x)) => {
                    out.push(x);
                    if out.len() > pyreg_spec::interp::ops::MAX_COLLECTION {
                        self.heap.decref_all(out);
                        self.heap.decref(it);
                        return Err(self.memory_error());
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    self.heap.decref_all(out);
                    self.heap.decref(it);
                    return Err(e);
                }
            }
        }
        self.heap.decref(it);
        Ok(out)
    }

    /// `UNPACK_SEQUENCE n`: the `n` items, owned, in order.
    pub(super) fn unpack(&mut self, v: Value, n: usize) -> Res<Vec<Value>> {
        if self.heap.obj(v).is_none() || matches!(self.heap.obj(v), Some(Obj::Class(_))) {
            let t = self.type_name(v);
            return Err(self.error(
                ExcKind::TypeError,
                format!("cannot unpack non-iterable {t} object"),
            ));
        }
        let items = match self.collect(v) {
            Ok(items) => items,
            Err(Fault::Raise(e)) if self.type_of(e) == self.types.exc(ExcKind::TypeError) => {
                self.heap.decref(e);
                let t = self.type_name(v);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("cannot unpack non-iterable {t} object"),
                ));
            }
            Err(e) => return Err(e),
        };
        if items.len() != n {
            let msg = if items.len() > n {
                format!("too many values to unpack (expected {n})")
            } else {
                format!(
                    "not enough values to unpack (expected {n}, got {})",
                    items.len()
                )
            };
            self.heap.decref_all(items);
            return Err(self.error(ExcKind::ValueError, msg));
        }
        Ok(items)
    }

    /// `it.send(v)` for `YIELD_FROM` (a plain `next` unless `it` is a
    /// generator and `v` is not `None`): the yielded value, or `None` when
    /// it finished, its result in `stop_value`.
    pub(super) fn send(&mut self, it: Value, v: Value) -> Res<Option<Value>> {
        if let Some(r) = it.obj() {
            if matches!(self.heap.get(r), Obj::Generator(_)) {
                let out = self.resume(r, v, None)?;
                if out.is_none() {
                    let rv = std::mem::replace(&mut self.native_result, Value::Empty);
                    let old = std::mem::replace(&mut self.stop_value, rv);
                    self.heap.decref(old);
                }
                return Ok(out);
            }
        }
        if v != Value::None {
            return super::gap("send() to a non-generator in yield from");
        }
        let out = self.next(it)?;
        if out.is_none() {
            let old = std::mem::replace(&mut self.stop_value, Value::None);
            self.heap.decref(old);
        }
        Ok(out)
    }

    /// Resumes generator `g`, sending `sent` (borrowed) or throwing
    /// `throw` (owned) at its `yield`: the next yielded value (owned), or
    /// `None` when it returned (its return value left in
    /// `native_result`).
    pub(super) fn resume(
        &mut self,
        g: ObjRef,
        sent: Value,
        throw: Option<Value>,
    ) -> Res<Option<Value>> {
        let (state, pc, code) = match self.heap.get(g) {
            Obj::Generator(gen) => (gen.state, gen.pc, gen.code.clone()),
            _ => return self.broken("a generator"),
        };
        match state {
            GenState::Running => {
                if let Some(t) = throw {
                    self.heap.decref(t);
                }
                return Err(self.error(ExcKind::ValueError, "generator already executing".into()));
            }
            GenState::Done => {
                if let Some(t) = throw {
                    return Err(Fault::Raise(t));
                }
                let old = std::mem::replace(&mut self.native_result, Value::None);
                self.heap.decref(old);
                return Ok(None);
            }
            GenState::Created if sent != Value::None && throw.is_none() => {
                let t = self.type_name(sent);
                let _ = t;
                return Err(self.error(
                    ExcKind::TypeError,
                    "can't send non-None value to a just-started generator".into(),
                ));
            }
            _ => {}
        }
        self.push_generator_frame(g)?;
        let depth = self.frames.len() - 1;
        let base = self.frames.last().map_or(0, |f| f.base);
        if self.stack_mode {
            return self.resume_stack(&code, depth, state, pc, sent, throw);
        }
        if state == GenState::Suspended {
            let ins = code.ins[pc];
            if let Some(t) = throw {
                if ins.op == Op::YieldFrom {
                    // Thrown into the generator it delegates to.
                    let sub = self.regs[base + ins.b as usize];
                    if let Some(sr) = sub
                        .obj()
                        .filter(|r| matches!(self.heap.get(*r), Obj::Generator(_)))
                    {
                        match self.resume(sr, Value::None, Some(t)) {
                            Ok(Some(v)) => {
                                self.yield_value(pc, v);
                                self.yielded = false;
                                return Ok(Some(std::mem::replace(
                                    &mut self.native_result,
                                    Value::Empty,
                                )));
                            }
                            Ok(None) => {
                                let rv = std::mem::replace(&mut self.native_result, Value::Empty);
                                for x in [ins.b, ins.c] {
                                    let old = std::mem::replace(
                                        &mut self.regs[base + x as usize],
                                        Value::Empty,
                                    );
                                    self.heap.decref(old);
                                }
                                self.put(base, ins.a, rv);
                                if let Some(f) = self.frames.last_mut() {
                                    f.pc = pc + 1;
                                }
                            }
                            Err(Fault::Raise(e)) => {
                                self.unwind(e, depth)?;
                            }
                            Err(f) => return Err(f),
                        }
                        self.yielded = false;
                        self.run_loop(depth)?;
                        return Ok(if self.yielded {
                            self.yielded = false;
                            Some(std::mem::replace(&mut self.native_result, Value::Empty))
                        } else {
                            None
                        });
                    }
                }
                // Thrown at the yield: unwind from there.
                self.unwind(t, depth)?;
            } else {
                self.deliver_sent(base, pc, ins, sent);
            }
        } else if let Some(t) = throw {
            self.unwind(t, depth)?;
        }
        self.yielded = false;
        self.run_loop(depth)?;
        if self.yielded {
            self.yielded = false;
            Ok(Some(std::mem::replace(
                &mut self.native_result,
                Value::Empty,
            )))
        } else {
            Ok(None)
        }
    }

    /// [`Vm::resume`] for a stack-mode generator frame just pushed: the
    /// sent value goes on its stack (a `YIELD_VALUE` continues after
    /// itself, a `YIELD_FROM` runs again), or the thrown exception is
    /// raised where it stopped.
    fn resume_stack(
        &mut self,
        code: &crate::code::VmCode,
        depth: usize,
        state: GenState,
        pc: usize,
        sent: Value,
        throw: Option<Value>,
    ) -> Res<Option<Value>> {
        use pyreg_spec::opcode::Opcode;
        let op = code.stack.get(pc).map(|s| s.op);
        if let Some(t) = throw {
            let sub = self
                .frames
                .last()
                .map_or(Value::Empty, |f| self.regs[f.sp - 1]);
            let sub_gen = sub
                .obj()
                .filter(|r| matches!(self.heap.get(*r), Obj::Generator(_)));
            match (state, op, sub_gen) {
                (GenState::Suspended, Some(Opcode::YieldFrom), Some(sr)) => {
                    match self.resume(sr, Value::None, Some(t)) {
                        Ok(Some(v)) => {
                            self.yield_value(pc, v);
                            self.yielded = false;
                            return Ok(Some(std::mem::replace(
                                &mut self.native_result,
                                Value::Empty,
                            )));
                        }
                        Ok(None) => {
                            let rv = std::mem::replace(&mut self.native_result, Value::Empty);
                            if let Some(f) = self.frames.last_mut() {
                                f.sp -= 1;
                                let at = f.sp;
                                f.pc = pc + 1;
                                let old = std::mem::replace(&mut self.regs[at], rv);
                                self.heap.decref(old);
                                if let Some(f) = self.frames.last_mut() {
                                    f.sp += 1;
                                }
                            }
                        }
                        Err(Fault::Raise(e)) => self.unwind(e, depth)?,
                        Err(f) => return Err(f),
                    }
                }
                _ => self.unwind(t, depth)?,
            }
        } else if state == GenState::Suspended {
            self.deliver_sent_stack(pc, op == Some(Opcode::YieldValue), sent);
        }
        self.yielded = false;
        self.run_loop(depth)?;
        if self.yielded {
            self.yielded = false;
            Ok(Some(std::mem::replace(
                &mut self.native_result,
                Value::Empty,
            )))
        } else {
            Ok(None)
        }
    }

    /// Register mode: the value `send` passes (borrowed) reaches the
    /// generator frame just pushed, suspended at `ins` (instruction `pc`):
    /// a `yield` continues after itself with it, a `yield from` runs
    /// again with it as the value to pass on.
    fn deliver_sent(&mut self, base: usize, pc: usize, ins: crate::code::Ins, sent: Value) {
        self.heap.incref(sent);
        match ins.op {
            Op::Yield => {
                self.put(base, ins.a, sent);
                if let Some(f) = self.frames.last_mut() {
                    f.pc = pc + 1;
                }
            }
            _ => self.put(base, ins.c, sent),
        }
    }

    /// [`Vm::deliver_sent`] for a stack-mode frame: the value goes on its
    /// stack.
    fn deliver_sent_stack(&mut self, pc: usize, at_yield_value: bool, sent: Value) {
        self.heap.incref(sent);
        if let Some(f) = self.frames.last_mut() {
            let at = f.sp;
            f.sp += 1;
            if at_yield_value {
                f.pc = pc + 1;
            }
            self.regs[at] = sent;
        }
    }

    /// `FOR_ITER` over a generator that can run: its frame is pushed for
    /// the dispatch loop to run (no nested loop), the caller waiting at
    /// the `FOR_ITER`. Its `yield` hands the value to the caller's `ret`
    /// ([`crate::interp::stack::RET_PUSH`] in stack mode) and its return
    /// ends the loop ([`Vm::return_value`]). `false` when `it` is not such
    /// a generator.
    pub(super) fn for_iter_generator(&mut self, it: Value, pc: usize, ret: u16) -> Res<bool> {
        let Some(g) = it.obj() else { return Ok(false) };
        let (state, gpc, code) = match self.heap.get(g) {
            Obj::Generator(gen) if matches!(gen.state, GenState::Created | GenState::Suspended) => {
                (gen.state, gen.pc, gen.code.clone())
            }
            _ => return Ok(false),
        };
        if let Some(f) = self.frames.last_mut() {
            f.pc = pc;
        }
        self.push_generator_frame(g)?;
        let base = match self.frames.last_mut() {
            Some(f) => {
                f.ret = ret;
                f.base
            }
            None => return self.broken("a generator frame"),
        };
        if state == GenState::Suspended {
            if self.stack_mode {
                let at_yield_value = code
                    .stack
                    .get(gpc)
                    .is_some_and(|s| s.op == pyreg_spec::opcode::Opcode::YieldValue);
                self.deliver_sent_stack(gpc, at_yield_value, Value::None);
            } else if let Some(ins) = code.ins.get(gpc).copied() {
                self.deliver_sent(base, gpc, ins, Value::None);
            }
        }
        Ok(true)
    }

    /// An exception left generator `g`'s frame: it is finished, and a
    /// `StopIteration` raised inside becomes `RuntimeError` (PEP 479).
    pub(super) fn generator_raised(&mut self, g: ObjRef, e: Value) -> Value {
        if let Obj::Generator(gen) = self.heap.get_mut(g) {
            gen.state = GenState::Done;
        }
        if self.is_stop_iteration(e) {
            let m = self.str_value("generator raised StopIteration");
            let r = self.new_exception(self.types.exc(ExcKind::RuntimeError), &[m]);
            self.heap.decref(m);
            if let Obj::Instance(i) = self.heap.get_mut(r.obj().unwrap_or(g)) {
                if let Some(d) = i.exc.as_deref_mut() {
                    d.cause = e;
                    d.suppress = true;
                    return r;
                }
            }
            self.heap.decref(e);
            return r;
        }
        e
    }
}
