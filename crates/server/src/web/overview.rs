//! The overview, by role: the CISO's risk picture (devices by priority and
//! by site), the biomedical engineer's fleet (category, class, end of
//! support), the network specialist's traffic (conversations, devices not
//! yet classified).

use std::collections::BTreeMap;

use axum::extract::State;
use maud::{Markup, PreEscaped, html};
use medvigil_auth::{Action, Role};
use medvigil_report::svg::{NEUTRAL_COLOUR, PRIORITY_SERIES, Slice, donut, stacked_bars, trend};
use medvigil_risk::Priority;
use medvigil_store::DeviceQuery;
use time::OffsetDateTime;

use super::{PageResult, WebCaller};
use crate::AppState;
use crate::api::intel::ranked;
use crate::auth::Caller;
use crate::error::ApiError;

async fn page_handler(state: &AppState, caller: &Caller) -> Result<Markup, ApiError> {
    let role = caller.role;
    let all = matches!(role, Role::Admin | Role::Auditor);
    let mut sections = Vec::new();
    if (all || role == Role::Ciso) && caller.may(Action::ReadRisk) {
        sections.push(risk_section(state, caller).await?);
    }
    if (all || role == Role::Biomed) && caller.may(Action::ReadInventory) {
        sections.push(fleet_section(state, caller).await?);
    }
    if (all || role == Role::Network) && caller.may(Action::ReadFlows) {
        sections.push(network_section(state, caller).await?);
    }
    Ok(html! {
        h1 { "Overview" }
        @if sections.is_empty() {
            p { "Your role (" (role) ") has no dashboard yet. Your API tokens are under "
                a href="/tokens" { "API tokens" } "." }
        }
        @for s in sections { (s) }
    })
}

/// `GET /`.
pub(crate) async fn page(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
) -> PageResult {
    let body = page_handler(&state, &caller).await?;
    Ok(super::layout::page(&state, &caller, "Overview", "/", body))
}

fn priority_index(p: Priority) -> usize {
    match p {
        Priority::P1 => 0,
        Priority::P2 => 1,
        Priority::P3 => 2,
        Priority::P4 => 3,
    }
}

async fn risk_section(state: &AppState, caller: &Caller) -> Result<Markup, ApiError> {
    let store = caller.require(state, Action::ReadRisk)?;
    let devices = store.device_count(&DeviceQuery::default()).await?;
    let assessed = ranked(state, &store).await?;
    let mut counts = [0u64; 4];
    let mut by_site: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for a in assessed.iter() {
        if let Some(p) = a.risk.priority {
            counts[priority_index(p)] += 1;
            by_site
                .entry(a.site.clone().unwrap_or_else(|| "(no site)".into()))
                .or_default()[priority_index(p)] += 1;
        }
    }
    let at_risk: u64 = counts.iter().sum();
    let none = devices.saturating_sub(at_risk);
    let mut slices: Vec<Slice<'_>> = PRIORITY_SERIES
        .iter()
        .zip(counts)
        .map(|(s, v)| Slice {
            label: s.name,
            value: v,
            colour: s.colour,
        })
        .collect();
    slices.push(Slice {
        label: "no finding",
        value: none,
        colour: NEUTRAL_COLOUR,
    });
    let rows: Vec<(String, [u64; 4])> = by_site.into_iter().collect();
    let today = OffsetDateTime::now_utc().date();
    let history = store.risk_history(today - time::Duration::days(90)).await?;
    let points: Vec<(String, [u64; 4])> = history
        .iter()
        .map(|d| (d.day.to_string(), d.by_priority))
        .collect();
    Ok(html! {
        section.card {
            h2 { "Patient-safety risk" }
            div.charts {
                figure { (PreEscaped(donut("by-priority", "Devices by priority", &slices))) }
                @if !rows.is_empty() {
                    figure { (PreEscaped(stacked_bars("by-site", "Devices at risk by site", &rows, &PRIORITY_SERIES))) }
                }
            }
            h3 { "Trend over 90 days" }
            @match (history.first(), history.last()) {
                (Some(first), Some(last)) if history.len() > 1 => {
                    figure { (PreEscaped(trend("trend", "Devices at risk per day", &points, &PRIORITY_SERIES))) }
                    p { "From " (first.day) " to " (last.day) ": devices at P1 "
                        (first.by_priority[0]) " → " (last.by_priority[0])
                        ", overdue remediations " (first.overdue) " → " (last.overdue) "." }
                }
                (Some(only), _) => {
                    p { "The trend builds up one day at a time: the first day recorded is " (only.day)
                        " (" (only.by_priority[0]) " devices at P1, " (only.overdue) " overdue remediations). "
                        "The server records the picture every hour." }
                }
                _ => { p { "No day recorded yet: the server records the picture every hour." } }
            }
            h3 { "Most urgent devices" }
            table {
                thead { tr { th { "priority" } th { "device" } th { "site" } th { "why" } } }
                tbody {
                    @for a in assessed.iter().take(10) {
                        tr {
                            td { @if let Some(p) = a.risk.priority { span class=(format!("prio {p:?}")) { (format!("{p:?}")) } } }
                            td { a href=(format!("/devices/{}", a.device)) { (a.asset_tag.clone().unwrap_or_else(|| a.name.clone())) } }
                            td { (a.site.clone().unwrap_or_default()) }
                            td { (a.risk.top_reasons.first().cloned().unwrap_or_default()) }
                        }
                    }
                }
            }
            @if assessed.is_empty() { p { "No affected finding: import advisories to match the inventory." } }
        }
    })
}

