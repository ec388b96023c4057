//! Inventory rows from passive discovery: what the traffic of a capture
//! says about each device, keyed by its MAC address, ready for the same
//! reconciliation as a CMMS import (which matches them by MAC).
//!
//! Discovery knows the network identity (MAC, IP, VLAN, host name) and, from
//! the IEEE registry, who made the network interface. It does not know the
//! model, version or clinical role (that needs the fingerprint catalog) and
//! must never overwrite what the CMMS says: [`match_inventory`] places each
//! row on its device and drops every field the device already has, except
//! its network identity, which is whatever the network shows now.

use std::collections::BTreeMap;
use std::net::IpAddr;

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
    ips: BTreeMap<IpAddr, u64>,
    vlan: Option<u16>,
    vendor: Option<String>,
    hostname: Option<String>,
}

fn mac_of(key: &EndpointKey) -> Option<MacAddr> {
    // Multicast, broadcast and all-zero addresses do not parse: not devices.
    key.mac?.to_string().parse().ok()
}

/// The network an address is in, for telling a router from a host: the
/// /24 of an IPv4 address, the /64 of an IPv6 one. Link-local addresses
/// (a host's fallback beside its lease) count for none.
fn network(ip: &IpAddr) -> Option<(bool, u64)> {
    match ip {
        IpAddr::V4(v4) if !v4.is_link_local() => Some((true, u64::from(u32::from(*v4) >> 8))),
        IpAddr::V6(v6) if (v6.segments()[0] & 0xffc0) != 0xfe80 => {
            Some((false, (u128::from(*v6) >> 64) as u64))
        }
        _ => None,
    }
}

/// Whether the MAC sent from addresses of more than one network: a router
/// (or a firewall) forwarding other hosts' traffic, whose MAC says nothing
/// about those hosts.
fn is_router(seen: &Seen) -> bool {
    let mut nets = seen.ips.keys().filter_map(network).collect::<Vec<_>>();
    nets.sort_unstable();
    nets.dedup();
    nets.len() > 1
}

/// One row per unicast MAC address seen in `observations`: the IP it sent
/// most from, its VLAN, a host name (DHCP option 12, else LLDP system
/// name) and the IEEE registrant of its MAC as vendor.
///
/// A MAC that sent from addresses of several networks is a router's: its
/// row keeps the MAC but no IP, and each address behind it becomes a row
/// with that IP and no MAC, which only [`match_inventory`] can place (by
/// the inventory's IP). Row numbers count from 1 in that order.
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
    let mut rows = Vec::with_capacity(by_mac.len());
    let mut behind_routers: BTreeMap<IpAddr, Option<u16>> = BTreeMap::new();
    for (mac, seen) in by_mac {
        let mut fields = DeviceFields {
            mac: Some(mac),
            ..DeviceFields::default()
        };
        if is_router(&seen) {
            for ip in seen.ips.keys().filter(|ip| network(ip).is_some()) {
                behind_routers.insert(*ip, seen.vlan);
            }
        } else {
            fields.ip = seen
                .ips
                .iter()
                .max_by_key(|(ip, n)| (**n, std::cmp::Reverse(**ip)))
                .map(|(ip, _)| *ip);
            fields.vlan = seen.vlan.and_then(|v| VlanId::new(v).ok());
        }
        fields.hostname = seen.hostname.and_then(|h| h.parse::<Hostname>().ok());
        fields.vendor = seen.vendor.filter(|v| !v.trim().is_empty());
        rows.push(fields);
    }
    // An address also seen with its own MAC is that host's, not a routed one.
    let own: std::collections::BTreeSet<IpAddr> = rows.iter().filter_map(|f| f.ip).collect();
    for (ip, vlan) in behind_routers {
        if !own.contains(&ip) {
            rows.push(DeviceFields {
                ip: Some(ip),
                vlan: vlan.and_then(|v| VlanId::new(v).ok()),
                ..DeviceFields::default()
            });
        }
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, fields)| ParsedRow {
            line: i as u64 + 1,
            fields,
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

/// How discovered rows were placed in the inventory by [`match_inventory`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matched {
    /// Rows whose MAC the inventory has.
    pub by_mac: usize,
    /// Rows whose host name is that of a device the inventory has no MAC for.
    pub by_hostname: usize,
    /// Addresses seen behind a router that an inventoried device holds.
    pub by_ip: usize,
    /// Addresses seen behind a router that no device holds: left out.
    pub unplaced: usize,
}

