//! `medvigil-bench capture`: passive discovery over a large generated
//! capture of hospital traffic, beside `tshark` extracting the same facts.
//!
//! The capture (pcap, Ethernet) is generated from a seed: DICOM sessions
//! (TCP handshake, A-ASSOCIATE-RQ/AC naming AE titles, an abstract syntax and
//! the implementation, P-DATA-TF PDUs of image data in MSS-sized segments,
//! A-RELEASE), HL7 v2 results over MLLP with their acknowledgements, and
//! DHCP requests naming host and vendor class. Most bytes are DICOM data,
//! as on a radiology network.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use etherparse::PacketBuilder;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Sample, medvigil_bin, s, sample, which};

const MSS: usize = 1448;
const DICOM_PORT: u16 = 104;
const HL7_PORT: u16 = 2575;

/// A pcap file being written, with its clock.
struct Pcap<W: Write> {
    out: W,
    micros: u64,
    bytes: u64,
    frame: Vec<u8>,
}

impl<W: Write> Pcap<W> {
    fn new(mut out: W) -> anyhow::Result<Self> {
        // Classic pcap header: magic, v2.4, zone 0, sigfigs 0, snaplen, LINKTYPE_ETHERNET.
        out.write_all(&0xa1b2_c3d4u32.to_le_bytes())?;
        out.write_all(&2u16.to_le_bytes())?;
        out.write_all(&4u16.to_le_bytes())?;
        out.write_all(&[0; 8])?;
        out.write_all(&65_535u32.to_le_bytes())?;
        out.write_all(&1u32.to_le_bytes())?;
        Ok(Self {
            out,
            micros: 1_764_400_000_000_000,
            bytes: 24,
            frame: Vec::with_capacity(2048),
        })
    }

    fn record(&mut self) -> anyhow::Result<()> {
        self.micros += 7;
        let len = u32::try_from(self.frame.len())?;
        self.out
            .write_all(&u32::try_from(self.micros / 1_000_000)?.to_le_bytes())?;
        self.out
            .write_all(&u32::try_from(self.micros % 1_000_000)?.to_le_bytes())?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&self.frame)?;
        self.bytes += 16 + u64::from(len);
        Ok(())
    }
}

/// A host on the generated network.
#[derive(Clone, Copy)]
struct Host {
    mac: [u8; 6],
    ip: [u8; 4],
}

