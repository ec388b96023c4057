//! The demo hospital group: a deterministic, generated inventory that looks
//! like a real one (two sites, ~1,000 beds, ~15,000 devices from the
//! manufacturers of the market), and the same generator at any scale for
//! benchmarks.
//!
//! Pure and reproducible: the same seed gives the same devices on every
//! machine (ChaCha8 from a fixed seed; no clock, no I/O: generated
//! captures go to any `io::Write` the caller gives). The product catalog is
//! a data file (`data/catalog.toml`); later capabilities add their own demo
//! facts (advisories, conversations, packet captures) next to it.

mod advisories;
mod capture;
mod catalog;
mod layout;
mod traffic;

pub use advisories::{AdvisoryDataError, DemoAdvisory, advisories};
pub use capture::{CaptureCounts, write_bulk_capture, write_demo_capture};
pub use catalog::{Catalog, CatalogError, Product};
pub use layout::{Hospital, SiteTemplate, generate, generate_scaled};
pub use traffic::{traffic, zones_toml};

/// The seed of the demo that `medvigil demo` loads.
pub const DEMO_SEED: u64 = 2026;

/// The demo tenant's name.
pub const DEMO_TENANT: &str = "Demo Hospital Group";
