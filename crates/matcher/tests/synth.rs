//! The synthetic generator is deterministic and its data matches
//! (`cargo test -p medvigil-match --features synth`).
#![cfg(feature = "synth")]

mod common;

use medvigil_match::synth::{self, Scale};
use medvigil_match::{Catalog, Matcher};

fn run(seed: u64) -> (usize, usize, usize) {
    let aliases = common::aliases();
    let mut c = Catalog::new(aliases.clone());
    for r in synth::device_records(seed, Scale::SMALL) {
        c.add_record(&r);
    }
    let mut m = Matcher::new(aliases.clone());
    for d in synth::fleet(seed, Scale::SMALL) {
        m.insert(d);
    }
    let full = m.match_all(&c);
    let doc =
        medvigil_csaf::parse_document("synth", synth::advisory(seed, Scale::SMALL, 5).as_bytes())
            .expect("synthetic advisory parses");
    let adv = m.match_advisory(&doc);
    let mut pc = Catalog::new(aliases.clone());
    for r in synth::package_records(seed, Scale::SMALL) {
        pc.add_record(&r);
    }
    let mut s = Matcher::new(aliases);
    for t in synth::sbom(seed, Scale::SMALL) {
        s.insert(t);
    }
    (full.len(), adv.len(), s.match_all(&pc).len())
}

#[test]
fn deterministic_and_matching() {
    let a = run(7);
    assert_eq!(a, run(7));
    assert!(a.0 > 1000 && a.1 > 0 && a.2 > 0, "{a:?}");
}
