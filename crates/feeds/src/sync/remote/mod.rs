//! Providers and aggregators over HTTP (spec 7.1 and 7.2): metadata, ROLIE
//! feeds or `changes.csv`/`index.txt`, then the documents that are new or
//! newer than the mirror.

mod documents;

use super::Ctx;
use crate::config::TlpLabel;
use crate::error::{DocFailure, FeedError, FetchFailure};
use crate::formats::url::Url;
use crate::formats::{
    Aggregator, HashAlgorithm, ProviderMetadata, RolieFeed, Timestamp, parse_changes_csv,
    parse_index_txt,
};
use crate::http::{Fetched, Fetcher};
use crate::report::Progress;
use crate::state::{IndexState, write_atomic};
use documents::fetch_documents;

/// One document a listing names.
#[derive(Debug)]
struct Item {
    url: Url,
    updated: Option<Timestamp>,
    /// From ROLIE `hash` links; empty: guess `.sha512`, then `.sha256`.
    hash_urls: Vec<(HashAlgorithm, Url)>,
    /// From the ROLIE `signature` link; `None`: guess `.asc`.
    signature_url: Option<Url>,
}

pub(super) fn sync_provider(ctx: &mut Ctx<'_>, location: &str) -> Result<(), FeedError> {
    let url = provider_url(location)
        .ok_or_else(|| bad_source(ctx, location, "not an http(s) URL or domain"))?;
    let mut fetcher = new_fetcher(ctx, &url)?;
    let result = provider(ctx, &mut fetcher, &url);
    ctx.report.requests += fetcher.requests;
    ctx.report.bytes += fetcher.bytes;
    result
}

pub(super) fn sync_aggregator(ctx: &mut Ctx<'_>, location: &str) -> Result<(), FeedError> {
    let url =
        Url::parse(location).ok_or_else(|| bad_source(ctx, location, "not an http(s) URL"))?;
    let mut fetcher = new_fetcher(ctx, &url)?;
    let result = aggregator(ctx, &mut fetcher, &url);
    ctx.report.requests += fetcher.requests;
    ctx.report.bytes += fetcher.bytes;
    result
}

fn aggregator(ctx: &mut Ctx<'_>, fetcher: &mut Fetcher, url: &Url) -> Result<(), FeedError> {
    let bytes = fetch_index(ctx, fetcher, url)?;
    let agg = Aggregator::parse(&bytes).map_err(|source| FeedError::Format {
        url: url.to_string(),
        source,
    })?;
    for p in agg.providers {
        // An aggregator's own mirror is preferred (spec 7.2.1: `mirrors`).
        let target = p.mirrors.first().unwrap_or(&p.metadata_url).clone();
        let Some(purl) = url.join(&target) else {
            ctx.report.failed.push((
                target,
                DocFailure::BadUrl {
                    reason: "provider metadata URL does not parse",
                },
            ));
            continue;
        };
        if let Err(e) = provider(ctx, fetcher, &purl) {
            ctx.report.failed.push((
                purl.to_string(),
                DocFailure::Provider {
                    reason: e.to_string(),
                },
            ));
        }
    }
    Ok(())
}

fn provider(ctx: &mut Ctx<'_>, fetcher: &mut Fetcher, url: &Url) -> Result<(), FeedError> {
    let bytes = fetch_index(ctx, fetcher, url)?;
    let meta = ProviderMetadata::parse(&bytes).map_err(|source| FeedError::Format {
        url: url.to_string(),
        source,
    })?;
    for k in &meta.public_openpgp_keys {
        if let Some(fp) = &k.fingerprint {
            let fp = fp.replace(' ', "").to_ascii_uppercase();
            if !ctx.report.provider_keys.contains(&fp) {
                ctx.report.provider_keys.push(fp);
            }
        }
    }
    let mut items = Vec::new();
    let feeds: Vec<_> = meta.rolie_feeds().cloned().collect();
    let mut feeds_read = 0;
    for feed in &feeds {
        let wanted = TlpLabel::parse(&feed.tlp_label).is_some_and(|t| ctx.config.tlp.contains(&t));
        let Some(feed_url) = url.join(&feed.url) else {
            continue;
        };
        if !wanted {
            continue;
        }
        let body = fetch_index(ctx, fetcher, &feed_url)?;
        let rolie = RolieFeed::parse(&body).map_err(|source| FeedError::Format {
            url: feed_url.to_string(),
            source,
        })?;
        feeds_read += 1;
        for e in rolie.entries {
            let Some(doc_url) = feed_url.join(&e.document_url) else {
                continue;
            };
            items.push(Item {
                url: doc_url,
                updated: e.updated,
                hash_urls: e
                    .hash_urls
                    .iter()
                    .filter_map(|(a, h)| Some((*a, feed_url.join(h)?)))
                    .collect(),
                signature_url: e.signature_url.as_deref().and_then(|s| feed_url.join(s)),
            });
        }
    }
    // Directory distribution serves where no wanted ROLIE feed does; the
    // documents' own TLP labels filter what it lists.
    if feeds_read == 0 {
        let dirs: Vec<String> = meta.directory_urls().map(str::to_owned).collect();
        if dirs.is_empty() && feeds.is_empty() {
            return Err(FeedError::NoDistribution {
                url: url.to_string(),
            });
        }
        for dir in dirs {
            let dir = if dir.ends_with('/') {
                dir
            } else {
                format!("{dir}/")
            };
            let Some(dir_url) = url.join(&dir) else {
                continue;
            };
            items.extend(directory(ctx, fetcher, &dir_url)?);
        }
    }
    fetch_documents(ctx, fetcher, items);
    Ok(())
}

