//! `aggregator.json` (spec 7.2.1): the providers a lister or aggregator knows.

use super::{FormatError, Timestamp, timestamp::lenient};
use serde::Deserialize;

/// The providers and publishers an aggregator lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Aggregator {
    /// `lister` or `aggregator`.
    pub category: String,
    /// Every `csaf_providers[]` and `csaf_publishers[]` item.
    pub providers: Vec<AggregatorProvider>,
}

/// One provider or publisher of an aggregator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AggregatorProvider {
    /// URL of its `provider-metadata.json`.
    pub metadata_url: String,
    /// URLs of the aggregator's mirrors of it (their `provider-metadata.json`).
    pub mirrors: Vec<String>,
    /// When its metadata last changed.
    pub last_updated: Option<Timestamp>,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    aggregator: RawAgg,
    #[serde(default)]
    csaf_providers: Vec<RawProvider>,
    #[serde(default)]
    csaf_publishers: Vec<RawProvider>,
}

#[derive(Default, Deserialize)]
struct RawAgg {
    #[serde(default)]
    category: String,
}

#[derive(Deserialize)]
struct RawProvider {
    #[serde(default)]
    metadata: RawMeta,
    #[serde(default)]
    mirrors: Vec<String>,
}

#[derive(Default, Deserialize)]
struct RawMeta {
    #[serde(default)]
    url: String,
    #[serde(default, deserialize_with = "lenient")]
    last_updated: Option<Timestamp>,
}

impl Aggregator {
    /// Parses `aggregator.json`; unknown properties are ignored.
    ///
    /// # Errors
    /// [`FormatError::Json`] when it is not JSON of that shape.
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        let raw: Raw =
            serde_json::from_slice(bytes).map_err(|e| FormatError::json("aggregator.json", &e))?;
        let providers = raw
            .csaf_providers
            .into_iter()
            .chain(raw.csaf_publishers)
            .filter(|p| !p.metadata.url.is_empty() || !p.mirrors.is_empty())
            .map(|p| AggregatorProvider {
                metadata_url: p.metadata.url,
                mirrors: p.mirrors,
                last_updated: p.metadata.last_updated,
            })
            .collect();
        Ok(Self {
            category: raw.aggregator.category,
            providers,
        })
    }
}
