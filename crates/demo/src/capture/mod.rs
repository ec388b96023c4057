//! Generated packet captures (classic pcap, Ethernet): the demo hospital's
//! own traffic, so that `medvigil discover` can be run on the demo, and a
//! bulk radiology workload of any size for the capture benchmark.
//!
//! Written by hand on `etherparse`'s packet builder: no crate generates
//! DICOM, MLLP or LLDP traffic, and the pcap record format is 16 bytes.

mod pcap;
mod wire;

use std::io::{self, Write};

use medvigil_model::{Category, DeviceFields};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Hospital;
use pcap::{Host, Pcap, Tcp};
use wire::Association;

const DICOM_PORT: u16 = 104;
const HL7_PORT: u16 = 2575;
/// 2026-11-29 00:00 UTC, in microseconds.
const START_MICROS: u64 = 1_764_374_400_000_000;

/// What a generated capture holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaptureCounts {
    /// File size.
    pub bytes: u64,
    /// DICOM associations (an RQ and an AC each).
    pub associations: u64,
    /// HL7 messages (each acknowledged).
    pub hl7_messages: u64,
    /// DHCP requests.
    pub dhcp_requests: u64,
    /// LLDP advertisements.
    pub lldp: u64,
}

/// An implementation class UID root of the manufacturer (their registered
/// DICOM roots), else the UUID-derived root of PS3.5 §B.2 for the others.
fn implementation(vendor: &str) -> (&'static str, String) {
    let v = vendor.to_ascii_lowercase();
    let root = if v.starts_with("ge ") {
        "1.2.840.113619.6.1"
    } else if v.starts_with("siemens") {
        "1.3.12.2.1107.5.1"
    } else if v.starts_with("philips") {
        "1.3.46.670589.1"
    } else {
        "2.25.93470521663478201245"
    };
    let word: String = vendor
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect();
    (root, format!("{}_1", word.to_ascii_uppercase()))
}

/// The SOP class a modality of this model stores (PS3.4 Annex B), from the
/// words in its name; a viewing station queries (Study Root FIND).
fn sop_class(d: &DeviceFields) -> &'static str {
    let model = d.model.as_deref().unwrap_or_default().to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| model.contains(w));
    match d.category {
        Some(Category::ViewingStation) => "1.2.840.10008.5.1.4.1.2.2.1",
        Some(Category::Radiotherapy) => "1.2.840.10008.5.1.4.1.1.481.1",
        _ if has(&["ct", "somatom"]) => "1.2.840.10008.5.1.4.1.1.2",
        _ if has(&["magnetom", "mr", "ingenia", "signa"]) => "1.2.840.10008.5.1.4.1.1.4",
        _ if has(&["epiq", "vivid", "logiq", "acuson", "ultrasound"]) => {
            "1.2.840.10008.5.1.4.1.1.6.1"
        }
        _ if has(&["selenia", "mammo", "senographe"]) => "1.2.840.10008.5.1.4.1.1.1.2",
        _ if has(&["drx", "ysio", "digital diagnost", "dr "]) => "1.2.840.10008.5.1.4.1.1.1.1",
        _ => "1.2.840.10008.5.1.4.1.1.7",
    }
}

/// A site's server (`host` on the `19` network of its address plan, as in
/// the demo's conversations) or its router.
fn site_host(site: u8, host: u8) -> Host {
    Host {
        mac: [0x00, 0x50, 0x56, site, 19, host],
        ip: [10, (site + 1) * 20 + 19, 0, host],
        vlan: None,
    }
}

/// The HSRP virtual MAC of a VLAN's gateway (RFC 2281: 00:00:0c:07:ac:group).
fn gateway_mac(vlan: Option<u16>) -> [u8; 6] {
    [
        0x00,
        0x00,
        0x0c,
        0x07,
        0xac,
        vlan.map_or(0, |v| (v & 0xff) as u8),
    ]
}

/// The index of the device's site.
fn site_of(h: &Hospital, d: &DeviceFields) -> u8 {
    d.location
        .site
        .as_ref()
        .and_then(|s| h.sites.iter().position(|x| x == s))
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(0)
}

