//! The mutating methods of `bytearray` (`Objects/bytearrayobject.c`).
//!
//! The non-mutating ones are the methods of `bytes`, shared through the
//! type's dict; see `strings::bytes_method`, which hands their results
//! back as `bytearray`s when called on one.

use super::{arg_count, name_of, Args, BuiltinId, Kwargs};
use crate::interp::ops::MAX_COLLECTION;
use crate::interp::{Fault, Machine, PyResult};
use crate::object::{Obj, ObjId, Value};
use num_traits::ToPrimitive;

/// An `int` (or `__index__` object) that must fit in one byte, as a
/// bytearray element: `byte must be in range(0, 256)` otherwise.
pub(crate) fn byte_of(m: &mut Machine, v: &Value) -> PyResult<u8> {
    let n = m.index_of(v, "'{}' object cannot be interpreted as an integer")?;
    n.to_u8()
        .ok_or_else(|| m.new_error("ValueError", "byte must be in range(0, 256)".into()))
}

/// The contents of the bytearray `v`, or the descriptor's TypeError.
fn contents(m: &mut Machine, v: Option<&Value>, name: &str) -> PyResult<(ObjId, Vec<u8>)> {
    if let Some(Value::Obj(id)) = v {
        if let Obj::ByteArray(b) = m.heap.get(*id) {
            return Ok((*id, b.clone()));
        }
    }
    Err(m.type_error(format!("descriptor '{name}' requires a 'bytearray' object")))
}

fn store(m: &mut Machine, id: ObjId, b: Vec<u8>) {
    *m.heap.get_mut(id) = Obj::ByteArray(b);
}

/// A signed position argument (`pop`, `insert`).
fn position(m: &mut Machine, v: &Value) -> PyResult<i64> {
    let i = m.index_of(v, "'{}' object cannot be interpreted as an integer")?;
    i.to_i64().ok_or_else(|| {
        m.new_error(
            "OverflowError",
            "Python int too large to convert to C ssize_t".into(),
        )
    })
}

/// `bytearray.append`, `extend`, `pop`, `insert`, `remove`, `clear`,
/// `copy` and `reverse`.
pub(super) fn bytearray_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let name = name_of(id);
    let (bid, mut b) = contents(m, args.first(), name)?;
    let rest: Args = args[1..].to_vec();
    if !kwargs.is_empty() {
        return Err(m.type_error(format!("{name}() takes no keyword arguments")));
    }
    match id {
        BytearrayAppend => {
            arg_count(m, name, &rest, 1, 1)?;
            let x = byte_of(m, &rest[0])?;
            if b.len() >= MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            b.push(x);
            store(m, bid, b);
        }
        BytearrayExtend => {
            arg_count(m, name, &rest, 1, 1)?;
            let more = match &rest[0] {
                Value::Bytes(x) => x.to_vec(),
                Value::Str(_) => {
                    return Err(m.type_error("expected iterable of integers; got: 'str'".into()))
                }
                v => {
                    let items = m.collect(v)?;
                    let mut out = Vec::with_capacity(items.len());
                    for i in &items {
                        out.push(byte_of(m, i)?);
                    }
                    out
                }
            };
            // Re-read: collecting may have run code that changed the array.
            let (_, mut b) = contents(m, args.first(), name)?;
            if b.len() + more.len() > MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            b.extend(more);
            store(m, bid, b);
        }
        BytearrayPop => {
            arg_count(m, name, &rest, 0, 1)?;
            let index = match rest.first() {
                Some(v) => Some(position(m, v)?),
                None => None,
            };
            if b.is_empty() {
                return Err(m.new_error("IndexError", "pop from empty bytearray".into()));
            }
            let Some(j) = super::collections::pop_position(b.len(), index) else {
                return Err(m.new_error("IndexError", "pop index out of range".into()));
            };
            let x = b.remove(j);
            store(m, bid, b);
            return Ok(Value::int(i64::from(x)));
        }
        BytearrayInsert => {
            arg_count(m, name, &rest, 2, 2)?;
            let i = position(m, &rest[0])?;
            let x = byte_of(m, &rest[1])?;
            let (_, mut b) = contents(m, args.first(), name)?;
            if b.len() >= MAX_COLLECTION {
                return Err(m.new_error_args("MemoryError", vec![]));
            }
            let n = b.len() as i64;
            let j = if i < 0 { (i + n).max(0) } else { i.min(n) };
            b.insert(j as usize, x);
            store(m, bid, b);
        }
        BytearrayRemove => {
            arg_count(m, name, &rest, 1, 1)?;
            let x = byte_of(m, &rest[0])?;
            match b.iter().position(|&c| c == x) {
                Some(i) => {
                    b.remove(i);
                    store(m, bid, b);
                }
                None => {
                    return Err(m.new_error("ValueError", "value not found in bytearray".into()))
                }
            }
        }
        BytearrayClear | BytearrayCopy | BytearrayReverse => {
            if !rest.is_empty() {
                return Err(m.type_error(format!(
                    "{name}() takes no arguments ({} given)",
                    rest.len()
                )));
            }
            match id {
                BytearrayClear => store(m, bid, Vec::new()),
                BytearrayCopy => return Ok(Value::Obj(m.heap.alloc(Obj::ByteArray(b)))),
                _ => {
                    b.reverse();
                    store(m, bid, b);
                }
            }
        }
        _ => return Err(Fault::Stuck(format!("bytearray_method called for {name}"))),
    }
    Ok(Value::None)
}
