//! The `medvigil` binary end to end: what a user types, what they see, and
//! what the store holds afterwards.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn medvigil(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medvigil"))
        .arg("--database")
        .arg(db)
        .args(args)
        .env_remove("MEDVIGIL_TENANT")
        .output()
        .unwrap_or_else(|e| panic!("run medvigil: {e}"))
}

/// A database to run the kill test on, and the tenant to use there.
struct Target {
    database: String,
    tenant: String,
}

impl Target {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_medvigil"));
        c.args(["--database", &self.database, "--tenant", &self.tenant])
            .args(args);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args)
            .output()
            .unwrap_or_else(|e| panic!("run medvigil: {e}"))
    }

    fn export(&self) -> String {
        let o = self.run(&["inventory", "export", "--format", "csv"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        stdout(&o)
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The whole inventory as CSV: equal exports mean an unchanged store.
fn export(db: &Path) -> String {
    let o = medvigil(db, &["inventory", "export", "--format", "csv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(&o)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

#[test]
fn demo_then_list_show_export() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    let o = medvigil(&db, &["demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("2 sites, 1000 beds"), "{out}");
    assert!(out.contains("Saint-Martin University Hospital"), "{out}");
    // Loading it again changes nothing.
    let again = stdout(&medvigil(&db, &["demo"]));
    assert!(
        again.contains("(0 new, 0 updated, 14382 unchanged)")
            || again.contains(" 0 new, 0 updated"),
        "{again}"
    );

    let vents = stdout(&medvigil(
        &db,
        &[
            "inventory",
            "list",
            "--category",
            "ventilator",
            "--format",
            "json",
        ],
    ));
    let vents: serde_json::Value = serde_json::from_str(&vents).unwrap_or_else(|e| panic!("{e}"));
    let vents = vents.as_array().cloned().unwrap_or_default();
    assert!(vents.len() > 50);
    assert!(vents.iter().all(|v| v["category"] == "ventilator"));

    let tag = vents[0]["asset_tag"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let show = stdout(&medvigil(&db, &["inventory", "show", &tag]));
    assert!(
        show.contains("cmms_import") && show.contains("demo generator"),
        "{show}"
    );
    let missing = medvigil(&db, &["inventory", "show", "no-such-device"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("device 'no-such-device' not found"));

    let csv = export(&db);
    assert_eq!(csv.lines().count(), 14_383);
    let csv_path = dir.path().join("export.csv");
    write(&csv_path, &csv);
    // An export re-imports as unchanged.
    let o = medvigil(
        &db,
        &["inventory", "import", csv_path.to_str().unwrap_or_default()],
    );
    assert!(
        stdout(&o).contains("0 created, 0 updated, 14382 unchanged, 0 rejected"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn bad_csv_gives_precise_errors_and_leaves_store_untouched() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("store.db");
    let good = dir.path().join("good.csv");
    write(
        &good,
        "Asset Tag,Manufacturer,Model,Serial No.,MAC Address,EU Class\nA-1,GE,B650,S1,00:1a:2b:3c:4d:01,IIb\n",
    );
    assert!(
        medvigil(
            &db,
            &["inventory", "import", good.to_str().unwrap_or_default()]
        )
        .status
        .success()
    );
    let before = export(&db);

    // Malformed file: nothing is written, the error names the file.
    let broken = dir.path().join("broken.csv");
    write(&broken, "Cost,Colour\n1,red\n");
    let o = medvigil(
        &db,
        &["inventory", "import", broken.to_str().unwrap_or_default()],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot import")
            && err.contains("broken.csv")
            && err.contains("no column identifies a device"),
        "{err}"
    );

    // Bad rows under --strict: every error reported, nothing written, exit 2.
    let bad = dir.path().join("bad.csv");
    write(
        &bad,
        "asset_tag,vendor,serial,mac,eu_class\nA-2,GE,S2,00:1A:2B,IIb\nA-3,GE,S3,,IV\nA-4,GE,S1,,I\nA-5,Philips,S5,,IIa\n",
    );
    let o = medvigil(
        &db,
        &[
            "inventory",
            "import",
            "--strict",
            bad.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains("line 2, column 'mac': mac: '00:1A:2B'"),
        "{out}"
    );
    assert!(
        out.contains("line 3, column 'eu_class': eu_class: 'IV'"),
        "{out}"
    );
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(export(&db), before);

    // Without --strict the valid rows land: A-5 is new; A-4 carries GE serial S1,
    // so it updates the stored A-1 (its asset tag changes) rather than creating.
    let o = medvigil(
        &db,
        &["inventory", "import", bad.to_str().unwrap_or_default()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("1 created, 1 updated, 0 unchanged, 2 rejected"),
        "{}",
        stdout(&o)
    );

    // A bad --database is an error with its cause chain.
    let o = medvigil(Path::new("mysql://x"), &["inventory", "list"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("unsupported database"));
}

#[test]
fn process_killed_mid_import_leaves_sqlite_as_it_was() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let database = dir.path().join("store.db").display().to_string();
    killed_import_leaves_store_as_it_was(
        &Target {
            database,
            tenant: "Kill test".into(),
        },
        dir.path(),
    );
}

#[test]
fn process_killed_mid_import_leaves_postgres_as_it_was() {
    let Ok(database) = std::env::var("MEDVIGIL_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").map_or(true, |v| v.is_empty() || v == "false"),
            "CI must test PostgreSQL"
        );
        eprintln!("skipped: MEDVIGIL_TEST_POSTGRES not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tenant = format!("kill-test-{}", std::process::id());
    killed_import_leaves_store_as_it_was(&Target { database, tenant }, dir.path());
}

fn killed_import_leaves_store_as_it_was(target: &Target, dir: &Path) {
    assert!(target.run(&["demo"]).status.success());
    let before = target.export();

    // A large file of devices that are all new to the store: the demo's, with
    // other asset tags and serials and no MACs.
    let mut hospital = medvigil_demo::generate(99).unwrap_or_else(|e| panic!("{e}"));
    for (i, d) in hospital.devices.iter_mut().enumerate() {
        d.asset_tag = Some(format!("NEW-{i:06}"));
        d.serial = Some(format!("K{i:08}"));
        d.mac = None;
    }
    let mut csv = Vec::new();
    medvigil_inventory::write_csv(&mut csv, hospital.devices.iter().map(|d| (None, d)))
        .unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("big.csv");
    std::fs::write(&file, &csv).unwrap_or_else(|e| panic!("{e}"));
    let file = file.display().to_string();

    let mut child = target
        .cmd(&["-v", "inventory", "import", &file])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    // Kill it once it reports that it is writing devices, inside the transaction.
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let started = Instant::now();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap_or_default();
        if line.contains("writing devices") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "import never started writing"
        );
    }
    std::thread::sleep(Duration::from_millis(30));
    child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
    let status = child.wait().unwrap_or_else(|e| panic!("wait: {e}"));
    assert!(
        !status.success(),
        "the import finished before it could be killed; make the file larger"
    );

    assert_eq!(
        target.export(),
        before,
        "a killed import must leave the store exactly as it was"
    );
    // And the store still takes the same import afterwards.
    let o = target.run(&["inventory", "import", &file]);
    assert!(
        stdout(&o).contains(&format!("{} created", hospital.devices.len())),
        "{}",
        stdout(&o)
    );
}

#[test]
fn advisories_validate_real_cisa_and_oasis_documents() {
    let Some(icsma) = medvigil_testkit::corpus("csaf/cisa-icsma") else {
        return;
    };
    let Some(tests) =
        medvigil_testkit::corpus("csaf/oasis-csaf-2.0-tests/validator/data/mandatory")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("unused.db");
    let o = medvigil(
        &db,
        &["advisories", "validate", icsma.to_str().unwrap_or_default()],
    );
    let summary = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{summary}");
    assert!(
        summary.contains("134 documents: 134 valid, 0 invalid, 0 not CSAF"),
        "{summary}"
    );

    // An OASIS mandatory-test failure is reported with its test id.
    let bad = tests.join("oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json");
    let o = medvigil(
        &db,
        &["advisories", "validate", bad.to_str().unwrap_or_default()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("INVALID") && stdout(&o).contains("6.1.1 error"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn discover_identifies_devices_in_real_captures() {
    let Some(pcaps) = medvigil_testkit::corpus("pcap/medical-tapirx") else {
        return;
    };
    let Some(oui) = medvigil_testkit::corpus("oui/ieee-data") else {
        return;
    };
    let mut captures: Vec<String> = std::fs::read_dir(&pcaps)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path().display().to_string()))
        .filter(|p| p.contains(".pcap"))
        .collect();
    captures.sort();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("unused.db");
    let mut args = vec!["discover", "--oui", oui.to_str().unwrap_or_default()];
    args.extend(captures.iter().map(String::as_str));
    let o = medvigil(&db, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    // The infusion device: Hospira's IEEE OUI and its HL7 sending application.
    let hospira = out
        .lines()
        .find(|l| l.contains("00:03:b1:b5:b6:48"))
        .unwrap_or_default();
    assert!(
        hospira.contains("Hospira")
            && hospira.contains("HL7 SENDING_APPLICATION@SENDING_FACILITY")
            && hospira.contains("Plum A+"),
        "{out}"
    );
    assert!(
        out.contains("DICOM testclient → testserver GODICOM_1_1"),
        "{out}"
    );
    // Patient names in the HL7 captures never reach the output.
    assert!(!out.contains("MOUSE") && !out.contains("MICKEY"), "{out}");
    let json = medvigil(&db, &[&args[..], &["--json"]].concat());
    assert!(
        String::from_utf8_lossy(&json.stdout)
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
    );
}

/// The JSON objects a `--json` listing prints, one a line.
fn json_lines(db: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let o = medvigil(db, args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn count(db: &Path, what: &str) -> usize {
    let o = medvigil(db, &[what, "list", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    stdout(&o).lines().count()
}

#[test]
fn demo_advisories_give_findings_with_evidence() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    let o = medvigil(&db, &["demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains("advisories: 5 from public CISA medical advisories (5 new)"),
        "{}",
        stdout(&o)
    );

    let findings = json_lines(
        &db,
        &[
            "findings",
            "list",
            "--advisory",
            "ICSMA-20-317-01",
            "--json",
        ],
    );
    assert!(!findings.is_empty());
    for f in &findings {
        // <= 9.33.1: the 9.x units are affected, the 12.x ones are not.
        let version = f["software_version"].as_str().unwrap_or_default();
        assert!(version.starts_with("9."), "{f}");
        assert_eq!(f["model"], "Alaris 8015 PC Unit");
        assert_eq!(f["vulnerability"], "CVE-2020-25165");
        assert_eq!(f["status"], "affected");
        assert_eq!(f["evidence"]["version"]["kind"], "in_range");
        assert_eq!(f["evidence"]["version"]["range"], "vers:generic/<=9.33.1");
        assert_eq!(f["remediation"][0]["category"], "vendor_fix");
        assert_eq!(
            f["evidence"]["cvss"],
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:L"
        );
    }

    // Philips letter revisions order: every MX800 (L…, M… <= N) is affected.
    let o = medvigil(
        &db,
        &[
            "findings",
            "list",
            "--advisory",
            "ICSMA-20-254-01",
            "--json",
        ],
    );
    let models: std::collections::BTreeSet<String> = stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|f| {
            format!(
                "{} {}",
                f["model"].as_str().unwrap_or_default(),
                f["software_version"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert!(models.contains("IntelliVue MX800 M.04.10"), "{models:?}");
    assert!(
        !models.iter().any(|m| m.ends_with("C.01")),
        "C.01 is not listed: {models:?}"
    );

    // One device's findings, by asset tag.
    let tag = findings[0]["asset_tag"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let o = medvigil(&db, &["findings", "list", "--device", &tag]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("CVE-2020-25165"), "{}", stdout(&o));

    let o = medvigil(
        &db,
        &["advisories", "show", "ICSMA-20-317-01", "--products"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains("product_version_range=vers:generic/<=9.33.1"),
        "{}",
        stdout(&o)
    );
    let o = medvigil(&db, &["advisories", "show", "ICSMA-20-317-01"]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("validation: 0 errors"),
        "{}",
        stdout(&o)
    );

    // A device downgraded in the CMMS export is matched again on import,
    // and the other findings keep the time they were first found.
    let first_found = findings[0]["found_at"].clone();
    let csv = export(&db);
    let mut lines = csv.lines();
    let header = lines.next().unwrap_or_default();
    let row = lines
        .find(|l| l.contains("Alaris 8015 PC Unit") && l.contains(",12.3.0,"))
        .unwrap_or_else(|| panic!("an Alaris on 12.3.0"));
    let tag = row
        .split(',')
        .find(|c| c.contains("-0"))
        .unwrap_or_default()
        .to_owned();
    let changed = dir.path().join("changed.csv");
    write(
        &changed,
        &format!("{header}\n{}\n", row.replace(",12.3.0,", ",9.19.2,")),
    );
    let o = medvigil(
        &db,
        &["inventory", "import", changed.to_str().unwrap_or_default()],
    );
    assert!(
        stdout(&o).contains("1 updated") && stdout(&o).contains("findings: "),
        "{}",
        stdout(&o)
    );
    let o = medvigil(&db, &["findings", "list", "--device", &tag, "--json"]);
    assert!(
        stdout(&o).contains("CVE-2020-25165"),
        "{tag}: {}",
        stdout(&o)
    );
    let o = medvigil(
        &db,
        &[
            "findings",
            "list",
            "--device",
            findings[0]["device"].as_str().unwrap_or_default(),
            "--json",
        ],
    );
    let again: serde_json::Value =
        serde_json::from_str(stdout(&o).lines().next().unwrap_or("{}")).unwrap_or_default();
    assert_eq!(again["found_at"], first_found);

    // Patient-safety priorities: devices ranked, each with a reason and the
    // SSVC path; affected Alaris pumps on 9.x are among them.
    let ranked = json_lines(&db, &["risk", "list", "--json"]);
    let order = |d: &serde_json::Value| d["risk"]["priority"].as_str().unwrap_or("P9").to_owned();
    assert!(
        ranked.windows(2).all(|w| order(&w[0]) <= order(&w[1])),
        "ranked by priority"
    );
    let pump_tag = findings[0]["asset_tag"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let pump = ranked
        .iter()
        .find(|d| d["asset_tag"] == pump_tag.as_str())
        .unwrap_or_else(|| panic!("{pump_tag} ranked"));
    assert!(
        pump["assessments"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Infusion pump, class IIb"),
        "{pump}"
    );
    let o = medvigil(
        &db,
        &[
            "risk",
            "explain",
            &pump_tag,
            "--vulnerability",
            "CVE-2020-25165",
        ],
    );
    let text = stdout(&o);
    assert!(
        text.contains("CVE-2020-25165")
            && text.contains("SSVC")
            && text.contains("Clinical criticality"),
        "{text}"
    );

    // A full re-match gives the same findings as the incremental imports.
    let before = count(&db, "findings");
    let o = medvigil(&db, &["findings", "rematch"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&db, "findings"), before);
    let again = json_lines(
        &db,
        &[
            "findings",
            "list",
            "--advisory",
            "ICSMA-20-317-01",
            "--json",
        ],
    );
    assert!(
        again
            .iter()
            .all(|f| f["evidence"]["cvss"] == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:L")
    );
}

#[test]
fn every_real_cisa_advisory_imports_and_bad_files_are_named() {
    let (Some(icsma), Some(icsa), Some(it)) = (
        medvigil_testkit::corpus("csaf/cisa-icsma"),
        medvigil_testkit::corpus("csaf/cisa-icsa-sample"),
        medvigil_testkit::corpus("csaf/cisa-it"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("intel.db");
    let paths = [icsma.to_str(), icsa.to_str(), it.to_str()].map(Option::unwrap_or_default);
    let mut args = vec!["advisories", "import", "--json"];
    args.extend(paths);
    let o = medvigil(&db, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s["rejected"].as_array().map(Vec::len), Some(0), "{s}");
    assert_eq!(s["files"], 345);
    assert_eq!(s["with_errors"], 0, "{s}");
    let stored = count(&db, "advisories");
    assert_eq!(stored, s["new"].as_u64().unwrap_or(0) as usize);
    assert!(stored >= 340, "{stored}");

    // Again: nothing changes.
    let o = medvigil(&db, &args);
    let again: serde_json::Value =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again["new"], 0);
    assert_eq!(again["updated"], 0);

    // A broken file is rejected with its name and position; the good one
    // beside it is imported.
    let bad = dir.path().join("broken.json");
    write(
        &bad,
        "{\"document\": {\"csaf_version\": \"2.0\",\n  \"title\": }",
    );
    let osv = dir.path().join("GO-2099-0001.json");
    write(
        &osv,
        r#"{"id":"GO-2099-0001","modified":"2099-01-01T00:00:00Z","aliases":["CVE-2099-0001"],"affected":[{"package":{"ecosystem":"Go","name":"example.com/x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.3"}]}]}]}"#,
    );
    let o = medvigil(
        &db,
        &[
            "advisories",
            "import",
            bad.to_str().unwrap_or_default(),
            osv.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken.json: not JSON (line 2, column 12)"),
        "{err}"
    );
    assert_eq!(count(&db, "advisories"), stored + 1);
    let o = medvigil(
        &db,
        &["advisories", "list", "--search", "cve-2099-0001", "--json"],
    );
    assert!(stdout(&o).contains("\"format\":\"osv\""), "{}", stdout(&o));

    // The KEV catalog (JSON, then the same as CSV) and EPSS scores.
    if let Some(kev) = medvigil_testkit::corpus("kev") {
        let catalog: serde_json::Value = serde_json::from_slice(
            &std::fs::read(kev.join("known_exploited_vulnerabilities.json")).unwrap_or_default(),
        )
        .unwrap_or_default();
        let n = catalog["vulnerabilities"].as_array().map_or(0, Vec::len);
        assert!(n > 1000, "{n}");
        for (file, key, expected) in [
            ("known_exploited_vulnerabilities.json", "kev_entries", n),
            ("known_exploited_vulnerabilities.csv", "kev_entries", n),
            ("epss_scores_sample_head.csv", "epss_scores", 99),
        ] {
            let path = kev.join(file);
            let o = medvigil(
                &db,
                &[
                    "advisories",
                    "import",
                    "--json",
                    path.to_str().unwrap_or_default(),
                ],
            );
            assert!(
                o.status.success(),
                "{file}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_default();
            assert_eq!(s[key], expected, "{file}: {s}");
        }
    }

    // A dry run writes nothing.
    let next = dir.path().join("GO-2099-0002.json");
    write(
        &next,
        &std::fs::read_to_string(&osv)
            .unwrap_or_default()
            .replace("0001", "0002"),
    );
    let o = medvigil(
        &db,
        &[
            "advisories",
            "import",
            "--dry-run",
            next.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success());
    assert!(stdout(&o).contains("1 new"), "{}", stdout(&o));
    assert_eq!(count(&db, "advisories"), stored + 1);
}

#[test]
fn sbom_components_match_osv_records_and_vex_is_honoured() {
    let Some(osv) = medvigil_testkit::corpus("osv/golang-vulndb") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("psirt.db");
    let o = medvigil(
        &db,
        &["advisories", "import", osv.to_str().unwrap_or_default()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bom = dir.path().join("bom.json");
    write(
        &bom,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
 "metadata":{"component":{"type":"device","name":"Demo infusion gateway","version":"2.1"}},
 "components":[
  {"type":"library","bom-ref":"gin-old","name":"gin","group":"github.com/gin-gonic","version":"1.5.0","purl":"pkg:golang/github.com/gin-gonic/gin@v1.5.0"},
  {"type":"library","bom-ref":"gin-new","name":"gin","group":"github.com/gin-gonic","version":"1.9.1","purl":"pkg:golang/github.com/gin-gonic/gin@v1.9.1"}]}"#,
    );
    let vex = dir.path().join("vex.json");
    write(
        &vex,
        r#"{"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example.invalid/vex/1","author":"Demo PSIRT","timestamp":"2026-11-29T00:00:00Z","version":1,
 "statements":[{"vulnerability":{"name":"GO-2020-0001"},"products":[{"@id":"pkg:golang/github.com/gin-gonic/gin@v1.5.0"}],
  "status":"not_affected","justification":"vulnerable_code_not_in_execute_path"}]}"#,
    );
    let findings = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["sbom", "check", "--json", bom.to_str().unwrap_or_default()];
        args.extend(extra);
        let o = medvigil(&db, &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .filter(|f: &serde_json::Value| f["source"] == "GO-2020-0001")
            .collect()
    };
    // gin < 1.6.0 is affected (GO-2020-0001, CVE-2020-36567); 1.9.1 is not.
    let plain = findings(&[]);
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert_eq!(plain[0]["component"], "gin-old");
    assert_eq!(plain[0]["status"], "affected");
    assert_eq!(plain[0]["confidence"], 100);
    assert_eq!(plain[0]["evidence"]["matched_on"], "purl");
    // The supplier's VEX says the vulnerable code is not reachable.
    let with_vex = findings(&["--vex", vex.to_str().unwrap_or_default()]);
    assert_eq!(with_vex.len(), 1);
    assert_eq!(with_vex[0]["status"], "not_affected");
    assert_eq!(
        with_vex[0]["evidence"]["vex"]["justification"],
        "vulnerable_code_not_in_execute_path"
    );
}

#[test]
fn discovery_merges_into_the_inventory_without_overriding_the_cmms() {
    let (Some(pcaps), Some(oui)) = (
        medvigil_testkit::corpus("pcap/medical-tapirx"),
        medvigil_testkit::corpus("oui/ieee-data"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("discovery.db");
    // The CMMS knows the infusion pump by asset tag, as an ICU Medical
    // device (ICU Medical bought Hospira), at an old address.
    let cmms = dir.path().join("cmms.csv");
    write(
        &cmms,
        "Asset Tag,Manufacturer,Model,Serial No.,MAC Address,IP Address\nPUMP-1,ICU Medical,Plum 360,S1,00:03:b1:b5:b6:48,10.9.9.9\n",
    );
    let o = medvigil(
        &db,
        &["inventory", "import", cmms.to_str().unwrap_or_default()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let capture = pcaps.join("HL7-ADT-UDI-OBX.pcap");
    let mut args = vec![
        "discover",
        "--import",
        "--oui",
        oui.to_str().unwrap_or_default(),
    ];
    args.push(capture.to_str().unwrap_or_default());

    let dry: Vec<&str> = args.iter().copied().chain(["--dry-run"]).collect();
    let o = medvigil(&db, &dry);
    assert!(stdout(&o).contains("would merge"), "{}", stdout(&o));
    let before = export(&db);
    assert!(before.contains("10.9.9.9"));

    let mut at_site = args.clone();
    at_site.extend(["--site", "Riverside"]);
    let o = medvigil(&db, &at_site);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("1 updated"), "{}", stdout(&o));
    let o = medvigil(&db, &["inventory", "show", "PUMP-1"]);
    let text = stdout(&o);
    // The address is what the network shows now, with discovery as its
    // source; the vendor stays the CMMS's.
    let ip = text
        .lines()
        .find(|l| l.contains(" ip "))
        .unwrap_or_default();
    assert!(
        ip.contains("10.0.0.155") && ip.contains("discovery"),
        "{text}"
    );
    let vendor = text
        .lines()
        .find(|l| l.contains(" vendor "))
        .unwrap_or_default();
    assert!(
        vendor.contains("ICU Medical") && vendor.contains("cmms_import"),
        "{text}"
    );
    assert!(!text.contains("Hospira"), "{text}");
    // The fingerprint catalog recognises the Plum pump (HL7 OBX-18 device
    // identifier, Hospira MAC) and fills the category the CMMS left empty.
    let category = text
        .lines()
        .find(|l| l.contains(" category "))
        .unwrap_or_default();
    assert!(
        category.contains("infusion-pump") && category.contains("discovery"),
        "{text}"
    );

    // Who talks to whom: the pump's HL7 conversation with the receiver.
    let flows = json_lines(&db, &["flows", "--json"]);
    let hl7 = flows
        .iter()
        .find(|c| c["protocol"] == "hl7")
        .unwrap_or_else(|| panic!("an HL7 conversation: {flows:?}"));
    assert_eq!(hl7["client"]["ip"], "10.0.0.155");
    assert_eq!(hl7["server"]["ip"], "10.0.0.126");
    assert_eq!(hl7["transport"], "tcp");
    let bytes = hl7["bytes"].as_u64().unwrap_or(0);
    assert!(bytes > 0);

    // The HL7 receiver is a new device, known by its MAC.
    let all = export(&db);
    let receiver = all
        .lines()
        .find(|l| l.contains("08:00:27:1d:a6:c2"))
        .unwrap_or_else(|| panic!("{all}"));
    assert!(
        receiver.contains("Riverside"),
        "placed at the capture's site: {receiver}"
    );
    // Seeing the same traffic again changes no device; its bytes add up.
    let o = medvigil(&db, &args);
    assert!(
        stdout(&o).contains("0 new devices, 0 updated"),
        "{}",
        stdout(&o)
    );
    let again = json_lines(&db, &["flows", "--json"]);
    let hl7 = again
        .iter()
        .find(|c| c["protocol"] == "hl7")
        .unwrap_or_else(|| panic!("{again:?}"));
    assert_eq!(hl7["bytes"].as_u64(), Some(2 * bytes));
}

#[test]
fn remediation_workflow_from_plan_to_expiry_with_its_trail() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    let o = medvigil(&db, &["demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let affected = json_lines(&db, &["findings", "list", "--json"])
        .iter()
        .filter(|f| f["status"] == "affected")
        .count();

    // The demo planned one remediation per affected finding; planning
    // again adds none.
    let o = medvigil(&db, &["remediation", "plan", "--open-findings"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains(&format!(
            "planned 0 remediations: 0 updates, 0 segmentations; {affected} findings already had one"
        )),
        "{}",
        stdout(&o)
    );
    let overdue_before = json_lines(&db, &["remediation", "list", "--overdue", "--json"]).len();
    assert!(overdue_before > 0, "the demo has overdue work");
    let all = json_lines(&db, &["remediation", "list", "--json"]);
    assert_eq!(all.len(), affected);
    // Patchable devices with a vendor fix get the update it names; the
    // others are segmented by the network team.
    let alaris = all
        .iter()
        .find(|r| {
            r["vulnerability"] == "CVE-2020-25165"
                && r["action"] == "update"
                && r["status"] == "open"
        })
        .unwrap_or_else(|| panic!("an Alaris update"));
    assert_eq!(alaris["target_version"], "12.1.0", "{alaris}");
    assert_eq!(alaris["owner"], "biomedical");
    assert!(
        all.iter()
            .any(|r| r["action"] == "segment" && r["owner"] == "network")
    );

    // A step the workflow refuses fails with its reason and writes nothing.
    let id = alaris["id"].as_str().unwrap_or_default();
    let short = &id[id.len() - 12..];
    let o = medvigil(
        &db,
        &["remediation", "update", short, "--status", "accepted"],
    );
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot go from open to accepted"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let steps: [&[&str]; 4] = [
        &[
            "--status",
            "in-progress",
            "--comment",
            "vendor visit booked",
        ],
        &["--owner", "vendor", "--due", "2020-01-31"],
        &[
            "--accept-until",
            "2099-12-31",
            "--justification",
            "pump VLAN isolated",
        ],
        &["--status", "open"],
    ];
    for (i, step) in steps.iter().enumerate() {
        let mut args = vec!["remediation", "update", short, "--actor", "alice"];
        args.extend_from_slice(step);
        let o = medvigil(&db, &args);
        assert!(
            o.status.success(),
            "step {i}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // Overdue: open again, due in the past.
    let overdue = json_lines(&db, &["remediation", "list", "--overdue", "--json"]);
    assert_eq!(overdue.len(), overdue_before + 1);
    assert!(overdue.iter().any(|r| r["id"] == id));

    let o = medvigil(&db, &["remediation", "show", id, "--json"]);
    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    let kinds: Vec<&str> = shown["trail"]
        .as_array()
        .map(|t| t.iter().filter_map(|e| e["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds,
        [
            "created",
            "comment",
            "status",
            "owner",
            "due",
            "risk-accepted",
            "status"
        ]
    );
    assert!(shown["trail"].as_array().is_some_and(|t| {
        t[1..]
            .iter()
            .all(|e| e["actor"] == "alice" && e["at"].is_string())
    }));
    let o = medvigil(&db, &["remediation", "show", short]);
    assert!(stdout(&o).contains("OVERDUE"), "{}", stdout(&o));

    // The group's report: one self-contained HTML file and its CSVs.
    let html = dir.path().join("report.html");
    let o = medvigil(
        &db,
        &[
            "report",
            "--csv",
            "--out",
            html.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains(&format!("{} remediations overdue", overdue.len())),
        "{}",
        stdout(&o)
    );
    let page = std::fs::read_to_string(&html).unwrap_or_else(|e| panic!("{e}"));
    assert!(page.contains("Demo Hospital Group"));
    assert_eq!(
        page.matches("<svg").count(),
        5,
        "priority, class, category, department, site"
    );
    assert!(!page.contains("<script") && !page.contains("https://"));
    let devices = std::fs::read_to_string(html.with_extension("devices.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    let o = medvigil(&db, &["inventory", "list", "--format", "json"]);
    let inventory: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(devices.lines().count(), inventory.len() + 1);
}

#[test]
fn segmentation_from_traffic_to_an_enforced_policy_with_drift() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    let o = medvigil(&db, &["demo"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Nothing to export before a policy is approved.
    let o = medvigil(&db, &["segment", "export"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no approved policy"));

    // The demo proposed policy 1 with its address plan; a new proposal
    // keeps those zones (the newest policy's).
    let o = medvigil(&db, &["segment", "list"]);
    assert!(stdout(&o).contains("medvigil demo"), "{}", stdout(&o));
    let o = medvigil(&db, &["segment", "propose", "--note", "first learning"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.starts_with("proposed policy 2: 9 zones"), "{out}");
    // Issue 8: the demo's servers and workstations are in zones (the
    // modalities' DICOM goes from clinical workstations, the PACS is with
    // the modalities), none in `unassigned`.
    assert!(
        out.contains("+ conduit clinical-it -> imaging tcp/104 (dicom)"),
        "{out}"
    );
    assert!(!out.contains("unassigned tcp/"), "{out}");
    assert!(
        out.contains("+ zone unassigned (0 address blocks)"),
        "{out}"
    );
    // Unpatchable devices get device-specific rules.
    assert!(out.contains("+ restrict device"), "{out}");

    let before = json_lines(&db, &["risk", "list", "--json"]);
    let o = medvigil(
        &db,
        &[
            "segment",
            "approve",
            "2",
            "--actor",
            "netops",
            "--comment",
            "checked",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = medvigil(&db, &["segment", "approve", "2"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("policy 2 is approved"),
        "decided once"
    );
    // A second proposal from the same traffic changes nothing.
    let o = medvigil(&db, &["segment", "propose"]);
    assert!(
        stdout(&o).contains("no change against the approved policy"),
        "{}",
        stdout(&o)
    );

    let nft = dir.path().join("policy.nft");
    let o = medvigil(
        &db,
        &["segment", "export", "--format", "nftables", "--out"]
            .iter()
            .copied()
            .chain([nft.to_str().unwrap_or_default()])
            .collect::<Vec<_>>(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    medvigil_testkit::nft_check(&std::fs::read_to_string(&nft).unwrap_or_else(|e| panic!("{e}")));
    let o = medvigil(&db, &["segment", "export", "--format", "cisco"]);
    assert!(
        stdout(&o).contains("ip access-list extended"),
        "{}",
        stdout(&o)
    );
    let o = medvigil(&db, &["segment", "export", "--format", "csv"]);
    assert!(stdout(&o).lines().count() > 5);

    // The learned traffic does not drift.
    let o = medvigil(&db, &["segment", "drift", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).trim().is_empty(), "{}", stdout(&o));

    // Approved but not enforced: risk unchanged. Enforced: restricted
    // devices are on isolated segments, and no device is worse off.
    let approved = json_lines(&db, &["risk", "list", "--json"]);
    assert_eq!(approved, before);
    let o = medvigil(&db, &["segment", "enforce", "2"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let enforced = json_lines(&db, &["risk", "list", "--json"]);
    let isolated = enforced
        .iter()
        .filter(|d| {
            d["assessments"][0]["reason"]
                .as_str()
                .unwrap_or_default()
                .contains("isolated network segment")
        })
        .count();
    assert!(isolated > 0, "restricted devices count as isolated");
    let p1 = |rows: &[serde_json::Value]| {
        rows.iter()
            .filter(|d| d["risk"]["priority"] == "P1")
            .count()
    };
    assert!(p1(&enforced) <= p1(&before));

    // New traffic the policy does not allow: a DICOM association between
    // hosts it has never seen (a real capture) drifts.
    let Some(pcaps) = medvigil_testkit::corpus("pcap/medical-tapirx") else {
        return;
    };
    let capture = pcaps.join("dicom_arq_1_find_testclient.pcap");
    let o = medvigil(
        &db,
        &[
            "discover",
            capture.to_str().unwrap_or_default(),
            "--import",
            "--site",
            "Riverside General Hospital",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let alerts = json_lines(&db, &["segment", "drift", "--json"]);
    assert!(
        alerts.iter().any(|a| a["service"] == "tcp/104"),
        "{alerts:?}"
    );
}

#[test]
fn users_are_added_changed_and_an_admin_always_remains() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("m.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_medvigil"))
            .arg("--database")
            .arg(&db)
            .args(["--tenant", "CHU Test"])
            .args(args)
            .env("MEDVIGIL_PASSWORD", "Granite-Harbour-Lantern-9")
            .output()
            .unwrap_or_else(|e| panic!("run medvigil: {e}"))
    };
    for (name, role) in [("root", "admin"), ("nurse", "biomed")] {
        let o = run(&["users", "add", name, "--role", role]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // The only admin can be neither demoted nor disabled.
    for change in [&["--role", "auditor"][..], &["--disable"][..]] {
        let o = run(&[&["users", "update", "root"][..], change].concat());
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("last active admin"), "{err}");
    }
    let o = run(&["users", "update", "nurse", "--role", "network", "--disable"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(stdout(&o).trim(), "nurse (network) is disabled");
    let o = run(&["users", "list"]);
    let list = stdout(&o);
    let nurse = list
        .lines()
        .find(|l| l.contains("nurse"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        nurse.contains("network") && nurse.contains("disabled"),
        "{nurse}"
    );
    let o = run(&["users", "update", "nobody", "--unlock"]);
    assert!(!o.status.success());
}
