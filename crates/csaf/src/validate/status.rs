//! Product status, remediation, flag and score coverage tests:
//! 6.1.6, 6.1.7, 6.1.29, 6.1.32, 6.1.33, 6.2.2, 6.2.3.

use super::Ctx;
use crate::model::Vulnerability;
use std::collections::{HashMap, HashSet};

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let doc = ctx.doc;
    for (i, v) in doc.vulnerabilities.iter().flatten().enumerate() {
        contradicting_status(ctx, i, v);
        multiple_scores(ctx, i, v);
        remediation_without_product(ctx, i, v);
        flag_without_product(ctx, i, v);
        multiple_flags(ctx, i, v);
        missing_remediation(ctx, i, v);
        missing_score(ctx, i, v);
    }
}

/// The contradiction group of a product status list (spec 6.1.6).
fn status_group(name: &str) -> &'static str {
    match name {
        "first_affected" | "known_affected" | "last_affected" => "affected",
        "known_not_affected" => "not affected",
        "first_fixed" | "fixed" => "fixed",
        "under_investigation" => "under investigation",
        _ => "recommended",
    }
}

/// 6.1.6 Contradicting Product Status.
fn contradicting_status(ctx: &mut Ctx<'_>, i: usize, v: &Vulnerability) {
    let Some(ps) = &v.product_status else { return };
    let mut group_of: HashMap<&str, &str> = HashMap::new();
    for (name, list) in ps.lists() {
        let group = status_group(name);
        if group == "recommended" {
            continue;
        }
        for (j, id) in list.iter().enumerate() {
            match group_of.get(id.as_str()) {
                Some(&g) if g != group => ctx.error(
                    "6.1.6",
                    format!("/vulnerabilities/{i}/product_status/{name}/{j}"),
                    format!("product {id:?} is both {g} and {group}"),
                ),
                Some(_) => {}
                None => {
                    group_of.insert(id, group);
                }
            }
        }
    }
}

/// 6.1.7 Multiple Scores with same Version per Product.
fn multiple_scores(ctx: &mut Ctx<'_>, i: usize, v: &Vulnerability) {
    let mut seen: HashSet<(&str, String)> = HashSet::new();
    for (j, s) in v.scores.iter().flatten().enumerate() {
        let mut versions = Vec::new();
        if let Some(c) = &s.cvss_v2 {
            versions.push(
                c.get("version")
                    .and_then(|x| x.as_str())
                    .unwrap_or("2.0")
                    .to_owned(),
            );
        }
        if let Some(c) = &s.cvss_v3 {
            versions.push(
                c.get("version")
                    .and_then(|x| x.as_str())
                    .unwrap_or("3.x")
                    .to_owned(),
            );
        }
        for (k, id) in s.products.iter().enumerate() {
            for version in &versions {
                if !seen.insert((id.as_str(), version.clone())) {
                    ctx.error(
                        "6.1.7",
                        format!("/vulnerabilities/{i}/scores/{j}/products/{k}"),
                        format!("product {id:?} has more than one CVSS {version} score"),
                    );
                }
            }
        }
    }
}

/// 6.1.29 Remediation without Product Reference.
fn remediation_without_product(ctx: &mut Ctx<'_>, i: usize, v: &Vulnerability) {
    for (j, r) in v.remediations.iter().flatten().enumerate() {
        if r.product_ids.is_none() && r.group_ids.is_none() {
            ctx.error(
                "6.1.29",
                format!("/vulnerabilities/{i}/remediations/{j}"),
                "remediation names neither product_ids nor group_ids",
            );
        }
    }
}

/// 6.1.32 Flag without Product Reference.
fn flag_without_product(ctx: &mut Ctx<'_>, i: usize, v: &Vulnerability) {
    for (j, f) in v.flags.iter().flatten().enumerate() {
        if f.product_ids.is_none() && f.group_ids.is_none() {
            ctx.error(
                "6.1.32",
                format!("/vulnerabilities/{i}/flags/{j}"),
                "flag names neither product_ids nor group_ids",
            );
        }
    }
}

/// 6.1.33 Multiple Flags with VEX Justification Codes per Product (groups expanded).
fn multiple_flags(ctx: &mut Ctx<'_>, i: usize, v: &Vulnerability) {
    let mut seen: HashSet<&str> = HashSet::new();
    for (j, f) in v.flags.iter().flatten().enumerate() {
        let mut ids = ctx.expand(f.product_ids.as_deref(), f.group_ids.as_deref());
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if !seen.insert(id) {
                ctx.error(
                    "6.1.33",
                    format!("/vulnerabilities/{i}/flags/{j}"),
                    format!("product {id:?} is in more than one flag"),
                );
            }
        }
    }
}

/// 6.2.2 Missing Remediation: affected and under-investigation products.
fn missing_remediation(ctx: &mut Ctx<'_>, i: usize, v: &Vulnerability) {
    let Some(ps) = &v.product_status else { return };
    let mut covered: HashSet<&str> = HashSet::new();
    for r in v.remediations.iter().flatten() {
        covered.extend(ctx.expand(r.product_ids.as_deref(), r.group_ids.as_deref()));
    }
    for (name, list) in ps.lists() {
        if !matches!(
            name,
            "first_affected" | "known_affected" | "last_affected" | "under_investigation"
        ) {
            continue;
        }
        for (j, id) in list.iter().enumerate() {
            if !covered.contains(id.as_str()) {
                ctx.warning(
                    "6.2.2",
                    format!("/vulnerabilities/{i}/product_status/{name}/{j}"),
                    format!("no remediation for product {id:?}"),
                );
            }
        }
    }
}

/// 6.2.3 Missing Score: affected products.
fn missing_score(ctx: &mut Ctx<'_>, i: usize, v: &Vulnerability) {
    let Some(ps) = &v.product_status else { return };
    let covered: HashSet<&str> = v
        .scores
        .iter()
        .flatten()
        .flat_map(|s| s.products.iter().map(String::as_str))
        .collect();
    for (name, list) in ps.lists() {
        if !matches!(name, "first_affected" | "known_affected" | "last_affected") {
            continue;
        }
        for (j, id) in list.iter().enumerate() {
            if !covered.contains(id.as_str()) {
                ctx.warning(
                    "6.2.3",
                    format!("/vulnerabilities/{i}/product_status/{name}/{j}"),
                    format!("no score for product {id:?}"),
                );
            }
        }
    }
}
