//! Calls: the register-window fast path, calls from native code (a nested
//! dispatch loop until the pushed frame returns), argument binding with
//! CPython's error messages, classes called, functions made.

use super::{Fault, Frame, Next, Res, Vm, RECURSION_LIMIT, RET_NATIVE};
use crate::code::{Ins, VmCode, CONST};
use crate::dict::Dict;
use crate::heap::{ExcKind, Function, Gen, GenState, Instance, Obj, Ty};
use crate::value::{ObjRef, Value};
use pyreg_spec::code::flags;
use std::rc::Rc;

/// Code flags that make a call create a generator instead of running.
const GENERATOR_FLAGS: u32 = flags::GENERATOR | flags::COROUTINE | flags::ASYNC_GENERATOR;

impl Vm {
    /// The fast path of `CALL_FUNCTION` (and of `CALL_METHOD` on a method
    /// `LOAD_METHOD` found) for a Python function with the right number of
    /// positional arguments and nothing else: the arguments, the operands
    /// `extra[args]`, go straight from the caller's registers into the
    /// callee's window. `false` when `f` is anything else.
    #[inline(always)]
    pub(super) fn call_python(
        &mut self,
        code: &VmCode,
        base: usize,
        pc: usize,
        ins: &Ins,
        f: Value,
        args: std::ops::Range<usize>,
    ) -> Res<bool> {
        let (d, given) = (args.start, args.len());
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
        // The instance is `__init__`'s first argument.
        let (at, given) = if init == Value::Empty {
            (0, given)
        } else {
            (1, given + 1)
        };
        let callee = &func.code;
        let nargs = callee.nargs;
        if given > nargs || given + ndefaults < nargs || !callee.simple {
            return Ok(false);
        }
        let callee = callee.clone();
        if self.frames.len() >= RECURSION_LIMIT {
            self.heap.decref(init);
            return Err(self.error(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded".into(),
            ));
        }
        // Taken before the call's inputs are consumed: that may drop the
        // last reference to the function itself.
        let closure = self.closure_of(fr);
        let new_base = self.top;
        self.open_window(new_base, callee.nregs);
        if at == 1 {
            self.regs[new_base] = self.heap.own(init);
        }
        for k in at..given {
            let v = self.get(code, base, code.extra[d + k - at]);
            self.heap.incref(v);
            self.regs[new_base + k] = v;
        }
        for k in given..nargs {
            let v = match self.heap.get(fr) {
                Obj::Function(func) => func.defaults[k + ndefaults - nargs],
                _ => Value::None,
            };
            self.heap.incref(v);
            self.regs[new_base + k] = v;
        }
        self.consume(code, base, ins);
        // The caller stays at the call: an exception unwinding into it
        // finds the call's handlers and line; a return resumes after it.
        if let Some(f) = self.frames.last_mut() {
            f.pc = pc;
        }
        let cells = if callee.cell_args.is_empty() && closure.is_empty() {
            Vec::new()
        } else {
            self.make_cells(&callee, new_base, closure)
        };
        self.frames.push(Frame {
            code: callee,
            pc: 0,
            base: new_base,
            ret: ins.a,
            cells,
            locals: Value::Empty,
            gen: None,
            sp: 0,
            blocks: Vec::new(),
            init,
        });
        Ok(true)
    }

    /// For a call of class `cls` with `given` positional arguments and
    /// nothing else, when making the instance is `object.__new__` then a
    /// Python `__init__` that binds them positionally and can only return
    /// `None`: that `__init__` and the new instance (owned), for the
    /// dispatch loop to push `__init__`'s frame instead of running it in
    /// a nested loop. `None` leaves the call to [`Vm::call_class`].
    pub(super) fn plain_init(&mut self, cls: ObjRef, given: usize) -> Option<(ObjRef, Value)> {
        let c = self.class(cls)?;
        if !c.user || c.ty != Ty::Object {
            return None;
        }
        if self
            .lookup_static(cls, "__new__")
            .is_some_and(|(_, owner)| self.class(owner).is_some_and(|c| c.user))
        {
            return None;
        }
        let (init, owner) = self.lookup_static(cls, "__init__")?;
        if !self.class(owner).is_some_and(|c| c.user) {
            return None;
        }
        let fr = init.obj()?;
        let Obj::Function(func) = self.heap.get(fr) else {
            return None;
        };
        let (nargs, ndefaults) = (func.code.nargs, func.defaults.len());
        if !func.code.simple
            || !func.code.returns_none
            || given + 1 > nargs
            || given + 1 + ndefaults < nargs
        {
            return None;
        }
        self.heap.incref(Value::Obj(cls));
        let obj = self.heap.alloc(Obj::Instance(Box::new(Instance {
            class: cls,
            dict: Dict::new(),
            exc: None,
        })));
        Some((fr, obj))
    }

