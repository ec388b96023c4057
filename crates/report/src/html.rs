//! The report as one self-contained HTML5 file: inline CSS, inline SVG, no
//! script, no font, image or link to fetch. The markup is also well-formed
//! XML (void elements self-closed, only XML's character references), so
//! that a test can parse the whole page and see every element it contains.

use std::fmt::Write;

use medvigil_risk::Priority;
use time::macros::format_description;

use crate::escape::escape;
use crate::input::{DeviceRow, RemediationRow, ReportInput};
use crate::summary::{self, Dimension, EXPIRY_WINDOW_DAYS, Summary, TOP_RISKS, report_date};
use crate::svg::{self, NEUTRAL_COLOUR, PRIORITY_SERIES, Slice};

const CSS: &str = include_str!("report.css");

/// Renders the whole report.
pub fn render_html(input: &ReportInput) -> String {
    let s = summary::summary(input);
    let mut out = String::with_capacity(64 * 1024 + input.devices.len() * 512);
    let title = escape(&input.title);
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="generator" content="medvigil-report {}"/>
<title>{title}</title>
<style>
{CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="meta">{} · generated <time datetime="{}">{}</time></p>
</header>
<main>
"#,
        env!("CARGO_PKG_VERSION"),
        escape(&input.scope.to_string()),
        rfc3339(input),
        escape(&generated(input)),
    );
    tiles(&mut out, &s);
    charts(&mut out, input, &s);
    top_risks(&mut out, input);
    overdue(&mut out, input);
    expiring(&mut out, input);
    let _ = write!(
        out,
        r#"</main>
<footer>
<p>Priorities P1–P4 combine the CISA SSVC decision, CVSS, known exploitation (CISA KEV, FIRST EPSS) and the device's clinical context (EU MDR class, criticality, exposure) under the medvigil risk policy. Charts count each device once, at its most urgent priority.</p>
</footer>
</body>
</html>
"#
    );
    out
}

fn generated(input: &ReportInput) -> String {
    input
        .generated_at
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute] UTC[offset_hour sign:mandatory]:[offset_minute]"
        ))
        .unwrap_or_else(|_| input.generated_at.to_string())
}

