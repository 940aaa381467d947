//! The heap: objects with non-atomic reference counts, in one vector of
//! slots reused through a free list. Freeing an object decrements what it
//! holds, iteratively (a long list of lists does not recurse). Reference
//! cycles are not collected yet.

use crate::code::VmCode;
use crate::value::{ObjRef, Value};
use num_bigint::BigInt;
use std::rc::Rc;

/// The built-in exception classes the VM raises and matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    /// `BaseException`.
    BaseException,
    /// `Exception`.
    Exception,
    /// `TypeError`.
    TypeError,
    /// `ValueError`.
    ValueError,
    /// `NameError`.
    NameError,
    /// `UnboundLocalError`.
    UnboundLocalError,
    /// `ZeroDivisionError`.
    ZeroDivisionError,
    /// `IndexError`.
    IndexError,
    /// `KeyError`.
    KeyError,
    /// `RecursionError`.
    RecursionError,
    /// `StopIteration`.
    StopIteration,
    /// `AttributeError`.
    AttributeError,
    /// `OverflowError`.
    OverflowError,
    /// `RuntimeError`.
    RuntimeError,
    /// `MemoryError`.
    MemoryError,
}

impl ExcKind {
    /// Every kind, for the built-in names.
    pub const ALL: [ExcKind; 15] = [
        ExcKind::BaseException,
        ExcKind::Exception,
        ExcKind::TypeError,
        ExcKind::ValueError,
        ExcKind::NameError,
        ExcKind::UnboundLocalError,
        ExcKind::ZeroDivisionError,
        ExcKind::IndexError,
        ExcKind::KeyError,
        ExcKind::RecursionError,
        ExcKind::StopIteration,
        ExcKind::AttributeError,
        ExcKind::OverflowError,
        ExcKind::RuntimeError,
        ExcKind::MemoryError,
    ];

    /// The class name.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::BaseException => "BaseException",
            ExcKind::Exception => "Exception",
            ExcKind::TypeError => "TypeError",
            ExcKind::ValueError => "ValueError",
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::IndexError => "IndexError",
            ExcKind::KeyError => "KeyError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::StopIteration => "StopIteration",
            ExcKind::AttributeError => "AttributeError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::MemoryError => "MemoryError",
        }
    }

    /// The base class (`None` for `BaseException`).
    pub fn base(self) -> Option<ExcKind> {
        match self {
            ExcKind::BaseException => None,
            ExcKind::Exception => Some(ExcKind::BaseException),
            ExcKind::UnboundLocalError => Some(ExcKind::NameError),
            ExcKind::ZeroDivisionError | ExcKind::OverflowError => Some(ExcKind::Exception),
            ExcKind::IndexError | ExcKind::KeyError => Some(ExcKind::Exception),
            ExcKind::RecursionError => Some(ExcKind::Exception),
            _ => Some(ExcKind::Exception),
        }
    }

    /// Whether `self` is `other` or a subclass of it.
    pub fn is_subclass(self, other: ExcKind) -> bool {
        let mut k = Some(self);
        while let Some(x) = k {
            if x == other {
                return true;
            }
            k = x.base();
        }
        false
    }
}

/// A built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    /// `print`.
    Print,
    /// `range`.
    Range,
    /// `len`.
    Len,
    /// `abs`.
    Abs,
    /// `str`.
    Str,
    /// `repr`.
    Repr,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `sum`.
    Sum,
    /// `pow`.
    Pow,
}

/// A method of a built-in type, as `LOAD_METHOD` finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `list.append`.
    ListAppend,
    /// `list.pop`.
    ListPop,
}

/// A function made by `MAKE_FUNCTION`.
#[derive(Debug)]
pub struct Function {
    /// Its code, prepared for the VM.
    pub code: Rc<VmCode>,
    /// `__qualname__`.
    pub name: Box<str>,
    /// Default values of the last parameters.
    pub defaults: Box<[Value]>,
    /// The cells of the free variables (`__closure__`).
    pub closure: Box<[Value]>,
}

