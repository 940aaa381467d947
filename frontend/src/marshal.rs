//! A reader for the `marshal` format as CPython 3.9 writes it.
//!
//! `marshal` is the serialisation behind `.pyc` files: a type-code byte
//! followed by that type's payload, nested for containers and code objects.
//! Every type code CPython 3.9 reads is supported here, together with the
//! back-reference table that version 3 and later of the format use
//! (`FLAG_REF` on a type code, `r` to refer back).
//!
//! [`loads`] reads any marshalled value into a [`MarshalValue`];
//! [`load_code`] insists on a code object, and [`to_constant`] turns a value
//! into a code-object [`Constant`]. Code objects are checked while they are
//! read, as CPython's `PyCode_NewWithPosOnlyArgs` checks them, so a
//! [`MarshalValue::Code`] always holds a well-typed [`CodeObject`].
//!
//! # Robustness
//!
//! The reader never panics and never trusts a length: whatever the input,
//! it returns either a value or a [`MarshalError`] that names the byte
//! offset where the problem was found. Nesting is limited to
//! [`MAX_MARSHAL_STACK_DEPTH`] levels, like CPython, and the reader keeps its
//! own stack on the heap, so deep data cannot overflow the Rust stack.
//! Values are limited to that depth *after* back-references are resolved
//! too, so the values handed out can be walked recursively and dropped
//! safely.
//!
//! # Differences from CPython
//!
//! - A back-reference to a tuple, list, dict or set that is still being read
//!   (only possible for self-referential data) is an error
//!   ([`MarshalErrorKind::IncompleteRef`]); CPython would build a cyclic
//!   object.
//! - Dict entries and set elements are kept in the order they were stored,
//!   duplicates included; keys and elements must be hashable, as in CPython.
//! - A code object's fields must fit the types of [`CodeObject`]: counts,
//!   flags and `co_firstlineno` must not be negative, and every constant must
//!   be a [`Constant`].
//! - Copying the same large value into many places through back-references
//!   is limited by a memory budget proportional to the input size
//!   ([`MarshalErrorKind::ResourceLimit`]).

use num_bigint::{BigInt, BigUint, Sign};
use pyreg_spec::code::{flags, CodeObject, Constant, PyStr};
use std::collections::HashMap;
use std::sync::Arc;
use thiserror::Error;

/// The deepest nesting the reader accepts, as CPython's
/// `MAX_MARSHAL_STACK_DEPTH`: the outermost value is at depth 1.
pub const MAX_MARSHAL_STACK_DEPTH: usize = 2000;

/// The type codes of the marshal format (`Python/marshal.c`).
pub mod type_code {
    /// The NULL object: ends a dict; an error anywhere else.
    pub const NULL: u8 = b'0';
    /// `None`.
    pub const NONE: u8 = b'N';
    /// `False`.
    pub const FALSE: u8 = b'F';
    /// `True`.
    pub const TRUE: u8 = b'T';
    /// The `StopIteration` class.
    pub const STOPITER: u8 = b'S';
    /// `...`.
    pub const ELLIPSIS: u8 = b'.';
    /// An `int` that fits in 32 bits: 4 bytes, little-endian, signed.
    pub const INT: u8 = b'i';
    /// An `int` that fits in 64 bits: 8 bytes, little-endian, signed.
    pub const INT64: u8 = b'I';
    /// A `float` as text: a length byte, then the text.
    pub const FLOAT: u8 = b'f';
    /// A `float` as 8 bytes, little-endian IEEE 754.
    pub const BINARY_FLOAT: u8 = b'g';
    /// A `complex` as two texts (real, imaginary).
    pub const COMPLEX: u8 = b'x';
    /// A `complex` as two little-endian IEEE 754 doubles.
    pub const BINARY_COMPLEX: u8 = b'y';
    /// An `int` of any size: a signed 32-bit count of base-2**15 digits,
    /// then the digits, least significant first.
    pub const LONG: u8 = b'l';
    /// A `bytes` value: a 32-bit length, then the bytes.
    pub const STRING: u8 = b's';
    /// An interned `str`, UTF-8 with `surrogatepass`.
    pub const INTERNED: u8 = b't';
    /// A back-reference: a 32-bit index into the reference table.
    pub const REF: u8 = b'r';
    /// A `tuple` with a 32-bit length.
    pub const TUPLE: u8 = b'(';
    /// A `list` with a 32-bit length.
    pub const LIST: u8 = b'[';
    /// A `dict`: key, value pairs up to a NULL key.
    pub const DICT: u8 = b'{';
    /// A code object.
    pub const CODE: u8 = b'c';
    /// A `str`, UTF-8 with `surrogatepass`.
    pub const UNICODE: u8 = b'u';
    /// What the writer emits for an object it cannot marshal.
    pub const UNKNOWN: u8 = b'?';
    /// A `set` with a 32-bit length.
    pub const SET: u8 = b'<';
    /// A `frozenset` with a 32-bit length.
    pub const FROZENSET: u8 = b'>';
    /// A one-byte-per-character `str` with a 32-bit length.
    pub const ASCII: u8 = b'a';
    /// An interned [`ASCII`] string.
    pub const ASCII_INTERNED: u8 = b'A';
    /// A `tuple` with a one-byte length.
    pub const SMALL_TUPLE: u8 = b')';
    /// A one-byte-per-character `str` with a one-byte length.
    pub const SHORT_ASCII: u8 = b'z';
    /// An interned [`SHORT_ASCII`] string.
    pub const SHORT_ASCII_INTERNED: u8 = b'Z';
    /// Set on a type code when the object goes into the reference table.
    pub const FLAG_REF: u8 = 0x80;
}

use type_code as tc;

