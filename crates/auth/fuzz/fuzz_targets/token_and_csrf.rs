//! Credentials as clients present them (`Authorization: Bearer`, the
//! session cookie, `X-CSRF-Token`): any text reads without panicking; a
//! token that parses writes back to the same text; a CSRF token verifies
//! only when it is the session's own.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medvigil_auth::{CsrfKey, SessionId, Token, csrf_token, verify_csrf};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(token) = Token::parse(text) {
        assert_eq!(token.expose(), text);
    }
    let key = CsrfKey::from_bytes([0x5a; 32]);
    let Some(session) = SessionId::parse(&"A".repeat(43)) else {
        return;
    };
    if verify_csrf(&key, &session, text) {
        assert_eq!(text, csrf_token(&key, &session));
    }
    if let Some(id) = SessionId::parse(text) {
        assert_eq!(id.encode(), text);
        let own = csrf_token(&key, &id);
        assert!(verify_csrf(&key, &id, &own));
        assert!(!verify_csrf(&key, &session, &own) || id == session);
    }
});
