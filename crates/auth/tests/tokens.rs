//! API tokens: format, verification, expiry, revocation, scopes.

use std::collections::BTreeSet;

use medvigil_auth::token::{TOKEN_LEN, verify};
use medvigil_auth::{
    Action, Role, Token, TokenHash, TokenId, TokenParseError, TokenRecord, TokenRejection, allowed,
    effective_allowed,
};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use time::Duration;
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-03-01 09:00 UTC);

fn token(seed: u64) -> Token {
    Token::generate(&mut ChaCha20Rng::seed_from_u64(seed))
}

#[test]
fn generated_token_has_the_documented_format() {
    let text = token(1).expose();
    assert_eq!(text.len(), TOKEN_LEN);
    let rest = text.strip_prefix("mv_").unwrap();
    let (id, secret) = rest.split_once('_').unwrap();
    assert_eq!(id.len(), 12);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    assert_eq!(secret.len(), 64);
    assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(token(1).expose(), token(2).expose());
}

#[test]
fn debug_does_not_show_the_secret() {
    let t = token(1);
    let secret = t.expose().rsplit_once('_').unwrap().1.to_owned();
    assert!(!format!("{t:?}").contains(&secret));
}

#[test]
fn round_trip_and_verify() {
    let t = token(3);
    let parsed = Token::parse(&t.expose()).unwrap();
    assert_eq!(parsed, t);
    assert!(verify(&t.hash(), &parsed));
    let record = TokenRecord::new(&t, BTreeSet::new(), NOW, None);
    assert_eq!(record.authenticate(&parsed, NOW), Ok(()));
    assert_eq!(TokenHash::from_hex(&t.hash().to_hex()), Some(t.hash()));
    assert_eq!(TokenId::parse(t.id().as_str()).as_ref(), Some(t.id()));
}

#[test]
fn tampered_secret_is_rejected() {
    let t = token(4);
    let text = t.expose();
    let record = TokenRecord::new(&t, BTreeSet::new(), NOW, None);
    let last = text.as_bytes()[text.len() - 1];
    let flipped = if last == b'0' { '1' } else { '0' };
    let tampered = format!("{}{flipped}", &text[..text.len() - 1]);
    let tampered = Token::parse(&tampered).unwrap();
    assert!(!verify(&record.hash, &tampered));
    assert_eq!(
        record.authenticate(&tampered, NOW),
        Err(TokenRejection::Mismatch)
    );
    // Another token's secret under this id, or this secret under another id.
    let other = token(5);
    assert_eq!(
        record.authenticate(&other, NOW),
        Err(TokenRejection::Mismatch)
    );
}

#[test]
fn malformed_tokens_say_which_part() {
    let good = token(6).expose();
    let cases = [
        ("", TokenParseError::Length),
        (&good[..good.len() - 1], TokenParseError::Length),
        (&good.replacen("mv_", "mx_", 1), TokenParseError::Prefix),
        (&good.replacen("mv_", "mv-", 1), TokenParseError::Prefix),
        (&format!("mv_{}{}", "A", &good[4..]), TokenParseError::Id),
        (
            &format!("{}-{}", &good[..15], &good[16..]),
            TokenParseError::Id,
        ),
        (
            &format!("{}G", &good[..good.len() - 1]),
            TokenParseError::Secret,
        ),
        (
            &good.to_uppercase().replacen("MV_", "mv_", 1),
            TokenParseError::Id,
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(Token::parse(text), Err(expected), "{text}");
    }
    // Same length, multi-byte character across the id/secret split.
    let tricky = format!("mv_abcdefghijk\u{e9}{}", "0".repeat(64));
    assert_eq!(tricky.len(), TOKEN_LEN);
    assert!(Token::parse(&tricky).is_err());
}

#[test]
fn expiry_and_revocation() {
    let t = token(7);
    let expires = NOW + Duration::days(90);
    let mut record = TokenRecord::new(&t, BTreeSet::new(), NOW, Some(expires));
    assert_eq!(record.check(expires - Duration::seconds(1)), Ok(()));
    assert_eq!(
        record.check(expires),
        Err(TokenRejection::Expired { at: expires })
    );
    let revoked = NOW + Duration::days(1);
    record.revoked_at = Some(revoked);
    assert_eq!(
        record.check(NOW + Duration::days(2)),
        Err(TokenRejection::Revoked { at: revoked })
    );
    // Revocation wins over expiry.
    assert_eq!(
        record.check(expires + Duration::days(1)),
        Err(TokenRejection::Revoked { at: revoked })
    );
    let forever = TokenRecord::new(&t, BTreeSet::new(), NOW, None);
    assert_eq!(forever.check(NOW + Duration::days(36_500)), Ok(()));
}

#[test]
fn scopes_never_exceed_the_owner_role() {
    let every_action: BTreeSet<Action> = Action::ALL.into_iter().collect();
    for role in Role::ALL {
        for action in Action::ALL {
            assert_eq!(
                effective_allowed(role, &every_action, action),
                allowed(role, action),
                "{role} {action}"
            );
            assert!(!effective_allowed(role, &BTreeSet::new(), action));
        }
    }
    let record = TokenRecord::new(
        &token(8),
        [Action::ReadInventory, Action::WriteInventory].into(),
        NOW,
        None,
    );
    assert!(record.allows(Role::Biomed, Action::WriteInventory));
    assert!(!record.allows(Role::Auditor, Action::WriteInventory));
    assert!(!record.allows(Role::Biomed, Action::ReadFindings));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics(s in ".*") {
        let _ = Token::parse(&s);
    }

    #[test]
    fn parse_never_panics_on_near_tokens(id in "[a-z0-9_\u{e9}-]{0,14}", secret in "[0-9a-fA-F_\u{e9}]{0,66}") {
        let _ = Token::parse(&format!("mv_{id}_{secret}"));
    }

    #[test]
    fn every_generated_token_round_trips(seed in any::<u64>()) {
        let t = token(seed);
        let parsed = Token::parse(&t.expose());
        prop_assert_eq!(parsed.as_ref(), Ok(&t));
        prop_assert!(verify(&t.hash(), &t));
    }
}

#[test]
fn rejection_messages_show_rfc3339_times() {
    let at = datetime!(2026-06-01 12:30 UTC);
    assert_eq!(
        TokenRejection::Expired { at }.to_string(),
        "token expired at 2026-06-01T12:30:00Z"
    );
    assert_eq!(
        TokenRejection::Revoked { at }.to_string(),
        "token was revoked at 2026-06-01T12:30:00Z"
    );
}
