//! Schema migrations, embedded in the binary and applied in order, each in
//! its own transaction. Hand-written rather than `sqlx::migrate!` because the
//! `Any` driver runs the same files on both backends and we want no build-time
//! database or macro crates.

use sqlx::{AnyPool, Executor};

use crate::StoreError;

/// `(version, name, SQL)`, in order. Never edit a released migration: add one.
const MIGRATIONS: &[(i64, &str, &str)] = &[(1, "inventory", include_str!("../migrations/0001_inventory.sql"))];

/// Splits a migration into statements (our migrations have no `;` inside literals).
fn statements(sql: &str) -> impl Iterator<Item = String> + '_ {
    sql.split(';').map(|s| {
        s.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n")
    }).filter(|s| !s.trim().is_empty())
}

/// Applies the migrations the database does not have yet.
pub(crate) async fn run(pool: &AnyPool) -> Result<(), StoreError> {
    pool.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .await?;
    for &(version, name, sql) in MIGRATIONS {
        let applied: Option<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(version)
            .fetch_optional(pool)
            .await?;
        if applied.is_some() {
            continue;
        }
        let fail = |e: sqlx::Error| StoreError::Migration { version, name, message: e.to_string() };
        let mut tx = pool.begin().await.map_err(fail)?;
        for stmt in statements(sql) {
            tx.execute(sqlx::AssertSqlSafe(stmt)).await.map_err(fail)?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(version)
            .bind(name)
            .bind(crate::rows::now_text())
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        tracing::info!(version, name, "applied migration");
    }
    Ok(())
}
