//! `medvigil segment …`: network segmentation from observed traffic —
//! zones, a learned policy proposed for review, approval, exports for the
//! firewall, and drift against the approved policy.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use medvigil_intel::segmentation::{self, SegmentationError};
use medvigil_segment::{Missing, ZonePolicy};
use medvigil_store::{StoredPolicy, TenantStore};

use super::Context;
use crate::output::{emit, json_lines, table};

/// Segmentation subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Which zone every device falls in (zones file: built-in hospital
    /// zones unless --zones), with the devices that get device-specific rules.
    Zones(ZonesArgs),
    /// Learn a policy from the recorded conversations and store it as a
    /// proposal; shows what changes against the approved policy.
    Propose(ProposeArgs),
    /// Stored policies and their review status.
    List,
    /// One policy (default: the approved one): zones, conduits, device rules.
    Show(ShowArgs),
    /// Approve a proposed policy (the approved one is superseded).
    Approve(DecideArgs),
    /// Reject a proposed policy.
    Reject(DecideArgs),
    /// Record that the approved policy is (or is no longer) enforced on the
    /// network; only an enforced policy lowers devices' exposure.
    Enforce(EnforceArgs),
    /// Export a policy (default: the approved one) for the network.
    Export(ExportArgs),
    /// Conversations the approved policy does not allow.
    Drift(DriftArgs),
}

/// `segment zones`
#[derive(Debug, clap::Args)]
pub struct ZonesArgs {
    /// Zones file (TOML); default: that of the newest policy, else the
    /// built-in hospital zones.
    #[arg(long)]
    zones: Option<PathBuf>,
    /// Print the built-in zones file (to start your own from).
    #[arg(long)]
    print_default: bool,
}

/// `segment propose`
#[derive(Debug, clap::Args)]
pub struct ProposeArgs {
    /// Zones file (TOML); default: that of the newest policy (the site's
    /// zones carry over), else the built-in hospital zones.
    #[arg(long)]
    zones: Option<PathBuf>,
    /// A note for the reviewer.
    #[arg(long)]
    note: Option<String>,
    /// Who proposes it.
    #[arg(long, env = "MEDVIGIL_ACTOR", default_value_t = super::remediation::default_actor())]
    actor: String,
}

/// `segment show`
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// Policy number (default: the approved one).
    number: Option<u32>,
    /// The policy as JSON.
    #[arg(long)]
    json: bool,
}

/// `segment approve|reject`
#[derive(Debug, clap::Args)]
pub struct DecideArgs {
    /// Policy number.
    number: u32,
    /// Who decides.
    #[arg(long, env = "MEDVIGIL_ACTOR", default_value_t = super::remediation::default_actor())]
    actor: String,
    /// Why (kept with the decision).
    #[arg(long)]
    comment: Option<String>,
}

/// `segment enforce`
#[derive(Debug, clap::Args)]
pub struct EnforceArgs {
    /// Policy number (the approved one).
    number: u32,
    /// It is no longer enforced.
    #[arg(long)]
    off: bool,
}

/// Export formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// nftables ruleset (`nft -f`).
    Nftables,
    /// Cisco IOS extended ACL.
    Cisco,
    /// Zone matrix (CSV).
    Csv,
}

/// `segment export`
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Policy number (default: the approved one).
    number: Option<u32>,
    /// Format.
    #[arg(long, default_value = "nftables")]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

/// `segment drift`
#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// One JSON object per alert.
    #[arg(long)]
    json: bool,
}

const NO_APPROVED: &str = "no approved policy: `segment propose`, then `segment approve <number>`";

