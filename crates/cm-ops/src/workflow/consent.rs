//! `cm consent`: record the client's decision about consent. The first decision is the case's
//! `consent` (`given`, `date`, `share_with`); every later one is appended to `consent.updates`,
//! so that the decision in force on any day can be read (see [`cm_case::view::consent_on`]).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::view::consent_on;
use cm_case::{ConsentDecision, LoadedCase};

/// What `cm consent` was asked to record.
#[derive(Clone, Debug)]
pub struct ConsentChange {
    pub id: String,
    pub decision: ConsentDecision,
    /// Organisations the consent now also allows sharing with (with `given` only).
    pub share_with: Vec<String>,
    /// Organisations it no longer allows sharing with (with `given` only).
    pub unshare: Vec<String>,
    pub date: NaiveDate,
    /// Who records the decision; the case's caseworker when `None`.
    pub by: Option<String>,
    /// A note on the decision (personal).
    pub note: Option<String>,
}

/// Prepares the decision; see [`Proposal`] for what happens next.
pub fn consent(desk: &Desk, req: &ConsentChange) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    consent_case(desk, path, case, req)
}

/// Prepares the decision about the consent of `case`, read from `path`. A closed case takes
/// decisions too: a client may withdraw consent to sharing a closed case's data.
pub fn consent_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &ConsentChange,
) -> Result<Proposal> {
    let id = &req.id;
    let c = &case.case;
    if req.decision != ConsentDecision::Given
        && !(req.share_with.is_empty() && req.unshare.is_empty())
    {
        return Err(Error::request(Cannot::ShareWithoutConsent));
    }
    let by = match req.by.clone().or_else(|| c.caseworker.clone()) {
        Some(by) => by,
        None => {
            return Err(Error::request(Cannot::NoCaseworker(
                "recorded the decision",
            )));
        }
    };
    // The last decision of all, whatever its date: a new one comes after it.
    let last = c.consent.as_ref().and_then(|x| {
        x.updates
            .iter()
            .rev()
            .find_map(|u| u.date)
            .or(x.date)
            .filter(|_| x.given.is_some())
    });
    if let Some(last) = last.filter(|last| req.date < *last) {
        let ctx = desk.ctx();
        return Err(Error::request(Cannot::DecisionBefore {
            date: ctx.date(req.date),
            last: ctx.date(last),
        }));
    }
    let in_force = consent_on(c, req.date);
    let mut shared: Vec<String> = in_force
        .filter(|on| on.is_given())
        .map(|on| on.share_with.to_vec())
        .unwrap_or_default();
    for org in &req.unshare {
        let Some(at) = shared.iter().position(|o| o == org) else {
            return Err(Error::request(Cannot::NotShared {
                id: id.clone(),
                org: org.clone(),
            }));
        };
        shared.remove(at);
    }
    for org in &req.share_with {
        if !shared.contains(org) {
            shared.push(org.clone());
        }
    }
    let share_with =
        (req.decision == ConsentDecision::Given && !shared.is_empty()).then(|| json!(shared));
    let note = req.note.clone().map(Json::from);
    let date = json!(req.date.to_string());
    let change = match (&c.consent, req.decision) {
        (_, ConsentDecision::Withdrawn) if !in_force.is_some_and(|on| on.is_given()) => {
            return Err(Error::request(Cannot::NothingToWithdraw { id: id.clone() }));
        }
        // The first decision is the consent itself.
        (None, decision) => Change::Set(
            at!["consent"],
            Json::Object(mapping([
                ("given", Some(json!(decision == ConsentDecision::Given))),
                ("date", Some(date)),
                ("share_with", share_with),
                ("by", Some(json!(by))),
                ("note", note),
            ])),
        ),
        (Some(_), decision) => Change::Push(
            at!["consent", "updates"],
            Json::Object(mapping([
                ("date", Some(date)),
                ("decision", Some(json!(decision.as_str()))),
                ("share_with", share_with),
                ("by", Some(json!(by))),
                ("note", note),
            ])),
        ),
    };
    // The organisations are personal: the summary counts them.
    let with = match (req.decision, shared.len()) {
        (ConsentDecision::Given, 0) => ", shared with no organisation".to_string(),
        (ConsentDecision::Given, 1) => ", shared with 1 organisation".to_string(),
        (ConsentDecision::Given, n) => format!(", shared with {n} organisations"),
        _ => String::new(),
    };
    let summary = format!(
        "{id}: consent {} from {}{with}",
        req.decision,
        desk.ctx().date(req.date)
    );
    propose(
        desk,
        path,
        case,
        &[change],
        "cannot record the decision about consent",
        summary,
    )
}
