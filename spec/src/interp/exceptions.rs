//! Raising exceptions, chaining them, and printing tracebacks as CPython 3.9
//! does.

use super::{text, Fault, Machine, PyResult};
use crate::code::PyStr;
use crate::object::{Dict, ExceptionState, Obj, ObjId, TracebackEntry, Value};

impl Machine {
    /// Makes an instance of exception class `class` with `args`.
    pub fn make_exception(&mut self, class: ObjId, args: Vec<Value>) -> ObjId {
        let dict = self.heap.alloc(Obj::Dict(Dict::default()));
        self.heap.alloc(Obj::Instance {
            class,
            dict,
            base: None,
            slots: Vec::new(),
            exception: Some(Box::new(ExceptionState {
                args,
                ..ExceptionState::default()
            })),
        })
    }

    /// A fault raising built-in exception `name` with one string argument,
    /// chained to the exception being handled (`_PyErr_SetObject`).
    pub fn new_error(&mut self, name: &str, msg: String) -> Fault {
        self.new_error_args(name, vec![Value::Str(PyStr::from(msg.as_str()))])
    }

    /// A fault raising built-in exception `name` with the given arguments,
    /// chained to the exception being handled.
    pub fn new_error_args(&mut self, name: &str, args: Vec<Value>) -> Fault {
        let class = self.types.get(name);
        let e = self.make_exception(class, args);
        self.chain_context(e);
        Fault::Raise(e)
    }

    /// The exception state of an exception instance.
    pub fn exc_state(&self, e: ObjId) -> Option<&ExceptionState> {
        match self.heap.get(e) {
            Obj::Instance { exception, .. } => exception.as_deref(),
            _ => None,
        }
    }

    /// The exception state of an exception instance, for update.
    pub fn exc_state_mut(&mut self, e: ObjId) -> Option<&mut ExceptionState> {
        match self.heap.get_mut(e) {
            Obj::Instance { exception, .. } => exception.as_deref_mut(),
            _ => None,
        }
    }

    /// Whether `v` is an exception instance.
    pub fn is_exception(&self, v: &Value) -> bool {
        let be = self.types.base_exception;
        self.is_instance(v, be)
    }

    /// Whether `v` is an exception class.
    pub fn is_exception_class(&self, v: &Value) -> bool {
        match v {
            Value::Obj(id) if self.is_type(v) => self.is_subtype(*id, self.types.base_exception),
            _ => false,
        }
    }

    /// Sets `__context__` of a newly raised exception to the exception
    /// being handled, as `_PyErr_SetObject` does (never making a cycle).
    pub fn chain_context(&mut self, e: ObjId) {
        let Some(handling) = self.handling else {
            return;
        };
        if handling == e {
            return;
        }
        // Break a cycle the new context would close, as CPython does.
        let mut o = handling;
        loop {
            let next = self.exc_state(o).and_then(|s| s.context.clone());
            match next {
                Some(Value::Obj(n)) if n == e => {
                    if let Some(s) = self.exc_state_mut(o) {
                        s.context = None;
                    }
                    break;
                }
                Some(Value::Obj(n)) => o = n,
                _ => break,
            }
        }
        if let Some(s) = self.exc_state_mut(e) {
            s.context = Some(Value::Obj(handling));
        }
    }

    /// Adds a traceback entry for the running instruction of the top frame
    /// (`PyTraceBack_Here`).
    pub fn add_traceback_here(&mut self, e: ObjId) {
        let Some(f) = self.frames.back() else {
            return;
        };
        let code = f.code.clone();
        let offset = f.decoded.instructions.get(f.last).map_or(0, |i| i.offset);
        let line = code.line_of(offset);
        if let Some(s) = self.exc_state_mut(e) {
            s.traceback.push(TracebackEntry { code, line });
        }
    }

    /// Turns the operand of `raise` into an exception instance: a class is
    /// called with no arguments; anything else that is not an exception is a
    /// `TypeError`.
    pub fn exception_from(&mut self, v: Value) -> PyResult<ObjId> {
        if self.is_exception_class(&v) {
            let r = self.call(v, vec![], vec![])?;
            if self.is_exception(&r) {
                if let Value::Obj(id) = r {
                    return Ok(id);
                }
            }
            return Err(self.type_error(format!(
                "calling {} should have returned an instance of BaseException, not {}",
                "exception class",
                self.type_name_of(&r)
            )));
        }
        if self.is_exception(&v) {
            if let Value::Obj(id) = v {
                return Ok(id);
            }
        }
        Err(self.type_error("exceptions must derive from BaseException".into()))
    }

    /// `str(e)` of an exception: empty for no args, `str(arg)` for one,
    /// the tuple's repr for several; `KeyError` uses `repr` for one arg.
    pub fn exception_str(&mut self, e: ObjId) -> PyResult<String> {
        let class = self.type_of(&Value::Obj(e));
        // A user-defined __str__ wins over the built-in rules.
        if let Some(f) = self.lookup_in_mro(class, &PyStr::from("__str__")) {
            if !self.is_builtin_slot(&f) {
                let r = self.call(f, vec![Value::Obj(e)], vec![])?;
                return self.str_of(&r);
            }
        }
        self.exception_args_str(e)
    }

