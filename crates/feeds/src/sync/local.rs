//! File and folder sources: the same checks and report, with change
//! detection by SHA-256; `.sha512`/`.sha256` and `.asc` beside a file are
//! checked when present.

use super::check::Candidate;
use super::{Accepted, Ctx, safe_segment};
use crate::error::{DocFailure, FeedError};
use crate::formats::HashAlgorithm;
use crate::formats::hashfile_hex;
use crate::http::Validators;
use crate::report::Progress;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub(super) fn sync_file(ctx: &mut Ctx<'_>, path: &Path) -> Result<(), FeedError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    run(ctx, vec![(path.to_owned(), name)])
}

pub(super) fn sync_folder(ctx: &mut Ctx<'_>, dir: &Path) -> Result<(), FeedError> {
    ctx.emit(&Progress::Listing {
        url: dir.display().to_string(),
    });
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    run(ctx, files)
}

/// Collects `*.json` files under `dir` (hidden entries skipped), with their
/// path relative to `root` using `/`.
fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) -> Result<(), FeedError> {
    let entries = std::fs::read_dir(dir).map_err(FeedError::io("read folder", dir))?;
    for entry in entries {
        let entry = entry.map_err(FeedError::io("read folder", dir))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let file_type = entry.file_type().map_err(FeedError::io("stat", &path))?;
        if file_type.is_dir() {
            walk(root, &path, out)?;
        } else if name.ends_with(".json") {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((path, rel));
        }
    }
    Ok(())
}

fn run(ctx: &mut Ctx<'_>, files: Vec<(PathBuf, String)>) -> Result<(), FeedError> {
    let total = files.len();
    ctx.emit(&Progress::Planned {
        listed: total,
        to_fetch: total,
    });
    for (i, (path, rel)) in files.into_iter().enumerate() {
        let key = std::fs::canonicalize(&path)
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string();
        let result = one(ctx, &path, &rel, &key);
        ctx.finish_document(i + 1, total, key, result);
    }
    Ok(())
}

fn one(ctx: &mut Ctx<'_>, path: &Path, rel: &str, key: &str) -> Result<(), DocFailure> {
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| DocFailure::Io {
            path: p.to_owned(),
            reason: e.to_string(),
        })
    };
    let bytes = read(path)?;
    ctx.report.bytes += bytes.len() as u64;
    let sha256 = hashfile_hex(&Sha256::digest(&bytes));
    if ctx.have(key).is_some_and(|d| d.sha256 == sha256) {
        ctx.report.unchanged += 1;
        return Ok(());
    }
    let beside = |ext: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(".");
        s.push(ext);
        std::fs::read(PathBuf::from(s)).ok()
    };
    let hash = [HashAlgorithm::Sha512, HashAlgorithm::Sha256]
        .into_iter()
        .find_map(|a| beside(a.extension()).map(|t| (a, t)));
    let signature = beside("asc");
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let candidate = Candidate {
        source: key,
        file_name: &file_name,
        bytes: &bytes,
        hash_file: hash.as_ref().map(|(a, t)| (*a, t.as_slice())),
        signature: signature.as_deref(),
    };
    let checked = ctx.check(&candidate)?;
    let rel_path = std::iter::once("files")
        .map(str::to_owned)
        .chain(rel.split('/').filter_map(safe_segment))
        .collect::<Vec<_>>()
        .join("/");
    ctx.store(Accepted {
        key,
        rel_path,
        bytes: &bytes,
        hash_file: candidate.hash_file,
        signature: candidate.signature,
        checked,
        updated: None,
        validators: Validators::default(),
    })
}
