//! Vulnerability records (OSV, CVE JSON 5, NVD) into catalog entries.

use std::sync::Arc;

use medvigil_vulndb::{AffectedRange, PackageId, VulnRecord};

use super::{Catalog, CatalogDiagnostic, NONE, NewEntry};
use crate::finding::{Source, SourceKind, Status};
use crate::keys;

impl Catalog {
    /// Adds every affected entry of a record. Withdrawn or rejected records
    /// are skipped (with a diagnostic); so are `GIT`-only ranges, which
    /// need the repository's history to order. The vulnerability id is the
    /// record's CVE (its id or first CVE alias), else its own id.
    pub fn add_record(&mut self, rec: &VulnRecord) {
        if rec.withdrawn.is_some() {
            self.diag(CatalogDiagnostic::Withdrawn {
                source: rec.id.clone(),
            });
            return;
        }
        let id = if rec.id.starts_with("CVE-") {
            rec.id.as_str()
        } else {
            rec.aliases
                .iter()
                .find(|a| a.starts_with("CVE-"))
                .map_or(rec.id.as_str(), String::as_str)
        };
        let aliases = std::iter::once(&rec.id)
            .chain(&rec.aliases)
            .map(String::as_str)
            .filter(|a| *a != id);
        let source = Source {
            kind: SourceKind::Record(rec.source),
            id: Arc::from(rec.id.as_str()),
        };
        let vuln = self.add_vuln(id, aliases, source);
        for a in &rec.affected {
            let mut e = NewEntry {
                fix_from_ranges: true,
                ..NewEntry::default()
            };
            for pid in &a.identifiers {
                let made = match pid {
                    PackageId::Ecosystem { ecosystem, name } => {
                        self.ident_ecosystem(ecosystem, name)
                    }
                    PackageId::Purl(p) => Some(self.ident_purl(p)),
                    PackageId::Cpe(c) => self.ident_cpe(c),
                    PackageId::VendorProduct { vendor, product } => match vendor.as_deref() {
                        Some(v) => self.ident_name(v, product),
                        None => match keys::split_vendor(&self.aliases, product) {
                            Some((v, p)) => self.ident_name(v, p),
                            None => {
                                if e.product == NONE {
                                    e.product = self.strings.intern(product);
                                }
                                None
                            }
                        },
                    },
                    _ => None,
                };
                if let Some((ident, display)) = made {
                    if e.product == NONE {
                        e.product = display;
                    }
                    e.keys.push(ident);
                }
            }
            let mut git = false;
            for r in &a.ranges {
                match r {
                    AffectedRange::Versions(v) => {
                        let id = self.intern_range(v);
                        e.ranges.push(id);
                    }
                    _ => git = true,
                }
            }
            e.listed = a.versions.iter().map(|v| self.strings.intern(v)).collect();
            if git && e.ranges.is_empty() && e.listed.is_empty() {
                self.diag(CatalogDiagnostic::GitRangesOnly {
                    source: rec.id.clone(),
                    product: if e.product == NONE {
                        String::new()
                    } else {
                        self.strings.resolve(e.product).to_string()
                    },
                });
                continue;
            }
            if let Some(u) = &a.unaffected {
                e.unaffected = self.intern_range(u);
            }
            self.push_entry(vuln, Status::Affected, e);
        }
    }
}
