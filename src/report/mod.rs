//! Reports: outcomes (the change in each client's situation), caseload, and the monthly summary.
//! Each is a pure function of the cases, the settings and the period, giving a [`Table`] that the
//! one renderer writes as a table, CSV or JSON. No personal field appears in any report.
//!
//! [`Table`]: crate::output::Table

pub mod caseload;
pub mod outcomes;
pub mod summary;
