//! The vocabulary of range phrases that CNAs write into `version`
//! ("All versions", "prior to 3.2", "4.1 and earlier", "next of 2.0",
//! "Versions 1.10, 1.11"). Kept small and explicit: text outside it is
//! reported unreadable rather than turned into a made-up version.

/// Values that mean every version.
const EVERYTHING: [&str; 6] = [
    "*",
    "all",
    "all versions",
    "any",
    "any version",
    "all current versions",
];
/// Values that say nothing (also used for `lessThan` and start versions).
pub(super) const NOTHING: [&str; 8] = [
    "n/a",
    "na",
    "unspecified",
    "unknown",
    "-",
    "none",
    "",
    "not applicable",
];
const BELOW: [&str; 9] = [
    "all versions prior to ",
    "all versions before ",
    "versions prior to ",
    "versions before ",
    "prior to ",
    "before ",
    "earlier than ",
    "below ",
    "less than ",
];
const UP_TO: [&str; 5] = [
    "up to and including ",
    "all versions up to ",
    "versions up to ",
    "up to ",
    "through ",
];
const AND_BELOW: [&str; 7] = [
    " and prior",
    " and earlier",
    " and before",
    " or earlier",
    " and older",
    " and below",
    " or lower",
];
const AND_ABOVE: [&str; 6] = [
    " and later",
    " and above",
    " or later",
    " and newer",
    " or higher",
    " and after",
];
/// Words after which the version itself follows ("ExactaMix Versions 1.10").
const LABELS: [&str; 6] = [
    "version", "versions", "firmware", "software", "release", "ver",
];

/// What a `version` value says.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Phrase<'a> {
    /// Every version.
    All,
    /// Nothing usable ("n/a").
    Nothing,
    /// Free text that names no version we can trust.
    Unreadable,
    /// From a version upwards; `true` = inclusive.
    Lower(bool, &'a str),
    /// Up to a version; `true` = inclusive.
    Upper(bool, &'a str),
    /// From one version to another, both inclusive.
    Between(&'a str, &'a str),
    /// One version.
    Exact(&'a str),
    /// Several of the above.
    List(Vec<Phrase<'a>>),
}

impl Phrase<'_> {
    /// Whether this is anything but a plain version.
    pub(super) fn is_guess(&self) -> bool {
        !matches!(self, Phrase::Exact(_))
    }
}

pub(super) fn is_nothing(v: &str) -> bool {
    NOTHING.contains(&v.trim().to_ascii_lowercase().as_str())
}

/// A single version, possibly after a label ("Firmware 4.2", "v3.1 SP2").
fn single(t: &str) -> Phrase<'_> {
    let t = t.trim();
    // Byte offsets of whitespace-separated words.
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    let label = |(s, e): &(usize, usize)| {
        LABELS.contains(
            &t[*s..*e]
                .trim_end_matches([':', '.'])
                .to_ascii_lowercase()
                .as_str(),
        )
    };
    let rest = match words.iter().rposition(label) {
        Some(i) if i + 1 < words.len() => &words[i + 1..],
        Some(_) => return Phrase::Unreadable,
        None => &words[..],
    };
    match (rest.first(), rest.last()) {
        (Some(&(s, _)), Some(&(_, e)))
            if rest.len() <= 3
                && t[s..]
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| w.bytes().any(|b| b.is_ascii_digit())) =>
        {
            Phrase::Exact(&t[s..e])
        }
        _ => Phrase::Unreadable,
    }
}

fn operators(t: &str) -> Option<Phrase<'_>> {
    for (op, incl, lower) in [
        ("<=", true, false),
        (">=", true, true),
        ("<", false, false),
        (">", false, true),
        ("=", true, true),
    ] {
        if let Some(rest) = t.strip_prefix(op) {
            let rest = rest.trim();
            return Some(match (op, lower) {
                ("=", _) => Phrase::Exact(rest),
                (_, true) => Phrase::Lower(incl, rest),
                (_, false) => Phrase::Upper(incl, rest),
            });
        }
    }
    None
}

