//! `cm import`: the map of a spreadsheet's columns, from a CSV file and from a workbook made
//! here.

use super::{cm, stdout};

#[test]
fn a_workbooks_template_maps_its_headers_and_names_its_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Notes").unwrap();
    let sheet = book.add_worksheet().set_name("Tehran").unwrap();
    for (col, header) in ["Name", "Sex", "National ID", "Opened"].iter().enumerate() {
        sheet.write(0, col as u16, *header).unwrap();
    }
    sheet.write(1, 0, "Maryam Rezaei").unwrap();
    sheet.write(1, 1, "F").unwrap();
    book.save(dir.path().join("clients.xlsx")).unwrap();

    let dir_arg = dir.path().to_str().unwrap();
    let out = cm(&[
        "-C",
        dir_arg,
        "import",
        "--template",
        "clients.xlsx",
        "--sheet",
        "Tehran",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let map = stdout(&out);
    assert!(
        map.starts_with("# The map of clients.xlsx, sheet Tehran for `cm import`"),
        "{map}"
    );
    assert!(map.contains("#   C  \"National ID\"\n"), "{map}");
    assert!(
        map.contains("[fields.\"client.national_id\"]\ncolumn = \"National ID\"\n"),
        "{map}"
    );
    assert!(
        map.contains("[fields.\"opened\"]\ncolumn = \"Opened\"\n"),
        "{map}"
    );
    assert!(map.contains("# values = { \"F\" = \"…\" }\n"), "{map}");
    assert!(!map.contains("Maryam"), "{map}");

    let out = cm(&[
        "-C",
        dir_arg,
        "import",
        "--template",
        "clients.xlsx",
        "--sheet",
        "Isfahan",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "cm: error: clients.xlsx: has no sheet `Isfahan`; its sheets are `Notes`, `Tehran`\n"
    );
}

/// A copy of the sample office with the spreadsheet `office.csv` of tests/fixtures/import and
/// its map: three clients, the third the sample's Leila Mousavi (THR-2026-0003) with her
/// national id's leading zeros lost; Solar Hijri dates, Persian digits, tables of values.
fn office() -> tempfile::TempDir {
    let ws = super::sample_copy();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    for file in ["office.csv", "map.toml"] {
        std::fs::copy(fixtures.join(file), ws.path().join(file)).unwrap();
    }
    ws
}

fn import(ws: &std::path::Path, more: &[&str]) -> std::process::Output {
    let args = [
        &[
            "-C",
            ws.to_str().unwrap(),
            "import",
            "office.csv",
            "--map",
            "map.toml",
        ][..],
        more,
    ]
    .concat();
    cm(&args)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn case_files(ws: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(ws.join("cases"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(ws).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn rows_become_cases_a_known_client_is_skipped_and_a_second_import_adds_nothing() {
    let ws = office();
    let ws = ws.path();
    let before = case_files(ws);

    let dry = import(ws, &["--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", stderr(&dry));
    assert_eq!(
        stderr(&dry),
        "cm: office.csv:4: skipped: the client may be the client of cases/2026/THR-2026-0003.yaml (national_id)\n\
         cm: would import 2 case(s): cases/2023/THR-2023-0001.yaml to cases/2024/THR-2024-0001.yaml; nothing was written (--dry-run)\n"
    );
    assert_eq!(case_files(ws), before);

    let out = import(ws, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).ends_with(
        "cm: imported 2 case(s): cases/2023/THR-2023-0001.yaml to cases/2024/THR-2024-0001.yaml\n"
    ));
    let first = std::fs::read_to_string(ws.join("cases/2023/THR-2023-0001.yaml")).unwrap();
    assert!(
        first.contains(
            "opened: 2023-10-07\ncaseworker: s.ahmadi\nrisk: medium\nphase: intake\nclient:\n  \
             name: زهرا احمدی\n  sex: female\n  birth_date: 1986-07-21\n  national_id: \"0012345678\"\n"
        ),
        "{first}"
    );
    let valid = cm(&[
        "-C",
        ws.to_str().unwrap(),
        "validate",
        "--as-of",
        "2026-11-01",
    ]);
    assert!(
        stdout(&valid).contains(": 0 errors, 2 warnings\n"),
        "{}",
        stdout(&valid)
    );

    // The same file again: every client is known now.
    let again = import(ws, &[]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        stderr(&again).ends_with("cm: imported 0 case(s)\n"),
        "{}",
        stderr(&again)
    );
    assert_eq!(case_files(ws).len(), before.len() + 2);
}

#[test]
fn a_bad_row_stops_the_import_with_every_problem_at_its_cell() {
    let ws = office();
    let ws = ws.path();
    let csv = ws.join("office.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str("رضا کریمی,مرد,1365/12/31,,ناشناس,کودکان,1403/02/01\n");
    std::fs::write(&csv, text).unwrap();
    let before = case_files(ws);

    let out = import(ws, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "office.csv:5:3: error[import]: client.birth_date: is not a day of the Solar Hijri calendar\n\
         office.csv:5:5: error[import]: caseworker: is not among the values the map gives\n"
    );
    assert!(stderr(&out).ends_with("cm: error: 2 problem(s) in office.csv; nothing was written\n"));
    assert_eq!(case_files(ws), before);
    // No value of the client in what is said.
    for value in ["رضا", "1365", "ناشناس"] {
        assert!(!stdout(&out).contains(value) && !stderr(&out).contains(value));
    }

    // With --skip-invalid, the good rows are written and the bad one told.
    let out = import(ws, &["--skip-invalid"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).ends_with(
        "cm: imported 2 case(s): cases/2023/THR-2023-0001.yaml to cases/2024/THR-2024-0001.yaml\n"
    ));
    assert_eq!(case_files(ws).len(), before.len() + 2);
}

/// A workbook: a national id typed as a number (its zeros lost), the opening a date cell, the
/// birth a Solar Hijri text; a problem is told at the cell's letter.
#[test]
fn a_workbook_is_imported_and_its_problems_named_by_sheet_row_and_letter() {
    let ws = office();
    let ws = ws.path();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Tehran").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (col, header) in ["Name", "Sex", "Born", "National ID", "Opened"]
        .iter()
        .enumerate()
    {
        sheet.write(0, col as u16, *header).unwrap();
    }
    let rows = [
        ("Nasrin Karimi", "F", "1360/05/02", 98765432.0),
        ("Hamid Karimi", "M", "1358/13/01", 11223344.0),
    ];
    for (r, (name, sex, born, nid)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write(r, 0, *name).unwrap();
        sheet.write(r, 1, *sex).unwrap();
        sheet.write(r, 2, *born).unwrap();
        sheet.write(r, 3, *nid).unwrap();
        let opened = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
        sheet
            .write_datetime_with_format(r, 4, &opened, &date)
            .unwrap();
    }
    book.save(ws.join("office.xlsx")).unwrap();
    std::fs::write(
        ws.join("map.toml"),
        "[fields.\"client.name\"]\ncolumn = \"Name\"\n\
         [fields.\"client.sex\"]\ncolumn = \"B\"\nvalues = { F = \"female\", M = \"male\" }\n\
         [fields.\"client.birth_date\"]\ncolumn = \"Born\"\ncalendar = \"persian\"\nformat = \"%Y/%m/%d\"\n\
         [fields.\"client.national_id\"]\ncolumn = \"National ID\"\ndigits = 10\n\
         [fields.opened]\ncolumn = \"Opened\"\n\
         [fields.program]\ndefault = \"general\"\n\
         [fields.caseworker]\ndefault = \"n.moradi\"\n",
    )
    .unwrap();
    let ws_arg = ws.to_str().unwrap();
    let args = |more: &'static [&'static str]| -> Vec<&str> {
        let base = ["-C", ws_arg, "import", "office.xlsx", "--map", "map.toml"];
        base.iter().chain(more).copied().collect()
    };
    let out = cm(&args(&[]));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        "office.xlsx:Tehran:3:C: error[import]: client.birth_date: is not a day of the Solar Hijri calendar\n"
    );
    let out = cm(&args(&["--skip-invalid"]));
    assert!(
        stderr(&out).ends_with("cm: imported 1 case(s): cases/2026/THR-2026-0019.yaml\n"),
        "{}",
        stderr(&out)
    );
    let case = std::fs::read_to_string(ws.join("cases/2026/THR-2026-0019.yaml")).unwrap();
    assert!(case.contains("opened: 2026-03-01\n"), "{case}");
    assert!(
        case.contains("  birth_date: 1981-07-24\n  national_id: \"0098765432\"\n"),
        "{case}"
    );
}

/// Consent and the assessment's scores from their columns, recorded as `cm consent` and `cm
/// assess` record them; a row the rules refuse is told at its row with the rule's code; the
/// JSON of it all.
#[test]
fn consent_and_scores_come_in_and_json_tells_what_would_be_done() {
    let ws = office();
    let ws = ws.path();
    std::fs::write(
        ws.join("office.csv"),
        "نام,جنسیت,کد ملی,تاریخ پذیرش,رضایت,تاریخ رضایت,سازمان‌ها,تاریخ ارزیابی,درآمد,مسکن\n\
         زهرا احمدی,زن,12345678,1405/07/01,بله,1405/07/01,\"بهزیستی، امداد\",1405/07/08,2,۳\n\
         علی موسوی,مرد,44556677,1405/07/02,خیر,1405/07/02,,,,\n\
         مریم کریمی,زن,5566778899,1405/07/03,بله,1405/06/01,,,,\n",
    )
    .unwrap();
    std::fs::write(
        ws.join("map.toml"),
        r#"[fields."client.name"]
column = "نام"
[fields."client.sex"]
column = "جنسیت"
values = { "زن" = "female", "مرد" = "male" }
[fields."client.national_id"]
column = "کد ملی"
digits = 10
[fields.caseworker]
default = "s.ahmadi"
[fields.program]
default = "female-headed-household"
[fields.opened]
column = "تاریخ پذیرش"
calendar = "persian"
format = "%Y/%m/%d"
[fields."consent.given"]
column = "رضایت"
values = { "بله" = "true", "خیر" = "false" }
[fields."consent.date"]
column = "تاریخ رضایت"
calendar = "persian"
format = "%Y/%m/%d"
[fields."consent.share_with"]
column = "سازمان‌ها"
values = { "بهزیستی" = "behzisti", "امداد" = "emdad" }
[fields."assessment.date"]
column = "تاریخ ارزیابی"
calendar = "persian"
format = "%Y/%m/%d"
[fields."assessment.domains.income"]
column = "درآمد"
[fields."assessment.domains.housing"]
column = "مسکن"
"#,
    )
    .unwrap();
    let before = case_files(ws);
    let out = import(ws, &["--dry-run", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "file": "office.csv",
            "written": false,
            "cases": [
                {"row": 2, "case": "cases/2026/THR-2026-0019.yaml"},
                {"row": 3, "case": "cases/2026/THR-2026-0020.yaml"},
            ],
            "skipped": [],
            "problems": [{
                "file": "office.csv",
                "row": 4,
                "severity": "error",
                "code": "import",
                "field": "date-order",
                "message": "consent.date (2026-08-23) is before the case was opened (2026-09-25)",
            }],
        })
    );
    assert_eq!(case_files(ws), before);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("مریم"));

    let out = import(ws, &["--skip-invalid"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let first = std::fs::read_to_string(ws.join("cases/2026/THR-2026-0019.yaml")).unwrap();
    assert!(
        first.contains(
            "consent:\n  given: true\n  date: 2026-09-23\n  share_with: [behzisti, emdad]\n  by: s.ahmadi\n\
             assessment:\n  date: 2026-09-30\n  domains: {income: 2, housing: 3}\n"
        ),
        "{first}"
    );
    let second = std::fs::read_to_string(ws.join("cases/2026/THR-2026-0020.yaml")).unwrap();
    assert!(
        second.contains("consent:\n  given: false\n  date: 2026-09-24\n  by: s.ahmadi\n"),
        "{second}"
    );
    assert!(!second.contains("assessment"), "{second}");
    let valid = cm(&[
        "-C",
        ws.to_str().unwrap(),
        "validate",
        "--as-of",
        "2026-11-01",
    ]);
    assert!(stdout(&valid).contains(": 0 errors"), "{}", stdout(&valid));
}

/// A row that tells neither a birth nor a national id is known again by its name and sex alone
/// (in any spelling of its letters): a second import of the file adds nothing, and a row of the
/// same client later in the file is skipped.
#[test]
fn a_client_known_by_name_alone_is_not_imported_twice() {
    let ws = office();
    let ws = ws.path();
    std::fs::write(
        ws.join("office.csv"),
        "نام,جنسیت,مددکار,برنامه,تاریخ پذیرش\n\
         نرگس یزدانی,زن,سارا احمدی,کودکان,1405/07/01\n\
         نرگس يزداني,زن,سارا احمدی,کودکان,1405/07/02\n\
         نرگس یزدانی,مرد,سارا احمدی,کودکان,1405/07/03\n",
    )
    .unwrap();
    // The sample's map without the birth and the national id.
    let map = std::fs::read_to_string(ws.join("map.toml")).unwrap();
    let map: Vec<&str> = map
        .split("[fields.")
        .filter(|f| !f.contains("تولد") && !f.contains("کد ملی"))
        .collect();
    std::fs::write(ws.join("map.toml"), map.join("[fields.")).unwrap();
    let before = case_files(ws);
    let out = import(ws, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "cm: office.csv:3: skipped: the client may be the client of office.csv:2 (name)\n\
         cm: imported 2 case(s): cases/2026/THR-2026-0019.yaml to cases/2026/THR-2026-0020.yaml\n"
    );
    let again = import(ws, &["--format", "json"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(json["cases"], serde_json::json!([]));
    assert_eq!(
        json["skipped"],
        serde_json::json!([
            {"file": "office.csv", "row": 2, "known_as": "cases/2026/THR-2026-0019.yaml", "matched_by": "name"},
            {"file": "office.csv", "row": 3, "known_as": "cases/2026/THR-2026-0019.yaml", "matched_by": "name"},
            {"file": "office.csv", "row": 4, "known_as": "cases/2026/THR-2026-0020.yaml", "matched_by": "name"},
        ])
    );
    assert_eq!(case_files(ws).len(), before.len() + 2);
}

/// The sample office's workbook, sample-cases/import/office.xlsx, is its spreadsheet office.csv
/// as a workbook keeps it: a sheet named تهران, the national ids numbers (their leading zeros
/// lost), the opening days date cells. Imported, the two make the same case files.
/// `CM_BLESS=1` writes the workbook again from the CSV file.
#[test]
fn the_sample_workbook_imports_as_the_sample_spreadsheet() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-cases/import");
    if std::env::var_os("CM_BLESS").is_some() {
        write_workbook(&dir.join("office.csv"), &dir.join("office.xlsx"));
    }
    let mut made = Vec::new();
    for file in ["import/office.csv", "import/office.xlsx"] {
        let ws = super::sample_copy();
        let out = cm(&[
            "-C",
            ws.path().to_str().unwrap(),
            "import",
            file,
            "--map",
            "import/map.toml",
        ]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        let cases: Vec<(String, String)> = case_files(ws.path())
            .into_iter()
            .map(|f| {
                let text = std::fs::read_to_string(ws.path().join(&f)).unwrap();
                (f, text)
            })
            .collect();
        made.push(cases);
    }
    assert_eq!(made[0].len(), 27);
    assert!(
        made[0] == made[1],
        "the workbook imports otherwise than the CSV file"
    );
}

/// Writes the workbook of the CSV file `csv` at `to`: the fourth column (the national id) as
/// numbers, the seventh (the opening, Solar Hijri) as date cells.
fn write_workbook(csv: &std::path::Path, to: &std::path::Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 1).unwrap();
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet().set_name("تهران").unwrap();
    sheet.set_right_to_left(true);
    let day = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let text = std::fs::read_to_string(csv).unwrap();
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match c {
                3 if r > 0 => sheet.write(r, c, cell.parse::<f64>().unwrap()),
                6 if r > 0 => {
                    let iso = cm_base::calendar::parse(
                        &cell.replace('/', "-"),
                        cm_base::calendar::Calendar::Persian,
                    )
                    .unwrap();
                    let d =
                        rust_xlsxwriter::ExcelDateTime::parse_from_str(&iso.to_string()).unwrap();
                    sheet.write_datetime_with_format(r, c, &d, &day)
                }
                _ => sheet.write(r, c, cell),
            }
            .unwrap();
        }
    }
    sheet.autofit();
    book.save(to).unwrap();
}

/// An import cut short — a crash after some of its files were put in place, each whole — is
/// finished by running it again: the rows brought in are skipped, the others imported.
#[test]
fn an_import_cut_short_is_finished_by_running_it_again() {
    let ws = office();
    let ws = ws.path();
    let out = import(ws, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = case_files(ws);
    // As if the crash came before the second new file was put in place.
    std::fs::remove_file(ws.join("cases/2024/THR-2024-0001.yaml")).unwrap();

    let again = import(ws, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        stderr(&again),
        "cm: office.csv:2: skipped: the client may be the client of cases/2023/THR-2023-0001.yaml (national_id)\n\
         cm: office.csv:4: skipped: the client may be the client of cases/2026/THR-2026-0003.yaml (national_id)\n\
         cm: imported 1 case(s): cases/2024/THR-2024-0001.yaml\n"
    );
    assert_eq!(case_files(ws), all);
}

/// More rows than the files a process may have open at once: each new file is closed as soon as
/// it is written (a hundred thousand rows once failed with "Too many open files").
#[cfg(unix)]
#[test]
fn more_rows_than_open_files_are_imported() {
    let ws = office();
    let ws = ws.path();
    let mut csv = String::from("نام,جنسیت,تاریخ تولد,کد ملی,مددکار,برنامه,تاریخ پذیرش\n");
    for n in 0..300 {
        csv.push_str(&format!(
            "Client {n},زن,1360/01/01,{},سارا احمدی,کودکان,1403/01/20\n",
            5_000_000_000u64 + n
        ));
    }
    std::fs::write(ws.join("office.csv"), csv).unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_cm"))
        .args([
            "-C",
            ws.to_str().unwrap(),
            "import",
            "office.csv",
            "--map",
            "map.toml",
        ])
        .env("CM_TODAY", "2026-11-01")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("cm: imported 300 case(s)"),
        "{}",
        stderr(&out)
    );
}
