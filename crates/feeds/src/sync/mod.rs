//! The sync driver: opens the mirror and its state, runs the source's
//! flow, and stores documents that pass the checks.

mod check;
mod local;
mod remote;

use crate::config::{FeedConfig, FeedSource};
use crate::error::{DocFailure, FeedError};
use crate::formats::{HashAlgorithm, Timestamp, file_name_for_tracking_id};
use crate::http::Validators;
use crate::report::{Progress, SyncReport, SyncedDocument};
use crate::signature::Keyring;
use crate::state::{DocState, State, write_atomic};
use check::{Candidate, Checked};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Name of the state file in a feed's folder.
pub const STATE_FILE: &str = "state.json";

/// Brings the mirror of `config` in `mirror_dir` up to date (spec section 7
/// for remote sources): lists the feed, fetches what is new or newer than
/// the mirror, checks each document and stores those that pass. A
/// document's failure is reported, not fatal; a rerun after an interrupted
/// sync fetches only what is still missing.
///
/// The feed's files live in `mirror_dir/<name>/` (the name with the spec 5.1
/// file-name rule applied), with the state in `state.json` there.
///
/// # Errors
/// [`FeedError`] when the configuration is unusable, the mirror cannot be
/// written, or the feed's metadata or index cannot be fetched or read.
pub fn sync(
    config: &FeedConfig,
    mirror_dir: &Path,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SyncReport, FeedError> {
    let started = Instant::now();
    let keys =
        Keyring::from_armored(&config.keys).map_err(|(index, reason)| FeedError::InvalidKey {
            feed: config.name.clone(),
            index,
            reason,
        })?;
    if config.require_signature && keys.is_empty() {
        return Err(FeedError::NoKeys {
            feed: config.name.clone(),
        });
    }
    let feed_dir = mirror_dir.join(feed_dir_name(&config.name));
    std::fs::create_dir_all(&feed_dir).map_err(FeedError::io("create", &feed_dir))?;
    let state_path = feed_dir.join(STATE_FILE);
    let state = State::load(&state_path)?;
    let mut ctx = Ctx {
        config,
        keys,
        feed_dir,
        state_path,
        state,
        report: SyncReport::default(),
        progress,
    };
    match &config.source {
        FeedSource::File(path) => local::sync_file(&mut ctx, path)?,
        FeedSource::Folder(path) => local::sync_folder(&mut ctx, path)?,
        FeedSource::Provider(location) => remote::sync_provider(&mut ctx, location)?,
        FeedSource::Aggregator(location) => remote::sync_aggregator(&mut ctx, location)?,
    }
    ctx.state.save(&ctx.state_path)?;
    let mut report = ctx.report;
    report.duration = started.elapsed();
    Ok(report)
}

/// The folder name of a feed: its name under the spec 5.1 rule, without `.json`.
fn feed_dir_name(name: &str) -> String {
    let f = file_name_for_tracking_id(name);
    match f.trim_end_matches(".json") {
        "" | "_" => "feed".to_owned(),
        n => n.to_owned(),
    }
}

/// Everything one sync works with.
pub(crate) struct Ctx<'a> {
    config: &'a FeedConfig,
    keys: Keyring,
    feed_dir: PathBuf,
    state_path: PathBuf,
    state: State,
    report: SyncReport,
    progress: &'a mut dyn FnMut(&Progress),
}

/// What to store for a document that passed the checks.
pub(crate) struct Accepted<'a> {
    /// State key: URL or source path.
    key: &'a str,
    /// Mirror path relative to the feed folder.
    rel_path: String,
    bytes: &'a [u8],
    hash_file: Option<(HashAlgorithm, &'a [u8])>,
    signature: Option<&'a [u8]>,
    checked: Checked,
    updated: Option<Timestamp>,
    validators: Validators,
}

