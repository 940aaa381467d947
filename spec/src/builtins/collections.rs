//! The methods of `list`, `dict`, `set`, `frozenset` and the dict views.

use super::{arg_count, kwarg, name_of, Args, BuiltinId, Kwargs};
use crate::code::PyStr;
use crate::interp::ops::{BinOp, CmpOp, MAX_COLLECTION};
use crate::interp::{Fault, Machine, PyResult};
use crate::object::{Dict, Obj, ObjId, Value};
use crate::settable::SetTable;
use num_traits::{Signed, ToPrimitive};

// ----- list ---------------------------------------------------------------

fn list_items(m: &mut Machine, v: &Value, name: &str) -> PyResult<(ObjId, Vec<Value>)> {
    match v {
        Value::Obj(id) => match m.heap.get(*id) {
            Obj::List(l) => Ok((*id, l.clone())),
            _ => Err(m.type_error(format!("descriptor '{name}' requires a 'list' object"))),
        },
        _ => Err(m.type_error(format!("descriptor '{name}' requires a 'list' object"))),
    }
}

fn set_list(m: &mut Machine, id: ObjId, items: Vec<Value>) {
    *m.heap.get_mut(id) = Obj::List(items);
}

pub(super) fn list_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let this = args.first().cloned().unwrap_or(Value::None);
    let (lid, mut items) = list_items(m, &this, name_of(id))?;
    let rest: Args = args[1..].to_vec();
    if id != ListSort && !kwargs.is_empty() {
        return Err(no_keywords(
            m,
            "list",
            id,
            matches!(id, ListPop | ListInsert | ListIndex),
        ));
    }
    let no_args = |m: &mut Machine, name: &str, rest: &Args| -> PyResult<()> {
        if rest.is_empty() {
            Ok(())
        } else {
            Err(m.type_error(format!(
                "{name}() takes no arguments ({} given)",
                rest.len()
            )))
        }
    };
    match id {
        ListAppend => {
            arg_count(m, "list.append", &rest, 1, 1)?;
            if items.len() >= MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            m.list_append(&this, rest[0].clone());
            Ok(Value::None)
        }
        ListExtend => {
            arg_count(m, "list.extend", &rest, 1, 1)?;
            let more = m.collect(&rest[0])?;
            // Re-read: collecting may have run code that changed the list.
            let (_, mut items) = list_items(m, &this, "extend")?;
            if items.len() + more.len() > MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            items.extend(more);
            set_list(m, lid, items);
            Ok(Value::None)
        }
        ListPop => {
            arg_count(m, "pop", &rest, 0, 1)?;
            let index = match rest.first() {
                Some(v) => Some(index_of_ssize(m, v)?),
                None => None,
            };
            if items.is_empty() {
                return Err(m.new_error("IndexError", "pop from empty list".into()));
            }
            let Some(j) = pop_position(items.len(), index) else {
                return Err(m.new_error("IndexError", "pop index out of range".into()));
            };
            let v = items.remove(j);
            set_list(m, lid, items);
            Ok(v)
        }
        ListInsert => {
            arg_count(m, "insert", &rest, 2, 2)?;
            let i = index_of_ssize(m, &rest[0])?;
            let (_, mut items) = list_items(m, &this, "insert")?;
            if items.len() >= MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            let n = items.len() as i64;
            let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
            items.insert(j as usize, rest[1].clone());
            set_list(m, lid, items);
            Ok(Value::None)
        }
        ListRemove => {
            arg_count(m, "list.remove", &rest, 1, 1)?;
            let x = &rest[0];
            let mut i = 0;
            // The list is re-read at every step: `__eq__` may change it.
            while let Some(v) = list_get(m, lid, i) {
                if v.is(x) || m.eq(&v, x)? {
                    let (_, mut items) = list_items(m, &this, "remove")?;
                    if i < items.len() {
                        items.remove(i);
                        set_list(m, lid, items);
                    }
                    return Ok(Value::None);
                }
                i += 1;
            }
            Err(m.new_error("ValueError", "list.remove(x): x not in list".into()))
        }
        ListIndex => {
            arg_count(m, "index", &rest, 1, 3)?;
            let n = items.len() as i64;
            let bound = |m: &mut Machine, v: Option<&Value>, default: i64| -> PyResult<i64> {
                let Some(v) = v else { return Ok(default) };
                let i = slice_index(m, v)?;
                Ok(if i < 0 { (i + n).max(0) } else { i })
            };
            let start = bound(m, rest.get(1), 0)?;
            let stop = bound(m, rest.get(2), i64::MAX)?;
            let x = &rest[0];
            let mut i = start;
            while i < stop {
                let Some(v) = list_get(m, lid, i as usize) else {
                    break;
                };
                if v.is(x) || m.eq(&v, x)? {
                    return Ok(Value::int(i));
                }
                i += 1;
            }
            let r = m.repr_of(x)?;
            Err(m.new_error("ValueError", format!("{r} is not in list")))
        }
        ListCount => {
            arg_count(m, "list.count", &rest, 1, 1)?;
            let x = &rest[0];
            let (mut i, mut count) = (0, 0);
            while let Some(v) = list_get(m, lid, i) {
                if v.is(x) || m.eq(&v, x)? {
                    count += 1;
                }
                i += 1;
            }
            Ok(Value::int(count))
        }
        ListSort => {
            if !rest.is_empty() {
                return Err(m.type_error("sort() takes no positional arguments".into()));
            }
            if let Some((k, _)) = kwargs
                .iter()
                .find(|(k, _)| !matches!(k.as_str(), Some("key" | "reverse")))
            {
                return Err(m.type_error(format!(
                    "'{}' is an invalid keyword argument for sort()",
                    crate::interp::text(k)
                )));
            }
            list_sort(m, &this, &kwargs)?;
            Ok(Value::None)
        }
        ListReverse => {
            no_args(m, "list.reverse", &rest)?;
            items.reverse();
            set_list(m, lid, items);
            Ok(Value::None)
        }
        ListCopy => {
            no_args(m, "list.copy", &rest)?;
            Ok(Value::Obj(m.heap.alloc(Obj::List(items))))
        }
        ListClear => {
            no_args(m, "list.clear", &rest)?;
            set_list(m, lid, Vec::new());
            Ok(Value::None)
        }
        ListLen => {
            dunder_arity(m, &rest, 0)?;
            Ok(Value::int(items.len() as i64))
        }
        ListGetitem | ListSetitem | ListDelitem | ListContains => {
            container_dunder(m, name_of(id), &this, &rest)
        }
        _ => Err(Fault::Stuck(format!(
            "list_method called for {}",
            name_of(id)
        ))),
    }
}

