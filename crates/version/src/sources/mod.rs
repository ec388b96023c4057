//! Conversions from the range forms of vulnerability sources into
//! [`VersionRange`](crate::VersionRange).

pub mod cve5;
pub mod nvd;
pub mod osv;
