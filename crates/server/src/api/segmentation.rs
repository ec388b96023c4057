//! `/segmentation/…`: segmentation policies learned from the recorded
//! conversations, their review (propose → approve or reject), enforcement,
//! exports for the firewall, zone assignment and drift alerts. Reading
//! needs read_flows; every change needs manage_segmentation.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use medvigil_auth::Action;
use medvigil_intel::segmentation::{self, Format, SegmentationError};
use medvigil_segment::{DriftAlert, Missing, PlacedBy, Policy, Unpatchable, ZoneName};
use medvigil_store::{StoredPolicy, TenantStore};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use super::devices::to_json;
use super::remediations::audit;
use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::paging::{Page, Paging};

impl From<SegmentationError> for ApiError {
    fn from(e: SegmentationError) -> Self {
        match e {
            SegmentationError::Store(s) => s.into(),
            // Names the key and the line of the zones file.
            SegmentationError::Zones(z) => Self::unprocessable(z.to_string()),
            SegmentationError::NoApproved => {
                Self::not_found("approved segmentation policy (propose one, then approve it)")
            }
            other => Self::internal(&other),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A policy in the list: its review and its size.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PolicySummary {
    /// Its number, from 1 per tenant.
    pub number: u32,
    /// `proposed`, `approved`, `superseded` or `rejected`.
    pub status: String,
    /// Whether the network team has applied it (approved policies only).
    pub enforced: bool,
    /// When it was proposed (RFC 3339).
    pub proposed_at: String,
    /// Who proposed it.
    pub proposed_by: String,
    /// The proposer's note.
    pub note: Option<String>,
    /// When it was approved or rejected (RFC 3339).
    pub decided_at: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// The reviewer's comment.
    pub decision_comment: Option<String>,
    /// Zones.
    pub zones: usize,
    /// Conduits.
    pub conduits: usize,
    /// Devices with device-specific rules (unpatchable or past end of support).
    pub restricted_devices: usize,
}

impl PolicySummary {
    fn of(p: &StoredPolicy, policy: &Policy) -> Self {
        Self {
            number: p.number,
            status: p.status.clone(),
            enforced: p.enforced,
            proposed_at: rfc3339(p.proposed_at),
            proposed_by: p.proposed_by.clone(),
            note: p.note.clone(),
            decided_at: p.decided_at.map(rfc3339),
            decided_by: p.decided_by.clone(),
            decision_comment: p.decision_comment.clone(),
            zones: policy.zones.len(),
            conduits: policy.conduits.len(),
            restricted_devices: policy.device_rules.len(),
        }
    }
}

/// A policy with everything a reviewer needs.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PolicyDetail {
    /// Review status and size.
    pub summary: PolicySummary,
    /// The policy: zones with their address blocks, conduits with their
    /// evidence, device rules.
    #[schema(value_type = Object)]
    pub policy: serde_json::Value,
    /// The zones file (TOML) it was learned with.
    pub zones_toml: String,
    /// What it changes against the approved policy (`zones`, `conduits`,
    /// `device_rules`, each a list of `added`/`removed`/`changed`).
    #[schema(value_type = Object)]
    pub diff: serde_json::Value,
    /// The same diff as text, one line per change.
    pub diff_text: String,
    /// The approved policy it was compared with (none approved: everything
    /// is added).
    pub compared_with: Option<u32>,
}

/// Policy `number` of the caller's tenant, read back.
pub(crate) async fn read_policy(
    store: &TenantStore<'_>,
    number: u32,
) -> Result<(StoredPolicy, Policy), ApiError> {
    let stored = store.segmentation_policy(number).await?;
    let policy = segmentation::parsed(&stored)?;
    Ok((stored, policy))
}

/// The detail of a stored policy.
pub(crate) async fn detail_of(
    store: &TenantStore<'_>,
    stored: &StoredPolicy,
    policy: &Policy,
) -> Result<PolicyDetail, ApiError> {
    let approved = store.approved_segmentation().await?;
    // The approved policy compared with itself shows no change; a
    // superseded or rejected one is compared with the approved one too.
    let diff = segmentation::diff_against_approved(store, policy).await?;
    Ok(PolicyDetail {
        summary: PolicySummary::of(stored, policy),
        policy: to_json(policy)?,
        zones_toml: stored.zones_toml.clone(),
        diff: to_json(&diff)?,
        diff_text: diff.render(),
        compared_with: approved.map(|p| p.number),
    })
}

/// Every policy of the caller's tenant, newest first.
pub(crate) async fn summaries(store: &TenantStore<'_>) -> Result<Vec<PolicySummary>, ApiError> {
    store
        .segmentation_policies()
        .await?
        .iter()
        .map(|p| Ok(PolicySummary::of(p, &segmentation::parsed(p)?)))
        .collect()
}

/// Segmentation policies, newest first.
#[utoipa::path(
    get, path = "/segmentation/policies", tag = "segmentation",
    params(Paging),
    responses(
        (status = 200, description = "A page of policies", body = Page<PolicySummary>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_flows", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<PolicySummary>>, ApiError> {
    let store = caller.require(&state, Action::ReadFlows)?;
    Ok(Json(paging.slice(summaries(&store).await?)))
}

/// One policy: zones, conduits, device rules, review status, and the diff
/// against the approved policy.
#[utoipa::path(
    get, path = "/segmentation/policies/{number}", tag = "segmentation",
    params(("number" = u32, Path, description = "Policy number")),
    responses(
        (status = 200, description = "The policy", body = PolicyDetail),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_flows", body = ErrorBody),
        (status = 404, description = "No such policy in your tenant", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<u32>,
) -> Result<Json<PolicyDetail>, ApiError> {
    let store = caller.require(&state, Action::ReadFlows)?;
    let (stored, policy) = read_policy(&store, number).await?;
    Ok(Json(detail_of(&store, &stored, &policy).await?))
}

/// A policy to learn from the recorded conversations.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeRequest {
    /// A zones file (TOML, as `medvigil segment zones --print-default`
    /// prints); absent or empty: the site's zones (the newest policy's),
    /// else the built-in hospital zones.
    pub zones_toml: Option<String>,
    /// A note for the reviewer.
    pub note: Option<String>,
}

/// Learns and stores a proposal; returns its detail.
pub(crate) async fn propose_as(
    state: &AppState,
    caller: &Caller,
    req: ProposeRequest,
) -> Result<PolicyDetail, ApiError> {
    let store = caller.require(state, Action::ManageSegmentation)?;
    let zones = req.zones_toml.as_deref().filter(|z| !z.trim().is_empty());
    let note = req.note.as_deref().filter(|n| !n.trim().is_empty());
    let today = OffsetDateTime::now_utc().date();
    let p = segmentation::propose(&store, zones, note, &caller.username, today).await?;
    audit(
        &store,
        caller,
        "segmentation_proposed",
        Some(p.stored.number.to_string()),
        serde_json::json!({
            "conversations": p.conversations, "zones": p.policy.zones.len(),
            "conduits": p.policy.conduits.len(), "builtin_zones": zones.is_none(),
        }),
    )
    .await?;
    detail_of(&store, &p.stored, &p.policy).await
}

/// Learns a policy from every recorded conversation and stores it as a
/// proposal for review.
#[utoipa::path(
    post, path = "/segmentation/policies", tag = "segmentation",
    request_body = ProposeRequest,
    responses(
        (status = 201, description = "The proposal", body = PolicyDetail),
        (status = 400, description = "Bad request", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_segmentation, or CSRF token missing", body = ErrorBody),
        (status = 422, description = "The zones file does not read (the message names the key and line)", body = ErrorBody),
    )
)]
pub async fn propose(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<ProposeRequest>,
) -> Result<(StatusCode, Json<PolicyDetail>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(propose_as(&state, &caller, req).await?),
    ))
}

