//! `cm goal`: a goal added after the goals before it, the first goal making the plan, a change
//! of status appended as an update in files of blocks, of `{…}` items and of CRLF lines; every
//! refusal; the migration of goals written before goals had updates. The exact changes are in
//! tests/fixtures/edits/expected/.

use super::{
    AS_OF, assert_valid, edit, matches_expected, refused, run, snapshot, stderr, stdout, workspace,
};

/// The unified diff of `before` to `after`, as the snapshots hold it.
fn diff(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .header("before", "after")
        .to_string()
}

/// A goal added to a plan made on another day takes the next id, is `active`, and records the
/// day it was added.
#[test]
fn a_goal_is_added_after_the_last_one_with_the_day_it_was_added() {
    let (_, out) = edit(
        "goal-add",
        "EDT-2026-0004",
        &[
            "goal",
            "EDT-2026-0004",
            "add",
            "--domain",
            "housing",
            "--text",
            "The rent is paid on time, every month",
            "--target",
            "2027-03-01",
            "--weight",
            "۲",
            "--date",
            "2026-10-01",
        ],
    );
    assert_eq!(out, "EDT-2026-0004: goal G3 added (housing)\n");
}

/// The first goal of a case in `assessment` makes the plan, dated that day, in the order of the
/// contract, in a file without a final line ending; it has no `added`.
#[test]
fn the_first_goal_makes_the_plan() {
    let (_, out) = edit(
        "goal-first",
        "EDT-2026-0003",
        &[
            "goal",
            "EDT-2026-0003",
            "add",
            "--domain",
            "safety",
            "--text",
            "Ali lives safely with his aunt",
            "--date",
            "2026-09-08",
        ],
    );
    assert_eq!(out, "EDT-2026-0003: goal G1 added (safety)\n");
}

/// A change of status sets the goal's status and appends the update, with its reason and note.
#[test]
fn a_change_of_status_is_an_update_with_its_reason_and_note() {
    let (_, out) = edit(
        "goal-status",
        "EDT-2026-0001",
        &[
            "goal",
            "EDT-2026-0001",
            "G1",
            "--status",
            "achieved",
            "--reason",
            "Hired by a tailoring workshop",
            "--note",
            "قرارداد یک‌ساله با کارگاه خیاطی",
            "--date",
            "2026-10-01",
        ],
    );
    assert_eq!(out, "EDT-2026-0001: goal G1 active → achieved\n");
}

