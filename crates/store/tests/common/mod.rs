//! Backends for the shared store suite: every test body runs on SQLite and
//! on PostgreSQL (`MEDVIGIL_TEST_POSTGRES`, an admin URL; each test gets a
//! fresh database). Without that variable the PostgreSQL half is skipped,
//! except under CI, where it must run.

use medvigil_store::Store;

/// A store under test and what it takes to clean up after it.
pub struct Harness {
    pub store: Store,
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> Harness {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let url = dir.path().join("store.db").display().to_string();
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("open sqlite: {e}"));
    Harness {
        store,
        url,
        cleanup: None,
        _dir: Some(dir),
    }
}

pub async fn postgres() -> Option<Harness> {
    let Ok(admin) = std::env::var("MEDVIGIL_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").map_or(true, |v| v.is_empty() || v == "false"),
            "CI must test PostgreSQL: set MEDVIGIL_TEST_POSTGRES"
        );
        eprintln!("skipped: MEDVIGIL_TEST_POSTGRES not set");
        return None;
    };
    let name = format!("mvtest_{}", uuid::Uuid::now_v7().simple());
    exec(&admin, &format!("CREATE DATABASE {name}")).await;
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("MEDVIGIL_TEST_POSTGRES must end in /DATABASE"),
    };
    let store = Store::open(&url)
        .await
        .unwrap_or_else(|e| panic!("open postgres: {e}"));
    Some(Harness {
        store,
        url,
        cleanup: Some((admin, name)),
        _dir: None,
    })
}

impl Harness {
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin, name)) = self.cleanup {
            exec(&admin, &format!("DROP DATABASE IF EXISTS {name}")).await;
        }
    }
}

/// Runs one statement on `url` outside the store (set-up, fault injection, checks).
pub async fn exec(url: &str, sql: &str) {
    if url.contains("://") {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("connect {url}: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
    } else {
        let conn = rusqlite::Connection::open(url).unwrap_or_else(|e| panic!("open {url}: {e}"));
        conn.execute_batch(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// One scalar of `sql` on `url`, as text.
pub async fn scalar(url: &str, sql: &str) -> String {
    if url.contains("://") {
        use sqlx::{Connection, Row};
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("connect {url}: {e}"));
        let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let v = row
            .try_get::<String, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|n| n.to_string()))
            .unwrap_or_default();
        conn.close().await.ok();
        v
    } else {
        let conn = rusqlite::Connection::open(url).unwrap_or_else(|e| panic!("open {url}: {e}"));
        conn.query_row(sql, [], |r| {
            r.get::<_, String>(0)
                .or_else(|_| r.get::<_, i64>(0).map(|n| n.to_string()))
        })
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// Declares each listed async test body `fn(&Harness)` once per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let h = $crate::common::sqlite().await;
                super::$name(&h).await;
                h.finish().await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(h) = $crate::common::postgres().await else { return };
                super::$name(&h).await;
                h.finish().await;
            })*
        }
    };
}
