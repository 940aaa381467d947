//! The methods of `list`, `dict`, `set` and `frozenset`.

use super::{arg_count, kwarg, name_of, seq_index_count, Args, BuiltinId, Kwargs};
use crate::interp::ops::{BinOp, CmpOp};
use crate::interp::{Fault, Machine, PyResult};
use crate::object::{Dict, Obj, ObjId, Value};
use crate::settable::SetTable;
use num_traits::ToPrimitive;

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
    let rest = &args[1..];
    match id {
        ListAppend => {
            arg_count(m, "append", &rest.to_vec(), 1, 1)?;
            m.list_append(&this, rest[0].clone());
            Ok(Value::None)
        }
        ListExtend => {
            let more = m.collect(rest.first().unwrap_or(&Value::None))?;
            items.extend(more);
            set_list(m, lid, items);
            Ok(Value::None)
        }
        ListPop => {
            if items.is_empty() {
                return Err(m.new_error("IndexError", "pop from empty list".into()));
            }
            let i = match rest.first() {
                Some(v) => {
                    let i = m.index_of(v, "")?.to_i64().unwrap_or(i64::MAX);
                    let n = items.len() as i64;
                    let j = if i < 0 { i + n } else { i };
                    if j < 0 || j >= n {
                        return Err(m.new_error("IndexError", "pop index out of range".into()));
                    }
                    j as usize
                }
                None => items.len() - 1,
            };
            let v = items.remove(i);
            set_list(m, lid, items);
            Ok(v)
        }
        ListInsert => {
            arg_count(m, "insert", &rest.to_vec(), 2, 2)?;
            let i = m.index_of(&rest[0], "")?.to_i64().unwrap_or(0);
            let n = items.len() as i64;
            let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
            items.insert(j as usize, rest[1].clone());
            set_list(m, lid, items);
            Ok(Value::None)
        }
        ListRemove => {
            let x = rest.first().cloned().unwrap_or(Value::None);
            for (i, v) in items.iter().enumerate() {
                if v.is(&x) || m.eq(v, &x)? {
                    let mut items = items.clone();
                    items.remove(i);
                    set_list(m, lid, items);
                    return Ok(Value::None);
                }
            }
            Err(m.new_error("ValueError", "list.remove(x): x not in list".into()))
        }
        ListIndex | ListCount => seq_index_count(m, id == ListIndex, &items, rest, "list"),
        ListSort => {
            list_sort(m, &this, &kwargs)?;
            Ok(Value::None)
        }
        ListReverse => {
            items.reverse();
            set_list(m, lid, items);
            Ok(Value::None)
        }
        ListCopy => Ok(Value::Obj(m.heap.alloc(Obj::List(items)))),
        ListClear => {
            set_list(m, lid, Vec::new());
            Ok(Value::None)
        }
        _ => unreachable!("list_method is called for list methods only"),
    }
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
    let sorted = merge_sort(m, keyed)?;
    let mut out: Vec<Value> = sorted.into_iter().map(|(_, v)| v).collect();
    if reverse {
        out.reverse();
    }
    *m.heap.get_mut(*lid) = Obj::List(out);
    Ok(())
}

fn merge_sort(m: &mut Machine, v: Vec<(Value, Value)>) -> PyResult<Vec<(Value, Value)>> {
    if v.len() <= 1 {
        return Ok(v);
    }
    let mut v = v;
    let right = v.split_off(v.len() / 2);
    let left = merge_sort(m, v)?;
    let right = merge_sort(m, right)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        let r = m.compare(CmpOp::Lt, &right[j].0, &left[i].0)?;
        if m.truthy(&r)? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

// ----- dict ---------------------------------------------------------------

pub(super) fn dict_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let this = args.first().cloned().unwrap_or(Value::None);
    let Value::Obj(did) = this else {
        return Err(m.type_error(format!(
            "descriptor '{}' requires a 'dict' object",
            name_of(id)
        )));
    };
    let Obj::Dict(d) = m.heap.get(did).clone() else {
        return Err(m.type_error(format!(
            "descriptor '{}' requires a 'dict' object",
            name_of(id)
        )));
    };
    let rest = &args[1..];
    match id {
        DictGet | DictSetdefault | DictPop => {
            let Some(k) = rest.first().cloned() else {
                return Err(m.type_error(format!(
                    "{} expected at least 1 argument, got 0",
                    name_of(id)
                )));
            };
            let h = m.hash_of(&k)?;
            let found = m.dict_lookup(&d, &k, h)?;
            let default = rest.get(1).cloned();
            match (id, found) {
                (DictGet, Some(i)) | (DictSetdefault, Some(i)) => Ok(d.entries[i]
                    .as_ref()
                    .map(|e| e.value.clone())
                    .unwrap_or(Value::None)),
                (DictGet, None) => Ok(default.unwrap_or(Value::None)),
                (DictSetdefault, None) => {
                    let v = default.unwrap_or(Value::None);
                    m.dict_set(did, k, v.clone())?;
                    Ok(v)
                }
                (_, Some(i)) => {
                    let v = d.entries[i]
                        .as_ref()
                        .map(|e| e.value.clone())
                        .unwrap_or(Value::None);
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
        DictKeys | DictValues | DictItems => {
            let kind = match id {
                DictKeys => 0,
                DictValues => 1,
                _ => 2,
            };
            Ok(Value::Obj(m.heap.alloc(Obj::DictView { dict: did, kind })))
        }
        DictUpdate => {
            if let Some(src) = rest.first() {
                if matches!(src, Value::Obj(s) if matches!(m.heap.get(*s), Obj::Dict(_))) {
                    m.dict_update(did, src, false)?;
                } else {
                    let pairs = m.collect(src)?;
                    for p in pairs {
                        let kv = m.unpack(&p, 2, None)?;
                        m.dict_set(did, kv[0].clone(), kv[1].clone())?;
                    }
                }
            }
            for (k, v) in kwargs {
                m.dict_set(did, Value::Str(k), v)?;
            }
            Ok(Value::None)
        }
        DictCopy => Ok(Value::Obj(m.heap.alloc(Obj::Dict(d)))),
        DictClear => {
            *m.heap.get_mut(did) = Obj::Dict(Dict::default());
            Ok(Value::None)
        }
        _ => unreachable!("dict_method is called for dict methods only"),
    }
}

// ----- sets ---------------------------------------------------------------

/// Removes `v` from set `s`; whether it was there.
pub(super) fn set_remove(m: &mut Machine, s: &Value, v: &Value) -> PyResult<bool> {
    let h = m.hash_of(v)?;
    let Value::Obj(id) = s else { return Ok(false) };
    let Obj::Set { table, .. } = m.heap.get(*id).clone() else {
        return Ok(false);
    };
    let mut table = table;
    let removed = table.remove(h, v, &mut |a, b| m.eq(a, b))?;
    if let Obj::Set { table: t, .. } = m.heap.get_mut(*id) {
        *t = table;
    }
    Ok(removed.is_some())
}

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
