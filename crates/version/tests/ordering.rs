//! Property tests: every scheme's order is total and agrees with equality.

use std::cmp::Ordering;

use medvigil_version::{Scheme, Version};
use proptest::prelude::*;

fn strategy(scheme: Scheme) -> BoxedStrategy<String> {
    let re = match scheme {
        Scheme::Generic => {
            r"[vVR]?[0-9]{1,3}(\.[0-9]{1,3}){0,3}([a-d]|rc[0-9]|beta|alpha)?( (SP|sp|Update)[0-9])?"
        }
        Scheme::Semver | Scheme::Npm | Scheme::Golang | Scheme::Cargo => {
            r"v?[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}(-(alpha|beta|rc|[0-9]{1,2}|x-y)(\.[0-9a-z]{1,3}){0,2})?(\+[a-z0-9]{1,4})?"
        }
        Scheme::Nuget => {
            r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}(-(alpha|Beta|RC|[0-9]{1,2})(\.[0-9a-z]{1,3}){0,2})?"
        }
        Scheme::Pypi => {
            r"([0-9]!)?[0-9]{1,2}(\.[0-9]{1,2}){0,3}((a|b|rc|alpha|c)[0-9]{0,2})?(\.post[0-9]|-[0-9])?(\.dev[0-9]?)?(\+[a-z0-9]{1,3}(\.[0-9]{1,2})?)?"
        }
        Scheme::Maven => {
            r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}(-(alpha|beta|rc|SNAPSHOT|sp|ga|final|[a-z]{1,3})-?[0-9]{0,2})?"
        }
        Scheme::Debian => r"([0-9]:)?[0-9]{1,2}(\.[0-9a-z~+]{1,3}){0,3}(-[0-9a-z~+.]{1,4})?",
        Scheme::Gem => r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}(\.(pre|rc|a|b)[0-9]?)?",
        Scheme::Alpine => {
            r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}[a-c]?(_(alpha|beta|pre|rc|p|git)[0-9]{0,2})?(-r[0-9]{1,2})?"
        }
        Scheme::Rpm => r"([0-9]:)?[0-9]{1,2}(\.[0-9a-z~^_]{1,3}){0,3}(-[0-9a-z~^.]{1,4})?",
        Scheme::Date => {
            r"20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9])(T[01][0-9]:[0-5][0-9]:[0-5][0-9]Z)?"
        }
        _ => r"[0-9]{1,2}",
    };
    prop_oneof![
        4 => re,
        // Arbitrary text too: schemes that accept it must still order it.
        1 => r"[ -~]{0,10}",
    ]
    .boxed()
}

fn versions(scheme: Scheme, n: usize) -> impl Strategy<Value = Vec<Version>> {
    prop::collection::vec(strategy(scheme), n).prop_map(move |v| {
        v.iter()
            .filter_map(|s| Version::parse(scheme, s).ok())
            .collect()
    })
}

fn hash(v: &Version) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn check_total_order(mut vs: Vec<Version>) -> Result<(), TestCaseError> {
    for a in &vs {
        prop_assert_eq!(a.cmp(a), Ordering::Equal);
        for b in &vs {
            let ab = a.cmp(b);
            // Antisymmetry, and equality agrees with the order.
            prop_assert_eq!(ab, b.cmp(a).reverse(), "{:?} vs {:?}", a, b);
            prop_assert_eq!(a == b, ab == Ordering::Equal);
        }
    }
    // Transitivity: after sorting, every earlier element is <= every later one.
    vs.sort();
    for i in 0..vs.len() {
        for j in i + 1..vs.len() {
            prop_assert!(vs[i] <= vs[j], "{:?} > {:?} after sort", vs[i], vs[j]);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn every_scheme_is_a_total_order(
        vs in (0..Scheme::ALL.len()).prop_flat_map(|i| versions(Scheme::ALL[i], 12))
    ) {
        check_total_order(vs)?;
    }

    #[test]
    fn generic_orders_any_text(vs in prop::collection::vec(r"[ -~]{1,8}", 10)) {
        check_total_order(vs.iter().filter_map(|s| Version::parse(Scheme::Generic, s).ok()).collect())?;
    }

    #[test]
    fn debian_orders_any_text(vs in prop::collection::vec(r"[0-9a-z.~+:-]{1,8}", 10)) {
        check_total_order(vs.iter().filter_map(|s| Version::parse(Scheme::Debian, s).ok()).collect())?;
    }

    #[test]
    fn rpm_orders_any_text(vs in prop::collection::vec(r"[0-9a-z.~^_+:-]{1,8}", 10)) {
        check_total_order(vs.iter().filter_map(|s| Version::parse(Scheme::Rpm, s).ok()).collect())?;
    }

    #[test]
    fn equal_versions_hash_equally(
        idx in 0..Scheme::ALL.len(),
        vs in prop::collection::vec(r"[0a~^.:+-]{1,5}|0{0,2}1(\.0{0,2}){0,2}(-0?1)?", 16),
    ) {
        let scheme = Scheme::ALL[idx];
        let parsed: Vec<_> = vs.iter().filter_map(|s| Version::parse(scheme, s).ok()).collect();
        for a in &parsed {
            for b in &parsed {
                if a == b {
                    prop_assert_eq!(hash(a), hash(b), "{:?} == {:?}", a, b);
                }
            }
        }
    }

    #[test]
    fn parsing_never_panics(s in r"\PC{0,24}", idx in 0..Scheme::ALL.len()) {
        let _ = Version::parse(Scheme::ALL[idx], &s);
    }
}

#[test]
fn known_orders_across_schemes() {
    let cases = [
        (Scheme::Golang, "v1.2.3", "1.10.0"),
        (Scheme::Npm, "1.0.0-rc.1", "1.0.0"),
        (Scheme::Pypi, "2.3.0", "2.31.0"),
        (Scheme::Debian, "1.1.0l-1~deb9u5", "1.1.0l-1~deb9u6"),
        (Scheme::Alpine, "1.2.3-r4", "1.2.3-r6"),
        (Scheme::Maven, "2.0-beta", "2.0"),
        (Scheme::Generic, "4.2.1", "4.2.1b"),
        (Scheme::Nuget, "1.0.0-beta", "1.0.0"),
        (Scheme::Gem, "1.0.0.pre", "1.0.0"),
        (Scheme::Date, "2024-01-01", "2024-02-01"),
        (Scheme::Rpm, "1.0.1-1.el8", "1.0.1-2.el8"),
    ];
    for (scheme, a, b) in cases {
        assert_eq!(
            medvigil_version::compare(scheme, a, b),
            Ok(Ordering::Less),
            "{scheme}: {a} < {b}"
        );
    }
}
