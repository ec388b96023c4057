//! UDI device identifiers (UDI-DI) of the issuing agencies accredited by the
//! FDA and the EU (MDR Article 27): GS1, HIBCC and ICCBBA.

use std::fmt;
use std::str::FromStr;

use crate::serde_str::serde_via_str;

/// The agency that issued a UDI-DI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UdiIssuer {
    /// GS1: a GTIN, stored as GTIN-14.
    Gs1,
    /// HIBCC: Health Industry Bar Code primary data, `+` prefix.
    Hibcc,
    /// ICCBBA: ISBT 128 product code, `=` prefix.
    Iccbba,
}

/// A UDI device identifier with a verified check character where the agency has one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UdiDi(String);

/// Why a string is not a UDI-DI.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UdiError {
    /// Not the shape of any issuing agency's identifier.
    #[error("not a UDI-DI (expected a GS1 GTIN of 8/12/13/14 digits, HIBCC '+…' or ICCBBA '=…')")]
    Syntax,
    /// The check character does not match the data.
    #[error("check character is wrong (expected '{expected}')")]
    Check {
        /// The check character the data calls for.
        expected: char,
    },
}

impl UdiDi {
    /// The identifier as text (a GTIN-14 for GS1).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The issuing agency.
    pub fn issuer(&self) -> UdiIssuer {
        match self.0.as_bytes().first() {
            Some(b'+') => UdiIssuer::Hibcc,
            Some(b'=') => UdiIssuer::Iccbba,
            _ => UdiIssuer::Gs1,
        }
    }
}

/// The GS1 mod-10 check digit of the digits before it (GS1 General Specifications 7.9).
fn gs1_check_digit(data: &[u8]) -> u8 {
    let sum: u32 = data
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    // The result is 0..=9, so it fits a digit.
    b'0' + ((10 - sum % 10) % 10) as u8
}

const HIBC_CHARS: &[u8; 43] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%";

/// The HIBCC mod-43 check character over `data` (ANSI/HIBC 2.6, Appendix B).
fn hibc_check_char(data: &[u8]) -> Option<u8> {
    let mut sum = 0usize;
    for b in data {
        sum += HIBC_CHARS.iter().position(|c| c == b)?;
    }
    Some(HIBC_CHARS[sum % 43])
}

impl FromStr for UdiDi {
    type Err = UdiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        // A GS1 element string carries the DI under application identifier 01.
        let gs1 = s.strip_prefix("(01)").unwrap_or(s);
        if gs1.bytes().all(|b| b.is_ascii_digit()) && matches!(gs1.len(), 8 | 12 | 13 | 14) {
            let gtin14 = format!("{gs1:0>14}");
            let b = gtin14.as_bytes();
            let expected = gs1_check_digit(&b[..13]);
            if b[13] != expected {
                return Err(UdiError::Check {
                    expected: char::from(expected),
                });
            }
            return Ok(Self(gtin14));
        }
        if let Some(rest) = s.strip_prefix('+') {
            let upper = s.to_ascii_uppercase();
            let b = upper.as_bytes();
            // + LIC(4, first alphabetic) PCN(1..18) U/M(1 digit) check(1)
            let valid = (7..=25).contains(&b.len())
                && rest.as_bytes()[0].is_ascii_alphabetic()
                && b[5..b.len() - 1].iter().all(u8::is_ascii_alphanumeric)
                && b[b.len() - 2].is_ascii_digit();
            if !valid {
                return Err(UdiError::Syntax);
            }
            let expected = hibc_check_char(&b[..b.len() - 1]).ok_or(UdiError::Syntax)?;
            if b[b.len() - 1] != expected {
                return Err(UdiError::Check {
                    expected: char::from(expected),
                });
            }
            return Ok(Self(upper));
        }
        if let Some(rest) = s.strip_prefix('=') {
            // ISBT 128 product codes carry no check character in the DI itself.
            if (5..=23).contains(&rest.len())
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'=')
            {
                return Ok(Self(s.to_ascii_uppercase()));
            }
        }
        Err(UdiError::Syntax)
    }
}

impl fmt::Display for UdiDi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
serde_via_str!(UdiDi);

/// Completes a GTIN body (13 digits) with its check digit: test data and the demo use it.
pub(crate) fn gtin14_with_check(body13: &str) -> Option<String> {
    (body13.len() == 13 && body13.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{body13}{}", char::from(gs1_check_digit(body13.as_bytes()))))
}

impl UdiDi {
    /// The GS1 UDI-DI whose first 13 digits are `body13`, with its check digit computed.
    pub fn gs1_from_body(body13: &str) -> Result<Self, UdiError> {
        gtin14_with_check(body13).map(Self).ok_or(UdiError::Syntax)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gs1() {
        // A published GS1 example GTIN.
        assert_eq!(
            "(01)09506000134352".parse::<UdiDi>().map(|u| u.to_string()),
            Ok("09506000134352".into())
        );
        assert_eq!(
            "9506000134352".parse::<UdiDi>().map(|u| u.issuer()),
            Ok(UdiIssuer::Gs1)
        );
        assert_eq!(
            "09506000134353".parse::<UdiDi>(),
            Err(UdiError::Check { expected: '2' })
        );
        assert_eq!(
            UdiDi::gs1_from_body("0950600013435").map(|u| u.to_string()),
            Ok("09506000134352".into())
        );
    }

    #[test]
    fn hibcc() {
        let body = "+H123ABC01234561";
        let check = hibc_check_char(body.as_bytes())
            .map(char::from)
            .unwrap_or('?');
        let full = format!("{body}{check}");
        assert_eq!(
            full.parse::<UdiDi>().map(|u| u.issuer()),
            Ok(UdiIssuer::Hibcc)
        );
        let wrong = format!("{body}{}", if check == 'A' { 'B' } else { 'A' });
        assert!(matches!(
            wrong.parse::<UdiDi>(),
            Err(UdiError::Check { .. })
        ));
        assert_eq!("+1ABC".parse::<UdiDi>(), Err(UdiError::Syntax));
    }

    #[test]
    fn garbage() {
        for s in ["", "abc", "12345", "=", "+"] {
            assert!(s.parse::<UdiDi>().is_err(), "{s}");
        }
    }
}
