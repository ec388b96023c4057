//! What changes between the approved policy and a proposed one, for review.
//! Evidence (counters, times) is not a change: only what a firewall enforces.

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};

use serde::Serialize;

use crate::{AddrBlock, Conduit, DeviceRule, DeviceRules, Policy, Unpatchable, Zone};

/// One difference of one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "change")]
pub enum Change<T> {
    /// Only in the proposed policy.
    Added {
        /// The item.
        after: T,
    },
    /// Only in the current policy.
    Removed {
        /// The item.
        before: T,
    },
    /// In both, enforced differently.
    Changed {
        /// As approved.
        before: T,
        /// As proposed.
        after: T,
    },
}

/// The differences between two policies, each list in the policies' order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PolicyDiff {
    /// `allow_intra_zone` before and after, when it changed.
    pub allow_intra_zone: Option<(bool, bool)>,
    /// Zones added, removed, or with other members.
    pub zones: Vec<Change<Zone>>,
    /// Conduits added or removed (a conduit is its zones and service).
    pub conduits: Vec<Change<Conduit>>,
    /// Restricted devices added, removed, or with other address, zone or rules.
    pub device_rules: Vec<Change<DeviceRules>>,
}

/// Pairs the items of two lists by key, both sorted by it.
fn pair<'a, T, K: Ord>(
    before: &'a [T],
    after: &'a [T],
    key: impl Fn(&T) -> K,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<Change<T>>
