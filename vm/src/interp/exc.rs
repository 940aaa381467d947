//! Exceptions: making them, raising, matching `except` clauses, unwinding
//! through the static exception table, and the traceback CPython prints.

use super::{Fault, Res, Vm};
use crate::code::VmCode;
use crate::dict::Dict;
use crate::heap::{ExcData, ExcKind, Instance, Obj};
use crate::value::{ObjRef, Value};
use pyreg_spec::reg::StaticBlock;
use std::rc::Rc;

impl Vm {
    /// A new exception of class `cls` with `args` (borrowed), owned.
    pub(super) fn new_exception(&mut self, cls: ObjRef, args: &[Value]) -> Value {
        for a in args {
            self.heap.incref(*a);
        }
        self.heap.incref(Value::Obj(cls));
        self.heap.alloc(Obj::Instance(Box::new(Instance {
            class: cls,
            dict: Dict::new(),
            exc: Some(Box::new(ExcData {
                args: args.to_vec(),
                cause: Value::Empty,
                context: Value::Empty,
                suppress: false,
                tb: Vec::new(),
            })),
        })))
    }

    /// A built-in exception with a message, raised.
    pub(super) fn error(&mut self, kind: ExcKind, msg: String) -> Fault {
        let m = self.str_value(&msg);
        let e = self.new_exception(self.types.exc(kind), &[m]);
        self.heap.decref(m);
        self.set_context(e);
        Fault::Raise(e)
    }

    /// A built-in exception with no arguments, raised.
    pub(super) fn error0(&mut self, kind: ExcKind) -> Fault {
        let e = self.new_exception(self.types.exc(kind), &[]);
        self.set_context(e);
        Fault::Raise(e)
    }

    /// A `MemoryError`, raised past the collections' size bound.
    pub(super) fn memory_error(&mut self) -> Fault {
        self.error0(ExcKind::MemoryError)
    }

    /// The exception data of `e`, if it is an exception.
    pub(super) fn exc_data(&self, e: Value) -> Option<&ExcData> {
        match self.heap.obj(e) {
            Some(Obj::Instance(i)) => i.exc.as_deref(),
            _ => None,
        }
    }

