//! Names of zones (IEC 62443-3-2 §4.4 "zone") and of the services a conduit
//! carries.

use std::fmt;
use std::str::FromStr;

/// The name of a security zone: `imaging`, `patient-monitoring`. Lower-case
/// ASCII letters, digits and dashes, starting with a letter, at most 32
/// characters, so that it is a valid nftables set name and Cisco object-group
/// name once dashes become underscores.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ZoneName(String);

/// Why a string is not a zone name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a zone name (lower-case letters, digits and '-', starting with a letter, at most 32)"
)]
pub struct ZoneNameError(pub String);

impl ZoneName {
    /// Devices that no rule placed, and internal addresses no device has.
    pub const UNASSIGNED: &'static str = "unassigned";
    /// Addresses outside the hospital's internal ranges.
    pub const EXTERNAL: &'static str = "external";

    /// The built-in `unassigned` zone.
    pub fn unassigned() -> Self {
        Self(Self::UNASSIGNED.to_owned())
    }

    /// The built-in `external` zone.
    pub fn external() -> Self {
        Self(Self::EXTERNAL.to_owned())
    }

    /// Whether this is `unassigned` or `external`: zones of what nobody
    /// reviewed, inside which traffic is never allowed wholesale.
    pub fn is_builtin(&self) -> bool {
        self.0 == Self::UNASSIGNED || self.0 == Self::EXTERNAL
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as an identifier (`patient_monitoring`).
    pub fn ident(&self) -> String {
        self.0.replace('-', "_")
    }
}

impl FromStr for ZoneName {
    type Err = ZoneNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = s.len() <= 32
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(ZoneNameError(s.to_owned()))
        }
    }
}

impl fmt::Display for ZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

medvigil_model::serde_via_str!(ZoneName);

/// The transport of a flow, as `medvigil_model::Conversation` writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transport {
    /// TCP (IP protocol 6).
    Tcp,
    /// UDP (IP protocol 17).
    Udp,
    /// Any other IP protocol, by number (ICMP is 1, ICMPv6 58).
    Ip(u8),
}

/// Why a string is not a transport.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a transport (tcp, udp or ip/<protocol number>)")]
pub struct TransportError(pub String);

impl Transport {
    /// The IANA protocol number.
    pub const fn protocol_number(self) -> u8 {
        match self {
            Self::Tcp => 6,
            Self::Udp => 17,
            Self::Ip(n) => n,
        }
    }

    /// Whether flows of this transport have ports.
    pub const fn has_ports(self) -> bool {
        matches!(self, Self::Tcp | Self::Udp)
    }
}

impl FromStr for Transport {
    type Err = TransportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "tcp" | "ip/6" => Ok(Self::Tcp),
            "udp" | "ip/17" => Ok(Self::Udp),
            _ => s
                .strip_prefix("ip/")
                .and_then(|n| n.parse().ok())
                .map(Self::Ip)
                .ok_or_else(|| TransportError(s.to_owned())),
        }
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tcp => f.write_str("tcp"),
            Self::Udp => f.write_str("udp"),
            Self::Ip(n) => write!(f, "ip/{n}"),
        }
    }
}

medvigil_model::serde_via_str!(Transport);

/// A service a conduit allows: transport and server port (`tcp/104`), or a
/// port-less protocol (`ip/1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Service {
    /// Transport.
    pub transport: Transport,
    /// Server port; 0 for transports without ports.
    pub port: u16,
}

impl Service {
    /// A TCP service.
    pub const fn tcp(port: u16) -> Self {
        Self {
            transport: Transport::Tcp,
            port,
        }
    }

    /// A UDP service.
    pub const fn udp(port: u16) -> Self {
        Self {
            transport: Transport::Udp,
            port,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.transport.has_ports() {
            write!(f, "{}/{}", self.transport, self.port)
        } else {
            self.transport.fmt(f)
        }
    }
}

impl FromStr for Service {
    type Err = TransportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || TransportError(s.to_owned());
        if let Ok(transport) = s.parse::<Transport>()
            && !transport.has_ports()
        {
            return Ok(Self { transport, port: 0 });
        }
        let (t, p) = s.rsplit_once('/').ok_or_else(bad)?;
        let transport: Transport = t.parse().map_err(|_| bad())?;
        let port = p.parse().map_err(|_| bad())?;
        if !transport.has_ports() {
            return Err(bad());
        }
        Ok(Self { transport, port })
    }
}

medvigil_model::serde_via_str!(Service);
