//! Address prefixes (CIDR, RFC 4632 / RFC 4291 §2.3) and address blocks: the
//! members of a zone as a firewall holds them.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An IPv4 or IPv6 prefix such as `10.20.0.0/16`; host bits are zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpNet {
    addr: IpAddr,
    len: u8,
}

/// Why a string is not a prefix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IpNetError {
    /// The address part is not an IP address.
    #[error("'{0}' is not an IP address or CIDR prefix")]
    Syntax(String),
    /// The length is longer than the address.
    #[error("prefix length {len} is too long for {addr}")]
    Length {
        /// The address written.
        addr: IpAddr,
        /// The length written.
        len: u8,
    },
    /// Host bits are set (`10.1.2.3/16`): probably a typo for a host or a network.
    #[error("{0} has host bits set")]
    HostBits(String),
}

/// Width of an address family in bits.
const fn width(ip: &IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// The address as a number (IPv4 in the low 32 bits).
pub(crate) fn to_bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

/// The address of a family from its number.
fn from_bits(v6: bool, bits: u128) -> IpAddr {
    if v6 {
        IpAddr::V6(Ipv6Addr::from(bits))
    } else {
        // Callers stay inside the IPv4 range; the mask makes that explicit.
        IpAddr::V4(Ipv4Addr::from((bits & 0xffff_ffff) as u32))
    }
}

/// Mask of the host bits of a prefix of `len` in a family of `w` bits.
fn host_mask(w: u8, len: u8) -> u128 {
    let host = u32::from(w - len);
    if host >= 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    }
}

impl IpNet {
    /// The prefix of `len` bits at `addr`.
    ///
    /// # Errors
    /// When `len` is longer than the address or host bits are set.
    pub fn new(addr: IpAddr, len: u8) -> Result<Self, IpNetError> {
        let w = width(&addr);
        if len > w {
            return Err(IpNetError::Length { addr, len });
        }
        if to_bits(addr) & host_mask(w, len) != 0 {
            return Err(IpNetError::HostBits(format!("{addr}/{len}")));
        }
        Ok(Self { addr, len })
    }

    /// The prefix holding exactly one address.
    pub fn host(addr: IpAddr) -> Self {
        Self {
            addr,
            len: width(&addr),
        }
    }

    /// The network address.
    pub const fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length.
    pub const fn prefix_len(&self) -> u8 {
        self.len
    }

    /// Whether this is a single-address prefix.
    pub const fn is_host(&self) -> bool {
        self.len == width(&self.addr)
    }

    /// Whether `ip` lies in the prefix.
    pub fn contains(&self, ip: IpAddr) -> bool {
        if self.addr.is_ipv4() != ip.is_ipv4() {
            return false;
        }
        let mask = !host_mask(width(&self.addr), self.len);
        to_bits(ip) & mask == to_bits(self.addr)
    }

    /// The block of addresses the prefix covers.
    pub fn block(&self) -> AddrBlock {
        let start = to_bits(self.addr);
        AddrBlock {
            v6: self.addr.is_ipv6(),
            start,
            end: start | host_mask(width(&self.addr), self.len),
        }
    }
}

impl FromStr for IpNet {
    type Err = IpNetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let syntax = || IpNetError::Syntax(s.to_owned());
        match s.split_once('/') {
            None => s.parse().map(Self::host).map_err(|_| syntax()),
            Some((a, l)) => {
                let addr: IpAddr = a.parse().map_err(|_| syntax())?;
                let len: u8 = l.parse().map_err(|_| syntax())?;
                Self::new(addr, len)
            }
        }
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_host() {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.len)
        }
    }
}

medvigil_model::serde_via_str!(IpNet);

/// A contiguous, inclusive run of addresses of one family: what a zone's
/// firewall set holds. Written as `10.1.2.3`, `10.1.0.0/16` or
/// `10.1.2.3-10.1.2.200`, the forms nftables interval sets accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AddrBlock {
    v6: bool,
    start: u128,
    end: u128,
}

impl AddrBlock {
    /// The block of one address.
    pub fn host(ip: IpAddr) -> Self {
        let b = to_bits(ip);
        Self {
            v6: ip.is_ipv6(),
            start: b,
            end: b,
        }
    }

    /// Whether the block holds IPv6 addresses.
    pub const fn is_ipv6(&self) -> bool {
        self.v6
    }

    /// The first address.
    pub fn first(&self) -> IpAddr {
        from_bits(self.v6, self.start)
    }

    /// The last address.
    pub fn last(&self) -> IpAddr {
        from_bits(self.v6, self.end)
    }

