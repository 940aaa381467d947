//! The hash table behind `dict`, `set`, class and instance namespaces:
//! entries in insertion order (as CPython 3.9's compact dict keeps them),
//! and an index from hash to entry.
//!
//! The table knows nothing of Python equality: every lookup passes the
//! key's hash and a predicate saying which stored key is equal to the one
//! sought, so the heap (where the keys' contents live) stays outside. A
//! removed entry leaves a hole (its key `Empty`) until holes outnumber
//! live entries; then the entries are compacted and the index rebuilt.

use crate::value::Value;
use hashbrown::HashTable;

/// One key and its value (the value is `Empty` in a set).
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// The key's hash, as Python's `hash()` gives it.
    pub hash: i64,
    /// The key; `Empty` for a removed entry.
    pub key: Value,
    /// The value.
    pub value: Value,
}

/// An insertion-ordered hash table of values.
#[derive(Default, Debug, Clone)]
pub struct Dict {
    entries: Vec<Entry>,
    index: HashTable<u32>,
    len: usize,
}

impl Dict {
    /// An empty table.
    pub fn new() -> Dict {
        Dict::default()
    }

    /// Live entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no live entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The position of the entry whose key has `hash` and satisfies `eq`.
    #[inline]
    pub fn find(&self, hash: i64, mut eq: impl FnMut(Value) -> bool) -> Option<usize> {
        let entries = &self.entries;
        self.index
            .find(hash as u64, |&i| {
                let e = &entries[i as usize];
                e.hash == hash && eq(e.key)
            })
            .map(|&i| i as usize)
    }

    /// The positions of the live entries whose key has `hash`.
    pub fn candidates(&self, hash: i64) -> Vec<usize> {
        self.index
            .iter_hash(hash as u64)
            .map(|&i| i as usize)
            .filter(|&i| self.entries[i].hash == hash && self.entries[i].key != Value::Empty)
            .collect()
    }

    /// Positions in use, holes included: every `pos` below it is valid
    /// for [`Dict::at`].
    #[inline]
    pub fn positions(&self) -> usize {
        self.entries.len()
    }

    /// The entry at `pos` (which may be a hole).
    #[inline]
    pub fn at(&self, pos: usize) -> &Entry {
        &self.entries[pos]
    }

    /// The value at `pos`, to replace it.
    #[inline]
    pub fn value_mut(&mut self, pos: usize) -> &mut Value {
        &mut self.entries[pos].value
    }

    /// Appends a key the caller found absent.
    pub fn push(&mut self, hash: i64, key: Value, value: Value) {
        let i = self.entries.len() as u32;
        self.entries.push(Entry { hash, key, value });
        let entries = &self.entries;
        self.index
            .insert_unique(hash as u64, i, |&j| entries[j as usize].hash as u64);
        self.len += 1;
    }

    /// Removes the entry at `pos`, returning it (its references pass to
    /// the caller).
    pub fn remove_at(&mut self, pos: usize) -> Entry {
        let e = self.entries[pos];
        if let Ok(found) = self.index.find_entry(e.hash as u64, |&i| i as usize == pos) {
            found.remove();
        }
        self.entries[pos].key = Value::Empty;
        self.entries[pos].value = Value::Empty;
        self.len -= 1;
        if self.entries.len() > 8 && self.len * 2 < self.entries.len() {
            self.compact();
        }
        e
    }

    fn compact(&mut self) {
        self.entries.retain(|e| e.key != Value::Empty);
        self.index.clear();
        let (entries, index) = (&self.entries, &mut self.index);
        for (i, e) in entries.iter().enumerate() {
            index.insert_unique(e.hash as u64, i as u32, |&j| {
                entries[j as usize].hash as u64
            });
        }
    }

    /// Live entries, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.entries.iter().filter(|e| e.key != Value::Empty)
    }

    /// Entry slots, holes included: an iterator keeps a position here.
    pub fn slots(&self) -> usize {
        self.entries.len()
    }

    /// Empties the table, returning the live entries (their references
    /// pass to the caller).
    pub fn take(&mut self) -> Vec<Entry> {
        let out = self.iter().copied().collect();
        *self = Dict::default();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertion_order_survives_removal_and_compaction() {
        let mut d = Dict::new();
        for i in 0..100 {
            d.push(i % 7, Value::Int(i), Value::Int(i * 10));
        }
        for i in (0..100).filter(|i| i % 3 != 0) {
            let pos = d.find(i % 7, |k| k == Value::Int(i)).expect("present");
            let e = d.remove_at(pos);
            assert_eq!(e.value, Value::Int(i * 10));
        }
        let keys: Vec<Value> = d.iter().map(|e| e.key).collect();
        let want: Vec<Value> = (0..100).filter(|i| i % 3 == 0).map(Value::Int).collect();
        assert_eq!(keys, want);
        for i in 0..100 {
            assert_eq!(d.find(i % 7, |k| k == Value::Int(i)).is_some(), i % 3 == 0);
        }
    }
}
