//! `cm find`: a client found across spellings, or by a number in any digits, in the sample
//! office; the names found on the terminal's table only, never in CSV or JSON unless asked for.

use std::process::Output;

use super::{cm, sample_copy, stdout};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-cases");

fn find(args: &[&str]) -> Output {
    cm(&[&["-C", SAMPLE, "find"][..], args].concat())
}

/// The ids and what matched, of `cm find ARGS` as CSV.
fn found(args: &[&str]) -> Vec<String> {
    let out = find(&[args, &["--format", "csv"]].concat());
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    stdout(&out)
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            format!("{} {}", cells[0], cells[5])
        })
        .collect()
}

#[test]
fn a_client_is_found_in_any_spelling_of_her_name() {
    // The file writes مریم رضایی; Arabic yeh and hamza, Latin script, the words in another order.
    for query in [
        "مريم رضائي",
        "Maryam Rezaei",
        "Mariam Rezayi",
        "rezaei maryam",
    ] {
        assert_eq!(found(&[query]), ["THR-2025-0001 name"], "{query}");
    }
    // Written in Latin script, found in Persian.
    assert_eq!(found(&["فاطمه کریمی"]), ["THR-2025-0006 name"]);
    // Another Maryam is not this one.
    let out = find(&["Maryam Karimi"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty() || stdout(&out).lines().count() == 1);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: no case matches\n"
    );
}

#[test]
fn a_client_is_found_by_national_id_or_phone_in_any_digits() {
    assert_eq!(found(&["۰۰۳۲۲۳۳۰۷۸"]), ["THR-2026-0001 national_id"]);
    assert_eq!(found(&["003-223-3078"]), ["THR-2026-0001 national_id"]);
    assert_eq!(found(&["0912 663 4108"]), ["THR-2026-0001 phone"]);
    let out = find(&["1234"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 5 digits"));
}

#[test]
fn names_found_are_shown_in_a_table_and_in_csv_only_when_asked_for() {
    let table = stdout(&find(&["Maryam Rezaei", "--format", "table"]));
    assert!(table.contains("client.name"), "{table}");
    assert!(table.contains("مریم رضایی"), "{table}");
    let csv = stdout(&find(&["Maryam Rezaei", "--format", "csv"]));
    assert_eq!(
        csv,
        "id,program,phase,caseworker,opened,matched_by,score\nTHR-2025-0001,female-headed-household,assessment,s.ahmadi,2025-02-10,name,1.00\n"
    );
    let json = stdout(&find(&["0032233078", "--format", "json"]));
    assert!(!json.contains("Somayeh"), "{json}");
    let out = find(&["Maryam Rezaei", "--include", "client.name"]);
    assert!(stdout(&out).contains("مریم رضایی"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("personal data at your request"));
}

#[test]
fn the_ten_best_matches_are_shown_best_first_and_every_one_with_all() {
    let tmp = sample_copy();
    let dir = tmp.path().to_str().unwrap();
    // Twelve more Maryams: with the sample's Maryam Rezaei, thirteen.
    for surname in [
        "Ahmadi", "Bagheri", "Ghasemi", "Hashemi", "Jafari", "Kazemi", "Moradi", "Nazari",
        "Rostami", "Sadeghi", "Salehi", "Rezaie",
    ] {
        let name = format!("Maryam {surname}");
        let out = cm(&[
            "-C",
            dir,
            "new",
            "--program",
            "general",
            "--name",
            &name,
            "--sex",
            "female",
            "--caseworker",
            "s.ahmadi",
            "--date",
            "2026-10-01",
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = cm(&["-C", dir, "find", "مریم رضایی", "--format", "csv"]);
    let rows: Vec<String> = stdout(&out).lines().skip(1).map(str::to_string).collect();
    // The whole name first, its other spelling next, then the other Maryams.
    assert!(rows[0].starts_with("THR-2025-0001,"), "{rows:?}");
    assert!(rows[1].starts_with("THR-2026-"), "{rows:?}");
    assert!(rows[1].ends_with(",name,1.00"), "{rows:?}");
    let out = cm(&["-C", dir, "find", "Maryam", "--format", "csv"]);
    assert_eq!(stdout(&out).lines().count(), 1 + 10);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: 3 more case(s) match; --all shows them\n"
    );
    let out = cm(&["-C", dir, "find", "Maryam", "--all", "--format", "csv"]);
    assert_eq!(stdout(&out).lines().count(), 1 + 13);
    assert!(out.stderr.is_empty());
}

#[test]
fn a_field_included_twice_is_one_column() {
    let out = find(&[
        "Maryam",
        "Rezaei",
        "--format",
        "csv",
        "--include",
        "client.name",
        "--include",
        "client.name",
    ]);
    assert_eq!(
        stdout(&out).lines().next(),
        Some("id,program,phase,caseworker,opened,matched_by,score,client.name")
    );
}
