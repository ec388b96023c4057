//! Value patterns of rule conditions: exact, prefix, suffix, substring or
//! regular expression, optionally case-insensitive.

use regex::{Regex, RegexBuilder};

/// Compiled size limit of one regex, so user rules cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// How a condition compares an observed value.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    Exact(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
    Regex(Regex),
}

/// One alternative of a condition.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub(crate) matcher: Matcher,
    /// Compare case-insensitively (literal kinds store lower-case text).
    pub(crate) ignore_case: bool,
}

/// A successful match: the whole value and the regex groups.
#[derive(Debug, Clone, Default)]
pub(crate) struct Captures {
    pub(crate) groups: Vec<Option<String>>,
}

impl Pattern {
    /// Builds a pattern from its kind (`exact`, `prefix`, `suffix`,
    /// `contains`, `regex`) and text; `Err` carries the regex error message.
    pub(crate) fn new(kind: &str, text: &str, ignore_case: bool) -> Result<Option<Self>, String> {
        let lit = || {
            if ignore_case {
                text.to_lowercase()
            } else {
                text.to_owned()
            }
        };
        let matcher = match kind {
            "exact" => Matcher::Exact(lit()),
            "prefix" => Matcher::Prefix(lit()),
            "suffix" => Matcher::Suffix(lit()),
            "contains" => Matcher::Contains(lit()),
            "regex" => Matcher::Regex(
                RegexBuilder::new(text)
                    .case_insensitive(ignore_case)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .dfa_size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
            _ => return Ok(None),
        };
        Ok(Some(Self {
            matcher,
            ignore_case,
        }))
    }

    /// Number of capture groups (regex only; `$0` is always available).
    pub(crate) fn groups(&self) -> usize {
        match &self.matcher {
            Matcher::Regex(r) => r.captures_len() - 1,
            _ => 0,
        }
    }

    /// Whether the text of an exact pattern may be looked up in a hash map.
    pub(crate) fn exact_key(&self) -> Option<&str> {
        match &self.matcher {
            Matcher::Exact(s) => Some(s),
            _ => None,
        }
    }

    /// Matches `value`; on success returns `$0..$n`.
    pub(crate) fn matches(&self, value: &str) -> Option<Captures> {
        let folded;
        let v = if self.ignore_case && !matches!(self.matcher, Matcher::Regex(_)) {
            folded = value.to_lowercase();
            folded.as_str()
        } else {
            value
        };
        let whole = || Captures {
            groups: vec![Some(value.to_owned())],
        };
        match &self.matcher {
            Matcher::Exact(s) => (v == s).then(whole),
            Matcher::Prefix(s) => v.starts_with(s.as_str()).then(whole),
            Matcher::Suffix(s) => v.ends_with(s.as_str()).then(whole),
            Matcher::Contains(s) => v.contains(s.as_str()).then(whole),
            Matcher::Regex(r) => {
                let c = r.captures(value)?;
                let mut groups: Vec<Option<String>> =
                    c.iter().map(|m| m.map(|m| m.as_str().to_owned())).collect();
                // `$0` is the observed value, not only the matched part.
                if let Some(g) = groups.first_mut() {
                    *g = Some(value.to_owned());
                }
                Some(Captures { groups })
            }
        }
    }
}
