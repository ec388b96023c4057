//! The remediation workflow as stored: each remediation's current row and
//! its append-only trail, written together in one transaction. The steps
//! are checked by the domain model ([`Remediation::apply`]) before anything
//! is written.

use medvigil_model::{DeviceId, Entry, Event, Remediation, RemediationId, Status, Team};
use time::{Date, OffsetDateTime};

use crate::db::{Param, Row, Tx};
use crate::rows::{date_text, parse_col, parse_date, parse_time, time_text};
use crate::{StoreError, TenantStore};

const T: &str = "remediations";

/// Which remediations to list.
#[derive(Clone, Debug, Default)]
pub struct RemediationQuery {
    /// This remediation only.
    pub id: Option<RemediationId>,
    /// Of this device only.
    pub device: Option<DeviceId>,
    /// Of devices of this site (name) only.
    pub site: Option<String>,
    /// With this status only.
    pub status: Option<Status>,
    /// Of this team only.
    pub owner: Option<Team>,
    /// For this vulnerability only.
    pub vulnerability: Option<String>,
    /// Only those still to do (open, in progress) whose due date is before this day.
    pub overdue_on: Option<Date>,
    /// The order (default: soonest due first, undated last, then asset tag
    /// and creation).
    pub order: Option<(RemediationSortKey, bool)>,
    /// At most this many.
    pub limit: Option<u64>,
    /// Skip this many first.
    pub offset: u64,
}

sort_keys! {
    /// What a remediation list can be sorted by (with a descending flag beside it).
    pub enum RemediationSortKey {
        /// Due date.
        Due = ("due", "r.due"),
        /// Workflow status.
        Status = ("status", "r.status"),
        /// The device's asset tag.
        AssetTag = ("asset_tag", "d.asset_tag"),
        /// Vulnerability id.
        Vulnerability = ("vulnerability", "r.vulnerability"),
        /// Owner team.
        Owner = ("owner", "r.owner_team"),
        /// When it was planned.
        CreatedAt = ("created_at", "r.created_at"),
        /// Its last step.
        UpdatedAt = ("updated_at", "r.updated_at"),
    }
}

/// The remediation list's joins, from `remediations r` on.
const REMEDIATION_FROM: &str = "FROM remediations r \
     JOIN devices d ON d.tenant_id = r.tenant_id AND d.id = r.device_id \
     LEFT JOIN sites s ON s.tenant_id = d.tenant_id AND s.id = d.site_id \
     WHERE r.tenant_id = $1";

/// A remediation with the device it is about.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RemediationRow {
    /// The remediation.
    #[serde(flatten)]
    pub remediation: Remediation,
    /// The device's asset tag.
    pub asset_tag: Option<String>,
    /// The device's vendor and model.
    pub device_name: String,
    /// The device's site.
    pub site: Option<String>,
}

/// The current-row columns, in the order [`remediation_from`] reads them.
const STATE: &str = "r.id, r.device_id, r.vulnerability, r.action, r.target_version, \
    r.owner_team, r.status, r.due, r.accepted_until, r.justification, r.evidence, \
    r.created_at, r.updated_at";

fn remediation_from(r: &Row) -> Result<Remediation, StoreError> {
    let date = |i: usize, c: &'static str| r.text(i).map(|s| parse_date(T, c, s)).transpose();
    let evidence = r.req(T, "evidence", 10)?;
    Ok(Remediation {
        id: parse_col(T, "id", r.req(T, "id", 0)?)?,
        device: parse_col(T, "device_id", r.req(T, "device_id", 1)?)?,
        vulnerability: r.text(2),
        action: parse_col(T, "action", r.req(T, "action", 3)?)?,
        target_version: r.text(4),
        owner: parse_col(T, "owner_team", r.req(T, "owner_team", 5)?)?,
        status: parse_col(T, "status", r.req(T, "status", 6)?)?,
        due: date(7, "due")?,
        accepted_until: date(8, "accepted_until")?,
        justification: r.text(9),
        evidence: serde_json::from_str(&evidence).map_err(|_| StoreError::Corrupt {
            table: T,
            column: "evidence",
            value: evidence,
        })?,
        created_at: parse_time(T, "created_at", r.req(T, "created_at", 11)?)?,
        updated_at: parse_time(T, "updated_at", r.req(T, "updated_at", 12)?)?,
    })
}

