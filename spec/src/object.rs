//! The object model shared by the executable semantics.
//!
//! A [`Value`] is what an operand-stack slot, a local or a register holds.
//! Immutable values without identity that matters to CPython 3.9 programs
//! (`None`, bools, numbers, strings, bytes, tuples) are held inline; every
//! object with identity or mutable state (lists, dicts, functions, classes,
//! instances, cells, generators, ...) lives in the [`Heap`] and is named by
//! an [`ObjId`].
//!
//! The heap is a persistent vector, so cloning a whole machine state is
//! cheap and a step that touches one object copies only that object.
//! Objects are never freed: the semantics does not model garbage
//! collection, finalizers or weak references.

use crate::code::{CodeObject, PyStr};
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use std::sync::Arc;

/// The name of a heap object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub u32);

/// A Python `int`: machine-sized when it fits, arbitrary precision otherwise.
/// The two forms never overlap: a value that fits an `i64` is always `Small`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Int {
    /// Fits in 64 bits.
    Small(i64),
    /// Does not fit in 64 bits.
    Big(Arc<BigInt>),
}

impl Int {
    /// Normalizes a big integer to the small form when it fits.
    pub fn from_big(b: BigInt) -> Int {
        match b.to_i64() {
            Some(i) => Int::Small(i),
            None => Int::Big(Arc::new(b)),
        }
    }

    /// The value as a big integer.
    pub fn to_big(&self) -> BigInt {
        match self {
            Int::Small(i) => BigInt::from(*i),
            Int::Big(b) => (**b).clone(),
        }
    }

    /// The value as an `i64`, if it fits.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Int::Small(i) => Some(*i),
            Int::Big(_) => None,
        }
    }
}

impl From<i64> for Int {
    fn from(i: i64) -> Int {
        Int::Small(i)
    }
}

impl From<BigInt> for Int {
    fn from(b: BigInt) -> Int {
        Int::from_big(b)
    }
}

/// A Python value.
#[derive(Clone, Debug)]
pub enum Value {
    /// `None`.
    None,
    /// `NotImplemented`.
    NotImplemented,
    /// `...`.
    Ellipsis,
    /// `True` or `False`.
    Bool(bool),
    /// An `int`.
    Int(Int),
    /// A `float`: a shared box, so `is` tells two float objects apart as
    /// CPython does (`nan is nan` holds for one object, not for two).
    Float(PyFloat),
    /// A `complex` (real, imaginary).
    Complex(f64, f64),
    /// A `str`.
    Str(PyStr),
    /// A `bytes`.
    Bytes(Arc<[u8]>),
    /// A `tuple`.
    Tuple(Arc<[Value]>),
    /// Any object in the heap.
    Obj(ObjId),
}

/// A float object: its value and, through the shared box, its identity.
#[derive(Clone, Debug)]
pub struct PyFloat(Arc<f64>);

impl PyFloat {
    /// A new float object.
    pub fn new(x: f64) -> PyFloat {
        PyFloat(Arc::new(x))
    }

    /// Its value.
    pub fn get(&self) -> f64 {
        *self.0
    }

    /// Whether `self` and `other` are the same object.
    pub fn is(&self, other: &PyFloat) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Value {
    /// A new `float` object.
    pub fn float(x: f64) -> Value {
        Value::Float(PyFloat::new(x))
    }

    /// A small `int`.
    pub fn int(i: i64) -> Value {
        Value::Int(Int::Small(i))
    }

    /// A `str` from Rust text.
    pub fn str(s: &str) -> Value {
        Value::Str(PyStr::from(s))
    }

    /// A tuple of the given items.
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(items.into())
    }

    /// The heap object this value names, if any.
    pub fn obj(&self) -> Option<ObjId> {
        match self {
            Value::Obj(id) => Some(*id),
            _ => None,
        }
    }

