//! `cm overdue`: the items of open cases that are late, and with a horizon, those falling due
//! soon; most overdue first.

use chrono::NaiveDate;
use cm_case::settings::Settings;
use cm_case::{Case, Phase, Risk};

use crate::monitor::{self, Kind};
use crate::output::{Cell, Remark, Table};

/// The columns of the overdue list.
pub const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "due",
    "days_overdue",
    "caseworker",
    "risk",
    "phase",
    "service",
];

/// A row of the list, with where it stands in it (see [`monitor::order`]).
pub struct Row {
    order: (
        NaiveDate,
        Option<String>,
        Kind,
        Option<String>,
        Option<String>,
    ),
    cells: Vec<Cell>,
}

/// The rows of `c`: its items overdue on `as_of` and, with `within`, those falling due in the
/// next `within` days (marked `(upcoming)` in tables), of the `kinds` asked for (all when none);
/// its office first when the list shows it.
pub fn rows(
    c: &Case,
    settings: &Settings,
    as_of: NaiveDate,
    within: Option<u32>,
    kinds: &[Kind],
    office: Option<&str>,
) -> Vec<Row> {
    monitor::due(c, settings, as_of, within)
        .into_iter()
        .filter(|(item, _)| kinds.is_empty() || kinds.contains(&item.kind))
        .map(|(item, days_overdue)| {
            let remark = (days_overdue <= 0).then_some(Remark::Upcoming);
            let mut cells: Vec<Cell> = office.map(Cell::from).into_iter().collect();
            cells.extend([
                c.id.as_deref().into(),
                item.kind.as_str().into(),
                Cell::Date(item.due, remark),
                days_overdue.into(),
                c.caseworker.as_deref().into(),
                c.risk.map(Risk::as_str).into(),
                c.phase.map(Phase::as_str).into(),
                item.service.as_deref().into(),
            ]);
            let (due, id, kind, service) = monitor::order(c, &item);
            Row {
                order: (
                    due,
                    id.map(str::to_string),
                    kind,
                    service.map(str::to_string),
                    office.map(str::to_string),
                ),
                cells,
            }
        })
        .collect()
}

/// The list of `rows`, most overdue first; ties by case id, kind, service and office. With
/// `with_office`, an `office` column comes first.
pub fn table(mut rows: Vec<Row>, with_office: bool) -> Table {
    rows.sort_by(|a, b| a.order.cmp(&b.order));
    let mut table = Table::with_header(super::header(COLUMNS, with_office)).dates(&["due"]);
    for row in rows {
        table.push(row.cells);
    }
    table
}
