//! The two database engines behind one small interface: SQL text with
//! `$1…$n` parameters, typed parameters in, rows of plain values out.
//!
//! SQLite goes through `rusqlite` (the C library called directly, prepared
//! statements cached): sqlx's SQLite driver hands every row and every bound
//! value to a worker thread, which measured at ~70 µs per device row and
//! could not reach the 100,000 rows/s an inventory import needs. PostgreSQL
//! goes through sqlx's native (not `Any`) driver.
//!
//! SQLite has one writer connection behind an async mutex (SQLite
//! serialises writers anyway; transactions hold it from `BEGIN IMMEDIATE` to
//! `COMMIT`) and a pool of read-only connections for the reads outside
//! transactions: WAL lets them read a committed snapshot while the writer
//! writes. The SQLite calls themselves run off the async worker threads
//! (see [`blocking`]).

use std::borrow::Cow;
use std::sync::Arc;

use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Column, Row as _, TypeInfo, ValueRef};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Read-only SQLite connections waiting for a query.
///
/// deadpool's unmanaged pool: a fixed set of connections handed out with an
/// async wait, so a request waiting for a reader holds no thread.
/// `r2d2_sqlite` and `deadpool-sqlite` would also create the connections,
/// but both pin an older rusqlite, and two `libsqlite3-sys` cannot link
/// into one binary; opening the connections ourselves is a few lines.
type Readers = deadpool::unmanaged::Pool<rusqlite::Connection>;

use crate::StoreError;

/// A bound parameter. Typed even when null, because PostgreSQL checks the
/// type of every parameter against its column.
/// Text borrows where it can: an import binds millions of values.
#[derive(Clone, Debug)]
pub(crate) enum Param<'a> {
    Int(Option<i64>),
    Text(Option<Cow<'a, str>>),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(s: &'a str) -> Self {
        Self::Text(Some(Cow::Borrowed(s)))
    }
}
impl From<String> for Param<'_> {
    fn from(s: String) -> Self {
        Self::Text(Some(Cow::Owned(s)))
    }
}
impl From<Option<String>> for Param<'_> {
    fn from(s: Option<String>) -> Self {
        Self::Text(s.map(Cow::Owned))
    }
}
impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(s: Option<&'a str>) -> Self {
        Self::Text(s.map(Cow::Borrowed))
    }
}
impl From<i64> for Param<'_> {
    fn from(n: i64) -> Self {
        Self::Int(Some(n))
    }
}
impl From<Option<i64>> for Param<'_> {
    fn from(n: Option<i64>) -> Self {
        Self::Int(n)
    }
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Self::Int(n) => n.to_sql(),
            Self::Text(Some(s)) => Ok(rusqlite::types::ToSqlOutput::Borrowed(
                rusqlite::types::ValueRef::Text(s.as_bytes()),
            )),
            Self::Text(None) => Ok(rusqlite::types::ToSqlOutput::Owned(
                rusqlite::types::Value::Null,
            )),
        }
    }
}

impl Param<'_> {
    fn as_int(&self) -> Option<i64> {
        match self {
            Self::Int(i) => *i,
            Self::Text(t) => t.as_deref().and_then(|t| t.parse().ok()),
        }
    }

    fn as_text(&self) -> Option<String> {
        match self {
            Self::Text(t) => t.as_deref().map(str::to_owned),
            Self::Int(i) => i.map(|i| i.to_string()),
        }
    }
}

/// One column of a bulk insert into PostgreSQL, sent as an array.
enum PgArray {
    Int(Vec<Option<i64>>),
    Text(Vec<Option<String>>),
}

impl PgArray {
    fn sql_type(&self) -> &'static str {
        match self {
            Self::Int(_) => "int8[]",
            Self::Text(_) => "text[]",
        }
    }
}

/// One value of a result row.
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    Null,
    Int(i64),
    Text(String),
}

/// A result row.
#[derive(Clone, Debug)]
pub(crate) struct Row(Vec<Cell>);

impl Row {
    /// Column `i` as text (`None` for NULL; integers are written out).
    pub(crate) fn text(&self, i: usize) -> Option<String> {
        match self.0.get(i)? {
            Cell::Null => None,
            Cell::Int(n) => Some(n.to_string()),
            Cell::Text(s) => Some(s.clone()),
        }
    }

