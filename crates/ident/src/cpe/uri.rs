//! The URI binding, NISTIR 7695 §6.1: `cpe:/part:vendor:product:version:
//! update:edition:language`, with the CPE 2.3 extended attributes packed
//! into `edition` as `~edition~sw_edition~target_sw~target_hw~other`.

use super::{Attribute, Cpe, Value, WfnStr};
use crate::error::CpeError;

/// `bind_to_uri` (§6.1.2.1).
pub(super) fn bind(cpe: &Cpe) -> String {
    let mut comps: Vec<String> = [
        Attribute::Part,
        Attribute::Vendor,
        Attribute::Product,
        Attribute::Version,
        Attribute::Update,
    ]
    .iter()
    .map(|a| bind_value(cpe.get(*a)))
    .collect();
    let extended = [
        Attribute::SwEdition,
        Attribute::TargetSw,
        Attribute::TargetHw,
        Attribute::Other,
    ];
    let edition = if extended.iter().all(|a| *cpe.get(*a) == Value::Any) {
        bind_value(cpe.get(Attribute::Edition))
    } else {
        // `pack` (§6.1.2.3).
        let mut packed = String::new();
        for a in std::iter::once(Attribute::Edition).chain(extended) {
            packed.push('~');
            packed.push_str(&bind_value(cpe.get(a)));
        }
        packed
    };
    comps.push(edition);
    comps.push(bind_value(cpe.get(Attribute::Language)));
    // Trailing empty components are dropped (§6.1.2.1, "trim").
    while comps.last().is_some_and(String::is_empty) {
        comps.pop();
    }
    format!("cpe:/{}", comps.join(":"))
}

/// `bind_value_for_uri` and `transform_for_uri` (§6.1.2.2, §6.1.2.4).
fn bind_value(v: &Value) -> String {
    match v {
        Value::Any => String::new(),
        Value::Na => "-".into(),
        // A lone literal hyphen would read back as NA.
        Value::Str(s) if s.as_wfn() == "\\-" => "%2d".into(),
        Value::Str(s) => transform(s),
    }
}

fn transform(s: &WfnStr) -> String {
    let mut out = String::with_capacity(s.as_wfn().len());
    let mut it = s.as_wfn().chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => {
                if let Some(n) = it.next() {
                    pct_encode(n, &mut out);
                }
            }
            '?' => out.push_str("%01"),
            '*' => out.push_str("%02"),
            c => out.push(c),
        }
    }
    out
}

/// `pct_encode` (§6.1.2.3): `-` and `.` stay bare, other punctuation is
/// percent-encoded (lower-case hex, as the NISTIR's table writes it).
fn pct_encode(c: char, out: &mut String) {
    match c {
        '-' | '.' => out.push(c),
        c if c.is_ascii() => out.push_str(&format!("%{:02x}", c as u32)),
        c => out.push(c),
    }
}

/// `unbind_uri` (§6.1.3.1).
pub(super) fn unbind(s: &str) -> Result<Cpe, CpeError> {
    let bad = |reason: &'static str| CpeError::BadName {
        input: s.into(),
        reason,
    };
    let body = &s[5..];
    let comps: Vec<&str> = body.split(':').collect();
    if comps.len() > 7 {
        return Err(bad("a URI has at most 7 components"));
    }
    let mut values: [Value; 11] = std::array::from_fn(|_| Value::Any);
    for (i, comp) in comps.iter().enumerate() {
        if i == 5 && comp.starts_with('~') {
            // `unpack` (§6.1.3.3).
            let packed: Vec<&str> = comp[1..].split('~').collect();
            if packed.len() != 5 {
                return Err(bad("a packed edition has five fields"));
            }
            let targets = [
                Attribute::Edition,
                Attribute::SwEdition,
                Attribute::TargetSw,
                Attribute::TargetHw,
                Attribute::Other,
            ];
            for (a, p) in targets.iter().zip(packed) {
                values[*a as usize] = decode(p)?;
            }
            continue;
        }
        let slot = match i {
            0..=5 => i,
            _ => Attribute::Language as usize,
        };
        values[slot] = decode(comp)?;
    }
    Cpe::from_values(values)
}

/// `decode` (§6.1.3.2): `%01` is `?`, `%02` is `*`, other escapes and bare
/// `.`, `-`, `~` become quoted characters.
fn decode(comp: &str) -> Result<Value, CpeError> {
    match comp {
        "" => return Ok(Value::Any),
        "-" => return Ok(Value::Na),
        _ => {}
    }
    let bad = |reason: &'static str| CpeError::BadValue {
        value: comp.into(),
        reason,
    };
    let mut out = String::with_capacity(comp.len() + 4);
    let bytes = comp.as_bytes();
    let mut i = 0;
    while i < comp.len() {
        if bytes[i] == b'%' {
            let hex = comp
                .get(i + 1..i + 3)
                .ok_or_else(|| bad("truncated %-escape"))?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| bad("bad %-escape"))?;
            match b {
                1 => out.push('?'),
                2 => out.push('*'),
                b if b.is_ascii_graphic() && !b.is_ascii_alphanumeric() && b != b'_' => {
                    out.push('\\');
                    out.push(char::from(b));
                }
                b if b.is_ascii_alphanumeric() || b == b'_' => out.push(char::from(b)),
                _ => return Err(bad("escape of a non-printable character")),
            }
            i += 3;
            continue;
        }
        let Some(c) = comp[i..].chars().next() else {
            break;
        };
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
        i += c.len_utf8();
    }
    Value::str(&out)
}
