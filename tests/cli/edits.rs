//! `cm new`, `cm advance` and `cm review` (and, in `services`, `cm refer`, `cm service` and
//! `cm migrate`, and in `transfers`, `cm transfer`, and in `reopenings`, `cm reopen`) on tests/fixtures/edits/, a workspace whose files are written the way people
//! write by hand: comments, odd quoting, blank lines, a flow-style history and services, CRLF
//! line endings, no final line ending; and on the same files with lines ending in a lone
//! carriage return.
//!
//! The exact change each edit makes is in tests/fixtures/edits/expected/<test>.diff, the unified
//! diff of the file before and after (`CM_BLESS=1` rewrites them; read the diff). Every result
//! must pass `cm validate`; every refusal must leave every file byte-identical. Commands run on
//! a fixed day (`CM_TODAY`, and `--date`), so that no test depends on the day it runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{AS_OF, copy_dir, fixtures, stdout};

mod assessments;
mod consents;
mod contacts;
mod goals;
mod reopenings;
mod risks;
mod services;
mod transfers;

/// A copy of the edits workspace in a temporary folder.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("edits"), tmp.path());
    std::fs::remove_dir_all(tmp.path().join("expected")).unwrap();
    tmp
}

/// A copy of the edits workspace in which EDT-2026-0002 was closed on 20 October 2026 (the
/// client moved), by `cm advance`.
fn workspace_with_a_closed_case() -> tempfile::TempDir {
    let ws = workspace();
    let close = [
        "advance",
        "EDT-2026-0002",
        "--to",
        "closed",
        "--reason",
        "moved",
        "--approved-by",
        "m.karimi",
        "--date",
        "2026-10-20",
    ];
    let out = run(ws.path(), &close);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    ws
}

