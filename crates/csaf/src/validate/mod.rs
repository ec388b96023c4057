//! The CSAF 2.0 validator: the tests of spec section 6 plus the schema
//! constraints that conformance clause 9.1.1 ("CSAF document") requires.
//!
//! - mandatory tests (6.1.x) → [`Level::Error`]
//! - optional tests (6.2.x) → [`Level::Warning`]
//! - informative tests (6.3.x) → [`Level::Info`]
//! - schema constraints → [`Level::Error`] with test id [`SCHEMA`]
//!
//! Tests that need the network (6.3.6, 6.3.7) or a dictionary (6.3.8) are
//! not implemented: this crate is pure.

mod ctx;
mod cvss;
mod lang;
mod misc;

pub use misc::file_name_for_tracking_id;
mod product_ids;
mod profiles;
mod schema;
mod status;
mod tracking;
mod tree;

use crate::Parsed;
use crate::model::CsafDocument;
pub(crate) use ctx::Ctx;
pub(crate) use schema::scan;

/// Test id used for JSON schema violations (conformance clause 9.1.1).
pub const SCHEMA: &str = "schema";

/// How serious a finding is (spec 6.1, 6.2, 6.3 introductions).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Level {
    /// A mandatory test failed: the document is not a valid CSAF document.
    Error,
    /// An optional test failed.
    Warning,
    /// An informative test failed.
    Info,
}

/// One failed test at one place of the document; serializable so that the
/// findings can be stored with an ingested advisory.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The spec's test id (`6.1.1` … `6.3.11`) or [`SCHEMA`].
    pub test: &'static str,
    /// Error, warning or information.
    pub level: Level,
    /// JSON pointer (RFC 6901) of the offending value.
    pub pointer: String,
    /// What is wrong, for people.
    pub message: String,
}

/// All findings for one document.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Report {
    /// Findings in the order the tests ran.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Valid means: no schema violation and no failed mandatory test.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(|f| f.level == Level::Error)
    }

    /// Findings of the given test id.
    pub fn of_test<'a>(&'a self, test: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.test == test)
    }

    /// Findings at the error level.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Error)
    }
}

/// Runs every test: the schema-level findings gathered while parsing, then
/// the tests of section 6 on the typed document.
pub fn validate(parsed: &Parsed) -> Report {
    let mut ctx = Ctx::new(&parsed.document);
    ctx.extend(parsed.raw_findings.iter().cloned());
    run_document_tests(&mut ctx);
    Report {
        findings: ctx.into_findings(),
    }
}

/// Runs the tests of section 6 on a typed document only (no schema check,
/// no 6.2.13 / 6.2.20, which need the bytes as written).
pub fn validate_document(doc: &CsafDocument) -> Report {
    let mut ctx = Ctx::new(doc);
    run_document_tests(&mut ctx);
    Report {
        findings: ctx.into_findings(),
    }
}

fn run_document_tests(ctx: &mut Ctx<'_>) {
    product_ids::run(ctx);
    status::run(ctx);
    cvss::run(ctx);
    tracking::run(ctx);
    misc::run(ctx);
    lang::run(ctx);
    profiles::run(ctx);
    tree::run(ctx);
}
