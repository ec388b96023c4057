//! CSAF 2.0 (OASIS Common Security Advisory Framework v2.0) for medvigil:
//! the document model ([`model`], spec section 3), product tree flattening
//! with product status, remediations and scores per product ([`flatten`]),
//! and the validator implementing the tests of spec section 6 ([`validate`]).
//!
//! Pure: no I/O. Callers hand over bytes and a name to show in errors.
//!
//! ```
//! let json = br#"{"document": {"category": "csaf_base", "csaf_version": "2.0"}}"#;
//! let parsed = medvigil_csaf::parse("inline.json", json).unwrap();
//! assert_eq!(parsed.document.document.category, "csaf_base");
//! let report = medvigil_csaf::validate::validate(&parsed);
//! assert!(!report.is_valid()); // publisher, title, tracking … are missing
//! ```

#![warn(missing_docs)]

pub mod data;
pub mod flatten;
pub mod model;
pub mod validate;
pub mod version;

mod datetime;
mod error;
mod pointer;

pub use error::ParseError;
pub use model::CsafDocument;
pub use validate::file_name_for_tracking_id;

/// A parsed document with the findings that only the bytes as written can
/// show (schema constraints, 6.2.13 key order, 6.2.20 additional
/// properties): [`validate::validate`] adds them to its report.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Parsed {
    /// The typed document.
    pub document: CsafDocument,
    raw_findings: Vec<validate::Finding>,
}

/// Parses a CSAF 2.0 document leniently (spec section 3): any JSON object
/// whose present properties have the types of the schema is accepted;
/// missing properties and unknown values are left to the validator.
///
/// # Errors
/// [`ParseError::Json`] when `bytes` is not JSON, [`ParseError::Shape`] when a
/// property has the wrong JSON type (naming its JSON pointer).
pub fn parse(source: &str, bytes: &[u8]) -> Result<Parsed, ParseError> {
    // JSON is UTF-8 (RFC 8259 section 8.1); checking it once up front lets
    // both passes below slice strings without re-checking each of them.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(parse_document(source, bytes)
            .err()
            .unwrap_or_else(|| ParseError::not_utf8(source)));
    };
    let document = parse_text(source, text)?;
    let raw_findings = validate::scan(text);
    Ok(Parsed {
        document,
        raw_findings,
    })
}

/// Parses only the typed model (no JSON kept), for callers that do not run
/// the schema-level tests.
///
/// # Errors
/// As [`parse`].
pub fn parse_document(source: &str, bytes: &[u8]) -> Result<CsafDocument, ParseError> {
    // Fast path without path tracking; only a failure pays for a second,
    // path-tracking pass that names where it went wrong.
    if let Ok(doc) = serde_json::from_slice(bytes) {
        return Ok(doc);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let doc: CsafDocument = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if e.inner().is_syntax() || e.inner().is_eof() {
            ParseError::json(source, e.inner())
        } else {
            ParseError::shape(source, e.path(), e.inner())
        }
    })?;
    de.end().map_err(|e| ParseError::json(source, &e))?;
    Ok(doc)
}

fn parse_text(source: &str, text: &str) -> Result<CsafDocument, ParseError> {
    match serde_json::from_str(text) {
        Ok(doc) => Ok(doc),
        Err(_) => parse_document(source, text.as_bytes()),
    }
}

/// Converts already-parsed JSON into the typed model.
///
/// # Errors
/// [`ParseError::Shape`] when a property has the wrong JSON type.
pub fn from_json(source: &str, json: &serde_json::Value) -> Result<CsafDocument, ParseError> {
    serde_path_to_error::deserialize(json)
        .map_err(|e| ParseError::shape(source, e.path(), e.inner()))
}
