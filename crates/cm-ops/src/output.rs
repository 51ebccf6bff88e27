//! The one output layer: the formats every command writes in ([`Format`]), and the writers of
//! what commands show — listings and reports (a header and rows of text cells, written as an
//! aligned table for people, CSV (RFC 4180, UTF-8) for spreadsheets and scripts, or JSON, an
//! array of objects keyed by the CSV header), diagnostics (text or JSON), lines of text and
//! JSON values. An empty cell means "not applicable": it is empty in CSV and `null` in JSON,
//! never 0. Nothing here decides colour: styled text is written only when asked for.

use std::io::{self, Write};

use chrono::NaiveDate;
use comfy_table::{ContentArrangement, LineStyle, Table as Grid, TableStyle};
use serde_json::{Map, Value as Json};

use cm_base::calendar::{self, Calendar};
use cm_base::diagnostic::Diagnostic;
use cm_base::text::printable;

/// Columns separated by spaces, the header underlined: quiet enough to scan by eye.
const TABLE_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

cm_base::names!(
    /// The output formats, one set for every command: `text` is the lines of diagnostics and
    /// diffs, `table` an aligned table for people, `csv` and `json` for programs. Each command
    /// takes those that fit what it shows (see [`Format::LISTING`]).
    pub Format {
        Text = "text",
        Table = "table",
        Csv = "csv",
        Json = "json",
    }
);

impl Format {
    /// The formats of a listing or a report.
    pub const LISTING: &[Format] = &[Format::Table, Format::Csv, Format::Json];
    /// The formats of diagnostics and other lines of text.
    pub const LINES: &[Format] = &[Format::Text, Format::Json];

    /// The format asked for, else a table on a terminal and CSV when piped.
    pub fn pick(asked: Option<Format>, terminal: bool) -> Format {
        asked.unwrap_or(if terminal { Format::Table } else { Format::Csv })
    }
}

