//! Opening a store, tenants, and the tenant-scoped handle.

use std::str::FromStr;

use medvigil_model::{
    Provenance, ProvenanceId, Site, SiteId, SourceKind, Tenant, TenantId, TenantKind,
};

use crate::db::Db;
use crate::rows::{now_text, parse_col, parse_time};
use crate::{StoreError, migrate};

/// Which database engine is behind a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file (WAL).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A medvigil store: a database with the schema migrated.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) db: Db,
    /// Totals of paged lists, by data version.
    pub(crate) counts: std::sync::Arc<crate::counts::Counts>,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and migrates it.
    ///
    /// `url` is a file path or `sqlite://PATH` for SQLite, or `postgres://…`.
    ///
    /// # Errors
    /// When the URL is unsupported, the database is unreachable or a migration fails.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Db::open_postgres(url).await?
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Db::open_sqlite(path)?
        } else if url.contains("://") {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        } else {
            Db::open_sqlite(url)?
        };
        migrate::run(&db).await?;
        Ok(Self {
            db,
            counts: std::sync::Arc::default(),
        })
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A token that changes whenever data may have changed: any write
    /// committed since, by this process or another (a CLI import beside the
    /// server). Equal tokens mean unchanged data, so results computed from
    /// the store can be cached under it. Read it before computing.
    ///
    /// It is store-wide, not per tenant: a write to one tenant invalidates
    /// every tenant's cached results, which is correct and cheap while
    /// writes are rare next to reads.
    ///
    /// # Errors
    /// On database failure.
    pub async fn data_version(&self) -> Result<String, StoreError> {
        self.db.data_version().await
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Every tenant, by name.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        let rows = self
            .db
            .query("SELECT id, name, kind FROM tenants ORDER BY name", &[])
            .await?;
        rows.iter()
            .map(|r| {
                let kind = r.req("tenants", "kind", 2)?;
                Ok(Tenant {
                    id: parse_col("tenants", "id", r.req("tenants", "id", 0)?)?,
                    name: r.req("tenants", "name", 1)?,
                    kind: TenantKind::from_name(&kind).ok_or(StoreError::Corrupt {
                        table: "tenants",
                        column: "kind",
                        value: kind.clone(),
                    })?,
                })
            })
            .collect()
    }

    /// The tenant named `name`, created with `kind` if it does not exist.
    ///
    /// # Errors
    /// On database failure.
    pub async fn ensure_tenant(&self, name: &str, kind: TenantKind) -> Result<Tenant, StoreError> {
        if let Some(t) = self.tenants().await?.into_iter().find(|t| t.name == name) {
            return Ok(t);
        }
        let tenant = Tenant {
            id: TenantId::new(),
            name: name.to_owned(),
            kind,
        };
        self.db
            .execute(
                "INSERT INTO tenants (id, name, kind, created_at) VALUES ($1, $2, $3, $4)",
                &[
                    tenant.id.to_string().into(),
                    name.into(),
                    kind.as_str().into(),
                    now_text().into(),
                ],
            )
            .await?;
        Ok(tenant)
    }

    /// The tenant with this name or id.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there is none.
    pub async fn find_tenant(&self, key: &str) -> Result<Tenant, StoreError> {
        let id = TenantId::from_str(key).ok();
        self.tenants()
            .await?
            .into_iter()
            .find(|t| t.name == key || Some(t.id) == id)
            .ok_or_else(|| StoreError::NotFound {
                what: "tenant",
                key: key.to_owned(),
            })
    }

    /// The data of one tenant. Every read and write below goes through this
    /// handle and is filtered by its tenant: isolation lives here, not in callers.
    pub fn tenant(&self, tenant: TenantId) -> TenantStore<'_> {
        TenantStore {
            store: self,
            tenant,
        }
    }
}

/// One tenant's view of the store.
#[derive(Clone, Copy, Debug)]
pub struct TenantStore<'a> {
    pub(crate) store: &'a Store,
    pub(crate) tenant: TenantId,
}

impl TenantStore<'_> {
    /// The tenant this handle is scoped to.
    pub fn tenant_id(&self) -> TenantId {
        self.tenant
    }

    /// The tenant's sites, by name.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn sites(&self) -> Result<Vec<Site>, StoreError> {
        let rows = self
            .store
            .db
            .query(
                "SELECT id, name FROM sites WHERE tenant_id = $1 ORDER BY name",
                &[self.tenant.to_string().into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Site {
                    id: parse_col::<SiteId>("sites", "id", r.req("sites", "id", 0)?)?,
                    tenant: self.tenant,
                    name: r.req("sites", "name", 1)?,
                })
            })
            .collect()
    }

    /// The tenant's provenance records with these ids.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn provenance(&self, ids: &[ProvenanceId]) -> Result<Vec<Provenance>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let rows = self
                .store
                .db
                .query(
                    "SELECT kind, at, actor, detail FROM provenance WHERE tenant_id = $1 AND id = $2",
                    &[self.tenant.to_string().into(), id.to_string().into()],
                )
                .await?;
            let Some(r) = rows.first() else { continue };
            let kind = r.req("provenance", "kind", 0)?;
            out.push(Provenance {
                id: *id,
                kind: SourceKind::from_name(&kind).ok_or(StoreError::Corrupt {
                    table: "provenance",
                    column: "kind",
                    value: kind.clone(),
                })?,
                at: parse_time("provenance", "at", r.req("provenance", "at", 1)?)?,
                actor: r.req("provenance", "actor", 2)?,
                detail: r.req("provenance", "detail", 3)?,
            });
        }
        Ok(out)
    }
}
