//! Replays the operation scripts of data/set_order_golden.json (written by
//! scripts/gen_set_order_golden.py under CPython 3.9.18) on `SetTable` and
//! checks, after every step, the iteration order, the table size, popped and
//! discarded keys, and (for the eq-logged scenarios) the exact sequence of
//! `__eq__` calls and where a raising `__eq__` stops an operation.
//!
//! Hashes come from the golden data; no CPython runs at test time.

use pyreg_spec::settable::{SetTable, Slot, MIN_SIZE};
use serde_json::Value;
use std::collections::HashMap;

/// A key of the golden scenarios: a Python int or str, or (eq-logged
/// scenarios) one of the scenario's distinct objects, by index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Int(i64),
    Str(String),
    Obj(usize),
}

/// What a raising `__eq__` turns into.
#[derive(Debug, PartialEq)]
struct Raised;

/// Hashes and equality of one scenario's keys.
struct Env {
    ints: HashMap<i64, i64>,
    strs: HashMap<String, i64>,
    /// For eq-logged scenarios: each object's label (`None`: `__eq__`
    /// raises) and hash.
    objects: Vec<(Option<String>, i64)>,
}

impl Env {
    fn hash(&self, key: &Key) -> i64 {
        match key {
            Key::Int(k) => *self
                .ints
                .get(k)
                .unwrap_or_else(|| panic!("no recorded hash for {k}")),
            Key::Str(s) => *self
                .strs
                .get(s)
                .unwrap_or_else(|| panic!("no recorded hash for {s:?}")),
            Key::Obj(i) => self.objects[*i].1,
        }
    }

    /// Python equality as CPython's set code sees it: the identity shortcut
    /// first (no `__eq__` call), then `type(stored).__eq__(stored, probe)`,
    /// which the scenario's objects log.
    fn eq(&self, stored: &Key, probe: &Key, log: &mut Vec<(usize, usize)>) -> Result<bool, Raised> {
        match (stored, probe) {
            (Key::Obj(a), Key::Obj(b)) => {
                if a == b {
                    return Ok(true);
                }
                log.push((*a, *b));
                match (&self.objects[*a].0, &self.objects[*b].0) {
                    (Some(x), Some(y)) => Ok(x == y),
                    _ => Err(Raised),
                }
            }
            _ => Ok(stored == probe),
        }
    }
}

fn key_of(v: &Value, objects: bool) -> Key {
    if objects {
        return Key::Obj(v.as_u64().expect("an object key is an index") as usize);
    }
    match v {
        Value::Number(n) => Key::Int(n.as_i64().expect("int keys fit in i64")),
        Value::String(s) => Key::Str(s.clone()),
        other => panic!("not a key: {other}"),
    }
}

fn golden() -> Value {
    serde_json::from_str(include_str!("data/set_order_golden.json"))
        .expect("golden set data parses")
}

fn base_env(data: &Value) -> Env {
    let mut env = Env {
        ints: HashMap::new(),
        strs: HashMap::new(),
        objects: Vec::new(),
    };
    for pair in data["hashes"]["int"].as_array().unwrap() {
        env.ints
            .insert(pair[0].as_i64().unwrap(), pair[1].as_i64().unwrap());
    }
    for pair in data["hashes"]["str"].as_array().unwrap() {
        env.strs.insert(
            pair[0].as_str().unwrap().to_owned(),
            pair[1].as_i64().unwrap(),
        );
    }
    env
}

/// Replays one scenario, panicking with the scenario and step on the first
/// difference from CPython.
struct Replay<'a> {
    env: &'a Env,
    objects: bool,
    vars: HashMap<String, SetTable<Key>>,
    name: String,
}

