//! Sets and frozensets on CPython 3.9's set table
//! ([`pyreg_spec::settable::SetTable`]), so that they iterate, print and
//! pop in CPython's order.
//!
//! The order depends on which C function of `setobject.c` builds a set,
//! so each operation here picks the table method the specification's set
//! code picks (`spec/src/builtins/collections.rs`), with the VM's hashes
//! and equality (identity first, then the equality that needs no Python
//! code, then `==`).
//!
//! Reference counts: every key stored in a table holds one reference.
//! Operations that may run Python `__eq__` work on a copy whose keys are
//! held for the duration, then install it; a set changed by such an
//! `__eq__` meanwhile is reported as unsupported rather than overwritten.

use super::{gap, Res, Vm};
use crate::code::{Bin, Cmp};
use crate::heap::{ExcKind, Obj};
use crate::value::Value;
use pyreg_spec::settable::{SetTable, Slot};

/// A set's table.
pub(super) type Table = SetTable<Value>;

/// The other operand of a set method, told apart as `setobject.c` does.
/// Every value it holds is one reference, dropped by [`Vm::release`].
pub(super) enum Other {
    /// A set or frozenset: the object, and its table at the time.
    Set(Value, Table),
    /// An exact dict: its keys with their stored hashes, in dict order.
    Dict(Vec<(i64, Value)>),
    /// Any other iterable: its items.
    Iter(Vec<Value>),
}

impl Other {
    /// Whether this operand is the object `s` itself.
    fn is(&self, s: Value) -> bool {
        matches!(self, Other::Set(o, _) if *o == s)
    }
}

