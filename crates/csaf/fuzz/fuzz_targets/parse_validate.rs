//! Arbitrary bytes through parse and the full validator, and the
//! flattening: none of them may panic (the ingest invariant).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = medvigil_csaf::parse("fuzz", data) {
        let _ = medvigil_csaf::validate::validate(&parsed);
        let _ = medvigil_csaf::flatten::table::render(&parsed.document);
    }
});
