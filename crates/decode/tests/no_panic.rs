//! Random bytes never panic any decoder (proptest).

use medvigil_decode::{arp, cdp, dhcp, dicom, hl7, http, lldp, mdns, ssdp, tls};
use proptest::prelude::*;

fn all(b: &[u8]) {
    let _ = dicom::pdu_header(b);
    let _ = dicom::parse_pdu(b);
    let _ = dicom::looks_like_associate_rq(b);
    let _ = hl7::frame(b);
    let _ = hl7::parse_message(b);
    let _ = dhcp::parse(b);
    let _ = lldp::parse(b);
    let _ = cdp::parse(b);
    let _ = http::parse(b);
    let _ = tls::parse_client_hello(b);
    let _ = ssdp::parse(b);
    let _ = mdns::parse(b);
    let _ = arp::parse(b);
    let mut reg = medvigil_decode::oui::OuiRegistry::new();
    reg.add_csv(b);
}

/// Prefixes that steer random bytes into the decoders' deeper paths.
const PREFIXES: &[&[u8]] = &[
    b"",
    &[1, 0, 0, 0, 0, 80, 0, 1],
    &[2, 0, 0, 0, 0, 80, 0, 1],
    &[4, 0, 0, 0, 0, 20],
    b"MSH|^~\\&|",
    b"\x0bMSH|^~\\&|",
    b"GET / HTTP/1.1\r\n",
    b"NOTIFY * HTTP/1.1\r\n",
    &[0x16, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3],
    &[0, 0, 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0],
    &[2, 180, 0, 0, 0, 1, 0, 6],
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(prefix in 0..PREFIXES.len(), tail in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut b = PREFIXES[prefix].to_vec();
        b.extend_from_slice(&tail);
        all(&b);
    }

    #[test]
    fn dhcp_with_cookie_never_panics(opts in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut b = vec![0u8; 236];
        b[0] = 1;
        b.extend_from_slice(&[99, 130, 83, 99]);
        b.extend_from_slice(&opts);
        all(&b);
    }

    #[test]
    fn hl7_random_segments_never_panic(segs in proptest::collection::vec("[A-Z0-9|^~\\\\&\\r]{0,40}", 0..10)) {
        let mut b = b"MSH|^~\\&|".to_vec();
        for s in segs {
            b.extend_from_slice(s.as_bytes());
        }
        all(&b);
    }
}
