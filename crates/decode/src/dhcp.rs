//! DHCPv4 (RFC 2131 §2 message format, RFC 2132 options) — the fields that
//! identify a client: hostname, vendor class, parameter list, client id, FQDN.

use std::net::Ipv4Addr;

use serde::Serialize;

use crate::util::{Cursor, MacAddr, text};
use crate::{DecodeError, Decoded, Diagnostic, DiagnosticKind};

const MAGIC: [u8; 4] = [99, 130, 83, 99];
const FIXED: usize = 236;

/// The identifying content of a DHCPv4 message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct DhcpMessage {
    /// BOOTP op: 1 = request (client), 2 = reply (server).
    pub op: u8,
    /// Transaction ID.
    pub xid: u32,
    /// `ciaddr`: the client's current address, when set.
    pub client_ip: Option<Ipv4Addr>,
    /// `yiaddr`: the address the server assigns, when set.
    pub your_ip: Option<Ipv4Addr>,
    /// `chaddr` when the hardware type is Ethernet.
    pub client_mac: Option<MacAddr>,
    /// Option 53 message type (1 DISCOVER … 8 INFORM).
    pub message_type: Option<u8>,
    /// Option 12 host name.
    pub hostname: Option<String>,
    /// Option 50 requested IP address.
    pub requested_ip: Option<Ipv4Addr>,
    /// Option 54 server identifier.
    pub server_id: Option<Ipv4Addr>,
    /// Option 55 parameter request list (an OS fingerprint).
    pub parameter_request_list: Option<Vec<u8>>,
    /// Option 60 vendor class identifier.
    pub vendor_class: Option<String>,
    /// Option 61 client identifier (type byte then value), as hex.
    pub client_id: Option<String>,
    /// Option 81 client FQDN (RFC 4702) domain name.
    pub fqdn: Option<String>,
    /// Option 161 MUD URL (RFC 8520 §10).
    pub mud_url: Option<String>,
}

/// Decodes a DHCPv4 message (the UDP payload). Truncated options yield a
/// diagnostic; a message shorter than the fixed BOOTP header is `Ok(None)`;
/// BOOTP without the DHCP magic cookie yields the fixed fields only.
pub fn parse(buf: &[u8]) -> Result<Option<Decoded<DhcpMessage>>, DecodeError> {
    if buf.len() < FIXED {
        return Ok(None);
    }
    let op = buf[0];
    if op != 1 && op != 2 {
        return Err(DecodeError::NotThisProtocol {
            offset: 0,
            expected: "BOOTP op 1 or 2",
        });
    }
    let ip = |o: usize| -> Option<Ipv4Addr> {
        let a: [u8; 4] = buf.get(o..o + 4)?.try_into().ok()?;
        let ip = Ipv4Addr::from(a);
        (!ip.is_unspecified()).then_some(ip)
    };
    let (htype, hlen) = (buf[1], buf[2]);
    let mut m = DhcpMessage {
        op,
        xid: crate::util::be32(buf, 4).unwrap_or(0),
        client_ip: ip(12),
        your_ip: ip(16),
        client_mac: if htype == 1 && hlen == 6 {
            MacAddr::from_slice(&buf[28..])
        } else {
            None
        },
        ..DhcpMessage::default()
    };
    let mut diags = Vec::new();
    if buf.get(FIXED..FIXED + 4) != Some(MAGIC.as_slice()) {
        // Plain BOOTP (or a damaged cookie): the fixed fields still identify
        // the client; vendor data without the cookie is not DHCP options.
        diags.push(Diagnostic {
            offset: FIXED,
            kind: DiagnosticKind::UnknownItem { item_type: 0 },
        });
        return Ok(Some(Decoded::new(m, diags)));
    }
    let mut c = Cursor::new(buf.get(FIXED + 4..).unwrap_or(&[]));
    while let Some(code) = c.u8() {
        let off = FIXED + 4 + c.pos() - 1;
        match code {
            0 => continue,
            255 => break,
            _ => {}
        }
        let Some(len) = c.u8() else { break };
        let Some(v) = c.take(usize::from(len)) else {
            diags.push(Diagnostic::truncated(off, usize::from(len), c.remaining()));
            break;
        };
        let voff = off + 2;
        let v4 = || -> Option<Ipv4Addr> { <[u8; 4]>::try_from(v).ok().map(Ipv4Addr::from) };
        match code {
            12 => m.hostname = Some(text(v, voff, &mut diags)),
            50 => m.requested_ip = v4(),
            53 => m.message_type = v.first().copied(),
            54 => m.server_id = v4(),
            55 => m.parameter_request_list = Some(v.to_vec()),
            60 => m.vendor_class = Some(text(v, voff, &mut diags)),
            61 => m.client_id = Some(hex(v)),
            81 => m.fqdn = fqdn(v, voff, &mut diags),
            161 => m.mud_url = Some(text(v, voff, &mut diags)),
            _ => {}
        }
    }
    Ok(Some(Decoded::new(m, diags)))
}

/// Lower-case hex without separators.
pub(crate) fn hex(v: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(v.len() * 2);
    for b in v.iter().take(crate::util::MAX_TEXT) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// RFC 4702 §2: flags, rcode1, rcode2, then the name — canonical wire format
/// when the E flag (0x04) is set, else ASCII.
fn fqdn(v: &[u8], off: usize, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let (&flags, name) = (v.first()?, v.get(3..)?);
    if flags & 0x04 == 0 {
        let s = text(name, off + 3, diags);
        return (!s.is_empty()).then_some(s);
    }
    let mut labels = Vec::new();
    let mut c = Cursor::new(name);
    while let Some(l) = c.u8() {
        if l == 0 {
            break;
        }
        let Some(label) = c.take(usize::from(l)) else {
            diags.push(Diagnostic::truncated(
                off + 3 + c.pos(),
                usize::from(l),
                c.remaining(),
            ));
            break;
        };
        labels.push(text(label, off + 3 + c.pos(), diags));
    }
    (!labels.is_empty()).then(|| labels.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(opts: &[u8]) -> Vec<u8> {
        let mut b = vec![0u8; FIXED];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        b[28..34].copy_from_slice(&[0, 1, 2, 3, 4, 5]);
        b.extend_from_slice(&MAGIC);
        b.extend_from_slice(opts);
        b
    }

    #[test]
    fn options() {
        let b = msg(&[
            53, 1, 3, 12, 4, b'p', b'u', b'm', b'p', 81, 9, 4, 0, 0, 3, b'a', b'b', b'c', 1, b'd',
            0, 60, 2, b'v', b'c', 255,
        ]);
        let Ok(Some(d)) = parse(&b) else {
            panic!("decode")
        };
        assert_eq!(d.value.hostname.as_deref(), Some("pump"));
        assert_eq!(d.value.message_type, Some(3));
        assert_eq!(d.value.fqdn.as_deref(), Some("abc.d"));
        assert_eq!(d.value.vendor_class.as_deref(), Some("vc"));
        assert_eq!(
            d.value.client_mac.map(|m| m.to_string()),
            Some("00:01:02:03:04:05".into())
        );
    }

    #[test]
    fn truncated_option_is_a_diagnostic() {
        let b = msg(&[12, 40, b'x']);
        let Ok(Some(d)) = parse(&b) else {
            panic!("decode")
        };
        assert_eq!(d.value.hostname, None);
        assert_eq!(d.diagnostics.len(), 1);
    }
}
