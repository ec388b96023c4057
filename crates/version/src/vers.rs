//! `vers` version range specifiers (purl-spec `VERSION-RANGE-SPEC.rst`):
//! `vers:<versioning-scheme>/<version-constraint>|...`.

use std::fmt;
use std::str::FromStr;

use crate::error::RangeError;
use crate::range::{Bound, Interval, VersionRange};
use crate::scheme::Scheme;
use crate::version::Version;

/// A `vers` comparator (spec section `<version-constraint>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Comparator {
    /// `=`, written as a bare version.
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparator {
    /// The comparator as written (empty for `=`, the canonical form).
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Eq => "",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }

    fn is_lower(self) -> bool {
        matches!(self, Comparator::Gt | Comparator::Ge)
    }

    fn is_upper(self) -> bool {
        matches!(self, Comparator::Lt | Comparator::Le)
    }
}

/// One parsed `<comparator><version>` constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    /// The comparator.
    pub comparator: Comparator,
    /// The version.
    pub version: Version,
}

fn err(input: &str, reason: &'static str) -> RangeError {
    RangeError::Vers {
        input: input.into(),
        reason,
    }
}

/// Percent-decodes a version (spec: "apply URL quoting rules to unquote").
fn unquote(input: &str, s: &str) -> Result<String, RangeError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .ok_or_else(|| err(input, "truncated %-escape"))?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| err(input, "bad %-escape"))?;
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| err(input, "%-escapes do not form UTF-8"))
}

/// Percent-encodes the characters that would be read as syntax.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' | '>' | '=' | '!' | '*' | '|' | '%' | ' ' | '\t' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Parses a `vers` string into its scheme and constraints, sorted by version,
/// following the spec's "Parsing and validating version range specifiers".
/// `None` constraints stands for `*`.
///
/// # Errors
/// [`RangeError::Vers`] for syntax errors, duplicated versions and invalid
/// comparator sequences; [`RangeError::Version`] for unreadable versions.
pub fn parse_constraints(input: &str) -> Result<(Scheme, Option<Vec<Constraint>>), RangeError> {
    let compact: String = input.chars().filter(|c| *c != ' ' && *c != '\t').collect();
    let (uri, rest) = compact
        .split_once(':')
        .ok_or_else(|| err(input, "missing ':'"))?;
    if uri != "vers" {
        return Err(err(input, "URI scheme is not 'vers'"));
    }
    let (scheme_name, spec) = rest
        .split_once('/')
        .ok_or_else(|| err(input, "missing '/'"))?;
    if scheme_name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(err(input, "versioning scheme must be lowercase"));
    }
    let scheme = Scheme::from_vers_name(scheme_name)
        .ok_or_else(|| err(input, "unknown versioning scheme"))?;
    let spec = spec.trim_matches('|');
    if spec.is_empty() {
        return Err(err(input, "no constraint"));
    }
    if spec == "*" {
        return Ok((scheme, None));
    }
    let mut constraints = Vec::new();
    for part in spec.split('|').filter(|p| !p.is_empty()) {
        let (comparator, v) = [
            (">=", Comparator::Ge),
            ("<=", Comparator::Le),
            ("!=", Comparator::Ne),
            ("<", Comparator::Lt),
            (">", Comparator::Gt),
            ("=", Comparator::Eq),
        ]
        .iter()
        .find_map(|(p, c)| part.strip_prefix(p).map(|v| (*c, v)))
        .unwrap_or((Comparator::Eq, part));
        if v.is_empty() {
            return Err(err(input, "empty version"));
        }
        if v.contains('*') {
            return Err(err(input, "'*' must be alone"));
        }
        let v = if v.contains('%') {
            unquote(input, v)?
        } else {
            v.to_string()
        };
        constraints.push(Constraint {
            comparator,
            version: Version::parse(scheme, &v)?,
        });
    }
    constraints.sort_by(|a, b| a.version.cmp(&b.version));
    if constraints.windows(2).any(|w| w[0].version == w[1].version) {
        return Err(err(input, "a version occurs more than once"));
    }
    validate_sequence(input, &constraints)?;
    Ok((scheme, Some(constraints)))
}

