//! Reports: the listing, the overdue list, outcomes (the change in each client's situation),
//! caseload, the monthly summary, referrals by provider, and the indicators of a period.
//! Each is a pure function of the cases, the settings and the period, giving a [`Table`] that the
//! one renderer writes as a table, CSV or JSON. No personal field appears in any report unless
//! the user names it (`--include client.name`).
//!
//! [`Table`]: crate::output::Table

pub mod caseload;
pub mod indicators;
pub mod list;
pub mod outcomes;
pub mod overdue;
pub mod record;
pub mod referrals;
pub mod summary;

use cm_case::settings::Settings;
use cm_case::{Case, Program};

use crate::output::Cell;

/// An office whose cases a report reads: its name, which the `office` column shows (its
/// workspace's `id_prefix`), and its settings. An export does not carry them: a figure that
/// needs the deadlines, the roster or the directory of an office read from an export cannot be
/// computed, and is [`Cell::Unknown`], never guessed.
#[derive(Clone, Debug)]
pub struct Office {
    pub name: String,
    pub settings: Option<Settings>,
}

#[cfg(test)]
impl Office {
    /// `cases`, each with this office.
    pub(crate) fn hold<'a>(&'a self, cases: &'a [Case]) -> Vec<Held<'a>> {
        cases
            .iter()
            .map(|case| Held { office: self, case })
            .collect()
    }
}

/// Whether the rows of a report that are per case or per caseworker say their office: when the
/// report reads more than one.
pub fn shows_office(offices: &[Office]) -> bool {
    offices.len() > 1
}

/// The header of a table of `columns`, after an `office` column when `with_office`.
pub fn header(columns: &[&str], with_office: bool) -> Vec<String> {
    with_office
        .then_some("office")
        .into_iter()
        .chain(columns.iter().copied())
        .map(String::from)
        .collect()
}

/// A case, with the office it is read from: each office's settings apply to its own cases.
#[derive(Clone, Copy, Debug)]
pub struct Held<'a> {
    pub office: &'a Office,
    pub case: &'a Case,
}

impl<'a> Held<'a> {
    /// `case`, of `office`.
    pub fn of(office: &'a Office, case: &'a Case) -> Held<'a> {
        Held { office, case }
    }

    /// The settings of the case's office, when they are known.
    pub fn settings(&self) -> Option<&'a Settings> {
        self.office.settings.as_ref()
    }
}

/// The `--program` and `--caseworker` filters of the listings and reports.
#[derive(Clone, Debug, Default)]
pub struct Cases {
    pub program: Option<Program>,
    pub caseworker: Option<String>,
}

impl Cases {
    /// Whether `case` passes the filters given.
    pub fn admits(&self, case: &Case) -> bool {
        self.program.is_none_or(|p| case.program == Some(p))
            && self
                .caseworker
                .as_deref()
                .is_none_or(|w| case.caseworker.as_deref() == Some(w))
    }
}

/// The columns of the personal fields named with `--include` (among
/// [`INCLUDABLE_IN_LISTINGS`](cm_case::INCLUDABLE_IN_LISTINGS)) are named after the fields;
/// this one holds dates.
pub const PERSONAL_DATE_COLUMN: &str = "client.birth_date";

/// The cells of the personal fields named with `--include`, for the row of `case`.
pub fn personal_cells(case: &Case, include: &[String]) -> Vec<Cell> {
    let client = case.client.as_ref();
    include
        .iter()
        .map(|field| match field.as_str() {
            "client.name" => client.and_then(|cl| cl.name.as_deref()).into(),
            "client.national_id" => client.and_then(|cl| cl.national_id.as_deref()).into(),
            "client.birth_date" => client.and_then(|cl| cl.birth_date).into(),
            _ => Cell::Empty,
        })
        .collect()
}
