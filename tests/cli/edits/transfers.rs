//! `cm transfer`: a case passed to another caseworker, the transfer appended in the style of the
//! list (a new list written as a block, a one-line `[…]` list grown on its line) and the
//! caseworker changed in the same edit; the refusals; and the caseload of a day before and after
//! a transfer. The exact changes are in tests/fixtures/edits/expected/.

use super::{
    AS_OF, assert_valid, edit, refused, run, stderr, stdout, workspace,
    workspace_with_a_closed_case,
};

#[test]
fn a_first_transfer_makes_the_list_after_the_history() {
    let (_, out) = edit(
        "transfer",
        "EDT-2026-0001",
        &[
            "transfer",
            "EDT-2026-0001",
            "--to",
            "m.karimi",
            "--date",
            "2026-10-05",
            "--reason",
            "Sara is on leave until spring",
        ],
    );
    assert_eq!(out, "EDT-2026-0001: s.ahmadi → m.karimi from 2026-10-05\n");
}

#[test]
fn a_transfer_grows_a_one_line_list_on_its_line() {
    let (_, out) = edit(
        "transfer-flow",
        "EDT-2026-0005",
        &[
            "transfer",
            "EDT-2026-0005",
            "--to",
            "m.karimi",
            "--date",
            "2026-10-10",
            "--by",
            "m.karimi",
        ],
    );
    assert_eq!(out, "EDT-2026-0005: s.ahmadi → m.karimi from 2026-10-10\n");
}

/// In a file whose lines end in CRLF, the new caseworker and the new list end their lines so.
#[test]
fn a_transfer_in_a_crlf_file() {
    let (_, out) = edit(
        "transfer-crlf",
        "EDT-2026-0002",
        &[
            "transfer",
            "EDT-2026-0002",
            "--to",
            "m.karimi",
            "--date",
            "2026-10-12",
            "--reason",
            "خانواده به محله دیگری رفتند",
        ],
    );
    assert_eq!(out, "EDT-2026-0002: s.ahmadi → m.karimi from 2026-10-12\n");
}

/// Refusals leave every file as it was: a closed case and the caseworker who has the case are
/// bad requests (2); a name the roster does not know, and a transfer without the approval the
/// settings ask for, are refused by the gate (1).
#[test]
fn transfers_refused() {
    let ws = workspace_with_a_closed_case();
    let settings = ws.path().join("cm.toml");
    let toml = std::fs::read_to_string(&settings).unwrap();
    let approval = "approval = [\"planning\", \"closed\"]";
    assert!(toml.contains(approval));
    std::fs::write(
        &settings,
        toml.replace(approval, &format!("{approval}\ntransfer_approval = true")),
    )
    .unwrap();
    for (args, status, message) in [
        (
            &["transfer", "EDT-2026-0002", "--to", "m.karimi"][..],
            2,
            "EDT-2026-0002 is closed; a closed case is not transferred",
        ),
        (
            &["transfer", "EDT-2026-0001", "--to", "s.ahmadi"][..],
            2,
            "EDT-2026-0001 is already with `s.ahmadi`",
        ),
        (
            &[
                "transfer",
                "EDT-2026-0001",
                "--to",
                "n.moradi",
                "--approved-by",
                "m.karimi",
            ][..],
            1,
            "error[unknown-caseworker]: `n.moradi` is not in the roster of cm.toml",
        ),
        (
            &["transfer", "EDT-2026-0001", "--to", "m.karimi"][..],
            1,
            "error[transfer]: a transfer needs a supervisor's approval (`approved_by`)",
        ),
        (
            &[
                "transfer",
                "EDT-2026-0001",
                "--to",
                "m.karimi",
                "--approved-by",
                "m.karimi",
            ][..],
            1,
            "error[transfer]: `m.karimi` cannot approve a transfer of their own",
        ),
        (
            &[
                "transfer",
                "EDT-2026-0001",
                "--to",
                "m.karimi",
                "--date",
                "2026-11-02",
            ][..],
            1,
            "error[date-future]",
        ),
    ] {
        refused(ws.path(), args, status, message);
    }
}

/// The open cases of each caseworker on a day, from `cm report caseload --as-of DAY`.
fn open_cases(ws: &std::path::Path, day: &str) -> Vec<(String, String)> {
    let out = run(
        ws,
        &["report", "caseload", "--as-of", day, "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0].to_string(), cells[2].to_string())
        })
        .collect()
}

#[test]
fn the_caseload_counts_the_receiver_from_the_day_of_the_transfer() {
    let ws = workspace();
    let out = run(
        ws.path(),
        &[
            "transfer",
            "EDT-2026-0001",
            "--to",
            "m.karimi",
            "--date",
            "2026-10-05",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_valid(ws.path());
    let count = |day: &str, who: &str| {
        open_cases(ws.path(), day)
            .into_iter()
            .find(|(id, _)| id == who)
            .map(|(_, n)| n)
            .unwrap_or_default()
    };
    let (before, after) = ("2026-10-04", "2026-10-05");
    let sara = |day| count(day, "s.ahmadi").parse::<usize>().unwrap();
    let maryam = |day| count(day, "m.karimi").parse::<usize>().unwrap_or(0);
    assert_eq!(sara(before), sara(after) + 1);
    assert_eq!(maryam(before) + 1, maryam(after));
    assert_eq!(sara(AS_OF), sara(after));
}
