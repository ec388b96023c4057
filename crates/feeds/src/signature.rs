//! Detached OpenPGP signatures (`.asc`, spec 7.1.19, requirement 19) and
//! the configured keys that may make them.

use pgp::composed::{Deserializable, DetachedSignature, SignedPublicKey};
use pgp::types::KeyDetails;

/// Who made a signature, as the signature says (issuer subpackets).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct SignatureIssuer {
    /// Issuer fingerprints (upper-case hex).
    pub fingerprints: Vec<String>,
    /// Issuer key ids (upper-case hex, 16 digits).
    pub key_ids: Vec<String>,
}

impl SignatureIssuer {
    /// The most specific name of the issuer: a fingerprint, else a key id.
    pub fn best(&self) -> Option<String> {
        self.fingerprints.first().or(self.key_ids.first()).cloned()
    }
}

/// Why bytes are not a detached OpenPGP signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an OpenPGP signature: {reason}")]
#[non_exhaustive]
pub struct SignatureError {
    /// What the OpenPGP parser said.
    pub reason: String,
}

/// Reads an armored (or binary) detached signature and names its issuer;
/// checks nothing.
///
/// # Errors
/// [`SignatureError`] when the bytes are not one OpenPGP signature.
pub fn signature_issuer(bytes: &[u8]) -> Result<SignatureIssuer, SignatureError> {
    parse_signature(bytes).map(|s| issuer(&s))
}

fn parse_signature(bytes: &[u8]) -> Result<DetachedSignature, SignatureError> {
    let err = |e: pgp::errors::Error| SignatureError {
        reason: e.to_string(),
    };
    if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        DetachedSignature::from_armor_single(bytes)
            .map(|(s, _)| s)
            .map_err(err)
    } else {
        DetachedSignature::from_bytes(bytes).map_err(err)
    }
}

fn issuer(sig: &DetachedSignature) -> SignatureIssuer {
    SignatureIssuer {
        fingerprints: sig
            .signature
            .issuer_fingerprint()
            .iter()
            .map(|f| hex_upper(f.as_ref()))
            .collect(),
        key_ids: sig
            .signature
            .issuer_key_id()
            .iter()
            .map(|k| hex_upper(k.as_ref()))
            .collect(),
    }
}

/// The primary fingerprint (upper-case hex) of an armored OpenPGP public key.
///
/// # Errors
/// [`SignatureError`] when the text is not an OpenPGP public key.
pub fn public_key_fingerprint(armored: &str) -> Result<String, SignatureError> {
    let (key, _) = SignedPublicKey::from_string(armored).map_err(|e| SignatureError {
        reason: e.to_string(),
    })?;
    Ok(hex_upper(key.fingerprint().as_ref()))
}

fn hex_upper(bytes: &[u8]) -> String {
    crate::formats::hashfile_hex(bytes).to_ascii_uppercase()
}

/// What checking a signature against the keyring found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SigCheck {
    /// Made by this key (primary fingerprint, upper-case hex).
    Verified { fingerprint: String },
    /// Made by a key that is not configured.
    UnknownKey { issuer: Option<String> },
    /// Claims a configured key but does not verify, or does not parse.
    Invalid {
        issuer: Option<String>,
        reason: String,
    },
}

/// The configured trusted keys of a feed.
#[derive(Debug, Default)]
pub(crate) struct Keyring {
    keys: Vec<SignedPublicKey>,
}

impl Keyring {
    /// Reads armored public keys; checks their self-signatures.
    pub(crate) fn from_armored(keys: &[String]) -> Result<Self, (usize, String)> {
        let keys = keys
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let (key, _) =
                    SignedPublicKey::from_string(text).map_err(|e| (i, e.to_string()))?;
                key.verify_bindings().map_err(|e| (i, e.to_string()))?;
                Ok(key)
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { keys })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Checks a detached signature over `data`.
    pub(crate) fn check(&self, data: &[u8], signature: &[u8]) -> SigCheck {
        let sig = match parse_signature(signature) {
            Ok(s) => s,
            Err(e) => {
                return SigCheck::Invalid {
                    issuer: None,
                    reason: e.reason,
                };
            }
        };
        let who = issuer(&sig);
        let names = |fp: &[u8], id: &[u8]| {
            let (fp, id) = (hex_upper(fp), hex_upper(id));
            (who.fingerprints.is_empty() && who.key_ids.is_empty())
                || who.fingerprints.contains(&fp)
                || who.key_ids.contains(&id)
        };
        let mut last_error = None;
        for key in &self.keys {
            let primary_fp = hex_upper(key.fingerprint().as_ref());
            let mut candidates: Vec<&dyn Candidate> = Vec::new();
            if names(key.fingerprint().as_ref(), key.legacy_key_id().as_ref()) {
                candidates.push(&key.primary_key);
            }
            for sub in &key.public_subkeys {
                if names(
                    sub.key.fingerprint().as_ref(),
                    sub.key.legacy_key_id().as_ref(),
                ) {
                    candidates.push(&sub.key);
                }
            }
            for c in candidates {
                match c.verify_detached(&sig, data) {
                    Ok(()) => {
                        return SigCheck::Verified {
                            fingerprint: primary_fp,
                        };
                    }
                    Err(e) => last_error = Some(e),
                }
            }
        }
        match last_error {
            Some(reason) => SigCheck::Invalid {
                issuer: who.best(),
                reason,
            },
            None => SigCheck::UnknownKey { issuer: who.best() },
        }
    }
}

/// A primary key or subkey that can check a signature.
trait Candidate {
    fn verify_detached(&self, sig: &DetachedSignature, data: &[u8]) -> Result<(), String>;
}

impl<K: pgp::types::VerifyingKey> Candidate for K {
    fn verify_detached(&self, sig: &DetachedSignature, data: &[u8]) -> Result<(), String> {
        sig.verify(self, data).map_err(|e| e.to_string())
    }
}
