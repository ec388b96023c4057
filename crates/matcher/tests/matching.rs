//! Matching rules at the crate boundary: identifiers beat names, vendor
//! aliases, CPE attributes, VEX, incremental matching, and a property
//! test of range membership.

mod common;

use medvigil_ident::{Cpe, Purl};
use medvigil_match::{
    Catalog, MatchKind, Matcher, Status, Target, VersionEvidence, VexAssertion, VexProduct,
};
use medvigil_version::{Bound, Interval, Scheme, Version, VersionRange};
use medvigil_vulndb::{Affected, AffectedRange, PackageId, SourceFormat, VulnRecord};
use proptest::prelude::*;

fn record(id: &str, alias: &str, affected: Vec<Affected>) -> VulnRecord {
    let mut r = VulnRecord::new(id, SourceFormat::Osv);
    r.aliases = vec![alias.into()];
    r.affected = affected;
    r
}

fn range(scheme: Scheme, lo: &str, hi: &str) -> VersionRange {
    let v = |s: &str| Version::parse(scheme, s).expect("version");
    VersionRange::from_intervals(
        scheme,
        [Interval {
            lower: Bound::Included(v(lo)),
            upper: Bound::Excluded(v(hi)),
        }],
    )
    .expect("range")
}

fn purl(s: &str) -> Purl {
    Purl::parse(s).expect("purl")
}

/// A target with both a purl and a vendor + product name, and one affected
/// entry naming it each way.
fn libwidget(
    aliases: std::sync::Arc<medvigil_ident::VendorAliases>,
) -> (Matcher, Affected, Affected) {
    let mut m = Matcher::new(aliases);
    m.insert(
        Target::new("c1")
            .vendor("Acme")
            .product("libwidget")
            .version("1.2.0")
            .purl(purl("pkg:npm/libwidget@1.2.0")),
    );
    let mut by_purl = Affected::new(vec![PackageId::Purl(purl("pkg:npm/libwidget"))]);
    by_purl.ranges.push(AffectedRange::Versions(range(
        Scheme::Npm,
        "1.0.0",
        "1.3.0",
    )));
    let mut by_name = Affected::new(vec![PackageId::VendorProduct {
        vendor: Some("Acme".into()),
        product: "libwidget".into(),
    }]);
    by_name.ranges.push(AffectedRange::Versions(range(
        Scheme::Generic,
        "1.0",
        "2.0",
    )));
    (m, by_purl, by_name)
}

#[test]
fn purl_match_suppresses_name_match_of_the_same_vulnerability() {
    let aliases = common::aliases();
    let (m, by_purl, by_name) = libwidget(aliases.clone());
    let mut c = Catalog::new(aliases);
    c.add_record(&record("GHSA-1", "CVE-2024-0001", vec![by_purl]));
    c.add_record(&record("VENDOR-1", "CVE-2024-0001", vec![by_name]));
    let f = m.match_all(&c);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].evidence.matched_on, MatchKind::Purl);
    assert_eq!(&*f[0].vulnerability, "CVE-2024-0001");
    assert_eq!(f[0].confidence.0, 100);
    assert!(matches!(
        f[0].evidence.version,
        VersionEvidence::InRange { .. }
    ));
}

#[test]
fn names_do_not_match_when_both_sides_have_different_purls() {
    let aliases = common::aliases();
    let mut m = Matcher::new(aliases.clone());
    m.insert(
        Target::new("c1")
            .vendor("Acme")
            .product("widget")
            .version("1.2.0")
            .purl(purl("pkg:pypi/widget@1.2.0")),
    );
    let a = Affected::new(vec![
        PackageId::Purl(purl("pkg:npm/widget")),
        PackageId::VendorProduct {
            vendor: Some("Acme".into()),
            product: "widget".into(),
        },
    ]);
    let mut c = Catalog::new(aliases);
    c.add_record(&record("GHSA-2", "CVE-2024-0002", vec![a]));
    assert!(m.match_all(&c).is_empty());
}

