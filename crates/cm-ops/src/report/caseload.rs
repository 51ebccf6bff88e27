//! `cm report caseload`: per caseworker (with the roster's name), the open cases by risk, the
//! overdue items, and the caseload limit of cm.toml.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Held, Office, header, shows_office};
use crate::monitor;
use crate::output::{Cell, Table};
use cm_case::{Risk, view};

/// The columns of the report.
pub const COLUMNS: &[&str] = &[
    "caseworker",
    "name",
    "open_cases",
    "low",
    "medium",
    "high",
    "critical",
    "overdue_items",
    "max_caseload",
    "over_max",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Load {
    open: i64,
    by_risk: [i64; 4],
    overdue: i64,
}

impl Load {
    fn add(&mut self, other: &Load) {
        self.open += other.open;
        for (a, b) in self.by_risk.iter_mut().zip(other.by_risk) {
            *a += b;
        }
        self.overdue += other.overdue;
    }
}

/// One row per caseworker of the roster of each office (and any other caseworker holding an
/// open case), sorted by office and id, then a `total` row. `over_max` is `yes` or `no` where
/// there is a `max_caseload`. With more than one office, an `office` column comes first: a
/// caseworker is of the office whose case they hold, each office's deadlines and limits apply
/// to its own cases, and a figure of an office whose settings are not known is unknown.
pub fn table(held: &[Held], offices: &[Office], as_of: NaiveDate) -> Table {
    of_parts(held.iter().filter_map(|h| part(*h, as_of)), offices)
}

/// What an open case adds to the caseload: made as it is read, so that the caseload of 100,000
/// cases holds these, not the cases.
#[derive(Clone, Debug)]
pub struct Part {
    office: String,
    caseworker: String,
    risk: Option<Risk>,
    /// Its items overdue, when its office's deadlines are known.
    overdue: Option<i64>,
}

/// What `held` (as it stood on `as_of`) adds to the caseload then: nothing when it is closed or
/// no caseworker holds it.
pub fn part(held: Held, as_of: NaiveDate) -> Option<Part> {
    let case = held.case;
    if !case.is_open() {
        return None;
    }
    Some(Part {
        office: held.office.name.clone(),
        caseworker: view::caseworker_on(case, as_of)?.to_string(),
        risk: case.risk,
        overdue: held.settings().map(|settings| {
            monitor::items(case, settings)
                .iter()
                .filter(|item| item.is_overdue(as_of))
                .count() as i64
        }),
    })
}

/// The caseload made of the `parts` of every open case, of `offices`.
pub fn of_parts(parts: impl IntoIterator<Item = Part>, offices: &[Office]) -> Table {
    let mut loads: BTreeMap<(String, String), Load> = BTreeMap::new();
    for office in offices {
        for c in office.settings.iter().flat_map(|s| &s.caseworkers) {
            loads.insert((office.name.clone(), c.id.clone()), Load::default());
        }
    }
    for part in parts {
        let load = loads.entry((part.office, part.caseworker)).or_default();
        load.open += 1;
        if let Some(risk) = part.risk {
            let i = Risk::ALL.iter().position(|r| *r == risk).unwrap_or(0);
            load.by_risk[i] += 1;
        }
        load.overdue += part.overdue.unwrap_or(0);
    }
    let with_office = shows_office(offices);
    let mut table = Table::with_header(header(COLUMNS, with_office));
    let mut total = Load::default();
    let mut total_max: Option<i64> = None;
    for ((office_name, who), load) in &loads {
        let settings = offices
            .iter()
            .find(|o| o.name == *office_name)
            .and_then(|o| o.settings.as_ref());
        let roster = settings.and_then(|s| s.caseworker(who));
        let max = match settings {
            Some(_) => Known::Is(roster.and_then(|c| c.max_caseload).map(i64::from)),
            None => Known::Unknown,
        };
        total.add(load);
        if let Known::Is(Some(m)) = max {
            *total_max.get_or_insert(0) += m;
        }
        let mut cells: Vec<Cell> = with_office
            .then(|| office_name.as_str().into())
            .into_iter()
            .collect();
        let name = roster.map(|c| c.name.as_str());
        cells.extend(row(who, name, load, settings.is_some(), max));
        table.push(cells);
    }
    let mut cells: Vec<Cell> = with_office.then_some(Cell::Empty).into_iter().collect();
    let all_known = offices.iter().all(|o| o.settings.is_some());
    let max = match all_known {
        true => Known::Is(total_max),
        false => Known::Unknown,
    };
    cells.extend(row("total", None, &total, all_known, max));
    // The total's limit is no limit of anyone's: it is not exceeded or kept.
    if let Some(over) = cells.last_mut() {
        *over = Cell::Empty;
    }
    table.push(cells);
    table
}

/// A figure that may not be known: the settings it comes from are not.
#[derive(Clone, Copy)]
enum Known<T> {
    Is(T),
    Unknown,
}

/// The cells of a row: `overdue_known` says whether its overdue items could be counted.
fn row(
    who: &str,
    name: Option<&str>,
    load: &Load,
    overdue_known: bool,
    max: Known<Option<i64>>,
) -> Vec<Cell> {
    let mut cells = vec![who.into(), name.into(), load.open.into()];
    cells.extend(load.by_risk.iter().map(|n| Cell::Int(*n)));
    cells.push(if overdue_known {
        load.overdue.into()
    } else {
        Cell::Unknown
    });
    match max {
        Known::Is(max) => {
            cells.push(max.into());
            cells.push(max.map(|m| if load.open > m { "yes" } else { "no" }).into());
        }
        Known::Unknown => cells.extend([Cell::Unknown, Cell::Unknown]),
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use cm_case::Case;
    use cm_case::settings::Settings;
    use serde_json::json;

    #[test]
    fn counts_open_cases_by_risk_and_overdue_items_with_a_total() {
        let settings = Settings::parse(
            "[[caseworkers]]\nid = \"a\"\nname = \"A\"\nmax_caseload = 1\n\n\
             [[caseworkers]]\nid = \"b\"\nname = \"B\"\n",
            std::path::Path::new("cm.toml"),
        )
        .unwrap();
        let cases: Vec<Case> = [
            json!({"caseworker": "a", "phase": "intake", "risk": "high", "opened": "2026-01-01"}),
            json!({"caseworker": "a", "phase": "intake", "risk": "low", "opened": "2026-03-01"}),
            json!({"caseworker": "a", "phase": "closed", "risk": "low", "opened": "2026-01-01"}),
            json!({"caseworker": "c", "phase": "intake", "risk": "critical",
                   "opened": "2026-03-01"}),
        ]
        .iter()
        .map(Case::from_json)
        .collect();
        let office = Office {
            name: "THR".into(),
            settings: Some(settings),
        };
        let table = table(
            &office.hold(&cases),
            std::slice::from_ref(&office),
            "2026-03-10".parse().unwrap(),
        );
        let rows: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Int(n) => n.to_string(),
                        Cell::Text(s) => s.clone(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            rows,
            [
                ["a", "A", "2", "1", "0", "1", "0", "1", "1", "yes"],
                ["b", "B", "0", "0", "0", "0", "0", "0", "", ""],
                ["c", "", "1", "0", "0", "0", "1", "0", "", ""],
                ["total", "", "3", "1", "0", "1", "1", "1", "1", ""],
            ]
        );
    }
}
