//! `bytes` and `bytearray`, with CPython 3.9's semantics (the spec's
//! `builtins/bytes.rs` and `bytearray.rs` are the reference): operators,
//! indexing and slicing, slice assignment of bytearrays, `bytes % args`,
//! the constructors, `str.encode`/`bytes.decode` (UTF-8, ASCII, Latin-1),
//! and the methods. A `bytes` method called on a bytearray computes the
//! same bytes and returns a bytearray.

use super::ops::slice_positions;
use super::{gap, Fault, Res, Vm};
use crate::code::Bin;
use crate::heap::{ExcKind, Obj};
use crate::value::Value;
use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive, Zero};
use pyreg_spec::pyformat::{self, FormatError, PercentArg, PercentArgs, PercentSource};
use std::cmp::Ordering;

/// `Py_ISSPACE`: the ASCII whitespace of `bytes` methods.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

fn find_sub(h: &[u8], n: &[u8], from: usize) -> Option<usize> {
    if n.is_empty() {
        return (from <= h.len()).then_some(from);
    }
    if n.len() > h.len() {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| &h[i..i + n.len()] == n)
}

fn rfind_sub(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len())
        .rev()
        .find(|&i| &h[i..i + n.len()] == n)
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

/// The codecs the VM has.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codec {
    Utf8,
    Ascii,
    Latin1,
}

impl Codec {
    fn name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
        }
    }
}

/// The codec an encoding name names, as CPython's codec lookup
/// normalizes it.
fn codec(vm: &mut Vm, name: &str) -> Res<Codec> {
    let norm: String = name
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    Ok(match norm.as_str() {
        "utf-8" | "utf8" | "u8" | "utf" | "cp65001" => Codec::Utf8,
        "ascii" | "us-ascii" | "646" | "us" => Codec::Ascii,
        "latin-1" | "latin1" | "latin" | "l1" | "iso-8859-1" | "iso8859-1" | "8859" | "cp819"
        | "iso-ir-100" => Codec::Latin1,
        _ => return Err(vm.error(ExcKind::LookupError, format!("unknown encoding: {name}"))),
    })
}

/// The error handlers the VM has.
fn handler(vm: &mut Vm, errors: &str) -> Res<u8> {
    match errors {
        "strict" => Ok(0),
        "ignore" => Ok(1),
        "replace" => Ok(2),
        "surrogateescape" | "backslashreplace" | "xmlcharrefreplace" | "namereplace"
        | "surrogatepass" => gap(format!("the `{errors}` codec error handler")),
        _ => Err(vm.error(
            ExcKind::LookupError,
            format!("unknown error handler name '{errors}'"),
        )),
    }
}

/// How a character shows in an encode error: `'\xe9'`, `'\u20ac'`.
fn char_escape(c: char) -> String {
    let n = c as u32;
    if n < 0x100 {
        format!("'\\x{n:02x}'")
    } else if n < 0x10000 {
        format!("'\\u{n:04x}'")
    } else {
        format!("'\\U{n:08x}'")
    }
}

/// `s.encode(encoding, errors)`.
pub(super) fn encode(vm: &mut Vm, s: &str, encoding: &str, errors: &str) -> Res<Vec<u8>> {
    let c = codec(vm, encoding)?;
    let h = handler(vm, errors)?;
    if c == Codec::Utf8 {
        return Ok(s.as_bytes().to_vec());
    }
    let limit = if c == Codec::Ascii { 0x80 } else { 0x100 };
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let n = chars[i] as u32;
        if n < limit {
            out.push(n as u8);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j] as u32 >= limit {
            j += 1;
        }
        match h {
            0 => {
                let what = if j - i == 1 {
                    format!("character {} in position {i}", char_escape(chars[i]))
                } else {
                    format!("characters in position {i}-{}", j - 1)
                };
                return Err(vm.error(
                    ExcKind::UnicodeEncodeError,
                    format!(
                        "'{}' codec can't encode {what}: ordinal not in range({limit})",
                        c.name()
                    ),
                ));
            }
            1 => {}
            _ => out.extend(std::iter::repeat_n(b'?', j - i)),
        }
        i = j;
    }
    Ok(out)
}

/// `b.decode(encoding, errors)`.
pub(super) fn decode(vm: &mut Vm, b: &[u8], encoding: &str, errors: &str) -> Res<String> {
    let c = codec(vm, encoding)?;
    let h = handler(vm, errors)?;
    match c {
        Codec::Latin1 => Ok(latin1(b)),
        Codec::Ascii => {
            let mut out = String::with_capacity(b.len());
            for (i, &x) in b.iter().enumerate() {
                if x < 0x80 {
                    out.push(char::from(x));
                } else {
                    match h {
                        0 => {
                            return Err(vm.error(
                                ExcKind::UnicodeDecodeError,
                                format!(
                                    "'ascii' codec can't decode byte 0x{x:02x} in position {i}: ordinal not in range(128)"
                                ),
                            ))
                        }
                        1 => {}
                        _ => out.push('\u{FFFD}'),
                    }
                }
            }
            Ok(out)
        }
        Codec::Utf8 => {
            let mut out = String::with_capacity(b.len());
            let mut pos = 0;
            loop {
                match std::str::from_utf8(&b[pos..]) {
                    Ok(s) => {
                        out.push_str(s);
                        return Ok(out);
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        out.push_str(std::str::from_utf8(&b[pos..pos + good]).unwrap_or(""));
                        let start = pos + good;
                        let (len, reason) = match e.error_len() {
                            Some(n) => {
                                let lead = b[start];
                                let invalid_start = (0x80..0xC2).contains(&lead) || lead > 0xF4;
                                (
                                    n,
                                    if invalid_start {
                                        "invalid start byte"
                                    } else {
                                        "invalid continuation byte"
                                    },
                                )
                            }
                            None => (b.len() - start, "unexpected end of data"),
                        };
                        if h == 0 {
                            let what = if len == 1 {
                                format!("byte 0x{:02x} in position {start}", b[start])
                            } else {
                                format!("bytes in position {start}-{}", start + len - 1)
                            };
                            return Err(vm.error(
                                ExcKind::UnicodeDecodeError,
                                format!("'utf-8' codec can't decode {what}: {reason}"),
                            ));
                        }
                        if h == 2 {
                            out.push('\u{FFFD}');
                        }
                        pos = start + len;
                    }
                }
            }
        }
    }
}

impl Vm {
    /// The contents of a bytes-like object (`bytes`, `bytearray`),
    /// borrowed.
    pub(super) fn bytes_of(&self, v: Value) -> Option<&[u8]> {
        match self.heap.obj(v) {
            Some(Obj::Bytes(b)) => Some(b),
            Some(Obj::ByteArray(b)) => Some(b),
            _ => None,
        }
    }

    /// Whether `v` is a `bytearray`.
    pub(super) fn is_bytearray(&self, v: Value) -> bool {
        matches!(self.heap.obj(v), Some(Obj::ByteArray(_)))
    }

    /// A new `bytes`, owned.
    pub(super) fn new_bytes(&mut self, b: Vec<u8>) -> Value {
        self.heap.alloc(Obj::Bytes(b.into_boxed_slice()))
    }

    /// A new `bytes` or `bytearray`, owned.
    fn new_bytes_like(&mut self, bytearray: bool, b: Vec<u8>) -> Value {
        if bytearray {
            self.heap.alloc(Obj::ByteArray(b))
        } else {
            self.new_bytes(b)
        }
    }

