//! Built-in types, the type of every value, method resolution order and
//! attribute lookup.

use super::{text, Fault, Machine, PyResult};
use crate::builtins::{BuiltinId, Owner, BUILTINS};
use crate::code::PyStr;
use crate::object::{Dict, Layout, Obj, ObjId, TypeObject, Value};
use std::collections::HashMap;

/// The object ids of the built-in types, made once per machine.
#[derive(Clone, Debug)]
pub struct TypeIds {
    /// Every built-in type by name (`int`, `KeyError`, `function`, ...).
    pub by_name: HashMap<&'static str, ObjId>,
    /// `object`.
    pub object: ObjId,
    /// `type`.
    pub type_: ObjId,
    /// `int`.
    pub int: ObjId,
    /// `bool`.
    pub bool_: ObjId,
    /// `float`.
    pub float: ObjId,
    /// `complex`.
    pub complex: ObjId,
    /// `str`.
    pub str_: ObjId,
    /// `bytes`.
    pub bytes: ObjId,
    /// `tuple`.
    pub tuple: ObjId,
    /// `list`.
    pub list: ObjId,
    /// `dict`.
    pub dict: ObjId,
    /// `BaseException`.
    pub base_exception: ObjId,
}

impl TypeIds {
    /// The built-in type called `name`.
    pub fn get(&self, name: &str) -> ObjId {
        match self.by_name.get(name) {
            Some(id) => *id,
            None => panic!("no built-in type {name}"),
        }
    }
}

/// The computed attributes of built-in types that their dicts hold as
/// getset descriptors.
const GETSET_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("int", &["real", "imag", "numerator", "denominator"]),
    ("float", &["real", "imag"]),
    ("complex", &["real", "imag"]),
    ("generator", &["gi_running", "gi_frame", "gi_code"]),
    ("frame", &["f_code", "f_lineno", "f_lasti"]),
];

