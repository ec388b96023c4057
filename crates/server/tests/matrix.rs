//! Every route × every role × own/other tenant: 2xx exactly where
//! `medvigil_auth::allowed` says so, 403 otherwise, 404 for another
//! tenant's object ids, 401 (API) or a redirect to the login page (web)
//! without credentials. Routes are rows of one table: new routes join it.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::{Method, StatusCode};
use common::{Auth, Fixture, Side, fixture, username};
use medvigil_auth::{Action, Role, allowed};
use serde_json::{Value, json};

/// What a route needs.
#[derive(Clone, Copy, Debug)]
enum Need {
    /// This action of the permission matrix.
    Action(Action),
    /// Any authenticated user (its own account: session, tokens).
    AnyUser,
    /// Anyone, even without credentials (documentation, assets).
    Public,
}

/// JSON API or web page (they answer an anonymous caller differently).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Api,
    Page,
    /// A page's form with a file (multipart; the CSRF part is added).
    Upload,
}

/// Which tenant's objects a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Objects {
    /// The path names no object: run once.
    None,
    /// Run with the caller's tenant's object, then the other tenant's.
    Tenant,
}

struct Route {
    method: Method,
    kind: Kind,
    need: Need,
    objects: Objects,
    /// The path for objects of `side`, made for caller `user`.
    path: fn(&Ctx<'_>) -> String,
    /// JSON body (API) or form fields (pages; the CSRF field is added).
    body: Option<fn(&Ctx<'_>) -> Value>,
}

struct Ctx<'a> {
    f: &'a Fixture,
    side: Side,
    /// The caller's role.
    role: Role,
    n: usize,
    /// A fresh token id of the caller (for revocation), when needed.
    token: String,
}

impl Ctx<'_> {
    fn device(&self) -> &str {
        &self.f.seeded[&self.side].devices[1]
    }
    fn remediation(&self) -> &str {
        &self.f.seeded[&self.side].remediation
    }
    /// The caller's tenant's approved policy (1), or a number only the
    /// other tenant has.
    fn policy(&self) -> u32 {
        match self.side {
            Side::A => 1,
            Side::B => self.f.seeded[&Side::B].policies,
        }
    }
    /// A seeded proposal of A that only this role decides (a decision is
    /// taken once), or B's policy: `(admin's, network's)`.
    fn proposal(&self, numbers: (u32, u32)) -> u32 {
        match (self.side, self.role) {
            (Side::B, _) => self.policy(),
            (Side::A, Role::Network) => numbers.1,
            (Side::A, _) => numbers.0,
        }
    }
    /// The policy approved when this role's enforcement row runs: roles
    /// run in `Role::ALL` order (admin before network), rows in table
    /// order, and each approval row makes its policy the approved one.
    fn approved(&self, numbers: (u32, u32)) -> u32 {
        self.proposal(numbers)
    }
    fn subject(&self) -> &str {
        &self.f.seeded[&self.side].subject
    }
}

