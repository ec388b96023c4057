//! A server in-process over a temporary SQLite store seeded with two
//! hospital groups, each with devices, a remediation and one user per role.

#![allow(dead_code)]

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use medvigil_auth::{PasswordParams, Role, hash_password};
use medvigil_inventory::ParsedRow;
use medvigil_model::{Event, SourceKind, Team, TenantKind};
use medvigil_server::{AppState, Config};
use medvigil_store::{DeviceQuery, ImportRequest, NewUser, Store};
use rand::TryRngCore;
use serde_json::Value;
use tower::ServiceExt;

/// Every seeded user's password.
pub const PASSWORD: &str = "Quiet-Lagoon-Ferry-2026";

/// The two tenants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
    pub fn suffix(self) -> &'static str {
        match self {
            Side::A => "a",
            Side::B => "b",
        }
    }
}

/// What one tenant holds.
#[derive(Clone, Debug)]
pub struct Seeded {
    pub devices: Vec<String>,
    pub remediation: String,
    /// A user (biomed) that administrators change in the tests.
    pub subject: String,
    /// Segmentation policies 1..=policies: 1 approved, the others proposed.
    pub policies: u32,
}

/// Segmentation policies seeded per tenant: B has more, so that a number
/// only B has names another tenant's policy.
pub fn seeded_policies(side: Side) -> u32 {
    match side {
        Side::A => 9,
        Side::B => 20,
    }
}

pub struct Fixture {
    pub app: Router,
    pub store: Store,
    pub seeded: HashMap<Side, Seeded>,
    _dir: tempfile::TempDir,
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    Session { cookie: String, csrf: String },
    Bearer(String),
}

pub fn username(role: Role, side: Side) -> String {
    format!("{role}-{}", side.suffix())
}

pub async fn fixture() -> Fixture {
    fixture_with(Config {
        password_params: PasswordParams::INSECURE_TEST_ONLY,
        ..Config::default()
    })
    .await
}

pub async fn fixture_with(config: Config) -> Fixture {
    fixture_sized(config, 30).await
}