/// One TCP connection, both directions' sequence numbers.
struct Tcp {
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
        flags: (bool, bool, bool),
        payload: &[u8],
    ) -> anyhow::Result<()> {
        let (src, dst, sport, dport, seq, ack) = if from_client {
            (
                self.client,
                self.server,
                self.sport,
                self.dport,
                self.cseq,
                self.sseq,
            )
        } else {
            (
                self.server,
                self.client,
                self.dport,
                self.sport,
                self.sseq,
                self.cseq,
            )
        };
        let mut b = PacketBuilder::ethernet2(src.mac, dst.mac)
            .ipv4(src.ip, dst.ip, 64)
            .tcp(sport, dport, seq, 64_240);
        let (syn, fin, has_ack) = flags;
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
        pcap.frame.clear();
        b.write(&mut pcap.frame, payload)
            .map_err(|e| anyhow::anyhow!("build frame: {e}"))?;
        pcap.record()?;
        let advance = u32::try_from(payload.len())? + u32::from(syn) + u32::from(fin);
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
    fn open<W: Write>(
        pcap: &mut Pcap<W>,
        rng: &mut ChaCha8Rng,
        client: Host,
        server: Host,
        (sport, dport): (u16, u16),
    ) -> anyhow::Result<Self> {
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
    fn send<W: Write>(
        &mut self,
        pcap: &mut Pcap<W>,
        from_client: bool,
        data: &[u8],
    ) -> anyhow::Result<()> {
        for (i, chunk) in data.chunks(MSS).enumerate() {
            self.segment(pcap, from_client, (false, false, true), chunk)?;
            if i % 2 == 1 {
                self.segment(pcap, !from_client, (false, false, true), &[])?;
            }
        }
        Ok(())
    }

    fn close<W: Write>(&mut self, pcap: &mut Pcap<W>) -> anyhow::Result<()> {
        self.segment(pcap, true, (false, true, true), &[])?;
        self.segment(pcap, false, (false, true, true), &[])?;
        self.segment(pcap, true, (false, false, true), &[])
    }
}

fn item(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![kind, 0];
    v.extend_from_slice(&u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes());
    v.extend_from_slice(body);
    v
}

fn pdu(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = vec![kind, 0];
    v.extend_from_slice(&u32::try_from(body.len()).unwrap_or(u32::MAX).to_be_bytes());
    v.extend_from_slice(body);
    v
}

fn ae(title: &str) -> [u8; 16] {
    let mut a = [b' '; 16];
    for (d, s) in a.iter_mut().zip(title.bytes()) {
        *d = s;
    }
    a
}

/// A-ASSOCIATE-RQ (`rq`) or -AC (PS3.8 §9.3.2/9.3.3).
fn associate(rq: bool, called: &str, calling: &str, sop_class: &str, version: &str) -> Vec<u8> {
    let mut body = vec![0, 1, 0, 0];
    body.extend_from_slice(&ae(called));
    body.extend_from_slice(&ae(calling));
    body.extend_from_slice(&[0; 32]);
    body.extend(item(0x10, b"1.2.840.10008.3.1.1.1"));
    let transfer = item(0x40, b"1.2.840.10008.1.2.1");
    let pc = if rq {
        let mut p = vec![1, 0, 0, 0];
        p.extend(item(0x30, sop_class.as_bytes()));
        p.extend(transfer);
        item(0x20, &p)
    } else {
        let mut p = vec![1, 0, 0, 0];
        p.extend(transfer);
        item(0x21, &p)
    };
    body.extend(pc);
    let mut user = item(0x51, &16_384u32.to_be_bytes());
    user.extend(item(0x52, b"1.2.826.0.1.3680043.9.7433.1.1"));
    user.extend(item(0x55, version.as_bytes()));
    body.extend(item(0x50, &user));
    pdu(if rq { 0x01 } else { 0x02 }, &body)
}

/// P-DATA-TF with one PDV of `len` bytes of pixel data.
fn p_data(len: usize, last: bool, fill: u8) -> Vec<u8> {
    let mut pdv = Vec::with_capacity(len + 6);
    pdv.extend_from_slice(&u32::try_from(len + 2).unwrap_or(u32::MAX).to_be_bytes());
    pdv.push(1);
    pdv.push(if last { 0x02 } else { 0x00 });
    pdv.resize(len + 6, fill);
    pdu(0x04, &pdv)
}

const MODALITIES: &[(&str, &str, &str)] = &[
    ("CT_SCANNER", "1.2.840.10008.5.1.4.1.1.2", "GE_CT_R22"),
    ("MR_SCANNER", "1.2.840.10008.5.1.4.1.1.4", "SIEMENS_XA60"),
    ("US_CART", "1.2.840.10008.5.1.4.1.1.6.1", "PHILIPS_EPIQ7"),
    ("DX_ROOM", "1.2.840.10008.5.1.4.1.1.1.1", "OFFIS_DCMTK_368"),
];

/// What was generated.
struct Generated {
    bytes: u64,
    associations: usize,
    hl7_messages: usize,
    dhcp_requests: usize,
}

fn generate(path: &Path, target_bytes: u64, seed: u64) -> anyhow::Result<Generated> {
    let file = std::fs::File::create(path).with_context(|| format!("create {}", path.display()))?;
    let mut pcap = Pcap::new(BufWriter::with_capacity(1 << 20, file))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let host = |i: u32, oui: [u8; 3]| Host {
        mac: [oui[0], oui[1], oui[2], 0, (i >> 8) as u8, i as u8],
        ip: [10, 20, (i >> 8) as u8, i as u8],
    };
    let pacs = host(1, [0x00, 0x1b, 0x21]);
    let engine = host(2, [0x00, 0x1b, 0x21]);
    let mut g = Generated {
        bytes: 0,
        associations: 0,
        hl7_messages: 0,
        dhcp_requests: 0,
    };
    let mut port: u16 = 40_000;
    let mut n: u32 = 0;
    while pcap.bytes < target_bytes {
        n += 1;
        port = port.wrapping_add(1).max(1024);
        let roll: u32 = rng.random_range(0..100);
        if roll < 70 {
            let (calling, sop, version) = MODALITIES[rng.random_range(0..MODALITIES.len())];
            let client = host(100 + rng.random_range(0..200), [0x00, 0x00, 0x0e]);
            let mut t = Tcp::open(&mut pcap, &mut rng, client, pacs, (port, DICOM_PORT))?;
            let calling = format!("{calling}{}", client.ip[3]);
            t.send(
                &mut pcap,
                true,
                &associate(true, "PACS_STORE", &calling, sop, version),
            )?;
            t.send(
                &mut pcap,
                false,
                &associate(false, "PACS_STORE", &calling, sop, "DCM4CHEE_5"),
            )?;
            g.associations += 1;
            let images = rng.random_range(1..6);
            for img in 0..images {
                let size = rng.random_range(200_000..1_200_000);
                let mut left = size;
                while left > 0 {
                    let len = left.min(16_372);
                    left -= len;
                    t.send(&mut pcap, true, &p_data(len, left == 0, img as u8))?;
                }
                t.send(&mut pcap, false, &p_data(80, true, 0))?;
            }
            t.send(&mut pcap, true, &pdu(0x05, &[0; 4]))?;
            t.send(&mut pcap, false, &pdu(0x06, &[0; 4]))?;
            t.close(&mut pcap)?;
        } else if roll < 95 {
            let client = host(1000 + rng.random_range(0..500), [0x00, 0x03, 0xb1]);
            let mut t = Tcp::open(&mut pcap, &mut rng, client, engine, (port, HL7_PORT))?;
            for m in 0..rng.random_range(1..8) {
                let msg = format!(
                    "\x0bMSH|^~\\&|PUMP_GW|WARD{}|HIS|HOSP|20261129120000||ORU^R01|M{n}-{m}|P|2.6\rPID|1||{}^^^HOSP||SYNTHETIC^PATIENT\rOBX|1|NM|8867-4^Heart rate^LN||{}|/min|||||F|||||||PUMP-{}\r\x1c\r",
                    client.ip[3],
                    rng.random_range(100_000..999_999),
                    rng.random_range(50..120),
                    client.ip[3],
                );
                t.send(&mut pcap, true, msg.as_bytes())?;
                let ack = format!(
                    "\x0bMSH|^~\\&|HIS|HOSP|PUMP_GW|WARD|20261129120000||ACK|A{n}-{m}|P|2.6\rMSA|AA|M{n}-{m}\r\x1c\r"
                );
                t.send(&mut pcap, false, ack.as_bytes())?;
                g.hl7_messages += 1;
            }
            t.close(&mut pcap)?;
        } else {
            let client = host(2000 + rng.random_range(0..300), [0x00, 0x09, 0xfb]);
            let mut dhcp = vec![1u8, 1, 6, 0];
            dhcp.extend_from_slice(&n.to_be_bytes());
            dhcp.extend_from_slice(&[0; 20]);
            dhcp.extend_from_slice(&client.mac);
            dhcp.extend_from_slice(&[0; 10 + 64 + 128]);
            dhcp.extend_from_slice(&[99, 130, 83, 99, 53, 1, 1]);
            let name = format!("monitor-{}", client.ip[3]);
            dhcp.extend_from_slice(&[12, u8::try_from(name.len())?]);
            dhcp.extend_from_slice(name.as_bytes());
            let class = b"IntelliVue-MX";
            dhcp.extend_from_slice(&[60, u8::try_from(class.len())?]);
            dhcp.extend_from_slice(class);
            dhcp.push(255);
            pcap.frame.clear();
            PacketBuilder::ethernet2(client.mac, [0xff; 6])
                .ipv4([0, 0, 0, 0], [255, 255, 255, 255], 64)
                .udp(68, 67)
                .write(&mut pcap.frame, &dhcp)
                .map_err(|e| anyhow::anyhow!("build frame: {e}"))?;
            pcap.record()?;
            g.dhcp_requests += 1;
        }
    }
    pcap.out.flush()?;
    g.bytes = pcap.bytes;
    Ok(g)
}

/// Runs the benchmark and prints its report.
pub fn run(size_mb: u64, runs: usize, dir: &Path, oui: Option<PathBuf>) -> anyhow::Result<()> {
    let Some(tshark) = which("tshark") else {
        bail!("tshark not found: apt-get install -y tshark (the peer)");
    };
    std::fs::create_dir_all(dir)?;
    let file = dir.join(format!("hospital-{size_mb}mb.pcap"));
    let started = std::time::Instant::now();
    let g = generate(&file, size_mb * 1_000_000, 2026)?;
    eprintln!(
        "generated {} ({:.0} MB: {} DICOM associations, {} HL7 messages, {} DHCP requests) in {:.1} s",
        file.display(),
        g.bytes as f64 / 1e6,
        g.associations,
        g.hl7_messages,
        g.dhcp_requests,
        started.elapsed().as_secs_f64()
    );
    let medvigil = medvigil_bin()?;
    let mut ours = vec![s(&medvigil), "discover".into(), "--json".into(), s(&file)];
    if let Some(o) = oui {
        ours.extend(["--oui".into(), s(&o)]);
    }
    let theirs: Vec<String> = [
        s(&tshark).as_str(),
        "-r",
        &s(&file),
        "-n",
        "-d",
        "tcp.port==104,dicom",
        "-d",
        "tcp.port==2575,hl7",
        "-Y",
        "dicom.assoc.ae.calling || hl7.message.type || dhcp.option.hostname",
        "-T",
        "fields",
        "-e",
        "eth.src",
        "-e",
        "ip.src",
        "-e",
        "dicom.assoc.ae.calling",
        "-e",
        "dicom.assoc.ae.called",
        "-e",
        "dicom.userinfo.version",
        "-e",
        "hl7.message.type",
        "-e",
        "dhcp.option.hostname",
    ]
    .iter()
    .map(|x| (*x).to_owned())
    .collect();

    // What each found, once, outside the timing.
    let out = Command::new(&ours[0]).args(&ours[1..]).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let count = |needle: &str| {
        text.lines()
            .filter(|l| l.starts_with("{\"Fact\"") && l.contains(needle))
            .count()
    };
    let mine = (count("\"Dicom\""), count("\"Hl7\""), count("\"Dhcp\""));
    let out = Command::new(&theirs[0]).args(&theirs[1..]).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // medvigil reports a fact once per sender; tshark every frame: compare
    // distinct (sender, AE titles, implementation version) tuples.
    let peer_dicom = text
        .lines()
        .filter(|l| l.split('\t').nth(2).is_some_and(|c| !c.is_empty()))
        .map(|l| l.split('\t').take(5).collect::<Vec<_>>().join("\t"))
        .collect::<std::collections::HashSet<_>>()
        .len();
    let peer_hl7 = text
        .lines()
        .filter(|l| l.split('\t').nth(5).is_some_and(|c| !c.is_empty()))
        .count();
    let peer_dhcp = text
        .lines()
        .filter(|l| l.split('\t').nth(6).is_some_and(|c| !c.is_empty()))
        .count();

    let a: Sample = sample(runs, || Ok(()), &ours)?;
    let b: Sample = sample(runs, || Ok(()), &theirs)?;
    let mb = g.bytes as f64 / 1e6;
    println!("passive discovery over a generated {mb:.0} MB capture, {runs} runs each, medians");
    println!(
        "  medvigil discover --json  {:>7.2} s  {:>7.0} MB/s  peak {:>5} MiB  found: {} distinct DICOM RQ/AC, {} HL7 messages, {} DHCP",
        a.secs,
        mb / a.secs,
        a.max_rss_kib / 1024,
        mine.0,
        mine.1,
        mine.2
    );
    println!(
        "  tshark -T fields          {:>7.2} s  {:>7.0} MB/s  peak {:>5} MiB  found: {peer_dicom} distinct DICOM RQ/AC, {peer_hl7} HL7 messages, {peer_dhcp} DHCP",
        b.secs,
        mb / b.secs,
        b.max_rss_kib / 1024
    );
    println!(
        "  ratio (tshark time / medvigil time): {:.1}x",
        b.secs / a.secs
    );
    println!(
        "  generated: {} associations (an RQ and an AC each), {} HL7 messages (and as many ACKs), {} DHCP requests",
        g.associations, g.hl7_messages, g.dhcp_requests
    );
    Ok(())
}
