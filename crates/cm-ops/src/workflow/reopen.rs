//! `cm reopen`: a returning client starts a new episode of a closed case. The case goes back to
//! `intake`; the history gains the intake entry that starts the episode (with the risk decided
//! at intake and why the case is reopened); and the closure moves, as it was, to the end of
//! `episodes`, with the day the episode it ended was opened.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{LoadedCase, Phase, Risk};

/// What `cm reopen` was asked to do.
#[derive(Clone, Debug)]
pub struct Reopening {
    pub id: String,
    /// Why the case is reopened (personal text).
    pub reason: String,
    /// The risk decided at the new intake; the case's risk when `None`.
    pub risk: Option<Risk>,
    /// The day of the new intake.
    pub date: NaiveDate,
    /// Who reopens the case; the case's caseworker when `None`.
    pub by: Option<String>,
}

/// Prepares the reopening; see [`Proposal`] for what happens next.
pub fn reopen(desk: &Desk, req: &Reopening) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    reopen_case(desk, path, case, req)
}

/// Prepares the reopening of `case`, read from `path`.
pub fn reopen_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &Reopening,
) -> Result<Proposal> {
    let id = &req.id;
    let c = &case.case;
    match c.phase {
        Some(Phase::Closed) => {}
        Some(phase) => {
            return Err(Error::request(Cannot::NotClosed {
                id: id.clone(),
                phase,
            }));
        }
        None => {
            return Err(Error::Edit {
                path: case.display,
                message: "the case has no valid `phase`; correct it first (see `cm validate`)"
                    .to_string(),
            });
        }
    }
    let (Some(closure), Some(closed)) = (
        case.json.get("closure").filter(|c| c.is_object()),
        c.closure.as_ref().and_then(|x| x.date),
    ) else {
        return Err(Error::Edit {
            path: case.display,
            message: "the case is closed but has no valid `closure` with its date; correct it \
                      first (see `cm validate`)"
                .to_string(),
        });
    };
    if req.date < closed {
        let ctx = desk.ctx();
        return Err(Error::request(Cannot::ReopenBeforeClosure {
            date: ctx.date(req.date),
            closed: ctx.date(closed),
        }));
    }
    let by = match req.by.clone().or_else(|| c.caseworker.clone()) {
        Some(by) => by,
        None => return Err(Error::request(Cannot::NoCaseworker("reopens it"))),
    };
    // The day the episode that ends here was opened, as the one reader of episodes has it.
    let Some(opened) = cm_case::view::episodes(c).last().map(|e| e.start) else {
        return Err(Error::Edit {
            path: case.display,
            message: "the case has no dated intake entry; correct it first (see `cm validate`)"
                .to_string(),
        });
    };
    let risk = req.risk.or(c.risk);
    let entry = mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("phase", Some(json!(Phase::Intake.as_str()))),
        ("by", Some(json!(by))),
        ("risk", risk.map(|r| json!(r.as_str()))),
        ("reason", Some(json!(req.reason))),
    ]);
    let episode = mapping([
        ("opened", Some(json!(opened.to_string()))),
        ("closure", Some(closure.clone())),
    ]);
    let mut changes = vec![
        Change::Set(at!["phase"], json!(Phase::Intake.as_str())),
        Change::Push(at!["history"], Json::Object(entry)),
    ];
    if let Some(risk) = req.risk.filter(|r| Some(*r) != c.risk) {
        changes.push(Change::Set(at!["risk"], json!(risk.as_str())));
    }
    changes.push(Change::Remove(at!["closure"]));
    changes.push(Change::Push(at!["episodes"], Json::Object(episode)));
    let summary = format!(
        "{id}: closed → intake from {} (episode {})",
        desk.ctx().date(req.date),
        c.episodes.len() + 2
    );
    propose(
        desk,
        path,
        case,
        &changes,
        "cannot reopen the case",
        summary,
    )
}
