//! `medvigil demo --capture` writes the demo hospital's traffic, and
//! `medvigil discover` on it finds the demo devices again (issue 5): every
//! device that renewed its lease is matched to the inventory by its MAC,
//! nothing the CMMS recorded is overwritten, and the DICOM and HL7
//! speakers are identified by kind.

use std::process::Command;

fn medvigil(db: &std::path::Path, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_medvigil"))
        .arg("--database")
        .arg(db)
        .args(args)
        .output()
        .expect("run medvigil");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "medvigil {args:?}: {stderr}");
    (stdout, stderr)
}

/// The number just before `word` in `text` ("14382 DHCP requests").
fn count_before(text: &str, word: &str) -> u64 {
    let at = text
        .find(word)
        .unwrap_or_else(|| panic!("{word} not in {text}"));
    text[..at]
        .split_whitespace()
        .last()
        .and_then(|n| n.trim_start_matches('(').parse().ok())
        .unwrap_or_else(|| panic!("no count before {word} in {text}"))
}

#[test]
fn demo_capture_is_discovered_as_the_demo_inventory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("demo.db");
    let pcap = dir.path().join("demo.pcap");
    let pcap = pcap.to_str().expect("utf-8 path");
    let (_, wrote) = medvigil(&db, &["demo", "--capture", pcap]);
    let leases = count_before(&wrote, "DHCP requests");
    assert!(leases > 10_000, "{wrote}");

    let (merge, _) = medvigil(&db, &["discover", pcap, "--import", "--dry-run"]);
    assert_eq!(count_before(&merge, "by MAC"), leases, "{merge}");
    assert_eq!(count_before(&merge, "unchanged"), leases, "{merge}");
    assert_eq!(count_before(&merge, "updated"), 0, "{merge}");
    assert_eq!(count_before(&merge, "rejected"), 0, "{merge}");

    let (table, _) = medvigil(&db, &["discover", pcap]);
    for kind in [
        "imaging (",
        "infusion (",
        "patient-monitor (",
        "laboratory (",
    ] {
        assert!(table.contains(kind), "no {kind} in discover's table");
    }
}
