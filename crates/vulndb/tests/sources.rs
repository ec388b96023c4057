//! CVE JSON 5, NVD API 2.0, KEV and EPSS readers on the corpora and on the
//! project's own NVD sample.

use medvigil_ident::Cpe;
use medvigil_vulndb::{
    AffectedRange, DiagnosticKind, PackageId, SeverityKind, cve5, epss, kev, nvd,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn cve5_records_of_the_corpus() -> TestResult {
    let Some(dir) = medvigil_testkit::corpus("osv/cvelistV5") else {
        return Ok(());
    };
    let mut n = 0;
    for e in std::fs::read_dir(&dir)?.flatten() {
        if e.path().extension().is_none_or(|x| x != "json") {
            continue;
        }
        let parsed = cve5::read_record(&std::fs::read_to_string(e.path())?)?;
        let r = parsed.value;
        n += 1;
        assert!(r.id.starts_with("CVE-2025-"));
        assert!(r.details.is_some());
        // CMS8000: "All versions" of the patient monitor, CVSS 4.0 and 3.1.
        let a = &r.affected[0];
        assert!(a.identifiers.iter().any(
            |i| matches!(i, PackageId::VendorProduct { vendor: Some(vendor), product }
            if vendor == "Contec Health" && product.contains("CMS8000"))
        ));
        match &a.ranges[..] {
            [AffectedRange::Versions(v)] => assert!(v.is_all(), "{}: {v}", r.id),
            other => panic!("{}: {other:?}", r.id),
        }
        assert!(
            r.severities
                .iter()
                .any(|s| s.kind == SeverityKind::CvssV4 && s.base_score.is_some())
        );
        assert!(r.severities.iter().any(|s| s.kind == SeverityKind::CvssV3));
        assert!(
            r.cwes.iter().all(|c| c.starts_with("CWE-")) && !r.cwes.is_empty(),
            "{:?}",
            r.cwes
        );
        // The phrase "All versions" is read by guess, and said so.
        assert!(
            parsed
                .diagnostics
                .iter()
                .all(|d| matches!(d.kind, DiagnosticKind::VersionNote { .. }))
        );
    }
    assert_eq!(n, 2);
    Ok(())
}

#[test]
fn cve5_ranges_and_adp_cpes() -> TestResult {
    let json = r#"{
      "dataType": "CVE_RECORD", "dataVersion": "5.1",
      "cveMetadata": {"cveId": "CVE-2099-1000", "state": "PUBLISHED"},
      "containers": {
        "cna": {
          "providerMetadata": {"orgId": "x", "shortName": "example"},
          "title": "Example",
          "descriptions": [{"lang": "en", "value": "d"}],
          "affected": [{
            "vendor": "Example Medical", "product": "Pump", "defaultStatus": "unaffected",
            "versions": [
              {"version": "2.0.0", "lessThan": "2.5.0", "status": "affected", "versionType": "semver",
               "changes": [{"at": "2.3.1", "status": "unaffected"}]},
              {"version": "1.2", "status": "affected", "versionType": "semver"}
            ]
          }],
          "problemTypes": [{"descriptions": [{"lang": "en", "description": "CWE-798: Use of Hard-coded Credentials", "type": "CWE"}]}]
        },
        "adp": [{
          "providerMetadata": {"orgId": "y", "shortName": "CISA-ADP"},
          "affected": [{"vendor": "example", "product": "pump", "cpes": ["cpe:2.3:h:example:pump:*:*:*:*:*:*:*:*", "cpe:bad"],
                        "defaultStatus": "unknown", "versions": [{"version": "0", "lessThanOrEqual": "2.4", "status": "affected", "versionType": "custom"}]}],
          "metrics": [{"cvssV3_1": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8}}]
        }]
      }
    }"#;
    let parsed = cve5::read_record(json)?;
    let r = parsed.value;
    assert_eq!(r.cwes, ["CWE-798"]);
    assert_eq!(r.affected.len(), 2);
    // "1.2" is not semver: the entry set is re-read as generic, and said so.
    let AffectedRange::Versions(v) = &r.affected[0].ranges[0] else {
        panic!("no range")
    };
    assert_eq!(v.to_string(), "vers:generic/1.2|>=2.0.0|<2.3.1");
    assert!(
        r.affected[0]
            .unaffected
            .as_ref()
            .is_some_and(|u| u.contains_str("2.4").unwrap_or(false))
    );
    assert!(
        r.affected[1]
            .identifiers
            .iter()
            .any(|i| matches!(i, PackageId::Cpe(_)))
    );
    assert_eq!(r.severities[0].source.as_deref(), Some("CISA-ADP"));
    let kinds: Vec<_> = parsed.diagnostics.iter().map(|d| &d.kind).collect();
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, DiagnosticKind::BadCpe { .. }))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, DiagnosticKind::VersionNote { .. }))
    );
    Ok(())
}

