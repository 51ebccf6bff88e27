//! No reader computes from an invalid case: every listing, report, `cm show` and the export
//! leave it out and name it with its first error on standard error; `--strict` makes that an
//! exit status, and the summary counts it.

use std::path::Path;

use super::{AS_OF, cm, sample_copy, stdout};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from}");
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn an_invalid_case_is_left_out_of_every_reader_and_named() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    // A Solar Hijri date typed where a Gregorian one belongs: a day long before the opening.
    replace(
        &ws.path().join("cases/2026/THR-2026-0008.yaml"),
        "referred: 2026-08-18",
        "referred: 1405-05-27",
    );
    // A formula where a roster id belongs: it must never reach a spreadsheet.
    replace(
        &ws.path().join("cases/2026/THR-2026-0005.yaml"),
        "caseworker: n.moradi",
        "caseworker: \"=HYPERLINK(\\\"http://example.org\\\",\\\"n.moradi\\\")\"",
    );
    let warning = "cm: warning: left out cases/2026/THR-2026-0005.yaml:5:13: error[schema]: \
                   caseworker must be";
    let second = "cm: warning: left out cases/2026/THR-2026-0008.yaml:84:15: \
                  error[date-implausible]: services[2].referred is `1405-05-27`, which looks like \
                  a Solar Hijri date; files keep Gregorian dates";
    let counted = "cm: warning: 2 case file(s) with errors left out; run `cm validate`\n";
    let readers: &[&[&str]] = &[
        &["list", "--format", "csv"],
        &["overdue", "--as-of", AS_OF, "--format", "csv"],
        &["report", "outcomes", "--format", "csv", "--bom"],
        &["report", "caseload", "--format", "csv"],
        &["report", "summary", "--month", "2026-10", "--format", "csv"],
        &["report", "referrals", "--format", "csv"],
        &["report", "indicators", "--format", "csv"],
        &["export", "--redact", "--to", "behzisti"],
    ];
    for args in readers {
        let mut full = vec!["-C", dir];
        full.extend(*args);
        let o = cm(&full);
        let err = stderr(&o);
        assert!(
            err.contains(warning) && err.contains(second),
            "{args:?}: {err}"
        );
        assert!(err.contains(counted), "{args:?}: {err}");
        let out = stdout(&o);
        assert!(
            !out.contains("HYPERLINK") && !out.contains("1405-05-27"),
            "{args:?}: {out}"
        );
        assert!(
            !out.contains("THR-2026-0008,") && !out.contains("THR-2026-0005,"),
            "{out}"
        );
        // The export's partner must be told; a listing only when asked with --strict.
        let expected = if args[0] == "export" { 1 } else { 0 };
        assert_eq!(o.status.code(), Some(expected), "{args:?}");
        if args[0] != "export" {
            full.push("--strict");
            assert_eq!(cm(&full).status.code(), Some(1), "{args:?} --strict");
        }
    }
    let summary = cm(&["-C", dir, "report", "summary", "--month", "2026-10"]);
    assert!(stdout(&summary).ends_with("cases_left_out_invalid,2\n"));
    // The 226889 days overdue of a date read wrongly are not listed.
    let overdue = stdout(&cm(&["-C", dir, "overdue", "--as-of", AS_OF]));
    assert!(!overdue.contains("THR-2026-0008"), "{overdue}");

    let o = cm(&["-C", dir, "show", "THR-2026-0008"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).starts_with(
            "cm: error: cases/2026/THR-2026-0008.yaml:84:15: error[date-implausible]: \
             services[2].referred is `1405-05-27`, which looks like a Solar Hijri date; files keep \
             Gregorian dates\n"
        ),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).ends_with("\n  the case has errors, so it is not read; run `cm validate`\n")
    );
}

/// Two files with one id: `cm validate` reports the second, and the readers leave it out, so
/// that no case is counted twice.
#[test]
fn a_second_file_with_the_same_id_is_left_out() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    let moved = ws.path().join("cases/2027/THR-2026-0004.yaml");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::copy(ws.path().join("cases/2026/THR-2026-0004.yaml"), &moved).unwrap();
    let validate = stdout(&cm(&["-C", dir, "validate", "--as-of", AS_OF]));
    let error = "cases/2027/THR-2026-0004.yaml:2:5: error[duplicate-id]: id `THR-2026-0004` is \
                 also used by cases/2026/THR-2026-0004.yaml";
    assert!(validate.contains(error), "{validate}");
    let o = cm(&["-C", dir, "list", "--format", "csv"]);
    assert_eq!(stdout(&o).matches("THR-2026-0004,").count(), 1);
    assert!(
        stderr(&o).contains(&format!("cm: warning: left out {error}\n")),
        "{}",
        stderr(&o)
    );
}

