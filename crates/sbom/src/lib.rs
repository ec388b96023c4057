//! SBOM and VEX readers: CycloneDX 1.4–1.6 (JSON and XML; older and 1.7
//! files read leniently), SPDX 2.2/2.3 (JSON and tag-value), OpenVEX and
//! CSAF 2.0 VEX, into one component model ([`Sbom`]) and one VEX statement
//! model ([`Vex`]).
//!
//! [`read`] detects the format from the content. Reading is lenient: rule
//! violations that leave the document usable come back as
//! [`Diagnostic`]s beside the value; [`read_with`] and
//! [`ReadOptions::strict`] turn them into errors (that is how the
//! CycloneDX spec's `invalid-*` tests are rejected).
//!
//! ```
//! let bytes = br#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
//!   "components":[{"type":"library","name":"zlib","version":"1.3",
//!   "purl":"pkg:generic/zlib@1.3"}]}"#;
//! let parsed = medvigil_sbom::read("bom.json", bytes)?;
//! let sbom = parsed.value.sbom.as_ref().unwrap();
//! assert_eq!(sbom.components[0].name, "zlib");
//! assert!(parsed.diagnostics.is_empty());
//! # Ok::<(), medvigil_sbom::ReadError>(())
//! ```
//!
//! The crate is pure: no I/O.

#![warn(missing_docs)]

mod cyclonedx;
mod detect;
mod error;
mod model;
mod path;
pub mod render;
mod spdx;
pub mod vex;

pub use error::{Diagnostic, Location, Parsed, ReadError, Violation};
pub use model::{Component, ComponentType, Edge, Format, Hash, Identifier, Relationship, Sbom};
pub use vex::{Justification, ProductRef, Vex, VexStatement, VexStatus, VulnerabilityRef};

/// What a document held: components, VEX statements, or both (a CycloneDX
/// BOM with `vulnerabilities`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Document {
    /// The format read.
    pub format: Format,
    /// Components (CycloneDX, SPDX).
    pub sbom: Option<Sbom>,
    /// VEX statements (OpenVEX, CSAF VEX, CycloneDX `vulnerabilities`).
    pub vex: Option<Vex>,
}

/// How to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Reject the document at its first rule violation instead of
    /// returning diagnostics.
    pub strict: bool,
}

impl ReadOptions {
    /// Options that reject any rule violation.
    pub fn strict() -> Self {
        ReadOptions { strict: true }
    }
}

/// Reads an SBOM or VEX document, detecting its format from the content;
/// `source` names it in errors and diagnostics.
///
/// # Errors
/// When the bytes are not UTF-8, not a known format, not well-formed, or
/// break a rule without which nothing can be read (a wrong `bomFormat`, an
/// unknown CycloneDX namespace or spec version).
pub fn read(source: &str, bytes: &[u8]) -> Result<Parsed<Document>, ReadError> {
    read_with(source, bytes, ReadOptions::default())
}

/// [`read`] with options.
///
/// # Errors
/// As [`read`]; in strict mode also the first rule violation.
pub fn read_with(
    source: &str,
    bytes: &[u8],
    options: ReadOptions,
) -> Result<Parsed<Document>, ReadError> {
    detect::read(source, bytes, options.strict)
}