/// A reviewer's decision on a proposal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// `approve` or `reject`.
    pub decision: String,
    /// Why (kept with the policy).
    pub comment: Option<String>,
}

/// Approves or rejects policy `number`.
pub(crate) async fn decide_as(
    state: &AppState,
    caller: &Caller,
    number: u32,
    req: DecisionRequest,
) -> Result<PolicyDetail, ApiError> {
    let store = caller.require(state, Action::ManageSegmentation)?;
    let approve = match req.decision.trim() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ApiError::bad_request(format!(
                "decision: '{other}' is neither approve nor reject"
            )));
        }
    };
    let comment = req.comment.as_deref().filter(|c| !c.trim().is_empty());
    let stored = store
        .decide_segmentation(number, approve, &caller.username, comment)
        .await?;
    audit(
        &store,
        caller,
        if approve {
            "segmentation_approved"
        } else {
            "segmentation_rejected"
        },
        Some(number.to_string()),
        serde_json::json!({ "comment": comment }),
    )
    .await?;
    let policy = segmentation::parsed(&stored)?;
    detail_of(&store, &stored, &policy).await
}

/// Approves (the approved policy becomes superseded) or rejects a proposal.
#[utoipa::path(
    post, path = "/segmentation/policies/{number}/decision", tag = "segmentation",
    params(("number" = u32, Path, description = "Policy number")),
    request_body = DecisionRequest,
    responses(
        (status = 200, description = "The policy after the decision", body = PolicyDetail),
        (status = 400, description = "Neither approve nor reject", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_segmentation, or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such policy in your tenant", body = ErrorBody),
        (status = 409, description = "The policy is not a proposal (the message says what it is)", body = ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<u32>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> Result<Json<PolicyDetail>, ApiError> {
    Ok(Json(decide_as(&state, &caller, number, req).await?))
}

/// Whether the approved policy is applied on the network.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnforcementRequest {
    /// It is (`true`) or is no longer (`false`) enforced.
    pub enforced: bool,
}

/// Records whether policy `number` is enforced.
pub(crate) async fn enforce_as(
    state: &AppState,
    caller: &Caller,
    number: u32,
    enforced: bool,
) -> Result<PolicySummary, ApiError> {
    let store = caller.require(state, Action::ManageSegmentation)?;
    let stored = store.set_segmentation_enforced(number, enforced).await?;
    audit(
        &store,
        caller,
        "segmentation_enforced",
        Some(number.to_string()),
        serde_json::json!({ "enforced": enforced }),
    )
    .await?;
    Ok(PolicySummary::of(&stored, &segmentation::parsed(&stored)?))
}

/// Records that the approved policy is (or is no longer) enforced on the
/// network; only an enforced policy lowers devices' exposure.
#[utoipa::path(
    post, path = "/segmentation/policies/{number}/enforcement", tag = "segmentation",
    params(("number" = u32, Path, description = "Policy number")),
    request_body = EnforcementRequest,
    responses(
        (status = 200, description = "The policy", body = PolicySummary),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_segmentation, or CSRF token missing", body = ErrorBody),
        (status = 404, description = "No such policy in your tenant", body = ErrorBody),
        (status = 409, description = "The policy is not the approved one", body = ErrorBody),
    )
)]
pub async fn enforce(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<u32>,
    ApiJson(req): ApiJson<EnforcementRequest>,
) -> Result<Json<PolicySummary>, ApiError> {
    Ok(Json(
        enforce_as(&state, &caller, number, req.enforced).await?,
    ))
}

