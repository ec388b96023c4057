//! From stored findings to patient-safety priorities: each affected finding
//! assessed with its CVSS vector, the KEV and EPSS context of its CVE, the
//! device's clinical context and the policy; devices ranked by their most
//! urgent finding.

use std::collections::HashMap;

use medvigil_model::{Device, DeviceId};
use medvigil_risk::{
    Assessment, DeviceContext, DeviceRisk, Exploitation, Exposure, FindingInput, Kev, Policy,
    aggregate, assess,
};
use medvigil_store::{DeviceQuery, FindingQuery, FindingRow, TenantStore};
use time::Date;
use time::macros::format_description;

use crate::pipeline::IntelError;

/// A device with its assessed findings.
#[derive(Debug, serde::Serialize)]
pub struct DeviceAssessment {
    /// The device.
    pub device: DeviceId,
    /// Its asset tag.
    pub asset_tag: Option<String>,
    /// Vendor and model.
    pub name: String,
    /// Its site.
    pub site: Option<String>,
    /// The roll-up: most urgent priority, counts, top reasons.
    pub risk: DeviceRisk,
    /// Every affected finding, assessed, most urgent first.
    pub assessments: Vec<Assessment>,
}

fn date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

/// The clinical context of a device as the inventory knows it. Exposure is
/// unknown until network zones are modelled.
pub fn device_context(d: &Device, today: Date) -> DeviceContext {
    let f = &d.fields;
    let mut c = DeviceContext::new(Exposure::Unknown);
    if let Some(class) = f.eu_class {
        c = c.with_class(class);
    }
    if let Some(crit) = f.criticality {
        c = c.with_criticality(crit);
    }
    if let Some(cat) = f.category {
        c = c.with_category(cat.to_string());
    }
    if let Some(p) = f.patchable {
        c = c.with_patchable(p);
    }
    if f.end_of_support.is_some_and(|eos| eos < today) {
        c = c.with_end_of_support_passed();
    }
    c
}

fn finding_input(f: &FindingRow) -> FindingInput {
    let mut input = FindingInput::new(f.vulnerability.clone());
    if let Some(score) = f.evidence["cvss"]
        .as_str()
        .and_then(|v| medvigil_risk::score(v).ok())
    {
        input = input.with_cvss(score);
    }
    let fix = f.remediation.as_ref().and_then(|r| {
        r.as_array()?
            .iter()
            .find(|x| x["category"] == "vendor_fix")?["details"]
            .as_str()
            .map(|d| d.chars().take(120).collect::<String>())
    });
    if let Some(fix) = fix {
        input = input.with_fix(fix);
    }
    input
}

/// Assesses every affected finding of the tenant (of one site, or one
/// device) and ranks the devices, most urgent first.
///
/// # Errors
/// On store failure.
pub async fn assess_devices(
    store: &TenantStore<'_>,
    site: Option<String>,
    device: Option<DeviceId>,
    policy: &Policy,
    today: Date,
) -> Result<Vec<DeviceAssessment>, IntelError> {
    let findings = store
        .findings(&FindingQuery {
            device,
            site: site.clone(),
            status: Some("affected".into()),
            ..FindingQuery::default()
        })
        .await?;
    let devices: HashMap<DeviceId, Device> = store
        .devices(&DeviceQuery {
            site,
            ..DeviceQuery::default()
        })
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let mut kev: HashMap<String, Option<Kev>> = HashMap::new();
    let mut by_device: HashMap<DeviceId, (Vec<Assessment>, &FindingRow)> = HashMap::new();
    for f in &findings {
        let Some(d) = devices.get(&f.device) else {
            continue;
        };
        if !kev.contains_key(&f.vulnerability) {
            let entry = store.kev(&f.vulnerability).await?.and_then(|k| {
                Some(Kev::new(
                    date(&k.date_added)?,
                    date(&k.due_date),
                    k.ransomware.eq_ignore_ascii_case("known"),
                ))
            });
            kev.insert(f.vulnerability.clone(), entry);
        }
        let mut exploitation = Exploitation::none();
        if let Some(Some(k)) = kev.get(&f.vulnerability) {
            exploitation = exploitation.with_kev(k.clone());
        }
        if let (Some(score), Some(pct)) = (
            f.epss.as_deref().and_then(|s| s.parse().ok()),
            f.epss_percentile.as_deref().and_then(|s| s.parse().ok()),
        ) {
            exploitation = exploitation.with_epss(score, pct);
        }
        let a = assess(
            &finding_input(f),
            &device_context(d, today),
            &exploitation,
            policy,
        );
        by_device
            .entry(f.device)
            .or_insert((Vec::new(), f))
            .0
            .push(a);
    }
    let mut out: Vec<DeviceAssessment> = by_device
        .into_iter()
        .map(|(id, (mut assessments, f))| {
            assessments.sort_by(|a, b| a.priority.cmp(&b.priority).then(b.score.cmp(&a.score)));
            DeviceAssessment {
                device: id,
                asset_tag: f.asset_tag.clone(),
                name: format!(
                    "{} {}",
                    f.vendor.as_deref().unwrap_or("-"),
                    f.model.as_deref().unwrap_or("-")
                ),
                site: f.site.clone(),
                risk: aggregate(&assessments),
                assessments,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.risk
            .priority
            .cmp(&b.risk.priority)
            .then_with(|| {
                let top = |x: &DeviceAssessment| x.assessments.first().map_or(0, |a| a.score);
                top(b).cmp(&top(a))
            })
            .then_with(|| a.asset_tag.cmp(&b.asset_tag))
    });
    Ok(out)
}
