//! `vers` parsing never panics, and what it accepts survives a round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_version::vers;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(range) = vers::parse(s)
        && let Some(text) = vers::to_vers(&range)
    {
        assert_eq!(vers::parse(&text).ok(), Some(range), "{text}");
    }
});
