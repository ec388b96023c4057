//! Vendor and product name normalisation, and the vendor alias table
//! (`data/vendors.toml`) of mergers and renames in the medical-device market.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::AliasError;

/// Legal-form words that say nothing about who the vendor is.
const LEGAL_SUFFIXES: [&str; 27] = [
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "ag",
    "co",
    "corp",
    "corporation",
    "company",
    "sa",
    "plc",
    "oy",
    "ab",
    "bv",
    "nv",
    "kg",
    "kgaa",
    "se",
    "spa",
    "srl",
    "sas",
    "pty",
    "kk",
    "as",
    "asa",
];

/// Folds a character to ASCII where it has an obvious Latin base letter.
fn fold(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' => "a",
        'ä' | 'æ' => "ae",
        'ç' | 'č' | 'ć' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'ö' | 'œ' => "oe",
        'ù' | 'ú' | 'û' => "u",
        'ü' => "ue",
        'ß' => "ss",
        'ý' | 'ÿ' => "y",
        'š' => "s",
        'ž' => "z",
        _ => "",
    }
}

/// Undoes UTF-8 text that was decoded as Latin-1 on the way ("YhtymÃ¤" for
/// "Yhtymä", as in a real CISA advisory): when every character fits in a
/// byte and those bytes are valid UTF-8 with fewer characters, use them.
fn repair_mojibake(s: &str) -> Option<String> {
    if !s.contains(['Ã', 'Â', 'Å']) {
        return None;
    }
    let bytes: Option<Vec<u8>> = s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
    let fixed = String::from_utf8(bytes?).ok()?;
    (fixed.chars().count() < s.chars().count()).then_some(fixed)
}

/// Normalises a vendor or product name for comparison: lower case, accents
/// folded (`Dräger` → `draeger`, so it meets the `Draeger` spelling; text
/// mangled by a Latin-1 decoding is repaired first), `&`
/// read as `and`, other punctuation as space, legal-form words dropped,
/// spaces collapsed.
pub fn normalize_name(name: &str) -> String {
    let repaired = repair_mojibake(name);
    let name = repaired.as_deref().unwrap_or(name);
    let mut flat = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let f = fold(c);
        if !f.is_empty() {
            flat.push_str(f);
        } else if c == '&' {
            flat.push_str(" and ");
        } else if c.is_alphanumeric() {
            flat.push(c);
        } else {
            flat.push(' ');
        }
    }
    let words: Vec<&str> = flat.split_whitespace().collect();
    // Keep the name whole when it is nothing but legal words ("AG").
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !LEGAL_SUFFIXES.contains(w))
        .collect();
    if kept.is_empty() {
        words.join(" ")
    } else {
        kept.join(" ")
    }
}

#[derive(Debug, Deserialize)]
struct Table {
    vendor: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
struct Entry {
    canonical: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    parent: Option<String>,
}

/// The outcome of looking a vendor name up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VendorMatch<'a> {
    /// The canonical name of the vendor.
    pub canonical: &'a str,
    /// Whether the name was an alias (a merger, rename or variant) rather
    /// than the canonical name itself.
    pub via_alias: bool,
}

/// The vendor alias table: normalised names → canonical vendor, with the
/// parent companies of brands that live on after an acquisition.
#[derive(Debug, Clone)]
pub struct VendorAliases {
    by_name: HashMap<String, usize>,
    canonical: Vec<String>,
    parent: Vec<Option<usize>>,
}

const BUILTIN: &str = include_str!("../data/vendors.toml");

impl VendorAliases {
    /// The table shipped with the crate (`data/vendors.toml`).
    ///
    /// # Errors
    /// Only if the shipped file is broken, which a test rules out.
    pub fn builtin() -> Result<VendorAliases, AliasError> {
        VendorAliases::from_toml(BUILTIN)
    }

    /// Reads a table in the format of `data/vendors.toml`.
    ///
    /// # Errors
    /// [`AliasError::Invalid`] on bad TOML, an unknown parent, or a name
    /// claimed by two vendors.
    pub fn from_toml(text: &str) -> Result<VendorAliases, AliasError> {
        let table: Table = toml::from_str(text).map_err(|e| AliasError::Invalid {
            reason: e.to_string(),
        })?;
        let mut by_name = HashMap::new();
        let mut canonical = Vec::new();
        for (i, e) in table.vendor.iter().enumerate() {
            canonical.push(e.canonical.clone());
            for n in std::iter::once(&e.canonical).chain(&e.aliases) {
                if let Some(prev) = by_name.insert(normalize_name(n), i)
                    && prev != i
                {
                    return Err(AliasError::Invalid {
                        reason: format!("{n:?} belongs to two vendors"),
                    });
                }
            }
        }
        let mut parent = Vec::new();
        for e in &table.vendor {
            parent.push(match &e.parent {
                None => None,
                Some(p) => {
                    Some(
                        *by_name
                            .get(&normalize_name(p))
                            .ok_or_else(|| AliasError::Invalid {
                                reason: format!("unknown parent {p:?}"),
                            })?,
                    )
                }
            });
        }
        Ok(VendorAliases {
            by_name,
            canonical,
            parent,
        })
    }

    /// The canonical vendor for `name`, if the table knows it.
    pub fn lookup(&self, name: &str) -> Option<VendorMatch<'_>> {
        let n = normalize_name(name);
        let &i = self.by_name.get(&n)?;
        Some(VendorMatch {
            canonical: &self.canonical[i],
            via_alias: normalize_name(&self.canonical[i]) != n,
        })
    }

    /// The canonical vendor, or the normalised name when unknown.
    pub fn canonical(&self, name: &str) -> String {
        match self.lookup(name) {
            Some(m) => m.canonical.to_string(),
            None => normalize_name(name),
        }
    }

    /// The chain of owners of `name`'s vendor, nearest first (Welch Allyn →
    /// Hillrom → Baxter).
    pub fn owners(&self, name: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut cur = self.by_name.get(&normalize_name(name)).copied();
        while let Some(i) = cur.and_then(|i| self.parent[i]) {
            if out.len() > self.canonical.len() {
                break; // a cycle in a user table
            }
            out.push(self.canonical[i].as_str());
            cur = Some(i);
        }
        out
    }

    /// Normalises a product name and drops a leading vendor name (as given
    /// or canonical): "Philips IntelliVue MX40" by Philips → "intellivue
    /// mx40". Brand names of absorbed companies are kept ("MiniMed 780G"
    /// stays whole), as they tell products apart.
    pub fn normalize_product(&self, vendor: &str, product: &str) -> String {
        let p = normalize_name(product);
        let mut prefixes = vec![normalize_name(vendor)];
        if let Some(m) = self.lookup(vendor) {
            prefixes.push(normalize_name(m.canonical));
        }
        prefixes.sort_by_key(|x| std::cmp::Reverse(x.len()));
        for v in prefixes.iter().filter(|v| !v.is_empty()) {
            if let Some(rest) = p.strip_prefix(v.as_str()).and_then(|r| r.strip_prefix(' ')) {
                return rest.to_string();
            }
        }
        p
    }

    /// Whether two names designate the same vendor (same canonical name, or
    /// equal after normalisation when the table knows neither).
    pub fn same_vendor(&self, a: &str, b: &str) -> bool {
        self.canonical(a) == self.canonical(b)
    }
}

#[cfg(test)]
mod tests;
