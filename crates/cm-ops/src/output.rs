//! The one output layer: the formats every command writes in ([`Format`]), and the writers of
//! what commands show — listings and reports (a header and rows of text cells, written as an
//! aligned table for people, CSV (RFC 4180, UTF-8) for spreadsheets and scripts, or JSON, an
//! array of objects keyed by the CSV header), diagnostics (text or JSON), lines of text and
//! JSON values. An empty cell means "not applicable": it is empty in CSV and `null` in JSON,
//! never 0. Nothing here decides colour: styled text is written only when asked for.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use cm_base::calendar::{self, Calendar};
use cm_base::diagnostic::Diagnostic;
use cm_base::text::{printable, width};

cm_base::names!(
    /// The output formats, one set for every command: `text` is the lines of diagnostics and
    /// diffs, `table` an aligned table for people, `csv` and `json` for programs. Each command
    /// takes those that fit what it shows (see [`Format::LISTING`]).
    pub Format {
        Text = "text",
        Table = "table",
        Csv = "csv",
        Json = "json",
        Html = "html",
    }
);

impl Format {
    /// The formats of a listing or a report.
    pub const LISTING: &[Format] = &[Format::Table, Format::Csv, Format::Json];
    /// The formats of a report: a listing's, and a page for people.
    pub const REPORT: &[Format] = &[Format::Table, Format::Csv, Format::Json, Format::Html];
    /// The formats of diagnostics and other lines of text.
    pub const LINES: &[Format] = &[Format::Text, Format::Json];

    /// The format asked for, else a table on a terminal and CSV when piped.
    pub fn pick(asked: Option<Format>, terminal: bool) -> Format {
        asked.unwrap_or(if terminal { Format::Table } else { Format::Csv })
    }
}

cm_base::names!(
    /// What a table says of a date beside it, in colour on a terminal.
    pub Remark {
        Overdue = "(overdue)",
        Upcoming = "(upcoming)",
    }
);

impl Default for Shown {
    /// Gregorian dates, no currency, no title, no colour, no byte-order mark.
    fn default() -> Shown {
        Shown {
            calendar: Calendar::Gregorian,
            currency: String::new(),
            title: None,
            styled: false,
            bom: false,
        }
    }
}

impl Remark {
    fn style(self) -> Style {
        match self {
            Remark::Overdue => AnsiColor::Red.on_default().bold(),
            Remark::Upcoming => AnsiColor::Yellow.on_default(),
        }
    }
}

/// One cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Not applicable: empty in tables and CSV, `null` in JSON (never 0).
    Empty,
    /// Not computable from what was read (a figure that needs an office's settings, read from
    /// an export): `unknown` in tables, empty in CSV, `null` in JSON; the command says which.
    Unknown,
    Text(String),
    Int(i64),
    /// A number shown with this many decimals.
    Decimal(f64, usize),
    /// An amount of money in the workspace's currency: in tables with its digits grouped and
    /// the currency (`1,500,000 IRR`), in CSV and JSON the number alone.
    Amount(f64),
    /// A date, with a remark shown only in tables, such as `(overdue)`.
    Date(NaiveDate, Option<Remark>),
}

/// What a table shows people besides its cells, and how CSV begins.
#[derive(Clone, Debug)]
pub struct Shown {
    /// The calendar of dates in tables (and of the `_jalali` columns of CSV and JSON).
    pub calendar: Calendar,
    /// The currency written after amounts in tables.
    pub currency: String,
    /// A line above a table: what it is, and whose.
    pub title: Option<String>,
    /// Remarks in colour.
    pub styled: bool,
    /// A UTF-8 byte-order mark before CSV, for spreadsheet programs.
    pub bom: bool,
}

