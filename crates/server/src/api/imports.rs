//! Imports through the API: a CMMS export (the request body is the file)
//! and a feed synchronisation. Both answer `202 Accepted` at once with the
//! job, which `GET /imports/{id}` follows to its end.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use medvigil_auth::Action;
use medvigil_intel::inventory::{CsvImport, import_csv};
use medvigil_inventory::ImportOptions;
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiQuery;
use super::remediations::audit;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::jobs::{Job, JobKind, JobView};

/// Largest CMMS export accepted (a 100,000-device export is about 30 MB).
pub(crate) const UPLOAD_LIMIT: usize = 128 << 20;

/// Rejected rows kept in a job's result (all are counted).
const ERRORS_SHOWN: usize = 1000;

/// How to import a CMMS export.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvImportParams {
    /// The file's name, recorded with the import (default `upload.csv`).
    pub file_name: Option<String>,
    /// The site of rows that name none.
    pub site: Option<String>,
    /// Write nothing; report what would change.
    pub dry_run: Option<bool>,
    /// Write nothing when any row is rejected.
    pub strict: Option<bool>,
}

/// Starts importing `bytes` as a CMMS export of the caller's tenant.
///
/// # Errors
/// 403 without write_inventory; 422 for an empty body.
pub(crate) fn start_csv_import(
    state: &AppState,
    caller: &Caller,
    bytes: Vec<u8>,
    params: CsvImportParams,
) -> Result<Arc<Job>, ApiError> {
    caller.require(state, Action::WriteInventory)?;
    if bytes.is_empty() {
        return Err(ApiError::unprocessable("the file is empty"));
    }
    let file_name = params
        .file_name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "upload.csv".into());
    let job = state.jobs().start(
        caller.tenant,
        JobKind::InventoryCsv,
        file_name.clone(),
        caller.username.clone(),
    );
    let (state, caller, running) = (state.clone(), caller.clone(), Arc::clone(&job));
    tokio::spawn(async move {
        let store = state.store().tenant(caller.tenant);
        let progress = Arc::clone(&running);
        let outcome = import_csv(
            &store,
            CsvImport {
                bytes,
                file_name: file_name.clone(),
                options: ImportOptions::default(),
                site: params.site.filter(|s| !s.trim().is_empty()),
                actor: caller.username.clone(),
                dry_run: params.dry_run.unwrap_or(false),
                strict: params.strict.unwrap_or(false),
            },
            &mut move |done, total| progress.progress(done, total),
        )
        .await;
        let result = match outcome {
            Ok(o) => {
                let r = &o.report;
                let result = serde_json::json!({
                    "file": file_name, "dry_run": r.dry_run,
                    "created": r.created, "updated": r.updated, "unchanged": r.unchanged,
                    "rejected_rows": o.rejected_rows,
                    "errors": o.rejected.iter().take(ERRORS_SHOWN).collect::<Vec<_>>(),
                    "sites_created": r.sites_created,
                    "findings": o.findings,
                });
                let mut summary = result.clone();
                if let Some(m) = summary.as_object_mut() {
                    m.remove("errors");
                }
                match audit(&store, &caller, "inventory_imported", None, summary).await {
                    Ok(()) => Ok(result),
                    Err(e) => Err(e.message),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        running.finish(result);
    });
    Ok(job)
}

/// Starts synchronising the caller's tenant's feed `name`.
///
/// # Errors
/// 403 without manage_feeds; 404 for no such feed.
pub(crate) async fn start_feed_sync(
    state: &AppState,
    caller: &Caller,
    name: &str,
) -> Result<Arc<Job>, ApiError> {
    let store = caller.require(state, Action::ManageFeeds)?;
    let feed = store
        .feeds()
        .await?
        .into_iter()
        .find(|f| f.name == name)
        .ok_or_else(|| ApiError::not_found("feed"))?;
    let job = state.jobs().start(
        caller.tenant,
        JobKind::FeedSync,
        feed.name.clone(),
        caller.username.clone(),
    );
    let (state, caller, running) = (state.clone(), caller.clone(), Arc::clone(&job));
    tokio::spawn(async move {
        let store = state.store().tenant(caller.tenant);
        let progress = Arc::clone(&running);
        let outcome = medvigil_intel::feeds::sync_feed(
            &store,
            &feed,
            Box::new(move |done, total| progress.progress(done, total)),
            &mut |e| tracing::info!(feed = %feed.name, "document rejected: {e}"),
        )
        .await;
        let result = match outcome {
            Ok(s) => match audit(
                &store,
                &caller,
                "feed_synced",
                Some(feed.name.clone()),
                s.json.clone(),
            )
            .await
            {
                Ok(()) => Ok(s.json),
                Err(e) => Err(e.message),
            },
            Err(e) => Err(e.to_string()),
        };
        running.finish(result);
    });
    Ok(job)
}

fn accepted(job: &Job) -> Response {
    (
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/imports/{}", job.id))],
        Json(job.view()),
    )
        .into_response()
}

/// Imports a CMMS export (the body is the CSV file, any encoding the CLI
/// reads; columns recognised by their headers) into the caller's tenant.
#[utoipa::path(
    post, path = "/imports/inventory", tag = "inventory",
    params(CsvImportParams),
    request_body(content = String, content_type = "text/csv", description = "The CMMS export"),
    responses(
        (status = 202, description = "Started; follow the job at Location", body = JobView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without write_inventory, or CSRF token missing", body = ErrorBody),
        (status = 413, description = "Larger than 128 MiB", body = ErrorBody),
        (status = 422, description = "Empty body", body = ErrorBody),
    )
)]
pub async fn import_inventory(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<CsvImportParams>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let job = start_csv_import(&state, &caller, body.to_vec(), params)?;
    Ok(accepted(&job))
}

/// Synchronises a feed of the caller's tenant and imports its new documents.
#[utoipa::path(
    post, path = "/feeds/{name}/sync", tag = "intel",
    params(("name" = String, Path, description = "The feed's name")),
    responses(
        (status = 202, description = "Started; follow the job at Location", body = JobView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_feeds, or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such feed", body = ErrorBody),
    )
)]
pub async fn sync_feed(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let job = start_feed_sync(&state, &caller, &name).await?;
    Ok(accepted(&job))
}

