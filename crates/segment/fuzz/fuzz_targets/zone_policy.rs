//! Zone policy files from users: any text reads without panicking; a policy
//! that reads writes back to one that reads the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_segment::ZonePolicy;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(policy) = ZonePolicy::from_toml(text) {
        let again = ZonePolicy::from_toml(&policy.to_toml());
        assert_eq!(again.as_ref().ok(), Some(&policy), "{again:?}");
    }
});
