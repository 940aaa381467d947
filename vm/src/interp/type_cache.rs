//! The type attribute cache: what a lookup along a class's MRO found,
//! remembered per (class, name), as CPython's method cache remembers
//! `_PyType_Lookup`.
//!
//! An entry keeps where the name was found (the owning class and the
//! position in its dict), not the value, so replacing a class attribute's
//! value (`Shape.count += 1`) leaves every entry true. What can make an
//! entry false is a class dict gaining or losing a key (a name may now be
//! shadowed, or gone) and a class being freed (its heap slot, and so its
//! key here, may name a new class); the first clears the cache at once
//! ([`TypeCache::clear`], called where class dicts change), the second is
//! seen through the heap's count of freed classes.

use super::types::BuildFx;
use crate::value::ObjRef;
use std::collections::HashMap;
use std::rc::Rc;

/// Where a lookup found a name: the owning class and the position of the
/// entry in its dict; `None` when no class of the MRO has it.
pub type Found = Option<(ObjRef, u32)>;

/// Entries beyond this many clear the cache, so that a program making
/// classes without end cannot grow it without end.
const MAX_ENTRIES: usize = 1 << 14;

/// The cache.
#[derive(Default)]
pub struct TypeCache {
    /// The heap's count of freed classes when the entries were made.
    frees_seen: u64,
    /// Lookups of names the program spells, by class and name hash; the
    /// name is kept to tell two names with one hash apart.
    by_hash: HashMap<(u32, i64), (Rc<str>, Found), BuildFx>,
    /// Lookups of names the VM spells (`"__eq__"`), by class and the
    /// address and length of the `'static` text, which no other text
    /// shares.
    by_static: HashMap<(u32, usize, usize), Found, BuildFx>,
}

impl TypeCache {
    /// Forgets everything (a class dict gained or lost a key).
    pub fn clear(&mut self) {
        self.by_hash.clear();
        self.by_static.clear();
    }

    /// Drops the entries when a class was freed since they were made.
    #[inline]
    fn check(&mut self, class_frees: u64) {
        if self.frees_seen != class_frees {
            self.clear();
            self.frees_seen = class_frees;
        }
    }

    /// The remembered lookup of `name` (hash `h`) on `cls`.
    #[inline]
    pub fn get(&mut self, class_frees: u64, cls: ObjRef, name: &str, h: i64) -> Option<Found> {
        self.check(class_frees);
        match self.by_hash.get(&(cls.0, h)) {
            Some((n, found)) if **n == *name => Some(*found),
            _ => None,
        }
    }

    /// Remembers a lookup of `name` (hash `h`) on `cls`.
    pub fn put(&mut self, cls: ObjRef, name: &str, h: i64, found: Found) {
        if self.by_hash.len() >= MAX_ENTRIES {
            self.by_hash.clear();
        }
        self.by_hash.insert((cls.0, h), (name.into(), found));
    }

    /// The remembered lookup of the VM's own name `name` on `cls`.
    #[inline]
    pub fn get_static(
        &mut self,
        class_frees: u64,
        cls: ObjRef,
        name: &'static str,
    ) -> Option<Found> {
        self.check(class_frees);
        self.by_static
            .get(&(cls.0, name.as_ptr() as usize, name.len()))
            .copied()
    }

    /// Remembers a lookup of the VM's own name `name` on `cls`.
    pub fn put_static(&mut self, cls: ObjRef, name: &'static str, found: Found) {
        if self.by_static.len() >= MAX_ENTRIES {
            self.by_static.clear();
        }
        self.by_static
            .insert((cls.0, name.as_ptr() as usize, name.len()), found);
    }
}
