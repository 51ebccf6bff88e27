//! `cm transfer`: pass a case to another caseworker, recording the transfer at the end of the
//! case's `transfers` and the new caseworker in `caseworker`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{LoadedCase, Phase};

/// What `cm transfer` was asked to record.
#[derive(Clone, Debug)]
pub struct Transfer {
    pub id: String,
    /// The caseworker who takes the case over.
    pub to: String,
    /// The day the case passes to them.
    pub date: NaiveDate,
    /// Who makes the transfer; the case's caseworker when `None`.
    pub by: Option<String>,
    /// The supervisor who approved the transfer, written whenever given. With
    /// `[workflow].transfer_approval` one is needed: the gate refuses the transfer otherwise
    /// (the `transfer` rule).
    pub approved_by: Option<String>,
    /// Why the case is transferred (personal text).
    pub reason: Option<String>,
}

/// Prepares the transfer; see [`Proposal`] for what happens next.
pub fn transfer(desk: &Desk, req: &Transfer) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    transfer_case(desk, path, case, req)
}

/// Prepares the transfer of `case`, read from `path`.
pub fn transfer_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &Transfer,
) -> Result<Proposal> {
    let id = &req.id;
    if case.case.phase == Some(Phase::Closed) {
        return Err(Error::request(Cannot::TransferClosed { id: id.clone() }));
    }
    let Some(from) = case.case.caseworker.clone() else {
        return Err(Error::Edit {
            path: case.display,
            message: "the case has no valid `caseworker`; correct it first (see `cm validate`)"
                .to_string(),
        });
    };
    if from == req.to {
        return Err(Error::request(Cannot::AlreadyHolds {
            id: id.clone(),
            caseworker: from,
        }));
    }
    let by = req.by.clone().unwrap_or_else(|| from.clone());
    let entry = mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("from", Some(json!(from))),
        ("to", Some(json!(req.to))),
        ("by", Some(json!(by))),
        ("approved_by", req.approved_by.clone().map(Json::from)),
        ("reason", req.reason.clone().map(Json::from)),
    ]);
    let changes = [
        Change::Set(at!["caseworker"], json!(req.to)),
        Change::Push(at!["transfers"], Json::Object(entry)),
    ];
    let summary = format!(
        "{id}: {from} → {} from {}",
        req.to,
        desk.ctx().date(req.date)
    );
    propose(
        desk,
        path,
        case,
        &changes,
        "cannot transfer the case",
        summary,
    )
}
