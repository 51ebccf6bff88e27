//! The pages of the reports of rows — a case, a caseworker or a provider per row — summed up in
//! figures and charts from the report's own table, so that every number on the page can be
//! computed again from its CSV:
//!
//! - `outcomes`: how many cases and how many closed; each domain's baseline and latest mean over
//!   the cases scored in it; among the cases closed, the mean and the distribution of the mean
//!   domain change and of the GAS T-score, and their goals.
//! - `caseload`: each caseworker's open cases against their `max_caseload`, and overdue items.
//! - `referrals`: the answers of each provider, and why referrals were declined.
//!
//! No row of a case is on the page: only sums, means and counts.

use cm_base::language::Language;

use super::lang::Catalogue;
use super::{Chart, Figure, Row};
use crate::output::{Cell, Table};

/// A report's table, read by column name.
struct Columns<'a> {
    table: &'a Table,
}

impl<'a> Columns<'a> {
    /// The value of `column` in `row`, as the report has it ("" when the report lacks the column).
    fn get(&self, row: &[Cell], column: &str) -> String {
        self.table
            .header
            .iter()
            .position(|h| h == column)
            .and_then(|i| row.get(i))
            .map_or_else(String::new, Cell::value)
    }

    /// The values of `column` that are numbers, in the rows `rows`.
    fn numbers(&self, rows: &[&Vec<Cell>], column: &str) -> Vec<f64> {
        rows.iter()
            .filter_map(|row| self.get(row, column).parse().ok())
            .collect()
    }
}

/// The figure `key` of `value`, labelled from the catalogue.
fn figure(key: &str, value: String, language: Language) -> Figure {
    let label = Catalogue::of(language).figure(key).to_string();
    Figure::new(key.to_string(), label, value, language)
}

/// The mean of `values` with `places` decimals, over how many ("" when there are none).
fn mean(key: &str, values: &[f64], places: usize, language: Language) -> Figure {
    let value = if values.is_empty() {
        String::new()
    } else {
        format!(
            "{:.places$}",
            values.iter().sum::<f64>() / values.len() as f64
        )
    };
    let mut figure = figure(key, value, language);
    figure.over = Some(language.digits(&values.len().to_string()));
    figure
}

/// A chart of one series: how many of `values` fall in each bin of `bins` (a key and whether a
/// value is in it), keyed `KEY.BIN`.
fn distribution(key: &str, values: &[f64], bins: &[Bin], language: Language) -> Chart {
    let words = Catalogue::of(language);
    let rows = bins
        .iter()
        .map(|(bin, within)| {
            let n = values.iter().filter(|v| within(**v)).count();
            Row {
                label: words.value(bin).to_string(),
                cells: vec![figure(&format!("{key}.{bin}"), n.to_string(), language)],
            }
        })
        .collect();
    Chart::new(key, &["count"], rows, None, language)
}

/// A row of a chart: `label`, and a figure per column of `columns`, keyed `KEY.COLUMN`.
fn row(
    columns: &Columns<'_>,
    cells: &[Cell],
    key: &str,
    label: &str,
    of: &[&str],
    language: Language,
) -> Row {
    Row {
        label: Catalogue::of(language).value(label).to_string(),
        cells: of
            .iter()
            .map(|c| figure(&format!("{key}.{c}"), columns.get(cells, c), language))
            .collect(),
    }
}

