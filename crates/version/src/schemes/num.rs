//! Arbitrary-length decimal numbers, because version components such as
//! dates or build numbers overflow `u64` in real data (`20240101123000123`).

use std::cmp::Ordering;
use std::fmt;

/// A non-negative decimal number of any length, stored without leading zeros.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Num(Box<str>);

impl Num {
    /// Builds a number from ASCII digits; leading zeros are dropped.
    /// Returns `None` when `digits` is empty or holds a non-digit.
    pub fn from_digits(digits: &str) -> Option<Num> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Num(digits.trim_start_matches('0').into()))
    }

    /// Zero.
    pub fn zero() -> Num {
        Num(Box::from(""))
    }

    /// Whether this number is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        // Without leading zeros a longer number is a bigger one.
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("0")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// Splits `s` at its leading run of ASCII digits.
pub fn split_digits(s: &str) -> (&str, &str) {
    let end = s
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_numerically_without_overflow() {
        let a = Num::from_digits("0009").unwrap_or_default();
        let b = Num::from_digits("10").unwrap_or_default();
        let big = Num::from_digits("123456789012345678901234567890").unwrap_or_default();
        assert!(a < b);
        assert!(b < big);
        assert_eq!(Num::from_digits("000"), Some(Num::zero()));
        assert_eq!(Num::from_digits(""), None);
    }
}