    /// Column `i` as an integer (`None` for NULL or text).
    pub(crate) fn int(&self, i: usize) -> Option<i64> {
        match self.0.get(i)? {
            Cell::Int(n) => Some(*n),
            Cell::Text(s) => s.parse().ok(),
            Cell::Null => None,
        }
    }

    /// Column `i` as text that must be there.
    pub(crate) fn req(
        &self,
        table: &'static str,
        column: &'static str,
        i: usize,
    ) -> Result<String, StoreError> {
        self.text(i).ok_or(StoreError::Corrupt {
            table,
            column,
            value: "NULL".into(),
        })
    }
}

/// `$1…$n` → `?1…?n`: SQLite numbers `$NAME` parameters by first appearance,
/// `?NNN` by the number, which is what the shared SQL means.
fn sqlite_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

fn sqlite_query(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Vec<Row>, StoreError> {
    let mut stmt = conn.prepare_cached(&sqlite_sql(sql))?;
    let width = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(width);
        for i in 0..width {
            cells.push(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Cell::Null,
                rusqlite::types::ValueRef::Integer(n) => Cell::Int(n),
                rusqlite::types::ValueRef::Real(f) => Cell::Text(f.to_string()),
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    Cell::Text(String::from_utf8_lossy(t).into_owned())
                }
            });
        }
        out.push(Row(cells));
    }
    Ok(out)
}

fn sqlite_execute(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<u64, StoreError> {
    let mut stmt = conn.prepare_cached(&sqlite_sql(sql))?;
    Ok(stmt.execute(rusqlite::params_from_iter(params))? as u64)
}

fn pg_bind<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    params: &[Param<'_>],
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    for p in params {
        q = match p {
            Param::Int(n) => q.bind(*n),
            Param::Text(s) => q.bind(s.as_ref().map(|s| s.to_string())),
        };
    }
    q
}

fn pg_row(r: &PgRow) -> Result<Row, StoreError> {
    let mut cells = Vec::with_capacity(r.columns().len());
    for (i, col) in r.columns().iter().enumerate() {
        if r.try_get_raw(i)?.is_null() {
            cells.push(Cell::Null);
            continue;
        }
        cells.push(match col.type_info().name() {
            "INT8" => Cell::Int(r.try_get::<i64, _>(i)?),
            "INT4" => Cell::Int(i64::from(r.try_get::<i32, _>(i)?)),
            "INT2" => Cell::Int(i64::from(r.try_get::<i16, _>(i)?)),
            "BOOL" => Cell::Int(i64::from(r.try_get::<bool, _>(i)?)),
            _ => Cell::Text(r.try_get::<String, _>(i)?),
        });
    }
    Ok(Row(cells))
}

/// An open database.
#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(Arc<SqliteDb>),
    Postgres(PgPool),
}

/// A SQLite file: one writer connection, a pool of readers.
pub(crate) struct SqliteDb {
    writer: Arc<Mutex<rusqlite::Connection>>,
    readers: Readers,
    /// A connection that only asks `PRAGMA data_version`, whose answer
    /// changes when any other connection (of any process) commits.
    watcher: std::sync::Mutex<rusqlite::Connection>,
}

impl std::fmt::Debug for SqliteDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteDb")
            .field("readers", &self.readers.status().max_size)
            .finish_non_exhaustive()
    }
}

/// Runs a blocking SQLite call without stalling the async runtime.
///
/// On a multi-threaded runtime (the server, the CLI) `block_in_place` hands
/// this worker's other tasks to another thread while the call runs. Unlike
/// `spawn_blocking` it lets the call borrow its connection guard and its
/// parameters: an import binds millions of borrowed values, which
/// `spawn_blocking` would need copied to owned ones. A current-thread
/// runtime (most tests) cannot hand its tasks over: the call runs in place.
fn blocking<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// Whether a statement only reads, so a read-only connection may run it.
fn reads_only(sql: &str) -> bool {
    let head = sql.trim_start();
    head.get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case("SELECT"))
}

