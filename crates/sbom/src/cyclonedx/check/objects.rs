//! Rules for the objects of a BOM: components, services, hashes,
//! properties, citations, SWID tags and license choices.

use serde_json::Value;

use super::format::is_hash_hex;
use super::vocab::{
    COMPONENT_TYPE_NAMES, COMPONENT_TYPES, DATA_FLOWS, ENCODINGS, HASH_ALGS, SCOPES,
};
use super::{Checker, items};
use crate::error::Violation;
use crate::path::Path;

impl Checker {
    pub(super) fn component(&mut self, v: &Value, p: &Path<'_>) {
        let Some(o) = self.object(v, p, "component") else {
            return;
        };
        match o.get("type") {
            Some(Value::String(s)) => {
                let known = COMPONENT_TYPES
                    .iter()
                    .any(|(t, since)| t == s && *since <= self.minor);
                if !known {
                    self.push(
                        &p.key("type"),
                        Violation::UnknownValue {
                            field: "type",
                            allowed: COMPONENT_TYPE_NAMES,
                        },
                        &o["type"],
                    );
                }
            }
            Some(x) => self.push(
                &p.key("type"),
                Violation::WrongType {
                    field: "type",
                    expected: "a string",
                },
                x,
            ),
            None => self.push(p, Violation::MissingField { field: "type" }, &Value::Null),
        }
        match o.get("name") {
            Some(Value::String(_)) => {}
            Some(x) => self.push(
                &p.key("name"),
                Violation::WrongType {
                    field: "name",
                    expected: "a string",
                },
                x,
            ),
            None => self.push(p, Violation::MissingField { field: "name" }, &Value::Null),
        }
        if let Some(r) = o.get("bom-ref") {
            self.bom_ref(r, &p.key("bom-ref"), true);
        }
        if let Some(range) = o.get("versionRange") {
            // 1.7: a range instead of a version, only for external components.
            if o.contains_key("version") {
                self.push(
                    p,
                    Violation::Other("a component has `version` or `versionRange`, not both"),
                    range,
                );
            }
            let external = matches!(o.get("isExternal"), Some(Value::Bool(true)))
                || o.get("isExternal").and_then(Value::as_str) == Some("true");
            if !external {
                self.push(
                    &p.key("versionRange"),
                    Violation::Other("`versionRange` only on a component with `isExternal` true"),
                    range,
                );
            }
        }
        if o.contains_key("scope") {
            self.enum_field(v, p, "scope", SCOPES, false);
        }
        self.walk(v, p);
    }

    pub(super) fn service(&mut self, v: &Value, p: &Path<'_>) {
        let Some(o) = self.object(v, p, "service") else {
            return;
        };
        if !o.contains_key("name") {
            self.push(p, Violation::MissingField { field: "name" }, &Value::Null);
        }
        if let Some(r) = o.get("bom-ref") {
            self.bom_ref(r, &p.key("bom-ref"), true);
        }
        if let Some(d) = o.get("data") {
            let dp = p.key("data");
            for (i, flow) in items(d).iter().enumerate() {
                if flow.get("flow").is_some() {
                    self.enum_field(flow, &dp.index(i), "flow", DATA_FLOWS, false);
                }
            }
        }
        self.walk(v, p);
    }

    pub(super) fn hash(&mut self, v: &Value, p: &Path<'_>) {
        let Some(o) = self.object(v, p, "hash") else {
            return;
        };
        self.enum_field(v, p, "alg", HASH_ALGS, true);
        match o.get("content") {
            Some(Value::String(s)) if is_hash_hex(s) => {}
            Some(x) => self.push(
                &p.key("content"),
                Violation::BadFormat {
                    field: "content",
                    expected: "hex digest of 32, 40, 64, 96 or 128 digits",
                },
                x,
            ),
            None => self.push(
                p,
                Violation::MissingField { field: "content" },
                &Value::Null,
            ),
        }
    }

    pub(super) fn property(&mut self, v: &Value, p: &Path<'_>) {
        let Some(o) = self.object(v, p, "property") else {
            return;
        };
        if self.minor >= 6 {
            if !o.contains_key("name") {
                self.push(p, Violation::MissingField { field: "name" }, &Value::Null);
            }
            for k in o.keys() {
                if k != "name" && k != "value" {
                    self.push(
                        &p.key(k),
                        Violation::UnknownProperty { name: k.clone() },
                        &o[k],
                    );
                }
            }
        }
    }

