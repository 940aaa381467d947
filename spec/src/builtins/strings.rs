//! The methods of `str`.

use super::{kwarg, name_of, Args, BuiltinId, Kwargs};
use crate::interp::{text, Fault, Machine, PyResult};
use crate::object::{Obj, Value};
use num_traits::ToPrimitive;

pub(super) fn str_method(
    m: &mut Machine,
    id: BuiltinId,
    args: Args,
    kwargs: Kwargs,
) -> PyResult<Value> {
    use BuiltinId::*;
    let Some(Value::Str(s)) = args.first().cloned() else {
        return Err(m.type_error(format!(
            "descriptor '{}' requires a 'str' object",
            name_of(id)
        )));
    };
    let rest = &args[1..];
    let Some(st) = s.as_str() else {
        return Err(Fault::Stuck(
            "str methods on strings with lone surrogates are not implemented yet".into(),
        ));
    };
    let st = st.to_string();
    let s_arg = |m: &mut Machine, i: usize| -> PyResult<Option<String>> {
        match rest.get(i) {
            None | Some(Value::None) => Ok(None),
            Some(Value::Str(x)) => Ok(Some(text(x))),
            Some(v) => {
                let tn = m.type_name_of(v);
                Err(m.type_error(format!("must be str or None, not {tn}")))
            }
        }
    };
    Ok(match id {
        StrJoin => {
            let items = m.collect(rest.first().unwrap_or(&Value::None))?;
            let mut parts = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                match v {
                    Value::Str(p) => parts.push(text(p)),
                    _ => {
                        let tn = m.type_name_of(v);
                        return Err(m.type_error(format!(
                            "sequence item {i}: expected str instance, {tn} found"
                        )));
                    }
                }
            }
            Value::str(&parts.join(&st))
        }
        StrSplit => {
            let sep = match kwarg(&kwargs, "sep") {
                Some(Value::Str(x)) => Some(text(&x)),
                _ => s_arg(m, 0)?,
            };
            let maxsplit = match rest.get(1).cloned().or_else(|| kwarg(&kwargs, "maxsplit")) {
                Some(v) => m.index_of(&v, "")?.to_i64().unwrap_or(-1),
                None => -1,
            };
            let parts: Vec<Value> = match sep {
                Some(sep) => {
                    if sep.is_empty() {
                        return Err(m.new_error("ValueError", "empty separator".into()));
                    }
                    if maxsplit < 0 {
                        st.split(sep.as_str()).map(Value::str).collect()
                    } else {
                        st.splitn(maxsplit as usize + 1, sep.as_str())
                            .map(Value::str)
                            .collect()
                    }
                }
                None => {
                    let mut out = Vec::new();
                    let mut rest_s = st.trim_start();
                    while !rest_s.is_empty() {
                        if maxsplit >= 0 && out.len() as i64 == maxsplit {
                            out.push(Value::str(rest_s));
                            break;
                        }
                        let end = rest_s.find(char::is_whitespace).unwrap_or(rest_s.len());
                        out.push(Value::str(&rest_s[..end]));
                        rest_s = rest_s[end..].trim_start();
                    }
                    out
                }
            };
            Value::Obj(m.heap.alloc(Obj::List(parts)))
        }
        StrStrip | StrLstrip | StrRstrip => {
            let chars = s_arg(m, 0)?;
            let pat = |c: char| match &chars {
                Some(cs) => cs.contains(c),
                None => c.is_whitespace(),
            };
            Value::str(match id {
                StrStrip => st.trim_matches(pat),
                StrLstrip => st.trim_start_matches(pat),
                _ => st.trim_end_matches(pat),
            })
        }
        StrReplace => {
            let (Some(Value::Str(old)), Some(Value::Str(new))) = (rest.first(), rest.get(1)) else {
                return Err(m.type_error("replace() argument must be str".into()));
            };
            let count = match rest.get(2) {
                Some(v) => m.index_of(v, "")?.to_i64().unwrap_or(-1),
                None => -1,
            };
            let (old, new) = (text(old), text(new));
            if count < 0 {
                Value::str(&st.replace(&old, &new))
            } else {
                Value::str(&st.replacen(&old, &new, count as usize))
            }
        }
        StrFind | StrIndex | StrCount => {
            let Some(Value::Str(sub)) = rest.first() else {
                return Err(m.type_error("must be str".into()));
            };
            let sub = text(sub);
            let chars: Vec<char> = st.chars().collect();
            let len = chars.len() as i64;
            let bound = |m: &mut Machine, i: usize, d: i64| -> PyResult<i64> {
                match rest.get(i) {
                    None | Some(Value::None) => Ok(d),
                    Some(v) => {
                        let b = m.index_of(v, "")?.to_i64().unwrap_or(d);
                        Ok(if b < 0 { (b + len).max(0) } else { b.min(len) })
                    }
                }
            };
            let start = bound(m, 1, 0)? as usize;
            let end = bound(m, 2, len)? as usize;
            let hay: String = if start <= end {
                chars[start..end].iter().collect()
            } else {
                String::new()
            };
            if id == StrCount {
                let n = if sub.is_empty() {
                    hay.chars().count() + 1
                } else {
                    hay.matches(sub.as_str()).count()
                };
                return Ok(Value::int(n as i64));
            }
            match hay.find(sub.as_str()) {
                Some(b) => Value::int((start + hay[..b].chars().count()) as i64),
                None if id == StrIndex => {
                    return Err(m.new_error("ValueError", "substring not found".into()))
                }
                None => Value::int(-1),
            }
        }
        StrStartswith | StrEndswith => {
            let pats: Vec<String> = match rest.first() {
                Some(Value::Str(p)) => vec![text(p)],
                Some(Value::Tuple(t)) => t
                    .iter()
                    .map(|v| match v {
                        Value::Str(p) => text(p),
                        _ => String::new(),
                    })
                    .collect(),
                _ => {
                    let tn = rest.first().map(|v| m.type_name_of(v)).unwrap_or_default();
                    return Err(m.type_error(format!(
                        "{} first arg must be str or a tuple of str, not {tn}",
                        name_of(id)
                    )));
                }
            };
            let r = pats.iter().any(|p| {
                if id == StrStartswith {
                    st.starts_with(p.as_str())
                } else {
                    st.ends_with(p.as_str())
                }
            });
            Value::Bool(r)
        }
        StrUpper => Value::str(&st.to_uppercase()),
        StrLower => Value::str(&st.to_lowercase()),
        StrIsdigit => Value::Bool(!st.is_empty() && st.chars().all(|c| c.is_ascii_digit())),
        StrIsalpha => Value::Bool(!st.is_empty() && st.chars().all(char::is_alphabetic)),
        StrIsspace => Value::Bool(!st.is_empty() && st.chars().all(char::is_whitespace)),
        StrFormat => {
            return Err(Fault::Stuck("str.format is not implemented yet".into()));
        }
        _ => unreachable!("str_method is called for str methods only"),
    })
}
