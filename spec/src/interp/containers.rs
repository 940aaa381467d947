//! Subscripts, membership, unpacking, dicts, sets and imports.

use super::ops::MAX_COLLECTION;
use super::{text, Fault, Machine, PyResult};
use crate::builtins::bytearray::byte_of;
use crate::code::PyStr;
use crate::object::{Dict, Int, Obj, ObjId, Value};
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

/// A resolved slice: start, stop, step and the number of items.
struct Span {
    start: i64,
    step: i64,
    len: usize,
}

impl Span {
    fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).map(move |k| (self.start + k as i64 * self.step) as usize)
    }
}

impl Machine {
    fn slice_bound(&mut self, v: &Value) -> PyResult<Option<i64>> {
        match v {
            Value::None => Ok(None),
            _ => {
                let b = self.index_of(
                    v,
                    "slice indices must be integers or None or have an __index__ method",
                )?;
                Ok(Some(clamp_i64(&b)))
            }
        }
    }

    /// `PySlice_GetIndicesEx`: a slice object applied to a length.
    fn span(&mut self, slice: ObjId, len: usize) -> PyResult<Span> {
        let Obj::Slice { start, stop, step } = self.heap.get(slice).clone() else {
            return Err(Fault::Stuck("not a slice".into()));
        };
        let step = self.slice_bound(&step)?.unwrap_or(1);
        if step == 0 {
            return Err(self.new_error("ValueError", "slice step cannot be zero".into()));
        }
        let len = len as i64;
        let adjust = |v: Option<i64>, default: i64| -> i64 {
            match v {
                None => default,
                Some(mut i) => {
                    if i < 0 {
                        i += len;
                        if i < 0 {
                            i = if step < 0 { -1 } else { 0 };
                        }
                    } else if i >= len {
                        i = if step < 0 { len - 1 } else { len };
                    }
                    i
                }
            }
        };
        let s = self.slice_bound(&start)?;
        let e = self.slice_bound(&stop)?;
        let (start, stop) = if step > 0 {
            (adjust(s, 0), adjust(e, len))
        } else {
            (adjust(s, len - 1), adjust(e, -1))
        };
        let n = if step > 0 {
            if stop > start {
                (stop - start - 1) / step + 1
            } else {
                0
            }
        } else if start > stop {
            (start - stop - 1) / (-step) + 1
        } else {
            0
        };
        Ok(Span {
            start,
            step,
            len: n as usize,
        })
    }

    fn is_slice(&self, v: &Value) -> Option<ObjId> {
        match v {
            Value::Obj(id) if matches!(self.heap.get(*id), Obj::Slice { .. }) => Some(*id),
            _ => None,
        }
    }

    /// A sequence index, normalized; IndexError worded for `what`.
    fn seq_index(&mut self, k: &Value, len: usize, what: &str) -> PyResult<usize> {
        let tn = self.type_name_of(k);
        let i = match k {
            Value::Int(_) | Value::Bool(_) => self.index_of(k, "")?,
            _ => {
                let t = self.type_of(k);
                if self.lookup_in_mro(t, &PyStr::from("__index__")).is_some() {
                    self.index_of(k, "")?
                } else {
                    let what = what.trim_end_matches(" assignment");
                    if what == "str" {
                        return Err(self.type_error("string indices must be integers".into()));
                    }
                    return Err(self.type_error(format!(
                        "{what} indices must be integers or slices, not {tn}"
                    )));
                }
            }
        };
        let len_b = BigInt::from(len);
        let j = if i.is_negative() { i + &len_b } else { i };
        if j.is_negative() || j >= len_b {
            let msg = match what {
                "list" | "tuple" | "list assignment" => format!("{what} index out of range"),
                "str" => "string index out of range".into(),
                "bytes" => "index out of range".into(),
                _ => format!("{what} index out of range"),
            };
            return Err(self.new_error("IndexError", msg));
        }
        Ok(j.to_usize().unwrap_or(0))
    }