/// How many read-only connections a SQLite store opens: twice the CPUs (a
/// reader waits on the disk as well as computes), at least 4, at most 16.
fn reader_count() -> usize {
    std::thread::available_parallelism()
        .map_or(4, |n| n.get() * 2)
        .clamp(4, 16)
}

/// A transaction. Dropped without [`Tx::commit`], it rolls back.
pub(crate) enum Tx {
    Sqlite(SqliteTx),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// An open SQLite transaction on the store's connection.
pub(crate) struct SqliteTx {
    conn: OwnedMutexGuard<rusqlite::Connection>,
    open: bool,
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if self.open
            && let Err(e) = self.conn.execute_batch("ROLLBACK")
        {
            tracing::error!(error = %e, "rollback failed");
        }
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sqlite { .. } => "Tx(sqlite)",
            Self::Postgres(_) => "Tx(postgres)",
        })
    }
}

impl Db {
    /// Opens a SQLite file (created if missing) with medvigil's settings.
    pub(crate) fn open_sqlite(path: &str) -> Result<Self, StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        // WAL: readers never block the writer. NORMAL sync is durable across
        // process crashes (not across power loss of the last commits), the
        // trade-off SQLite recommends with WAL. Up to 256 MiB of page cache
        // (allocated only as used) lets a 100,000-device import run without
        // spilling mid-transaction; statement journals stay in memory.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
             PRAGMA busy_timeout = 30000; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
        )?;
        conn.set_prepared_statement_cache_capacity(64);
        // The readers open after the writer made the file a WAL database.
        // Each has its own page cache (64 MiB at most) and maps the file,
        // so they share the operating system's copy of hot pages.
        let open_reader = || {
            let r = rusqlite::Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | rusqlite::OpenFlags::SQLITE_OPEN_URI,
            )?;
            r.execute_batch(
                "PRAGMA busy_timeout = 30000; PRAGMA cache_size = -65536; \
                 PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY;",
            )?;
            r.set_prepared_statement_cache_capacity(64);
            Ok::<_, StoreError>(r)
        };
        let readers = (0..reader_count())
            .map(|_| open_reader())
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Self::Sqlite(Arc::new(SqliteDb {
            writer: Arc::new(Mutex::new(conn)),
            readers: Readers::from(readers),
            watcher: std::sync::Mutex::new(open_reader()?),
        })))
    }

    /// Connects to PostgreSQL.
    pub(crate) async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(std::time::Duration::from_secs(30))
            .connect(url)
            .await?;
        Ok(Self::Postgres(pool))
    }

    pub(crate) async fn query(
        &self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<Row>, StoreError> {
        match self {
            Self::Sqlite(db) if reads_only(sql) => {
                let conn = db
                    .readers
                    .get()
                    .await
                    .map_err(|e| StoreError::Database(e.to_string()))?;
                blocking(|| sqlite_query(&conn, sql, params))
            }
            Self::Sqlite(db) => {
                let conn = db.writer.lock().await;
                blocking(|| sqlite_query(&conn, sql, params))
            }
            Self::Postgres(p) => {
                let rows = pg_bind(sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())), params)
                    .fetch_all(p)
                    .await?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    pub(crate) async fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        match self {
            Self::Sqlite(db) => {
                let conn = db.writer.lock().await;
                blocking(|| sqlite_execute(&conn, sql, params))
            }
            Self::Postgres(p) => Ok(pg_bind(
                sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())),
                params,
            )
            .execute(p)
            .await?
            .rows_affected()),
        }
    }

    /// Starts a transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a transaction that reads then writes never
    /// finds its snapshot outdated by another process.
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        match self {
            Self::Sqlite(db) => {
                let conn = Arc::clone(&db.writer).lock_owned().await;
                blocking(|| conn.execute_batch("BEGIN IMMEDIATE"))?;
                Ok(Tx::Sqlite(SqliteTx { conn, open: true }))
            }
            Self::Postgres(p) => Ok(Tx::Postgres(p.begin().await?)),
        }
    }

    /// A token that changes whenever a write may have been committed to the
    /// database since it was last read, by this process or another.
    ///
    /// SQLite: `PRAGMA data_version` of a connection that never writes.
    /// PostgreSQL: the current snapshot (`xmin:xmax:in-progress`), which
    /// changes when a writing transaction starts or ends anywhere in the
    /// cluster: equal snapshots mean the same committed data.
    pub(crate) async fn data_version(&self) -> Result<String, StoreError> {
        match self {
            // In place: the pragma reads the WAL index in shared memory,
            // no page, and takes microseconds.
            Self::Sqlite(db) => {
                let conn = db
                    .watcher
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let v: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                Ok(v.to_string())
            }
            Self::Postgres(_) => self
                .query("SELECT pg_current_snapshot()::text", &[])
                .await?
                .first()
                .and_then(|r| r.text(0))
                .ok_or(StoreError::Database("no snapshot".into())),
        }
    }

    pub(crate) async fn close(&self) {
        if let Self::Postgres(p) = self {
            p.close().await;
        }
    }
}

