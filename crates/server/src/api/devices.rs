//! `GET /devices`, `GET /devices/{id}`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use medvigil_auth::Action;
use medvigil_model::{Device, DeviceField};
use medvigil_store::{
    DeviceOrder, DeviceQuery, DeviceSortKey, FindingQuery, RemediationQuery, TenantStore,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use super::ApiQuery;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::paging::{Page, Paging, sort_key};

/// Filters and order of the device list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeviceFilter {
    /// Site name (exact).
    pub site: Option<String>,
    /// Category (`infusion-pump`, `imaging`, …).
    pub category: Option<String>,
    /// EU MDR class (`I`, `IIa`, `IIb`, `III`).
    pub class: Option<String>,
    /// Search in vendor, model, serial, asset tag, host name, IP, MAC, ward.
    pub q: Option<String>,
    /// `asset_tag` (default), `vendor`, `model`, `site`, `category`, `class`,
    /// `last_seen`, `end_of_support`; `-` before it for descending (ties in
    /// device id order). Another key is a 400.
    pub sort: Option<String>,
}

/// A device in a list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeviceSummary {
    /// Id.
    pub id: String,
    /// Asset tag.
    pub asset_tag: Option<String>,
    /// Manufacturer.
    pub vendor: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// EU MDR class.
    pub eu_class: Option<String>,
    /// Clinical criticality.
    pub criticality: Option<String>,
    /// Site.
    pub site: Option<String>,
    /// Ward.
    pub ward: Option<String>,
    /// Software version.
    pub software_version: Option<String>,
    /// IP address.
    pub ip: Option<String>,
    /// Host name.
    pub hostname: Option<String>,
    /// End of support (YYYY-MM-DD).
    pub end_of_support: Option<String>,
    /// Last recorded or seen (RFC 3339).
    pub last_seen: String,
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl DeviceSummary {
    /// The summary of a stored device.
    pub fn of(d: &Device) -> Self {
        let f = &d.fields;
        let text = |field| f.text(field);
        Self {
            id: d.id.to_string(),
            asset_tag: f.asset_tag.clone(),
            vendor: f.vendor.clone(),
            model: f.model.clone(),
            category: f.category.map(|c| c.to_string()),
            eu_class: f.eu_class.map(|c| c.to_string()),
            criticality: text(DeviceField::Criticality),
            site: f.location.site.clone(),
            ward: f.location.ward.clone(),
            software_version: f.software_version.clone(),
            ip: f.ip.map(|i| i.to_string()),
            hostname: text(DeviceField::Hostname),
            end_of_support: text(DeviceField::EndOfSupport),
            last_seen: rfc3339(d.last_seen),
        }
    }
}

/// The page of the tenant's devices that `filter` selects, in its order:
/// the store filters, sorts, cuts the page and counts the total.
pub(crate) async fn select(
    store: &TenantStore<'_>,
    filter: &DeviceFilter,
    paging: &Paging,
) -> Result<Page<DeviceSummary>, ApiError> {
    let order = match sort_key(filter.sort.as_deref()) {
        None => DeviceOrder::default(),
        Some((field, descending)) => DeviceOrder {
            key: DeviceSortKey::from_name(field)
                .ok_or_else(|| ApiError::bad_request(format!("cannot sort by '{field}'")))?,
            descending,
        },
    };
    let query = DeviceQuery {
        site: filter.site.clone().filter(|s| !s.is_empty()),
        category: super::remediations::parse_opt("category", filter.category.as_deref())?,
        eu_class: super::remediations::parse_opt("class", filter.class.as_deref())?,
        search: filter.q.clone().filter(|s| !s.trim().is_empty()),
        order,
        limit: Some(paging.per_page()),
        offset: paging.offset(),
        ..DeviceQuery::default()
    };
    let (devices, total) = tokio::try_join!(store.devices(&query), store.device_count(&query))?;
    Ok(paging.page_of(devices.iter().map(DeviceSummary::of).collect(), total))
}

/// Devices of the caller's tenant.
#[utoipa::path(
    get, path = "/devices", tag = "inventory",
    params(DeviceFilter, Paging),
    responses(
        (status = 200, description = "A page of devices", body = Page<DeviceSummary>),
        (status = 400, description = "Bad filter", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_inventory", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<DeviceFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<DeviceSummary>>, ApiError> {
    let store = caller.require(&state, Action::ReadInventory)?;
    Ok(Json(select(&store, &filter, &paging).await?))
}

/// Where a field's value came from.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FieldValue {
    /// Field name (`vendor`, `software_version`, …).
    pub field: String,
    /// Its value.
    pub value: String,
    /// `cmms-import`, `discovery`, `manual`…
    pub source: Option<String>,
    /// Who set it.
    pub actor: Option<String>,
    /// What it came from (file, capture).
    pub detail: Option<String>,
    /// When (RFC 3339).
    pub at: Option<String>,
}

