//! Opening a store, tenants, and the tenant-scoped handle.

use std::str::FromStr;
use std::time::Duration;

use medvigil_model::{Site, SiteId, Tenant, TenantId, TenantKind};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor, Row};

use crate::rows::{now_text, parse_col};
use crate::{StoreError, migrate};

/// Which database engine is behind a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file (WAL).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A medvigil store: a connection pool with the schema migrated.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and migrates it.
    ///
    /// `url` is a file path or `sqlite://PATH` for SQLite, or `postgres://…`.
    ///
    /// # Errors
    /// When the URL is unsupported, the database is unreachable or a migration fails.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        install_default_drivers();
        let (backend, url) = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            (Backend::Sqlite, sqlite_url(path))
        } else if url.contains("://") {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        } else {
            (Backend::Sqlite, sqlite_url(url))
        };
        let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        options = match backend {
            // SQLite has one writer; a few readers are plenty for a local file.
            Backend::Sqlite => options.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL: readers do not block the writer; NORMAL sync is
                    // durable across process crashes (not power loss of the
                    // last commits), the trade-off SQLite recommends for WAL.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 30000").await?;
                    Ok(())
                })
            }),
            Backend::Postgres => options.max_connections(16),
        };
        let pool = options.connect(&url).await?;
        migrate::run(&pool).await?;
        Ok(Self { pool, backend })
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Every tenant, by name.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        let rows = sqlx::query("SELECT id, name, kind FROM tenants ORDER BY name").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(2)?;
                Ok(Tenant {
                    id: parse_col("tenants", "id", r.try_get::<String, _>(0)?)?,
                    name: r.try_get(1)?,
                    kind: TenantKind::from_name(&kind)
                        .ok_or(StoreError::Corrupt { table: "tenants", column: "kind", value: kind.clone() })?,
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
        let tenant = Tenant { id: TenantId::new(), name: name.to_owned(), kind };
        sqlx::query("INSERT INTO tenants (id, name, kind, created_at) VALUES ($1, $2, $3, $4)")
            .bind(tenant.id.to_string())
            .bind(&tenant.name)
            .bind(kind.as_str())
            .bind(now_text())
            .execute(&self.pool)
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
            .ok_or_else(|| StoreError::NotFound { what: "tenant", key: key.to_owned() })
    }

    /// The data of one tenant. Every read and write below goes through this
    /// handle and is filtered by its tenant: isolation lives here, not in callers.
    pub fn tenant(&self, tenant: TenantId) -> TenantStore<'_> {
        TenantStore { store: self, tenant }
    }
}

/// A `sqlite://` URL that creates the file if missing.
fn sqlite_url(path: &str) -> String {
    if path.contains('?') { format!("sqlite://{path}") } else { format!("sqlite://{path}?mode=rwc") }
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
        let rows = sqlx::query("SELECT id, name FROM sites WHERE tenant_id = $1 ORDER BY name")
            .bind(self.tenant.to_string())
            .fetch_all(&self.store.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Site {
                    id: parse_col::<SiteId>("sites", "id", r.try_get::<String, _>(0)?)?,
                    tenant: self.tenant,
                    name: r.try_get(1)?,
                })
            })
            .collect()
    }
}
