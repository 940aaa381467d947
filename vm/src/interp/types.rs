//! The built-in classes, `type(x)`, class relations and lookups along the
//! method resolution order.

use super::{Fault, Res, Vm};
use crate::dict::Dict;
use crate::heap::{Class, ExcKind, Heap, Iter, Obj, Ty};
use crate::value::{ObjRef, Value};
use std::collections::HashMap;

/// The class objects of the built-in types and exceptions.
pub struct Types {
    ty: Vec<ObjRef>,
    exc: Vec<ObjRef>,
}

/// `hash(s)` of a name the VM's own code spells (`"__eq__"`), computed
/// once per name: a `'static` text's address is never reused, so it keys
/// the memo.
pub fn static_hash(s: &'static str) -> i64 {
    thread_local! {
        static MEMO: std::cell::RefCell<std::collections::HashMap<(usize, usize), i64, BuildFx>> =
            const { std::cell::RefCell::new(std::collections::HashMap::with_hasher(BuildFx)) };
    }
    let key = (s.as_ptr() as usize, s.len());
    if let Some(h) = MEMO.with(|m| m.borrow().get(&key).copied()) {
        return h;
    }
    let h = str_hash(s);
    MEMO.with(|m| m.borrow_mut().insert(key, h));
    h
}

/// A multiplicative hash for small integer keys (memos and caches of the
/// VM), as rustc's FxHash mixes a word: keys here are object numbers and
/// addresses, never chosen by a program, so no flooding resistance is
/// needed and one multiply per word is enough.
#[derive(Default, Clone, Copy)]
pub struct BuildFx;

/// The hash state.
pub struct Fx(u64);

impl Fx {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for Fx {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.mix(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }
}

impl std::hash::BuildHasher for BuildFx {
    type Hasher = Fx;
    #[inline]
    fn build_hasher(&self) -> Fx {
        Fx(0)
    }
}

/// `hash(s)` of a `str`, as CPython computes it with `PYTHONHASHSEED=0`.
pub fn str_hash(s: &str) -> i64 {
    if s.is_ascii() {
        pyreg_spec::pyhash::hash_bytes(s.as_bytes())
    } else {
        pyreg_spec::pyhash::hash_str(&pyreg_spec::code::PyStr::from(s))
    }
}

/// The value stored under `name` in a namespace dict, borrowed.
pub fn dict_get_str(heap: &Heap, d: &Dict, name: &str) -> Option<Value> {
    dict_get_hashed(heap, d, name, str_hash(name))
}

/// [`dict_get_str`] with the name's hash known.
pub fn dict_get_hashed(heap: &Heap, d: &Dict, name: &str, h: i64) -> Option<Value> {
    d.find(h, |k| heap.as_str(k) == Some(name))
        .map(|i| d.at(i).value)
}

fn class(name: &str, bases: Vec<Value>, mro: Vec<ObjRef>, ty: Ty, exc: Option<ExcKind>) -> Class {
    Class {
        name: name.into(),
        qualname: name.into(),
        bases,
        mro,
        dict: Dict::new(),
        ty,
        exc,
        user: false,
    }
}

impl Types {
    /// Makes the built-in classes.
    pub fn new(heap: &mut Heap) -> Types {
        let object = heap.alloc(Obj::Class(Box::new(class(
            "object",
            Vec::new(),
            Vec::new(),
            Ty::Object,
            None,
        ))));
        let object_ref = object.obj().expect("a class");
        let set_mro = |heap: &mut Heap, r: ObjRef, mut rest: Vec<ObjRef>| {
            rest.insert(0, r);
            if let Obj::Class(c) = heap.get_mut(r) {
                c.mro = rest;
            }
        };
        set_mro(heap, object_ref, Vec::new());
        let mut ty = Vec::new();
        for t in Ty::ALL {
            if t == Ty::Object {
                ty.push(object_ref);
                continue;
            }
            let (base, rest) = if t == Ty::Bool {
                let int = ty[Ty::Int as usize];
                (int, vec![int, object_ref])
            } else {
                (object_ref, vec![object_ref])
            };
            heap.incref(Value::Obj(base));
            let c = heap.alloc(Obj::Class(Box::new(class(
                t.name(),
                vec![Value::Obj(base)],
                Vec::new(),
                t,
                None,
            ))));
            let r = c.obj().expect("a class");
            set_mro(heap, r, rest);
            ty.push(r);
        }
        let mut exc: Vec<ObjRef> = Vec::new();
        for k in ExcKind::ALL {
            let (bases, rest) = match k.base() {
                None => (vec![Value::Obj(object_ref)], vec![object_ref]),
                Some(b) => {
                    let br = exc[b as usize];
                    let rest = match heap.get(br) {
                        Obj::Class(c) => c.mro.clone(),
                        _ => Vec::new(),
                    };
                    (vec![Value::Obj(br)], rest)
                }
            };
            for b in &bases {
                heap.incref(*b);
            }
            let c = heap.alloc(Obj::Class(Box::new(class(
                k.name(),
                bases,
                Vec::new(),
                Ty::BaseException,
                Some(k),
            ))));
            let r = c.obj().expect("a class");
            set_mro(heap, r, rest);
            exc.push(r);
        }
        Types { ty, exc }
    }

