//! Who talks to whom on the network: what passive discovery records for
//! segmentation (which flows a zone boundary must allow).

use std::net::IpAddr;

use time::OffsetDateTime;

use crate::MacAddr;

/// One side of a conversation: its IP address, and its MAC when the capture
/// showed it on the local segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Peer {
    /// IP address.
    pub ip: IpAddr,
    /// MAC address, when seen.
    pub mac: Option<MacAddr>,
}

/// The traffic from one endpoint to one service of another (transport and
/// service port), summed over the flows seen; client ports are not kept.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Conversation {
    /// The initiator.
    pub client: Peer,
    /// The responder.
    pub server: Peer,
    /// `tcp`, `udp` or `ip/<protocol number>`.
    pub transport: String,
    /// The service port (0 without ports).
    pub port: u16,
    /// The application protocol recognised, if any (`dicom`, `hl7` …).
    pub protocol: Option<String>,
    /// Flows summed.
    pub flows: u64,
    /// Packets, both directions.
    pub packets: u64,
    /// Bytes (IP payload), both directions.
    pub bytes: u64,
    /// First packet.
    #[serde(with = "time::serde::rfc3339")]
    pub first_seen: OffsetDateTime,
    /// Last packet.
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen: OffsetDateTime,
}
