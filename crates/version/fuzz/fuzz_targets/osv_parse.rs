//! The OSV, CVE 5 and NVD readers never panic on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_vulndb::{cve5, nvd, osv};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let _ = osv::read_records(s);
    let _ = cve5::read_record(s);
    let _ = nvd::read_response(s);
});
