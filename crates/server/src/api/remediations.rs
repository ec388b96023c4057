//! `GET /remediations`, `POST /remediations` (plan),
//! `POST /remediations/{id}/events` (record a step).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use medvigil_auth::Action as Permission;
use medvigil_model::{Action, Event, Status, Team};
use medvigil_store::{
    NewAuditEntry, RemediationQuery, RemediationRow, RemediationSortKey, TenantStore,
};
use serde::Deserialize;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use super::devices::{json_page, to_json};
use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::paging::{Page, Paging, parse_sort};

/// Filters of the remediation list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RemediationFilter {
    /// Devices of this site.
    pub site: Option<String>,
    /// `open`, `in-progress`, `done`, `accepted`, `not-applicable`.
    pub status: Option<String>,
    /// Owner team (`biomedical`, `network`, `it`, `vendor`).
    pub owner: Option<String>,
    /// Of this device (id).
    pub device: Option<String>,
    /// For this vulnerability.
    pub vulnerability: Option<String>,
    /// Only those past their due date and still to do.
    pub overdue: Option<bool>,
    /// `due` (default: soonest first, undated last), `status`, `asset_tag`,
    /// `vulnerability`, `owner`, `created_at`, `updated_at`; `-` before it
    /// for descending (ties by id). Another key is a 400.
    pub sort: Option<String>,
}

/// An optional query value parsed into its type; empty is absent.
pub(crate) fn parse_opt<T: std::str::FromStr>(
    what: &str,
    v: Option<&str>,
) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    v.filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.parse()
                .map_err(|e| ApiError::bad_request(format!("{what}: {e}")))
        })
        .transpose()
}

/// The page of the caller's tenant's remediations `f` selects (soonest due
/// first by default): the store filters, sorts, cuts the page and counts.
pub(crate) async fn select(
    store: &TenantStore<'_>,
    f: &RemediationFilter,
    paging: &Paging,
) -> Result<Page<RemediationRow>, ApiError> {
    let order = parse_sort(f.sort.as_deref(), RemediationSortKey::from_name)?;
    let device = match f.device.as_deref().filter(|s| !s.is_empty()) {
        Some(key) => Some(store.device(key).await?.id),
        None => None,
    };
    let query = RemediationQuery {
        id: None,
        device,
        site: f.site.clone().filter(|s| !s.is_empty()),
        status: parse_opt::<Status>("status", f.status.as_deref())?,
        owner: parse_opt::<Team>("owner", f.owner.as_deref())?,
        vulnerability: f.vulnerability.clone().filter(|s| !s.is_empty()),
        overdue_on: (f.overdue == Some(true)).then(|| OffsetDateTime::now_utc().date()),
        order,
        limit: Some(paging.per_page()),
        offset: paging.offset(),
    };
    let (rows, total) =
        tokio::try_join!(store.remediations(&query), store.remediation_count(&query))?;
    Ok(paging.page_of(rows, total))
}

/// Remediations, soonest due first.
#[utoipa::path(
    get, path = "/remediations", tag = "remediation",
    params(RemediationFilter, Paging),
    responses(
        (status = 200, description = "A page of remediations", body = Page<serde_json::Value>),
        (status = 400, description = "Bad filter", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_remediation", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<RemediationFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let store = caller.require(&state, Permission::ReadRemediation)?;
    json_page(select(&store, &filter, &paging).await?)
}

/// A remediation to plan: for one device (and one of its vulnerabilities,
/// or all of them), or with `open_findings` for every affected finding
/// that has none.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The device (id, asset tag, serial, MAC or host name).
    pub device: Option<String>,
    /// The vulnerability; absent for the whole device.
    pub vulnerability: Option<String>,
    /// `update`, `workaround`, `segment`, `replace`, … (default `update`).
    pub action: Option<String>,
    /// The version to update to.
    pub target_version: Option<String>,
    /// The team (default: network for segmentation, biomedical otherwise).
    pub owner: Option<String>,
    /// Due date (YYYY-MM-DD).
    pub due: Option<String>,
    /// Plan every affected finding without a remediation (the policy's deadlines).
    #[serde(default)]
    pub open_findings: bool,
    /// With `open_findings`: devices of this site only.
    pub site: Option<String>,
}

fn date(s: &str) -> Result<Date, ApiError> {
    Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| ApiError::bad_request(format!("due: '{s}' is not a date (YYYY-MM-DD)")))
}

