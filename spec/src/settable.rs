//! The hash table behind CPython 3.9's `set` and `frozenset`.
//!
//! Python programs print sets, and a set prints (and iterates, and pops) in
//! the order of its open-addressing hash table. That order depends on the
//! hashes, on the order of insertions and deletions, on when the table was
//! resized, and on which C function built it. [`SetTable`] reproduces
//! CPython 3.9's `Objects/setobject.c` step for step so that the order is the
//! same, slot for slot, as CPython's.
//!
//! The table is generic over the key type. The caller supplies:
//! - the Python `hash()` of every key (the interpreter computes it; a key's
//!   hash is never `-1`, as in CPython), and
//! - equality, as a closure `eq(table_key, probe_key)`. It stands for
//!   CPython's `startkey == key || PyObject_RichCompareBool(startkey, key,
//!   Py_EQ)`: it must return `Ok(true)` for the identical object without
//!   running any Python code, and it may fail (Python `__eq__` can raise).
//!   It is called exactly where CPython compares: only on slots whose stored
//!   hash equals the probe's, in probe order, with the stored key first.
//!
//! When `eq` fails, the operation stops and the error is returned, leaving the
//! table as CPython leaves it at that point (for example, a half-done update).
//! One thing is not modelled: an `__eq__` that mutates the set it is being
//! compared in (CPython then restarts the probe). Here the table is borrowed
//! for the whole operation, so such a mutation cannot be expressed.
//!
//! ## Aliasing
//!
//! CPython checks for an operand being the *same object* as the set in
//! several places, and the result differs from using an equal copy. Methods
//! taking `other: &SetTable<K>` assume a distinct object; for `a op a` the
//! caller uses:
//!
//! | Python                                         | here                          |
//! |------------------------------------------------|-------------------------------|
//! | `a.update(a)`, `a \|= a`                       | nothing (`set_merge` returns) |
//! | `a \| a`, `a.union(a)`, `a & a`, `a.intersection(a)` | [`SetTable::copy`]      |
//! | `a &= a`, `a.intersection_update(a)`           | `a.swap_bodies(a.copy())`     |
//! | `a -= a`, `a.difference_update(a)`, `a ^= a`, `a.symmetric_difference_update(a)` | [`SetTable::clear`] |
//! | `a - a`, `a ^ a`                               | the ordinary method on a clone |
//!
//! ## What is reproduced
//!
//! Probing is `set_lookkey`/`set_add_entry`/`set_insert_clean`: start at
//! `hash & mask`, look at up to `LINEAR_PROBES` (9) following slots when they
//! do not run past the end of the table, then jump with
//! `perturb >>= PERTURB_SHIFT (5); i = (i*5 + 1 + perturb) & mask`, `perturb`
//! starting as the hash taken as an unsigned 64-bit number. In 3.9 an insert
//! never reuses a dummy slot (deleted entry): it always takes the first
//! empty slot of the probe sequence, and `fill` counts both live and dummy
//! slots. After filling an empty slot, the table is resized when
//! `fill*5 >= mask*3`, to the smallest power of two (at least 8) greater than
//! `used*4` (`used*2` above 50000 entries); resizing re-inserts the live
//! entries in old-table order and drops dummies.

/// `LINEAR_PROBES` of setobject.c: slots examined after the home slot before
/// jumping, when they fit before the end of the table.
const LINEAR_PROBES: u64 = 9;

/// `PERTURB_SHIFT` of setobject.c: how fast the high hash bits enter the
/// probe sequence.
const PERTURB_SHIFT: u32 = 5;

/// `PySet_MINSIZE`: the size of a new or cleared table (CPython's inline
/// `smalltable`).
pub const MIN_SIZE: usize = 8;

/// Above this many entries a resize only doubles the entry count instead of
/// quadrupling it (`so->used>50000 ? so->used*2 : so->used*4`).
const BIG_SET: usize = 50_000;

