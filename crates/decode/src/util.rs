//! Small byte-reading helpers that never panic.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::{Diagnostic, DiagnosticKind};

/// Longest text we keep from any single wire field; longer values are cut, so
/// a hostile packet cannot make the output grow without bound.
pub(crate) const MAX_TEXT: usize = 1024;

/// A forward-only reader over a byte slice; every read is bounds-checked.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1).and_then(|s| s.first().copied())
    }
    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|s| u16::from_be_bytes([s[0], s[1]]))
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let s = self.buf.get(self.pos..).unwrap_or(&[]);
        self.pos = self.buf.len();
        s
    }
}

/// Big-endian u16 at `off`, if present.
pub(crate) fn be16(buf: &[u8], off: usize) -> Option<u16> {
    let s = buf.get(off..off.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

/// Big-endian u32 at `off`, if present.
pub(crate) fn be32(buf: &[u8], off: usize) -> Option<u32> {
    let s = buf.get(off..off.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Decodes wire text lossily, trimmed of padding (spaces, NULs), capped at
/// [`MAX_TEXT`] bytes; records a diagnostic when it was not valid UTF-8.
pub(crate) fn text(raw: &[u8], offset: usize, diags: &mut Vec<Diagnostic>) -> String {
    let raw = &raw[..raw.len().min(MAX_TEXT)];
    let s = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => {
            diags.push(Diagnostic {
                offset,
                kind: DiagnosticKind::InvalidText,
            });
            String::from_utf8_lossy(raw).into_owned()
        }
    };
    let t = s.trim_matches(|c: char| c == ' ' || c == '\0' || c.is_ascii_control());
    if t.len() == s.len() { s } else { t.to_owned() }
}

/// An IEEE 802 MAC address (EUI-48).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// Reads a MAC from the first six bytes of `b`, if present.
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        let a: [u8; 6] = b.get(..6)?.try_into().ok()?;
        Some(Self(a))
    }
    /// Whether the group bit is set (multicast or broadcast), IEEE 802 §8.2.
    pub fn is_group(&self) -> bool {
        self.0[0] & 1 == 1
    }
    /// Whether the address is all zeros (unset).
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 6]
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            a[0], a[1], a[2], a[3], a[4], a[5]
        )
    }
}

impl fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for MacAddr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
