//! Device fingerprint catalog for passive discovery: rules in a TOML data
//! file say which observed values (DICOM implementation names, HL7 sending
//! applications, DHCP vendor classes, LLDP descriptions, IEEE registrants, …)
//! point to which vendor, product, software, category, modality or OS.
//!
//! Pure: rules arrive as text, observations as values; no I/O. The format is
//! described in the crate README; the built-in rules are in
//! `data/fingerprints.toml`.
//!
//! ```
//! use medvigil_fingerprint::Catalog;
//! let user = Catalog::from_toml(r#"
//!     [[rule]]
//!     id = "site-pacs"
//!     when.dicom_called_ae_title = "MAINPACS"
//!     then = { category = "pacs", product = "Site PACS" }
//!     confidence = 90
//! "#)?;
//! let catalog = Catalog::builtin()?.merge(user);
//! let ids = catalog.identify(&[]);
//! assert!(ids.is_empty());
//! # Ok::<(), medvigil_fingerprint::RuleError>(())
//! ```

#![warn(missing_docs)]

mod category;
mod error;
mod field;
mod identify;
mod pattern;
mod rule;

use std::collections::HashMap;

use medvigil_capture::Observation;

pub use category::Category;
pub use error::RuleError;
pub use field::Field;
pub use identify::{AGREEMENT_CAP, Attributed, Evidence, Identification};

/// What a listing shows of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleInfo<'a> {
    /// The rule id.
    pub id: &'a str,
    /// The fields its conditions test, anchor first.
    pub fields: Vec<Field>,
    /// Its confidence.
    pub confidence: u8,
    /// Its source or justification.
    pub note: Option<&'a str>,
}

/// The rules shipped with medvigil.
pub const BUILTIN_RULES: &str = include_str!("../data/fingerprints.toml");

/// A set of compiled rules, indexed by the field of each rule's anchor
/// (first) condition.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    rules: Vec<rule::Rule>,
    /// Anchors that are exact, case-sensitive: (field, text) → rules.
    exact: HashMap<(Field, String), Vec<usize>>,
    /// Anchors that are exact, case-insensitive: (field, lower-case) → rules.
    exact_folded: HashMap<(Field, String), Vec<usize>>,
    /// Other anchors, by field.
    scan: HashMap<Field, Vec<usize>>,
}

impl Catalog {
    /// The built-in rules (`data/fingerprints.toml`).
    ///
    /// # Errors
    /// Never in a released build (a test loads them); the `Result` keeps
    /// a broken edit of the data file from panicking.
    pub fn builtin() -> Result<Self, RuleError> {
        Self::from_toml(BUILTIN_RULES)
    }

    /// Reads a rule file.
    ///
    /// # Errors
    /// The first problem found, naming the rule id, the key and the value.
    pub fn from_toml(text: &str) -> Result<Self, RuleError> {
        Ok(Self::from_rules(rule::parse(text)?))
    }

    fn from_rules(rules: Vec<rule::Rule>) -> Self {
        let mut c = Self {
            rules,
            ..Self::default()
        };
        for (i, r) in c.rules.iter().enumerate() {
            let Some(anchor) = r.conditions.first() else {
                continue;
            };
            for p in &anchor.any {
                let slot = match p.exact_key() {
                    Some(k) if p.ignore_case => c
                        .exact_folded
                        .entry((anchor.field, k.to_owned()))
                        .or_default(),
                    Some(k) => c.exact.entry((anchor.field, k.to_owned())).or_default(),
                    None => c.scan.entry(anchor.field).or_default(),
                };
                if slot.last() != Some(&i) {
                    slot.push(i);
                }
            }
        }
        c
    }

    /// This catalog with `user`'s rules in front: a user rule replaces the
    /// rule of the same id here, and wins ties between equal confidences.
    #[must_use]
    pub fn merge(self, user: Catalog) -> Catalog {
        let mut rules = user.rules;
        let ids: std::collections::HashSet<String> = rules.iter().map(|r| r.id.clone()).collect();
        rules.extend(self.rules.into_iter().filter(|r| !ids.contains(&r.id)));
        Self::from_rules(rules)
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Rule ids in evaluation order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// A summary of each rule, in evaluation order (for listings).
    pub fn rules(&self) -> impl Iterator<Item = RuleInfo<'_>> {
        self.rules.iter().map(|r| RuleInfo {
            id: &r.id,
            fields: r.conditions.iter().map(|c| c.field).collect(),
            confidence: r.confidence,
            note: r.note.as_deref(),
        })
    }

    /// Identifies the endpoints of a capture: one [`Identification`] per
    /// endpoint (by MAC, else by IP and VLAN) that at least one rule
    /// matches, in endpoint order.
    pub fn identify(&self, observations: &[Observation]) -> Vec<Identification> {
        identify::identify(self, observations)
    }

    /// Rules whose anchor condition matches `value` of `field`, in order.
    fn anchored(&self, field: Field, value: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if let Some(v) = self.exact.get(&(field, value.to_owned())) {
            out.extend(v);
        }
        if let Some(v) = self.exact_folded.get(&(field, value.to_lowercase())) {
            out.extend(v);
        }
        if let Some(v) = self.scan.get(&field) {
            out.extend(v.iter().filter(|&&i| {
                self.rules[i]
                    .conditions
                    .first()
                    .is_some_and(|c| c.matches(value).is_some())
            }));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
