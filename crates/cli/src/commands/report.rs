//! `medvigil report`: the patient-safety risk report of the hospital group
//! or of one site, as a self-contained HTML file (charts in SVG, nothing
//! fetched when it is opened) and CSV files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use super::risk::policy;

/// `report`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// One site only (default: the whole hospital group, broken down by site).
    #[arg(long)]
    site: Option<String>,
    /// The HTML file to write.
    #[arg(long, short, default_value = "medvigil-report.html")]
    out: PathBuf,
    /// Also write the devices (`<out>.devices.csv`) and the remediations
    /// (`<out>.remediations.csv`) as CSV.
    #[arg(long)]
    csv: bool,
    /// Priority policy (TOML); default: the built-in policy.
    #[arg(long, env = "MEDVIGIL_POLICY")]
    policy: Option<PathBuf>,
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes the report.
pub async fn run(ctx: &Context, a: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    let policy = policy(a.policy.as_ref())?;
    let now = time::OffsetDateTime::now_utc();
    medvigil_intel::remediation::expire(&t, &policy, now.date()).await?;
    let whole_tenant = a.site.is_none();
    let input = medvigil_intel::report::input(&t, &tenant.name, a.site, &policy, now).await?;
    if whole_tenant {
        // The whole tenant was assessed: keep the day for the trend.
        t.record_risk_day(&medvigil_intel::history::day_of(&input, now.date()))
            .await?;
    }
    write(&a.out, &medvigil_report::render_html(&input))?;
    let s = medvigil_report::summary(&input);
    println!(
        "wrote {}: {} devices, {} with findings (P1 {}, P2 {}, P3 {}, P4 {}); {} remediations overdue",
        a.out.display(),
        s.devices,
        s.with_findings,
        s.devices_by_priority[0],
        s.devices_by_priority[1],
        s.devices_by_priority[2],
        s.devices_by_priority[3],
        s.overdue
    );
    if a.csv {
        for (suffix, text) in [
            ("devices.csv", medvigil_report::render_csv(&input)),
            (
                "remediations.csv",
                medvigil_report::render_remediations_csv(&input),
            ),
        ] {
            let path = a.out.with_extension(suffix);
            write(&path, &text)?;
            println!("wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
