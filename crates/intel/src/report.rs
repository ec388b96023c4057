//! The risk report's input read from the store: every device in scope with
//! the roll-up of its assessed findings, and the remediations still to do
//! or accepted.

use std::collections::HashMap;

use medvigil_model::{Device, DeviceId, Status};
use medvigil_report::{DeviceRow, RemediationRow, ReportInput, Scope};
use medvigil_risk::Policy;
use medvigil_store::{DeviceQuery, RemediationQuery, TenantStore};
use time::OffsetDateTime;

use crate::pipeline::IntelError;
use crate::remediation::due_in;
use crate::risk::assess_devices;

fn device_row(d: &Device) -> DeviceRow {
    let f = &d.fields;
    let mut row = DeviceRow::new(
        d.id.to_string(),
        format!(
            "{} {}",
            f.vendor.as_deref().unwrap_or("-"),
            f.model.as_deref().unwrap_or("-")
        ),
    );
    row.asset_tag = f.asset_tag.clone();
    row.site = f.location.site.clone();
    row.department = f.location.ward.clone();
    row.category = f.category;
    row.eu_class = f.eu_class;
    row.criticality = f.criticality;
    row
}

/// The report of a tenant (`group` is its name) or of one of its sites, as
/// of `now`.
///
/// # Errors
/// On store failure.
pub async fn input(
    store: &TenantStore<'_>,
    group: &str,
    site: Option<String>,
    policy: &Policy,
    now: OffsetDateTime,
) -> Result<ReportInput, IntelError> {
    let today = now.date();
    let devices = store
        .devices(&DeviceQuery {
            site: site.clone(),
            ..DeviceQuery::default()
        })
        .await?;
    let assessed: HashMap<DeviceId, _> = assess_devices(store, site.clone(), None, policy, today)
        .await?
        .into_iter()
        .map(|a| (a.device, a))
        .collect();
    let mut rows: Vec<DeviceRow> = Vec::with_capacity(devices.len());
    let mut names: HashMap<DeviceId, String> = HashMap::with_capacity(devices.len());
    for d in &devices {
        let mut row = device_row(d);
        if let Some(a) = assessed.get(&d.id) {
            row.priority = a.risk.priority;
            row.counts = a.risk.counts;
            if let Some(top) = a.assessments.first() {
                row.top_vulnerability = Some(top.vuln_id.clone());
                row.deadline = Some(due_in(today, top.deadline_days));
                row.reason = Some(top.reason.clone());
            }
        }
        names.insert(
            d.id,
            d.fields
                .asset_tag
                .clone()
                .unwrap_or_else(|| row.name.clone()),
        );
        rows.push(row);
    }
    let remediations = store
        .remediations(&RemediationQuery {
            site: site.clone(),
            ..RemediationQuery::default()
        })
        .await?
        .into_iter()
        .filter(|r| r.remediation.status.is_active() || r.remediation.status == Status::Accepted)
        .map(|r| {
            let x = &r.remediation;
            RemediationRow {
                id: x.id.to_string(),
                device: names
                    .get(&x.device)
                    .cloned()
                    .unwrap_or_else(|| r.device_name.clone()),
                vulnerability: x.vulnerability.clone(),
                action: x.action.to_string(),
                owner_team: Some(x.owner.to_string()),
                status: x.status.to_string(),
                due: x.due,
                overdue: x.is_overdue(today),
                accepted_until: x.accepted_until,
            }
        })
        .collect();
    let scope = match site {
        Some(name) => Scope::Site { name },
        None => Scope::Group {
            name: group.to_owned(),
        },
    };
    Ok(ReportInput {
        title: format!("{} — patient-safety risk report", scope.name()),
        scope,
        generated_at: now,
        devices: rows,
        remediations,
    })
}
