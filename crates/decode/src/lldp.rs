//! LLDP (IEEE 802.1AB-2016 §8): chassis, port, system name/description,
//! capabilities, management addresses and the MUD URL TLV (RFC 8520 §4).

use std::net::IpAddr;

use serde::Serialize;

use crate::util::{MacAddr, text};
use crate::{DecodeError, Decoded, Diagnostic, DiagnosticKind};

/// Most management addresses kept per LLDPDU.
const MAX_ADDRS: usize = 16;

/// The identifying content of an LLDPDU.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct LldpInfo {
    /// Chassis ID (TLV 1), rendered by subtype (MAC, address or text).
    pub chassis_id: Option<String>,
    /// Port ID (TLV 2), rendered by subtype.
    pub port_id: Option<String>,
    /// Port description (TLV 4).
    pub port_description: Option<String>,
    /// System name (TLV 5).
    pub system_name: Option<String>,
    /// System description (TLV 6).
    pub system_description: Option<String>,
    /// System capabilities bit map (TLV 7, §8.5.8.1).
    pub capabilities: Option<u16>,
    /// Enabled capabilities bit map (TLV 7, §8.5.8.2).
    pub enabled_capabilities: Option<u16>,
    /// Management addresses (TLV 8) that are IPv4/IPv6.
    pub management_addresses: Vec<IpAddr>,
    /// MUD URL (TLV 127, OUI 00-00-5E subtype 1, RFC 8520 §4.1).
    pub mud_url: Option<String>,
}

/// Decodes an LLDPDU (the Ethernet payload after ethertype 0x88CC).
pub fn parse(buf: &[u8]) -> Result<Option<Decoded<LldpInfo>>, DecodeError> {
    if buf.len() < 2 {
        return Ok(None);
    }
    let mut info = LldpInfo::default();
    let mut diags = Vec::new();
    let mut pos = 0usize;
    while let Some(hdr) = crate::util::be16(buf, pos) {
        let (ty, len) = (hdr >> 9, usize::from(hdr & 0x1ff));
        let off = pos;
        pos += 2;
        if ty == 0 {
            break;
        }
        let Some(v) = buf.get(pos..pos + len) else {
            diags.push(Diagnostic::truncated(off, len, buf.len() - pos));
            break;
        };
        pos += len;
        let voff = off + 2;
        match ty {
            1 => info.chassis_id = id_value(v, 4, 5, voff, &mut diags),
            2 => info.port_id = id_value(v, 3, 4, voff, &mut diags),
            4 => info.port_description = Some(text(v, voff, &mut diags)),
            5 => info.system_name = Some(text(v, voff, &mut diags)),
            6 => info.system_description = Some(text(v, voff, &mut diags)),
            7 => {
                info.capabilities = crate::util::be16(v, 0);
                info.enabled_capabilities = crate::util::be16(v, 2);
            }
            8 => {
                if info.management_addresses.len() >= MAX_ADDRS {
                    diags.push(Diagnostic {
                        offset: off,
                        kind: DiagnosticKind::TooManyItems { limit: MAX_ADDRS },
                    });
                } else if let Some(a) = v
                    .first()
                    .and_then(|&l| v.get(1..1 + usize::from(l)))
                    .and_then(ip_from_afi)
                {
                    info.management_addresses.push(a);
                }
            }
            127 if v.get(..4) == Some(&[0x00, 0x00, 0x5e, 0x01]) => {
                info.mud_url = Some(text(v.get(4..).unwrap_or(&[]), voff + 4, &mut diags));
            }
            _ => {}
        }
    }
    if pos == 2 && info == LldpInfo::default() {
        return Err(DecodeError::Malformed {
            offset: 0,
            what: "LLDPDU",
        });
    }
    Ok(Some(Decoded::new(info, diags)))
}

/// IANA address family (1 = IPv4, 2 = IPv6) followed by the address.
pub(crate) fn ip_from_afi(v: &[u8]) -> Option<IpAddr> {
    match (v.first()?, v.get(1..)?) {
        (1, a) if a.len() == 4 => Some(IpAddr::from(<[u8; 4]>::try_from(a).ok()?)),
        (2, a) if a.len() == 16 => Some(IpAddr::from(<[u8; 16]>::try_from(a).ok()?)),
        _ => None,
    }
}

/// Chassis/port ID: subtype byte, then a MAC (`mac_sub`), a network address
/// (`net_sub`) or text.
fn id_value(
    v: &[u8],
    mac_sub: u8,
    net_sub: u8,
    off: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let (&sub, val) = (v.first()?, v.get(1..)?);
    if sub == mac_sub && val.len() == 6 {
        return MacAddr::from_slice(val).map(|m| m.to_string());
    }
    if sub == net_sub
        && let Some(ip) = ip_from_afi(val)
    {
        return Some(ip.to_string());
    }
    Some(text(val, off + 1, diags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlvs() {
        let mut b = vec![0x02, 0x07, 4, 0, 1, 2, 3, 4, 5];
        b.extend_from_slice(&[0x0a, 0x03, b'a', b'b', b'c']);
        b.extend_from_slice(&[0x10, 0x0c, 5, 1, 10, 0, 0, 1, 2, 0, 0, 0, 1, 0]);
        b.extend_from_slice(&[0xfe, 0x07, 0, 0, 0x5e, 1, b'h', b't', b'p']);
        b.extend_from_slice(&[0, 0]);
        let Ok(Some(d)) = parse(&b) else {
            panic!("decode")
        };
        assert_eq!(d.value.chassis_id.as_deref(), Some("00:01:02:03:04:05"));
        assert_eq!(d.value.system_name.as_deref(), Some("abc"));
        assert_eq!(
            d.value.management_addresses,
            vec![
                "10.0.0.1"
                    .parse::<IpAddr>()
                    .unwrap_or(IpAddr::from([0u8; 4]))
            ]
        );
        assert_eq!(d.value.mud_url.as_deref(), Some("htp"));
    }
}
