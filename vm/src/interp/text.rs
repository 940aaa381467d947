//! `repr()`, `str()`, `format()` and `str % args` of VM values, with
//! CPython 3.9's spelling (the float, int and string algorithms are the
//! spec's pure leaf helpers); user classes through `__repr__`, `__str__`
//! and `__format__`.

use super::{Fault, Res, Vm};
use crate::heap::{DictPart, ExcKind, Obj};
use crate::value::Value;
use pyreg_spec::code::PyStr;
use pyreg_spec::pyformat::{self, FormatError, PercentArg, PercentArgs, PercentSource};
use pyreg_spec::pyrepr::{repr_float, repr_str};

/// A stand-in address for `<... object at 0x...>`: CPython prints a
/// memory address, which no two runs share.
fn address(r: crate::value::ObjRef) -> String {
    format!("0x{:012x}", 0x7f00_0000_0000u64 + u64::from(r.0) * 0x30)
}

impl Vm {
    /// `repr(v)`.
    pub(super) fn repr(&mut self, v: Value) -> Res<String> {
        Ok(match v {
            Value::Empty => "<NULL>".into(),
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => repr_float(f),
            Value::Obj(r) => {
                if let Some(f) = self.special(v, "__repr__") {
                    let s = self.call_value(f, &[v], &[])?;
                    return self.text_result(s, "__repr__");
                }
                match self.heap.get(r) {
                    Obj::Str(s) => {
                        // The specification's resource bound: a repr can be
                        // ten times its string, so past an eighth of the
                        // collection bound `repr` raises MemoryError rather
                        // than grow `s = repr(s)` until the host runs out.
                        if s.s.len() > pyreg_spec::interp::ops::MAX_COLLECTION / 8 {
                            return Err(self.memory_error());
                        }
                        repr_str(&PyStr::from(&*s.s))
                    }
                    Obj::Big(b) => b.to_string(),
                    Obj::Bytes(b) => pyreg_spec::pyrepr::repr_bytes(b),
                    Obj::ByteArray(b) => {
                        format!("bytearray({})", pyreg_spec::pyrepr::repr_bytes(b))
                    }
                    Obj::Complex(re, im) => pyreg_spec::pyrepr::repr_complex(*re, *im),
                    Obj::Tuple(xs) => {
                        let xs = xs.to_vec();
                        if xs.len() == 1 {
                            format!("({},)", self.repr(xs[0])?)
                        } else {
                            format!("({})", self.join_repr(&xs)?)
                        }
                    }
                    Obj::List(xs) => {
                        let xs = xs.clone();
                        if self.repr_active.contains(&r) {
                            return Ok("[...]".into());
                        }
                        self.repr_active.push(r);
                        let s = self.join_repr(&xs);
                        self.repr_active.pop();
                        format!("[{}]", s?)
                    }
                    Obj::Dict(d) => {
                        let pairs: Vec<(Value, Value)> =
                            d.iter().map(|e| (e.key, e.value)).collect();
                        if self.repr_active.contains(&r) {
                            return Ok("{...}".into());
                        }
                        self.repr_active.push(r);
                        let s = self.repr_pairs(&pairs);
                        self.repr_active.pop();
                        format!("{{{}}}", s?)
                    }
                    Obj::Set(d) | Obj::FrozenSet(d) => {
                        let keys: Vec<Value> = d.iter().copied().collect();
                        let frozen = matches!(self.heap.get(r), Obj::FrozenSet(_));
                        let name = if frozen { "frozenset" } else { "set" };
                        if keys.is_empty() {
                            return Ok(format!("{name}()"));
                        }
                        if self.repr_active.contains(&r) {
                            return Ok(format!("{name}(...)"));
                        }
                        self.repr_active.push(r);
                        let s = self.join_repr(&keys);
                        self.repr_active.pop();
                        if frozen {
                            format!("frozenset({{{}}})", s?)
                        } else {
                            format!("{{{}}}", s?)
                        }
                    }
                    Obj::View(view) => {
                        let (d, part) = (view.dict, view.part);
                        let items = self.collect(v)?;
                        let s = self.join_repr(&items);
                        self.heap.decref_all(items);
                        let _ = d;
                        let name = match part {
                            DictPart::Keys => "dict_keys",
                            DictPart::Values => "dict_values",
                            DictPart::Items => "dict_items",
                        };
                        format!("{name}([{}])", s?)
                    }
                    Obj::Function(f) => format!("<function {} at {}>", f.qualname, address(r)),
                    Obj::Builtin(i) => {
                        format!("<built-in function {}>", super::builtins::name(*i))
                    }
                    Obj::BoundBuiltin(i, this) => {
                        let (i, this) = (*i, *this);
                        if this == Value::Empty {
                            format!(
                                "<method '{}' of '{}' objects>",
                                super::methods::name(i),
                                super::methods::owner(i)
                            )
                        } else {
                            let t = self.type_name(this);
                            let at = this.obj().map_or_else(String::new, address);
                            format!(
                                "<built-in method {} of {t} object at {at}>",
                                super::methods::name(i)
                            )
                        }
                    }
                    Obj::BoundMethod(f, this) => {
                        let (f, this) = (*f, *this);
                        let q = match self.heap.obj(f) {
                            Some(Obj::Function(f)) => f.qualname.to_string(),
                            _ => "?".into(),
                        };
                        format!("<bound method {q} of {}>", self.repr(this)?)
                    }
                    Obj::Class(c) => {
                        if c.user {
                            let module =
                                super::types::dict_get_str(&self.heap, &c.dict, "__module__")
                                    .and_then(|m| self.heap.as_str(m).map(String::from))
                                    .unwrap_or_else(|| "__main__".into());
                            format!("<class '{module}.{}'>", c.qualname)
                        } else {
                            format!("<class '{}'>", c.name)
                        }
                    }
                    Obj::Instance(i) if i.exc.is_some() => {
                        let args = i.exc.as_ref().map(|d| d.args.clone()).unwrap_or_default();
                        let name = self.type_name(v);
                        if args.len() == 1 {
                            format!("{name}({})", self.repr(args[0])?)
                        } else {
                            format!("{name}({})", self.join_repr(&args)?)
                        }
                    }
                    Obj::Instance(i) => {
                        let cls = i.class;
                        let q = self
                            .class(cls)
                            .map_or_else(String::new, |c| c.qualname.to_string());
                        let module = self
                            .class(cls)
                            .and_then(|c| {
                                super::types::dict_get_str(&self.heap, &c.dict, "__module__")
                            })
                            .and_then(|m| self.heap.as_str(m).map(String::from))
                            .unwrap_or_else(|| "__main__".into());
                        format!("<{module}.{q} object at {}>", address(r))
                    }
                    Obj::Range(a, b, 1) => format!("range({a}, {b})"),
                    Obj::Range(a, b, c) => format!("range({a}, {b}, {c})"),
                    Obj::Slice(a, b, c) => {
                        let (a, b, c) = (*a, *b, *c);
                        format!(
                            "slice({}, {}, {})",
                            self.repr(a)?,
                            self.repr(b)?,
                            self.repr(c)?
                        )
                    }
                    Obj::Generator(g) => {
                        format!("<generator object {} at {}>", g.qualname, address(r))
                    }
                    Obj::Cell(_) => format!("<cell at {}>", address(r)),
                    Obj::NotImplemented => "NotImplemented".into(),
                    Obj::Ellipsis => "Ellipsis".into(),
                    Obj::Module(n, _, g) => match g {
                        Some(_) => format!("<module '{n}'>"),
                        None => format!("<module '{n}' (built-in)>"),
                    },
                    Obj::Code(c) => format!(
                        "<code object {} at {}, file \"{}\", line {}>",
                        c.name.to_string_lossy(),
                        address(r),
                        c.filename.to_string_lossy(),
                        c.firstlineno
                    ),
                    Obj::ModuleFn(i) => format!("<built-in function {}>", super::modules::name(*i)),
                    Obj::Super(..) => "<super object>".into(),
                    Obj::Iter(_)
                    | Obj::Property(..)
                    | Obj::StaticMethod(_)
                    | Obj::ClassMethod(_) => {
                        let t = self.type_name(v);
                        format!("<{t} object at {}>", address(r))
                    }
                    Obj::Free => "<freed>".into(),
                }
            }
        })
    }

