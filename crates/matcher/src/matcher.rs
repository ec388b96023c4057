//! The target index and the matching of a catalog (or of one new advisory
//! or record) against it.

mod eval;
mod index;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use medvigil_csaf::CsafDocument;
use medvigil_ident::VendorAliases;
use medvigil_version::{Scheme, Version};
use medvigil_vulndb::VulnRecord;

use crate::catalog::{Catalog, NONE};
use crate::finding::{Evidence, Finding, MatchKind, Status};
use crate::intern::Sym;
use crate::keys;
use crate::target::Target;
use eval::Hit;

/// A target as the matcher keeps it.
#[derive(Debug, Clone)]
struct Stored {
    target: Target,
    key: Arc<str>,
    keys: Vec<Box<str>>,
    vendor_norm: Option<String>,
    has_purl: bool,
    has_cpe: bool,
}

/// Targets sharing one identity key and one version.
#[derive(Debug, Clone)]
struct Group {
    version: Option<Arc<str>>,
    scheme: Scheme,
    parsed: Option<Version>,
    targets: Vec<u32>,
}

/// The index of the targets: identity key → groups of targets by version,
/// so a range is tested once per distinct version, not once per device.
#[derive(Debug, Clone)]
pub struct Matcher {
    aliases: Arc<VendorAliases>,
    targets: Vec<Option<Stored>>,
    by_key: HashMap<Arc<str>, u32>,
    index: HashMap<Box<str>, Vec<Group>>,
    free: Vec<u32>,
}

/// The best match so far of one target and one (vulnerability, source).
#[derive(Debug, Clone)]
struct Candidate {
    entry: u32,
    key: Sym,
    version: Option<Arc<str>>,
    hit: Hit,
    kind: MatchKind,
    confidence: u8,
    specificity: u8,
    vendor_alias: bool,
}

impl Candidate {
    fn rank(&self, status: Status) -> (u8, u8, bool) {
        (
            self.confidence,
            self.specificity,
            status == Status::Affected,
        )
    }
}

