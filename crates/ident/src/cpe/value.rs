//! Attribute values of a well-formed CPE name (WFN), NISTIR 7695 §5.3.

use std::fmt;

use crate::error::CpeError;

/// A WFN attribute value (NISTIR 7695 §5.3.1): a logical value or a string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// The logical value ANY: any value, including none.
    Any,
    /// The logical value NA: not applicable, no legal value.
    Na,
    /// A string in WFN form (see [`WfnStr`]).
    Str(WfnStr),
}

impl Value {
    /// Builds a string value from WFN form; see [`WfnStr::new`].
    ///
    /// # Errors
    /// When `wfn` breaks the rules of NISTIR 7695 §5.3.2.
    pub fn str(wfn: &str) -> Result<Value, CpeError> {
        WfnStr::new(wfn).map(Value::Str)
    }

    /// Builds a string value from plain text: every character that WFN
    /// requires quoted is quoted, so `*` and `?` are literal.
    ///
    /// # Errors
    /// When `text` is empty or holds a control character.
    pub fn literal(text: &str) -> Result<Value, CpeError> {
        let mut out = String::with_capacity(text.len() + 4);
        for c in text.chars() {
            if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() {
                out.push(c);
            } else {
                out.push('\\');
                out.push(c);
            }
        }
        WfnStr::new(&out).map(Value::Str)
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&WfnStr> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A WFN string value: letters, digits and `_` unquoted, every other
/// printable character quoted with `\`, and the unquoted wildcards `*`
/// (one, at the start or end) and `?` (runs at the start or end), following
/// NISTIR 7695 §5.3.2. Non-ASCII letters are accepted unquoted (real
/// dictionaries hold them).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WfnStr(Box<str>);

impl WfnStr {
    /// Validates a string in WFN form.
    ///
    /// # Errors
    /// [`CpeError::BadValue`] with the reason.
    pub fn new(wfn: &str) -> Result<WfnStr, CpeError> {
        let bad = |reason: &'static str| CpeError::BadValue {
            value: wfn.into(),
            reason,
        };
        if wfn.is_empty() {
            return Err(bad("empty value"));
        }
        let chars: Vec<char> = wfn.chars().collect();
        // Quoting a letter, digit or `_` is allowed but means nothing: drop it
        // so that equal values have equal text.
        let mut canonical = String::with_capacity(wfn.len());
        let mut body_seen = false;
        let mut trailing_wild = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\\' => {
                    let next = *chars.get(i + 1).ok_or_else(|| bad("dangling quote"))?;
                    if next.is_control() || next.is_whitespace() {
                        return Err(bad("quoted control character"));
                    }
                    if trailing_wild {
                        return Err(bad("wildcard inside the value"));
                    }
                    body_seen = true;
                    if !(next.is_alphanumeric() || next == '_') {
                        canonical.push('\\');
                    }
                    canonical.push(next);
                    i += 2;
                    continue;
                }
                '*' | '?' => {
                    if c == '*' && chars.get(i + 1) == Some(&'*') {
                        return Err(bad("'**'"));
                    }
                    if body_seen {
                        trailing_wild = true;
                    } else if c == '*' && chars.get(i + 1) == Some(&'?') {
                        return Err(bad("'*?'"));
                    }
                }
                c if c.is_alphanumeric() || c == '_' => {
                    if trailing_wild {
                        return Err(bad("wildcard inside the value"));
                    }
                    body_seen = true;
                }
                _ => return Err(bad("unquoted special character")),
            }
            canonical.push(c);
            i += 1;
        }
        if !body_seen {
            return Err(bad("only wildcards (use ANY)"));
        }
        Ok(WfnStr(canonical.into()))
    }

    /// The value in WFN form, with its quoting.
    pub fn as_wfn(&self) -> &str {
        &self.0
    }

    /// Whether the value holds an unquoted `*` or `?`.
    pub fn has_wildcards(&self) -> bool {
        self.logical()
            .iter()
            .any(|c| matches!(c, Char::Star | Char::Quest))
    }

    /// The value as logical characters, quoting resolved.
    pub(crate) fn logical(&self) -> Vec<Char> {
        let mut out = Vec::with_capacity(self.0.len());
        let mut it = self.0.chars();
        while let Some(c) = it.next() {
            out.push(match c {
                '\\' => Char::Lit(it.next().unwrap_or('\\')),
                '*' => Char::Star,
                '?' => Char::Quest,
                c => Char::Lit(c),
            });
        }
        out
    }

    /// The text without quoting (wildcards kept as `*`/`?`), for display and
    /// name matching.
    pub fn unquoted(&self) -> String {
        self.logical()
            .into_iter()
            .map(|c| match c {
                Char::Lit(c) => c,
                Char::Star => '*',
                Char::Quest => '?',
            })
            .collect()
    }
}

/// A character of a WFN string once quoting is resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Char {
    Lit(char),
    Star,
    Quest,
}

impl fmt::Debug for WfnStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl fmt::Display for WfnStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
