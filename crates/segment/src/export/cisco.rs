//! The policy as Cisco IOS configuration: an `object-group network` per
//! zone and one `ip access-list extended` for IPv4; an `ipv6 access-list`
//! for IPv6, with the zones' prefixes written out (IOS IPv6 ACLs take no
//! IPv4 object groups and no address ranges).

use std::fmt::Write as _;
use std::net::IpAddr;

use crate::{AddrBlock, Direction, Policy, Service, Transport, ZoneName};

use super::{ConduitGroup, conduit_groups, restricted_blocks};

/// The access list's name.
const ACL: &str = "MEDVIGIL-SEGMENTATION";
/// The IPv6 access list's name.
const ACL_V6: &str = "MEDVIGIL-SEGMENTATION-V6";

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

/// The policy as a Cisco IOS extended ACL with object groups for IPv4 and,
/// when a zone has IPv6 members, an `ipv6 access-list` with the same rules
/// on the IPv6 prefixes. IOS ACLs are stateless: TCP replies pass through
/// `established`; UDP replies need reflexive ACLs or a zone-based firewall.
/// Apply inbound on the interfaces between zones (`ip access-group` and
/// `ipv6 traffic-filter`).
pub fn to_cisco_acl(policy: &Policy) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("! medvigil segmentation policy (IEC 62443 zones and conduits); generated.\n");
    let v4 = |z: &crate::Zone| z.members.iter().filter(|b| !b.is_ipv6()).count() > 0;
    for z in &policy.zones {
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
    if policy
        .zones
        .iter()
        .any(|z| z.members.iter().any(AddrBlock::is_ipv6))
    {
        ipv6_acl(policy, &mut out);
    }
    out
}

/// The IPv6 prefixes of a zone, as IOS IPv6 ACL operands.
fn v6_operands(zone: Option<&crate::Zone>) -> Vec<String> {
    zone.map(|z| {
        z.members
            .iter()
            .filter(|b| b.is_ipv6())
            .flat_map(AddrBlock::prefixes)
            .map(|n| {
                if n.is_host() {
                    format!("host {}", n.addr())
                } else {
                    n.to_string()
                }
            })
            .collect()
    })
    .unwrap_or_default()
}

/// `ipv6 access-list`: the rules of the IPv4 list on the zones' IPv6
/// prefixes, one entry per source prefix, destination prefix and port.
fn ipv6_acl(policy: &Policy, out: &mut String) {
    let _ = writeln!(out, "ipv6 access-list {ACL_V6}");
    out.push_str(" remark replies to allowed TCP connections\n");
    out.push_str(" permit tcp any any established\n");
    let restricted: Vec<_> = policy
        .device_rules
        .iter()
        .filter(|d| d.ip.is_ipv6())
        .collect();
    if !restricted.is_empty() {
        out.push_str(
            " remark devices that cannot be patched: only the flows they were seen using\n",
        );
        for d in &restricted {
            for r in d.rules.iter().filter(|r| r.peer.is_ipv6()) {
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
        for d in &restricted {
            let _ = writeln!(out, " deny ipv6 host {} any log", d.ip);
            let _ = writeln!(out, " deny ipv6 any host {} log", d.ip);
        }
    }
    if policy.allow_intra_zone {
        out.push_str(" remark traffic inside a zone\n");
        for z in policy.zones.iter().filter(|z| !z.name.is_builtin()) {
            let ops = v6_operands(Some(z));
            for a in &ops {
                for b in &ops {
                    let _ = writeln!(out, " permit ipv6 {a} {b}");
                }
            }
        }
    }
    out.push_str(" remark conduits\n");
    for g in conduit_groups(policy) {
        let from = v6_operands(policy.zone(g.from));
        let to = v6_operands(policy.zone(g.to));
        for a in &from {
            for b in &to {
                if g.transport.has_ports() {
                    for p in &g.ports {
                        let _ = writeln!(out, " permit {} {a} {b} eq {p}", protocol(g.transport));
                    }
                } else {
                    let _ = writeln!(out, " permit {} {a} {b}", protocol(g.transport));
                }
            }
        }
    }
    out.push_str(" deny ipv6 any any log\n!\n");
}
