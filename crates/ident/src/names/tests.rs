use super::*;

#[test]
fn normalises_names() {
    assert_eq!(
        normalize_name("Becton, Dickinson and Company (BD)"),
        "becton dickinson and bd"
    );
    assert_eq!(normalize_name("Dräger"), normalize_name("Draeger"));
    assert_eq!(normalize_name("B. Braun Melsungen AG"), "b braun melsungen");
    assert_eq!(normalize_name("Medtronic "), "medtronic");
    assert_eq!(normalize_name("AG"), "ag");
    // Found in ICSMA advisories: UTF-8 read as Latin-1.
    assert_eq!(
        normalize_name("Innokas YhtymÃ¤ Oy"),
        normalize_name("Innokas Yhtymä Oy")
    );
    assert_eq!(normalize_name("Ã"), "a");
}

#[test]
fn builtin_table_resolves_mergers() -> Result<(), AliasError> {
    let t = VendorAliases::builtin()?;
    let cases = [
        ("CareFusion", "BD"),
        ("Becton, Dickinson and Company (BD)", "BD"),
        ("Hospira", "ICU Medical"),
        ("Covidien", "Medtronic"),
        ("Philips Healthcare", "Philips"),
        ("Phillips", "Philips"),
        ("GE Healthcare", "GE HealthCare"),
        ("General Electric (GE)", "GE HealthCare"),
        ("GE Medical Systems", "GE HealthCare"),
        ("Siemens Medical Solutions", "Siemens Healthineers"),
        ("Draeger", "Dräger"),
        ("Hill-Rom", "Hillrom"),
        ("St. Jude Medical", "Abbott"),
        ("B. Braun Medical", "B. Braun"),
        ("Natus Medical, Inc. (Natus)", "Natus"),
        ("Innokas Yhtymä Oy", "Innokas"),
    ];
    for (name, want) in cases {
        assert_eq!(t.lookup(name).map(|m| m.canonical), Some(want), "{name}");
    }
    assert_eq!(t.lookup("Philips").map(|m| m.via_alias), Some(false));
    assert_eq!(t.owners("Welch Allyn"), ["Hillrom", "Baxter"]);
    assert!(t.same_vendor("Baxter International Inc.", "Baxter"));
    assert!(!t.same_vendor("Siemens", "Siemens Healthineers"));
    assert_eq!(t.canonical("Unknown Devices GmbH"), "unknown devices");
    Ok(())
}

#[test]
fn rejects_bad_tables() {
    assert!(VendorAliases::from_toml("vendor = 3").is_err());
    let twice = "[[vendor]]\ncanonical = \"A\"\naliases = [\"X\"]\n[[vendor]]\ncanonical = \"B\"\naliases = [\"x\"]\n";
    assert!(VendorAliases::from_toml(twice).is_err());
    let orphan = "[[vendor]]\ncanonical = \"A\"\nparent = \"Nobody\"\n";
    assert!(VendorAliases::from_toml(orphan).is_err());
}

#[test]
fn product_names_lose_their_vendor_prefix() -> Result<(), AliasError> {
    let t = VendorAliases::builtin()?;
    assert_eq!(
        t.normalize_product("Philips", "Philips IntelliVue MX40"),
        "intellivue mx40"
    );
    assert_eq!(
        t.normalize_product("Becton, Dickinson and Company (BD)", "BD Alaris PC Unit"),
        "alaris pc unit"
    );
    assert_eq!(
        t.normalize_product("Medtronic", "MiniMed 780G"),
        "minimed 780g"
    );
    assert_eq!(
        t.normalize_product("Contec Health", "CMS8000 Patient Monitor"),
        "cms8000 patient monitor"
    );
    assert_eq!(t.normalize_product("Philips", "Philips"), "philips");
    Ok(())
}
