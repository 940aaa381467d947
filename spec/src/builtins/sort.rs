//! `list.sort` and `sorted`: CPython's timsort comparison order for the
//! short lists programs sort (so a failing `<` fails on the same pair), and a
//! stable merge sort for longer ones.

use crate::interp::ops::CmpOp;
use crate::interp::{Machine, PyResult};
use crate::object::Value;

/// Below this length timsort is one run sorted by binary insertion, which
/// is reproduced comparison for comparison (`MIN_GALLOP` aside, longer lists
/// only differ in the order of comparisons, not in the result).
const BINARY_SORT_LIMIT: usize = 64;

fn less(m: &mut Machine, a: &Value, b: &Value) -> PyResult<bool> {
    let r = m.compare(CmpOp::Lt, a, b)?;
    m.truthy(&r)
}

/// Sorts `(key, value)` pairs by key, stably, comparing keys with `<` only.
pub fn sort_pairs(m: &mut Machine, mut v: Vec<(Value, Value)>) -> PyResult<Vec<(Value, Value)>> {
    if v.len() < 2 {
        return Ok(v);
    }
    if v.len() >= BINARY_SORT_LIMIT {
        return merge_sort(m, v);
    }
    // count_run: the initial ascending or strictly descending run.
    let mut run = 2;
    let descending = less(m, &v[1].0, &v[0].0)?;
    while run < v.len() {
        let ordered = less(m, &v[run].0, &v[run - 1].0)?;
        if ordered != descending {
            break;
        }
        run += 1;
    }
    if descending {
        v[..run].reverse();
    }
    // binarysort: insert each remaining item after the equal ones before it.
    for start in run..v.len() {
        let pivot = v[start].clone();
        let (mut l, mut r) = (0, start);
        while l < r {
            let p = l + ((r - l) >> 1);
            if less(m, &pivot.0, &v[p].0)? {
                r = p;
            } else {
                l = p + 1;
            }
        }
        v.remove(start);
        v.insert(l, pivot);
    }
    Ok(v)
}

fn merge_sort(m: &mut Machine, mut v: Vec<(Value, Value)>) -> PyResult<Vec<(Value, Value)>> {
    if v.len() < BINARY_SORT_LIMIT {
        return sort_pairs(m, v);
    }
    let right = v.split_off(v.len() / 2);
    let left = merge_sort(m, v)?;
    let right = merge_sort(m, right)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if less(m, &right[j].0, &left[i].0)? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}
