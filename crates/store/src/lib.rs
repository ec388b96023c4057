//! medvigil's store: the only crate that knows SQL.
//!
//! One schema and one set of queries for SQLite (the default: a file, zero
//! set-up, WAL; through rusqlite) and PostgreSQL (a shared server; through
//! sqlx), behind the small internal `db` module. Every table is keyed by tenant, and every data access goes through
//! a [`TenantStore`], so no caller can read or write across tenants.
//!
//! Invariant: an import runs in one transaction. A failed, rejected or
//! interrupted import (even a killed process) leaves the store as it was.

#[macro_use]
mod sort;

mod accounts;
mod advisories;
mod conversations;
mod counts;
mod db;
mod devices;
mod discovery;
mod error;
mod exploitation;
mod feeds;
mod history;
mod import;
mod migrate;
mod remediations;
mod rows;
mod segmentation;
mod store;

pub use accounts::{
    ApiTokenRecord, AuditEntry, AuditSortKey, NewAuditEntry, NewUser, SessionRecord, UserChange,
    UserRecord, UserSortKey,
};
pub use advisories::{
    AdvisoryChange, AdvisoryDetail, AdvisoryMeta, AdvisoryQuery, AdvisorySortKey, AdvisorySummary,
    FindingQuery, FindingRow, FindingSortKey, NewAdvisory, NewFinding,
};
pub use devices::{DeviceOrder, DeviceQuery, DeviceSortKey, InventorySummary};
pub use discovery::{DiscoveryImport, DiscoveryOutcome, SensorBatch};
pub use error::StoreError;
pub use exploitation::{EpssRow, KevRow};
pub use feeds::StoredFeed;
pub use history::RiskDay;
pub use import::{ImportReport, ImportRequest};
pub use remediations::{RemediationQuery, RemediationRow, RemediationSortKey};
pub use segmentation::StoredPolicy;
pub use store::{Backend, Store, TenantStore};
