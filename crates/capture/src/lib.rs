//! Passive discovery input: reads pcap/pcapng captures, slices L2–L4,
//! reassembles TCP streams and turns decoded protocol facts into
//! [`Observation`]s for the inventory.
//!
//! Pure: input arrives as `impl Read` or byte slices; no sockets, no files
//! opened here. Memory is bounded by [`Limits`], not by capture size.

#![warn(missing_docs)]

mod analyzer;
mod app;
mod error;
mod flow;
mod link;
mod observe;
mod reader;
pub mod reassembly;

pub use analyzer::{Analyzer, Limits};
pub use error::CaptureError;
pub use link::{ETHERTYPE_CDP, LinkFrame, Vlan, decode_link};
pub use observe::{
    AppProtocol, DicomAssociation, EndpointKey, EndpointSeen, Fact, FactObservation, FlowRecord,
    Observation, Timestamp, Transport,
};
pub use reader::{RawPacket, ReadSummary, for_each_packet};
