//! A canonical structural rendering of values, for comparing the final
//! state of two engines (the differential oracle compares the `__main__`
//! module's globals with it).
//!
//! Each engine describes its own values through [`Graph`] (one
//! [`Shape`] per value); this module only lays the shapes out, so that the
//! same Python value renders to the same text on every engine, whatever
//! its representation. The rendering is not `repr`: no user `__repr__`
//! runs, nothing identity-dependent (addresses) appears, sets are
//! rendered in sorted order of their rendered elements (their iteration
//! order is an engine detail), dicts in insertion order (which Python
//! defines). Objects other than the built-in values render as their type
//! name in angle brackets (`<Point>`, `<generator>`).
//!
//! The rendering is bounded, so that a rendering cannot blow up on shared
//! or deep structures: nesting deeper than [`MAX_DEPTH`] renders as
//! `...`, a value's rendering stops past [`BUDGET`] bytes and ends with
//! ` ...`, and a set whose elements would not fit renders as
//! `<set of N elements>`. Equal values still render equally.

/// Bytes of one value's rendering before it is cut.
pub const BUDGET: usize = 4096;

/// Nesting levels rendered.
pub const MAX_DEPTH: usize = 64;

/// What a value is, as far as the rendering is concerned.
#[derive(Clone, Debug)]
pub enum Shape<V> {
    /// A value rendered as it is: `None`, `True`, an int in decimal, a
    /// float's `repr`, a str's or bytes' `repr`...
    Atom(String),
    /// A tuple.
    Tuple(Vec<V>),
    /// A list, with an identity (to render a cycle as `[...]`).
    List(u64, Vec<V>),
    /// A dict, with an identity, its pairs in insertion order.
    Dict(u64, Vec<(V, V)>),
    /// A set or frozenset.
    Set {
        /// Whether it is a `frozenset`.
        frozen: bool,
        /// Its elements, in any order.
        items: Vec<V>,
    },
    /// Anything else: rendered as its type name. `definition` marks
    /// modules, functions, classes and built-in functions, which a
    /// namespace's rendering leaves out (their identity is all they have).
    Opaque {
        /// `type(v).__name__`.
        type_name: String,
        /// Module, function, class or built-in function.
        definition: bool,
    },
}

/// An engine's view of its values.
pub trait Graph {
    /// A value.
    type V;
    /// What `v` is.
    fn shape(&self, v: &Self::V) -> Shape<Self::V>;
}

/// The rendering of `v`, or `None` for a definition (module, function,
/// class, built-in function), which a namespace's rendering leaves out.
pub fn render_binding<G: Graph>(g: &G, v: &G::V) -> Option<String> {
    let shape = g.shape(v);
    if let Shape::Opaque {
        definition: true, ..
    } = shape
    {
        return None;
    }
    Some(render_shape(g, shape))
}

/// The rendering of `v`.
pub fn render<G: Graph>(g: &G, v: &G::V) -> String {
    let shape = g.shape(v);
    render_shape(g, shape)
}

fn render_shape<G: Graph>(g: &G, shape: Shape<G::V>) -> String {
    let mut r = Renderer {
        g,
        out: String::new(),
        active: Vec::new(),
    };
    r.shape(shape, 0);
    let mut out = r.out;
    if out.len() > BUDGET {
        let mut end = BUDGET;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push_str(" ...");
    }
    out
}

struct Renderer<'a, G: Graph> {
    g: &'a G,
    out: String,
    /// Lists and dicts being rendered, for cycles.
    active: Vec<u64>,
}

