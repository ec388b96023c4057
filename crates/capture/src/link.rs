//! Link layers: Ethernet II / 802.3 LLC-SNAP with 802.1Q/802.1ad tags and
//! PPPoE sessions,
//! BSD NULL/LOOP, Linux SLL/SLL2 and raw IP (tcpdump.org link-layer header
//! types registry).

use medvigil_decode::MacAddr;
use serde::Serialize;

/// Pseudo ethertype for CDP carried in 802.3 LLC/SNAP (OUI 00-00-0C, PID 0x2000).
pub const ETHERTYPE_CDP: u16 = 0x2000;
/// Pseudo ethertype for a payload that is raw IP of unknown version.
const ETHERTYPE_RAW_IP: u16 = 0xFFFF;

const ETH_IPV4: u16 = 0x0800;
const ETH_IPV6: u16 = 0x86DD;

/// The VLAN a frame was tagged with: outer tag, and the inner one for QinQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Vlan {
    /// Outer (or only) VLAN ID.
    pub id: u16,
    /// Inner VLAN ID of a double-tagged frame.
    pub inner: Option<u16>,
}

/// A frame with its link layer removed.
#[derive(Debug, Clone, Copy)]
pub struct LinkFrame<'a> {
    /// Source MAC, where the link layer has one.
    pub src_mac: Option<MacAddr>,
    /// Destination MAC, where the link layer has one.
    pub dst_mac: Option<MacAddr>,
    /// VLAN tags.
    pub vlan: Option<Vlan>,
    /// EtherType of the payload (or [`ETHERTYPE_CDP`]).
    pub ethertype: u16,
    /// The payload.
    pub payload: &'a [u8],
}

/// Sniffs the IP version of a raw IP payload.
fn ip_ethertype(p: &[u8]) -> u16 {
    match p.first().map(|b| b >> 4) {
        Some(4) => ETH_IPV4,
        Some(6) => ETH_IPV6,
        _ => ETHERTYPE_RAW_IP,
    }
}

/// A frame without link-layer addresses (loopback, raw IP).
fn bare(payload: &[u8]) -> LinkFrame<'_> {
    LinkFrame {
        src_mac: None,
        dst_mac: None,
        vlan: None,
        ethertype: ip_ethertype(payload),
        payload,
    }
}

/// Strips the link layer of `linktype` (masked to 16 bits); `None` for link
/// types we do not handle or frames too short for their header.
pub fn decode_link(linktype: u16, data: &[u8]) -> Option<LinkFrame<'_>> {
    match linktype {
        1 => ethernet(data),
        // NULL (host byte order family) and LOOP (network order): sniff the IP version.
        0 | 108 => data.get(4..).map(bare),
        // RAW (101, and 12/14 on some BSDs), IPV4 (228), IPV6 (229).
        12 | 14 | 101 | 228 | 229 => Some(bare(data)),
        113 => sll(data),
        276 => sll2(data),
        _ => None,
    }
}

fn be16(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(o)?, *d.get(o + 1)?]))
}

