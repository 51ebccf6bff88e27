//! Pages for people: a report (`cm report … --format html`) as one self-contained HTML file —
//! inline CSS and SVG, no network, no other file — that opens in any browser and prints on A4,
//! in English or Persian (right to left, Persian digits, the Solar Hijri calendar first).
//!
//! A page is made from the report's own table, the one CSV and JSON are written from, so its
//! numbers are the report's: each is in a table, with `data-key` and `data-value` as the report
//! has it, and the charts (bars drawn with plotters) have their numbers in a table under them.
//! A report of figures (`summary`, `indicators`) is shown figure by figure, each breakdown
//! (`open_at_month_end.risk.*`) a chart; a report of rows (`outcomes`, `caseload`,
//! `referrals`) is summed up in figures and charts ([`rows`]). The labels come from one
//! catalogue per language ([`lang`]); the markup from minijinja templates. No personal field is
//! ever on a page: the reports it is made from have none on their pages.

mod chart;
pub mod lang;
pub mod print;
mod rows;

use std::sync::OnceLock;

use chrono::NaiveDate;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use cm_base::calendar::{self, Calendar};
use cm_base::language::Language;

use crate::output::{Cell, Table};
use lang::Catalogue;

/// What a page says besides its figures: whose, which report, over which period.
pub struct Heading<'a> {
    /// The office (`[workspace].name`), which may be empty.
    pub office: &'a str,
    /// The report: `summary`, `indicators`, `outcomes`, `caseload` or `referrals`.
    pub report: &'a str,
    /// What the report is narrowed to (a program, a caseworker), as its values are named.
    pub scope: Vec<String>,
    /// The first day of the period, if it has one, and its last.
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// The workspace's calendar: the other is shown beside it.
    pub calendar: Calendar,
    pub language: Language,
}

/// One number of the page: its key and label, its value as the report has it and as shown,
/// and what it is counted over (the `cases` of the indicators).
#[derive(Serialize)]
struct Figure {
    key: String,
    label: String,
    shown: String,
    value: String,
    over: Option<String>,
}

impl Figure {
    /// The figure `key`, labelled `label`, of the value `value` (empty: not applicable).
    fn new(key: String, label: String, value: String, language: Language) -> Figure {
        let shown = if value.is_empty() {
            Catalogue::of(language).page("empty").to_string()
        } else {
            language.digits(&value)
        };
        Figure {
            key,
            label,
            shown,
            value,
            over: None,
        }
    }
}

/// A chart: the names of its series (one, or several side by side), and its rows, each with a
/// figure per series; drawn as bars, its numbers in a table under it.
#[derive(Serialize)]
struct Chart {
    key: String,
    label: String,
    series: Vec<Series>,
    rows: Vec<Row>,
    svg: String,
}

#[derive(Serialize)]
struct Series {
    label: String,
    colour: &'static str,
}

#[derive(Serialize)]
struct Row {
    label: String,
    cells: Vec<Figure>,
}

impl Chart {
    /// The chart `key` of `rows`, its series named `series`, on a scale to `most` (default:
    /// the largest value).
    fn new(
        key: &str,
        series: &[&str],
        rows: Vec<Row>,
        most: Option<f64>,
        language: Language,
    ) -> Chart {
        let words = Catalogue::of(language);
        let bars: Vec<chart::Row<'_>> = rows
            .iter()
            .map(|row| chart::Row {
                name: &row.label,
                cells: row
                    .cells
                    .iter()
                    .map(|f| f.value.parse().ok().map(|v| (v, f.shown.as_str())))
                    .collect(),
            })
            .collect();
        let svg = chart::bars(&bars, most, language);
        Chart {
            key: key.to_string(),
            label: words.figure(key).to_string(),
            series: series
                .iter()
                .zip(chart::COLOURS.iter().cycle())
                .map(|(s, colour)| Series {
                    label: words.value(s).to_string(),
                    colour,
                })
                .collect(),
            rows,
            svg,
        }
    }
}

/// The page of the report `table`, as [`Heading::report`] names it.
pub fn report(table: &Table, heading: &Heading<'_>) -> String {
    let (figures, charts) = match heading.report {
        "outcomes" => rows::outcomes(table, heading.language),
        "caseload" => rows::caseload(table, heading.language),
        "referrals" => rows::referrals(table, heading.language),
        _ => figures(table, heading.language),
    };
    let language = heading.language;
    let words = Catalogue::of(language);
    let day = |d: NaiveDate, calendar: Calendar| language.digits(&calendar::display(d, calendar));
    let (first, second) = match language {
        Language::Fa => (Calendar::Persian, Calendar::Gregorian),
        Language::En => (heading.calendar, other(heading.calendar)),
    };
    // Each date apart (a `<bdi>` on the page), so that none is reordered in a line of the
    // other direction.
    // The caseload is of one day, the other reports of a period.
    let as_of = heading.report == "caseload";
    let period = |calendar: Calendar| {
        context! {
            as_of,
            from => heading.from.map(|from| day(from, calendar)),
            to => day(heading.to, calendar),
        }
    };
    let over = figures.iter().any(|f| f.over.is_some());
    render(
        "report.html",
        language,
        context! {
            office => heading.office,
            title => words.page(&format!("report.{}", heading.report)),
            scope => heading.scope.iter().map(|s| words.value(s).to_string()).collect::<Vec<_>>(),
            period => period(first),
            period_other => period(second),
            footer => words.page("footer"),
            over,
            figures => Value::from(Serde(&figures)),
            charts => Value::from(Serde(&charts)),
        },
    )
}

