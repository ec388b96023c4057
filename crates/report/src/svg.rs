//! Small static charts as accessible inline SVG: stacked horizontal bars and
//! a donut. The web UI reuses them.
//!
//! Written by hand on purpose. The charting crates render to files or
//! bitmaps and bring font stacks and image codecs with them (plotters,
//! charts-rs), or draw only plain vertical bars (eb_bars); none emits
//! `role="img"` with `<title>`/`<desc>` wired by `aria-labelledby`, which a
//! report read by screen reader users needs. A chart here is a few dozen
//! `<rect>`s and `<text>`s, easier to keep accessible and print-friendly
//! than to wrap.
//!
//! Every chart is a well-formed XML fragment (it also works as a standalone
//! `.svg` file), every piece of caller text is escaped, and sizes are in a
//! `viewBox` so that CSS can scale the chart down.

use std::fmt::Write;

use crate::escape::escape;

/// One series of a chart: its name in the legend and its fill colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series<'a> {
    /// Legend text ("P1").
    pub name: &'a str,
    /// Any CSS colour ("#a50f15").
    pub colour: &'a str,
}

/// P1–P4, dark red to blue: ordered by lightness as well as hue, so that the
/// order survives colour-vision deficiencies and greyscale printing.
pub const PRIORITY_SERIES: [Series<'static>; 4] = [
    Series {
        name: "P1",
        colour: "#a50f15",
    },
    Series {
        name: "P2",
        colour: "#e6550d",
    },
    Series {
        name: "P3",
        colour: "#f4b942",
    },
    Series {
        name: "P4",
        colour: "#4f7cac",
    },
];

/// The colour of "nothing to report" (devices without findings).
pub const NEUTRAL_COLOUR: &str = "#c9ced6";

const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";
const TEXT_COLOUR: &str = "#1f2933";

const BAR_WIDTH: f64 = 560.0;
const LABEL_RIGHT: f64 = 168.0;
const BAR_LEFT: f64 = 176.0;
const BAR_SPAN: f64 = 340.0;
const LEGEND_HEIGHT: f64 = 30.0;
const ROW_HEIGHT: f64 = 26.0;
const BAR_THICKNESS: f64 = 18.0;
const LABEL_CHARS: usize = 24;

