//! Comparing the native compiler's code objects with CPython 3.9's: the
//! measure of how close the native front end is (`pyreg compile-compare`).

use pyreg_spec::code::CodeObject;
use pyreg_spec::decode::decode;
use std::sync::Arc;

/// How one code object of the native compilation compares with CPython's.
#[derive(Debug, Clone)]
pub struct CodeComparison {
    /// The code object's name and first line, as `dis` names it.
    pub name: String,
    /// The (opcode, argument) sequences are identical.
    pub identical_stream: bool,
    /// Every field (stream, stack size, flags, line table, counts) matches.
    pub identical_fields: bool,
    /// The first difference, in words, if any.
    pub difference: Option<String>,
}

fn stream(c: &CodeObject) -> Vec<(String, u32)> {
    match decode(&c.code) {
        Ok(v) => v
            .iter()
            .map(|i| (i.opcode.name().to_string(), i.arg))
            .collect(),
        Err(e) => vec![(format!("undecodable: {e}"), 0)],
    }
}

/// Compares two code objects and, recursively, their nested code objects
/// (paired in `dis` order). A nested object missing on either side counts
/// as different.
pub fn compare(native: &Arc<CodeObject>, cpython: &Arc<CodeObject>) -> Vec<CodeComparison> {
    let ours = native.walk();
    let theirs = cpython.walk();
    let mut out = Vec::new();
    for (i, t) in theirs.iter().enumerate() {
        let name = format!("{} line {}", t.name, t.firstlineno);
        let Some(o) = ours.get(i) else {
            out.push(CodeComparison {
                name,
                identical_stream: false,
                identical_fields: false,
                difference: Some("missing in the native compilation".into()),
            });
            continue;
        };
        let (so, st) = (stream(o), stream(t));
        let mut difference = None;
        if so != st {
            let k = so.iter().zip(&st).take_while(|(a, b)| a == b).count();
            difference = Some(format!(
                "instruction {k}: native {:?}, CPython {:?}",
                so.get(k),
                st.get(k)
            ));
        }
        let identical_stream = difference.is_none();
        let fields = [
            ("name", o.name == t.name),
            ("firstlineno", o.firstlineno == t.firstlineno),
            ("stacksize", o.stacksize == t.stacksize),
            ("flags", o.flags == t.flags),
            ("lnotab", o.lnotab == t.lnotab),
            ("argcount", o.argcount == t.argcount),
            ("nlocals", o.nlocals == t.nlocals),
            ("names", o.names == t.names),
            ("varnames", o.varnames == t.varnames),
            ("cellvars", o.cellvars == t.cellvars),
            ("freevars", o.freevars == t.freevars),
            ("consts", o.consts.len() == t.consts.len()),
        ];
        let bad: Vec<&str> = fields.iter().filter(|f| !f.1).map(|f| f.0).collect();
        if difference.is_none() && !bad.is_empty() {
            difference = Some(format!("fields differ: {}", bad.join(", ")));
        }
        out.push(CodeComparison {
            name,
            identical_stream,
            identical_fields: identical_stream && bad.is_empty(),
            difference,
        });
    }
    out
}