    /// A bytes-like argument, or CPython's TypeError.
    fn need_bytes(&mut self, v: Value) -> Res<Vec<u8>> {
        match self.bytes_of(v) {
            Some(b) => Ok(b.to_vec()),
            None => {
                let t = self.type_name(v);
                Err(self.error(
                    ExcKind::TypeError,
                    format!("a bytes-like object is required, not '{t}'"),
                ))
            }
        }
    }

    /// An int argument in `range(0, 256)`.
    fn byte_value(&mut self, v: Value) -> Res<u8> {
        let i = match self
            .index_value(v)
            .filter(|_| !matches!(v, Value::Float(_)))
        {
            Some(i) => i,
            None if self.special(v, "__index__").is_some() => self.user_index(v)?,
            None => {
                let t = self.type_name(v);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("'{t}' object cannot be interpreted as an integer"),
                ));
            }
        };
        u8::try_from(i)
            .map_err(|_| self.error(ExcKind::ValueError, "byte must be in range(0, 256)".into()))
    }

    /// `a op b` with `a` or `b` bytes-like: concatenation, repetition,
    /// `%`; `None` for the other cases.
    pub(super) fn bytes_binary(
        &mut self,
        op: Bin,
        inplace: bool,
        a: Value,
        b: Value,
    ) -> Res<Option<Value>> {
        let ba = self.is_bytearray(a);
        match op {
            Bin::Add => {
                let (Some(x), Some(y)) = (self.bytes_of(a), self.bytes_of(b)) else {
                    return Ok(None);
                };
                if super::ops::too_big(x.len() + y.len()) {
                    return Err(self.memory_error());
                }
                let mut out = Vec::with_capacity(x.len() + y.len());
                out.extend_from_slice(x);
                out.extend_from_slice(y);
                if ba && inplace {
                    if let Some(Obj::ByteArray(v)) = a.obj().map(|r| self.heap.get_mut(r)) {
                        *v = out;
                    }
                    return Ok(Some(self.heap.own(a)));
                }
                Ok(Some(self.new_bytes_like(ba, out)))
            }
            Bin::Mul => {
                let (seq, n, ba) = match (self.bytes_of(a), self.bytes_of(b)) {
                    (Some(_), _) if self.as_big(b).is_some() => (a, self.as_big(b), ba),
                    (None, Some(_)) if self.as_big(a).is_some() => {
                        (b, self.as_big(a), self.is_bytearray(b))
                    }
                    _ => return Ok(None),
                };
                let n = n.unwrap_or_default();
                let n = if n.is_negative() {
                    0
                } else {
                    n.to_usize().unwrap_or(usize::MAX)
                };
                let x = self.bytes_of(seq).unwrap_or_default();
                if super::ops::too_big(x.len().saturating_mul(n)) {
                    return Err(self.memory_error());
                }
                let out = x.repeat(n);
                if ba && inplace && seq == a {
                    if let Some(Obj::ByteArray(v)) = a.obj().map(|r| self.heap.get_mut(r)) {
                        *v = out;
                    }
                    return Ok(Some(self.heap.own(a)));
                }
                Ok(Some(self.new_bytes_like(ba, out)))
            }
            Bin::Mod => {
                let Some(fmt) = self.bytes_of(a) else {
                    return Ok(None);
                };
                let fmt = latin1(fmt);
                let out = self.bytes_percent(&fmt, b)?;
                Ok(Some(self.new_bytes_like(ba, out)))
            }
            _ => Ok(None),
        }
    }

    /// The order of two bytes-like objects; `None` when they are not both.
    pub(super) fn bytes_order(&self, a: Value, b: Value) -> Option<Ordering> {
        Some(self.bytes_of(a)?.cmp(self.bytes_of(b)?))
    }

    /// An index into bytes-like `c` of `len` items.
    fn byte_index(&mut self, k: Value, len: usize, ba: bool) -> Res<usize> {
        let i = match self.index_value(k) {
            Some(i) => i,
            None if self.special(k, "__index__").is_some() => self.user_index(k)?,
            None => {
                let t = self.type_name(k);
                let what = if ba { "bytearray" } else { "byte" };
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("{what} indices must be integers or slices, not {t}"),
                ));
            }
        };
        let j = if i < 0 {
            i.saturating_add(len as i64)
        } else {
            i
        };
        if j < 0 || j >= len as i64 {
            let msg = if ba {
                "bytearray index out of range"
            } else {
                "index out of range"
            };
            return Err(self.error(ExcKind::IndexError, msg.into()));
        }
        Ok(j as usize)
    }

    /// `c[k]` of bytes-like `c`, owned.
    pub(super) fn bytes_subscript(&mut self, c: Value, k: Value) -> Res<Value> {
        let ba = self.is_bytearray(c);
        let len = self.bytes_of(c).map_or(0, <[u8]>::len);
        if matches!(self.heap.obj(k), Some(Obj::Slice(..))) {
            let (a, z, s) = self.slice_indices(k, len)?;
            let b = self.bytes_of(c).unwrap_or_default();
            let out: Vec<u8> = if s == 1 {
                if a < z {
                    b[a as usize..z as usize].to_vec()
                } else {
                    Vec::new()
                }
            } else {
                slice_positions(a, z, s).map(|i| b[i]).collect()
            };
            return Ok(self.new_bytes_like(ba, out));
        }
        let i = self.byte_index(k, len, ba)?;
        Ok(Value::Int(i64::from(self.bytes_of(c).map_or(0, |b| b[i]))))
    }

    /// The bytes of the right side of a bytearray slice assignment.
    fn assigned_bytes(&mut self, v: Value) -> Res<Vec<u8>> {
        if let Some(b) = self.bytes_of(v) {
            return Ok(b.to_vec());
        }
        if matches!(v, Value::Int(_) | Value::Bool(_)) || self.heap.as_str(v).is_some() {
            return Err(self.error(
                ExcKind::TypeError,
                "can assign only bytes, buffers, or iterables of ints in range(0, 256)".into(),
            ));
        }
        let items = self.collect(v)?;
        let mut out = Vec::with_capacity(items.len());
        for x in &items {
            match self.byte_value(*x) {
                Ok(b) => out.push(b),
                Err(e) => {
                    self.heap.decref_all(items);
                    return Err(e);
                }
            }
        }
        self.heap.decref_all(items);
        Ok(out)
    }

    /// `c[k] = v` for a bytearray `c`.
    pub(super) fn bytearray_store(&mut self, c: Value, k: Value, v: Value) -> Res<()> {
        let len = self.bytes_of(c).map_or(0, <[u8]>::len);
        let Some(r) = c.obj() else {
            return self.broken("a bytearray");
        };
        if matches!(self.heap.obj(k), Some(Obj::Slice(..))) {
            let (a, z, s) = self.slice_indices(k, len)?;
            let new = self.assigned_bytes(v)?;
            if s == 1 {
                let z = z.max(a);
                if let Obj::ByteArray(b) = self.heap.get_mut(r) {
                    b.splice(a as usize..z as usize, new);
                }
                return Ok(());
            }
            let pos: Vec<usize> = slice_positions(a, z, s).collect();
            if pos.len() != new.len() {
                return Err(self.error(
                    ExcKind::ValueError,
                    format!(
                        "attempt to assign bytes of size {} to extended slice of size {}",
                        new.len(),
                        pos.len()
                    ),
                ));
            }
            if let Obj::ByteArray(b) = self.heap.get_mut(r) {
                for (p, x) in pos.into_iter().zip(new) {
                    b[p] = x;
                }
            }
            return Ok(());
        }
        let i = self.byte_index(k, len, true)?;
        let x = self.byte_value(v)?;
        if let Obj::ByteArray(b) = self.heap.get_mut(r) {
            b[i] = x;
        }
        Ok(())
    }

    /// `del c[k]` for a bytearray `c`.
    pub(super) fn bytearray_delete(&mut self, c: Value, k: Value) -> Res<()> {
        let len = self.bytes_of(c).map_or(0, <[u8]>::len);
        let Some(r) = c.obj() else {
            return self.broken("a bytearray");
        };
        let mut pos: Vec<usize> = if matches!(self.heap.obj(k), Some(Obj::Slice(..))) {
            let (a, z, s) = self.slice_indices(k, len)?;
            slice_positions(a, z, s).collect()
        } else {
            vec![self.byte_index(k, len, true)?]
        };
        pos.sort_unstable();
        if let Obj::ByteArray(b) = self.heap.get_mut(r) {
            let mut n = 0;
            let mut keep = pos.iter().peekable();
            b.retain(|_| {
                let drop = keep.peek() == Some(&&n);
                if drop {
                    keep.next();
                }
                n += 1;
                !drop
            });
        }
        Ok(())
    }

    /// `item in c` for bytes-like `c`.
    pub(super) fn bytes_contains(&mut self, c: Value, item: Value) -> Res<bool> {
        let needle: Vec<u8> = match self.bytes_of(item) {
            Some(b) => b.to_vec(),
            None if self.index_value(item).is_some() && !matches!(item, Value::Float(_)) => {
                vec![self.byte_value(item)?]
            }
            None if self.special(item, "__index__").is_some() => vec![self.byte_value(item)?],
            None => {
                let t = self.type_name(item);
                return Err(self.error(
                    ExcKind::TypeError,
                    format!("a bytes-like object is required, not '{t}'"),
                ));
            }
        };
        let h = self.bytes_of(c).unwrap_or_default();
        Ok(find_sub(h, &needle, 0).is_some())
    }

    /// `fmt % args` for a bytes format (Latin-1 text here).
    fn bytes_percent(&mut self, fmt: &str, args: Value) -> Res<Vec<u8>> {
        let pargs = match self.heap.obj(args) {
            Some(Obj::Tuple(xs)) => PercentArgs::Tuple(xs.to_vec()),
            Some(Obj::Dict(_)) => PercentArgs::Mapping(args),
            Some(Obj::Instance(_)) if self.special(args, "__getitem__").is_some() => {
                PercentArgs::Mapping(args)
            }
            _ => PercentArgs::Single(args),
        };
        let mut src = BytesSource { vm: self };
        match pyformat::percent_format(fmt, pargs, &mut src) {
            Ok(s) => Ok(s.chars().map(|c| c as u32 as u8).collect()),
            Err(PercentFault::Fault(f)) => Err(f),
            Err(PercentFault::Format(e)) => {
                let kind = match e.exception_type() {
                    "TypeError" => ExcKind::TypeError,
                    "OverflowError" => ExcKind::OverflowError,
                    "KeyError" => ExcKind::KeyError,
                    _ => ExcKind::ValueError,
                };
                Err(self.error(kind, e.to_string()))
            }
        }
    }

    /// The bytes `bytes(v)` makes of a non-str argument (`bytearray`
    /// says `byte` where `bytes` says `bytes` in its range error).
    fn bytes_from(&mut self, v: Value, bytearray: bool) -> Res<Vec<u8>> {
        if let Some(b) = self.bytes_of(v) {
            return Ok(b.to_vec());
        }
        if !bytearray {
            if let Some(f) = self.special(v, "__bytes__") {
                let r = self.call_value(f, &[v], &[])?;
                return match self.heap.obj(r) {
                    Some(Obj::Bytes(b)) => {
                        let b = b.to_vec();
                        self.heap.decref(r);
                        Ok(b)
                    }
                    _ => {
                        let t = self.type_name(r);
                        self.heap.decref(r);
                        Err(self.error(
                            ExcKind::TypeError,
                            format!("__bytes__ returned non-bytes (type {t})"),
                        ))
                    }
                };
            }
        }
        let count = match v {
            Value::Int(_) | Value::Bool(_) => self.index_value(v),
            _ if matches!(self.heap.obj(v), Some(Obj::Big(_))) => self.index_value(v),
            _ if self.special(v, "__index__").is_some() => Some(self.user_index(v)?),
            _ => None,
        };
        if let Some(n) = count {
            if n < 0 {
                return Err(self.error(ExcKind::ValueError, "negative count".into()));
            }
            if super::ops::too_big(n as usize) {
                return Err(self.memory_error());
            }
            return Ok(vec![0; n as usize]);
        }
        let iterable = matches!(
            self.heap.obj(v),
            Some(
                Obj::List(_)
                    | Obj::Tuple(_)
                    | Obj::Set(_)
                    | Obj::FrozenSet(_)
                    | Obj::Dict(_)
                    | Obj::Range(..)
                    | Obj::Iter(_)
                    | Obj::Generator(_)
                    | Obj::View(_)
            )
        ) || self.special(v, "__iter__").is_some();
        if !iterable {
            let t = self.type_name(v);
            let msg = if bytearray {
                format!("cannot convert '{t}' object to bytearray")
            } else {
                format!("cannot convert '{t}' object to bytes")
            };
            return Err(self.error(ExcKind::TypeError, msg));
        }
        let items = self.collect(v)?;
        let mut out = Vec::with_capacity(items.len());
        for x in &items {
            let b = match self.byte_value(*x) {
                Ok(b) => b,
                Err(Fault::Raise(e)) if !bytearray && self.is_value_error(e) => {
                    self.heap.decref(e);
                    self.heap.decref_all(items);
                    return Err(
                        self.error(ExcKind::ValueError, "bytes must be in range(0, 256)".into())
                    );
                }
                Err(e) => {
                    self.heap.decref_all(items);
                    return Err(e);
                }
            };
            out.push(b);
        }
        self.heap.decref_all(items);
        Ok(out)
    }

    fn is_value_error(&self, e: Value) -> bool {
        let t = self.type_of(e);
        self.is_subclass(t, self.types.exc(ExcKind::ValueError))
    }
}