/// The template `name` rendered with `values`, the words of `language` and what every page has.
fn render(name: &str, language: Language, values: Value) -> String {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    let env = TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        for (name, text) in [
            ("base.html", include_str!("templates/base.html")),
            ("chart.html", include_str!("templates/chart.html")),
            ("report.html", include_str!("templates/report.html")),
            ("document.html", include_str!("templates/document.html")),
            ("lines.html", include_str!("templates/lines.html")),
            ("goals.html", include_str!("templates/goals.html")),
            ("services.html", include_str!("templates/services.html")),
            ("summary.html", include_str!("templates/summary.html")),
            ("referral.html", include_str!("templates/referral.html")),
            ("closure.html", include_str!("templates/closure.html")),
        ] {
            env.add_template(name, text).expect("the template is valid");
        }
        env
    });
    let words = Catalogue::of(language);
    let common = context! {
        lang => language.as_str(),
        dir => if language.rtl() { "rtl" } else { "ltr" },
        words => Value::from(Serde(words.page_words())),
        version => env!("CARGO_PKG_VERSION"),
    };
    env.get_template(name)
        .expect("it was added")
        .render(context! { ..values, ..common })
        .expect("the template renders")
}

/// The figures and charts of a report of figures (a `metric,value` or `indicator,value,cases`
/// table): each row a figure, or a bar of the chart of its key's group when it counts a part of
/// it (a program, a reason, a bin).
fn figures(table: &Table, language: Language) -> (Vec<Figure>, Vec<Chart>) {
    let words = Catalogue::of(language);
    let text = Cell::value;
    let mut figures = Vec::new();
    let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
    for row in &table.rows {
        let key = text(&row[0]);
        let value = text(row.get(1).unwrap_or(&Cell::Empty));
        let (group, part) = split(&key);
        let label = match group {
            Some(group) => format!("{} — {}", words.figure(group), words.value(part)),
            None => words.figure(&key).to_string(),
        };
        let mut figure = Figure::new(key.clone(), label, value, language);
        figure.over = row.get(2).map(|o| language.digits(&text(o)));
        match group {
            Some(group) if words.is_breakdown(part) && matches!(row[1], Cell::Int(_)) => {
                let bar = Row {
                    label: words.value(part).to_string(),
                    cells: vec![figure],
                };
                match groups.iter_mut().find(|(g, _)| g == group) {
                    Some((_, bars)) => bars.push(bar),
                    None => groups.push((group.to_string(), vec![bar])),
                }
            }
            _ => figures.push(figure),
        }
    }
    let charts = groups
        .into_iter()
        .map(|(key, rows)| Chart::new(&key, &["count"], rows, None, language))
        .collect();
    (figures, charts)
}

/// The other calendar.
fn other(calendar: Calendar) -> Calendar {
    match calendar {
        Calendar::Gregorian => Calendar::Persian,
        Calendar::Persian => Calendar::Gregorian,
    }
}

/// A dotted key's group and last part (`open_at_month_end.risk.low` is `open_at_month_end.risk`
/// and `low`); a key without a dot has no group.
fn split(key: &str) -> (Option<&str>, &str) {
    match key.rsplit_once('.') {
        Some((group, part)) => (Some(group), part),
        None => (None, key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Table {
        let mut table = Table::new(&["metric", "value"]);
        for (k, v) in [
            ("cases_opened", Cell::Int(6)),
            ("open_at_month_end.risk.low", Cell::Int(3)),
            ("open_at_month_end.risk.high", Cell::Int(12)),
            ("mean_domain_change_of_closed_cases", Cell::Empty),
        ] {
            table.push(vec![Cell::from(k), v]);
        }
        table
    }

    fn heading(language: Language) -> Heading<'static> {
        Heading {
            office: "Tehran office",
            report: "summary",
            scope: Vec::new(),
            from: NaiveDate::from_ymd_opt(2026, 10, 1),
            to: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            calendar: Calendar::Gregorian,
            language,
        }
    }

    #[test]
    fn a_page_has_every_figure_with_its_value_and_a_chart_per_breakdown() {
        let page = report(&summary(), &heading(Language::En));
        assert!(page.starts_with("<!doctype html>"), "{page}");
        assert!(page.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(
            page.contains(r#"data-key="cases_opened" data-value="6""#),
            "{page}"
        );
        assert!(page.contains(r#"data-key="open_at_month_end.risk.high" data-value="12""#));
        assert!(page.contains("Open cases by risk"));
        assert_eq!(page.matches("<svg").count(), 1);
        assert!(
            page.contains("<bdi>2026-10-01</bdi> to <bdi>2026-10-31</bdi>"),
            "{page}"
        );
        assert!(page.contains("<bdi>1405-07-09</bdi> to <bdi>1405-08-09</bdi>"));
        assert!(page.contains("not applicable"));
        assert!(!page.contains("http://") || page.contains("http://www.w3.org/2000/svg"));
    }

    #[test]
    fn a_persian_page_is_right_to_left_with_persian_digits_and_the_solar_hijri_calendar_first() {
        let page = report(&summary(), &heading(Language::Fa));
        assert!(page.contains(r#"<html lang="fa" dir="rtl">"#));
        assert!(page.contains("پرونده‌های باز به تفکیک سطح خطر"));
        // Persian digits shown, the report's own value kept.
        assert!(page.contains(r#"data-value="12">۱۲<"#), "{page}");
        let hijri = page.find("۱۴۰۵-۰۷-۰۹").unwrap();
        let gregorian = page.find("۲۰۲۶-۱۰-۰۱").unwrap();
        assert!(hijri < gregorian);
    }
}