/// Places each discovered row on the stored device it is, so that the
/// import updates that device: by MAC; else, for a MAC the inventory does
/// not know, by host name (DHCP/LLDP name equal, ignoring case, to that of
/// a device recorded without a MAC); else, for an address seen behind a
/// router (a row without MAC), by the device holding that IP. Rows without
/// a MAC that no device holds are dropped: a router's MAC does not say who
/// they are.
///
/// A placed row loses every field the device already has, except its
/// network identity (IP, VLAN, host name, and a MAC it did not have), so
/// that discovery only fills gaps: a registrant of a MAC block ("Hospira,
/// Inc.") must not replace the vendor the CMMS records ("ICU Medical"), but
/// a new IP address is news. The import's reconciliation then finds the
/// device by its MAC, asset tag or serial, which the row is given.
pub fn match_inventory(stored: &[Device], rows: &mut Vec<ParsedRow>) -> Matched {
    let by_mac: BTreeMap<MacAddr, &Device> = stored
        .iter()
        .filter_map(|d| Some((d.fields.mac?, d)))
        .collect();
    // Reconciliation finds a device by MAC, asset tag or vendor + serial:
    // one with none of them cannot be named by a row.
    let keyed = |d: &&Device| {
        d.fields.mac.is_some() || d.fields.asset_tag.is_some() || d.fields.serial.is_some()
    };
    let by_host: BTreeMap<String, &Device> = stored
        .iter()
        .filter(|d| d.fields.mac.is_none() && keyed(d))
        .filter_map(|d| Some((d.fields.hostname.as_ref()?.as_str().to_ascii_lowercase(), d)))
        .collect();
    let by_ip: BTreeMap<IpAddr, &Device> = stored
        .iter()
        .filter(keyed)
        .filter_map(|d| Some((d.fields.ip?, d)))
        .collect();
    let mut m = Matched::default();
    rows.retain_mut(|row| {
        let device = if let Some(mac) = row.fields.mac {
            if let Some(d) = by_mac.get(&mac) {
                m.by_mac += 1;
                Some(*d)
            } else {
                let host = row.fields.hostname.as_ref();
                let d = host.and_then(|h| by_host.get(&h.as_str().to_ascii_lowercase()));
                m.by_hostname += usize::from(d.is_some());
                d.copied()
            }
        } else {
            let d = row.fields.ip.and_then(|ip| by_ip.get(&ip)).copied();
            if d.is_none() {
                m.unplaced += 1;
                return false;
            }
            m.by_ip += 1;
            d
        };
        if let Some(d) = device {
            keep_recorded(d, &mut row.fields);
        }
        true
    });
    m
}

/// Clears from `row` what `device` already records, except the network
/// identity, and gives it the device's keys for reconciliation.
fn keep_recorded(device: &Device, row: &mut DeviceFields) {
    for field in device.fields.set_fields() {
        if !matches!(
            field,
            DeviceField::Mac | DeviceField::Ip | DeviceField::Vlan | DeviceField::Hostname
        ) {
            row.clear(field);
        }
    }
    if device.fields.mac.is_some() {
        row.mac = device.fields.mac;
    }
    row.asset_tag.clone_from(&device.fields.asset_tag);
    if device.fields.serial.is_some() {
        row.serial.clone_from(&device.fields.serial);
        row.vendor.clone_from(&device.fields.vendor);
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
        let m = match_inventory(&stored, &mut rows);
        assert_eq!((m.by_mac, m.by_hostname, m.by_ip), (2, 0, 0));
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