    /// `container[key]`.
    pub fn get_item(&mut self, c: &Value, k: &Value) -> PyResult<Value> {
        if let Some(d) = self.proxied(c) {
            return self.get_item(&d, k);
        }
        match c {
            Value::Tuple(t) => {
                if let Some(s) = self.is_slice(k) {
                    let sp = self.span(s, t.len())?;
                    return Ok(Value::tuple(sp.indices().map(|i| t[i].clone()).collect()));
                }
                let i = self.seq_index(k, t.len(), "tuple")?;
                return Ok(t[i].clone());
            }
            Value::Str(s) => {
                let pts = s.code_points();
                if let Some(sl) = self.is_slice(k) {
                    let sp = self.span(sl, pts.len())?;
                    let out: Vec<u32> = sp.indices().map(|i| pts[i]).collect();
                    return Ok(Value::Str(PyStr::from_code_points(&out)));
                }
                let i = self.seq_index(k, pts.len(), "str")?;
                return Ok(Value::Str(PyStr::from_code_points(&[pts[i]])));
            }
            Value::Bytes(b) => {
                if let Some(sl) = self.is_slice(k) {
                    let sp = self.span(sl, b.len())?;
                    let out: Vec<u8> = sp.indices().map(|i| b[i]).collect();
                    return Ok(Value::Bytes(out.into()));
                }
                let i = self.seq_index(k, b.len(), "bytes")?;
                return Ok(Value::int(i64::from(b[i])));
            }
            Value::Obj(id) if matches!(self.heap.get(*id), Obj::List(_)) => {
                let len = self.list_len(*id);
                if let Some(sl) = self.is_slice(k) {
                    let sp = self.span(sl, len)?;
                    let Obj::List(l) = self.heap.get(*id) else {
                        unreachable!()
                    };
                    let items: Vec<Value> = sp.indices().map(|i| l[i].clone()).collect();
                    return Ok(Value::Obj(self.heap.alloc(Obj::List(items))));
                }
                let i = self.seq_index(k, len, "list")?;
                let Obj::List(l) = self.heap.get(*id) else {
                    unreachable!()
                };
                return Ok(l[i].clone());
            }
            Value::Obj(id) if matches!(self.heap.get(*id), Obj::Dict(_)) => {
                let h = self.hash_of(k)?;
                if let Some(v) = self.dict_get(*id, k, h)? {
                    return Ok(v);
                }
                // dict subclasses' __missing__ would go here.
                return Err(self.new_error_args("KeyError", vec![k.clone()]));
            }
            Value::Obj(id) => match self.heap.get(*id).clone() {
                Obj::Dict(d) => {
                    let h = self.hash_of(k)?;
                    if let Some(i) = self.dict_lookup(&d, k, h)? {
                        return Ok(d.entries[i]
                            .as_ref()
                            .map(|e| e.value.clone())
                            .unwrap_or(Value::None));
                    }
                    // dict subclasses' __missing__ would go here.
                    return Err(self.new_error_args("KeyError", vec![k.clone()]));
                }
                Obj::Range { start, stop, step } => {
                    let n = super::ops::range_len(&start, &stop, &step);
                    let len = n.to_usize().unwrap_or(usize::MAX);
                    if let Some(sl) = self.is_slice(k) {
                        // range(start, stop, step)[a:b:c] is a range again.
                        let sp = self.span(sl, len)?;
                        let (st, stp) = (start.to_big(), step.to_big());
                        let new_start = &st + &stp * BigInt::from(sp.start);
                        let new_step = &stp * BigInt::from(sp.step);
                        let new_stop = &new_start + &new_step * BigInt::from(sp.len);
                        return Ok(Value::Obj(self.heap.alloc(Obj::Range {
                            start: Int::from_big(new_start),
                            stop: Int::from_big(new_stop),
                            step: Int::from_big(new_step),
                        })));
                    }
                    let i = self.seq_index(k, len, "range object")?;
                    let v = start.to_big() + step.to_big() * BigInt::from(i);
                    return Ok(Value::Int(Int::from_big(v)));
                }
                Obj::Type(_) => {
                    return Err(Fault::Stuck(
                        "subscripting a class (__class_getitem__) is not implemented yet".into(),
                    ))
                }
                _ => {}
            },
            _ => {}
        }
        let t = self.type_of(c);
        let getitem = self.lookup_in_mro(t, &PyStr::from("__getitem__"));
        if let Some(b) = self.base_of(c) {
            if getitem.as_ref().is_none_or(|f| self.is_builtin_slot(f)) {
                // dict subclasses answer a missing key with __missing__.
                let missing = self.lookup_in_mro(t, &PyStr::from("__missing__"));
                return match (self.get_item(&b, k), missing) {
                    (Err(Fault::Raise(e)), Some(f))
                        if self.is_instance(&Value::Obj(e), self.types.get("KeyError")) =>
                    {
                        self.call(f, vec![c.clone(), k.clone()], vec![])
                    }
                    (r, _) => r,
                };
            }
        }
        match getitem {
            Some(f) => self.call(f, vec![c.clone(), k.clone()], vec![]),
            None => {
                let tn = self.type_name(t);
                Err(self.type_error(format!("'{tn}' object is not subscriptable")))
            }
        }
    }

