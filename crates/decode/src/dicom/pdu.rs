//! PDU parsing, PS3.8 §9.3.

use serde::Serialize;

use super::associate::association;
use crate::util::{be16, be32};
use crate::{DecodeError, Decoded};

/// Largest PDU we decode in full (associations are a few KiB; the largest in
/// the corpora is 16 KiB). Longer association PDUs are rejected as invalid.
pub const MAX_ASSOCIATION_PDU: u32 = 1 << 20;

/// The PDU types of PS3.8 §9.3.1 Table 9-1 (values 0x01–0x07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PduType {
    /// A-ASSOCIATE-RQ (0x01).
    AssociateRq,
    /// A-ASSOCIATE-AC (0x02).
    AssociateAc,
    /// A-ASSOCIATE-RJ (0x03).
    AssociateRj,
    /// P-DATA-TF (0x04).
    PDataTf,
    /// A-RELEASE-RQ (0x05).
    ReleaseRq,
    /// A-RELEASE-RP (0x06).
    ReleaseRp,
    /// A-ABORT (0x07).
    Abort,
}

impl PduType {
    /// Maps the wire code to a type, PS3.8 §9.3.1.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => Self::AssociateRq,
            2 => Self::AssociateAc,
            3 => Self::AssociateRj,
            4 => Self::PDataTf,
            5 => Self::ReleaseRq,
            6 => Self::ReleaseRp,
            7 => Self::Abort,
            _ => return None,
        })
    }
}

/// The 6-byte PDU header: type, reserved, 32-bit length (PS3.8 §9.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PduHeader {
    /// PDU type.
    pub pdu_type: PduType,
    /// Length of the PDU body after the header.
    pub length: u32,
}

/// Reads the PDU header; `Ok(None)` when fewer than 6 bytes are present.
///
/// This is the hot path for P-DATA streams: it allocates nothing.
pub fn pdu_header(buf: &[u8]) -> Result<Option<PduHeader>, DecodeError> {
    let (Some(&code), Some(length)) = (buf.first(), be32(buf, 2)) else {
        return Ok(None);
    };
    let pdu_type = PduType::from_code(code).ok_or(DecodeError::NotThisProtocol {
        offset: 0,
        expected: "DICOM PDU type 0x01-0x07",
    })?;
    let fixed_len = match pdu_type {
        PduType::AssociateRj | PduType::ReleaseRq | PduType::ReleaseRp | PduType::Abort => Some(4),
        _ => None,
    };
    let too_long = matches!(pdu_type, PduType::AssociateRq | PduType::AssociateAc)
        && length > MAX_ASSOCIATION_PDU;
    if fixed_len.is_some_and(|f| f != length)
        || too_long
        || (pdu_type == PduType::AssociateRq && length < 68)
    {
        return Err(DecodeError::InvalidLength {
            offset: 2,
            declared: u64::from(length),
        });
    }
    Ok(Some(PduHeader { pdu_type, length }))
}

/// Whether `buf` starts like an A-ASSOCIATE-RQ (type 1, protocol version 1),
/// which lets capture recognise DICOM on any port.
pub fn looks_like_associate_rq(buf: &[u8]) -> bool {
    buf.first() == Some(&1)
        && buf.get(1) == Some(&0)
        && be32(buf, 2).is_some_and(|l| (68..=MAX_ASSOCIATION_PDU).contains(&l))
        && be16(buf, 6) == Some(1)
}

/// A decoded PDU (PS3.8 §9.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Pdu {
    /// A-ASSOCIATE-RQ (§9.3.2).
    AssociateRq(Association),
    /// A-ASSOCIATE-AC (§9.3.3).
    AssociateAc(Association),
    /// A-ASSOCIATE-RJ (§9.3.4).
    AssociateRj(AssociateReject),
    /// P-DATA-TF (§9.3.5): only the header of the first PDV, never its data.
    PDataTf {
        /// Body length.
        length: u32,
        /// First PDV header, when present.
        first_pdv: Option<PdvHeader>,
    },
    /// A-RELEASE-RQ (§9.3.6).
    ReleaseRq,
    /// A-RELEASE-RP (§9.3.7).
    ReleaseRp,
    /// A-ABORT (§9.3.8).
    Abort(AAbort),
}

