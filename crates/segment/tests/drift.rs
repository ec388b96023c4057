//! Drift: flows the approved policy does not allow.

mod common;

use common::{TODAY, conv, device, hospital, id, learned, traffic};
use medvigil_segment::{Direction, Missing, assign, drift};

#[test]
fn learned_traffic_does_not_drift() {
    let (_, a, p) = learned();
    assert!(drift(&p, &a, &traffic()).is_empty());
}

#[test]
fn flows_outside_the_policy_are_reported_with_what_is_missing() {
    let (zp, _, approved) = learned();
    let mut devices = hospital();
    devices.push(device(
        12,
        &[("category", "infusion-pump"), ("ip", "10.20.0.30")],
    ));
    let now = assign(&zp, &devices, TODAY);
    let seen = vec![
        conv("10.20.0.21", "10.30.0.5", "tcp/443", 1, 7),
        conv("10.20.0.21", "10.10.2.5", "tcp/104", 2, 7),
        conv("10.40.0.7", "10.30.0.5", "tcp/443", 3, 7),
        conv("10.30.0.5", "10.40.0.7", "ip/1", 1, 7),
        conv("10.10.1.10", "10.10.2.5", "tcp/104", 1, 7),
        conv("10.10.1.10", "10.10.1.11", "tcp/22", 1, 7),
        conv("10.99.0.3", "10.99.0.4", "tcp/445", 1, 7),
        conv("10.20.0.22", "10.30.0.5", "udp/123", 1, 7),
        // A pump added since approval: placed by today's inventory.
        conv("10.20.0.30", "10.30.0.5", "tcp/443", 1, 7),
    ];
    let alerts = drift(&approved, &now, &seen);
    let got: Vec<(String, String, String, Missing)> = alerts
        .iter()
        .map(|a| {
            (
                a.client.ip.to_string(),
                a.server.ip.to_string(),
                a.service.to_string(),
                a.missing.clone(),
            )
        })
        .collect();
    let zone = |s: &str| s.parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        [
            (
                "10.20.0.21".to_owned(),
                "10.10.2.5".to_owned(),
                "tcp/104".to_owned(),
                Missing::Conduit {
                    from: zone("infusion"),
                    to: zone("imaging")
                }
            ),
            (
                "10.40.0.7".to_owned(),
                "10.30.0.5".to_owned(),
                "tcp/443".to_owned(),
                Missing::DeviceRule {
                    device: id(7),
                    direction: Direction::Outbound
                }
            ),
            (
                "10.10.1.10".to_owned(),
                "10.10.1.11".to_owned(),
                "tcp/22".to_owned(),
                Missing::DeviceRule {
                    device: id(2),
                    direction: Direction::Inbound
                }
            ),
            (
                "10.99.0.3".to_owned(),
                "10.99.0.4".to_owned(),
                "tcp/445".to_owned(),
                Missing::Conduit {
                    from: zone("unassigned"),
                    to: zone("unassigned")
                }
            ),
        ]
    );
    assert_eq!(alerts[0].client.device, Some(id(4)));
    assert_eq!(alerts[0].server.zone.as_str(), "imaging");
    assert_eq!(alerts[0].flows, 2);
    assert_eq!(alerts[0].protocol.as_deref(), Some("dicom"));
    assert_eq!(alerts[3].client.device, None);
}