/// Any value `marshal.dumps` can write, as read back.
///
/// Shared sub-values (back-references) share their allocation, so cloning a
/// value is cheap.
#[derive(Clone, Debug)]
pub enum MarshalValue {
    /// `None`.
    None,
    /// The `StopIteration` class (type code `S`).
    StopIteration,
    /// `...`.
    Ellipsis,
    /// `True` or `False`.
    Bool(bool),
    /// An `int` of any size.
    Int(Arc<BigInt>),
    /// A `float`.
    Float(f64),
    /// A `complex` number (real, imaginary).
    Complex(f64, f64),
    /// A `str`.
    Str(PyStr),
    /// A `bytes` value.
    Bytes(Arc<[u8]>),
    /// A `tuple`.
    Tuple(Arc<[MarshalValue]>),
    /// A `list`.
    List(Arc<[MarshalValue]>),
    /// A `dict`, its (key, value) pairs in the order they were stored.
    Dict(Arc<[(MarshalValue, MarshalValue)]>),
    /// A `set`, its elements in the order they were stored.
    Set(Arc<[MarshalValue]>),
    /// A `frozenset`, its elements in the order they were stored.
    FrozenSet(Arc<[MarshalValue]>),
    /// A code object.
    Code(Arc<CodeObject>),
}

impl MarshalValue {
    /// The Python type name of the value, as error messages print it.
    pub fn type_name(&self) -> &'static str {
        match self {
            MarshalValue::None => "NoneType",
            MarshalValue::StopIteration => "type",
            MarshalValue::Ellipsis => "ellipsis",
            MarshalValue::Bool(_) => "bool",
            MarshalValue::Int(_) => "int",
            MarshalValue::Float(_) => "float",
            MarshalValue::Complex(..) => "complex",
            MarshalValue::Str(_) => "str",
            MarshalValue::Bytes(_) => "bytes",
            MarshalValue::Tuple(_) => "tuple",
            MarshalValue::List(_) => "list",
            MarshalValue::Dict(_) => "dict",
            MarshalValue::Set(_) => "set",
            MarshalValue::FrozenSet(_) => "frozenset",
            MarshalValue::Code(_) => "code",
        }
    }

    /// The code object, when the value is one.
    pub fn as_code(&self) -> Option<&Arc<CodeObject>> {
        match self {
            MarshalValue::Code(c) => Some(c),
            _ => None,
        }
    }
}

/// What is wrong with marshal data; see [`MarshalError`] for where.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum MarshalErrorKind {
    /// The data ends before the item that starts at the error offset: it
    /// needs `needed` bytes there and only `available` are left.
    #[error("marshal data too short: {needed} bytes needed, {available} left")]
    Truncated {
        /// Bytes the item needs (at least).
        needed: u64,
        /// Bytes left in the input.
        available: usize,
    },
    /// A type code (the whole byte, `FLAG_REF` included) that marshal does not define.
    #[error("unknown type code {code:#04x}")]
    UnknownType {
        /// The byte.
        code: u8,
    },
    /// Type code `?`: the writer met an object it could not marshal.
    #[error("unmarshallable object (type code '?')")]
    Unmarshallable,
    /// A NULL object (type code `0`) where a value is required.
    #[error("NULL object in marshal data for {context}")]
    NullObject {
        /// Where: "object" (top level), "tuple", "list", "set", "code object".
        context: &'static str,
    },
    /// A negative length for a sized object.
    #[error("bad marshal data ({what} size out of range: {value})")]
    NegativeLength {
        /// "tuple", "list", "set", "bytes object" or "string".
        what: &'static str,
        /// The length read.
        value: i32,
    },
    /// A long digit count of -2**31, out of range.
    #[error("bad marshal data (long size out of range: {value})")]
    LongSizeOutOfRange {
        /// The digit count read.
        value: i32,
    },
    /// A long digit outside 0..2**15.
    #[error("bad marshal data (digit out of range in long: {digit:#06x})")]
    LongDigitOutOfRange {
        /// The 16-bit digit read.
        digit: u16,
    },
    /// A long whose most significant digit is zero.
    #[error("bad marshal data (unnormalized long data)")]
    UnnormalizedLong,
    /// A textual float (`f`, `x`) that does not parse.
    #[error("could not convert string to float: {text:?}")]
    InvalidFloat {
        /// The text, lossily decoded.
        text: String,
    },
    /// A `u`/`t` string that is not UTF-8 (lone surrogates are accepted).
    #[error("invalid UTF-8 in string")]
    InvalidUtf8,
    /// A back-reference outside the reference table.
    #[error("bad marshal data (invalid reference {index}: the table holds {len} objects)")]
    InvalidRef {
        /// The index read.
        index: i32,
        /// The size of the table at that point.
        len: usize,
    },
    /// A back-reference to an object whose reading has not finished.
    #[error("bad marshal data (reference {index} names an object still being read)")]
    IncompleteRef {
        /// The index read.
        index: u32,
    },
    /// Nesting deeper than [`MAX_MARSHAL_STACK_DEPTH`].
    #[error("recursion limit exceeded (nesting deeper than {MAX_MARSHAL_STACK_DEPTH})")]
    TooDeep,
    /// A dict key or set element that Python cannot hash.
    #[error("unhashable type: '{found}'")]
    Unhashable {
        /// The type that makes it unhashable.
        found: &'static str,
    },
    /// A count or flags field of a code object that is negative.
    #[error("code object field {field} is negative: {value}")]
    NegativeCodeField {
        /// The `co_*` field.
        field: &'static str,
        /// The value read.
        value: i32,
    },
    /// `co_posonlyargcount` larger than `co_argcount`.
    #[error("co_posonlyargcount {posonlyargcount} exceeds co_argcount {argcount}")]
    PosOnlyExceedsArgCount {
        /// `co_argcount`.
        argcount: u32,
        /// `co_posonlyargcount`.
        posonlyargcount: u32,
    },
    /// A code object field of the wrong type.
    #[error("code object field {field} must be {expected}, not {found}")]
    CodeFieldType {
        /// The `co_*` field.
        field: &'static str,
        /// The type it must have.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// A non-`str` item in a code object's tuple of names.
    #[error("item {index} of {field} must be str, not {found}")]
    CodeNameType {
        /// The `co_*` field.
        field: &'static str,
        /// The index of the item.
        index: usize,
        /// The type found.
        found: &'static str,
    },
    /// `co_varnames` shorter than the parameters of the code object.
    #[error("code: varnames is too small ({len} names for {needed} parameters)")]
    VarnamesTooSmall {
        /// Parameters: arguments, keyword-only ones, `*args`, `**kwargs`.
        needed: u64,
        /// Names in `co_varnames`.
        len: usize,
    },
    /// A value that cannot be a code object constant.
    #[error("a {found} cannot be a code object constant")]
    UnsupportedConstant {
        /// Its type.
        found: &'static str,
    },
    /// The top-level value is not a code object.
    #[error("expected a code object, found {found}")]
    NotCode {
        /// The type found.
        found: &'static str,
    },
    /// Back-references copy more data than the memory budget allows.
    #[error("marshal data expands beyond the memory budget")]
    ResourceLimit,
}

