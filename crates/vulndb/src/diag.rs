//! Diagnostics: what a lenient reader noticed but did not fail on.

use medvigil_ident::{CpeError, PurlError};
use medvigil_version::RangeError;
use medvigil_version::sources::cve5::Cve5Note;

/// A problem in one place of one record; the rest of the record was read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{record}: {path}: {kind}")]
pub struct Diagnostic {
    /// The record id, or the position of the record in the file.
    pub record: String,
    /// Where in the record, as a JSON pointer (`/affected/0/ranges/1`) or a
    /// CSV line (`line 12`).
    pub path: String,
    /// What was found.
    pub kind: DiagnosticKind,
}

/// What a diagnostic is about.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The record does not have the format's shape and was skipped.
    #[error("record skipped: {error}")]
    BadRecord {
        /// The deserialiser's explanation.
        error: String,
    },
    /// A field the format requires is missing.
    #[error("missing {field}")]
    MissingField {
        /// The field name.
        field: &'static str,
    },
    /// A range could not be converted; it was left out.
    #[error("range left out: {error}")]
    BadRange {
        /// Why.
        error: RangeError,
    },
    /// A range's versions did not fit the ecosystem's scheme and were read
    /// with the generic scheme.
    #[error("{value:?} does not fit the ecosystem's version scheme; read as generic")]
    GenericFallback {
        /// The first version that did not fit.
        value: String,
    },
    /// A range type nobody knows.
    #[error("unknown range type {value:?}")]
    UnknownRangeType {
        /// The type as written.
        value: String,
    },
    /// An event that is not `introduced`, `fixed`, `last_affected` or `limit`.
    #[error("unknown range event {value:?}")]
    UnknownEvent {
        /// The event key.
        value: String,
    },
    /// A CPE name that does not parse; it was left out.
    #[error("CPE left out: {error}")]
    BadCpe {
        /// Why.
        error: CpeError,
    },
    /// A purl that does not parse; it was left out.
    #[error("purl left out: {error}")]
    BadPurl {
        /// Why.
        error: PurlError,
    },
    /// A CVE 5 version entry was read by guess or skipped.
    #[error("version entry: {note:?}")]
    VersionNote {
        /// What was done.
        note: Cve5Note,
    },
    /// A field value that makes no sense (a non-numeric score…).
    #[error("invalid {field}: {value:?}")]
    BadValue {
        /// The field name.
        field: &'static str,
        /// The value as found.
        value: String,
    },
}

/// A file that could not be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Not JSON, or not the format's top-level shape.
    #[error("{format}: not readable at line {line}, column {column}: {message}")]
    Json {
        /// The format expected.
        format: &'static str,
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
        /// The parser's explanation.
        message: String,
    },
    /// A CSV file without the expected header.
    #[error("{format}: expected header {expected:?}, found {found:?}")]
    Header {
        /// The format expected.
        format: &'static str,
        /// The header row required.
        expected: &'static str,
        /// What the file has.
        found: String,
    },
    /// A CSV file that could not be split into rows.
    #[error("{format}: {message}")]
    Csv {
        /// The format expected.
        format: &'static str,
        /// The CSV parser's explanation.
        message: String,
    },
}

impl ReadError {
    pub(crate) fn json(format: &'static str, e: &serde_json::Error) -> ReadError {
        ReadError::Json {
            format,
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}

/// A value and what was noticed while reading it.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<T> {
    /// The value.
    pub value: T,
    /// Problems noticed; empty for a clean input.
    pub diagnostics: Vec<Diagnostic>,
}
