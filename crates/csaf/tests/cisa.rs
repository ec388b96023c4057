//! Real CISA advisories (ICSMA medical, ICSA sample, IT): every one parses,
//! round-trips, passes every mandatory test (the reference validator calls
//! all of them valid) and has a non-empty flattened product tree. The spec
//! examples parse too.

mod common;

use medvigil_csaf::flatten::ProductIndex;
use medvigil_csaf::validate::validate;
use std::collections::BTreeMap;

#[test]
fn cisa_advisories_ingest_cleanly() {
    let mut files = Vec::new();
    for dir in ["csaf/cisa-icsma", "csaf/cisa-icsa-sample", "csaf/cisa-it"] {
        let Some(root) = medvigil_testkit::corpus(dir) else {
            return;
        };
        files.extend(common::json_files(&root));
    }
    assert!(
        files.len() >= 345,
        "expected the 345 CISA documents, found {}",
        files.len()
    );
    let mut problems = Vec::new();
    let mut warnings: BTreeMap<&str, usize> = BTreeMap::new();
    for path in &files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).expect("read corpus file");
        let parsed = match medvigil_csaf::parse(&name, &bytes) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("rejected: {e}"));
                continue;
            }
        };
        // Round trip: parse → serialize → parse gives the same value.
        let written = serde_json::to_vec(&parsed.document).expect("serialize");
        match medvigil_csaf::parse_document(&name, &written) {
            Ok(again) if again == parsed.document => {}
            Ok(_) => problems.push(format!("{name}: round trip changed the document")),
            Err(e) => problems.push(format!("{name}: round trip failed: {e}")),
        }
        let report = validate(&parsed);
        for e in report.errors() {
            problems.push(format!(
                "{name}: {} at {}: {}",
                e.test, e.pointer, e.message
            ));
        }
        for f in &report.findings {
            *warnings.entry(f.test).or_default() += 1;
        }
        if ProductIndex::new(&parsed.document).is_empty() {
            problems.push(format!("{name}: empty product tree"));
        }
    }
    println!(
        "{} CISA documents; findings per test: {warnings:?}",
        files.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn spec_examples_parse_and_round_trip() {
    let Some(root) = medvigil_testkit::corpus("csaf/oasis-csaf-2.0-examples/csaf") else {
        return;
    };
    let files = common::json_files(&root);
    assert!(!files.is_empty());
    for path in files {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).expect("read example");
        let parsed = medvigil_csaf::parse(&name, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let written = serde_json::to_vec(&parsed.document).expect("serialize");
        let again =
            medvigil_csaf::parse_document(&name, &written).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, parsed.document, "{name}: round trip");
    }
}

#[test]
fn conformance_documents_round_trip() {
    let Some(root) = medvigil_testkit::corpus("csaf/oasis-csaf-2.0-tests/validator/data") else {
        return;
    };
    for path in common::json_files(&root) {
        let name = path.display().to_string();
        let bytes = std::fs::read(&path).expect("read");
        // Some test documents are deliberately malformed; those must fail
        // with an error that names the file, never panic.
        match medvigil_csaf::parse(&name, &bytes) {
            Ok(parsed) => {
                let written = serde_json::to_vec(&parsed.document).expect("serialize");
                let again = medvigil_csaf::parse_document(&name, &written)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(again, parsed.document, "{name}: round trip");
            }
            Err(e) => assert!(e.to_string().contains(&name)),
        }
    }
}
