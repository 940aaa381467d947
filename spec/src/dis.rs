//! The disassembly listing of stack code, byte-identical to `python3.9 -m dis`
//! apart from the addresses of code objects.
//!
//! It works on raw code units rather than verified instructions so that it
//! can also show ill-formed code: operands that index past their table print
//! as `<N out of range>` where CPython's `dis` would raise `IndexError`.

use crate::code::{CodeObject, PyStr};
use crate::decode::code_units;
use crate::opcode::{ArgKind, Opcode, CMP_OP};
use crate::pyrepr::{repr_code, repr_constant_with};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

/// `dis` field widths (`_OPNAME_WIDTH`, `_OPARG_WIDTH`).
const OPNAME_WIDTH: usize = 20;
const OPARG_WIDTH: usize = 5;

/// The names `dis` gives the `MAKE_FUNCTION` flag bits, low bit first.
const MAKE_FUNCTION_FLAGS: [&str; 4] = ["defaults", "kwdefaults", "annotations", "closure"];

/// The names `dis` gives `FORMAT_VALUE`'s conversion (low two bits).
const FORMAT_VALUE_CONVERTERS: [&str; 4] = ["", "str", "repr", "ascii"];

/// The address shown for a code object: where it lives in this process,
/// standing in for CPython's `id()`.
pub fn code_address(code: &CodeObject) -> String {
    format!("{:p}", code as *const CodeObject)
}

/// `repr()` of a code object, as CPython's `code_repr` writes it.
pub fn code_repr(code: &CodeObject) -> String {
    repr_code(code, &code_address(code))
}

fn name_at(table: &[PyStr], index: u64) -> String {
    usize::try_from(index)
        .ok()
        .and_then(|i| table.get(i))
        .map(|s| s.to_string_lossy())
        .unwrap_or_else(|| format!("<{index} out of range>"))
}

/// The text `dis` puts in parentheses after an argument (empty for none).
pub(crate) fn argrepr(code: &CodeObject, cells: &[PyStr], offset: u32, op: u8, arg: u64) -> String {
    let Some(opcode) = Opcode::from_u8(op) else {
        return String::new();
    };
    match opcode.info().arg {
        ArgKind::Const => usize::try_from(arg)
            .ok()
            .and_then(|i| code.consts.get(i))
            .map(|c| repr_constant_with(c, &mut |co: &CodeObject| code_address(co)))
            .unwrap_or_else(|| format!("<{arg} out of range>")),
        ArgKind::Name => name_at(&code.names, arg),
        ArgKind::JumpRelative => format!("to {}", u128::from(offset) + 2 + u128::from(arg)),
        ArgKind::Local => name_at(&code.varnames, arg),
        ArgKind::Compare => usize::try_from(arg)
            .ok()
            .and_then(|i| CMP_OP.get(i))
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("<{arg} out of range>")),
        ArgKind::Cell => name_at(cells, arg),
        _ => match opcode {
            Opcode::FormatValue => {
                let mut s = FORMAT_VALUE_CONVERTERS[(arg & 3) as usize].to_string();
                if arg & 4 != 0 {
                    if !s.is_empty() {
                        s.push_str(", ");
                    }
                    s.push_str("with format");
                }
                s
            }
            Opcode::MakeFunction => MAKE_FUNCTION_FLAGS
                .iter()
                .enumerate()
                .filter(|(i, _)| arg & (1 << i) != 0)
                .map(|(_, s)| *s)
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        },
    }
}

/// Disassembles one code object (not the ones nested in it), as
/// `dis.disassemble` does.
pub fn disassemble(code: &CodeObject) -> String {
    let units = code_units(&code.code);
    let cells: Vec<PyStr> = code
        .cellvars
        .iter()
        .chain(code.freevars.iter())
        .cloned()
        .collect();
    let linestarts: BTreeMap<u32, i64> = code.line_starts().into_iter().collect();
    let maxlineno = linestarts.values().copied().max().unwrap_or(0);
    let lineno_width = if maxlineno >= 1000 {
        maxlineno.to_string().len()
    } else {
        3
    };
    let maxoffset = code.code.len().saturating_sub(2);
    let offset_width = if maxoffset >= 10000 {
        maxoffset.to_string().len()
    } else {
        4
    };
    let labels: BTreeSet<u128> = units
        .iter()
        .filter_map(|u| {
            let arg = u128::from(u.arg?);
            match Opcode::from_u8(u.op)?.info().arg {
                ArgKind::JumpRelative => Some(u128::from(u.offset) + 2 + arg),
                ArgKind::JumpAbsolute => Some(arg),
                _ => None,
            }
        })
        .collect();
    let mut out = String::new();
    for u in &units {
        let starts_line = linestarts.get(&u.offset);
        if starts_line.is_some() && u.offset > 0 {
            out.push('\n');
        }
        let mut line = String::new();
        match starts_line {
            Some(l) => write!(line, "{l:>lineno_width$}").unwrap_or(()),
            None => line.push_str(&" ".repeat(lineno_width)),
        }
        // The empty "current instruction" column sits between two separators.
        line.push_str("     ");
        line.push_str(if labels.contains(&u128::from(u.offset)) {
            ">>"
        } else {
            "  "
        });
        let opname = Opcode::from_u8(u.op)
            .map(|o| o.name().to_string())
            .unwrap_or_else(|| format!("<{}>", u.op));
        write!(line, " {:>offset_width$} {opname:<OPNAME_WIDTH$}", u.offset).unwrap_or(());
        if let Some(arg) = u.arg {
            write!(line, " {arg:>OPARG_WIDTH$}").unwrap_or(());
            let ar = argrepr(code, &cells, u.offset, u.op, arg);
            if !ar.is_empty() {
                write!(line, " ({ar})").unwrap_or(());
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Disassembles a code object and, after it, every code object in its
/// constants, recursively, as `python3.9 -m dis` prints a module.
pub fn disassemble_recursive(code: &Arc<CodeObject>) -> String {
    let mut out = disassemble(code);
    for k in &code.consts {
        if let crate::code::Constant::Code(inner) = k {
            out.push('\n');
            let _ = writeln!(out, "Disassembly of {}:", code_repr(inner));
            out.push_str(&disassemble_recursive(inner));
        }
    }
    out
}
