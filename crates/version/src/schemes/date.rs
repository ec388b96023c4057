//! Dates and date-times as versions (ISO 8601 calendar dates: `2024-03-01`,
//! `20240301`, `2024-03-01T12:00:00Z`), ordered chronologically.
//!
//! Time-zone offsets are ignored: dates used as versions are release days,
//! where an offset never changes the order in practice.

use super::num::{Num, split_digits};

/// A parsed date: year, month, day, then any time fields, trailing zeros
/// dropped so `2024-03-01` equals `2024-03-01T00:00:00`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(Vec<Num>);

/// Parses a date; returns a reason when it is not one.
pub fn parse(s: &str) -> Result<Key, &'static str> {
    let s = s.trim();
    let (first, mut rest) = split_digits(s);
    let mut parts: Vec<Num> = Vec::new();
    if first.len() == 8 {
        // Basic format YYYYMMDD.
        for r in [0..4, 4..6, 6..8] {
            parts.push(Num::from_digits(&first[r]).ok_or("bad date")?);
        }
    } else if first.len() == 4 {
        parts.push(Num::from_digits(first).ok_or("bad year")?);
    } else {
        return Err("a date starts with a four-digit year");
    }
    // Time fields in basic format (T120000) are read two digits at a time.
    while let Some(c) = rest.chars().next() {
        if matches!(c, 'Z' | 'z' | '+') || (c == '-' && parts.len() >= 3) {
            break; // time-zone designator
        }
        if !matches!(c, '-' | ':' | 'T' | 't' | ' ' | '.' | '/') {
            return Err("unexpected character in date");
        }
        let (d, r) = split_digits(&rest[1..]);
        if d.is_empty() {
            return Err("missing date field");
        }
        if parts.len() >= 3 && c != '.' && d.len() > 2 && d.len() % 2 == 0 {
            for i in (0..d.len()).step_by(2) {
                parts.push(Num::from_digits(&d[i..i + 2]).ok_or("bad time")?);
            }
        } else {
            parts.push(Num::from_digits(d).ok_or("bad field")?);
        }
        rest = r;
    }
    let month = parts.get(1).cloned().unwrap_or_default();
    let day = parts.get(2).cloned().unwrap_or_default();
    let in_range = |n: &Num, hi: &str| n <= &Num::from_digits(hi).unwrap_or_default();
    if !in_range(&month, "12") || !in_range(&day, "31") {
        return Err("month or day out of range");
    }
    while parts.last().is_some_and(Num::is_zero) {
        parts.pop();
    }
    Ok(Key(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chronological() {
        let chain = [
            "2023-12-31",
            "2024-01-01",
            "20240102",
            "2024-01-02T08:00:00Z",
            "2024-02",
        ];
        for w in chain.windows(2) {
            assert!(parse(w[0]) < parse(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("2024-03-01"), parse("20240301"));
        assert_eq!(parse("2024-03-01"), parse("2024-03-01T00:00:00Z"));
        assert!(parse("2024-13-01").is_err());
        assert!(parse("v1").is_err());
    }
}
