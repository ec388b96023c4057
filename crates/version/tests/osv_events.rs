//! OSV event conversion agrees with the OSV schema's reference evaluation
//! ("Evaluation" section: walk the sorted events, each applicable one sets
//! or clears "affected").

use medvigil_version::sources::osv::{OsvEvent, from_events};
use medvigil_version::{Scheme, Version};
use proptest::prelude::*;

fn ver(n: u8) -> String {
    format!("{}.{}.0", n / 4, n % 4)
}

fn parse(s: &str) -> Version {
    Version::parse(Scheme::Semver, s).unwrap_or_else(|e| panic!("{e}"))
}

/// The schema's pseudo-code, on events with distinct versions.
fn reference(events: &[OsvEvent], v: &Version) -> bool {
    let key = |e: &OsvEvent| match e {
        OsvEvent::Introduced(s) if s == "0" => None,
        OsvEvent::Introduced(s)
        | OsvEvent::Fixed(s)
        | OsvEvent::LastAffected(s)
        | OsvEvent::Limit(s) => Some(parse(s)),
        _ => None,
    };
    let mut sorted: Vec<_> = events.iter().collect();
    sorted.sort_by_key(|e| key(e));
    let mut affected = false;
    for e in sorted {
        let at = key(e);
        match e {
            OsvEvent::Introduced(_) if at.as_ref().is_none_or(|a| v >= a) => affected = true,
            OsvEvent::Fixed(_) if at.as_ref().is_some_and(|a| v >= a) => affected = false,
            OsvEvent::LastAffected(_) if at.as_ref().is_some_and(|a| v > a) => affected = false,
            _ => {}
        }
    }
    affected
}

fn events() -> impl Strategy<Value = Vec<OsvEvent>> {
    (prop::collection::btree_set(0u8..40, 1..7), any::<bool>())
        .prop_flat_map(|(versions, zero)| {
            let n = versions.len();
            (Just(versions), Just(zero), prop::collection::vec(0u8..3, n))
        })
        .prop_map(|(versions, zero, kinds)| {
            let mut out: Vec<OsvEvent> = versions
                .into_iter()
                .zip(kinds)
                .map(|(v, k)| match k {
                    0 => OsvEvent::Introduced(ver(v)),
                    1 => OsvEvent::Fixed(ver(v)),
                    _ => OsvEvent::LastAffected(ver(v)),
                })
                .collect();
            if zero {
                out.push(OsvEvent::Introduced("0".into()));
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn conversion_agrees_with_reference_evaluation(evs in events()) {
        let r = from_events(Scheme::Semver, &evs).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for n in 0u8..42 {
            let v = parse(&ver(n));
            prop_assert_eq!(r.contains(&v), reference(&evs, &v), "{} at {} from {:?}", r, ver(n), evs);
        }
    }
}
