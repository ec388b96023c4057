//! SBOM monitoring: the components of an SBOM matched against the tenant's
//! stored advisories, with VEX statements (from the SBOM itself or from
//! separate VEX documents) applied.

use medvigil_match::{Catalog, Finding, Matcher, Status, Target, VexAssertion, VexProduct};
use medvigil_sbom::{Component, Sbom, Vex, VexStatus};
use medvigil_store::TenantStore;

use crate::pipeline::{IntelError, aliases, stored_catalog};

/// The key of an SBOM component in findings: its `bom-ref`/`SPDXID`, else
/// its position.
pub fn component_key(index: usize, c: &Component) -> String {
    c.bom_ref.clone().unwrap_or_else(|| format!("#{index}"))
}

/// The matching target of an SBOM component: supplier, name (with its
/// CycloneDX group), version, purl and CPE.
pub fn component_target(index: usize, c: &Component) -> Target {
    let mut t = Target::new(component_key(index, c));
    if let Some(s) = &c.supplier {
        t = t.vendor(s.clone());
    }
    t = t.product(match &c.group {
        Some(g) if !g.is_empty() => format!("{g} {}", c.name),
        _ => c.name.clone(),
    });
    if let Some(v) = &c.version {
        t = t.version(v.clone());
    }
    if let Some(p) = c.purl.as_ref().and_then(|p| p.parsed.clone()) {
        t = t.purl(p);
    }
    if let Some(cpe) = c.cpe.as_ref().and_then(|c| c.parsed.clone()) {
        t = t.cpe(cpe);
    }
    t
}

fn status(s: VexStatus) -> Status {
    match s {
        VexStatus::NotAffected => Status::NotAffected,
        VexStatus::Fixed => Status::Fixed,
        VexStatus::UnderInvestigation => Status::UnderInvestigation,
        _ => Status::Affected,
    }
}

/// The VEX statements of `vex` as assertions the matcher applies; products
/// that name a component of `sbom` (CycloneDX `affects[].ref`) take its purl.
pub fn vex_assertions(vex: &Vex, sbom: Option<&Sbom>) -> Vec<VexAssertion> {
    let mut out = Vec::new();
    for s in &vex.statements {
        for p in &s.products {
            let from_component = p
                .component
                .and_then(|i| sbom?.components.get(i))
                .and_then(|c| c.purl.as_ref()?.parsed.clone());
            let product = if let Some(purl) =
                from_component.or_else(|| p.purl.as_ref().and_then(|x| x.parsed.clone()))
            {
                VexProduct::Purl(purl)
            } else if let Some(cpe) = p.cpe.as_ref().and_then(|c| c.parsed.clone()) {
                VexProduct::Cpe(cpe)
            } else {
                continue;
            };
            let mut ids = vec![s.vulnerability.id.clone()];
            ids.extend(s.vulnerability.aliases.iter().cloned());
            for id in ids {
                let mut a = VexAssertion::new(id, product.clone(), status(s.status));
                if let Some(j) = s
                    .justification
                    .map(|j| j.as_str().to_owned())
                    .or_else(|| s.justification_raw.clone())
                {
                    a = a.justification(j);
                }
                if let Some(text) = s.impact_statement.as_ref().or(s.action_statement.as_ref()) {
                    a = a.statement(text.clone());
                }
                out.push(a);
            }
        }
    }
    out
}

/// What an SBOM check found.
#[derive(Debug)]
pub struct SbomCheck {
    /// Components matched.
    pub components: usize,
    /// Advisories and records matched against.
    pub catalog_entries: usize,
    /// Findings, VEX applied.
    pub findings: Vec<Finding>,
    /// How many findings a VEX statement changed.
    pub vex_applied: usize,
}

/// Matches every component of `sbom` against the tenant's stored
/// advisories and applies the VEX statements of `vex` (and of the SBOM).
///
/// # Errors
/// On store failure.
pub async fn check(
    store: &TenantStore<'_>,
    sbom: &Sbom,
    vex: &[Vex],
) -> Result<SbomCheck, IntelError> {
    let aliases = aliases()?;
    let (catalog, _): (Catalog, _) = stored_catalog(store, aliases.clone()).await?;
    let mut matcher = Matcher::new(aliases);
    for (i, c) in sbom.components.iter().enumerate() {
        matcher.insert(component_target(i, c));
    }
    let mut findings = matcher.match_all(&catalog);
    let assertions: Vec<VexAssertion> = vex
        .iter()
        .flat_map(|v| vex_assertions(v, Some(sbom)))
        .collect();
    let vex_applied = matcher.apply_vex(&mut findings, &assertions);
    Ok(SbomCheck {
        components: sbom.components.len(),
        catalog_entries: catalog.len(),
        findings,
        vex_applied,
    })
}
