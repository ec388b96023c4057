//! One direction of a TCP byte stream (RFC 9293 §3.4 sequence numbers),
//! reassembled in order with bounded memory.
//!
//! Policy: the first delivered copy of a byte wins (retransmissions and
//! overlaps are trimmed against what was already delivered); out-of-order
//! segments wait in a small bounded list and are delivered in sequence order,
//! so among overlapping held segments the one starting earlier wins; when the
//! list is full the stream jumps over the gap and reports it. A consumer can ask to skip bytes it does not need (DICOM
//! P-DATA bodies): those are counted but never copied.

use serde::Serialize;

/// Per-direction memory caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StreamLimits {
    /// Most contiguous bytes held waiting for a decoder.
    pub max_buffer: usize,
    /// Most bytes held in out-of-order segments.
    pub max_out_of_order_bytes: usize,
    /// Most out-of-order segments held.
    pub max_out_of_order_segments: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        Self {
            max_buffer: 1 << 20,
            max_out_of_order_bytes: 256 << 10,
            max_out_of_order_segments: 64,
        }
    }
}

/// Counters of what reassembly did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StreamStats {
    /// Bytes delivered in order (buffered or skipped).
    pub delivered: u64,
    /// Bytes dropped as already delivered (retransmission, overlap).
    pub duplicate: u64,
    /// Gaps jumped over because out-of-order storage was full.
    pub gaps: u64,
}

/// Result of [`StreamBuffer::push`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// Data accepted (possibly partly as duplicate, or held out of order).
    Accepted,
    /// The stream jumped over missing bytes; buffered data was discarded
    /// because its continuation is lost.
    Gap,
    /// The contiguous buffer would exceed its cap; the stream now ignores data.
    Overflow,
}

/// One reassembled direction of a TCP connection.
#[derive(Debug, Default)]
pub struct StreamBuffer {
    next_seq: Option<u32>,
    buf: Vec<u8>,
    head: usize,
    skip: u64,
    ooo: Vec<(u32, Vec<u8>)>,
    ooo_bytes: usize,
    ignoring: bool,
    stats: StreamStats,
}

/// Signed distance from `b` to `a` in sequence space (RFC 9293 §3.4 modular
/// comparison).
fn seq_diff(a: u32, b: u32) -> i64 {
    i64::from(a.wrapping_sub(b) as i32)
}

/// Capacity above which an emptied buffer is released.
const SHRINK_ABOVE: usize = 64 << 10;

impl StreamBuffer {
    /// A stream whose first byte is the first one pushed (or SYN + 1).
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the SYN's sequence number, so data starts at `seq + 1`.
    pub fn syn(&mut self, seq: u32) {
        if self.next_seq.is_none() {
            self.next_seq = Some(seq.wrapping_add(1));
        }
    }

    /// Bytes available to the decoder, in stream order.
    pub fn data(&self) -> &[u8] {
        self.buf.get(self.head..).unwrap_or(&[])
    }

    /// Drops `n` bytes from the front; beyond what is buffered, the next
    /// arriving bytes are skipped without being copied.
    pub fn consume(&mut self, n: u64) {
        let avail = self.data().len();
        if n >= avail as u64 {
            self.skip = self.skip.saturating_add(n - avail as u64);
            self.buf.clear();
            self.head = 0;
            if self.buf.capacity() > SHRINK_ABOVE {
                self.buf = Vec::new();
            }
            return;
        }
        self.head += n as usize;
        // Compact once the dead prefix dominates, amortising the copy.
        if self.head > self.buf.len() / 2 {
            self.buf.drain(..self.head);
            self.head = 0;
        }
    }

    /// Stops buffering for good and frees memory; later data is only counted.
    pub fn ignore(&mut self) {
        self.ignoring = true;
        self.buf = Vec::new();
        self.head = 0;
        self.ooo = Vec::new();
        self.ooo_bytes = 0;
    }

    /// Whether the stream no longer buffers.
    pub fn is_ignoring(&self) -> bool {
        self.ignoring
    }

