//! No input makes parse, validate or flatten panic (the invariant the fuzz
//! target checks on arbitrary bytes; this is its deterministic, stable-Rust
//! counterpart): truncations, byte substitutions and type swaps of real
//! documents and of the conformance files.

mod common;

fn exercise(name: &str, bytes: &[u8]) {
    if let Ok(parsed) = medvigil_csaf::parse(name, bytes) {
        let _ = medvigil_csaf::validate::validate(&parsed);
        let _ = medvigil_csaf::flatten::table::render(&parsed.document);
    }
}

/// A tiny deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_documents_never_panic() {
    let Some(root) = medvigil_testkit::corpus("csaf/oasis-csaf-2.0-tests/validator/data") else {
        return;
    };
    let mut files = common::json_files(&root);
    if let Some(icsma) = medvigil_testkit::corpus("csaf/cisa-icsma/2023") {
        files.extend(common::json_files(&icsma));
    }
    let mut rng = Rng(0x5eed_c5af);
    const SWAPS: &[(&[u8], &[u8])] = &[
        (b"\"", b"["),
        (b"[", b"{"),
        (b"\"2.0\"", b"2.0"),
        (b"\"product_id\"", b"\"product_id\":1,\"x\""),
        (b"T", b"\xff"),
        (b":", b":-"),
        (b"-", b"\\u00e9"),
    ];
    for path in files.iter().step_by(3) {
        let bytes = std::fs::read(path).expect("read");
        let name = path.display().to_string();
        exercise(&name, &bytes);
        for _ in 0..6 {
            let cut = (rng.next() as usize) % bytes.len().max(1);
            exercise(&name, &bytes[..cut]);
            let mut flipped = bytes.clone();
            let at = (rng.next() as usize) % flipped.len().max(1);
            if let Some(b) = flipped.get_mut(at) {
                *b = (rng.next() & 0xff) as u8;
            }
            exercise(&name, &flipped);
            let (from, to) = SWAPS[(rng.next() as usize) % SWAPS.len()];
            if let Some(pos) = bytes.windows(from.len()).skip(at).position(|w| w == from) {
                let pos = pos + at;
                let mut swapped = bytes[..pos].to_vec();
                swapped.extend_from_slice(to);
                swapped.extend_from_slice(&bytes[pos + from.len()..]);
                exercise(&name, &swapped);
            }
        }
    }
}

#[test]
fn parse_errors_name_file_and_pointer() {
    let bad = br#"{"document": {"tracking": {"revision_history": [{"number": 1}]}}}"#;
    let err = medvigil_csaf::parse("bad.json", bad)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("bad.json"), "{err}");
    assert!(
        err.contains("/document/tracking/revision_history/0/number"),
        "{err}"
    );
    let err = medvigil_csaf::parse("trunc.json", b"{\"document\": ")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("trunc.json") && err.contains("line 1"),
        "{err}"
    );
}
