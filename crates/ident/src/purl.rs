//! Package URLs (purl-spec). Parsing is done by the `packageurl` crate; the
//! string as written stays the identity, because that crate's printer
//! changes some purls (it lower-cases Go module paths, where case matters).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::error::PurlError;

/// A parsed package URL that remembers how it was written.
///
/// Equality and hashing use the original string; use [`Purl::normalized`]
/// (or [`Purl::same_package`]) to compare purls as the spec's per-type
/// rules say they are equal.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Purl {
    original: Box<str>,
    ty: Box<str>,
    namespace: Option<Box<str>>,
    name: Box<str>,
    version: Option<Box<str>>,
    qualifiers: BTreeMap<Box<str>, Box<str>>,
    subpath: Option<Box<str>>,
}

/// The comparable form of a purl: type-specific case and separator rules
/// applied (purl-spec "Known purl types"), qualifiers sorted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NormalizedPurl {
    /// The type, lower case.
    pub ty: String,
    /// The namespace, normalised for the type.
    pub namespace: Option<String>,
    /// The name, normalised for the type.
    pub name: String,
    /// The version, as written.
    pub version: Option<String>,
    /// Qualifiers with lower-case keys.
    pub qualifiers: BTreeMap<String, String>,
    /// The subpath.
    pub subpath: Option<String>,
}

impl Purl {
    /// Parses a purl.
    ///
    /// # Errors
    /// [`PurlError::Invalid`] with the parser's reason.
    pub fn parse(s: &str) -> Result<Purl, PurlError> {
        let p = packageurl::PackageUrl::from_str(s).map_err(|e| PurlError::Invalid {
            input: s.into(),
            reason: e.to_string(),
        })?;
        let (mut namespace, mut name): (Option<Box<str>>, Box<str>) =
            (p.namespace().map(Into::into), p.name().into());
        if p.ty() == "golang"
            && let Some((ns, n)) = raw_namespace_and_name(s)
        {
            // Go module paths are case-sensitive; the crate lower-cases them.
            namespace = ns.map(Into::into);
            name = n.into();
        }
        Ok(Purl {
            original: s.into(),
            ty: p.ty().into(),
            namespace,
            name,
            version: p.version().map(Into::into),
            qualifiers: p
                .qualifiers()
                .iter()
                .map(|(k, v)| (k.as_ref().into(), v.as_ref().into()))
                .collect(),
            subpath: p.subpath().map(Into::into),
        })
    }

    /// The purl as written.
    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// The package type (`npm`, `pypi`, `deb`…).
    pub fn ty(&self) -> &str {
        &self.ty
    }

    /// The namespace, decoded.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The name, decoded.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The version, decoded.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The qualifiers, decoded.
    pub fn qualifiers(&self) -> &BTreeMap<Box<str>, Box<str>> {
        &self.qualifiers
    }

    /// The subpath.
    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }

    /// The comparable form.
    pub fn normalized(&self) -> NormalizedPurl {
        let ty = self.ty.to_ascii_lowercase();
        let fold = |s: &str| normalize_component(&ty, s);
        NormalizedPurl {
            namespace: self.namespace.as_deref().map(fold),
            name: fold(&self.name),
            version: self.version.as_deref().map(Into::into),
            qualifiers: self
                .qualifiers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                .collect(),
            subpath: self
                .subpath
                .as_deref()
                .map(|s| s.trim_matches('/').to_string()),
            ty,
        }
    }

    /// Whether both purls name the same package, whatever the version and
    /// qualifiers: the identity used to match a component to an advisory.
    pub fn same_package(&self, other: &Purl) -> bool {
        let (a, b) = (self.normalized(), other.normalized());
        a.ty == b.ty && a.namespace == b.namespace && a.name == b.name
    }
}

/// Namespace and name as written (percent-decoded), for types whose case
/// the parser would change. `None` when the decoding fails.
fn raw_namespace_and_name(s: &str) -> Option<(Option<String>, String)> {
    let rest = s.trim().get(4..)?.trim_start_matches('/');
    let rest = rest.split(['#', '?']).next()?;
    let rest = match rest.rfind('@') {
        Some(i) => &rest[..i],
        None => rest,
    };
    let mut segs = rest
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .filter(|x| !x.is_empty());
    let mut all: Vec<String> = Vec::new();
    for seg in segs.by_ref() {
        all.push(percent_decode(seg)?);
    }
    let name = all.pop()?;
    Some(((!all.is_empty()).then(|| all.join("/")), name))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Case and separator rules of the purl-spec per type: these types are
/// case-insensitive; PyPI also treats `_` and `.` as `-` (PEP 503).
fn normalize_component(ty: &str, s: &str) -> String {
    match ty {
        "pypi" => s.to_ascii_lowercase().replace(['_', '.'], "-"),
        "alpm" | "apk" | "bitbucket" | "composer" | "deb" | "github" | "hex" | "npm" | "nuget"
        | "luarocks" | "pub" => s.to_ascii_lowercase(),
        _ => s.to_string(),
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl fmt::Debug for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Purl({:?})", self.original)
    }
}

impl FromStr for Purl {
    type Err = PurlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Purl::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_original_and_compares_normalised() -> Result<(), PurlError> {
        let go = Purl::parse("pkg:golang/github.com/BurntSushi/toml@v1.2.0")?;
        assert_eq!(go.as_str(), "pkg:golang/github.com/BurntSushi/toml@v1.2.0");
        assert_eq!(go.namespace(), Some("github.com/BurntSushi"));
        let a = Purl::parse("pkg:pypi/Django_Rest@3.0")?;
        let b = Purl::parse("pkg:pypi/django-rest@3.1")?;
        assert!(a.same_package(&b));
        assert_ne!(a, b);
        let c = Purl::parse("pkg:deb/debian/openssl?arch=source")?;
        assert_eq!(
            c.qualifiers().get("arch").map(AsRef::as_ref),
            Some("source")
        );
        assert!(Purl::parse("not a purl").is_err());
        Ok(())
    }
}
