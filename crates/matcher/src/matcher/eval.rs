//! Whether one entry's versions hold one group's version, and why.

use std::sync::Arc;

use medvigil_ident::Cpe;
use medvigil_ident::cpe::{Relation, compare_values};
use medvigil_version::Version;

use super::Group;
use crate::catalog::{Catalog, Entry, NONE, VersionSpec};
use crate::finding::{Status, VersionEvidence};
use crate::keys;
use crate::range_text::clean_version;

/// The version outcome, without strings (made into evidence for winners).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Hit {
    Range(u32),
    Listed,
    All,
    Unknown,
    Unreadable,
    Unparsed,
    NoInfo,
}

impl Hit {
    pub(super) fn penalty(&self) -> u8 {
        match self {
            Hit::Range(_) | Hit::Listed => 0,
            Hit::All => 5,
            Hit::Unknown | Hit::Unreadable => 30,
            Hit::Unparsed | Hit::NoInfo => 35,
        }
    }

    pub(super) fn evidence(
        &self,
        catalog: &Catalog,
        entry: &Entry,
        version: Option<&Arc<str>>,
    ) -> VersionEvidence {
        let v = || version.cloned().unwrap_or_else(|| Arc::from(""));
        let range_text = || match entry.ranges.of(&catalog.range_ids).first() {
            Some(&r) => catalog.ranges[r as usize].text.clone(),
            None => Arc::from("(none)"),
        };
        match self {
            Hit::Range(r) => VersionEvidence::InRange {
                version: v(),
                range: catalog.ranges[*r as usize].text.clone(),
            },
            Hit::Listed => VersionEvidence::Listed { version: v() },
            Hit::All => VersionEvidence::AllVersions,
            Hit::Unknown => VersionEvidence::TargetVersionUnknown {
                range: range_text(),
            },
            Hit::Unreadable => VersionEvidence::TargetVersionUnreadable {
                version: v(),
                range: range_text(),
            },
            Hit::Unparsed => VersionEvidence::RangeUnparsed {
                text: if entry.text == NONE {
                    Arc::from("")
                } else {
                    catalog.strings.resolve(entry.text).clone()
                },
            },
            Hit::NoInfo => VersionEvidence::NoVersionInformation,
        }
    }
}

/// Versions written the same way (case and spacing aside).
fn same_text(a: &str, b: &str) -> bool {
    let mut x = a.split_whitespace();
    let mut y = b.split_whitespace();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

/// The outcome and its specificity (3 exact version, 2 range, 1 all
/// versions, 0 uncertain), or `None` when the entry does not apply.
pub(super) fn evaluate(catalog: &Catalog, entry: &Entry, g: &Group) -> Option<(Hit, u8)> {
    let uncertain_ok = matches!(entry.status, Status::Affected | Status::UnderInvestigation);
    let version = g.version.as_deref();
    if let Some(v) = version
        && entry.text != NONE
        && same_text(v, catalog.strings.resolve(entry.text))
    {
        return Some((Hit::Listed, 3));
    }
    match entry.spec {
        VersionSpec::All => Some((Hit::All, 1)),
        VersionSpec::Unparsed => uncertain_ok.then_some((Hit::Unparsed, 0)),
        VersionSpec::NoInfo => uncertain_ok.then_some((Hit::NoInfo, 0)),
        VersionSpec::Ranges => {
            let Some(v) = version else {
                return uncertain_ok.then_some((Hit::Unknown, 0));
            };
            let mut unreadable = false;
            let mut hit = None;
            let mut owned: Option<Version> = None;
            for &r in entry.ranges.of(&catalog.range_ids) {
                let slot = &catalog.ranges[r as usize];
                let scheme = slot.range.scheme();
                let parsed = if g.scheme == scheme {
                    g.parsed.as_ref()
                } else {
                    if owned.as_ref().is_none_or(|o| o.scheme() != scheme) {
                        owned = Version::parse(scheme, clean_version(v)).ok();
                    }
                    owned.as_ref()
                };
                let Some(pv) = parsed else {
                    unreadable = true;
                    continue;
                };
                if slot.range.contains(pv) {
                    hit = Some((Hit::Range(r), if slot.is_point { 3 } else { 2 }));
                    break;
                }
            }
            if hit.is_none()
                && entry
                    .listed
                    .of(&catalog.listed)
                    .iter()
                    .any(|&s| same_text(v, catalog.strings.resolve(s)))
            {
                hit = Some((Hit::Listed, 3));
            }
            if hit.is_some() && entry.unaffected != NONE {
                let slot = &catalog.ranges[entry.unaffected as usize];
                if let Ok(pv) = Version::parse(slot.range.scheme(), clean_version(v))
                    && slot.range.contains(&pv)
                {
                    return None;
                }
            }
            match hit {
                Some(h) => Some(h),
                None if unreadable && uncertain_ok => Some((Hit::Unreadable, 0)),
                None => None,
            }
        }
    }
}

/// Whether the entry's CPE applies to one of the target's CPEs with this
/// key: every attribute but the version (which the ranges decide) equal,
/// a superset, or a subset (the target's ANY means "not known").
pub(super) fn cpe_applies(catalog: &Catalog, cpe: u32, key: &str, targets: &[Cpe]) -> bool {
    let Some(src) = catalog.cpes.get(cpe as usize) else {
        return true;
    };
    targets.iter().any(|t| {
        keys::cpe_key(t).as_deref() == Some(key)
            && src
                .values()
                .iter()
                .zip(t.values())
                .enumerate()
                .filter(|(i, _)| *i != 3)
                .all(|(_, (a, b))| {
                    matches!(
                        compare_values(a, b),
                        Relation::Equal | Relation::Superset | Relation::Subset
                    )
                })
    })
}
