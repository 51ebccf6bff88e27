//! `cm link`: link the cases of two relatives, both ways at once — in the first case what the
//! second's client is to its client, in the second the mirror — and, if asked, put them in one
//! household.

use serde_json::json;

use super::{Cannot, Desk, Proposal, mapping, propose};
use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::patch::Change;

use cm_case::{LoadedCase, Relation, Sex};

/// What `cm link` was asked to record.
#[derive(Clone, Debug)]
pub struct Linking {
    pub id: String,
    pub other: String,
    /// What the client of `other` is to the client of `id`.
    pub relation: Relation,
    /// Put both cases in one household: the one either has, or a new one named after `id`.
    pub same_household: bool,
}

/// Prepares the changes of both cases (one proposal for each that changes, the first case's
/// first); they are written together or not at all ([`super::write_together`]). `taken` says
/// whether a case of the workspace is in a household, when a new one is to be named.
pub fn link(
    desk: &Desk,
    req: &Linking,
    taken: &dyn Fn(&str) -> Result<bool>,
) -> Result<Vec<Proposal>> {
    let (id, other) = (&req.id, &req.other);
    let (path, case) = cm_case::find(&desk.ws, id)?;
    let (other_path, other_case) = cm_case::find(&desk.ws, other)?;
    // The same case under two spellings of its id is the same file.
    if id == other || path == other_path {
        return Err(Error::request(Cannot::LinkSelf));
    }
    let sex = |c: &LoadedCase| c.case.client.as_ref().and_then(|c| c.sex);
    // A mother is not recorded as a man, nor a father as a woman.
    let contradicts = match req.relation {
        Relation::Mother => Some(Sex::Male),
        Relation::Father => Some(Sex::Female),
        _ => None,
    };
    if let Some(sex) = sex(&other_case).filter(|s| Some(*s) == contradicts) {
        return Err(Error::request(Cannot::LinkSex {
            other: other.clone(),
            relation: req.relation,
            sex,
        }));
    }
    let back = req.relation.mirror(sex(&case));
    if !req.relation.mirrored_by(back) {
        return Err(Error::request(Cannot::LinkMirror {
            id: id.clone(),
            other: other.clone(),
        }));
    }
    let here = linked_as(&case, other);
    let there = linked_as(&other_case, id);
    match (here, there) {
        (Some(relation), _) if relation != req.relation => {
            return Err(Error::request(Cannot::LinkedAs {
                id: id.clone(),
                other: other.clone(),
                relation,
            }));
        }
        (_, Some(relation)) if relation != back => {
            return Err(Error::request(Cannot::LinkedAs {
                id: other.clone(),
                other: id.clone(),
                relation,
            }));
        }
        _ => {}
    }
    let entry = |case: &str, relation: Relation| {
        json!(mapping([
            ("case", Some(json!(case))),
            ("relation", Some(json!(relation.as_str()))),
        ]))
    };
    // The changes of each case, with what each says.
    let mut changes: [Vec<(Change, String)>; 2] = Default::default();
    let link = |case: &str, relation: Relation| {
        (
            Change::Push(at!["links"], entry(case, relation)),
            format!("linked to {case} as `{relation}`"),
        )
    };
    if here.is_none() {
        changes[0].push(link(other, req.relation));
    }
    if there.is_none() {
        changes[1].push(link(id, back));
    }
    if req.same_household {
        let household = |c: &LoadedCase| c.case.household.clone();
        let set = |h: &str| {
            (
                Change::Set(at!["household"], json!(h)),
                format!("in the household {h}"),
            )
        };
        match (household(&case), household(&other_case)) {
            (Some(one), Some(another)) if one != another => {
                return Err(Error::request(Cannot::Households {
                    id: id.clone(),
                    one,
                    other: other.clone(),
                    another,
                }));
            }
            (Some(_), Some(_)) => {}
            // Before the link, as the file orders them.
            (Some(one), None) => changes[1].insert(0, set(&one)),
            (None, Some(another)) => changes[0].insert(0, set(&another)),
            (None, None) => {
                // Named after the first case, unless another household has that name.
                let mut names = std::iter::once(format!("HH-{id}"))
                    .chain((2..).map(|n| format!("HH-{id}-{n}")));
                let new = loop {
                    match names.next() {
                        Some(name) if taken(&name)? => {}
                        name => break name.unwrap_or_default(),
                    }
                };
                changes[0].insert(0, set(&new));
                changes[1].insert(0, set(&new));
            }
        }
    }
    if changes.iter().all(Vec::is_empty) {
        return Err(Error::request(Cannot::LinkedAlready {
            id: id.clone(),
            other: other.clone(),
            relation: req.relation,
            back: there.unwrap_or(back),
        }));
    }
    let [mine, theirs] = changes;
    let mut proposals = Vec::new();
    for (changes, path, case, id) in [
        (mine, path, case, id),
        (theirs, other_path, other_case, other),
    ] {
        if changes.is_empty() {
            continue;
        }
        let (changes, said): (Vec<Change>, Vec<String>) = changes.into_iter().unzip();
        let summary = format!("{id}: {}", said.join(", "));
        proposals.push(propose(
            desk,
            path,
            case,
            &changes,
            "cannot link the cases",
            summary,
        )?);
    }
    Ok(proposals)
}

/// The relation `case` links the case `id` with, if it does.
fn linked_as(case: &LoadedCase, id: &str) -> Option<Relation> {
    case.case
        .links
        .iter()
        .find(|l| l.case.as_deref() == Some(id))
        .and_then(|l| l.relation)
}