/// Item `i` of list `lid` as it is now, if the list still has one.
fn list_get(m: &Machine, lid: ObjId, i: usize) -> Option<Value> {
    match m.heap.get(lid) {
        Obj::List(l) => l.get(i).cloned(),
        _ => None,
    }
}

/// Argument Clinic's `Py_ssize_t` converter (`list.pop(i)`,
/// `list.insert(i, x)`): floats are refused outright, ints must fit.
/// The position `pop(index)` removes from a sequence of `len` items (the
/// last when `index` is `None`; negative indexes count from the end), or
/// `None` when out of range.
pub(super) fn pop_position(len: usize, index: Option<i64>) -> Option<usize> {
    let n = len as i64;
    let i = index.unwrap_or(n - 1);
    let j = if i < 0 { i + n } else { i };
    (0..n).contains(&j).then_some(j as usize)
}

fn index_of_ssize(m: &mut Machine, v: &Value) -> PyResult<i64> {
    if let Value::Float(_) = v {
        return Err(m.type_error("integer argument expected, got float".into()));
    }
    let i = m.index_of(v, "'{}' object cannot be interpreted as an integer")?;
    match i.to_i64() {
        Some(i) => Ok(i),
        None => Err(m.new_error(
            "OverflowError",
            "Python int too large to convert to C ssize_t".into(),
        )),
    }
}

/// `_PyEval_SliceIndexNotNone`: a start/stop bound, clamped to the
/// `Py_ssize_t` range.
fn slice_index(m: &mut Machine, v: &Value) -> PyResult<i64> {
    let i = m.index_of(
        v,
        "slice indices must be integers or have an __index__ method",
    )?;
    Ok(i.to_i64()
        .unwrap_or(if i.is_negative() { i64::MIN } else { i64::MAX }))
}

/// A slot wrapper's argument count check (`expected 1 argument, got 0`).
/// `__getitem__`, `__setitem__`, `__delitem__` and `__contains__` of a
/// list or dict, called as methods: the subscript and `in` rules.
fn container_dunder(m: &mut Machine, name: &str, this: &Value, rest: &Args) -> PyResult<Value> {
    match name {
        "__getitem__" => {
            arg_count(m, name, rest, 1, 1)?;
            m.get_item(this, &rest[0])
        }
        "__setitem__" => {
            dunder_arity(m, rest, 2)?;
            m.set_item(this, &rest[0], rest[1].clone())?;
            Ok(Value::None)
        }
        "__delitem__" => {
            dunder_arity(m, rest, 1)?;
            m.del_item(this, &rest[0])?;
            Ok(Value::None)
        }
        _ => {
            arg_count(m, name, rest, 1, 1)?;
            Ok(Value::Bool(m.contains(this, &rest[0])?))
        }
    }
}

/// The TypeError for keyword arguments to a method that takes none.
/// METH_O/METH_NOARGS methods name their type (`list.append()`); Argument
/// Clinic's METH_FASTCALL ones (`clinic`) do not (`pop()`).
fn no_keywords(m: &mut Machine, type_name: &str, id: BuiltinId, clinic: bool) -> Fault {
    let name = name_of(id);
    let shown = if clinic {
        name.to_string()
    } else {
        format!("{type_name}.{name}")
    };
    m.type_error(format!("{shown}() takes no keyword arguments"))
}

fn dunder_arity(m: &mut Machine, rest: &Args, n: usize) -> PyResult<()> {
    if rest.len() == n {
        return Ok(());
    }
    Err(m.type_error(format!(
        "expected {n} argument{}, got {}",
        if n == 1 { "" } else { "s" },
        rest.len()
    )))
}

/// `list.sort(key=None, reverse=False)`: a stable merge sort that compares
/// with `<` only, as CPython's timsort does (so the same `__lt__` calls can
/// fail the same way).
pub(super) fn list_sort(m: &mut Machine, l: &Value, kwargs: &Kwargs) -> PyResult<()> {
    let key = kwarg(kwargs, "key").filter(|k| !matches!(k, Value::None));
    let reverse = match kwarg(kwargs, "reverse") {
        Some(v) => m.truthy(&v)?,
        None => false,
    };
    let Value::Obj(lid) = l else { return Ok(()) };
    let items = match m.heap.get(*lid) {
        Obj::List(items) => items.clone(),
        _ => return Ok(()),
    };
    let mut keyed = Vec::with_capacity(items.len());
    for v in items {
        let k = match &key {
            Some(f) => m.call(f.clone(), vec![v.clone()], vec![])?,
            None => v.clone(),
        };
        keyed.push((k, v));
    }
    // Reversal keeps stability: reverse, sort stably, reverse back.
    if reverse {
        keyed.reverse();
    }
    let sorted = super::sort::sort_pairs(m, keyed)?;
    let mut out: Vec<Value> = sorted.into_iter().map(|(_, v)| v).collect();
    if reverse {
        out.reverse();
    }
    *m.heap.get_mut(*lid) = Obj::List(out);
    Ok(())
}

// ----- dict ---------------------------------------------------------------

