//! What `cm` does with cases: every command's work, as functions of the workspace and the
//! request that return what the command shows.
//!
//! - [`check`]: the schema and the rules, each finding named by a stable code;
//! - [`workflow`]: `new`, `advance`, `review`: a change proposed, put through the gate, written;
//! - [`monitor`]: what falls due; [`report`]: outcomes, caseload, the monthly summary;
//! - [`show`]: one case at a glance; [`find`]: a client found across spellings;
//!   [`duplicates`]: clients known twice; [`import`]: cases brought in from a spreadsheet;
//! - [`diff`]: what changed between two revisions, in words; [`export`]: what a partner may have;
//! - [`output`]: the one output layer: tables (as a table, CSV or JSON), diagnostics, lines.
//!
//! Nothing here prints: every output is written to the `Write` it is given.

#![forbid(unsafe_code)]

pub mod check;
pub mod diff;
pub mod duplicates;
pub mod export;
pub mod exported;
pub mod find;
pub mod import;
pub mod monitor;
pub mod output;
pub mod page;
pub mod register;
pub mod report;
pub mod show;
pub mod workflow;
