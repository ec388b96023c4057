//! Any text either loads as a rule file or is refused with an error, never
//! a panic; a catalog that loads merges with the built-in one and evaluates.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_fingerprint::Catalog;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(user) = Catalog::from_toml(text) {
        let _ = user.identify(&[]);
        if let Ok(builtin) = Catalog::builtin() {
            let _ = builtin.merge(user).len();
        }
    }
});
