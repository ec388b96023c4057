//! HTTP/1.x heads and SSDP messages.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(Some((_, n))) = medvigil_decode::http::parse(data) {
        assert!(n <= data.len());
    }
    let _ = medvigil_decode::ssdp::parse(data);
});
