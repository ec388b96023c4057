//! MLLP framing and HL7 v2 messages.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(Some(f)) = medvigil_decode::hl7::frame(data) {
        assert!(f.consumed <= data.len());
        let _ = medvigil_decode::hl7::parse_message(f.payload);
    }
    let _ = medvigil_decode::hl7::parse_message(data);
});
