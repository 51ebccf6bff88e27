//! Pages for people: a report of figures (`cm report summary`, `cm report indicators`) as one
//! self-contained HTML file — inline CSS and SVG, no network, no other file — that opens in any
//! browser and prints on A4, in English or Persian (right to left, Persian digits, the Solar
//! Hijri calendar first).
//!
//! The page is made from the report's own table, the one CSV and JSON are written from, so its
//! numbers are the report's: each figure is in a table (with its value in `data-value`, as CSV
//! has it), and each breakdown (`open_at_month_end.risk.*`) is a bar chart drawn with plotters,
//! its numbers in a table under it. The labels come from one catalogue per language
//! ([`lang`]); the markup from a minijinja template. No personal field is ever on a page: the
//! reports it is made from have none.

mod chart;
pub mod lang;

use chrono::NaiveDate;
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use cm_base::calendar::{self, Calendar};
use cm_base::language::Language;

use crate::output::{Cell, Table};
use lang::Catalogue;

/// The template of a page of figures.
const FIGURES: &str = include_str!("templates/figures.html");

/// What a page says besides its figures: whose, which report, over which period.
pub struct Heading<'a> {
    /// The office (`[workspace].name`), which may be empty.
    pub office: &'a str,
    /// The report: `summary` or `indicators`.
    pub report: &'a str,
    /// The first day of the period, if it has one, and its last.
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// The workspace's calendar: the other is shown beside it.
    pub calendar: Calendar,
    pub language: Language,
}

/// One figure of the page: its label, its value as shown and as the report has it, and what it
/// is counted over (the `cases` of the indicators).
#[derive(Serialize)]
struct Figure {
    key: String,
    label: String,
    shown: String,
    value: String,
    over: Option<String>,
}

/// A period as shown: its first day (none: since the first case) and its last.
#[derive(Serialize)]
struct Period {
    from: Option<String>,
    to: String,
}

/// A breakdown drawn as a chart, with its numbers.
#[derive(Serialize)]
struct Breakdown {
    key: String,
    label: String,
    svg: String,
    bars: Vec<Figure>,
}

/// The page of the report `table` (a `metric,value` or `indicator,value,cases` table).
pub fn figures(table: &Table, heading: &Heading<'_>) -> String {
    let language = heading.language;
    let words = Catalogue::of(language);
    let text = Cell::value;
    // The rows by key, in the report's order: each is a figure of its own, or a bar of the
    // breakdown its key's group names.
    let mut figures = Vec::new();
    let mut breakdowns: Vec<(String, Vec<Figure>)> = Vec::new();
    for row in &table.rows {
        let key = text(&row[0]);
        let value = text(row.get(1).unwrap_or(&Cell::Empty));
        let over = row.get(2).map(text);
        let shown = if value.is_empty() {
            words.page("empty").to_string()
        } else {
            language.digits(&value)
        };
        let (group, part) = split(&key);
        let figure = Figure {
            label: match group {
                Some(group) => format!("{} — {}", words.figure(group), words.value(part)),
                None => words.figure(&key).to_string(),
            },
            key: key.clone(),
            shown,
            value,
            over: over.map(|o| language.digits(&o)),
        };
        // A count broken down by a name (a reason, a program, a bin) is a bar; a measure of a
        // figure (its median, a share) is a figure.
        match group {
            Some(group) if words.is_breakdown(part) && matches!(row[1], Cell::Int(_)) => {
                let bar = Figure {
                    label: words.value(part).to_string(),
                    ..figure
                };
                match breakdowns.iter_mut().find(|(g, _)| g == group) {
                    Some((_, bars)) => bars.push(bar),
                    None => breakdowns.push((group.to_string(), vec![bar])),
                }
            }
            _ => figures.push(figure),
        }
    }
    let breakdowns: Vec<Breakdown> = breakdowns
        .into_iter()
        .map(|(key, bars)| {
            let counts: Vec<(String, i64)> = bars
                .iter()
                .map(|b| (b.label.clone(), b.value.parse().unwrap_or(0)))
                .collect();
            Breakdown {
                label: words.figure(&key).to_string(),
                svg: chart::bars(&counts, language),
                key,
                bars,
            }
        })
        .collect();
    let day = |d: NaiveDate, calendar: Calendar| language.digits(&calendar::display(d, calendar));
    let (first, second) = match language {
        Language::Fa => (Calendar::Persian, Calendar::Gregorian),
        Language::En => (heading.calendar, other(heading.calendar)),
    };
    // Each date apart (a `<bdi>` on the page), so that none is reordered in a line of the
    // other direction.
    let period = |calendar: Calendar| Period {
        from: heading.from.map(|from| day(from, calendar)),
        to: day(heading.to, calendar),
    };
    let mut env = Environment::new();
    env.add_template("figures.html", FIGURES)
        .expect("the template is valid");
    let template = env.get_template("figures.html").expect("it was added");
    template
        .render(context! {
            lang => language.as_str(),
            dir => if language.rtl() { "rtl" } else { "ltr" },
            office => heading.office,
            title => words.page(&format!("report.{}", heading.report)),
            period_label => words.page("period"),
            period => Value::from(Serde(period(first))),
            period_other => Value::from(Serde(period(second))),
            words => Value::from(Serde(words.page_words())),
            figures => Value::from(Serde(&figures)),
            breakdowns => Value::from(Serde(&breakdowns)),
            version => env!("CARGO_PKG_VERSION"),
        })
        .expect("the template renders")
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
            from: NaiveDate::from_ymd_opt(2026, 10, 1),
            to: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            calendar: Calendar::Gregorian,
            language,
        }
    }

    #[test]
    fn a_page_has_every_figure_with_its_value_and_a_chart_per_breakdown() {
        let page = figures(&summary(), &heading(Language::En));
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
        let page = figures(&summary(), &heading(Language::Fa));
        assert!(page.contains(r#"<html lang="fa" dir="rtl">"#));
        assert!(page.contains("پرونده‌های باز به تفکیک سطح خطر"));
        // Persian digits shown, the report's own value kept.
        assert!(page.contains(r#"data-value="12">۱۲<"#), "{page}");
        let hijri = page.find("۱۴۰۵-۰۷-۰۹").unwrap();
        let gregorian = page.find("۲۰۲۶-۱۰-۰۱").unwrap();
        assert!(hijri < gregorian);
    }
}
