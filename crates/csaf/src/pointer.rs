//! JSON pointers (RFC 6901) for findings and errors.

use std::fmt::Write;

/// Appends one reference token, escaped per RFC 6901 section 3.
pub(crate) fn push_token(buf: &mut String, token: &str) {
    buf.push('/');
    if !token.contains(['~', '/']) {
        buf.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => buf.push_str("~0"),
            '/' => buf.push_str("~1"),
            c => buf.push(c),
        }
    }
}

/// The pointer of a serde path (`vulnerabilities[0].cwe` → `/vulnerabilities/0/cwe`).
pub(crate) fn from_serde_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => {
                let _ = write!(out, "/{index}");
            }
            Segment::Map { key } | Segment::Enum { variant: key } => push_token(&mut out, key),
            Segment::Unknown => out.push_str("/?"),
        }
    }
    out
}
