//! `cm link`: the cases of two relatives linked both ways, in one household if asked, both files
//! or neither; `cm validate` holds every link to its mirror.

use std::path::Path;
use std::process::Output;

use super::{cm, sample_copy, stdout};

fn run(ws: &Path, args: &[&str]) -> Output {
    cm(&[&["-C", ws.to_str().unwrap()][..], args].concat())
}

fn read(ws: &Path, id: &str) -> String {
    std::fs::read_to_string(ws.join(format!("cases/2026/{id}.yaml"))).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn two_relatives_are_linked_both_ways_in_one_household() {
    let ws = sample_copy();
    let ws = ws.path();
    let (mother, daughter) = (read(ws, "THR-2026-0004"), read(ws, "THR-2026-0005"));
    let link = [
        "link",
        "THR-2026-0005",
        "THR-2026-0004",
        "--relation",
        "mother",
        "--same-household",
    ];

    let dry = run(ws, &[&link[..], &["--dry-run"]].concat());
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    assert_eq!(read(ws, "THR-2026-0004"), mother, "--dry-run wrote");
    assert_eq!(read(ws, "THR-2026-0005"), daughter, "--dry-run wrote");

    let out = run(ws, &link);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "THR-2026-0005: in the household HH-THR-2026-0005, linked to THR-2026-0004 as `mother`\n\
         THR-2026-0004: in the household HH-THR-2026-0005, linked to THR-2026-0005 as `child`\n"
    );
    // Each file gains its lines, after the client, and nothing else changes.
    let added = "household: HH-THR-2026-0005\nlinks:\n  - {case: THR-2026-0004, relation: mother}\nconsent:";
    assert_eq!(
        read(ws, "THR-2026-0005"),
        daughter.replacen("consent:", added, 1)
    );
    let added =
        "household: HH-THR-2026-0005\nlinks:\n  - {case: THR-2026-0005, relation: child}\nconsent:";
    assert_eq!(
        read(ws, "THR-2026-0004"),
        mother.replacen("consent:", added, 1)
    );
    let valid = run(ws, &["validate", "--as-of", "2026-11-01"]);
    assert!(
        stdout(&valid).ends_with(": 0 errors, 0 warnings\n"),
        "{}",
        stdout(&valid)
    );

    // Each case shows the other, with its phase on the day of the card.
    let show = run(ws, &["show", "THR-2026-0004"]);
    assert!(
        stdout(&show).contains(
            "household   HH-THR-2026-0005\nrelatives\n  THR-2026-0005  child      monitoring\n"
        ),
        "{}",
        stdout(&show)
    );
    let before = run(ws, &["show", "THR-2026-0004", "--as-of", "2026-03-01"]);
    assert!(
        stdout(&before).contains("relatives\n  THR-2026-0005  child      -\n"),
        "{}",
        stdout(&before)
    );

    // Linked again, or the other way with a relation that is not the mirror: refused.
    let again = run(ws, &link);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        stderr(&again),
        "cm: error: THR-2026-0005 and THR-2026-0004 are linked already, as `mother` and `child`\n"
    );
    let wrong = run(
        ws,
        &[
            "link",
            "THR-2026-0004",
            "THR-2026-0005",
            "--relation",
            "sibling",
        ],
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("THR-2026-0004 links THR-2026-0005 as `child` already"));
}

