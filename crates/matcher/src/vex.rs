//! VEX (Vulnerability Exploitability eXchange) assertions applied to
//! findings: a supplier's statement that a product is not affected, fixed,
//! affected or under investigation for a vulnerability (CISA "Minimum
//! Requirements for VEX": status, justification, impact statement).

use std::collections::HashMap;
use std::sync::Arc;

use medvigil_ident::{Cpe, Purl};

use crate::finding::{Finding, Status, VexEvidence};
use crate::keys;
use crate::matcher::Matcher;
use crate::range_text::clean_version;

/// The product a VEX statement is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VexProduct {
    /// A package URL; with a version it applies to that version only.
    Purl(Purl),
    /// A CPE name, matched per NISTIR 7696 (the version attribute included).
    Cpe(Cpe),
    /// A vendor and product name, optionally one version.
    VendorProduct {
        /// Vendor.
        vendor: String,
        /// Product.
        product: String,
        /// Version; `None` for every version.
        version: Option<String>,
    },
}

/// One VEX statement.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VexAssertion {
    /// The vulnerability (a CVE or another id; aliases of a finding count).
    pub vulnerability: String,
    /// The product.
    pub product: VexProduct,
    /// The status it asserts.
    pub status: Status,
    /// The justification (`component_not_present`,
    /// `vulnerable_code_not_in_execute_path`…).
    pub justification: Option<String>,
    /// The impact or action statement.
    pub statement: Option<String>,
}

impl VexAssertion {
    /// An assertion without justification or statement.
    pub fn new(vulnerability: impl Into<String>, product: VexProduct, status: Status) -> Self {
        VexAssertion {
            vulnerability: vulnerability.into(),
            product,
            status,
            justification: None,
            statement: None,
        }
    }

    /// Sets the justification.
    #[must_use]
    pub fn justification(mut self, j: impl Into<String>) -> Self {
        self.justification = Some(j.into());
        self
    }

    /// Sets the statement.
    #[must_use]
    pub fn statement(mut self, s: impl Into<String>) -> Self {
        self.statement = Some(s.into());
        self
    }
}

fn same_version(a: &str, b: &str) -> bool {
    clean_version(a).eq_ignore_ascii_case(clean_version(b))
}

impl Matcher {
    /// Whether a VEX product designates the target with this key.
    fn vex_applies(&self, target_key: &str, p: &VexProduct) -> bool {
        let Some(t) = self.get(target_key) else {
            return false;
        };
        match p {
            VexProduct::Purl(vp) => {
                let key = keys::purl_key(vp);
                t.purls.iter().any(|tp| {
                    keys::purl_key(tp) == key
                        && vp.version().is_none_or(|v| {
                            tp.version()
                                .or(t.version.as_deref())
                                .is_some_and(|tv| same_version(v, tv))
                        })
                })
            }
            VexProduct::Cpe(c) => t.cpes.iter().any(|tc| c.matches(tc)),
            VexProduct::VendorProduct {
                vendor,
                product,
                version,
            } => {
                let (Some(tv), Some(tp)) = (&t.vendor, &t.product) else {
                    return false;
                };
                let a = keys::name_key(self.aliases(), vendor, product);
                let b = keys::name_key(self.aliases(), tv, tp);
                a.is_some()
                    && a.map(|x| x.0) == b.map(|x| x.0)
                    && version
                        .as_deref()
                        .is_none_or(|v| t.version.as_deref().is_some_and(|x| same_version(v, x)))
            }
        }
    }

    /// Applies VEX assertions: every finding whose vulnerability (or an
    /// alias) and target an assertion designates takes the assertion's
    /// status, with the justification and statement in its evidence (the
    /// first applicable assertion wins). Returns how many findings changed.
    pub fn apply_vex(&self, findings: &mut [Finding], assertions: &[VexAssertion]) -> usize {
        let mut by_vuln: HashMap<String, Vec<&VexAssertion>> = HashMap::new();
        for a in assertions {
            by_vuln
                .entry(a.vulnerability.to_ascii_uppercase())
                .or_default()
                .push(a);
        }
        let mut changed = 0;
        for f in findings.iter_mut() {
            let ids = std::iter::once(&f.vulnerability).chain(f.aliases.iter());
            let found = ids
                .filter_map(|id| by_vuln.get(&id.to_ascii_uppercase()))
                .flatten()
                .find(|a| self.vex_applies(&f.target, &a.product))
                .copied();
            if let Some(a) = found {
                f.evidence.vex = Some(VexEvidence {
                    previous: f.status,
                    justification: a.justification.as_deref().map(Arc::from),
                    statement: a.statement.as_deref().map(Arc::from),
                });
                f.status = a.status;
                changed += 1;
            }
        }
        changed
    }
}
