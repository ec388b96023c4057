//! The policy in the forms network teams apply and review: an nftables
//! ruleset, a Cisco IOS extended ACL and a CSV zone matrix.

mod cisco;
mod matrix;
mod nft;

pub use cisco::to_cisco_acl;
pub use matrix::to_zone_matrix_csv;
pub use nft::to_nftables;

use crate::{AddrBlock, Policy, Transport, ZoneName};

/// The conduits of one zone pair and transport, with their ports: one
/// firewall rule.
pub(crate) struct ConduitGroup<'a> {
    pub from: &'a ZoneName,
    pub to: &'a ZoneName,
    pub transport: Transport,
    pub ports: Vec<u16>,
}

/// Groups the (sorted) conduits by zone pair and transport.
pub(crate) fn conduit_groups(policy: &Policy) -> Vec<ConduitGroup<'_>> {
    let mut out: Vec<ConduitGroup<'_>> = Vec::new();
    for c in &policy.conduits {
        let t = c.service.transport;
        match out.last_mut() {
            Some(g) if g.from == &c.from && g.to == &c.to && g.transport == t => {
                if !g.ports.contains(&c.service.port) {
                    g.ports.push(c.service.port);
                }
            }
            _ => out.push(ConduitGroup {
                from: &c.from,
                to: &c.to,
                transport: t,
                ports: vec![c.service.port],
            }),
        }
    }
    for g in &mut out {
        g.ports.sort_unstable();
    }
    out
}

/// The addresses of the restricted devices, merged.
pub(crate) fn restricted_blocks(policy: &Policy) -> Vec<AddrBlock> {
    AddrBlock::merge(
        policy
            .device_rules
            .iter()
            .map(|d| AddrBlock::host(d.ip))
            .collect(),
    )
}
