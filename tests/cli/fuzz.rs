//! The fuzz targets' properties, kept by `cargo test` on stable Rust: every seed of the corpus
//! and every input that once broke `cm` (fuzz/regressions/<target>/) goes through the same
//! functions the fuzz targets call.

#[path = "../../fuzz/src/lib.rs"]
pub mod oracle;

use std::path::Path;

/// The files of fuzz/seeds/<target>/ and fuzz/regressions/<target>/.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut inputs = Vec::new();
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            inputs.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    inputs.sort();
    inputs
}

/// Runs `check` on every input of `target`, naming the input that fails.
fn replay(target: &str, check: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no seeds for `{target}`");
    for (name, data) in inputs {
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data))).is_err() {
            panic!("{name} breaks the `{target}` property; see the message above");
        }
    }
}

#[test]
fn load_seeds_and_regressions() {
    replay("load", |data| oracle::load_and_check(oracle::desk(), data));
}

#[test]
fn edit_seeds_and_regressions() {
    replay("edit", |data| {
        oracle::edit(oracle::desk(), data);
    });
}

#[test]
fn text_seeds_and_regressions() {
    replay("text", oracle::text);
}

/// The edit property is not vacuous: some seeds are accepted edits, checked to the byte.
#[test]
fn some_edit_seeds_are_accepted() {
    let accepted = inputs("edit")
        .iter()
        .filter(|(_, data)| oracle::edit(oracle::desk(), data))
        .count();
    assert!(
        accepted >= 10,
        "only {accepted} seeds make an accepted edit"
    );
}
