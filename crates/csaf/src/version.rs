//! `version_t` (spec 3.1.11): a document version is either an integer
//! (3.1.11.1) or a semantic version 2.0.0 (3.1.11.2).

use std::cmp::Ordering;

/// A parsed `version_t` value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocVersion {
    /// Integer versioning (spec 3.1.11.1).
    Integer(u64),
    /// Semantic versioning (spec 3.1.11.2).
    Semver(Semver),
}

/// A semantic version (semver.org 2.0.0).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Semver {
    /// Major version.
    pub major: u64,
    /// Minor version.
    pub minor: u64,
    /// Patch version.
    pub patch: u64,
    /// Pre-release identifiers, dot separated, if any.
    pub pre: Option<String>,
    /// Build metadata, if any.
    pub build: Option<String>,
}

impl DocVersion {
    /// Parses a `version_t` value; `None` when it matches neither form.
    pub fn parse(s: &str) -> Option<Self> {
        if let Some(n) = parse_numeric(s) {
            return Some(Self::Integer(n));
        }
        let (rest, build) = match s.split_once('+') {
            Some((r, b)) => (r, Some(b)),
            None => (s, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (rest, None),
        };
        let mut parts = core.split('.');
        let major = parse_numeric(parts.next()?)?;
        let minor = parse_numeric(parts.next()?)?;
        let patch = parse_numeric(parts.next()?)?;
        if parts.next().is_some() {
            return None;
        }
        if let Some(p) = pre {
            let ok = p.split('.').all(|id| {
                !id.is_empty()
                    && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !(id.len() > 1
                        && id.starts_with('0')
                        && id.bytes().all(|b| b.is_ascii_digit()))
            });
            if !ok {
                return None;
            }
        }
        if let Some(b) = build {
            let ok = b.split('.').all(|id| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
            if !ok {
                return None;
            }
        }
        Some(Self::Semver(Semver {
            major,
            minor,
            patch,
            pre: pre.map(str::to_owned),
            build: build.map(str::to_owned),
        }))
    }

    /// The integer, or the major version of a semantic version.
    pub fn major(&self) -> u64 {
        match self {
            Self::Integer(n) => *n,
            Self::Semver(s) => s.major,
        }
    }

    /// Whether a pre-release part is present.
    pub fn has_pre_release(&self) -> bool {
        matches!(self, Self::Semver(Semver { pre: Some(_), .. }))
    }

    /// Whether build metadata is present.
    pub fn has_build(&self) -> bool {
        matches!(self, Self::Semver(Semver { build: Some(_), .. }))
    }

    /// Whether this is `0` or `0.y.z` (spec 6.1.17, 6.1.18).
    pub fn is_zero_major(&self) -> bool {
        self.major() == 0
    }

    /// Precedence (build metadata ignored, semver 2.0.0 section 11); integer
    /// versions compare numerically, mixed forms by major version.
    pub fn precedence(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Integer(a), Self::Integer(b)) => a.cmp(b),
            (Self::Semver(a), Self::Semver(b)) => (a.major, a.minor, a.patch)
                .cmp(&(b.major, b.minor, b.patch))
                .then_with(|| compare_pre(a.pre.as_deref(), b.pre.as_deref())),
            _ => self.major().cmp(&other.major()),
        }
    }

    /// Equal ignoring build metadata (and the pre-release part when `ignore_pre`).
    pub fn same_version(&self, other: &Self, ignore_pre: bool) -> bool {
        match (self, other) {
            (Self::Integer(a), Self::Integer(b)) => a == b,
            (Self::Semver(a), Self::Semver(b)) => {
                (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
                    && (ignore_pre || a.pre == b.pre)
            }
            _ => false,
        }
    }
}

/// `0` or a number without leading zeros.
fn parse_numeric(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

fn compare_pre(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => {
            let mut ia = a.split('.');
            let mut ib = b.split('.');
            loop {
                match (ia.next(), ib.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(x), Some(y)) => {
                        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                            (Ok(m), Ok(n)) => m.cmp(&n),
                            (Ok(_), Err(_)) => Ordering::Less,
                            (Err(_), Ok(_)) => Ordering::Greater,
                            (Err(_), Err(_)) => x.cmp(y),
                        };
                        if o != Ordering::Equal {
                            return o;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(DocVersion::parse("12"), Some(DocVersion::Integer(12)));
        assert!(DocVersion::parse("01").is_none());
        assert!(
            DocVersion::parse("1.0.0-rc.1+b5")
                .is_some_and(|v| v.has_pre_release() && v.has_build())
        );
        assert!(DocVersion::parse("1.0").is_none());
        let a = DocVersion::parse("1.0.0-alpha").unwrap_or(DocVersion::Integer(0));
        let b = DocVersion::parse("1.0.0").unwrap_or(DocVersion::Integer(0));
        assert_eq!(a.precedence(&b), Ordering::Less);
    }
}
