//! File and folder sources against the corpora's real CISA ICSMA documents
//! (with CISA's own `.sha512` and `.asc`), and configuration errors.

mod support;

use medvigil_feeds::{
    DocFailure, FeedConfig, FeedError, FeedSource, SignatureStatus, signature_issuer, sync,
};
use std::collections::BTreeSet;
use support::test_key;

fn folder_config(dir: &std::path::Path) -> FeedConfig {
    FeedConfig::new("icsma", FeedSource::Folder(dir.to_owned()))
}

#[test]
fn real_cisa_signatures_name_their_issuer() {
    let Some(docs) = support::corpus_docs() else {
        return;
    };
    let mut issuers = BTreeSet::new();
    for (doc, _) in &docs {
        let mut asc = doc.clone().into_os_string();
        asc.push(".asc");
        let bytes = std::fs::read(asc).unwrap();
        let issuer = signature_issuer(&bytes).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        assert!(issuer.best().is_some(), "{}", doc.display());
        issuers.insert((issuer.fingerprints.clone(), issuer.key_ids.clone()));
    }
    // One key signs all of CISA's documents.
    assert_eq!(issuers.len(), 1, "{issuers:?}");
    let (fps, ids) = issuers.into_iter().next().unwrap();
    assert_eq!(fps, ["144AED0A57BE7D4AE835D9D8CAC5AC4F74164B17"]);
    assert_eq!(ids, ["CAC5AC4F74164B17"]);
    assert!(
        signature_issuer(b"-----BEGIN PGP SIGNATURE-----\n\nnope\n-----END PGP SIGNATURE-----\n")
            .is_err()
    );
    assert!(signature_issuer(b"").is_err());
}

#[test]
fn folder_of_real_advisories_checks_cisa_hashes_and_is_incremental() {
    let Some(dir) = medvigil_testkit::corpus("csaf/cisa-icsma") else {
        return;
    };
    let mirror = tempfile::tempdir().unwrap();
    let c = folder_config(&dir);
    let first = sync(&c, mirror.path(), &mut |_| {}).unwrap();
    assert_eq!(first.failed, []);
    assert_eq!(first.new.len(), 134);
    for d in &first.new {
        assert_eq!(
            d.hash_checked,
            Some(medvigil_feeds::formats::HashAlgorithm::Sha512)
        );
        assert_eq!(d.signature, SignatureStatus::NoKeyConfigured);
        assert!(d.path.starts_with(mirror.path()));
        assert!(d.path.is_file());
    }
    let second = sync(&c, mirror.path(), &mut |_| {}).unwrap();
    assert_eq!((second.new.len(), second.changed.len()), (0, 0));
    assert_eq!(second.unchanged, 134);
}

#[test]
fn real_cisa_signatures_do_not_verify_against_the_test_key() {
    let Some(dir) = medvigil_testkit::corpus("csaf/cisa-icsma/2017") else {
        return;
    };
    let mirror = tempfile::tempdir().unwrap();
    let mut c = folder_config(&dir);
    c.keys = vec![test_key().armored_public.clone()];
    let cisa = Some("144AED0A57BE7D4AE835D9D8CAC5AC4F74164B17".to_owned());
    let lenient = sync(&c, mirror.path(), &mut |_| {}).unwrap();
    assert_eq!(lenient.failed, []);
    assert_eq!(lenient.new.len(), 16);
    for d in &lenient.new {
        assert_eq!(
            d.signature,
            SignatureStatus::UnknownKey {
                issuer: cisa.clone()
            }
        );
    }
    c.require_signature = true;
    let strict = sync(&c, tempfile::tempdir().unwrap().path(), &mut |_| {}).unwrap();
    assert_eq!(strict.new.len(), 0);
    assert_eq!(strict.failed.len(), 16);
    for (_, f) in &strict.failed {
        assert_eq!(
            *f,
            DocFailure::SignatureUnknownKey {
                issuer: cisa.clone()
            }
        );
    }
}

