//! Accounts of the server: users, browser sessions, API tokens and the
//! append-only audit log.
//!
//! The store keeps records, never secrets: a session or a token is found by
//! the SHA-256 of its secret (hex, computed by `medvigil-auth`), a password
//! is an argon2id PHC string. Roles and scopes are stored by name; the
//! server parses them.
//!
//! Three look-ups cannot be scoped to a tenant, because they are how the
//! tenant becomes known: a login names a user, a cookie a session, a bearer
//! token its id. They live on [`Store`] and return the record with the
//! tenant it belongs to; everything after them goes through a
//! [`TenantStore`] for that tenant.

use medvigil_model::TenantId;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::{Row, Tx};
use crate::rows::{now_text, parse_col, parse_time, time_text};
use crate::{Store, StoreError, TenantStore};

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Login name, unique in the installation.
    pub username: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Role name (`medvigil_auth::Role`).
    pub role: String,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// A stored user.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// The tenant the user belongs to.
    pub tenant: TenantId,
    /// Id (UUID v7).
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Role name.
    pub role: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// When the account was created.
    pub created_at: OffsetDateTime,
    /// A disabled account cannot log in and its sessions and tokens stop working.
    pub disabled: bool,
    /// Until when the account is locked after too many failed logins.
    pub locked_until: Option<OffsetDateTime>,
}

impl UserRecord {
    /// Whether the account is locked at `now`.
    pub fn locked_at(&self, now: OffsetDateTime) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

/// What an administrator changes on an account
/// ([`TenantStore::update_user`]); `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserChange {
    /// A new role name (`medvigil_auth::Role`).
    pub role: Option<String>,
    /// Disable (ends its sessions) or enable the account.
    pub disabled: Option<bool>,
    /// Lift a lock left by failed logins.
    pub unlock: bool,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("tenant", &self.tenant)
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("disabled", &self.disabled)
            .field("locked_until", &self.locked_until)
            .finish_non_exhaustive()
    }
}

/// A stored browser session (the id itself is never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the session id, hex.
    pub id_hash: String,
    /// The user.
    pub user: Uuid,
    /// When it started (the absolute lifetime counts from here).
    pub created_at: OffsetDateTime,
    /// Last request (the idle timeout counts from here).
    pub last_seen: OffsetDateTime,
}

/// A stored API token (the secret itself is never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// The token's public id (the part after `mv_`).
    pub id: String,
    /// SHA-256 of the secret, hex.
    pub hash: String,
    /// The user the token acts for.
    pub user: Uuid,
    /// Action names the token may perform (within its user's role).
    pub scopes: Vec<String>,
    /// When it was issued.
    pub created_at: OffsetDateTime,
    /// When it stops working, if ever.
    pub expires_at: Option<OffsetDateTime>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<OffsetDateTime>,
}

/// An entry to append to the audit log.
#[derive(Clone, Debug)]
pub struct NewAuditEntry {
    /// Who (a user name, `system`, or the name a failed login tried).
    pub actor: String,
    /// What (`login`, `login_failed`, `user_created`, `remediation_planned`, …).
    pub action: String,
    /// On what (an id or a name).
    pub target: Option<String>,
    /// Details, as JSON.
    pub detail: serde_json::Value,
}

/// An entry of the audit log.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    /// Id (UUID v7, so ids sort by time).
    pub id: Uuid,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// On what.
    pub target: Option<String>,
    /// Details.
    pub detail: serde_json::Value,
}

const U: &str = "users";

sort_keys! {
    /// What the user list can be sorted by (with a descending flag beside it).
    pub enum UserSortKey {
        /// Login name.
        Username = ("username", "u.username"),
        /// Role.
        Role = ("role", "u.role"),
        /// When the account was created.
        CreatedAt = ("created_at", "u.created_at"),
    }
}

sort_keys! {
    /// What the audit log can be sorted by (with a descending flag beside it).
    pub enum AuditSortKey {
        /// When.
        At = ("at", "at"),
        /// Who.
        Actor = ("actor", "actor"),
        /// What was done.
        Action = ("action", "action"),
    }
}

const USER_COLUMNS: &str = "u.tenant_id, u.id, u.username, u.email, u.role, u.password_hash, u.created_at, u.disabled, \
     u.locked_until";

