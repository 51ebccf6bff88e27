//! `cm refer`: refer the client to a provider, adding a service in status `referred` at the end
//! of the case's `services`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{Value as Json, json};

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;
use cm_case::{LoadedCase, Phase, ServiceStatus};

/// What `cm refer` was asked to record.
#[derive(Clone, Debug)]
pub struct Referral {
    pub id: String,
    /// The kind of service (`type` in the file).
    pub kind: String,
    pub provider: String,
    /// The goal of the plan the service serves.
    pub goal: Option<String>,
    /// The day of the referral.
    pub date: NaiveDate,
    pub cost: Option<u64>,
    /// Who makes the referral; the case's caseworker when `None`.
    pub by: Option<String>,
    pub note: Option<String>,
}

/// Prepares the referral; see [`Proposal`] for what happens next.
pub fn refer(desk: &Desk, req: &Referral) -> Result<Proposal> {
    let (path, case) = cm_case::find(&desk.ws, &req.id)?;
    refer_case(desk, path, case, req)
}

/// Prepares the referral of `case`, read from `path`.
pub fn refer_case(
    desk: &Desk,
    path: PathBuf,
    case: LoadedCase,
    req: &Referral,
) -> Result<Proposal> {
    let id = &req.id;
    if case.case.phase == Some(Phase::Closed) {
        return Err(Error::request(Cannot::ReferClosed { id: id.clone() }));
    }
    let by = match req.by.clone().or_else(|| case.case.caseworker.clone()) {
        Some(by) => by,
        None => return Err(Error::request(Cannot::NoCaseworker("makes the referral"))),
    };
    let service = format!("S{}", super::next_number(case.json.get("services"), 'S'));
    let item = mapping([
        ("id", Some(json!(service))),
        ("goal", req.goal.clone().map(Json::from)),
        ("type", Some(json!(req.kind))),
        ("provider", Some(json!(req.provider))),
        ("referred", Some(json!(req.date.to_string()))),
        ("by", Some(json!(by))),
        ("status", Some(json!(ServiceStatus::Referred.as_str()))),
        ("cost", req.cost.map(Json::from)),
        ("note", req.note.clone().map(Json::from)),
    ]);
    let changes = [Change::Push(at!["services"], Json::Object(item))];
    let summary = format!(
        "{id}: service {service} referred to {} ({})",
        req.provider, req.kind
    );
    propose(
        desk,
        path,
        case,
        &changes,
        "cannot record the referral",
        summary,
    )
}
