//! Attributes: lookup through instance dicts and the MRO with descriptors
//! (functions bind, `property`, `classmethod`, `staticmethod`, user
//! `__get__`), `__getattr__`, built-in methods, special attributes; and
//! class creation (`__build_class__`) and `super()`.

use super::types::str_hash;
use super::{gap, Fault, Res, Vm};
use crate::dict::Dict;
use crate::heap::{Class, ExcKind, Obj, Ty};
use crate::value::{ObjRef, Value};

impl Vm {
    fn attr_name(&self, name: Value) -> std::rc::Rc<str> {
        match self.heap.obj(name) {
            Some(Obj::Str(s)) => s.s.clone(),
            _ => "".into(),
        }
    }

    /// `obj.name`, owned.
    pub(super) fn getattr(&mut self, obj: Value, name: Value) -> Res<Value> {
        let n = self.attr_name(name);
        if let Some(ga) = self.special(obj, "__getattribute__") {
            return match self.call_value(ga, &[obj, name], &[]) {
                Err(Fault::Raise(e)) if self.is_attribute_error(e) => {
                    self.getattr_fallback(obj, name, e)
                }
                r => r,
            };
        }
        let h = self.name_hash(name);
        match self.generic_getattr_h(obj, &n, h)? {
            Some(v) => Ok(v),
            None => {
                let e = self.attribute_error(obj, &n);
                match e {
                    Fault::Raise(e) => self.getattr_fallback(obj, name, e),
                    f => Err(f),
                }
            }
        }
    }

    fn is_attribute_error(&self, e: Value) -> bool {
        self.is_subclass(self.type_of(e), self.types.exc(ExcKind::AttributeError))
    }

    /// `__getattr__` after a failed lookup.
    fn getattr_fallback(&mut self, obj: Value, name: Value, e: Value) -> Res<Value> {
        if let Some(f) = self.special(obj, "__getattr__") {
            self.heap.decref(e);
            return self.call_value(f, &[obj, name], &[]);
        }
        Err(Fault::Raise(e))
    }

    /// The `AttributeError` for `obj.name`.
    pub(super) fn attribute_error(&mut self, obj: Value, name: &str) -> Fault {
        if let Some(Obj::Module(m, _, _)) = self.heap.obj(obj) {
            let m = m.to_string();
            return self.error(
                ExcKind::AttributeError,
                format!("module '{m}' has no attribute '{name}'"),
            );
        }
        // An empty slot says only its name, as CPython's member
        // descriptors do.
        if let Some(Obj::Instance(i)) = self.heap.obj(obj) {
            if self
                .slots_of(i.class)
                .is_some_and(|s| s.iter().any(|x| x == name))
            {
                return self.error(ExcKind::AttributeError, name.to_string());
            }
        }
        if let Some(r) = obj.obj() {
            if let Obj::Class(c) = self.heap.get(r) {
                let cname = c.name.to_string();
                return self.error(
                    ExcKind::AttributeError,
                    format!("type object '{cname}' has no attribute '{name}'"),
                );
            }
        }
        let t = self.type_name(obj);
        self.error(
            ExcKind::AttributeError,
            format!("'{t}' object has no attribute '{name}'"),
        )
    }

    /// `object.__getattribute__`: `None` when nothing is found.
    pub(super) fn generic_getattr(&mut self, obj: Value, name: &str) -> Res<Option<Value>> {
        self.generic_getattr_h(obj, name, str_hash(name))
    }

    /// The hash of a `str` value, cached in it.
    pub(super) fn name_hash(&self, name: Value) -> i64 {
        match self.heap.obj(name) {
            Some(Obj::Str(s)) => match s.hash.get() {
                Some(h) => h,
                None => {
                    let h = str_hash(&s.s);
                    s.hash.set(Some(h));
                    h
                }
            },
            _ => 0,
        }
    }

    /// [`Vm::generic_getattr`] with the name's hash known.
    pub(super) fn generic_getattr_h(
        &mut self,
        obj: Value,
        name: &str,
        h: i64,
    ) -> Res<Option<Value>> {
        match self.heap.obj(obj) {
            Some(Obj::Class(_)) => return self.class_getattr(obj, name, h),
            Some(Obj::Super(..)) => return self.super_getattr(obj, name),
            Some(Obj::Module(_, d, g)) => {
                let v = match g {
                    Some(g) => self.module_global(*g, name),
                    None => super::types::dict_get_hashed(&self.heap, d, name, h),
                };
                return Ok(v.map(|v| self.heap.own(v)));
            }
            _ => {}
        }
        let t = self.type_of(obj);
        let descr = self.lookup_h(t, name, h).map(|(d, _)| d);
        if let Some(d) = descr {
            if let Some(v) = self.data_descriptor_get(d, obj, t)? {
                return Ok(Some(v));
            }
        }
        // The object's own namespace.
        let own = match self.heap.obj(obj) {
            Some(Obj::Instance(i)) => super::types::dict_get_hashed(&self.heap, &i.dict, name, h),
            Some(Obj::Function(f)) => super::types::dict_get_hashed(&self.heap, &f.dict, name, h),
            _ => None,
        };
        if let Some(v) = own {
            return Ok(Some(self.heap.own(v)));
        }
        if let Some(d) = descr {
            return self.bind(d, obj, t).map(Some);
        }
        self.builtin_attr(obj, name)
    }

