//! `medvigil advisories …`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use medvigil_csaf::validate::{Level, Report};

/// Advisory subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate CSAF 2.0 documents against the spec's tests (6.1 mandatory,
    /// 6.2 optional, 6.3 informative). Exit status 2 when any document fails
    /// a mandatory test.
    Validate(ValidateArgs),
}

/// The least serious findings to print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Show {
    /// Mandatory-test failures only.
    #[default]
    Error,
    /// Also optional-test findings.
    Warning,
    /// Everything.
    Info,
}

/// `advisories validate`
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// CSAF JSON files, or folders searched for `*.json`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print findings down to this level.
    #[arg(long, value_enum, default_value_t)]
    show: Show,
    /// One JSON object per document instead of text.
    #[arg(long)]
    json: bool,
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read folder {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "json") {
                collect(&e, out)?;
            }
        }
    } else {
        out.push(path.to_owned());
    }
    Ok(())
}

fn counts(report: &Report) -> [usize; 3] {
    let n = |l: Level| report.findings.iter().filter(|f| f.level == l).count();
    [n(Level::Error), n(Level::Warning), n(Level::Info)]
}

/// Runs an advisories subcommand.
pub fn run(cmd: Command) -> anyhow::Result<ExitCode> {
    let Command::Validate(a) = cmd;
    let mut files = Vec::new();
    for p in &a.paths {
        collect(p, &mut files)?;
    }
    let started = std::time::Instant::now();
    let (mut valid, mut invalid, mut unreadable, mut bytes) = (0usize, 0usize, 0usize, 0usize);
    let min = match a.show {
        Show::Error => Level::Error,
        Show::Warning => Level::Warning,
        Show::Info => Level::Info,
    };
    for file in &files {
        let name = file.display().to_string();
        let data = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
        bytes += data.len();
        let parsed = match medvigil_csaf::parse(&name, &data) {
            Ok(p) => p,
            Err(e) => {
                unreadable += 1;
                if a.json {
                    println!(
                        "{}",
                        serde_json::json!({ "file": name, "valid": false, "parse_error": e.to_string() })
                    );
                } else {
                    println!("{name}: NOT CSAF: {e}");
                }
                continue;
            }
        };
        let report = medvigil_csaf::validate::validate(&parsed);
        let [e, w, i] = counts(&report);
        if report.is_valid() {
            valid += 1;
        } else {
            invalid += 1;
        }
        let shown: Vec<_> = report.findings.iter().filter(|f| f.level <= min).collect();
        if a.json {
            let json = serde_json::json!({
                "file": name, "valid": report.is_valid(),
                "errors": e, "warnings": w, "infos": i, "findings": shown,
            });
            println!("{json}");
        } else {
            let verdict = if report.is_valid() {
                "valid"
            } else {
                "INVALID"
            };
            println!("{name}: {verdict} ({e} errors, {w} warnings, {i} infos)");
            for f in shown {
                let level = match f.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    _ => "info",
                };
                println!("  {} {level} {}: {}", f.test, f.pointer, f.message);
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{} documents: {valid} valid, {invalid} invalid, {unreadable} not CSAF ({:.1} MB in {:.2} s, {:.0} docs/s)",
        files.len(),
        bytes as f64 / 1e6,
        secs,
        files.len() as f64 / secs.max(1e-9)
    );
    Ok(if invalid + unreadable > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
