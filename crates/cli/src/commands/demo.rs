//! `medvigil demo`: the demo hospital group in a local database.

use std::process::ExitCode;

use anyhow::Context as _;

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
    /// Also write the demo hospital's network traffic to this pcap file
    /// (DHCP, DICOM associations, HL7 over MLLP, LLDP), for `medvigil
    /// discover`.
    #[arg(long, value_name = "PCAP")]
    capture: Option<std::path::PathBuf>,
}

/// Generates the demo hospital, loads it and prints a summary.
pub async fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let hospital = generate(args.seed)?;
    if let Some(path) = &args.capture {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        let n = medvigil_demo::write_demo_capture(
            &hospital,
            args.seed,
            std::io::BufWriter::with_capacity(1 << 20, file),
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "wrote {} ({:.1} MB: {} DHCP requests, {} DICOM associations, {} HL7 messages, {} LLDP)",
            path.display(),
            n.bytes as f64 / 1e6,
            n.dhcp_requests,
            n.associations,
            n.hl7_messages,
            n.lldp
        );
    }
    let store = Store::open(&ctx.database).await?;
    let tenant = store
        .ensure_tenant(
            ctx.tenant.as_deref().unwrap_or(DEMO_TENANT),
            TenantKind::HospitalGroup,
        )
        .await?;
    let now = time::OffsetDateTime::now_utc();
    let traffic = medvigil_demo::traffic(&hospital, args.seed, now - time::Duration::days(1));
    // The demo's address plan places its servers and workstations (the
    // inventory lists only medical devices); later proposals keep it.
    let demo_zones =
        medvigil_demo::zones_toml(&hospital, medvigil_segment::ZonePolicy::default_toml());
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
    if t.conversations(Some(1)).await?.is_empty() {
        t.record_conversations(&traffic).await?;
    }
    println!(
        "  traffic: {} conversations (a generated day; exposure of each device follows from it)",
        traffic.len()
    );
    if t.segmentation_policies().await?.is_empty() {
        let p = medvigil_intel::segmentation::propose(
            &t,
            Some(&demo_zones),
            Some("medvigil demo: learned from the generated day of traffic"),
            "medvigil demo",
            today,
        )
        .await?;
        println!(
            "  segmentation: policy {} proposed for review ({} zones, {} conduits, {} devices with device-specific rules)",
            p.stored.number,
            p.policy.zones.len(),
            p.policy.conduits.len(),
            p.policy.device_rules.len()
        );
    }
    let policy = medvigil_risk::Policy::default();
    let plan = medvigil_intel::remediation::plan(&t, None, &policy, today, "medvigil demo").await?;
    let states = demo_states(&t, &plan.created, today).await?;
    println!(
        "  remediations: {} planned ({} updates, {} segmentations); {states}",
        plan.created.len(),
        plan.updates,
        plan.segmentations
    );
    // Today's picture, recorded as the first day of the CISO's trend.
    let day = medvigil_intel::history::record_day(&t, &policy, today).await?;
    let [p1, p2, p3, p4] = day.by_priority;
    println!("  risk: devices at P1 {p1}, P2 {p2}, P3 {p3}, P4 {p4}");
    println!(
        "next: medvigil --database {db} risk list --top 20\n      medvigil --database {db} remediation list --overdue\n      medvigil --database {db} report --out report.html",
        db = ctx.database
    );
    Ok(ExitCode::SUCCESS)
}

/// Moves some of the newly planned remediations along, as a hospital's
/// would be: some in progress, some done with evidence, some accepted for a
/// few weeks, some overdue. Chosen by position, so the same demo gives the
/// same picture.
async fn demo_states(
    t: &medvigil_store::TenantStore<'_>,
    created: &[medvigil_model::Remediation],
    today: time::Date,
) -> anyhow::Result<String> {
    use medvigil_model::{Event, Status};
    let actor = "medvigil demo";
    let now = time::OffsetDateTime::now_utc();
    let mut counts = [0usize; 4];
    for (i, r) in created.iter().enumerate() {
        let (slot, events) = match i % 20 {
            3 | 9 => (
                0,
                vec![Event::Status {
                    to: Status::InProgress,
                }],
            ),
            5 => (
                1,
                vec![
                    Event::Evidence {
                        text: format!("work order WO-{:06}: software updated on site", 4_000 + i),
                    },
                    Event::Status { to: Status::Done },
                ],
            ),
            7 => (
                2,
                vec![Event::RiskAccepted {
                    justification: "device on an isolated VLAN until the vendor's spring release"
                        .into(),
                    until: today + time::Duration::days(20 + (i % 40) as i64),
                }],
            ),
            11 => (
                3,
                vec![
                    Event::Comment {
                        text: "postponed: the ward could not release the device".into(),
                    },
                    Event::Due {
                        to: today - time::Duration::days(5 + (i % 25) as i64),
                    },
                ],
            ),
            _ => continue,
        };
        t.record_remediation(r.id, events, actor, now, today)
            .await?;
        counts[slot] += 1;
    }
    Ok(format!(
        "{} in progress, {} done, {} accepted, {} overdue",
        counts[0], counts[1], counts[2], counts[3]
    ))
}