pub(super) fn dict_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    if id == DictFromkeys {
        return dict_fromkeys(m, &args, &kwargs);
    }
    let this = args.first().cloned().unwrap_or(Value::None);
    let Some(did) = dict_id(m, &this) else {
        let name = name_of(id);
        return Err(match args.first() {
            Some(v) => {
                let tn = m.type_name_of(v);
                m.type_error(format!(
                    "descriptor '{name}' for 'dict' objects doesn't apply to a '{tn}' object"
                ))
            }
            None => m.type_error(format!(
                "descriptor '{name}' of 'dict' object needs an argument"
            )),
        });
    };
    let rest: Args = args[1..].to_vec();
    if id != DictUpdate && !kwargs.is_empty() {
        return Err(no_keywords(
            m,
            "dict",
            id,
            matches!(id, DictGet | DictSetdefault | DictPop),
        ));
    }
    let no_args = |m: &mut Machine, rest: &Args| -> PyResult<()> {
        if rest.is_empty() {
            Ok(())
        } else {
            Err(m.type_error(format!(
                "dict.{}() takes no arguments ({} given)",
                name_of(id),
                rest.len()
            )))
        }
    };
    match id {
        DictGet | DictSetdefault | DictPop => {
            arg_count(m, name_of(id), &rest, 1, 2)?;
            let k = rest[0].clone();
            let h = m.hash_of(&k)?;
            let found = m.dict_find(did, &k, h)?;
            let default = rest.get(1).cloned();
            let value_at = |m: &Machine, i: usize| match m.heap.get(did) {
                Obj::Dict(d) => d
                    .entries
                    .get(i)
                    .and_then(Option::as_ref)
                    .map(|e| e.value.clone())
                    .unwrap_or(Value::None),
                _ => Value::None,
            };
            match (id, found) {
                (DictGet | DictSetdefault, Some(i)) => Ok(value_at(m, i)),
                (DictGet, None) => Ok(default.unwrap_or(Value::None)),
                (DictSetdefault, None) => {
                    let v = default.unwrap_or(Value::None);
                    m.dict_set(did, k, v.clone())?;
                    Ok(v)
                }
                (_, Some(i)) => {
                    let v = value_at(m, i);
                    if let Obj::Dict(d) = m.heap.get_mut(did) {
                        d.remove_at(i);
                    }
                    Ok(v)
                }
                (_, None) => match default {
                    Some(v) => Ok(v),
                    None => Err(m.new_error_args("KeyError", vec![k])),
                },
            }
        }
        DictPopitem => {
            no_args(m, &rest)?;
            // LIFO: the last entry in insertion order.
            let last = match m.heap.get(did) {
                Obj::Dict(d) => d.entries.iter().rposition(Option::is_some),
                _ => None,
            };
            let Some(i) = last else {
                return Err(m.new_error_args(
                    "KeyError",
                    vec![Value::str("popitem(): dictionary is empty")],
                ));
            };
            let mut removed = None;
            if let Obj::Dict(d) = m.heap.get_mut(did) {
                removed = d.remove_at(i);
            }
            match removed {
                Some(e) => Ok(Value::tuple(vec![e.key, e.value])),
                None => Err(Fault::Stuck("popitem: entry vanished".into())),
            }
        }
        DictKeys | DictValues | DictItems => {
            no_args(m, &rest)?;
            let kind = match id {
                DictKeys => 0,
                DictValues => 1,
                _ => 2,
            };
            Ok(Value::Obj(m.heap.alloc(Obj::DictView { dict: did, kind })))
        }
        DictUpdate => {
            arg_count(m, "update", &rest, 0, 1)?;
            if let Some(src) = rest.first() {
                dict_update_arg(m, did, src)?;
            }
            for (k, v) in kwargs {
                m.dict_set(did, Value::Str(k), v)?;
            }
            Ok(Value::None)
        }
        DictCopy => {
            no_args(m, &rest)?;
            let d = snapshot(m, did);
            Ok(Value::Obj(m.heap.alloc(Obj::Dict(d))))
        }
        DictClear => {
            no_args(m, &rest)?;
            *m.heap.get_mut(did) = Obj::Dict(Dict::default());
            Ok(Value::None)
        }
        DictOr => {
            dunder_arity(m, &rest, 1)?;
            if dict_id(m, &rest[0]).is_none() {
                return Ok(Value::NotImplemented);
            }
            let d = snapshot(m, did);
            let new = m.heap.alloc(Obj::Dict(d));
            dict_update_arg(m, new, &rest[0])?;
            Ok(Value::Obj(new))
        }
        DictIor => {
            dunder_arity(m, &rest, 1)?;
            dict_update_arg(m, did, &rest[0])?;
            Ok(this)
        }
        DictLen => {
            dunder_arity(m, &rest, 0)?;
            Ok(Value::int(match m.heap.get(did) {
                Obj::Dict(d) => d.len as i64,
                _ => 0,
            }))
        }
        DictGetitem | DictSetitem | DictDelitem | DictContains => {
            container_dunder(m, name_of(id), &this, &rest)
        }
        _ => Err(Fault::Stuck(format!(
            "dict_method called for {}",
            name_of(id)
        ))),
    }
}

/// The dict object a value is.
fn dict_id(m: &Machine, v: &Value) -> Option<ObjId> {
    match v {
        Value::Obj(id) if matches!(m.heap.get(*id), Obj::Dict(_)) => Some(*id),
        _ => None,
    }
}

/// A copy of the entries of dict object `did`.
fn snapshot(m: &Machine, did: ObjId) -> Dict {
    match m.heap.get(did) {
        Obj::Dict(d) => d.clone(),
        _ => Dict::default(),
    }
}

