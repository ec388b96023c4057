//! Multicast DNS (RFC 6762) and DNS-SD (RFC 6763) names: service instance
//! names from PTR records and host names from SRV, A and AAAA records.
//! Message format and name compression per RFC 1035 §4.1.

use serde::Serialize;

use crate::util::{Cursor, be16};
use crate::{DecodeError, Decoded, Diagnostic, DiagnosticKind};

/// Most names kept per message.
const MAX_NAMES: usize = 32;
/// Most records walked per message; a hostile count cannot loop long.
const MAX_RECORDS: usize = 256;

/// Names an mDNS message announces.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct MdnsNames {
    /// Whether this is a response (QR bit).
    pub is_response: bool,
    /// Service instance names (PTR targets), e.g. `Pump 12._ipp._tcp.local`.
    pub instance_names: Vec<String>,
    /// Host names (SRV targets, owners of A/AAAA), e.g. `pump-12.local`.
    pub hostnames: Vec<String>,
}

/// Reads a possibly compressed domain name at `pos`; returns it and the
/// position after it in the original record. Bounded against pointer loops.
fn name(msg: &[u8], mut pos: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut after = None;
    for _ in 0..128 {
        let len = *msg.get(pos)?;
        match len & 0xc0 {
            0x00 if len == 0 => return Some((out, after.unwrap_or(pos + 1))),
            0x00 => {
                let label = msg.get(pos + 1..pos + 1 + usize::from(len))?;
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&String::from_utf8_lossy(label));
                if out.len() > 255 {
                    return None;
                }
                pos += 1 + usize::from(len);
            }
            0xc0 => {
                let ptr = usize::from(be16(msg, pos)? & 0x3fff);
                after.get_or_insert(pos + 2);
                pos = ptr;
            }
            _ => return None,
        }
    }
    None
}

fn push(list: &mut Vec<String>, n: String, off: usize, diags: &mut Vec<Diagnostic>) {
    if n.is_empty() || list.contains(&n) {
        return;
    }
    if list.len() >= MAX_NAMES {
        diags.push(Diagnostic {
            offset: off,
            kind: DiagnosticKind::TooManyItems { limit: MAX_NAMES },
        });
        return;
    }
    list.push(n);
}

/// Decodes the names in an mDNS message (UDP payload, port 5353).
pub fn parse(msg: &[u8]) -> Result<Option<Decoded<MdnsNames>>, DecodeError> {
    let mut c = Cursor::new(msg);
    let (Some(_id), Some(flags), Some(qd), Some(an), Some(ns), Some(ar)) =
        (c.u16(), c.u16(), c.u16(), c.u16(), c.u16(), c.u16())
    else {
        return Ok(None);
    };
    let mut out = MdnsNames {
        is_response: flags & 0x8000 != 0,
        ..MdnsNames::default()
    };
    let mut diags = Vec::new();
    let mut pos = 12usize;
    let bad = |pos| DecodeError::Malformed {
        offset: pos,
        what: "DNS name",
    };
    for _ in 0..usize::from(qd).min(MAX_RECORDS) {
        let (_, p) = name(msg, pos).ok_or(bad(pos))?;
        pos = p + 4;
    }
    let records = usize::from(an) + usize::from(ns) + usize::from(ar);
    for _ in 0..records.min(MAX_RECORDS) {
        let off = pos;
        let Some((owner, p)) = name(msg, pos) else {
            diags.push(Diagnostic::truncated(off, 1, msg.len().saturating_sub(pos)));
            break;
        };
        let (Some(ty), Some(rdlen)) = (be16(msg, p), be16(msg, p + 8)) else {
            break;
        };
        let rdata = p + 10;
        pos = rdata + usize::from(rdlen);
        if pos > msg.len() {
            diags.push(Diagnostic::truncated(
                off,
                usize::from(rdlen),
                msg.len().saturating_sub(rdata),
            ));
            break;
        }
        match ty {
            // PTR: DNS-SD browse answers point at service instances.
            12 if owner.contains("._") => {
                if let Some((t, _)) = name(msg, rdata) {
                    push(&mut out.instance_names, t, off, &mut diags);
                }
            }
            // SRV: priority, weight, port, target host.
            33 => {
                if let Some((t, _)) = name(msg, rdata + 6) {
                    push(&mut out.hostnames, t, off, &mut diags);
                }
                push(&mut out.instance_names, owner, off, &mut diags);
            }
            1 | 28 => push(&mut out.hostnames, owner, off, &mut diags),
            _ => {}
        }
    }
    Ok(Some(Decoded::new(out, diags)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ptr_srv_and_a_with_compression() {
        let mut m = vec![0, 0, 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0];
        // PTR _ipp._tcp.local -> Pump 7._ipp._tcp.local
        m.extend_from_slice(b"\x04_ipp\x04_tcp\x05local\x00");
        m.extend_from_slice(&[0, 12, 0, 1, 0, 0, 0, 120, 0, 9]);
        m.extend_from_slice(b"\x06Pump 7\xc0\x0c");
        // SRV Pump 7... -> pump7.local (pointer to "local" at offset 22)
        m.extend_from_slice(&[
            0xc0, 39, 0, 33, 0, 1, 0, 0, 0, 120, 0, 14, 0, 0, 0, 0, 2, 0x77,
        ]);
        m.extend_from_slice(b"\x05pump7\xc0\x16");
        // A pump7.local
        m.extend_from_slice(&[0xc0, 66, 0, 1, 0, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 7]);
        let Ok(Some(d)) = parse(&m) else {
            panic!("decode")
        };
        assert_eq!(
            d.value.instance_names,
            vec!["Pump 7._ipp._tcp.local".to_owned()]
        );
        assert_eq!(d.value.hostnames, vec!["pump7.local".to_owned()]);
    }

    #[test]
    fn pointer_loop_is_rejected() {
        let m = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12];
        assert!(parse(&m).is_err());
    }
}
