//! Segmentation pages: the policies and a form to propose one from the
//! observed traffic; a policy with its zone matrix, its zone graph, the
//! diff against the approved policy, the review and enforcement forms and
//! the export links; the devices of a zone; the drift alerts.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use maud::{Markup, PreEscaped, html};
use medvigil_auth::Action;
use medvigil_intel::segmentation::Format;
use medvigil_report::graph::{Edge, directed_graph};
use medvigil_segment::{Policy, ZoneName};
use serde::Deserialize;

use super::layout::{enc, page, pager};
use super::{PageResult, WebCaller};
use crate::AppState;
use crate::api::segmentation::{
    DecisionRequest, ProposeRequest, ZoneFilter, alerts, decide_as, detail_of, enforce_as, members,
    propose_as, read_policy, summaries,
};
use crate::paging::Paging;

/// `GET /segmentation`.
pub(crate) async fn list(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Query(paging): Query<Paging>,
) -> PageResult {
    let store = caller.require(&state, Action::ReadFlows)?;
    let result = paging.slice(summaries(&store).await?);
    let manage = caller.may(Action::ManageSegmentation);
    let csrf = caller.csrf(&state).unwrap_or_default();
    let conversations = store.conversations(Some(1)).await?.len();
    let body = html! {
        h1 { "Segmentation" }
        p {
            "Zones and conduits (IEC 62443-3-2) learned from the traffic the sensors recorded, reviewed here, exported for the firewall. "
            a href="/segmentation/drift" { "Drift alerts" } " · "
            a href="/segmentation/zones" { "Devices by zone" }
        }
        table.list {
            caption { "Policies, newest first" }
            thead { tr { th scope="col" { "policy" } th scope="col" { "status" } th scope="col" { "zones" } th scope="col" { "conduits" } th scope="col" { "restricted devices" } th scope="col" { "proposed" } th scope="col" { "decided" } th scope="col" { "note" } } }
            tbody {
                @for p in &result.items {
                    tr {
                        td { a href=(format!("/segmentation/{}", p.number)) { "policy " (p.number) } }
                        td { span class=(format!("status {}", p.status)) { (p.status) } @if p.enforced { " " span.status.enforced { "enforced" } } }
                        td { (p.zones) }
                        td { (p.conduits) }
                        td { (p.restricted_devices) }
                        td { (p.proposed_at.get(..10).unwrap_or_default()) " by " (p.proposed_by) }
                        td { @if let Some(d) = &p.decided_at { (d.get(..10).unwrap_or_default()) " by " (p.decided_by.clone().unwrap_or_default()) } }
                        td { (p.note.clone().unwrap_or_default()) }
                    }
                }
            }
        }
        @if result.items.is_empty() { p { "No policy yet." } }
        (pager("/segmentation", &[], result.page, result.per_page, result.total))
        @if manage {
            section.card {
                h2 { "Propose from observed traffic" }
                @if conversations == 0 {
                    p { "No conversation is recorded yet: import a capture (" code { "medvigil discover" } ") first; the proposal would have no conduit." }
                }
                form.stack method="post" action="/segmentation" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="note" { "Note for the reviewer" }
                    input id="note" name="note" placeholder="e.g. after the PACS migration";
                    label for="zones_toml" { "Zones file (TOML); leave empty to keep the newest policy's (the built-in hospital zones when there is none)" }
                    textarea id="zones_toml" name="zones_toml" rows="6" spellcheck="false" {}
                    button type="submit" { "Propose a policy from observed traffic" }
                }
            }
        }
    };
    Ok(page(&state, &caller, "Segmentation", "/segmentation", body))
}

/// The propose form.
#[derive(Debug, Deserialize)]
pub(crate) struct ProposeForm {
    note: Option<String>,
    zones_toml: Option<String>,
}

