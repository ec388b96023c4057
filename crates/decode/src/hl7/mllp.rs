//! MLLP framing: `<VT=0x0B> message <FS=0x1C><CR=0x0D>` (HL7 v2 IG Appendix C.4).

use crate::{DecodeError, Diagnostic, DiagnosticKind};

const VT: u8 = 0x0B;
const FS: u8 = 0x1C;
const CR: u8 = 0x0D;

/// One MLLP frame found at the start of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MllpFrame<'a> {
    /// The HL7 message between the start and end blocks.
    pub payload: &'a [u8],
    /// Bytes of the buffer used by the frame, including the trailer.
    pub consumed: usize,
    /// Oddities (a missing CR after FS).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether `buf` starts with an MLLP start block followed by `MSH`, which
/// lets capture recognise HL7 on any port.
pub fn looks_like_mllp(buf: &[u8]) -> bool {
    buf.first() == Some(&VT) && buf.get(1..4) == Some(b"MSH".as_slice())
}

/// The offset of the next start block, to resynchronise after garbage.
pub fn find_frame_start(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == VT)
}

/// Reads one frame from the start of `buf`; `Ok(None)` until the end block
/// has arrived.
pub fn frame(buf: &[u8]) -> Result<Option<MllpFrame<'_>>, DecodeError> {
    match buf.first() {
        None => return Ok(None),
        Some(&VT) => {}
        Some(_) => {
            return Err(DecodeError::NotThisProtocol {
                offset: 0,
                expected: "MLLP start block 0x0B",
            });
        }
    }
    let Some(rel) = buf.get(1..).and_then(|b| b.iter().position(|&x| x == FS)) else {
        return Ok(None);
    };
    let fs = rel + 1;
    let payload = buf.get(1..fs).unwrap_or(&[]);
    match buf.get(fs + 1) {
        None => Ok(None),
        Some(&CR) => Ok(Some(MllpFrame {
            payload,
            consumed: fs + 2,
            diagnostics: Vec::new(),
        })),
        Some(_) => {
            // Some senders omit the CR; accept FS alone as the end.
            let diagnostics = vec![Diagnostic {
                offset: fs + 1,
                kind: DiagnosticKind::UnexpectedLength {
                    expected: 2,
                    actual: 1,
                },
            }];
            Ok(Some(MllpFrame {
                payload,
                consumed: fs + 1,
                diagnostics,
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames() {
        assert_eq!(frame(b"").ok(), Some(None));
        assert_eq!(frame(b"\x0bMSH|").ok(), Some(None));
        assert_eq!(frame(b"\x0bMSH|\x1c").ok(), Some(None));
        let f = frame(b"\x0bMSH|x\x1c\x0drest").ok().flatten();
        assert_eq!(
            f.map(|f| (f.payload, f.consumed)),
            Some((b"MSH|x".as_slice(), 8))
        );
        assert!(frame(b"xx").is_err());
        assert!(looks_like_mllp(b"\x0bMSH|^~"));
    }
}
