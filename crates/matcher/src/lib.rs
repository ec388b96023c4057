//! The matching engine: devices and SBOM components ([`Target`]s) against
//! vulnerability records (OSV, CVE JSON 5, NVD, read by `medvigil-vulndb`)
//! and CSAF 2.0 advisories (`medvigil-csaf`), producing [`Finding`]s with
//! evidence and a [`Confidence`].
//!
//! - [`Catalog`]: every affected entry of the records and advisories, with
//!   interned strings and indexes by normalised identity key (purl
//!   type/namespace/name, CPE vendor:product, model number, canonical
//!   vendor + normalised product name).
//! - [`Matcher`]: an index of the targets; [`Matcher::match_all`] matches a
//!   whole catalog, [`Matcher::match_advisory`] / [`Matcher::match_record`]
//!   one new source through the same index without re-matching the rest.
//! - [`range_text`]: the free-text version ranges of CISA advisories
//!   (`<= 3.1`, `3.6 and prior`, `vers:all/*`), read conservatively.
//! - [`vex`]: VEX assertions that turn findings into not-affected, fixed….
//!
//! Pure: no I/O.
//!
//! ```
//! use std::sync::Arc;
//! use medvigil_ident::VendorAliases;
//! use medvigil_match::{Catalog, Matcher, Status, Target};
//!
//! let aliases = Arc::new(VendorAliases::builtin().unwrap());
//! let mut matcher = Matcher::new(aliases.clone());
//! matcher.insert(Target::new("pump-17").vendor("CareFusion").product("Alaris PC Unit").version("9.19"));
//! let mut catalog = Catalog::new(aliases);
//! catalog.add_affected_product("CVE-2020-0001", "ADV-1", "BD", "Alaris PC Unit", "<= 9.33.1", Status::Affected);
//! let findings = matcher.match_all(&catalog);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(&*findings[0].target, "pump-17");
//! ```

#![warn(missing_docs)]

mod catalog;
mod finding;
mod intern;
mod keys;
mod matcher;
pub mod range_text;
#[cfg(feature = "synth")]
pub mod synth;
mod target;
pub mod vex;

pub use catalog::{Catalog, CatalogDiagnostic};
pub use finding::{
    Confidence, Evidence, Finding, FindingKey, MatchKind, Remediation, RemediationCategory, Source,
    SourceKind, Status, VersionEvidence, VexEvidence, prefer_identifiers,
};
pub use matcher::Matcher;
pub use target::Target;
pub use vex::{VexAssertion, VexProduct};
