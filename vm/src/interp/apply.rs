//! The stack rules of lifted opcodes on values: what the opcode pops (in
//! stack order) in, what it pushes out. Register code reads the inputs
//! from its registers and writes the outputs to its output registers; the
//! values an opcode leaves in place (the list under `LIST_APPEND`) are
//! read but not pushed again.

use super::{gap, Fault, Res, Vm};
use crate::code::VmCode;
use crate::heap::{ExcKind, Obj, Ty};
use crate::value::Value;
use pyreg_spec::opcode::Opcode;
use std::rc::Rc;

impl Vm {
    /// Runs `op` on `ins` (borrowed): the values it pushes, owned.
    pub(super) fn apply(
        &mut self,
        code: &Rc<VmCode>,
        pc: usize,
        op: Opcode,
        arg: u32,
        ins: &[Value],
    ) -> Res<Vec<Value>> {
        use Opcode::*;
        let one = |v: Value| Ok(vec![v]);
        match op {
            UnaryPositive | UnaryNegative | UnaryInvert => one(self.unary(op, ins[0])?),
            LoadBuildClass => {
                let b = self.builtin("__build_class__")?;
                one(self.heap.own(b))
            }
            LoadAssertionError => {
                let c = Value::Obj(self.types.exc(ExcKind::AssertionError));
                one(self.heap.own(c))
            }
            BuildMap => {
                let d = self.new_dict();
                for pair in ins.chunks(2) {
                    if let Err(e) = self.dict_set(d, pair[0], pair[1]) {
                        self.heap.decref(d);
                        return Err(e);
                    }
                }
                one(d)
            }
            BuildConstKeyMap => {
                let (vals, keys) = ins.split_at(ins.len() - 1);
                let keys = match self.heap.obj(keys[0]) {
                    Some(Obj::Tuple(ks)) if ks.len() == vals.len() => ks.to_vec(),
                    _ => {
                        return Err(self.error(
                            ExcKind::SystemError,
                            "bad BUILD_CONST_KEY_MAP keys argument".into(),
                        ))
                    }
                };
                let d = self.new_dict();
                for (k, v) in keys.iter().zip(vals) {
                    if let Err(e) = self.dict_set(d, *k, *v) {
                        self.heap.decref(d);
                        return Err(e);
                    }
                }
                one(d)
            }
            BuildSet => {
                let s = self.set_of_items(ins)?;
                one(s)
            }
            BuildSlice => {
                let (a, b) = (ins[0], ins[1]);
                let c = ins.get(2).copied().unwrap_or(Value::None);
                for v in [a, b, c] {
                    self.heap.incref(v);
                }
                one(self.heap.alloc(Obj::Slice(a, b, c)))
            }
            BuildString => {
                let mut s = String::new();
                for x in ins {
                    s.push_str(self.heap.as_str(*x).unwrap_or(""));
                }
                one(self.str_value(&s))
            }
            FormatValue => {
                let (v, spec) = if arg & 4 != 0 {
                    (ins[0], self.heap.as_str(ins[1]).unwrap_or("").to_string())
                } else {
                    (ins[0], String::new())
                };
                let conv = match arg & 3 {
                    1 => Some(self.str_of(v)?),
                    2 => Some(self.repr(v)?),
                    3 => Some(self.ascii(v)?),
                    _ => None,
                };
                let s = match conv {
                    Some(c) => {
                        let t = self.str_value(&c);
                        let r = self.format_value(t, &spec);
                        self.heap.decref(t);
                        r?
                    }
                    None => {
                        if spec.is_empty() {
                            if let Some(s) = self.heap.as_str(v) {
                                let s = s.to_string();
                                return one(self.str_value(&s));
                            }
                        }
                        self.format_value(v, &spec)?
                    }
                };
                one(self.str_value(&s))
            }
            ListToTuple => {
                let items = match self.heap.obj(ins[0]) {
                    Some(Obj::List(xs)) => xs.clone(),
                    _ => return self.broken("LIST_TO_TUPLE of a non-list"),
                };
                for x in &items {
                    self.heap.incref(*x);
                }
                one(self.heap.alloc(Obj::Tuple(items.into())))
            }
            ListAppend | ListExtend => {
                let x = ins[ins.len() - 1];
                let items = if op == ListAppend {
                    vec![self.heap.own(x)]
                } else {
                    self.collect(x)?
                };
                match ins[0].obj().map(|r| self.heap.get_mut(r)) {
                    Some(Obj::List(xs)) => xs.extend(items),
                    _ => {
                        self.heap.decref_all(items);
                        return self.broken("LIST_APPEND to a non-list");
                    }
                }
                Ok(vec![])
            }
            SetAdd => {
                self.set_add(ins[0], ins[ins.len() - 1])?;
                Ok(vec![])
            }
            SetUpdate => {
                self.set_update(ins[0], &ins[ins.len() - 1..])?;
                Ok(vec![])
            }
            MapAdd => {
                let n = ins.len();
                self.dict_set(ins[0], ins[n - 2], ins[n - 1])?;
                Ok(vec![])
            }
            DictUpdate | DictMerge => {
                // DICT_MERGE reads down to the function it builds the
                // call for, which its messages name.
                let n = ins.len();
                let (d, other) = if op == DictMerge {
                    (ins[n - 2], ins[n - 1])
                } else {
                    (ins[0], ins[n - 1])
                };
                let is_mapping = matches!(self.heap.obj(other), Some(Obj::Dict(_)))
                    || self.special(other, "keys").is_some();
                if !is_mapping {
                    let t = self.type_name(other);
                    let msg = if op == DictMerge {
                        let f = self.callable_name(ins[0]);
                        format!("{f} argument after ** must be a mapping, not {t}")
                    } else {
                        format!("'{t}' object is not a mapping")
                    };
                    return Err(self.error(ExcKind::TypeError, msg));
                }
                if op == DictMerge {
                    let keys: Vec<Value> =
                        self.set_keys(other).into_iter().map(|(_, k)| k).collect();
                    for k in keys {
                        if self.dict_get(d, k)?.is_some() {
                            let s = self.str_of(k)?;
                            let f = self.callable_name(ins[0]);
                            return Err(self.error(
                                ExcKind::TypeError,
                                format!("{f} got multiple values for keyword argument '{s}'"),
                            ));
                        }
                    }
                }
                self.dict_update(d, other)?;
                Ok(vec![])
            }
            UnpackEx => {
                let (before, after) = ((arg & 0xff) as usize, (arg >> 8) as usize);
                let items = self.collect(ins[0]).map_err(|f| match f {
                    Fault::Raise(e) if self.type_of(e) == self.types.exc(ExcKind::TypeError) => {
                        self.heap.decref(e);
                        let t = self.type_name(ins[0]);
                        self.error(
                            ExcKind::TypeError,
                            format!("cannot unpack non-iterable {t} object"),
                        )
                    }
                    f => f,
                })?;
                if items.len() < before + after {
                    let n = items.len();
                    self.heap.decref_all(items);
                    return Err(self.error(
                        ExcKind::ValueError,
                        format!(
                            "not enough values to unpack (expected at least {}, got {n})",
                            before + after
                        ),
                    ));
                }
                let mut items = items;
                let tail = items.split_off(items.len() - after);
                let middle = items.split_off(before);
                let list = self.heap.alloc(Obj::List(middle));
                // Pushed in reverse: the first item ends on top.
                let mut out: Vec<Value> = items;
                out.push(list);
                out.extend(tail);
                out.reverse();
                Ok(out)
            }
            DeleteSubscr => {
                self.delete_subscript(ins[0], ins[1])?;
                Ok(vec![])
            }
            DeleteAttr => {
                let name = code.names[arg as usize];
                self.delattr(ins[0], name)?;
                Ok(vec![])
            }
            RaiseVarargs => {
                // arg 2: raise exc from cause.
                let e = self.exception_of(ins[0])?;
                if let Err(f) = self.set_cause(e, ins[1]) {
                    self.heap.decref(e);
                    return Err(f);
                }
                self.set_context(e);
                Err(Fault::Raise(e))
            }
            CallFunctionKw => {
                let n = ins.len();
                let names = match self.heap.obj(ins[n - 1]) {
                    Some(Obj::Tuple(xs)) => xs.to_vec(),
                    _ => return self.broken("CALL_FUNCTION_KW names"),
                };
                let args = &ins[1..n - 1];
                let npos = args.len() - names.len();
                let kwargs: Vec<(Value, Value)> = names
                    .iter()
                    .copied()
                    .zip(args[npos..].iter().copied())
                    .collect();
                one(self.call_value(ins[0], &args[..npos], &kwargs)?)
            }
            CallFunctionEx => {
                let f = ins[0];
                let args = match self.heap.obj(ins[1]) {
                    Some(Obj::Tuple(xs)) => {
                        let xs = xs.to_vec();
                        for x in &xs {
                            self.heap.incref(*x);
                        }
                        xs
                    }
                    _ => match self.collect(ins[1]) {
                        Ok(xs) => xs,
                        Err(Fault::Raise(e)) => {
                            self.heap.decref(e);
                            let t = self.type_name(ins[1]);
                            let fname = self.callable_name(f);
                            return Err(self.error(
                                ExcKind::TypeError,
                                format!("{fname} argument after * must be an iterable, not {t}"),
                            ));
                        }
                        Err(f) => return Err(f),
                    },
                };
                let kwargs: Vec<(Value, Value)> = if arg & 1 != 0 {
                    match self.heap.obj(ins[2]) {
                        Some(Obj::Dict(d)) => d.iter().map(|e| (e.key, e.value)).collect(),
                        _ => {
                            self.heap.decref_all(args);
                            return gap("** of a non-dict mapping");
                        }
                    }
                } else {
                    Vec::new()
                };
                for (k, _) in &kwargs {
                    if self.heap.as_str(*k).is_none() {
                        self.heap.decref_all(args);
                        return Err(
                            self.error(ExcKind::TypeError, "keywords must be strings".into())
                        );
                    }
                }
                let r = self.call_value(f, &args, &kwargs);
                self.heap.decref_all(args);
                one(r?)
            }
            MakeFunction => gap("MAKE_FUNCTION in this form"),
            SetupWith => {
                let mgr = ins[0];
                let enter = self.special_or_attr(mgr, "__enter__")?;
                let exit = match self.special_or_attr(mgr, "__exit__") {
                    Ok(x) => x,
                    Err(e) => {
                        self.heap.decref(enter);
                        return Err(e);
                    }
                };
                let r = self.call_value(enter, &[], &[]);
                self.heap.decref(enter);
                match r {
                    Ok(r) => Ok(vec![exit, r]),
                    Err(e) => {
                        self.heap.decref(exit);
                        Err(e)
                    }
                }
            }
            WithExceptStart => {
                // exit, prev tb/value/type, tb, value, type
                let exit = ins[0];
                let (tb, val, ty) = (ins[4], ins[5], ins[6]);
                one(self.call_value(exit, &[ty, val, tb], &[])?)
            }
            GetYieldFromIter => {
                if matches!(self.heap.obj(ins[0]), Some(Obj::Generator(_))) {
                    return one(self.heap.own(ins[0]));
                }
                one(self.iter(ins[0])?)
            }
            SetupAnnotations => {
                let locals = self.frames.last().map_or(Value::Empty, |f| f.locals);
                if locals != Value::Empty {
                    if self.dict_get_str(locals, "__annotations__").is_none() {
                        let k = self.str_value("__annotations__");
                        let d = self.new_dict();
                        let r = self.dict_set(locals, k, d);
                        self.heap.decref(k);
                        self.heap.decref(d);
                        r?;
                    }
                } else {
                    let g = code.globals as usize;
                    let slot = self.ns[g].slot("__annotations__");
                    if self.ns[g].slots[slot as usize] == Value::Empty {
                        self.ns[g].slots[slot as usize] = self.new_dict();
                    }
                }
                Ok(vec![])
            }
            LoadClassderef => {
                let locals = self.frames.last().map_or(Value::Empty, |f| f.locals);
                let ncell = code.co.cellvars.len();
                let name = if (arg as usize) < ncell {
                    code.co.cellvars[arg as usize].to_string_lossy()
                } else {
                    code.co
                        .freevars
                        .get(arg as usize - ncell)
                        .map_or_else(String::new, |n| n.to_string_lossy())
                };
                if locals != Value::Empty {
                    if let Some(v) = self.dict_get_str(locals, &name) {
                        return one(self.heap.own(v));
                    }
                }
                let c = self.cell(code, pc, arg)?;
                let v = match self.heap.obj(c) {
                    Some(Obj::Cell(v)) => *v,
                    _ => Value::Empty,
                };
                if v == Value::Empty {
                    return Err(self.unbound_cell(code, arg));
                }
                one(self.heap.own(v))
            }
            LoadName | StoreName | DeleteName => {
                gap("a name operation outside a module or class body")
            }
            ImportName => {
                let n = code
                    .co
                    .names
                    .get(arg as usize)
                    .map_or_else(String::new, |n| n.to_string_lossy());
                one(self.import(&n)?)
            }
            ImportFrom => {
                let name = code.names[arg as usize];
                let n = self.heap.as_str(name).unwrap_or("").to_string();
                match self.getattr(ins[0], name) {
                    Ok(v) => Ok(vec![v]),
                    Err(Fault::Raise(e)) => {
                        self.heap.decref(e);
                        let m = match self.heap.obj(ins[0]) {
                            Some(Obj::Module(m, _, _)) => m.to_string(),
                            _ => "?".into(),
                        };
                        Err(self.error(
                            ExcKind::ImportError,
                            format!("cannot import name '{n}' from '{m}' (unknown location)"),
                        ))
                    }
                    Err(f) => Err(f),
                }
            }
            ImportStar => {
                let (name, g) = match self.heap.obj(ins[0]) {
                    Some(Obj::Module(n, _, g)) => (n.to_string(), *g),
                    _ => return gap("import * from a non-module"),
                };
                let pairs: Vec<(String, Value)> = match g {
                    Some(g) => {
                        let ns = &self.ns[g as usize];
                        ns.names
                            .iter()
                            .zip(&ns.slots)
                            .filter(|(n, v)| !n.starts_with('_') && **v != Value::Empty)
                            .map(|(n, v)| (n.clone(), *v))
                            .collect()
                    }
                    None => {
                        let _ = name;
                        return gap("import * from a built-in module");
                    }
                };
                let g = code.globals as usize;
                for (n, v) in pairs {
                    let slot = self.ns[g].slot(&n);
                    self.heap.incref(v);
                    let old = std::mem::replace(&mut self.ns[g].slots[slot as usize], v);
                    self.heap.decref(old);
                }
                Ok(vec![])
            }
            PrintExpr => {
                if ins[0] != Value::None {
                    let s = self.repr(ins[0])?;
                    self.stdout.extend_from_slice(s.as_bytes());
                    self.stdout.push(b'\n');
                }
                Ok(vec![])
            }
            _ => Err(self.unsupported(code, pc, &format!("opcode {}", op.name()))),
        }
    }

