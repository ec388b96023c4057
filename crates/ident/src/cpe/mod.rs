//! CPE 2.3 names: the well-formed name (WFN) model of NISTIR 7695, its
//! formatted-string and URI bindings, and name matching per NISTIR 7696.

mod fs;
mod matching;
mod uri;
mod value;

use std::fmt;
use std::str::FromStr;

pub use matching::{NameRelation, Relation, compare, compare_values};
pub use value::{Value, WfnStr};

use crate::error::CpeError;

/// The eleven WFN attributes, in binding order (NISTIR 7695 §5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Attribute {
    /// `part`: `a` application, `o` operating system, `h` hardware.
    Part,
    /// `vendor`
    Vendor,
    /// `product`
    Product,
    /// `version`
    Version,
    /// `update`
    Update,
    /// `edition` (legacy)
    Edition,
    /// `language` (RFC 5646 tag)
    Language,
    /// `sw_edition`
    SwEdition,
    /// `target_sw`
    TargetSw,
    /// `target_hw`
    TargetHw,
    /// `other`
    Other,
}

impl Attribute {
    /// All attributes in binding order.
    pub const ALL: [Attribute; 11] = [
        Attribute::Part,
        Attribute::Vendor,
        Attribute::Product,
        Attribute::Version,
        Attribute::Update,
        Attribute::Edition,
        Attribute::Language,
        Attribute::SwEdition,
        Attribute::TargetSw,
        Attribute::TargetHw,
        Attribute::Other,
    ];

    /// The attribute's name in a WFN (`sw_edition`…).
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Part => "part",
            Attribute::Vendor => "vendor",
            Attribute::Product => "product",
            Attribute::Version => "version",
            Attribute::Update => "update",
            Attribute::Edition => "edition",
            Attribute::Language => "language",
            Attribute::SwEdition => "sw_edition",
            Attribute::TargetSw => "target_sw",
            Attribute::TargetHw => "target_hw",
            Attribute::Other => "other",
        }
    }
}

/// A CPE 2.3 well-formed name: eleven attribute values (NISTIR 7695 §5).
///
/// Parse with [`Cpe::parse`] (either binding), print with
/// [`Cpe::to_formatted_string`] or [`Cpe::to_uri`]; [`Display`](fmt::Display)
/// prints the formatted string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cpe {
    values: [Value; 11],
}

impl Cpe {
    /// A name with every attribute ANY.
    pub fn any() -> Cpe {
        Cpe {
            values: std::array::from_fn(|_| Value::Any),
        }
    }

    /// Builds a name from values in binding order, checking `part`.
    ///
    /// # Errors
    /// [`CpeError::BadPart`] when `part` is not `a`, `o`, `h` or ANY.
    pub fn from_values(values: [Value; 11]) -> Result<Cpe, CpeError> {
        match &values[0] {
            Value::Any => {}
            Value::Str(s) if matches!(s.as_wfn(), "a" | "o" | "h") => {}
            Value::Str(s) => {
                return Err(CpeError::BadPart {
                    value: s.as_wfn().into(),
                });
            }
            Value::Na => return Err(CpeError::BadPart { value: "NA".into() }),
        }
        Ok(Cpe { values })
    }

    /// Reads a name in either binding: `cpe:2.3:…` (formatted string,
    /// NISTIR 7695 §6.2) or `cpe:/…` (URI, §6.1).
    ///
    /// # Errors
    /// When the name breaks the binding's rules.
    pub fn parse(s: &str) -> Result<Cpe, CpeError> {
        let t = s.trim();
        let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
        if starts("cpe:2.3:") {
            fs::unbind(t)
        } else if starts("cpe:/") {
            uri::unbind(t)
        } else {
            Err(CpeError::BadName {
                input: s.into(),
                reason: "neither 'cpe:2.3:' nor 'cpe:/'",
            })
        }
    }

    /// The value of one attribute.
    pub fn get(&self, a: Attribute) -> &Value {
        &self.values[a as usize]
    }

    /// Replaces the value of one attribute.
    ///
    /// # Errors
    /// [`CpeError::BadPart`] for a bad `part`.
    pub fn set(&mut self, a: Attribute, v: Value) -> Result<(), CpeError> {
        let mut values = self.values.clone();
        values[a as usize] = v;
        *self = Cpe::from_values(values)?;
        Ok(())
    }

    /// All values in binding order.
    pub fn values(&self) -> &[Value; 11] {
        &self.values
    }

    /// The formatted string binding (NISTIR 7695 §6.2.2).
    pub fn to_formatted_string(&self) -> String {
        fs::bind(self)
    }

    /// The URI binding (NISTIR 7695 §6.1.2); lossy for names whose values
    /// use quoted characters the URI cannot carry unambiguously.
    pub fn to_uri(&self) -> String {
        uri::bind(self)
    }

    /// The WFN text form, e.g. `wfn:[part="a",vendor="microsoft",…]`
    /// (NISTIR 7695 §5.4), with ANY attributes left out.
    pub fn to_wfn_string(&self) -> String {
        let mut parts = Vec::new();
        for a in Attribute::ALL {
            match self.get(a) {
                Value::Any => {}
                Value::Na => parts.push(format!("{}=NA", a.name())),
                Value::Str(s) => parts.push(format!("{}=\"{}\"", a.name(), s.as_wfn())),
            }
        }
        format!("wfn:[{}]", parts.join(","))
    }
}

impl fmt::Display for Cpe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_formatted_string())
    }
}

impl FromStr for Cpe {
    type Err = CpeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cpe::parse(s)
    }
}

#[cfg(test)]
mod tests;
