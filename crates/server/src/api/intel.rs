//! `GET /findings`, `GET /risk`, `GET /risk/history`, `GET /advisories`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use medvigil_auth::Action;
use medvigil_intel::risk::{DeviceAssessment, assess_devices};
use medvigil_store::{
    AdvisoryQuery, AdvisorySortKey, FindingQuery, FindingRow, FindingSortKey, TenantStore,
};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;

use super::ApiQuery;
use super::devices::json_page;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::paging::{Page, Paging, parse_sort};

/// Filters of the finding list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindingFilter {
    /// Devices of this site.
    pub site: Option<String>,
    /// Of this device (id).
    pub device: Option<String>,
    /// From this advisory.
    pub advisory: Option<String>,
    /// `affected`, `not_affected`, `fixed`, `under_investigation`.
    pub status: Option<String>,
    /// Only findings in the CISA KEV catalog.
    pub kev: Option<bool>,
    /// `vulnerability`, `asset_tag`, `confidence`, `epss`, `found_at`
    /// (default: most confident first, then asset tag); `-` before it for
    /// descending. Another key is a 400.
    pub sort: Option<String>,
}

/// The page of the caller's tenant's findings `f` selects: the store
/// filters, sorts, cuts the page and counts the total.
async fn select_findings(
    store: &TenantStore<'_>,
    f: &FindingFilter,
    paging: &Paging,
) -> Result<Page<FindingRow>, ApiError> {
    let order = parse_sort(f.sort.as_deref(), FindingSortKey::from_name)?;
    let device = match f.device.as_deref().filter(|s| !s.is_empty()) {
        // Any key the device look-up takes; another tenant's is not found.
        Some(key) => Some(store.device(key).await?.id),
        None => None,
    };
    let query = FindingQuery {
        device,
        site: f.site.clone().filter(|s| !s.is_empty()),
        advisory: f.advisory.clone().filter(|s| !s.is_empty()),
        status: f.status.clone().filter(|s| !s.is_empty()),
        kev_only: f.kev == Some(true),
        order,
        limit: Some(paging.per_page()),
        offset: paging.offset(),
        ..FindingQuery::default()
    };
    let (rows, total) = tokio::try_join!(store.findings(&query), store.finding_count(&query))?;
    Ok(paging.page_of(rows, total))
}

/// Findings (device × vulnerability) with their evidence.
#[utoipa::path(
    get, path = "/findings", tag = "intel",
    params(FindingFilter, Paging),
    responses(
        (status = 200, description = "A page of findings", body = Page<serde_json::Value>),
        (status = 400, description = "Unknown sort key", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_findings", body = ErrorBody),
        (status = 404, description = "No such device in your tenant", body = ErrorBody),
    )
)]
pub async fn findings(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<FindingFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let store = caller.require(&state, Action::ReadFindings)?;
    json_page(select_findings(&store, &filter, &paging).await?)
}

/// Filters of the risk ranking.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskFilter {
    /// Devices of this site.
    pub site: Option<String>,
    /// Devices whose most urgent priority is this (`P1`…`P4`).
    pub priority: Option<String>,
    /// `priority` (default: the ranking, most urgent first), `asset_tag`,
    /// `site`; `-` before it for descending. Another key is a 400. The
    /// ranking is computed (and cached), not stored: it is sorted here.
    pub sort: Option<String>,
}

impl RiskFilter {
    /// Whether the filter keeps this device.
    pub(crate) fn keeps(&self, d: &DeviceAssessment) -> bool {
        let site = self.site.as_deref().filter(|s| !s.is_empty());
        let priority = self.priority.as_deref().filter(|s| !s.is_empty());
        site.is_none_or(|s| d.site.as_deref() == Some(s))
            && priority.is_none_or(|p| {
                d.risk
                    .priority
                    .is_some_and(|x| format!("{x:?}").eq_ignore_ascii_case(p))
            })
    }
}

/// The caller's tenant's devices ranked by patient-safety priority (every
/// site: filter with [`RiskFilter::keeps`]), cached until the store's data
/// change.
pub(crate) async fn ranked(
    state: &AppState,
    store: &TenantStore<'_>,
) -> Result<Arc<Vec<DeviceAssessment>>, ApiError> {
    let today = OffsetDateTime::now_utc().date();
    let version = state.store().data_version().await?;
    state
        .risk_cache()
        .get_or_compute(store.tenant_id(), version, today, async {
            Ok::<_, ApiError>(
                assess_devices(store, None, None, &state.config().policy, today).await?,
            )
        })
        .await
}

