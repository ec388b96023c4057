//! The formatted string binding, NISTIR 7695 §6.2: `cpe:2.3:` followed by
//! the eleven attribute values separated by unquoted colons.

use super::{Cpe, Value, WfnStr};
use crate::error::CpeError;

/// `bind_to_fs` (§6.2.2.1).
pub(super) fn bind(cpe: &Cpe) -> String {
    let mut out = String::from("cpe:2.3");
    for v in cpe.values() {
        out.push(':');
        match v {
            Value::Any => out.push('*'),
            Value::Na => out.push('-'),
            Value::Str(s) => out.push_str(&process_quoted_chars(s)),
        }
    }
    out
}

/// `process_quoted_chars` (§6.2.2.2): `\.`, `\-` and `\_` lose their quote;
/// other quoted characters keep it. A value that is just `\-` keeps it, or it
/// would read back as NA.
fn process_quoted_chars(s: &WfnStr) -> String {
    let w = s.as_wfn();
    if w == "\\-" {
        return w.into();
    }
    let mut out = String::with_capacity(w.len());
    let mut it = w.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some(n @ ('.' | '-' | '_')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits at colons that are not quoted.
fn split_components(s: &str) -> Vec<&str> {
    let mut parts = Vec::with_capacity(13);
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// `unbind_fs` (§6.2.3).
pub(super) fn unbind(s: &str) -> Result<Cpe, CpeError> {
    let parts = split_components(s);
    if parts.len() != 13 {
        return Err(CpeError::BadName {
            input: s.into(),
            reason: "a formatted string has 13 colon-separated components",
        });
    }
    let mut values: [Value; 11] = std::array::from_fn(|_| Value::Any);
    for (slot, comp) in values.iter_mut().zip(&parts[2..]) {
        *slot = unbind_value(comp)?;
    }
    Cpe::from_values(values)
}

/// `unbind_value_fs` and `add_quoting` (§6.2.3.2, §6.2.3.3): punctuation
/// that the formatted string leaves bare is quoted in the WFN.
fn unbind_value(comp: &str) -> Result<Value, CpeError> {
    match comp {
        "*" => return Ok(Value::Any),
        "-" => return Ok(Value::Na),
        "" => {
            return Err(CpeError::BadValue {
                value: comp.into(),
                reason: "empty component",
            });
        }
        _ => {}
    }
    let mut out = String::with_capacity(comp.len() + 4);
    let mut it = comp.chars();
    while let Some(c) = it.next() {
        if c.is_alphanumeric() || c == '_' || c == '*' || c == '?' {
            // Placement of wildcards is checked by WfnStr::new.
            out.push(c);
        } else if c == '\\' {
            out.push('\\');
            match it.next() {
                Some(n) => out.push(n),
                None => {
                    return Err(CpeError::BadValue {
                        value: comp.into(),
                        reason: "dangling quote",
                    });
                }
            }
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    Value::str(&out)
}
