//! A spreadsheet as `cm import` reads it: a header row, then rows of cells, each cell with the
//! place a message names it by — `clients.xlsx:Sheet1:14:C` in a workbook (the sheet, the row,
//! the column's letter), `clients.csv:14:3` in a CSV file (the line, the column's number).
//! Workbooks (XLSX, XLS, ODS) are read by calamine; CSV by the csv crate, with or without a
//! byte-order mark.

use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

/// What a cell holds, as the file typed it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// A cell a workbook stores as a date.
    Date(NaiveDate),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// One row under the header.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The row's number in the sheet, or the line of the CSV file it starts on (1 is the first).
    pub line: usize,
    pub cells: Vec<Value>,
}

/// A place a message names: a file (the map), a row of a sheet, or a cell —
/// `clients.xlsx:Sheet1:14:C`, `clients.csv:14:3`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Place {
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The column's letter in a workbook, its number in a CSV file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Place {
    /// The file `file` as a whole.
    pub fn file(file: &str) -> Place {
        Place {
            file: file.to_string(),
            sheet: None,
            row: None,
            column: None,
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts = [Some(self.file.clone()), self.sheet.clone()]
            .into_iter()
            .chain([self.row.map(|r| r.to_string()), self.column.clone()]);
        let parts: Vec<String> = parts.flatten().collect();
        write!(f, "{}", cm_base::text::printable(&parts.join(":")))
    }
}

/// A sheet read: where it comes from, its header and its rows (empty rows left out).
#[derive(Clone, Debug)]
pub struct Sheet {
    /// The file, as messages name it.
    pub file: String,
    /// The sheet of a workbook; `None` for a CSV file.
    pub name: Option<String>,
    /// The column of the sheet the first cell of each row is in (0 is A).
    first_column: usize,
    pub header: Vec<String>,
    /// The row's number of the header.
    pub header_line: usize,
    pub rows: Vec<Row>,
}

/// Why a file cannot be read as a sheet.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{file}: cannot be read as a spreadsheet: {why}")]
    Unreadable { file: String, why: String },
    #[error("{file}: has no sheet `{sheet}`; its sheets are {sheets}")]
    NoSheet {
        file: String,
        sheet: String,
        sheets: String,
    },
    #[error("{file}: --sheet names a sheet of a workbook, and a CSV file has none")]
    SheetOfCsv { file: String },
    #[error("{file}: has no header row: the first row names the columns")]
    Empty { file: String },
}

impl Sheet {
    /// Reads the file at `path` (named `file` in messages): a workbook by its extension
    /// (`.xlsx`, `.xlsm`, `.xls`, `.ods`), else CSV. `sheet` is a workbook's sheet (default: the
    /// first).
    pub fn read(path: &Path, file: &str, sheet: Option<&str>) -> Result<Sheet, SheetError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") => workbook(path, file, sheet),
            _ if sheet.is_some() => Err(SheetError::SheetOfCsv {
                file: file.to_string(),
            }),
            _ => csv(path, file),
        }
    }

    /// Where the cell of `line` in the column `index` (of [`Sheet::header`]) is, as a message
    /// names it.
    pub fn place(&self, line: usize, index: usize) -> Place {
        Place {
            column: Some(self.column_name(index)),
            ..self.row_place(line)
        }
    }

    /// Where the row `line` is.
    pub fn row_place(&self, line: usize) -> Place {
        Place {
            file: self.file.clone(),
            sheet: self.name.clone(),
            row: Some(line),
            column: None,
        }
    }

    /// The column `index` as the file names it: its letter in a workbook, its number in CSV.
    pub fn column_name(&self, index: usize) -> String {
        match self.name {
            Some(_) => column_letters(self.first_column + index),
            None => (index + 1).to_string(),
        }
    }

    /// The index of the column `named`: a header (compared without the spaces around it and the
    /// case of Latin letters), or the column's letter (in a workbook) or number (in CSV).
    pub fn column(&self, named: &str) -> Option<usize> {
        let wanted = named.trim().to_lowercase();
        self.header
            .iter()
            .position(|h| h.trim().to_lowercase() == wanted)
            .or_else(|| (0..self.header.len()).find(|&i| self.column_name(i) == named.trim()))
    }
}

