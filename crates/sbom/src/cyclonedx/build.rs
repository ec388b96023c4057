//! The component model from a checked CycloneDX tree.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Violation;
use crate::model::{Component, ComponentType, Edge, Format, Hash, Identifier, Relationship, Sbom};

/// A problem the builder found: path, rule, value.
pub(crate) type Found = Vec<(String, Violation, String)>;

/// A string property, trimmed: the XML reader trims element text, and
/// surrounding whitespace never carries meaning in these fields.
fn s(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(|x| x.trim().to_owned())
}

pub(crate) fn items(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(a)) => a,
        Some(other @ Value::Object(_)) => std::slice::from_ref(other),
        _ => &[],
    }
}

/// Builds the [`Sbom`] of a CycloneDX tree.
pub(crate) fn sbom(root: &Value, format: Format, spec_version: String, found: &mut Found) -> Sbom {
    let metadata = root.get("metadata");
    let mut components = Vec::new();
    let metadata_component = metadata.and_then(|m| m.get("component")).map(|c| {
        let comp = component(c, "/metadata/component", None, found);
        nested(c, "/metadata/component", None, &mut components, found);
        comp
    });
    for (i, c) in items(root.get("components")).iter().enumerate() {
        flatten(c, &format!("/components/{i}"), None, &mut components, found);
    }
    let mut dependencies: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    for d in items(root.get("dependencies")) {
        let Some(from) = s(d, "ref") else { continue };
        let edges = dependencies.entry(from).or_default();
        for to in items_any(d.get("dependsOn")) {
            if let Some(to) = to.as_str() {
                edges.push(Edge {
                    to: to.to_owned(),
                    relationship: Relationship::DependsOn,
                });
            }
        }
    }
    let version = root.get("version").and_then(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    Sbom {
        format,
        spec_version,
        serial: s(root, "serialNumber"),
        version,
        name: metadata_component.as_ref().map(|c| c.name.clone()),
        timestamp: metadata.and_then(|m| s(m, "timestamp")),
        metadata_component,
        components,
        dependencies,
    }
}

/// Array items of any kind (strings too).
fn items_any(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(a)) => a,
        Some(other) => std::slice::from_ref(other),
        None => &[],
    }
}

fn flatten(
    v: &Value,
    path: &str,
    parent: Option<usize>,
    out: &mut Vec<Component>,
    found: &mut Found,
) {
    if !v.is_object() {
        return;
    }
    let c = component(v, path, parent, found);
    out.push(c);
    let me = out.len() - 1;
    nested(v, path, Some(me), out, found);
}

fn nested(
    v: &Value,
    path: &str,
    parent: Option<usize>,
    out: &mut Vec<Component>,
    found: &mut Found,
) {
    for (i, c) in items(v.get("components")).iter().enumerate() {
        flatten(c, &format!("{path}/components/{i}"), parent, out, found);
    }
}

fn component(v: &Value, path: &str, parent: Option<usize>, found: &mut Found) -> Component {
    let purl = s(v, "purl").map(|p| {
        let id = Identifier::purl(&p);
        if id.parsed.is_none() {
            found.push((format!("{path}/purl"), Violation::BadPurl, p));
        }
        id
    });
    let cpe = s(v, "cpe").map(|p| {
        let id = Identifier::cpe(&p);
        if id.parsed.is_none() {
            found.push((format!("{path}/cpe"), Violation::BadCpe, p));
        }
        id
    });
    let hashes = items(v.get("hashes"))
        .iter()
        .filter_map(|h| {
            Some(Hash::new(
                h.get("alg")?.as_str()?,
                h.get("content")?.as_str()?,
            ))
        })
        .collect();
    let supplier = v
        .get("supplier")
        .and_then(|x| s(x, "name"))
        .or_else(|| s(v, "publisher"));
    let licenses = licenses(v.get("licenses"));
    Component {
        bom_ref: s(v, "bom-ref"),
        kind: s(v, "type").map_or(ComponentType::Library, |t| ComponentType::from_name(&t)),
        group: s(v, "group").filter(|g| !g.is_empty()),
        name: s(v, "name").unwrap_or_default(),
        version: s(v, "version"),
        purl,
        cpe,
        hashes,
        supplier,
        licenses,
        parent,
    }
}

fn licenses(v: Option<&Value>) -> Vec<String> {
    items(v)
        .iter()
        .filter_map(|choice| {
            if let Some(e) = choice.get("expression").and_then(Value::as_str) {
                return Some(e.to_owned());
            }
            let l = choice.get("license")?;
            s(l, "id").or_else(|| s(l, "name"))
        })
        .collect()
}