/// A stacked horizontal bar chart: one bar per row, one segment per series.
///
/// `id` must be unique in the page; the chart's `<title>` and `<desc>` get
/// `{id}-title` and `{id}-desc`. The description lists every value, so the
/// chart says everything it shows to a screen reader.
pub fn stacked_bars<L: AsRef<str>>(
    id: &str,
    title: &str,
    rows: &[(L, [u64; 4])],
    series: &[Series<'_>; 4],
) -> String {
    let desc = describe("Stacked horizontal bars, one per row", rows, series, true);
    let max = max_total(rows);
    if max == 0 {
        return empty(id, title, BAR_WIDTH);
    }

    let height = LEGEND_HEIGHT + ROW_HEIGHT * rows.len() as f64 + 6.0;
    let mut out = open(id, title, &desc, BAR_WIDTH, height);
    legend(&mut out, BAR_LEFT, series);
    let scale = BAR_SPAN / max as f64;
    for (i, (label, values)) in rows.iter().enumerate() {
        let label = label.as_ref();
        let y = LEGEND_HEIGHT + ROW_HEIGHT * i as f64;
        let total: u64 = values.iter().sum();
        let _ = write!(
            out,
            "<g><title>{}: {} (total {total})</title>",
            escape(label),
            escape(&values_text(series, values))
        );
        let _ = write!(
            out,
            r#"<text x="{LABEL_RIGHT}" y="{:.1}" text-anchor="end" font-size="13">{}</text>"#,
            y + BAR_THICKNESS / 2.0 + 4.5,
            escape(&shorten(label))
        );
        // Positions are summed in f64 and rounded once each, so that the
        // segments of a bar meet without gaps or drift.
        let mut acc = 0u64;
        for (s, &v) in series.iter().zip(values) {
            if v == 0 {
                continue;
            }
            let x0 = BAR_LEFT + acc as f64 * scale;
            acc += v;
            let x1 = BAR_LEFT + acc as f64 * scale;
            let _ = write!(
                out,
                r#"<rect x="{x0:.1}" y="{y:.1}" width="{:.1}" height="{BAR_THICKNESS}" fill="{}"><title>{}, {}: {v}</title></rect>"#,
                x1 - x0,
                escape(s.colour),
                escape(label),
                escape(s.name)
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="12">{total}</text></g>"#,
            BAR_LEFT + total as f64 * scale + 6.0,
            y + BAR_THICKNESS / 2.0 + 4.0
        );
    }
    out.push_str("</svg>");
    out
}

const TREND_LEFT: f64 = 48.0;
const TREND_SPAN: f64 = 496.0;
const TREND_PLOT: f64 = 160.0;

/// Stacked columns over time, one per point (a day), oldest first: how a
/// count per series changed. The y axis starts at zero and is labelled at
/// its top; the first and last points are labelled under the axis. Like
/// [`stacked_bars`], the description lists every value.
pub fn trend<L: AsRef<str>>(
    id: &str,
    title: &str,
    points: &[(L, [u64; 4])],
    series: &[Series<'_>; 4],
) -> String {
    let desc = describe(
        "Stacked columns over time, one per day",
        points,
        series,
        false,
    );
    let max = max_total(points);
    if max == 0 {
        return empty(id, title, BAR_WIDTH);
    }
    let top = LEGEND_HEIGHT + 8.0;
    let base = top + TREND_PLOT;
    let height = base + 24.0;
    let mut out = open(id, title, &desc, BAR_WIDTH, height);
    legend(&mut out, TREND_LEFT, series);
    let _ = write!(
        out,
        r##"<line x1="{TREND_LEFT}" y1="{base}" x2="{:.1}" y2="{base}" stroke="#8a94a3"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12">{max}</text><text x="{:.1}" y="{base}" text-anchor="end" font-size="12">0</text>"##,
        TREND_LEFT + TREND_SPAN,
        TREND_LEFT - 6.0,
        top + 10.0,
        TREND_LEFT - 6.0,
    );
    let slot = TREND_SPAN / points.len() as f64;
    let width = (slot * 0.8).clamp(1.0, 40.0);
    let scale = TREND_PLOT / max as f64;
    for (i, (label, values)) in points.iter().enumerate() {
        let label = label.as_ref();
        let x = TREND_LEFT + slot * i as f64 + (slot - width) / 2.0;
        let _ = write!(
            out,
            "<g><title>{}: {}</title>",
            escape(label),
            escape(&values_text(series, values))
        );
        let mut acc = 0u64;
        for (s, &v) in series.iter().zip(values) {
            if v == 0 {
                continue;
            }
            let y0 = base - acc as f64 * scale;
            acc += v;
            let y1 = base - acc as f64 * scale;
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y1:.1}" width="{width:.1}" height="{:.1}" fill="{}"/>"#,
                y0 - y1,
                escape(s.colour),
            );
        }
        out.push_str("</g>");
        let anchor = match i {
            0 => Some("start"),
            _ if i + 1 == points.len() => Some("end"),
            _ => None,
        };
        if let Some(anchor) = anchor {
            let lx = if anchor == "start" { x } else { x + width };
            let _ = write!(
                out,
                r#"<text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}" font-size="12">{}</text>"#,
                base + 16.0,
                escape(&shorten(label))
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// A chart's description for screen readers: what it is, then every row's
/// values (and its total when `totals`).
fn describe<L: AsRef<str>>(
    what: &str,
    rows: &[(L, [u64; 4])],
    series: &[Series<'_>; 4],
    totals: bool,
) -> String {
    let mut desc = format!("{what}, segments {}.", series.map(|s| s.name).join(", "));
    for (label, values) in rows {
        let _ = write!(desc, " {}: {}", label.as_ref(), values_text(series, values));
        if totals {
            let _ = write!(desc, " (total {})", values.iter().sum::<u64>());
        }
        desc.push('.');
    }
    desc
}

/// "P1 3, P2 5, …".
fn values_text(series: &[Series<'_>; 4], values: &[u64; 4]) -> String {
    series
        .iter()
        .zip(values)
        .map(|(s, v)| format!("{} {v}", s.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The largest row total.
fn max_total<L>(rows: &[(L, [u64; 4])]) -> u64 {
    rows.iter()
        .map(|(_, v)| v.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
}

/// One slice of a [`donut`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice<'a> {
    /// Legend text ("P1").
    pub label: &'a str,
    /// Its size.
    pub value: u64,
    /// Any CSS colour.
    pub colour: &'a str,
}

const DONUT_WIDTH: f64 = 380.0;
const DONUT_HEIGHT: f64 = 190.0;
const DONUT_CX: f64 = 95.0;
const DONUT_CY: f64 = 95.0;
const DONUT_R: f64 = 64.0;
const DONUT_RING: f64 = 30.0;

/// A donut chart with the total in its hole and a legend with values and
/// shares. Slices run clockwise from twelve o'clock in the order given.
///
/// `id` as for [`stacked_bars`].
pub fn donut(id: &str, title: &str, slices: &[Slice<'_>]) -> String {
    let total: u64 = slices.iter().map(|s| s.value).sum();
    let share = |v: u64| {
        if total == 0 {
            0.0
        } else {
            v as f64 * 100.0 / total as f64
        }
    };
    let mut desc = format!("Donut chart, total {total}.");
    for s in slices {
        let _ = write!(desc, " {}: {} ({:.0}%).", s.label, s.value, share(s.value));
    }
    let mut out = open(id, title, &desc, DONUT_WIDTH, DONUT_HEIGHT);
    let circumference = 2.0 * std::f64::consts::PI * DONUT_R;
    let _ = write!(
        out,
        r#"<circle cx="{DONUT_CX}" cy="{DONUT_CY}" r="{DONUT_R}" fill="none" stroke="{NEUTRAL_COLOUR}" stroke-width="{DONUT_RING}"/>"#
    );
    // Each slice is the ring's stroke dashed to its share and rotated to where
    // the previous one ended: no arc path arithmetic, exact at 0 % and 100 %.
    let mut start = 0u64;
    for s in slices.iter().filter(|s| s.value > 0) {
        let len = circumference * s.value as f64 / total as f64;
        let angle = 360.0 * start as f64 / total as f64 - 90.0;
        start += s.value;
        let _ = write!(
            out,
            r#"<circle cx="{DONUT_CX}" cy="{DONUT_CY}" r="{DONUT_R}" fill="none" stroke="{}" stroke-width="{DONUT_RING}" stroke-dasharray="{len:.2} {:.2}" transform="rotate({angle:.2} {DONUT_CX} {DONUT_CY})"><title>{}: {} ({:.0}%)</title></circle>"#,
            escape(s.colour),
            circumference - len + 0.01,
            escape(s.label),
            s.value,
            share(s.value)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{DONUT_CX}" y="{:.1}" text-anchor="middle" font-size="26" font-weight="700">{total}</text>"#,
        DONUT_CY + 9.0
    );
    for (i, s) in slices.iter().enumerate() {
        let y = 40.0 + 26.0 * i as f64;
        let _ = write!(
            out,
            r#"<rect x="210" y="{:.1}" width="14" height="14" fill="{}"/><text x="232" y="{:.1}" font-size="13">{} <tspan font-weight="700">{}</tspan> ({:.0}%)</text>"#,
            y - 11.0,
            escape(s.colour),
            y,
            escape(&shorten(s.label)),
            s.value,
            share(s.value)
        );
    }
    out.push_str("</svg>");
    out
}

pub(crate) fn open(id: &str, title: &str, desc: &str, width: f64, height: f64) -> String {
    let id = escape(id);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height:.0}" width="{width}" height="{height:.0}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}" fill="{TEXT_COLOUR}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    )
}

fn empty(id: &str, title: &str, width: f64) -> String {
    let mut out = open(id, title, "No data.", width, 40.0);
    out.push_str(r#"<text x="10" y="25" font-size="13">No data</text></svg>"#);
    out
}

fn legend(out: &mut String, left: f64, series: &[Series<'_>; 4]) {
    for (i, s) in series.iter().enumerate() {
        let x = left + 70.0 * i as f64;
        let _ = write!(
            out,
            r#"<rect x="{x}" y="6" width="14" height="14" fill="{}"/><text x="{}" y="18" font-size="13">{}</text>"#,
            escape(s.colour),
            x + 19.0,
            escape(s.name)
        );
    }
}

/// Long labels would run into the bars; the full text is in the row's
/// `<title>` and in the data table.
fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
    s.push('…');
    s
}
