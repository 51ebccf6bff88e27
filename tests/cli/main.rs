//! End-to-end tests: `cm` run as a user runs it, on small workspaces under tests/fixtures/.
//!
//! Each folder of tests/fixtures/rules/ is a workspace reproducing one diagnostic code; its
//! `expected.txt` is the exact output of `cm validate`. Set `CM_BLESS=1` to rewrite them after
//! a deliberate change, and read the diff. The folders of tests/fixtures/syntax/ do the same for
//! the ways a file can fail to be YAML (see `syntax`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cm_base::diagnostic::Code;

mod architecture;
mod as_of;
mod cache;
mod concurrency;
mod crash;
mod cycle;
mod dates;
mod diff;
mod docs;
mod duplicates;
mod edits;
mod exports;
mod find;
mod fuzz;
#[allow(dead_code)]
#[path = "../../benches/generate.rs"]
mod generate;
mod hostile;
mod import;
mod indicators;
mod links;
mod migrate;
mod newcomer;
mod offices;
mod overdue;
mod pages;
mod pipe;
mod print;
mod privacy;
mod props;
mod readers;
mod recorded;
mod register;
mod reports;
mod services;
mod snapshots;
mod syntax;
mod yaml;

/// The day every test runs as: `cm` takes it as today (see [`TODAY_VAR`]), so that no test
/// depends on the day it runs.
const AS_OF: &str = "2026-11-01";

/// The environment variable `cm` takes today from in place of the clock.
const TODAY_VAR: &str = "CM_TODAY";

fn cm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cm"))
        .args(args)
        .env("NO_COLOR", "1")
        .env(TODAY_VAR, AS_OF)
        .output()
        .expect("cm runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn validate(dir: &Path) -> Output {
    cm(&["-C", dir.to_str().unwrap(), "validate", "--as-of", AS_OF])
}

/// Codes whose reproducer is made at run time, because it is too large or odd to commit: a
/// 1 MiB file, and symbolic links (`hostile::a_link_is_never_followed_and_never_unseen`).
const GENERATED: &[&str] = &["file-too-large", "symlink"];

#[test]
fn every_code_has_a_reproducer_with_its_exact_output() {
    let rules = fixtures().join("rules");
    for code in Code::ALL.iter().map(|c| c.as_str()) {
        let dir = rules.join(code);
        if GENERATED.contains(&code) {
            continue;
        }
        assert!(
            dir.is_dir(),
            "no reproducer for `{code}` in {}",
            dir.display()
        );
        // A reproducer of a command other than `cm validate` names its arguments, one a line;
        // what it says on standard error (the lines a report leaves out) is part of its output.
        let (out, text) = match std::fs::read_to_string(dir.join("args")) {
            Ok(args) => {
                let mut all = vec!["-C", dir.to_str().unwrap()];
                all.extend(args.lines());
                let out = cm(&all);
                let text = stdout(&out) + &String::from_utf8_lossy(&out.stderr);
                (out, text)
            }
            Err(_) => {
                let out = validate(&dir);
                let text = stdout(&out);
                (out, text)
            }
        };
        assert!(
            text.contains(&format!("[{code}]")),
            "`{code}` not reported:\n{text}"
        );
        let expected_file = dir.join("expected.txt");
        if std::env::var_os("CM_BLESS").is_some() {
            std::fs::write(&expected_file, &text).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("missing {}", expected_file.display()));
        assert_eq!(text, expected, "output of the `{code}` reproducer changed");
        let has_errors = !text.contains(": 0 errors");
        assert_eq!(
            out.status.code(),
            Some(if has_errors { 1 } else { 0 }),
            "{code}"
        );
    }
}

#[test]
fn sample_workspace_is_valid() {
    let out = validate(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases"));
    let text = stdout(&out);
    assert!(text.ends_with(": 0 errors, 0 warnings\n"), "{text}");
    assert!(text.starts_with("checked 25 cases"), "{text}");
    assert_eq!(out.status.code(), Some(0));
}

/// A copy of one reproducer in a temporary folder, to add files to.
fn workspace_from(rule: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("rules").join(rule), tmp.path());
    let _ = std::fs::remove_file(tmp.path().join("expected.txt"));
    tmp
}

/// A copy of the sample workspace in a new temporary folder.
fn sample_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_samples(tmp.path());
    tmp
}

