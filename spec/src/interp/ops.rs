//! Calls, attributes, operators, truth, equality, hashing, `str` and `repr`:
//! the rules `ceval.c` reaches through CPython's abstract object API.

use super::{text, Fault, Frame, Machine, PyResult, RECURSION_LIMIT};
use crate::code::{flags, PyStr};
use crate::interp::generator::GeneratorState;
use crate::object::{Dict, Function, Int, Obj, ObjId, Value};
use crate::pyrepr::{repr_bytes, repr_complex, repr_float, repr_str};
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// A binary operator, named as in CPython's `nb_*` slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `@`
    MatMul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `&`
    And,
    /// `|`
    Or,
    /// `^`
    Xor,
}

impl BinOp {
    /// The operator's symbol, as error messages show it.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::MatMul => "@",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "** or pow()",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
        }
    }

    /// The dunder name (`add` for `__add__`, `__radd__`, `__iadd__`).
    pub fn dunder(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::MatMul => "matmul",
            BinOp::TrueDiv => "truediv",
            BinOp::FloorDiv => "floordiv",
            BinOp::Mod => "mod",
            BinOp::Pow => "pow",
            BinOp::LShift => "lshift",
            BinOp::RShift => "rshift",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Xor => "xor",
        }
    }
}

/// A rich comparison, numbered as `COMPARE_OP`'s argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
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
}

impl CmpOp {
    /// From `COMPARE_OP`'s argument.
    pub fn from_arg(a: u32) -> Option<CmpOp> {
        [
            CmpOp::Lt,
            CmpOp::Le,
            CmpOp::Eq,
            CmpOp::Ne,
            CmpOp::Gt,
            CmpOp::Ge,
        ]
        .get(a as usize)
        .copied()
    }

    fn symbol(self) -> &'static str {
        crate::opcode::CMP_OP[self as usize]
    }

    fn dunder(self) -> &'static str {
        ["__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"][self as usize]
    }

    /// The operator with its operands swapped (`a < b` is `b > a`).
    fn reflected(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Eq => CmpOp::Eq,
            CmpOp::Ne => CmpOp::Ne,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
        }
    }

    fn holds(self, o: Ordering) -> bool {
        match self {
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Ne => o != Ordering::Equal,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Ge => o != Ordering::Less,
        }
    }
}

/// Largest collection pyreg builds; beyond it an operation raises
/// `MemoryError` instead of trying to allocate.
pub const MAX_COLLECTION: usize = 1 << 26;

fn name(s: &str) -> PyStr {
    PyStr::from(s)
}

impl Machine {
    // ----- calls -------------------------------------------------------

    /// Calls `f(*args, **kwargs)` and runs it to completion.
    pub fn call(
        &mut self,
        f: Value,
        args: Vec<Value>,
        kwargs: Vec<(PyStr, Value)>,
    ) -> PyResult<Value> {
        match self.prepare_call(f, args, kwargs)? {
            Prepared::Done(v) => Ok(v),
            Prepared::Frame(frame) => self.run_to_return(*frame),
        }
    }

    /// Resolves a call: a Python function becomes a frame to run; anything
    /// else is called natively and gives its result.
    pub fn prepare_call(
        &mut self,
        f: Value,
        mut args: Vec<Value>,
        kwargs: Vec<(PyStr, Value)>,
    ) -> PyResult<Prepared> {
        let Value::Obj(id) = f else {
            return Err(self.not_callable(&f));
        };
        match self.heap.get(id).clone() {
            Obj::Function(func) => {
                let frame = self.function_frame(&func, args, kwargs)?;
                if func.code.flags & flags::GENERATOR != 0 {
                    // Calling a generator function is a call: it spends fuel
                    // like any other, so that a native loop creating
                    // generators (list() over an iterator whose __next__
                    // is one) runs out of fuel instead of memory.
                    self.spend_fuel()?;
                    let g = self.heap.alloc(Obj::Generator(Box::new(GeneratorState {
                        frame: Some(frame),
                        started: false,
                        running: false,
                        name: func.name.clone(),
                        qualname: func.qualname.clone(),
                        code: func.code.clone(),
                    })));
                    if let Obj::Generator(gs) = self.heap.get_mut(g) {
                        if let Some(fr) = gs.frame.as_mut() {
                            fr.generator = Some(g);
                        }
                    }
                    return Ok(Prepared::Done(Value::Obj(g)));
                }
                Ok(Prepared::Frame(Box::new(frame)))
            }
            Obj::BoundMethod { receiver, function } => {
                args.insert(0, receiver);
                self.prepare_call(function, args, kwargs)
            }
            Obj::Builtin { id: b, receiver } => {
                crate::builtins::call_builtin(self, b, receiver, args, kwargs).map(Prepared::Done)
            }
            Obj::SlotWrapper { name, receiver } => {
                self.call_slot(&name, &receiver, args).map(Prepared::Done)
            }
            Obj::Type(_) => {
                // A metaclass's own __call__ runs instead of the usual construction.
                let meta = self.type_of(&f);
                if meta != self.types.type_ {
                    if let Some(call) = self.lookup_in_mro(meta, &name("__call__")) {
                        if !self.is_builtin_slot(&call) {
                            args.insert(0, f);
                            return self.prepare_call(call, args, kwargs);
                        }
                    }
                }
                self.construct(id, args, kwargs).map(Prepared::Done)
            }
            Obj::StaticMethod(inner) | Obj::ClassMethod(inner) => {
                self.prepare_call(inner, args, kwargs)
            }
            _ => {
                let t = self.type_of(&f);
                match self.lookup_in_mro(t, &name("__call__")) {
                    Some(c) => {
                        args.insert(0, f);
                        self.prepare_call(c, args, kwargs)
                    }
                    None => Err(self.not_callable(&f)),
                }
            }
        }
    }

    fn not_callable(&mut self, f: &Value) -> Fault {
        let t = self.type_name_of(f);
        self.type_error(format!("'{t}' object is not callable"))
    }

    /// Pushes `frame` and runs until it returns, giving its result.
    pub fn run_to_return(&mut self, mut frame: Frame) -> PyResult<Value> {
        frame.returns_to_native = true;
        match self.run_nested(frame)? {
            NativeReturn::Returned(v) => Ok(v),
            NativeReturn::Yielded(_) => Err(Fault::Stuck("a non-generator frame yielded".into())),
        }
    }

    /// Pushes a frame that returns to native code and steps until it
    /// finishes (returns, yields or raises).
    pub fn run_nested(&mut self, frame: Frame) -> PyResult<NativeReturn> {
        self.push_frame(frame)?;
        let base = self.frames.len();
        loop {
            crate::interp::stack_step::step_mut(self)?;
            if self.frames.len() < base {
                match self.native_return.take() {
                    Some(Ok(r)) => return Ok(r),
                    Some(Err(e)) => return Err(Fault::Raise(e)),
                    None => {
                        return Err(Fault::Stuck(
                            "a frame returning to native code ended without a result".into(),
                        ))
                    }
                }
            }
        }
    }

    /// Pushes a frame, counting recursion depth and spending fuel.
    pub fn push_frame(&mut self, mut frame: Frame) -> PyResult<()> {
        self.attach_reg(&mut frame)?;
        self.spend_fuel()?;
        if self.depth + 1 > RECURSION_LIMIT {
            return Err(self.new_error("RecursionError", "maximum recursion depth exceeded".into()));
        }
        self.depth += 1;
        self.frames.push_back(frame);
        Ok(())
    }

    /// Spends one unit of fuel.
    pub fn spend_fuel(&mut self) -> PyResult<()> {
        if self.fuel == 0 {
            return Err(Fault::Exhausted(super::Exhaustion::Fuel));
        }
        self.fuel -= 1;
        Ok(())
    }