/// The built-in types: name, base, layout. Order matters: a base comes
/// before the types derived from it.
const BUILTIN_TYPES: &[(&str, Option<&str>, Layout)] = &[
    ("object", None, Layout::Object),
    ("type", Some("object"), Layout::Builtin),
    ("int", Some("object"), Layout::Builtin),
    ("bool", Some("int"), Layout::Builtin),
    ("float", Some("object"), Layout::Builtin),
    ("complex", Some("object"), Layout::Builtin),
    ("str", Some("object"), Layout::Builtin),
    ("bytes", Some("object"), Layout::Builtin),
    ("bytearray", Some("object"), Layout::Builtin),
    ("tuple", Some("object"), Layout::Builtin),
    ("list", Some("object"), Layout::Builtin),
    ("dict", Some("object"), Layout::Builtin),
    ("set", Some("object"), Layout::Builtin),
    ("frozenset", Some("object"), Layout::Builtin),
    ("range", Some("object"), Layout::Builtin),
    ("slice", Some("object"), Layout::Builtin),
    ("NoneType", Some("object"), Layout::Builtin),
    ("NotImplementedType", Some("object"), Layout::Builtin),
    ("ellipsis", Some("object"), Layout::Builtin),
    ("function", Some("object"), Layout::Builtin),
    (
        "builtin_function_or_method",
        Some("object"),
        Layout::Builtin,
    ),
    ("method", Some("object"), Layout::Builtin),
    ("cell", Some("object"), Layout::Builtin),
    ("module", Some("object"), Layout::Builtin),
    ("generator", Some("object"), Layout::Builtin),
    ("iterator", Some("object"), Layout::Builtin),
    ("list_iterator", Some("object"), Layout::Builtin),
    ("list_reverseiterator", Some("object"), Layout::Builtin),
    ("tuple_iterator", Some("object"), Layout::Builtin),
    ("str_iterator", Some("object"), Layout::Builtin),
    ("bytes_iterator", Some("object"), Layout::Builtin),
    ("set_iterator", Some("object"), Layout::Builtin),
    ("range_iterator", Some("object"), Layout::Builtin),
    ("dict_keyiterator", Some("object"), Layout::Builtin),
    ("dict_valueiterator", Some("object"), Layout::Builtin),
    ("dict_itemiterator", Some("object"), Layout::Builtin),
    ("enumerate", Some("object"), Layout::Builtin),
    ("zip", Some("object"), Layout::Builtin),
    ("map", Some("object"), Layout::Builtin),
    ("filter", Some("object"), Layout::Builtin),
    ("reversed", Some("object"), Layout::Builtin),
    ("callable_iterator", Some("object"), Layout::Builtin),
    ("property", Some("object"), Layout::Builtin),
    ("staticmethod", Some("object"), Layout::Builtin),
    ("classmethod", Some("object"), Layout::Builtin),
    ("super", Some("object"), Layout::Builtin),
    ("dict_keys", Some("object"), Layout::Builtin),
    ("dict_values", Some("object"), Layout::Builtin),
    ("dict_items", Some("object"), Layout::Builtin),
    ("code", Some("object"), Layout::Builtin),
    ("method-wrapper", Some("object"), Layout::Builtin),
    ("frame", Some("object"), Layout::Builtin),
    ("member_descriptor", Some("object"), Layout::Builtin),
    ("getset_descriptor", Some("object"), Layout::Builtin),
    ("mappingproxy", Some("object"), Layout::Builtin),
    ("BaseException", Some("object"), Layout::Exception),
    ("SystemExit", Some("BaseException"), Layout::Exception),
    (
        "KeyboardInterrupt",
        Some("BaseException"),
        Layout::Exception,
    ),
    ("GeneratorExit", Some("BaseException"), Layout::Exception),
    ("Exception", Some("BaseException"), Layout::Exception),
    ("StopIteration", Some("Exception"), Layout::Exception),
    ("ArithmeticError", Some("Exception"), Layout::Exception),
    (
        "FloatingPointError",
        Some("ArithmeticError"),
        Layout::Exception,
    ),
    ("OverflowError", Some("ArithmeticError"), Layout::Exception),
    (
        "ZeroDivisionError",
        Some("ArithmeticError"),
        Layout::Exception,
    ),
    ("AssertionError", Some("Exception"), Layout::Exception),
    ("AttributeError", Some("Exception"), Layout::Exception),
    ("BufferError", Some("Exception"), Layout::Exception),
    ("EOFError", Some("Exception"), Layout::Exception),
    ("ImportError", Some("Exception"), Layout::Exception),
    (
        "ModuleNotFoundError",
        Some("ImportError"),
        Layout::Exception,
    ),
    ("LookupError", Some("Exception"), Layout::Exception),
    ("IndexError", Some("LookupError"), Layout::Exception),
    ("KeyError", Some("LookupError"), Layout::Exception),
    ("MemoryError", Some("Exception"), Layout::Exception),
    ("NameError", Some("Exception"), Layout::Exception),
    ("UnboundLocalError", Some("NameError"), Layout::Exception),
    ("OSError", Some("Exception"), Layout::Exception),
    ("ReferenceError", Some("Exception"), Layout::Exception),
    ("RuntimeError", Some("Exception"), Layout::Exception),
    (
        "NotImplementedError",
        Some("RuntimeError"),
        Layout::Exception,
    ),
    ("RecursionError", Some("RuntimeError"), Layout::Exception),
    ("SyntaxError", Some("Exception"), Layout::Exception),
    ("SystemError", Some("Exception"), Layout::Exception),
    ("TypeError", Some("Exception"), Layout::Exception),
    ("ValueError", Some("Exception"), Layout::Exception),
    ("UnicodeError", Some("ValueError"), Layout::Exception),
    ("Warning", Some("Exception"), Layout::Exception),
    ("DeprecationWarning", Some("Warning"), Layout::Exception),
    ("RuntimeWarning", Some("Warning"), Layout::Exception),
    ("UserWarning", Some("Warning"), Layout::Exception),
    ("FutureWarning", Some("Warning"), Layout::Exception),
    (
        "PendingDeprecationWarning",
        Some("Warning"),
        Layout::Exception,
    ),
    ("SyntaxWarning", Some("Warning"), Layout::Exception),
    ("ImportWarning", Some("Warning"), Layout::Exception),
    ("UnicodeWarning", Some("Warning"), Layout::Exception),
    ("BytesWarning", Some("Warning"), Layout::Exception),
    ("ResourceWarning", Some("Warning"), Layout::Exception),
    ("StopAsyncIteration", Some("Exception"), Layout::Exception),
    ("IndentationError", Some("SyntaxError"), Layout::Exception),
    ("TabError", Some("IndentationError"), Layout::Exception),
    (
        "UnicodeDecodeError",
        Some("UnicodeError"),
        Layout::Exception,
    ),
    (
        "UnicodeEncodeError",
        Some("UnicodeError"),
        Layout::Exception,
    ),
    (
        "UnicodeTranslateError",
        Some("UnicodeError"),
        Layout::Exception,
    ),
    ("BlockingIOError", Some("OSError"), Layout::Exception),
    ("ChildProcessError", Some("OSError"), Layout::Exception),
    ("ConnectionError", Some("OSError"), Layout::Exception),
    (
        "BrokenPipeError",
        Some("ConnectionError"),
        Layout::Exception,
    ),
    (
        "ConnectionAbortedError",
        Some("ConnectionError"),
        Layout::Exception,
    ),
    (
        "ConnectionRefusedError",
        Some("ConnectionError"),
        Layout::Exception,
    ),
    (
        "ConnectionResetError",
        Some("ConnectionError"),
        Layout::Exception,
    ),
    ("FileExistsError", Some("OSError"), Layout::Exception),
    ("FileNotFoundError", Some("OSError"), Layout::Exception),
    ("InterruptedError", Some("OSError"), Layout::Exception),
    ("IsADirectoryError", Some("OSError"), Layout::Exception),
    ("NotADirectoryError", Some("OSError"), Layout::Exception),
    ("PermissionError", Some("OSError"), Layout::Exception),
    ("ProcessLookupError", Some("OSError"), Layout::Exception),
    ("TimeoutError", Some("OSError"), Layout::Exception),
];