where
    T: Clone,
{
    let mut b: Vec<&T> = before.iter().collect();
    let mut a: Vec<&T> = after.iter().collect();
    b.sort_by_key(|x| key(x));
    a.sort_by_key(|x| key(x));
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < b.len() || j < a.len() {
        let ord = match (b.get(i), a.get(j)) {
            (Some(x), Some(y)) => key(x).cmp(&key(y)),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                out.push(Change::Removed {
                    before: b[i].clone(),
                });
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(Change::Added {
                    after: a[j].clone(),
                });
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                if !same(b[i], a[j]) {
                    out.push(Change::Changed {
                        before: b[i].clone(),
                        after: a[j].clone(),
                    });
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// What a device rule enforces.
fn rule_key(r: &DeviceRule) -> (crate::Direction, std::net::IpAddr, crate::Service) {
    (r.direction, r.peer, r.service)
}

/// The differences from `current` (approved) to `proposed`.
pub fn diff(current: &Policy, proposed: &Policy) -> PolicyDiff {
    PolicyDiff {
        allow_intra_zone: (current.allow_intra_zone != proposed.allow_intra_zone)
            .then_some((current.allow_intra_zone, proposed.allow_intra_zone)),
        zones: pair(
            &current.zones,
            &proposed.zones,
            |z| z.name.clone(),
            |x, y| x.members == y.members,
        ),
        conduits: pair(
            &current.conduits,
            &proposed.conduits,
            |c| (c.from.clone(), c.to.clone(), c.service),
            |_, _| true,
        ),
        device_rules: pair(
            &current.device_rules,
            &proposed.device_rules,
            |d| d.device,
            |x, y| {
                x.ip == y.ip
                    && x.zone == y.zone
                    && x.rules
                        .iter()
                        .map(rule_key)
                        .eq(y.rules.iter().map(rule_key))
            },
        ),
    }
}

impl PolicyDiff {
    /// Whether the policies enforce the same.
    pub fn is_empty(&self) -> bool {
        self.allow_intra_zone.is_none()
            && self.zones.is_empty()
            && self.conduits.is_empty()
            && self.device_rules.is_empty()
    }

    /// The diff for a reviewer: one line per change, `+` added, `-` removed,
    /// `~` changed, with the evidence of what is added.
    pub fn render(&self) -> String {
        let mut s = String::new();
        if self.is_empty() {
            s.push_str("no changes\n");
            return s;
        }
        let mut out = |line: fmt::Arguments<'_>| {
            let _ = writeln!(s, "{line}");
        };
        if let Some((b, a)) = self.allow_intra_zone {
            let word = |x: bool| if x { "allowed" } else { "learned as conduits" };
            out(format_args!(
                "~ intra-zone traffic: {} -> {}",
                word(b),
                word(a)
            ));
        }
        for c in &self.zones {
            match c {
                Change::Added { after } => out(format_args!(
                    "+ zone {} ({} address blocks)",
                    after.name,
                    after.members.len()
                )),
                Change::Removed { before } => out(format_args!("- zone {}", before.name)),
                Change::Changed { before, after } => {
                    let (added, removed) = set_diff(&before.members, &after.members);
                    out(format_args!(
                        "~ zone {}: members{}{}",
                        after.name,
                        list('+', &added),
                        list('-', &removed)
                    ));
                }
            }
        }
        for c in &self.conduits {
            match c {
                Change::Added { after } | Change::Changed { after, .. } => out(format_args!(
                    "+ conduit {} -> {} {}{}: {}",
                    after.from,
                    after.to,
                    after.service,
                    protocols(&after.protocols),
                    Evidence(&after.evidence, true)
                )),
                Change::Removed { before } => out(format_args!(
                    "- conduit {} -> {} {}{}",
                    before.from,
                    before.to,
                    before.service,
                    protocols(&before.protocols)
                )),
            }
        }
        for c in &self.device_rules {
            match c {
                Change::Added { after } => {
                    out(format_args!("+ restrict {}", Device(after)));
                    for r in &after.rules {
                        out(format_args!("    + {}", Rule(r)));
                    }
                }
                Change::Removed { before } => {
                    out(format_args!("- restrict {}", Device(before)));
                }
                Change::Changed { before, after } => {
                    out(format_args!("~ restrict {}", Device(after)));
                    if before.ip != after.ip {
                        out(format_args!("    ~ address {} -> {}", before.ip, after.ip));
                    }
                    if before.zone != after.zone {
                        out(format_args!("    ~ zone {} -> {}", before.zone, after.zone));
                    }
                    let old: BTreeSet<_> = before.rules.iter().map(rule_key).collect();
                    let new: BTreeSet<_> = after.rules.iter().map(rule_key).collect();
                    for r in after.rules.iter().filter(|r| !old.contains(&rule_key(r))) {
                        out(format_args!("    + {}", Rule(r)));
                    }
                    for r in before.rules.iter().filter(|r| !new.contains(&rule_key(r))) {
                        out(format_args!("    - {}", Rule(r)));
                    }
                }
            }
        }
        s
    }
}

fn set_diff(before: &[AddrBlock], after: &[AddrBlock]) -> (Vec<AddrBlock>, Vec<AddrBlock>) {
    let b: BTreeSet<_> = before.iter().collect();
    let a: BTreeSet<_> = after.iter().collect();
    (
        a.difference(&b).map(|x| **x).collect(),
        b.difference(&a).map(|x| **x).collect(),
    )
}

fn list(sign: char, blocks: &[AddrBlock]) -> String {
    blocks.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, " {sign}{b}");
        s
    })
}

fn protocols(p: &[String]) -> String {
    if p.is_empty() {
        String::new()
    } else {
        format!(" ({})", p.join(", "))
    }
}

/// Evidence; with the endpoint counts for a conduit.
struct Evidence<'a>(&'a crate::Evidence, bool);

impl fmt::Display for Evidence<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.0;
        write!(f, "{} flows, {} bytes, ", e.flows, e.bytes)?;
        if self.1 {
            write!(f, "{} clients, {} servers, ", e.clients, e.servers)?;
        }
        write!(f, "{} .. {}", e.first_seen.date(), e.last_seen.date())
    }
}

struct Device<'a>(&'a DeviceRules);

impl fmt::Display for Device<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let why = match d.reason {
            Unpatchable::NotPatchable => "not patchable".to_owned(),
            Unpatchable::EndOfSupport(date) => format!("end of support {date}"),
        };
        write!(f, "device {} {} in {} ({why})", d.device, d.ip, d.zone)
    }
}

struct Rule<'a>(&'a DeviceRule);

impl fmt::Display for Rule<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        let dir = match r.direction {
            crate::Direction::Outbound => "to",
            crate::Direction::Inbound => "from",
        };
        write!(
            f,
            "{dir} {} {}: {}",
            r.peer,
            r.service,
            Evidence(&r.evidence, false)
        )
    }
}
