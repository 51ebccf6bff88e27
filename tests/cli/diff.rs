//! `cm diff` on real git repositories made in temporary folders with the `git` command: a copy
//! of the sample workspace, committed, then changed the way coordinators change it (with `cm`
//! itself, with `git mv`, and by hand).

use std::path::Path;
use std::process::{Command, Output};

use super::{TODAY_VAR, copy_samples, sample_copy, stdout};

/// The day these tests run as: the changes they make are dated in November 2026.
const TODAY: &str = "2026-11-30";

/// Runs `program` in `dir` away from the user's and the machine's git configuration, with
/// `cm` on the path (for hooks).
pub(super) fn run(program: &str, dir: &Path, args: &[&str]) -> Output {
    let cm_dir = Path::new(env!("CARGO_BIN_EXE_cm")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(cm_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new(program)
        .current_dir(dir)
        .env("PATH", path)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .env("GIT_AUTHOR_DATE", "2026-11-30T12:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-11-30T12:00:00+00:00")
        .env("NO_COLOR", "1")
        .env(TODAY_VAR, TODAY)
        .output()
        .expect("runs")
}

pub(super) fn git(dir: &Path, args: &[&str]) -> String {
    let out = run("git", dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

pub(super) fn cm(dir: &Path, args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_cm"), dir, args)
}

/// `cm diff ARGS` in `dir`: standard output, after checking that it succeeded.
fn diff(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["diff"];
    all.extend(args);
    let out = cm(dir, &all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out)
}

/// A git repository holding a copy of the sample workspace, committed.
pub(super) fn repository() -> tempfile::TempDir {
    let tmp = sample_copy();
    git(tmp.path(), &["init", "--quiet"]);
    commit(tmp.path(), "the sample cases");
    tmp
}

pub(super) fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "--all"]);
    git(dir, &["commit", "--quiet", "--message", message]);
}

/// Replaces `from` (which must be there once) with `to` in the file at `path` under `dir`.
pub(super) fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let path = dir.join(path);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} in {}",
        path.display()
    );
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

