//! Iterators: `iter()` and `next()` for the built-in iterables, the
//! iterator objects of builtins like `enumerate` and `zip`, and the
//! `__iter__`/`__next__` protocol.

use super::{Fault, Machine, PyResult};
use crate::code::PyStr;
use crate::object::{Int, Obj, ObjId, Value};
use num_bigint::BigInt;

/// The state of a built-in iterator object.
#[derive(Clone, Debug)]
pub enum IterState {
    /// Over a list object, by position (sees appends made while iterating).
    List {
        /// The list.
        list: ObjId,
        /// Next position.
        index: usize,
    },
    /// Over a fixed sequence of values (tuple items, string characters,
    /// set items, a reversed copy, ...).
    Values {
        /// The items.
        items: std::sync::Arc<[Value]>,
        /// Next position.
        index: usize,
        /// The Python type name of the iterator (`tuple_iterator`, ...).
        kind: &'static str,
    },
    /// Over a dict's keys, values or items by position.
    Dict {
        /// The dict object.
        dict: ObjId,
        /// Next entry slot.
        index: usize,
        /// 0 keys, 1 values, 2 items.
        kind: u8,
        /// The dict's size when iteration began (a change is an error).
        len: usize,
    },
    /// Over a range.
    Range {
        /// Next value.
        next: BigInt,
        /// Items left.
        left: BigInt,
        /// Step.
        step: BigInt,
    },
    /// `enumerate(it, start)`.
    Enumerate {
        /// The inner iterator.
        inner: Value,
        /// Next count.
        count: BigInt,
    },
    /// `zip(*its)`.
    Zip(Vec<Value>),
    /// `map(f, *its)`.
    Map {
        /// The function.
        f: Value,
        /// The inner iterators.
        inners: Vec<Value>,
    },
    /// `filter(f, it)`.
    Filter {
        /// The predicate (`None`: truth).
        f: Value,
        /// The inner iterator.
        inner: Value,
    },
    /// `iter(callable, sentinel)`.
    Callable {
        /// The callable.
        f: Value,
        /// The value that ends iteration.
        sentinel: Value,
    },
    /// The old sequence protocol: `obj[0]`, `obj[1]`, ... until IndexError.
    Sequence {
        /// The object with `__getitem__`.
        obj: Value,
        /// Next index.
        index: i64,
    },
    /// An exhausted iterator, with the name of the type it keeps (an
    /// exhausted `zip` is still a `zip`).
    Done(&'static str),
}

impl IterState {
    /// The name of the Python type of an iterator in this state.
    pub fn type_name(&self) -> &'static str {
        match self {
            IterState::List { .. } => "list_iterator",
            IterState::Values { kind, .. } => kind,
            IterState::Dict { kind: 0, .. } => "dict_keyiterator",
            IterState::Dict { kind: 1, .. } => "dict_valueiterator",
            IterState::Dict { .. } => "dict_itemiterator",
            IterState::Range { .. } => "range_iterator",
            IterState::Enumerate { .. } => "enumerate",
            IterState::Zip(_) => "zip",
            IterState::Map { .. } => "map",
            IterState::Filter { .. } => "filter",
            IterState::Callable { .. } => "callable_iterator",
            IterState::Sequence { .. } => "iterator",
            IterState::Done(name) => name,
        }
    }
}

impl Machine {
    fn new_iter(&mut self, s: IterState) -> Value {
        Value::Obj(self.heap.alloc(Obj::Iterator(s)))
    }

