//! Identifiers of products and packages, and the rules to compare them:
//!
//! - [`cpe`]: CPE 2.3 names — well-formed names, the formatted-string and
//!   URI bindings (NISTIR 7695) and name matching (NISTIR 7696);
//! - [`purl`]: package URLs, kept as written, compared normalised;
//! - [`names`]: vendor and product name normalisation with an alias table of
//!   mergers and renames in the medical-device market.
//!
//! The crate is pure: no I/O.

pub mod cpe;
pub mod error;
pub mod names;
pub mod purl;

pub use cpe::Cpe;
pub use error::{AliasError, CpeError, PurlError};
pub use names::{VendorAliases, normalize_name};
pub use purl::Purl;
