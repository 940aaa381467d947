//! The VM's value: 16 bytes, `Copy`, with `int`, `float`, `bool` and
//! `None` unboxed; everything else is a reference-counted heap object.
//!
//! A `Value` is not itself counted: the owner of a slot (a register, a
//! container element, a global) holds one reference to the object it
//! names, and every store into a slot increments the new object and
//! decrements the old one ([`crate::heap::Heap::incref`],
//! [`crate::heap::Heap::decref`]). Copying a `Value` in Rust code without
//! storing it takes no reference.

/// A heap object's name (an index into the heap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ObjRef(pub u32);

/// A Python value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// No value: an unbound local or a cleared temporary.
    Empty,
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An `int` that fits in 64 bits (larger ones are heap big integers).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A heap object.
    Obj(ObjRef),
}

impl Value {
    /// The heap object this value names, if any.
    #[inline]
    pub fn obj(self) -> Option<ObjRef> {
        match self {
            Value::Obj(r) => Some(r),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_value_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<super::Value>(), 16);
    }
}
