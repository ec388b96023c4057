//! From advisory files to stored findings: read, skip what is stored
//! unchanged, match each new or revised advisory against the tenant's
//! devices through one index (no full re-match), store everything in one
//! transaction.

use std::collections::HashMap;
use std::sync::Arc;

use medvigil_ident::VendorAliases;
use medvigil_match::{Catalog, Finding, MatchKind, Matcher, Target, VersionEvidence};
use medvigil_model::{Device, DeviceId};
use medvigil_store::{AdvisoryChange, DeviceQuery, NewFinding, StoreError, TenantStore};
use serde_json::{Value, json};

use crate::read::{Content, Ingested, Input, ReadError, read, read_input};

/// What went wrong outside the files themselves.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IntelError {
    /// The store failed; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The bundled vendor alias table does not load (a build defect).
    #[error("vendor alias table: {0}")]
    Aliases(String),
}

/// What an advisory import did (or, dry, would do).
#[derive(Debug, Default, serde::Serialize)]
pub struct ImportSummary {
    /// Files read.
    pub files: usize,
    /// Advisories stored for the first time.
    pub new: usize,
    /// Advisories replaced by another revision.
    pub updated: usize,
    /// Advisories already stored with the same bytes.
    pub unchanged: usize,
    /// Findings written for the new and revised advisories.
    pub findings: usize,
    /// Devices with at least one `affected` finding among those.
    pub affected_devices: usize,
    /// Advisories that fail CSAF mandatory tests (stored, with their findings).
    pub with_errors: usize,
    /// KEV catalog entries imported (the catalog replaces the previous one).
    pub kev_entries: Option<usize>,
    /// EPSS scores imported (the file replaces the previous one).
    pub epss_scores: Option<usize>,
    /// Files that could not be read at all.
    pub rejected: Vec<String>,
    /// Whether nothing was written.
    pub dry_run: bool,
}

/// The vendor alias table every match uses.
///
/// # Errors
/// When the bundled table does not load.
pub fn aliases() -> Result<Arc<VendorAliases>, IntelError> {
    VendorAliases::builtin()
        .map(Arc::new)
        .map_err(|e| IntelError::Aliases(e.to_string()))
}

/// The matching target of a device: its vendor, model, software (else
/// firmware) version and UDI-DI, keyed by the device id.
pub fn device_target(d: &Device) -> Target {
    let f = &d.fields;
    let mut t = Target::new(d.id.to_string());
    if let Some(v) = &f.vendor {
        t = t.vendor(v.clone());
    }
    if let Some(m) = &f.model {
        t = t.product(m.clone());
    }
    if let Some(v) = f.software_version.as_ref().or(f.firmware_version.as_ref()) {
        t = t.version(v.clone());
    }
    if let Some(udi) = &f.udi_di {
        t.udi_di = Some(udi.to_string());
    }
    t
}

/// A matcher over every device of the tenant.
///
/// # Errors
/// On store failure.
pub async fn device_matcher(
    store: &TenantStore<'_>,
    aliases: Arc<VendorAliases>,
) -> Result<Matcher, IntelError> {
    let mut matcher = Matcher::new(aliases);
    for d in store.devices(&DeviceQuery::default()).await? {
        matcher.insert(device_target(&d));
    }
    Ok(matcher)
}

fn match_kind(k: MatchKind) -> &'static str {
    match k {
        MatchKind::Purl => "purl",
        MatchKind::Cpe => "cpe",
        MatchKind::ModelNumber => "model_number",
        MatchKind::Sku => "sku",
        _ => "vendor_product",
    }
}

fn version_evidence(v: &VersionEvidence) -> Value {
    match v {
        VersionEvidence::InRange { version, range } => {
            json!({"kind": "in_range", "version": &**version, "range": &**range})
        }
        VersionEvidence::Listed { version } => json!({"kind": "listed", "version": &**version}),
        VersionEvidence::AllVersions => json!({"kind": "all_versions"}),
        VersionEvidence::TargetVersionUnknown { range } => {
            json!({"kind": "device_version_unknown", "range": &**range})
        }
        VersionEvidence::TargetVersionUnreadable { version, range } => {
            json!({"kind": "device_version_unreadable", "version": &**version, "range": &**range})
        }
        VersionEvidence::RangeUnparsed { text } => {
            json!({"kind": "range_unparsed", "text": &**text})
        }
        _ => json!({"kind": "no_version_information"}),
    }
}

