//! The hospital risk report: which devices are at risk, how urgently, where,
//! and which remediations are late, for one site or a whole hospital group.
//!
//! Two outputs from one [`ReportInput`] (plain data the caller fills from
//! the store, see `medvigil_risk::aggregate` for the device roll-up):
//!
//! - [`render_html`]: one self-contained HTML5 file that opens offline and
//!   prints well: inline CSS, inline accessible SVG charts ([`svg`]), no
//!   script, no external font, image or link. All input text is escaped
//!   ([`escape()`]).
//! - [`render_csv`] (one row per device) and [`render_remediations_csv`].
//!
//! Pure: no I/O, no clock ("today" is [`ReportInput::generated_at`]).
//!
//! ```
//! use medvigil_report::{render_csv, render_html, sample::sample_group};
//!
//! let input = sample_group(7, 50);
//! let html = render_html(&input);
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! assert!(!html.contains("<script"));
//! assert_eq!(render_csv(&input).lines().count(), 51);
//! ```

pub mod csv_export;
pub mod escape;
pub mod graph;
pub mod html;
pub mod input;
pub mod sample;
pub mod summary;
pub mod svg;

pub use csv_export::{render_csv, render_remediations_csv};
pub use escape::escape;
pub use html::render_html;
pub use input::{DeviceRow, RemediationRow, ReportInput, Scope};
pub use summary::{Dimension, Summary, summary};
