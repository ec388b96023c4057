//! Document version and revision history tests: 6.1.14, 6.1.16 – 6.1.22,
//! 6.1.30, 6.2.4 – 6.2.6 (spec 3.1.11 `version_t`, 3.2.1.12 tracking).

use super::Ctx;
use crate::datetime;
use crate::model::TrackingStatus;
use crate::version::DocVersion;
use std::cmp::Ordering;
use std::collections::HashSet;

const HISTORY: &str = "/document/tracking/revision_history";
const VERSION: &str = "/document/tracking/version";

struct Item {
    index: usize,
    date: Option<datetime::Instant>,
    number: Option<DocVersion>,
}

pub(crate) fn run(ctx: &mut Ctx<'_>) {
    let tracking = &ctx.doc.document.tracking;
    let status = &tracking.status;
    let released = matches!(status, TrackingStatus::Final | TrackingStatus::Interim);
    let version = DocVersion::parse(&tracking.version);
    let items: Vec<Item> = tracking
        .revision_history
        .iter()
        .enumerate()
        .map(|(index, r)| Item {
            index,
            date: datetime::parse(&r.date),
            number: DocVersion::parse(&r.number),
        })
        .collect();
    // Sort by date, then number; items without a parseable date keep their place at the end.
    let mut by_date: Vec<&Item> = items.iter().collect();
    by_date.sort_by(|a, b| {
        match (a.date, b.date) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then_with(|| match (&a.number, &b.number) {
            (Some(x), Some(y)) => x.precedence(y),
            _ => Ordering::Equal,
        })
    });

    // 6.1.14 Sorted Revision History: only a strictly later date with a
    // lower number is wrong; items of the same date may come in any order.
    for pair in by_date.windows(2) {
        if let (Some(a), Some(b)) = (&pair[0].number, &pair[1].number)
            && pair[0].date != pair[1].date
            && a.precedence(b) == Ordering::Greater
        {
            ctx.error(
                "6.1.14",
                format!("{HISTORY}/{}/number", pair[1].index),
                "revision numbers do not ascend with their dates",
            );
            break;
        }
    }

    // 6.1.16 Latest Document Version: the newest item, ties broken by number.
    let newest_date = by_date.last().and_then(|i| i.date);
    let latest = items
        .iter()
        .filter(|i| i.date == newest_date)
        .filter_map(|i| i.number.as_ref())
        .max_by(|a, b| a.precedence(b));
    if let (Some(latest), Some(version)) = (latest, &version) {
        let draft = matches!(status, TrackingStatus::Draft);
        if !latest.same_version(version, draft) {
            ctx.error(
                "6.1.16",
                VERSION,
                "document version differs from the latest revision history number",
            );
        }
    }

    if let Some(v) = &version {
        // 6.1.17 Document Status Draft
        if (v.is_zero_major() || v.has_pre_release()) && !matches!(status, TrackingStatus::Draft) {
            ctx.error(
                "6.1.17",
                "/document/tracking/status",
                "a version 0, 0.y.z or pre-release requires status draft",
            );
        }
        // 6.1.20 Non-draft Document Version
        if released && v.has_pre_release() {
            ctx.error(
                "6.1.20",
                VERSION,
                "a final or interim document version must not have a pre-release part",
            );
        }
    }

    let mut numbers = HashSet::new();
    for item in &items {
        let at = format!("{HISTORY}/{}/number", item.index);
        if let Some(n) = &item.number {
            // 6.1.18 Released Revision History
            if released && n.is_zero_major() {
                ctx.error(
                    "6.1.18",
                    &at,
                    "a final or interim document has a revision 0 or 0.y.z",
                );
            }
            // 6.1.19 Revision History Entries for Pre-release Versions
            if n.has_pre_release() {
                ctx.error("6.1.19", &at, "revision number has a pre-release part");
            }
            // 6.2.4 Build Metadata in Revision History
            if n.has_build() {
                ctx.warning("6.2.4", &at, "revision number has build metadata");
            }
        }
        // 6.1.22 Multiple Definition in Revision History
        let number = &tracking.revision_history[item.index].number;
        if !numbers.insert(number.as_str()) {
            ctx.error(
                "6.1.22",
                &at,
                format!("revision number {number:?} appears more than once"),
            );
        }
    }

    // 6.1.21 Missing Item in Revision History (major versions only).
    let majors: Vec<(usize, u64)> = by_date
        .iter()
        .filter_map(|i| Some((i.index, i.number.as_ref()?.major())))
        .collect();
    if let Some(&(index, first)) = majors.first()
        && first > 1
    {
        ctx.error(
            "6.1.21",
            format!("{HISTORY}/{index}/number"),
            "the first revision is neither 0 nor 1",
        );
    }
    for pair in majors.windows(2) {
        if pair[1].1 > pair[0].1 + 1 {
            ctx.error(
                "6.1.21",
                format!("{HISTORY}/{}/number", pair[1].0),
                "a version is missing from the revision history",
            );
        }
    }

    // 6.1.30 Mixed Integer and Semantic Versioning
    let mut kinds = items
        .iter()
        .filter_map(|i| i.number.as_ref())
        .chain(version.as_ref())
        .map(|v| matches!(v, DocVersion::Integer(_)));
    if let Some(first) = kinds.next()
        && kinds.any(|k| k != first)
    {
        ctx.error(
            "6.1.30",
            VERSION,
            "integer and semantic versioning are mixed",
        );
    }

    // 6.2.5 / 6.2.6: release dates against the revision history.
    let oldest = by_date.first().and_then(|i| i.date);
    if let (Some(initial), Some(oldest)) = (datetime::parse(&tracking.initial_release_date), oldest)
        && initial < oldest
    {
        ctx.warning(
            "6.2.5",
            "/document/tracking/initial_release_date",
            "initial release date is older than the oldest revision",
        );
    }
    if let (Some(current), Some(newest)) =
        (datetime::parse(&tracking.current_release_date), newest_date)
        && current < newest
    {
        ctx.warning(
            "6.2.6",
            "/document/tracking/current_release_date",
            "current release date is older than the newest revision",
        );
    }
}
