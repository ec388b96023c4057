//! `POST /discovery/batches`: a site sensor's batch of passive-discovery
//! results (devices and conversations), merged into the caller's tenant as
//! `medvigil discover --import` merges a capture, once per batch id.
//!
//! The wire types are public so that the sensor (`medvigil sensor`) writes
//! exactly what this route reads.

use axum::Json;
use axum::extract::State;
use medvigil_auth::Action as Permission;
use medvigil_inventory::ParsedRow;
use medvigil_model::{Conversation, DeviceFields, Peer};
use medvigil_store::{DiscoveryImport, DiscoveryOutcome, SensorBatch};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiJson;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// Most devices plus conversations in one batch (the body limit, 1 MiB,
/// usually binds first).
pub const MAX_BATCH_ITEMS: usize = 20_000;

/// A batch of passive-discovery results from a site sensor.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// Chosen by the sensor, unique per batch, unchanged when resent: a
    /// batch id already applied is not applied again.
    #[schema(value_type = String, example = "0193a5f0-8c1e-7b6a-9d2f-3e4c5b6a7d8e")]
    pub batch_id: Uuid,
    /// The sensor's name (recorded with the batch and in the provenance).
    pub sensor: String,
    /// The site the sensor watches: devices the inventory does not place
    /// yet are placed there.
    #[serde(default)]
    pub site: Option<String>,
    /// Devices seen, one per MAC address.
    #[serde(default)]
    pub devices: Vec<BatchDevice>,
    /// Conversations seen during the batch (counters since the previous
    /// batch: the server adds them up).
    #[serde(default)]
    pub conversations: Vec<BatchConversation>,
}

/// A device passive discovery saw, keyed by its MAC address.
#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchDevice {
    /// Unicast MAC address (`00:03:b1:12:34:56`).
    pub mac: String,
    /// The IP address it sent most from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// 802.1Q VLAN id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vlan: Option<u16>,
    /// Host name (DHCP option 12, else LLDP system name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Manufacturer (fingerprint, else the MAC's IEEE registrant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Model, from the fingerprint catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Software version, from the fingerprint catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_version: Option<String>,
    /// Device category (`infusion-pump`, `imaging` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// Traffic from one endpoint to a service of another during the batch.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchConversation {
    /// Initiator's IP address.
    pub client_ip: String,
    /// Initiator's MAC address, when on the sensor's segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_mac: Option<String>,
    /// Responder's IP address.
    pub server_ip: String,
    /// Responder's MAC address, when on the sensor's segment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_mac: Option<String>,
    /// `tcp`, `udp` or `ip/<protocol number>`.
    pub transport: String,
    /// Service port (0 without ports).
    pub port: u16,
    /// Application protocol recognised (`dicom`, `hl7` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Flows.
    pub flows: u64,
    /// Packets, both directions.
    pub packets: u64,
    /// Bytes (IP payload), both directions.
    pub bytes: u64,
    /// First packet (RFC 3339).
    pub first_seen: String,
    /// Last packet (RFC 3339).
    pub last_seen: String,
}

/// What the server did with a batch.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct BatchAnswer {
    /// The batch.
    #[schema(value_type = String, example = "0193a5f0-8c1e-7b6a-9d2f-3e4c5b6a7d8e")]
    pub batch_id: Uuid,
    /// `applied`, or `already_applied` (nothing written this time).
    pub status: String,
    /// New devices.
    pub created: u64,
    /// Devices changed.
    pub updated: u64,
    /// Devices confirmed unchanged.
    pub unchanged: u64,
    /// Devices reconciliation rejected (conflicting identifiers), explained.
    pub rejected: Vec<String>,
    /// Conversations added.
    pub conversations: u64,
}

impl BatchDevice {
    /// The wire form of a discovered inventory row.
    pub fn from_row(row: &ParsedRow) -> Option<Self> {
        let f = &row.fields;
        Some(Self {
            mac: f.mac?.to_string(),
            ip: f.ip.map(|i| i.to_string()),
            vlan: f.vlan.map(|v| v.get()),
            hostname: f.hostname.as_ref().map(ToString::to_string),
            vendor: f.vendor.clone(),
            model: f.model.clone(),
            software_version: f.software_version.clone(),
            category: f.category.map(|c| c.as_str().to_owned()),
        })
    }

