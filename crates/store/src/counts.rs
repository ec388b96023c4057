//! Totals of paged lists, kept until the data change.
//!
//! A page is read through an index in list order and costs little; its
//! total counts every matching row (62,000 index entries for the infusion
//! pumps of a 100,000-device group), the same for every page of a list.
//! A total is kept with the data version it was counted at (see
//! [`crate::Store::data_version`]) and used while the version is unchanged.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::StoreError;
use crate::db::{Db, Param};

/// Totals at most kept: past it the cache starts over (a bound on memory
/// for callers that page through many distinct searches).
const MAX_ENTRIES: usize = 4096;

/// `COUNT(*)` statement and binds → (data version, total).
#[derive(Debug, Default)]
pub(crate) struct Counts(Mutex<HashMap<String, (String, u64)>>);

impl Counts {
    /// The first column of the single row `sql` answers, as a count,
    /// counted again only when the data changed since it was last counted.
    pub(crate) async fn count(
        &self,
        db: &Db,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<u64, StoreError> {
        let mut key = String::from(sql);
        for p in params {
            key.push('\u{0}');
            key.push_str(&format!("{p:?}"));
        }
        // Read before counting: a write committed meanwhile leaves the
        // total under the older version, so it is counted again next time.
        let version = db.data_version().await?;
        if let Some((v, n)) = self.map().get(&key)
            && *v == version
        {
            return Ok(*n);
        }
        let n = db
            .query(sql, params)
            .await?
            .first()
            .and_then(|r| r.int(0))
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0);
        let mut map = self.map();
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (version, n));
        Ok(n)
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, u64)>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
