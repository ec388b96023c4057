//! The store suite: the same tests on SQLite and PostgreSQL.

mod common;

use common::{Harness, exec, scalar};
use medvigil_inventory::{ImportOptions, ParsedRow, parse_csv, write_csv};
use medvigil_model::{Category, DeviceField, EuClass, SourceKind, TenantKind};
use medvigil_store::{
    AdvisoryChange, AdvisoryMeta, DeviceOrder, DeviceQuery, DeviceSortKey, EpssRow, FindingQuery,
    ImportReport, ImportRequest, KevRow, NewAdvisory, NewFinding, StoreError, TenantStore,
};

on_both_backends!(
    migrations_are_idempotent,
    import_list_filter_and_show,
    reimport_is_unchanged_and_updates_carry_provenance,
    dry_run_writes_nothing,
    failed_import_leaves_store_unchanged,
    tenants_are_isolated,
    strict_import_with_a_conflicting_row_writes_nothing,
    advisories_replace_their_findings_and_stay_per_tenant,
    feeds_are_saved_replaced_and_per_tenant,
    kev_and_epss_replace_and_join_findings,
    conversations_accumulate_per_service,
    remediation_trail_is_complete_append_only_and_per_tenant,
    accounts_sessions_tokens_and_audit_are_per_tenant,
    user_changes_keep_an_admin_and_locks_persist,
    risk_history_keeps_a_day_per_tenant,
    segmentation_review_supersedes_and_enforces,
    sensor_batches_apply_once_even_when_sent_concurrently,
    device_lists_sort_page_and_count_in_the_store,
    data_version_changes_with_every_commit,
);

fn demo_rows(n: usize) -> Vec<ParsedRow> {
    let h = medvigil_demo::generate_scaled(n, 7).unwrap_or_else(|e| panic!("{e}"));
    h.devices
        .into_iter()
        .enumerate()
        .map(|(i, fields)| ParsedRow {
            line: i as u64 + 2,
            fields,
        })
        .collect()
}

fn request(rows: Vec<ParsedRow>, dry_run: bool) -> ImportRequest {
    ImportRequest {
        rows,
        actor: "tester".into(),
        detail: "test.csv".into(),
        kind: SourceKind::CmmsImport,
        dry_run,
        strict: false,
    }
}

/// The store of a hospital group tenant called "CHU".
async fn hospital(h: &Harness) -> TenantStore<'_> {
    let tenant = h
        .store
        .ensure_tenant("CHU", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    h.store.tenant(tenant.id)
}

async fn import(t: &TenantStore<'_>, rows: Vec<ParsedRow>) -> ImportReport {
    t.import(request(rows, false), &mut |_, _| {})
        .await
        .unwrap_or_else(|e| panic!("import: {e}"))
}

