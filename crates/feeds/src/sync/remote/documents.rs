//! The documents of a listing: which are new or newer than the mirror,
//! and fetching each with its hash and signature files (spec 7.1.18,
//! 7.1.19) before the checks.

use super::Item;
use crate::error::{DocFailure, FetchFailure};
use crate::formats::url::Url;
use crate::formats::{HashAlgorithm, Timestamp};
use crate::http::{Fetched, Fetcher};
use crate::report::Progress;
use crate::sync::check::Candidate;
use crate::sync::{Accepted, Ctx, safe_segment};
use std::collections::HashSet;

pub(super) fn fetch_documents(ctx: &mut Ctx<'_>, fetcher: &mut Fetcher, items: Vec<Item>) {
    let mut seen = HashSet::new();
    let mut todo = Vec::new();
    let listed = items.len();
    for item in items {
        let key = item.url.to_string();
        if !seen.insert(key.clone()) {
            continue;
        }
        if is_current(ctx, &key, item.updated) {
            ctx.report.unchanged += 1;
        } else {
            todo.push(item);
        }
    }
    ctx.emit(&Progress::Planned {
        listed,
        to_fetch: todo.len(),
    });
    let total = todo.len();
    for (i, item) in todo.into_iter().enumerate() {
        let key = item.url.to_string();
        let result = fetch_document(ctx, fetcher, &item);
        ctx.finish_document(i + 1, total, key, result);
    }
}

/// Whether the mirror holds `key` at least as new as the listing says.
/// Without a time (`index.txt`), having it at all is enough.
fn is_current(ctx: &Ctx<'_>, key: &str, listed: Option<Timestamp>) -> bool {
    let Some(doc) = ctx.have(key) else {
        return false;
    };
    match (listed, doc.updated) {
        (None, _) => true,
        (Some(l), Some(have)) => have >= l,
        (Some(_), None) => false,
    }
}

fn fetch_document(ctx: &mut Ctx<'_>, fetcher: &mut Fetcher, item: &Item) -> Result<(), DocFailure> {
    let key = item.url.to_string();
    if !fetcher.allowed(&item.url) {
        return Err(DocFailure::BadUrl {
            reason: "plain http to a remote host (set allow_http)",
        });
    }
    let validators = ctx
        .have(&key)
        .filter(|d| d.path.is_some())
        .map(|d| d.validators.clone());
    let fetch_err = |what| move |failure| DocFailure::Fetch { what, failure };
    let (bytes, new_validators) = match fetcher
        .get(&item.url, validators.as_ref())
        .map_err(fetch_err("document"))?
    {
        Fetched::Body { body, validators } => (body, validators),
        Fetched::NotModified => {
            // Same bytes as the mirror: only the listing's time moves on.
            if let Some(doc) = ctx.state.documents.get_mut(&key) {
                doc.updated = item.updated.or(doc.updated);
            }
            ctx.report.unchanged += 1;
            let _ = ctx.state.save(&ctx.state_path);
            return Ok(());
        }
    };
    let hash = fetch_hash(fetcher, item)?;
    let signature = fetch_optional(
        fetcher,
        item.signature_url
            .clone()
            .unwrap_or_else(|| item.url.with_suffix(".asc")),
        item.signature_url.is_some(),
    )
    .map_err(fetch_err("signature"))?;
    let candidate = Candidate {
        source: &key,
        file_name: item.url.file_name(),
        bytes: &bytes,
        hash_file: hash.as_ref().map(|(a, t)| (*a, t.as_slice())),
        signature: signature.as_deref(),
    };
    let checked = ctx.check(&candidate)?;
    if !ctx.config.tlp.contains(&checked.tlp) {
        ctx.skip(&key, checked, item.updated);
        return Ok(());
    }
    ctx.store(Accepted {
        key: &key,
        rel_path: mirror_path(&item.url),
        bytes: &bytes,
        hash_file: candidate.hash_file,
        signature: candidate.signature,
        checked,
        updated: item.updated,
        validators: new_validators,
    })
}

/// The hash file: the listed one (SHA-512 preferred), else `.sha512` or
/// `.sha256` beside the document, if either exists.
fn fetch_hash(
    fetcher: &mut Fetcher,
    item: &Item,
) -> Result<Option<(HashAlgorithm, Vec<u8>)>, DocFailure> {
    let err = |failure| DocFailure::Fetch {
        what: "hash file",
        failure,
    };
    if !item.hash_urls.is_empty() {
        let mut listed = item.hash_urls.clone();
        listed.sort_by_key(|(a, _)| *a != HashAlgorithm::Sha512);
        let (algorithm, url) = listed.swap_remove(0);
        return Ok(fetch_optional(fetcher, url, true)
            .map_err(err)?
            .map(|b| (algorithm, b)));
    }
    for algorithm in [HashAlgorithm::Sha512, HashAlgorithm::Sha256] {
        let url = item.url.with_suffix(&format!(".{}", algorithm.extension()));
        if let Some(b) = fetch_optional(fetcher, url, false).map_err(err)? {
            return Ok(Some((algorithm, b)));
        }
    }
    Ok(None)
}

/// GETs a side file; a 404 is `None` unless the listing promised the file.
fn fetch_optional(
    fetcher: &mut Fetcher,
    url: Url,
    listed: bool,
) -> Result<Option<Vec<u8>>, FetchFailure> {
    match fetcher.get(&url, None) {
        Ok(Fetched::Body { body, .. }) => Ok(Some(body)),
        Ok(Fetched::NotModified) => Ok(None),
        Err(FetchFailure::Status { status: 404 | 410 }) if !listed => Ok(None),
        Err(e) => Err(e),
    }
}

/// Where a document URL is mirrored: `<host>/<path>`, each segment made safe.
pub(super) fn mirror_path(url: &Url) -> String {
    let mut segments = vec![safe_segment(url.host()).unwrap_or_else(|| "host".to_owned())];
    segments.extend(url.path().split('/').filter_map(safe_segment));
    segments.join("/")
}