    /// Puts the classes that are built-in names into `builtins`.
    pub fn install(&self, heap: &mut Heap, builtins: &mut HashMap<String, Value>) {
        use Ty::*;
        for t in [
            Object,
            Type,
            Bool,
            Int,
            Float,
            Str,
            List,
            Tuple,
            Dict,
            Set,
            FrozenSet,
            Range,
            Slice,
            Property,
            StaticMethod,
            ClassMethod,
            Super,
            Bytes,
            ByteArray,
            Complex,
        ] {
            let v = Value::Obj(self.ty(t));
            heap.incref(v);
            builtins.insert(t.name().to_string(), v);
        }
        for k in ExcKind::ALL {
            let v = Value::Obj(self.exc(k));
            heap.incref(v);
            builtins.insert(k.name().to_string(), v);
        }
        builtins.insert(
            "EnvironmentError".into(),
            heap.own(Value::Obj(self.exc(ExcKind::OSError))),
        );
        builtins.insert(
            "IOError".into(),
            heap.own(Value::Obj(self.exc(ExcKind::OSError))),
        );
        let ni = heap.alloc(Obj::NotImplemented);
        builtins.insert("NotImplemented".into(), ni);
        let el = heap.alloc(Obj::Ellipsis);
        builtins.insert("Ellipsis".into(), el);
    }

    /// The class of a built-in type.
    #[inline]
    pub fn ty(&self, t: Ty) -> ObjRef {
        self.ty[t as usize]
    }

    /// The class of a built-in exception.
    #[inline]
    pub fn exc(&self, k: ExcKind) -> ObjRef {
        self.exc[k as usize]
    }
}

impl Vm {
    /// `type(v)`, borrowed.
    pub(super) fn type_of(&self, v: Value) -> ObjRef {
        let t = match v {
            Value::Empty | Value::None => Ty::NoneType,
            Value::Bool(_) => Ty::Bool,
            Value::Int(_) => Ty::Int,
            Value::Float(_) => Ty::Float,
            Value::Obj(r) => match self.heap.get(r) {
                Obj::Instance(i) => return i.class,
                Obj::Str(_) => Ty::Str,
                Obj::Big(_) => Ty::Int,
                Obj::Tuple(_) => Ty::Tuple,
                Obj::List(_) => Ty::List,
                Obj::Dict(_) => Ty::Dict,
                Obj::Set(_) => Ty::Set,
                Obj::FrozenSet(_) => Ty::FrozenSet,
                Obj::Function(_) => Ty::Function,
                Obj::Builtin(_) | Obj::BoundBuiltin(..) => Ty::BuiltinFunction,
                Obj::BoundMethod(..) => Ty::Method,
                Obj::Class(_) => Ty::Type,
                Obj::Range(..) => Ty::Range,
                Obj::Iter(_) | Obj::View(_) => Ty::Iterator,
                Obj::Generator(_) => Ty::Generator,
                Obj::Cell(_) => Ty::Cell,
                Obj::Slice(..) => Ty::Slice,
                Obj::Property(..) => Ty::Property,
                Obj::StaticMethod(_) => Ty::StaticMethod,
                Obj::ClassMethod(_) => Ty::ClassMethod,
                Obj::Super(..) => Ty::Super,
                Obj::NotImplemented => Ty::NotImplementedType,
                Obj::Ellipsis => Ty::Ellipsis,
                Obj::Module(..) => Ty::Module,
                Obj::ModuleFn(_) => Ty::BuiltinFunction,
                Obj::Code(_) => Ty::Code,
                Obj::Bytes(_) => Ty::Bytes,
                Obj::ByteArray(_) => Ty::ByteArray,
                Obj::Complex(..) => Ty::Complex,
                Obj::Free => Ty::NoneType,
            },
        };
        self.types.ty(t)
    }