/// The evidence of a finding, as stored: what matched what, and why the
/// version is in the range.
pub fn evidence_json(f: &Finding) -> Value {
    let e = &f.evidence;
    let mut v = json!({
        "matched_on": match_kind(e.matched_on),
        "key": &*e.key,
        "product": &*e.product,
        "vendor_alias": e.vendor_alias,
        "version": version_evidence(&e.version),
        "aliases": f.aliases.iter().map(|a| &**a).collect::<Vec<_>>(),
    });
    if let Some(id) = &e.product_id {
        v["product_id"] = json!(&**id);
    }
    if let Some(vex) = &e.vex {
        v["vex"] = json!({
            "previous": vex.previous.as_str(),
            "justification": vex.justification.as_deref(),
            "statement": vex.statement.as_deref(),
        });
    }
    v
}

/// The vendor's remediations of a finding, as stored.
pub fn remediation_json(f: &Finding) -> Option<Value> {
    (!f.remediations.is_empty()).then(|| {
        Value::Array(
            f.remediations
                .iter()
                .map(|r| {
                    json!({"category": r.category.as_str(), "details": r.details, "url": r.url})
                })
                .collect(),
        )
    })
}

/// A matcher finding as the store keeps it, with the CVSS vector of its
/// vulnerability (`None` when its target is not a device id, which cannot
/// happen with [`device_matcher`]).
pub fn stored_finding(f: &Finding, cvss: Option<&String>) -> Option<NewFinding> {
    let device: DeviceId = f.target.parse().ok()?;
    let mut evidence = evidence_json(f);
    if let Some(v) = cvss {
        evidence["cvss"] = json!(v);
    }
    Some(NewFinding {
        device,
        vulnerability: f.vulnerability.to_string(),
        status: f.status.as_str().to_owned(),
        confidence: f.confidence.0,
        evidence: evidence.to_string(),
        remediation: remediation_json(f).map(|r| r.to_string()),
    })
}

fn findings_of(matcher: &Matcher, content: &Content) -> Vec<Finding> {
    match content {
        Content::Csaf(doc) => matcher.match_advisory(doc),
        Content::Record(rec) => matcher.match_record(rec),
    }
}

/// The CVSS vector each vulnerability of an advisory is scored with, by
/// vulnerability id (and alias): CSAF `scores` (v3 before v2; the score
/// naming the most products), a record's severities (v4, then v3, then v2).
pub fn cvss_vectors(content: &Content) -> HashMap<String, String> {
    let mut out = HashMap::new();
    match content {
        Content::Csaf(doc) => {
            for v in doc.vulnerabilities.iter().flatten() {
                let Some(id) = v
                    .cve
                    .clone()
                    .or_else(|| v.ids.as_ref()?.first().map(|i| i.text.clone()))
                else {
                    continue;
                };
                let mut scores: Vec<_> = v.scores.iter().flatten().collect();
                scores.sort_by_key(|s| std::cmp::Reverse(s.products.len()));
                let vector = scores
                    .iter()
                    .find_map(|s| s.cvss_v3_vector())
                    .or_else(|| scores.iter().find_map(|s| s.cvss_v2_vector()));
                if let Some(vector) = vector {
                    out.insert(id, vector.to_owned());
                }
            }
        }
        Content::Record(rec) => {
            use medvigil_vulndb::model::SeverityKind;
            let best = [
                SeverityKind::CvssV4,
                SeverityKind::CvssV3,
                SeverityKind::CvssV2,
            ]
            .iter()
            .find_map(|k| rec.severities.iter().find(|s| &s.kind == k));
            if let Some(s) = best {
                for id in std::iter::once(&rec.id).chain(&rec.aliases) {
                    out.insert(id.clone(), s.vector.clone());
                }
            }
        }
    }
    out
}

