//! Discovery merges into the inventory by MAC, by host name and, behind a
//! router, by IP (issue 5), from a capture: a router forwards two hosts of
//! other networks; a CT scanner the CMMS recorded without MAC asks DHCP for
//! its lease under its host name.

use medvigil_capture::{Analyzer, Limits};
use medvigil_inventory::discovery::{discovered_rows, match_inventory};
use medvigil_inventory::{Existing, reconcile};
use medvigil_model::{Device, DeviceFields};

const ROUTER: [u8; 6] = [0x00, 0x00, 0x0c, 0x07, 0xac, 0x01];
const SCANNER: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];

fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65_535u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for (i, f) in frames.iter().enumerate() {
        let len = u32::try_from(f.len()).expect("frame length");
        for v in [1_764_400_000 + i as u32, 0, len, len] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(f);
    }
    out
}

fn tcp(src: ([u8; 6], [u8; 4]), dst: ([u8; 6], [u8; 4]), dport: u16) -> Vec<u8> {
    let mut v = Vec::new();
    etherparse::PacketBuilder::ethernet2(src.0, dst.0)
        .ipv4(src.1, dst.1, 64)
        .tcp(40_000, dport, 1, 64_240)
        .syn()
        .write(&mut v, &[])
        .expect("frame");
    v
}

fn dhcp_request(mac: [u8; 6], host: &str) -> Vec<u8> {
    let mut d = vec![1u8, 1, 6, 0, 0, 0, 0, 1];
    d.extend_from_slice(&[0; 20]);
    d.extend_from_slice(&mac);
    d.extend_from_slice(&[0; 10 + 64 + 128]);
    d.extend_from_slice(&[99, 130, 83, 99, 53, 1, 3, 12, host.len() as u8]);
    d.extend_from_slice(host.as_bytes());
    d.push(255);
    let mut v = Vec::new();
    etherparse::PacketBuilder::ethernet2(mac, [0xff; 6])
        .ipv4([0; 4], [255; 4], 64)
        .udp(68, 67)
        .write(&mut v, &d)
        .expect("frame");
    v
}

fn stored(fields: DeviceFields) -> Device {
    Device {
        id: medvigil_model::DeviceId::new(),
        fields,
        sources: Default::default(),
        first_seen: time::OffsetDateTime::UNIX_EPOCH,
        last_seen: time::OffsetDateTime::UNIX_EPOCH,
    }
}

#[test]
fn merged_by_mac_host_name_and_ip_behind_a_router() {
    let scanner = (SCANNER, [10, 10, 0, 9]);
    let capture = pcap(&[
        dhcp_request(SCANNER, "ct-scanner-1"),
        tcp(scanner, (ROUTER, [10, 30, 0, 5]), 104),
        tcp((ROUTER, [10, 30, 0, 5]), scanner, 104),
        tcp((ROUTER, [10, 40, 0, 7]), scanner, 22),
    ]);
    let mut analyzer = Analyzer::new(Limits::default());
    analyzer.read_capture(capture.as_slice()).expect("read");
    let mut rows = discovered_rows(&analyzer.finish());

    // The router keeps its MAC but no address; the hosts behind it have
    // their address and no MAC.
    let summary: Vec<(Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                r.fields.mac.map(|m| m.to_string()),
                r.fields.ip.map(|i| i.to_string()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (Some("00:00:0c:07:ac:01".into()), None),
            (Some("02:00:00:00:00:0a".into()), Some("10.10.0.9".into())),
            (None, Some("10.30.0.5".into())),
            (None, Some("10.40.0.7".into())),
        ]
    );

    let ct = stored(DeviceFields {
        asset_tag: Some("AT-CT-1".into()),
        hostname: "CT-Scanner-1".parse().ok(),
        vendor: Some("Siemens Healthineers".into()),
        ..DeviceFields::default()
    });
    let pacs = stored(DeviceFields {
        mac: "00:11:22:33:44:55".parse().ok(),
        ip: "10.30.0.5".parse().ok(),
        model: Some("PACS".into()),
        ..DeviceFields::default()
    });
    let inventory = [ct.clone(), pacs.clone()];
    let m = match_inventory(&inventory, &mut rows);
    assert_eq!((m.by_mac, m.by_hostname, m.by_ip, m.unplaced), (0, 1, 1, 1));
    assert_eq!(rows.len(), 3, "10.40.0.7 matches no device and is left out");

    let existing: Vec<Existing> = inventory
        .iter()
        .map(|d| Existing {
            id: d.id,
            fields: d.fields.clone(),
        })
        .collect();
    let plan = reconcile(&existing, rows);
    assert!(plan.rejected.is_empty(), "{:?}", plan.rejected);
    // The router is new; the scanner gains its MAC and IP; the PACS, seen
    // through the router, keeps its own MAC.
    assert_eq!(plan.creates.len(), 1);
    assert_eq!(
        plan.creates[0].fields.mac.map(|m| m.to_string()).as_deref(),
        Some("00:00:0c:07:ac:01")
    );
    let scanner_update = plan
        .updates
        .iter()
        .find(|u| u.id == ct.id)
        .expect("scanner updated");
    assert_eq!(
        scanner_update.fields.mac.map(|m| m.to_string()).as_deref(),
        Some("02:00:00:00:00:0a")
    );
    assert_eq!(
        scanner_update.fields.ip.map(|i| i.to_string()).as_deref(),
        Some("10.10.0.9")
    );
    assert_eq!(
        scanner_update.fields.vendor.as_deref(),
        Some("Siemens Healthineers")
    );
    let pacs_seen = plan.updates.iter().find(|u| u.id == pacs.id).map_or_else(
        || {
            assert!(plan.unchanged.iter().any(|(_, id)| *id == pacs.id));
            pacs.fields.clone()
        },
        |u| u.fields.clone(),
    );
    assert_eq!(
        pacs_seen.mac.map(|m| m.to_string()).as_deref(),
        Some("00:11:22:33:44:55")
    );
}