/// `dict_update_arg`: a dict or anything with `keys()` is merged as a
/// mapping; anything else must be an iterable of key/value pairs.
fn dict_update_arg(m: &mut Machine, did: ObjId, src: &Value) -> PyResult<()> {
    let is_mapping =
        dict_id(m, src).is_some() || m.get_attr_opt(src, &PyStr::from("keys"))?.is_some();
    if is_mapping {
        return m.dict_update(did, src, false);
    }
    // PyDict_MergeFromSeq2.
    let it = m.get_iter(src)?;
    let mut n = 0usize;
    while let Some(item) = m.next_of(&it)? {
        let pair = match &item {
            Value::Tuple(t) => Some(t.to_vec()),
            Value::Obj(id) if matches!(m.heap.get(*id), Obj::List(_)) => Some(m.collect(&item)?),
            _ => match m.get_iter(&item) {
                Ok(_) => Some(m.collect(&item)?),
                Err(Fault::Raise(_)) => None,
                Err(e) => return Err(e),
            },
        };
        let Some(pair) = pair else {
            return Err(m.type_error(format!(
                "cannot convert dictionary update sequence element #{n} to a sequence"
            )));
        };
        if pair.len() != 2 {
            return Err(m.new_error(
                "ValueError",
                format!(
                    "dictionary update sequence element #{n} has length {}; 2 is required",
                    pair.len()
                ),
            ));
        }
        let mut pair = pair.into_iter();
        if let (Some(k), Some(v)) = (pair.next(), pair.next()) {
            m.dict_set(did, k, v)?;
        }
        n += 1;
    }
    Ok(())
}

/// `dict.fromkeys(iterable, value=None)`; `args[0]` is the class.
fn dict_fromkeys(m: &mut Machine, args: &Args, kwargs: &Kwargs) -> PyResult<Value> {
    let rest: Args = args.get(1..).unwrap_or(&[]).to_vec();
    if !kwargs.is_empty() {
        return Err(m.type_error("fromkeys() takes no keyword arguments".into()));
    }
    arg_count(m, "fromkeys", &rest, 1, 2)?;
    let value = rest.get(1).cloned().unwrap_or(Value::None);
    let d = m.heap.alloc(Obj::Dict(Dict::default()));
    let it = m.get_iter(&rest[0])?;
    while let Some(k) = m.next_of(&it)? {
        m.dict_set(d, k, value.clone())?;
    }
    Ok(Value::Obj(d))
}

// ----- sets ---------------------------------------------------------------

/// `a - b`, `a & b`, `a | b`, `a ^ b` for sets, in CPython's result order.
pub fn set_operator(m: &mut Machine, op: BinOp, a: &Value, b: &Value) -> PyResult<Value> {
    let (Value::Obj(ia), Value::Obj(ib)) = (a, b) else {
        return Err(Fault::Stuck("set operator on non-sets".into()));
    };
    let (Obj::Set { table: ta, frozen }, Obj::Set { table: tb, .. }) =
        (m.heap.get(*ia).clone(), m.heap.get(*ib).clone())
    else {
        return Err(Fault::Stuck("set operator on non-sets".into()));
    };
    let table = {
        let mut eq = |x: &Value, y: &Value| m.eq(x, y);
        match op {
            // `a | a` and `a & a` are copies (`set_or`, `set_intersection`
            // check for the same object); `a - a` and `a ^ a` are not.
            BinOp::Or | BinOp::And if ia == ib => ta.copy(),
            BinOp::Sub => ta.difference(&tb, &mut eq)?,
            BinOp::And => ta.intersection(&tb, &mut eq)?,
            BinOp::Or => ta.union(&tb, &mut eq)?,
            _ => ta.symmetric_difference(&tb, &mut eq)?,
        }
    };
    Ok(Value::Obj(m.heap.alloc(Obj::Set { table, frozen })))
}

/// Makes a set table of `items` in CPython's order.
pub fn set_table_of(m: &mut Machine, items: Vec<Value>) -> PyResult<SetTable<Value>> {
    let mut hashed = Vec::with_capacity(items.len());
    for v in items {
        hashed.push((m.hash_of(&v)?, v));
    }
    SetTable::from_hashed(hashed, &mut |a, b| m.eq(a, b))
}

// ----- set and frozenset methods ------------------------------------------------

/// The other operand of a set method, sorted the way `setobject.c` tells
/// them apart: a set or frozenset (by its table), an exact dict (its keys
/// with their stored hashes), or any other iterable (its items).
enum Other {
    Set(Option<ObjId>, SetTable<Value>),
    Dict(Dict),
    Iter(Vec<Value>),
}

impl Other {
    /// Whether this operand is the set object `id` itself.
    fn is(&self, id: ObjId) -> bool {
        matches!(self, Other::Set(Some(o), _) if *o == id)
    }
}

fn classify(m: &mut Machine, v: &Value) -> PyResult<Other> {
    if let Value::Obj(id) = v {
        match m.heap.get(*id) {
            Obj::Set { table, .. } => return Ok(Other::Set(Some(*id), table.clone())),
            Obj::Dict(d) => return Ok(Other::Dict(d.clone())),
            _ => {}
        }
    }
    Ok(Other::Iter(m.collect(v)?))
}

/// Whether `v` is a set or frozenset (`PyAnySet_Check`).
fn is_any_set(m: &Machine, v: &Value) -> bool {
    matches!(v, Value::Obj(id) if matches!(m.heap.get(*id), Obj::Set { .. }))
}

/// A dict's keys with their stored hashes, in dict order.
fn dict_keys(d: &Dict) -> Vec<(i64, Value)> {
    d.iter().map(|e| (e.hash, e.key.clone())).collect()
}

/// Replaces the table of set `id`.
fn store_table(m: &mut Machine, id: ObjId, table: SetTable<Value>) {
    if let Obj::Set { table: t, .. } = m.heap.get_mut(id) {
        *t = table;
    }
}

fn new_set_value(m: &mut Machine, table: SetTable<Value>, frozen: bool) -> Value {
    Value::Obj(m.heap.alloc(Obj::Set { table, frozen }))
}