    /// A frame for `func` with its arguments bound as `_PyEval_EvalCode`
    /// binds them.
    pub fn function_frame(
        &mut self,
        func: &Function,
        args: Vec<Value>,
        kwargs: Vec<(PyStr, Value)>,
    ) -> PyResult<Frame> {
        let code = func.code.clone();
        // CPython 3.9's argument errors name the code object (`co_name`);
        // 3.10 moved to the qualified name.
        let fname = text(&code.name);
        let argcount = code.argcount as usize;
        let kwonly = code.kwonlyargcount as usize;
        let posonly = code.posonlyargcount as usize;
        let has_varargs = code.flags & flags::VARARGS != 0;
        let has_varkw = code.flags & flags::VARKEYWORDS != 0;
        let mut fast: Vec<Option<Value>> = vec![None; code.nlocals as usize];
        let nargs = args.len();
        let mut extra = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            if i < argcount {
                fast[i] = Some(a);
            } else {
                extra.push(a);
            }
        }
        let varargs_index = argcount + kwonly;
        let varkw_index = varargs_index + usize::from(has_varargs);
        if has_varargs {
            fast[varargs_index] = Some(Value::tuple(extra.clone()));
        } else if !extra.is_empty() {
            let defaults = func.defaults.len();
            let takes = if defaults > 0 {
                format!("from {} to {}", argcount - defaults.min(argcount), argcount)
            } else {
                argcount.to_string()
            };
            let kw_given = kwargs
                .iter()
                .filter(|(k, _)| {
                    code.varnames[argcount..argcount + kwonly]
                        .iter()
                        .any(|v| v == k)
                })
                .count();
            let given = if kw_given > 0 {
                format!(
                    "{nargs} positional argument{} (and {kw_given} keyword-only argument{})",
                    if nargs == 1 { "" } else { "s" },
                    if kw_given == 1 { "" } else { "s" }
                )
            } else {
                format!("{nargs}")
            };
            let plural = if argcount == 1 && defaults == 0 {
                ""
            } else {
                "s"
            };
            let verb = if nargs == 1 && kw_given == 0 {
                "was"
            } else {
                "were"
            };
            return Err(self.type_error(format!(
                "{fname}() takes {takes} positional argument{plural} but {given} {verb} given"
            )));
        }
        let mut varkw = Dict::default();
        let mut posonly_by_keyword = Vec::new();
        for (k, v) in kwargs {
            let pos = code.varnames[..argcount + kwonly]
                .iter()
                .position(|n| *n == k);
            match pos {
                Some(i) if i >= posonly => {
                    if fast[i].is_some() {
                        return Err(self.type_error(format!(
                            "{fname}() got multiple values for argument '{}'",
                            text(&k)
                        )));
                    }
                    fast[i] = Some(v);
                }
                _ if has_varkw => {
                    // Unknown names, and positional-only names given by
                    // keyword, land in **kwargs.
                    let h = crate::pyhash::hash_str(&k);
                    varkw.push(h, Value::Str(k), v);
                }
                Some(_) => posonly_by_keyword.push(text(&k)),
                None => {
                    return Err(self.type_error(format!(
                        "{fname}() got an unexpected keyword argument '{}'",
                        text(&k)
                    )))
                }
            }
        }
        if !posonly_by_keyword.is_empty() {
            return Err(self.type_error(format!(
                "{fname}() got some positional-only arguments passed as keyword arguments: '{}'",
                posonly_by_keyword.join(", ")
            )));
        }
        if has_varkw {
            let d = self.heap.alloc(Obj::Dict(varkw));
            fast[varkw_index] = Some(Value::Obj(d));
        }
        // Defaults fill the last positional parameters.
        let ndefaults = func.defaults.len();
        let first_default = argcount.saturating_sub(ndefaults);
        let mut missing = Vec::new();
        for (i, slot) in fast.iter_mut().enumerate().take(argcount) {
            if slot.is_none() {
                if i >= first_default {
                    *slot = Some(func.defaults[i - first_default].clone());
                } else {
                    missing.push(text(&code.varnames[i]));
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.missing_args(&fname, &missing, "positional"));
        }
        for (i, slot) in fast
            .iter_mut()
            .enumerate()
            .take(argcount + kwonly)
            .skip(argcount)
        {
            if slot.is_none() {
                let n = &code.varnames[i];
                match func.kwdefaults.iter().find(|(k, _)| k == n) {
                    Some((_, v)) => *slot = Some(v.clone()),
                    None => missing.push(text(n)),
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.missing_args(&fname, &missing, "keyword-only"));
        }
        let mut cells = Vec::with_capacity(code.ncells());
        for c in &code.cellvars {
            // A parameter that is also a cell starts with the argument's value.
            let init = code
                .varnames
                .iter()
                .position(|v| v == c)
                .and_then(|i| fast[i].clone());
            cells.push(self.heap.alloc(Obj::Cell(init)));
        }
        cells.extend(func.closure.iter().copied());
        Ok(Frame {
            code,
            decoded: func.decoded.clone(),
            pc: 0,
            last: 0,
            // co_stacksize is only an upper bound (and a hostile code object
            // can claim billions): the stack grows as it is used.
            stack: Vec::with_capacity((func.code.stacksize as usize).min(64)),
            fast,
            cells,
            blocks: Vec::new(),
            globals: func.globals,
            locals: None,
            generator: None,
            returns_to_native: false,
            reg: None,
            rpc: 0,
            rlast: 0,
            pending: None,
        })
    }

    fn missing_args(&mut self, fname: &str, missing: &[String], kind: &str) -> Fault {
        let quoted: Vec<String> = missing.iter().map(|m| format!("'{m}'")).collect();
        let list = match quoted.len() {
            1 => quoted[0].clone(),
            2 => format!("{} and {}", quoted[0], quoted[1]),
            _ => format!(
                "{}, and {}",
                quoted[..quoted.len() - 1].join(", "),
                quoted[quoted.len() - 1]
            ),
        };
        let n = missing.len();
        self.type_error(format!(
            "{fname}() missing {n} required {kind} argument{}: {list}",
            if n == 1 { "" } else { "s" }
        ))
    }

    /// Calls a type: built-in constructors natively, classes through
    /// `__new__` and `__init__`.
    pub fn construct(
        &mut self,
        t: ObjId,
        args: Vec<Value>,
        kwargs: Vec<(PyStr, Value)>,
    ) -> PyResult<Value> {
        let t = self.os_error_subclass(t, &args);
        if let Some(ctor) = crate::builtins::constructor_of(self, t) {
            return ctor(self, t, args, kwargs);
        }
        if let Some(bt) = self.builtin_base(t) {
            return self.construct_builtin_subclass(t, bt, args, kwargs);
        }
        let new = self.lookup_in_mro(t, &name("__new__"));
        let instance = match new {
            Some(n) if !self.is_builtin_slot(&n) => {
                let n = self.unwrap_static(n);
                let mut a = vec![Value::Obj(t)];
                a.extend(args.iter().cloned());
                self.call(n, a, kwargs.clone())?
            }
            _ => self.new_instance(t),
        };
        // BaseException.__new__ keeps the arguments, whatever __init__ does.
        if let Value::Obj(id) = &instance {
            if let Some(st) = self.exc_state_mut(*id) {
                st.args = args.clone();
            }
        }
        if self.is_instance(&instance, t) {
            if let Some(init) = self.lookup_in_mro(t, &name("__init__")) {
                if !self.is_builtin_slot(&init) {
                    let mut a = vec![instance.clone()];
                    a.extend(args);
                    let r = self.call(init, a, kwargs)?;
                    if !matches!(r, Value::None) {
                        let tn = self.type_name_of(&r);
                        return Err(
                            self.type_error(format!("__init__() should return None, not '{tn}'"))
                        );
                    }
                } else if !self.is_exception(&instance) && (!args.is_empty() || !kwargs.is_empty())
                {
                    let tn = self.type_name(t);
                    let custom_new = self
                        .lookup_in_mro(t, &name("__new__"))
                        .is_some_and(|n| !self.is_builtin_slot(&n));
                    if !custom_new {
                        return Err(self.type_error(format!("{tn}() takes no arguments")));
                    }
                }
            }
        }
        Ok(instance)
    }

    /// `OSError(errno, strerror)` makes the subclass for that errno, as
    /// `OSError.__new__` does (`OSError(2, ...)` is a `FileNotFoundError`).
    fn os_error_subclass(&self, t: ObjId, args: &[Value]) -> ObjId {
        if t != self.types.get("OSError") || !(2..=5).contains(&args.len()) {
            return t;
        }
        let Value::Int(Int::Small(errno)) = args[0] else {
            return t;
        };
        let name = match errno {
            1 | 13 => "PermissionError",
            2 => "FileNotFoundError",
            3 => "ProcessLookupError",
            4 => "InterruptedError",
            10 => "ChildProcessError",
            11 | 114 | 115 => "BlockingIOError",
            17 => "FileExistsError",
            20 => "NotADirectoryError",
            21 => "IsADirectoryError",
            32 | 108 => "BrokenPipeError",
            103 => "ConnectionAbortedError",
            104 => "ConnectionResetError",
            110 => "TimeoutError",
            111 => "ConnectionRefusedError",
            _ => return t,
        };
        self.types.get(name)
    }

    /// `X(...)` for `class X(list)` and the like: a user `__new__` runs
    /// (its `super().__new__(cls, v)` reaches the built-in type's
    /// constructor), else the built-in constructor makes the base value
    /// from the arguments unless a user `__init__` will fill it; then a user
    /// `__init__` runs.
    fn construct_builtin_subclass(
        &mut self,
        t: ObjId,
        bt: ObjId,
        args: Vec<Value>,
        kwargs: Vec<(PyStr, Value)>,
    ) -> PyResult<Value> {
        let user = |m: &Self, n: &str| {
            m.lookup_in_mro(t, &name(n))
                .filter(|f| !m.is_builtin_slot(f))
        };
        if bt == self.types.type_ && user(self, "__new__").is_none() {
            // A metaclass without __new__: type's own construction.
            let class = crate::builtins::make_class_of(self, t, args.clone(), kwargs.clone())?;
            if let Some(init) = user(self, "__init__") {
                let mut a = vec![class.clone()];
                a.extend(args);
                self.call(init, a, kwargs)?;
            }
            return Ok(class);
        }
        let instance = if let Some(new) = user(self, "__new__") {
            let new = self.unwrap_static(new);
            let mut a = vec![Value::Obj(t)];
            a.extend(args.iter().cloned());
            self.call(new, a, kwargs.clone())?
        } else {
            let ctor = crate::builtins::constructor_of(self, bt)
                .ok_or_else(|| Fault::Stuck("built-in base without a constructor".into()))?;
            // Mutable bases start empty when __init__ is the user's: it
            // decides what goes in (usually through super().__init__).
            let base_args = if user(self, "__init__").is_some()
                && matches!(self.type_name(bt).as_str(), "list" | "dict" | "set")
            {
                vec![]
            } else {
                args.clone()
            };
            let base_kwargs = if user(self, "__init__").is_some() {
                vec![]
            } else {
                kwargs.clone()
            };
            let base = ctor(self, bt, base_args, base_kwargs)?;
            self.instance_with_base(t, base)
        };
        if self.is_instance(&instance, t) {
            if let Some(init) = user(self, "__init__") {
                let mut a = vec![instance.clone()];
                a.extend(args);
                self.call(init, a, kwargs)?;
            }
        }
        Ok(instance)
    }

    /// A fresh instance of class `t` (`object.__new__(t)`).
    pub fn new_instance(&mut self, t: ObjId) -> Value {
        let exception =
            (self.type_object(t).layout == crate::object::Layout::Exception).then(Box::default);
        let dict = self.heap.alloc(Obj::Dict(Dict::default()));
        Value::Obj(self.heap.alloc(Obj::Instance {
            class: t,
            dict,
            exception,
            base: None,
            slots: Vec::new(),
        }))
    }

    /// The first built-in type other than `object` in the MRO of a user
    /// class, whose values its instances extend (`class X(list)`).
    pub fn builtin_base(&self, t: ObjId) -> Option<ObjId> {
        let ty = self.type_object(t);
        if ty.module.as_str() == Some("builtins") || ty.layout == crate::object::Layout::Exception {
            return None;
        }
        ty.mro.iter().copied().find(|c| {
            *c != self.types.object && self.type_object(*c).module.as_str() == Some("builtins")
        })
    }

    /// The built-in value an instance of a user subclass of a built-in type
    /// extends, if `v` is one.
    pub fn base_of(&self, v: &Value) -> Option<Value> {
        match v {
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::Instance { base, .. } => base.clone(),
                _ => None,
            },
            _ => None,
        }
    }

    /// An instance of user class `t` extending the built-in value `base`.
    pub fn instance_with_base(&mut self, t: ObjId, base: Value) -> Value {
        let v = self.new_instance(t);
        if let Value::Obj(id) = &v {
            if let Obj::Instance { base: b, .. } = self.heap.get_mut(*id) {
                *b = Some(base);
            }
        }
        v
    }

    /// Whether `f` is one of the built-in methods that stand for a slot
    /// (`object.__init__`, `object.__new__`, ...) rather than user code.
    pub fn is_builtin_slot(&self, f: &Value) -> bool {
        self.builtin_of(f).is_some()
    }

