//! The final state of a run as the differential oracle sees it: the
//! `__main__` module's globals, each rendered with the canonical rendering
//! of `pyreg_spec::canon` (a pure layout helper: this module says what the
//! VM's values are; nothing of the spec's machine is used).

use super::Vm;
use crate::heap::Obj;
use crate::value::Value;
use pyreg_spec::canon::{self, Graph, Shape};
use pyreg_spec::code::PyStr;
use pyreg_spec::pyrepr::{repr_float, repr_str};

impl Graph for Vm {
    type V = Value;

    fn shape(&self, v: &Value) -> Shape<Value> {
        let atom = |s: &str| Shape::Atom(s.to_string());
        let v = *v;
        match v {
            Value::Empty => atom("<NULL>"),
            Value::None => atom("None"),
            Value::Bool(true) => atom("True"),
            Value::Bool(false) => atom("False"),
            Value::Int(i) => Shape::Atom(i.to_string()),
            Value::Float(f) => Shape::Atom(repr_float(f)),
            Value::Obj(r) => {
                let opaque = |definition: bool| Shape::Opaque {
                    type_name: self.type_name(v),
                    definition,
                };
                match self.heap.get(r) {
                    Obj::Str(s) => Shape::Atom(repr_str(&PyStr::from(&*s.s))),
                    Obj::Big(b) => Shape::Atom(b.to_string()),
                    Obj::NotImplemented => atom("NotImplemented"),
                    Obj::Ellipsis => atom("Ellipsis"),
                    Obj::Tuple(items) => Shape::Tuple(items.to_vec()),
                    Obj::List(items) => Shape::List(u64::from(r.0), items.clone()),
                    Obj::Dict(d) => {
                        Shape::Dict(u64::from(r.0), d.iter().map(|e| (e.key, e.value)).collect())
                    }
                    Obj::Set(d) | Obj::FrozenSet(d) => Shape::Set {
                        frozen: matches!(self.heap.get(r), Obj::FrozenSet(_)),
                        items: d.iter().copied().collect(),
                    },
                    Obj::Module(..)
                    | Obj::Function(_)
                    | Obj::Class(_)
                    | Obj::Builtin(_)
                    | Obj::BoundBuiltin(..)
                    | Obj::ModuleFn(_) => opaque(true),
                    _ => opaque(false),
                }
            }
        }
    }
}

impl Vm {
    /// The `__main__` module's globals, sorted by name, each value in the
    /// canonical rendering; unbound names, modules, functions, classes and
    /// built-in functions are left out.
    pub(super) fn main_globals_rendered(&self) -> Vec<(String, String)> {
        let Some(ns) = self.ns.first() else {
            return Vec::new();
        };
        let mut out: Vec<(String, String)> = ns
            .names
            .iter()
            .zip(&ns.slots)
            .filter(|(_, v)| **v != Value::Empty)
            .filter_map(|(name, v)| canon::render_binding(self, v).map(|r| (name.clone(), r)))
            .collect();
        out.sort();
        out
    }
}
