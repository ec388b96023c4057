//! Store errors.

/// What went wrong in the store. Database driver errors are wrapped, not
/// exposed, so callers do not depend on sqlx.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database URL is not one we support.
    #[error("unsupported database '{0}' (use a file path, sqlite://PATH or postgres://…)")]
    UnsupportedUrl(String),
    /// The database could not be reached or a statement failed.
    #[error("database error: {0}")]
    Database(String),
    /// A migration failed.
    #[error("migration {version} ({name}) failed: {message}")]
    Migration {
        /// Migration number.
        version: i64,
        /// Migration name.
        name: &'static str,
        /// What the database said.
        message: String,
    },
    /// A stored value does not parse: the database was written by something else.
    #[error("stored value in {table}.{column} is invalid: '{value}'")]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Column.
        column: &'static str,
        /// The value.
        value: String,
    },
    /// The remediation workflow refuses the step (nothing was written).
    #[error(transparent)]
    Workflow(#[from] medvigil_model::WorkflowError),
    /// A step refused by the store's rules (nothing was written).
    #[error("{0}")]
    Refused(String),
    /// A key matches more than one record.
    #[error("{what} '{key}' is ambiguous ({count} match)")]
    Ambiguous {
        /// What was looked up.
        what: &'static str,
        /// The key.
        key: String,
        /// How many matched.
        count: usize,
    },
    /// A unique name is taken.
    #[error("{what} '{key}' already exists")]
    Duplicate {
        /// What was created ("user").
        what: &'static str,
        /// The name.
        key: String,
    },
    /// A named thing does not exist.
    #[error("{what} '{key}' not found")]
    NotFound {
        /// What was looked up ("tenant", "device").
        what: &'static str,
        /// The key.
        key: String,
    },
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Database(e.to_string())
    }
}