    fn exc_data_mut(&mut self, e: Value) -> Option<&mut ExcData> {
        match e.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::Instance(i)) => i.exc.as_deref_mut(),
            _ => None,
        }
    }

    /// Sets `__context__` of a newly raised `e` to the exception being
    /// handled, as CPython does when an exception is raised in a handler.
    pub(super) fn set_context(&mut self, e: Value) {
        let h = self.handling;
        if h == Value::None || h == e {
            return;
        }
        let unset = self.exc_data(e).is_some_and(|d| d.context == Value::Empty);
        if unset {
            self.heap.incref(h);
            if let Some(d) = self.exc_data_mut(e) {
                d.context = h;
            }
        }
    }

    /// Sets `__cause__` (`raise ... from c`).
    pub(super) fn set_cause(&mut self, e: Value, c: Value) -> Res<()> {
        let cause = if c == Value::None {
            Value::None
        } else {
            self.exception_of(c).map_err(|f| match f {
                Fault::Raise(x) => {
                    self.heap.decref(x);
                    self.error(
                        ExcKind::TypeError,
                        "exception causes must derive from BaseException".into(),
                    )
                }
                f => f,
            })?
        };
        if let Some(d) = self.exc_data_mut(e) {
            let old = std::mem::replace(&mut d.cause, cause);
            d.suppress = true;
            self.heap.decref(old);
        } else {
            self.heap.decref(cause);
        }
        Ok(())
    }

    /// The exception `raise v` raises (an instance, or a class called
    /// with no arguments), owned.
    pub(super) fn exception_of(&mut self, v: Value) -> Res<Value> {
        if self.exc_data(v).is_some() {
            self.heap.incref(v);
            return Ok(v);
        }
        if let Some(r) = v.obj() {
            if self.class(r).is_some_and(|c| c.exc.is_some()) {
                let e = self.call_value(v, &[], &[])?;
                if self.exc_data(e).is_some() {
                    return Ok(e);
                }
                let t = self.type_name(e);
                self.heap.decref(e);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!(
                        "calling {} should have returned an instance of BaseException, not {t}",
                        self.repr_class(r)
                    ),
                ));
            }
        }
        Err(self.error(
            ExcKind::TypeError,
            "exceptions must derive from BaseException".into(),
        ))
    }

    fn repr_class(&self, r: ObjRef) -> String {
        self.class(r)
            .map_or_else(String::new, |c| format!("<class '{}'>", c.qualname))
    }

    /// Whether exception `e` matches the `except` clause's `c` (a class
    /// or a tuple of them).
    pub(super) fn exc_matches(&mut self, e: Value, c: Value) -> Res<bool> {
        // The handler compares the exception's type (what the stack code
        // duplicated); an instance stands for its type.
        let t = match self.heap.obj(e) {
            Some(Obj::Class(_)) => e.obj().unwrap_or(self.type_of(e)),
            _ => self.type_of(e),
        };
        match self.heap.obj(c) {
            Some(Obj::Class(k)) if k.exc.is_some() => Ok(self.is_subclass(t, c.obj().unwrap_or(t))),
            Some(Obj::Tuple(xs)) => {
                let xs = xs.to_vec();
                for x in xs {
                    if self.exc_matches(e, x)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(self.error(
                ExcKind::TypeError,
                "catching classes that do not inherit from BaseException is not allowed".into(),
            )),
        }
    }

    /// Unwinds to the handler of the innermost frame above `stop` that
    /// has one; `Err` when the exception leaves frame `stop`.
    pub(super) fn unwind(&mut self, e: Value, stop: usize) -> Res<()> {
        if self.stack_mode {
            return self.unwind_stack(e, stop);
        }
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
            self.record_traceback(e, &code, pc);
            let mut handler = None;
            let mut restored = None;
            for b in code.rc.blocks(pc).iter().rev() {
                match *b {
                    StaticBlock::ExceptHandler { base: b } => {
                        restored = Some(self.regs[base + b as usize + 1]);
                    }
                    StaticBlock::Finally {
                        handler: h,
                        base: b,
                    } => {
                        handler = Some((h as usize, b as usize));
                        break;
                    }
                }
            }
            if let Some(r) = restored {
                self.heap.incref(r);
                let old = std::mem::replace(&mut self.handling, r);
                self.heap.decref(old);
            }
            if let Some((h, hb)) = handler {
                let end = base + code.nregs;
                for r in base + hb..end {
                    let old = std::mem::replace(&mut self.regs[r], Value::Empty);
                    self.heap.decref(old);
                }
                let six = self.handler_entry(e);
                for (k, v) in six.iter().enumerate() {
                    if base + hb + k < end {
                        self.heap.incref(*v);
                        self.regs[base + hb + k] = *v;
                    }
                }
                // `e`'s reference moves to `handling`; the old one drops.
                let old = std::mem::replace(&mut self.handling, e);
                self.heap.decref(old);
                if let Some(f) = self.frames.last_mut() {
                    f.pc = h;
                }
                return Ok(());
            }
            let Some(f) = self.frames.pop() else {
                return Err(Fault::Raise(e));
            };
            if let Some(g) = f.gen {
                e = self.generator_raised(g, e);
            }
            self.drop_frame(f);
        }
    }

    /// A bare `raise`: the exception being handled again, its traceback
    /// as it was; `RuntimeError` when there is none.
    pub(super) fn reraise_handled(&mut self) -> Fault {
        let h = self.handling;
        if h == Value::None {
            return self.error(
                ExcKind::RuntimeError,
                "No active exception to reraise".into(),
            );
        }
        self.heap.incref(h);
        self.reraising = true;
        Fault::Raise(h)
    }

    /// Adds the frame of `code` at `pc` to `e`'s traceback, unless `e`
    /// is being re-raised (RERAISE and a bare `raise` restore the
    /// traceback as it was).
    pub(super) fn record_traceback(&mut self, e: Value, code: &Rc<VmCode>, pc: usize) {
        if std::mem::take(&mut self.reraising) {
            return;
        }
        if let Some(d) = self.exc_data_mut(e) {
            d.tb.push((code.clone(), pc));
        }
    }

    /// What a handler receives, in stack order (both modes): the previous
    /// exception triple then the new one (tracebacks as `None`), borrowed.
    pub(super) fn handler_entry(&self, e: Value) -> [Value; 6] {
        let prev = self.handling;
        [
            Value::None,
            prev,
            self.exc_type_value(prev),
            Value::None,
            e,
            self.exc_type_value(e),
        ]
    }

    /// `type(e)` for the handler's registers (`None` for `None`), borrowed.
    fn exc_type_value(&self, e: Value) -> Value {
        if e == Value::None || e == Value::Empty {
            Value::None
        } else {
            Value::Obj(self.type_of(e))
        }
    }

    /// The exit status when `e` is a `SystemExit` (printing its message as
    /// CPython does), else `None`.
    pub(super) fn system_exit(&mut self, e: Value) -> Option<i32> {
        let t = self.type_of(e);
        if !self.is_subclass(t, self.types.exc(ExcKind::SystemExit)) {
            return None;
        }
        let arg = self.exc_data(e).and_then(|d| {
            if d.args.len() == 1 {
                Some(d.args[0])
            } else {
                None
            }
        });
        Some(match arg {
            None | Some(Value::None) => 0,
            Some(Value::Int(i)) => i as i32,
            Some(Value::Bool(b)) => i32::from(b),
            Some(v) => {
                let s = self.str_of(v).unwrap_or_default();
                self.stderr_extra.push_str(&s);
                self.stderr_extra.push('\n');
                1
            }
        })
    }

    /// The traceback CPython prints for an uncaught `e`, with the chained
    /// exceptions before it.
    pub(super) fn traceback_text(&mut self, e: Value) -> String {
        let mut s = String::new();
        let data = self.exc_data(e).map(|d| (d.cause, d.context, d.suppress));
        if let Some((cause, context, suppress)) = data {
            if cause != Value::Empty && cause != Value::None {
                s.push_str(&self.chained_text(cause));
                s.push_str(
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                );
            } else if !suppress && context != Value::Empty && context != Value::None {
                s.push_str(&self.chained_text(context));
                s.push_str(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                );
            }
        }
        s.push_str("Traceback (most recent call last):\n");
        let tb = self.exc_data(e).map(|d| d.tb.clone()).unwrap_or_default();
        // Repeated identical lines are folded as CPython folds them.
        let mut last: Option<String> = None;
        let mut count = 0;
        for (code, pc) in tb.iter().rev() {
            let line = self.frame_line(code, *pc);
            if last.as_deref() == Some(line.as_str()) {
                count += 1;
                if count > 3 {
                    continue;
                }
            } else {
                if count > 3 {
                    s.push_str(&format!(
                        "  [Previous line repeated {} more times]\n",
                        count - 3
                    ));
                }
                count = 1;
                last = Some(line.clone());
            }
            s.push_str(&line);
        }
        if count > 3 {
            s.push_str(&format!(
                "  [Previous line repeated {} more times]\n",
                count - 3
            ));
        }
        s.push_str(&self.exception_line(e));
        s
    }

    fn chained_text(&mut self, e: Value) -> String {
        // Without a traceback, CPython prints no "Traceback" header.
        let has_tb = self.exc_data(e).is_some_and(|d| !d.tb.is_empty());
        let full = self.traceback_text(e);
        if has_tb {
            full
        } else {
            full.replacen("Traceback (most recent call last):\n", "", 1)
        }
    }

    fn frame_line(&self, code: &crate::code::VmCode, pc: usize) -> String {
        let origin = Vm::origin(code, pc) as usize;
        let offset = code.offsets.get(origin).copied().unwrap_or(0);
        let line = code.co.line_of(offset);
        let file = code.co.filename.to_string_lossy();
        let mut s = format!(
            "  File \"{file}\", line {line}, in {}\n",
            code.co.name.to_string_lossy()
        );
        if let Some(src) = self.sources.get(&file) {
            if let Some(l) = src.lines().nth((line - 1).max(0) as usize) {
                s.push_str(&format!("    {}\n", l.trim()));
            }
        }
        s
    }

    /// `Name: message`, the last line of a traceback.
    pub(super) fn exception_line(&mut self, e: Value) -> String {
        let t = self.type_of(e);
        let mut name = self
            .class(t)
            .map_or_else(String::new, |c| c.name.to_string());
        if let Some(c) = self.class(t).filter(|c| c.user) {
            let module = super::types::dict_get_str(&self.heap, &c.dict, "__module__")
                .and_then(|m| self.heap.as_str(m).map(String::from));
            if let Some(m) = module.filter(|m| m != "builtins") {
                name = format!("{m}.{name}");
            }
        }
        let msg = match self.str_of(e) {
            Ok(m) => m,
            Err(f) => {
                self.drop_fault(f);
                "<exception str() failed>".into()
            }
        };
        if msg.is_empty() {
            format!("{name}\n")
        } else {
            format!("{name}: {msg}\n")
        }
    }

    /// Drops a fault that cannot be reported.
    pub(super) fn drop_fault(&mut self, f: Fault) {
        if let Fault::Raise(x) = f {
            self.heap.decref(x);
        }
    }
}
