//! The DEREF checker (`invariants/deref.md`): cell and free variables are
//! reached only through the DEREF family, one register instruction for
//! each stack one.
//!
//! Over a translation it checks that
//! - only `LOAD_DEREF`, `STORE_DEREF`, `DELETE_DEREF`, `LOAD_CLOSURE` and
//!   `LOAD_CLASSDEREF` take a cell argument, and it names a cell of the code
//!   object (`co_cellvars + co_freevars`);
//! - every reachable stack instruction of the family has exactly one
//!   register counterpart: the same lifted opcode with the same argument,
//!   whose `origin` is that stack instruction — so no cell access was
//!   folded into a register operand, dropped, or duplicated;
//! - no other instruction but copies claims such an origin (a `MOVE`
//!   standing in for a `LOAD_DEREF` leaves the access without its
//!   counterpart).

use pyreg_spec::opcode::Opcode;
use pyreg_spec::reg::{RegCode, RegOp};
use pyreg_spec::verify;
use thiserror::Error;

/// A violation of the DEREF invariant.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{name}: {what}")]
pub struct DerefError {
    /// `co_name`.
    pub name: String,
    /// What is wrong, located.
    pub what: String,
}

/// Whether `op` is one of the opcodes that reach cells.
pub fn is_deref(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::LoadDeref
            | Opcode::StoreDeref
            | Opcode::DeleteDeref
            | Opcode::LoadClosure
            | Opcode::LoadClassderef
    )
}

/// Checks the DEREF invariant of one translation; the number of cell
/// accesses checked.
pub fn check_deref(rc: &RegCode) -> Result<usize, DerefError> {
    let code = &rc.code;
    let fail = |what: String| DerefError {
        name: code.name.to_string_lossy(),
        what,
    };
    let ncells = code.cellvars.len() + code.freevars.len();
    let v = verify::verify_code(code).map_err(|e| fail(e.to_string()))?;
    let mut counterparts = vec![Vec::new(); v.instructions.len()];
    for (i, ins) in rc.instrs.iter().enumerate() {
        // Copies carry the origin of the instruction whose translation made
        // the stack canonical before it; they are not counterparts.
        if ins.op != RegOp::Move {
            if let Some(o) = counterparts.get_mut(ins.origin as usize) {
                o.push(i);
            }
        }
        if let RegOp::Apply(op) = ins.op {
            if is_deref(op) && ins.arg as usize >= ncells {
                return Err(fail(format!(
                    "register instruction {i}: {} names cell {} of {ncells}",
                    op.name(),
                    ins.arg
                )));
            }
        }
    }
    let mut checked = 0;
    for (k, s) in v.instructions.iter().enumerate() {
        if !is_deref(s.opcode) || !v.states.contains_key(&s.start) {
            continue;
        }
        let mine = &counterparts[k];
        let ok = mine.len() == 1
            && rc.instrs[mine[0]].op == RegOp::Apply(s.opcode)
            && rc.instrs[mine[0]].arg == s.arg;
        if !ok {
            let found: Vec<String> = mine.iter().map(|i| rc.instrs[*i].to_string()).collect();
            return Err(fail(format!(
                "stack offset {}: {} {} has register counterparts [{}], expected exactly one {}[{}]",
                s.offset,
                s.opcode.name(),
                s.arg,
                found.join("; "),
                s.opcode.name(),
                s.arg
            )));
        }
        checked += 1;
    }
    Ok(checked)
}
