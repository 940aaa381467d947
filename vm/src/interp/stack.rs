//! Stack mode: the VM running verified CPython 3.9 stack bytecode with the
//! same values, heap, object model, calls and dispatch technique as the
//! register mode, so that `--engine vm-stack` against `--engine vm`
//! compares the two instruction sets alone.
//!
//! A frame's window holds the fast locals, then the value stack; `sp` is
//! the next free slot. Exceptions unwind through a block stack kept at
//! run time, as `ceval.c` does (`SETUP_FINALLY` pushes a block,
//! `POP_BLOCK` pops it, an exception pops blocks to a handler).

use super::{gap, ops, Fault, Next, Res, Vm, RECURSION_LIMIT, RET_NATIVE};
use crate::code::{SIns, SOp, VmCode};
use crate::heap::{Block, ExcKind, Iter, Obj};
use crate::value::Value;
use pyreg_spec::opcode::Opcode;
use std::rc::Rc;

/// The caller register value meaning "push the result on the caller's
/// value stack".
pub(super) const RET_PUSH: u16 = RET_NATIVE - 1;

impl Vm {
    /// Runs stack frames until the frame stack is back to `stop` frames.
    pub(super) fn run_stack(&mut self, stop: usize) -> Res<()> {
        loop {
            if self.frames.len() <= stop {
                return Ok(());
            }
            let Some(f) = self.frames.last() else {
                return Ok(());
            };
            let code = f.code.clone();
            let base = f.base;
            let mut pc = f.pc;
            let mut sp = f.sp.max(base + code.nlocals);
            loop {
                let Some(si) = code.stack.get(pc).copied() else {
                    return Err(self.unsupported(&code, pc, "fall off the end of the code"));
                };
                if let Some(n) = self.sfast(&code, base, &mut sp, pc, &si) {
                    if n == usize::MAX {
                        break;
                    }
                    pc = n;
                    continue;
                }
                match self.sstep(&code, base, &mut sp, pc, &si) {
                    Ok(Next::Go(n)) => pc = n,
                    Ok(Next::Switch) => break,
                    Err(Fault::Raise(e)) => {
                        if let Some(f) = self.frames.last_mut() {
                            f.pc = pc;
                            f.sp = sp;
                        }
                        self.unwind_stack(e, stop)?;
                        break;
                    }
                    Err(f) => return Err(self.locate(&code, pc, f)),
                }
            }
        }
    }

    #[inline(always)]
    fn push(&mut self, sp: &mut usize, v: Value) {
        self.regs[*sp] = v;
        *sp += 1;
    }

    #[inline(always)]
    fn pop(&mut self, sp: &mut usize) -> Value {
        *sp -= 1;
        std::mem::replace(&mut self.regs[*sp], Value::Empty)
    }

