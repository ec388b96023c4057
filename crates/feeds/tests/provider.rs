//! End to end against a CISA-like provider on a loopback server: first
//! sync, incremental syncs, one changed document, tampering, signatures,
//! interruption and resume, retries, rate limit.

mod support;

use medvigil_feeds::{
    DocFailure, FeedConfig, FeedSource, FetchFailure, RetryPolicy, SignatureStatus, SyncReport,
    sync,
};
use std::path::Path;
use std::time::{Duration, Instant};
use support::{Mode, Provider, test_key};

fn config(p: &Provider) -> FeedConfig {
    let mut c = FeedConfig::new("cisa test", FeedSource::Provider(p.metadata_url()));
    c.keys = vec![test_key().armored_public.clone()];
    c.require_signature = true;
    c.retry = RetryPolicy::new(1, Duration::from_millis(5));
    c.timeout = Duration::from_secs(10);
    c
}

/// The feed's `state.json` as JSON.
fn state(mirror: &Path) -> serde_json::Value {
    let path = mirror.join("cisa_test").join(medvigil_feeds::STATE_FILE);
    serde_json::from_slice(&std::fs::read(path).expect("state file")).expect("state JSON")
}

fn run(c: &FeedConfig, mirror: &Path) -> SyncReport {
    sync(c, mirror, &mut |_| {}).expect("sync")
}

/// Paths of document requests (documents, hashes, signatures) the server saw.
fn document_gets(p: &Provider) -> Vec<String> {
    p.server
        .site()
        .document_requests()
        .iter()
        .map(|l| l.path.clone())
        .collect()
}

const ONE: &str = "icsma-23-047-01.json";

#[test]
fn rolie_full_then_incremental_then_one_changed() {
    incremental(Mode::Rolie, &["/20"], 134);
}

#[test]
fn directory_full_then_incremental_then_one_changed() {
    // A subset: the listing differs from ROLIE, the per-document work does not.
    incremental(Mode::Directory, &["/2021/", "/2022/", "/2023/"], 44);
}

fn incremental(mode: Mode, years: &[&str], expected: usize) {
    let Some(mut p) = Provider::cisa(mode, |path| years.iter().any(|y| path.contains(y))) else {
        return;
    };
    let total = p.docs.len();
    assert_eq!(total, expected, "ICSMA documents in the corpora");
    let mirror = tempfile::tempdir().expect("tempdir");
    let c = config(&p);

    let first = run(&c, mirror.path());
    assert_eq!(first.failed, [], "{mode:?}");
    assert_eq!(first.new.len(), total);
    assert_eq!(first.provider_keys, [test_key().fingerprint.clone()]);
    assert_eq!((first.changed.len(), first.unchanged), (0, 0));
    for d in &first.new {
        assert_eq!(
            d.signature,
            SignatureStatus::Verified {
                fingerprint: test_key().fingerprint.clone()
            }
        );
        assert!(d.hash_checked.is_some());
        let served = p.doc(d.path.file_name().and_then(|n| n.to_str()).expect("name"));
        assert_eq!(std::fs::read(&d.path).expect("mirrored"), served.bytes);
    }
    let st = state(mirror.path());
    assert_eq!(st["version"], 1);
    let docs = st["documents"].as_object().expect("documents");
    assert_eq!(docs.len(), total);
    for d in docs.values() {
        assert_eq!(d["signature"]["status"], "verified");
        assert_eq!(d["hash_checked"], "sha512");
        assert!(d["etag"].is_string() && d["updated"].is_string());
    }
    // Each document costs three GETs: itself, its hash, its signature.
    assert_eq!(document_gets(&p).len(), 3 * total);
    assert!(first.bytes > 0);

    p.server.site().clear_log();
    let second = run(&c, mirror.path());
    eprintln!(
        "{mode:?}: first sync {} documents, {} requests, {} bytes in {:?}; second sync {} requests in {:?}",
        first.new.len(),
        first.requests,
        first.bytes,
        first.duration,
        second.requests,
        second.duration
    );
    assert_eq!((second.new.len(), second.changed.len()), (0, 0));
    assert_eq!(second.unchanged, total);
    assert_eq!(second.failed, []);
    assert_eq!(
        document_gets(&p),
        Vec::<String>::new(),
        "no document fetched"
    );
    // The listing itself is a conditional GET answered 304.
    assert!(
        p.server.site().log.iter().all(|l| l.status == 304),
        "{:?}",
        p.server.site().log
    );

    p.change(ONE, "2026-01-01T00:00:00Z", |d| {
        Provider::revise(d, " (revised)")
    });
    p.server.site().clear_log();
    let third = run(&c, mirror.path());
    assert_eq!(third.failed, []);
    assert_eq!(third.new.len(), 0);
    assert_eq!(third.changed.len(), 1);
    assert_eq!(third.changed[0].tracking_id, "ICSMA-23-047-01");
    assert_eq!(third.unchanged, total - 1);
    let gets = document_gets(&p);
    assert_eq!(gets.len(), 3, "{gets:?}");
    assert!(gets.iter().all(|g| g.contains(ONE)));
    assert_eq!(
        std::fs::read(&third.changed[0].path).expect("mirrored"),
        p.doc(ONE).bytes
    );
}

