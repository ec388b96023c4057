//! Inventory rows from passive discovery: what the traffic of a capture
//! says about each device, keyed by its MAC address, ready for the same
//! reconciliation as a CMMS import (which matches them by MAC).
//!
//! Discovery knows the network identity (MAC, IP, VLAN, host name) and, from
//! the IEEE registry, who made the network interface. It does not know the
//! model, version or clinical role (that needs the fingerprint catalog) and
//! must never overwrite what the CMMS says: [`keep_recorded`] drops every
//! field a device already has, except its network identity, which is
//! whatever the network shows now.

use std::collections::BTreeMap;

use medvigil_capture::{EndpointKey, Fact, Observation, Transport};
use medvigil_fingerprint::Identification;
use medvigil_model::{
    Conversation, Device, DeviceField, DeviceFields, Hostname, MacAddr, Peer, VlanId,
};
use time::OffsetDateTime;

use crate::ParsedRow;

/// What was learnt about one MAC address.
#[derive(Default)]
struct Seen {
    /// IP addresses with the packets sent from each.
    ips: BTreeMap<std::net::IpAddr, u64>,
    vlan: Option<u16>,
    vendor: Option<String>,
    hostname: Option<String>,
}

fn mac_of(key: &EndpointKey) -> Option<MacAddr> {
    // Multicast, broadcast and all-zero addresses do not parse: not devices.
    key.mac?.to_string().parse().ok()
}

/// One row per unicast MAC address seen in `observations`: the IP it sent
/// most from, its VLAN, a host name (DHCP option 12, else LLDP system
/// name) and the IEEE registrant of its MAC as vendor. Row numbers count
/// from 1 in MAC order.
pub fn discovered_rows(observations: &[Observation]) -> Vec<ParsedRow> {
    let mut by_mac: BTreeMap<MacAddr, Seen> = BTreeMap::new();
    for o in observations {
        match o {
            Observation::Endpoint(e) => {
                let Some(mac) = mac_of(&e.key) else { continue };
                let seen = by_mac.entry(mac).or_default();
                if let Some(ip) = e.key.ip {
                    *seen.ips.entry(ip).or_default() += e.packets_sent;
                }
                if let Some(v) = e.key.vlan {
                    seen.vlan = Some(v.id);
                }
                if seen.vendor.is_none() {
                    seen.vendor.clone_from(&e.mac_vendor);
                }
            }
            Observation::Fact(f) => match &f.fact {
                // A client's request names the client (chaddr), whoever sent it.
                Fact::Dhcp(d) if d.op == 1 => {
                    let mac = d
                        .client_mac
                        .and_then(|m| m.to_string().parse().ok())
                        .or_else(|| mac_of(&f.endpoint));
                    if let (Some(mac), Some(host)) = (mac, &d.hostname) {
                        by_mac.entry(mac).or_default().hostname = Some(host.clone());
                    }
                }
                Fact::Lldp(l) => {
                    if let (Some(mac), Some(name)) = (mac_of(&f.endpoint), &l.system_name) {
                        let seen = by_mac.entry(mac).or_default();
                        if seen.hostname.is_none() {
                            seen.hostname = Some(name.clone());
                        }
                    }
                }
                _ => {}
            },
            Observation::Flow(_) => {}
        }
    }
    by_mac
        .into_iter()
        .enumerate()
        .map(|(i, (mac, seen))| {
            let mut fields = DeviceFields {
                mac: Some(mac),
                ..DeviceFields::default()
            };
            fields.ip = seen
                .ips
                .iter()
                .max_by_key(|(ip, n)| (**n, std::cmp::Reverse(**ip)))
                .map(|(ip, _)| *ip);
            fields.vlan = seen.vlan.and_then(|v| VlanId::new(v).ok());
            fields.hostname = seen.hostname.and_then(|h| h.parse::<Hostname>().ok());
            fields.vendor = seen.vendor.filter(|v| !v.trim().is_empty());
            ParsedRow {
                line: i as u64 + 1,
                fields,
            }
        })
        .collect()
}

fn peer(key: &EndpointKey) -> Option<Peer> {
    Some(Peer {
        ip: key.ip?,
        mac: mac_of(key),
    })
}

