//! Zone membership: every device, and every address seen in traffic, placed
//! in one zone (IEC 62443-3-2 ZCR 3.2, "group assets into zones").

use std::net::IpAddr;

use medvigil_model::{Device, DeviceId, MacAddr};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::config::{Selector, ZonePolicy};
use crate::net::is_internal;
use crate::{IpNet, ZoneName};

/// A zone's position in [`Assignment::zones`].
pub(crate) type ZoneIdx = u16;

/// Why a device gets the tightest policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "date")]
pub enum Unpatchable {
    /// The inventory says software updates cannot be applied.
    NotPatchable,
    /// The manufacturer's end of support has passed.
    EndOfSupport(Date),
}

/// What placed a device or address in its zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "by")]
pub enum PlacedBy {
    /// `overrides[index]`.
    Override {
        /// Index in the policy's overrides.
        index: usize,
    },
    /// `rules[index]`.
    Rule {
        /// Index in the policy's rules.
        index: usize,
    },
    /// No rule matched an internal address, or a device.
    Unmatched,
    /// The address is not internal.
    External,
}

/// One device's placement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceAssignment {
    /// The device.
    pub id: DeviceId,
    /// Its IP address, when known.
    pub ip: Option<IpAddr>,
    /// Its MAC address, when known.
    pub mac: Option<MacAddr>,
    /// Its zone.
    pub zone: ZoneName,
    /// Why it is there.
    pub placed_by: PlacedBy,
    /// Why it gets device-specific rules, if it does.
    pub unpatchable: Option<Unpatchable>,
    pub(crate) zone_idx: ZoneIdx,
}

/// Where an address belongs: its zone and, when it is a known device's, the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement<'a> {
    /// The zone.
    pub zone: &'a ZoneName,
    /// The device with that address, if any.
    pub device: Option<&'a DeviceAssignment>,
    pub(crate) zone_idx: ZoneIdx,
    pub(crate) device_idx: Option<u32>,
}

/// Every device's zone, and what places an address that is no known device's.
#[derive(Clone, Debug)]
pub struct Assignment {
    zones: Vec<ZoneName>,
    devices: Vec<DeviceAssignment>,
    by_ip: IpIndex,
    by_mac: FxHashMap<MacAddr, u32>,
    /// Address overrides and address-only rules, in precedence order.
    prefixes: Vec<(IpNet, ZoneIdx, PlacedBy)>,
    unassigned: ZoneIdx,
    external: ZoneIdx,
    pub(crate) restrict_unpatchable: bool,
    pub(crate) allow_intra_zone: bool,
}

/// Device index by address; IPv4 keys kept small, since every observed
/// flow looks up both its ends.
#[derive(Clone, Debug, Default)]
struct IpIndex {
    v4: FxHashMap<u32, u32>,
    v6: FxHashMap<u128, u32>,
}

impl IpIndex {
    fn insert(&mut self, ip: IpAddr, device: u32) {
        match ip {
            IpAddr::V4(a) => drop(self.v4.entry(u32::from(a)).or_insert(device)),
            IpAddr::V6(a) => drop(self.v6.entry(u128::from(a)).or_insert(device)),
        }
    }

    fn get(&self, ip: IpAddr) -> Option<u32> {
        match ip {
            IpAddr::V4(a) => self.v4.get(&u32::from(a)).copied(),
            IpAddr::V6(a) => self.v6.get(&u128::from(a)).copied(),
        }
    }
}

/// Whether a device cannot be patched, and why; `patchable = false` first.
pub fn unpatchable(device: &Device, today: Date) -> Option<Unpatchable> {
    if device.fields.patchable == Some(false) {
        return Some(Unpatchable::NotPatchable);
    }
    device
        .fields
        .end_of_support
        .filter(|eos| *eos < today)
        .map(Unpatchable::EndOfSupport)
}