    /// 1.7 `citations[]`: attributed to one entity or process, located by
    /// exactly one of pointers or expressions.
    pub(super) fn citation(&mut self, v: &Value, p: &Path<'_>) {
        let Some(o) = self.object(v, p, "citation") else {
            return;
        };
        for field in ["attributedTo", "process"] {
            if let Some(x) = o.get(field)
                && !x.is_string()
            {
                self.push(
                    &p.key(field),
                    Violation::WrongType {
                        field,
                        expected: "a single reference",
                    },
                    x,
                );
            }
        }
        if !o.contains_key("attributedTo") && !o.contains_key("process") {
            self.push(
                p,
                Violation::MissingField {
                    field: "attributedTo",
                },
                &Value::Null,
            );
        }
        if o.contains_key("pointers") == o.contains_key("expressions") {
            self.push(
                p,
                Violation::Other("a citation has exactly one of `pointers` and `expressions`"),
                &Value::Null,
            );
        }
    }

    pub(super) fn swid(&mut self, v: &Value, p: &Path<'_>) {
        let Some(o) = self.object(v, p, "swid") else {
            return;
        };
        for field in ["tagId", "name"] {
            if !o.contains_key(field) {
                self.push(p, Violation::MissingField { field }, &Value::Null);
            }
        }
    }

    pub(super) fn licenses(&mut self, v: &Value, p: &Path<'_>) {
        let list = items(v);
        let mut expressions = 0;
        let mut licenses = 0;
        for (i, choice) in list.iter().enumerate() {
            let cp = p.index(i);
            let Some(o) = self.object(choice, &cp, "licenses") else {
                continue;
            };
            let (has_l, has_e) = (o.contains_key("license"), o.contains_key("expression"));
            if has_l && has_e {
                self.push(
                    &cp,
                    Violation::LicenseChoice {
                        reason: "both `license` and `expression`",
                    },
                    choice,
                );
            } else if !has_l && !has_e {
                self.push(
                    &cp,
                    Violation::LicenseChoice {
                        reason: "neither `license` nor `expression`",
                    },
                    choice,
                );
            }
            if let Some(l) = o.get("license") {
                licenses += 1;
                self.license(l, &cp.key("license"));
            }
            if let Some(e) = o.get("expression") {
                expressions += 1;
                if !e.is_string() {
                    self.push(
                        &cp.key("expression"),
                        Violation::WrongType {
                            field: "expression",
                            expected: "a string",
                        },
                        e,
                    );
                }
            }
        }
        // Up to 1.6 an expression is the single item; 1.7 allows mixing.
        if self.minor <= 6 && expressions > 0 && (licenses > 0 || list.len() > 1) {
            self.push(
                p,
                Violation::LicenseChoice {
                    reason: "an expression must be the only item",
                },
                &Value::Null,
            );
        }
    }

    pub(super) fn license(&mut self, v: &Value, p: &Path<'_>) {
        let Some(o) = self.object(v, p, "license") else {
            return;
        };
        match (o.get("id"), o.get("name")) {
            (Some(_), Some(_)) => self.push(
                p,
                Violation::LicenseChoice {
                    reason: "a license has either `id` or `name`, not both",
                },
                &Value::Null,
            ),
            (None, None) => self.push(
                p,
                Violation::LicenseChoice {
                    reason: "a license needs `id` or `name`",
                },
                &Value::Null,
            ),
            _ => {}
        }
        match o.get("id") {
            Some(Value::String(id)) if spdx::license_id(id).is_none() => {
                self.push(&p.key("id"), Violation::UnknownLicenseId, &o["id"]);
            }
            Some(Value::String(_)) => {}
            Some(x) => self.push(
                &p.key("id"),
                Violation::WrongType {
                    field: "id",
                    expected: "a string",
                },
                x,
            ),
            None => {}
        }
        if let Some(x) = o.get("name")
            && !x.is_string()
        {
            self.push(
                &p.key("name"),
                Violation::WrongType {
                    field: "name",
                    expected: "a string",
                },
                x,
            );
        }
        if let Some(t) = o.get("text")
            && t.get("encoding").is_some()
        {
            self.enum_field(t, &p.key("text"), "encoding", ENCODINGS, false);
        }
    }
}
