//! What is matched: a device or an SBOM component.

use medvigil_ident::{Cpe, Purl};

/// A device or SBOM component to match against vulnerabilities. Every
/// identity it carries is tried; exact identifiers (purl, CPE, model
/// number, SKU/UDI-DI) give more confidence than names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Target {
    /// Opaque key: a device id or an SBOM component ref. Unique in a
    /// [`Matcher`](crate::Matcher).
    pub key: String,
    /// Manufacturer name.
    pub vendor: Option<String>,
    /// Product (model) name.
    pub product: Option<String>,
    /// Software or firmware version.
    pub version: Option<String>,
    /// CPE names.
    pub cpes: Vec<Cpe>,
    /// Package URLs (their version is used when `version` is unset).
    pub purls: Vec<Purl>,
    /// Model numbers.
    pub model_numbers: Vec<String>,
    /// Stock keeping units.
    pub skus: Vec<String>,
    /// GS1 / HIBCC UDI device identifier (matched like a SKU).
    pub udi_di: Option<String>,
}

impl Target {
    /// A target with just a key.
    pub fn new(key: impl Into<String>) -> Target {
        Target {
            key: key.into(),
            ..Target::default()
        }
    }

    /// Sets the vendor.
    #[must_use]
    pub fn vendor(mut self, v: impl Into<String>) -> Target {
        self.vendor = Some(v.into());
        self
    }

    /// Sets the product name.
    #[must_use]
    pub fn product(mut self, p: impl Into<String>) -> Target {
        self.product = Some(p.into());
        self
    }

    /// Sets the version.
    #[must_use]
    pub fn version(mut self, v: impl Into<String>) -> Target {
        self.version = Some(v.into());
        self
    }

    /// Adds a CPE.
    #[must_use]
    pub fn cpe(mut self, c: Cpe) -> Target {
        self.cpes.push(c);
        self
    }

    /// Adds a purl.
    #[must_use]
    pub fn purl(mut self, p: Purl) -> Target {
        self.purls.push(p);
        self
    }

    /// Adds a model number.
    #[must_use]
    pub fn model_number(mut self, m: impl Into<String>) -> Target {
        self.model_numbers.push(m.into());
        self
    }

    /// Adds a SKU.
    #[must_use]
    pub fn sku(mut self, s: impl Into<String>) -> Target {
        self.skus.push(s.into());
        self
    }

    /// Sets the UDI-DI.
    #[must_use]
    pub fn udi_di(mut self, u: impl Into<String>) -> Target {
        self.udi_di = Some(u.into());
        self
    }
}
