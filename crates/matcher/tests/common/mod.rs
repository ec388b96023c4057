//! Helpers shared by the corpus tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use medvigil_csaf::CsafDocument;
use medvigil_csaf::flatten::FlatProduct;
use medvigil_csaf::model::BranchCategory;
use medvigil_ident::VendorAliases;
use medvigil_match::range_text::{self, RangeText};
use medvigil_version::Bound;

pub fn aliases() -> Arc<VendorAliases> {
    Arc::new(VendorAliases::builtin().expect("builtin alias table"))
}

/// Every CISA ICSMA advisory of the corpora, by path, or `None` outside CI
/// when the corpora are absent.
pub fn icsma() -> Option<Vec<(PathBuf, CsafDocument)>> {
    let root = medvigil_testkit::corpus("csaf/cisa-icsma")?;
    let mut files = Vec::new();
    for year in std::fs::read_dir(&root).expect("read corpus").flatten() {
        for f in std::fs::read_dir(year.path()).expect("read year").flatten() {
            if f.path().extension().is_some_and(|x| x == "json") {
                files.push(f.path());
            }
        }
    }
    files.sort();
    Some(
        files
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(&f).expect("read advisory");
                let doc = medvigil_csaf::parse_document(&f.display().to_string(), &bytes)
                    .expect("CISA advisories parse");
                (f, doc)
            })
            .collect(),
    )
}

pub fn icsma_one(name: &str) -> Option<CsafDocument> {
    Some(
        icsma()?
            .into_iter()
            .find(|(p, _)| p.file_name().is_some_and(|n| n == name))
            .expect("advisory present")
            .1,
    )
}

/// A version the range text holds (the text itself when it is not
/// understood: the matcher compares such texts literally).
pub fn inside_version(text: &str) -> Option<String> {
    match range_text::parse(text) {
        RangeText::All => Some("1.0".into()),
        RangeText::Unparsed => Some(text.to_string()),
        RangeText::Range(r) => {
            let iv = r.intervals().first()?;
            let mut candidates: Vec<String> = Vec::new();
            for b in [&iv.lower, &iv.upper] {
                if let Bound::Included(v) = b {
                    candidates.push(v.as_str().to_string());
                }
            }
            if let Bound::Excluded(v) = &iv.lower {
                candidates.push(format!("{}.1", v.as_str()));
            }
            candidates.extend(["0", "0.0.1", "0.1", "1"].map(String::from));
            candidates
                .into_iter()
                .find(|c| r.contains_str(c).unwrap_or(false))
        }
        _ => None,
    }
}

/// A version outside the range text, when it is a bounded range.
pub fn outside_version(text: &str) -> Option<String> {
    match range_text::parse(text) {
        RangeText::Range(r) => ["99999", "0.0.0.0.1"]
            .into_iter()
            .find(|c| r.contains_str(c).is_ok_and(|x| !x))
            .map(String::from),
        _ => None,
    }
}

/// A branch product's vendor, product name and version text (a
/// `product_version` or `product_version_range`; empty when it has none).
pub fn branch_identity(p: &FlatProduct) -> Option<(&str, &str, &str)> {
    let vendor = p.branch(&BranchCategory::Vendor)?;
    let name = p.branch(&BranchCategory::ProductName)?;
    let text = p
        .branch(&BranchCategory::ProductVersion)
        .or_else(|| p.branch(&BranchCategory::ProductVersionRange))
        .unwrap_or("");
    Some((vendor, name, text))
}
