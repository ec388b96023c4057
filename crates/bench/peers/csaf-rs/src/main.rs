//! csaf-rs 0.6.1 as the peer of `medvigil-bench csaf`, in two modes that
//! mirror what the benchmark does with medvigil-csaf:
//!
//! - `throughput ROUNDS FILE…`: load + validate (preset `full`) every file
//!   ROUNDS times from memory; prints `docs_per_s=… mb_per_s=…`.
//! - `suite DATA_DIR`: the OASIS conformance suite (`testcases.json`), each
//!   case's test run on its files; prints `GROUP right/total` per group,
//!   scored as medvigil's own conformance test scores itself.

use csaf_rs::csaf2_0::loader::load_document;
use csaf_rs::validation::{TestResultStatus, validate_by_preset, validate_by_test};
use serde_json::Value;
use std::path::Path;
use std::time::Instant;

fn throughput(rounds: usize, files: &[String]) {
    let docs: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let start = Instant::now();
    let mut errors = 0usize;
    for _ in 0..rounds {
        for b in &docs {
            if let Ok(doc) = load_document(b.as_slice()) {
                if let Ok(r) = validate_by_preset(&doc, "2.0", "full") {
                    errors += r.num_errors;
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "docs_per_s={:.1} mb_per_s={:.2} errors_per_round={}",
        (docs.len() * rounds) as f64 / secs,
        (bytes * rounds) as f64 / 1e6 / secs,
        errors / rounds.max(1)
    );
}

fn suite(root: &Path) {
    let index: Value = serde_json::from_slice(&std::fs::read(root.join("testcases.json")).expect("testcases.json"))
        .expect("testcases.json is JSON");
    for group in ["mandatory", "optional", "informative"] {
        let (mut right, mut total) = (0, 0);
        for case in index["tests"].as_array().into_iter().flatten().filter(|c| c["group"] == group) {
            let id = case["id"].as_str().unwrap_or_default();
            for (list, must_flag) in [("failures", true), ("valid", false)] {
                for file in case[list].as_array().into_iter().flatten() {
                    let name = file["name"].as_str().unwrap_or_default();
                    total += 1;
                    let Ok(bytes) = std::fs::read(root.join(name)) else { continue };
                    let flagged = match load_document(bytes.as_slice()) {
                        Ok(doc) => matches!(validate_by_test(&doc, id).status, TestResultStatus::Failure { .. }),
                        Err(_) => false,
                    };
                    if flagged == must_flag {
                        right += 1;
                    }
                }
            }
        }
        println!("{group} {right}/{total}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("throughput") => {
            let rounds = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(10);
            throughput(rounds, &args[2..]);
        }
        Some("suite") => suite(Path::new(args.get(1).map_or(".", String::as_str))),
        _ => {
            eprintln!("usage: peer-csaf-rs throughput ROUNDS FILE… | suite DATA_DIR");
            std::process::exit(2);
        }
    }
}