    fn unwrap_static(&self, f: Value) -> Value {
        match &f {
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::StaticMethod(inner) => inner.clone(),
                _ => f,
            },
            _ => f,
        }
    }

    // ----- attributes --------------------------------------------------

    /// Binds a class attribute found by lookup to `receiver` (the
    /// descriptor protocol for the descriptors pyreg has).
    pub fn bind(&mut self, attr: Value, receiver: Value, owner: ObjId) -> PyResult<Value> {
        let Value::Obj(id) = &attr else {
            return Ok(attr);
        };
        match self.heap.get(*id).clone() {
            Obj::Function(_) => Ok(Value::Obj(self.heap.alloc(Obj::BoundMethod {
                receiver,
                function: attr,
            }))),
            // A built-in classmethod (`d.fromkeys`) binds to the class.
            Obj::Builtin {
                id: b,
                receiver: None,
            } if crate::builtins::is_classmethod(b) => {
                Ok(Value::Obj(self.heap.alloc(Obj::Builtin {
                    id: b,
                    receiver: Some(Value::Obj(owner)),
                })))
            }
            Obj::Builtin {
                id: b,
                receiver: None,
            } if crate::builtins::is_method(b) => Ok(Value::Obj(self.heap.alloc(Obj::Builtin {
                id: b,
                receiver: Some(receiver),
            }))),
            Obj::StaticMethod(f) => Ok(f),
            Obj::ClassMethod(f) => Ok(Value::Obj(self.heap.alloc(Obj::BoundMethod {
                receiver: Value::Obj(owner),
                function: f,
            }))),
            Obj::Property { fget, .. } => {
                if matches!(fget, Value::None) {
                    return Err(self.new_error("AttributeError", "unreadable attribute".into()));
                }
                self.call(fget, vec![receiver], vec![])
            }
            Obj::GetSetDescriptor { name, class } => {
                let value = match self.base_of(&receiver) {
                    Some(b) => b,
                    None => receiver.clone(),
                };
                if !self.is_instance(&receiver, class) {
                    let (cn, tn) = (self.type_name(class), self.type_name_of(&receiver));
                    return Err(self.type_error(format!(
                        "descriptor '{}' for '{cn}' objects doesn't apply to a '{tn}' object",
                        text(&name)
                    )));
                }
                match self.special_attr(&value, name.as_str().unwrap_or(""))? {
                    Some(v) => Ok(v),
                    None => Err(self.attribute_error(&receiver, &name)),
                }
            }
            Obj::MemberDescriptor { name, class } => {
                let rid = self.member_receiver(&receiver, &name, class)?;
                let found = match self.heap.get(rid) {
                    Obj::Instance { slots, .. } => slots
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| v.clone()),
                    _ => None,
                };
                // An unset slot raises AttributeError(name).
                found.ok_or_else(|| self.new_error_args("AttributeError", vec![Value::Str(name)]))
            }
            _ => Ok(attr),
        }
    }

    /// The instance a member descriptor of `class` is applied to, or
    /// `descriptor 'x' for 'C' objects doesn't apply to a 'T' object`.
    fn member_receiver(&mut self, receiver: &Value, name: &PyStr, class: ObjId) -> PyResult<ObjId> {
        match receiver {
            Value::Obj(rid)
                if matches!(self.heap.get(*rid), Obj::Instance { .. })
                    && self.is_instance(receiver, class) =>
            {
                Ok(*rid)
            }
            _ => {
                let (cn, tn) = (self.type_name(class), self.type_name_of(receiver));
                Err(self.type_error(format!(
                    "descriptor '{}' for '{cn}' objects doesn't apply to a '{tn}' object",
                    text(name)
                )))
            }
        }
    }

    /// `getattr(obj, name)`.
    pub fn get_attr(&mut self, obj: &Value, attr: &PyStr) -> PyResult<Value> {
        let t = self.type_of(obj);
        // A user __getattribute__ replaces the whole lookup; __getattr__
        // still catches the AttributeError it raises.
        if !self.is_type(obj) {
            if let Some(ga) = self.lookup_in_mro(t, &name("__getattribute__")) {
                if !self.is_builtin_slot(&ga) {
                    return match self.call(ga, vec![obj.clone(), Value::Str(attr.clone())], vec![])
                    {
                        Err(Fault::Raise(e))
                            if self
                                .is_instance(&Value::Obj(e), self.types.get("AttributeError")) =>
                        {
                            match self.lookup_in_mro(t, &name("__getattr__")) {
                                Some(f) => self.call(
                                    f,
                                    vec![obj.clone(), Value::Str(attr.clone())],
                                    vec![],
                                ),
                                None => Err(Fault::Raise(e)),
                            }
                        }
                        r => r,
                    };
                }
            }
        }
        match self.get_attr_opt(obj, attr)? {
            Some(v) => Ok(v),
            None => {
                let t = self.type_of(obj);
                if let Some(ga) = self.lookup_in_mro(t, &name("__getattr__")) {
                    return self.call(ga, vec![obj.clone(), Value::Str(attr.clone())], vec![]);
                }
                Err(self.attribute_error(obj, attr))
            }
        }
    }

    /// The `AttributeError` for a missing attribute, worded as CPython does.
    pub fn attribute_error(&mut self, obj: &Value, attr: &PyStr) -> Fault {
        let a = text(attr);
        let msg = match obj {
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::Module { name, .. } => {
                    format!("module '{}' has no attribute '{a}'", text(name))
                }
                Obj::Type(t) => format!("type object '{}' has no attribute '{a}'", text(&t.name)),
                _ => format!("'{}' object has no attribute '{a}'", self.type_name_of(obj)),
            },
            _ => format!("'{}' object has no attribute '{a}'", self.type_name_of(obj)),
        };
        self.new_error("AttributeError", msg)
    }

    /// Attribute lookup without the `__getattr__` fallback; `None` when absent.
    pub fn get_attr_opt(&mut self, obj: &Value, attr: &PyStr) -> PyResult<Option<Value>> {
        let a = attr.as_str().unwrap_or("");
        if let Some(v) = self.special_attr(obj, a)? {
            return Ok(Some(v));
        }
        let special_kind = matches!(obj, Value::Obj(id) if matches!(self.heap.get(*id), Obj::Type(_) | Obj::Module { .. } | Obj::Super { .. }));
        if let (Value::Obj(id), true) = (obj, special_kind) {
            match self.heap.get(*id).clone() {
                Obj::Type(_) => {
                    return match self.lookup_in_mro(*id, attr) {
                        Some(v) => {
                            let bound = match self.heap_kind(&v) {
                                Some(Kind::ClassMethod(f)) => {
                                    Value::Obj(self.heap.alloc(Obj::BoundMethod {
                                        receiver: obj.clone(),
                                        function: f,
                                    }))
                                }
                                Some(Kind::StaticMethod(f)) => f,
                                // `dict.fromkeys`: a built-in classmethod.
                                _ => match self.builtin_of(&v) {
                                    Some((b, None)) if crate::builtins::is_classmethod(b) => {
                                        Value::Obj(self.heap.alloc(Obj::Builtin {
                                            id: b,
                                            receiver: Some(obj.clone()),
                                        }))
                                    }
                                    // A user descriptor read from the class: __get__(None, cls).
                                    _ => match self.user_descriptor(&v) {
                                        Some((get, _)) => self.call(
                                            get,
                                            vec![v.clone(), Value::None, obj.clone()],
                                            vec![],
                                        )?,
                                        None => v,
                                    },
                                },
                            };
                            Ok(Some(bound))
                        }
                        // Then the metaclass: `C.mro()`, methods of a user metaclass.
                        None => {
                            let meta = self.type_of(obj);
                            match self.lookup_in_mro(meta, attr) {
                                Some(v) => self.bind(v, obj.clone(), meta).map(Some),
                                None => Ok(None),
                            }
                        }
                    };
                }
                Obj::Module { dict, .. } => {
                    if let Obj::Dict(d) = self.heap.get(dict) {
                        return Ok(d.get_str(attr).cloned());
                    }
                }
                Obj::Super {
                    this_class,
                    receiver,
                } => {
                    let start = if self.is_type(&receiver) {
                        receiver.obj().unwrap_or(this_class)
                    } else {
                        self.type_of(&receiver)
                    };
                    if let Some(v) = self.lookup_after(start, this_class, attr) {
                        if self.is_type(&receiver) {
                            return Ok(Some(match self.heap_kind(&v) {
                                Some(Kind::ClassMethod(f)) => {
                                    Value::Obj(self.heap.alloc(Obj::BoundMethod {
                                        receiver: receiver.clone(),
                                        function: f,
                                    }))
                                }
                                _ => v,
                            }));
                        }
                        return self.bind(v, receiver, start).map(Some);
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
        let t = self.type_of(obj);
        let class_attr = self.lookup_in_mro(t, attr);
        // Data descriptors (properties, user classes with __set__ or
        // __delete__) win over the instance dict.
        let user_get = match &class_attr {
            Some(ca) => self.user_descriptor(ca),
            None => None,
        };
        if let Some(ca) = &class_attr {
            if matches!(self.heap_kind(ca), Some(Kind::Property)) {
                return self.bind(ca.clone(), obj.clone(), t).map(Some);
            }
            if let Some((get, true)) = &user_get {
                return self
                    .call(
                        get.clone(),
                        vec![ca.clone(), obj.clone(), Value::Obj(t)],
                        vec![],
                    )
                    .map(Some);
            }
        }
        if let Some(v) = self.instance_dict_get(obj, attr) {
            return Ok(Some(v));
        }
        match (class_attr, user_get) {
            (Some(ca), Some((get, false))) => self
                .call(get, vec![ca, obj.clone(), Value::Obj(t)], vec![])
                .map(Some),
            (Some(ca), _) => self.bind(ca, obj.clone(), t).map(Some),
            (None, _) => Ok(self.slot_wrapper(obj, attr)),
        }
    }

    /// The dunder methods every built-in value of a kind has in CPython
    /// (slot wrappers), for values that are not instances of user classes.
    fn slot_wrapper(&mut self, obj: &Value, attr: &PyStr) -> Option<Value> {
        let a = attr.as_str()?;
        if !a.starts_with("__") || !a.ends_with("__") {
            return None;
        }
        if matches!(obj, Value::Obj(id) if matches!(self.heap.get(*id), Obj::Instance { .. } | Obj::Type(_) | Obj::Module { .. }))
        {
            return None;
        }
        let is_iterator = matches!(obj, Value::Obj(id) if matches!(self.heap.get(*id), Obj::Iterator(_) | Obj::Generator(_)));
        let ok = match a {
            "__next__" => is_iterator,
            "__iter__" if is_iterator => true,
            "__iter__" | "__len__" | "__contains__" | "__getitem__" => match obj {
                Value::Str(_) | Value::Bytes(_) | Value::Tuple(_) => true,
                Value::Obj(id) => matches!(
                    self.heap.get(*id),
                    Obj::List(_)
                        | Obj::Dict(_)
                        | Obj::Set { .. }
                        | Obj::Range { .. }
                        | Obj::ByteArray(_)
                        | Obj::DictView { .. }
                ),
                _ => false,
            },
            "__setitem__" | "__delitem__" => {
                matches!(obj, Value::Obj(id) if matches!(self.heap.get(*id), Obj::List(_) | Obj::Dict(_) | Obj::ByteArray(_)))
            }
            "__repr__" | "__str__" | "__hash__" | "__eq__" | "__ne__" | "__lt__" | "__le__"
            | "__gt__" | "__ge__" | "__bool__" | "__add__" | "__sub__" | "__mul__" | "__mod__"
            | "__truediv__" | "__floordiv__" | "__neg__" | "__pos__" | "__abs__" | "__format__"
            | "__sizeof__" => true,
            _ => false,
        };
        ok.then(|| {
            Value::Obj(self.heap.alloc(Obj::SlotWrapper {
                name: attr.clone(),
                receiver: obj.clone(),
            }))
        })
    }

    /// Calls a slot wrapper: the built-in operation the dunder names.
    fn call_slot(&mut self, dunder: &PyStr, recv: &Value, args: Vec<Value>) -> PyResult<Value> {
        let a = dunder.as_str().unwrap_or("");
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::None);
        let cmp = |s: &str| match s {
            "__eq__" => Some(CmpOp::Eq),
            "__ne__" => Some(CmpOp::Ne),
            "__lt__" => Some(CmpOp::Lt),
            "__le__" => Some(CmpOp::Le),
            "__gt__" => Some(CmpOp::Gt),
            "__ge__" => Some(CmpOp::Ge),
            _ => None,
        };
        let bin = |s: &str| match s {
            "__add__" => Some(BinOp::Add),
            "__sub__" => Some(BinOp::Sub),
            "__mul__" => Some(BinOp::Mul),
            "__mod__" => Some(BinOp::Mod),
            "__truediv__" => Some(BinOp::TrueDiv),
            "__floordiv__" => Some(BinOp::FloorDiv),
            _ => None,
        };
        if let Some(op) = cmp(a) {
            return self.compare(op, recv, &arg(0));
        }
        if let Some(op) = bin(a) {
            return self.binary_op(op, recv, &arg(0), false);
        }
        match a {
            "__next__" => match self.next_of(recv)? {
                Some(v) => Ok(v),
                None => Err(self.new_error_args("StopIteration", vec![])),
            },
            "__iter__" => self.get_iter(recv),
            "__len__" => Ok(Value::int(self.len_of(recv)? as i64)),
            "__contains__" => Ok(Value::Bool(self.contains(recv, &arg(0))?)),
            "__getitem__" => self.get_item(recv, &arg(0)),
            "__setitem__" => self.set_item(recv, &arg(0), arg(1)).map(|()| Value::None),
            "__delitem__" => self.del_item(recv, &arg(0)).map(|()| Value::None),
            "__repr__" => Ok(Value::str(&self.repr_of(recv)?)),
            "__str__" => Ok(Value::str(&self.str_of(recv)?)),
            "__hash__" => Ok(Value::int(self.hash_of(recv)?)),
            "__bool__" => Ok(Value::Bool(self.truthy(recv)?)),
            "__neg__" => self.unary_op("-", recv),
            "__pos__" => self.unary_op("+", recv),
            "__abs__" => crate::builtins::call_builtin(
                self,
                crate::builtins::BuiltinId::Abs,
                None,
                vec![recv.clone()],
                vec![],
            ),
            "__format__" => {
                let spec = match arg(0) {
                    Value::Str(s) => text(&s),
                    _ => String::new(),
                };
                Ok(Value::str(&crate::builtins::format_value(
                    self, recv, &spec,
                )?))
            }
            _ => Err(Fault::Stuck(format!(
                "slot wrapper {a} is not implemented yet"
            ))),
        }
    }

    /// For an instance of a user class defining `__get__`: that method and
    /// whether it is a data descriptor (`__set__` or `__delete__` too).
    fn user_descriptor(&self, v: &Value) -> Option<(Value, bool)> {
        let Value::Obj(id) = v else { return None };
        if !matches!(self.heap.get(*id), Obj::Instance { .. }) {
            return None;
        }
        let t = self.type_of(v);
        let get = self.lookup_in_mro(t, &name("__get__"))?;
        let data = self.lookup_in_mro(t, &name("__set__")).is_some()
            || self.lookup_in_mro(t, &name("__delete__")).is_some();
        Some((get, data))
    }

    fn instance_dict_get(&self, obj: &Value, attr: &PyStr) -> Option<Value> {
        let Value::Obj(id) = obj else { return None };
        match self.heap.get(*id) {
            Obj::Instance { dict, .. } => match self.heap.get(*dict) {
                Obj::Dict(d) => d.get_str(attr).cloned(),
                _ => None,
            },
            Obj::Function(f) => f.dict.get_str(attr).cloned(),
            _ => None,
        }
    }

    /// Attributes CPython implements in C on every object of a kind.
    fn special_attr(&mut self, obj: &Value, a: &str) -> PyResult<Option<Value>> {
        if a == "__class__" {
            return Ok(Some(Value::Obj(self.type_of(obj))));
        }
        let Value::Obj(id) = obj else {
            return Ok(match (obj, a) {
                (Value::Complex(re, _), "real") => Some(Value::float(*re)),
                (Value::Complex(_, im), "imag") => Some(Value::float(*im)),
                (Value::Int(i), "real" | "numerator") => Some(Value::Int(i.clone())),
                (Value::Int(_), "imag") => Some(Value::int(0)),
                (Value::Int(_), "denominator") => Some(Value::int(1)),
                (Value::Bool(b), "real" | "numerator") => Some(Value::int(i64::from(*b))),
                (Value::Float(f), "real") => Some(Value::Float(f.clone())),
                (Value::Float(_), "imag") => Some(Value::float(0.0)),
                _ => None,
            });
        };
        // Containers have no special attributes: skip copying them.
        if matches!(
            self.heap.get(*id),
            Obj::List(_) | Obj::Dict(_) | Obj::Set { .. } | Obj::ByteArray(_) | Obj::Iterator(_)
        ) {
            return Ok(None);
        }
        let v = match (self.heap.get(*id).clone(), a) {
            (Obj::Type(t), "__name__") => Value::Str(t.name.clone()),
            (Obj::Type(t), "__qualname__") => Value::Str(t.qualname.clone()),
            (Obj::Type(t), "__module__") => Value::Str(t.module.clone()),
            (Obj::Type(t), "__mro__") => {
                Value::tuple(t.mro.iter().map(|c| Value::Obj(*c)).collect())
            }
            (Obj::Type(t), "__bases__") => {
                Value::tuple(t.bases.iter().map(|c| Value::Obj(*c)).collect())
            }
            (Obj::Type(t), "__base__") => t.bases.first().map_or(Value::None, |b| Value::Obj(*b)),
            (Obj::Type(t), "__dict__") => {
                let d = self.heap.alloc(Obj::Dict(t.dict.clone()));
                Value::Obj(self.heap.alloc(Obj::MappingProxy(d)))
            }
            // The read-only mapping methods of a mappingproxy are its dict's.
            (Obj::MappingProxy(d), "keys" | "values" | "items" | "get" | "copy") => {
                return self.get_attr_opt(&Value::Obj(d), &name(a));
            }
            (Obj::Type(t), "__doc__") => t
                .dict
                .get_str(&name("__doc__"))
                .cloned()
                .unwrap_or(Value::None),
            (Obj::Function(f), "__name__") => Value::Str(f.name.clone()),
            (Obj::Function(f), "__qualname__") => Value::Str(f.qualname.clone()),
            (Obj::Function(f), "__doc__") => f.doc.clone(),
            (Obj::Function(f), "__defaults__") => {
                if f.defaults.is_empty() {
                    Value::None
                } else {
                    Value::tuple(f.defaults.clone())
                }
            }
            (Obj::Function(f), "__module__") => {
                let g = f.globals;
                self.dict_get_str(g, "__name__").unwrap_or(Value::None)
            }
            (Obj::Function(f), "__kwdefaults__") => {
                if f.kwdefaults.is_empty() {
                    Value::None
                } else {
                    let mut d = Dict::default();
                    for (k, v) in &f.kwdefaults {
                        d.push(crate::pyhash::hash_str(k), Value::Str(k.clone()), v.clone());
                    }
                    Value::Obj(self.heap.alloc(Obj::Dict(d)))
                }
            }
            (Obj::Function(f), "__code__") => {
                Value::Obj(self.heap.alloc(Obj::Code(f.code.clone())))
            }
            (Obj::Function(f), "__globals__") => Value::Obj(f.globals),
            (Obj::Function(f), "__closure__") => {
                if f.closure.is_empty() {
                    Value::None
                } else {
                    Value::tuple(f.closure.iter().map(|c| Value::Obj(*c)).collect())
                }
            }
            (Obj::Function(f), "__annotations__") => match f.annotations {
                Some(a) => a,
                None => Value::Obj(self.heap.alloc(Obj::Dict(Dict::default()))),
            },
            (Obj::Function(f), "__dict__") => Value::Obj(self.heap.alloc(Obj::Dict(f.dict))),
            (Obj::Code(c), a) if a.starts_with("co_") => match code_attr(&c, a) {
                Some(v) => v,
                None => return Ok(None),
            },
            (Obj::Cell(c), "cell_contents") => match c {
                Some(v) => v,
                None => return Err(self.new_error("ValueError", "Cell is empty".into())),
            },
            (Obj::Generator(g), "gi_running") => Value::Bool(g.running),
            (Obj::Generator(g), "gi_code") => Value::Obj(self.heap.alloc(Obj::Code(g.code))),
            // A finished generator has no frame any more.
            (Obj::Generator(g), "gi_frame") => match (&g.frame, g.running) {
                (None, false) => Value::None,
                _ => Value::Obj(self.heap.alloc(Obj::GeneratorFrame(*id))),
            },
            (Obj::GeneratorFrame(gid), "f_code" | "f_lineno" | "f_lasti") => {
                let Obj::Generator(g) = self.heap.get(gid) else {
                    return Err(Fault::Stuck(
                        "a generator frame without its generator".into(),
                    ));
                };
                // Before its first step, a frame is at offset -1, on the
                // `def` line.
                let lasti: Option<u32> = match (&g.frame, g.started) {
                    (Some(f), true) => f.decoded.instructions.get(f.last).map(|i| i.start),
                    _ => None,
                };
                let code = g.code.clone();
                match a {
                    "f_code" => Value::Obj(self.heap.alloc(Obj::Code(code))),
                    "f_lineno" => Value::int(match lasti {
                        Some(o) => code.line_of(o),
                        None => i64::from(code.firstlineno),
                    }),
                    _ => Value::int(lasti.map_or(-1, i64::from)),
                }
            }
            (
                Obj::Instance {
                    exception: Some(e),
                    class,
                    ..
                },
                "errno" | "strerror",
            ) if self.is_subtype(class, self.types.get("OSError")) => {
                let i = usize::from(a == "strerror");
                if (2..=3).contains(&e.args.len()) {
                    e.args[i].clone()
                } else {
                    Value::None
                }
            }
            (
                Obj::Instance {
                    exception: Some(_),
                    class,
                    dict,
                    ..
                },
                "name" | "path",
            ) if self.is_subtype(class, self.types.get("ImportError"))
                && self.dict_get_str(dict, a).is_none() =>
            {
                Value::None
            }
            (Obj::Property { fdel, .. }, "fdel") => fdel,
            (Obj::BoundMethod { receiver, .. }, "__self__") => receiver,
            (Obj::BoundMethod { function, .. }, "__func__") => function,
            (Obj::BoundMethod { function, .. }, "__name__" | "__qualname__" | "__doc__") => {
                return self.get_attr_opt(&function, &name(a));
            }
            (Obj::Builtin { id, .. }, "__name__" | "__qualname__") => {
                Value::str(crate::builtins::name_of(id))
            }
            (Obj::Module { name: n, .. }, "__name__") => Value::Str(n),
            (Obj::Module { dict, .. }, "__dict__") => Value::Obj(dict),
            (Obj::Instance { dict, class, .. }, "__dict__") => {
                if self.class_slots(class).is_some() {
                    return Ok(None);
                }
                Value::Obj(dict)
            }
            (
                Obj::Instance {
                    exception: Some(e), ..
                },
                "args",
            ) => Value::tuple(e.args.clone()),
            (
                Obj::Instance {
                    exception: Some(e), ..
                },
                "__cause__",
            ) => e.cause.clone().unwrap_or(Value::None),
            (
                Obj::Instance {
                    exception: Some(e), ..
                },
                "__context__",
            ) => e.context.clone().unwrap_or(Value::None),
            (
                Obj::Instance {
                    exception: Some(e), ..
                },
                "__suppress_context__",
            ) => Value::Bool(e.suppress_context),
            (
                Obj::Instance {
                    exception: Some(e), ..
                },
                "__traceback__",
            ) => {
                if e.traceback.is_empty() {
                    Value::None
                } else {
                    return Err(Fault::Stuck(
                        "traceback objects are not implemented yet (__traceback__)".into(),
                    ));
                }
            }
            (
                Obj::Instance {
                    exception: Some(e),
                    class,
                    ..
                },
                "value",
            ) if self.is_subtype(class, self.types.get("StopIteration")) => {
                e.args.first().cloned().unwrap_or(Value::None)
            }
            (
                Obj::Instance {
                    exception: Some(e),
                    class,
                    ..
                },
                "code",
            ) if self.is_subtype(class, self.types.get("SystemExit")) => match e.args.len() {
                0 => Value::None,
                1 => e.args[0].clone(),
                _ => Value::tuple(e.args.clone()),
            },
            (Obj::Range { start, .. }, "start") => Value::Int(start),
            (Obj::Range { stop, .. }, "stop") => Value::Int(stop),
            (Obj::Range { step, .. }, "step") => Value::Int(step),
            (Obj::Slice { start, .. }, "start") => start,
            (Obj::Slice { stop, .. }, "stop") => stop,
            (Obj::Slice { step, .. }, "step") => step,
            (Obj::Property { fget, .. }, "fget") => fget,
            (Obj::Property { fset, .. }, "fset") => fset,
            (Obj::Property { doc, .. }, "__doc__") => doc,
            (Obj::Generator(g), "__name__") => Value::Str(g.name.clone()),
            (Obj::Generator(g), "__qualname__") => Value::Str(g.qualname.clone()),
            (Obj::StaticMethod(f) | Obj::ClassMethod(f), "__func__") => f,
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// A string-keyed entry of the dict object `d`.
    pub fn dict_get_str(&self, d: ObjId, key: &str) -> Option<Value> {
        match self.heap.get(d) {
            Obj::Dict(d) => d.get_str(&name(key)).cloned(),
            _ => None,
        }
    }

    /// The kind of some descriptor objects, for the lookup rules.
    fn heap_kind(&self, v: &Value) -> Option<Kind> {
        let Value::Obj(id) = v else { return None };
        match self.heap.get(*id) {
            Obj::Property { .. } | Obj::MemberDescriptor { .. } => Some(Kind::Property),
            Obj::ClassMethod(f) => Some(Kind::ClassMethod(f.clone())),
            Obj::StaticMethod(f) => Some(Kind::StaticMethod(f.clone())),
            _ => None,
        }
    }

    /// `setattr(obj, name, value)`.
    pub fn set_attr(&mut self, obj: &Value, attr: &PyStr, value: Value) -> PyResult<()> {
        let t = self.type_of(obj);
        if let Some(sa) = self.lookup_in_mro(t, &name("__setattr__")) {
            if !self.is_builtin_slot(&sa) {
                self.call(
                    sa,
                    vec![obj.clone(), Value::Str(attr.clone()), value],
                    vec![],
                )?;
                return Ok(());
            }
        }
        self.generic_set_attr(obj, attr, Some(value))
    }

    /// `object.__setattr__` / `object.__delattr__` (value `None` deletes).
    pub fn generic_set_attr(
        &mut self,
        obj: &Value,
        attr: &PyStr,
        value: Option<Value>,
    ) -> PyResult<()> {
        let t = self.type_of(obj);
        // A user descriptor's __set__ / __delete__ takes the assignment.
        if !self.is_type(obj) {
            if let Some(ca @ Value::Obj(cid)) = self.lookup_in_mro(t, attr) {
                if matches!(self.heap.get(cid), Obj::Instance { .. }) {
                    let ct = self.type_of(&ca);
                    let method = if value.is_some() {
                        "__set__"
                    } else {
                        "__delete__"
                    };
                    if let Some(f) = self.lookup_in_mro(ct, &name(method)) {
                        let mut args = vec![ca, obj.clone()];
                        args.extend(value);
                        self.call(f, args, vec![])?;
                        return Ok(());
                    }
                }
            }
        }
        if let Some(Value::Obj(pid)) = self.lookup_in_mro(t, attr) {
            if let Obj::MemberDescriptor { name, class } = self.heap.get(pid).clone() {
                let rid = self.member_receiver(obj, &name, class)?;
                if let Obj::Instance { slots, .. } = self.heap.get_mut(rid) {
                    let at = slots.iter().position(|(n, _)| *n == name);
                    match (at, value) {
                        (Some(i), Some(v)) => slots[i].1 = v,
                        (None, Some(v)) => slots.push((name, v)),
                        (Some(i), None) => {
                            slots.remove(i);
                        }
                        (None, None) => {
                            return Err(
                                self.new_error_args("AttributeError", vec![Value::Str(name)])
                            )
                        }
                    }
                }
                return Ok(());
            }
            {
                if let Obj::Property { fset, fdel, .. } = self.heap.get(pid).clone() {
                    let f = if value.is_some() { fset } else { fdel };
                    if matches!(f, Value::None) {
                        let what = if value.is_some() {
                            "can't set attribute"
                        } else {
                            "can't delete attribute"
                        };
                        return Err(self.new_error("AttributeError", what.into()));
                    }
                    let mut args = vec![obj.clone()];
                    args.extend(value);
                    self.call(f, args, vec![])?;
                    return Ok(());
                }
            }
        }
        let Value::Obj(id) = obj else {
            return Err(self.readonly_attr(obj, attr));
        };
        let slots = self.class_slots(t);
        let key_hash = crate::pyhash::hash_str(attr);
        match self.heap.get_mut(*id) {
            Obj::Instance { exception, .. } => {
                if let (Some(e), Some(a)) = (exception.as_mut(), attr.as_str()) {
                    match (a, &value) {
                        ("__cause__", Some(v)) => {
                            e.cause = if matches!(v, Value::None) {
                                None
                            } else {
                                Some(v.clone())
                            };
                            e.suppress_context = true;
                            return Ok(());
                        }
                        ("__context__", Some(v)) => {
                            e.context = if matches!(v, Value::None) {
                                None
                            } else {
                                Some(v.clone())
                            };
                            return Ok(());
                        }
                        ("__suppress_context__", Some(Value::Bool(b))) => {
                            e.suppress_context = *b;
                            return Ok(());
                        }
                        ("args", Some(Value::Tuple(items))) => {
                            e.args = items.to_vec();
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                if slots.is_some() {
                    // Slots are set through their descriptors, above.
                    {
                        let tn = self.type_name(t);
                        return Err(self.new_error(
                            "AttributeError",
                            format!("'{tn}' object has no attribute '{}'", text(attr)),
                        ));
                    }
                }
                let Obj::Instance { dict, .. } = self.heap.get(*id) else {
                    unreachable!()
                };
                let Obj::Dict(dict) = self.heap.get_mut(*dict) else {
                    return Err(Fault::Stuck("instance __dict__ is not a dict".into()));
                };
                // Deleting a missing attribute raises AttributeError(name).
                set_str_entry(dict, key_hash, attr, value)
                    .ok_or(())
                    .map_err(|()| {
                        self.new_error_args("AttributeError", vec![Value::Str(attr.clone())])
                    })
            }
            Obj::Function(f)
                if matches!(attr.as_str(), Some("__name__" | "__qualname__" | "__doc__")) =>
            {
                match (attr.as_str(), value) {
                    (Some("__name__"), Some(Value::Str(s))) => f.name = s,
                    (Some("__qualname__"), Some(Value::Str(s))) => f.qualname = s,
                    (Some("__doc__"), Some(v)) => f.doc = v,
                    _ => {
                        return Err(
                            self.type_error("__name__ must be set to a string object".into())
                        )
                    }
                }
                Ok(())
            }
            Obj::Function(f) => set_str_entry(&mut f.dict, key_hash, attr, value)
                .ok_or(())
                .map_err(|()| self.attribute_error(obj, attr)),
            Obj::Type(ty) => set_str_entry(&mut ty.dict, key_hash, attr, value)
                .ok_or(())
                .map_err(|()| self.attribute_error(obj, attr)),
            Obj::Module { dict, .. } => {
                let d = *dict;
                match self.heap.get_mut(d) {
                    Obj::Dict(dd) => set_str_entry(dd, key_hash, attr, value)
                        .ok_or(())
                        .map_err(|()| self.attribute_error(obj, attr)),
                    _ => Err(Fault::Stuck("module without a dict".into())),
                }
            }
            _ => Err(self.readonly_attr(obj, attr)),
        }
    }

    /// The attribute names instances of `t` may have when every user class
    /// in its MRO declares `__slots__` (so instances have no `__dict__`);
    /// `None` when instances have a `__dict__`.
    fn class_slots(&self, t: ObjId) -> Option<Vec<PyStr>> {
        let mut all = Vec::new();
        let mut user_classes = 0;
        for c in &self.type_object(t).mro {
            let ty = self.type_object(*c);
            if ty.module.as_str() == Some("builtins") {
                continue;
            }
            user_classes += 1;
            match &ty.slots {
                Some(s) => all.extend(s.iter().cloned()),
                None => return None,
            }
        }
        // A bare `object()` has no __dict__ either.
        (user_classes > 0 || t == self.types.object).then_some(all)
    }

    fn readonly_attr(&mut self, obj: &Value, attr: &PyStr) -> Fault {
        let t = self.type_name_of(obj);
        self.new_error(
            "AttributeError",
            format!("'{t}' object has no attribute '{}'", text(attr)),
        )
    }

    // ----- truth, equality, hashing --------------------------------------

    /// `bool(v)`.
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        Ok(match v {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(Int::Small(i)) => *i != 0,
            Value::Int(Int::Big(_)) => true,
            Value::Float(f) => f.get() != 0.0,
            Value::Complex(a, b) => *a != 0.0 || *b != 0.0,
            Value::Str(s) => match s {
                PyStr::Utf8(s) => !s.is_empty(),
                PyStr::CodePoints(p) => !p.is_empty(),
            },
            Value::Bytes(b) => !b.is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::NotImplemented | Value::Ellipsis => true,
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::List(l) => !l.is_empty(),
                Obj::Dict(d) => d.len > 0,
                Obj::Set { table, .. } => !table.is_empty(),
                Obj::DictView { .. } => self.len_of(v)? > 0,
                Obj::ByteArray(b) => !b.is_empty(),
                Obj::Range { .. } => self.len_of(v)? > 0,
                Obj::Instance { .. } => {
                    let t = self.type_of(v);
                    if let Some(b) = self.lookup_in_mro(t, &name("__bool__")) {
                        let r = self.call(b, vec![v.clone()], vec![])?;
                        return match r {
                            Value::Bool(b) => Ok(b),
                            other => {
                                let tn = self.type_name_of(&other);
                                Err(self.type_error(format!(
                                    "__bool__ should return bool, returned {tn}"
                                )))
                            }
                        };
                    }
                    if self.lookup_in_mro(t, &name("__len__")).is_some() {
                        return Ok(self.len_of(v)? > 0);
                    }
                    if let Some(b) = self.base_of(v) {
                        return self.truthy(&b);
                    }
                    true
                }
                _ => true,
            },
        })
    }

    /// `a == b` as a truth value (identity first, as containers compare).
    pub fn eq(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        if a.is(b) {
            return Ok(true);
        }
        let r = self.compare(CmpOp::Eq, a, b)?;
        self.truthy(&r)
    }

    /// `hash(v)`.
    pub fn hash_of(&mut self, v: &Value) -> PyResult<i64> {
        use crate::pyhash::*;
        Ok(match v {
            Value::None => 0x5f3759df,
            Value::NotImplemented => 0x2e_1337,
            Value::Ellipsis => 0x2e_2e2e,
            Value::Bool(b) => hash_bool(*b),
            Value::Int(Int::Small(i)) => hash_i64(*i),
            Value::Int(Int::Big(b)) => hash_int(b),
            Value::Float(f) => hash_float(f.get()),
            Value::Complex(a, b) => hash_complex(*a, *b),
            Value::Str(s) => hash_str(s),
            Value::Bytes(b) => hash_bytes(b),
            Value::Tuple(items) => {
                let mut hs = Vec::with_capacity(items.len());
                for i in items.iter() {
                    hs.push(self.hash_of(i)?);
                }
                hash_tuple(&hs)
            }
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::List(_)
                | Obj::Dict(_)
                | Obj::Set { frozen: false, .. }
                | Obj::ByteArray(_) => {
                    let tn = self.type_name_of(v);
                    return Err(self.type_error(format!("unhashable type: '{tn}'")));
                }
                // range_hash: equal ranges hash alike, through the tuple
                // (len, start, step), with None for what len makes moot.
                Obj::Range { start, stop, step } => {
                    let (start, stop, step) = (start.clone(), stop.clone(), step.clone());
                    let n = range_len(&start, &stop, &step);
                    let len = Value::Int(Int::from_big(n.clone()));
                    let t = if n.is_zero() {
                        vec![len, Value::None, Value::None]
                    } else if n == BigInt::from(1) {
                        vec![len, Value::Int(start), Value::None]
                    } else {
                        vec![len, Value::Int(start), Value::Int(step)]
                    };
                    return self.hash_of(&Value::tuple(t));
                }
                Obj::Set {
                    frozen: true,
                    table,
                } => {
                    let hs: Vec<i64> = table.iter_hashed().map(|(h, _)| h).collect();
                    hash_frozenset(&hs)
                }
                Obj::Instance { .. } => {
                    let t = self.type_of(v);
                    match self.lookup_in_mro(t, &name("__hash__")) {
                        Some(Value::None) => {
                            let tn = self.type_name(t);
                            return Err(self.type_error(format!("unhashable type: '{tn}'")));
                        }
                        Some(h) if !self.is_builtin_slot(&h) => {
                            let r = self.call(h, vec![v.clone()], vec![])?;
                            match r {
                                // slot_tp_hash keeps a result that fits a
                                // Py_ssize_t as it is (-1 becomes -2).
                                Value::Int(Int::Small(i)) => {
                                    if i == -1 {
                                        -2
                                    } else {
                                        i
                                    }
                                }
                                Value::Int(Int::Big(b)) => hash_int(&b),
                                Value::Bool(b) => hash_bool(b),
                                _ => {
                                    return Err(self.type_error(
                                        "__hash__ method should return an integer".into(),
                                    ))
                                }
                            }
                        }
                        _ => match self.base_of(v) {
                            Some(b) => self.hash_of(&b)?,
                            None => identity_hash(*id),
                        },
                    }
                }
                _ => identity_hash(*id),
            },
        })
    }

    // ----- comparisons ---------------------------------------------------

    /// A rich comparison, with CPython's reflection rules.
    pub fn compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> PyResult<Value> {
        if let Some(o) = self.native_compare(op, a, b)? {
            return Ok(Value::Bool(o));
        }
        let ta = self.type_of(a);
        let tb = self.type_of(b);
        let forward = self.lookup_in_mro(ta, &name(op.dunder()));
        let reflected = self.lookup_in_mro(tb, &name(op.reflected().dunder()));
        let user = |m: &Self, f: &Option<Value>| f.as_ref().is_some_and(|f| !m.is_builtin_slot(f));
        let reflect_first = ta != tb && self.is_subtype(tb, ta) && user(self, &reflected);
        if reflect_first {
            let r = self.call(
                reflected.clone().unwrap_or(Value::None),
                vec![b.clone(), a.clone()],
                vec![],
            )?;
            if !matches!(r, Value::NotImplemented) {
                return Ok(r);
            }
        }
        if user(self, &forward) {
            let r = self.call(
                forward.unwrap_or(Value::None),
                vec![a.clone(), b.clone()],
                vec![],
            )?;
            if !matches!(r, Value::NotImplemented) {
                return Ok(r);
            }
        }
        if !reflect_first && user(self, &reflected) {
            let r = self.call(
                reflected.unwrap_or(Value::None),
                vec![b.clone(), a.clone()],
                vec![],
            )?;
            if !matches!(r, Value::NotImplemented) {
                return Ok(r);
            }
        }
        let (ba, bb) = (self.base_of(a), self.base_of(b));
        if ba.is_some() || bb.is_some() {
            let a2 = ba.unwrap_or_else(|| a.clone());
            let b2 = bb.unwrap_or_else(|| b.clone());
            return self.compare(op, &a2, &b2);
        }
        match op {
            CmpOp::Eq => Ok(Value::Bool(a.is(b))),
            CmpOp::Ne => {
                // object.__ne__ inverts a user __eq__.
                if let Some(eq) = self.lookup_in_mro(ta, &name("__eq__")) {
                    if !self.is_builtin_slot(&eq) {
                        let r = self.call(eq, vec![a.clone(), b.clone()], vec![])?;
                        if !matches!(r, Value::NotImplemented) {
                            let t = self.truthy(&r)?;
                            return Ok(Value::Bool(!t));
                        }
                    }
                }
                Ok(Value::Bool(!a.is(b)))
            }
            _ => {
                let (na, nb) = (self.type_name(ta), self.type_name(tb));
                Err(self.type_error(format!(
                    "'{}' not supported between instances of '{na}' and '{nb}'",
                    op.symbol()
                )))
            }
        }
    }

    /// Comparisons between built-in values; `None` when the operands need
    /// the dunder protocol.
    fn native_compare(&mut self, op: CmpOp, a: &Value, b: &Value) -> PyResult<Option<bool>> {
        if let (Some(x), Some(y)) = (num_of(a), num_of(b)) {
            return Ok(match (&x, &y) {
                (Num::Complex(..), _) | (_, Num::Complex(..)) => match op {
                    CmpOp::Eq | CmpOp::Ne => {
                        let (ar, ai) = x.to_complex();
                        let (br, bi) = y.to_complex();
                        Some(op.holds(if ar == br && ai == bi {
                            Ordering::Equal
                        } else {
                            Ordering::Less
                        }))
                    }
                    _ => None,
                },
                _ => match compare_real(&x, &y) {
                    Some(o) => Some(op.holds(o)),
                    // NaN: every ordering is false, != is true.
                    None => Some(op == CmpOp::Ne),
                },
            });
        }
        // `dict_keys`/`dict_items` compare like sets.
        if let Some(r) = crate::builtins::dict_view_compare(self, op, a, b)? {
            return Ok(Some(r));
        }
        // bytes and bytearray compare with each other by content.
        if let (Some(x), Some(y)) = (self.buffer_of(a), self.buffer_of(b)) {
            return Ok(Some(op.holds(x.cmp(&y))));
        }
        match (a, b) {
            (Value::Str(x), Value::Str(y)) => Ok(Some(op.holds(cmp_str(x, y)))),
            (Value::Tuple(x), Value::Tuple(y)) => {
                let (x, y) = (x.clone(), y.clone());
                self.compare_sequences(op, &x, &y).map(Some)
            }
            (Value::Obj(ia), Value::Obj(ib)) => {
                match (self.heap.get(*ia).clone(), self.heap.get(*ib).clone()) {
                    (Obj::List(x), Obj::List(y)) => self.compare_sequences(op, &x, &y).map(Some),
                    (Obj::Dict(x), Obj::Dict(y)) => match op {
                        CmpOp::Eq | CmpOp::Ne => {
                            let eq = self.dicts_equal(&x, &y)?;
                            Ok(Some(eq == (op == CmpOp::Eq)))
                        }
                        _ => Ok(None),
                    },
                    (Obj::Set { table: x, .. }, Obj::Set { table: y, .. }) => {
                        crate::builtins::set_compare(self, op, &x, &y).map(Some)
                    }
                    (Obj::Range { .. }, Obj::Range { .. })
                        if matches!(op, CmpOp::Eq | CmpOp::Ne) =>
                    {
                        let x = self.collect(a)?;
                        let y = self.collect(b)?;
                        let r = self.compare_sequences(CmpOp::Eq, &x, &y)?;
                        Ok(Some(r == (op == CmpOp::Eq)))
                    }
                    _ => Ok(None),
                }
            }
            _ => Ok(None),
        }
    }

    fn dicts_equal(&mut self, x: &Dict, y: &Dict) -> PyResult<bool> {
        if x.len != y.len {
            return Ok(false);
        }
        for e in x.iter() {
            match self.dict_lookup(y, &e.key, e.hash)? {
                Some(i) => {
                    let other = y.entries[i]
                        .as_ref()
                        .map(|e| e.value.clone())
                        .unwrap_or(Value::None);
                    if !self.eq(&e.value, &other)? {
                        return Ok(false);
                    }
                }
                None => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Lexicographic comparison of two sequences, as `list_richcompare`.
    fn compare_sequences(&mut self, op: CmpOp, x: &[Value], y: &[Value]) -> PyResult<bool> {
        if matches!(op, CmpOp::Eq | CmpOp::Ne) && x.len() != y.len() {
            return Ok(op == CmpOp::Ne);
        }
        for (a, b) in x.iter().zip(y.iter()) {
            if !self.eq(a, b)? {
                if op == CmpOp::Eq {
                    return Ok(false);
                }
                if op == CmpOp::Ne {
                    return Ok(true);
                }
                let r = self.compare(op, a, b)?;
                return self.truthy(&r);
            }
        }
        Ok(op.holds(x.len().cmp(&y.len())))
    }

    /// Index of `key` in dict `d`, comparing as CPython does.
    pub fn dict_lookup(&mut self, d: &Dict, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        for i in d.candidates(hash) {
            if let Some(e) = &d.entries[i] {
                if e.key.is(key) || self.eq(&e.key, key)? {
                    return Ok(Some(i));
                }
            }
        }
        Ok(None)
    }

    // ----- str and repr --------------------------------------------------

    /// `repr(v)`.
    pub fn repr_of(&mut self, v: &Value) -> PyResult<String> {
        Ok(match v {
            Value::None => "None".into(),
            Value::NotImplemented => "NotImplemented".into(),
            Value::Ellipsis => "Ellipsis".into(),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::Int(Int::Small(i)) => i.to_string(),
            Value::Int(Int::Big(b)) => self.big_to_str(b)?,
            Value::Float(f) => repr_float(f.get()),
            Value::Complex(a, b) => repr_complex(*a, *b),
            Value::Str(s) => {
                // A repr can be ten times its string: past this bound the
                // specification reports MemoryError (a resource limit; the
                // host's memory is CPython's), so `s = repr(s)` in a loop
                // ends in an error, not in exhausting the machine.
                let size = match s {
                    PyStr::Utf8(u) => u.len(),
                    other => other.code_points().len(),
                };
                if size > MAX_COLLECTION / 8 {
                    return Err(self.new_error_args("MemoryError", vec![]));
                }
                repr_str(s)
            }
            Value::Bytes(b) => repr_bytes(b),
            Value::Tuple(items) => {
                let items = items.clone();
                let mut parts = Vec::with_capacity(items.len());
                for i in items.iter() {
                    parts.push(self.repr_of(i)?);
                }
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            Value::Obj(id) => self.repr_obj(*id, v)?,
        })
    }

    fn big_to_str(&mut self, b: &BigInt) -> PyResult<String> {
        // CPython 3.9.18 limits int/str conversions to 4300 digits.
        let s = b.to_string();
        let digits = s.trim_start_matches('-').len();
        if digits > 4300 {
            return Err(self.new_error(
                "ValueError",
                "Exceeds the limit (4300) for integer string conversion: value has {digits} digits; use sys.set_int_max_str_digits() to increase the limit"
                    .replace("{digits}", &digits.to_string()),
            ));
        }
        Ok(s)
    }

    fn repr_obj(&mut self, id: ObjId, v: &Value) -> PyResult<String> {
        if self.repr_stack.contains(&id) {
            return Ok(match self.heap.get(id) {
                Obj::List(_) => "[...]".into(),
                Obj::Dict(_) => "{...}".into(),
                _ => "...".into(),
            });
        }
        let t = self.type_of(v);
        if let Some(r) = self.lookup_in_mro(t, &name("__repr__")) {
            if !self.is_builtin_slot(&r) {
                let out = self.call(r, vec![v.clone()], vec![])?;
                return match out {
                    Value::Str(s) => Ok(text(&s)),
                    other => {
                        let tn = self.type_name_of(&other);
                        Err(self.type_error(format!("__repr__ returned non-string (type {tn})")))
                    }
                };
            }
        }
        if let Some(b) = self.base_of(v) {
            return self.repr_of(&b);
        }
        self.repr_stack.push(id);
        let r = self.repr_obj_builtin(id, v);
        self.repr_stack.pop();
        r
    }

    fn repr_obj_builtin(&mut self, id: ObjId, v: &Value) -> PyResult<String> {
        Ok(match self.heap.get(id).clone() {
            Obj::List(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for i in &items {
                    parts.push(self.repr_of(i)?);
                }
                format!("[{}]", parts.join(", "))
            }
            Obj::Dict(d) => {
                let mut parts = Vec::with_capacity(d.len);
                for e in d.iter() {
                    let k = self.repr_of(&e.key)?;
                    let val = self.repr_of(&e.value)?;
                    parts.push(format!("{k}: {val}"));
                }
                format!("{{{}}}", parts.join(", "))
            }
            Obj::Set { table, frozen } => {
                let mut parts = Vec::with_capacity(table.len());
                for i in table.iter() {
                    parts.push(self.repr_of(i)?);
                }
                match (frozen, parts.is_empty()) {
                    (false, true) => "set()".into(),
                    (false, false) => format!("{{{}}}", parts.join(", ")),
                    (true, true) => "frozenset()".into(),
                    (true, false) => format!("frozenset({{{}}})", parts.join(", ")),
                }
            }
            Obj::Type(t) => {
                let m = text(&t.module);
                if m == "builtins" {
                    format!("<class '{}'>", text(&t.qualname))
                } else {
                    format!("<class '{m}.{}'>", text(&t.qualname))
                }
            }
            Obj::Function(f) => format!("<function {} at {}>", text(&f.qualname), fake_address(id)),
            Obj::Builtin {
                id: b,
                receiver: None,
            } => {
                format!("<built-in function {}>", crate::builtins::name_of(b))
            }
            Obj::Builtin {
                id: b,
                receiver: Some(r),
            } => {
                let tn = self.type_name_of(&r);
                format!(
                    "<built-in method {} of {tn} object at {}>",
                    crate::builtins::name_of(b),
                    fake_address(id)
                )
            }
            Obj::BoundMethod { receiver, function } => {
                let fname = match self.get_attr_opt(&function, &name("__qualname__"))? {
                    Some(Value::Str(s)) => text(&s),
                    _ => "?".into(),
                };
                let r = self.repr_of(&receiver)?;
                format!("<bound method {fname} of {r}>")
            }
            Obj::Module { name: n, .. } => format!("<module '{}'>", text(&n)),
            Obj::Range { start, stop, step } => {
                if step == Int::Small(1) {
                    format!("range({}, {})", int_text(&start), int_text(&stop))
                } else {
                    format!(
                        "range({}, {}, {})",
                        int_text(&start),
                        int_text(&stop),
                        int_text(&step)
                    )
                }
            }
            Obj::Slice { start, stop, step } => {
                let (a, b, c) = (
                    self.repr_of(&start)?,
                    self.repr_of(&stop)?,
                    self.repr_of(&step)?,
                );
                format!("slice({a}, {b}, {c})")
            }
            Obj::Instance {
                exception: Some(_), ..
            } => self.exception_repr(v)?,
            Obj::DictView { dict, kind } => {
                let items = self.collect(v)?;
                let _ = dict;
                let mut parts = Vec::with_capacity(items.len());
                for i in &items {
                    parts.push(self.repr_of(i)?);
                }
                let name = ["dict_keys", "dict_values", "dict_items"][usize::from(kind.min(2))];
                format!("{name}([{}])", parts.join(", "))
            }
            Obj::Code(c) => crate::pyrepr::repr_code(&c, &fake_address(id)),
            Obj::MappingProxy(d) => format!("mappingproxy({})", self.repr_of(&Value::Obj(d))?),
            Obj::MemberDescriptor { name, class } => {
                format!(
                    "<member '{}' of '{}' objects>",
                    text(&name),
                    self.type_name(class)
                )
            }
            Obj::GetSetDescriptor { name, class } => format!(
                "<attribute '{}' of '{}' objects>",
                text(&name),
                self.type_name(class)
            ),
            Obj::Generator(g) => format!(
                "<generator object {} at {}>",
                text(&g.qualname),
                fake_address(id)
            ),
            Obj::Cell(_) => format!("<cell at {}>", fake_address(id)),
            Obj::ByteArray(b) => format!("bytearray({})", repr_bytes(&b)),
            _ => {
                let t = self.type_of(v);
                let ty = self.type_object(t);
                let m = text(&ty.module);
                let q = text(&ty.qualname);
                if m == "builtins" {
                    format!("<{q} object at {}>", fake_address(id))
                } else {
                    format!("<{m}.{q} object at {}>", fake_address(id))
                }
            }
        })
    }

    /// `object.__repr__`: `<module.Class object at 0x...>`.
    pub fn default_repr(&self, v: &Value) -> String {
        let t = self.type_of(v);
        let ty = self.type_object(t);
        let m = text(&ty.module);
        let q = text(&ty.qualname);
        let addr = match v {
            Value::Obj(id) => fake_address(*id),
            _ => "0x7f0000000000".into(),
        };
        if m == "builtins" {
            format!("<{q} object at {addr}>")
        } else {
            format!("<{m}.{q} object at {addr}>")
        }
    }

    /// `dir(v)`: the sorted attribute names of an object, its class and bases.
    pub fn dir_of(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        let mut names: Vec<String> = Vec::new();
        let mut add = |d: &Dict| {
            for e in d.iter() {
                if let Value::Str(s) = &e.key {
                    names.push(text(s));
                }
            }
        };
        if let Value::Obj(id) = v {
            match self.heap.get(*id) {
                Obj::Instance { dict, .. } => {
                    if let Obj::Dict(d) = self.heap.get(*dict) {
                        add(d);
                    }
                }
                Obj::Module { dict, .. } => {
                    if let Obj::Dict(d) = self.heap.get(*dict) {
                        add(d);
                    }
                }
                _ => {}
            }
        }
        let t = if self.is_type(v) {
            v.obj().unwrap_or(self.types.object)
        } else {
            self.type_of(v)
        };
        let is_module =
            matches!(v, Value::Obj(id) if matches!(self.heap.get(*id), Obj::Module { .. }));
        if !is_module {
            for c in self.type_object(t).mro.clone() {
                add(&self.type_object(c).dict.clone());
            }
        }
        names.sort();
        names.dedup();
        Ok(names.into_iter().map(|n| Value::str(&n)).collect())
    }

    /// `str(v)`.
    pub fn str_of(&mut self, v: &Value) -> PyResult<String> {
        match v {
            Value::Str(s) => Ok(text(s)),
            Value::Obj(id) => {
                let t = self.type_of(v);
                if let Some(s) = self.lookup_in_mro(t, &name("__str__")) {
                    if !self.is_builtin_slot(&s) {
                        let out = self.call(s, vec![v.clone()], vec![])?;
                        return match out {
                            Value::Str(s) => Ok(text(&s)),
                            other => {
                                let tn = self.type_name_of(&other);
                                Err(self
                                    .type_error(format!("__str__ returned non-string (type {tn})")))
                            }
                        };
                    }
                }
                if self.is_exception(v) {
                    return self.exception_str(*id);
                }
                // str.__str__ gives the string itself; other built-in bases
                // have object.__str__, which is repr(self).
                if let Some(b @ Value::Str(_)) = self.base_of(v) {
                    return self.str_of(&b);
                }
                self.repr_of(v)
            }
            _ => self.repr_of(v),
        }
    }

    /// `len(v)`.
    pub fn len_of(&mut self, v: &Value) -> PyResult<usize> {
        if let Some(d) = self.proxied(v) {
            return self.len_of(&d);
        }
        let n = match v {
            Value::Str(PyStr::Utf8(s)) => s.chars().count(),
            Value::Str(PyStr::CodePoints(p)) => p.len(),
            Value::Bytes(b) => b.len(),
            Value::Tuple(t) => t.len(),
            Value::Obj(id) if matches!(self.heap.get(*id), Obj::List(_) | Obj::Dict(_)) => {
                match self.heap.get(*id) {
                    Obj::List(l) => l.len(),
                    Obj::Dict(d) => d.len,
                    _ => 0,
                }
            }
            Value::Obj(id) => match self.heap.get(*id).clone() {
                Obj::List(l) => l.len(),
                Obj::Dict(d) => d.len,
                Obj::Set { table, .. } => table.len(),
                Obj::DictView { dict, .. } => match self.heap.get(dict) {
                    Obj::Dict(d) => d.len,
                    _ => 0,
                },
                Obj::ByteArray(b) => b.len(),
                Obj::Range { start, stop, step } => range_len(&start, &stop, &step)
                    .to_usize()
                    .unwrap_or(usize::MAX),
                _ => return self.len_dunder(v),
            },
            _ => return self.len_dunder(v),
        };
        Ok(n)
    }

    fn len_dunder(&mut self, v: &Value) -> PyResult<usize> {
        let t = self.type_of(v);
        match self.lookup_in_mro(t, &name("__len__")) {
            Some(f) => {
                let r = self.call(f, vec![v.clone()], vec![])?;
                match r {
                    Value::Int(i) => match i.to_i64() {
                        Some(n) if n >= 0 => Ok(n as usize),
                        Some(_) => {
                            Err(self.new_error("ValueError", "__len__() should return >= 0".into()))
                        }
                        None => Err(self.new_error(
                            "OverflowError",
                            "cannot fit 'int' into an index-sized integer".into(),
                        )),
                    },
                    Value::Bool(b) => Ok(usize::from(b)),
                    other => {
                        let tn = self.type_name_of(&other);
                        Err(self.type_error(format!(
                            "'{tn}' object cannot be interpreted as an integer"
                        )))
                    }
                }
            }
            None => {
                if let Some(b) = self.base_of(v) {
                    return self.len_of(&b);
                }
                let tn = self.type_name_of(v);
                Err(self.type_error(format!("object of type '{tn}' has no len()")))
            }
        }
    }

    /// Every item of an iterable, in iteration order.
    pub fn collect(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        match v {
            Value::Tuple(t) => return Ok(t.to_vec()),
            Value::Obj(id) => {
                if let Obj::List(l) = self.heap.get(*id) {
                    return Ok(l.clone());
                }
            }
            _ => {}
        }
        let it = self.get_iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.next_of(&it)? {
            if out.len() >= MAX_COLLECTION {
                return Err(self.new_error_args("MemoryError", vec![]));
            }
            // A native loop is one step: the heap limit is checked here too.
            if self.heap.len() > self.max_objects {
                return Err(Fault::Exhausted(super::Exhaustion::Memory(
                    self.max_objects,
                )));
            }
            out.push(x);
        }
        Ok(out)
    }
}

/// What `prepare_call` decided.
pub enum Prepared {
    /// The call is done (native code ran it).
    Done(Value),
    /// A Python frame to run.
    Frame(Box<Frame>),
}

/// How a frame that returns to native code finished.
#[derive(Clone, Debug)]
pub enum NativeReturn {
    /// It returned this value.
    Returned(Value),
    /// A generator frame yielded this value.
    Yielded(Value),
}

enum Kind {
    Property,
    ClassMethod(Value),
    StaticMethod(Value),
}

/// Sets (or with `None` deletes) a string key; `None` when deleting an
/// absent key.
fn set_str_entry(d: &mut Dict, hash: i64, key: &PyStr, value: Option<Value>) -> Option<()> {
    match (d.find_str(key), value) {
        (Some(i), Some(v)) => {
            if let Some(e) = d.entries[i].as_mut() {
                e.value = v;
            }
            Some(())
        }
        (None, Some(v)) => {
            d.push(hash, Value::Str(key.clone()), v);
            Some(())
        }
        (Some(i), None) => d.remove_at(i).map(|_| ()),
        (None, None) => None,
    }
}

/// The `co_*` attributes of a code object.
fn code_attr(c: &crate::code::CodeObject, a: &str) -> Option<Value> {
    let names = |v: &[PyStr]| Value::tuple(v.iter().map(|s| Value::Str(s.clone())).collect());
    Some(match a {
        "co_name" => Value::Str(c.name.clone()),
        "co_filename" => Value::Str(c.filename.clone()),
        "co_argcount" => Value::int(i64::from(c.argcount)),
        "co_posonlyargcount" => Value::int(i64::from(c.posonlyargcount)),
        "co_kwonlyargcount" => Value::int(i64::from(c.kwonlyargcount)),
        "co_nlocals" => Value::int(i64::from(c.nlocals)),
        "co_stacksize" => Value::int(i64::from(c.stacksize)),
        "co_flags" => Value::int(i64::from(c.flags)),
        "co_firstlineno" => Value::int(i64::from(c.firstlineno)),
        "co_varnames" => names(&c.varnames),
        "co_names" => names(&c.names),
        "co_cellvars" => names(&c.cellvars),
        "co_freevars" => names(&c.freevars),
        "co_code" => Value::Bytes(c.code.clone()),
        "co_lnotab" => Value::Bytes(c.lnotab.clone()),
        _ => return None,
    })
}

/// CPython's `_Py_HashPointer` stand-in: objects hash by identity.
fn identity_hash(id: ObjId) -> i64 {
    i64::from(id.0) * 16 + 0x7f00_0000
}

/// The address shown in default reprs (`<X object at 0x...>`): stable per
/// object, not CPython's (which no program can rely on).
pub fn fake_address(id: ObjId) -> String {
    format!("0x7f{:010x}", u64::from(id.0) * 48 + 0x1000)
}

fn int_text(i: &Int) -> String {
    match i {
        Int::Small(i) => i.to_string(),
        Int::Big(b) => b.to_string(),
    }
}

/// The number of items of `range(start, stop, step)`.
pub fn range_len(start: &Int, stop: &Int, step: &Int) -> BigInt {
    let (a, b, s) = (start.to_big(), stop.to_big(), step.to_big());
    if s.is_positive() {
        if a >= b {
            BigInt::zero()
        } else {
            (b - a - 1) / &s + 1
        }
    } else if a <= b {
        BigInt::zero()
    } else {
        (a - b - 1) / (-s) + 1
    }
}

/// Code-point order of two strings, as CPython compares `str`.
pub fn cmp_str(a: &PyStr, b: &PyStr) -> Ordering {
    match (a, b) {
        (PyStr::Utf8(x), PyStr::Utf8(y)) => x.cmp(y),
        _ => a.code_points().cmp(&b.code_points()),
    }
}

/// A number, for mixed-type arithmetic and comparison.
#[derive(Clone, Debug)]
pub enum Num {
    /// `int` or `bool`.
    Int(BigInt),
    /// `float`.
    Float(f64),
    /// `complex`.
    Complex(f64, f64),
}

impl Num {
    fn to_complex(&self) -> (f64, f64) {
        match self {
            Num::Int(i) => (i.to_f64().unwrap_or(f64::INFINITY), 0.0),
            Num::Float(f) => (*f, 0.0),
            Num::Complex(a, b) => (*a, *b),
        }
    }
}

/// The number a value is, if it is one.
pub fn num_of(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(BigInt::from(i64::from(*b)))),
        Value::Int(i) => Some(Num::Int(i.to_big())),
        Value::Float(f) => Some(Num::Float(f.get())),
        Value::Complex(a, b) => Some(Num::Complex(*a, *b)),
        _ => None,
    }
}

/// Exact comparison of two real numbers (ints compare exactly with floats,
/// as `float_richcompare` does); `None` when a NaN is involved.
fn compare_real(a: &Num, b: &Num) -> Option<Ordering> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(y),
        (Num::Int(x), Num::Float(y)) => compare_int_float(x, *y),
        (Num::Float(x), Num::Int(y)) => compare_int_float(y, *x).map(Ordering::reverse),
        _ => None,
    }
}

fn compare_int_float(i: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    // Compare against floor(f), then let the fraction break a tie.
    let fl = f.floor();
    let fi = num_bigint::BigInt::from_biguint(
        if fl < 0.0 {
            num_bigint::Sign::Minus
        } else {
            num_bigint::Sign::Plus
        },
        num_bigint::BigUint::from_bytes_le(&float_int_bytes(fl.abs())),
    );
    match i.cmp(&fi) {
        Ordering::Equal if f > fl => Some(Ordering::Less),
        o => Some(o),
    }
}

/// The little-endian magnitude bytes of an integral, finite, non-negative float.
fn float_int_bytes(f: f64) -> Vec<u8> {
    if f < 1.0 {
        return vec![0];
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let n = num_bigint::BigUint::from(mant);
    let n = if exp >= 0 {
        n << exp as usize
    } else {
        n >> (-exp) as usize
    };
    n.to_bytes_le()
}
