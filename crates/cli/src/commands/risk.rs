//! `medvigil risk …`: findings ranked by patient-safety priority.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use medvigil_risk::Policy;

use super::Context;
use crate::output::table;

/// Risk subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Devices ranked by their most urgent finding (P1 first), with the
    /// remediation deadline and the reason in plain words.
    List(ListArgs),
    /// Every assessed finding of one device: priority, deadline, reason, the
    /// SSVC decision path and each factor's contribution.
    Explain(ExplainArgs),
}

/// `risk list`
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Devices of this site only.
    #[arg(long)]
    site: Option<String>,
    /// The N most urgent devices.
    #[arg(long)]
    top: Option<usize>,
    /// Priority policy (TOML); default: the built-in policy.
    #[arg(long, env = "MEDVIGIL_POLICY")]
    policy: Option<PathBuf>,
    /// One JSON object per device, with every assessment.
    #[arg(long)]
    json: bool,
}

/// `risk explain`
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The device: id, asset tag, serial, MAC or host name.
    device: String,
    /// Only this vulnerability.
    #[arg(long)]
    vulnerability: Option<String>,
    /// Priority policy (TOML); default: the built-in policy.
    #[arg(long, env = "MEDVIGIL_POLICY")]
    policy: Option<PathBuf>,
}

pub(crate) fn policy(path: Option<&PathBuf>) -> anyhow::Result<Policy> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read policy {}", path.display()))?;
    Policy::from_toml(&text).with_context(|| format!("policy {}", path.display()))
}

/// Runs a risk subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    let today = time::OffsetDateTime::now_utc().date();
    match cmd {
        Command::List(a) => {
            let policy = policy(a.policy.as_ref())?;
            let mut ranked =
                medvigil_intel::risk::assess_devices(&t, a.site, None, &policy, today).await?;
            let total = ranked.len();
            if let Some(n) = a.top {
                ranked.truncate(n);
            }
            if a.json {
                for d in &ranked {
                    println!("{}", serde_json::to_string(d)?);
                }
            } else {
                let mut table = table([
                    "priority",
                    "due in",
                    "asset tag",
                    "device",
                    "site",
                    "P1/P2/P3/P4",
                    "why",
                ]);
                for d in &ranked {
                    let first = d.assessments.first();
                    table.add_row([
                        d.risk.priority.map(|p| p.to_string()).unwrap_or_default(),
                        first
                            .map(|a| format!("{} d", a.deadline_days))
                            .unwrap_or_default(),
                        d.asset_tag.clone().unwrap_or_default(),
                        d.name.clone(),
                        d.site.clone().unwrap_or_default(),
                        d.risk.counts.map(|c| c.to_string()).join("/"),
                        first
                            .map(|a| format!("{}: {}", a.vuln_id, a.reason))
                            .unwrap_or_default(),
                    ]);
                }
                crate::output::emit(&table)?;
            }
            eprintln!("{total} devices with affected findings");
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain(a) => {
            let policy = policy(a.policy.as_ref())?;
            let device = t.device(&a.device).await?;
            let ranked =
                medvigil_intel::risk::assess_devices(&t, None, Some(device.id), &policy, today)
                    .await?;
            let Some(d) = ranked.first() else {
                println!("{}: no affected findings", a.device);
                return Ok(ExitCode::SUCCESS);
            };
            println!(
                "{} {} ({}): {} — P1/P2/P3/P4 {}",
                d.asset_tag.as_deref().unwrap_or("-"),
                d.name,
                d.site.as_deref().unwrap_or("-"),
                d.risk.priority.map(|p| p.to_string()).unwrap_or_default(),
                d.risk.counts.map(|c| c.to_string()).join("/")
            );
            for assessment in &d.assessments {
                if a.vulnerability
                    .as_ref()
                    .is_some_and(|v| !v.eq_ignore_ascii_case(&assessment.vuln_id))
                {
                    continue;
                }
                print!("{}", assessment.explain());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
