//! IP, TCP and UDP handling of the analyzer.

use super::*;

/// Ports whose UDP payloads we decode statelessly.
const DHCP_PORTS: [u16; 2] = [67, 68];
const SSDP_PORT: u16 = 1900;
const MDNS_PORT: u16 = 5353;

impl Analyzer {
    pub(super) fn ip(&mut self, l2: &LinkFrame<'_>, ts: Timestamp, len: u64) {
        let l2_src = EndpointKey {
            mac: l2.src_mac,
            ip: None,
            vlan: l2.vlan,
        };
        let Ok(pkt) = LaxSlicedPacket::from_ip(l2.payload) else {
            self.touch(l2_src, ts, Some(len));
            return;
        };
        let (src_ip, dst_ip, proto) = match &pkt.net {
            Some(LaxNetSlice::Ipv4(v4)) => (
                IpAddr::V4(v4.header().source_addr()),
                IpAddr::V4(v4.header().destination_addr()),
                v4.payload().ip_number.0,
            ),
            Some(LaxNetSlice::Ipv6(v6)) => (
                IpAddr::V6(v6.header().source_addr()),
                IpAddr::V6(v6.header().destination_addr()),
                v6.payload().ip_number.0,
            ),
            _ => {
                self.touch(l2_src, ts, Some(len));
                return;
            }
        };
        let src = EndpointKey {
            mac: l2.src_mac,
            ip: unicast(src_ip),
            vlan: l2.vlan,
        };
        let dst_mac = l2.dst_mac.filter(|m: &MacAddr| !m.is_group());
        let raw_dst = dst_ip;
        let dst_ip = unicast(dst_ip);
        let dst = (dst_mac.is_some() || dst_ip.is_some()).then_some(EndpointKey {
            mac: dst_mac,
            ip: dst_ip,
            vlan: l2.vlan,
        });
        self.touch(src, ts, Some(len));
        if let Some(d) = dst {
            self.touch(d, ts, None);
        }
        // Flows keep the group address of multicast/broadcast traffic: it
        // matters for segmentation even though it is no endpoint.
        let dst_key = dst.map_or(
            EndpointKey {
                mac: None,
                ip: Some(raw_dst),
                vlan: l2.vlan,
            },
            |d| EndpointKey {
                ip: Some(raw_dst),
                ..d
            },
        );
        match &pkt.transport {
            Some(TransportSlice::Tcp(t)) => {
                // A SYN-ACK seen first means the receiver initiated.
                let responder_first = t.syn() && t.ack();
                let key = FlowKey::new(
                    l2.vlan,
                    Transport::Tcp,
                    (src_ip, t.source_port()),
                    (raw_dst, t.destination_port()),
                );
                self.tcp(
                    key,
                    (src, t.source_port()),
                    (dst_key, t.destination_port()),
                    responder_first,
                    ts,
                    len,
                    t,
                );
            }
            Some(TransportSlice::Udp(u)) => {
                let (sp, dp) = (u.source_port(), u.destination_port());
                let key = FlowKey::new(l2.vlan, Transport::Udp, (src_ip, sp), (raw_dst, dp));
                let proto = self.udp(src, dst, sp, dp, u.payload(), ts);
                let f = self.flow(key, (src, sp), (dst_key, dp), false, ts, len);
                if f.record.protocol.is_none() {
                    f.record.protocol = proto;
                }
            }
            _ => {
                let key = FlowKey::new(l2.vlan, Transport::Ip(proto), (src_ip, 0), (raw_dst, 0));
                self.flow(key, (src, 0), (dst_key, 0), false, ts, len);
            }
        }
    }

