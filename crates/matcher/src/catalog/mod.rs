//! The catalog of affected entries: every (vulnerability, product or
//! package) pair of the records and advisories added, with its identities,
//! versions, status and remediations.
//!
//! Layout: strings interned once ([`Interner`]); entries, identities,
//! range ids and listed versions in flat `Vec`s addressed by spans;
//! version ranges deduplicated (a fleet's advisories repeat the same
//! ranges); one index from identity key to entries.

mod csaf;
mod diag;
mod ident;
mod record;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use medvigil_ident::{Cpe, VendorAliases};
use medvigil_version::{VersionRange, vers};

use crate::finding::{Remediation, Source, Status};
use crate::intern::{Interner, Sym};
use crate::range_text::{self, RangeText};

pub use diag::CatalogDiagnostic;

/// "No value" for optional symbols and indexes.
pub(crate) const NONE: u32 = u32::MAX;

/// A vulnerability as one source states it.
#[derive(Debug, Clone)]
pub(crate) struct Vuln {
    pub(crate) id: Arc<str>,
    pub(crate) id_sym: Sym,
    pub(crate) aliases: Arc<[Arc<str>]>,
    pub(crate) source: Source,
    pub(crate) removed: bool,
}

/// How an entry states its versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VersionSpec {
    /// The ranges and listed versions of the entry.
    Ranges,
    /// Every version.
    All,
    /// A text the reader did not understand (in `Entry::text`).
    Unparsed,
    /// No version information at all.
    NoInfo,
}

/// A start and a length in one of the pools.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    pub(crate) fn of<T>(self, pool: &[T]) -> &[T] {
        let s = self.start as usize;
        pool.get(s..s + self.len as usize).unwrap_or(&[])
    }
}

fn span_from<T>(pool: &mut Vec<T>, items: impl IntoIterator<Item = T>) -> Span {
    let start = pool.len();
    pool.extend(items);
    Span {
        start: u32::try_from(start).unwrap_or(NONE),
        len: u32::try_from(pool.len() - start).unwrap_or(0),
    }
}

/// One affected entry.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) vuln: u32,
    pub(crate) status: Status,
    pub(crate) spec: VersionSpec,
    pub(crate) idents: Span,
    pub(crate) ranges: Span,
    pub(crate) listed: Span,
    pub(crate) unaffected: u32,
    /// The range text as written (CSAF), or `NONE`.
    pub(crate) text: Sym,
    /// The product as the source writes it.
    pub(crate) product: Sym,
    /// The CSAF product id, or `NONE`.
    pub(crate) product_id: Sym,
    pub(crate) remediations: u32,
    pub(crate) has_purl: bool,
    pub(crate) has_cpe: bool,
}

/// One identity of an entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryIdent {
    pub(crate) key: Sym,
    /// Index into `cpes` for CPE identities, else `NONE`.
    pub(crate) cpe: u32,
    /// The vendor as written, normalised (names only), else `NONE`.
    pub(crate) vendor_norm: Sym,
}

/// A deduplicated range and its `vers` form.
#[derive(Debug, Clone)]
pub(crate) struct RangeSlot {
    pub(crate) range: VersionRange,
    pub(crate) text: Arc<str>,
    pub(crate) is_point: bool,
}

/// The catalog of affected entries from vulnerability records and CSAF
/// advisories.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub(crate) aliases: Arc<VendorAliases>,
    pub(crate) strings: Interner,
    pub(crate) vulns: Vec<Vuln>,
    pub(crate) entries: Vec<Entry>,
    pub(crate) idents: Vec<EntryIdent>,
    pub(crate) cpes: Vec<Cpe>,
    pub(crate) ranges: Vec<RangeSlot>,
    range_map: HashMap<VersionRange, u32>,
    pub(crate) range_ids: Vec<u32>,
    pub(crate) listed: Vec<Sym>,
    pub(crate) remediation_sets: Vec<Arc<[Remediation]>>,
    fix_sets: HashMap<u32, u32>,
    cache: ident::IdentCache,
    pub(crate) index: HashMap<Sym, Vec<u32>>,
    no_aliases: Arc<[Arc<str>]>,
    diagnostics: Vec<CatalogDiagnostic>,
}

/// An entry under construction.
#[derive(Debug)]
pub(crate) struct NewEntry {
    pub(crate) keys: Vec<EntryIdent>,
    pub(crate) spec: Option<VersionSpec>,
    pub(crate) ranges: Vec<u32>,
    pub(crate) listed: Vec<Sym>,
    pub(crate) unaffected: u32,
    pub(crate) text: Sym,
    pub(crate) product: Sym,
    pub(crate) product_id: Sym,
    pub(crate) remediations: Option<u32>,
    pub(crate) fix_from_ranges: bool,
}