pub(super) fn succeeds(out: Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Moves THR-2026-0008 (in implementation) on to monitoring on `date`, with `cm advance`.
fn to_monitoring(dir: &Path, date: &str) {
    succeeds(cm(
        dir,
        &[
            "advance",
            "THR-2026-0008",
            "--to",
            "monitoring",
            "--date",
            date,
        ],
    ));
}

/// The morning's work: every kind of change, each on its own case.
fn morning_work(dir: &Path) {
    // A review that moves scores and the risk.
    succeeds(cm(
        dir,
        &[
            "review",
            "THR-2026-0007",
            "--date",
            "2026-11-20",
            "--by",
            "a.karimi",
            "--score",
            "education=3",
            "--score",
            "family=3",
            "--goal",
            "G1=1",
            "--risk",
            "medium",
        ],
    ));
    // Phase moves, one of them a closure approved by a supervisor.
    to_monitoring(dir, "2026-11-21");
    succeeds(cm(
        dir,
        &[
            "advance",
            "THR-2026-0004",
            "--to",
            "closed",
            "--date",
            "2026-11-21",
            "--reason",
            "goals-achieved",
            "--approved-by",
            "m.karimi",
        ],
    ));
    // A reopening: the closure moves into the episodes, told as part of it.
    succeeds(cm(
        dir,
        &[
            "reopen",
            "THR-2025-0005",
            "--date",
            "2026-11-20",
            "--risk",
            "high",
            "--reason",
            "The family is back in Tehran",
        ],
    ));
    // A new case.
    succeeds(cm(
        dir,
        &[
            "new",
            "--program",
            "general",
            "--name",
            "علی محمدی",
            "--sex",
            "male",
            "--caseworker",
            "s.ahmadi",
            "--date",
            "2026-11-22",
        ],
    ));
    // A deletion, a renamed id, a move to another folder.
    git(dir, &["rm", "--quiet", "cases/2025/THR-2025-0001.yaml"]);
    git(
        dir,
        &[
            "mv",
            "cases/2025/THR-2025-0002.yaml",
            "cases/2025/THR-2025-0009.yaml",
        ],
    );
    edit(
        dir,
        "cases/2025/THR-2025-0009.yaml",
        "id: THR-2025-0002",
        "id: THR-2025-0009",
    );
    std::fs::create_dir_all(dir.join("cases/archive")).unwrap();
    git(
        dir,
        &[
            "mv",
            "cases/2025/THR-2025-0003.yaml",
            "cases/archive/THR-2025-0003.yaml",
        ],
    );
    // Goals and services by hand; the caseworker reassigned, and other fields.
    let case = "cases/2026/THR-2026-0002.yaml";
    edit(
        dir,
        case,
        "      weight: 3\n      status: active",
        "      weight: 3\n      status: achieved\n      updates:\n        - {date: 2026-11-15, \
         status: achieved, by: r.hosseini, note: \"Signed at the council\"}",
    );
    edit(
        dir,
        case,
        "by: r.hosseini}\nservices:",
        "by: r.hosseini}\n    - id: G5\n      domain: family\n      text: \"Family \
         mediation with the uncle\"\n      status: active\nservices:",
    );
    edit(
        dir,
        case,
        "    status: in-progress\n    cost: 16000000",
        "    status: completed\n    ended: 2026-11-15\n    cost: 16000000",
    );
    edit(
        dir,
        case,
        "      - {date: 2026-03-22, status: in-progress, by: r.hosseini}\n",
        "      - {date: 2026-03-22, status: in-progress, by: r.hosseini}\n      - {date: \
         2026-11-15, status: completed, by: r.hosseini}\n",
    );
    edit(
        dir,
        case,
        "      - {date: 2026-09-10, status: completed, by: r.hosseini}\n",
        "      - {date: 2026-09-10, status: completed, by: r.hosseini}\n  - id: S5\n    goal: G5\n    \
         type: mediation\n    provider: \"Dispute council, District 20\"\n    referred: \
         2026-11-18\n    status: referred\n",
    );
    let case = "cases/2026/THR-2026-0005.yaml";
    edit(dir, case, "caseworker: n.moradi", "caseworker: s.ahmadi");
    edit(dir, case, "\"021 8872 3019\"", "\"021 8872 4400\"");
    edit(dir, case, "model: comprehensive", "model: brokerage");
    // A comment only.
    edit(
        dir,
        "cases/2026/THR-2026-0006.yaml",
        "program:",
        "# checked with the family on the phone\nprogram:",
    );
}

/// What `cm diff` says of [`morning_work`].
const MORNING: &str = "\
THR-2025-0001: case file deleted (it was in assessment)
THR-2025-0003: moved from cases/2025/THR-2025-0003.yaml
THR-2025-0005: reopened on 2026-11-20 (episode 2); phase closed → intake (2026-11-20); risk medium → high
THR-2025-0009: renamed from THR-2025-0002
THR-2026-0002: goal G2 achieved on 2026-11-15; goal G5 added (family); service S3 in-progress → completed on 2026-11-15; service S5 added (mediation, referred)
THR-2026-0004: phase monitoring → closed (2026-11-21, approved by m.karimi); closure 2026-11-21 goals-achieved
THR-2026-0005: caseworker n.moradi → s.ahmadi; other fields: model comprehensive → brokerage, client.phone changed
THR-2026-0006: only comments or layout changed
THR-2026-0007: risk high → medium; review 2026-11-20 added: education 1 → 3, G1 -2 → +1
THR-2026-0008: phase implementation → monitoring (2026-11-21)
THR-2026-0019: new case, opened 2026-11-22: general, phase intake, risk medium, caseworker s.ahmadi
";

/// Every kind of change between two commits, each told in its exact words.
#[test]
fn every_kind_of_change_between_two_commits() {
    let repo = repository();
    let dir = repo.path();
    morning_work(dir);
    commit(dir, "the morning's work");
    assert_eq!(diff(dir, &["HEAD~1", "HEAD"]), MORNING);
    // The reopening in JSON: its own kind, and no closure removed among the fields.
    let cases: serde_json::Value =
        serde_json::from_str(&diff(dir, &["HEAD~1", "HEAD", "--format", "json"])).unwrap();
    let reopened = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c.to_string().contains("\"reopened\""))
        .expect("a reopening");
    assert_eq!(
        reopened["changes"][0],
        serde_json::json!({"kind": "reopened", "date": "2026-11-20", "episode": 2})
    );
    assert!(!reopened.to_string().contains("closure"), "{reopened}");
    let before = git(dir, &["rev-parse", "HEAD~1"]);
    assert_eq!(diff(dir, &[before.trim(), "HEAD"]), MORNING);
    assert_eq!(diff(dir, &[]), "", "nothing is left uncommitted");
}

/// Before committing, the working tree (with the new file git does not track yet) tells the
/// same, with no revision or with HEAD named.
#[test]
fn the_working_tree_against_head() {
    let repo = repository();
    let dir = repo.path();
    morning_work(dir);
    assert!(git(dir, &["status", "--porcelain"]).contains("?? cases/2026/THR-2026-0019.yaml"));
    assert_eq!(diff(dir, &[]), MORNING);
    assert_eq!(diff(dir, &["HEAD"]), MORNING);
}

