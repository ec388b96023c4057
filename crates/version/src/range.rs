//! Sets of versions as sorted, disjoint intervals — the one range type every
//! source's range form (vers, OSV, CVE 5, NVD) is converted into.

use std::cmp::Ordering;

use crate::error::RangeError;
use crate::scheme::Scheme;
use crate::version::Version;

/// One end of an interval.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Bound {
    /// No limit on this side.
    Unbounded,
    /// The version itself belongs to the interval.
    Included(Version),
    /// The version itself does not belong to the interval.
    Excluded(Version),
}

impl Bound {
    /// The version of a bounded end.
    pub fn version(&self) -> Option<&Version> {
        match self {
            Bound::Unbounded => None,
            Bound::Included(v) | Bound::Excluded(v) => Some(v),
        }
    }
}

fn cmp_lower(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Less,
        (_, Bound::Unbounded) => Ordering::Greater,
        (Bound::Included(x), Bound::Excluded(y)) if x == y => Ordering::Less,
        (Bound::Excluded(x), Bound::Included(y)) if x == y => Ordering::Greater,
        _ => a.version().cmp(&b.version()),
    }
}

fn cmp_upper(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Greater,
        (_, Bound::Unbounded) => Ordering::Less,
        (Bound::Included(x), Bound::Excluded(y)) if x == y => Ordering::Greater,
        (Bound::Excluded(x), Bound::Included(y)) if x == y => Ordering::Less,
        _ => a.version().cmp(&b.version()),
    }
}

/// A contiguous, non-empty set of versions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    /// The lower end.
    pub lower: Bound,
    /// The upper end.
    pub upper: Bound,
}

impl Interval {
    /// Whether `v` lies in this interval.
    pub fn contains(&self, v: &Version) -> bool {
        let above = match &self.lower {
            Bound::Unbounded => true,
            Bound::Included(l) => v >= l,
            Bound::Excluded(l) => v > l,
        };
        above
            && match &self.upper {
                Bound::Unbounded => true,
                Bound::Included(u) => v <= u,
                Bound::Excluded(u) => v < u,
            }
    }

    fn is_empty(&self) -> bool {
        match (&self.lower, &self.upper) {
            (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
            (Bound::Included(l), Bound::Included(u)) => l > u,
            (l, u) => l.version() >= u.version(),
        }
    }

    /// Whether this is a single version.
    pub fn as_point(&self) -> Option<&Version> {
        match (&self.lower, &self.upper) {
            (Bound::Included(l), Bound::Included(u)) if l == u => Some(l),
            _ => None,
        }
    }
}

/// Whether an interval ending at `upper` and one starting at `lower` overlap
/// or touch, so that they form one interval.
fn joins(upper: &Bound, lower: &Bound) -> bool {
    match (upper, lower) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => true,
        (Bound::Excluded(u), Bound::Excluded(l)) => u > l,
        (u, l) => u.version() >= l.version(),
    }
}

/// A set of versions of one scheme: sorted, disjoint, non-touching intervals.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VersionRange {
    scheme: Scheme,
    intervals: Vec<Interval>,
}

impl VersionRange {
    /// The empty set.
    pub fn empty(scheme: Scheme) -> Self {
        VersionRange {
            scheme,
            intervals: Vec::new(),
        }
    }

    /// Every version (`vers:<scheme>/*`).
    pub fn all(scheme: Scheme) -> Self {
        VersionRange {
            scheme,
            intervals: vec![Interval {
                lower: Bound::Unbounded,
                upper: Bound::Unbounded,
            }],
        }
    }

    /// The set holding just `v`.
    pub fn point(v: Version) -> Self {
        VersionRange {
            scheme: v.scheme(),
            intervals: vec![Interval {
                lower: Bound::Included(v.clone()),
                upper: Bound::Included(v),
            }],
        }
    }

