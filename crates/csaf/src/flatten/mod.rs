//! Product tree flattening (spec 3.2.2): every product id with its full
//! name, the branch path leading to it, its identification helpers and,
//! for products defined by a relationship, the two products it composes.
//! [`status`] then gives, per vulnerability and product, the product status,
//! remediations and scores (spec 3.2.3.9, 3.2.3.12, 3.2.3.13).
//!
//! Version ranges (`product_version_range` branches) are kept as the raw
//! branch name; parsing `vers` strings is another crate's job.

pub mod status;
pub mod table;

use crate::model::{
    Branch, BranchCategory, CsafDocument, FullProductName, ProductIdentificationHelper,
    RelationshipCategory,
};
use std::collections::HashMap;

/// One step of the branch path to a product (spec 3.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BranchStep {
    /// The branch category (vendor, product_name, product_version …).
    pub category: BranchCategory,
    /// The branch name as written (a `vers` string or free text for ranges).
    pub name: String,
}

/// Where a product id is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProductOrigin {
    /// A leaf of `/product_tree/branches` (spec 3.2.2.1).
    Branch,
    /// `/product_tree/full_product_names[]` (spec 3.2.2.2).
    FullProductNames,
    /// `/product_tree/relationships[]` (spec 3.2.2.4): `product_reference`
    /// related by `category` to `relates_to_product_reference`.
    Relationship {
        /// How the two products relate.
        category: RelationshipCategory,
        /// The component (e.g. the application).
        product_reference: String,
        /// The product it belongs to (e.g. the platform).
        relates_to_product_reference: String,
    },
}

/// A product of the flattened tree.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FlatProduct {
    /// `product_id`.
    pub product_id: String,
    /// The full product name (`name`).
    pub name: String,
    /// Branches from the root to the product; empty outside `branches`.
    pub branch_path: Vec<BranchStep>,
    /// `product_identification_helper`, when given.
    pub helper: Option<ProductIdentificationHelper>,
    /// Where it is defined.
    pub origin: ProductOrigin,
}

impl FlatProduct {
    /// The name of the first branch of `category` on the path, if any.
    pub fn branch(&self, category: &BranchCategory) -> Option<&str> {
        self.branch_path
            .iter()
            .find(|s| &s.category == category)
            .map(|s| s.name.as_str())
    }
}

/// The flattened product tree: products by id (first definition wins, as a
/// duplicate is already an error under 6.1.2) and product groups.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ProductIndex {
    /// Products in document order: branches, full_product_names, relationships.
    pub products: Vec<FlatProduct>,
    by_id: HashMap<String, usize>,
    groups: HashMap<String, Vec<String>>,
}

impl ProductIndex {
    /// Flattens the product tree of `doc` (empty when it has none).
    pub fn new(doc: &CsafDocument) -> Self {
        let mut index = Self::default();
        let Some(tree) = &doc.product_tree else {
            return index;
        };
        let mut path = Vec::new();
        for b in tree.branches.iter().flatten() {
            index.walk(b, &mut path);
        }
        for fpn in tree.full_product_names.iter().flatten() {
            index.add(fpn, Vec::new(), ProductOrigin::FullProductNames);
        }
        for rel in tree.relationships.iter().flatten() {
            let origin = ProductOrigin::Relationship {
                category: rel.category.clone(),
                product_reference: rel.product_reference.clone(),
                relates_to_product_reference: rel.relates_to_product_reference.clone(),
            };
            index.add(&rel.full_product_name, Vec::new(), origin);
        }
        for g in tree.product_groups.iter().flatten() {
            index
                .groups
                .entry(g.group_id.clone())
                .or_insert_with(|| g.product_ids.clone());
        }
        index
    }

    fn walk(&mut self, branch: &Branch, path: &mut Vec<BranchStep>) {
        path.push(BranchStep {
            category: branch.category.clone(),
            name: branch.name.clone(),
        });
        if let Some(p) = &branch.product {
            self.add(p, path.clone(), ProductOrigin::Branch);
        }
        for b in branch.branches.iter().flatten() {
            self.walk(b, path);
        }
        path.pop();
    }

    fn add(&mut self, fpn: &FullProductName, branch_path: Vec<BranchStep>, origin: ProductOrigin) {
        if self.by_id.contains_key(&fpn.product_id) {
            return;
        }
        self.by_id
            .insert(fpn.product_id.clone(), self.products.len());
        self.products.push(FlatProduct {
            product_id: fpn.product_id.clone(),
            name: fpn.name.clone(),
            branch_path,
            helper: fpn.product_identification_helper.clone(),
            origin,
        });
    }

    /// The product with this id.
    pub fn get(&self, product_id: &str) -> Option<&FlatProduct> {
        self.by_id.get(product_id).map(|&i| &self.products[i])
    }

    /// The member ids of a product group (spec 3.2.2.3).
    pub fn group(&self, group_id: &str) -> Option<&[String]> {
        self.groups.get(group_id).map(Vec::as_slice)
    }

    /// For a relationship product, its component and the product it relates to.
    pub fn components(
        &self,
        product_id: &str,
    ) -> Option<(Option<&FlatProduct>, Option<&FlatProduct>)> {
        match &self.get(product_id)?.origin {
            ProductOrigin::Relationship {
                product_reference,
                relates_to_product_reference,
                ..
            } => Some((
                self.get(product_reference),
                self.get(relates_to_product_reference),
            )),
            _ => None,
        }
    }

    /// Number of products.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether the tree defines no product.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }
}