    /// The value of a data descriptor (`property`, or a user object with
    /// `__set__` or `__delete__` and `__get__`), if `d` is one.
    fn data_descriptor_get(&mut self, d: Value, obj: Value, t: ObjRef) -> Res<Option<Value>> {
        match self.heap.obj(d) {
            Some(Obj::Property(get, _, _)) => {
                let get = *get;
                if get == Value::None {
                    return Err(self.error(ExcKind::AttributeError, "unreadable attribute".into()));
                }
                self.call_value(get, &[obj], &[]).map(Some)
            }
            Some(Obj::Instance(_)) => {
                let is_data =
                    self.special(d, "__set__").is_some() || self.special(d, "__delete__").is_some();
                match self.special(d, "__get__") {
                    Some(g) if is_data => {
                        self.call_value(g, &[d, obj, Value::Obj(t)], &[]).map(Some)
                    }
                    _ => Ok(None),
                }
            }
            _ => Ok(None),
        }
    }

    /// A class attribute found on `obj`'s type, bound as descriptors are.
    fn bind(&mut self, d: Value, obj: Value, t: ObjRef) -> Res<Value> {
        match self.heap.obj(d) {
            Some(Obj::Function(_)) => {
                self.heap.incref(d);
                self.heap.incref(obj);
                Ok(self.heap.alloc(Obj::BoundMethod(d, obj)))
            }
            Some(Obj::ClassMethod(f)) => {
                let f = *f;
                self.heap.incref(f);
                let c = Value::Obj(t);
                self.heap.incref(c);
                Ok(self.heap.alloc(Obj::BoundMethod(f, c)))
            }
            Some(Obj::StaticMethod(f)) => {
                let f = *f;
                Ok(self.heap.own(f))
            }
            Some(Obj::Instance(_)) => match self.special(d, "__get__") {
                Some(g) => self.call_value(g, &[d, obj, Value::Obj(t)], &[]),
                None => Ok(self.heap.own(d)),
            },
            _ => Ok(self.heap.own(d)),
        }
    }

    /// An attribute of a class: its MRO (functions stay plain, class
    /// methods bind to the class), then the class's special attributes.
    fn class_getattr(&mut self, cls: Value, name: &str, h: i64) -> Res<Option<Value>> {
        let Some(r) = cls.obj() else { return Ok(None) };
        if let Some((d, _)) = self.lookup_h(r, name, h) {
            return match self.heap.obj(d) {
                Some(Obj::ClassMethod(f)) => {
                    let f = *f;
                    self.heap.incref(f);
                    self.heap.incref(cls);
                    Ok(Some(self.heap.alloc(Obj::BoundMethod(f, cls))))
                }
                Some(Obj::StaticMethod(f)) => {
                    let f = *f;
                    Ok(Some(self.heap.own(f)))
                }
                Some(Obj::Instance(_)) => match self.special(d, "__get__") {
                    Some(g) => self.call_value(g, &[d, Value::None, cls], &[]).map(Some),
                    None => Ok(Some(self.heap.own(d))),
                },
                _ => Ok(Some(self.heap.own(d))),
            };
        }
        let Some(c) = self.class(r) else {
            return Ok(None);
        };
        let (cname, qual, user, ty) = (c.name.to_string(), c.qualname.to_string(), c.user, c.ty);
        match name {
            "__name__" => return Ok(Some(self.str_value(&cname))),
            "__qualname__" => return Ok(Some(self.str_value(&qual))),
            "__module__" if !user => return Ok(Some(self.str_value("builtins"))),
            "__mro__" => {
                let mro: Vec<Value> = c.mro.iter().map(|m| Value::Obj(*m)).collect();
                for m in &mro {
                    self.heap.incref(*m);
                }
                return Ok(Some(self.heap.alloc(Obj::Tuple(mro.into()))));
            }
            "__bases__" => {
                let bases = c.bases.clone();
                for b in &bases {
                    self.heap.incref(*b);
                }
                return Ok(Some(self.heap.alloc(Obj::Tuple(bases.into()))));
            }
            "__base__" => {
                let b = c.bases.first().copied().unwrap_or(Value::None);
                return Ok(Some(self.heap.own(b)));
            }
            "__dict__" => {
                let t = c.dict.clone();
                for e in t.iter() {
                    self.heap.incref(e.key);
                    self.heap.incref(e.value);
                }
                return Ok(Some(self.heap.alloc(Obj::Dict(t))));
            }
            "__doc__" => return Ok(Some(Value::None)),
            "__class__" => return Ok(Some(self.heap.own(Value::Obj(self.types.ty(Ty::Type))))),
            _ => {}
        }
        // Built-in methods reached through the class (`str.upper`,
        // `dict.fromkeys`): unbound.
        let base_ty = if ty == Ty::BaseException {
            Ty::BaseException
        } else {
            ty
        };
        if let Some(i) = super::methods::find(base_ty, name) {
            if super::methods::takes_class(i) {
                self.heap.incref(cls);
                return Ok(Some(self.heap.alloc(Obj::BoundBuiltin(i, cls))));
            }
            return Ok(Some(self.heap.alloc(Obj::BoundBuiltin(i, Value::Empty))));
        }
        if let Some(i) = super::methods::find(Ty::Type, name) {
            self.heap.incref(cls);
            return Ok(Some(self.heap.alloc(Obj::BoundBuiltin(i, cls))));
        }
        Ok(None)
    }

