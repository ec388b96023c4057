//! The HTML report: well-formed, self-contained, escaped, and its figures
//! match the input.

mod common;

use std::collections::HashMap;

use common::{ALLOWED, HOSTILE_NAME, hostile, parse, svg_blocks, tile};
use medvigil_model::{Category, EuClass};
use medvigil_report::sample::sample_group;
use medvigil_report::{DeviceRow, RemediationRow, ReportInput, Scope, render_html};
use medvigil_risk::Priority;
use proptest::prelude::*;
use time::macros::{date, datetime};

fn assert_only_allowed(html: &str) {
    let parsed = parse(html).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    for name in parsed.elements.keys() {
        assert!(
            ALLOWED.contains(&name.as_str()),
            "unexpected element <{name}>"
        );
    }
}

#[test]
fn realistic_group_report_is_well_formed_and_self_contained() {
    let input = sample_group(2026, 50);
    assert_eq!(input.devices.len(), 50);
    let html = render_html(&input);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_only_allowed(&html);

    let svgs = svg_blocks(&html);
    // Donut, EU class, category, department, site.
    assert_eq!(svgs.len(), 5);
    for svg in &svgs {
        let parsed = parse(svg).unwrap_or_else(|e| panic!("SVG not well-formed: {e}\n{svg}"));
        assert!(parsed.elements.get("title").copied().unwrap_or(0) >= 1);
        assert!(svg.contains(r#"role="img""#));
        assert!(parsed.elements.contains_key("desc"));
        assert!(!parsed.titles[0].is_empty());
    }
    // Each chart also has a data table.
    assert_eq!(
        html.matches("<details><summary>Data table</summary>")
            .count(),
        5
    );

    assert!(!html.to_ascii_lowercase().contains("<script"));
    for scheme in ["http://", "https://"] {
        for (at, _) in html.match_indices(scheme) {
            assert!(
                html[..at].ends_with(r#"<svg xmlns=""#)
                    && html[at..].starts_with("http://www.w3.org/2000/svg\""),
                "external reference at byte {at}: {}",
                &html[at.saturating_sub(40)..(at + 60).min(html.len())]
            );
        }
    }
    for fetch in [
        " src=", " href=", "url(", "@import", "<link", "<iframe", "<object",
    ] {
        assert!(!html.contains(fetch), "{fetch} in the report");
    }
    assert!(html.contains("@media print"));
}

#[test]
fn tiles_match_the_input() {
    let input = sample_group(2026, 50);
    let html = render_html(&input);
    let today = input.generated_at.date();
    assert_eq!(tile(&html, "devices"), input.devices.len());
    for p in Priority::ALL {
        let expected = input
            .devices
            .iter()
            .filter(|d| d.priority == Some(p))
            .count();
        assert_eq!(
            tile(&html, &p.as_str().to_ascii_lowercase()),
            expected,
            "{p}"
        );
    }
    let overdue = input.remediations.iter().filter(|r| r.overdue).count();
    assert!(overdue > 0, "the sample has overdue remediations");
    assert_eq!(tile(&html, "overdue"), overdue);
    let expiring = input
        .remediations
        .iter()
        .filter(|r| {
            r.accepted_until
                .is_some_and(|d| d >= today && (d - today).whole_days() <= 30)
        })
        .count();
    assert_eq!(tile(&html, "expiring"), expiring);
    // Every overdue remediation is listed in its table.
    let section = &html[html.find("id=\"overdue-h\"").expect("overdue section")..];
    let section = &section[..section.find("</section>").expect("end")];
    assert_eq!(
        section.matches("<tr><td class=\"device\">").count(),
        overdue
    );
}

#[test]
fn top_risks_lists_twenty_most_urgent_first() {
    let input = sample_group(2026, 50);
    let html = render_html(&input);
    let section = &html[html.find("id=\"top-h\"").expect("top risks")..];
    let section = &section[..section.find("</section>").expect("end")];
    let marker = "<span class=\"badge p";
    let badges: Vec<&str> = section
        .match_indices(marker)
        .map(|(at, _)| &section[at + marker.len()..at + marker.len() + 1])
        .collect();
    let with = input
        .devices
        .iter()
        .filter(|d| d.priority.is_some())
        .count();
    assert_eq!(badges.len(), with.min(20));
    assert!(badges.windows(2).all(|w| w[0] <= w[1]), "{badges:?}");
}

#[test]
fn every_piece_of_free_text_is_escaped() {
    let input = hostile();
    let html = render_html(&input);
    assert_only_allowed(&html);
    for svg in svg_blocks(&html) {
        parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    }
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("<svg onload"));
    assert!(!html.contains("' onmouseover='"));
    assert!(!html.contains("<!--"));
    assert!(!html.contains("<![CDATA["));
    assert!(
        html.contains("&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt; &amp; &#39;Pump&#39;")
    );
    assert!(
        html.contains(
            "<title>Nord &lt;title&gt;&quot;risk&quot;&lt;/title&gt; &amp; report</title>"
        )
    );
    // The escaped entity in the input stays an entity's text, not a `<`.
    assert!(html.contains("&amp;lt; &amp;#60;"));
    // The hostile site became a bar: its label is in an SVG title.
    let titles: Vec<String> = svg_blocks(&html)
        .iter()
        .flat_map(|s| parse(s).expect("svg").titles)
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with(r#"Site <i>"A"</i>: P1 "#)),
        "{titles:?}"
    );
    assert!(HOSTILE_NAME.contains('<'));
}

fn empty(scope: Scope) -> ReportInput {
    ReportInput {
        title: String::new(),
        scope,
        generated_at: datetime!(2026-11-30 08:00 UTC),
        devices: Vec::new(),
        remediations: Vec::new(),
    }
}

#[test]
fn empty_input_says_no_findings() {
    let html = render_html(&empty(Scope::Group {
        name: String::new(),
    }));
    assert_only_allowed(&html);
    assert!(html.contains("No findings"));
    assert!(html.contains("No overdue remediations."));
    for key in ["devices", "p1", "p2", "p3", "p4", "overdue", "expiring"] {
        assert_eq!(tile(&html, key), 0, "{key}");
    }
    for svg in svg_blocks(&html) {
        parse(svg).expect("svg");
        assert!(svg.contains("<title"));
    }
}

#[test]
fn devices_without_findings_only() {
    let mut input = empty(Scope::Site {
        name: "Hafen".into(),
    });
    input.devices = (0..3)
        .map(|i| DeviceRow::new(format!("d{i}"), format!("Monitor {i}")))
        .collect();
    let html = render_html(&input);
    assert_only_allowed(&html);
    assert!(html.contains("No findings"));
    assert_eq!(tile(&html, "devices"), 3);
    // One site: no breakdown by site.
    assert_eq!(svg_blocks(&html).len(), 4);
    assert!(!html.contains("Risk by site"));
}

#[test]
fn many_departments_are_capped_with_an_other_bar() {
    let mut input = empty(Scope::Group { name: "G".into() });
    input.devices = (0..30)
        .map(|i| {
            let mut d = DeviceRow::new(format!("d{i}"), "Pump");
            d.department = Some(format!("Ward {i:02}"));
            d.category = Some(Category::InfusionPump);
            d.eu_class = Some(EuClass::IIb);
            d.priority = Some(Priority::P3);
            d.counts = [0, 0, 1, 0];
            d
        })
        .collect();
    let html = render_html(&input);
    assert!(html.contains("Other (19 groups)"));
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[<>&\"' a-z/=!\\[\\]-]{0,24}",
        Just(String::new()),
        Just("  ".to_owned()),
    ]
}

prop_compose! {
    fn device_strategy()(
        name in text_strategy(),
        tag in proptest::option::of(text_strategy()),
        site in proptest::option::of(text_strategy()),
        department in proptest::option::of(text_strategy()),
        reason in proptest::option::of(text_strategy()),
        vuln in proptest::option::of(text_strategy()),
        p in proptest::option::of(0usize..4),
        counts in proptest::array::uniform4(0usize..5),
    ) -> DeviceRow {
        let mut d = DeviceRow::new("id", name);
        d.asset_tag = tag;
        d.site = site;
        d.department = department;
        d.reason = reason;
        d.top_vulnerability = vuln;
        d.priority = p.map(|i| Priority::ALL[i]);
        d.counts = counts;
        d.deadline = Some(date!(2026-12-01));
        d
    }
}

prop_compose! {
    fn input_strategy()(
        title in text_strategy(),
        scope in text_strategy(),
        devices in proptest::collection::vec(device_strategy(), 0..8),
        remediations in proptest::collection::vec(
            (text_strategy(), text_strategy(), text_strategy(), any::<bool>()), 0..4),
    ) -> ReportInput {
        ReportInput {
            title,
            scope: Scope::Group { name: scope },
            generated_at: datetime!(2026-11-30 08:00 UTC),
            devices,
            remediations: remediations
                .into_iter()
                .enumerate()
                .map(|(i, (device, action, status, overdue))| RemediationRow {
                    id: format!("r{i}"),
                    device,
                    vulnerability: None,
                    action,
                    owner_team: None,
                    status,
                    due: Some(date!(2026-10-01)),
                    overdue,
                    accepted_until: overdue.then_some(date!(2026-12-10)),
                })
                .collect(),
        }
    }
}

/// The same input with every free text replaced by a neutral placeholder,
/// equal texts (as the breakdowns compare them) by equal placeholders.
fn neutral(input: &ReportInput) -> ReportInput {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut swap = |s: &mut String| {
        let key = s.trim().to_owned();
        let n = names.len();
        *s = if key.is_empty() {
            String::new()
        } else {
            names.entry(key).or_insert_with(|| format!("x{n}")).clone()
        };
    };
    let mut out = input.clone();
    swap(&mut out.title);
    let (Scope::Group { name } | Scope::Site { name }) = &mut out.scope;
    swap(name);
    for d in &mut out.devices {
        swap(&mut d.name);
        for s in [
            &mut d.asset_tag,
            &mut d.site,
            &mut d.department,
            &mut d.reason,
            &mut d.top_vulnerability,
        ]
        .into_iter()
        .flatten()
        {
            swap(s);
        }
    }
    for r in &mut out.remediations {
        swap(&mut r.device);
        swap(&mut r.action);
        swap(&mut r.status);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever devices and sites are called, the page has exactly the
    /// elements it has for harmless names: no text ever becomes markup.
    #[test]
    fn text_never_becomes_markup(input in input_strategy()) {
        let html = render_html(&input);
        let parsed = parse(&html).map_err(|e| TestCaseError::fail(format!("{e}\n{html}")))?;
        for name in parsed.elements.keys() {
            prop_assert!(ALLOWED.contains(&name.as_str()), "unexpected <{}>", name);
        }
        for svg in svg_blocks(&html) {
            parse(svg).map_err(|e| TestCaseError::fail(format!("{e}\n{svg}")))?;
        }
        let reference = parse(&render_html(&neutral(&input))).expect("neutral input parses");
        prop_assert_eq!(parsed.elements, reference.elements);
    }
}
