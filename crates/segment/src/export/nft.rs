//! The policy as an nftables ruleset (`nft -f`): one interval set per zone
//! and family, one rule per conduit group, so its size follows zones and
//! conduits, not devices.

use std::fmt::Write as _;

use crate::{AddrBlock, Direction, Policy, Service, Transport};

use super::{ConduitGroup, conduit_groups, restricted_blocks};

/// Elements written per line inside a set.
const PER_LINE: usize = 8;

fn set_name(zone: &crate::ZoneName, v6: bool) -> String {
    format!("z_{}_{}", zone.ident(), if v6 { "v6" } else { "v4" })
}

fn write_set(out: &mut String, name: &str, ty: &str, interval: bool, elements: &[String]) {
    let _ = writeln!(out, "\tset {name} {{");
    let _ = writeln!(out, "\t\ttype {ty}");
    if interval {
        out.push_str("\t\tflags interval\n");
    }
    if !elements.is_empty() {
        out.push_str("\t\telements = {");
        for (i, chunk) in elements.chunks(PER_LINE).enumerate() {
            out.push_str(if i == 0 { " " } else { ",\n\t\t\t     " });
            out.push_str(&chunk.join(", "));
        }
        out.push_str(" }\n");
    }
    out.push_str("\t}\n");
}

fn blocks(members: &[AddrBlock], v6: bool) -> Vec<String> {
    members
        .iter()
        .filter(|b| b.is_ipv6() == v6)
        .map(ToString::to_string)
        .collect()
}

/// The nftables address match keyword of a family.
const fn family(v6: bool) -> &'static str {
    if v6 { "ip6" } else { "ip" }
}

/// `tcp dport { 104, 11112 }` or `meta l4proto 1`.
fn service_match(transport: Transport, ports: &[u16]) -> String {
    if !transport.has_ports() {
        return format!("meta l4proto {}", transport.protocol_number());
    }
    let list: Vec<String> = ports.iter().map(ToString::to_string).collect();
    if list.len() == 1 {
        format!("{transport} dport {}", list[0])
    } else {
        format!("{transport} dport {{ {} }}", list.join(", "))
    }
}

fn proto_name(s: Service) -> String {
    match s.transport {
        Transport::Tcp => "tcp".to_owned(),
        Transport::Udp => "udp".to_owned(),
        Transport::Ip(n) => n.to_string(),
    }
}

