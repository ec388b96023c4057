//! Per vulnerability, per product: product status, remediations and scores
//! (spec 3.2.3.9, 3.2.3.12, 3.2.3.13), with product groups expanded.

use super::ProductIndex;
use crate::model::{CsafDocument, Remediation, Score, Threat, Vulnerability};
use std::collections::BTreeMap;

/// A product status list (spec 3.2.3.9.x).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum StatusKind {
    /// `first_affected` (3.2.3.9.1).
    FirstAffected,
    /// `first_fixed` (3.2.3.9.2).
    FirstFixed,
    /// `fixed` (3.2.3.9.3).
    Fixed,
    /// `known_affected` (3.2.3.9.4).
    KnownAffected,
    /// `known_not_affected` (3.2.3.9.5).
    KnownNotAffected,
    /// `last_affected` (3.2.3.9.6).
    LastAffected,
    /// `recommended` (3.2.3.9.7).
    Recommended,
    /// `under_investigation` (3.2.3.9.8).
    UnderInvestigation,
}

impl StatusKind {
    /// The property name in `product_status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstAffected => "first_affected",
            Self::FirstFixed => "first_fixed",
            Self::Fixed => "fixed",
            Self::KnownAffected => "known_affected",
            Self::KnownNotAffected => "known_not_affected",
            Self::LastAffected => "last_affected",
            Self::Recommended => "recommended",
            Self::UnderInvestigation => "under_investigation",
        }
    }

    /// From a property name of `product_status`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "first_affected" => Self::FirstAffected,
            "first_fixed" => Self::FirstFixed,
            "fixed" => Self::Fixed,
            "known_affected" => Self::KnownAffected,
            "known_not_affected" => Self::KnownNotAffected,
            "last_affected" => Self::LastAffected,
            "recommended" => Self::Recommended,
            "under_investigation" => Self::UnderInvestigation,
            _ => return None,
        })
    }
}

/// What one vulnerability says about one product.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ProductFacts<'a> {
    /// Status lists naming the product.
    pub statuses: Vec<StatusKind>,
    /// Remediations naming it directly or through a product group.
    pub remediations: Vec<&'a Remediation>,
    /// Score items naming it.
    pub scores: Vec<&'a Score>,
    /// Threats naming it directly or through a product group.
    pub threats: Vec<&'a Threat>,
}

/// One vulnerability with its facts per product id (ordered by id).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VulnerabilityFacts<'a> {
    /// Index in `/vulnerabilities`.
    pub index: usize,
    /// The vulnerability itself.
    pub vulnerability: &'a Vulnerability,
    /// Facts per product id.
    pub products: BTreeMap<&'a str, ProductFacts<'a>>,
}

/// Ids named by `product_ids` plus the members of `group_ids`.
pub fn expand<'a>(
    index: &'a ProductIndex,
    product_ids: Option<&'a [String]>,
    group_ids: Option<&'a [String]>,
) -> impl Iterator<Item = &'a str> {
    let direct = product_ids.into_iter().flatten().map(String::as_str);
    let grouped = group_ids
        .into_iter()
        .flatten()
        .filter_map(|g| index.group(g))
        .flatten()
        .map(String::as_str);
    direct.chain(grouped)
}

/// The per-product facts of every vulnerability of `doc`.
pub fn vulnerability_facts<'a>(
    doc: &'a CsafDocument,
    index: &'a ProductIndex,
) -> Vec<VulnerabilityFacts<'a>> {
    let mut out = Vec::new();
    for (i, v) in doc.vulnerabilities.iter().flatten().enumerate() {
        let mut products: BTreeMap<&str, ProductFacts<'a>> = BTreeMap::new();
        if let Some(ps) = &v.product_status {
            for (name, list) in ps.lists() {
                let Some(kind) = StatusKind::from_name(name) else {
                    continue;
                };
                for id in list {
                    let facts = products.entry(id.as_str()).or_default();
                    if !facts.statuses.contains(&kind) {
                        facts.statuses.push(kind);
                    }
                }
            }
        }
        for r in v.remediations.iter().flatten() {
            for id in expand(index, r.product_ids.as_deref(), r.group_ids.as_deref()) {
                let facts = products.entry(id).or_default();
                if !facts.remediations.iter().any(|x| std::ptr::eq(*x, r)) {
                    facts.remediations.push(r);
                }
            }
        }
        for s in v.scores.iter().flatten() {
            for id in &s.products {
                let facts = products.entry(id.as_str()).or_default();
                if !facts.scores.iter().any(|x| std::ptr::eq(*x, s)) {
                    facts.scores.push(s);
                }
            }
        }
        for t in v.threats.iter().flatten() {
            for id in expand(index, t.product_ids.as_deref(), t.group_ids.as_deref()) {
                let facts = products.entry(id).or_default();
                if !facts.threats.iter().any(|x| std::ptr::eq(*x, t)) {
                    facts.threats.push(t);
                }
            }
        }
        out.push(VulnerabilityFacts {
            index: i,
            vulnerability: v,
            products,
        });
    }
    out
}
