use super::*;

fn contains(t: &str, v: &str) -> bool {
    match parse(t) {
        RangeText::All => true,
        RangeText::Range(r) => r.contains_str(clean_version(v)).unwrap_or(false),
        RangeText::Unparsed => panic!("{t:?} unparsed"),
    }
}

#[test]
fn cisa_forms() {
    assert_eq!(parse("vers:all/*"), RangeText::All);
    assert_eq!(parse("All versions"), RangeText::All);
    assert!(contains("<= 2.3.6", "2.3.6"));
    assert!(!contains("<= 2.3.6", "2.3.7"));
    assert!(contains("<3.2", "3.1.9"));
    assert!(!contains("< 3.2", "3.2"));
    assert!(contains(">= 1.0.0  | <= 1.3.1", "1.2"));
    assert!(!contains(">= 1.0.0 | <= 1.3.1", "1.4"));
    assert!(!contains(">= 1.0.0 | <= 1.3.1", "0.9"));
    assert!(contains("5.0|5.1", "5.1"));
    assert!(!contains("5.0|5.1", "5.2"));
    assert!(contains("14.1.x", "14.1.7"));
    assert!(!contains("14.1.x", "14.2"));
    assert!(contains("<= 12.2.x.x", "12.2.9.1"));
    assert!(!contains("<= 12.2.x.x", "12.3"));
    assert!(contains("< 3.x", "2.9"));
    assert!(!contains("< 3.x", "3.0.1"));
    assert!(contains("3.6 and prior", "3.6"));
    assert!(contains("2.3.6 and  below", "1.0"));
    assert!(contains("versions prior to 3.2", "3.1"));
    assert!(!contains("versions prior to 3.2", "3.2"));
    assert!(contains("<= v20D32", "v20D31"));
    assert!(contains("vers:generic/>=1.0|<2.0", "1.5"));
}

#[test]
fn free_text_stays_unparsed() {
    for t in [
        "distributed  < april 1, 2018",
        "<=N",
        "<= U61 |<= L81",
        "Rev B-M",
        "A10 < A11",
        "v6.x (with Wireless Battery Modules v9 | v11)",
        "<=11.2 on Windows 8.1 with IIS 7.5",
        "",
        "vers:",
    ] {
        assert_eq!(parse(t), RangeText::Unparsed, "{t:?}");
    }
}