/// Why bytes `%` formatting stopped.
enum PercentFault {
    Fault(Fault),
    Format(FormatError),
}

impl From<FormatError> for PercentFault {
    fn from(e: FormatError) -> Self {
        PercentFault::Format(e)
    }
}

/// The `%`-formatting bridge for `bytes % args`: text is Latin-1, one
/// char a byte; `%s`/`%b` take a bytes-like object, `%r`/`%a` are
/// `ascii()`, `%c` an int in `range(256)` or one byte.
struct BytesSource<'a> {
    vm: &'a mut Vm,
}

impl PercentSource for BytesSource<'_> {
    type Value = Value;
    type Error = PercentFault;

    fn get_item(&mut self, mapping: &Value, key: &str) -> Result<Value, PercentFault> {
        let k = self
            .vm
            .new_bytes(key.chars().map(|c| c as u32 as u8).collect());
        let r = self.vm.subscript(*mapping, k);
        self.vm.heap.decref(k);
        // The value stays alive in the mapping while formatting runs.
        r.inspect(|v| self.vm.heap.decref(*v))
            .map_err(PercentFault::Fault)
    }

    fn convert(
        &mut self,
        value: &Value,
        request: pyformat::ArgRequest,
    ) -> Result<PercentArg, PercentFault> {
        use pyformat::ArgRequest as R;
        let v = *value;
        let vm = &mut *self.vm;
        let unsupported = |vm: &Vm| PercentArg::Unsupported {
            type_name: vm.type_name(v),
        };
        Ok(match request {
            R::Str => match vm.bytes_of(v) {
                Some(b) => PercentArg::Str(latin1(b)),
                None => {
                    let t = vm.type_name(v);
                    return Err(PercentFault::Fault(vm.error(
                        ExcKind::TypeError,
                        format!(
                            "%b requires a bytes-like object, or an object that implements __bytes__, not '{t}'"
                        ),
                    )));
                }
            },
            R::Repr | R::Ascii => PercentArg::Str(vm.ascii(v).map_err(PercentFault::Fault)?),
            R::Char => {
                let b = if let Some(i) = vm.as_big(v) {
                    match i.to_u8() {
                        Some(b) => b,
                        None => {
                            return Err(PercentFault::Fault(
                                vm.error(ExcKind::OverflowError, "%c arg not in range(256)".into()),
                            ))
                        }
                    }
                } else {
                    match vm.bytes_of(v) {
                        Some(b) if b.len() == 1 => b[0],
                        _ => {
                            return Err(PercentFault::Fault(vm.error(
                                ExcKind::TypeError,
                                "%c requires an integer in range(256) or a single byte".into(),
                            )))
                        }
                    }
                };
                PercentArg::Str(latin1(&[b]))
            }
            R::Star | R::Index => match vm.as_big(v) {
                Some(b) => PercentArg::Int(b),
                None => unsupported(vm),
            },
            R::Number | R::Float => match v {
                Value::Float(f) => PercentArg::Float(f),
                _ => match vm.as_big(v) {
                    Some(b) => PercentArg::Int(b),
                    None => unsupported(vm),
                },
            },
        })
    }

    fn formats_bytes(&self) -> bool {
        true
    }
}