    /// Attributes of built-in objects: their methods and data.
    fn builtin_attr(&mut self, obj: Value, name: &str) -> Res<Option<Value>> {
        if name == "__class__" {
            let t = self.type_of(obj);
            return Ok(Some(self.heap.own(Value::Obj(t))));
        }
        let t = self.type_of(obj);
        let ty = self.class(t).map_or(Ty::Object, |c| c.ty);
        if let Some(i) = super::methods::find(ty, name) {
            self.heap.incref(obj);
            return Ok(Some(self.heap.alloc(Obj::BoundBuiltin(i, obj))));
        }
        if ty != Ty::Object {
            if let Some(i) = super::methods::find(Ty::Object, name) {
                self.heap.incref(obj);
                return Ok(Some(self.heap.alloc(Obj::BoundBuiltin(i, obj))));
            }
        }
        let v = match (self.heap.obj(obj), name) {
            (Some(Obj::Instance(i)), "__dict__") if self.slots_of(i.class).is_none() => {
                let t = i.dict.clone();
                for e in t.iter() {
                    self.heap.incref(e.key);
                    self.heap.incref(e.value);
                }
                // A copy: writes through `__dict__` are not seen yet.
                return Ok(Some(self.heap.alloc(Obj::Dict(t))));
            }
            (Some(Obj::Instance(i)), _) if i.exc.is_some() => {
                let Some(d) = i.exc.as_deref() else {
                    return Ok(None);
                };
                match name {
                    "args" => {
                        let args = d.args.clone();
                        for a in &args {
                            self.heap.incref(*a);
                        }
                        return Ok(Some(self.heap.alloc(Obj::Tuple(args.into()))));
                    }
                    "__cause__" => none_if_empty(d.cause),
                    "__context__" => none_if_empty(d.context),
                    "__suppress_context__" => Value::Bool(d.suppress),
                    "__traceback__" => Value::None,
                    "value" if self.is_stop_iteration(obj) => {
                        d.args.first().copied().unwrap_or(Value::None)
                    }
                    "code" if self.is_a_exc(obj, ExcKind::SystemExit) => match d.args.len() {
                        0 => Value::None,
                        1 => d.args[0],
                        _ => {
                            // Several arguments: the whole `args` tuple.
                            let args = d.args.clone();
                            for a in &args {
                                self.heap.incref(*a);
                            }
                            return Ok(Some(self.heap.alloc(Obj::Tuple(args.into()))));
                        }
                    },
                    _ => return Ok(None),
                }
            }
            (Some(Obj::Function(f)), "__name__") => {
                let n = f.name.to_string();
                return Ok(Some(self.str_value(&n)));
            }
            (Some(Obj::Function(f)), "__qualname__") => {
                let n = f.qualname.to_string();
                return Ok(Some(self.str_value(&n)));
            }
            (Some(Obj::Function(f)), "__defaults__") => {
                if f.defaults.is_empty() {
                    Value::None
                } else {
                    let d = f.defaults.to_vec();
                    for x in &d {
                        self.heap.incref(*x);
                    }
                    return Ok(Some(self.heap.alloc(Obj::Tuple(d.into()))));
                }
            }
            (Some(Obj::Function(f)), "__kwdefaults__") => f.kwdefaults,
            (Some(Obj::Function(_)), "__module__") => return Ok(Some(self.str_value("__main__"))),
            (Some(Obj::Function(f)), "__code__") => {
                let co = f.code.co.clone();
                return Ok(Some(self.heap.alloc(Obj::Code(co))));
            }
            (Some(Obj::Code(c)), _) => {
                let c = c.clone();
                let names = |vm: &mut Vm, xs: &[pyreg_spec::code::PyStr]| -> Value {
                    let items: Vec<Value> = xs
                        .iter()
                        .map(|x| vm.str_value(&x.to_string_lossy()))
                        .collect();
                    vm.heap.alloc(Obj::Tuple(items.into()))
                };
                return Ok(Some(match name {
                    "co_name" => self.str_value(&c.name.to_string_lossy()),
                    "co_filename" => self.str_value(&c.filename.to_string_lossy()),
                    "co_varnames" => names(self, &c.varnames),
                    "co_cellvars" => names(self, &c.cellvars),
                    "co_freevars" => names(self, &c.freevars),
                    "co_names" => names(self, &c.names),
                    "co_argcount" => Value::Int(i64::from(c.argcount)),
                    "co_posonlyargcount" => Value::Int(i64::from(c.posonlyargcount)),
                    "co_kwonlyargcount" => Value::Int(i64::from(c.kwonlyargcount)),
                    "co_nlocals" => Value::Int(i64::from(c.nlocals)),
                    "co_stacksize" => Value::Int(i64::from(c.stacksize)),
                    "co_flags" => Value::Int(i64::from(c.flags)),
                    "co_firstlineno" => Value::Int(i64::from(c.firstlineno)),
                    _ => return Ok(None),
                }));
            }
            (Some(Obj::Function(f)), "__closure__") => {
                if f.closure.is_empty() {
                    Value::None
                } else {
                    let d = f.closure.to_vec();
                    for x in &d {
                        self.heap.incref(*x);
                    }
                    return Ok(Some(self.heap.alloc(Obj::Tuple(d.into()))));
                }
            }
            (Some(Obj::Cell(v)), "cell_contents") => {
                if *v == Value::Empty {
                    return Err(self.error(ExcKind::ValueError, "Cell is empty".into()));
                }
                *v
            }
            (Some(Obj::BoundMethod(f, _)), "__func__") => *f,
            (Some(Obj::BoundMethod(_, s)), "__self__") => *s,
            (Some(Obj::BoundMethod(f, _)), "__name__" | "__qualname__" | "__doc__") => {
                let f = *f;
                return self.generic_getattr(f, name);
            }
            (Some(Obj::Builtin(i)), "__name__") => {
                let n = super::builtins::name(*i);
                return Ok(Some(self.str_value(n)));
            }
            (Some(Obj::BoundBuiltin(i, _)), "__name__") => {
                let n = super::methods::name(*i);
                return Ok(Some(self.str_value(n)));
            }
            (Some(Obj::BoundBuiltin(_, s)), "__self__") => *s,
            (Some(Obj::Generator(g)), "__name__") => {
                let n = g.name.to_string();
                return Ok(Some(self.str_value(&n)));
            }
            (Some(Obj::Generator(g)), "__qualname__") => {
                let n = g.qualname.to_string();
                return Ok(Some(self.str_value(&n)));
            }
            (Some(Obj::Generator(g)), "gi_running") => {
                Value::Bool(g.state == crate::heap::GenState::Running)
            }
            (Some(Obj::Range(a, _, _)), "start") => Value::Int(*a),
            (Some(Obj::Range(_, z, _)), "stop") => Value::Int(*z),
            (Some(Obj::Range(_, _, s)), "step") => Value::Int(*s),
            (Some(Obj::Slice(a, _, _)), "start") => *a,
            (Some(Obj::Slice(_, b, _)), "stop") => *b,
            (Some(Obj::Slice(_, _, c)), "step") => *c,
            (Some(Obj::Property(g, _, _)), "__doc__") if *g != Value::None => {
                // The getter's docstring (an explicit `doc=` is not kept).
                let g = *g;
                let d = self.generic_getattr(g, "__doc__")?;
                return Ok(Some(d.unwrap_or(Value::None)));
            }
            (Some(Obj::Property(..)), "__doc__") => Value::None,
            (Some(Obj::Property(g, _, _)), "fget") => *g,
            (Some(Obj::Property(_, s, _)), "fset") => *s,
            (Some(Obj::Property(_, _, d)), "fdel") => *d,
            (Some(Obj::StaticMethod(f) | Obj::ClassMethod(f)), "__func__") => *f,
            (Some(Obj::Complex(re, _)), "real") => Value::Float(*re),
            (Some(Obj::Complex(_, im)), "imag") => Value::Float(*im),
            _ => match (obj, name) {
                (Value::Int(_) | Value::Bool(_), "real" | "numerator") => {
                    return Ok(Some(Value::Int(self.as_i64(obj).unwrap_or(0))))
                }
                (Value::Int(_) | Value::Bool(_), "imag") => Value::Int(0),
                (Value::Int(_) | Value::Bool(_), "denominator") => Value::Int(1),
                (Value::Float(f), "real") => Value::Float(f),
                (Value::Float(_), "imag") => Value::Float(0.0),
                _ if matches!(self.heap.obj(obj), Some(Obj::Big(_))) => match name {
                    "real" | "numerator" => obj,
                    "imag" => Value::Int(0),
                    "denominator" => Value::Int(1),
                    _ => return Ok(None),
                },
                _ => return Ok(None),
            },
        };
        Ok(Some(self.heap.own(v)))
    }