    /// `slice.indices(len)`: start, stop and step clamped to a length.
    pub fn slice_indices(&mut self, slice: ObjId, len: usize) -> PyResult<(i64, i64, i64)> {
        let sp = self.span(slice, len)?;
        let stop = sp.start + sp.step * sp.len as i64;
        // CPython reports the clamped stop, not the one past the last item.
        let Obj::Slice { stop: raw_stop, .. } = self.heap.get(slice).clone() else {
            return Ok((sp.start, stop, sp.step));
        };
        let n = len as i64;
        let clamped = match self.slice_bound(&raw_stop)? {
            None => {
                if sp.step > 0 {
                    n
                } else {
                    -1
                }
            }
            Some(mut i) => {
                if i < 0 {
                    i += n;
                    if i < 0 {
                        i = if sp.step < 0 { -1 } else { 0 };
                    }
                } else if i >= n {
                    i = if sp.step < 0 { n - 1 } else { n };
                }
                i
            }
        };
        Ok((sp.start, clamped, sp.step))
    }

    /// The length of list object `id` (0 if it is not a list).
    fn list_len(&self, id: ObjId) -> usize {
        match self.heap.get(id) {
            Obj::List(l) => l.len(),
            _ => 0,
        }
    }

    /// `d[key]` for dict object `d` without copying the dict: the entries
    /// whose hash matches are compared (which may run Python code).
    pub fn dict_get(&mut self, d: ObjId, key: &Value, hash: i64) -> PyResult<Option<Value>> {
        Ok(self
            .dict_find(d, key, hash)?
            .and_then(|i| match self.heap.get(d) {
                Obj::Dict(dict) => dict.entries[i].as_ref().map(|e| e.value.clone()),
                _ => None,
            }))
    }