    /// Whether `ip` lies in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        ip.is_ipv6() == self.v6 && (self.start..=self.end).contains(&to_bits(ip))
    }

    /// The block as one prefix, when it is exactly one.
    pub fn as_net(&self) -> Option<IpNet> {
        let size = self.end - self.start;
        // A prefix's size is 2^k - 1 after subtracting and its start is aligned.
        if size.checked_add(1).is_some_and(|n| !n.is_power_of_two()) || self.start & size != 0 {
            return None;
        }
        let w: u8 = if self.v6 { 128 } else { 32 };
        // `size` is 2^k - 1 with k ≤ w, so it has at most 128 one bits.
        let len = w - size.count_ones() as u8;
        IpNet::new(self.first(), len).ok()
    }

    /// The block as the fewest prefixes that cover exactly it, in address
    /// order (ACL syntaxes without ranges, such as IOS IPv6 ACLs, need them).
    pub fn prefixes(&self) -> Vec<IpNet> {
        let w: u8 = if self.v6 { 128 } else { 32 };
        let mut out = Vec::new();
        let mut start = self.start;
        loop {
            // The largest aligned prefix at `start` that ends inside the
            // block: limited by the alignment of `start` and by what is left.
            let left = self.end - start;
            let mut host = start.trailing_zeros().min(u32::from(w));
            // `host` ≤ w ≤ 128: fits a u8.
            while host > 0 && host_mask(128, 128 - host as u8) > left {
                host -= 1;
            }
            let len = w - host as u8;
            if let Ok(n) = IpNet::new(from_bits(self.v6, start), len) {
                out.push(n);
            }
            match start.checked_add(host_mask(128, 128 - host as u8)) {
                Some(last) if last < self.end => start = last + 1,
                _ => break,
            }
        }
        out
    }

    /// Sorts, drops blocks covered by others and joins overlapping or
    /// adjacent ones, so that a firewall set never holds conflicting
    /// intervals and a run of consecutive hosts becomes one element.
    pub fn merge(mut blocks: Vec<Self>) -> Vec<Self> {
        blocks.sort_unstable();
        let mut out: Vec<Self> = Vec::with_capacity(blocks.len());
        for b in blocks {
            match out.last_mut() {
                Some(last)
                    if last.v6 == b.v6 && last.end.checked_add(1).is_none_or(|n| n >= b.start) =>
                {
                    last.end = last.end.max(b.end);
                }
                _ => out.push(b),
            }
        }
        out
    }
}

impl AddrBlock {
    /// The parts of `blocks` outside `holes`; `holes` sorted and disjoint
    /// (as [`AddrBlock::merge`] leaves them).
    pub(crate) fn subtract(blocks: &[Self], holes: &[Self]) -> Vec<Self> {
        let mut out = Vec::new();
        for b in blocks {
            let mut rest = Some(*b);
            let first = holes.partition_point(|h| (h.v6, h.end) < (b.v6, b.start));
            for h in &holes[first..] {
                let Some(r) = rest else { break };
                if h.v6 != r.v6 || h.start > r.end {
                    break;
                }
                if h.start > r.start {
                    out.push(Self {
                        end: h.start - 1,
                        ..r
                    });
                }
                rest = (h.end < r.end).then(|| Self {
                    start: h.end + 1,
                    ..r
                });
            }
            out.extend(rest);
        }
        out
    }
}

impl From<IpNet> for AddrBlock {
    fn from(n: IpNet) -> Self {
        n.block()
    }
}

impl fmt::Display for AddrBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.first())
        } else if let Some(n) = self.as_net() {
            n.fmt(f)
        } else {
            write!(f, "{}-{}", self.first(), self.last())
        }
    }
}

impl FromStr for AddrBlock {
    type Err = IpNetError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((a, b)) = s.split_once('-') else {
            return s.parse::<IpNet>().map(Self::from);
        };
        let syntax = || IpNetError::Syntax(s.trim().to_owned());
        let a: IpAddr = a.trim().parse().map_err(|_| syntax())?;
        let b: IpAddr = b.trim().parse().map_err(|_| syntax())?;
        if a.is_ipv6() != b.is_ipv6() || to_bits(a) > to_bits(b) {
            return Err(syntax());
        }
        Ok(Self {
            v6: a.is_ipv6(),
            start: to_bits(a),
            end: to_bits(b),
        })
    }
}

medvigil_model::serde_via_str!(AddrBlock);

