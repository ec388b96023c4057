//! The flow table: bidirectional transport conversations with counters and,
//! for TCP, per-direction reassembly and parser state.

use std::net::IpAddr;

use crate::app::Parser;
use crate::link::Vlan;
use crate::observe::{EndpointKey, FlowRecord, Timestamp, Transport};
use crate::reassembly::StreamBuffer;

/// Direction-independent identity of a flow: the two (IP, port) ends sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FlowKey {
    pub(crate) vlan: Option<Vlan>,
    pub(crate) transport: Transport,
    pub(crate) lo: (IpAddr, u16),
    pub(crate) hi: (IpAddr, u16),
}

impl FlowKey {
    pub(crate) fn new(
        vlan: Option<Vlan>,
        transport: Transport,
        a: (IpAddr, u16),
        b: (IpAddr, u16),
    ) -> Self {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        Self {
            vlan,
            transport,
            lo,
            hi,
        }
    }
}

/// One direction of a TCP flow.
#[derive(Debug, Default)]
pub(crate) struct Direction {
    pub(crate) stream: StreamBuffer,
    pub(crate) parser: Parser,
}

/// A live flow.
#[derive(Debug)]
pub(crate) struct Flow {
    pub(crate) record: FlowRecord,
    /// The initiator's (IP, port): packets from it go "to dst".
    pub(crate) initiator: (IpAddr, u16),
    /// TCP directions: `[initiator → responder, responder → initiator]`.
    pub(crate) tcp: Option<Box<[Direction; 2]>>,
}

impl Flow {
    pub(crate) fn new(
        transport: Transport,
        vlan: Option<Vlan>,
        src: (EndpointKey, u16),
        dst: (EndpointKey, u16),
        initiator: (IpAddr, u16),
        ts: Timestamp,
    ) -> Self {
        let record = FlowRecord {
            vlan,
            transport,
            src: src.0,
            src_port: src.1,
            dst: dst.0,
            dst_port: dst.1,
            protocol: None,
            packets_to_dst: 0,
            packets_to_src: 0,
            bytes_to_dst: 0,
            bytes_to_src: 0,
            first_seen: ts,
            last_seen: ts,
            continued: false,
        };
        Self {
            record,
            initiator,
            tcp: None,
        }
    }

    /// Heap bytes held by reassembly.
    pub(crate) fn memory(&self) -> usize {
        self.tcp
            .as_ref()
            .map_or(0, |d| d[0].stream.memory() + d[1].stream.memory())
    }

    /// Drops reassembly state (memory pressure, or the connection ended).
    pub(crate) fn release(&mut self) {
        if let Some(d) = self.tcp.as_mut() {
            for dir in d.iter_mut() {
                dir.stream.ignore();
                dir.parser = Parser::Done;
            }
        }
    }
}
