//! The figures a report shows, derived from a [`ReportInput`]: the summary
//! tiles, the ranking of devices and the breakdowns the charts draw. The
//! HTML and CSV renderers and the web UI share them, so every view counts
//! the same way.

use std::cmp::{Ordering, Reverse};
use std::collections::BTreeMap;

use medvigil_model::EuClass;
use serde::Serialize;
use time::{Date, Duration};

use crate::input::{DeviceRow, RemediationRow, ReportInput};

/// How many days ahead an accepted risk counts as expiring.
pub const EXPIRY_WINDOW_DAYS: i64 = 30;

/// How many devices the top-risks table lists.
pub const TOP_RISKS: usize = 20;

/// How many bars a breakdown chart draws at most; the rest are summed into
/// one "Other" bar so that a group with 80 departments stays readable.
pub const MAX_BARS: usize = 12;

/// The label of devices whose grouping field is not recorded.
pub const NOT_RECORDED: &str = "Not recorded";

/// The summary tiles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Devices in scope.
    pub devices: usize,
    /// Devices with at least one finding.
    pub with_findings: usize,
    /// Devices by their most urgent priority, `[P1, P2, P3, P4]`.
    pub devices_by_priority: [usize; 4],
    /// Findings by priority over all devices, `[P1, P2, P3, P4]`.
    pub findings_by_priority: [usize; 4],
    /// Remediations past their due date.
    pub overdue: usize,
    /// Accepted risks whose acceptance lapses within
    /// [`EXPIRY_WINDOW_DAYS`] of the report date (today included).
    pub accepted_expiring: usize,
}

/// Counts the summary tiles of `input`.
pub fn summary(input: &ReportInput) -> Summary {
    let mut s = Summary {
        devices: input.devices.len(),
        ..Summary::default()
    };
    for d in &input.devices {
        if let Some(p) = d.priority {
            s.devices_by_priority[p.index()] += 1;
        }
        if d.priority.is_some() || d.findings() > 0 {
            s.with_findings += 1;
        }
        for (total, n) in s.findings_by_priority.iter_mut().zip(d.counts) {
            *total += n;
        }
    }
    s.overdue = input.remediations.iter().filter(|r| r.overdue).count();
    s.accepted_expiring = accepted_expiring(input).len();
    s
}

/// The report's "today": the date of `generated_at` in its own offset.
pub fn report_date(input: &ReportInput) -> Date {
    input.generated_at.date()
}

/// Orders devices most urgent first: by priority (devices without one
/// last), then by findings per priority (more P1, then more P2, …), then by
/// name and id so that the order is stable.
pub fn by_urgency(a: &DeviceRow, b: &DeviceRow) -> Ordering {
    let rank = |d: &DeviceRow| d.priority.map_or(4, |p| p.index());
    rank(a)
        .cmp(&rank(b))
        .then_with(|| b.counts.cmp(&a.counts))
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.device_id.cmp(&b.device_id))
}

/// The devices with a priority, most urgent first, at most `limit`.
pub fn top_risks(devices: &[DeviceRow], limit: usize) -> Vec<&DeviceRow> {
    let mut ranked: Vec<&DeviceRow> = devices.iter().filter(|d| d.priority.is_some()).collect();
    ranked.sort_by(|a, b| by_urgency(a, b));
    ranked.truncate(limit);
    ranked
}

/// Remediations past due, the longest overdue first.
pub fn overdue(remediations: &[RemediationRow]) -> Vec<&RemediationRow> {
    let mut rows: Vec<&RemediationRow> = remediations.iter().filter(|r| r.overdue).collect();
    // `None` sorts before `Some`: a task without a due date that the store
    // calls overdue has no better place than the top.
    rows.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    rows
}

/// Accepted risks lapsing within [`EXPIRY_WINDOW_DAYS`], soonest first.
pub fn accepted_expiring(input: &ReportInput) -> Vec<&RemediationRow> {
    let today = report_date(input);
    let horizon = today.saturating_add(Duration::days(EXPIRY_WINDOW_DAYS));
    let mut rows: Vec<&RemediationRow> = input
        .remediations
        .iter()
        .filter(|r| r.accepted_until.is_some_and(|d| d >= today && d <= horizon))
        .collect();
    rows.sort_by(|a, b| {
        a.accepted_until
            .cmp(&b.accepted_until)
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// What a breakdown chart groups devices by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// EU MDR class, highest first.
    EuClass,
    /// Device category.
    Category,
    /// Ward or department (by name, across sites).
    Department,
    /// Site.
    Site,
}

impl Dimension {
    /// The dimension in a heading ("EU class").
    pub fn label(self) -> &'static str {
        match self {
            Self::EuClass => "EU class",
            Self::Category => "category",
            Self::Department => "department",
            Self::Site => "site",
        }
    }
}

/// Devices with findings per value of `dim`, split by their most urgent
/// priority (`[P1, P2, P3, P4]`). Devices without findings are left out.
/// EU classes run from III down to I; other dimensions from the most
/// urgent group down. Beyond [`MAX_BARS`] groups the tail is summed into
/// one "Other" row; "Not recorded" comes last.
pub fn breakdown(devices: &[DeviceRow], dim: Dimension) -> Vec<(String, [u64; 4])> {
    let mut groups: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    let mut unknown = [0u64; 4];
    for d in devices {
        let Some(p) = d.priority else { continue };
        let label = match dim {
            Dimension::EuClass => d.eu_class.map(|c| c.as_str().to_owned()),
            Dimension::Category => d.category.map(|c| c.label().to_owned()),
            Dimension::Department => d.department.as_deref().map(|s| s.trim().to_owned()),
            Dimension::Site => d.site.as_deref().map(|s| s.trim().to_owned()),
        };
        let slot = match label {
            Some(l) if !l.is_empty() => groups.entry(l).or_default(),
            _ => &mut unknown,
        };
        slot[p.index()] += 1;
    }
    let mut rows: Vec<(String, [u64; 4])> = groups.into_iter().collect();
    match dim {
        Dimension::EuClass => rows.sort_by_key(|(l, _)| Reverse(l.parse::<EuClass>().ok())),
        _ => rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))),
    }
    if rows.len() > MAX_BARS {
        let rest = rows.split_off(MAX_BARS - 1);
        let mut other = [0u64; 4];
        for (_, v) in &rest {
            for (o, n) in other.iter_mut().zip(v) {
                *o += n;
            }
        }
        rows.push((format!("Other ({} groups)", rest.len()), other));
    }
    if unknown.iter().any(|&n| n > 0) {
        rows.push((NOT_RECORDED.to_owned(), unknown));
    }
    rows
}