/// `set_update_internal`: adds the other operand's items, leaving the
/// table half-updated when hashing or comparing fails, as CPython does.
fn update_internal(m: &mut Machine, table: &mut SetTable<Value>, other: Other) -> PyResult<()> {
    match other {
        Other::Set(_, t) => table.update(&t, &mut |a, b| m.eq(a, b)),
        Other::Dict(d) => table.update_dict(d.len, dict_keys(&d), &mut |a, b| m.eq(a, b)),
        Other::Iter(items) => {
            for v in items {
                let h = m.hash_of(&v)?;
                table.insert(h, v, &mut |a, b| m.eq(a, b))?;
            }
            Ok(())
        }
    }
}

/// `make_new_set(type, other)`: a new table holding the operand's items.
fn table_from(m: &mut Machine, other: Other) -> PyResult<SetTable<Value>> {
    let mut t = SetTable::new();
    update_internal(m, &mut t, other)?;
    Ok(t)
}

/// `set_intersection(so, other)` for `so` the set object `id` (or a new
/// set, `id` `None`) with table `table`.
fn intersection(
    m: &mut Machine,
    id: Option<ObjId>,
    table: &SetTable<Value>,
    other: Other,
) -> PyResult<SetTable<Value>> {
    if id.is_some_and(|i| other.is(i)) {
        return Ok(table.copy());
    }
    match other {
        Other::Set(_, t) => table.intersection(&t, &mut |a, b| m.eq(a, b)),
        Other::Dict(d) => table.intersection_iter(dict_keys(&d), &mut |a, b| m.eq(a, b)),
        Other::Iter(items) => {
            let mut result = SetTable::new();
            for v in items {
                let h = m.hash_of(&v)?;
                if table.contains(h, &v, &mut |a, b| m.eq(a, b))? {
                    result.insert(h, v, &mut |a, b| m.eq(a, b))?;
                }
            }
            Ok(result)
        }
    }
}

/// `set_difference_update_internal` (the caller handles `a -= a`).
fn difference_update(m: &mut Machine, table: &mut SetTable<Value>, other: Other) -> PyResult<()> {
    match other {
        Other::Set(_, t) => table.difference_update(&t, &mut |a, b| m.eq(a, b)),
        Other::Dict(d) => table.difference_update_iter(dict_keys(&d), &mut |a, b| m.eq(a, b)),
        Other::Iter(items) => {
            for v in &items {
                let h = m.hash_of(v)?;
                table.remove(h, v, &mut |a, b| m.eq(a, b))?;
            }
            // The dummy purge at the end: an empty difference_update.
            table.difference_update_iter(Vec::new(), &mut |a, b| m.eq(a, b))
        }
    }
}

/// `set_difference(so, other)`.
fn difference(m: &mut Machine, table: &SetTable<Value>, other: Other) -> PyResult<SetTable<Value>> {
    match other {
        Other::Set(_, t) => table.difference(&t, &mut |a, b| m.eq(a, b)),
        Other::Dict(d) => {
            if (table.len() >> 2) > d.len {
                let mut result = table.copy();
                result.difference_update_iter(dict_keys(&d), &mut |a, b| m.eq(a, b))?;
                return Ok(result);
            }
            let mut result = SetTable::new();
            for (h, k) in table.iter_hashed() {
                // `_PyDict_Contains_KnownHash`.
                if m.dict_lookup(&d, k, h)?.is_none() {
                    result.insert(h, k.clone(), &mut |a, b| m.eq(a, b))?;
                }
            }
            Ok(result)
        }
        Other::Iter(items) => {
            let mut result = table.copy();
            difference_update(m, &mut result, Other::Iter(items))?;
            Ok(result)
        }
    }
}

/// `set_symmetric_difference_update(so, other)` (the caller handles
/// `a ^= a`).
fn symmetric_difference_update(
    m: &mut Machine,
    table: &mut SetTable<Value>,
    other: Other,
) -> PyResult<()> {
    match other {
        Other::Set(_, t) => table.symmetric_difference_update(&t, &mut |a, b| m.eq(a, b)),
        Other::Dict(d) => {
            table.symmetric_difference_update_dict(dict_keys(&d), &mut |a, b| m.eq(a, b))
        }
        Other::Iter(items) => {
            let t = table_from(m, Other::Iter(items))?;
            table.symmetric_difference_update(&t, &mut |a, b| m.eq(a, b))
        }
    }
}

