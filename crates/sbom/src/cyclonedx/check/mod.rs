//! The rules of the CycloneDX 1.4–1.7 schemas (JSON schema and XSD) that
//! the spec's `invalid-*` test files exercise, written as Rust checks over
//! the JSON-shaped tree (XML is converted to that shape first).
//!
//! Vocabularies are per spec version; values that a later version added
//! are rejected in earlier ones.

mod format;
mod objects;
mod vocab;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::Violation;
use crate::path::Path;
use format::{is_date_time, is_urn_uuid};
use vocab::{ISSUE_TYPES, METADATA_KEYS, PATCH_TYPES};

/// A problem found, with its path in the tree and the offending value.
pub(crate) struct Finding {
    pub path: String,
    pub violation: Violation,
    pub value: String,
}

/// Checks a CycloneDX tree of spec version `1.<minor>`.
pub(crate) fn check(root: &Value, minor: u8) -> Vec<Finding> {
    let mut c = Checker {
        minor,
        findings: Vec::new(),
        refs: HashSet::new(),
    };
    c.bom(root);
    c.findings
}

pub(super) struct Checker {
    minor: u8,
    findings: Vec<Finding>,
    refs: HashSet<String>,
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Array items, or the value itself where XML gave a single object.
pub(super) fn items(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) => a,
        other => std::slice::from_ref(other),
    }
}

impl Checker {
    fn push(&mut self, path: &Path<'_>, violation: Violation, value: &Value) {
        self.findings.push(Finding {
            path: path.render(),
            violation,
            value: show(value),
        });
    }

    fn bom(&mut self, root: &Value) {
        let p = Path::Root;
        let Some(obj) = root.as_object() else {
            self.push(
                &p,
                Violation::WrongType {
                    field: "bom",
                    expected: "an object",
                },
                root,
            );
            return;
        };
        match obj.get("bomFormat") {
            Some(Value::String(s)) if s == "CycloneDX" => {}
            Some(v) => self.push(&p.key("bomFormat"), Violation::BomFormat, v),
            None => self.push(
                &p,
                Violation::MissingField { field: "bomFormat" },
                &Value::Null,
            ),
        }
        if let Some(v) = obj.get("serialNumber")
            && !v.as_str().is_some_and(is_urn_uuid)
        {
            self.push(
                &p.key("serialNumber"),
                Violation::BadFormat {
                    field: "serialNumber",
                    expected: "urn:uuid (RFC 4122)",
                },
                v,
            );
        }
        if let Some(m) = obj.get("metadata") {
            let mp = p.key("metadata");
            if self.minor >= 4
                && let Some(mo) = m.as_object()
            {
                for k in mo.keys() {
                    if !METADATA_KEYS
                        .iter()
                        .any(|(n, since)| n == k && *since <= self.minor)
                    {
                        self.push(
                            &mp.key(k),
                            Violation::UnknownProperty { name: k.clone() },
                            &mo[k],
                        );
                    }
                }
            }
            if let Some(t) = m.get("timestamp")
                && !t.as_str().is_some_and(is_date_time)
            {
                self.push(
                    &mp.key("timestamp"),
                    Violation::BadFormat {
                        field: "timestamp",
                        expected: "date-time",
                    },
                    t,
                );
            }
        }
        self.walk(root, &p);
        if let Some(deps) = obj.get("dependencies") {
            let dp = p.key("dependencies");
            for (i, d) in items(deps).iter().enumerate() {
                let ip = dp.index(i);
                match d.get("ref") {
                    Some(Value::String(s)) if !s.is_empty() => {}
                    Some(v) => self.push(
                        &ip.key("ref"),
                        Violation::BadFormat {
                            field: "ref",
                            expected: "non-empty reference",
                        },
                        v,
                    ),
                    None => self.push(&ip, Violation::MissingField { field: "ref" }, &Value::Null),
                }
                if let Some(on) = d.get("dependsOn") {
                    let op = ip.key("dependsOn");
                    for (j, r) in items(on).iter().enumerate() {
                        if r.as_str().is_none_or(str::is_empty) {
                            self.push(
                                &op.index(j),
                                Violation::BadFormat {
                                    field: "dependsOn",
                                    expected: "non-empty reference",
                                },
                                r,
                            );
                        }
                    }
                }
            }
        }
    }

