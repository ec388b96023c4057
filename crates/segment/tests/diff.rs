//! The diff between the approved and a proposed policy.

mod common;

use common::{TODAY, conv, device, golden, hospital, id, learned, traffic};
use medvigil_segment::{Change, assign, diff, learn};
use medvigil_testkit::assert_golden;

#[test]
fn same_policy_no_changes() {
    let (_, _, p) = learned();
    let d = diff(&p, &p);
    assert!(d.is_empty());
    assert_eq!(d.render(), "no changes\n");
}

#[test]
fn evidence_alone_is_not_a_change() {
    let (_, a, p) = learned();
    let mut more = traffic();
    more.extend(traffic());
    let again = learn(&a, &more);
    assert_ne!(again, p);
    assert!(diff(&p, &again).is_empty());
}

#[test]
fn added_removed_and_changed_rules() {
    let (zp, _, current) = learned();
    let mut devices = hospital();
    // The x-ray got a supported software release; a new legacy pump arrived.
    devices[1] = device(
        2,
        &[
            ("category", "x-ray"),
            ("ip", "10.10.1.11"),
            ("end_of_support", "2031"),
        ],
    );
    devices.push(device(
        11,
        &[
            ("category", "infusion-pump"),
            ("ip", "10.20.0.23"),
            ("patchable", "no"),
        ],
    ));
    let mut seen: Vec<_> = traffic()
        .into_iter()
        .filter(|c| c.client.ip.to_string() != "10.50.0.8")
        .collect();
    seen.push(conv("10.20.0.21", "10.30.0.5", "tcp/8443", 4, 6));
    seen.push(conv("10.40.0.7", "10.30.0.5", "tcp/443", 2, 6));
    seen.push(conv("10.20.0.23", "10.30.0.5", "tcp/443", 1, 6));
    let proposed = learn(&assign(&zp, &devices, TODAY), &seen);
    let d = diff(&current, &proposed);
    assert_eq!(d.allow_intra_zone, None);
    let kinds: Vec<(&str, String)> = d
        .conduits
        .iter()
        .map(|c| match c {
            Change::Added { after } => ("added", common::conduit_text(after)),
            Change::Removed { before } => ("removed", common::conduit_text(before)),
            Change::Changed { after, .. } => ("changed", common::conduit_text(after)),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("added", "infusion -> clinical-it tcp/8443".to_owned()),
            ("removed", "laboratory -> clinical-it tcp/2575".to_owned()),
        ]
    );
    let devices: Vec<(&str, medvigil_model::DeviceId)> = d
        .device_rules
        .iter()
        .map(|c| match c {
            Change::Added { after } => ("added", after.device),
            Change::Removed { before } => ("removed", before.device),
            Change::Changed { after, .. } => ("changed", after.device),
        })
        .collect();
    assert_eq!(
        devices,
        [("removed", id(2)), ("changed", id(7)), ("added", id(11))]
    );
    assert_eq!(d.zones.len(), 1, "{:?}", d.zones);
    assert_golden(&golden("hospital.diff.txt"), &d.render());
}