/// `?format=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `nftables` (default), `cisco` or `csv`.
    pub format: Option<String>,
}

/// A policy for the network: an nftables ruleset (`nft -f`), Cisco IOS
/// extended ACLs (IPv4 and IPv6) or the zone matrix as CSV, as a download.
/// Exporting changes nothing but is a step of the network team's work:
/// it needs manage_segmentation and is written to the audit log.
#[utoipa::path(
    get, path = "/segmentation/policies/{number}/export", tag = "segmentation",
    params(("number" = u32, Path, description = "Policy number"), ExportQuery),
    responses(
        (status = 200, description = "The export", content_type = "text/plain", body = String),
        (status = 400, description = "Unknown format", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without manage_segmentation", body = ErrorBody),
        (status = 404, description = "No such policy in your tenant", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(number): Path<u32>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let store = caller.require(&state, Action::ManageSegmentation)?;
    let format: Format = match q.format.as_deref().filter(|f| !f.is_empty()) {
        Some(f) => f.parse().map_err(ApiError::bad_request)?,
        None => Format::Nftables,
    };
    let (stored, policy) = read_policy(&store, number).await?;
    let text = format.render(&policy);
    audit(
        &store,
        &caller,
        "segmentation_exported",
        Some(stored.number.to_string()),
        serde_json::json!({ "format": format.as_str() }),
    )
    .await?;
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Nftables | Format::Cisco => "text/plain; charset=utf-8",
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"medvigil-policy-{}.{}\"",
                    stored.number,
                    format.extension()
                ),
            ),
        ],
        text,
    )
        .into_response())
}