#[test]
fn nvd_api2_sample() -> TestResult {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/nvd-api2-sample.json"
    ))?;
    let parsed = nvd::read_response(&text)?;
    assert_eq!(parsed.value.len(), 2);
    let r = &parsed.value[0];
    assert_eq!(r.cwes, ["CWE-787"]);
    assert_eq!(r.severities.len(), 2);
    assert_eq!(r.affected.len(), 2, "{:#?}", r.affected);
    let web = &r.affected[0];
    let AffectedRange::Versions(v) = &web.ranges[0] else {
        panic!("no range")
    };
    assert_eq!(v.to_string(), "vers:generic/>=2.0|<2.4.1");
    assert_eq!(
        web.platforms,
        [Cpe::parse(
            "cpe:2.3:o:example:pump_firmware:*:*:*:*:*:*:*:*"
        )?]
    );
    let pump = &r.affected[1];
    let AffectedRange::Versions(v) = &pump.ranges[0] else {
        panic!("no range")
    };
    assert_eq!(v.to_string(), "vers:generic/3.1");
    assert!(parsed.value[1].withdrawn.is_some());
    assert_eq!(parsed.diagnostics.len(), 2, "{:#?}", parsed.diagnostics);
    Ok(())
}

#[test]
fn kev_json_and_csv_hold_the_same_catalog() -> TestResult {
    let Some(dir) = medvigil_testkit::corpus("kev") else {
        return Ok(());
    };
    let json = kev::read_json(&std::fs::read_to_string(
        dir.join("known_exploited_vulnerabilities.json"),
    )?)?;
    let csv = kev::read_csv(&std::fs::read(
        dir.join("known_exploited_vulnerabilities.csv"),
    )?)?;
    assert!(json.diagnostics.is_empty(), "{:?}", json.diagnostics);
    assert!(csv.diagnostics.is_empty(), "{:?}", csv.diagnostics);
    assert_eq!(json.value.catalog_version.as_deref(), Some("2025.08.25"));
    assert_eq!(json.value.entries.len(), 1404);
    let mut a = json.value.entries.clone();
    let mut b = csv.value.clone();
    a.sort();
    b.sort();
    let ids = |v: &[kev::KevEntry]| v.iter().map(|e| e.cve_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    let differing: Vec<_> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| &x.cve_id)
        .collect();
    assert!(
        differing.is_empty(),
        "entries differ between JSON and CSV: {differing:?}"
    );
    assert!(a.iter().any(|e| e.cwes.len() > 1));
    assert!(kev::read_csv(b"a,b\n1,2\n").is_err());
    Ok(())
}

#[test]
fn epss_sample() -> TestResult {
    let Some(f) = medvigil_testkit::corpus("kev/epss_scores_sample_head.csv") else {
        return Ok(());
    };
    let parsed = epss::read_csv(&std::fs::read_to_string(f)?)?;
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let file = parsed.value;
    assert_eq!(file.model_version.as_deref(), Some("v2026.06.15"));
    assert_eq!(file.score_date.as_deref(), Some("2026-09-29T12:00:22Z"));
    // The MANIFEST says 98 rows; the file holds 99 (101 lines).
    assert_eq!(file.scores.len(), 99);
    assert_eq!(file.scores[0].cve, "CVE-1999-0001");
    assert!((file.scores[0].epss - 0.03351).abs() < 1e-12);
    let bad = epss::read_csv("cve,epss,percentile\nCVE-1,0.5,0.5\nCVE-2,x,0.1\n")?;
    assert_eq!((bad.value.scores.len(), bad.diagnostics.len()), (1, 1));
    assert!(epss::read_csv("nope\n").is_err());
    Ok(())
}

