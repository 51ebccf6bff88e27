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
