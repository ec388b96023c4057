//! The normalised vulnerability record every reader produces.

use medvigil_ident::{Cpe, Purl};
use medvigil_version::VersionRange;
use medvigil_version::sources::osv::OsvEvent;

/// Which format a record was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceFormat {
    /// OSV schema 1.x.
    Osv,
    /// CVE Record Format (JSON 5.x).
    Cve5,
    /// NVD CVE API 2.0.
    Nvd,
}

/// A vulnerability record from any source.
#[derive(Clone, Debug, PartialEq)]
pub struct VulnRecord {
    /// The record's own id (`GO-2020-0001`, `CVE-2025-0626`, `GHSA-…`).
    pub id: String,
    /// The format it was read from.
    pub source: SourceFormat,
    /// Other ids for the same vulnerability (OSV `aliases`; for OSV also
    /// `upstream`).
    pub aliases: Vec<String>,
    /// Ids of related but different vulnerabilities (OSV `related`).
    pub related: Vec<String>,
    /// One-line summary (OSV `summary`, CVE 5 `title`).
    pub summary: Option<String>,
    /// Full description (English where several languages are given).
    pub details: Option<String>,
    /// Publication time, as written (RFC 3339).
    pub published: Option<String>,
    /// Last modification time, as written.
    pub modified: Option<String>,
    /// Withdrawal (OSV) or rejection (CVE) time or state; `Some` means the
    /// record must not produce findings.
    pub withdrawn: Option<String>,
    /// What is affected.
    pub affected: Vec<Affected>,
    /// Severity scores of the whole record.
    pub severities: Vec<Severity>,
    /// Weaknesses, as `CWE-nnn`.
    pub cwes: Vec<String>,
    /// Links.
    pub references: Vec<Reference>,
}

impl VulnRecord {
    /// A record with its id and source format and nothing else yet.
    pub fn new(id: impl Into<String>, source: SourceFormat) -> VulnRecord {
        VulnRecord {
            id: id.into(),
            source,
            aliases: Vec::new(),
            related: Vec::new(),
            summary: None,
            details: None,
            published: None,
            modified: None,
            withdrawn: None,
            affected: Vec::new(),
            severities: Vec::new(),
            cwes: Vec::new(),
            references: Vec::new(),
        }
    }
}

/// How a product or package is identified. A source may give several
/// identities for one affected entry (OSV: ecosystem and name, and a purl).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PackageId {
    /// An OSV ecosystem and package name (`Go`, `github.com/gin-gonic/gin`).
    Ecosystem {
        /// The ecosystem as written, release suffix included (`Debian:9`).
        ecosystem: String,
        /// The package name.
        name: String,
    },
    /// A package URL.
    Purl(Purl),
    /// A CPE name (may hold wildcards and ANY).
    Cpe(Cpe),
    /// A vendor and product name as written by the CNA.
    VendorProduct {
        /// The vendor; `None` when the source says "n/a" (the product name
        /// then often carries it: "Baxter ExactaMix EM 2400").
        vendor: Option<String>,
        /// The product.
        product: String,
    },
}

/// The affected versions of one product or package.
#[derive(Clone, Debug, PartialEq)]
pub struct Affected {
    /// Identities of the product or package.
    pub identifiers: Vec<PackageId>,
    /// The versions known to be affected, one range per source range.
    pub ranges: Vec<AffectedRange>,
    /// Explicitly listed affected versions (OSV `versions`).
    pub versions: Vec<String>,
    /// Versions stated not affected (CVE 5 `unaffected`), when given.
    pub unaffected: Option<VersionRange>,
    /// Other identities that must also be present (NVD: a vulnerable
    /// application only on these platforms, from an AND configuration).
    pub platforms: Vec<Cpe>,
    /// Severities given for this entry only (OSV `affected[].severity`).
    pub severities: Vec<Severity>,
}

impl Affected {
    /// An entry with identities and nothing else yet.
    pub fn new(identifiers: Vec<PackageId>) -> Affected {
        Affected {
            identifiers,
            ranges: Vec::new(),
            versions: Vec::new(),
            unaffected: None,
            platforms: Vec::new(),
            severities: Vec::new(),
        }
    }
}

/// One affected range.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum AffectedRange {
    /// Ordered versions.
    Versions(VersionRange),
    /// An OSV `GIT` range: commit ids in a repository, which only the
    /// repository's history can order.
    Git {
        /// The repository URL.
        repo: Option<String>,
        /// The events as given.
        events: Vec<OsvEvent>,
    },
}

/// The kind of a severity score.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SeverityKind {
    /// CVSS v2 vector.
    CvssV2,
    /// CVSS v3.0 or v3.1 vector.
    CvssV3,
    /// CVSS v4.0 vector.
    CvssV4,
    /// Any other scheme (OSV `Ubuntu`, CVE 5 `other`…), by name.
    Other(String),
}

/// A severity score.
#[derive(Clone, Debug, PartialEq)]
pub struct Severity {
    /// Its kind.
    pub kind: SeverityKind,
    /// The vector string (or the score text for other kinds).
    pub vector: String,
    /// The base score, when the source states it.
    pub base_score: Option<f64>,
    /// Who scored it (`cna`, an ADP short name, an NVD source), if known.
    pub source: Option<String>,
}

/// A reference link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The URL.
    pub url: String,
    /// Its type or tags (`ADVISORY`, `FIX`, `patch`…).
    pub kinds: Vec<String>,
}

/// The severity kind of a CVSS vector, by its prefix.
pub fn cvss_kind(vector: &str) -> SeverityKind {
    if vector.starts_with("CVSS:4") {
        SeverityKind::CvssV4
    } else if vector.starts_with("CVSS:3") {
        SeverityKind::CvssV3
    } else if vector.starts_with("AV:") || vector.starts_with("(AV:") {
        SeverityKind::CvssV2
    } else {
        SeverityKind::Other("unknown".into())
    }
}
