//! Evaluation: observations → per-endpoint values → matching rules →
//! combined attributes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use medvigil_capture::{EndpointKey, Observation};
use medvigil_decode::MacAddr;
use serde::Serialize;

use crate::Catalog;
use crate::category::Category;
use crate::field::{Field, extract};
use crate::rule::Template;

/// Agreeing evidence raises a value's confidence up to this, never beyond
/// the best single rule when that one is higher.
pub const AGREEMENT_CAP: u8 = 95;

/// An attribute value with the confidence (0–100) the evidence gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attributed<T> {
    /// The value.
    pub value: T,
    /// Combined confidence of the rules that concluded it.
    pub confidence: u8,
}

/// One observed value that made a rule match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    /// The rule id.
    pub rule: String,
    /// The observed field.
    pub field: Field,
    /// The observed value.
    pub value: String,
}

/// What the catalog concludes about one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Identification {
    /// The endpoint: its MAC when it has one, with the lowest IP and VLAN seen.
    pub endpoint: EndpointKey,
    /// Every IP address seen for it, sorted.
    pub ips: Vec<IpAddr>,
    /// Manufacturer.
    pub vendor: Option<Attributed<String>>,
    /// Product or product family.
    pub product: Option<Attributed<String>>,
    /// Software or firmware (name and/or version).
    pub software: Option<Attributed<String>>,
    /// Kind of device.
    pub category: Option<Attributed<Category>>,
    /// DICOM modality (`CT`, `MR`, …).
    pub modality: Option<Attributed<String>>,
    /// Operating system family.
    pub os: Option<Attributed<String>>,
    /// The highest confidence of the attributes above.
    pub confidence: u8,
    /// The values that made rules match, sorted by rule, field, value.
    pub evidence: Vec<Evidence>,
}

/// Endpoints are grouped by MAC when present, else by IP and VLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Mac(MacAddr),
    Ip(IpAddr, Option<(u16, Option<u16>)>),
}

fn group_of(k: &EndpointKey) -> Option<Group> {
    match (k.mac, k.ip) {
        (Some(m), _) => Some(Group::Mac(m)),
        (None, Some(ip)) => Some(Group::Ip(ip, k.vlan.map(|v| (v.id, v.inner)))),
        (None, None) => None,
    }
}

#[derive(Default)]
struct Seen {
    keys: BTreeSet<EndpointKey>,
    values: BTreeSet<(Field, String)>,
}

/// Candidate values of one attribute: value → (rule indices, best confidence).
type Votes<T> = BTreeMap<T, (BTreeSet<usize>, u8)>;

#[derive(Default)]
struct Tally {
    vendor: Votes<String>,
    product: Votes<String>,
    software: Votes<String>,
    modality: Votes<String>,
    os: Votes<String>,
    category: Votes<Category>,
}

pub(crate) fn identify(cat: &Catalog, observations: &[Observation]) -> Vec<Identification> {
    let mut groups: BTreeMap<Group, Seen> = BTreeMap::new();
    for o in observations {
        extract(o, &mut |k, f, v| {
            if v.is_empty() {
                return;
            }
            if let Some(g) = group_of(k) {
                let s = groups.entry(g).or_default();
                s.keys.insert(*k);
                s.values.insert((f, v.to_owned()));
            }
        });
    }
    // Anchor matches are computed once per distinct (field, value) of the
    // whole input: captures repeat the same values on many endpoints.
    let mut memo: HashMap<(Field, String), Vec<usize>> = HashMap::new();
    let conf: Vec<u8> = cat.rules.iter().map(|r| r.confidence).collect();
    let mut out = Vec::new();
    for seen in groups.values() {
        let mut tally = Tally::default();
        let mut evidence = BTreeSet::new();
        for (field, value) in &seen.values {
            let rules = memo
                .entry((*field, value.clone()))
                .or_insert_with(|| cat.anchored(*field, value));
            for &ri in rules.iter() {
                apply(cat, ri, value, seen, &mut tally, &mut evidence);
            }
        }
        if let Some(id) = conclude(&conf, seen, tally, evidence) {
            out.push(id);
        }
    }
    out
}

