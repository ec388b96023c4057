//! Results computed from a whole tenant, kept until the store's data change.
//!
//! Ranking a tenant by patient-safety risk reads every affected finding
//! and its device and assesses each (about 2 s for 100,000 devices), while
//! the data behind it change only on imports and workflow steps. A result
//! is kept with the store's data version read before computing it (see
//! `Store::data_version`), and is used while that version is unchanged, so
//! a write by this server or by a CLI beside it is seen on the next request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use medvigil_intel::risk::DeviceAssessment;
use medvigil_model::TenantId;
use time::Date;

/// One tenant's ranking, the data version and the day it was computed for.
#[derive(Debug)]
struct Ranking {
    version: String,
    day: Date,
    rows: Arc<Vec<DeviceAssessment>>,
}

/// The cached risk ranking of each tenant.
#[derive(Debug, Default)]
pub(crate) struct RiskCache {
    /// A tenant's slot is an async mutex, so that requests arriving while it
    /// is computed wait for that one computation instead of starting theirs.
    tenants: Mutex<HashMap<TenantId, Arc<tokio::sync::Mutex<Option<Ranking>>>>>,
}

impl RiskCache {
    /// The ranking of `tenant` at data `version` on `day`, computed by
    /// `compute` when the cached one is older or absent.
    pub(crate) async fn get_or_compute<E, F>(
        &self,
        tenant: TenantId,
        version: String,
        day: Date,
        compute: F,
    ) -> Result<Arc<Vec<DeviceAssessment>>, E>
    where
        F: Future<Output = Result<Vec<DeviceAssessment>, E>>,
    {
        let slot = {
            let mut map = self
                .tenants
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(map.entry(tenant).or_default())
        };
        let mut slot = slot.lock().await;
        if let Some(r) = slot
            .as_ref()
            .filter(|r| r.version == version && r.day == day)
        {
            return Ok(Arc::clone(&r.rows));
        }
        let rows = Arc::new(compute.await?);
        *slot = Some(Ranking {
            version,
            day,
            rows: Arc::clone(&rows),
        });
        Ok(rows)
    }
}
