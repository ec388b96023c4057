//! Arbitrary rule text never panics the loader, and whatever loads can be
//! evaluated (property test; the fuzz target `rules` does the same with
//! coverage guidance).

use proptest::prelude::*;

use medvigil_fingerprint::{Catalog, Field};

/// Fragments that steer generated text towards the rule grammar.
fn fragment() -> impl Strategy<Value = String> {
    let field = proptest::sample::select(Field::ALL.to_vec()).prop_map(|f| f.name().to_owned());
    prop_oneof![
        Just("[[rule]]\n".to_owned()),
        "[a-z_]{1,8}".prop_map(|k| format!("id = \"{k}\"\n")),
        (field.clone(), ".{0,12}").prop_map(|(f, v)| format!("when.{f} = {v:?}\n")),
        (field.clone(), "[()\\[\\]a-z.*+?$^\\\\{}0-9]{0,12}")
            .prop_map(|(f, v)| format!("when.{f} = 'regex:{v}'\n")),
        (field, ".{0,8}", any::<bool>())
            .prop_map(|(f, v, i)| format!("when.{f} = {{ prefix = {v:?}, ignore_case = {i} }}\n")),
        "[$0-9a-z ]{0,8}".prop_map(|v| format!("then.software = {v:?}\n")),
        "[a-z-]{0,16}".prop_map(|v| format!("then.category = {v:?}\n")),
        any::<i64>().prop_map(|c| format!("confidence = {c}\n")),
        (0u8..=100).prop_map(|c| format!("confidence = {c}\n")),
        ".{0,20}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = Catalog::from_toml(&text);
    }

    #[test]
    fn rule_shaped_text_never_panics(parts in proptest::collection::vec(fragment(), 0..24)) {
        let text = parts.concat();
        if let Ok(c) = Catalog::from_toml(&text) {
            let _ = c.identify(&[]);
            let merged = Catalog::builtin().map(|b| b.merge(c));
            prop_assert!(merged.is_ok());
        }
    }
}
