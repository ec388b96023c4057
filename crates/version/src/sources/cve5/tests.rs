use super::*;

fn entry(version: &str, status: Status) -> Cve5Version<'_> {
    Cve5Version {
        version,
        status,
        version_type: None,
        less_than: None,
        less_than_or_equal: None,
        changes: Vec::new(),
    }
}

#[test]
fn all_versions_phrase() -> Result<(), RangeError> {
    let (r, notes) = from_versions(
        Some(Status::Unaffected),
        &[entry("All versions", Status::Affected)],
    )?;
    assert!(r.affected.is_all());
    assert!(r.unaffected.is_empty());
    assert_eq!(notes.len(), 1);
    Ok(())
}

#[test]
fn less_than_with_changes() -> Result<(), RangeError> {
    let mut e = entry("2.0", Status::Affected);
    e.version_type = Some("semver");
    e.version = "2.0.0";
    e.less_than = Some("2.5.0");
    e.changes = vec![("2.3.1", Status::Unaffected)];
    let (r, notes) = from_versions(Some(Status::Unaffected), &[e])?;
    assert!(notes.is_empty());
    assert_eq!(r.affected.to_string(), "vers:semver/>=2.0.0|<2.3.1");
    assert!(r.unaffected.contains_str("2.4.0")?);
    assert!(r.unaffected.contains_str("1.0.0")?);
    Ok(())
}

#[test]
fn falls_back_to_generic_and_reads_phrases() -> Result<(), RangeError> {
    let mut e = entry("0", Status::Affected);
    e.version_type = Some("semver");
    e.less_than_or_equal = Some("4.2");
    let (r, notes) = from_versions(None, &[e, entry("prior to 1.0", Status::Unaffected)])?;
    assert!(matches!(
        notes.first(),
        Some(Cve5Note::FellBackToGeneric { .. })
    ));
    assert_eq!(r.affected.to_string(), "vers:generic/<=4.2");
    assert!(r.unknown.contains_str("5")?);
    let (r, _) = from_versions(None, &[entry("3.1 and earlier", Status::Affected)])?;
    assert_eq!(r.affected.to_string(), "vers:generic/<=3.1");
    Ok(())
}
