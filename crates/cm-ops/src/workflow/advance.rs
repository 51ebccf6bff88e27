//! `cm advance`: move a case forward to its next phase (or to a later one), recording the step in
//! its history, and the closure when the case is closed.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{ClosureReason, LoadedCase, Phase};

/// What `cm advance` was asked to do.
#[derive(Clone, Debug)]
pub struct Advance {
    pub id: String,
    /// The phase to enter; the next one when `None`.
    pub to: Option<Phase>,
    pub date: NaiveDate,
    /// Who moves the case; the case's caseworker when `None`.
    pub by: Option<String>,
    /// The supervisor who approved the move, written into the history entry whenever given. A
    /// move that enters or passes over a phase of `[workflow].approval` needs one: the gate
    /// refuses it otherwise (the `approval` rule), so a skip cannot leave an approval out.
    pub approved_by: Option<String>,
    /// Why the case is closed; needed to enter `closed`, refused otherwise.
    pub reason: Option<ClosureReason>,
    /// A note for the history entry, or for the closure when closing.
    pub note: Option<String>,
    /// With the reason `transferred`, the office the case goes to (`cm transfer --office`).
    pub to_office: Option<String>,
}

/// Prepares the move; see [`Proposal`] for what happens next.
pub fn advance(desk: &Desk, req: &Advance) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    advance_case(desk, path, case, req)
}

/// Prepares the move of `case`, read from `path` (the fuzz target starts here, in memory).
pub fn advance_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &Advance,
) -> Result<Proposal> {
    let id = &req.id;
    let Some(current) = case.case.phase else {
        return Err(Error::Edit {
            path: case.display,
            message: "the case has no valid `phase`; correct it first (see `cm validate`)"
                .to_string(),
        });
    };
    if current == Phase::Closed {
        return Err(Error::request(Cannot::Reopen { id: id.clone() }));
    }
    let target = req.to.or(current.next()).unwrap_or(Phase::Closed);
    if target == current {
        return Err(Error::request(Cannot::AlreadyIn {
            id: id.clone(),
            phase: current,
        }));
    }
    if target < current {
        return Err(Error::request(Cannot::GoBack {
            id: id.clone(),
            from: current,
            to: target,
        }));
    }
    let closing = target == Phase::Closed;
    match (&req.reason, closing) {
        (None, true) => return Err(Error::request(Cannot::CloseWithoutReason)),
        (Some(_), false) => return Err(Error::request(Cannot::ReasonWithoutClosing)),
        _ => {}
    }
    let by = match req.by.clone().or_else(|| case.case.caseworker.clone()) {
        Some(by) => by,
        None => {
            return Err(Error::request(Cannot::NoCaseworker("moves it")));
        }
    };
    let date = json!(req.date.to_string());
    let note = req.note.clone().map(Json::from);
    let (history_note, closure_note) = if closing { (None, note) } else { (note, None) };
    let entry = mapping([
        ("date", Some(date.clone())),
        ("phase", Some(json!(target.as_str()))),
        ("by", Some(json!(by))),
        ("approved_by", req.approved_by.clone().map(Json::from)),
        ("note", history_note),
    ]);
    let mut changes = vec![
        Change::Set(at!["phase"], json!(target.as_str())),
        Change::Push(at!["history"], Json::Object(entry)),
    ];
    if let Some(reason) = req.reason {
        let reason = json!(reason.as_str());
        match case.tree().get("closure") {
            // A closure written beforehand (say, with the exit scores) is completed, not replaced.
            Some(existing) if !existing.entries().is_empty() => {
                if closure_note.is_some() && existing.get("note").is_some() {
                    return Err(Error::request(Cannot::ClosureNote));
                }
                changes.push(Change::Set(at!["closure", "date"], date));
                changes.push(Change::Set(at!["closure", "reason"], reason));
                if let Some(office) = &req.to_office {
                    changes.push(Change::Set(at!["closure", "to_office"], json!(office)));
                }
                if let Some(note) = closure_note {
                    changes.push(Change::Set(at!["closure", "note"], note));
                }
            }
            _ => {
                let closure = mapping([
                    ("date", Some(date)),
                    ("reason", Some(reason)),
                    ("to_office", req.to_office.clone().map(Json::from)),
                    ("note", closure_note),
                ]);
                changes.push(Change::Set(at!["closure"], Json::Object(closure)));
            }
        }
    }
    let summary = format!("{id}: {current} → {target}");
    propose(
        desk,
        path,
        case,
        &changes,
        &format!("cannot enter {target}"),
        summary,
    )
}
