//! Maven versions, after the ordering of Maven's `ComparableVersion`:
//! `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
//! < sp < other qualifiers < numbers`, trailing zeros ignored.
//!
//! Simplification: Maven's nested lists (a `-` opening a sub-list) are
//! flattened, which only matters for rare forms such as `1-1` vs `1.1`.

use super::tokens::{Tok, Tokens, strip_trailing_zeros, tokenize};

/// Qualifier ranks (Maven's `QUALIFIERS` list); `None` = the release itself
/// (dropped). `sp` is prefixed with `\u{1}` so it sorts before other
/// post-release qualifiers, which Maven orders as strings.
fn qualifier(word: &str, before_digit: bool) -> Option<Tok> {
    let pre = |r: u8, w: &str| Some(Tok::Pre(r, w.into()));
    match word {
        "alpha" => pre(0, "alpha"),
        "a" if before_digit => pre(0, "alpha"),
        "beta" => pre(1, "beta"),
        "b" if before_digit => pre(1, "beta"),
        "milestone" => pre(2, "milestone"),
        "m" if before_digit => pre(2, "milestone"),
        "rc" | "cr" => pre(3, "rc"),
        "snapshot" => pre(4, "snapshot"),
        "" | "ga" | "final" | "release" => None,
        "sp" => Some(Tok::Post("\u{1}sp".into())),
        other => Some(Tok::Post(other.into())),
    }
}

/// Parses a Maven version; `None` when it holds no letter or digit.
pub fn parse(s: &str) -> Option<Tokens> {
    // Tokenise with a placeholder classification, then reclassify with the
    // knowledge of what follows each word (`a1` is alpha 1, `a` alone is not).
    let raw = tokenize(s, |w| Tok::Post(w.into()));
    if raw.is_empty() {
        return None;
    }
    let mut tokens = Vec::with_capacity(raw.len());
    for (i, t) in raw.iter().enumerate() {
        match t {
            Tok::Post(w) => {
                let before_digit = matches!(raw.get(i + 1), Some(Tok::Num(_)));
                if let Some(q) = qualifier(w, before_digit) {
                    tokens.push(q);
                }
            }
            other => tokens.push(other.clone()),
        }
    }
    Some(Tokens(strip_trailing_zeros(tokens)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maven_qualifier_order() {
        let chain = [
            "1-alpha-1",
            "1-beta-1",
            "1-milestone-1",
            "1-rc-1",
            "1-SNAPSHOT",
            "1",
            "1-sp-1",
            "1-foo",
            "1.0.1",
        ];
        for w in chain.windows(2) {
            assert!(parse(w[0]) < parse(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("1.0-ga"), parse("1"));
        assert_eq!(parse("1-cr1"), parse("1-rc1"));
        assert_eq!(parse("1a1"), parse("1-alpha-1"));
    }
}