/// One cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Not applicable: empty in tables and CSV, `null` in JSON (never 0).
    Empty,
    Text(String),
    Int(i64),
    /// A number shown with this many decimals.
    Decimal(f64, usize),
    /// A date, with a remark shown only in tables, such as `(overdue)`.
    Date(NaiveDate, Option<&'static str>),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::from(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d, None)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// Rows of cells under a header. Date columns are shown in the workspace's calendar in tables;
/// CSV and JSON keep ISO dates and, with the persian calendar, add a `<column>_jalali` beside.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub header: Vec<String>,
    /// Which columns hold dates.
    dates: Vec<bool>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table::with_header(header.iter().map(|h| h.to_string()).collect())
    }

    pub fn with_header(header: Vec<String>) -> Table {
        Table {
            dates: vec![false; header.len()],
            header,
            rows: Vec::new(),
        }
    }

    /// Marks the columns named in `columns` as date columns.
    pub fn dates(mut self, columns: &[&str]) -> Table {
        for (is_date, name) in self.dates.iter_mut().zip(&self.header) {
            *is_date = columns.contains(&name.as_str());
        }
        self
    }

    /// Adds a row of cells, one per column.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.header.len());
        self.rows.push(row);
    }

    /// The header of CSV and JSON: with the persian calendar, each date column is followed by
    /// its `_jalali` column.
    fn machine_header(&self, calendar: Calendar) -> Vec<String> {
        let mut out = Vec::new();
        for (name, is_date) in self.header.iter().zip(&self.dates) {
            out.push(name.to_string());
            if *is_date && calendar == Calendar::Persian {
                out.push(format!("{name}_jalali"));
            }
        }
        out
    }

    /// A row as CSV text (text cells [`neutralised`]) and JSON values (`None` for empty),
    /// matching [`Table::machine_header`].
    fn machine_row(&self, row: &[Cell], calendar: Calendar) -> Vec<Option<(String, Json)>> {
        let text = |s: String| Some((s.clone(), Json::String(s)));
        let mut out = Vec::new();
        for (cell, is_date) in row.iter().zip(&self.dates) {
            out.push(match cell {
                Cell::Empty => None,
                Cell::Text(s) => Some((neutralised(s), Json::String(s.clone()))),
                Cell::Int(n) => Some((n.to_string(), Json::from(*n))),
                // CSV keeps the decimals as written (`1.50`); JSON has the number.
                Cell::Decimal(x, places) => serde_json::Number::from_f64(*x)
                    .map(|n| (format!("{x:.places$}"), Json::Number(n))),
                Cell::Date(d, _) => text(d.to_string()),
            });
            if *is_date && calendar == Calendar::Persian {
                out.push(match cell {
                    Cell::Date(d, _) => text(calendar::display(*d, calendar)),
                    _ => None,
                });
            }
        }
        out
    }

    /// Writes the table in `format`, dates in `calendar`; `bom` puts a UTF-8 byte-order mark
    /// before CSV.
    pub fn write(
        &self,
        out: &mut dyn Write,
        format: Format,
        bom: bool,
        calendar: Calendar,
    ) -> io::Result<()> {
        match format {
            Format::Table | Format::Text => {
                let mut grid = Grid::new();
                grid.load_style(TABLE_STYLE)
                    .set_content_arrangement(ContentArrangement::Disabled)
                    .set_header(self.header.iter().map(|h| printable(h).into_owned()));
                for row in &self.rows {
                    grid.add_row(row.iter().map(|cell| match cell {
                        Cell::Empty => String::new(),
                        Cell::Text(s) => printable(s).into_owned(),
                        Cell::Int(n) => n.to_string(),
                        Cell::Decimal(x, places) => format!("{x:.places$}"),
                        Cell::Date(d, remark) => match remark {
                            Some(r) => format!("{} {r}", calendar::display(*d, calendar)),
                            None => calendar::display(*d, calendar),
                        },
                    }));
                }
                writeln!(out, "{grid}")
            }
            Format::Csv => {
                if bom {
                    out.write_all("\u{feff}".as_bytes())?;
                }
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(self.machine_header(calendar).iter().map(|h| neutralised(h)))
                    .map_err(csv_io)?;
                for row in &self.rows {
                    csv.write_record(
                        self.machine_row(row, calendar)
                            .into_iter()
                            .map(|v| v.map(|(text, _)| text).unwrap_or_default()),
                    )
                    .map_err(csv_io)?;
                }
                csv.flush()
            }
            Format::Json => {
                let header = self.machine_header(calendar);
                let rows: Vec<Json> = self
                    .rows
                    .iter()
                    .map(|row| {
                        let values = self.machine_row(row, calendar);
                        let object: Map<String, Json> = header
                            .iter()
                            .zip(values)
                            .map(|(k, v)| (k.clone(), v.map_or(Json::Null, |(_, json)| json)))
                            .collect();
                        Json::Object(object)
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)
            }
        }
    }
}

/// Writes `diagnostics` in `format`: JSON, an array of `{path, line, column, severity, code,
/// message, help}`; else text, `path:line:col: severity[code]: message` and a `help:` line, with
/// the source line quoted beneath (and a caret) when `source` gives the text of the file, and
/// the severity `styled`.
pub fn diagnostics(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    format: Format,
    source: &dyn Fn(&str) -> Option<String>,
    styled: bool,
) -> io::Result<()> {
    if format == Format::Json {
        return json(out, &diagnostics);
    }
    let mut file: Option<(&str, Option<String>)> = None;
    for d in diagnostics {
        if file.as_ref().is_none_or(|(path, _)| *path != d.path) {
            file = Some((&d.path, source(&d.path)));
        }
        let text = file.as_ref().and_then(|(_, text)| text.as_deref());
        d.write_text(out, text, styled)?;
    }
    Ok(())
}

