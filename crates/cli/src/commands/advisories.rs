//! `medvigil advisories …`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use medvigil_csaf::validate::{Level, Report};

use super::Context;
use crate::output::{json_lines, table};

/// Advisory subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import advisories (CSAF 2.0 documents, OSV, CVE JSON 5 or NVD API 2.0
    /// records; files or folders) and match them against the inventory; also
    /// the CISA KEV catalog (JSON/CSV) and FIRST EPSS scores (CSV).
    /// Unchanged documents are skipped; a revision replaces its findings.
    /// Exit status 2 when a file could not be read (the rest is imported).
    Import(ImportArgs),
    /// List stored advisories, newest first.
    List(ListArgs),
    /// Show one advisory: metadata, validation findings, affected devices.
    Show(ShowArgs),
    /// Validate CSAF 2.0 documents against the spec's tests (6.1 mandatory,
    /// 6.2 optional, 6.3 informative). Exit status 2 when any document fails
    /// a mandatory test.
    Validate(ValidateArgs),
}

/// `advisories import`
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Advisory files (also KEV and EPSS files), or folders searched for `*.json`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Report what would be imported and found; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// `advisories list`
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only advisories whose id, title, publisher or CVE ids contain this.
    #[arg(long)]
    search: Option<String>,
    /// At most this many.
    #[arg(long)]
    limit: Option<u64>,
    /// One JSON object per advisory.
    #[arg(long)]
    json: bool,
}

/// `advisories show`
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Advisory id (`ICSMA-20-317-01`, `GO-2020-0001`, `CVE-…`).
    id: String,
    /// Print the stored document itself.
    #[arg(long, conflicts_with_all = ["json", "products"])]
    document: bool,
    /// Print the flattened product tree (CSAF): every product with its
    /// branch path and identifiers, then each vulnerability's status,
    /// remediations and scores per product.
    #[arg(long, conflicts_with = "json")]
    products: bool,
    /// As JSON.
    #[arg(long)]
    json: bool,
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
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Import(a) => import(ctx, a).await,
        Command::List(a) => list(ctx, a).await,
        Command::Show(a) => show(ctx, a).await,
        Command::Validate(a) => validate(a),
    }
}

async fn import(ctx: &Context, a: ImportArgs) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    for p in &a.paths {
        collect(p, &mut files)?;
    }
    let mut inputs = Vec::with_capacity(files.len());
    for f in &files {
        let bytes = std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?;
        inputs.push((f.display().to_string(), bytes));
    }
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, true).await?;
    let t = store.tenant(tenant.id);
    let started = std::time::Instant::now();
    let summary =
        medvigil_intel::import(&t, inputs, a.dry_run, &mut |e| eprintln!("rejected: {e}")).await?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        let dry = if a.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        println!(
            "{} files: {} new, {} updated, {} unchanged advisories, {} rejected files{dry}",
            summary.files,
            summary.new,
            summary.updated,
            summary.unchanged,
            summary.rejected.len()
        );
        if let Some(n) = summary.kev_entries {
            println!(
                "CISA KEV catalog: {n} known exploited vulnerabilities (replaces the previous catalog)"
            );
        }
        if let Some(n) = summary.epss_scores {
            println!("FIRST EPSS: {n} scores (replace the previous scores)");
        }
        println!(
            "{} findings on {} affected devices; {} advisories fail CSAF mandatory tests (stored with their findings) in {:.2} s",
            summary.findings,
            summary.affected_devices,
            summary.with_errors,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if summary.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

async fn list(ctx: &Context, a: ListArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let rows = store
        .tenant(tenant.id)
        .advisories(a.search.as_deref(), a.limit)
        .await?;
    if a.json {
        json_lines(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = table([
        "id",
        "format",
        "revised",
        "title",
        "vulnerabilities",
        "devices",
        "errors",
    ]);
    for r in &rows {
        let vulns = match r.meta.vulnerabilities.len() {
            0 => String::new(),
            1 => r.meta.vulnerabilities[0].clone(),
            n => format!("{} (+{})", r.meta.vulnerabilities[0], n - 1),
        };
        table.add_row([
            r.meta.id.clone(),
            r.meta.format.clone(),
            r.meta
                .modified
                .clone()
                .unwrap_or_default()
                .chars()
                .take(10)
                .collect(),
            r.meta
                .title
                .clone()
                .unwrap_or_default()
                .chars()
                .take(60)
                .collect(),
            vulns,
            r.affected_devices.to_string(),
            r.errors.to_string(),
        ]);
    }
    crate::output::emit(&table)?;
    eprintln!("{} advisories", rows.len());
    Ok(ExitCode::SUCCESS)
}

async fn show(ctx: &Context, a: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    let detail = t.advisory(&a.id).await?;
    if a.document {
        println!("{}", detail.document);
        return Ok(ExitCode::SUCCESS);
    }
    if a.products {
        if detail.summary.meta.format != "csaf" {
            anyhow::bail!(
                "{} is a {} record, not a CSAF document",
                detail.summary.meta.id,
                detail.summary.meta.format
            );
        }
        let doc =
            medvigil_csaf::parse_document(&detail.summary.meta.origin, detail.document.as_bytes())?;
        print!("{}", medvigil_csaf::flatten::table::render(&doc));
        return Ok(ExitCode::SUCCESS);
    }
    let findings = t
        .findings(&medvigil_store::FindingQuery {
            advisory: Some(detail.summary.meta.id.clone()),
            ..Default::default()
        })
        .await?;
    if a.json {
        let json = serde_json::json!({"advisory": detail, "findings": findings});
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(ExitCode::SUCCESS);
    }
    let s = &detail.summary;
    println!(
        "{} ({}, revision {})",
        s.meta.id,
        s.meta.format,
        s.meta.version.as_deref().unwrap_or("-")
    );
    println!("  title:      {}", s.meta.title.as_deref().unwrap_or("-"));
    println!(
        "  publisher:  {}",
        s.meta.publisher.as_deref().unwrap_or("-")
    );
    println!(
        "  published:  {}  revised: {}",
        s.meta.published.as_deref().unwrap_or("-"),
        s.meta.modified.as_deref().unwrap_or("-")
    );
    println!("  vulnerabilities: {}", s.meta.vulnerabilities.join(", "));
    println!("  from: {} (sha256 {})", s.meta.origin, s.meta.sha256);
    let diags = detail.diagnostics.as_array().map_or(0, Vec::len);
    println!("  validation: {} errors, {diags} findings in all", s.errors);
    println!(
        "  findings: {} on {} affected devices",
        findings.len(),
        s.affected_devices
    );
    for f in findings.iter().take(20) {
        println!(
            "    {} {} {} {} {} ({}, confidence {})",
            f.asset_tag.as_deref().unwrap_or("-"),
            f.vendor.as_deref().unwrap_or("-"),
            f.model.as_deref().unwrap_or("-"),
            f.software_version.as_deref().unwrap_or("-"),
            f.vulnerability,
            f.status,
            f.confidence
        );
    }
    if findings.len() > 20 {
        println!(
            "    … {} more: medvigil findings list --advisory {}",
            findings.len() - 20,
            s.meta.id
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(a: ValidateArgs) -> anyhow::Result<ExitCode> {
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
