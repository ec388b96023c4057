//! Pure protocol decoders for passive discovery of medical devices.
//!
//! Every decoder takes a byte slice, performs no I/O and never panics on any
//! input. Decoders are lenient: they return the decoded value together with
//! [`Diagnostic`]s about what was odd, and report incomplete input as
//! `Ok(None)` ("need more bytes") rather than as an error.
//!
//! Patient data never leaves a decoder: the output types only have fields for
//! device-identifying values (see [`hl7`] and [`dicom`]).

#![warn(missing_docs)]

pub mod arp;
pub mod cdp;
pub mod dhcp;
pub mod dicom;
mod error;
pub mod hl7;
pub mod http;
pub mod lldp;
pub mod mdns;
pub mod oui;
pub mod ssdp;
pub mod tls;
mod util;

pub use error::{DecodeError, Decoded, Diagnostic, DiagnosticKind};
pub use util::MacAddr;