impl Replay<'_> {
    fn items(&self, step: &Value) -> Vec<(i64, Key)> {
        self.items_of(&step["items"])
    }

    fn items_of(&self, list: &Value) -> Vec<(i64, Key)> {
        list.as_array()
            .expect("items is a list")
            .iter()
            .map(|v| {
                let key = key_of(v, self.objects);
                (self.env.hash(&key), key)
            })
            .collect()
    }

    /// `dict.fromkeys(items)`: the first of each run of equal keys, in
    /// order (no dict scenario uses objects, so `==` is Python equality).
    fn dict_keys(&self, step: &Value) -> Vec<(i64, Key)> {
        let mut keys: Vec<(i64, Key)> = Vec::new();
        for item in self.items(step) {
            if !keys.contains(&item) {
                keys.push(item);
            }
        }
        keys
    }

    fn var(&self, step: &Value, field: &str) -> SetTable<Key> {
        let name = step[field].as_str().expect("a variable name");
        self.vars
            .get(name)
            .unwrap_or_else(|| panic!("{}: no variable {name}", self.name))
            .clone()
    }

    fn flag(step: &Value, field: &str) -> bool {
        step[field].as_bool().unwrap_or(false)
    }

    /// Runs one step; `Err` when a (modelled) `__eq__` raised.
    fn apply(&mut self, step: &Value, log: &mut Vec<(usize, usize)>) -> Result<(), Raised> {
        let env = self.env;
        let mut eq = |a: &Key, b: &Key| env.eq(a, b, log);
        let eq: &mut dyn FnMut(&Key, &Key) -> Result<bool, Raised> = &mut eq;
        let op = step["op"].as_str().unwrap();
        let out = step["out"].as_str().unwrap().to_owned();
        let alias = Self::flag(step, "alias");
        let result: SetTable<Key> = match op {
            "new" => SetTable::new(),
            "set_list" | "comp" | "frozenset_tuple" => SetTable::from_hashed(self.items(step), eq)?,
            "display" => {
                // 3.9 folds a display of more than two constants into a
                // frozenset constant, loaded from the .pyc by adding its
                // elements in marshal order, then BUILD_SET 0 and SET_UPDATE
                // (set_merge). Shorter displays are BUILD_SET n.
                if step.get("folded").is_some() {
                    let order = self.items_of(&step["folded"]);
                    let constant = SetTable::from_hashed(order, eq)?;
                    let mut set = SetTable::new();
                    set.update(&constant, eq)?;
                    set
                } else {
                    SetTable::from_hashed(self.items(step), eq)?
                }
            }
            "marshal" => {
                // marshal writes a frozenset in iteration order and reads it
                // back with PySet_Add.
                let src = self.var(step, "src");
                let items: Vec<(i64, Key)> =
                    src.iter_hashed().map(|(h, k)| (h, k.clone())).collect();
                SetTable::from_hashed(items, eq)?
            }
            "set_dict" => {
                let keys = self.dict_keys(step);
                let mut set = SetTable::new();
                set.update_dict(keys.len(), keys, eq)?;
                set
            }
            "copy" => {
                let src = self.var(step, "src");
                if Self::flag(step, "identity") {
                    src
                } else {
                    src.copy()
                }
            }
            "set_of" => self.var(step, "src").copy(),
            "or" | "and" | "sub" | "xor" => {
                let a = self.var(step, "a");
                let b = self.var(step, "b");
                match (op, alias) {
                    ("or" | "and", true) => a.copy(),
                    ("or", false) => a.union(&b, eq)?,
                    ("and", false) => a.intersection(&b, eq)?,
                    ("sub", _) => a.difference(&b, eq)?,
                    _ => a.symmetric_difference(&b, eq)?,
                }
            }
            "union_list" => {
                let mut set = self.var(step, "a").copy();
                set.extend(self.items(step), eq)?;
                set
            }
            "intersection_list" => self
                .var(step, "a")
                .intersection_iter(self.items(step), eq)?,
            "difference_list" => self.var(step, "a").difference_iter(self.items(step), eq)?,
            "symdiff_list" => self
                .var(step, "a")
                .symmetric_difference_iter(self.items(step), eq)?,
            "difference_dict" => {
                let keys = self.dict_keys(step);
                let mut in_dict = |hash: i64, key: &Key| -> Result<bool, Raised> {
                    Ok(keys.iter().any(|(h, k)| *h == hash && k == key))
                };
                self.var(step, "a")
                    .difference_dict(&keys, &mut in_dict, eq)?
            }
            _ => return self.mutate(op, &out, step, alias, eq),
        };
        self.vars.insert(out, result);
        Ok(())
    }

    /// The steps that change `out` in place. On error the partial state
    /// stays, as in CPython.
    fn mutate(
        &mut self,
        op: &str,
        out: &str,
        step: &Value,
        alias: bool,
        eq: &mut dyn FnMut(&Key, &Key) -> Result<bool, Raised>,
    ) -> Result<(), Raised> {
        let src = step.get("src").map(|_| self.var(step, "src"));
        let items = step["items"].is_array().then(|| self.items(step));
        let dict_keys = step["items"].is_array().then(|| self.dict_keys(step));
        let key = step.get("key").map(|k| key_of(k, self.objects));
        let env = self.env;
        let name = self.name.clone();
        let set = self
            .vars
            .get_mut(out)
            .unwrap_or_else(|| panic!("{name}: no variable {out}"));
        match op {
            "add" => {
                let key = key.unwrap();
                set.insert(env.hash(&key), key, eq)?;
            }
            "discard" => {
                let key = key.unwrap();
                let found = set.remove(env.hash(&key), &key, eq);
                // CPython records whether the length changed even if __eq__
                // raised (it then did not).
                let removed = matches!(found, Ok(Some(_)));
                assert_eq!(
                    removed,
                    step["found"].as_bool().unwrap(),
                    "{name}: discard found"
                );
                found?;
            }
            "pop" => {
                let popped = set.pop();
                let expected = match &step["popped"] {
                    Value::Null => None,
                    v => Some(key_of(v, self.objects)),
                };
                assert_eq!(popped, expected, "{name}: popped key");
            }
            "clear" => set.clear(),
            "ior" if alias => {}
            "iand" if alias => {
                let compacted = set.copy();
                set.swap_bodies(compacted);
            }
            "isub" | "ixor" if alias => set.clear(),
            "ior" => set.update(src.as_ref().unwrap(), eq)?,
            "iand" => set.intersection_update(src.as_ref().unwrap(), eq)?,
            "isub" => set.difference_update(src.as_ref().unwrap(), eq)?,
            "ixor" => set.symmetric_difference_update(src.as_ref().unwrap(), eq)?,
            "update_list" => set.extend(items.unwrap(), eq)?,
            "intersection_update_list" => set.intersection_update_iter(items.unwrap(), eq)?,
            "difference_update_list" => set.difference_update_iter(items.unwrap(), eq)?,
            "symdiff_update_list" => set.symmetric_difference_update_iter(items.unwrap(), eq)?,
            "update_dict" => {
                let keys = dict_keys.unwrap();
                set.update_dict(keys.len(), keys, eq)?
            }
            "symdiff_update_dict" => {
                set.symmetric_difference_update_dict(dict_keys.unwrap(), eq)?
            }
            "add_range" => add_range(set, step, &name),
            other => panic!("{name}: unknown op {other}"),
        }
        Ok(())
    }

    fn run(&mut self, steps: &[Value]) {
        for (n, step) in steps.iter().enumerate() {
            let mut log = Vec::new();
            let result = self.apply(step, &mut log);
            let what = format!("{} step {n} ({})", self.name, step["op"]);
            assert_eq!(result.is_err(), Self::flag(step, "error"), "{what}: error");
            let expected_log: Vec<(usize, usize)> = step["eq"]
                .as_array()
                .map(|calls| {
                    calls
                        .iter()
                        .map(|c| {
                            (
                                c[0].as_u64().unwrap() as usize,
                                c[1].as_u64().unwrap() as usize,
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(log, expected_log, "{what}: __eq__ calls");
            let set = &self.vars[step["out"].as_str().unwrap()];
            assert_eq!(
                set.table_size(),
                step["size"].as_u64().unwrap() as usize,
                "{what}: table size"
            );
            if let Some(expect) = step["expect"].as_array() {
                let expect: Vec<Key> = expect.iter().map(|v| key_of(v, self.objects)).collect();
                let got: Vec<Key> = set.iter().cloned().collect();
                assert_eq!(got, expect, "{what}: iteration order");
            }
            check_invariants(set, &what);
        }
    }
}

/// `out.add(k)` for each `k = (i * mul) % mod`, `i` in `0..n`: ints below
/// 2**61 - 1, whose hash is themselves. Checks the table size after each
/// resize and a digest of the final order.
fn add_range(set: &mut SetTable<Key>, step: &Value, name: &str) {
    let spec = &step["items"];
    let n = spec["n"].as_u64().unwrap();
    let mul = spec["mul"].as_u64().unwrap() as u128;
    let modulus = spec["mod"].as_u64().unwrap() as u128;
    let mut sizes = Vec::new();
    let mut last = set.table_size();
    let mut eq = |a: &Key, b: &Key| -> Result<bool, Raised> { Ok(a == b) };
    for i in 0..n {
        let k = ((i as u128 * mul) % modulus) as i64;
        set.insert(k, Key::Int(k), &mut eq).unwrap();
        if set.table_size() != last {
            last = set.table_size();
            sizes.push(vec![i, last as u64]);
        }
    }
    let expected: Vec<Vec<u64>> = spec_sizes(step);
    assert_eq!(sizes, expected, "{name}: resize points");
    let mut digest: u64 = 0;
    for key in set.iter() {
        let Key::Int(k) = key else { unreachable!() };
        digest = digest.wrapping_mul(1_000_003).wrapping_add(*k as u64);
    }
    assert_eq!(
        digest,
        step["digest"].as_u64().unwrap(),
        "{name}: order digest"
    );
}

fn spec_sizes(step: &Value) -> Vec<Vec<u64>> {
    step["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect()
        })
        .collect()
}

/// The counters agree with the slots and an empty slot is left to end
/// failing probes.
fn check_invariants(set: &SetTable<Key>, what: &str) {
    let slots = set.slots();
    assert!(
        slots.len().is_power_of_two() && slots.len() >= MIN_SIZE,
        "{what}"
    );
    let live = slots
        .iter()
        .filter(|s| matches!(s, Slot::Full { .. }))
        .count();
    let used = slots.iter().filter(|s| !matches!(s, Slot::Empty)).count();
    assert_eq!(live, set.len(), "{what}: used");
    assert_eq!(used, set.fill(), "{what}: fill");
    assert!(used < slots.len(), "{what}: no empty slot");
}

#[test]
fn golden_scenarios() {
    let data = golden();
    assert_eq!(data["python"].as_str(), Some("3.9.18"));
    let env = base_env(&data);
    let scenarios = data["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 30);
    let mut steps = 0;
    for sc in scenarios {
        let mut replay = Replay {
            env: &env,
            objects: false,
            vars: HashMap::new(),
            name: sc["name"].as_str().unwrap().to_owned(),
        };
        let list = sc["steps"].as_array().unwrap();
        replay.run(list);
        steps += list.len();
    }
    assert!(steps > 1000, "only {steps} steps replayed");
}

#[test]
fn golden_eq_calls() {
    let data = golden();
    let scenarios = data["eqlog"].as_array().unwrap();
    assert!(!scenarios.is_empty());
    let mut errors = 0;
    for sc in scenarios {
        let mut env = base_env(&data);
        env.objects = sc["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o[0].as_str().map(str::to_owned), o[1].as_i64().unwrap()))
            .collect();
        let mut replay = Replay {
            env: &env,
            objects: true,
            vars: HashMap::new(),
            name: sc["name"].as_str().unwrap().to_owned(),
        };
        let steps = sc["steps"].as_array().unwrap();
        errors += steps.iter().filter(|s| Replay::flag(s, "error")).count();
        replay.run(steps);
    }
    assert!(errors >= 2, "the raising __eq__ cases ran");
}

type NoErr = std::convert::Infallible;

fn int_eq(a: &i64, b: &i64) -> Result<bool, NoErr> {
    Ok(a == b)
}

fn build(keys: &[i64]) -> SetTable<i64> {
    // Small non-negative ints are their own hash.
    SetTable::from_hashed(keys.iter().map(|&k| (k, k)), &mut int_eq).unwrap()
}

#[test]
fn probe_order_in_the_small_table() {
    // Hashes 0, 8, 16, 24 all start at slot 0; with perturb 0 the jumps go
    // 0 -> 1 -> 6 -> 7, and 8 slots hold four entries without resizing.
    let set = build(&[0, 8, 16, 24]);
    assert_eq!(set.table_size(), 8);
    let layout: Vec<Option<i64>> = set
        .slots()
        .iter()
        .map(|s| match s {
            Slot::Full { key, .. } => Some(*key),
            _ => None,
        })
        .collect();
    assert_eq!(
        layout,
        [Some(0), Some(8), None, None, None, None, Some(16), Some(24)]
    );
    // The fifth entry makes fill*5 >= mask*3: 5*4 = 20 -> 32 slots.
    assert_eq!(build(&[0, 8, 16, 24, 1]).table_size(), 32);
}

#[test]
fn next_entry_walks_slots() {
    let set = build(&[3, 1, 6]);
    let mut pos = 0;
    let mut seen = Vec::new();
    while let Some((next, hash, key)) = set.next_entry(pos) {
        assert_eq!(hash, *key);
        seen.push(*key);
        pos = next;
    }
    assert_eq!(seen, [1, 3, 6]);
    assert_eq!(set.iter().copied().collect::<Vec<_>>(), seen);
}

#[test]
fn insert_keeps_the_stored_key() {
    // Equal but distinguishable keys: (value, tag), equal on value.
    let mut eq = |a: &(i64, char), b: &(i64, char)| -> Result<bool, NoErr> { Ok(a.0 == b.0) };
    let mut set = SetTable::new();
    assert!(set.insert(1, (1, 'a'), &mut eq).unwrap());
    assert!(!set.insert(1, (1, 'b'), &mut eq).unwrap());
    assert_eq!(set.get(1, &(1, 'z'), &mut eq).unwrap(), Some(&(1, 'a')));
    assert_eq!(set.remove(1, &(1, 'c'), &mut eq).unwrap(), Some((1, 'a')));
    assert!(set.is_empty());
    assert_eq!(set.fill(), 1, "the removed entry left a dummy");
}

#[test]
fn failing_eq_stops_midway() {
    // Keys 0 and 8 share slot 0's chain; comparing any two keys of equal
    // hash fails, so inserting a second key of hash 0 fails after the
    // updates before it took effect.
    let mut set = build(&[0]);
    let mut boom = |_: &i64, _: &i64| -> Result<bool, &'static str> { Err("boom") };
    let other = build(&[1, 2]);
    set.update(&other, &mut boom).unwrap();
    assert_eq!(set.len(), 3);
    let err = set.extend([(3, 3), (0, 0), (4, 4)], &mut boom);
    assert_eq!(err, Err("boom"));
    assert_eq!(set.iter().copied().collect::<Vec<_>>(), [0, 1, 2, 3]);
}
