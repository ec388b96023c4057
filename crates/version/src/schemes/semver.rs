//! Semantic Versioning 2.0.0 precedence (semver.org §11), also used by npm,
//! Go modules (with a `v` prefix), crates.io, and — with up to four release
//! numbers and case-insensitive labels — NuGet.

use std::cmp::Ordering;

use super::num::Num;

/// How strictly a semver-like string is read.
#[derive(Clone, Copy, Debug)]
pub struct Flavor {
    /// Fewest release numbers accepted (`1.2.3` needs 3).
    pub min_parts: usize,
    /// Most release numbers accepted (NuGet allows 4).
    pub max_parts: usize,
    /// NuGet compares pre-release labels without case.
    pub fold_case: bool,
}

/// SemVer 2.0.0 proper: exactly three release numbers.
pub const SEMVER: Flavor = Flavor {
    min_parts: 3,
    max_parts: 3,
    fold_case: false,
};

/// NuGet: `Major[.Minor[.Patch[.Revision]]]`, missing parts are zero.
pub const NUGET: Flavor = Flavor {
    min_parts: 1,
    max_parts: 4,
    fold_case: true,
};

/// One dot-separated pre-release identifier; numeric ones sort first
/// (semver §11.4.3), hence the variant order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PreId {
    /// Digits only.
    Num(Num),
    /// Letters, digits, hyphens.
    Alpha(Box<str>),
}

/// A parsed semver-like version; build metadata is ignored for precedence
/// (semver §10) and therefore not kept in the key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    release: Vec<Num>,
    pre: Vec<PreId>,
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.release.cmp(&other.release).then_with(|| {
            // A release sorts after all of its pre-releases (semver §11.3).
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            }
        })
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Parses `s`; a leading `v`/`V` (Go, npm) or `=` (npm) is accepted.
/// Returns a reason when `s` is not a version of this flavor.
pub fn parse(s: &str, flavor: Flavor) -> Result<Key, &'static str> {
    let s = s.trim();
    let s = s.strip_prefix(['v', 'V', '=']).unwrap_or(s);
    let (s, build) = match s.split_once('+') {
        Some((v, b)) => (v, Some(b)),
        None => (s, None),
    };
    if let Some(b) = build
        && (b.is_empty()
            || b.split('.')
                .any(|p| p.is_empty() || !p.chars().all(is_ident_char)))
    {
        return Err("bad build metadata");
    }
    let (core, pre) = match s.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (s, None),
    };
    let mut release = Vec::new();
    for part in core.split('.') {
        release.push(Num::from_digits(part).ok_or("release part is not a number")?);
    }
    if release.len() < flavor.min_parts || release.len() > flavor.max_parts {
        return Err("wrong number of release parts");
    }
    // Missing parts are zero (NuGet), so trailing zeros carry no meaning.
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }
    let mut ids = Vec::new();
    if let Some(p) = pre {
        for id in p.split('.') {
            if id.is_empty() || !id.chars().all(is_ident_char) {
                return Err("bad pre-release identifier");
            }
            match Num::from_digits(id) {
                Some(n) => ids.push(PreId::Num(n)),
                None if flavor.fold_case => ids.push(PreId::Alpha(id.to_ascii_lowercase().into())),
                None => ids.push(PreId::Alpha(id.into())),
            }
        }
    }
    Ok(Key { release, pre: ids })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_spec_precedence_example() {
        // semver.org §11.4 example chain.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for w in chain.windows(2) {
            assert!(
                parse(w[0], SEMVER) < parse(w[1], SEMVER),
                "{} < {}",
                w[0],
                w[1]
            );
        }
        assert_eq!(parse("1.0.0+a", SEMVER), parse("v1.0.0+b", SEMVER));
        assert!(parse("1.0", SEMVER).is_err());
        assert!(parse("1.0.0-", SEMVER).is_err());
    }

    #[test]
    fn nuget_parts_and_case() {
        assert_eq!(parse("1.0", NUGET), parse("1.0.0.0", NUGET));
        assert_eq!(parse("1.0.0-RC1", NUGET), parse("1.0.0-rc1", NUGET));
        assert!(parse("1.0.0.1", NUGET) > parse("1.0.0", NUGET));
    }
}
