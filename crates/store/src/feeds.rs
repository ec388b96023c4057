//! Feed subscriptions: the configuration is the feeds crate's JSON, kept
//! as text so the store does not depend on it.

use crate::rows::now_text;
use crate::{StoreError, TenantStore};

/// A stored feed subscription.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StoredFeed {
    /// Its name, unique per tenant.
    pub name: String,
    /// Its configuration (JSON text).
    pub config: String,
    /// The folder its documents are mirrored to.
    pub mirror: String,
    /// When it was added.
    pub created_at: String,
    /// When it was last synchronised.
    pub last_sync: Option<String>,
    /// What the last synchronisation did (JSON text).
    pub last_report: Option<String>,
}

impl TenantStore<'_> {
    /// Adds a feed, or replaces the configuration of the one with this name.
    ///
    /// # Errors
    /// On database failure.
    pub async fn save_feed(
        &self,
        name: &str,
        config: &str,
        mirror: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.store.db.begin().await?;
        let key = [self.tenant.to_string().into(), name.into()];
        tx.execute("DELETE FROM feeds WHERE tenant_id = $1 AND name = $2", &key)
            .await?;
        tx.execute(
            "INSERT INTO feeds (tenant_id, name, config, mirror, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                self.tenant.to_string().into(),
                name.into(),
                config.into(),
                mirror.into(),
                now_text().into(),
            ],
        )
        .await?;
        tx.commit().await
    }

    /// The tenant's feeds, by name.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn feeds(&self) -> Result<Vec<StoredFeed>, StoreError> {
        let rows = self
            .store
            .db
            .query(
                "SELECT name, config, mirror, created_at, last_sync, last_report FROM feeds \
                 WHERE tenant_id = $1 ORDER BY name",
                &[self.tenant.to_string().into()],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredFeed {
                    name: r.req("feeds", "name", 0)?,
                    config: r.req("feeds", "config", 1)?,
                    mirror: r.req("feeds", "mirror", 2)?,
                    created_at: r.req("feeds", "created_at", 3)?,
                    last_sync: r.text(4),
                    last_report: r.text(5),
                })
            })
            .collect()
    }

    /// Records the outcome of a synchronisation.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there is no such feed.
    pub async fn record_feed_sync(&self, name: &str, report: &str) -> Result<(), StoreError> {
        let n = self
            .store
            .db
            .execute(
                "UPDATE feeds SET last_sync = $3, last_report = $4 WHERE tenant_id = $1 AND name = $2",
                &[
                    self.tenant.to_string().into(),
                    name.into(),
                    now_text().into(),
                    report.into(),
                ],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "feed",
                key: name.to_owned(),
            });
        }
        Ok(())
    }
}
