//! Figures that cannot change unseen: reports recorded with `--record` and held to what they
//! said by `cm report check` (and `cm validate`), and reports computed from the files as they
//! were at a git revision with `--at`, on real repositories made with the `git` command.

use std::path::Path;
use std::process::Output;

use super::diff::{cm, commit, edit, git, repository, run, succeeds};
use super::{sample_copy, stdout};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `cm ARGS` in `dir`, which must exit with `code`; its standard output.
pub(super) fn exits(dir: &Path, args: &[&str], code: i32) -> String {
    let out = cm(dir, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "cm {args:?}:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// A review of THR-2026-0004 held on 20 October, entered late: it changes October's figures.
fn late_review(dir: &Path) {
    succeeds(cm(
        dir,
        &[
            "review",
            "THR-2026-0004",
            "--date",
            "2026-10-20",
            "--note",
            "late entry",
        ],
    ));
}

const SUMMARY: &[&str] = &["report", "summary", "--month", "2026-10", "--format", "csv"];

/// `args` with `--record reports` after them.
fn recording<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--record", "reports"]);
    all
}

#[test]
fn a_recorded_figure_holds_until_a_backdated_review_changes_it_and_a_new_record_accepts_it() {
    let ws = repository();
    let dir = ws.path();
    // Recording prints the report as usual, and writes it with its manifest.
    let printed = exits(dir, &recording(SUMMARY), 0);
    assert_eq!(printed, exits(dir, SUMMARY, 0));
    let recorded = std::fs::read_to_string(dir.join("reports/summary-2026-10.csv")).unwrap();
    assert_eq!(recorded, printed);
    let manifest =
        std::fs::read_to_string(dir.join("reports/summary-2026-10.report.toml")).unwrap();
    let head = git(dir, &["rev-parse", "HEAD"]);
    assert!(
        manifest.contains("command = \"cm report summary --month 2026-10 --calendar gregorian\""),
        "{manifest}"
    );
    assert!(
        manifest.contains(&format!("revision = \"{}\"", head.trim())),
        "{manifest}"
    );
    assert!(manifest.contains("recorded = \"2026-11-30\""), "{manifest}");
    commit(dir, "October's summary, as sent");

    // Untouched, it holds.
    assert_eq!(
        exits(dir, &["report", "check"], 0),
        "checked 1 recorded report: 0 problems\n"
    );
    // Work dated after October changes nothing of it.
    succeeds(cm(
        dir,
        &[
            "contact",
            "THR-2026-0008",
            "--type",
            "phone",
            "--date",
            "2026-11-20",
            "--note",
            "later",
        ],
    ));
    commit(dir, "a contact of November");
    exits(dir, &["report", "check"], 0);

    // A review of 20 October entered now changes a figure that was sent.
    late_review(dir);
    commit(dir, "a review of October, entered late");
    let short = git(dir, &["rev-parse", "--short", "HEAD"]);
    let out = exits(dir, &["report", "check"], 1);
    assert_eq!(
        out,
        format!(
            "reports/summary-2026-10.csv:28:14: error[report-changed]: `reviews_held` was 5 \
             when recorded on 2026-11-30, and is 6 now\n  help: changed since by \
             cases/2026/THR-2026-0004.yaml (commit {} 2026-11-30); if the correction is meant, \
             record the report again: cm report summary --month 2026-10 --calendar gregorian \
             --record reports\nchecked 1 recorded report: 1 problem\n",
            short.trim()
        )
    );
    // The figure's line and column in the recorded report.
    let line = recorded.lines().nth(27).unwrap();
    assert_eq!(&line[13..], "5");

    // An edit not committed yet is named as such.
    edit(
        dir,
        "cases/2026/THR-2026-0004.yaml",
        "late entry",
        "late entry, corrected",
    );
    let out = exits(dir, &["report", "check"], 1);
    assert!(
        out.contains("2026-11-30, and changes not committed)"),
        "{out}"
    );
    git(dir, &["checkout", "--", "cases"]);

    // With [reports].dir, cm validate holds the reports too.
    std::fs::write(
        dir.join("cm.toml"),
        std::fs::read_to_string(dir.join("cm.toml")).unwrap() + "\n[reports]\ndir = \"reports\"\n",
    )
    .unwrap();
    let out = exits(dir, &["validate"], 1);
    assert!(
        out.contains("error[report-changed]: `reviews_held` was 5"),
        "{out}"
    );
    assert!(
        out.ends_with("and 1 recorded report: 1 error, 0 warnings\n"),
        "{out}"
    );
    commit(dir, "the reports are checked");

    // The correction is meant: recorded again, it holds, and git shows the figure that changed.
    exits(dir, &recording(SUMMARY), 0);
    let changed = git(dir, &["diff", "--", "reports/summary-2026-10.csv"]);
    assert!(
        changed.contains("-reviews_held,5\n+reviews_held,6\n"),
        "{changed}"
    );
    exits(dir, &["report", "check"], 0);
    exits(dir, &["validate"], 0);
}

#[test]
fn a_row_of_one_case_names_that_case_and_every_report_can_be_recorded() {
    let ws = repository();
    let dir = ws.path();
    let october = ["--from", "2026-10-01", "--to", "2026-10-31"];
    let runs: [&[&str]; 5] = [
        &["report", "outcomes", "--to", "2026-10-31"],
        &["report", "caseload", "--as-of", "2026-10-31"],
        &[&["report", "referrals"][..], &october].concat(),
        &[&["report", "kpi"][..], &october].concat(),
        SUMMARY,
    ];
    for run in runs {
        exits(dir, &recording(run), 0);
    }
    let mut files: Vec<String> = std::fs::read_dir(dir.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "caseload-2026-10-31.csv",
            "caseload-2026-10-31.report.toml",
            "indicators-2026-10-01-to-2026-10-31.csv",
            "indicators-2026-10-01-to-2026-10-31.report.toml",
            "outcomes-to-2026-10-31.csv",
            "outcomes-to-2026-10-31.report.toml",
            "referrals-2026-10-01-to-2026-10-31.csv",
            "referrals-2026-10-01-to-2026-10-31.report.toml",
            "summary-2026-10.csv",
            "summary-2026-10.report.toml",
        ]
    );
    commit(dir, "October's reports");
    assert_eq!(
        exits(dir, &["report", "check"], 0),
        "checked 5 recorded reports: 0 problems\n"
    );
    // A contact of October entered late: the outcomes row of that case names its file alone.
    succeeds(cm(
        dir,
        &[
            "contact",
            "THR-2026-0004",
            "--type",
            "phone",
            "--date",
            "2026-10-28",
            "--note",
            "x",
        ],
    ));
    let out = exits(dir, &["report", "check", "--format", "json"], 1);
    let problems: serde_json::Value = serde_json::from_str(&out).unwrap();
    let outcomes: Vec<&serde_json::Value> = problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"] == "reports/outcomes-to-2026-10-31.csv")
        .collect();
    assert!(!outcomes.is_empty(), "{out}");
    for p in outcomes {
        let message = p["message"].as_str().unwrap();
        assert!(message.contains("of `THR-2026-0004`"), "{message}");
        let help = p["help"].as_str().unwrap();
        assert!(
            help.starts_with(
                "changed since by cases/2026/THR-2026-0004.yaml (changes not committed);"
            ),
            "{help}"
        );
    }
}

