//! Text decoding of exported files: CMMS tools on Windows still write
//! Windows-1252, and Excel's "Unicode text" is UTF-16 with a BOM.

use std::borrow::Cow;

/// The character encoding of an input file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// A BOM decides; else UTF-8 if the bytes are valid UTF-8; else Windows-1252.
    #[default]
    Auto,
    /// UTF-8 (a BOM is skipped).
    Utf8,
    /// Windows-1252 (Western European, what "ANSI" means in most exports).
    Windows1252,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "utf-8" | "utf8" => Ok(Self::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" | "ansi" => Ok(Self::Windows1252),
            _ => Err(format!(
                "unknown encoding '{s}' (auto, utf-8, windows-1252)"
            )),
        }
    }
}

/// Decodes `bytes` to text. Never fails: Windows-1252 maps every byte, and
/// invalid UTF-8 under `Utf8` becomes U+FFFD (which then fails validation of
/// the field it lands in, with its line and column).
pub fn decode(bytes: &[u8], encoding: Encoding) -> Cow<'_, str> {
    match encoding {
        Encoding::Auto => {
            if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
                let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
                return text;
            }
            match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => {
                    encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(bytes)
                        .0
                }
            }
        }
        Encoding::Utf8 => encoding_rs::UTF_8.decode_with_bom_removal(bytes).0,
        Encoding::Windows1252 => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(decode(b"Salle \xe9", Encoding::Auto), "Salle é");
        assert_eq!(decode("Salle é".as_bytes(), Encoding::Auto), "Salle é");
        assert_eq!(decode(b"\xef\xbb\xbfa,b", Encoding::Auto), "a,b");
        assert_eq!(decode(b"\xff\xfea\x00,\x00b\x00", Encoding::Auto), "a,b");
        assert_eq!(decode(b"\x80", Encoding::Windows1252), "€");
    }
}