/// Places every device in a zone: overrides first (device id, MAC, IP, then
/// the longest matching CIDR), then the first rule that matches, else
/// `unassigned`. `today` decides which devices are past end of support.
pub fn assign(policy: &ZonePolicy, devices: &[Device], today: Date) -> Assignment {
    let zones: Vec<ZoneName> = policy.zones.iter().map(|z| z.name.clone()).collect();
    let idx = |name: &ZoneName| -> ZoneIdx {
        // Policies are validated: every zone they name is declared; fewer
        // than 65,536 zones is a limit no hospital reaches.
        zones.iter().position(|z| z == name).unwrap_or(0) as ZoneIdx
    };
    let unassigned = idx(&ZoneName::unassigned());
    let external = idx(&ZoneName::external());

    let mut by_device: FxHashMap<DeviceId, usize> = FxHashMap::default();
    let mut by_mac_o: FxHashMap<MacAddr, usize> = FxHashMap::default();
    let mut by_ip_o: FxHashMap<IpAddr, usize> = FxHashMap::default();
    let mut cidr_o: Vec<(IpNet, usize)> = Vec::new();
    for (i, o) in policy.overrides.iter().enumerate() {
        match o.selector {
            Selector::Device(d) => drop(by_device.insert(d, i)),
            Selector::Mac(m) => drop(by_mac_o.insert(m, i)),
            Selector::Ip(ip) => drop(by_ip_o.insert(ip, i)),
            Selector::Cidr(n) => cidr_o.push((n, i)),
        }
    }
    // The most specific prefix wins among overrides.
    cidr_o.sort_by_key(|(n, i)| (std::cmp::Reverse(n.prefix_len()), *i));

    let mut prefixes: Vec<(IpNet, ZoneIdx, PlacedBy)> = Vec::new();
    for (ip, i) in &by_ip_o {
        let z = idx(&policy.overrides[*i].zone);
        prefixes.push((IpNet::host(*ip), z, PlacedBy::Override { index: *i }));
    }
    prefixes.sort_by_key(|p| p.0);
    for (n, i) in &cidr_o {
        let z = idx(&policy.overrides[*i].zone);
        prefixes.push((*n, z, PlacedBy::Override { index: *i }));
    }
    for (i, r) in policy.rules.iter().enumerate() {
        if r.criteria.is_address_only() {
            let z = idx(&r.zone);
            for n in &r.criteria.cidr {
                prefixes.push((*n, z, PlacedBy::Rule { index: i }));
            }
        }
    }

    let mut out = Vec::with_capacity(devices.len());
    let mut by_ip = IpIndex::default();
    let mut by_mac = FxHashMap::with_capacity_and_hasher(devices.len(), Default::default());
    for (n, d) in devices.iter().enumerate() {
        let f = &d.fields;
        let unp = unpatchable(d, today);
        let overridden = by_device
            .get(&d.id)
            .or_else(|| f.mac.as_ref().and_then(|m| by_mac_o.get(m)))
            .or_else(|| f.ip.as_ref().and_then(|ip| by_ip_o.get(ip)))
            .or_else(|| {
                let ip = f.ip?;
                cidr_o.iter().find(|(n, _)| n.contains(ip)).map(|(_, i)| i)
            });
        let (zone_idx, placed_by) = match overridden {
            Some(&i) => (
                idx(&policy.overrides[i].zone),
                PlacedBy::Override { index: i },
            ),
            None => policy
                .rules
                .iter()
                .position(|r| r.criteria.matches(d, unp.is_some()))
                .map_or((unassigned, PlacedBy::Unmatched), |i| {
                    (idx(&policy.rules[i].zone), PlacedBy::Rule { index: i })
                }),
        };
        // Device indexes fit in u32: 4 billion devices is not a hospital.
        let n = n as u32;
        if let Some(ip) = f.ip {
            by_ip.insert(ip, n);
        }
        if let Some(mac) = f.mac {
            by_mac.entry(mac).or_insert(n);
        }
        out.push(DeviceAssignment {
            id: d.id,
            ip: f.ip,
            mac: f.mac,
            zone: zones[usize::from(zone_idx)].clone(),
            placed_by,
            unpatchable: unp,
            zone_idx,
        });
    }
    Assignment {
        zones,
        devices: out,
        by_ip,
        by_mac,
        prefixes,
        unassigned,
        external,
        restrict_unpatchable: policy.settings.restrict_unpatchable,
        allow_intra_zone: policy.settings.allow_intra_zone,
    }
}

impl Assignment {
    /// The zones, by name, as the policy declares them.
    pub fn zones(&self) -> &[ZoneName] {
        &self.zones
    }

    /// Every device's placement, in input order.
    pub fn devices(&self) -> &[DeviceAssignment] {
        &self.devices
    }

    /// The device with that IP address, else that MAC address.
    pub fn device(&self, ip: IpAddr, mac: Option<MacAddr>) -> Option<&DeviceAssignment> {
        self.device_idx(ip, mac).map(|i| &self.devices[i as usize])
    }

    fn device_idx(&self, ip: IpAddr, mac: Option<MacAddr>) -> Option<u32> {
        self.by_ip
            .get(ip)
            .or_else(|| mac.and_then(|m| self.by_mac.get(&m).copied()))
    }

    /// Where an address seen in traffic belongs: the zone of the device that
    /// has it (by IP, else by the MAC seen with it); else an address override
    /// or address-only rule; else `unassigned` for internal addresses and
    /// `external` for the rest.
    pub fn place(&self, ip: IpAddr, mac: Option<MacAddr>) -> Placement<'_> {
        if let Some(i) = self.device_idx(ip, mac) {
            let d = &self.devices[i as usize];
            return Placement {
                zone: &d.zone,
                device: Some(d),
                zone_idx: d.zone_idx,
                device_idx: Some(i),
            };
        }
        let (zone_idx, _) = self.place_address(ip);
        Placement {
            zone: &self.zones[usize::from(zone_idx)],
            device: None,
            zone_idx,
            device_idx: None,
        }
    }

    /// The zone of an address that is no known device's, and why.
    pub(crate) fn place_address(&self, ip: IpAddr) -> (ZoneIdx, PlacedBy) {
        if let Some((_, z, by)) = self.prefixes.iter().find(|(n, _, _)| n.contains(ip)) {
            (*z, by.clone())
        } else if is_internal(ip) {
            (self.unassigned, PlacedBy::Unmatched)
        } else {
            (self.external, PlacedBy::External)
        }
    }

    /// Address overrides and address-only rules: the prefixes that are
    /// members of a zone whatever devices they hold.
    pub(crate) fn zone_prefixes(&self) -> impl Iterator<Item = (IpNet, ZoneIdx)> + '_ {
        self.prefixes.iter().map(|(n, z, _)| (*n, *z))
    }

    /// The number of devices.
    pub(crate) fn device_count(&self) -> usize {
        self.devices.len()
    }

    pub(crate) fn device_at(&self, idx: u32) -> &DeviceAssignment {
        &self.devices[idx as usize]
    }
}