/// `set_issubset(a, b)` for two tables.
fn is_subset(m: &mut Machine, a: &SetTable<Value>, b: &SetTable<Value>) -> PyResult<bool> {
    if a.len() > b.len() {
        return Ok(false);
    }
    for (h, k) in a.iter_hashed() {
        if !b.contains(h, k, &mut |x, y| m.eq(x, y))? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A method of `set` or `frozenset`; `args[0]` is the receiver.
pub(super) fn set_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let name = name_of(id);
    let frozen_method = matches!(
        id,
        FrozensetCopy
            | FrozensetUnion
            | FrozensetIntersection
            | FrozensetDifference
            | FrozensetSymmetricDifference
            | FrozensetIssubset
            | FrozensetIssuperset
            | FrozensetIsdisjoint
    );
    let tn = if frozen_method { "frozenset" } else { "set" };
    let this = args.first().cloned().unwrap_or(Value::None);
    let (sid, table, frozen) = match &this {
        Value::Obj(i) => match m.heap.get(*i) {
            Obj::Set { table, frozen } if *frozen == frozen_method => (*i, table.clone(), *frozen),
            _ => {
                let vn = m.type_name_of(&this);
                return Err(m.type_error(format!(
                    "descriptor '{name}' for '{tn}' objects doesn't apply to a '{vn}' object"
                )));
            }
        },
        _ => {
            let vn = m.type_name_of(&this);
            return Err(m.type_error(format!(
                "descriptor '{name}' for '{tn}' objects doesn't apply to a '{vn}' object"
            )));
        }
    };
    let qual = format!("{tn}.{name}");
    if !kwargs.is_empty() {
        // METH_VARARGS methods do not name their type here.
        let varargs = matches!(
            id,
            SetUpdate
                | SetUnion
                | FrozensetUnion
                | SetIntersection
                | FrozensetIntersection
                | SetIntersectionUpdate
                | SetDifference
                | FrozensetDifference
                | SetDifferenceUpdate
        );
        let shown = if varargs { name } else { qual.as_str() };
        return Err(m.type_error(format!("{shown}() takes no keyword arguments")));
    }
    let rest: Args = args[1..].to_vec();
    let no_args = |m: &mut Machine| -> PyResult<()> {
        if rest.is_empty() {
            Ok(())
        } else {
            Err(m.type_error(format!(
                "{qual}() takes no arguments ({} given)",
                rest.len()
            )))
        }
    };
    let one_arg = |m: &mut Machine| arg_count(m, &qual, &rest, 1, 1);
    match id {
        SetAdd => {
            one_arg(m)?;
            let v = rest[0].clone();
            let h = m.hash_of(&v)?;
            if table.len() >= MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            let mut table = table;
            let r = table.insert(h, v, &mut |a, b| m.eq(a, b));
            store_table(m, sid, table);
            r.map(|_| Value::None)
        }
        SetRemove | SetDiscard => {
            one_arg(m)?;
            let mut key = rest[0].clone();
            // `set_discard_key`: an unhashable set is looked up as the
            // frozenset with the same items.
            let h = match m.hash_of(&key) {
                Ok(h) => h,
                Err(e) => match &key {
                    Value::Obj(k) if matches!(m.heap.get(*k), Obj::Set { frozen: false, .. }) => {
                        let items = m.collect(&key)?;
                        key = m.new_set(items, true)?;
                        m.hash_of(&key)?
                    }
                    _ => return Err(e),
                },
            };
            let mut table = table;
            let r = table.remove(h, &key, &mut |a, b| m.eq(a, b));
            store_table(m, sid, table);
            if r?.is_none() && id == SetRemove {
                return Err(m.new_error_args("KeyError", vec![rest[0].clone()]));
            }
            Ok(Value::None)
        }
        SetPop => {
            no_args(m)?;
            let mut table = table;
            match table.pop() {
                Some(v) => {
                    store_table(m, sid, table);
                    Ok(v)
                }
                None => {
                    Err(m.new_error_args("KeyError", vec![Value::str("pop from an empty set")]))
                }
            }
        }
        SetClear => {
            no_args(m)?;
            let mut table = table;
            table.clear();
            store_table(m, sid, table);
            Ok(Value::None)
        }
        SetCopy => {
            no_args(m)?;
            Ok(new_set_value(m, table.copy(), false))
        }
        FrozensetCopy => {
            no_args(m)?;
            Ok(this)
        }
        SetUpdate => {
            let mut table = table;
            for o in &rest {
                let other = classify(m, o)?;
                if other.is(sid) {
                    continue;
                }
                let r = update_internal(m, &mut table, other);
                store_table(m, sid, table.clone());
                r?;
            }
            Ok(Value::None)
        }
        SetUnion | FrozensetUnion => {
            let mut result = table.copy();
            for o in &rest {
                let other = classify(m, o)?;
                if other.is(sid) {
                    continue;
                }
                update_internal(m, &mut result, other)?;
            }
            Ok(new_set_value(m, result, frozen))
        }
        SetIntersection | FrozensetIntersection | SetIntersectionUpdate => {
            let result = if rest.is_empty() {
                table.copy()
            } else {
                let mut result: Option<SetTable<Value>> = None;
                for o in &rest {
                    let other = classify(m, o)?;
                    result = Some(match &result {
                        None => intersection(m, Some(sid), &table, other)?,
                        Some(r) => intersection(m, None, r, other)?,
                    });
                }
                result.unwrap_or_default()
            };
            if id == SetIntersectionUpdate {
                let mut table = table;
                table.swap_bodies(result);
                store_table(m, sid, table);
                return Ok(Value::None);
            }
            Ok(new_set_value(m, result, frozen))
        }
        SetDifference | FrozensetDifference => {
            let mut result = match rest.first() {
                None => table.copy(),
                Some(o) => {
                    let other = classify(m, o)?;
                    difference(m, &table, other)?
                }
            };
            for o in rest.iter().skip(1) {
                let other = classify(m, o)?;
                difference_update(m, &mut result, other)?;
            }
            Ok(new_set_value(m, result, frozen))
        }
        SetDifferenceUpdate => {
            let mut table = table;
            for o in &rest {
                let other = classify(m, o)?;
                let r = if other.is(sid) {
                    table.clear();
                    Ok(())
                } else {
                    difference_update(m, &mut table, other)
                };
                store_table(m, sid, table.clone());
                r?;
            }
            Ok(Value::None)
        }
        SetSymmetricDifference | FrozensetSymmetricDifference => {
            one_arg(m)?;
            let other = classify(m, &rest[0])?;
            let mut result = table_from(m, other)?;
            result.symmetric_difference_update(&table, &mut |a, b| m.eq(a, b))?;
            Ok(new_set_value(m, result, frozen))
        }
        SetSymmetricDifferenceUpdate => {
            one_arg(m)?;
            let other = classify(m, &rest[0])?;
            let mut table = table;
            let r = if other.is(sid) {
                table.clear();
                Ok(())
            } else {
                symmetric_difference_update(m, &mut table, other)
            };
            store_table(m, sid, table);
            r.map(|()| Value::None)
        }
        SetIssubset | FrozensetIssubset | SetIssuperset | FrozensetIssuperset => {
            one_arg(m)?;
            let other = classify(m, &rest[0])?;
            let other = match other {
                Other::Set(_, t) => t,
                o => table_from(m, o)?,
            };
            let r = if matches!(id, SetIssubset | FrozensetIssubset) {
                is_subset(m, &table, &other)?
            } else {
                is_subset(m, &other, &table)?
            };
            Ok(Value::Bool(r))
        }
        SetIsdisjoint | FrozensetIsdisjoint => {
            one_arg(m)?;
            let other = classify(m, &rest[0])?;
            if other.is(sid) {
                return Ok(Value::Bool(table.is_empty()));
            }
            let (probe, items): (SetTable<Value>, Vec<(i64, Value)>) = match other {
                Other::Set(_, t) => {
                    // Iterate the smaller set.
                    let (small, big) = if t.len() > table.len() {
                        (&table, &t)
                    } else {
                        (&t, &table)
                    };
                    let items = small.iter_hashed().map(|(h, k)| (h, k.clone())).collect();
                    (big.clone(), items)
                }
                Other::Dict(d) => (table.clone(), dict_keys(&d)),
                Other::Iter(items) => (table.clone(), items.into_iter().map(|k| (0, k)).collect()),
            };
            let rehash = !is_any_set(m, &rest[0]);
            for (h, k) in items {
                let h = if rehash { m.hash_of(&k)? } else { h };
                if probe.contains(h, &k, &mut |a, b| m.eq(a, b))? {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        }
        SetIor | SetIand | SetIsub | SetIxor => {
            dunder_arity(m, &rest, 1)?;
            if !is_any_set(m, &rest[0]) {
                return Ok(Value::NotImplemented);
            }
            let other = classify(m, &rest[0])?;
            let alias = other.is(sid);
            let mut table = table;
            let r = match (id, alias) {
                (SetIor, true) => Ok(()),
                (SetIor, false) => update_internal(m, &mut table, other),
                (SetIand, _) => {
                    intersection(m, Some(sid), &table, other).map(|t| table.swap_bodies(t))
                }
                (_, true) => {
                    table.clear();
                    Ok(())
                }
                (SetIsub, false) => difference_update(m, &mut table, other),
                _ => symmetric_difference_update(m, &mut table, other),
            };
            store_table(m, sid, table);
            r.map(|()| this)
        }
        _ => Err(Fault::Stuck(format!("set_method called for {name}"))),
    }
}

// ----- dict views ----------------------------------------------------------------

/// The dict and kind (0 keys, 2 items) of a set-like dict view.
fn set_view(m: &Machine, v: &Value) -> Option<(ObjId, u8)> {
    match v {
        Value::Obj(id) => match m.heap.get(*id) {
            Obj::DictView { dict, kind } if *kind != 1 => Some((*dict, *kind)),
            _ => None,
        },
        _ => None,
    }
}

/// `dictitems_contains` / `dictkeys_contains`: membership in a view.
pub fn view_contains(m: &mut Machine, dict: ObjId, kind: u8, item: &Value) -> PyResult<bool> {
    let d = match m.heap.get(dict) {
        Obj::Dict(d) => d.clone(),
        _ => return Ok(false),
    };
    if kind == 0 {
        let h = m.hash_of(item)?;
        return Ok(m.dict_lookup(&d, item, h)?.is_some());
    }
    let Value::Tuple(t) = item else {
        return Ok(false);
    };
    if t.len() != 2 {
        return Ok(false);
    }
    let h = m.hash_of(&t[0])?;
    let Some(i) = m.dict_lookup(&d, &t[0], h)? else {
        return Ok(false);
    };
    let found = d.entries[i]
        .as_ref()
        .map(|e| e.value.clone())
        .unwrap_or(Value::None);
    Ok(found.is(&t[1]) || m.eq(&found, &t[1])?)
}

/// Membership in a set, a view, or any container.
fn contains_any(m: &mut Machine, c: &Value, item: &Value) -> PyResult<bool> {
    match set_view(m, c) {
        Some((d, kind)) => view_contains(m, d, kind, item),
        None => m.contains(c, item),
    }
}

/// `dictviews_to_set`: a new set of a view's items (a keys view of a dict
/// takes the dict's fast path), or of any iterable.
fn to_set(m: &mut Machine, v: &Value) -> PyResult<SetTable<Value>> {
    if let Some((d, 0)) = set_view(m, v) {
        let other = classify(m, &Value::Obj(d))?;
        return table_from(m, other);
    }
    let other = classify(m, v)?;
    table_from(m, other)
}

/// `_PyDictView_Intersect(left, right)`; one of them is a set-like view.
fn view_intersect(m: &mut Machine, left: &Value, right: &Value) -> PyResult<Value> {
    let (mut this, mut other) = if set_view(m, left).is_some() {
        (left.clone(), right.clone())
    } else {
        (right.clone(), left.clone())
    };
    let len_self = m.len_of(&this)?;
    let other_is_set = matches!(&other, Value::Obj(id) if matches!(m.heap.get(*id), Obj::Set { frozen: false, .. }));
    if other_is_set && len_self <= m.len_of(&other)? {
        // `other.intersection(self)`: the view is a plain iterable there.
        let Value::Obj(oid) = other else {
            return Err(Fault::Stuck("view intersection: not a set".into()));
        };
        let table = match m.heap.get(oid) {
            Obj::Set { table, .. } => table.clone(),
            _ => SetTable::new(),
        };
        let items = m.collect(&this)?;
        let result = intersection(m, Some(oid), &table, Other::Iter(items))?;
        return Ok(new_set_value(m, result, false));
    }
    if set_view(m, &other).is_some() && m.len_of(&other)? > len_self {
        std::mem::swap(&mut this, &mut other);
    }
    let Some((d, kind)) = set_view(m, &this) else {
        return Err(Fault::Stuck("view intersection without a view".into()));
    };
    let mut result = SetTable::new();
    let it = m.get_iter(&other)?;
    while let Some(k) = m.next_of(&it)? {
        if view_contains(m, d, kind, &k)? {
            let h = m.hash_of(&k)?;
            result.insert(h, k, &mut |a, b| m.eq(a, b))?;
        }
    }
    Ok(new_set_value(m, result, false))
}

/// A method of `dict_keys` or `dict_items`: the set operators (with the
/// operands in the order the operator saw them) and `isdisjoint`.
pub(super) fn view_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let name = name_of(id);
    let this = args.first().cloned().unwrap_or(Value::None);
    let want_items = matches!(
        id,
        ItemsAnd
            | ItemsRand
            | ItemsOr
            | ItemsRor
            | ItemsSub
            | ItemsRsub
            | ItemsXor
            | ItemsRxor
            | ItemsIsdisjoint
    );
    let tn = if want_items {
        "dict_items"
    } else {
        "dict_keys"
    };
    match set_view(m, &this) {
        Some((_, kind)) if (kind == 2) == want_items => {}
        _ => {
            let vn = m.type_name_of(&this);
            return Err(m.type_error(format!(
                "descriptor '{name}' for '{tn}' objects doesn't apply to a '{vn}' object"
            )));
        }
    }
    if !kwargs.is_empty() {
        return Err(m.type_error(format!("{tn}.{name}() takes no keyword arguments")));
    }
    let rest: Args = args[1..].to_vec();
    if matches!(id, KeysIsdisjoint | ItemsIsdisjoint) {
        arg_count(m, &format!("{tn}.isdisjoint"), &rest, 1, 1)?;
        return view_isdisjoint(m, &this, &rest[0]);
    }
    dunder_arity(m, &rest, 1)?;
    let reflected = matches!(
        id,
        KeysRand | KeysRor | KeysRsub | KeysRxor | ItemsRand | ItemsRor | ItemsRsub | ItemsRxor
    );
    let (left, right) = if reflected {
        (rest[0].clone(), this)
    } else {
        (this, rest[0].clone())
    };
    match id {
        KeysAnd | KeysRand | ItemsAnd | ItemsRand => view_intersect(m, &left, &right),
        _ => {
            let mut result = to_set(m, &left)?;
            let other = classify(m, &right)?;
            match id {
                KeysOr | KeysRor | ItemsOr | ItemsRor => update_internal(m, &mut result, other)?,
                KeysSub | KeysRsub | ItemsSub | ItemsRsub => {
                    difference_update(m, &mut result, other)?
                }
                _ => symmetric_difference_update(m, &mut result, other)?,
            }
            Ok(new_set_value(m, result, false))
        }
    }
}

/// `dictviews_isdisjoint`.
fn view_isdisjoint(m: &mut Machine, this: &Value, other: &Value) -> PyResult<Value> {
    if this.is(other) {
        return Ok(Value::Bool(m.len_of(this)? == 0));
    }
    let (mut probe, mut items) = (this.clone(), other.clone());
    if is_any_set(m, other) || set_view(m, other).is_some() {
        let len_self = m.len_of(this)?;
        let len_other = m.len_of(other)?;
        if len_other > len_self {
            std::mem::swap(&mut probe, &mut items);
        }
    }
    let it = m.get_iter(&items)?;
    while let Some(k) = m.next_of(&it)? {
        if contains_any(m, &probe, &k)? {
            return Ok(Value::Bool(false));
        }
    }
    Ok(Value::Bool(true))
}

/// `dictview_richcompare` for a comparison where either operand is a
/// `dict_keys` or `dict_items` view: `None` when the other operand is not
/// set-like (the comparison then falls back to identity).
pub fn dict_view_compare(
    m: &mut Machine,
    op: CmpOp,
    a: &Value,
    b: &Value,
) -> PyResult<Option<bool>> {
    let set_like = |m: &Machine, v: &Value| is_any_set(m, v) || set_view(m, v).is_some();
    let (this, other, op) = if set_view(m, a).is_some() {
        (a, b, op)
    } else if set_view(m, b).is_some() {
        let reflected = match op {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            o => o,
        };
        (b, a, reflected)
    } else {
        return Ok(None);
    };
    if !set_like(m, other) {
        return Ok(None);
    }
    let len_self = m.len_of(this)?;
    let len_other = m.len_of(other)?;
    let all_in = |m: &mut Machine, x: &Value, y: &Value| -> PyResult<bool> {
        let it = m.get_iter(x)?;
        while let Some(k) = m.next_of(&it)? {
            if !contains_any(m, y, &k)? {
                return Ok(false);
            }
        }
        Ok(true)
    };
    Ok(Some(match op {
        CmpOp::Eq | CmpOp::Ne => {
            let eq = len_self == len_other && all_in(m, this, other)?;
            eq == (op == CmpOp::Eq)
        }
        CmpOp::Lt => len_self < len_other && all_in(m, this, other)?,
        CmpOp::Le => len_self <= len_other && all_in(m, this, other)?,
        CmpOp::Gt => len_self > len_other && all_in(m, other, this)?,
        CmpOp::Ge => len_self >= len_other && all_in(m, other, this)?,
    }))
}

/// Whether built-in `id` is a classmethod (`dict.fromkeys`,
/// `int.from_bytes`, `float.fromhex`): attribute lookup binds it to the
/// class, which the call then receives as its first argument.
pub fn is_classmethod(id: BuiltinId) -> bool {
    matches!(
        id,
        BuiltinId::DictFromkeys | BuiltinId::IntFromBytes | BuiltinId::FloatFromhex
    )
}

/// `set_richcompare`: `==` and the subset/superset orderings of two sets
/// or frozensets, probing the other table by hash as CPython does.
pub fn set_compare(
    m: &mut Machine,
    op: CmpOp,
    a: &SetTable<Value>,
    b: &SetTable<Value>,
) -> PyResult<bool> {
    Ok(match op {
        CmpOp::Eq => a.len() == b.len() && is_subset(m, a, b)?,
        CmpOp::Ne => !(a.len() == b.len() && is_subset(m, a, b)?),
        CmpOp::Le => is_subset(m, a, b)?,
        CmpOp::Ge => is_subset(m, b, a)?,
        CmpOp::Lt => a.len() < b.len() && is_subset(m, a, b)?,
        CmpOp::Gt => a.len() > b.len() && is_subset(m, b, a)?,
    })
}