/// Reads `inputs` (origin, bytes), matches the new and revised advisories
/// against the tenant's devices and stores them with their findings in one
/// transaction. Files that cannot be read are reported and skipped; the
/// rest is imported.
///
/// # Errors
/// On store failure (nothing is written then).
pub async fn import(
    store: &TenantStore<'_>,
    inputs: impl IntoIterator<Item = (String, Vec<u8>)>,
    dry_run: bool,
    rejected: &mut (dyn FnMut(&ReadError) + Send),
) -> Result<ImportSummary, IntelError> {
    let mut summary = ImportSummary {
        dry_run,
        ..ImportSummary::default()
    };
    let mut ingested: Vec<Ingested> = Vec::new();
    let (mut kev, mut epss) = (None, None);
    for (origin, bytes) in inputs {
        summary.files += 1;
        match read_input(&origin, &bytes) {
            Ok(Input::Advisories(items)) => ingested.extend(items),
            Ok(Input::Kev(rows)) => kev = Some(rows),
            Ok(Input::Epss(rows)) => epss = Some(rows),
            Err(e) => {
                rejected(&e);
                summary.rejected.push(e.to_string());
            }
        }
    }
    summary.kev_entries = kev.as_ref().map(Vec::len);
    summary.epss_scores = epss.as_ref().map(Vec::len);
    if !dry_run {
        if let Some(rows) = &kev {
            store.replace_kev(rows).await?;
        }
        if let Some(rows) = &epss {
            store.replace_epss(rows).await?;
        }
    }
    // The same advisory twice in one batch: the last one read wins.
    let mut last: HashMap<(String, String), usize> = HashMap::new();
    for (i, a) in ingested.iter().enumerate() {
        last.insert(
            (a.advisory.meta.format.clone(), a.advisory.meta.id.clone()),
            i,
        );
    }
    let known = store.advisory_hashes().await?;
    let mut changed: Vec<&Ingested> = Vec::new();
    for (i, a) in ingested.iter().enumerate() {
        let key = (a.advisory.meta.format.clone(), a.advisory.meta.id.clone());
        if last.get(&key) != Some(&i) {
            continue;
        }
        match known.get(&key) {
            Some(sha) if *sha == a.advisory.meta.sha256 => summary.unchanged += 1,
            Some(_) => summary.updated += 1,
            None => summary.new += 1,
        }
        if a.advisory.errors > 0 {
            summary.with_errors += 1;
        }
        if known.get(&key) != Some(&a.advisory.meta.sha256) {
            changed.push(a);
        }
    }
    if changed.is_empty() {
        return Ok(summary);
    }
    let matcher = device_matcher(store, aliases()?).await?;
    let mut items = Vec::with_capacity(changed.len());
    let mut affected = std::collections::HashSet::new();
    for a in changed {
        let cvss = cvss_vectors(&a.content);
        let findings: Vec<NewFinding> = findings_of(&matcher, &a.content)
            .iter()
            .filter_map(|f| stored_finding(f, cvss.get(&*f.vulnerability)))
            .collect();
        for f in &findings {
            if f.status == "affected" {
                affected.insert(f.device);
            }
        }
        summary.findings += findings.len();
        items.push((a.advisory.clone(), findings));
    }
    summary.affected_devices = affected.len();
    if !dry_run {
        let changes = store.store_advisories(&items).await?;
        debug_assert!(changes.iter().all(|c| *c != AdvisoryChange::Unchanged));
    }
    Ok(summary)
}

/// Re-matches every stored advisory against every device of the tenant and
/// replaces all findings (after an inventory import, or a new matching
/// engine). Returns the number of findings.
///
/// # Errors
/// On store failure (nothing is written then).
pub async fn rematch(store: &TenantStore<'_>) -> Result<usize, IntelError> {
    let aliases = aliases()?;
    let matcher = device_matcher(store, aliases.clone()).await?;
    let (catalog, sources) = stored_catalog(store, aliases).await?;
    let findings: Vec<((String, String), NewFinding)> = matcher
        .match_all(&catalog)
        .iter()
        .filter_map(|f| {
            let source = sources.get(&*f.source.id)?;
            let finding = stored_finding(f, source.cvss.get(&*f.vulnerability))?;
            Some(((source.format.clone(), f.source.id.to_string()), finding))
        })
        .collect();
    let n = findings.len();
    store.replace_findings(&findings).await?;
    Ok(n)
}

/// What the catalog does not keep about a stored advisory.
#[derive(Debug)]
pub struct StoredSource {
    /// Its format (`csaf`, `osv` …).
    pub format: String,
    /// CVSS vectors by vulnerability id.
    pub cvss: HashMap<String, String>,
}

/// Every stored advisory of the tenant in one catalog, with what the
/// catalog does not keep of each source id.
///
/// # Errors
/// On store failure.
pub async fn stored_catalog(
    store: &TenantStore<'_>,
    aliases: Arc<VendorAliases>,
) -> Result<(Catalog, HashMap<String, StoredSource>), IntelError> {
    let mut catalog = Catalog::new(aliases);
    let mut formats: HashMap<String, StoredSource> = HashMap::new();
    for (origin, document) in store.advisory_documents().await? {
        // Stored documents were read once already; one that no longer reads
        // (a newer reader is stricter) keeps its old findings out.
        let Ok(items) = read(&origin, document.as_bytes()) else {
            continue;
        };
        for item in items {
            formats.insert(
                item.advisory.meta.id.clone(),
                StoredSource {
                    format: item.advisory.meta.format.clone(),
                    cvss: cvss_vectors(&item.content),
                },
            );
            match &item.content {
                Content::Csaf(doc) => catalog.add_csaf(doc),
                Content::Record(rec) => catalog.add_record(rec),
            }
        }
    }
    Ok((catalog, formats))
}
