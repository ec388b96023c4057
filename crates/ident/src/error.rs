//! Errors of identifier parsing.

/// A CPE name or attribute value that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CpeError {
    /// An attribute value breaks the WFN rules (NISTIR 7695 §5.3.2).
    #[error("invalid CPE attribute value {value:?}: {reason}")]
    BadValue {
        /// The value as found.
        value: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A bound name breaks the binding's syntax (NISTIR 7695 §6.1, §6.2).
    #[error("invalid CPE name {input:?}: {reason}")]
    BadName {
        /// The name as found.
        input: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// The `part` attribute is not `a`, `o`, `h` or ANY.
    #[error("invalid CPE part {value:?}")]
    BadPart {
        /// The value as found.
        value: String,
    },
}

/// A package URL that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PurlError {
    /// The string is not a valid purl (purl-spec, "Rules for each purl component").
    #[error("invalid purl {input:?}: {reason}")]
    Invalid {
        /// The string as found.
        input: String,
        /// The parser's explanation.
        reason: String,
    },
}

/// The vendor alias table cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AliasError {
    /// The TOML does not have the expected shape.
    #[error("invalid alias table: {reason}")]
    Invalid {
        /// The TOML parser's explanation.
        reason: String,
    },
}
