//! `cm assess`: the assessment recorded on a case in intake that has none yet, and the
//! assessments refused: too late (a case past assessment), twice (a case assessed already), of a
//! domain cm.toml does not list, or a score out of range. The exact change is in
//! tests/fixtures/edits/expected/assess.diff.

use super::{assert_valid, matches_expected, refused, run, stderr, stdout, workspace};

/// EDT-2026-0003 as it was before it was assessed: in intake, with no assessment.
fn in_intake(text: &str) -> String {
    text.replace("phase: assessment\n", "phase: intake\n")
        .replace(
            "assessment:\n  date: 2026-09-05\n  domains: {safety: 1, family: 2}\n",
            "",
        )
        .replace(
            ", {date: 2026-09-05, phase: assessment, by: s.ahmadi}]",
            "]",
        )
}

/// A copy of the edits workspace with EDT-2026-0003 in intake.
fn workspace_in_intake() -> (tempfile::TempDir, String) {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0003.yaml");
    let before = in_intake(&std::fs::read_to_string(&path).unwrap());
    assert!(!before.contains("assessment"), "{before}");
    std::fs::write(&path, &before).unwrap();
    assert_valid(ws.path());
    (ws, before)
}

#[test]
fn an_assessment_is_written_as_a_block_before_the_history() {
    let (ws, before) = workspace_in_intake();
    let out = run(
        ws.path(),
        &[
            "assess",
            "EDT-2026-0003",
            "--date",
            "2026-09-05",
            "--score",
            "safety=۱",
            "--score",
            "family=2",
            "--strength",
            "Close to his aunt",
            "--need",
            "A safe place to sleep",
            "--need",
            "مدرسه",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "EDT-2026-0003: assessment of 2026-09-05 recorded (2 domains)\n"
    );
    let path = ws.path().join("cases/2026/EDT-2026-0003.yaml");
    let after = std::fs::read_to_string(&path).unwrap();
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .header("before", "after")
        .to_string();
    matches_expected("assess.diff", &diff);
    assert_valid(ws.path());
}

#[test]
fn assessments_that_cannot_be_recorded_are_refused_and_change_nothing() {
    let (ws, _) = workspace_in_intake();
    refused(
        ws.path(),
        &["assess", "EDT-2026-0002", "--score", "family=3"],
        2,
        "EDT-2026-0002 is in monitoring; scores after the assessment belong to a review (cm review --score)",
    );
    refused(
        ws.path(),
        &["assess", "EDT-2026-0001", "--score", "family=3"],
        2,
        "EDT-2026-0001 is in implementation;",
    );
    refused(ws.path(), &["assess", "EDT-2026-0003"], 2, "--score");
    refused(
        ws.path(),
        &[
            "assess",
            "EDT-2026-0003",
            "--score",
            "family=3",
            "--score",
            "family=2",
        ],
        2,
        "domain `family` is given twice",
    );
    refused(
        ws.path(),
        &["assess", "EDT-2026-0003", "--score", "wellbeing=3"],
        1,
        "error[unknown-domain]",
    );
    refused(
        ws.path(),
        &["assess", "EDT-2026-0003", "--score", "family=7"],
        1,
        "cm: error: cannot record the assessment; nothing was changed",
    );
    refused(
        ws.path(),
        &[
            "assess",
            "EDT-2026-0003",
            "--score",
            "family=3",
            "--date",
            "2026-08-01",
        ],
        1,
        "error[date-order]",
    );
}

#[test]
fn a_case_assessed_already_is_refused_with_what_to_do() {
    let ws = workspace();
    refused(
        ws.path(),
        &["assess", "EDT-2026-0003", "--score", "family=3"],
        2,
        "EDT-2026-0003 has an assessment already; edit it in the case file, or record new scores with cm review --score",
    );
}