#[test]
fn tampered_document_is_rejected_and_the_good_copy_kept() {
    let Some(mut p) = Provider::cisa(Mode::Rolie, |path| path.contains("/2023/")) else {
        return;
    };
    let mirror = tempfile::tempdir().unwrap();
    let c = config(&p);
    let first = run(&c, mirror.path());
    assert_eq!(first.failed, []);
    let good = p.doc(ONE).bytes.clone();
    let local = first
        .new
        .iter()
        .find(|d| d.path.ends_with(ONE))
        .unwrap()
        .path
        .clone();

    // New bytes under the old hash and signature.
    p.change(ONE, "2026-01-01T00:00:00Z", |d| {
        d.bytes.extend_from_slice(b"\n")
    });
    let second = run(&c, mirror.path());
    assert_eq!(second.failed.len(), 1);
    assert!(second.failed[0].0.ends_with(ONE));
    assert!(
        matches!(second.failed[0].1, DocFailure::HashMismatch { .. }),
        "{:?}",
        second.failed[0].1
    );
    assert_eq!(std::fs::read(&local).unwrap(), good, "good copy kept");
    // Not recorded: the next sync tries again.
    let third = run(&c, mirror.path());
    assert_eq!(third.failed.len(), 1);
}

#[test]
fn bad_or_foreign_signature_is_rejected_when_required() {
    let Some(mut p) = Provider::cisa(Mode::Rolie, |path| path.contains("/2023/")) else {
        return;
    };
    let mirror = tempfile::tempdir().unwrap();
    let mut c = config(&p);
    assert_eq!(run(&c, mirror.path()).failed, []);

    // Right key, but the signature is over the old bytes.
    let old_sig = p.doc(ONE).asc.clone();
    p.change(ONE, "2026-01-01T00:00:00Z", |d| {
        Provider::revise(d, " (v2)");
        d.asc = old_sig;
    });
    let r = run(&c, mirror.path());
    assert_eq!(r.failed.len(), 1);
    assert!(
        matches!(&r.failed[0].1, DocFailure::SignatureInvalid { issuer: Some(i), .. } if *i == test_key().fingerprint),
        "{:?}",
        r.failed[0].1
    );

    // A key nobody configured: rejected when required …
    p.change(ONE, "2026-01-02T00:00:00Z", |d| {
        d.asc = support::other_key().sign(&d.bytes);
    });
    let r = run(&c, mirror.path());
    assert!(
        matches!(&r.failed[..], [(_, DocFailure::SignatureUnknownKey { issuer: Some(i) })] if *i == support::other_key().fingerprint),
        "{:?}",
        r.failed
    );
    // … accepted with its status when not.
    c.require_signature = false;
    let r = run(&c, mirror.path());
    assert_eq!(r.failed, []);
    assert_eq!(r.changed.len(), 1);
    assert!(matches!(
        r.changed[0].signature,
        SignatureStatus::UnknownKey { .. }
    ));

    // No signature at all.
    p.change(ONE, "2026-01-03T00:00:00Z", |d| {
        Provider::revise(d, " (v3)")
    });
    p.server
        .site()
        .files
        .remove(&format!("/{}.asc", p.doc(ONE).path));
    c.require_signature = true;
    let r = run(&c, mirror.path());
    assert!(
        matches!(
            &r.failed[..],
            [(
                _,
                DocFailure::Fetch {
                    what: "signature",
                    failure: FetchFailure::Status { status: 404 }
                }
            )]
        ),
        "a signature the ROLIE feed links must exist: {:?}",
        r.failed
    );
}

#[test]
fn interrupted_sync_resumes_with_only_the_missing_documents() {
    let Some(p) = Provider::cisa(Mode::Directory, |path| {
        path.contains("/2019/") || path.contains("/202")
    }) else {
        return;
    };
    let total = p.docs.len();
    assert_eq!(total, 88);
    let mirror = tempfile::tempdir().unwrap();
    let c = config(&p);
    p.server.site().drop_documents_after = Some(30);
    let first = run(&c, mirror.path());
    assert_eq!(first.new.len(), 30);
    // Flushed after each document: exactly what completed is recorded.
    assert_eq!(
        state(mirror.path())["documents"]
            .as_object()
            .map(|d| d.len()),
        Some(30)
    );
    assert_eq!(first.failed.len(), total - 30);
    assert!(first.failed.iter().all(|(_, f)| matches!(
        f,
        DocFailure::Fetch {
            what: "document",
            failure: FetchFailure::Transport { .. }
        }
    )));

    p.server.site().drop_documents_after = None;
    p.server.site().clear_log();
    let second = run(&c, mirror.path());
    assert_eq!(second.failed, []);
    assert_eq!(second.new.len(), total - 30);
    assert_eq!(second.unchanged, 30);
    let docs: Vec<String> = document_gets(&p)
        .into_iter()
        .filter(|g| g.ends_with(".json"))
        .collect();
    assert_eq!(docs.len(), total - 30, "only the missing ones");
    let fetched_first: Vec<String> = first.new.iter().map(|d| d.url.clone()).collect();
    assert!(
        docs.iter()
            .all(|d| !fetched_first.iter().any(|u| u.ends_with(d.as_str())))
    );
}