/// The table: method, kind, what it needs, whether it names a tenant's
/// objects, the path, the body. A new route is one more row.
#[rustfmt::skip]
fn routes() -> Vec<Route> {
    use Kind::{Api, Page, Upload};
    use Need::{Action as A, AnyUser, Public};
    use Objects::{None as Plain, Tenant};
    let r = |method, kind, need, objects, path, body| Route { method, kind, need, objects, path, body };
    vec![
        r(Method::GET, Api, A(Action::ReadInventory), Plain, |_| "/api/v1/devices".into(), None),
        r(Method::GET, Api, A(Action::ReadInventory), Tenant, |c| format!("/api/v1/devices/{}", c.device()), None),
        r(Method::GET, Api, A(Action::ReadFindings), Plain, |_| "/api/v1/findings".into(), None),
        r(Method::POST, Api, A(Action::WriteInventory), Plain, |_| "/api/v1/imports/inventory?file_name=m.csv".into(),
            Some(|c| json!(format!("asset_tag,vendor,model\nM-{},Philips,IntelliVue MX450\n", c.n)))),
        r(Method::GET, Api, A(Action::WriteInventory), Plain, |_| "/api/v1/imports".into(), None),
        r(Method::POST, Api, A(Action::ManageFeeds), Plain, |_| "/api/v1/feeds/demo/sync".into(), None),
        r(Method::GET, Api, A(Action::ReadRisk), Plain, |_| "/api/v1/risk".into(), None),
        r(Method::GET, Api, A(Action::ReadRisk), Plain, |_| "/api/v1/risk/history?days=30".into(), None),
        r(Method::GET, Api, A(Action::ReadRemediation), Plain, |_| "/api/v1/remediations".into(), None),
        r(Method::POST, Api, A(Action::WriteRemediation), Tenant, |_| "/api/v1/remediations".into(),
            Some(|c| json!({ "device": c.device(), "vulnerability": format!("CVE-2026-{:04}", c.n) }))),
        r(Method::POST, Api, A(Action::WriteRemediation), Tenant, |c| format!("/api/v1/remediations/{}/events", c.remediation()),
            Some(|_| json!({ "kind": "comment", "text": "checked with the ward" }))),
        // Segmentation. Seeded in A: policy 1 approved, 2..=9 proposed. The
        // enforcement rows come before the approvals (see `Ctx::approved`):
        // admin enforces 1, approves 2 and rejects 4 (API), enforces 2,
        // approves 6, rejects 8 (web); network then enforces 6, approves
        // 3, rejects 5 (API), enforces 3, approves 7, rejects 9 (web).
        r(Method::GET, Api, A(Action::ReadFlows), Plain, |_| "/api/v1/segmentation/policies".into(), None),
        r(Method::POST, Api, A(Action::ManageSegmentation), Plain, |_| "/api/v1/segmentation/policies".into(),
            Some(|c| json!({ "note": format!("matrix {}", c.n) }))),
        r(Method::GET, Api, A(Action::ReadFlows), Tenant, |c| format!("/api/v1/segmentation/policies/{}", c.policy()), None),
        r(Method::POST, Api, A(Action::ManageSegmentation), Tenant, |c| format!("/api/v1/segmentation/policies/{}/enforcement", c.approved((1, 6))),
            Some(|_| json!({ "enforced": true }))),
        r(Method::POST, Api, A(Action::ManageSegmentation), Tenant, |c| format!("/api/v1/segmentation/policies/{}/decision", c.proposal((2, 3))),
            Some(|_| json!({ "decision": "approve", "comment": "reviewed with the ward" }))),
        r(Method::POST, Api, A(Action::ManageSegmentation), Tenant, |c| format!("/api/v1/segmentation/policies/{}/decision", c.proposal((4, 5))),
            Some(|_| json!({ "decision": "reject", "comment": "PACS missing" }))),
        r(Method::GET, Api, A(Action::ManageSegmentation), Tenant, |c| format!("/api/v1/segmentation/policies/{}/export?format=cisco", c.policy()), None),
        r(Method::GET, Api, A(Action::ReadFlows), Plain, |_| "/api/v1/segmentation/zones?zone=imaging".into(), None),
        r(Method::GET, Api, A(Action::ReadFlows), Plain, |_| "/api/v1/segmentation/drift".into(), None),
        r(Method::POST, Api, A(Action::UploadCapture), Plain, |_| "/api/v1/discovery/batches".into(),
            Some(|c| json!({ "batch_id": format!("00000000-0000-4000-8000-{:012}", c.n), "sensor": "ward-3",
                "devices": [{ "mac": format!("02:00:00:00:{:02x}:{:02x}", (c.n >> 8) & 0xff, c.n & 0xff), "ip": "10.1.2.3" }] }))),
        r(Method::GET, Api, A(Action::ReadAdvisories), Plain, |_| "/api/v1/advisories".into(), None),
        r(Method::GET, Api, A(Action::ReadAudit), Plain, |_| "/api/v1/audit".into(), None),
        r(Method::GET, Api, A(Action::ManageUsers), Plain, |_| "/api/v1/users".into(), None),
        r(Method::POST, Api, A(Action::ManageUsers), Plain, |_| "/api/v1/users".into(),
            Some(|c| json!({ "username": format!("new-{}", c.n), "role": "biomed", "password": "Granite-Harbour-Lantern-9" }))),
        r(Method::PATCH, Api, A(Action::ManageUsers), Tenant, |c| format!("/api/v1/users/{}", c.subject()),
            Some(|_| json!({ "role": "biomed", "disabled": false, "unlock": true }))),
        r(Method::GET, Api, AnyUser, Plain, |_| "/api/v1/tokens".into(), None),
        r(Method::POST, Api, AnyUser, Plain, |_| "/api/v1/tokens".into(), Some(|_| json!({ "expires_days": 7 }))),
        r(Method::DELETE, Api, AnyUser, Tenant, |c| format!("/api/v1/tokens/{}", c.token), None),
        r(Method::GET, Api, AnyUser, Plain, |_| "/api/v1/session".into(), None),
        // Web pages.
        r(Method::GET, Page, AnyUser, Plain, |_| "/".into(), None),
        r(Method::GET, Page, A(Action::ReadInventory), Plain, |_| "/devices".into(), None),
        r(Method::GET, Page, A(Action::ReadInventory), Tenant, |c| format!("/devices/{}", c.device()), None),
        r(Method::GET, Page, A(Action::ReadRemediation), Plain, |_| "/remediations".into(), None),
        r(Method::POST, Page, A(Action::WriteRemediation), Tenant, |_| "/remediations".into(),
            Some(|c| json!({ "device": c.device(), "vulnerability": format!("CVE-2027-{:04}", c.n), "action": "update" }))),
        r(Method::POST, Page, A(Action::WriteRemediation), Tenant, |c| format!("/remediations/{}/events", c.remediation()),
            Some(|_| json!({ "kind": "comment", "text": "seen on the ward" }))),
        r(Method::GET, Page, A(Action::ReadFlows), Plain, |_| "/segmentation".into(), None),
        r(Method::POST, Page, A(Action::ManageSegmentation), Plain, |_| "/segmentation".into(),
            Some(|c| json!({ "note": format!("web {}", c.n), "zones_toml": "" }))),
        r(Method::GET, Page, A(Action::ReadFlows), Plain, |_| "/segmentation/drift".into(), None),
        r(Method::GET, Page, A(Action::ReadFlows), Plain, |_| "/segmentation/zones".into(), None),
        r(Method::GET, Page, A(Action::ReadFlows), Tenant, |c| format!("/segmentation/{}", c.policy()), None),
        r(Method::GET, Page, A(Action::ReadFlows), Tenant, |c| format!("/segmentation/{}/zones?zone=imaging", c.policy()), None),
        r(Method::POST, Page, A(Action::ManageSegmentation), Tenant, |c| format!("/segmentation/{}/enforcement", c.approved((2, 3))),
            Some(|_| json!({ "enforced": "true" }))),
        r(Method::POST, Page, A(Action::ManageSegmentation), Tenant, |c| format!("/segmentation/{}/decision", c.proposal((6, 7))),
            Some(|_| json!({ "decision": "approve", "comment": "ok" }))),
        r(Method::POST, Page, A(Action::ManageSegmentation), Tenant, |c| format!("/segmentation/{}/decision", c.proposal((8, 9))),
            Some(|_| json!({ "decision": "reject", "comment": "" }))),
        r(Method::GET, Page, A(Action::WriteInventory), Plain, |_| "/imports".into(), None),
        r(Method::POST, Upload, A(Action::WriteInventory), Plain, |_| "/imports/inventory".into(),
            Some(|c| json!({ "file": format!("asset_tag,vendor,model\nW-{},Philips,IntelliVue MX450\n", c.n), "site": "" }))),
        r(Method::POST, Page, A(Action::ManageFeeds), Plain, |_| "/imports/feeds/demo/sync".into(), Some(|_| json!({}))),
        r(Method::GET, Page, A(Action::ManageUsers), Plain, |_| "/admin/users".into(), None),
        r(Method::POST, Page, A(Action::ManageUsers), Plain, |_| "/admin/users".into(),
            Some(|c| json!({ "username": format!("web-{}", c.n), "role": "auditor", "password": "Granite-Harbour-Lantern-9" }))),
        r(Method::POST, Page, A(Action::ManageUsers), Tenant, |c| format!("/admin/users/{}", c.subject()),
            Some(|_| json!({ "role": "biomed", "disabled": "false" }))),
        r(Method::GET, Page, A(Action::ReadAudit), Plain, |_| "/admin/audit".into(), None),
        r(Method::GET, Page, AnyUser, Plain, |_| "/tokens".into(), None),
        r(Method::POST, Page, AnyUser, Plain, |_| "/tokens".into(), Some(|_| json!({ "expires_days": "7" }))),
        r(Method::POST, Page, AnyUser, Tenant, |c| format!("/tokens/{}/revoke", c.token), Some(|_| json!({}))),
        // Public.
        r(Method::GET, Api, Public, Plain, |_| "/api/v1/openapi.json".into(), None),
        r(Method::GET, Page, Public, Plain, |_| "/api/docs".into(), None),
        r(Method::GET, Page, Public, Plain, |_| "/static/medvigil.css".into(), None),
    ]
}

