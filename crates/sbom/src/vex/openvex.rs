//! OpenVEX 0.2.0 and the earlier 0.0.1 shape (products and vulnerability
//! as plain strings).

use serde_json::Value;

use super::{
    Justification, ProductRef, Vex, VexStatement, VexStatus, VulnerabilityRef, product_from_id,
};
use crate::Document;
use crate::error::{Diagnostic, Location, Parsed, ReadError, Violation};
use crate::model::{Format, Identifier};

const STATUSES: &[&str] = &["not_affected", "affected", "fixed", "under_investigation"];
const JUSTIFICATIONS: &[&str] = &[
    "component_not_present",
    "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist",
];

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|x| !x.is_empty())
}

fn list(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

/// Reads an OpenVEX document.
pub(crate) fn read(file: &str, root: &Value, strict: bool) -> Result<Parsed<Document>, ReadError> {
    let mut diags = Vec::new();
    let doc_time = s(root, "timestamp");
    let mut statements = Vec::new();
    let Some(raw_statements) = root.get("statements").and_then(Value::as_array) else {
        return Err(ReadError::invalid(
            file,
            Diagnostic::new(
                Location::JsonPath(String::new()),
                Violation::MissingField {
                    field: "statements",
                },
                "",
            ),
        ));
    };
    for (i, st) in raw_statements.iter().enumerate() {
        let path = format!("/statements/{i}");
        let vulnerability = match st.get("vulnerability") {
            Some(Value::String(id)) => VulnerabilityRef {
                id: id.clone(),
                aliases: Vec::new(),
            },
            Some(v @ Value::Object(_)) => VulnerabilityRef {
                id: s(v, "name").or_else(|| s(v, "@id")).unwrap_or_default(),
                aliases: list(v.get("aliases"))
                    .iter()
                    .filter_map(|a| a.as_str().map(str::to_owned))
                    .collect(),
            },
            _ => {
                diags.push(Diagnostic::new(
                    Location::JsonPath(path.clone()),
                    Violation::MissingField {
                        field: "vulnerability",
                    },
                    "",
                ));
                VulnerabilityRef::default()
            }
        };
        let raw_status = s(st, "status").unwrap_or_default();
        let Some(status) = VexStatus::from_name(&raw_status) else {
            diags.push(Diagnostic::new(
                Location::JsonPath(format!("{path}/status")),
                Violation::UnknownValue {
                    field: "status",
                    allowed: STATUSES,
                },
                &raw_status,
            ));
            continue;
        };
        let justification_raw = s(st, "justification");
        let justification = justification_raw
            .as_deref()
            .and_then(Justification::from_name);
        if let (Some(raw), None) = (&justification_raw, justification) {
            diags.push(Diagnostic::new(
                Location::JsonPath(format!("{path}/justification")),
                Violation::UnknownValue {
                    field: "justification",
                    allowed: JUSTIFICATIONS,
                },
                raw,
            ));
        }
        let products = list(st.get("products")).iter().map(product).collect();
        statements.push(VexStatement {
            vulnerability,
            products,
            status,
            justification,
            justification_raw: if justification.is_some() {
                None
            } else {
                justification_raw
            },
            impact_statement: s(st, "impact_statement"),
            action_statement: s(st, "action_statement"),
            responses: Vec::new(),
            timestamp: s(st, "last_updated")
                .or_else(|| s(st, "timestamp"))
                .or_else(|| doc_time.clone()),
        });
    }
    if strict && let Some(d) = diags.first() {
        return Err(ReadError::invalid(file, d.clone()));
    }
    Ok(Parsed::new(
        Document {
            format: Format::OpenVex,
            sbom: None,
            vex: Some(Vex {
                id: s(root, "@id"),
                author: s(root, "author"),
                timestamp: doc_time,
                statements,
            }),
        },
        diags,
    ))
}

/// A product: a string (0.0.1) or a component object (0.2.0).
fn product(v: &Value) -> ProductRef {
    match v {
        Value::String(id) => product_from_id(id),
        Value::Object(_) => {
            let mut p = s(v, "@id").map_or_else(ProductRef::default, |id| product_from_id(&id));
            if let Some(ids) = v.get("identifiers") {
                if let Some(purl) = s(ids, "purl") {
                    p.purl = Some(Identifier::purl(&purl));
                }
                if let Some(cpe) = s(ids, "cpe23").or_else(|| s(ids, "cpe22")) {
                    p.cpe = Some(Identifier::cpe(&cpe));
                }
            }
            p.subcomponents = list(v.get("subcomponents")).iter().map(product).collect();
            p
        }
        _ => ProductRef::default(),
    }
}
