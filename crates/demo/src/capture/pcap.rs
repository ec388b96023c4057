//! A classic pcap file being written (Ethernet link type), and TCP
//! connections written into it with their handshake, segments and close.

use std::io::{self, Write};

use etherparse::PacketBuilder;
use rand::Rng;

/// TCP payload bytes per segment (Ethernet MTU 1500 minus headers with
/// timestamps).
pub const MSS: usize = 1448;

/// A pcap file being written, with its clock.
pub struct Pcap<W: Write> {
    out: W,
    micros: u64,
    bytes: u64,
    frame: Vec<u8>,
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, e.to_string())
}

impl<W: Write> Pcap<W> {
    /// Writes the file header (magic, v2.4, UTC, snap length 65535,
    /// LINKTYPE_ETHERNET); the clock starts at `start_micros` since the epoch.
    pub fn new(mut out: W, start_micros: u64) -> io::Result<Self> {
        out.write_all(&0xa1b2_c3d4u32.to_le_bytes())?;
        out.write_all(&2u16.to_le_bytes())?;
        out.write_all(&4u16.to_le_bytes())?;
        out.write_all(&[0; 8])?;
        out.write_all(&65_535u32.to_le_bytes())?;
        out.write_all(&1u32.to_le_bytes())?;
        Ok(Self {
            out,
            micros: start_micros,
            bytes: 24,
            frame: Vec::with_capacity(2048),
        })
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }

    /// Writes `frame` as the next record, 7 µs after the previous one.
    pub fn record(&mut self, frame: &[u8]) -> io::Result<()> {
        self.micros += 7;
        let len = u32::try_from(frame.len()).map_err(invalid)?;
        let secs = u32::try_from(self.micros / 1_000_000).map_err(invalid)?;
        // The remainder is below 1,000,000: it fits.
        let micros = (self.micros % 1_000_000) as u32;
        for v in [secs, micros, len, len] {
            self.out.write_all(&v.to_le_bytes())?;
        }
        self.out.write_all(frame)?;
        self.bytes += 16 + u64::from(len);
        Ok(())
    }

    /// Writes the frame `build` puts in the scratch buffer, tagged with
    /// `vlan` (802.1Q) when given.
    pub fn write_frame(
        &mut self,
        vlan: Option<u16>,
        build: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut frame = std::mem::take(&mut self.frame);
        frame.clear();
        build(&mut frame)?;
        if let Some(id) = vlan {
            // The tag goes between the source MAC and the EtherType
            // (IEEE 802.1Q §9.3); priority 0, DEI 0.
            let tci = (id & 0x0fff).to_be_bytes();
            if frame.len() >= 12 {
                frame.splice(12..12, [0x81, 0x00, tci[0], tci[1]]);
            }
        }
        let r = self.record(&frame);
        self.frame = frame;
        r
    }
}

/// A host on the generated network.
#[derive(Clone, Copy, Debug)]
pub struct Host {
    /// Ethernet address.
    pub mac: [u8; 6],
    /// IPv4 address.
    pub ip: [u8; 4],
    /// 802.1Q VLAN it is on, as the sensor on a trunk port sees it.
    pub vlan: Option<u16>,
}

/// One TCP connection, both directions' sequence numbers.
pub struct Tcp {
    client: Host,
    server: Host,
    sport: u16,
    dport: u16,
    cseq: u32,
    sseq: u32,
}