/// The caller's tenant's recent imports the caller may see, newest first.
#[utoipa::path(
    get, path = "/imports", tag = "inventory",
    responses(
        (status = 200, description = "Recent jobs (the last 50 of the tenant)", body = Vec<JobView>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without write_inventory", body = ErrorBody),
    )
)]
pub async fn jobs(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<JobView>>, ApiError> {
    Ok(Json(
        visible_jobs(&state, &caller)?
            .iter()
            .map(|j| j.view())
            .collect(),
    ))
}

/// The jobs of the caller's tenant it may see.
pub(crate) fn visible_jobs(state: &AppState, caller: &Caller) -> Result<Vec<Arc<Job>>, ApiError> {
    caller.require(state, Action::WriteInventory)?;
    Ok(state
        .jobs()
        .of(caller.tenant)
        .into_iter()
        .filter(|j| caller.may(j.kind.action()))
        .collect())
}

/// One job of the caller's tenant.
///
/// # Errors
/// 403 without the job kind's permission; 404 for no such job (another
/// tenant's included).
pub(crate) fn visible_job(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Arc<Job>, ApiError> {
    caller.require(state, Action::WriteInventory)?;
    let job = state
        .jobs()
        .get(caller.tenant, id)
        .ok_or_else(|| ApiError::not_found("import"))?;
    caller.require(state, job.kind.action())?;
    Ok(job)
}

/// One import: running (with progress), done (with its report) or failed.
#[utoipa::path(
    get, path = "/imports/{id}", tag = "inventory",
    params(("id" = String, Path, description = "The job's id")),
    responses(
        (status = 200, description = "The job", body = JobView),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without the permission of this kind of job", body = ErrorBody),
        (status = 404, description = "No such job in the caller's tenant", body = ErrorBody),
    )
)]
pub async fn job(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    Ok(Json(visible_job(&state, &caller, &id)?.view()))
}