/// A remediation with its trail.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RemediationWithTrail {
    /// The remediation.
    #[schema(value_type = Object)]
    pub remediation: serde_json::Value,
    /// Every step, in order.
    #[schema(value_type = Vec<Object>)]
    pub trail: Vec<serde_json::Value>,
}

/// A device with everything known about it. Sections the caller's role
/// may not read are absent.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeviceDetail {
    /// Summary.
    pub device: DeviceSummary,
    /// Every field with its provenance.
    pub fields: Vec<FieldValue>,
    /// First recorded or seen (RFC 3339).
    pub first_seen: String,
    /// Findings with their evidence (needs read_findings).
    #[schema(value_type = Option<Vec<Object>>)]
    pub findings: Option<Vec<serde_json::Value>>,
    /// Risk assessments with reasons (needs read_risk).
    #[schema(value_type = Option<Object>)]
    pub risk: Option<serde_json::Value>,
    /// Remediations with their trails (needs read_remediation).
    pub remediations: Option<Vec<RemediationWithTrail>>,
}

/// The device `key` of the caller's tenant (id, asset tag, serial, MAC or
/// host name) with everything the caller may see.
pub(crate) async fn detail(
    state: &AppState,
    caller: &Caller,
    key: &str,
) -> Result<DeviceDetail, ApiError> {
    let store = caller.require(state, Action::ReadInventory)?;
    let d = store.device(key).await?;
    let ids: Vec<_> = d.sources.values().copied().collect();
    let provenance: HashMap<_, _> = store
        .provenance(&ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let fields = DeviceField::ALL
        .iter()
        .filter_map(|&field| {
            let value = d.fields.text(field)?;
            let p = d.sources.get(&field).and_then(|id| provenance.get(id));
            Some(FieldValue {
                field: field.as_str().to_owned(),
                value,
                source: p.map(|p| p.kind.as_str().to_owned()),
                actor: p.map(|p| p.actor.clone()),
                detail: p.map(|p| p.detail.clone()),
                at: p.map(|p| rfc3339(p.at)),
            })
        })
        .collect();
    let findings = if caller.may(Action::ReadFindings) {
        let rows = store
            .findings(&FindingQuery {
                device: Some(d.id),
                ..FindingQuery::default()
            })
            .await?;
        Some(rows.iter().map(to_json).collect::<Result<_, _>>()?)
    } else {
        None
    };
    let risk = if caller.may(Action::ReadRisk) {
        let today = OffsetDateTime::now_utc().date();
        let assessed = medvigil_intel::risk::assess_devices(
            &store,
            None,
            Some(d.id),
            &state.config().policy,
            today,
        )
        .await?;
        Some(match assessed.first() {
            Some(a) => to_json(a)?,
            None => serde_json::json!({ "risk": null, "assessments": [] }),
        })
    } else {
        None
    };
    let remediations = if caller.may(Action::ReadRemediation) {
        let rows = store
            .remediations(&RemediationQuery {
                device: Some(d.id),
                ..RemediationQuery::default()
            })
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (row, trail) = store.remediation(&r.remediation.id.to_string()).await?;
            out.push(RemediationWithTrail {
                remediation: to_json(&row)?,
                trail: trail.iter().map(to_json).collect::<Result<_, _>>()?,
            });
        }
        Some(out)
    } else {
        None
    };
    Ok(DeviceDetail {
        device: DeviceSummary::of(&d),
        fields,
        first_seen: rfc3339(d.first_seen),
        findings,
        risk,
        remediations,
    })
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::internal(&e))
}

/// A page of rows as the JSON the list routes answer.
pub(crate) fn json_page<T: Serialize>(
    page: crate::paging::Page<T>,
) -> Result<Json<crate::paging::Page<serde_json::Value>>, ApiError> {
    Ok(Json(crate::paging::Page {
        items: page.items.iter().map(to_json).collect::<Result<_, _>>()?,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}

/// One device of the caller's tenant; another tenant's id is not found.
#[utoipa::path(
    get, path = "/devices/{id}", tag = "inventory",
    params(("id" = String, Path, description = "Device id, asset tag, serial, MAC or host name")),
    responses(
        (status = 200, description = "The device", body = DeviceDetail),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_inventory", body = ErrorBody),
        (status = 404, description = "No such device in your tenant", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<DeviceDetail>, ApiError> {
    Ok(Json(detail(&state, &caller, &id).await?))
}
