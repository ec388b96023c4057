//! HL7 v2 messages over MLLP: the MSH header and device identifiers.
//!
//! HL7 v2.x (Chapter 2 "Control", §2.5–2.7 message construction, §2.14 MSH)
//! and the MLLP framing of HL7 v2 Implementation Guide Appendix C.
//!
//! Patient data never leaves this module: [`Hl7Message`] has no field for
//! PID, NK1, PV1, OBX values or any other segment. Only MSH routing fields,
//! PRT device fields (v2.8+, Chapter 7 §7.4.4) and OBX-18 (equipment instance
//! identifier) are read.

mod escape;
mod mllp;
mod model;
mod types;

pub use escape::Delimiters;
pub use mllp::{MllpFrame, find_frame_start, frame, looks_like_mllp};
pub use model::parse_message;
pub use types::{
    DeviceIdentifier, EntityIdentifier, HierarchicDesignator, Hl7Message, MessageType, PrtDevice,
};
