//! Golden tests: the flattened product / status / remediation table of
//! chosen real advisories (three CISA medical advisories, plus an OASIS
//! example that uses relationships and identification helpers, which no
//! ICSMA document does). `UPDATE_GOLDEN=1` regenerates the files.

use std::path::Path;

fn check(corpus_file: &str, golden: &str) {
    let Some(path) = medvigil_testkit::corpus(corpus_file) else {
        return;
    };
    let bytes = std::fs::read(&path).expect("read advisory");
    let doc = medvigil_csaf::parse_document(corpus_file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let table = medvigil_csaf::flatten::table::render(&doc);
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(golden);
    medvigil_testkit::assert_golden(&golden, &table);
}

#[test]
fn bbraun_infusomat_space_pump() {
    check(
        "csaf/cisa-icsma/2021/icsma-21-294-01.json",
        "icsma-21-294-01.txt",
    );
}

#[test]
fn baxter_phoenix_hemodialysis() {
    check(
        "csaf/cisa-icsma/2020/icsma-20-170-03.json",
        "icsma-20-170-03.txt",
    );
}

#[test]
fn bd_alaris_guardrails_suite() {
    check(
        "csaf/cisa-icsma/2023/icsma-23-194-01.json",
        "icsma-23-194-01.txt",
    );
}

#[test]
fn oasis_example_with_relationships() {
    check(
        "csaf/oasis-csaf-2.0-examples/csaf/rhsa-2022_0011.json",
        "rhsa-2022_0011.txt",
    );
}
