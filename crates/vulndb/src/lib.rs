//! Readers of vulnerability sources into one record model ([`VulnRecord`]):
//!
//! - [`osv`]: OSV records (all range types; ecosystems → version schemes);
//! - [`cve5`]: CVE JSON 5.x records (CNA and ADP containers);
//! - [`nvd`]: NVD CVE API 2.0 responses (configurations → CPE matches);
//! - [`kev`]: the CISA Known Exploited Vulnerabilities catalog, JSON and CSV;
//! - [`epss`]: FIRST EPSS score files (CSV);
//! - [`detect`]: reading a JSON file whose format is not known in advance.
//!
//! Readers are lenient: a problem inside a record becomes a [`Diagnostic`]
//! and the rest is kept; only input that is not the format at all is an
//! error. The crate is pure: it reads strings and bytes, never files.

pub mod cve5;
pub mod detect;
pub mod diag;
pub mod epss;
pub mod kev;
pub mod model;
pub mod nvd;
pub mod osv;

pub use diag::{Diagnostic, DiagnosticKind, Parsed, ReadError};
pub use model::{
    Affected, AffectedRange, PackageId, Reference, Severity, SeverityKind, SourceFormat, VulnRecord,
};
