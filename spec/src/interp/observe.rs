//! The final state of a run as the differential oracle sees it: the
//! `__main__` module's globals, each rendered with [`crate::canon`].

use super::Machine;
use crate::canon::{self, Graph, Shape};
use crate::object::{Int, Obj, Value};
use crate::pyrepr::{repr_bytes, repr_complex, repr_float, repr_str};

impl Graph for Machine {
    type V = Value;

    fn shape(&self, v: &Value) -> Shape<Value> {
        let atom = |s: &str| Shape::Atom(s.to_string());
        match v {
            Value::None => atom("None"),
            Value::NotImplemented => atom("NotImplemented"),
            Value::Ellipsis => atom("Ellipsis"),
            Value::Bool(true) => atom("True"),
            Value::Bool(false) => atom("False"),
            Value::Int(Int::Small(i)) => Shape::Atom(i.to_string()),
            Value::Int(Int::Big(b)) => Shape::Atom(b.to_string()),
            Value::Float(f) => Shape::Atom(repr_float(f.get())),
            Value::Complex(re, im) => Shape::Atom(repr_complex(*re, *im)),
            Value::Str(s) => Shape::Atom(repr_str(s)),
            Value::Bytes(b) => Shape::Atom(repr_bytes(b)),
            Value::Tuple(items) => Shape::Tuple(items.to_vec()),
            Value::Obj(id) => {
                let opaque = |definition: bool| Shape::Opaque {
                    type_name: self.type_name_of(v),
                    definition,
                };
                match self.heap.get(*id) {
                    Obj::List(items) => Shape::List(u64::from(id.0), items.clone()),
                    Obj::Dict(d) => Shape::Dict(
                        u64::from(id.0),
                        d.iter().map(|e| (e.key.clone(), e.value.clone())).collect(),
                    ),
                    Obj::Set { table, frozen } => Shape::Set {
                        frozen: *frozen,
                        items: table.iter().cloned().collect(),
                    },
                    Obj::Module { .. }
                    | Obj::Function(_)
                    | Obj::Type(_)
                    | Obj::Builtin { .. }
                    | Obj::SlotWrapper { .. } => opaque(true),
                    _ => opaque(false),
                }
            }
        }
    }
}

impl Machine {
    /// The `__main__` module's globals, sorted by name, each value in the
    /// canonical rendering of [`crate::canon`]; modules, functions,
    /// classes and built-in functions are left out, and so is
    /// `__builtins__` (an implementation detail of the namespace). A
    /// non-str key (put there through `globals()`) is named by its
    /// rendering.
    pub fn main_globals_rendered(&self) -> Vec<(String, String)> {
        let Some(g) = self.main_globals else {
            return Vec::new();
        };
        let Obj::Dict(d) = self.heap.get(g) else {
            return Vec::new();
        };
        let mut out: Vec<(String, String)> = d
            .iter()
            .filter_map(|e| {
                let name = match &e.key {
                    Value::Str(s) => s.to_string_lossy(),
                    k => canon::render(self, k),
                };
                if name == "__builtins__" {
                    return None;
                }
                canon::render_binding(self, &e.value).map(|r| (name, r))
            })
            .collect();
        out.sort();
        out
    }
}
