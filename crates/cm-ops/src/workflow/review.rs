//! `cm review`: record a monitoring review — re-scored domains, goal attainment, the risk decided —
//! at the end of the case's `reviews`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Map, Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{LoadedCase, Phase, Risk};

/// What `cm review` was asked to record.
#[derive(Clone, Debug)]
pub struct Review {
    pub id: String,
    pub date: NaiveDate,
    /// Who held the review; the case's caseworker when `None`.
    pub by: Option<String>,
    /// Re-scored domains, in the order given.
    pub scores: Vec<(String, i64)>,
    /// Goal attainment by goal id, in the order given.
    pub goals: Vec<(String, i64)>,
    /// The risk decided at the review; it becomes the case's `risk` too.
    pub risk: Option<Risk>,
    pub next_due: Option<NaiveDate>,
    pub note: Option<String>,
}

/// Prepares the review; see [`Proposal`] for what happens next.
pub fn review(desk: &Desk, req: &Review) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    review_case(desk, path, case, req)
}

/// Prepares the review of `case`, read from `path` (the fuzz target starts here, in memory).
pub fn review_case(desk: &Desk, path: PathBuf, case: LoadedCase, req: &Review) -> Result<Proposal> {
    let id = &req.id;
    match case.case.phase {
        Some(Phase::Closed) => {
            return Err(Error::request(Cannot::ReviewClosed { id: id.clone() }));
        }
        Some(phase @ (Phase::Intake | Phase::Assessment)) => {
            return Err(Error::request(Cannot::ReviewBeforePlan {
                id: id.clone(),
                phase,
            }));
        }
        _ => {}
    }
    if let Some(next) = req.next_due.filter(|next| *next <= req.date) {
        let ctx = desk.ctx();
        return Err(Error::request(Cannot::NextBeforeReview {
            next: ctx.date(next),
            date: ctx.date(req.date),
        }));
    }
    let by = match req.by.clone().or_else(|| case.case.caseworker.clone()) {
        Some(by) => by,
        None => {
            return Err(Error::request(Cannot::NoCaseworker("held the review")));
        }
    };
    let scores = |pairs: &[(String, i64)], what: &'static str| -> Result<Option<Json>> {
        let mut map = Map::new();
        for (name, value) in pairs {
            if map.insert(name.clone(), json!(value)).is_some() {
                return Err(Error::request(Cannot::GivenTwice {
                    what,
                    name: name.clone(),
                }));
            }
        }
        Ok((!map.is_empty()).then_some(Json::Object(map)))
    };
    let entry = mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("by", Some(json!(by))),
        ("domains", scores(&req.scores, "domain")?),
        ("goals", scores(&req.goals, "goal")?),
        ("risk", req.risk.map(|r| json!(r.as_str()))),
        ("next_due", req.next_due.map(|d| json!(d.to_string()))),
        ("note", req.note.clone().map(Json::from)),
    ]);
    let mut changes = vec![Change::Push(at!["reviews"], Json::Object(entry))];
    if let Some(risk) = req.risk {
        changes.push(Change::Set(at!["risk"], json!(risk.as_str())));
    }
    let summary = format!("{id}: review of {} recorded", req.date);
    propose(
        desk,
        path,
        case,
        &changes,
        "cannot record the review",
        summary,
    )
}
