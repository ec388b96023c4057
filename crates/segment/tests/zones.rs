//! The zone policy file and zone membership.

mod common;

use common::{TODAY, device, hospital, id, ip, zone_policy_toml};
use medvigil_segment::{PlacedBy, Unpatchable, ZoneName, ZonePolicy, ZonePolicyError, assign};

fn zone_of(policy: &ZonePolicy, d: &medvigil_model::Device) -> String {
    assign(policy, std::slice::from_ref(d), TODAY).devices()[0]
        .zone
        .to_string()
}

fn parse(text: &str) -> ZonePolicy {
    ZonePolicy::from_toml(text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn default_policy_has_the_hospital_zones() {
    let p = ZonePolicy::default();
    let names: Vec<&str> = p.zones.iter().map(|z| z.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "building-systems",
            "clinical-it",
            "external",
            "guests",
            "imaging",
            "infusion",
            "laboratory",
            "patient-monitoring",
            "unassigned"
        ]
    );
    assert!(p.settings.allow_intra_zone && p.settings.restrict_unpatchable);
    assert_eq!(p, parse(ZonePolicy::default_toml()));
    assert_ne!(p, ZonePolicy::empty());
}

#[test]
fn policy_round_trips_through_toml() {
    let text = format!(
        "{}\n[[overrides]]\nzone = \"guests\"\ncidr = \"172.16.0.0/12\"\nnote = \"guest wifi\"\n\
         [[overrides]]\nzone = \"imaging\"\nmac = \"00:1a:2b:3c:4d:5e\"\n\
         [[overrides]]\nzone = \"infusion\"\ndevice = \"{}\"\n\
         [[overrides]]\nzone = \"laboratory\"\nip = \"fd00::5\"\n\
         [[rules]]\nzone = \"clinical-it\"\nvlan = [30, 31]\neu_class = [\"IIb\"]\nsite = [\"North\"]\nunpatchable = false\n",
        zone_policy_toml(),
        id(7)
    );
    let p = parse(&text);
    assert_eq!(p.overrides.len(), 4);
    let again = parse(&p.to_toml());
    assert_eq!(again, p);
}

#[test]
fn categories_place_devices() {
    let p = ZonePolicy::default();
    for (category, zone) in [
        ("MRI", "imaging"),
        ("pacs", "imaging"),
        ("infusion-pump", "infusion"),
        ("bedside monitor", "patient-monitoring"),
        ("ventilator", "patient-monitoring"),
        ("lab-analyser", "laboratory"),
        ("bms", "building-systems"),
        ("nurse-call", "building-systems"),
        ("other", "unassigned"),
    ] {
        let d = device(1, &[("category", category)]);
        assert_eq!(zone_of(&p, &d), zone, "{category}");
    }
    // The laboratory's ward rule catches what is not an analyser.
    let d = device(1, &[("category", "other"), ("ward", "Laboratory")]);
    assert_eq!(zone_of(&p, &d), "laboratory");
}

#[test]
fn every_criterion_is_tested_and_first_match_wins() {
    let p = parse(
        r#"
[zones.legacy]
[zones.north-icu]
[zones.high-risk]
[zones.vlan-30]
[zones.catch-all]

[[rules]]
zone = "legacy"
category = ["infusion-pump"]
unpatchable = true

[[rules]]
zone = "north-icu"
site = ["north"]
department = ["ICU"]

[[rules]]
zone = "high-risk"
eu_class = ["III"]
criticality = ["life-sustaining"]

[[rules]]
zone = "vlan-30"
vlan = [30]
building = ["B"]

[[rules]]
zone = "catch-all"
"#,
    );
    let cases = [
        (
            device(1, &[("category", "infusion-pump"), ("patchable", "no")]),
            "legacy",
        ),
        (
            device(
                2,
                &[
                    ("category", "infusion-pump"),
                    ("end_of_support", "2026-05-31"),
                ],
            ),
            "legacy",
        ),
        // End of support today is not yet past.
        (
            device(
                3,
                &[
                    ("category", "infusion-pump"),
                    ("end_of_support", "2026-06-01"),
                    ("site", "North"),
                    ("ward", "icu"),
                ],
            ),
            "north-icu",
        ),
        (device(4, &[("site", "North"), ("ward", "ED")]), "catch-all"),
        (
            device(
                5,
                &[("eu_class", "Class III"), ("criticality", "life support")],
            ),
            "high-risk",
        ),
        (device(6, &[("eu_class", "III")]), "catch-all"),
        (device(7, &[("vlan", "30"), ("building", "b")]), "vlan-30"),
        (device(8, &[("vlan", "31"), ("building", "B")]), "catch-all"),
    ];
    for (d, zone) in &cases {
        assert_eq!(zone_of(&p, d), *zone, "{:?}", d.fields);
    }
    let a = assign(&p, &[cases[1].0.clone()], TODAY);
    assert_eq!(
        a.devices()[0].unpatchable,
        Some(Unpatchable::EndOfSupport(time::macros::date!(
            2026 - 05 - 31
        )))
    );
    assert_eq!(a.devices()[0].placed_by, PlacedBy::Rule { index: 0 });
}

#[test]
fn overrides_beat_rules_and_place_addresses() {
    let text = format!(
        "{}\n[[overrides]]\nzone = \"clinical-it\"\ndevice = \"{}\"\n\
         [[overrides]]\nzone = \"guests\"\nmac = \"00:1a:2b:3c:4d:5e\"\n\
         [[overrides]]\nzone = \"laboratory\"\nip = \"10.20.0.22\"\n\
         [[overrides]]\nzone = \"building-systems\"\ncidr = \"10.60.0.0/16\"\n\
         [[overrides]]\nzone = \"guests\"\ncidr = \"10.60.7.0/24\"\n",
        zone_policy_toml(),
        id(4)
    );
    let p = parse(&text);
    let devices = vec![
        device(4, &[("category", "infusion-pump"), ("ip", "10.20.0.21")]),
        device(
            5,
            &[
                ("category", "infusion-pump"),
                ("mac", "00-1A-2B-3C-4D-5E"),
                ("ip", "10.20.0.99"),
            ],
        ),
        device(6, &[("category", "infusion-pump"), ("ip", "10.20.0.22")]),
        device(7, &[("category", "infusion-pump"), ("ip", "10.60.1.1")]),
        device(8, &[("category", "infusion-pump"), ("ip", "10.60.7.1")]),
        device(9, &[("category", "infusion-pump"), ("ip", "10.20.0.23")]),
    ];
    let a = assign(&p, &devices, TODAY);
    let zones: Vec<&str> = a.devices().iter().map(|d| d.zone.as_str()).collect();
    assert_eq!(
        zones,
        [
            "clinical-it",
            "guests",
            "laboratory",
            "building-systems",
            "guests",
            "infusion"
        ]
    );
    assert_eq!(a.devices()[0].placed_by, PlacedBy::Override { index: 0 });
    // Addresses of no device: overrides, address-only rules, else by range.
    let zone = |s: &str| a.place(ip(s), None).zone.to_string();
    assert_eq!(zone("10.60.9.9"), "building-systems");
    assert_eq!(zone("10.60.7.200"), "guests");
    assert_eq!(zone("10.30.0.77"), "clinical-it");
    assert_eq!(zone("10.99.0.1"), "unassigned");
    assert_eq!(zone("fe80::1"), "unassigned");
    assert_eq!(zone("192.0.2.1"), "external");
    assert_eq!(zone("2001:db8::1"), "external");
    // A device is found by the MAC seen with an address it no longer has.
    let mac = "00:1a:2b:3c:4d:5e".parse().ok();
    let placed = a.place(ip("10.99.0.2"), mac);
    assert_eq!(placed.device.map(|d| d.id), Some(id(5)));
}

#[test]
fn hospital_assignment() {
    let p = parse(&zone_policy_toml());
    let a = assign(&p, &hospital(), TODAY);
    let zones: Vec<&str> = a.devices().iter().map(|d| d.zone.as_str()).collect();
    assert_eq!(
        zones,
        [
            "imaging",
            "imaging",
            "imaging",
            "infusion",
            "infusion",
            "clinical-it",
            "patient-monitoring",
            "laboratory",
            "imaging",
            "unassigned"
        ]
    );
    let unpatchable: Vec<bool> = a
        .devices()
        .iter()
        .map(|d| d.unpatchable.is_some())
        .collect();
    assert_eq!(
        unpatchable,
        [
            false, true, false, false, false, false, true, false, false, false
        ]
    );
    assert_eq!(a.zones().len(), 9);
    assert!(a.zones().contains(&ZoneName::unassigned()));
}

fn error(text: &str) -> ZonePolicyError {
    match ZonePolicy::from_toml(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn errors_name_the_key_and_line() {
    let cases: &[(&str, &str)] = &[
        (
            "[zones.imaging]\n\n[[rules]]\nzone = \"imaging\"\ncategory = [\"toaster\"]\n",
            "zone policy key 'rules[0].category[0]' (line 5): unknown device category 'toaster'",
        ),
        (
            "[[rules]]\nzone = \"imagin\"\ncategory = [\"ct\"]\n",
            "zone policy key 'rules[0].zone' (line 2) = \"imagin\": no such zone",
        ),
        (
            "[zones.Imaging]\n",
            "zone policy key 'zones.Imaging' (line 1): 'Imaging' is not a zone name",
        ),
        (
            "[[rules]]\nzone = \"unassigned\"\nvlan = [0]\n",
            "zone policy key 'rules[0].vlan[0]' (line 3) = 0: a VLAN id is 1 to 4094",
        ),
        (
            "[[rules]]\nzone = \"unassigned\"\ncolour = \"red\"\n",
            "zone policy key 'rules[0].colour' (line 3): unknown field `colour`",
        ),
        (
            "[[overrides]]\nzone = \"unassigned\"\nip = \"10.0.0.1\"\nmac = \"00:1a:2b:3c:4d:5e\"\n",
            "zone policy key 'overrides[0]' (line 2) = { … }: an override names exactly one",
        ),
        (
            "[[overrides]]\nzone = \"unassigned\"\ncidr = \"10.0.0.1/8\"\n",
            "zone policy key 'overrides[0].cidr' (line 3): 10.0.0.1/8 has host bits set",
        ),
        (
            "[settings]\nintra_zone = \"sometimes\"\n",
            "zone policy key 'settings.intra_zone' (line 2): unknown variant `sometimes`",
        ),
        ("[zones\n", "zone policy (line 1):"),
    ];
    for (text, want) in cases {
        let got = error(text).to_string();
        assert!(got.starts_with(want), "{text}\n got: {got}\nwant: {want}");
    }
}
