//! `provider-metadata.json` (spec 7.1.7): where a provider's documents are.

use super::{FormatError, Timestamp, timestamp::lenient};
use serde::Deserialize;

/// The parts of a provider's metadata that a mirror needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ProviderMetadata {
    /// Where the provider says this file lives.
    #[serde(default)]
    pub canonical_url: String,
    /// When the metadata last changed.
    #[serde(default, deserialize_with = "lenient")]
    pub last_updated: Option<Timestamp>,
    /// `csaf_publisher`, `csaf_provider` or `csaf_trusted_provider`.
    #[serde(default)]
    pub role: String,
    /// Directory- and ROLIE-based distributions.
    #[serde(default)]
    pub distributions: Vec<Distribution>,
    /// The provider's signing keys; informative only: a key is trusted
    /// only when the feed configuration carries it.
    #[serde(default)]
    pub public_openpgp_keys: Vec<PublicKeyRef>,
}

/// One item of `/distributions` (spec 7.1.7): a directory, ROLIE feeds, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Distribution {
    /// Base URL of directory-based distribution (spec 7.1.11).
    #[serde(default)]
    pub directory_url: Option<String>,
    /// ROLIE-based distribution (spec 7.1.16).
    #[serde(default)]
    pub rolie: Option<Rolie>,
}

/// `/distributions[]/rolie`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Rolie {
    /// The feeds, one per TLP label.
    #[serde(default)]
    pub feeds: Vec<RolieFeedRef>,
}

/// `/distributions[]/rolie/feeds[]`: a ROLIE feed and its TLP label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct RolieFeedRef {
    /// `WHITE`, `GREEN`, `AMBER`, `RED` or `UNLABELED`.
    #[serde(default)]
    pub tlp_label: String,
    /// URL of the feed.
    #[serde(default)]
    pub url: String,
}

/// `/public_openpgp_keys[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PublicKeyRef {
    /// Hex fingerprint, when given.
    #[serde(default)]
    pub fingerprint: Option<String>,
    /// Where the key can be fetched.
    #[serde(default)]
    pub url: String,
}

impl ProviderMetadata {
    /// Parses `provider-metadata.json`; unknown properties are ignored.
    ///
    /// # Errors
    /// [`FormatError::Json`] when it is not JSON of that shape.
    pub fn parse(bytes: &[u8]) -> Result<Self, FormatError> {
        serde_json::from_slice(bytes).map_err(|e| FormatError::json("provider-metadata.json", &e))
    }

    /// ROLIE feeds of every distribution.
    pub fn rolie_feeds(&self) -> impl Iterator<Item = &RolieFeedRef> {
        self.distributions
            .iter()
            .filter_map(|d| d.rolie.as_ref())
            .flat_map(|r| r.feeds.iter())
    }

    /// Directory URLs of every distribution.
    pub fn directory_urls(&self) -> impl Iterator<Item = &str> {
        self.distributions
            .iter()
            .filter_map(|d| d.directory_url.as_deref())
    }
}
