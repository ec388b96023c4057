//! The checks every document passes before it enters the mirror: hash file
//! (spec 7.1.18), signature (7.1.19), CSAF shape (section 3), file name (5.1).

use crate::config::TlpLabel;
use crate::error::DocFailure;
use crate::formats::{HashAlgorithm, file_name_for_tracking_id, hashfile_hex, parse_hash_file};
use crate::report::SignatureStatus;
use crate::signature::{Keyring, SigCheck};
use sha2::{Digest, Sha256, Sha512};

/// A downloaded (or read) document with what came beside it.
pub(crate) struct Candidate<'a> {
    /// Where it came from, for messages.
    pub source: &'a str,
    /// The name it was published under.
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub hash_file: Option<(HashAlgorithm, &'a [u8])>,
    pub signature: Option<&'a [u8]>,
}

/// What the checks found in a document that passed them.
#[derive(Debug)]
pub(crate) struct Checked {
    pub tracking_id: String,
    pub sha256: String,
    pub sha512: String,
    pub hash_checked: Option<HashAlgorithm>,
    pub signature: SignatureStatus,
    pub tlp: TlpLabel,
}

pub(crate) fn check(
    c: &Candidate<'_>,
    keys: &Keyring,
    require_signature: bool,
) -> Result<Checked, DocFailure> {
    let sha256 = hashfile_hex(&Sha256::digest(c.bytes));
    let sha512 = hashfile_hex(&Sha512::digest(c.bytes));
    let hash_checked = match c.hash_file {
        None => None,
        Some((algorithm, text)) => {
            let text = String::from_utf8_lossy(text);
            let h = parse_hash_file(&text, algorithm).map_err(|e| DocFailure::HashFile {
                reason: e.to_string(),
            })?;
            if let Some(name) = &h.file_name
                && name.rsplit('/').next() != Some(c.file_name)
            {
                return Err(DocFailure::HashFile {
                    reason: format!("names {name:?}, not {:?}", c.file_name),
                });
            }
            let actual = match algorithm {
                HashAlgorithm::Sha256 => &sha256,
                HashAlgorithm::Sha512 => &sha512,
            };
            let expected = hashfile_hex(&h.digest);
            if &expected != actual {
                return Err(DocFailure::HashMismatch {
                    algorithm,
                    expected,
                    actual: actual.clone(),
                });
            }
            Some(algorithm)
        }
    };
    let signature = signature_status(c, keys, require_signature)?;
    let parsed =
        medvigil_csaf::parse_document(c.source, c.bytes).map_err(|e| DocFailure::NotCsaf {
            reason: e.to_string(),
        })?;
    let doc = &parsed.document;
    if doc.tracking.id.trim().is_empty() || doc.category.trim().is_empty() {
        return Err(DocFailure::NotCsaf {
            reason: "no /document/tracking/id or /document/category".to_owned(),
        });
    }
    let expected = file_name_for_tracking_id(&doc.tracking.id);
    if expected != c.file_name {
        return Err(DocFailure::WrongFileName {
            expected,
            actual: c.file_name.to_owned(),
        });
    }
    let tlp = doc
        .distribution
        .as_ref()
        .and_then(|d| d.tlp.as_ref())
        .map_or(Some(TlpLabel::Unlabeled), |t| {
            TlpLabel::parse(t.label.as_str())
        })
        .unwrap_or(TlpLabel::Unlabeled);
    Ok(Checked {
        tracking_id: doc.tracking.id.clone(),
        sha256,
        sha512,
        hash_checked,
        signature,
        tlp,
    })
}

fn signature_status(
    c: &Candidate<'_>,
    keys: &Keyring,
    require_signature: bool,
) -> Result<SignatureStatus, DocFailure> {
    let Some(sig) = c.signature else {
        return if require_signature {
            Err(DocFailure::SignatureMissing)
        } else {
            Ok(SignatureStatus::Unsigned)
        };
    };
    if keys.is_empty() {
        // `require_signature` without keys is refused before the sync starts.
        return Ok(SignatureStatus::NoKeyConfigured);
    }
    match keys.check(c.bytes, sig) {
        SigCheck::Verified { fingerprint } => Ok(SignatureStatus::Verified { fingerprint }),
        SigCheck::UnknownKey { issuer } if !require_signature => {
            Ok(SignatureStatus::UnknownKey { issuer })
        }
        SigCheck::UnknownKey { issuer } => Err(DocFailure::SignatureUnknownKey { issuer }),
        SigCheck::Invalid { issuer, reason } => {
            Err(DocFailure::SignatureInvalid { issuer, reason })
        }
    }
}
