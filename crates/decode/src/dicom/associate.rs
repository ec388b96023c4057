//! A-ASSOCIATE-RQ/AC variable items, PS3.8 §9.3.2.1–9.3.3.3 and PS3.7
//! Annex D.3.3 (user information sub-items).

use super::pdu::{Association, PresentationContext, UserInformation};
use crate::util::{Cursor, be32, text};
use crate::{DecodeError, Diagnostic, DiagnosticKind};

/// Most presentation contexts kept per association (PS3.8 allows 128).
const MAX_CONTEXTS: usize = 256;

/// Body offsets are reported relative to the PDU start (header is 6 bytes).
const BODY: usize = 6;

pub(super) fn association(
    body: &[u8],
    is_rq: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<Association, DecodeError> {
    let mut c = Cursor::new(body);
    let (Some(protocol_version), Some(_), Some(called), Some(calling), Some(_)) =
        (c.u16(), c.u16(), c.take(16), c.take(16), c.take(32))
    else {
        return Err(DecodeError::Malformed {
            offset: BODY,
            what: "A-ASSOCIATE fixed fields",
        });
    };
    let mut a = Association {
        protocol_version,
        called_ae_title: text(called, BODY + 4, diags),
        calling_ae_title: text(calling, BODY + 20, diags),
        ..Association::default()
    };
    let base = BODY + c.pos();
    for (item_type, value, voff) in sub_items(c.rest(), base, diags) {
        let off = voff - 4;
        match item_type {
            0x10 => a.application_context = Some(text(value, voff, diags)),
            0x20 | 0x21 if a.presentation_contexts.len() >= MAX_CONTEXTS => {
                diags.push(Diagnostic {
                    offset: off,
                    kind: DiagnosticKind::TooManyItems {
                        limit: MAX_CONTEXTS,
                    },
                });
            }
            0x20 if is_rq => a
                .presentation_contexts
                .push(presentation_context(value, voff, false, diags)),
            0x21 if !is_rq => a
                .presentation_contexts
                .push(presentation_context(value, voff, true, diags)),
            0x50 => a.user_information = user_information(value, voff, diags),
            t => diags.push(Diagnostic {
                offset: off,
                kind: DiagnosticKind::UnknownItem {
                    item_type: u16::from(t),
                },
            }),
        }
    }
    Ok(a)
}

/// Iterates `(type, value, offset)` sub-items with 2-byte lengths, recording truncation.
fn sub_items<'a>(
    value: &'a [u8],
    base: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(u8, &'a [u8], usize)> {
    let mut out = Vec::new();
    let mut c = Cursor::new(value);
    while c.remaining() > 0 {
        let off = base + c.pos();
        let (Some(t), Some(_), Some(len)) = (c.u8(), c.u8(), c.u16()) else {
            diags.push(Diagnostic::truncated(off, 4, c.remaining()));
            break;
        };
        let Some(v) = c.take(usize::from(len)) else {
            diags.push(Diagnostic::truncated(off, usize::from(len), c.remaining()));
            break;
        };
        out.push((t, v, off + 4));
    }
    out
}

fn presentation_context(
    value: &[u8],
    base: usize,
    is_ac: bool,
    diags: &mut Vec<Diagnostic>,
) -> PresentationContext {
    let mut pc = PresentationContext {
        id: value.first().copied().unwrap_or(0),
        result: if is_ac { value.get(2).copied() } else { None },
        ..PresentationContext::default()
    };
    let rest = value.get(4..).unwrap_or(&[]);
    for (t, v, off) in sub_items(rest, base + 4, diags) {
        match t {
            0x30 => pc.abstract_syntax = Some(text(v, off, diags)),
            0x40 => pc.transfer_syntaxes.push(text(v, off, diags)),
            t => diags.push(Diagnostic {
                offset: off - 4,
                kind: DiagnosticKind::UnknownItem {
                    item_type: u16::from(t),
                },
            }),
        }
    }
    pc
}

fn user_information(value: &[u8], base: usize, diags: &mut Vec<Diagnostic>) -> UserInformation {
    let mut ui = UserInformation::default();
    for (t, v, off) in sub_items(value, base, diags) {
        match t {
            0x51 => match be32(v, 0) {
                Some(m) if v.len() == 4 => ui.max_pdu_length = Some(m),
                _ => diags.push(Diagnostic {
                    offset: off,
                    kind: DiagnosticKind::UnexpectedLength {
                        expected: 4,
                        actual: v.len(),
                    },
                }),
            },
            0x52 => ui.implementation_class_uid = Some(text(v, off, diags)),
            0x55 => ui.implementation_version_name = Some(text(v, off, diags)),
            // Asynchronous operations, role selection, extended and common
            // extended negotiation, user identity (may carry a password):
            // known, not needed for discovery, deliberately not read.
            0x53 | 0x54 | 0x56 | 0x57 | 0x58 | 0x59 => {}
            t => diags.push(Diagnostic {
                offset: off - 4,
                kind: DiagnosticKind::UnknownItem {
                    item_type: u16::from(t),
                },
            }),
        }
    }
    ui
}
