//! OSV records (Go vulnerability database, OSV scanner offline samples) and
//! CVE JSON 5 records of the corpora against purl targets and devices:
//! a package version inside a range is affected, the fixed version is not.

mod common;

use std::path::PathBuf;

use medvigil_ident::Purl;
use medvigil_match::{MatchKind, Matcher, Status, Target, VersionEvidence};
use medvigil_version::{Bound, VersionRange};
use medvigil_vulndb::{AffectedRange, PackageId, VulnRecord, cve5, osv};

fn osv_records() -> Option<Vec<(PathBuf, VulnRecord)>> {
    let root = medvigil_testkit::corpus("osv")?;
    let mut out = Vec::new();
    for sub in ["golang-vulndb", "osv-scanner-offline-db"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(sub))
            .expect("read corpus")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("read record");
            let rec = osv::read_record(&text).expect("OSV record reads").value;
            out.push((f, rec));
        }
    }
    Some(out)
}

/// The purl (without version) of an affected package.
fn base_purl(ids: &[PackageId]) -> Option<String> {
    for id in ids {
        if let PackageId::Purl(p) = id {
            let s = p.as_str();
            return Some(s.split(['@', '?', '#']).next().unwrap_or(s).to_string());
        }
    }
    for id in ids {
        if let PackageId::Ecosystem { ecosystem, name } = id {
            let base = ecosystem.split(':').next().unwrap_or(ecosystem);
            return match base {
                "Go" => Some(format!("pkg:golang/{name}")),
                "npm" => Some(format!("pkg:npm/{name}")),
                "PyPI" => Some(format!("pkg:pypi/{name}")),
                "Alpine" => Some(format!("pkg:apk/alpine/{name}")),
                "Debian" => Some(format!("pkg:deb/debian/{name}")),
                _ => None,
            };
        }
    }
    None
}

fn inside(r: &VersionRange) -> Option<String> {
    let iv = r.intervals().first()?;
    let mut c = Vec::new();
    if let Bound::Included(v) = &iv.lower {
        c.push(v.as_str().to_string());
    }
    if let Bound::Included(v) = &iv.upper {
        c.push(v.as_str().to_string());
    }
    c.extend(
        [
            "0.0.1",
            "0.1.0",
            "1.0.0",
            "0.0.0-20000101000000-000000000000",
        ]
        .map(String::from),
    );
    c.into_iter().find(|v| r.contains_str(v).unwrap_or(false))
}

fn holds(rec: &VulnRecord, key_purl: &str, version: &str) -> bool {
    rec.affected.iter().any(|a| {
        base_purl(&a.identifiers).as_deref() == Some(key_purl)
            && (a.versions.iter().any(|v| v == version)
                || a.ranges.iter().any(|r| match r {
                    AffectedRange::Versions(r) => r.contains_str(version).unwrap_or(false),
                    _ => false,
                }))
    })
}

#[test]
fn osv_package_in_range_is_affected_and_fixed_version_is_not() {
    let Some(records) = osv_records() else { return };
    let aliases = common::aliases();
    let (mut affected_checked, mut fixed_checked) = (0, 0);
    let mut failures = Vec::new();
    for (path, rec) in &records {
        if rec.withdrawn.is_some() {
            continue;
        }
        let mut matcher = Matcher::new(aliases.clone());
        let mut expect = Vec::new();
        for (ai, a) in rec.affected.iter().enumerate() {
            let Some(base) = base_purl(&a.identifiers) else {
                continue;
            };
            for (ri, r) in a.ranges.iter().enumerate() {
                let AffectedRange::Versions(r) = r else {
                    continue;
                };
                if let Some(v) = inside(r)
                    && let Ok(p) = Purl::parse(&format!("{base}@{v}"))
                {
                    let key = format!("in-{ai}-{ri}");
                    matcher.insert(Target::new(key.clone()).purl(p));
                    expect.push((key, true, v));
                }
                for iv in r.intervals() {
                    if let Bound::Excluded(fixed) = &iv.upper
                        && !holds(rec, &base, fixed.as_str())
                        && let Ok(p) = Purl::parse(&format!("{base}@{}", fixed.as_str()))
                    {
                        let key = format!("fixed-{ai}-{ri}-{}", fixed.as_str());
                        matcher.insert(Target::new(key.clone()).purl(p));
                        expect.push((key, false, fixed.as_str().to_string()));
                    }
                }
            }
        }
        let findings = matcher.match_record(rec);
        for (key, affected, version) in expect {
            let f = findings.iter().find(|f| *f.target == *key);
            if affected {
                affected_checked += 1;
                match f {
                    Some(f)
                        if f.status == Status::Affected
                            && f.evidence.matched_on == MatchKind::Purl
                            && matches!(f.evidence.version, VersionEvidence::InRange { .. }) =>
                    {
                        assert_eq!(&*f.source.id, rec.id.as_str());
                    }
                    other => failures.push(format!(
                        "{}: {key} at {version} not found: {other:?}",
                        path.display()
                    )),
                }
            } else {
                fixed_checked += 1;
                if let Some(f) = f {
                    failures.push(format!("{}: fixed {version} matched: {f}", path.display()));
                }
            }
        }
    }
    eprintln!(
        "{} OSV records: {affected_checked} in-range packages found, {fixed_checked} fixed versions not",
        records.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(affected_checked > 500 && fixed_checked > 500);
}

#[test]
fn cve5_records_match_devices_by_vendor_and_product() {
    let Some(dir) = medvigil_testkit::corpus("osv/cvelistV5") else {
        return;
    };
    let aliases = common::aliases();
    let mut matcher = Matcher::new(aliases);
    matcher.insert(
        Target::new("contec-1")
            .vendor("Contec Health")
            .product("CMS8000 Patient Monitor")
            .version("2.0.6"),
    );
    matcher.insert(
        Target::new("contec-other")
            .vendor("Contec Health")
            .product("CMS8000 Plus")
            .version("2.0.6"),
    );
    matcher.insert(
        Target::new("other-vendor")
            .vendor("Contec Medical Systems Co Ltd Hebei")
            .product("Patient Monitor")
            .version("2.0.6"),
    );
    for id in ["CVE-2025-0626", "CVE-2025-0683"] {
        let text = std::fs::read_to_string(dir.join(format!("{id}.json"))).expect("read");
        let rec = cve5::read_record(&text).expect("CVE 5 record reads").value;
        let findings = matcher.match_record(&rec);
        assert_eq!(findings.len(), 1, "{id}: {findings:#?}");
        let f = &findings[0];
        assert_eq!(&*f.target, "contec-1");
        assert_eq!(&*f.vulnerability, id);
        assert_eq!(f.status, Status::Affected);
        assert_eq!(f.evidence.matched_on, MatchKind::VendorProduct);
    }
}
