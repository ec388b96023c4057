//! The tenant's risk picture once a day, kept for the trend over time.

use time::Date;

use crate::db::Param;
use crate::rows::{date_text, now_text, parse_date};
use crate::{StoreError, TenantStore};

const H: &str = "risk_history";

/// One day of a tenant's risk picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RiskDay {
    /// The day.
    pub day: Date,
    /// Devices in the inventory.
    pub devices: u64,
    /// Devices per priority P1–P4, each counted once, by its most urgent
    /// finding.
    pub by_priority: [u64; 4],
    /// Remediations still to do (open or in progress).
    pub open_remediations: u64,
    /// Of those, past their deadline.
    pub overdue: u64,
}

fn count(n: u64) -> Param<'static> {
    i64::try_from(n).unwrap_or(i64::MAX).into()
}

fn counted(table: &'static str, column: &'static str, v: Option<i64>) -> Result<u64, StoreError> {
    v.and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| StoreError::Corrupt {
            table,
            column,
            value: format!("{v:?}"),
        })
}

impl TenantStore<'_> {
    /// Records the day's picture; a second record of the same day replaces
    /// the first (the day's latest picture is kept).
    ///
    /// # Errors
    /// On database failure.
    pub async fn record_risk_day(&self, d: &RiskDay) -> Result<(), StoreError> {
        let [p1, p2, p3, p4] = d.by_priority;
        self.store
            .db
            .execute(
                "INSERT INTO risk_history (tenant_id, day, devices, p1, p2, p3, p4, \
                 open_remediations, overdue, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (tenant_id, day) DO UPDATE SET devices = excluded.devices, \
                 p1 = excluded.p1, p2 = excluded.p2, p3 = excluded.p3, p4 = excluded.p4, \
                 open_remediations = excluded.open_remediations, overdue = excluded.overdue, \
                 recorded_at = excluded.recorded_at",
                &[
                    self.tenant.to_string().into(),
                    date_text(d.day).into(),
                    count(d.devices),
                    count(p1),
                    count(p2),
                    count(p3),
                    count(p4),
                    count(d.open_remediations),
                    count(d.overdue),
                    now_text().into(),
                ],
            )
            .await?;
        Ok(())
    }

    /// The recorded days from `since` on, oldest first.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn risk_history(&self, since: Date) -> Result<Vec<RiskDay>, StoreError> {
        let rows = self
            .store
            .db
            .query(
                "SELECT day, devices, p1, p2, p3, p4, open_remediations, overdue \
                 FROM risk_history WHERE tenant_id = $1 AND day >= $2 ORDER BY day",
                &[self.tenant.to_string().into(), date_text(since).into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(RiskDay {
                    day: parse_date(H, "day", r.req(H, "day", 0)?)?,
                    devices: counted(H, "devices", r.int(1))?,
                    by_priority: [
                        counted(H, "p1", r.int(2))?,
                        counted(H, "p2", r.int(3))?,
                        counted(H, "p3", r.int(4))?,
                        counted(H, "p4", r.int(5))?,
                    ],
                    open_remediations: counted(H, "open_remediations", r.int(6))?,
                    overdue: counted(H, "overdue", r.int(7))?,
                })
            })
            .collect()
    }
}
