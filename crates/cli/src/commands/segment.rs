//! `medvigil segment …`: network segmentation from observed traffic —
//! zones, a learned policy proposed for review, approval, exports for the
//! firewall, and drift against the approved policy.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use medvigil_segment::{Missing, Policy, ZonePolicy};
use medvigil_store::{DeviceQuery, StoredPolicy, TenantStore};

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
    /// Zones file (TOML); default: the built-in hospital zones.
    #[arg(long)]
    zones: Option<PathBuf>,
    /// Print the built-in zones file (to start your own from).
    #[arg(long)]
    print_default: bool,
}

/// `segment propose`
#[derive(Debug, clap::Args)]
pub struct ProposeArgs {
    /// Zones file (TOML); default: the built-in hospital zones.
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

fn zones(path: Option<&PathBuf>) -> anyhow::Result<(String, ZonePolicy)> {
    let text = match path {
        Some(p) => std::fs::read_to_string(p)
            .with_context(|| format!("cannot read zones file {}", p.display()))?,
        None => ZonePolicy::default_toml().to_owned(),
    };
    let policy = ZonePolicy::from_toml(&text).with_context(|| match path {
        Some(p) => format!("zones file {}", p.display()),
        None => "built-in zones".into(),
    })?;
    Ok((text, policy))
}

async fn assignment(
    t: &TenantStore<'_>,
    zones: &ZonePolicy,
) -> anyhow::Result<medvigil_segment::Assignment> {
    let devices = t.devices(&DeviceQuery::default()).await?;
    Ok(medvigil_segment::assign(
        zones,
        &devices,
        time::OffsetDateTime::now_utc().date(),
    ))
}

async fn stored(t: &TenantStore<'_>, number: Option<u32>) -> anyhow::Result<StoredPolicy> {
    match number {
        Some(n) => Ok(t.segmentation_policy(n).await?),
        None => t
            .approved_segmentation()
            .await?
            .context("no approved policy: `segment propose`, then `segment approve <number>`"),
    }
}

fn parsed(p: &StoredPolicy) -> anyhow::Result<Policy> {
    Policy::from_json(&p.policy_json).with_context(|| format!("stored policy {}", p.number))
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
            let (_, zones) = zones(a.zones.as_ref())?;
            let assigned = assignment(&t, &zones).await?;
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
            let (text, zones) = zones(a.zones.as_ref())?;
            let assigned = assignment(&t, &zones).await?;
            let conversations = t.conversations(None).await?;
            let policy = medvigil_segment::learn(&assigned, &conversations);
            let stored = t
                .propose_segmentation(&text, &policy.to_json(), a.note.as_deref(), &a.actor)
                .await?;
            println!(
                "proposed policy {}: {} zones, {} conduits, {} devices with device-specific rules, from {} conversations",
                stored.number,
                policy.zones.len(),
                policy.conduits.len(),
                policy.device_rules.len(),
                conversations.len()
            );
            let current = match t.approved_segmentation().await? {
                Some(p) => parsed(&p)?,
                None => Policy {
                    allow_intra_zone: policy.allow_intra_zone,
                    zones: Vec::new(),
                    conduits: Vec::new(),
                    device_rules: Vec::new(),
                },
            };
            let d = medvigil_segment::diff(&current, &policy);
            if d.is_empty() {
                println!("no change against the approved policy");
            } else {
                emit(d.render())?;
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
            let policy = parsed(&p)?;
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
            let p = t.decide_segmentation(a.number, true, &a.actor).await?;
            println!(
                "policy {} approved by {}; export it with `segment export`, then `segment enforce {}` once applied",
                p.number, a.actor, p.number
            );
        }
        Command::Reject(a) => {
            let p = t.decide_segmentation(a.number, false, &a.actor).await?;
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
            let policy = parsed(&p)?;
            let text = match a.format {
                Format::Nftables => medvigil_segment::to_nftables(&policy),
                Format::Cisco => medvigil_segment::to_cisco_acl(&policy),
                Format::Csv => medvigil_segment::to_zone_matrix_csv(&policy),
            };
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
            let p = stored(&t, None).await?;
            let policy = parsed(&p)?;
            let zones = zones_of(&p)?;
            let assigned = assignment(&t, &zones).await?;
            // Every recorded conversation: what was learned is allowed, so
            // the rest is new traffic, or traffic the review took out.
            let conversations = t.conversations(None).await?;
            let alerts = medvigil_segment::drift(&policy, &assigned, &conversations);
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

/// The zones a stored policy was learned with.
fn zones_of(p: &StoredPolicy) -> anyhow::Result<ZonePolicy> {
    ZonePolicy::from_toml(&p.zones_toml)
        .with_context(|| format!("zones of stored policy {}", p.number))
}
