//! A small hospital for the tests: devices, conversations, and running `nft`.
#![allow(dead_code)]

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use medvigil_model::{Conversation, Device, DeviceFields, DeviceId, Peer};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

/// The day the tests run "on".
pub const TODAY: Date = date!(2026 - 06 - 01);

/// A device id from a small number.
pub fn id(n: u32) -> DeviceId {
    format!("00000000-0000-7000-8000-{n:012}")
        .parse()
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A device from `(field, value)` pairs in CMMS text form.
pub fn device(n: u32, fields: &[(&str, &str)]) -> Device {
    let mut f = DeviceFields::default();
    for (k, v) in fields {
        let field = k.parse().unwrap_or_else(|e| panic!("{k}: {e}"));
        f.set_text(field, v).unwrap_or_else(|e| panic!("{e}"));
    }
    let t = datetime!(2026-01-01 0:00 UTC);
    Device {
        id: id(n),
        fields: f,
        sources: Default::default(),
        first_seen: t,
        last_seen: t,
    }
}

/// One conversation seen `flows` times on 2026-05-0`day`.
pub fn conv(client: &str, server: &str, service: &str, flows: u64, day: u8) -> Conversation {
    let (transport, port) = match service.rsplit_once('/') {
        Some((t, p)) if t != "ip" => (t, p.parse().unwrap_or_else(|e| panic!("{e}"))),
        _ => (service, 0),
    };
    let at = |h: u8| -> OffsetDateTime {
        datetime!(2026-05-01 0:00 UTC)
            .replace_day(day)
            .and_then(|t| t.replace_hour(h))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    Conversation {
        client: Peer {
            ip: ip(client),
            mac: None,
        },
        server: Peer {
            ip: ip(server),
            mac: None,
        },
        transport: transport.to_owned(),
        port,
        protocol: (port == 104).then(|| "dicom".to_owned()),
        flows,
        packets: flows * 10,
        bytes: flows * 1000,
        first_seen: at(8),
        last_seen: at(17),
    }
}

/// The hospital: two imaging modalities (one past end of support), a PACS,
/// two infusion pumps, a pump gateway and EHR server in clinical IT (by
/// subnet), a patient monitor, a lab analyser, an IPv6 viewing station.
pub fn hospital() -> Vec<Device> {
    vec![
        device(
            1,
            &[
                ("category", "CT"),
                ("ip", "10.10.1.10"),
                ("ward", "Radiology"),
            ],
        ),
        device(
            2,
            &[
                ("category", "x-ray"),
                ("ip", "10.10.1.11"),
                ("end_of_support", "2020-12-31"),
            ],
        ),
        device(3, &[("category", "pacs"), ("ip", "10.10.2.5")]),
        device(4, &[("category", "infusion-pump"), ("ip", "10.20.0.21")]),
        device(5, &[("category", "syringe pump"), ("ip", "10.20.0.22")]),
        device(
            6,
            &[
                ("category", "other"),
                ("ip", "10.30.0.5"),
                ("owner_team", "IT"),
            ],
        ),
        device(
            7,
            &[
                ("category", "patient-monitor"),
                ("ip", "10.40.0.7"),
                ("patchable", "no"),
            ],
        ),
        device(8, &[("category", "lab-analyser"), ("ip", "10.50.0.8")]),
        device(9, &[("category", "viewing-station"), ("ip", "fd00:10::9")]),
        device(10, &[("category", "other")]),
    ]
}

/// The default zones plus clinical IT by subnet.
pub fn zone_policy_toml() -> String {
    format!(
        "{}\n[[rules]]\nname = \"clinical servers\"\nzone = \"clinical-it\"\ncidr = [\"10.30.0.0/24\"]\n",
        medvigil_segment::ZonePolicy::default_toml()
    )
}

/// The traffic of a working day.
pub fn traffic() -> Vec<Conversation> {
    vec![
        conv("10.10.1.10", "10.10.2.5", "tcp/104", 40, 2),
        conv("10.10.1.11", "10.10.2.5", "tcp/104", 12, 3),
        conv("fd00:10::9", "fd00:10::5", "tcp/104", 1, 3),
        conv("10.20.0.21", "10.30.0.5", "tcp/443", 100, 2),
        conv("10.20.0.22", "10.30.0.5", "tcp/443", 80, 4),
        conv("10.20.0.22", "10.30.0.5", "udp/123", 5, 4),
        conv("10.40.0.7", "10.30.0.5", "tcp/2575", 9, 2),
        conv("10.30.0.5", "10.40.0.7", "ip/1", 3, 2),
        conv("10.50.0.8", "10.30.0.5", "tcp/2575", 7, 5),
        conv("10.10.2.5", "10.30.0.5", "tcp/2575", 2, 5),
        conv("10.30.0.5", "192.0.2.80", "tcp/443", 1, 5),
        conv("10.99.0.3", "10.10.2.5", "tcp/104", 1, 5),
    ]
}

/// A golden file under `tests/golden`.
pub fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// The hospital's zone policy, assignment and learned policy.
pub fn learned() -> (
    medvigil_segment::ZonePolicy,
    medvigil_segment::Assignment,
    medvigil_segment::Policy,
) {
    let zp = medvigil_segment::ZonePolicy::from_toml(&zone_policy_toml())
        .unwrap_or_else(|e| panic!("{e}"));
    let a = medvigil_segment::assign(&zp, &hospital(), TODAY);
    let p = medvigil_segment::learn(&a, traffic());
    (zp, a, p)
}

/// A conduit as `from -> to service`.
pub fn conduit_text(c: &medvigil_segment::Conduit) -> String {
    format!("{} -> {} {}", c.from, c.to, c.service)
}
