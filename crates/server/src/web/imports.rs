//! Imports in the browser: a CMMS export uploaded, a feed synchronised,
//! each followed on a page that refreshes itself until the job ends (no
//! JavaScript).

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, html};
use medvigil_auth::Action;

use super::layout::page;
use super::{PageResult, WebCaller};
use crate::AppState;
use crate::api::imports::{
    CsvImportParams, start_csv_import, start_feed_sync, visible_job, visible_jobs,
};
use crate::error::ApiError;
use crate::jobs::{JobKind, JobState, JobView};

fn kind_name(k: JobKind) -> &'static str {
    match k {
        JobKind::InventoryCsv => "CMMS export",
        JobKind::FeedSync => "feed",
    }
}

fn state_text(s: &JobState) -> String {
    match s {
        JobState::Running { done, total } if *total > 0 => format!("running: {done} of {total}"),
        JobState::Running { .. } => "running".into(),
        JobState::Done { .. } => "done".into(),
        JobState::Failed { .. } => "failed".into(),
    }
}

fn job_rows(jobs: &[JobView]) -> Markup {
    html! {
        table.list {
            thead { tr { th { "started" } th { "what" } th { "by" } th { "state" } } }
            tbody {
                @for j in jobs {
                    tr {
                        td { a href=(format!("/imports/{}", j.id)) { (j.started_at) } }
                        td { (kind_name(j.kind)) ": " (j.subject) }
                        td { (j.actor) }
                        td { (state_text(&j.state)) }
                    }
                }
            }
        }
    }
}

