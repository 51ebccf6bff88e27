//! `cm contact`: record a contact with the client — a visit, a call, a message, a group
//! session — at the end of the case's `contacts`, the append-only contact log.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{ContactType, LoadedCase, Phase};

/// What `cm contact` was asked to record.
#[derive(Clone, Debug)]
pub struct ContactEntry {
    pub id: String,
    /// How the contact was made.
    pub kind: ContactType,
    pub date: NaiveDate,
    /// Who made the contact; the case's caseworker when `None`.
    pub by: Option<String>,
    /// Who the contact was with (personal).
    pub with: Option<String>,
    /// A note on the contact (personal).
    pub note: Option<String>,
}

/// Prepares the contact; see [`Proposal`] for what happens next.
pub fn contact(desk: &Desk, req: &ContactEntry) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    contact_case(desk, path, case, req)
}

/// Prepares the contact of `case`, read from `path`.
pub fn contact_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &ContactEntry,
) -> Result<Proposal> {
    let id = &req.id;
    if case.case.phase == Some(Phase::Closed) {
        return Err(Error::request(Cannot::ContactClosed { id: id.clone() }));
    }
    let by = match req.by.clone().or_else(|| case.case.caseworker.clone()) {
        Some(by) => by,
        None => return Err(Error::request(Cannot::NoCaseworker("made the contact"))),
    };
    let entry = mapping([
        ("date", Some(json!(req.date.to_string()))),
        ("type", Some(json!(req.kind.as_str()))),
        ("by", Some(json!(by))),
        ("with", req.with.clone().map(Json::from)),
        ("note", req.note.clone().map(Json::from)),
    ]);
    let changes = [Change::Push(at!["contacts"], Json::Object(entry))];
    let summary = format!("{id}: {} contact of {} recorded", req.kind, req.date);
    propose(
        desk,
        path,
        case,
        &changes,
        "cannot record the contact",
        summary,
    )
}
