//! Scale benchmark of the matcher on deterministic synthetic data.
//!
//! `cargo run --release -p medvigil-match --features synth --example match_bench [-- --small] [--runs N]`
//!
//! Times (medians of several runs): catalog build from 300,000 records
//! (~1,000,000 affected ranges); full match against 100,000 devices (goal
//! ≤ 10 s on one core); one new CSAF advisory against that state (goal
//! ≤ 50 ms); a 10,000-component SBOM against 500,000 OSV-style records
//! (goal ≤ 1 s). Prints peak RSS (VmHWM).

use std::sync::Arc;
use std::time::{Duration, Instant};

use medvigil_ident::VendorAliases;
use medvigil_match::synth::{self, Scale};
use medvigil_match::{Catalog, Matcher};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time of this thread (utime + stime from /proc, 10 ms ticks): on a
/// shared machine wall time also counts other processes' turns.
fn cpu_time() -> Duration {
    let ticks = std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            // After the command come the state (field 3), then fields 4..;
            // utime and stime are fields 14 and 15.
            let f: Vec<u64> = rest
                .split_whitespace()
                .skip(1)
                .map(|x| x.parse().unwrap_or(0))
                .collect();
            Some(f.get(10)? + f.get(11)?)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// Runs `f` `runs` times; the median wall time and the median CPU time.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        // Drop the previous result first: two at once would double the peak RSS.
        drop(last.take());
        let c = cpu_time();
        let t = Instant::now();
        let out = f();
        times.push(t.elapsed());
        cpu.push(cpu_time().saturating_sub(c));
        last = Some(out);
    }
    println!(
        "  [wall {:.2?}, cpu {:.2?}]",
        median(times.clone()),
        median(cpu)
    );
    (median(times), last.expect("at least one run"))
}

fn vm_hwm() -> String {
    // Reading /proc is the example's business, not the library's.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let scale = if args.iter().any(|a| a == "--small") {
        Scale::SMALL
    } else {
        Scale::FULL
    };
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed = 42;
    let aliases = Arc::new(VendorAliases::builtin()?);

    // Records are generated on the fly (a stored copy would dominate the
    // peak RSS); generation alone is timed too, and subtracted.
    let (generate, ranges) = time(runs, || {
        synth::device_records(seed, scale)
            .map(|r| r.affected.len())
            .sum::<usize>()
    });
    println!(
        "generate {} records with {ranges} affected ranges: {generate:.2?} (median of {runs})",
        scale.records
    );
    let (total, catalog) = time(runs, || {
        let mut c = Catalog::new(aliases.clone());
        for r in synth::device_records(seed, scale) {
            c.add_record(&r);
        }
        c
    });
    println!(
        "catalog build: {:.2?} (generate + build {total:.2?} minus generate; median of {runs}); \
         {} entries, {} keys, {} distinct ranges",
        total.saturating_sub(generate),
        catalog.len(),
        catalog.key_count(),
        catalog.range_count()
    );
    println!("peak RSS after catalog build (VmHWM): {}", vm_hwm());

    let mut matcher = Matcher::new(aliases.clone());
    let t = Instant::now();
    for d in synth::fleet(seed, scale) {
        matcher.insert(d);
    }
    println!("indexed {} devices in {:.2?}", matcher.len(), t.elapsed());

    let (full, findings) = time(runs, || matcher.match_all(&catalog));
    println!(
        "full match: {full:.2?} (median of {runs}; goal <= 10 s); {} findings",
        findings.len()
    );
    drop(findings);

    let docs: Vec<_> = (0..21)
        .map(|i| {
            let json = synth::advisory(seed + i, scale, 5);
            medvigil_csaf::parse_document("synth", json.as_bytes())
        })
        .collect::<Result<_, _>>()?;
    let mut times = Vec::new();
    let mut n = 0;
    for d in &docs {
        let t = Instant::now();
        n = matcher.match_advisory(d).len();
        times.push(t.elapsed());
    }
    println!(
        "one advisory (5 products, 10 entries): {:.2?} (median of {}; goal <= 50 ms); {n} findings",
        median(times),
        docs.len()
    );

    println!("peak RSS after the device matching (VmHWM): {}", vm_hwm());
    drop(docs);
    drop(matcher);
    drop(catalog);

    let t = Instant::now();
    let mut pkg_catalog = Catalog::new(aliases.clone());
    for r in synth::package_records(seed, scale) {
        pkg_catalog.add_record(&r);
    }
    println!(
        "package catalog (generate + build): {:.2?}; {} entries",
        t.elapsed(),
        pkg_catalog.len()
    );
    let mut sbom = Matcher::new(aliases);
    for c in synth::sbom(seed, scale) {
        sbom.insert(c);
    }
    let (sbom_time, sbom_findings) = time(runs.max(5), || sbom.match_all(&pkg_catalog));
    println!(
        "SBOM match ({} components): {sbom_time:.2?} (median; goal <= 1 s); {} findings",
        sbom.len(),
        sbom_findings.len()
    );
    println!("peak RSS of the whole run (VmHWM): {}", vm_hwm());
    Ok(())
}
