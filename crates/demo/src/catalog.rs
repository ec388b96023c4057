//! The product catalog the generator draws from.

use medvigil_model::{Category, Criticality, EuClass, FdaClass};
use serde::Deserialize;

/// A device model of a real manufacturer, with demo software versions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Category.
    pub category: Category,
    /// Manufacturer.
    pub vendor: String,
    /// Model.
    pub model: String,
    /// EU MDR class (none for building systems).
    pub eu_class: Option<EuClass>,
    /// FDA class.
    pub fda_class: Option<FdaClass>,
    /// Clinical criticality.
    pub criticality: Criticality,
    /// The manufacturer's IEEE MA-L prefix, 6 hex digits.
    pub oui: Option<String>,
    /// Software versions, oldest first.
    pub software: Vec<String>,
    /// End of support of the model line.
    pub eos: Option<time::Date>,
    /// Share of units that cannot be updated.
    pub unpatchable: f64,
    /// One per ward or department (central stations, PACS), not per bed.
    #[serde(default)]
    pub per_ward: bool,
}

/// The parsed catalog.
#[derive(Clone, Debug, Deserialize)]
pub struct Catalog {
    /// Every product.
    pub product: Vec<Product>,
}

/// Why the catalog does not load.
#[derive(Debug, thiserror::Error)]
#[error("demo catalog: {0}")]
pub struct CatalogError(String);

impl Catalog {
    /// The catalog shipped with medvigil.
    ///
    /// # Errors
    /// When the embedded file is invalid (a build defect, caught by the tests).
    pub fn builtin() -> Result<Self, CatalogError> {
        Self::parse(include_str!("../data/catalog.toml"))
    }

    /// A catalog from TOML text.
    ///
    /// # Errors
    /// When the text is not a valid catalog.
    pub fn parse(text: &str) -> Result<Self, CatalogError> {
        let c: Self = toml::from_str(text).map_err(|e| CatalogError(e.to_string()))?;
        for p in &c.product {
            if p.software.is_empty() {
                return Err(CatalogError(format!(
                    "{} {} has no software versions",
                    p.vendor, p.model
                )));
            }
            if p.oui
                .as_ref()
                .is_some_and(|o| o.len() != 6 || u32::from_str_radix(o, 16).is_err())
            {
                return Err(CatalogError(format!(
                    "{} {}: oui must be 6 hex digits",
                    p.vendor, p.model
                )));
            }
        }
        Ok(c)
    }

    /// Products of `category`, bedside ones or per-ward ones.
    pub fn of(&self, category: Category, per_ward: bool) -> Vec<&Product> {
        let exact: Vec<&Product> = self
            .product
            .iter()
            .filter(|p| p.category == category && p.per_ward == per_ward)
            .collect();
        if exact.is_empty() {
            self.product
                .iter()
                .filter(|p| p.category == category)
                .collect()
        } else {
            exact
        }
    }
}