fn user_from(r: &Row, at: usize) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        tenant: parse_col(U, "tenant_id", r.req(U, "tenant_id", at)?)?,
        id: parse_col(U, "id", r.req(U, "id", at + 1)?)?,
        username: r.req(U, "username", at + 2)?,
        email: r.text(at + 3),
        role: r.req(U, "role", at + 4)?,
        password_hash: r.req(U, "password_hash", at + 5)?,
        created_at: parse_time(U, "created_at", r.req(U, "created_at", at + 6)?)?,
        disabled: r.int(at + 7).unwrap_or(0) != 0,
        locked_until: r
            .text(at + 8)
            .map(|t| parse_time(U, "locked_until", t))
            .transpose()?,
    })
}

const S: &str = "sessions";

fn session_from(r: &Row) -> Result<SessionRecord, StoreError> {
    Ok(SessionRecord {
        id_hash: r.req(S, "id_hash", 0)?,
        user: parse_col(S, "user_id", r.req(S, "user_id", 1)?)?,
        created_at: parse_time(S, "created_at", r.req(S, "created_at", 2)?)?,
        last_seen: parse_time(S, "last_seen", r.req(S, "last_seen", 3)?)?,
    })
}

const K: &str = "api_tokens";
const TOKEN_COLUMNS: &str =
    "k.id, k.hash, k.user_id, k.scopes, k.created_at, k.expires_at, k.revoked_at";

fn token_from(r: &Row) -> Result<ApiTokenRecord, StoreError> {
    let scopes = r.req(K, "scopes", 3)?;
    let time = |i: usize, c: &'static str| r.text(i).map(|s| parse_time(K, c, s)).transpose();
    Ok(ApiTokenRecord {
        id: r.req(K, "id", 0)?,
        hash: r.req(K, "hash", 1)?,
        user: parse_col(K, "user_id", r.req(K, "user_id", 2)?)?,
        scopes: serde_json::from_str(&scopes).map_err(|_| StoreError::Corrupt {
            table: K,
            column: "scopes",
            value: scopes.clone(),
        })?,
        created_at: parse_time(K, "created_at", r.req(K, "created_at", 4)?)?,
        expires_at: time(5, "expires_at")?,
        revoked_at: time(6, "revoked_at")?,
    })
}

const A: &str = "audit_log";

fn audit_from(r: &Row) -> Result<AuditEntry, StoreError> {
    let detail = r.req(A, "detail", 5)?;
    Ok(AuditEntry {
        id: parse_col(A, "id", r.req(A, "id", 0)?)?,
        at: parse_time(A, "at", r.req(A, "at", 1)?)?,
        actor: r.req(A, "actor", 2)?,
        action: r.req(A, "action", 3)?,
        target: r.text(4),
        detail: serde_json::from_str(&detail).map_err(|_| StoreError::Corrupt {
            table: A,
            column: "detail",
            value: detail.clone(),
        })?,
    })
}

impl Store {
    /// The user with this login name, in whichever tenant: how a login
    /// finds its tenant. Names compare exactly (they are stored trimmed
    /// and lowercased by [`TenantStore::create_user`]).
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let rows = self
            .db
            .query(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1"),
                &[username.trim().to_lowercase().into()],
            )
            .await?;
        rows.first().map(|r| user_from(r, 0)).transpose()
    }

    /// The session with this id hash and its user: how a cookie finds its tenant.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn session_by_hash(
        &self,
        id_hash: &str,
    ) -> Result<Option<(SessionRecord, UserRecord)>, StoreError> {
        let rows = self
            .db
            .query(
                &format!(
                    "SELECT s.id_hash, s.user_id, s.created_at, s.last_seen, {USER_COLUMNS} \
                     FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id \
                     WHERE s.id_hash = $1"
                ),
                &[id_hash.into()],
            )
            .await?;
        rows.first()
            .map(|r| Ok((session_from(r)?, user_from(r, 4)?)))
            .transpose()
    }

    /// The API token with this id and its user: how a bearer token finds its tenant.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn token_by_id(
        &self,
        id: &str,
    ) -> Result<Option<(ApiTokenRecord, UserRecord)>, StoreError> {
        let rows = self
            .db
            .query(
                &format!(
                    "SELECT {TOKEN_COLUMNS}, {USER_COLUMNS} FROM api_tokens k \
                     JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.user_id \
                     WHERE k.id = $1"
                ),
                &[id.into()],
            )
            .await?;
        rows.first()
            .map(|r| Ok((token_from(r)?, user_from(r, 7)?)))
            .transpose()
    }
}