/// The same rule in the export and `cm show`, and when the first of the two files is itself
/// invalid (`cm validate` still counts its id).
#[test]
fn every_reader_leaves_out_the_second_file_of_an_id() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    // A copy in an earlier folder: the file at the usual place is now the second.
    let usual = ws.path().join("cases/2026/THR-2026-0003.yaml");
    let copy = ws.path().join("cases/2025/THR-2026-0003.yaml");
    std::fs::copy(&usual, &copy).unwrap();
    let validate = stdout(&cm(&["-C", dir, "validate", "--as-of", AS_OF]));
    assert!(
        validate.contains("cases/2026/THR-2026-0003.yaml:2:5: error[duplicate-id]"),
        "{validate}"
    );
    let o = cm(&["-C", dir, "show", "THR-2026-0003"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(
            "cm: error: cases/2026/THR-2026-0003.yaml:2:5: error[duplicate-id]: id \
             `THR-2026-0003` is also used by cases/2025/THR-2026-0003.yaml"
        ),
        "{}",
        stderr(&o)
    );
    let o = cm(&["-C", dir, "export", "--redact", "--to", "behzisti"]);
    assert_eq!(o.status.code(), Some(1));
    let once = stdout(&cm(&["-C", dir, "export", "--redact", "--to", "behzisti"]));
    std::fs::remove_file(&copy).unwrap();
    let alone = stdout(&cm(&["-C", dir, "export", "--redact", "--to", "behzisti"]));
    assert_eq!(
        once.lines().count(),
        alone.lines().count(),
        "a case exported twice"
    );

    // The first file invalid, the second valid: the second is still the duplicate.
    let text = std::fs::read_to_string(&usual).unwrap();
    std::fs::write(&copy, text.replacen("risk: medium", "risk: BAD", 1)).unwrap();
    let o = cm(&["-C", dir, "list", "--format", "csv"]);
    assert!(!stdout(&o).contains("THR-2026-0003,"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("left out cases/2026/THR-2026-0003.yaml:2:5: error[duplicate-id]"),
        "{}",
        stderr(&o)
    );
}

/// A score written `4.0` is a whole number to the schema (`integer`), so it is one to the readers
/// too: never dropped from a case that passes `cm validate`.
#[test]
fn a_score_written_with_a_point_zero_counts() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    replace(
        &ws.path().join("cases/2026/THR-2026-0004.yaml"),
        "    domains: {employment: 3}",
        "    domains: {employment: 4.0}",
    );
    let check = cm(&["-C", dir, "validate", "--as-of", AS_OF]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let shown = stdout(&cm(&["-C", dir, "show", "THR-2026-0004"]));
    assert!(shown.contains("  employment         2 → 4\n"), "{shown}");
}

/// A date no case can have — a Solar Hijri birth date read as Gregorian, the year 0000 — is an
/// error, so no reader computes from it: `cm show` gives no age of 664 and the listings no item
/// due in the year 0000; the birth date, being personal, is not shown in the refusal either.
#[test]
fn no_reader_computes_from_an_implausible_date() {
    let ws = sample_copy();
    let dir = ws.path().to_str().unwrap();
    replace(
        &ws.path().join("cases/2026/THR-2026-0001.yaml"),
        "birth_date: 1990-12-03",
        "birth_date: 1362-04-15",
    );
    replace(
        &ws.path().join("cases/2026/THR-2026-0015.yaml"),
        "opened: 2026-10-06",
        "opened: 0000-01-01",
    );
    let validate = stdout(&cm(&["-C", dir, "validate", "--as-of", AS_OF]));
    assert!(
        validate.contains(
            "cases/2026/THR-2026-0001.yaml:11:15: error[date-implausible]: client.birth_date \
             looks like a Solar Hijri date (a year before 1900); files keep Gregorian dates\n"
        ),
        "{validate}"
    );
    assert!(
        validate.contains(
            "cases/2026/THR-2026-0015.yaml:4:9: error[date-implausible]: opened is `0000-01-01`, \
             a date before 1900\n"
        ),
        "{validate}"
    );
    assert!(!validate.contains("1362") && !validate.contains("1983-07-06"));

    let show = cm(&["-C", dir, "show", "THR-2026-0001"]);
    assert_eq!(show.status.code(), Some(1));
    assert_eq!(stdout(&show), "");
    let refused = stderr(&show);
    assert!(
        refused.starts_with(
            "cm: error: cases/2026/THR-2026-0001.yaml:11:15: error[date-implausible]: \
             client.birth_date looks like a Solar Hijri date"
        ),
        "{refused}"
    );
    assert!(
        !refused.contains("1362") && !refused.contains("1983"),
        "{refused}"
    );

    for args in [
        &["list", "--format", "csv"][..],
        &["overdue", "--as-of", AS_OF, "--format", "csv"],
        &["report", "outcomes", "--format", "csv"],
    ] {
        let mut full = vec!["-C", dir];
        full.extend(args);
        let o = cm(&full);
        let (out, err) = (stdout(&o), stderr(&o));
        assert!(
            !out.contains("THR-2026-0015") && !out.contains("THR-2026-0001,"),
            "{args:?}: {out}"
        );
        assert!(
            !out.contains("0000-") && !out.contains(",664"),
            "{args:?}: {out}"
        );
        assert!(
            err.contains(
                "cm: warning: left out cases/2026/THR-2026-0015.yaml:4:9: error[date-implausible]"
            ) && err.contains("cm: warning: 2 case file(s) with errors left out"),
            "{args:?}: {err}"
        );
    }
}
