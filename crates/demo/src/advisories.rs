//! Demo advisories: facts from public CISA medical advisories
//! (`data/advisories.toml`) rendered as CSAF 2.0 documents, so the demo
//! hospital's findings come out of the same import and matching path as a
//! real feed's.

use serde::Deserialize;
use serde_json::{Value, json};

const DATA: &str = include_str!("../data/advisories.toml");

#[derive(Debug, Deserialize)]
struct File {
    advisory: Vec<Advisory>,
}

#[derive(Debug, Deserialize)]
struct Advisory {
    id: String,
    title: String,
    vendor: String,
    published: String,
    revised: Option<String>,
    summary: String,
    product: Vec<Affected>,
    vulnerability: Vec<Vulnerability>,
    remediation: Vec<Remediation>,
}

#[derive(Debug, Deserialize)]
struct Affected {
    model: String,
    advisory_product: String,
    range: String,
}

#[derive(Debug, Deserialize)]
struct Vulnerability {
    cve: String,
    cwe: String,
    cwe_name: String,
    cvss: String,
}

#[derive(Debug, Deserialize)]
struct Remediation {
    category: String,
    details: String,
}

/// The bundled advisory data does not parse (a bug in the data, caught by
/// the tests).
#[derive(Debug, thiserror::Error)]
#[error("demo advisories: {0}")]
pub struct AdvisoryDataError(String);

/// One demo advisory as a CSAF document.
#[derive(Clone, Debug)]
pub struct DemoAdvisory {
    /// The file name CSAF gives it (`icsma-20-317-01.json`).
    pub file_name: String,
    /// The CSAF JSON text.
    pub json: String,
}

/// The demo advisories as CSAF 2.0 documents, in file order.
///
/// # Errors
/// When the bundled data file or one of its CVSS vectors does not parse
/// (a bug in the data, caught by the tests).
pub fn advisories() -> Result<Vec<DemoAdvisory>, AdvisoryDataError> {
    let file: File = toml::from_str(DATA).map_err(|e| AdvisoryDataError(e.to_string()))?;
    file.advisory.iter().map(render).collect()
}

fn cvss_v3(vector: &str) -> Result<Value, AdvisoryDataError> {
    let parsed: cvss::v3::Vector = vector
        .parse()
        .map_err(|e| AdvisoryDataError(format!("CVSS vector '{vector}': {e}")))?;
    let score = parsed.score();
    let version = if vector.starts_with("CVSS:3.0/") {
        "3.0"
    } else {
        "3.1"
    };
    Ok(json!({
        "version": version,
        "vectorString": vector,
        "baseScore": score.value(),
        "baseSeverity": score.severity().as_str().to_uppercase(),
    }))
}

fn render(a: &Advisory) -> Result<DemoAdvisory, AdvisoryDataError> {
    let revised = a.revised.as_deref().unwrap_or(&a.published);
    let version = if a.revised.is_some() { "2" } else { "1" };
    let mut history =
        vec![json!({"date": a.published, "number": "1", "summary": "Initial publication."})];
    if a.revised.is_some() {
        history.push(json!({"date": revised, "number": "2", "summary": "Update."}));
    }
    let ids: Vec<String> = (1..=a.product.len())
        .map(|i| format!("CSAFPID-{i:04}"))
        .collect();
    let mut products: Vec<Value> = Vec::new();
    for (p, id) in a.product.iter().zip(&ids) {
        products.push(json!({
            "category": "product_name",
            "name": p.model,
            "branches": [{
                "category": "product_version_range",
                "name": p.range,
                "product": {
                    "product_id": id,
                    "name": format!("{} {} ({})", a.vendor, p.model, p.advisory_product),
                },
            }],
        }));
    }
    let mut vulnerabilities = Vec::new();
    for v in &a.vulnerability {
        vulnerabilities.push(json!({
            "cve": v.cve,
            "cwe": {"id": v.cwe, "name": v.cwe_name},
            "notes": [{"category": "summary", "text": a.summary}],
            "product_status": {"known_affected": ids},
            "remediations": a.remediation.iter().map(|r| json!({
                "category": r.category, "details": r.details, "product_ids": ids,
            })).collect::<Vec<_>>(),
            "scores": [{"cvss_v3": cvss_v3(&v.cvss)?, "products": ids}],
        }));
    }
    let doc = json!({
        "document": {
            "category": "csaf_security_advisory",
            "csaf_version": "2.0",
            "lang": "en-US",
            "title": a.title,
            "distribution": {"tlp": {"label": "WHITE"}},
            "notes": [
                {"category": "summary", "title": "Summary", "text": a.summary},
                {"category": "legal_disclaimer", "title": "Demo data",
                 "text": "medvigil demo data: facts from the public CISA advisory of the same id, in the project's own words."},
            ],
            "publisher": {
                "category": "other",
                "name": "medvigil demo",
                "namespace": "https://example.invalid/medvigil",
            },
            "references": [{
                "category": "external",
                "summary": "The CISA advisory these facts come from",
                "url": format!("https://www.cisa.gov/news-events/ics-medical-advisories/{}", a.id.to_lowercase()),
            }],
            "tracking": {
                "id": a.id,
                "initial_release_date": a.published,
                "current_release_date": revised,
                "revision_history": history,
                "status": "final",
                "version": version,
            },
        },
        "product_tree": {
            "branches": [{"category": "vendor", "name": a.vendor, "branches": products}],
        },
        "vulnerabilities": vulnerabilities,
    });
    Ok(DemoAdvisory {
        file_name: format!("{}.json", a.id.to_lowercase()),
        json: serde_json::to_string_pretty(&doc).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo advisories are valid CSAF: no mandatory test fails.
    #[test]
    fn demo_advisories_pass_the_mandatory_tests() {
        let all = advisories().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(all.len(), 5);
        for a in all {
            let parsed = medvigil_csaf::parse(&a.file_name, a.json.as_bytes())
                .unwrap_or_else(|e| panic!("{}: {e}", a.file_name));
            let report = medvigil_csaf::validate::validate(&parsed);
            let errors: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.level == medvigil_csaf::validate::Level::Error)
                .map(|f| format!("{} {} {}", f.test, f.pointer, f.message))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", a.file_name);
        }
    }
}
