//! Every scheme's parser takes any text without panicking, and the order
//! of what it accepts is antisymmetric.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_version::{Scheme, Version};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = s.split_once('\n').unwrap_or((s, "1.0"));
    for scheme in Scheme::ALL {
        if let (Ok(x), Ok(y)) = (Version::parse(scheme, a), Version::parse(scheme, b)) {
            assert_eq!(x.cmp(&y), y.cmp(&x).reverse());
            assert_eq!(x == y, x.cmp(&y).is_eq());
        }
    }
});
