//! Pure parsers for the files of CSAF 2.0 distribution (spec section 7):
//! `provider-metadata.json` (7.1.7), `aggregator.json` (7.2.1), ROLIE feeds
//! (7.1.16–7.1.17), `changes.csv` (7.1.14), `index.txt` (7.1.13), hash files
//! (7.1.18) and the file-name rule (5.1). No I/O; none of them panics on any
//! input (see the `parse_feed` fuzz target).

mod aggregator;
mod changes;
mod filename;
mod hashfile;
mod provider;
mod rolie;
mod timestamp;
pub mod url;

pub use aggregator::{Aggregator, AggregatorProvider};
pub use changes::{ChangeEntry, parse_changes_csv, parse_index_txt};
pub use filename::file_name_for_tracking_id;
pub(crate) use hashfile::encode_hex as hashfile_hex;
pub use hashfile::{HashAlgorithm, HashFile, parse_hash_file};
pub use provider::{Distribution, ProviderMetadata, PublicKeyRef, RolieFeedRef};
pub use rolie::{RolieEntry, RolieFeed};
pub use timestamp::Timestamp;

/// Why a distribution file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// Not JSON, or JSON of another shape than the spec's.
    #[error(
        "{what}: not valid JSON of the expected shape (line {line}, column {column}): {reason}"
    )]
    Json {
        /// Which kind of file (`provider-metadata.json`, `ROLIE feed` …).
        what: &'static str,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the JSON parser expected.
        reason: String,
    },
    /// A line of a text file does not follow the format.
    #[error("{what}: line {line}: {reason}")]
    Line {
        /// Which kind of file (`changes.csv`, `index.txt`, hash file).
        what: &'static str,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl FormatError {
    fn json(what: &'static str, e: &serde_json::Error) -> Self {
        let s = e.to_string();
        let reason = match s.rfind(" at line ") {
            Some(i) => s[..i].to_owned(),
            None => s,
        };
        Self::Json {
            what,
            line: e.line(),
            column: e.column(),
            reason,
        }
    }
}