/// `changes.csv` (with times) or, where it is missing, `index.txt`.
fn directory(ctx: &mut Ctx<'_>, fetcher: &mut Fetcher, dir: &Url) -> Result<Vec<Item>, FeedError> {
    let changes_url = dir.with_suffix("changes.csv");
    let entries = match fetch_index(ctx, fetcher, &changes_url) {
        Ok(body) => parse_changes_csv(&String::from_utf8_lossy(&body)).map_err(|source| {
            FeedError::Format {
                url: changes_url.to_string(),
                source,
            }
        })?,
        Err(FeedError::Fetch {
            reason: FetchFailure::Status { status: 404 },
            ..
        }) => {
            let index_url = dir.with_suffix("index.txt");
            parse_index_txt(&String::from_utf8_lossy(&fetch_index(
                ctx, fetcher, &index_url,
            )?))
        }
        Err(e) => return Err(e),
    };
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            Some(Item {
                url: dir.join(&e.path)?,
                updated: e.changed,
                hash_urls: Vec::new(),
                signature_url: None,
            })
        })
        .collect())
}
/// GETs a metadata file or index, conditionally when the state has its
/// validators and a cached copy; keeps the body as the next cached copy.
fn fetch_index(ctx: &mut Ctx<'_>, fetcher: &mut Fetcher, url: &Url) -> Result<Vec<u8>, FeedError> {
    let key = url.to_string();
    ctx.emit(&Progress::Listing { url: key.clone() });
    if !fetcher.allowed(url) {
        return Err(bad_source(
            ctx,
            &key,
            "plain http to a remote host (set allow_http)",
        ));
    }
    let cached = ctx.state.indexes.get(&key).and_then(|s| {
        let bytes = std::fs::read(ctx.feed_dir.join(&s.cache)).ok()?;
        Some((s.validators.clone(), bytes))
    });
    let fetch_err = |reason| FeedError::Fetch {
        url: key.clone(),
        reason,
    };
    match fetcher
        .get(url, cached.as_ref().map(|(v, _)| v))
        .map_err(fetch_err)?
    {
        Fetched::NotModified => Ok(cached.map(|(_, b)| b).unwrap_or_default()),
        Fetched::Body { body, validators } => {
            let cache = format!("index/{}", index_cache_name(url));
            let path = ctx.feed_dir.join(&cache);
            write_atomic(&path, &body, true).map_err(FeedError::io("write", &path))?;
            ctx.state
                .indexes
                .insert(key, IndexState { validators, cache });
            Ok(body)
        }
    }
}

fn index_cache_name(url: &Url) -> String {
    let flat: String = format!("{}{}", url.host(), url.path())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    flat
}
/// `provider-metadata.json` URL of a location: a URL as is, a domain by
/// the well-known path (spec 7.1.8).
fn provider_url(location: &str) -> Option<Url> {
    let l = location.trim();
    if l.contains("://") {
        return Url::parse(l);
    }
    if l.is_empty() || l.contains(['/', '?', '#', ' ']) {
        return None;
    }
    Url::parse(&format!(
        "https://{l}/.well-known/csaf/provider-metadata.json"
    ))
}

fn new_fetcher(ctx: &Ctx<'_>, url: &Url) -> Result<Fetcher, FeedError> {
    let fetcher = Fetcher::new(ctx.config, url.is_loopback());
    if fetcher.allowed(url) {
        Ok(fetcher)
    } else {
        Err(bad_source(
            ctx,
            &url.to_string(),
            "plain http to a remote host (set allow_http)",
        ))
    }
}

fn bad_source(ctx: &Ctx<'_>, location: &str, reason: &'static str) -> FeedError {
    FeedError::BadSource {
        feed: ctx.config.name.clone(),
        location: location.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::documents::mirror_path;
    use super::*;

    #[test]
    fn provider_locations() {
        for (l, want) in [
            (
                "www.cisa.gov",
                Some("https://www.cisa.gov/.well-known/csaf/provider-metadata.json"),
            ),
            (
                "https://x.org/csaf/provider-metadata.json",
                Some("https://x.org/csaf/provider-metadata.json"),
            ),
            ("x.org/path", None),
            ("", None),
            ("ftp://x.org/p.json", None),
        ] {
            assert_eq!(
                provider_url(l).map(|u| u.to_string()).as_deref(),
                want,
                "{l}"
            );
        }
    }

    #[test]
    fn mirror_paths_stay_inside() {
        let u = Url::parse("https://h.org:8443/a/../../b/%2e%2e/x y.json").unwrap();
        assert_eq!(mirror_path(&u), "h.org/b/_2e_2e/x_y.json");
        let u = Url::parse("https://h.org/..%2f..%2fetc/passwd").unwrap();
        assert!(!mirror_path(&u).split('/').any(|s| s == ".."));
    }
}
