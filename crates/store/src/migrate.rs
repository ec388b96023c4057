//! Schema migrations, embedded in the binary and applied in order, each in
//! its own transaction. Hand-written: the same files run on both engines,
//! and we want no build-time database.

use crate::StoreError;
use crate::db::Db;

/// `(version, name, SQL)`, in order. Never edit a released migration: add one.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "inventory",
        include_str!("../migrations/0001_inventory.sql"),
    ),
    (
        2,
        "list_order",
        include_str!("../migrations/0002_list_order.sql"),
    ),
    (
        3,
        "advisories",
        include_str!("../migrations/0003_advisories.sql"),
    ),
    (4, "feeds", include_str!("../migrations/0004_feeds.sql")),
    (
        5,
        "exploitation",
        include_str!("../migrations/0005_exploitation.sql"),
    ),
    (
        6,
        "conversations",
        include_str!("../migrations/0006_conversations.sql"),
    ),
    (
        7,
        "remediation",
        include_str!("../migrations/0007_remediation.sql"),
    ),
    (
        8,
        "accounts",
        include_str!("../migrations/0008_accounts.sql"),
    ),
    (
        9,
        "segmentation",
        include_str!("../migrations/0009_segmentation.sql"),
    ),
    (
        10,
        "sensor_batches",
        include_str!("../migrations/0010_sensor_batches.sql"),
    ),
    (
        11,
        "segmentation_review",
        include_str!("../migrations/0011_segmentation_review.sql"),
    ),
    (
        12,
        "list_indexes",
        include_str!("../migrations/0012_list_indexes.sql"),
    ),
    (
        13,
        "account_admin",
        include_str!("../migrations/0013_account_admin.sql"),
    ),
    (
        14,
        "risk_history",
        include_str!("../migrations/0014_risk_history.sql"),
    ),
];

/// Statements one engine writes its own way (trigger bodies), run whole
/// after the shared part of their migration.
fn engine_statements(version: i64, db: &Db) -> &'static [&'static str] {
    match (version, db) {
        (7, Db::Sqlite(_)) => &[
            "CREATE TRIGGER remediation_events_no_update BEFORE UPDATE ON remediation_events \
             BEGIN SELECT RAISE(ABORT, 'remediation_events is append-only'); END",
            "CREATE TRIGGER remediation_events_no_delete BEFORE DELETE ON remediation_events \
             BEGIN SELECT RAISE(ABORT, 'remediation_events is append-only'); END",
        ],
        (7, Db::Postgres(_)) => &[
            "CREATE FUNCTION medvigil_append_only() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
            "CREATE TRIGGER remediation_events_append_only BEFORE UPDATE OR DELETE \
             ON remediation_events FOR EACH ROW EXECUTE FUNCTION medvigil_append_only()",
        ],
        (8, Db::Sqlite(_)) => &[
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
        ],
        // medvigil_append_only() was created by migration 7.
        (8, Db::Postgres(_)) => &[
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE \
             ON audit_log FOR EACH ROW EXECUTE FUNCTION medvigil_append_only()",
        ],
        (12, Db::Sqlite(_)) => {
            &["CREATE INDEX devices_by_category ON devices (tenant_id, category, asset_tag, id)"]
        }
        (12, Db::Postgres(_)) => &[
            "CREATE INDEX devices_by_category ON devices \
             (tenant_id, category, asset_tag NULLS FIRST, id)",
            "DROP INDEX devices_list_order",
            "CREATE INDEX devices_list_order ON devices (tenant_id, asset_tag NULLS FIRST, id)",
        ],
        _ => &[],
    }
}

/// Splits a migration into statements: comment lines go first (they may
/// contain `;`), then the text splits at `;` (our migrations have no `;`
/// inside string literals).
fn statements(sql: &str) -> Vec<String> {
    let code: Vec<&str> = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    code.join("\n")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Applies the migrations the database does not have yet.
pub(crate) async fn run(db: &Db) -> Result<(), StoreError> {
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        &[],
    )
    .await?;
    for &(version, name, sql) in MIGRATIONS {
        let applied = db
            .query(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[version.into()],
            )
            .await?;
        if !applied.is_empty() {
            continue;
        }
        let fail = |e: StoreError| StoreError::Migration {
            version,
            name,
            message: e.to_string(),
        };
        let mut tx = db.begin().await.map_err(fail)?;
        for stmt in statements(sql) {
            tx.execute(&stmt, &[]).await.map_err(fail)?;
        }
        for stmt in engine_statements(version, db) {
            tx.execute(stmt, &[]).await.map_err(fail)?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            &[version.into(), name.into(), crate::rows::now_text().into()],
        )
        .await
        .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        tracing::info!(version, name, "applied migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn semicolons_in_comments_do_not_split() {
        let s = super::statements("-- a; b\nCREATE TABLE t (x INT);\n-- c;\nDROP TABLE t;\n");
        assert_eq!(s, ["CREATE TABLE t (x INT)", "DROP TABLE t"]);
    }
}
