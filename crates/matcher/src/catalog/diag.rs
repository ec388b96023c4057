//! What the catalog could not use as the sources wrote it.

/// Something in a source that could not be used as is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatalogDiagnostic {
    /// A version range text was not understood; the entry is kept and its
    /// findings carry a lower confidence.
    UnparsedRange {
        /// Record id or advisory tracking id.
        source: String,
        /// The product (CSAF product id or package).
        product: String,
        /// The text.
        text: String,
    },
    /// An affected entry had no identity usable for matching.
    NoIdentity {
        /// Record id or advisory tracking id.
        source: String,
        /// The product.
        product: String,
    },
    /// An entry had only `GIT` ranges, which need the repository's history.
    GitRangesOnly {
        /// Record id.
        source: String,
        /// The package.
        product: String,
    },
    /// A withdrawn or rejected record was skipped.
    Withdrawn {
        /// Record id.
        source: String,
    },
    /// A CSAF relationship product (component installed on a platform) was
    /// skipped: the platform cannot be checked against a target.
    RelationshipSkipped {
        /// Advisory tracking id.
        source: String,
        /// Product id.
        product: String,
    },
    /// A status list names a product id the tree does not define.
    UnknownProduct {
        /// Advisory tracking id.
        source: String,
        /// Product id.
        product: String,
    },
}
