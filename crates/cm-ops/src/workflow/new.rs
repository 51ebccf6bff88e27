//! `cm new`: open a case under the next free id, in phase intake, valid as written.

use chrono::{Datelike, NaiveDate};
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, gate, mapping, reparse};
use crate::check::{Asked, Diagnostic, Summary, duplicate, summarize};
use crate::duplicates::{self, Person};
use crate::register::{Cases, Known, Register};
use cm_base::error::{Error, Result};
use cm_case::workspace::{SCHEMA_FILE, Workspace};
use cm_case::{Program, Risk, Sex};

/// What `cm new` was asked to open.
#[derive(Clone, Debug)]
pub struct NewCase {
    pub program: Program,
    pub name: String,
    pub sex: Sex,
    pub caseworker: String,
    pub risk: Risk,
    /// The day the case is opened; its year is the year of the id.
    pub date: NaiveDate,
    /// A note for the intake entry of the history.
    pub note: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// The year of birth (Gregorian), when the date is not known.
    pub birth_year: Option<i32>,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub household_size: Option<i64>,
    pub guardian: Option<String>,
    /// The household the client belongs to (`HH-…`).
    pub household: Option<String>,
    /// Cases whose client is known to be another person.
    pub not_duplicate_of: Vec<String>,
    /// The client's first decision about consent, recorded as `cm consent` records it.
    pub consent: Option<FirstConsent>,
    /// The assessment's day and scores, recorded as `cm assess` records them.
    pub assessment: Option<Baseline>,
}

/// The first decision about consent, as [`NewCase::consent`].
#[derive(Clone, Debug, PartialEq)]
pub struct FirstConsent {
    pub given: bool,
    pub date: Option<NaiveDate>,
    pub share_with: Vec<String>,
}

/// The day and the scores of an assessment, as [`NewCase::assessment`].
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    pub date: NaiveDate,
    pub scores: Vec<(String, i64)>,
}

/// Prepares the new case file under the next free id of its year; see [`Proposal`] for what
/// happens next. It is refused when its client may be the client of a case of the workspace
/// (the same national id, or the name, sex and birth of [`crate::duplicates`]), unless
/// `not_duplicate_of` names that case. The cases are looked up last, once the new file has
/// passed the gate.
pub fn new_case(desk: &Desk, req: &NewCase, register: &Register) -> Result<Proposal> {
    let number = next_case_number(&desk.ws, register, req.date.year())?;
    let id = format!(
        "{}-{}-{number:04}",
        desk.ws.settings.workspace.id_prefix,
        req.date.year()
    );
    new_case_as(desk, req, &id, register)
}

/// The number the next case opened in `year` takes: one more than the highest of the year
/// anywhere in the workspace (see [`Register::highest`]).
pub fn next_case_number(ws: &Workspace, register: &Register, year: i32) -> Result<u64> {
    let prefix = &ws.settings.workspace.id_prefix;
    let valid_prefix = prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !valid_prefix {
        return Err(Error::request(Cannot::IdPrefix(prefix.clone())));
    }
    Ok(register.highest(year)? + 1)
}

