//! The token engine shared by the dotted/alphanumeric schemes (generic,
//! Maven, RubyGems): a version is cut into wholly numeric and wholly
//! alphabetic segments, as libversion does and as the `vers` spec suggests for
//! its `generic` scheme; schemes differ only in how words are classified.

use std::cmp::Ordering;

use super::num::Num;

/// One segment of a tokenised version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Tok {
    /// A pre-release word (`alpha`, `rc`…), ordered before the end of the
    /// version: `1.0rc1 < 1.0`. The rank orders known words among themselves.
    Pre(u8, Box<str>),
    /// A post-release word (`sp`, `patch`, a letter suffix…), ordered after
    /// the end of the version but before any number: `1.0 < 1.0b < 1.0.1`.
    Post(Box<str>),
    /// A number.
    Num(Num),
}

impl Tok {
    // Pre < (end of version) < Post < Num; the end sits at class 1.
    fn class(&self) -> u8 {
        match self {
            Tok::Pre(..) => 0,
            Tok::Post(_) => 2,
            Tok::Num(_) => 3,
        }
    }
}

impl Ord for Tok {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Tok::Pre(ra, a), Tok::Pre(rb, b)) => ra.cmp(rb).then_with(|| a.cmp(b)),
            (Tok::Post(a), Tok::Post(b)) => a.cmp(b),
            (Tok::Num(a), Tok::Num(b)) => a.cmp(b),
            _ => self.class().cmp(&other.class()),
        }
    }
}

impl PartialOrd for Tok {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A tokenised version: compared lexicographically with an end marker that
/// sits between pre-release and post-release words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Tokens(pub Vec<Tok>);

impl Ord for Tokens {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut a = self.0.iter();
        let mut b = other.0.iter();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return Ordering::Equal,
                (Some(x), Some(y)) => match x.cmp(y) {
                    Ordering::Equal => continue,
                    o => return o,
                },
                (Some(x), None) => return 1u8.cmp(&x.class()).reverse(),
                (None, Some(y)) => return 1u8.cmp(&y.class()),
            }
        }
    }
}

impl PartialOrd for Tokens {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Cuts `s` into numbers and lower-cased words; any other character separates.
/// `classify` turns each word into a [`Tok::Pre`] or [`Tok::Post`].
pub fn tokenize(s: &str, classify: impl Fn(&str) -> Tok) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_ascii_digit() {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            out.push(Tok::Num(
                Num::from_digits(&s[start..end]).unwrap_or_default(),
            ));
        } else if c.is_alphabetic() {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            out.push(classify(&s[start..end].to_lowercase()));
        } else {
            chars.next();
        }
    }
    out
}

/// Drops zeros that end a run of numbers (`1.0.0` = `1`, `1.0rc1` = `1rc1`),
/// so that equal versions have equal tokens and the order stays total.
pub fn strip_trailing_zeros(tokens: Vec<Tok>) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(tokens.len());
    let mut pending_zeros = 0usize;
    for t in tokens {
        match &t {
            Tok::Num(n) if n.is_zero() => pending_zeros += 1,
            Tok::Num(_) => {
                out.extend(std::iter::repeat_n(Tok::Num(Num::zero()), pending_zeros));
                pending_zeros = 0;
                out.push(t);
            }
            _ => {
                pending_zeros = 0;
                out.push(t);
            }
        }
    }
    out
}
