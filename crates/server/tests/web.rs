//! The web UI: the overview and navigation follow the role, the device
//! page shows where each field came from, logout ends the session; the
//! CLI's account functions apply the API's checks.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Auth, Side, fixture, username};
use medvigil_auth::{PasswordParams, Role};

async fn page(f: &common::Fixture, auth: &Auth, path: &str) -> String {
    let r = f.call(Method::GET, path, auth, None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    assert!(
        r.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
    );
    r.text()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overview_and_navigation_follow_the_role() {
    let f = fixture().await;
    let cases = [
        (
            Role::Ciso,
            &["Patient-safety risk", "<svg"][..],
            &["Fleet", "href=\"/admin/users\""][..],
        ),
        (
            Role::Biomed,
            &["Fleet", "<svg", "past end of support"][..],
            &[
                "Patient-safety risk",
                "href=\"/admin/audit\"",
                "href=\"/segmentation\"",
            ][..],
        ),
        (
            Role::Network,
            &[
                "Network",
                "devices not classified",
                "href=\"/segmentation\"",
                "drift alerts",
                "devices in no zone",
            ][..],
            &["Fleet", "href=\"/remediations\""][..],
        ),
        (
            Role::Auditor,
            &[
                "Patient-safety risk",
                "Fleet",
                "Network",
                "href=\"/admin/audit\"",
            ][..],
            &["href=\"/admin/users\""][..],
        ),
        (
            Role::Admin,
            &["href=\"/admin/users\"", "href=\"/admin/audit\""][..],
            &[][..],
        ),
        (
            Role::Researcher,
            &["no dashboard", "href=\"/tokens\""][..],
            &["href=\"/devices\""][..],
        ),
    ];
    for (role, has, lacks) in cases {
        let auth = f.login(&username(role, Side::A)).await;
        let html = page(&f, &auth, "/").await;
        for s in has {
            assert!(html.contains(s), "{role}: '{s}' missing");
        }
        for s in lacks {
            assert!(!html.contains(s), "{role}: '{s}' shown");
        }
        assert!(!html.contains("<script"), "no JavaScript");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_pages_show_provenance_and_lists_filter() {
    let f = fixture().await;
    let auth = f.login(&username(Role::Biomed, Side::A)).await;
    let device = &f.seeded[&Side::A].devices[0];
    let html = page(&f, &auth, &format!("/devices/{device}")).await;
    for s in [
        "Identity",
        "cmms_import",
        "Hospital A.csv",
        "Remediation history",
        "CVE-2026-0001",
        "Plan a remediation",
    ] {
        assert!(html.contains(s), "'{s}' missing");
    }
    // The network specialist reads the inventory but not findings or remediation.
    let network = f.login(&username(Role::Network, Side::A)).await;
    let html = page(&f, &network, &format!("/devices/{device}")).await;
    assert!(html.contains("Identity") && !html.contains("Remediation history"));
    // Search, filters, paging keep each other.
    let html = page(&f, &auth, "/devices?per_page=5&class=IIb").await;
    assert!(html.contains("page 1 of"));
    let html = page(&f, &auth, "/remediations").await;
    assert!(html.contains("CVE-2026-0001") && html.contains("Record"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_form_logs_in_and_logout_ends_the_session() {
    let f = fixture().await;
    let auth = f.login(&username(Role::Ciso, Side::A)).await;
    let Auth::Session { cookie, csrf } = &auth else {
        panic!("session")
    };
    let logout = |csrf: String| {
        Request::builder()
            .method(Method::POST)
            .uri("/logout")
            .header(header::COOKIE, format!("medvigil_session={cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={csrf}")))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(
        f.send(logout("forged".into())).await.status,
        StatusCode::FORBIDDEN
    );
    let r = f.send(logout(csrf.clone())).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], "/login");
    let r = f.call(Method::GET, "/", &auth, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "logged out");
    let r = f
        .call(Method::GET, "/static/medvigil.css", &Auth::None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("--p1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_account_functions_apply_the_same_checks() {
    let f = fixture().await;
    let owner = f
        .store
        .user_by_username(&username(Role::Admin, Side::A))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("admin"));
    let t = f.store.tenant(owner.tenant);
    let params = PasswordParams::INSECURE_TEST_ONLY;
    let weak = medvigil_server::admin::add_user(
        &t,
        "carol",
        None,
        Role::Biomed,
        "password1234",
        params,
        "cli",
    )
    .await;
    assert!(weak.is_err_and(|e| e.status == StatusCode::UNPROCESSABLE_ENTITY));
    let carol = medvigil_server::admin::add_user(
        &t,
        "Carol",
        Some("carol@chu.example"),
        Role::Biomed,
        "Maple-Signal-Harvest-3",
        params,
        "cli",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(carol.username, "carol");
    let beyond = medvigil_server::admin::create_token(
        &t,
        "carol",
        Some(vec!["read_audit".into()]),
        None,
        "cli",
    )
    .await;
    assert!(beyond.is_err());
    let (secret, record) = medvigil_server::admin::create_token(
        &t,
        "carol",
        Some(vec!["read_inventory".into()]),
        Some(5),
        "cli",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(record.scopes, ["read_inventory"]);
    let r = f
        .call(Method::GET, "/api/v1/devices", &Auth::Bearer(secret), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let (log, _) = t.audit(50, 0).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        log.iter()
            .any(|e| e.actor == "cli" && e.action == "user_created")
    );
    assert!(
        log.iter()
            .any(|e| e.actor == "cli" && e.action == "token_created")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ciso_sees_the_risk_trend_recorded_day_by_day() {
    let f = fixture().await;
    let auth = f.login(&username(Role::Ciso, Side::A)).await;
    let tenant = f
        .store
        .find_tenant("Hospital A")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let t = f.store.tenant(tenant.id);
    // Nothing recorded yet: the page says how the trend comes about.
    let html = page(&f, &auth, "/").await;
    assert!(html.contains("No day recorded yet"), "{html}");
    // Today's picture, as the server's hourly recorder takes it, agrees
    // with the report's own count of the same tenant.
    let policy = medvigil_risk::Policy::default();
    let now = time::OffsetDateTime::now_utc();
    let today = now.date();
    let day = medvigil_intel::history::record_day(&t, &policy, today)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let input = medvigil_intel::report::input(&t, "Hospital A", None, &policy, now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(medvigil_intel::history::day_of(&input, today), day);
    assert_eq!(day.open_remediations, 1, "{day:?}");
    let html = page(&f, &auth, "/").await;
    assert!(html.contains("the first day recorded is"), "{html}");
    // Earlier days (as recorded then) make a chart; the API serves them.
    for (back, p1) in [(2, 7), (1, 5)] {
        let mut earlier = day.clone();
        earlier.day = today - time::Duration::days(back);
        earlier.by_priority[0] = p1;
        t.record_risk_day(&earlier)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let html = page(&f, &auth, "/").await;
    assert!(
        html.contains("aria-labelledby=\"trend-title trend-desc\""),
        "{html}"
    );
    assert!(
        html.contains(&format!("devices at P1 7 → {}", day.by_priority[0])),
        "{html}"
    );
    let r = f
        .call(Method::GET, "/api/v1/risk/history?days=30", &auth, None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let days = r.json();
    let days = days.as_array().unwrap_or_else(|| panic!("{}", r.text()));
    assert_eq!(days.len(), 3);
    assert_eq!(days[0]["p1"], 7);
    assert_eq!(days[2]["day"], today.to_string());
    let r = f
        .call(Method::GET, "/api/v1/risk/history?days=0", &auth, None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // The other hospital group sees none of it.
    let theirs = f.login(&username(Role::Ciso, Side::B)).await;
    let r = f
        .call(Method::GET, "/api/v1/risk/history", &theirs, None)
        .await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(0), "{}", r.text());
}
