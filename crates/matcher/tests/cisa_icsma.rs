//! All CISA ICS Medical Advisories of the corpora against devices built
//! from their own product trees: every affected product, at a version its
//! range holds, is found with evidence; the same product at a version
//! outside its range is not found affected by that product entry.

mod common;

use std::collections::HashMap;

use medvigil_csaf::flatten::ProductIndex;
use medvigil_csaf::flatten::status::{StatusKind, vulnerability_facts};
use medvigil_match::{Matcher, Status, Target, VersionEvidence};

#[test]
fn icsma_products_are_found_in_range_and_not_outside() {
    let Some(docs) = common::icsma() else { return };
    assert_eq!(docs.len(), 134);
    let aliases = common::aliases();
    let (mut checked, mut unparsed, mut outside_checked, mut same_product) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for (path, doc) in &docs {
        let index = ProductIndex::new(doc);
        let mut matcher = Matcher::new(aliases.clone());
        let mut version_of = HashMap::new();
        for p in &index.products {
            let Some((v, n, text)) = common::branch_identity(p) else {
                continue;
            };
            if let Some(inside) = common::inside_version(text) {
                let t = Target::new(format!("{}#in", p.product_id))
                    .vendor(v)
                    .product(n)
                    .version(inside);
                matcher.insert(t);
            }
            if let Some(out) = common::outside_version(text) {
                let t = Target::new(format!("{}#out", p.product_id))
                    .vendor(v)
                    .product(n)
                    .version(out);
                matcher.insert(t);
            }
            version_of.insert(p.product_id.as_str(), text);
        }
        let findings = matcher.match_advisory(doc);
        let by_pair: HashMap<(&str, &str), _> = findings
            .iter()
            .map(|f| ((&*f.target, &*f.vulnerability), f))
            .collect();
        for vf in vulnerability_facts(doc, &index) {
            let vuln = vf
                .vulnerability
                .cve
                .clone()
                .unwrap_or_else(|| format!("{}#{}", doc.document.tracking.id, vf.index));
            for (pid, facts) in &vf.products {
                if !facts.statuses.contains(&StatusKind::KnownAffected) {
                    continue;
                }
                let Some(text) = version_of.get(pid) else {
                    continue;
                };
                let in_key = format!("{pid}#in");
                if matcher.get(&in_key).is_none() {
                    continue;
                }
                checked += 1;
                match by_pair.get(&(in_key.as_str(), vuln.as_str())) {
                    Some(f) if f.status == Status::Affected => {
                        assert_eq!(&*f.source.id, doc.document.tracking.id.as_str());
                        if matches!(f.evidence.version, VersionEvidence::RangeUnparsed { .. }) {
                            unparsed += 1;
                        }
                        if f.evidence.product_id.as_deref() == Some(*pid) {
                            same_product += 1;
                        }
                    }
                    other => failures.push(format!(
                        "{}: {vuln} {pid} {text:?} not found affected: {other:?}",
                        path.display()
                    )),
                }
                let out_key = format!("{pid}#out");
                if matcher.get(&out_key).is_some() {
                    outside_checked += 1;
                    if let Some(f) = by_pair.get(&(out_key.as_str(), vuln.as_str()))
                        && f.status == Status::Affected
                        && f.evidence.product_id.as_deref() == Some(*pid)
                    {
                        failures.push(format!(
                            "{}: {vuln} {pid} {text:?} outside version matched: {f}",
                            path.display()
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "checked {checked} affected (vulnerability, product) pairs ({same_product} through \
         their own product entry, {unparsed} with an unparsed range), {outside_checked} outside"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 1000, "{checked}");
}

#[test]
fn icsma_catalog_reads_most_version_texts() {
    let Some(docs) = common::icsma() else { return };
    let mut c = medvigil_match::Catalog::new(common::aliases());
    for (_, d) in &docs {
        c.add_csaf(d);
    }
    let mut unparsed: Vec<String> = c
        .diagnostics()
        .iter()
        .filter_map(|d| match d {
            medvigil_match::CatalogDiagnostic::UnparsedRange { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    unparsed.sort();
    unparsed.dedup();
    eprintln!(
        "{} entries from {} advisories; {} distinct version texts not understood:\n{}",
        c.len(),
        docs.len(),
        unparsed.len(),
        unparsed.join("\n")
    );
    // A regression guard: the reader must not get more lenient by accident
    // (dates, model lists), nor lose the common forms.
    assert!(unparsed.len() < 120, "{}", unparsed.len());
    assert!(c.len() > 1500);
}
