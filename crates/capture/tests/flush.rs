//! Batches from `flush` merge to what one pass reports.

mod common;

use medvigil_capture::{Analyzer, Limits, Observation, RawPacket, Timestamp, for_each_packet};

#[test]
fn flushed_batches_add_up() {
    let Some(dir) = medvigil_testkit::corpus("pcap/medical-tapirx") else {
        return;
    };
    let bytes = std::fs::read(dir.join("HL7-ORU.pcap")).unwrap_or_default();
    let mut packets: Vec<(u16, Timestamp, Vec<u8>)> = Vec::new();
    let _ = for_each_packet(bytes.as_slice(), |p| {
        packets.push((p.linktype, p.timestamp, p.data.to_vec()))
    });
    assert_eq!(packets.len(), 11);

    let whole = common::analyze(&dir.join("HL7-ORU.pcap")).1;
    let mut a = Analyzer::new(Limits::default());
    let mut batches = Vec::new();
    for (i, (linktype, timestamp, data)) in packets.iter().enumerate() {
        a.process(RawPacket {
            linktype: *linktype,
            timestamp: *timestamp,
            data,
            orig_len: data.len() as u32,
        });
        if i == 4 {
            batches.extend(a.flush());
        }
    }
    batches.extend(a.finish());

    let total = |obs: &[Observation]| -> (u64, u64, u64, Timestamp, Timestamp) {
        let mut t = (0, 0, 0, Timestamp(u64::MAX), Timestamp(0));
        for o in obs {
            if let Observation::Flow(f) = o {
                t.0 += f.packets_to_dst + f.packets_to_src;
                t.1 += f.bytes_to_dst + f.bytes_to_src;
                t.3 = t.3.min(f.first_seen);
                t.4 = t.4.max(f.last_seen);
            }
            if let Observation::Endpoint(e) = o {
                t.2 += e.packets_sent;
            }
        }
        t
    };
    assert_eq!(total(&batches), total(&whole));
    let facts = |obs: &[Observation]| {
        obs.iter()
            .filter(|o| matches!(o, Observation::Fact(_)))
            .count()
    };
    assert_eq!(facts(&batches), facts(&whole));
    let flows = batches
        .iter()
        .filter(|o| matches!(o, Observation::Flow(_)))
        .count();
    assert_eq!(flows, 2, "one flow record per batch");
}
