//! The CSAF 2.0 document model (OASIS CSAF v2.0, section 3), with serde.
//!
//! Lenient by design: unknown properties are ignored, values outside a
//! vocabulary are kept as `Unknown`, missing required properties take a
//! default. What the spec would reject is reported by the validator
//! ([`crate::validate`]), so real documents are never refused for it.

mod document;
mod enums;
mod product_tree;
mod vulnerability;

pub use document::{
    Acknowledgment, AggregateSeverity, Distribution, DocumentMeta, Engine, Generator, Note,
    Publisher, Reference, Revision, Tlp, Tracking,
};
pub use enums::{
    BranchCategory, FlagLabel, InvolvementParty, InvolvementStatus, NoteCategory,
    PublisherCategory, ReferenceCategory, RelationshipCategory, RemediationCategory,
    RestartCategory, ThreatCategory, TlpLabel, TrackingStatus,
};
pub use product_tree::{
    Branch, FileHash, FileHashes, FullProductName, GenericUri, ProductGroup,
    ProductIdentificationHelper, ProductTree, Relationship,
};
pub use vulnerability::{
    Cwe, Flag, Involvement, JsonObject, ProductStatus, Remediation, RestartRequired, Score, Threat,
    Vulnerability, VulnerabilityId,
};

use serde::{Deserialize, Serialize};

/// A whole CSAF 2.0 document (spec 3.2: `document`, `product_tree`, `vulnerabilities`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CsafDocument {
    /// Document-level metadata.
    #[serde(default)]
    pub document: DocumentMeta,
    /// Products the document talks about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_tree: Option<ProductTree>,
    /// The vulnerabilities and what they mean for each product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<Vec<Vulnerability>>,
}
