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
    // A report without a page says so, before reading anything.
    let out = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "report",
        "caseload",
        "--format",
        "html",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("this report has no page yet"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
