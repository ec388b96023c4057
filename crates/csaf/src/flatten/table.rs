//! A plain-text rendering of the flattened product tree and of the facts
//! per vulnerability and product: for reviews, golden tests and the CLI.

use super::status::vulnerability_facts;
use super::{ProductIndex, ProductOrigin};
use crate::model::{CsafDocument, ProductIdentificationHelper};
use std::fmt::Write;

/// Renders products (id, name, branch path, identifiers) and then, per
/// vulnerability, each product's statuses, remediations and score vectors.
pub fn render(doc: &CsafDocument) -> String {
    let index = ProductIndex::new(doc);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ({})",
        doc.document.tracking.id, doc.document.title
    );
    let _ = writeln!(out, "## products");
    for p in &index.products {
        let _ = writeln!(out, "{} | {}", p.product_id, p.name);
        if !p.branch_path.is_empty() {
            let path: Vec<String> = p
                .branch_path
                .iter()
                .map(|s| format!("{}={}", s.category, s.name))
                .collect();
            let _ = writeln!(out, "  path: {}", path.join(" / "));
        }
        if let ProductOrigin::Relationship {
            category,
            product_reference,
            relates_to_product_reference,
        } = &p.origin
        {
            let _ = writeln!(
                out,
                "  relationship: {product_reference} {category} {relates_to_product_reference}"
            );
        }
        if let Some(h) = &p.helper {
            render_helper(&mut out, h);
        }
    }
    for v in vulnerability_facts(doc, &index) {
        let vuln = v.vulnerability;
        let _ = writeln!(
            out,
            "## vulnerability {} {}",
            v.index,
            vuln.cve.as_deref().unwrap_or("(no cve)")
        );
        if let Some(cwe) = &vuln.cwe {
            let _ = writeln!(out, "  cwe: {} {}", cwe.id, cwe.name);
        }
        for (id, facts) in &v.products {
            let statuses: Vec<&str> = facts.statuses.iter().map(|s| s.as_str()).collect();
            let _ = writeln!(
                out,
                "{id}: {}",
                if statuses.is_empty() {
                    "-".to_owned()
                } else {
                    statuses.join(", ")
                }
            );
            for r in &facts.remediations {
                let details: String = r.details.chars().take(80).collect();
                let _ = write!(
                    out,
                    "  remediation {}: {}",
                    r.category,
                    details.replace('\n', " ")
                );
                if let Some(url) = &r.url {
                    let _ = write!(out, " <{url}>");
                }
                out.push('\n');
            }
            for s in &facts.scores {
                for vector in [s.cvss_v3_vector(), s.cvss_v2_vector()]
                    .into_iter()
                    .flatten()
                {
                    let _ = writeln!(out, "  score: {vector}");
                }
            }
        }
    }
    out
}

fn render_helper(out: &mut String, h: &ProductIdentificationHelper) {
    let lists = [
        ("model_numbers", &h.model_numbers),
        ("serial_numbers", &h.serial_numbers),
        ("skus", &h.skus),
        ("sbom_urls", &h.sbom_urls),
    ];
    if let Some(cpe) = &h.cpe {
        let _ = writeln!(out, "  cpe: {cpe}");
    }
    if let Some(purl) = &h.purl {
        let _ = writeln!(out, "  purl: {purl}");
    }
    for (name, list) in lists {
        if let Some(list) = list {
            let _ = writeln!(out, "  {name}: {}", list.join(", "));
        }
    }
    for fh in h.hashes.iter().flatten() {
        for hash in &fh.file_hashes {
            let _ = writeln!(
                out,
                "  hash: {} {}:{}",
                fh.filename, hash.algorithm, hash.value
            );
        }
    }
    for u in h.x_generic_uris.iter().flatten() {
        let _ = writeln!(out, "  x_generic_uri: {} {}", u.namespace, u.uri);
    }
}