#[test]
fn single_file_change_name_and_shape() {
    let Some(dir) = medvigil_testkit::corpus("csaf/cisa-icsma/2023") else {
        return;
    };
    let src = tempfile::tempdir().unwrap();
    let mirror = tempfile::tempdir().unwrap();
    let name = "icsma-23-047-01.json";
    let original = std::fs::read(dir.join(name)).unwrap();
    let file = src.path().join(name);
    std::fs::write(&file, &original).unwrap();
    let c = FeedConfig::new("one", FeedSource::File(file.clone()));
    let r = sync(&c, mirror.path(), &mut |_| {}).unwrap();
    assert_eq!((r.new.len(), r.failed.len()), (1, 0));
    assert_eq!(r.new[0].tracking_id, "ICSMA-23-047-01");
    assert_eq!(r.new[0].hash_checked, None);
    assert_eq!(r.new[0].signature, SignatureStatus::Unsigned);
    assert_eq!(sync(&c, mirror.path(), &mut |_| {}).unwrap().unchanged, 1);

    let mut edited = original.clone();
    edited.push(b'\n');
    std::fs::write(&file, &edited).unwrap();
    let r = sync(&c, mirror.path(), &mut |_| {}).unwrap();
    assert_eq!(r.changed.len(), 1);
    assert_eq!(std::fs::read(&r.changed[0].path).unwrap(), edited);

    // CISA's hash file beside it: the edited bytes no longer match it.
    // (Change detection is by the document's digest: a new side file alone
    // is not a change.)
    std::fs::copy(
        dir.join(format!("{name}.sha512")),
        src.path().join(format!("{name}.sha512")),
    )
    .unwrap();
    edited.push(b'\n');
    std::fs::write(&file, &edited).unwrap();
    let r = sync(&c, mirror.path(), &mut |_| {}).unwrap();
    assert!(
        matches!(r.failed[..], [(_, DocFailure::HashMismatch { .. })]),
        "{:?}",
        r.failed
    );
    std::fs::write(&file, &original).unwrap();
    let r = sync(&c, mirror.path(), &mut |_| {}).unwrap();
    assert_eq!((r.changed.len(), r.failed.len()), (1, 0));

    let wrong = src.path().join("renamed.json");
    std::fs::write(&wrong, &original).unwrap();
    let r = sync(
        &FeedConfig::new("wrong", FeedSource::File(wrong)),
        mirror.path(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        r.failed[0].1,
        DocFailure::WrongFileName {
            expected: name.to_owned(),
            actual: "renamed.json".to_owned()
        }
    );

    let feed = src.path().join("feed.json");
    std::fs::write(&feed, br#"{"feed": {"id": "x", "entry": []}}"#).unwrap();
    let r = sync(
        &FeedConfig::new("feed", FeedSource::File(feed)),
        mirror.path(),
        &mut |_| {},
    )
    .unwrap();
    assert!(
        matches!(r.failed[0].1, DocFailure::NotCsaf { .. }),
        "{:?}",
        r.failed
    );
}

#[test]
fn unusable_configurations_are_refused_before_any_request() {
    let mirror = tempfile::tempdir().unwrap();
    let mut c = FeedConfig::new(
        "x",
        FeedSource::Provider("http://example.invalid/p.json".into()),
    );
    assert!(matches!(
        sync(&c, mirror.path(), &mut |_| {}),
        Err(FeedError::BadSource { .. })
    ));
    c.source = FeedSource::Provider("not a domain".into());
    assert!(matches!(
        sync(&c, mirror.path(), &mut |_| {}),
        Err(FeedError::BadSource { .. })
    ));
    c.require_signature = true;
    assert!(matches!(
        sync(&c, mirror.path(), &mut |_| {}),
        Err(FeedError::NoKeys { .. })
    ));
    c.keys = vec![
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n-----END PGP PUBLIC KEY BLOCK-----\n".into(),
    ];
    assert!(matches!(
        sync(&c, mirror.path(), &mut |_| {}),
        Err(FeedError::InvalidKey { index: 0, .. })
    ));
    assert!(matches!(
        sync(
            &FeedConfig::new("x", FeedSource::Folder(mirror.path().join("absent"))),
            mirror.path(),
            &mut |_| {}
        ),
        Err(FeedError::Io { .. })
    ));
}
