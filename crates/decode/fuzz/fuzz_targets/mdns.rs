//! mDNS messages (DNS name compression).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = medvigil_decode::mdns::parse(data);
});