// ---- constructors ----

/// The `(source, encoding, errors)` arguments of `bytes()`/`bytearray()`.
fn ctor_args(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> Res<[Option<Value>; 3]> {
    if args.len() > 3 {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("{name}() takes at most 3 arguments ({} given)", args.len()),
        ));
    }
    let mut slots = [
        args.first().copied(),
        args.get(1).copied(),
        args.get(2).copied(),
    ];
    for (k, v) in kwargs {
        let key = vm.heap.as_str(*k).unwrap_or("").to_string();
        let i = match key.as_str() {
            "source" => 0,
            "encoding" => 1,
            "errors" => 2,
            _ => {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("'{key}' is an invalid keyword argument for {name}()"),
                ))
            }
        };
        slots[i] = Some(*v);
    }
    Ok(slots)
}

/// `bytes(...)` and `bytearray(...)`.
pub(super) fn construct(
    vm: &mut Vm,
    bytearray: bool,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> Res<Value> {
    let name = if bytearray { "bytearray" } else { "bytes" };
    let [src, encoding, errors] = ctor_args(vm, name, args, kwargs)?;
    for (k, a) in [(2, encoding), (3, errors)] {
        if let Some(a) = a.filter(|a| vm.heap.as_str(*a).is_none()) {
            let t = vm.type_name(a);
            let what = if k == 2 { "encoding" } else { "errors" };
            return Err(vm.error(
                ExcKind::TypeError,
                format!("{name}() argument '{what}' must be str, not {t}"),
            ));
        }
    }
    let out = match src {
        None => {
            if encoding.is_some() || errors.is_some() {
                let msg = if encoding.is_some() {
                    "encoding without a string argument"
                } else {
                    "errors without a string argument"
                };
                return Err(vm.error(ExcKind::TypeError, msg.into()));
            }
            Vec::new()
        }
        Some(v) => match vm.heap.as_str(v) {
            Some(s) => {
                let s = s.to_string();
                let Some(e) = encoding else {
                    return Err(vm.error(
                        ExcKind::TypeError,
                        "string argument without an encoding".into(),
                    ));
                };
                let e = vm.heap.as_str(e).unwrap_or("utf-8").to_string();
                let errs = errors
                    .and_then(|x| vm.heap.as_str(x))
                    .unwrap_or("strict")
                    .to_string();
                encode(vm, &s, &e, &errs)?
            }
            None => {
                if encoding.is_some() || errors.is_some() {
                    let msg = if encoding.is_some() {
                        "encoding without a string argument"
                    } else {
                        "errors without a string argument"
                    };
                    return Err(vm.error(ExcKind::TypeError, msg.into()));
                }
                vm.bytes_from(v, bytearray)?
            }
        },
    };
    Ok(vm.new_bytes_like(bytearray, out))
}

/// `str(b, encoding, errors)`: `None` when `v` is not bytes-like.
pub(super) fn decode_to_str(
    vm: &mut Vm,
    v: Value,
    encoding: Option<Value>,
    errors: Option<Value>,
) -> Res<Option<Value>> {
    let Some(b) = vm.bytes_of(v).map(<[u8]>::to_vec) else {
        return Ok(None);
    };
    let e = encoding
        .and_then(|x| vm.heap.as_str(x))
        .unwrap_or("utf-8")
        .to_string();
    let errs = errors
        .and_then(|x| vm.heap.as_str(x))
        .unwrap_or("strict")
        .to_string();
    let s = decode(vm, &b, &e, &errs)?;
    Ok(Some(vm.str_value(&s)))
}

// ---- methods ----

type Kw<'a> = &'a [(Value, Value)];

fn recv(vm: &Vm, this: Value) -> Vec<u8> {
    vm.bytes_of(this).map(<[u8]>::to_vec).unwrap_or_default()
}

/// A result of a bytes method: bytes, or a bytearray for a bytearray
/// receiver.
fn out(vm: &mut Vm, this: Value, b: Vec<u8>) -> Value {
    let ba = vm.is_bytearray(this);
    vm.new_bytes_like(ba, b)
}

fn out_list(vm: &mut Vm, this: Value, parts: Vec<Vec<u8>>) -> Value {
    let items: Vec<Value> = parts.into_iter().map(|p| out(vm, this, p)).collect();
    vm.heap.alloc(Obj::List(items))
}

fn check(vm: &mut Vm, name: &str, args: &[Value], kw: Kw, lo: usize, hi: usize) -> Res<()> {
    if !kw.is_empty() {
        return Err(vm.error(
            ExcKind::TypeError,
            format!("{name}() takes no keyword arguments"),
        ));
    }
    let n = args.len();
    if n >= lo && n <= hi {
        return Ok(());
    }
    let msg = if hi == 0 {
        format!("{name}() takes no arguments ({n} given)")
    } else if lo == hi && lo == 1 {
        format!("{name}() takes exactly one argument ({n} given)")
    } else if n < lo {
        format!(
            "{name}() takes at least {lo} argument{} ({n} given)",
            if lo == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{name}() takes at most {hi} argument{} ({n} given)",
            if hi == 1 { "" } else { "s" }
        )
    };
    Err(vm.error(ExcKind::TypeError, msg))
}

/// Keyword-or-positional arguments by name.
fn named(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    kw: Kw,
    names: &[&str],
) -> Res<Vec<Option<Value>>> {
    if args.len() > names.len() {
        return Err(vm.error(
            ExcKind::TypeError,
            format!(
                "{name}() takes at most {} argument{} ({} given)",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                args.len()
            ),
        ));
    }
    let mut slots: Vec<Option<Value>> = names
        .iter()
        .enumerate()
        .map(|(i, _)| args.get(i).copied())
        .collect();
    for (k, v) in kw {
        let key = vm.heap.as_str(*k).unwrap_or("").to_string();
        match names.iter().position(|n| *n == key) {
            Some(i) => slots[i] = Some(*v),
            None => {
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("{name}() got an unexpected keyword argument '{key}'"),
                ))
            }
        }
    }
    Ok(slots)
}

