//! RubyGems versions (`Gem::Version`): segments are numbers or words; any
//! word makes a pre-release, words compare as strings and sort before
//! numbers and before the end of the version (`1.0.a < 1.0 < 1.0.1`).

use super::tokens::{Tok, Tokens, strip_trailing_zeros, tokenize};

/// Parses a RubyGems version; `None` when it holds no letter or digit.
pub fn parse(s: &str) -> Option<Tokens> {
    let tokens = tokenize(s, |w| Tok::Pre(0, w.into()));
    if tokens.is_empty() {
        return None;
    }
    Some(Tokens(strip_trailing_zeros(tokens)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gem_order() {
        let chain = ["1.0.a", "1.0.b1", "1.0.rc", "1.0", "1.0.1", "1.1.a"];
        for w in chain.windows(2) {
            assert!(parse(w[0]) < parse(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("1.0.0"), parse("1"));
    }
}
