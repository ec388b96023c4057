//! DICOM upper layer protocol (PS3.8 §9): PDU headers and A-ASSOCIATE
//! contents, plus a table from SOP class UIDs to the kind of system.
//!
//! Only association and control PDUs are decoded in full. P-DATA-TF carries
//! the data sets (with patient data); of it only the PDU header and the first
//! PDV header are read, never the data.

mod associate;
mod pdu;
mod sop;

pub use pdu::{
    AAbort, AssociateReject, Association, Pdu, PduHeader, PduType, PdvHeader, PresentationContext,
    UserInformation, looks_like_associate_rq, parse_pdu, pdu_header,
};
pub use sop::{SopClass, SystemKind, sop_class};

/// The DICOM application context name (PS3.7 Annex A.2.1).
pub const APPLICATION_CONTEXT: &str = "1.2.840.10008.3.1.1.1";
