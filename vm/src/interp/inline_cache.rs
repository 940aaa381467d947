//! Inline caches for attribute instructions (`LOAD_ATTR`, `LOAD_METHOD`,
//! `STORE_ATTR`) on instances of user classes.
//!
//! Each attribute instruction of a code object has one [`AttrSite`]
//! (`VmCode::attr_sites`, indexed by the instruction's position, in either
//! mode). After a lookup succeeds along the general path, the site records
//! what the general path had to find out about the instance's class: that
//! the class defines no `__getattribute__` (or `__setattr__`), and what
//! its MRO holds under the name (nothing, a plain function, a property,
//! a plain value) with where it is. The next execution on an instance of
//! the same class, under the same [`Vm::attr_epoch`], skips those lookups
//! and goes to the instance dict, starting at the position the name had
//! there last time.
//!
//! The epoch moves whenever the type attribute cache is cleared (a class
//! dict gained or lost a key, see `type_cache.rs`) and whenever a class is
//! freed, so a site never outlives the facts it recorded. A site records
//! positions, not values: a class attribute whose value is replaced in
//! place is read afresh.

use super::{Res, Vm};
use crate::code::VmCode;
use crate::heap::Obj;
use crate::value::{ObjRef, Value};

/// What a site knows about one class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SiteKind {
    /// Nothing yet (or not cacheable).
    #[default]
    Empty,
    /// The class's MRO has nothing under the name: only the instance dict.
    Own,
    /// A plain function at (owner, position), not shadowed when the
    /// instance dict lacks the name.
    Method(u32, u32),
    /// A `property` at (owner, position): a data descriptor, which wins
    /// over the instance dict.
    Property(u32, u32),
    /// A value that is not a descriptor at (owner, position), used when
    /// the instance dict lacks the name.
    Plain(u32, u32),
}

/// One attribute instruction's cache.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttrSite {
    /// The class it was filled for.
    class: u32,
    /// The epoch it was filled in.
    epoch: u64,
    /// What the class's MRO holds under the name.
    kind: SiteKind,
    /// Where the name was in the last instance dict.
    hint: u32,
}

impl Vm {
    /// The current attribute epoch: sites filled under another are void.
    #[inline]
    fn epoch(&self) -> u64 {
        self.attr_epoch.get().wrapping_add(self.heap.class_frees)
    }

    /// The instance behind `obj` and the site's facts when they hold for
    /// its class now.
    #[inline]
    fn site_for(&self, code: &VmCode, pc: usize, obj: Value) -> Option<(ObjRef, AttrSite)> {
        let r = obj.obj()?;
        let Obj::Instance(i) = self.heap.get(r) else {
            return None;
        };
        let site = code.attr_sites.get(pc)?.get();
        (site.kind != SiteKind::Empty && site.class == i.class.0 && site.epoch == self.epoch())
            .then_some((r, site))
    }

    /// The position of `name` in instance `r`'s dict, trying `hint` first.
    #[inline]
    fn own_position(&self, r: ObjRef, name: Value, hint: u32) -> Option<usize> {
        let Obj::Instance(i) = self.heap.get(r) else {
            return None;
        };
        let d = &i.dict;
        let hint = hint as usize;
        if hint < d.positions() && d.at(hint).key == name {
            return Some(hint);
        }
        let text = self.heap.as_str(name)?;
        let h = self.name_hash(name);
        d.find(h, |k| k == name || self.heap.as_str(k) == Some(text))
    }

    /// The value a site's (owner, position) names, borrowed.
    #[inline]
    fn class_entry(&self, owner: u32, pos: u32) -> Option<Value> {
        match self.heap.get(ObjRef(owner)) {
            Obj::Class(c) => Some(c.dict.at(pos as usize).value),
            _ => None,
        }
    }

    fn instance_value(&self, r: ObjRef, pos: usize) -> Value {
        match self.heap.get(r) {
            Obj::Instance(i) => i.dict.at(pos).value,
            _ => Value::Empty,
        }
    }

    fn set_hint(code: &VmCode, pc: usize, site: AttrSite, pos: usize) {
        if site.hint as usize != pos {
            if let Some(cell) = code.attr_sites.get(pc) {
                cell.set(AttrSite {
                    hint: pos as u32,
                    ..site
                });
            }
        }
    }

    /// What the general path would find out about `obj.name` for a read:
    /// the site's kind, or `Empty` when the case is not one a site keeps.
    fn learn_read(&self, obj: Value, name: Value) -> Option<(u32, SiteKind)> {
        let Obj::Instance(i) = self.heap.obj(obj)? else {
            return None;
        };
        if i.exc.is_some() {
            return None;
        }
        let cls = i.class;
        if self.special(obj, "__getattribute__").is_some() {
            return None;
        }
        let text = self.heap.as_str(name)?;
        let found = self.type_lookup_position(cls, text, self.name_hash(name));
        let kind = match found {
            None => SiteKind::Own,
            Some((owner, pos)) => {
                let d = self.class_entry(owner.0, pos)?;
                match self.heap.obj(d) {
                    Some(Obj::Function(_)) => SiteKind::Method(owner.0, pos),
                    Some(Obj::Property(..)) => SiteKind::Property(owner.0, pos),
                    Some(Obj::ClassMethod(_) | Obj::StaticMethod(_) | Obj::Instance(_)) => {
                        return None
                    }
                    _ => SiteKind::Plain(owner.0, pos),
                }
            }
        };
        Some((cls.0, kind))
    }