impl TenantStore<'_> {
    fn t(&self) -> String {
        self.tenant.to_string()
    }

    /// Creates a user of this tenant. The name is stored trimmed and lowercased.
    ///
    /// # Errors
    /// [`StoreError::Duplicate`] when the name is taken (in any tenant);
    /// database failure.
    pub async fn create_user(
        &self,
        user: NewUser,
        at: OffsetDateTime,
    ) -> Result<UserRecord, StoreError> {
        let username = user.username.trim().to_lowercase();
        let mut tx = self.store.db.begin().await?;
        let taken = tx
            .query(
                "SELECT id FROM users WHERE username = $1",
                &[username.as_str().into()],
            )
            .await?;
        if !taken.is_empty() {
            return Err(StoreError::Duplicate {
                what: "user",
                key: username,
            });
        }
        let record = UserRecord {
            tenant: self.tenant,
            id: Uuid::now_v7(),
            username,
            email: user.email.map(|e| e.trim().to_owned()),
            role: user.role,
            password_hash: user.password_hash,
            created_at: at.replace_nanosecond(0).unwrap_or(at),
            disabled: false,
            locked_until: None,
        };
        tx.execute(
            "INSERT INTO users (tenant_id, id, username, email, role, password_hash, created_at, \
             disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
            &[
                self.t().into(),
                record.id.to_string().into(),
                record.username.as_str().into(),
                record.email.as_deref().into(),
                record.role.as_str().into(),
                record.password_hash.as_str().into(),
                time_text(record.created_at).into(),
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(record)
    }

    /// The tenant's users, by name.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        Ok(self.user_page(None, None, 0).await?.0)
    }

    /// A page of the tenant's users in the given order (default: by login
    /// name), with the total.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn user_page(
        &self,
        order: Option<(UserSortKey, bool)>,
        limit: Option<u64>,
        offset: u64,
    ) -> Result<(Vec<UserRecord>, u64), StoreError> {
        let order = match order {
            None => "u.username, u.id".to_owned(),
            Some((k, false)) => format!("{} NULLS FIRST, u.id", k.column()),
            Some((k, true)) => format!("{} DESC NULLS LAST, u.id DESC", k.column()),
        };
        let limit = limit.map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = $1 \
             ORDER BY {order} LIMIT $2 OFFSET $3"
        );
        let page = [
            self.t().into(),
            limit.into(),
            i64::try_from(offset).unwrap_or(i64::MAX).into(),
        ];
        let tenant = [self.t().into()];
        let (rows, total) = tokio::try_join!(
            self.store.db.query(&sql, &page),
            self.store
                .db
                .query("SELECT COUNT(*) FROM users WHERE tenant_id = $1", &tenant)
        )?;
        let users = rows
            .iter()
            .map(|r| user_from(r, 0))
            .collect::<Result<_, _>>()?;
        let total = total.first().and_then(|r| r.int(0)).unwrap_or(0);
        Ok((users, u64::try_from(total).unwrap_or(0)))
    }

    /// The tenant's user with this id.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when this tenant has none (another tenant's
    /// user is not found either).
    pub async fn user(&self, id: Uuid) -> Result<UserRecord, StoreError> {
        let rows = self
            .store
            .db
            .query(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = $1 AND u.id = $2"),
                &[self.t().into(), id.to_string().into()],
            )
            .await?;
        match rows.first() {
            Some(r) => user_from(r, 0),
            None => Err(StoreError::NotFound {
                what: "user",
                key: id.to_string(),
            }),
        }
    }

    /// Replaces a user's password hash (a rehash at login, a new password).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for no such user of this tenant.
    pub async fn set_password_hash(&self, id: Uuid, hash: &str) -> Result<(), StoreError> {
        let n = self
            .store
            .db
            .execute(
                "UPDATE users SET password_hash = $3 WHERE tenant_id = $1 AND id = $2",
                &[self.t().into(), id.to_string().into(), hash.into()],
            )
            .await?;
        not_found_if_zero(n, "user", id)
    }

    /// Applies an administrator's change to a user in one transaction:
    /// role, disabled (which ends the user's sessions), lock lifted.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for no such user of this tenant;
    /// [`StoreError::Refused`] when the change would leave the tenant
    /// without an active admin (nothing is written).
    pub async fn update_user(
        &self,
        id: Uuid,
        change: UserChange,
    ) -> Result<UserRecord, StoreError> {
        let mut tx = self.store.db.begin().await?;
        // On PostgreSQL the tenant's admins are locked, so that two admins
        // demoting each other at once cannot both pass the check; SQLite's
        // write transaction already serialises.
        let lock = if matches!(tx, Tx::Postgres(_)) {
            " FOR UPDATE"
        } else {
            ""
        };
        let rows = tx
            .query(
                &format!(
                    "SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = $1 \
                     AND (u.id = $2 OR u.role = 'admin') ORDER BY u.id{lock}"
                ),
                &[self.t().into(), id.to_string().into()],
            )
            .await?;
        let users = rows
            .iter()
            .map(|r| user_from(r, 0))
            .collect::<Result<Vec<_>, _>>()?;
        let Some(mut user) = users.iter().find(|u| u.id == id).cloned() else {
            return Err(StoreError::NotFound {
                what: "user",
                key: id.to_string(),
            });
        };
        let active_admin = |u: &UserRecord| u.role == "admin" && !u.disabled;
        let was_admin = active_admin(&user);
        if let Some(role) = change.role {
            user.role = role;
        }
        if let Some(disabled) = change.disabled {
            user.disabled = disabled;
        }
        if change.unlock {
            user.locked_until = None;
        }
        if was_admin && !active_admin(&user) && !users.iter().any(|u| u.id != id && active_admin(u))
        {
            return Err(StoreError::Refused(format!(
                "'{}' is the tenant's last active admin; make another admin first",
                user.username
            )));
        }
        tx.execute(
            "UPDATE users SET role = $3, disabled = $4, locked_until = $5 \
             WHERE tenant_id = $1 AND id = $2",
            &[
                self.t().into(),
                id.to_string().into(),
                user.role.as_str().into(),
                i64::from(user.disabled).into(),
                user.locked_until.map(time_text).into(),
            ],
        )
        .await?;
        if user.disabled {
            tx.execute(
                "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2",
                &[self.t().into(), id.to_string().into()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    /// Locks a user's account until `until` (after too many failed
    /// logins), or lifts the lock with `None`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for no such user of this tenant.
    pub async fn set_user_locked_until(
        &self,
        id: Uuid,
        until: Option<OffsetDateTime>,
    ) -> Result<(), StoreError> {
        let n = self
            .store
            .db
            .execute(
                "UPDATE users SET locked_until = $3 WHERE tenant_id = $1 AND id = $2",
                &[
                    self.t().into(),
                    id.to_string().into(),
                    until.map(time_text).into(),
                ],
            )
            .await?;
        not_found_if_zero(n, "user", id)
    }

    /// Stores a new session of one of the tenant's users.
    ///
    /// # Errors
    /// On database failure (an unknown user breaks the foreign key).
    pub async fn insert_session(&self, s: &SessionRecord) -> Result<(), StoreError> {
        self.store
            .db
            .execute(
                "INSERT INTO sessions (tenant_id, id_hash, user_id, created_at, last_seen) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    self.t().into(),
                    s.id_hash.as_str().into(),
                    s.user.to_string().into(),
                    time_text(s.created_at).into(),
                    time_text(s.last_seen).into(),
                ],
            )
            .await?;
        Ok(())
    }

    /// Records activity on a session.
    ///
    /// # Errors
    /// On database failure.
    pub async fn touch_session(&self, id_hash: &str, at: OffsetDateTime) -> Result<(), StoreError> {
        self.store
            .db
            .execute(
                "UPDATE sessions SET last_seen = $3 WHERE tenant_id = $1 AND id_hash = $2",
                &[self.t().into(), id_hash.into(), time_text(at).into()],
            )
            .await?;
        Ok(())
    }

    /// Ends a session. Returns whether there was one.
    ///
    /// # Errors
    /// On database failure.
    pub async fn delete_session(&self, id_hash: &str) -> Result<bool, StoreError> {
        let n = self
            .store
            .db
            .execute(
                "DELETE FROM sessions WHERE tenant_id = $1 AND id_hash = $2",
                &[self.t().into(), id_hash.into()],
            )
            .await?;
        Ok(n > 0)
    }

    /// Stores a new API token of one of the tenant's users.
    ///
    /// # Errors
    /// On database failure.
    pub async fn insert_token(&self, k: &ApiTokenRecord) -> Result<(), StoreError> {
        let scopes =
            serde_json::to_string(&k.scopes).map_err(|e| StoreError::Database(e.to_string()))?;
        self.store
            .db
            .execute(
                "INSERT INTO api_tokens (tenant_id, id, hash, user_id, scopes, created_at, \
                 expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    self.t().into(),
                    k.id.as_str().into(),
                    k.hash.as_str().into(),
                    k.user.to_string().into(),
                    scopes.into(),
                    time_text(k.created_at).into(),
                    k.expires_at.map(time_text).into(),
                    k.revoked_at.map(time_text).into(),
                ],
            )
            .await?;
        Ok(())
    }

    /// The tenant's API tokens (of one user, or all), newest first.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn tokens(&self, user: Option<Uuid>) -> Result<Vec<ApiTokenRecord>, StoreError> {
        let mut sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens k WHERE k.tenant_id = $1");
        let mut params = vec![self.t().into()];
        if let Some(u) = user {
            sql.push_str(" AND k.user_id = $2");
            params.push(u.to_string().into());
        }
        sql.push_str(" ORDER BY k.created_at DESC, k.id");
        let rows = self.store.db.query(&sql, &params).await?;
        rows.iter().map(token_from).collect()
    }

    /// The tenant's API token with this id.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when this tenant has none.
    pub async fn token(&self, id: &str) -> Result<ApiTokenRecord, StoreError> {
        let rows = self
            .store
            .db
            .query(
                &format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens k WHERE k.tenant_id = $1 AND k.id = $2"
                ),
                &[self.t().into(), id.into()],
            )
            .await?;
        match rows.first() {
            Some(r) => token_from(r),
            None => Err(StoreError::NotFound {
                what: "token",
                key: id.to_owned(),
            }),
        }
    }

    /// Revokes a token of this tenant (a second revocation keeps the first time).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when this tenant has no such token.
    pub async fn revoke_token(
        &self,
        id: &str,
        at: OffsetDateTime,
    ) -> Result<ApiTokenRecord, StoreError> {
        self.store
            .db
            .execute(
                "UPDATE api_tokens SET revoked_at = $3 \
                 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
                &[self.t().into(), id.into(), time_text(at).into()],
            )
            .await?;
        self.token(id).await
    }

    /// Appends an entry to the tenant's audit log, stamped now.
    ///
    /// # Errors
    /// On database failure.
    pub async fn append_audit(&self, e: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        let at = now_text();
        let entry = AuditEntry {
            id: Uuid::now_v7(),
            at: parse_time(A, "at", at.clone())?,
            actor: e.actor,
            action: e.action,
            target: e.target,
            detail: e.detail,
        };
        self.store
            .db
            .execute(
                "INSERT INTO audit_log (tenant_id, id, at, actor, action, target, detail) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    self.t().into(),
                    entry.id.to_string().into(),
                    at.into(),
                    entry.actor.as_str().into(),
                    entry.action.as_str().into(),
                    entry.target.as_deref().into(),
                    entry.detail.to_string().into(),
                ],
            )
            .await?;
        Ok(entry)
    }

    /// A page of the tenant's audit log, newest first, and the number of entries.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn audit(
        &self,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<AuditEntry>, u64), StoreError> {
        self.audit_page(None, limit, offset).await
    }

    /// A page of the audit log in the given order (default: newest first),
    /// with the total.
    ///
    /// # Errors
    /// On database failure or corrupt rows.
    pub async fn audit_page(
        &self,
        order: Option<(AuditSortKey, bool)>,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<AuditEntry>, u64), StoreError> {
        let order = match order {
            None => "at DESC, id DESC".to_owned(),
            Some((k, false)) => format!("{} NULLS FIRST, id", k.column()),
            Some((k, true)) => format!("{} DESC NULLS LAST, id DESC", k.column()),
        };
        let total = self
            .store
            .db
            .query(
                "SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1",
                &[self.t().into()],
            )
            .await?
            .first()
            .and_then(|r| r.int(0))
            .unwrap_or(0);
        let rows = self
            .store
            .db
            .query(
                &format!(
                    "SELECT id, at, actor, action, target, detail FROM audit_log \
                     WHERE tenant_id = $1 ORDER BY {order} LIMIT $2 OFFSET $3"
                ),
                &[
                    self.t().into(),
                    i64::try_from(limit).unwrap_or(i64::MAX).into(),
                    i64::try_from(offset).unwrap_or(i64::MAX).into(),
                ],
            )
            .await?;
        let entries = rows.iter().map(audit_from).collect::<Result<_, _>>()?;
        Ok((entries, u64::try_from(total).unwrap_or(0)))
    }
}

fn not_found_if_zero(n: u64, what: &'static str, id: Uuid) -> Result<(), StoreError> {
    if n == 0 {
        Err(StoreError::NotFound {
            what,
            key: id.to_string(),
        })
    } else {
        Ok(())
    }
}