/// Why marshal data could not be read, and the byte offset where the
/// problem was found.
///
/// The offset is that of the item at fault: the type code of an object of
/// the wrong type, unknown or too deeply nested; the field of a bad length,
/// digit count, reference index or code object count; the first byte of an
/// invalid UTF-8 sequence; the digit out of range; the item that the data
/// ends in the middle of.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("bad marshal data at byte {offset}: {kind}")]
pub struct MarshalError {
    /// Byte offset in the input.
    pub offset: usize,
    /// What is wrong.
    pub kind: MarshalErrorKind,
}

impl MarshalError {
    /// An error of `kind` at `offset`.
    pub fn new(offset: usize, kind: MarshalErrorKind) -> MarshalError {
        MarshalError { offset, kind }
    }

    /// The same error with its offset moved `by` bytes further, for data
    /// that was read from the middle of a larger buffer.
    pub fn shifted(self, by: usize) -> MarshalError {
        MarshalError {
            offset: self.offset.saturating_add(by),
            kind: self.kind,
        }
    }
}

type Result<T, E = MarshalError> = std::result::Result<T, E>;

/// Reads one marshalled value from the start of `bytes`; anything after it
/// is ignored, as `marshal.loads` does.
pub fn loads(bytes: &[u8]) -> Result<MarshalValue> {
    loads_prefix(bytes).map(|(value, _)| value)
}

/// Reads one marshalled value from the start of `bytes` and returns it with
/// the number of bytes it took.
pub fn loads_prefix(bytes: &[u8]) -> Result<(MarshalValue, usize)> {
    let mut reader = Reader::new(bytes);
    let item = reader.read_top()?;
    Ok((item.value, reader.pos))
}

/// Reads a marshalled code object (the body of a `.pyc` file) from the start
/// of `bytes`; anything after it is ignored.
pub fn load_code(bytes: &[u8]) -> Result<Arc<CodeObject>> {
    match loads(bytes)? {
        MarshalValue::Code(code) => Ok(code),
        other => Err(MarshalError::new(
            0,
            MarshalErrorKind::NotCode {
                found: other.type_name(),
            },
        )),
    }
}

/// Reads one marshalled value from the start of `bytes` as a code object
/// constant, reporting where a value that is not a constant was found.
pub fn loads_constant(bytes: &[u8]) -> Result<Constant> {
    let mut reader = Reader::new(bytes);
    let item = reader.read_top()?;
    match reader.constant_of(&item)? {
        Ok(c) => Ok(c),
        Err(nc) => Err(nc.error()),
    }
}

/// Converts a value to a code object constant: `None`, a bool, `...`, an
/// int, float, complex, str or bytes, a tuple or frozenset of constants, or a
/// code object. Anything else (lists, dicts, sets, `StopIteration`) is
/// [`MarshalErrorKind::UnsupportedConstant`]; a value nested deeper than
/// [`MAX_MARSHAL_STACK_DEPTH`] is [`MarshalErrorKind::TooDeep`].
///
/// Tuples and frozensets shared inside `value` are converted once and stay
/// shared in the result.
pub fn to_constant(value: &MarshalValue) -> Result<Constant, MarshalErrorKind> {
    let mut memo = HashMap::new();
    convert(value, 1, &mut memo)
}

impl TryFrom<&MarshalValue> for Constant {
    type Error = MarshalErrorKind;

    fn try_from(value: &MarshalValue) -> Result<Constant, MarshalErrorKind> {
        to_constant(value)
    }
}

/// Conversions already done, keyed by the address of the shared slice (kept
/// alive in the entry so that the address cannot be reused) and its kind.
type Memo = HashMap<(usize, bool), (Arc<[MarshalValue]>, Constant)>;

fn convert(
    value: &MarshalValue,
    depth: usize,
    memo: &mut Memo,
) -> Result<Constant, MarshalErrorKind> {
    if depth > MAX_MARSHAL_STACK_DEPTH {
        return Err(MarshalErrorKind::TooDeep);
    }
    Ok(match value {
        MarshalValue::None => Constant::None,
        MarshalValue::Ellipsis => Constant::Ellipsis,
        MarshalValue::Bool(b) => Constant::Bool(*b),
        MarshalValue::Int(i) => Constant::Int(BigInt::clone(i)),
        MarshalValue::Float(f) => Constant::Float(*f),
        MarshalValue::Complex(re, im) => Constant::Complex(*re, *im),
        MarshalValue::Str(s) => Constant::Str(s.clone()),
        MarshalValue::Bytes(b) => Constant::Bytes(b.clone()),
        MarshalValue::Code(c) => Constant::Code(c.clone()),
        MarshalValue::Tuple(items) | MarshalValue::FrozenSet(items) => {
            let frozen = matches!(value, MarshalValue::FrozenSet(_));
            let key = (Arc::as_ptr(items).cast::<u8>() as usize, frozen);
            if let Some((_, done)) = memo.get(&key) {
                return Ok(done.clone());
            }
            let converted = items
                .iter()
                .map(|v| convert(v, depth + 1, memo))
                .collect::<Result<Vec<_>, _>>()?;
            let constant = if frozen {
                Constant::FrozenSet(converted.into())
            } else {
                Constant::Tuple(converted.into())
            };
            memo.insert(key, (items.clone(), constant.clone()));
            constant
        }
        MarshalValue::StopIteration
        | MarshalValue::List(_)
        | MarshalValue::Dict(_)
        | MarshalValue::Set(_) => {
            return Err(MarshalErrorKind::UnsupportedConstant {
                found: value.type_name(),
            })
        }
    })
}

