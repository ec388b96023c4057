//! ROLIE feeds (spec 7.1.16–7.1.17, RFC 8322 in JSON): one entry per
//! document with links to it, its hash and its signature.

use super::{FormatError, HashAlgorithm, Timestamp, timestamp::lenient};
use serde::Deserialize;

/// A ROLIE feed reduced to what a mirror needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RolieFeed {
    /// `/feed/id`.
    pub id: String,
    /// `/feed/updated`.
    pub updated: Option<Timestamp>,
    /// Entries that name a document (a `self` link or `content.src`).
    pub entries: Vec<RolieEntry>,
}

/// One `/feed/entry[]`: a CSAF document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RolieEntry {
    /// `id` (the tracking id by convention).
    pub id: String,
    /// URL of the document (`link` rel=self, else `content.src`).
    pub document_url: String,
    /// URLs of hash files (`link` rel=hash), with the algorithm their name shows.
    pub hash_urls: Vec<(HashAlgorithm, String)>,
    /// URL of the detached signature (`link` rel=signature).
    pub signature_url: Option<String>,
    /// `updated`, when it parses.
    pub updated: Option<Timestamp>,
}

#[derive(Deserialize)]
struct Raw {
    feed: RawFeed,
}

#[derive(Deserialize)]
struct RawFeed {
    #[serde(default)]
    id: String,
    #[serde(default, deserialize_with = "lenient")]
    updated: Option<Timestamp>,
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    id: String,
    #[serde(default)]
    link: Vec<RawLink>,
    #[serde(default, deserialize_with = "lenient")]
    updated: Option<Timestamp>,
    #[serde(default)]
    content: Option<RawContent>,
}

#[derive(Deserialize)]
struct RawLink {
    #[serde(default)]
    rel: String,
    #[serde(default)]
    href: String,
}

#[derive(Deserialize)]
struct RawContent {
    #[serde(default)]
    src: String,
}

impl RolieFeed {
    /// Parses a ROLIE feed; entries without a document URL are dropped.
    ///
    /// # Errors
    /// [`FormatError::Json`] when it is not a JSON object with a `feed`.
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        let raw: Raw =
            serde_json::from_slice(bytes).map_err(|e| FormatError::json("ROLIE feed", &e))?;
        let entries = raw.feed.entry.into_iter().filter_map(entry).collect();
        Ok(Self {
            id: raw.feed.id,
            updated: raw.feed.updated,
            entries,
        })
    }
}

fn entry(e: RawEntry) -> Option<RolieEntry> {
    let link = |rel: &'static str| {
        e.link
            .iter()
            .filter(move |l| l.rel == rel && !l.href.is_empty())
            .map(|l| l.href.clone())
    };
    let document_url = link("self")
        .next()
        .or_else(|| e.content.as_ref().map(|c| c.src.clone()))
        .filter(|u| !u.is_empty())?;
    let hash_urls = link("hash")
        .filter_map(|h| {
            let algorithm = if h.ends_with(".sha512") {
                HashAlgorithm::Sha512
            } else if h.ends_with(".sha256") {
                HashAlgorithm::Sha256
            } else {
                return None;
            };
            Some((algorithm, h))
        })
        .collect();
    let signature_url = link("signature").next();
    Some(RolieEntry {
        id: e.id,
        document_url,
        hash_urls,
        signature_url,
        updated: e.updated,
    })
}
