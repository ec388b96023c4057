//! Export of devices as CSV, in the same columns that import reads, so that
//! an export re-imports as "unchanged".

use std::io::Write;

use medvigil_model::{DeviceField, DeviceFields};

/// Writes the header line and one line per device (`id` first when given).
///
/// # Errors
/// When the writer fails.
pub fn write_csv<'a, W: Write>(
    out: W,
    devices: impl IntoIterator<Item = (Option<String>, &'a DeviceFields)>,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    let mut devices = devices.into_iter().peekable();
    let with_id = devices.peek().is_some_and(|(id, _)| id.is_some());
    let mut header: Vec<&str> = Vec::with_capacity(DeviceField::ALL.len() + 1);
    if with_id {
        header.push("id");
    }
    header.extend(DeviceField::ALL.iter().map(|f| f.as_str()));
    w.write_record(&header)?;
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for (id, fields) in devices {
        record.clear();
        if with_id {
            record.push(id.unwrap_or_default());
        }
        record.extend(
            DeviceField::ALL
                .iter()
                .map(|&f| fields.text(f).unwrap_or_default()),
        );
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}