fn run(ws: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cm"))
        .arg("-C")
        .arg(ws)
        .args(args)
        .env("NO_COLOR", "1")
        .env("CM_TODAY", AS_OF)
        .output()
        .expect("cm runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name() == Some(".cm".as_ref()) {
                // cm's own folder (the lock), never committed: not the workspace's files.
                continue;
            } else if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Compares `actual` with the file `expected/<name>`, or rewrites it under `CM_BLESS`.
/// `args` fail with `code` and a message containing `message`, and change no file.
fn refused(ws: &Path, args: &[&str], code: i32, message: &str) {
    let before = snapshot(ws);
    let out = run(ws, args);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    assert!(
        stderr(&out).contains(message),
        "{args:?}: expected {message:?} in\n{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty(), "{args:?}");
    assert_eq!(snapshot(ws), before, "{args:?} changed a file");
}

fn matches_expected(name: &str, actual: &str) {
    let file = fixtures().join("edits/expected").join(name);
    if std::env::var_os("CM_BLESS").is_some() {
        std::fs::write(&file, actual).unwrap();
    }
    let expected =
        std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("missing {}", file.display()));
    assert_eq!(
        actual,
        expected,
        "the change differs from {}",
        file.display()
    );
}

fn assert_valid(ws: &Path) {
    let out = run(ws, &["validate", "--as-of", AS_OF]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(": 0 errors"), "{text}");
}

/// Runs an edit of `case` that must succeed: the file changes exactly as expected/<name>.diff
/// says, no other file changes, and the workspace stays valid. Returns the workspace and what
/// `cm` printed.
fn edit(name: &str, case: &str, args: &[&str]) -> (tempfile::TempDir, String) {
    let ws = workspace();
    let file = PathBuf::from(format!("cases/2026/{case}.yaml"));
    let mut others = snapshot(ws.path());
    let before = String::from_utf8(others.remove(&file).unwrap()).unwrap();
    let out = run(ws.path(), args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut now = snapshot(ws.path());
    let after = String::from_utf8(now.remove(&file).unwrap()).unwrap();
    assert_eq!(now, others, "files other than {} changed", file.display());
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .header("before", "after")
        .to_string();
    matches_expected(&format!("{name}.diff"), &diff);
    assert_valid(ws.path());
    (ws, stdout(&out))
}

/// Runs `args` on the workspace after `prepare` wrote `before` into `case`'s file: the file
/// changes exactly as expected/<name>.diff says, and stays valid. Returns what `cm` printed.
fn edit_prepared(
    name: &str,
    case: &str,
    prepare: impl Fn(&str) -> String,
    args: &[&str],
) -> String {
    let ws = workspace();
    let path = ws.path().join(format!("cases/2026/{case}.yaml"));
    let before = prepare(&std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, &before).unwrap();
    assert_valid(ws.path());
    let out = run(ws.path(), args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = std::fs::read_to_string(&path).unwrap();
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .header("before", "after")
        .to_string();
    matches_expected(&format!("{name}.diff"), &diff);
    assert_valid(ws.path());
    stdout(&out)
}

#[test]
fn advance_changes_the_phase_and_appends_to_the_history() {
    let (_, out) = edit(
        "advance",
        "EDT-2026-0001",
        &["advance", "EDT-2026-0001", "--date", "2026-10-05"],
    );
    assert_eq!(out, "EDT-2026-0001: implementation → monitoring\n");
}

#[test]
fn advance_grows_a_one_line_flow_history_in_a_file_without_a_final_newline() {
    let (_, out) = edit(
        "advance-flow",
        "EDT-2026-0003",
        &[
            "advance",
            "EDT-2026-0003",
            "--date",
            "2026-09-10",
            "--approved-by",
            "m.karimi",
        ],
    );
    assert_eq!(out, "EDT-2026-0003: assessment → planning\n");
}

#[test]
fn closing_a_crlf_case_writes_the_closure_before_the_history() {
    edit(
        "close-crlf",
        "EDT-2026-0002",
        &[
            "advance",
            "EDT-2026-0002",
            "--to",
            "closed",
            "--reason",
            "client-withdrew",
            "--approved-by",
            "m.karimi",
            "--date",
            "2026-10-20",
            "--note",
            "Moved in with his daughter in Karaj",
        ],
    );
}

/// [`run`], with `CM_TODAY` fixing the day for anything that would read the clock (the
/// commands say `--date` too).
#[test]
fn passing_over_a_phase_that_needs_approval_needs_the_approval() {
    let ws = workspace();
    let file = ws.path().join("cases/2026/EDT-2026-0003.yaml");
    // A plan made during the assessment: only the approval of `planning` stands in the way of
    // going straight to `implementation`.
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "history: [",
        "plan:\n  date: 2026-09-08\n  goals: [{id: G1, domain: safety, text: A safe home, status: active}]\nhistory: [",
    );
    std::fs::write(&file, &text).unwrap();
    let skip = [
        "advance",
        "EDT-2026-0003",
        "--to",
        "implementation",
        "--date",
        "2026-09-10",
    ];
    let before = snapshot(ws.path());
    let refused = run(ws.path(), &skip);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert_eq!(
        stderr(&refused),
        "cm: error: cannot enter implementation; nothing was changed:\n  \
         cases/2026/EDT-2026-0003.yaml:15:1: error[approval]: moving from `assessment` to \
         `implementation` passes over `planning`, which needs a supervisor's approval \
         (`approved_by`)\n    \
         help: record it with `cm advance --approved-by SUPERVISOR`\n"
    );
    assert!(stdout(&refused).is_empty());
    // The approval of a skip is checked as the approval of an entry is.
    let own = run(
        ws.path(),
        &[&skip[..], &["--approved-by", "s.ahmadi"]].concat(),
    );
    assert_eq!(own.status.code(), Some(1), "{}", stderr(&own));
    assert!(
        stderr(&own).contains("error[approval]: `s.ahmadi` cannot approve their own case\n"),
        "{}",
        stderr(&own)
    );
    assert_eq!(snapshot(ws.path()), before, "a refused skip changed a file");

    let approved = run(
        ws.path(),
        &[&skip[..], &["--approved-by", "m.karimi"]].concat(),
    );
    assert_eq!(approved.status.code(), Some(0), "{}", stderr(&approved));
    assert_eq!(
        stdout(&approved),
        "EDT-2026-0003: assessment → implementation\n"
    );
    let after = std::fs::read_to_string(&file).unwrap();
    let diff = similar::TextDiff::from_lines(&text, &after)
        .unified_diff()
        .header("before", "after")
        .to_string();
    matches_expected("advance-skip.diff", &diff);
    assert_valid(ws.path());
}

#[test]
fn a_first_review_adds_the_reviews_list_in_the_order_of_the_contract() {
    let (_, out) = edit(
        "review",
        "EDT-2026-0001",
        &[
            "review",
            "EDT-2026-0001",
            "--date",
            "2026-10-05",
            "--score",
            "income=2",
            "--goal",
            "G1=-1",
            "--risk",
            "medium",
            "--next",
            "2026-11-05",
            "--note",
            "زهرا دو مشتری ثابت دارد",
        ],
    );
    assert_eq!(out, "EDT-2026-0001: review of 2026-10-05 recorded\n");
}

#[test]
fn a_review_follows_the_style_of_the_last_one_in_a_crlf_file() {
    edit(
        "review-crlf",
        "EDT-2026-0002",
        &[
            "review",
            "EDT-2026-0002",
            "--date",
            "2026-10-01",
            "--score",
            "health=4",
            "--goal",
            "G1=1",
        ],
    );
}

/// The edits of the tests above, each made to its file as it is and to the same file with
/// every line break a lone carriage return (old Mac style): the second gives the first's text
/// with every line break a carriage return — the new lines end in one, nothing else changes.
#[test]
fn a_file_of_cr_lines_is_edited_like_the_others_and_keeps_its_line_endings() {
    let edits: [(&str, &[&str]); 8] = [
        (
            "EDT-2026-0001",
            &["advance", "EDT-2026-0001", "--date", "2026-10-05"],
        ),
        (
            "EDT-2026-0001",
            &[
                "review",
                "EDT-2026-0001",
                "--date",
                "2026-10-05",
                "--score",
                "income=2",
                "--risk",
                "medium",
                "--note",
                "two lines\nof note",
            ],
        ),
        (
            "EDT-2026-0002",
            &[
                "review",
                "EDT-2026-0002",
                "--date",
                "2026-10-01",
                "--score",
                "health=4",
            ],
        ),
        (
            "EDT-2026-0002",
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
                "2026-10-20",
            ],
        ),
        (
            "EDT-2026-0003",
            &[
                "advance",
                "EDT-2026-0003",
                "--date",
                "2026-09-10",
                "--approved-by",
                "m.karimi",
            ],
        ),
        (
            "EDT-2026-0004",
            &[
                "refer",
                "EDT-2026-0004",
                "--type",
                "microcredit",
                "--provider",
                "Emdad",
                "--date",
                "2026-10-05",
                "--note",
                "two lines\nof note",
            ],
        ),
        (
            "EDT-2026-0004",
            &[
                "service",
                "EDT-2026-0004",
                "S1",
                "--status",
                "declined",
                "--reason",
                "not-eligible",
                "--date",
                "2026-10-01",
            ],
        ),
        (
            "EDT-2026-0005",
            &[
                "service",
                "EDT-2026-0005",
                "S2",
                "--status",
                "completed",
                "--date",
                "2026-10-12",
                "--cost",
                "9000000",
            ],
        ),
    ];
    let cr = |text: &str| text.replace("\r\n", "\r").replace('\n', "\r");
    for (case, args) in edits {
        let file = format!("cases/2026/{case}.yaml");
        let edited = |convert: bool| {
            let ws = workspace();
            let path = ws.path().join(&file);
            if convert {
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, cr(&text)).unwrap();
            }
            let out = run(ws.path(), args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            assert_valid(ws.path());
            std::fs::read_to_string(&path).unwrap()
        };
        let (as_is, with_cr) = (edited(false), edited(true));
        assert_eq!(with_cr, cr(&as_is), "{args:?}");
    }
}

/// Every kind of block scalar: literal or folded, each chomping, with an indentation indicator
/// or not (before or after the chomping one).
const BLOCK_HEADERS: &[&str] = &[
    "|", ">", "|-", ">-", "|+", ">+", "|2", ">2", "|2-", "|-2", ">2-", ">-2", "|2+", "|+2", ">2+",
    ">+2",
];

/// A case whose list `list` (`reviews` or `history`) ends in an item whose note is a block
/// scalar written with `header`, then `blanks`, then `tail`.
fn case_with_block_note(id: &str, list: &str, header: &str, blanks: &str, tail: &str) -> String {
    let phase = if list == "reviews" {
        "monitoring"
    } else {
        "implementation"
    };
    let text = format!(
        "id: {id}\nprogram: older-person\nopened: 2026-01-10\ncaseworker: s.ahmadi\nrisk: medium\n\
         phase: {phase}\nclient:\n  name: Hassan Moradi\n  sex: male\n\
         consent:\n  given: true\n  date: 2026-01-10\n\
         assessment:\n  date: 2026-01-17\n  domains:\n    health: 2\n\
         plan:\n  date: 2026-01-30\n  goals:\n    - id: G1\n      domain: health\n      \
         text: Home-care visits twice a week\n      status: active\n"
    );
    let history = "history:\n  - {date: 2026-01-10, phase: intake, by: s.ahmadi, risk: medium}\n  \
        - {date: 2026-01-17, phase: assessment, by: s.ahmadi}\n  \
        - {date: 2026-01-30, phase: planning, by: s.ahmadi, approved_by: m.karimi}\n";
    let last_items = match list {
        "reviews" => {
            "  - {date: 2026-02-02, phase: implementation, by: s.ahmadi}\n  \
             - {date: 2026-04-01, phase: monitoring, by: s.ahmadi}\n\
             reviews:\n  - date: 2026-04-01\n    by: s.ahmadi\n"
        }
        _ => "  - date: 2026-02-02\n    phase: implementation\n    by: s.ahmadi\n",
    };
    let note = format!(
        "    note: {header}\n      Seen at home.\n        With a cane.\n      Doing well.\n{blanks}"
    );
    format!("{text}{history}{last_items}{note}{tail}")
}

/// The length of the blank lines at the start of `rest` that a block scalar written with
/// `header` keeps: with `+`, those that end in a line break.
fn kept(header: &str, rest: &str) -> usize {
    let blank = rest.len() - rest.trim_start_matches([' ', '\n']).len();
    match header.contains('+') {
        true => rest[..blank].rfind('\n').map_or(0, |i| i + 1),
        false => 0,
    }
}

/// `cm review` and `cm advance` append to a list whose last item ends in a block scalar of
/// every kind, with blank lines after it or none, with a final line break or without, the list
/// of reviews at the end of the file or followed by a key (the history, as it usually is, at the
/// end). The scalar keeps its value: with `+` the blank lines after it are the value's, so the
/// new item goes after them; else right after the scalar's last line. At the end of a file
/// without a final line break the new item goes on a line of its own, and the file still ends
/// without one.
#[test]
fn an_item_appended_after_a_block_scalar_keeps_its_value() {
    let ws = workspace();
    let lists = [
        (
            "reviews",
            "review",
            "  - date: 2026-10-01\n    by: s.ahmadi\n",
            &["", "extra:\n  paper_file: P-12\n"][..],
        ),
        (
            "history",
            "advance",
            "  - date: 2026-10-01\n    phase: monitoring\n    by: s.ahmadi\n",
            &[""][..],
        ),
    ];
    let mut runs = Vec::new();
    for (list, command, new, tails) in lists {
        for header in BLOCK_HEADERS {
            for blanks in ["", "\n", "\n   \n"] {
                for tail in tails {
                    for final_break in [true, false] {
                        let id = format!("EDT-2026-{:04}", 1000 + runs.len());
                        let mut before = case_with_block_note(&id, list, header, blanks, tail);
                        if !final_break {
                            // Without its last line break, an empty last line is no line.
                            if before.ends_with("\n\n") {
                                continue;
                            }
                            before.pop();
                        }
                        // Just after the scalar's last line, or after the blank lines it keeps.
                        let last_line = before.find("Doing well.").unwrap() + "Doing well.\n".len();
                        let last_line = last_line.min(before.len());
                        let at = last_line + kept(header, &before[last_line..]);
                        let expected = if at == before.len() && !before.ends_with('\n') {
                            format!("{before}\n{}", new.trim_end())
                        } else {
                            format!("{}{new}{}", &before[..at], &before[at..])
                        };
                        let expected = expected
                            .replace("phase: implementation\nclient", "phase: monitoring\nclient");
                        let path = ws.path().join(format!("cases/2026/{id}.yaml"));
                        std::fs::write(&path, &before).unwrap();
                        runs.push((id, command, path, expected));
                    }
                }
            }
        }
    }
    assert_valid(ws.path());
    for (id, command, path, expected) in runs {
        let out = run(ws.path(), &[command, &id, "--date", "2026-10-01"]);
        assert_eq!(out.status.code(), Some(0), "{id}: {}", stderr(&out));
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(after, expected, "{id}");
    }
    assert_valid(ws.path());
}

/// The one shape of block scalar whose value no append can keep: a file that ends in a line of
/// spaces, as far in as the scalar's text, without a line break, after a `|` scalar. The parser
/// reads that line as one more line break of the value only while it ends the file. `cm` says
/// what to change, and changes nothing.
#[test]
fn spaces_ending_the_file_after_a_block_scalar_are_refused_with_what_to_change() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-1000.yaml");
    let text = case_with_block_note("EDT-2026-1000", "reviews", "|", "      ", "");
    std::fs::write(&path, &text).unwrap();
    assert_valid(ws.path());
    let before = snapshot(ws.path());
    let out = run(
        ws.path(),
        &["review", "EDT-2026-1000", "--date", "2026-10-01"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "cm: error: cannot change cases/2026/EDT-2026-1000.yaml: the file ends in a line of spaces \
         without a line break, and the value before it would read differently after the edit; \
         delete the spaces at the end of the file, or end its last line with a line break, and \
         run the command again; nothing was changed\n"
    );
    assert_eq!(snapshot(ws.path()), before);
    std::fs::write(&path, format!("{text}\n")).unwrap();
    let out = run(
        ws.path(),
        &["review", "EDT-2026-1000", "--date", "2026-10-01"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A value `cm` would replace but cannot replace in place (here `risk`, written as a block)
/// is refused with what to change.
#[test]
fn a_value_written_as_a_block_is_refused_with_what_to_change() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0002.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("risk: \"medium\"\r\n", "risk: >-\r\n  medium\r\n");
    std::fs::write(&path, text).unwrap();
    assert_valid(ws.path());
    let before = snapshot(ws.path());
    let args = [
        "review",
        "EDT-2026-0002",
        "--date",
        "2026-10-01",
        "--risk",
        "low",
    ];
    let out = run(ws.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "cm: error: cannot change cases/2026/EDT-2026-0002.yaml: risk is written as a block (`|` \
         or `>`); write it on the line of its key (`risk: medium`) and run the command again; \
         nothing was changed\n"
    );
    assert_eq!(snapshot(ws.path()), before);
}

#[test]
fn new_takes_a_number_never_used_in_the_workspace() {
    let ws = workspace();
    let before = snapshot(ws.path());
    let out = run(
        ws.path(),
        &[
            "new",
            "--program",
            "female-headed-household",
            "--name",
            "مریم رضایی",
            "--sex",
            "female",
            "--caseworker",
            "s.ahmadi",
            "--risk",
            "high",
            "--date",
            "2026-10-12",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // EDT-2026-0007 is only mentioned in another case's `extra`; it is taken all the same.
    assert_eq!(stdout(&out), "cases/2026/EDT-2026-0008.yaml\n");
    assert!(
        stderr(&out).contains("warning[no-consent]"),
        "{}",
        stderr(&out)
    );
    let mut now = snapshot(ws.path());
    let created = now
        .remove(Path::new("cases/2026/EDT-2026-0008.yaml"))
        .unwrap();
    assert_eq!(now, before, "new changed another file");
    matches_expected("new.yaml", &String::from_utf8(created).unwrap());
    assert_valid(ws.path());
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let ws = workspace();
    let before = snapshot(ws.path());
    let out = run(
        ws.path(),
        &[
            "advance",
            "EDT-2026-0001",
            "--date",
            "2026-10-05",
            "--dry-run",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "--- a/cases/2026/EDT-2026-0001.yaml\n+++ b/cases/2026/EDT-2026-0001.yaml\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n-phase: implementation\n+phase: monitoring\n"),
        "{text}"
    );
    assert_eq!(snapshot(ws.path()), before);
}

/// In the diff of a file of CR lines, each line ends in a line feed, so that a terminal shows
/// it as lines.
#[test]
fn dry_run_shows_a_file_of_cr_lines_as_lines() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0001.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace('\n', "\r")).unwrap();
    let args = [
        "advance",
        "EDT-2026-0001",
        "--date",
        "2026-10-05",
        "--dry-run",
    ];
    let out = run(ws.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("\n caseworker: s.ahmadi\n risk: 'high'         # raised after the April visit\n-phase: implementation\n+phase: monitoring\n \n"),
        "{text:?}"
    );
    assert!(!text.contains('\r'), "{text:?}");
}

#[test]
fn every_refusal_exits_non_zero_with_the_reason_and_changes_nothing() {
    let new = |caseworker: &'static str| {
        let mut args = vec![
            "new",
            "--program",
            "general",
            "--name",
            "X",
            "--sex",
            "male",
        ];
        if !caseworker.is_empty() {
            args.extend(["--caseworker", caseworker]);
        }
        args
    };
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        // The gate: what the case would lack.
        (
            vec![
                "advance",
                "EDT-2026-0003",
                "--to",
                "implementation",
                "--date",
                "2026-09-10",
            ],
            1,
            "cannot enter implementation; nothing was changed:\n  cases/2026/EDT-2026-0003.yaml:6:8: error[schema]: a case in phase `implementation` must have `plan`\n    help: record `plan` in the case file first\n  cases/2026/EDT-2026-0003.yaml:12:1: error[approval]: moving from `assessment` to `implementation` passes over `planning`, which needs a supervisor's approval (`approved_by`)\n",
        ),
        (
            vec!["advance", "EDT-2026-0003", "--date", "2026-09-10"],
            1,
            "entering `planning` needs a supervisor's approval (`approved_by`)",
        ),
        (
            vec![
                "advance",
                "EDT-2026-0003",
                "--date",
                "2026-09-10",
                "--approved-by",
                "s.ahmadi",
            ],
            1,
            "`s.ahmadi` cannot approve their own case",
        ),
        (
            vec![
                "advance",
                "EDT-2026-0001",
                "--date",
                "2026-10-05",
                "--by",
                "x.nobody",
            ],
            1,
            "`x.nobody` is not in the roster of cm.toml",
        ),
        // Dates.
        (
            vec!["advance", "EDT-2026-0001", "--date", "2026-03-19"],
            1,
            "history[4].date (2026-03-19) is before the entry above it (2026-03-20)",
        ),
        (
            vec!["advance", "EDT-2026-0001", "--date", "2099-01-01"],
            1,
            "history[4].date (2099-01-01) is after today",
        ),
        (
            vec!["advance", "EDT-2026-0001", "--date", "2026-02-30"],
            2,
            "`2026-02-30` is not a day: February 2026 has 28 days",
        ),
        (
            vec!["review", "EDT-2026-0002", "--date", "2026-03-01"],
            1,
            "reviews[1].date (2026-03-01) is before the entry above it (2026-04-01)",
        ),
        // Moves that are never allowed.
        (
            vec!["advance", "EDT-2026-0001", "--to", "assessment"],
            2,
            "EDT-2026-0001 cannot go back from `implementation` to `assessment`",
        ),
        (
            vec!["advance", "EDT-2026-0001", "--to", "implementation"],
            2,
            "EDT-2026-0001 is already in `implementation`",
        ),
        (
            vec![
                "advance",
                "EDT-2026-0002",
                "--to",
                "closed",
                "--approved-by",
                "m.karimi",
            ],
            2,
            "closing a case needs --reason (one of goals-achieved, ",
        ),
        (
            vec!["review", "EDT-2026-0003", "--date", "2026-10-01"],
            2,
            "EDT-2026-0003 is in `assessment`; reviews are held once the case has a plan",
        ),
        // What the case does not have.
        (
            vec!["advance", "EDT-2026-9999"],
            2,
            "no case with id `EDT-2026-9999` in this workspace",
        ),
        (
            vec!["advance", "../cm"],
            2,
            "no case with id `../cm` in this workspace",
        ),
        (
            vec![
                "review",
                "EDT-2026-0002",
                "--date",
                "2026-10-01",
                "--score",
                "helth=4",
            ],
            1,
            "`helth` is not one of the agency's assessment domains\n    help: did you mean `health`?",
        ),
        (
            vec![
                "review",
                "EDT-2026-0002",
                "--date",
                "2026-10-01",
                "--score",
                "health=9",
            ],
            1,
            "reviews[1].domains.health must be between 1 and 5, found 9",
        ),
        (
            vec![
                "review",
                "EDT-2026-0002",
                "--date",
                "2026-10-01",
                "--goal",
                "G7=1",
            ],
            1,
            "there is no goal `G7` in the plan",
        ),
        (
            new("x.nobody"),
            1,
            "`x.nobody` is not in the roster of cm.toml",
        ),
        (
            new(""),
            2,
            "the following required arguments were not provided:\n  --caseworker <ID>",
        ),
    ];
    for (args, code, message) in cases {
        refused(workspace().path(), &args, code, message);
    }
}

#[test]
fn a_closed_case_is_not_reopened() {
    let ws = workspace_with_a_closed_case();
    let before = snapshot(ws.path());
    for args in [
        &["advance", "EDT-2026-0002"][..],
        &["review", "EDT-2026-0002", "--date", "2026-10-21"][..],
        &[
            "refer",
            "EDT-2026-0002",
            "--type",
            "home-care",
            "--provider",
            "Behzisti",
        ][..],
        &["service", "EDT-2026-0002", "S1", "--status", "accepted"][..],
        &["contact", "EDT-2026-0002", "--type", "phone"][..],
    ] {
        let out = run(ws.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("EDT-2026-0002 is closed"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(snapshot(ws.path()), before);
}

#[test]
fn a_case_file_that_does_not_parse_is_named_at_its_line() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0001.yaml");
    let broken = std::fs::read_to_string(&path)
        .unwrap()
        .replace("phase: implementation", "phase: [implementation");
    std::fs::write(&path, &broken).unwrap();
    let out = run(ws.path(), &["advance", "EDT-2026-0001"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("cm: error: cases/2026/EDT-2026-0001.yaml:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

/// A value with an anchor may stand for others (`*p`): it is not replaced, and the refusal says
/// what to change — never that the edit came out wrong.
#[test]
fn an_anchored_value_is_refused_with_what_to_change() {
    let ws = super::sample_copy();
    let file = ws.path().join("cases/2026/THR-2026-0010.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let anchored =
        text.replacen("phase: planning", "phase: &p planning", 1) + "extra:\n  last_phase: *p\n";
    std::fs::write(&file, &anchored).unwrap();
    let check = run(ws.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let out = run(ws.path(), &["advance", "THR-2026-0010", "--date", AS_OF]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "cm: error: cannot change cases/2026/THR-2026-0010.yaml: phase carries an anchor \
         (`&name`) that other values may stand for; write it on the line of its key \
         (`phase: planning`) and run the command again; nothing was changed\n"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), anchored);
}

/// With `--format json`, a refusal is the array of its reasons, each the object `cm validate
/// --format json` gives (path, line, column, severity, code, message, help), on standard output;
/// the exit status is 1 and nothing is written.
#[test]
fn a_refusal_in_json_is_the_diagnostics_of_validate() {
    let ws = workspace();
    let before = snapshot(ws.path());
    let args = [
        "advance",
        "EDT-2026-0003",
        "--to",
        "implementation",
        "--date",
        "2026-09-10",
        "--format",
        "json",
    ];
    let out = run(ws.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let reasons: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let reasons = reasons.as_array().unwrap();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!(reasons[0]["path"], "cases/2026/EDT-2026-0003.yaml");
    assert_eq!(reasons[0]["line"], 6);
    assert_eq!(reasons[0]["column"], 8);
    assert_eq!(reasons[0]["severity"], "error");
    assert_eq!(reasons[0]["code"], "schema");
    assert_eq!(reasons[1]["code"], "approval");
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    // The same objects as `cm validate --format json`.
    let file = ws.path().join("cases/2026/EDT-2026-0003.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("phase: assessment\n", "phase: implementation\n"),
    )
    .unwrap();
    let validated = run(ws.path(), &["validate", "--format", "json"]);
    std::fs::write(&file, text).unwrap();
    let validated: serde_json::Value = serde_json::from_str(&stdout(&validated)).unwrap();
    assert!(!validated.as_array().unwrap().is_empty());
    assert_eq!(keys(&validated[0]), keys(&reasons[0]));
    assert!(stderr(&out).contains("cannot enter implementation; nothing was changed"));
    assert_eq!(snapshot(ws.path()), before, "a refusal changed a file");
}
