//! Shared state of one validation run: the document, the product ids and
//! group ids it defines and references (with their JSON pointers), computed
//! once because most tests of 6.1 and 6.2 need them.

use super::{Finding, Level};
use crate::model::{Branch, CsafDocument};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::rc::Rc;

/// A product id or group id at a place of the document.
#[derive(Debug, Clone)]
pub(crate) struct Site<'a> {
    pub id: &'a str,
    /// The pointer of the property, or of the array holding the id; shared
    /// by all items of one array so that collecting costs one allocation
    /// per array, not per id (most sites never appear in a finding).
    base: Rc<str>,
    index: Option<usize>,
}

impl Site<'_> {
    fn single<'a>(id: &'a str, pointer: String) -> Site<'a> {
        Site {
            id,
            base: Rc::from(pointer),
            index: None,
        }
    }

    /// The JSON pointer of the id.
    pub fn pointer(&self) -> String {
        match self.index {
            Some(i) => format!("{}/{i}", self.base),
            None => self.base.to_string(),
        }
    }
}

pub(crate) struct Ctx<'a> {
    pub doc: &'a CsafDocument,
    /// `full_product_name_t/product_id` definitions (6.1.2 paths).
    pub product_defs: Vec<Site<'a>>,
    /// `product_id_t` references outside full product names (6.1.1 paths).
    pub product_refs: Vec<Site<'a>>,
    /// `/product_tree/product_groups[]/group_id`.
    pub group_defs: Vec<Site<'a>>,
    /// `product_group_id_t` references (6.1.4 paths).
    pub group_refs: Vec<Site<'a>>,
    /// Group id → member product ids (first definition).
    pub groups: HashMap<&'a str, &'a [String]>,
    findings: Vec<Finding>,
}

impl std::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("findings", &self.findings.len())
            .finish()
    }
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a CsafDocument) -> Self {
        let mut ctx = Self {
            doc,
            product_defs: Vec::new(),
            product_refs: Vec::new(),
            group_defs: Vec::new(),
            group_refs: Vec::new(),
            groups: HashMap::new(),
            findings: Vec::new(),
        };
        ctx.collect();
        ctx
    }

    fn collect(&mut self) {
        let doc = self.doc;
        if let Some(tree) = &doc.product_tree {
            for (i, b) in tree.branches.iter().flatten().enumerate() {
                let mut p = format!("/product_tree/branches/{i}");
                self.collect_branch(b, &mut p);
            }
            for (i, f) in tree.full_product_names.iter().flatten().enumerate() {
                let pointer = format!("/product_tree/full_product_names/{i}/product_id");
                self.product_defs.push(Site::single(&f.product_id, pointer));
            }
            for (i, r) in tree.relationships.iter().flatten().enumerate() {
                let base = format!("/product_tree/relationships/{i}");
                let pointer = format!("{base}/full_product_name/product_id");
                self.product_defs
                    .push(Site::single(&r.full_product_name.product_id, pointer));
                let pointer = format!("{base}/product_reference");
                self.product_refs
                    .push(Site::single(&r.product_reference, pointer));
                let pointer = format!("{base}/relates_to_product_reference");
                self.product_refs
                    .push(Site::single(&r.relates_to_product_reference, pointer));
            }
            for (i, g) in tree.product_groups.iter().flatten().enumerate() {
                let base = format!("/product_tree/product_groups/{i}");
                self.group_defs
                    .push(Site::single(&g.group_id, format!("{base}/group_id")));
                self.groups.entry(&g.group_id).or_insert(&g.product_ids);
                push_list(
                    &mut self.product_refs,
                    Some(&g.product_ids),
                    &format!("{base}/product_ids"),
                );
            }
        }
        for (i, v) in doc.vulnerabilities.iter().flatten().enumerate() {
            let base = format!("/vulnerabilities/{i}");
            if let Some(ps) = &v.product_status {
                for (name, list) in ps.lists() {
                    push_list(
                        &mut self.product_refs,
                        Some(list),
                        &format!("{base}/product_status/{name}"),
                    );
                }
            }
            for (j, r) in v.remediations.iter().flatten().enumerate() {
                let b = format!("{base}/remediations/{j}");
                push_list(
                    &mut self.product_refs,
                    r.product_ids.as_deref(),
                    &format!("{b}/product_ids"),
                );
                push_list(
                    &mut self.group_refs,
                    r.group_ids.as_deref(),
                    &format!("{b}/group_ids"),
                );
            }
            for (j, s) in v.scores.iter().flatten().enumerate() {
                push_list(
                    &mut self.product_refs,
                    Some(&s.products),
                    &format!("{base}/scores/{j}/products"),
                );
            }
            for (j, t) in v.threats.iter().flatten().enumerate() {
                let b = format!("{base}/threats/{j}");
                push_list(
                    &mut self.product_refs,
                    t.product_ids.as_deref(),
                    &format!("{b}/product_ids"),
                );
                push_list(
                    &mut self.group_refs,
                    t.group_ids.as_deref(),
                    &format!("{b}/group_ids"),
                );
            }
            for (j, f) in v.flags.iter().flatten().enumerate() {
                let b = format!("{base}/flags/{j}");
                push_list(
                    &mut self.product_refs,
                    f.product_ids.as_deref(),
                    &format!("{b}/product_ids"),
                );
                push_list(
                    &mut self.group_refs,
                    f.group_ids.as_deref(),
                    &format!("{b}/group_ids"),
                );
            }
        }
    }

    fn collect_branch(&mut self, b: &'a Branch, pointer: &mut String) {
        if let Some(p) = &b.product {
            self.product_defs.push(Site::single(
                &p.product_id,
                format!("{pointer}/product/product_id"),
            ));
        }
        for (i, child) in b.branches.iter().flatten().enumerate() {
            let len = pointer.len();
            let _ = write!(pointer, "/branches/{i}");
            self.collect_branch(child, pointer);
            pointer.truncate(len);
        }
    }

    /// The set of defined product ids.
    pub fn defined_products(&self) -> HashSet<&'a str> {
        self.product_defs.iter().map(|s| s.id).collect()
    }

    /// Product ids named by `product_ids` and through `group_ids`.
    pub fn expand(
        &self,
        product_ids: Option<&'a [String]>,
        group_ids: Option<&'a [String]>,
    ) -> Vec<&'a str> {
        let mut out: Vec<&str> = product_ids
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        for g in group_ids.into_iter().flatten() {
            if let Some(members) = self.groups.get(g.as_str()) {
                out.extend(members.iter().map(String::as_str));
            }
        }
        out
    }

    pub fn error(
        &mut self,
        test: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(test, Level::Error, pointer.into(), message.into());
    }

    pub fn warning(
        &mut self,
        test: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(test, Level::Warning, pointer.into(), message.into());
    }

    pub fn info(
        &mut self,
        test: &'static str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(test, Level::Info, pointer.into(), message.into());
    }

    fn push(&mut self, test: &'static str, level: Level, pointer: String, message: String) {
        self.findings.push(Finding {
            test,
            level,
            pointer,
            message,
        });
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        self.findings.extend(findings);
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

fn push_list<'a>(out: &mut Vec<Site<'a>>, list: Option<&'a [String]>, base: &str) {
    let Some(list) = list else { return };
    let base: Rc<str> = Rc::from(base);
    for (i, id) in list.iter().enumerate() {
        out.push(Site {
            id,
            base: Rc::clone(&base),
            index: Some(i),
        });
    }
}
