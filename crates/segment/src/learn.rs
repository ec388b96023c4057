//! Conduit learning: observed conversations summed into zone-to-zone allow
//! rules, and into device-specific rules for devices that cannot be patched.

use std::borrow::Borrow;
use std::net::IpAddr;

use medvigil_model::Conversation;
use rustc_hash::{FxHashMap, FxHashSet};
use time::OffsetDateTime;

use crate::assign::{Assignment, PlacedBy, ZoneIdx};
use crate::{
    AddrBlock, Conduit, DeviceRule, DeviceRules, Direction, Evidence, Policy, Service, Transport,
    Zone,
};

/// Sums of one rule's flows.
#[derive(Clone, Debug)]
struct Sums {
    first_seen: OffsetDateTime,
    last_seen: OffsetDateTime,
    flows: u64,
    bytes: u64,
}

impl Sums {
    fn new(c: &Conversation) -> Self {
        Self {
            first_seen: c.first_seen,
            last_seen: c.last_seen,
            flows: c.flows,
            bytes: c.bytes,
        }
    }

    /// Nothing counted yet; the times start at `c`'s.
    fn empty(c: &Conversation) -> Self {
        Self {
            flows: 0,
            bytes: 0,
            ..Self::new(c)
        }
    }

    fn add(&mut self, c: &Conversation) {
        self.first_seen = self.first_seen.min(c.first_seen);
        self.last_seen = self.last_seen.max(c.last_seen);
        self.flows = self.flows.saturating_add(c.flows);
        self.bytes = self.bytes.saturating_add(c.bytes);
    }

    fn merge(&mut self, o: &Self) {
        self.first_seen = self.first_seen.min(o.first_seen);
        self.last_seen = self.last_seen.max(o.last_seen);
        self.flows = self.flows.saturating_add(o.flows);
        self.bytes = self.bytes.saturating_add(o.bytes);
    }

    fn evidence(&self, clients: usize, servers: usize) -> Evidence {
        Evidence {
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            flows: self.flows,
            bytes: self.bytes,
            clients: clients as u64,
            servers: servers as u64,
        }
    }
}

/// Distinct endpoints: known devices in a bitmap by index (no hashing on the
/// hot path), other addresses in a set.
#[derive(Debug, Default)]
struct Endpoints {
    devices: Vec<u64>,
    others: FxHashSet<IpAddr>,
    count: usize,
}

impl Endpoints {
    fn insert(&mut self, device: Option<u32>, ip: IpAddr, device_count: usize) {
        match device {
            Some(i) => {
                if self.devices.is_empty() {
                    self.devices = vec![0; device_count.div_ceil(64)];
                }
                let (word, bit) = (i as usize / 64, 1u64 << (i % 64));
                if let Some(w) = self.devices.get_mut(word)
                    && *w & bit == 0
                {
                    *w |= bit;
                    self.count += 1;
                }
            }
            None => {
                if self.others.insert(ip) {
                    self.count += 1;
                }
            }
        }
    }
}

impl Endpoints {
    fn merge(&mut self, o: Self) {
        if self.devices.len() < o.devices.len() {
            self.devices.resize(o.devices.len(), 0);
        }
        for (w, x) in self.devices.iter_mut().zip(&o.devices) {
            *w |= x;
        }
        self.others.extend(o.others);
        self.count = self
            .devices
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum::<usize>()
            + self.others.len();
    }
}

#[derive(Debug)]
struct ConduitSums {
    sums: Sums,
    clients: Endpoints,
    servers: Endpoints,
    protocols: Vec<String>,
}

/// Learns a policy from conversations fed one at a time, so that a capture
/// of any size is summed in memory bounded by its distinct conduits, device
/// flows and addresses.
#[derive(Debug)]
pub struct Learner<'a> {
    assignment: &'a Assignment,
    conduits: FxHashMap<(ZoneIdx, ZoneIdx, Service), ConduitSums>,
    device_rules: FxHashMap<(u32, Direction, IpAddr, Service), Sums>,
    /// Addresses of no known device that no prefix covers, by zone.
    unknown: FxHashMap<IpAddr, (ZoneIdx, bool)>,
    unreadable: u64,
}

