//! DHCPv4 messages.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = medvigil_decode::dhcp::parse(data);
});
