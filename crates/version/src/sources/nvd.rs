//! NVD API 2.0 `configurations[].nodes[].cpeMatch[]` version bounds
//! (`versionStartIncluding`, `versionStartExcluding`, `versionEndIncluding`,
//! `versionEndExcluding`).

use crate::error::RangeError;
use crate::range::{Bound, Interval, VersionRange};
use crate::scheme::Scheme;
use crate::version::Version;

/// The four optional bounds of an NVD CPE match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CpeMatchBounds<'a> {
    /// `versionStartIncluding`
    pub start_including: Option<&'a str>,
    /// `versionStartExcluding`
    pub start_excluding: Option<&'a str>,
    /// `versionEndIncluding`
    pub end_including: Option<&'a str>,
    /// `versionEndExcluding`
    pub end_excluding: Option<&'a str>,
}

impl CpeMatchBounds<'_> {
    /// Whether any bound is given.
    pub fn is_bounded(&self) -> bool {
        self.start_including.is_some()
            || self.start_excluding.is_some()
            || self.end_including.is_some()
            || self.end_excluding.is_some()
    }
}

/// The range the bounds describe (NVD versions are free-form: use
/// [`Scheme::Generic`] unless the product's scheme is known).
///
/// # Errors
/// When both an including and an excluding bound are given on one side, or a
/// version is not one of `scheme`.
pub fn from_bounds(scheme: Scheme, b: &CpeMatchBounds<'_>) -> Result<VersionRange, RangeError> {
    let side = |inc: Option<&str>, exc: Option<&str>| -> Result<Bound, RangeError> {
        Ok(match (inc, exc) {
            (Some(_), Some(_)) => {
                return Err(RangeError::Source {
                    source_format: "nvd",
                    reason: "both an including and an excluding bound on one side",
                });
            }
            (Some(v), None) => Bound::Included(Version::parse(scheme, v)?),
            (None, Some(v)) => Bound::Excluded(Version::parse(scheme, v)?),
            (None, None) => Bound::Unbounded,
        })
    };
    let lower = side(b.start_including, b.start_excluding)?;
    let upper = side(b.end_including, b.end_excluding)?;
    VersionRange::from_intervals(scheme, [Interval { lower, upper }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() -> Result<(), RangeError> {
        let b = CpeMatchBounds {
            start_including: Some("2.0"),
            end_excluding: Some("2.4.1"),
            ..Default::default()
        };
        let r = from_bounds(Scheme::Generic, &b)?;
        assert_eq!(r.to_string(), "vers:generic/>=2.0|<2.4.1");
        assert!(r.contains_str("2.4.0b")?);
        Ok(())
    }
}
