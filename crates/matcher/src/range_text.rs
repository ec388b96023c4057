//! Version ranges as CSAF advisories write them in `product_version` and
//! `product_version_range` branch names: `vers` strings (CSAF 2.0 3.1.2.2
//! recommends them) and the free text of CISA advisories (`<= 3.1`,
//! `>= 1.0.0 | <= 1.3.1`, `5.0|5.1`, `14.1.x`, `3.6 and prior`, `versions
//! prior to 3.2`, `All versions`).
//!
//! Read conservatively: only the forms above, with version tokens that look
//! like versions (letters, digits and `.`, `-`, `_`, at least one digit).
//! Anything else ("distributed < april 1, 2018", "Rev B-M", "v6.x (with
//! Wireless Battery Modules …)") is [`RangeText::Unparsed`]: the matcher
//! keeps it and reports it with a lower confidence rather than guessing.
//! Free-text versions use the `generic` scheme (vendor firmware).

use medvigil_version::{Bound, Interval, Scheme, Version, VersionRange, vers};

/// What a range text says.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RangeText {
    /// Every version (`vers:all/*`, `*`, `All versions`).
    All,
    /// These versions.
    Range(VersionRange),
    /// A form this reader does not understand.
    Unparsed,
}

/// Reads a version or range text; never panics.
pub fn parse(text: &str) -> RangeText {
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = collapsed.as_str();
    if t.is_empty() {
        return RangeText::Unparsed;
    }
    if t.len() > 256 {
        return RangeText::Unparsed;
    }
    if let Some(rest) = t.strip_prefix("vers:") {
        return parse_vers(t, rest);
    }
    let lower = t.to_lowercase();
    let lower = lower
        .strip_prefix("versions ")
        .or_else(|| lower.strip_prefix("version "))
        .unwrap_or(&lower)
        .to_string();
    if matches!(
        lower.as_str(),
        "*" | "all" | "all versions" | "all version" | "any" | "any version" | "all releases"
    ) {
        return RangeText::All;
    }
    if let Some(r) = phrase(&lower) {
        return r;
    }
    comparators(&lower).unwrap_or(RangeText::Unparsed)
}

fn parse_vers(full: &str, rest: &str) -> RangeText {
    match rest.split_once('/') {
        Some((_, "*")) => RangeText::All,
        Some(("all", c)) => match vers::parse(&format!("vers:generic/{c}")) {
            Ok(r) => RangeText::Range(r),
            Err(_) => RangeText::Unparsed,
        },
        _ => match vers::parse(full) {
            Ok(r) => RangeText::Range(r),
            Err(_) => RangeText::Unparsed,
        },
    }
}

/// Drops a `v` before a digit (`v6.2` → `6.2`): vendors write both, and
/// the generic scheme would read the letter as a word.
pub fn clean_version(s: &str) -> &str {
    let s = s.trim();
    match s.strip_prefix(['v', 'V']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => s,
    }
}

/// A version token: letters, digits and `.-_+`, with a digit.
fn version_token(s: &str) -> Option<Version> {
    let s = clean_version(s);
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
        && s.chars().any(|c| c.is_ascii_digit())
        && s.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !ok {
        return None;
    }
    Version::parse(Scheme::Generic, s).ok()
}

/// A series written with `x` wildcards (`14.1.x`, `12.2.x.x`, `2.X`): the
/// half-open interval [prefix, next prefix).
fn wildcard(s: &str) -> Option<(Version, Version)> {
    let s = clean_version(s);
    let mut prefix = s;
    let mut had = false;
    while let Some(p) = prefix
        .strip_suffix(".x")
        .or_else(|| prefix.strip_suffix(".X"))
    {
        prefix = p;
        had = true;
    }
    if !had || prefix.is_empty() {
        return None;
    }
    let (head, last) = match prefix.rsplit_once('.') {
        Some((h, l)) => (Some(h), l),
        None => (None, prefix),
    };
    if last.is_empty() || last.len() > 9 || !last.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let next: u64 = last.parse::<u64>().ok()? + 1;
    let upper = match head {
        Some(h) => format!("{h}.{next}"),
        None => next.to_string(),
    };
    Some((version_token(prefix)?, version_token(&upper)?))
}

fn range(intervals: Vec<Interval>) -> Option<RangeText> {
    VersionRange::from_intervals(Scheme::Generic, intervals)
        .ok()
        .map(RangeText::Range)
}

