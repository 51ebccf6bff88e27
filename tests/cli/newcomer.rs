//! What a newcomer, or a tired coordinator, runs into: commands outside a workspace, `-C`,
//! case files named in capitals, the shell's completions and the manual pages.

use std::path::Path;
use std::process::{Command, Output};

use super::{AS_OF, TODAY_VAR, cm, sample_copy, stdout};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `cm args` run from the folder `dir`.
fn cm_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cm"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env(TODAY_VAR, AS_OF)
        .output()
        .expect("cm runs")
}

#[test]
fn outside_a_workspace_nothing_is_written_and_nothing_is_called_well() {
    let tmp = tempfile::tempdir().unwrap();
    let new = [
        "new",
        "--program",
        "general",
        "--name",
        "مریم",
        "--sex",
        "female",
        "--caseworker",
        "s.ahmadi",
    ];
    for args in [&new[..], &["validate"], &["list"], &["overdue"]] {
        let o = cm_in(tmp.path(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with("cm: error: not in a workspace: no cm.toml in "),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("help: run `cm init`"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);

    // `-C` naming a folder that holds neither cm.toml nor cases/.
    let o = cm(&["-C", tmp.path().to_str().unwrap(), "validate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a workspace: it holds neither cm.toml nor cases/"));

    // Below a workspace's root, the workspace is found upwards, as git finds a repository.
    let ws = sample_copy();
    let o = cm_in(&ws.path().join("cases/2026"), &["validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("checked 25 cases"), "{}", stdout(&o));
}

#[test]
fn paths_after_dash_c_are_relative_to_its_folder() {
    let ws = sample_copy();
    let o = cm(&["-C", ws.path().to_str().unwrap(), "validate", "cases/2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "checked 7 cases: 0 errors, 0 warnings\n");
}

#[test]
fn a_case_file_named_in_capitals_is_read_and_its_name_reported() {
    let ws = sample_copy();
    let from = ws.path().join("cases/2026/THR-2026-0004.yaml");
    std::fs::rename(&from, from.with_extension("YAML")).unwrap();
    let o = cm(&["-C", ws.path().to_str().unwrap(), "validate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(
        "cases/2026/THR-2026-0004.YAML:2:5: error[file-name]: the file's extension is `.YAML`; case files end in `.yaml`\n  help: name the file `THR-2026-0004.yaml`\n"
    ), "{}", stdout(&o));
    assert!(stdout(&o).contains("checked 25 cases"), "{}", stdout(&o));
}

#[test]
fn completions_and_manual_pages_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = cm(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(
            script.contains("validate") && script.contains("caseworker"),
            "{shell}"
        );
    }
    // bash can read the script it gets.
    let o = cm(&["completions", "bash"]);
    let bash = Command::new("bash")
        .args(["-n", "-c", &stdout(&o)])
        .status();
    if let Ok(status) = bash {
        assert!(status.success());
    }

    let tmp = tempfile::tempdir().unwrap();
    let o = cm_in(tmp.path(), &["man", "man1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let listed: Vec<&str> = out.lines().filter_map(|l| l.rsplit('/').next()).collect();
    for page in [
        "cm.1",
        "cm-validate.1",
        "cm-report-outcomes.1",
        "cm-man.1",
        "cm-completions.1",
    ] {
        assert!(listed.contains(&page), "{page}: {listed:?}");
        let text = std::fs::read_to_string(tmp.path().join("man1").join(page)).unwrap();
        assert!(
            text.starts_with(".ie \\n(.g .ds Aq") && text.contains(".SH NAME"),
            "{page}"
        );
    }
}

#[test]
fn init_writes_the_settings_it_is_given() {
    let tmp = tempfile::tempdir().unwrap();
    let o = cm_in(
        tmp.path(),
        &[
            "init",
            "--calendar",
            "persian",
            "agency2",
            "--name",
            "دفتر تهران",
            "--prefix",
            "THR",
            "--currency",
            "USD",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let settings = std::fs::read_to_string(tmp.path().join("agency2/cm.toml")).unwrap();
    for line in [
        "name = \"دفتر تهران\"       # shown",
        "id_prefix = \"THR\"         # new ids",
        "calendar = \"persian\"      # \"gregorian\" or \"persian\"",
        "currency = \"USD\"",
    ] {
        assert!(settings.contains(line), "{line}\n{settings}");
    }
    // The workspace works as written: a new case takes the prefix.
    let o = cm_in(
        &tmp.path().join("agency2"),
        &[
            "new",
            "--program",
            "general",
            "--name",
            "x",
            "--sex",
            "male",
            "--caseworker",
            "s.ahmadi",
            "--date",
            "1405-08-10",
        ],
    );
    assert_eq!(
        stdout(&o),
        "cases/2026/THR-2026-0001.yaml\n",
        "{}",
        stderr(&o)
    );

    let o = cm_in(tmp.path(), &["init", "agency3", "--prefix", "thr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("agency3").exists());
}

/// A filter naming what nobody knows is a typo: exit 2 with the nearest known value, never an
/// empty answer with exit 0 (a monthly job would write an empty file and nobody would notice).
#[test]
fn a_typo_in_a_filter_is_an_error_not_an_empty_answer() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    for (args, expected) in [
        (
            &["list", "--caseworker", "s.ahmady"][..],
            "cm: error: --caseworker s.ahmady: no roster entry and no case names this caseworker\n  help: did you mean `s.ahmadi`?\n",
        ),
        (
            &["overdue", "--caseworker", "nobody"],
            "cm: error: --caseworker nobody: no roster entry and no case names this caseworker\n",
        ),
        (
            &["report", "outcomes", "--caseworker", "r.hoseini"],
            "cm: error: --caseworker r.hoseini: no roster entry and no case names this caseworker\n  help: did you mean `r.hosseini`?\n",
        ),
        (
            &["export", "--redact", "--to", "bhzisti"],
            "cm: error: --to bhzisti: no case's consent.share_with names this organisation\n  help: did you mean `behzisti`?\n",
        ),
    ] {
        let mut all = vec!["-C", dir];
        all.extend(args);
        let o = cm(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(stderr(&o).ends_with(expected), "{args:?}: {}", stderr(&o));
    }
    // The export refused leaves no key behind.
    assert!(!ws.path().join(".cm/secret").exists());
    // Known, but with nothing to show: an empty answer, rightly.
    let o = cm(&[
        "-C",
        dir,
        "list",
        "--caseworker",
        "s.ahmadi",
        "--phase",
        "intake",
        "--risk",
        "critical",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "id,program,caseworker,risk,phase,opened,next_due\n"
    );
}

#[test]
fn an_unknown_case_id_suggests_the_nearest() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    for (id, help) in [
        ("thr-2026-0001", "did you mean `THR-2026-0001`?"),
        ("0012", "did you mean `THR-2026-0012`?"),
        ("4", "did you mean one of `THR-2025-0004`, `THR-2026-0004`?"),
        (
            "THR-2026-001",
            "did you mean one of `THR-2026-0001`, `THR-2026-0010`, `THR-2026-0011`?",
        ),
    ] {
        for command in ["show", "advance"] {
            let o = cm(&["-C", dir, command, id]);
            assert_eq!(o.status.code(), Some(2));
            assert_eq!(
                stderr(&o),
                format!("cm: error: no case with id `{id}` in this workspace\n  help: {help}\n")
            );
        }
    }
}

#[test]
fn persian_digits_are_numbers_wherever_a_number_is_typed() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let o = cm(&[
        "-C",
        dir,
        "review",
        "THR-2026-0004",
        "--score",
        "income=۳",
        "--goal",
        "G1=−۱",
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("+    domains: {income: 3}\n+    goals: {G1: -1}\n"),
        "{}",
        stdout(&o)
    );
    let latin = cm(&["-C", dir, "overdue", "--within", "7", "--format", "csv"]);
    let persian = cm(&["-C", dir, "overdue", "--within", "۷", "--format", "csv"]);
    assert_eq!(stdout(&latin), stdout(&persian));
    assert!(stdout(&persian).contains(",-7,"), "{}", stdout(&persian));
}

#[test]
fn an_unknown_caseworker_typed_once_is_told_once() {
    let ws = sample_copy();
    let o = cm(&[
        "-C",
        ws.path().to_str().unwrap(),
        "new",
        "--program",
        "general",
        "--name",
        "x",
        "--sex",
        "male",
        "--caseworker",
        "s.ahmady",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "cm: error: cannot open the case; nothing was changed:\n  cases/2026/THR-2026-0019.yaml:5:13: error[unknown-caseworker]: `s.ahmady` is not in the roster of cm.toml\n    help: did you mean `s.ahmadi`?\n"
    );
}

#[test]
fn show_speaks_plainly_and_names_providers_ends_and_the_caseworker() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let next = |day: &str| {
        let o = cm(&["-C", dir, "show", "THR-2026-0004", "--as-of", day]);
        stdout(&o).lines().last().unwrap().to_string()
    };
    assert_eq!(
        next("2026-11-03"),
        "next due    referral S5 on 2026-11-03 (today)"
    );
    assert_eq!(
        next("2026-11-02"),
        "next due    referral S5 on 2026-11-03 (in 1 day)"
    );
    assert_eq!(
        next("2026-11-04"),
        "next due    referral S5 on 2026-11-03 (overdue by 1 day)"
    );
    let o = cm(&["-C", dir, "show", "THR-2026-0004"]);
    let card = stdout(&o);
    assert!(
        card.contains("\ncaseworker  s.ahmadi (Sara Ahmadi)\n"),
        "{card}"
    );
    assert!(card.contains("\n  S1   legal-aid                completed 2026-06-28    referred 2026-03-20, ended 2026-06-28, by Tehran Bar Association legal aid clinic\n"), "{card}");
}

/// The outcomes table fits the screen (COLUMNS stands for the terminal's width), under the
/// workspace's name; amounts carry the currency, digits grouped; CSV keeps every column.
#[test]
fn the_outcomes_table_fits_the_screen_and_names_the_office() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases");
    let outcomes = |columns: &str, extra: &[&str]| {
        let mut args = vec![
            "-C",
            dir.to_str().unwrap(),
            "report",
            "outcomes",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
        ];
        args.extend(extra);
        Command::new(env!("CARGO_BIN_EXE_cm"))
            .args(&args)
            .env("NO_COLOR", "1")
            .env("COLUMNS", columns)
            .env(TODAY_VAR, AS_OF)
            .output()
            .unwrap()
    };
    let o = outcomes("100", &["--format", "table"]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Tehran Family Support Office — outcomes from 2026-10-01 to 2026-10-31"
    );
    assert!(
        lines[2..].iter().all(|l| l.chars().count() <= 100),
        "{text}"
    );
    assert!(
        lines[2].starts_with(" id              phase            mean_change"),
        "{text}"
    );
    assert_eq!(
        stderr(&o),
        "cm: showing 6 of 28 columns: --wide shows them all, --columns chooses, and CSV and JSON have them all\n"
    );

    let o = outcomes(
        "200",
        &[
            "--format",
            "table",
            "--columns",
            "id,total_cost,income_latest",
        ],
    );
    assert!(
        stdout(&o).contains("\n THR-2026-0004   222,000,000 IRR   2             \n"),
        "{}",
        stdout(&o)
    );
    assert_eq!(stderr(&o), "");

    let o = outcomes("100", &["--format", "csv"]);
    assert!(stdout(&o).starts_with("id,program,caseworker,sex,age_at_opening,risk,phase,opened,closed,days_open,closure_reason,domains_assessed,baseline_mean,latest_mean,mean_change,domains_improved,domains_worsened,goals_total,goals_achieved,gas_tscore,services_total,services_completed,referrals_pending,total_cost,reviews,last_review,contacts,last_contact\n"));
    assert!(stdout(&o).contains(",222000000,"));

    let o = outcomes("100", &["--columns", "id,incme"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "cm: error: --columns incme: no such column\n  help: did you mean `income_latest`?\n"
    );
}

#[test]
fn overdue_remarks_are_in_colour_on_request() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases");
    let o = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "--color",
        "always",
        "list",
        "--format",
        "table",
        "--risk",
        "critical",
    ]);
    assert!(
        stdout(&o).contains("2026-10-27 \u{1b}[1m\u{1b}[31m(overdue)\u{1b}[0m"),
        "{}",
        stdout(&o)
    );
    let o = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "list",
        "--format",
        "table",
        "--risk",
        "critical",
    ]);
    assert!(stdout(&o).contains("2026-10-27 (overdue)") && !stdout(&o).contains('\u{1b}'));
}

/// The exit scores may be written into `closure:` before closing; the case stays valid (its
/// commit passes the hook), the scores do not count before the closure is dated, and closing
/// completes the closure.
#[test]
fn a_closure_written_before_closing_is_valid_and_completed() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let path = ws.path().join("cases/2026/THR-2026-0004.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("closure:\n  domains: {income: 5}\n");
    std::fs::write(&path, &text).unwrap();
    let o = cm(&["-C", dir, "validate", "cases/2026/THR-2026-0004.yaml"]);
    assert_eq!(stdout(&o), "checked 1 case: 0 errors, 0 warnings\n");
    let latest = |o: &Output| {
        let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "THR-2026-0004")
            .unwrap()["income_latest"]
            .clone()
    };
    let o = cm(&[
        "-C", dir, "report", "outcomes", "--wide", "--format", "json",
    ]);
    assert_eq!(latest(&o), 2, "exit scores count from the closure's date");
    let o = cm(&["-C", dir, "show", "THR-2026-0004"]);
    assert!(
        stdout(&o).contains("\nclosure     written ahead, not yet closed\n"),
        "{}",
        stdout(&o)
    );
    let o = cm(&[
        "-C",
        dir,
        "advance",
        "THR-2026-0004",
        "--to",
        "closed",
        "--reason",
        "goals-achieved",
        "--approved-by",
        "z.rahimi",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&path).unwrap().ends_with(
        "closure:\n  date: 2026-11-01\n  reason: goals-achieved\n  domains: {income: 5}\n"
    ));
    let o = cm(&[
        "-C", dir, "report", "outcomes", "--wide", "--format", "json",
    ]);
    assert_eq!(latest(&o), 5);

    // Closed, the closure needs its date and reason.
    let closed = std::fs::read_to_string(&path)
        .unwrap()
        .replace("  date: 2026-11-01\n", "");
    std::fs::write(&path, closed).unwrap();
    let o = cm(&["-C", dir, "validate", "cases/2026/THR-2026-0004.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[schema]"), "{}", stdout(&o));
}
