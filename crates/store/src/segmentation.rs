//! Segmentation policies and their review (proposed → approved or
//! rejected; an approved one is superseded by the next approval). The
//! policy itself is the segment crate's JSON, kept as text so the store
//! does not depend on it.

use time::OffsetDateTime;

use crate::db::{Row, Tx};
use crate::rows::{parse_time, time_text};
use crate::{StoreError, TenantStore};

const T: &str = "segmentation_policies";
const COLUMNS: &str = "number, status, zones_toml, policy_json, note, proposed_at, proposed_by, \
     decided_at, decided_by, enforced, decision_comment";

/// A stored segmentation policy.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StoredPolicy {
    /// Its number, from 1 per tenant.
    pub number: u32,
    /// `proposed`, `approved`, `superseded` or `rejected`.
    pub status: String,
    /// The zones file it was learned with.
    pub zones_toml: String,
    /// The learned policy (JSON).
    pub policy_json: String,
    /// The proposer's note.
    pub note: Option<String>,
    /// When it was proposed.
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: OffsetDateTime,
    /// Who proposed it.
    pub proposed_by: String,
    /// When it was approved or rejected.
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// Whether the network team has applied it (only then it lowers exposure).
    pub enforced: bool,
    /// The reviewer's comment on the approval or rejection.
    pub decision_comment: Option<String>,
}

fn policy_from(r: &Row) -> Result<StoredPolicy, StoreError> {
    Ok(StoredPolicy {
        number: r.int(0).and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
        status: r.req(T, "status", 1)?,
        zones_toml: r.req(T, "zones_toml", 2)?,
        policy_json: r.req(T, "policy_json", 3)?,
        note: r.text(4),
        proposed_at: parse_time(T, "proposed_at", r.req(T, "proposed_at", 5)?)?,
        proposed_by: r.req(T, "proposed_by", 6)?,
        decided_at: r
            .text(7)
            .map(|s| parse_time(T, "decided_at", s))
            .transpose()?,
        decided_by: r.text(8),
        enforced: r.int(9).unwrap_or(0) != 0,
        decision_comment: r.text(10),
    })
}

async fn read(tx: &mut Tx, tenant: &str, number: u32) -> Result<StoredPolicy, StoreError> {
    let rows = tx
        .query(
            &format!("SELECT {COLUMNS} FROM {T} WHERE tenant_id = $1 AND number = $2"),
            &[tenant.into(), i64::from(number).into()],
        )
        .await?;
    rows.first()
        .map(policy_from)
        .transpose()?
        .ok_or(StoreError::NotFound {
            what: "segmentation policy",
            key: number.to_string(),
        })
}

impl TenantStore<'_> {
    /// Stores a proposed policy; returns it with its number.
    ///
    /// # Errors
    /// On database failure.
    pub async fn propose_segmentation(
        &self,
        zones_toml: &str,
        policy_json: &str,
        note: Option<&str>,
        actor: &str,
    ) -> Result<StoredPolicy, StoreError> {
        let tenant = self.tenant.to_string();
        let mut tx = self.store.db.begin().await?;
        let last = tx
            .query(
                &format!("SELECT MAX(number) FROM {T} WHERE tenant_id = $1"),
                &[tenant.as_str().into()],
            )
            .await?;
        let number = last
            .first()
            .and_then(|r| r.int(0))
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0)
            + 1;
        tx.execute(
            &format!(
                "INSERT INTO {T} ({COLUMNS}, tenant_id) VALUES ($1, 'proposed', $2, $3, $4, $5, $6, NULL, NULL, 0, NULL, $7)"
            ),
            &[
                i64::from(number).into(),
                zones_toml.into(),
                policy_json.into(),
                note.into(),
                time_text(OffsetDateTime::now_utc()).into(),
                actor.into(),
                tenant.as_str().into(),
            ],
        )
        .await?;
        let stored = read(&mut tx, &tenant, number).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Every policy, newest first.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn segmentation_policies(&self) -> Result<Vec<StoredPolicy>, StoreError> {
        let rows = self
            .store
            .db
            .query(
                &format!("SELECT {COLUMNS} FROM {T} WHERE tenant_id = $1 ORDER BY number DESC"),
                &[self.tenant.to_string().into()],
            )
            .await?;
        rows.iter().map(policy_from).collect()
    }

    /// Policy `number`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], or database failure.
    pub async fn segmentation_policy(&self, number: u32) -> Result<StoredPolicy, StoreError> {
        let mut tx = self.store.db.begin().await?;
        let p = read(&mut tx, &self.tenant.to_string(), number).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The approved policy, if any.
    ///
    /// # Errors
    /// On database failure.
    pub async fn approved_segmentation(&self) -> Result<Option<StoredPolicy>, StoreError> {
        Ok(self
            .segmentation_policies()
            .await?
            .into_iter()
            .find(|p| p.status == "approved"))
    }

    /// Approves (the approved one, if any, becomes superseded) or rejects a
    /// proposed policy, with the reviewer's comment, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Refused`] when the policy is
    /// not a proposal; database failure.
    pub async fn decide_segmentation(
        &self,
        number: u32,
        approve: bool,
        actor: &str,
        comment: Option<&str>,
    ) -> Result<StoredPolicy, StoreError> {
        let tenant = self.tenant.to_string();
        let mut tx = self.store.db.begin().await?;
        let current = read(&mut tx, &tenant, number).await?;
        if current.status != "proposed" {
            return Err(StoreError::Refused(format!(
                "policy {number} is {}: only a proposed policy can be approved or rejected",
                current.status
            )));
        }
        if approve {
            tx.execute(
                &format!("UPDATE {T} SET status = 'superseded' WHERE tenant_id = $1 AND status = 'approved'"),
                &[tenant.as_str().into()],
            )
            .await?;
        }
        tx.execute(
            &format!(
                "UPDATE {T} SET status = $3, decided_at = $4, decided_by = $5, decision_comment = $6 \
                 WHERE tenant_id = $1 AND number = $2"
            ),
            &[
                tenant.as_str().into(),
                i64::from(number).into(),
                if approve { "approved" } else { "rejected" }.into(),
                time_text(OffsetDateTime::now_utc()).into(),
                actor.into(),
                comment.into(),
            ],
        )
        .await?;
        let p = read(&mut tx, &tenant, number).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Records whether the approved policy `number` is enforced on the network.
    ///
    /// # Errors
    /// [`StoreError::Refused`] for a policy that is not the approved one.
    pub async fn set_segmentation_enforced(
        &self,
        number: u32,
        enforced: bool,
    ) -> Result<StoredPolicy, StoreError> {
        let tenant = self.tenant.to_string();
        let mut tx = self.store.db.begin().await?;
        let current = read(&mut tx, &tenant, number).await?;
        if current.status != "approved" {
            return Err(StoreError::Refused(format!(
                "policy {number} is {}: only the approved policy can be enforced",
                current.status
            )));
        }
        tx.execute(
            &format!("UPDATE {T} SET enforced = $3 WHERE tenant_id = $1 AND number = $2"),
            &[
                tenant.as_str().into(),
                i64::from(number).into(),
                i64::from(enforced).into(),
            ],
        )
        .await?;
        let p = read(&mut tx, &tenant, number).await?;
        tx.commit().await?;
        Ok(p)
    }
}
