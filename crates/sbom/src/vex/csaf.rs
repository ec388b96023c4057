//! CSAF 2.0 VEX profile (`document.category` `csaf_vex`, spec 4.5): the
//! product status lists with flags, impact threats and remediations, per
//! product, through `medvigil-csaf`'s product tree flattening.

use medvigil_csaf::flatten::ProductIndex;
use medvigil_csaf::flatten::status::{StatusKind, expand, vulnerability_facts};
use serde_json::Value;

use super::{Justification, ProductRef, Vex, VexStatement, VexStatus, VulnerabilityRef};
use crate::Document;
use crate::error::{Diagnostic, Location, Parsed, ReadError, Violation};
use crate::model::{Format, Identifier};

/// Reads a CSAF document of category `csaf_vex`.
pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    root: &Value,
    strict: bool,
) -> Result<Parsed<Document>, ReadError> {
    let category = root
        .get("document")
        .and_then(|d| d.get("category"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if category != "csaf_vex" {
        return Err(ReadError::UnknownFormat {
            file: file.to_owned(),
            reason: "CSAF document whose category is not csaf_vex",
        });
    }
    let parsed = medvigil_csaf::parse(file, bytes).map_err(|e| ReadError::Csaf {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    let doc = &parsed.document;
    let index = ProductIndex::new(doc);
    let mut diags = Vec::new();
    let mut statements = Vec::new();
    for facts in vulnerability_facts(doc, &index) {
        let v = facts.vulnerability;
        let ids: Vec<String> = v.ids.iter().flatten().map(|i| i.text.clone()).collect();
        let (id, aliases) = match &v.cve {
            Some(cve) => (cve.clone(), ids),
            None => {
                let mut it = ids.into_iter();
                (it.next().unwrap_or_default(), it.collect())
            }
        };
        // Statements that say the same thing are merged; order is the
        // product id order of the facts.
        let mut grouped: Vec<VexStatement> = Vec::new();
        for (pid, pf) in &facts.products {
            let Some(status) = status_of(&pf.statuses) else {
                continue;
            };
            let flag = v.flags.iter().flatten().find(|f| {
                expand(&index, f.product_ids.as_deref(), f.group_ids.as_deref()).any(|x| x == *pid)
            });
            let justification_raw = flag.map(|f| f.label.as_str().to_owned());
            let justification = justification_raw
                .as_deref()
                .and_then(Justification::from_name);
            if status == VexStatus::NotAffected
                && flag.is_none()
                && !pf.threats.iter().any(|t| t.category.as_str() == "impact")
            {
                diags.push(Diagnostic::new(
                    Location::JsonPath(format!("/vulnerabilities/{}", facts.index)),
                    Violation::Other("known_not_affected product without a flag or impact statement (CSAF 6.1.27.9)"),
                    pid,
                ));
            }
            let impact_statement = pf
                .threats
                .iter()
                .find(|t| t.category.as_str() == "impact")
                .map(|t| t.details.clone());
            let action_statement = pf
                .remediations
                .first()
                .map(|r| r.details.clone())
                .filter(|d| !d.is_empty());
            let responses = pf
                .remediations
                .iter()
                .map(|r| r.category.as_str().to_owned())
                .collect();
            let product = product_ref(&index, pid);
            let st = VexStatement {
                vulnerability: VulnerabilityRef {
                    id: id.clone(),
                    aliases: aliases.clone(),
                },
                products: vec![product],
                status,
                justification,
                justification_raw: if justification.is_some() {
                    None
                } else {
                    justification_raw
                },
                impact_statement,
                action_statement,
                responses,
                timestamp: Some(doc.document.tracking.current_release_date.clone()),
            };
            match grouped.iter_mut().find(|g| same_claim(g, &st)) {
                Some(g) => g.products.extend(st.products),
                None => grouped.push(st),
            }
        }
        statements.extend(grouped);
    }
    if strict && let Some(d) = diags.first() {
        return Err(ReadError::invalid(file, d.clone()));
    }
    Ok(Parsed::new(
        Document {
            format: Format::CsafVex,
            sbom: None,
            vex: Some(Vex {
                id: Some(doc.document.tracking.id.clone()),
                author: Some(doc.document.publisher.name.clone()),
                timestamp: Some(doc.document.tracking.current_release_date.clone()),
                statements,
            }),
        },
        diags,
    ))
}

fn same_claim(a: &VexStatement, b: &VexStatement) -> bool {
    a.status == b.status
        && a.justification == b.justification
        && a.justification_raw == b.justification_raw
        && a.impact_statement == b.impact_statement
        && a.action_statement == b.action_statement
        && a.responses == b.responses
}

/// The VEX status of a product from its CSAF status lists (spec 3.2.3.9):
/// fixed wins over affected (a product can be named in both through
/// first_fixed/last_affected of different versions only by mistake).
fn status_of(kinds: &[StatusKind]) -> Option<VexStatus> {
    let has = |k| kinds.contains(&k);
    if has(StatusKind::Fixed) || has(StatusKind::FirstFixed) {
        Some(VexStatus::Fixed)
    } else if has(StatusKind::KnownAffected)
        || has(StatusKind::FirstAffected)
        || has(StatusKind::LastAffected)
    {
        Some(VexStatus::Affected)
    } else if has(StatusKind::KnownNotAffected) {
        Some(VexStatus::NotAffected)
    } else if has(StatusKind::UnderInvestigation) {
        Some(VexStatus::UnderInvestigation)
    } else {
        None
    }
}

fn product_ref(index: &ProductIndex, pid: &str) -> ProductRef {
    let mut p = ProductRef {
        product_id: Some(pid.to_owned()),
        ..ProductRef::default()
    };
    if let Some(flat) = index.get(pid) {
        p.name = Some(flat.name.clone()).filter(|n| !n.is_empty());
        if let Some(h) = &flat.helper {
            p.purl = h.purl.as_deref().map(Identifier::purl);
            p.cpe = h.cpe.as_deref().map(Identifier::cpe);
        }
    }
    p
}
