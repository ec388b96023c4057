//! DICOM upper layer PDUs (PS3.8 §9.3).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = medvigil_decode::dicom::pdu_header(data);
    let _ = medvigil_decode::dicom::looks_like_associate_rq(data);
    if let Ok(Some((pdu, used))) = medvigil_decode::dicom::parse_pdu(data) {
        assert!(used >= 6);
        if let medvigil_decode::dicom::Pdu::AssociateRq(a) = pdu.value {
            for pc in &a.presentation_contexts {
                let _ = pc
                    .abstract_syntax
                    .as_deref()
                    .map(medvigil_decode::dicom::sop_class);
            }
        }
    }
});