/// The demo hospital's traffic as a sensor on the sites' trunks sees it:
/// each device with an address renews its DHCP lease (host name, vendor
/// class "vendor model"); modalities, viewing stations and treatment
/// machines open a DICOM association to their site's PACS (AE title from
/// the host name, the SOP class of the modality, the vendor's
/// implementation UID root); monitors, ECGs, defibrillators, pumps and
/// analysers send an HL7 v2.6 ORU^R01 over MLLP naming themselves in OBX-18
/// and PRT (UDI-DI) to their site's interface engine; each site's core
/// switch advertises itself over LLDP. Patient data in the messages is
/// synthetic. The same hospital and seed give the same bytes.
pub fn write_demo_capture<W: Write>(h: &Hospital, seed: u64, out: W) -> io::Result<CaptureCounts> {
    let mut pcap = Pcap::new(out, START_MICROS)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut n = CaptureCounts::default();
    for i in 0..h.sites.len() {
        let site = u8::try_from(i).unwrap_or(0);
        let switch = site_host(site, 2);
        let description = "Cisco IOS Software, C9300 Software (C9300-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)";
        let lldpdu = wire::lldpdu(
            switch.mac,
            "Te1/1/1",
            &format!("core-{}", i + 1),
            description,
        );
        pcap::lldp(&mut pcap, switch, &lldpdu)?;
        n.lldp += 1;
    }
    for (i, d) in h.devices.iter().enumerate() {
        let (Some(std::net::IpAddr::V4(ip)), Some(mac), Some(category)) = (d.ip, d.mac, d.category)
        else {
            continue;
        };
        let device = Host {
            mac: mac.octets(),
            ip: ip.octets(),
            vlan: d.vlan.map(|v| v.get()),
        };
        let xid = u32::try_from(i).unwrap_or(u32::MAX);
        let host = d
            .hostname
            .as_ref()
            .map(|h| h.as_str().to_owned())
            .unwrap_or_default();
        let vendor = d.vendor.clone().unwrap_or_default();
        let model = d.model.clone().unwrap_or_default();
        let request = wire::dhcp_request(
            xid,
            device.mac,
            device.ip,
            &host,
            &format!("{vendor} {model}"),
        );
        pcap::udp(&mut pcap, device, [0; 4], None, (68, 67), &request)?;
        n.dhcp_requests += 1;
        let site = site_of(h, d);
        // Host names start with the site's short code ("smu-…").
        let code = host
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let port = 49_152 + u16::try_from(i % 16_000).unwrap_or(0);
        match category {
            Category::Imaging | Category::ViewingStation | Category::Radiotherapy => {
                let mut pacs = site_host(site, 30);
                pacs.mac = gateway_mac(device.vlan);
                let calling: String = host.to_ascii_uppercase().chars().take(16).collect();
                let (class_uid_root, version) = implementation(&vendor);
                let class_uid = format!("{class_uid_root}.{}", 1 + i % 3);
                let a = Association {
                    called: &format!("{code}_PACS"),
                    calling: &calling,
                    sop_class: sop_class(d),
                    class_uid: &class_uid,
                    version: &version,
                };
                let mut t = Tcp::open(&mut pcap, &mut rng, device, pacs, (port, DICOM_PORT))?;
                t.send(&mut pcap, true, &wire::associate(true, &a))?;
                let ac = Association {
                    class_uid: "1.2.40.0.13.1.3",
                    version: "dcm4che-5.31.0",
                    ..a
                };
                t.send(&mut pcap, false, &wire::associate(false, &ac))?;
                t.send(
                    &mut pcap,
                    true,
                    &wire::p_data(rng.random_range(2_000..12_000), true, 0x5a),
                )?;
                t.send(&mut pcap, false, &wire::p_data(80, true, 0))?;
                t.send(&mut pcap, true, &wire::release(true))?;
                t.send(&mut pcap, false, &wire::release(false))?;
                t.close(&mut pcap)?;
                n.associations += 1;
            }
            Category::PatientMonitor
            | Category::Ecg
            | Category::Defibrillator
            | Category::InfusionPump
            | Category::LabAnalyser => {
                let mut engine = site_host(
                    site,
                    if category == Category::LabAnalyser {
                        40
                    } else {
                        20
                    },
                );
                engine.mac = gateway_mac(device.vlan);
                let app: String = model
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_uppercase()
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let udi = d.udi_di.as_ref().map(|u| u.to_string()).unwrap_or_default();
                let segments = [
                    format!(
                        "MSH|^~\\&|{app}|{code}|HIS|{code}|20261129120000||ORU^R01^ORU_R01|{host}-{i}|P|2.6"
                    ),
                    format!(
                        "PID|1||{}^^^{code}^MR||SYNTHETIC^PATIENT",
                        rng.random_range(100_000..999_999)
                    ),
                    "OBR|1||||||20261129120000".to_owned(),
                    format!(
                        "OBX|1|NM|8867-4^Heart rate^LN||{}|/min|||||F|||20261129120000||||{vendor} {model}",
                        rng.random_range(50..120)
                    ),
                    format!("PRT|1|AD||EQUIP||||||{vendor} {model}||||||{udi}"),
                ];
                let ack = [
                    format!(
                        "MSH|^~\\&|HIS|{code}|{app}|{code}|20261129120001||ACK^R01^ACK|A{i}|P|2.6"
                    ),
                    format!("MSA|AA|{host}-{i}"),
                ];
                let mut t = Tcp::open(&mut pcap, &mut rng, device, engine, (port, HL7_PORT))?;
                t.send(&mut pcap, true, &wire::mllp(&segments))?;
                t.send(&mut pcap, false, &wire::mllp(&ack))?;
                t.close(&mut pcap)?;
                n.hl7_messages += 1;
            }
            _ => {}
        }
    }
    n.bytes = pcap.bytes();
    pcap.finish()?;
    Ok(n)
}

