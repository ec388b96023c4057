//! Errors: [`FeedError`] stops a whole sync, [`DocFailure`] is one
//! document's reason for not being mirrored (the sync goes on).

use crate::formats::{FormatError, HashAlgorithm};
use std::path::PathBuf;

/// Why a sync could not run or could not read its feed at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// A configured OpenPGP key does not parse or its self-signatures fail.
    #[error("feed {feed}: key {index} is not a usable OpenPGP public key: {reason}")]
    InvalidKey {
        /// The feed's name.
        feed: String,
        /// Index in `FeedConfig::keys`.
        index: usize,
        /// What the OpenPGP parser said.
        reason: String,
    },
    /// `require_signature` is set but no key is configured.
    #[error("feed {feed}: signatures are required but no key is configured")]
    NoKeys {
        /// The feed's name.
        feed: String,
    },
    /// The source location is not a usable URL, domain or path.
    #[error("feed {feed}: source {location:?}: {reason}")]
    BadSource {
        /// The feed's name.
        feed: String,
        /// The location as configured or found.
        location: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Reading or writing the mirror or a local source failed.
    #[error("{operation} {}: {source}", path.display())]
    Io {
        /// What was being done (`create`, `read`, `write` …).
        operation: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The state file exists but is not a state file of this version.
    #[error("state file {}: {reason}", path.display())]
    State {
        /// The state file.
        path: PathBuf,
        /// What the JSON parser said.
        reason: String,
    },
    /// A metadata file or feed index could not be fetched.
    #[error("GET {url}: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// The HTTP status or transport error.
        reason: FetchFailure,
    },
    /// A metadata file or feed index does not parse.
    #[error("{url}: {source}")]
    Format {
        /// The URL or path it came from.
        url: String,
        /// What is wrong with it.
        source: FormatError,
    },
    /// The provider lists neither a ROLIE feed nor a directory (spec 7.1.7).
    #[error("{url}: lists neither a ROLIE feed nor a directory_url")]
    NoDistribution {
        /// The provider metadata URL.
        url: String,
    },
}

/// Why a request failed after all retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchFailure {
    /// The server answered with a status other than 200 (or 304 when asked).
    #[error("HTTP status {status}")]
    Status {
        /// The HTTP status code.
        status: u16,
    },
    /// Connection refused or reset, timeout, TLS or protocol error.
    #[error("transport error: {reason}")]
    Transport {
        /// What the HTTP client said.
        reason: String,
    },
}

/// Why one document was not mirrored; the previous copy, if any, is kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocFailure {
    /// The document URL is not usable (not http(s), or plain http to a
    /// remote host).
    #[error("unusable URL: {reason}")]
    BadUrl {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Fetching the document, its hash or its signature failed.
    #[error("{what}: {failure}")]
    Fetch {
        /// `document`, `hash file` or `signature`.
        what: &'static str,
        /// What went wrong.
        failure: FetchFailure,
    },
    /// The digest differs from the provider's hash file (spec 7.1.18).
    #[error("{algorithm:?} mismatch: hash file says {expected}, document has {actual}")]
    HashMismatch {
        /// Which digest.
        algorithm: HashAlgorithm,
        /// Hex digest from the hash file.
        expected: String,
        /// Hex digest of the bytes received.
        actual: String,
    },
    /// The hash file does not parse or names another file.
    #[error("bad hash file: {reason}")]
    HashFile {
        /// What is wrong with it.
        reason: String,
    },
    /// `require_signature` is set and there is no `.asc`.
    #[error("no signature, and signatures are required")]
    SignatureMissing,
    /// The signature is made by a configured key but does not verify, or
    /// the `.asc` is not an OpenPGP signature.
    #[error("signature invalid (issuer {issuer:?}): {reason}")]
    SignatureInvalid {
        /// Issuer fingerprint or key id (hex) from the signature.
        issuer: Option<String>,
        /// What the verifier said.
        reason: String,
    },
    /// `require_signature` is set and the signer is not a configured key.
    #[error("signed by {issuer:?}, which is not a configured key")]
    SignatureUnknownKey {
        /// Issuer fingerprint or key id (hex) from the signature.
        issuer: Option<String>,
    },
    /// The bytes are not a CSAF document.
    #[error("not CSAF: {reason}")]
    NotCsaf {
        /// What the CSAF parser said.
        reason: String,
    },
    /// The file name does not follow from the tracking id (spec 5.1).
    #[error("file name {actual:?} should be {expected:?} for its tracking id")]
    WrongFileName {
        /// Name the tracking id gives.
        expected: String,
        /// Name it was published under.
        actual: String,
    },
    /// A provider listed by an aggregator could not be read at all.
    #[error("provider failed: {reason}")]
    Provider {
        /// The provider's error.
        reason: String,
    },
    /// Reading a local document or writing to the mirror failed.
    #[error("write {}: {reason}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        reason: String,
    },
}

impl FeedError {
    pub(crate) fn io(
        operation: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            operation,
            path,
            source,
        }
    }
}
