//! `medvigil demo`: the demo hospital group in a local database.

use std::process::ExitCode;

use medvigil_demo::{DEMO_SEED, DEMO_TENANT, generate};
use medvigil_inventory::ParsedRow;
use medvigil_model::{SourceKind, TenantKind};
use medvigil_store::{ImportRequest, Store};

use super::Context;
use crate::output::{follow, progress_bar};

/// `demo`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Seed of the generator (the same seed gives the same hospital).
    #[arg(long, default_value_t = DEMO_SEED)]
    seed: u64,
}

/// Generates the demo hospital, loads it and prints a summary.
pub async fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let hospital = generate(args.seed)?;
    let store = Store::open(&ctx.database).await?;
    let tenant = store
        .ensure_tenant(
            ctx.tenant.as_deref().unwrap_or(DEMO_TENANT),
            TenantKind::HospitalGroup,
        )
        .await?;
    let rows = hospital
        .devices
        .into_iter()
        .enumerate()
        .map(|(i, fields)| ParsedRow {
            line: i as u64 + 1,
            fields,
        })
        .collect();
    let bar = progress_bar("loading demo devices");
    let mut progress = follow(&bar);
    let request = ImportRequest {
        rows,
        actor: "medvigil demo".into(),
        detail: format!("demo generator, seed {}", args.seed),
        kind: SourceKind::CmmsImport,
        dry_run: false,
        strict: false,
    };
    let t = store.tenant(tenant.id);
    let report = t.import(request, &mut progress).await?;
    bar.finish_and_clear();
    let today = time::OffsetDateTime::now_utc().date();
    let s = t.summary(today).await?;
    println!("medvigil demo: '{}' in {}", tenant.name, ctx.database);
    println!(
        "  {} sites, {} beds, {} devices ({} new, {} updated, {} unchanged) in {:.1} s",
        hospital.sites.len(),
        hospital.beds,
        s.total,
        report.created,
        report.updated,
        report.unchanged,
        started.elapsed().as_secs_f64()
    );
    for (site, n) in &s.by_site {
        println!("  site {site}: {n} devices");
    }
    let mut cats: Vec<_> = s.by_category.iter().collect();
    cats.sort_by(|a, b| b.1.cmp(a.1));
    let cats: Vec<String> = cats.iter().map(|(c, n)| format!("{c} {n}")).collect();
    println!("  by category: {}", cats.join(", "));
    let classes: Vec<String> = s
        .by_eu_class
        .iter()
        .map(|(c, n)| format!("{} {n}", if c.is_empty() { "none" } else { c }))
        .collect();
    println!("  by EU class: {}", classes.join(", "));
    let pct = |n: u64| {
        if s.total == 0 {
            0.0
        } else {
            100.0 * n as f64 / s.total as f64
        }
    };
    println!(
        "  past end of support: {} ({:.1} %), not patchable: {} ({:.1} %)",
        s.end_of_support_passed,
        pct(s.end_of_support_passed),
        s.not_patchable,
        pct(s.not_patchable)
    );
    let advisories = medvigil_demo::advisories()?;
    let inputs = advisories
        .into_iter()
        .map(|a| (format!("demo/{}", a.file_name), a.json.into_bytes()));
    let imported = medvigil_intel::import(&t, inputs, false, &mut |e| eprintln!("{e}")).await?;
    println!(
        "  advisories: {} from public CISA medical advisories ({} new); {} findings on {} affected devices",
        imported.files, imported.new, imported.findings, imported.affected_devices
    );
    println!(
        "next: medvigil --database {db} inventory list --category ventilator\n      medvigil --database {db} findings list --limit 20",
        db = ctx.database
    );
    Ok(ExitCode::SUCCESS)
}
