//! One VEX statement model for OpenVEX, CycloneDX VEX/VDR and CSAF VEX.

use std::fmt;

use medvigil_ident::{Cpe, Purl};

use crate::model::{Identifier, Sbom};

pub(crate) mod csaf;
pub(crate) mod openvex;

/// The statements of one VEX document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Vex {
    /// Document id (OpenVEX `@id`, CSAF `tracking.id`, CycloneDX serial).
    pub id: Option<String>,
    /// Author / publisher.
    pub author: Option<String>,
    /// Document time as written.
    pub timestamp: Option<String>,
    /// The statements, in document order.
    pub statements: Vec<VexStatement>,
}

/// What one statement says about one vulnerability in some products.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VexStatement {
    /// The vulnerability.
    pub vulnerability: VulnerabilityRef,
    /// The products (or components) the statement is about.
    pub products: Vec<ProductRef>,
    /// The status.
    pub status: VexStatus,
    /// Why not affected, in the CISA/OpenVEX/CSAF vocabulary.
    pub justification: Option<Justification>,
    /// The justification as written when it was mapped from another
    /// vocabulary (CycloneDX `analysis.justification`) or not understood.
    pub justification_raw: Option<String>,
    /// Impact statement (OpenVEX `impact_statement`, CSAF impact threat,
    /// CycloneDX `analysis.detail` for not-affected).
    pub impact_statement: Option<String>,
    /// Action statement (OpenVEX `action_statement`, CSAF remediation
    /// details, CycloneDX `analysis.detail` for affected).
    pub action_statement: Option<String>,
    /// CycloneDX `analysis.response` / CSAF remediation categories.
    pub responses: Vec<String>,
    /// Statement or document time as written.
    pub timestamp: Option<String>,
}

/// A vulnerability id with its aliases.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct VulnerabilityRef {
    /// Main id (`CVE-2023-1234`, `GHSA-…`).
    pub id: String,
    /// Other ids of the same vulnerability.
    pub aliases: Vec<String>,
}

/// A product or component a statement names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ProductRef {
    /// Package URL.
    pub purl: Option<Identifier<Purl>>,
    /// CPE name.
    pub cpe: Option<Identifier<Cpe>>,
    /// CycloneDX `bom-ref` / BOM-Link, or OpenVEX `@id` that is neither purl nor CPE.
    pub bom_ref: Option<String>,
    /// CSAF product id.
    pub product_id: Option<String>,
    /// Name (CSAF full product name, component name).
    pub name: Option<String>,
    /// Version of the resolved component.
    pub version: Option<String>,
    /// CycloneDX `affects[].versions[]`: version or range with its status.
    pub versions: Vec<(String, String)>,
    /// OpenVEX subcomponents.
    pub subcomponents: Vec<ProductRef>,
    /// Index in the same document's [`crate::Sbom::components`] when the
    /// reference resolved inside the document.
    pub component: Option<usize>,
}

/// The four VEX statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VexStatus {
    /// `not_affected`.
    NotAffected,
    /// `affected`.
    Affected,
    /// `fixed`.
    Fixed,
    /// `under_investigation`.
    UnderInvestigation,
}

impl VexStatus {
    /// The OpenVEX spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotAffected => "not_affected",
            Self::Affected => "affected",
            Self::Fixed => "fixed",
            Self::UnderInvestigation => "under_investigation",
        }
    }

    /// From the OpenVEX spelling.
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s {
            "not_affected" => Self::NotAffected,
            "affected" => Self::Affected,
            "fixed" => Self::Fixed,
            "under_investigation" => Self::UnderInvestigation,
            _ => return None,
        })
    }
}

impl fmt::Display for VexStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a product is not affected (CISA minimum requirements; OpenVEX
/// justifications; CSAF flag labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Justification {
    /// `component_not_present`.
    ComponentNotPresent,
    /// `vulnerable_code_not_present`.
    VulnerableCodeNotPresent,
    /// `vulnerable_code_not_in_execute_path`.
    VulnerableCodeNotInExecutePath,
    /// `vulnerable_code_cannot_be_controlled_by_adversary`.
    VulnerableCodeCannotBeControlledByAdversary,
    /// `inline_mitigations_already_exist`.
    InlineMitigationsAlreadyExist,
}

