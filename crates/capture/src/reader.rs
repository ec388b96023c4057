//! pcap (libpcap format) and pcapng (draft-ietf-opsawg-pcapng) reading with
//! `pcap-parser`, streaming, with per-interface link types and timestamps.

use std::io::Read;

use pcap_parser::pcapng::Block;
use pcap_parser::{PcapBlockOwned, PcapError, create_reader};
use serde::Serialize;

use crate::CaptureError;
use crate::observe::Timestamp;

/// Initial read buffer; grown when one block is larger.
const BUFFER: usize = 256 << 10;
/// Largest block we grow the buffer for; bigger blocks end the read.
const MAX_BUFFER: usize = 256 << 20;

/// One captured frame as stored in the file.
#[derive(Debug, Clone, Copy)]
pub struct RawPacket<'a> {
    /// Link type (LINKTYPE_*), masked to 16 bits: the upper bits are flags.
    pub linktype: u16,
    /// Capture time.
    pub timestamp: Timestamp,
    /// Captured bytes.
    pub data: &'a [u8],
    /// Original length on the wire.
    pub orig_len: u32,
}

/// What happened while reading a capture.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadSummary {
    /// Packets delivered (pcap records, pcapng EPB/SPB blocks).
    pub packets: u64,
    /// Captured bytes delivered.
    pub bytes: u64,
    /// Whether the file is pcapng.
    pub pcapng: bool,
    /// Whether reading stopped early (truncated or corrupt block).
    pub truncated: bool,
    /// Packets whose interface was never described (pcapng).
    pub unknown_interface: u64,
}

#[derive(Clone, Copy)]
struct Interface {
    linktype: u16,
    /// Timestamp units per second.
    resolution: u64,
    offset_secs: i64,
}

fn ticks_to_ts(ticks: u64, iface: &Interface) -> Timestamp {
    let res = u128::from(iface.resolution.max(1));
    let nanos = u128::from(ticks) * 1_000_000_000 / res;
    let off = i128::from(iface.offset_secs) * 1_000_000_000;
    let v = (nanos as i128 + off).clamp(0, i128::from(u64::MAX));
    Timestamp(u64::try_from(v).unwrap_or(u64::MAX))
}

/// Reads every packet of a pcap or pcapng capture and hands it to `f`.
///
/// Lenient: a truncated or corrupt tail ends the read with
/// [`ReadSummary::truncated`] set; only an unrecognisable header is an error.
pub fn for_each_packet<R, F>(input: R, mut f: F) -> Result<ReadSummary, CaptureError>
where
    R: Read + Send,
    F: FnMut(RawPacket<'_>),
{
    let mut reader = match create_reader(BUFFER, input) {
        Ok(r) => r,
        Err(PcapError::Incomplete(_) | PcapError::Eof | PcapError::UnexpectedEof) => {
            return Err(CaptureError::TruncatedHeader);
        }
        Err(PcapError::ReadError) => return Err(CaptureError::Read { offset: 0 }),
        Err(_) => return Err(CaptureError::NotACapture),
    };
    let mut sum = ReadSummary::default();
    let mut legacy = Interface {
        linktype: 1,
        resolution: 1_000_000,
        offset_secs: 0,
    };
    let mut ifaces: Vec<Interface> = Vec::new();
    let mut capacity = BUFFER;
    let mut last_ts = Timestamp(0);
    // Guards against a reader that reports "incomplete" without progressing.
    let mut stalls = 0u32;
    loop {
        match reader.next() {
            Ok((used, block)) => {
                match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        legacy.linktype = (h.network.0 & 0xFFFF) as u16;
                        legacy.resolution = if h.is_nanosecond_precision() {
                            1_000_000_000
                        } else {
                            1_000_000
                        };
                    }
                    PcapBlockOwned::Legacy(b) => {
                        let frac = u64::from(b.ts_usec) * (1_000_000_000 / legacy.resolution);
                        let ts = Timestamp(u64::from(b.ts_sec) * 1_000_000_000 + frac);
                        last_ts = ts;
                        sum.packets += 1;
                        sum.bytes += b.data.len() as u64;
                        f(RawPacket {
                            linktype: legacy.linktype,
                            timestamp: ts,
                            data: b.data,
                            orig_len: b.origlen,
                        });
                    }
                    PcapBlockOwned::NG(Block::SectionHeader(_)) => {
                        sum.pcapng = true;
                        ifaces.clear();
                    }
                    PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                        ifaces.push(Interface {
                            linktype: (idb.linktype.0 & 0xFFFF) as u16,
                            resolution: idb.ts_resolution().unwrap_or(1_000_000),
                            offset_secs: idb.ts_offset(),
                        });
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                        sum.packets += 1;
                        sum.bytes += epb.data.len() as u64;
                        match ifaces.get(epb.if_id as usize) {
                            Some(iface) => {
                                let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                                let ts = ticks_to_ts(ticks, iface);
                                last_ts = ts;
                                f(RawPacket {
                                    linktype: iface.linktype,
                                    timestamp: ts,
                                    data: epb.data,
                                    orig_len: epb.origlen,
                                });
                            }
                            None => sum.unknown_interface += 1,
                        }
                    }
                    PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                        sum.packets += 1;
                        sum.bytes += spb.data.len() as u64;
                        // A simple packet has no timestamp; keep time monotonic.
                        match ifaces.first() {
                            Some(iface) => f(RawPacket {
                                linktype: iface.linktype,
                                timestamp: last_ts,
                                data: spb.data,
                                orig_len: spb.origlen,
                            }),
                            None => sum.unknown_interface += 1,
                        }
                    }
                    PcapBlockOwned::NG(_) => {}
                }
                // No shift here: `refill` shifts the (small) unread tail once
                // per buffer instead of on every block past the middle.
                reader.consume_noshift(used);
                stalls = 0;
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                stalls += 1;
                if stalls > 2 {
                    capacity = capacity.saturating_mul(2);
                    if capacity > MAX_BUFFER || !reader.grow(capacity) {
                        sum.truncated = true;
                        break;
                    }
                }
                if reader.reader_exhausted() && stalls > 1 {
                    sum.truncated = true;
                    break;
                }
                if reader.refill().is_err() {
                    sum.truncated = true;
                    break;
                }
            }
            Err(PcapError::BufferTooSmall) => {
                capacity = capacity.saturating_mul(2);
                if capacity > MAX_BUFFER || !reader.grow(capacity) {
                    sum.truncated = true;
                    break;
                }
                if reader.refill().is_err() {
                    sum.truncated = true;
                    break;
                }
            }
            Err(_) => {
                sum.truncated = true;
                break;
            }
        }
    }
    Ok(sum)
}