impl<G: Graph> Renderer<'_, G> {
    fn full(&self) -> bool {
        self.out.len() > BUDGET
    }

    fn value(&mut self, v: &G::V, depth: usize) {
        if self.full() {
            return;
        }
        let s = self.g.shape(v);
        self.shape(s, depth);
    }

    fn items(&mut self, items: &[G::V], depth: usize) {
        for (i, v) in items.iter().enumerate() {
            if self.full() {
                return;
            }
            if i > 0 {
                self.out.push_str(", ");
            }
            self.value(v, depth + 1);
        }
    }

    fn shape(&mut self, s: Shape<G::V>, depth: usize) {
        if depth > MAX_DEPTH {
            self.out.push_str("...");
            return;
        }
        match s {
            Shape::Atom(a) => self.out.push_str(&a),
            Shape::Opaque { type_name, .. } => {
                self.out.push('<');
                self.out.push_str(&type_name);
                self.out.push('>');
            }
            Shape::Tuple(items) => {
                self.out.push('(');
                self.items(&items, depth);
                if items.len() == 1 {
                    self.out.push(',');
                }
                self.out.push(')');
            }
            Shape::List(id, items) => {
                if self.active.contains(&id) {
                    self.out.push_str("[...]");
                    return;
                }
                self.active.push(id);
                self.out.push('[');
                self.items(&items, depth);
                self.out.push(']');
                self.active.pop();
            }
            Shape::Dict(id, pairs) => {
                if self.active.contains(&id) {
                    self.out.push_str("{...}");
                    return;
                }
                self.active.push(id);
                self.out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if self.full() {
                        break;
                    }
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.value(k, depth + 1);
                    self.out.push_str(": ");
                    self.value(v, depth + 1);
                }
                self.out.push('}');
                self.active.pop();
            }
            Shape::Set { frozen, items } => {
                let name = if frozen { "frozenset" } else { "set" };
                if items.is_empty() {
                    self.out.push_str(name);
                    self.out.push_str("()");
                    return;
                }
                // Render every element, then sort: the order of a set is
                // not part of its value. If they do not fit, say how many.
                let start = self.out.len();
                let mut ends = Vec::with_capacity(items.len());
                for v in &items {
                    self.value(v, depth + 1);
                    if self.full() {
                        self.out.truncate(start);
                        self.out
                            .push_str(&format!("<{name} of {} elements>", items.len()));
                        return;
                    }
                    ends.push(self.out.len());
                }
                let mut parts: Vec<String> = Vec::with_capacity(items.len());
                let mut from = start;
                for end in ends {
                    parts.push(self.out[from..end].to_string());
                    from = end;
                }
                parts.sort();
                self.out.truncate(start);
                if frozen {
                    self.out.push_str("frozenset(");
                }
                self.out.push('{');
                self.out.push_str(&parts.join(", "));
                self.out.push('}');
                if frozen {
                    self.out.push(')');
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy value graph: lists by index into a table.
    enum Toy {
        Int(i64),
        List(usize),
        Set(Vec<i64>),
        Def,
    }

    struct Table(Vec<Vec<Toy>>);

    impl Graph for Table {
        type V = Toy;
        fn shape(&self, v: &Toy) -> Shape<Toy> {
            match v {
                Toy::Int(i) => Shape::Atom(i.to_string()),
                Toy::List(k) => Shape::List(
                    *k as u64,
                    self.0[*k]
                        .iter()
                        .map(|t| match t {
                            Toy::Int(i) => Toy::Int(*i),
                            Toy::List(k) => Toy::List(*k),
                            Toy::Set(s) => Toy::Set(s.clone()),
                            Toy::Def => Toy::Def,
                        })
                        .collect(),
                ),
                Toy::Set(s) => Shape::Set {
                    frozen: false,
                    items: s.iter().map(|i| Toy::Int(*i)).collect(),
                },
                Toy::Def => Shape::Opaque {
                    type_name: "function".into(),
                    definition: true,
                },
            }
        }
    }

    #[test]
    fn cycles_sets_definitions_and_the_budget() {
        let t = Table(vec![
            vec![
                Toy::Int(1),
                Toy::List(0),
                Toy::Set(vec![3, 20, 1]),
                Toy::Def,
            ],
            (0..5000).map(Toy::Int).collect(),
        ]);
        assert_eq!(
            render(&t, &Toy::List(0)),
            "[1, [...], {1, 20, 3}, <function>]"
        );
        assert_eq!(render_binding(&t, &Toy::Def), None);
        let long = render(&t, &Toy::List(1));
        assert!(long.ends_with(" ...") && long.len() == BUDGET + 4, "{long}");
        let big: Vec<i64> = (0..5000).collect();
        assert_eq!(render(&t, &Toy::Set(big)), "<set of 5000 elements>");
    }
}