    /// The closure cells of function `fr`, with references taken.
    pub(super) fn closure_of(&mut self, fr: ObjRef) -> Vec<Value> {
        let closure = match self.heap.get(fr) {
            Obj::Function(func) if !func.closure.is_empty() => func.closure.to_vec(),
            _ => return Vec::new(),
        };
        for c in &closure {
            self.heap.incref(*c);
        }
        closure
    }

    /// Pops the frame, delivering the owned `v` to its caller.
    pub(super) fn return_value(&mut self, v: Value) {
        let Some(f) = self.frames.pop() else {
            self.heap.decref(v);
            return;
        };
        let ret = f.ret;
        let mut f = f;
        let v = if f.init == Value::Empty {
            v
        } else {
            // `__init__` returned `None` (its code returns nothing else):
            // the call's result is the instance.
            self.heap.decref(v);
            std::mem::replace(&mut f.init, Value::Empty)
        };
        if let Some(g) = f.gen {
            if let Obj::Generator(gen) = self.heap.get_mut(g) {
                gen.state = GenState::Done;
            }
            self.yielded = false;
        }
        let for_iter = f.gen.is_some() && ret != RET_NATIVE;
        self.drop_frame(f);
        if for_iter {
            // A generator a FOR_ITER runs returned: the loop is over.
            self.heap.decref(v);
            self.end_for_iter(ret);
            return;
        }
        if ret == RET_NATIVE {
            let old = std::mem::replace(&mut self.native_result, v);
            self.heap.decref(old);
            return;
        }
        if ret == super::stack::RET_PUSH {
            self.push_result(v);
            return;
        }
        match self.frames.last_mut() {
            Some(caller) => {
                caller.pc += 1;
                let cb = caller.base;
                self.put(cb, ret, v);
            }
            None => self.heap.decref(v),
        }
    }

    /// Runs the frame just pushed (by native code) to its end: its
    /// result, owned.
    pub(super) fn run_pushed(&mut self) -> Res<Value> {
        let depth = self.frames.len() - 1;
        self.run_loop(depth)?;
        Ok(std::mem::replace(&mut self.native_result, Value::Empty))
    }

    /// `f(*args, **kwargs)` from native code: the result, owned. `kwargs`
    /// pairs a `str` name with its value; all borrowed.
    pub(super) fn call_value(
        &mut self,
        f: Value,
        args: &[Value],
        kwargs: &[(Value, Value)],
    ) -> Res<Value> {
        let Some(fr) = f.obj() else {
            return Err(self.not_callable(f));
        };
        match self.heap.get(fr) {
            Obj::Function(_) => {
                if self.frames.len() >= RECURSION_LIMIT {
                    return Err(self.error(
                        ExcKind::RecursionError,
                        "maximum recursion depth exceeded".into(),
                    ));
                }
                let callee = match self.heap.get(fr) {
                    Obj::Function(func) => func.code.clone(),
                    _ => return self.broken("a function"),
                };
                let new_base = self.top;
                self.open_window(new_base, callee.nregs);
                if let Err(e) = self.bind_args(fr, &callee, new_base, args, kwargs) {
                    self.close_window(new_base);
                    return Err(e);
                }
                let closure = self.closure_of(fr);
                let cells = self.make_cells(&callee, new_base, closure);
                if callee.co.flags & GENERATOR_FLAGS != 0 {
                    return self.make_generator(fr, callee, new_base, cells);
                }
                self.frames.push(Frame {
                    code: callee,
                    pc: 0,
                    base: new_base,
                    ret: RET_NATIVE,
                    cells,
                    locals: Value::Empty,
                    gen: None,
                    sp: 0,
                    blocks: Vec::new(),
                    init: Value::Empty,
                });
                self.run_pushed()
            }
            Obj::BoundMethod(func, this) => {
                let (func, this) = (*func, *this);
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(this);
                all.extend_from_slice(args);
                self.call_value(func, &all, kwargs)
            }
            Obj::Builtin(i) => {
                let i = *i;
                super::builtins::call(self, i, args, kwargs)
            }
            Obj::ModuleFn(i) => {
                let i = *i;
                super::modules::call(self, i, args, kwargs)
            }
            Obj::BoundBuiltin(i, this) => {
                let (i, this) = (*i, *this);
                super::methods::call(self, i, this, args, kwargs)
            }
            Obj::Class(_) => self.call_class(fr, args, kwargs),
            Obj::Instance(_) => match self.special(f, "__call__") {
                Some(m) => {
                    let mut all = vec![f];
                    all.extend_from_slice(args);
                    self.call_value(m, &all, kwargs)
                }
                None => Err(self.not_callable(f)),
            },
            _ => Err(self.not_callable(f)),
        }
    }