    /// The entry index of `key` in dict object `d`.
    pub fn dict_find(&mut self, d: ObjId, key: &Value, hash: i64) -> PyResult<Option<usize>> {
        let candidates: Vec<(usize, Value)> = match self.heap.get(d) {
            Obj::Dict(dict) => dict
                .candidates(hash)
                .filter_map(|i| dict.entries[i].as_ref().map(|e| (i, e.key.clone())))
                .collect(),
            _ => return Ok(None),
        };
        for (i, k) in candidates {
            if k.is(key) || self.eq(&k, key)? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// The dict behind a `mappingproxy`, which reads go to.
    pub fn proxied(&self, v: &Value) -> Option<Value> {
        match v {
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::MappingProxy(d) => Some(Value::Obj(*d)),
                _ => None,
            },
            _ => None,
        }
    }

    /// `container[key] = value`.
    pub fn set_item(&mut self, c: &Value, k: &Value, v: Value) -> PyResult<()> {
        if let Value::Obj(id) = c {
            if matches!(self.heap.get(*id), Obj::List(_)) && self.is_slice(k).is_none() {
                let len = self.list_len(*id);
                let i = self.seq_index(k, len, "list assignment")?;
                if let Obj::List(l) = self.heap.get_mut(*id) {
                    l[i] = v;
                }
                return Ok(());
            }
            if matches!(self.heap.get(*id), Obj::Dict(_)) {
                return self.dict_set(*id, k.clone(), v);
            }
            if let Obj::ByteArray(b) = self.heap.get(*id) {
                let len = b.len();
                if let Some(sl) = self.is_slice(k) {
                    let new = match &v {
                        Value::Bytes(x) => x.to_vec(),
                        Value::Int(_) | Value::Bool(_) => return Err(self.type_error(
                            "can assign only bytes, buffers, or iterables of ints in range(0, 256)"
                                .into(),
                        )),
                        _ => {
                            let items = self.collect(&v)?;
                            let mut new = Vec::with_capacity(items.len());
                            for i in &items {
                                new.push(byte_of(self, i)?);
                            }
                            new
                        }
                    };
                    let sp = self.span(sl, len)?;
                    let Obj::ByteArray(b) = self.heap.get(*id).clone() else {
                        return Err(Fault::Stuck("bytearray changed kind".into()));
                    };
                    let b = self.assign_span(b, &sp, new, "bytes")?;
                    *self.heap.get_mut(*id) = Obj::ByteArray(b);
                    return Ok(());
                }
                let i = self.seq_index(k, len, "bytearray")?;
                let x = byte_of(self, &v)?;
                if let Obj::ByteArray(b) = self.heap.get_mut(*id) {
                    b[i] = x;
                }
                return Ok(());
            }
            match self.heap.get(*id).clone() {
                Obj::List(l) => {
                    if let Some(sl) = self.is_slice(k) {
                        let items = self.collect(&v)?;
                        let sp = self.span(sl, l.len())?;
                        let l = self.assign_span(l, &sp, items, "sequence")?;
                        *self.heap.get_mut(*id) = Obj::List(l);
                        return Ok(());
                    }
                    let i = self.seq_index(k, l.len(), "list assignment")?;
                    if let Obj::List(l) = self.heap.get_mut(*id) {
                        l[i] = v;
                    }
                    return Ok(());
                }
                Obj::Dict(_) => return self.dict_set(*id, k.clone(), v),
                _ => {}
            }
        }
        let t = self.type_of(c);
        match self.lookup_in_mro(t, &PyStr::from("__setitem__")) {
            Some(f) => {
                self.call(f, vec![c.clone(), k.clone(), v], vec![])?;
                Ok(())
            }
            None => {
                if let Some(b) = self.base_of(c) {
                    return self.set_item(&b, k, v);
                }
                let tn = self.type_name(t);
                Err(self.type_error(format!("'{tn}' object does not support item assignment")))
            }
        }
    }

    /// `seq[slice] = items` on a list's or bytearray's items: a simple
    /// slice is replaced by any number of items, an extended one needs
    /// exactly as many as it selects.
    /// (`what` names the items in that error.)
    fn assign_span<T>(
        &mut self,
        mut seq: Vec<T>,
        sp: &Span,
        items: Vec<T>,
        what: &str,
    ) -> PyResult<Vec<T>> {
        if sp.step == 1 {
            let start = sp.start.clamp(0, seq.len() as i64) as usize;
            let end = (start + sp.len).min(seq.len());
            seq.splice(start..end, items);
        } else {
            if items.len() != sp.len {
                return Err(self.new_error(
                    "ValueError",
                    format!(
                        "attempt to assign {what} of size {} to extended slice of size {}",
                        items.len(),
                        sp.len
                    ),
                ));
            }
            let idx: Vec<usize> = sp.indices().collect();
            for (i, item) in idx.into_iter().zip(items) {
                seq[i] = item;
            }
        }
        Ok(seq)
    }

    /// Removes the item or slice `k` names from a list's or bytearray's
    /// items (`what` begins the out-of-range message).
    fn delete_positions<T>(&mut self, k: &Value, items: &mut Vec<T>, what: &str) -> PyResult<()> {
        if let Some(sl) = self.is_slice(k) {
            let sp = self.span(sl, items.len())?;
            let mut drop: Vec<usize> = sp.indices().collect();
            drop.sort_unstable();
            for i in drop.into_iter().rev() {
                items.remove(i);
            }
        } else {
            let i = self.seq_index(k, items.len(), what)?;
            items.remove(i);
        }
        Ok(())
    }

    /// `del container[key]`.
    pub fn del_item(&mut self, c: &Value, k: &Value) -> PyResult<()> {
        if let Value::Obj(id) = c {
            match self.heap.get(*id).clone() {
                Obj::List(mut l) => {
                    self.delete_positions(k, &mut l, "list assignment")?;
                    *self.heap.get_mut(*id) = Obj::List(l);
                    return Ok(());
                }
                Obj::ByteArray(mut b) => {
                    self.delete_positions(k, &mut b, "bytearray")?;
                    *self.heap.get_mut(*id) = Obj::ByteArray(b);
                    return Ok(());
                }
                Obj::Dict(d) => {
                    let h = self.hash_of(k)?;
                    match self.dict_lookup(&d, k, h)? {
                        Some(i) => {
                            if let Obj::Dict(d) = self.heap.get_mut(*id) {
                                d.remove_at(i);
                            }
                            return Ok(());
                        }
                        None => return Err(self.new_error_args("KeyError", vec![k.clone()])),
                    }
                }
                _ => {}
            }
        }
        let t = self.type_of(c);
        match self.lookup_in_mro(t, &PyStr::from("__delitem__")) {
            Some(f) => {
                self.call(f, vec![c.clone(), k.clone()], vec![])?;
                Ok(())
            }
            None => {
                if let Some(b) = self.base_of(c) {
                    return self.del_item(&b, k);
                }
                let tn = self.type_name(t);
                Err(self.type_error(format!("'{tn}' object doesn't support item deletion")))
            }
        }
    }

    /// `item in container`.
    pub fn contains(&mut self, c: &Value, item: &Value) -> PyResult<bool> {
        if let Some(d) = self.proxied(c) {
            return self.contains(&d, item);
        }
        match (c, item) {
            (Value::Str(h), Value::Str(n)) => {
                return Ok(match (h.as_str(), n.as_str()) {
                    (Some(h), Some(n)) => h.contains(n),
                    _ => {
                        let (h, n) = (h.code_points(), n.code_points());
                        n.is_empty() || h.windows(n.len()).any(|w| w == n.as_slice())
                    }
                })
            }
            (Value::Str(_), _) => {
                let tn = self.type_name_of(item);
                return Err(self.type_error(format!(
                    "'in <string>' requires string as left operand, not {tn}"
                )));
            }
            (Value::Bytes(h), Value::Bytes(n)) => {
                return Ok(n.is_empty() || h.windows(n.len()).any(|w| w == &n[..]))
            }
            (Value::Bytes(h), Value::Int(i)) => {
                return Ok(i
                    .to_i64()
                    .is_some_and(|i| h.contains(&(i as u8)) && (0..256).contains(&i)))
            }
            _ => {}
        }
        if let Value::Obj(id) = c {
            if matches!(self.heap.get(*id), Obj::Dict(_)) {
                let h = self.hash_of(item)?;
                return Ok(self.dict_find(*id, item, h)?.is_some());
            }
            match self.heap.get(*id).clone() {
                Obj::Dict(d) => {
                    let h = self.hash_of(item)?;
                    return Ok(self.dict_lookup(&d, item, h)?.is_some());
                }
                Obj::Set { table, .. } => {
                    let h = self.hash_of(item)?;
                    return table.contains(h, item, &mut |a, b| self.eq(a, b));
                }
                Obj::DictView { dict, kind: 0 } => {
                    return self.contains(&Value::Obj(dict), item);
                }
                // `(k, v) in d.items()` looks `k` up (so it must be hashable).
                Obj::DictView { dict, kind: 2 } => {
                    return crate::builtins::view_contains(self, dict, 2, item);
                }
                Obj::Range { start, stop, step } => {
                    if let Value::Int(i) = item {
                        let (i, a, b, s) =
                            (i.to_big(), start.to_big(), stop.to_big(), step.to_big());
                        let inside = if s.is_positive() {
                            a <= i && i < b
                        } else {
                            b < i && i <= a
                        };
                        return Ok(inside && ((i - a) % s).is_zero());
                    }
                }
                Obj::Instance { .. } => {
                    let t = self.type_of(c);
                    if let Some(f) = self.lookup_in_mro(t, &PyStr::from("__contains__")) {
                        let r = self.call(f, vec![c.clone(), item.clone()], vec![])?;
                        return self.truthy(&r);
                    }
                }
                _ => {}
            }
        }
        // `_PySequence_IterSearch`: a TypeError from getting the iterator
        // is replaced by one naming the container.
        let it = match self.get_iter(c) {
            Ok(it) => it,
            Err(Fault::Raise(e)) => {
                let type_error = self.types.get("TypeError");
                if self.exception_matches(&Value::Obj(e), &Value::Obj(type_error))? {
                    let tn = self.type_name_of(c);
                    return Err(self.type_error(format!("argument of type '{tn}' is not iterable")));
                }
                return Err(Fault::Raise(e));
            }
            Err(f) => return Err(f),
        };
        while let Some(v) = self.next_of(&it)? {
            if v.is(item) || self.eq(&v, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Unpacks `s` into exactly `before` items, or with `after` given,
    /// `before` items, a list of the middle, and `after` items.
    pub fn unpack(
        &mut self,
        s: &Value,
        before: usize,
        after: Option<usize>,
    ) -> PyResult<Vec<Value>> {
        let items = self.collect_for_unpack(s)?;
        match after {
            None => {
                if items.len() != before {
                    return Err(if items.len() > before {
                        self.new_error(
                            "ValueError",
                            format!("too many values to unpack (expected {before})"),
                        )
                    } else {
                        self.new_error(
                            "ValueError",
                            format!(
                                "not enough values to unpack (expected {before}, got {})",
                                items.len()
                            ),
                        )
                    });
                }
                Ok(items)
            }
            Some(after) => {
                if items.len() < before + after {
                    return Err(self.new_error(
                        "ValueError",
                        format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            before + after,
                            items.len()
                        ),
                    ));
                }
                let mut out: Vec<Value> = items[..before].to_vec();
                let mid = items[before..items.len() - after].to_vec();
                out.push(Value::Obj(self.heap.alloc(Obj::List(mid))));
                out.extend(items[items.len() - after..].iter().cloned());
                Ok(out)
            }
        }
    }

    fn collect_for_unpack(&mut self, s: &Value) -> PyResult<Vec<Value>> {
        match self.get_iter(s) {
            Ok(it) => {
                let mut out = Vec::new();
                while let Some(v) = self.next_of(&it)? {
                    out.push(v);
                }
                Ok(out)
            }
            Err(Fault::Raise(_)) => {
                let tn = self.type_name_of(s);
                Err(self.type_error(format!("cannot unpack non-iterable {tn} object")))
            }
            Err(e) => Err(e),
        }
    }

    // ----- dicts ---------------------------------------------------------

    /// `d[k] = v` for a dict object.
    pub fn dict_set(&mut self, d: ObjId, k: Value, v: Value) -> PyResult<()> {
        let h = self.hash_of(&k)?;
        if !matches!(self.heap.get(d), Obj::Dict(_)) {
            return Err(Fault::Stuck("dict_set on a non-dict".into()));
        }
        let found = self.dict_find(d, &k, h)?;
        if let Obj::Dict(dict) = self.heap.get_mut(d) {
            match found {
                Some(i) => {
                    if let Some(e) = dict.entries[i].as_mut() {
                        e.value = v;
                    }
                }
                None => dict.push(h, k, v),
            }
        }
        Ok(())
    }

    /// Sets (`Some`) or deletes (`None`) a string key of dict `d`; returns
    /// whether the key existed or was set.
    pub fn dict_set_str(&mut self, d: ObjId, k: &PyStr, v: Option<Value>) -> bool {
        let h = crate::pyhash::hash_str(k);
        let Obj::Dict(dict) = self.heap.get_mut(d) else {
            return false;
        };
        match (dict.find_str(k), v) {
            (Some(i), Some(v)) => {
                if let Some(e) = dict.entries[i].as_mut() {
                    e.value = v;
                }
                true
            }
            (None, Some(v)) => {
                dict.push(h, Value::Str(k.clone()), v);
                true
            }
            (Some(i), None) => {
                dict.remove_at(i);
                true
            }
            (None, None) => false,
        }
    }

    /// `d.update(src)`; with `merge`, a repeated key is a `TypeError`
    /// (`f(**a, **b)`).
    pub fn dict_update(&mut self, d: ObjId, src: &Value, merge: bool) -> PyResult<()> {
        let pairs: Vec<(Value, Value)> = match src {
            Value::Obj(s) => match self.heap.get(*s).clone() {
                Obj::Dict(sd) => sd
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect(),
                _ => {
                    let keys_f = self.get_attr_opt(src, &PyStr::from("keys"))?;
                    let Some(keys_f) = keys_f else {
                        let tn = self.type_name_of(src);
                        return Err(self.type_error(format!("'{tn}' object is not a mapping")));
                    };
                    let keys = self.call(keys_f, vec![], vec![])?;
                    let keys = self.collect(&keys)?;
                    let mut out = Vec::new();
                    for k in keys {
                        let v = self.get_item(src, &k)?;
                        out.push((k, v));
                    }
                    out
                }
            },
            _ => {
                let tn = self.type_name_of(src);
                return Err(self.type_error(format!("'{tn}' object is not a mapping")));
            }
        };
        for (k, v) in pairs {
            if merge {
                let Obj::Dict(dd) = self.heap.get(d).clone() else {
                    break;
                };
                let h = self.hash_of(&k)?;
                if self.dict_lookup(&dd, &k, h)?.is_some() {
                    let kr = self.str_of(&k)?;
                    return Err(self.type_error(format!(
                        "function got multiple values for keyword argument '{kr}'"
                    )));
                }
            }
            self.dict_set(d, k, v)?;
        }
        Ok(())
    }

    // ----- lists and sets -------------------------------------------------

    /// `list.append(v)`.
    pub fn list_append(&mut self, l: &Value, v: Value) {
        if let Value::Obj(id) = l {
            if let Obj::List(items) = self.heap.get_mut(*id) {
                items.push(v);
            }
        }
    }

    /// A new set (or frozenset) of `items`, in CPython's table order.
    pub fn new_set(&mut self, items: Vec<Value>, frozen: bool) -> PyResult<Value> {
        if items.len() >= MAX_COLLECTION {
            return Err(self.new_error_args("MemoryError", vec![]));
        }
        let table = crate::builtins::set_table_of(self, items)?;
        Ok(Value::Obj(self.heap.alloc(Obj::Set { table, frozen })))
    }

    /// `set.add(v)`.
    pub fn set_add(&mut self, s: &Value, v: Value) -> PyResult<()> {
        let h = self.hash_of(&v)?;
        let Value::Obj(id) = s else { return Ok(()) };
        let Obj::Set { table, .. } = self.heap.get(*id).clone() else {
            return Ok(());
        };
        if table.len() >= MAX_COLLECTION {
            return Err(self.new_error_args("MemoryError", vec![]));
        }
        let mut table = table;
        table.insert(h, v, &mut |a, b| self.eq(a, b))?;
        if let Obj::Set { table: t, .. } = self.heap.get_mut(*id) {
            *t = table;
        }
        Ok(())
    }

    // ----- imports --------------------------------------------------------

    /// `import name`: a built-in module or a `.py` file beside the program.
    pub fn import(&mut self, n: &PyStr, _fromlist: &Value) -> PyResult<Value> {
        let key = text(n);
        if let Some(e) = self.modules.get_str(n) {
            return Ok(e.clone());
        }
        if let Some(m) = crate::builtins::native_module(self, &key)? {
            let h = crate::pyhash::hash_str(n);
            self.modules.push(h, Value::Str(n.clone()), m.clone());
            return Ok(m);
        }
        let Some(code) = self.importable.get(&key).cloned() else {
            let err = self.new_error("ModuleNotFoundError", format!("No module named '{key}'"));
            if let Fault::Raise(e) = &err {
                let e = *e;
                self.generic_set_attr(
                    &Value::Obj(e),
                    &PyStr::from("name"),
                    Some(Value::Str(n.clone())),
                )?;
            }
            return Err(err);
        };
        let globals = self.heap.alloc(Obj::Dict(Dict::default()));
        self.dict_set_str(
            globals,
            &PyStr::from("__name__"),
            Some(Value::Str(n.clone())),
        );
        self.dict_set_str(
            globals,
            &PyStr::from("__builtins__"),
            Some(Value::Obj(self.builtins)),
        );
        let module = Value::Obj(self.heap.alloc(Obj::Module {
            name: n.clone(),
            dict: globals,
        }));
        let h = crate::pyhash::hash_str(n);
        self.modules.push(h, Value::Str(n.clone()), module.clone());
        let frame = self.module_frame(&code, globals)?;
        self.run_to_return(frame)?;
        Ok(module)
    }

    /// `locals()` in a function: a snapshot of the bound fast locals, then
    /// the cell and free variables, as `PyFrame_FastToLocals` builds it.
    pub fn fast_locals_dict(&mut self) -> Value {
        let Some(f) = self.frames.back() else {
            return Value::None;
        };
        let mut pairs: Vec<(PyStr, Value)> = Vec::new();
        for (n, v) in f.code.varnames.iter().zip(f.fast.iter()) {
            if let Some(v) = v {
                pairs.push((n.clone(), v.clone()));
            }
        }
        let names: Vec<PyStr> = f
            .code
            .cellvars
            .iter()
            .chain(f.code.freevars.iter())
            .cloned()
            .collect();
        for (n, c) in names.into_iter().zip(f.cells.clone()) {
            if let Obj::Cell(Some(v)) = self.heap.get(c) {
                pairs.push((n, v.clone()));
            }
        }
        let d = self.heap.alloc(Obj::Dict(Dict::default()));
        for (k, v) in pairs {
            self.dict_set_str(d, &k, Some(v));
        }
        Value::Obj(d)
    }

    /// `from module import *`.
    pub fn import_star(&mut self, module: &Value) -> PyResult<()> {
        let Value::Obj(id) = module else {
            return Ok(());
        };
        let Obj::Module { dict, .. } = self.heap.get(*id).clone() else {
            return Ok(());
        };
        let Obj::Dict(d) = self.heap.get(dict).clone() else {
            return Ok(());
        };
        let f = self
            .frames
            .back()
            .ok_or_else(|| Fault::Stuck("no frame".into()))?;
        let target = f.locals.unwrap_or(f.globals);
        for e in d.iter() {
            if let Value::Str(k) = &e.key {
                if !text(k).starts_with('_') {
                    self.dict_set_str(target, k, Some(e.value.clone()));
                }
            }
        }
        Ok(())
    }
}

fn clamp_i64(b: &BigInt) -> i64 {
    b.to_i64().unwrap_or(if b.is_negative() {
        i64::MIN / 2
    } else {
        i64::MAX / 2
    })
}
