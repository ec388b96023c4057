//! Any document the CSAF parser accepts goes into a catalog and is matched
//! against a few targets without panicking (the ingest invariant).
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use medvigil_ident::VendorAliases;
use medvigil_match::{Matcher, Target};

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        let aliases = Arc::new(VendorAliases::builtin().expect("builtin table"));
        let mut m = Matcher::new(aliases);
        m.insert(Target::new("a").vendor("BD").product("Alaris PC Unit").version("9.19"));
        m.insert(Target::new("b").vendor("Acme").product("X").model_number("M1"));
        m.insert(Target::new("c").vendor("Acme").product("X"));
        m
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = medvigil_csaf::parse_document("fuzz", data) {
        let _ = matcher().match_advisory(&doc);
    }
});
