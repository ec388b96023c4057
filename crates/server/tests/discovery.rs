//! `POST /api/v1/discovery/batches`: a sensor's batch is merged into the
//! caller's tenant once per batch id; bad batches are refused whole and
//! name what is wrong; only roles with upload_capture may send.

mod common;

use axum::http::{Method, StatusCode};
use common::{Auth, Fixture, Side, fixture, username};
use medvigil_auth::Role;
use serde_json::{Value, json};

const ROUTE: &str = "/api/v1/discovery/batches";

fn batch(id: &str, mac: &str) -> Value {
    json!({
        "batch_id": id,
        "sensor": "ward-3",
        "site": "North Wing",
        "devices": [{ "mac": mac, "ip": "10.20.30.40", "vlan": 30, "hostname": "pump-0042",
                      "vendor": "ICU Medical", "category": "infusion-pump" }],
        "conversations": [{
            "client_ip": "10.20.30.40", "client_mac": mac, "server_ip": "10.20.1.5",
            "transport": "tcp", "port": 6661, "protocol": "hl7", "flows": 2, "packets": 20,
            "bytes": 3710, "first_seen": "2026-11-30T01:00:00Z", "last_seen": "2026-11-30T01:00:59Z"
        }]
    })
}

/// Devices with `mac`, conversations, batches of `side`'s tenant.
async fn counts(f: &Fixture, side: Side, mac: &str) -> (usize, usize, u64) {
    let name = match side {
        Side::A => "Hospital A",
        Side::B => "Hospital B",
    };
    let tenant = f
        .store
        .find_tenant(name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let t = f.store.tenant(tenant.id);
    let devices = t
        .devices(&medvigil_store::DeviceQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|d| d.fields.mac.is_some_and(|m| m.to_string() == mac))
        .count();
    let conversations = t
        .conversations(None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    let batches = t
        .sensor_batch_count()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (devices, conversations, batches)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_is_applied_once_per_tenant() {
    let f = fixture().await;
    let a = f.login(&username(Role::Network, Side::A)).await;
    let b = f.login(&username(Role::Network, Side::B)).await;
    let id = "0193a5f0-8c1e-7b6a-9d2f-3e4c5b6a7d8e";
    let mac = "00:03:b1:42:42:42";
    let body = batch(id, mac);
    let (_, conv_a0, _) = counts(&f, Side::A, mac).await;
    let (_, conv_b0, _) = counts(&f, Side::B, mac).await;

    let r = f.call(Method::POST, ROUTE, &a, Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "applied");
    assert_eq!(r.json()["created"], 1);
    assert_eq!(r.json()["conversations"], 1);
    assert_eq!(counts(&f, Side::A, mac).await, (1, conv_a0 + 1, 1));

    // Resent (the acknowledgement was lost): 200, nothing written again.
    let r = f.call(Method::POST, ROUTE, &a, Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "already_applied");
    assert_eq!(counts(&f, Side::A, mac).await, (1, conv_a0 + 1, 1));
    let flows = f
        .store
        .tenant(
            f.store
                .find_tenant("Hospital A")
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .id,
        )
        .conversations(None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let hl7 = flows
        .iter()
        .find(|c| c.port == 6661)
        .unwrap_or_else(|| panic!("{flows:?}"));
    assert_eq!((hl7.flows, hl7.packets, hl7.bytes), (2, 20, 3710));

    // The device is A's, placed at the batch's site; B sees nothing of it.
    let devices = f
        .call(Method::GET, "/api/v1/devices?per_page=500", &a, None)
        .await
        .json();
    let text = devices.to_string();
    assert!(
        text.contains("pump-0042") && text.contains("North Wing"),
        "{text}"
    );
    assert_eq!(counts(&f, Side::B, mac).await, (0, conv_b0, 0));

    // Batch ids are per tenant: B's sensor may use the same id.
    let r = f.call(Method::POST, ROUTE, &b, Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "applied");
    assert_eq!(counts(&f, Side::B, mac).await, (1, conv_b0 + 1, 1));
    assert_eq!(counts(&f, Side::A, mac).await, (1, conv_a0 + 1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_batches_are_refused_whole_and_named() {
    let f = fixture().await;
    let a = f.login(&username(Role::Network, Side::A)).await;
    let mac = "00:03:b1:42:42:43";
    let id = |n: u32| format!("0193a5f0-8c1e-7b6a-9d2f-{n:012}");

    let Auth::Session { cookie, csrf } = &a else {
        panic!("session")
    };
    let malformed = axum::http::Request::builder()
        .method(Method::POST)
        .uri(ROUTE)
        .header("cookie", format!("medvigil_session={cookie}"))
        .header("x-csrf-token", csrf)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(r#"{"batch_id": "#))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = f.send(malformed).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());

    let mut not_a_uuid = batch(&id(0), mac);
    not_a_uuid["batch_id"] = json!("batch-1");
    let r = f.call(Method::POST, ROUTE, &a, Some(not_a_uuid)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("batch_id"), "{}", r.text());

    let mut unknown = batch(&id(1), mac);
    unknown["devices"][0]["patient"] = json!("MOUSE^MICKEY");
    let r = f.call(Method::POST, ROUTE, &a, Some(unknown)).await;
    assert!(r.status.is_client_error(), "{}", r.text());
    assert!(r.text().contains("patient"), "{}", r.text());

    let mut bad_mac = batch(&id(2), mac);
    bad_mac["devices"][0]["mac"] = json!("00:03:b1:zz:42:43");
    let r = f.call(Method::POST, ROUTE, &a, Some(bad_mac)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("devices[0].mac"), "{}", r.text());

    let mut bad_time = batch(&id(3), mac);
    bad_time["conversations"][0]["last_seen"] = json!("yesterday");
    let r = f.call(Method::POST, ROUTE, &a, Some(bad_time)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text().contains("conversations[0].last_seen"),
        "{}",
        r.text()
    );

    // Over the 1 MiB body limit.
    let mut huge = batch(&id(4), mac);
    let many: Vec<Value> = (0..12_000)
        .map(|i| json!({ "mac": format!("02:00:00:00:{:02x}:{:02x}", i >> 8 & 0xff, i & 0xff), "vendor": "x".repeat(80) }))
        .collect();
    huge["devices"] = json!(many);
    let r = f.call(Method::POST, ROUTE, &a, Some(huge)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());

    // Nothing of any refused batch was written.
    assert_eq!(counts(&f, Side::A, mac).await.0, 0);
    assert_eq!(counts(&f, Side::A, mac).await.2, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_roles_that_upload_captures_may_send_batches() {
    let f = fixture().await;
    let mac = "00:03:b1:42:42:44";
    for (n, role) in Role::ALL.into_iter().enumerate() {
        let auth = f.login(&username(role, Side::A)).await;
        let body = batch(&format!("0193a5f0-8c1e-7b6a-9d2f-{:012}", 100 + n), mac);
        let r = f.call(Method::POST, ROUTE, &auth, Some(body)).await;
        let may = matches!(role, Role::Admin | Role::Network);
        assert_eq!(
            r.status,
            if may {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{role}: {}",
            r.text()
        );
    }
    let r = f
        .call(
            Method::POST,
            ROUTE,
            &Auth::None,
            Some(batch("0193a5f0-8c1e-7b6a-9d2f-000000000999", mac)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}