    /// Walks the whole tree; what an object is follows from the property
    /// that holds it.
    fn walk(&mut self, v: &Value, p: &Path<'_>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    let cp = p.key(k);
                    match k.as_str() {
                        "components" | "ancestors" | "descendants" | "variants" => {
                            for (i, c) in items(child).iter().enumerate() {
                                self.component(c, &cp.index(i));
                            }
                        }
                        "component" => self.component(child, &cp),
                        "hashes" => {
                            for (i, h) in items(child).iter().enumerate() {
                                self.hash(h, &cp.index(i));
                            }
                        }
                        "licenses" => self.licenses(child, &cp),
                        "properties" => {
                            for (i, pr) in items(child).iter().enumerate() {
                                self.property(pr, &cp.index(i));
                            }
                        }
                        "services" => {
                            for (i, s) in items(child).iter().enumerate() {
                                self.service(s, &cp.index(i));
                            }
                        }
                        "swid" => self.swid(child, &cp),
                        "patches" => {
                            for (i, pa) in items(child).iter().enumerate() {
                                self.enum_field(pa, &cp.index(i), "type", PATCH_TYPES, true);
                            }
                        }
                        "resolves" => {
                            for (i, is) in items(child).iter().enumerate() {
                                self.enum_field(is, &cp.index(i), "type", ISSUE_TYPES, true);
                            }
                        }
                        "bom-ref" => self.bom_ref(child, &cp, false),
                        "citations" => {
                            for (i, c) in items(child).iter().enumerate() {
                                self.citation(c, &cp.index(i));
                            }
                        }
                        _ => {}
                    }
                    if !matches!(
                        k.as_str(),
                        "component"
                            | "components"
                            | "ancestors"
                            | "descendants"
                            | "variants"
                            | "services"
                    ) {
                        self.walk(child, &cp);
                    }
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    self.walk(x, &p.index(i));
                }
            }
            _ => {}
        }
    }

    /// A `bom-ref` (`unique == false`: its type and length, checked
    /// wherever it appears) or the uniqueness of a component's or
    /// service's one (the XSD's `xs:unique`).
    fn bom_ref(&mut self, v: &Value, p: &Path<'_>, unique: bool) {
        match v.as_str() {
            Some(s) if unique => {
                if !s.is_empty() && !self.refs.insert(s.to_owned()) {
                    self.push(p, Violation::DuplicateRef, v);
                }
            }
            Some("") if self.minor >= 5 => self.push(
                p,
                Violation::BadFormat {
                    field: "bom-ref",
                    expected: "non-empty reference",
                },
                v,
            ),
            Some(_) => {}
            None if unique => {}
            None => self.push(
                p,
                Violation::WrongType {
                    field: "bom-ref",
                    expected: "a string",
                },
                v,
            ),
        }
    }

    fn object<'v>(
        &mut self,
        v: &'v Value,
        p: &Path<'_>,
        field: &'static str,
    ) -> Option<&'v Map<String, Value>> {
        let o = v.as_object();
        if o.is_none() {
            self.push(
                p,
                Violation::WrongType {
                    field,
                    expected: "an object",
                },
                v,
            );
        }
        o
    }

    fn enum_field(
        &mut self,
        v: &Value,
        p: &Path<'_>,
        field: &'static str,
        allowed: &'static [&'static str],
        required: bool,
    ) {
        let Some(o) = self.object(v, p, field) else {
            return;
        };
        match o.get(field) {
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => {}
            Some(x) => self.push(&p.key(field), Violation::UnknownValue { field, allowed }, x),
            None if required => self.push(p, Violation::MissingField { field }, &Value::Null),
            None => {}
        }
    }
}
