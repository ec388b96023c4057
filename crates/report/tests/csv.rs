//! The CSV exports: one row per device (or remediation), readable back with
//! the csv reader, formulas defused.

use medvigil_model::{Category, Criticality, EuClass};
use medvigil_report::csv_export::{DEVICE_COLUMNS, REMEDIATION_COLUMNS};
use medvigil_report::sample::sample_group;
use medvigil_report::{DeviceRow, ReportInput, Scope, render_csv, render_remediations_csv};
use medvigil_risk::Priority;
use proptest::prelude::*;
use time::macros::{datetime, format_description};

fn read(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = r.records().collect::<Result<_, _>>().expect("records");
    (header, rows)
}

fn opt(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

#[test]
fn one_row_per_device_that_reads_back() {
    let input = sample_group(2026, 50);
    let text = render_csv(&input);
    assert!(text.ends_with("\r\n"));
    let (header, rows) = read(&text);
    assert_eq!(header, DEVICE_COLUMNS);
    assert_eq!(rows.len(), input.devices.len());
    let ymd = format_description!("[year]-[month]-[day]");
    for row in &rows {
        let id = &row[0];
        let d = input
            .devices
            .iter()
            .find(|d| d.device_id == id)
            .expect("device in input");
        assert_eq!(opt(&row[1]), d.asset_tag.as_deref());
        assert_eq!(&row[2], d.name);
        assert_eq!(opt(&row[3]), d.site.as_deref());
        assert_eq!(opt(&row[4]), d.department.as_deref());
        assert_eq!(
            opt(&row[5]).map(|s| s.parse::<Category>().expect("category")),
            d.category
        );
        assert_eq!(
            opt(&row[6]).map(|s| s.parse::<EuClass>().expect("class")),
            d.eu_class
        );
        assert_eq!(
            opt(&row[7]).map(|s| s.parse::<Criticality>().expect("criticality")),
            d.criticality
        );
        assert_eq!(
            opt(&row[8]).map(|s| s.parse::<Priority>().expect("priority")),
            d.priority
        );
        let counts: Vec<usize> = (9..13).map(|i| row[i].parse().expect("count")).collect();
        assert_eq!(counts, d.counts);
        assert_eq!(opt(&row[13]), d.top_vulnerability.as_deref());
        assert_eq!(
            opt(&row[14]).map(|s| time::Date::parse(s, ymd).expect("date")),
            d.deadline
        );
        assert_eq!(opt(&row[15]), d.reason.as_deref());
    }
    // Most urgent first.
    let ranks: Vec<usize> = rows
        .iter()
        .map(|r| opt(&r[8]).map_or(4, |p| p.parse::<Priority>().expect("p").index()))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn remediations_read_back() {
    let input = sample_group(2026, 50);
    let (header, rows) = read(&render_remediations_csv(&input));
    assert_eq!(header, REMEDIATION_COLUMNS);
    assert_eq!(rows.len(), input.remediations.len());
    for (row, r) in rows.iter().zip(&input.remediations) {
        assert_eq!(&row[0], r.id);
        assert_eq!(&row[3], r.action);
        assert_eq!(&row[7], r.overdue.to_string());
    }
}

#[test]
fn empty_input_is_just_the_header() {
    let input = ReportInput {
        title: String::new(),
        scope: Scope::Site { name: "S".into() },
        generated_at: datetime!(2026-11-30 08:00 UTC),
        devices: Vec::new(),
        remediations: Vec::new(),
    };
    assert_eq!(
        render_csv(&input),
        format!("{}\r\n", DEVICE_COLUMNS.join(","))
    );
    assert_eq!(
        render_remediations_csv(&input),
        format!("{}\r\n", REMEDIATION_COLUMNS.join(","))
    );
}

fn one(name: &str) -> ReportInput {
    let mut d = DeviceRow::new("dev-1", name);
    d.reason = Some(name.to_owned());
    ReportInput {
        title: String::new(),
        scope: Scope::Site { name: "S".into() },
        generated_at: datetime!(2026-11-30 08:00 UTC),
        devices: vec![d],
        remediations: Vec::new(),
    }
}

#[test]
fn formulas_are_defused() {
    let (_, rows) = read(&render_csv(&one(r#"=HYPERLINK("http://x","y")"#)));
    assert_eq!(&rows[0][2], r#"'=HYPERLINK("http://x","y")"#);
    assert_eq!(&rows[0][15], r#"'=HYPERLINK("http://x","y")"#);
}

proptest! {
    /// Any name survives the trip, quotes, commas and new lines included;
    /// only a formula's leading character gains a `'`.
    #[test]
    fn any_name_round_trips(name in any::<String>()) {
        let (_, rows) = read(&render_csv(&one(&name)));
        prop_assert_eq!(rows.len(), 1);
        let expected = if name.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{name}")
        } else {
            name.clone()
        };
        prop_assert_eq!(&rows[0][2], expected.as_str());
    }
}
