//! `cm assess`: record a case's needs assessment — the baseline domain scores, the client's
//! strengths and needs — as the case's `assessment`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Map, Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{LoadedCase, Phase};

/// What `cm assess` was asked to record.
#[derive(Clone, Debug)]
pub struct Assessment {
    pub id: String,
    pub date: NaiveDate,
    /// Baseline scores by domain, in the order given (at least one).
    pub scores: Vec<(String, i64)>,
    /// The client's strengths, in the order given.
    pub strengths: Vec<String>,
    /// The client's needs, in the order given.
    pub needs: Vec<String>,
}

/// Prepares the assessment; see [`Proposal`] for what happens next.
pub fn assess(desk: &Desk, req: &Assessment) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    assess_case(desk, path, case, req)
}

/// Prepares the assessment of `case`, read from `path`.
pub fn assess_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &Assessment,
) -> Result<Proposal> {
    let id = &req.id;
    match case.case.phase {
        None | Some(Phase::Intake | Phase::Assessment) => {}
        Some(phase) => {
            return Err(Error::request(Cannot::AssessLate {
                id: id.clone(),
                phase,
            }));
        }
    }
    if case.case.assessment.is_some() {
        return Err(Error::request(Cannot::AssessedAlready { id: id.clone() }));
    }
    if req.scores.is_empty() {
        return Err(Error::request(Cannot::AssessWithoutScores));
    }
    let mut domains = Map::new();
    for (name, value) in &req.scores {
        if domains.insert(name.clone(), json!(value)).is_some() {
            return Err(Error::request(Cannot::GivenTwice {
                what: "domain",
                name: name.clone(),
            }));
        }
    }
    let list = |items: &[String]| (!items.is_empty()).then(|| json!(items));
    let count = domains.len();
    let entry = mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("domains", Some(Json::Object(domains))),
        ("strengths", list(&req.strengths)),
        ("needs", list(&req.needs)),
    ]);
    let changes = [Change::Set(at!["assessment"], Json::Object(entry))];
    let summary = format!(
        "{id}: assessment of {} recorded ({count} domain{})",
        req.date,
        if count == 1 { "" } else { "s" }
    );
    propose(
        desk,
        path,
        case,
        &changes,
        "cannot record the assessment",
        summary,
    )
}
