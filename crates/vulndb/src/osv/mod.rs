//! OSV records (OSV schema 1.x, <https://ossf.github.io/osv-schema/>):
//! all range types, ecosystems mapped to version schemes.

mod raw;

use medvigil_ident::Purl;
use medvigil_version::sources::osv::{OsvEvent, from_events};
use medvigil_version::{RangeError, Scheme, VersionError};

use crate::diag::{Diagnostic, DiagnosticKind, Parsed, ReadError};
use crate::model::{
    Affected, AffectedRange, PackageId, Reference, Severity, SeverityKind, SourceFormat,
    VulnRecord, cvss_kind,
};
use raw::{RawAffected, RawOsv, RawRange, RawSeverity};

/// Reads one OSV record.
///
/// # Errors
/// [`ReadError::Json`] when the text is not an OSV record (no `id`, not
/// JSON); problems inside the record are diagnostics.
pub fn read_record(json: &str) -> Result<Parsed<VulnRecord>, ReadError> {
    let raw: RawOsv = serde_json::from_str(json).map_err(|e| ReadError::json("OSV", &e))?;
    let mut diagnostics = Vec::new();
    let value = convert(raw, &mut diagnostics);
    Ok(Parsed { value, diagnostics })
}

/// Reads a JSON array of OSV records (or a single one); a record that does
/// not have the OSV shape is skipped with a diagnostic.
///
/// # Errors
/// [`ReadError::Json`] when the text is not JSON.
pub fn read_records(json: &str) -> Result<Parsed<Vec<VulnRecord>>, ReadError> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| ReadError::json("OSV", &e))?;
    let items = match v {
        serde_json::Value::Array(a) => a,
        other => vec![other],
    };
    let mut diagnostics = Vec::new();
    let mut value = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<RawOsv>(item) {
            Ok(raw) => value.push(convert(raw, &mut diagnostics)),
            Err(e) => diagnostics.push(Diagnostic {
                record: format!("#{i}"),
                path: String::new(),
                kind: DiagnosticKind::BadRecord {
                    error: e.to_string(),
                },
            }),
        }
    }
    Ok(Parsed { value, diagnostics })
}

fn severity(s: RawSeverity) -> Severity {
    let kind = match s.ty.as_str() {
        "CVSS_V2" => SeverityKind::CvssV2,
        "CVSS_V3" => SeverityKind::CvssV3,
        "CVSS_V4" => SeverityKind::CvssV4,
        _ if s.score.starts_with("CVSS:") => cvss_kind(&s.score),
        other => SeverityKind::Other(other.into()),
    };
    Severity {
        kind,
        vector: s.score,
        base_score: None,
        source: None,
    }
}

fn convert(raw: RawOsv, diags: &mut Vec<Diagnostic>) -> VulnRecord {
    let id = raw.id;
    let mut aliases = raw.aliases;
    aliases.extend(raw.upstream.into_iter().filter(|u| *u != id));
    let cwes = raw
        .database_specific
        .as_ref()
        .and_then(|d| d.get("cwe_ids"))
        .and_then(|c| c.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let affected = raw
        .affected
        .into_iter()
        .enumerate()
        .map(|(i, a)| affected(&id, i, a, diags))
        .collect();
    VulnRecord {
        source: SourceFormat::Osv,
        aliases,
        related: raw.related,
        summary: raw.summary,
        details: raw.details,
        published: raw.published,
        modified: raw.modified,
        withdrawn: raw.withdrawn,
        affected,
        severities: raw.severity.into_iter().map(severity).collect(),
        cwes,
        references: raw
            .references
            .into_iter()
            .map(|r| Reference {
                url: r.url,
                kinds: r.ty.into_iter().collect(),
            })
            .collect(),
        id,
    }
}

fn affected(id: &str, i: usize, a: RawAffected, diags: &mut Vec<Diagnostic>) -> Affected {
    let mut identifiers = Vec::new();
    let mut ecosystem = None;
    let diag = |path: String, kind| Diagnostic {
        record: id.into(),
        path,
        kind,
    };
    if let Some(p) = a.package {
        if let (Some(e), Some(n)) = (p.ecosystem, p.name) {
            ecosystem = Some(e.clone());
            identifiers.push(PackageId::Ecosystem {
                ecosystem: e,
                name: n,
            });
        }
        if let Some(s) = p.purl {
            match Purl::parse(&s) {
                Ok(purl) => identifiers.push(PackageId::Purl(purl)),
                Err(error) => diags.push(diag(
                    format!("/affected/{i}/package/purl"),
                    DiagnosticKind::BadPurl { error },
                )),
            }
        }
    }
    if identifiers.is_empty() {
        diags.push(diag(
            format!("/affected/{i}/package"),
            DiagnosticKind::MissingField { field: "package" },
        ));
    }
    let mut out = Affected::new(identifiers);
    out.versions = a.versions;
    out.severities = a.severity.into_iter().map(severity).collect();
    for (j, r) in a.ranges.into_iter().enumerate() {
        let path = format!("/affected/{i}/ranges/{j}");
        match range(ecosystem.as_deref(), r, &path, &mut |p, k| {
            diags.push(diag(p, k))
        }) {
            Some(r) => out.ranges.push(r),
            None => continue,
        }
    }
    out
}

/// Converts one range; the scheme is the ecosystem's for `ECOSYSTEM` ranges
/// and for `SEMVER` ranges of semver ecosystems (Go versions come without
/// their `v`), plain SemVer otherwise.
fn range(
    ecosystem: Option<&str>,
    r: RawRange,
    path: &str,
    report: &mut dyn FnMut(String, DiagnosticKind),
) -> Option<AffectedRange> {
    let mut events = Vec::with_capacity(r.events.len());
    for (k, e) in r.events.into_iter().enumerate() {
        for (key, v) in e {
            events.push(match key.as_str() {
                "introduced" => OsvEvent::Introduced(v),
                "fixed" => OsvEvent::Fixed(v),
                "last_affected" => OsvEvent::LastAffected(v),
                "limit" => OsvEvent::Limit(v),
                _ => {
                    report(
                        format!("{path}/events/{k}"),
                        DiagnosticKind::UnknownEvent { value: key },
                    );
                    continue;
                }
            });
        }
    }
    let eco_scheme = ecosystem.map_or(Scheme::Generic, Scheme::from_osv_ecosystem);
    let scheme = match r.ty.as_str() {
        "GIT" => {
            return Some(AffectedRange::Git {
                repo: r.repo,
                events,
            });
        }
        "SEMVER" if matches!(eco_scheme, Scheme::Golang | Scheme::Npm | Scheme::Cargo) => {
            eco_scheme
        }
        "SEMVER" => Scheme::Semver,
        "ECOSYSTEM" => eco_scheme,
        other => {
            report(
                path.into(),
                DiagnosticKind::UnknownRangeType {
                    value: other.into(),
                },
            );
            return None;
        }
    };
    match from_events(scheme, &events) {
        Ok(v) => Some(AffectedRange::Versions(v)),
        Err(RangeError::Version(VersionError::Invalid { value, .. }))
            if scheme != Scheme::Generic =>
        {
            report(path.into(), DiagnosticKind::GenericFallback { value });
            match from_events(Scheme::Generic, &events) {
                Ok(v) => Some(AffectedRange::Versions(v)),
                Err(error) => {
                    report(path.into(), DiagnosticKind::BadRange { error });
                    None
                }
            }
        }
        Err(error) => {
            report(path.into(), DiagnosticKind::BadRange { error });
            None
        }
    }
}
