//! RPM package versions, ordered as `rpmvercmp` does (RPM manual,
//! "Dependencies: versioning"): `[epoch:]version[-release]`, each part cut
//! into numeric and alphabetic segments, separators ignored, `~` before
//! everything (even the end), `^` after the end but before anything else,
//! numbers newer than letters.

use std::cmp::Ordering;

use super::num::Num;

/// A parsed RPM EVR. Equality is rpmvercmp's (`1.0` = `1.00`).
#[derive(Clone, Debug)]
pub struct Key {
    epoch: Num,
    version: Box<str>,
    release: Box<str>,
}

/// Splits an EVR; `None` when empty or when the epoch is not a number.
pub fn parse(s: &str) -> Option<Key> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((e, r)) => (Num::from_digits(e)?, r),
        None => (Num::zero(), s),
    };
    let (version, release) = rest.rsplit_once('-').unwrap_or((rest, ""));
    Some(Key {
        epoch,
        version: version.into(),
        release: release.into(),
    })
}

fn is_sep(c: u8) -> bool {
    !c.is_ascii_alphanumeric() && c != b'~' && c != b'^'
}

/// `rpmvercmp`.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        while x.first().is_some_and(|c| is_sep(*c)) {
            x = &x[1..];
        }
        while y.first().is_some_and(|c| is_sep(*c)) {
            y = &y[1..];
        }
        match (x.first(), y.first()) {
            (Some(b'~'), Some(b'~')) | (Some(b'^'), Some(b'^')) => {
                x = &x[1..];
                y = &y[1..];
                continue;
            }
            (Some(b'~'), _) => return Ordering::Less,
            (_, Some(b'~')) => return Ordering::Greater,
            (None, Some(b'^')) => return Ordering::Less,
            (Some(b'^'), None) => return Ordering::Greater,
            (Some(b'^'), _) => return Ordering::Less,
            (_, Some(b'^')) => return Ordering::Greater,
            (None, None) => return Ordering::Equal,
            (Some(_), None) => return Ordering::Greater,
            (None, Some(_)) => return Ordering::Less,
            (Some(cx), Some(cy)) => {
                let numeric = cx.is_ascii_digit();
                if numeric != cy.is_ascii_digit() {
                    // A number is newer than letters.
                    return if numeric {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    };
                }
                let take = |s: &[u8]| {
                    s.iter()
                        .position(|c| {
                            if numeric {
                                !c.is_ascii_digit()
                            } else {
                                !c.is_ascii_alphabetic()
                            }
                        })
                        .unwrap_or(s.len())
                };
                let (nx, ny) = (take(x), take(y));
                let (sx, sy) = (&x[..nx], &y[..ny]);
                let o = if numeric {
                    let n = |s: &[u8]| {
                        Num::from_digits(std::str::from_utf8(s).unwrap_or("0")).unwrap_or_default()
                    };
                    n(sx).cmp(&n(sy))
                } else {
                    sx.cmp(sy)
                };
                if o != Ordering::Equal {
                    return o;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
        }
    }
}

/// A segment as `rpmvercmp` sees it; equal lists are equal versions.
#[derive(Hash)]
enum Segment<'a> {
    Tilde,
    Caret,
    Num(Num),
    Alpha(&'a [u8]),
}

fn segments(s: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut x = s.as_bytes();
    while let Some(&c) = x.first() {
        let len = if c == b'~' || c == b'^' {
            out.push(if c == b'~' {
                Segment::Tilde
            } else {
                Segment::Caret
            });
            1
        } else if c.is_ascii_digit() {
            let n = x
                .iter()
                .position(|c| !c.is_ascii_digit())
                .unwrap_or(x.len());
            out.push(Segment::Num(
                Num::from_digits(std::str::from_utf8(&x[..n]).unwrap_or("0")).unwrap_or_default(),
            ));
            n
        } else if c.is_ascii_alphabetic() {
            let n = x
                .iter()
                .position(|c| !c.is_ascii_alphabetic())
                .unwrap_or(x.len());
            out.push(Segment::Alpha(&x[..n]));
            n
        } else {
            1
        };
        x = &x[len..];
    }
    out
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.epoch.hash(state);
        segments(&self.version).hash(state);
        segments(&self.release).hash(state);
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| rpmvercmp(&self.release, &other.release))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpm_order() {
        let chain = [
            "1.0~rc1-1",
            "1.0-1",
            "1.0^git1-1",
            "1.0a-1",
            "1.0.1-1.el8",
            "1.0.1-2.el8",
            "1.1-1",
            "1:0.1-1",
        ];
        for w in chain.windows(2) {
            assert!(parse(w[0]) < parse(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("1.0"), parse("1.00"));
        assert_eq!(parse("1_0"), parse("1.0"));
    }
}