    /// The union of `intervals`, normalised; empty intervals are dropped.
    ///
    /// # Errors
    /// [`RangeError::SchemeMismatch`] when a bound is not of `scheme`.
    pub fn from_intervals(
        scheme: Scheme,
        intervals: impl IntoIterator<Item = Interval>,
    ) -> Result<Self, RangeError> {
        let mut list: Vec<Interval> = Vec::new();
        for iv in intervals {
            for v in [iv.lower.version(), iv.upper.version()]
                .into_iter()
                .flatten()
            {
                if v.scheme() != scheme {
                    return Err(RangeError::SchemeMismatch {
                        expected: scheme,
                        found: v.scheme(),
                        value: v.as_str().into(),
                    });
                }
            }
            if !iv.is_empty() {
                list.push(iv);
            }
        }
        list.sort_by(|a, b| cmp_lower(&a.lower, &b.lower));
        let mut merged: Vec<Interval> = Vec::with_capacity(list.len());
        for iv in list {
            match merged.last_mut() {
                Some(last) if joins(&last.upper, &iv.lower) => {
                    if cmp_upper(&iv.upper, &last.upper) == Ordering::Greater {
                        last.upper = iv.upper;
                    }
                }
                _ => merged.push(iv),
            }
        }
        Ok(VersionRange {
            scheme,
            intervals: merged,
        })
    }

    /// The scheme of every version in the range.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The normalised intervals, in version order.
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// Whether no version is in the range.
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// Whether every version is in the range.
    pub fn is_all(&self) -> bool {
        matches!(
            self.intervals.as_slice(),
            [Interval {
                lower: Bound::Unbounded,
                upper: Bound::Unbounded
            }]
        )
    }

    /// Whether `v` is in the range; a version of another scheme never is.
    pub fn contains(&self, v: &Version) -> bool {
        if v.scheme() != self.scheme {
            return false;
        }
        // Intervals are sorted: find the last one starting at or below `v`.
        let idx = self.intervals.partition_point(|iv| match &iv.lower {
            Bound::Unbounded => true,
            Bound::Included(l) => l <= v,
            Bound::Excluded(l) => l < v,
        });
        idx > 0 && self.intervals[idx - 1].contains(v)
    }

    /// Parses `s` under the range's scheme and tests it.
    ///
    /// # Errors
    /// When `s` is not a version of the scheme.
    pub fn contains_str(&self, s: &str) -> Result<bool, crate::VersionError> {
        Ok(self.contains(&Version::parse(self.scheme, s)?))
    }

    /// The versions in `self` or in `other`.
    ///
    /// # Errors
    /// When the schemes differ.
    pub fn union(&self, other: &VersionRange) -> Result<VersionRange, RangeError> {
        let all = self.intervals.iter().chain(&other.intervals).cloned();
        VersionRange::from_intervals(self.scheme, all)
    }

    /// The versions not in `self`.
    pub fn complement(&self) -> VersionRange {
        let flip = |b: &Bound| match b {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Included(v) => Bound::Excluded(v.clone()),
            Bound::Excluded(v) => Bound::Included(v.clone()),
        };
        let mut out = Vec::new();
        let mut lower = Bound::Unbounded;
        let mut open = true;
        for iv in &self.intervals {
            if !matches!(iv.lower, Bound::Unbounded) {
                out.push(Interval {
                    lower: lower.clone(),
                    upper: flip(&iv.lower),
                });
            }
            open = !matches!(iv.upper, Bound::Unbounded);
            lower = flip(&iv.upper);
        }
        if open {
            out.push(Interval {
                lower,
                upper: Bound::Unbounded,
            });
        }
        VersionRange {
            scheme: self.scheme,
            intervals: out,
        }
    }

    /// The versions in both `self` and `other`.
    ///
    /// # Errors
    /// When the schemes differ.
    pub fn intersection(&self, other: &VersionRange) -> Result<VersionRange, RangeError> {
        // A ∩ B = ¬(¬A ∪ ¬B): short, and the union already normalises.
        Ok(self.complement().union(&other.complement())?.complement())
    }

    /// The versions in `self` but not in `other`.
    ///
    /// # Errors
    /// When the schemes differ.
    pub fn difference(&self, other: &VersionRange) -> Result<VersionRange, RangeError> {
        self.intersection(&other.complement())
    }
}