    /// A generator made by calling a generator function: the bound
    /// window moves into it.
    fn make_generator(
        &mut self,
        fr: ObjRef,
        code: Rc<VmCode>,
        base: usize,
        cells: Vec<Value>,
    ) -> Res<Value> {
        let regs: Box<[Value]> = (base..base + code.nregs)
            .map(|r| std::mem::replace(&mut self.regs[r], Value::Empty))
            .collect();
        self.close_window(base);
        let code_nlocals = code.nlocals;
        let (name, qualname) = match self.heap.get(fr) {
            Obj::Function(func) => (func.name.clone(), func.qualname.clone()),
            _ => ("<generator>".into(), "<generator>".into()),
        };
        Ok(self.heap.alloc(Obj::Generator(Box::new(Gen {
            code,
            regs,
            cells,
            pc: 0,
            sp: code_nlocals,
            blocks: Vec::new(),
            state: GenState::Created,
            name,
            qualname,
        }))))
    }

    /// Binds a call's arguments into the window at `base` (the parameters
    /// first, `*args` and `**kwargs` after them), as CPython's
    /// `_PyEval_EvalCode` does, with its error messages.
    fn bind_args(
        &mut self,
        fr: ObjRef,
        code: &VmCode,
        base: usize,
        args: &[Value],
        kwargs: &[(Value, Value)],
    ) -> Res<()> {
        let co = code.co.clone();
        let nargs = co.argcount as usize;
        let nkwonly = co.kwonlyargcount as usize;
        let nposonly = co.posonlyargcount as usize;
        let has_var = co.flags & flags::VARARGS != 0;
        let has_kw = co.flags & flags::VARKEYWORDS != 0;
        // CPython 3.9 names the code object in these messages (3.10 moved
        // to the qualified name).
        let fname = co.name.to_string_lossy();
        let (defaults, kwdefaults) = match self.heap.get(fr) {
            Obj::Function(f) => (f.defaults.to_vec(), f.kwdefaults),
            _ => (Vec::new(), Value::None),
        };
        let name_at = |k: usize| co.varnames[k].to_string_lossy();
        let set = |vm: &mut Vm, k: usize, v: Value| {
            vm.heap.incref(v);
            let old = std::mem::replace(&mut vm.regs[base + k], v);
            vm.heap.decref(old);
        };
        let npos = args.len().min(nargs);
        for (k, v) in args.iter().take(npos).enumerate() {
            set(self, k, *v);
        }
        let mut slot = nargs + nkwonly;
        if has_var {
            let extra: Vec<Value> = args[npos..].to_vec();
            for v in &extra {
                self.heap.incref(*v);
            }
            let t = self.heap.alloc(Obj::Tuple(extra.into()));
            self.regs[base + slot] = t;
            slot += 1;
        } else if args.len() > nargs {
            let ndef = defaults.len();
            let kwgiven = kwargs
                .iter()
                .filter(|(n, _)| {
                    let n = self.heap.as_str(*n).unwrap_or("");
                    (nargs..nargs + nkwonly).any(|k| name_at(k) == n)
                })
                .count();
            let takes = if ndef > 0 {
                format!("from {} to {nargs} positional arguments", nargs - ndef)
            } else {
                format!(
                    "{nargs} positional argument{}",
                    if nargs == 1 { "" } else { "s" }
                )
            };
            let given = args.len();
            let msg = if kwgiven > 0 {
                format!(
                    "{fname}() takes {takes} but {given} positional argument{} (and {kwgiven} keyword-only argument{}) were given",
                    if given == 1 { "" } else { "s" },
                    if kwgiven == 1 { "" } else { "s" }
                )
            } else {
                format!(
                    "{fname}() takes {takes} but {given} {} given",
                    if given == 1 { "was" } else { "were" }
                )
            };
            return Err(self.error(ExcKind::TypeError, msg));
        }
        let kwdict = if has_kw {
            let d = self.heap.alloc(Obj::Dict(Dict::new()));
            self.regs[base + slot] = d;
            Some(d)
        } else {
            None
        };
        if kwdict.is_none() {
            let posonly: Vec<String> = kwargs
                .iter()
                .filter_map(|(n, _)| self.heap.as_str(*n))
                .filter(|n| (0..nposonly).any(|k| name_at(k) == *n))
                .map(String::from)
                .collect();
            if !posonly.is_empty() {
                return Err(self.error(
                    ExcKind::TypeError,
                    format!(
                        "{fname}() got some positional-only arguments passed as keyword arguments: '{}'",
                        posonly.join(", ")
                    ),
                ));
            }
        }
        for (n, v) in kwargs {
            let name = self.heap.as_str(*n).unwrap_or("").to_string();
            let pos = (nposonly..nargs + nkwonly).find(|k| name_at(*k) == name);
            match pos {
                Some(k) => {
                    if self.regs[base + k] != Value::Empty {
                        return Err(self.error(
                            ExcKind::TypeError,
                            format!("{fname}() got multiple values for argument '{name}'"),
                        ));
                    }
                    set(self, k, *v);
                }
                None => match kwdict {
                    Some(d) => self.dict_set(d, *n, *v)?,
                    None => {
                        let msg = if (0..nposonly).any(|k| name_at(k) == name) {
                            format!("{fname}() got some positional-only arguments passed as keyword arguments: '{name}'")
                        } else {
                            format!("{fname}() got an unexpected keyword argument '{name}'")
                        };
                        return Err(self.error(ExcKind::TypeError, msg));
                    }
                },
            }
        }
        // Defaults, then what is still missing.
        let ndef = defaults.len();
        let mut missing = Vec::new();
        for k in 0..nargs {
            if self.regs[base + k] == Value::Empty {
                if k + ndef >= nargs {
                    set(self, k, defaults[k + ndef - nargs]);
                } else {
                    missing.push(format!("'{}'", name_at(k)));
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.missing(&fname, &missing, "positional"));
        }
        for k in nargs..nargs + nkwonly {
            if self.regs[base + k] == Value::Empty {
                let n = name_at(k);
                let d = if kwdefaults == Value::None {
                    None
                } else {
                    self.dict_get_str(kwdefaults, &n)
                };
                match d {
                    Some(v) => set(self, k, v),
                    None => missing.push(format!("'{n}'")),
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.missing(&fname, &missing, "keyword-only"));
        }
        Ok(())
    }

    fn missing(&mut self, fname: &str, missing: &[String], kind: &str) -> Fault {
        let list = match missing.len() {
            1 => missing[0].clone(),
            2 => format!("{} and {}", missing[0], missing[1]),
            n => format!("{}, and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        self.error(
            ExcKind::TypeError,
            format!(
                "{fname}() missing {} required {kind} argument{}: {list}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" }
            ),
        )
    }

    pub(super) fn not_callable(&mut self, f: Value) -> Fault {
        let t = self.type_name(f);
        self.error(ExcKind::TypeError, format!("'{t}' object is not callable"))
    }

    /// A class called: built-in types construct their values; a user
    /// class runs `__new__` and `__init__`.
    fn call_class(&mut self, cls: ObjRef, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
        let Some(c) = self.class(cls) else {
            return self.broken("a class");
        };
        let (ty, user, exc) = (c.ty, c.user, c.exc);
        if !user {
            if exc.is_some() {
                if !kwargs.is_empty() {
                    let name = self
                        .class(cls)
                        .map_or_else(String::new, |c| c.name.to_string());
                    return Err(self.error(
                        ExcKind::TypeError,
                        format!("{name}() takes no keyword arguments"),
                    ));
                }
                return Ok(self.new_exception(cls, args));
            }
            return super::builtins::construct(self, ty, cls, args, kwargs);
        }
        if !matches!(ty, Ty::Object | Ty::BaseException) {
            let name = self
                .class(cls)
                .map_or_else(String::new, |c| c.name.to_string());
            return gap_sub(&name, ty);
        }
        // __new__
        let obj = match self.lookup_static(cls, "__new__") {
            Some((new, owner)) if self.class(owner).is_some_and(|c| c.user) => {
                let new = match self.heap.obj(new) {
                    Some(Obj::StaticMethod(f)) => *f,
                    _ => new,
                };
                let mut all = vec![Value::Obj(cls)];
                all.extend_from_slice(args);
                let obj = self.call_value(new, &all, kwargs)?;
                if !self.is_subclass(self.type_of(obj), cls) {
                    return Ok(obj);
                }
                obj
            }
            _ => {
                if ty == Ty::BaseException {
                    self.new_exception(cls, args)
                } else {
                    self.heap.incref(Value::Obj(cls));
                    self.heap.alloc(Obj::Instance(Box::new(Instance {
                        class: cls,
                        dict: Dict::new(),
                        exc: None,
                    })))
                }
            }
        };
        match self.lookup_static(cls, "__init__") {
            Some((init, owner)) if self.class(owner).is_some_and(|c| c.user) => {
                let mut all = vec![obj];
                all.extend_from_slice(args);
                let r = match self.call_value(init, &all, kwargs) {
                    Ok(r) => r,
                    Err(e) => {
                        self.heap.decref(obj);
                        return Err(e);
                    }
                };
                if r != Value::None {
                    let t = self.type_name(r);
                    self.heap.decref(r);
                    self.heap.decref(obj);
                    return Err(self.error(
                        ExcKind::TypeError,
                        format!("__init__() should return None, not '{t}'"),
                    ));
                }
            }
            _ => {
                let has_new = self
                    .lookup(cls, "__new__")
                    .is_some_and(|(_, o)| self.class(o).is_some_and(|c| c.user));
                if ty == Ty::Object && (!args.is_empty() || !kwargs.is_empty()) && !has_new {
                    let name = self
                        .class(cls)
                        .map_or_else(String::new, |c| c.name.to_string());
                    self.heap.decref(obj);
                    return Err(
                        self.error(ExcKind::TypeError, format!("{name}() takes no arguments"))
                    );
                }
            }
        }
        Ok(obj)
    }

    /// `MAKE_FUNCTION`: a function from the code constant `b`, named `c`.
    pub(super) fn make_function(
        &mut self,
        code: &Rc<VmCode>,
        base: usize,
        pc: usize,
        ins: &Ins,
    ) -> Res<Value> {
        let co = match self.heap.obj(self.get(code, base, ins.b)) {
            Some(Obj::Code(co)) => co.clone(),
            _ => return Err(self.unsupported(code, pc, "MAKE_FUNCTION of a non-code object")),
        };
        let qualname = self.get(code, base, ins.c);
        let nflags = (ins.n & 0x0f).count_ones() as usize;
        let extra = self.operands(code, base, ins.d as usize, nflags);
        self.function_of(code, &co, qualname, ins.n, &extra)
    }

    /// A function of code `co` made in `code`'s module, named `qualname`;
    /// `extra` holds, in stack order, the defaults tuple (flag 1), the
    /// keyword defaults dict (2), the annotations (4) and the closure
    /// tuple (8) the flags announce. Owned.
    pub(super) fn function_of(
        &mut self,
        code: &VmCode,
        co: &std::sync::Arc<pyreg_spec::code::CodeObject>,
        qualname: Value,
        flags_present: u16,
        extra: &[Value],
    ) -> Res<Value> {
        let class_body = co.flags & flags::NEWLOCALS == 0;
        let vc = self.prepared_code(co, code.globals, class_body)?;
        let qualname = self.str_of(qualname)?;
        let mut at = 0;
        let mut take = |flag: u16| -> Value {
            if flags_present & flag != 0 {
                let v = extra.get(at).copied().unwrap_or(Value::None);
                at += 1;
                v
            } else {
                Value::None
            }
        };
        let defaults_v = take(1);
        let kwdefaults = take(2);
        let _annotations = take(4);
        let closure_v = take(8);
        let tuple = |vm: &Vm, t: Value| -> Vec<Value> {
            match vm.heap.obj(t) {
                Some(Obj::Tuple(xs)) => xs.to_vec(),
                _ => Vec::new(),
            }
        };
        let defaults = tuple(self, defaults_v);
        let closure = tuple(self, closure_v);
        for v in defaults.iter().chain(&closure) {
            self.heap.incref(*v);
        }
        self.heap.incref(kwdefaults);
        let mut dict = Dict::new();
        let doc = match co.consts.first() {
            Some(pyreg_spec::code::Constant::Str(s))
                if co.flags & flags::NEWLOCALS != 0 && !class_body =>
            {
                self.heap.str(&s.to_string_lossy())
            }
            _ => Value::None,
        };
        let doc_key = self.heap.str("__doc__");
        let h = super::types::static_hash("__doc__");
        dict.push(h, doc_key, doc);
        let name = qualname.rsplit('.').next().unwrap_or(&qualname).to_string();
        Ok(self.heap.alloc(Obj::Function(Box::new(Function {
            code: vc,
            name: name.into(),
            qualname: qualname.into(),
            defaults: defaults.into(),
            kwdefaults,
            closure: closure.into(),
            dict,
        }))))
    }

    /// Calls a class body function with a fresh namespace: the namespace,
    /// owned.
    pub(super) fn run_class_body(&mut self, f: Value, ns: Value) -> Res<()> {
        let Some(Obj::Function(func)) = self.heap.obj(f) else {
            return Err(self.error(
                ExcKind::TypeError,
                "__build_class__: func must be a function".into(),
            ));
        };
        let callee = func.code.clone();
        let fr = f.obj().unwrap_or(crate::value::ObjRef(0));
        if self.frames.len() >= RECURSION_LIMIT {
            return Err(self.error(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded".into(),
            ));
        }
        let new_base = self.top;
        self.open_window(new_base, callee.nregs);
        let closure = self.closure_of(fr);
        let cells = self.make_cells(&callee, new_base, closure);
        self.heap.incref(ns);
        self.frames.push(Frame {
            code: callee,
            pc: 0,
            base: new_base,
            ret: RET_NATIVE,
            cells,
            locals: ns,
            gen: None,
            sp: 0,
            blocks: Vec::new(),
            init: Value::Empty,
        });
        let r = self.run_pushed()?;
        // The body returns the `__class__` cell (or None).
        self.class_cell = r;
        Ok(())
    }

    /// Sends control into a suspended generator frame; see
    /// [`Vm::resume`].
    pub(super) fn push_generator_frame(&mut self, g: ObjRef) -> Res<()> {
        if self.frames.len() >= RECURSION_LIMIT {
            return Err(self.error(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded".into(),
            ));
        }
        let (code, pc, gsp) = match self.heap.get(g) {
            Obj::Generator(gen) => (gen.code.clone(), gen.pc, gen.sp),
            _ => return self.broken("a generator"),
        };
        let base = self.top;
        self.open_window(base, code.nregs);
        // The saved window moves back into the register stack; its buffer
        // stays with the generator for the next suspension.
        let regs = &mut self.regs;
        let (cells, blocks) = match self.heap.get_mut(g) {
            Obj::Generator(gen) => {
                gen.state = GenState::Running;
                for (k, slot) in gen.regs.iter_mut().enumerate() {
                    regs[base + k] = std::mem::replace(slot, Value::Empty);
                }
                (
                    std::mem::take(&mut gen.cells),
                    std::mem::take(&mut gen.blocks),
                )
            }
            _ => (Vec::new(), Vec::new()),
        };
        self.frames.push(Frame {
            code,
            pc,
            base,
            ret: RET_NATIVE,
            cells,
            locals: Value::Empty,
            gen: Some(g),
            sp: base + gsp,
            blocks,
            init: Value::Empty,
        });
        Ok(())
    }

    /// `YIELD`: suspends the running generator frame, saving its window,
    /// and hands the owned `v` to whoever resumed it.
    pub(super) fn yield_value(&mut self, pc: usize, v: Value) {
        let Some(f) = self.frames.pop() else {
            self.heap.decref(v);
            return;
        };
        let n = f.code.nregs;
        let regs = &mut self.regs;
        let saved = match f.gen.map(|g| self.heap.get_mut(g)) {
            Some(Obj::Generator(gen)) => {
                // Into the buffer the generator kept (empty while it runs).
                if gen.regs.len() != n {
                    gen.regs = vec![Value::Empty; n].into_boxed_slice();
                }
                for (k, slot) in gen.regs.iter_mut().enumerate() {
                    *slot = std::mem::replace(&mut regs[f.base + k], Value::Empty);
                }
                true
            }
            _ => false,
        };
        if !saved {
            self.close_window(f.base);
        }
        self.top = f.base;
        if let Some(g) = f.gen {
            if let Obj::Generator(gen) = self.heap.get_mut(g) {
                gen.cells = f.cells;
                gen.pc = pc;
                gen.sp = f.sp.saturating_sub(f.base);
                gen.blocks = f.blocks;
                gen.state = GenState::Suspended;
            }
        }
        if f.ret != RET_NATIVE {
            // Resumed by a FOR_ITER: the value goes to it.
            if f.ret == super::stack::RET_PUSH {
                self.push_result(v);
            } else if let Some(caller) = self.frames.last_mut() {
                caller.pc += 1;
                let cb = caller.base;
                self.put(cb, f.ret, v);
            } else {
                self.heap.decref(v);
            }
            return;
        }
        self.yielded = true;
        let old = std::mem::replace(&mut self.native_result, v);
        self.heap.decref(old);
    }

    /// The caller's `FOR_ITER` after the generator it ran returned: the
    /// iterator is dropped and the loop exits to the instruction's target.
    fn end_for_iter(&mut self, ret: u16) {
        let Some(caller) = self.frames.last_mut() else {
            return;
        };
        let code = caller.code.clone();
        if ret == super::stack::RET_PUSH {
            let target = code.stack.get(caller.pc).map_or(0, |s| s.target as usize);
            caller.pc = target;
            caller.sp -= 1;
            let at = caller.sp;
            let old = std::mem::replace(&mut self.regs[at], Value::Empty);
            self.heap.decref(old);
        } else {
            let Some(ins) = code.ins.get(caller.pc).copied() else {
                return;
            };
            caller.pc = ins.d as usize;
            let at = caller.base + (ins.b & !CONST) as usize;
            let old = std::mem::replace(&mut self.regs[at], Value::Empty);
            self.heap.decref(old);
        }
    }

    /// `YIELD_FROM`: sends the value in `c` to the iterator `b`; while it
    /// yields, this frame yields the same and runs the instruction again
    /// when resumed (the sent value arrives in `c`).
    pub(super) fn yield_from(
        &mut self,
        code: &Rc<VmCode>,
        base: usize,
        pc: usize,
        ins: &Ins,
    ) -> Res<Next> {
        let (it, sent) = (self.get(code, base, ins.b), self.get(code, base, ins.c));
        match self.send(it, sent)? {
            Some(v) => {
                // Resumed, the frame runs this instruction again with the
                // sent value written to `c` by the resumption.
                self.yield_value(pc, v);
                Ok(Next::Switch)
            }
            None => {
                let r = std::mem::replace(&mut self.stop_value, Value::Empty);
                for x in [ins.b, ins.c] {
                    if x & CONST == 0 {
                        let old =
                            std::mem::replace(&mut self.regs[base + x as usize], Value::Empty);
                        self.heap.decref(old);
                    }
                }
                self.consume(code, base, ins);
                self.put(base, ins.a, r);
                Ok(Next::Go(pc + 1))
            }
        }
    }
}

fn gap_sub<T>(name: &str, ty: Ty) -> Res<T> {
    super::gap(format!(
        "subclass of built-in type '{}' (class {name})",
        ty.name()
    ))
}