/// [`new_case`] under the id `id`, of the year of `req.date`.
pub fn new_case_as(desk: &Desk, req: &NewCase, id: &str, cases: &dyn Cases) -> Result<Proposal> {
    let ws = &desk.ws;
    let year = req.date.year();
    let display = format!("{}/{year}/{id}.yaml", cm_case::workspace::CASES_DIR);
    let path = ws
        .cases_dir()
        .join(year.to_string())
        .join(format!("{id}.yaml"));
    // A folder on the way that is a link stops the command before anything is read.
    cm_base::files::confine(&ws.root, &path)?;

    let date = json!(req.date.to_string());
    let intake = mapping([
        ("date", Some(date.clone())),
        ("phase", Some(json!("intake"))),
        ("by", Some(json!(req.caseworker))),
        ("risk", Some(json!(req.risk.as_str()))),
        ("note", req.note.clone().map(Json::from)),
    ]);
    let client = mapping([
        ("name", Some(json!(req.name))),
        ("sex", Some(json!(req.sex.as_str()))),
        ("birth_date", req.birth_date.map(|d| json!(d.to_string()))),
        ("birth_year", req.birth_year.map(Json::from)),
        ("national_id", req.national_id.clone().map(Json::from)),
        ("phone", req.phone.clone().map(Json::from)),
        ("address", req.address.clone().map(Json::from)),
        ("household_size", req.household_size.map(Json::from)),
        ("guardian", req.guardian.clone().map(Json::from)),
    ]);
    let apart = (!req.not_duplicate_of.is_empty()).then(|| json!(req.not_duplicate_of));
    let consent = req.consent.as_ref().map(|c| {
        Json::Object(mapping([
            ("given", Some(json!(c.given))),
            ("date", c.date.map(|d| json!(d.to_string()))),
            (
                "share_with",
                (!c.share_with.is_empty()).then(|| json!(c.share_with)),
            ),
            ("by", Some(json!(req.caseworker))),
        ]))
    });
    let assessment = req.assessment.as_ref().map(|a| {
        let domains: serde_json::Map<String, Json> = a
            .scores
            .iter()
            .map(|(domain, score)| (domain.clone(), json!(score)))
            .collect();
        json!({"date": a.date.to_string(), "domains": domains})
    });
    let doc = mapping([
        ("id", Some(json!(id))),
        ("program", Some(json!(req.program.as_str()))),
        ("opened", Some(date)),
        ("caseworker", Some(json!(req.caseworker))),
        ("risk", Some(json!(req.risk.as_str()))),
        ("phase", Some(json!("intake"))),
        ("client", Some(Json::Object(client))),
        ("household", req.household.clone().map(Json::from)),
        ("not_duplicate_of", apart),
        ("consent", consent),
        ("assessment", assessment),
        ("history", Some(json!([intake]))),
    ]);
    // The modeline lets an editor with the YAML language server check the file while typing.
    let text = format!(
        "# yaml-language-server: $schema=../../{SCHEMA_FILE}\n{}",
        cm_base::patch::document(&doc)
    );
    let after = reparse(text, &display, &Json::Object(doc))?;
    let warnings = gate(desk, None, &after, "cannot open the case")?;
    let new = summarize(&after);
    let known = cases.near(&new.person, &req.not_duplicate_of)?;
    // A case named as another person's must be one: a typo would be kept, and counted as a
    // number taken.
    for apart in &req.not_duplicate_of {
        if !known.iter().any(|k| k.person.id.as_ref() == Some(apart)) {
            let ids = cases.ids()?;
            return Err(Error::CaseNotFound {
                id: apart.clone(),
                nearest: cm_base::text::suggest(apart, ids.iter().map(String::as_str))
                    .map(str::to_string)
                    .into_iter()
                    .collect(),
            });
        }
    }
    known_twice(new, &known)?;
    Ok(Proposal {
        root: desk.ws.root.clone(),
        path,
        display: display.clone(),
        before: None,
        after: after.source,
        summary: display.clone(),
        warnings,
    })
}

/// Refuses the case `new` when its client may be known already: every case of `known` it may be
/// of is a reason, as `cm validate` would warn of it once written.
fn known_twice(new: Summary, known: &[Known]) -> Result<()> {
    let people: Vec<Person> = known.iter().map(|k| k.person.clone()).collect();
    let reasons: Vec<Diagnostic> = duplicates::matches(&people, &new.person)
        .iter()
        .map(|pair| {
            let first = &known[pair.first];
            let first = Summary {
                display: first.display.clone(),
                id: None,
                national_id_at: Default::default(),
                name_at: Default::default(),
                person: first.person.clone(),
                caseworker: None,
                links: Vec::new(),
                apart: Vec::new(),
                arrived: false,
            };
            duplicate(&first, &new, pair, Asked::New)
        })
        .collect();
    if reasons.is_empty() {
        return Ok(());
    }
    Err(Error::Refused {
        what: "cannot open the case: the client may be known here already".to_string(),
        reasons,
    })
}
