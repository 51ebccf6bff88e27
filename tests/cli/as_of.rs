//! Reports about a past day tell what was true on that day: on a copy of the sample, every
//! listing and report as of 31 October 2026 is the same, byte for byte, before and after a
//! morning of work dated 1 November — a review, a closure, a transfer, a change of risk, a
//! withdrawal of consent, a provider's answer, a goal achieved, a contact, a new case and a
//! reopening, all made with cm's own commands.

use std::path::Path;

use super::{cm, sample_copy, stdout};

/// The listings and reports as of 31 October 2026, as CSV, each with what it said on standard
/// error.
fn reports(ws: &Path) -> Vec<(String, String)> {
    let runs: [&[&str]; 7] = [
        &[
            "report",
            "outcomes",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
        ],
        &["report", "summary", "--month", "2026-10"],
        &["report", "caseload", "--as-of", "2026-10-31"],
        &[
            "report",
            "referrals",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
        ],
        &[
            "report",
            "indicators",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
        ],
        &["list", "--as-of", "2026-10-31"],
        &["overdue", "--as-of", "2026-10-31"],
    ];
    outputs(ws.to_str().unwrap(), &runs)
}

/// What each of `runs` printed on the workspace `dir`, as CSV, and said on standard error; each
/// must succeed.
fn outputs(dir: &str, runs: &[&[&str]]) -> Vec<(String, String)> {
    runs.iter()
        .map(|args| {
            let mut all = vec!["-C", dir];
            all.extend(args.iter());
            all.extend(["--format", "csv"]);
            let out = cm(&all);
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            (
                stdout(&out),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
        .collect()
}

/// Runs `args` on the workspace `dir`, which must succeed.
fn succeeds(dir: &str, args: &[&str]) {
    let mut all = vec!["-C", dir];
    all.extend(args);
    let out = cm(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn what_happens_after_a_day_changes_no_report_as_of_that_day() {
    let tmp = sample_copy();
    let ws = tmp.path();
    let before = reports(ws);
    let dir = ws.to_str().unwrap();
    let work: [&[&str]; 10] = [
        &[
            "review",
            "THR-2026-0004",
            "--score",
            "income=3",
            "--goal",
            "G1=2",
            "--risk",
            "low",
        ],
        &[
            "advance",
            "THR-2026-0004",
            "--to",
            "closed",
            "--reason",
            "goals-achieved",
            "--approved-by",
            "z.rahimi",
        ],
        &["transfer", "THR-2026-0007", "--to", "n.moradi"],
        &[
            "risk",
            "THR-2026-0002",
            "medium",
            "--note",
            "The father signed the agreement",
        ],
        &["consent", "THR-2026-0013", "--withdrawn"],
        &["service", "THR-2026-0008", "S3", "--status", "accepted"],
        &["goal", "THR-2026-0007", "G1", "--status", "achieved"],
        &["contact", "THR-2026-0009", "--type", "phone"],
        &[
            "new",
            "--program",
            "general",
            "--name",
            "Reza Ahmadi",
            "--sex",
            "male",
            "--caseworker",
            "s.ahmadi",
        ],
        &["reopen", "THR-2025-0002", "--reason", "Back from Karaj"],
    ];
    for args in work {
        succeeds(dir, args);
    }
    let after = reports(ws);
    for (i, (was, is)) in before.iter().zip(&after).enumerate() {
        assert_eq!(was, is, "report {i} changed");
    }
    // The same reports as of the day of the work do see it.
    let out = cm(&[
        "-C",
        dir,
        "report",
        "outcomes",
        "--to",
        "2026-11-01",
        "--format",
        "csv",
    ]);
    let row = stdout(&out)
        .lines()
        .find(|l| l.starts_with("THR-2026-0004,"))
        .unwrap()
        .to_string();
    assert!(row.contains(",closed,2026-02-22,2026-11-01,"), "{row}");
}

/// The figures of `cm report summary --month M` (metric → value) and `cm report caseload
/// --as-of` its last day (caseworker → open cases, by risk), on the workspace `dir`.
fn month_end(dir: &str, month: &str, last: &str) -> (Vec<(String, String)>, Vec<String>) {
    let summary = cm(&[
        "-C", dir, "report", "summary", "--month", month, "--format", "csv",
    ]);
    let figures = stdout(&summary)
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let caseload = cm(&[
        "-C", dir, "report", "caseload", "--as-of", last, "--format", "csv",
    ]);
    (
        figures,
        stdout(&caseload).lines().map(String::from).collect(),
    )
}

/// What one case adds to the month-end figures, checked by hand across its transfer, a change of
/// its risk, its closure and its reopening: the figures with it less the figures without it.
#[test]
fn month_end_figures_follow_a_case_across_a_transfer_a_risk_change_a_closure_and_a_reopening() {
    let tmp = sample_copy();
    let dir = tmp.path().to_str().unwrap();
    let months = [
        ("2026-06", "2026-06-30"),
        ("2026-07", "2026-07-31"),
        ("2026-08", "2026-08-31"),
        ("2026-09", "2026-09-30"),
        // Between the change of risk and the closure.
        ("2026-08", "2026-08-15"),
    ];
    let before: Vec<_> = months.iter().map(|(m, l)| month_end(dir, m, l)).collect();
    let id = "THR-2026-0019";
    let steps: [&[&str]; 9] = [
        &[
            "new",
            "--program",
            "general",
            "--name",
            "Test Client",
            "--sex",
            "female",
            "--caseworker",
            "s.ahmadi",
            "--risk",
            "high",
            "--date",
            "2026-06-02",
        ],
        &["consent", id, "--given", "--date", "2026-06-02"],
        &["advance", id, "--date", "2026-06-05"],
        &["assess", id, "--score", "income=2", "--date", "2026-06-06"],
        &[
            "goal",
            id,
            "add",
            "--domain",
            "income",
            "--text",
            "Work",
            "--date",
            "2026-06-07",
        ],
        &["transfer", id, "--to", "n.moradi", "--date", "2026-07-15"],
        &[
            "risk",
            id,
            "medium",
            "--note",
            "Found work",
            "--date",
            "2026-08-10",
        ],
        &[
            "advance",
            id,
            "--to",
            "closed",
            "--reason",
            "moved",
            "--approved-by",
            "z.rahimi",
            "--date",
            "2026-08-20",
        ],
        &[
            "reopen",
            id,
            "--reason",
            "Back",
            "--risk",
            "low",
            "--date",
            "2026-09-05",
        ],
    ];
    for args in steps {
        succeeds(dir, args);
    }
    let after: Vec<_> = months.iter().map(|(m, l)| month_end(dir, m, l)).collect();
    // The summary's figures that changed, with how much.
    let changed = |i: usize| -> Vec<String> {
        let (was, is) = (&before[i].0, &after[i].0);
        was.iter()
            .zip(is)
            .filter(|(a, b)| a != b && !a.0.starts_with("overdue_items"))
            .map(
                |((k, a), (_, b))| match (a.parse::<i64>(), b.parse::<i64>()) {
                    (Ok(a), Ok(b)) => format!("{k} {:+}", b - a),
                    _ => format!("{k} {a} → {b}"),
                },
            )
            .collect()
    };
    // The caseload's rows that changed: the caseworker, and how their open cases and the cases
    // of each risk changed.
    let caseload = |i: usize| -> Vec<String> {
        let (was, is) = (&before[i].1, &after[i].1);
        let header: Vec<&str> = is[0].split(',').collect();
        was.iter()
            .zip(is)
            .filter(|(a, b)| a != b && !b.starts_with("total"))
            .map(|(a, b)| {
                let (a, b): (Vec<&str>, Vec<&str>) =
                    (a.split(',').collect(), b.split(',').collect());
                let moved: Vec<String> = (2..7)
                    .filter(|&c| a[c] != b[c])
                    .map(|c| {
                        let d = b[c].parse::<i64>().unwrap() - a[c].parse::<i64>().unwrap();
                        format!("{} {d:+}", header[c])
                    })
                    .collect();
                format!("{}: {}", b[0], moved.join(", "))
            })
            .collect()
    };
    // June: opened, open at the month's end in assessment, high, with s.ahmadi.
    assert_eq!(
        changed(0),
        [
            "cases_opened +1",
            "open_at_month_end +1",
            "open_at_month_end.program.general +1",
            "open_at_month_end.phase.assessment +1",
            "open_at_month_end.risk.high +1",
            "households_served +1",
        ]
    );
    assert_eq!(caseload(0), ["s.ahmadi: open_cases +1, high +1"]);
    // July: still open and high; transferred on the 15th, so n.moradi's at the month's end.
    assert_eq!(
        changed(1),
        [
            "open_at_month_end +1",
            "open_at_month_end.program.general +1",
            "open_at_month_end.phase.assessment +1",
            "open_at_month_end.risk.high +1",
            "households_served +1",
        ]
    );
    assert_eq!(caseload(1), ["n.moradi: open_cases +1, high +1"]);
    // August: its risk lowered on the 10th, then closed on the 20th: closed, not open; the only
    // closure of the month, with no score moved from its baseline (income 2).
    assert_eq!(
        changed(2),
        [
            "cases_closed +1",
            "cases_closed.moved +1",
            "households_served +1",
            "mean_domain_change_of_closed_cases  → 0.00",
        ]
    );
    assert!(caseload(2).is_empty(), "{:?}", caseload(2));
    // On the 15th, between the two, it was open with n.moradi, at medium risk.
    assert_eq!(caseload(4), ["n.moradi: open_cases +1, medium +1"]);
    // September: reopened on the 5th, open at the month's end in intake, low, with n.moradi.
    assert_eq!(
        changed(3),
        [
            "cases_opened +1",
            "cases_reopened +1",
            "open_at_month_end +1",
            "open_at_month_end.program.general +1",
            "open_at_month_end.phase.intake +1",
            "open_at_month_end.risk.low +1",
            "households_served +1",
        ]
    );
    assert_eq!(caseload(3), ["n.moradi: open_cases +1, low +1"]);
}

/// The listings and reports as of `day` (with `month` its month), as CSV, with what each said
/// on standard error.
fn reports_as_of(dir: &str, day: &str, month: &str) -> Vec<(String, String)> {
    outputs(
        dir,
        &[
            &["report", "outcomes", "--to", day],
            &["report", "summary", "--month", month],
            &["report", "caseload", "--as-of", day],
            &["report", "referrals", "--to", day],
            &["report", "indicators", "--to", day],
            &["list", "--as-of", day],
            &["overdue", "--as-of", day],
        ],
    )
}

/// The invariant on a generated workspace of 2,000 cases: hundreds of events of every kind,
/// recorded with cm's own commands on a later day, change no listing or report as of 30 June 2026
/// by a single byte. Each case takes the event its phase allows; an event the gate refuses (a
/// service whose status allows no such move, say) is left out, and each kind must be recorded
/// many times.
#[test]
fn on_a_generated_workspace_later_events_of_every_kind_change_no_report_as_of_an_earlier_day() {
    let tmp = tempfile::tempdir().unwrap();
    super::generate::generate(tmp.path(), 2000, 11).unwrap();
    let dir = tmp.path().to_str().unwrap();
    let before = reports_as_of(dir, "2026-06-30", "2026-06");
    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&cm(&["-C", dir, "list", "--format", "json"]))).unwrap();
    let mut recorded = std::collections::BTreeMap::<&str, usize>::new();
    for (i, case) in listed.as_array().unwrap().iter().step_by(6).enumerate() {
        let id = case["id"].as_str().unwrap();
        let caseworker = case["caseworker"].as_str().unwrap();
        let other = if caseworker == "cw000" {
            "cw001"
        } else {
            "cw000"
        };
        let risk = if case["risk"] == "low" { "high" } else { "low" };
        let events: Vec<(&str, Vec<&str>)> = match case["phase"].as_str().unwrap() {
            "closed" => vec![
                ("reopen", vec!["reopen", id, "--reason", "Back again"]),
                ("consent", vec!["consent", id, "--withdrawn"]),
            ],
            "intake" => vec![
                (
                    "consent",
                    vec!["consent", id, "--given", "--share-with", "emdad"],
                ),
                ("advance", vec!["advance", id]),
            ],
            "assessment" => vec![
                ("risk", vec!["risk", id, risk, "--note", "Changed at home"]),
                ("contact", vec!["contact", id, "--type", "home-visit"]),
            ],
            _ => match i % 4 {
                0 => vec![
                    ("review", vec!["review", id, "--risk", risk]),
                    (
                        "goal",
                        vec!["goal", id, "G1", "--status", "dropped", "--reason", "x"],
                    ),
                ],
                1 => vec![
                    ("transfer", vec!["transfer", id, "--to", other]),
                    (
                        "service",
                        vec!["service", id, "S1", "--status", "cancelled"],
                    ),
                ],
                2 => vec![(
                    "close",
                    vec![
                        "advance",
                        id,
                        "--to",
                        "closed",
                        "--reason",
                        "moved",
                        "--approved-by",
                        "sup00",
                    ],
                )],
                _ => vec![
                    ("contact", vec!["contact", id, "--type", "phone"]),
                    (
                        "refer",
                        vec!["refer", id, "--type", "legal-aid", "--provider", "Bar"],
                    ),
                ],
            },
        };
        for (kind, args) in events {
            let mut all = vec!["-C", dir];
            all.extend(args);
            if cm(&all).status.success() {
                *recorded.entry(kind).or_default() += 1;
            }
        }
    }
    let kinds = [
        "reopen", "consent", "advance", "risk", "contact", "review", "goal", "transfer", "service",
        "close", "refer",
    ];
    for kind in kinds {
        assert!(
            recorded.get(kind).copied().unwrap_or(0) >= 5,
            "{kind}: {recorded:?}"
        );
    }
    assert!(recorded.values().sum::<usize>() >= 300, "{recorded:?}");
    let after = reports_as_of(dir, "2026-06-30", "2026-06");
    for (i, (was, is)) in before.iter().zip(&after).enumerate() {
        assert!(was == is, "report {i} changed");
    }
}

/// `cm show --as-of` shows the case as it stood that day; before it was opened, it says so.
#[test]
fn show_as_of_a_day_shows_the_case_as_it_stood() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-cases");
    let out = cm(&["-C", dir, "show", "THR-2026-0004", "--as-of", "2026-05-01"]);
    let text = stdout(&out);
    assert!(text.contains("\nphase       implementation\n"), "{text}");
    assert!(text.contains("\nreviews     0\n"), "{text}");
    assert!(!text.contains("monitoring"), "{text}");
    let early = cm(&["-C", dir, "show", "THR-2026-0004", "--as-of", "2026-01-01"]);
    assert_eq!(early.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&early.stderr),
        "cm: error: THR-2026-0004 was opened on 2026-02-22, after 2026-01-01\n"
    );
}
