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
use crate::output::Table;

/// Adds a column for each personal field named with `--include` to `table`, whose rows are
/// `cases` in order.
pub fn include_personal(table: &mut Table, include: &[String], cases: &[&Case]) {
    for field in include {
        let birth = field == "client.birth_date";
        let cells = cases.iter().map(|c| match birth {
            true => c.client.as_ref().and_then(|cl| cl.birth_date).into(),
            false => c.personal(field).into(),
        });
        table.add_column(field, birth, cells);
    }
}