    /// Checks that `__repr__`/`__str__` returned a string, and takes it.
    fn text_result(&mut self, s: Value, what: &str) -> Res<String> {
        match self.heap.as_str(s) {
            Some(t) => {
                let t = t.to_string();
                self.heap.decref(s);
                Ok(t)
            }
            None => {
                let t = self.type_name(s);
                self.heap.decref(s);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("{what} returned non-string (type {t})"),
                ))
            }
        }
    }

    fn join_repr(&mut self, xs: &[Value]) -> Res<String> {
        let mut parts = Vec::with_capacity(xs.len());
        for x in xs {
            parts.push(self.repr(*x)?);
        }
        Ok(parts.join(", "))
    }

    fn repr_pairs(&mut self, pairs: &[(Value, Value)]) -> Res<String> {
        let mut parts = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            parts.push(format!("{}: {}", self.repr(*k)?, self.repr(*v)?));
        }
        Ok(parts.join(", "))
    }

    /// `str(v)`.
    pub(super) fn str_of(&mut self, v: Value) -> Res<String> {
        if let Value::Obj(r) = v {
            if let Some(f) = self.special(v, "__str__") {
                let s = self.call_value(f, &[v], &[])?;
                return self.text_result(s, "__str__");
            }
            match self.heap.get(r) {
                Obj::Str(s) => return Ok(s.s.to_string()),
                Obj::Instance(i) if i.exc.is_some() => {
                    let args = i.exc.as_ref().map(|d| d.args.clone()).unwrap_or_default();
                    let key_error = self.is_subclass(i.class, self.types.exc(ExcKind::KeyError));
                    return match args.len() {
                        0 => Ok(String::new()),
                        1 if key_error => self.repr(args[0]),
                        1 => self.str_of(args[0]),
                        _ => Ok(format!("({})", self.join_repr(&args)?)),
                    };
                }
                _ => {}
            }
        }
        self.repr(v)
    }

    /// `ascii(v)`.
    pub(super) fn ascii(&mut self, v: Value) -> Res<String> {
        let r = self.repr(v)?;
        let mut out = String::with_capacity(r.len());
        for c in r.chars() {
            let n = c as u32;
            if n < 0x80 {
                out.push(c);
            } else if n < 0x100 {
                out.push_str(&format!("\\x{n:02x}"));
            } else if n < 0x10000 {
                out.push_str(&format!("\\u{n:04x}"));
            } else {
                out.push_str(&format!("\\U{n:08x}"));
            }
        }
        Ok(out)
    }

    /// `format(v, spec)`.
    pub(super) fn format_value(&mut self, v: Value, spec: &str) -> Res<String> {
        if let Some(f) = self.special(v, "__format__") {
            let s = self.str_value(spec);
            let r = self.call_value(f, &[v, s], &[]);
            self.heap.decref(s);
            return self.text_result(r?, "__format__");
        }
        let fe = |vm: &mut Vm, e: FormatError, t: &str| -> Fault {
            let e = e.for_type(t);
            let kind = match e.exception_type() {
                "TypeError" => ExcKind::TypeError,
                "OverflowError" => ExcKind::OverflowError,
                _ => ExcKind::ValueError,
            };
            vm.error(kind, e.to_string())
        };
        match v {
            Value::Int(_) | Value::Bool(_) if !spec.is_empty() || matches!(v, Value::Int(_)) => {
                let b = self.as_big(v).unwrap_or_default();
                let parsed = pyformat::parse_spec(spec).map_err(|e| fe(self, e, "int"))?;
                return pyformat::format_int(&b, &parsed).map_err(|e| fe(self, e, "int"));
            }
            Value::Float(x) => {
                let parsed = pyformat::parse_spec(spec).map_err(|e| fe(self, e, "float"))?;
                return pyformat::format_float(x, &parsed).map_err(|e| fe(self, e, "float"));
            }
            _ => {}
        }
        if let Some(b) = self.heap.obj(v).and_then(|o| match o {
            Obj::Big(b) => Some(b.clone()),
            _ => None,
        }) {
            let parsed = pyformat::parse_spec(spec).map_err(|e| fe(self, e, "int"))?;
            return pyformat::format_int(&b, &parsed).map_err(|e| fe(self, e, "int"));
        }
        if let Some((re, im)) = self.as_complex(v) {
            return self.format_complex(re, im, spec);
        }
        if let Some(s) = self.heap.as_str(v) {
            let s = s.to_string();
            let parsed = pyformat::parse_spec(spec).map_err(|e| fe(self, e, "str"))?;
            return pyformat::format_str(&s, &parsed).map_err(|e| fe(self, e, "str"));
        }
        if spec.is_empty() {
            return self.str_of(v);
        }
        let t = self.type_name(v);
        Err(self.error(
            ExcKind::TypeError,
            format!("unsupported format string passed to {t}.__format__"),
        ))
    }

    /// `fmt % args`, owned.
    pub(super) fn percent_format(&mut self, fmt: &str, args: Value) -> Res<Value> {
        let pargs = match self.heap.obj(args) {
            Some(Obj::Tuple(xs)) => PercentArgs::Tuple(xs.to_vec()),
            Some(Obj::Dict(_)) => PercentArgs::Mapping(args),
            Some(Obj::Instance(_)) if self.special(args, "__getitem__").is_some() => {
                PercentArgs::Mapping(args)
            }
            _ => PercentArgs::Single(args),
        };
        let mut src = Source { vm: self };
        match pyformat::percent_format(fmt, pargs, &mut src) {
            Ok(s) => Ok(self.str_value(&s)),
            Err(PercentFault::Fault(f)) => Err(f),
            Err(PercentFault::Format(e)) => {
                let kind = match e.exception_type() {
                    "TypeError" => ExcKind::TypeError,
                    "OverflowError" => ExcKind::OverflowError,
                    "KeyError" => ExcKind::KeyError,
                    _ => ExcKind::ValueError,
                };
                Err(self.error(kind, e.to_string()))
            }
        }
    }
}

