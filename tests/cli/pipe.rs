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
