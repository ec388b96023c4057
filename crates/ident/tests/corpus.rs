//! Every purl and CPE found in the JSON files of the shared corpora (CSAF
//! advisories, SBOMs, OSV) parses; CPEs survive a round trip through both
//! bindings; the vendors of CISA medical advisories resolve in the alias table.

use std::path::{Path, PathBuf};

use medvigil_ident::{Cpe, Purl, VendorAliases};
use serde_json::Value;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Collects string values under keys named `purl`/`cpe` (CSAF, CycloneDX,
/// OSV) and SPDX external references of those types.
fn collect(v: &Value, purls: &mut Vec<String>, cpes: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("purl", Value::String(s)) => purls.push(s.clone()),
                    ("cpe", Value::String(s)) => cpes.push(s.clone()),
                    ("referenceLocator", Value::String(s)) if s.starts_with("pkg:") => {
                        purls.push(s.clone())
                    }
                    ("referenceLocator", Value::String(s)) if s.starts_with("cpe:") => {
                        cpes.push(s.clone())
                    }
                    _ => collect(x, purls, cpes),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, purls, cpes)),
        _ => {}
    }
}

#[test]
fn corpus_identifiers_parse() {
    let Some(root) = medvigil_testkit::corpora() else {
        return;
    };
    let mut files = Vec::new();
    for sub in ["csaf", "sbom", "osv"] {
        json_files(&root.join(sub), &mut files);
    }
    let (mut purls, mut cpes) = (Vec::new(), Vec::new());
    for f in &files {
        // Invalid-JSON test files exist on purpose in the conformance suites.
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        collect(&v, &mut purls, &mut cpes);
    }
    purls.sort();
    purls.dedup();
    cpes.sort();
    cpes.dedup();
    let bad_purls: Vec<_> = purls.iter().filter(|p| Purl::parse(p).is_err()).collect();
    let mut bad_cpes = Vec::new();
    for c in &cpes {
        match Cpe::parse(c) {
            Ok(cpe) => {
                assert_eq!(
                    Cpe::parse(&cpe.to_formatted_string()).as_ref(),
                    Ok(&cpe),
                    "{c}"
                );
                assert_eq!(Cpe::parse(&cpe.to_uri()).as_ref(), Ok(&cpe), "{c}");
            }
            Err(e) => bad_cpes.push(format!("{c}: {e}")),
        }
    }
    eprintln!(
        "{} purls ({} rejected), {} CPEs ({} rejected) in {} files",
        purls.len(),
        bad_purls.len(),
        cpes.len(),
        bad_cpes.len(),
        files.len()
    );
    assert!(
        purls.len() > 1000,
        "expected the corpora's purls, found {}",
        purls.len()
    );
    // The conformance suites hold deliberately broken identifiers; all of
    // those live under test folders named invalid/ or in OASIS test cases.
    eprintln!("rejected purls: {bad_purls:?}");
    assert!(bad_purls.len() * 100 <= purls.len(), "{bad_purls:?}");
    assert!(bad_cpes.is_empty(), "{bad_cpes:#?}");
}

#[test]
fn icsma_vendors_resolve() -> Result<(), medvigil_ident::AliasError> {
    let Some(dir) = medvigil_testkit::corpus("csaf/cisa-icsma") else {
        return Ok(());
    };
    let table = VendorAliases::builtin()?;
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let mut vendors = std::collections::BTreeSet::new();
    for f in &files {
        let Ok(v) = std::fs::read_to_string(f).map(|t| serde_json::from_str::<Value>(&t)) else {
            continue;
        };
        let Ok(v) = v else { continue };
        let mut stack = vec![&v["product_tree"]];
        while let Some(b) = stack.pop() {
            for x in b["branches"].as_array().into_iter().flatten() {
                if x["category"] == "vendor"
                    && let Some(n) = x["name"].as_str()
                {
                    vendors.insert(n.to_string());
                }
                stack.push(x);
            }
        }
    }
    let known = vendors.iter().filter(|v| table.lookup(v).is_some()).count();
    eprintln!("{known} of {} ICSMA vendor names resolve", vendors.len());
    // Combined names ("Hillrom and ELI, Baxter International Inc.") and
    // one-off small vendors are not in the table; the big ones must be.
    assert!(
        known * 10 >= vendors.len() * 6,
        "{known} of {}",
        vendors.len()
    );
    Ok(())
}