fn rfc3339(input: &ReportInput) -> String {
    input
        .generated_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn tiles(out: &mut String, s: &Summary) {
    out.push_str(
        "<section aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n<ul class=\"tiles\">\n",
    );
    let mut tile = |key: &str, class: &str, value: usize, label: &str| {
        let _ = writeln!(
            out,
            r#"<li class="tile {class}" data-tile="{key}"><span class="value">{value}</span><span class="label">{}</span></li>"#,
            escape(label)
        );
    };
    tile(
        "devices",
        "",
        s.devices,
        &format!("devices, {} with findings", s.with_findings),
    );
    for p in Priority::ALL {
        let n = s.devices_by_priority[p.index()];
        let key = p.as_str().to_ascii_lowercase();
        tile(
            &key,
            &key,
            n,
            &format!(
                "devices at {p} ({} {p} findings)",
                s.findings_by_priority[p.index()]
            ),
        );
    }
    tile(
        "overdue",
        if s.overdue > 0 { "alert" } else { "" },
        s.overdue,
        "overdue remediations",
    );
    tile(
        "expiring",
        if s.accepted_expiring > 0 { "watch" } else { "" },
        s.accepted_expiring,
        &format!("accepted risks expiring within {EXPIRY_WINDOW_DAYS} days"),
    );
    out.push_str("</ul>\n</section>\n");
}

fn badge(p: Option<Priority>) -> String {
    match p {
        Some(p) => format!(
            r#"<span class="badge {}">{p}</span>"#,
            p.as_str().to_ascii_lowercase()
        ),
        None => "–".to_owned(),
    }
}

fn opt(v: Option<&str>) -> String {
    v.map_or_else(|| "–".to_owned(), escape)
}

fn top_risks(out: &mut String, input: &ReportInput) {
    let ranked = summary::top_risks(&input.devices, TOP_RISKS);
    let _ = write!(
        out,
        "<section aria-labelledby=\"top-h\">\n<h2 id=\"top-h\">Top risks</h2>\n"
    );
    if ranked.is_empty() {
        out.push_str(
            "<p class=\"empty\">No findings: no device in scope has an open vulnerability.</p>\n</section>\n",
        );
        return;
    }
    let with = input
        .devices
        .iter()
        .filter(|d| d.priority.is_some())
        .count();
    let _ = writeln!(
        out,
        r#"<p class="meta">The {} most urgent of {with} devices with findings, by priority, then by number of findings.</p>"#,
        ranked.len()
    );
    out.push_str(
        r#"<div class="scroll"><table>
<thead><tr><th class="num">#</th><th>Priority</th><th>Device</th><th>Site</th><th>Department</th><th>Class</th><th class="num" title="Findings P1 / P2 / P3 / P4">P1/P2/P3/P4</th><th>Top vulnerability</th><th>Deadline</th><th>Reason</th></tr></thead>
<tbody>
"#,
    );
    for (i, d) in ranked.iter().enumerate() {
        device_row(out, i + 1, d);
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn device_row(out: &mut String, rank: usize, d: &DeviceRow) {
    let [p1, p2, p3, p4] = d.counts;
    let tag = d
        .asset_tag
        .as_deref()
        .map(|t| format!(r#"<br/><span class="sub">{}</span>"#, escape(t)))
        .unwrap_or_default();
    let category = d
        .category
        .map(|c| format!(r#"<br/><span class="sub">{}</span>"#, escape(c.label())))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        r#"<tr><td class="num">{rank}</td><td>{}</td><td class="device">{}{tag}{category}</td><td>{}</td><td>{}</td><td>{}</td><td class="num nowrap">{p1}/{p2}/{p3}/{p4}</td><td class="nowrap">{}</td><td class="nowrap">{}</td><td class="reason">{}</td></tr>"#,
        badge(d.priority),
        escape(&d.name),
        opt(d.site.as_deref()),
        opt(d.department.as_deref()),
        d.eu_class.map_or("–", |c| c.as_str()),
        opt(d.top_vulnerability.as_deref()),
        d.deadline.map_or_else(|| "–".to_owned(), |x| x.to_string()),
        opt(d.reason.as_deref()),
    );
}

fn charts(out: &mut String, input: &ReportInput, s: &Summary) {
    out.push_str(
        "<section aria-labelledby=\"charts-h\">\n<h2 id=\"charts-h\">Risk breakdown</h2>\n<div class=\"charts\">\n",
    );
    let no_findings = (s.devices - s.with_findings.min(s.devices)) as u64;
    let mut slices: Vec<Slice<'_>> = PRIORITY_SERIES
        .iter()
        .zip(s.devices_by_priority)
        .map(|(series, n)| Slice {
            label: series.name,
            value: n as u64,
            colour: series.colour,
        })
        .collect();
    slices.push(Slice {
        label: "No findings",
        value: no_findings,
        colour: NEUTRAL_COLOUR,
    });
    let _ = write!(
        out,
        "<figure>\n<h3>Devices by most urgent priority</h3>\n{}\n<details><summary>Data table</summary><table><thead><tr><th>Priority</th><th class=\"num\">Devices</th></tr></thead><tbody>",
        svg::donut("chart-priority", "Devices by most urgent priority", &slices)
    );
    for sl in &slices {
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td class="num">{}</td></tr>"#,
            escape(sl.label),
            sl.value
        );
    }
    out.push_str("</tbody></table></details>\n</figure>\n");

    let mut dims = vec![
        Dimension::EuClass,
        Dimension::Category,
        Dimension::Department,
    ];
    if input.scope.is_group() {
        dims.push(Dimension::Site);
    }
    for dim in dims {
        let rows = summary::breakdown(&input.devices, dim);
        let title = format!("Devices with findings by {}", dim.label());
        let id = format!(
            "chart-{}",
            dim.label().replace(' ', "-").to_ascii_lowercase()
        );
        let _ = write!(
            out,
            "<figure>\n<h3>Risk by {}</h3>\n{}\n",
            escape(dim.label()),
            svg::stacked_bars(&id, &title, &rows, &PRIORITY_SERIES)
        );
        breakdown_table(out, dim, &rows);
        out.push_str("</figure>\n");
    }
    out.push_str("</div>\n</section>\n");
}

fn breakdown_table(out: &mut String, dim: Dimension, rows: &[(String, [u64; 4])]) {
    let mut head = dim.label().to_owned();
    if let Some(first) = head.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let _ = write!(
        out,
        r#"<details><summary>Data table</summary><table><thead><tr><th>{}</th><th class="num">P1</th><th class="num">P2</th><th class="num">P3</th><th class="num">P4</th><th class="num">Total</th></tr></thead><tbody>"#,
        escape(&head)
    );
    if rows.is_empty() {
        out.push_str(r#"<tr><td colspan="6">No devices with findings.</td></tr>"#);
    }
    for (label, v) in rows {
        let _ = write!(out, "<tr><td>{}</td>", escape(label));
        for n in v {
            let _ = write!(out, r#"<td class="num">{n}</td>"#);
        }
        let _ = write!(
            out,
            r#"<td class="num">{}</td></tr>"#,
            v.iter().sum::<u64>()
        );
    }
    out.push_str("</tbody></table></details>\n");
}

fn remediation_table(out: &mut String, rows: &[&RemediationRow], today: time::Date, lapse: bool) {
    let last = if lapse {
        "Accepted until"
    } else {
        "Days overdue"
    };
    let _ = write!(
        out,
        r#"<div class="scroll"><table>
<thead><tr><th>Device</th><th>Vulnerability</th><th>Action</th><th>Owner</th><th>Status</th><th>Due</th><th class="num">{last}</th></tr></thead>
<tbody>
"#
    );
    for r in rows {
        let last = if lapse {
            r.accepted_until.map_or_else(String::new, |d| d.to_string())
        } else {
            r.due
                .map_or_else(String::new, |d| (today - d).whole_days().to_string())
        };
        let _ = writeln!(
            out,
            r#"<tr><td class="device">{}</td><td class="nowrap">{}</td><td>{}</td><td>{}</td><td>{}</td><td class="nowrap">{}</td><td class="num nowrap">{last}</td></tr>"#,
            escape(&r.device),
            opt(r.vulnerability.as_deref()),
            escape(&r.action),
            opt(r.owner_team.as_deref()),
            escape(&r.status),
            r.due.map_or_else(|| "–".to_owned(), |d| d.to_string()),
        );
    }
    out.push_str("</tbody>\n</table></div>\n");
}

fn overdue(out: &mut String, input: &ReportInput) {
    let rows = summary::overdue(&input.remediations);
    out.push_str(
        "<section aria-labelledby=\"overdue-h\">\n<h2 id=\"overdue-h\">Overdue remediations</h2>\n",
    );
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">No overdue remediations.</p>\n");
    } else {
        remediation_table(out, &rows, report_date(input), false);
    }
    out.push_str("</section>\n");
}

fn expiring(out: &mut String, input: &ReportInput) {
    let rows = summary::accepted_expiring(input);
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"expiring-h\">\n<h2 id=\"expiring-h\">Accepted risks expiring within {EXPIRY_WINDOW_DAYS} days</h2>"
    );
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"empty\">No accepted risk lapses in the next {EXPIRY_WINDOW_DAYS} days.</p>"
        );
    } else {
        remediation_table(out, &rows, report_date(input), true);
    }
    out.push_str("</section>\n");
}
