//! Network identities of a device: MAC address, VLAN, host name.

use std::fmt;
use std::str::FromStr;

use crate::serde_str::serde_via_str;

/// An IEEE 802 MAC-48 address of a device's interface: unicast and not all zeros.
///
/// Accepts the notations asset-management exports use: `00:1A:2B:3C:4D:5E`,
/// `00-1A-2B-3C-4D-5E`, Cisco's `001a.2b3c.4d5e` and bare `001A2B3C4D5E`.
/// Displays as lower-case colon notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MacAddr([u8; 6]);

/// Why a string is not a device MAC address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MacError {
    /// Not 12 hex digits in a known notation.
    #[error("not a MAC address (expected 12 hex digits such as 00:1a:2b:3c:4d:5e)")]
    Syntax,
    /// The group bit is set: a multicast or broadcast address names no device.
    #[error("multicast/broadcast address cannot identify a device")]
    Multicast,
    /// All zeros: a placeholder, not an address.
    #[error("all-zero address is a placeholder")]
    Zero,
}

impl MacAddr {
    /// The address from its six octets, checked like a parsed one.
    pub fn from_octets(octets: [u8; 6]) -> Result<Self, MacError> {
        if octets == [0; 6] {
            return Err(MacError::Zero);
        }
        if octets[0] & 1 == 1 {
            return Err(MacError::Multicast);
        }
        Ok(Self(octets))
    }

    /// The six octets.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// The 24-bit organisationally unique identifier (IEEE MA-L prefix).
    pub const fn oui(&self) -> [u8; 3] {
        [self.0[0], self.0[1], self.0[2]]
    }
}

impl FromStr for MacAddr {
    type Err = MacError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let separators: &[char] = match s.len() {
            12 => &[],
            14 => &['.'],
            17 => &[':', '-'],
            _ => return Err(MacError::Syntax),
        };
        let mut digits = [0u8; 12];
        let mut n = 0;
        for (i, c) in s.chars().enumerate() {
            let is_sep_pos = match s.len() {
                14 => i == 4 || i == 9,
                17 => i % 3 == 2,
                _ => false,
            };
            if is_sep_pos {
                if !separators.contains(&c) {
                    return Err(MacError::Syntax);
                }
                continue;
            }
            let d = c.to_digit(16).ok_or(MacError::Syntax)?;
            // `to_digit(16)` is < 16, so the cast is lossless.
            digits[n] = d as u8;
            n += 1;
        }
        // Mixed separators such as "00:1a-2b…" are typos, not notations.
        if s.len() == 17 && !(s.contains(':') ^ s.contains('-')) {
            return Err(MacError::Syntax);
        }
        let mut octets = [0u8; 6];
        for (i, o) in octets.iter_mut().enumerate() {
            *o = digits[2 * i] << 4 | digits[2 * i + 1];
        }
        Self::from_octets(octets)
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            o[0], o[1], o[2], o[3], o[4], o[5]
        )
    }
}
serde_via_str!(MacAddr);

/// An IEEE 802.1Q VLAN identifier, 1–4094 (0 and 4095 are reserved).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VlanId(u16);

/// Why a value is not a VLAN identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("VLAN id must be a whole number from 1 to 4094")]
pub struct VlanError;

impl VlanId {
    /// The VLAN from its number.
    pub fn new(id: u16) -> Result<Self, VlanError> {
        if (1..=4094).contains(&id) {
            Ok(Self(id))
        } else {
            Err(VlanError)
        }
    }

    /// The number.
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl FromStr for VlanId {
    type Err = VlanError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let s = s
            .strip_prefix("VLAN")
            .or_else(|| s.strip_prefix("vlan"))
            .unwrap_or(s);
        s.trim()
            .parse::<u16>()
            .map_err(|_| VlanError)
            .and_then(Self::new)
    }
}

impl fmt::Display for VlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
serde_via_str!(VlanId);

/// A DNS host name (RFC 1123 labels), stored in lower case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hostname(String);

/// Why a string is not a host name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("host name must be 1–253 characters of letters, digits, '-' and '.', labels of at most 63")]
pub struct HostnameError;

impl Hostname {
    /// The host name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Hostname {
    type Err = HostnameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().trim_end_matches('.');
        if s.is_empty() || s.len() > 253 {
            return Err(HostnameError);
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                // '_' is not RFC 1123, but Windows-era device names use it.
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if s.split('.').all(label_ok) {
            Ok(Self(s.to_ascii_lowercase()))
        } else {
            Err(HostnameError)
        }
    }
}

impl fmt::Display for Hostname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
serde_via_str!(Hostname);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn mac_notations() {
        let want = "00:1a:2b:3c:4d:5e";
        for s in [
            "00:1A:2B:3C:4D:5E",
            "00-1a-2b-3c-4d-5e",
            "001a.2b3c.4d5e",
            "001A2B3C4D5E",
            " 00:1a:2b:3c:4d:5e ",
        ] {
            assert_eq!(
                s.parse::<MacAddr>().map(|m| m.to_string()),
                Ok(want.to_owned()),
                "{s}"
            );
        }
        assert_eq!(
            "00:1a:2b-3c:4d:5e".parse::<MacAddr>(),
            Err(MacError::Syntax)
        );
        assert_eq!("00:1a:2b:3c:4d".parse::<MacAddr>(), Err(MacError::Syntax));
        assert_eq!(
            "00:1a:2b:3c:4d:5g".parse::<MacAddr>(),
            Err(MacError::Syntax)
        );
        assert_eq!(
            "ff:ff:ff:ff:ff:ff".parse::<MacAddr>(),
            Err(MacError::Multicast)
        );
        assert_eq!(
            "01:00:5e:00:00:01".parse::<MacAddr>(),
            Err(MacError::Multicast)
        );
        assert_eq!("00:00:00:00:00:00".parse::<MacAddr>(), Err(MacError::Zero));
    }

    #[test]
    fn vlan_and_hostname() {
        assert_eq!("VLAN 120".parse::<VlanId>().map(VlanId::get), Ok(120));
        assert!("0".parse::<VlanId>().is_err());
        assert!("4095".parse::<VlanId>().is_err());
        assert_eq!(
            "ICU-MON-01.chu.local"
                .parse::<Hostname>()
                .map(|h| h.to_string()),
            Ok("icu-mon-01.chu.local".into())
        );
        assert!("bad host".parse::<Hostname>().is_err());
        assert!("-x".parse::<Hostname>().is_err());
    }

    proptest! {
        #[test]
        fn mac_display_round_trips(o in any::<[u8; 6]>()) {
            if let Ok(m) = MacAddr::from_octets(o) {
                prop_assert_eq!(m.to_string().parse::<MacAddr>(), Ok(m));
            }
        }

        #[test]
        fn mac_parse_never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<MacAddr>();
        }
    }
}
