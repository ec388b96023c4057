//! Property tests for ranges: set operations and `vers` round trips agree
//! with a brute-force check over a pool of versions.

use medvigil_version::{Bound, Interval, Scheme, Version, VersionRange, vers};
use proptest::prelude::*;

/// Versions 0.0 .. 9.3 in the generic and semver schemes; ranges use the
/// even minor numbers as bounds and tests probe all of them, so every
/// boundary case (at, just below, just above) is covered.
fn v(scheme: Scheme, n: u8) -> Version {
    let s = match scheme {
        Scheme::Semver => format!("{}.{}.0", n / 4, n % 4),
        _ => format!("{}.{}", n / 4, n % 4),
    };
    Version::parse(scheme, &s).unwrap_or_else(|e| panic!("test pool: {e}"))
}

fn bound(scheme: Scheme) -> impl Strategy<Value = Bound> {
    prop_oneof![
        1 => Just(Bound::Unbounded),
        3 => (0u8..20).prop_map(move |n| Bound::Included(v(scheme, n * 2))),
        3 => (0u8..20).prop_map(move |n| Bound::Excluded(v(scheme, n * 2))),
    ]
}

fn intervals(scheme: Scheme) -> impl Strategy<Value = Vec<Interval>> {
    prop::collection::vec(
        (bound(scheme), bound(scheme)).prop_map(|(lower, upper)| Interval { lower, upper }),
        0..5,
    )
}

fn scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![Just(Scheme::Generic), Just(Scheme::Semver)]
}

fn probes(scheme: Scheme) -> impl Iterator<Item = Version> {
    (0u8..41).map(move |n| v(scheme, n))
}

/// Independent evaluation of a canonical `vers` string: equality hits
/// first, then `!=`, then "the nearest bound below decides".
fn brute_contains(s: &str, x: &Version) -> bool {
    let Ok((_, cs)) = vers::parse_constraints(s) else {
        return false;
    };
    let Some(cs) = cs else { return true };
    use vers::Comparator as C;
    if cs
        .iter()
        .any(|c| matches!(c.comparator, C::Eq | C::Le | C::Ge) && &c.version == x)
    {
        return true;
    }
    // At an exclusive bound or an excluded version, the version is out.
    if cs
        .iter()
        .any(|c| matches!(c.comparator, C::Ne | C::Lt | C::Gt) && &c.version == x)
    {
        return false;
    }
    let bounds: Vec<_> = cs
        .iter()
        .filter(|c| !matches!(c.comparator, C::Eq | C::Ne))
        .collect();
    if bounds.is_empty() {
        return !cs.iter().any(|c| c.comparator == C::Eq);
    }
    match bounds.iter().rev().find(|c| &c.version < x) {
        Some(c) => matches!(c.comparator, C::Gt | C::Ge),
        None => matches!(bounds[0].comparator, C::Lt | C::Le) && x < &bounds[0].version,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalised_range_contains_what_its_intervals_contain(
        (s, ivs) in scheme().prop_flat_map(|s| (Just(s), intervals(s)))
    ) {
        let r = VersionRange::from_intervals(s, ivs.clone()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for x in probes(s) {
            prop_assert_eq!(r.contains(&x), ivs.iter().any(|iv| iv.contains(&x)), "{} at {:?}", r, x);
        }
    }

    #[test]
    fn vers_round_trip_and_brute_force(
        (s, ivs) in scheme().prop_flat_map(|s| (Just(s), intervals(s)))
    ) {
        let r = VersionRange::from_intervals(s, ivs).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Some(text) = vers::to_vers(&r) {
            let back = vers::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&back, &r, "{}", text);
            for x in probes(s) {
                prop_assert_eq!(brute_contains(&text, &x), r.contains(&x), "{} at {:?}", text, x);
            }
        } else {
            prop_assert!(r.is_empty());
        }
    }

    #[test]
    fn set_operations_are_pointwise(
        (s, a, b) in scheme().prop_flat_map(|s| (Just(s), intervals(s), intervals(s)))
    ) {
        let fail = |e: medvigil_version::RangeError| TestCaseError::fail(e.to_string());
        let a = VersionRange::from_intervals(s, a).map_err(fail)?;
        let b = VersionRange::from_intervals(s, b).map_err(fail)?;
        let (u, i, d, c) = (a.union(&b).map_err(fail)?, a.intersection(&b).map_err(fail)?, a.difference(&b).map_err(fail)?, a.complement());
        for x in probes(s) {
            let (ia, ib) = (a.contains(&x), b.contains(&x));
            prop_assert_eq!(u.contains(&x), ia || ib);
            prop_assert_eq!(i.contains(&x), ia && ib);
            prop_assert_eq!(d.contains(&x), ia && !ib);
            prop_assert_eq!(c.contains(&x), !ia);
        }
        prop_assert_eq!(c.complement(), a);
    }

    #[test]
    fn vers_parser_never_panics(s in r"vers:(npm|generic|pypi|deb|semver)/[<>=!|*0-9a-z.%~-]{0,20}") {
        if let Ok(r) = vers::parse(&s)
            && let Some(text) = vers::to_vers(&r)
        {
            prop_assert_eq!(vers::parse(&text).ok(), Some(r));
        }
    }
}

#[test]
fn spec_examples() -> Result<(), medvigil_version::RangeError> {
    let r = vers::parse("vers:npm/1.2.3|>=2.0.0|<5.0.0")?;
    assert!(r.contains_str("1.2.3")?);
    assert!(!r.contains_str("1.2.4")?);
    assert!(r.contains_str("4.9.9")?);
    assert!(!r.contains_str("5.0.0")?);
    assert_eq!(r.to_string(), "vers:npm/1.2.3|>=2.0.0|<5.0.0");
    let r = vers::parse("vers:pypi/ >= 1.0 | != 1.5 | < 2.0 ")?;
    assert!(!r.contains_str("1.5.0")?);
    assert!(r.contains_str("1.6")?);
    assert_eq!(r.to_string(), "vers:pypi/>=1.0|!=1.5|<2.0");
    assert!(vers::parse("vers:deb/*")?.is_all());
    assert!(vers::parse("vers:generic/V3.1%20SP2")?.contains_str("V3.1 SP2")?);
    for bad in [
        "vers:npm/>=1.0.0|>=2.0.0",
        "vers:npm/1.0.0|1.0.0",
        "vers:npm/*|1.0.0",
        "vers:NPM/1.0.0",
        "npm/1.0.0",
        "vers:nope/1",
        "vers:npm/",
    ] {
        assert!(vers::parse(bad).is_err(), "{bad}");
    }
    Ok(())
}