/// Makes the built-in types and functions in a fresh heap; returns the type
/// ids and the `builtins` dict.
pub fn bootstrap(heap: &mut crate::object::Heap) -> (TypeIds, Dict) {
    let mut by_name: HashMap<&'static str, ObjId> = HashMap::new();
    for &(name, base, layout) in BUILTIN_TYPES {
        let bases: Vec<ObjId> = base.map(|b| by_name[b]).into_iter().collect();
        let mut mro = Vec::new();
        if let Some(&b) = bases.first() {
            if let Obj::Type(t) = heap.get(b) {
                mro = t.mro.clone();
            }
        }
        let id = heap.alloc(Obj::Type(Box::new(TypeObject {
            name: PyStr::from(name),
            qualname: PyStr::from(name),
            module: PyStr::from("builtins"),
            bases,
            mro: Vec::new(),
            dict: Dict::default(),
            layout,
            slots: None,
            metaclass: None,
        })));
        mro.insert(0, id);
        if let Obj::Type(t) = heap.get_mut(id) {
            t.mro = mro;
        }
        by_name.insert(name, id);
    }
    let mut builtins = Dict::default();
    for &(id, name, owner) in BUILTINS {
        let obj = heap.alloc(Obj::Builtin { id, receiver: None });
        let key = PyStr::from(name);
        let hash = crate::pyhash::hash_str(&key);
        match owner {
            Owner::Builtins => builtins.push(hash, Value::Str(key), Value::Obj(obj)),
            Owner::Module(_) => {}
            Owner::Type(t) | Owner::Static(t) => {
                // bytearray has every method of bytes (they hand back
                // bytearrays when called on one), besides its own.
                let also = (matches!(owner, Owner::Type("bytes"))).then(|| by_name["bytearray"]);
                for ty in std::iter::once(by_name[t]).chain(also) {
                    if let Obj::Type(ty) = heap.get_mut(ty) {
                        ty.dict.push(hash, Value::Str(key.clone()), Value::Obj(obj));
                    }
                }
            }
        }
    }
    // Computed attributes of built-in values, as their types' dicts show
    // them (`int.real` is a getset_descriptor); instances compute them.
    for (t, names) in GETSET_ATTRIBUTES {
        for name in *names {
            let key = PyStr::from(*name);
            let d = heap.alloc(Obj::GetSetDescriptor {
                name: key.clone(),
                class: by_name[t],
            });
            if let Obj::Type(ty) = heap.get_mut(by_name[t]) {
                ty.dict.push(
                    crate::pyhash::hash_str(&key),
                    Value::Str(key),
                    Value::Obj(d),
                );
            }
        }
    }
    for &(name, _, _) in BUILTIN_TYPES {
        let key = PyStr::from(name);
        let hash = crate::pyhash::hash_str(&key);
        builtins.push(hash, Value::Str(key), Value::Obj(by_name[name]));
    }
    // Names of the builtins module that are not types or functions.
    for (name, v) in [
        ("None", Value::None),
        ("Ellipsis", Value::Ellipsis),
        ("NotImplemented", Value::NotImplemented),
        ("True", Value::Bool(true)),
        ("False", Value::Bool(false)),
        ("__debug__", Value::Bool(true)),
        ("EnvironmentError", Value::Obj(by_name["OSError"])),
        ("IOError", Value::Obj(by_name["OSError"])),
    ] {
        let key = PyStr::from(name);
        builtins.push(crate::pyhash::hash_str(&key), Value::Str(key), v);
    }
    let g = |n: &str| by_name[n];
    let ids = TypeIds {
        object: g("object"),
        type_: g("type"),
        int: g("int"),
        bool_: g("bool"),
        float: g("float"),
        complex: g("complex"),
        str_: g("str"),
        bytes: g("bytes"),
        tuple: g("tuple"),
        list: g("list"),
        dict: g("dict"),
        base_exception: g("BaseException"),
        by_name,
    };
    (ids, builtins)
}

