//! Property tests of `version_t` precedence (spec 3.1.11): it must be a
//! total order consistent with semver 2.0.0, since 6.1.14, 6.1.16 and 6.1.21
//! sort revision histories with it.

use medvigil_csaf::version::DocVersion;
use proptest::prelude::*;
use std::cmp::Ordering;

fn semver() -> impl Strategy<Value = String> {
    let pre = prop_oneof![
        Just(String::new()),
        "(alpha|beta|rc|0|1|[1-9][0-9]{0,2})(\\.(alpha|0|[1-9][0-9]?))?"
            .prop_map(|p| format!("-{p}")),
    ];
    let build = prop_oneof![
        Just(String::new()),
        "[0-9a-z]{1,4}".prop_map(|b| format!("+{b}"))
    ];
    (0u64..4, 0u64..4, 0u64..4, pre, build).prop_map(|(a, b, c, p, m)| format!("{a}.{b}.{c}{p}{m}"))
}

proptest! {
    #[test]
    fn precedence_is_a_total_order(a in semver(), b in semver(), c in semver()) {
        let (Some(x), Some(y), Some(z)) = (DocVersion::parse(&a), DocVersion::parse(&b), DocVersion::parse(&c)) else {
            return Err(TestCaseError::fail(format!("unparsed {a} {b} {c}")));
        };
        prop_assert_eq!(x.precedence(&y), y.precedence(&x).reverse());
        if x.precedence(&y) != Ordering::Greater && y.precedence(&z) != Ordering::Greater {
            prop_assert_ne!(x.precedence(&z), Ordering::Greater);
        }
        prop_assert_eq!(x.precedence(&x), Ordering::Equal);
    }

    #[test]
    fn pre_release_sorts_before_release(a in 0u64..50, b in 0u64..50, pre in "[a-z]{1,5}") {
        let release = DocVersion::parse(&format!("{a}.{b}.0"));
        let pre = DocVersion::parse(&format!("{a}.{b}.0-{pre}"));
        prop_assert!(matches!((release, pre), (Some(r), Some(p)) if p.precedence(&r) == Ordering::Less));
    }

    #[test]
    fn integers_order_numerically(a in 0u64..1_000_000, b in 0u64..1_000_000) {
        let x = DocVersion::parse(&a.to_string());
        let y = DocVersion::parse(&b.to_string());
        prop_assert!(matches!((x, y), (Some(x), Some(y)) if x.precedence(&y) == a.cmp(&b)));
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,24}") {
        let _ = DocVersion::parse(&s);
    }
}