/// `POST /segmentation`.
pub(crate) async fn propose(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Form(form): Form<ProposeForm>,
) -> PageResult {
    let detail = propose_as(
        &state,
        &caller,
        ProposeRequest {
            zones_toml: form.zones_toml,
            note: form.note,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/segmentation/{}", detail.summary.number)).into_response())
}

/// The zones a policy's matrix and graph show: its zones, then `external`
/// and `unassigned` when a conduit names them.
fn zone_names(policy: &Policy) -> Vec<&ZoneName> {
    let mut names: Vec<&ZoneName> = policy.zones.iter().map(|z| &z.name).collect();
    for c in &policy.conduits {
        for z in [&c.from, &c.to] {
            if !names.contains(&z) {
                names.push(z);
            }
        }
    }
    names
}

/// The services of each (from, to) conduit pair: `tcp/104 (dicom)`.
fn services(policy: &Policy) -> BTreeMap<(&ZoneName, &ZoneName), Vec<String>> {
    let mut cells: BTreeMap<(&ZoneName, &ZoneName), Vec<String>> = BTreeMap::new();
    for c in &policy.conduits {
        let mut s = c.service.to_string();
        if !c.protocols.is_empty() {
            s.push_str(&format!(" ({})", c.protocols.join(", ")));
        }
        cells.entry((&c.from, &c.to)).or_default().push(s);
    }
    cells
}

/// The zone graph of `policy` as inline SVG.
pub(crate) fn zone_graph(policy: &Policy) -> String {
    let names: Vec<&str> = zone_names(policy).iter().map(|z| z.as_str()).collect();
    let edges: Vec<Edge<'_>> = policy
        .conduits
        .iter()
        .map(|c| Edge {
            from: c.from.as_str(),
            to: c.to.as_str(),
            label: c.service.to_string(),
        })
        .collect();
    directed_graph("zone-graph", "Zones and conduits", &names, &edges)
}

fn matrix(policy: &Policy) -> Markup {
    let names = zone_names(policy);
    let cells = services(policy);
    html! {
        div.scroll {
            table.matrix {
                caption { "Zone matrix: services allowed from the row's zone (clients) to the column's zone (servers)" }
                thead {
                    tr {
                        th scope="col" { "from \\ to" }
                        @for z in &names { th scope="col" { (z.as_str()) } }
                    }
                }
                tbody {
                    @for from in &names {
                        tr {
                            th scope="row" { (from.as_str()) }
                            @for to in &names {
                                @let intra = from == to && policy.allow_intra_zone && !from.is_builtin();
                                td class=[intra.then_some("intra")] {
                                    @if let Some(list) = cells.get(&(*from, *to)) {
                                        @for s in list { span.svc { (s) } " " }
                                    } @else if intra {
                                        "all (intra-zone)"
                                    } @else {
                                        span.muted { "—" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /segmentation/{number}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(number): Path<u32>,
) -> PageResult {
    let store = caller.require(&state, Action::ReadFlows)?;
    let (stored, policy) = read_policy(&store, number).await?;
    let detail = detail_of(&store, &stored, &policy).await?;
    let s = &detail.summary;
    let manage = caller.may(Action::ManageSegmentation);
    let csrf = caller.csrf(&state).unwrap_or_default();
    let graph = zone_graph(&policy);
    let body = html! {
        h1 { "Policy " (s.number) " " span class=(format!("status {}", s.status)) { (s.status) } @if s.enforced { " " span.status.enforced { "enforced" } } }
        p.muted {
            "Proposed " (s.proposed_at) " by " (s.proposed_by)
            @if let Some(n) = &s.note { " — " (n) }
            @if let Some(d) = &s.decided_at { ". Decided " (d) " by " (s.decided_by.clone().unwrap_or_default()) }
            @if let Some(c) = &s.decision_comment { ": “" (c) "”" }
            "."
        }
        p.kpis {
            span { strong { (s.zones) } " zones" }
            span { strong { (s.conduits) } " conduits" }
            span { strong { (s.restricted_devices) } " devices with device-specific rules" }
        }
        @if manage {
            section.card {
                h2 { "Review" }
                @if s.status == "proposed" {
                    form.stack method="post" action=(format!("/segmentation/{}/decision", s.number)) {
                        input type="hidden" name="csrf" value=(csrf);
                        label for="comment" { "Comment (kept with the decision)" }
                        input id="comment" name="comment";
                        div.buttons {
                            button type="submit" name="decision" value="approve" { "Approve policy " (s.number) }
                            button type="submit" name="decision" value="reject" { "Reject" }
                        }
                    }
                } @else if s.status == "approved" {
                    form.inline method="post" action=(format!("/segmentation/{}/enforcement", s.number)) {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="enforced" value=(if s.enforced { "false" } else { "true" });
                        button type="submit" {
                            @if s.enforced { "Mark as no longer enforced" } @else { "Mark as enforced on the network" }
                        }
                    }
                    p.muted { "Only an enforced policy lowers devices' exposure in the risk assessment." }
                } @else {
                    p { "A " (s.status) " policy is kept for the record; propose a new one to change the network." }
                }
                h3 { "Export" }
                ul.exports {
                    @for f in Format::ALL {
                        li { a href=(format!("/api/v1/segmentation/policies/{}/export?format={}", s.number, f.as_str())) download { (export_label(f)) } }
                    }
                }
            }
        }
        section.card {
            h2 { "Zone graph" }
            figure.graph {
                (PreEscaped(graph))
                figcaption { "Zones as nodes, conduits as arrows from the clients' zone to the servers' zone; the matrix below says the same as a table." }
            }
        }
        section.card {
            h2 { "Zone matrix" }
            (matrix(&policy))
        }
        section.card {
            h2 { "Zones" }
            table.list {
                thead { tr { th scope="col" { "zone" } th scope="col" { "address blocks" } th scope="col" { "devices" } } }
                tbody {
                    @for z in &policy.zones {
                        tr {
                            td { (z.name.as_str()) }
                            td { (z.members.len()) }
                            td { a href=(format!("/segmentation/{}/zones?zone={}", s.number, enc(z.name.as_str()))) { "devices in " (z.name.as_str()) } }
                        }
                    }
                }
            }
        }
        @if !policy.device_rules.is_empty() {
            section.card {
                h2 { "Device-specific rules" }
                p.muted { "Devices that cannot be patched or are past end of support may use exactly these flows." }
                table.list {
                    thead { tr { th scope="col" { "device" } th scope="col" { "address" } th scope="col" { "zone" } th scope="col" { "why" } th scope="col" { "allowed flows" } } }
                    tbody {
                        @for d in &policy.device_rules {
                            tr {
                                td { a href=(format!("/devices/{}", d.device)) { (d.device) } }
                                td { (d.ip) }
                                td { (d.zone.as_str()) }
                                td { (match d.reason {
                                    medvigil_segment::Unpatchable::NotPatchable => "not patchable".to_owned(),
                                    medvigil_segment::Unpatchable::EndOfSupport(date) => format!("end of support {date}"),
                                }) }
                                td {
                                    @if d.rules.is_empty() { "none" }
                                    @for r in &d.rules {
                                        span.svc { (match r.direction { medvigil_segment::Direction::Outbound => "to ", medvigil_segment::Direction::Inbound => "from " }) (r.peer) " " (r.service.to_string()) } " "
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { "Changes against the approved policy" }
            p.muted {
                @match detail.compared_with {
                    Some(n) if n == s.number => { "This is the approved policy." }
                    Some(n) => { "Compared with approved policy " a href=(format!("/segmentation/{n}")) { (n) } "." }
                    None => { "No policy is approved yet: everything is new." }
                }
            }
            pre.diff { (detail.diff_text) }
        }
    };
    Ok(page(
        &state,
        &caller,
        &format!("Policy {number}"),
        "/segmentation",
        body,
    ))
}

fn export_label(f: Format) -> &'static str {
    match f {
        Format::Nftables => "nftables ruleset (.nft)",
        Format::Cisco => "Cisco IOS ACLs (.acl)",
        Format::Csv => "zone matrix (.csv)",
    }
}

/// The review form.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    decision: String,
    comment: Option<String>,
}

/// `POST /segmentation/{number}/decision`.
pub(crate) async fn decide(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(number): Path<u32>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    decide_as(
        &state,
        &caller,
        number,
        DecisionRequest {
            decision: form.decision,
            comment: form.comment,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/segmentation/{number}")).into_response())
}

/// The enforcement form.
#[derive(Debug, Deserialize)]
pub(crate) struct EnforcementForm {
    enforced: String,
}

/// `POST /segmentation/{number}/enforcement`.
pub(crate) async fn enforce(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(number): Path<u32>,
    Form(form): Form<EnforcementForm>,
) -> PageResult {
    enforce_as(&state, &caller, number, form.enforced == "true").await?;
    Ok(Redirect::to(&format!("/segmentation/{number}")).into_response())
}

/// `?zone=` of the zone pages.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ZoneQuery {
    zone: Option<String>,
}

/// `GET /segmentation/zones` (the approved policy's zones, else the
/// built-in ones) and `GET /segmentation/{number}/zones`.
async fn zone_page(
    state: &AppState,
    caller: &crate::auth::Caller,
    number: Option<u32>,
    q: ZoneQuery,
    paging: Paging,
) -> PageResult {
    let store = caller.require(state, Action::ReadFlows)?;
    let filter = ZoneFilter {
        zone: q.zone.clone().filter(|z| !z.is_empty()),
        policy: number,
    };
    let (zones, all) = members(&store, &filter).await?;
    let result = paging.slice(all);
    let base = match number {
        Some(n) => format!("/segmentation/{n}/zones"),
        None => "/segmentation/zones".to_owned(),
    };
    let title = match &filter.zone {
        Some(z) => format!("Devices in zone {z}"),
        None => "Devices by zone".to_owned(),
    };
    let body = html! {
        h1 { (title) }
        p.muted {
            @match number {
                Some(n) => { "Placed with the zones file of " a href=(format!("/segmentation/{n}")) { "policy " (n) } ", as the inventory stands today." }
                None => { "Placed with the approved policy's zones file (else the newest policy's, else the built-in zones), as the inventory stands today." }
            }
        }
        form.filters method="get" action=(base) {
            label for="zone" { "Zone" }
            select id="zone" name="zone" {
                option value="" { "every zone" }
                @for z in &zones { option value=(z.as_str()) selected[filter.zone.as_deref() == Some(z.as_str())] { (z.as_str()) } }
            }
            button type="submit" { "Show" }
        }
        table.list {
            thead { tr { th scope="col" { "device" } th scope="col" { "vendor / model" } th scope="col" { "category" } th scope="col" { "address" } th scope="col" { "zone" } th scope="col" { "placed by" } th scope="col" { "device-specific rules" } } }
            tbody {
                @for m in &result.items {
                    tr {
                        td { a href=(format!("/devices/{}", m.device)) { (m.asset_tag.clone().unwrap_or_else(|| m.device.clone())) } }
                        td { (m.name) }
                        td { (m.category.clone().unwrap_or_default()) }
                        td { (m.ip.clone().unwrap_or_default()) }
                        td { (m.zone) }
                        td { (m.placed_by) }
                        td { (m.restricted.clone().unwrap_or_default()) }
                    }
                }
            }
        }
        (pager(&base, &[("zone", filter.zone.clone())], result.page, result.per_page, result.total))
    };
    Ok(page(state, caller, &title, "/segmentation", body))
}

/// `GET /segmentation/zones`.
pub(crate) async fn zones(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Query(q): Query<ZoneQuery>,
    Query(paging): Query<Paging>,
) -> PageResult {
    zone_page(&state, &caller, None, q, paging).await
}

/// `GET /segmentation/{number}/zones`.
pub(crate) async fn policy_zones(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(number): Path<u32>,
    Query(q): Query<ZoneQuery>,
    Query(paging): Query<Paging>,
) -> PageResult {
    zone_page(&state, &caller, Some(number), q, paging).await
}

/// `GET /segmentation/drift`.
pub(crate) async fn drift(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Query(paging): Query<Paging>,
) -> PageResult {
    let store = caller.require(&state, Action::ReadFlows)?;
    let (policy, items) = alerts(&store).await?;
    let result = paging.slice(items);
    let body = html! {
        h1 { "Drift alerts" }
        @match &policy {
            None => { p { "No policy is approved: there is nothing to drift from. " a href="/segmentation" { "Propose and approve one" } "." } }
            Some(p) => {
                p {
                    "Recorded flows that approved " a href=(format!("/segmentation/{}", p.number)) { "policy " (p.number) } " does not allow"
                    @if p.enforced { " (enforced: the firewall should have dropped them)" } @else { " (not enforced yet: they would be dropped once it is)" }
                    "."
                }
                @if result.total == 0 { p { "No drift: every recorded flow is allowed." } }
            }
        }
        @if result.total > 0 {
            table.list {
                caption { (result.total) " alerts, most recent first" }
                thead { tr { th scope="col" { "device" } th scope="col" { "client" } th scope="col" { "server" } th scope="col" { "service" } th scope="col" { "rule broken" } th scope="col" { "first seen" } th scope="col" { "last seen" } th scope="col" { "flows" } th scope="col" { "bytes" } } }
                tbody {
                    @for a in &result.items {
                        tr {
                            td { @if let Some(d) = &a.device { a href=(format!("/devices/{d}")) { (d.get(..8).unwrap_or(d)) } } }
                            td { (a.client["ip"].as_str().unwrap_or_default()) " " span.muted { "(" (a.client["zone"].as_str().unwrap_or_default()) ")" } }
                            td { (a.server["ip"].as_str().unwrap_or_default()) " " span.muted { "(" (a.server["zone"].as_str().unwrap_or_default()) ")" } }
                            td { (a.service) @if let Some(p) = &a.protocol { " " (p) } }
                            td { (a.rule) }
                            td { (a.first_seen) }
                            td { (a.last_seen) }
                            td { (a.flows) }
                            td { (a.bytes) }
                        }
                    }
                }
            }
        }
        (pager("/segmentation/drift", &[], result.page, result.per_page, result.total))
    };
    Ok(page(&state, &caller, "Drift alerts", "/segmentation", body))
}