impl Tx {
    pub(crate) async fn query(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<Row>, StoreError> {
        match self {
            Self::Sqlite(t) => blocking(|| sqlite_query(&t.conn, sql, params)),
            Self::Postgres(tx) => {
                let rows = pg_bind(sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())), params)
                    .fetch_all(&mut **tx)
                    .await?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    pub(crate) async fn execute(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<u64, StoreError> {
        match self {
            Self::Sqlite(t) => blocking(|| sqlite_execute(&t.conn, sql, params)),
            Self::Postgres(tx) => Ok(pg_bind(
                sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())),
                params,
            )
            .execute(&mut **tx)
            .await?
            .rows_affected()),
        }
    }

    /// `INSERT INTO {table} ({columns}) VALUES … {suffix}` for every row of
    /// `rows` (each `columns.len()` values long). SQLite runs one prepared
    /// single-row statement per row, its fastest bulk path; PostgreSQL gets
    /// multi-row statements, which save round trips.
    pub(crate) async fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        suffix: &str,
        rows: &[Param<'_>],
    ) -> Result<(), StoreError> {
        let n = columns.len();
        let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let tuple = |first: usize| {
            let ps: Vec<String> = (first..first + n).map(|i| format!("${i}")).collect();
            format!("({})", ps.join(", "))
        };
        match self {
            Self::Sqlite(t) => blocking(|| {
                let mut stmt = t
                    .conn
                    .prepare_cached(&sqlite_sql(&format!("{head}{} {suffix}", tuple(1))))?;
                for row in rows.chunks(n) {
                    stmt.execute(rusqlite::params_from_iter(row))?;
                }
                Ok(())
            }),
            Self::Postgres(tx) => {
                // One array per column, expanded by the server with UNNEST:
                // 28 parameters per statement instead of 28 per row, so
                // PostgreSQL parses and plans once per 10,000 rows.
                for chunk in rows.chunks(n * 10_000) {
                    let mut casts = Vec::with_capacity(n);
                    let mut arrays = Vec::with_capacity(n);
                    for c in 0..n {
                        let column = chunk.iter().skip(c).step_by(n);
                        // A column's type is its parameters' type (typed even when NULL).
                        let array = if matches!(chunk.get(c), Some(Param::Int(_))) {
                            PgArray::Int(column.map(Param::as_int).collect())
                        } else {
                            PgArray::Text(column.map(Param::as_text).collect())
                        };
                        casts.push(format!("${}::{}", c + 1, array.sql_type()));
                        arrays.push(array);
                    }
                    let sql = format!(
                        "INSERT INTO {table} ({}) SELECT * FROM UNNEST({}) {suffix}",
                        columns.join(", "),
                        casts.join(", ")
                    );
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for array in arrays {
                        q = match array {
                            PgArray::Int(v) => q.bind(v),
                            PgArray::Text(v) => q.bind(v),
                        };
                    }
                    q.execute(&mut **tx).await?;
                }
                Ok(())
            }
        }
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(mut t) => {
                blocking(|| t.conn.execute_batch("COMMIT"))?;
                t.open = false;
                Ok(())
            }
            Self::Postgres(tx) => Ok(tx.commit().await?),
        }
    }

    pub(crate) async fn rollback(self) -> Result<(), StoreError> {
        match self {
            // Dropping it rolls back.
            Self::Sqlite(t) => {
                drop(t);
                Ok(())
            }
            Self::Postgres(tx) => Ok(tx.rollback().await?),
        }
    }
}
