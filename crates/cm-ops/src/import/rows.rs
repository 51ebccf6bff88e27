//! The rows of a sheet read through a map (`MAP.toml`) into the values of new cases: each cell
//! read as its field's map entry says (the column, a calendar and a format for dates, the
//! digits of a national id, a table of values, a default), every problem at its cell, and no
//! value of a client in a message (the cell is named instead).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cm_base::calendar::{self, Calendar, DateError};
use cm_base::diagnostic::{Code, Severity};
use cm_base::text::printable;
use serde::{Deserialize, Serialize};

use super::fields::{self, DOMAIN, DOMAINS, FIELDS, Field, Kind};
use super::sheet::{Place, Sheet, Value};

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

/// A problem of the map itself, of a row or of a cell: an error of the code `import`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Problem {
    /// `clients.xlsx:Sheet1:14:C`, a row, or the map's file.
    #[serde(flatten)]
    pub place: Place,
    pub severity: Severity,
    pub code: Code,
    /// The field of the case the problem is about (`client.birth_date`), or for a row the
    /// rules refuse, the code of the rule.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(place: Place, field: &str, message: String) -> Problem {
        Problem {
            place,
            severity: Severity::Error,
            code: Code::Import,
            field: field.to_string(),
            message,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}: {}",
            self.place,
            self.severity,
            self.code,
            printable(&self.field),
            printable(&self.message)
        )
    }
}

/// The values of one row, by field (`client.name` → the text), each as the case file writes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Values {
    /// The row's number in the sheet.
    pub line: usize,
    /// Texts, the names of closed sets, national ids, and yes or no as `true` or `false`.
    pub text: BTreeMap<String, String>,
    pub dates: BTreeMap<String, NaiveDate>,
    /// Years, counts and scores.
    pub numbers: BTreeMap<String, i64>,
    pub lists: BTreeMap<String, Vec<String>>,
}

impl Values {
    /// Whether the row gives `field` a value.
    fn has(&self, field: &str) -> bool {
        self.text.contains_key(field)
            || self.dates.contains_key(field)
            || self.numbers.contains_key(field)
            || self.lists.contains_key(field)
    }

    /// The domains the row scores, with their scores.
    pub fn scores(&self) -> impl Iterator<Item = (&str, i64)> {
        self.numbers
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(DOMAIN)?, *v)))
    }
}

/// Fields that go together: when the map or a row gives any of the first, it must give the
/// second (consent has its decision; an assessment its day, and a day its scores).
const TOGETHER: &[(&[&str], &str, &str)] = &[
    (
        &["consent.date", "consent.share_with"],
        "consent.given",
        "a day or organisations of consent",
    ),
    (&[DOMAINS], "assessment.date", "scores of the assessment"),
    (&["assessment.date"], DOMAINS, "a day of the assessment"),
];

