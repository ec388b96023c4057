//! Helpers shared by the corpus tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use medvigil_capture::{Analyzer, Limits, Observation, ReadSummary};

/// Every file under `dir` that starts with a pcap or pcapng magic number.
pub fn captures(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if is_capture(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn is_capture(p: &Path) -> bool {
    let Ok(b) = std::fs::read(p) else {
        return false;
    };
    matches!(
        b.get(..4),
        Some(
            [0xd4, 0xc3, 0xb2, 0xa1]
                | [0xa1, 0xb2, 0xc3, 0xd4]
                | [0x4d, 0x3c, 0xb2, 0xa1]
                | [0xa1, 0xb2, 0x3c, 0x4d]
                | [0x0a, 0x0d, 0x0d, 0x0a]
        )
    )
}

/// Runs one capture through the analyzer.
pub fn analyze(path: &Path) -> (ReadSummary, Vec<Observation>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut a = Analyzer::new(Limits::default());
    let sum = a
        .read_capture(bytes.as_slice())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (sum, a.finish())
}

/// Builds a classic little-endian pcap (Ethernet link type) from frames.
pub fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for v in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65535, 1] {
        if v == 0x0004_0002 {
            out.extend_from_slice(&2u16.to_le_bytes());
            out.extend_from_slice(&4u16.to_le_bytes());
        } else {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    for (i, f) in frames.iter().enumerate() {
        let len = u32::try_from(f.len()).unwrap_or(u32::MAX);
        for v in [1_700_000_000u32 + i as u32, 0, len, len] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(f);
    }
    out
}

/// An Ethernet/IPv4/TCP frame from 10.0.0.`a`:`sp` to 10.0.0.`b`:`dp`.
pub fn tcp(a: u8, sp: u16, b: u8, dp: u16, seq: u32, syn: bool, payload: &[u8]) -> Vec<u8> {
    let mut builder = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, a], [2, 0, 0, 0, 0, b])
        .ipv4([10, 0, 0, a], [10, 0, 0, b], 64)
        .tcp(sp, dp, seq, 65535);
    if syn {
        builder = builder.syn();
    }
    let mut v = Vec::new();
    let _ = builder.write(&mut v, payload);
    v
}

/// Runs an in-memory capture through the analyzer.
pub fn analyze_bytes(bytes: &[u8], limits: Limits) -> Vec<Observation> {
    let mut a = Analyzer::new(limits);
    let _ = a.read_capture(bytes);
    a.finish()
}

/// A minimal A-ASSOCIATE-RQ (PS3.8 §9.3.2) with one CT presentation context.
pub fn associate_rq(calling: &str, called: &str) -> Vec<u8> {
    fn item(t: u8, v: &[u8]) -> Vec<u8> {
        let mut o = vec![t, 0];
        o.extend_from_slice(&u16::try_from(v.len()).unwrap_or(0).to_be_bytes());
        o.extend_from_slice(v);
        o
    }
    let pad = |s: &str| format!("{s:<16}").into_bytes();
    let mut body = vec![0, 1, 0, 0];
    body.extend(pad(called));
    body.extend(pad(calling));
    body.extend([0u8; 32]);
    body.extend(item(0x10, b"1.2.840.10008.3.1.1.1"));
    let mut pc = vec![1, 0, 0, 0];
    pc.extend(item(0x30, b"1.2.840.10008.5.1.4.1.1.2"));
    pc.extend(item(0x40, b"1.2.840.10008.1.2"));
    body.extend(item(0x20, &pc));
    let mut ui = item(0x51, &16384u32.to_be_bytes());
    ui.extend(item(0x52, b"1.2.3.4.5"));
    ui.extend(item(0x55, b"SCANNER_9"));
    body.extend(item(0x50, &ui));
    let mut pdu = vec![1, 0];
    pdu.extend_from_slice(&u32::try_from(body.len()).unwrap_or(0).to_be_bytes());
    pdu.extend(body);
    pdu
}

/// A P-DATA-TF PDU carrying `data` as one data-set PDV fragment.
pub fn p_data(data: &[u8]) -> Vec<u8> {
    let pdv_len = u32::try_from(data.len() + 2).unwrap_or(0);
    let mut pdu = vec![4, 0];
    pdu.extend_from_slice(&(pdv_len + 4).to_be_bytes());
    pdu.extend_from_slice(&pdv_len.to_be_bytes());
    pdu.extend_from_slice(&[1, 0x02]);
    pdu.extend_from_slice(data);
    pdu
}