/// A heap object.
#[derive(Debug)]
pub enum Obj {
    /// A free slot.
    Free,
    /// A `str`.
    Str(Box<str>),
    /// An `int` beyond 64 bits.
    Big(BigInt),
    /// A `tuple`.
    Tuple(Box<[Value]>),
    /// A `list`.
    List(Vec<Value>),
    /// A Python function.
    Function(Function),
    /// A built-in function.
    Builtin(Builtin),
    /// A built-in method (its `self` travels beside it).
    Method(Method),
    /// A `range`.
    Range(i64, i64, i64),
    /// An iterator over a range: next value, stop, step.
    RangeIter(i64, i64, i64),
    /// An iterator over a list, tuple or str: the sequence and the index.
    SeqIter(Value, usize),
    /// A built-in exception class.
    ExcType(ExcKind),
    /// An exception instance.
    Exc(ExcKind, Box<[Value]>),
    /// A cell (a variable shared with closures); `Empty` when unbound.
    Cell(Value),
}

struct Slot {
    rc: u32,
    obj: Obj,
}

/// The object store.
#[derive(Default)]
pub struct Heap {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

impl Heap {
    /// Stores `obj` with no references yet (the caller stores the value
    /// somewhere, which takes the first).
    pub fn alloc(&mut self, obj: Obj) -> Value {
        let r = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Slot { rc: 0, obj };
                i
            }
            None => {
                self.slots.push(Slot { rc: 0, obj });
                (self.slots.len() - 1) as u32
            }
        };
        Value::Obj(ObjRef(r))
    }

    /// The object `r` names.
    #[inline]
    pub fn get(&self, r: ObjRef) -> &Obj {
        &self.slots[r.0 as usize].obj
    }

    /// The object `r` names, to change it.
    #[inline]
    pub fn get_mut(&mut self, r: ObjRef) -> &mut Obj {
        &mut self.slots[r.0 as usize].obj
    }

    /// Objects alive.
    pub fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Takes a reference to `v`'s object.
    #[inline]
    pub fn incref(&mut self, v: Value) {
        if let Value::Obj(r) = v {
            self.slots[r.0 as usize].rc += 1;
        }
    }

    /// Drops a reference to `v`'s object, freeing it (and what it holds)
    /// at zero.
    #[inline]
    pub fn decref(&mut self, v: Value) {
        if let Value::Obj(r) = v {
            let s = &mut self.slots[r.0 as usize];
            s.rc = s.rc.saturating_sub(1);
            if s.rc == 0 {
                self.free_from(r);
            }
        }
    }

    /// Frees `r` and everything only it kept alive.
    #[cold]
    fn free_from(&mut self, r: ObjRef) {
        let mut todo = vec![r];
        while let Some(r) = todo.pop() {
            let obj = std::mem::replace(&mut self.slots[r.0 as usize].obj, Obj::Free);
            self.free.push(r.0);
            let drop_ref = |v: Value, todo: &mut Vec<ObjRef>, slots: &mut Vec<Slot>| {
                if let Value::Obj(c) = v {
                    let s = &mut slots[c.0 as usize];
                    s.rc = s.rc.saturating_sub(1);
                    if s.rc == 0 {
                        todo.push(c);
                    }
                }
            };
            match obj {
                Obj::Tuple(xs) | Obj::Exc(_, xs) => {
                    for v in xs.iter() {
                        drop_ref(*v, &mut todo, &mut self.slots);
                    }
                }
                Obj::List(xs) => {
                    for v in xs {
                        drop_ref(v, &mut todo, &mut self.slots);
                    }
                }
                Obj::Function(f) => {
                    for v in f.defaults.iter().chain(f.closure.iter()) {
                        drop_ref(*v, &mut todo, &mut self.slots);
                    }
                }
                Obj::Cell(v) => drop_ref(v, &mut todo, &mut self.slots),
                Obj::SeqIter(v, _) => drop_ref(v, &mut todo, &mut self.slots),
                _ => {}
            }
        }
    }
}