    fn parse(&self, line: u64, site: Option<&String>) -> Result<ParsedRow, String> {
        fn opt<T: std::str::FromStr>(what: &str, v: Option<&String>) -> Result<Option<T>, String>
        where
            T::Err: std::fmt::Display,
        {
            v.map(|s| s.parse().map_err(|e| format!("{what}: '{s}': {e}")))
                .transpose()
        }
        let mut fields = DeviceFields {
            mac: Some(
                self.mac
                    .parse()
                    .map_err(|e| format!("mac: '{}': {e}", self.mac))?,
            ),
            ip: opt("ip", self.ip.as_ref())?,
            hostname: opt("hostname", self.hostname.as_ref())?,
            category: opt("category", self.category.as_ref())?,
            vendor: self.vendor.clone(),
            model: self.model.clone(),
            software_version: self.software_version.clone(),
            ..DeviceFields::default()
        };
        fields.vlan = self
            .vlan
            .map(medvigil_model::VlanId::new)
            .transpose()
            .map_err(|e| format!("vlan: {e}"))?;
        fields.location.site = site.cloned();
        Ok(ParsedRow { line, fields })
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

impl From<&Conversation> for BatchConversation {
    fn from(c: &Conversation) -> Self {
        Self {
            client_ip: c.client.ip.to_string(),
            client_mac: c.client.mac.map(|m| m.to_string()),
            server_ip: c.server.ip.to_string(),
            server_mac: c.server.mac.map(|m| m.to_string()),
            transport: c.transport.clone(),
            port: c.port,
            protocol: c.protocol.clone(),
            flows: c.flows,
            packets: c.packets,
            bytes: c.bytes,
            first_seen: rfc3339(c.first_seen),
            last_seen: rfc3339(c.last_seen),
        }
    }
}

impl BatchConversation {
    fn parse(&self) -> Result<Conversation, String> {
        fn ip(what: &str, s: &str) -> Result<std::net::IpAddr, String> {
            s.parse().map_err(|e| format!("{what}: '{s}': {e}"))
        }
        fn mac(what: &str, s: Option<&String>) -> Result<Option<medvigil_model::MacAddr>, String> {
            s.map(|s| s.parse().map_err(|e| format!("{what}: '{s}': {e}")))
                .transpose()
        }
        fn time(what: &str, s: &str) -> Result<OffsetDateTime, String> {
            OffsetDateTime::parse(s, &Rfc3339).map_err(|e| format!("{what}: '{s}': {e}"))
        }
        let transport = match self.transport.as_str() {
            "tcp" | "udp" => self.transport.clone(),
            t if t
                .strip_prefix("ip/")
                .is_some_and(|n| n.parse::<u8>().is_ok()) =>
            {
                self.transport.clone()
            }
            t => return Err(format!("transport: '{t}' is not tcp, udp or ip/<number>")),
        };
        Ok(Conversation {
            client: Peer {
                ip: ip("client_ip", &self.client_ip)?,
                mac: mac("client_mac", self.client_mac.as_ref())?,
            },
            server: Peer {
                ip: ip("server_ip", &self.server_ip)?,
                mac: mac("server_mac", self.server_mac.as_ref())?,
            },
            transport,
            port: self.port,
            protocol: self.protocol.clone(),
            flows: self.flows,
            packets: self.packets,
            bytes: self.bytes,
            first_seen: time("first_seen", &self.first_seen)?,
            last_seen: time("last_seen", &self.last_seen)?,
        })
    }
}

/// Parses a batch into rows and conversations; errors name the item.
fn parse(req: &BatchRequest) -> Result<(Vec<ParsedRow>, Vec<Conversation>), ApiError> {
    if req.sensor.trim().is_empty() || req.sensor.len() > 200 {
        return Err(ApiError::bad_request("sensor: 1 to 200 characters"));
    }
    if req.devices.len() + req.conversations.len() > MAX_BATCH_ITEMS {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("a batch holds at most {MAX_BATCH_ITEMS} devices and conversations"),
        ));
    }
    let site = req.site.as_ref().filter(|s| !s.trim().is_empty());
    let rows = req
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| {
            d.parse(i as u64 + 1, site)
                .map_err(|e| ApiError::bad_request(format!("devices[{i}].{e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let conversations = req
        .conversations
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.parse()
                .map_err(|e| ApiError::bad_request(format!("conversations[{i}].{e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rows, conversations))
}

/// Merges a sensor's batch into the inventory and the flow record, once.
#[utoipa::path(
    post, path = "/discovery/batches", tag = "discovery",
    request_body = BatchRequest,
    responses(
        (status = 200, description = "Applied now, or already applied before (`status`)", body = BatchAnswer),
        (status = 400, description = "Malformed JSON or a bad value (the message names it)", body = ErrorBody),
        (status = 422, description = "A field of the wrong type or unknown (the message names it)", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without upload_capture", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB or too many items", body = ErrorBody),
    )
)]
pub async fn upload_batch(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<BatchRequest>,
) -> Result<Json<BatchAnswer>, ApiError> {
    let store = caller.require(&state, Permission::UploadCapture)?;
    let (rows, conversations) = parse(&req)?;
    let n_conversations = conversations.len() as u64;
    let outcome = store
        .import_discovery(DiscoveryImport {
            rows,
            conversations,
            actor: caller.username.clone(),
            detail: format!("sensor {}: batch {}", req.sensor, req.batch_id),
            dry_run: false,
            batch: Some(SensorBatch {
                id: req.batch_id,
                sensor: req.sensor.clone(),
            }),
        })
        .await?;
    let report = match outcome {
        DiscoveryOutcome::AlreadyApplied { .. } => {
            return Ok(Json(BatchAnswer {
                batch_id: req.batch_id,
                status: "already_applied".into(),
                created: 0,
                updated: 0,
                unchanged: 0,
                rejected: Vec::new(),
                conversations: 0,
            }));
        }
        DiscoveryOutcome::Applied(r, _) => r,
    };
    super::remediations::audit(
        &store,
        &caller,
        "discovery_batch_applied",
        Some(req.batch_id.to_string()),
        serde_json::json!({
            "sensor": req.sensor, "site": req.site, "created": report.created,
            "updated": report.updated, "conversations": n_conversations,
        }),
    )
    .await?;
    Ok(Json(BatchAnswer {
        batch_id: req.batch_id,
        status: "applied".into(),
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected.iter().map(ToString::to_string).collect(),
        conversations: n_conversations,
    }))
}
