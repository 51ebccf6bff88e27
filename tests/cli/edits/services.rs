//! `cm refer`, `cm service` and `cm migrate`: a service added in the style of the ones before
//! it, an update appended to a service written as a block or as `{…}`, in files of LF and of
//! CRLF lines; every move of a status the workflow does not allow, refused with the moves it
//! does; and the migration of files written before services had updates
//! (tests/fixtures/migrate/). The exact changes are in tests/fixtures/edits/expected/.

use std::path::{Path, PathBuf};

use super::{
    AS_OF, assert_valid, copy_dir, edit, fixtures, matches_expected, refused, run, snapshot,
    stderr, stdout, workspace,
};

/// The unified diff of `before` to `after`, as the snapshots hold it.
fn diff(before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .header("before", "after")
        .to_string()
}

#[test]
fn refer_adds_a_service_written_as_a_block_after_the_last_one() {
    let (_, out) = edit(
        "refer",
        "EDT-2026-0004",
        &[
            "refer",
            "EDT-2026-0004",
            "--type",
            "microcredit",
            "--provider",
            "Emdad micro-loan",
            "--goal",
            "G1",
            "--date",
            "2026-10-05",
            "--cost",
            "۳۰۰۰۰۰۰۰",
            "--note",
            "For the oven: the first instalment after three months",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0004: service S3 referred to Emdad micro-loan (microcredit)\n"
    );
}

#[test]
fn refer_adds_a_service_written_as_a_flow_item_after_flow_items() {
    let (_, out) = edit(
        "refer-flow",
        "EDT-2026-0005",
        &[
            "refer",
            "EDT-2026-0005",
            "--type",
            "day-centre",
            "--provider",
            "Jahandidegan day centre, District 18",
            "--date",
            "2026-10-10",
            "--by",
            "m.karimi",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0005: service S3 referred to Jahandidegan day centre, District 18 (day-centre)\n"
    );
}

/// A first update makes the service's `updates`, after its status; the reason of a decline is
/// in the update, and a final status gives the service its `ended`.
#[test]
fn a_decline_gives_the_service_its_updates_its_reason_and_its_end() {
    let (_, out) = edit(
        "service-declined",
        "EDT-2026-0004",
        &[
            "service",
            "EDT-2026-0004",
            "S1",
            "--status",
            "declined",
            "--reason",
            "no-capacity",
            "--date",
            "2026-10-01",
        ],
    );
    assert_eq!(
        out,
        "EDT-2026-0004: service S1 referred → declined (no-capacity)\n"
    );
}

/// An update appended after the ones before it, in their style; `ended` and `cost` go where
/// the contract puts them, before the updates.
#[test]
fn a_completion_appends_to_the_updates_and_writes_the_end_and_the_cost() {
    let (_, out) = edit(
        "service",
        "EDT-2026-0004",
        &[
            "service",
            "EDT-2026-0004",
            "S2",
            "--status",
            "completed",
            "--date",
            "2026-10-20",
            "--cost",
            "22000000",
            "--note",
            "Certificate received",
        ],
    );
    assert_eq!(out, "EDT-2026-0004: service S2 accepted → completed\n");
}

/// A service written `{…}` stays one line: its updates are a flow list inside it, after its
/// status; the comment after it stays.
#[test]
fn a_service_written_as_a_flow_item_gains_its_updates_inside_it() {
    let (_, out) = edit(
        "service-flow",
        "EDT-2026-0005",
        &[
            "service",
            "EDT-2026-0005",
            "S1",
            "--status",
            "accepted",
            "--date",
            "2026-10-12",
        ],
    );
    assert_eq!(out, "EDT-2026-0005: service S1 referred → accepted\n");
    edit(
        "service-flow-completed",
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
    );
}

/// A case with no services: `cm refer` makes the list, in the order of the contract and in the
/// file's CRLF line endings; `cm service` then gives the new service its updates.
#[test]
fn refer_and_service_keep_the_line_endings_of_a_crlf_file() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0002.yaml");
    let before = std::fs::read_to_string(&path).unwrap();
    let refer = [
        "refer",
        "EDT-2026-0002",
        "--type",
        "home-care",
        "--provider",
        "Behzisti home-care unit",
        "--goal",
        "G1",
        "--date",
        "2026-09-01",
    ];
    let out = run(ws.path(), &refer);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let referred = std::fs::read_to_string(&path).unwrap();
    matches_expected("refer-crlf.diff", &diff(&before, &referred));
    let service = [
        "service",
        "EDT-2026-0002",
        "S1",
        "--status",
        "accepted",
        "--date",
        "2026-09-10",
        "--note",
        "A nurse twice a week",
    ];
    let out = run(ws.path(), &service);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let updated = std::fs::read_to_string(&path).unwrap();
    matches_expected("service-crlf.diff", &diff(&referred, &updated));
    assert!(!updated.replace("\r\n", "").contains('\n'), "{updated:?}");
    assert_valid(ws.path());
}

/// A case holding a service in each status, each with the updates that brought it there.
const EVERY_STATUS: &str = "\
id: EDT-2026-0006
program: general
opened: 2026-06-01
caseworker: s.ahmadi
risk: medium
phase: implementation
client: {name: Reza Karimi, sex: male}
consent: {given: true, date: 2026-06-01}
assessment: {date: 2026-06-05, domains: {family: 2}}
plan:
  date: 2026-06-10
  goals: [{id: G1, domain: family, text: Family mediation, status: active}]
services:
  - {id: S1, type: counselling, provider: Behzisti, referred: 2026-06-12, status: referred}
  - id: S2
    type: counselling
    provider: Behzisti
    referred: 2026-06-12
    status: accepted
    updates:
      - {date: 2026-06-15, status: accepted, by: s.ahmadi}
  - id: S3
    type: counselling
    provider: Behzisti
    referred: 2026-06-12
    status: in-progress
    updates:
      - {date: 2026-06-15, status: accepted, by: s.ahmadi}
      - {date: 2026-06-20, status: in-progress, by: s.ahmadi}
  - id: S4
    type: counselling
    provider: Behzisti
    referred: 2026-06-12
    status: completed
    ended: 2026-07-20
    updates:
      - {date: 2026-06-15, status: accepted, by: s.ahmadi}
      - {date: 2026-07-20, status: completed, by: s.ahmadi}
  - id: S5
    type: counselling
    provider: Behzisti
    referred: 2026-06-12
    status: declined
    ended: 2026-06-15
    updates:
      - {date: 2026-06-15, status: declined, by: s.ahmadi, reason: not-eligible}
  - id: S6
    type: counselling
    provider: Behzisti
    referred: 2026-06-12
    status: cancelled
    ended: 2026-06-15
    updates:
      - {date: 2026-06-15, status: cancelled, by: s.ahmadi}
history:
  - {date: 2026-06-01, phase: intake, by: s.ahmadi, risk: medium}
  - {date: 2026-06-05, phase: assessment, by: s.ahmadi}
  - {date: 2026-06-10, phase: planning, by: s.ahmadi, approved_by: m.karimi}
  - {date: 2026-06-11, phase: implementation, by: s.ahmadi}
";

/// The edits workspace with [`EVERY_STATUS`] in it.
fn with_every_status() -> tempfile::TempDir {
    let ws = workspace();
    std::fs::write(
        ws.path().join("cases/2026/EDT-2026-0006.yaml"),
        EVERY_STATUS,
    )
    .unwrap();
    assert_valid(ws.path());
    ws
}

/// Every pair of statuses: a move the workflow allows is made (shown with --dry-run, and
/// written for one of each), every other is refused as a request that makes no sense (exit
/// status 2) naming the moves there are, and changes nothing.
#[test]
fn every_move_the_workflow_does_not_allow_is_refused_with_the_moves_it_does() {
    let ws = with_every_status();
    let from = [
        ("S1", "referred"),
        ("S2", "accepted"),
        ("S3", "in-progress"),
        ("S4", "completed"),
        ("S5", "declined"),
        ("S6", "cancelled"),
    ];
    let allowed: &[(&str, &str)] = &[
        ("referred", "accepted"),
        ("referred", "declined"),
        ("referred", "cancelled"),
        ("accepted", "in-progress"),
        ("accepted", "completed"),
        ("accepted", "declined"),
        ("accepted", "cancelled"),
        ("in-progress", "completed"),
        ("in-progress", "cancelled"),
    ];
    let moves = |from: &str| match from {
        "referred" => "from referred a service may go to accepted, declined or cancelled".into(),
        "accepted" => {
            "from accepted a service may go to in-progress, completed, declined or cancelled".into()
        }
        "in-progress" => "from in-progress a service may go to completed or cancelled".into(),
        ended => format!("{ended} is final: the service has ended"),
    };
    let before = snapshot(ws.path());
    let (mut made, mut refused) = (0, 0);
    for (service, status) in from {
        for to in [
            "accepted",
            "in-progress",
            "completed",
            "declined",
            "cancelled",
        ] {
            let mut args = vec![
                "service",
                "EDT-2026-0006",
                service,
                "--status",
                to,
                "--date",
                "2026-10-01",
                "--dry-run",
            ];
            if to == "declined" {
                args.extend(["--reason", "other"]);
            }
            let out = run(ws.path(), &args);
            if allowed.contains(&(status, to)) {
                assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
                let text = stdout(&out);
                assert!(
                    text.lines()
                        .any(|l| l.starts_with('+') && l.contains(&format!("status: {to}"))),
                    "{args:?}: {text}"
                );
                made += 1;
            } else {
                assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
                assert_eq!(
                    stderr(&out),
                    format!(
                        "cm: error: cannot move {service} from {status} to {to}; {}\n",
                        moves(status)
                    ),
                    "{args:?}"
                );
                assert!(stdout(&out).is_empty());
                refused += 1;
            }
        }
    }
    assert_eq!((made, refused), (9, 21));
    assert_eq!(snapshot(ws.path()), before, "a refused move changed a file");
    // The moves allowed are made for real too, one after the other, and leave a valid case.
    for (service, to) in [
        ("S1", "accepted"),
        ("S1", "in-progress"),
        ("S1", "completed"),
    ] {
        let out = run(
            ws.path(),
            &[
                "service",
                "EDT-2026-0006",
                service,
                "--status",
                to,
                "--date",
                "2026-10-01",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{to}: {}", stderr(&out));
    }
    let text = std::fs::read_to_string(ws.path().join("cases/2026/EDT-2026-0006.yaml")).unwrap();
    assert!(text.contains(
        "  - {id: S1, type: counselling, provider: Behzisti, referred: 2026-06-12, status: completed, ended: 2026-10-01, updates: [{date: 2026-10-01, status: accepted, by: s.ahmadi}, {date: 2026-10-01, status: in-progress, by: s.ahmadi}, {date: 2026-10-01, status: completed, by: s.ahmadi}]}\n"
    ), "{text}");
    assert_valid(ws.path());
}

/// The requests `cm refer` and `cm service` refuse before anything is read as a change: exit
/// status 2 with the reason, or 1 when the case would not be valid afterwards; nothing changes.
#[test]
fn every_refusal_of_refer_and_service_says_why_and_changes_nothing() {
    let ws = with_every_status();
    let service = |rest: &[&'static str]| {
        let mut args = vec!["service", "EDT-2026-0004"];
        args.extend(rest);
        args
    };
    let refer = |rest: &[&'static str]| {
        let mut args = vec![
            "refer",
            "EDT-2026-0004",
            "--type",
            "legal-aid",
            "--provider",
            "Bar association",
        ];
        args.extend(rest);
        args
    };
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        // The reason of a decline.
        (
            service(&["S1", "--status", "declined"]),
            2,
            "cm: error: declining a service needs --reason (one of client-refused, no-capacity, \
             not-eligible, not-needed, client-unreachable, provider-unreachable, other)\n",
        ),
        (
            service(&["S1", "--status", "accepted", "--reason", "other"]),
            2,
            "cm: error: --reason is given only when a service is declined (--status declined)\n",
        ),
        (
            service(&["S1", "--status", "declined", "--reason", "busy"]),
            2,
            "invalid value 'busy' for '--reason <REASON>'",
        ),
        // `referred` is where a service starts, never where it goes.
        (
            service(&["S1", "--status", "referred"]),
            2,
            "invalid value 'referred' for '--status <STATUS>'\n  [possible values: accepted, \
             in-progress, completed, declined, cancelled]",
        ),
        // Services and cases that are not there.
        (
            service(&["S9", "--status", "accepted"]),
            2,
            "cm: error: EDT-2026-0004 has no service `S9`\n  help: its services are S1, S2\n",
        ),
        (
            service(&["s2", "--status", "completed"]),
            2,
            "cm: error: EDT-2026-0004 has no service `s2`\n  help: did you mean `S2`?\n",
        ),
        (
            service(&["2", "--status", "completed"]),
            2,
            "cm: error: EDT-2026-0004 has no service `2`\n  help: did you mean `S2`?\n",
        ),
        (
            vec!["service", "EDT-2026-0003", "S1", "--status", "accepted"],
            2,
            "cm: error: EDT-2026-0003 has no service `S1`\n  help: it has no services yet; \
             `cm refer` adds one\n",
        ),
        (
            vec!["service", "EDT-2026-9999", "S1", "--status", "accepted"],
            2,
            "cm: error: no case with id `EDT-2026-9999` in this workspace\n",
        ),
        (
            vec![
                "refer",
                "edt-2026-0004",
                "--type",
                "legal-aid",
                "--provider",
                "Bar association",
            ],
            2,
            "cm: error: no case with id `edt-2026-0004` in this workspace\n  help: did you mean \
             `EDT-2026-0004`?\n",
        ),
        (
            refer(&[]).into_iter().take(4).collect(),
            2,
            "the following required arguments were not provided:\n  --provider <PROVIDER>",
        ),
        // The gate: what the case would not be.
        (
            refer(&["--goal", "G9", "--date", "2026-10-01"]),
            1,
            "error[unknown-goal]: there is no goal `G9` in the plan",
        ),
        (
            refer(&["--by", "s.ahmady", "--date", "2026-10-01"]),
            1,
            "error[unknown-caseworker]: `s.ahmady` is not in the roster of cm.toml\n    help: did \
             you mean `s.ahmadi`?",
        ),
        (
            refer(&["--date", "2026-03-01"]),
            1,
            "error[date-order]: services[2].referred (2026-03-01) is before the case was opened \
             (2026-04-01)",
        ),
        (
            refer(&["--date", "2026-11-02"]),
            1,
            "error[date-future]: services[2].referred (2026-11-02) is after today (2026-11-01)",
        ),
        (
            service(&["S1", "--status", "accepted", "--by", "x.nobody"]),
            1,
            "error[unknown-caseworker]: `x.nobody` is not in the roster of cm.toml",
        ),
        (
            service(&["S1", "--status", "cancelled", "--date", "2026-09-01"]),
            1,
            "error[date-order]: services[0] ended (2026-09-01) before it was referred \
             (2026-09-15)",
        ),
        (
            service(&["S1", "--status", "accepted", "--cost=-5"]),
            2,
            "invalid value '-5' for '--cost <N>': `-5` is not a whole number",
        ),
    ];
    for (args, code, message) in cases {
        refused(ws.path(), &args, code, message);
    }
}

/// A service past `referred` without the update that says when is the format before updates:
/// `cm service` sends the user to `cm migrate` rather than guess how it got there.
#[test]
fn a_service_without_its_updates_is_sent_to_migrate() {
    let ws = workspace();
    let path = ws.path().join("cases/2026/EDT-2026-0004.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "    updates:\n      - {date: 2026-05-20, status: accepted, by: s.ahmadi}\n",
        "",
    );
    std::fs::write(&path, &text).unwrap();
    let before = snapshot(ws.path());
    let out = run(
        ws.path(),
        &["service", "EDT-2026-0004", "S2", "--status", "completed"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "cm: error: S2 is accepted but has no update that records it; run `cm migrate` to record \
         its updates, then this command again\n"
    );
    assert_eq!(snapshot(ws.path()), before);
    let migrated = run(ws.path(), &["migrate"]);
    assert_eq!(migrated.status.code(), Some(0), "{}", stderr(&migrated));
    let out = run(
        ws.path(),
        &[
            "service",
            "EDT-2026-0004",
            "S2",
            "--status",
            "completed",
            "--date",
            "2026-10-01",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_valid(ws.path());
}

/// With `--format json`, a service's update is the object every change gives.
#[test]
fn a_service_update_in_json_is_the_object_of_every_change() {
    let ws = workspace();
    let out = run(
        ws.path(),
        &[
            "service",
            "EDT-2026-0005",
            "S2",
            "--status",
            "in-progress",
            "--date",
            "2026-10-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let change: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(change["path"], "cases/2026/EDT-2026-0005.yaml");
    assert_eq!(
        change["summary"],
        "EDT-2026-0005: service S2 accepted → in-progress"
    );
    assert_eq!(change["written"], true);
}

/// A copy of tests/fixtures/migrate/: case files written before services had updates.
fn migrate_workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("migrate"), tmp.path());
    tmp
}

fn migrate_file(n: u32) -> PathBuf {
    PathBuf::from(format!("cases/2025/MIG-2025-{n:04}.yaml"))
}

/// Each service past `referred` without updates gets the one its status needs, dated with the
/// best date the file holds, in the file's style (a block, or inside a `{…}` service, CRLF),
/// and a first history entry without the risk at intake gets it;
/// a file that needs nothing is not touched; the result is valid; a second run has nothing
/// to do.
#[test]
fn migrate_gives_each_service_the_update_its_status_needs() {
    let ws = migrate_workspace();
    let mut before = snapshot(ws.path());
    let out = run(ws.path(), &["migrate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "MIG-2025-0001: S1, S2, S3 given the updates their status needs (dated 2025-09-30, \
         2025-04-20, 2025-05-10); the risk at intake recorded (medium)\n\
         MIG-2025-0002: S1, S2 given the updates their status needs (dated 2025-06-22, \
         2025-08-01); the risk at intake recorded (low)\n\
         checked 3 cases: 2 migrated, 1 needed nothing, 0 refused\n"
    );
    assert_eq!(stderr(&out), "");
    let mut after = snapshot(ws.path());
    for (n, name) in [(1, "migrate.diff"), (2, "migrate-flow-crlf.diff")] {
        let file = migrate_file(n);
        let old = String::from_utf8(before.remove(&file).unwrap()).unwrap();
        let new = String::from_utf8(after.remove(&file).unwrap()).unwrap();
        matches_expected(name, &diff(&old, &new));
    }
    assert_eq!(after, before, "migrate changed a file that needed nothing");
    assert_valid(ws.path());
    let again = run(ws.path(), &["migrate"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        stdout(&again),
        "checked 3 cases: 0 migrated, 3 needed nothing, 0 refused\n"
    );
}

/// `--dry-run` prints the diffs (and only them on standard output, for `patch`), the count on
/// standard error, and writes nothing; it takes no lock.
#[test]
fn migrate_dry_run_prints_the_diffs_and_writes_nothing() {
    let ws = migrate_workspace();
    let before = snapshot(ws.path());
    let out = run(ws.path(), &["migrate", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "--- a/cases/2025/MIG-2025-0001.yaml\n+++ b/cases/2025/MIG-2025-0001.yaml\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n--- a/cases/2025/MIG-2025-0002.yaml\n"),
        "{text}"
    );
    assert!(!text.contains("MIG-2025-0003"), "{text}");
    assert_eq!(
        stderr(&out),
        "checked 3 cases: 2 to migrate, 1 need nothing, 0 refused; nothing was written\n"
    );
    assert_eq!(snapshot(ws.path()), before);
    assert!(!ws.path().join(".cm").exists(), "a dry run took the lock");
}

/// A case the gate refuses — it has an error already — is told with its reasons and left as it
/// is; the others are migrated all the same, and the exit status is 1. So is a case file that
/// cannot be read.
#[test]
fn a_case_migrate_cannot_fix_is_told_and_the_others_go_on() {
    let ws = migrate_workspace();
    let path = ws.path().join(migrate_file(2));
    let text = std::fs::read_to_string(&path).unwrap();
    let broken = text.replace("goal: G1, type: home-care", "goal: G7, type: home-care");
    std::fs::write(&path, &broken).unwrap();
    let unreadable = ws.path().join("cases/2025/MIG-2025-0004.yaml");
    std::fs::write(&unreadable, "id: [MIG-2025-0004\n").unwrap();
    let out = run(ws.path(), &["migrate"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "MIG-2025-0001: S1, S2, S3 given the updates their status needs (dated 2025-09-30, \
         2025-04-20, 2025-05-10); the risk at intake recorded (medium)\n\
         checked 4 cases: 1 migrated, 1 needed nothing, 2 refused\n"
    );
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "cm: error: cannot migrate MIG-2025-0002; nothing was changed:\n  \
             cases/2025/MIG-2025-0002.yaml:14:20: error[unknown-goal]: there is no goal `G7` in \
             the plan (the file has this error already)\n    help: the plan's goals are G1\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("cm: error: cases/2025/MIG-2025-0004.yaml:"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

/// Files of lone carriage returns are migrated like the others, and keep them.
#[test]
fn migrate_keeps_lines_ending_in_a_lone_carriage_return() {
    let ws = migrate_workspace();
    let path = ws.path().join(migrate_file(1));
    let lf = |ws: &Path| {
        let out = run(ws, &["migrate"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        std::fs::read_to_string(ws.join(migrate_file(1))).unwrap()
    };
    let cr_ws = migrate_workspace();
    let cr_path = cr_ws.path().join(migrate_file(1));
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&cr_path, text.replace('\n', "\r")).unwrap();
    let (as_is, with_cr) = (lf(ws.path()), lf(cr_ws.path()));
    assert_eq!(with_cr, as_is.replace('\n', "\r"));
    let out = run(cr_ws.path(), &["validate", "--as-of", AS_OF]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
