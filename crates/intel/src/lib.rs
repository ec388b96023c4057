//! Vulnerability intelligence as a service of the store: advisory files are
//! read ([`read`]), matched against a tenant's devices and stored with their
//! findings. The CLI and (later) the server call this crate; it holds the
//! glue between the pure crates (formats, matching, segmentation) and the
//! store.

pub mod feeds;
pub mod history;
pub mod inventory;
pub mod pipeline;
pub mod read;
pub mod remediation;
pub mod report;
pub mod risk;
pub mod sbom;
pub mod segmentation;

pub use pipeline::{ImportSummary, IntelError, import, rematch};
pub use read::{Content, Ingested, Input, ReadError, read_input};