/// `?zone=&policy=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ZoneFilter {
    /// Devices of this zone only.
    pub zone: Option<String>,
    /// Place devices with this policy's zones file (default: the approved
    /// policy's, else the newest policy's, else the built-in zones).
    pub policy: Option<u32>,
}

/// Where a device is.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ZoneMember {
    /// Device id.
    pub device: String,
    /// Asset tag.
    pub asset_tag: Option<String>,
    /// Manufacturer and model.
    pub name: String,
    /// Category.
    pub category: Option<String>,
    /// IP address.
    pub ip: Option<String>,
    /// Its zone.
    pub zone: String,
    /// What placed it: `rule 3 (infusion pumps)`, `override 1`, `no rule`.
    pub placed_by: String,
    /// Why it gets device-specific rules (`not patchable`, `end of support
    /// 2024-06-30`), if it does.
    pub restricted: Option<String>,
}

/// Zone placements of `filter`, by zone then IP.
pub(crate) async fn members(
    store: &TenantStore<'_>,
    filter: &ZoneFilter,
) -> Result<(Vec<ZoneName>, Vec<ZoneMember>), ApiError> {
    let source = match filter.policy {
        Some(n) => Some(store.segmentation_policy(n).await?),
        None => store.approved_segmentation().await?,
    };
    let zones = match &source {
        Some(p) => segmentation::zones_of(p)?,
        None => segmentation::site_zones(store).await?.1,
    };
    let zone: Option<ZoneName> = filter
        .zone
        .as_deref()
        .filter(|z| !z.is_empty())
        .map(|z| {
            z.parse()
                .map_err(|e: medvigil_segment::ZoneNameError| ApiError::bad_request(e.to_string()))
        })
        .transpose()?;
    let today = OffsetDateTime::now_utc().date();
    let assigned = segmentation::assignment(store, &zones, today).await?;
    let devices: std::collections::HashMap<_, _> = store
        .devices(&medvigil_store::DeviceQuery::default())
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let mut out: Vec<ZoneMember> = assigned
        .devices()
        .iter()
        .filter(|a| zone.as_ref().is_none_or(|z| &a.zone == z))
        .map(|a| {
            let d = devices.get(&a.id);
            let f = d.map(|d| &d.fields);
            ZoneMember {
                device: a.id.to_string(),
                asset_tag: f.and_then(|f| f.asset_tag.clone()),
                name: f
                    .map(|f| {
                        format!(
                            "{} {}",
                            f.vendor.as_deref().unwrap_or_default(),
                            f.model.as_deref().unwrap_or_default()
                        )
                        .trim()
                        .to_owned()
                    })
                    .unwrap_or_default(),
                category: f.and_then(|f| f.category.map(|c| c.to_string())),
                ip: a.ip.map(|i| i.to_string()),
                zone: a.zone.to_string(),
                placed_by: match &a.placed_by {
                    PlacedBy::Rule { index } => {
                        match zones.rules.get(*index).and_then(|r| r.name.as_deref()) {
                            Some(name) => format!("rule {} ({name})", index + 1),
                            None => format!("rule {}", index + 1),
                        }
                    }
                    PlacedBy::Override { index } => format!("override {}", index + 1),
                    PlacedBy::Unmatched => "no rule".into(),
                    PlacedBy::External => "external address".into(),
                },
                restricted: a.unpatchable.map(|u| match u {
                    Unpatchable::NotPatchable => "not patchable".to_owned(),
                    Unpatchable::EndOfSupport(d) => format!("end of support {d}"),
                }),
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.zone, &a.ip, &a.device).cmp(&(&b.zone, &b.ip, &b.device)));
    Ok((assigned.zones().to_vec(), out))
}

/// Which zone each device is in.
#[utoipa::path(
    get, path = "/segmentation/zones", tag = "segmentation",
    params(ZoneFilter, Paging),
    responses(
        (status = 200, description = "A page of devices with their zone", body = Page<ZoneMember>),
        (status = 400, description = "Bad zone name", body = ErrorBody),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_flows", body = ErrorBody),
        (status = 404, description = "No such policy in your tenant", body = ErrorBody),
    )
)]
pub async fn zones(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<ZoneFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<Page<ZoneMember>>, ApiError> {
    let store = caller.require(&state, Action::ReadFlows)?;
    let (_, all) = members(&store, &filter).await?;
    Ok(Json(paging.slice(all)))
}

/// A flow the approved policy does not allow.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DriftItem {
    /// The device concerned: the restricted device, else the server's
    /// device, else the client's (absent when neither end is known).
    pub device: Option<String>,
    /// The initiator: `ip`, `device`, `zone`.
    #[schema(value_type = Object)]
    pub client: serde_json::Value,
    /// The responder: `ip`, `device`, `zone`.
    #[schema(value_type = Object)]
    pub server: serde_json::Value,
    /// The service (`tcp/104`).
    pub service: String,
    /// Application protocol recognised.
    pub protocol: Option<String>,
    /// The rule the flow breaks, for people.
    pub rule: String,
    /// The same, structured: `{"kind": "conduit", "from", "to"}` or
    /// `{"kind": "device-rule", "device", "direction"}`.
    #[schema(value_type = Object)]
    pub missing: serde_json::Value,
    /// Flows.
    pub flows: u64,
    /// Bytes.
    pub bytes: u64,
    /// First packet (RFC 3339).
    pub first_seen: String,
    /// Last packet (RFC 3339).
    pub last_seen: String,
}

