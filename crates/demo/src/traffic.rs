//! The demo hospital's traffic, as the conversations passive discovery
//! records (who opened a connection to which service, how much): each
//! device talks to the server of its kind at its site (pumps to the
//! infusion gateway, monitors to the central station over HL7, modalities
//! to the PACS over DICOM, analysers to the LIS), and a few are reached from
//! elsewhere — clinical workstations of another subnet, a vendor's remote
//! service from the internet (documentation addresses, RFC 5737) — as real
//! networks have. Some devices are silent (not seen by the sensor).

use std::net::{IpAddr, Ipv4Addr};

use medvigil_model::{Category, Conversation, DeviceFields, Peer};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Duration, OffsetDateTime};

use crate::Hospital;

/// A site's server or workstation address: the `19` (servers) and `18`
/// (workstations) networks of the site's address plan, beside the device
/// networks `site*20+category`.
fn site_host(site: u8, network: u8, host: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, (site + 1) * 20 + network, 0, host))
}

/// The demo's servers on each site's server network: (host, what it is,
/// the built-in zone it belongs to). [`service`] says who calls which.
const SERVERS: [(u8, &str, &str); 5] = [
    (10, "infusion and ventilation gateways", "infusion"),
    (
        20,
        "central monitoring stations and HL7 interface engine",
        "patient-monitoring",
    ),
    (30, "PACS (DICOM archive)", "imaging"),
    (40, "laboratory information system (HL7)", "laboratory"),
    (50, "clinical application servers", "clinical-it"),
];

/// The server a device of `category` calls: (host, port, protocol).
fn service(category: Category) -> (u8, u16, Option<&'static str>) {
    match category {
        Category::InfusionPump
        | Category::Ventilator
        | Category::Anaesthesia
        | Category::Dialysis => (10, 443, None),
        Category::PatientMonitor | Category::Ecg | Category::Defibrillator => {
            (20, 2575, Some("hl7"))
        }
        Category::Imaging | Category::ViewingStation | Category::Radiotherapy => {
            (30, 104, Some("dicom"))
        }
        Category::LabAnalyser => (40, 2575, Some("hl7")),
        _ => (50, 443, None),
    }
}

/// How often something opens a connection to a device of `category`, per
/// thousand: from a workstation subnet, and from the internet.
fn inbound(category: Category) -> (u32, u32) {
    match category {
        Category::InfusionPump => (200, 5),
        Category::Imaging => (300, 20),
        Category::PatientMonitor => (100, 0),
        Category::BuildingSystem => (150, 30),
        _ => (50, 2),
    }
}

fn conversation(
    client: IpAddr,
    server: IpAddr,
    port: u16,
    protocol: Option<&str>,
    rng: &mut ChaCha8Rng,
    start: OffsetDateTime,
) -> Conversation {
    let flows = rng.random_range(1..200u64);
    let first = start + Duration::seconds(rng.random_range(0..3_600));
    Conversation {
        client: Peer {
            ip: client,
            mac: None,
        },
        server: Peer {
            ip: server,
            mac: None,
        },
        transport: "tcp".into(),
        port,
        protocol: protocol.map(str::to_owned),
        flows,
        packets: flows * rng.random_range(8..40u64),
        bytes: flows * rng.random_range(2_000..200_000u64),
        first_seen: first,
        last_seen: first + Duration::seconds(rng.random_range(60..86_400)),
    }
}

fn site_no(h: &Hospital, d: &DeviceFields) -> u8 {
    d.location
        .site
        .as_ref()
        .and_then(|s| h.sites.iter().position(|x| x == s))
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

/// A day of the hospital's traffic from `start`, the same for the same seed.
pub fn traffic(h: &Hospital, seed: u64, start: OffsetDateTime) -> Vec<Conversation> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(h.devices.len() * 11 / 10);
    for d in &h.devices {
        let (Some(ip), Some(category)) = (d.ip, d.category) else {
            continue;
        };
        // 4 % are not seen by the sensor.
        if rng.random_range(0..100) < 4 {
            continue;
        }
        let site = site_no(h, d);
        let (host, port, protocol) = service(category);
        out.push(conversation(
            ip,
            site_host(site, 19, host),
            port,
            protocol,
            &mut rng,
            start,
        ));
        let (lan, internet) = inbound(category);
        let roll = rng.random_range(0..1_000);
        if roll < internet {
            let vendor = IpAddr::V4(Ipv4Addr::new(198, 51, 100, rng.random_range(1..250)));
            out.push(conversation(vendor, ip, 22, None, &mut rng, start));
        } else if roll < internet + lan {
            let workstation = site_host(site, 18, rng.random_range(2..250));
            let (port, protocol) = match protocol {
                Some("dicom") => (104, Some("dicom")),
                _ => (80, Some("http")),
            };
            out.push(conversation(
                workstation,
                ip,
                port,
                protocol,
                &mut rng,
                start,
            ));
        }
    }
    out
}

