//! Risk scoring at scale (issue: patient-safety risk): a generated
//! hospital group of `devices` devices with the demo advisories' findings,
//! scored and ranked by `medvigil risk list`, planned by `medvigil
//! remediation plan --open-findings`, and reported by `medvigil report`.
//! No peer tool scores medical-device risk; the goal (≤ 2 s for 100,000
//! devices) is the reference.

use std::path::Path;

use super::{Sample, medvigil_bin, s, sample};

/// Runs the risk benchmark.
pub fn run(devices: usize, runs: usize, dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let bin = s(&medvigil_bin()?);
    let csv = dir.join(format!("risk-cmms-{devices}.csv"));
    let hospital = medvigil_demo::generate_scaled(devices, 42)?;
    medvigil_inventory::write_csv(
        std::fs::File::create(&csv)?,
        hospital.devices.iter().map(|d| (None, d)),
    )?;
    let advisories = dir.join("risk-advisories");
    std::fs::create_dir_all(&advisories)?;
    for a in medvigil_demo::advisories()? {
        std::fs::write(advisories.join(&a.file_name), a.json)?;
    }
    let db = dir.join("risk.db");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", s(&db)));
    }
    let cli = |args: &[&str]| -> Vec<String> {
        let mut v = vec![bin.clone(), "--database".into(), s(&db)];
        v.extend(args.iter().map(|a| (*a).to_owned()));
        v
    };
    for step in [
        cli(&["inventory", "import", &s(&csv)]),
        cli(&["advisories", "import", &s(&advisories)]),
    ] {
        let st = std::process::Command::new(&step[0])
            .args(&step[1..])
            .stdout(std::process::Stdio::null())
            .status()?;
        anyhow::ensure!(st.success(), "{step:?} failed");
    }
    let findings = std::process::Command::new(&bin)
        .args(["--database", &s(&db), "findings", "list", "--json"])
        .output()?
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    println!("{devices} devices, {findings} findings (5 demo advisories); {runs} runs, medians");
    println!("{:<52} {:>9} {:>10}", "measurement", "seconds", "peak MiB");
    let report = |name: &str, x: Sample| {
        println!(
            "{name:<52} {:>9.3} {:>10.1}",
            x.secs,
            x.max_rss_kib as f64 / 1024.0
        );
    };
    let risk = sample(runs, || Ok(()), &cli(&["risk", "list", "--top", "20"]))?;
    report("medvigil risk list --top 20 (score + rank all)", risk);
    println!(
        "  goal <= 2 s: {} ({:.2} of the goal)",
        if risk.secs <= 2.0 { "met" } else { "NOT met" },
        risk.secs / 2.0
    );
    let json = sample(runs, || Ok(()), &cli(&["risk", "list", "--json"]))?;
    report("medvigil risk list --json (all, ~110 MB written)", json);
    let plan = sample(
        1,
        || Ok(()),
        &cli(&["remediation", "plan", "--open-findings"]),
    )?;
    report("medvigil remediation plan --open-findings (once)", plan);
    let html = dir.join("risk-report.html");
    let rep = sample(runs, || Ok(()), &cli(&["report", "--out", &s(&html)]))?;
    report("medvigil report (HTML, group scope)", rep);
    Ok(())
}