    /// The class `r` names (a class is assumed: callers check).
    pub(super) fn class(&self, r: ObjRef) -> Option<&Class> {
        match self.heap.get(r) {
            Obj::Class(c) => Some(c),
            _ => None,
        }
    }

    /// The type name of an iterator in state `it`.
    pub(super) fn iter_type_name(&self, it: &Iter) -> &'static str {
        match it {
            Iter::Range(..) => "range_iterator",
            Iter::Seq(s, _) => match self.heap.obj(*s) {
                Some(Obj::List(_)) => "list_iterator",
                Some(Obj::Tuple(_)) => "tuple_iterator",
                Some(Obj::Str(_)) => "str_iterator",
                Some(Obj::Bytes(_)) => "bytes_iterator",
                Some(Obj::ByteArray(_)) => "bytearray_iterator",
                _ => "iterator",
            },
            Iter::Reversed(..) => "list_reverseiterator",
            Iter::Dict(d, _, _, part) => match (self.heap.obj(*d), part) {
                (Some(Obj::Dict(_)), crate::heap::DictPart::Keys) => "dict_keyiterator",
                (Some(Obj::Dict(_)), crate::heap::DictPart::Values) => "dict_valueiterator",
                (Some(Obj::Dict(_)), _) => "dict_itemiterator",
                _ => "set_iterator",
            },
            Iter::Enumerate(..) => "enumerate",
            Iter::Zip(_) => "zip",
            Iter::Map(..) => "map",
            Iter::Filter(..) => "filter",
            Iter::Callable(..) => "callable_iterator",
            Iter::Done(name) => name,
        }
    }

    /// `type(v).__name__`, as error messages quote it.
    pub(super) fn type_name(&self, v: Value) -> String {
        match self.heap.obj(v) {
            Some(Obj::Iter(it)) => return self.iter_type_name(it).into(),
            Some(Obj::View(view)) => {
                return match view.part {
                    crate::heap::DictPart::Keys => "dict_keys",
                    crate::heap::DictPart::Values => "dict_values",
                    crate::heap::DictPart::Items => "dict_items",
                }
                .into()
            }
            _ => {}
        }
        let t = self.type_of(v);
        self.class(t)
            .map_or_else(String::new, |c| c.name.to_string())
    }

    /// Whether class `a` is class `b` or a subclass of it.
    pub(super) fn is_subclass(&self, a: ObjRef, b: ObjRef) -> bool {
        a == b || self.class(a).is_some_and(|c| c.mro.contains(&b))
    }

    /// Whether `v` is an instance of the built-in type `t` (or a subclass).
    pub(super) fn is_a(&self, v: Value, t: Ty) -> bool {
        self.is_subclass(self.type_of(v), self.types.ty(t))
    }

    /// `name` looked up along `cls`'s MRO, borrowed, with the class that
    /// has it.
    pub(super) fn lookup(&self, cls: ObjRef, name: &str) -> Option<(Value, ObjRef)> {
        self.lookup_h(cls, name, str_hash(name))
    }

    /// [`Vm::lookup`] with the name's hash known.
    pub(super) fn lookup_h(&self, cls: ObjRef, name: &str, h: i64) -> Option<(Value, ObjRef)> {
        self.found_value(self.type_lookup_position(cls, name, h))
    }

