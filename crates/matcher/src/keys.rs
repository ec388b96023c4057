//! Normalised identity keys shared by the catalog and the target index.
//! Both sides compute keys with these functions only, so equal keys mean
//! equal identities under the same rules:
//!
//! - `p:<type>/<namespace>/<name>` — a purl without version, qualifiers
//!   and subpath, case and separators folded per purl type (OSV ecosystem
//!   packages are mapped to the same form);
//! - `c:<vendor>:<product>` — a CPE's vendor and product, lower case;
//! - `m:<MODEL>` — a model number, upper case, spaces dropped;
//! - `s:<SKU>` — a stock keeping unit (or UDI-DI), the same way;
//! - `n:<canonical vendor>|<normalised product>` — a vendor (through the
//!   alias table) and a product name with the vendor prefix dropped.

use medvigil_ident::cpe::Attribute;
use medvigil_ident::{Cpe, Purl, VendorAliases, normalize_name};
use medvigil_version::Scheme;

use crate::finding::MatchKind;

/// The kind of a key, from its prefix.
pub(crate) fn kind_of(key: &str) -> MatchKind {
    match key.as_bytes().first() {
        Some(b'p') => MatchKind::Purl,
        Some(b'c') => MatchKind::Cpe,
        Some(b'm') => MatchKind::ModelNumber,
        Some(b's') => MatchKind::Sku,
        _ => MatchKind::VendorProduct,
    }
}

/// Case and separator folding of purl components (purl-spec "Known purl
/// types"); the same rules as `medvigil_ident::purl`.
fn fold_component(ty: &str, s: &str) -> String {
    match ty {
        "pypi" => s.to_ascii_lowercase().replace(['_', '.'], "-"),
        "alpm" | "apk" | "bitbucket" | "composer" | "deb" | "github" | "hex" | "npm" | "nuget"
        | "luarocks" | "pub" => s.to_ascii_lowercase(),
        _ => s.to_string(),
    }
}

fn purl_key_parts(ty: &str, namespace: Option<&str>, name: &str) -> String {
    let ty = ty.to_ascii_lowercase();
    let mut key = String::with_capacity(3 + ty.len() + name.len() + 16);
    key.push_str("p:");
    key.push_str(&ty);
    key.push('/');
    if let Some(ns) = namespace.filter(|n| !n.is_empty()) {
        key.push_str(&fold_component(&ty, ns.trim_matches('/')));
        key.push('/');
    }
    key.push_str(&fold_component(&ty, name));
    key
}

/// The key of a purl.
pub(crate) fn purl_key(p: &Purl) -> String {
    purl_key_parts(p.ty(), p.namespace(), p.name())
}

/// The purl type an OSV ecosystem's packages have, and the namespace
/// fixed by the ecosystem (distributions).
fn ecosystem_purl_type(ecosystem: &str) -> Option<(&'static str, Option<&'static str>)> {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    Some(match base {
        "Go" => ("golang", None),
        "npm" => ("npm", None),
        "PyPI" => ("pypi", None),
        "crates.io" => ("cargo", None),
        "Maven" => ("maven", None),
        "RubyGems" => ("gem", None),
        "NuGet" => ("nuget", None),
        "Packagist" => ("composer", None),
        "Hex" => ("hex", None),
        "Pub" => ("pub", None),
        "Debian" => ("deb", Some("debian")),
        "Ubuntu" => ("deb", Some("ubuntu")),
        "Alpine" => ("apk", Some("alpine")),
        _ => return None,
    })
}

/// The key of an OSV ecosystem package, in purl form; `None` for
/// ecosystems without a purl type.
pub(crate) fn ecosystem_key(ecosystem: &str, name: &str) -> Option<String> {
    let (ty, fixed_ns) = ecosystem_purl_type(ecosystem)?;
    if let Some(ns) = fixed_ns {
        return Some(purl_key_parts(ty, Some(ns), name));
    }
    let (ns, n) = if ty == "maven" {
        match name.split_once(':') {
            Some((g, a)) => (Some(g), a),
            None => (None, name),
        }
    } else {
        match name.rsplit_once('/') {
            Some((ns, n)) => (Some(ns), n),
            None => (None, name),
        }
    };
    Some(purl_key_parts(ty, ns, n))
}

/// The version scheme of a purl type (`vers` names purl types), generic
/// when unknown.
pub(crate) fn purl_scheme(ty: &str) -> Scheme {
    Scheme::from_vers_name(&ty.to_ascii_lowercase()).unwrap_or(Scheme::Generic)
}

/// The key of a CPE: literal vendor and product, or `None` when either is
/// ANY, NA or holds a wildcard (such a CPE identifies nothing exactly).
pub(crate) fn cpe_key(c: &Cpe) -> Option<String> {
    let lit = |a: Attribute| {
        let s = c.get(a).as_str()?;
        (!s.has_wildcards()).then(|| s.unquoted().to_lowercase())
    };
    Some(format!(
        "c:{}:{}",
        lit(Attribute::Vendor)?,
        lit(Attribute::Product)?
    ))
}

/// The literal version of a CPE, if it has one.
pub(crate) fn cpe_version(c: &Cpe) -> Option<String> {
    let s = c.get(Attribute::Version).as_str()?;
    (!s.has_wildcards()).then(|| s.unquoted())
}

fn code(prefix: &str, s: &str) -> Option<String> {
    if s.contains(['*', '?']) {
        // CSAF allows wildcards in model numbers (3.1.3.3.3); matching
        // patterns is not done: an exact key must be exact.
        return None;
    }
    let folded: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    (!folded.is_empty()).then(|| format!("{prefix}{folded}"))
}

/// The key of a model number.
pub(crate) fn model_key(s: &str) -> Option<String> {
    code("m:", s)
}

/// The key of a SKU or UDI-DI.
pub(crate) fn sku_key(s: &str) -> Option<String> {
    code("s:", s)
}

/// The key of a vendor and product name, and whether the vendor was found
/// through an alias (merger, rename) rather than under its own name.
pub(crate) fn name_key(
    aliases: &VendorAliases,
    vendor: &str,
    product: &str,
) -> Option<(String, bool)> {
    let (canonical, via_alias) = match aliases.lookup(vendor) {
        Some(m) => (normalize_name(m.canonical), m.via_alias),
        None => (normalize_name(vendor), false),
    };
    let product = aliases.normalize_product(vendor, product);
    if canonical.is_empty() || product.is_empty() {
        return None;
    }
    Some((format!("n:{canonical}|{product}"), via_alias))
}

/// Splits a vendor off the front of a full product name when the alias
/// table knows it ("Baxter ExactaMix EM 2400" → Baxter, "ExactaMix EM
/// 2400"): for sources that give no vendor.
pub(crate) fn split_vendor<'a>(
    aliases: &VendorAliases,
    full: &'a str,
) -> Option<(&'a str, &'a str)> {
    let words: Vec<(usize, &str)> = full
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - full.as_ptr() as usize, w))
        .collect();
    for n in (1..=words.len().saturating_sub(1).min(3)).rev() {
        let end = words[n - 1].0 + words[n - 1].1.len();
        let vendor = &full[..end];
        if aliases.lookup(vendor).is_some() {
            return Some((vendor, full[end..].trim()));
        }
    }
    None
}