/// Where a value that is not a constant was found, and its type.
#[derive(Clone, Copy, Debug)]
struct NonConst {
    offset: usize,
    found: &'static str,
}

impl NonConst {
    fn error(self) -> MarshalError {
        MarshalError::new(
            self.offset,
            MarshalErrorKind::UnsupportedConstant { found: self.found },
        )
    }
}

/// A value as the reader passes it around: with where it was read, how deep
/// it is nested, whether it is hashable and, for tuples and frozensets,
/// its form as a constant (built as the value is, so it costs no walk).
#[derive(Clone, Debug)]
struct Item {
    value: MarshalValue,
    offset: usize,
    depth: usize,
    unhashable: Option<&'static str>,
    seq_const: Option<Result<Constant, NonConst>>,
}

impl Item {
    fn scalar(value: MarshalValue, offset: usize) -> Item {
        Item {
            value,
            offset,
            depth: 1,
            unhashable: None,
            seq_const: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SeqKind {
    Tuple,
    List,
    Set,
    FrozenSet,
}

impl SeqKind {
    fn name(self) -> &'static str {
        match self {
            SeqKind::Tuple => "tuple",
            SeqKind::List => "list",
            SeqKind::Set => "set",
            SeqKind::FrozenSet => "frozenset",
        }
    }
}

/// A tuple, list, set or frozenset being read.
struct SeqFrame {
    kind: SeqKind,
    start: usize,
    slot: Option<usize>,
    remaining: usize,
    values: Vec<MarshalValue>,
    consts: Result<Vec<Constant>, NonConst>,
    depth: usize,
    unhashable: Option<&'static str>,
}

/// A dict being read.
struct DictFrame {
    start: usize,
    slot: Option<usize>,
    pairs: Vec<(MarshalValue, MarshalValue)>,
    key: Option<MarshalValue>,
    depth: usize,
}

/// A code object being read: the header counts are read, the object fields
/// come one by one.
struct CodeFrame {
    start: usize,
    slot: Option<usize>,
    argcount: u32,
    posonlyargcount: u32,
    kwonlyargcount: u32,
    nlocals: u32,
    stacksize: u32,
    flags: u32,
    /// Index of the next object field: 0 `co_code` ... 8 `co_lnotab`.
    field: u8,
    code: Arc<[u8]>,
    consts: Vec<Constant>,
    names: [Vec<PyStr>; 4],
    varnames_offset: usize,
    filename: PyStr,
    name: PyStr,
    firstlineno: u32,
    lnotab: Arc<[u8]>,
    depth: usize,
}

enum Frame {
    Seq(SeqFrame),
    Dict(DictFrame),
    Code(Box<CodeFrame>),
}

/// What reading the start of an object gives: a finished value (`None` for
/// NULL) or a container whose items come next.
enum Step {
    Value(Option<Item>),
    Push(Frame),
}

/// The names of the four tuple-of-names fields, in marshal order.
const NAME_FIELDS: [&str; 4] = ["co_names", "co_varnames", "co_freevars", "co_cellvars"];

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// The reference table; `None` marks a slot reserved for an object
    /// still being read.
    refs: Vec<Option<Item>>,
    /// Bytes that copies made on behalf of back-references may still take.
    budget: usize,
}

fn err<T>(offset: usize, kind: MarshalErrorKind) -> Result<T> {
    Err(MarshalError::new(offset, kind))
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            refs: Vec::new(),
            budget: (64usize << 20).saturating_add(data.len().saturating_mul(64)),
        }
    }

    fn available(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let available = self.available();
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.data.get(self.pos..end)) {
            Some(slice) => {
                self.pos += n;
                Ok(slice)
            }
            None => err(
                self.pos,
                MarshalErrorKind::Truncated {
                    needed: n as u64,
                    available,
                },
            ),
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let at = self.pos;
        let slice = self.take(N)?;
        <[u8; N]>::try_from(slice).or_else(|_| {
            err(
                at,
                MarshalErrorKind::Truncated {
                    needed: N as u64,
                    available: slice.len(),
                },
            )
        })
    }

    fn byte(&mut self) -> Result<u8> {
        let [b] = self.array::<1>()?;
        Ok(b)
    }

    fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    /// A 32-bit length that must not be negative.
    fn length(&mut self, what: &'static str) -> Result<usize> {
        let at = self.pos;
        let n = self.i32()?;
        usize::try_from(n).or_else(|_| err(at, MarshalErrorKind::NegativeLength { what, value: n }))
    }

    fn charge(&mut self, cost: usize, offset: usize) -> Result<()> {
        match self.budget.checked_sub(cost) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => err(offset, MarshalErrorKind::ResourceLimit),
        }
    }

    fn reserve(&mut self, flag: bool) -> Option<usize> {
        if flag {
            self.refs.push(None);
            Some(self.refs.len() - 1)
        } else {
            None
        }
    }

    fn fill(&mut self, slot: Option<usize>, item: &Item) {
        if let Some(entry) = slot.and_then(|i| self.refs.get_mut(i)) {
            *entry = Some(item.clone());
        }
    }

    /// A value that is complete as soon as it is read.
    fn scalar(&mut self, start: usize, flag: bool, value: MarshalValue) -> Result<Step> {
        let item = Item::scalar(value, start);
        if flag {
            self.refs.push(Some(item.clone()));
        }
        Ok(Step::Value(Some(item)))
    }

    /// The value as a code object constant; the copy of an `int` is charged
    /// to the budget.
    fn constant_of(&mut self, item: &Item) -> Result<Result<Constant, NonConst>> {
        let nonconst = NonConst {
            offset: item.offset,
            found: item.value.type_name(),
        };
        Ok(Ok(match &item.value {
            MarshalValue::None => Constant::None,
            MarshalValue::Ellipsis => Constant::Ellipsis,
            MarshalValue::Bool(b) => Constant::Bool(*b),
            MarshalValue::Int(i) => {
                self.charge(int_cost(i), item.offset)?;
                Constant::Int(BigInt::clone(i))
            }
            MarshalValue::Float(f) => Constant::Float(*f),
            MarshalValue::Complex(re, im) => Constant::Complex(*re, *im),
            MarshalValue::Str(s) => Constant::Str(s.clone()),
            MarshalValue::Bytes(b) => Constant::Bytes(b.clone()),
            MarshalValue::Code(c) => Constant::Code(c.clone()),
            MarshalValue::Tuple(_) | MarshalValue::FrozenSet(_) => {
                return Ok(item.seq_const.clone().unwrap_or(Err(nonconst)))
            }
            MarshalValue::StopIteration
            | MarshalValue::List(_)
            | MarshalValue::Dict(_)
            | MarshalValue::Set(_) => return Ok(Err(nonconst)),
        }))
    }

    /// Reads the top-level object.
    fn read_top(&mut self) -> Result<Item> {
        match self.read_object()? {
            Some(item) => Ok(item),
            None => err(0, MarshalErrorKind::NullObject { context: "object" }),
        }
    }

    /// Reads one object, containers included, with an explicit stack.
    fn read_object(&mut self) -> Result<Option<Item>> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let mut child_offset = self.pos;
            let mut done = match self.read_start(stack.len() + 1)? {
                Step::Push(frame) => {
                    stack.push(frame);
                    continue;
                }
                Step::Value(v) => v,
            };
            // Hand the finished value to the containers it completes.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok(done);
                };
                if !self.accept(frame, done, child_offset)? {
                    break;
                }
                let Some(frame) = stack.pop() else {
                    break;
                };
                let item = self.finish(frame)?;
                child_offset = item.offset;
                done = Some(item);
            }
        }
    }

    /// Reads a type code and what follows it up to the first item of a
    /// container. `depth` is the nesting depth of the object.
    fn read_start(&mut self, depth: usize) -> Result<Step> {
        let start = self.pos;
        let code = self.byte()?;
        if depth > MAX_MARSHAL_STACK_DEPTH {
            return err(start, MarshalErrorKind::TooDeep);
        }
        let flag = code & tc::FLAG_REF != 0;
        match code & !tc::FLAG_REF {
            tc::NULL => Ok(Step::Value(None)),
            // Singletons never go into the reference table.
            tc::NONE => Ok(Step::Value(Some(Item::scalar(MarshalValue::None, start)))),
            tc::STOPITER => Ok(Step::Value(Some(Item::scalar(
                MarshalValue::StopIteration,
                start,
            )))),
            tc::ELLIPSIS => Ok(Step::Value(Some(Item::scalar(
                MarshalValue::Ellipsis,
                start,
            )))),
            tc::FALSE => Ok(Step::Value(Some(Item::scalar(
                MarshalValue::Bool(false),
                start,
            )))),
            tc::TRUE => Ok(Step::Value(Some(Item::scalar(
                MarshalValue::Bool(true),
                start,
            )))),
            tc::INT => {
                let v = self.i32()?;
                self.scalar(start, flag, MarshalValue::Int(Arc::new(BigInt::from(v))))
            }
            tc::INT64 => {
                let v = i64::from_le_bytes(self.array()?);
                self.scalar(start, flag, MarshalValue::Int(Arc::new(BigInt::from(v))))
            }
            tc::LONG => {
                let v = self.long()?;
                self.scalar(start, flag, MarshalValue::Int(Arc::new(v)))
            }
            tc::FLOAT => {
                let v = self.float_text()?;
                self.scalar(start, flag, MarshalValue::Float(v))
            }
            tc::BINARY_FLOAT => {
                let v = f64::from_le_bytes(self.array()?);
                self.scalar(start, flag, MarshalValue::Float(v))
            }
            tc::COMPLEX => {
                let re = self.float_text()?;
                let im = self.float_text()?;
                self.scalar(start, flag, MarshalValue::Complex(re, im))
            }
            tc::BINARY_COMPLEX => {
                let re = f64::from_le_bytes(self.array()?);
                let im = f64::from_le_bytes(self.array()?);
                self.scalar(start, flag, MarshalValue::Complex(re, im))
            }
            tc::STRING => {
                let n = self.length("bytes object")?;
                let bytes = self.take(n)?;
                self.scalar(start, flag, MarshalValue::Bytes(bytes.into()))
            }
            tc::UNICODE | tc::INTERNED => {
                let n = self.length("string")?;
                let at = self.pos;
                let bytes = self.take(n)?;
                let s = decode_utf8_surrogatepass(bytes, at)?;
                self.scalar(start, flag, MarshalValue::Str(s))
            }
            tc::ASCII | tc::ASCII_INTERNED => {
                let n = self.length("string")?;
                let bytes = self.take(n)?;
                self.scalar(start, flag, MarshalValue::Str(decode_latin1(bytes)))
            }
            tc::SHORT_ASCII | tc::SHORT_ASCII_INTERNED => {
                let n = usize::from(self.byte()?);
                let bytes = self.take(n)?;
                self.scalar(start, flag, MarshalValue::Str(decode_latin1(bytes)))
            }
            tc::TUPLE => {
                let n = self.length("tuple")?;
                self.start_seq(start, flag, SeqKind::Tuple, n)
            }
            tc::SMALL_TUPLE => {
                let n = usize::from(self.byte()?);
                self.start_seq(start, flag, SeqKind::Tuple, n)
            }
            tc::LIST => {
                let n = self.length("list")?;
                self.start_seq(start, flag, SeqKind::List, n)
            }
            tc::SET => {
                let n = self.length("set")?;
                self.start_seq(start, flag, SeqKind::Set, n)
            }
            tc::FROZENSET => {
                let n = self.length("set")?;
                self.start_seq(start, flag, SeqKind::FrozenSet, n)
            }
            tc::DICT => {
                let slot = self.reserve(flag);
                Ok(Step::Push(Frame::Dict(DictFrame {
                    start,
                    slot,
                    pairs: Vec::new(),
                    key: None,
                    depth: 1,
                })))
            }
            tc::CODE => self.start_code(start, flag),
            tc::REF => {
                let at = self.pos;
                let index = self.i32()?;
                let len = self.refs.len();
                let entry = usize::try_from(index).ok().and_then(|i| self.refs.get(i));
                match entry {
                    Some(Some(item)) => {
                        let mut item = item.clone();
                        item.offset = start;
                        Ok(Step::Value(Some(item)))
                    }
                    Some(None) => err(
                        at,
                        MarshalErrorKind::IncompleteRef {
                            index: index.unsigned_abs(),
                        },
                    ),
                    None => err(at, MarshalErrorKind::InvalidRef { index, len }),
                }
            }
            tc::UNKNOWN => err(start, MarshalErrorKind::Unmarshallable),
            _ => err(start, MarshalErrorKind::UnknownType { code }),
        }
    }

    fn start_seq(&mut self, start: usize, flag: bool, kind: SeqKind, n: usize) -> Result<Step> {
        let slot = self.reserve(flag);
        // Every item takes at least one byte.
        let available = self.available();
        if n > available {
            return err(
                self.pos,
                MarshalErrorKind::Truncated {
                    needed: n as u64,
                    available,
                },
            );
        }
        let capacity = n.min(32);
        let consts = match kind {
            SeqKind::Tuple | SeqKind::FrozenSet => Ok(Vec::with_capacity(capacity)),
            SeqKind::List | SeqKind::Set => Err(NonConst {
                offset: start,
                found: kind.name(),
            }),
        };
        let frame = SeqFrame {
            kind,
            start,
            slot,
            remaining: n,
            values: Vec::with_capacity(capacity),
            consts,
            depth: 1,
            unhashable: None,
        };
        if n == 0 {
            Ok(Step::Value(Some(self.finish(Frame::Seq(frame))?)))
        } else {
            Ok(Step::Push(Frame::Seq(frame)))
        }
    }

    fn start_code(&mut self, start: usize, flag: bool) -> Result<Step> {
        let slot = self.reserve(flag);
        let mut header = [0u32; 6];
        let fields = [
            "co_argcount",
            "co_posonlyargcount",
            "co_kwonlyargcount",
            "co_nlocals",
            "co_stacksize",
            "co_flags",
        ];
        for i in 0..header.len() {
            let field = fields.get(i).copied().unwrap_or("co_flags");
            let at = self.pos;
            let v = self.i32()?;
            let value = u32::try_from(v)
                .or_else(|_| err(at, MarshalErrorKind::NegativeCodeField { field, value: v }))?;
            if let Some(slot) = header.get_mut(i) {
                *slot = value;
            }
            if i == 1 {
                let [argcount, posonlyargcount, ..] = header;
                if posonlyargcount > argcount {
                    return err(
                        at,
                        MarshalErrorKind::PosOnlyExceedsArgCount {
                            argcount,
                            posonlyargcount,
                        },
                    );
                }
            }
        }
        let [argcount, posonlyargcount, kwonlyargcount, nlocals, stacksize, flags] = header;
        Ok(Step::Push(Frame::Code(Box::new(CodeFrame {
            start,
            slot,
            argcount,
            posonlyargcount,
            kwonlyargcount,
            nlocals,
            stacksize,
            flags,
            field: 0,
            code: Arc::from(&[][..]),
            consts: Vec::new(),
            names: Default::default(),
            varnames_offset: start,
            filename: PyStr::from(""),
            name: PyStr::from(""),
            firstlineno: 0,
            lnotab: Arc::from(&[][..]),
            depth: 1,
        }))))
    }

    /// Gives a finished item (`None` for NULL, read at `offset`) to the
    /// innermost container; true when that completes the container.
    fn accept(&mut self, frame: &mut Frame, child: Option<Item>, offset: usize) -> Result<bool> {
        if let Some(item) = &child {
            if item.depth >= MAX_MARSHAL_STACK_DEPTH {
                return err(item.offset, MarshalErrorKind::TooDeep);
            }
        }
        match frame {
            Frame::Seq(f) => {
                let Some(item) = child else {
                    return err(
                        offset,
                        MarshalErrorKind::NullObject {
                            context: match f.kind {
                                SeqKind::Tuple => "tuple",
                                SeqKind::List => "list",
                                SeqKind::Set | SeqKind::FrozenSet => "set",
                            },
                        },
                    );
                };
                if matches!(f.kind, SeqKind::Set | SeqKind::FrozenSet) {
                    if let Some(found) = item.unhashable {
                        return err(item.offset, MarshalErrorKind::Unhashable { found });
                    }
                }
                f.depth = f.depth.max(item.depth + 1);
                f.unhashable = f.unhashable.or(item.unhashable);
                if f.consts.is_ok() {
                    match self.constant_of(&item)? {
                        Ok(c) => {
                            if let Ok(consts) = &mut f.consts {
                                consts.push(c);
                            }
                        }
                        Err(nc) => f.consts = Err(nc),
                    }
                }
                f.values.push(item.value);
                f.remaining = f.remaining.saturating_sub(1);
                Ok(f.remaining == 0)
            }
            Frame::Dict(f) => {
                // A NULL key ends the dict; so does a NULL value (the key is
                // then dropped), as in CPython.
                let Some(item) = child else {
                    return Ok(true);
                };
                f.depth = f.depth.max(item.depth + 1);
                match f.key.take() {
                    None => {
                        if let Some(found) = item.unhashable {
                            return err(item.offset, MarshalErrorKind::Unhashable { found });
                        }
                        f.key = Some(item.value);
                    }
                    Some(key) => f.pairs.push((key, item.value)),
                }
                Ok(false)
            }
            Frame::Code(f) => {
                let Some(item) = child else {
                    return err(
                        offset,
                        MarshalErrorKind::NullObject {
                            context: "code object",
                        },
                    );
                };
                f.depth = f.depth.max(item.depth + 1);
                self.code_field(f, item)
            }
        }
    }

    /// Stores the next field of a code object; true after `co_lnotab`.
    fn code_field(&mut self, f: &mut CodeFrame, item: Item) -> Result<bool> {
        let wrong = |field: &'static str, expected: &'static str| {
            err(
                item.offset,
                MarshalErrorKind::CodeFieldType {
                    field,
                    expected,
                    found: item.value.type_name(),
                },
            )
        };
        match f.field {
            0 => match &item.value {
                MarshalValue::Bytes(b) => f.code = b.clone(),
                _ => return wrong("co_code", "bytes"),
            },
            1 => {
                if !matches!(item.value, MarshalValue::Tuple(_)) {
                    return wrong("co_consts", "tuple");
                }
                match self.constant_of(&item)? {
                    Ok(Constant::Tuple(consts)) => {
                        let cost = consts
                            .iter()
                            .map(|c| match c {
                                Constant::Int(i) => int_cost(i),
                                _ => 0,
                            })
                            .fold(
                                consts.len().saturating_mul(std::mem::size_of::<Constant>()),
                                usize::saturating_add,
                            );
                        self.charge(cost, item.offset)?;
                        f.consts = consts.to_vec();
                    }
                    Ok(_) => return wrong("co_consts", "tuple"),
                    Err(nc) => return Err(nc.error()),
                }
            }
            2..=5 => {
                let index = usize::from(f.field - 2);
                let field = NAME_FIELDS.get(index).copied().unwrap_or("co_names");
                let MarshalValue::Tuple(items) = &item.value else {
                    return wrong(field, "tuple");
                };
                self.charge(
                    items.len().saturating_mul(std::mem::size_of::<PyStr>()),
                    item.offset,
                )?;
                let mut names = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    match v {
                        MarshalValue::Str(s) => names.push(s.clone()),
                        other => {
                            return err(
                                item.offset,
                                MarshalErrorKind::CodeNameType {
                                    field,
                                    index: i,
                                    found: other.type_name(),
                                },
                            )
                        }
                    }
                }
                if field == "co_varnames" {
                    f.varnames_offset = item.offset;
                }
                if let Some(slot) = f.names.get_mut(index) {
                    *slot = names;
                }
            }
            6 => match &item.value {
                MarshalValue::Str(s) => f.filename = s.clone(),
                _ => return wrong("co_filename", "str"),
            },
            7 => {
                match &item.value {
                    MarshalValue::Str(s) => f.name = s.clone(),
                    _ => return wrong("co_name", "str"),
                }
                // co_firstlineno comes between co_name and co_lnotab.
                let at = self.pos;
                let v = self.i32()?;
                f.firstlineno = u32::try_from(v).or_else(|_| {
                    err(
                        at,
                        MarshalErrorKind::NegativeCodeField {
                            field: "co_firstlineno",
                            value: v,
                        },
                    )
                })?;
            }
            _ => match &item.value {
                MarshalValue::Bytes(b) => {
                    f.lnotab = b.clone();
                    return Ok(true);
                }
                _ => return wrong("co_lnotab", "bytes"),
            },
        }
        f.field = f.field.saturating_add(1);
        Ok(false)
    }

    /// Builds the value of a completed container and fills its reference slot.
    fn finish(&mut self, frame: Frame) -> Result<Item> {
        let (item, slot) = match frame {
            Frame::Seq(f) => {
                let values: Arc<[MarshalValue]> = f.values.into();
                let (value, unhashable, seq_const) = match f.kind {
                    SeqKind::Tuple => (
                        MarshalValue::Tuple(values),
                        f.unhashable,
                        Some(f.consts.map(|c| Constant::Tuple(c.into()))),
                    ),
                    SeqKind::FrozenSet => (
                        MarshalValue::FrozenSet(values),
                        None,
                        Some(f.consts.map(|c| Constant::FrozenSet(c.into()))),
                    ),
                    SeqKind::List => (MarshalValue::List(values), Some("list"), None),
                    SeqKind::Set => (MarshalValue::Set(values), Some("set"), None),
                };
                let item = Item {
                    value,
                    offset: f.start,
                    depth: f.depth,
                    unhashable,
                    seq_const,
                };
                (item, f.slot)
            }
            Frame::Dict(f) => {
                let item = Item {
                    value: MarshalValue::Dict(f.pairs.into()),
                    offset: f.start,
                    depth: f.depth,
                    unhashable: Some("dict"),
                    seq_const: None,
                };
                (item, f.slot)
            }
            Frame::Code(f) => {
                let f = *f;
                let [names, varnames, freevars, cellvars] = f.names;
                let needed = u64::from(f.argcount)
                    + u64::from(f.kwonlyargcount)
                    + u64::from(f.flags & flags::VARARGS != 0)
                    + u64::from(f.flags & flags::VARKEYWORDS != 0);
                if needed > varnames.len() as u64 {
                    return err(
                        f.varnames_offset,
                        MarshalErrorKind::VarnamesTooSmall {
                            needed,
                            len: varnames.len(),
                        },
                    );
                }
                // As PyCode_NewWithPosOnlyArgs does.
                let co_flags = if cellvars.is_empty() && freevars.is_empty() {
                    f.flags | flags::NOFREE
                } else {
                    f.flags & !flags::NOFREE
                };
                let code = CodeObject {
                    argcount: f.argcount,
                    posonlyargcount: f.posonlyargcount,
                    kwonlyargcount: f.kwonlyargcount,
                    nlocals: f.nlocals,
                    stacksize: f.stacksize,
                    flags: co_flags,
                    code: f.code,
                    consts: f.consts,
                    names,
                    varnames,
                    freevars,
                    cellvars,
                    filename: f.filename,
                    name: f.name,
                    firstlineno: f.firstlineno,
                    lnotab: f.lnotab,
                };
                let item = Item {
                    value: MarshalValue::Code(Arc::new(code)),
                    offset: f.start,
                    depth: f.depth,
                    unhashable: None,
                    seq_const: None,
                };
                (item, f.slot)
            }
        };
        self.fill(slot, &item);
        Ok(item)
    }

    /// A `long`: a signed count of base-2**15 digits, then the digits.
    fn long(&mut self) -> Result<BigInt> {
        let at = self.pos;
        let n = self.i32()?;
        if n == 0 {
            return Ok(BigInt::default());
        }
        if n == i32::MIN {
            return err(at, MarshalErrorKind::LongSizeOutOfRange { value: n });
        }
        let count = n.unsigned_abs();
        let mut words: Vec<u32> = Vec::new();
        let mut acc: u64 = 0;
        let mut bits: u32 = 0;
        let mut last_at = self.pos;
        let mut last: u16 = 0;
        for _ in 0..count {
            last_at = self.pos;
            last = u16::from_le_bytes(self.array()?);
            if last > 0x7fff {
                return err(
                    last_at,
                    MarshalErrorKind::LongDigitOutOfRange { digit: last },
                );
            }
            acc |= u64::from(last) << bits;
            bits += 15;
            if bits >= 32 {
                words.push(acc as u32);
                acc >>= 32;
                bits -= 32;
            }
        }
        if last == 0 {
            return err(last_at, MarshalErrorKind::UnnormalizedLong);
        }
        if bits > 0 {
            words.push(acc as u32);
        }
        let sign = if n < 0 { Sign::Minus } else { Sign::Plus };
        Ok(BigInt::from_biguint(sign, BigUint::new(words)))
    }

    /// A textual float: a length byte, then the text as `repr` writes it.
    fn float_text(&mut self) -> Result<f64> {
        let n = usize::from(self.byte()?);
        let at = self.pos;
        let bytes = self.take(n)?;
        // CPython copies the text into a NUL-terminated buffer, so the text
        // stops at the first NUL.
        let text = bytes.split(|&b| b == 0).next().unwrap_or_default();
        match std::str::from_utf8(text).ok().and_then(parse_float) {
            Some(v) => Ok(v),
            None => err(
                at,
                MarshalErrorKind::InvalidFloat {
                    text: String::from_utf8_lossy(text).into_owned(),
                },
            ),
        }
    }
}

