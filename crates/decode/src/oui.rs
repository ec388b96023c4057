//! MAC address vendor lookup from the IEEE registries (MA-L 24-bit, MA-M
//! 28-bit, MA-S and IAB 36-bit assignments), longest prefix first.
//!
//! The registry is parsed from the IEEE CSV exports (`Registry,Assignment,
//! Organization Name,Organization Address`) as shipped by Debian's
//! `ieee-data` package. It is kept compact: sorted `(prefix, name index)`
//! arrays per prefix length and one interned string table.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::util::MacAddr;

/// Where Debian's `ieee-data` package installs the registries.
pub const DEBIAN_IEEE_DATA: &str = "/usr/share/ieee-data";

/// The CSV files read by [`OuiRegistry::load_dir`], as named by `ieee-data`.
pub const CSV_FILES: [&str; 4] = ["oui.csv", "mam.csv", "oui36.csv", "iab.csv"];

/// An IEEE MAC assignment registry with longest-prefix lookup.
#[derive(Debug, Clone, Default)]
pub struct OuiRegistry {
    /// `(prefix bits, sorted (prefix, name id))`, longest prefix first.
    tables: [(u8, Vec<(u64, u32)>); 3],
    names: Vec<Box<str>>,
    interned: HashMap<Box<str>, u32>,
}

/// Why a registry could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OuiError {
    /// No registry file was found in the directory.
    #[error("no IEEE registry CSV ({files}) in {dir}", files = CSV_FILES.join(", "))]
    NoFiles {
        /// The directory searched.
        dir: PathBuf,
    },
    /// A registry file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl OuiRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self {
            tables: [(36, Vec::new()), (28, Vec::new()), (24, Vec::new())],
            ..Self::default()
        }
    }

    /// Number of assignments held.
    pub fn len(&self) -> usize {
        self.tables.iter().map(|(_, t)| t.len()).sum()
    }

    /// Whether no assignment is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the assignments of one IEEE registry CSV export; rows that are
    /// not 6-, 7- or 9-hex-digit assignments are skipped. Returns rows added.
    pub fn add_csv(&mut self, csv: &[u8]) -> usize {
        let mut added = 0;
        for (assignment, org) in csv_rows(csv) {
            let Ok(prefix) = u64::from_str_radix(assignment.trim(), 16) else {
                continue;
            };
            let bits = match assignment.trim().len() {
                9 => 36,
                7 => 28,
                6 => 24,
                _ => continue,
            };
            let id = self.intern(org.trim());
            if let Some((_, t)) = self.tables.iter_mut().find(|(b, _)| *b == bits) {
                t.push((prefix, id));
                added += 1;
            }
        }
        for (_, t) in &mut self.tables {
            t.sort_unstable();
            t.dedup_by_key(|e| e.0);
        }
        added
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.interned.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.interned.insert(name.into(), id);
        id
    }

    /// Loads every registry CSV found in `dir` (see [`CSV_FILES`]).
    ///
    /// The only file-system access in this crate: reading a reference table
    /// at start-up, never captured traffic.
    pub fn load_dir(dir: &Path) -> Result<Self, OuiError> {
        let mut reg = Self::new();
        let mut found = false;
        for f in CSV_FILES {
            let path = dir.join(f);
            if !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|source| OuiError::Read {
                path: path.clone(),
                source,
            })?;
            reg.add_csv(&bytes);
            found = true;
        }
        if !found {
            return Err(OuiError::NoFiles {
                dir: dir.to_path_buf(),
            });
        }
        reg.interned = HashMap::new();
        Ok(reg)
    }

    /// Loads from `dir` when given, else from Debian's `ieee-data` location.
    pub fn load(dir: Option<&Path>) -> Result<Self, OuiError> {
        Self::load_dir(dir.unwrap_or_else(|| Path::new(DEBIAN_IEEE_DATA)))
    }

    /// The organisation the MAC's longest registered prefix is assigned to.
    ///
    /// Locally administered addresses (bit 1 of the first octet) have no
    /// registered vendor and return `None`.
    pub fn lookup(&self, mac: MacAddr) -> Option<&str> {
        if mac.0[0] & 0x02 != 0 {
            return None;
        }
        let v = mac.0.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        self.tables.iter().find_map(|(bits, t)| {
            let key = v >> (48 - u32::from(*bits));
            let i = t.binary_search_by_key(&key, |e| e.0).ok()?;
            let id = t.get(i)?.1;
            self.names.get(id as usize).map(|s| &**s)
        })
    }
}

/// Yields `(Assignment, Organization Name)` of each CSV record (RFC 4180
/// quoting), skipping the header.
fn csv_rows(csv: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(csv);
    let mut rows = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            ('\n', false) => {
                fields.push(std::mem::take(&mut cur));
                if let (Some(a), Some(o)) = (fields.get(1), fields.get(2)) {
                    rows.push((a.clone(), o.clone()));
                }
                fields.clear();
            }
            ('\r', false) => {}
            (c, _) => {
                // Only the first three fields are kept; skip address text.
                if fields.len() < 3 {
                    cur.push(c);
                }
            }
        }
    }
    fields.push(cur);
    if let (Some(a), Some(o)) = (fields.get(1), fields.get(2)) {
        rows.push((a.clone(), o.clone()));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix() {
        let mut r = OuiRegistry::new();
        r.add_csv(b"Registry,Assignment,Organization Name,Organization Address\nMA-L,70B3D5,IEEE Registration Authority,x\nMA-S,70B3D5F2F,\"TELE \"\"P\"\"\",\"a,\nb\"\nMA-M,741AE09,Private,\n");
        assert_eq!(r.len(), 3);
        assert_eq!(
            r.lookup(MacAddr([0x70, 0xb3, 0xd5, 0xf2, 0xf1, 0x23])),
            Some("TELE \"P\"")
        );
        assert_eq!(
            r.lookup(MacAddr([0x70, 0xb3, 0xd5, 0x00, 0x01, 0x23])),
            Some("IEEE Registration Authority")
        );
        assert_eq!(
            r.lookup(MacAddr([0x74, 0x1a, 0xe0, 0x90, 0, 1])),
            Some("Private")
        );
        assert_eq!(r.lookup(MacAddr([0x74, 0x1a, 0xe0, 0x80, 0, 1])), None);
    }
}