/// The same value, bit for bit (a NaN is the same as itself here).
fn same_value(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

/// Whether two tables are slot for slot the same.
fn same_table(a: &Table, b: &Table) -> bool {
    a.len() == b.len()
        && a.table_size() == b.table_size()
        && a.slots().iter().zip(b.slots()).all(|p| match p {
            (Slot::Empty, Slot::Empty) | (Slot::Dummy, Slot::Dummy) => true,
            (Slot::Full { hash: h, key: k }, Slot::Full { hash: g, key: j }) => {
                h == g && same_value(*k, *j)
            }
            _ => false,
        })
}

impl Vm {
    /// The table of set or frozenset `s`.
    pub(super) fn set_table(&self, s: Value) -> Option<&Table> {
        match self.heap.obj(s) {
            Some(Obj::Set(t) | Obj::FrozenSet(t)) => Some(t),
            _ => None,
        }
    }

    fn set_table_mut(&mut self, s: Value) -> Option<&mut Table> {
        match s.obj().map(|r| self.heap.get_mut(r)) {
            Some(Obj::Set(t) | Obj::FrozenSet(t)) => Some(t),
            _ => None,
        }
    }

    /// Whether `v` is a set or frozenset (`PyAnySet_Check`).
    pub(super) fn is_any_set(&self, v: Value) -> bool {
        self.set_table(v).is_some()
    }

    /// Key equality in a set table: `stored is probe or stored == probe`.
    fn key_eq(&mut self, stored: Value, probe: Value) -> Res<bool> {
        match self.pure_eq(stored, probe) {
            Some(e) => Ok(e),
            None => self.eq(stored, probe),
        }
    }

    /// A copy of `s`'s table whose keys are held (drop it with
    /// [`Vm::drop_table`]).
    fn held_table(&mut self, s: Value) -> Res<Table> {
        let Some(t) = self.set_table(s).cloned() else {
            return self.broken("a set");
        };
        for k in t.iter() {
            self.heap.incref(*k);
        }
        Ok(t)
    }

    /// Releases the keys of a table from [`Vm::held_table`].
    fn drop_table(&mut self, t: Table) {
        for k in t.iter() {
            self.heap.decref(*k);
        }
    }

    /// A new set or frozenset holding `t`'s keys (each takes a reference),
    /// owned.
    pub(super) fn alloc_set(&mut self, t: Table, frozen: bool) -> Value {
        for k in t.iter() {
            self.heap.incref(*k);
        }
        self.heap.alloc(if frozen {
            Obj::FrozenSet(t)
        } else {
            Obj::Set(t)
        })
    }

    /// `key in s` for a key of hash `h`.
    pub(super) fn set_contains_hashed(&mut self, s: Value, h: i64, k: Value) -> Res<bool> {
        let Some(t) = self.set_table(s) else {
            return self.broken("a set");
        };
        let fast = t.contains(h, &k, &mut |a, b| self.pure_eq(*a, *b).ok_or(()));
        if let Ok(found) = fast {
            return Ok(found);
        }
        let t = self.held_table(s)?;
        let r = t.contains(h, &k, &mut |a, b| self.key_eq(*a, *b));
        self.drop_table(t);
        r
    }

    /// `set_add_entry`: adds `k` (hash `h`) to set `s` unless an equal key
    /// is there; the set takes its own reference. Whether it was added.
    pub(super) fn set_add_hashed(&mut self, s: Value, h: i64, k: Value) -> Res<bool> {
        let Some(t) = self.set_table(s) else {
            return self.broken("a set");
        };
        if super::ops::too_big(t.len() + 1) {
            return Err(self.memory_error());
        }
        match t.contains(h, &k, &mut |a, b| self.pure_eq(*a, *b).ok_or(())) {
            Ok(true) => Ok(false),
            Ok(false) => {
                // Absent: equal hashes met on the way are unequal keys.
                if let Some(t) = self.set_table_mut(s) {
                    let _ = t.insert(h, k, &mut |_, _| Ok::<bool, ()>(false));
                }
                self.heap.incref(k);
                Ok(true)
            }
            Err(()) => {
                self.heap.incref(k);
                let r = self.set_in_place(s, |vm, t| t.insert(h, k, &mut |a, b| vm.key_eq(*a, *b)));
                self.heap.decref(k);
                r
            }
        }
    }

    /// `set_add` of a value (hashing it first).
    pub(super) fn set_add(&mut self, s: Value, k: Value) -> Res<bool> {
        let h = self.hash(k)?;
        self.set_add_hashed(s, h, k)
    }

    /// `set_discard_entry`: removes the key equal to `k` from set `s`,
    /// returning the stored key (its reference passes to the caller).
    pub(super) fn set_remove(&mut self, s: Value, k: Value) -> Res<Option<Value>> {
        let h = self.hash(k)?;
        let Some(t) = self.set_table(s) else {
            return self.broken("a set");
        };
        match t.get(h, &k, &mut |a, b| self.pure_eq(*a, *b).ok_or(())) {
            Ok(None) => Ok(None),
            Ok(Some(stored)) => {
                let stored = *stored;
                if let Some(t) = self.set_table_mut(s) {
                    let _ = t.remove(h, &stored, &mut |a, b| Ok::<bool, ()>(same_value(*a, *b)));
                }
                Ok(Some(stored))
            }
            Err(()) => {
                let r =
                    self.set_in_place(s, |vm, t| t.remove(h, &k, &mut |a, b| vm.key_eq(*a, *b)))?;
                // The table's reference to the removed key went with the
                // old table; give the caller one.
                Ok(r.map(|x| self.heap.own(x)))
            }
        }
    }

    /// `set.pop()`: the key (owned), or `None` when the set is empty.
    pub(super) fn set_pop(&mut self, s: Value) -> Option<Value> {
        self.set_table_mut(s).and_then(|t| t.pop())
    }

    /// `set.clear()`.
    pub(super) fn set_clear(&mut self, s: Value) {
        let old = match self.set_table_mut(s) {
            Some(t) => std::mem::take(t),
            None => return,
        };
        if let Some(t) = self.set_table_mut(s) {
            // `set_clear_internal` keeps the pop finger.
            let mut fresh = old.clone();
            fresh.clear();
            *t = fresh;
        }
        self.drop_table(old);
    }

    /// Runs `f` on a copy of `s`'s table, with the VM's equality, and
    /// installs the result (also when `f` fails part way, as CPython leaves
    /// a half-done update). Keys keep their references right: the copy's
    /// keys are held while `f` runs Python code.
    fn set_in_place<R>(
        &mut self,
        s: Value,
        f: impl FnOnce(&mut Vm, &mut Table) -> Res<R>,
    ) -> Res<R> {
        let held = self.held_table(s)?;
        let mut work = held.clone();
        let r = f(self, &mut work);
        let unchanged = self.set_table(s).is_some_and(|t| same_table(t, &held));
        if !unchanged {
            self.drop_table(held);
            return gap("a set changed by __eq__ during an operation on it");
        }
        for k in work.iter() {
            self.heap.incref(*k);
        }
        let old = match self.set_table_mut(s) {
            Some(t) => std::mem::replace(t, work),
            None => work,
        };
        self.drop_table(old);
        self.drop_table(held);
        r
    }

    /// Sorts a set method's operand (owned: drop it with [`Vm::release`]).
    pub(super) fn classify(&mut self, v: Value) -> Res<Other> {
        if self.is_any_set(v) {
            let t = self.held_table(v)?;
            return Ok(Other::Set(v, t));
        }
        if let Some(Obj::Dict(d)) = self.heap.obj(v) {
            let keys: Vec<(i64, Value)> = d.iter().map(|e| (e.hash, e.key)).collect();
            for (_, k) in &keys {
                self.heap.incref(*k);
            }
            return Ok(Other::Dict(keys));
        }
        Ok(Other::Iter(self.collect(v)?))
    }

    /// Drops the references an [`Other`] holds.
    pub(super) fn release(&mut self, o: Other) {
        match o {
            Other::Set(_, t) => self.drop_table(t),
            Other::Dict(keys) => self.heap.decref_all(keys.into_iter().map(|(_, k)| k)),
            Other::Iter(items) => self.heap.decref_all(items),
        }
    }

    /// Hashes items, in order (stopping at the first unhashable one).
    pub(super) fn hashed(&mut self, items: &[Value]) -> Res<Vec<(i64, Value)>> {
        let mut out = Vec::with_capacity(items.len());
        for x in items {
            out.push((self.hash(*x)?, *x));
        }
        Ok(out)
    }

    /// `set_update_internal(table, other)`.
    fn update_internal(&mut self, t: &mut Table, other: &Other) -> Res<()> {
        match other {
            Other::Set(_, o) => t.update(o, &mut |a, b| self.key_eq(*a, *b)),
            Other::Dict(keys) => t.update_dict(keys.len(), keys.iter().copied(), &mut |a, b| {
                self.key_eq(*a, *b)
            }),
            Other::Iter(items) => {
                for x in items {
                    let h = self.hash(*x)?;
                    t.insert(h, *x, &mut |a, b| self.key_eq(*a, *b))?;
                }
                Ok(())
            }
        }
    }

    /// `make_new_set(type, other)`.
    fn table_from(&mut self, other: &Other) -> Res<Table> {
        let mut t = Table::new();
        self.update_internal(&mut t, other)?;
        Ok(t)
    }

    /// `set_intersection(so, other)`, `so` being the object `s` (or a new
    /// set, `None`) with table `t`.
    fn intersection(&mut self, s: Option<Value>, t: &Table, other: &Other) -> Res<Table> {
        if s.is_some_and(|s| other.is(s)) {
            return Ok(t.copy());
        }
        match other {
            Other::Set(_, o) => t.intersection(o, &mut |a, b| self.key_eq(*a, *b)),
            Other::Dict(keys) => {
                t.intersection_iter(keys.iter().copied(), &mut |a, b| self.key_eq(*a, *b))
            }
            Other::Iter(items) => {
                let mut result = Table::new();
                for x in items {
                    let h = self.hash(*x)?;
                    if t.contains(h, x, &mut |a, b| self.key_eq(*a, *b))? {
                        result.insert(h, *x, &mut |a, b| self.key_eq(*a, *b))?;
                    }
                }
                Ok(result)
            }
        }
    }

    /// `set_difference_update_internal` (the caller handles `a -= a`).
    fn difference_update(&mut self, t: &mut Table, other: &Other) -> Res<()> {
        match other {
            Other::Set(_, o) => t.difference_update(o, &mut |a, b| self.key_eq(*a, *b)),
            Other::Dict(keys) => {
                t.difference_update_iter(keys.iter().copied(), &mut |a, b| self.key_eq(*a, *b))
            }
            Other::Iter(items) => {
                for x in items {
                    let h = self.hash(*x)?;
                    t.remove(h, x, &mut |a, b| self.key_eq(*a, *b))?;
                }
                // The dummy purge at the end: an empty difference_update.
                t.difference_update_iter(Vec::new(), &mut |a, b| self.key_eq(*a, *b))
            }
        }
    }

    /// `set_difference(so, other)`.
    fn difference(&mut self, t: &Table, other: &Other) -> Res<Table> {
        match other {
            Other::Set(_, o) => t.difference(o, &mut |a, b| self.key_eq(*a, *b)),
            Other::Dict(keys) => {
                if (t.len() >> 2) > keys.len() {
                    let mut result = t.copy();
                    result.difference_update_iter(keys.iter().copied(), &mut |a, b| {
                        self.key_eq(*a, *b)
                    })?;
                    return Ok(result);
                }
                // `_PyDict_Contains_KnownHash`: the dict's keys as a table.
                let d = Table::from_hashed(keys.iter().copied(), &mut |_, _| Ok(false))?;
                let mut result = Table::new();
                for (h, k) in t.iter_hashed() {
                    if !d.contains(h, k, &mut |a, b| self.key_eq(*a, *b))? {
                        result.insert(h, *k, &mut |a, b| self.key_eq(*a, *b))?;
                    }
                }
                Ok(result)
            }
            Other::Iter(_) => {
                let mut result = t.copy();
                self.difference_update(&mut result, other)?;
                Ok(result)
            }
        }
    }

    /// `set_symmetric_difference_update(so, other)` (the caller handles
    /// `a ^= a`).
    fn symmetric_difference_update(&mut self, t: &mut Table, other: &Other) -> Res<()> {
        match other {
            Other::Set(_, o) => t.symmetric_difference_update(o, &mut |a, b| self.key_eq(*a, *b)),
            Other::Dict(keys) => t
                .symmetric_difference_update_dict(keys.iter().copied(), &mut |a, b| {
                    self.key_eq(*a, *b)
                }),
            Other::Iter(_) => {
                let o = self.table_from(other)?;
                t.symmetric_difference_update(&o, &mut |a, b| self.key_eq(*a, *b))
            }
        }
    }

    /// `set_issubset(a, b)`.
    fn is_subset(&mut self, a: &Table, b: &Table) -> Res<bool> {
        if a.len() > b.len() {
            return Ok(false);
        }
        for (h, k) in a.iter_hashed() {
            if !b.contains(h, k, &mut |x, y| self.key_eq(*x, *y))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A new set (or frozenset) of the items of `v` (`set(v)`,
    /// `frozenset(v)`), owned.
    pub(super) fn new_set(&mut self, v: Option<Value>, frozen: bool) -> Res<Value> {
        let Some(v) = v else {
            return Ok(self.alloc_set(Table::new(), frozen));
        };
        // `frozenset(f)` of an exact frozenset is `f` itself.
        if frozen && matches!(self.heap.obj(v), Some(Obj::FrozenSet(_))) {
            return Ok(self.heap.own(v));
        }
        let other = self.classify(v)?;
        let r = self.table_from(&other);
        let r = r.map(|t| self.alloc_set(t, frozen));
        self.release(other);
        r
    }

    /// A set built from items in order (`BUILD_SET`, a set display).
    pub(super) fn set_of_items(&mut self, items: &[Value]) -> Res<Value> {
        let hashed = self.hashed(items)?;
        let t = Table::from_hashed(hashed, &mut |a, b| self.key_eq(*a, *b))?;
        Ok(self.alloc_set(t, false))
    }

    /// `set.update(*args)` and `SET_UPDATE` (`_PySet_Update`).
    pub(super) fn set_update(&mut self, s: Value, args: &[Value]) -> Res<()> {
        for a in args {
            let other = self.classify(*a)?;
            let r = if other.is(s) {
                Ok(())
            } else {
                self.set_in_place(s, |vm, t| vm.update_internal(t, &other))
            };
            self.release(other);
            r?;
        }
        Ok(())
    }

    /// The methods building a new set from `s` and the arguments:
    /// `union`, `intersection`, `difference`, `symmetric_difference`
    /// (`op` `|`, `&`, `-`, `^`), and `copy` (`op` `|`, no arguments).
    pub(super) fn set_method_new(&mut self, op: char, s: Value, args: &[Value]) -> Res<Value> {
        let frozen = matches!(self.heap.obj(s), Some(Obj::FrozenSet(_)));
        let table = self.held_table(s)?;
        let r = self.set_method_table(op, s, &table, args);
        self.drop_table(table);
        r.map(|t| self.alloc_set(t, frozen))
    }

    fn set_method_table(
        &mut self,
        op: char,
        s: Value,
        table: &Table,
        args: &[Value],
    ) -> Res<Table> {
        if args.is_empty() {
            return Ok(table.copy());
        }
        let mut result: Option<Table> = None;
        for (i, a) in args.iter().enumerate() {
            let other = self.classify(*a)?;
            let r = match (op, &mut result) {
                ('|', None) => {
                    let mut t = table.copy();
                    let r = if other.is(s) {
                        Ok(())
                    } else {
                        self.update_internal(&mut t, &other)
                    };
                    r.map(|()| Some(t))
                }
                ('|', Some(t)) => {
                    let r = if other.is(s) {
                        Ok(())
                    } else {
                        self.update_internal(t, &other)
                    };
                    r.map(|()| None)
                }
                ('&', None) => self.intersection(Some(s), table, &other).map(Some),
                ('&', Some(t)) => {
                    let t = std::mem::take(t);
                    self.intersection(None, &t, &other).map(Some)
                }
                ('-', None) => self.difference(table, &other).map(Some),
                ('-', Some(t)) => self.difference_update(t, &other).map(|()| None),
                (_, _) => {
                    debug_assert_eq!(i, 0);
                    let r = self.table_from(&other);
                    r.and_then(|mut t| {
                        self.symmetric_difference_update(&mut t, &Other::Set(s, table.clone()))
                            .map(|()| Some(t))
                    })
                }
            };
            self.release(other);
            if let Some(t) = r? {
                result = Some(t);
            }
        }
        Ok(result.unwrap_or_default())
    }

    /// The in-place methods `intersection_update`, `difference_update`,
    /// `symmetric_difference_update` (`op` `&`, `-`, `^`).
    pub(super) fn set_method_update(&mut self, op: char, s: Value, args: &[Value]) -> Res<()> {
        if op == '&' {
            if args.is_empty() {
                return Ok(());
            }
            let table = self.held_table(s)?;
            let r = self.set_method_table('&', s, &table, args);
            self.drop_table(table);
            let result = r?;
            return self.set_in_place(s, |_, t| {
                t.swap_bodies(result);
                Ok(())
            });
        }
        for a in args {
            let other = self.classify(*a)?;
            let r = self.set_in_place(s, |vm, t| {
                if other.is(s) {
                    t.clear();
                    Ok(())
                } else if op == '-' {
                    vm.difference_update(t, &other)
                } else {
                    vm.symmetric_difference_update(t, &other)
                }
            });
            self.release(other);
            r?;
        }
        Ok(())
    }

    /// `a.issubset(b)` (`sub`) or `a.issuperset(b)`.
    pub(super) fn set_relation_method(&mut self, sub: bool, s: Value, b: Value) -> Res<bool> {
        let other = self.classify(b)?;
        let table = self.held_table(s)?;
        let r = match &other {
            Other::Set(_, t) => {
                if sub {
                    self.is_subset(&table, t)
                } else {
                    self.is_subset(t, &table)
                }
            }
            o => self.table_from(o).and_then(|t| {
                if sub {
                    self.is_subset(&table, &t)
                } else {
                    self.is_subset(&t, &table)
                }
            }),
        };
        self.drop_table(table);
        self.release(other);
        r
    }

    /// `a.isdisjoint(b)`.
    pub(super) fn set_isdisjoint(&mut self, s: Value, b: Value) -> Res<bool> {
        let other = self.classify(b)?;
        let table = self.held_table(s)?;
        let r = (|| {
            if other.is(s) {
                return Ok(table.is_empty());
            }
            let (probe, items): (&Table, Vec<(i64, Value)>) = match &other {
                Other::Set(_, t) => {
                    // Iterate the smaller set.
                    let (small, big) = if t.len() > table.len() {
                        (&table, t)
                    } else {
                        (t, &table)
                    };
                    (big, small.iter_hashed().map(|(h, k)| (h, *k)).collect())
                }
                Other::Dict(keys) => (&table, keys.clone()),
                Other::Iter(items) => {
                    for x in items {
                        let h = self.hash(*x)?;
                        if table.contains(h, x, &mut |a, b| self.key_eq(*a, *b))? {
                            return Ok(false);
                        }
                    }
                    return Ok(true);
                }
            };
            for (h, k) in items {
                if probe.contains(h, &k, &mut |a, b| self.key_eq(*a, *b))? {
                    return Ok(false);
                }
            }
            Ok(true)
        })();
        self.drop_table(table);
        self.release(other);
        r
    }

    /// `a - b`, `a & b`, `a | b`, `a ^ b` (`op` `-`, `&`, `|`, `^`) for
    /// two sets, in place when `inplace` and `a` is a set; owned.
    pub(super) fn set_op(&mut self, op: Bin, inplace: bool, a: Value, b: Value) -> Res<Value> {
        let op = match op {
            Bin::Or => '|',
            Bin::And => '&',
            Bin::Sub => '-',
            _ => '^',
        };
        let frozen = matches!(self.heap.obj(a), Some(Obj::FrozenSet(_)));
        let other = self.classify(b)?;
        let alias = other.is(a);
        let r = if inplace && !frozen {
            self.set_in_place(a, |vm, t| match (op, alias) {
                ('|', true) => Ok(()),
                ('|', false) => vm.update_internal(t, &other),
                ('&', _) => {
                    let cur = t.clone();
                    vm.intersection(Some(a), &cur, &other)
                        .map(|r| t.swap_bodies(r))
                }
                (_, true) => {
                    t.clear();
                    Ok(())
                }
                ('-', false) => vm.difference_update(t, &other),
                _ => vm.symmetric_difference_update(t, &other),
            })
            .map(|()| self.heap.own(a))
        } else {
            let ta = self.held_table(a)?;
            let r = match (op, &other) {
                ('|' | '&', _) if alias => Ok(ta.copy()),
                ('-', Other::Set(_, tb)) => ta.difference(tb, &mut |x, y| self.key_eq(*x, *y)),
                ('&', Other::Set(_, tb)) => ta.intersection(tb, &mut |x, y| self.key_eq(*x, *y)),
                ('|', Other::Set(_, tb)) => ta.union(tb, &mut |x, y| self.key_eq(*x, *y)),
                ('^', Other::Set(_, tb)) => {
                    ta.symmetric_difference(tb, &mut |x, y| self.key_eq(*x, *y))
                }
                _ => self.broken("a set operand"),
            };
            self.drop_table(ta);
            r.map(|t| self.alloc_set(t, frozen))
        };
        self.release(other);
        r
    }

    /// Subset and superset comparisons of two sets.
    pub(super) fn set_compare(&mut self, c: Cmp, a: Value, b: Value) -> Res<bool> {
        let ta = self.held_table(a)?;
        let tb = self.held_table(b)?;
        let r = match c {
            Cmp::Le => self.is_subset(&ta, &tb),
            Cmp::Lt => {
                if ta.len() < tb.len() {
                    self.is_subset(&ta, &tb)
                } else {
                    Ok(false)
                }
            }
            Cmp::Ge => self.is_subset(&tb, &ta),
            Cmp::Gt => {
                if ta.len() > tb.len() {
                    self.is_subset(&tb, &ta)
                } else {
                    Ok(false)
                }
            }
            _ => Ok(false),
        };
        self.drop_table(ta);
        self.drop_table(tb);
        r
    }

    /// `KeyError('pop from an empty set')`.
    pub(super) fn empty_set_pop(&mut self) -> super::Fault {
        self.error(ExcKind::KeyError, "pop from an empty set".into())
    }
}
