//! The tenant's risk picture of the day, recorded for the trend over time.

use medvigil_model::Status;
use medvigil_report::ReportInput;
use medvigil_risk::Policy;
use medvigil_store::{RemediationQuery, RiskDay, TenantStore};
use time::Date;

use crate::pipeline::IntelError;
use crate::risk::assess_devices;

/// Assesses the tenant as of `today` and records the day's picture
/// (replacing an earlier record of the same day); returns it.
///
/// # Errors
/// On store failure.
pub async fn record_day(
    store: &TenantStore<'_>,
    policy: &Policy,
    today: Date,
) -> Result<RiskDay, IntelError> {
    let mut by_priority = [0u64; 4];
    for a in assess_devices(store, None, None, policy, today).await? {
        if let Some(p) = a.risk.priority {
            by_priority[p.index()] += 1;
        }
    }
    let (mut open, mut overdue) = (0u64, 0u64);
    for r in store.remediations(&RemediationQuery::default()).await? {
        if r.remediation.status.is_active() {
            open += 1;
            overdue += u64::from(r.remediation.is_overdue(today));
        }
    }
    let day = RiskDay {
        day: today,
        devices: store.summary(today).await?.total,
        by_priority,
        open_remediations: open,
        overdue,
    };
    store.record_risk_day(&day).await?;
    Ok(day)
}

/// The day's picture from a whole-tenant report's input, which has already
/// assessed every device (no second assessment).
pub fn day_of(input: &ReportInput, today: Date) -> RiskDay {
    let mut by_priority = [0u64; 4];
    for d in &input.devices {
        if let Some(p) = d.priority {
            by_priority[p.index()] += 1;
        }
    }
    let accepted = Status::Accepted.to_string();
    let open: Vec<_> = input
        .remediations
        .iter()
        .filter(|r| r.status != accepted)
        .collect();
    RiskDay {
        day: today,
        devices: input.devices.len() as u64,
        by_priority,
        open_remediations: open.len() as u64,
        overdue: open.iter().filter(|r| r.overdue).count() as u64,
    }
}
