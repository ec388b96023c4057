//! `medvigil feeds` end to end: a signed CSAF provider served on loopback
//! (the feeds crate's test provider: the corpora's ICSMA documents with
//! CISA's real ROLIE feed, signed by a generated key), and the real ICSMA
//! folder with CISA's hash files.

#[path = "../../feeds/tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

fn medvigil(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medvigil"))
        .arg("--database")
        .arg(db)
        .args(args)
        .env_remove("MEDVIGIL_TENANT")
        .env_remove("MEDVIGIL_FEEDS_DIR")
        .output()
        .unwrap_or_else(|e| panic!("run medvigil: {e}"))
}

fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.code().is_some_and(|c| c == 0 || c == 2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_str(
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .unwrap_or("{}"),
    )
    .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

#[test]
fn feeds_sync_a_signed_provider_on_loopback_and_a_folder() {
    let Some(provider) = support::Provider::cisa(support::Mode::Rolie, |p| {
        p.contains("/2020/") || p.contains("/2021/")
    }) else {
        return;
    };
    let Some(folder) = medvigil_testkit::corpus("csaf/cisa-icsma") else {
        return;
    };
    let n = provider.docs.len();
    assert!(n > 20, "{n}");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("feeds.db");
    let key = dir.path().join("provider.asc");
    std::fs::write(&key, &support::test_key().armored_public).unwrap_or_else(|e| panic!("{e}"));
    let url = provider.metadata_url();
    let o = medvigil(
        &db,
        &[
            "feeds",
            "add",
            "cisa",
            &url,
            "--key",
            key.to_str().unwrap_or_default(),
            "--require-signature",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&support::test_key().fingerprint));

    // First sync: every document fetched, hash and signature checked, imported.
    let first = json(&medvigil(&db, &["feeds", "sync", "cisa", "--json"]));
    assert_eq!(first["new"], n, "{first}");
    assert_eq!(first["failed"].as_array().map(Vec::len), Some(0), "{first}");
    assert_eq!(first["signatures"]["verified"], n, "{first}");
    assert_eq!(first["imported"]["new"], n, "{first}");

    // Second sync: nothing downloaded, nothing imported.
    let second = json(&medvigil(&db, &["feeds", "sync", "--json"]));
    assert_eq!(second["new"], 0, "{second}");
    assert_eq!(second["changed"], 0, "{second}");
    assert_eq!(second["imported"]["new"], 0, "{second}");

    // The real folder of ICSMA documents, with CISA's .sha512 files: the
    // documents the provider already brought are unchanged advisories.
    let o = medvigil(
        &db,
        &["feeds", "add", "icsma", folder.to_str().unwrap_or_default()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let local = json(&medvigil(&db, &["feeds", "sync", "icsma", "--json"]));
    assert_eq!(local["new"], 134, "{local}");
    assert_eq!(
        local["imported"]["new"].as_u64().unwrap_or(0) as usize,
        134 - n,
        "{local}"
    );
    assert_eq!(
        local["imported"]["unchanged"].as_u64().unwrap_or(0) as usize,
        n,
        "{local}"
    );

    let o = medvigil(&db, &["feeds", "list", "--json"]);
    let listed: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(listed.len(), 2);
    assert!(
        listed.iter().all(|f| f["last_sync"].is_string()),
        "{listed:?}"
    );
    let o = medvigil(&db, &["advisories", "list", "--json"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 134);
}
