//! The heap: objects with non-atomic reference counts, in one vector of
//! slots reused through a free list. Freeing an object drops what it
//! holds, iteratively (a long chain of lists does not recurse). Reference
//! cycles are not collected yet.
//!
//! Ownership convention: [`Heap::alloc`] returns a value holding the one
//! reference to its new object; whoever receives it stores it (the
//! reference moves) or drops it with [`Heap::decref`].

use crate::code::VmCode;
use crate::dict::Dict;
use crate::value::{ObjRef, Value};
use num_bigint::BigInt;
use pyreg_spec::settable::SetTable;
use std::cell::Cell;
use std::rc::Rc;

/// The built-in exception classes, CPython 3.9's hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum ExcKind {
    BaseException,
    SystemExit,
    KeyboardInterrupt,
    GeneratorExit,
    Exception,
    StopIteration,
    StopAsyncIteration,
    ArithmeticError,
    FloatingPointError,
    OverflowError,
    ZeroDivisionError,
    AssertionError,
    AttributeError,
    BufferError,
    EOFError,
    ImportError,
    ModuleNotFoundError,
    LookupError,
    IndexError,
    KeyError,
    MemoryError,
    NameError,
    UnboundLocalError,
    OSError,
    ReferenceError,
    RuntimeError,
    NotImplementedError,
    RecursionError,
    SyntaxError,
    SystemError,
    TypeError,
    ValueError,
    UnicodeError,
    UnicodeDecodeError,
    UnicodeEncodeError,
    Warning,
    DeprecationWarning,
    UserWarning,
    RuntimeWarning,
    BlockingIOError,
    ChildProcessError,
    ConnectionError,
    BrokenPipeError,
    ConnectionAbortedError,
    ConnectionRefusedError,
    ConnectionResetError,
    FileExistsError,
    FileNotFoundError,
    InterruptedError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
    ProcessLookupError,
    TimeoutError,
    IndentationError,
    TabError,
    UnicodeTranslateError,
    PendingDeprecationWarning,
    SyntaxWarning,
    FutureWarning,
    ImportWarning,
    UnicodeWarning,
    BytesWarning,
    ResourceWarning,
}

impl ExcKind {
    /// Every kind, bases before subclasses.
    pub const ALL: [ExcKind; 64] = {
        use ExcKind::*;
        [
            BaseException,
            SystemExit,
            KeyboardInterrupt,
            GeneratorExit,
            Exception,
            StopIteration,
            StopAsyncIteration,
            ArithmeticError,
            FloatingPointError,
            OverflowError,
            ZeroDivisionError,
            AssertionError,
            AttributeError,
            BufferError,
            EOFError,
            ImportError,
            ModuleNotFoundError,
            LookupError,
            IndexError,
            KeyError,
            MemoryError,
            NameError,
            UnboundLocalError,
            OSError,
            ReferenceError,
            RuntimeError,
            NotImplementedError,
            RecursionError,
            SyntaxError,
            SystemError,
            TypeError,
            ValueError,
            UnicodeError,
            UnicodeDecodeError,
            UnicodeEncodeError,
            Warning,
            DeprecationWarning,
            UserWarning,
            RuntimeWarning,
            BlockingIOError,
            ChildProcessError,
            ConnectionError,
            BrokenPipeError,
            ConnectionAbortedError,
            ConnectionRefusedError,
            ConnectionResetError,
            FileExistsError,
            FileNotFoundError,
            InterruptedError,
            IsADirectoryError,
            NotADirectoryError,
            PermissionError,
            ProcessLookupError,
            TimeoutError,
            IndentationError,
            TabError,
            UnicodeTranslateError,
            PendingDeprecationWarning,
            SyntaxWarning,
            FutureWarning,
            ImportWarning,
            UnicodeWarning,
            BytesWarning,
            ResourceWarning,
        ]
    };