fn ethernet(data: &[u8]) -> Option<LinkFrame<'_>> {
    let dst_mac = MacAddr::from_slice(data)?;
    let src_mac = MacAddr::from_slice(data.get(6..)?)?;
    let mut ethertype = be16(data, 12)?;
    let mut pos = 14;
    let mut tags: [Option<u16>; 2] = [None, None];
    let mut n = 0;
    // 802.1Q, 802.1ad and the pre-standard 0x9100 QinQ; at most 4 tags walked.
    while matches!(ethertype, 0x8100 | 0x88a8 | 0x9100) && n < 4 {
        let tci = be16(data, pos)?;
        if let Some(slot) = tags.get_mut(n) {
            *slot = Some(tci & 0x0fff);
        }
        ethertype = be16(data, pos + 2)?;
        pos += 4;
        n += 1;
    }
    let vlan = tags[0].map(|id| Vlan { id, inner: tags[1] });
    let mut payload = data.get(pos..)?;
    if ethertype == 0x8864 {
        // PPPoE session (RFC 2516 §4): 6-byte header, then the PPP protocol
        // (RFC 1661): 0x0021 IPv4, 0x0057 IPv6.
        ethertype = match be16(payload, 6)? {
            0x0021 => ETH_IPV4,
            0x0057 => ETH_IPV6,
            _ => 0,
        };
        payload = payload.get(8..)?;
    }
    if ethertype < 0x0600 {
        // 802.3 length field: LLC follows; only SNAP is understood.
        payload = payload.get(..usize::from(ethertype).min(payload.len()))?;
        match payload.get(..8) {
            Some([0xaa, 0xaa, 0x03, o1, o2, o3, p1, p2]) => {
                let pid = u16::from_be_bytes([*p1, *p2]);
                ethertype = if [*o1, *o2, *o3] == [0, 0, 0x0c] && pid == 0x2000 {
                    ETHERTYPE_CDP
                } else {
                    pid
                };
                payload = payload.get(8..)?;
            }
            _ => ethertype = 0,
        }
    }
    Some(LinkFrame {
        src_mac: Some(src_mac),
        dst_mac: Some(dst_mac),
        vlan,
        ethertype,
        payload,
    })
}

/// Linux cooked v1: packet type, ARPHRD type, address length, 8-byte address, protocol.
fn sll(data: &[u8]) -> Option<LinkFrame<'_>> {
    let hatype = be16(data, 2)?;
    let alen = be16(data, 4)?;
    let proto = be16(data, 14)?;
    let payload = data.get(16..)?;
    cooked(hatype, alen, data.get(6..14)?, proto, payload)
}

/// Linux cooked v2: protocol, reserved, ifindex, ARPHRD type, packet type, address length, address.
fn sll2(data: &[u8]) -> Option<LinkFrame<'_>> {
    let proto = be16(data, 0)?;
    let hatype = be16(data, 8)?;
    let alen = u16::from(*data.get(11)?);
    let payload = data.get(20..)?;
    cooked(hatype, alen, data.get(12..20)?, proto, payload)
}

fn cooked<'a>(
    hatype: u16,
    alen: u16,
    addr: &[u8],
    proto: u16,
    payload: &'a [u8],
) -> Option<LinkFrame<'a>> {
    let src_mac = if hatype == 1 && alen == 6 {
        MacAddr::from_slice(addr)
    } else {
        None
    };
    // Loopback and tunnel devices put odd values in the protocol field;
    // fall back to sniffing the IP version.
    let ethertype = match proto {
        ETH_IPV4 | ETH_IPV6 => proto,
        p if p >= 0x0600 && hatype != 772 => p,
        _ => ip_ethertype(payload),
    };
    Some(LinkFrame {
        src_mac,
        dst_mac: None,
        vlan: None,
        ethertype,
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qinq_and_snap() {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[
            0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x14, 0x08, 0x00, 0x45,
        ]);
        let Some(l) = decode_link(1, &f) else {
            panic!()
        };
        assert_eq!(
            l.vlan,
            Some(Vlan {
                id: 10,
                inner: Some(20)
            })
        );
        assert_eq!(l.ethertype, 0x0800);
        let mut c = vec![1, 0, 0x0c, 0xcc, 0xcc, 0xcc, 0, 1, 2, 3, 4, 5, 0, 10];
        c.extend_from_slice(&[0xaa, 0xaa, 3, 0, 0, 0x0c, 0x20, 0x00, 2, 180]);
        assert_eq!(
            decode_link(1, &c).map(|l| (l.ethertype, l.payload.len())),
            Some((ETHERTYPE_CDP, 2))
        );
        assert!(decode_link(1, &[0; 5]).is_none());
        assert!(decode_link(999, &[0; 50]).is_none());
    }
}
