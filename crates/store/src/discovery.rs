//! Merging what passive discovery saw (devices and conversations) into a
//! tenant, in one transaction: the same path for `medvigil discover
//! --import` and for a site sensor's batches, which also record their batch
//! id so that a batch resent after a lost acknowledgement is applied once.

use medvigil_inventory::ParsedRow;
use medvigil_inventory::discovery::{Matched, match_inventory};
use medvigil_model::{Conversation, SourceKind};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::import::{ImportReport, ImportRequest};
use crate::rows::{parse_time, time_text};
use crate::{StoreError, TenantStore};

/// The sensor batch a discovery import comes from.
#[derive(Clone, Debug)]
pub struct SensorBatch {
    /// The id the sensor chose for the batch (it resends it unchanged).
    pub id: Uuid,
    /// The sensor's name.
    pub sensor: String,
}

/// Devices and conversations seen by passive discovery, to merge.
#[derive(Debug)]
pub struct DiscoveryImport {
    /// One row per device (MAC address), as `discovery::discovered_rows`
    /// makes them; placed on the stored devices in the transaction (see
    /// `discovery::match_inventory`: by MAC, host name, or IP behind a
    /// router), fields a stored device already has dropped but its network
    /// identity.
    pub rows: Vec<ParsedRow>,
    /// Conversations to add to the stored ones.
    pub conversations: Vec<Conversation>,
    /// Who imports (user or token owner).
    pub actor: String,
    /// What is imported (capture files, sensor and batch).
    pub detail: String,
    /// Report what would change, write nothing.
    pub dry_run: bool,
    /// The sensor batch, recorded in the same transaction.
    pub batch: Option<SensorBatch>,
}

/// What a discovery import did.
#[derive(Clone, Debug)]
pub enum DiscoveryOutcome {
    /// Merged now (or, dry, would be), with how the rows were placed.
    Applied(ImportReport, Matched),
    /// The batch id was applied before, at this time; nothing was written.
    AlreadyApplied {
        /// When the batch was first applied.
        at: OffsetDateTime,
    },
}

impl TenantStore<'_> {
    /// Merges `req` into the tenant: devices reconciled by MAC like an
    /// inventory import (provenance: discovery), conversations accumulated,
    /// the batch id recorded, all in one transaction that holds the tenant's
    /// write lock, so two deliveries of one batch cannot both apply.
    ///
    /// # Errors
    /// On database failure, in which case nothing was written.
    pub async fn import_discovery(
        &self,
        req: DiscoveryImport,
    ) -> Result<DiscoveryOutcome, StoreError> {
        let tenant = self.tenant.to_string();
        let mut tx = self.lock_tenant().await?;
        if let Some(batch) = &req.batch {
            let seen = tx
                .query(
                    "SELECT received_at FROM sensor_batches WHERE tenant_id = $1 AND batch_id = $2",
                    &[tenant.as_str().into(), batch.id.to_string().into()],
                )
                .await?;
            if let Some(row) = seen.first() {
                tx.rollback().await?;
                let at = row.req("sensor_batches", "received_at", 0)?;
                return Ok(DiscoveryOutcome::AlreadyApplied {
                    at: parse_time("sensor_batches", "received_at", at)?,
                });
            }
        }
        let DiscoveryImport {
            mut rows,
            conversations,
            actor,
            detail,
            dry_run,
            batch,
        } = req;
        let existing = crate::devices::load_all(&mut tx, self.tenant).await?;
        // Read in the transaction: discovery is placed on, and fills gaps
        // of, exactly the devices it is merged into.
        let matched = match_inventory(&existing, &mut rows);
        let devices = rows.len();
        let import = ImportRequest {
            rows: Vec::new(),
            actor,
            detail,
            kind: SourceKind::Discovery,
            dry_run,
            strict: false,
        };
        let mut report = self
            .write_import(&mut tx, existing, rows, &import, &mut |_, _| {})
            .await?;
        crate::conversations::insert(&mut tx, self.tenant, &conversations).await?;
        if let (Some(batch), Some(prov)) = (&batch, report.provenance) {
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            tx.execute(
                "INSERT INTO sensor_batches (tenant_id, batch_id, sensor, received_at, provenance_id, devices, conversations) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    tenant.as_str().into(),
                    batch.id.to_string().into(),
                    batch.sensor.as_str().into(),
                    time_text(OffsetDateTime::now_utc()).into(),
                    prov.to_string().into(),
                    count(devices).into(),
                    count(conversations.len()).into(),
                ],
            )
            .await?;
        }
        if dry_run {
            report.provenance = None;
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(DiscoveryOutcome::Applied(report, matched))
    }

    /// How many sensor batches the tenant has applied.
    ///
    /// # Errors
    /// On database failure.
    pub async fn sensor_batch_count(&self) -> Result<u64, StoreError> {
        let rows = self
            .store
            .db
            .query(
                "SELECT COUNT(*) FROM sensor_batches WHERE tenant_id = $1",
                &[self.tenant.to_string().into()],
            )
            .await?;
        Ok(rows
            .first()
            .and_then(|r| r.int(0))
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0))
    }
}
