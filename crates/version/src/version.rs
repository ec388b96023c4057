//! A version string read under a scheme, ordered by that scheme's rules.

use std::cmp::Ordering;
use std::fmt;

use crate::error::VersionError;
use crate::scheme::Scheme;
use crate::schemes::{
    alpine, date, debian, gem, generic, maven, pep440, rpm, semver, tokens::Tokens,
};

/// The scheme-specific comparison key of a version; its `Hash` agrees with
/// its equality (dpkg and rpm keys hash a canonical form).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Tokens(Tokens),
    Semver(semver::Key),
    Pep440(pep440::Key),
    Debian(debian::Key),
    Alpine(alpine::Key),
    Date(date::Key),
    Rpm(rpm::Key),
}

impl Key {
    fn rank(&self) -> u8 {
        match self {
            Key::Tokens(_) => 0,
            Key::Semver(_) => 1,
            Key::Pep440(_) => 2,
            Key::Debian(_) => 3,
            Key::Alpine(_) => 4,
            Key::Date(_) => 5,
            Key::Rpm(_) => 6,
        }
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Key::Tokens(a), Key::Tokens(b)) => a.cmp(b),
            (Key::Semver(a), Key::Semver(b)) => a.cmp(b),
            (Key::Pep440(a), Key::Pep440(b)) => a.cmp(b),
            (Key::Debian(a), Key::Debian(b)) => a.cmp(b),
            (Key::Alpine(a), Key::Alpine(b)) => a.cmp(b),
            (Key::Date(a), Key::Date(b)) => a.cmp(b),
            (Key::Rpm(a), Key::Rpm(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A version: the original string, its scheme, and the key that orders it.
///
/// Equality is the scheme's (`1.0` equals `1.0.0` in PEP 440 and in the
/// generic scheme; semver ignores build metadata) and always agrees with
/// [`Ord`]. Versions of different schemes are ordered by scheme first: that
/// keeps the order total, but comparing them means nothing (`vers` spec,
/// "Notes and caveats"). [`Hash`](std::hash::Hash) agrees with equality,
/// so versions can key hash maps.
#[derive(Clone)]
pub struct Version {
    scheme: Scheme,
    raw: Box<str>,
    key: Key,
}

impl Version {
    /// Reads `s` under `scheme`.
    ///
    /// # Errors
    /// [`VersionError::Invalid`] when `s` is not a version of that scheme.
    pub fn parse(scheme: Scheme, s: &str) -> Result<Version, VersionError> {
        let invalid = |reason: &'static str| VersionError::Invalid {
            scheme,
            value: s.into(),
            reason,
        };
        if s.trim().is_empty() {
            return Err(invalid("empty"));
        }
        let no_alnum = "no letter or digit";
        let key = match scheme {
            Scheme::Generic => Key::Tokens(generic::parse(s).ok_or_else(|| invalid(no_alnum))?),
            Scheme::Maven => Key::Tokens(maven::parse(s).ok_or_else(|| invalid(no_alnum))?),
            Scheme::Gem => Key::Tokens(gem::parse(s).ok_or_else(|| invalid(no_alnum))?),
            Scheme::Semver | Scheme::Npm | Scheme::Golang | Scheme::Cargo => {
                Key::Semver(semver::parse(s, semver::SEMVER).map_err(invalid)?)
            }
            Scheme::Nuget => Key::Semver(semver::parse(s, semver::NUGET).map_err(invalid)?),
            Scheme::Pypi => Key::Pep440(pep440::parse(s).map_err(invalid)?),
            Scheme::Debian => Key::Debian(debian::parse(s).ok_or_else(|| invalid("bad epoch"))?),
            Scheme::Alpine => Key::Alpine(alpine::parse(s).map_err(invalid)?),
            Scheme::Date => Key::Date(date::parse(s).map_err(invalid)?),
            Scheme::Rpm => Key::Rpm(rpm::parse(s).ok_or_else(|| invalid("bad epoch"))?),
        };
        Ok(Version {
            scheme,
            raw: s.into(),
            key,
        })
    }

    /// The version as written in its source.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The scheme it was read with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.scheme
            .cmp(&other.scheme)
            .then_with(|| self.key.cmp(&other.key))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl std::hash::Hash for Version {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.scheme.hash(state);
        self.key.hash(state);
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl fmt::Debug for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:?}", self.scheme, self.raw)
    }
}

/// Compares two version strings under `scheme`.
///
/// # Errors
/// When either is not a version of that scheme.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(Version::parse(scheme, a)?.cmp(&Version::parse(scheme, b)?))
}