fn int_of(vm: &mut Vm, v: Value) -> Res<i64> {
    match vm.index_value(v).filter(|_| !matches!(v, Value::Float(_))) {
        Some(i) => Ok(i),
        None if vm.special(v, "__index__").is_some() => vm.user_index(v),
        None => {
            let t = vm.type_name(v);
            Err(vm.error(
                ExcKind::TypeError,
                format!("'{t}' object cannot be interpreted as an integer"),
            ))
        }
    }
}

fn map_bytes(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: Kw,
    name: &str,
    f: fn(&[u8]) -> Vec<u8>,
) -> Res<Value> {
    check(vm, name, args, kw, 0, 0)?;
    let b = recv(vm, this);
    Ok(out(vm, this, f(&b)))
}

pub(super) fn upper(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    map_bytes(vm, this, args, kw, "upper", <[u8]>::to_ascii_uppercase)
}

pub(super) fn lower(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    map_bytes(vm, this, args, kw, "lower", <[u8]>::to_ascii_lowercase)
}

pub(super) fn swapcase(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    map_bytes(vm, this, args, kw, "swapcase", |b| {
        b.iter()
            .map(|&c| {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    })
}

pub(super) fn capitalize(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    map_bytes(vm, this, args, kw, "capitalize", |b| {
        b.iter()
            .enumerate()
            .map(|(i, &c)| {
                if i == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

pub(super) fn title(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    map_bytes(vm, this, args, kw, "title", |b| {
        let mut prev = false;
        b.iter()
            .map(|&c| {
                let r = if prev {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                };
                prev = c.is_ascii_alphabetic();
                r
            })
            .collect()
    })
}

fn predicate(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: Kw,
    name: &str,
    f: fn(&[u8]) -> bool,
) -> Res<Value> {
    check(vm, name, args, kw, 0, 0)?;
    let b = recv(vm, this);
    Ok(Value::Bool(f(&b)))
}

pub(super) fn isalpha(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    predicate(vm, this, args, kw, "isalpha", |b| {
        !b.is_empty() && b.iter().all(u8::is_ascii_alphabetic)
    })
}

pub(super) fn isdigit(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    predicate(vm, this, args, kw, "isdigit", |b| {
        !b.is_empty() && b.iter().all(u8::is_ascii_digit)
    })
}

pub(super) fn isalnum(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    predicate(vm, this, args, kw, "isalnum", |b| {
        !b.is_empty() && b.iter().all(u8::is_ascii_alphanumeric)
    })
}

pub(super) fn isspace(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    predicate(vm, this, args, kw, "isspace", |b| {
        !b.is_empty() && b.iter().all(|&c| is_space(c))
    })
}

pub(super) fn islower(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    predicate(vm, this, args, kw, "islower", |b| {
        b.iter().any(u8::is_ascii_lowercase) && !b.iter().any(u8::is_ascii_uppercase)
    })
}

pub(super) fn isupper(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    predicate(vm, this, args, kw, "isupper", |b| {
        b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase)
    })
}

pub(super) fn isascii(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    predicate(vm, this, args, kw, "isascii", <[u8]>::is_ascii)
}

pub(super) fn decode_method(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    let a = named(vm, "decode", args, kw, &["encoding", "errors"])?;
    let mut names = [String::from("utf-8"), String::from("strict")];
    for (i, what) in ["encoding", "errors"].iter().enumerate() {
        if let Some(v) = a[i] {
            match vm.heap.as_str(v) {
                Some(s) => names[i] = s.to_string(),
                None => {
                    let t = vm.type_name(v);
                    return Err(vm.error(
                        ExcKind::TypeError,
                        format!("decode() argument '{what}' must be str, not {t}"),
                    ));
                }
            }
        }
    }
    let b = recv(vm, this);
    let s = decode(vm, &b, &names[0], &names[1])?;
    Ok(vm.str_value(&s))
}

/// `str.encode(encoding="utf-8", errors="strict")`.
pub(super) fn str_encode(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    let a = named(vm, "encode", args, kw, &["encoding", "errors"])?;
    let mut names = [String::from("utf-8"), String::from("strict")];
    for (i, what) in ["encoding", "errors"].iter().enumerate() {
        if let Some(v) = a[i] {
            match vm.heap.as_str(v) {
                Some(s) => names[i] = s.to_string(),
                None => {
                    let t = vm.type_name(v);
                    return Err(vm.error(
                        ExcKind::TypeError,
                        format!("encode() argument '{what}' must be str, not {t}"),
                    ));
                }
            }
        }
    }
    let s = vm.heap.as_str(this).unwrap_or("").to_string();
    let b = encode(vm, &s, &names[0], &names[1])?;
    Ok(vm.new_bytes(b))
}

pub(super) fn hex(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    let a = named(vm, "hex", args, kw, &["sep", "bytes_per_sep"])?;
    let per = match a[1] {
        Some(v) => int_of(vm, v)?,
        None => 1,
    };
    let sep = match a[0] {
        None => None,
        Some(v) => {
            let (len, first) = if let Some(s) = vm.heap.as_str(v) {
                (s.chars().count(), s.chars().next().map(|c| c as u32))
            } else if let Some(b) = vm.bytes_of(v) {
                (b.len(), b.first().map(|&c| u32::from(c)))
            } else {
                return Err(vm.error(ExcKind::TypeError, "sep must be str or bytes.".into()));
            };
            if len != 1 {
                return Err(vm.error(ExcKind::ValueError, "sep must be length 1.".into()));
            }
            match first {
                Some(c) if c < 0x80 => Some(c as u8),
                _ => return Err(vm.error(ExcKind::ValueError, "sep must be ASCII.".into())),
            }
        }
    };
    let b = recv(vm, this);
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let group = per.unsigned_abs() as usize;
    let mut s = String::with_capacity(b.len() * 3);
    for (i, &x) in b.iter().enumerate() {
        if let (Some(sep), true) = (sep, group > 0 && i > 0) {
            let boundary = if per > 0 {
                (b.len() - i).is_multiple_of(group)
            } else {
                i.is_multiple_of(group)
            };
            if boundary {
                s.push(char::from(sep));
            }
        }
        s.push(char::from(DIGITS[usize::from(x >> 4)]));
        s.push(char::from(DIGITS[usize::from(x & 15)]));
    }
    Ok(vm.str_value(&s))
}

/// `bytes.fromhex(s)` / `bytearray.fromhex(s)`: bound to the class.
fn fromhex(vm: &mut Vm, cls: Value, args: &[Value], kw: Kw, bytearray: bool) -> Res<Value> {
    let _ = cls;
    check(vm, "fromhex", args, kw, 1, 1)?;
    let Some(s) = vm.heap.as_str(args[0]).map(str::to_string) else {
        let t = vm.type_name(args[0]);
        return Err(vm.error(
            ExcKind::TypeError,
            format!("fromhex() argument must be str, not {t}"),
        ));
    };
    let p: Vec<char> = s.chars().collect();
    let bad = |vm: &mut Vm, at: usize| {
        vm.error(
            ExcKind::ValueError,
            format!("non-hexadecimal number found in fromhex() arg at position {at}"),
        )
    };
    let mut b = Vec::with_capacity(p.len() / 2);
    let mut i = 0;
    while i < p.len() {
        if p[i].is_ascii() && is_space(p[i] as u8) {
            i += 1;
            continue;
        }
        let Some(hi) = p[i].to_digit(16).filter(|_| p[i].is_ascii()) else {
            return Err(bad(vm, i));
        };
        let Some(lo) = p
            .get(i + 1)
            .filter(|c| c.is_ascii())
            .and_then(|c| c.to_digit(16))
        else {
            return Err(bad(vm, i + 1));
        };
        b.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(vm.new_bytes_like(bytearray, b))
}

pub(super) fn bytes_fromhex(vm: &mut Vm, cls: Value, args: &[Value], kw: Kw) -> Res<Value> {
    fromhex(vm, cls, args, kw, false)
}

pub(super) fn bytearray_fromhex(vm: &mut Vm, cls: Value, args: &[Value], kw: Kw) -> Res<Value> {
    fromhex(vm, cls, args, kw, true)
}

pub(super) fn join(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "join", args, kw, 1, 1)?;
    let sep = recv(vm, this);
    let items = vm.collect(args[0])?;
    let mut b = Vec::new();
    for (i, v) in items.iter().enumerate() {
        let Some(p) = vm.bytes_of(*v).map(<[u8]>::to_vec) else {
            let t = vm.type_name(*v);
            vm.heap.decref_all(items);
            return Err(vm.error(
                ExcKind::TypeError,
                format!("sequence item {i}: expected a bytes-like object, {t} found"),
            ));
        };
        if i > 0 {
            b.extend_from_slice(&sep);
        }
        b.extend_from_slice(&p);
    }
    vm.heap.decref_all(items);
    Ok(out(vm, this, b))
}

fn split_impl(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: Kw,
    name: &str,
    right: bool,
) -> Res<Value> {
    let a = named(vm, name, args, kw, &["sep", "maxsplit"])?;
    let sep = match a[0] {
        None | Some(Value::None) => None,
        Some(v) => Some(vm.need_bytes(v)?),
    };
    let maxsplit = match a[1] {
        Some(v) => int_of(vm, v)?,
        None => -1,
    };
    let max = if maxsplit < 0 {
        usize::MAX
    } else {
        maxsplit as usize
    };
    let b = recv(vm, this);
    let mut parts: Vec<Vec<u8>> = Vec::new();
    match sep {
        Some(sep) if sep.is_empty() => {
            return Err(vm.error(ExcKind::ValueError, "empty separator".into()))
        }
        Some(sep) => {
            if right {
                let mut end = b.len();
                while parts.len() < max {
                    match rfind_sub(&b[..end], &sep) {
                        Some(i) => {
                            parts.push(b[i + sep.len()..end].to_vec());
                            end = i;
                        }
                        None => break,
                    }
                }
                parts.push(b[..end].to_vec());
                parts.reverse();
            } else {
                let mut start = 0;
                while parts.len() < max {
                    match find_sub(&b, &sep, start) {
                        Some(i) => {
                            parts.push(b[start..i].to_vec());
                            start = i + sep.len();
                        }
                        None => break,
                    }
                }
                parts.push(b[start..].to_vec());
            }
        }
        None => {
            if right {
                let mut end = b.len();
                loop {
                    while end > 0 && is_space(b[end - 1]) {
                        end -= 1;
                    }
                    if end == 0 {
                        break;
                    }
                    if parts.len() == max {
                        parts.push(b[..end].to_vec());
                        break;
                    }
                    let mut i = end;
                    while i > 0 && !is_space(b[i - 1]) {
                        i -= 1;
                    }
                    parts.push(b[i..end].to_vec());
                    end = i;
                }
                parts.reverse();
            } else {
                let mut i = 0;
                loop {
                    while i < b.len() && is_space(b[i]) {
                        i += 1;
                    }
                    if i == b.len() {
                        break;
                    }
                    if parts.len() == max {
                        parts.push(b[i..].to_vec());
                        break;
                    }
                    let mut j = i;
                    while j < b.len() && !is_space(b[j]) {
                        j += 1;
                    }
                    parts.push(b[i..j].to_vec());
                    i = j;
                }
            }
        }
    }
    Ok(out_list(vm, this, parts))
}

pub(super) fn split(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    split_impl(vm, this, args, kw, "split", false)
}

pub(super) fn rsplit(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    split_impl(vm, this, args, kw, "rsplit", true)
}

fn strip_impl(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: Kw,
    name: &str,
    left: bool,
    right: bool,
) -> Res<Value> {
    check(vm, name, args, kw, 0, 1)?;
    let chars = match args.first() {
        None | Some(Value::None) => None,
        Some(v) => Some(vm.need_bytes(*v)?),
    };
    let b = recv(vm, this);
    let strip = |c: u8| match &chars {
        Some(set) => set.contains(&c),
        None => is_space(c),
    };
    let (mut i, mut j) = (0, b.len());
    if left {
        while i < j && strip(b[i]) {
            i += 1;
        }
    }
    if right {
        while j > i && strip(b[j - 1]) {
            j -= 1;
        }
    }
    let r = b[i..j].to_vec();
    Ok(out(vm, this, r))
}

pub(super) fn strip(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    strip_impl(vm, this, args, kw, "strip", true, true)
}

pub(super) fn lstrip(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    strip_impl(vm, this, args, kw, "lstrip", true, false)
}

pub(super) fn rstrip(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    strip_impl(vm, this, args, kw, "rstrip", false, true)
}

pub(super) fn replace(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "replace", args, kw, 2, 3)?;
    let old = vm.need_bytes(args[0])?;
    let new = vm.need_bytes(args[1])?;
    let count = match args.get(2) {
        Some(v) => int_of(vm, *v)?,
        None => -1,
    };
    let max = if count < 0 {
        usize::MAX
    } else {
        count as usize
    };
    let b = recv(vm, this);
    let mut r = Vec::with_capacity(b.len());
    let mut n = 0;
    if old.is_empty() {
        for (i, &c) in b.iter().enumerate() {
            if n < max {
                r.extend_from_slice(&new);
                n += 1;
            }
            r.push(c);
            let _ = i;
        }
        if n < max {
            r.extend_from_slice(&new);
        }
    } else {
        let mut i = 0;
        while i < b.len() {
            if n < max && b[i..].starts_with(&old) {
                r.extend_from_slice(&new);
                i += old.len();
                n += 1;
            } else {
                r.push(b[i]);
                i += 1;
            }
        }
    }
    if super::ops::too_big(r.len()) {
        return Err(vm.memory_error());
    }
    Ok(out(vm, this, r))
}

/// The needle of `find`, `count`, ...: bytes-like, or an int naming one
/// byte.
fn needle(vm: &mut Vm, v: Value) -> Res<Vec<u8>> {
    if let Some(b) = vm.bytes_of(v) {
        return Ok(b.to_vec());
    }
    if matches!(v, Value::Int(_) | Value::Bool(_)) || vm.as_big(v).is_some() {
        return Ok(vec![vm.byte_value(v)?]);
    }
    let t = vm.type_name(v);
    Err(vm.error(
        ExcKind::TypeError,
        format!("argument should be integer or bytes-like object, not '{t}'"),
    ))
}

/// The `[start:end]` window of `find`-like methods, clamped.
fn window(vm: &mut Vm, args: &[Value], len: usize) -> Res<(usize, usize)> {
    let bound = |vm: &mut Vm, v: Option<&Value>, default: i64| -> Res<i64> {
        match v {
            None | Some(Value::None) => Ok(default),
            Some(v) => int_of(vm, *v),
        }
    };
    let len_i = len as i64;
    let clamp = |i: i64| -> usize {
        if i < 0 {
            (i + len_i).max(0) as usize
        } else {
            i.min(len_i) as usize
        }
    };
    let s = bound(vm, args.get(1), 0)?;
    let e = bound(vm, args.get(2), len_i)?;
    Ok((clamp(s), clamp(e)))
}

fn find_impl(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: Kw,
    name: &str,
    right: bool,
    raise: bool,
) -> Res<Value> {
    check(vm, name, args, kw, 1, 3)?;
    let sub = needle(vm, args[0])?;
    let b = recv(vm, this);
    let (s, e) = window(vm, args, b.len())?;
    let found = if s > e || sub.len() > e - s {
        None
    } else if right {
        rfind_sub(&b[s..e], &sub).map(|i| i + s)
    } else {
        find_sub(&b[s..e], &sub, 0).map(|i| i + s)
    };
    match found {
        Some(i) => Ok(Value::Int(i as i64)),
        None if raise => Err(vm.error(ExcKind::ValueError, "subsection not found".into())),
        None => Ok(Value::Int(-1)),
    }
}

pub(super) fn find(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    find_impl(vm, this, args, kw, "find", false, false)
}

pub(super) fn rfind(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    find_impl(vm, this, args, kw, "rfind", true, false)
}

pub(super) fn index(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    find_impl(vm, this, args, kw, "index", false, true)
}

pub(super) fn rindex(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    find_impl(vm, this, args, kw, "rindex", true, true)
}

pub(super) fn count(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "count", args, kw, 1, 3)?;
    let sub = needle(vm, args[0])?;
    let b = recv(vm, this);
    let (s, e) = window(vm, args, b.len())?;
    if s > e {
        return Ok(Value::Int(0));
    }
    let h = &b[s..e];
    let n = if sub.is_empty() {
        h.len() + 1
    } else {
        let mut n = 0;
        let mut i = 0;
        while let Some(j) = find_sub(h, &sub, i) {
            n += 1;
            i = j + sub.len();
        }
        n
    };
    Ok(Value::Int(n as i64))
}

fn affix_impl(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: Kw,
    name: &str,
    end: bool,
) -> Res<Value> {
    check(vm, name, args, kw, 1, 3)?;
    let b = recv(vm, this);
    let (s, e) = window(vm, args, b.len())?;
    let prefixes: Vec<Vec<u8>> = match vm.heap.obj(args[0]) {
        Some(Obj::Tuple(xs)) => {
            let xs = xs.to_vec();
            let mut ps = Vec::new();
            for x in xs {
                ps.push(vm.need_bytes(x)?);
            }
            ps
        }
        _ => match vm.bytes_of(args[0]) {
            Some(p) => vec![p.to_vec()],
            None => {
                let t = vm.type_name(args[0]);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("{name} first arg must be bytes or a tuple of bytes, not {t}"),
                ));
            }
        },
    };
    for p in prefixes {
        if s > b.len() || (s > e) {
            continue;
        }
        let w = &b[s..e.max(s)];
        let hit = if end {
            w.ends_with(&p)
        } else {
            w.starts_with(&p)
        };
        if hit {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

pub(super) fn startswith(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    affix_impl(vm, this, args, kw, "startswith", false)
}

pub(super) fn endswith(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    affix_impl(vm, this, args, kw, "endswith", true)
}

fn justify(vm: &mut Vm, this: Value, args: &[Value], kw: Kw, name: &str, kind: char) -> Res<Value> {
    check(vm, name, args, kw, 1, 2)?;
    let width = int_of(vm, args[0])?;
    let fill = match args.get(1) {
        None => b' ',
        Some(v) => match vm.bytes_of(*v) {
            Some(f) if f.len() == 1 => f[0],
            _ => {
                let t = vm.type_name(*v);
                return Err(vm.error(
                    ExcKind::TypeError,
                    format!("{name}() argument 2 must be a byte string of length 1, not {t}"),
                ));
            }
        },
    };
    let b = recv(vm, this);
    let width = usize::try_from(width).unwrap_or(0);
    if width <= b.len() {
        return Ok(out(vm, this, b));
    }
    if super::ops::too_big(width) {
        return Err(vm.memory_error());
    }
    let pad = width - b.len();
    let (l, r) = match kind {
        'l' => (0, pad),
        'r' => (pad, 0),
        // CPython's `pad`: the odd one goes left when the width is odd.
        _ => {
            let l = pad / 2 + (pad & width & 1);
            (l, pad - l)
        }
    };
    let mut r_ = Vec::with_capacity(width);
    r_.extend(std::iter::repeat_n(fill, l));
    r_.extend_from_slice(&b);
    r_.extend(std::iter::repeat_n(fill, r));
    Ok(out(vm, this, r_))
}

pub(super) fn center(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    justify(vm, this, args, kw, "center", 'c')
}

pub(super) fn ljust(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    justify(vm, this, args, kw, "ljust", 'l')
}

pub(super) fn rjust(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    justify(vm, this, args, kw, "rjust", 'r')
}

pub(super) fn zfill(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "zfill", args, kw, 1, 1)?;
    let width = usize::try_from(int_of(vm, args[0])?).unwrap_or(0);
    let b = recv(vm, this);
    if width <= b.len() {
        return Ok(out(vm, this, b));
    }
    let fill = width - b.len();
    let mut r = Vec::with_capacity(width);
    let signed = matches!(b.first(), Some(b'+' | b'-'));
    if signed {
        r.push(b[0]);
    }
    r.extend(std::iter::repeat_n(b'0', fill));
    r.extend_from_slice(&b[usize::from(signed)..]);
    Ok(out(vm, this, r))
}

fn partition_impl(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    kw: Kw,
    name: &str,
    right: bool,
) -> Res<Value> {
    check(vm, name, args, kw, 1, 1)?;
    let sep = vm.need_bytes(args[0])?;
    if sep.is_empty() {
        return Err(vm.error(ExcKind::ValueError, "empty separator".into()));
    }
    let b = recv(vm, this);
    let found = if right {
        rfind_sub(&b, &sep)
    } else {
        find_sub(&b, &sep, 0)
    };
    let parts: [Vec<u8>; 3] = match found {
        Some(i) => [b[..i].to_vec(), sep.clone(), b[i + sep.len()..].to_vec()],
        None if !right => [b.clone(), Vec::new(), Vec::new()],
        None => [Vec::new(), Vec::new(), b.clone()],
    };
    let items: Vec<Value> = parts.into_iter().map(|p| out(vm, this, p)).collect();
    Ok(vm.heap.alloc(Obj::Tuple(items.into())))
}

pub(super) fn partition(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    partition_impl(vm, this, args, kw, "partition", false)
}

pub(super) fn rpartition(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    partition_impl(vm, this, args, kw, "rpartition", true)
}

pub(super) fn splitlines(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    let a = named(vm, "splitlines", args, kw, &["keepends"])?;
    let keep = match a[0] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let b = recv(vm, this);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
            i += 1;
        }
        let mut eol = i;
        if i < b.len() {
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 2;
            } else {
                i += 1;
            }
            if keep {
                eol = i;
            }
        }
        parts.push(b[start..eol].to_vec());
    }
    Ok(out_list(vm, this, parts))
}

pub(super) fn removeprefix(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "removeprefix", args, kw, 1, 1)?;
    let p = vm.need_bytes(args[0])?;
    let b = recv(vm, this);
    let r = b.strip_prefix(p.as_slice()).unwrap_or(&b).to_vec();
    Ok(out(vm, this, r))
}

