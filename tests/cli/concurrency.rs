//! Edits at once are made one after the other (the workspace's edit lock): nothing reported as
//! written is lost, and `cm new` never hands out one number twice.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::{AS_OF, TODAY_VAR, sample_copy, stdout, validate};

/// Starts `cm ARGS` in the workspace at `dir`, without waiting for it.
fn start(dir: &Path, args: &[String]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cm"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .env(TODAY_VAR, AS_OF)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs two groups of 50 commands, all at once, and returns what each printed.
fn all_at_once(dir: &Path, args: impl Fn(usize) -> Vec<String>) -> Vec<String> {
    let children: Vec<Child> = (0..100).map(|i| start(dir, &args(i))).collect();
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            stdout(&out)
        })
        .collect()
}

#[test]
fn a_hundred_reviews_at_once_are_all_recorded() {
    let ws = sample_copy();
    let file = ws.path().join("cases/2025/THR-2025-0004.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    all_at_once(ws.path(), |i| {
        ["review", "THR-2025-0004", "--date", "2026-10-31"]
            .map(String::from)
            .into_iter()
            .chain([
                "--note".to_string(),
                format!("review number {i} of the day"),
            ])
            .collect()
    });
    let after = std::fs::read_to_string(&file).unwrap();
    for i in 0..100 {
        assert_eq!(
            after
                .matches(&format!("review number {i} of the day"))
                .count(),
            1,
            "review {i} is not in the file once"
        );
    }
    assert!(after.starts_with(&before[..before.find("reviews:").unwrap()]));
    assert_eq!(
        after.matches("2026-10-31").count(),
        100 + before.matches("2026-10-31").count()
    );
    let check = validate(ws.path());
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn a_hundred_new_cases_at_once_take_a_hundred_numbers() {
    let ws = sample_copy();
    let printed = all_at_once(ws.path(), |i| {
        [
            "new",
            "--program",
            "general",
            "--sex",
            "female",
            "--caseworker",
            "s.ahmadi",
            "--date",
            AS_OF,
            "--name",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!("مراجع شماره {i}")])
        .collect()
    });
    let paths: BTreeSet<&str> = printed.iter().map(|p| p.trim_end()).collect();
    assert_eq!(paths.len(), 100, "{printed:?}");
    for path in &paths {
        assert!(ws.path().join(path).is_file(), "{path}");
    }
    let check = validate(ws.path());
    let text = stdout(&check);
    assert_eq!(check.status.code(), Some(0), "{text}");
    assert!(text.contains("\nchecked 125 cases: 0 errors"), "{text}");
}
