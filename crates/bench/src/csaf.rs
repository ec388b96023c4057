//! `medvigil-bench csaf`: CSAF parse + full validation throughput on the
//! real CISA advisories, and the OASIS conformance suite scores, beside the
//! `csaf-rs` crate's validator in the same run.
//!
//! The peer is a separate project (`peers/csaf-rs`, its own workspace, so
//! the product build does not carry csaf-rs), built on demand. Both sides
//! load the documents into memory first and time only parse + validate, one
//! thread, `rounds` passes per run; runs alternate between the two and the
//! medians are compared.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use medvigil_csaf::validate::validate;
use serde_json::Value;

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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Docs per second of medvigil-csaf over `docs`, `rounds` passes.
fn ours(docs: &[(String, Vec<u8>)], rounds: usize) -> (f64, usize) {
    let started = Instant::now();
    let mut errors = 0;
    for _ in 0..rounds {
        for (name, bytes) in docs {
            if let Ok(parsed) = medvigil_csaf::parse(name, bytes) {
                errors += validate(&parsed).errors().count();
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    ((docs.len() * rounds) as f64 / secs, errors / rounds.max(1))
}

/// Our conformance scores, counted as the peer counts its own.
fn our_suite(root: &Path) -> anyhow::Result<Vec<(String, usize, usize)>> {
    let index: Value = serde_json::from_slice(&std::fs::read(root.join("testcases.json"))?)?;
    let mut out = Vec::new();
    for group in ["mandatory", "optional", "informative"] {
        let (mut right, mut total) = (0, 0);
        for case in index["tests"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["group"] == group)
        {
            let id = case["id"].as_str().unwrap_or_default();
            for (list, must_flag) in [("failures", true), ("valid", false)] {
                for file in case[list].as_array().into_iter().flatten() {
                    let name = file["name"].as_str().unwrap_or_default();
                    total += 1;
                    let bytes = std::fs::read(root.join(name))?;
                    let flagged = medvigil_csaf::parse(name, &bytes)
                        .is_ok_and(|p| validate(&p).of_test(id).next().is_some());
                    if flagged == must_flag {
                        right += 1;
                    }
                }
            }
        }
        out.push((group.to_owned(), right, total));
    }
    Ok(out)
}

fn build_peer() -> anyhow::Result<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/csaf-rs/Cargo.toml");
    let target = std::env::var_os("MEDVIGIL_PEER_TARGET")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/peers"));
    eprintln!(
        "building the peer (csaf-rs 0.6.1) in {} …",
        target.display()
    );
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .context("run cargo to build the peer")?;
    if !status.success() {
        bail!("building the csaf-rs peer failed");
    }
    Ok(target.join("release/peer-csaf-rs"))
}

fn peer_output(peer: &Path, args: &[String]) -> anyhow::Result<String> {
    let out = Command::new(peer)
        .args(args)
        .output()
        .context("run the peer")?;
    if !out.status.success() {
        bail!("peer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs the benchmark and prints its report.
pub fn run(corpora: &Path, runs: usize, rounds: usize) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for d in ["csaf/cisa-icsma", "csaf/cisa-icsa-sample", "csaf/cisa-it"] {
        json_files(&corpora.join(d), &mut files);
    }
    files.sort();
    if files.is_empty() {
        bail!("no CSAF documents under {}", corpora.display());
    }
    let docs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| Ok((p.display().to_string(), std::fs::read(p)?)))
        .collect::<anyhow::Result<_>>()?;
    let mb = docs.iter().map(|d| d.1.len()).sum::<usize>() as f64 / 1e6;
    let peer = build_peer()?;
    let mut peer_args = vec!["throughput".to_owned(), rounds.to_string()];
    peer_args.extend(files.iter().map(|p| p.display().to_string()));

    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    let (mut my_errors, mut their_errors) = (0, String::new());
    for run in 0..runs {
        let (rate, errors) = ours(&docs, rounds);
        my_errors = errors;
        let out = peer_output(&peer, &peer_args)?;
        let field = |k: &str| {
            out.split_whitespace()
                .find_map(|w| w.strip_prefix(k))
                .map(str::to_owned)
        };
        let peer_rate: f64 = field("docs_per_s=")
            .and_then(|v| v.parse().ok())
            .context("peer printed no rate")?;
        their_errors = field("errors_per_round=").unwrap_or_default();
        eprintln!(
            "run {}: medvigil {rate:.0} docs/s, csaf-rs {peer_rate:.0} docs/s",
            run + 1
        );
        mine.push(rate);
        theirs.push(peer_rate);
    }
    let (m, t) = (median(mine), median(theirs));
    println!(
        "CSAF parse + full validation, {} real CISA documents ({mb:.1} MB), {rounds} passes per run, {runs} runs, one thread",
        docs.len()
    );
    println!(
        "  medvigil-csaf     {m:>8.0} docs/s  {:>6.1} MB/s  errors on valid documents: {my_errors}",
        m * mb / docs.len() as f64
    );
    println!(
        "  csaf-rs 0.6.1     {t:>8.0} docs/s  {:>6.1} MB/s  errors on valid documents: {their_errors}",
        t * mb / docs.len() as f64
    );
    println!("  ratio (medians)   {:.2}x", m / t);

    let suite = corpora.join("csaf/oasis-csaf-2.0-tests/validator/data");
    let mine = our_suite(&suite)?;
    let theirs = peer_output(&peer, &["suite".to_owned(), suite.display().to_string()])?;
    println!("OASIS conformance suite (cases classified correctly, same scoring for both):");
    for ((group, right, total), line) in mine.iter().zip(theirs.lines()) {
        let peer_score = line.split_whitespace().nth(1).unwrap_or("?");
        println!("  {group:<12} medvigil-csaf {right}/{total}   csaf-rs {peer_score}");
    }
    Ok(())
}
