//! Every OSV record of the shared corpora parses and every range converts;
//! the conversions are kept in a golden file for review.

use std::fmt::Write as _;
use std::path::PathBuf;

use medvigil_testkit::assert_golden;
use medvigil_vulndb::{AffectedRange, DiagnosticKind, PackageId, osv};

fn osv_files() -> Option<Vec<PathBuf>> {
    let root = medvigil_testkit::corpus("osv")?;
    let mut files = Vec::new();
    for sub in ["golang-vulndb", "osv-scanner-offline-db"] {
        for e in std::fs::read_dir(root.join(sub)).ok()?.flatten() {
            if e.path().extension().is_some_and(|x| x == "json") {
                files.push(e.path());
            }
        }
    }
    files.sort();
    Some(files)
}

#[test]
fn all_osv_records_parse_and_ranges_convert() {
    let Some(files) = osv_files() else { return };
    let mut summary = String::new();
    let (mut records, mut ranges, mut git, mut withdrawn) = (0, 0, 0, 0);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let parsed = osv::read_record(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        // No range may be dropped; a generic fallback would be reported too.
        assert!(
            parsed.diagnostics.is_empty(),
            "{}: {:#?}",
            f.display(),
            parsed.diagnostics
        );
        let r = parsed.value;
        records += 1;
        withdrawn += usize::from(r.withdrawn.is_some());
        let _ = writeln!(
            summary,
            "{}{}",
            r.id,
            if r.withdrawn.is_some() {
                " (withdrawn)"
            } else {
                ""
            }
        );
        for a in &r.affected {
            let name = a
                .identifiers
                .iter()
                .find_map(|i| match i {
                    PackageId::Ecosystem { ecosystem, name } => Some(format!("{ecosystem}/{name}")),
                    _ => None,
                })
                .unwrap_or_default();
            for range in &a.ranges {
                match range {
                    AffectedRange::Versions(v) => {
                        ranges += 1;
                        let _ = writeln!(summary, "  {name} {v}");
                    }
                    AffectedRange::Git { repo, events } => {
                        git += 1;
                        let _ = writeln!(
                            summary,
                            "  {name} git {} ({} events)",
                            repo.as_deref().unwrap_or("?"),
                            events.len()
                        );
                    }
                    _ => {}
                }
            }
        }
    }
    eprintln!(
        "{records} OSV records, {ranges} version ranges, {git} git ranges, {withdrawn} withdrawn"
    );
    assert_eq!(records, 500);
    assert_eq!(ranges + git, 733);
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/osv-ranges.txt");
    assert_golden(&golden, &summary);
}

#[test]
fn osv_examples_have_the_expected_meaning() -> Result<(), Box<dyn std::error::Error>> {
    let Some(root) = medvigil_testkit::corpus("osv") else {
        return Ok(());
    };
    let read = |p: &str| -> Result<_, Box<dyn std::error::Error>> {
        Ok(osv::read_record(&std::fs::read_to_string(root.join(p))?)?.value)
    };
    let versions = |r: &medvigil_vulndb::VulnRecord, i: usize| match r.affected[i]
        .ranges
        .iter()
        .find_map(|x| match x {
            AffectedRange::Versions(v) => Some(v.clone()),
            _ => None,
        }) {
        Some(v) => v,
        None => panic!("{}: no version range", r.id),
    };

    let gin = read("golang-vulndb/GO-2020-0001.json")?;
    let v = versions(&gin, 0);
    assert!(v.contains_str("1.5.9")? && v.contains_str("v1.5.0")? && !v.contains_str("1.6.0")?);

    let requests = read("osv-scanner-offline-db/PYSEC-2023-74.json")?;
    assert_eq!(
        versions(&requests, 0).to_string(),
        "vers:pypi/>=2.3.0|<2.31.0"
    );
    assert!(matches!(
        requests.affected[0].ranges[0],
        AffectedRange::Git { .. }
    ));
    assert!(
        requests.affected[0]
            .identifiers
            .iter()
            .any(|i| matches!(i, PackageId::Purl(_)))
    );
    // Every listed affected version lies in the converted range.
    for s in &requests.affected[0].versions {
        assert!(versions(&requests, 0).contains_str(s)?, "{s}");
    }

    let dla = read("osv-scanner-offline-db/DLA-3008-1.json")?;
    let deb = versions(&dla, 0);
    assert_eq!(deb.to_string(), "vers:deb/<1.1.0l-1~deb9u6");
    for s in &dla.affected[0].versions {
        assert!(deb.contains_str(s)?, "{s}");
    }
    assert!(dla.aliases.contains(&"CVE-2022-1292".to_string()));

    let musl = read("osv-scanner-offline-db/ALPINE-CVE-2025-26519.json")?;
    assert_eq!(musl.affected.len(), 9);
    assert_eq!(
        versions(&musl, 0).to_string(),
        "vers:alpine/>=0.9.13|<1.2.3-r4"
    );
    assert!(!versions(&musl, 0).contains_str("1.2.3-r4")?);
    assert!(versions(&musl, 0).contains_str("1.2.3-r3")?);

    let npm = read("osv-scanner-offline-db/GHSA-whgm-jr23-g3j9.json")?;
    assert!(
        npm.severities
            .iter()
            .any(|s| s.vector.starts_with("CVSS:3"))
    );
    Ok(())
}

#[test]
fn bad_input_gives_diagnostics_not_failure() -> Result<(), medvigil_vulndb::ReadError> {
    let json = r#"[
        {"id": "X-1", "affected": [
            {"package": {"ecosystem": "PyPI", "name": "p", "purl": "not a purl"},
             "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "not!a!version"}]},
                {"type": "WEIRD", "events": []},
                {"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"bogus": "2"}]}
             ]}
        ]},
        {"no_id": true}
    ]"#;
    let parsed = osv::read_records(json)?;
    assert_eq!(parsed.value.len(), 1);
    let kinds: Vec<_> = parsed.diagnostics.iter().map(|d| &d.kind).collect();
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, DiagnosticKind::BadPurl { .. }))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, DiagnosticKind::GenericFallback { .. }))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, DiagnosticKind::UnknownRangeType { .. }))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, DiagnosticKind::UnknownEvent { .. }))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, DiagnosticKind::BadRecord { .. }))
    );
    assert!(osv::read_record("{").is_err());
    Ok(())
}