/// Learns a policy from observed conversations (see [`Learner`]).
pub fn learn<I>(assignment: &Assignment, conversations: I) -> Policy
where
    I: IntoIterator,
    I::Item: Borrow<Conversation>,
{
    let mut l = Learner::new(assignment);
    for c in conversations {
        l.observe(c.borrow());
    }
    l.finish()
}

impl<'a> Learner<'a> {
    /// A learner placing addresses by `assignment`.
    pub fn new(assignment: &'a Assignment) -> Self {
        Self {
            assignment,
            conduits: FxHashMap::default(),
            device_rules: FxHashMap::default(),
            unknown: FxHashMap::default(),
            unreadable: 0,
        }
    }

    /// Adds what another learner over the same assignment observed, so that
    /// shards of a capture can be learned on several threads.
    pub fn merge(&mut self, other: Learner<'a>) {
        for (k, o) in other.conduits {
            match self.conduits.entry(k) {
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let e = e.get_mut();
                    e.sums.merge(&o.sums);
                    e.clients.merge(o.clients);
                    e.servers.merge(o.servers);
                    for p in o.protocols {
                        if !e.protocols.contains(&p) {
                            e.protocols.push(p);
                        }
                    }
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(o);
                }
            }
        }
        for (k, o) in other.device_rules {
            self.device_rules
                .entry(k)
                .and_modify(|s| s.merge(&o))
                .or_insert(o);
        }
        self.unknown.extend(other.unknown);
        self.unreadable += other.unreadable;
    }

    /// Conversations skipped because their transport was not `tcp`, `udp` or
    /// `ip/<n>`.
    pub fn unreadable(&self) -> u64 {
        self.unreadable
    }

    fn note_unknown(&mut self, ip: IpAddr) -> ZoneIdx {
        if let Some((z, _)) = self.unknown.get(&ip) {
            return *z;
        }
        let (z, by) = self.assignment.place_address(ip);
        let uncovered = matches!(by, PlacedBy::Unmatched | PlacedBy::External);
        self.unknown.insert(ip, (z, uncovered));
        z
    }

    /// Adds one conversation.
    pub fn observe(&mut self, c: &Conversation) {
        let Ok(transport) = c.transport.parse::<Transport>() else {
            self.unreadable += 1;
            return;
        };
        let service = Service {
            transport,
            port: if transport.has_ports() { c.port } else { 0 },
        };
        let a = self.assignment;
        let client = a.place(c.client.ip, c.client.mac);
        let server = a.place(c.server.ip, c.server.mac);
        let client_zone = match client.device_idx {
            Some(_) => client.zone_idx,
            None => self.note_unknown(c.client.ip),
        };
        let server_zone = match server.device_idx {
            Some(_) => server.zone_idx,
            None => self.note_unknown(c.server.ip),
        };
        let restricted = |d: Option<u32>| {
            d.filter(|&i| {
                let d = a.device_at(i);
                a.restrict_unpatchable && d.unpatchable.is_some() && d.ip.is_some()
            })
        };
        let mut tight = false;
        if let Some(d) = restricted(client.device_idx) {
            tight = true;
            self.device_rule((d, Direction::Outbound, c.server.ip, service), c);
        }
        if let Some(d) = restricted(server.device_idx) {
            tight = true;
            self.device_rule((d, Direction::Inbound, c.client.ip, service), c);
        }
        if tight
            || (client_zone == server_zone
                && a.allow_intra_zone
                && !a.zones()[usize::from(client_zone)].is_builtin())
        {
            return;
        }
        let e = self
            .conduits
            .entry((client_zone, server_zone, service))
            .or_insert_with(|| ConduitSums {
                sums: Sums::empty(c),
                clients: Endpoints::default(),
                servers: Endpoints::default(),
                protocols: Vec::new(),
            });
        let n = a.device_count();
        e.clients.insert(client.device_idx, c.client.ip, n);
        e.servers.insert(server.device_idx, c.server.ip, n);
        e.sums.add(c);
        if let Some(p) = &c.protocol
            && !e.protocols.iter().any(|q| q == p)
        {
            e.protocols.push(p.clone());
        }
    }

    fn device_rule(&mut self, key: (u32, Direction, IpAddr, Service), c: &Conversation) {
        self.device_rules
            .entry(key)
            .and_modify(|s| s.add(c))
            .or_insert_with(|| Sums::new(c));
    }

    /// The learned policy.
    pub fn finish(self) -> Policy {
        let a = self.assignment;
        let names = a.zones();
        let mut members: Vec<Vec<AddrBlock>> = vec![Vec::new(); names.len()];
        for d in a.devices() {
            if let Some(ip) = d.ip {
                members[usize::from(d.zone_idx)].push(AddrBlock::host(ip));
            }
        }
        // A prefix holds what no earlier prefix claims (overrides before
        // address-only rules, as `Assignment::place` decides) and no device
        // placed in another zone, so the firewall's sets never overlap.
        let mut claimed: Vec<AddrBlock> = Vec::new();
        let mut prefix_members: Vec<Vec<AddrBlock>> = vec![Vec::new(); names.len()];
        for (n, z) in a.zone_prefixes() {
            prefix_members[usize::from(z)].extend(AddrBlock::subtract(&[n.block()], &claimed));
            claimed.push(n.block());
            claimed = AddrBlock::merge(claimed);
        }
        for (z, blocks) in prefix_members.into_iter().enumerate() {
            if blocks.is_empty() {
                continue;
            }
            let others = AddrBlock::merge(
                a.devices()
                    .iter()
                    .filter(|d| usize::from(d.zone_idx) != z)
                    .filter_map(|d| d.ip.map(AddrBlock::host))
                    .collect(),
            );
            members[z].extend(AddrBlock::subtract(&AddrBlock::merge(blocks), &others));
        }
        for (ip, (z, uncovered)) in &self.unknown {
            if *uncovered {
                members[usize::from(*z)].push(AddrBlock::host(*ip));
            }
        }
        let mut zones: Vec<Zone> = names
            .iter()
            .zip(members)
            .map(|(name, m)| Zone {
                name: name.clone(),
                members: AddrBlock::merge(m),
            })
            .collect();
        zones.sort_by(|x, y| x.name.cmp(&y.name));

        let mut conduits: Vec<Conduit> = self
            .conduits
            .into_iter()
            .map(|((f, t, service), mut s)| {
                s.protocols.sort();
                Conduit {
                    from: names[usize::from(f)].clone(),
                    to: names[usize::from(t)].clone(),
                    service,
                    protocols: s.protocols,
                    evidence: s.sums.evidence(s.clients.count, s.servers.count),
                }
            })
            .collect();
        conduits.sort_by(|x, y| (&x.from, &x.to, x.service).cmp(&(&y.from, &y.to, y.service)));

        let mut by_device: FxHashMap<u32, Vec<DeviceRule>> = FxHashMap::default();
        for ((d, direction, peer, service), s) in self.device_rules {
            by_device.entry(d).or_default().push(DeviceRule {
                direction,
                peer,
                service,
                evidence: s.evidence(1, 1),
            });
        }
        let mut device_rules = Vec::new();
        if a.restrict_unpatchable {
            for (i, d) in a.devices().iter().enumerate() {
                let (Some(ip), Some(reason)) = (d.ip, d.unpatchable) else {
                    continue;
                };
                // Device indexes fit in u32 (see `assign`).
                let mut rules = by_device.remove(&(i as u32)).unwrap_or_default();
                rules.sort_by(|x, y| {
                    (x.direction, x.peer, x.service).cmp(&(y.direction, y.peer, y.service))
                });
                device_rules.push(DeviceRules {
                    device: d.id,
                    ip,
                    zone: d.zone.clone(),
                    reason,
                    rules,
                });
            }
        }
        device_rules.sort_by_key(|d: &DeviceRules| (d.ip, d.device));
        Policy {
            allow_intra_zone: a.allow_intra_zone,
            zones,
            conduits,
            device_rules,
        }
    }
}
