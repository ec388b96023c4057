//! LLDPDUs and CDP packets.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = medvigil_decode::lldp::parse(data);
    let _ = medvigil_decode::cdp::parse(data);
});
