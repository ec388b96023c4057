//! A segmentation policy: zones with their members, conduits between zones
//! (IEC 62443-3-2 ZCR 3.3) and device-specific rules for devices that cannot
//! be patched. Stored as JSON and reviewed; exported to firewalls.

use std::net::IpAddr;

use medvigil_model::DeviceId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::{AddrBlock, Service, Unpatchable, ZoneName};

/// The policy, every list in a stable order: zones by name, conduits by
/// (from, to, service), device rules by device IP then id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Whether traffic inside a zone is allowed wholesale.
    pub allow_intra_zone: bool,
    /// The zones.
    pub zones: Vec<Zone>,
    /// Allowed zone-to-zone services.
    pub conduits: Vec<Conduit>,
    /// The devices that get only what they were seen using.
    pub device_rules: Vec<DeviceRules>,
}

/// A zone and its addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    /// Name.
    pub name: ZoneName,
    /// Its addresses, merged into blocks (sorted, no overlaps).
    pub members: Vec<AddrBlock>,
}

/// What was observed for a rule: why it is proposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// First packet of the first flow.
    #[serde(with = "time::serde::rfc3339")]
    pub first_seen: OffsetDateTime,
    /// Last packet of the last flow.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
    /// Flows.
    pub flows: u64,
    /// Bytes, both directions.
    pub bytes: u64,
    /// Distinct clients.
    pub clients: u64,
    /// Distinct servers.
    pub servers: u64,
}

/// An allowed service from every client in one zone to every server in another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conduit {
    /// The clients' zone.
    pub from: ZoneName,
    /// The servers' zone.
    pub to: ZoneName,
    /// The service.
    pub service: Service,
    /// Application protocols recognised on it (`dicom`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<String>,
    /// What was seen.
    pub evidence: Evidence,
}

/// Which side of a flow a restricted device was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// The device opened the connection to `peer`'s service.
    Outbound,
    /// `peer` opened a connection to the device's service.
    Inbound,
}

/// One flow pattern a restricted device may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRule {
    /// Direction.
    pub direction: Direction,
    /// The other end.
    pub peer: IpAddr,
    /// The service (the server's port).
    pub service: Service,
    /// What was seen.
    pub evidence: Evidence,
}

/// The tightest policy for a device that cannot be patched or is past end of
/// support: it may use exactly these flows, nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRules {
    /// The device.
    pub device: DeviceId,
    /// Its address.
    pub ip: IpAddr,
    /// Its zone.
    pub zone: ZoneName,
    /// Why it is restricted.
    pub reason: Unpatchable,
    /// The allowed flows, by direction, peer and service; may be empty.
    pub rules: Vec<DeviceRule>,
}

impl Policy {
    /// The policy as pretty JSON, the form that is stored and reviewed.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a policy stored by [`Policy::to_json`].
    ///
    /// # Errors
    /// [`PolicyJsonError`] naming the JSON path at fault.
    pub fn from_json(text: &str) -> Result<Self, PolicyJsonError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(de).map_err(|e| PolicyJsonError {
            path: e.path().to_string(),
            line: e.inner().line(),
            message: e.inner().to_string(),
        })
    }

    /// The zone of that name.
    pub fn zone(&self, name: &ZoneName) -> Option<&Zone> {
        self.zones.iter().find(|z| &z.name == name)
    }
}

/// Why stored policy JSON was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("policy JSON at '{path}' (line {line}): {message}")]
pub struct PolicyJsonError {
    /// The JSON path (`conduits[3].service`).
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What the reader said.
    pub message: String,
}
