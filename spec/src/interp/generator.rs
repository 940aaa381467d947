//! Generators: a suspended frame resumed by `next`, `send` and `throw`.

use super::ops::NativeReturn;
use super::{Fault, Frame, Machine, PyResult};
use crate::code::PyStr;
use crate::object::{Obj, ObjId, Value};

/// A generator object's state.
#[derive(Clone, Debug)]
pub struct GeneratorState {
    /// The suspended frame; `None` once the generator has finished.
    pub frame: Option<Frame>,
    /// Whether it has run at all (a value may only be sent once started).
    pub started: bool,
    /// Whether it is running now (re-entering it is a `ValueError`).
    pub running: bool,
    /// `__name__`.
    pub name: PyStr,
    /// `__qualname__`.
    pub qualname: PyStr,
    /// `gi_code`, kept after the frame is gone.
    pub code: std::sync::Arc<crate::code::CodeObject>,
}

/// How a resumed generator answered.
pub enum Resumed {
    /// It yielded a value.
    Yielded(Value),
    /// It returned (raising `StopIteration(value)` to its caller).
    Returned(Value),
}

impl Machine {
    fn gen_state(&mut self, g: ObjId) -> &mut GeneratorState {
        match self.heap.get_mut(g) {
            Obj::Generator(s) => s,
            _ => unreachable!("generator ids name generators"),
        }
    }

    /// Resumes generator `g`, sending `value` (or throwing `throw`).
    pub fn resume(&mut self, g: ObjId, value: Value, throw: Option<ObjId>) -> PyResult<Resumed> {
        let st = self.gen_state(g).clone();
        if st.running {
            return Err(self.new_error("ValueError", "generator already executing".into()));
        }
        let Some(mut frame) = st.frame else {
            if let Some(e) = throw {
                return Err(Fault::Raise(e));
            }
            return Ok(Resumed::Returned(Value::None));
        };
        if let (Some(e), true) = (throw, st.started) {
            if let Some(inner) = Self::delegating_to(&frame) {
                return self.throw_through(g, inner, e);
            }
        }
        if !st.started && !matches!(value, Value::None) && throw.is_none() {
            return Err(
                self.type_error("can't send non-None value to a just-started generator".into())
            );
        }
        if st.started && throw.is_none() {
            frame.stack.push(value);
        }
        frame.returns_to_native = true;
        {
            let s = self.gen_state(g);
            s.frame = None;
            s.started = true;
            s.running = true;
        }
        let result = match throw {
            None => self.run_nested(frame),
            Some(e) => {
                self.push_frame(frame)?;
                let base = self.frames.len();
                self.raise_in_top_frame(e, true);
                self.finish_nested(base)
            }
        };
        self.gen_state(g).running = false;
        match result {
            Ok(NativeReturn::Yielded(v)) => Ok(Resumed::Yielded(v)),
            Ok(NativeReturn::Returned(v)) => Ok(Resumed::Returned(v)),
            Err(Fault::Raise(e))
                if self.is_instance(&Value::Obj(e), self.types.get("StopIteration")) =>
            {
                // PEP 479: a StopIteration escaping a generator body.
                let err = self.new_error("RuntimeError", "generator raised StopIteration".into());
                if let Fault::Raise(r) = &err {
                    let r = *r;
                    if let Some(s) = self.exc_state_mut(r) {
                        s.cause = Some(Value::Obj(e));
                        s.context = Some(Value::Obj(e));
                        s.suppress_context = true;
                    }
                }
                Err(err)
            }
            Err(f) => Err(f),
        }
    }

    /// The sub-iterator a suspended frame is delegating to with `yield
    /// from` (it sits on top of the stack while the frame waits at its
    /// `YIELD_FROM`).
    fn delegating_to(frame: &Frame) -> Option<Value> {
        if let Some(code) = &frame.reg {
            let ins = code.instrs.get(frame.rpc)?;
            if ins.op != crate::reg::RegOp::YieldFrom {
                return None;
            }
            let crate::reg::Rk::Reg(r) = *ins.ins.first()? else {
                return None;
            };
            return frame.fast.get(r as usize).cloned().flatten();
        }
        let ins = frame.decoded.instructions.get(frame.pc)?;
        if ins.opcode != crate::opcode::Opcode::YieldFrom {
            return None;
        }
        frame.stack.last().cloned()
    }

