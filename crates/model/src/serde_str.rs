//! Serde through `Display`/`FromStr`, so that domain types are written as the
//! strings people know (`00:1a:2b:…`, `IIb`) and re-validated when read.

/// Implements `Serialize` and `Deserialize` for a type with `Display` and
/// `FromStr`. Exported for the other domain crates (the caller needs
/// `serde` as a dependency).
#[macro_export]
macro_rules! serde_via_str {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use crate::serde_via_str;
