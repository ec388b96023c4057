//! Applying an inventory import: reconcile with the stored devices and write
//! the result, all in one transaction.

use std::collections::{BTreeSet, HashMap};

use medvigil_inventory::{Existing, ParsedRow, Plan, RowError, reconcile};
use medvigil_model::{
    Device, DeviceFields, DeviceId, FieldSources, ProvenanceId, SiteId, SourceKind,
};
use time::OffsetDateTime;

use crate::db::{Param, Tx};
use crate::devices::{WRITE_COLUMNS, sources_to_json};
use crate::rows::time_text;
use crate::{StoreError, TenantStore};

/// Devices per write step (and progress report).
const BATCH: usize = 500;

/// An import to apply.
#[derive(Debug)]
pub struct ImportRequest {
    /// Validated rows from the file.
    pub rows: Vec<ParsedRow>,
    /// Who imports (user name).
    pub actor: String,
    /// What is imported (file name).
    pub detail: String,
    /// Where the data comes from.
    pub kind: SourceKind,
    /// Report what would happen, write nothing.
    pub dry_run: bool,
    /// Write nothing if reconciliation rejects any row.
    pub strict: bool,
}

/// What an import did (or, dry, would do).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ImportReport {
    /// New devices.
    pub created: u64,
    /// Devices changed.
    pub updated: u64,
    /// Devices confirmed unchanged.
    pub unchanged: u64,
    /// Rows rejected by reconciliation (file-level rejections are the caller's).
    pub rejected: Vec<RowError>,
    /// Sites created.
    pub sites_created: Vec<String>,
    /// The provenance record of this import (none when dry).
    pub provenance: Option<ProvenanceId>,
    /// Whether nothing was written.
    pub dry_run: bool,
}

