//! SPDX 2.2 / 2.3 in JSON and tag-value (spec clauses 6–11), read by hand
//! into one intermediate form and from there into the component model.
//!
//! Hand-written rather than `spdx-rs`: one lenient reader that keeps going
//! with diagnostics (line numbers for tag-value, JSON paths for JSON) fits
//! the rest of this crate, and we need only a fraction of the model
//! (packages, files, checksums, external refs, relationships). XML, YAML,
//! RDF and SPDX 3.0 are not read.

mod json;
mod tagvalue;

use std::collections::BTreeMap;

use crate::Document;
use crate::error::{Diagnostic, Location, Parsed, ReadError, Violation};
use crate::model::{Component, ComponentType, Edge, Format, Hash, Identifier, Relationship, Sbom};

pub(crate) use json::read as read_json;
pub(crate) use tagvalue::read as read_tag_value;

/// An SPDX document in the reader's own terms.
#[derive(Debug, Default)]
struct SpdxDoc {
    version: String,
    name: Option<String>,
    namespace: Option<String>,
    created: Option<String>,
    describes: Vec<String>,
    elements: Vec<Element>,
    relationships: Vec<(String, String, String, Location)>,
}

/// A package or a file.
#[derive(Debug)]
struct Element {
    file: bool,
    location: Location,
    spdxid: Option<String>,
    name: String,
    version: Option<String>,
    supplier: Option<String>,
    checksums: Vec<(String, String)>,
    licenses: Vec<String>,
    /// (category, type, locator, location)
    external_refs: Vec<(String, String, String, Location)>,
    purpose: Option<String>,
    has_files: Vec<String>,
}

impl Element {
    fn new(file: bool, location: Location) -> Self {
        Element {
            file,
            location,
            spdxid: None,
            name: String::new(),
            version: None,
            supplier: None,
            checksums: Vec::new(),
            licenses: Vec::new(),
            external_refs: Vec::new(),
            purpose: None,
            has_files: Vec::new(),
        }
    }
}

/// `NOASSERTION` and `NONE` say nothing.
fn assertion(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty() && t != "NOASSERTION" && t != "NONE").then(|| t.to_owned())
}

fn finish(
    file: &str,
    doc: SpdxDoc,
    format: Format,
    mut diags: Vec<Diagnostic>,
    strict: bool,
) -> Result<Parsed<Document>, ReadError> {
    if !matches!(
        doc.version.as_str(),
        "SPDX-2.2" | "SPDX-2.3" | "SPDX-2.1" | "SPDX-2.0"
    ) {
        return Err(ReadError::invalid(
            file,
            Diagnostic::new(
                Location::Document,
                Violation::UnsupportedVersion,
                &doc.version,
            ),
        ));
    }
    let mut components = Vec::with_capacity(doc.elements.len());
    let mut dependencies: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    let mut edge = |from: &str, to: &str, relationship: Relationship| {
        if assertion(to).is_none() {
            return;
        }
        dependencies.entry(from.to_owned()).or_default().push(Edge {
            to: to.to_owned(),
            relationship,
        });
    };
    for el in doc.elements {
        if el.name.is_empty() {
            let field = if el.file { "FileName" } else { "PackageName" };
            diags.push(Diagnostic::new(
                el.location.clone(),
                Violation::MissingField { field },
                "",
            ));
        }
        let mut purl = None;
        let mut cpe = None;
        for (cat, ty, loc, at) in &el.external_refs {
            let cat = cat.replace('_', "-");
            match (cat.as_str(), ty.as_str()) {
                ("PACKAGE-MANAGER", "purl") if purl.is_none() => {
                    let id = Identifier::purl(loc);
                    if id.parsed.is_none() {
                        diags.push(Diagnostic::new(at.clone(), Violation::BadPurl, loc));
                    }
                    purl = Some(id);
                }
                ("SECURITY", "cpe23Type" | "cpe22Type") if cpe.is_none() => {
                    let id = Identifier::cpe(loc);
                    if id.parsed.is_none() {
                        diags.push(Diagnostic::new(at.clone(), Violation::BadCpe, loc));
                    }
                    cpe = Some(id);
                }
                _ => {}
            }
        }
        if let Some(id) = &el.spdxid {
            for f in &el.has_files {
                edge(id, f, Relationship::Contains);
            }
        }
        let supplier = el.supplier.as_deref().and_then(assertion).map(|s| {
            s.strip_prefix("Organization:")
                .or_else(|| s.strip_prefix("Person:"))
                .unwrap_or(&s)
                .trim()
                .to_owned()
        });
        components.push(Component {
            bom_ref: el.spdxid,
            kind: if el.file {
                ComponentType::File
            } else {
                el.purpose
                    .as_deref()
                    .map_or(ComponentType::Library, ComponentType::from_name)
            },
            group: None,
            name: el.name,
            version: el.version.as_deref().and_then(assertion),
            purl,
            cpe,
            hashes: el.checksums.iter().map(|(a, v)| Hash::new(a, v)).collect(),
            supplier,
            licenses: el.licenses,
            parent: None,
        });
    }
    let mut describes = doc.describes.clone();
    for (from, ty, to, _) in &doc.relationships {
        match ty.as_str() {
            "DEPENDS_ON" => edge(from, to, Relationship::DependsOn),
            "DEPENDENCY_OF" => edge(to, from, Relationship::DependsOn),
            "CONTAINS" => edge(from, to, Relationship::Contains),
            "CONTAINED_BY" => edge(to, from, Relationship::Contains),
            "DESCRIBES" => {
                edge(from, to, Relationship::Describes);
                if from == "SPDXRef-DOCUMENT" && !describes.contains(to) {
                    describes.push(to.clone());
                }
            }
            "DESCRIBED_BY" => {
                edge(to, from, Relationship::Describes);
                if to == "SPDXRef-DOCUMENT" && !describes.contains(from) {
                    describes.push(from.clone());
                }
            }
            other => edge(from, to, Relationship::Other(other.to_owned())),
        }
    }
    for d in &doc.describes {
        edge("SPDXRef-DOCUMENT", d, Relationship::Describes);
    }
    for edges in dependencies.values_mut() {
        edges.sort();
        edges.dedup();
    }
    let metadata_component = match describes.as_slice() {
        [one] => components
            .iter()
            .find(|c| c.bom_ref.as_deref() == Some(one))
            .cloned(),
        _ => None,
    };
    if strict && let Some(d) = diags.first() {
        return Err(ReadError::invalid(file, d.clone()));
    }
    Ok(Parsed::new(
        Document {
            format,
            sbom: Some(Sbom {
                format,
                spec_version: doc.version,
                serial: doc.namespace,
                version: None,
                name: doc.name,
                timestamp: doc.created,
                metadata_component,
                components,
                dependencies,
            }),
            vex: None,
        },
        diags,
    ))
}