/// The policy as an nftables ruleset: `table inet medvigil` (replaced
/// atomically when loaded with `nft -f`) with a `forward` chain, policy
/// drop, established and related traffic accepted, a counter on the final
/// drop. Restricted devices come first: their own small sets of exactly the
/// peers and services they used, then a counted drop for anything else they
/// send or receive; then intra-zone traffic (when allowed) and the conduits,
/// matched against the zone sets.
pub fn to_nftables(policy: &Policy) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("#!/usr/sbin/nft -f\n");
    out.push_str("# medvigil segmentation policy (IEC 62443 zones and conduits); generated.\n");
    let _ = writeln!(
        out,
        "# {} zones, {} conduits, {} restricted devices\n",
        policy.zones.len(),
        policy.conduits.len(),
        policy.device_rules.len()
    );
    // Declaring then deleting makes the load replace the table atomically,
    // whether or not it exists.
    out.push_str("table inet medvigil\ndelete table inet medvigil\n\n");
    out.push_str("table inet medvigil {\n");

    for z in &policy.zones {
        for v6 in [false, true] {
            let ty = if v6 { "ipv6_addr" } else { "ipv4_addr" };
            write_set(
                &mut out,
                &set_name(&z.name, v6),
                ty,
                true,
                &blocks(&z.members, v6),
            );
        }
    }
    let restricted = restricted_blocks(policy);
    for v6 in [false, true] {
        let ty = if v6 { "ipv6_addr" } else { "ipv4_addr" };
        let name = format!("restricted_{}", if v6 { "v6" } else { "v4" });
        write_set(&mut out, &name, ty, true, &blocks(&restricted, v6));
    }

    let mut rules = String::new();
    for (n, d) in policy.device_rules.iter().enumerate() {
        let v6 = d.ip.is_ipv6();
        let (fam, ty) = if v6 {
            ("ip6", "ipv6_addr")
        } else {
            ("ip", "ipv4_addr")
        };
        let _ = writeln!(rules, "\t\t# device {} in {}", d.device, d.zone);
        for direction in [Direction::Outbound, Direction::Inbound] {
            let (dir, own, peer) = match direction {
                Direction::Outbound => ("out", "saddr", "daddr"),
                Direction::Inbound => ("in", "daddr", "saddr"),
            };
            let same = d
                .rules
                .iter()
                .filter(|r| r.direction == direction && r.peer.is_ipv6() == v6);
            let elements: Vec<String> = same
                .clone()
                .filter(|r| r.service.transport.has_ports())
                .map(|r| {
                    format!(
                        "{} . {} . {}",
                        r.peer,
                        proto_name(r.service),
                        r.service.port
                    )
                })
                .collect();
            if !elements.is_empty() {
                let name = format!("d{n}_{dir}");
                let ty = format!("{ty} . inet_proto . inet_service");
                write_set(&mut out, &name, &ty, false, &elements);
                let _ = writeln!(
                    rules,
                    "\t\t{fam} {own} {} {fam} {peer} . meta l4proto . th dport @{name} accept",
                    d.ip
                );
            }
            for r in same.filter(|r| !r.service.transport.has_ports()) {
                let _ = writeln!(
                    rules,
                    "\t\t{fam} {own} {} {fam} {peer} {} meta l4proto {} accept",
                    d.ip,
                    r.peer,
                    r.service.transport.protocol_number()
                );
            }
        }
    }
    out.push_str("\n\tchain forward {\n");
    out.push_str("\t\ttype filter hook forward priority filter; policy drop;\n");
    out.push_str("\t\tct state established,related accept\n");
    if !policy.device_rules.is_empty() {
        out.push_str("\t\t# devices that cannot be patched: only the flows they were seen using\n");
        out.push_str(&rules);
        for v6 in [false, true] {
            if restricted.iter().any(|b| b.is_ipv6() == v6) {
                let (fam, s) = (family(v6), if v6 { "v6" } else { "v4" });
                let _ = writeln!(out, "\t\t{fam} saddr @restricted_{s} counter drop");
                let _ = writeln!(out, "\t\t{fam} daddr @restricted_{s} counter drop");
            }
        }
    }
    let has = |z: &crate::ZoneName, v6: bool| {
        policy
            .zone(z)
            .is_some_and(|z| z.members.iter().any(|b| b.is_ipv6() == v6))
    };
    if policy.allow_intra_zone {
        out.push_str("\t\t# traffic inside a zone\n");
        for z in policy.zones.iter().filter(|z| !z.name.is_builtin()) {
            for v6 in [false, true] {
                if has(&z.name, v6) {
                    let set = set_name(&z.name, v6);
                    let fam = family(v6);
                    let _ = writeln!(out, "\t\t{fam} saddr @{set} {fam} daddr @{set} accept");
                }
            }
        }
    }
    if !policy.conduits.is_empty() {
        out.push_str("\t\t# conduits\n");
    }
    for ConduitGroup {
        from,
        to,
        transport,
        ports,
    } in conduit_groups(policy)
    {
        for v6 in [false, true] {
            if has(from, v6) && has(to, v6) {
                let fam = family(v6);
                let _ = writeln!(
                    out,
                    "\t\t{fam} saddr @{} {fam} daddr @{} {} accept",
                    set_name(from, v6),
                    set_name(to, v6),
                    service_match(transport, &ports)
                );
            }
        }
    }
    out.push_str("\t\tcounter drop\n\t}\n}\n");
    out
}
