//! Every capture in `corpora/pcap` (recursively, including the deliberately
//! malformed `*asan*`, `*oobr*`, `*overflow*`, `*infinite-loop*` ones) is
//! processed without panic, and every packet pcap-parser frames is seen.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use pcap_parser::pcapng::Block;
use pcap_parser::{PcapBlockOwned, PcapError, create_reader};

/// Packets as pcap-parser frames them, counted independently of the crate.
fn pcap_parser_count(path: &Path) -> u64 {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    let Ok(mut r) = create_reader(1 << 20, bytes.as_slice()) else {
        return 0;
    };
    let mut n = 0;
    let mut stalls = 0;
    loop {
        match r.next() {
            Ok((used, b)) => {
                if matches!(
                    b,
                    PcapBlockOwned::Legacy(_)
                        | PcapBlockOwned::NG(Block::EnhancedPacket(_) | Block::SimplePacket(_))
                ) {
                    n += 1;
                }
                r.consume(used);
                stalls = 0;
            }
            Err(PcapError::Incomplete(_)) if stalls < 3 => {
                stalls += 1;
                if r.refill().is_err() {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    n
}

#[test]
fn every_capture_without_panic_and_with_all_packets() {
    let Some(dir) = medvigil_testkit::corpus("pcap") else {
        return;
    };
    let files = common::captures(&dir);
    assert!(files.len() >= 100, "only {} captures found", files.len());
    let mut failures = Vec::new();
    let mut malformed = 0;
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if ["asan", "oobr", "overflow", "infinite-loop"]
            .iter()
            .any(|m| name.contains(m))
        {
            malformed += 1;
        }
        let run = catch_unwind(AssertUnwindSafe(|| common::analyze(f)));
        match run {
            Err(_) => failures.push(format!("{}: panicked", f.display())),
            Ok((sum, _)) => {
                let expected = pcap_parser_count(f);
                if sum.packets != expected {
                    failures.push(format!(
                        "{}: {} packets, pcap-parser frames {expected}",
                        f.display(),
                        sum.packets
                    ));
                }
            }
        }
    }
    assert!(malformed >= 10, "only {malformed} malformed captures found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every link type in the corpora is understood: no frame is left at L2.
#[test]
fn every_link_type_is_handled() {
    let Some(dir) = medvigil_testkit::corpus("pcap") else {
        return;
    };
    let mut unknown = Vec::new();
    let mut with_ip = 0;
    for f in common::captures(&dir) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        let mut a = medvigil_capture::Analyzer::new(medvigil_capture::Limits::default());
        let _ = a.read_capture(bytes.as_slice());
        if a.stats().unknown_link > 0 {
            unknown.push(format!("{}: {}", f.display(), a.stats().unknown_link));
        }
        let obs = a.finish();
        if obs
            .iter()
            .any(|o| matches!(o, medvigil_capture::Observation::Endpoint(e) if e.key.ip.is_some()))
        {
            with_ip += 1;
        }
    }
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    assert!(
        with_ip >= 100,
        "only {with_ip} captures yielded an IP endpoint"
    );
}

#[test]
fn truncated_and_bit_flipped_copies_do_not_panic() {
    let Some(dir) = medvigil_testkit::corpus("pcap/medical-tapirx") else {
        return;
    };
    for f in common::captures(&dir) {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        // Every 7th prefix length and a byte flipped every 13 bytes: cheap
        // coverage of truncation inside headers, PDUs and MLLP frames.
        for cut in (0..bytes.len()).step_by(7) {
            let mut a = medvigil_capture::Analyzer::new(medvigil_capture::Limits::default());
            let _ = a.read_capture(&bytes[..cut]);
            let _ = a.finish();
        }
        for i in (0..bytes.len()).step_by(13) {
            let mut b = bytes.clone();
            b[i] ^= 0xff;
            let mut a = medvigil_capture::Analyzer::new(medvigil_capture::Limits::default());
            let _ = a.read_capture(b.as_slice());
            let _ = a.finish();
        }
    }
}
