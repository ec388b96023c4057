//! SPDX 2.2/2.3 JSON (the schema in the spec's appendix).

use serde_json::Value;

use super::{Element, SpdxDoc, assertion, finish};
use crate::Document;
use crate::error::{Diagnostic, Location, Parsed, ReadError, Violation};
use crate::model::Format;

fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    list(v, key)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

/// Reads SPDX JSON.
pub(crate) fn read(file: &str, root: &Value, strict: bool) -> Result<Parsed<Document>, ReadError> {
    let mut diags = Vec::new();
    let mut doc = SpdxDoc {
        version: s(root, "spdxVersion").unwrap_or_default(),
        name: s(root, "name"),
        namespace: s(root, "documentNamespace"),
        created: root.get("creationInfo").and_then(|c| s(c, "created")),
        describes: strings(root, "documentDescribes"),
        ..SpdxDoc::default()
    };
    for (key, is_file) in [("packages", false), ("files", true)] {
        for (i, p) in list(root, key).iter().enumerate() {
            let path = format!("/{key}/{i}");
            let mut el = Element::new(is_file, Location::JsonPath(path.clone()));
            el.spdxid = s(p, "SPDXID");
            if el.spdxid.is_none() {
                diags.push(Diagnostic::new(
                    Location::JsonPath(path.clone()),
                    Violation::MissingField { field: "SPDXID" },
                    "",
                ));
            }
            el.name = s(p, if is_file { "fileName" } else { "name" }).unwrap_or_default();
            el.version = s(p, "versionInfo");
            el.supplier = s(p, "supplier");
            el.purpose = s(p, "primaryPackagePurpose");
            el.has_files = strings(p, "hasFiles");
            el.checksums = list(p, "checksums")
                .iter()
                .filter_map(|c| Some((s(c, "algorithm")?, s(c, "checksumValue")?)))
                .collect();
            for k in ["licenseDeclared", "licenseConcluded"] {
                if let Some(l) = s(p, k).as_deref().and_then(assertion)
                    && !el.licenses.contains(&l)
                {
                    el.licenses.push(l);
                }
            }
            el.external_refs = list(p, "externalRefs")
                .iter()
                .enumerate()
                .filter_map(|(j, r)| {
                    Some((
                        s(r, "referenceCategory")?,
                        s(r, "referenceType")?,
                        s(r, "referenceLocator")?,
                        Location::JsonPath(format!("{path}/externalRefs/{j}/referenceLocator")),
                    ))
                })
                .collect();
            doc.elements.push(el);
        }
    }
    for (i, r) in list(root, "relationships").iter().enumerate() {
        let at = Location::JsonPath(format!("/relationships/{i}"));
        match (
            s(r, "spdxElementId"),
            s(r, "relationshipType"),
            s(r, "relatedSpdxElement"),
        ) {
            (Some(a), Some(t), Some(b)) => doc.relationships.push((a, t, b, at)),
            _ => diags.push(Diagnostic::new(
                at,
                Violation::Other(
                    "relationship needs spdxElementId, relationshipType and relatedSpdxElement",
                ),
                "",
            )),
        }
    }
    finish(file, doc, Format::SpdxJson, diags, strict)
}
