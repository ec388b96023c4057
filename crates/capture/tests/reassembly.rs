//! TCP reassembly: split PDUs, out-of-order, retransmitted and overlapping
//! segments, and the memory caps.

mod common;

use medvigil_capture::reassembly::{PushOutcome, StreamBuffer, StreamLimits};
use medvigil_capture::{Fact, Limits, Observation};

fn lim() -> StreamLimits {
    StreamLimits::default()
}

#[test]
fn in_order_and_split() {
    let mut s = StreamBuffer::new();
    s.syn(99);
    assert_eq!(s.push(100, b"hel", &lim()), PushOutcome::Accepted);
    assert_eq!(s.push(103, b"lo", &lim()), PushOutcome::Accepted);
    assert_eq!(s.data(), b"hello");
    s.consume(2);
    assert_eq!(s.data(), b"llo");
}

#[test]
fn out_of_order_is_held_then_delivered() {
    let mut s = StreamBuffer::new();
    s.syn(0);
    s.push(6, b"world", &lim());
    assert_eq!(s.data(), b"");
    s.push(1, b"hello", &lim());
    assert_eq!(s.data(), b"helloworld");
}

#[test]
fn retransmission_and_overlap_keep_first_copy() {
    let mut s = StreamBuffer::new();
    s.syn(0);
    s.push(1, b"abcd", &lim());
    s.push(1, b"abcd", &lim());
    // Overlap: bytes 3..6, of which 3..4 were delivered; first copy wins.
    s.push(3, b"XXef", &lim());
    assert_eq!(s.data(), b"abcdef");
    // Overlapping held segments resolve in sequence order: the one that
    // starts earlier is delivered first and wins the overlap.
    s.push(9, b"ij", &lim());
    s.push(8, b"hYj", &lim());
    s.push(7, b"g", &lim());
    assert_eq!(s.data(), b"abcdefghYj");
    assert_eq!(s.stats().duplicate, 4 + 2 + 2);
}

#[test]
fn sequence_wraparound() {
    let mut s = StreamBuffer::new();
    s.syn(u32::MAX - 2);
    s.push(u32::MAX - 1, b"ab", &lim());
    s.push(0, b"cd", &lim());
    assert_eq!(s.data(), b"abcd");
}

#[test]
fn skip_does_not_copy() {
    let mut s = StreamBuffer::new();
    s.syn(0);
    s.push(1, b"hdr", &lim());
    s.consume(10);
    s.push(4, b"1234567XY", &lim());
    assert_eq!(s.data(), b"XY");
}

#[test]
fn caps_are_enforced() {
    let small = StreamLimits {
        max_buffer: 8,
        max_out_of_order_bytes: 6,
        max_out_of_order_segments: 2,
    };
    let mut s = StreamBuffer::new();
    s.syn(0);
    assert_eq!(s.push(1, b"12345678", &small), PushOutcome::Accepted);
    assert_eq!(s.push(9, b"9", &small), PushOutcome::Overflow);
    assert!(s.is_ignoring());
    assert_eq!(s.memory(), 0);

    let mut s = StreamBuffer::new();
    s.syn(0);
    s.push(1, b"a", &small);
    s.push(10, b"bb", &small);
    s.push(20, b"cc", &small);
    assert!(s.memory() <= 8 + 6);
    // A third held segment does not fit: the stream jumps the gap.
    assert_eq!(s.push(30, b"dd", &small), PushOutcome::Gap);
    assert_eq!(s.stats().gaps, 1);
    // Bytes before the gap were dropped; the held segment after it waits.
    assert_eq!(s.data(), b"bb");
    assert!(s.memory() <= 8 + 6);
}

fn dicom_facts(obs: &[Observation]) -> Vec<String> {
    obs.iter()
        .filter_map(|o| match o {
            Observation::Fact(f) => match &f.fact {
                Fact::Dicom(d) => Some(d.association.calling_ae_title.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn analyzer_reassembles_a_split_out_of_order_retransmitted_pdu() {
    let rq = common::associate_rq("MODALITY_1", "PACS");
    let (a, b, c) = (&rq[..50], &rq[50..120], &rq[120..]);
    let frames = vec![
        common::tcp(1, 40000, 2, 11112, 1000, true, &[]),
        common::tcp(1, 40000, 2, 11112, 1001 + 120, false, c),
        common::tcp(1, 40000, 2, 11112, 1001, false, a),
        common::tcp(1, 40000, 2, 11112, 1001, false, a),
        common::tcp(1, 40000, 2, 11112, 1001 + 40, false, &rq[40..120]),
        common::tcp(1, 40000, 2, 11112, 1001 + 50, false, b),
    ];
    let obs = common::analyze_bytes(&common::pcap(&frames), Limits::default());
    assert_eq!(dicom_facts(&obs), vec!["MODALITY_1".to_owned()]);
}

#[test]
fn analyzer_flow_and_memory_caps() {
    let rq = common::associate_rq("M", "P");
    let half = &rq[..rq.len() / 2];
    // Many flows each holding half a PDU: the total cap sheds the oldest.
    let frames: Vec<_> = (0..40u16)
        .map(|i| common::tcp(1, 40000 + i, 2, 104, 1, false, half))
        .collect();
    let limits = Limits {
        max_total_buffered: 4096,
        max_flows: 16,
        ..Limits::default()
    };
    let mut an = medvigil_capture::Analyzer::new(limits);
    let _ = an.read_capture(common::pcap(&frames).as_slice());
    assert!(
        an.buffered_bytes() <= 4096 + 2048,
        "{}",
        an.buffered_bytes()
    );
    assert!(an.flow_count() <= 16);
    assert_eq!(an.stats().flows_evicted, 24);
    let obs = an.finish();
    let flows = obs
        .iter()
        .filter(|o| matches!(o, Observation::Flow(_)))
        .count();
    assert_eq!(flows, 40, "evicted flows are reported, not lost");
}