/// A case moved with a plain `mv` is one git has not seen as a rename: it is matched by its id.
#[test]
fn a_file_moved_without_git_is_matched_by_its_id() {
    let repo = repository();
    let dir = repo.path();
    std::fs::create_dir(dir.join("cases/closed")).unwrap();
    std::fs::rename(
        dir.join("cases/2025/THR-2025-0001.yaml"),
        dir.join("cases/closed/THR-2025-0001.yaml"),
    )
    .unwrap();
    edit(
        dir,
        "cases/closed/THR-2025-0001.yaml",
        "caseworker: s.ahmadi",
        "caseworker: z.rahimi",
    );
    assert_eq!(
        diff(dir, &[]),
        "THR-2025-0001: moved from cases/2025/THR-2025-0001.yaml; caseworker s.ahmadi → z.rahimi\n"
    );
}

/// A file that cannot be read at one revision is reported with its line, and the other cases
/// are still compared.
#[test]
fn an_invalid_file_at_one_revision_is_reported_and_the_rest_go_on() {
    let repo = repository();
    let dir = repo.path();
    edit(
        dir,
        "cases/2026/THR-2026-0003.yaml",
        "\nrisk: medium",
        "\nrisk: [medium",
    );
    edit(
        dir,
        "cases/2026/THR-2026-0001.yaml",
        "\nrisk: medium",
        "\nrisk: low",
    );
    commit(dir, "a broken file");
    let broken = "THR-2026-0003: cannot be read at HEAD (cases/2026/THR-2026-0003.yaml:6:7: \
                  yaml-syntax: this `[` is never closed), so not compared\n";
    assert_eq!(
        diff(dir, &["HEAD~1", "HEAD"]),
        format!("THR-2026-0001: risk medium → low\n{broken}")
    );
    // Fixed in the working tree: now the old side is the one that cannot be read.
    edit(
        dir,
        "cases/2026/THR-2026-0003.yaml",
        "\nrisk: [medium",
        "\nrisk: medium",
    );
    assert_eq!(diff(dir, &[]), broken);
}

/// A merge that conflicts in a case: `cm diff` and `cm validate` both point at the markers.
#[test]
fn a_merge_conflict_in_a_case() {
    let repo = repository();
    let dir = repo.path();
    let case = "cases/2026/THR-2026-0001.yaml";
    git(dir, &["checkout", "--quiet", "-b", "other-office"]);
    edit(dir, case, "\nrisk: medium", "\nrisk: high");
    commit(dir, "risk up");
    git(dir, &["checkout", "--quiet", "-"]);
    edit(dir, case, "\nrisk: medium", "\nrisk: low");
    commit(dir, "risk down");
    let merge = run("git", dir, &["merge", "--quiet", "other-office"]);
    assert!(!merge.status.success(), "the merge conflicts");
    let line = std::fs::read_to_string(dir.join(case))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("<<<<<<<"))
        .unwrap()
        + 1;
    assert_eq!(
        diff(dir, &[]),
        format!(
            "THR-2026-0001: cannot be read in the working tree ({case}:{line}:1: merge-conflict: \
             unresolved git merge conflict (`<<<<<<<` … `>>>>>>>`)), so not compared\n"
        )
    );
    let out = cm(dir, &["validate", "--as-of", "2026-11-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with(&format!(
        "{case}:{line}:1: error[merge-conflict]: unresolved git merge conflict"
    )));
}

