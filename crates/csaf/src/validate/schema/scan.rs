//! A walk over JSON bytes that already parsed, guided by the schema table.
//! It never fails: on anything unexpected it stops advancing into the
//! current value, which cannot happen for input serde_json accepted.

use super::{Obj, Str, Ty, check_str};
use crate::pointer::push_token;
use crate::validate::{Finding, Level, SCHEMA};
use std::borrow::Cow;
use std::fmt::Write;

/// One step of the path from the root.
enum Seg<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

pub(crate) struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    /// Where the walk is; turned into a JSON pointer only for a finding.
    path: Vec<Seg<'a>>,
    findings: Vec<Finding>,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            b: text.as_bytes(),
            i: 0,
            path: Vec::new(),
            findings: Vec::new(),
        }
    }

    fn pointer(&self) -> String {
        let mut p = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => push_token(&mut p, k),
                Seg::Index(i) => {
                    let _ = write!(p, "/{i}");
                }
            }
        }
        p
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    pub fn document(&mut self, ty: &Ty) {
        self.value(ty);
    }

    fn report(&mut self, test: &'static str, level: Level, message: String) {
        self.findings.push(Finding {
            test,
            level,
            pointer: self.pointer(),
            message,
        });
    }

    fn error(&mut self, message: String) {
        self.report(SCHEMA, Level::Error, message);
    }

    fn ws(&mut self) {
        while self
            .b
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// Skips a string at `self.i` (on its opening quote); returns whether
    /// it holds escapes and its raw content range.
    fn skip_string(&mut self) -> (bool, usize, usize) {
        let b = self.b;
        let start = self.i + 1;
        let mut j = start;
        let mut escaped = false;
        // Most of a document's bytes are long texts: jump between quotes
        // and backslashes instead of stepping byte by byte.
        while let Some(k) = b
            .get(j..)
            .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
        {
            j += k;
            if b[j] == b'"' {
                break;
            }
            escaped = true;
            j += 2;
        }
        if j > b.len() || b.get(j) != Some(&b'"') {
            j = b.len();
        }
        let end = j.min(b.len());
        self.i = end + 1;
        (escaped, start, end)
    }

    /// Reads a string at `self.i` (on its opening quote), unescaped.
    fn string(&mut self) -> Cow<'a, str> {
        let b = self.b;
        let (escaped, start, end) = self.skip_string();
        if escaped {
            // Let serde_json do the unescaping of the rare escaped strings.
            let quoted = b.get(start - 1..(end + 1).min(b.len())).unwrap_or_default();
            return Cow::Owned(serde_json::from_slice::<String>(quoted).unwrap_or_default());
        }
        // Quotes are ASCII, so both ends are char boundaries of valid UTF-8.
        Cow::Borrowed(self.text.get(start..end).unwrap_or_default())
    }

    /// Walks one value of schema type `ty`; returns its byte range.
    fn value(&mut self, ty: &Ty) -> (usize, usize) {
        let Some(c) = self.peek() else {
            return (self.i, self.i);
        };
        let start = self.i;
        let want = match (ty, c) {
            // Free text only has to be non-empty: no need to decode (most
            // of a document's bytes are such text).
            (Ty::Str(Str::Text | Str::Lang), b'"') => {
                let (_, s, e) = self.skip_string();
                if s == e {
                    self.error("\"\" must not be empty".to_owned());
                }
                None
            }
            (Ty::Str(s), b'"') => {
                let text = self.string();
                if let Some(message) = check_str(*s, &text) {
                    self.error(message);
                }
                None
            }
            (Ty::Obj(obj), b'{') => {
                self.object(Some(obj));
                None
            }
            (Ty::Cvss | Ty::Any, b'{') => {
                self.object(None);
                None
            }
            (Ty::Arr(item, min, unique), b'[') => {
                self.array(item, *min, *unique);
                None
            }
            (Ty::Any, b'[') => {
                self.array(&Ty::Any, 0, false);
                None
            }
            (Ty::Any, b'"') => {
                self.skip_string();
                None
            }
            (Ty::Str(_), _) => Some("a string"),
            (Ty::Obj(_) | Ty::Cvss, _) => Some("an object"),
            (Ty::Arr(..), _) => Some("an array"),
            (Ty::Any, _) => None,
        };
        if let Some(want) = want {
            self.error(format!("must be {want}"));
        }
        if self.i == start {
            self.skip_scalar_or_container(c);
        }
        (start, self.i)
    }

    /// Skips a value the schema walk did not consume (a type mismatch or a scalar).
    fn skip_scalar_or_container(&mut self, c: u8) {
        match c {
            b'{' => self.object(None),
            b'[' => self.array(&Ty::Any, 0, false),
            b'"' => {
                self.skip_string();
            }
            _ => {
                while self.b.get(self.i).is_some_and(|c| {
                    !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                }) {
                    self.i += 1;
                }
            }
        }
    }

    fn object(&mut self, schema: Option<&Obj>) {
        self.i += 1; // '{'
        let mut seen: u64 = 0;
        let mut count = 0usize;
        let mut last: Option<Cow<'a, str>> = None;
        loop {
            match self.peek() {
                Some(b'"') => {}
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                _ => return,
            }
            let key = self.string();
            count += 1;
            self.path.push(Seg::Key(key.clone()));
            if last.as_deref().is_some_and(|l| key.as_ref() < l) {
                self.report(
                    "6.2.13",
                    Level::Warning,
                    "key is not in alphabetical order".to_owned(),
                );
            }
            if self.peek() == Some(b':') {
                self.i += 1;
            }
            let field =
                schema.and_then(|o| o.fields.iter().position(|(name, _)| *name == key.as_ref()));
            match (schema, field) {
                (Some(o), Some(k)) => {
                    seen |= 1 << k;
                    self.value(&o.fields[k].1);
                }
                (Some(_), None) => {
                    self.report(
                        "6.2.20",
                        Level::Warning,
                        format!("property {key:?} is not defined by the schema"),
                    );
                    self.value(&Ty::Any);
                }
                (None, _) => {
                    self.value(&Ty::Any);
                }
            }
            self.path.pop();
            last = Some(key);
        }
        let Some(o) = schema else { return };
        for r in o.required {
            let present = o
                .fields
                .iter()
                .position(|(name, _)| name == r)
                .is_some_and(|k| seen & (1 << k) != 0);
            if !present {
                self.error(format!("required property {r} is missing"));
            }
        }
        if count < o.min_properties {
            self.error(format!(
                "object needs at least {} properties",
                o.min_properties
            ));
        }
    }

    fn array(&mut self, item: &Ty, min: usize, unique: bool) {
        self.i += 1; // '['
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut index = 0usize;
        loop {
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                None => return,
                Some(_) => {}
            }
            self.path.push(Seg::Index(index));
            let before = self.i;
            let range = self.value(item);
            self.path.pop();
            if self.i == before {
                return; // malformed: never loop in place
            }
            if unique {
                ranges.push(range);
            }
            index += 1;
        }
        if index < min {
            self.error(format!("array needs at least {min} item(s)"));
        }
        // Items compared as written: equal JSON values are equal texts in
        // practice (same writer), and this avoids building values.
        if unique {
            let b = self.b;
            let mut set = std::collections::HashSet::with_capacity(ranges.len());
            let dup = !ranges.iter().all(|&(s, e)| set.insert(b.get(s..e)));
            if dup {
                self.error("array items must be unique".to_owned());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::schema::scan as run;

    #[test]
    fn finds_schema_problems() {
        let j = r#"{"document": {"category": "csaf_base", "x": 1, "csaf_version": "2.1"}, "a": [1, 2]}"#;
        let found: Vec<(String, &str)> = run(j).into_iter().map(|f| (f.pointer, f.test)).collect();
        assert!(found.contains(&("/document/x".to_owned(), "6.2.20")));
        assert!(found.contains(&("/document/csaf_version".to_owned(), "6.2.13")));
        assert!(found.contains(&("/document/csaf_version".to_owned(), "schema")));
        assert!(found.contains(&("/document".to_owned(), "schema"))); // publisher missing
        assert!(found.contains(&("/a".to_owned(), "6.2.20")));
    }
}
