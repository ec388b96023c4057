//! The analyzer: packets in, observations out, with every table bounded.

use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::net::IpAddr;

use etherparse::{LaxNetSlice, LaxSlicedPacket, TransportSlice};
use medvigil_decode::oui::OuiRegistry;
use medvigil_decode::{MacAddr, arp, cdp, dhcp, lldp, mdns, ssdp};
use serde::Serialize;

use crate::CaptureError;
use crate::flow::{Direction, Flow, FlowKey};
use crate::link::{ETHERTYPE_CDP, LinkFrame, decode_link};
use crate::observe::{
    AppProtocol, EndpointKey, EndpointSeen, Fact, FactObservation, Observation, Timestamp,
    Transport,
};
use crate::reader::{RawPacket, ReadSummary, for_each_packet};
use crate::reassembly::StreamLimits;

/// Memory and table caps of an [`Analyzer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Most live flows; the oldest is evicted (and reported) beyond it.
    pub max_flows: usize,
    /// Most endpoints held before they are reported and the table restarts.
    pub max_endpoints: usize,
    /// Per-direction reassembly caps.
    pub stream: StreamLimits,
    /// Most reassembly bytes over all flows; oldest flows' buffers are
    /// dropped beyond it.
    pub max_total_buffered: usize,
    /// Most fact fingerprints remembered for deduplication.
    pub max_fact_dedup: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_flows: 1 << 16,
            max_endpoints: 1 << 18,
            stream: StreamLimits::default(),
            max_total_buffered: 256 << 20,
            max_fact_dedup: 1 << 16,
        }
    }
}

/// Counters of what the analyzer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AnalyzerStats {
    /// Packets processed.
    pub packets: u64,
    /// Packets whose link type is not handled.
    pub unknown_link: u64,
    /// Flows evicted because the flow table was full.
    pub flows_evicted: u64,
    /// Flows whose reassembly was dropped under total memory pressure.
    pub streams_dropped: u64,
}

#[derive(Debug, Default)]
struct EndpointStats {
    first: Timestamp,
    last: Timestamp,
    packets_sent: u64,
    bytes_sent: u64,
    packets_received: u64,
}

/// Turns packets into observations: endpoints, flows and protocol facts.
///
/// Tables (flows, endpoints, reassembly, fact deduplication) are bounded by
/// [`Limits`]; the output queue is not, so a long-running caller takes it
/// with [`Analyzer::drain`] or [`Analyzer::flush`] between batches.
#[derive(Debug)]
pub struct Analyzer {
    limits: Limits,
    oui: Option<OuiRegistry>,
    flows: HashMap<FlowKey, Flow>,
    order: VecDeque<FlowKey>,
    endpoints: HashMap<EndpointKey, EndpointStats>,
    seen_facts: HashSet<u64>,
    out: Vec<Observation>,
    buffered: usize,
    facts_scratch: Vec<Fact>,
    stats: AnalyzerStats,
}

fn unicast(ip: IpAddr) -> Option<IpAddr> {
    let bad = match ip {
        IpAddr::V4(v) => v.is_unspecified() || v.is_multicast() || v.is_broadcast(),
        IpAddr::V6(v) => v.is_unspecified() || v.is_multicast(),
    };
    (!bad).then_some(ip)
}