/// Plans what `req` asks; returns the remediations created.
pub(crate) async fn plan_as(
    state: &AppState,
    caller: &Caller,
    req: PlanRequest,
) -> Result<Vec<serde_json::Value>, ApiError> {
    let store = caller.require(state, Permission::WriteRemediation)?;
    let now = OffsetDateTime::now_utc();
    if req.open_findings {
        let summary = medvigil_intel::remediation::plan(
            &store,
            req.site.clone().filter(|s| !s.is_empty()),
            &state.config().policy,
            now.date(),
            &caller.username,
        )
        .await?;
        audit(
            &store,
            caller,
            "remediations_planned",
            None,
            serde_json::json!({
                "site": req.site, "updates": summary.updates,
                "segmentations": summary.segmentations,
            }),
        )
        .await?;
        return summary.created.iter().map(to_json).collect();
    }
    let Some(key) = req.device.as_deref().filter(|s| !s.is_empty()) else {
        return Err(ApiError::bad_request("name a device, or set open_findings"));
    };
    let device = store.device(key).await?;
    let action: Action = parse_opt("action", req.action.as_deref())?.unwrap_or(Action::Update);
    let owner: Team =
        parse_opt("owner", req.owner.as_deref())?.unwrap_or(if action == Action::Segment {
            Team::Network
        } else {
            Team::Biomedical
        });
    let vulnerability = req.vulnerability.as_deref().filter(|s| !s.is_empty());
    let due = match req.due.as_deref().filter(|s| !s.is_empty()) {
        Some(d) => date(d)?,
        None => default_due(state, &store, device.id, vulnerability, now.date()).await?,
    };
    let created = store
        .create_remediation(
            device.id,
            vulnerability,
            Event::Created {
                action,
                owner,
                due: Some(due),
                target_version: req.target_version.clone().filter(|s| !s.is_empty()),
            },
            &caller.username,
            now,
        )
        .await?;
    audit(
        &store,
        caller,
        "remediation_planned",
        Some(created.id.to_string()),
        serde_json::json!({
            "device": device.id.to_string(), "vulnerability": vulnerability,
            "action": action.as_str(), "owner": owner.as_str(),
        }),
    )
    .await?;
    Ok(vec![to_json(&created)?])
}

/// The policy's deadline for the finding's priority (the device's most
/// urgent one for a whole-device remediation; P4's when nothing is assessed).
/// Always a date: a trail whose `created` event has no due date does not
/// read back (the model's date codec refuses `null`).
async fn default_due(
    state: &AppState,
    store: &TenantStore<'_>,
    device: medvigil_model::DeviceId,
    vulnerability: Option<&str>,
    today: Date,
) -> Result<Date, ApiError> {
    let policy = &state.config().policy;
    let assessed =
        medvigil_intel::risk::assess_devices(store, None, Some(device), policy, today).await?;
    let days = assessed
        .first()
        .and_then(|d| {
            d.assessments
                .iter()
                .find(|a| vulnerability.is_none_or(|v| a.vuln_id == v))
        })
        .map_or_else(
            || policy.deadline_days(medvigil_risk::Priority::P4),
            |a| a.deadline_days,
        );
    Ok(medvigil_intel::remediation::due_in(today, days))
}

/// Plans remediations.
#[utoipa::path(
    post, path = "/remediations", tag = "remediation",
    request_body = PlanRequest,
    responses(
        (status = 201, description = "The remediations created", body = Vec<serde_json::Value>),
        (status = 400, description = "Bad request", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without write_remediation, or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such device in your tenant", body = ErrorBody),
    )
)]
pub async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<PlanRequest>,
) -> Result<(StatusCode, Json<Vec<serde_json::Value>>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(plan_as(&state, &caller, req).await?),
    ))
}

/// Records `event` on remediation `id` of the caller's tenant.
pub(crate) async fn record_as(
    state: &AppState,
    caller: &Caller,
    id: &str,
    event: Event,
) -> Result<serde_json::Value, ApiError> {
    let store = caller.require(state, Permission::WriteRemediation)?;
    if matches!(event, Event::RiskAccepted { .. }) && !caller.may(Permission::AcceptRisk) {
        return Err(ApiError::forbidden());
    }
    if matches!(event, Event::Created { .. } | Event::Expired { .. }) {
        return Err(ApiError::unprocessable(
            "created and expired events are recorded by the server",
        ));
    }
    let (row, _) = store.remediation(id).await?;
    let now = OffsetDateTime::now_utc();
    let detail = to_json(&event)?;
    let updated = store
        .record_remediation(
            row.remediation.id,
            vec![event],
            &caller.username,
            now,
            now.date(),
        )
        .await?;
    audit(
        &store,
        caller,
        "remediation_step",
        Some(updated.id.to_string()),
        detail,
    )
    .await?;
    to_json(&updated)
}

/// Records a step of a remediation: the body is one event, e.g.
/// `{"kind": "status", "to": "in-progress"}`, `{"kind": "comment", "text": "…"}`,
/// `{"kind": "evidence", "text": "…"}`, `{"kind": "owner", "to": "network"}`,
/// `{"kind": "due", "to": "2027-01-31"}`, `{"kind": "not-applicable",
/// "justification": "…"}`, `{"kind": "risk-accepted", "justification": "…",
/// "until": "2027-06-30"}` (accepting needs accept_risk).
#[utoipa::path(
    post, path = "/remediations/{id}/events", tag = "remediation",
    params(("id" = String, Path, description = "Remediation id (or a unique part of at least 6 characters)")),
    request_body(content = serde_json::Value, description = "One event"),
    responses(
        (status = 200, description = "The remediation after the step", body = serde_json::Value),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without write_remediation (accept_risk to accept), or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such remediation in your tenant", body = ErrorBody),
        (status = 422, description = "The workflow refuses the step", body = ErrorBody),
    )
)]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(event): ApiJson<Event>,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(record_as(&state, &caller, &id, event).await?))
}

pub(crate) async fn audit(
    store: &TenantStore<'_>,
    caller: &Caller,
    action: &str,
    target: Option<String>,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    store
        .append_audit(NewAuditEntry {
            actor: caller.username.clone(),
            action: action.to_owned(),
            target,
            detail,
        })
        .await?;
    Ok(())
}
