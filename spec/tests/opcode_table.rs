//! Checks every row of the stack ISA table against CPython 3.9's `opcode`
//! module and `dis.stack_effect` (golden data from scripts/gen_opcode_golden.py).

use pyreg_spec::opcode::{ArgKind, Opcode, CMP_OP, HAVE_ARGUMENT, OPCODES};
use serde_json::Value;

fn golden() -> Value {
    let text = include_str!("data/opcodes.json");
    serde_json::from_str(text).expect("golden opcode data parses")
}

#[test]
fn table_has_every_cpython_opcode_with_its_number_and_name() {
    let g = golden();
    let rows = g["opcodes"].as_array().unwrap();
    assert_eq!(rows.len(), 119);
    assert_eq!(OPCODES.len(), rows.len());
    for row in rows {
        let num = row["number"].as_u64().unwrap() as u8;
        let op = Opcode::from_u8(num).unwrap_or_else(|| panic!("no opcode {num}"));
        assert_eq!(op.name(), row["name"].as_str().unwrap());
        assert_eq!(op.has_arg(), row["has_argument"].as_bool().unwrap());
    }
    assert_eq!(
        u64::from(HAVE_ARGUMENT),
        g["have_argument"].as_u64().unwrap()
    );
    assert_eq!(
        u64::from(Opcode::ExtendedArg as u8),
        g["extended_arg"].as_u64().unwrap()
    );
    let cmp: Vec<&str> = g["cmp_op"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(cmp, CMP_OP);
    for n in 0..=255u8 {
        if Opcode::from_u8(n).is_some() {
            assert!(rows.iter().any(|r| r["number"] == u64::from(n)));
        }
    }
}

#[test]
fn argument_kinds_agree_with_the_opcode_module() {
    for row in golden()["opcodes"].as_array().unwrap() {
        let op = Opcode::from_u8(row["number"].as_u64().unwrap() as u8).unwrap();
        let kinds: Vec<&str> = row["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .filter(|k| *k != "hasnargs")
            .collect();
        let expected: &[&str] = match op.info().arg {
            ArgKind::Const => &["hasconst"],
            ArgKind::Name => &["hasname"],
            ArgKind::Local => &["haslocal"],
            ArgKind::Cell => &["hasfree"],
            ArgKind::Compare => &["hascompare"],
            ArgKind::JumpRelative => &["hasjrel"],
            ArgKind::JumpAbsolute => &["hasjabs"],
            _ => &[],
        };
        assert_eq!(kinds, expected, "{}", op.name());
        assert_eq!(
            op.info().arg == ArgKind::None,
            !op.has_arg(),
            "{}",
            op.name()
        );
    }
}

#[test]
fn stack_effects_agree_with_dis_stack_effect() {
    let mut checked = 0;
    for row in golden()["opcodes"].as_array().unwrap() {
        let op = Opcode::from_u8(row["number"].as_u64().unwrap() as u8).unwrap();
        for e in row["effects"].as_array().unwrap() {
            let arg = e[0].as_u64().unwrap_or(0) as u32;
            let Some(expected) = e[2].as_i64() else {
                continue;
            };
            let ours = match e[1].as_bool() {
                Some(jump) => i64::from(op.stack_effect(arg, jump)),
                None => i64::from(op.stack_effect(arg, true).max(op.stack_effect(arg, false))),
            };
            assert_eq!(ours, expected, "{} arg={arg} jump={:?}", op.name(), e[1]);
            checked += 1;
        }
    }
    assert!(checked > 119 * 3);
}

#[test]
fn every_opcode_documents_its_rule() {
    for info in OPCODES {
        assert!(
            info.rule.contains(info.name),
            "the rule of {} should name it: {}",
            info.name,
            info.rule
        );
        assert!(
            info.rule.len() > info.name.len() + 10,
            "{} has no rule text",
            info.name
        );
    }
}