#[test]
fn outside_a_git_repository_is_a_clear_error() {
    let tmp = sample_copy();
    let out = cm(tmp.path(), &["diff"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("cm: error: `"), "{err}");
    assert!(err.contains("is not in a git repository"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_unknown_revision_is_a_clear_error() {
    let repo = repository();
    let out = cm(repo.path(), &["diff", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: `no-such-branch` is not a commit in this repository\n"
    );
}

/// A shallow clone holds one commit: comparing with it works, and asking for an older one says
/// why it is missing.
#[test]
fn a_shallow_clone() {
    let repo = repository();
    edit(
        repo.path(),
        "cases/2026/THR-2026-0001.yaml",
        "\nrisk: medium",
        "\nrisk: low",
    );
    commit(repo.path(), "second");
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    git(
        clones.path(),
        &["clone", "--quiet", "--depth", "1", &url, "clone"],
    );
    let clone = clones.path().join("clone");
    assert_eq!(diff(&clone, &[]), "");
    to_monitoring(&clone, "2026-11-20");
    assert_eq!(
        diff(&clone, &[]),
        "THR-2026-0008: phase implementation → monitoring (2026-11-20)\n"
    );
    let out = cm(&clone, &["diff", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`HEAD~1` is not a commit"), "{err}");
    assert!(err.contains("this clone is shallow"), "{err}");
}

/// A workspace in a sub-folder of the repository: paths stay relative to the workspace.
#[test]
fn a_workspace_in_a_sub_folder() {
    let tmp = tempfile::tempdir().unwrap();
    copy_samples(&tmp.path().join("tehran"));
    git(tmp.path(), &["init", "--quiet"]);
    commit(tmp.path(), "first");
    git(
        tmp.path(),
        &[
            "mv",
            "tehran/cases/2025/THR-2025-0001.yaml",
            "tehran/cases/THR-2025-0001.yaml",
        ],
    );
    let out = cm(tmp.path(), &["-C", "tehran", "diff"]);
    assert_eq!(
        stdout(&out),
        "THR-2025-0001: moved from cases/2025/THR-2025-0001.yaml\n"
    );
}

/// Personal fields are named, never shown, unless asked for by name; JSON says the same.
#[test]
fn personal_values_stay_hidden_unless_included() {
    let repo = repository();
    let dir = repo.path();
    let case = "cases/2026/THR-2026-0005.yaml";
    edit(dir, case, "\"021 8872 3019\"", "\"021 8872 4400\"");
    edit(
        dir,
        case,
        "name: Ashraf Sadat Hashemi",
        "name: Ashraf Hashemi",
    );
    edit(dir, case, "program: older-person", "program: general");
    let hidden = "THR-2026-0005: other fields: program older-person → general, client.name changed, \
                  client.phone changed\n";
    assert_eq!(diff(dir, &[]), hidden);
    let json = diff(dir, &["--format", "json"]);
    for value in ["Ashraf", "8872"] {
        assert!(!json.contains(value), "{value} in {json}");
    }
    let cases: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        cases,
        serde_json::json!([{
            "id": "THR-2026-0005",
            "path": case,
            "changes": [{"kind": "other", "fields": [
                {"path": "program", "change": "changed", "from": "older-person", "to": "general"},
                {"path": "client.name", "change": "changed"},
                {"path": "client.phone", "change": "changed"},
            ]}],
        }])
    );
    let out = cm(dir, &["diff", "--include", "client.phone"]);
    assert_eq!(
        stdout(&out),
        "THR-2026-0005: other fields: program older-person → general, client.name changed, \
         client.phone 021 8872 3019 → 021 8872 4400\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("personal data at your request"));
    let out = cm(dir, &["diff", "--include", "client.sex"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A case's first review is told once, as the review: the list of reviews it starts is not told
/// again under other fields, in the words or in JSON. So are the first goals and services of a
/// plan written by hand.
#[test]
fn a_first_review_is_told_once() {
    let repo = repository();
    let dir = repo.path();
    succeeds(cm(
        dir,
        &[
            "review",
            "THR-2026-0010",
            "--date",
            "2026-11-20",
            "--score",
            "income=3",
        ],
    ));
    edit(
        dir,
        "cases/2026/THR-2026-0012.yaml",
        "history:",
        "plan:\n  goals:\n    - id: G1\n      domain: employment\n      status: active\n\
         services:\n  - id: S1\n    goal: G1\n    type: job-placement\n    referred: 2026-11-20\n\
         \x20   status: referred\nhistory:",
    );
    assert_eq!(
        diff(dir, &[]),
        "THR-2026-0010: review 2026-11-20 added: income 2 → 3\n\
         THR-2026-0012: goal G1 added (employment); service S1 added (job-placement, referred)\n"
    );
    let cases: serde_json::Value = serde_json::from_str(&diff(dir, &["--format", "json"])).unwrap();
    let kinds: Vec<&str> = cases[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["review_added"]);
}

/// Consent is told in words: given (with how many organisations it allows sharing with),
/// withdrawn, or the fields that changed; which organisations, a personal field, only when
/// asked for.
#[test]
fn consent_in_words() {
    let repo = repository();
    let dir = repo.path();
    succeeds(cm(
        dir,
        &[
            "new",
            "--program",
            "general",
            "--name",
            "Hamid Rezaei",
            "--sex",
            "male",
            "--caseworker",
            "s.ahmadi",
            "--date",
            "2026-11-22",
        ],
    ));
    commit(dir, "a new case");
    edit(
        dir,
        "cases/2026/THR-2026-0019.yaml",
        "history:",
        "consent:\n  given: true\n  date: 2026-11-25\n  share_with: [behzisti, emdad]\nhistory:",
    );
    edit(
        dir,
        "cases/2026/THR-2026-0001.yaml",
        "  given: true\n  date: 2026-01-11",
        "  given: false\n  date: 2026-11-24",
    );
    edit(
        dir,
        "cases/2026/THR-2026-0002.yaml",
        "share_with: [behzisti, emdad]",
        "share_with: [behzisti]",
    );
    assert_eq!(
        diff(dir, &[]),
        "THR-2026-0001: consent withdrawn (2026-11-24)\n\
         THR-2026-0002: consent: share_with changed\n\
         THR-2026-0019: consent given (2026-11-25, shared with 2 organisations)\n"
    );
    let json = diff(dir, &["--format", "json"]);
    for value in ["behzisti", "emdad"] {
        assert!(!json.contains(value), "{value} in {json}");
    }
    let cases: serde_json::Value = serde_json::from_str(&json).unwrap();
    let changes: Vec<&serde_json::Value> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|case| &case["changes"][0])
        .collect();
    assert_eq!(
        changes,
        [
            &serde_json::json!({"kind": "consent_withdrawn", "date": "2026-11-24"}),
            &serde_json::json!({"kind": "consent_changed",
                                "fields": [{"path": "share_with", "change": "changed"}]}),
            &serde_json::json!({"kind": "consent_given", "date": "2026-11-25", "organisations": 2}),
        ]
    );
    let out = cm(dir, &["diff", "--include", "consent.share_with"]);
    assert_eq!(
        stdout(&out),
        "THR-2026-0001: consent withdrawn (2026-11-24)\n\
         THR-2026-0002: consent: share_with [behzisti, emdad] → [behzisti]\n\
         THR-2026-0019: consent given (2026-11-25, shared with behzisti, emdad)\n"
    );
}

/// What the commands of the cycle record, between two commits, in words: a later decision about
/// consent, a contact, a change of risk — never a note, with whom, or an organisation.
#[test]
fn the_cycle_commands_in_words_between_two_commits() {
    let repo = repository();
    let dir = repo.path();
    succeeds(cm(
        dir,
        &[
            "consent",
            "THR-2026-0004",
            "--withdrawn",
            "--note",
            "به سازمان دیگری نفرستید",
            "--date",
            "2026-10-30",
        ],
    ));
    succeeds(cm(
        dir,
        &[
            "contact",
            "THR-2026-0004",
            "--type",
            "home-visit",
            "--with",
            "her brother Reza",
            "--note",
            "The landlord came by",
            "--date",
            "2026-10-31",
        ],
    ));
    succeeds(cm(
        dir,
        &[
            "risk",
            "THR-2026-0007",
            "critical",
            "--note",
            "Threats from the neighbour",
            "--date",
            "2026-10-31",
        ],
    ));
    commit(dir, "the day's work");
    assert_eq!(
        diff(dir, &["HEAD~1", "HEAD"]),
        "THR-2026-0004: consent withdrawn (2026-10-30); contact 2026-10-31 home-visit added\n\
         THR-2026-0007: risk high → critical (2026-10-31)\n"
    );
    let json = diff(dir, &["HEAD~1", "HEAD", "--format", "json"]);
    for value in ["نفرستید", "Reza", "landlord", "Threats", "behzisti"] {
        assert!(!json.contains(value), "{value} in {json}");
    }
    assert!(json.contains("\"kind\": \"consent_withdrawn\""), "{json}");
}

/// The workspace's settings as a reviewer needs them: the roster, then each setting that
/// changed, on a line of their own before the cases. A roster name is named, never shown.
#[test]
fn settings_changes_in_words() {
    let repo = repository();
    let dir = repo.path();
    edit(
        dir,
        "cm.toml",
        "approval = [\"planning\", \"closed\"]",
        "approval = [\"closed\"]",
    );
    commit(dir, "approval of closures only");
    edit(
        dir,
        "cm.toml",
        "approval = [\"closed\"]",
        "approval = [\"planning\", \"closed\"]",
    );
    edit(dir, "cm.toml", "high = 14", "high = 7");
    edit(
        dir,
        "cm.toml",
        "calendar = \"gregorian\"",
        "calendar = \"persian\"",
    );
    edit(
        dir,
        "cm.toml",
        "[[caseworkers]]\nid = \"n.moradi\"\nname = \"Narges Moradi\"\nmax_caseload = 25\n\n",
        "",
    );
    edit(
        dir,
        "cm.toml",
        "name = \"Ali Karimi\"",
        "name = \"Ali Karimi-Rad\"",
    );
    edit(
        dir,
        "cm.toml",
        "id = \"r.hosseini\"\nname = \"Reza Hosseini\"\nmax_caseload = 25",
        "id = \"r.hosseini\"\nname = \"Reza Hosseini\"\nmax_caseload = 30\nsupervisor = true",
    );
    let text = std::fs::read_to_string(dir.join("cm.toml")).unwrap();
    std::fs::write(
        dir.join("cm.toml"),
        format!("{text}\n[[caseworkers]]\nid = \"p.nazari\"\nname = \"Parisa Nazari\"\n"),
    )
    .unwrap();
    edit(
        dir,
        "cases/2026/THR-2026-0001.yaml",
        "\nrisk: medium",
        "\nrisk: low",
    );
    let words = diff(dir, &[]);
    assert_eq!(
        words,
        "cm.toml: roster: r.hosseini role caseworker → supervisor, r.hosseini max_caseload 25 → 30, \
         a.karimi name changed, p.nazari added (caseworker), n.moradi removed; \
         workflow.approval: planning added; deadlines.review.high 14 → 7; \
         workspace.calendar gregorian → persian\n\
         THR-2026-0001: risk medium → low\n"
    );
    let json = diff(dir, &["--format", "json"]);
    for name in ["Karimi-Rad", "Ali Karimi", "Parisa", "Narges"] {
        assert!(!words.contains(name) && !json.contains(name), "{name}");
    }
    let entries: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        entries[0],
        serde_json::json!({"path": "cm.toml", "changes": [
            {"kind": "roster_changed", "id": "r.hosseini", "fields": [
                {"path": "role", "change": "changed", "from": "caseworker", "to": "supervisor"},
                {"path": "max_caseload", "change": "changed", "from": 25, "to": 30},
            ]},
            {"kind": "roster_changed", "id": "a.karimi", "fields": [
                {"path": "name", "change": "changed"},
            ]},
            {"kind": "roster_added", "id": "p.nazari", "role": "caseworker", "max_caseload": null},
            {"kind": "roster_removed", "id": "n.moradi"},
            {"kind": "settings", "path": "workflow.approval",
             "from": ["closed"], "to": ["planning", "closed"]},
            {"kind": "settings", "path": "deadlines.review.high", "from": 14, "to": 7},
            {"kind": "settings", "path": "workspace.calendar", "from": "gregorian", "to": "persian"},
        ]})
    );
    assert_eq!(entries[1]["id"], "THR-2026-0001");

    // Values are compared, not text: a comment, or a default no longer written out, is no
    // change.
    commit(dir, "settings");
    edit(
        dir,
        "cm.toml",
        "[deadlines]               # days",
        "[deadlines]",
    );
    edit(
        dir,
        "cm.toml",
        "referral_followup = 14    #",
        "# the default:",
    );
    assert_eq!(diff(dir, &[]), "cm.toml: only comments or layout changed\n");
}

/// A cm.toml that cannot be read at one side is reported with its place, and not compared; the
/// cases are. Without one, the settings are the defaults.
#[test]
fn settings_that_cannot_be_read_or_are_not_there() {
    let repo = repository();
    let dir = repo.path();
    edit(
        dir,
        "cm.toml",
        "calendar = \"gregorian\"",
        "calender = \"gregorian\"",
    );
    edit(
        dir,
        "cases/2026/THR-2026-0001.yaml",
        "\nrisk: medium",
        "\nrisk: low",
    );
    commit(dir, "a misspelt key");
    let line = |text: &str, what: &str| text.lines().position(|l| l.starts_with(what)).unwrap() + 1;
    let text = std::fs::read_to_string(dir.join("cm.toml")).unwrap();
    let misspelt = line(&text, "calender");
    assert_eq!(
        diff(dir, &["HEAD~1", "HEAD"]),
        format!(
            "cm.toml: cannot be read at HEAD (cm.toml:{misspelt}:1: unknown key `calender` in \
             [workspace]), so not compared\nTHR-2026-0001: risk medium → low\n"
        )
    );

    // A merge that conflicts in cm.toml: the working tree's cannot be read, and cm diff says
    // where, though every other command stops at it.
    edit(dir, "cm.toml", "calender", "calendar");
    commit(dir, "fixed");
    git(dir, &["checkout", "--quiet", "-b", "other-office"]);
    edit(dir, "cm.toml", "high = 14", "high = 10");
    commit(dir, "reviews of high risk every ten days");
    git(dir, &["checkout", "--quiet", "-"]);
    edit(dir, "cm.toml", "high = 14", "high = 7");
    commit(dir, "reviews of high risk every week");
    let merge = run("git", dir, &["merge", "--quiet", "other-office"]);
    assert!(!merge.status.success(), "the merge conflicts");
    let text = std::fs::read_to_string(dir.join("cm.toml")).unwrap();
    let marker = line(&text, "<<<<<<<");
    let out = cm(dir, &["diff"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!(
            "cm.toml: cannot be read in the working tree (cm.toml:{marker}:1: merge-conflict: \
             unresolved git merge conflict (`<<<<<<<` … `>>>>>>>`)), so not compared\n"
        )
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("cm: warning: cm.toml:"));
    git(dir, &["merge", "--abort"]);

    // No cm.toml at one side: the defaults, there. (Without one in the working tree, the
    // folder is a workspace only when named with -C.)
    std::fs::write(dir.join("cm.toml"), "[workspace]\nid_prefix = \"THR\"\n").unwrap();
    commit(dir, "settings cut down");
    git(dir, &["rm", "--quiet", "cm.toml"]);
    commit(dir, "no settings");
    assert_eq!(
        diff(dir, &["-C", ".", "HEAD~1", "HEAD"]),
        "cm.toml: removed (the defaults apply); workspace.id_prefix THR → CM\n"
    );
    assert_eq!(
        diff(dir, &["-C", ".", "HEAD", "HEAD~1"]),
        "cm.toml: added (compared with the defaults); workspace.id_prefix CM → THR\n"
    );
    std::fs::write(dir.join("cm.toml"), "[deadlines]\nplan = 20\n").unwrap();
    assert_eq!(
        diff(dir, &[]),
        "cm.toml: added (compared with the defaults); deadlines.plan 30 → 20\n",
        "a cm.toml git does not track yet"
    );
}

/// With the persian calendar, dates in the words are Solar Hijri.
#[test]
fn dates_in_the_workspace_calendar() {
    let repo = repository();
    let dir = repo.path();
    to_monitoring(dir, "2026-11-21");
    assert_eq!(
        diff(dir, &["--calendar", "persian"]),
        "THR-2026-0008: phase implementation → monitoring (1405-08-30)\n"
    );
}

/// The plain git hook of docs/git.md checks the case files as staged, and stops a commit that
/// brings an invalid one.
#[cfg(unix)]
#[test]
fn the_documented_pre_commit_hook_checks_what_is_staged() {
    use std::os::unix::fs::PermissionsExt;
    let page =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/git.md")).unwrap();
    let start = page
        .find("#!/bin/sh\n# pre-commit hook")
        .expect("the hook in docs/git.md");
    let end = start + page[start..].find("```").unwrap();
    let hook: String = page[start..end].lines().map(|l| format!("{l}\n")).collect();
    let repo = repository();
    let dir = repo.path();
    let path = dir.join(".git/hooks/pre-commit");
    std::fs::write(&path, hook).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let try_commit = |message: &str| {
        let out = run("git", dir, &["commit", "--quiet", "--message", message]);
        let said = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), said)
    };
    let case = "cases/2026/THR-2026-0008.yaml";

    // A valid change goes in.
    to_monitoring(dir, "2026-11-20");
    git(dir, &["add", case]);
    let (ok, said) = try_commit("advance");
    assert!(ok, "{said}");

    // An invalid one staged is refused, with its line, even when fixed in the working tree only.
    edit(dir, case, "\nrisk: medium", "\nrisk: mediun");
    git(dir, &["add", case]);
    edit(dir, case, "\nrisk: mediun", "\nrisk: medium  # confirmed");
    let (ok, said) = try_commit("typo");
    assert!(!ok, "{said}");
    assert!(
        said.contains("cases/2026/THR-2026-0008.yaml:6:7: error[schema]"),
        "{said}"
    );
    assert!(said.contains("checked 1 case: 1 error"), "{said}");

    // Staged fixed, the working tree broken: what the commit holds is valid, so it goes in.
    git(dir, &["add", case]);
    edit(dir, case, "\nrisk: medium  # confirmed", "\nrisk: [");
    let (ok, said) = try_commit("fixed");
    assert!(ok, "{said}");

    // A commit without case files does not run cm at all.
    std::fs::write(dir.join("notes.txt"), "minutes").unwrap();
    git(dir, &["add", "notes.txt"]);
    let (ok, said) = try_commit("notes");
    assert!(ok && said.is_empty(), "{said}");
}

/// A closure written ahead of closing is told as such, with its exit scores; the closing that
/// completes it is told as the closure, with the scores it now makes count.
#[test]
fn a_closure_written_ahead_then_completed() {
    let repo = repository();
    let dir = repo.path();
    let path = dir.join("cases/2026/THR-2026-0004.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("closure:\n  domains: {income: 4}\n");
    std::fs::write(&path, text).unwrap();
    assert_eq!(
        diff(dir, &[]),
        "THR-2026-0004: closure written ahead, not yet closed: income 2 → 4\n"
    );
    commit(dir, "exit scores");
    succeeds(cm(
        dir,
        &[
            "advance",
            "THR-2026-0004",
            "--to",
            "closed",
            "--reason",
            "goals-achieved",
            "--approved-by",
            "z.rahimi",
            "--date",
            "2026-11-01",
        ],
    ));
    assert_eq!(
        diff(dir, &[]),
        "THR-2026-0004: phase monitoring → closed (2026-11-01, approved by z.rahimi); closure \
         2026-11-01 goals-achieved: income 2 → 4\n"
    );
}

/// Updates appended to services are told as the moves they are, in order, with a provider's
/// reason for declining; a note is never shown; a new referral is a service added.
#[test]
fn service_updates_in_words() {
    let tmp = super::services::workspace();
    let dir = tmp.path();
    git(dir, &["init", "--quiet"]);
    commit(dir, "the services");
    edit(
        dir,
        "cases/2026/CM-2026-0001.yaml",
        "    referred: 2026-10-20\n    status: referred\n",
        "    referred: 2026-10-20\n    status: declined\n    ended: 2026-11-02\n    updates:\n      \
         - {date: 2026-11-02, status: declined, by: s.ahmadi, reason: no-capacity, note: \"Full \
         until spring\"}\n",
    );
    edit(
        dir,
        "cases/2026/CM-2026-0002.yaml",
        "    status: accepted\n    updates:\n      - {date: 2026-10-08, status: accepted, by: \
         s.ahmadi}\n",
        "    status: completed\n    ended: 2026-11-20\n    updates:\n      - {date: 2026-10-08, \
         status: accepted, by: s.ahmadi}\n      - {date: 2026-11-10, status: in-progress, by: \
         s.ahmadi}\n      - {date: 2026-11-20, status: completed, by: s.ahmadi}\n",
    );
    edit(
        dir,
        "cases/2026/CM-2026-0003.yaml",
        "reviews:\n",
        "  - id: S4\n    goal: G1\n    type: legal-aid\n    provider: legal-clinic\n    referred: \
         2026-11-25\n    status: referred\nreviews:\n",
    );
    assert_eq!(
        diff(dir, &[]),
        "CM-2026-0001: service S3 referred → declined (no-capacity) on 2026-11-02
CM-2026-0002: service S1 accepted → in-progress on 2026-11-10; service S1 in-progress → completed on 2026-11-20
CM-2026-0003: service S4 added (legal-aid, referred)
"
    );
    let json = diff(dir, &["--format", "json"]);
    assert!(!json.contains("Full until spring"), "{json}");
    let cases: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        cases[0]["changes"],
        serde_json::json!([{"kind": "service_updated", "id": "S3", "from": "referred",
                            "to": "declined", "date": "2026-11-02", "by": "s.ahmadi",
                            "reason": "no-capacity"}])
    );
    assert_eq!(
        cases[1]["changes"][1],
        serde_json::json!({"kind": "service_updated", "id": "S1", "from": "in-progress",
                           "to": "completed", "date": "2026-11-20", "by": "s.ahmadi"})
    );
    assert_eq!(cases[2]["changes"][0]["kind"], "service_added");
}

/// A goal's change of status is told as the day it happened, and a goal added with its domain;
/// the reason and the note of the change, personal, are not told.
#[test]
fn goals_in_words() {
    let repo = repository();
    let dir = repo.path();
    succeeds(cm(
        dir,
        &[
            "goal",
            "THR-2026-0004",
            "G1",
            "--status",
            "achieved",
            "--date",
            "2026-11-20",
            "--reason",
            "Licence received",
            "--note",
            "بیمه از طریق آرایشگاه",
        ],
    ));
    succeeds(cm(
        dir,
        &[
            "goal",
            "THR-2026-0004",
            "add",
            "--domain",
            "income",
            "--text",
            "A steady income from the home salon",
            "--date",
            "2026-11-20",
        ],
    ));
    assert_eq!(
        diff(dir, &[]),
        "THR-2026-0004: goal G1 achieved on 2026-11-20; goal G5 added (income)\n"
    );
    let json = diff(dir, &["--format", "json"]);
    for value in ["Licence", "بیمه", "salon"] {
        assert!(!json.contains(value), "{value} in {json}");
    }
    let cases: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        cases[0]["changes"],
        serde_json::json!([
            {"kind": "goal_updated", "id": "G1", "from": "active", "to": "achieved",
             "date": "2026-11-20", "by": "s.ahmadi"},
            {"kind": "goal_added", "id": "G5", "domain": "income"},
        ])
    );
}

/// A case reopened and closed again before the changes are committed: the reopening, the moves
/// of its new episode, and its new closure, each told once; the first closure, moved into
/// `episodes`, is not told as removed.
#[test]
fn a_reopening_and_a_new_closure() {
    let repo = repository();
    let dir = repo.path();
    succeeds(cm(
        dir,
        &[
            "reopen",
            "THR-2025-0005",
            "--date",
            "2026-11-20",
            "--reason",
            "The family is back in Tehran",
        ],
    ));
    succeeds(cm(
        dir,
        &[
            "advance",
            "THR-2025-0005",
            "--to",
            "closed",
            "--reason",
            "moved",
            "--approved-by",
            "m.karimi",
            "--date",
            "2026-11-21",
        ],
    ));
    assert_eq!(
        diff(dir, &[]),
        "THR-2025-0005: reopened on 2026-11-20 (episode 2); phase closed → intake (2026-11-20) → \
         closed (2026-11-21, approved by m.karimi); closure 2026-11-21 moved\n"
    );
}