    /// The class name.
    pub fn name(self) -> &'static str {
        use ExcKind::*;
        match self {
            BaseException => "BaseException",
            SystemExit => "SystemExit",
            KeyboardInterrupt => "KeyboardInterrupt",
            GeneratorExit => "GeneratorExit",
            Exception => "Exception",
            StopIteration => "StopIteration",
            StopAsyncIteration => "StopAsyncIteration",
            ArithmeticError => "ArithmeticError",
            FloatingPointError => "FloatingPointError",
            OverflowError => "OverflowError",
            ZeroDivisionError => "ZeroDivisionError",
            AssertionError => "AssertionError",
            AttributeError => "AttributeError",
            BufferError => "BufferError",
            EOFError => "EOFError",
            ImportError => "ImportError",
            ModuleNotFoundError => "ModuleNotFoundError",
            LookupError => "LookupError",
            IndexError => "IndexError",
            KeyError => "KeyError",
            MemoryError => "MemoryError",
            NameError => "NameError",
            UnboundLocalError => "UnboundLocalError",
            OSError => "OSError",
            ReferenceError => "ReferenceError",
            RuntimeError => "RuntimeError",
            NotImplementedError => "NotImplementedError",
            RecursionError => "RecursionError",
            SyntaxError => "SyntaxError",
            SystemError => "SystemError",
            TypeError => "TypeError",
            ValueError => "ValueError",
            UnicodeError => "UnicodeError",
            UnicodeDecodeError => "UnicodeDecodeError",
            UnicodeEncodeError => "UnicodeEncodeError",
            Warning => "Warning",
            DeprecationWarning => "DeprecationWarning",
            UserWarning => "UserWarning",
            RuntimeWarning => "RuntimeWarning",
            BlockingIOError => "BlockingIOError",
            ChildProcessError => "ChildProcessError",
            ConnectionError => "ConnectionError",
            BrokenPipeError => "BrokenPipeError",
            ConnectionAbortedError => "ConnectionAbortedError",
            ConnectionRefusedError => "ConnectionRefusedError",
            ConnectionResetError => "ConnectionResetError",
            FileExistsError => "FileExistsError",
            FileNotFoundError => "FileNotFoundError",
            InterruptedError => "InterruptedError",
            IsADirectoryError => "IsADirectoryError",
            NotADirectoryError => "NotADirectoryError",
            PermissionError => "PermissionError",
            ProcessLookupError => "ProcessLookupError",
            TimeoutError => "TimeoutError",
            IndentationError => "IndentationError",
            TabError => "TabError",
            UnicodeTranslateError => "UnicodeTranslateError",
            PendingDeprecationWarning => "PendingDeprecationWarning",
            SyntaxWarning => "SyntaxWarning",
            FutureWarning => "FutureWarning",
            ImportWarning => "ImportWarning",
            UnicodeWarning => "UnicodeWarning",
            BytesWarning => "BytesWarning",
            ResourceWarning => "ResourceWarning",
        }
    }

    /// The base class (`None` for `BaseException`).
    pub fn base(self) -> Option<ExcKind> {
        use ExcKind::*;
        Some(match self {
            BaseException => return None,
            SystemExit | KeyboardInterrupt | GeneratorExit | Exception => BaseException,
            FloatingPointError | OverflowError | ZeroDivisionError => ArithmeticError,
            ModuleNotFoundError => ImportError,
            IndexError | KeyError => LookupError,
            UnboundLocalError => NameError,
            NotImplementedError | RecursionError => RuntimeError,
            UnicodeError => ValueError,
            UnicodeDecodeError | UnicodeEncodeError => UnicodeError,
            DeprecationWarning
            | UserWarning
            | RuntimeWarning
            | PendingDeprecationWarning
            | SyntaxWarning
            | FutureWarning
            | ImportWarning
            | UnicodeWarning
            | BytesWarning
            | ResourceWarning => Warning,
            BlockingIOError | ChildProcessError | ConnectionError | FileExistsError
            | FileNotFoundError | InterruptedError | IsADirectoryError | NotADirectoryError
            | PermissionError | ProcessLookupError | TimeoutError => OSError,
            BrokenPipeError
            | ConnectionAbortedError
            | ConnectionRefusedError
            | ConnectionResetError => ConnectionError,
            IndentationError => SyntaxError,
            TabError => IndentationError,
            UnicodeTranslateError => UnicodeError,
            _ => Exception,
        })
    }
}

/// The built-in types, as the VM lays their objects out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Ty {
    Object,
    Type,
    NoneType,
    Int,
    Bool,
    Float,
    Str,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
    Range,
    Slice,
    Function,
    BuiltinFunction,
    Method,
    Generator,
    Iterator,
    Cell,
    Property,
    StaticMethod,
    ClassMethod,
    Super,
    NotImplementedType,
    Ellipsis,
    Module,
    Code,
    Bytes,
    ByteArray,
    Complex,
    /// Exceptions: instances carry [`ExcData`].
    BaseException,
}

