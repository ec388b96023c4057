//! Imports that run in the background (a CMMS export, a feed
//! synchronisation): started by a request that answers at once with the
//! job, followed by polling its state (the API) or a page that refreshes
//! itself (the UI, which has no JavaScript).
//!
//! Jobs live in memory, per tenant, the last [`KEPT`] of each: what an
//! import did is also in the store (its provenance, the feed's last report)
//! and in the audit log, so a restart loses only the progress display.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use medvigil_auth::Action;
use medvigil_model::TenantId;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// Jobs kept per tenant; the oldest finished ones go first.
pub(crate) const KEPT: usize = 50;

/// What a job does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A CMMS export imported into the inventory.
    InventoryCsv,
    /// A CSAF feed synchronised and its documents imported.
    FeedSync,
}

impl JobKind {
    /// The permission a caller needs to start or see such a job.
    pub fn action(self) -> Action {
        match self {
            Self::InventoryCsv => Action::WriteInventory,
            Self::FeedSync => Action::ManageFeeds,
        }
    }
}

/// Where a job is.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum JobState {
    /// Still working: `done` of `total` (rows written, documents fetched;
    /// `total` is 0 while unknown).
    Running {
        /// Units done.
        done: u64,
        /// Units in all.
        total: u64,
    },
    /// Finished: what it did.
    Done {
        /// The job's report (its shape depends on the kind).
        result: serde_json::Value,
    },
    /// Failed: nothing of it was written.
    Failed {
        /// Why.
        error: String,
    },
}

/// A job as shown.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct JobView {
    /// Id.
    pub id: String,
    /// What it does.
    pub kind: JobKind,
    /// What it works on (a file name, a feed).
    pub subject: String,
    /// Who started it.
    pub actor: String,
    /// When (RFC 3339).
    pub started_at: String,
    /// Where it is.
    #[serde(flatten)]
    pub state: JobState,
}

/// One job.
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) id: Uuid,
    pub(crate) kind: JobKind,
    subject: String,
    actor: String,
    started_at: OffsetDateTime,
    state: Mutex<JobState>,
}

impl Job {
    fn lock(&self) -> MutexGuard<'_, JobState> {
        // A panic while holding the lock leaves a state that is still whole.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records progress.
    pub(crate) fn progress(&self, done: u64, total: u64) {
        *self.lock() = JobState::Running { done, total };
    }

    /// Records the end.
    pub(crate) fn finish(&self, outcome: Result<serde_json::Value, String>) {
        *self.lock() = match outcome {
            Ok(result) => JobState::Done { result },
            Err(error) => JobState::Failed { error },
        };
    }

    pub(crate) fn is_running(&self) -> bool {
        matches!(*self.lock(), JobState::Running { .. })
    }

    pub(crate) fn view(&self) -> JobView {
        JobView {
            id: self.id.to_string(),
            kind: self.kind,
            subject: self.subject.clone(),
            actor: self.actor.clone(),
            started_at: crate::api::devices::rfc3339(self.started_at),
            state: self.lock().clone(),
        }
    }
}

/// Every tenant's jobs.
#[derive(Debug, Default)]
pub(crate) struct Jobs {
    by_tenant: Mutex<HashMap<TenantId, VecDeque<Arc<Job>>>>,
}

impl Jobs {
    fn lock(&self) -> MutexGuard<'_, HashMap<TenantId, VecDeque<Arc<Job>>>> {
        self.by_tenant
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A new running job of `tenant`.
    pub(crate) fn start(
        &self,
        tenant: TenantId,
        kind: JobKind,
        subject: String,
        actor: String,
    ) -> Arc<Job> {
        let job = Arc::new(Job {
            id: Uuid::now_v7(),
            kind,
            subject,
            actor,
            started_at: OffsetDateTime::now_utc(),
            state: Mutex::new(JobState::Running { done: 0, total: 0 }),
        });
        let mut all = self.lock();
        let list = all.entry(tenant).or_default();
        list.push_front(Arc::clone(&job));
        while list.len() > KEPT {
            // The oldest finished job goes; running ones stay.
            match list.iter().rposition(|j| !j.is_running()) {
                Some(i) => {
                    list.remove(i);
                }
                None => break,
            }
        }
        job
    }

    /// `tenant`'s jobs, newest first.
    pub(crate) fn of(&self, tenant: TenantId) -> Vec<Arc<Job>> {
        self.lock()
            .get(&tenant)
            .map(|l| l.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// `tenant`'s job `id` (another tenant's is not found).
    pub(crate) fn get(&self, tenant: TenantId, id: &str) -> Option<Arc<Job>> {
        let id: Uuid = id.parse().ok()?;
        self.lock()
            .get(&tenant)
            .and_then(|l| l.iter().find(|j| j.id == id).cloned())
    }
}
