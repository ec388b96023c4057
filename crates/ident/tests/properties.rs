//! Property tests: CPE parsing never panics and accepted names survive both
//! bindings; purl parsing never panics. (The same checks run as cargo-fuzz
//! targets in `crates/version/fuzz`.)

use medvigil_ident::cpe::{Attribute, Value, compare};
use medvigil_ident::{Cpe, Purl};
use proptest::prelude::*;

fn check(s: &str) -> Result<(), TestCaseError> {
    if let Ok(cpe) = Cpe::parse(s) {
        let fs = cpe.to_formatted_string();
        prop_assert_eq!(Cpe::parse(&fs).ok(), Some(cpe.clone()), "{} -> {}", s, fs);
        let uri = cpe.to_uri();
        prop_assert_eq!(Cpe::parse(&uri).ok(), Some(cpe.clone()), "{} -> {}", s, uri);
        let r = compare(&cpe, &cpe);
        let wild = cpe
            .values()
            .iter()
            .any(|v| v.as_str().is_some_and(|w| w.has_wildcards()));
        prop_assert_eq!(r.is_equal(), !wild);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn formatted_strings(
        part in r"[aoh*]",
        parts in prop::collection::vec(prop_oneof![
            3 => r"(\*|-|[a-z0-9_]{1,4})",
            1 => r"([a-z0-9_.~$!?*\\-]{1,6}|é|\\:)",
        ], 10),
    ) {
        check(&format!("cpe:2.3:{part}:{}", parts.join(":")))?;
    }

    #[test]
    fn uris(body in r"[aoh]?(:[a-z0-9_.~%*-]{0,6}){0,7}") {
        check(&format!("cpe:/{body}"))?;
    }

    #[test]
    fn any_text(s in r"(cpe:2\.3:|cpe:/|cpe:é|pkg:)?\PC{0,40}") {
        check(&s)?;
        let _ = Purl::parse(&s);
    }

    #[test]
    fn literal_values_match_themselves_only(text in r"[ -~]{1,12}") {
        let Ok(v) = Value::literal(&text) else { return Ok(()) };
        let mut a = Cpe::any();
        a.set(Attribute::Product, v).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(compare(&a, &a).is_equal());
        check(&a.to_formatted_string())?;
    }
}