/// A bin of a distribution: its key, and whether a value falls in it.
type Bin = (&'static str, fn(f64) -> bool);

/// The bins of the GAS T-score (50: the outcome expected).
const TSCORE: &[Bin] = &[
    ("under-30", |t| t < 30.0),
    ("30-39", |t| (30.0..40.0).contains(&t)),
    ("40-49", |t| (40.0..50.0).contains(&t)),
    ("50-59", |t| (50.0..60.0).contains(&t)),
    ("60-69", |t| (60.0..70.0).contains(&t)),
    ("70+", |t| t >= 70.0),
];

/// The bins of the mean domain change (points on the 1–5 scale).
const CHANGE: &[Bin] = &[
    ("worse", |x| x < 0.0),
    ("no-change", |x| x == 0.0),
    ("under-1", |x| x > 0.0 && x < 1.0),
    ("1-to-2", |x| (1.0..2.0).contains(&x)),
    ("2+", |x| x >= 2.0),
];

/// The page of `cm report outcomes` (its table with every column, `--wide`).
pub(super) fn outcomes(table: &Table, language: Language) -> (Vec<Figure>, Vec<Chart>) {
    let columns = Columns { table };
    let all: Vec<&Vec<Cell>> = table.rows.iter().collect();
    let closed: Vec<&Vec<Cell>> = all
        .iter()
        .copied()
        .filter(|r| !columns.get(r, "closed").is_empty())
        .collect();
    let sum = |column: &str| {
        let n: f64 = columns.numbers(&closed, column).iter().sum();
        format!("{n}")
    };
    let changes = columns.numbers(&closed, "mean_change");
    let tscores = columns.numbers(&closed, "gas_tscore");
    let figures = vec![
        figure("cases", all.len().to_string(), language),
        figure("closed.cases", closed.len().to_string(), language),
        mean("closed.mean_change.mean", &changes, 2, language),
        mean("closed.gas_tscore.mean", &tscores, 1, language),
        figure("closed.goals_total", sum("goals_total"), language),
        figure("closed.goals_achieved", sum("goals_achieved"), language),
    ];
    // Each domain of the wide columns, `DOMAIN_baseline` then `DOMAIN_latest`.
    let words = Catalogue::of(language);
    let domains = table
        .header
        .iter()
        .filter_map(|h| h.strip_suffix("_baseline"))
        .map(|domain| {
            let cells = ["baseline", "latest"]
                .iter()
                .map(|which| {
                    let values = columns.numbers(&all, &format!("{domain}_{which}"));
                    mean(&format!("domains.{domain}.{which}"), &values, 2, language)
                })
                .collect();
            Row {
                label: words.value(domain).to_string(),
                cells,
            }
        })
        .collect();
    let charts = vec![
        Chart::new(
            "domains",
            &["baseline", "latest"],
            domains,
            Some(5.0),
            language,
        ),
        distribution("closed.mean_change", &changes, CHANGE, language),
        distribution("closed.gas_tscore", &tscores, TSCORE, language),
    ];
    (figures, charts)
}

/// The page of `cm report caseload`.
pub(super) fn caseload(table: &Table, language: Language) -> (Vec<Figure>, Vec<Chart>) {
    let columns = Columns { table };
    let (people, total): (Vec<&Vec<Cell>>, Vec<&Vec<Cell>>) = table
        .rows
        .iter()
        .partition(|r| columns.get(r, "caseworker") != "total");
    let mut figures: Vec<Figure> = ["open_cases", "overdue_items", "max_caseload"]
        .iter()
        .filter_map(|c| {
            let row = total.first()?;
            Some(figure(&format!("total.{c}"), columns.get(row, c), language))
        })
        .collect();
    let over = people
        .iter()
        .filter(|r| columns.get(r, "over_max") == "yes")
        .count();
    figures.push(figure("caseworkers_over_max", over.to_string(), language));
    let rows = |of: &[&str]| -> Vec<Row> {
        people
            .iter()
            .map(|r| {
                let id = columns.get(r, "caseworker");
                row(&columns, r, &id, &id, of, language)
            })
            .collect()
    };
    let charts = vec![
        Chart::new(
            "caseload",
            &["open_cases", "max_caseload"],
            rows(&["open_cases", "max_caseload"]),
            None,
            language,
        ),
        Chart::new(
            "overdue_items",
            &["overdue_items"],
            rows(&["overdue_items"]),
            None,
            language,
        ),
    ];
    (figures, charts)
}

/// The page of `cm report referrals`.
pub(super) fn referrals(table: &Table, language: Language) -> (Vec<Figure>, Vec<Chart>) {
    let columns = Columns { table };
    let (providers, total): (Vec<&Vec<Cell>>, Vec<&Vec<Cell>>) = table
        .rows
        .iter()
        .partition(|r| columns.get(r, "provider") != "total");
    let figures = [
        "referrals",
        "accepted",
        "declined",
        "completed",
        "cancelled",
        "pending",
        "median_days_to_answer",
        "median_days_to_complete",
        "answered_within_response_days",
    ]
    .iter()
    .filter_map(|c| {
        let row = total.first()?;
        Some(figure(&format!("total.{c}"), columns.get(row, c), language))
    })
    .collect();
    let answers = ["accepted", "declined", "pending"];
    let by_provider = providers
        .iter()
        .map(|r| {
            let id = columns.get(r, "provider");
            row(&columns, r, &id, &id, &answers, language)
        })
        .collect();
    let reasons: Vec<Row> = table
        .header
        .iter()
        .filter_map(|h| h.strip_prefix("declined_"))
        .filter_map(|reason| {
            let row = total.first()?;
            let column = format!("declined_{reason}");
            Some(Row {
                label: Catalogue::of(language).value(reason).to_string(),
                cells: vec![figure(
                    &format!("total.{column}"),
                    columns.get(row, &column),
                    language,
                )],
            })
        })
        .collect();
    let charts = vec![
        Chart::new("answers", &answers, by_provider, None, language),
        Chart::new("declined", &["count"], reasons, None, language),
    ];
    (figures, charts)
}