    /// Identity, as the `is` operator sees it. Inline values are identical
    /// when they are the same singleton or equal small scalars, which is
    /// what CPython 3.9 shows for the cases programs rely on (`x is None`,
    /// `b is True`, interned strings and small ints).
    pub fn is(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None)
            | (Value::NotImplemented, Value::NotImplemented)
            | (Value::Ellipsis, Value::Ellipsis) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(Int::Small(a)), Value::Int(Int::Small(b))) => a == b,
            (Value::Float(a), Value::Float(b)) => a.is(b),
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => Arc::ptr_eq(a, b),
            (Value::Tuple(a), Value::Tuple(b)) => {
                Arc::ptr_eq(a, b) || (a.is_empty() && b.is_empty())
            }
            (Value::Obj(a), Value::Obj(b)) => a == b,
            _ => false,
        }
    }
}

/// A dictionary: insertion-ordered entries with a hash index.
///
/// Lookup compares hashes first and then keys, as CPython does; the
/// comparison itself is done by the caller (it may run Python code), so
/// this type only stores and orders.
#[derive(Clone, Debug, Default)]
pub struct Dict {
    /// Entries in insertion order; `None` marks a deleted entry. Entries
    /// are added and removed only by [`Dict::push`] and
    /// [`Dict::remove_at`], which keep `index` in step.
    pub entries: Vec<Option<DictEntry>>,
    /// Live entries.
    pub len: usize,
    /// Positions in `entries` of the live entries with each hash, in
    /// insertion order: lookups compare only keys of equal hash, in the
    /// order a scan would meet them.
    index: std::collections::HashMap<i64, Vec<usize>>,
}

/// One key/value pair with the key's hash.
#[derive(Clone, Debug)]
pub struct DictEntry {
    /// The key's Python hash.
    pub hash: i64,
    /// The key.
    pub key: Value,
    /// The value.
    pub value: Value,
}

impl Dict {
    /// The live entries in order.
    pub fn iter(&self) -> impl Iterator<Item = &DictEntry> {
        self.entries.iter().flatten()
    }

    /// Index of the entry whose key is the string `name` (string keys need no
    /// Python-level comparison: equal strings are equal).
    pub fn find_str(&self, name: &PyStr) -> Option<usize> {
        let h = crate::pyhash::hash_str(name);
        self.candidates(h).find(|&i| {
            self.entries[i]
                .as_ref()
                .is_some_and(|e| matches!(&e.key, Value::Str(s) if s == name))
        })
    }

    /// Positions of the live entries whose hash is `hash`, oldest first.
    pub fn candidates(&self, hash: i64) -> impl Iterator<Item = usize> + '_ {
        self.index.get(&hash).into_iter().flatten().copied()
    }

    /// The value stored under the string key `name`.
    pub fn get_str(&self, name: &PyStr) -> Option<&Value> {
        self.find_str(name)
            .and_then(|i| self.entries[i].as_ref())
            .map(|e| &e.value)
    }

    /// Appends a new entry (the caller has checked the key is absent).
    pub fn push(&mut self, hash: i64, key: Value, value: Value) {
        self.index.entry(hash).or_default().push(self.entries.len());
        self.entries.push(Some(DictEntry { hash, key, value }));
        self.len += 1;
    }

    /// Removes the entry at `index`, keeping the order of the others.
    pub fn remove_at(&mut self, index: usize) -> Option<DictEntry> {
        let e = self.entries.get_mut(index)?.take();
        if let Some(removed) = &e {
            self.len -= 1;
            if let Some(list) = self.index.get_mut(&removed.hash) {
                list.retain(|&i| i != index);
                if list.is_empty() {
                    self.index.remove(&removed.hash);
                }
            }
        }
        // Compact when most slots are dead, so iteration stays linear in `len`.
        if self.entries.len() > 16 && self.len * 2 < self.entries.len() {
            self.entries.retain(Option::is_some);
            self.index.clear();
            for (i, e) in self.entries.iter().enumerate() {
                if let Some(e) = e {
                    self.index.entry(e.hash).or_default().push(i);
                }
            }
        }
        e
    }
}

