//! Errors reading a rule file: each names the rule, the key and the value.

/// A rule file that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// The text is not TOML.
    #[error("rule file is not valid TOML: {message}")]
    Toml {
        /// The parser's message (line and column included).
        message: String,
    },
    /// A top-level key other than `rule`.
    #[error("unknown top-level key `{key}` (only `[[rule]]` tables are allowed)")]
    UnknownTopLevelKey {
        /// The key.
        key: String,
    },
    /// `rule` is not an array of tables, or an entry is not a table.
    #[error("`rule` entry #{index} is not a table")]
    NotATable {
        /// Position of the entry (0-based).
        index: usize,
    },
    /// A rule without an `id`, or with an empty one.
    #[error("rule #{index} has no `id`")]
    MissingId {
        /// Position of the rule (0-based).
        index: usize,
    },
    /// Two rules with the same id in one file.
    #[error("rule `{rule}`: duplicate id")]
    DuplicateId {
        /// The id.
        rule: String,
    },
    /// A required key is absent.
    #[error("rule `{rule}`: missing `{key}`")]
    MissingKey {
        /// The rule id.
        rule: String,
        /// The key.
        key: &'static str,
    },
    /// A key the format does not know (a typo or an unsupported field).
    #[error("rule `{rule}`: unknown key `{key}`")]
    UnknownKey {
        /// The rule id.
        rule: String,
        /// The key, dotted (`when.dhcp_vendor_clas`).
        key: String,
    },
    /// A value of the wrong TOML type.
    #[error("rule `{rule}`: `{key}` = {value}: expected {expected}")]
    WrongType {
        /// The rule id.
        rule: String,
        /// The key.
        key: String,
        /// The value as TOML.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A regular expression that does not compile (or is too large).
    #[error("rule `{rule}`: `{key}` = {value:?}: bad regex: {message}")]
    BadRegex {
        /// The rule id.
        rule: String,
        /// The key.
        key: String,
        /// The pattern.
        value: String,
        /// Why it does not compile.
        message: String,
    },
    /// A confidence outside 0–100.
    #[error("rule `{rule}`: `confidence` = {value}: must be 0-100")]
    ConfidenceOutOfRange {
        /// The rule id.
        rule: String,
        /// The value.
        value: i64,
    },
    /// Any other value the format does not accept.
    #[error("rule `{rule}`: `{key}` = {value:?}: {reason}")]
    InvalidValue {
        /// The rule id.
        rule: String,
        /// The key.
        key: String,
        /// The value.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}
