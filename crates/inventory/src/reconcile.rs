//! Reconciliation: which imported rows are new devices, which update a
//! stored one (matched by asset tag, then vendor + serial, then MAC), and
//! which change nothing.

use std::collections::HashMap;

use medvigil_model::{DeviceField, DeviceFields, DeviceId};

use crate::parse::{Key, keys};
use crate::{ParsedRow, RowError};

/// A stored device as reconciliation sees it.
#[derive(Clone, Debug)]
pub struct Existing {
    /// Its identifier.
    pub id: DeviceId,
    /// Its current fields.
    pub fields: DeviceFields,
}

/// A stored device that an imported row changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    /// Line of the row.
    pub line: u64,
    /// The device.
    pub id: DeviceId,
    /// The device's fields after the update.
    pub fields: DeviceFields,
    /// The fields the row changed.
    pub changed: Vec<DeviceField>,
}

/// What applying an import does, row by row.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// New devices.
    pub creates: Vec<ParsedRow>,
    /// Stored devices the import changes.
    pub updates: Vec<Update>,
    /// Stored devices the import confirms unchanged: `(line, device)`.
    pub unchanged: Vec<(u64, DeviceId)>,
    /// Rows that contradict the store (e.g. an asset tag and a serial that name two different devices).
    pub rejected: Vec<RowError>,
}

/// Reconciles parsed rows with the stored devices.
pub fn reconcile(existing: &[Existing], rows: Vec<ParsedRow>) -> Plan {
    let mut index: HashMap<Key, usize> = HashMap::with_capacity(existing.len() * 3);
    for (i, d) in existing.iter().enumerate() {
        for (_, key) in keys(&d.fields) {
            index.entry(key).or_insert(i);
        }
    }
    let mut plan = Plan::default();
    // Two rows of one file may name the same stored device by different keys.
    let mut claimed: HashMap<usize, u64> = HashMap::new();
    for row in rows {
        let matches: Vec<(DeviceField, usize)> = keys(&row.fields)
            .into_iter()
            .filter_map(|(f, k)| Some((f, *index.get(&k)?)))
            .collect();
        let Some(&(first_field, target)) = matches.first() else {
            plan.creates.push(row);
            continue;
        };
        if let Some(&(other_field, other)) = matches.iter().find(|(_, i)| *i != target) {
            let value = row.fields.text(other_field).unwrap_or_default();
            plan.rejected.push(RowError {
                line: row.line,
                column: other_field.as_str().into(),
                value: value.clone(),
                reason: format!(
                    "{} matches device {} but {} '{value}' belongs to device {}",
                    first_field.as_str().replace('_', " "),
                    existing[target].id,
                    other_field.as_str().replace('_', " "),
                    existing[other].id
                ),
            });
            continue;
        }
        if let Some(first_line) = claimed.insert(target, row.line) {
            plan.rejected.push(RowError {
                line: row.line,
                column: first_field.as_str().into(),
                value: row.fields.text(first_field).unwrap_or_default(),
                reason: format!(
                    "names device {} that line {first_line} already names",
                    existing[target].id
                ),
            });
            continue;
        }
        let mut merged = existing[target].fields.clone();
        let changed = merged.merge_from(&row.fields);
        if changed.is_empty() {
            plan.unchanged.push((row.line, existing[target].id));
        } else {
            plan.updates.push(Update {
                line: row.line,
                id: existing[target].id,
                fields: merged,
                changed,
            });
        }
    }
    plan
}
