//! Free-text CSAF version ranges: any string reads without panicking, and
//! a range it yields answers membership for the versions in the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_match::range_text::{self, RangeText};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let RangeText::Range(r) = range_text::parse(text) {
        for word in text.split(|c: char| c.is_whitespace() || c == '|') {
            let word = word.trim_start_matches(['<', '>', '=']);
            let _ = r.contains_str(range_text::clean_version(word));
        }
    }
});