/// One slot of the table, as CPython's `setentry` distinguishes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot<K> {
    /// Never used since the table was (re)built: `key == NULL`. Probing stops
    /// here.
    Empty,
    /// A deleted entry (`key == dummy`, `hash == -1`): probing goes on past
    /// it, iteration skips it, and in 3.9 inserts never reuse it.
    Dummy,
    /// A live entry.
    Full {
        /// The key's Python hash, stored so resizes never re-hash.
        hash: i64,
        /// The key.
        key: K,
    },
}

/// The state of one CPython 3.9 set or frozenset object's table.
///
/// `Clone` is a plain copy of the slots: the specification clones states,
/// and a cloned table iterates and evolves exactly like the original.
#[derive(Clone, Debug)]
pub struct SetTable<K> {
    /// The slots; the length is a power of two, `mask + 1`.
    slots: Vec<Slot<K>>,
    /// Number of non-empty slots (live plus dummy): CPython's `fill`, which
    /// drives resizing.
    fill: usize,
    /// Number of live entries: CPython's `used`, the `len()`.
    used: usize,
    /// Where `pop()` starts looking: CPython's `finger`. It belongs to the
    /// set object, so clearing and swapping bodies keep it.
    finger: usize,
}

/// Outcome of a probe for a key.
enum Lookup {
    /// A live entry with an equal key sits in this slot.
    Found(usize),
    /// The key is absent; this is the first empty slot of its probe sequence.
    Vacant(usize),
}

/// The slot indices CPython visits for one hash, in order (the probe loop
/// shared by `set_lookkey`, `set_add_entry` and `set_insert_clean`).
///
/// The sequence is infinite; callers stop at an empty slot, which always
/// exists because the load factor stays below 3/5.
struct Probe {
    mask: u64,
    /// The current jump target, `i` in the C code.
    base: u64,
    /// Next offset from `base` to yield.
    offset: u64,
    /// Last offset to yield from `base`: `LINEAR_PROBES` when the run fits
    /// before the end of the table (`i + LINEAR_PROBES <= mask`), else 0.
    last: u64,
    /// The not yet consumed hash bits, `perturb` in the C code (a `size_t`,
    /// so a negative hash enters as its two's complement).
    perturb: u64,
}

impl Probe {
    fn new(hash: i64, mask: usize) -> Probe {
        let mask = mask as u64;
        let perturb = hash as u64;
        let base = perturb & mask;
        Probe {
            mask,
            base,
            offset: 0,
            last: Self::run_length(base, mask),
            perturb,
        }
    }

    fn run_length(base: u64, mask: u64) -> u64 {
        if base + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        }
    }
}

impl Iterator for Probe {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.offset > self.last {
            self.perturb >>= PERTURB_SHIFT;
            self.base = self
                .base
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(self.perturb)
                & self.mask;
            self.offset = 0;
            self.last = Self::run_length(self.base, self.mask);
        }
        let slot = self.base + self.offset;
        self.offset += 1;
        Some(slot as usize)
    }
}

fn empty_slots<K>(size: usize) -> Vec<Slot<K>> {
    (0..size).map(|_| Slot::Empty).collect()
}

/// `set_insert_clean`: puts a key known to be absent into the first empty
/// slot of its probe sequence, with no comparisons. Used on tables without
/// dummies; the caller keeps `fill` and `used`.
fn insert_clean<K>(slots: &mut [Slot<K>], hash: i64, key: K) {
    let mask = slots.len() - 1;
    for i in Probe::new(hash, mask) {
        if matches!(slots[i], Slot::Empty) {
            slots[i] = Slot::Full { hash, key };
            return;
        }
    }
}

/// The size `set_table_resize` picks: the smallest power of two, at least
/// `MIN_SIZE`, strictly greater than `minused`.
fn size_for(minused: usize) -> usize {
    let mut size = MIN_SIZE;
    while size <= minused {
        size <<= 1;
    }
    size
}

/// The `minused` argument every growth path passes to `set_table_resize`.
fn growth_target(used: usize) -> usize {
    if used > BIG_SET {
        used * 2
    } else {
        used * 4
    }
}

impl<K> Default for SetTable<K> {
    fn default() -> Self {
        SetTable::new()
    }
}