/// A goal written `{…}` stays one line: its updates are a flow list inside it; a second change
/// is appended to them.
#[test]
fn a_goal_written_as_a_flow_item_gains_its_updates_inside_it() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0005.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    for (status, date) in [("not-achieved", "2026-09-01"), ("active", "2026-10-01")] {
        let out = run(
            ws.path(),
            &[
                "goal",
                "EDT-2026-0005",
                "G1",
                "--status",
                status,
                "--date",
                date,
                "--by",
                "m.karimi",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let after = std::fs::read_to_string(&path).unwrap();
    matches_expected("goal-flow.diff", &diff(&before, &after));
    assert_valid(ws.path());
}

/// In a CRLF file, every line written ends in CRLF.
#[test]
fn a_goal_update_keeps_the_line_endings_of_a_crlf_file() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0002.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let out = run(
        ws.path(),
        &[
            "goal",
            "EDT-2026-0002",
            "G1",
            "--status",
            "partly-achieved",
            "--date",
            "2026-10-15",
            "--note",
            "Visits once a week only",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = std::fs::read_to_string(&path).unwrap();
    matches_expected("goal-crlf.diff", &diff(&before, &after));
    assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
    assert_valid(ws.path());
}

/// Every refusal of `cm goal`: exit status 2 with the reason, or 1 when the case would not be
/// valid afterwards; nothing changes.
#[test]
fn every_refusal_of_goal_says_why_and_changes_nothing() {
    let ws = workspace();
    // EDT-2026-0002 is closed from here on; EDT-2026-0005's G1 is achieved without an update.
    let closed = ws.path().join("cases/2026/EDT-2026-0002.yaml");
    let text = std::fs::read_to_string(&closed).unwrap();
    std::fs::write(
        &closed,
        text.replace("phase: monitoring\r\n", "phase: closed\r\n")
            .replace(
                "reviews:\r\n",
                "closure: {date: 2026-05-01, reason: moved}\r\nreviews:\r\n",
            )
            .replace(
                "    {date: 2026-04-01, phase: monitoring, by: s.ahmadi}\r\n",
                "    {date: 2026-04-01, phase: monitoring, by: s.ahmadi},\r\n    {date: 2026-05-01, phase: closed, by: s.ahmadi, approved_by: m.karimi}\r\n",
            ),
    )
    .unwrap();
    let unrecorded = ws.path().join("cases/2026/EDT-2026-0005.yaml");
    let text = std::fs::read_to_string(&unrecorded).unwrap();
    std::fs::write(
        &unrecorded,
        text.replace(
            "twice a week, status: active}",
            "twice a week, status: achieved}",
        ),
    )
    .unwrap();
    // An intake case.
    std::fs::write(
        ws.path().join("cases/2026/EDT-2026-0006.yaml"),
        "id: EDT-2026-0006\nprogram: general\nopened: 2026-10-01\ncaseworker: s.ahmadi\n\
         risk: low\nphase: intake\nclient: {name: Reza Karimi, sex: male}\n\
         consent: {given: true, date: 2026-10-01}\n\
         history:\n  - {date: 2026-10-01, phase: intake, by: s.ahmadi}\n",
    )
    .unwrap();
    let goal = |rest: &[&'static str]| {
        let mut args = vec!["goal", "EDT-2026-0004"];
        args.extend(rest);
        args
    };
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        // Goals and cases that are not there.
        (
            goal(&["G9", "--status", "achieved"]),
            2,
            "cm: error: EDT-2026-0004 has no goal `G9`\n  help: its goals are G1, G2\n",
        ),
        (
            goal(&["g2", "--status", "achieved"]),
            2,
            "cm: error: EDT-2026-0004 has no goal `g2`\n  help: did you mean `G2`?\n",
        ),
        (
            goal(&["2", "--status", "achieved"]),
            2,
            "cm: error: EDT-2026-0004 has no goal `2`\n  help: did you mean `G2`?\n",
        ),
        (
            vec!["goal", "EDT-2026-0003", "G1", "--status", "achieved"],
            2,
            "cm: error: EDT-2026-0003 has no goal `G1`\n  help: it has no goals yet; `cm goal \
             EDT-2026-0003 add` adds one\n",
        ),
        (
            vec!["goal", "EDT-2026-9999", "G1", "--status", "achieved"],
            2,
            "cm: error: no case with id `EDT-2026-9999` in this workspace\n",
        ),
        // The status it has already, and dates out of order.
        (
            goal(&["G1", "--status", "active"]),
            2,
            "cm: error: G1 is active already\n",
        ),
        (
            goal(&["G1", "--status", "achieved", "--date", "2026-04-19"]),
            2,
            "cm: error: --date (2026-04-19) is before G1 was set, with the plan (2026-04-20); a \
             goal's updates are kept in date order\n",
        ),
        // A goal not active without the update that says when.
        (
            vec!["goal", "EDT-2026-0005", "G1", "--status", "dropped"],
            2,
            "cm: error: G1 is achieved but has no update that records it; run `cm migrate` to \
             record it, then this command again\n",
        ),
        // Closed, and in intake.
        (
            vec!["goal", "EDT-2026-0002", "G1", "--status", "achieved"],
            2,
            "cm: error: EDT-2026-0002 is closed; the plan of a closed case is not changed\n",
        ),
        (
            vec![
                "goal",
                "EDT-2026-0002",
                "add",
                "--domain",
                "health",
                "--text",
                "x",
            ],
            2,
            "cm: error: EDT-2026-0002 is closed; the plan of a closed case is not changed\n",
        ),
        (
            vec![
                "goal",
                "EDT-2026-0006",
                "add",
                "--domain",
                "family",
                "--text",
                "x",
            ],
            2,
            "cm: error: EDT-2026-0006 is in `intake`; a plan follows the assessment: add goals \
             once the case is in `assessment` (cm advance)\n",
        ),
        // The options of one form given with the other, and those each form needs.
        (
            goal(&[
                "add", "--domain", "income", "--text", "x", "--status", "achieved",
            ]),
            2,
            "cm: error: --status is given only with a goal's id, to change its status (cm goal \
             ID G1 --status STATUS)\n",
        ),
        (
            goal(&["G1", "--status", "achieved", "--weight", "2"]),
            2,
            "cm: error: --weight is given only with `add`, to add a goal (cm goal ID add \
             --domain DOMAIN --text TEXT)\n",
        ),
        (
            goal(&["add", "--domain", "income"]),
            2,
            "cm: error: adding a goal needs --domain and --text\n",
        ),
        (
            goal(&["G1"]),
            2,
            "cm: error: a change of a goal needs --status (or `add` in place of the goal's id, \
             to add one)\n",
        ),
        (
            goal(&["G1", "--status", "done"]),
            2,
            "invalid value 'done' for '--status <STATUS>'",
        ),
        (
            goal(&["add", "--domain", "income", "--text", "x", "--weight", "0"]),
            2,
            "invalid value '0' for '--weight <W>': `0` is not a number above 0",
        ),
        (
            goal(&["add", "--domain", "incme", "--text", "x"]),
            2,
            "cm: error: --domain incme: not one of the agency's assessment domains\n  help: did \
             you mean `income`?\n",
        ),
        // The gate: what the case would not be.
        (
            goal(&[
                "add",
                "--domain",
                "health",
                "--text",
                "x",
                "--date",
                "2026-10-01",
            ]),
            1,
            "error[unknown-domain]: goal domain `health` was not assessed\n    help: the \
             assessment scored housing, income",
        ),
        (
            goal(&[
                "add",
                "--domain",
                "income",
                "--text",
                "x",
                "--date",
                "2026-04-10",
            ]),
            1,
            "error[date-order]: plan.goals[2].added (2026-04-10) is before the plan was made \
             (2026-04-20)",
        ),
        (
            goal(&["G1", "--status", "achieved", "--by", "x.nobody"]),
            1,
            "error[unknown-caseworker]: `x.nobody` is not in the roster of cm.toml",
        ),
        (
            goal(&["G1", "--status", "achieved", "--date", "2026-11-02"]),
            1,
            "error[date-future]: plan.goals[0].updates[0].date (2026-11-02) is after today \
             (2026-11-01)",
        ),
    ];
    for (args, code, message) in cases {
        refused(ws.path(), &args, code, message);
    }
    // A change before the last update of a goal.
    let out = run(
        ws.path(),
        &goal(&["G2", "--status", "dropped", "--date", "2026-10-01"]),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    refused(
        ws.path(),
        &goal(&["G2", "--status", "active", "--date", "2026-09-30"]),
        2,
        "cm: error: --date (2026-09-30) is before the last update of G2 (2026-10-01); a goal's \
         updates are kept in date order\n",
    );
}

/// `cm migrate` gives a goal that is not `active` and has no updates the update of its status,
/// dated with the last review that scored it, else its target date, else the plan's date.
#[test]
fn migrate_gives_each_goal_the_update_of_its_status() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0004.yaml");
    let before = std::fs::read_to_string(&path)
        .unwrap()
        .replace(
            "      text: \"A steady income from home baking\"\n      status: active\n",
            "      text: \"A steady income from home baking\"\n      target_date: 2026-09-30\n      status: achieved\n",
        )
        .replace(
            "      text: \"The family keeps its flat\"\n      status: active\n",
            "      text: \"The family keeps its flat\"\n      status: dropped\n",
        );
    std::fs::write(&path, &before).unwrap();
    // EDT-2026-0005's goal was scored at its review of 1 August.
    let flow = ws.path().join("cases/2026/EDT-2026-0005.yaml");
    let flow_before = std::fs::read_to_string(&flow).unwrap().replace(
        "twice a week, status: active}",
        "twice a week, status: partly-achieved}",
    );
    std::fs::write(&flow, &flow_before).unwrap();
    let others = snapshot(ws.path());
    let out = run(ws.path(), &["migrate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "EDT-2026-0004: G1, G2 given the updates their status needs (dated 2026-09-30, \
         2026-04-20)\n\
         EDT-2026-0005: G1 given the updates its status needs (dated 2026-08-01)\n\
         checked 5 cases: 2 migrated, 3 needed nothing, 0 refused\n"
    );
    let after = std::fs::read_to_string(&path).unwrap();
    matches_expected("migrate-goals.diff", &diff(&before, &after));
    let flow_after = std::fs::read_to_string(&flow).unwrap();
    assert!(
        flow_after.contains(
            "status: partly-achieved, updates: [{date: 2026-08-01, status: partly-achieved, by: \
             s.ahmadi}]}]"
        ),
        "{flow_after}"
    );
    let mut now = snapshot(ws.path());
    let mut was = others;
    for file in [
        "cases/2026/EDT-2026-0004.yaml",
        "cases/2026/EDT-2026-0005.yaml",
    ] {
        now.remove(std::path::Path::new(file));
        was.remove(std::path::Path::new(file));
    }
    assert_eq!(now, was, "migrate changed a file that needed nothing");
    let valid = run(ws.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(valid.status.code(), Some(0), "{}", stdout(&valid));
}
