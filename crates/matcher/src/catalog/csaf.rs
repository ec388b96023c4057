//! CSAF 2.0 documents into catalog entries: every vulnerability × product
//! named in a status list (spec 3.2.3.9), with the product's identities
//! from its branch path and identification helper (3.1.2, 3.1.3.3).

use std::collections::HashMap;
use std::sync::Arc;

use medvigil_csaf::CsafDocument;
use medvigil_csaf::flatten::status::{StatusKind, vulnerability_facts};
use medvigil_csaf::flatten::{FlatProduct, ProductIndex, ProductOrigin};
use medvigil_csaf::model::{BranchCategory, RemediationCategory as CsafCategory};
use medvigil_ident::{Cpe, Purl};
use medvigil_version::{Version, VersionRange};

use super::{Catalog, CatalogDiagnostic, NewEntry, VersionSpec};
use crate::finding::{Remediation, RemediationCategory, Source, SourceKind, Status};
use crate::keys;

/// The status a set of CSAF status lists gives; a product in contradicting
/// lists (a 6.1.6 error) counts as affected, the safe reading.
fn status_of(kinds: &[StatusKind]) -> Option<Status> {
    let has = |k: &[StatusKind]| kinds.iter().any(|x| k.contains(x));
    if has(&[
        StatusKind::KnownAffected,
        StatusKind::FirstAffected,
        StatusKind::LastAffected,
    ]) {
        Some(Status::Affected)
    } else if has(&[StatusKind::UnderInvestigation]) {
        Some(Status::UnderInvestigation)
    } else if has(&[StatusKind::KnownNotAffected]) {
        Some(Status::NotAffected)
    } else if has(&[
        StatusKind::Fixed,
        StatusKind::FirstFixed,
        StatusKind::Recommended,
    ]) {
        Some(Status::Fixed)
    } else {
        None
    }
}

fn category(c: &CsafCategory) -> RemediationCategory {
    match c {
        CsafCategory::VendorFix => RemediationCategory::VendorFix,
        CsafCategory::Workaround => RemediationCategory::Workaround,
        CsafCategory::Mitigation => RemediationCategory::Mitigation,
        CsafCategory::NoneAvailable => RemediationCategory::NoneAvailable,
        CsafCategory::NoFixPlanned => RemediationCategory::NoFixPlanned,
        _ => RemediationCategory::Other,
    }
}

impl Catalog {
    /// Adds every (vulnerability, product) pair of a CSAF document that a
    /// product status list names. The source is `document.tracking.id`; the
    /// vulnerability id is its CVE, else its first `ids` entry, else
    /// `<tracking id>#<index>`.
    pub fn add_csaf(&mut self, doc: &CsafDocument) {
        let tracking = doc.document.tracking.id.clone();
        let index = ProductIndex::new(doc);
        for vf in vulnerability_facts(doc, &index) {
            let v = vf.vulnerability;
            let ids: Vec<String> = v.ids.iter().flatten().map(|i| i.text.clone()).collect();
            let id = v
                .cve
                .clone()
                .or_else(|| ids.first().cloned())
                .unwrap_or_else(|| format!("{tracking}#{}", vf.index));
            let aliases = ids.iter().map(String::as_str).filter(|a| *a != id);
            let source = Source {
                kind: SourceKind::Csaf,
                id: Arc::from(tracking.as_str()),
            };
            let vuln = self.add_vuln(&id, aliases, source);
            let mut rem_sets: HashMap<Vec<usize>, u32> = HashMap::new();
            for (pid, facts) in &vf.products {
                let Some(status) = status_of(&facts.statuses) else {
                    continue;
                };
                let Some(product) = index.get(pid) else {
                    self.diag(CatalogDiagnostic::UnknownProduct {
                        source: tracking.clone(),
                        product: (*pid).to_string(),
                    });
                    continue;
                };
                if matches!(product.origin, ProductOrigin::Relationship { .. }) {
                    self.diag(CatalogDiagnostic::RelationshipSkipped {
                        source: tracking.clone(),
                        product: (*pid).to_string(),
                    });
                    continue;
                }
                let addrs: Vec<usize> = facts
                    .remediations
                    .iter()
                    .map(|r| std::ptr::from_ref(*r) as usize)
                    .collect();
                let rem = match rem_sets.get(&addrs) {
                    Some(&r) => r,
                    None => {
                        let list = facts
                            .remediations
                            .iter()
                            .map(|r| Remediation {
                                category: category(&r.category),
                                details: r.details.clone(),
                                url: r.url.clone(),
                            })
                            .collect();
                        let r = self.push_remediations(list);
                        rem_sets.insert(addrs, r);
                        r
                    }
                };
                let mut e = self.product_entry(product);
                e.remediations = Some(rem);
                self.push_entry(vuln, status, e);
            }
        }
    }

    /// The identities and versions of one product.
    fn product_entry(&mut self, p: &FlatProduct) -> NewEntry {
        let mut e = NewEntry {
            product: self.strings.intern(&p.name),
            product_id: self.strings.intern(&p.product_id),
            ..NewEntry::default()
        };
        let vendor = p.branch(&BranchCategory::Vendor);
        let name = p
            .branch(&BranchCategory::ProductName)
            .or_else(|| p.branch(&BranchCategory::ProductFamily));
        let names = match (vendor, name) {
            (Some(v), Some(n)) => Some((v, n)),
            (None, _) if p.branch_path.is_empty() => keys::split_vendor(&self.aliases, &p.name),
            _ => None,
        };
        if let Some((v, n)) = names
            && let Some((ident, _)) = self.ident_name(v, n)
        {
            e.keys.push(ident);
        }
        let mut helper_version: Option<VersionRange> = None;
        if let Some(h) = &p.helper {
            if let Some(c) = h.cpe.as_deref().and_then(|c| Cpe::parse(c).ok())
                && let Some((ident, _)) = self.ident_cpe(&c)
            {
                if let Some(v) = keys::cpe_version(&c) {
                    helper_version = Version::parse(medvigil_version::Scheme::Generic, &v)
                        .ok()
                        .map(VersionRange::point);
                }
                e.keys.push(ident);
            }
            if let Some(purl) = h.purl.as_deref().and_then(|s| Purl::parse(s).ok()) {
                if let Some(v) = purl.version() {
                    helper_version = Version::parse(keys::purl_scheme(purl.ty()), v)
                        .ok()
                        .map(VersionRange::point);
                }
                let (ident, _) = self.ident_purl(&purl);
                e.keys.push(ident);
            }
            for m in h.model_numbers.iter().flatten() {
                if let Some(k) = keys::model_key(m) {
                    let ident = self.ident_code(&k);
                    e.keys.push(ident);
                }
            }
            for s in h.skus.iter().flatten() {
                if let Some(k) = keys::sku_key(s) {
                    let ident = self.ident_code(&k);
                    e.keys.push(ident);
                }
            }
        }
        let version = p
            .branch(&BranchCategory::ProductVersion)
            .or_else(|| p.branch(&BranchCategory::ProductVersionRange));
        match version {
            Some(text) => self.set_range_text(&mut e, text),
            None => {
                if let Some(r) = helper_version {
                    e.spec = Some(VersionSpec::Ranges);
                    let id = self.intern_range(&r);
                    e.ranges.push(id);
                }
            }
        }
        e
    }
}
