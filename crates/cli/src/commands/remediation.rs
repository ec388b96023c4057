//! `medvigil remediation …`: what is done about each finding, by whom and by
//! when, with the full trail of who did what.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Subcommand;
use medvigil_model::{Action, Event, Status, Team};
use medvigil_store::{RemediationQuery, RemediationRow};
use time::Date;
use time::macros::format_description;

use super::Context;
use super::risk::policy;
use crate::output::{json_lines, table};

/// Remediation subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan a remediation for a device (one of its vulnerabilities, or all
    /// of them), or with --open-findings for every affected finding that has
    /// none: the vendor's update where the device may be patched, else
    /// segmentation, due by the policy's deadline.
    Plan(PlanArgs),
    /// Remediations, soonest due first; overdue ones flagged.
    List(ListArgs),
    /// One remediation and its complete trail (who, what, when).
    Show(ShowArgs),
    /// Record a step: status, owner, due date, evidence, comment, accepting
    /// the risk until a date, or not applicable.
    Update(UpdateArgs),
}

/// `remediation plan`
#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The device: id, asset tag, serial, MAC or host name.
    #[arg(
        required_unless_present = "open_findings",
        conflicts_with = "open_findings"
    )]
    device: Option<String>,
    /// The vulnerability; without it the remediation covers the whole device.
    #[arg(long)]
    vulnerability: Option<String>,
    /// What to do.
    #[arg(long, default_value = "update")]
    action: Action,
    /// The version to update to.
    #[arg(long)]
    to_version: Option<String>,
    /// The team that does it (default: network for segmentation, biomedical otherwise).
    #[arg(long)]
    owner: Option<Team>,
    /// Due date (YYYY-MM-DD); default: the policy's deadline for the finding's priority.
    #[arg(long, value_parser = parse_date)]
    due: Option<Date>,
    /// Plan every affected finding that has no remediation yet.
    #[arg(long)]
    open_findings: bool,
    /// With --open-findings: devices of this site only.
    #[arg(long)]
    site: Option<String>,
    /// Priority policy (TOML) for the deadlines; default: the built-in policy.
    #[arg(long, env = "MEDVIGIL_POLICY")]
    policy: Option<PathBuf>,
    /// Who plans it (kept in the trail).
    #[arg(long, env = "MEDVIGIL_ACTOR", default_value_t = default_actor())]
    actor: String,
}

/// `remediation list`
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Devices of this site only.
    #[arg(long)]
    site: Option<String>,
    /// With this status only.
    #[arg(long)]
    status: Option<Status>,
    /// Of this team only.
    #[arg(long)]
    owner: Option<Team>,
    /// Of this device only.
    #[arg(long)]
    device: Option<String>,
    /// Overdue ones only.
    #[arg(long)]
    overdue: bool,
    /// Priority policy (TOML) for the due dates of expired acceptances.
    #[arg(long, env = "MEDVIGIL_POLICY")]
    policy: Option<PathBuf>,
    /// One JSON object per remediation.
    #[arg(long)]
    json: bool,
}

/// `remediation show`
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The remediation id, or a unique start or end of it (`list` shows the end).
    id: String,
    /// As JSON: the remediation and its trail.
    #[arg(long)]
    json: bool,
}

/// `remediation update`
#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// The remediation id, or a unique start or end of it (`list` shows the end).
    id: String,
    /// New status: open, in-progress, done.
    #[arg(long)]
    status: Option<Status>,
    /// Hand it to another team.
    #[arg(long)]
    owner: Option<Team>,
    /// New due date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    due: Option<Date>,
    /// Accept the risk until this date (YYYY-MM-DD); needs --justification.
    #[arg(long, value_parser = parse_date, requires = "justification")]
    accept_until: Option<Date>,
    /// The finding does not apply to this device; needs --justification.
    #[arg(long, requires = "justification", conflicts_with = "accept_until")]
    not_applicable: bool,
    /// Why the risk is accepted or does not apply.
    #[arg(long)]
    justification: Option<String>,
    /// Evidence that the work was done (ticket, service report).
    #[arg(long)]
    evidence: Option<String>,
    /// A comment.
    #[arg(long)]
    comment: Option<String>,
    /// Who records it (kept in the trail).
    #[arg(long, env = "MEDVIGIL_ACTOR", default_value_t = default_actor())]
    actor: String,
}