impl Analyzer {
    /// An analyzer with the given caps.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            oui: None,
            flows: HashMap::new(),
            order: VecDeque::new(),
            endpoints: HashMap::new(),
            seen_facts: HashSet::new(),
            out: Vec::new(),
            buffered: 0,
            facts_scratch: Vec::new(),
            stats: AnalyzerStats::default(),
        }
    }

    /// Names MAC vendors in endpoint observations from this registry.
    pub fn with_oui(mut self, oui: OuiRegistry) -> Self {
        self.oui = Some(oui);
        self
    }

    /// Counters so far.
    pub fn stats(&self) -> AnalyzerStats {
        self.stats
    }

    /// Reassembly bytes currently held over all flows.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered
    }

    /// Live flows.
    pub fn flow_count(&self) -> usize {
        self.flows.len()
    }

    /// Reads a whole pcap/pcapng capture through [`Analyzer::process`].
    pub fn read_capture<R: Read + Send>(&mut self, input: R) -> Result<ReadSummary, CaptureError> {
        for_each_packet(input, |p| self.process(p))
    }

    /// Observations produced so far (facts, evicted flows), emptied.
    pub fn drain(&mut self) -> Vec<Observation> {
        std::mem::take(&mut self.out)
    }

    /// Everything seen since the last flush, for a sensor sending batches:
    /// facts, endpoints and flows. Endpoint and flow counters are deltas
    /// since the previous flush, so merged batches add up; reassembly state
    /// is kept.
    pub fn flush(&mut self) -> Vec<Observation> {
        self.flush_endpoints();
        for key in &self.order {
            let Some(f) = self.flows.get_mut(key) else {
                continue;
            };
            let r = &mut f.record;
            if r.packets_to_dst + r.packets_to_src == 0 {
                continue;
            }
            self.out.push(Observation::Flow(r.clone()));
            (
                r.packets_to_dst,
                r.packets_to_src,
                r.bytes_to_dst,
                r.bytes_to_src,
            ) = (0, 0, 0, 0);
            // The next packet sets both again.
            (r.first_seen, r.last_seen) = (Timestamp(u64::MAX), Timestamp(0));
            r.continued = true;
        }
        self.drain()
    }

    /// Ends the analysis: everything not yet flushed.
    pub fn finish(mut self) -> Vec<Observation> {
        self.flush()
    }

    fn flush_endpoints(&mut self) {
        let mut eps: Vec<_> = self.endpoints.drain().collect();
        eps.sort_by_key(|(k, s)| (s.first, *k));
        for (key, s) in eps {
            let mac_vendor = key
                .mac
                .and_then(|m| self.oui.as_ref()?.lookup(m))
                .map(str::to_owned);
            self.out.push(Observation::Endpoint(EndpointSeen {
                key,
                mac_vendor,
                first_seen: s.first,
                last_seen: s.last,
                packets_sent: s.packets_sent,
                bytes_sent: s.bytes_sent,
                packets_received: s.packets_received,
            }));
        }
    }

    fn touch(&mut self, key: EndpointKey, ts: Timestamp, sent: Option<u64>) {
        if key.mac.is_none() && key.ip.is_none() {
            return;
        }
        if self.endpoints.len() >= self.limits.max_endpoints && !self.endpoints.contains_key(&key) {
            self.flush_endpoints();
        }
        let e = self.endpoints.entry(key).or_insert_with(|| EndpointStats {
            first: ts,
            ..EndpointStats::default()
        });
        e.first = e.first.min(ts);
        e.last = e.last.max(ts);
        match sent {
            Some(bytes) => {
                e.packets_sent += 1;
                e.bytes_sent += bytes;
            }
            None => e.packets_received += 1,
        }
    }

    fn emit(
        &mut self,
        time: Timestamp,
        endpoint: EndpointKey,
        peer: Option<EndpointKey>,
        fact: Fact,
    ) {
        let mut h = DefaultHasher::new();
        (endpoint, &fact).hash(&mut h);
        if self.seen_facts.len() >= self.limits.max_fact_dedup {
            self.seen_facts.clear();
        }
        if self.seen_facts.insert(h.finish()) {
            self.out.push(Observation::Fact(FactObservation {
                time,
                endpoint,
                peer,
                fact,
            }));
        }
    }

    /// Processes one captured frame.
    pub fn process(&mut self, p: RawPacket<'_>) {
        self.stats.packets += 1;
        let Some(l2) = decode_link(p.linktype, p.data) else {
            self.stats.unknown_link += 1;
            return;
        };
        let ts = p.timestamp;
        let len = p.data.len() as u64;
        let l2_src = EndpointKey {
            mac: l2.src_mac,
            ip: None,
            vlan: l2.vlan,
        };
        let l2_dst = EndpointKey {
            mac: l2.dst_mac.filter(|m| !m.is_group()),
            ip: None,
            vlan: l2.vlan,
        };
        match l2.ethertype {
            0x0800 | 0x86dd | 0xffff => return self.ip(&l2, ts, len),
            0x0806 => {
                if let Ok(Some(a)) = arp::parse(l2.payload) {
                    let ip = unicast(IpAddr::V4(a.sender_ip));
                    let src = EndpointKey {
                        mac: Some(a.sender_mac).filter(|m| !m.is_zero()).or(l2.src_mac),
                        ip,
                        vlan: l2.vlan,
                    };
                    self.touch(src, ts, Some(len));
                    self.emit(ts, src, None, Fact::Arp(a));
                    return;
                }
            }
            0x88cc => {
                if let Ok(Some(d)) = lldp::parse(l2.payload) {
                    self.emit(ts, l2_src, None, Fact::Lldp(Box::new(d.value)));
                }
            }
            ETHERTYPE_CDP => {
                if let Ok(Some(d)) = cdp::parse(l2.payload) {
                    self.emit(ts, l2_src, None, Fact::Cdp(Box::new(d.value)));
                }
            }
            _ => {}
        }
        self.touch(l2_src, ts, Some(len));
        if l2_dst.mac.is_some() {
            self.touch(l2_dst, ts, None);
        }
    }
}

mod ip;