/// Shapes seen in real CVE 5 records of medical advisories (legacy CVE 4
/// conversions and free-text versions): CVE-2022-22765 ("next of 2.0" with
/// `lessThan: "unspecified"`), CVE-2021-33885 (vendor, product and version
/// all "n/a"), CVE-2020-12032 (a list of versions for two products),
/// CVE-2024-48967 ("06.08.00.00 and prior"), CVE-2019-13530 (free text).
#[test]
fn cve5_legacy_shapes() -> TestResult {
    let record = |affected: &str| {
        format!(
            r#"{{"dataType":"CVE_RECORD","cveMetadata":{{"cveId":"CVE-2099-2000"}},"containers":{{"cna":{{"affected":[{affected}]}}}}}}"#
        )
    };
    let range =
        |r: &medvigil_vulndb::VulnRecord| match r.affected.first().and_then(|a| a.ranges.first()) {
            Some(AffectedRange::Versions(v)) => v.to_string(),
            other => format!("{other:?}"),
        };

    let next_of = record(
        r#"{"vendor":"Becton Dickinson (BD)","product":"BD Viper LT System",
            "versions":[{"version":"next of 2.0","lessThan":"unspecified","status":"affected","versionType":"custom"}]}"#,
    );
    let r = cve5::read_record(&next_of)?.value;
    assert_eq!(range(&r), "vers:generic/>2.0");

    let all_na = record(
        r#"{"vendor":"n/a","product":"n/a","versions":[{"version":"n/a","status":"affected"}]}"#,
    );
    let parsed = cve5::read_record(&all_na)?;
    assert!(parsed.value.affected.is_empty());
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| matches!(d.kind, DiagnosticKind::MissingField { .. }))
    );

    let list = record(
        r#"{"vendor":"n/a","product":"Baxter ExactaMix EM 2400 & EM 1200","versions":[{"status":"affected",
            "version":"ExactaMix EM2400 Versions 1.10, 1.11, 1.13, 1.14, ExactaMix EM1200 Versions 1.1, 1.2, 1.4, 1.5"}]}"#,
    );
    let r = cve5::read_record(&list)?.value;
    assert_eq!(
        range(&r),
        "vers:generic/1.1|1.2|1.4|1.5|1.10|1.11|1.13|1.14"
    );
    assert!(
        matches!(&r.affected[0].identifiers[0], PackageId::VendorProduct { vendor: None, product } if product.starts_with("Baxter"))
    );

    let prior = record(
        r#"{"vendor":"Baxter","product":"Life2000 Ventilation System","defaultStatus":"unaffected",
            "versions":[{"status":"affected","version":"06.08.00.00 and prior"}]}"#,
    );
    let r = cve5::read_record(&prior)?.value;
    assert_eq!(range(&r), "vers:generic/<=06.08.00.00");
    assert!(
        r.affected[0]
            .unaffected
            .as_ref()
            .is_some_and(|u| u.contains_str("6.8.1").unwrap_or(false))
    );

    let free_text = record(
        r#"{"vendor":"n/a","product":"Philips IntelliVue WLAN","versions":[{"status":"affected",
            "version":"WLAN Version A, Firmware A.03.09, Part #: M8096-67501 and WLAN Version B, Firmware A.01.09"}]}"#,
    );
    let parsed = cve5::read_record(&free_text)?;
    // No made-up version: every version is of unknown status, and that is said.
    assert!(parsed.value.affected[0].ranges.is_empty());
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| matches!(d.kind, DiagnosticKind::VersionNote { .. }))
    );
    Ok(())
}
