//! One module per versioning scheme; each turns a string into a key whose
//! order is the scheme's.

pub mod alpine;
pub mod date;
pub mod debian;
pub mod gem;
pub mod generic;
pub mod maven;
pub mod num;
pub mod pep440;
pub mod rpm;
pub mod semver;
pub mod tokens;