impl Ty {
    /// Every built-in type but the exceptions.
    pub const ALL: [Ty; 31] = {
        use Ty::*;
        [
            Object,
            Type,
            NoneType,
            Int,
            Bool,
            Float,
            Str,
            List,
            Tuple,
            Dict,
            Set,
            FrozenSet,
            Range,
            Slice,
            Function,
            BuiltinFunction,
            Method,
            Generator,
            Iterator,
            Cell,
            Property,
            StaticMethod,
            ClassMethod,
            Super,
            NotImplementedType,
            Ellipsis,
            Module,
            Code,
            Bytes,
            ByteArray,
            Complex,
        ]
    };

    /// `__name__`.
    pub fn name(self) -> &'static str {
        use Ty::*;
        match self {
            Object => "object",
            Type => "type",
            NoneType => "NoneType",
            Bool => "bool",
            Int => "int",
            Float => "float",
            Str => "str",
            List => "list",
            Tuple => "tuple",
            Dict => "dict",
            Set => "set",
            FrozenSet => "frozenset",
            Range => "range",
            Slice => "slice",
            Function => "function",
            BuiltinFunction => "builtin_function_or_method",
            Method => "method",
            Generator => "generator",
            Iterator => "iterator",
            Cell => "cell",
            Property => "property",
            StaticMethod => "staticmethod",
            ClassMethod => "classmethod",
            Super => "super",
            NotImplementedType => "NotImplementedType",
            Ellipsis => "ellipsis",
            Module => "module",
            Code => "code",
            Bytes => "bytes",
            ByteArray => "bytearray",
            Complex => "complex",
            BaseException => "BaseException",
        }
    }
}

/// A `str`, with its hash once computed.
#[derive(Debug)]
pub struct Str {
    /// The text (shared: a name's text is taken without copying).
    pub s: Rc<str>,
    /// `hash(s)`, cached.
    pub hash: Cell<Option<i64>>,
    /// Whether every character is ASCII (then byte and character indices
    /// agree, and indexing is O(1)).
    pub ascii: bool,
}

/// A function made by `MAKE_FUNCTION`.
#[derive(Debug)]
pub struct Function {
    /// Its code, prepared for the VM.
    pub code: Rc<VmCode>,
    /// `__name__`.
    pub name: Box<str>,
    /// `__qualname__`.
    pub qualname: Box<str>,
    /// Default values of the last positional parameters.
    pub defaults: Box<[Value]>,
    /// Defaults of keyword-only parameters: a dict, or `None`.
    pub kwdefaults: Value,
    /// The cells of the free variables (`__closure__`).
    pub closure: Box<[Value]>,
    /// `__dict__` (function attributes), `__doc__` among them.
    pub dict: Dict,
}

/// A class: a built-in type or one made by a `class` statement.
#[derive(Debug)]
pub struct Class {
    /// `__name__`.
    pub name: Box<str>,
    /// `__qualname__`.
    pub qualname: Box<str>,
    /// `__bases__` (references held).
    pub bases: Vec<Value>,
    /// `__mro__`, this class first (no references: a class's bases keep
    /// its MRO alive).
    pub mro: Vec<ObjRef>,
    /// The class namespace.
    pub dict: Dict,
    /// The built-in type whose layout instances have.
    pub ty: Ty,
    /// For exception classes, the nearest built-in exception class.
    pub exc: Option<ExcKind>,
    /// Whether a `class` statement made it (`__module__` and `__dict__`
    /// are then its own).
    pub user: bool,
}

/// What an exception instance carries besides its attributes.
#[derive(Debug)]
pub struct ExcData {
    /// `args`.
    pub args: Vec<Value>,
    /// `__cause__` (`Empty` when unset: `None` to Python).
    pub cause: Value,
    /// `__context__`.
    pub context: Value,
    /// `__suppress_context__`.
    pub suppress: bool,
    /// `__traceback__`: the frames it passed through (code and
    /// instruction), innermost first.
    pub tb: Vec<(Rc<VmCode>, usize)>,
}

/// An instance of a class made by a `class` statement (or of `object`).
#[derive(Debug)]
pub struct Instance {
    /// Its class (one reference).
    pub class: ObjRef,
    /// `__dict__`.
    pub dict: Dict,
    /// For exceptions.
    pub exc: Option<Box<ExcData>>,
}