pub(super) fn removesuffix(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "removesuffix", args, kw, 1, 1)?;
    let p = vm.need_bytes(args[0])?;
    let b = recv(vm, this);
    let r = b.strip_suffix(p.as_slice()).unwrap_or(&b).to_vec();
    Ok(out(vm, this, r))
}

// ---- bytearray's own methods ----

fn with_bytearray<T>(vm: &mut Vm, this: Value, f: impl FnOnce(&mut Vec<u8>) -> T) -> Res<T> {
    match this.obj().map(|r| vm.heap.get_mut(r)) {
        Some(Obj::ByteArray(b)) => Ok(f(b)),
        _ => vm.broken("a bytearray"),
    }
}

pub(super) fn ba_append(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "append", args, kw, 1, 1)?;
    let x = vm.byte_value(args[0])?;
    with_bytearray(vm, this, |b| b.push(x))?;
    Ok(Value::None)
}

pub(super) fn ba_extend(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "extend", args, kw, 1, 1)?;
    let new = if let Some(b) = vm.bytes_of(args[0]) {
        b.to_vec()
    } else {
        if vm.heap.as_str(args[0]).is_some() {
            return Err(vm.error(
                ExcKind::TypeError,
                "expected iterable of integers; got: 'str'".into(),
            ));
        }
        vm.assigned_bytes(args[0])?
    };
    with_bytearray(vm, this, |b| b.extend(new))?;
    Ok(Value::None)
}