impl Default for NewEntry {
    fn default() -> Self {
        NewEntry {
            keys: Vec::new(),
            spec: None,
            ranges: Vec::new(),
            listed: Vec::new(),
            unaffected: NONE,
            text: NONE,
            product: NONE,
            product_id: NONE,
            remediations: None,
            fix_from_ranges: false,
        }
    }
}

impl Catalog {
    /// An empty catalog that resolves vendor names through `aliases`.
    pub fn new(aliases: Arc<VendorAliases>) -> Catalog {
        let mut c = Catalog {
            aliases,
            strings: Interner::default(),
            vulns: Vec::new(),
            entries: Vec::new(),
            idents: Vec::new(),
            cpes: Vec::new(),
            ranges: Vec::new(),
            range_map: HashMap::default(),
            range_ids: Vec::new(),
            listed: Vec::new(),
            remediation_sets: Vec::new(),
            fix_sets: HashMap::default(),
            cache: ident::IdentCache::default(),
            index: HashMap::default(),
            no_aliases: Arc::from(Vec::new()),
            diagnostics: Vec::new(),
        };
        c.remediation_sets.push(Arc::from(Vec::new()));
        c
    }

    /// Number of affected entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalog holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of (vulnerability, source) pairs.
    pub fn vulnerability_count(&self) -> usize {
        self.vulns.len()
    }

    /// Number of distinct identity keys in the index.
    pub fn key_count(&self) -> usize {
        self.index.len()
    }

    /// Number of distinct version ranges (after deduplication).
    pub fn range_count(&self) -> usize {
        self.ranges.len()
    }

    /// What could not be used as is.
    pub fn diagnostics(&self) -> &[CatalogDiagnostic] {
        &self.diagnostics
    }

    /// Marks every entry of a source (record id or advisory tracking id)
    /// removed, so that a new revision can be added in its place. Returns
    /// how many vulnerabilities were removed.
    pub fn remove_source(&mut self, source_id: &str) -> usize {
        let mut n = 0;
        for v in &mut self.vulns {
            if !v.removed && &*v.source.id == source_id {
                v.removed = true;
                n += 1;
            }
        }
        n
    }

    /// Adds one affected product given by names and a range text (the
    /// forms of [`range_text`]), for sources that are neither records nor
    /// CSAF documents, and for tests.
    pub fn add_affected_product(
        &mut self,
        vulnerability: &str,
        source: &str,
        vendor: &str,
        product: &str,
        range: &str,
        status: Status,
    ) {
        let src = Source {
            kind: crate::SourceKind::Csaf,
            id: Arc::from(source),
        };
        let vuln = self.add_vuln(vulnerability, [], src);
        let mut e = NewEntry::default();
        if let Some((ident, display)) = self.ident_name(vendor, product) {
            e.keys.push(ident);
            e.product = display;
        } else {
            e.product = self.strings.intern(product);
        }
        self.set_range_text(&mut e, range);
        self.push_entry(vuln, status, e);
    }

    pub(crate) fn diag(&mut self, d: CatalogDiagnostic) {
        self.diagnostics.push(d);
    }

