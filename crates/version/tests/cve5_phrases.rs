//! CVE 5 `versions` entries with any text never make the conversion panic,
//! and what comes out is consistent: the three status ranges together cover
//! every version.

use medvigil_version::sources::cve5::{Cve5Version, Status, from_versions};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        r"(prior to |before |up to |next of |versions |Firmware |<=|<|>=|>)?[0-9]{1,2}(\.[0-9]{1,2}){0,2}[a-c]?( and prior| and later| or earlier)?",
        r"[0-9.]{1,4}(, [0-9.]{1,4}| and [0-9.]{1,4}| through [0-9.]{1,4}){0,3}",
        r"(n/a|unspecified|\*|0|All versions|-)",
        r"\PC{0,30}",
    ]
}

fn status() -> impl Strategy<Value = Status> {
    prop_oneof![
        Just(Status::Affected),
        Just(Status::Unaffected),
        Just(Status::Unknown)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_entries_convert_or_fail_cleanly(
        entries in prop::collection::vec((text(), status(), prop::option::of(text()), prop::option::of(r"(semver|custom|git|python)")), 1..4),
        default in prop::option::of(status()),
    ) {
        let versions: Vec<Cve5Version<'_>> = entries
            .iter()
            .map(|(v, s, lt, ty)| Cve5Version {
                version: v,
                status: *s,
                version_type: ty.as_deref(),
                less_than: lt.as_deref(),
                less_than_or_equal: None,
                changes: Vec::new(),
            })
            .collect();
        if let Ok((r, _notes)) = from_versions(default, &versions) {
            let covered = r.affected.union(&r.unaffected).and_then(|u| u.union(&r.unknown));
            prop_assert!(covered.is_ok_and(|c| c.is_all()));
        }
    }
}