/// The spec's rules on contiguous comparators (ignoring `!=`: `=` is followed
/// by `=`, `>` or `>=`; bounds alternate between lower and upper).
fn validate_sequence(input: &str, constraints: &[Constraint]) -> Result<(), RangeError> {
    let mut prev: Option<Comparator> = None;
    for c in constraints
        .iter()
        .map(|c| c.comparator)
        .filter(|c| *c != Comparator::Ne)
    {
        let ok = match prev {
            None => true,
            Some(Comparator::Eq) | Some(Comparator::Lt) | Some(Comparator::Le) => {
                c == Comparator::Eq || c.is_lower()
            }
            Some(_) => c.is_upper(),
        };
        if !ok {
            return Err(err(
                input,
                "comparators do not alternate between lower and upper bounds",
            ));
        }
        prev = Some(c);
    }
    Ok(())
}

/// Turns validated constraints into a range. A range made of `!=`
/// constraints only holds every other version — the intent the spec's
/// simplification section gives it.
fn to_range(scheme: Scheme, constraints: &[Constraint]) -> Result<VersionRange, RangeError> {
    let mut intervals = Vec::new();
    let mut pending: Option<Bound> = None;
    let mut any_positive = false;
    for c in constraints {
        let v = c.version.clone();
        match c.comparator {
            Comparator::Ne => continue,
            Comparator::Eq => intervals.push(Interval {
                lower: Bound::Included(v.clone()),
                upper: Bound::Included(v),
            }),
            Comparator::Gt => pending = Some(Bound::Excluded(v)),
            Comparator::Ge => pending = Some(Bound::Included(v)),
            Comparator::Lt | Comparator::Le => intervals.push(Interval {
                lower: pending.take().unwrap_or(Bound::Unbounded),
                upper: if c.comparator == Comparator::Lt {
                    Bound::Excluded(v)
                } else {
                    Bound::Included(v)
                },
            }),
        }
        any_positive = true;
    }
    if let Some(lower) = pending {
        intervals.push(Interval {
            lower,
            upper: Bound::Unbounded,
        });
    }
    let mut range = if any_positive {
        VersionRange::from_intervals(scheme, intervals)?
    } else {
        VersionRange::all(scheme)
    };
    let excluded: Vec<_> = constraints
        .iter()
        .filter(|c| c.comparator == Comparator::Ne)
        .map(|c| VersionRange::point(c.version.clone()))
        .collect();
    for p in excluded {
        range = range.difference(&p)?;
    }
    Ok(range)
}

/// Parses a `vers` string into a normalised [`VersionRange`].
///
/// # Errors
/// See [`parse_constraints`].
pub fn parse(input: &str) -> Result<VersionRange, RangeError> {
    match parse_constraints(input)? {
        (scheme, None) => Ok(VersionRange::all(scheme)),
        (scheme, Some(cs)) => to_range(scheme, &cs),
    }
}

/// Writes `range` as a canonical `vers` string: constraints sorted by
/// version, `=` left implicit, a one-version hole written as `!=`.
/// `None` for the empty range, which `vers` cannot express.
pub fn to_vers(range: &VersionRange) -> Option<String> {
    if range.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    let ivs = range.intervals();
    if range.is_all() {
        parts.push("*".into());
    }
    let mut i = 0;
    while i < ivs.len() && !range.is_all() {
        if let Some(p) = ivs[i].as_point() {
            parts.push(quote(p.as_str()));
            i += 1;
            continue;
        }
        match &ivs[i].lower {
            Bound::Unbounded => {}
            Bound::Included(v) => parts.push(format!(">={}", quote(v.as_str()))),
            Bound::Excluded(v) => parts.push(format!(">{}", quote(v.as_str()))),
        }
        // Intervals separated by a single excluded version form one run.
        while let (Bound::Excluded(u), Some(next)) = (&ivs[i].upper, ivs.get(i + 1)) {
            match &next.lower {
                Bound::Excluded(l) if l == u => {
                    parts.push(format!("!={}", quote(u.as_str())));
                    i += 1;
                }
                _ => break,
            }
        }
        match &ivs[i].upper {
            Bound::Unbounded => {}
            Bound::Included(v) => parts.push(format!("<={}", quote(v.as_str()))),
            Bound::Excluded(v) => parts.push(format!("<{}", quote(v.as_str()))),
        }
        i += 1;
    }
    Some(format!(
        "vers:{}/{}",
        range.scheme().vers_name(),
        parts.join("|")
    ))
}

/// The `vers` form of a range; the empty range prints as `vers:none/*`,
/// the spec's scheme for "no version".
impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match to_vers(self) {
            Some(s) => f.write_str(&s),
            None => f.write_str("vers:none/*"),
        }
    }
}

impl FromStr for VersionRange {
    type Err = RangeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}
