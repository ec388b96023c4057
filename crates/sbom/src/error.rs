//! Errors and diagnostics of the readers: every one names the source (the
//! file name the caller passed), where in it (JSON path, XML line/column or
//! tag-value line) and the offending value.

use std::fmt;

/// Where in a document a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A JSON Pointer (RFC 6901) into a JSON document.
    JsonPath(String),
    /// A position in an XML document, with the element path.
    Xml {
        /// 1-based line.
        line: usize,
        /// 1-based column (bytes).
        column: usize,
        /// The element path (JSON-Pointer shaped, of the converted tree).
        path: String,
    },
    /// A 1-based line of a line-oriented format (SPDX tag-value).
    Line(usize),
    /// The whole document.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::JsonPath(p) if p.is_empty() => f.write_str("/"),
            Self::JsonPath(p) => f.write_str(p),
            Self::Xml { line, column, path } => write!(f, "line {line}, column {column} ({path})"),
            Self::Line(l) => write!(f, "line {l}"),
            Self::Document => f.write_str("document"),
        }
    }
}

/// What rule a value breaks (CycloneDX schema rules implemented in Rust,
/// SPDX and VEX field rules).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// A required field is absent.
    #[error("missing required field `{field}`")]
    MissingField {
        /// The field name.
        field: &'static str,
    },
    /// A value is not one of the spec's vocabulary.
    #[error("`{field}` is not one of {allowed:?}")]
    UnknownValue {
        /// The field name.
        field: &'static str,
        /// What the spec allows.
        allowed: &'static [&'static str],
    },
    /// A value does not have the format the spec requires.
    #[error("`{field}` is not a valid {expected}")]
    BadFormat {
        /// The field name.
        field: &'static str,
        /// The expected format.
        expected: &'static str,
    },
    /// A value has the wrong JSON type (or an XML element is repeated
    /// where one is allowed).
    #[error("`{field}` must be {expected}")]
    WrongType {
        /// The field name.
        field: &'static str,
        /// The expected type.
        expected: &'static str,
    },
    /// A property the spec does not allow at this place.
    #[error("property `{name}` is not allowed here")]
    UnknownProperty {
        /// The property name.
        name: String,
    },
    /// A `bom-ref` used twice.
    #[error("duplicate bom-ref")]
    DuplicateRef,
    /// A reference to a `bom-ref` that the document does not define.
    #[error("reference to an undefined bom-ref")]
    DanglingRef,
    /// A license choice that mixes or lacks `license` and `expression`.
    #[error("invalid license choice: {reason}")]
    LicenseChoice {
        /// Why.
        reason: &'static str,
    },
    /// An SPDX license id that the SPDX license list does not know.
    #[error("unknown SPDX license id")]
    UnknownLicenseId,
    /// The XML namespace is not a CycloneDX one.
    #[error("not a CycloneDX XML namespace")]
    Namespace,
    /// `bomFormat` is not `CycloneDX`.
    #[error("`bomFormat` must be \"CycloneDX\"")]
    BomFormat,
    /// A spec version the reader does not implement.
    #[error("unsupported spec version")]
    UnsupportedVersion,
    /// A package URL the `packageurl` parser rejects.
    #[error("invalid package URL")]
    BadPurl,
    /// A CPE name that is neither a CPE 2.3 formatted string nor a 2.2 URI.
    #[error("invalid CPE name")]
    BadCpe,
    /// Anything else, with a fixed description.
    #[error("{0}")]
    Other(&'static str),
}

/// One problem found in a document: the rule, where, and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// Where.
    pub location: Location,
    /// Which rule.
    pub violation: Violation,
    /// The offending value, shortened to 120 characters (empty when absent).
    pub value: String,
}

impl Diagnostic {
    /// A diagnostic; `value` is shortened for display.
    pub fn new(location: Location, violation: Violation, value: &str) -> Self {
        let value = if value.chars().count() > 120 {
            let mut s: String = value.chars().take(117).collect();
            s.push_str("...");
            s
        } else {
            value.to_owned()
        };
        Diagnostic {
            location,
            violation,
            value,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.violation)?;
        if !self.value.is_empty() {
            write!(f, " (value {:?})", self.value)?;
        }
        Ok(())
    }
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The bytes are not UTF-8.
    #[error("{file}: not UTF-8 (byte {offset})")]
    NotUtf8 {
        /// Source name.
        file: String,
        /// Offset of the first bad byte.
        offset: usize,
    },
    /// No reader recognises the content.
    #[error("{file}: not a CycloneDX, SPDX 2.x, OpenVEX or CSAF VEX document ({reason})")]
    UnknownFormat {
        /// Source name.
        file: String,
        /// What was seen.
        reason: &'static str,
    },
    /// JSON syntax error.
    #[error("{file}: JSON syntax error at line {line}, column {column}: {message}")]
    Json {
        /// Source name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// XML syntax error.
    #[error("{file}: XML error at line {line}, column {column}: {message}")]
    Xml {
        /// Source name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The document breaks a rule of its spec (strict mode, or a rule
    /// without which nothing can be read).
    #[error("{file}: {diagnostic}")]
    Invalid {
        /// Source name.
        file: String,
        /// What is wrong, where, with the value.
        diagnostic: Box<Diagnostic>,
    },
    /// The CSAF reader rejected the document.
    #[error("{file}: CSAF: {message}")]
    Csaf {
        /// Source name.
        file: String,
        /// The CSAF parser's message (it names the JSON path).
        message: String,
    },
}

impl ReadError {
    pub(crate) fn invalid(file: &str, d: Diagnostic) -> Self {
        ReadError::Invalid {
            file: file.to_owned(),
            diagnostic: Box::new(d),
        }
    }

    pub(crate) fn json(file: &str, e: &serde_json::Error) -> Self {
        ReadError::Json {
            file: file.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }

    /// The diagnostic of an [`ReadError::Invalid`].
    pub fn diagnostic(&self) -> Option<&Diagnostic> {
        match self {
            ReadError::Invalid { diagnostic, .. } => Some(diagnostic),
            _ => None,
        }
    }
}

/// A value read plus the problems found on the way (lenient mode).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Parsed<T> {
    /// What was read.
    pub value: T,
    /// Problems that did not stop the reader.
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    /// A value with its diagnostics.
    pub fn new(value: T, diagnostics: Vec<Diagnostic>) -> Self {
        Parsed { value, diagnostics }
    }
}
