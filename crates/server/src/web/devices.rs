//! The device list (search, filters, pages) and the device page (identity
//! with the provenance of each field, findings with evidence, risk with
//! reasons, remediation history).

use axum::extract::{Path, Query, State};
use maud::html;
use medvigil_auth::Action;
use medvigil_model::{Category, EuClass};

use super::layout::{page, pager};
use super::{PageResult, WebCaller};
use crate::AppState;
use crate::api::devices::{DeviceFilter, detail, select};
use crate::paging::Paging;

/// `GET /devices`.
pub(crate) async fn list(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Query(filter): Query<DeviceFilter>,
    Query(paging): Query<Paging>,
) -> PageResult {
    let store = caller.require(&state, Action::ReadInventory)?;
    let sites = store.sites().await?;
    let result = select(&store, &filter, &paging).await?;
    let query = [
        ("q", filter.q.clone()),
        ("site", filter.site.clone()),
        ("category", filter.category.clone()),
        ("class", filter.class.clone()),
        ("sort", filter.sort.clone()),
    ];
    let selected = |a: &Option<String>, b: &str| a.as_deref() == Some(b);
    let body = html! {
        h1 { "Devices" }
        form.filters method="get" action="/devices" {
            input type="search" name="q" placeholder="vendor, model, serial, tag, IP, MAC…" value=[filter.q.as_deref()];
            select name="site" {
                option value="" { "every site" }
                @for s in &sites { option value=(s.name) selected[selected(&filter.site, &s.name)] { (s.name) } }
            }
            select name="category" {
                option value="" { "every category" }
                @for c in Category::ALL { option value=(c.as_str()) selected[selected(&filter.category, c.as_str())] { (c.as_str()) } }
            }
            select name="class" {
                option value="" { "every class" }
                @for c in EuClass::ALL { option value=(c.to_string()) selected[selected(&filter.class, &c.to_string())] { (c.to_string()) } }
            }
            select name="sort" {
                @for (v, l) in [("asset_tag", "asset tag"), ("vendor", "vendor"), ("site", "site"), ("class", "class"), ("end_of_support", "end of support"), ("-last_seen", "last seen")] {
                    option value=(v) selected[selected(&filter.sort, v)] { "sort: " (l) }
                }
            }
            button type="submit" { "Filter" }
        }
        table.list {
            thead { tr { th { "asset tag" } th { "vendor / model" } th { "category" } th { "class" } th { "site / ward" } th { "software" } th { "end of support" } } }
            tbody {
                @for d in &result.items {
                    tr {
                        td { a href=(format!("/devices/{}", d.id)) { (d.asset_tag.clone().unwrap_or_else(|| d.id.clone())) } }
                        td { (d.vendor.clone().unwrap_or_default()) " " (d.model.clone().unwrap_or_default()) }
                        td { (d.category.clone().unwrap_or_default()) }
                        td { (d.eu_class.clone().unwrap_or_default()) }
                        td { (d.site.clone().unwrap_or_default()) " " (d.ward.clone().unwrap_or_default()) }
                        td { (d.software_version.clone().unwrap_or_default()) }
                        td { (d.end_of_support.clone().unwrap_or_default()) }
                    }
                }
            }
        }
        (pager("/devices", &query, result.page, result.per_page, result.total))
    };
    Ok(page(&state, &caller, "Devices", "/devices", body))
}

/// `GET /devices/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    WebCaller(caller): WebCaller,
    Path(id): Path<String>,
) -> PageResult {
    let d = detail(&state, &caller, &id).await?;
    let csrf = caller.csrf(&state).unwrap_or_default();
    let name = format!(
        "{} {}",
        d.device.vendor.clone().unwrap_or_default(),
        d.device.model.clone().unwrap_or_default()
    );
    let body = html! {
        h1 { (d.device.asset_tag.clone().unwrap_or_else(|| d.device.id.clone())) " " small { (name) } }
        section.card {
            h2 { "Identity" }
            table {
                thead { tr { th { "field" } th { "value" } th { "source" } th { "by" } th { "when" } } }
                tbody {
                    @for f in &d.fields {
                        tr {
                            td { (f.field) }
                            td { (f.value) }
                            td { (f.source.clone().unwrap_or_default()) @if let Some(x) = &f.detail { " (" (x) ")" } }
                            td { (f.actor.clone().unwrap_or_default()) }
                            td { (f.at.clone().unwrap_or_default()) }
                        }
                    }
                }
            }
            p.muted { "First recorded " (d.first_seen) ", last " (d.device.last_seen) "." }
        }
        @if let Some(risk) = &d.risk {
            section.card {
                h2 { "Risk" }
                @if let Some(p) = risk["risk"]["priority"].as_str() { p { "Priority " span class=(format!("prio {p}")) { (p) } } }
                @let assessments = risk["assessments"].as_array().cloned().unwrap_or_default();
                @if assessments.is_empty() { p { "No affected finding." } }
                ul {
                    @for a in &assessments {
                        li { strong { (a["vuln_id"].as_str().unwrap_or("")) " " (a["priority"].as_str().unwrap_or("")) } " — " (a["reason"].as_str().unwrap_or("")) }
                    }
                }
            }
        }
        @if let Some(findings) = &d.findings {
            section.card {
                h2 { "Findings" }
                @if findings.is_empty() { p { "No finding." } }
                table {
                    @if !findings.is_empty() { thead { tr { th { "vulnerability" } th { "status" } th { "advisory" } th { "confidence" } th { "evidence" } } } }
                    tbody {
                        @for f in findings {
                            tr {
                                td { (f["vulnerability"].as_str().unwrap_or("")) @if f["kev"] == true { " " span.kev { "KEV" } } }
                                td { (f["status"].as_str().unwrap_or("")) }
                                td { (f["advisory"].as_str().unwrap_or("")) }
                                td { (f["confidence"]) }
                                td { code { (f["evidence"].to_string().chars().take(300).collect::<String>()) } }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(rems) = &d.remediations {
            section.card {
                h2 { "Remediation history" }
                @if rems.is_empty() { p { "None planned." } }
                @for r in rems {
                    article.remediation {
                        h3 { (r.remediation["action"].as_str().unwrap_or("")) " · " (r.remediation["vulnerability"].as_str().unwrap_or("whole device"))
                            " · " (r.remediation["status"].as_str().unwrap_or("")) }
                        ol.trail {
                            @for e in &r.trail {
                                li { (e["at"].as_str().unwrap_or("")) " " strong { (e["actor"].as_str().unwrap_or("")) } " " (step(e)) }
                            }
                        }
                    }
                }
                @if caller.may(Action::WriteRemediation) {
                    form.inline method="post" action="/remediations" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="device" value=(d.device.id);
                        input name="vulnerability" placeholder="CVE (empty: whole device)";
                        select name="action" { @for a in medvigil_model::Action::ALL { option value=(a.as_str()) { (a.as_str()) } } }
                        input name="due" type="date";
                        button type="submit" { "Plan a remediation" }
                    }
                }
            }
        }
    };
    Ok(page(&state, &caller, "Device", "/devices", body))
}

/// One trail entry's event (flattened into the entry beside `seq`, `at`
/// and `actor`): its kind, then its fields as `name: value`.
fn step(entry: &serde_json::Value) -> String {
    let mut out = entry["kind"].as_str().unwrap_or("").to_owned();
    if let Some(fields) = entry.as_object() {
        for (k, v) in fields {
            if matches!(k.as_str(), "seq" | "at" | "actor" | "kind") || v.is_null() {
                continue;
            }
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            out.push_str(&format!(" · {k}: {v}"));
        }
    }
    out
}