fn state_params(tenant: &str, x: &Remediation) -> Vec<Param<'static>> {
    vec![
        tenant.to_owned().into(),
        x.id.to_string().into(),
        x.device.to_string().into(),
        x.vulnerability.clone().into(),
        x.action.as_str().into(),
        x.target_version.clone().into(),
        x.owner.as_str().into(),
        x.status.as_str().into(),
        x.due.map(date_text).into(),
        x.accepted_until.map(date_text).into(),
        x.justification.clone().into(),
        serde_json::to_string(&x.evidence)
            .unwrap_or_else(|_| "[]".into())
            .into(),
        time_text(x.created_at).into(),
        time_text(x.updated_at).into(),
    ]
}

async fn append(tx: &mut Tx, tenant: &str, id: RemediationId, e: &Entry) -> Result<(), StoreError> {
    let event =
        serde_json::to_string(&e.event).map_err(|err| StoreError::Database(err.to_string()))?;
    tx.execute(
        "INSERT INTO remediation_events (tenant_id, remediation_id, seq, at, actor, event) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            tenant.into(),
            id.to_string().into(),
            i64::from(e.seq).into(),
            time_text(e.at).into(),
            e.actor.as_str().into(),
            event.into(),
        ],
    )
    .await?;
    Ok(())
}

