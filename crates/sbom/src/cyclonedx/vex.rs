//! CycloneDX VEX and VDR: `vulnerabilities[]` with `analysis` and
//! `affects[]`, references resolved against the same BOM's components.

use serde_json::Value;

use super::build::{Found, items};
use crate::error::Violation;
use crate::model::Sbom;
use crate::vex::{
    Justification, ProductRef, Vex, VexStatement, VexStatus, VulnerabilityRef, bom_link,
    fill_from_sbom,
};

const STATES: &[&str] = &[
    "resolved",
    "resolved_with_pedigree",
    "exploitable",
    "in_triage",
    "false_positive",
    "not_affected",
];

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The VEX statements of a CycloneDX BOM, `None` when it has no vulnerabilities.
pub(crate) fn statements(root: &Value, sbom: &Sbom, found: &mut Found) -> Option<Vex> {
    let vulns = items(root.get("vulnerabilities"));
    if vulns.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for (i, v) in vulns.iter().enumerate() {
        let path = format!("/vulnerabilities/{i}");
        let id = s(v, "id").unwrap_or_default();
        let mut aliases: Vec<String> = Vec::new();
        for a in items(v.get("references")).iter().filter_map(|r| s(r, "id")) {
            if a != id && !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        let analysis = v.get("analysis");
        let state = analysis.and_then(|a| s(a, "state"));
        let status = match state.as_deref() {
            Some("resolved" | "resolved_with_pedigree") => VexStatus::Fixed,
            Some("exploitable") => VexStatus::Affected,
            Some("in_triage") => VexStatus::UnderInvestigation,
            Some("false_positive" | "not_affected") => VexStatus::NotAffected,
            Some(other) => {
                found.push((
                    format!("{path}/analysis/state"),
                    Violation::UnknownValue {
                        field: "state",
                        allowed: STATES,
                    },
                    other.to_owned(),
                ));
                VexStatus::UnderInvestigation
            }
            // A VDR entry without analysis discloses that `affects` are affected.
            None => VexStatus::Affected,
        };
        let justification_raw = analysis.and_then(|a| s(a, "justification"));
        let justification = justification_raw
            .as_deref()
            .and_then(Justification::from_cyclonedx);
        let detail = analysis.and_then(|a| s(a, "detail"));
        let responses: Vec<String> = analysis
            .map(|a| items_str(a.get("response")))
            .unwrap_or_default();
        let (impact_statement, action_statement) = match status {
            VexStatus::NotAffected => (detail, None),
            _ => (None, detail.or_else(|| s(v, "recommendation"))),
        };
        let products = items(v.get("affects"))
            .iter()
            .filter_map(|a| {
                let r = s(a, "ref")?;
                let mut p = resolve(&r, sbom);
                p.versions = items(a.get("versions"))
                    .iter()
                    .filter_map(|ver| {
                        let what = s(ver, "version").or_else(|| s(ver, "range"))?;
                        Some((what, s(ver, "status").unwrap_or_else(|| "affected".into())))
                    })
                    .collect();
                Some(p)
            })
            .collect();
        let timestamp = analysis
            .and_then(|a| s(a, "lastUpdated"))
            .or_else(|| s(v, "updated"))
            .or_else(|| s(v, "published"));
        out.push(VexStatement {
            vulnerability: VulnerabilityRef { id, aliases },
            products,
            status,
            justification,
            justification_raw,
            impact_statement,
            action_statement,
            responses,
            timestamp,
        });
    }
    Some(Vex {
        id: sbom.serial.clone(),
        author: None,
        timestamp: sbom.timestamp.clone(),
        statements: out,
    })
}

fn items_str(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(x)) => vec![x.clone()],
        _ => Vec::new(),
    }
}

/// A reference resolved inside the document: a plain `bom-ref`, or a
/// BOM-Link to this same BOM.
fn resolve(r: &str, sbom: &Sbom) -> ProductRef {
    let mut p = ProductRef {
        bom_ref: Some(r.to_owned()),
        ..ProductRef::default()
    };
    let local = match bom_link(r) {
        Some((serial, _, frag)) => {
            let ours = sbom
                .serial
                .as_deref()
                .and_then(|s| s.strip_prefix("urn:uuid:"))
                .is_some_and(|s| s.eq_ignore_ascii_case(serial));
            if !ours {
                return p;
            }
            frag
        }
        None => r.to_owned(),
    };
    fill_from_sbom(&mut p, sbom, &local, true);
    p
}