/// Which kind of built-in type a type object is, or what a user class
/// inherits its instance layout from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Plain instances with a `__dict__`.
    Object,
    /// An exception (`BaseException` and subclasses).
    Exception,
    /// Values of a built-in type that has no subclassable layout here.
    Builtin,
}

/// A class: built-in or made by `class`.
#[derive(Clone, Debug)]
pub struct TypeObject {
    /// `__name__`.
    pub name: PyStr,
    /// `__qualname__`.
    pub qualname: PyStr,
    /// `__module__` (`builtins` for built-in types).
    pub module: PyStr,
    /// `__bases__`.
    pub bases: Vec<ObjId>,
    /// `__mro__`, this type first, computed by C3 linearization.
    pub mro: Vec<ObjId>,
    /// The class namespace, `__dict__`.
    pub dict: Dict,
    /// The instance layout inherited from the built-in base.
    pub layout: Layout,
    /// `__slots__` names, when the class (or a base) declares them and no
    /// `__dict__` is wanted.
    pub slots: Option<Vec<PyStr>>,
    /// The metaclass, when it is not `type`.
    pub metaclass: Option<ObjId>,
}

/// A function made by `MAKE_FUNCTION`.
#[derive(Clone, Debug)]
pub struct Function {
    /// The code it runs.
    pub code: Arc<CodeObject>,
    /// Its decoded instructions.
    pub decoded: Arc<crate::interp::Decoded>,
    /// `__name__`.
    pub name: PyStr,
    /// `__qualname__`.
    pub qualname: PyStr,
    /// The globals dict it was created in.
    pub globals: ObjId,
    /// `__defaults__`.
    pub defaults: Vec<Value>,
    /// `__kwdefaults__`.
    pub kwdefaults: Vec<(PyStr, Value)>,
    /// `__closure__`: the cells of its free variables.
    pub closure: Vec<ObjId>,
    /// `__annotations__`, if any.
    pub annotations: Option<Value>,
    /// `__doc__`.
    pub doc: Value,
    /// `__dict__` (function attributes).
    pub dict: Dict,
}

/// An exception's state beyond its `__dict__`.
#[derive(Clone, Debug, Default)]
pub struct ExceptionState {
    /// `args`.
    pub args: Vec<Value>,
    /// `__traceback__`: (code, line) from the innermost frame outwards
    /// reversed, i.e. in the order a traceback prints them.
    pub traceback: Vec<TracebackEntry>,
    /// `__cause__`.
    pub cause: Option<Value>,
    /// `__context__`.
    pub context: Option<Value>,
    /// `__suppress_context__`.
    pub suppress_context: bool,
}

/// One line of a traceback.
#[derive(Clone, Debug)]
pub struct TracebackEntry {
    /// The code object of the frame.
    pub code: Arc<CodeObject>,
    /// The line being executed.
    pub line: i64,
}

