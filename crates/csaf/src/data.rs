//! Reference data the validator checks against, generated into `data/` by
//! `tools/gen-data.mjs` (see there for the source and why).
//!
//! - CWE catalogue (spec 6.1.11): every id with every name it carried in
//!   any catalogue version 1.0 … 4.17, the current name first.
//! - IANA language subtag registry (spec 6.1.12, BCP 47 / RFC 5646).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const CWE_TSV: &str = include_str!("../data/cwe.tsv");
const SUBTAGS_TXT: &str = include_str!("../data/language-subtags.txt");

/// The CWE catalogue: id number → names (current first).
fn cwe_table() -> &'static HashMap<u32, Vec<&'static str>> {
    static TABLE: OnceLock<HashMap<u32, Vec<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        CWE_TSV
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let id = cols.next()?.parse().ok()?;
                Some((id, cols.collect()))
            })
            .collect()
    })
}

/// The names a CWE id has carried, current first; `None` if the id is unknown.
pub fn cwe_names(id: u32) -> Option<&'static [&'static str]> {
    cwe_table().get(&id).map(Vec::as_slice)
}

/// Number of CWE entries known (for reports).
pub fn cwe_count() -> usize {
    cwe_table().len()
}

/// The subtag types of the IANA registry used in checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubtagType {
    /// Primary language subtag.
    Language,
    /// Extended language subtag.
    Extlang,
    /// Script subtag (ISO 15924).
    Script,
    /// Region subtag (ISO 3166-1 or UN M.49).
    Region,
    /// Variant subtag.
    Variant,
}

fn subtags() -> &'static HashMap<&'static str, HashSet<&'static str>> {
    static TABLE: OnceLock<HashMap<&'static str, HashSet<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        SUBTAGS_TXT
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut words = l.split(' ');
                let kind = words.next()?;
                Some((kind, words.filter(|w| !w.is_empty()).collect()))
            })
            .collect()
    })
}

/// Whether `subtag` (any case) is registered with type `kind`.
pub fn is_registered_subtag(kind: SubtagType, subtag: &str) -> bool {
    let key = match kind {
        SubtagType::Language => "language",
        SubtagType::Extlang => "extlang",
        SubtagType::Script => "script",
        SubtagType::Region => "region",
        SubtagType::Variant => "variant",
    };
    let lower = subtag.to_ascii_lowercase();
    subtags()
        .get(key)
        .is_some_and(|set| set.contains(lower.as_str()))
}

/// The grandfathered tags of RFC 5646 section 2.2.8 (irregular and regular):
/// valid as a whole though they do not follow the subtag grammar.
pub const GRANDFATHERED_TAGS: &[&str] = &[
    "art-lojban",
    "cel-gaulish",
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "no-bok",
    "no-nyn",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
];
