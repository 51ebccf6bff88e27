//! `cm import`: the cases an office keeps in a spreadsheet, brought in. [`sheet`] reads a CSV
//! file or a workbook's sheet with the place of every cell; the map (`MAP.toml`) says, for each
//! case field, the column it comes from and how to read it; [`template`] writes a first map from
//! the file's header row.

pub mod fields;
pub mod rows;
pub mod sheet;

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::Datelike;
use cm_base::error::{Error, Result};
use cm_case::{Case, Client, Phase, Program, Risk, Sex};

use crate::duplicates::{Index, Person};
use crate::register::Register;
use crate::workflow::{self, Baseline, Desk, FirstConsent, Known, NewCase, Proposal};
use fields::{DOMAIN, DOMAINS, FIELDS, Field, header_for};
use rows::{Problem, Values};
use sheet::{Place, Sheet};

/// A row whose client is known here already: not imported.
#[derive(Clone, Debug)]
pub struct Skipped {
    /// The row, `clients.csv:14`.
    pub place: Place,
    /// The case the client may be the client of (its file), or the row of this file.
    pub known_as: String,
    /// How: `national_id`, `name+birth_date`, `name+birth_year` (see [`By`]), or `name` — the
    /// same name and sex, and neither tells a birth or a national id.
    pub by: &'static str,
}

/// What an import would do: the new cases, each with its row, the rows skipped, and the
/// problems of the rows the rules refuse.
#[derive(Debug, Default)]
pub struct Plan {
    pub cases: Vec<(usize, Proposal)>,
    pub skipped: Vec<Skipped>,
    pub problems: Vec<Problem>,
}

/// The new cases of `rows` (read from `sheet`), numbered as `cm new` numbers, each put through
/// `cm new`'s writer and gate; a row whose client is a client of a `known` case, or of an
/// earlier row, is skipped (the same national id, or the name, sex and birth of
/// [`crate::duplicates`]; when neither tells a birth or a national id, the same name and sex:
/// [`Person::bare_name`]).
pub fn plan(
    desk: &Desk,
    register: &Register,
    sheet: &Sheet,
    rows: &[Values],
    known: Vec<Known>,
) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut people = Index::new(known.iter().map(|k| k.person.clone()).collect());
    let mut bare: HashMap<(Sex, Vec<String>), usize> = known
        .iter()
        .enumerate()
        .filter_map(|(i, k)| Some((k.person.bare_name()?, i)))
        .collect();
    let mut names: Vec<String> = known.into_iter().map(|k| k.display).collect();
    let mut next: HashMap<i32, u64> = HashMap::new();
    let prefix = desk.ws.settings.workspace.id_prefix.clone();
    for row in rows {
        let place = sheet.row_place(row.line);
        let req = request(row, &desk.ws.settings.assessment.domains);
        let year = req.date.year();
        let number = match next.get(&year) {
            Some(n) => *n,
            None => {
                let n = workflow::next_case_number(&desk.ws, register, year)?;
                next.insert(year, n);
                n
            }
        };
        let id = format!("{prefix}-{year}-{number:04}");
        let person = Person::of(&case(&id, &req));
        let known = people
            .matches(&person)
            .first()
            .map(|p| (p.first, p.by.as_str()));
        let bare_name = person.bare_name();
        let known = known.or_else(|| Some((*bare.get(bare_name.as_ref()?)?, "name")));
        if let Some((first, by)) = known {
            plan.skipped.push(Skipped {
                place,
                known_as: names[first].clone(),
                by,
            });
            continue;
        }
        match workflow::new_case_as(desk, &req, &id, &Vec::new()) {
            Ok(proposal) => {
                next.insert(year, number + 1);
                if let Some(key) = bare_name {
                    bare.insert(key, names.len());
                }
                people.add(person);
                names.push(place.to_string());
                plan.cases.push((row.line, proposal));
            }
            // The rules' reasons name no value of the client: told at the row.
            Err(Error::Refused { reasons, .. }) => plan.problems.extend(
                reasons
                    .into_iter()
                    .map(|d| Problem::new(place.clone(), d.code.as_str(), d.message)),
            ),
            Err(e) => return Err(e),
        }
    }
    Ok(plan)
}

