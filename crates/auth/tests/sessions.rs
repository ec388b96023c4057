//! Sessions, CSRF tokens, the session cookie and the security headers.

use medvigil_auth::{
    CSRF_TOKEN_LEN, CsrfKey, Session, SessionConfig, SessionHash, SessionId, SessionRejection,
    Transport, clear_session_cookie, csrf_token, security_headers, session_cookie,
    session_cookie_name, verify_csrf,
};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use time::Duration;
use time::macros::datetime;

const LOGIN: time::OffsetDateTime = datetime!(2026-03-01 07:00 UTC);

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

#[test]
fn session_ids_are_256_bit_base64url_and_stored_hashed() {
    let (id, session) = Session::start(&mut rng(1), LOGIN);
    let text = id.encode();
    assert_eq!(text.len(), 43);
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(SessionId::parse(&text), Some(id.clone()));
    assert_eq!(session.hash, id.hash());
    assert_ne!(session.hash.to_hex(), text);
    assert_eq!(
        SessionHash::from_hex(&session.hash.to_hex()),
        Some(session.hash)
    );
    assert!(!format!("{id:?}").contains(&text));
    for bad in [
        "",
        "short",
        &format!("{text}A"),
        &text.replace(&text[..1], "+"),
    ] {
        assert_eq!(SessionId::parse(bad), None, "{bad}");
    }
}

#[test]
fn idle_timeout_and_absolute_lifetime() {
    let config = SessionConfig::default();
    let (_, mut session) = Session::start(&mut rng(2), LOGIN);
    let idle_end = LOGIN + Duration::minutes(30);
    assert_eq!(
        session.check(idle_end - Duration::seconds(1), &config),
        Ok(())
    );
    assert_eq!(
        session.check(idle_end, &config),
        Err(SessionRejection::Idle { since: LOGIN })
    );
    // Activity every 20 minutes keeps it alive until the absolute end.
    let mut t = LOGIN;
    let end = LOGIN + Duration::hours(12);
    while t + Duration::minutes(20) < end {
        t += Duration::minutes(20);
        assert_eq!(session.check(t, &config), Ok(()), "{t}");
        session.touch(t);
    }
    assert_eq!(
        session.check(end, &config),
        Err(SessionRejection::Expired { at: end })
    );
}

#[test]
fn rotation_changes_the_id_not_the_lifetime() {
    let config = SessionConfig::default();
    let (old_id, session) = Session::start(&mut rng(3), LOGIN);
    let later = LOGIN + Duration::hours(2);
    let (new_id, rotated) = session.rotate(&mut rng(4), later);
    assert_ne!(new_id, old_id);
    assert_ne!(rotated.hash, session.hash);
    assert_eq!(rotated.hash, new_id.hash());
    assert_eq!(rotated.created_at, LOGIN);
    assert_eq!(rotated.last_seen_at, later);
    assert_eq!(
        rotated.check(LOGIN + Duration::hours(12), &config),
        Err(SessionRejection::Expired {
            at: LOGIN + Duration::hours(12)
        })
    );
}

#[test]
fn csrf_token_is_bound_to_session_and_key() {
    let mut rng = rng(5);
    let key = CsrfKey::generate(&mut rng);
    let other_key = CsrfKey::generate(&mut rng);
    let (id, _) = Session::start(&mut rng, LOGIN);
    let (other_id, _) = Session::start(&mut rng, LOGIN);
    let token = csrf_token(&key, &id);
    assert_eq!(token.len(), CSRF_TOKEN_LEN);
    assert_eq!(token, csrf_token(&key, &id), "deterministic");
    assert!(verify_csrf(&key, &id, &token));
    assert!(!verify_csrf(&key, &other_id, &token), "other session");
    assert!(!verify_csrf(&other_key, &id, &token), "other key");
    assert!(!verify_csrf(&key, &id, ""));
    assert!(!verify_csrf(&key, &id, &token[..42]));
    let mut flipped = token.clone().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    assert!(!verify_csrf(
        &key,
        &id,
        &String::from_utf8(flipped).unwrap()
    ));
    assert!(!format!("{key:?}").contains(&token));
}

#[test]
fn known_csrf_value() {
    // HMAC-SHA256(key = 32 × 0x0b, "medvigil-csrf-v1\0" || 32 × 0x00):
    // pins the construction so that a change is deliberate (tokens in open
    // browser tabs would stop working).
    let key = CsrfKey::from_bytes([0x0b; 32]);
    let id = SessionId::parse(&"A".repeat(43)).unwrap();
    assert_eq!(csrf_token(&key, &id), KNOWN_CSRF);
}

/// Computed independently: Python's `hmac` and `base64.urlsafe_b64encode`.
const KNOWN_CSRF: &str = "11qV_vmcK3oxZZmtLiD63T4xHyqCpvE3ZHqD6KfeBl8";

#[test]
fn session_cookie_attributes() {
    let id = SessionId::parse(&"A".repeat(43)).unwrap();
    assert_eq!(
        session_cookie(&id, Transport::Https),
        format!(
            "__Host-medvigil_session={}; Path=/; Secure; HttpOnly; SameSite=Strict",
            "A".repeat(43)
        )
    );
    assert_eq!(
        session_cookie(&id, Transport::PlainHttpLocalhostDev),
        format!(
            "medvigil_session={}; Path=/; HttpOnly; SameSite=Strict",
            "A".repeat(43)
        )
    );
    assert_eq!(
        clear_session_cookie(Transport::Https),
        "__Host-medvigil_session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict"
    );
    assert_eq!(Transport::default(), Transport::Https);
    assert_eq!(
        session_cookie_name(Transport::Https),
        "__Host-medvigil_session"
    );
}

#[test]
fn security_headers_hsts_only_over_https() {
    let https = security_headers(Transport::Https);
    let get = |name: &str| https.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    assert_eq!(
        get("Content-Security-Policy"),
        Some(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
    );
    assert_eq!(get("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(get("Referrer-Policy"), Some("no-referrer"));
    assert_eq!(get("X-Frame-Options"), Some("DENY"));
    assert_eq!(get("Cross-Origin-Opener-Policy"), Some("same-origin"));
    assert!(get("Permissions-Policy").is_some_and(|v| v.contains("camera=()")));
    assert_eq!(
        get("Strict-Transport-Security"),
        Some("max-age=63072000; includeSubDomains")
    );
    let plain = security_headers(Transport::PlainHttpLocalhostDev);
    assert_eq!(plain.len(), https.len() - 1);
    assert!(plain.iter().all(|(n, _)| *n != "Strict-Transport-Security"));
    // Header names are unique and every value is a valid header value.
    let mut names: Vec<_> = https.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), https.len());
    for (_, v) in &https {
        assert!(v.bytes().all(|b| b == b' ' || b.is_ascii_graphic()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn csrf_verify_and_session_parse_never_panic(s in ".*", seed in any::<u64>()) {
        let key = CsrfKey::from_bytes([7; 32]);
        let id = SessionId::generate(&mut rng(seed));
        prop_assert!(!verify_csrf(&key, &id, &s) || s == csrf_token(&key, &id));
        if let Some(parsed) = SessionId::parse(&s) {
            prop_assert_eq!(parsed.encode(), s);
        }
    }
}
