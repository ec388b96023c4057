//! What a sync did: [`SyncReport`], and the [`Progress`] events it sends
//! while it runs.

use crate::error::DocFailure;
use crate::formats::HashAlgorithm;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// The outcome of one [`sync`](crate::sync) of one feed.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct SyncReport {
    /// Documents mirrored for the first time.
    pub new: Vec<SyncedDocument>,
    /// Documents whose content changed since the last sync.
    pub changed: Vec<SyncedDocument>,
    /// Documents already mirrored and unchanged (not downloaded, or
    /// downloaded and found byte-identical).
    pub unchanged: usize,
    /// Documents left out because of their TLP label.
    pub skipped: usize,
    /// Documents (or providers of an aggregator) that failed, with why.
    /// Their previous copies, if any, are kept.
    pub failed: Vec<(String, DocFailure)>,
    /// Fingerprints of the keys the providers list in their metadata
    /// (`public_openpgp_keys`, spec 7.1.7), for information only: only the
    /// configured keys are trusted.
    pub provider_keys: Vec<String>,
    /// Body bytes received over HTTP (or read from local sources).
    pub bytes: u64,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Wall-clock time of the sync.
    pub duration: Duration,
}

/// A document that the sync wrote to the mirror, for the caller to import.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncedDocument {
    /// The mirrored copy.
    pub path: PathBuf,
    /// Where it came from: its URL, or its path for local sources.
    pub url: String,
    /// `/document/tracking/id`.
    pub tracking_id: String,
    /// SHA-256 of the bytes (lower-case hex).
    pub sha256: String,
    /// The provider's hash file that was checked, if there was one.
    pub hash_checked: Option<HashAlgorithm>,
    /// What the signature check found.
    pub signature: SignatureStatus,
}

/// The result of the OpenPGP check of one document (spec 7.1.19).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignatureStatus {
    /// Verified with this configured key (primary fingerprint, hex).
    Verified {
        /// Fingerprint of the configured key.
        fingerprint: String,
    },
    /// There is no `.asc`.
    Unsigned,
    /// There is a signature but no key is configured to check it.
    NoKeyConfigured,
    /// Signed by a key that is not configured (accepted only when
    /// signatures are not required).
    UnknownKey {
        /// Issuer fingerprint or key id from the signature.
        issuer: Option<String>,
    },
}

/// What the sync is doing, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// Reading a metadata file or feed index.
    Listing {
        /// Its URL or path.
        url: String,
    },
    /// The listing is read.
    Planned {
        /// Documents listed.
        listed: usize,
        /// Of those, to be fetched (new or newer than the mirror).
        to_fetch: usize,
    },
    /// One document is done.
    Document {
        /// Documents done so far, this one included.
        done: usize,
        /// Documents to fetch.
        total: usize,
        /// Its URL or path.
        url: String,
        /// Whether it was mirrored.
        ok: bool,
    },
}
