//! The pages for people (`cm report … --format html`): the numbers on a page are the report's,
//! in English and in Persian, and a page is one file that needs nothing else.

use std::collections::BTreeMap;
use std::path::Path;

use super::recorded::exits;
use super::{cm, sample_copy};

/// The `data-key`/`data-value` pairs of a page, in order.
fn values(page: &str) -> Vec<(String, String)> {
    page.split("data-key=\"")
        .skip(1)
        .map(|rest| {
            let (key, rest) = rest.split_once('"').unwrap();
            let value = rest
                .split_once("data-value=\"")
                .unwrap()
                .1
                .split_once('"')
                .unwrap()
                .0;
            (key.to_string(), value.to_string())
        })
        .collect()
}

/// The first two columns of a CSV report, by its first.
fn csv(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .skip(1)
        .map(|line| {
            let mut cells = line.split(',');
            (
                cells.next().unwrap().to_string(),
                cells.next().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// `cm ARGS` in `dir`, which must succeed; its standard output.
fn run(dir: &Path, args: &[&str]) -> String {
    exits(dir, args, 0)
}

#[test]
fn the_numbers_on_a_page_are_the_reports_in_both_languages() {
    let ws = sample_copy();
    let dir = ws.path();
    let reports: [&[&str]; 3] = [
        &["report", "summary", "--month", "2026-10"],
        &[
            "report",
            "indicators",
            "--from",
            "2026-01-01",
            "--to",
            "2026-10-31",
        ],
        &["report", "kpi", "--to", "2026-10-31"],
    ];
    for report in reports {
        let expected = csv(&run(dir, &[report, &["--format", "csv"]].concat()));
        for lang in ["en", "fa"] {
            let page = run(
                dir,
                &[report, &["--format", "html", "--lang", lang]].concat(),
            );
            let shown = values(&page);
            assert_eq!(shown.len(), expected.len(), "{report:?} {lang}");
            let shown: BTreeMap<String, String> = shown.into_iter().collect();
            assert_eq!(shown, expected, "{report:?} {lang}");
            let dir_attr = if lang == "fa" { "rtl" } else { "ltr" };
            assert!(
                page.contains(&format!("<html lang=\"{lang}\" dir=\"{dir_attr}\">")),
                "{page}"
            );
            // One file: no script, no link, nothing fetched.
            for outside in ["<script", "<link", "src=", "url(", "https://"] {
                assert!(!page.contains(outside), "{outside} in {report:?} {lang}");
            }
            assert!(page.contains("<svg"), "{report:?} {lang}");
        }
    }
}

#[test]
fn the_language_of_the_workspace_is_the_pages_and_persian_writes_its_digits() {
    let ws = sample_copy();
    let dir = ws.path();
    let settings = std::fs::read_to_string(dir.join("cm.toml")).unwrap();
    std::fs::write(
        dir.join("cm.toml"),
        settings.replacen("[workspace]\n", "[workspace]\nlanguage = \"fa\"\n", 1),
    )
    .unwrap();
    let page = run(
        dir,
        &[
            "report", "summary", "--month", "2026-10", "--format", "html",
        ],
    );
    assert!(page.contains("<html lang=\"fa\" dir=\"rtl\">"));
    assert!(page.contains("گزارش ماهانه"));
    // The period in the Solar Hijri calendar first, in Persian digits.
    let hijri = page
        .find("<bdi>۱۴۰۵-۰۷-۰۹</bdi> تا <bdi>۱۴۰۵-۰۸-۰۹</bdi>")
        .expect("Mehr 9 to Aban 9");
    let gregorian = page
        .find("<bdi>۲۰۲۶-۱۰-۰۱</bdi> تا <bdi>۲۰۲۶-۱۰-۳۱</bdi>")
        .expect("October");
    assert!(hijri < gregorian);
    // --lang chooses another for one run.
    let english = run(
        dir,
        &[
            "report", "summary", "--month", "2026-10", "--format", "html", "--lang", "en",
        ],
    );
    assert!(english.contains("Monthly summary"));
    // A report narrowed to a program says so.
    let narrowed = run(
        dir,
        &[
            "report",
            "outcomes",
            "--program",
            "disability",
            "--format",
            "html",
            "--lang",
            "en",
        ],
    );
    assert!(narrowed.contains("Outcomes — Disability"), "{narrowed}");
    // A page sums up the whole report: it takes no column chosen, and no personal field.
    for option in [&["--columns", "id"][..], &["--include", "client.name"]] {
        let out = cm(&[
            &[
                "-C",
                dir.to_str().unwrap(),
                "report",
                "outcomes",
                "--format",
                "html",
            ][..],
            option,
        ]
        .concat());
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains(&format!("--format html with {}", option[0])),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A CSV report's rows as maps of column to cell (the sample's cells hold no comma).
fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|line| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(line.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

/// The mean of `values` as a page shows it, with `places` decimals ("" for none).
fn mean(values: &[f64], places: usize) -> String {
    if values.is_empty() {
        return String::new();
    }
    format!(
        "{:.places$}",
        values.iter().sum::<f64>() / values.len() as f64
    )
}

/// The numbers of `column` in `rows`.
fn numbers(rows: &[&BTreeMap<String, String>], column: &str) -> Vec<f64> {
    rows.iter().filter_map(|r| r[column].parse().ok()).collect()
}

#[test]
fn the_pages_of_the_reports_of_rows_sum_up_their_csv() {
    let ws = sample_copy();
    let dir = ws.path();
    let page = |args: &[&str], lang: &str| -> BTreeMap<String, String> {
        let page = run(dir, &[args, &["--format", "html", "--lang", lang]].concat());
        assert!(page.contains("<svg"), "{args:?}");
        values(&page).into_iter().collect()
    };
    let csv = |args: &[&str]| rows(&run(dir, &[args, &["--format", "csv"]].concat()));

    // Caseload and referrals: each row's numbers, keyed by the row and the column.
    for (args, first, columns, extra) in [
        (
            &["report", "caseload", "--as-of", "2026-10-31"][..],
            "caseworker",
            &["open_cases", "max_caseload", "overdue_items"][..],
            "caseworkers_over_max",
        ),
        (
            &["report", "referrals", "--to", "2026-10-31"],
            "provider",
            &["accepted", "declined", "pending", "referrals", "completed"],
            "",
        ),
    ] {
        let table = csv(args);
        for lang in ["en", "fa"] {
            let mut shown = page(args, lang);
            for row in &table {
                for column in columns {
                    let key = format!("{}.{column}", row[first]);
                    // The total row has every column on the page; another row, the charts'.
                    if let Some(value) = shown.remove(&key) {
                        assert_eq!(value, row[*column], "{key} {lang}");
                    } else {
                        assert!(
                            row[first] == "total" || !columns[..3].contains(column),
                            "{key}"
                        );
                    }
                }
            }
            if !extra.is_empty() {
                let over = table.iter().filter(|r| r["over_max"] == "yes").count();
                assert_eq!(shown.remove(extra), Some(over.to_string()));
            }
            // What is left is the total row's other columns, each the CSV's.
            let total = table.iter().find(|r| r[first] == "total").unwrap();
            for (key, value) in shown {
                let column = key.strip_prefix("total.").expect(&key);
                assert_eq!(value, total[column], "{key} {lang}");
            }
        }
    }

    // Outcomes: counts, means and distributions, computed here from the CSV with every column.
    let args = ["report", "outcomes", "--to", "2026-10-31"];
    let table = csv(&[&args[..], &["--wide"]].concat());
    let all: Vec<_> = table.iter().collect();
    let closed: Vec<_> = table.iter().filter(|r| !r["closed"].is_empty()).collect();
    assert!(closed.len() >= 5, "the sample has cases closed");
    let changes = numbers(&closed, "mean_change");
    let tscores = numbers(&closed, "gas_tscore");
    let mut expected = BTreeMap::from([
        ("cases".to_string(), all.len().to_string()),
        ("closed.cases".to_string(), closed.len().to_string()),
        ("closed.mean_change.mean".to_string(), mean(&changes, 2)),
        ("closed.gas_tscore.mean".to_string(), mean(&tscores, 1)),
        (
            "closed.goals_total".to_string(),
            numbers(&closed, "goals_total")
                .iter()
                .sum::<f64>()
                .to_string(),
        ),
        (
            "closed.goals_achieved".to_string(),
            numbers(&closed, "goals_achieved")
                .iter()
                .sum::<f64>()
                .to_string(),
        ),
    ]);
    for column in table[0].keys() {
        if let Some(domain) = column.strip_suffix("_baseline") {
            for which in ["baseline", "latest"] {
                let values = numbers(&all, &format!("{domain}_{which}"));
                expected.insert(format!("domains.{domain}.{which}"), mean(&values, 2));
            }
        }
    }
    let count = |values: &[f64], within: &dyn Fn(f64) -> bool| {
        values.iter().filter(|v| within(**v)).count().to_string()
    };
    for (bin, lo, hi) in [
        ("under-30", f64::MIN, 30.0),
        ("30-39", 30.0, 40.0),
        ("40-49", 40.0, 50.0),
        ("50-59", 50.0, 60.0),
        ("60-69", 60.0, 70.0),
        ("70+", 70.0, f64::MAX),
    ] {
        let n = count(&tscores, &|t| t >= lo && t < hi);
        expected.insert(format!("closed.gas_tscore.{bin}"), n);
    }
    for (bin, within) in [
        ("worse", &(|x: f64| x < 0.0) as &dyn Fn(f64) -> bool),
        ("no-change", &|x| x == 0.0),
        ("under-1", &|x| x > 0.0 && x < 1.0),
        ("1-to-2", &|x| (1.0..2.0).contains(&x)),
        ("2+", &|x| x >= 2.0),
    ] {
        expected.insert(format!("closed.mean_change.{bin}"), count(&changes, within));
    }
    assert!(expected.len() > 20, "{expected:?}");
    for lang in ["en", "fa"] {
        assert_eq!(page(&args, lang), expected, "{lang}");
    }
}
