//! The `vers` `generic` scheme, tuned for device firmware strings such as
//! `4.2.1b`, `V3.1 SP2` or `R2.1.0.12`: numbers compare numerically, known
//! pre-release words sort before the release, any other word after it.

use super::tokens::{Tok, Tokens, strip_trailing_zeros, tokenize};

/// Pre-release words and their rank; everything else is a post-release word
/// (service packs, patch levels, single-letter firmware suffixes).
fn classify(word: &str) -> Tok {
    let rank = match word {
        "dev" | "snapshot" | "nightly" => Some(0),
        "alpha" => Some(1),
        "beta" => Some(2),
        "milestone" => Some(3),
        "rc" | "cr" | "pre" | "preview" => Some(4),
        _ => None,
    };
    match rank {
        Some(r) => Tok::Pre(r, word.into()),
        None => Tok::Post(word.into()),
    }
}

/// Parses a generic version; `None` when it holds no letter or digit.
pub fn parse(s: &str) -> Option<Tokens> {
    let mut tokens = tokenize(s, classify);
    if tokens.is_empty() {
        return None;
    }
    // A word before the first number is a label (`V3.1`, `R2.1`, `build 7`),
    // not part of the ordering — unless a dot or dash separates it from the
    // number: then it is a revision letter that orders (Philips `M.00.03`
    // comes before `N`).
    let before_digit = s
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .and_then(|(i, _)| s[..i].chars().next_back());
    let label_attached = before_digit.is_none_or(|c| c.is_alphanumeric() || c.is_whitespace());
    if let Some(first_num) = tokens.iter().position(|t| matches!(t, Tok::Num(_))) {
        let leading_labels = label_attached
            && tokens[..first_num]
                .iter()
                .all(|t| matches!(t, Tok::Post(_)));
        if leading_labels {
            tokens.drain(..first_num);
        }
    }
    Some(Tokens(strip_trailing_zeros(tokens)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lt(a: &str, b: &str) {
        let (ka, kb) = (parse(a), parse(b));
        assert!(ka.is_some() && kb.is_some(), "{a} / {b}");
        assert!(ka < kb, "{a} < {b}");
    }

    #[test]
    fn firmware_strings() {
        lt("4.2.1", "4.2.1b");
        lt("4.2.1b", "4.2.2");
        lt("V3.1", "V3.1 SP2");
        lt("V3.1 SP2", "V3.2");
        lt("R2.1.0.9", "R2.1.0.12");
        // Letter revisions separated by a dot order by their letter.
        lt("L.01.10", "M.00.03");
        lt("M.04.10", "N");
        lt("C.01", "C.03");
        lt("1.0rc1", "1.0");
        lt("1.0alpha", "1.0beta");
        lt("1.9", "1.10");
        assert_eq!(parse("1.0.0"), parse("1"));
        assert_eq!(parse("V3.1"), parse("3.1"));
        assert_eq!(parse("--"), None);
    }
}
