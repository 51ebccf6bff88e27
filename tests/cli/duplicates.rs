//! Clients known twice: `cm new` refuses a client who may be known already (the same national
//! id in any digits, or the name in any spelling with the same sex and birth), naming the cases
//! and never the client; `--not-duplicate-of` opens it all the same and records why.

use std::path::Path;
use std::process::Output;

use super::{cm, sample_copy, stdout};

fn new(ws: &Path, args: &[&str]) -> Output {
    let base = [
        "-C",
        ws.to_str().unwrap(),
        "new",
        "--program",
        "disability",
        "--sex",
        "female",
        "--caseworker",
        "a.karimi",
    ];
    cm(&[&base[..], args].concat())
}

fn case_files(ws: &Path) -> usize {
    walk(&ws.join("cases"))
}

fn walk(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            if path.is_dir() { walk(&path) } else { 1 }
        })
        .sum()
}

/// The sample's closed case THR-2026-0003 is of Leila Mousavi, born 1992-04-07, national id
/// 0041819098.
#[test]
fn a_returning_client_is_refused_with_the_case_to_reopen() {
    let ws = sample_copy();
    let before = case_files(ws.path());
    for args in [
        // Her name in Persian with Arabic letters, and her birth date.
        &["--name", "ليلا موسوي", "--birth-date", "1992-04-07"][..],
        // Only the year of her birth.
        &["--name", "Leyla Musavi", "--birth-year", "1992"][..],
        // Another name, but her national id in Persian digits.
        &["--name", "L. M.", "--national-id", "۰۰۴۱۸۱۹۰۹۸"][..],
    ] {
        let out = new(ws.path(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.starts_with(
                "cm: error: cannot open the case: the client may be known here already; \
                 nothing was changed:\n"
            ),
            "{err}"
        );
        assert!(
            err.contains("the closed case cases/2026/THR-2026-0003.yaml"),
            "{err}"
        );
        assert!(err.contains("`cm reopen THR-2026-0003`"), "{err}");
        assert!(err.contains("`--not-duplicate-of THR-2026-0003`"), "{err}");
        // The client is named by the case, never by her name, birth or national id.
        for value in ["Leila", "Mousavi", "1992", "0041819098", "۰۰۴۱۸۱۹۰۹۸"] {
            assert!(!err.contains(value), "{value} in {err}");
        }
        assert_eq!(case_files(ws.path()), before, "{args:?} wrote a file");
    }
    // Another woman of that name, born another day, is not refused.
    let out = new(
        ws.path(),
        &["--name", "Leila Mousavi", "--birth-date", "1992-04-08"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_client_confirmed_as_another_person_is_opened_and_not_reported_again() {
    let ws = sample_copy();
    let out = new(
        ws.path(),
        &[
            "--name",
            "ليلا موسوي",
            "--birth-date",
            "1992-04-07",
            "--household",
            "HH-THR-0099",
            "--not-duplicate-of",
            "THR-2026-0003",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = stdout(&out).lines().next().unwrap().to_string();
    let text = std::fs::read_to_string(ws.path().join(&path)).unwrap();
    assert!(
        text.contains("  birth_date: 1992-04-07\nhousehold: HH-THR-0099\nnot_duplicate_of:\n  - THR-2026-0003\n"),
        "{text}"
    );
    let report = cm(&[
        "-C",
        ws.path().to_str().unwrap(),
        "report",
        "duplicates",
        "--format",
        "csv",
    ]);
    assert_eq!(
        stdout(&report),
        "case,program,phase,other,other_program,other_phase,matched_by,score\n"
    );
    let validate = cm(&[
        "-C",
        ws.path().to_str().unwrap(),
        "validate",
        "--as-of",
        "2026-11-01",
    ]);
    assert!(
        !stdout(&validate).contains("duplicate"),
        "{}",
        stdout(&validate)
    );
}

/// A case with an error elsewhere (a service dated before the case) is still compared: the
/// client is not opened twice because of it.
#[test]
fn a_case_with_an_unrelated_error_still_counts() {
    let ws = sample_copy();
    let path = ws.path().join("cases/2026/THR-2026-0003.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("referred: 2026-03-05", "referred: 2025-03-05", 1),
    )
    .unwrap();
    let out = new(
        ws.path(),
        &["--name", "Leila Mousavi", "--birth-date", "1992-04-07"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the closed case cases/2026/THR-2026-0003.yaml"),
        "{err}"
    );
}

#[test]
fn a_case_named_as_another_persons_must_be_one() {
    let ws = sample_copy();
    let before = case_files(ws.path());
    let out = new(
        ws.path(),
        &[
            "--name",
            "Zed Unique",
            "--not-duplicate-of",
            "THR-2026-9999",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: no case with id `THR-2026-9999` in this workspace\n  help: did you mean `THR-2026-0009`?\n"
    );
    assert_eq!(case_files(ws.path()), before);
}
