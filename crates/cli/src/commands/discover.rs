//! `medvigil discover`: read captures, show the endpoints and what their
//! traffic says about them; with `--import`, merge what they say into the
//! inventory (provenance: discovery).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use medvigil_capture::{Analyzer, EndpointKey, Fact, Limits, Observation};
use medvigil_decode::oui::OuiRegistry;
use medvigil_inventory::discovery::{conversations, discovery_rows};
use medvigil_store::{DiscoveryImport, DiscoveryOutcome};

use super::Context;

/// `discover`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// pcap or pcapng files.
    #[arg(required_unless_present = "iface")]
    captures: Vec<PathBuf>,
    #[command(flatten)]
    live: super::live::LiveArgs,
    /// Folder with the IEEE registries (oui.csv, mam.csv, oui36.csv, iab.csv);
    /// default: Debian's ieee-data.
    #[arg(long)]
    oui: Option<PathBuf>,
    /// Every observation as one JSON object a line.
    #[arg(long, conflicts_with = "import")]
    json: bool,
    /// Merge the devices seen into the inventory: matched by MAC address,
    /// else by host name (a device recorded without MAC), else, for hosts
    /// seen behind a router, by IP; their IP, VLAN and host name are
    /// updated, other fields only filled where the inventory has nothing
    /// (the CMMS stays authoritative); unknown MAC addresses become new
    /// devices, a router's MAC is never given to the hosts behind it.
    #[arg(long)]
    import: bool,
    /// With --import: report what would change, write nothing.
    #[arg(long, requires = "import")]
    dry_run: bool,
    /// With --import: the site the captures were taken at; devices the
    /// inventory does not place yet are placed there.
    #[arg(long, requires = "import")]
    site: Option<String>,
    /// Your own fingerprint rules (TOML), tried before the built-in catalog.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// With --import: use an identification (vendor, model, software,
    /// category) only when at least this sure (0–100).
    #[arg(long, default_value_t = 60)]
    min_confidence: u8,
}

