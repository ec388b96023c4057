//! NVD CVE API 2.0 responses (`/rest/json/cves/2.0`): descriptions, CVSS
//! metrics, weaknesses, and `configurations` turned into CPE matches with
//! version ranges.

use medvigil_ident::Cpe;
use medvigil_ident::cpe::{Attribute, Value};
use medvigil_version::sources::nvd::{CpeMatchBounds, from_bounds};
use medvigil_version::{Scheme, Version, VersionRange};
use serde::Deserialize;

use crate::diag::{Diagnostic, DiagnosticKind, Parsed, ReadError};
use crate::model::{
    Affected, AffectedRange, PackageId, Reference, Severity, SourceFormat, VulnRecord, cvss_kind,
};

#[derive(Deserialize)]
struct RawResponse {
    #[serde(default)]
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct RawItem {
    cve: RawCve,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCve {
    id: String,
    published: Option<String>,
    last_modified: Option<String>,
    vuln_status: Option<String>,
    #[serde(default)]
    descriptions: Vec<RawText>,
    #[serde(default)]
    metrics: std::collections::BTreeMap<String, Vec<RawMetric>>,
    #[serde(default)]
    weaknesses: Vec<RawWeakness>,
    #[serde(default)]
    configurations: Vec<RawConfiguration>,
    #[serde(default)]
    references: Vec<RawReference>,
}

#[derive(Deserialize)]
struct RawText {
    lang: String,
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMetric {
    source: Option<String>,
    cvss_data: RawCvssData,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCvssData {
    vector_string: String,
    base_score: Option<f64>,
}

#[derive(Deserialize)]
struct RawWeakness {
    #[serde(default)]
    description: Vec<RawText>,
}

#[derive(Deserialize)]
struct RawConfiguration {
    operator: Option<String>,
    #[serde(default)]
    nodes: Vec<RawNode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawNode {
    #[serde(default)]
    negate: bool,
    #[serde(default)]
    cpe_match: Vec<RawCpeMatch>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCpeMatch {
    vulnerable: bool,
    criteria: String,
    version_start_including: Option<String>,
    version_start_excluding: Option<String>,
    version_end_including: Option<String>,
    version_end_excluding: Option<String>,
}

#[derive(Deserialize)]
struct RawReference {
    url: String,
    #[serde(default)]
    tags: Vec<String>,
}

/// Reads an NVD CVE API 2.0 response; a `vulnerabilities[]` item that does
/// not have the API's shape is skipped with a diagnostic.
///
/// # Errors
/// [`ReadError::Json`] when the text is not such a response.
pub fn read_response(json: &str) -> Result<Parsed<Vec<VulnRecord>>, ReadError> {
    let raw: RawResponse =
        serde_json::from_str(json).map_err(|e| ReadError::json("NVD API 2.0", &e))?;
    let mut diagnostics = Vec::new();
    let mut value = Vec::with_capacity(raw.vulnerabilities.len());
    for (i, item) in raw.vulnerabilities.into_iter().enumerate() {
        match serde_json::from_value::<RawItem>(item) {
            Ok(it) => value.push(convert(it.cve, i, &mut diagnostics)),
            Err(e) => diagnostics.push(Diagnostic {
                record: format!("#{i}"),
                path: format!("/vulnerabilities/{i}"),
                kind: DiagnosticKind::BadRecord {
                    error: e.to_string(),
                },
            }),
        }
    }
    Ok(Parsed { value, diagnostics })
}

/// The versions a CPE match covers: its bounds when given, else the
/// version attribute of its criteria (ANY, NA or a wildcard pattern: all).
fn match_range(cpe: &Cpe, m: &RawCpeMatch) -> Result<VersionRange, medvigil_version::RangeError> {
    let bounds = CpeMatchBounds {
        start_including: m.version_start_including.as_deref(),
        start_excluding: m.version_start_excluding.as_deref(),
        end_including: m.version_end_including.as_deref(),
        end_excluding: m.version_end_excluding.as_deref(),
    };
    if bounds.is_bounded() {
        return from_bounds(Scheme::Generic, &bounds);
    }
    match cpe.get(Attribute::Version) {
        Value::Str(s) if !s.has_wildcards() => Ok(VersionRange::point(Version::parse(
            Scheme::Generic,
            &s.unquoted(),
        )?)),
        _ => Ok(VersionRange::all(Scheme::Generic)),
    }
}

fn convert(c: RawCve, i: usize, diags: &mut Vec<Diagnostic>) -> VulnRecord {
    let mut report = |path: String, kind| {
        diags.push(Diagnostic {
            record: c.id.clone(),
            path,
            kind,
        })
    };
    let mut affected = Vec::new();
    for (ci, conf) in c.configurations.iter().enumerate() {
        // In an AND configuration the non-vulnerable matches are the
        // platform the vulnerable ones must run on.
        let and = conf.operator.as_deref() == Some("AND");
        let mut platforms = Vec::new();
        let mut vulnerable = Vec::new();
        for (ni, node) in conf.nodes.iter().enumerate() {
            for (mi, m) in node.cpe_match.iter().enumerate() {
                let path = format!(
                    "/vulnerabilities/{i}/cve/configurations/{ci}/nodes/{ni}/cpeMatch/{mi}"
                );
                let cpe = match Cpe::parse(&m.criteria) {
                    Ok(c) => c,
                    Err(error) => {
                        report(path, DiagnosticKind::BadCpe { error });
                        continue;
                    }
                };
                if m.vulnerable && !node.negate {
                    vulnerable.push((cpe, m, path));
                } else if and && !node.negate {
                    platforms.push(cpe);
                }
            }
        }
        for (cpe, m, path) in vulnerable {
            let range = match match_range(&cpe, m) {
                Ok(r) => r,
                Err(error) => {
                    report(path, DiagnosticKind::BadRange { error });
                    continue;
                }
            };
            let mut a = Affected::new(vec![PackageId::Cpe(cpe)]);
            a.ranges.push(AffectedRange::Versions(range));
            a.platforms = platforms.clone();
            affected.push(a);
        }
    }
    let mut severities = Vec::new();
    for metrics in c.metrics.values() {
        for m in metrics {
            severities.push(Severity {
                kind: cvss_kind(&m.cvss_data.vector_string),
                vector: m.cvss_data.vector_string.clone(),
                base_score: m.cvss_data.base_score,
                source: m.source.clone(),
            });
        }
    }
    let mut cwes = Vec::new();
    for d in c.weaknesses.iter().flat_map(|w| &w.description) {
        if d.value.starts_with("CWE-") && !cwes.contains(&d.value) {
            cwes.push(d.value.clone());
        }
    }
    VulnRecord {
        source: SourceFormat::Nvd,
        aliases: Vec::new(),
        related: Vec::new(),
        summary: None,
        details: c
            .descriptions
            .iter()
            .find(|d| d.lang == "en")
            .or(c.descriptions.first())
            .map(|d| d.value.clone()),
        published: c.published,
        modified: c.last_modified,
        withdrawn: c.vuln_status.filter(|s| s == "Rejected"),
        affected,
        severities,
        cwes,
        references: c
            .references
            .into_iter()
            .map(|r| Reference {
                url: r.url,
                kinds: r.tags,
            })
            .collect(),
        id: c.id,
    }
}
