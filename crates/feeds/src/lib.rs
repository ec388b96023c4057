//! CSAF feed synchronisation for medvigil (CSAF 2.0 section 7,
//! distribution): mirrors a CSAF document file, a folder, a provider
//! (`provider-metadata.json` → ROLIE feeds or `changes.csv`/`index.txt`) or
//! an aggregator into a local directory, incrementally, checking each
//! document's hash file, detached OpenPGP signature, CSAF shape and file
//! name before it enters the mirror.
//!
//! I/O: the file system and blocking HTTP (`ureq`); no async runtime, no
//! database. The parsers of the distribution files ([`formats`]) are pure.
//!
//! ```no_run
//! use medvigil_feeds::{FeedConfig, FeedSource, sync};
//! let mut config = FeedConfig::new("cisa", FeedSource::Provider("www.cisa.gov".into()));
//! config.rate_limit = Some(5.0);
//! let report = sync(&config, std::path::Path::new("/var/lib/medvigil/feeds"), &mut |_| {})?;
//! for doc in report.new.iter().chain(&report.changed) {
//!     println!("{} {}", doc.tracking_id, doc.path.display());
//! }
//! # Ok::<(), medvigil_feeds::FeedError>(())
//! ```

#![warn(missing_docs)]

mod config;
mod error;
pub mod formats;
mod http;
mod report;
mod signature;
mod state;
mod sync;

pub use config::{FeedConfig, FeedSource, RetryPolicy, TlpLabel};
pub use error::{DocFailure, FeedError, FetchFailure};
pub use report::{Progress, SignatureStatus, SyncReport, SyncedDocument};
pub use signature::{SignatureError, SignatureIssuer, public_key_fingerprint, signature_issuer};
pub use sync::{STATE_FILE, sync};