/// What `cm new` is asked for by a row; the scores of its assessment in the order of `domains`
/// (the workspace's), then of their names.
fn request(row: &Values, domains: &[String]) -> NewCase {
    let text = |f: &str| row.text.get(f).cloned();
    let consent = text("consent.given").map(|given| FirstConsent {
        given: given == "true",
        date: row.dates.get("consent.date").copied(),
        share_with: row
            .lists
            .get("consent.share_with")
            .cloned()
            .unwrap_or_default(),
    });
    let mut scores: Vec<(String, i64)> = row.scores().map(|(d, n)| (d.to_string(), n)).collect();
    scores.sort_by_key(|(d, _)| {
        domains
            .iter()
            .position(|known| known == d)
            .unwrap_or(usize::MAX)
    });
    let assessment = row.dates.get("assessment.date").map(|date| Baseline {
        date: *date,
        scores,
    });
    NewCase {
        program: parsed(row, "program").unwrap_or(Program::General),
        name: text("client.name").unwrap_or_default(),
        sex: parsed(row, "client.sex").unwrap_or(Sex::Unknown),
        caseworker: text("caseworker").unwrap_or_default(),
        risk: parsed(row, "risk").unwrap_or(Risk::Medium),
        date: row.dates.get("opened").copied().unwrap_or_default(),
        note: text("note"),
        birth_date: row.dates.get("client.birth_date").copied(),
        birth_year: row
            .numbers
            .get("client.birth_year")
            .and_then(|n| i32::try_from(*n).ok()),
        national_id: text("client.national_id"),
        phone: text("client.phone"),
        address: text("client.address"),
        household_size: row.numbers.get("client.household_size").copied(),
        guardian: text("client.guardian"),
        household: text("household"),
        not_duplicate_of: Vec::new(),
        consent,
        assessment,
    }
}

/// The value of `field` in `row`, as a `T` (already checked to be one).
fn parsed<T: std::str::FromStr>(row: &Values, field: &str) -> Option<T> {
    row.text.get(field).and_then(|t| t.parse().ok())
}

/// The new case `id` of `req`, as far as comparing its client needs.
fn case(id: &str, req: &NewCase) -> Case {
    Case {
        id: Some(id.to_string()),
        phase: Some(Phase::Intake),
        client: Some(Client {
            name: Some(req.name.clone()),
            sex: Some(req.sex),
            birth_date: req.birth_date,
            birth_year: req.birth_year,
            national_id: req.national_id.clone(),
            ..Client::default()
        }),
        ..Case::default()
    }
}

/// A first map for `sheet`: every field, each mapped to the column whose header names it, the
/// others commented out, with what each is and the keys worth filling in; a score for each of
/// `domains` (the workspace's). A file whose headers name the case fields imports with it as
/// it is.
pub fn template(sheet: &Sheet, domains: &[String]) -> String {
    let mut out = String::new();
    let source = match &sheet.name {
        Some(name) => format!("{}, sheet {name}", sheet.file),
        None => sheet.file.clone(),
    };
    let _ = writeln!(
        out,
        "# The map of {source} for `cm import`: for each case field, the"
    );
    let _ = writeln!(
        out,
        "# column it comes from (its header, or its {}) and how to read it.",
        if sheet.name.is_some() {
            "letter"
        } else {
            "number"
        }
    );
    let _ = writeln!(out, "# The columns:");
    for (i, h) in sheet.header.iter().enumerate() {
        let _ = writeln!(out, "#   {}  {}", sheet.column_name(i), toml_string(h));
    }
    for field in FIELDS {
        if field.path != DOMAINS {
            let _ = writeln!(out);
            let _ = writeln!(out, "# {}", capitalised(field.what));
            entry(&mut out, sheet, field, field.path);
            continue;
        }
        // A domain's score: one entry for each domain of the workspace, or an example.
        let _ = writeln!(out);
        let _ = writeln!(out, "# {}", capitalised(field.what));
        if domains.is_empty() {
            entry(&mut out, sheet, field, &format!("{DOMAIN}income"));
        }
        for domain in domains {
            entry(&mut out, sheet, field, &format!("{DOMAIN}{domain}"));
        }
    }
    out
}