/// Devices ranked by their most urgent finding, with the reasons.
#[utoipa::path(
    get, path = "/risk", tag = "intel",
    params(RiskFilter, Paging),
    responses(
        (status = 200, description = "A page of assessed devices, most urgent first", body = Page<serde_json::Value>),
        (status = 400, description = "Unknown sort key", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_risk", body = ErrorBody),
    )
)]
pub async fn risk(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<RiskFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let store = caller.require(&state, Action::ReadRisk)?;
    let order = parse_sort(filter.sort.as_deref(), |k| {
        ["priority", "asset_tag", "site"]
            .into_iter()
            .find(|n| *n == k)
    })?;
    let all = ranked(&state, &store).await?;
    // The ranking's own order is the tie-break of every other.
    let mut rows: Vec<(usize, &DeviceAssessment)> = all
        .iter()
        .enumerate()
        .filter(|(_, d)| filter.keeps(d))
        .collect();
    if let Some((key, desc)) = order {
        rows.sort_by(|(i, a), (j, b)| {
            let o = match key {
                "asset_tag" => a.asset_tag.cmp(&b.asset_tag),
                "site" => a.site.cmp(&b.site),
                _ => std::cmp::Ordering::Equal,
            }
            .then(i.cmp(j));
            if desc { o.reverse() } else { o }
        });
    }
    let page = paging.slice(rows.into_iter().map(|(_, d)| d).collect());
    json_page(page)
}

/// Filter of the advisory list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdvisoryFilter {
    /// Search in id, title, publisher and vulnerability ids.
    pub q: Option<String>,
    /// `modified` (default, newest first), `id`, `title`, `publisher`,
    /// `published`; `-` before it for descending. Another key is a 400.
    pub sort: Option<String>,
}

/// Stored advisories, newest first, with the devices they affect.
#[utoipa::path(
    get, path = "/advisories", tag = "intel",
    params(AdvisoryFilter, Paging),
    responses(
        (status = 200, description = "A page of advisories", body = Page<serde_json::Value>),
        (status = 400, description = "Unknown sort key", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_advisories", body = ErrorBody),
    )
)]
pub async fn advisories(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<AdvisoryFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<serde_json::Value>>, ApiError> {
    let store = caller.require(&state, Action::ReadAdvisories)?;
    let order = parse_sort(filter.sort.as_deref(), AdvisorySortKey::from_name)?;
    let query = AdvisoryQuery {
        search: filter.q.clone().filter(|s| !s.is_empty()),
        order,
        limit: Some(paging.per_page()),
        offset: paging.offset(),
    };
    let (rows, total) =
        tokio::try_join!(store.advisory_list(&query), store.advisory_count(&query))?;
    json_page(paging.page_of(rows, total))
}

/// How far back the risk history goes.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryFilter {
    /// Days back from today, 1 to 3650 (default 90).
    pub days: Option<u32>,
}

/// One recorded day of the tenant's risk picture.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RiskDayView {
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// Devices in the inventory.
    pub devices: u64,
    /// Devices whose most urgent finding is P1.
    pub p1: u64,
    /// … P2.
    pub p2: u64,
    /// … P3.
    pub p3: u64,
    /// … P4.
    pub p4: u64,
    /// Remediations still to do.
    pub open_remediations: u64,
    /// Of those, past their deadline.
    pub overdue: u64,
}

impl From<&medvigil_store::RiskDay> for RiskDayView {
    fn from(d: &medvigil_store::RiskDay) -> Self {
        let [p1, p2, p3, p4] = d.by_priority;
        Self {
            day: d.day.to_string(),
            devices: d.devices,
            p1,
            p2,
            p3,
            p4,
            open_remediations: d.open_remediations,
            overdue: d.overdue,
        }
    }
}

/// The tenant's risk picture per day (recorded hourly by the server, and by
/// `medvigil report` and `medvigil demo`), oldest first: the trend.
#[utoipa::path(
    get, path = "/risk/history", tag = "intel",
    params(HistoryFilter),
    responses(
        (status = 200, description = "The recorded days, oldest first", body = Vec<RiskDayView>),
        (status = 400, description = "days out of range", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_risk", body = ErrorBody),
    )
)]
pub async fn risk_history(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(f): ApiQuery<HistoryFilter>,
) -> Result<Json<Vec<RiskDayView>>, ApiError> {
    let store = caller.require(&state, Action::ReadRisk)?;
    let days = f.days.unwrap_or(90);
    if !(1..=3650).contains(&days) {
        return Err(ApiError::bad_request("days: 1 to 3650"));
    }
    let since = OffsetDateTime::now_utc().date() - time::Duration::days(i64::from(days));
    let history = store.risk_history(since).await?;
    Ok(Json(history.iter().map(RiskDayView::from).collect()))
}
