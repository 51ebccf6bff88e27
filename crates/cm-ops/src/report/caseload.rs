//! `cm report caseload`: per caseworker (with the roster's name), the open cases by risk, the
//! overdue items, and the caseload limit of cm.toml.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::monitor;
use crate::output::{Cell, Table};
use cm_case::settings::Settings;
use cm_case::{Case, Risk, view};

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

/// One row per caseworker of the roster (and any other caseworker holding an open case), sorted
/// by id, then a `total` row. `over_max` is `yes` or `no` where there is a `max_caseload`.
pub fn table<'a>(
    cases: impl IntoIterator<Item = &'a Case>,
    settings: &Settings,
    as_of: NaiveDate,
) -> Table {
    let mut loads: BTreeMap<String, Load> = settings
        .caseworkers
        .iter()
        .map(|c| (c.id.clone(), Load::default()))
        .collect();
    for case in cases.into_iter().filter(|c| c.is_open()) {
        let Some(who) = view::caseworker_on(case, as_of) else {
            continue;
        };
        let load = loads.entry(who.to_string()).or_default();
        load.open += 1;
        if let Some(risk) = case.risk {
            let i = Risk::ALL.iter().position(|r| *r == risk).unwrap_or(0);
            load.by_risk[i] += 1;
        }
        load.overdue += monitor::items(case, settings)
            .iter()
            .filter(|item| item.is_overdue(as_of))
            .count() as i64;
    }
    let mut table = Table::new(COLUMNS);
    let mut total = Load::default();
    let mut total_max: Option<i64> = None;
    for (who, load) in &loads {
        let max = settings
            .caseworker(who)
            .and_then(|c| c.max_caseload)
            .map(i64::from);
        total.add(load);
        if let Some(m) = max {
            *total_max.get_or_insert(0) += m;
        }
        let name = settings.caseworker(who).map(|c| c.name.as_str());
        table.push(row(who, name, load, max, max.map(|m| load.open > m)));
    }
    table.push(row("total", None, &total, total_max, None));
    table
}

fn row(
    who: &str,
    name: Option<&str>,
    load: &Load,
    max: Option<i64>,
    over: Option<bool>,
) -> Vec<Cell> {
    let mut cells = vec![who.into(), name.into(), load.open.into()];
    cells.extend(load.by_risk.iter().map(|n| Cell::Int(*n)));
    cells.push(load.overdue.into());
    cells.push(max.into());
    cells.push(over.map(|o| if o { "yes" } else { "no" }).into());
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let table = table(&cases, &settings, "2026-03-10".parse().unwrap());
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