impl Machine {
    /// The type object of a value (`type(v)`).
    pub fn type_of(&self, v: &Value) -> ObjId {
        let t = &self.types;
        match v {
            Value::None => t.get("NoneType"),
            Value::NotImplemented => t.get("NotImplementedType"),
            Value::Ellipsis => t.get("ellipsis"),
            Value::Bool(_) => t.bool_,
            Value::Int(_) => t.int,
            Value::Float(_) => t.float,
            Value::Complex(..) => t.complex,
            Value::Str(_) => t.str_,
            Value::Bytes(_) => t.bytes,
            Value::Tuple(_) => t.tuple,
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::List(_) => t.list,
                Obj::Dict(_) => t.dict,
                Obj::Type(ty) => ty.metaclass.unwrap_or(t.type_),
                Obj::Instance { class, .. } => *class,
                Obj::Function(_) => t.get("function"),
                Obj::BoundMethod { .. } => t.get("method"),
                Obj::Builtin { .. } => t.get("builtin_function_or_method"),
                Obj::Cell(_) => t.get("cell"),
                Obj::Module { .. } => t.get("module"),
                Obj::Iterator(s) => t.get(s.type_name()),
                Obj::Generator(_) => t.get("generator"),
                Obj::Range { .. } => t.get("range"),
                Obj::Slice { .. } => t.get("slice"),
                Obj::Set { frozen: false, .. } => t.get("set"),
                Obj::Set { frozen: true, .. } => t.get("frozenset"),
                Obj::Property { .. } => t.get("property"),
                Obj::StaticMethod(_) => t.get("staticmethod"),
                Obj::ClassMethod(_) => t.get("classmethod"),
                Obj::Super { .. } => t.get("super"),
                Obj::DictView { kind: 0, .. } => t.get("dict_keys"),
                Obj::DictView { kind: 1, .. } => t.get("dict_values"),
                Obj::DictView { .. } => t.get("dict_items"),
                Obj::Code(_) => t.get("code"),
                Obj::ByteArray(_) => t.get("bytearray"),
                Obj::SlotWrapper { .. } => t.get("method-wrapper"),
                Obj::GeneratorFrame(_) => t.get("frame"),
                Obj::MemberDescriptor { .. } => t.get("member_descriptor"),
                Obj::GetSetDescriptor { .. } => t.get("getset_descriptor"),
                Obj::MappingProxy(_) => t.get("mappingproxy"),
            },
        }
    }

    /// The type object behind `id`.
    pub fn type_object(&self, id: ObjId) -> &TypeObject {
        match self.heap.get(id) {
            Obj::Type(t) => t,
            other => panic!("object {id:?} is not a type but {other:?}"),
        }
    }

    /// Whether `id` names a type object.
    pub fn is_type(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(id) if matches!(self.heap.get(*id), Obj::Type(_)))
    }

    /// `__name__` of a type.
    pub fn type_name(&self, id: ObjId) -> String {
        text(&self.type_object(id).name)
    }

    /// The type name of a value, as error messages show it.
    pub fn type_name_of(&self, v: &Value) -> String {
        self.type_name(self.type_of(v))
    }

    /// Whether type `sub` is `sup` or derives from it.
    pub fn is_subtype(&self, sub: ObjId, sup: ObjId) -> bool {
        self.type_object(sub).mro.contains(&sup)
    }

    /// `isinstance(v, t)` for a single type.
    pub fn is_instance(&self, v: &Value, t: ObjId) -> bool {
        self.is_subtype(self.type_of(v), t)
    }

    /// Finds `name` along the MRO of type `t`.
    pub fn lookup_in_mro(&self, t: ObjId, name: &PyStr) -> Option<Value> {
        self.type_object(t)
            .mro
            .iter()
            .find_map(|c| self.type_object(*c).dict.get_str(name).cloned())
    }

    /// Finds `name` along the MRO of `t`, starting after class `after`
    /// (`super()` lookup).
    pub fn lookup_after(&self, t: ObjId, after: ObjId, name: &PyStr) -> Option<Value> {
        let mro = &self.type_object(t).mro;
        let start = mro.iter().position(|c| *c == after).map_or(0, |i| i + 1);
        mro[start..]
            .iter()
            .find_map(|c| self.type_object(*c).dict.get_str(name).cloned())
    }

    /// C3 linearization of a new class with `bases`, or the `TypeError`
    /// CPython raises when none exists.
    pub fn compute_mro(&mut self, this: ObjId, bases: &[ObjId]) -> PyResult<Vec<ObjId>> {
        let mut seqs: Vec<Vec<ObjId>> = bases
            .iter()
            .map(|b| self.type_object(*b).mro.clone())
            .collect();
        seqs.push(bases.to_vec());
        let mut out = vec![this];
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return Ok(out);
            }
            let candidate = seqs
                .iter()
                .map(|s| s[0])
                .find(|c| seqs.iter().all(|s| !s[1..].contains(c)));
            let Some(c) = candidate else {
                let names: Vec<String> = bases.iter().map(|b| self.type_name(*b)).collect();
                return Err(self.type_error(format!(
                    "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                    names.join(", ")
                )));
            };
            out.push(c);
            for s in &mut seqs {
                if s[0] == c {
                    s.remove(0);
                }
            }
        }
    }

    /// The builtin id of a value that is a built-in function or method.
    pub fn builtin_of(&self, v: &Value) -> Option<(BuiltinId, Option<Value>)> {
        match v {
            Value::Obj(id) => match self.heap.get(*id) {
                Obj::Builtin { id, receiver } => Some((*id, receiver.clone())),
                _ => None,
            },
            _ => None,
        }
    }

    /// Raises `TypeError(msg)`.
    pub fn type_error(&mut self, msg: String) -> Fault {
        self.new_error("TypeError", msg)
    }
}
