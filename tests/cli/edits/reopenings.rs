//! `cm reopen`: a closed case starts a new episode in intake. The closure moves, as it was, to
//! the end of `episodes`; the intake entry that starts the episode is appended to the history;
//! the phase (and with `--risk`, the risk) changes — one edit, in a closure written as a block
//! and in a file with CRLF line endings. Then the refusals, and how the monthly summary counts
//! a case closed in one month and reopened in the next. The exact changes are in
//! tests/fixtures/edits/expected/.

use super::{
    assert_valid, edit_prepared, refused, run, stderr, stdout, workspace,
    workspace_with_a_closed_case,
};

/// EDT-2026-0004 closed on 2026-09-20, its closure written as a block with a note.
fn closed_in_blocks(text: &str) -> String {
    let text = text.replace("phase: implementation\n", "phase: closed\n");
    let text = text.replace(
        "\nhistory:\n",
        "\nclosure:\n  date: 2026-09-20   # by phone\n  reason: client-withdrew\n  domains:\n    income: 2\n  note: \"Found work; will call if the loan comes through\"\n\nhistory:\n",
    );
    format!("{text}  - {{date: 2026-09-20, phase: closed, by: s.ahmadi, approved_by: m.karimi}}\n")
}

/// EDT-2026-0002 (CRLF line endings, a history written `[…]` over several lines) closed on
/// 2026-10-20.
fn closed_crlf(text: &str) -> String {
    assert!(text.contains("\r\n"));
    text.replace("phase: monitoring\r\n", "phase: closed\r\n")
        .replace(
            "history: [\r\n",
            "closure:\r\n  date: 2026-10-20\r\n  reason: moved\r\nhistory: [\r\n",
        )
        .replace(
            "{date: 2026-04-01, phase: monitoring, by: s.ahmadi}\r\n",
            "{date: 2026-04-01, phase: monitoring, by: s.ahmadi},\r\n    {date: 2026-10-20, phase: closed, by: s.ahmadi, approved_by: m.karimi}\r\n",
        )
}

