//! Findings: a target, a vulnerability, what the source says about it, how
//! sure the match is, and why.

use std::fmt;
use std::sync::Arc;

use medvigil_vulndb::SourceFormat;

/// What a finding says about the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Status {
    /// Affected (CSAF `known_affected`, `first_affected`, `last_affected`;
    /// any record range or listed version).
    Affected,
    /// Not affected (CSAF `known_not_affected`, VEX `not_affected`).
    NotAffected,
    /// Fixed (CSAF `fixed`, `first_fixed`, `recommended`; VEX `fixed`).
    Fixed,
    /// Under investigation (CSAF `under_investigation`).
    UnderInvestigation,
}

impl Status {
    /// The status in snake case, as VEX and CSAF spell its kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Affected => "affected",
            Status::NotAffected => "not_affected",
            Status::Fixed => "fixed",
            Status::UnderInvestigation => "under_investigation",
        }
    }
}

/// Which identity of the target matched the source's product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum MatchKind {
    /// Package URL type, namespace and name.
    Purl,
    /// CPE vendor and product, other attributes compared per NISTIR 7696.
    Cpe,
    /// A model number (CSAF `model_numbers`).
    ModelNumber,
    /// A SKU (CSAF `skus`) or the target's UDI-DI.
    Sku,
    /// Canonical vendor and normalised product name.
    VendorProduct,
}

impl MatchKind {
    /// The confidence this identity gives before the version is considered.
    pub fn base_confidence(self) -> Confidence {
        Confidence(match self {
            MatchKind::Purl => 100,
            MatchKind::Cpe => 95,
            MatchKind::ModelNumber | MatchKind::Sku => 85,
            MatchKind::VendorProduct => 70,
        })
    }

    /// Whether the identity is an exact identifier (not a name).
    pub fn is_identifier(self) -> bool {
        !matches!(self, MatchKind::VendorProduct)
    }

    fn as_str(self) -> &'static str {
        match self {
            MatchKind::Purl => "purl",
            MatchKind::Cpe => "cpe",
            MatchKind::ModelNumber => "model number",
            MatchKind::Sku => "sku",
            MatchKind::VendorProduct => "vendor+product",
        }
    }
}

/// How sure a finding is, 0–100.
///
/// The identity sets the start: purl 100, CPE 95, model number or SKU 85,
/// canonical vendor + exact normalised product name 70 (65 when the vendor
/// was found through an alias — a merger or rename). The version evidence
/// then subtracts: in a parsed range or equal to a listed version 0, "all
/// versions" 5, the target's version unknown 30, the source's range not
/// understood (or no version information) 35. Substring or fuzzy name
/// matches are never made, so there is no score for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Confidence(pub u8);

impl Confidence {
    pub(crate) fn minus(self, n: u8) -> Confidence {
        Confidence(self.0.saturating_sub(n))
    }
}

/// Where a finding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SourceKind {
    /// A vulnerability record (OSV, CVE 5, NVD).
    Record(SourceFormat),
    /// A CSAF advisory.
    Csaf,
}

/// The source of a finding: a record id or an advisory's tracking id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Source {
    /// What kind of source.
    pub kind: SourceKind,
    /// The record id (`GO-2020-0001`) or `document.tracking.id`.
    pub id: Arc<str>,
}

/// Why the target's version is (or may be) affected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VersionEvidence {
    /// The version lies in the range (given as a `vers` string).
    InRange {
        /// The target's version.
        version: Arc<str>,
        /// The range.
        range: Arc<str>,
    },
    /// The version equals one the source lists (OSV `versions`, a CSAF
    /// `product_version` written the same way).
    Listed {
        /// The target's version.
        version: Arc<str>,
    },
    /// The source says every version.
    AllVersions,
    /// The target's version is unknown; the range it would be checked
    /// against.
    TargetVersionUnknown {
        /// The range (`vers` string or the source's text).
        range: Arc<str>,
    },
    /// The target's version cannot be read in the range's scheme.
    TargetVersionUnreadable {
        /// The target's version.
        version: Arc<str>,
        /// The range.
        range: Arc<str>,
    },
    /// The source's range text was not understood; kept as written.
    RangeUnparsed {
        /// The range text.
        text: Arc<str>,
    },
    /// The source gives no version information for the product.
    NoVersionInformation,
}

/// A VEX statement applied to a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VexEvidence {
    /// The status the finding had before.
    pub previous: Status,
    /// The VEX justification (`component_not_present`, …).
    pub justification: Option<Arc<str>>,
    /// The VEX impact or action statement.
    pub statement: Option<Arc<str>>,
}

/// Which identifier matched which product entry, and why the version is in.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Evidence {
    /// The kind of identity that matched.
    pub matched_on: MatchKind,
    /// The matching identity in key form (`p:golang/github.com/x/y`,
    /// `n:bd|alaris pc unit`…), the same on both sides.
    pub key: Arc<str>,
    /// The source's product as it wrote it (CSAF full product name, a
    /// package, a CPE).
    pub product: Arc<str>,
    /// The CSAF `product_id`, for advisories.
    pub product_id: Option<Arc<str>>,
    /// Whether the vendor matched through the alias table.
    pub vendor_alias: bool,
    /// The version reasoning.
    pub version: VersionEvidence,
    /// A VEX statement that changed the status, if any.
    pub vex: Option<VexEvidence>,
}

