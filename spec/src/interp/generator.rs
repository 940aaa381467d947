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
