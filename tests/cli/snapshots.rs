//! Snapshots of what users see: each `tests/snapshots/NAME.toml` is one run of `cm` (its
//! arguments, its folder, its environment), and `NAME.stdout` and `NAME.stderr` beside it are
//! exactly what it must print; its exit status is `status.code` in the `.toml`, success
//! when there is none. A change of output is then a diff of these files in review.
//!
//! Every case runs with `CM_TODAY=2026-11-01` and `NO_COLOR=1`, in the sample workspace (or a
//! reproducer under tests/fixtures/rules/) named by a path relative to the case file.
//!
//! After a deliberate change of output, re-bless the snapshots and read the diff before
//! committing:
//!
//! ```sh
//! TRYCMD=overwrite cargo test --test cli snapshots
//! ```
//!
//! A new case is a new `.toml` with an empty `.stdout` and `.stderr` beside it, filled by the
//! same command: trycmd compares only the streams that have a file, so the test insists on both.

use std::path::Path;

#[test]
fn what_users_see_matches_the_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            cases += 1;
            for stream in ["stdout", "stderr"] {
                assert!(
                    path.with_extension(stream).is_file(),
                    "{} has no .{stream} beside it: create it empty and re-bless",
                    path.display()
                );
            }
        }
    }
    assert!(cases > 0, "no case in {}", dir.display());
    trycmd::TestCases::new()
        .register_bin("cm", Path::new(env!("CARGO_BIN_EXE_cm")))
        .case("tests/snapshots/*.toml");
}
