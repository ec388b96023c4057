//! Errors and diagnostics shared by all decoders.

use serde::Serialize;

/// A hard decoding failure: the bytes are not (or no longer) this protocol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input does not start like this protocol.
    #[error("not this protocol at byte {offset}: {expected}")]
    NotThisProtocol {
        /// Byte offset of the offending value.
        offset: usize,
        /// What was expected there.
        expected: &'static str,
    },
    /// A declared length is impossible (too small, or beyond a hard cap).
    #[error("invalid length {declared} at byte {offset}")]
    InvalidLength {
        /// Byte offset of the length field.
        offset: usize,
        /// The declared length.
        declared: u64,
    },
    /// A structure is malformed beyond lenient recovery.
    #[error("malformed {what} at byte {offset}")]
    Malformed {
        /// Byte offset of the structure.
        offset: usize,
        /// Which structure.
        what: &'static str,
    },
}

/// Something odd found while decoding; the value is still usable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// Byte offset in the decoder's input where the oddity was found.
    pub offset: usize,
    /// What was odd.
    pub kind: DiagnosticKind,
}

impl Diagnostic {
    /// An item at `offset` claims `declared` bytes where `available` remain.
    pub fn truncated(offset: usize, declared: usize, available: usize) -> Self {
        Self {
            offset,
            kind: DiagnosticKind::Truncated {
                declared,
                available,
            },
        }
    }
}

/// The kinds of [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// An item claims more bytes than are present; decoding stopped there.
    Truncated {
        /// Bytes the item declared.
        declared: usize,
        /// Bytes available.
        available: usize,
    },
    /// An item type this decoder does not know; it was skipped.
    UnknownItem {
        /// The item's type code.
        item_type: u16,
    },
    /// A fixed-size item had an unexpected length.
    UnexpectedLength {
        /// Expected length.
        expected: usize,
        /// Actual length.
        actual: usize,
    },
    /// Text that is not valid UTF-8/ASCII; it was decoded lossily.
    InvalidText,
    /// More items than the decoder keeps; the rest were dropped.
    TooManyItems {
        /// The limit.
        limit: usize,
    },
    /// Bytes were skipped to resynchronise.
    SkippedBytes {
        /// How many.
        count: usize,
    },
}

/// A decoded value plus the diagnostics collected while decoding it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decoded<T> {
    /// The value.
    pub value: T,
    /// What was odd on the way.
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Decoded<T> {
    /// Wraps a value with its diagnostics.
    pub fn new(value: T, diagnostics: Vec<Diagnostic>) -> Self {
        Self { value, diagnostics }
    }
}
