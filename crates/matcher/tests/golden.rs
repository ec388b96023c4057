//! Findings for a few real advisories, kept as golden files
//! (`tests/golden/*.txt`, regenerate with `UPDATE_GOLDEN=1`), and the false
//! positives users complain about: other products of the same vendor.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use medvigil_csaf::CsafDocument;
use medvigil_csaf::flatten::ProductIndex;
use medvigil_match::{Finding, Matcher, Status, Target, VersionEvidence};

/// Devices built from the product tree (one inside each range, one
/// outside where the range is bounded) plus `extra`.
fn devices(doc: &CsafDocument, extra: Vec<Target>) -> Matcher {
    let mut m = Matcher::new(common::aliases());
    for p in &ProductIndex::new(doc).products {
        let Some((v, n, text)) = common::branch_identity(p) else {
            continue;
        };
        for (suffix, version) in [
            ("in", common::inside_version(text)),
            ("out", common::outside_version(text)),
        ] {
            if let Some(version) = version {
                m.insert(
                    Target::new(format!("{}#{suffix}", p.product_id))
                        .vendor(v)
                        .product(n)
                        .version(version),
                );
            }
        }
    }
    for t in extra {
        m.insert(t);
    }
    m
}

fn render(findings: &[Finding]) -> String {
    let mut lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
    lines.sort();
    let mut out = String::new();
    for l in lines {
        let _ = writeln!(out, "{l}");
    }
    out
}

fn golden(name: &str, findings: &[Finding]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name.replace(".json", ".txt"));
    medvigil_testkit::assert_golden(&path, &render(findings));
}

fn for_target<'a>(f: &'a [Finding], key: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| &*x.target == key).collect()
}

#[test]
fn bd_alaris_pc_unit() {
    let name = "icsma-20-170-06.json";
    let Some(doc) = common::icsma_one(name) else {
        return;
    };
    let m = devices(
        &doc,
        vec![
            Target::new("carefusion-pcu")
                .vendor("CareFusion")
                .product("Alaris PC Unit")
                .version("9.19"),
            Target::new("bd-pcu-unknown-version")
                .vendor("BD")
                .product("BD Alaris PC Unit"),
            Target::new("bd-pcu-9.35")
                .vendor("BD")
                .product("Alaris PC Unit")
                .version("9.35"),
            Target::new("bd-syringe")
                .vendor("BD")
                .product("Alaris Syringe Module")
                .version("9.19"),
            Target::new("ge-pcu")
                .vendor("GE Healthcare")
                .product("Alaris PC Unit")
                .version("9.19"),
        ],
    );
    let f = m.match_advisory(&doc);
    golden(name, &f);
    let cf = for_target(&f, "carefusion-pcu");
    assert!(!cf.is_empty() && cf.iter().all(|x| x.evidence.vendor_alias));
    let unknown = for_target(&f, "bd-pcu-unknown-version");
    assert!(unknown.iter().all(|x| matches!(
        x.evidence.version,
        VersionEvidence::TargetVersionUnknown { .. }
    )));
    assert!(!unknown.is_empty());
    for key in ["bd-pcu-9.35", "bd-syringe", "ge-pcu"] {
        assert!(for_target(&f, key).is_empty(), "{key} matched");
    }
    assert!(f.iter().all(|x| !x.remediations.is_empty()));
}

#[test]
fn baxter_sigma_spectrum_is_not_spectrum_iq() {
    let name = "icsma-22-251-01.json";
    let Some(doc) = common::icsma_one(name) else {
        return;
    };
    let m = devices(
        &doc,
        vec![
            Target::new("spectrum-iq")
                .vendor("Baxter")
                .product("Spectrum IQ")
                .version("9.1"),
            Target::new("sigma-spectrum")
                .vendor("Baxter International Inc.")
                .product("Sigma Spectrum")
                .version("8.00.01"),
            Target::new("sigma-spectrum-lvp-model")
                .vendor("Baxter")
                .product("Sigma Spectrum LVP")
                .version("8.x (Wireless Battery Modules v17 | v17D19 >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28)"),
        ],
    );
    let f = m.match_advisory(&doc);
    golden(name, &f);
    let iq = for_target(&f, "spectrum-iq");
    assert!(!iq.is_empty());
    assert!(
        iq.iter()
            .all(|x| x.evidence.product.contains("Spectrum IQ"))
    );
    let sigma = for_target(&f, "sigma-spectrum");
    assert!(!sigma.is_empty());
    for x in &sigma {
        assert!(!x.evidence.product.contains("IQ"), "{x}");
        assert!(!x.evidence.product.contains("LVP"), "{x}");
        // The range text "8.x model 35700BAX2" is not understood: lower confidence.
        assert!(matches!(
            x.evidence.version,
            VersionEvidence::RangeUnparsed { .. }
        ));
        assert!(x.confidence.0 < 50);
    }
    let lvp = for_target(&f, "sigma-spectrum-lvp-model");
    assert!(
        lvp.iter()
            .all(|x| x.evidence.product_id.as_deref() == Some("CSAFPID-0005"))
    );
    assert!(
        lvp.iter()
            .all(|x| matches!(x.evidence.version, VersionEvidence::Listed { .. }))
    );
}

#[test]
fn philips_patient_monitoring() {
    let name = "icsma-20-254-01.json";
    let Some(doc) = common::icsma_one(name) else {
        return;
    };
    let m = devices(
        &doc,
        vec![
            Target::new("picix-c03")
                .vendor("Philips")
                .product("Patient Information Center iX (PICiX)")
                .version("C.03"),
            Target::new("picix-c04")
                .vendor("Philips Healthcare")
                .product("Patient Information Center iX (PICiX)")
                .version("C.04"),
            Target::new("mx40")
                .vendor("Philips")
                .product("IntelliVue MX40")
                .version("B.06"),
            Target::new("intellivue-x3-philips-prefix")
                .vendor("Philips")
                .product("Philips IntelliVue X3")
                .version("N.00"),
        ],
    );
    let f = m.match_advisory(&doc);
    golden(name, &f);
    let c03 = for_target(&f, "picix-c03");
    assert_eq!(c03.len(), 8);
    assert!(
        c03.iter()
            .all(|x| x.status == Status::Affected && x.confidence.0 == 70)
    );
    assert!(for_target(&f, "picix-c04").is_empty());
    assert!(for_target(&f, "mx40").is_empty());
    assert_eq!(for_target(&f, "intellivue-x3-philips-prefix").len(), 8);
}

#[test]
fn ge_alaris_listing_does_not_match_bd_alaris() {
    let Some(doc) = common::icsma_one("icsma-20-343-01.json") else {
        return;
    };
    let mut m = Matcher::new(common::aliases());
    m.insert(
        Target::new("bd")
            .vendor("Becton Dickinson")
            .product("Alaris PC Unit")
            .version("9.19"),
    );
    m.insert(
        Target::new("ge")
            .vendor("GE Healthcare")
            .product("Alaris PC Unit")
            .version("9.19"),
    );
    let f = m.match_advisory(&doc);
    assert!(for_target(&f, "bd").is_empty());
    assert!(!for_target(&f, "ge").is_empty());
}
