//! `cm risk`: a change of the risk between reviews, appended to `risk_changes` with the new
//! `risk` in one edit — in a file of block lists and in a file whose lines end in CRLF — and the
//! changes refused. The exact changes are in tests/fixtures/edits/expected/risk*.diff.

use super::{edit, refused, run, stderr, stdout, workspace};

#[test]
fn a_change_of_risk_is_dated_and_becomes_the_risk() {
    let (ws, out) = edit(
        "risk",
        "EDT-2026-0001",
        &[
            "risk",
            "EDT-2026-0001",
            "critical",
            "--date",
            "2026-10-20",
            "--note",
            "تهدید به بیرون کردن از خانه",
        ],
    );
    assert_eq!(out, "EDT-2026-0001: risk high → critical from 2026-10-20\n");
    let shown = run(ws.path(), &["show", "EDT-2026-0001"]);
    assert!(
        stdout(&shown).contains("risk        critical"),
        "{}",
        stderr(&shown)
    );
}

#[test]
fn a_change_of_risk_in_a_crlf_file() {
    let (_, out) = edit(
        "risk-crlf",
        "EDT-2026-0002",
        &[
            "risk",
            "EDT-2026-0002",
            "high",
            "--date",
            "2026-10-02",
            "--by",
            "m.karimi",
            "--note",
            "Fell twice at home",
        ],
    );
    assert_eq!(out, "EDT-2026-0002: risk medium → high from 2026-10-02\n");
}

#[test]
fn changes_of_risk_that_cannot_be_made_are_refused_and_change_nothing() {
    let ws = workspace();
    let ws = ws.path();
    refused(
        ws,
        &["risk", "EDT-2026-0099", "low", "--note", "x"],
        2,
        "EDT-2026-0099",
    );
    refused(
        ws,
        &["risk", "EDT-2026-0001", "severe", "--note", "x"],
        2,
        "low, medium, high, critical",
    );
    refused(
        ws,
        &["risk", "EDT-2026-0001", "low"],
        2,
        "required arguments were not provided:\n  --note <TEXT>",
    );
    refused(
        ws,
        &["risk", "EDT-2026-0001", "high", "--note", "x"],
        2,
        "the risk of EDT-2026-0001 is `high` already",
    );
    refused(
        ws,
        &[
            "risk",
            "EDT-2026-0002",
            "low",
            "--date",
            "2026-01-01",
            "--note",
            "x",
        ],
        2,
        "the decision (2026-01-01) would come before the latest decision about the risk (2026-01-10)",
    );
    refused(
        ws,
        &[
            "risk",
            "EDT-2026-0002",
            "low",
            "--by",
            "x.nobody",
            "--note",
            "x",
        ],
        1,
        "error[unknown-caseworker]: `x.nobody` is not in the roster of cm.toml",
    );
}