#[test]
fn vendor_alias_and_model_number() {
    let aliases = common::aliases();
    let mut m = Matcher::new(aliases.clone());
    m.insert(
        Target::new("pump")
            .vendor("Hospira")
            .product("Plum 360")
            .version("15.10")
            .model_number("20792-04"),
    );
    let mut c = Catalog::new(aliases);
    c.add_affected_product(
        "CVE-1",
        "ADV-1",
        "ICU Medical",
        "Plum 360",
        "<= 15.10",
        Status::Affected,
    );
    c.add_affected_product(
        "CVE-2",
        "ADV-1",
        "ICU Medical",
        "Plum 360 Infuser",
        "<= 16",
        Status::Affected,
    );
    let f = m.match_all(&c);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].evidence.vendor_alias);
    assert_eq!(f[0].confidence.0, 65);
}

#[test]
fn cpe_other_attributes_must_agree() {
    let aliases = common::aliases();
    let mut m = Matcher::new(aliases.clone());
    let cpe = |s: &str| Cpe::parse(s).expect("cpe");
    m.insert(Target::new("win").cpe(cpe("cpe:2.3:a:acme:viewer:2.1:*:*:*:*:windows:*:*")));
    m.insert(Target::new("mac").cpe(cpe("cpe:2.3:a:acme:viewer:2.1:*:*:*:*:macos:*:*")));
    m.insert(Target::new("any").cpe(cpe("cpe:2.3:a:acme:viewer:2.1:*:*:*:*:*:*:*")));
    let mut a = Affected::new(vec![PackageId::Cpe(cpe(
        "cpe:2.3:a:acme:viewer:*:*:*:*:*:windows:*:*",
    ))]);
    a.ranges.push(AffectedRange::Versions(range(
        Scheme::Generic,
        "2.0",
        "2.2",
    )));
    let mut c = Catalog::new(aliases);
    c.add_record(&record("NVD-1", "CVE-2024-0003", vec![a]));
    let mut keys: Vec<String> = m
        .match_all(&c)
        .iter()
        .map(|f| f.target.to_string())
        .collect();
    keys.sort();
    assert_eq!(keys, ["any", "win"]);
}

#[test]
fn vex_turns_findings_not_affected_with_justification() {
    let aliases = common::aliases();
    let mut m = Matcher::new(aliases.clone());
    m.insert(Target::new("c1").purl(purl("pkg:npm/libwidget@1.2.0")));
    m.insert(Target::new("c2").purl(purl("pkg:npm/libwidget@1.2.1")));
    let mut a = Affected::new(vec![PackageId::Purl(purl("pkg:npm/libwidget"))]);
    a.ranges.push(AffectedRange::Versions(range(
        Scheme::Npm,
        "1.0.0",
        "1.3.0",
    )));
    let mut c = Catalog::new(aliases);
    c.add_record(&record("GHSA-3", "CVE-2024-0004", vec![a]));
    let mut f = m.match_all(&c);
    assert_eq!(f.len(), 2);
    let vex = [VexAssertion::new(
        "CVE-2024-0004",
        VexProduct::Purl(purl("pkg:npm/libwidget@1.2.0")),
        Status::NotAffected,
    )
    .justification("vulnerable_code_not_in_execute_path")];
    assert_eq!(m.apply_vex(&mut f, &vex), 1);
    let c1 = f.iter().find(|x| &*x.target == "c1").expect("c1");
    assert_eq!(c1.status, Status::NotAffected);
    let v = c1.evidence.vex.as_ref().expect("vex evidence");
    assert_eq!(v.previous, Status::Affected);
    assert_eq!(
        v.justification.as_deref(),
        Some("vulnerable_code_not_in_execute_path")
    );
    let c2 = f.iter().find(|x| &*x.target == "c2").expect("c2");
    assert_eq!(c2.status, Status::Affected);
}