pub(super) fn ba_pop(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "pop", args, kw, 0, 1)?;
    let len = vm.bytes_of(this).map_or(0, <[u8]>::len);
    let i = match args.first() {
        Some(v) => int_of(vm, *v)?,
        None => -1,
    };
    if len == 0 {
        return Err(vm.error(ExcKind::IndexError, "pop from empty bytearray".into()));
    }
    let j = if i < 0 { i + len as i64 } else { i };
    if j < 0 || j >= len as i64 {
        return Err(vm.error(ExcKind::IndexError, "pop index out of range".into()));
    }
    let x = with_bytearray(vm, this, |b| b.remove(j as usize))?;
    Ok(Value::Int(i64::from(x)))
}

pub(super) fn ba_insert(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "insert", args, kw, 2, 2)?;
    let len = vm.bytes_of(this).map_or(0, <[u8]>::len) as i64;
    let i = int_of(vm, args[0])?;
    let x = vm.byte_value(args[1])?;
    let j = if i < 0 { (i + len).max(0) } else { i.min(len) };
    with_bytearray(vm, this, |b| b.insert(j as usize, x))?;
    Ok(Value::None)
}

pub(super) fn ba_remove(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "remove", args, kw, 1, 1)?;
    let x = vm.byte_value(args[0])?;
    let pos = vm
        .bytes_of(this)
        .and_then(|b| b.iter().position(|&c| c == x));
    match pos {
        Some(p) => {
            with_bytearray(vm, this, |b| b.remove(p))?;
            Ok(Value::None)
        }
        None => Err(vm.error(ExcKind::ValueError, "value not found in bytearray".into())),
    }
}