fn apply(
    cat: &Catalog,
    ri: usize,
    anchor_value: &str,
    seen: &Seen,
    tally: &mut Tally,
    evidence: &mut BTreeSet<Evidence>,
) {
    let rule = &cat.rules[ri];
    let Some((anchor, rest)) = rule.conditions.split_first() else {
        return;
    };
    let Some(caps) = anchor.matches(anchor_value) else {
        return;
    };
    let mut found = vec![(anchor.field, anchor_value)];
    for c in rest {
        let hit = seen
            .values
            .range((c.field, String::new())..)
            .take_while(|(f, _)| *f == c.field)
            .find(|(_, v)| c.matches(v).is_some());
        match hit {
            Some((f, v)) => found.push((*f, v.as_str())),
            None => return,
        }
    }
    for (field, value) in found {
        evidence.insert(Evidence {
            rule: rule.id.clone(),
            field,
            value: value.to_owned(),
        });
    }
    let t = &rule.then;
    let c = rule.confidence;
    let vote = |votes: &mut Votes<String>, tpl: &Option<Template>| {
        if let Some(v) = tpl.as_ref().and_then(|t| t.render(&caps)) {
            add(votes, v, ri, c);
        }
    };
    vote(&mut tally.vendor, &t.vendor);
    vote(&mut tally.product, &t.product);
    vote(&mut tally.software, &t.software);
    vote(&mut tally.modality, &t.modality);
    vote(&mut tally.os, &t.os);
    if let Some(cat) = t.category {
        add(&mut tally.category, cat, ri, c);
    }
}

fn add<T: Ord>(votes: &mut Votes<T>, value: T, rule: usize, confidence: u8) {
    let e = votes.entry(value).or_default();
    e.0.insert(rule);
    e.1 = e.1.max(confidence);
}

/// Noisy-OR over the rules that agree, capped at [`AGREEMENT_CAP`] unless
/// one rule alone says more.
pub(crate) fn combine(confidences: impl IntoIterator<Item = u8>) -> u8 {
    let mut miss = 1.0_f64;
    let mut best = 0u8;
    for c in confidences {
        best = best.max(c);
        miss *= 1.0 - f64::from(c.min(100)) / 100.0;
    }
    let agreed = ((1.0 - miss) * 100.0).round().clamp(0.0, 100.0) as u8;
    best.max(agreed.min(AGREEMENT_CAP))
}

fn pick<T: Ord + Clone>(cat_conf: &[u8], votes: Votes<T>) -> Option<Attributed<T>> {
    // Highest combined confidence, then highest single rule, then the rule
    // that comes first in the catalog (user rules first).
    votes
        .into_iter()
        .map(|(value, (rules, best))| {
            let combined = combine(rules.iter().map(|&r| cat_conf[r]));
            let first = rules.first().copied().unwrap_or(usize::MAX);
            (combined, best, std::cmp::Reverse(first), value)
        })
        .max_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)))
        .map(|(confidence, _, _, value)| Attributed { value, confidence })
}

fn conclude(
    conf: &[u8],
    seen: &Seen,
    tally: Tally,
    evidence: BTreeSet<Evidence>,
) -> Option<Identification> {
    if evidence.is_empty() {
        return None;
    }
    let first = *seen.keys.iter().next()?;
    let ips: BTreeSet<IpAddr> = seen.keys.iter().filter_map(|k| k.ip).collect();
    let endpoint = EndpointKey {
        mac: first.mac,
        ip: ips.iter().next().copied(),
        vlan: seen.keys.iter().find_map(|k| k.vlan),
    };
    let vendor = pick(conf, tally.vendor);
    let product = pick(conf, tally.product);
    let software = pick(conf, tally.software);
    let category = pick(conf, tally.category);
    let modality = pick(conf, tally.modality);
    let os = pick(conf, tally.os);
    let confidence = [
        vendor.as_ref().map(|a| a.confidence),
        product.as_ref().map(|a| a.confidence),
        software.as_ref().map(|a| a.confidence),
        category.as_ref().map(|a| a.confidence),
        modality.as_ref().map(|a| a.confidence),
        os.as_ref().map(|a| a.confidence),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(0);
    Some(Identification {
        endpoint,
        ips: ips.into_iter().collect(),
        vendor,
        product,
        software,
        category,
        modality,
        os,
        confidence,
        evidence: evidence.into_iter().collect(),
    })
}