/// Why `%` formatting stopped.
enum PercentFault {
    Fault(Fault),
    Format(FormatError),
}

impl From<FormatError> for PercentFault {
    fn from(e: FormatError) -> Self {
        PercentFault::Format(e)
    }
}

struct Source<'a> {
    vm: &'a mut Vm,
}

impl PercentSource for Source<'_> {
    type Value = Value;
    type Error = PercentFault;

    fn get_item(&mut self, mapping: &Value, key: &str) -> Result<Value, PercentFault> {
        let k = self.vm.str_value(key);
        let r = self.vm.subscript(*mapping, k);
        self.vm.heap.decref(k);
        // The value stays alive in the mapping while formatting runs.
        r.inspect(|v| self.vm.heap.decref(*v))
            .map_err(PercentFault::Fault)
    }

    fn convert(
        &mut self,
        value: &Value,
        request: pyformat::ArgRequest,
    ) -> Result<PercentArg, PercentFault> {
        use pyformat::ArgRequest as R;
        let v = *value;
        let vm = &mut *self.vm;
        let unsupported = |vm: &Vm| PercentArg::Unsupported {
            type_name: vm.type_name(v),
        };
        Ok(match request {
            R::Str => PercentArg::Str(vm.str_of(v).map_err(PercentFault::Fault)?),
            R::Repr => PercentArg::Str(vm.repr(v).map_err(PercentFault::Fault)?),
            R::Ascii => PercentArg::Str(vm.ascii(v).map_err(PercentFault::Fault)?),
            R::Star | R::Index => match vm.as_big(v) {
                Some(b) => PercentArg::Int(b),
                None => unsupported(vm),
            },
            R::Number | R::Float => match v {
                Value::Float(f) => PercentArg::Float(f),
                _ => match vm.as_big(v) {
                    Some(b) => PercentArg::Int(b),
                    None => unsupported(vm),
                },
            },
            R::Char => match vm.heap.as_str(v) {
                Some(s) => PercentArg::Str(s.to_string()),
                None => match vm.as_big(v) {
                    Some(b) => PercentArg::Int(b),
                    None => unsupported(vm),
                },
            },
        })
    }
}