    fn is_a_exc(&self, v: Value, k: ExcKind) -> bool {
        self.is_subclass(self.type_of(v), self.types.exc(k))
    }

    /// `LOAD_METHOD`: the method and `self` when `obj.name` is a plain
    /// function of its class (nothing allocated), else the attribute and
    /// `Empty`; both owned.
    pub(super) fn load_method(&mut self, obj: Value, name: Value) -> Res<(Value, Value)> {
        let n = self.attr_name(name);
        match self.heap.obj(obj) {
            Some(Obj::Instance(i)) => {
                let cls = i.class;
                let user_getattribute = self.special(obj, "__getattribute__").is_some();
                let h = self.name_hash(name);
                let in_dict = super::types::dict_get_hashed(&self.heap, &i.dict, &n, h).is_some();
                if !user_getattribute && !in_dict {
                    if let Some((d, _)) = self.lookup_h(cls, &n, h) {
                        if matches!(self.heap.obj(d), Some(Obj::Function(_))) {
                            self.heap.incref(d);
                            self.heap.incref(obj);
                            return Ok((d, obj));
                        }
                    }
                }
            }
            Some(Obj::Class(_)) | Some(Obj::Function(_)) => {}
            _ => {
                let t = self.type_of(obj);
                let ty = self.class(t).map_or(Ty::Object, |c| c.ty);
                // Names are interned per code object: the pair of the
                // name's object and the type finds the method again.
                let key = (name.obj().map_or(0, |r| r.0), ty as u8);
                let found = match self.method_cache.get(&key) {
                    Some(f) => *f,
                    None => {
                        let f = super::methods::find(ty, &n);
                        self.method_cache.insert(key, f);
                        f
                    }
                };
                if let Some(i) = found {
                    let m = self.unbound_method(i);
                    self.heap.incref(obj);
                    return Ok((m, obj));
                }
            }
        }
        let v = self.getattr(obj, name)?;
        Ok((v, Value::Empty))
    }

