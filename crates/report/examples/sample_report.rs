//! Writes the sample group's report: `cargo run -p medvigil-report --example
//! sample_report -- report.html` writes `report.html`, `report.devices.csv`
//! and `report.remediations.csv`.

use std::path::PathBuf;
use std::process::ExitCode;

use medvigil_report::{render_csv, render_html, render_remediations_csv, sample::sample_group};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: sample_report <report.html>");
        return ExitCode::from(2);
    };
    let input = sample_group(2026, 50);
    let outputs = [
        (path.clone(), render_html(&input)),
        (path.with_extension("devices.csv"), render_csv(&input)),
        (
            path.with_extension("remediations.csv"),
            render_remediations_csv(&input),
        ),
    ];
    for (p, text) in outputs {
        if let Err(e) = std::fs::write(&p, text) {
            eprintln!("cannot write {}: {e}", p.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", p.display());
    }
    ExitCode::SUCCESS
}