/// Whether an address is one a hospital network uses internally (RFC 1918,
/// RFC 6598 shared, loopback, link-local, RFC 4193 unique local): an unknown
/// one is `unassigned`, any other `external`.
pub(crate) fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
        }
        IpAddr::V6(a) => {
            let s = a.segments()[0];
            a.is_loopback() || (s & 0xfe00) == 0xfc00 || (s & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> AddrBlock {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn prefixes_parse_and_reject_host_bits() {
        let n: IpNet = "10.20.0.0/16".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(n.contains("10.20.255.1".parse().unwrap_or_else(|e| panic!("{e}"))));
        assert!(!n.contains("10.21.0.1".parse().unwrap_or_else(|e| panic!("{e}"))));
        assert!(matches!(
            "10.20.0.1/16".parse::<IpNet>(),
            Err(IpNetError::HostBits(_))
        ));
        assert!("fd00::/8".parse::<IpNet>().is_ok());
        assert!("0.0.0.0/0".parse::<IpNet>().is_ok());
        assert!("::/0".parse::<IpNet>().is_ok());
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert_eq!(b("10.0.0.0/8").to_string(), "10.0.0.0/8");
        assert_eq!(b("::/0").to_string(), "::/0");
    }

    #[test]
    fn blocks_split_into_the_fewest_prefixes() {
        let p =
            |s: &str| -> Vec<String> { b(s).prefixes().iter().map(ToString::to_string).collect() };
        assert_eq!(p("10.0.0.0/24"), ["10.0.0.0/24"]);
        assert_eq!(
            p("10.0.0.1-10.0.0.6"),
            ["10.0.0.1", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6"]
        );
        assert_eq!(p("2001:db8::1"), ["2001:db8::1"]);
        assert_eq!(
            p("2001:db8::-2001:db8::2"),
            ["2001:db8::/127", "2001:db8::2"]
        );
        assert_eq!(p("::/0"), ["::/0"]);
        assert_eq!(p("0.0.0.0/0"), ["0.0.0.0/0"]);
    }

    #[test]
    fn merge_joins_adjacent_hosts_and_drops_covered() {
        let merged = AddrBlock::merge(vec![
            b("10.0.0.3"),
            b("10.0.0.1"),
            b("10.0.0.2"),
            b("10.0.1.0/24"),
            b("10.0.1.7"),
            b("10.0.0.0"),
            b("10.0.5.5"),
            b("fd00::1"),
            b("fd00::2"),
        ]);
        let text: Vec<String> = merged.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["10.0.0.0/30", "10.0.1.0/24", "10.0.5.5", "fd00::1-fd00::2"]
        );
        assert_eq!(
            AddrBlock::merge(vec![b("10.0.0.0-10.0.0.127"), b("10.0.0.128/25")])[0].to_string(),
            "10.0.0.0/24"
        );
    }

    #[test]
    fn subtract_punches_holes() {
        let holes = AddrBlock::merge(vec![
            b("10.0.0.0"),
            b("10.0.0.7"),
            b("10.0.0.10-10.0.0.20"),
            b("10.0.1.255"),
            b("fd00::1"),
        ]);
        let left = AddrBlock::subtract(
            &[b("10.0.0.0/23"), b("10.9.0.0/30"), b("fd00::/127")],
            &holes,
        );
        let text: Vec<String> = left.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "10.0.0.1-10.0.0.6",
                "10.0.0.8/31",
                "10.0.0.21-10.0.1.254",
                "10.9.0.0/30",
                "fd00::"
            ]
        );
        assert!(AddrBlock::subtract(&[b("10.0.0.5")], &[b("10.0.0.0/24")]).is_empty());
    }

    mod props {
        use proptest::prelude::*;

        use super::super::*;

        /// Blocks inside 10.0.0.0/24: hosts, prefixes and ranges.
        fn block() -> impl Strategy<Value = AddrBlock> {
            (0u32..256, 0u32..40, 24u8..=32, any::<bool>()).prop_map(|(a, n, len, range)| {
                let base = u128::from(u32::from(Ipv4Addr::new(10, 0, 0, 0)));
                if range {
                    let start = base + u128::from(a);
                    let end = (start + u128::from(n)).min(base + 255);
                    AddrBlock {
                        v6: false,
                        start,
                        end,
                    }
                } else {
                    let ip = IpAddr::V4(Ipv4Addr::from((base as u32) + a));
                    let host = 32 - u32::from(len);
                    let net = to_bits(ip) & !((1u128 << host) - 1);
                    IpNet::new(from_bits(false, net), len)
                        .map(|n| n.block())
                        .unwrap_or_else(|_| AddrBlock::host(ip))
                }
            })
        }

        fn covered(blocks: &[AddrBlock], a: u32) -> bool {
            let ip = IpAddr::V4(Ipv4Addr::new(10, 0, 0, a as u8));
            blocks.iter().any(|b| b.contains(ip))
        }

        proptest! {
            #[test]
            fn merge_keeps_the_addresses_in_disjoint_sorted_blocks(
                blocks in prop::collection::vec(block(), 0..12),
                holes in prop::collection::vec(block(), 0..12),
            ) {
                let merged = AddrBlock::merge(blocks.clone());
                for w in merged.windows(2) {
                    // Sorted, disjoint and not adjacent.
                    prop_assert!(w[0].end + 1 < w[1].start);
                }
                let holes = AddrBlock::merge(holes);
                let left = AddrBlock::subtract(&merged, &holes);
                for a in 0..256 {
                    prop_assert_eq!(covered(&merged, a), covered(&blocks, a));
                    prop_assert_eq!(
                        covered(&left, a),
                        covered(&blocks, a) && !covered(&holes, a)
                    );
                }
                for b in &merged {
                    prop_assert_eq!(b.to_string().parse::<AddrBlock>().ok(), Some(*b));
                }
            }
        }
    }
}