/// Reads every row of `sheet` through `map` (read from the file shown as `map_file`): the
/// values of each row that has no problem, and every problem, in the order of the rows.
/// `domains` are the workspace's domains of assessment, if it names them.
pub fn read(
    sheet: &Sheet,
    map: &Map,
    map_file: &str,
    domains: &[String],
) -> (Vec<Values>, Vec<Problem>) {
    let mut problems = Vec::new();
    let at_map = |field: &str, message: String| Problem::new(Place::file(map_file), field, message);
    // The map first: a field it names must be one, its column there, each needed field given.
    let mut columns: BTreeMap<&str, (&Field, Option<usize>, &Entry)> = BTreeMap::new();
    for (name, entry) in &map.fields {
        let Some((field, domain)) = fields::field(name) else {
            let known = FIELDS.iter().map(|f| f.path).filter(|p| *p != DOMAINS);
            let near = cm_base::text::suggest(name, known)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            problems.push(at_map(name, format!("no case field has this name{near}")));
            continue;
        };
        if let Some(domain) = domain {
            let named = domain.starts_with(|c: char| c.is_ascii_lowercase())
                && domain
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !named {
                problems.push(at_map(
                    name,
                    "is not a domain name (lowercase letters, digits and `_`, starting with a letter)"
                        .to_string(),
                ));
                continue;
            }
            if !domains.is_empty() && !domains.iter().any(|d| d == domain) {
                let near = cm_base::text::suggest(domain, domains.iter().map(String::as_str))
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                problems.push(at_map(
                    name,
                    format!("is not among the domains of cm.toml's [assessment]{near}"),
                ));
                continue;
            }
        }
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
        columns.insert(name, (field, column, entry));
    }
    let mapped = |path: &str| columns.values().any(|(field, ..)| field.path == path);
    for field in FIELDS.iter().filter(|f| f.required).map(|f| f.path) {
        let given = columns
            .get(field)
            .is_some_and(|(_, column, entry)| column.is_some() || entry.default.is_some());
        if !given && !problems.iter().any(|p| p.field == *field) {
            problems.push(at_map(
                field,
                "every case needs it: give its column, or a default".to_string(),
            ));
        }
    }
    for (with, needed, what) in TOGETHER {
        if with.iter().any(|w| mapped(w)) && !mapped(needed) {
            problems.push(at_map(
                needed,
                format!("the map gives {what}, and not this field"),
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
        let place = |column: Option<usize>| match column {
            Some(i) => sheet.place(row.line, i),
            None => sheet.row_place(row.line),
        };
        // The problems of the row, told in the order of its columns.
        let mut found: Vec<(Option<usize>, Problem)> = Vec::new();
        for (&name, &(field, column, entry)) in &columns {
            let cell = column
                .and_then(|i| row.cells.get(i))
                .filter(|c| !c.is_empty());
            let (cell, from_map) = match (cell, &entry.default) {
                (Some(cell), _) => (cell.clone(), false),
                (None, Some(default)) => (Value::Text(default.clone()), true),
                (None, None) if field.required => {
                    let message = "is empty, and the map gives no default".to_string();
                    found.push((column, Problem::new(place(column), name, message)));
                    continue;
                }
                (None, None) => continue,
            };
            if let Err(message) = read_cell(name, field.kind, &cell, from_map, entry, &mut values) {
                found.push((column, Problem::new(place(column), name, message)));
            }
        }
        if found.is_empty() {
            // Fields that go together, in the row.
            for (with, needed, what) in TOGETHER {
                let has = |path: &str| {
                    columns
                        .iter()
                        .any(|(name, (field, ..))| field.path == path && values.has(name))
                };
                let Some(given) = with.iter().find(|w| has(w)) else {
                    continue;
                };
                if has(needed) {
                    continue;
                }
                // At the empty cell; for the scores, many, at the day's.
                let (at, message) = match *needed {
                    DOMAINS => (
                        *given,
                        "the row scores no domain, and has this day".to_string(),
                    ),
                    _ => (*needed, format!("is empty, and the row has {what}")),
                };
                let column = columns.get(at).and_then(|c| c.1);
                found.push((column, Problem::new(place(column), at, message)));
            }
            if values
                .text
                .get("consent.given")
                .is_some_and(|g| g == "false")
                && values.lists.contains_key("consent.share_with")
            {
                let column = columns.get("consent.share_with").and_then(|c| c.1);
                let message = "names organisations, and the client refused consent".to_string();
                found.push((
                    column,
                    Problem::new(place(column), "consent.share_with", message),
                ));
            }
        }
        found.sort_by_key(|(column, _)| *column);
        if found.is_empty() {
            rows.push(values);
        }
        problems.extend(found.into_iter().map(|(_, p)| p));
    }
    (rows, problems)
}

/// Reads `cell` as the field `name`, of `kind`, into `values`, or says why it cannot be —
/// without the cell's value: only a value the map wrote (`from_map`, or through its `values`
/// table) may be named.
fn read_cell(
    name: &str,
    kind: Kind,
    cell: &Value,
    from_map: bool,
    entry: &Entry,
    values: &mut Values,
) -> Result<(), String> {
    let calendar = entry.calendar.unwrap_or(Calendar::Gregorian);
    let key = name.to_string();
    match kind {
        Kind::Date => {
            let date = match cell {
                Value::Date(d) => *d,
                other => date(&text(other), entry.format.as_deref(), calendar)?,
            };
            values.dates.insert(key, date);
        }
        Kind::Year | Kind::Count | Kind::Score => {
            let n = number(cell).ok_or("is not a whole number")?;
            let n = match kind {
                Kind::Year if calendar == Calendar::Persian => n.saturating_add(621),
                Kind::Score if !(1..=5).contains(&n) => {
                    return Err("is not a score of 1 to 5".into());
                }
                _ => n,
            };
            values.numbers.insert(key, n);
        }
        Kind::Organisations => {
            let mut orgs: Vec<String> = Vec::new();
            for item in text(cell).split([',', '،', ';', '؛', '\n']).map(str::trim) {
                if item.is_empty() {
                    continue;
                }
                let (org, from_map) = looked_up(item, from_map, entry)?;
                let org = org.trim().to_lowercase();
                let fits = org.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                    && org.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'
                    });
                if !fits {
                    return Err(match from_map {
                        true => format!("`{org}` is not an organisation id (lowercase letters, digits, `_` and `-`)"),
                        false => "is not a list of organisation ids (lowercase letters, digits, `_` and `-`, separated by commas); a `values` table in the map may say what each is".to_string(),
                    });
                }
                if !orgs.contains(&org) {
                    orgs.push(org);
                }
            }
            if !orgs.is_empty() {
                values.lists.insert(key, orgs);
            }
        }
        Kind::Text | Kind::OneOf(_) | Kind::NationalId | Kind::Flag => {
            let (value, from_map) = looked_up(&text(cell), from_map, entry)?;
            let value = match kind {
                Kind::NationalId => {
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
                Kind::OneOf(names) => one_of(&value, from_map, names)?,
                Kind::Flag => match value.trim().to_lowercase().as_str() {
                    "true" | "yes" => "true".to_string(),
                    "false" | "no" => "false".to_string(),
                    _ => return Err(one_of(&value, from_map, &["true", "false"]).unwrap_err()),
                },
                _ => value,
            };
            values.text.insert(key, value);
        }
    }
    Ok(())
}

/// `raw` through the `values` table of `entry`, if it has one (compared whatever the Arabic
/// or Persian letters), and whether what comes out is the map's; or why not, without `raw`
/// unless it is the map's.
fn looked_up(raw: &str, from_map: bool, entry: &Entry) -> Result<(String, bool), String> {
    if entry.values.is_empty() {
        return Ok((raw.to_string(), from_map));
    }
    let key = cm_base::spelling::normalise(raw);
    match entry
        .values
        .iter()
        .find(|(k, _)| cm_base::spelling::normalise(k) == key)
    {
        Some((_, v)) => Ok((v.clone(), true)),
        None if from_map => Err(format!("`{raw}` is not among the values the map gives")),
        None => Err("is not among the values the map gives".to_string()),
    }
}

/// `value` as one of `names`, or why not (the names listed; the value named if it is the
/// map's).
fn one_of(value: &str, from_map: bool, names: &[&str]) -> Result<String, String> {
    let value = value.trim().to_lowercase();
    if names.contains(&value.as_str()) {
        return Ok(value);
    }
    let named = if from_map {
        format!("`{value}` is")
    } else {
        "is".to_string()
    };
    Err(format!(
        "{named} not one of {}; a `values` table in the map may say what it is",
        names.join(", ")
    ))
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
        let (rows, problems) = read(&sheet, &map, "map.toml", &[]);
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
        let (rows, problems) = read(&sheet, &map, "map.toml", &[]);
        assert!(rows.is_empty());
        let told: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            told,
            [
                "clients.csv:2:3: error[import]: client.birth_date: is not a day of the Solar Hijri calendar",
                "clients.csv:3:1: error[import]: client.name: is empty, and the map gives no default",
                "clients.csv:3:2: error[import]: client.sex: is not among the values the map gives",
                "clients.csv:3:3: error[import]: client.birth_date: is not a date written %Y/%m/%d",
                "clients.csv:3:4: error[import]: client.national_id: is not a national id of 10 digits",
            ]
        );
        for value in ["1365", "123456789012", "مریم", "نامعلوم"] {
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
        let (_, problems) = read(&sheet, &map, "map.toml", &[]);
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

    const CONSENT_AND_SCORES: &str = r#"
[fields."consent.given"]
column = "رضایت"
values = { "بله" = "true", "خیر" = "false" }
[fields."consent.date"]
column = "تاریخ رضایت"
calendar = "persian"
format = "%Y/%m/%d"
[fields."consent.share_with"]
column = "تبادل اطلاعات با"
values = { "بهزیستی" = "behzisti", "کمیته امداد" = "emdad" }
[fields."assessment.date"]
column = "تاریخ ارزیابی"
calendar = "persian"
format = "%Y/%m/%d"
[fields."assessment.domains.income"]
column = "درآمد"
[fields."assessment.domains.housing"]
column = "مسکن"
"#;

    #[test]
    fn consent_and_the_assessments_scores_are_read_and_go_together() {
        let (_dir, sheet) = sheet(&[
            "نام,جنسیت,تاریخ تولد,کد ملی,تاریخ پذیرش,رضایت,تاریخ رضایت,تبادل اطلاعات با,تاریخ ارزیابی,درآمد,مسکن",
            "مریم رضایی,زن,1365/04/30,1,15/07/1402,بله,1402/07/15,\"بهزیستی، کمیته امداد\",1402/07/20,۲,4",
            "علی کریمی,مرد,1360/1/1,2,1/8/1402,,,,,,",
            "زهرا احمدی,زن,1360/1/1,3,1/8/1402,خیر,1402/08/01,بهزیستی,,3,",
            "لیلا کریمی,زن,1360/1/1,4,1/8/1402,,1402/08/01,,1402/08/02,6,",
        ]);
        let map: Map = toml::from_str(&format!("{MAP}{CONSENT_AND_SCORES}")).unwrap();
        let domains = ["housing".to_string(), "income".to_string()];
        let (rows, problems) = read(&sheet, &map, "map.toml", &domains);
        let told: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            told,
            [
                "clients.csv:4:8: error[import]: consent.share_with: names organisations, and the client refused consent",
                "clients.csv:4:9: error[import]: assessment.date: is empty, and the row has scores of the assessment",
                "clients.csv:5:10: error[import]: assessment.domains.income: is not a score of 1 to 5",
            ]
        );
        assert_eq!(rows.len(), 2);
        let first = &rows[0];
        assert_eq!(first.text["consent.given"], "true");
        assert_eq!(first.dates["consent.date"].to_string(), "2023-10-07");
        assert_eq!(first.lists["consent.share_with"], ["behzisti", "emdad"]);
        assert_eq!(first.dates["assessment.date"].to_string(), "2023-10-12");
        assert_eq!(
            first.scores().collect::<Vec<_>>(),
            [("housing", 4), ("income", 2)]
        );
        // A row with none of them has none.
        assert!(!rows[1].has("consent.given") && rows[1].scores().next().is_none());

        // A consent with no decision, once the score is mended.
        let (_dir2, sheet) = self::sheet(&[
            "نام,جنسیت,تاریخ تولد,کد ملی,تاریخ پذیرش,رضایت,تاریخ رضایت,تبادل اطلاعات با,تاریخ ارزیابی,درآمد,مسکن",
            "لیلا کریمی,زن,1360/1/1,4,1/8/1402,,1402/08/01,,1402/08/02,,",
        ]);
        let (_, problems) = read(&sheet, &map, "map.toml", &domains);
        let told: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            told,
            [
                "clients.csv:2:6: error[import]: consent.given: is empty, and the row has a day or organisations of consent",
                "clients.csv:2:9: error[import]: assessment.date: the row scores no domain, and has this day",
            ]
        );
    }

    #[test]
    fn a_map_of_scores_needs_their_day_and_domains_of_the_workspace() {
        let (_dir, sheet) = sheet(&["نام,درآمد,رضایت", "مریم,2,بله"]);
        let map: Map = toml::from_str(&format!(
            "{MAP}[fields.\"assessment.domains.incom\"]\ncolumn = \"درآمد\"\n\
             [fields.\"assessment.domains.Income\"]\ncolumn = \"درآمد\"\n\
             [fields.\"consent.share_with\"]\ncolumn = \"رضایت\"\n"
        ))
        .unwrap();
        let (_, problems) = read(&sheet, &map, "map.toml", &["income".to_string()]);
        let told: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(told.contains(&"map.toml: error[import]: assessment.domains.Income: is not a domain name (lowercase letters, digits and `_`, starting with a letter)".to_string()), "{told:#?}");
        assert!(told.contains(&"map.toml: error[import]: assessment.domains.incom: is not among the domains of cm.toml's [assessment]; did you mean `income`?".to_string()), "{told:#?}");
        assert!(told.contains(&"map.toml: error[import]: consent.given: the map gives a day or organisations of consent, and not this field".to_string()), "{told:#?}");
    }
}