/// Everything a tenant has, as text: equal snapshots mean an unchanged store.
async fn snapshot(h: &Harness, t: &TenantStore<'_>) -> String {
    let devices = t
        .devices(&DeviceQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    write_csv(
        &mut out,
        devices.iter().map(|d| (Some(d.id.to_string()), &d.fields)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let seen: Vec<String> = devices
        .iter()
        .map(|d| format!("{} {} {:?}", d.first_seen, d.last_seen, d.sources))
        .collect();
    let provenance = scalar(&h.url, "SELECT COUNT(*) FROM provenance").await;
    let sites = scalar(&h.url, "SELECT COUNT(*) FROM sites").await;
    let advisories = scalar(&h.url, "SELECT COUNT(*) FROM advisories").await;
    let findings = scalar(&h.url, "SELECT COUNT(*) FROM findings").await;
    format!(
        "{}\n{}\nprovenance={provenance} sites={sites} advisories={advisories} findings={findings}",
        String::from_utf8_lossy(&out),
        seen.join("\n")
    )
}

async fn migrations_are_idempotent(h: &Harness) {
    let again = medvigil_store::Store::open(&h.url)
        .await
        .unwrap_or_else(|e| panic!("reopen: {e}"));
    // One row per migration file, however often the store is opened.
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count();
    assert_eq!(
        scalar(&h.url, "SELECT COUNT(*) FROM schema_migrations").await,
        files.to_string()
    );
    if again.backend() == medvigil_store::Backend::Sqlite {
        assert_eq!(scalar(&h.url, "PRAGMA journal_mode").await, "wal");
    }
    again.close().await;
}

async fn import_list_filter_and_show(h: &Harness) {
    let t = hospital(h).await;
    let rows = demo_rows(1_200);
    let expected = rows.clone();
    let report = import(&t, rows).await;
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (1_200, 0, 0)
    );
    assert!(report.rejected.is_empty());
    let sites: std::collections::BTreeSet<_> = expected
        .iter()
        .filter_map(|r| r.fields.location.site.clone())
        .collect();
    assert_eq!(report.sites_created.len(), sites.len());

    let all = t
        .devices(&DeviceQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 1_200);
    let count = |f: &dyn Fn(&medvigil_model::DeviceFields) -> bool| {
        expected.iter().filter(|r| f(&r.fields)).count()
    };
    let q =
        |q: DeviceQuery| async move { t.devices(&q).await.unwrap_or_else(|e| panic!("{e}")).len() };
    assert_eq!(
        q(DeviceQuery {
            category: Some(Category::InfusionPump),
            ..Default::default()
        })
        .await,
        count(&|f| f.category == Some(Category::InfusionPump))
    );
    assert_eq!(
        q(DeviceQuery {
            eu_class: Some(EuClass::IIb),
            ..Default::default()
        })
        .await,
        count(&|f| f.eu_class == Some(EuClass::IIb))
    );
    assert_eq!(
        q(DeviceQuery {
            vendor: Some("braun".into()),
            ..Default::default()
        })
        .await,
        count(&|f| f
            .vendor
            .as_deref()
            .is_some_and(|v| v.to_lowercase().contains("braun")))
    );
    assert_eq!(
        q(DeviceQuery {
            search: Some("ICU A".into()),
            ..Default::default()
        })
        .await,
        count(&|f| f.location.ward.as_deref() == Some("ICU A"))
    );
    let site = expected[0].fields.location.site.clone();
    assert_eq!(
        q(DeviceQuery {
            site: site.clone(),
            ..Default::default()
        })
        .await,
        count(&|f| f.location.site == site)
    );
    assert_eq!(
        q(DeviceQuery {
            limit: Some(10),
            offset: 1_195,
            ..Default::default()
        })
        .await,
        5
    );
    // LIKE wildcards in user text are literal.
    assert_eq!(
        q(DeviceQuery {
            search: Some("%".into()),
            ..Default::default()
        })
        .await,
        0
    );

    let one = &expected[17].fields;
    for key in [
        one.asset_tag.clone().unwrap_or_default(),
        one.serial.clone().unwrap_or_default(),
        one.mac
            .map(|m| m.to_string().to_uppercase())
            .unwrap_or_default(),
        one.hostname
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    ] {
        let d = t
            .device(&key)
            .await
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(&d.fields, one, "{key}");
        assert_eq!(d.sources.len(), one.set_fields().len());
        assert!(d.sources.values().all(|p| Some(*p) == report.provenance));
    }
    assert!(matches!(
        t.device("nope").await,
        Err(StoreError::NotFound { .. })
    ));
    let summary = t
        .summary(time::macros::date!(2026 - 11 - 29))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.total, 1_200);
    assert_eq!(summary.by_category.values().sum::<u64>(), 1_200);
}

async fn reimport_is_unchanged_and_updates_carry_provenance(h: &Harness) {
    let t = hospital(h).await;
    let rows = demo_rows(600);
    let first = import(&t, rows.clone()).await;
    let again = import(&t, rows.clone()).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 600));

    let mut changed = rows[5].clone();
    changed.fields.software_version = Some("99.1".into());
    let update = import(&t, vec![changed.clone()]).await;
    assert_eq!(
        (update.created, update.updated, update.unchanged),
        (0, 1, 0)
    );
    let tag = changed.fields.asset_tag.clone().unwrap_or_default();
    let d = t.device(&tag).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.fields.software_version.as_deref(), Some("99.1"));
    assert_eq!(
        d.sources.get(&DeviceField::SoftwareVersion).copied(),
        update.provenance
    );
    assert_eq!(
        d.sources.get(&DeviceField::Model).copied(),
        first.provenance
    );
    assert!(d.last_seen >= d.first_seen);
}

async fn dry_run_writes_nothing(h: &Harness) {
    let t = hospital(h).await;
    import(&t, demo_rows(300)).await;
    let before = snapshot(h, &t).await;
    let report = t
        .import(request(demo_rows(900), true), &mut |_, _| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.dry_run);
    assert_eq!((report.created, report.unchanged), (600, 300));
    assert_eq!(report.provenance, None);
    assert_eq!(snapshot(h, &t).await, before);
}

async fn failed_import_leaves_store_unchanged(h: &Harness) {
    let t = hospital(h).await;
    import(&t, demo_rows(200)).await;
    let before = snapshot(h, &t).await;
    // A constraint the importer does not know about makes the database refuse
    // a row far into the import, after earlier batches were written.
    exec(
        &h.url,
        "CREATE UNIQUE INDEX test_hostname_once ON devices (tenant_id, hostname)",
    )
    .await;
    let mut rows = demo_rows(2_000);
    rows[1_600].fields.hostname = rows[1_500].fields.hostname.clone();
    let result = t.import(request(rows, false), &mut |_, _| {}).await;
    assert!(matches!(result, Err(StoreError::Database(_))), "{result:?}");
    exec(&h.url, "DROP INDEX test_hostname_once").await;
    assert_eq!(snapshot(h, &t).await, before);
}