/// Copies the sample workspace to `to`.
fn copy_samples(to: &Path) {
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases"),
        to,
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_file_over_one_mebibyte_is_refused_at_line_one() {
    let tmp = workspace_from("no-consent");
    let big = tmp.path().join("cases/2026/CM-2026-0002.yaml");
    let line = "# padding padding padding padding padding padding padding padding\n";
    std::fs::write(&big, line.repeat(2 * 1024 * 1024 / line.len() + 1)).unwrap();
    let text = stdout(&validate(tmp.path()));
    assert!(
        text.contains("cases/2026/CM-2026-0002.yaml:1:1: error[file-too-large]: the file is 2.0 MiB; a case file may be at most 1 MiB\n"),
        "{text}"
    );
}

#[test]
fn deep_nesting_is_one_diagnostic_not_a_crash() {
    let tmp = workspace_from("no-consent");
    let path = tmp.path().join("cases/2026/CM-2026-0002.yaml");
    // 10,000 nested block sequences on one line: `- - - … x`.
    let block = "- ".repeat(10_000);
    std::fs::write(&path, format!("id: CM-2026-0002\nextra:\n  {block}x\n")).unwrap();
    let flow = tmp.path().join("cases/2026/CM-2026-0003.yaml");
    std::fs::write(&flow, format!("extra: {}", "[".repeat(500_000))).unwrap();
    let out = validate(tmp.path());
    let text = stdout(&out);
    assert!(text.contains("CM-2026-0002.yaml:"), "{text}");
    assert!(
        text.contains("error[yaml-limit]: nesting deeper than 64 levels"),
        "{text}"
    );
    assert!(text.contains("CM-2026-0003.yaml:1:"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn several_broken_files_are_all_reported_and_good_ones_still_checked() {
    let tmp = workspace_from("no-consent");
    let cases = tmp.path().join("cases/2026");
    let good = std::fs::read_to_string(cases.join("CM-2026-0001.yaml")).unwrap();
    std::fs::write(cases.join("CM-2026-0002.yaml"), b"id: [unclosed\n").unwrap();
    std::fs::write(cases.join("CM-2026-0003.yaml"), b"id: \xff\xfe\n").unwrap();
    std::fs::write(
        cases.join("CM-2026-0004.yaml"),
        good.replace("CM-2026-0001", "CM-2026-0004")
            .replace("\nrisk: medium", "\nrisk: extreme"),
    )
    .unwrap();
    // A good file after the broken ones, with a problem of its own, is still checked.
    std::fs::write(
        cases.join("CM-2026-0005.yaml"),
        good.replace("CM-2026-0001", "CM-2026-0005")
            .replace("opened: 2026-03-02", "opened: 2026-03-03"),
    )
    .unwrap();
    let out = validate(tmp.path());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("cases/")).collect();
    let codes: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| {
            let file = l.split(':').next().unwrap();
            let code = l.split('[').nth(1).unwrap().split(']').next().unwrap();
            (file.rsplit('/').next().unwrap(), code)
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("CM-2026-0001.yaml", "no-consent"),
            ("CM-2026-0002.yaml", "yaml-syntax"),
            ("CM-2026-0003.yaml", "encoding"),
            ("CM-2026-0004.yaml", "schema"),
            ("CM-2026-0004.yaml", "no-consent"),
            ("CM-2026-0005.yaml", "no-consent"),
            ("CM-2026-0005.yaml", "date-order"),
        ],
        "{text}"
    );
    assert!(
        text.ends_with("checked 5 cases: 4 errors, 3 warnings\n"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn json_format_lists_the_same_diagnostics() {
    let dir = fixtures().join("rules/unknown-domain");
    let out = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "validate",
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v[0];
    assert_eq!(first["path"], "cases/2026/CM-2026-0001.yaml");
    assert_eq!(first["line"], 13);
    assert_eq!(first["column"], 36);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-domain");
    assert_eq!(first["help"], "did you mean `health`?");
    assert_eq!(v.as_array().unwrap().len(), 2);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn strict_counts_warnings_as_errors() {
    let dir = fixtures().join("rules/no-consent");
    let dir = dir.to_str().unwrap();
    assert_eq!(cm(&["-C", dir, "validate"]).status.code(), Some(0));
    assert_eq!(
        cm(&["-C", dir, "validate", "--strict"]).status.code(),
        Some(1)
    );
}

#[test]
fn validating_given_paths_checks_only_those() {
    let dir = fixtures().join("rules/duplicate-id");
    let out = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "validate",
        dir.join("cases/2026").to_str().unwrap(),
    ]);
    assert_eq!(stdout(&out), "checked 1 case: 0 errors, 0 warnings\n");
}

#[test]
fn bad_settings_stop_with_exit_2_and_the_line() {
    let tmp = workspace_from("no-consent");
    std::fs::write(
        tmp.path().join("cm.toml"),
        "[workspace]\nid_prefx = \"THR\"\n",
    )
    .unwrap();
    let out = validate(tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: cm.toml:2:1: unknown key `id_prefx` in [workspace]\n  help: did you mean `id_prefix`?\n"
    );
}

#[test]
fn a_missing_workspace_is_exit_2() {
    let out = cm(&["-C", "/nonexistent/cm-workspace", "validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: `/nonexistent/cm-workspace` is not a folder\n"
    );
}

#[test]
fn list_filters_and_formats() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases");
    let dir = dir.to_str().unwrap();
    let out = cm(&[
        "-C", dir, "list", "--closed", "--format", "csv", "--as-of", AS_OF,
    ]);
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,program,caseworker,risk,phase,opened,next_due")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 7);
    assert!(
        rows.iter()
            .all(|r| r.contains(",closed,") && r.ends_with(',')),
        "{text}"
    );

    let out = cm(&[
        "-C", dir, "list", "--phase", "intake", "--format", "json", "--as-of", AS_OF,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter()
            .all(|r| r["phase"] == "intake" && r["next_due"].is_string())
    );
    // Personal fields never reach machine-readable output.
    assert!(!stdout(&out).contains("name"));

    let bad = cm(&["-C", dir, "list", "--risk", "extreme"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn show_finds_a_case_and_init_never_overwrites() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases");
    let out = cm(&[
        "-C",
        dir.to_str().unwrap(),
        "show",
        "THR-2026-0004",
        "--as-of",
        AS_OF,
    ]);
    let text = stdout(&out);
    assert!(
        text.starts_with("THR-2026-0004  (cases/2026/THR-2026-0004.yaml)\n"),
        "{text}"
    );
    assert!(text.contains("phase       monitoring"), "{text}");
    let missing = cm(&["-C", dir.to_str().unwrap(), "show", "THR-2026-9999"]);
    assert_eq!(missing.status.code(), Some(2));

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("agency");
    let out = cm(&["init", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(root.join("cm.toml").is_file() && root.join("schemas/case.schema.json").is_file());
    assert_eq!(
        std::fs::read_to_string(root.join(".gitignore")).unwrap(),
        ".cm/\n.cm-*.tmp\n"
    );
    std::fs::write(root.join("cm.toml"), "[workspace]\nid_prefix = \"THR\"\n").unwrap();
    let again = stdout(&cm(&["init", root.to_str().unwrap()]));
    assert!(again.contains("kept existing cm.toml"), "{again}");
    assert_eq!(
        std::fs::read_to_string(root.join("cm.toml")).unwrap(),
        "[workspace]\nid_prefix = \"THR\"\n"
    );
    let check = validate(&root);
    assert_eq!(stdout(&check), "checked 0 cases: 0 errors, 0 warnings\n");
}

#[test]
fn sample_workspace_carries_the_built_in_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        std::fs::read_to_string(root.join("schemas/case.schema.json")).unwrap(),
        std::fs::read_to_string(root.join("sample-cases/schemas/case.schema.json")).unwrap(),
        "sample-cases/schemas/case.schema.json must be a copy of schemas/case.schema.json"
    );
}

#[test]
fn a_phase_requirement_points_at_the_phase() {
    let tmp = workspace_from("no-consent");
    let path = tmp.path().join("cases/2026/CM-2026-0001.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("phase: intake\n", "phase: planning\n")
        + "  - {date: 2026-03-09, phase: planning, by: s.ahmadi}\n";
    std::fs::write(&path, text).unwrap();
    let out = stdout(&validate(tmp.path()));
    assert!(
        out.contains("CM-2026-0001.yaml:6:8: error[schema]: a case in phase `planning` must have `assessment`\n"),
        "{out}"
    );
}