/// The entry of the map for `field` at `path`: mapped to the column whose header names it, or
/// commented out.
fn entry(out: &mut String, sheet: &Sheet, field: &Field, path: &str) {
    match header_for(sheet, field, path) {
        Some(i) => {
            let _ = writeln!(out, "[fields.{}]", toml_string(path));
            let _ = writeln!(out, "column = {}", toml_string(&sheet.header[i]));
            let values = field.closed.then(|| values(sheet, i)).flatten();
            if let Some(values) = &values {
                let _ = writeln!(out, "# what each value of the column is:");
                let _ = writeln!(out, "# values = {{ {values} }}");
            }
            for hint in field.hints.iter().skip(usize::from(values.is_some())) {
                let _ = writeln!(out, "# {hint}");
            }
        }
        None => {
            let _ = writeln!(out, "# [fields.{}]", toml_string(path));
            let _ = writeln!(out, "# column = \"…\"");
            for hint in field.hints {
                let _ = writeln!(out, "# {hint}");
            }
        }
    }
}

/// The values of the column `index` of `sheet`, each once, as a TOML table to fill in
/// (`"زن" = "…", "مرد" = "…"`); `None` for more than 20 of them.
fn values(sheet: &Sheet, index: usize) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    for row in &sheet.rows {
        if let Some(sheet::Value::Text(t)) = row.cells.get(index) {
            let t = t.trim().to_string();
            if !t.is_empty() && !seen.contains(&t) {
                seen.push(t);
            }
        }
        if seen.len() > 20 {
            return None;
        }
    }
    (!seen.is_empty()).then(|| {
        seen.iter()
            .map(|v| format!("{} = \"…\"", toml_string(v)))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// `s` with its first letter a capital.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(lines: &[&str]) -> Sheet {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clients.csv");
        std::fs::write(&path, format!("{}\n", lines.join("\n"))).unwrap();
        Sheet::read(&path, "clients.csv", None).unwrap()
    }

    #[test]
    fn headers_that_name_fields_are_mapped_and_the_template_is_a_map() {
        let sheet = sheet(&[
            "نام,Sex,birth date,کد ملی,Caseworker,Favourite colour",
            "مریم,زن,1365/04/30,123,سارا,آبی",
            "علی,مرد,1360/01/01,456,سارا,سبز",
        ]);
        let text = template(&sheet, &[]);
        assert!(
            text.contains("[fields.\"client.name\"]\ncolumn = \"نام\"\n"),
            "{text}"
        );
        // The values of a closed set, to say what each is; no other column's.
        assert!(
            text.contains(
                "[fields.\"client.sex\"]\ncolumn = \"Sex\"\n# what each value of the column is:\n\
                 # values = { \"زن\" = \"…\", \"مرد\" = \"…\" }\n"
            ),
            "{text}"
        );
        assert!(!text.contains("آبی") && !text.contains("مریم"), "{text}");
        assert!(text.contains("[fields.\"client.birth_date\"]\ncolumn = \"birth date\"\n"));
        assert!(text.contains("[fields.\"client.national_id\"]\ncolumn = \"کد ملی\"\n"));
        assert!(text.contains("[fields.\"caseworker\"]\ncolumn = \"Caseworker\"\n"));
        // A field no header names is there, commented out.
        assert!(text.contains("# [fields.\"program\"]\n"), "{text}");
        // A column no field takes is listed, and nothing more.
        assert!(text.contains("#   6  \"Favourite colour\"\n"), "{text}");
        // What it writes is TOML, with each mapped field a table.
        let map: toml::Table = toml::from_str(&text).unwrap();
        let fields = map["fields"].as_table().unwrap();
        assert_eq!(
            fields.keys().collect::<Vec<_>>(),
            [
                "caseworker",
                "client.birth_date",
                "client.name",
                "client.national_id",
                "client.sex"
            ]
        );
    }
}
