//! A reader that stops early (`cm list | head -1`) is not an error: `cm` exits 0 and says
//! nothing, whatever the format and however large the output, so that `set -o pipefail`
//! scripts keep working.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use super::{AS_OF, TODAY_VAR};

/// Writes `n` valid cases, copies of one sample intake case under new ids.
fn many_cases(root: &Path, n: usize) {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases");
    std::fs::copy(samples.join("cm.toml"), root.join("cm.toml")).unwrap();
    let template = std::fs::read_to_string(samples.join("cases/2026/THR-2026-0017.yaml")).unwrap();
    let dir = root.join("cases/2026");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 1..=n {
        let id = format!("BIG-2026-{i:05}");
        std::fs::write(
            dir.join(format!("{id}.yaml")),
            template.replace("THR-2026-0017", &id),
        )
        .unwrap();
    }
}

/// Runs `cm ARGS`, reads the first line of its output, closes the pipe, and returns the exit
/// status and what it said on standard error.
fn first_line_only(root: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cm"))
        .arg("-C")
        .arg(root)
        .args(args)
        .env(TODAY_VAR, AS_OF)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // The reader is gone: the rest of the output meets a closed pipe.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code(), line, stderr)
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    many_cases(tmp.path(), 20_000);
    let commands: &[&[&str]] = &[
        &["list"],
        &["overdue", "--within", "3650"],
        &["report", "outcomes"],
        &["report", "caseload"],
        &["report", "referrals"],
    ];
    for command in commands {
        for format in ["csv", "json", "table"] {
            let mut args = command.to_vec();
            args.extend(["--format", format]);
            let (status, line, stderr) = first_line_only(tmp.path(), &args);
            assert!(!line.is_empty(), "cm {args:?} printed nothing");
            assert_eq!(status, Some(0), "cm {args:?}: {stderr}");
            assert_eq!(stderr, "", "cm {args:?}");
        }
    }
}

/// Standard error closed too (its reader gone): `cm` does not panic over the warnings it cannot
/// give; and a case left out under `--strict` is still exit status 1 when nobody read the rest.
#[test]
fn closed_pipes_change_no_exit_status() {
    let ws = super::sample_copy();
    let run = |args: &[&str], close_stdout: bool| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cm"))
            .arg("-C")
            .arg(ws.path())
            .args(args)
            .env(TODAY_VAR, AS_OF)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stderr.take());
        if close_stdout {
            drop(child.stdout.take());
        } else {
            let mut out = String::new();
            child
                .stdout
                .take()
                .unwrap()
                .read_to_string(&mut out)
                .unwrap();
        }
        child.wait().unwrap().code()
    };
    assert_eq!(run(&["list", "--include", "client.name"], false), Some(0));
    assert_eq!(
        run(
            &[
                "new",
                "--program",
                "general",
                "--name",
                "X",
                "--sex",
                "male"
            ],
            false
        ),
        Some(2)
    );
    assert_eq!(
        run(&["export", "--redact", "--to", "behzisti"], false),
        Some(0)
    );
    let case = ws.path().join("cases/2026/THR-2026-0005.yaml");
    let text = std::fs::read_to_string(&case).unwrap();
    std::fs::write(&case, text.replacen("risk: low", "risk: mid", 1)).unwrap();
    for args in [
        &["list", "--strict"][..],
        &["report", "outcomes", "--strict"],
        &["export", "--redact", "--to", "behzisti"],
    ] {
        assert_eq!(run(args, true), Some(1), "{args:?}");
    }
}

/// Runs `cm ARGS` with `env` set (and neither `NO_COLOR` nor `CLICOLOR_FORCE` unless given),
/// its output piped.
fn piped(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cm"));
    command
        .args(args)
        .env(TODAY_VAR, AS_OF)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

/// Colour on standard output only when asked for (`--color always`, `CLICOLOR_FORCE`), never
/// by default into a pipe, never with `NO_COLOR` or `--color never`.
#[test]
fn colour_only_when_wanted() {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/date-order");
    let ws = ws.to_str().unwrap();
    let validate = |extra: &[&str], env: &[(&str, &str)]| {
        let args = [&["-C", ws, "validate"][..], extra].concat();
        String::from_utf8(piped(&args, env).stdout).unwrap()
    };
    let red = "\u{1b}[1m\u{1b}[31merror[date-order]\u{1b}[0m";
    assert!(!validate(&[], &[]).contains('\u{1b}'));
    assert!(validate(&["--color", "always"], &[]).contains(red));
    assert!(validate(&[], &[("CLICOLOR_FORCE", "1")]).contains(red));
    assert!(!validate(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'));
    assert!(!validate(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
}

/// Data is written as it is: a control character in a value reaches piped CSV unchanged (the
/// colour choice never filters standard output), and a terminal is what sees it escaped.
#[test]
fn piped_csv_keeps_a_value_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    super::copy_samples(tmp.path());
    let file = tmp.path().join("cases/2026/THR-2026-0004.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let name = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("name: "))
        .unwrap()
        .to_string();
    let marked = format!("\"{name}\\e[31m\\a\"");
    std::fs::write(
        &file,
        text.replacen(&format!("name: {name}"), &format!("name: {marked}"), 1),
    )
    .unwrap();
    let root = tmp.path().to_str().unwrap();
    let args = [
        "-C",
        root,
        "list",
        "--include",
        "client.name",
        "--format",
        "csv",
    ];
    let csv = String::from_utf8(piped(&args, &[]).stdout).unwrap();
    assert!(csv.contains(&format!("{name}\u{1b}[31m\u{7}")), "{csv:?}");
}