    /// Heap bytes held.
    pub fn memory(&self) -> usize {
        self.buf.capacity() + self.ooo_bytes
    }

    /// What reassembly did so far.
    pub fn stats(&self) -> StreamStats {
        self.stats
    }

    /// Adds a segment starting at sequence number `seq`.
    pub fn push(&mut self, seq: u32, data: &[u8], lim: &StreamLimits) -> PushOutcome {
        if self.ignoring || data.is_empty() {
            return PushOutcome::Accepted;
        }
        let next = *self.next_seq.get_or_insert(seq);
        let diff = seq_diff(seq, next);
        let mut outcome = PushOutcome::Accepted;
        if diff <= 0 {
            let dup = usize::try_from(-diff).unwrap_or(usize::MAX);
            if dup >= data.len() {
                self.stats.duplicate += data.len() as u64;
                return outcome;
            }
            self.stats.duplicate += dup as u64;
            outcome = self.deliver(data.get(dup..).unwrap_or(&[]), lim);
        } else {
            let fits = self.ooo.len() < lim.max_out_of_order_segments
                && self.ooo_bytes + data.len() <= lim.max_out_of_order_bytes;
            if !fits {
                // Storage full: the missing bytes are not coming in time.
                // Jump to the earliest held segment (or to this one), then
                // retry; each round empties storage further, so it ends.
                self.jump_gap();
                if self.ooo.is_empty() {
                    self.next_seq = Some(seq);
                }
                if self.drain_out_of_order(lim) == PushOutcome::Overflow {
                    return PushOutcome::Overflow;
                }
                return match self.push(seq, data, lim) {
                    PushOutcome::Overflow => PushOutcome::Overflow,
                    _ => PushOutcome::Gap,
                };
            }
            self.ooo_bytes += data.len();
            self.ooo.push((seq, data.to_vec()));
        }
        if outcome != PushOutcome::Overflow && self.drain_out_of_order(lim) == PushOutcome::Overflow
        {
            return PushOutcome::Overflow;
        }
        outcome
    }

    /// Moves the stream to the earliest held segment, dropping buffered data.
    fn jump_gap(&mut self) {
        self.stats.gaps += 1;
        self.buf.clear();
        self.head = 0;
        self.skip = 0;
        let Some(next) = self.next_seq else { return };
        if let Some(earliest) = self
            .ooo
            .iter()
            .map(|(s, _)| *s)
            .min_by_key(|s| seq_diff(*s, next))
        {
            self.next_seq = Some(earliest);
        }
    }

    fn drain_out_of_order(&mut self, lim: &StreamLimits) -> PushOutcome {
        loop {
            let Some(next) = self.next_seq else {
                return PushOutcome::Accepted;
            };
            let Some(i) = self.ooo.iter().position(|(s, _)| seq_diff(*s, next) <= 0) else {
                return PushOutcome::Accepted;
            };
            let (seq, seg) = self.ooo.swap_remove(i);
            self.ooo_bytes -= seg.len();
            let dup = usize::try_from(-seq_diff(seq, next)).unwrap_or(usize::MAX);
            if dup >= seg.len() {
                self.stats.duplicate += seg.len() as u64;
                continue;
            }
            self.stats.duplicate += dup as u64;
            if self.deliver(seg.get(dup..).unwrap_or(&[]), lim) == PushOutcome::Overflow {
                return PushOutcome::Overflow;
            }
        }
    }

    fn deliver(&mut self, data: &[u8], lim: &StreamLimits) -> PushOutcome {
        let len = data.len();
        self.next_seq = self.next_seq.map(|n| n.wrapping_add(len as u32));
        self.stats.delivered += len as u64;
        let k = usize::try_from(self.skip).unwrap_or(usize::MAX).min(len);
        self.skip -= k as u64;
        let rest = data.get(k..).unwrap_or(&[]);
        if rest.is_empty() {
            return PushOutcome::Accepted;
        }
        if self.data().len() + rest.len() > lim.max_buffer {
            self.ignore();
            return PushOutcome::Overflow;
        }
        self.buf.extend_from_slice(rest);
        PushOutcome::Accepted
    }
}