impl Matcher {
    /// An empty matcher resolving vendor names through `aliases` (use the
    /// same table as the catalogs).
    pub fn new(aliases: Arc<VendorAliases>) -> Matcher {
        Matcher {
            aliases,
            targets: Vec::new(),
            by_key: HashMap::default(),
            index: HashMap::default(),
            free: Vec::new(),
        }
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether there is no target.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The target with this key.
    pub fn get(&self, key: &str) -> Option<&Target> {
        let &i = self.by_key.get(key)?;
        self.targets[i as usize].as_ref().map(|s| &s.target)
    }

    /// Matches every entry of the catalog against every target.
    ///
    /// One finding per (target, vulnerability, source): the best-ranked
    /// match (confidence, then version specificity, then affected first).
    /// When a target matched a vulnerability through an exact identifier
    /// (purl, CPE, model number, SKU), name matches of the same
    /// vulnerability from other sources are dropped. Findings are ordered
    /// by target insertion and catalog order.
    pub fn match_all(&self, catalog: &Catalog) -> Vec<Finding> {
        let mut best: HashMap<(u32, u32), Candidate> = HashMap::default();
        for (&key_sym, entry_ids) in &catalog.index {
            let key = catalog.strings.resolve(key_sym);
            let Some(groups) = self.index.get(&**key) else {
                continue;
            };
            self.match_key(catalog, key_sym, key, entry_ids, groups, &mut best);
        }
        self.finish(catalog, best)
    }

    /// Matches one target (a new or changed device or component) against
    /// the catalog through the catalog's index only.
    pub fn match_target(&self, catalog: &Catalog, key: &str) -> Vec<Finding> {
        let Some(t) = self.get(key) else {
            return Vec::new();
        };
        let mut one = Matcher::new(self.aliases.clone());
        one.insert(t.clone());
        let mut best: HashMap<(u32, u32), Candidate> = HashMap::default();
        for (k, groups) in &one.index {
            let Some(sym) = catalog.strings.get(k) else {
                continue;
            };
            let Some(entries) = catalog.index.get(&sym) else {
                continue;
            };
            one.match_key(catalog, sym, k, entries, groups, &mut best);
        }
        one.finish(catalog, best)
    }

    /// Matches one CSAF advisory through the target index only.
    pub fn match_advisory(&self, doc: &CsafDocument) -> Vec<Finding> {
        let mut c = Catalog::new(self.aliases.clone());
        c.add_csaf(doc);
        self.match_all(&c)
    }

    /// Matches one vulnerability record through the target index only.
    pub fn match_record(&self, record: &VulnRecord) -> Vec<Finding> {
        let mut c = Catalog::new(self.aliases.clone());
        c.add_record(record);
        self.match_all(&c)
    }

    fn match_key(
        &self,
        catalog: &Catalog,
        key_sym: Sym,
        key: &str,
        entry_ids: &[u32],
        groups: &[Group],
        best: &mut HashMap<(u32, u32), Candidate>,
    ) {
        let kind = keys::kind_of(key);
        let base = kind.base_confidence();
        for &e in entry_ids {
            let entry = &catalog.entries[e as usize];
            if catalog.vulns[entry.vuln as usize].removed {
                continue;
            }
            let Some(ident) = entry
                .idents
                .of(&catalog.idents)
                .iter()
                .find(|i| i.key == key_sym)
            else {
                continue;
            };
            for g in groups {
                let Some((hit, specificity)) = eval::evaluate(catalog, entry, g) else {
                    continue;
                };
                let conf = base.minus(hit.penalty());
                for &t in &g.targets {
                    let Some(st) = self.targets[t as usize].as_ref() else {
                        continue;
                    };
                    let mut confidence = conf;
                    let mut vendor_alias = false;
                    match kind {
                        MatchKind::VendorProduct => {
                            // Both sides carry an exact identifier of the same kind:
                            // if it did not match, the names must not either.
                            if (entry.has_purl && st.has_purl) || (entry.has_cpe && st.has_cpe) {
                                continue;
                            }
                            vendor_alias = ident.vendor_norm != NONE
                                && st.vendor_norm.as_deref()
                                    != Some(&**catalog.strings.resolve(ident.vendor_norm));
                            if vendor_alias {
                                confidence = confidence.minus(5);
                            }
                        }
                        MatchKind::Cpe
                            if !eval::cpe_applies(catalog, ident.cpe, key, &st.target.cpes) =>
                        {
                            continue;
                        }
                        _ => {}
                    }
                    let cand = Candidate {
                        entry: e,
                        key: key_sym,
                        version: g.version.clone(),
                        hit: hit.clone(),
                        kind,
                        confidence: confidence.0,
                        specificity,
                        vendor_alias,
                    };
                    match best.entry((t, entry.vuln)) {
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(cand);
                        }
                        std::collections::hash_map::Entry::Occupied(mut o) => {
                            let old = o.get();
                            let old_status = catalog.entries[old.entry as usize].status;
                            if cand.rank(entry.status) > old.rank(old_status) {
                                o.insert(cand);
                            }
                        }
                    }
                }
            }
        }
    }

    fn finish(&self, catalog: &Catalog, best: HashMap<(u32, u32), Candidate>) -> Vec<Finding> {
        let mut list: Vec<((u32, u32), Candidate)> = best.into_iter().collect();
        list.sort_unstable_by_key(|(k, _)| *k);
        let exact: HashSet<(u32, Sym)> = list
            .iter()
            .filter(|(_, c)| c.kind.is_identifier())
            .map(|((t, v), _)| (*t, catalog.vulns[*v as usize].id_sym))
            .collect();
        let mut out = Vec::with_capacity(list.len());
        for ((t, v), c) in list {
            let vuln = &catalog.vulns[v as usize];
            if !c.kind.is_identifier() && exact.contains(&(t, vuln.id_sym)) {
                continue;
            }
            let Some(st) = self.targets[t as usize].as_ref() else {
                continue;
            };
            let entry = &catalog.entries[c.entry as usize];
            let version = c.hit.evidence(catalog, entry, c.version.as_ref());
            out.push(Finding {
                target: st.key.clone(),
                vulnerability: vuln.id.clone(),
                aliases: vuln.aliases.clone(),
                source: vuln.source.clone(),
                status: entry.status,
                confidence: crate::Confidence(c.confidence),
                evidence: Evidence {
                    matched_on: c.kind,
                    key: catalog.strings.resolve(c.key).clone(),
                    product: catalog.strings.resolve(entry.product).clone(),
                    product_id: (entry.product_id != NONE)
                        .then(|| catalog.strings.resolve(entry.product_id).clone()),
                    vendor_alias: c.vendor_alias,
                    version,
                    vex: None,
                },
                remediations: catalog.remediation_sets[entry.remediations as usize].clone(),
            });
        }
        out
    }
}

impl Matcher {
    pub(crate) fn aliases(&self) -> &VendorAliases {
        &self.aliases
    }
}
