//! `medvigil inventory …`

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Subcommand};
use medvigil_inventory::{Encoding, ImportOptions, MappingFile};
use medvigil_model::{Category, DeviceField, EuClass};
use medvigil_store::DeviceQuery;

use super::Context;
use crate::output::{Format, follow, progress_bar, write_devices};

/// Inventory subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import a CMMS / asset-management CSV export.
    Import(ImportArgs),
    /// List devices.
    List(ListArgs),
    /// Show one device with the provenance of every field.
    Show(ShowArgs),
    /// Export devices as CSV (re-importable) or JSON.
    Export(ExportArgs),
}

/// `inventory import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file.
    file: PathBuf,
    /// A TOML mapping file: `[columns] "Header" = "field"` (see README).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Character encoding: auto, utf-8, windows-1252.
    #[arg(long)]
    encoding: Option<Encoding>,
    /// Site for rows that name none.
    #[arg(long)]
    site: Option<String>,
    /// Report what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write nothing if any row is rejected.
    #[arg(long)]
    strict: bool,
    /// Who imports (recorded as provenance); defaults to $USER.
    #[arg(long, env = "USER", default_value = "cli")]
    actor: String,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Filters shared by `list` and `export`.
#[derive(Debug, Args)]
pub struct Filters {
    /// Site name.
    #[arg(long)]
    site: Option<String>,
    /// Category (e.g. infusion-pump, patient-monitor, imaging).
    #[arg(long)]
    category: Option<Category>,
    /// EU MDR class (I, IIa, IIb, III).
    #[arg(long = "class")]
    eu_class: Option<EuClass>,
    /// Vendor name contains.
    #[arg(long)]
    vendor: Option<String>,
    /// Text search over vendor, model, serial, asset tag, host name, IP, MAC, ward.
    #[arg(long, short = 'q')]
    search: Option<String>,
}

impl Filters {
    fn query(self, limit: Option<u64>, offset: u64) -> DeviceQuery {
        DeviceQuery {
            site: self.site,
            category: self.category,
            eu_class: self.eu_class,
            vendor: self.vendor,
            search: self.search,
            with_findings: false,
            limit,
            offset,
            ..DeviceQuery::default()
        }
    }
}

/// `inventory list`
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    filters: Filters,
    /// At most this many devices.
    #[arg(long)]
    limit: Option<u64>,
    /// Skip this many first.
    #[arg(long, default_value_t = 0)]
    offset: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `inventory show`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Device id, asset tag, serial number, MAC address or host name.
    key: String,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `inventory export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    filters: Filters,
    /// csv or json.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Output file (default: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs an inventory subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Import(a) => import(ctx, a).await,
        Command::List(a) => {
            let store = ctx.store().await?;
            let tenant = ctx.tenant(&store, false).await?;
            let devices = store
                .tenant(tenant.id)
                .devices(&a.filters.query(a.limit, a.offset))
                .await?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            write_devices(&mut out, &devices, a.format)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show(a) => show(ctx, a).await,
        Command::Export(a) => {
            let store = ctx.store().await?;
            let tenant = ctx.tenant(&store, false).await?;
            let devices = store
                .tenant(tenant.id)
                .devices(&a.filters.query(None, 0))
                .await?;
            let format = if a.format == Format::Table {
                Format::Csv
            } else {
                a.format
            };
            match &a.output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    let mut out = BufWriter::new(file);
                    write_devices(&mut out, &devices, format)?;
                    out.flush()?;
                    eprintln!("exported {} devices to {}", devices.len(), path.display());
                }
                None => {
                    let mut out = BufWriter::new(std::io::stdout().lock());
                    write_devices(&mut out, &devices, format)?;
                    out.flush()?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn import(ctx: &Context, a: ImportArgs) -> anyhow::Result<ExitCode> {
    let mapping = match &a.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read mapping file {}", path.display()))?;
            MappingFile::parse(&text)
                .with_context(|| format!("in mapping file {}", path.display()))?
        }
        None => MappingFile::default(),
    };
    let bytes =
        std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let file_name = a.file.display().to_string();
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, true).await?;
    let bar = progress_bar("writing");
    let mut progress = follow(&bar);
    let outcome = medvigil_intel::inventory::import_csv(
        &store.tenant(tenant.id),
        medvigil_intel::inventory::CsvImport {
            bytes,
            file_name: file_name.clone(),
            options: ImportOptions {
                mapping,
                encoding: a.encoding,
            },
            site: a.site,
            actor: a.actor,
            dry_run: a.dry_run,
            strict: a.strict,
        },
        &mut progress,
    )
    .await
    .context("import failed; nothing was written")?;
    bar.finish_and_clear();
    let medvigil_intel::inventory::CsvImportOutcome {
        report,
        rejected,
        rejected_rows,
        findings,
    } = outcome;
    if a.json {
        let json = serde_json::json!({
            "file": file_name, "tenant": tenant.name, "dry_run": report.dry_run,
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "rejected": rejected_rows, "errors": rejected, "sites_created": report.sites_created,
            "provenance": report.provenance.map(|p| p.to_string()),
            "findings": findings,
        });
        println!("{json}");
    } else {
        let verb = if report.dry_run {
            "would import"
        } else {
            "imported"
        };
        println!(
            "{file_name}: {verb} into '{}': {} created, {} updated, {} unchanged, {rejected_rows} rejected",
            tenant.name, report.created, report.updated, report.unchanged
        );
        if !report.sites_created.is_empty() {
            println!("sites created: {}", report.sites_created.join(", "));
        }
        if let Some(n) = findings {
            println!("findings: {n} after matching the inventory against the stored advisories");
        }
        const SHOWN: usize = 50;
        for e in rejected.iter().take(SHOWN) {
            println!("  rejected: {e}");
        }
        if rejected.len() > SHOWN {
            println!(
                "  … and {} more (use --json for all)",
                rejected.len() - SHOWN
            );
        }
        if a.strict && rejected_rows > 0 {
            println!("--strict: nothing was written because rows were rejected");
        }
    }
    // Scripts must notice rejected rows: exit 2, as with a partial success.
    Ok(if rejected_rows > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

async fn show(ctx: &Context, a: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    let device = t.device(&a.key).await?;
    let mut ids: Vec<_> = device.sources.values().copied().collect();
    ids.sort();
    ids.dedup();
    let provenance = t.provenance(&ids).await?;
    if a.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "device": device, "provenance": provenance })
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_BORDERS_ONLY)
        .set_header(["field", "value", "source"]);
    table.add_row(["id".to_owned(), device.id.to_string(), String::new()]);
    for &field in DeviceField::ALL {
        let Some(value) = device.fields.text(field) else {
            continue;
        };
        let source = device
            .sources
            .get(&field)
            .and_then(|id| provenance.iter().find(|p| p.id == *id))
            .map(|p| {
                format!(
                    "{} {} by {} ({})",
                    p.kind.as_str(),
                    p.at.date(),
                    p.actor,
                    p.detail
                )
            })
            .unwrap_or_default();
        table.add_row([field.as_str().to_owned(), value, source]);
    }
    table.add_row([
        "first seen".to_owned(),
        device.first_seen.to_string(),
        String::new(),
    ]);
    table.add_row([
        "last seen".to_owned(),
        device.last_seen.to_string(),
        String::new(),
    ]);
    crate::output::emit(&table)?;
    Ok(ExitCode::SUCCESS)
}
