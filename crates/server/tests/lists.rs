//! Issue 6: every API list takes `?sort=`, refuses an unknown key with a
//! 400 in the API error shape, and is paged by the store (the total counts
//! the whole filtered list, pages do not overlap).

mod common;

use axum::http::{Method, StatusCode};
use common::{Side, fixture_sized, username};
use medvigil_auth::{PasswordParams, Role};
use medvigil_server::Config;

/// Each list with a key it sorts by.
const LISTS: [(&str, &str); 8] = [
    ("/api/v1/devices", "-vendor"),
    ("/api/v1/findings", "-epss"),
    ("/api/v1/risk", "asset_tag"),
    ("/api/v1/remediations", "-due"),
    ("/api/v1/advisories", "title"),
    ("/api/v1/audit", "actor"),
    ("/api/v1/users", "-role"),
    ("/api/v1/tokens", "expires_at"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_list_sorts_and_refuses_unknown_keys() {
    let f = fixture_sized(
        Config {
            password_params: PasswordParams::INSECURE_TEST_ONLY,
            ..Config::default()
        },
        30,
    )
    .await;
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    for (path, key) in LISTS {
        let ok = f
            .call(Method::GET, &format!("{path}?sort={key}"), &admin, None)
            .await;
        assert_eq!(
            ok.status,
            StatusCode::OK,
            "{path}?sort={key}: {}",
            ok.text()
        );
        assert!(ok.json()["total"].is_u64(), "{path}: {}", ok.text());
        let bad = f
            .call(
                Method::GET,
                &format!("{path}?sort=-no_such_key"),
                &admin,
                None,
            )
            .await;
        assert_eq!(
            bad.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            bad.text()
        );
        let error = &bad.json()["error"];
        assert!(error["code"].is_string(), "{path}: {}", bad.text());
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains("no_such_key")),
            "{path}: {}",
            bad.text()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_pages_are_cut_and_counted_by_the_store() {
    let f = fixture_sized(
        Config {
            password_params: PasswordParams::INSECURE_TEST_ONLY,
            ..Config::default()
        },
        // The demo's first devices are all infusion pumps: a filter needs more.
        400,
    )
    .await;
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let get = |q: String| {
        let admin = admin.clone();
        let f = &f;
        async move {
            let r = f
                .call(Method::GET, &format!("/api/v1/devices?{q}"), &admin, None)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text());
            r.json()
        }
    };
    let all = get("per_page=500&sort=vendor".into()).await;
    let total = all["total"].as_u64().unwrap_or(0);
    assert_eq!(total, 400);
    let mut paged = Vec::new();
    for page in 1..=9 {
        let p = get(format!("per_page=45&page={page}&sort=vendor")).await;
        assert_eq!(p["total"].as_u64(), Some(total));
        paged.extend(ids(&p));
    }
    assert_eq!(paged, ids(&all), "pages are the whole list, once, in order");
    let mut reversed = ids(&get("per_page=500&sort=-vendor".into()).await);
    reversed.reverse();
    assert_eq!(
        reversed,
        ids(&all),
        "descending is the exact reverse (ties by id)"
    );
    let pumps = get("per_page=10&category=infusion-pump".into()).await;
    let n = pumps["total"].as_u64().unwrap_or(0);
    assert!(n > 10 && n < total, "filtered total {n}");
    assert_eq!(ids(&pumps).len(), 10);
}
