//! Just enough of RFC 3986 for CSAF distribution: absolute `http(s)` URLs
//! and resolving the relative references of `changes.csv`, `index.txt` and
//! ROLIE links against their base.

use std::fmt;

/// An absolute `http` or `https` URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Url {
    scheme: String,
    authority: String,
    /// Starts with `/`.
    path: String,
    /// With its leading `?`, or empty.
    query: String,
}

impl Url {
    /// Parses an absolute `http://` or `https://` URL; a fragment is dropped.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (scheme, rest) = s.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return None;
        }
        let rest = rest.split('#').next().unwrap_or_default();
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..end];
        if authority.is_empty()
            || authority.contains('@')
            || authority
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return None;
        }
        let tail = &rest[end..];
        let (path, query) = match tail.find('?') {
            Some(i) => (&tail[..i], &tail[i..]),
            None => (tail, ""),
        };
        Some(Self {
            scheme,
            authority: authority.to_ascii_lowercase(),
            path: remove_dot_segments(if path.is_empty() { "/" } else { path }),
            query: query.to_owned(),
        })
    }

    /// Resolves `reference` (absolute, `//host/…`, `/path` or relative)
    /// against `self` (RFC 3986 section 5.2).
    pub fn join(&self, reference: &str) -> Option<Self> {
        let r = reference.trim();
        if has_scheme(r) {
            return Self::parse(r);
        }
        if let Some(rest) = r.strip_prefix("//") {
            return Self::parse(&format!("{}://{rest}", self.scheme));
        }
        let r = r.split('#').next().unwrap_or_default();
        let (rpath, rquery) = match r.find('?') {
            Some(i) => (&r[..i], &r[i..]),
            None => (r, ""),
        };
        let (path, query) = if rpath.is_empty() {
            (
                self.path.clone(),
                if rquery.is_empty() {
                    self.query.clone()
                } else {
                    rquery.to_owned()
                },
            )
        } else if rpath.starts_with('/') {
            (remove_dot_segments(rpath), rquery.to_owned())
        } else {
            let dir = &self.path[..self.path.rfind('/').map_or(0, |i| i + 1)];
            (
                remove_dot_segments(&format!("{dir}{rpath}")),
                rquery.to_owned(),
            )
        };
        if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        Some(Self {
            scheme: self.scheme.clone(),
            authority: self.authority.clone(),
            path,
            query,
        })
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Host without the port (IPv6 literals keep their brackets).
    pub fn host(&self) -> &str {
        let a = &self.authority;
        if a.starts_with('[') {
            return a.find(']').map_or(a, |i| &a[..=i]);
        }
        a.split(':').next().unwrap_or(a)
    }

    /// The path, starting with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The last path segment (the file name), possibly empty.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or_default()
    }

    /// Whether the host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    pub fn is_loopback(&self) -> bool {
        let h = self.host();
        h == "localhost" || h == "[::1]" || h.starts_with("127.")
    }

    /// The same URL with `suffix` appended to its path (`x.json` → `x.json.asc`).
    pub fn with_suffix(&self, suffix: &str) -> Self {
        Self {
            path: format!("{}{suffix}", self.path),
            ..self.clone()
        }
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}{}",
            self.scheme, self.authority, self.path, self.query
        )
    }
}

/// Whether a reference starts with `scheme:` (RFC 3986 section 3.1).
fn has_scheme(r: &str) -> bool {
    let end = r.find([':', '/', '?', '#']).unwrap_or(r.len());
    r[end..].starts_with(':')
        && r[..end].starts_with(|c: char| c.is_ascii_alphabetic())
        && r[..end]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::Url;

    #[test]
    fn join_cases() {
        let base = Url::parse("https://Example.com/a/b/provider-metadata.json?x#f").unwrap();
        for (r, want) in [
            ("c.json", "https://example.com/a/b/c.json"),
            ("../c.json", "https://example.com/a/c.json"),
            ("../../../c.json", "https://example.com/c.json"),
            ("/z/c.json", "https://example.com/z/c.json"),
            ("//other.org/p", "https://other.org/p"),
            ("http://h:8/q?y", "http://h:8/q?y"),
            ("./d/./e.json", "https://example.com/a/b/d/e.json"),
        ] {
            assert_eq!(base.join(r).unwrap().to_string(), want, "{r}");
        }
        assert_eq!(base.file_name(), "provider-metadata.json");
    }

    #[test]
    fn hosts() {
        assert!(Url::parse("http://127.0.0.1:80/").unwrap().is_loopback());
        assert!(Url::parse("http://[::1]:8/").unwrap().is_loopback());
        assert!(!Url::parse("https://cisa.gov/").unwrap().is_loopback());
        for bad in ["ftp://x/", "https://", "x", "https://u@h/"] {
            assert!(Url::parse(bad).is_none(), "{bad}");
        }
    }
}
