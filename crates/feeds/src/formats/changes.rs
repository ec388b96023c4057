//! `changes.csv` (spec 7.1.14) and `index.txt` (spec 7.1.13) of
//! directory-based distribution.

use super::{FormatError, Timestamp};

/// One line of `changes.csv` or `index.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChangeEntry {
    /// Path of the document relative to the directory URL.
    pub path: String,
    /// When it last changed (`changes.csv` only).
    pub changed: Option<Timestamp>,
}

/// Parses `changes.csv`: `path,date-time` per line, fields optionally in
/// double quotes, newest first (the order is kept as written). Empty lines
/// are skipped.
///
/// # Errors
/// [`FormatError::Line`] on a line without two fields or with a time that
/// is not RFC 3339.
pub fn parse_changes_csv(text: &str) -> Result<Vec<ChangeEntry>, FormatError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let err = |reason| FormatError::Line {
            what: "changes.csv",
            line: i + 1,
            reason,
        };
        let fields = split_csv(line).ok_or(err("unbalanced quotes"))?;
        let [path, time] = fields.as_slice() else {
            return Err(err("expected two fields: path,date-time"));
        };
        if path.trim().is_empty() {
            return Err(err("empty path"));
        }
        let changed = Timestamp::parse(time).ok_or(err("date-time is not RFC 3339"))?;
        out.push(ChangeEntry {
            path: path.trim().to_owned(),
            changed: Some(changed),
        });
    }
    Ok(out)
}

/// Parses `index.txt`: one path per line; empty lines are skipped.
pub fn parse_index_txt(text: &str) -> Vec<ChangeEntry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|path| ChangeEntry {
            path: path.to_owned(),
            changed: None,
        })
        .collect()
}

/// Splits one CSV record (RFC 4180 quoting, `""` inside quotes).
fn split_csv(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if cur.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut cur)),
            (_, c) => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(cur);
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_plain_and_quoted() {
        let t =
            "a/x.json,2025-02-27T07:00:00.000000Z\n\n\"b,c/y.json\",\"2024-01-01T00:00:00Z\"\r\n";
        let e = parse_changes_csv(t).unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].path, "b,c/y.json");
        assert!(e[0].changed > e[1].changed);
    }

    #[test]
    fn changes_errors() {
        for bad in [
            "a.json",
            "a.json,yesterday",
            "\"a.json,2024-01-01T00:00:00Z",
            ",2024-01-01T00:00:00Z",
        ] {
            assert!(parse_changes_csv(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn index() {
        assert_eq!(parse_index_txt("a\n\n b \n").len(), 2);
    }
}
