//! The chart module on its own: golden output, empty data, escaping.

use std::path::Path;

use medvigil_report::svg::{NEUTRAL_COLOUR, PRIORITY_SERIES, Slice, donut, stacked_bars, trend};

/// Compares `actual` with `tests/golden/<name>`; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(
        actual, expected,
        "{name} differs; UPDATE_GOLDEN=1 rewrites it"
    );
}

fn well_formed(svg: &str) {
    let mut r = quick_xml::reader::Reader::from_str(svg);
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{e}\n{svg}"),
        }
    }
}

#[test]
fn stacked_bars_golden() {
    let rows = [
        ("III", [2, 1, 0, 0]),
        ("IIb", [1, 4, 6, 3]),
        (
            "A very long department name that does not fit",
            [0, 0, 1, 5],
        ),
        ("Not recorded", [0, 1, 0, 0]),
    ];
    let svg = stacked_bars(
        "chart-class",
        "Devices by EU class",
        &rows,
        &PRIORITY_SERIES,
    );
    well_formed(&svg);
    golden("stacked_bars.svg", &format!("{svg}\n"));
}

#[test]
fn donut_golden() {
    let slices: Vec<Slice<'_>> = PRIORITY_SERIES
        .iter()
        .zip([3, 5, 12, 10])
        .map(|(s, value)| Slice {
            label: s.name,
            value,
            colour: s.colour,
        })
        .chain([Slice {
            label: "No findings",
            value: 20,
            colour: NEUTRAL_COLOUR,
        }])
        .collect();
    let svg = donut("chart-priority", "Devices by priority", &slices);
    well_formed(&svg);
    golden("donut.svg", &format!("{svg}\n"));
}

#[test]
fn empty_charts_have_title_and_say_so() {
    let none: [(&str, [u64; 4]); 0] = [];
    for svg in [
        stacked_bars("a", "Nothing", &none, &PRIORITY_SERIES),
        stacked_bars("b", "Zeros", &[("x", [0, 0, 0, 0])], &PRIORITY_SERIES),
        donut("c", "Nothing", &[]),
    ] {
        well_formed(&svg);
        assert!(svg.contains("</title>"));
        assert!(svg.contains(r#"role="img""#));
    }
}

#[test]
fn a_single_slice_fills_the_ring() {
    let svg = donut(
        "d",
        "All P1",
        &[Slice {
            label: "P1",
            value: 4,
            colour: "#a50f15",
        }],
    );
    well_formed(&svg);
    assert!(svg.contains("(100%)"));
}

#[test]
fn caller_text_is_escaped() {
    let svg = stacked_bars(
        "x\"><script>",
        "<b>t</b>",
        &[("<i>'a'</i> & b", [1, 0, 0, 0])],
        &PRIORITY_SERIES,
    );
    well_formed(&svg);
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("<b>"));
    assert!(!svg.contains("<i>"));
}

#[test]
fn trend_golden_and_hostile_labels() {
    let points = [
        ("2026-11-28", [3, 5, 12, 10]),
        ("2026-11-29", [2, 5, 13, 10]),
        ("2026-11-30", [0, 4, 11, 9]),
    ];
    let svg = trend(
        "chart-trend",
        "Devices at risk per day",
        &points,
        &PRIORITY_SERIES,
    );
    well_formed(&svg);
    // Every value is told in the description, for screen readers.
    assert!(
        svg.contains("2026-11-29: P1 2, P2 5, P3 13, P4 10."),
        "{svg}"
    );
    golden("trend.svg", &format!("{svg}\n"));
    let hostile = [
        ("<script>alert(1)</script>", [1, 0, 0, 0]),
        ("a&b\"'", [0, 1, 0, 0]),
    ];
    let svg = trend("t<x>", "Title & <b>", &hostile, &PRIORITY_SERIES);
    well_formed(&svg);
    assert!(!svg.contains("<script") && !svg.contains("<b>"), "{svg}");
    // Nothing to draw: a chart that says so.
    let none: [(&str, [u64; 4]); 0] = [];
    let svg = trend("t", "Empty", &none, &PRIORITY_SERIES);
    well_formed(&svg);
    assert!(svg.contains("No data"));
}