pub(super) fn ba_reverse(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "reverse", args, kw, 0, 0)?;
    with_bytearray(vm, this, |b| b.reverse())?;
    Ok(Value::None)
}

pub(super) fn ba_clear(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "clear", args, kw, 0, 0)?;
    with_bytearray(vm, this, Vec::clear)?;
    Ok(Value::None)
}

pub(super) fn ba_copy(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    check(vm, "copy", args, kw, 0, 0)?;
    let b = recv(vm, this);
    Ok(vm.heap.alloc(Obj::ByteArray(b)))
}

// ---- int.from_bytes and int.to_bytes ----

fn byteorder(vm: &mut Vm, v: Option<Value>) -> Res<bool> {
    let Some(v) = v else {
        return Err(vm.error(
            ExcKind::TypeError,
            "from_bytes() missing required argument 'byteorder' (pos 2)".into(),
        ));
    };
    match vm.heap.as_str(v) {
        Some("big") => Ok(true),
        Some("little") => Ok(false),
        Some(_) => Err(vm.error(
            ExcKind::ValueError,
            "byteorder must be either 'little' or 'big'".into(),
        )),
        None => {
            let t = vm.type_name(v);
            Err(vm.error(
                ExcKind::TypeError,
                format!("argument 'byteorder' must be str, not {t}"),
            ))
        }
    }
}

/// `int.from_bytes(bytes, byteorder, *, signed=False)`: bound to the class.
pub(super) fn int_from_bytes(vm: &mut Vm, _cls: Value, args: &[Value], kw: Kw) -> Res<Value> {
    let a = named(
        vm,
        "from_bytes",
        args,
        kw,
        &["bytes", "byteorder", "signed"],
    )?;
    let Some(src) = a[0] else {
        return Err(vm.error(
            ExcKind::TypeError,
            "from_bytes() missing required argument 'bytes' (pos 1)".into(),
        ));
    };
    let big = byteorder(vm, a[1])?;
    let signed = match a[2] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let b = vm.bytes_from(src, false)?;
    let n = match (big, signed) {
        (true, false) => BigInt::from_bytes_be(Sign::Plus, &b),
        (false, false) => BigInt::from_bytes_le(Sign::Plus, &b),
        (true, true) => BigInt::from_signed_bytes_be(&b),
        (false, true) => BigInt::from_signed_bytes_le(&b),
    };
    Ok(vm.big(n))
}

/// `int.to_bytes(length, byteorder, *, signed=False)`.
pub(super) fn int_to_bytes(vm: &mut Vm, this: Value, args: &[Value], kw: Kw) -> Res<Value> {
    let a = named(vm, "to_bytes", args, kw, &["length", "byteorder", "signed"])?;
    let Some(len) = a[0] else {
        return Err(vm.error(
            ExcKind::TypeError,
            "to_bytes() missing required argument 'length' (pos 1)".into(),
        ));
    };
    let len = int_of(vm, len)?;
    if len < 0 {
        return Err(vm.error(
            ExcKind::ValueError,
            "length argument must be non-negative".into(),
        ));
    }
    let big = byteorder(vm, a[1])?;
    let signed = match a[2] {
        Some(v) => vm.truthy(v)?,
        None => false,
    };
    let n = vm.as_big(this).unwrap_or_default();
    if !signed && n.is_negative() {
        return Err(vm.error(
            ExcKind::OverflowError,
            "can't convert negative int to unsigned".into(),
        ));
    }
    let mut b = if signed {
        n.to_signed_bytes_le()
    } else if n.is_zero() {
        Vec::new()
    } else {
        n.to_bytes_le().1
    };
    // A signed zero or positive value may need no sign byte.
    if signed && b.len() > 1 {
        while b.len() > 1 {
            let last = b[b.len() - 1];
            let prev = b[b.len() - 2];
            if (last == 0 && prev < 0x80) || (last == 0xff && prev >= 0x80) {
                b.pop();
            } else {
                break;
            }
        }
    }
    if signed && n.is_zero() {
        b.clear();
    }
    let len = len as usize;
    if b.len() > len {
        return Err(vm.error(ExcKind::OverflowError, "int too big to convert".into()));
    }
    let fill = if signed && n.is_negative() { 0xff } else { 0 };
    b.resize(len, fill);
    if big {
        b.reverse();
    }
    Ok(vm.new_bytes(b))
}
