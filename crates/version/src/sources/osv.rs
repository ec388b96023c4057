//! OSV `affected[].ranges[]` of type `SEMVER` and `ECOSYSTEM` (OSV schema,
//! "affected[].ranges[].events" and "Evaluation").

use crate::error::RangeError;
use crate::range::{Bound, Interval, VersionRange};
use crate::scheme::Scheme;
use crate::version::Version;

/// One OSV range event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OsvEvent {
    /// `introduced`: the first affected version; `"0"` means "from the start".
    Introduced(String),
    /// `fixed`: the first unaffected version after an introduced one.
    Fixed(String),
    /// `last_affected`: the last affected version.
    LastAffected(String),
    /// `limit`: an upper limit on the whole range (used with git).
    Limit(String),
}

/// The version of an event, `None` for `introduced: "0"` and `limit: "*"`.
fn event_version(scheme: Scheme, e: &OsvEvent) -> Result<Option<Version>, RangeError> {
    let s = match e {
        OsvEvent::Introduced(s) if s == "0" => return Ok(None),
        OsvEvent::Limit(s) if s == "*" => return Ok(None),
        OsvEvent::Introduced(s)
        | OsvEvent::Fixed(s)
        | OsvEvent::LastAffected(s)
        | OsvEvent::Limit(s) => s,
    };
    Ok(Some(Version::parse(scheme, s)?))
}

/// The versions an OSV range affects, following the schema's evaluation:
/// events sorted by version, each `introduced` opening an affected interval
/// that the next `fixed` (exclusive) or `last_affected` (inclusive) closes;
/// `limit`s cut the result above the highest limit.
///
/// # Errors
/// When a version is not one of `scheme`.
pub fn from_events(scheme: Scheme, events: &[OsvEvent]) -> Result<VersionRange, RangeError> {
    let mut sorted = Vec::with_capacity(events.len());
    for e in events {
        sorted.push((event_version(scheme, e)?, e));
    }
    // `None` (introduced "0") sorts first; at equal versions, close before
    // opening so that `fixed: X, introduced: X` reopens at X.
    sorted.sort_by(|(va, ea), (vb, eb)| {
        va.cmp(vb).then_with(|| {
            matches!(ea, OsvEvent::Introduced(_)).cmp(&matches!(eb, OsvEvent::Introduced(_)))
        })
    });
    let mut intervals = Vec::new();
    let mut open: Option<Bound> = None;
    let mut limit: Option<Option<Version>> = None;
    for (v, e) in sorted {
        match (e, v) {
            (OsvEvent::Introduced(_), v) => {
                if open.is_none() {
                    open = Some(v.map_or(Bound::Unbounded, Bound::Included));
                }
            }
            (OsvEvent::Fixed(_), Some(v)) => {
                if let Some(lower) = open.take() {
                    intervals.push(Interval {
                        lower,
                        upper: Bound::Excluded(v),
                    });
                }
            }
            (OsvEvent::LastAffected(_), Some(v)) => {
                if let Some(lower) = open.take() {
                    intervals.push(Interval {
                        lower,
                        upper: Bound::Included(v),
                    });
                }
            }
            (OsvEvent::Limit(_), v) => {
                // `limit: "*"` (None) lifts the limit; otherwise keep the highest.
                limit = match (limit, v) {
                    (Some(None), _) | (_, None) => Some(None),
                    (Some(Some(old)), Some(v)) => Some(Some(old.max(v))),
                    (None, Some(v)) => Some(Some(v)),
                };
            }
            (_, None) => {
                return Err(RangeError::Source {
                    source_format: "osv",
                    reason: "fixed or last_affected without a version",
                });
            }
        }
    }
    if let Some(lower) = open {
        intervals.push(Interval {
            lower,
            upper: Bound::Unbounded,
        });
    }
    let range = VersionRange::from_intervals(scheme, intervals)?;
    match limit {
        Some(Some(l)) => range.intersection(&VersionRange::from_intervals(
            scheme,
            [Interval {
                lower: Bound::Unbounded,
                upper: Bound::Excluded(l),
            }],
        )?),
        _ => Ok(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn introduced_fixed_pairs() -> Result<(), RangeError> {
        let r = from_events(
            Scheme::Golang,
            &[
                OsvEvent::Introduced("0".into()),
                OsvEvent::Fixed("1.6.0".into()),
                OsvEvent::Introduced("2.0.0".into()),
                OsvEvent::LastAffected("2.1.0".into()),
            ],
        )?;
        assert_eq!(r.to_string(), "vers:golang/<1.6.0|>=2.0.0|<=2.1.0");
        assert!(r.contains_str("1.5.9")?);
        assert!(!r.contains_str("1.6.0")?);
        assert!(r.contains_str("v2.1.0")?);
        assert!(!r.contains_str("2.1.1")?);
        Ok(())
    }

    #[test]
    fn open_ended_and_limit() -> Result<(), RangeError> {
        let r = from_events(
            Scheme::Pypi,
            &[
                OsvEvent::Introduced("2.3.0".into()),
                OsvEvent::Limit("3.0".into()),
            ],
        )?;
        assert_eq!(r.to_string(), "vers:pypi/>=2.3.0|<3.0");
        Ok(())
    }
}