/// Fields of an A-ASSOCIATE-RQ or -AC (PS3.8 §9.3.2, §9.3.3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Association {
    /// Protocol version bit field (1 for this standard).
    pub protocol_version: u16,
    /// Called AE title (the acceptor), trimmed.
    pub called_ae_title: String,
    /// Calling AE title (the requestor), trimmed.
    pub calling_ae_title: String,
    /// Application context name (item 0x10).
    pub application_context: Option<String>,
    /// Presentation contexts (items 0x20 in RQ, 0x21 in AC).
    pub presentation_contexts: Vec<PresentationContext>,
    /// User information (item 0x50).
    pub user_information: UserInformation,
}

/// One presentation context (PS3.8 §9.3.2.2, §9.3.3.2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PresentationContext {
    /// Presentation context ID (odd, 1–255).
    pub id: u8,
    /// Result/reason (AC only; 0 = acceptance).
    pub result: Option<u8>,
    /// Abstract syntax (SOP class UID); RQ only.
    pub abstract_syntax: Option<String>,
    /// Proposed (RQ) or accepted (AC) transfer syntaxes.
    pub transfer_syntaxes: Vec<String>,
}

/// User information sub-items we keep (PS3.7 Annex D.3.3).
///
/// User identity negotiation (0x58) may carry a password; it is never read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct UserInformation {
    /// Maximum length received (sub-item 0x51).
    pub max_pdu_length: Option<u32>,
    /// Implementation class UID (sub-item 0x52).
    pub implementation_class_uid: Option<String>,
    /// Implementation version name (sub-item 0x55).
    pub implementation_version_name: Option<String>,
}

/// A-ASSOCIATE-RJ fields (PS3.8 §9.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AssociateReject {
    /// 1 = rejected-permanent, 2 = rejected-transient.
    pub result: u8,
    /// 1 = service user, 2 = provider (ACSE), 3 = provider (presentation).
    pub source: u8,
    /// Reason/diagnostic code.
    pub reason: u8,
}

/// A-ABORT fields (PS3.8 §9.3.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AAbort {
    /// 0 = service user, 2 = service provider.
    pub source: u8,
    /// Reason/diagnostic code.
    pub reason: u8,
}

/// A presentation data value item header (PS3.8 §9.3.5.1, Annex E.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PdvHeader {
    /// Item length (context ID + control header + fragment).
    pub length: u32,
    /// Presentation context ID.
    pub context_id: u8,
    /// Whether the fragment is a command (bit 0 of the control header).
    pub is_command: bool,
    /// Whether it is the last fragment (bit 1).
    pub is_last: bool,
}

/// Decodes one PDU from the start of `buf`, returning it and the bytes used.
///
/// `Ok(None)` means more bytes are needed for the whole PDU. P-DATA-TF only
/// needs its 6-byte header plus the first PDV header to be decoded, but its
/// whole length is still reported as used.
pub fn parse_pdu(buf: &[u8]) -> Result<Option<(Decoded<Pdu>, usize)>, DecodeError> {
    let Some(h) = pdu_header(buf)? else {
        return Ok(None);
    };
    let total = 6usize.saturating_add(h.length as usize);
    let mut diags = Vec::new();
    if h.pdu_type == PduType::PDataTf {
        let first_pdv = be32(buf, 6).and_then(|length| {
            let (&context_id, &mch) = (buf.get(10)?, buf.get(11)?);
            Some(PdvHeader {
                length,
                context_id,
                is_command: mch & 1 == 1,
                is_last: mch & 2 == 2,
            })
        });
        let pdu = Pdu::PDataTf {
            length: h.length,
            first_pdv,
        };
        return Ok(Some((Decoded::new(pdu, diags), total)));
    }
    let Some(body) = buf.get(6..total) else {
        return Ok(None);
    };
    let pdu = match h.pdu_type {
        PduType::AssociateRq => Pdu::AssociateRq(association(body, true, &mut diags)?),
        PduType::AssociateAc => Pdu::AssociateAc(association(body, false, &mut diags)?),
        PduType::AssociateRj => Pdu::AssociateRj(AssociateReject {
            result: body.get(1).copied().unwrap_or(0),
            source: body.get(2).copied().unwrap_or(0),
            reason: body.get(3).copied().unwrap_or(0),
        }),
        PduType::ReleaseRq => Pdu::ReleaseRq,
        PduType::ReleaseRp => Pdu::ReleaseRp,
        PduType::Abort => Pdu::Abort(AAbort {
            source: body.get(2).copied().unwrap_or(0),
            reason: body.get(3).copied().unwrap_or(0),
        }),
        PduType::PDataTf => Pdu::PDataTf {
            length: h.length,
            first_pdv: None,
        },
    };
    Ok(Some((Decoded::new(pdu, diags), total)))
}