#[test]
fn server_errors_are_retried() {
    let Some(p) = Provider::cisa(Mode::Rolie, |path| path.contains("/2023/")) else {
        return;
    };
    let path = format!("/{}", p.doc(ONE).path);
    p.server.site().fail_once.insert(path.clone());
    let mirror = tempfile::tempdir().unwrap();
    let r = run(&config(&p), mirror.path());
    assert_eq!(r.failed, []);
    let statuses: Vec<u16> = p
        .server
        .site()
        .log
        .iter()
        .filter(|l| l.path == path)
        .map(|l| l.status)
        .collect();
    assert_eq!(statuses, [503, 200]);
}

#[test]
fn rate_limit_is_respected() {
    let Some(p) = Provider::cisa(Mode::Rolie, |path| path.contains("/2023/")) else {
        return;
    };
    let mirror = tempfile::tempdir().unwrap();
    let mut c = config(&p);
    c.rate_limit = Some(40.0);
    let started = Instant::now();
    let r = run(&c, mirror.path());
    let elapsed = started.elapsed();
    assert_eq!(r.failed, []);
    let site = p.server.site();
    let n = site.log.len();
    assert_eq!(u64::try_from(n).unwrap(), r.requests);
    let gaps: Vec<Duration> = site
        .log
        .windows(2)
        .map(|w| w[1].at.duration_since(w[0].at))
        .collect();
    let min_gap = gaps.iter().min().copied().unwrap();
    let span = site.log[n - 1].at.duration_since(site.log[0].at);
    // 40/s is one request per 25 ms. Each gap as the server sees it also
    // carries the jitter of connection set-up on two busy cores, so the
    // bound on single gaps is loose and the one on the span tight.
    let floor = Duration::from_millis(25) * u32::try_from(n - 1).unwrap();
    assert!(elapsed >= floor, "{n} requests in {elapsed:?}");
    assert!(
        span + Duration::from_millis(10) >= floor,
        "{n} requests over {span:?}"
    );
    assert!(min_gap >= Duration::from_millis(5), "min gap {min_gap:?}");
    eprintln!("rate limit 40/s: {n} requests in {elapsed:?}, min gap {min_gap:?}");
}

#[test]
fn aggregator_lists_providers_and_a_broken_one_is_reported() {
    let Some(p) = Provider::cisa(Mode::Rolie, |path| path.contains("/2023/")) else {
        return;
    };
    let base = p.server.base();
    let aggregator = serde_json::json!({
        "aggregator": {"category": "lister", "name": "test lister", "namespace": "https://lister.test.invalid"},
        "aggregator_version": "2.0",
        "canonical_url": format!("{base}/.well-known/csaf-aggregator/aggregator.json"),
        "csaf_providers": [
            {"metadata": {"last_updated": "2025-02-27T18:49:54Z", "publisher": {"category": "coordinator", "name": "Test CISA", "namespace": "https://www.cisa.gov/"}, "url": p.metadata_url()}},
            {"metadata": {"last_updated": "2025-02-27T18:49:54Z", "publisher": {"category": "vendor", "name": "Gone", "namespace": "https://gone.test.invalid"}, "url": format!("{base}/gone/provider-metadata.json")}}
        ],
        "last_updated": "2025-02-27T18:49:54Z"
    });
    p.server.site().files.insert(
        "/.well-known/csaf-aggregator/aggregator.json".into(),
        serde_json::to_vec(&aggregator).unwrap(),
    );
    let mut c = config(&p);
    c.source = FeedSource::Aggregator(format!(
        "{base}/.well-known/csaf-aggregator/aggregator.json"
    ));
    let mirror = tempfile::tempdir().unwrap();
    let mut planned = Vec::new();
    let r = sync(&c, mirror.path(), &mut |e| {
        if let medvigil_feeds::Progress::Planned { listed, to_fetch } = e {
            planned.push((*listed, *to_fetch));
        }
    })
    .unwrap();
    assert_eq!(r.new.len(), p.docs.len());
    assert_eq!(planned, [(p.docs.len(), p.docs.len())]);
    assert!(
        matches!(&r.failed[..], [(url, DocFailure::Provider { .. })] if url.ends_with("/gone/provider-metadata.json")),
        "{:?}",
        r.failed
    );
}
