//! From priorities to work: every affected finding gets a remediation (the
//! vendor's update where the device may be patched, else network
//! segmentation) due by the policy's deadline for its priority; accepted
//! risks whose time is up come back with a fresh deadline.

use std::collections::{HashMap, HashSet};

use medvigil_model::{Action, DeviceId, Event, Remediation, Team};
use medvigil_risk::{Assessment, Policy};
use medvigil_store::{RemediationQuery, TenantStore};
use time::{Date, Duration, OffsetDateTime};

use crate::pipeline::IntelError;
use crate::risk::assess_devices;

/// The date `days` after `today`.
pub fn due_in(today: Date, days: u32) -> Date {
    today.saturating_add(Duration::days(i64::from(days)))
}

/// The version a fix text names ("Update to version 9.33 or later" →
/// `9.33`): the first word that starts with a digit and has a dot.
pub fn target_version(fix: &str) -> Option<String> {
    fix.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .map(|w| w.trim_start_matches(['v', 'V']).trim_end_matches('.'))
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()) && w.contains('.'))
        .map(str::to_owned)
}

/// What [`plan`] did.
#[derive(Debug, Default, serde::Serialize)]
pub struct PlanSummary {
    /// Findings that got an update to install.
    pub updates: usize,
    /// Findings that got network segmentation (no fix, or not patchable).
    pub segmentations: usize,
    /// Findings that already had a remediation.
    pub already_planned: usize,
    /// The remediations created.
    #[serde(skip)]
    pub created: Vec<Remediation>,
}

/// The remediation an assessed finding calls for: the vendor's update when
/// there is one and the device may be patched, else segmentation.
fn proposal(a: &Assessment, patchable: Option<bool>, today: Date) -> Event {
    let due = Some(due_in(today, a.deadline_days));
    match (&a.fix, patchable) {
        (Some(fix), None | Some(true)) => Event::Created {
            action: Action::Update,
            owner: Team::Biomedical,
            due,
            target_version: target_version(fix),
        },
        _ => Event::Created {
            action: Action::Segment,
            owner: Team::Network,
            due,
            target_version: None,
        },
    }
}

/// Plans a remediation for every affected finding (of one site, or all)
/// that has none yet, due by its priority's deadline.
///
/// # Errors
/// On store failure (nothing is planned then: one transaction).
pub async fn plan(
    store: &TenantStore<'_>,
    site: Option<String>,
    policy: &Policy,
    today: Date,
    actor: &str,
) -> Result<PlanSummary, IntelError> {
    let assessed = assess_devices(store, site.clone(), None, policy, today).await?;
    let existing = store
        .remediations(&RemediationQuery {
            site: site.clone(),
            ..RemediationQuery::default()
        })
        .await?;
    let mut planned: HashSet<(DeviceId, Option<String>)> = existing
        .into_iter()
        .map(|r| (r.remediation.device, r.remediation.vulnerability))
        .collect();
    let patchable: HashMap<DeviceId, Option<bool>> = store
        .devices(&medvigil_store::DeviceQuery {
            site,
            ..medvigil_store::DeviceQuery::default()
        })
        .await?
        .into_iter()
        .map(|d| (d.id, d.fields.patchable))
        .collect();
    let mut summary = PlanSummary::default();
    let mut plans = Vec::new();
    for d in &assessed {
        if planned.contains(&(d.device, None)) {
            summary.already_planned += d.assessments.len();
            continue;
        }
        for a in &d.assessments {
            if !planned.insert((d.device, Some(a.vuln_id.clone()))) {
                summary.already_planned += 1;
                continue;
            }
            let event = proposal(a, patchable.get(&d.device).copied().flatten(), today);
            if matches!(
                event,
                Event::Created {
                    action: Action::Update,
                    ..
                }
            ) {
                summary.updates += 1;
            } else {
                summary.segmentations += 1;
            }
            plans.push((d.device, Some(a.vuln_id.clone()), event));
        }
    }
    summary.created = store
        .create_remediations(plans, actor, OffsetDateTime::now_utc())
        .await?;
    Ok(summary)
}

/// Brings back the accepted risks whose acceptance has ended, each due by
/// the deadline of its finding's current priority (of the device's most
/// urgent finding for a device-wide one; the P2 deadline when the finding
/// is gone).
///
/// # Errors
/// On store failure.
pub async fn expire(
    store: &TenantStore<'_>,
    policy: &Policy,
    today: Date,
) -> Result<Vec<Remediation>, IntelError> {
    let ended = store
        .remediations(&RemediationQuery {
            status: Some(medvigil_model::Status::Accepted),
            ..RemediationQuery::default()
        })
        .await?
        .into_iter()
        .any(|r| r.remediation.acceptance_ended(today));
    if !ended {
        return Ok(Vec::new());
    }
    let mut deadline: HashMap<(DeviceId, Option<String>), u32> = HashMap::new();
    for d in assess_devices(store, None, None, policy, today).await? {
        for a in &d.assessments {
            deadline.insert((d.device, Some(a.vuln_id.clone())), a.deadline_days);
            let whole = deadline.entry((d.device, None)).or_insert(a.deadline_days);
            *whole = (*whole).min(a.deadline_days);
        }
    }
    let fallback = policy.deadline_days(medvigil_risk::Priority::P2);
    Ok(store
        .expire_acceptances(today, |r| {
            let key = (r.device, r.vulnerability.clone());
            Some(due_in(
                today,
                deadline.get(&key).copied().unwrap_or(fallback),
            ))
        })
        .await?)
}

#[cfg(test)]
mod tests {
    use super::target_version;

    #[test]
    fn target_versions_are_read_from_fix_texts() {
        assert_eq!(
            target_version("Update to version 9.33 or later.").as_deref(),
            Some("9.33")
        );
        assert_eq!(
            target_version("Upgrade to v12.1.2 (released 2024)").as_deref(),
            Some("12.1.2")
        );
        assert_eq!(target_version("Contact the vendor"), None);
        assert_eq!(target_version("Apply patch 2024"), None);
    }
}
