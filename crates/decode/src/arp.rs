//! ARP for IPv4 over Ethernet (RFC 826).

use std::net::Ipv4Addr;

use serde::Serialize;

use crate::DecodeError;
use crate::util::{MacAddr, be16};

/// An ARP request or reply binding MACs to IPv4 addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ArpPacket {
    /// 1 = request, 2 = reply.
    pub operation: u16,
    /// Sender hardware address.
    pub sender_mac: MacAddr,
    /// Sender protocol address.
    pub sender_ip: Ipv4Addr,
    /// Target hardware address.
    pub target_mac: MacAddr,
    /// Target protocol address.
    pub target_ip: Ipv4Addr,
}

/// Decodes an Ethernet/IPv4 ARP packet; `Ok(None)` when shorter than 28 bytes.
pub fn parse(buf: &[u8]) -> Result<Option<ArpPacket>, DecodeError> {
    if buf.len() < 28 {
        return Ok(None);
    }
    if be16(buf, 0) != Some(1) || be16(buf, 2) != Some(0x0800) || buf[4] != 6 || buf[5] != 4 {
        return Err(DecodeError::NotThisProtocol {
            offset: 0,
            expected: "ARP Ethernet/IPv4",
        });
    }
    let ip = |o: usize| -> Ipv4Addr {
        <[u8; 4]>::try_from(&buf[o..o + 4])
            .map(Ipv4Addr::from)
            .unwrap_or(Ipv4Addr::UNSPECIFIED)
    };
    let mac = |o: usize| MacAddr::from_slice(&buf[o..]).unwrap_or_default();
    Ok(Some(ArpPacket {
        operation: be16(buf, 6).unwrap_or(0),
        sender_mac: mac(8),
        sender_ip: ip(14),
        target_mac: mac(18),
        target_ip: ip(24),
    }))
}