fn time_of(t: medvigil_capture::Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.0)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The conversations of a capture: its flows summed per client, server,
/// transport and service port (client ports dropped), for segmentation.
/// A flow continued from an earlier batch adds its counters, not a flow.
/// Flows without an IP address on both sides (ARP, LLDP) are left out.
pub fn conversations(observations: &[Observation]) -> Vec<Conversation> {
    let mut by_key: BTreeMap<(Peer, Peer, String, u16), Conversation> = BTreeMap::new();
    for o in observations {
        let Observation::Flow(f) = o else { continue };
        let (Some(client), Some(server)) = (peer(&f.src), peer(&f.dst)) else {
            continue;
        };
        let transport = match f.transport {
            Transport::Tcp => "tcp".to_owned(),
            Transport::Udp => "udp".to_owned(),
            Transport::Ip(n) => format!("ip/{n}"),
        };
        let key = (
            client.clone(),
            server.clone(),
            transport.clone(),
            f.dst_port,
        );
        let (first, last) = (time_of(f.first_seen), time_of(f.last_seen));
        let c = by_key.entry(key).or_insert_with(|| Conversation {
            client,
            server,
            transport,
            port: f.dst_port,
            protocol: None,
            flows: 0,
            packets: 0,
            bytes: 0,
            first_seen: first,
            last_seen: last,
        });
        if !f.continued {
            c.flows += 1;
        }
        c.packets += f.packets_to_dst + f.packets_to_src;
        c.bytes += f.bytes_to_dst + f.bytes_to_src;
        c.first_seen = c.first_seen.min(first);
        c.last_seen = c.last_seen.max(last);
        if let Some(p) = f.protocol {
            c.protocol = Some(p.name().to_owned());
        }
    }
    by_key.into_values().collect()
}

/// The inventory rows passive discovery makes of `observations`, as
/// `medvigil discover --import` and the site sensor both merge them:
/// [`discovered_rows`], filled from the fingerprint `identifications` at
/// least `min_confidence` sure, placed at `site` when given.
pub fn discovery_rows(
    observations: &[Observation],
    identifications: &[Identification],
    min_confidence: u8,
    site: Option<&str>,
) -> Vec<ParsedRow> {
    let mut rows = discovered_rows(observations);
    apply_identifications(&mut rows, identifications, min_confidence);
    if let Some(site) = site.filter(|s| !s.trim().is_empty()) {
        for row in &mut rows {
            row.fields.location.site = Some(site.to_owned());
        }
    }
    rows
}

/// The model's category for a fingerprint category, where there is one.
fn category(c: medvigil_fingerprint::Category) -> Option<medvigil_model::Category> {
    let name = match c.name() {
        "infusion" => "infusion-pump",
        "laboratory" => "lab-analyser",
        other => other,
    };
    name.parse().ok()
}

/// Fills rows from the fingerprint catalog's identifications of the same
/// MAC, for attributes at least `min_confidence` sure: vendor (in place of
/// the MAC registrant), model (product), software version and category.
pub fn apply_identifications(rows: &mut [ParsedRow], ids: &[Identification], min_confidence: u8) {
    let by_mac: BTreeMap<MacAddr, &Identification> = ids
        .iter()
        .filter_map(|i| Some((mac_of(&i.endpoint)?, i)))
        .collect();
    for row in rows {
        let Some(id) = row.fields.mac.and_then(|m| by_mac.get(&m)) else {
            continue;
        };
        let sure = |a: &Option<medvigil_fingerprint::Attributed<String>>| {
            a.as_ref()
                .filter(|a| a.confidence >= min_confidence)
                .map(|a| a.value.clone())
        };
        if let Some(v) = sure(&id.vendor) {
            row.fields.vendor = Some(v);
        }
        if let Some(p) = sure(&id.product) {
            row.fields.model = Some(p);
        }
        if let Some(s) = sure(&id.software) {
            row.fields.software_version = Some(s);
        }
        if let Some(c) = id
            .category
            .as_ref()
            .filter(|a| a.confidence >= min_confidence)
            .and_then(|a| category(a.value))
        {
            row.fields.category = Some(c);
        }
    }
}

