//! TLS ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): the server name
//! (SNI, RFC 6066 §3) and ALPN protocols (RFC 7301 §3.1).

use serde::Serialize;

use crate::util::{Cursor, text};
use crate::{DecodeError, Decoded, Diagnostic};

/// What a ClientHello tells about the client and where it connects.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ClientHello {
    /// `legacy_version` of the ClientHello.
    pub version: u16,
    /// Server name indication (host_name).
    pub server_name: Option<String>,
    /// ALPN protocol names offered.
    pub alpn: Vec<String>,
}

/// Whether `buf` starts like a TLS handshake record holding a ClientHello.
pub fn looks_like_client_hello(buf: &[u8]) -> bool {
    buf.first() == Some(&0x16)
        && buf.get(1) == Some(&3)
        && buf.get(2).is_some_and(|&v| v <= 4)
        && buf.get(5) == Some(&1)
}

/// Decodes the ClientHello in the first TLS record of `buf`; returns it and
/// the record length. `Ok(None)` until the whole record has arrived.
pub fn parse_client_hello(
    buf: &[u8],
) -> Result<Option<(Decoded<ClientHello>, usize)>, DecodeError> {
    if buf.len() < 6 {
        return Ok(None);
    }
    if !looks_like_client_hello(buf) {
        return Err(DecodeError::NotThisProtocol {
            offset: 0,
            expected: "TLS handshake record with ClientHello",
        });
    }
    let rec_len = usize::from(u16::from_be_bytes([buf[3], buf[4]]));
    let Some(rec) = buf.get(5..5 + rec_len) else {
        return Ok(None);
    };
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut c = Cursor::new(rec);
    let malformed = |what| DecodeError::Malformed { offset: 5, what };
    // Handshake type and 24-bit length; a ClientHello split over records is
    // read as far as this record goes.
    c.take(4).ok_or(malformed("handshake header"))?;
    let version = c.u16().ok_or(malformed("client_version"))?;
    let mut hello = ClientHello {
        version,
        ..ClientHello::default()
    };
    c.take(32).ok_or(malformed("random"))?;
    let sid = c.u8().ok_or(malformed("session id"))?;
    c.take(usize::from(sid)).ok_or(malformed("session id"))?;
    let cs = c.u16().ok_or(malformed("cipher suites"))?;
    c.take(usize::from(cs)).ok_or(malformed("cipher suites"))?;
    let cm = c.u8().ok_or(malformed("compression methods"))?;
    c.take(usize::from(cm))
        .ok_or(malformed("compression methods"))?;
    let Some(ext_len) = c.u16() else {
        return Ok(Some((Decoded::new(hello, diags), 5 + rec_len)));
    };
    let base = 5 + c.pos();
    let exts = c.take(usize::from(ext_len)).unwrap_or_else(|| c.rest());
    let mut e = Cursor::new(exts);
    while let (Some(ty), Some(len)) = (e.u16(), e.u16()) {
        let off = base + e.pos();
        let Some(v) = e.take(usize::from(len)) else {
            break;
        };
        match ty {
            0 => {
                // server_name_list: list length, then (type, length, name).
                let mut s = Cursor::new(v);
                let _ = s.u16();
                while let (Some(nt), Some(nl)) = (s.u8(), s.u16()) {
                    let Some(name) = s.take(usize::from(nl)) else {
                        break;
                    };
                    if nt == 0 {
                        hello.server_name = Some(text(name, off, &mut diags));
                        break;
                    }
                }
            }
            16 => {
                let mut s = Cursor::new(v);
                let _ = s.u16();
                while let Some(l) = s.u8() {
                    let Some(p) = s.take(usize::from(l)) else {
                        break;
                    };
                    if hello.alpn.len() < 16 {
                        hello.alpn.push(text(p, off, &mut diags));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(Some((Decoded::new(hello, diags), 5 + rec_len)))
}
