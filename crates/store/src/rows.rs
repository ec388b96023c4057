//! Conversions between stored columns and domain values.

use std::str::FromStr;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::StoreError;

/// Now, as stored: RFC 3339 UTC with whole seconds, which sorts as text.
pub(crate) fn now_text() -> String {
    time_text(OffsetDateTime::now_utc())
}

/// A timestamp as stored.
pub(crate) fn time_text(t: OffsetDateTime) -> String {
    let t = t
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

/// Parses a stored timestamp.
pub(crate) fn parse_time(
    table: &'static str,
    column: &'static str,
    s: String,
) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::parse(&s, &Rfc3339).map_err(|_| StoreError::Corrupt {
        table,
        column,
        value: s,
    })
}

/// Parses a stored column into its domain type.
pub(crate) fn parse_col<T: FromStr>(
    table: &'static str,
    column: &'static str,
    s: String,
) -> Result<T, StoreError> {
    s.parse().map_err(|_| StoreError::Corrupt {
        table,
        column,
        value: s,
    })
}

/// Parses an optional stored column.
pub(crate) fn parse_opt<T: FromStr>(
    table: &'static str,
    column: &'static str,
    s: Option<String>,
) -> Result<Option<T>, StoreError> {
    s.map(|s| parse_col(table, column, s)).transpose()
}

/// A calendar date as stored (`2026-12-31`, which sorts as text).
pub(crate) fn date_text(d: time::Date) -> String {
    d.format(time::macros::format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// Parses a stored calendar date.
pub(crate) fn parse_date(
    table: &'static str,
    column: &'static str,
    s: String,
) -> Result<time::Date, StoreError> {
    time::Date::parse(
        &s,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| StoreError::Corrupt {
        table,
        column,
        value: s,
    })
}