/// The category of a remediation (CSAF 3.2.3.12.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RemediationCategory {
    /// `vendor_fix`
    VendorFix,
    /// `workaround`
    Workaround,
    /// `mitigation`
    Mitigation,
    /// `none_available`
    NoneAvailable,
    /// `no_fix_planned`
    NoFixPlanned,
    /// A fixed version from a record (OSV `fixed` event).
    FixedVersion,
    /// Something else.
    Other,
}

impl RemediationCategory {
    /// The category as CSAF spells it (`fixed_version` for record fixes).
    pub fn as_str(self) -> &'static str {
        match self {
            RemediationCategory::VendorFix => "vendor_fix",
            RemediationCategory::Workaround => "workaround",
            RemediationCategory::Mitigation => "mitigation",
            RemediationCategory::NoneAvailable => "none_available",
            RemediationCategory::NoFixPlanned => "no_fix_planned",
            RemediationCategory::FixedVersion => "fixed_version",
            RemediationCategory::Other => "other",
        }
    }
}

/// A remediation for the product.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Remediation {
    /// Its category.
    pub category: RemediationCategory,
    /// Details as written.
    pub details: String,
    /// A URL, if given.
    pub url: Option<String>,
}

/// A finding.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The target's key (device id or SBOM component ref).
    pub target: Arc<str>,
    /// The vulnerability id: a CVE when the source names one, else the
    /// source's own id.
    pub vulnerability: Arc<str>,
    /// Other ids of the same vulnerability.
    pub aliases: Arc<[Arc<str>]>,
    /// Where it comes from.
    pub source: Source,
    /// What it says.
    pub status: Status,
    /// How sure the match is.
    pub confidence: Confidence,
    /// Why.
    pub evidence: Evidence,
    /// Remediations the source gives for the product.
    pub remediations: Arc<[Remediation]>,
}

/// The identity of a finding for storage: one per target, vulnerability
/// and source, so a source's findings can be removed or replaced.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FindingKey {
    /// The target's key.
    pub target: Arc<str>,
    /// The vulnerability id.
    pub vulnerability: Arc<str>,
    /// The source id (record id or advisory tracking id).
    pub source: Arc<str>,
}

impl Finding {
    /// The storage key.
    pub fn key(&self) -> FindingKey {
        FindingKey {
            target: self.target.clone(),
            vulnerability: self.vulnerability.clone(),
            source: self.source.id.clone(),
        }
    }
}

impl fmt::Display for Finding {
    /// One line: target, vulnerability, source, status, confidence,
    /// evidence (for logs and golden files).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.evidence;
        write!(
            f,
            "{} {} [{}] {} conf={} via {} {} ~ {:?}",
            self.target,
            self.vulnerability,
            self.source.id,
            self.status.as_str(),
            self.confidence.0,
            e.matched_on.as_str(),
            e.key,
            &*e.product
        )?;
        if let Some(id) = &e.product_id {
            write!(f, " ({id})")?;
        }
        if e.vendor_alias {
            f.write_str(" vendor-alias")?;
        }
        match &e.version {
            VersionEvidence::InRange { version, range } => write!(f, "; {version} in {range}")?,
            VersionEvidence::Listed { version } => write!(f, "; {version} listed")?,
            VersionEvidence::AllVersions => f.write_str("; all versions")?,
            VersionEvidence::TargetVersionUnknown { range } => {
                write!(f, "; version unknown, range {range}")?;
            }
            VersionEvidence::TargetVersionUnreadable { version, range } => {
                write!(f, "; version {version:?} unreadable for {range}")?;
            }
            VersionEvidence::RangeUnparsed { text } => {
                write!(f, "; range not understood {text:?}")?
            }
            VersionEvidence::NoVersionInformation => f.write_str("; no version information")?,
        }
        if let Some(v) = &e.vex {
            write!(f, "; vex (was {})", v.previous.as_str())?;
            if let Some(j) = &v.justification {
                write!(f, " {j}")?;
            }
        }
        let mut counts: Vec<(RemediationCategory, usize)> = Vec::new();
        for r in self.remediations.iter() {
            match counts.iter_mut().find(|(c, _)| *c == r.category) {
                Some((_, n)) => *n += 1,
                None => counts.push((r.category, 1)),
            }
        }
        if !counts.is_empty() {
            f.write_str("; remediations")?;
            for (c, n) in counts {
                write!(f, " {}:{n}", c.as_str())?;
            }
        }
        Ok(())
    }
}

/// Drops name matches (vendor + product) of a target and vulnerability
/// for which an exact identifier (purl, CPE, model number, SKU) also
/// matched, from any source: for findings gathered from several
/// [`Matcher::match_advisory`](crate::Matcher::match_advisory) calls,
/// which each see one source only ([`Matcher::match_all`](crate::Matcher::match_all)
/// already does this across its catalog).
pub fn prefer_identifiers(findings: &mut Vec<Finding>) {
    let exact: std::collections::HashSet<(Arc<str>, Arc<str>)> = findings
        .iter()
        .filter(|f| f.evidence.matched_on.is_identifier())
        .map(|f| (f.target.clone(), f.vulnerability.clone()))
        .collect();
    findings.retain(|f| {
        f.evidence.matched_on.is_identifier()
            || !exact.contains(&(f.target.clone(), f.vulnerability.clone()))
    });
}
