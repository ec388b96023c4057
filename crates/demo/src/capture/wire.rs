//! Application payloads of the generated traffic, per their specifications:
//! DICOM upper-layer PDUs (PS3.8 §9.3), HL7 v2 messages in MLLP frames,
//! DHCPv4 requests (RFC 2131/2132) and LLDPDUs (IEEE 802.1AB §8).

fn item(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![kind, 0];
    v.extend_from_slice(&u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes());
    v.extend_from_slice(body);
    v
}

/// A PDU of `kind` with `body` (PS3.8 §9.3.1).
pub fn pdu(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![kind, 0];
    v.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes());
    v.extend_from_slice(body);
    v
}

/// An AE title: at most 16 bytes, padded with spaces.
fn ae(title: &str) -> [u8; 16] {
    let mut a = [b' '; 16];
    for (d, s) in a.iter_mut().zip(title.bytes()) {
        *d = s;
    }
    a
}

/// Who an association is between and what the requestor implements.
pub struct Association<'a> {
    /// Called AE title.
    pub called: &'a str,
    /// Calling AE title.
    pub calling: &'a str,
    /// The one abstract syntax proposed.
    pub sop_class: &'a str,
    /// Implementation class UID.
    pub class_uid: &'a str,
    /// Implementation version name.
    pub version: &'a str,
}

/// A-ASSOCIATE-RQ (`rq`) or -AC (PS3.8 §9.3.2/9.3.3).
pub fn associate(rq: bool, a: &Association<'_>) -> Vec<u8> {
    let mut body = vec![0, 1, 0, 0];
    body.extend_from_slice(&ae(a.called));
    body.extend_from_slice(&ae(a.calling));
    body.extend_from_slice(&[0; 32]);
    body.extend(item(0x10, b"1.2.840.10008.3.1.1.1"));
    let transfer = item(0x40, b"1.2.840.10008.1.2.1");
    let mut p = vec![1, 0, 0, 0];
    if rq {
        p.extend(item(0x30, a.sop_class.as_bytes()));
        p.extend(transfer);
        body.extend(item(0x20, &p));
    } else {
        p.extend(transfer);
        body.extend(item(0x21, &p));
    }
    let mut user = item(0x51, &16_384u32.to_be_bytes());
    user.extend(item(0x52, a.class_uid.as_bytes()));
    user.extend(item(0x55, a.version.as_bytes()));
    body.extend(item(0x50, &user));
    pdu(if rq { 0x01 } else { 0x02 }, &body)
}

/// P-DATA-TF with one PDV of `len` bytes of `fill` (image data).
pub fn p_data(len: usize, last: bool, fill: u8) -> Vec<u8> {
    let mut pdv = Vec::with_capacity(len + 6);
    pdv.extend_from_slice(&u32::try_from(len + 2).unwrap_or(u32::MAX).to_be_bytes());
    pdv.push(1);
    pdv.push(if last { 0x02 } else { 0x00 });
    pdv.resize(len + 6, fill);
    pdu(0x04, &pdv)
}

/// A-RELEASE-RQ (`rq`) or -RP.
pub fn release(rq: bool) -> Vec<u8> {
    pdu(if rq { 0x05 } else { 0x06 }, &[0; 4])
}

/// `segments` (without terminators) as one HL7 v2 message in an MLLP
/// frame: `<VT> message <FS><CR>`, segments ended by `<CR>`.
pub fn mllp(segments: &[String]) -> Vec<u8> {
    let mut v = vec![0x0b];
    for s in segments {
        v.extend_from_slice(s.as_bytes());
        v.push(b'\r');
    }
    v.extend_from_slice(&[0x1c, b'\r']);
    v
}

/// A DHCPREQUEST from `mac` for `requested` with host name (option 12),
/// vendor class (60) and client identifier (61, type 1: the MAC).
pub fn dhcp_request(
    xid: u32,
    mac: [u8; 6],
    requested: [u8; 4],
    host: &str,
    class: &str,
) -> Vec<u8> {
    let mut d = vec![1u8, 1, 6, 0];
    d.extend_from_slice(&xid.to_be_bytes());
    d.extend_from_slice(&[0; 20]);
    d.extend_from_slice(&mac);
    d.extend_from_slice(&[0; 10 + 64 + 128]);
    d.extend_from_slice(&[99, 130, 83, 99, 53, 1, 3]);
    let mut option = |code: u8, value: &[u8]| {
        d.push(code);
        d.push(u8::try_from(value.len()).unwrap_or(u8::MAX));
        d.extend_from_slice(&value[..value.len().min(255)]);
    };
    option(50, &requested);
    let mut client_id = vec![1];
    client_id.extend_from_slice(&mac);
    option(61, &client_id);
    option(12, host.as_bytes());
    option(60, class.as_bytes());
    d.push(255);
    d
}

fn tlv(kind: u8, value: &[u8]) -> Vec<u8> {
    // Type in the top 7 bits, length in the low 9 (at most 511 bytes).
    let len = value.len().min(511);
    let header = (u16::from(kind) << 9) | len as u16;
    let mut v = header.to_be_bytes().to_vec();
    v.extend_from_slice(&value[..len]);
    v
}

/// An LLDPDU: chassis id (MAC), port id (interface name), TTL, system name
/// and description, end.
pub fn lldpdu(mac: [u8; 6], port: &str, name: &str, description: &str) -> Vec<u8> {
    let mut chassis = vec![4];
    chassis.extend_from_slice(&mac);
    let mut port_id = vec![5];
    port_id.extend_from_slice(port.as_bytes());
    let mut v = tlv(1, &chassis);
    v.extend(tlv(2, &port_id));
    v.extend(tlv(3, &120u16.to_be_bytes()));
    v.extend(tlv(5, name.as_bytes()));
    v.extend(tlv(6, description.as_bytes()));
    v.extend(tlv(0, &[]));
    v
}