    /// `BaseException.__str__` (and `KeyError.__str__`, `OSError.__str__`):
    /// the message from the arguments alone.
    pub fn exception_args_str(&mut self, e: ObjId) -> PyResult<String> {
        let args = self
            .exc_state(e)
            .map(|s| s.args.clone())
            .unwrap_or_default();
        let class = self.type_of(&Value::Obj(e));
        let key_error = self.types.get("KeyError");
        let os_error = self.types.get("OSError");
        if self.is_subtype(class, os_error) && (2..=3).contains(&args.len()) {
            let errno = self.str_of(&args[0])?;
            let strerror = self.str_of(&args[1])?;
            return Ok(format!("[Errno {errno}] {strerror}"));
        }
        match args.len() {
            0 => Ok(String::new()),
            1 if self.is_subtype(class, key_error) => self.repr_of(&args[0]),
            1 => self.str_of(&args[0]),
            _ => self.repr_of(&Value::tuple(args)),
        }
    }

    /// `BaseException.__repr__`: `Name(arg, ...)`.
    pub fn exception_repr(&mut self, v: &Value) -> PyResult<String> {
        let Value::Obj(e) = v else {
            return self.repr_of(v);
        };
        let class = self.type_of(v);
        let n = self.type_name(class);
        let args = self
            .exc_state(*e)
            .map(|s| s.args.clone())
            .unwrap_or_default();
        let mut parts = Vec::with_capacity(args.len());
        for a in &args {
            parts.push(self.repr_of(a)?);
        }
        Ok(format!("{n}({})", parts.join(", ")))
    }

    /// The last line of a traceback: `KeyError: 'missing'`, or just the
    /// qualified class name when the message is empty.
    fn exception_line(&mut self, e: ObjId) -> PyResult<String> {
        let class = self.type_of(&Value::Obj(e));
        let t = self.type_object(class);
        let module = text(&t.module);
        let name = text(&t.qualname);
        let full = if module == "builtins" {
            name
        } else {
            format!("{module}.{name}")
        };
        let msg = self.exception_str(e)?;
        Ok(if msg.is_empty() {
            full
        } else {
            format!("{full}: {msg}")
        })
    }

    /// Formats the traceback of an uncaught exception, its causes and
    /// contexts first, as `PyErr_Print` does.
    pub fn format_exception(&mut self, e: ObjId) -> PyResult<String> {
        let mut seen = vec![e];
        let mut chain = vec![(e, "")];
        let mut cur = e;
        while let Some(s) = self.exc_state(cur) {
            let (next, note) = if let Some(Value::Obj(c)) = s.cause.clone() {
                (
                    c,
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                )
            } else if let (Some(Value::Obj(c)), false) = (s.context.clone(), s.suppress_context) {
                (
                    c,
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                )
            } else {
                break;
            };
            if seen.contains(&next) {
                break;
            }
            seen.push(next);
            chain.push((next, note));
            cur = next;
        }
        let mut out = String::new();
        for (i, &(ex, _)) in chain.iter().enumerate().rev() {
            out.push_str(&self.format_one(ex)?);
            if i > 0 {
                out.push_str(chain[i].1);
            }
        }
        Ok(out)
    }

    fn format_one(&mut self, e: ObjId) -> PyResult<String> {
        let entries: Vec<TracebackEntry> = self
            .exc_state(e)
            .map(|s| s.traceback.iter().rev().cloned().collect())
            .unwrap_or_default();
        let mut out = String::new();
        if !entries.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
        }
        // CPython folds runs of more than three identical lines.
        let mut last: Option<(String, i64, String)> = None;
        let mut repeats = 0usize;
        let flush = |out: &mut String, repeats: usize| {
            if repeats > 3 {
                let n = repeats - 3;
                out.push_str(&format!(
                    "  [Previous line repeated {n} more time{}]\n",
                    if n > 1 { "s" } else { "" }
                ));
            }
        };
        for entry in entries {
            let file = text(&entry.code.filename);
            let name = text(&entry.code.name);
            let key = (file.clone(), entry.line, name.clone());
            if last.as_ref() == Some(&key) {
                repeats += 1;
                if repeats > 3 {
                    continue;
                }
            } else {
                flush(&mut out, repeats);
                repeats = 1;
                last = Some(key);
            }
            out.push_str(&format!(
                "  File \"{file}\", line {}, in {name}\n",
                entry.line
            ));
            if let Some(src) = self.source_line(&file, entry.line) {
                out.push_str(&format!("    {src}\n"));
            }
        }
        flush(&mut out, repeats);
        out.push_str(&self.exception_line(e)?);
        out.push('\n');
        Ok(out)
    }

    /// Line `line` of file `file`, stripped, if its source is known.
    fn source_line(&self, file: &str, line: i64) -> Option<String> {
        let src = self.sources.get(file)?;
        let idx = usize::try_from(line).ok()?.checked_sub(1)?;
        let l = src.lines().nth(idx)?;
        let t = l.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}
