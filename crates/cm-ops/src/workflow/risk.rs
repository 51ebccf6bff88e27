//! `cm risk`: change the risk of a case between reviews, recording the decision — its date, who
//! made it and why — at the end of `risk_changes`, and the new risk in `risk`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{LoadedCase, Phase, Risk};

/// What `cm risk` was asked to record.
#[derive(Clone, Debug)]
pub struct RiskChange {
    pub id: String,
    pub risk: Risk,
    pub date: NaiveDate,
    /// Who decided it; the case's caseworker when `None`.
    pub by: Option<String>,
    /// Why the risk changed (personal).
    pub note: String,
}

/// Prepares the change; see [`Proposal`] for what happens next.
pub fn risk(desk: &Desk, req: &RiskChange) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    risk_case(desk, path, case, req)
}

/// Prepares the change of the risk of `case`, read from `path`.
pub fn risk_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &RiskChange,
) -> Result<Proposal> {
    let id = &req.id;
    let c = &case.case;
    if c.phase == Some(Phase::Closed) {
        return Err(Error::request(Cannot::RiskClosed { id: id.clone() }));
    }
    if c.risk == Some(req.risk) {
        return Err(Error::request(Cannot::RiskAlready {
            id: id.clone(),
            risk: req.risk,
        }));
    }
    // A decision comes after the latest: the risk is always that of the latest.
    if let Some(latest) = cm_case::view::risk_decisions(c)
        .last()
        .filter(|d| req.date < d.date)
    {
        let ctx = desk.ctx();
        return Err(Error::request(Cannot::RiskBefore {
            date: ctx.date(req.date),
            latest: ctx.date(latest.date),
        }));
    }
    let by = match req.by.clone().or_else(|| c.caseworker.clone()) {
        Some(by) => by,
        None => return Err(Error::request(Cannot::NoCaseworker("decided the risk"))),
    };
    let entry = mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("risk", Some(json!(req.risk.as_str()))),
        ("by", Some(json!(by))),
        ("note", Some(Json::from(req.note.clone()))),
    ]);
    let changes = [
        Change::Set(at!["risk"], json!(req.risk.as_str())),
        Change::Push(at!["risk_changes"], Json::Object(entry)),
    ];
    let from = c.risk.map_or_else(|| "-".to_string(), |r| r.to_string());
    let summary = format!(
        "{id}: risk {from} → {} from {}",
        req.risk,
        desk.ctx().date(req.date)
    );
    propose(
        desk,
        path,
        case,
        &changes,
        "cannot change the risk",
        summary,
    )
}
