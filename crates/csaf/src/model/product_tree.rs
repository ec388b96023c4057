//! `/product_tree` (spec 3.2.2) and `full_product_name_t` /
//! `product_identification_helper` (spec 3.1.3).

use super::enums::{BranchCategory, RelationshipCategory};
use serde::{Deserialize, Serialize};

/// `/product_tree` (spec 3.2.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProductTree {
    /// Child branches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<Branch>>,
    /// Products defined outside the branch tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_product_names: Option<Vec<FullProductName>>,
    /// Groups of products, referenced by group id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_groups: Option<Vec<ProductGroup>>,
    /// Products composed of two others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationships: Option<Vec<Relationship>>,
}

/// `branches_t` item (spec 3.1.2): a node of the vendor/product/version tree.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Branch {
    /// Child branches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<Branch>>,
    /// Category (vocabulary of the schema).
    #[serde(default)]
    pub category: BranchCategory,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// The product this branch leaf defines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<FullProductName>,
}

/// `full_product_name_t` (spec 3.1.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FullProductName {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Product id (`product_id_t`), unique in the document.
    #[serde(default)]
    pub product_id: String,
    /// Identifiers to find the product (CPE, purl, hashes …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_identification_helper: Option<ProductIdentificationHelper>,
}

/// `product_identification_helper` (spec 3.1.3.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProductIdentificationHelper {
    /// CPE 2.3 formatted string or CPE 2.2 URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Hashes of files belonging to the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashes: Option<Vec<FileHashes>>,
    /// Model numbers (may contain wildcards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_numbers: Option<Vec<String>>,
    /// Package URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// URLs of SBOMs of the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbom_urls: Option<Vec<String>>,
    /// Serial numbers (may contain wildcards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_numbers: Option<Vec<String>>,
    /// Stock keeping units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skus: Option<Vec<String>>,
    /// Identifiers from other schemes, as URIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x_generic_uris: Option<Vec<GenericUri>>,
}

/// `hashes[]` item (spec 3.1.3.3.2): the hashes of one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileHashes {
    /// Hashes of the file, one per algorithm.
    #[serde(default)]
    pub file_hashes: Vec<FileHash>,
    /// Name of the hashed file.
    #[serde(default)]
    pub filename: String,
}

/// `file_hashes[]` item (spec 3.1.3.3.2.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FileHash {
    /// Hash algorithm name, e.g. `sha256`.
    #[serde(default)]
    pub algorithm: String,
    /// Hash value in hex.
    #[serde(default)]
    pub value: String,
}

/// `x_generic_uris[]` item (spec 3.1.3.3.8).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GenericUri {
    /// Namespace URI.
    #[serde(default)]
    pub namespace: String,
    /// The identifier URI.
    #[serde(default)]
    pub uri: String,
}

/// `/product_tree/product_groups[]` item (spec 3.2.2.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProductGroup {
    /// Product group id (`product_group_id_t`).
    #[serde(default)]
    pub group_id: String,
    /// Products this item applies to.
    #[serde(default)]
    pub product_ids: Vec<String>,
    /// Summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// `/product_tree/relationships[]` item (spec 3.2.2.4): a product composed
/// of two others (e.g. an application `installed_on` an operating system).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Relationship {
    /// Category (vocabulary of the schema).
    #[serde(default)]
    pub category: RelationshipCategory,
    /// The product the relationship defines.
    #[serde(default)]
    pub full_product_name: FullProductName,
    /// The component product id.
    #[serde(default)]
    pub product_reference: String,
    /// The product id the component relates to.
    #[serde(default)]
    pub relates_to_product_reference: String,
}