/// Reads a `version` value.
pub(super) fn phrase(v: &str) -> Phrase<'_> {
    let t = v.trim();
    let l = t.to_ascii_lowercase();
    if EVERYTHING.contains(&l.as_str()) {
        return Phrase::All;
    }
    if NOTHING.contains(&l.as_str()) {
        return Phrase::Nothing;
    }
    if let Some(p) = operators(t) {
        return p;
    }
    // ASCII lower-casing keeps byte offsets, so `t` can be sliced with them.
    if l.starts_with("next of ") {
        // CVE 4 → 5 conversion of `version_affected: ">"`.
        return Phrase::Lower(false, t[8..].trim());
    }
    if let Some(p) = BELOW.iter().find(|p| l.starts_with(*p)) {
        return Phrase::Upper(false, t[p.len()..].trim());
    }
    if let Some(p) = UP_TO.iter().find(|p| l.starts_with(*p)) {
        return Phrase::Upper(true, t[p.len()..].trim());
    }
    if let Some(p) = AND_BELOW.iter().find(|p| l.ends_with(*p)) {
        return Phrase::Upper(true, t[..t.len() - p.len()].trim());
    }
    if let Some(p) = AND_ABOVE.iter().find(|p| l.ends_with(*p)) {
        return Phrase::Lower(true, t[..t.len() - p.len()].trim());
    }
    for sep in [" through ", " to ", " - "] {
        if let Some(i) = l.find(sep) {
            let (a, b) = (single(&t[..i]), single(&t[i + sep.len()..]));
            if let (Phrase::Exact(a), Phrase::Exact(b)) = (a, b) {
                return Phrase::Between(a, b);
            }
        }
    }
    if t.contains([',', ';']) || l.contains(" and ") || l.contains(" or ") {
        let mut pieces = Vec::new();
        let mut rest = t;
        while !rest.is_empty() {
            let lr = rest.to_ascii_lowercase();
            let cut = [",", ";", " and ", " or "]
                .iter()
                .filter_map(|s| lr.find(s).map(|i| (i, s.len())))
                .min();
            let (piece, next) = match cut {
                Some((i, n)) => (&rest[..i], &rest[i + n..]),
                None => (rest, ""),
            };
            if !piece.trim().is_empty() {
                match phrase(piece) {
                    Phrase::Unreadable | Phrase::Nothing => return Phrase::Unreadable,
                    p => pieces.push(p),
                }
            }
            rest = next;
        }
        return Phrase::List(pieces);
    }
    single(t)
}

#[cfg(test)]
mod tests {
    use super::Phrase::*;
    use super::*;

    #[test]
    fn real_cna_phrases() {
        assert_eq!(phrase("All versions"), All);
        assert_eq!(phrase("n/a"), Nothing);
        assert_eq!(phrase("06.08.00.00 and prior"), Upper(true, "06.08.00.00"));
        assert_eq!(phrase("next of 2.0"), Lower(false, "2.0"));
        assert_eq!(phrase("prior to 012U000062"), Upper(false, "012U000062"));
        assert_eq!(phrase("<= 3.2"), Upper(true, "3.2"));
        assert_eq!(phrase("Firmware 4.2.1b"), Exact("4.2.1b"));
        assert_eq!(phrase("V3.1 SP2"), Exact("V3.1 SP2"));
        assert_eq!(phrase("versions 2.0 through 2.4"), Between("2.0", "2.4"));
        assert_eq!(
            phrase("ExactaMix EM2400 Versions 1.10, 1.11, ExactaMix EM1200 Versions 1.1"),
            List(vec![Exact("1.10"), Exact("1.11"), Exact("1.1")])
        );
        assert_eq!(
            phrase("WLAN Version A, Firmware A.03.09, Part #: M8096-67501 and WLAN Version B"),
            Unreadable
        );
        assert_eq!(phrase("see the vendor advisory"), Unreadable);
    }
}
