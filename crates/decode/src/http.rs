//! HTTP/1.x message heads (RFC 9112 §2–3, §5): the names a device gives
//! itself (User-Agent, Server) and the Host it talks to.
//!
//! The request target is deliberately not kept: query strings can carry
//! patient identifiers.

use serde::Serialize;

use crate::util::text;
use crate::{DecodeError, Decoded, Diagnostic};

/// Largest message head we wait for; beyond this the stream is not HTTP we
/// care about.
pub const MAX_HEAD: usize = 16 * 1024;

const METHODS: &[&[u8]] = &[
    b"GET ",
    b"POST ",
    b"PUT ",
    b"HEAD ",
    b"DELETE ",
    b"OPTIONS ",
    b"PATCH ",
    b"CONNECT ",
    b"TRACE ",
    b"NOTIFY ",
    b"M-SEARCH ",
    b"SUBSCRIBE ",
];

/// Whether `buf` starts like an HTTP/1.x request or response.
pub fn looks_like_http(buf: &[u8]) -> bool {
    buf.starts_with(b"HTTP/1.") || METHODS.iter().any(|m| buf.starts_with(m))
}

/// The start line of a head.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum StartLine {
    /// A request with its method.
    Request {
        /// The method token.
        method: String,
    },
    /// A response with its status code.
    Response {
        /// The status code.
        status: u16,
    },
}

/// The identifying headers of one HTTP/1.x message head.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct HttpHead {
    /// Request or response.
    pub start: StartLine,
    /// `Host`.
    pub host: Option<String>,
    /// `User-Agent`.
    pub user_agent: Option<String>,
    /// `Server`.
    pub server: Option<String>,
    /// `Content-Length`, to skip the body.
    pub content_length: Option<u64>,
    /// Whether the body uses chunked transfer coding.
    pub chunked: bool,
}

/// Splits a head into `(name, value, offset)` header lines after the start line.
pub(crate) fn header_lines(head: &[u8]) -> impl Iterator<Item = (&[u8], &[u8], usize)> {
    let mut off = 0usize;
    head.split(|&b| b == b'\n').skip(1).filter_map(move |line| {
        let start = off;
        off += line.len() + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let colon = line.iter().position(|&b| b == b':')?;
        let (name, value) = (line.get(..colon)?, line.get(colon + 1..)?);
        Some((name, value, start))
    })
}

/// Decodes the head at the start of `buf`, returning it and its length
/// (through the blank line). `Ok(None)` until the blank line has arrived.
pub fn parse(buf: &[u8]) -> Result<Option<(Decoded<HttpHead>, usize)>, DecodeError> {
    if !looks_like_http(buf) {
        if buf.len() >= 8
            || !(METHODS.iter().any(|m| m.starts_with(buf)) || b"HTTP/1.".starts_with(buf))
        {
            return Err(DecodeError::NotThisProtocol {
                offset: 0,
                expected: "HTTP/1.x start line",
            });
        }
        return Ok(None);
    }
    let window = &buf[..buf.len().min(MAX_HEAD)];
    let Some(end) = window
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| p + 4)
    else {
        if buf.len() >= MAX_HEAD {
            return Err(DecodeError::InvalidLength {
                offset: 0,
                declared: buf.len() as u64,
            });
        }
        return Ok(None);
    };
    let head = &buf[..end];
    let mut diags: Vec<Diagnostic> = Vec::new();
    let first = head.split(|&b| b == b' ').next().unwrap_or(&[]);
    let start = if first.starts_with(b"HTTP/") {
        let code = head
            .get(9..12)
            .and_then(|c| std::str::from_utf8(c).ok())
            .and_then(|c| c.parse().ok());
        StartLine::Response {
            status: code.unwrap_or(0),
        }
    } else {
        StartLine::Request {
            method: text(first, 0, &mut diags),
        }
    };
    let mut h = HttpHead {
        start,
        host: None,
        user_agent: None,
        server: None,
        content_length: None,
        chunked: false,
    };
    for (name, value, off) in header_lines(head) {
        let v = || value.trim_ascii();
        if name.eq_ignore_ascii_case(b"host") {
            h.host = Some(text(v(), off, &mut diags));
        } else if name.eq_ignore_ascii_case(b"user-agent") {
            h.user_agent = Some(text(v(), off, &mut diags));
        } else if name.eq_ignore_ascii_case(b"server") {
            h.server = Some(text(v(), off, &mut diags));
        } else if name.eq_ignore_ascii_case(b"content-length") {
            h.content_length = std::str::from_utf8(v()).ok().and_then(|s| s.parse().ok());
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            h.chunked = v().windows(7).any(|w| w.eq_ignore_ascii_case(b"chunked"));
        }
    }
    Ok(Some((Decoded::new(h, diags), end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_response() {
        let Ok(Some((d, n))) =
            parse(b"GET /x?patient=1 HTTP/1.1\r\nHost: a.b\r\nUser-Agent: Pump/1.0\r\n\r\nbody")
        else {
            panic!()
        };
        assert_eq!(n, 62);
        assert_eq!(d.value.user_agent.as_deref(), Some("Pump/1.0"));
        assert!(!format!("{d:?}").contains("patient"));
        let Ok(Some((d, _))) =
            parse(b"HTTP/1.0 200 OK\r\nServer: Boa/0.94\r\nContent-Length: 5\r\n\r\n")
        else {
            panic!()
        };
        assert_eq!(d.value.start, StartLine::Response { status: 200 });
        assert_eq!(d.value.content_length, Some(5));
        assert_eq!(parse(b"GE").ok(), Some(None));
        assert!(parse(b"\x16\x03\x01").is_err());
    }
}