impl<K> SetTable<K> {
    /// An empty table of `MIN_SIZE` slots with the pop finger at 0, as
    /// `make_new_set` leaves a new set.
    pub fn new() -> SetTable<K> {
        SetTable {
            slots: empty_slots(MIN_SIZE),
            fill: 0,
            used: 0,
            finger: 0,
        }
    }

    /// Number of live entries (`len(s)`, CPython's `used`).
    pub fn len(&self) -> usize {
        self.used
    }

    /// Whether the set has no live entries.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// Number of slots, `mask + 1`: what `sys.getsizeof` reveals of a set.
    pub fn table_size(&self) -> usize {
        self.slots.len()
    }

    /// Number of non-empty slots, live or dummy (CPython's `fill`).
    pub fn fill(&self) -> usize {
        self.fill
    }

    /// The slots, in table order.
    pub fn slots(&self) -> &[Slot<K>] {
        &self.slots
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The keys in iteration order (`set_next`/`setiter_iternext`: table
    /// order, skipping empty and dummy slots). This is the order of
    /// `list(s)`, `repr(s)` and `for x in s`.
    pub fn iter(&self) -> impl Iterator<Item = &K> + '_ {
        self.iter_hashed().map(|(_, key)| key)
    }

    /// The live entries with their stored hashes, in iteration order.
    pub fn iter_hashed(&self) -> impl Iterator<Item = (i64, &K)> + '_ {
        self.slots.iter().filter_map(|slot| match slot {
            Slot::Full { hash, key } => Some((*hash, key)),
            _ => None,
        })
    }

    /// `set_next`: the first live entry at slot index `pos` or later, with
    /// the position to resume from. A set iterator keeps this position (and
    /// CPython's check that `len()` did not change), so iterating a set that
    /// was mutated without changing its size behaves as in CPython.
    pub fn next_entry(&self, pos: usize) -> Option<(usize, i64, &K)> {
        self.slots
            .iter()
            .enumerate()
            .skip(pos)
            .find_map(|(i, slot)| match slot {
                Slot::Full { hash, key } => Some((i + 1, *hash, key)),
                _ => None,
            })
    }

    /// `set_clear_internal`: back to an empty `MIN_SIZE` table. The pop
    /// finger is a field of the set object, not of the table, and is kept.
    pub fn clear(&mut self) {
        self.slots = empty_slots(MIN_SIZE);
        self.fill = 0;
        self.used = 0;
    }