/// Parses float text as `PyOS_string_to_double` does (decimal notation,
/// `inf`, `infinity`, `nan`, each with an optional sign; no spaces).
fn parse_float(text: &str) -> Option<f64> {
    let valid = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !valid {
        return None;
    }
    text.parse::<f64>().ok()
}

/// What copying an `int` costs the memory budget.
fn int_cost(i: &BigInt) -> usize {
    usize::try_from(i.bits() / 8)
        .unwrap_or(usize::MAX)
        .saturating_add(std::mem::size_of::<BigInt>())
}

/// Decodes one byte per character (`a`, `A`, `z`, `Z`), as CPython's
/// `PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, ...)`: Latin-1.
fn decode_latin1(bytes: &[u8]) -> PyStr {
    match std::str::from_utf8(bytes) {
        Ok(s) if bytes.is_ascii() => PyStr::Utf8(s.into()),
        _ => PyStr::Utf8(
            bytes
                .iter()
                .map(|&b| char::from(b))
                .collect::<String>()
                .into(),
        ),
    }
}

/// Decodes UTF-8 with the `surrogatepass` error handler: the 3-byte
/// encodings of U+D800..U+DFFF are accepted as lone surrogates. `base` is
/// the offset of `bytes` in the input, for errors.
fn decode_utf8_surrogatepass(bytes: &[u8], base: usize) -> Result<PyStr> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(PyStr::Utf8(s.into()));
    }
    let mut points = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let cont = |j: usize, lo: u8, hi: u8| -> Option<u32> {
        bytes
            .get(j)
            .filter(|&&b| (lo..=hi).contains(&b))
            .map(|&b| u32::from(b & 0x3f))
    };
    while let Some(&b0) = bytes.get(i) {
        let lead = u32::from(b0);
        let decoded = match b0 {
            0x00..=0x7f => Some((lead, 1)),
            0xc2..=0xdf => cont(i + 1, 0x80, 0xbf).map(|c1| (((lead & 0x1f) << 6) | c1, 2)),
            0xe0..=0xef => {
                let lo = if b0 == 0xe0 { 0xa0 } else { 0x80 };
                cont(i + 1, lo, 0xbf)
                    .zip(cont(i + 2, 0x80, 0xbf))
                    .map(|(c1, c2)| (((lead & 0x0f) << 12) | (c1 << 6) | c2, 3))
            }
            0xf0..=0xf4 => {
                let (lo, hi) = match b0 {
                    0xf0 => (0x90, 0xbf),
                    0xf4 => (0x80, 0x8f),
                    _ => (0x80, 0xbf),
                };
                cont(i + 1, lo, hi)
                    .zip(cont(i + 2, 0x80, 0xbf))
                    .zip(cont(i + 3, 0x80, 0xbf))
                    .map(|((c1, c2), c3)| (((lead & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4))
            }
            _ => None,
        };
        match decoded {
            Some((point, len)) => {
                points.push(point);
                i += len;
            }
            None => return err(base.saturating_add(i), MarshalErrorKind::InvalidUtf8),
        }
    }
    Ok(PyStr::from_code_points(&points))
}
