//! Runs captures through the analyzer and prints a summary with throughput:
//! `cargo run --release -p medvigil-capture --example discover -- [--json] FILE...`
//! (`--json` also prints every observation, one JSON object a line).
//! A developer aid until the CLI's `discover` command exists.

use std::time::Instant;

use medvigil_capture::{Analyzer, Limits, Observation};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    for path in args.iter().filter(|a| *a != "--json") {
        // Streamed from the file: peak memory is the analyzer's, not the capture's.
        let (file, size) =
            match std::fs::File::open(path).and_then(|f| Ok((f.metadata()?.len(), f))) {
                Ok((size, f)) => (f, size),
                Err(e) => {
                    eprintln!("{path}: {e}");
                    continue;
                }
            };
        let start = Instant::now();
        let mut a = Analyzer::new(Limits::default());
        let sum = a.read_capture(file);
        let peak = a.buffered_bytes();
        let obs = a.finish();
        let secs = start.elapsed().as_secs_f64().max(1e-9);
        if json {
            for o in &obs {
                println!("{}", serde_json::to_string(o).unwrap_or_default());
            }
        }
        let count = |f: fn(&Observation) -> bool| obs.iter().filter(|o| f(o)).count();
        match sum {
            Ok(s) => println!(
                "{path}: {} packets, {} bytes, {:.0} MB/s, {:.2} Mpps; {} endpoints, {} flows, {} facts; {} B buffered at end",
                s.packets,
                size,
                size as f64 / secs / 1e6,
                s.packets as f64 / secs / 1e6,
                count(|o| matches!(o, Observation::Endpoint(_))),
                count(|o| matches!(o, Observation::Flow(_))),
                count(|o| matches!(o, Observation::Fact(_))),
                peak,
            ),
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