fn iv(lower: Bound, upper: Bound) -> Interval {
    Interval { lower, upper }
}

/// "3.6 and prior", "prior to 3.2", "2.0 and later".
fn phrase(t: &str) -> Option<RangeText> {
    const BEFORE: [&str; 4] = ["prior to ", "before ", "earlier than ", "older than "];
    const AT_MOST: [&str; 10] = [
        " and prior",
        " and earlier",
        " and below",
        " and lower",
        " and older",
        " or prior",
        " or earlier",
        " or below",
        " or lower",
        " and before",
    ];
    const AT_LEAST: [&str; 6] = [
        " and later",
        " and above",
        " and newer",
        " or later",
        " or higher",
        " and higher",
    ];
    for p in BEFORE {
        if let Some(v) = t.strip_prefix(p) {
            let v = version_token(v)?;
            return range(vec![iv(Bound::Unbounded, Bound::Excluded(v))]);
        }
    }
    for p in AT_MOST {
        if let Some(v) = t.strip_suffix(p) {
            let v = version_token(v)?;
            return range(vec![iv(Bound::Unbounded, Bound::Included(v))]);
        }
    }
    for p in AT_LEAST {
        if let Some(v) = t.strip_suffix(p) {
            let v = version_token(v)?;
            return range(vec![iv(Bound::Included(v), Bound::Unbounded)]);
        }
    }
    None
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One `<op> version` item, or a bare version / `x` series.
fn item(s: &str) -> Option<(Op, Interval)> {
    let s = s.trim();
    let (op, v) = if let Some(v) = s.strip_prefix("<=") {
        (Op::Le, v)
    } else if let Some(v) = s.strip_prefix(">=") {
        (Op::Ge, v)
    } else if let Some(v) = s.strip_prefix('<') {
        (Op::Lt, v)
    } else if let Some(v) = s.strip_prefix('>') {
        (Op::Gt, v)
    } else if let Some(v) = s.strip_prefix('=') {
        (Op::Eq, v)
    } else {
        (Op::Eq, s)
    };
    let v = v.trim();
    if let Some((lo, hi)) = wildcard(v) {
        // The series [lo, hi) under each comparator.
        let i = match op {
            Op::Eq => iv(Bound::Included(lo), Bound::Excluded(hi)),
            Op::Lt => iv(Bound::Unbounded, Bound::Excluded(lo)),
            Op::Le => iv(Bound::Unbounded, Bound::Excluded(hi)),
            Op::Gt => iv(Bound::Included(hi), Bound::Unbounded),
            Op::Ge => iv(Bound::Included(lo), Bound::Unbounded),
        };
        return Some((op, i));
    }
    let v = version_token(v)?;
    let i = match op {
        Op::Eq => iv(Bound::Included(v.clone()), Bound::Included(v)),
        Op::Lt => iv(Bound::Unbounded, Bound::Excluded(v)),
        Op::Le => iv(Bound::Unbounded, Bound::Included(v)),
        Op::Gt => iv(Bound::Excluded(v), Bound::Unbounded),
        Op::Ge => iv(Bound::Included(v), Bound::Unbounded),
    };
    Some((op, i))
}

/// `|`-separated items: one item; a lower and an upper bound (an
/// interval, as in `>= 1.0.0 | <= 1.3.1`); or a list of versions and
/// series (a union). Other combinations are not guessed at.
fn comparators(t: &str) -> Option<RangeText> {
    let items: Vec<(Op, Interval)> = t.split('|').map(item).collect::<Option<_>>()?;
    match items.as_slice() {
        [] => None,
        [(_, one)] => range(vec![one.clone()]),
        [(a, x), (b, y)]
            if matches!(a, Op::Gt | Op::Ge) && matches!(b, Op::Lt | Op::Le)
                || matches!(b, Op::Gt | Op::Ge) && matches!(a, Op::Lt | Op::Le) =>
        {
            let (lo, hi) = if matches!(a, Op::Gt | Op::Ge) {
                (x, y)
            } else {
                (y, x)
            };
            range(vec![iv(lo.lower.clone(), hi.upper.clone())])
        }
        all if all.iter().all(|(op, _)| *op == Op::Eq) => {
            range(all.iter().map(|(_, i)| i.clone()).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
