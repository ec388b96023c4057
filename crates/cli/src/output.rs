//! Output formats shared by the listing commands.

use std::io::Write;

use clap::ValueEnum;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use indicatif::{ProgressBar, ProgressStyle};
use medvigil_model::Device;

/// How a command prints what it found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// JSON for programs.
    Json,
    /// CSV, in the columns `inventory import` reads.
    Csv,
}

/// The columns of the device table.
const TABLE_COLUMNS: [&str; 10] = [
    "asset tag",
    "vendor",
    "model",
    "software",
    "category",
    "class",
    "site",
    "ward",
    "ip",
    "mac",
];

fn cell<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Writes devices in `format`.
pub fn write_devices(
    out: &mut impl Write,
    devices: &[Device],
    format: Format,
) -> anyhow::Result<()> {
    match format {
        Format::Table => {
            let mut table = Table::new();
            table
                .load_style(UTF8_BORDERS_ONLY)
                .set_header(TABLE_COLUMNS);
            for d in devices {
                let f = &d.fields;
                table.add_row([
                    cell(f.asset_tag.as_ref()),
                    cell(f.vendor.as_ref()),
                    cell(f.model.as_ref()),
                    cell(f.software_version.as_ref()),
                    cell(f.category),
                    cell(f.eu_class),
                    cell(f.location.site.as_ref()),
                    cell(f.location.ward.as_ref()),
                    cell(f.ip),
                    cell(f.mac),
                ]);
            }
            writeln!(out, "{table}")?;
            writeln!(out, "{} devices", devices.len())?;
        }
        Format::Json => {
            serde_json::to_writer(&mut *out, devices)?;
            writeln!(out)?;
        }
        Format::Csv => {
            medvigil_inventory::write_csv(
                &mut *out,
                devices.iter().map(|d| (Some(d.id.to_string()), &d.fields)),
            )?;
        }
    }
    Ok(())
}

/// A progress bar on standard error (hidden when it is not a terminal).
pub fn progress_bar(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// A `(done, total)` callback that moves `bar`, for the store's progress reports.
pub fn follow(bar: &ProgressBar) -> impl FnMut(u64, u64) + Send + '_ {
    move |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    }
}

/// Writes `text` to standard output. A reader that went away (`| head`)
/// is not an error: the command has said what was wanted.
pub fn emit(text: impl std::fmt::Display) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Prints one JSON object per line, for scripts.
pub fn json_lines<T: serde::Serialize>(rows: &[T]) -> anyhow::Result<()> {
    let mut text = String::new();
    for r in rows {
        text.push_str(&serde_json::to_string(r)?);
        text.push('\n');
    }
    if text.is_empty() {
        return Ok(());
    }
    emit(text.trim_end())
}

/// An empty table in the CLI's style, with this header.
pub fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_BORDERS_ONLY).set_header(header);
    table
}
