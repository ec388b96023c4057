//! What to synchronise and how: [`FeedConfig`], stored by the caller.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// One feed to mirror: where its documents come from and which checks apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FeedConfig {
    /// Name of the feed; also names its folder in the mirror directory.
    pub name: String,
    /// Where the documents come from.
    pub source: FeedSource,
    /// Armored OpenPGP public keys (`-----BEGIN PGP PUBLIC KEY BLOCK-----`)
    /// whose signatures are trusted. The keys a provider lists in its
    /// metadata are never trusted by themselves.
    #[serde(default)]
    pub keys: Vec<String>,
    /// Reject documents without a signature that verifies against `keys`.
    #[serde(default)]
    pub require_signature: bool,
    /// At most this many HTTP requests per second (`None`: no limit).
    #[serde(default)]
    pub rate_limit: Option<f64>,
    /// TLP labels to fetch from providers (spec 7.1.7 `tlp_label`; `CLEAR`
    /// is read as `WHITE`). Local files are taken whatever their label.
    #[serde(default = "default_tlp")]
    pub tlp: Vec<TlpLabel>,
    /// Retries of requests that failed with a 5xx status, 429, or a
    /// connection error or timeout.
    #[serde(default)]
    pub retry: RetryPolicy,
    /// Timeout of one HTTP request, whole (connect, headers and body).
    #[serde(default = "default_timeout", with = "secs")]
    pub timeout: Duration,
    /// Accept plain `http://` URLs for other hosts than loopback (CSAF
    /// requires TLS: spec 7.1.3, requirement 3).
    #[serde(default)]
    pub allow_http: bool,
}

/// Where a feed's documents come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "location", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FeedSource {
    /// One CSAF document on disk.
    File(PathBuf),
    /// A folder of CSAF documents on disk, read recursively.
    Folder(PathBuf),
    /// A CSAF provider: the URL of its `provider-metadata.json`, or a domain
    /// (then `https://<domain>/.well-known/csaf/provider-metadata.json`,
    /// spec 7.1.8).
    Provider(String),
    /// A CSAF lister or aggregator: the URL of its `aggregator.json`
    /// (spec 7.2.1); every provider it lists is mirrored.
    Aggregator(String),
}

/// Traffic Light Protocol labels as CSAF 2.0 distribution uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum TlpLabel {
    /// `WHITE` (TLP 2.0 `CLEAR`).
    #[serde(alias = "CLEAR")]
    White,
    /// `GREEN`.
    Green,
    /// `AMBER`.
    Amber,
    /// `RED`.
    Red,
    /// `UNLABELED`: documents without a TLP label.
    Unlabeled,
}

impl TlpLabel {
    /// Reads a label as written in provider metadata or a document
    /// (case-insensitive; `CLEAR` is `WHITE`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "WHITE" | "CLEAR" => Self::White,
            "GREEN" => Self::Green,
            "AMBER" | "AMBER+STRICT" => Self::Amber,
            "RED" => Self::Red,
            "UNLABELED" | "" => Self::Unlabeled,
            _ => return None,
        })
    }
}

/// How often and how patiently failed requests are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Wait before the first retry; doubled for each further one.
    #[serde(with = "millis")]
    pub initial_backoff: Duration,
}

impl RetryPolicy {
    /// A policy with `max_retries` retries, the first after `initial_backoff`.
    pub fn new(max_retries: u32, initial_backoff: Duration) -> Self {
        Self {
            max_retries,
            initial_backoff,
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new(3, Duration::from_millis(500))
    }
}

impl FeedConfig {
    /// A configuration with the defaults: no keys, signatures not required,
    /// no rate limit, TLP WHITE only, 3 retries, 60 s timeout, TLS only.
    pub fn new(name: impl Into<String>, source: FeedSource) -> Self {
        Self {
            name: name.into(),
            source,
            keys: Vec::new(),
            require_signature: false,
            rate_limit: None,
            tlp: default_tlp(),
            retry: RetryPolicy::default(),
            timeout: default_timeout(),
            allow_http: false,
        }
    }
}

fn default_tlp() -> Vec<TlpLabel> {
    vec![TlpLabel::White]
}

fn default_timeout() -> Duration {
    Duration::from_secs(60)
}

mod secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(d.as_secs_f64())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let v = f64::deserialize(d)?;
        Duration::try_from_secs_f64(v).map_err(serde::de::Error::custom)
    }
}

mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_round_trip_and_defaults() {
        let mut c = FeedConfig::new("cisa", FeedSource::Provider("www.cisa.gov".into()));
        c.rate_limit = Some(2.5);
        let json = serde_json::to_string(&c).unwrap();
        let back: FeedConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
        let min: FeedConfig = serde_json::from_str(
            r#"{"name":"x","source":{"kind":"folder","location":"/tmp/x"},"tlp":["CLEAR","GREEN"]}"#,
        )
        .unwrap();
        assert_eq!(min.tlp, [TlpLabel::White, TlpLabel::Green]);
        assert_eq!(min.retry, RetryPolicy::default());
    }
}
