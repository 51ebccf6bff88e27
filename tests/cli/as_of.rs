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
    let dir = ws.to_str().unwrap();
    let runs: [&[&str]; 6] = [
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
        &["list", "--as-of", "2026-10-31"],
        &["overdue", "--as-of", "2026-10-31"],
    ];
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
        let mut all = vec!["-C", dir];
        all.extend(args.iter());
        let out = cm(&all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
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
