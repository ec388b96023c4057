//! Whole capture files through capture + decode, with small caps so that
//! eviction and gap paths are reached.
#![no_main]

use medvigil_capture::reassembly::StreamLimits;
use medvigil_capture::{Analyzer, Limits};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_flows: 8,
        max_endpoints: 16,
        stream: StreamLimits {
            max_buffer: 4096,
            max_out_of_order_bytes: 2048,
            max_out_of_order_segments: 4,
        },
        max_total_buffered: 8192,
        max_fact_dedup: 32,
    };
    let mut a = Analyzer::new(limits);
    let _ = a.read_capture(data);
    assert!(a.buffered_bytes() <= 8192 + 2 * (4096 + 2048));
    let _ = a.finish();
});
