//! CPE parsing (both bindings) never panics; an accepted name survives a
//! round trip through both bindings and matches itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_ident::Cpe;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(cpe) = Cpe::parse(s) {
        assert_eq!(
            Cpe::parse(&cpe.to_formatted_string()).ok().as_ref(),
            Some(&cpe)
        );
        assert_eq!(Cpe::parse(&cpe.to_uri()).ok().as_ref(), Some(&cpe));
        let _ = medvigil_ident::cpe::compare(&cpe, &cpe);
    }
});
