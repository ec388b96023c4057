//! Conduit learning, and the tightest policy for devices that cannot be patched.

mod common;

use common::{
    TODAY, conduit_text, conv, device, hospital, id, ip, learned, traffic, zone_policy_toml,
};
use medvigil_segment::{
    Direction, Learner, Policy, Service, Unpatchable, ZonePolicy, assign, learn,
};
use time::macros::{date, datetime};

#[test]
fn conduits_are_summed_per_zone_pair_and_service() {
    let (_, _, p) = learned();
    let conduits: Vec<String> = p.conduits.iter().map(conduit_text).collect();
    assert_eq!(
        conduits,
        [
            "clinical-it -> external tcp/443",
            "imaging -> clinical-it tcp/2575",
            "imaging -> unassigned tcp/104",
            "infusion -> clinical-it tcp/443",
            "infusion -> clinical-it udp/123",
            "laboratory -> clinical-it tcp/2575",
            "unassigned -> imaging tcp/104",
        ]
    );
    let pumps = &p.conduits[3];
    assert_eq!(pumps.evidence.flows, 180);
    assert_eq!(pumps.evidence.bytes, 180_000);
    assert_eq!((pumps.evidence.clients, pumps.evidence.servers), (2, 1));
    assert_eq!(pumps.evidence.first_seen, datetime!(2026-05-02 8:00 UTC));
    assert_eq!(pumps.evidence.last_seen, datetime!(2026-05-04 17:00 UTC));
    assert_eq!(p.conduits[6].protocols, ["dicom"]);
}