/// `GET /imports`.
pub(crate) async fn list(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
) -> PageResult {
    let jobs: Vec<JobView> = visible_jobs(&state, &caller)?
        .iter()
        .map(|j| j.view())
        .collect();
    let feeds = if caller.may(Action::ManageFeeds) {
        caller.require(&state, Action::ManageFeeds)?.feeds().await?
    } else {
        Vec::new()
    };
    let csrf = caller.csrf(&state).unwrap_or_default();
    let body = html! {
        h1 { "Imports" }
        section.card {
            h2 { "CMMS export" }
            p { "A CSV export of the maintenance system (UTF-8, UTF-16 or Windows-1252; columns recognised by their headers). "
                "Rows are reconciled with the inventory by asset tag, serial number or MAC address and written in one transaction; "
                "rejected cells are listed with their line and column." }
            form.stack method="post" action="/imports/inventory" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                label { "File" input type="file" name="file" accept=".csv,text/csv" required; }
                label { "Site of rows that name none" input name="site"; }
                label { input type="checkbox" name="dry_run" value="true"; " Dry run: show what would change, write nothing" }
                label { input type="checkbox" name="strict" value="true"; " Strict: write nothing if any row is rejected" }
                button type="submit" { "Import" }
            }
        }
        @if caller.may(Action::ManageFeeds) {
            section.card {
                h2 { "Advisory feeds" }
                @if feeds.is_empty() {
                    p { "No feed yet: add one with " code { "medvigil feeds add NAME SOURCE" } "." }
                }
                table.list {
                    thead { tr { th { "feed" } th { "last synchronised" } th {} } }
                    tbody {
                        @for f in &feeds {
                            tr {
                                td { (f.name) }
                                td { (f.last_sync.clone().unwrap_or_else(|| "never".into())) }
                                td {
                                    form.inline method="post" action=(format!("/imports/feeds/{}/sync", f.name)) {
                                        input type="hidden" name="csrf" value=(csrf);
                                        button type="submit" { "Synchronise " (f.name) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Recent imports" }
        @if jobs.is_empty() { p { "None since the server started." } } @else { (job_rows(&jobs)) }
    };
    Ok(page(&state, &caller, "Imports", "/imports", body))
}

/// `POST /imports/inventory` (multipart: `file`, `site`, `dry_run`, `strict`).
pub(crate) async fn upload(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    mut form: Multipart,
) -> PageResult {
    let mut bytes = None;
    let mut params = CsvImportParams::default();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request(format!("upload: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                params.file_name = field.file_name().map(str::to_owned);
                bytes = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| ApiError::bad_request(format!("upload: {e}")))?
                        .to_vec(),
                );
            }
            "site" | "dry_run" | "strict" => {
                let value = field
                    .text()
                    .await
                    .map_err(|e| ApiError::bad_request(format!("upload: {e}")))?;
                match name.as_str() {
                    "site" => params.site = Some(value),
                    "dry_run" => params.dry_run = Some(value == "true"),
                    _ => params.strict = Some(value == "true"),
                }
            }
            _ => {}
        }
    }
    let bytes = bytes.ok_or_else(|| ApiError::unprocessable("no file"))?;
    let job = start_csv_import(&state, &caller, bytes, params)?;
    Ok(Redirect::to(&format!("/imports/{}", job.id)).into_response())
}

/// `POST /imports/feeds/{name}/sync`.
pub(crate) async fn sync(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(name): Path<String>,
) -> PageResult {
    let job = start_feed_sync(&state, &caller, &name).await?;
    Ok(Redirect::to(&format!("/imports/{}", job.id)).into_response())
}

/// `GET /imports/{id}`: refreshes itself every second while running.
pub(crate) async fn show(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(id): Path<String>,
) -> PageResult {
    let j = visible_job(&state, &caller, &id)?.view();
    let running = matches!(j.state, JobState::Running { .. });
    let body = html! {
        @if running { meta http-equiv="refresh" content="1"; }
        h1 { (kind_name(j.kind)) ": " (j.subject) }
        p { "Started " (j.started_at) " by " (j.actor) "." }
        @match &j.state {
            JobState::Running { done, total } => {
                @if *total > 0 {
                    label { "Progress " progress max=(total) value=(done) { (done) " of " (total) } " " (done) " of " (total) }
                } @else {
                    p { "Starting…" }
                }
                p { "This page refreshes itself until the import ends." }
            }
            JobState::Failed { error } => {
                p.error role="alert" { "Failed; nothing was written: " (error) }
            }
            JobState::Done { result } => {
                (result_view(j.kind, result))
            }
        }
        p { a href="/imports" { "All imports" } }
    };
    Ok(page(&state, &caller, "Import", "/imports", body))
}

fn number(v: &serde_json::Value, key: &str) -> u64 {
    v.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0)
}

fn result_view(kind: JobKind, r: &serde_json::Value) -> Markup {
    match kind {
        JobKind::InventoryCsv => {
            let errors = r
                .get("errors")
                .and_then(serde_json::Value::as_array)
                .cloned()
                .unwrap_or_default();
            let dry = r.get("dry_run").and_then(serde_json::Value::as_bool) == Some(true);
            html! {
                p.done role="status" {
                    @if dry { "Dry run (nothing written): " } @else { "Imported: " }
                    (number(r, "created")) " created, " (number(r, "updated")) " updated, "
                    (number(r, "unchanged")) " unchanged, " (number(r, "rejected_rows")) " rows rejected."
                    @if let Some(n) = r.get("findings").and_then(serde_json::Value::as_u64) {
                        " " (n) " findings after matching the advisories."
                    }
                }
                @if !errors.is_empty() {
                    h2 { "Rejected" }
                    table.list {
                        thead { tr { th { "line" } th { "column" } th { "value" } th { "why" } } }
                        tbody {
                            @for e in &errors {
                                tr {
                                    td { (number(e, "line")) }
                                    td { (e.get("column").and_then(serde_json::Value::as_str).unwrap_or_default()) }
                                    td { code { (e.get("value").and_then(serde_json::Value::as_str).unwrap_or_default()) } }
                                    td { (e.get("reason").and_then(serde_json::Value::as_str).unwrap_or_default()) }
                                }
                            }
                        }
                    }
                }
            }
        }
        JobKind::FeedSync => {
            let imported = r.get("imported").cloned().unwrap_or_default();
            html! {
                p.done role="status" {
                    "Synchronised: " (number(r, "new")) " new, " (number(r, "changed")) " changed, "
                    (number(r, "unchanged")) " unchanged documents; "
                    (r.get("failed").and_then(serde_json::Value::as_array).map_or(0, Vec::len)) " failed. "
                    "Imported " (number(&imported, "new")) " new and " (number(&imported, "updated"))
                    " revised advisories; " (number(&imported, "findings")) " findings."
                }
            }
        }
    }
}