/// The fingerprint catalog: the user's rules first, then the built-in ones.
pub(crate) fn catalog(rules: Option<&PathBuf>) -> anyhow::Result<medvigil_fingerprint::Catalog> {
    let builtin = medvigil_fingerprint::Catalog::builtin()?;
    let Some(path) = rules else {
        return Ok(builtin);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read rules {}", path.display()))?;
    let user = medvigil_fingerprint::Catalog::from_toml(&text)
        .with_context(|| format!("rules {}", path.display()))?;
    Ok(builtin.merge(user))
}

/// What the catalog says an endpoint is, in a few words.
fn identified(id: &medvigil_fingerprint::Identification) -> String {
    let mut parts = Vec::new();
    for a in [&id.vendor, &id.product, &id.software, &id.os]
        .into_iter()
        .flatten()
    {
        parts.push(a.value.clone());
    }
    if let Some(c) = &id.category {
        parts.push(c.value.name().to_owned());
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("{} ({}%)", parts.join(" "), id.confidence)
}

/// A short, device-identifying label for a fact.
fn label(fact: &Fact) -> Option<String> {
    let some = |s: &Option<String>| s.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
    Some(match fact {
        Fact::Dicom(d) => {
            let a = &d.association;
            let version = a
                .user_information
                .implementation_version_name
                .clone()
                .unwrap_or_default();
            format!(
                "DICOM {} → {} {version}",
                a.calling_ae_title.trim(),
                a.called_ae_title.trim()
            )
        }
        Fact::Hl7(m) => {
            let app = m
                .sending_application
                .as_ref()
                .map(|h| h.namespace_id.clone())
                .unwrap_or_default();
            let fac = m
                .sending_facility
                .as_ref()
                .map(|h| h.namespace_id.clone())
                .unwrap_or_default();
            format!("HL7 {app}@{fac}")
        }
        Fact::Dhcp(d) => {
            let host = some(&d.hostname).unwrap_or_default();
            let class = some(&d.vendor_class)
                .map(|c| format!(" class={c}"))
                .unwrap_or_default();
            if host.is_empty() && class.is_empty() {
                return None;
            }
            format!("DHCP {host}{class}")
        }
        Fact::Lldp(l) => format!("LLDP {}", some(&l.system_name).unwrap_or_default()),
        _ => return None,
    })
}

/// A bar of the bytes read out of `total`, on stderr when it is a terminal
/// (hidden otherwise, so that logs and pipes stay clean).
fn reading_bar(total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "reading captures [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Runs discovery over the captures.
pub async fn run(ctx: &Context, args: &Args) -> anyhow::Result<ExitCode> {
    let mut analyzer = Analyzer::new(Limits::default());
    match OuiRegistry::load(args.oui.as_deref()) {
        Ok(reg) => analyzer = analyzer.with_oui(reg),
        Err(e) => {
            eprintln!("warning: no MAC vendor registry ({e}); use --oui DIR or install ieee-data")
        }
    }
    let started = std::time::Instant::now();
    let (mut packets, mut bytes) = (0u64, 0u64);
    if let Some(iface) = &args.live.iface {
        let (a, summary) = super::live::capture(analyzer, iface, &args.live).await?;
        (analyzer, packets, bytes) = (a, summary.packets, summary.bytes);
    }
    let mut files = Vec::with_capacity(args.captures.len());
    for path in &args.captures {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        bytes += file.metadata().map(|m| m.len()).unwrap_or(0);
        files.push((path, file));
    }
    let bar = reading_bar(bytes);
    for (path, file) in files {
        let summary = analyzer
            .read_capture(bar.wrap_read(file))
            .with_context(|| format!("cannot read {}", path.display()))?;
        packets += summary.packets;
    }
    bar.finish_and_clear();
    let observations = analyzer.finish();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let catalog = catalog(args.rules.as_ref())?;
    let identifications = catalog.identify(&observations);
    if args.import {
        return import(ctx, args, &observations, &identifications).await;
    }
    let by_mac: BTreeMap<String, String> = identifications
        .iter()
        .filter_map(|i| Some((i.endpoint.mac?.to_string(), identified(i))))
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        for o in &observations {
            serde_json::to_writer(&mut out, o)?;
            writeln!(out)?;
        }
    } else {
        let mut rows: BTreeMap<EndpointKey, (Option<String>, u64, Vec<String>)> = BTreeMap::new();
        let mut flows = 0;
        for o in &observations {
            match o {
                Observation::Endpoint(e) => {
                    let row = rows.entry(e.key).or_default();
                    row.0.clone_from(&e.mac_vendor);
                    row.1 += e.packets_sent;
                }
                Observation::Fact(f) => {
                    if let Some(l) = label(&f.fact) {
                        let labels = &mut rows.entry(f.endpoint).or_default().2;
                        if !labels.contains(&l) {
                            labels.push(l);
                        }
                    }
                }
                Observation::Flow(_) => flows += 1,
            }
        }
        let mut table = comfy_table::Table::new();
        table
            .load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
            .set_header([
                "mac",
                "vendor (IEEE)",
                "ip",
                "vlan",
                "sent",
                "traffic says",
                "fingerprint",
            ]);
        for (key, (vendor, sent, labels)) in &rows {
            table.add_row([
                key.mac.map(|m| m.to_string()).unwrap_or_default(),
                vendor.clone().unwrap_or_default(),
                key.ip.map(|i| i.to_string()).unwrap_or_default(),
                key.vlan.map(|v| v.id.to_string()).unwrap_or_default(),
                sent.to_string(),
                labels.join("; "),
                key.mac
                    .and_then(|m| by_mac.get(&m.to_string()))
                    .cloned()
                    .unwrap_or_default(),
            ]);
        }
        writeln!(out, "{table}")?;
        writeln!(out, "{} endpoints, {flows} flows", rows.len())?;
    }
    out.flush()?;
    let sources = match &args.live.iface {
        Some(iface) => format!("interface {iface}"),
        None => format!("{} captures", args.captures.len()),
    };
    eprintln!(
        "{sources}, {packets} packets, {:.1} MB in {:.2} s ({:.0} MB/s)",
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(ExitCode::SUCCESS)
}

/// Merges the devices seen into the inventory, in one transaction.
async fn import(
    ctx: &Context,
    args: &Args,
    observations: &[Observation],
    identifications: &[medvigil_fingerprint::Identification],
) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, true).await?;
    let t = store.tenant(tenant.id);
    let rows = discovery_rows(
        observations,
        identifications,
        args.min_confidence,
        args.site.as_deref(),
    );
    let mut captures: Vec<String> = args
        .captures
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    captures.extend(args.live.iface.iter().map(|i| format!("interface {i}")));
    let conversations = conversations(observations);
    let outcome = t
        .import_discovery(DiscoveryImport {
            rows,
            conversations: conversations.clone(),
            actor: std::env::var("USER").unwrap_or_else(|_| "medvigil".into()),
            detail: format!("passive discovery: {}", captures.join(", ")),
            dry_run: args.dry_run,
            batch: None,
        })
        .await
        .context("discovery import failed; nothing was written")?;
    let DiscoveryOutcome::Applied(report, matched) = outcome else {
        anyhow::bail!("discovery import without a batch id was taken for a batch");
    };
    let verb = if report.dry_run {
        "would merge"
    } else {
        "merged"
    };
    println!(
        "discovery {verb} into '{}': {} new devices, {} updated, {} unchanged, {} rejected",
        tenant.name,
        report.created,
        report.updated,
        report.unchanged,
        report.rejected.len()
    );
    println!(
        "{} conversations (client, server, service) {}",
        conversations.len(),
        if report.dry_run {
            "seen"
        } else {
            "added to the flow record (medvigil flows)"
        }
    );
    println!(
        "matched to the inventory: {} by MAC, {} by host name, {} by IP behind a router; {} addresses behind routers match no device and were left out",
        matched.by_mac, matched.by_hostname, matched.by_ip, matched.unplaced
    );
    for e in &report.rejected {
        println!("  rejected: {e}");
    }
    Ok(if report.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// `flows`
#[derive(Debug, clap::Args)]
pub struct FlowsArgs {
    /// At most this many, most bytes first.
    #[arg(long)]
    limit: Option<u64>,
    /// One JSON object per conversation.
    #[arg(long)]
    json: bool,
}

/// Lists the conversations discovery recorded.
pub async fn flows(ctx: &Context, args: &FlowsArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let rows = store.tenant(tenant.id).conversations(args.limit).await?;
    if args.json {
        crate::output::json_lines(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = crate::output::table([
        "client",
        "server",
        "service",
        "protocol",
        "flows",
        "packets",
        "bytes",
        "first seen",
        "last seen",
    ]);
    let side = |p: &medvigil_model::Peer| match p.mac {
        Some(m) => format!("{} ({m})", p.ip),
        None => p.ip.to_string(),
    };
    for c in &rows {
        table.add_row([
            side(&c.client),
            side(&c.server),
            format!("{}/{}", c.transport, c.port),
            c.protocol.clone().unwrap_or_default(),
            c.flows.to_string(),
            c.packets.to_string(),
            c.bytes.to_string(),
            c.first_seen.date().to_string(),
            c.last_seen.date().to_string(),
        ]);
    }
    crate::output::emit(&table)?;
    eprintln!("{} conversations", rows.len());
    Ok(ExitCode::SUCCESS)
}
