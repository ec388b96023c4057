//! The policy as Cisco IOS configuration: an `object-group network` per
//! zone and one `ip access-list extended` (IPv4).

use std::fmt::Write as _;
use std::net::IpAddr;

use crate::{AddrBlock, Direction, Policy, Service, Transport, ZoneName};

use super::{ConduitGroup, conduit_groups, restricted_blocks};

/// The access list's name.
const ACL: &str = "MEDVIGIL-SEGMENTATION";

fn group_name(zone: &ZoneName) -> String {
    format!("MV-{}", zone.as_str().to_ascii_uppercase())
}

/// An object-group line for an IPv4 block.
fn member(b: &AddrBlock) -> String {
    if b.first() == b.last() {
        return format!(" host {}", b.first());
    }
    match b.as_net() {
        Some(n) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(n.prefix_len()))
                .unwrap_or(0);
            format!(" {} {}", n.addr(), std::net::Ipv4Addr::from(mask))
        }
        None => format!(" range {} {}", b.first(), b.last()),
    }
}

/// `tcp` / `udp` / the protocol number.
fn protocol(t: Transport) -> String {
    match t {
        Transport::Tcp | Transport::Udp => t.to_string(),
        Transport::Ip(n) => n.to_string(),
    }
}

fn port_suffix(s: Service) -> String {
    if s.transport.has_ports() {
        format!(" eq {}", s.port)
    } else {
        String::new()
    }
}

/// The policy as a Cisco IOS extended ACL with object groups (IPv4 only;
/// IPv6 members are listed in comments). IOS ACLs are stateless: TCP replies
/// pass through `established`; UDP replies need reflexive ACLs or a
/// zone-based firewall. Apply inbound on the interfaces between zones.
pub fn to_cisco_acl(policy: &Policy) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("! medvigil segmentation policy (IEC 62443 zones and conduits); generated.\n");
    let v4 = |z: &crate::Zone| z.members.iter().filter(|b| !b.is_ipv6()).count() > 0;
    for z in &policy.zones {
        let v6 = z.members.iter().filter(|b| b.is_ipv6()).count();
        if v6 > 0 {
            let _ = writeln!(out, "! zone {}: {v6} IPv6 blocks not exported", z.name);
        }
        if !v4(z) {
            continue;
        }
        let _ = writeln!(out, "object-group network {}", group_name(&z.name));
        let _ = writeln!(out, " description medvigil zone {}", z.name);
        for b in z.members.iter().filter(|b| !b.is_ipv6()) {
            out.push_str(&member(b));
            out.push('\n');
        }
        out.push_str("!\n");
    }
    let restricted: Vec<AddrBlock> = restricted_blocks(policy)
        .into_iter()
        .filter(|b| !b.is_ipv6())
        .collect();
    if !restricted.is_empty() {
        out.push_str("object-group network MV-RESTRICTED\n");
        out.push_str(" description medvigil devices that cannot be patched\n");
        for b in &restricted {
            out.push_str(&member(b));
            out.push('\n');
        }
        out.push_str("!\n");
    }
    let _ = writeln!(out, "ip access-list extended {ACL}");
    out.push_str(" remark replies to allowed TCP connections\n");
    out.push_str(" permit tcp any any established\n");
    if !restricted.is_empty() {
        out.push_str(
            " remark devices that cannot be patched: only the flows they were seen using\n",
        );
        for d in policy.device_rules.iter().filter(|d| d.ip.is_ipv4()) {
            for r in d.rules.iter().filter(|r| r.peer.is_ipv4()) {
                let (src, dst): (IpAddr, IpAddr) = match r.direction {
                    Direction::Outbound => (d.ip, r.peer),
                    Direction::Inbound => (r.peer, d.ip),
                };
                let _ = writeln!(
                    out,
                    " permit {} host {src} host {dst}{}",
                    protocol(r.service.transport),
                    port_suffix(r.service)
                );
            }
        }
        out.push_str(" deny ip object-group MV-RESTRICTED any log\n");
        out.push_str(" deny ip any object-group MV-RESTRICTED log\n");
    }
    let has = |name: &ZoneName| policy.zone(name).is_some_and(v4);
    if policy.allow_intra_zone {
        out.push_str(" remark traffic inside a zone\n");
        for z in policy
            .zones
            .iter()
            .filter(|z| v4(z) && !z.name.is_builtin())
        {
            let g = group_name(&z.name);
            let _ = writeln!(out, " permit ip object-group {g} object-group {g}");
        }
    }
    out.push_str(" remark conduits\n");
    for ConduitGroup {
        from,
        to,
        transport,
        ports,
    } in conduit_groups(policy)
    {
        if !has(from) || !has(to) {
            continue;
        }
        let (f, t) = (group_name(from), group_name(to));
        if transport.has_ports() {
            for p in ports {
                let _ = writeln!(
                    out,
                    " permit {} object-group {f} object-group {t} eq {p}",
                    protocol(transport)
                );
            }
        } else {
            let _ = writeln!(
                out,
                " permit {} object-group {f} object-group {t}",
                protocol(transport)
            );
        }
    }
    out.push_str(" deny ip any any log\n!\n");
    out
}
