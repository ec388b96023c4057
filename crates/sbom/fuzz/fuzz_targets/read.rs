//! Arbitrary bytes through format detection and every reader (CycloneDX
//! JSON/XML, SPDX JSON/tag-value, OpenVEX, CSAF VEX), lenient and strict,
//! and the text rendering: none of them may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = medvigil_sbom::read("fuzz", data) {
        let _ = medvigil_sbom::render::render(&parsed.value);
    }
    let _ = medvigil_sbom::read_with("fuzz", data, medvigil_sbom::ReadOptions::strict());
});