#[test]
fn zones_hold_devices_prefixes_and_unknown_addresses() {
    let (_, _, p) = learned();
    let members = |z: &str| -> Vec<String> {
        p.zones
            .iter()
            .find(|x| x.name.as_str() == z)
            .unwrap_or_else(|| panic!("{z}"))
            .members
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    // Consecutive addresses merge: a zone's set grows with address ranges,
    // not devices.
    assert_eq!(
        members("imaging"),
        ["10.10.1.10/31", "10.10.2.5", "fd00:10::9"]
    );
    assert_eq!(members("infusion"), ["10.20.0.21-10.20.0.22"]);
    assert_eq!(members("clinical-it"), ["10.30.0.0/24"]);
    assert_eq!(members("unassigned"), ["10.99.0.3", "fd00:10::5"]);
    assert_eq!(members("external"), ["192.0.2.80"]);
    assert!(members("guests").is_empty());
    assert_eq!(p.zones.len(), 9);
}

#[test]
fn unpatchable_devices_get_only_the_flows_they_used() {
    let (_, _, p) = learned();
    let summary: Vec<(String, String, Vec<String>)> = p
        .device_rules
        .iter()
        .map(|d| {
            (
                d.ip.to_string(),
                d.zone.to_string(),
                d.rules
                    .iter()
                    .map(|r| {
                        format!(
                            "{:?} {} {} {}",
                            r.direction, r.peer, r.service, r.evidence.flows
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "10.10.1.11".to_owned(),
                "imaging".to_owned(),
                vec!["Outbound 10.10.2.5 tcp/104 12".to_owned()]
            ),
            (
                "10.40.0.7".to_owned(),
                "patient-monitoring".to_owned(),
                vec![
                    "Outbound 10.30.0.5 tcp/2575 9".to_owned(),
                    "Inbound 10.30.0.5 ip/1 3".to_owned()
                ]
            ),
        ]
    );
    assert_eq!(
        p.device_rules[0].reason,
        Unpatchable::EndOfSupport(date!(2020 - 12 - 31))
    );
    assert_eq!(p.device_rules[1].reason, Unpatchable::NotPatchable);
    assert_eq!(p.device_rules[1].device, id(7));
    // Their flows make no zone-wide conduit.
    assert!(
        !p.conduits
            .iter()
            .any(|c| c.from.as_str() == "patient-monitoring"
                || c.to.as_str() == "patient-monitoring")
    );
}

#[test]
fn a_silent_unpatchable_device_may_do_nothing() {
    let zp = ZonePolicy::from_toml(&zone_policy_toml()).unwrap_or_else(|e| panic!("{e}"));
    let mut devices = hospital();
    devices.push(device(
        11,
        &[
            ("category", "infusion-pump"),
            ("ip", "10.20.0.99"),
            ("patchable", "no"),
        ],
    ));
    let p = learn(&assign(&zp, &devices, TODAY), traffic());
    let silent = p
        .device_rules
        .iter()
        .find(|d| d.device == id(11))
        .unwrap_or_else(|| panic!("no rules for the silent device"));
    assert!(silent.rules.is_empty());
    assert_eq!(silent.ip, ip("10.20.0.99"));
}

#[test]
fn settings_change_what_is_learned() {
    let text = zone_policy_toml()
        .replace("intra_zone = \"allow\"", "intra_zone = \"learn\"")
        .replace("unpatchable = \"device-rules\"", "unpatchable = \"zone\"");
    let zp = ZonePolicy::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
    assert!(!zp.settings.allow_intra_zone && !zp.settings.restrict_unpatchable);
    let p = learn(&assign(&zp, &hospital(), TODAY), traffic());
    assert!(p.device_rules.is_empty());
    assert!(!p.allow_intra_zone);
    let conduits: Vec<String> = p.conduits.iter().map(conduit_text).collect();
    for want in [
        "imaging -> imaging tcp/104",
        "patient-monitoring -> clinical-it tcp/2575",
        "clinical-it -> patient-monitoring ip/1",
    ] {
        assert!(
            conduits.iter().any(|c| c == want),
            "{want} not in {conduits:?}"
        );
    }
    let intra = p
        .conduits
        .iter()
        .find(|c| conduit_text(c) == "imaging -> imaging tcp/104")
        .map(|c| c.evidence);
    assert_eq!(
        intra.map(|e| (e.flows, e.clients, e.servers)),
        Some((52, 2, 1))
    );
}

#[test]
fn order_is_stable_and_json_round_trips() {
    let (_, a, p) = learned();
    let mut reversed = traffic();
    reversed.reverse();
    let mut streaming = Learner::new(&a);
    for c in &reversed {
        streaming.observe(c);
    }
    assert_eq!(streaming.unreadable(), 0);
    assert_eq!(streaming.finish(), p);
    let json = p.to_json();
    assert_eq!(
        Policy::from_json(&json).unwrap_or_else(|e| panic!("{e}")),
        p
    );
    assert!(json.contains("\"service\": \"tcp/104\""), "{json}");
    let bad = json.replacen("\"tcp/104\"", "\"tcp/http\"", 1);
    let e = Policy::from_json(&bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.starts_with("policy JSON at 'conduits[2].service'"), "{e}");
}

#[test]
fn unreadable_transports_are_counted_not_learned() {
    let (_, a, _) = learned();
    let mut c = conv("10.20.0.21", "10.30.0.5", "tcp/443", 1, 2);
    c.transport = "carrier-pigeon".to_owned();
    let mut l = Learner::new(&a);
    l.observe(&c);
    assert_eq!(l.unreadable(), 1);
    assert!(l.finish().conduits.is_empty());
    assert_eq!(Service::tcp(104).to_string(), "tcp/104");
    assert_eq!("ip/1".parse::<Service>().map(|s| s.port), Ok(0));
    assert_eq!(Direction::Outbound, Direction::Outbound);
}

#[test]
fn zone_sets_never_overlap_so_the_firewall_keeps_precedence() {
    let text = format!(
        "{}\n[[overrides]]\nzone = \"building-systems\"\ncidr = \"10.60.0.0/16\"\n\
         [[overrides]]\nzone = \"guests\"\ncidr = \"10.60.7.0/24\"\n",
        zone_policy_toml()
    );
    let zp = ZonePolicy::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut devices = hospital();
    // A PACS inside the clinical servers' subnet stays in imaging.
    devices.push(device(13, &[("category", "pacs"), ("ip", "10.30.0.7")]));
    let a = assign(&zp, &devices, TODAY);
    let p = learn(&a, traffic());
    let members = |z: &str| -> Vec<String> {
        p.zones
            .iter()
            .find(|x| x.name.as_str() == z)
            .map(|z| z.members.iter().map(ToString::to_string).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        members("clinical-it"),
        ["10.30.0.0-10.30.0.6", "10.30.0.8-10.30.0.255"]
    );
    assert!(members("imaging").contains(&"10.30.0.7".to_owned()));
    assert_eq!(
        members("building-systems"),
        ["10.60.0.0-10.60.6.255", "10.60.8.0-10.60.255.255"]
    );
    assert_eq!(members("guests"), ["10.60.7.0/24"]);
    // Every address is in at most one zone's set.
    let mut all: Vec<medvigil_segment::AddrBlock> = p
        .zones
        .iter()
        .flat_map(|z| z.members.iter().copied())
        .collect();
    all.sort();
    for w in all.windows(2) {
        assert!(
            w[0].is_ipv6() != w[1].is_ipv6() || !w[0].contains(w[1].first()),
            "{} overlaps {}",
            w[0],
            w[1]
        );
    }
    medvigil_testkit::nft_check(&medvigil_segment::to_nftables(&p));
}

#[test]
fn shards_learned_apart_merge_to_the_same_policy() {
    let (_, a, p) = learned();
    let all = traffic();
    let (left, right) = all.split_at(5);
    let mut x = Learner::new(&a);
    let mut y = Learner::new(&a);
    left.iter().for_each(|c| x.observe(c));
    right
        .iter()
        .chain(left.iter().take(2))
        .for_each(|c| y.observe(c));
    x.merge(y);
    let merged = x.finish();
    // The two conversations seen twice count twice; nothing else differs.
    assert!(medvigil_segment::diff(&p, &merged).is_empty());
    assert_eq!(merged.zones, p.zones);
    let flows = |p: &Policy| p.conduits.iter().map(|c| c.evidence.flows).sum::<u64>();
    assert_eq!(flows(&merged), flows(&p));
    let once = learn(&a, all.iter().chain(left.iter().take(2)));
    assert_eq!(merged, once);
}