#[test]
fn incremental_advisory_equals_its_part_of_the_full_match() {
    let Some(docs) = common::icsma() else { return };
    let aliases = common::aliases();
    let mut m = Matcher::new(aliases.clone());
    m.insert(
        Target::new("pcu")
            .vendor("BD")
            .product("Alaris PC Unit")
            .version("9.19"),
    );
    m.insert(
        Target::new("iq")
            .vendor("Baxter")
            .product("Spectrum IQ")
            .version("9.1"),
    );
    m.insert(
        Target::new("picix")
            .vendor("Philips")
            .product("Patient Information Center iX (PICiX)")
            .version("C.03"),
    );
    let mut c = Catalog::new(aliases);
    for (_, d) in &docs {
        c.add_csaf(d);
    }
    let all = m.match_all(&c);
    assert!(!all.is_empty());
    for (_, d) in &docs {
        let id = d.document.tracking.id.as_str();
        let mut one = m.match_advisory(d);
        let mut part: Vec<_> = all
            .iter()
            .filter(|f| &*f.source.id == id)
            .cloned()
            .collect();
        one.sort_by_key(|f| f.key());
        part.sort_by_key(|f| f.key());
        assert_eq!(one, part, "{id}");
    }
    for key in ["pcu", "iq", "picix"] {
        let mut one = m.match_target(&c, key);
        let mut part: Vec<_> = all.iter().filter(|f| &*f.target == key).cloned().collect();
        one.sort_by_key(|f| f.key());
        part.sort_by_key(|f| f.key());
        assert!(!one.is_empty());
        assert_eq!(one, part, "{key}");
    }
    // Replacing an advisory: remove its entries, the rest stays.
    let n = all
        .iter()
        .filter(|f| &*f.source.id == "ICSMA-20-170-06")
        .count();
    assert!(n > 0);
    assert!(c.remove_source("ICSMA-20-170-06") > 0);
    let after = m.match_all(&c);
    assert_eq!(after.len(), all.len() - n);
    assert!(after.iter().all(|f| &*f.source.id != "ICSMA-20-170-06"));
}

#[test]
fn withdrawn_records_and_unknown_products_are_diagnosed() {
    let aliases = common::aliases();
    let mut r = record("GHSA-4", "CVE-2024-0005", Vec::new());
    r.withdrawn = Some("2024-01-01T00:00:00Z".into());
    let mut c = Catalog::new(aliases);
    c.add_record(&r);
    assert!(c.is_empty());
    assert_eq!(c.diagnostics().len(), 1);
}

proptest! {
    #[test]
    fn version_inside_generated_range_matches_outside_does_not(
        lo in proptest::collection::vec(0u32..20, 1..4),
        span in 1u32..50,
        pick in 0u32..1000,
    ) {
        let join = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        let lower = join(&lo);
        let mut hi_parts = lo.clone();
        hi_parts[0] += span;
        let upper = join(&hi_parts);
        // A candidate version: major somewhere around the range.
        let mut cand = lo.clone();
        cand[0] = pick % (lo[0] + span + 5);
        let version = join(&cand);
        let r = range(Scheme::Generic, &lower, &upper);
        let inside = r.contains_str(&version).unwrap_or(false);
        let aliases = common::aliases();
        let mut m = Matcher::new(aliases.clone());
        m.insert(Target::new("d").vendor("Acme Medical").product("Pump 3").version(version.clone()));
        let mut c = Catalog::new(aliases);
        c.add_affected_product(
            "CVE-X", "ADV", "Acme Medical", "Pump 3",
            &format!(">= {lower} | < {upper}"), Status::Affected,
        );
        let f = m.match_all(&c);
        prop_assert_eq!(f.len(), usize::from(inside), "{} in [{}, {}): {:?}", version, lower, upper, f);
    }
}

