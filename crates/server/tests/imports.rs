//! Imports through the API and the browser's forms: a CMMS export (its
//! progress followed to the report, rejected cells named by line and
//! column, nothing written when it fails) and a feed synchronisation whose
//! advisories become findings; size limits; jobs stay in their tenant.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Auth, Fixture, Side, fixture, multipart, username};
use medvigil_auth::Role;
use serde_json::Value;

/// The demo's devices as a CMMS export, with one bad row at the end.
fn cmms_csv(devices: usize) -> String {
    let h = medvigil_demo::generate_scaled(devices, 42).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    medvigil_inventory::write_csv(&mut out, h.devices.iter().map(|d| (None, d)))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
    let header = text.lines().next().unwrap_or_default().to_owned();
    let columns = header.split(',').count();
    let class = header
        .split(',')
        .position(|c| c == "eu_class")
        .unwrap_or_else(|| panic!("no eu_class column in {header}"));
    let mut bad = vec![String::new(); columns];
    bad[0] = "BAD-1".into();
    bad[class] = "IV".into();
    text.push_str(&bad.join(","));
    text.push('\n');
    text
}

/// Polls `GET /api/v1/imports/{id}` until the job ends.
async fn finished(f: &Fixture, auth: &Auth, id: &str) -> Value {
    let start = Instant::now();
    loop {
        let r = f
            .call(Method::GET, &format!("/api/v1/imports/{id}"), auth, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let job = r.json();
        if job["state"] != "running" {
            return job;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "still running: {job}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn total(f: &Fixture, auth: &Auth) -> u64 {
    let r = f
        .call(Method::GET, "/api/v1/devices?per_page=1", auth, None)
        .await;
    r.json()["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("{}", r.text()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cmms_export_posted_to_the_api_is_imported_with_its_report() {
    let f = fixture().await;
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let before = total(&f, &biomed).await;
    let csv = cmms_csv(400);
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/imports/inventory?file_name=cmms-north.csv&site=North")
        .header(header::CONTENT_TYPE, "text/csv");
    let req = match &biomed {
        Auth::Session { cookie, csrf } => req
            .header(header::COOKIE, format!("medvigil_session={cookie}"))
            .header("x-csrf-token", csrf),
        _ => unreachable!(),
    };
    let r = f
        .send(req.body(Body::from(csv)).unwrap_or_else(|e| panic!("{e}")))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        r.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some(format!("/api/v1/imports/{id}").as_str())
    );
    let job = finished(&f, &biomed, &id).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["kind"], "inventory_csv");
    assert_eq!(job["subject"], "cmms-north.csv");
    let result = &job["result"];
    // The fixture holds the first 30 demo devices already: updated, not
    // created again.
    let created = result["created"].as_u64().unwrap_or(0);
    let updated = result["updated"].as_u64().unwrap_or(0);
    assert_eq!((created, updated), (370, 30), "{result}");
    assert_eq!(result["rejected_rows"], 1, "{result}");
    let error = &result["errors"][0];
    assert_eq!(error["column"], "eu_class", "{error}");
    assert_eq!(error["value"], "IV", "{error}");
    assert!(error["line"].as_u64().is_some_and(|l| l > 400), "{error}");
    assert_eq!(total(&f, &biomed).await, before + created);
    // The same file again changes nothing.
    let again = medvigil_server_again(&f, &biomed, cmms_csv(400)).await;
    assert_eq!(again["result"]["created"], 0, "{again}");
    assert_eq!(again["result"]["updated"], 0, "{again}");
    // Listed for the tenant, recorded in the audit log.
    let r = f.call(Method::GET, "/api/v1/imports", &biomed, None).await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(2), "{}", r.text());
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    let r = f
        .call(Method::GET, "/api/v1/audit?per_page=100", &admin, None)
        .await;
    assert!(r.text().contains("inventory_imported"), "{}", r.text());
    // Another tenant does not see the job; a role that may not import
    // neither starts nor reads one.
    let theirs = f.login(&username(Role::Admin, Side::B)).await;
    let r = f
        .call(Method::GET, &format!("/api/v1/imports/{id}"), &theirs, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = f.call(Method::GET, "/api/v1/imports", &theirs, None).await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(0));
    let ciso = f.login(&username(Role::Ciso, Side::A)).await;
    let r = f
        .call(Method::GET, &format!("/api/v1/imports/{id}"), &ciso, None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn medvigil_server_again(f: &Fixture, auth: &Auth, csv: String) -> Value {
    let Auth::Session { cookie, csrf } = auth else {
        unreachable!()
    };
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/imports/inventory?file_name=cmms-north.csv&site=North")
        .header(header::COOKIE, format!("medvigil_session={cookie}"))
        .header("x-csrf-token", csrf)
        .body(Body::from(csv))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f.send(req).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap_or_default().to_owned();
    finished(f, auth, &id).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_a_cmms_export_fails_and_writes_nothing() {
    let f = fixture().await;
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let before = total(&f, &biomed).await;
    let r = f
        .call(
            Method::POST,
            "/api/v1/imports/inventory?file_name=colours.csv",
            &biomed,
            Some(Value::String("Cost,Colour\n1,red\n".into())),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap_or_default().to_owned();
    let job = finished(&f, &biomed, &id).await;
    assert_eq!(job["state"], "failed", "{job}");
    let error = job["error"].as_str().unwrap_or_default();
    assert!(error.contains("colours.csv"), "{error}");
    assert_eq!(total(&f, &biomed).await, before);
    // An empty body is refused at once; a body announced over the limit
    // is refused before it is read.
    let r = f
        .call(Method::POST, "/api/v1/imports/inventory", &biomed, None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let Auth::Session { cookie, csrf } = &biomed else {
        unreachable!()
    };
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/imports/inventory")
        .header(header::COOKIE, format!("medvigil_session={cookie}"))
        .header("x-csrf-token", csrf)
        .header(header::CONTENT_LENGTH, (200u64 << 20).to_string())
        .body(Body::from("x"))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    // Other routes keep their 1 MiB limit.
    let big = "x".repeat(2 << 20);
    let r = f
        .call(
            Method::POST,
            "/api/v1/tokens",
            &biomed,
            Some(Value::String(big)),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upload_form_needs_its_csrf_part_and_shows_the_report() {
    let f = fixture().await;
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let Auth::Session { cookie, csrf } = &biomed else {
        unreachable!()
    };
    let upload = |parts: Vec<(String, String)>| {
        let (content_type, body) = multipart(&parts);
        Request::builder()
            .method(Method::POST)
            .uri("/imports/inventory")
            .header(header::COOKIE, format!("medvigil_session={cookie}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let file = ("file".to_owned(), cmms_csv(60));
    // Without the CSRF part, or with a wrong one: refused, nothing started.
    for parts in [
        vec![file.clone()],
        vec![("csrf".into(), "forged".into()), file.clone()],
    ] {
        let r = f.send(upload(parts)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    }
    let r = f.call(Method::GET, "/api/v1/imports", &biomed, None).await;
    assert_eq!(r.json().as_array().map(Vec::len), Some(0));
    let r = f
        .send(upload(vec![
            ("csrf".into(), csrf.clone()),
            file,
            ("dry_run".into(), "true".into()),
        ]))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let id = location.trim_start_matches("/imports/").to_owned();
    let job = finished(&f, &biomed, &id).await;
    assert_eq!(job["result"]["dry_run"], true, "{job}");
    let page = f.call(Method::GET, &location, &biomed, None).await;
    let html = page.text();
    assert!(html.contains("Dry run (nothing written)"), "{html}");
    assert!(html.contains("eu_class") && html.contains("IV"), "{html}");
    assert!(
        !html.contains("http-equiv=\"refresh\""),
        "a finished job does not refresh"
    );
    let list = f.call(Method::GET, "/imports", &biomed, None).await;
    assert!(list.text().contains("cmms.csv"), "{}", list.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_synchronised_from_the_page_gives_findings() {
    let f = fixture().await;
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    let Auth::Session { cookie, csrf } = &admin else {
        unreachable!()
    };
    let req = Request::builder()
        .method(Method::POST)
        .uri("/imports/feeds/demo/sync")
        .header(header::COOKIE, format!("medvigil_session={cookie}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let job = finished(&f, &admin, location.trim_start_matches("/imports/")).await;
    assert_eq!(job["state"], "done", "{job}");
    let advisories = medvigil_demo::advisories().unwrap_or_default().len() as u64;
    assert_eq!(job["result"]["new"], advisories, "{job}");
    assert_eq!(job["result"]["imported"]["new"], advisories, "{job}");
    let r = f
        .call(Method::GET, "/api/v1/advisories", &admin, None)
        .await;
    assert_eq!(r.json()["total"], advisories, "{}", r.text());
    let html = f.call(Method::GET, &location, &admin, None).await.text();
    assert!(html.contains("Synchronised:"), "{html}");
    // A biomedical engineer may import exports but not run feeds.
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let r = f
        .call(Method::POST, "/api/v1/feeds/demo/sync", &biomed, None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f
        .call(Method::POST, "/api/v1/feeds/nope/sync", &admin, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
