//! CPython 3.9 code objects and the constants they carry.
//!
//! These are the values that `marshal` produces for a compiled module: the
//! same fields, in the same meaning, as `types.CodeType` in CPython 3.9.

use num_bigint::BigInt;
use std::fmt;
use std::sync::Arc;

/// A Python `str`. Almost every string is valid Unicode and is kept as UTF-8;
/// a string holding lone surrogates (legal in Python, impossible in a Rust
/// `str`) keeps its code points instead.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum PyStr {
    /// A string of Unicode scalar values.
    Utf8(Arc<str>),
    /// A string with at least one lone surrogate, as code points.
    CodePoints(Arc<[u32]>),
}

impl PyStr {
    /// Builds a string from code points, keeping UTF-8 when none is a surrogate.
    pub fn from_code_points(points: &[u32]) -> PyStr {
        match points
            .iter()
            .map(|&p| char::from_u32(p))
            .collect::<Option<String>>()
        {
            Some(s) => PyStr::Utf8(s.into()),
            None => PyStr::CodePoints(points.into()),
        }
    }

    /// The string as UTF-8 when it holds no lone surrogate.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyStr::Utf8(s) => Some(s),
            PyStr::CodePoints(_) => None,
        }
    }

    /// The code points of the string, in order.
    pub fn code_points(&self) -> Vec<u32> {
        match self {
            PyStr::Utf8(s) => s.chars().map(u32::from).collect(),
            PyStr::CodePoints(p) => p.to_vec(),
        }
    }

    /// The string with each lone surrogate replaced by U+FFFD, for messages.
    pub fn to_string_lossy(&self) -> String {
        match self {
            PyStr::Utf8(s) => s.to_string(),
            PyStr::CodePoints(p) => p
                .iter()
                .map(|&c| char::from_u32(c).unwrap_or('\u{FFFD}'))
                .collect(),
        }
    }
}

impl From<&str> for PyStr {
    fn from(s: &str) -> PyStr {
        PyStr::Utf8(s.into())
    }
}

impl fmt::Debug for PyStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string_lossy())
    }
}

impl fmt::Display for PyStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_lossy())
    }
}

/// An immutable value that can appear in `co_consts`.
#[derive(Clone, Debug)]
pub enum Constant {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// `...`.
    Ellipsis,
    /// An `int` of any size.
    Int(BigInt),
    /// A `float`.
    Float(f64),
    /// A `complex` number (real, imaginary).
    Complex(f64, f64),
    /// A `str`.
    Str(PyStr),
    /// A `bytes` value.
    Bytes(Arc<[u8]>),
    /// A `tuple` of constants.
    Tuple(Arc<[Constant]>),
    /// A `frozenset`, its elements in the order marshal stored them.
    FrozenSet(Arc<[Constant]>),
    /// A nested code object (function, class body, comprehension, lambda).
    Code(Arc<CodeObject>),
}

/// The `co_flags` bits of CPython 3.9 (`Include/code.h`).
pub mod flags {
    /// Locals are fast (array) locals.
    pub const OPTIMIZED: u32 = 0x0001;
    /// A new locals dict is made for each frame.
    pub const NEWLOCALS: u32 = 0x0002;
    /// The function takes `*args`.
    pub const VARARGS: u32 = 0x0004;
    /// The function takes `**kwargs`.
    pub const VARKEYWORDS: u32 = 0x0008;
    /// The code is nested in a function.
    pub const NESTED: u32 = 0x0010;
    /// The code is a generator function.
    pub const GENERATOR: u32 = 0x0020;
    /// The code has no cell or free variables.
    pub const NOFREE: u32 = 0x0040;
    /// The code is a coroutine (`async def`).
    pub const COROUTINE: u32 = 0x0080;
    /// A generator usable with `await` (`types.coroutine`).
    pub const ITERABLE_COROUTINE: u32 = 0x0100;
    /// An asynchronous generator.
    pub const ASYNC_GENERATOR: u32 = 0x0200;
}

/// A CPython 3.9 code object: every `co_*` field the interpreter reads.
#[derive(Clone, Debug)]
pub struct CodeObject {
    /// `co_argcount`: positional parameters, positional-only ones included.
    pub argcount: u32,
    /// `co_posonlyargcount`.
    pub posonlyargcount: u32,
    /// `co_kwonlyargcount`.
    pub kwonlyargcount: u32,
    /// `co_nlocals`: the number of fast locals (`co_varnames`).
    pub nlocals: u32,
    /// `co_stacksize`: the largest operand stack the code needs.
    pub stacksize: u32,
    /// `co_flags`, see [`flags`].
    pub flags: u32,
    /// `co_code`: the wordcode.
    pub code: Arc<[u8]>,
    /// `co_consts`.
    pub consts: Vec<Constant>,
    /// `co_names`: globals, attributes and imported names.
    pub names: Vec<PyStr>,
    /// `co_varnames`: parameters, then other fast locals.
    pub varnames: Vec<PyStr>,
    /// `co_freevars`: variables captured from enclosing scopes.
    pub freevars: Vec<PyStr>,
    /// `co_cellvars`: locals captured by inner scopes.
    pub cellvars: Vec<PyStr>,
    /// `co_filename`.
    pub filename: PyStr,
    /// `co_name`.
    pub name: PyStr,
    /// `co_firstlineno`.
    pub firstlineno: u32,
    /// `co_lnotab`: pairs of (bytecode offset increment, signed line increment).
    pub lnotab: Arc<[u8]>,
}

impl CodeObject {
    /// The (offset, line) pairs at which a new source line starts, as
    /// `dis.findlinestarts` computes them from `co_lnotab`.
    pub fn line_starts(&self) -> Vec<(u32, i64)> {
        let mut out = Vec::new();
        let mut last: Option<i64> = None;
        let mut line = i64::from(self.firstlineno);
        let mut addr: u32 = 0;
        for pair in self.lnotab.chunks_exact(2) {
            let (byte_incr, line_incr) = (pair[0], pair[1] as i8);
            if byte_incr != 0 {
                if last != Some(line) {
                    out.push((addr, line));
                    last = Some(line);
                }
                addr += u32::from(byte_incr);
                if addr as usize >= self.code.len() {
                    return out;
                }
            }
            line += i64::from(line_incr);
        }
        if last != Some(line) {
            out.push((addr, line));
        }
        out
    }

    /// The source line of the instruction at `offset`, as `PyCode_Addr2Line` computes it.
    pub fn line_of(&self, offset: u32) -> i64 {
        let mut line = i64::from(self.firstlineno);
        let mut addr: u32 = 0;
        for pair in self.lnotab.chunks_exact(2) {
            addr += u32::from(pair[0]);
            if addr > offset {
                break;
            }
            line += i64::from(pair[1] as i8);
        }
        line
    }

    /// Every code object reachable from this one, this one first, in the
    /// depth-first order `dis` prints them.
    pub fn walk(self: &Arc<Self>) -> Vec<Arc<CodeObject>> {
        let mut out = Vec::new();
        fn go(c: &Arc<CodeObject>, out: &mut Vec<Arc<CodeObject>>) {
            out.push(c.clone());
            for k in &c.consts {
                if let Constant::Code(inner) = k {
                    go(inner, out);
                }
            }
        }
        go(self, &mut out);
        out
    }

    /// Number of cell plus free variables, the size of the cell array.
    pub fn ncells(&self) -> usize {
        self.cellvars.len() + self.freevars.len()
    }
}