/// Writes `lines` of text, each escaped (see [`printable`]): lines that quote the files.
pub fn lines(out: &mut dyn Write, lines: impl IntoIterator<Item = String>) -> io::Result<()> {
    for line in lines {
        writeln!(out, "{}", printable(&line))?;
    }
    Ok(())
}

/// Writes `value` as pretty JSON and a line break.
pub fn json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// A text cell as CSV may carry it to a spreadsheet: one that begins like a formula (`=`, `+`,
/// `-`, `@`, a tab or a carriage return) is prefixed with `'`, so that a spreadsheet shows it
/// instead of running it (`=HYPERLINK(…)` in a caseworker field). A number stays a number:
/// `-0.50` is not a formula.
fn neutralised(cell: &str) -> String {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The I/O error inside a CSV writer's error, as it was: a closed pipe must stay a closed pipe
/// (`cm list | head` is not an error), and `csv`'s own conversion makes every error `Other`.
fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["id", "name", "due", "days"]).dates(&["due"]);
        let due: NaiveDate = "2026-11-01".parse().unwrap();
        t.push(vec![
            "A-1".into(),
            "مریم, \"M\"".into(),
            Cell::Date(due, Some("(overdue)")),
            Cell::Int(3),
        ]);
        t.push(vec!["A-2".into(), Cell::Empty, Cell::Empty, Cell::Empty]);
        t
    }

    fn written(format: Format, bom: bool, calendar: Calendar) -> String {
        let mut out = Vec::new();
        sample().write(&mut out, format, bom, calendar).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn csv_quotes_as_rfc_4180() {
        assert_eq!(
            written(Format::Csv, true, Calendar::Gregorian),
            "\u{feff}id,name,due,days\nA-1,\"مریم, \"\"M\"\"\",2026-11-01,3\nA-2,,,\n"
        );
    }

    #[test]
    fn csv_neutralises_formulas_but_not_numbers() {
        let mut t = Table::new(&["a", "b", "c", "d", "e"]);
        t.push(vec![
            "=HYPERLINK(\"http://x\")".into(),
            "+98 912".into(),
            "-0.50".into(),
            "@SUM(A1)".into(),
            "\tx".into(),
        ]);
        let mut out = Vec::new();
        t.write(&mut out, Format::Csv, false, Calendar::Gregorian)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b,c,d,e\n\"'=HYPERLINK(\"\"http://x\"\")\",'+98 912,-0.50,'@SUM(A1),'\tx\n"
        );
        let mut json = Vec::new();
        t.write(&mut json, Format::Json, false, Calendar::Gregorian)
            .unwrap();
        assert!(String::from_utf8(json).unwrap().contains("\"=HYPERLINK"));
    }

    #[test]
    fn csv_adds_jalali_columns_with_the_persian_calendar() {
        assert_eq!(
            written(Format::Csv, false, Calendar::Persian),
            "id,name,due,due_jalali,days\nA-1,\"مریم, \"\"M\"\"\",2026-11-01,1405-08-10,3\nA-2,,,,\n"
        );
    }

    #[test]
    fn json_uses_the_csv_header_and_null_for_empty() {
        let v: Json =
            serde_json::from_str(&written(Format::Json, false, Calendar::Persian)).unwrap();
        assert_eq!(v[0]["due"], "2026-11-01");
        assert_eq!(v[0]["due_jalali"], "1405-08-10");
        assert_eq!(v[0]["days"], 3);
        assert_eq!(v[1]["name"], Json::Null);
        assert_eq!(v[1]["due_jalali"], Json::Null);
    }

    #[test]
    fn tables_show_the_calendar_and_align_persian_text() {
        let text = written(Format::Table, false, Calendar::Persian);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[2].contains("1405-08-10 (overdue)"), "{text}");
        // Every column starts at the same display column on every line.
        let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let due_at = |line: &str| line.find("1405").or_else(|| line.find("due")).unwrap();
        assert_eq!(
            width(&lines[0][..due_at(lines[0])]),
            width(&lines[2][..due_at(lines[2])])
        );
    }
}
