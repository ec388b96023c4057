//! Hash files beside each document (spec 7.1.18, requirements 18–19):
//! `<hex digest>  <file name>` as written by `sha512sum`.

use super::FormatError;

/// Which digest a hash file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-256 (`.sha256`).
    Sha256,
    /// SHA-512 (`.sha512`).
    Sha512,
}

impl HashAlgorithm {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }

    /// Length of the digest in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }
}

/// The content of a hash file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HashFile {
    /// The digest bytes.
    pub digest: Vec<u8>,
    /// The file name it names, when one is given.
    pub file_name: Option<String>,
}

const WHAT: &str = "hash file";

/// Parses a hash file for `algorithm`: the first non-empty line holds the
/// hex digest, optionally followed by white space and the file name (a
/// leading `*`, `sha512sum`'s binary marker, is dropped).
///
/// # Errors
/// [`FormatError::Line`] when the digest is not hex of the right length.
pub fn parse_hash_file(text: &str, algorithm: HashAlgorithm) -> Result<HashFile, FormatError> {
    let (line_no, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())
        .ok_or(FormatError::Line {
            what: WHAT,
            line: 1,
            reason: "empty",
        })?;
    let line = line.trim();
    let (hex, rest) = match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim()),
        None => (line, ""),
    };
    let err = |reason| FormatError::Line {
        what: WHAT,
        line: line_no + 1,
        reason,
    };
    let digest = decode_hex(hex).ok_or(err("digest is not hexadecimal"))?;
    if digest.len() != algorithm.digest_len() {
        return Err(err("digest has the wrong length for its algorithm"));
    }
    let name = rest.strip_prefix('*').unwrap_or(rest);
    Ok(HashFile {
        digest,
        file_name: (!name.is_empty()).then(|| name.to_owned()),
    })
}

/// Lower-case hex of `bytes`.
pub(crate) fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() || !s.len().is_multiple_of(2) {
        return None;
    }
    s.as_bytes()
        .chunks_exact(2)
        .map(|p| {
            let hi = char::from(p[0]).to_digit(16)?;
            let lo = char::from(p[1]).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha512sum_line() {
        let hex = "ab".repeat(64);
        let h = parse_hash_file(&format!("{hex}  x.json\n"), HashAlgorithm::Sha512).unwrap();
        assert_eq!(h.digest, vec![0xab; 64]);
        assert_eq!(h.file_name.as_deref(), Some("x.json"));
        assert_eq!(encode_hex(&h.digest), hex);
        let h = parse_hash_file(&format!("{hex} *x.json"), HashAlgorithm::Sha512).unwrap();
        assert_eq!(h.file_name.as_deref(), Some("x.json"));
    }

    #[test]
    fn rejects() {
        for bad in ["", "zz  x.json", "abc", &"ab".repeat(32)] {
            assert!(
                parse_hash_file(bad, HashAlgorithm::Sha512).is_err(),
                "{bad}"
            );
        }
        assert!(parse_hash_file(&"ab".repeat(32), HashAlgorithm::Sha256).is_ok());
    }
}
