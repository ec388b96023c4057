//! Cisco Discovery Protocol v1/v2 (Cisco's published CDP packet format):
//! device ID, software version, platform, port, capabilities, addresses.

use std::net::IpAddr;

use serde::Serialize;

use crate::util::{Cursor, be16, text};
use crate::{DecodeError, Decoded, Diagnostic, DiagnosticKind};

/// Most addresses kept per packet.
const MAX_ADDRS: usize = 16;

/// The identifying content of a CDP packet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct CdpInfo {
    /// CDP version (1 or 2).
    pub version: u8,
    /// Device-ID (type 0x0001).
    pub device_id: Option<String>,
    /// Port-ID (type 0x0003).
    pub port_id: Option<String>,
    /// Capabilities bit map (type 0x0004).
    pub capabilities: Option<u32>,
    /// Software version string (type 0x0005).
    pub software_version: Option<String>,
    /// Platform (type 0x0006).
    pub platform: Option<String>,
    /// IP addresses (type 0x0002) and management addresses (type 0x0016).
    pub addresses: Vec<IpAddr>,
    /// Native VLAN (type 0x000a).
    pub native_vlan: Option<u16>,
}

/// Decodes a CDP packet (the payload after the LLC/SNAP header with OUI
/// 00-00-0C and PID 0x2000).
pub fn parse(buf: &[u8]) -> Result<Option<Decoded<CdpInfo>>, DecodeError> {
    let Some(&version) = buf.first() else {
        return Ok(None);
    };
    if !(1..=2).contains(&version) {
        return Err(DecodeError::NotThisProtocol {
            offset: 0,
            expected: "CDP version 1 or 2",
        });
    }
    let mut info = CdpInfo {
        version,
        ..CdpInfo::default()
    };
    let mut diags = Vec::new();
    let mut pos = 4usize;
    while let (Some(ty), Some(len)) = (be16(buf, pos), be16(buf, pos + 2)) {
        let off = pos;
        let len = usize::from(len);
        if len < 4 {
            diags.push(Diagnostic {
                offset: off + 2,
                kind: DiagnosticKind::UnexpectedLength {
                    expected: 4,
                    actual: len,
                },
            });
            break;
        }
        let Some(v) = buf.get(pos + 4..pos + len) else {
            diags.push(Diagnostic::truncated(off, len, buf.len() - pos));
            break;
        };
        pos += len;
        let voff = off + 4;
        match ty {
            0x0001 => info.device_id = Some(text(v, voff, &mut diags)),
            0x0002 | 0x0016 => addresses(v, &mut info.addresses, voff, &mut diags),
            0x0003 => info.port_id = Some(text(v, voff, &mut diags)),
            0x0004 => info.capabilities = crate::util::be32(v, 0),
            0x0005 => info.software_version = Some(text(v, voff, &mut diags)),
            0x0006 => info.platform = Some(text(v, voff, &mut diags)),
            0x000a => info.native_vlan = be16(v, 0),
            _ => {}
        }
    }
    Ok(Some(Decoded::new(info, diags)))
}

/// Address list: count, then (protocol type, protocol length, protocol,
/// address length, address); NLPID 0xCC is IPv4, an 802.2 SNAP
/// protocol ending in 0x86DD is IPv6.
fn addresses(v: &[u8], out: &mut Vec<IpAddr>, off: usize, diags: &mut Vec<Diagnostic>) {
    let mut c = Cursor::new(v);
    let Some(n) = c.u32() else { return };
    for _ in 0..n.min(64) {
        let (Some(_pt), Some(pl)) = (c.u8(), c.u8()) else {
            break;
        };
        let (Some(proto), Some(al)) = (c.take(usize::from(pl)), c.u16()) else {
            break;
        };
        let Some(addr) = c.take(usize::from(al)) else {
            diags.push(Diagnostic::truncated(
                off + c.pos(),
                usize::from(al),
                c.remaining(),
            ));
            break;
        };
        let ip = match (proto, addr.len()) {
            ([0xcc], 4) => <[u8; 4]>::try_from(addr).ok().map(IpAddr::from),
            ([.., 0x86, 0xdd], 16) => <[u8; 16]>::try_from(addr).ok().map(IpAddr::from),
            _ => None,
        };
        if let Some(ip) = ip {
            if out.len() >= MAX_ADDRS {
                diags.push(Diagnostic {
                    offset: off,
                    kind: DiagnosticKind::TooManyItems { limit: MAX_ADDRS },
                });
                break;
            }
            if !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
}
