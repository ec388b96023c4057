//! The state file of a feed's mirror (`state.json`): what was fetched,
//! when, with which digests, validators and signature status. Written
//! after every document, atomically, so that an interrupted sync resumes.

use crate::error::FeedError;
use crate::formats::{HashAlgorithm, Timestamp};
use crate::http::Validators;
use crate::report::SignatureStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The version this crate writes and reads.
const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    pub version: u32,
    /// Metadata files and indexes by URL.
    #[serde(default)]
    pub indexes: BTreeMap<String, IndexState>,
    /// Documents by URL (or source path for local feeds).
    #[serde(default)]
    pub documents: BTreeMap<String, DocState>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct IndexState {
    #[serde(flatten)]
    pub validators: Validators,
    /// The last body, relative to the feed folder.
    pub cache: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocState {
    /// The mirrored copy, relative to the feed folder (`None`: skipped by TLP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default)]
    pub tracking_id: String,
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha512: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash_checked: Option<HashAlgorithm>,
    /// The listing's time of the copy (ROLIE `updated`, `changes.csv`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
    #[serde(flatten)]
    pub validators: Validators,
    pub signature: SignatureStatus,
    pub fetched: Timestamp,
}

impl State {
    /// Reads the state file, or an empty state when there is none.
    pub(crate) fn load(path: &Path) -> Result<Self, FeedError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self {
                    version: VERSION,
                    ..Self::default()
                });
            }
            Err(e) => return Err(FeedError::io("read", path)(e)),
        };
        let state: Self = serde_json::from_slice(&bytes).map_err(|e| FeedError::State {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        if state.version != VERSION {
            return Err(FeedError::State {
                path: path.to_owned(),
                reason: format!("version {} (this build reads {VERSION})", state.version),
            });
        }
        Ok(state)
    }

    /// Writes the state file atomically.
    pub(crate) fn save(&self, path: &Path) -> Result<(), FeedError> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| FeedError::State {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        write_atomic(path, &json, true).map_err(FeedError::io("write", path))
    }
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk
/// when `durable` and renames it over `path`: readers see the old or the
/// new file, never a partial one.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp: PathBuf = dir.join(tmp_name);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
