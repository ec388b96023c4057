//! Alpine `apk` versions (apk-tools `version.c`, Gentoo-like):
//! `1.2.3[letter][_suffix[N]]...[-rN]`, with suffixes ordered
//! `_alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p`.
//!
//! Simplification: apk's rule that a later component with a leading zero
//! compares as a decimal fraction is not applied.

use super::num::{Num, split_digits};

/// A parsed apk version; the derived order is apk's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    release: Vec<Num>,
    letter: Option<char>,
    /// Suffixes, closed by the rank of "no suffix" so that `_rc1 < (none) < _p1`.
    suffixes: Vec<(u8, Num)>,
    revision: Num,
}

const NO_SUFFIX: u8 = 4;

fn suffix_rank(word: &str) -> Option<u8> {
    Some(match word {
        "alpha" => 0,
        "beta" => 1,
        "pre" => 2,
        "rc" => 3,
        "cvs" => 5,
        "svn" => 6,
        "git" => 7,
        "hg" => 8,
        "p" => 9,
        _ => return None,
    })
}

/// Parses an apk version; returns a reason when it is not one.
pub fn parse(s: &str) -> Result<Key, &'static str> {
    let mut s = s.trim();
    let mut release = Vec::new();
    loop {
        let (d, rest) = split_digits(s);
        release.push(Num::from_digits(d).ok_or("release part is not a number")?);
        s = rest;
        match s.strip_prefix('.') {
            Some(r) => s = r,
            None => break,
        }
    }
    let mut letter = None;
    if let Some(c) = s.chars().next().filter(char::is_ascii_lowercase) {
        letter = Some(c);
        s = &s[1..];
    }
    let mut suffixes = Vec::new();
    while let Some(rest) = s.strip_prefix('_') {
        let end = rest
            .find(|c: char| !c.is_ascii_lowercase())
            .unwrap_or(rest.len());
        let rank = suffix_rank(&rest[..end]).ok_or("unknown suffix")?;
        let (d, rest) = split_digits(&rest[end..]);
        suffixes.push((rank, Num::from_digits(d).unwrap_or_default()));
        s = rest;
    }
    suffixes.push((NO_SUFFIX, Num::zero()));
    let mut revision = Num::zero();
    if let Some(rest) = s.strip_prefix("-r") {
        let (d, rest) = split_digits(rest);
        revision = Num::from_digits(d).ok_or("bad revision")?;
        s = rest;
    }
    if !s.is_empty() {
        return Err("unexpected trailing characters");
    }
    Ok(Key {
        release,
        letter,
        suffixes,
        revision,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apk_order() {
        let chain = [
            "0.9.13",
            "1.2.3_alpha",
            "1.2.3_rc1",
            "1.2.3",
            "1.2.3-r4",
            "1.2.3_p1",
            "1.2.3a",
            "1.2.4",
        ];
        for w in chain.windows(2) {
            assert!(parse(w[0]) < parse(w[1]), "{} < {}", w[0], w[1]);
        }
        assert!(parse("1.2.3_foo").is_err());
    }
}
