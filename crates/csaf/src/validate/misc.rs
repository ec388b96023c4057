//! Document and vulnerability tests: 6.1.11, 6.1.23, 6.1.24, 6.2.7,
//! 6.2.10, 6.2.11, 6.2.17, 6.3.3, 6.3.4.

use super::Ctx;
use crate::data::cwe_names;
use crate::datetime;
use crate::model::{ReferenceCategory, TlpLabel};
use std::collections::{HashMap, HashSet};

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let doc = ctx.doc;
    let mut cves: HashMap<&str, usize> = HashMap::new();
    for (i, v) in doc.vulnerabilities.iter().flatten().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        match &v.cve {
            // 6.1.23 Multiple Use of Same CVE
            Some(cve) => {
                if let Some(first) = cves.insert(cve, i) {
                    ctx.error(
                        "6.1.23",
                        format!("{at}/cve"),
                        format!("{cve} is also used in /vulnerabilities/{first}"),
                    );
                }
            }
            None => ctx.info("6.3.3", &at, "no CVE is given"),
        }
        match &v.cwe {
            Some(cwe) => check_cwe(ctx, &cwe.id, &cwe.name, &format!("{at}/cwe")),
            None => ctx.info("6.3.4", &at, "no CWE is given"),
        }
        // 6.1.24 Multiple Definition in Involvements; 6.2.7 Missing Date in Involvements
        let mut seen: HashSet<(&str, Option<datetime::Instant>, Option<&str>)> = HashSet::new();
        for (j, inv) in v.involvements.iter().flatten().enumerate() {
            let date = inv.date.as_deref();
            let instant = date.and_then(datetime::parse);
            let key = (
                inv.party.as_str(),
                instant,
                if instant.is_some() { None } else { date },
            );
            if !seen.insert(key) {
                ctx.error(
                    "6.1.24",
                    format!("{at}/involvements/{j}"),
                    format!("party {} appears twice for the same date", inv.party),
                );
            }
            if date.is_none() {
                ctx.warning(
                    "6.2.7",
                    format!("{at}/involvements/{j}"),
                    "involvement has no date",
                );
            }
        }
        // 6.2.17 CVE in field IDs
        for (j, id) in v.ids.iter().flatten().enumerate() {
            if is_cve(&id.text) {
                ctx.warning(
                    "6.2.17",
                    format!("{at}/ids/{j}/text"),
                    format!("{} is a CVE id; use the cve field", id.text),
                );
            }
        }
    }
    // 6.2.10 Missing TLP label
    let label = doc
        .document
        .distribution
        .as_ref()
        .and_then(|d| d.tlp.as_ref())
        .map(|t| &t.label);
    if !label.is_some_and(TlpLabel::is_known) {
        ctx.warning(
            "6.2.10",
            "/document/distribution/tlp/label",
            "no valid TLP label",
        );
    }
    // 6.2.11 Missing Canonical URL
    let file = file_name_for_tracking_id(&doc.document.tracking.id);
    let canonical = doc.document.references.iter().flatten().any(|r| {
        r.category == Some(ReferenceCategory::SelfRef)
            && r.url.starts_with("https://")
            && r.url.ends_with(&file)
    });
    if !canonical {
        ctx.warning(
            "6.2.11",
            "/document/references",
            format!("no self reference to an https URL ending in {file}"),
        );
    }
}

/// The file name a document with this `/document/tracking/id` must have
/// (spec 5.1): the tracking id in lower case, every run of characters other
/// than `a-z0-9+-` replaced by one `_`, then `.json`.
pub fn file_name_for_tracking_id(tracking_id: &str) -> String {
    let mut out = String::with_capacity(tracking_id.len() + 5);
    let mut in_run = false;
    for c in tracking_id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '+' || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out.push_str(".json");
    out
}

/// `^CVE-[0-9]{4}-[0-9]{4,}$` (spec 3.2.3.1).
fn is_cve(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, num)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && num.len() >= 4
        && num.bytes().all(|b| b.is_ascii_digit())
}

/// 6.1.11 CWE: the id exists and the name is one it carried in the catalogue.
fn check_cwe(ctx: &mut Ctx<'_>, id: &str, name: &str, at: &str) {
    let number = id
        .strip_prefix("CWE-")
        .filter(|n| !n.starts_with('0'))
        .and_then(|n| n.parse::<u32>().ok());
    let Some(number) = number else {
        ctx.error(
            "6.1.11",
            format!("{at}/id"),
            format!("{id:?} is not a CWE id"),
        );
        return;
    };
    match cwe_names(number) {
        None => ctx.error(
            "6.1.11",
            format!("{at}/id"),
            format!("{id} is not in the CWE catalogue"),
        ),
        Some(names) if !names.contains(&name) => ctx.error(
            "6.1.11",
            format!("{at}/name"),
            format!(
                "{id} is named {:?}, not {name:?}",
                names.first().copied().unwrap_or_default()
            ),
        ),
        Some(_) => {}
    }
}
