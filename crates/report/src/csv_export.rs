//! The report's tables as CSV (RFC 4180, comma, header row, UTF-8), for
//! spreadsheets and for the hospital's own tooling.
//!
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) get a leading `'`, as OWASP advises
//! against CSV injection: device names and host names can come from the
//! network, and an attacker on it could name a device
//! `=HYPERLINK("http://…")`. Machine-made values (ids, dates, counts,
//! priorities) never start with those characters and are written as is.

use crate::input::{DeviceRow, ReportInput};
use crate::summary::by_urgency;

/// The device CSV's header.
pub const DEVICE_COLUMNS: [&str; 16] = [
    "device_id",
    "asset_tag",
    "name",
    "site",
    "department",
    "category",
    "eu_class",
    "criticality",
    "priority",
    "p1",
    "p2",
    "p3",
    "p4",
    "top_vulnerability",
    "deadline",
    "reason",
];

/// The remediation CSV's header.
pub const REMEDIATION_COLUMNS: [&str; 9] = [
    "id",
    "device",
    "vulnerability",
    "action",
    "owner_team",
    "status",
    "due",
    "overdue",
    "accepted_until",
];

/// One row per device, most urgent first, devices without findings last.
/// Categories, classes and criticalities are written in their machine
/// names (`infusion-pump`, `IIb`, `life-sustaining`), which parse back.
pub fn render_csv(input: &ReportInput) -> String {
    let mut devices: Vec<&DeviceRow> = input.devices.iter().collect();
    devices.sort_by(|a, b| by_urgency(a, b));
    let mut w = Table::new(&DEVICE_COLUMNS);
    for d in devices {
        let [p1, p2, p3, p4] = d.counts.map(|n| n.to_string());
        w.row([
            d.device_id.clone(),
            text(d.asset_tag.as_deref()),
            text(Some(&d.name)),
            text(d.site.as_deref()),
            text(d.department.as_deref()),
            d.category
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            d.eu_class
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            d.criticality
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            d.priority.map(|p| p.to_string()).unwrap_or_default(),
            p1,
            p2,
            p3,
            p4,
            text(d.top_vulnerability.as_deref()),
            d.deadline.map(|x| x.to_string()).unwrap_or_default(),
            text(d.reason.as_deref()),
        ]);
    }
    w.finish()
}

/// One row per remediation (overdue ones included, flagged), in input order.
pub fn render_remediations_csv(input: &ReportInput) -> String {
    let mut w = Table::new(&REMEDIATION_COLUMNS);
    for r in &input.remediations {
        w.row([
            r.id.clone(),
            text(Some(&r.device)),
            text(r.vulnerability.as_deref()),
            text(Some(&r.action)),
            text(r.owner_team.as_deref()),
            text(Some(&r.status)),
            r.due.map(|x| x.to_string()).unwrap_or_default(),
            r.overdue.to_string(),
            r.accepted_until.map(|x| x.to_string()).unwrap_or_default(),
        ]);
    }
    w.finish()
}

/// Free text from people or the network, defused for spreadsheets.
fn text(v: Option<&str>) -> String {
    match v {
        Some(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
        Some(s) => s.to_owned(),
        None => String::new(),
    }
}

/// A CSV writer into memory. Writing to a `Vec<u8>` cannot fail, so the
/// `csv` crate's I/O errors are impossible here; they are not propagated
/// to keep the renderers' signatures honest.
struct Table {
    w: csv::Writer<Vec<u8>>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        let mut t = Self {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        };
        t.row(header.iter().copied());
        t
    }

    fn row<I, F>(&mut self, fields: I)
    where
        I: IntoIterator<Item = F>,
        F: AsRef<[u8]>,
    {
        let _ = self.w.write_record(fields);
    }

    fn finish(self) -> String {
        let bytes = self.w.into_inner().unwrap_or_default();
        // Every field came from a `&str`: the bytes are UTF-8.
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
