//! Identities of the products and packages sources name, computed once per
//! distinct name (feeds repeat the same products thousands of times).

use medvigil_ident::Cpe;

use super::{Catalog, EntryIdent, NONE};
use crate::intern::Sym;
use crate::keys;
use rustc_hash::FxHashMap as HashMap;

/// Identity and display name by two strings (vendor and product,
/// ecosystem and package), looked up without building a combined key.
type PairCache = HashMap<Box<str>, HashMap<Box<str>, Option<(EntryIdent, Sym)>>>;

/// Identities already computed, by the names sources write them (feeds
/// repeat the same products and packages thousands of times).
#[derive(Debug, Clone, Default)]
pub(super) struct IdentCache {
    names: PairCache,
    ecosystems: PairCache,
    purls: HashMap<Box<str>, (EntryIdent, Sym)>,
    cpes: HashMap<Cpe, Option<(EntryIdent, Sym)>>,
}

impl Catalog {
    /// The identity of a vendor and product name, and the product as
    /// displayed; `None` when either normalises to nothing.
    pub(crate) fn ident_name(&mut self, vendor: &str, product: &str) -> Option<(EntryIdent, Sym)> {
        if let Some(hit) = self.cache.names.get(vendor).and_then(|m| m.get(product)) {
            return *hit;
        }
        let made = keys::name_key(&self.aliases, vendor, product).map(|(key, _)| {
            let ident = EntryIdent {
                key: self.strings.intern(&key),
                cpe: NONE,
                vendor_norm: self.strings.intern(&medvigil_ident::normalize_name(vendor)),
            };
            (ident, self.strings.intern(&format!("{vendor} {product}")))
        });
        self.cache
            .names
            .entry(vendor.into())
            .or_default()
            .insert(product.into(), made);
        made
    }

    /// The identity of an OSV ecosystem package.
    pub(crate) fn ident_ecosystem(&mut self, eco: &str, name: &str) -> Option<(EntryIdent, Sym)> {
        if let Some(hit) = self.cache.ecosystems.get(eco).and_then(|m| m.get(name)) {
            return *hit;
        }
        let made = keys::ecosystem_key(eco, name).map(|key| {
            let ident = EntryIdent {
                key: self.strings.intern(&key),
                cpe: NONE,
                vendor_norm: NONE,
            };
            (ident, self.strings.intern(&format!("{eco}/{name}")))
        });
        self.cache
            .ecosystems
            .entry(eco.into())
            .or_default()
            .insert(name.into(), made);
        made
    }

    /// The identity of a purl.
    pub(crate) fn ident_purl(&mut self, p: &medvigil_ident::Purl) -> (EntryIdent, Sym) {
        if let Some(hit) = self.cache.purls.get(p.as_str()) {
            return *hit;
        }
        let ident = EntryIdent {
            key: self.strings.intern(&keys::purl_key(p)),
            cpe: NONE,
            vendor_norm: NONE,
        };
        let made = (ident, self.strings.intern(p.as_str()));
        self.cache.purls.insert(p.as_str().into(), made);
        made
    }

    /// The identity of a CPE; `None` when its vendor or product is not a
    /// literal.
    pub(crate) fn ident_cpe(&mut self, c: &Cpe) -> Option<(EntryIdent, Sym)> {
        if let Some(hit) = self.cache.cpes.get(c) {
            return *hit;
        }
        let made = keys::cpe_key(c).map(|key| {
            self.cpes.push(c.clone());
            let ident = EntryIdent {
                key: self.strings.intern(&key),
                cpe: u32::try_from(self.cpes.len() - 1).unwrap_or(NONE),
                vendor_norm: NONE,
            };
            (ident, self.strings.intern(&c.to_formatted_string()))
        });
        self.cache.cpes.insert(c.clone(), made);
        made
    }

    /// An identity by model number or SKU key.
    pub(crate) fn ident_code(&mut self, key: &str) -> EntryIdent {
        EntryIdent {
            key: self.strings.intern(key),
            cpe: NONE,
            vendor_norm: NONE,
        }
    }
}
