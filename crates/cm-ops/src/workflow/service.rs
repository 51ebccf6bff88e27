//! `cm service`: record a change of a service's status — accepted, in progress, completed,
//! declined, cancelled — as an update at the end of its `updates`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{DeclineReason, LoadedCase, Phase, ServiceStatus};

/// What `cm service` was asked to record.
#[derive(Clone, Debug)]
pub struct ServiceChange {
    pub id: String,
    /// The service's id in the case, e.g. `S4`.
    pub service: String,
    /// The status the service moves to.
    pub status: ServiceStatus,
    /// Why the provider declined: needed with `declined`, refused otherwise.
    pub reason: Option<DeclineReason>,
    pub date: NaiveDate,
    /// The service's cost, written as its `cost`.
    pub cost: Option<u64>,
    /// Who records the change; the case's caseworker when `None`.
    pub by: Option<String>,
    pub note: Option<String>,
}

/// Prepares the update; see [`Proposal`] for what happens next.
pub fn service(desk: &Desk, req: &ServiceChange) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    service_case(desk, path, case, req)
}

/// Prepares the update of a service of `case`, read from `path`.
pub fn service_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &ServiceChange,
) -> Result<Proposal> {
    let id = &req.id;
    if case.case.phase == Some(Phase::Closed) {
        return Err(Error::request(Cannot::ServiceClosed { id: id.clone() }));
    }
    let index = find_service(&case, id, &req.service)?;
    let name = req.service.clone();
    let current = &case.case.services[index];
    let Some(from) = current.status else {
        return Err(Error::Edit {
            path: case.display,
            message: format!(
                "service {name} has no valid `status`; correct it first (see `cm validate`)"
            ),
        });
    };
    if !from.moves().contains(&req.status) {
        return Err(Error::request(Cannot::ServiceMove {
            service: name,
            from,
            to: req.status,
        }));
    }
    // A service past `referred` with no updates does not say when it got there: the update
    // appended would be the first, and read as a move from `referred`.
    if from != ServiceStatus::Referred && current.updates.is_empty() {
        return Err(Error::request(Cannot::Unrecorded {
            service: name,
            status: from,
        }));
    }
    match (req.reason, req.status == ServiceStatus::Declined) {
        (None, true) => return Err(Error::request(Cannot::DeclineWithoutReason)),
        (Some(_), false) => return Err(Error::request(Cannot::ReasonWithoutDecline)),
        _ => {}
    }
    let by = match req.by.clone().or_else(|| case.case.caseworker.clone()) {
        Some(by) => by,
        None => return Err(Error::request(Cannot::NoCaseworker("records the change"))),
    };
    let date = json!(req.date.to_string());
    let update = mapping([
        ("date", Some(date.clone())),
        ("status", Some(json!(req.status.as_str()))),
        ("by", Some(json!(by))),
        ("reason", req.reason.map(|r| json!(r.as_str()))),
        ("note", req.note.clone().map(Json::from)),
    ]);
    // In the contract's order, so that keys added to a service written `{...}` (after its last
    // key) come in that order too.
    let mut changes = vec![Change::Set(
        at!["services", index, "status"],
        json!(req.status.as_str()),
    )];
    if req.status.is_final() {
        changes.push(Change::Set(at!["services", index, "ended"], date));
    }
    if let Some(cost) = req.cost {
        changes.push(Change::Set(at!["services", index, "cost"], json!(cost)));
    }
    changes.push(Change::Push(
        at!["services", index, "updates"],
        Json::Object(update),
    ));
    let reason = req.reason.map(|r| format!(" ({r})")).unwrap_or_default();
    let summary = format!("{id}: service {name} {from} → {}{reason}", req.status);
    propose(
        desk,
        path,
        case,
        &changes,
        &format!("cannot record {name} as {}", req.status),
        summary,
    )
}

/// The index of the service `service` among the services of `case`; a service the case does
/// not have is an error that names the nearest it has, else all it has.
fn find_service(case: &LoadedCase, id: &str, service: &str) -> Result<usize> {
    let ids: Vec<&str> = case
        .case
        .services
        .iter()
        .map(|s| s.id.as_deref().unwrap_or(""))
        .collect();
    super::find_item(&ids, service).map_err(|(nearest, known)| {
        Error::request(Cannot::NoService {
            id: id.to_string(),
            service: service.to_string(),
            nearest,
            known,
        })
    })
}
