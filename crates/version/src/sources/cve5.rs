//! CVE JSON 5 `containers.*.affected[].versions[]` (CVE Record Format 5.x,
//! `versions`, `defaultStatus`, `lessThan`, `lessThanOrEqual`, `changes`).
//!
//! Real records, in particular those of industrial and medical CNAs, often
//! write the range into `version` itself ("All versions", "prior to 3.2",
//! "4.1 and earlier"); such phrases are read with a small, explicit
//! vocabulary and reported in the notes.

use crate::error::RangeError;
use crate::range::{Bound, Interval, VersionRange};
use crate::scheme::Scheme;
use crate::version::Version;
use phrase::{Phrase, phrase};

mod phrase;

/// A CVE 5 version status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// `affected`
    Affected,
    /// `unaffected`
    Unaffected,
    /// `unknown`
    Unknown,
}

impl Status {
    /// Reads a status; `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "affected" => Some(Status::Affected),
            "unaffected" => Some(Status::Unaffected),
            "unknown" => Some(Status::Unknown),
            _ => None,
        }
    }
}

/// One `versions[]` entry, borrowed from the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cve5Version<'a> {
    /// `version`
    pub version: &'a str,
    /// `status`
    pub status: Status,
    /// `versionType`
    pub version_type: Option<&'a str>,
    /// `lessThan`
    pub less_than: Option<&'a str>,
    /// `lessThanOrEqual`
    pub less_than_or_equal: Option<&'a str>,
    /// `changes[]` as (`at`, `status`).
    pub changes: Vec<(&'a str, Status)>,
}

/// The versions of one product, by status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cve5Ranges {
    /// Versions with status `affected` (including `defaultStatus`).
    pub affected: VersionRange,
    /// Versions with status `unaffected`.
    pub unaffected: VersionRange,
    /// Versions with status `unknown`, and those no entry covers when no
    /// `defaultStatus` is given (the schema's default is `unknown`).
    pub unknown: VersionRange,
}

/// Something in the entries that was read with a guess or left out.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cve5Note {
    /// A version did not fit the declared `versionType`; all were re-read
    /// with the generic scheme.
    FellBackToGeneric {
        /// The declared scheme.
        declared: Scheme,
        /// The first version that did not fit.
        value: String,
    },
    /// The range was read from a phrase in `version`.
    Phrase {
        /// The phrase.
        value: String,
    },
    /// An entry was skipped: `git` commit ids, or a version that says nothing
    /// ("n/a", "unspecified").
    Skipped {
        /// The `version` of the entry.
        value: String,
    },
}

/// Whether a CVE 5 value says nothing ("n/a", "unspecified", "unknown",
/// "-", empty) — what legacy records write for unknown vendors, products
/// and versions.
pub fn is_unspecified(value: &str) -> bool {
    phrase::is_nothing(value)
}

