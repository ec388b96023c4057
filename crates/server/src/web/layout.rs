//! The page frame: head, navigation by role, the logout form.

use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use medvigil_auth::Action;

use crate::AppState;
use crate::auth::Caller;

/// A page with the navigation of `caller`'s role.
pub(crate) fn page(
    state: &AppState,
    caller: &Caller,
    title: &str,
    active: &str,
    body: Markup,
) -> Response {
    let links: [(&str, &str, Option<Action>); 8] = [
        ("/", "Overview", None),
        ("/devices", "Devices", Some(Action::ReadInventory)),
        (
            "/remediations",
            "Remediation",
            Some(Action::ReadRemediation),
        ),
        ("/segmentation", "Segmentation", Some(Action::ReadFlows)),
        ("/imports", "Imports", Some(Action::WriteInventory)),
        ("/admin/users", "Users", Some(Action::ManageUsers)),
        ("/admin/audit", "Audit log", Some(Action::ReadAudit)),
        ("/tokens", "API tokens", None),
    ];
    let csrf = caller.csrf(state).unwrap_or_default();
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " — medvigil" }
                    link rel="stylesheet" href="/static/medvigil.css";
                }
                body {
                    header.top {
                        a.brand href="/" { "medvigil" }
                        nav {
                            @for (href, label, need) in links {
                                @if need.is_none_or(|a| caller.may(a)) {
                                    a href=(href) class=[(active == href).then_some("active")] { (label) }
                                }
                            }
                            a href="/api/docs" { "API" }
                        }
                        form.logout method="post" action="/logout" {
                            span.who { (caller.username) " · " (caller.role) }
                            input type="hidden" name="csrf" value=(csrf);
                            button type="submit" { "Log out" }
                        }
                    }
                    main { (body) }
                }
            }
        }
        .into_string(),
    )
    .into_response()
}

/// A page without navigation (login, errors).
pub(crate) fn bare(title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " — medvigil" }
                    link rel="stylesheet" href="/static/medvigil.css";
                }
                body.bare { main { (body) } }
            }
        }
        .into_string(),
    )
}

/// Previous / next links of a paged list, keeping the other query parameters.
pub(crate) fn pager(
    base: &str,
    query: &[(&str, Option<String>)],
    page: u64,
    per_page: u64,
    total: u64,
) -> Markup {
    let pages = total.div_ceil(per_page.max(1)).max(1);
    let link = |p: u64| {
        let mut parts: Vec<String> = query
            .iter()
            .filter_map(|(k, v)| {
                v.as_ref()
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", enc(v)))
            })
            .collect();
        parts.push(format!("page={p}"));
        parts.push(format!("per_page={per_page}"));
        format!("{base}?{}", parts.join("&"))
    };
    html! {
        nav.pager {
            @if page > 1 { a href=(link(page - 1)) { "← previous" } }
            span { "page " (page) " of " (pages) " · " (total) " in all" }
            @if page < pages { a href=(link(page + 1)) { "next →" } }
        }
    }
}

/// Percent-encoding for query values.
pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
