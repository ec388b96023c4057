//! Errors of version parsing and range construction.

use crate::scheme::Scheme;

/// A version string that its scheme cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// The string is not a version of `scheme`.
    #[error("{value:?} is not a {scheme} version: {reason}")]
    Invalid {
        /// The scheme it was read with.
        scheme: Scheme,
        /// The offending string.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A scheme name nobody knows.
    #[error("unknown versioning scheme {name:?}")]
    UnknownScheme {
        /// The name as given.
        name: String,
    },
}

/// A version range that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// A version inside the range is invalid.
    #[error(transparent)]
    Version(#[from] VersionError),
    /// Versions of two schemes were mixed in one range.
    #[error("a {expected} range cannot hold the {found} version {value:?}")]
    SchemeMismatch {
        /// The range's scheme.
        expected: Scheme,
        /// The version's scheme.
        found: Scheme,
        /// The version.
        value: String,
    },
    /// A `vers` string breaks the syntax or validation rules of the spec.
    #[error("invalid vers {input:?}: {reason}")]
    Vers {
        /// The `vers` string.
        input: String,
        /// Which rule it breaks (the spec's section "Parsing and validating").
        reason: &'static str,
    },
    /// A range form of a vulnerability source makes no sense.
    #[error("invalid {source_format} range: {reason}")]
    Source {
        /// `osv`, `cve5` or `nvd`.
        source_format: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
}
