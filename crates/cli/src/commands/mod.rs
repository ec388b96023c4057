//! Subcommands.

pub mod advisories;
pub mod demo;
pub mod discover;
pub mod feeds;
pub mod findings;
pub mod inventory;
pub mod live;
pub mod remediation;
pub mod report;
pub mod risk;
pub mod sbom;
pub mod segment;
pub mod sensor;
pub mod serve;
pub mod users;

use anyhow::{Context as _, bail};
use medvigil_model::{Tenant, TenantKind};
use medvigil_store::Store;

/// What every command gets from the global options.
#[derive(Debug)]
pub struct Context {
    /// Database URL or path.
    pub database: String,
    /// Tenant name, if given.
    pub tenant: Option<String>,
}

impl Context {
    /// Opens the store (creating and migrating it if needed).
    pub async fn store(&self) -> anyhow::Result<Store> {
        Store::open(&self.database)
            .await
            .with_context(|| format!("cannot open database '{}'", self.database))
    }

    /// The tenant to work on: the one named, the only one there is, or — when
    /// `create` and the store is empty — a new hospital group called "default".
    pub async fn tenant(&self, store: &Store, create: bool) -> anyhow::Result<Tenant> {
        if let Some(name) = &self.tenant {
            return match store.find_tenant(name).await {
                Ok(t) => Ok(t),
                Err(medvigil_store::StoreError::NotFound { .. }) if create => {
                    Ok(store.ensure_tenant(name, TenantKind::HospitalGroup).await?)
                }
                Err(e) => Err(e.into()),
            };
        }
        let tenants = store.tenants().await?;
        match tenants.as_slice() {
            [one] => Ok(one.clone()),
            [] if create => Ok(store
                .ensure_tenant("default", TenantKind::HospitalGroup)
                .await?),
            [] => bail!(
                "the database has no tenant yet: import an inventory or run `medvigil demo` first"
            ),
            many => bail!(
                "the database has {} tenants; choose one with --tenant ({})",
                many.len(),
                many.iter()
                    .map(|t| t.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}