impl Ctx<'_> {
    fn emit(&mut self, p: &Progress) {
        (self.progress)(p);
    }

    /// Records the outcome of document `done` of `total` (a failure in the
    /// report) and tells the progress callback.
    fn finish_document(
        &mut self,
        done: usize,
        total: usize,
        key: String,
        result: Result<(), DocFailure>,
    ) {
        let ok = result.is_ok();
        if let Err(failure) = result {
            self.report.failed.push((key.clone(), failure));
        }
        self.emit(&Progress::Document {
            done,
            total,
            url: key,
            ok,
        });
    }

    fn check(&self, c: &Candidate<'_>) -> Result<Checked, DocFailure> {
        check::check(c, &self.keys, self.config.require_signature)
    }

    /// Whether the state holds `key` with its mirrored copy present.
    fn have(&self, key: &str) -> Option<&DocState> {
        let doc = self.state.documents.get(key)?;
        match &doc.path {
            Some(p) if self.feed_dir.join(p).is_file() => Some(doc),
            Some(_) => None,
            // Skipped by TLP: nothing to have on disk.
            None => Some(doc),
        }
    }

    /// Writes the document (and its hash and signature files) atomically,
    /// records it in the state, flushes the state and files it in the report.
    fn store(&mut self, a: Accepted<'_>) -> Result<(), DocFailure> {
        let previous = self.have(a.key).map(|d| d.sha256.clone());
        let path = self.feed_dir.join(&a.rel_path);
        let io = |p: &Path| {
            let p = p.to_owned();
            move |e: std::io::Error| DocFailure::Io {
                path: p,
                reason: e.to_string(),
            }
        };
        // Documents and the state are flushed to disk; the side files can be
        // fetched again and are checked against the document anyway.
        write_atomic(&path, a.bytes, true).map_err(io(&path))?;
        if let Some((algorithm, text)) = a.hash_file {
            let p = with_suffix(&path, algorithm.extension());
            write_atomic(&p, text, false).map_err(io(&p))?;
        }
        if let Some(sig) = a.signature {
            let p = with_suffix(&path, "asc");
            write_atomic(&p, sig, false).map_err(io(&p))?;
        }
        let c = a.checked;
        let doc = SyncedDocument {
            path: path.clone(),
            url: a.key.to_owned(),
            tracking_id: c.tracking_id.clone(),
            sha256: c.sha256.clone(),
            hash_checked: c.hash_checked,
            signature: c.signature.clone(),
        };
        self.state.documents.insert(
            a.key.to_owned(),
            DocState {
                path: Some(a.rel_path),
                tracking_id: c.tracking_id,
                sha256: c.sha256,
                sha512: Some(c.sha512),
                hash_checked: c.hash_checked,
                updated: a.updated,
                validators: a.validators,
                signature: c.signature,
                fetched: Timestamp::now(),
            },
        );
        self.state
            .save(&self.state_path)
            .map_err(|e| DocFailure::Io {
                path: self.state_path.clone(),
                reason: e.to_string(),
            })?;
        match previous {
            None => self.report.new.push(doc),
            Some(old) if old != doc.sha256 => self.report.changed.push(doc),
            Some(_) => self.report.unchanged += 1,
        }
        Ok(())
    }

    /// Records a document left out by its TLP label so it is not fetched again
    /// until the listing says it changed.
    fn skip(&mut self, key: &str, checked: Checked, updated: Option<Timestamp>) {
        self.state.documents.insert(
            key.to_owned(),
            DocState {
                path: None,
                tracking_id: checked.tracking_id,
                sha256: checked.sha256,
                sha512: Some(checked.sha512),
                hash_checked: checked.hash_checked,
                updated,
                validators: Validators::default(),
                signature: checked.signature,
                fetched: Timestamp::now(),
            },
        );
        self.report.skipped += 1;
    }
}

fn with_suffix(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// A path segment safe on every file system: no separators, no `..`.
fn safe_segment(s: &str) -> Option<String> {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect();
    (!out.is_empty() && out.chars().any(|c| c != '.')).then_some(out)
}
