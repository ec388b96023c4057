//! The distribution-file parsers against real files: CISA's `changes.csv`,
//! `index.txt` and ROLIE feeds, and the OASIS spec examples. One summary
//! line per file, compared with `golden/formats.txt` (`UPDATE_GOLDEN=1`
//! rewrites it).

use medvigil_feeds::formats::{
    Aggregator, HashAlgorithm, ProviderMetadata, RolieFeed, parse_changes_csv, parse_hash_file,
    parse_index_txt,
};
use std::fmt::Write;
use std::path::Path;

fn summary(rel: &str, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let name = rel.rsplit('/').next().unwrap_or_default();
    if name == "changes.csv" {
        let e = parse_changes_csv(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let newest_first = e.windows(2).all(|w| w[0].changed >= w[1].changed);
        format!(
            "changes.csv: {} entries, newest first: {newest_first}",
            e.len()
        )
    } else if name == "index.txt" {
        format!("index.txt: {} entries", parse_index_txt(&text).len())
    } else if name.contains("aggregator") {
        let a = Aggregator::parse(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let mirrors: usize = a.providers.iter().map(|p| p.mirrors.len()).sum();
        format!(
            "aggregator {}: {} providers, {mirrors} mirrors",
            a.category,
            a.providers.len()
        )
    } else if name.contains("provider-metadata") {
        let m = ProviderMetadata::parse(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        format!(
            "provider-metadata {}: {} ROLIE feeds, {} directories, {} keys",
            m.role,
            m.rolie_feeds().count(),
            m.directory_urls().count(),
            m.public_openpgp_keys.len()
        )
    } else {
        let f = RolieFeed::parse(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let sha512 = f
            .entries
            .iter()
            .filter(|e| e.hash_urls.iter().any(|(a, _)| *a == HashAlgorithm::Sha512))
            .count();
        let signed = f
            .entries
            .iter()
            .filter(|e| e.signature_url.is_some())
            .count();
        let dated = f.entries.iter().filter(|e| e.updated.is_some()).count();
        format!(
            "ROLIE {}: {} entries, {sha512} with sha512, {signed} signed, {dated} dated",
            f.id,
            f.entries.len()
        )
    }
}

#[test]
fn real_distribution_files() {
    let Some(root) = medvigil_testkit::corpora() else {
        return;
    };
    let files = [
        "csaf/cisa-distribution/OT/changes.csv",
        "csaf/cisa-distribution/OT/index.txt",
        "csaf/cisa-distribution/OT/cisa-csaf-ot-feed-tlp-white.json",
        "csaf/cisa-distribution/IT/changes.csv",
        "csaf/cisa-distribution/IT/index.txt",
        "csaf/cisa-distribution/IT/cisa-csaf-it-feed-tlp-white.json",
        "csaf/oasis-csaf-2.0-examples/ROLIE/example-01-feed-tlp-white.json",
        "csaf/oasis-csaf-2.0-examples/aggregator/example-01-aggregator.json",
        "csaf/oasis-csaf-2.0-examples/aggregator/example-02-aggregator.json",
        "csaf/oasis-csaf-2.0-examples/aggregator/example-03-aggregator.json",
    ];
    let mut out = String::new();
    let mut add = |rel: &str| {
        let bytes = std::fs::read(root.join(rel)).unwrap();
        writeln!(out, "{rel}\n    {}", summary(rel, &bytes)).unwrap();
    };
    for rel in files {
        add(rel);
    }
    let pm = root.join("csaf/oasis-csaf-2.0-examples/provider-metadata");
    let mut names: Vec<_> = std::fs::read_dir(&pm)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for n in names {
        add(&format!(
            "csaf/oasis-csaf-2.0-examples/provider-metadata/{n}"
        ));
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/formats.txt");
    medvigil_testkit::assert_golden(&golden, &out);
}

#[test]
fn real_hash_files_parse() {
    let Some(dir) = medvigil_testkit::corpus("csaf/cisa-icsma") else {
        return;
    };
    let mut n = 0;
    for year in std::fs::read_dir(dir).unwrap() {
        for f in std::fs::read_dir(year.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "sha512") {
                let h =
                    parse_hash_file(&std::fs::read_to_string(&p).unwrap(), HashAlgorithm::Sha512)
                        .unwrap();
                let doc = p.file_stem().unwrap().to_string_lossy().into_owned();
                assert_eq!(h.file_name.as_deref(), Some(doc.as_str()));
                n += 1;
            }
        }
    }
    assert_eq!(n, 134);
}

/// Garbage must be an error or an empty result, never a panic.
#[test]
fn hostile_inputs_do_not_panic() {
    let cases: &[&[u8]] = &[
        b"",
        b"\xff\xfe",
        b"{}",
        b"[]",
        b"{\"feed\": 1}",
        b"{\"feed\": {\"entry\": [{\"link\": [{\"rel\": \"self\"}]}]}}",
        b"{\"distributions\": [{\"rolie\": {\"feeds\": [{}]}}], \"last_updated\": 5}",
        b"{\"csaf_providers\": [{\"metadata\": {}}]}",
        b"\"a\",\"b\nc,\"",
        b",,,\n\n\r\n",
    ];
    for c in cases {
        let t = String::from_utf8_lossy(c);
        let _ = ProviderMetadata::parse(c);
        let _ = Aggregator::parse(c);
        let _ = RolieFeed::parse(c);
        let _ = parse_changes_csv(&t);
        let _ = parse_index_txt(&t);
        let _ = parse_hash_file(&t, HashAlgorithm::Sha256);
    }
}