/// The demo group's zones file: the built-in hospital zones (`zones` is
/// their text, `ZonePolicy::default_toml()` of the segment crate) and, per
/// site, address rules for what the inventory does not list: the servers
/// each kind of device talks to go to the zone they serve (the PACS with
/// the modalities, the HL7 engine with the monitors), and the clinical
/// workstation network to `clinical-it`. A network team writes the same
/// for its own address plan.
pub fn zones_toml(h: &Hospital, zones: &str) -> String {
    let mut out = zones.trim_end().to_owned();
    out.push_str("\n\n# The demo hospital group's address plan (medvigil demo).\n");
    for (i, site) in h.sites.iter().enumerate() {
        let Ok(n) = u8::try_from(i) else { continue };
        let site = site.replace('\\', "\\\\").replace('"', "\\\"");
        for (host, what, zone) in SERVERS {
            out.push_str(&format!(
                "\n[[rules]]\nname = \"{site}: {what}\"\nzone = \"{zone}\"\ncidr = [\"{}/32\"]\n",
                site_host(n, 19, host)
            ));
        }
        out.push_str(&format!(
            "\n[[rules]]\nname = \"{site}: clinical workstations\"\nzone = \"clinical-it\"\ncidr = [\"{}/24\"]\n",
            site_host(n, 18, 0)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::traffic;

    #[test]
    fn traffic_is_reproducible_and_mostly_local() {
        let h = crate::generate_scaled(2_000, 7).unwrap_or_else(|e| panic!("{e}"));
        let start = datetime!(2026-11-02 08:00 UTC);
        let a = traffic(&h, 1, start);
        assert_eq!(a, traffic(&h, 1, start));
        let networked = h.devices.iter().filter(|d| d.ip.is_some()).count();
        assert!(a.len() > networked * 9 / 10, "{} of {networked}", a.len());
        let from_internet = a
            .iter()
            .filter(|c| c.client.ip.to_string().starts_with("198.51.100."))
            .count();
        assert!(
            from_internet > 0 && from_internet < networked / 50,
            "{from_internet}"
        );
    }

    /// Issue 8: the servers of the demo traffic (PACS, HL7 engines,
    /// gateways) fell in `unassigned`; with the demo's zones file each is
    /// in the zone it serves, and the workstations are in `clinical-it`.
    #[test]
    fn every_server_of_the_demo_traffic_is_in_a_zone() {
        use medvigil_segment::{ZoneName, ZonePolicy, assign};
        let h = crate::generate_scaled(3_000, 3).unwrap_or_else(|e| panic!("{e}"));
        let text = super::zones_toml(&h, ZonePolicy::default_toml());
        let zones = ZonePolicy::from_toml(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        // No devices: every address is placed by the address rules alone.
        let placed = assign(&zones, &[], datetime!(2026-11-02 08:00 UTC).date());
        let devices: std::collections::HashSet<_> = h.devices.iter().filter_map(|d| d.ip).collect();
        let conversations = traffic(&h, 3, datetime!(2026-11-02 08:00 UTC));
        let mut servers = 0;
        for c in &conversations {
            for ip in [c.client.ip, c.server.ip] {
                if devices.contains(&ip) || !ip.to_string().starts_with("10.") {
                    continue;
                }
                servers += 1;
                let zone = placed.place(ip, None).zone;
                assert_ne!(zone, &ZoneName::unassigned(), "{ip} ({c:?})");
            }
            if c.protocol.as_deref() == Some("dicom") && !devices.contains(&c.server.ip) {
                assert_eq!(placed.place(c.server.ip, None).zone.as_str(), "imaging");
            }
        }
        assert!(servers > 100, "{servers}");
    }
}
