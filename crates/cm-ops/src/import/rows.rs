//! The rows of a sheet read through a map (`MAP.toml`) into the values of new cases: each cell
//! read as its field's map entry says (the column, a calendar and a format for dates, the
//! digits of a national id, a table of values, a default), every problem at its cell, and no
//! value of a client in a message (the cell is named instead).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cm_base::calendar::{self, Calendar, DateError};
use cm_base::names::Names;
use cm_case::{Program, Risk, Sex};
use serde::Deserialize;

use super::FIELDS;
use super::sheet::{Sheet, Value};

/// A map: for each case field, how to read it (`[fields."client.name"]`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Map {
    #[serde(default)]
    pub fields: BTreeMap<String, Entry>,
}

impl Map {
    /// The map written `text`, in the file shown as `file`.
    pub fn parse(text: &str, file: &str) -> Result<Map, MapError> {
        toml::from_str(text).map_err(|e| MapError {
            file: file.to_string(),
            why: e.to_string(),
        })
    }
}

/// A map that is not TOML, or not a map: the toml crate's message, with its line and column.
#[derive(Debug, thiserror::Error)]
#[error("{file}: is not a map of `cm import`: {why}")]
pub struct MapError {
    file: String,
    why: String,
}

/// How one field is read.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The column: its header, or its letter (workbook) or number (CSV).
    pub column: Option<String>,
    /// The calendar of a date or a year.
    pub calendar: Option<Calendar>,
    /// How a date is written (`%Y/%m/%d`): the order of the year, the month and the day.
    pub format: Option<String>,
    /// The number of digits of a national id: leading zeros put back.
    pub digits: Option<usize>,
    /// What each value of the column is.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// The value of an empty cell, or of a field with no column.
    pub default: Option<String>,
}

/// A problem of the map itself, or of a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// `clients.xlsx:Sheet1:14:C`, or the map's file.
    pub place: String,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: error[import]: {}: {}",
            self.place, self.field, self.message
        )
    }
}

/// The values of one row, by field (`client.name` → the text), each as the case file writes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Values {
    /// The row's number in the sheet.
    pub line: usize,
    pub text: BTreeMap<&'static str, String>,
    pub dates: BTreeMap<&'static str, NaiveDate>,
    pub numbers: BTreeMap<&'static str, i64>,
}

/// Whether every case needs `field` (from a column, or a default).
fn required(field: &str) -> bool {
    FIELDS.iter().any(|f| f.path == field && f.required)
}

/// Whether the values of `field` may be named in a message: those of a closed set, never a
/// client's.
fn shown(field: &str) -> bool {
    FIELDS.iter().any(|f| f.path == field && f.closed)
}

