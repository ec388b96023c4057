//! Policy files and CVSS vectors from users and advisories: any text reads
//! without panicking; a policy that reads writes back to one that reads the
//! same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_risk::{Policy, score};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = score(text);
    if let Ok(policy) = Policy::from_toml(text) {
        if let Ok(again) = Policy::from_toml(&policy.to_toml()) {
            assert_eq!(again, policy);
        }
    }
});
