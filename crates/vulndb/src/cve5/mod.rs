//! CVE JSON 5.x records (CVE Record Format, `CVE_RECORD` data type): the CNA
//! container and the ADP containers (CISA's ADP adds CPEs, CVSS and CWEs).

mod raw;

use medvigil_ident::Cpe;
use medvigil_version::sources::cve5::{Cve5Version, Status, from_versions, is_unspecified};

use crate::diag::{Diagnostic, DiagnosticKind, Parsed, ReadError};
use crate::model::{
    Affected, AffectedRange, PackageId, Reference, Severity, SourceFormat, VulnRecord, cvss_kind,
};
use raw::{RawAffected, RawContainer, RawRecord};

/// Reads one CVE JSON 5 record.
///
/// # Errors
/// [`ReadError::Json`] when the text is not a CVE record (no
/// `cveMetadata.cveId`, not JSON); problems inside are diagnostics.
pub fn read_record(json: &str) -> Result<Parsed<VulnRecord>, ReadError> {
    let raw: RawRecord =
        serde_json::from_str(json).map_err(|e| ReadError::json("CVE JSON 5", &e))?;
    let id = raw.cve_metadata.cve_id.clone();
    let mut diagnostics = Vec::new();
    let cna = raw.containers.cna.unwrap_or_default();
    let english = |c: &RawContainer| {
        c.descriptions
            .iter()
            .find(|d| d.lang.as_deref().is_some_and(|l| l.starts_with("en")))
            .or(c.descriptions.first())
            .map(|d| d.value.clone())
    };
    let mut record = VulnRecord {
        id: id.clone(),
        source: SourceFormat::Cve5,
        aliases: Vec::new(),
        related: Vec::new(),
        summary: cna.title.clone(),
        details: english(&cna),
        published: raw.cve_metadata.date_published,
        modified: raw.cve_metadata.date_updated,
        withdrawn: match raw.cve_metadata.state.as_deref() {
            Some("REJECTED") => Some(
                raw.cve_metadata
                    .date_rejected
                    .unwrap_or_else(|| "REJECTED".into()),
            ),
            _ => None,
        },
        affected: Vec::new(),
        severities: Vec::new(),
        cwes: Vec::new(),
        references: Vec::new(),
    };
    let containers = std::iter::once(("cna".to_string(), "/containers/cna".to_string(), &cna))
        .chain(raw.containers.adp.iter().enumerate().map(|(i, c)| {
            let name = c
                .provider_metadata
                .as_ref()
                .and_then(|p| p.short_name.clone())
                .unwrap_or_else(|| format!("adp{i}"));
            (name, format!("/containers/adp/{i}"), c)
        }));
    for (source, base, c) in containers {
        for (i, a) in c.affected.iter().enumerate() {
            let path = format!("{base}/affected/{i}");
            if let Some(a) = affected(&id, &path, a, &mut diagnostics) {
                record.affected.push(a);
            }
        }
        for m in &c.metrics {
            severities(m, &source, &mut record.severities);
        }
        for p in c.problem_types.iter().flat_map(|p| &p.descriptions) {
            let cwe = p.cwe_id.clone().or_else(|| {
                p.description
                    .as_deref()
                    .and_then(|d| d.split_whitespace().next())
                    .filter(|w| w.starts_with("CWE-"))
                    .map(|w| w.trim_end_matches(':').to_string())
            });
            if let Some(cwe) = cwe
                && !record.cwes.contains(&cwe)
            {
                record.cwes.push(cwe);
            }
        }
        for r in &c.references {
            if !record.references.iter().any(|x| x.url == r.url) {
                record.references.push(Reference {
                    url: r.url.clone(),
                    kinds: r.tags.clone(),
                });
            }
        }
    }
    Ok(Parsed {
        value: record,
        diagnostics,
    })
}

/// The CVSS objects of one `metrics[]` entry (`cvssV4_0`, `cvssV3_1`,
/// `cvssV3_0`, `cvssV2_0`).
fn severities(m: &serde_json::Value, source: &str, out: &mut Vec<Severity>) {
    for key in ["cvssV4_0", "cvssV3_1", "cvssV3_0", "cvssV2_0"] {
        let Some(c) = m.get(key) else { continue };
        let Some(vector) = c.get("vectorString").and_then(|v| v.as_str()) else {
            continue;
        };
        out.push(Severity {
            kind: cvss_kind(vector),
            vector: vector.into(),
            base_score: c.get("baseScore").and_then(serde_json::Value::as_f64),
            source: Some(source.into()),
        });
    }
}

fn status(s: &str) -> Option<Status> {
    Status::parse(s)
}

fn affected(
    id: &str,
    path: &str,
    a: &RawAffected,
    diags: &mut Vec<Diagnostic>,
) -> Option<Affected> {
    let mut report = |p: String, kind| {
        diags.push(Diagnostic {
            record: id.into(),
            path: p,
            kind,
        })
    };
    let mut identifiers = Vec::new();
    // Legacy records (CVE 4 conversions) write "n/a" for unknown names.
    let known = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|v| !is_unspecified(v))
            .map(String::from)
    };
    let vendor = known(&a.vendor);
    let product = known(&a.product).or_else(|| known(&a.package_name));
    if let (Some(coll), Some(p)) = (known(&a.collection_url), &product) {
        identifiers.push(PackageId::Ecosystem {
            ecosystem: coll,
            name: p.clone(),
        });
    } else if let Some(p) = product {
        identifiers.push(PackageId::VendorProduct { vendor, product: p });
    }
    for (j, c) in a.cpes.iter().enumerate() {
        match Cpe::parse(c) {
            Ok(cpe) => identifiers.push(PackageId::Cpe(cpe)),
            Err(error) => report(format!("{path}/cpes/{j}"), DiagnosticKind::BadCpe { error }),
        }
    }
    if identifiers.is_empty() {
        report(
            path.into(),
            DiagnosticKind::MissingField {
                field: "vendor/product",
            },
        );
        return None;
    }
    let mut entries = Vec::with_capacity(a.versions.len());
    for (j, v) in a.versions.iter().enumerate() {
        let Some(st) = status(&v.status) else {
            report(
                format!("{path}/versions/{j}/status"),
                DiagnosticKind::BadValue {
                    field: "status",
                    value: v.status.clone(),
                },
            );
            continue;
        };
        let changes = v
            .changes
            .iter()
            .filter_map(|c| status(&c.status).map(|s| (c.at.as_str(), s)))
            .collect();
        entries.push(Cve5Version {
            version: &v.version,
            status: st,
            version_type: v.version_type.as_deref(),
            less_than: v.less_than.as_deref(),
            less_than_or_equal: v.less_than_or_equal.as_deref(),
            changes,
        });
    }
    let default = a.default_status.as_deref().and_then(status);
    let mut out = Affected::new(identifiers);
    // Without versions, only the default status speaks (CVE 5 schema).
    match from_versions(default, &entries) {
        Ok((ranges, notes)) => {
            for note in notes {
                report(
                    format!("{path}/versions"),
                    DiagnosticKind::VersionNote { note },
                );
            }
            if !ranges.affected.is_empty() {
                out.ranges.push(AffectedRange::Versions(ranges.affected));
            }
            if !ranges.unaffected.is_empty() {
                out.unaffected = Some(ranges.unaffected);
            }
        }
        Err(error) => report(
            format!("{path}/versions"),
            DiagnosticKind::BadRange { error },
        ),
    }
    Some(out)
}