/// The state of a generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenState {
    /// Made, not started.
    Created,
    /// Stopped at a `yield`.
    Suspended,
    /// Running (a frame of it is on the stack).
    Running,
    /// Returned or raised.
    Done,
}

/// A generator: its register window and cells while suspended.
#[derive(Debug)]
pub struct Gen {
    /// Its code.
    pub code: Rc<VmCode>,
    /// The saved register window.
    pub regs: Box<[Value]>,
    /// Its cells.
    pub cells: Vec<Value>,
    /// Where it resumes.
    pub pc: usize,
    /// Stack mode: the depth of its value stack above the locals, and
    /// its block stack.
    pub sp: usize,
    /// Stack mode: its block stack.
    pub blocks: Vec<Block>,
    /// Its state.
    pub state: GenState,
    /// `__name__`.
    pub name: Box<str>,
    /// `__qualname__`.
    pub qualname: Box<str>,
}

/// A block of the stack mode's block stack (CPython's `PyTryBlock`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// `true` for an except handler (`EXCEPT_HANDLER`), `false` for a
    /// `SETUP_FINALLY`/`SETUP_WITH` block.
    pub except_handler: bool,
    /// The handler's instruction index.
    pub handler: u32,
    /// The value stack depth when the block was set up.
    pub level: u32,
}

/// What a dict iterator yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictPart {
    /// Keys.
    Keys,
    /// Values.
    Values,
    /// `(key, value)` tuples.
    Items,
}