/// Like [`fixture_with`], with `devices` devices per hospital group (the
/// demo's first devices are all infusion pumps: filters need a few hundred).
pub async fn fixture_sized(config: Config, devices: usize) -> Fixture {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(&dir.path().join("m.db").display().to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut rng = rand::rngs::OsRng.unwrap_err();
    let hash = hash_password(PASSWORD, PasswordParams::INSECURE_TEST_ONLY, &mut rng)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut seeded = HashMap::new();
    for (side, name, seed) in [(Side::A, "Hospital A", 1), (Side::B, "Hospital B", 2)] {
        let tenant = store
            .ensure_tenant(name, TenantKind::HospitalGroup)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let t = store.tenant(tenant.id);
        let h = medvigil_demo::generate_scaled(devices, seed).unwrap_or_else(|e| panic!("{e}"));
        let zones = medvigil_demo::zones_toml(&h, medvigil_segment::ZonePolicy::default_toml());
        let traffic = medvigil_demo::traffic(
            &h,
            seed,
            time::OffsetDateTime::now_utc() - time::Duration::days(1),
        );
        let rows = h
            .devices
            .into_iter()
            .enumerate()
            .map(|(i, fields)| ParsedRow {
                line: i as u64 + 2,
                fields,
            })
            .collect();
        t.import(
            ImportRequest {
                rows,
                actor: "seed".into(),
                detail: format!("{name}.csv"),
                kind: SourceKind::CmmsImport,
                dry_run: false,
                strict: false,
            },
            &mut |_, _| {},
        )
        .await
        .unwrap_or_else(|e| panic!("import: {e}"));
        let devices: Vec<String> = t
            .devices(&DeviceQuery::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .iter()
            .map(|d| d.id.to_string())
            .collect();
        t.record_conversations(&traffic)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let today = time::OffsetDateTime::now_utc().date();
        for n in 1..=seeded_policies(side) {
            medvigil_intel::segmentation::propose(&t, Some(&zones), None, "seed", today)
                .await
                .unwrap_or_else(|e| panic!("propose: {e}"));
            if n == 1 {
                t.decide_segmentation(1, true, "seed", None)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let first = devices[0].parse().unwrap_or_else(|_| panic!("device id"));
        let remediation = t
            .create_remediation(
                first,
                Some("CVE-2026-0001"),
                Event::Created {
                    action: medvigil_model::Action::Update,
                    owner: Team::Biomedical,
                    due: Some(time::macros::date!(2027 - 01 - 31)),
                    target_version: Some("2.0".into()),
                },
                "seed",
                time::OffsetDateTime::now_utc(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id
            .to_string();
        for role in Role::ALL {
            t.create_user(
                NewUser {
                    username: username(role, side),
                    email: None,
                    role: role.as_str().into(),
                    password_hash: hash.clone(),
                },
                time::OffsetDateTime::now_utc(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        }
        let subject = t
            .create_user(
                NewUser {
                    username: format!("subject-{}", side.suffix()),
                    email: None,
                    role: Role::Biomed.as_str().into(),
                    password_hash: hash.clone(),
                },
                time::OffsetDateTime::now_utc(),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .id
            .to_string();
        // A feed of the demo advisories, from a folder: synchronised by the
        // import tests (and the matrix, for the route's permissions).
        let folder = dir.path().join(format!("advisories-{}", side.suffix()));
        std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
        for a in medvigil_demo::advisories().unwrap_or_else(|e| panic!("{e}")) {
            std::fs::write(folder.join(&a.file_name), a.json).unwrap_or_else(|e| panic!("{e}"));
        }
        let config =
            medvigil_feeds::FeedConfig::new("demo", medvigil_feeds::FeedSource::Folder(folder));
        t.save_feed(
            "demo",
            &serde_json::to_string(&config).unwrap_or_else(|e| panic!("{e}")),
            &dir.path()
                .join(format!("mirror-{}", side.suffix()))
                .display()
                .to_string(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        seeded.insert(
            side,
            Seeded {
                devices,
                remediation,
                policies: seeded_policies(side),
                subject,
            },
        );
    }
    let app = medvigil_server::app(AppState::new(store.clone(), config));
    Fixture {
        app,
        store,
        seeded,
        _dir: dir,
    }
}

/// The fixture's database behind a new server state, as after a restart
/// (nothing kept in memory survives).
pub fn restarted(f: &Fixture) -> Fixture {
    Fixture {
        app: medvigil_server::app(AppState::new(
            f.store.clone(),
            Config {
                password_params: PasswordParams::INSECURE_TEST_ONLY,
                ..Config::default()
            },
        )),
        store: f.store.clone(),
        seeded: f.seeded.clone(),
        _dir: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
    }
}

/// A multipart form of `parts` (a part named `file` is sent as a file):
/// its content type and body.
pub fn multipart(parts: &[(String, String)]) -> (String, Vec<u8>) {
    let boundary = "medvigil-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        if name == "file" {
            body.extend_from_slice(
                b"Content-Disposition: form-data; name=\"file\"; filename=\"cmms.csv\"\r\n\
                  Content-Type: text/csv\r\n\r\n",
            );
        } else {
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
        }
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A response, its headers and its body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The session cookie's value set by this reply.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix("medvigil_session="))
            .map(|v| v.split(';').next().unwrap_or("").to_owned())
            .find(|v| !v.is_empty())
    }
}

impl Fixture {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self
            .app
            .clone()
            .oneshot(req)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap_or_default()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<Value>,
    ) -> Reply {
        self.send(request(method, path, auth, body)).await
    }

    /// Logs `user` in through the API.
    pub async fn login(&self, user: &str) -> Auth {
        let r = self
            .call(
                Method::POST,
                "/api/v1/session",
                &Auth::None,
                Some(serde_json::json!({ "username": user, "password": PASSWORD })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {user}: {}", r.text());
        Auth::Session {
            cookie: r.session_cookie().unwrap_or_else(|| panic!("no cookie")),
            csrf: r.json()["csrf_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

pub fn request(method: Method, path: &str, auth: &Auth, body: Option<Value>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    match auth {
        Auth::None => {}
        Auth::Session { cookie, csrf } => {
            b = b
                .header(header::COOKIE, format!("medvigil_session={cookie}"))
                .header("x-csrf-token", csrf);
        }
        Auth::Bearer(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
    }
    match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        None => b.body(Body::empty()),
    }
    .unwrap_or_else(|e| panic!("{e}"))
}
