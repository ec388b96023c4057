//! `medvigil findings …`

use std::process::ExitCode;

use clap::Subcommand;
use medvigil_store::FindingQuery;

use super::Context;
use crate::output::{json_lines, table};

/// Findings subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List findings, most confident first, with the evidence of each match.
    List(ListArgs),
    /// Match every stored advisory against every device again and replace
    /// all findings (after an inventory import).
    Rematch,
}

/// `findings list`
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// One device: id, asset tag, serial, MAC or host name.
    #[arg(long)]
    device: Option<String>,
    /// Devices of this site.
    #[arg(long)]
    site: Option<String>,
    /// One advisory (id).
    #[arg(long)]
    advisory: Option<String>,
    /// One status: affected, not_affected, fixed, under_investigation.
    #[arg(long)]
    status: Option<String>,
    /// Only matches at least this confident (0–100).
    #[arg(long)]
    min_confidence: Option<u8>,
    /// At most this many.
    #[arg(long)]
    limit: Option<u64>,
    /// One JSON object per finding (with the full evidence).
    #[arg(long)]
    json: bool,
}

/// Runs a findings subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    let a = match cmd {
        Command::Rematch => {
            let started = std::time::Instant::now();
            let n = medvigil_intel::rematch(&t).await?;
            println!(
                "{n} findings after matching every advisory against every device ({:.2} s)",
                started.elapsed().as_secs_f64()
            );
            return Ok(ExitCode::SUCCESS);
        }
        Command::List(a) => a,
    };
    let device = match &a.device {
        Some(key) => Some(t.device(key).await?.id),
        None => None,
    };
    let rows = t
        .findings(&FindingQuery {
            device,
            site: a.site,
            advisory: a.advisory,
            status: a.status,
            min_confidence: a.min_confidence,
            limit: a.limit,
            ..FindingQuery::default()
        })
        .await?;
    if a.json {
        json_lines(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = table([
        "asset tag",
        "device",
        "version",
        "vulnerability",
        "advisory",
        "status",
        "conf",
        "why",
    ]);
    for r in &rows {
        let e = &r.evidence;
        let why = match e["version"]["kind"].as_str() {
            Some("in_range") => format!(
                "{} {} in {}",
                e["matched_on"].as_str().unwrap_or("?"),
                e["version"]["version"].as_str().unwrap_or("?"),
                e["version"]["range"].as_str().unwrap_or("?")
            ),
            Some(kind) => format!("{} {kind}", e["matched_on"].as_str().unwrap_or("?")),
            None => String::new(),
        };
        table.add_row([
            r.asset_tag.clone().unwrap_or_default(),
            format!(
                "{} {}",
                r.vendor.as_deref().unwrap_or("-"),
                r.model.as_deref().unwrap_or("-")
            ),
            r.software_version
                .clone()
                .or_else(|| r.firmware_version.clone())
                .unwrap_or_default(),
            r.vulnerability.clone(),
            r.advisory.clone(),
            if r.kev {
                format!("{} KEV", r.status)
            } else {
                r.status.clone()
            },
            r.confidence.to_string(),
            why,
        ]);
    }
    crate::output::emit(&table)?;
    eprintln!("{} findings", rows.len());
    Ok(ExitCode::SUCCESS)
}
