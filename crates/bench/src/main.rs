//! `medvigil-bench`: benchmarks on generated data, each beside a named peer
//! in the same run, reported as medians and ratios (this machine is noisy).
//!
//! `cargo run --release -p medvigil-bench -- inventory [--devices 100000] [--postgres URL]`
//! `cargo run --release -p medvigil-bench -- csaf [--runs 5] [--rounds 5]`
//! `cargo run --release -p medvigil-bench -- capture [--size-mb 1000] [--runs 3]`
//! `cargo run --release -p medvigil-bench -- risk [--devices 100000] [--runs 3]`
//! `cargo run --release -p medvigil-bench -- server [--devices 100000] [--seconds 10] [--runs 3] [--postgres URL]`
//!
//! Every measured command runs in a child process of its own, through this
//! binary's `measure` mode, so that its peak memory is its own.

mod capture;
mod csaf;
mod risk;
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(about)]
struct Cli {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// Inventory import and list (issue: foundation).
    Inventory {
        /// Devices in the generated CMMS export.
        #[arg(long, default_value_t = 100_000)]
        devices: usize,
        /// Runs per measurement (the median is reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Also measure PostgreSQL at this URL (each run imports into a new tenant).
        #[arg(long, env = "MEDVIGIL_BENCH_POSTGRES")]
        postgres: Option<String>,
        /// Working directory for generated files.
        #[arg(long, default_value = "bench-out")]
        dir: PathBuf,
    },
    /// CSAF parse + validation throughput and conformance, beside csaf-rs
    /// (issue: vulnerability intelligence).
    Csaf {
        /// Runs (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Passes over the documents per run.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// The shared corpora.
        #[arg(long, env = "MEDVIGIL_CORPORA", default_value = "../shared/corpora")]
        corpora: PathBuf,
    },
    /// Passive discovery over a generated capture, beside tshark (issue:
    /// passive discovery).
    Capture {
        /// Size of the generated capture, MB.
        #[arg(long, default_value_t = 1000)]
        size_mb: u64,
        /// Runs per measurement (the median is reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Working directory for the capture.
        #[arg(long, default_value = "bench-out")]
        dir: PathBuf,
        /// IEEE registry folder for medvigil (tshark uses its own).
        #[arg(long)]
        oui: Option<PathBuf>,
    },
    /// Risk scoring, remediation planning and the report over a generated
    /// group (issue: patient-safety risk).
    Risk {
        /// Devices in the generated group.
        #[arg(long, default_value_t = 100_000)]
        devices: usize,
        /// Runs per measurement (the median is reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Working directory.
        #[arg(long, default_value = "bench-out")]
        dir: PathBuf,
    },
    /// `medvigil serve` under load from wrk: device list, one device, the
    /// CISO overview, at 1, 10 and 100 connections (issue: server).
    Server {
        /// Devices in the generated group.
        #[arg(long, default_value_t = 100_000)]
        devices: usize,
        /// Seconds of load per route and connection count.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// Runs per cell; the table shows the median of each figure.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Also measure on PostgreSQL (a new database beside the one this URL names).
        #[arg(long, env = "MEDVIGIL_BENCH_POSTGRES")]
        postgres: Option<String>,
        /// Working directory.
        #[arg(long, default_value = "bench-out")]
        dir: PathBuf,
    },
    /// Internal: run a command and print its wall time and peak RSS.
    #[command(hide = true)]
    Measure {
        #[arg(trailing_var_arg = true, required = true)]
        argv: Vec<String>,
    },
}

/// Wall seconds and peak resident memory (KiB) of one command.
#[derive(Clone, Copy, Debug)]
struct Sample {
    secs: f64,
    max_rss_kib: i64,
}

fn measure_self(argv: &[String]) -> anyhow::Result<()> {
    let (cmd, args) = argv.split_first().context("nothing to measure")?;
    let started = Instant::now();
    let status = Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("run {cmd}"))?;
    let secs = started.elapsed().as_secs_f64();
    // Only one child has run in this process, so this is its own peak.
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)?;
    println!("{secs} {} {}", usage.max_rss(), status.code().unwrap_or(-1));
    Ok(())
}

