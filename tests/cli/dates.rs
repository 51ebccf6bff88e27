//! Dates a person would mistype: a day that does not exist typed on the command line, a Solar
//! Hijri date or a year 0000 written in a case file, and the dates of diagnostics in the user's
//! calendar.

use std::process::Output;

use super::{cm, sample_copy, stdout};

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