    /// The shared unbound form of built-in method `i`, owned.
    fn unbound_method(&mut self, i: u16) -> Value {
        let i = i as usize;
        if self.unbound_methods.len() <= i {
            self.unbound_methods.resize(i + 1, Value::Empty);
        }
        if self.unbound_methods[i] == Value::Empty {
            self.unbound_methods[i] = self.heap.alloc(Obj::BoundBuiltin(i as u16, Value::Empty));
        }
        self.heap.own(self.unbound_methods[i])
    }

    /// `obj.name = v`.
    pub(super) fn setattr(&mut self, obj: Value, name: Value, v: Value) -> Res<()> {
        if let Some(Obj::Module(..)) = self.heap.obj(obj) {
            return self.module_set(obj, name, v);
        }
        let n = self.attr_name(name);
        if let Some(f) = self.special(obj, "__setattr__") {
            let r = self.call_value(f, &[obj, name, v], &[])?;
            self.heap.decref(r);
            return Ok(());
        }
        self.generic_setattr(obj, name, v, &n)
    }

    /// `object.__setattr__`.
    pub(super) fn generic_setattr(
        &mut self,
        obj: Value,
        name: Value,
        v: Value,
        n: &str,
    ) -> Res<()> {
        let t = self.type_of(obj);
        let h = self.name_hash(name);
        if !matches!(self.heap.obj(obj), Some(Obj::Class(_))) {
            if let Some((d, _)) = self.lookup_h(t, n, h) {
                match self.heap.obj(d) {
                    Some(Obj::Property(_, set, _)) => {
                        let set = *set;
                        if set == Value::None {
                            return Err(
                                self.error(ExcKind::AttributeError, "can't set attribute".into())
                            );
                        }
                        let r = self.call_value(set, &[obj, v], &[])?;
                        self.heap.decref(r);
                        return Ok(());
                    }
                    Some(Obj::Instance(_)) => {
                        if let Some(s) = self.special(d, "__set__") {
                            let r = self.call_value(s, &[d, obj, v], &[])?;
                            self.heap.decref(r);
                            return Ok(());
                        }
                    }
                    _ => {}
                }
            }
        }
        let Some(r) = obj.obj() else {
            return Err(self.no_attr_set(obj, n));
        };
        // Exception fields.
        if let Obj::Instance(i) = self.heap.get(r) {
            if i.exc.is_some()
                && matches!(
                    n,
                    "__cause__" | "__context__" | "__suppress_context__" | "args"
                )
            {
                return self.set_exc_field(obj, n, v);
            }
            if let Some(slots) = self.slots_of(i.class) {
                if !slots.iter().any(|s| s == n) {
                    let t = self.type_name(obj);
                    return Err(self.error(
                        ExcKind::AttributeError,
                        format!("'{t}' object has no attribute '{n}'"),
                    ));
                }
            }
        }
        let pos = {
            let heap = &self.heap;
            let dict = match heap.get(r) {
                Obj::Instance(i) => Some(&i.dict),
                Obj::Function(f) => Some(&f.dict),
                Obj::Class(c) if c.user => Some(&c.dict),
                _ => None,
            };
            dict.map(|d| d.find(h, |k| heap.as_str(k) == Some(n)))
        };
        let Some(pos) = pos else {
            if let Obj::Class(c) = self.heap.get(r) {
                let cname = c.name.to_string();
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("can't set attributes of built-in/extension type '{cname}'"),
                ));
            }
            return Err(self.no_attr_set(obj, n));
        };
        self.heap.incref(v);
        if pos.is_none() {
            self.heap.incref(name);
        }
        let dict = match self.heap.get_mut(r) {
            Obj::Instance(i) => &mut i.dict,
            Obj::Function(f) => &mut f.dict,
            Obj::Class(c) => &mut c.dict,
            _ => return self.broken("an attribute dict"),
        };
        match pos {
            Some(p) => {
                let old = std::mem::replace(dict.value_mut(p), v);
                self.heap.decref(old);
            }
            None => {
                dict.push(h, name, v);
                if matches!(self.heap.get(r), Obj::Class(_)) {
                    self.class_dicts_changed();
                }
            }
        }
        Ok(())
    }

    fn no_attr_set(&mut self, obj: Value, n: &str) -> Fault {
        let t = self.type_name(obj);
        self.error(
            ExcKind::AttributeError,
            format!("'{t}' object has no attribute '{n}'"),
        )
    }

    /// The `__slots__` of a class and its bases, when every user class in
    /// its MRO declares them.
    pub(super) fn slots_of(&self, cls: ObjRef) -> Option<Vec<String>> {
        let c = self.class(cls)?;
        let mut out = Vec::new();
        for k in &c.mro {
            let kc = self.class(*k)?;
            if !kc.user {
                continue;
            }
            let s = super::types::dict_get_str(&self.heap, &kc.dict, "__slots__")?;
            match self.heap.obj(s) {
                Some(Obj::Tuple(xs)) => out.extend(
                    xs.iter()
                        .filter_map(|x| self.heap.as_str(*x).map(String::from)),
                ),
                Some(Obj::List(xs)) => out.extend(
                    xs.iter()
                        .filter_map(|x| self.heap.as_str(*x).map(String::from)),
                ),
                Some(Obj::Str(s)) => out.push(s.s.to_string()),
                _ => return None,
            }
            if out.iter().any(|s| s == "__dict__") {
                return None;
            }
        }
        Some(out)
    }

    fn set_exc_field(&mut self, e: Value, n: &str, v: Value) -> Res<()> {
        let v = match n {
            "args" => {
                let items = self.collect(v)?;
                if let Some(Obj::Instance(i)) = e.obj().map(|r| self.heap.get_mut(r)) {
                    if let Some(d) = i.exc.as_deref_mut() {
                        let old = std::mem::replace(&mut d.args, items);
                        self.heap.decref_all(old);
                    }
                }
                return Ok(());
            }
            "__suppress_context__" => {
                let t = self.truthy(v)?;
                if let Some(Obj::Instance(i)) = e.obj().map(|r| self.heap.get_mut(r)) {
                    if let Some(d) = i.exc.as_deref_mut() {
                        d.suppress = t;
                    }
                }
                return Ok(());
            }
            _ => v,
        };
        if v != Value::None && self.exc_data(v).is_none() {
            let what = if n == "__cause__" { "cause" } else { "context" };
            return Err(self.error(
                ExcKind::TypeError,
                format!("exception {what} must be None or derive from BaseException"),
            ));
        }
        self.heap.incref(v);
        let old = match e.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::Instance(i)) => match i.exc.as_deref_mut() {
                Some(d) if n == "__cause__" => {
                    d.suppress = true;
                    std::mem::replace(&mut d.cause, v)
                }
                Some(d) => std::mem::replace(&mut d.context, v),
                None => v,
            },
            _ => v,
        };
        self.heap.decref(old);
        Ok(())
    }

    /// `del obj.name`.
    pub(super) fn delattr(&mut self, obj: Value, name: Value) -> Res<()> {
        let n = self.attr_name(name);
        if let Some(f) = self.special(obj, "__delattr__") {
            let r = self.call_value(f, &[obj, name], &[])?;
            self.heap.decref(r);
            return Ok(());
        }
        let t = self.type_of(obj);
        if let Some((d, _)) = self.lookup(t, &n) {
            if let Some(f) = self.special(d, "__delete__") {
                let r = self.call_value(f, &[d, obj], &[])?;
                self.heap.decref(r);
                return Ok(());
            }
            if let Some(Obj::Property(_, _, del)) = self.heap.obj(d) {
                let del = *del;
                if del == Value::None {
                    return Err(
                        self.error(ExcKind::AttributeError, "can't delete attribute".into())
                    );
                }
                let r = self.call_value(del, &[obj], &[])?;
                self.heap.decref(r);
                return Ok(());
            }
        }
        let h = str_hash(&n);
        let pos = {
            let heap = &self.heap;
            let dict = match obj.obj().map(|r| heap.get(r)) {
                Some(Obj::Instance(i)) => Some(&i.dict),
                Some(Obj::Class(c)) if c.user => Some(&c.dict),
                Some(Obj::Function(f)) => Some(&f.dict),
                _ => None,
            };
            dict.and_then(|d| d.find(h, |k| heap.as_str(k) == Some(&*n)))
        };
        let Some(p) = pos else {
            return Err(self.attribute_error(obj, &n));
        };
        let e = match obj.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::Instance(i)) => i.dict.remove_at(p),
            Some(Obj::Class(c)) => {
                let e = c.dict.remove_at(p);
                self.class_dicts_changed();
                e
            }
            Some(Obj::Function(f)) => f.dict.remove_at(p),
            _ => return self.broken("an attribute dict"),
        };
        self.heap.decref(e.key);
        self.heap.decref(e.value);
        Ok(())
    }

    /// `__build_class__(func, name, *bases, **kwds)`: runs the body in a
    /// new namespace and makes the class, owned.
    pub(super) fn build_class(&mut self, args: &[Value], kwargs: &[(Value, Value)]) -> Res<Value> {
        if args.len() < 2 {
            return Err(self.error(
                ExcKind::TypeError,
                "__build_class__: not enough arguments".into(),
            ));
        }
        for (k, v) in kwargs {
            let k = self.heap.as_str(*k).unwrap_or("").to_string();
            if k == "metaclass" && *v == Value::Obj(self.types.ty(Ty::Type)) {
                continue;
            }
            return gap(format!("class keyword argument `{k}` (metaclasses)"));
        }
        let (func, name) = (args[0], args[1]);
        let name = self.heap.as_str(name).unwrap_or("").to_string();
        let bases: Vec<Value> = if args.len() > 2 {
            args[2..].to_vec()
        } else {
            vec![Value::Obj(self.types.ty(Ty::Object))]
        };
        let mut base_refs = Vec::new();
        for b in &bases {
            match b.obj() {
                Some(r) if matches!(self.heap.get(r), Obj::Class(_)) => base_refs.push(r),
                _ => return Err(self.error(ExcKind::TypeError, "bases must be types".into())),
            }
        }
        // Layout: the first base with a built-in layout decides.
        let mut ty = Ty::Object;
        let mut exc = None;
        for b in &base_refs {
            if let Some(c) = self.class(*b) {
                if c.exc.is_some() && exc.is_none() {
                    exc = c.exc;
                    ty = Ty::BaseException;
                } else if c.ty != Ty::Object && ty == Ty::Object {
                    ty = c.ty;
                }
                if matches!(
                    c.ty,
                    Ty::Bool | Ty::Range | Ty::Slice | Ty::Function | Ty::Generator | Ty::NoneType
                ) {
                    let bn = c.name.to_string();
                    return Err(self.error(
                        ExcKind::TypeError,
                        format!("type '{bn}' is not an acceptable base type"),
                    ));
                }
            }
        }
        let ns = self.new_dict();
        let module = self.ns_global_str(func, "__name__");
        let qualname_default = match self.heap.obj(func) {
            Some(Obj::Function(f)) => f.qualname.to_string(),
            _ => name.clone(),
        };
        let k = self.str_value("__module__");
        let r = self.dict_set(ns, k, module);
        self.heap.decref(k);
        self.heap.decref(module);
        r?;
        let k = self.str_value("__qualname__");
        let q = self.str_value(&qualname_default);
        let r = self.dict_set(ns, k, q);
        self.heap.decref(k);
        self.heap.decref(q);
        r?;
        if let Err(e) = self.run_class_body(func, ns) {
            self.heap.decref(ns);
            return Err(e);
        }
        let cell = std::mem::replace(&mut self.class_cell, Value::Empty);
        let mro_rest = match self.c3(&name, &base_refs) {
            Ok(m) => m,
            Err(e) => {
                self.heap.decref(ns);
                self.heap.decref(cell);
                return Err(e);
            }
        };
        let qualname = self
            .dict_get_str(ns, "__qualname__")
            .and_then(|q| self.heap.as_str(q).map(String::from))
            .unwrap_or(qualname_default);
        if self.dict_get_str(ns, "__doc__").is_none() {
            let k = self.str_value("__doc__");
            let r = self.dict_set(ns, k, Value::None);
            self.heap.decref(k);
            r?;
        }
        // A class that defines __eq__ without __hash__ is unhashable.
        if self.dict_get_str(ns, "__eq__").is_some() && self.dict_get_str(ns, "__hash__").is_none()
        {
            let k = self.str_value("__hash__");
            let r = self.dict_set(ns, k, Value::None);
            self.heap.decref(k);
            r?;
        }
        let dict = match ns.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::Dict(d)) => std::mem::take(d),
            _ => Dict::new(),
        };
        self.heap.decref(ns);
        for b in &bases {
            self.heap.incref(*b);
        }
        let cls = self.heap.alloc(Obj::Class(Box::new(Class {
            name: name.into(),
            qualname: qualname.into(),
            bases,
            mro: Vec::new(),
            dict,
            ty,
            exc,
            user: true,
        })));
        let r = cls.obj().unwrap_or(ObjRef(0));
        let mut mro = vec![r];
        mro.extend(mro_rest);
        if let Obj::Class(c) = self.heap.get_mut(r) {
            c.mro = mro;
        }
        // Nothing looked the new class up before its MRO was set, but
        // its slot may have held a class the cache still remembers.
        self.class_dicts_changed();
        if let Some(Obj::Cell(_)) = self.heap.obj(cell) {
            self.heap.incref(cls);
            if let Some(Obj::Cell(slot)) = cell.obj().map(|c| self.heap.get_mut(c)) {
                let old = std::mem::replace(slot, cls);
                self.heap.decref(old);
            }
        }
        self.heap.decref(cell);
        // __set_name__ and __init_subclass__.
        let entries: Vec<(Value, Value)> = match self.heap.get(r) {
            Obj::Class(c) => c.dict.iter().map(|e| (e.key, e.value)).collect(),
            _ => Vec::new(),
        };
        for (k, v) in entries {
            if let Some(f) = self.special(v, "__set_name__") {
                let x = self.call_value(f, &[v, cls, k], &[])?;
                self.heap.decref(x);
            }
        }
        if let Some(parent) = base_refs.first() {
            if let Some((f, owner)) = self.lookup_static(*parent, "__init_subclass__") {
                if self.class(owner).is_some_and(|c| c.user) {
                    let f = match self.heap.obj(f) {
                        Some(Obj::ClassMethod(g)) => *g,
                        _ => f,
                    };
                    let x = self.call_value(f, &[cls], &[])?;
                    self.heap.decref(x);
                }
            }
        }
        Ok(cls)
    }

    /// A global of the function's module by name (owned; `None` if unset).
    fn ns_global_str(&mut self, func: Value, name: &str) -> Value {
        let g = match self.heap.obj(func) {
            Some(Obj::Function(f)) => f.code.globals,
            _ => 0,
        };
        let slot = self.ns[g as usize].slot(name);
        let v = self.ns[g as usize].slots[slot as usize];
        if v == Value::Empty {
            Value::None
        } else {
            self.heap.own(v)
        }
    }

    /// `super()` in a method (the class from the `__class__` cell, the
    /// object from the first argument) or `super(cls, obj)`, owned.
    pub(super) fn make_super(&mut self, args: &[Value]) -> Res<Value> {
        let (cls, obj) = match args.len() {
            2 => (args[0], args[1]),
            0 => {
                let Some(f) = self.frames.last() else {
                    return Err(
                        self.error(ExcKind::RuntimeError, "super(): no current frame".into())
                    );
                };
                let code = f.code.clone();
                if code.co.argcount == 0 {
                    return Err(self.error(ExcKind::RuntimeError, "super(): no arguments".into()));
                }
                let mut first = self.regs[f.base];
                if let Some(k) = code.cell_args.iter().position(|a| *a == Some(0)) {
                    first = match self.heap.obj(f.cells[k]) {
                        Some(Obj::Cell(v)) => *v,
                        _ => Value::Empty,
                    };
                }
                let ncell = code.co.cellvars.len();
                let cell = code
                    .co
                    .freevars
                    .iter()
                    .position(|n| n.to_string_lossy() == "__class__")
                    .and_then(|i| f.cells.get(ncell + i).copied());
                let Some(cell) = cell else {
                    return Err(self.error(
                        ExcKind::RuntimeError,
                        "super(): __class__ cell not found".into(),
                    ));
                };
                let cls = match self.heap.obj(cell) {
                    Some(Obj::Cell(v)) => *v,
                    _ => Value::Empty,
                };
                if cls == Value::Empty {
                    return Err(self.error(
                        ExcKind::RuntimeError,
                        "super(): empty __class__ cell".into(),
                    ));
                }
                (cls, first)
            }
            _ => return gap("super() with one argument"),
        };
        self.heap.incref(cls);
        self.heap.incref(obj);
        Ok(self.heap.alloc(Obj::Super(cls, obj)))
    }

    /// `super(...).name`: the MRO of `obj`'s type after `cls`.
    pub(super) fn super_getattr(&mut self, sup: Value, name: &str) -> Res<Option<Value>> {
        let Some(Obj::Super(cls, obj)) = self.heap.obj(sup) else {
            return Ok(None);
        };
        let (cls, obj) = (*cls, *obj);
        let start = match self.heap.obj(obj) {
            Some(Obj::Class(_)) => obj.obj(),
            _ => Some(self.type_of(obj)),
        };
        let Some(start) = start else { return Ok(None) };
        let mro = self.class(start).map_or_else(Vec::new, |c| c.mro.clone());
        let pos = mro
            .iter()
            .position(|m| Some(*m) == cls.obj())
            .map_or(mro.len(), |p| p + 1);
        let h = str_hash(name);
        for k in &mro[pos..] {
            let found = self.class(*k).and_then(|c| {
                c.dict
                    .find(h, |x| self.heap.as_str(x) == Some(name))
                    .map(|i| c.dict.at(i).value)
            });
            if let Some(d) = found {
                let is_class = matches!(self.heap.obj(obj), Some(Obj::Class(_)));
                return match self.heap.obj(d) {
                    Some(Obj::Function(_)) if !is_class => {
                        self.heap.incref(d);
                        self.heap.incref(obj);
                        Ok(Some(self.heap.alloc(Obj::BoundMethod(d, obj))))
                    }
                    Some(Obj::ClassMethod(f)) => {
                        let f = *f;
                        let c = Value::Obj(start);
                        self.heap.incref(f);
                        self.heap.incref(c);
                        Ok(Some(self.heap.alloc(Obj::BoundMethod(f, c))))
                    }
                    Some(Obj::StaticMethod(f)) => {
                        let f = *f;
                        Ok(Some(self.heap.own(f)))
                    }
                    Some(Obj::Property(g, _, _)) if !is_class => {
                        let g = *g;
                        self.call_value(g, &[obj], &[]).map(Some)
                    }
                    _ => Ok(Some(self.heap.own(d))),
                };
            }
            // Built-in classes in the MRO: their methods.
            if let Some(c) = self.class(*k) {
                if !c.user {
                    let ty = c.ty;
                    if let Some(i) = super::methods::find(ty, name) {
                        self.heap.incref(obj);
                        return Ok(Some(self.heap.alloc(Obj::BoundBuiltin(i, obj))));
                    }
                }
            }
        }
        Ok(None)
    }
}

fn none_if_empty(v: Value) -> Value {
    if v == Value::Empty {
        Value::None
    } else {
        v
    }
}