/// Drops from each row every field that the stored device with the same MAC
/// already has, except the network identity (IP, VLAN, host name), so that
/// discovery only fills gaps: a
/// registrant of a MAC block ("Hospira, Inc.") must not replace the vendor
/// the CMMS records ("ICU Medical"), but a new IP address is news.
pub fn keep_recorded(stored: &[Device], rows: &mut [ParsedRow]) {
    let by_mac: BTreeMap<MacAddr, &Device> = stored
        .iter()
        .filter_map(|d| Some((d.fields.mac?, d)))
        .collect();
    for row in rows {
        let Some(device) = row.fields.mac.and_then(|m| by_mac.get(&m)) else {
            continue;
        };
        for field in device.fields.set_fields() {
            if !matches!(
                field,
                DeviceField::Mac | DeviceField::Ip | DeviceField::Vlan | DeviceField::Hostname
            ) {
                row.fields.clear(field);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(mac: &str, ip: &str, vendor: &str) -> ParsedRow {
        ParsedRow {
            line: 1,
            fields: DeviceFields {
                mac: mac.parse().ok(),
                ip: ip.parse().ok(),
                vendor: Some(vendor.into()),
                ..DeviceFields::default()
            },
        }
    }

    fn device(mac: &str, vendor: Option<&str>) -> Device {
        Device {
            id: medvigil_model::DeviceId::new(),
            fields: DeviceFields {
                mac: mac.parse().ok(),
                vendor: vendor.map(str::to_owned),
                model: Some("Plum 360".into()),
                ip: "10.9.9.9".parse().ok(),
                ..DeviceFields::default()
            },
            sources: Default::default(),
            first_seen: time::OffsetDateTime::UNIX_EPOCH,
            last_seen: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn flow(packets: u64, continued: bool) -> Observation {
        let end = |ip: &str| EndpointKey {
            mac: None,
            ip: ip.parse().ok(),
            vlan: None,
        };
        Observation::Flow(medvigil_capture::FlowRecord {
            vlan: None,
            transport: Transport::Tcp,
            src: end("10.0.0.5"),
            src_port: 40000,
            dst: end("10.0.0.9"),
            dst_port: 6661,
            protocol: None,
            packets_to_dst: packets,
            packets_to_src: 0,
            bytes_to_dst: packets * 100,
            bytes_to_src: 0,
            first_seen: medvigil_capture::Timestamp(1),
            last_seen: medvigil_capture::Timestamp(2),
            continued,
        })
    }

    #[test]
    fn a_flow_continued_in_a_later_batch_is_one_flow() {
        let first = conversations(&[flow(3, false)]);
        let later = conversations(&[flow(4, true)]);
        assert_eq!((first[0].flows, first[0].packets), (1, 3));
        assert_eq!((later[0].flows, later[0].packets), (0, 4));
        let whole = conversations(&[flow(3, false), flow(4, true), flow(1, false)]);
        assert_eq!((whole[0].flows, whole[0].packets), (2, 8));
    }

    #[test]
    fn recorded_fields_are_kept_and_network_identity_is_news() {
        let stored = [
            device("00:03:b1:00:00:01", Some("ICU Medical")),
            device("00:03:b1:00:00:02", None),
        ];
        let mut rows = vec![
            row("00:03:b1:00:00:01", "10.0.0.1", "Hospira, Inc."),
            row("00:03:b1:00:00:02", "10.0.0.2", "Hospira, Inc."),
            row("00:03:b1:00:00:03", "10.0.0.3", "Hospira, Inc."),
        ];
        keep_recorded(&stored, &mut rows);
        let f = |i: usize| &rows[i].fields;
        assert_eq!(
            (f(0).vendor.as_deref(), f(0).ip),
            (None, "10.0.0.1".parse().ok())
        );
        assert_eq!(f(1).vendor.as_deref(), Some("Hospira, Inc."));
        assert_eq!(f(2).vendor.as_deref(), Some("Hospira, Inc."));
        assert!(f(0).model.is_none());
    }
}