    /// Finds or creates the flow and counts the packet; evicts the oldest
    /// flow when the table is full.
    fn flow(
        &mut self,
        key: FlowKey,
        src: (EndpointKey, u16),
        dst: (EndpointKey, u16),
        responder_first: bool,
        ts: Timestamp,
        len: u64,
    ) -> &mut Flow {
        if self.flows.len() >= self.limits.max_flows
            && !self.flows.contains_key(&key)
            && let Some(old) = self.order.pop_front()
            && let Some(f) = self.flows.remove(&old)
        {
            self.buffered = self.buffered.saturating_sub(f.memory());
            self.stats.flows_evicted += 1;
            if f.record.packets_to_dst + f.record.packets_to_src > 0 {
                self.out.push(Observation::Flow(f.record));
            }
        }
        let src_addr = (src.0.ip.unwrap_or(IpAddr::from([0u8; 4])), src.1);
        let f = match self.flows.entry(key) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => {
                self.order.push_back(key);
                let flow = if responder_first {
                    Flow::new(
                        key.transport,
                        key.vlan,
                        dst,
                        src,
                        (dst.0.ip.unwrap_or(IpAddr::from([0u8; 4])), dst.1),
                        ts,
                    )
                } else {
                    Flow::new(key.transport, key.vlan, src, dst, src_addr, ts)
                };
                v.insert(flow)
            }
        };
        f.record.last_seen = f.record.last_seen.max(ts);
        f.record.first_seen = f.record.first_seen.min(ts);
        if src_addr == f.initiator {
            f.record.packets_to_dst += 1;
            f.record.bytes_to_dst += len;
        } else {
            f.record.packets_to_src += 1;
            f.record.bytes_to_src += len;
        }
        f
    }

    #[allow(clippy::too_many_arguments)]
    fn tcp(
        &mut self,
        key: FlowKey,
        src: (EndpointKey, u16),
        dst: (EndpointKey, u16),
        responder_first: bool,
        ts: Timestamp,
        len: u64,
        t: &etherparse::TcpSlice<'_>,
    ) {
        let lim = self.limits.stream;
        let max_msg = lim.max_buffer;
        let mut facts = std::mem::take(&mut self.facts_scratch);
        let f = self.flow(key, src, dst, responder_first, ts, len);
        let src_addr = (src.0.ip.unwrap_or(IpAddr::from([0u8; 4])), src.1);
        let idx = usize::from(src_addr != f.initiator);
        let before = f.memory();
        let dirs = f
            .tcp
            .get_or_insert_with(|| Box::new([Direction::default(), Direction::default()]));
        let hint = f.record.protocol;
        let dir = &mut dirs[idx];
        if t.syn() {
            dir.stream.syn(t.sequence_number());
        }
        let payload = t.payload();
        if !payload.is_empty() && !dir.stream.is_ignoring() {
            let seq = t.sequence_number();
            if dir.stream.push(seq, payload, &lim) == crate::reassembly::PushOutcome::Gap {
                // Message boundaries are lost with the missing bytes.
                dir.parser = crate::app::Parser::Done;
            }
            if let Some(p) = dir.parser.run(&mut dir.stream, hint, max_msg, &mut facts) {
                f.record.protocol.get_or_insert(p);
            }
        }
        if t.rst() {
            f.release();
        } else if t.fin() {
            dirs[idx].stream.ignore();
        }
        let after = f.memory();
        self.buffered = (self.buffered + after).saturating_sub(before);
        for fact in facts.drain(..) {
            self.emit(ts, src.0, Some(dst.0), fact);
        }
        self.facts_scratch = facts;
        if self.buffered > self.limits.max_total_buffered {
            self.shed_memory();
        }
    }

    /// Drops reassembly of the oldest flows until under the total cap.
    fn shed_memory(&mut self) {
        for key in &self.order {
            if self.buffered <= self.limits.max_total_buffered {
                break;
            }
            if let Some(f) = self.flows.get_mut(key) {
                let m = f.memory();
                if m > 0 {
                    f.release();
                    self.buffered = self.buffered.saturating_sub(m);
                    self.stats.streams_dropped += 1;
                }
            }
        }
    }

    /// Decodes a UDP payload by port; returns the protocol recognised.
    fn udp(
        &mut self,
        src: EndpointKey,
        dst: Option<EndpointKey>,
        sp: u16,
        dp: u16,
        payload: &[u8],
        ts: Timestamp,
    ) -> Option<AppProtocol> {
        let port = |p: u16| sp == p || dp == p;
        let (fact, proto) = if DHCP_PORTS.iter().any(|&p| port(p)) {
            (
                dhcp::parse(payload)
                    .ok()
                    .flatten()
                    .map(|d| Fact::Dhcp(Box::new(d.value))),
                AppProtocol::Dhcp,
            )
        } else if port(SSDP_PORT) {
            (
                ssdp::parse(payload)
                    .ok()
                    .flatten()
                    .map(|d| Fact::Ssdp(Box::new(d.value))),
                AppProtocol::Ssdp,
            )
        } else if port(MDNS_PORT) {
            (
                mdns::parse(payload)
                    .ok()
                    .flatten()
                    .map(|d| Fact::Mdns(d.value)),
                AppProtocol::Mdns,
            )
        } else {
            return None;
        };
        let fact = fact?;
        self.emit(ts, src, dst, fact);
        Some(proto)
    }
}
