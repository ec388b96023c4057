//! The JSON schema of CSAF 2.0 (`csaf_json_schema.json`, errata 01) as a
//! table walked over the JSON as written: required properties, types,
//! enums, string formats and patterns, `minItems`, `uniqueItems`,
//! `minProperties`. Violations are [`super::SCHEMA`] errors (conformance
//! clause 9.1.1 requires schema validity); properties the schema does not
//! define are 6.2.20 warnings (the 2.0 schema itself allows them).
//!
//! Why by hand and not a JSON-schema crate: the schema is fixed, small and
//! uses a handful of keywords; a general validator (e.g. `jsonschema`) pulls
//! in a regex engine, a URI parser and a network-capable `$ref` resolver,
//! and has to be given the FIRST CVSS schemas besides. The table below
//! costs one walk over the bytes (less than the typed parse) and no
//! dependency. CVSS objects are checked by `cvss.rs` (test 6.1.8).
//!
//! The walk runs over the bytes, not a `serde_json::Value`: a `Value` keeps
//! no key order (6.2.13 needs it) and building one costs more than the
//! typed parse itself.

use super::Finding;
use crate::datetime;
use crate::version::DocVersion;

mod scan;
mod table;

/// String constraints of the schema.
#[derive(Debug, Clone, Copy)]
pub(super) enum Str {
    /// `minLength: 1`.
    Text,
    /// One of these values.
    Enum(&'static [&'static str]),
    /// `format: date-time`.
    DateTime,
    /// `format: uri`.
    Uri,
    /// `version_t` pattern.
    Version,
    /// `lang_t`; its validity is test 6.1.12, the schema only wants text.
    Lang,
    /// `^CVE-[0-9]{4}-[0-9]{4,}$`.
    Cve,
    /// `^CWE-[1-9]\d{0,5}$`.
    CweId,
    /// `/document/category`: `^[^\s\-_\.](.*[^\s\-_\.])?$`.
    Category,
    /// `/document/tracking/id`: `^[\S](.*[\S])?$`.
    TrackingId,
    /// `^pkg:[A-Za-z\.\-\+][A-Za-z0-9\.\-\+]*/.+`.
    Purl,
    /// CPE 2.3 formatted string or CPE 2.2 URI.
    Cpe,
    /// `^[0-9a-fA-F]{32,}$`.
    HashValue,
}

/// A schema node.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ty {
    Str(Str),
    Obj(&'static Obj),
    Arr(&'static Ty, usize, bool),
    /// A CVSS object: checked by test 6.1.8, here only its type.
    Cvss,
    /// Anything (a property the schema does not define).
    Any,
}

/// An object schema.
#[derive(Debug)]
pub(super) struct Obj {
    pub fields: &'static [(&'static str, Ty)],
    pub required: &'static [&'static str],
    pub min_properties: usize,
}

/// Schema findings, 6.2.13 (sorting) and 6.2.20 (additional properties)
/// for a document that already parsed as JSON, in one pass over its bytes.
pub(crate) fn scan(text: &str) -> Vec<Finding> {
    let mut scanner = scan::Scanner::new(text);
    scanner.document(&Ty::Obj(&table::ROOT));
    scanner.into_findings()
}

/// Checks a string against its constraint; the complaint when it fails.
pub(super) fn check_str(s: Str, text: &str) -> Option<String> {
    let ok = match s {
        Str::Text | Str::Lang => !text.is_empty(),
        Str::Enum(values) => values.contains(&text),
        Str::DateTime => datetime::parse(text).is_some(),
        Str::Uri => is_uri(text),
        Str::Version => DocVersion::parse(text).is_some(),
        Str::Cve => is_cve(text),
        Str::CweId => text.strip_prefix("CWE-").is_some_and(|n| {
            (1..=6).contains(&n.len())
                && !n.starts_with('0')
                && n.bytes().all(|b| b.is_ascii_digit())
        }),
        Str::Category => {
            let bad = |c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.');
            !text.is_empty() && !text.starts_with(bad) && !text.ends_with(bad)
        }
        Str::TrackingId => {
            !text.is_empty()
                && !text.starts_with(char::is_whitespace)
                && !text.ends_with(char::is_whitespace)
        }
        Str::Purl => is_purl_shape(text),
        Str::Cpe => is_cpe_shape(text),
        Str::HashValue => text.len() >= 32 && text.bytes().all(|b| b.is_ascii_hexdigit()),
    };
    if ok {
        return None;
    }
    let what = match s {
        Str::Text | Str::Lang => "must not be empty".to_owned(),
        Str::Enum(values) => format!("must be one of {}", values.join(", ")),
        other => format!("does not match the schema's {other:?} format"),
    };
    Some(format!("{text:?} {what}"))
}

fn is_cve(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let Some((y, n)) = rest.split_once('-') else {
        return false;
    };
    y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && n.len() >= 4
        && n.bytes().all(|b| b.is_ascii_digit())
}

/// RFC 3986 absolute URI, checked for scheme and characters (not the full grammar).
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    scheme_ok
        && !rest.is_empty()
        && rest.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

fn is_purl_shape(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("pkg:") else {
        return false;
    };
    let Some((ty, tail)) = rest.split_once('/') else {
        return false;
    };
    s.len() >= 7
        && ty
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'.' | b'-' | b'+'))
        && ty
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        && !tail.is_empty()
}

/// CPE 2.3 formatted string (13 unescaped `:`-separated parts) or a CPE 2.2 URI.
fn is_cpe_shape(s: &str) -> bool {
    if s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("cpe:/")) {
        return s.split(':').count() <= 8;
    }
    let Some(rest) = s.strip_prefix("cpe:2.3:") else {
        return false;
    };
    if !rest.starts_with(['a', 'h', 'o', '*', '-']) {
        return false;
    }
    let mut parts = 3; // "cpe", "2.3" and the first part of `rest`
    let mut escaped = false;
    for c in rest.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' => parts += 1,
            c if c.is_whitespace() => return false,
            _ => {}
        }
    }
    parts == 13
}
