//! Capture errors.

/// Why a capture could not be read at all (damage later in a file ends the
/// read leniently and is reported in [`crate::ReadSummary`] instead).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The input is neither pcap nor pcapng.
    #[error("not a pcap or pcapng capture")]
    NotACapture,
    /// The input ended before the file header was complete.
    #[error("capture header truncated")]
    TruncatedHeader,
    /// Reading the underlying input failed.
    #[error("read error at byte {offset}")]
    Read {
        /// Bytes consumed before the failure.
        offset: u64,
    },
}
