//! Observations: what passive discovery tells the inventory. Designed to be
//! merged: endpoints are keyed by (MAC, IP, VLAN), facts name the endpoint
//! that sent them, flows carry counters that add up.

use std::net::IpAddr;

use medvigil_decode::MacAddr;
use medvigil_decode::arp::ArpPacket;
use medvigil_decode::cdp::CdpInfo;
use medvigil_decode::dhcp::DhcpMessage;
use medvigil_decode::dicom::{AssociateReject, Association, SystemKind};
use medvigil_decode::hl7::Hl7Message;
use medvigil_decode::http::HttpHead;
use medvigil_decode::lldp::LldpInfo;
use medvigil_decode::mdns::MdnsNames;
use medvigil_decode::ssdp::SsdpMessage;
use medvigil_decode::tls::ClientHello;
use serde::Serialize;

use crate::link::Vlan;

/// Capture time in nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Timestamp(pub u64);

/// Who: a MAC, an IP, or both, on a VLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EndpointKey {
    /// Link-layer address, when the link type has one.
    pub mac: Option<MacAddr>,
    /// Network address (unspecified, multicast and broadcast are left out).
    pub ip: Option<IpAddr>,
    /// VLAN tags of the frames.
    pub vlan: Option<Vlan>,
}

/// An endpoint seen in the traffic, with first/last time and counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointSeen {
    /// The endpoint.
    pub key: EndpointKey,
    /// Organisation the MAC is registered to (IEEE registry), if known.
    pub mac_vendor: Option<String>,
    /// First packet from or to it.
    pub first_seen: Timestamp,
    /// Last packet from or to it.
    pub last_seen: Timestamp,
    /// Packets it sent.
    pub packets_sent: u64,
    /// Bytes it sent (captured lengths).
    pub bytes_sent: u64,
    /// Packets sent to it.
    pub packets_received: u64,
}

/// Transport of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Transport {
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// Another IP protocol number (ICMP, …); ports are 0.
    Ip(u8),
}

/// An application protocol recognised on a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AppProtocol {
    /// DICOM upper layer.
    Dicom,
    /// HL7 v2 over MLLP.
    Hl7Mllp,
    /// HTTP/1.x.
    Http,
    /// TLS.
    Tls,
    /// DHCPv4.
    Dhcp,
    /// SSDP.
    Ssdp,
    /// Multicast DNS.
    Mdns,
}

impl AppProtocol {
    /// The protocol's short name (`dicom`, `hl7`, `http` …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Dicom => "dicom",
            Self::Hl7Mllp => "hl7",
            Self::Http => "http",
            Self::Tls => "tls",
            Self::Dhcp => "dhcp",
            Self::Ssdp => "ssdp",
            Self::Mdns => "mdns",
        }
    }
}

/// A conversation between two endpoints on one transport 5-tuple.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowRecord {
    /// VLAN tags.
    pub vlan: Option<Vlan>,
    /// Transport.
    pub transport: Transport,
    /// Initiator (sender of the first packet, or of the SYN).
    pub src: EndpointKey,
    /// Initiator port.
    pub src_port: u16,
    /// Responder.
    pub dst: EndpointKey,
    /// Responder port (the service port).
    pub dst_port: u16,
    /// Recognised application protocol.
    pub protocol: Option<AppProtocol>,
    /// Packets initiator → responder.
    pub packets_to_dst: u64,
    /// Packets responder → initiator.
    pub packets_to_src: u64,
    /// Bytes (IP payload) initiator → responder.
    pub bytes_to_dst: u64,
    /// Bytes responder → initiator.
    pub bytes_to_src: u64,
    /// First packet.
    pub first_seen: Timestamp,
    /// Last packet.
    pub last_seen: Timestamp,
    /// The flow was reported before (an earlier flush): these counters
    /// continue it, so merging must not count it as another flow.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub continued: bool,
}

/// A DICOM association PDU as seen on the wire, with the kinds of system
/// its abstract syntaxes point to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DicomAssociation {
    /// Whether this is the A-ASSOCIATE-RQ (from the requestor) or the -AC.
    pub is_request: bool,
    /// The association fields.
    pub association: Association,
    /// Distinct system kinds of the proposed abstract syntaxes.
    pub system_kinds: Vec<SystemKind>,
}

/// A protocol fact about the endpoint that sent it. Only device-identifying
/// data: the decoders' types have no field for patient data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Fact {
    /// DICOM A-ASSOCIATE-RQ/AC.
    Dicom(Box<DicomAssociation>),
    /// DICOM A-ASSOCIATE-RJ.
    DicomReject(AssociateReject),
    /// HL7 v2 message header and device identifiers.
    Hl7(Box<Hl7Message>),
    /// DHCPv4 client or server message.
    Dhcp(Box<DhcpMessage>),
    /// LLDP advertisement.
    Lldp(Box<LldpInfo>),
    /// CDP advertisement.
    Cdp(Box<CdpInfo>),
    /// HTTP/1.x message head.
    Http(HttpHead),
    /// TLS ClientHello.
    TlsClientHello(ClientHello),
    /// SSDP message.
    Ssdp(Box<SsdpMessage>),
    /// mDNS names.
    Mdns(MdnsNames),
    /// ARP binding.
    Arp(ArpPacket),
}

/// A fact with when and from whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactObservation {
    /// When it was seen (first time, facts are deduplicated).
    pub time: Timestamp,
    /// The sender.
    pub endpoint: EndpointKey,
    /// The receiver, for unicast traffic.
    pub peer: Option<EndpointKey>,
    /// The fact.
    pub fact: Fact,
}

/// One unit of output of passive discovery.
///
/// Endpoint and flow counters cover the packets since the previous
/// [`crate::Analyzer::flush`] (or eviction): batches merge by adding them and
/// taking the minimum first-seen and maximum last-seen time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Observation {
    /// An endpoint and its activity.
    Endpoint(EndpointSeen),
    /// A decoded protocol fact.
    Fact(FactObservation),
    /// A flow and its counters.
    Flow(FlowRecord),
}