    /// The hot cases, kept in the dispatch loop as the register mode keeps
    /// its own: the next instruction's index (`usize::MAX` when the frame
    /// stack changed), or `None` for [`Vm::sstep`].
    #[inline(always)]
    fn sfast(
        &mut self,
        code: &VmCode,
        base: usize,
        sp: &mut usize,
        pc: usize,
        si: &SIns,
    ) -> Option<usize> {
        match si.kind {
            SOp::LoadFast => {
                let v = self.regs[base + si.arg as usize];
                if v == Value::Empty {
                    return None;
                }
                self.heap.incref(v);
                self.push(sp, v);
                Some(pc + 1)
            }
            SOp::StoreFast => {
                let v = self.pop(sp);
                let old = std::mem::replace(&mut self.regs[base + si.arg as usize], v);
                self.heap.decref(old);
                Some(pc + 1)
            }
            SOp::LoadConst => {
                let v = code.consts[si.arg as usize];
                self.heap.incref(v);
                self.push(sp, v);
                Some(pc + 1)
            }
            SOp::PopTop => {
                let v = self.pop(sp);
                self.heap.decref(v);
                Some(pc + 1)
            }
            SOp::Jump => Some(si.target as usize),
            SOp::PopJump(sense) => {
                let t = match self.regs[*sp - 1] {
                    Value::Bool(b) => b,
                    Value::Int(i) => i != 0,
                    Value::None => false,
                    _ => return None,
                };
                *sp -= 1;
                self.regs[*sp] = Value::Empty;
                Some(if t == sense {
                    si.target as usize
                } else {
                    pc + 1
                })
            }
            SOp::Compare(c) => {
                let t = ops::compare_fast(c, self.regs[*sp - 2], self.regs[*sp - 1])?;
                *sp -= 1;
                self.regs[*sp] = Value::Empty;
                self.regs[*sp - 1] = Value::Bool(t);
                Some(pc + 1)
            }
            SOp::Binary(op, _) => {
                let r = ops::binary_fast(op, self.regs[*sp - 2], self.regs[*sp - 1])?;
                *sp -= 1;
                self.regs[*sp] = Value::Empty;
                self.regs[*sp - 1] = r;
                Some(pc + 1)
            }
            SOp::Subscr => {
                let v = self.item_fast(self.regs[*sp - 2], self.regs[*sp - 1])?;
                self.heap.incref(v);
                *sp -= 1;
                self.regs[*sp] = Value::Empty;
                let old = std::mem::replace(&mut self.regs[*sp - 1], v);
                self.heap.decref(old);
                Some(pc + 1)
            }
            SOp::StoreSubscr => {
                // value, container, key
                let (v, Value::Obj(c), Value::Int(i)) =
                    (self.regs[*sp - 3], self.regs[*sp - 2], self.regs[*sp - 1])
                else {
                    return None;
                };
                let Obj::List(xs) = self.heap.get_mut(c) else {
                    return None;
                };
                let k = ops::fast_index(i, xs.len())?;
                // The list takes the stack's reference to the value.
                let old = std::mem::replace(&mut xs[k], v);
                self.heap.decref(old);
                *sp -= 3;
                self.regs[*sp] = Value::Empty;
                self.regs[*sp + 1] = Value::Empty;
                self.regs[*sp + 2] = Value::Empty;
                self.heap.decref(Value::Obj(c));
                Some(pc + 1)
            }
            SOp::Unpack if si.arg as usize <= 8 => {
                let n = si.arg as usize;
                let buf = self.items_fast(self.regs[*sp - 1], n)?;
                let seq = self.pop(sp);
                for v in buf[..n].iter().rev() {
                    self.heap.incref(*v);
                    self.push(sp, *v);
                }
                self.heap.decref(seq);
                Some(pc + 1)
            }
            SOp::Return => {
                let v = self.pop(sp);
                if let Some(f) = self.frames.last_mut() {
                    f.sp = *sp;
                }
                self.return_value(v);
                Some(usize::MAX)
            }
            SOp::Call if self.frames.len() < RECURSION_LIMIT => {
                let n = si.arg as usize;
                let f = self.regs[*sp - n - 1];
                match self.call_python_stack(base, sp, pc, n, f) {
                    Ok(true) => Some(usize::MAX),
                    _ => None,
                }
            }
            SOp::CallMethod if self.frames.len() < RECURSION_LIMIT => {
                let n = si.arg as usize;
                let m = self.regs[*sp - n - 2];
                if m == Value::Empty {
                    return None;
                }
                match self.call_python_stack(base, sp, pc, n + 1, m) {
                    Ok(true) => Some(usize::MAX),
                    _ => None,
                }
            }
            SOp::LoadDeref => {
                let v = self.cell_contents(si.arg)?;
                self.heap.incref(v);
                self.push(sp, v);
                Some(pc + 1)
            }
            SOp::StoreDeref => {
                // The cell takes the stack's reference.
                let v = self.regs[*sp - 1];
                let old = self.swap_cell(si.arg, v)?;
                *sp -= 1;
                self.regs[*sp] = Value::Empty;
                self.heap.decref(old);
                Some(pc + 1)
            }
            SOp::LoadGlobal => {
                let v = self.ns[code.globals as usize].slots[si.target as usize];
                if v == Value::Empty {
                    return None;
                }
                self.heap.incref(v);
                self.push(sp, v);
                Some(pc + 1)
            }
            SOp::ForIter => {
                let it = self.regs[*sp - 1].obj()?;
                if let Obj::Iter(Iter::Range(n, z, st)) = self.heap.get_mut(it) {
                    let (n0, z0, s0) = (*n, *z, *st);
                    if (s0 > 0 && n0 < z0) || (s0 < 0 && n0 > z0) {
                        *n = n0.wrapping_add(s0);
                        self.push(sp, Value::Int(n0));
                        return Some(pc + 1);
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// `CALL_FUNCTION n` of a Python function needing only positional
    /// binding: the arguments move from the caller's stack into the
    /// callee's window. `false` when `f` is anything else.
    #[inline(always)]
    fn call_python_stack(
        &mut self,
        base: usize,
        sp: &mut usize,
        pc: usize,
        given: usize,
        f: Value,
    ) -> Res<bool> {
        let _ = base;
        let Some(fr) = f.obj() else { return Ok(false) };
        let (fr, init) = match self.heap.get(fr) {
            Obj::Function(_) => (fr, Value::Empty),
            Obj::Class(_) => match self.plain_init(fr, given) {
                Some(found) => found,
                None => return Ok(false),
            },
            _ => return Ok(false),
        };
        let Obj::Function(func) = self.heap.get(fr) else {
            return Ok(false);
        };
        let ndefaults = func.defaults.len();
        let at = usize::from(init != Value::Empty);
        let on_stack = given;
        let given = given + at;
        let callee = &func.code;
        let nargs = callee.nargs;
        if given > nargs || given + ndefaults < nargs || !callee.simple {
            return Ok(false);
        }
        let callee = callee.clone();
        let closure = self.closure_of(fr);
        let new_base = self.top;
        self.open_window(new_base, callee.nregs);
        let first = *sp - on_stack;
        if at == 1 {
            self.regs[new_base] = self.heap.own(init);
        }
        for k in at..given {
            self.regs[new_base + k] =
                std::mem::replace(&mut self.regs[first + k - at], Value::Empty);
        }
        for k in given..nargs {
            let v = match self.heap.get(fr) {
                Obj::Function(func) => func.defaults[k + ndefaults - nargs],
                _ => Value::None,
            };
            self.heap.incref(v);
            self.regs[new_base + k] = v;
        }
        // The function itself leaves the caller's stack.
        *sp = first - 1;
        let fv = std::mem::replace(&mut self.regs[*sp], Value::Empty);
        if let Some(f) = self.frames.last_mut() {
            f.pc = pc;
            f.sp = *sp;
        }
        let cells = if callee.cell_args.is_empty() && closure.is_empty() {
            Vec::new()
        } else {
            self.make_cells(&callee, new_base, closure)
        };
        let sp0 = new_base + callee.nlocals;
        self.frames.push(super::Frame {
            code: callee,
            pc: 0,
            base: new_base,
            ret: RET_PUSH,
            cells,
            locals: Value::Empty,
            gen: None,
            sp: sp0,
            blocks: Vec::new(),
            init,
        });
        self.heap.decref(fv);
        Ok(true)
    }

    /// Calls `f` with the `n` values on top of the stack (which stay),
    /// gathered without allocating when they are few.
    #[inline]
    fn call_top(&mut self, f: Value, sp: usize, n: usize) -> Res<Value> {
        if n <= 8 {
            let mut buf = [Value::Empty; 8];
            buf[..n].copy_from_slice(&self.regs[sp - n..sp]);
            return self.call_value(f, &buf[..n], &[]);
        }
        let args = self.top_n(sp, n);
        self.call_value(f, &args, &[])
    }

    /// The values `n` below the top, borrowed (they stay on the stack).
    fn top_n(&self, sp: usize, n: usize) -> Vec<Value> {
        self.regs[sp - n..sp].to_vec()
    }

    /// Pops `n` values, dropping them.
    fn drop_n(&mut self, sp: &mut usize, n: usize) {
        for _ in 0..n {
            let v = self.pop(sp);
            self.heap.decref(v);
        }
    }

    fn sstep(
        &mut self,
        code: &Rc<VmCode>,
        base: usize,
        sp: &mut usize,
        pc: usize,
        si: &SIns,
    ) -> Res<Next> {
        use Opcode::*;
        let next = Next::Go(pc + 1);
        let arg = si.arg;
        match si.op {
            Nop => {}
            LoadFast => {
                let v = self.regs[base + arg as usize];
                if v == Value::Empty {
                    return Err(self.unbound(code, arg as u16));
                }
                self.heap.incref(v);
                self.push(sp, v);
            }
            DeleteFast => {
                let r = base + arg as usize;
                if self.regs[r] == Value::Empty {
                    return Err(self.unbound(code, arg as u16));
                }
                let old = std::mem::replace(&mut self.regs[r], Value::Empty);
                self.heap.decref(old);
            }
            RotTwo | RotThree | RotFour => {
                let n = match si.op {
                    RotTwo => 2,
                    RotThree => 3,
                    _ => 4,
                };
                self.regs[*sp - n..*sp].rotate_right(1);
            }
            DupTop => {
                let v = self.regs[*sp - 1];
                self.heap.incref(v);
                self.push(sp, v);
            }
            DupTopTwo => {
                let (a, b) = (self.regs[*sp - 2], self.regs[*sp - 1]);
                self.heap.incref(a);
                self.heap.incref(b);
                self.push(sp, a);
                self.push(sp, b);
            }
            JumpAbsolute | JumpForward => return Ok(Next::Go(si.target as usize)),
            PopJumpIfFalse | PopJumpIfTrue => {
                let v = self.regs[*sp - 1];
                let t = self.truthy(v)?;
                self.drop_n(sp, 1);
                if t == (si.op == PopJumpIfTrue) {
                    return Ok(Next::Go(si.target as usize));
                }
            }
            JumpIfFalseOrPop | JumpIfTrueOrPop => {
                let v = self.regs[*sp - 1];
                let t = self.truthy(v)?;
                if t == (si.op == JumpIfTrueOrPop) {
                    return Ok(Next::Go(si.target as usize));
                }
                self.drop_n(sp, 1);
            }
            LoadGlobal => {
                let ns = &self.ns[code.globals as usize];
                let v = ns.slots[si.target as usize];
                let v = if v == Value::Empty {
                    let name = ns.names[si.target as usize].clone();
                    self.builtin(&name)?
                } else {
                    v
                };
                self.heap.incref(v);
                self.push(sp, v);
            }
            StoreGlobal => {
                let v = self.pop(sp);
                let slot = &mut self.ns[code.globals as usize].slots[si.target as usize];
                let old = std::mem::replace(slot, v);
                self.heap.decref(old);
            }
            DeleteGlobal => {
                let ns = &mut self.ns[code.globals as usize];
                let old = std::mem::replace(&mut ns.slots[si.target as usize], Value::Empty);
                if old == Value::Empty {
                    let name = ns.names[si.target as usize].clone();
                    return Err(
                        self.error(ExcKind::NameError, format!("name '{name}' is not defined"))
                    );
                }
                self.heap.decref(old);
            }
            LoadName | StoreName | DeleteName => {
                let locals = self.frames.last().map_or(Value::Empty, |f| f.locals);
                if locals == Value::Empty {
                    // Module level: the names are global slots.
                    let g = code.globals as usize;
                    let slot = si.target as usize;
                    match si.op {
                        LoadName => {
                            let v = self.ns[g].slots[slot];
                            let v = if v == Value::Empty {
                                let name = self.ns[g].names[slot].clone();
                                self.builtin(&name)?
                            } else {
                                v
                            };
                            self.heap.incref(v);
                            self.push(sp, v);
                        }
                        StoreName => {
                            let v = self.pop(sp);
                            let old = std::mem::replace(&mut self.ns[g].slots[slot], v);
                            self.heap.decref(old);
                        }
                        _ => {
                            let old = std::mem::replace(&mut self.ns[g].slots[slot], Value::Empty);
                            if old == Value::Empty {
                                let name = self.ns[g].names[slot].clone();
                                return Err(self.error(
                                    ExcKind::NameError,
                                    format!("name '{name}' is not defined"),
                                ));
                            }
                            self.heap.decref(old);
                        }
                    }
                } else {
                    let name = code.names[arg as usize];
                    match si.op {
                        LoadName => {
                            let v = self.class_body_load(code, locals, name)?;
                            self.push(sp, v);
                        }
                        StoreName => {
                            let v = self.regs[*sp - 1];
                            self.dict_set(locals, name, v)?;
                            self.drop_n(sp, 1);
                        }
                        _ => {
                            if !self.dict_del(locals, name)? {
                                let s = self.heap.as_str(name).unwrap_or("").to_string();
                                return Err(self.error(
                                    ExcKind::NameError,
                                    format!("name '{s}' is not defined"),
                                ));
                            }
                        }
                    }
                }
            }
            LoadAttr => {
                let obj = self.regs[*sp - 1];
                let v = self.load_attr_at(code, pc, obj, code.names[arg as usize])?;
                self.drop_n(sp, 1);
                self.push(sp, v);
            }
            StoreAttr => {
                let (v, obj) = (self.regs[*sp - 2], self.regs[*sp - 1]);
                self.store_attr_at(code, pc, obj, code.names[arg as usize], v)?;
                self.drop_n(sp, 2);
            }
            LoadMethod => {
                let obj = self.regs[*sp - 1];
                let (m, this) = self.load_method_at(code, pc, obj, code.names[arg as usize])?;
                self.drop_n(sp, 1);
                if this == Value::Empty {
                    // CPython's layout for a plain attribute: NULL, then it.
                    self.push(sp, Value::Empty);
                    self.push(sp, m);
                } else {
                    self.push(sp, m);
                    self.push(sp, this);
                }
            }
            CallMethod => {
                let n = arg as usize;
                let m = self.regs[*sp - n - 2];
                // A method found by LOAD_METHOD: the stack holds the
                // function, then `self` and the arguments.
                if m != Value::Empty
                    && self.frames.len() < RECURSION_LIMIT
                    && self.call_python_stack(base, sp, pc, n + 1, m)?
                {
                    return Ok(Next::Switch);
                }
                let r = if m == Value::Empty {
                    let f = self.regs[*sp - n - 1];
                    self.call_top(f, *sp, n)?
                } else {
                    self.call_top(m, *sp, n + 1)?
                };
                self.drop_n(sp, n + 2);
                self.push(sp, r);
            }
            CallFunction => {
                let n = arg as usize;
                let f = self.regs[*sp - n - 1];
                if self.frames.len() < RECURSION_LIMIT
                    && self.call_python_stack(base, sp, pc, n, f)?
                {
                    return Ok(Next::Switch);
                }
                let r = self.call_top(f, *sp, n)?;
                self.drop_n(sp, n + 1);
                self.push(sp, r);
            }
            UnaryNot => {
                let t = self.truthy(self.regs[*sp - 1])?;
                self.drop_n(sp, 1);
                self.push(sp, Value::Bool(!t));
            }
            BinarySubscr => {
                let (c, k) = (self.regs[*sp - 2], self.regs[*sp - 1]);
                let v = self.subscript(c, k)?;
                self.drop_n(sp, 2);
                self.push(sp, v);
            }
            StoreSubscr => {
                // TOS1[TOS] = TOS2
                let (v, c, k) = (self.regs[*sp - 3], self.regs[*sp - 2], self.regs[*sp - 1]);
                self.store_subscript(c, k, v)?;
                self.drop_n(sp, 3);
            }
            GetIter => {
                let it = self.iter(self.regs[*sp - 1])?;
                self.drop_n(sp, 1);
                self.push(sp, it);
            }
            ForIter => {
                let it = self.regs[*sp - 1];
                if let Some(f) = self.frames.last_mut() {
                    f.sp = *sp;
                }
                if self.for_iter_generator(it, pc, RET_PUSH)? {
                    return Ok(Next::Switch);
                }
                match self.next(it)? {
                    Some(v) => self.push(sp, v),
                    None => {
                        self.drop_n(sp, 1);
                        return Ok(Next::Go(si.target as usize));
                    }
                }
            }
            BuildTuple | BuildList => {
                let n = arg as usize;
                let items: Vec<Value> = (0..n)
                    .map(|k| std::mem::replace(&mut self.regs[*sp - n + k], Value::Empty))
                    .collect();
                *sp -= n;
                let v = self.heap.alloc(if si.op == BuildTuple {
                    Obj::Tuple(items.into())
                } else {
                    Obj::List(items)
                });
                self.push(sp, v);
            }
            UnpackSequence => {
                let v = self.regs[*sp - 1];
                let items = self.unpack(v, arg as usize)?;
                self.drop_n(sp, 1);
                for x in items.into_iter().rev() {
                    self.push(sp, x);
                }
            }
            MakeFunction => {
                let nflags = (arg & 0x0f).count_ones() as usize;
                let ins = self.top_n(*sp, nflags + 2);
                let f = self.make_function_from(code, &ins, arg as u16)?;
                self.drop_n(sp, nflags + 2);
                self.push(sp, f);
            }
            LoadClosure | LoadDeref => {
                let c = self.cell(code, pc, arg)?;
                let v = if si.op == LoadClosure {
                    c
                } else {
                    let v = match self.heap.obj(c) {
                        Some(Obj::Cell(v)) => *v,
                        _ => Value::Empty,
                    };
                    if v == Value::Empty {
                        return Err(self.unbound_cell(code, arg));
                    }
                    v
                };
                self.heap.incref(v);
                self.push(sp, v);
            }
            StoreDeref | DeleteDeref => {
                let c = self.cell(code, pc, arg)?;
                let old = match self.heap.obj(c) {
                    Some(Obj::Cell(old)) => *old,
                    _ => Value::Empty,
                };
                let v = if si.op == StoreDeref {
                    self.pop(sp)
                } else {
                    if old == Value::Empty {
                        return Err(self.unbound_cell(code, arg));
                    }
                    Value::Empty
                };
                if let Some(Obj::Cell(slot)) = c.obj().map(|r| self.heap.get_mut(r)) {
                    *slot = v;
                }
                self.heap.decref(old);
            }
            RaiseVarargs if arg <= 1 => {
                if arg == 0 {
                    return Err(self.reraise_handled());
                }
                let v = self.regs[*sp - 1];
                let e = self.exception_of(v)?;
                self.drop_n(sp, 1);
                self.set_context(e);
                return Err(Fault::Raise(e));
            }
            ReturnValue => {
                let v = self.pop(sp);
                if let Some(f) = self.frames.last_mut() {
                    f.sp = *sp;
                }
                self.return_value(v);
                return Ok(Next::Switch);
            }
            YieldValue => {
                let v = self.pop(sp);
                if let Some(f) = self.frames.last_mut() {
                    f.sp = *sp;
                }
                self.yield_value(pc, v);
                return Ok(Next::Switch);
            }
            YieldFrom => {
                let sent = self.regs[*sp - 1];
                let it = self.regs[*sp - 2];
                match self.send(it, sent)? {
                    Some(v) => {
                        // Suspended here; resumed, the sent value is pushed
                        // and this instruction runs again.
                        self.drop_n(sp, 1);
                        if let Some(f) = self.frames.last_mut() {
                            f.sp = *sp;
                        }
                        self.yield_value(pc, v);
                        return Ok(Next::Switch);
                    }
                    None => {
                        let r = std::mem::replace(&mut self.stop_value, Value::Empty);
                        self.drop_n(sp, 2);
                        self.push(sp, r);
                    }
                }
            }
            SetupFinally => {
                let level = (*sp - base - code.nlocals) as u32;
                if let Some(f) = self.frames.last_mut() {
                    f.blocks.push(Block {
                        except_handler: false,
                        handler: si.target,
                        level,
                    });
                }
            }
            SetupWith => {
                let mgr = self.regs[*sp - 1];
                let outs = self.apply(code, pc, si.op, arg, &[mgr])?;
                self.drop_n(sp, 1);
                let mut outs = outs.into_iter();
                let exit = outs.next().unwrap_or(Value::None);
                let res = outs.next().unwrap_or(Value::None);
                self.push(sp, exit);
                let level = (*sp - base - code.nlocals) as u32;
                if let Some(f) = self.frames.last_mut() {
                    f.blocks.push(Block {
                        except_handler: false,
                        handler: si.target,
                        level,
                    });
                }
                self.push(sp, res);
            }
            PopBlock => {
                if let Some(f) = self.frames.last_mut() {
                    f.blocks.pop();
                }
            }
            PopExcept => {
                let b = self.frames.last_mut().and_then(|f| f.blocks.pop());
                match b {
                    Some(b) if b.except_handler => {
                        // The three saved values are on top (a return value
                        // may sit below them): only they are popped.
                        let floor = *sp;
                        self.restore_handled(sp, floor);
                    }
                    _ => {
                        return Err(self.error(
                            ExcKind::SystemError,
                            "popped block is not an except handler".into(),
                        ))
                    }
                }
            }
            Reraise => {
                let _ty = self.pop(sp);
                let v = self.pop(sp);
                let tb = self.pop(sp);
                self.heap.decref(_ty);
                self.heap.decref(tb);
                self.reraising = true;
                return Err(Fault::Raise(v));
            }
            JumpIfNotExcMatch => {
                let (e, c) = (self.regs[*sp - 2], self.regs[*sp - 1]);
                let m = self.exc_matches(e, c)?;
                self.drop_n(sp, 2);
                if !m {
                    return Ok(Next::Go(si.target as usize));
                }
            }
            _ => {
                // A binary or comparison the fast path left, or a rule
                // shared with the register mode.
                match si.kind {
                    SOp::Binary(op, inplace) => {
                        let (a, b) = (self.regs[*sp - 2], self.regs[*sp - 1]);
                        let r = self.binary(op, inplace, a, b)?;
                        self.drop_n(sp, 2);
                        self.push(sp, r);
                        return Ok(next);
                    }
                    SOp::Compare(c) => {
                        let (a, b) = (self.regs[*sp - 2], self.regs[*sp - 1]);
                        let r = self.compare(c, a, b)?;
                        self.drop_n(sp, 2);
                        self.push(sp, r);
                        return Ok(next);
                    }
                    _ => {}
                }
                let n_in = pyreg_spec::verify::stack_inputs(si.op, arg) as usize;
                let kept = pyreg_spec::reg::passed_through(si.op, arg) as usize;
                if *sp < base + code.nlocals + n_in {
                    return self.broken("stack underflow");
                }
                let ins = self.top_n(*sp, n_in);
                let outs = self.apply(code, pc, si.op, arg, &ins)?;
                self.drop_n(sp, n_in - kept.min(n_in));
                for v in outs {
                    self.push(sp, v);
                }
            }
        }
        Ok(next)
    }

    /// Leaves an except-handler block: the value stack back to its level,
    /// and the exception it saved handled again.
    fn unwind_except_handler(&mut self, base: usize, code: &VmCode, sp: &mut usize, b: Block) {
        let floor = base + code.nlocals + b.level as usize + 3;
        self.restore_handled(sp, floor);
    }

    /// Drops the values above `floor`, then pops the saved exception
    /// triple and makes its value the handled exception again.
    fn restore_handled(&mut self, sp: &mut usize, floor: usize) {
        while *sp > floor {
            let v = self.pop(sp);
            self.heap.decref(v);
        }
        let ty = self.pop(sp);
        let v = self.pop(sp);
        let tb = self.pop(sp);
        self.heap.decref(ty);
        self.heap.decref(tb);
        let old = std::mem::replace(&mut self.handling, v);
        self.heap.decref(old);
    }

    /// Unwinds stack frames to the innermost handler above frame `stop`;
    /// `Err` when the exception leaves frame `stop`.
    pub(super) fn unwind_stack(&mut self, e: Value, stop: usize) -> Res<()> {
        let mut e = e;
        loop {
            if self.frames.len() <= stop {
                return Err(Fault::Raise(e));
            }
            let Some(f) = self.frames.last() else {
                return Err(Fault::Raise(e));
            };
            let code = f.code.clone();
            let (pc, base) = (f.pc, f.base);
            let mut sp = f.sp.max(base + code.nlocals);
            self.record_traceback(e, &code, pc);
            loop {
                let b = self.frames.last_mut().and_then(|f| f.blocks.pop());
                let Some(b) = b else { break };
                if b.except_handler {
                    self.unwind_except_handler(base, &code, &mut sp, b);
                    continue;
                }
                let floor = base + code.nlocals + b.level as usize;
                while sp > floor {
                    let v = self.pop(&mut sp);
                    self.heap.decref(v);
                }
                let level = (sp - base - code.nlocals) as u32;
                for v in self.handler_entry(e) {
                    self.heap.incref(v);
                    self.push(&mut sp, v);
                }
                // `e`'s reference moves to `handling`.
                let old = std::mem::replace(&mut self.handling, e);
                self.heap.decref(old);
                if let Some(f) = self.frames.last_mut() {
                    f.blocks.push(Block {
                        except_handler: true,
                        handler: u32::MAX,
                        level,
                    });
                    f.pc = b.handler as usize;
                    f.sp = sp;
                }
                return Ok(());
            }
            let Some(mut f) = self.frames.pop() else {
                return Err(Fault::Raise(e));
            };
            f.sp = sp;
            if let Some(g) = f.gen {
                e = self.generator_raised(g, e);
            }
            self.drop_frame(f);
        }
    }

    /// Where `RETURN_VALUE` delivers in stack mode: the caller's stack.
    pub(super) fn push_result(&mut self, v: Value) {
        match self.frames.last_mut() {
            Some(caller) => {
                caller.pc += 1;
                let at = caller.sp;
                caller.sp += 1;
                let old = std::mem::replace(&mut self.regs[at], v);
                self.heap.decref(old);
            }
            None => self.heap.decref(v),
        }
    }

    /// Stack mode: `MAKE_FUNCTION` with its inputs in stack order.
    fn make_function_from(&mut self, code: &Rc<VmCode>, ins: &[Value], flags: u16) -> Res<Value> {
        let k = ins.len();
        let (co_v, qualname) = (ins[k - 2], ins[k - 1]);
        let co = match self.heap.obj(co_v) {
            Some(Obj::Code(c)) => c.clone(),
            _ => return gap("MAKE_FUNCTION without a code object"),
        };
        self.function_of(code, &co, qualname, flags, &ins[..k - 2])
    }
}
