//! Read throughput: parses one file N times and prints MB/s, beside
//! `serde_json::Value` on the same bytes (the named peer) for JSON input.
//!
//! `cargo run --release -p medvigil-sbom --example throughput -- FILE [N]`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: throughput FILE [N]");
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mb = bytes.len() as f64 / 1e6;
    let start = Instant::now();
    let mut components = 0;
    for _ in 0..n {
        match medvigil_sbom::read(&path, &bytes) {
            Ok(p) => components = p.value.sbom.map_or(0, |s| s.components.len()),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let ours = mb * n as f64 / secs;
    println!("{path}: {mb:.2} MB, {components} components, {n} reads: {ours:.1} MB/s");
    if bytes.first() == Some(&b'{') {
        let start = Instant::now();
        for _ in 0..n {
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            std::hint::black_box(v);
        }
        let peer = mb * n as f64 / start.elapsed().as_secs_f64();
        println!(
            "serde_json::Value alone: {peer:.1} MB/s (ratio {:.2})",
            ours / peer
        );
    }
}