/// `A` for 0, `Z` for 25, `AA` for 26.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn workbook(path: &Path, file: &str, sheet: Option<&str>) -> Result<Sheet, SheetError> {
    let unreadable = |why: String| SheetError::Unreadable {
        file: file.to_string(),
        why,
    };
    let mut book = calamine::open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(sheet) if names.iter().any(|n| n == sheet) => sheet.to_string(),
        Some(sheet) => {
            return Err(SheetError::NoSheet {
                file: file.to_string(),
                sheet: sheet.to_string(),
                sheets: names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        None => names.first().cloned().ok_or(SheetError::Empty {
            file: file.to_string(),
        })?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| unreadable(e.to_string()))?;
    let (top, left) = range
        .start()
        .map(|(r, c)| (r as usize, c as usize))
        .unwrap_or_default();
    let mut rows = range.rows().enumerate().map(|(i, cells)| Row {
        line: top + i + 1,
        cells: cells.iter().map(value).collect(),
    });
    let head = rows.next().ok_or(SheetError::Empty {
        file: file.to_string(),
    })?;
    Ok(Sheet {
        file: file.to_string(),
        name: Some(name),
        first_column: left,
        header: head.cells.iter().map(text).collect(),
        header_line: head.line,
        rows: rows
            .filter(|r| !r.cells.iter().all(Value::is_empty))
            .collect(),
    })
}

/// A workbook's cell as a value.
fn value(cell: &Data) -> Value {
    match cell {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Int(n) => Value::Number(*n as f64),
        Data::Float(x) => Value::Number(*x),
        Data::Bool(b) => Value::Text(b.to_string()),
        Data::DateTime(d) => d
            .as_datetime()
            .map_or_else(|| Value::Text(d.to_string()), |d| Value::Date(d.date())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Text(format!("#{e:?}")),
    }
}

/// A header cell as text.
fn text(cell: &Value) -> String {
    match cell {
        Value::Empty => String::new(),
        Value::Text(t) => t.trim().to_string(),
        Value::Number(x) => x.to_string(),
        Value::Date(d) => d.to_string(),
    }
}

fn csv(path: &Path, file: &str) -> Result<Sheet, SheetError> {
    let unreadable = |why: String| SheetError::Unreadable {
        file: file.to_string(),
        why,
    };
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells = record
            .iter()
            .map(|c| match c.trim() {
                "" => Value::Empty,
                _ => Value::Text(c.to_string()),
            })
            .collect();
        rows.push(Row { line, cells });
    }
    let mut rows = rows.into_iter();
    let head = rows.next().ok_or(SheetError::Empty {
        file: file.to_string(),
    })?;
    Ok(Sheet {
        file: file.to_string(),
        name: None,
        first_column: 0,
        header: head.cells.iter().map(text).collect(),
        header_line: head.line,
        rows: rows
            .filter(|r| !r.cells.iter().all(Value::is_empty))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn a_csv_file_is_read_with_its_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clients.csv");
        std::fs::write(
            &path,
            "\u{feff}نام,کد ملی,تاریخ تولد\n\"Maryam\nRezaei\",12345678,1365/04/30\n,,\nعلی,,\n",
        )
        .unwrap();
        let sheet = Sheet::read(&path, "clients.csv", None).unwrap();
        assert_eq!(sheet.header, ["نام", "کد ملی", "تاریخ تولد"]);
        // The quoted line break: the next row starts two lines on; the empty row is left out.
        let lines: Vec<usize> = sheet.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5]);
        assert_eq!(sheet.place(5, 2).to_string(), "clients.csv:5:3");
        assert_eq!(sheet.column("کد ملی"), Some(1));
        assert_eq!(sheet.column("3"), Some(2));
        assert!(matches!(
            Sheet::read(&path, "clients.csv", Some("Sheet1")),
            Err(SheetError::SheetOfCsv { .. })
        ));
    }

    #[test]
    fn a_workbook_is_read_with_its_cells_places_and_dates() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clients.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet().set_name("Tehran").unwrap();
        // The table starts at B2, as offices' sheets often do.
        sheet.write(1, 1, "Name").unwrap();
        sheet.write(1, 2, "National id").unwrap();
        sheet.write(1, 3, "Opened").unwrap();
        sheet.write(2, 1, "مریم رضایی").unwrap();
        sheet.write(2, 2, 12345678).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 10, 7).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet
            .write_datetime_with_format(2, 3, &date, &format)
            .unwrap();
        book.save(&path).unwrap();

        let sheet = Sheet::read(&path, "clients.xlsx", None).unwrap();
        assert_eq!(sheet.name.as_deref(), Some("Tehran"));
        assert_eq!(sheet.header, ["Name", "National id", "Opened"]);
        assert_eq!(sheet.header_line, 2);
        assert_eq!(sheet.rows.len(), 1);
        let row = &sheet.rows[0];
        assert_eq!(row.line, 3);
        assert_eq!(row.cells[0], Value::Text("مریم رضایی".into()));
        assert_eq!(row.cells[1], Value::Number(12345678.0));
        assert_eq!(
            row.cells[2],
            Value::Date(NaiveDate::from_ymd_opt(2023, 10, 7).unwrap())
        );
        assert_eq!(sheet.place(3, 1).to_string(), "clients.xlsx:Tehran:3:C");
        assert_eq!(sheet.column("C"), Some(1));
        let err = Sheet::read(&path, "clients.xlsx", Some("Isfahan")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "clients.xlsx: has no sheet `Isfahan`; its sheets are `Tehran`"
        );
    }
}