async fn fleet_section(state: &AppState, caller: &Caller) -> Result<Markup, ApiError> {
    let store = caller.require(state, Action::ReadInventory)?;
    let today = OffsetDateTime::now_utc().date();
    let s = store.summary(today).await?;
    let palette = [
        "#4f7cac", "#7fa7d1", "#a50f15", "#e6550d", "#f4b942", "#6a9955", "#8c6bb1", "#c9ced6",
    ];
    let class_slices: Vec<Slice<'_>> = s
        .by_eu_class
        .iter()
        .enumerate()
        .map(|(i, (k, v))| Slice {
            label: if k.is_empty() { "unknown" } else { k.as_str() },
            value: *v,
            colour: palette[i % palette.len()],
        })
        .collect();
    let rows: Vec<(String, [u64; 4])> = s
        .by_category
        .iter()
        .map(|(k, v)| {
            (
                if k.is_empty() {
                    "(none)".to_owned()
                } else {
                    k.clone()
                },
                [*v, 0, 0, 0],
            )
        })
        .collect();
    let one = [
        medvigil_report::svg::Series {
            name: "devices",
            colour: "#4f7cac",
        },
        medvigil_report::svg::Series {
            name: "",
            colour: "#ffffff",
        },
        medvigil_report::svg::Series {
            name: "",
            colour: "#ffffff",
        },
        medvigil_report::svg::Series {
            name: "",
            colour: "#ffffff",
        },
    ];
    Ok(html! {
        section.card {
            h2 { "Fleet" }
            p.kpis {
                span { strong { (s.total) } " devices" }
                span { strong { (s.end_of_support_passed) } " past end of support" }
                span { strong { (s.not_patchable) } " not patchable" }
            }
            div.charts {
                figure { (PreEscaped(donut("by-class", "Devices by EU MDR class", &class_slices))) }
                @if !rows.is_empty() {
                    figure { (PreEscaped(stacked_bars("by-category", "Devices by category", &rows, &one))) }
                }
            }
            p { a href="/devices?sort=end_of_support" { "Devices by end of support →" } }
        }
    })
}

async fn network_section(state: &AppState, caller: &Caller) -> Result<Markup, ApiError> {
    let store = caller.require(state, Action::ReadFlows)?;
    let conversations = store.conversations(None).await?;
    let devices = store.devices(&DeviceQuery::default()).await?;
    let unclassified = devices
        .iter()
        .filter(|d| d.fields.category.is_none())
        .count();
    let no_ip = devices.iter().filter(|d| d.fields.ip.is_none()).count();
    let segmentation = segmentation_summary(&store).await?;
    Ok(html! {
        section.card {
            h2 { "Network" }
            p.kpis {
                span { strong { (conversations.len()) } " conversations recorded" }
                span { strong { (unclassified) } " devices not classified" }
                span { strong { (no_ip) } " devices without a known IP" }
            }
            (segmentation)
            @if !conversations.is_empty() {
                table {
                    thead { tr { th { "client" } th { "server" } th { "service" } th { "bytes" } } }
                    tbody {
                        @for c in conversations.iter().take(10) {
                            tr {
                                td { (c.client.ip) }
                                td { (c.server.ip) }
                                td { (c.transport) "/" (c.port) @if let Some(p) = &c.protocol { " " (p) } }
                                td { (c.bytes) }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// Zones with their device counts, devices no rule places, and the drift
/// alerts against the approved policy (its zones file; the built-in zones
/// when none is approved).
async fn segmentation_summary(store: &medvigil_store::TenantStore<'_>) -> Result<Markup, ApiError> {
    use crate::api::segmentation::{ZoneFilter, alerts, members};
    let (policy, drift) = alerts(store).await?;
    let (zones, placed) = members(store, &ZoneFilter::default()).await?;
    let count =
        |z: &medvigil_segment::ZoneName| placed.iter().filter(|m| m.zone == z.as_str()).count();
    let unassigned = count(&medvigil_segment::ZoneName::unassigned());
    let proposed = store
        .segmentation_policies()
        .await?
        .iter()
        .filter(|p| p.status == "proposed")
        .count();
    Ok(html! {
        h3 { "Segmentation" }
        p.kpis {
            @match &policy {
                Some(p) => span { "approved " a href=(format!("/segmentation/{}", p.number)) { "policy " (p.number) } @if p.enforced { " (enforced)" } @else { " (not enforced)" } },
                None => span { "no approved policy" },
            }
            span { a href="/segmentation/drift" { strong { (drift.len()) } " drift alerts" } }
            span { a href="/segmentation/zones?zone=unassigned" { strong { (unassigned) } " devices in no zone" } }
            @if proposed > 0 { span { a href="/segmentation" { strong { (proposed) } " proposals to review" } } }
        }
        table {
            caption { "Devices by zone" }
            thead { tr { th scope="col" { "zone" } th scope="col" { "devices" } } }
            tbody {
                @for z in zones.iter().filter(|z| count(z) > 0) {
                    tr { td { a href=(format!("/segmentation/zones?zone={}", super::layout::enc(z.as_str()))) { (z.as_str()) } } td { (count(z)) } }
                }
            }
        }
    })
}
