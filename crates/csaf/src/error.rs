//! Parse errors, naming the source and the place in it.

use crate::pointer;

/// Why a document could not be read at all (spec section 3: not a CSAF
/// document shape). Documents that are merely invalid parse fine and get
/// validator findings instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The bytes are not JSON (RFC 8259).
    #[error("{source_name}: not JSON (line {line}, column {column}): {reason}")]
    Json {
        /// The file or URL the bytes came from.
        source_name: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the JSON parser expected.
        reason: String,
    },
    /// A property has a JSON type the schema does not allow there.
    #[error("{source_name}: at {pointer}: {reason}")]
    Shape {
        /// The file or URL the bytes came from.
        source_name: String,
        /// JSON pointer (RFC 6901) of the offending value.
        pointer: String,
        /// What was expected there.
        reason: String,
    },
}

impl ParseError {
    pub(crate) fn json(source: &str, e: &serde_json::Error) -> Self {
        Self::Json {
            source_name: source.to_owned(),
            line: e.line(),
            column: e.column(),
            reason: strip_position(e),
        }
    }

    /// Bytes that serde_json somehow accepted although they are not UTF-8
    /// (cannot happen for JSON text; kept so that no path panics).
    pub(crate) fn not_utf8(source: &str) -> Self {
        Self::Json {
            source_name: source.to_owned(),
            line: 0,
            column: 0,
            reason: "not UTF-8".to_owned(),
        }
    }

    pub(crate) fn shape(
        source: &str,
        path: &serde_path_to_error::Path,
        e: &serde_json::Error,
    ) -> Self {
        Self::Shape {
            source_name: source.to_owned(),
            pointer: pointer::from_serde_path(path),
            reason: strip_position(e),
        }
    }
}

/// serde_json appends " at line L column C" to its messages; we carry the
/// position in fields instead.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}
