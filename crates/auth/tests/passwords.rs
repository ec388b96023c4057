//! Password hashing and the password policy.

use medvigil_auth::password_policy::common_passwords;
use medvigil_auth::{
    MIN_LENGTH, PasswordError, PasswordParams, PolicyViolation, check_password_policy,
    hash_password, needs_rehash, verify_password,
};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

const CHEAP: PasswordParams = PasswordParams::INSECURE_TEST_ONLY;

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(42)
}

#[test]
fn hash_verifies_the_right_password_only() {
    let hash = hash_password("correct horse battery", CHEAP, &mut rng()).unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{hash}");
    assert_eq!(verify_password("correct horse battery", &hash), Ok(true));
    assert_eq!(verify_password("correct horse battery ", &hash), Ok(false));
    assert_eq!(verify_password("", &hash), Ok(false));
}

#[test]
fn same_password_gets_different_salts() {
    let mut rng = rng();
    let a = hash_password("correct horse battery", CHEAP, &mut rng).unwrap();
    let b = hash_password("correct horse battery", CHEAP, &mut rng).unwrap();
    assert_ne!(a, b);
}

#[test]
fn default_parameters_are_owasp_minimum() {
    assert_eq!(PasswordParams::default(), PasswordParams::OWASP);
    let hash = hash_password(
        "correct horse battery",
        PasswordParams::default(),
        &mut rng(),
    )
    .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert_eq!(verify_password("correct horse battery", &hash), Ok(true));
    assert_eq!(needs_rehash(&hash, PasswordParams::OWASP), Ok(false));
}

#[test]
fn weaker_hashes_need_rehash_stronger_do_not() {
    let cheap = hash_password("correct horse battery", CHEAP, &mut rng()).unwrap();
    assert_eq!(needs_rehash(&cheap, CHEAP), Ok(false));
    assert_eq!(needs_rehash(&cheap, PasswordParams::OWASP), Ok(true));
    let more_passes = PasswordParams {
        iterations: 3,
        ..CHEAP
    };
    let stronger = hash_password("correct horse battery", more_passes, &mut rng()).unwrap();
    assert_eq!(needs_rehash(&stronger, CHEAP), Ok(false));
    assert_eq!(needs_rehash(&cheap, more_passes), Ok(true));
}

#[test]
fn other_argon2_variants_verify_but_need_rehash() {
    // A legacy argon2i hash must still log the user in, then be replaced.
    let argon2i = {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let params = argon2::Params::new(8, 1, 1, None).unwrap();
        let hasher =
            argon2::Argon2::new(argon2::Algorithm::Argon2i, argon2::Version::V0x13, params);
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        hasher
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string()
    };
    assert!(argon2i.starts_with("$argon2i$"));
    assert_eq!(verify_password("correct horse battery", &argon2i), Ok(true));
    assert_eq!(needs_rehash(&argon2i, CHEAP), Ok(true));
}

#[test]
fn malformed_hashes_are_errors_not_mismatches() {
    for stored in [
        "",
        "plaintext",
        "$argon2id$v=19$m=8,t=1,p=1$",
        "$2b$12$abcdefghijklmnopqrstuu5Z8a6Z7d3Z8a6Z7d3Z8a6Z7d3Z8a6Z7d3",
        "$pbkdf2-sha256$i=1000$c2FsdA$aGFzaA",
    ] {
        assert_eq!(
            verify_password("whatever-password", stored),
            Err(PasswordError::MalformedHash),
            "{stored}"
        );
    }
    assert_eq!(
        needs_rehash("plaintext", CHEAP),
        Err(PasswordError::MalformedHash)
    );
}

#[test]
fn invalid_parameters_are_refused() {
    let zero = PasswordParams {
        iterations: 0,
        ..CHEAP
    };
    assert_eq!(
        hash_password("correct horse battery", zero, &mut rng()),
        Err(PasswordError::InvalidParams(zero))
    );
}

#[test]
fn policy_rejections_say_why() {
    let cases: [(&str, PolicyViolation, &str); 6] = [
        (
            "short-pass",
            PolicyViolation::TooShort {
                length: 10,
                min: 12,
            },
            "password is too short: 10 characters, at least 12 are required",
        ),
        (
            &"x".repeat(257),
            PolicyViolation::TooLong {
                length: 257,
                max: 256,
            },
            "password is too long: 257 characters, at most 256 are allowed",
        ),
        (
            " Marie.Curie1867 ",
            PolicyViolation::SameAsUsername,
            "password must not be the user name",
        ),
        (
            "marie.curie@chu-example.fr",
            PolicyViolation::SameAsEmail,
            "password must not be the e-mail address",
        ),
        (
            "Password1234",
            PolicyViolation::Common,
            "password is one of the most commonly used passwords; choose another",
        ),
        (
            "QWERTYUIOP12",
            PolicyViolation::Common,
            "password is one of the most commonly used passwords; choose another",
        ),
    ];
    for (password, violation, message) in cases {
        let got = check_password_policy(
            password,
            "marie.curie1867",
            Some("Marie.Curie@chu-example.fr"),
        );
        assert_eq!(got, Err(violation.clone()), "{password}");
        assert_eq!(violation.to_string(), message);
    }
    assert_eq!(
        check_password_policy(
            "marie.curie",
            "someone-else",
            Some("marie.curie@chu-example.fr")
        )
        .unwrap_err(),
        PolicyViolation::TooShort {
            length: 11,
            min: 12
        }
    );
    assert_eq!(
        check_password_policy(
            "marie.curie.1867",
            "mc",
            Some("marie.curie.1867@chu-example.fr")
        ),
        Err(PolicyViolation::SameAsEmail)
    );
}

#[test]
fn policy_accepts_good_passwords_and_counts_characters() {
    for password in [
        "correct horse battery staple",
        "ventilator-ward-7-blue",
        // 12 characters, 24 bytes: length is in characters.
        "éèêëàâäîïôöù",
        &"y".repeat(256),
    ] {
        assert_eq!(
            check_password_policy(password, "marie", None),
            Ok(()),
            "{password}"
        );
    }
}

#[test]
fn common_password_list_is_clean() {
    let list: Vec<&str> = common_passwords().collect();
    assert!(list.len() >= 200, "{} entries", list.len());
    let mut seen = std::collections::HashSet::new();
    for p in &list {
        assert!(
            p.chars().count() >= MIN_LENGTH,
            "{p} is shorter than the minimum"
        );
        assert_eq!(*p, p.to_lowercase(), "{p} is not lowercase");
        assert!(seen.insert(*p), "{p} is listed twice");
    }
}