impl Cell {
    /// The cell's value as CSV writes it (before a text is neutralised): an integer, a number
    /// with its decimals (`1.50`), an ISO date, empty for not applicable.
    pub fn value(&self) -> String {
        match self {
            Cell::Empty | Cell::Unknown => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Decimal(x, places) => format!("{x:.places$}"),
            Cell::Amount(x) => format!("{x:.0$}", cents(*x)),
            Cell::Date(d, _) => d.to_string(),
        }
    }
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
    /// The figures of the table that could not be computed ([`Cell::Unknown`]): in a table of
    /// `metric,value` (or `indicator,value,cases`) rows, the metrics; else the columns.
    pub fn unknown(&self) -> Vec<String> {
        let by_row = matches!(
            self.header.first().map(String::as_str),
            Some("metric" | "indicator")
        );
        let mut names: Vec<String> = Vec::new();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if *cell != Cell::Unknown {
                    continue;
                }
                let name = match (by_row, row.first()) {
                    (true, Some(label)) => label.value(),
                    _ => self.header[i].clone(),
                };
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

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
            let written = cell.value();
            out.push(match cell {
                Cell::Empty | Cell::Unknown => None,
                Cell::Text(s) => Some((neutralised(s), Json::String(s.clone()))),
                Cell::Int(n) => Some((written, Json::from(*n))),
                // CSV keeps the decimals as written (`1.50`); JSON has the number.
                Cell::Decimal(x, _) | Cell::Amount(x) => {
                    serde_json::Number::from_f64(*x).map(|n| (written, Json::Number(n)))
                }
                Cell::Date(..) => text(written),
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

    /// Keeps only the columns named in `columns`, in that order; an unknown name is returned
    /// as the error.
    pub fn select(self, columns: &[String]) -> Result<Table, String> {
        let at: Vec<usize> = columns
            .iter()
            .map(|c| {
                self.header
                    .iter()
                    .position(|h| h == c)
                    .ok_or_else(|| c.clone())
            })
            .collect::<Result<_, _>>()?;
        Ok(self.keep(&at))
    }

    /// The columns of `by_priority` (unknown names are passed over), the most important first,
    /// up to the first that would not fit in `width` terminal columns when shown as a table as
    /// `shown` says;
    /// and the count of columns left out. The columns keep their order in the table.
    pub fn fit(self, by_priority: &[&str], width: Option<usize>, shown: &Shown) -> (Table, usize) {
        let widths = self.widths(shown);
        let mut chosen: Vec<usize> = Vec::new();
        let mut used = 0;
        for name in by_priority {
            let Some(i) = self.header.iter().position(|h| h == name) else {
                continue;
            };
            // Each column takes its width, a space either side, and one between columns.
            let wants = widths[i] + 2 + usize::from(!chosen.is_empty());
            if width.is_some_and(|w| used + wants > w) && !chosen.is_empty() {
                break;
            }
            used += wants;
            chosen.push(i);
        }
        chosen.sort_unstable();
        let left_out = self.header.len() - chosen.len();
        (self.keep(&chosen), left_out)
    }

    /// The table of the columns at `at`, in that order.
    fn keep(self, at: &[usize]) -> Table {
        let pick = |row: &[Cell]| at.iter().map(|&i| row[i].clone()).collect();
        Table {
            header: at.iter().map(|&i| self.header[i].clone()).collect(),
            dates: at.iter().map(|&i| self.dates[i]).collect(),
            rows: self.rows.iter().map(|r| pick(r)).collect(),
        }
    }

    /// A cell as a table shows it, and the style of its remark.
    fn shown(cell: &Cell, shown: &Shown) -> (String, Option<Remark>) {
        match cell {
            Cell::Empty => (String::new(), None),
            Cell::Unknown => ("unknown".to_string(), None),
            Cell::Text(s) => (printable(s).into_owned(), None),
            Cell::Int(n) => (n.to_string(), None),
            Cell::Decimal(x, places) => (format!("{x:.places$}"), None),
            Cell::Amount(x) => {
                let amount = grouped(*x);
                match printable(&shown.currency) {
                    currency if currency.is_empty() => (amount, None),
                    currency => (format!("{amount} {currency}"), None),
                }
            }
            Cell::Date(d, remark) => {
                let day = calendar::display(*d, shown.calendar);
                match remark {
                    Some(r) => (format!("{day} {}", r.as_str()), Some(*r)),
                    None => (day, None),
                }
            }
        }
    }

    /// The display width of each column as a table shows it.
    fn widths(&self, shown: &Shown) -> Vec<usize> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(&printable(h))).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(&Table::shown(cell, shown).0));
            }
        }
        widths
    }

    /// Writes the table in `format`, as `shown` says.
    pub fn write(&self, out: &mut dyn Write, format: Format, shown: &Shown) -> io::Result<()> {
        let calendar = shown.calendar;
        match format {
            // A table has no page of its own: as a table for people.
            Format::Table | Format::Text | Format::Html => {
                // Columns aligned by display width (a Persian letter is one column, a mark
                // none), a space either side of each cell and one between, the header
                // underlined: quiet enough to scan by eye.
                if let Some(title) = &shown.title {
                    writeln!(out, "{}\n", printable(title))?;
                }
                let widths = self.widths(shown);
                let line = |out: &mut dyn Write, cells: Vec<(String, Option<Remark>)>| {
                    for (i, ((text, remark), w)) in cells.into_iter().zip(&widths).enumerate() {
                        let pad = " ".repeat(w - width(&text));
                        let gap = if i == 0 { "" } else { " " };
                        match remark.filter(|_| shown.styled) {
                            Some(r) => {
                                let (plain, note) = text.split_at(text.len() - r.as_str().len());
                                let style = r.style();
                                write!(out, "{gap} {plain}{style}{note}{style:#}{pad} ")?;
                            }
                            None => write!(out, "{gap} {text}{pad} ")?,
                        }
                    }
                    writeln!(out)
                };
                line(
                    out,
                    self.header
                        .iter()
                        .map(|h| (printable(h).into_owned(), None))
                        .collect(),
                )?;
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
                writeln!(out, "{}", rule.join(" "))?;
                for row in &self.rows {
                    line(out, row.iter().map(|c| Table::shown(c, shown)).collect())?;
                }
                Ok(())
            }
            Format::Csv => {
                if shown.bom {
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

/// The decimals an amount is written with: none for a whole amount, else two.
fn cents(x: f64) -> usize {
    if x.fract() == 0.0 { 0 } else { 2 }
}

/// An amount with its thousands grouped: `1,500,000`, `1,500.50`.
fn grouped(x: f64) -> String {
    let text = format!("{:.1$}", x.abs(), cents(x));
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    if x < 0.0 {
        out.insert(0, '-');
    }
    out
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
            Cell::Date(due, Some(Remark::Overdue)),
            Cell::Int(3),
        ]);
        t.push(vec!["A-2".into(), Cell::Empty, Cell::Empty, Cell::Empty]);
        t
    }

    fn written(format: Format, bom: bool, calendar: Calendar) -> String {
        let mut out = Vec::new();
        let shown = Shown {
            calendar,
            bom,
            ..Shown::default()
        };
        sample().write(&mut out, format, &shown).unwrap();
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
        t.write(&mut out, Format::Csv, &Shown::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b,c,d,e\n\"'=HYPERLINK(\"\"http://x\"\")\",'+98 912,-0.50,'@SUM(A1),'\tx\n"
        );
        let mut json = Vec::new();
        t.write(&mut json, Format::Json, &Shown::default()).unwrap();
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
    fn tables_group_amounts_colour_remarks_and_fit_a_width() {
        let mut t = Table::new(&["id", "due", "total_cost"]).dates(&["due"]);
        let due: NaiveDate = "2026-11-01".parse().unwrap();
        t.push(vec![
            "A-1".into(),
            Cell::Date(due, Some(Remark::Overdue)),
            Cell::Amount(222_000_000.0),
        ]);
        t.push(vec!["A-2".into(), Cell::Empty, Cell::Amount(1500.5)]);
        let shown = Shown {
            currency: "IRR".into(),
            title: Some("Tehran office: cases".into()),
            styled: true,
            ..Shown::default()
        };
        let mut out = Vec::new();
        t.write(&mut out, Format::Table, &shown).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Tehran office: cases\n\n \
             id    due                    total_cost      \n\
             ───── ────────────────────── ─────────────────\n \
             A-1   2026-11-01 \u{1b}[1m\u{1b}[31m(overdue)\u{1b}[0m   222,000,000 IRR \n \
             A-2                          1,500.50 IRR    \n"
        );
        let mut csv = Vec::new();
        t.write(&mut csv, Format::Csv, &shown).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "id,due,total_cost\nA-1,2026-11-01,222000000\nA-2,,1500.50\n"
        );
        assert_eq!(grouped(-1234.0), "-1,234");
        assert_eq!(grouped(999.0), "999");

        let (fitted, left_out) = t
            .clone()
            .fit(&["id", "total_cost", "due"], Some(24), &shown);
        assert_eq!(
            (fitted.header.clone(), left_out),
            (vec!["id".to_string(), "total_cost".to_string()], 1)
        );
        let (all, none) = t.clone().fit(&["id", "total_cost", "due"], None, &shown);
        assert_eq!(
            (all.header, none),
            (vec!["id".to_string(), "due".into(), "total_cost".into()], 0)
        );
        assert_eq!(
            t.clone()
                .select(&["due".into(), "id".into()])
                .unwrap()
                .header,
            ["due", "id"]
        );
        assert_eq!(t.select(&["cost".into()]).unwrap_err(), "cost");
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