    /// `set_pop`: removes and returns the first live entry at or after the
    /// finger (wrapping around), leaving a dummy, and moves the finger just
    /// past it so that successive pops sweep the table. `None` when empty
    /// (CPython raises `KeyError('pop from an empty set')`).
    pub fn pop(&mut self) -> Option<K> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = self.finger & mask;
        while !matches!(self.slots[i], Slot::Full { .. }) {
            i = if i == mask { 0 } else { i + 1 };
        }
        let Slot::Full { key, .. } = std::mem::replace(&mut self.slots[i], Slot::Dummy) else {
            unreachable!("the loop stops on a live slot")
        };
        self.used -= 1;
        self.finger = i + 1;
        Some(key)
    }

    /// `set_swap_bodies` as `set_intersection_update` uses it: this set takes
    /// `other`'s table and counters, keeping its own pop finger (the finger
    /// is not part of the swapped body).
    pub fn swap_bodies(&mut self, other: SetTable<K>) {
        self.slots = other.slots;
        self.fill = other.fill;
        self.used = other.used;
    }

    /// `set_table_resize(so, minused)`: rebuilds the table with
    /// `size_for(minused)` slots, re-inserting live entries in old-table
    /// order with `set_insert_clean` and dropping dummies. A `MIN_SIZE`
    /// table without dummies that would stay `MIN_SIZE` is left alone.
    fn resize(&mut self, minused: usize) {
        let size = size_for(minused);
        if size == MIN_SIZE && self.slots.len() == MIN_SIZE && self.fill == self.used {
            return;
        }
        let old = std::mem::replace(&mut self.slots, empty_slots(size));
        self.fill = self.used;
        for slot in old {
            if let Slot::Full { hash, key } = slot {
                insert_clean(&mut self.slots, hash, key);
            }
        }
    }

    /// Probes for `key` the way `set_lookkey` (and the search part of 3.9's
    /// `set_add_entry`) does: dummies are stepped over, `eq` is asked only
    /// about live slots with the same hash.
    fn lookup<E>(
        &self,
        hash: i64,
        key: &K,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<Lookup, E> {
        for i in Probe::new(hash, self.mask()) {
            match &self.slots[i] {
                Slot::Empty => return Ok(Lookup::Vacant(i)),
                // Only equal hashes are compared, as in CPython, so `eq`
                // (Python `__eq__`) runs exactly when CPython runs it.
                Slot::Full { hash: h, key: k } if *h == hash && eq(k, key)? => {
                    return Ok(Lookup::Found(i));
                }
                _ => {}
            }
        }
        unreachable!("a probe sequence always reaches an empty slot")
    }

    /// `set_contains_entry`: whether an equal key is in the set.
    pub fn contains<E>(
        &self,
        hash: i64,
        key: &K,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        Ok(matches!(self.lookup(hash, key, eq)?, Lookup::Found(_)))
    }

    /// The stored key equal to `key`, if any (the object CPython keeps: the
    /// first one inserted).
    pub fn get<E>(
        &self,
        hash: i64,
        key: &K,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<Option<&K>, E> {
        Ok(match self.lookup(hash, key, eq)? {
            Lookup::Found(i) => match &self.slots[i] {
                Slot::Full { key, .. } => Some(key),
                _ => unreachable!("lookup finds live slots only"),
            },
            Lookup::Vacant(_) => None,
        })
    }

    /// `set_add_entry` (`s.add(x)`, `BUILD_SET`, `SET_ADD`, marshal's
    /// `PySet_Add`): adds `key` unless an equal key is present (then the
    /// stored key stays and `key` is dropped). Returns whether it was added.
    ///
    /// The key goes into the first empty slot of its probe sequence (never
    /// a dummy, in 3.9), and the table grows when `fill*5 >= mask*3`.
    pub fn insert<E>(
        &mut self,
        hash: i64,
        key: K,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<bool, E> {
        match self.lookup(hash, &key, eq)? {
            Lookup::Found(_) => Ok(false),
            Lookup::Vacant(i) => {
                self.slots[i] = Slot::Full { hash, key };
                self.fill += 1;
                self.used += 1;
                if self.fill * 5 >= self.mask() * 3 {
                    self.resize(growth_target(self.used));
                }
                Ok(true)
            }
        }
    }

    /// `set_discard_entry` (`s.discard(x)`, `s.remove(x)`): replaces the
    /// equal key's slot by a dummy and returns the stored key, or `None`
    /// when absent. The table never shrinks here.
    pub fn remove<E>(
        &mut self,
        hash: i64,
        key: &K,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<Option<K>, E> {
        match self.lookup(hash, key, eq)? {
            Lookup::Vacant(_) => Ok(None),
            Lookup::Found(i) => match std::mem::replace(&mut self.slots[i], Slot::Dummy) {
                Slot::Full { key, .. } => {
                    self.used -= 1;
                    Ok(Some(key))
                }
                _ => unreachable!("lookup finds live slots only"),
            },
        }
    }
}

impl<K: Clone> SetTable<K> {
    /// `make_new_set` over a generic iterable (`set(list)`,
    /// `frozenset(tuple)`, a set comprehension, `BUILD_SET`, and marshal
    /// loading a set or frozenset constant): an empty set, then
    /// [`insert`](Self::insert) of each item in iteration order.
    pub fn from_hashed<E>(
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut set = SetTable::new();
        set.extend(items, eq)?;
        Ok(set)
    }

    /// `set_update_internal`'s generic-iterable path (`s.update(list)`,
    /// `SET_UPDATE` of a non-set): [`insert`](Self::insert) of each item in
    /// order. For an exact `dict` use [`update_dict`](Self::update_dict),
    /// for a set or frozenset [`update`](Self::update).
    pub fn extend<E>(
        &mut self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        for (hash, key) in items {
            self.insert(hash, key, eq)?;
        }
        Ok(())
    }

    /// `set_update_internal`'s exact-`dict` path (`set(d)`, `s.update(d)`):
    /// first one resize for `len` more keys if `(fill + len)*5 >= mask*3`
    /// (to `(used + len)*2`), then inserts the dict's keys, with the hashes
    /// the dict stores, in dict order.
    pub fn update_dict<E>(
        &mut self,
        len: usize,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        if (self.fill + len) * 5 >= self.mask() * 3 {
            self.resize((self.used + len) * 2);
        }
        self.extend(items, eq)
    }

    /// `set_merge` (`s.update(t)`, `s |= t`, `set(t)`, `SET_UPDATE` of a
    /// set or frozenset), for `other` a distinct object (see the module doc
    /// for `s.update(s)`).
    ///
    /// After one resize up front when `(fill + len(other))*5 >= mask*3` (to
    /// `(used + len(other))*2`): if this table is empty, as large as
    /// `other`'s, and `other` has no dummies, it becomes a slot-for-slot copy
    /// of `other`; if it is merely empty, `other`'s entries are inserted in
    /// `other`'s table order without comparisons; otherwise they are
    /// [`insert`](Self::insert)ed in that order.
    pub fn update<E>(
        &mut self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        if other.used == 0 {
            return Ok(());
        }
        if (self.fill + other.used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other.used) * 2);
        }
        if self.fill == 0 {
            self.merge_into_empty(other);
            return Ok(());
        }
        for (hash, key) in other.iter_hashed() {
            self.insert(hash, key.clone(), eq)?;
        }
        Ok(())
    }

    /// The two `so->fill == 0` fast paths of `set_merge`; neither compares
    /// keys, so neither can fail.
    fn merge_into_empty(&mut self, other: &SetTable<K>) {
        debug_assert_eq!(self.fill, 0);
        if self.slots.len() == other.slots.len() && other.fill == other.used {
            self.slots.clone_from(&other.slots);
        } else {
            for (hash, key) in other.iter_hashed() {
                insert_clean(&mut self.slots, hash, key.clone());
            }
        }
        self.fill = other.used;
        self.used = other.used;
    }

    /// `set_copy` (`s.copy()`, `set(s)`, `frozenset(s)` of a non-frozenset,
    /// and the first step of `|`, `union`, and several others): a new set
    /// [`update`](Self::update)d from this one. It is a slot-for-slot copy
    /// only when the presized table has this one's size and this one has no
    /// dummies; otherwise the entries are re-inserted in table order into a
    /// table sized for `len*2`, which compacts it.
    pub fn copy(&self) -> SetTable<K> {
        let mut copy = SetTable::new();
        if self.used == 0 {
            return copy;
        }
        if self.used * 5 >= copy.mask() * 3 {
            copy.resize(self.used * 2);
        }
        copy.merge_into_empty(self);
        copy
    }

    /// `set_or` / `set_union` with one set argument (`a | b`,
    /// `a.union(b)`): [`copy`](Self::copy) of `self`, then
    /// [`update`](Self::update) from `other`. For `a | a` use `copy`.
    /// `a.union(iterable)` is `copy` then [`extend`](Self::extend) (or
    /// [`update_dict`](Self::update_dict)); several arguments apply one
    /// after the other to the same copy, skipping any that is `a` itself.
    pub fn union<E>(
        &self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = self.copy();
        result.update(other, eq)?;
        Ok(result)
    }

    /// `set_intersection` with a set argument (`a & b`,
    /// `a.intersection(b)`): iterates the smaller set (`other` when the sizes
    /// are equal) in table order, keeps the entries found in the larger one,
    /// and inserts them, as stored in the iterated set, into a new set. For
    /// `a & a` use [`copy`](Self::copy).
    pub fn intersection<E>(
        &self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let (searched, iterated) = if other.used > self.used {
            (other, self)
        } else {
            (self, other)
        };
        let mut result = SetTable::new();
        for (hash, key) in iterated.iter_hashed() {
            if searched.contains(hash, key, eq)? {
                result.insert(hash, key.clone(), eq)?;
            }
        }
        Ok(result)
    }

    /// `set_intersection` with a non-set iterable (`a.intersection(list)`):
    /// items of the iterable, in its order, that are in `self` go into a new
    /// set (the iterable's objects, not the stored ones).
    pub fn intersection_iter<E>(
        &self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = SetTable::new();
        for (hash, key) in items {
            if self.contains(hash, &key, eq)? {
                result.insert(hash, key, eq)?;
            }
        }
        Ok(result)
    }

    /// `set_intersection_update` (`a &= b`, `a.intersection_update(b)`):
    /// [`intersection`](Self::intersection), whose body then replaces this
    /// set's ([`swap_bodies`](Self::swap_bodies), keeping the pop finger).
    pub fn intersection_update<E>(
        &mut self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        let result = self.intersection(other, eq)?;
        self.swap_bodies(result);
        Ok(())
    }

    /// `set_intersection_update_multi` with a non-set iterable
    /// (`a.intersection_update(list)`): [`intersection_iter`](
    /// Self::intersection_iter), then [`swap_bodies`](Self::swap_bodies).
    pub fn intersection_update_iter<E>(
        &mut self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        let result = self.intersection_iter(items, eq)?;
        self.swap_bodies(result);
        Ok(())
    }

    /// `set_difference` with a set argument (`a - b`, `a.difference(b)`).
    ///
    /// When `len(a) >> 2 > len(b)` this is `set_copy_and_difference`:
    /// [`copy`](Self::copy) of `a`, then
    /// [`difference_update`](Self::difference_update) by `b`. Otherwise `a`
    /// is iterated in table order and the entries not in `b` are inserted
    /// into a new set.
    pub fn difference<E>(
        &self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        if (self.used >> 2) > other.used {
            let mut result = self.copy();
            result.difference_update(other, eq)?;
            return Ok(result);
        }
        let mut result = SetTable::new();
        for (hash, key) in self.iter_hashed() {
            if !other.contains(hash, key, eq)? {
                result.insert(hash, key.clone(), eq)?;
            }
        }
        Ok(result)
    }

    /// `set_difference` with an exact `dict` argument (`a - d` is not
    /// defined, but `a.difference(d)` is): like
    /// [`difference`](Self::difference), with `in_dict(hash, key)` standing
    /// for `_PyDict_Contains_KnownHash` and `dict_keys` (in dict order) used
    /// by the copy-then-discard path.
    pub fn difference_dict<E>(
        &self,
        dict_keys: &[(i64, K)],
        in_dict: &mut dyn FnMut(i64, &K) -> Result<bool, E>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        if (self.used >> 2) > dict_keys.len() {
            let mut result = self.copy();
            result.difference_update_iter(dict_keys.iter().cloned(), eq)?;
            return Ok(result);
        }
        let mut result = SetTable::new();
        for (hash, key) in self.iter_hashed() {
            if !in_dict(hash, key)? {
                result.insert(hash, key.clone(), eq)?;
            }
        }
        Ok(result)
    }

    /// `set_copy_and_difference` (`a.difference(list)`): [`copy`](
    /// Self::copy), then [`difference_update_iter`](
    /// Self::difference_update_iter). Further arguments of
    /// `a.difference(x, y, ...)` are `difference_update`s of the result.
    pub fn difference_iter<E>(
        &self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = self.copy();
        result.difference_update_iter(items, eq)?;
        Ok(result)
    }

    /// `set_difference_update_internal` with a set argument (`a -= b`,
    /// `a.difference_update(b)`), for `b` distinct from `a` (else
    /// [`clear`](Self::clear)).
    ///
    /// Discards `b`'s entries in `b`'s table order, except that when
    /// `len(b) >> 3 > len(a)` it discards the entries of
    /// [`intersection`](Self::intersection)`(a, b)` instead (fewer probes,
    /// same removals). Then, if more than a quarter of the slots
    /// (`fill - used > mask/4`) are dummies, the table is rebuilt for the
    /// remaining entries.
    pub fn difference_update<E>(
        &mut self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        if (other.used >> 3) > self.used {
            let common = self.intersection(other, eq)?;
            for (hash, key) in common.iter_hashed() {
                self.remove(hash, key, eq)?;
            }
        } else {
            for (hash, key) in other.iter_hashed() {
                self.remove(hash, key, eq)?;
            }
        }
        self.purge_dummies();
        Ok(())
    }

    /// `set_difference_update_internal` with a non-set iterable
    /// (`a.difference_update(list)`, also used for exact dicts): discards the
    /// items in order, then rebuilds the table if more than a quarter of it
    /// is dummies.
    pub fn difference_update_iter<E>(
        &mut self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        for (hash, key) in items {
            self.remove(hash, &key, eq)?;
        }
        self.purge_dummies();
        Ok(())
    }

    /// The end of `set_difference_update_internal`: "If more than 1/4th are
    /// dummies, then resize them away."
    fn purge_dummies(&mut self) {
        if self.fill - self.used > self.mask() / 4 {
            self.resize(growth_target(self.used));
        }
    }

    /// `set_symmetric_difference_update` with a set argument (`a ^= b`,
    /// `a.symmetric_difference_update(b)`), for `b` distinct from `a` (else
    /// [`clear`](Self::clear)): for each entry of `b` in `b`'s table order,
    /// discard it from `a`, or insert it when it was absent.
    pub fn symmetric_difference_update<E>(
        &mut self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        self.toggle_each(other.iter_hashed().map(|(h, k)| (h, k.clone())), eq)
    }

    /// `set_symmetric_difference_update` with an exact `dict` argument: the
    /// same toggling, directly over the dict's keys in dict order.
    pub fn symmetric_difference_update_dict<E>(
        &mut self,
        dict_keys: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        self.toggle_each(dict_keys, eq)
    }

    /// `set_symmetric_difference_update` with any other iterable
    /// (`a.symmetric_difference_update(list)`): the items are first made
    /// into a new set ([`from_hashed`](Self::from_hashed)), whose table
    /// order is then used.
    pub fn symmetric_difference_update_iter<E>(
        &mut self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        let other = SetTable::from_hashed(items, eq)?;
        self.symmetric_difference_update(&other, eq)
    }

    fn toggle_each<E>(
        &mut self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<(), E> {
        for (hash, key) in items {
            if self.remove(hash, &key, eq)?.is_none() {
                self.insert(hash, key, eq)?;
            }
        }
        Ok(())
    }

    /// `set_symmetric_difference` with a set argument (`a ^ b`,
    /// `a.symmetric_difference(b)`): a new set made from `b` (a
    /// [`copy`](Self::copy) of `b`), then
    /// [`symmetric_difference_update`](Self::symmetric_difference_update)d
    /// by `a`. `a ^ a` is this method with a clone of `a` as `other`.
    pub fn symmetric_difference<E>(
        &self,
        other: &SetTable<K>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = other.copy();
        result.symmetric_difference_update(self, eq)?;
        Ok(result)
    }

    /// `set_symmetric_difference` with a non-set iterable
    /// (`a.symmetric_difference(list)`): a new set made from the items
    /// ([`from_hashed`](Self::from_hashed)), then toggled by `a`'s entries.
    /// (For an exact dict, build the new set with
    /// [`update_dict`](Self::update_dict) and call
    /// [`symmetric_difference_update`](Self::symmetric_difference_update).)
    pub fn symmetric_difference_iter<E>(
        &self,
        items: impl IntoIterator<Item = (i64, K)>,
        eq: &mut dyn FnMut(&K, &K) -> Result<bool, E>,
    ) -> Result<SetTable<K>, E> {
        let mut result = SetTable::from_hashed(items, eq)?;
        result.symmetric_difference_update(self, eq)?;
        Ok(result)
    }
}
