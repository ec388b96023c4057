//! Version orderings and version ranges for vulnerability matching.
//!
//! - [`Scheme`] names a versioning scheme (semver, PEP 440, dpkg, Maven, the
//!   `vers` generic scheme for firmware…) and [`Version`] is a string read
//!   under one, totally ordered by that scheme's rules.
//! - [`VersionRange`] is a set of versions as normalised intervals. Every
//!   source's range form converts into it: [`vers`] specifiers (purl-spec
//!   `VERSION-RANGE-SPEC`), OSV events ([`sources::osv`]), CVE JSON 5
//!   `versions` ([`sources::cve5`]) and NVD CPE match bounds
//!   ([`sources::nvd`]).
//!
//! The crate is pure: no I/O, no allocation beyond the values it returns.

pub mod error;
pub mod range;
pub mod scheme;
mod schemes;
pub mod sources;
pub mod vers;
pub mod version;

pub use error::{RangeError, VersionError};
pub use range::{Bound, Interval, VersionRange};
pub use scheme::Scheme;
pub use version::{Version, compare};