#[test]
fn a_report_is_recorded_only_when_its_figures_can_be_traced() {
    let ws = repository();
    let dir = ws.path();
    // From committed files only.
    edit(
        dir,
        "cases/2026/THR-2026-0004.yaml",
        "\nrisk: medium\n",
        "\nrisk: medium \n",
    );
    let out = cm(dir, &recording(SUMMARY));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "--record: cases/2026/THR-2026-0004.yaml is not committed; a recorded report names \
             the commit its figures come from"
        ),
        "{}",
        stderr(&out)
    );
    git(dir, &["checkout", "--", "cases"]);
    // Never with a personal field.
    let out = cm(
        dir,
        &recording(&["report", "outcomes", "--include", "client.name"]),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--record with --include"),
        "{}",
        stderr(&out)
    );
    // Never with a case left out.
    edit(
        dir,
        "cases/2026/THR-2026-0004.yaml",
        "\nphase: monitoring\n",
        "\nphase: nowhere\n",
    );
    commit(dir, "a broken case");
    let out = cm(dir, &recording(SUMMARY));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--record: 1 case file(s) were left out for their errors"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("reports").exists());
    // Outside git, a report is recorded without a revision, and checked without naming files.
    let plain = sample_copy();
    exits(plain.path(), &recording(SUMMARY), 0);
    let manifest =
        std::fs::read_to_string(plain.path().join("reports/summary-2026-10.report.toml")).unwrap();
    assert!(!manifest.contains("revision"), "{manifest}");
    exits(plain.path(), &["report", "check"], 0);
}

