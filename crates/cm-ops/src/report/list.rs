//! `cm list`: one row per case — id, program, caseworker, risk, phase, opened, and the next item
//! falling due, marked `(overdue)` in tables when it is before the day asked.

use chrono::NaiveDate;
use cm_case::settings::Settings;
use cm_case::{Case, Phase, Program, Risk};

use super::{Cases, PERSONAL_DATE_COLUMN, personal_cells};
use crate::monitor;
use crate::output::{Cell, Remark, Table};

/// The columns of the listing, before those of the personal fields asked for.
pub const COLUMNS: &[&str] = &[
    "id",
    "program",
    "caseworker",
    "risk",
    "phase",
    "opened",
    "next_due",
];

/// Which cases a listing shows: each filter given must hold.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub phase: Option<Phase>,
    pub risk: Option<Risk>,
    pub cases: Cases,
    /// Only open cases (any phase but closed).
    pub open: bool,
    /// Only closed cases.
    pub closed: bool,
}

impl Filter {
    /// Whether `case` passes every filter given.
    pub fn admits(&self, c: &Case) -> bool {
        self.phase.is_none_or(|p| c.phase == Some(p))
            && self.risk.is_none_or(|r| c.risk == Some(r))
            && self.cases.admits(c)
            && (!self.open || c.is_open())
            && (!self.closed || !c.is_open())
    }
}

/// A row of the listing, with what it sorts by.
pub struct Row {
    id: Option<String>,
    office: Option<String>,
    display: String,
    cells: Vec<Cell>,
}

/// The row of `c` (read from the file shown as `display`): its office first when the listing
/// shows it, its next item due counted as of `as_of` by its office's `settings` (unknown when
/// they are), then a cell for each personal field in `include`.
pub fn row(
    c: &Case,
    display: String,
    settings: Option<&Settings>,
    as_of: NaiveDate,
    include: &[String],
    office: Option<&str>,
) -> Row {
    let next = match settings {
        Some(settings) => monitor::next_due(c, settings)
            .map(|item| Cell::Date(item.due, item.is_overdue(as_of).then_some(Remark::Overdue)))
            .into(),
        None => Cell::Unknown,
    };
    let mut cells: Vec<Cell> = office.map(Cell::from).into_iter().collect();
    cells.extend([
        c.id.as_deref().into(),
        c.program.map(Program::as_str).into(),
        c.caseworker.as_deref().into(),
        c.risk.map(Risk::as_str).into(),
        c.phase.map(Phase::as_str).into(),
        c.opened.into(),
        next,
    ]);
    cells.extend(personal_cells(c, include));
    Row {
        id: c.id.clone(),
        office: office.map(String::from),
        display,
        cells,
    }
}

/// The listing of `rows`, sorted by id (then office and file), with a column for each of
/// `include`, and an `office` column first when `with_office`.
pub fn table(mut rows: Vec<Row>, include: &[String], with_office: bool) -> Table {
    rows.sort_by(|a, b| (&a.id, &a.office, &a.display).cmp(&(&b.id, &b.office, &b.display)));
    let mut header = super::header(COLUMNS, with_office);
    header.extend(include.iter().cloned());
    let mut table = Table::with_header(header).dates(&["opened", "next_due", PERSONAL_DATE_COLUMN]);
    for row in rows {
        table.push(row.cells);
    }
    table
}