    /// `iter(v)`.
    pub fn get_iter(&mut self, v: &Value) -> PyResult<Value> {
        if let Some(d) = self.proxied(v) {
            return self.get_iter(&d);
        }
        let values = |items: Vec<Value>, kind: &'static str| IterState::Values {
            items: items.into(),
            index: 0,
            kind,
        };
        let state = match v {
            Value::Tuple(t) => IterState::Values {
                items: t.clone(),
                index: 0,
                kind: "tuple_iterator",
            },
            Value::Str(s) => values(
                s.code_points()
                    .into_iter()
                    .map(|c| Value::Str(PyStr::from_code_points(&[c])))
                    .collect(),
                "str_iterator",
            ),
            Value::Bytes(b) => values(
                b.iter().map(|x| Value::int(i64::from(*x))).collect(),
                "bytes_iterator",
            ),
            Value::Obj(id) if matches!(self.heap.get(*id), Obj::List(_)) => IterState::List {
                list: *id,
                index: 0,
            },
            Value::Obj(id) => match self.heap.get(*id).clone() {
                Obj::List(_) => IterState::List {
                    list: *id,
                    index: 0,
                },
                Obj::Dict(d) => IterState::Dict {
                    dict: *id,
                    index: 0,
                    kind: 0,
                    len: d.len,
                },
                Obj::Set { table, .. } => values(table.iter().cloned().collect(), "set_iterator"),
                Obj::DictView { dict, kind } => {
                    return Ok(self.dict_iter(dict, kind));
                }
                Obj::ByteArray(b) => values(
                    b.iter().map(|x| Value::int(i64::from(*x))).collect(),
                    "bytearray_iterator",
                ),
                Obj::Range { start, stop, step } => IterState::Range {
                    next: start.to_big(),
                    left: super::ops::range_len(&start, &stop, &step),
                    step: step.to_big(),
                },
                Obj::Iterator(_) | Obj::Generator(_) => return Ok(v.clone()),
                _ => return self.iter_dunder(v),
            },
            _ => return self.iter_dunder(v),
        };
        Ok(self.new_iter(state))
    }

    /// An iterator over a dict's keys (0), values (1) or items (2).
    pub fn dict_iter(&mut self, dict: ObjId, kind: u8) -> Value {
        let len = match self.heap.get(dict) {
            Obj::Dict(d) => d.len,
            _ => 0,
        };
        self.new_iter(IterState::Dict {
            dict,
            index: 0,
            kind,
            len,
        })
    }

    /// A built-in iterator object with the given state.
    pub fn make_iter(&mut self, s: IterState) -> Value {
        self.new_iter(s)
    }

    fn iter_dunder(&mut self, v: &Value) -> PyResult<Value> {
        let t = self.type_of(v);
        if let Some(f) = self.lookup_in_mro(t, &PyStr::from("__iter__")) {
            if !matches!(f, Value::None) {
                let it = self.call(f, vec![v.clone()], vec![])?;
                let ti = self.type_of(&it);
                if self.lookup_in_mro(ti, &PyStr::from("__next__")).is_none()
                    && !matches!(&it, Value::Obj(i) if matches!(self.heap.get(*i), Obj::Iterator(_) | Obj::Generator(_)))
                {
                    let tn = self.type_name(ti);
                    return Err(
                        self.type_error(format!("iter() returned non-iterator of type '{tn}'"))
                    );
                }
                return Ok(it);
            }
        }
        // A subclass of a built-in iterable iterates its built-in value
        // (list_iter does not call an overridden __getitem__).
        if let Some(b) = self.base_of(v) {
            return self.get_iter(&b);
        }
        if self.lookup_in_mro(t, &PyStr::from("__getitem__")).is_some() {
            return Ok(self.new_iter(IterState::Sequence {
                obj: v.clone(),
                index: 0,
            }));
        }
        let tn = self.type_name(t);
        Err(self.type_error(format!("'{tn}' object is not iterable")))
    }

    /// `next(it)`: `Some(value)`, or `None` when exhausted (StopIteration
    /// is turned into `None` here and never seen by the caller).
    pub fn next_of(&mut self, it: &Value) -> PyResult<Option<Value>> {
        let Value::Obj(id) = it else {
            return self.next_dunder(it);
        };
        let id = *id;
        let state = match self.heap.get(id) {
            Obj::Iterator(s) => s.clone(),
            Obj::Generator(_) => return self.generator_next(id),
            _ => return self.next_dunder(it),
        };
        let done = state.type_name();
        let (out, new_state) = match state {
            IterState::Done(name) => (None, IterState::Done(name)),
            IterState::List { list, index } => {
                let item = match self.heap.get(list) {
                    Obj::List(l) => l.get(index).cloned(),
                    _ => None,
                };
                match item {
                    Some(v) => (
                        Some(v),
                        IterState::List {
                            list,
                            index: index + 1,
                        },
                    ),
                    None => (None, IterState::Done(done)),
                }
            }
            IterState::Values { items, index, kind } => match items.get(index).cloned() {
                Some(v) => (
                    Some(v),
                    IterState::Values {
                        items,
                        index: index + 1,
                        kind,
                    },
                ),
                None => (None, IterState::Done(done)),
            },
            IterState::Dict {
                dict,
                mut index,
                kind,
                len,
            } => {
                let Obj::Dict(d) = self.heap.get(dict).clone() else {
                    return Ok(None);
                };
                if d.len != len {
                    self.set_iter(id, IterState::Done(done));
                    return Err(self.new_error(
                        "RuntimeError",
                        "dictionary changed size during iteration".into(),
                    ));
                }
                let mut found = None;
                while index < d.entries.len() {
                    let e = d.entries[index].clone();
                    index += 1;
                    if let Some(e) = e {
                        found = Some(match kind {
                            0 => e.key,
                            1 => e.value,
                            _ => Value::tuple(vec![e.key, e.value]),
                        });
                        break;
                    }
                }
                match found {
                    Some(v) => (
                        Some(v),
                        IterState::Dict {
                            dict,
                            index,
                            kind,
                            len,
                        },
                    ),
                    None => (None, IterState::Done(done)),
                }
            }
            IterState::Range { next, left, step } => {
                if left <= BigInt::from(0) {
                    (None, IterState::Done(done))
                } else {
                    let v = Value::Int(Int::from_big(next.clone()));
                    (
                        Some(v),
                        IterState::Range {
                            next: next + &step,
                            left: left - 1,
                            step,
                        },
                    )
                }
            }
            IterState::Enumerate { inner, count } => match self.next_of(&inner)? {
                Some(v) => {
                    let c = Value::Int(Int::from_big(count.clone()));
                    (
                        Some(Value::tuple(vec![c, v])),
                        IterState::Enumerate {
                            inner,
                            count: count + 1,
                        },
                    )
                }
                None => (None, IterState::Done(done)),
            },
            IterState::Zip(inners) => match self.next_of_each(&inners)? {
                Some(items) if !inners.is_empty() => {
                    (Some(Value::tuple(items)), IterState::Zip(inners))
                }
                _ => (None, IterState::Done(done)),
            },
            IterState::Map { f, inners } => match self.next_of_each(&inners)? {
                Some(args) => {
                    let r = self.call(f.clone(), args, vec![])?;
                    (Some(r), IterState::Map { f, inners })
                }
                None => (None, IterState::Done(done)),
            },
            IterState::Filter { f, inner } => loop {
                match self.next_of(&inner)? {
                    Some(v) => {
                        let keep = if matches!(f, Value::None) {
                            self.truthy(&v)?
                        } else {
                            let r = self.call(f.clone(), vec![v.clone()], vec![])?;
                            self.truthy(&r)?
                        };
                        if keep {
                            break (Some(v), IterState::Filter { f, inner });
                        }
                    }
                    None => break (None, IterState::Done(done)),
                }
            },
            IterState::Sequence { obj, index } => match self.get_item(&obj, &Value::int(index)) {
                Ok(v) => (
                    Some(v),
                    IterState::Sequence {
                        obj,
                        index: index + 1,
                    },
                ),
                Err(Fault::Raise(e))
                    if self.is_instance(&Value::Obj(e), self.types.get("IndexError"))
                        || self.is_instance(&Value::Obj(e), self.types.get("StopIteration")) =>
                {
                    (None, IterState::Done(done))
                }
                Err(e) => return Err(e),
            },
            IterState::Callable { f, sentinel } => {
                let v = self.call(f.clone(), vec![], vec![])?;
                if self.eq(&v, &sentinel)? {
                    (None, IterState::Done(done))
                } else {
                    (Some(v), IterState::Callable { f, sentinel })
                }
            }
        };
        self.set_iter(id, new_state);
        Ok(out)
    }

    /// The next item of each iterator in turn, or `None` as soon as one is
    /// exhausted (the ones before it have advanced, as in `zip` and `map`).
    fn next_of_each(&mut self, inners: &[Value]) -> PyResult<Option<Vec<Value>>> {
        let mut items = Vec::with_capacity(inners.len());
        for i in inners {
            match self.next_of(i)? {
                Some(v) => items.push(v),
                None => return Ok(None),
            }
        }
        Ok(Some(items))
    }

    fn set_iter(&mut self, id: ObjId, s: IterState) {
        if let Obj::Iterator(st) = self.heap.get_mut(id) {
            *st = s;
        }
    }

    fn next_dunder(&mut self, it: &Value) -> PyResult<Option<Value>> {
        let t = self.type_of(it);
        let Some(f) = self.lookup_in_mro(t, &PyStr::from("__next__")) else {
            let tn = self.type_name(t);
            return Err(self.type_error(format!("'{tn}' object is not an iterator")));
        };
        match self.call(f, vec![it.clone()], vec![]) {
            Ok(v) => Ok(Some(v)),
            Err(Fault::Raise(e))
                if self.is_instance(&Value::Obj(e), self.types.get("StopIteration")) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}