const MODALITIES: &[(&str, &str, &str)] = &[
    ("CT_SCANNER", "1.2.840.10008.5.1.4.1.1.2", "GE_CT_R22"),
    ("MR_SCANNER", "1.2.840.10008.5.1.4.1.1.4", "SIEMENS_XA60"),
    ("US_CART", "1.2.840.10008.5.1.4.1.1.6.1", "PHILIPS_EPIQ7"),
    ("DX_ROOM", "1.2.840.10008.5.1.4.1.1.1.1", "OFFIS_DCMTK_368"),
];

/// A radiology network's traffic of about `target_bytes`, for the capture
/// benchmark: DICOM sessions (handshake, A-ASSOCIATE-RQ/AC, P-DATA-TF of
/// image data in MSS-sized segments, A-RELEASE), HL7 v2 results over MLLP
/// with their acknowledgements, and DHCP requests naming host and vendor
/// class. Most bytes are DICOM data, as on a radiology network.
pub fn write_bulk_capture<W: Write>(
    out: W,
    target_bytes: u64,
    seed: u64,
) -> io::Result<CaptureCounts> {
    let mut pcap = Pcap::new(out, START_MICROS)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let host = |i: u32, oui: [u8; 3]| Host {
        mac: [oui[0], oui[1], oui[2], 0, (i >> 8) as u8, i as u8],
        ip: [10, 20, (i >> 8) as u8, i as u8],
        vlan: None,
    };
    let pacs = host(1, [0x00, 0x1b, 0x21]);
    let engine = host(2, [0x00, 0x1b, 0x21]);
    let mut g = CaptureCounts::default();
    let mut port: u16 = 40_000;
    let mut n: u32 = 0;
    while pcap.bytes() < target_bytes {
        n += 1;
        port = port.wrapping_add(1).max(1024);
        let roll: u32 = rng.random_range(0..100);
        if roll < 70 {
            let (calling, sop, version) = MODALITIES[rng.random_range(0..MODALITIES.len())];
            let client = host(100 + rng.random_range(0..200), [0x00, 0x00, 0x0e]);
            let mut t = Tcp::open(&mut pcap, &mut rng, client, pacs, (port, DICOM_PORT))?;
            let calling = format!("{calling}{}", client.ip[3]);
            let rq = Association {
                called: "PACS_STORE",
                calling: &calling,
                sop_class: sop,
                class_uid: "1.2.826.0.1.3680043.9.7433.1.1",
                version,
            };
            t.send(&mut pcap, true, &wire::associate(true, &rq))?;
            let ac = Association {
                version: "DCM4CHEE_5",
                ..rq
            };
            t.send(&mut pcap, false, &wire::associate(false, &ac))?;
            g.associations += 1;
            let images = rng.random_range(1..6);
            for img in 0..images {
                let size = rng.random_range(200_000..1_200_000);
                let mut left = size;
                while left > 0 {
                    let len = left.min(16_372);
                    left -= len;
                    t.send(&mut pcap, true, &wire::p_data(len, left == 0, img as u8))?;
                }
                t.send(&mut pcap, false, &wire::p_data(80, true, 0))?;
            }
            t.send(&mut pcap, true, &wire::release(true))?;
            t.send(&mut pcap, false, &wire::release(false))?;
            t.close(&mut pcap)?;
        } else if roll < 95 {
            let client = host(1000 + rng.random_range(0..500), [0x00, 0x03, 0xb1]);
            let mut t = Tcp::open(&mut pcap, &mut rng, client, engine, (port, HL7_PORT))?;
            for m in 0..rng.random_range(1..8) {
                let msg = [
                    format!(
                        "MSH|^~\\&|PUMP_GW|WARD{}|HIS|HOSP|20261129120000||ORU^R01|M{n}-{m}|P|2.6",
                        client.ip[3]
                    ),
                    format!(
                        "PID|1||{}^^^HOSP||SYNTHETIC^PATIENT",
                        rng.random_range(100_000..999_999)
                    ),
                    format!(
                        "OBX|1|NM|8867-4^Heart rate^LN||{}|/min|||||F|||||||PUMP-{}",
                        rng.random_range(50..120),
                        client.ip[3]
                    ),
                ];
                t.send(&mut pcap, true, &wire::mllp(&msg))?;
                let ack = [
                    format!("MSH|^~\\&|HIS|HOSP|PUMP_GW|WARD|20261129120000||ACK|A{n}-{m}|P|2.6"),
                    format!("MSA|AA|M{n}-{m}"),
                ];
                t.send(&mut pcap, false, &wire::mllp(&ack))?;
                g.hl7_messages += 1;
            }
            t.close(&mut pcap)?;
        } else {
            let client = host(2000 + rng.random_range(0..300), [0x00, 0x09, 0xfb]);
            let name = format!("monitor-{}", client.ip[3]);
            let request = wire::dhcp_request(n, client.mac, client.ip, &name, "IntelliVue-MX");
            pcap::udp(&mut pcap, client, [0; 4], None, (68, 67), &request)?;
            g.dhcp_requests += 1;
        }
    }
    g.bytes = pcap.bytes();
    pcap.finish()?;
    Ok(g)
}