impl TenantStore<'_> {
    /// Reconciles `req.rows` with the tenant's devices and writes the result
    /// in one transaction; `progress(done, total)` follows the writing.
    ///
    /// # Errors
    /// On database failure, in which case nothing was written.
    pub async fn import(
        &self,
        mut req: ImportRequest,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<ImportReport, StoreError> {
        let mut tx = self.lock_tenant().await?;
        let existing = crate::devices::load_all(&mut tx, self.tenant).await?;
        let rows = std::mem::take(&mut req.rows);
        let mut report = self
            .write_import(&mut tx, existing, rows, &req, progress)
            .await?;
        if req.dry_run || (req.strict && !report.rejected.is_empty()) {
            report.dry_run = true;
            report.provenance = None;
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(report)
    }

    /// Begins a transaction that holds the tenant's write lock.
    ///
    /// A write first: it takes SQLite's write lock and PostgreSQL's row lock
    /// on the tenant, so concurrent imports of one tenant run one after the
    /// other and each reconciles against what the previous one wrote.
    pub(crate) async fn lock_tenant(&self) -> Result<Tx, StoreError> {
        let tenant = self.tenant.to_string();
        let mut tx = self.store.db.begin().await?;
        let locked = tx
            .execute(
                "UPDATE tenants SET name = name WHERE id = $1",
                &[tenant.as_str().into()],
            )
            .await?;
        if locked == 0 {
            return Err(StoreError::NotFound {
                what: "tenant",
                key: tenant,
            });
        }
        Ok(tx)
    }

    /// Reconciles `rows` with `existing` (the tenant's devices, read in
    /// `tx`) and writes the result and its provenance record in `tx`,
    /// without committing. `req` gives actor, detail and kind; its rows are
    /// not read. The report's provenance is set; the caller clears it when
    /// it rolls back.
    pub(crate) async fn write_import(
        &self,
        tx: &mut Tx,
        existing: Vec<Device>,
        rows: Vec<ParsedRow>,
        req: &ImportRequest,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<ImportReport, StoreError> {
        let tenant = self.tenant.to_string();
        let mut sources: HashMap<DeviceId, FieldSources> = HashMap::with_capacity(existing.len());
        let existing: Vec<Existing> = existing
            .into_iter()
            .map(|d| {
                sources.insert(d.id, d.sources);
                Existing {
                    id: d.id,
                    fields: d.fields,
                }
            })
            .collect();
        let plan = reconcile(&existing, rows);
        drop(existing);

        let now = OffsetDateTime::now_utc();
        let prov = ProvenanceId::new();
        let mut report = ImportReport {
            created: plan.creates.len() as u64,
            updated: plan.updates.len() as u64,
            unchanged: plan.unchanged.len() as u64,
            dry_run: req.dry_run,
            ..ImportReport::default()
        };
        let sites = self
            .ensure_sites(tx, &plan, &mut report.sites_created)
            .await?;
        tx.execute(
            "INSERT INTO provenance (tenant_id, id, kind, at, actor, detail) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                tenant.as_str().into(),
                prov.to_string().into(),
                req.kind.as_str().into(),
                time_text(now).into(),
                req.actor.as_str().into(),
                req.detail.as_str().into(),
            ],
        )
        .await?;

        let Plan {
            creates,
            updates,
            unchanged,
            rejected,
        } = plan;
        let unchanged_ids: Vec<DeviceId> = unchanged.iter().map(|u| u.1).collect();
        let mut writes: Vec<Device> = Vec::with_capacity(creates.len() + updates.len());
        for row in creates {
            let sources = row
                .fields
                .set_fields()
                .into_iter()
                .map(|f| (f, prov))
                .collect();
            writes.push(Device {
                id: DeviceId::new(),
                fields: row.fields,
                sources,
                first_seen: now,
                last_seen: now,
            });
        }
        for u in updates {
            let mut s = sources.get(&u.id).cloned().unwrap_or_default();
            s.extend(u.changed.iter().map(|&f| (f, prov)));
            // first_seen is kept by the upsert; the value here is ignored for updates.
            writes.push(Device {
                id: u.id,
                fields: u.fields,
                sources: s,
                first_seen: now,
                last_seen: now,
            });
        }
        let total = writes.len() as u64;
        tracing::info!(devices = total, "writing devices");
        progress(0, total);
        let mut done = 0;
        for chunk in writes.chunks(BATCH) {
            upsert(tx, &tenant, &sites, chunk).await?;
            done += chunk.len() as u64;
            progress(done, total);
        }
        for chunk in unchanged_ids.chunks(BATCH) {
            touch(tx, &tenant, chunk, &time_text(now)).await?;
        }
        report.rejected = rejected;
        report.provenance = Some(prov);
        Ok(report)
    }

    /// Site ids by name for every site the plan names, creating missing ones.
    async fn ensure_sites(
        &self,
        tx: &mut Tx,
        plan: &Plan,
        created: &mut Vec<String>,
    ) -> Result<HashMap<String, SiteId>, StoreError> {
        let tenant = self.tenant.to_string();
        let rows = tx
            .query(
                "SELECT name, id FROM sites WHERE tenant_id = $1",
                &[tenant.as_str().into()],
            )
            .await?;
        let mut sites = HashMap::new();
        for r in rows {
            sites.insert(
                r.req("sites", "name", 0)?,
                crate::rows::parse_col("sites", "id", r.req("sites", "id", 1)?)?,
            );
        }
        let named: BTreeSet<&str> = plan
            .creates
            .iter()
            .map(|r| &r.fields)
            .chain(plan.updates.iter().map(|u| &u.fields))
            .filter_map(|f: &DeviceFields| f.location.site.as_deref())
            .collect();
        for name in named {
            if sites.contains_key(name) {
                continue;
            }
            let id = SiteId::new();
            tx.execute(
                "INSERT INTO sites (tenant_id, id, name) VALUES ($1, $2, $3)",
                &[tenant.as_str().into(), id.to_string().into(), name.into()],
            )
            .await?;
            sites.insert(name.to_owned(), id);
            created.push(name.to_owned());
        }
        Ok(sites)
    }
}

/// Inserts or replaces `devices` (keeping `first_seen` of existing ones).
async fn upsert(
    tx: &mut Tx,
    tenant: &str,
    sites: &HashMap<String, SiteId>,
    devices: &[Device],
) -> Result<(), StoreError> {
    let n = WRITE_COLUMNS.len();
    let updates: Vec<String> = WRITE_COLUMNS
        .iter()
        .filter(|c| !matches!(**c, "tenant_id" | "id" | "first_seen"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let suffix = format!(
        "ON CONFLICT (tenant_id, id) DO UPDATE SET {}",
        updates.join(", ")
    );
    // One import stamps every row with the same time: format it once.
    let mut stamps: HashMap<OffsetDateTime, String> = HashMap::new();
    for d in devices {
        for t in [d.first_seen, d.last_seen] {
            stamps.entry(t).or_insert_with(|| time_text(t));
        }
    }
    // Values that need formatting are made first, so that every parameter
    // can borrow: an import binds ~3 million values.
    let formatted: Vec<[Option<String>; 8]> = devices
        .iter()
        .map(|d| {
            let f = &d.fields;
            [
                Some(d.id.to_string()),
                f.location
                    .site
                    .as_ref()
                    .and_then(|n| sites.get(n))
                    .map(ToString::to_string),
                f.udi_di.as_ref().map(ToString::to_string),
                f.mac.map(|m| m.to_string()),
                f.ip.map(|i| i.to_string()),
                f.hostname.as_ref().map(ToString::to_string),
                f.end_of_support.map(|d| d.to_string()),
                Some(sources_to_json(&d.sources)),
            ]
        })
        .collect();
    let mut params: Vec<Param<'_>> = Vec::with_capacity(devices.len() * n);
    for (d, v) in devices.iter().zip(&formatted) {
        let f = &d.fields;
        params.extend([
            tenant.into(),
            v[0].as_deref().into(),
            v[1].as_deref().into(),
            f.location.building.as_deref().into(),
            f.location.ward.as_deref().into(),
            f.location.room.as_deref().into(),
            f.location.bed.as_deref().into(),
            f.vendor.as_deref().into(),
            f.model.as_deref().into(),
            f.serial.as_deref().into(),
            f.asset_tag.as_deref().into(),
            v[2].as_deref().into(),
            f.software_version.as_deref().into(),
            f.firmware_version.as_deref().into(),
            f.category.map(|c| c.as_str()).into(),
            f.eu_class.map(|c| c.as_str()).into(),
            f.fda_class.map(|c| c.as_str()).into(),
            f.criticality.map(|c| c.as_str()).into(),
            f.owner_team.as_deref().into(),
            v[3].as_deref().into(),
            v[4].as_deref().into(),
            Param::Int(f.vlan.map(|v| i64::from(v.get()))),
            v[5].as_deref().into(),
            v[6].as_deref().into(),
            Param::Int(f.patchable.map(i64::from)),
            stamps.get(&d.first_seen).map(String::as_str).into(),
            stamps.get(&d.last_seen).map(String::as_str).into(),
            v[7].as_deref().into(),
        ]);
    }
    tx.insert_rows("devices", &WRITE_COLUMNS, &suffix, &params)
        .await
}
/// Marks devices an import confirmed as seen now.
async fn touch(tx: &mut Tx, tenant: &str, ids: &[DeviceId], now: &str) -> Result<(), StoreError> {
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "UPDATE devices SET last_seen = $2 WHERE tenant_id = $1 AND id IN ({})",
        placeholders.join(", ")
    );
    let mut params: Vec<Param<'_>> = vec![tenant.into(), now.into()];
    params.extend(ids.iter().map(|id| Param::from(id.to_string())));
    tx.execute(&sql, &params).await?;
    Ok(())
}
