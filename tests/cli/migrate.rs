//! `cm migrate` on a workspace of the format before services had updates: the sample office with
//! every update taken out. Migrated, it validates clean, and taking the updates out again gives
//! back exactly the file it was: migrate added the updates and changed nothing else.

use std::path::Path;

use super::{cm, sample_copy, stdout};

/// `text` without its services' updates: a block `updates:` with the lines indented under it,
/// and a flow `, updates: […]` inside a service written `{…}`.
fn without_updates(text: &str) -> String {
    let mut out = String::new();
    let mut under: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if let Some(n) = under {
            if indent > n && !line.trim().is_empty() {
                continue;
            }
            under = None;
        }
        if line.trim() == "updates:" {
            under = Some(indent);
            continue;
        }
        match line.find(", updates: [") {
            Some(at) => {
                let end = at + line[at..].find(']').expect("a flow list ends") + 1;
                out.push_str(&line[..at]);
                out.push_str(&line[end..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

fn case_files(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(root.join("cases"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

#[test]
fn migrate_brings_the_old_format_back_to_valid_adding_only_updates() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let mut old = Vec::new();
    for path in case_files(ws.path()) {
        let text = std::fs::read_to_string(&path).unwrap();
        let stripped = without_updates(&text);
        std::fs::write(&path, &stripped).unwrap();
        old.push((path, stripped));
    }
    let o = cm(&["-C", dir, "validate"]);
    assert_eq!(o.status.code(), Some(1), "the old format needs migrating");
    assert!(
        stdout(&o).contains("error[service-unrecorded]"),
        "{}",
        stdout(&o)
    );

    let o = cm(&["-C", dir, "migrate"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains(" 0 refused\n"), "{}", stdout(&o));
    let o = cm(&["-C", dir, "validate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).ends_with("0 errors, 0 warnings\n"),
        "{}",
        stdout(&o)
    );

    let mut changed = 0;
    for (path, before) in old {
        let after = std::fs::read_to_string(&path).unwrap();
        changed += usize::from(after != before);
        assert_eq!(without_updates(&after), before, "{}", path.display());
    }
    assert!(changed > 10, "only {changed} files migrated");
}
