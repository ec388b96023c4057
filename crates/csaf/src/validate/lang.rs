//! Language tests: 6.1.12 (valid BCP 47 tag whose subtags exist in the IANA
//! registry), 6.1.15, 6.1.28, 6.2.12, 6.2.14, 6.2.15 (spec 3.1.7 `lang_t`).

use super::Ctx;
use crate::data::{GRANDFATHERED_TAGS, SubtagType, is_registered_subtag};
use crate::model::PublisherCategory;

/// What a well-formed tag looks like, for the tests that care.
#[derive(Debug, Default, PartialEq, Eq)]
struct TagInfo {
    private_use: bool,
}

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let d = &ctx.doc.document;
    for (field, value) in [("lang", &d.lang), ("source_lang", &d.source_lang)] {
        let Some(tag) = value else { continue };
        let at = format!("/document/{field}");
        match check(tag) {
            None => ctx.error(
                "6.1.12",
                &at,
                format!("{tag:?} is not a valid language tag"),
            ),
            Some(info) => {
                if info.private_use {
                    ctx.warning(
                        "6.2.14",
                        &at,
                        format!("{tag:?} uses subtags reserved for private use"),
                    );
                }
                if tag.eq_ignore_ascii_case("i-default") {
                    ctx.warning("6.2.15", &at, "the default language i-default is used");
                }
            }
        }
    }
    // 6.1.15 Translator
    if d.publisher.category == PublisherCategory::Translator
        && d.source_lang.as_deref().is_none_or(str::is_empty)
    {
        ctx.error(
            "6.1.15",
            "/document/source_lang",
            "a translator must give the source language",
        );
    }
    // 6.1.28 Translation
    if let (Some(lang), Some(source)) = (&d.lang, &d.source_lang)
        && lang.eq_ignore_ascii_case(source)
    {
        ctx.error(
            "6.1.28",
            "/document/source_lang",
            "source language and document language are the same",
        );
    }
    // 6.2.12 Missing Document Language
    if d.lang.as_deref().is_none_or(str::is_empty) {
        ctx.warning("6.2.12", "/document", "the document language is not given");
    }
}

fn alpha(s: &str, lens: std::ops::RangeInclusive<usize>) -> bool {
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn alnum(s: &str, lens: std::ops::RangeInclusive<usize>) -> bool {
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Checks a tag against RFC 5646 section 2.1 and the registry; `None` when invalid.
fn check(tag: &str) -> Option<TagInfo> {
    let lower = tag.to_ascii_lowercase();
    if GRANDFATHERED_TAGS.contains(&lower.as_str()) {
        return Some(TagInfo::default());
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    let mut info = TagInfo::default();
    let mut i = 0;
    let first = *subtags.first()?;
    if first == "x" {
        return private_section(&subtags[1..]).then_some(TagInfo { private_use: true });
    }
    // language
    if alpha(first, 2..=3) {
        if is_private_language(first) {
            info.private_use = true;
        } else if !is_registered_subtag(SubtagType::Language, first) {
            return None;
        }
        i += 1;
        // up to three extlang subtags
        let mut ext = 0;
        while ext < 3 && subtags.get(i).is_some_and(|s| alpha(s, 3..=3)) {
            if !is_registered_subtag(SubtagType::Extlang, subtags[i]) {
                return None;
            }
            i += 1;
            ext += 1;
        }
    } else if alpha(first, 5..=8) {
        if !is_registered_subtag(SubtagType::Language, first) {
            return None;
        }
        i += 1;
    } else {
        return None;
    }
    // script
    if let Some(s) = subtags.get(i).filter(|s| alpha(s, 4..=4)) {
        if is_private_script(s) {
            info.private_use = true;
        } else if !is_registered_subtag(SubtagType::Script, s) {
            return None;
        }
        i += 1;
    }
    // region
    if let Some(s) = subtags
        .get(i)
        .filter(|s| alpha(s, 2..=2) || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())))
    {
        if is_private_region(s) {
            info.private_use = true;
        } else if !is_registered_subtag(SubtagType::Region, s) {
            return None;
        }
        i += 1;
    }
    // variants
    while let Some(s) = subtags.get(i).filter(|s| {
        alnum(s, 5..=8) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit() && alnum(s, 4..=4))
    }) {
        if !is_registered_subtag(SubtagType::Variant, s) {
            return None;
        }
        i += 1;
    }
    // extensions
    while let Some(s) = subtags
        .get(i)
        .filter(|s| s.len() == 1 && *s != &"x" && alnum(s, 1..=1))
    {
        let _ = s;
        i += 1;
        let start = i;
        while subtags.get(i).is_some_and(|s| alnum(s, 2..=8)) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    // private use
    if subtags.get(i) == Some(&"x") {
        if !private_section(&subtags[i + 1..]) {
            return None;
        }
        info.private_use = true;
        i = subtags.len();
    }
    (i == subtags.len()).then_some(info)
}

fn private_section(rest: &[&str]) -> bool {
    !rest.is_empty() && rest.iter().all(|s| alnum(s, 1..=8))
}

/// `qaa`..`qtz` (RFC 5646 section 2.2.1).
fn is_private_language(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3 && b[0] == b'q' && (b'a'..=b't').contains(&b[1])
}

/// `Qaaa`..`Qabx` (RFC 5646 section 2.2.3).
fn is_private_script(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4 && b[0] == b'q' && b[1] == b'a' && (b[2] == b'a' || (b[2] == b'b' && b[3] <= b'x'))
}

/// `AA`, `QM`..`QZ`, `XA`..`XZ`, `ZZ` (RFC 5646 section 2.2.4).
fn is_private_region(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 2 && (s == "aa" || s == "zz" || (b[0] == b'q' && b[1] >= b'm') || b[0] == b'x')
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn tags() {
        assert!(check("en").is_some());
        assert!(check("de-DE").is_some());
        assert!(check("EZ").is_none());
        assert!(check("en-x-private").is_some_and(|i| i.private_use));
        assert!(check("qtx").is_some_and(|i| i.private_use));
        assert!(check("i-default").is_some());
        assert!(check("zh-Hant-TW").is_some());
        assert!(check("en-").is_none());
    }
}