    pub(crate) fn add_vuln<'a>(
        &mut self,
        id: &str,
        aliases: impl IntoIterator<Item = &'a str>,
        source: Source,
    ) -> u32 {
        let id_sym = self.strings.intern(id);
        let id_arc = self.strings.resolve(id_sym).clone();
        let aliases: Vec<Arc<str>> = aliases
            .into_iter()
            .map(|a| {
                let s = self.strings.intern(a);
                self.strings.resolve(s).clone()
            })
            .collect();
        let aliases = if aliases.is_empty() {
            self.no_aliases.clone()
        } else {
            Arc::from(aliases)
        };
        let src_sym = self.strings.intern(&source.id);
        let source = Source {
            kind: source.kind,
            id: self.strings.resolve(src_sym).clone(),
        };
        let v = u32::try_from(self.vulns.len()).unwrap_or(NONE);
        self.vulns.push(Vuln {
            id: id_arc,
            id_sym,
            aliases,
            source,
            removed: false,
        });
        v
    }

    /// Reads a CSAF branch's version text into the entry.
    pub(crate) fn set_range_text(&mut self, e: &mut NewEntry, text: &str) {
        e.text = self.strings.intern(text);
        match range_text::parse(text) {
            RangeText::All => e.spec = Some(VersionSpec::All),
            RangeText::Range(r) => {
                e.spec = Some(VersionSpec::Ranges);
                let id = self.intern_range(&r);
                e.ranges.push(id);
            }
            RangeText::Unparsed => e.spec = Some(VersionSpec::Unparsed),
        }
    }

    /// The id of a range, stored once.
    pub(crate) fn intern_range(&mut self, r: &VersionRange) -> u32 {
        if let Some(&id) = self.range_map.get(r) {
            return id;
        }
        let id = u32::try_from(self.ranges.len()).unwrap_or(NONE);
        let text: Arc<str> = Arc::from(vers::to_vers(r).unwrap_or_else(|| "(empty)".into()));
        let is_point = matches!(r.intervals(), [i] if i.as_point().is_some());
        self.range_map.insert(r.clone(), id);
        self.ranges.push(RangeSlot {
            range: r.clone(),
            text,
            is_point,
        });
        id
    }

    pub(crate) fn push_remediations(&mut self, list: Vec<Remediation>) -> u32 {
        if list.is_empty() {
            return 0;
        }
        let id = u32::try_from(self.remediation_sets.len()).unwrap_or(0);
        self.remediation_sets.push(Arc::from(list));
        id
    }

    /// The "fixed in" remediations of a record range (its excluded upper
    /// bounds: OSV `fixed`, CVE 5 `lessThan`), shared per range.
    fn fixes_of(&mut self, range: u32) -> u32 {
        if let Some(&s) = self.fix_sets.get(&range) {
            return s;
        }
        let list: Vec<Remediation> = self.ranges[range as usize]
            .range
            .intervals()
            .iter()
            .filter_map(|iv| match &iv.upper {
                medvigil_version::Bound::Excluded(v) => Some(Remediation {
                    category: crate::RemediationCategory::FixedVersion,
                    details: v.as_str().to_string(),
                    url: None,
                }),
                _ => None,
            })
            .collect();
        let s = self.push_remediations(list);
        self.fix_sets.insert(range, s);
        s
    }

    pub(crate) fn push_entry(&mut self, vuln: u32, status: Status, e: NewEntry) {
        if e.keys.is_empty() {
            let source = self.vulns[vuln as usize].source.id.to_string();
            let product = self.display(e.product);
            self.diag(CatalogDiagnostic::NoIdentity { source, product });
            return;
        }
        let spec = e
            .spec
            .unwrap_or(if e.ranges.is_empty() && e.listed.is_empty() {
                VersionSpec::NoInfo
            } else {
                VersionSpec::Ranges
            });
        if spec == VersionSpec::Unparsed {
            let source = self.vulns[vuln as usize].source.id.to_string();
            let product = self.display(if e.product_id == NONE {
                e.product
            } else {
                e.product_id
            });
            let text = self.display(e.text);
            self.diag(CatalogDiagnostic::UnparsedRange {
                source,
                product,
                text,
            });
        }
        let entry_id = u32::try_from(self.entries.len()).unwrap_or(NONE);
        let mut has_purl = false;
        let mut has_cpe = false;
        let start = self.idents.len();
        for ident in e.keys {
            if self.idents[start..].iter().any(|i| i.key == ident.key) {
                continue;
            }
            let key = self.strings.resolve(ident.key);
            has_purl |= key.starts_with("p:");
            has_cpe |= key.starts_with("c:");
            self.idents.push(ident);
            self.index.entry(ident.key).or_default().push(entry_id);
        }
        let idents = Span {
            start: u32::try_from(start).unwrap_or(NONE),
            len: u32::try_from(self.idents.len() - start).unwrap_or(0),
        };
        let remediations = match e.remediations {
            Some(r) => r,
            None if e.fix_from_ranges && e.ranges.len() == 1 => self.fixes_of(e.ranges[0]),
            None => 0,
        };
        let ranges = span_from(&mut self.range_ids, e.ranges);
        let listed = span_from(&mut self.listed, e.listed);
        self.entries.push(Entry {
            vuln,
            status,
            spec,
            idents,
            ranges,
            listed,
            unaffected: e.unaffected,
            text: e.text,
            product: e.product,
            product_id: e.product_id,
            remediations,
            has_purl,
            has_cpe,
        });
    }

    fn display(&self, sym: Sym) -> String {
        if sym == NONE {
            String::new()
        } else {
            self.strings.resolve(sym).to_string()
        }
    }
}