/// Runs `argv` `runs` times, each in a fresh measuring process.
fn sample(
    runs: usize,
    mut before: impl FnMut() -> anyhow::Result<()>,
    argv: &[String],
) -> anyhow::Result<Sample> {
    let me = std::env::current_exe()?;
    let mut samples = Vec::new();
    for _ in 0..runs {
        before()?;
        let out = Command::new(&me).arg("measure").args(argv).output()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = text.split_whitespace().collect();
        if f.len() != 3 || !matches!(f[2], "0" | "2") {
            bail!(
                "{argv:?} failed: {text} {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        samples.push(Sample {
            secs: f[0].parse()?,
            max_rss_kib: f[1].parse()?,
        });
    }
    samples.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    Ok(samples[samples.len() / 2])
}

fn medvigil_bin() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe()?;
    let bin = me.with_file_name("medvigil");
    if !bin.exists() {
        bail!(
            "{} not found: run `cargo build --release -p medvigil-cli` first",
            bin.display()
        );
    }
    Ok(bin)
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn inventory(
    devices: usize,
    runs: usize,
    postgres: Option<String>,
    dir: &Path,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let bin = s(&medvigil_bin()?);
    let csv = dir.join(format!("cmms-{devices}.csv"));
    let hospital = medvigil_demo::generate_scaled(devices, 42)?;
    medvigil_inventory::write_csv(
        std::fs::File::create(&csv)?,
        hospital.devices.iter().map(|d| (None, d)),
    )?;
    let bytes = std::fs::metadata(&csv)?.len();
    println!(
        "generated {} ({devices} devices, {:.1} MB), {runs} runs each, medians",
        csv.display(),
        bytes as f64 / 1e6
    );
    println!(
        "{:<44} {:>9} {:>12} {:>10}",
        "measurement", "seconds", "rows/s", "peak MiB"
    );
    let report = |name: &str, x: Sample, rows: usize| {
        println!(
            "{name:<44} {:>9.3} {:>12.0} {:>10.1}",
            x.secs,
            rows as f64 / x.secs,
            x.max_rss_kib as f64 / 1024.0
        );
    };

    let db = dir.join("bench.db");
    let fresh = || -> anyhow::Result<()> {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", s(&db)));
        }
        Ok(())
    };
    let import = sample(
        runs,
        fresh,
        &[
            bin.clone(),
            "--database".into(),
            s(&db),
            "inventory".into(),
            "import".into(),
            s(&csv),
        ],
    )?;
    report("medvigil import → SQLite", import, devices);

    if let Some(sqlite3) = which("sqlite3") {
        let peer_db = dir.join("peer.db");
        let fresh_peer = || -> anyhow::Result<()> {
            let _ = std::fs::remove_file(&peer_db);
            Ok(())
        };
        let peer = sample(
            runs,
            fresh_peer,
            &[
                s(&sqlite3),
                s(&peer_db),
                "-cmd".into(),
                ".mode csv".into(),
                format!(".import {} devices", s(&csv)),
            ],
        )?;
        report("peer: sqlite3 .import (no validation)", peer, devices);
        println!(
            "  ratio medvigil/sqlite3 .import time: {:.2}",
            import.secs / peer.secs
        );
    } else {
        println!("peer sqlite3 not on PATH (apt-get install sqlite3): skipped");
    }

    let list = |format: &str| {
        [
            bin.clone(),
            "--database".into(),
            s(&db),
            "inventory".into(),
            "list".into(),
            "--format".into(),
            format.into(),
        ]
    };
    for format in ["table", "csv", "json"] {
        let x = sample(runs, || Ok(()), &list(format))?;
        report(
            &format!("medvigil inventory list --format {format}"),
            x,
            devices,
        );
    }
    let page = sample(
        runs,
        || Ok(()),
        &[
            bin.clone(),
            "--database".into(),
            s(&db),
            "inventory".into(),
            "list".into(),
            "--limit".into(),
            "50".into(),
            "--offset".into(),
            "50000".into(),
        ],
    )?;
    report(
        "medvigil inventory list --limit 50 --offset 50000",
        page,
        50,
    );

    if let Some(admin) = postgres {
        let psql = which("psql").context("psql not on PATH (apt-get install postgresql-client)")?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        // A fresh database per run, like the fresh SQLite file: a table that
        // grows from run to run would measure the previous runs.
        let name = format!("medvigil_bench_{stamp}");
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => bail!("the PostgreSQL URL must end in /DATABASE"),
        };
        let sql = |q: &str| -> anyhow::Result<()> {
            let st = Command::new(&psql)
                .args([admin.as_str(), "-qc", q])
                .stdout(Stdio::null())
                .status()?;
            if !st.success() {
                bail!("psql failed: {q}");
            }
            Ok(())
        };
        let fresh_pg = || -> anyhow::Result<()> {
            sql(&format!("DROP DATABASE IF EXISTS {name}"))?;
            sql(&format!("CREATE DATABASE {name}"))
        };
        let import = sample(
            runs,
            fresh_pg,
            &[
                bin.clone(),
                "--database".into(),
                url.clone(),
                "inventory".into(),
                "import".into(),
                s(&csv),
            ],
        )?;
        report("medvigil import → PostgreSQL", import, devices);
        let x = sample(
            runs,
            || Ok(()),
            &[
                bin.clone(),
                "--database".into(),
                url.clone(),
                "inventory".into(),
                "list".into(),
                "--format".into(),
                "csv".into(),
            ],
        )?;
        report("medvigil inventory list (PostgreSQL) csv", x, devices);
        let create = format!(
            "DROP TABLE IF EXISTS peer_copy; CREATE TABLE peer_copy ({})",
            medvigil_model_columns()
                .iter()
                .map(|c| format!("\"{c}\" text"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let setup = || {
            let st = Command::new(&psql)
                .args([url.as_str(), "-qc", &create])
                .stdout(Stdio::null())
                .status()?;
            if !st.success() {
                bail!("psql create failed");
            }
            Ok(())
        };
        let peer = sample(
            runs,
            setup,
            &[
                s(&psql),
                url.clone(),
                "-qc".into(),
                format!("\\copy peer_copy FROM '{}' CSV HEADER", s(&csv)),
            ],
        )?;
        report("peer: psql \\copy (no validation)", peer, devices);
        println!(
            "  ratio medvigil/psql \\copy time: {:.2}",
            import.secs / peer.secs
        );
        sql(&format!("DROP DATABASE IF EXISTS {name}"))?;
    }
    Ok(())
}

/// The CSV columns, for the peer's plain table.
fn medvigil_model_columns() -> Vec<String> {
    let mut out = Vec::new();
    let _ = medvigil_inventory::write_csv(&mut out, std::iter::empty());
    String::from_utf8_lossy(&out)
        .trim()
        .split(',')
        .map(str::to_owned)
        .collect()
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Bench::Inventory {
            devices,
            runs,
            postgres,
            dir,
        } => inventory(devices, runs, postgres, &dir),
        Bench::Csaf {
            runs,
            rounds,
            corpora,
        } => csaf::run(&corpora, runs, rounds),
        Bench::Capture {
            size_mb,
            runs,
            dir,
            oui,
        } => capture::run(size_mb, runs, &dir, oui),
        Bench::Risk { devices, runs, dir } => risk::run(devices, runs, &dir),
        Bench::Server {
            devices,
            seconds,
            runs,
            postgres,
            dir,
        } => server::run(devices, seconds, runs, postgres, &dir),
        Bench::Measure { argv } => measure_self(&argv),
    }
}
