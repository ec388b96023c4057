//! Parse + full validation throughput over the CSAF corpora, one thread.
//!
//! `cargo run --release -p medvigil-csaf --example validate_throughput -- [ROUNDS] [DIR…]`
//!
//! Without directories it reads the real CISA advisories in the shared
//! corpora (`csaf/cisa-icsma`, `csaf/cisa-icsa-sample`, `csaf/cisa-it`).
//! Documents are loaded into memory first, so only parsing and validation
//! are timed. Peer: the `csaf-rs` crate's validator, measured from a
//! separate throwaway project (see the crate README for figures and ratio).

use std::path::{Path, PathBuf};
use std::time::Instant;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut dirs: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if dirs.is_empty() {
        let Some(root) = medvigil_testkit_free_corpora() else {
            eprintln!("no directories given and no corpora found (set MEDVIGIL_CORPORA)");
            std::process::exit(2);
        };
        dirs = ["csaf/cisa-icsma", "csaf/cisa-icsa-sample", "csaf/cisa-it"]
            .iter()
            .map(|d| root.join(d))
            .collect();
    }
    let mut files = Vec::new();
    for d in &dirs {
        json_files(d, &mut files);
    }
    files.sort();
    let docs: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read(p).ok()?)))
        .collect();
    let bytes: usize = docs.iter().map(|(_, b)| b.len()).sum();
    println!(
        "{} documents, {:.1} MB, {rounds} rounds",
        docs.len(),
        bytes as f64 / 1e6
    );

    let mut findings = 0usize;
    let mut rejected = 0usize;
    let start = Instant::now();
    for _ in 0..rounds {
        for (name, b) in &docs {
            match medvigil_csaf::parse(name, b) {
                Ok(parsed) => findings += medvigil_csaf::validate::validate(&parsed).findings.len(),
                Err(_) => rejected += 1,
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = (docs.len() * rounds) as f64;
    println!(
        "medvigil-csaf parse+validate: {:.0} docs/s, {:.1} MB/s ({} findings, {} rejected per run)",
        n / secs,
        (bytes * rounds) as f64 / 1e6 / secs,
        findings / rounds.max(1),
        rejected / rounds.max(1)
    );
}

/// The corpora folder as the test kit finds it, without depending on it here
/// (examples should run in a release build without dev-only crates).
fn medvigil_testkit_free_corpora() -> Option<PathBuf> {
    let dir = std::env::var_os("MEDVIGIL_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"));
    dir.is_dir().then_some(dir)
}
