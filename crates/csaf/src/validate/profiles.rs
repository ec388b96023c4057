//! Profile tests: 6.1.26 (prohibited category names) and 6.1.27.1 –
//! 6.1.27.11 (spec section 4: the profiles' required elements).

use super::Ctx;
use crate::model::{NoteCategory, ReferenceCategory, ThreatCategory};
use std::collections::HashSet;

const BASE: &str = "csaf_base";
const INCIDENT: &str = "csaf_security_incident_response";
const INFORMATIONAL: &str = "csaf_informational_advisory";
const ADVISORY: &str = "csaf_security_advisory";
const VEX: &str = "csaf_vex";

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let category = ctx.doc.document.category.as_str();
    prohibited_category(ctx, category);
    let is = |profiles: &[&str]| profiles.contains(&category);
    if is(&[INFORMATIONAL, INCIDENT]) {
        document_notes(ctx);
        document_references(ctx);
    }
    if is(&[INFORMATIONAL]) && ctx.doc.vulnerabilities.is_some() {
        ctx.error(
            "6.1.27.3",
            "/vulnerabilities",
            "an informational advisory must not have vulnerabilities",
        );
    }
    if is(&[ADVISORY, VEX]) {
        if ctx.doc.product_tree.is_none() {
            ctx.error("6.1.27.4", "", "the profile requires /product_tree");
        }
        if ctx.doc.vulnerabilities.is_none() {
            ctx.error("6.1.27.11", "", "the profile requires /vulnerabilities");
        }
    }
    let doc = ctx.doc;
    for (i, v) in doc.vulnerabilities.iter().flatten().enumerate() {
        let at = format!("/vulnerabilities/{i}");
        if is(&[ADVISORY, VEX]) && v.notes.is_none() {
            ctx.error(
                "6.1.27.5",
                &at,
                "the profile requires notes for each vulnerability",
            );
        }
        if is(&[ADVISORY]) && v.product_status.is_none() {
            ctx.error(
                "6.1.27.6",
                &at,
                "the profile requires product_status for each vulnerability",
            );
        }
        if !is(&[VEX]) {
            continue;
        }
        let ps = v.product_status.as_ref();
        if !ps.is_some_and(|p| {
            p.fixed.is_some()
                || p.known_affected.is_some()
                || p.known_not_affected.is_some()
                || p.under_investigation.is_some()
        }) {
            ctx.error(
                "6.1.27.7",
                format!("{at}/product_status"),
                "a VEX needs fixed, known_affected, known_not_affected or under_investigation",
            );
        }
        if v.cve.is_none() && v.ids.is_none() {
            ctx.error(
                "6.1.27.8",
                &at,
                "a VEX needs cve or ids for each vulnerability",
            );
        }
        // 6.1.27.9 Impact Statement
        let mut stated: HashSet<&str> = HashSet::new();
        for f in v.flags.iter().flatten() {
            stated.extend(ctx.expand(f.product_ids.as_deref(), f.group_ids.as_deref()));
        }
        for t in v
            .threats
            .iter()
            .flatten()
            .filter(|t| t.category == ThreatCategory::Impact)
        {
            stated.extend(ctx.expand(t.product_ids.as_deref(), t.group_ids.as_deref()));
        }
        for (j, id) in ps
            .and_then(|p| p.known_not_affected.as_ref())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if !stated.contains(id.as_str()) {
                ctx.error(
                    "6.1.27.9",
                    format!("{at}/product_status/known_not_affected/{j}"),
                    format!("no impact statement for {id:?}"),
                );
            }
        }
        // 6.1.27.10 Action Statement
        let mut acted: HashSet<&str> = HashSet::new();
        for r in v.remediations.iter().flatten() {
            acted.extend(ctx.expand(r.product_ids.as_deref(), r.group_ids.as_deref()));
        }
        for (j, id) in ps
            .and_then(|p| p.known_affected.as_ref())
            .into_iter()
            .flatten()
            .enumerate()
        {
            if !acted.contains(id.as_str()) {
                ctx.error(
                    "6.1.27.10",
                    format!("{at}/product_status/known_affected/{j}"),
                    format!("no action statement for {id:?}"),
                );
            }
        }
    }
}

/// Lowercase without dash, whitespace and underscore (spec 6.1.26).
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// 6.1.26 Prohibited Document Category Name.
fn prohibited_category(ctx: &mut Ctx<'_>, category: &str) {
    if [BASE, INCIDENT, INFORMATIONAL, ADVISORY, VEX].contains(&category) {
        return;
    }
    let n = normalize(category);
    let reserved = [INCIDENT, INFORMATIONAL, ADVISORY, VEX].iter().any(|p| {
        n == normalize(p)
            || p.strip_prefix("csaf_")
                .is_some_and(|short| n == normalize(short))
    });
    let prefixed = category
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("csaf_"));
    if reserved || prefixed {
        ctx.error(
            "6.1.26",
            "/document/category",
            format!("category {category:?} is reserved for a profile"),
        );
    }
}

/// 6.1.27.1 Document Notes.
fn document_notes(ctx: &mut Ctx<'_>) {
    let ok = ctx.doc.document.notes.iter().flatten().any(|n| {
        matches!(
            n.category,
            NoteCategory::Description
                | NoteCategory::Details
                | NoteCategory::General
                | NoteCategory::Summary
        )
    });
    if !ok {
        ctx.error(
            "6.1.27.1",
            "/document/notes",
            "the profile requires a description, details, general or summary note",
        );
    }
}

/// 6.1.27.2 Document References.
fn document_references(ctx: &mut Ctx<'_>) {
    let ok = ctx.doc.document.references.iter().flatten().any(|r| {
        r.category
            .as_ref()
            .is_none_or(|c| *c == ReferenceCategory::External)
    });
    if !ok {
        ctx.error(
            "6.1.27.2",
            "/document/references",
            "the profile requires an external reference",
        );
    }
}