/// An iterator's state.
#[derive(Debug)]
pub enum Iter {
    /// Over a range: next value, stop, step.
    Range(i64, i64, i64),
    /// Over a list, tuple or str (by code point): the sequence, the index.
    Seq(Value, usize),
    /// Over a list backwards: the list, how many are left.
    Reversed(Value, usize),
    /// Over a dict or set: it, the slot, its size when iteration began.
    Dict(Value, usize, usize, DictPart),
    /// `enumerate`: the iterator, the next count.
    Enumerate(Value, i64),
    /// `zip`: the iterators.
    Zip(Box<[Value]>),
    /// `map`: the function, the iterators.
    Map(Value, Box<[Value]>),
    /// `filter`: the function (or `None`), the iterator.
    Filter(Value, Value),
    /// `iter(callable, sentinel)`.
    Callable(Value, Value),
    /// Exhausted, with the name of the type it keeps (an exhausted `zip`
    /// is still a `zip`).
    Done(&'static str),
}

/// A dict view (`keys()`, `values()`, `items()`).
#[derive(Debug)]
pub struct View {
    /// The dict.
    pub dict: Value,
    /// Which part.
    pub part: DictPart,
}

/// A heap object.
#[derive(Debug)]
pub enum Obj {
    /// A free slot.
    Free,
    /// A `str`.
    Str(Str),
    /// An `int` beyond 64 bits.
    Big(BigInt),
    /// A `tuple`.
    Tuple(Box<[Value]>),
    /// A `list`.
    List(Vec<Value>),
    /// A `dict`.
    Dict(Dict),
    /// A `set`: CPython 3.9's set table, so it iterates, prints and pops
    /// in CPython's order; each key holds one reference.
    Set(SetTable<Value>),
    /// A `frozenset`, the same table.
    FrozenSet(SetTable<Value>),
    /// A Python function.
    Function(Box<Function>),
    /// A built-in function (an index in the built-ins table).
    Builtin(u16),
    /// A built-in method bound to its object (an index in the methods
    /// table).
    BoundBuiltin(u16, Value),
    /// A function bound to an object.
    BoundMethod(Value, Value),
    /// A class.
    Class(Box<Class>),
    /// An instance of a user class.
    Instance(Box<Instance>),
    /// A `range`.
    Range(i64, i64, i64),
    /// An iterator.
    Iter(Iter),
    /// A dict view.
    View(View),
    /// A generator.
    Generator(Box<Gen>),
    /// A cell (a variable shared with closures); `Empty` when unbound.
    Cell(Value),
    /// A `slice`.
    Slice(Value, Value, Value),
    /// A `property`: getter, setter, deleter (`None` when absent).
    Property(Value, Value, Value),
    /// A `staticmethod`.
    StaticMethod(Value),
    /// A `classmethod`.
    ClassMethod(Value),
    /// `super(class, obj)`.
    Super(Value, Value),
    /// `NotImplemented`.
    NotImplemented,
    /// `Ellipsis`.
    Ellipsis,
    /// A module: its name and namespace (a built-in module's), or for a
    /// module of the program, the dict is empty and its globals are
    /// namespace `ns` of the VM.
    Module(Box<str>, Dict, Option<u32>),
    /// A function of a built-in module (an index in the modules' table).
    ModuleFn(u16),
    /// A code object.
    Code(std::sync::Arc<pyreg_spec::code::CodeObject>),
    /// A `bytes`.
    Bytes(Box<[u8]>),
    /// A `bytearray`.
    ByteArray(Vec<u8>),
    /// A `complex`: real and imaginary parts.
    Complex(f64, f64),
}

impl Obj {
    /// The values this object holds references to.
    pub fn children(&self, out: &mut Vec<Value>) {
        let dict = |d: &Dict, out: &mut Vec<Value>| {
            for e in d.iter() {
                out.push(e.key);
                out.push(e.value);
            }
        };
        match self {
            Obj::Tuple(xs) => out.extend_from_slice(xs),
            Obj::List(xs) => out.extend_from_slice(xs),
            Obj::Dict(d) | Obj::Module(_, d, _) => dict(d, out),
            Obj::Set(t) | Obj::FrozenSet(t) => out.extend(t.iter().copied()),
            Obj::Function(f) => {
                out.extend_from_slice(&f.defaults);
                out.extend_from_slice(&f.closure);
                out.push(f.kwdefaults);
                dict(&f.dict, out);
            }
            Obj::BoundBuiltin(_, v) | Obj::Cell(v) => out.push(*v),
            Obj::BoundMethod(a, b) | Obj::Super(a, b) => out.extend([*a, *b]),
            Obj::Class(c) => {
                out.extend_from_slice(&c.bases);
                dict(&c.dict, out);
            }
            Obj::Instance(i) => {
                out.push(Value::Obj(i.class));
                dict(&i.dict, out);
                if let Some(e) = &i.exc {
                    out.extend_from_slice(&e.args);
                    out.extend([e.cause, e.context]);
                }
            }
            Obj::Iter(it) => match it {
                Iter::Seq(v, _)
                | Iter::Reversed(v, _)
                | Iter::Dict(v, ..)
                | Iter::Enumerate(v, _) => out.push(*v),
                Iter::Zip(xs) => out.extend_from_slice(xs),
                Iter::Map(f, xs) => {
                    out.push(*f);
                    out.extend_from_slice(xs);
                }
                Iter::Filter(a, b) | Iter::Callable(a, b) => out.extend([*a, *b]),
                Iter::Range(..) | Iter::Done(_) => {}
            },
            Obj::View(v) => out.push(v.dict),
            Obj::Generator(g) => {
                out.extend_from_slice(&g.regs);
                out.extend_from_slice(&g.cells);
            }
            Obj::Slice(a, b, c) | Obj::Property(a, b, c) => out.extend([*a, *b, *c]),
            Obj::StaticMethod(v) | Obj::ClassMethod(v) => out.push(*v),
            Obj::Free
            | Obj::Str(_)
            | Obj::Big(_)
            | Obj::Builtin(_)
            | Obj::Range(..)
            | Obj::NotImplemented
            | Obj::ModuleFn(_)
            | Obj::Code(_)
            | Obj::Bytes(_)
            | Obj::ByteArray(_)
            | Obj::Complex(..)
            | Obj::Ellipsis => {}
        }
    }
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
    /// Classes freed so far: a cache keyed by class (the VM's type
    /// attribute cache) is stale once this moves, since a freed class's
    /// slot may come back as another class.
    pub class_frees: u64,
    /// Names of code objects (`co_names`), one `str` object per text, so
    /// that an attribute stored by one function and read by another uses
    /// the same key object and an inline cache's position check is a
    /// comparison of object numbers. The table holds one reference each.
    interned: std::collections::HashMap<Box<str>, ObjRef>,
    /// The one-character ASCII strings, made once each (as CPython keeps
    /// its Latin-1 singletons): iterating over or indexing a str then
    /// allocates nothing, and the character's hash is computed once.
    ascii_chars: Vec<Option<ObjRef>>,
    /// Work lists of [`Heap::free_from`], kept to be reused.
    free_todo: Vec<ObjRef>,
    free_children: Vec<Value>,
}

impl Heap {
    /// Stores `obj`; the value returned holds its one reference.
    pub fn alloc(&mut self, obj: Obj) -> Value {
        let r = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Slot { rc: 1, obj };
                i
            }
            None => {
                self.slots.push(Slot { rc: 1, obj });
                (self.slots.len() - 1) as u32
            }
        };
        Value::Obj(ObjRef(r))
    }

    /// A new `str`.
    pub fn str(&mut self, s: &str) -> Value {
        self.alloc(Obj::Str(Str {
            s: s.into(),
            hash: Cell::new(None),
            ascii: s.is_ascii(),
        }))
    }

    /// The one-character string `c`, owned; shared when ASCII.
    pub fn char(&mut self, c: char) -> Value {
        let mut b = [0u8; 4];
        if !c.is_ascii() {
            return self.str(c.encode_utf8(&mut b));
        }
        let k = c as usize;
        if self.ascii_chars.len() <= k {
            self.ascii_chars.resize(128, None);
        }
        if let Some(r) = self.ascii_chars[k] {
            let v = Value::Obj(r);
            self.incref(v);
            return v;
        }
        let v = self.str(c.encode_utf8(&mut b));
        if let Value::Obj(r) = v {
            self.ascii_chars[k] = Some(r);
            self.incref(v);
        }
        v
    }

    /// The one `str` object for the name `s`, owned.
    pub fn intern(&mut self, s: &str) -> Value {
        if let Some(&r) = self.interned.get(s) {
            let v = Value::Obj(r);
            self.incref(v);
            return v;
        }
        let v = self.str(s);
        if let Value::Obj(r) = v {
            self.interned.insert(s.into(), r);
            self.incref(v);
        }
        v
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

    /// The object `v` names, if it is one.
    #[inline]
    pub fn obj(&self, v: Value) -> Option<&Obj> {
        match v {
            Value::Obj(r) => Some(&self.slots[r.0 as usize].obj),
            _ => None,
        }
    }

    /// The text of `v` when it is a `str`.
    #[inline]
    pub fn as_str(&self, v: Value) -> Option<&str> {
        match self.obj(v) {
            Some(Obj::Str(s)) => Some(&s.s),
            _ => None,
        }
    }

    /// References to `r`.
    pub fn refcount(&self, r: ObjRef) -> u32 {
        self.slots[r.0 as usize].rc
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

    /// Takes a reference and returns `v` (a borrowed value made owned).
    #[inline]
    pub fn own(&mut self, v: Value) -> Value {
        self.incref(v);
        v
    }

    /// Drops a reference to `v`'s object, freeing it (and what it holds)
    /// at zero.
    #[inline]
    pub fn decref(&mut self, v: Value) {
        if let Value::Obj(r) = v {
            let s = &mut self.slots[r.0 as usize];
            if s.rc == 0 {
                return;
            }
            s.rc -= 1;
            if s.rc == 0 {
                self.free_from(r);
            }
        }
    }

    /// Drops a reference to each of `vs`.
    pub fn decref_all(&mut self, vs: impl IntoIterator<Item = Value>) {
        for v in vs {
            self.decref(v);
        }
    }

    /// Frees `r` and everything only it kept alive.
    #[cold]
    fn free_from(&mut self, r: ObjRef) {
        // The work lists are kept between calls: most frees (a str, a
        // small tuple) would otherwise allocate twice to free once.
        let mut todo = std::mem::take(&mut self.free_todo);
        let mut children = std::mem::take(&mut self.free_children);
        todo.clear();
        todo.push(r);
        while let Some(r) = todo.pop() {
            let obj = std::mem::replace(&mut self.slots[r.0 as usize].obj, Obj::Free);
            if matches!(obj, Obj::Class(_)) {
                self.class_frees += 1;
            }
            self.free.push(r.0);
            children.clear();
            obj.children(&mut children);
            for v in &children {
                if let Value::Obj(c) = *v {
                    let s = &mut self.slots[c.0 as usize];
                    if s.rc > 0 {
                        s.rc -= 1;
                        if s.rc == 0 {
                            todo.push(c);
                        }
                    }
                }
            }
        }
        children.clear();
        self.free_todo = todo;
        self.free_children = children;
    }
}
