//! Segmentation through the API and the pages: a network specialist
//! proposes a policy from the recorded traffic, reads it (zones, conduits,
//! diff), approves it with a comment, exports it (the nftables ruleset is
//! checked by `nft -c`), marks it enforced, and sees drift alerts when new
//! traffic breaks it; the review workflow refuses steps out of order.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Auth, Fixture, Side, fixture, username};
use medvigil_auth::Role;
use serde_json::json;

async fn network(f: &Fixture) -> Auth {
    f.login(&username(Role::Network, Side::A)).await
}

/// A form post with the session's CSRF token.
async fn post_form(f: &Fixture, auth: &Auth, path: &str, fields: &[(&str, &str)]) -> common::Reply {
    let Auth::Session { cookie, csrf } = auth else {
        panic!("a session")
    };
    let mut pairs: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    pairs.push(format!("csrf={}", urlencode(csrf)));
    f.send(
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("medvigil_session={cookie}"))
            .body(Body::from(pairs.join("&")))
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .await
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
async fn from_observed_traffic_to_an_approved_exported_policy_with_drift() {
    let f = fixture().await;
    let auth = network(&f).await;

    // Propose from the recorded conversations with the built-in zones (the
    // seeded policies have the demo's address plan, under which this small
    // group's pumps only talk inside their zone or through device rules).
    let r = f
        .call(
            Method::POST,
            "/api/v1/segmentation/policies",
            &auth,
            Some(json!({
                "note": "after the PACS migration",
                "zones_toml": medvigil_segment::ZonePolicy::default_toml(),
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let proposed = r.json();
    let number = proposed["summary"]["number"]
        .as_u64()
        .unwrap_or_else(|| panic!("number: {proposed}"));
    assert_eq!(number, u64::from(f.seeded[&Side::A].policies) + 1);
    assert_eq!(proposed["summary"]["status"], "proposed");
    assert_eq!(proposed["summary"]["proposed_by"], "network-a");
    assert!(proposed["summary"]["conduits"].as_u64() > Some(0));
    assert!(
        proposed["policy"]["zones"]
            .as_array()
            .is_some_and(|z| !z.is_empty())
    );
    // Against approved policy 1: the gateways are no longer in a zone.
    assert_eq!(proposed["compared_with"], 1);
    let diff = proposed["diff_text"].as_str().unwrap_or_default();
    assert!(
        diff.contains("+ conduit infusion -> unassigned tcp/443"),
        "{diff}"
    );
    assert!(
        proposed["diff"]["conduits"][0]["change"] == "added",
        "{}",
        proposed["diff"]
    );

    // Read back, and listed first.
    let r = f
        .call(
            Method::GET,
            &format!("/api/v1/segmentation/policies/{number}"),
            &auth,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["summary"]["note"], "after the PACS migration");
    let r = f
        .call(
            Method::GET,
            "/api/v1/segmentation/policies?per_page=2",
            &auth,
            None,
        )
        .await;
    assert_eq!(r.json()["items"][0]["number"], number);
    assert_eq!(r.json()["total"], number);
    assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(2));

    // Approve with a comment; the previous approved one is superseded.
    let r = f
        .call(
            Method::POST,
            &format!("/api/v1/segmentation/policies/{number}/decision"),
            &auth,
            Some(json!({ "decision": "approve", "comment": "checked with radiology" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["summary"]["status"], "approved");
    assert_eq!(
        r.json()["summary"]["decision_comment"],
        "checked with radiology"
    );
    let r = f
        .call(Method::GET, "/api/v1/segmentation/policies/1", &auth, None)
        .await;
    assert_eq!(r.json()["summary"]["status"], "superseded");
    // Deciding twice is a conflict that says why.
    let r = f
        .call(
            Method::POST,
            &format!("/api/v1/segmentation/policies/{number}/decision"),
            &auth,
            Some(json!({ "decision": "reject" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "refused");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("is approved")),
        "{}",
        r.text()
    );
    // Neither approve nor reject.
    let r = f
        .call(
            Method::POST,
            "/api/v1/segmentation/policies/2/decision",
            &auth,
            Some(json!({ "decision": "maybe" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Only the approved policy is enforced.
    let r = f
        .call(
            Method::POST,
            "/api/v1/segmentation/policies/2/enforcement",
            &auth,
            Some(json!({ "enforced": true })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // Exports: nftables (checked by the kernel's parser), Cisco, CSV.
    let r = f
        .call(
            Method::GET,
            &format!("/api/v1/segmentation/policies/{number}/export?format=nftables"),
            &auth,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let disposition = r
        .headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"medvigil-policy-{number}.nft\"")
    );
    assert!(
        r.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/plain"))
    );
    let ruleset = r.text();
    assert!(ruleset.contains("table inet medvigil"), "{ruleset}");
    medvigil_testkit::nft_check(&ruleset);
    let r = f
        .call(
            Method::GET,
            &format!("/api/v1/segmentation/policies/{number}/export?format=cisco"),
            &auth,
            None,
        )
        .await;
    assert!(r.text().contains("ip access-list extended"), "{}", r.text());
    let r = f
        .call(
            Method::GET,
            &format!("/api/v1/segmentation/policies/{number}/export?format=csv"),
            &auth,
            None,
        )
        .await;
    assert!(r.text().lines().count() > 2);
    let r = f
        .call(
            Method::GET,
            &format!("/api/v1/segmentation/policies/{number}/export?format=pdf"),
            &auth,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // The learned traffic does not drift.
    let r = f
        .call(Method::GET, "/api/v1/segmentation/drift", &auth, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["policy"], number);
    assert_eq!(r.json()["total"], 0, "{}", r.text());

    // New traffic: the internet reaches a device over telnet.
    let zones = f
        .call(
            Method::GET,
            "/api/v1/segmentation/zones?zone=infusion&per_page=500",
            &auth,
            None,
        )
        .await;
    assert_eq!(zones.status, StatusCode::OK);
    let pump = zones.json()["items"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["ip"].is_string()).cloned())
        .unwrap_or_else(|| panic!("an infusion pump with an address: {}", zones.text()));
    assert!(
        zones.json()["items"]
            .as_array()
            .is_some_and(|a| a.iter().all(|m| m["zone"] == "infusion"))
    );
    let ip: std::net::IpAddr = pump["ip"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("ip"));
    let now = time::OffsetDateTime::now_utc();
    let t = f.store.tenant(
        f.store
            .user_by_username("network-a")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("user"))
            .tenant,
    );
    t.record_conversations(&[medvigil_model::Conversation {
        client: medvigil_model::Peer {
            ip: "203.0.113.66".parse().unwrap_or_else(|_| panic!("ip")),
            mac: None,
        },
        server: medvigil_model::Peer { ip, mac: None },
        transport: "tcp".into(),
        port: 23,
        protocol: None,
        flows: 3,
        packets: 40,
        bytes: 4_096,
        first_seen: now - time::Duration::minutes(5),
        last_seen: now,
    }])
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let r = f
        .call(Method::GET, "/api/v1/segmentation/drift", &auth, None)
        .await;
    let body = r.json();
    assert_eq!(body["total"], 1, "{}", r.text());
    let alert = &body["items"][0];
    assert_eq!(alert["service"], "tcp/23");
    assert_eq!(alert["server"]["ip"], ip.to_string());
    assert_eq!(alert["client"]["zone"], "external");
    assert_eq!(alert["flows"], 3);
    assert_eq!(alert["bytes"], 4_096);
    assert!(alert["device"].is_string(), "{alert}");
    assert!(
        alert["rule"]
            .as_str()
            .is_some_and(|r| r.contains("external") || r.contains("restricted device")),
        "{alert}"
    );

    // Enforced: recorded, and the drift page says so.
    let r = f
        .call(
            Method::POST,
            &format!("/api/v1/segmentation/policies/{number}/enforcement"),
            &auth,
            Some(json!({ "enforced": true })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["enforced"], true);
    let html = f
        .call(Method::GET, "/segmentation/drift", &auth, None)
        .await
        .text();
    assert!(html.contains("tcp/23"), "{html}");
    assert!(html.contains("203.0.113.66"));
    assert!(html.contains("the firewall should have dropped them"));

    // Every step is in the audit log.
    let admin = f.login(&username(Role::Admin, Side::A)).await;
    let audit = f
        .call(Method::GET, "/api/v1/audit?per_page=500", &admin, None)
        .await
        .text();
    for action in [
        "segmentation_proposed",
        "segmentation_approved",
        "segmentation_exported",
        "segmentation_enforced",
    ] {
        assert!(audit.contains(action), "{action} not audited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zones_file_that_does_not_read_is_refused_with_its_line() {
    let f = fixture().await;
    let auth = network(&f).await;
    let zones = "[settings]\nintra_zone = \"allow\"\n\n[zones.imaging]\ndescription = \"x\"\n\n[[rules]]\nzone = \"imaging\"\ncategory = [\"toaster\"]\n";
    let r = f
        .call(
            Method::POST,
            "/api/v1/segmentation/policies",
            &auth,
            Some(json!({ "zones_toml": zones })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let message = r.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("line 9"), "{message}");
    // Nothing was stored.
    let r = f
        .call(Method::GET, "/api/v1/segmentation/policies", &auth, None)
        .await;
    assert_eq!(r.json()["total"], f.seeded[&Side::A].policies);
    // A custom zones file is kept with the policy.
    let own = format!(
        "{}\n[[overrides]]\ncidr = \"10.0.0.0/8\"\nzone = \"clinical-it\"\n",
        medvigil_segment::ZonePolicy::default_toml()
    );
    let r = f
        .call(
            Method::POST,
            "/api/v1/segmentation/policies",
            &auth,
            Some(json!({ "zones_toml": own })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(
        r.json()["zones_toml"]
            .as_str()
            .is_some_and(|z| z.contains("[[overrides]]"))
    );
    // Unknown fields are refused.
    let r = f
        .call(
            Method::POST,
            "/api/v1/segmentation/policies",
            &auth,
            Some(json!({ "zones": "x" })),
        )
        .await;
    assert!(r.status.is_client_error());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_show_matrix_graph_zones_and_the_review() {
    let f = fixture().await;
    let auth = network(&f).await;
    let list = f.call(Method::GET, "/segmentation", &auth, None).await;
    assert_eq!(list.status, StatusCode::OK);
    let html = list.text();
    assert!(html.contains("Propose a policy from observed traffic"));
    assert!(html.contains("href=\"/segmentation/2\""));
    assert!(!html.contains("<script"));

    // Proposing through the form lands on the new policy.
    let r = post_form(
        &f,
        &auth,
        "/segmentation",
        &[
            ("note", "from the form"),
            ("zones_toml", medvigil_segment::ZonePolicy::default_toml()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let number = f.seeded[&Side::A].policies + 1;
    let location = format!("/segmentation/{number}");
    assert_eq!(
        r.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some(location.as_str())
    );
    let html = f.call(Method::GET, &location, &auth, None).await.text();
    // The matrix: a row and a column per zone, services in the cells.
    assert!(html.contains("<table class=\"matrix\">"), "{html}");
    assert!(html.contains("<th scope=\"row\">infusion</th>"));
    assert!(
        html.contains("<span class=\"svc\">tcp/443</span>"),
        "{html}"
    );
    // The graph: inline SVG with its title and description.
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(html.contains("<title id=\"zone-graph-title\">Zones and conduits</title>"));
    assert!(html.contains("infusion to "));
    assert!(html.contains("marker-end="));
    // Review forms and export links.
    assert!(html.contains(&format!("action=\"/segmentation/{number}/decision\"")));
    assert!(html.contains(&format!(
        "/api/v1/segmentation/policies/{number}/export?format=nftables"
    )));
    assert!(html.contains("Compared with approved policy"));
    // Per-zone device list.
    let zone = f
        .call(
            Method::GET,
            &format!("/segmentation/{number}/zones?zone=imaging&per_page=5"),
            &auth,
            None,
        )
        .await;
    assert_eq!(zone.status, StatusCode::OK);
    let zone = zone.text();
    assert!(zone.contains("Devices in zone imaging"));
    assert!(zone.contains("page 1 of"));

    // Approve through the form; the page then offers enforcement.
    let r = post_form(
        &f,
        &auth,
        &format!("/segmentation/{number}/decision"),
        &[
            ("decision", "approve"),
            ("comment", "ok <b>for</b> radiology"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = f.call(Method::GET, &location, &auth, None).await.text();
    assert!(html.contains("Mark as enforced on the network"));
    assert!(
        html.contains("ok &lt;b&gt;for&lt;/b&gt; radiology"),
        "comment escaped"
    );
    let r = post_form(
        &f,
        &auth,
        &format!("/segmentation/{number}/enforcement"),
        &[("enforced", "true")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let html = f.call(Method::GET, &location, &auth, None).await.text();
    assert!(html.contains("Mark as no longer enforced"));
    // A second decision is refused with the reason, as a page.
    let r = post_form(
        &f,
        &auth,
        &format!("/segmentation/{number}/decision"),
        &[("decision", "reject")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("is approved"));

    // The drift page and the zones page answer.
    let html = f
        .call(Method::GET, "/segmentation/drift", &auth, None)
        .await
        .text();
    assert!(html.contains("No drift"), "{html}");
    let html = f
        .call(
            Method::GET,
            "/segmentation/zones?zone=infusion",
            &auth,
            None,
        )
        .await
        .text();
    assert!(html.contains("Devices in zone infusion"));

    // A CISO reads but sees no form; a biomedical engineer is refused.
    let ciso = f.login(&username(Role::Ciso, Side::A)).await;
    let html = f.call(Method::GET, &location, &ciso, None).await.text();
    assert!(html.contains("table class=\"matrix\""));
    assert!(!html.contains("/decision\""));
    assert!(!html.contains("format=nftables"));
    let biomed = f.login(&username(Role::Biomed, Side::A)).await;
    let r = f.call(Method::GET, &location, &biomed, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_tenants_policies_zones_and_drift_are_never_seen() {
    let f = fixture().await;
    let auth = network(&f).await;
    let r = f
        .call(
            Method::GET,
            "/api/v1/segmentation/policies?per_page=500",
            &auth,
            None,
        )
        .await;
    assert_eq!(r.json()["total"], f.seeded[&Side::A].policies);
    let b_only = f.seeded[&Side::B].policies;
    for path in [
        format!("/api/v1/segmentation/policies/{b_only}"),
        format!("/api/v1/segmentation/policies/{b_only}/export"),
        format!("/api/v1/segmentation/zones?policy={b_only}"),
        format!("/segmentation/{b_only}"),
    ] {
        let r = f.call(Method::GET, &path, &auth, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let r = f
        .call(
            Method::GET,
            "/api/v1/segmentation/zones?per_page=500",
            &auth,
            None,
        )
        .await;
    let other = &f.seeded[&Side::B].devices;
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), f.seeded[&Side::A].devices.len());
    assert!(items.iter().all(|m| {
        m["device"]
            .as_str()
            .is_some_and(|d| !other.iter().any(|o| o == d))
    }));
}