/// A small CSAF document: one product with helper identifiers, one
/// product affected in all versions except a fixed one.
const CSAF: &str = r#"{
 "document": {"category": "csaf_security_advisory", "csaf_version": "2.0", "title": "t",
   "publisher": {"category": "vendor", "name": "Acme", "namespace": "https://acme.example"},
   "tracking": {"id": "ACME-2024-01", "status": "final", "version": "1",
     "initial_release_date": "2024-01-01T00:00:00Z", "current_release_date": "2024-01-01T00:00:00Z",
     "revision_history": []}},
 "product_tree": {"branches": [{"category": "vendor", "name": "Acme Medical", "branches": [
   {"category": "product_name", "name": "InfuPro", "branches": [
     {"category": "product_version_range", "name": "vers:all/*",
      "product": {"name": "Acme InfuPro all", "product_id": "P-ALL"}},
     {"category": "product_version", "name": "4.2",
      "product": {"name": "Acme InfuPro 4.2", "product_id": "P-FIX"}}]},
   {"category": "product_name", "name": "Gateway", "branches": [
     {"category": "product_version_range", "name": "< 2.0",
      "product": {"name": "Acme Gateway < 2.0", "product_id": "P-GW",
        "product_identification_helper": {"model_numbers": ["GW-100"],
          "purl": "pkg:generic/acme/gateway", "cpe": "cpe:2.3:o:acme:gateway_firmware:*:*:*:*:*:*:*:*"}}}]}]}]},
 "vulnerabilities": [{"cve": "CVE-2024-1111",
   "product_status": {"known_affected": ["P-ALL", "P-GW"], "fixed": ["P-FIX"]},
   "remediations": [{"category": "vendor_fix", "details": "Update to 4.2.", "product_ids": ["P-ALL"], "url": "https://acme.example/fix"},
                    {"category": "workaround", "details": "Isolate.", "product_ids": ["P-GW"]}]}]
}"#;

#[test]
fn csaf_helpers_fixed_versions_and_remediations() {
    let doc = medvigil_csaf::parse_document("inline", CSAF.as_bytes()).expect("parses");
    let mut m = Matcher::new(common::aliases());
    m.insert(
        Target::new("old")
            .vendor("Acme Medical")
            .product("InfuPro")
            .version("4.1"),
    );
    m.insert(
        Target::new("fixed")
            .vendor("Acme Medical")
            .product("InfuPro")
            .version("4.2"),
    );
    m.insert(
        Target::new("gw-model")
            .model_number("gw-100")
            .version("1.5"),
    );
    m.insert(
        Target::new("gw-model-new")
            .model_number("GW-100")
            .version("2.1"),
    );
    m.insert(
        Target::new("gw-cpe")
            .vendor("Acme Medical")
            .product("Gateway")
            .cpe(Cpe::parse("cpe:2.3:o:acme:gateway_firmware:1.0:*:*:*:*:*:*:*").expect("cpe")),
    );
    let f = m.match_advisory(&doc);
    let get = |k: &str| f.iter().find(|x| &*x.target == k);
    let old = get("old").expect("old");
    assert_eq!((old.status, old.confidence.0), (Status::Affected, 65));
    assert_eq!(
        old.remediations[0].url.as_deref(),
        Some("https://acme.example/fix")
    );
    let fixed = get("fixed").expect("fixed");
    assert_eq!(fixed.status, Status::Fixed);
    let gw = get("gw-model").expect("model number");
    assert_eq!(
        (gw.evidence.matched_on, gw.confidence.0),
        (MatchKind::ModelNumber, 85)
    );
    assert!(get("gw-model-new").is_none());
    let cpe = get("gw-cpe").expect("cpe");
    assert_eq!(cpe.evidence.matched_on, MatchKind::Cpe);
    assert_eq!(cpe.evidence.product_id.as_deref(), Some("P-GW"));
    assert_eq!(f.len(), 4, "{f:#?}");
}

#[test]
fn prefer_identifiers_across_incremental_calls() {
    let aliases = common::aliases();
    let (m, by_purl, by_name) = libwidget(aliases);
    let mut f = m.match_record(&record("GHSA-1", "CVE-2024-0001", vec![by_purl]));
    f.extend(m.match_record(&record("VENDOR-1", "CVE-2024-0001", vec![by_name])));
    assert_eq!(f.len(), 2);
    medvigil_match::prefer_identifiers(&mut f);
    assert_eq!(f.len(), 1);
    assert_eq!(&*f[0].source.id, "GHSA-1");
}