    /// Where [`Vm::lookup_h`] finds `name`: the owning class and the
    /// position in its dict.
    pub(super) fn type_lookup_position(
        &self,
        cls: ObjRef,
        name: &str,
        h: i64,
    ) -> super::type_cache::Found {
        let frees = self.heap.class_frees;
        let cached = self.type_cache.borrow_mut().get(frees, cls, name, h);
        match cached {
            Some(found) => found,
            None => {
                let found = self.walk_mro(cls, name, h);
                self.type_cache.borrow_mut().put(cls, name, h, found);
                found
            }
        }
    }

    /// [`Vm::lookup_h`] of a name the VM's own code spells.
    pub(super) fn lookup_static(&self, cls: ObjRef, name: &'static str) -> Option<(Value, ObjRef)> {
        let frees = self.heap.class_frees;
        let cached = self.type_cache.borrow_mut().get_static(frees, cls, name);
        let found = match cached {
            Some(found) => found,
            None => {
                let found = self.walk_mro(cls, name, static_hash(name));
                self.type_cache.borrow_mut().put_static(cls, name, found);
                found
            }
        };
        self.found_value(found)
    }

    /// The MRO walk itself: the class that has `name` and the entry's
    /// position in its dict.
    fn walk_mro(&self, cls: ObjRef, name: &str, h: i64) -> super::type_cache::Found {
        let c = self.class(cls)?;
        for k in &c.mro {
            if let Obj::Class(kc) = self.heap.get(*k) {
                if let Some(i) = kc.dict.find(h, |x| self.heap.as_str(x) == Some(name)) {
                    return Some((*k, i as u32));
                }
            }
        }
        None
    }

    /// The value a cached lookup points at, read afresh.
    #[inline]
    fn found_value(&self, found: super::type_cache::Found) -> Option<(Value, ObjRef)> {
        let (owner, pos) = found?;
        let c = self.class(owner)?;
        Some((c.dict.at(pos as usize).value, owner))
    }

    /// A class dict gained or lost a key: what the type cache remembers
    /// may no longer hold.
    pub(super) fn class_dicts_changed(&self) {
        self.type_cache.borrow_mut().clear();
        self.attr_epoch.set(self.attr_epoch.get() + 1);
    }

    /// `name` on `type(v)`, when a user class defines it (a special
    /// method), borrowed.
    pub(super) fn special(&self, v: Value, name: &'static str) -> Option<Value> {
        let t = self.type_of(v);
        let c = self.class(t)?;
        if !c.user {
            return None;
        }
        self.lookup_static(t, name)
            .filter(|(_, owner)| self.class(*owner).is_some_and(|c| c.user))
            .map(|(f, _)| f)
    }

    /// The C3 linearisation of a new class with `bases`.
    pub(super) fn c3(&mut self, name: &str, bases: &[ObjRef]) -> Res<Vec<ObjRef>> {
        let mut seqs: Vec<Vec<ObjRef>> = bases
            .iter()
            .map(|b| self.class(*b).map_or_else(Vec::new, |c| c.mro.clone()))
            .collect();
        seqs.push(bases.to_vec());
        let mut out = Vec::new();
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Ok(out);
            }
            let head = seqs
                .iter()
                .map(|s| s[0])
                .find(|h| !seqs.iter().any(|s| s[1..].contains(h)));
            let Some(h) = head else {
                let names: Vec<String> = bases
                    .iter()
                    .map(|b| {
                        self.class(*b)
                            .map_or_else(String::new, |c| c.name.to_string())
                    })
                    .collect();
                let _ = name;
                return Err(self.error(
                    ExcKind::TypeError,
                    format!(
                        "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                        names.join(", ")
                    ),
                ));
            };
            out.push(h);
            for s in &mut seqs {
                if s[0] == h {
                    s.remove(0);
                }
            }
        }
    }

    /// Turns an unexpected state into a named gap rather than a panic.
    pub(super) fn broken<T>(&self, what: &str) -> Res<T> {
        Err(Fault::Unsupported(format!("vm: internal state: {what}")))
    }
}