    /// `gen.throw(e)` while `g` delegates to `inner` (`_gen_throw`): the
    /// exception goes to the sub-iterator first; if that finishes, `g`
    /// leaves its `YIELD_FROM` and continues with the result or the
    /// exception.
    fn throw_through(&mut self, g: ObjId, inner: Value, e: ObjId) -> PyResult<Resumed> {
        self.gen_state(g).running = true;
        let r = match &inner {
            Value::Obj(i) if matches!(self.heap.get(*i), Obj::Generator(_)) => {
                self.resume(*i, Value::None, Some(e))
            }
            _ => {
                let ge = self.types.get("GeneratorExit");
                let is_exit = self.is_instance(&Value::Obj(e), ge);
                let method = if is_exit { "close" } else { "throw" };
                match self.get_attr_opt(&inner, &PyStr::from(method))? {
                    Some(f) => {
                        let args = if is_exit { vec![] } else { vec![Value::Obj(e)] };
                        match self.call(f, args, vec![]) {
                            Ok(v) if !is_exit => Ok(Resumed::Yielded(v)),
                            Ok(_) => Err(Fault::Raise(e)),
                            Err(Fault::Raise(x))
                                if self.is_instance(
                                    &Value::Obj(x),
                                    self.types.get("StopIteration"),
                                ) =>
                            {
                                let v = self
                                    .exc_state(x)
                                    .and_then(|s| s.args.first().cloned())
                                    .unwrap_or(Value::None);
                                Ok(Resumed::Returned(v))
                            }
                            Err(f) => Err(f),
                        }
                    }
                    None => Err(Fault::Raise(e)),
                }
            }
        };
        self.gen_state(g).running = false;
        let finished = match r {
            Ok(Resumed::Yielded(y)) => return Ok(Resumed::Yielded(y)),
            Ok(Resumed::Returned(v)) => Ok(v),
            Err(Fault::Raise(x)) => Err(x),
            Err(f) => return Err(f),
        };
        // The sub-iterator is done: pop it and step past YIELD_FROM.
        if let Some(frame) = self.gen_state(g).frame.as_mut() {
            match frame.reg.clone() {
                Some(code) => {
                    // The result lands in YIELD_FROM's output register.
                    frame.pending = code
                        .instrs
                        .get(frame.rpc)
                        .and_then(|i| i.outs.first().copied());
                    frame.rlast = frame.rpc;
                    frame.rpc += 1;
                }
                None => {
                    frame.stack.pop();
                    frame.pc += 1;
                }
            }
        }
        match finished {
            Ok(v) => {
                // The result of `yield from` is pushed as a sent value would be.
                self.resume(g, v, None)
            }
            Err(x) => {
                // The exception is raised at the YIELD_FROM, as CPython's
                // advanced f_lasti reports it.
                if let Some(frame) = self.gen_state(g).frame.as_mut() {
                    if frame.reg.is_none() {
                        frame.last = frame.pc - 1;
                    }
                }
                self.resume_raising(g, x)
            }
        }
    }

    /// Resumes `g` by raising `e` at its current instruction, with no
    /// delegation (the sub-iterator has already been told).
    fn resume_raising(&mut self, g: ObjId, e: ObjId) -> PyResult<Resumed> {
        let Some(mut frame) = self.gen_state(g).frame.take() else {
            return Err(Fault::Raise(e));
        };
        frame.returns_to_native = true;
        self.gen_state(g).running = true;
        self.push_frame(frame)?;
        let base = self.frames.len();
        self.raise_in_top_frame(e, true);
        let result = self.finish_nested(base);
        self.gen_state(g).running = false;
        match result {
            Ok(NativeReturn::Yielded(v)) => Ok(Resumed::Yielded(v)),
            Ok(NativeReturn::Returned(v)) => Ok(Resumed::Returned(v)),
            Err(f) => Err(f),
        }
    }

    /// `next(g)` for a generator: `None` when it is exhausted.
    pub fn generator_next(&mut self, g: ObjId) -> PyResult<Option<Value>> {
        match self.resume(g, Value::None, None)? {
            Resumed::Yielded(v) => Ok(Some(v)),
            Resumed::Returned(_) => Ok(None),
        }
    }

    /// Steps the machine until the frame at depth `base` finishes.
    pub fn finish_nested(&mut self, base: usize) -> PyResult<NativeReturn> {
        loop {
            if self.frames.len() < base {
                return match self.native_return.take() {
                    Some(Ok(r)) => Ok(r),
                    Some(Err(e)) => Err(Fault::Raise(e)),
                    None => Err(Fault::Stuck("nested frame ended without a result".into())),
                };
            }
            crate::interp::stack_step::step_mut(self)?;
        }
    }
}