/// What a heap object is.
#[derive(Clone, Debug)]
pub enum Obj {
    /// A `list`.
    List(Vec<Value>),
    /// A `dict`.
    Dict(Dict),
    /// A class.
    Type(Box<TypeObject>),
    /// An instance of a user class or an exception.
    Instance {
        /// Its class.
        class: ObjId,
        /// Its `__dict__`: a dict object, so `obj.__dict__[k] = v` writes
        /// through.
        dict: ObjId,
        /// Exception state, for instances of exception classes.
        exception: Option<Box<ExceptionState>>,
        /// For an instance of a user subclass of a built-in type
        /// (`class X(list)`), the built-in value it extends.
        base: Option<Value>,
        /// The values of its `__slots__` that are set, by name; they live
        /// outside `__dict__`, reached through the class's member
        /// descriptors.
        slots: Vec<(PyStr, Value)>,
    },
    /// A function.
    Function(Box<Function>),
    /// A method bound to an instance.
    BoundMethod {
        /// The instance (`__self__`).
        receiver: Value,
        /// The function (`__func__`).
        function: Value,
    },
    /// A built-in function, or a built-in method not yet bound.
    Builtin {
        /// Which one.
        id: crate::builtins::BuiltinId,
        /// The bound receiver for methods of built-in types.
        receiver: Option<Value>,
    },
    /// A cell holding a closure variable (`None` when empty).
    Cell(Option<Value>),
    /// A module.
    Module {
        /// `__name__`.
        name: PyStr,
        /// Its globals.
        dict: ObjId,
    },
    /// An iterator over a sequence held by value (list, tuple, str, range...).
    Iterator(crate::interp::iter::IterState),
    /// A generator.
    Generator(Box<crate::interp::generator::GeneratorState>),
    /// A `range`.
    Range {
        /// Start.
        start: Int,
        /// Stop.
        stop: Int,
        /// Step (never 0).
        step: Int,
    },
    /// A `slice`.
    Slice {
        /// Start.
        start: Value,
        /// Stop.
        stop: Value,
        /// Step.
        step: Value,
    },
    /// A `set` (or `frozenset` when `frozen`), in CPython's table layout.
    Set {
        /// The hash table, whose slot order is the iteration order.
        table: crate::settable::SetTable<Value>,
        /// Whether it is a `frozenset`.
        frozen: bool,
    },
    /// `dict.keys()`, `dict.values()` or `dict.items()`.
    DictView {
        /// The dict.
        dict: ObjId,
        /// 0 keys, 1 values, 2 items.
        kind: u8,
    },
    /// A code object used as a value (`MAKE_FUNCTION`'s operand).
    Code(Arc<CodeObject>),
    /// `property(fget, fset, fdel, doc)`.
    Property {
        /// Getter.
        fget: Value,
        /// Setter.
        fset: Value,
        /// Deleter.
        fdel: Value,
        /// Docstring.
        doc: Value,
    },
    /// `staticmethod(f)`.
    StaticMethod(Value),
    /// `classmethod(f)`.
    ClassMethod(Value),
    /// `super(type, obj)`.
    Super {
        /// The class where the lookup starts after.
        this_class: ObjId,
        /// The instance or class the lookup binds to.
        receiver: Value,
    },
    /// A `bytearray`.
    ByteArray(Vec<u8>),
    /// A generator's frame (`gi_frame`), read through the generator.
    GeneratorFrame(ObjId),
    /// A `__slots__` entry in its class's dict (`member_descriptor`).
    MemberDescriptor {
        /// The slot name.
        name: PyStr,
        /// The class that declared it.
        class: ObjId,
    },
    /// A computed attribute of a built-in type, as its type's dict holds
    /// it (`int.real`: `getset_descriptor`); instances compute the value.
    GetSetDescriptor {
        /// The attribute name.
        name: PyStr,
        /// The built-in type.
        class: ObjId,
    },
    /// `C.__dict__`: a read-only view of a class namespace, here over a
    /// snapshot dict object.
    MappingProxy(ObjId),
    /// A dunder method of a built-in value (`[].__len__`, `it.__next__`):
    /// CPython's slot wrapper, bound to its receiver.
    SlotWrapper {
        /// The dunder name.
        name: PyStr,
        /// The value it is bound to.
        receiver: Value,
    },
}

/// All heap objects.
#[derive(Clone, Debug, Default)]
pub struct Heap {
    objects: imbl::Vector<Obj>,
}

impl Heap {
    /// Stores a new object and returns its name.
    pub fn alloc(&mut self, obj: Obj) -> ObjId {
        let id = ObjId(self.objects.len() as u32);
        self.objects.push_back(obj);
        id
    }

    /// The object named `id`.
    pub fn get(&self, id: ObjId) -> &Obj {
        &self.objects[id.0 as usize]
    }

    /// The object named `id`, for update.
    pub fn get_mut(&mut self, id: ObjId) -> &mut Obj {
        &mut self.objects[id.0 as usize]
    }

    /// How many objects have been allocated.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether nothing has been allocated.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}