    /// A special method looked up on the type (bound), as `with` does;
    /// `AttributeError` naming it when absent. Owned.
    fn special_or_attr(&mut self, obj: Value, name: &str) -> Res<Value> {
        let t = self.type_of(obj);
        match self.lookup(t, name) {
            Some((f, _)) => match self.heap.obj(f) {
                Some(Obj::Function(_)) => {
                    self.heap.incref(f);
                    self.heap.incref(obj);
                    Ok(self.heap.alloc(Obj::BoundMethod(f, obj)))
                }
                _ => {
                    let n = self.str_value(name);
                    let r = self.getattr(obj, n);
                    self.heap.decref(n);
                    r
                }
            },
            None => {
                let ty = self.class(t).map_or(Ty::Object, |c| c.ty);
                if let Some(i) = super::methods::find(ty, name) {
                    self.heap.incref(obj);
                    return Ok(self.heap.alloc(Obj::BoundBuiltin(i, obj)));
                }
                Err(self.error(ExcKind::AttributeError, name.to_string()))
            }
        }
    }

    /// How CPython names a callable in call errors (`f()`).
    pub(super) fn callable_name(&self, f: Value) -> String {
        match self.heap.obj(f) {
            Some(Obj::Function(func)) => format!("{}()", func.qualname),
            Some(Obj::Builtin(i)) => format!("{}()", super::builtins::name(*i)),
            Some(Obj::BoundMethod(g, _)) => self.callable_name(*g),
            Some(Obj::Class(c)) => format!("{}()", c.name),
            _ => format!("{} object", self.type_name(f)),
        }
    }
}
