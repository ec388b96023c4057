//! The remediation board: the list (filters, pages), planning, and
//! recording a step, all through forms.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use maud::html;
use medvigil_auth::Action as Permission;
use medvigil_model::{Event, Status, Team};
use serde::Deserialize;
use time::OffsetDateTime;

use super::layout::{page, pager};
use super::{PageResult, WebCaller, WebError};
use crate::AppState;
use crate::api::remediations::{PlanRequest, RemediationFilter, plan_as, record_as, select};
use crate::error::ApiError;
use crate::paging::Paging;

/// `GET /remediations`.
pub(crate) async fn board(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Query(filter): Query<RemediationFilter>,
    Query(paging): Query<Paging>,
) -> PageResult {
    let store = caller.require(&state, Permission::ReadRemediation)?;
    let result = select(&store, &filter, &paging).await?;
    let today = OffsetDateTime::now_utc().date();
    let csrf = caller.csrf(&state).unwrap_or_default();
    let write = caller.may(Permission::WriteRemediation);
    let accept = caller.may(Permission::AcceptRisk);
    let selected = |a: &Option<String>, b: &str| a.as_deref() == Some(b);
    let query = [
        ("status", filter.status.clone()),
        ("owner", filter.owner.clone()),
        ("site", filter.site.clone()),
    ];
    let body = html! {
        h1 { "Remediation" }
        form.filters method="get" action="/remediations" {
            select name="status" {
                option value="" { "every status" }
                @for s in Status::ALL { option value=(s.as_str()) selected[selected(&filter.status, s.as_str())] { (s.as_str()) } }
            }
            select name="owner" {
                option value="" { "every team" }
                @for t in Team::ALL { option value=(t.as_str()) selected[selected(&filter.owner, t.as_str())] { (t.as_str()) } }
            }
            input name="site" placeholder="site" value=[filter.site.as_deref()];
            button type="submit" { "Filter" }
        }
        @if write {
            form.inline method="post" action="/remediations" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="open_findings" value="true";
                button type="submit" { "Plan every open finding (policy deadlines)" }
            }
        }
        table.list {
            thead { tr { th { "due" } th { "device" } th { "vulnerability" } th { "action" } th { "team" } th { "status" } @if write { th { "record a step" } } } }
            tbody {
                @for r in &result.items {
                    @let x = &r.remediation;
                    tr class=[x.is_overdue(today).then_some("overdue")] {
                        td { (x.due.map(|d| d.to_string()).unwrap_or_default()) @if x.is_overdue(today) { " " span.kev { "overdue" } } }
                        td { a href=(format!("/devices/{}", x.device)) { (r.asset_tag.clone().unwrap_or_else(|| r.device_name.clone())) } }
                        td { (x.vulnerability.clone().unwrap_or_else(|| "whole device".into())) }
                        td { (x.action.as_str()) @if let Some(v) = &x.target_version { " → " (v) } }
                        td { (x.owner.as_str()) }
                        td { (x.status.as_str()) @if let Some(u) = x.accepted_until { " until " (u.to_string()) } }
                        @if write {
                            td {
                                form.inline method="post" action=(format!("/remediations/{}/events", x.id)) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    select name="kind" {
                                        option value="status" { "status →" }
                                        option value="comment" { "comment" }
                                        option value="evidence" { "evidence" }
                                        option value="owner" { "hand to team" }
                                        option value="due" { "due date" }
                                        option value="not-applicable" { "not applicable" }
                                        @if accept { option value="risk-accepted" { "accept risk until" } }
                                    }
                                    select name="to" {
                                        option value="" { "—" }
                                        @for s in [Status::InProgress, Status::Done, Status::Open] { option value=(s.as_str()) { (s.as_str()) } }
                                        @for t in Team::ALL { option value=(t.as_str()) { "team " (t.as_str()) } }
                                    }
                                    input name="text" placeholder="text / justification";
                                    input name="date" type="date";
                                    button type="submit" { "Record" }
                                }
                            }
                        }
                    }
                }
            }
        }
        (pager("/remediations", &query, result.page, result.per_page, result.total))
    };
    Ok(page(&state, &caller, "Remediation", "/remediations", body))
}

/// The planning form.
#[derive(Debug, Deserialize)]
pub(crate) struct PlanForm {
    device: Option<String>,
    vulnerability: Option<String>,
    action: Option<String>,
    due: Option<String>,
    open_findings: Option<String>,
}

/// `POST /remediations`.
pub(crate) async fn plan(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Form(form): Form<PlanForm>,
) -> PageResult {
    let device = form.device.clone();
    plan_as(
        &state,
        &caller,
        PlanRequest {
            device: form.device,
            vulnerability: form.vulnerability,
            action: form.action,
            due: form.due,
            open_findings: form.open_findings.as_deref() == Some("true"),
            ..PlanRequest::default()
        },
    )
    .await?;
    let back = match device {
        Some(d) if !d.is_empty() => format!("/devices/{d}"),
        _ => "/remediations".into(),
    };
    Ok(Redirect::to(&back).into_response())
}

/// The step form: `kind` and the field it needs.
#[derive(Debug, Deserialize)]
pub(crate) struct StepForm {
    kind: String,
    to: Option<String>,
    text: Option<String>,
    date: Option<String>,
}

fn event_of(f: StepForm) -> Result<Event, ApiError> {
    let text = f.text.unwrap_or_default();
    let to = f.to.unwrap_or_default();
    let date = f.date.unwrap_or_default();
    let v = match f.kind.as_str() {
        "status" => serde_json::json!({ "kind": "status", "to": to }),
        "owner" => serde_json::json!({ "kind": "owner", "to": to }),
        "due" => serde_json::json!({ "kind": "due", "to": date }),
        "comment" | "evidence" => serde_json::json!({ "kind": f.kind, "text": text }),
        "not-applicable" => serde_json::json!({ "kind": "not-applicable", "justification": text }),
        "risk-accepted" => {
            serde_json::json!({ "kind": "risk-accepted", "justification": text, "until": date })
        }
        other => return Err(ApiError::bad_request(format!("unknown step '{other}'"))),
    };
    serde_json::from_value(v).map_err(|e| ApiError::bad_request(format!("step: {e}")))
}

/// `POST /remediations/{id}/events`.
pub(crate) async fn record(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> PageResult {
    // Permission first, so a role that may not write learns nothing more.
    caller.require(&state, Permission::WriteRemediation)?;
    let event = event_of(form).map_err(WebError)?;
    record_as(&state, &caller, &id, event).await?;
    Ok(Redirect::to("/remediations").into_response())
}
