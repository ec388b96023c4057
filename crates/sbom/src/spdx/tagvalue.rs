//! SPDX 2.2/2.3 tag-value (spec annex "SPDX Lite" and clause 5 format):
//! `Tag: value` lines, multi-line values in `<text>…</text>`, a package or
//! file starting at its `PackageName` / `FileName` tag.

use super::{Element, SpdxDoc, assertion, finish};
use crate::Document;
use crate::error::{Diagnostic, Location, Parsed, ReadError, Violation};
use crate::model::Format;

/// Which section the following tags belong to.
enum Section {
    Document,
    Element,
    /// Snippets, extracted licenses, annotations, reviews: not read.
    Other,
}

/// Reads SPDX tag-value.
pub(crate) fn read(file: &str, text: &str, strict: bool) -> Result<Parsed<Document>, ReadError> {
    let mut diags = Vec::new();
    let mut doc = SpdxDoc::default();
    let mut section = Section::Document;
    let mut current: Option<Element> = None;
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let lineno = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = line.split_once(':') else {
            diags.push(Diagnostic::new(
                Location::Line(lineno),
                Violation::Other("expected `Tag: value`"),
                trimmed,
            ));
            continue;
        };
        let tag = tag.trim();
        let mut value = value.trim().to_owned();
        if let Some(rest) = value.strip_prefix("<text>") {
            let mut acc = rest.to_owned();
            while !acc.contains("</text>") {
                match lines.next() {
                    Some((_, l)) => {
                        acc.push('\n');
                        acc.push_str(l);
                    }
                    None => {
                        diags.push(Diagnostic::new(
                            Location::Line(lineno),
                            Violation::Other("<text> not closed"),
                            tag,
                        ));
                        break;
                    }
                }
            }
            value = acc.split("</text>").next().unwrap_or_default().to_owned();
        }
        let at = Location::Line(lineno);
        match tag {
            "SPDXVersion" => doc.version = value,
            "DocumentName" => doc.name = Some(value),
            "DocumentNamespace" => doc.namespace = Some(value),
            "Created" => doc.created = Some(value),
            "PackageName" | "FileName" => {
                doc.elements.extend(current.take());
                let mut el = Element::new(tag == "FileName", at);
                el.name = value;
                current = Some(el);
                section = Section::Element;
            }
            "SnippetSPDXID" | "LicenseID" | "Annotator" | "Reviewer" => {
                doc.elements.extend(current.take());
                section = Section::Other;
            }
            "Relationship" => {
                let parts: Vec<&str> = value.split_whitespace().collect();
                match parts.as_slice() {
                    [a, t, b, ..] => {
                        doc.relationships
                            .push(((*a).into(), (*t).into(), (*b).into(), at))
                    }
                    _ => diags.push(Diagnostic::new(
                        at,
                        Violation::Other("relationship needs `A TYPE B`"),
                        &value,
                    )),
                }
            }
            _ => {
                if let (Section::Element, Some(el)) = (&section, current.as_mut()) {
                    element_tag(el, tag, &value, at, &mut diags);
                }
            }
        }
    }
    doc.elements.extend(current.take());
    finish(file, doc, Format::SpdxTagValue, diags, strict)
}

fn element_tag(
    el: &mut Element,
    tag: &str,
    value: &str,
    at: Location,
    diags: &mut Vec<Diagnostic>,
) {
    match tag {
        "SPDXID" => el.spdxid = Some(value.to_owned()),
        "PackageVersion" => el.version = Some(value.to_owned()),
        "PackageSupplier" => el.supplier = Some(value.to_owned()),
        "PrimaryPackagePurpose" => el.purpose = Some(value.to_owned()),
        "PackageChecksum" | "FileChecksum" => match value.split_once(':') {
            Some((alg, hex)) => el
                .checksums
                .push((alg.trim().to_owned(), hex.trim().to_owned())),
            None => diags.push(Diagnostic::new(
                at,
                Violation::BadFormat {
                    field: "checksum",
                    expected: "`ALG: hex`",
                },
                value,
            )),
        },
        "PackageLicenseDeclared" | "PackageLicenseConcluded" | "LicenseConcluded" => {
            if let Some(l) = assertion(value)
                && !el.licenses.contains(&l)
            {
                el.licenses.push(l);
            }
        }
        "ExternalRef" => {
            let mut parts = value.split_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(c), Some(t), Some(l)) => {
                    el.external_refs.push((c.into(), t.into(), l.into(), at))
                }
                _ => diags.push(Diagnostic::new(
                    at,
                    Violation::BadFormat {
                        field: "ExternalRef",
                        expected: "`CATEGORY TYPE LOCATOR`",
                    },
                    value,
                )),
            }
        }
        _ => {}
    }
}
