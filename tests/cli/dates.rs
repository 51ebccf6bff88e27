//! Dates a person would mistype: a day that does not exist typed on the command line, a Solar
//! Hijri date or a year 0000 written in a case file, and the dates of diagnostics in the user's
//! calendar.

use std::process::Output;

use super::{AS_OF, cm, fixtures, sample_copy, stdout, workspace_from};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A date typed right whose day does not exist says so, and how long its month is, in the
/// calendar it was typed in; nothing is read or written.
#[test]
fn a_typed_day_that_does_not_exist_says_how_long_the_month_is() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["validate", "--as-of", "2026-02-30"],
            "`2026-02-30` is not a day: February 2026 has 28 days",
        ),
        (
            &["--calendar", "persian", "overdue", "--as-of", "1405-12-30"],
            "`1405-12-30` is not a day: Esfand 1405 has 29 days",
        ),
        (
            &["--calendar", "persian", "list", "--as-of", "۱۴۰۵-۰۷-۳۱"],
            "`۱۴۰۵-۰۷-۳۱` is not a day: Mehr 1405 has 30 days",
        ),
        (
            &["review", "THR-2026-0002", "--date", "2026-04-31"],
            "`2026-04-31` is not a day: April 2026 has 30 days",
        ),
        (
            &["review", "THR-2026-0002", "--next", "2026-13-01"],
            "`2026-13-01` is not a day: a year has 12 months",
        ),
    ];
    let before = std::fs::read(ws.path().join("cases/2026/THR-2026-0002.yaml")).unwrap();
    for (args, said) in cases {
        let mut full = vec!["-C", dir];
        full.extend(*args);
        let o = cm(&full);
        assert_eq!(stderr(&o), format!("cm: error: {said}\n"), "{args:?}");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}");
    }
    let after = std::fs::read(ws.path().join("cases/2026/THR-2026-0002.yaml")).unwrap();
    assert_eq!(before, after);
}

/// `cm validate` on `dir` as of [`AS_OF`], with `args` before the command.
fn validate_with(dir: &std::path::Path, args: &[&str]) -> String {
    let mut full = vec!["-C", dir.to_str().unwrap()];
    full.extend(args);
    full.extend(["validate", "--as-of", AS_OF]);
    stdout(&cm(&full))
}

/// With the persian calendar — asked for with `--calendar` or set in cm.toml — a diagnostic
/// gives each date as the user reads it and as the file writes it; with the Gregorian one, as
/// the file writes it.
#[test]
fn a_diagnostic_gives_its_dates_in_both_calendars_with_the_persian_one() {
    let order = fixtures().join("rules/date-order");
    let persian = "\
cases/2026/CM-2026-0001.yaml:10:30: error[date-order]: consent.date (1404-12-11, 2026-03-02) is before the case was opened (1404-12-14, 2026-03-05)
cases/2026/CM-2026-0001.yaml:12:12: error[date-order]: history[0].date (1404-12-11, 2026-03-02) is before the case was opened (1404-12-14, 2026-03-05)
cases/2026/CM-2026-0002.yaml:31:16: error[date-order]: services[0].updates[0].date (1404-12-27, 2026-03-18) is before the service was referred (1405-01-01, 2026-03-21)
cases/2026/CM-2026-0002.yaml:33:16: error[date-order]: services[0].updates[2].date (1405-01-15, 2026-04-04) is before the update above it (1405-01-21, 2026-04-10)
  help: a service's updates are kept oldest first
checked 2 cases: 4 errors, 0 warnings
";
    assert_eq!(validate_with(&order, &["--calendar", "persian"]), persian);
    let set = workspace_from("date-order");
    std::fs::write(
        set.path().join("cm.toml"),
        "[workspace]\ncalendar = \"persian\"\n",
    )
    .unwrap();
    assert_eq!(validate_with(set.path(), &[]), persian);
    assert_eq!(
        validate_with(set.path(), &["--calendar", "gregorian"]),
        std::fs::read_to_string(order.join("expected.txt")).unwrap()
    );
    let future = validate_with(
        &fixtures().join("rules/date-future"),
        &["--calendar", "persian"],
    );
    assert!(
        future.contains(
            "error[date-future]: history[1].date (1405-09-10, 2026-12-01) is after today \
             (1405-08-10, 2026-11-01)\n"
        ),
        "{future}"
    );
}

/// The refusals of an edit give their dates in the user's calendar too: the dates were typed in
/// it.
#[test]
fn a_refused_edit_gives_its_dates_in_both_calendars_with_the_persian_one() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let review = |date: &str, next: &str| {
        let o = cm(&[
            "-C",
            dir,
            "--calendar",
            "persian",
            "review",
            "THR-2026-0002",
            "--date",
            date,
            "--next",
            next,
            "--dry-run",
        ]);
        (o.status.code(), stderr(&o))
    };
    assert_eq!(
        review("1405-08-10", "1405-08-01"),
        (
            Some(2),
            "cm: error: --next (1405-08-01, 2026-10-23) must come after the review date \
             (1405-08-10, 2026-11-01)\n"
                .to_string()
        )
    );
    let (status, said) = review("1405-04-01", "1405-09-01");
    assert_eq!(status, Some(1), "{said}");
    assert!(
        said.contains(
            "reviews[5].date (1405-04-01, 2026-06-22) is before the entry above it (1405-07-13, \
             2026-10-05)"
        ),
        "{said}"
    );
}

/// The cache keeps each file's first error, a message with dates: a listing in another calendar
/// than the one the cache was made in names a case left out in its own calendar, not the
/// cache's.
#[test]
fn a_case_left_out_is_named_in_the_calendar_of_the_listing_not_of_the_cache() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let path = ws.path().join("cases/2026/THR-2026-0008.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("referred: 2026-08-18", "referred: 2026-04-18"),
    )
    .unwrap();
    let gregorian = "cm: warning: left out cases/2026/THR-2026-0008.yaml:84:15: error[date-order]: \
                     services[2].referred (2026-04-18) is before the case was opened (2026-05-03)\n";
    let persian = "cm: warning: left out cases/2026/THR-2026-0008.yaml:84:15: error[date-order]: \
                   services[2].referred (1405-01-29, 2026-04-18) is before the case was opened \
                   (1405-02-13, 2026-05-03)\n";
    for (calendar, said) in [
        ("gregorian", gregorian),
        ("persian", persian),
        ("persian", persian),
        ("gregorian", gregorian),
    ] {
        for command in ["list", "overdue"] {
            let o = cm(&["-C", dir, "--calendar", calendar, command]);
            assert_eq!(o.status.code(), Some(0));
            assert!(
                stderr(&o).contains(said),
                "{calendar} {command}: {}",
                stderr(&o)
            );
        }
    }
    let o = cm(&["-C", dir, "--calendar", "persian", "show", "THR-2026-0008"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(&persian.replace("cm: warning: left out ", "cm: error: ")),
        "{}",
        stderr(&o)
    );
}

/// A year of birth after today's year is refused as a birth date after today is, without the
/// year in what is said.
#[test]
fn a_year_of_birth_to_come_is_refused() {
    let ws = super::sample_copy();
    let out = super::cm(&[
        "-C",
        ws.path().to_str().unwrap(),
        "new",
        "--program",
        "general",
        "--name",
        "Test Person",
        "--sex",
        "female",
        "--caseworker",
        "s.ahmadi",
        "--birth-year",
        "2031",
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(
            "error[date-future]: client.birth_year is after the year of today (2026-11-01)"
        ),
        "{said}"
    );
    assert!(!said.contains("2031"), "{said}");
}
