//! The defences: CSRF, session fixation, password policy, revoked and
//! expired tokens, login lock-out, security headers, the audit trail, and
//! the OpenAPI document and its docs page.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Auth, PASSWORD, Side, fixture, username};
use medvigil_auth::Role;
use serde_json::json;

fn with_csrf(auth: &Auth, csrf: &str) -> Auth {
    match auth {
        Auth::Session { cookie, .. } => Auth::Session {
            cookie: cookie.clone(),
            csrf: csrf.to_owned(),
        },
        other => other.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_with_a_session_need_the_csrf_token() {
    let f = fixture().await;
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let other = f.login(&username(Role::Ciso, Side::A)).await;
    let device = f.seeded[&Side::A].devices[2].clone();
    let body = json!({ "device": device, "vulnerability": "CVE-2026-7777" });
    let Auth::Session {
        csrf: other_csrf, ..
    } = &other
    else {
        panic!("session")
    };
    for (what, auth) in [
        ("missing", with_csrf(&biomed, "")),
        (
            "wrong",
            with_csrf(&biomed, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ),
        ("another session's", with_csrf(&biomed, other_csrf)),
    ] {
        let r = f
            .call(
                Method::POST,
                "/api/v1/remediations",
                &auth,
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}: {}", r.text());
        assert_eq!(r.json()["error"]["code"], "csrf", "{what}");
    }
    // No header at all (the helper always sends one): a bare cookie.
    let Auth::Session { cookie, .. } = &biomed else {
        panic!("session")
    };
    let bare = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/remediations")
        .header(header::COOKIE, format!("medvigil_session={cookie}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.send(bare).await.status, StatusCode::FORBIDDEN);
    // A form without its csrf field, and with a wrong one.
    for form in ["kind=comment&text=x", "kind=comment&text=x&csrf=nope"] {
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!(
                "/remediations/{}/events",
                f.seeded[&Side::A].remediation
            ))
            .header(header::COOKIE, format!("medvigil_session={cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.send(req).await.status, StatusCode::FORBIDDEN, "{form}");
    }
    // Nothing was written; with the token it is.
    let r = f
        .call(Method::POST, "/api/v1/remediations", &biomed, Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // Logging out with a session needs it too.
    let r = f
        .call(
            Method::DELETE,
            "/api/v1/session",
            &with_csrf(&biomed, ""),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f
        .call(Method::DELETE, "/api/v1/session", &biomed, None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = f.call(Method::GET, "/api/v1/session", &biomed, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the session ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_always_starts_a_new_session() {
    let f = fixture().await;
    let user = username(Role::Biomed, Side::A);
    let first = f.login(&user).await;
    let Auth::Session { cookie: old, .. } = &first else {
        panic!("session")
    };
    // Log in again carrying the first session's cookie.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::COOKIE, format!("medvigil_session={old}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "username": user, "password": PASSWORD }).to_string(),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let new = r.session_cookie().unwrap_or_default();
    assert!(!new.is_empty());
    assert_ne!(&new, old, "a fixed session id must not survive login");
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let r = f.call(Method::GET, "/api/v1/session", &first, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the old id is dead");
    // The web form too: a planted cookie is replaced.
    let page = f.call(Method::GET, "/login", &Auth::None, None).await;
    let login_cookie = page
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("medvigil_login="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .unwrap_or_default();
    let html = page.text();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let form = format!("csrf={csrf}&username={user}&password={PASSWORD}");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(
            header::COOKIE,
            format!("medvigil_login={login_cookie}; medvigil_session={new}"),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f.send(req).await;
    // Logging in over a valid session replaces it too.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let replaced = r.session_cookie().unwrap_or_default();
    assert!(!replaced.is_empty() && replaced != new);
    let r = f
        .call(
            Method::GET,
            "/api/v1/session",
            &Auth::Session {
                cookie: new.clone(),
                csrf: String::new(),
            },
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "the replaced id is dead"
    );
    let page = f.call(Method::GET, "/login", &Auth::None, None).await;
    let login_cookie = page
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("medvigil_login="))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .unwrap_or_default();
    let csrf = page
        .text()
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let form = format!("csrf={csrf}&username={user}&password={PASSWORD}");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(
            header::COOKIE,
            format!("medvigil_login={login_cookie}; medvigil_session=planted-by-an-attacker-0000000000000000000"),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let web = r.session_cookie().unwrap_or_default();
    assert!(!web.is_empty() && !web.starts_with("planted"));
    // A JSON login must say it is JSON (a cross-site form cannot).
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(
            json!({ "username": user, "password": PASSWORD }).to_string(),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.send(req).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Without the login form's token the login form is refused.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username={user}&password={PASSWORD}")))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.send(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_users_must_meet_the_password_policy() {
    let f = fixture().await;
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    for (password, why) in [
        ("short-pw", "too short"),
        ("nurse.station.7", "the user name"),
        ("123456789012", "common"),
    ] {
        let r = f
            .call(
                Method::POST,
                "/api/v1/users",
                &admin,
                Some(json!({ "username": "nurse.station.7", "role": "biomed", "password": password })),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            r.text()
        );
        assert!(
            !r.json()["error"]["message"]
                .as_str()
                .unwrap_or("")
                .is_empty()
        );
    }
    let ok = json!({ "username": "nurse.station.7", "role": "biomed", "password": "Tidal-Copper-Orchard-5" });
    let r = f
        .call(Method::POST, "/api/v1/users", &admin, Some(ok.clone()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(r.json().get("password_hash").is_none());
    let r = f
        .call(Method::POST, "/api/v1/users", &admin, Some(ok))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let bad_role =
        json!({ "username": "x-ray", "role": "root", "password": "Tidal-Copper-Orchard-5" });
    let r = f
        .call(Method::POST, "/api/v1/users", &admin, Some(bad_role))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The new user logs in.
    let r = f
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            Some(json!({ "username": "nurse.station.7", "password": "Tidal-Copper-Orchard-5" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_work_until_revoked_or_expired() {
    let f = fixture().await;
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let r = f
        .call(
            Method::POST,
            "/api/v1/tokens",
            &biomed,
            Some(json!({ "scopes": ["read_inventory"], "expires_days": 30 })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let secret = r.json()["token"].as_str().unwrap_or_default().to_owned();
    let id = r.json()["id"].as_str().unwrap_or_default().to_owned();
    assert!(secret.starts_with("mv_"));
    let bearer = Auth::Bearer(secret.clone());
    let r = f.call(Method::GET, "/api/v1/devices", &bearer, None).await;
    assert_eq!(r.status, StatusCode::OK);
    // Within the role but outside the scopes.
    let r = f
        .call(Method::GET, "/api/v1/remediations", &bearer, None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A change by token needs no CSRF token (it is not a cookie)... but this
    // token may not write remediation.
    let r = f
        .call(
            Method::POST,
            "/api/v1/remediations",
            &bearer,
            Some(json!({ "device": f.seeded[&Side::A].devices[0] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A scope beyond the role is refused.
    let r = f
        .call(
            Method::POST,
            "/api/v1/tokens",
            &biomed,
            Some(json!({ "scopes": ["manage_users"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Tampered secret.
    let mut tampered = secret.clone();
    tampered.pop();
    tampered.push(if secret.ends_with('0') { '1' } else { '0' });
    let r = f
        .call(
            Method::GET,
            "/api/v1/devices",
            &Auth::Bearer(tampered),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Revoked.
    let r = f
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{id}"),
            &biomed,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = f.call(Method::GET, "/api/v1/devices", &bearer, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthenticated");
    // Expired: a token whose time is up.
    let mut rng = rand::TryRngCore::unwrap_err(rand::rngs::OsRng);
    let token = medvigil_auth::Token::generate(&mut rng);
    let owner = f
        .store
        .user_by_username(&username(Role::Biomed, Side::A))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("user"));
    let past = time::OffsetDateTime::now_utc() - time::Duration::days(1);
    f.store
        .tenant(owner.tenant)
        .insert_token(&medvigil_store::ApiTokenRecord {
            id: token.id().as_str().to_owned(),
            hash: token.hash().to_hex(),
            user: owner.id,
            scopes: vec!["read_inventory".into()],
            created_at: past - time::Duration::days(30),
            expires_at: Some(past),
            revoked_at: None,
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f
        .call(
            Method::GET,
            "/api/v1/devices",
            &Auth::Bearer(token.expose()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Garbage.
    let r = f
        .call(
            Method::GET,
            "/api/v1/devices",
            &Auth::Bearer("mv_nope".into()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_lock_the_account() {
    let f = fixture().await;
    let user = username(Role::Ciso, Side::A);
    let attempt = |password: &'static str| {
        let user = user.clone();
        let f = &f;
        async move {
            f.call(
                Method::POST,
                "/api/v1/session",
                &Auth::None,
                Some(json!({ "username": user, "password": password })),
            )
            .await
        }
    };
    for _ in 0..5 {
        let r = attempt("not-the-password-at-all").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["error"]["code"], "invalid_credentials");
    }
    // Now even the right password is refused, and says why.
    let r = attempt(PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "locked");
    // An unknown user fails the same way as a wrong password.
    let r = f
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            Some(json!({ "username": "nobody", "password": PASSWORD })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "invalid_credentials");
    // Other accounts are not locked.
    f.login(&username(Role::Biomed, Side::A)).await;
    // The lock is stored with the account: a restarted server (a new state
    // on the same database, an empty in-memory throttle) still refuses.
    let restarted = common::restarted(&f);
    let r = restarted
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            Some(json!({ "username": user, "password": PASSWORD })),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    // The administrator sees the lock and lifts it; the user logs in.
    let admin = restarted.login(&username(Role::Admin, Side::A)).await;
    let r = restarted
        .call(Method::GET, "/api/v1/users?per_page=100", &admin, None)
        .await;
    let row = r.json()["items"]
        .as_array()
        .and_then(|a| a.iter().find(|u| u["username"] == user.as_str()).cloned())
        .unwrap_or_else(|| panic!("{}", r.text()));
    assert!(row["locked_until"].is_string(), "{row}");
    let id = row["id"].as_str().unwrap_or_default().to_owned();
    let r = restarted
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            &admin,
            Some(json!({ "unlock": true })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.json()["locked_until"].is_null());
    restarted.login(&user).await;
    let r = restarted
        .call(Method::GET, "/api/v1/audit?per_page=100", &admin, None)
        .await;
    let actions: Vec<String> = r.json()["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["action"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for want in ["account_locked", "user_changed"] {
        assert!(
            actions.iter().any(|a| a == want),
            "{want} missing: {actions:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_change_roles_and_disable_accounts_but_not_their_own() {
    let f = fixture().await;
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    let subject = f.seeded[&Side::A].subject.clone();
    let patch = |id: String, body: serde_json::Value, auth: Auth| {
        let f = &f;
        async move {
            f.call(
                Method::PATCH,
                &format!("/api/v1/users/{id}"),
                &auth,
                Some(body),
            )
            .await
        }
    };
    // The subject (biomed) works, then becomes a network specialist.
    let subject_auth = f.login("subject-a").await;
    let r = f
        .call(Method::GET, "/api/v1/devices", &subject_auth, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = patch(subject.clone(), json!({ "role": "network" }), admin.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["role"], "network");
    // Unknown roles and fields are refused.
    let r = patch(subject.clone(), json!({ "role": "root" }), admin.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = patch(subject.clone(), json!({ "password": "x" }), admin.clone()).await;
    assert!(r.status.is_client_error(), "{}", r.text());
    // Disabled: its session stops at once, and it cannot log in.
    let r = patch(subject.clone(), json!({ "disabled": true }), admin.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = f
        .call(Method::GET, "/api/v1/devices", &subject_auth, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    let r = f
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            Some(json!({ "username": "subject-a", "password": PASSWORD })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Enabled again: it logs in with its new role.
    let r = patch(subject.clone(), json!({ "disabled": false }), admin.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let again = f.login("subject-a").await;
    let r = f.call(Method::GET, "/api/v1/session", &again, None).await;
    assert_eq!(r.json()["role"], "network", "{}", r.text());
    // An admin changes neither its own role nor its own account.
    let me = f
        .call(Method::GET, "/api/v1/session", &admin, None)
        .await
        .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for body in [json!({ "role": "auditor" }), json!({ "disabled": true })] {
        let r = patch(me.clone(), body, admin.clone()).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert_eq!(r.json()["error"]["code"], "refused");
    }
    // Another tenant's user: not found.
    let theirs = f.seeded[&Side::B].subject.clone();
    let r = patch(theirs, json!({ "disabled": true }), admin.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_are_on_pages_and_api() {
    let f = fixture().await;
    let auth = f.login(&username(Role::Admin, Side::A)).await;
    for (path, auth) in [
        ("/api/v1/devices", auth.clone()),
        ("/api/v1/devices", Auth::None),
        ("/devices", auth.clone()),
        ("/", auth.clone()),
        ("/login", Auth::None),
        ("/api/docs", Auth::None),
        ("/api/v1/openapi.json", Auth::None),
        ("/no/such/page", Auth::None),
    ] {
        let r = f.call(Method::GET, path, &auth, None).await;
        for h in [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy",
            "x-frame-options",
            "permissions-policy",
            "cross-origin-opener-policy",
        ] {
            assert!(r.headers.contains_key(h), "{path} ({}) lacks {h}", r.status);
        }
        assert_eq!(r.headers["x-frame-options"], "DENY");
        // Plain HTTP on loopback: no HSTS.
        assert!(!r.headers.contains_key("strict-transport-security"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_has_logins_and_changes() {
    let f = fixture().await;
    let _ = f
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            Some(json!({ "username": username(Role::Biomed, Side::A), "password": "wrong-wrong-wrong" })),
        )
        .await;
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let device = f.seeded[&Side::A].devices[3].clone();
    let r = f
        .call(
            Method::POST,
            "/api/v1/remediations",
            &biomed,
            Some(
                json!({ "device": device, "vulnerability": "CVE-2026-1234", "action": "segment" }),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()[0]["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(r.json()[0]["owner"], "network");
    let r = f
        .call(
            Method::POST,
            &format!("/api/v1/remediations/{id}/events"),
            &biomed,
            Some(json!({ "kind": "status", "to": "in-progress" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Accepting a risk is the CISO's.
    let r = f
        .call(
            Method::POST,
            &format!("/api/v1/remediations/{id}/events"),
            &biomed,
            Some(json!({ "kind": "risk-accepted", "justification": "isolated", "until": "2027-03-01" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = f
        .call(Method::POST, "/api/v1/tokens", &biomed, Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let auditor = f.login(&username(Role::Auditor, Side::A)).await;
    let r = f
        .call(Method::GET, "/api/v1/audit?per_page=100", &auditor, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let entries = r.json()["items"].as_array().cloned().unwrap_or_default();
    let has = |actor: &str, action: &str| {
        entries
            .iter()
            .any(|e| e["actor"] == actor && e["action"] == action)
    };
    let b = username(Role::Biomed, Side::A);
    for action in [
        "login_failed",
        "login",
        "remediation_planned",
        "remediation_step",
        "token_created",
    ] {
        assert!(has(&b, action), "{action} missing: {entries:?}");
    }
    assert!(has(&username(Role::Auditor, Side::A), "login"));
    // Tenant B's log has none of it.
    let other = f.login(&username(Role::Auditor, Side::B)).await;
    let r = f
        .call(Method::GET, "/api/v1/audit?per_page=100", &other, None)
        .await;
    let theirs = r.json()["items"].as_array().cloned().unwrap_or_default();
    assert!(theirs.iter().all(|e| e["actor"] != b.as_str()));
    // The device page shows the trail.
    let r = f
        .call(
            Method::GET,
            &format!("/api/v1/devices/{device}"),
            &biomed,
            None,
        )
        .await;
    let rems = r.json()["remediations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rems.len(), 1);
    assert_eq!(rems[0]["trail"].as_array().map(Vec::len), Some(2));
    assert!(
        r.json()["fields"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x["source"] == "cmms_import"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_and_docs_page() {
    let f = fixture().await;
    let r = f
        .call(Method::GET, "/api/v1/openapi.json", &Auth::None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/devices",
        "/devices/{id}",
        "/findings",
        "/risk",
        "/remediations",
        "/remediations/{id}/events",
        "/advisories",
        "/audit",
        "/users",
        "/tokens",
        "/tokens/{id}",
        "/session",
        "/discovery/batches",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} not documented");
    }
    assert!(doc["components"]["schemas"].get("DeviceSummary").is_some());
    let page = f.call(Method::GET, "/api/docs", &Auth::None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("/remediations/{id}/events") && html.contains("DeviceSummary"));
    assert!(!html.contains("<script"), "no script, no CDN");
    let r = f
        .call(Method::GET, "/api/v1/no-such-route", &Auth::None, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_are_refused() {
    let f = fixture().await;
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    let huge = json!({ "username": "x".repeat(2 << 20), "role": "biomed", "password": "y" });
    let r = f
        .call(Method::POST, "/api/v1/users", &admin, Some(huge))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.headers.contains_key("content-security-policy"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent() {
    let f = common::fixture_with(medvigil_server::Config {
        password_params: medvigil_auth::PasswordParams::INSECURE_TEST_ONLY,
        behind_https_proxy: true,
        ..medvigil_server::Config::default()
    })
    .await;
    let r = f
        .call(
            Method::POST,
            "/api/v1/session",
            &Auth::None,
            Some(json!({ "username": username(Role::Biomed, Side::A), "password": PASSWORD })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.headers[header::SET_COOKIE]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with("__Host-medvigil_session=") && cookie.contains("Secure"),
        "{cookie}"
    );
    assert!(r.headers.contains_key("strict-transport-security"));
}
