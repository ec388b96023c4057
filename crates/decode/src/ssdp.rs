//! SSDP (UPnP Device Architecture 2.0 §1): NOTIFY, M-SEARCH and search
//! responses over UDP 1900 — SERVER, USN, LOCATION, NT/ST, USER-AGENT.

use serde::Serialize;

use crate::http::header_lines;
use crate::util::text;
use crate::{DecodeError, Decoded};

/// The identifying headers of one SSDP message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct SsdpMessage {
    /// `NOTIFY`, `M-SEARCH` or `HTTP/1.1` (a search response).
    pub kind: String,
    /// `SERVER`: OS/version UPnP/version product/version.
    pub server: Option<String>,
    /// `USN`: unique service name (often carries the device UUID).
    pub usn: Option<String>,
    /// `LOCATION`: URL of the device description.
    pub location: Option<String>,
    /// `NT` or `ST`: the notification or search target.
    pub target: Option<String>,
    /// `USER-AGENT` (M-SEARCH).
    pub user_agent: Option<String>,
}

/// Decodes an SSDP datagram.
pub fn parse(buf: &[u8]) -> Result<Option<Decoded<SsdpMessage>>, DecodeError> {
    let kind = [b"NOTIFY ".as_slice(), b"M-SEARCH ", b"HTTP/1."]
        .into_iter()
        .find(|k| buf.starts_with(k))
        .ok_or(DecodeError::NotThisProtocol {
            offset: 0,
            expected: "SSDP start line",
        })?;
    let mut diags = Vec::new();
    let mut m = SsdpMessage {
        kind: String::from_utf8_lossy(kind)
            .trim_end_matches([' ', '.'])
            .to_owned(),
        ..SsdpMessage::default()
    };
    let head = &buf[..buf.len().min(crate::http::MAX_HEAD)];
    for (name, value, off) in header_lines(head) {
        let name = name.trim_ascii();
        let v = value.trim_ascii();
        let slot = if name.eq_ignore_ascii_case(b"server") {
            &mut m.server
        } else if name.eq_ignore_ascii_case(b"usn") {
            &mut m.usn
        } else if name.eq_ignore_ascii_case(b"location") {
            &mut m.location
        } else if name.eq_ignore_ascii_case(b"nt") || name.eq_ignore_ascii_case(b"st") {
            &mut m.target
        } else if name.eq_ignore_ascii_case(b"user-agent") {
            &mut m.user_agent
        } else {
            continue;
        };
        *slot = Some(text(v, off, &mut diags));
    }
    Ok(Some(Decoded::new(m, diags)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notify() {
        let m = b"NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nLOCATION: http://10.0.0.7:80/desc.xml\r\nNT: upnp:rootdevice\r\nUSN: uuid:abc::upnp:rootdevice\r\nSERVER: Linux/4.9 UPnP/1.0 Infusomat/2.1\r\n\r\n";
        let Ok(Some(d)) = parse(m) else {
            panic!("decode")
        };
        assert_eq!(d.value.kind, "NOTIFY");
        assert_eq!(
            d.value.server.as_deref(),
            Some("Linux/4.9 UPnP/1.0 Infusomat/2.1")
        );
        assert_eq!(d.value.usn.as_deref(), Some("uuid:abc::upnp:rootdevice"));
        assert_eq!(
            d.value.location.as_deref(),
            Some("http://10.0.0.7:80/desc.xml")
        );
    }
}
