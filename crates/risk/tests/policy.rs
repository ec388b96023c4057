//! The policy file: defaults, TOML round trip, partial files, errors that
//! name the key.

use medvigil_risk::{Policy, PolicyError, Priority};

#[test]
fn defaults_are_valid_and_ordered() {
    let p = Policy::default();
    p.validate().unwrap();
    assert_eq!(p.deadline_days(Priority::P1), 7);
    assert_eq!(p.deadline_days(Priority::P4), 180);
    assert_eq!(p.priority_of(p.thresholds.p1), Priority::P1);
    assert_eq!(p.priority_of(p.thresholds.p1 - 1), Priority::P2);
    assert_eq!(p.priority_of(p.thresholds.p3 - 1), Priority::P4);
    assert_eq!(p.exploitation.kev_floor, Some(Priority::P2));
}

#[test]
fn toml_round_trip() {
    let p = Policy::default();
    let text = p.to_toml();
    assert!(text.contains("[deadlines]"), "{text}");
    assert_eq!(Policy::from_toml(&text).unwrap(), p);

    let mut q = Policy::default();
    q.deadlines.p1 = 3;
    q.exploitation.kev_floor = None;
    q.controls.isolated = 35;
    assert!(q.to_toml().contains("kev_floor = \"none\""));
    assert_eq!(Policy::from_toml(&q.to_toml()).unwrap(), q);
}

#[test]
fn empty_and_partial_files_keep_defaults() {
    assert_eq!(Policy::from_toml("").unwrap(), Policy::default());
    let p =
        Policy::from_toml("[deadlines]\np1 = 2\n\n[exploitation]\nkev_floor = \"P1\"\n").unwrap();
    assert_eq!(p.deadlines.p1, 2);
    assert_eq!(p.deadlines.p2, 30);
    assert_eq!(p.exploitation.kev_floor, Some(Priority::P1));
    assert_eq!(p.exploitation.kev, 20);
}

#[test]
fn unknown_key_is_named() {
    let e = Policy::from_toml("[exposure]\ninternett = 30\n").unwrap_err();
    let PolicyError::Parse { key, message, line } = &e else {
        panic!("{e:?}");
    };
    assert!(message.contains("internett"), "{message}");
    assert_eq!(key.as_deref(), Some("exposure.internett"), "{e}");
    assert_eq!(*line, Some(2), "{e}");
    assert!(e.to_string().contains("internett"), "{e}");
}

#[test]
fn wrong_type_is_named() {
    let e = Policy::from_toml("[deadlines]\np1 = \"seven\"\n").unwrap_err();
    let PolicyError::Parse { key, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(key.as_deref(), Some("deadlines.p1"), "{e}");
    assert!(e.to_string().contains("deadlines.p1"), "{e}");

    let e = Policy::from_toml("[exploitation]\nkev_floor = \"P5\"\n").unwrap_err();
    assert!(e.to_string().contains("exploitation.kev_floor"), "{e}");
    assert!(e.to_string().contains("P5"), "{e}");
}

#[test]
fn syntax_error_has_a_line() {
    let e = Policy::from_toml("[deadlines]\np1 = = 3\n").unwrap_err();
    assert!(
        matches!(e, PolicyError::Parse { line: Some(2), .. }),
        "{e:?}"
    );
}

#[test]
fn rule_violations_are_named() {
    for (text, key) in [
        ("[thresholds]\np1 = 10\n", "thresholds.p1"),
        ("[deadlines]\np2 = 1\n", "deadlines.p2"),
        ("[deadlines]\np1 = 0\n", "deadlines.p1"),
        ("[controls]\nsegmented = -5\n", "controls.segmented"),
        ("[ssvc]\nattend = 50\n", "ssvc.act"),
        ("[exploitation]\nkev = -1\n", "exploitation.kev"),
        (
            "[exploitation]\nepss_threshold = 1.5\n",
            "exploitation.epss_threshold",
        ),
    ] {
        let e = Policy::from_toml(text).unwrap_err();
        assert!(
            matches!(&e, PolicyError::Invalid { key: k, .. } if *k == key),
            "{text}: {e:?}"
        );
        assert!(e.to_string().contains(key), "{e}");
    }
}

/// The README shows the default policy in full; keep it current.
#[test]
fn readme_shows_the_default_policy() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let toml = Policy::default().to_toml();
    assert!(
        readme.contains(&toml),
        "README.md must contain the default policy:\n{toml}"
    );
}