impl Justification {
    /// The OpenVEX / CSAF spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ComponentNotPresent => "component_not_present",
            Self::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Self::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Self::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Self::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }

    /// From the OpenVEX / CSAF spelling.
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s {
            "component_not_present" => Self::ComponentNotPresent,
            "vulnerable_code_not_present" => Self::VulnerableCodeNotPresent,
            "vulnerable_code_not_in_execute_path" => Self::VulnerableCodeNotInExecutePath,
            "vulnerable_code_cannot_be_controlled_by_adversary" => {
                Self::VulnerableCodeCannotBeControlledByAdversary
            }
            "inline_mitigations_already_exist" => Self::InlineMitigationsAlreadyExist,
            _ => return None,
        })
    }

    /// From a CycloneDX `analysis.justification`, by the mapping in the
    /// CycloneDX guide to VEX (CISA "minimum requirements" table).
    pub fn from_cyclonedx(s: &str) -> Option<Self> {
        Some(match s {
            "code_not_present" => Self::VulnerableCodeNotPresent,
            "code_not_reachable" => Self::VulnerableCodeNotInExecutePath,
            "requires_configuration" | "requires_environment" => {
                Self::VulnerableCodeCannotBeControlledByAdversary
            }
            "requires_dependency" => Self::ComponentNotPresent,
            "protected_by_compiler"
            | "protected_at_runtime"
            | "protected_at_perimeter"
            | "protected_by_mitigating_control" => Self::InlineMitigationsAlreadyExist,
            _ => return None,
        })
    }
}

impl fmt::Display for Justification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A product reference from an identifier string that may be a purl, a
/// CPE or anything else (kept as a reference).
pub(crate) fn product_from_id(id: &str) -> ProductRef {
    let mut p = ProductRef::default();
    if id.starts_with("pkg:") {
        p.purl = Some(Identifier::purl(id));
    } else if id.starts_with("cpe:") {
        p.cpe = Some(Identifier::cpe(id));
    } else {
        p.bom_ref = Some(id.to_owned());
    }
    p
}

/// A CycloneDX BOM-Link (`urn:cdx:<serial>/<version>#<bom-ref>`, CycloneDX
/// 1.5 "BOM-Link"): serial UUID, BOM version, the referenced `bom-ref`
/// (percent-decoded; empty when the link names the whole BOM).
pub(crate) fn bom_link(r: &str) -> Option<(&str, Option<u64>, String)> {
    let link = r.strip_prefix("urn:cdx:")?;
    let (doc, frag) = link.split_once('#').unwrap_or((link, ""));
    let (serial, version) = match doc.split_once('/') {
        Some((s, v)) => (s, v.parse().ok()),
        None => (doc, None),
    };
    Some((serial, version, percent_decode(frag)))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |x: u8| (x as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|x| hex(*x)),
                b.get(i + 2).and_then(|x| hex(*x)),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a BOM-Link's serial and version name this SBOM.
fn links_to(sbom: &Sbom, serial: &str, version: Option<u64>) -> bool {
    let ours = sbom
        .serial
        .as_deref()
        .map(|s| s.strip_prefix("urn:uuid:").unwrap_or(s));
    ours.is_some_and(|s| s.eq_ignore_ascii_case(serial))
        && (version.is_none() || sbom.version.is_none() || version == sbom.version)
}

/// Fills a product reference from the component with `bom_ref` in `sbom`
/// (a component or the metadata component); whether one was found.
pub(crate) fn fill_from_sbom(
    p: &mut ProductRef,
    sbom: &Sbom,
    bom_ref: &str,
    same_document: bool,
) -> bool {
    let found = sbom
        .components
        .iter()
        .position(|c| c.bom_ref.as_deref() == Some(bom_ref));
    let comp = match found {
        Some(i) => {
            if same_document {
                p.component = Some(i);
            }
            sbom.components.get(i)
        }
        None => sbom
            .metadata_component
            .as_ref()
            .filter(|c| c.bom_ref.as_deref() == Some(bom_ref)),
    };
    let Some(c) = comp else { return false };
    p.purl = c.purl.clone();
    p.cpe = c.cpe.clone();
    p.name = Some(c.name.clone());
    p.version = c.version.clone();
    true
}

impl Vex {
    /// Resolves the BOM-Link references of these statements that point
    /// into `sbom` (a separate BOM, as in the CISA VEX use cases where the
    /// VEX names `urn:cdx:<serial>/<version>#<bom-ref>`): purl, CPE, name
    /// and version are filled from the linked component. Returns how many
    /// product references were resolved.
    pub fn resolve_bom_links(&mut self, sbom: &Sbom) -> usize {
        let mut n = 0;
        for st in &mut self.statements {
            for p in &mut st.products {
                let Some(link) = p.bom_ref.clone() else {
                    continue;
                };
                let Some((serial, version, frag)) = bom_link(&link) else {
                    continue;
                };
                if links_to(sbom, serial, version) && fill_from_sbom(p, sbom, &frag, false) {
                    n += 1;
                }
            }
        }
        n
    }
}