impl TenantStore<'_> {
    /// Plans a remediation for a device (and one of its vulnerabilities, or
    /// all of them): its row and its `created` event, in one transaction.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a device of another tenant or none;
    /// [`StoreError::Workflow`] when `created` is not a `Created` event.
    pub async fn create_remediation(
        &self,
        device: DeviceId,
        vulnerability: Option<&str>,
        created: Event,
        actor: &str,
        at: OffsetDateTime,
    ) -> Result<Remediation, StoreError> {
        let mut one = self
            .create_remediations(
                vec![(device, vulnerability.map(str::to_owned), created)],
                actor,
                at,
            )
            .await?;
        one.pop().ok_or(StoreError::NotFound {
            what: "device",
            key: device.to_string(),
        })
    }

    /// Plans many remediations in one transaction (all or none), each as
    /// [`TenantStore::create_remediation`] does.
    ///
    /// # Errors
    /// As [`TenantStore::create_remediation`], for the first that fails.
    pub async fn create_remediations(
        &self,
        plans: Vec<(DeviceId, Option<String>, Event)>,
        actor: &str,
        at: OffsetDateTime,
    ) -> Result<Vec<Remediation>, StoreError> {
        let tenant = self.tenant.to_string();
        let mut out = Vec::with_capacity(plans.len());
        let mut tx = self.store.db.begin().await?;
        for (device, vulnerability, created) in plans {
            let entry = Entry {
                seq: 1,
                at,
                actor: actor.to_owned(),
                event: created,
            };
            let id = RemediationId::new();
            let state = Remediation::new(id, device, vulnerability, &entry)?;
            let found = tx
                .query(
                    "SELECT id FROM devices WHERE tenant_id = $1 AND id = $2",
                    &[tenant.as_str().into(), device.to_string().into()],
                )
                .await?;
            if found.is_empty() {
                return Err(StoreError::NotFound {
                    what: "device",
                    key: device.to_string(),
                });
            }
            tx.execute(
                "INSERT INTO remediations (tenant_id, id, device_id, vulnerability, action, \
                 target_version, owner_team, status, due, accepted_until, justification, evidence, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                &state_params(&tenant, &state),
            )
            .await?;
            append(&mut tx, &tenant, id, &entry).await?;
            out.push(state);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Records steps of a remediation, checked in order against the
    /// workflow; all of them or none are written.
    ///
    /// # Errors
    /// [`StoreError::Workflow`] for a refused step (nothing is written),
    /// [`StoreError::NotFound`] for an unknown remediation.
    pub async fn record_remediation(
        &self,
        id: RemediationId,
        events: Vec<Event>,
        actor: &str,
        at: OffsetDateTime,
        today: Date,
    ) -> Result<Remediation, StoreError> {
        let tenant = self.tenant.to_string();
        let mut tx = self.store.db.begin().await?;
        let lock = if matches!(tx, Tx::Postgres(_)) {
            " FOR UPDATE"
        } else {
            ""
        };
        let rows = tx
            .query(
                &format!(
                    "SELECT {STATE}, (SELECT MAX(seq) FROM remediation_events e \
                     WHERE e.tenant_id = r.tenant_id AND e.remediation_id = r.id) \
                     FROM remediations r WHERE r.tenant_id = $1 AND r.id = $2{lock}"
                ),
                &[tenant.as_str().into(), id.to_string().into()],
            )
            .await?;
        let Some(row) = rows.first() else {
            return Err(StoreError::NotFound {
                what: "remediation",
                key: id.to_string(),
            });
        };
        let mut state = remediation_from(row)?;
        let last = row.int(13).and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
        let mut entries = Vec::with_capacity(events.len());
        for (seq, event) in (last + 1..).zip(events) {
            let entry = Entry {
                seq,
                at,
                actor: actor.to_owned(),
                event,
            };
            state.apply(&entry, today)?;
            entries.push(entry);
        }
        for e in &entries {
            append(&mut tx, &tenant, id, e).await?;
        }
        tx.execute(
            "UPDATE remediations SET device_id = $3, vulnerability = $4, action = $5, \
             target_version = $6, owner_team = $7, status = $8, due = $9, accepted_until = $10, \
             justification = $11, evidence = $12, created_at = $13, updated_at = $14 \
             WHERE tenant_id = $1 AND id = $2",
            &state_params(&tenant, &state),
        )
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// How many remediations match `q` (its order, limit and offset aside).
    ///
    /// # Errors
    /// On database failure.
    pub async fn remediation_count(&self, q: &RemediationQuery) -> Result<u64, StoreError> {
        let (filter, params) = self.remediation_filter(q);
        self.store
            .counts
            .count(
                &self.store.db,
                &format!("SELECT COUNT(*) {REMEDIATION_FROM}{filter}"),
                &params,
            )
            .await
    }

    /// The conditions of `q` after the tenant's, and every bind (`$1` the tenant).
    fn remediation_filter(&self, q: &RemediationQuery) -> (String, Vec<Param<'static>>) {
        let mut sql = String::new();
        let mut params: Vec<Param<'static>> = vec![self.tenant.to_string().into()];
        let mut filter = |column: &str, value: String| {
            params.push(value.into());
            sql.push_str(&format!(" AND {column} = ${}", params.len()));
        };
        if let Some(id) = q.id {
            filter("r.id", id.to_string());
        }
        if let Some(d) = q.device {
            filter("r.device_id", d.to_string());
        }
        if let Some(s) = &q.site {
            filter("s.name", s.clone());
        }
        if let Some(s) = q.status {
            filter("r.status", s.as_str().to_owned());
        }
        if let Some(t) = q.owner {
            filter("r.owner_team", t.as_str().to_owned());
        }
        if let Some(v) = &q.vulnerability {
            filter("r.vulnerability", v.clone());
        }
        if let Some(day) = q.overdue_on {
            params.push(date_text(day).into());
            let active: Vec<String> = Status::ALL
                .iter()
                .filter(|s| s.is_active())
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            sql.push_str(&format!(
                " AND r.due < ${} AND r.status IN ({})",
                params.len(),
                active.join(", ")
            ));
        }
        (sql, params)
    }

    /// The remediations asked for, by due date (undated last), then device.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn remediations(
        &self,
        q: &RemediationQuery,
    ) -> Result<Vec<RemediationRow>, StoreError> {
        let (filter, params) = self.remediation_filter(q);
        let mut sql = format!(
            "SELECT {STATE}, d.asset_tag, d.vendor, d.model, s.name {REMEDIATION_FROM}{filter}"
        );
        // The id last: every order is total, pages never overlap.
        match q.order {
            None => sql.push_str(
                " ORDER BY CASE WHEN r.due IS NULL THEN 1 ELSE 0 END, r.due, \
                 d.asset_tag NULLS FIRST, r.created_at, r.id",
            ),
            Some((k, false)) => {
                sql.push_str(&format!(" ORDER BY {} NULLS FIRST, r.id", k.column()));
            }
            Some((k, true)) => {
                sql.push_str(&format!(
                    " ORDER BY {} DESC NULLS LAST, r.id DESC",
                    k.column()
                ));
            }
        }
        match q.limit {
            Some(n) => sql.push_str(&format!(" LIMIT {n} OFFSET {}", q.offset)),
            None if q.offset > 0 => {
                sql.push_str(&format!(" LIMIT {} OFFSET {}", i64::MAX, q.offset));
            }
            None => {}
        }
        let rows = self.store.db.query(&sql, &params).await?;
        rows.iter()
            .map(|r| {
                Ok(RemediationRow {
                    remediation: remediation_from(r)?,
                    asset_tag: r.text(13),
                    device_name: format!(
                        "{} {}",
                        r.text(14).unwrap_or_else(|| "-".into()),
                        r.text(15).unwrap_or_else(|| "-".into())
                    ),
                    site: r.text(16),
                })
            })
            .collect()
    }

    /// The remediation whose id is `key`, starts with it or ends with it
    /// (at least 6 characters for a part), with its trail.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Ambiguous`] for a prefix of
    /// several, or database failure.
    pub async fn remediation(&self, key: &str) -> Result<(RemediationRow, Vec<Entry>), StoreError> {
        let key = key.trim().to_ascii_lowercase();
        let ids = self
            .store
            .db
            .query(
                "SELECT id FROM remediations WHERE tenant_id = $1 \
                 AND (id = $2 OR ((id LIKE $3 OR id LIKE $4) AND LENGTH($2) >= 6)) ORDER BY id",
                &[
                    self.tenant.to_string().into(),
                    key.as_str().into(),
                    format!("{}%", key.replace(['%', '_'], "")).into(),
                    format!("%{}", key.replace(['%', '_'], "")).into(),
                ],
            )
            .await?;
        let id: RemediationId = match ids.as_slice() {
            [one] => parse_col(T, "id", one.req(T, "id", 0)?)?,
            [] => {
                return Err(StoreError::NotFound {
                    what: "remediation",
                    key,
                });
            }
            many => {
                return Err(StoreError::Ambiguous {
                    what: "remediation",
                    key,
                    count: many.len(),
                });
            }
        };
        let found = self
            .remediations(&RemediationQuery {
                id: Some(id),
                ..RemediationQuery::default()
            })
            .await?;
        let Some(row) = found.into_iter().next() else {
            return Err(StoreError::NotFound {
                what: "remediation",
                key,
            });
        };
        let events = self
            .store
            .db
            .query(
                "SELECT seq, at, actor, event FROM remediation_events \
                 WHERE tenant_id = $1 AND remediation_id = $2 ORDER BY seq",
                &[self.tenant.to_string().into(), id.to_string().into()],
            )
            .await?;
        const E: &str = "remediation_events";
        let trail = events
            .iter()
            .map(|r| {
                let text = r.req(E, "event", 3)?;
                Ok(Entry {
                    seq: r.int(0).and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
                    at: parse_time(E, "at", r.req(E, "at", 1)?)?,
                    actor: r.req(E, "actor", 2)?,
                    event: serde_json::from_str(&text).map_err(|_| StoreError::Corrupt {
                        table: E,
                        column: "event",
                        value: text,
                    })?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((row, trail))
    }

    /// Brings back every accepted risk whose acceptance has ended by
    /// `today`: an `expired` event by `system`, status open again, and a new
    /// due date from `due_for`. Returns the remediations that came back.
    ///
    /// # Errors
    /// On database failure.
    pub async fn expire_acceptances(
        &self,
        today: Date,
        due_for: impl Fn(&Remediation) -> Option<Date>,
    ) -> Result<Vec<Remediation>, StoreError> {
        let accepted = self
            .remediations(&RemediationQuery {
                status: Some(Status::Accepted),
                ..RemediationQuery::default()
            })
            .await?;
        let mut back = Vec::new();
        for row in accepted {
            let r = row.remediation;
            if !r.acceptance_ended(today) {
                continue;
            }
            let due = due_for(&r);
            back.push(
                self.record_remediation(
                    r.id,
                    vec![Event::Expired { due }],
                    "system",
                    OffsetDateTime::now_utc(),
                    today,
                )
                .await?,
            );
        }
        Ok(back)
    }
}