impl DriftItem {
    fn of(a: &DriftAlert) -> Result<Self, ApiError> {
        let (device, rule) = match &a.missing {
            Missing::Conduit { from, to } => (
                a.server.device.or(a.client.device),
                format!("no conduit {from} → {to} for {}", a.service),
            ),
            Missing::DeviceRule { device, direction } => (
                Some(*device),
                format!(
                    "not in the {} rules of restricted device {device}",
                    match direction {
                        medvigil_segment::Direction::Outbound => "outbound",
                        medvigil_segment::Direction::Inbound => "inbound",
                    }
                ),
            ),
        };
        Ok(Self {
            device: device.map(|d| d.to_string()),
            client: to_json(&a.client)?,
            server: to_json(&a.server)?,
            service: a.service.to_string(),
            protocol: a.protocol.clone(),
            rule,
            missing: to_json(&a.missing)?,
            flows: a.flows,
            bytes: a.bytes,
            first_seen: rfc3339(a.first_seen),
            last_seen: rfc3339(a.last_seen),
        })
    }
}

/// The drift alerts of the caller's tenant, most recent first, with the
/// approved policy they are judged against (none approved: no alerts).
pub(crate) async fn alerts(
    store: &TenantStore<'_>,
) -> Result<(Option<StoredPolicy>, Vec<DriftItem>), ApiError> {
    let today = OffsetDateTime::now_utc().date();
    let Some((p, alerts)) = segmentation::drift(store, today).await? else {
        return Ok((None, Vec::new()));
    };
    let mut items = alerts
        .iter()
        .map(DriftItem::of)
        .collect::<Result<Vec<_>, _>>()?;
    items.sort_by(|a, b| b.last_seen.cmp(&a.last_seen));
    Ok((Some(p), items))
}

/// The drift page: the approved policy's number and the alerts.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DriftPage {
    /// The approved policy the flows are judged against (none: no alerts).
    pub policy: Option<u32>,
    /// Whether that policy is enforced.
    pub enforced: bool,
    /// The alerts of this page.
    pub items: Vec<DriftItem>,
    /// Page number, from 1.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
    /// Alerts in all.
    pub total: u64,
}

/// Drift alerts: recorded flows the approved policy does not allow (device,
/// flow, the rule it breaks, first and last seen, volume), most recent first.
#[utoipa::path(
    get, path = "/segmentation/drift", tag = "segmentation",
    params(Paging),
    responses(
        (status = 200, description = "A page of drift alerts", body = DriftPage),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Role without read_flows", body = ErrorBody),
    )
)]
pub async fn drift(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<DriftPage>, ApiError> {
    let store = caller.require(&state, Action::ReadFlows)?;
    let (policy, items) = alerts(&store).await?;
    let page = paging.slice(items);
    Ok(Json(DriftPage {
        policy: policy.as_ref().map(|p| p.number),
        enforced: policy.is_some_and(|p| p.enforced),
        items: page.items,
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    }))
}