/// Builds the status ranges of one product from its `versions` and
/// `defaultStatus`, with notes on everything read by guess.
///
/// # Errors
/// Only when even the generic scheme cannot read a version.
pub fn from_versions(
    default_status: Option<Status>,
    versions: &[Cve5Version<'_>],
) -> Result<(Cve5Ranges, Vec<Cve5Note>), RangeError> {
    let declared = versions
        .iter()
        .find_map(|v| v.version_type)
        .and_then(Scheme::from_cve_version_type)
        .unwrap_or(Scheme::Generic);
    let mut notes = Vec::new();
    match build(declared, default_status, versions, &mut notes) {
        Ok(r) => Ok((r, notes)),
        Err(RangeError::Version(crate::VersionError::Invalid { value, .. }))
            if declared != Scheme::Generic =>
        {
            let mut notes = vec![Cve5Note::FellBackToGeneric { declared, value }];
            let r = build(Scheme::Generic, default_status, versions, &mut notes)?;
            Ok((r, notes))
        }
        Err(e) => Err(e),
    }
}

/// The intervals a phrase stands for.
fn intervals(
    p: &Phrase<'_>,
    ver: &dyn Fn(&str) -> Result<Version, RangeError>,
) -> Result<Vec<Interval>, RangeError> {
    let iv = |lower, upper| Interval { lower, upper };
    Ok(match p {
        Phrase::All => vec![iv(Bound::Unbounded, Bound::Unbounded)],
        Phrase::Nothing | Phrase::Unreadable => Vec::new(),
        Phrase::Exact(v) => {
            let v = ver(v)?;
            vec![iv(Bound::Included(v.clone()), Bound::Included(v))]
        }
        Phrase::Lower(true, v) => vec![iv(Bound::Included(ver(v)?), Bound::Unbounded)],
        Phrase::Lower(false, v) => vec![iv(Bound::Excluded(ver(v)?), Bound::Unbounded)],
        Phrase::Upper(true, v) => vec![iv(Bound::Unbounded, Bound::Included(ver(v)?))],
        Phrase::Upper(false, v) => vec![iv(Bound::Unbounded, Bound::Excluded(ver(v)?))],
        Phrase::Between(a, b) => vec![iv(Bound::Included(ver(a)?), Bound::Included(ver(b)?))],
        Phrase::List(ps) => {
            let mut out = Vec::new();
            for p in ps {
                out.extend(intervals(p, ver)?);
            }
            out
        }
    })
}

/// The start of a `lessThan` range: "0", "*" and empty values mean "from
/// the first version" in practice; "next of X" (from CVE 4 conversions)
/// excludes X.
fn start(s: &str, ver: &dyn Fn(&str) -> Result<Version, RangeError>) -> Result<Bound, RangeError> {
    let t = s.trim();
    if t == "0" || t == "*" || phrase::is_nothing(t) {
        return Ok(Bound::Unbounded);
    }
    Ok(match phrase(t) {
        Phrase::Lower(false, v) => Bound::Excluded(ver(v)?),
        Phrase::Lower(true, v) | Phrase::Exact(v) => Bound::Included(ver(v)?),
        _ => Bound::Included(ver(t)?),
    })
}

fn build(
    scheme: Scheme,
    default_status: Option<Status>,
    versions: &[Cve5Version<'_>],
    notes: &mut Vec<Cve5Note>,
) -> Result<Cve5Ranges, RangeError> {
    let ver = |s: &str| Version::parse(scheme, s.trim()).map_err(RangeError::from);
    let mut pieces: Vec<(Status, Interval)> = Vec::new();
    for e in versions {
        if e.version_type
            .is_some_and(|t| t.eq_ignore_ascii_case("git"))
        {
            notes.push(Cve5Note::Skipped {
                value: e.version.into(),
            });
            continue;
        }
        // "unspecified" as an upper limit (CVE 4 conversions) means none.
        let open = |v: &str| v.trim() == "*" || phrase::is_nothing(v);
        let upper = match (e.less_than, e.less_than_or_equal) {
            (Some(v), _) | (None, Some(v)) if open(v) => Some(Bound::Unbounded),
            (Some(v), _) => Some(Bound::Excluded(ver(v)?)),
            (None, Some(v)) => Some(Bound::Included(ver(v)?)),
            (None, None) => None,
        };
        if let Some(upper) = upper {
            let mut lower = start(e.version, &ver)?;
            if !matches!(phrase(e.version), Phrase::Exact(_))
                && !matches!(e.version.trim(), "0" | "*")
            {
                notes.push(Cve5Note::Phrase {
                    value: e.version.into(),
                });
            }
            let mut status = e.status;
            let mut changes = e
                .changes
                .iter()
                .map(|(at, s)| Ok((ver(at)?, *s)))
                .collect::<Result<Vec<_>, RangeError>>()?;
            changes.sort_by(|a, b| a.0.cmp(&b.0));
            for (at, next) in changes {
                let upper = Bound::Excluded(at.clone());
                pieces.push((status, Interval { lower, upper }));
                lower = Bound::Included(at);
                status = next;
            }
            pieces.push((status, Interval { lower, upper }));
            continue;
        }
        let p = phrase(e.version);
        match &p {
            Phrase::Nothing | Phrase::Unreadable => {
                notes.push(Cve5Note::Skipped {
                    value: e.version.into(),
                });
                continue;
            }
            p if p.is_guess() => notes.push(Cve5Note::Phrase {
                value: e.version.into(),
            }),
            _ => {}
        }
        for iv in intervals(&p, &ver)? {
            pieces.push((e.status, iv));
        }
    }
    let of = |want: Status| {
        VersionRange::from_intervals(
            scheme,
            pieces
                .iter()
                .filter(|(s, _)| *s == want)
                .map(|(_, iv)| iv.clone()),
        )
    };
    let (mut affected, mut unaffected, mut unknown) = (
        of(Status::Affected)?,
        of(Status::Unaffected)?,
        of(Status::Unknown)?,
    );
    let rest = affected.union(&unaffected)?.union(&unknown)?.complement();
    match default_status.unwrap_or(Status::Unknown) {
        Status::Affected => affected = affected.union(&rest)?,
        Status::Unaffected => unaffected = unaffected.union(&rest)?,
        Status::Unknown => unknown = unknown.union(&rest)?,
    }
    Ok(Cve5Ranges {
        affected,
        unaffected,
        unknown,
    })
}

#[cfg(test)]
mod tests;