fn is_allowed(need: Need, role: Role) -> bool {
    match need {
        Need::Action(a) => allowed(role, a),
        Need::AnyUser | Need::Public => true,
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

async fn fresh_token(f: &Fixture, side: Side, role: Role) -> String {
    let owner = f
        .store
        .user_by_username(&username(role, side))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("user"));
    let t = f.store.tenant(owner.tenant);
    let id = format!("tok{:09}", COUNTER.fetch_add(1, Ordering::Relaxed));
    t.insert_token(&medvigil_store::ApiTokenRecord {
        id: id.clone(),
        hash: "00".repeat(32),
        user: owner.id,
        scopes: vec![],
        created_at: time::OffsetDateTime::now_utc(),
        expires_at: None,
        revoked_at: None,
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    id
}

async fn send(f: &Fixture, route: &Route, ctx: &Ctx<'_>, auth: &Auth) -> common::Reply {
    let path = (route.path)(ctx);
    let body = route.body.map(|b| b(ctx));
    match (route.kind, body) {
        (Kind::Page, Some(fields)) => {
            let mut pairs: Vec<(String, String)> = fields
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let mut req = axum::http::Request::builder()
                .method(route.method.clone())
                .uri(&path)
                .header("content-type", "application/x-www-form-urlencoded");
            if let Auth::Session { cookie, csrf } = auth {
                pairs.push(("csrf".into(), csrf.clone()));
                req = req.header("cookie", format!("medvigil_session={cookie}"));
            }
            let form = pairs
                .iter()
                .map(|(k, v)| format!("{k}={}", urlencode(v)))
                .collect::<Vec<_>>()
                .join("&");
            f.send(
                req.body(axum::body::Body::from(form))
                    .unwrap_or_else(|e| panic!("{e}")),
            )
            .await
        }
        (Kind::Upload, Some(fields)) => {
            let mut parts: Vec<(String, String)> = fields
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let mut req = axum::http::Request::builder()
                .method(route.method.clone())
                .uri(&path);
            if let Auth::Session { cookie, csrf } = auth {
                parts.insert(0, ("csrf".into(), csrf.clone()));
                req = req.header("cookie", format!("medvigil_session={cookie}"));
            }
            let (content_type, body) = common::multipart(&parts);
            f.send(
                req.header("content-type", content_type)
                    .body(axum::body::Body::from(body))
                    .unwrap_or_else(|e| panic!("{e}")),
            )
            .await
        }
        (_, body) => f.call(route.method.clone(), &path, auth, body).await,
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_every_role_own_and_other_tenant() {
    let f = fixture().await;
    let routes = routes();
    let mut checked = 0;
    for role in Role::ALL {
        let auth = f.login(&username(role, Side::A)).await;
        for route in &routes {
            let sides: &[Side] = match route.objects {
                Objects::None => &[Side::A],
                Objects::Tenant => &[Side::A, Side::B],
            };
            for &side in sides {
                let token = fresh_token(&f, side, role).await;
                let ctx = Ctx {
                    f: &f,
                    side,
                    role,
                    n: COUNTER.fetch_add(1, Ordering::Relaxed),
                    token,
                };
                let r = send(&f, route, &ctx, &auth).await;
                let what = format!(
                    "{role} {} {} ({side:?} objects): {} {}",
                    route.method,
                    (route.path)(&ctx),
                    r.status,
                    r.text().chars().take(200).collect::<String>()
                );
                if !is_allowed(route.need, role) {
                    assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}");
                } else if side == Side::B {
                    assert_eq!(r.status, StatusCode::NOT_FOUND, "{what}");
                } else {
                    assert!(
                        r.status.is_success() || r.status == StatusCode::SEE_OTHER,
                        "{what}"
                    );
                }
                if route.method != Method::GET && role == Role::Auditor {
                    assert!(
                        !r.status.is_success() || route_is_own_account(route),
                        "auditor wrote: {what}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "{checked}");
}

/// Routes on the caller's own account (its tokens), open to every role.
fn route_is_own_account(route: &Route) -> bool {
    matches!(route.need, Need::AnyUser | Need::Public)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_credentials_api_answers_401_and_pages_redirect_to_login() {
    let f = fixture().await;
    for route in routes() {
        let ctx = Ctx {
            f: &f,
            side: Side::A,
            role: Role::Auditor,
            n: 0,
            token: "tok000000000".into(),
        };
        let r = send(&f, &route, &ctx, &Auth::None).await;
        let what = format!("{} {}: {}", route.method, (route.path)(&ctx), r.status);
        if matches!(route.need, Need::Public) {
            assert_eq!(r.status, StatusCode::OK, "{what}");
            continue;
        }
        match route.kind {
            Kind::Api => {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{what}");
                assert_eq!(r.json()["error"]["code"], "unauthenticated", "{what}");
            }
            Kind::Page | Kind::Upload => {
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}");
                assert_eq!(
                    r.headers.get("location").and_then(|v| v.to_str().ok()),
                    Some("/login"),
                    "{what}"
                );
            }
        }
    }
}

async fn ids(f: &Fixture, auth: &Auth, path: &str) -> Vec<String> {
    let r = f.call(Method::GET, path, auth, None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    let body = r.json();
    assert!(body["total"].as_u64().is_some(), "{path}: total");
    body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["id"].as_str().or(i["device"].as_str()).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_biomed_of_a_never_sees_b_in_any_list() {
    let f = fixture().await;
    let auth = f.login(&username(Role::Biomed, Side::A)).await;
    let own = &f.seeded[&Side::A];
    let other = &f.seeded[&Side::B];
    let devices = ids(&f, &auth, "/api/v1/devices?per_page=500").await;
    assert_eq!(devices.len(), own.devices.len());
    assert!(devices.iter().all(|d| own.devices.contains(d)));
    assert!(devices.iter().all(|d| !other.devices.contains(d)));
    for path in [
        "/api/v1/remediations?per_page=500",
        "/api/v1/findings?per_page=500",
        "/api/v1/risk?per_page=500",
        "/api/v1/advisories?per_page=500",
        "/api/v1/tokens?per_page=500",
    ] {
        for id in ids(&f, &auth, path).await {
            assert!(!other.devices.contains(&id), "{path}: {id}");
            assert_ne!(id, other.remediation, "{path}");
        }
    }
    let rem = ids(&f, &auth, "/api/v1/remediations").await;
    assert_eq!(rem, std::slice::from_ref(&own.remediation));
    // A search naming B's device finds nothing.
    let r = f
        .call(
            Method::GET,
            &format!("/api/v1/devices?q={}", other.devices[0]),
            &auth,
            None,
        )
        .await;
    assert_eq!(r.json()["total"], 0);
    // Nor does the device page or the HTML list.
    let page = f
        .call(Method::GET, "/devices?per_page=500", &auth, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        other
            .devices
            .iter()
            .all(|d| !page.text().contains(d.as_str()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_researcher_sees_only_its_own_tokens() {
    let f = fixture().await;
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    let researcher = f.login(&username(Role::Researcher, Side::A)).await;
    for auth in [&admin, &researcher] {
        let r = f
            .call(Method::POST, "/api/v1/tokens", auth, Some(json!({})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let mine = f
        .call(Method::GET, "/api/v1/tokens", &researcher, None)
        .await;
    assert_eq!(mine.json()["total"], 1, "{}", mine.text());
    let scopes = &mine.json()["items"][0]["scopes"];
    assert_eq!(scopes, &json!(["submit_report", "read_own_reports"]));
    let all = f.call(Method::GET, "/api/v1/tokens", &admin, None).await;
    assert_eq!(all.json()["total"], 2);
    // The researcher cannot revoke the admin's token.
    let admin_token = all.json()["items"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|t| t["scopes"].as_array().is_some_and(|s| s.len() > 2))
        })
        .and_then(|t| t["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let r = f
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{admin_token}"),
            &researcher,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_filter_and_sort() {
    let f = fixture().await;
    let auth = f.login(&username(Role::Ciso, Side::A)).await;
    let r = f
        .call(
            Method::GET,
            "/api/v1/devices?per_page=7&page=2&sort=-asset_tag",
            &auth,
            None,
        )
        .await;
    let body = r.json();
    assert_eq!(
        (body["page"].as_u64(), body["per_page"].as_u64()),
        (Some(2), Some(7))
    );
    assert_eq!(
        body["total"].as_u64(),
        Some(f.seeded[&Side::A].devices.len() as u64)
    );
    let tags: Vec<&str> = body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["asset_tag"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(tags.len(), 7);
    assert!(tags.windows(2).all(|w| w[0] >= w[1]), "{tags:?}");
    let bad = f
        .call(Method::GET, "/api/v1/devices?sort=password", &auth, None)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], "bad_request");
    let bad = f
        .call(Method::GET, "/api/v1/devices?class=IV", &auth, None)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let class = f
        .call(
            Method::GET,
            "/api/v1/devices?class=IIb&per_page=500",
            &auth,
            None,
        )
        .await;
    assert!(
        class.json()["items"]
            .as_array()
            .is_some_and(|a| a.iter().all(|d| d["eu_class"] == "IIb"))
    );
}
