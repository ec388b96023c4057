//! One CSAF feed synchronised and its new documents imported, as the CLI
//! and the server do it.

use std::path::PathBuf;

use medvigil_feeds::{FeedConfig, FeedError, Progress, SignatureStatus, SyncReport};
use medvigil_store::{StoredFeed, TenantStore};

use crate::pipeline::{ImportSummary, IntelError, import};

/// What a synchronisation did.
#[derive(Debug)]
pub struct FeedSync {
    /// The mirror's report (documents new, changed, failed; signatures).
    pub report: SyncReport,
    /// What importing the new and changed documents did.
    pub imported: ImportSummary,
    /// Both, as recorded with the feed.
    pub json: serde_json::Value,
}

/// Why a feed could not be synchronised.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedSyncError {
    /// The stored configuration does not read back (a defect or a hand edit).
    #[error("feed '{feed}': stored configuration unreadable: {source}")]
    Config {
        /// The feed.
        feed: String,
        /// Why.
        source: serde_json::Error,
    },
    /// The mirror failed as a whole (documents failing alone are in the report).
    #[error("feed '{feed}': {source}")]
    Feed {
        /// The feed.
        feed: String,
        /// Why.
        source: FeedError,
    },
    /// A mirrored document could not be read back.
    #[error("feed '{feed}': cannot read {path}: {source}")]
    Read {
        /// The feed.
        feed: String,
        /// The document's file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The blocking synchronisation did not finish (the task panicked or was
    /// cancelled).
    #[error("feed '{feed}': synchronisation stopped: {why}")]
    Stopped {
        /// The feed.
        feed: String,
        /// Why.
        why: String,
    },
    /// Storing failed; nothing of the import was written.
    #[error(transparent)]
    Intel(#[from] IntelError),
}

impl From<medvigil_store::StoreError> for FeedSyncError {
    fn from(e: medvigil_store::StoreError) -> Self {
        Self::Intel(e.into())
    }
}

/// Synchronises `feed` (blocking I/O, on a blocking thread), imports its
/// new and changed documents and records the report with the feed.
/// `progress(done, total)` follows the documents fetched; `rejected` hears
/// of each document the import rejects.
///
/// # Errors
/// [`FeedSyncError`].
pub async fn sync_feed(
    store: &TenantStore<'_>,
    feed: &StoredFeed,
    mut progress: Box<dyn FnMut(u64, u64) + Send>,
    rejected: &mut (dyn FnMut(&str) + Send),
) -> Result<FeedSync, FeedSyncError> {
    let name = feed.name.clone();
    let config: FeedConfig =
        serde_json::from_str(&feed.config).map_err(|source| FeedSyncError::Config {
            feed: name.clone(),
            source,
        })?;
    let mirror = PathBuf::from(&feed.mirror);
    let mut total = 0u64;
    let report = tokio::task::spawn_blocking(move || {
        medvigil_feeds::sync(&config, &mirror, &mut |p| match p {
            Progress::Planned { to_fetch, .. } => {
                total = *to_fetch as u64;
                progress(0, total);
            }
            Progress::Document { done, .. } => progress(*done as u64, total),
            _ => {}
        })
    })
    .await
    .map_err(|e| FeedSyncError::Stopped {
        feed: name.clone(),
        why: e.to_string(),
    })?
    .map_err(|source| FeedSyncError::Feed {
        feed: name.clone(),
        source,
    })?;
    let docs = report
        .new
        .iter()
        .chain(&report.changed)
        .map(|d| {
            std::fs::read(&d.path)
                .map(|bytes| (d.url.clone(), bytes))
                .map_err(|source| FeedSyncError::Read {
                    feed: name.clone(),
                    path: d.path.clone(),
                    source,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let imported = import(store, docs, false, &mut |e| rejected(&e.to_string())).await?;
    let json = report_json(&name, &report, &imported);
    store.record_feed_sync(&name, &json.to_string()).await?;
    Ok(FeedSync {
        report,
        imported,
        json,
    })
}

/// Documents by signature status.
pub fn signature_counts(report: &SyncReport) -> serde_json::Value {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for d in report.new.iter().chain(&report.changed) {
        let k = match d.signature {
            SignatureStatus::Verified { .. } => "verified",
            SignatureStatus::Unsigned => "unsigned",
            SignatureStatus::NoKeyConfigured => "no_key_configured",
            _ => "unknown_key",
        };
        *counts.entry(k).or_default() += 1;
    }
    serde_json::json!(counts)
}

fn report_json(name: &str, r: &SyncReport, imported: &ImportSummary) -> serde_json::Value {
    serde_json::json!({
        "feed": name,
        "new": r.new.len(), "changed": r.changed.len(), "unchanged": r.unchanged,
        "skipped": r.skipped,
        "failed": r.failed.iter().map(|(url, why)| serde_json::json!({"url": url, "reason": why.to_string()})).collect::<Vec<_>>(),
        "signatures": signature_counts(r),
        "bytes": r.bytes, "requests": r.requests, "seconds": r.duration.as_secs_f64(),
        "imported": imported,
    })
}