    fn remember(&self, code: &VmCode, pc: usize, class: u32, kind: SiteKind, hint: usize) {
        if let Some(cell) = code.attr_sites.get(pc) {
            cell.set(AttrSite {
                class,
                epoch: self.epoch(),
                kind,
                hint: hint as u32,
            });
        }
    }

    /// `LOAD_ATTR` at instruction `pc`: `obj.name`, owned.
    pub(super) fn load_attr_at(
        &mut self,
        code: &VmCode,
        pc: usize,
        obj: Value,
        name: Value,
    ) -> Res<Value> {
        if let Some((r, site)) = self.site_for(code, pc, obj) {
            match site.kind {
                SiteKind::Property(owner, pos) => {
                    if let Some(Some(Obj::Property(get, _, _))) =
                        self.class_entry(owner, pos).map(|d| self.heap.obj(d))
                    {
                        let get = *get;
                        if get != Value::None {
                            return self.call_value(get, &[obj], &[]);
                        }
                    }
                }
                kind => {
                    if let Some(p) = self.own_position(r, name, site.hint) {
                        Self::set_hint(code, pc, site, p);
                        let v = self.instance_value(r, p);
                        return Ok(self.heap.own(v));
                    }
                    match kind {
                        SiteKind::Method(owner, pos) => {
                            if let Some(f) = self.class_entry(owner, pos) {
                                self.heap.incref(f);
                                self.heap.incref(obj);
                                return Ok(self.heap.alloc(Obj::BoundMethod(f, obj)));
                            }
                        }
                        SiteKind::Plain(owner, pos) => {
                            if let Some(v) = self.class_entry(owner, pos) {
                                return Ok(self.heap.own(v));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        let v = self.getattr(obj, name)?;
        if let Some((class, kind)) = self.learn_read(obj, name) {
            let hint = obj
                .obj()
                .and_then(|r| self.own_position(r, name, 0))
                .unwrap_or(0);
            self.remember(code, pc, class, kind, hint);
        }
        Ok(v)
    }

    /// `LOAD_METHOD` at instruction `pc`: as [`Vm::load_method`].
    pub(super) fn load_method_at(
        &mut self,
        code: &VmCode,
        pc: usize,
        obj: Value,
        name: Value,
    ) -> Res<(Value, Value)> {
        if let Some((r, site)) = self.site_for(code, pc, obj) {
            if let SiteKind::Method(owner, pos) = site.kind {
                if self.own_position(r, name, site.hint).is_none() {
                    if let Some(f) = self.class_entry(owner, pos) {
                        self.heap.incref(f);
                        self.heap.incref(obj);
                        return Ok((f, obj));
                    }
                }
            }
        }
        let found = self.load_method(obj, name)?;
        if let Some((class, kind @ SiteKind::Method(..))) = self.learn_read(obj, name) {
            self.remember(code, pc, class, kind, 0);
        }
        Ok(found)
    }

    /// `STORE_ATTR` at instruction `pc`: `obj.name = v`.
    pub(super) fn store_attr_at(
        &mut self,
        code: &VmCode,
        pc: usize,
        obj: Value,
        name: Value,
        v: Value,
    ) -> Res<()> {
        if let Some((r, site)) = self.site_for(code, pc, obj) {
            if let Some(p) = self.own_position(r, name, site.hint) {
                Self::set_hint(code, pc, site, p);
                self.heap.incref(v);
                let old = match self.heap.get_mut(r) {
                    Obj::Instance(i) => std::mem::replace(i.dict.value_mut(p), v),
                    _ => v,
                };
                self.heap.decref(old);
                return Ok(());
            }
            // A new attribute: the site's facts say it goes to the
            // instance dict, which `object.__setattr__` would append to.
            if self.heap.as_str(name).is_some() {
                let h = self.name_hash(name);
                self.heap.incref(v);
                self.heap.incref(name);
                if let Obj::Instance(i) = self.heap.get_mut(r) {
                    i.dict.push(h, name, v);
                    let p = i.dict.positions() - 1;
                    Self::set_hint(code, pc, site, p);
                }
                return Ok(());
            }
        }
        self.setattr(obj, name, v)?;
        if let Some((class, kind)) = self.learn_write(obj, name) {
            let hint = obj
                .obj()
                .and_then(|r| self.own_position(r, name, 0))
                .unwrap_or(0);
            self.remember(code, pc, class, kind, hint);
        }
        Ok(())
    }

    /// What the general path would find out about `obj.name = v`: a site
    /// is kept when the store goes to the instance dict (no `__setattr__`,
    /// no data descriptor, no `__slots__`, not an exception's fields).
    fn learn_write(&self, obj: Value, name: Value) -> Option<(u32, SiteKind)> {
        let Obj::Instance(i) = self.heap.obj(obj)? else {
            return None;
        };
        if i.exc.is_some() {
            return None;
        }
        let cls = i.class;
        if self.special(obj, "__setattr__").is_some() || self.slots_of(cls).is_some() {
            return None;
        }
        let text = self.heap.as_str(name)?;
        if let Some((owner, pos)) = self.type_lookup_position(cls, text, self.name_hash(name)) {
            let d = self.class_entry(owner.0, pos)?;
            if matches!(self.heap.obj(d), Some(Obj::Property(..) | Obj::Instance(_))) {
                return None;
            }
        }
        Some((cls.0, SiteKind::Own))
    }
}