#[test]
fn a_link_without_its_mirror_is_an_error_that_linking_again_mends() {
    let ws = sample_copy();
    let ws = ws.path();
    // Written by hand in one case only.
    let path = ws.join("cases/2026/THR-2026-0005.yaml");
    let text = read(ws, "THR-2026-0005").replacen(
        "consent:",
        "links:\n  - {case: THR-2026-0004, relation: mother}\nconsent:",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let valid = run(ws, &["validate", "--as-of", "2026-11-01"]);
    assert_eq!(valid.status.code(), Some(1));
    assert!(
        stdout(&valid).contains(
            "cases/2026/THR-2026-0005.yaml:18:12: error[link]: THR-2026-0004 has no link back to this case\n  \
             help: `cm link THR-2026-0005 THR-2026-0004 --relation mother` writes the link in both cases\n"
        ),
        "{}",
        stdout(&valid)
    );
    let out = run(
        ws,
        &[
            "link",
            "THR-2026-0005",
            "THR-2026-0004",
            "--relation",
            "mother",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Only the missing half is written: one object, for one file.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["path"], "cases/2026/THR-2026-0004.yaml", "{json}");
    assert_eq!(json["written"], true);
    let valid = run(ws, &["validate", "--as-of", "2026-11-01"]);
    assert_eq!(valid.status.code(), Some(0), "{}", stdout(&valid));
}

#[test]
fn a_link_to_itself_or_to_no_case_is_refused_and_nothing_written() {
    let ws = sample_copy();
    let ws = ws.path();
    let before = read(ws, "THR-2026-0005");
    for (args, message) in [
        (
            &[
                "link",
                "THR-2026-0005",
                "THR-2026-0005",
                "--relation",
                "sibling",
            ][..],
            "cm: error: a case is not linked to itself\n",
        ),
        (
            &[
                "link",
                "THR-2026-0005",
                "THR-2026-0999",
                "--relation",
                "sibling",
            ][..],
            "cm: error: no case with id `THR-2026-0999` in this workspace\n",
        ),
    ] {
        let out = run(ws, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).starts_with(message), "{}", stderr(&out));
        assert_eq!(read(ws, "THR-2026-0005"), before);
    }
}

/// A new household is not named as another's; a mother recorded as a man, or a half link with
/// another relation than the mirror, is refused.
#[test]
fn households_and_relations_are_not_taken_for_others() {
    let ws = sample_copy();
    let ws = ws.path();
    // Some case's household is named HH-THR-2026-0009 already.
    let path = ws.join("cases/2026/THR-2026-0001.yaml");
    let text =
        read(ws, "THR-2026-0001").replacen("consent:", "household: HH-THR-2026-0009\nconsent:", 1);
    std::fs::write(&path, text).unwrap();
    let out = run(
        ws,
        &[
            "link",
            "THR-2026-0009",
            "THR-2026-0002",
            "--relation",
            "sibling",
            "--same-household",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(read(ws, "THR-2026-0009").contains("household: HH-THR-2026-0009-2\n"));

    // THR-2026-0004's client is a woman.
    let father = run(
        ws,
        &[
            "link",
            "THR-2026-0007",
            "THR-2026-0004",
            "--relation",
            "father",
        ],
    );
    assert_eq!(father.status.code(), Some(2));
    assert_eq!(
        stderr(&father),
        "cm: error: the client of THR-2026-0004 is recorded as female, so is not a father\n"
    );
    // A half written by hand with a relation that is not the mirror for this client's sex.
    let path = ws.join("cases/2026/THR-2026-0004.yaml");
    let text = read(ws, "THR-2026-0004").replacen(
        "consent:",
        "links: [{case: THR-2026-0007, relation: mother}]\nconsent:",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let child = run(
        ws,
        &[
            "link",
            "THR-2026-0007",
            "THR-2026-0004",
            "--relation",
            "child",
        ],
    );
    assert_eq!(child.status.code(), Some(2), "{}", stderr(&child));
    assert!(stderr(&child).contains("THR-2026-0004 links THR-2026-0007 as `mother` already"));
}

/// A link written as text is a link of the wrong shape, not a personal value: said so, and still
/// not quoted.
#[test]
fn a_link_of_the_wrong_shape_is_named_as_such() {
    let ws = sample_copy();
    let path = ws.path().join("cases/2026/THR-2026-0005.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("\nhistory:", "\nlinks: [THR-2026-0002]\nhistory:", 1),
    )
    .unwrap();
    let out = run(ws.path(), &["validate", "--as-of", "2026-11-01"]);
    let said = stdout(&out);
    assert!(
        said.contains("error[schema]: links[0] must be a mapping (key: value lines), found a value that is not shown\n"),
        "{said}"
    );
    assert!(!said.contains("THR-2026-0002"), "{said}");
}