/// Reads every row of `sheet` through `map` (read from the file shown as `map_file`): the
/// values of each row that has no problem, and every problem, in the order of the rows.
pub fn read(sheet: &Sheet, map: &Map, map_file: &str) -> (Vec<Values>, Vec<Problem>) {
    let mut problems = Vec::new();
    let at_map = |field: &str, message: String| Problem {
        place: map_file.to_string(),
        field: field.to_string(),
        message,
    };
    // The map first: a field it names must be one, its column there, each needed field given.
    let mut columns: BTreeMap<&'static str, (Option<usize>, &Entry)> = BTreeMap::new();
    for (name, entry) in &map.fields {
        let Some(field) = FIELDS.iter().find(|f| f.path == name) else {
            let known: Vec<&str> = FIELDS.iter().map(|f| f.path).collect();
            let near = cm_base::text::suggest(name, known.iter().copied())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            problems.push(at_map(name, format!("no case field has this name{near}")));
            continue;
        };
        let column = match &entry.column {
            Some(column) => match sheet.column(column) {
                Some(i) => Some(i),
                None => {
                    problems.push(at_map(
                        name,
                        format!(
                            "the file has no column `{column}` (by header, or by its {})",
                            if sheet.name.is_some() {
                                "letter"
                            } else {
                                "number"
                            }
                        ),
                    ));
                    continue;
                }
            },
            None => None,
        };
        columns.insert(field.path, (column, entry));
    }
    for field in FIELDS.iter().filter(|f| f.required).map(|f| f.path) {
        let given = columns
            .get(field)
            .is_some_and(|(column, entry)| column.is_some() || entry.default.is_some());
        if !given && !problems.iter().any(|p| p.field == *field) {
            problems.push(at_map(
                field,
                "every case needs it: give its column, or a default".to_string(),
            ));
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut rows = Vec::new();
    for row in &sheet.rows {
        let mut values = Values {
            line: row.line,
            ..Values::default()
        };
        let before = problems.len();
        // The problems of the row, told in the order of its columns.
        let mut found: Vec<(Option<usize>, Problem)> = Vec::new();
        for (&field, &(column, entry)) in &columns {
            let cell = column
                .and_then(|i| row.cells.get(i))
                .filter(|c| !c.is_empty());
            let place = || match column {
                Some(i) => sheet.place(row.line, i),
                None => format!("{}:{}", sheet.file, row.line),
            };
            let cell = match (cell, &entry.default) {
                (Some(cell), _) => cell.clone(),
                (None, Some(default)) => Value::Text(default.clone()),
                (None, None) if required(field) => {
                    let problem = Problem {
                        place: place(),
                        field: field.to_string(),
                        message: "is empty, and the map gives no default".to_string(),
                    };
                    found.push((column, problem));
                    continue;
                }
                (None, None) => continue,
            };
            if let Err(message) = read_cell(field, &cell, entry, &mut values) {
                let problem = Problem {
                    place: place(),
                    field: field.to_string(),
                    message,
                };
                found.push((column, problem));
            }
        }
        found.sort_by_key(|(column, _)| *column);
        problems.extend(found.into_iter().map(|(_, p)| p));
        if problems.len() == before {
            rows.push(values);
        }
    }
    (rows, problems)
}

/// Reads `cell` as `field` into `values`, or says why it cannot be (without its value, unless
/// the field's values are a closed set).
fn read_cell(
    field: &'static str,
    cell: &Value,
    entry: &Entry,
    values: &mut Values,
) -> Result<(), String> {
    let calendar = entry.calendar.unwrap_or(Calendar::Gregorian);
    match field {
        "opened" | "client.birth_date" => {
            let date = match cell {
                Value::Date(d) => *d,
                other => date(&text(other), entry.format.as_deref(), calendar)?,
            };
            values.dates.insert(field, date);
        }
        "client.birth_year" | "client.household_size" => {
            let n = number(cell).ok_or("is not a whole number")?;
            let n = if field == "client.birth_year" && calendar == Calendar::Persian {
                n.saturating_add(621)
            } else {
                n
            };
            values.numbers.insert(field, n);
        }
        _ => {
            let raw = text(cell);
            let value = if entry.values.is_empty() {
                raw
            } else {
                let key = cm_base::spelling::normalise(&raw);
                let found = entry
                    .values
                    .iter()
                    .find(|(k, _)| cm_base::spelling::normalise(k) == key);
                match found {
                    Some((_, v)) => v.clone(),
                    None if shown(field) => {
                        return Err(format!("`{raw}` is not among the values the map gives"));
                    }
                    None => return Err("is not among the values the map gives".to_string()),
                }
            };
            let value = match field {
                "client.national_id" => {
                    let digits = cm_base::spelling::digits(&value);
                    let width = entry.digits.unwrap_or(0);
                    if digits.is_empty() || entry.digits.is_some_and(|d| digits.len() > d) {
                        return Err(match entry.digits {
                            Some(d) => format!("is not a national id of {d} digits"),
                            None => "is not a national id: it has no digit".to_string(),
                        });
                    }
                    format!("{digits:0>width$}")
                }
                "program" => closed::<Program>(&value)?,
                "risk" => closed::<Risk>(&value)?,
                "client.sex" => closed::<Sex>(&value)?,
                _ => value,
            };
            values.text.insert(field, value);
        }
    }
    Ok(())
}

/// `value` as one of the names of `T`, or why not (the names listed).
fn closed<T: Names + std::str::FromStr>(value: &str) -> Result<String, String> {
    let value = value.trim().to_lowercase();
    match value.parse::<T>() {
        Ok(_) => Ok(value),
        Err(_) => Err(format!(
            "`{value}` is not one of {}; a `values` table in the map may say what it is",
            T::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A cell as text: a whole number without its `.0` (a national id a spreadsheet took for a
/// number), a date as ISO.
fn text(cell: &Value) -> String {
    match cell {
        Value::Empty => String::new(),
        Value::Text(t) => t.trim().to_string(),
        Value::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        Value::Number(x) => x.to_string(),
        Value::Date(d) => d.to_string(),
    }
}

/// A cell as a whole number, in any digits.
fn number(cell: &Value) -> Option<i64> {
    match cell {
        Value::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => Some(*x as i64),
        Value::Text(t) => cm_base::text::latin_digits(t.trim()).parse().ok(),
        _ => None,
    }
}

/// The date written `text` in `format` (the order of `%Y`, `%m` and `%d`; default year, month,
/// day) and `calendar`, in any digits and separators; or why not, without the value.
fn date(text: &str, format: Option<&str>, calendar: Calendar) -> Result<NaiveDate, String> {
    let format = format.unwrap_or("%Y-%m-%d");
    let mut order: Vec<(usize, char)> = ['Y', 'm', 'd']
        .iter()
        .filter_map(|c| format.find(&format!("%{c}")).map(|at| (at, *c)))
        .collect();
    order.sort();
    let latin = cm_base::text::latin_digits(text);
    let parts: Vec<&str> = latin
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let written = |calendar: Calendar| match calendar {
        Calendar::Persian => "Solar Hijri",
        Calendar::Gregorian => "Gregorian",
    };
    if order.len() != 3 || parts.len() != 3 {
        return Err(format!(
            "is not a date written {format}{}",
            if order.len() == 3 {
                ""
            } else {
                " (the map's format needs %Y, %m and %d)"
            }
        ));
    }
    let part = |c: char| order.iter().position(|(_, o)| *o == c).map(|i| parts[i]);
    let (y, m, d) = (
        part('Y').unwrap_or(""),
        part('m').unwrap_or(""),
        part('d').unwrap_or(""),
    );
    calendar::parse(&format!("{y}-{m}-{d}"), calendar).map_err(|e| match e {
        DateError::NoSuchDay { .. } | DateError::NoSuchMonth { .. } => {
            let year: i32 = y.parse().unwrap_or(0);
            let of = if year < calendar::FIRST_GREGORIAN_YEAR {
                Calendar::Persian
            } else {
                Calendar::Gregorian
            };
            format!("is not a day of the {} calendar", written(of))
        }
        DateError::SolarHijriDate(_) => {
            "is a Solar Hijri date: say `calendar = \"persian\"` in the map".to_string()
        }
        _ => format!("is not a date written {format}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(lines: &[&str]) -> (tempfile::TempDir, Sheet) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clients.csv");
        std::fs::write(&path, format!("{}\n", lines.join("\n"))).unwrap();
        let sheet = Sheet::read(&path, "clients.csv", None).unwrap();
        (dir, sheet)
    }

    const MAP: &str = r#"
[fields."client.name"]
column = "نام"
[fields."client.sex"]
column = "جنسیت"
values = { "زن" = "female", "مرد" = "male" }
[fields."client.birth_date"]
column = "تاریخ تولد"
calendar = "persian"
format = "%Y/%m/%d"
[fields."client.national_id"]
column = "کد ملی"
digits = 10
[fields.program]
default = "female-headed-household"
[fields.opened]
column = "تاریخ پذیرش"
calendar = "persian"
format = "%d/%m/%Y"
[fields.caseworker]
default = "s.ahmadi"
"#;

    #[test]
    fn rows_are_read_as_the_map_says() {
        let (_dir, sheet) = sheet(&[
            "نام,جنسیت,تاریخ تولد,کد ملی,تاریخ پذیرش",
            // Persian digits, a national id that lost its zeros, Arabic yeh in the value.
            "مریم رضایی,زن,۱۳۶۵/۰۴/۳۰,12345678,15/07/1402",
            "علی کریمی,مرد,1360/1/1,۰۰۱۲۳۴۵۶۷۸,1/8/1402",
        ]);
        let map: Map = toml::from_str(MAP).unwrap();
        let (rows, problems) = read(&sheet, &map, "map.toml");
        assert_eq!(problems, []);
        assert_eq!(rows.len(), 2);
        let first = &rows[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.text["client.sex"], "female");
        assert_eq!(first.text["client.national_id"], "0012345678");
        assert_eq!(first.text["program"], "female-headed-household");
        assert_eq!(first.dates["client.birth_date"].to_string(), "1986-07-21");
        assert_eq!(first.dates["opened"].to_string(), "2023-10-07");
        assert_eq!(rows[1].text["client.national_id"], "0012345678");
    }

    #[test]
    fn every_problem_is_told_at_its_cell_without_the_value() {
        let (_dir, sheet) = sheet(&[
            "نام,جنسیت,تاریخ تولد,کد ملی,تاریخ پذیرش",
            "مریم رضایی,زن,1365/12/31,12345678,15/07/1402",
            ",نامعلوم,1365/4,123456789012,15/07/1402",
        ]);
        let map: Map = toml::from_str(MAP).unwrap();
        let (rows, problems) = read(&sheet, &map, "map.toml");
        assert!(rows.is_empty());
        let told: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            told,
            [
                "clients.csv:2:3: error[import]: client.birth_date: is not a day of the Solar Hijri calendar",
                "clients.csv:3:1: error[import]: client.name: is empty, and the map gives no default",
                "clients.csv:3:2: error[import]: client.sex: `نامعلوم` is not among the values the map gives",
                "clients.csv:3:3: error[import]: client.birth_date: is not a date written %Y/%m/%d",
                "clients.csv:3:4: error[import]: client.national_id: is not a national id of 10 digits",
            ]
        );
        for value in ["1365", "123456789012", "مریم"] {
            assert!(!told.iter().any(|t| t.contains(value)), "{value}");
        }
    }

    #[test]
    fn a_map_that_names_no_field_or_no_column_is_told_first() {
        let (_dir, sheet) = sheet(&["نام,جنسیت", "مریم,زن"]);
        let map: Map = toml::from_str(
            "[fields.\"client.nmae\"]\ncolumn = \"نام\"\n[fields.\"client.sex\"]\ncolumn = \"Sex\"\n",
        )
        .unwrap();
        let (_, problems) = read(&sheet, &map, "map.toml");
        let told: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            told,
            [
                "map.toml: error[import]: client.nmae: no case field has this name; did you mean `client.name`?",
                "map.toml: error[import]: client.sex: the file has no column `Sex` (by header, or by its number)",
                "map.toml: error[import]: program: every case needs it: give its column, or a default",
                "map.toml: error[import]: opened: every case needs it: give its column, or a default",
                "map.toml: error[import]: caseworker: every case needs it: give its column, or a default",
                "map.toml: error[import]: client.name: every case needs it: give its column, or a default",
            ]
        );
    }
}
