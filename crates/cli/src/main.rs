//! `medvigil`: cyber-vigilance for connected medical devices.
//!
//! This binary only parses arguments and wires the library crates together.

mod commands;
mod output;

use clap::{Parser, Subcommand};

/// See the workspace manifest for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Cyber-vigilance for connected medical devices.
#[derive(Debug, Parser)]
#[command(name = "medvigil", version, about, propagate_version = true)]
struct Cli {
    /// Database: a SQLite file path (created if missing) or postgres://…
    #[arg(
        long,
        global = true,
        env = "MEDVIGIL_DATABASE",
        default_value = "medvigil.db"
    )]
    database: String,
    /// Tenant (hospital group or manufacturer) by name; optional when there is one.
    #[arg(long, global = true, env = "MEDVIGIL_TENANT")]
    tenant: Option<String>,
    /// More log output (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Security advisories (CSAF 2.0, OSV, CVE 5, NVD): import, list, show, validate.
    #[command(subcommand)]
    Advisories(commands::advisories::Command),
    /// Findings: which vulnerability affects which device, with evidence.
    #[command(subcommand)]
    Findings(commands::findings::Command),
    /// CSAF feeds (files, folders, providers, aggregators): add, list, sync.
    #[command(subcommand)]
    Feeds(commands::feeds::Command),
    /// Passive discovery from captures: who is on the network, and what the
    /// traffic says they are; --import merges them into the inventory.
    Discover(commands::discover::Args),
    /// Conversations passive discovery recorded (who talks to which service),
    /// for segmentation.
    Flows(commands::discover::FlowsArgs),
    /// Site sensor: capture live, send devices and conversations to a
    /// medvigil server in batches, spooling to disk while it is unreachable.
    Sensor(commands::sensor::Args),
    /// Generate the demo hospital group and load it into a local database.
    Demo(commands::demo::Args),
    /// Medical device inventory: import, list, show, export.
    #[command(subcommand)]
    Inventory(commands::inventory::Command),
    /// Remediation workflow: plan, list (overdue flagged), show the trail, update.
    #[command(subcommand)]
    Remediation(commands::remediation::Command),
    /// The risk report of the hospital group or a site: one HTML file with
    /// SVG charts (opens offline), and CSV.
    Report(commands::report::Args),
    /// Patient-safety risk: devices ranked by priority, with the reasons.
    #[command(subcommand)]
    Risk(commands::risk::Command),
    /// Network segmentation: zones, a policy learned from observed traffic,
    /// review, export (nftables, Cisco IOS, CSV) and drift.
    #[command(subcommand)]
    Segment(commands::segment::Command),
    /// SBOMs: match their components against the stored advisories, with VEX.
    #[command(subcommand)]
    Sbom(commands::sbom::Command),
    /// Run the server: HTTP API (OpenAPI at /api/v1/openapi.json, docs at
    /// /api/docs) and the web UI; plain HTTP on loopback, else TLS.
    Serve(commands::serve::Args),
    /// Accounts of the server: add (password policy enforced), list.
    #[command(subcommand)]
    Users(commands::users::Command),
    /// API tokens: create (the secret is printed once).
    #[command(subcommand)]
    Tokens(commands::users::TokenCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new(format!("medvigil={level},{level}"))
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let ctx = commands::Context {
        database: cli.database,
        tenant: cli.tenant,
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Advisories(cmd) => commands::advisories::run(&ctx, cmd).await,
            Command::Findings(cmd) => commands::findings::run(&ctx, cmd).await,
            Command::Discover(args) => commands::discover::run(&ctx, &args).await,
            Command::Feeds(cmd) => commands::feeds::run(&ctx, cmd).await,
            Command::Flows(args) => commands::discover::flows(&ctx, &args).await,
            Command::Sensor(args) => commands::sensor::run(args).await,
            Command::Demo(args) => commands::demo::run(&ctx, args).await,
            Command::Inventory(cmd) => commands::inventory::run(&ctx, cmd).await,
            Command::Remediation(cmd) => commands::remediation::run(&ctx, cmd).await,
            Command::Report(args) => commands::report::run(&ctx, args).await,
            Command::Risk(cmd) => commands::risk::run(&ctx, cmd).await,
            Command::Sbom(cmd) => commands::sbom::run(&ctx, cmd).await,
            Command::Segment(cmd) => commands::segment::run(&ctx, cmd).await,
            Command::Serve(args) => commands::serve::run(&ctx, args).await,
            Command::Users(cmd) => commands::users::run(&ctx, cmd).await,
            Command::Tokens(cmd) => commands::users::run_tokens(&ctx, cmd).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}