/// Every report as of 31 October, as CSV.
fn reports(dir: &Path, at: Option<&str>) -> Vec<String> {
    let runs: [&[&str]; 5] = [
        &["report", "outcomes", "--to", "2026-10-31"],
        &["report", "caseload", "--as-of", "2026-10-31"],
        &["report", "referrals", "--to", "2026-10-31"],
        &["report", "summary", "--month", "2026-10"],
        &["report", "indicators", "--to", "2026-10-31"],
    ];
    runs.iter()
        .map(|run| {
            let mut args = run.to_vec();
            args.extend(["--format", "csv"]);
            args.extend(at.map(|rev| ["--at", rev]).into_iter().flatten());
            exits(dir, &args, 0)
        })
        .collect()
}

#[test]
fn at_a_revision_the_reports_are_those_of_the_files_then_and_nothing_is_touched() {
    let ws = sample_copy();
    let dir = ws.path();
    git(dir, &["init", "--quiet"]);
    // The first commit has no THR-2026-0004 yet.
    let held = std::fs::read(dir.join("cases/2026/THR-2026-0004.yaml")).unwrap();
    std::fs::remove_file(dir.join("cases/2026/THR-2026-0004.yaml")).unwrap();
    commit(dir, "before THR-2026-0004");
    let first = reports(dir, None);
    std::fs::write(dir.join("cases/2026/THR-2026-0004.yaml"), held).unwrap();
    commit(dir, "THR-2026-0004 entered");
    let second = reports(dir, None);
    assert_ne!(first, second, "the case counts in October");
    late_review(dir);
    commit(dir, "a review of October, entered late");
    let third = reports(dir, None);
    assert_ne!(second, third);
    // An edit not committed, and a file git does not know: --at reads neither.
    edit(
        dir,
        "cases/2026/THR-2026-0001.yaml",
        "\nrisk: ",
        "\nrisk:  ",
    );
    std::fs::write(dir.join("cases/2026/stray.yaml"), "not: [a case").unwrap();
    let status = git(dir, &["status", "--porcelain"]);
    let index = std::fs::read(dir.join(".git/index")).unwrap();

    assert_eq!(reports(dir, Some("HEAD~2")), first);
    assert_eq!(reports(dir, Some("HEAD~1")), second);
    assert_eq!(reports(dir, Some("HEAD")), third);
    let tag = git(dir, &["rev-parse", "HEAD~1"]);
    assert_eq!(reports(dir, Some(tag.trim())), second);
    // The table's title says which files it read.
    let short = git(dir, &["rev-parse", "--short", "HEAD~2"]);
    let table = exits(
        dir,
        &["report", "caseload", "--at", "HEAD~2", "--format", "table"],
        0,
    );
    assert!(
        table.contains(&format!(", as the files were at {}", short.trim())),
        "{table}"
    );
    // Nothing was touched: the working tree and the index are as they were.
    assert_eq!(git(dir, &["status", "--porcelain"]), status);
    assert_eq!(std::fs::read(dir.join(".git/index")).unwrap(), index);

    // Not a revision; not a repository.
    let out = cm(
        dir,
        &["report", "summary", "--month", "2026-10", "--at", "nope"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`nope` is not a commit in this repository"),
        "{}",
        stderr(&out)
    );
    let plain = sample_copy();
    let out = cm(
        plain.path(),
        &["report", "summary", "--month", "2026-10", "--at", "HEAD"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not in a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn at_a_revision_a_broken_case_is_left_out_and_named_there() {
    let ws = repository();
    let dir = ws.path();
    edit(
        dir,
        "cases/2026/THR-2026-0004.yaml",
        "\nphase: monitoring\n",
        "\nphase: nowhere\n",
    );
    commit(dir, "a broken case");
    git(dir, &["checkout", "HEAD~1", "--", "cases"]);
    commit(dir, "mended");
    let out = cm(
        dir,
        &["report", "caseload", "--at", "HEAD~1", "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(0));
    let short = git(dir, &["rev-parse", "--short", "HEAD~1"]);
    assert!(
        stderr(&out).contains(&format!(
            "left out {}:cases/2026/THR-2026-0004.yaml:7:",
            short.trim()
        )),
        "{}",
        stderr(&out)
    );
    let out = cm(
        dir,
        &[
            "report", "caseload", "--at", "HEAD~1", "--strict", "--format", "csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}

/// The script of docs/monthly-reporting.md, as it is written there.
fn monthly_script() -> String {
    let page = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/monthly-reporting.md"),
    )
    .unwrap();
    let start = page.find("```sh\n").expect("the script") + "```sh\n".len();
    let end = start + page[start..].find("```\n").unwrap();
    page[start..end].to_string()
}

/// Runs the monthly script on `workspace` as on the day `today`, its copies going to `copies`;
/// what it said on standard error.
fn run_monthly(script: &Path, workspace: &Path, copies: &Path, today: &str) -> String {
    let command = format!(
        "CM_TODAY={today} sh '{}' '{}' '{}'",
        script.display(),
        workspace.display(),
        copies.display()
    );
    let out = run("sh", workspace, &["-c", &command]);
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn the_monthly_script_records_checks_and_commits_each_months_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let (origin, work, copies) = (
        tmp.path().join("origin.git"),
        tmp.path().join("agency"),
        tmp.path().join("copies"),
    );
    let sample = repository();
    let arg = |p: &Path| p.to_str().unwrap().to_string();
    git(
        tmp.path(),
        &[
            "clone",
            "--quiet",
            "--bare",
            &arg(sample.path()),
            &arg(&origin),
        ],
    );
    git(
        tmp.path(),
        &["clone", "--quiet", &arg(&origin), &arg(&work)],
    );
    let script = tmp.path().join("monthly.sh");
    std::fs::write(&script, monthly_script()).unwrap();

    // On 1 November: October's reports, recorded, committed and pushed; nothing recorded before.
    let said = run_monthly(&script, &work, &copies, "2026-11-01");
    let october = copies.join("2026-10");
    let read = |name: &str| std::fs::read_to_string(october.join(name)).unwrap();
    assert_eq!(
        read("check.txt"),
        "checked 0 recorded reports: 0 problems\n"
    );
    assert_eq!(
        read("validate.txt"),
        "checked 25 cases: 0 errors, 0 warnings\n"
    );
    assert!(read("summary.csv").starts_with("\u{feff}metric,value\n"));
    assert!(read("summary.html").contains("Monthly summary"));
    assert!(read("indicators.html").contains("data-key=\"reviews_on_time\""));
    assert!(
        said.contains("cm: recorded reports/summary-2026-10.csv"),
        "{said}"
    );
    let pushed = git(&origin, &["log", "-1", "--format=%s", "--name-only"]);
    assert!(
        pushed.starts_with("The reports of 2026-10, as sent\n"),
        "{pushed}"
    );
    for name in [
        "outcomes-2026-10-01-to-2026-10-31",
        "caseload-2026-10-31",
        "summary-2026-10",
        "referrals-2026-10-01-to-2026-10-31",
        "indicators-2026-10-01-to-2026-10-31",
    ] {
        assert!(
            pushed.contains(&format!("reports/{name}.csv\n")),
            "{pushed}"
        );
        assert!(
            pushed.contains(&format!("reports/{name}.report.toml\n")),
            "{pushed}"
        );
    }
    // Recorded without the byte-order mark, and the same figures as the copy sent.
    let recorded = std::fs::read_to_string(work.join("reports/summary-2026-10.csv")).unwrap();
    assert_eq!(format!("\u{feff}{recorded}"), read("summary.csv"));

    // In November a review of October is entered late, and pushed.
    late_review(&work);
    commit(&work, "a review of October, entered late");
    git(&work, &["push", "--quiet"]);

    // On 1 December: November's reports, and October's figure that no longer holds is named.
    let said = run_monthly(&script, &work, &copies, "2026-12-01");
    assert!(
        said.contains(&format!(
            "a figure sent has changed: {}",
            copies.join("2026-11/check.txt").display()
        )),
        "{said}"
    );
    let check = std::fs::read_to_string(copies.join("2026-11/check.txt")).unwrap();
    assert!(
        check.contains(
            "reports/summary-2026-10.csv:28:14: error[report-changed]: `reviews_held` was 5 when \
             recorded on 2026-11-01, and is 6 now"
        ),
        "{check}"
    );
    assert!(
        check.contains("cases/2026/THR-2026-0004.yaml (commit "),
        "{check}"
    );
    assert!(
        check.ends_with("checked 5 recorded reports: 5 problems\n"),
        "{check}"
    );
    let pushed = git(&origin, &["log", "-1", "--format=%s"]);
    assert_eq!(pushed, "The reports of 2026-11, as sent\n");
    assert!(work.join("reports/summary-2026-11.report.toml").is_file());
}

#[test]
fn a_figure_is_reported_even_when_git_can_no_longer_tell_why() {
    let ws = repository();
    let dir = ws.path();
    exits(dir, &recording(SUMMARY), 0);
    commit(dir, "October's summary");
    late_review(dir);
    // The workspace was copied out of its repository since.
    std::fs::remove_dir_all(dir.join(".git")).unwrap();
    let out = exits(dir, &["report", "check"], 1);
    assert!(
        out.contains(
            "`reviews_held` was 5 when recorded on 2026-11-30, and is 6 now\n  help: which case \
             files changed it cannot be told (`"
        ),
        "{out}"
    );
}
