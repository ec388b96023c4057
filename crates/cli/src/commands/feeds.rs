//! `medvigil feeds …`: CSAF feeds mirrored locally, their new and changed
//! documents imported as advisories.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Subcommand;
use medvigil_feeds::{FeedConfig, FeedSource, SyncReport, TlpLabel};

use super::Context;
use crate::output::progress_bar;

/// Feed subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Subscribe to a feed: a CSAF file, a folder, a provider (the URL of its
    /// `provider-metadata.json`, or its domain) or an aggregator (the URL of
    /// its `aggregator.json`). Adding a name again replaces its settings.
    Add(AddArgs),
    /// The feeds and their last synchronisation.
    List(ListArgs),
    /// Mirror the new and changed documents of the feeds (all, or those
    /// named) and import them as advisories. Exit status 2 when a document
    /// failed a check (hash, signature, CSAF, file name) or could not be
    /// fetched; the others are imported.
    Sync(SyncArgs),
}

/// `feeds add`
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Name of the feed.
    name: String,
    /// File, folder, provider URL or domain, or aggregator URL.
    source: String,
    /// Trusted OpenPGP public key (armored file); repeat for several.
    #[arg(long)]
    key: Vec<PathBuf>,
    /// Reject documents whose signature does not verify against a key.
    #[arg(long)]
    require_signature: bool,
    /// At most this many HTTP requests per second.
    #[arg(long)]
    rate_limit: Option<f64>,
    /// TLP labels to fetch (WHITE, GREEN, AMBER, RED, UNLABELED).
    #[arg(long, value_delimiter = ',', default_value = "WHITE")]
    tlp: Vec<String>,
    /// Where the feed's documents are mirrored (default: `medvigil-feeds`
    /// beside a SQLite database, or in the current folder).
    #[arg(long, env = "MEDVIGIL_FEEDS_DIR")]
    mirror: Option<PathBuf>,
    /// Accept plain http:// for other hosts than loopback (CSAF requires TLS).
    #[arg(long)]
    allow_http: bool,
}

/// `feeds list`
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// One JSON object per feed.
    #[arg(long)]
    json: bool,
}

/// `feeds sync`
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Feeds to synchronise (default: all).
    names: Vec<String>,
    /// Print each feed's report as JSON.
    #[arg(long)]
    json: bool,
}

fn source_of(text: &str) -> FeedSource {
    let path = Path::new(text);
    if path.is_dir() {
        FeedSource::Folder(path.to_owned())
    } else if path.is_file() {
        FeedSource::File(path.to_owned())
    } else if text.ends_with("aggregator.json") {
        FeedSource::Aggregator(text.to_owned())
    } else {
        FeedSource::Provider(text.to_owned())
    }
}

fn default_mirror(database: &str) -> PathBuf {
    if database.contains("://") && !database.starts_with("sqlite:") {
        return PathBuf::from("medvigil-feeds");
    }
    let file = database
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    Path::new(file).parent().map_or_else(
        || PathBuf::from("medvigil-feeds"),
        |d| d.join("medvigil-feeds"),
    )
}

/// Runs a feeds subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let create = matches!(cmd, Command::Add(_));
    let tenant = ctx.tenant(&store, create).await?;
    let t = store.tenant(tenant.id);
    match cmd {
        Command::Add(a) => {
            let mut config = FeedConfig::new(a.name.clone(), source_of(&a.source));
            for k in &a.key {
                config.keys.push(
                    std::fs::read_to_string(k)
                        .with_context(|| format!("cannot read key {}", k.display()))?,
                );
            }
            config.require_signature = a.require_signature;
            config.rate_limit = a.rate_limit;
            config.allow_http = a.allow_http;
            config.tlp = a
                .tlp
                .iter()
                .map(|l| TlpLabel::parse(l).with_context(|| format!("unknown TLP label '{l}'")))
                .collect::<anyhow::Result<_>>()?;
            for (i, key) in config.keys.iter().enumerate() {
                let fingerprint = medvigil_feeds::public_key_fingerprint(key)
                    .with_context(|| format!("key {} is not an OpenPGP public key", i + 1))?;
                println!("trusted key: {fingerprint}");
            }
            let mirror = a.mirror.unwrap_or_else(|| default_mirror(&ctx.database));
            t.save_feed(
                &a.name,
                &serde_json::to_string(&config)?,
                &mirror.display().to_string(),
            )
            .await?;
            println!(
                "feed '{}' saved ({:?}), mirrored in {}",
                a.name,
                config.source,
                mirror.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::List(a) => {
            let feeds = t.feeds().await?;
            for f in &feeds {
                let config: serde_json::Value = serde_json::from_str(&f.config).unwrap_or_default();
                if a.json {
                    let report: Option<serde_json::Value> = f
                        .last_report
                        .as_deref()
                        .and_then(|r| serde_json::from_str(r).ok());
                    let json = serde_json::json!({
                        "name": f.name, "source": config["source"], "mirror": f.mirror,
                        "require_signature": config["require_signature"],
                        "keys": config["keys"].as_array().map_or(0, Vec::len),
                        "last_sync": f.last_sync, "last_report": report,
                    });
                    println!("{json}");
                } else {
                    println!(
                        "{}  {} {}  keys: {}{}  last sync: {}",
                        f.name,
                        config["source"]["kind"].as_str().unwrap_or("?"),
                        config["source"]["location"].as_str().unwrap_or("?"),
                        config["keys"].as_array().map_or(0, Vec::len),
                        if config["require_signature"] == true {
                            " (required)"
                        } else {
                            ""
                        },
                        f.last_sync.as_deref().unwrap_or("never")
                    );
                }
            }
            if feeds.is_empty() {
                eprintln!("no feeds: add one with `medvigil feeds add NAME SOURCE`");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sync(a) => {
            let feeds = t.feeds().await?;
            for n in &a.names {
                if !feeds.iter().any(|f| &f.name == n) {
                    bail!("no feed named '{n}'");
                }
            }
            let mut failures = 0;
            for f in feeds
                .iter()
                .filter(|f| a.names.is_empty() || a.names.contains(&f.name))
            {
                let bar = progress_bar("syncing");
                let bar2 = bar.clone();
                let synced = medvigil_intel::feeds::sync_feed(
                    &t,
                    f,
                    Box::new(move |done, total| {
                        bar2.set_length(total);
                        bar2.set_position(done);
                    }),
                    &mut |e| eprintln!("rejected: {e}"),
                )
                .await?;
                bar.finish_and_clear();
                let medvigil_intel::feeds::FeedSync {
                    report,
                    imported,
                    json,
                } = synced;
                failures += report.failed.len() + imported.rejected.len();
                if a.json {
                    println!("{json}");
                } else {
                    print_report(&f.name, &report, &imported);
                }
            }
            Ok(if failures > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn print_report(name: &str, r: &SyncReport, imported: &medvigil_intel::ImportSummary) {
    println!(
        "feed '{name}': {} new, {} changed, {} unchanged, {} failed documents ({} requests, {:.1} MB, {:.1} s); signatures: {}",
        r.new.len(),
        r.changed.len(),
        r.unchanged,
        r.failed.len(),
        r.requests,
        r.bytes as f64 / 1e6,
        r.duration.as_secs_f64(),
        medvigil_intel::feeds::signature_counts(r)
    );
    for (url, why) in r.failed.iter().take(20) {
        println!("  failed: {url}: {why}");
    }
    println!(
        "  imported: {} new, {} updated advisories; {} findings on {} affected devices",
        imported.new, imported.updated, imported.findings, imported.affected_devices
    );
}