impl Tcp {
    fn segment<W: Write>(
        &mut self,
        pcap: &mut Pcap<W>,
        from_client: bool,
        (syn, fin, has_ack): (bool, bool, bool),
        payload: &[u8],
    ) -> io::Result<()> {
        let (src, dst, sport, dport, seq, ack) = if from_client {
            let s = &*self;
            (s.client, s.server, s.sport, s.dport, s.cseq, s.sseq)
        } else {
            let s = &*self;
            (s.server, s.client, s.dport, s.sport, s.sseq, s.cseq)
        };
        // Both directions cross the device's access VLAN, tagged on the trunk.
        let vlan = self.client.vlan.or(self.server.vlan);
        pcap.write_frame(vlan, |frame| {
            let mut b = PacketBuilder::ethernet2(src.mac, dst.mac)
                .ipv4(src.ip, dst.ip, 64)
                .tcp(sport, dport, seq, 64_240);
            if syn {
                b = b.syn();
            }
            if fin {
                b = b.fin();
            }
            if has_ack {
                b = b.ack(ack);
            }
            if !payload.is_empty() {
                b = b.psh();
            }
            b.write(frame, payload).map_err(invalid)
        })?;
        let advance =
            u32::try_from(payload.len()).map_err(invalid)? + u32::from(syn) + u32::from(fin);
        if from_client {
            self.cseq = self.cseq.wrapping_add(advance);
        } else {
            self.sseq = self.sseq.wrapping_add(advance);
        }
        Ok(())
    }

    /// A connection from `client` to `server` on `(client port, server
    /// port)`, opened with the three-way handshake from random sequence
    /// numbers.
    pub fn open<W: Write>(
        pcap: &mut Pcap<W>,
        rng: &mut impl Rng,
        client: Host,
        server: Host,
        (sport, dport): (u16, u16),
    ) -> io::Result<Self> {
        let mut t = Tcp {
            client,
            server,
            sport,
            dport,
            cseq: rng.random(),
            sseq: rng.random(),
        };
        t.segment(pcap, true, (true, false, false), &[])?;
        t.segment(pcap, false, (true, false, true), &[])?;
        t.segment(pcap, true, (false, false, true), &[])?;
        Ok(t)
    }

    /// Sends `data` in MSS-sized segments, the peer acknowledging every
    /// other one.
    pub fn send<W: Write>(
        &mut self,
        pcap: &mut Pcap<W>,
        from_client: bool,
        data: &[u8],
    ) -> io::Result<()> {
        for (i, chunk) in data.chunks(MSS).enumerate() {
            self.segment(pcap, from_client, (false, false, true), chunk)?;
            if i % 2 == 1 {
                self.segment(pcap, !from_client, (false, false, true), &[])?;
            }
        }
        Ok(())
    }

    /// Closes the connection (FIN from the client, FIN from the server, ACK).
    pub fn close<W: Write>(&mut self, pcap: &mut Pcap<W>) -> io::Result<()> {
        self.segment(pcap, true, (false, true, true), &[])?;
        self.segment(pcap, false, (false, true, true), &[])?;
        self.segment(pcap, true, (false, false, true), &[])
    }
}

/// A UDP datagram from `src` to `dst` (broadcast when `dst` is `None`).
pub fn udp<W: Write>(
    pcap: &mut Pcap<W>,
    src: Host,
    src_ip: [u8; 4],
    dst: Option<Host>,
    (sport, dport): (u16, u16),
    payload: &[u8],
) -> io::Result<()> {
    let (dmac, dip) = dst.map_or(([0xff; 6], [255; 4]), |d| (d.mac, d.ip));
    pcap.write_frame(src.vlan, |frame| {
        PacketBuilder::ethernet2(src.mac, dmac)
            .ipv4(src_ip, dip, 64)
            .udp(sport, dport)
            .write(frame, payload)
            .map_err(invalid)
    })
}

/// An LLDP frame (IEEE 802.1AB) from `src` to the nearest-bridge group.
pub fn lldp<W: Write>(pcap: &mut Pcap<W>, src: Host, lldpdu: &[u8]) -> io::Result<()> {
    pcap.write_frame(None, |frame| {
        frame.extend_from_slice(&[0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e]);
        frame.extend_from_slice(&src.mac);
        frame.extend_from_slice(&[0x88, 0xcc]);
        frame.extend_from_slice(lldpdu);
        Ok(())
    })
}