#[test]
fn reopening_moves_the_closure_into_the_episodes_and_starts_in_intake() {
    let out = edit_prepared(
        "reopen",
        "EDT-2026-0004",
        closed_in_blocks,
        &[
            "reopen",
            "EDT-2026-0004",
            "--reason",
            "Lost the job at the bakery; rent due again",
            "--risk",
            "high",
            "--date",
            "2026-10-05",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0004: closed → intake from 2026-10-05 (episode 2)\n"
    );
}

/// EDT-2026-0005, a file of `{...}` items, closed on 2026-09-08 with its closure on one line.
fn closed_in_flow(text: &str) -> String {
    text.replace("phase: monitoring\n", "phase: closed\n")
        .replace(
            "history:\n",
            "closure: {date: 2026-09-08, reason: moved, domains: {health: 4}}   # by letter\nhistory:\n",
        )
        .replace(
            "phase: monitoring, by: s.ahmadi}\n",
            "phase: monitoring, by: s.ahmadi}\n  - {date: 2026-09-08, phase: closed, by: s.ahmadi, approved_by: m.karimi}\n",
        )
}

/// A closure written `{...}` on the line of its key goes whole: the key starts its line, so the
/// editor removes that line (a key *inside* `{...}` could not be removed in place, but the
/// reopening removes none).
#[test]
fn reopening_removes_a_closure_written_on_one_line() {
    let out = edit_prepared(
        "reopen-flow",
        "EDT-2026-0005",
        closed_in_flow,
        &[
            "reopen",
            "EDT-2026-0005",
            "--reason",
            "x",
            "--date",
            "2026-10-01",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0005: closed → intake from 2026-10-01 (episode 2)\n"
    );
}

#[test]
fn reopening_a_crlf_case_keeps_its_line_endings() {
    let out = edit_prepared(
        "reopen-crlf",
        "EDT-2026-0002",
        closed_crlf,
        &[
            "reopen",
            "EDT-2026-0002",
            "--reason",
            "دوباره به تهران برگشت",
            "--date",
            "2026-10-25",
            "--by",
            "m.karimi",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0002: closed → intake from 2026-10-25 (episode 2)\n"
    );
}

/// Refusals leave every file as it was: an open case, a day before the closure, and a closure
/// the editor cannot remove (a key inside `{...}`) are refused before any change (2), as is `cm advance` of a closed case, which
/// points at `cm reopen`; a name the roster does not know and a day after today are refused by
/// the gate (1).
#[test]
fn reopenings_refused() {
    let ws = workspace_with_a_closed_case();
    // EDT-2026-0006, a whole case written as one `{...}` mapping: its closure is a key inside
    // `{...}`, which the editor cannot remove in place.
    std::fs::write(
        ws.path().join("cases/2026/EDT-2026-0006.yaml"),
        "{id: EDT-2026-0006, program: general, opened: 2026-05-10, caseworker: s.ahmadi, \
         risk: low, phase: closed, client: {name: Reza Karimi, sex: male}, \
         consent: {given: true, date: 2026-05-10}, \
         assessment: {date: 2026-05-17, domains: {health: 2}}, \
         plan: {date: 2026-05-30, goals: [{id: G1, domain: health, text: x, status: active}]}, \
         closure: {date: 2026-09-08, reason: moved}, \
         history: [{date: 2026-05-10, phase: intake, by: s.ahmadi}, \
         {date: 2026-05-17, phase: assessment, by: s.ahmadi}, \
         {date: 2026-05-30, phase: planning, by: s.ahmadi, approved_by: m.karimi}, \
         {date: 2026-09-08, phase: closed, by: s.ahmadi, approved_by: m.karimi}]}\n",
    )
    .unwrap();
    assert_valid(ws.path());
    for (args, status, message) in [
        (
            &["reopen", "EDT-2026-0001", "--reason", "x"][..],
            2,
            "EDT-2026-0001 is in `implementation`; only a closed case is reopened",
        ),
        (
            &[
                "reopen",
                "EDT-2026-0002",
                "--reason",
                "x",
                "--date",
                "2026-10-19",
            ][..],
            2,
            "the reopening (2026-10-19) would come before the closure (2026-10-20); a case is \
             reopened on or after the day it was closed",
        ),
        (&["reopen", "EDT-2026-0002"][..], 2, "--reason <TEXT>"),
        (
            &["advance", "EDT-2026-0002"][..],
            2,
            "EDT-2026-0002 is closed; a returning client's case is reopened with \
             `cm reopen EDT-2026-0002 --reason TEXT`",
        ),
        (
            &[
                "reopen",
                "EDT-2026-0002",
                "--reason",
                "x",
                "--by",
                "n.moradi",
            ][..],
            1,
            "error[unknown-caseworker]: `n.moradi` is not in the roster of cm.toml",
        ),
        (
            &[
                "reopen",
                "EDT-2026-0002",
                "--reason",
                "x",
                "--date",
                "2026-11-02",
            ][..],
            1,
            "error[date-future]",
        ),
        (
            &["reopen", "EDT-2026-0006", "--reason", "x"][..],
            2,
            "closure is written inside a `{...}` mapping, so it cannot be removed in place; \
             write the case as a block, one key to a line, and run the command again",
        ),
    ] {
        refused(ws.path(), args, status, message);
    }
}

/// The month's figure of `metric` in `cm report summary --month MONTH`.
fn figure(ws: &std::path::Path, month: &str, metric: &str) -> i64 {
    let out = run(
        ws,
        &["report", "summary", "--month", month, "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{metric},")))
        .unwrap_or_else(|| panic!("no {metric}"))
        .parse()
        .unwrap()
}

/// A case closed in September and reopened in October counts as closed in September, and as
/// opened and reopened in October; it is open at the end of October, not of September.
#[test]
fn the_summary_counts_each_episode_in_its_month() {
    let ws = workspace();
    for args in [
        &[
            "advance",
            "EDT-2026-0002",
            "--to",
            "closed",
            "--reason",
            "moved",
            "--approved-by",
            "m.karimi",
            "--date",
            "2026-09-20",
        ][..],
        &[
            "reopen",
            "EDT-2026-0002",
            "--reason",
            "Came back from Karaj",
            "--date",
            "2026-10-05",
        ][..],
    ] {
        let out = run(ws.path(), args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    assert_valid(ws.path());
    let (september, october) = ("2026-09", "2026-10");
    assert_eq!(figure(ws.path(), september, "cases_closed"), 1);
    assert_eq!(figure(ws.path(), september, "cases_closed.moved"), 1);
    assert_eq!(figure(ws.path(), september, "cases_reopened"), 0);
    assert_eq!(figure(ws.path(), october, "cases_closed"), 0);
    assert_eq!(figure(ws.path(), october, "cases_opened"), 1);
    assert_eq!(figure(ws.path(), october, "cases_reopened"), 1);
    let open = |month| figure(ws.path(), month, "open_at_month_end");
    assert_eq!(open(october), open(september) + 1);
    assert_eq!(
        figure(ws.path(), october, "open_at_month_end.phase.intake"),
        1
    );
}
