//! TLS ClientHello.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = medvigil_decode::tls::parse_client_hello(data);
});
