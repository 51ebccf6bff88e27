//! `cm transfer`: pass a case to another caseworker, recording the transfer at the end of the
//! case's `transfers` and the new caseworker in `caseworker`; with `--office`, to a caseworker of
//! another office, whose workspace gets the whole case as a new file while it is closed here.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Advance, Cannot, Desk, Proposal, advance_case, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{ClosureReason, LoadedCase, Phase};

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
    let from = holder(&case)?;
    if from == req.to {
        return Err(Error::request(Cannot::AlreadyHolds {
            id: id.clone(),
            caseworker: from,
        }));
    }
    let changes = passed(&from, req, None);
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

/// The caseworker who holds `case`, whom a transfer passes it from.
fn holder(case: &LoadedCase) -> Result<String> {
    case.case.caseworker.clone().ok_or_else(|| Error::Edit {
        path: case.display.clone(),
        message: "the case has no valid `caseworker`; correct it first (see `cm validate`)"
            .to_string(),
    })
}

/// The changes that pass a case from `from` as `req` asks: the transfer at the end of its
/// `transfers` (naming the office it comes from, if it does), and its new caseworker.
fn passed(from: &str, req: &Transfer, from_office: Option<&str>) -> [Change; 2] {
    let by = req.by.clone().unwrap_or_else(|| from.to_string());
    let entry = mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("from", Some(json!(from))),
        ("to", Some(json!(req.to))),
        ("by", Some(json!(by))),
        ("approved_by", req.approved_by.clone().map(Json::from)),
        ("from_office", from_office.map(Json::from)),
        ("reason", req.reason.clone().map(Json::from)),
    ]);
    [
        Change::Set(at!["caseworker"], json!(req.to)),
        Change::Push(at!["transfers"], Json::Object(entry)),
    ]
}

/// Prepares the transfer of a case of `here` to a caseworker of the office of `there` (`cm
/// transfer --office`), as two changes to write together: the case closed here, `transferred`
/// with `to_office`, as `cm advance --to closed` closes it (approval included); and the whole case
/// as a new file there, at the same place, with the transfer that brings it (`from_office`) and
/// its new caseworker, passed through that office's gate. The case keeps its id; each office's
/// reports count it while it is theirs (see [`cm_case::Case::arrived`]). `shown` is how the
/// other office's workspace is named to the user.
pub fn transfer_office(
    here: &Desk,
    there: &Desk,
    shown: &str,
    req: &Transfer,
) -> Result<[Proposal; 2]> {
    let id = &req.id;
    let office = |desk: &Desk| desk.ws.settings.workspace.id_prefix.clone();
    let (this, other) = (office(here), office(there));
    if this == other {
        return Err(Error::request(Cannot::SameOffice { office: this }));
    }
    let (path, case) = cm_case::find(&here.ws, id)?;
    if case.case.phase == Some(Phase::Closed) {
        return Err(Error::request(Cannot::TransferClosed { id: id.clone() }));
    }
    match cm_case::find(&there.ws, id) {
        Ok((_, held)) => {
            return Err(Error::request(Cannot::OfficeHolds {
                id: id.clone(),
                office: other,
                display: format!("{shown}/{}", held.display),
            }));
        }
        Err(Error::CaseNotFound { .. }) => {}
        Err(e) => return Err(e),
    }
    let from = holder(&case)?;
    let arriving = case.shown_as(format!("{shown}/{}", case.display));
    let target = there.ws.root.join(&case.display);
    let summary = format!("{id}: {this} {from} → {other} {}", req.to);
    let mut arrived = propose(
        there,
        target,
        arriving,
        &passed(&from, req, Some(&this)),
        &format!("cannot bring the case into {other}"),
        summary,
    )?;
    arrived.before = None;
    let closed = advance_case(
        here,
        path,
        case,
        &Advance {
            id: id.clone(),
            to: Some(Phase::Closed),
            date: req.date,
            by: req.by.clone(),
            approved_by: req.approved_by.clone(),
            reason: Some(ClosureReason::Transferred),
            note: None,
            to_office: Some(other),
        },
    )?;
    Ok([closed, arrived])
}
