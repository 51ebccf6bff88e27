//! Reports: outcomes (the change in each client's situation), caseload, and the monthly summary.
//! Each is a pure function of the cases, the settings and the period, giving a [`Table`] that the
//! one renderer writes as a table, CSV or JSON. No personal field appears in any report unless
//! the user names it (`--include client.name`).
//!
//! [`Table`]: crate::output::Table

pub mod caseload;
pub mod outcomes;
pub mod summary;

use crate::case::Case;
use crate::output::{Cell, Table};

/// Adds a column for each personal field named with `--include` (one of
/// [`INCLUDABLE_IN_LISTINGS`](crate::case::INCLUDABLE_IN_LISTINGS)) to `table`, whose rows are
/// `cases` in order.
pub fn include_personal(table: &mut Table, include: &[String], cases: &[&Case]) {
    for field in include {
        let cells = cases.iter().map(|c| {
            let client = c.client.as_ref();
            match field.as_str() {
                "client.name" => client.and_then(|cl| cl.name.as_deref()).into(),
                "client.national_id" => client.and_then(|cl| cl.national_id.as_deref()).into(),
                "client.birth_date" => client.and_then(|cl| cl.birth_date).into(),
                _ => Cell::Empty,
            }
        });
        table.add_column(field, field == "client.birth_date", cells);
    }
}
