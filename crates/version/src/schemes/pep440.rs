//! Python package versions, PEP 440: the normalisation rules of its
//! "Normalization" section are applied while parsing, and the order is the
//! one of its "Summary of permitted suffixes and relative ordering".

use super::num::{Num, split_digits};

/// A value that may sit below or above every real value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Ext<T> {
    Min,
    Val(T),
    Max,
}

/// A local version segment; numbers sort after words (PEP 440 "Local version
/// identifiers").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Local {
    Word(Box<str>),
    Num(Num),
}

/// A parsed PEP 440 version, laid out so that the derived order is PEP 440's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    epoch: Num,
    release: Vec<Num>,
    pre: Ext<(u8, Num)>,
    post: Ext<Num>,
    dev: Ext<Num>,
    local: Ext<Vec<Local>>,
}

fn skip_sep(s: &str) -> &str {
    s.strip_prefix(['.', '-', '_']).unwrap_or(s)
}

/// Reads an optional separator then one of `words`; returns the word's value.
fn word<'a, T: Copy>(s: &'a str, words: &[(&str, T)]) -> Option<(T, &'a str)> {
    let t = skip_sep(s);
    words
        .iter()
        .find_map(|(w, v)| t.strip_prefix(w).map(|rest| (*v, rest)))
}

/// Reads an optional separator and number (implicit zero, PEP 440
/// "Implicit pre-release number").
fn opt_num(s: &str) -> (Num, &str) {
    let t = skip_sep(s);
    let (d, rest) = split_digits(t);
    match Num::from_digits(d) {
        Some(n) => (n, rest),
        None => (Num::zero(), s),
    }
}

/// Parses a PEP 440 version, accepting the spellings the normalisation rules
/// allow (case, `v` prefix, `alpha`/`c`/`pre`/`rev`/`r`, separators).
pub fn parse(s: &str) -> Result<Key, &'static str> {
    let lower = s.trim().to_ascii_lowercase();
    let mut s = lower.strip_prefix('v').unwrap_or(&lower);
    let mut epoch = Num::zero();
    if let Some((e, rest)) = s.split_once('!') {
        epoch = Num::from_digits(e).ok_or("bad epoch")?;
        s = rest;
    }
    let mut release = Vec::new();
    loop {
        let (d, rest) = split_digits(s);
        release.push(Num::from_digits(d).ok_or("release part is not a number")?);
        s = rest;
        match s.strip_prefix('.') {
            Some(r) if r.starts_with(|c: char| c.is_ascii_digit()) => s = r,
            _ => break,
        }
    }
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }
    let mut pre = None;
    // Longest spellings first so that `preview` is not read as `pre` + `view`.
    let pre_words = [
        ("alpha", 0u8),
        ("a", 0),
        ("beta", 1),
        ("b", 1),
        ("preview", 2),
        ("pre", 2),
        ("rc", 2),
        ("c", 2),
    ];
    if let Some((rank, rest)) = word(s, &pre_words) {
        let (n, rest) = opt_num(rest);
        pre = Some((rank, n));
        s = rest;
    }
    let mut post = None;
    if let Some(rest) = s.strip_prefix('-')
        && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        let (d, rest) = split_digits(rest);
        post = Num::from_digits(d);
        s = rest;
    } else if let Some(((), rest)) = word(s, &[("post", ()), ("rev", ()), ("r", ())]) {
        let (n, rest) = opt_num(rest);
        post = Some(n);
        s = rest;
    }
    let mut dev = None;
    if let Some(((), rest)) = word(s, &[("dev", ())]) {
        let (n, rest) = opt_num(rest);
        dev = Some(n);
        s = rest;
    }
    let mut local = None;
    if let Some(rest) = s.strip_prefix('+') {
        let mut segs = Vec::new();
        for seg in rest.split(['.', '-', '_']) {
            if seg.is_empty() || !seg.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err("bad local segment");
            }
            segs.push(match Num::from_digits(seg) {
                Some(n) => Local::Num(n),
                None => Local::Word(seg.into()),
            });
        }
        local = Some(segs);
        s = "";
    }
    if !s.is_empty() {
        return Err("unexpected trailing characters");
    }
    // A bare dev release sorts before the pre-releases of its release.
    let pre_key = match (&pre, &post, &dev) {
        (None, None, Some(_)) => Ext::Min,
        (None, _, _) => Ext::Max,
        (Some(p), _, _) => Ext::Val(p.clone()),
    };
    Ok(Key {
        epoch,
        release,
        pre: pre_key,
        post: post.map_or(Ext::Min, Ext::Val),
        dev: dev.map_or(Ext::Max, Ext::Val),
        local: local.map_or(Ext::Min, Ext::Val),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep440_summary_order() {
        // The order given in PEP 440's "Summary of permitted suffixes".
        let chain = [
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ];
        for w in chain.windows(2) {
            assert!(parse(w[0]) < parse(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("1.0-ALPHA.1"), parse("1.0a1"));
        assert_eq!(parse("1.0-1"), parse("1.0.post1"));
        assert_eq!(parse("1.0"), parse("1.0.0"));
        assert!(parse("1.0x").is_err());
    }
}
