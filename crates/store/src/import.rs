//! Applying an inventory import: reconcile with the stored devices and write
//! the result, all in one transaction.

use std::collections::{BTreeSet, HashMap};

use medvigil_inventory::{Existing, ParsedRow, Plan, RowError, reconcile};
use medvigil_model::{Device, DeviceFields, DeviceId, FieldSources, ProvenanceId, SiteId, SourceKind};
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

use crate::devices::{WRITE_COLUMNS, sources_to_json};
use crate::rows::time_text;
use crate::{StoreError, TenantStore};

/// Rows per INSERT statement: 28 columns × 500 rows stays under both
/// SQLite's (32,766) and PostgreSQL's (65,535) bind limits.
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
        req: ImportRequest,
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<ImportReport, StoreError> {
        let tenant = self.tenant.to_string();
        let mut tx = self.store.pool.begin().await?;
        // A write first: it takes SQLite's write lock and PostgreSQL's row lock
        // on the tenant, so concurrent imports of one tenant run one after the
        // other and each reconciles against what the previous one wrote.
        let locked = sqlx::query("UPDATE tenants SET name = name WHERE id = $1").bind(&tenant).execute(&mut *tx).await?;
        if locked.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "tenant", key: tenant });
        }
        let existing = self.load_devices(&mut tx).await?;
        let sources: HashMap<DeviceId, FieldSources> = existing.iter().map(|d| (d.id, d.sources.clone())).collect();
        let existing: Vec<Existing> = existing.into_iter().map(|d| Existing { id: d.id, fields: d.fields }).collect();
        let plan = reconcile(&existing, req.rows);
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
        let sites = self.ensure_sites(&mut tx, &plan, &mut report.sites_created).await?;
        sqlx::query("INSERT INTO provenance (tenant_id, id, kind, at, actor, detail) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&tenant)
            .bind(prov.to_string())
            .bind(req.kind.as_str())
            .bind(time_text(now))
            .bind(&req.actor)
            .bind(&req.detail)
            .execute(&mut *tx)
            .await?;

        let Plan { creates, updates, unchanged, rejected } = plan;
        let unchanged_ids: Vec<DeviceId> = unchanged.iter().map(|u| u.1).collect();
        let mut writes: Vec<Device> = Vec::with_capacity(creates.len() + updates.len());
        for row in creates {
            let sources = row.fields.set_fields().into_iter().map(|f| (f, prov)).collect();
            writes.push(Device { id: DeviceId::new(), fields: row.fields, sources, first_seen: now, last_seen: now });
        }
        for u in updates {
            let mut s = sources.get(&u.id).cloned().unwrap_or_default();
            s.extend(u.changed.iter().map(|&f| (f, prov)));
            // first_seen is kept by the upsert; the value here is ignored for updates.
            writes.push(Device { id: u.id, fields: u.fields, sources: s, first_seen: now, last_seen: now });
        }
        let total = writes.len() as u64;
        tracing::info!(devices = total, "writing devices");
        progress(0, total);
        let mut done = 0;
        for chunk in writes.chunks(BATCH) {
            upsert(&mut tx, &tenant, &sites, chunk).await?;
            done += chunk.len() as u64;
            progress(done, total);
        }
        for chunk in unchanged_ids.chunks(BATCH) {
            touch(&mut tx, &tenant, chunk, &time_text(now)).await?;
        }
        report.rejected = rejected;
        if req.dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
            report.provenance = Some(prov);
        }
        Ok(report)
    }

    async fn load_devices(&self, conn: &mut AnyConnection) -> Result<Vec<Device>, StoreError> {
        crate::devices::load_all(conn, self.tenant).await
    }

    /// Site ids by name for every site the plan names, creating missing ones.
    async fn ensure_sites(
        &self,
        conn: &mut AnyConnection,
        plan: &Plan,
        created: &mut Vec<String>,
    ) -> Result<HashMap<String, SiteId>, StoreError> {
        let tenant = self.tenant.to_string();
        let rows = sqlx::query("SELECT name, id FROM sites WHERE tenant_id = $1").bind(&tenant).fetch_all(&mut *conn).await?;
        let mut sites = HashMap::new();
        for r in rows {
            let id: String = r.try_get(1)?;
            sites.insert(r.try_get::<String, _>(0)?, crate::rows::parse_col("sites", "id", id)?);
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
            sqlx::query("INSERT INTO sites (tenant_id, id, name) VALUES ($1, $2, $3)")
                .bind(&tenant)
                .bind(id.to_string())
                .bind(name)
                .execute(&mut *conn)
                .await?;
            sites.insert(name.to_owned(), id);
            created.push(name.to_owned());
        }
        Ok(sites)
    }
}

/// Inserts or replaces `devices` (keeping `first_seen` of existing ones).
async fn upsert(
    conn: &mut AnyConnection,
    tenant: &str,
    sites: &HashMap<String, SiteId>,
    devices: &[Device],
) -> Result<(), StoreError> {
    let n = WRITE_COLUMNS.len();
    let mut sql = format!("INSERT INTO devices ({}) VALUES ", WRITE_COLUMNS.join(", "));
    for i in 0..devices.len() {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for c in 0..n {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", i * n + c + 1));
        }
        sql.push(')');
    }
    let updates: Vec<String> = WRITE_COLUMNS
        .iter()
        .filter(|c| !matches!(**c, "tenant_id" | "id" | "first_seen"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    sql.push_str(&format!(" ON CONFLICT (tenant_id, id) DO UPDATE SET {}", updates.join(", ")));

    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for d in devices {
        let f = &d.fields;
        let s = |v: &Option<String>| v.clone();
        let t = |v: Option<String>| v;
        q = q
            .bind(tenant.to_owned())
            .bind(d.id.to_string())
            .bind(f.location.site.as_ref().and_then(|n| sites.get(n)).map(ToString::to_string))
            .bind(s(&f.location.building))
            .bind(s(&f.location.ward))
            .bind(s(&f.location.room))
            .bind(s(&f.location.bed))
            .bind(s(&f.vendor))
            .bind(s(&f.model))
            .bind(s(&f.serial))
            .bind(s(&f.asset_tag))
            .bind(t(f.udi_di.as_ref().map(ToString::to_string)))
            .bind(s(&f.software_version))
            .bind(s(&f.firmware_version))
            .bind(t(f.category.map(|c| c.as_str().to_owned())))
            .bind(t(f.eu_class.map(|c| c.as_str().to_owned())))
            .bind(t(f.fda_class.map(|c| c.as_str().to_owned())))
            .bind(t(f.criticality.map(|c| c.as_str().to_owned())))
            .bind(s(&f.owner_team))
            .bind(t(f.mac.map(|m| m.to_string())))
            .bind(t(f.ip.map(|i| i.to_string())))
            .bind(f.vlan.map(|v| i64::from(v.get())))
            .bind(t(f.hostname.as_ref().map(ToString::to_string)))
            .bind(t(f.end_of_support.map(|d| d.to_string())))
            .bind(f.patchable.map(i64::from))
            .bind(time_text(d.first_seen))
            .bind(time_text(d.last_seen))
            .bind(sources_to_json(&d.sources));
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Marks devices an import confirmed as seen now.
async fn touch(conn: &mut AnyConnection, tenant: &str, ids: &[DeviceId], now: &str) -> Result<(), StoreError> {
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "UPDATE devices SET last_seen = $2 WHERE tenant_id = $1 AND id IN ({})",
        placeholders.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.to_owned()).bind(now.to_owned());
    for id in ids {
        q = q.bind(id.to_string());
    }
    q.execute(&mut *conn).await?;
    Ok(())
}
