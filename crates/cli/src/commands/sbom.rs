//! `medvigil sbom …`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Subcommand;
use medvigil_intel::pipeline::{evidence_json, remediation_json};

use super::Context;
use crate::output::table;

/// SBOM subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Match the components of an SBOM (CycloneDX 1.4–1.6 JSON/XML, SPDX 2.3
    /// JSON/tag-value) against the stored advisories; VEX statements in the
    /// SBOM and in `--vex` documents (OpenVEX, CycloneDX VEX, CSAF VEX) are
    /// honoured.
    Check(CheckArgs),
}

/// `sbom check`
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The SBOM file.
    sbom: PathBuf,
    /// VEX documents to apply.
    #[arg(long)]
    vex: Vec<PathBuf>,
    /// One JSON object per finding.
    #[arg(long)]
    json: bool,
}

fn read(path: &PathBuf) -> anyhow::Result<medvigil_sbom::Document> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
    let parsed = medvigil_sbom::read(&name, &bytes)?;
    for d in parsed.diagnostics.iter().take(20) {
        eprintln!("warning: {d}");
    }
    if parsed.diagnostics.len() > 20 {
        eprintln!("warning: … {} more", parsed.diagnostics.len() - 20);
    }
    Ok(parsed.value)
}

/// Runs an SBOM subcommand.
pub async fn run(ctx: &Context, cmd: Command) -> anyhow::Result<ExitCode> {
    let Command::Check(a) = cmd;
    let doc = read(&a.sbom)?;
    let Some(sbom) = doc.sbom.as_ref() else {
        bail!(
            "{}: a VEX document, not an SBOM (give it with --vex)",
            a.sbom.display()
        );
    };
    let mut vex: Vec<medvigil_sbom::Vex> = doc.vex.iter().cloned().collect();
    for path in &a.vex {
        match read(path)?.vex {
            Some(v) => vex.push(v),
            None => bail!("{}: holds no VEX statements", path.display()),
        }
    }
    let store = ctx.store().await?;
    let tenant = ctx.tenant(&store, false).await?;
    let t = store.tenant(tenant.id);
    let started = std::time::Instant::now();
    let check = medvigil_intel::sbom::check(&t, sbom, &vex).await?;
    let name_of = |key: &str| {
        sbom.components
            .iter()
            .enumerate()
            .find(|(i, c)| medvigil_intel::sbom::component_key(*i, c) == key)
            .map(|(_, c)| (c.name.clone(), c.version.clone().unwrap_or_default()))
            .unwrap_or_default()
    };
    if a.json {
        for f in &check.findings {
            let (name, version) = name_of(&f.target);
            let json = serde_json::json!({
                "component": &*f.target, "name": name, "version": version,
                "vulnerability": &*f.vulnerability, "source": &*f.source.id,
                "status": f.status.as_str(), "confidence": f.confidence.0,
                "evidence": evidence_json(f), "remediation": remediation_json(f),
            });
            println!("{json}");
        }
    } else {
        let mut table = table([
            "component",
            "version",
            "vulnerability",
            "source",
            "status",
            "conf",
            "why",
        ]);
        for f in &check.findings {
            let (name, version) = name_of(&f.target);
            let e = evidence_json(f);
            let why = match (&f.evidence.vex, e["version"]["range"].as_str()) {
                (Some(v), _) => {
                    format!("VEX: {}", v.justification.as_deref().unwrap_or("statement"))
                }
                (None, Some(range)) => {
                    format!("{} in {range}", e["matched_on"].as_str().unwrap_or("?"))
                }
                (None, None) => e["matched_on"].as_str().unwrap_or("?").to_owned(),
            };
            table.add_row([
                name,
                version,
                f.vulnerability.to_string(),
                f.source.id.to_string(),
                f.status.as_str().to_owned(),
                f.confidence.0.to_string(),
                why,
            ]);
        }
        crate::output::emit(&table)?;
    }
    eprintln!(
        "{} components against {} advisory entries: {} findings ({} changed by VEX) in {:.2} s",
        check.components,
        check.catalog_entries,
        check.findings.len(),
        check.vex_applied,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
