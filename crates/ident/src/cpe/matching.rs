//! CPE name matching, NISTIR 7696 §6: attribute comparison relations and the
//! name comparison built from them.

use super::value::Char;
use super::{Cpe, Value, WfnStr};

/// The relation of a source attribute value to a target one (NISTIR 7696
/// §6.1.2, Table 6-2). Source values may hold wildcards; target values may
/// not (when they do the relation is [`Relation::Undefined`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Relation {
    /// Source and target are the same value.
    Equal,
    /// Source is a superset of target (ANY, or a matching wildcard pattern).
    Superset,
    /// Source is a subset of target (target is ANY).
    Subset,
    /// Source and target have nothing in common.
    Disjoint,
    /// Target holds a wildcard: no relation is defined.
    Undefined,
}

/// Compares one attribute value with another (`compare`, NISTIR 7696
/// §6.1.2.2); strings compare without regard to case.
pub fn compare_values(source: &Value, target: &Value) -> Relation {
    if let Value::Str(t) = target
        && t.has_wildcards()
    {
        return Relation::Undefined;
    }
    match (source, target) {
        (Value::Any, Value::Any) | (Value::Na, Value::Na) => Relation::Equal,
        (Value::Any, _) => Relation::Superset,
        (_, Value::Any) => Relation::Subset,
        (Value::Na, _) | (_, Value::Na) => Relation::Disjoint,
        (Value::Str(s), Value::Str(t)) => compare_strings(s, t),
    }
}

fn lower(chars: &[Char]) -> Vec<Char> {
    chars
        .iter()
        .map(|c| match c {
            Char::Lit(c) => Char::Lit(c.to_lowercase().next().unwrap_or(*c)),
            other => *other,
        })
        .collect()
}

/// How many characters a run of leading or trailing wildcards may absorb:
/// `*` any number, each `?` zero or one (as `compare_strings` counts them).
#[derive(Clone, Copy)]
enum Slack {
    Any,
    AtMost(usize),
}

impl Slack {
    fn allows(self, n: usize) -> bool {
        match self {
            Slack::Any => true,
            Slack::AtMost(m) => n <= m,
        }
    }
}

fn slack(wild: &[Char]) -> Slack {
    if wild.contains(&Char::Star) {
        Slack::Any
    } else {
        Slack::AtMost(wild.len())
    }
}

/// `compare_strings` (NISTIR 7696 §6.1.2.3), on logical characters so that
/// quoting needs no separate bookkeeping.
fn compare_strings(source: &WfnStr, target: &WfnStr) -> Relation {
    let s = lower(&source.logical());
    let t = lower(&target.logical());
    if s == t {
        return Relation::Equal;
    }
    let is_wild = |c: &Char| !matches!(c, Char::Lit(_));
    let head = s.iter().take_while(|c| is_wild(c)).count();
    let tail = s[head..].iter().rev().take_while(|c| is_wild(c)).count();
    if head == 0 && tail == 0 {
        return Relation::Disjoint;
    }
    let body = &s[head..s.len() - tail];
    let (before, after) = (slack(&s[..head]), slack(&s[s.len() - tail..]));
    if body.len() > t.len() {
        return Relation::Disjoint;
    }
    let found = (0..=t.len() - body.len()).any(|at| {
        t[at..at + body.len()] == *body
            && before.allows(at)
            && after.allows(t.len() - at - body.len())
    });
    if found {
        Relation::Superset
    } else {
        Relation::Disjoint
    }
}

/// The per-attribute relations of two names and the name-level relations
/// defined from them (NISTIR 7696 §6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameRelation {
    /// One relation per attribute, in binding order.
    pub attributes: [Relation; 11],
}

impl NameRelation {
    /// `CPE_DISJOINT`: some attribute is disjoint.
    pub fn is_disjoint(&self) -> bool {
        self.attributes.contains(&Relation::Disjoint)
    }

    /// `CPE_EQUAL`: every attribute is equal.
    pub fn is_equal(&self) -> bool {
        self.attributes.iter().all(|r| *r == Relation::Equal)
    }

    /// `CPE_SUBSET`: every attribute is a subset or equal.
    pub fn is_subset(&self) -> bool {
        self.attributes
            .iter()
            .all(|r| matches!(r, Relation::Subset | Relation::Equal))
    }

    /// `CPE_SUPERSET`: every attribute is a superset or equal — the source
    /// name matches the target (the usual "does this CPE apply" question).
    pub fn is_superset(&self) -> bool {
        self.attributes
            .iter()
            .all(|r| matches!(r, Relation::Superset | Relation::Equal))
    }
}

/// Compares a source name (may hold wildcards, ANY) with a target name
/// (`compare_wfns`, NISTIR 7696 §6.2).
pub fn compare(source: &Cpe, target: &Cpe) -> NameRelation {
    let mut attributes = [Relation::Equal; 11];
    for (i, r) in attributes.iter_mut().enumerate() {
        *r = compare_values(&source.values()[i], &target.values()[i]);
    }
    NameRelation { attributes }
}

impl Cpe {
    /// Whether this name (the source, e.g. an advisory's CPE) matches
    /// `target` (e.g. a device's CPE): `CPE_SUPERSET` or `CPE_EQUAL`.
    pub fn matches(&self, target: &Cpe) -> bool {
        compare(self, target).is_superset()
    }
}
