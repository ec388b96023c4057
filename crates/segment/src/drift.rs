//! Drift: observed flows that the approved policy does not allow (IEC
//! 62443-3-3 SR 6.2, continuous monitoring), judged as the exported
//! firewall rules would judge them.

use std::net::IpAddr;

use medvigil_model::{Conversation, DeviceId};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use time::OffsetDateTime;

use crate::{Assignment, Direction, Policy, Service, Transport, ZoneName};

/// One side of a flow, placed by the current assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Address.
    pub ip: IpAddr,
    /// The device, when known.
    pub device: Option<DeviceId>,
    /// Its zone.
    pub zone: ZoneName,
}

/// The rule whose absence makes a flow drift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Missing {
    /// No conduit from the client's zone to the server's for the service.
    Conduit {
        /// The clients' zone.
        from: ZoneName,
        /// The servers' zone.
        to: ZoneName,
    },
    /// A restricted device used a flow its device rules do not list.
    DeviceRule {
        /// The device.
        device: DeviceId,
        /// Its side of the flow.
        direction: Direction,
    },
}

/// A flow the approved policy would drop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DriftAlert {
    /// Initiator.
    pub client: Endpoint,
    /// Responder.
    pub server: Endpoint,
    /// The service.
    pub service: Service,
    /// Application protocol recognised, if any.
    pub protocol: Option<String>,
    /// Flows.
    pub flows: u64,
    /// Bytes.
    pub bytes: u64,
    /// First packet.
    #[serde(with = "time::serde::rfc3339")]
    pub first_seen: OffsetDateTime,
    /// Last packet.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
    /// What the policy lacks.
    pub missing: Missing,
}

/// The conversations that `policy` does not allow, in input order. Zones and
/// devices come from `assignment` (the inventory now); the restricted devices
/// and their rules, the conduits and the intra-zone setting from `policy`.
/// Conversations with an unreadable transport are skipped.
pub fn drift(
    policy: &Policy,
    assignment: &Assignment,
    conversations: &[Conversation],
) -> Vec<DriftAlert> {
    let restricted: FxHashMap<IpAddr, usize> = policy
        .device_rules
        .iter()
        .enumerate()
        .map(|(i, d)| (d.ip, i))
        .collect();
    let device_flows: FxHashSet<(usize, Direction, IpAddr, Service)> = policy
        .device_rules
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            d.rules
                .iter()
                .map(move |r| (i, r.direction, r.peer, r.service))
        })
        .collect();
    let conduits: FxHashSet<(&ZoneName, &ZoneName, Service)> = policy
        .conduits
        .iter()
        .map(|c| (&c.from, &c.to, c.service))
        .collect();

    let mut alerts = Vec::new();
    for c in conversations {
        let Ok(transport) = c.transport.parse::<Transport>() else {
            continue;
        };
        let service = Service {
            transport,
            port: if transport.has_ports() { c.port } else { 0 },
        };
        let cp = assignment.place(c.client.ip, c.client.mac);
        let sp = assignment.place(c.server.ip, c.server.mac);
        let as_client = restricted.get(&c.client.ip).copied();
        let as_server = restricted.get(&c.server.ip).copied();
        let missing = if as_client.is_some() || as_server.is_some() {
            let out_ok = as_client.is_some_and(|i| {
                device_flows.contains(&(i, Direction::Outbound, c.server.ip, service))
            });
            let in_ok = as_server.is_some_and(|i| {
                device_flows.contains(&(i, Direction::Inbound, c.client.ip, service))
            });
            if out_ok || in_ok {
                continue;
            }
            let (i, direction) = match as_client {
                Some(i) => (i, Direction::Outbound),
                None => (as_server.unwrap_or_default(), Direction::Inbound),
            };
            Missing::DeviceRule {
                device: policy.device_rules[i].device,
                direction,
            }
        } else {
            if (cp.zone == sp.zone && policy.allow_intra_zone && !cp.zone.is_builtin())
                || conduits.contains(&(cp.zone, sp.zone, service))
            {
                continue;
            }
            Missing::Conduit {
                from: cp.zone.clone(),
                to: sp.zone.clone(),
            }
        };
        let endpoint = |ip: IpAddr, p: &crate::Placement<'_>| Endpoint {
            ip,
            device: p.device.map(|d| d.id),
            zone: p.zone.clone(),
        };
        alerts.push(DriftAlert {
            client: endpoint(c.client.ip, &cp),
            server: endpoint(c.server.ip, &sp),
            service,
            protocol: c.protocol.clone(),
            flows: c.flows,
            bytes: c.bytes,
            first_seen: c.first_seen,
            last_seen: c.last_seen,
            missing,
        });
    }
    alerts
}