/// The zones file's text (`None`: the built-in zones) and its zones.
fn zones(path: Option<&PathBuf>) -> anyhow::Result<(String, ZonePolicy)> {
    let text = path
        .map(|p| {
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read zones file {}", p.display()))
        })
        .transpose()?;
    segmentation::zones(text.as_deref()).with_context(|| match path {
        Some(p) => format!("zones file {}", p.display()),
        None => "built-in zones".into(),
    })
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

async fn stored(t: &TenantStore<'_>, number: Option<u32>) -> anyhow::Result<StoredPolicy> {
    segmentation::stored(t, number).await.map_err(|e| match e {
        SegmentationError::NoApproved => anyhow::anyhow!(NO_APPROVED),
        other => other.into(),
    })
}

/// Runs a segment subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    match cmd {
        Command::Zones(a) => {
            if a.print_default {
                emit(ZonePolicy::default_toml())?;
                return Ok(ExitCode::SUCCESS);
            }
            let zones = match a.zones.as_ref() {
                Some(path) => zones(Some(path))?.1,
                None => segmentation::site_zones(&t).await?.1,
            };
            let assigned = segmentation::assignment(&t, &zones, today()).await?;
            let mut out = table(["zone", "devices", "device-specific rules"]);
            for z in assigned.zones() {
                let members = assigned.devices().iter().filter(|d| &d.zone == z);
                let (n, tight) = members.fold((0, 0), |(n, u), d| {
                    (n + 1, u + usize::from(d.unpatchable.is_some()))
                });
                out.add_row([z.to_string(), n.to_string(), tight.to_string()]);
            }
            emit(&out)?;
        }
        Command::Propose(a) => {
            // Without --zones: the site's zones (the newest policy's).
            let text = match a.zones.as_ref() {
                Some(path) => Some(zones(Some(path))?.0),
                None => None,
            };
            let p =
                segmentation::propose(&t, text.as_deref(), a.note.as_deref(), &a.actor, today())
                    .await?;
            println!(
                "proposed policy {}: {} zones, {} conduits, {} devices with device-specific rules, from {} conversations",
                p.stored.number,
                p.policy.zones.len(),
                p.policy.conduits.len(),
                p.policy.device_rules.len(),
                p.conversations
            );
            if p.diff.is_empty() {
                println!("no change against the approved policy");
            } else {
                emit(p.diff.render())?;
            }
        }
        Command::List => {
            let mut out = table([
                "number", "status", "enforced", "proposed", "by", "decided", "note",
            ]);
            for p in t.segmentation_policies().await? {
                out.add_row([
                    p.number.to_string(),
                    p.status.clone(),
                    if p.enforced { "yes" } else { "" }.into(),
                    p.proposed_at.date().to_string(),
                    p.proposed_by.clone(),
                    p.decided_at
                        .map(|d| {
                            format!("{} by {}", d.date(), p.decided_by.as_deref().unwrap_or("-"))
                        })
                        .unwrap_or_default(),
                    p.note.clone().unwrap_or_default(),
                ]);
            }
            emit(&out)?;
        }
        Command::Show(a) => {
            let p = stored(&t, a.number).await?;
            if a.json {
                emit(&p.policy_json)?;
                return Ok(ExitCode::SUCCESS);
            }
            let policy = segmentation::parsed(&p)?;
            println!(
                "policy {} ({}{})",
                p.number,
                p.status,
                if p.enforced { ", enforced" } else { "" }
            );
            emit(medvigil_segment::to_zone_matrix_csv(&policy))?;
            println!(
                "{} conduits, {} devices with device-specific rules",
                policy.conduits.len(),
                policy.device_rules.len()
            );
        }
        Command::Approve(a) => {
            let p = t
                .decide_segmentation(a.number, true, &a.actor, a.comment.as_deref())
                .await?;
            println!(
                "policy {} approved by {}; export it with `segment export`, then `segment enforce {}` once applied",
                p.number, a.actor, p.number
            );
        }
        Command::Reject(a) => {
            let p = t
                .decide_segmentation(a.number, false, &a.actor, a.comment.as_deref())
                .await?;
            println!("policy {} rejected by {}", p.number, a.actor);
        }
        Command::Enforce(a) => {
            let p = t.set_segmentation_enforced(a.number, !a.off).await?;
            println!(
                "policy {} {} enforced",
                p.number,
                if p.enforced { "is" } else { "is no longer" }
            );
        }
        Command::Export(a) => {
            let p = stored(&t, a.number).await?;
            let policy = segmentation::parsed(&p)?;
            let text = match a.format {
                Format::Nftables => segmentation::Format::Nftables,
                Format::Cisco => segmentation::Format::Cisco,
                Format::Csv => segmentation::Format::Csv,
            }
            .render(&policy);
            match a.out {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    println!("wrote policy {} to {}", p.number, path.display());
                }
                None => emit(text.trim_end())?,
            }
        }
        Command::Drift(a) => {
            let Some((p, alerts)) = segmentation::drift(&t, today()).await? else {
                anyhow::bail!(NO_APPROVED);
            };
            if a.json {
                json_lines(&alerts)?;
            } else {
                let mut out = table([
                    "client",
                    "server",
                    "service",
                    "flows",
                    "last seen",
                    "not allowed",
                ]);
                for x in &alerts {
                    let missing = match &x.missing {
                        Missing::Conduit { from, to } => format!("no conduit {from} → {to}"),
                        Missing::DeviceRule { device, direction } => {
                            format!("not in the {direction:?} rules of restricted device {device}")
                        }
                    };
                    out.add_row([
                        format!("{} ({})", x.client.ip, x.client.zone),
                        format!("{} ({})", x.server.ip, x.server.zone),
                        x.service.to_string(),
                        x.flows.to_string(),
                        x.last_seen.date().to_string(),
                        missing,
                    ]);
                }
                emit(&out)?;
            }
            eprintln!(
                "{} conversations break approved policy {}",
                alerts.len(),
                p.number
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