async fn tenants_are_isolated(h: &Harness) {
    let a = h
        .store
        .ensure_tenant("Hospital A", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let b = h
        .store
        .ensure_tenant("Hospital B", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (ta, tb) = (h.store.tenant(a.id), h.store.tenant(b.id));
    let rows = demo_rows(100);
    import(&ta, rows.clone()).await;
    assert!(
        tb.devices(&DeviceQuery::default())
            .await
            .unwrap_or_default()
            .is_empty()
    );
    assert!(tb.sites().await.unwrap_or_default().is_empty());
    let tag = rows[0].fields.asset_tag.clone().unwrap_or_default();
    assert!(matches!(
        tb.device(&tag).await,
        Err(StoreError::NotFound { .. })
    ));
    // The same rows in B are new devices of B, not updates of A's.
    let report = import(&tb, rows).await;
    assert_eq!(report.created, 100);
    assert_eq!(
        ta.devices(&DeviceQuery::default())
            .await
            .unwrap_or_default()
            .len(),
        100
    );
    assert_eq!(
        tb.summary(time::macros::date!(2026 - 11 - 29))
            .await
            .map(|s| s.total)
            .unwrap_or(0),
        100
    );
}

#[test]
fn csv_parse_feeds_the_store() {
    // The import path the CLI uses: parse, then store; kept here so a change
    // of either side that breaks the other is caught in one place.
    let p = parse_csv(b"asset_tag,vendor\nA1,GE\n", &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.rows.len(), 1);
}

async fn strict_import_with_a_conflicting_row_writes_nothing(h: &Harness) {
    let t = hospital(h).await;
    let rows = demo_rows(50);
    import(&t, rows.clone()).await;
    let before = snapshot(h, &t).await;
    // New devices, and one row whose asset tag names device 0 and serial device 1.
    let mut more = demo_rows(80)[50..].to_vec();
    let mut conflict = rows[0].clone();
    conflict.fields.serial = rows[1].fields.serial.clone();
    conflict.fields.vendor = rows[1].fields.vendor.clone();
    more.push(conflict);
    let mut req = request(more, false);
    req.strict = true;
    let report = t
        .import(req, &mut |_, _| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.rejected.len(), 1);
    assert!(report.dry_run);
    assert_eq!(report.provenance, None);
    assert_eq!(snapshot(h, &t).await, before);
}

fn advisory(id: &str, sha: &str) -> NewAdvisory {
    NewAdvisory {
        meta: AdvisoryMeta {
            format: "csaf".into(),
            id: id.into(),
            version: Some("1".into()),
            title: Some(format!("{id} title")),
            publisher: Some("CISA".into()),
            published: Some("2025-02-27T07:00:00Z".into()),
            modified: Some("2025-02-27T07:00:00Z".into()),
            vulnerabilities: vec!["CVE-2025-0001".into(), "CVE-2025-0002".into()],
            origin: format!("{id}.json"),
            sha256: sha.into(),
        },
        diagnostics: "[]".into(),
        errors: 0,
        document: "{}".into(),
    }
}

fn finding(device: medvigil_model::DeviceId, cve: &str) -> NewFinding {
    NewFinding {
        device,
        vulnerability: cve.into(),
        status: "affected".into(),
        confidence: 90,
        evidence: r#"{"matched_by":"model_number"}"#.into(),
        remediation: Some(r#"[{"category":"vendor_fix"}]"#.into()),
    }
}

async fn advisories_replace_their_findings_and_stay_per_tenant(h: &Harness) {
    let t = hospital(h).await;
    import(&t, demo_rows(20)).await;
    let devices = t
        .devices(&DeviceQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (devices[0].id, devices[1].id);

    let first = vec![(
        advisory("ICSMA-25-001-01", "aa"),
        vec![finding(a, "CVE-2025-0001"), finding(b, "CVE-2025-0002")],
    )];
    let changes = t
        .store_advisories(&first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(changes, [AdvisoryChange::New]);
    assert_eq!(
        t.store_advisories(&first)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        [AdvisoryChange::Unchanged]
    );
    let all = t
        .findings(&FindingQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].evidence["matched_by"], "model_number");
    let listed = t
        .advisories(Some("cve-2025-0002"), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].affected_devices, 2);

    // A revision replaces the advisory and all its findings.
    let revised = vec![(
        advisory("ICSMA-25-001-01", "bb"),
        vec![finding(b, "CVE-2025-0002")],
    )];
    assert_eq!(
        t.store_advisories(&revised)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        [AdvisoryChange::Updated]
    );
    let all = t
        .findings(&FindingQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].device, b);
    let by_device = t
        .findings(&FindingQuery {
            device: Some(a),
            ..FindingQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(by_device.is_empty());
    let detail = t
        .advisory("icsma-25-001-01")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(detail.summary.meta.sha256, "bb");

    // A finding on a device that does not exist fails the whole write.
    let before = snapshot(h, &t).await;
    let broken = vec![
        (
            advisory("ICSMA-25-002-01", "cc"),
            vec![finding(a, "CVE-2025-0001")],
        ),
        (
            advisory("ICSMA-25-003-01", "dd"),
            vec![finding(medvigil_model::DeviceId::new(), "CVE-2025-0003")],
        ),
    ];
    assert!(t.store_advisories(&broken).await.is_err());
    assert_eq!(snapshot(h, &t).await, before);
    assert!(matches!(
        t.advisory("ICSMA-25-002-01").await,
        Err(StoreError::NotFound { .. })
    ));

    // Another tenant sees none of it.
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let o = h.store.tenant(other.id);
    assert!(
        o.advisories(None, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    assert!(
        o.findings(&FindingQuery::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    assert!(o.advisory("ICSMA-25-001-01").await.is_err());
}

async fn feeds_are_saved_replaced_and_per_tenant(h: &Harness) {
    let t = hospital(h).await;
    t.save_feed("cisa", r#"{"v":1}"#, "/m/cisa")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    t.save_feed("cisa", r#"{"v":2}"#, "/m/cisa")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    t.save_feed("local", "{}", "/m/local")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    t.record_feed_sync("cisa", r#"{"new":3}"#)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(t.record_feed_sync("nope", "{}").await.is_err());
    let feeds = t.feeds().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(feeds.len(), 2);
    assert_eq!(feeds[0].name, "cisa");
    assert_eq!(feeds[0].config, r#"{"v":2}"#);
    assert_eq!(feeds[0].last_report.as_deref(), Some(r#"{"new":3}"#));
    assert!(feeds[1].last_sync.is_none());
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        h.store
            .tenant(other.id)
            .feeds()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    assert!(
        h.store
            .tenant(other.id)
            .record_feed_sync("cisa", "{}")
            .await
            .is_err()
    );
}

fn kev_row(cve: &str) -> KevRow {
    KevRow {
        cve: cve.into(),
        name: "x".into(),
        date_added: "2025-08-25".into(),
        due_date: "2025-09-15".into(),
        ransomware: "Known".into(),
        required_action: "Apply updates".into(),
    }
}

async fn kev_and_epss_replace_and_join_findings(h: &Harness) {
    let t = hospital(h).await;
    import(&t, demo_rows(5)).await;
    let devices = t
        .devices(&DeviceQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let items = vec![(
        advisory("ICSMA-25-009-01", "ee"),
        vec![
            finding(devices[0].id, "CVE-2025-0001"),
            finding(devices[0].id, "CVE-2025-0002"),
        ],
    )];
    t.store_advisories(&items)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    t.replace_kev(&[kev_row("CVE-2025-0001"), kev_row("CVE-2020-9999")])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let epss = EpssRow {
        cve: "CVE-2025-0002".into(),
        score: "0.97123".into(),
        percentile: "0.99987".into(),
        score_date: None,
    };
    t.replace_epss(&[epss])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let f = t
        .findings(&FindingQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let by = |cve: &str| {
        f.iter()
            .find(|x| x.vulnerability == cve)
            .unwrap_or_else(|| panic!("{cve}"))
    };
    assert!(by("CVE-2025-0001").kev && by("CVE-2025-0001").epss.is_none());
    assert!(!by("CVE-2025-0002").kev);
    assert_eq!(by("CVE-2025-0002").epss.as_deref(), Some("0.97123"));
    // A new catalog replaces the old one.
    t.replace_kev(&[kev_row("CVE-2025-0002")])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        t.kev("CVE-2025-0001")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
    assert_eq!(
        t.kev("CVE-2025-0002")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .map(|k| k.ransomware)
            .as_deref(),
        Some("Known")
    );
}

fn conversation(
    port: u16,
    bytes: u64,
    first: i64,
    last: i64,
    protocol: Option<&str>,
) -> medvigil_model::Conversation {
    let at = |s: i64| {
        time::OffsetDateTime::from_unix_timestamp(s).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    };
    medvigil_model::Conversation {
        client: medvigil_model::Peer {
            ip: "10.0.0.5".parse().unwrap_or_else(|e| panic!("{e}")),
            mac: "00:03:b1:00:00:05".parse().ok(),
        },
        server: medvigil_model::Peer {
            ip: "10.0.0.9".parse().unwrap_or_else(|e| panic!("{e}")),
            mac: None,
        },
        transport: "tcp".into(),
        port,
        protocol: protocol.map(str::to_owned),
        flows: 1,
        packets: 10,
        bytes,
        first_seen: at(first),
        last_seen: at(last),
    }
}

async fn conversations_accumulate_per_service(h: &Harness) {
    let t = hospital(h).await;
    t.record_conversations(&[
        conversation(104, 1000, 100, 200, Some("dicom")),
        conversation(2575, 50, 150, 160, None),
    ])
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    t.record_conversations(&[conversation(104, 500, 50, 120, None)])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let all = t
        .conversations(None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.len(), 2);
    let dicom = &all[0];
    assert_eq!(
        (dicom.port, dicom.flows, dicom.packets, dicom.bytes),
        (104, 2, 20, 1500)
    );
    assert_eq!(
        dicom.protocol.as_deref(),
        Some("dicom"),
        "a recognised protocol stays"
    );
    assert_eq!(
        (
            dicom.first_seen.unix_timestamp(),
            dicom.last_seen.unix_timestamp()
        ),
        (50, 200)
    );
    assert_eq!(
        dicom.client.mac.map(|m| m.to_string()).as_deref(),
        Some("00:03:b1:00:00:05")
    );
    assert_eq!(
        t.conversations(Some(1))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .len(),
        1
    );
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        h.store
            .tenant(other.id)
            .conversations(None)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
}

async fn remediation_trail_is_complete_append_only_and_per_tenant(h: &Harness) {
    use medvigil_model::{Action, Event, Status, Team};
    use medvigil_store::RemediationQuery;
    use time::macros::{date, datetime};

    let t = hospital(h).await;
    import(&t, demo_rows(5)).await;
    let devices = t.devices(&DeviceQuery::default()).await.unwrap_or_default();
    let at = datetime!(2026-11-01 09:00 UTC);
    let today = date!(2026 - 11 - 01);
    let created = t
        .create_remediation(
            devices[0].id,
            Some("CVE-2025-0001"),
            Event::Created {
                action: Action::Update,
                owner: Team::Biomedical,
                due: Some(date!(2026 - 11 - 15)),
                target_version: Some("9.33".into()),
            },
            "alice",
            at,
        )
        .await
        .unwrap_or_else(|e| panic!("create: {e}"));
    let id = created.id;
    // A refused step writes nothing: not even the valid steps before it.
    let refused = t
        .record_remediation(
            id,
            vec![
                Event::Comment {
                    text: "vendor visit booked".into(),
                },
                Event::RiskAccepted {
                    justification: String::new(),
                    until: date!(2027 - 01 - 01),
                },
            ],
            "bob",
            at,
            today,
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Workflow(_))),
        "{refused:?}"
    );
    let (_, trail) = t
        .remediation(&id.to_string()[24..])
        .await
        .unwrap_or_else(|e| panic!("show: {e}"));
    assert_eq!(trail.len(), 1, "only the creation");

    let accepted = t
        .record_remediation(
            id,
            vec![
                Event::Comment {
                    text: "no fix before the spring release".into(),
                },
                Event::RiskAccepted {
                    justification: "pump VLAN isolated, no route from the clinical LAN".into(),
                    until: date!(2026 - 12 - 01),
                },
            ],
            "carol",
            datetime!(2026-11-02 10:00 UTC),
            date!(2026 - 11 - 02),
        )
        .await
        .unwrap_or_else(|e| panic!("accept: {e}"));
    assert_eq!(accepted.status, Status::Accepted);

    // The acceptance ends and the remediation comes back with a new due date.
    let back = t
        .expire_acceptances(date!(2026 - 12 - 01), |_| Some(date!(2026 - 12 - 15)))
        .await
        .unwrap_or_else(|e| panic!("expire: {e}"));
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].status, Status::Open);
    assert!(back[0].is_overdue(date!(2026 - 12 - 16)));
    let again = t
        .expire_acceptances(date!(2026 - 12 - 02), |_| None)
        .await
        .unwrap_or_default();
    assert!(again.is_empty(), "expires once");

    let (row, trail) = t
        .remediation(&id.to_string())
        .await
        .unwrap_or_else(|e| panic!("show: {e}"));
    let kinds: Vec<String> = trail
        .iter()
        .map(|e| serde_json::to_value(&e.event).unwrap_or_default()["kind"].to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "\"created\"",
            "\"comment\"",
            "\"risk-accepted\"",
            "\"expired\""
        ]
    );
    let actors: Vec<&str> = trail.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(actors, ["alice", "carol", "carol", "system"]);
    assert_eq!(row.remediation.due, Some(date!(2026 - 12 - 15)));
    assert_eq!(
        row.remediation.justification.as_deref(),
        Some("pump VLAN isolated, no route from the clinical LAN")
    );

    // The trail cannot be rewritten, even by SQL outside the workflow.
    for sql in [
        "UPDATE remediation_events SET actor = 'mallory'",
        "DELETE FROM remediation_events",
    ] {
        // `exec` panics on a refused statement; the task catches it.
        let url = h.url.clone();
        let outcome = tokio::spawn(async move { exec(&url, sql).await }).await;
        assert!(outcome.is_err(), "{sql} must be refused");
    }
    let (_, unchanged) = t
        .remediation(&id.to_string())
        .await
        .unwrap_or_else(|e| panic!("show: {e}"));
    assert_eq!(unchanged, trail);

    // Lists filter, and another tenant sees nothing and cannot write.
    let open = t
        .remediations(&RemediationQuery {
            status: Some(Status::Open),
            ..RemediationQuery::default()
        })
        .await
        .unwrap_or_default();
    assert_eq!(open.len(), 1);
    assert!(open[0].asset_tag.is_some());
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let o = h.store.tenant(other.id);
    assert!(
        o.remediations(&RemediationQuery::default())
            .await
            .unwrap_or_default()
            .is_empty()
    );
    assert!(matches!(
        o.remediation(&id.to_string()).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        o.record_remediation(
            id,
            vec![Event::Comment { text: "x".into() }],
            "eve",
            at,
            today
        )
        .await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        o.create_remediation(
            devices[1].id,
            None,
            Event::Created {
                action: Action::Segment,
                owner: Team::Network,
                due: None,
                target_version: None,
            },
            "eve",
            at,
        )
        .await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn accounts_sessions_tokens_and_audit_are_per_tenant(h: &Harness) {
    use medvigil_store::{ApiTokenRecord, NewAuditEntry, NewUser, SessionRecord};
    use time::macros::datetime;

    let a = hospital(h).await;
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let b = h.store.tenant(other.id);
    let at = datetime!(2026-11-01 09:00 UTC);
    let new = |name: &str| NewUser {
        username: name.into(),
        email: Some(format!("{name}@chu.example")),
        role: "biomed".into(),
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
    };
    let alice = a
        .create_user(new("  Alice "), at)
        .await
        .unwrap_or_else(|e| panic!("create: {e}"));
    assert_eq!(alice.username, "alice");
    assert_eq!(alice.tenant, a.tenant_id());
    // Names are unique in the installation, whatever the tenant or case.
    let taken = b.create_user(new("ALICE"), at).await;
    assert!(
        matches!(taken, Err(StoreError::Duplicate { .. })),
        "{taken:?}"
    );
    let bob = b
        .create_user(new("bob"), at)
        .await
        .unwrap_or_else(|e| panic!("create: {e}"));
    let found = h
        .store
        .user_by_username("Alice")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.as_ref().map(|u| u.id), Some(alice.id));
    assert_eq!(a.users().await.unwrap_or_default().len(), 1);
    // Another tenant's user is not found through this tenant.
    assert!(matches!(
        a.user(bob.id).await,
        Err(StoreError::NotFound { .. })
    ));
    a.set_password_hash(alice.id, "$argon2id$new")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(b.set_password_hash(alice.id, "x").await.is_err());

    // Sessions: found by hash with their user, touched, ended.
    let session = SessionRecord {
        id_hash: "ab".repeat(32),
        user: alice.id,
        created_at: at,
        last_seen: at,
    };
    a.insert_session(&session)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let later = datetime!(2026-11-01 09:10 UTC);
    a.touch_session(&session.id_hash, later)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (s, u) = h
        .store
        .session_by_hash(&session.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("session"));
    assert_eq!(
        (s.last_seen, u.id, u.password_hash.as_str()),
        (later, alice.id, "$argon2id$new")
    );
    assert!(!b.delete_session(&session.id_hash).await.unwrap_or(true));
    a.update_user(
        alice.id,
        medvigil_store::UserChange {
            disabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        h.store
            .session_by_hash(&session.id_hash)
            .await
            .unwrap_or_default()
            .is_none()
    );
    a.update_user(
        alice.id,
        medvigil_store::UserChange {
            disabled: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    // Tokens: found by id, revoked once, per tenant.
    let token = ApiTokenRecord {
        id: "abcdefghijkl".into(),
        hash: "cd".repeat(32),
        user: alice.id,
        scopes: vec!["read_inventory".into()],
        created_at: at,
        expires_at: Some(datetime!(2027-01-01 0:00 UTC)),
        revoked_at: None,
    };
    a.insert_token(&token)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (k, owner) = h
        .store
        .token_by_id("abcdefghijkl")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("token"));
    assert_eq!((k.clone(), owner.id), (token.clone(), alice.id));
    assert!(b.revoke_token("abcdefghijkl", later).await.is_err());
    assert!(b.tokens(None).await.unwrap_or_default().is_empty());
    let revoked = a
        .revoke_token("abcdefghijkl", later)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(revoked.revoked_at, Some(later));
    let again = a
        .revoke_token("abcdefghijkl", datetime!(2026-12-01 0:00 UTC))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.revoked_at, Some(later), "the first revocation stays");
    assert_eq!(a.tokens(Some(alice.id)).await.unwrap_or_default().len(), 1);

    // The audit log: per tenant, newest first, paged, append-only.
    for i in 0..3 {
        a.append_audit(NewAuditEntry {
            actor: "alice".into(),
            action: "login".into(),
            target: Some(format!("t{i}")),
            detail: serde_json::json!({ "n": i }),
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }
    let (page, total) = a.audit(2, 0).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((page.len(), total), (2, 3));
    assert_eq!(page[0].target.as_deref(), Some("t2"));
    assert_eq!(page[0].detail["n"], 2);
    assert_eq!(b.audit(10, 0).await.unwrap_or_default().1, 0);
    for sql in [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
    ] {
        let url = h.url.clone();
        let outcome = tokio::spawn(async move { exec(&url, sql).await }).await;
        assert!(outcome.is_err(), "{sql} must be refused");
    }
    assert_eq!(a.audit(10, 0).await.unwrap_or_default().1, 3);
}

async fn segmentation_review_supersedes_and_enforces(h: &Harness) {
    let t = hospital(h).await;
    let first = t
        .propose_segmentation("zones", "{}", Some("first"), "netops")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((first.number, first.status.as_str()), (1, "proposed"));
    assert!(matches!(
        t.set_segmentation_enforced(1, true).await,
        Err(StoreError::Refused(_))
    ));
    t.decide_segmentation(1, true, "ciso", None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    t.set_segmentation_enforced(1, true)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let second = t
        .propose_segmentation("zones", "{}", None, "netops")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.number, 2);
    let decided = t
        .decide_segmentation(2, true, "ciso", Some("checked with the PACS team"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        decided.decision_comment.as_deref(),
        Some("checked with the PACS team")
    );
    let all = t.segmentation_policies().await.unwrap_or_default();
    let status: Vec<(u32, &str)> = all.iter().map(|p| (p.number, p.status.as_str())).collect();
    assert_eq!(status, [(2, "approved"), (1, "superseded")]);
    let approved = t.approved_segmentation().await.ok().flatten();
    assert_eq!(approved.map(|p| (p.number, p.enforced)), Some((2, false)));
    assert!(matches!(
        t.decide_segmentation(1, false, "ciso", None).await,
        Err(StoreError::Refused(_))
    ));
    // Another tenant sees none of it.
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let o = h.store.tenant(other.id);
    assert!(
        o.segmentation_policies()
            .await
            .unwrap_or_default()
            .is_empty()
    );
    assert!(matches!(
        o.decide_segmentation(2, false, "eve", None).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn user_changes_keep_an_admin_and_locks_persist(h: &Harness) {
    use medvigil_store::{NewUser, SessionRecord, UserChange};
    use time::macros::datetime;

    let a = hospital(h).await;
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let b = h.store.tenant(other.id);
    let at = datetime!(2026-11-01 09:00 UTC);
    let new = |name: &str, role: &str| NewUser {
        username: name.into(),
        email: None,
        role: role.into(),
        password_hash: "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA".into(),
    };
    let root = a
        .create_user(new("root", "admin"), at)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let nurse = a
        .create_user(new("nurse", "biomed"), at)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The only active admin can be neither demoted nor disabled.
    for change in [
        UserChange {
            role: Some("auditor".into()),
            ..UserChange::default()
        },
        UserChange {
            disabled: Some(true),
            ..UserChange::default()
        },
    ] {
        let r = a.update_user(root.id, change).await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
    }
    assert_eq!(
        a.user(root.id).await.map(|u| (u.role, u.disabled)).ok(),
        Some(("admin".to_owned(), false))
    );
    // Once another admin exists, the first may go.
    let promoted = a
        .update_user(
            nurse.id,
            UserChange {
                role: Some("admin".into()),
                ..UserChange::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(promoted.role, "admin");
    // Disabling ends the user's sessions, in the same transaction.
    a.insert_session(&SessionRecord {
        id_hash: "cd".repeat(32),
        user: root.id,
        created_at: at,
        last_seen: at,
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let disabled = a
        .update_user(
            root.id,
            UserChange {
                disabled: Some(true),
                ..UserChange::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(disabled.disabled);
    let session = h
        .store
        .session_by_hash(&"cd".repeat(32))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(session.is_none(), "the session of a disabled user remains");
    // Another tenant's user is not found, let alone changed.
    let r = b.update_user(nurse.id, UserChange::default()).await;
    assert!(matches!(r, Err(StoreError::NotFound { .. })), "{r:?}");
    // A lock is stored with the account, read back, and lifted.
    let until = datetime!(2026-11-01 09:15 UTC);
    a.set_user_locked_until(nurse.id, Some(until))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let locked = h
        .store
        .user_by_username("nurse")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("nurse"));
    assert_eq!(locked.locked_until, Some(until));
    assert!(locked.locked_at(at) && !locked.locked_at(until));
    assert!(b.set_user_locked_until(nurse.id, None).await.is_err());
    let unlocked = a
        .update_user(
            nurse.id,
            UserChange {
                unlock: true,
                ..UserChange::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unlocked.locked_until, None);
    assert_eq!(
        a.user(nurse.id).await.map(|u| u.locked_until).ok(),
        Some(None)
    );
}

async fn risk_history_keeps_a_day_per_tenant(h: &Harness) {
    use medvigil_store::RiskDay;
    use time::macros::date;

    let a = hospital(h).await;
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let b = h.store.tenant(other.id);
    let day = |d, p1| RiskDay {
        day: d,
        devices: 120,
        by_priority: [p1, 4, 9, 30],
        open_remediations: 17,
        overdue: 3,
    };
    for d in [
        day(date!(2026 - 11 - 28), 6),
        day(date!(2026 - 11 - 29), 5),
        day(date!(2026 - 11 - 30), 4),
        // The day's latest picture replaces the earlier one.
        day(date!(2026 - 11 - 30), 2),
    ] {
        a.record_risk_day(&d)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let got = a
        .risk_history(date!(2026 - 11 - 29))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        got,
        vec![day(date!(2026 - 11 - 29), 5), day(date!(2026 - 11 - 30), 2)]
    );
    assert!(
        b.risk_history(date!(2000 - 01 - 01))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
}

fn discovered(mac: &str, ip: &str, vendor: &str) -> ParsedRow {
    ParsedRow {
        line: 1,
        fields: medvigil_model::DeviceFields {
            mac: mac.parse().ok(),
            ip: ip.parse().ok(),
            vendor: Some(vendor.into()),
            ..medvigil_model::DeviceFields::default()
        },
    }
}

fn sensor_batch(id: uuid::Uuid, dry_run: bool) -> medvigil_store::DiscoveryImport {
    medvigil_store::DiscoveryImport {
        rows: vec![
            discovered("00:03:b1:00:00:05", "10.0.0.5", "Hospira, Inc."),
            discovered("00:03:b1:00:00:06", "10.0.0.6", "Hospira, Inc."),
        ],
        conversations: vec![conversation(6661, 300, 100, 200, Some("hl7"))],
        actor: "sensor".into(),
        detail: format!("sensor ward-3: batch {id}"),
        dry_run,
        batch: Some(medvigil_store::SensorBatch {
            id,
            sensor: "ward-3".into(),
        }),
    }
}

async fn sensor_batches_apply_once_even_when_sent_concurrently(h: &Harness) {
    use medvigil_store::DiscoveryOutcome::{AlreadyApplied, Applied};
    let t = hospital(h).await;
    // The CMMS knows one of the two pumps, under its current vendor name.
    let mut known = discovered("00:03:b1:00:00:05", "10.9.9.9", "ICU Medical");
    known.fields.model = Some("Plum 360".into());
    import(&t, vec![known]).await;
    let id = uuid::Uuid::now_v7();

    // A dry run writes nothing, not even the batch id.
    let dry = t
        .import_discovery(sensor_batch(id, true))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(dry, Applied(ref r, _) if r.dry_run && r.created == 1),
        "{dry:?}"
    );
    assert_eq!(
        t.sensor_batch_count()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
    assert!(
        t.conversations(None)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );

    // The same batch delivered twice at once: one applies, one is told so.
    let (one, two) = tokio::join!(
        t.import_discovery(sensor_batch(id, false)),
        t.import_discovery(sensor_batch(id, false))
    );
    let outcomes = [
        one.unwrap_or_else(|e| panic!("{e}")),
        two.unwrap_or_else(|e| panic!("{e}")),
    ];
    let applied: Vec<_> = outcomes
        .iter()
        .filter_map(|o| match o {
            Applied(r, _) => Some(r),
            AlreadyApplied { .. } => None,
        })
        .collect();
    assert_eq!(applied.len(), 1, "{outcomes:?}");
    assert_eq!((applied[0].created, applied[0].updated), (1, 1));
    assert_eq!(
        t.sensor_batch_count()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        1
    );
    let flows = t
        .conversations(None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(flows.len(), 1);
    assert_eq!((flows[0].flows, flows[0].bytes), (1, 300));
    // Discovery fills gaps: the CMMS vendor stays, the new IP is news.
    let pump = t
        .device("00:03:b1:00:00:05")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pump.fields.vendor.as_deref(), Some("ICU Medical"));
    assert_eq!(
        pump.fields.ip.map(|i| i.to_string()).as_deref(),
        Some("10.0.0.5")
    );

    // Batch ids are per tenant.
    let other = h
        .store
        .ensure_tenant("Other", TenantKind::HospitalGroup)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let o = h.store.tenant(other.id);
    assert!(matches!(
        o.import_discovery(sensor_batch(id, false)).await,
        Ok(Applied(..))
    ));
    assert_eq!(
        t.sensor_batch_count()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        1
    );
    assert_eq!(
        o.sensor_batch_count()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        1
    );
}

/// Issue 6: a device list page is sorted, cut and counted by the store. Every
/// order, read page by page, gives the whole filtered list once, in the
/// order the same sort in Rust gives (no value first ascending, last
/// descending, ties by id), and the count is the filtered total.
async fn device_lists_sort_page_and_count_in_the_store(h: &Harness) {
    let t = hospital(h).await;
    import(&t, demo_rows(700)).await;
    let all = t
        .devices(&DeviceQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for category in [None, Some(Category::InfusionPump)] {
        let wanted: Vec<_> = all
            .iter()
            .filter(|d| category.is_none() || d.fields.category == category)
            .collect();
        assert!(wanted.len() > 20, "too few devices to page");
        for (_, key) in DeviceSortKey::ALL {
            for descending in [false, true] {
                let value = |d: &medvigil_model::Device| -> Option<String> {
                    let f = &d.fields;
                    match key {
                        DeviceSortKey::AssetTag => f.asset_tag.clone(),
                        DeviceSortKey::Vendor => f.vendor.clone(),
                        DeviceSortKey::Model => f.model.clone(),
                        DeviceSortKey::Site => f.location.site.clone(),
                        DeviceSortKey::Category => f.category.map(|c| c.as_str().to_owned()),
                        DeviceSortKey::EuClass => f.eu_class.map(|c| c.as_str().to_owned()),
                        DeviceSortKey::LastSeen => Some(d.last_seen.to_string()),
                        DeviceSortKey::EndOfSupport => f.text(DeviceField::EndOfSupport),
                        _ => unreachable!("a sort key without a test"),
                    }
                };
                let mut expected: Vec<String> = Vec::new();
                let mut sorted = wanted.clone();
                sorted.sort_by(|a, b| {
                    let o = value(a)
                        .cmp(&value(b))
                        .then_with(|| a.id.to_string().cmp(&b.id.to_string()));
                    if descending { o.reverse() } else { o }
                });
                expected.extend(sorted.iter().map(|d| d.id.to_string()));
                let mut got: Vec<String> = Vec::new();
                let mut q = DeviceQuery {
                    category,
                    order: DeviceOrder { key, descending },
                    limit: Some(37),
                    ..DeviceQuery::default()
                };
                loop {
                    let page = t.devices(&q).await.unwrap_or_else(|e| panic!("{e}"));
                    assert!(page.len() <= 37);
                    got.extend(page.iter().map(|d| d.id.to_string()));
                    if page.len() < 37 {
                        break;
                    }
                    q.offset += 37;
                }
                if key == DeviceSortKey::LastSeen {
                    // One import stamps every device alike: the order is the ids'.
                    assert!(sorted.iter().all(|d| d.last_seen == sorted[0].last_seen));
                }
                assert_eq!(
                    got, expected,
                    "{key:?} descending={descending} {category:?}"
                );
                assert_eq!(
                    t.device_count(&q).await.unwrap_or_else(|e| panic!("{e}")),
                    wanted.len() as u64
                );
            }
        }
    }
}

/// The data version a cache keys on changes when a write commits, and only
/// then; list totals kept under it follow the writes.
async fn data_version_changes_with_every_commit(h: &Harness) {
    let t = hospital(h).await;
    let v0 = h
        .store
        .data_version()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let count = || async {
        t.device_count(&DeviceQuery::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    // Totals are kept by data version: a write must show in the next one.
    assert_eq!(count().await, 0);
    import(&t, demo_rows(10)).await;
    assert_eq!(count().await, 10);
    let v1 = h
        .store
        .data_version()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(v0, v1, "an import must change the data version");
    t.devices(&DeviceQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let v2 = h
        .store
        .data_version()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v1, v2, "a read must not change the data version");
    // A write by another connection (another process, here the harness's).
    exec(&h.url, "UPDATE devices SET ward = 'moved'").await;
    let v3 = h
        .store
        .data_version()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(v2, v3, "another connection's write must change it");
}