pub(crate) fn default_actor() -> String {
    std::env::var("USER").unwrap_or_else(|_| "cli".into())
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s, format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("'{s}' is not a date (YYYY-MM-DD)"))
}

/// The random tail of the id (UUID v7 ids made in the same millisecond
/// share their head), which `show` and `update` accept.
fn short_id(id: medvigil_model::RemediationId) -> String {
    let full = id.to_string();
    full[full.len() - 12..].to_owned()
}

fn date_cell(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A remediation in one line of a table, flagged when overdue.
fn row_cells(r: &RemediationRow, today: Date) -> [String; 8] {
    let x = &r.remediation;
    let status = if x.is_overdue(today) {
        format!("{} OVERDUE", x.status)
    } else if x.status == Status::Accepted {
        format!("accepted until {}", date_cell(x.accepted_until))
    } else {
        x.status.to_string()
    };
    [
        short_id(x.id),
        r.asset_tag.clone().unwrap_or_default(),
        r.device_name.clone(),
        x.vulnerability.clone().unwrap_or_else(|| "(device)".into()),
        match &x.target_version {
            Some(v) => format!("{} to {v}", x.action),
            None => x.action.to_string(),
        },
        x.owner.to_string(),
        date_cell(x.due),
        status,
    ]
}

/// Runs a remediation subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    let today = time::OffsetDateTime::now_utc().date();
    let now = time::OffsetDateTime::now_utc();
    match cmd {
        Command::Plan(a) => {
            let policy = policy(a.policy.as_ref())?;
            if a.open_findings {
                let s =
                    medvigil_intel::remediation::plan(&t, a.site, &policy, today, &a.actor).await?;
                println!(
                    "planned {} remediations: {} updates, {} segmentations; {} findings already had one",
                    s.created.len(),
                    s.updates,
                    s.segmentations,
                    s.already_planned
                );
                return Ok(ExitCode::SUCCESS);
            }
            let key = a.device.as_deref().unwrap_or_default();
            let device = t.device(key).await?;
            let due = match a.due {
                Some(d) => Some(d),
                None => {
                    let assessed = medvigil_intel::risk::assess_devices(
                        &t,
                        None,
                        Some(device.id),
                        &policy,
                        today,
                    )
                    .await?;
                    assessed
                        .first()
                        .and_then(|d| {
                            d.assessments
                                .iter()
                                .filter(|x| {
                                    a.vulnerability
                                        .as_ref()
                                        .is_none_or(|v| v.eq_ignore_ascii_case(&x.vuln_id))
                                })
                                .map(|x| x.deadline_days)
                                .min()
                        })
                        .map(|days| medvigil_intel::remediation::due_in(today, days))
                }
            };
            let created = Event::Created {
                action: a.action,
                owner: a.owner.unwrap_or(a.action.default_team()),
                due,
                target_version: a.to_version,
            };
            let r = t
                .create_remediation(
                    device.id,
                    a.vulnerability.as_deref(),
                    created,
                    &a.actor,
                    now,
                )
                .await?;
            println!(
                "planned {} ({} for {}{}, due {})",
                r.id,
                r.action,
                key,
                r.vulnerability
                    .as_deref()
                    .map(|v| format!(" / {v}"))
                    .unwrap_or_default(),
                r.due.map_or_else(|| "not set".into(), |d| d.to_string())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::List(a) => {
            let policy = policy(a.policy.as_ref())?;
            let back = medvigil_intel::remediation::expire(&t, &policy, today).await?;
            if !back.is_empty() {
                eprintln!("{} accepted risks expired and are open again", back.len());
            }
            let device = match &a.device {
                Some(key) => Some(t.device(key).await?.id),
                None => None,
            };
            let mut rows = t
                .remediations(&RemediationQuery {
                    id: None,
                    device,
                    site: a.site,
                    status: a.status,
                    owner: a.owner,
                    vulnerability: None,
                    ..RemediationQuery::default()
                })
                .await?;
            if a.overdue {
                rows.retain(|r| r.remediation.is_overdue(today));
            }
            if a.json {
                json_lines(&rows)?;
            } else {
                let mut out = table([
                    "id",
                    "asset tag",
                    "device",
                    "vulnerability",
                    "action",
                    "owner",
                    "due",
                    "status",
                ]);
                for r in &rows {
                    out.add_row(row_cells(r, today));
                }
                crate::output::emit(&out)?;
            }
            let overdue = rows
                .iter()
                .filter(|r| r.remediation.is_overdue(today))
                .count();
            eprintln!("{} remediations, {overdue} overdue", rows.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Show(a) => {
            let (row, trail) = t.remediation(&a.id).await?;
            if a.json {
                println!(
                    "{}",
                    serde_json::json!({ "remediation": row, "trail": trail })
                );
                return Ok(ExitCode::SUCCESS);
            }
            let x = &row.remediation;
            println!(
                "{}\n  device          {} {} ({})\n  vulnerability   {}\n  action          {}{}\n  owner           {}\n  status          {}{}\n  due             {}",
                x.id,
                row.asset_tag.as_deref().unwrap_or("-"),
                row.device_name,
                row.site.as_deref().unwrap_or("-"),
                x.vulnerability.as_deref().unwrap_or("(whole device)"),
                x.action,
                x.target_version
                    .as_deref()
                    .map(|v| format!(" to {v}"))
                    .unwrap_or_default(),
                x.owner,
                x.status,
                if x.is_overdue(today) {
                    " (OVERDUE)"
                } else {
                    ""
                },
                date_cell(x.due),
            );
            if let Some(j) = &x.justification {
                println!("  justification   {j}");
            }
            if let Some(u) = x.accepted_until {
                println!("  accepted until  {u}");
            }
            println!("trail:");
            for e in &trail {
                let detail = serde_json::to_value(&e.event)?;
                let mut parts: Vec<String> = Vec::new();
                if let Some(map) = detail.as_object() {
                    for (k, v) in map {
                        if k != "kind" && !v.is_null() {
                            parts.push(format!(
                                "{k}={}",
                                v.as_str().map_or(v.to_string(), str::to_owned)
                            ));
                        }
                    }
                }
                println!(
                    "  {:>3} {} {:<10} {:<14} {}",
                    e.seq,
                    e.at.format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                    e.actor,
                    detail["kind"].as_str().unwrap_or("?"),
                    parts.join(" ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Update(a) => {
            let mut events = Vec::new();
            if let Some(text) = a.comment {
                events.push(Event::Comment { text });
            }
            if let Some(text) = a.evidence {
                events.push(Event::Evidence { text });
            }
            if let Some(to) = a.owner {
                events.push(Event::Owner { to });
            }
            if let Some(to) = a.due {
                events.push(Event::Due { to });
            }
            if let Some(to) = a.status {
                events.push(Event::Status { to });
            }
            if let Some(until) = a.accept_until {
                events.push(Event::RiskAccepted {
                    justification: a.justification.clone().unwrap_or_default(),
                    until,
                });
            }
            if a.not_applicable {
                events.push(Event::NotApplicable {
                    justification: a.justification.clone().unwrap_or_default(),
                });
            }
            if events.is_empty() {
                bail!(
                    "nothing to record: give --status, --owner, --due, --evidence, --comment, --accept-until or --not-applicable"
                );
            }
            let (row, _) = t.remediation(&a.id).await?;
            let r = t
                .record_remediation(row.remediation.id, events, &a.actor, now, today)
                .await
                .with_context(|| format!("remediation {}", a.id))?;
            println!(
                "{}: {}{}",
                r.id,
                r.status,
                r.due.map(|d| format!(", due {d}")).unwrap_or_default()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
