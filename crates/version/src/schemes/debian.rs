//! Debian package versions, ordered as dpkg does (Debian Policy §5.6.12):
//! `[epoch:]upstream_version[-debian_revision]`, each part compared by
//! alternating non-digit runs (with `~` before everything, even the end) and
//! digit runs compared numerically.

use std::cmp::Ordering;

use super::num::{Num, split_digits};

/// A parsed Debian version. Equality is dpkg's (`1.0` = `1.00`), so it is
/// derived from the order rather than from the strings.
#[derive(Clone, Debug)]
pub struct Key {
    epoch: Num,
    upstream: Box<str>,
    revision: Box<str>,
}

/// Splits a Debian version into its parts; `None` when empty or when the
/// epoch is not a number.
pub fn parse(s: &str) -> Option<Key> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (epoch, rest) = match s.split_once(':') {
        Some((e, r)) => (Num::from_digits(e)?, r),
        None => (Num::zero(), s),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => (u, r),
        None => (rest, ""),
    };
    Some(Key {
        epoch,
        upstream: upstream.into(),
        revision: revision.into(),
    })
}

/// dpkg's character weight: `~` < end of string < letters < other symbols.
fn weight(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`.
pub fn verrevcmp(mut a: &str, mut b: &str) -> Ordering {
    while !a.is_empty() || !b.is_empty() {
        let na = a
            .bytes()
            .position(|c| c.is_ascii_digit())
            .unwrap_or(a.len());
        let nb = b
            .bytes()
            .position(|c| c.is_ascii_digit())
            .unwrap_or(b.len());
        let (sa, sb) = (&a.as_bytes()[..na], &b.as_bytes()[..nb]);
        for i in 0..na.max(nb) {
            let o = weight(sa.get(i).copied()).cmp(&weight(sb.get(i).copied()));
            if o != Ordering::Equal {
                return o;
            }
        }
        let (da, ra) = split_digits(&a[na..]);
        let (db, rb) = split_digits(&b[nb..]);
        let o = Num::from_digits(da)
            .unwrap_or_default()
            .cmp(&Num::from_digits(db).unwrap_or_default());
        if o != Ordering::Equal {
            return o;
        }
        a = ra;
        b = rb;
    }
    Ordering::Equal
}

/// The canonical form behind dpkg equality: alternating non-digit and digit
/// runs, digit runs as numbers, a trailing zero run dropped (`a0` = `a`).
fn canonical(s: &str) -> Vec<(&str, Num)> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let n = rest
            .bytes()
            .position(|c| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (digits, r) = split_digits(&rest[n..]);
        out.push((&rest[..n], Num::from_digits(digits).unwrap_or_default()));
        rest = r;
    }
    while out.last().is_some_and(|(s, n)| s.is_empty() && n.is_zero()) {
        out.pop();
    }
    out
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.epoch.hash(state);
        canonical(&self.upstream).hash(state);
        canonical(&self.revision).hash(state);
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
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
    fn dpkg_order() {
        let chain = [
            "1.0~rc1-1",
            "1.0-1",
            "1.0-1+b1",
            "1.0a-1",
            "1.0+dfsg-1",
            "1.1.0f-3",
            "1.1.0l-1~deb9u5",
            "1.1.0l-1~deb9u6",
            "1.1.0l-1",
            "1:0.1-1",
        ];
        for w in chain.windows(2) {
            assert!(parse(w[0]) < parse(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("1.0"), parse("1.00"));
        assert_eq!(parse("0:1.0"), parse("1.0"));
        assert!(parse("x:1.0").is_none());
    }
}
