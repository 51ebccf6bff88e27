//! What changed between two versions of one case, in the words of the work: phase moves,
//! reviews, goals, services, the closure; and, for everything else, the paths of the fields
//! that changed. A pure function of the two JSON documents.
//!
//! Each kind of change *claims* its part of the case (the phase and the history entries
//! appended, the reviews appended, goals and services matched by id, …); what no kind claims is
//! compared field by field, so every difference is told exactly once.
//!
//! The kinds of change are in `changes`, the field-by-field comparison in `fields`, and the
//! changes in words in `words`.

mod changes;
mod fields;
mod words;

use serde_json::{Map, Value as Json};

use cm_base::at;
use cm_base::path::key_name;
use cm_case::privacy::may_show;
use cm_case::{Case, GoalStatus, Scores, ServiceStatus, view, whole};

pub use changes::{Change, Entered, Field, FieldChange, Score};
pub use words::WORKING_TREE;
pub(crate) use words::{fields_words, unreadable_words};

use fields::{compare, object};

/// The changes from `old` to `new`, in the order a reviewer reads them. `include` names the
/// personal fields whose values may be shown. The id is not compared (a new id is a rename,
/// which the caller knows from the files).
pub fn describe(old: &Json, new: &Json, include: &[String]) -> Vec<Change> {
    let mut old = old.clone();
    let mut new = new.clone();
    take(&mut old, "id");
    take(&mut new, "id");
    if old == new {
        return vec![Change::Layout];
    }
    // Scores move from those before, as the reader model carries them forward.
    let typed = Case::from_json(&new);
    let before_reviews = old["reviews"].as_array().map_or(0, Vec::len);
    let latest = json_scores(&view::domains_after(&typed, typed.reviews.len()));
    let mut changes = Vec::new();
    reopened(&mut old, &mut new, &mut changes);
    phase(&mut old, &mut new, &mut changes);
    // A closure counts from its date: written ahead without one, it is told as such; dated
    // (written whole, or completed by `cm advance --to closed`), it is the closing.
    let dated = |v: &Json| !v["closure"].is_null() && !v["closure"]["date"].is_null();
    if !dated(&old) && dated(&new) {
        take(&mut old, "closure");
        let closure = take(&mut new, "closure");
        changes.push(Change::Closure {
            date: text(&closure["date"]),
            reason: text(&closure["reason"]),
            domains: moved(&latest, &closure["domains"]),
        });
    } else if old["closure"].is_null() && !new["closure"].is_null() {
        take(&mut old, "closure");
        let closure = take(&mut new, "closure");
        changes.push(Change::ClosureAhead {
            domains: moved(&latest, &closure["domains"]),
        });
    }
    transfers(&mut old, &mut new, &mut changes);
    // A change of the risk appended with the new risk is the change of `risk`, dated.
    let mut decided = appended(&old, &mut new, "risk_changes").unwrap_or_default();
    for key in ["risk", "caseworker"] {
        let (from, to) = (take(&mut old, key), take(&mut new, key));
        if from != to {
            let (from, to) = (text(&from), text(&to));
            changes.push(if key == "risk" {
                let last = decided.last().filter(|d| text(&d["risk"]) == to);
                let date = last.and_then(|d| text(&d["date"]));
                if date.is_some() {
                    decided.pop();
                }
                Change::Risk { from, to, date }
            } else {
                Change::Caseworker { from, to }
            });
        }
    }
    for d in decided {
        changes.push(Change::RiskDecided {
            date: text(&d["date"]),
            risk: text(&d["risk"]),
            by: text(&d["by"]),
        });
    }
    consent(&mut old, &mut new, include, &mut changes);
    if old["assessment"].is_null() && !new["assessment"].is_null() {
        take(&mut old, "assessment");
        let assessment = take(&mut new, "assessment");
        changes.push(Change::Assessment {
            date: text(&assessment["date"]),
            domains: moved(&Map::new(), &assessment["domains"]),
        });
    }
    items(&mut old, &mut new, Items::Goals, include, &mut changes);
    items(&mut old, &mut new, Items::Services, include, &mut changes);
    reviews(&mut old, &mut new, &typed, before_reviews, &mut changes);
    if let Some(added) = appended(&old, &mut new, "contacts") {
        for contact in added {
            changes.push(Change::ContactAdded {
                date: text(&contact["date"]),
                kind: text(&contact["type"]),
                by: text(&contact["by"]),
            });
        }
    }
    let mut fields = Vec::new();
    compare(&old, &new, &[], &mut Vec::new(), include, &mut fields);
    if !fields.is_empty() {
        changes.push(Change::Other { fields });
    }
    changes
}

/// The phase, and the history entries appended (when the old history is the start of the new
/// one; a history otherwise changed is told field by field).
fn phase(old: &mut Json, new: &mut Json, changes: &mut Vec<Change>) {
    let (from, to) = (take(old, "phase"), take(new, "phase"));
    let mut entered = Vec::new();
    if let Some(appended) = appended(old, new, "history") {
        entered = appended
            .iter()
            .map(|e| Entered {
                phase: text(&e["phase"]),
                date: text(&e["date"]),
                by: text(&e["by"]),
                approved_by: text(&e["approved_by"]),
            })
            .collect();
    }
    if from != to || !entered.is_empty() {
        changes.push(Change::Phase {
            from: text(&from),
            to: text(&to),
            entered,
        });
    }
}

/// The reopenings: episodes appended (when the old list is the start of the new one), the last
/// holding the closure the case had. Each is told as a reopening, with the date of the history
/// entry that reopened the case and the number of the episode it began; the closure moved into
/// `episodes` is part of it, not a closure removed (a new closure, when the new episode is closed
/// too, is told as the closing it is).
fn reopened(old: &mut Json, new: &mut Json, changes: &mut Vec<Change>) {
    let before = old["episodes"].as_array().map_or(0, Vec::len);
    let moved = match new["episodes"].as_array() {
        Some(after) if after.len() > before => after.last().map(|e| &e["closure"]),
        _ => None,
    };
    if moved.is_none_or(|m| m.is_null() || *m != old["closure"]) {
        return;
    }
    let Some(added) = appended(old, new, "episodes") else {
        return;
    };
    take(old, "closure");
    // The dates of the entries that reopened the case: an intake entry right after a closed one.
    let mut reopenings = Vec::new();
    let mut previous = Json::Null;
    for entry in new["history"].as_array().into_iter().flatten() {
        if previous == "closed" && entry["phase"] == "intake" {
            reopenings.push(text(&entry["date"]));
        }
        previous = entry["phase"].clone();
    }
    for k in before..before + added.len() {
        changes.push(Change::Reopened {
            date: reopenings.get(k).cloned().flatten(),
            episode: k + 2,
        });
    }
}

/// The transfers appended (when the old list is the start of the new one), each told as itself;
/// when the caseworker became the last one's `to`, the transfer tells that too, and the
/// caseworker is claimed.
fn transfers(old: &mut Json, new: &mut Json, changes: &mut Vec<Change>) {
    let Some(appended) = appended(old, new, "transfers") else {
        return;
    };
    if appended.last().map(|t| &t["to"]) == Some(&new["caseworker"]) {
        take(old, "caseworker");
        take(new, "caseworker");
    }
    changes.extend(appended.iter().map(|t| Change::Transferred {
        date: text(&t["date"]),
        from: text(&t["from"]),
        to: text(&t["to"]),
        by: text(&t["by"]),
        approved_by: text(&t["approved_by"]),
    }));
}

/// What the consent recorded says, as a value of `consent.given`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Consent {
    /// No consent recorded.
    Absent,
    Given,
    /// Recorded as not given.
    NotGiven,
}

/// The consent: given, withdrawn, refused when first recorded, or else the fields of it that
/// changed. It claims `given`, `date` and `share_with`; anything else under `consent` (a key the
/// schema does not know) is left to the field-by-field comparison. The organisations the client
/// allowed sharing with are personal: counted, or named only when `--include` names them.
fn consent(old: &mut Json, new: &mut Json, include: &[String], out: &mut Vec<Change>) {
    let state = |case: &Json| match &case["consent"] {
        Json::Null => Some(Consent::Absent),
        Json::Object(c) => match c.get("given") {
            None | Some(Json::Null) => Some(Consent::Absent),
            Some(Json::Bool(true)) => Some(Consent::Given),
            Some(Json::Bool(false)) => Some(Consent::NotGiven),
            Some(_) => None,
        },
        _ => None,
    };
    let (Some(was), Some(is)) = (state(old), state(new)) else {
        return;
    };
    if old["consent"] == new["consent"] {
        return;
    }
    let shared = may_show(&["consent", "share_with"], include);
    // The later decisions: each one appended in words, any other change field by field.
    let later = |case: &mut Json| match case.get_mut("consent").and_then(Json::as_object_mut) {
        Some(consent) => consent.remove("updates").unwrap_or(Json::Null),
        None => Json::Null,
    };
    let (was_later, is_later) = (later(old), later(new));
    let mut decisions = Vec::new();
    let mut later_fields = Vec::new();
    fn list(v: &Json) -> Option<&[Json]> {
        match v {
            Json::Null => Some(&[]),
            other => other.as_array().map(Vec::as_slice),
        }
    }
    match (list(&was_later), list(&is_later)) {
        (Some(a), Some(b)) if b.len() >= a.len() && b[..a.len()] == a[..] => {
            for (i, u) in b.iter().enumerate().skip(a.len()) {
                match decision(u, shared) {
                    Some(change) => decisions.push(change),
                    None => compare(
                        &Json::Null,
                        u,
                        &["consent"],
                        &mut at!["updates", i],
                        include,
                        &mut later_fields,
                    ),
                }
            }
        }
        _ => compare(
            &was_later,
            &is_later,
            &["consent"],
            &mut at!["updates"],
            include,
            &mut later_fields,
        ),
    }
    let claim = |case: &mut Json| -> Map<String, Json> {
        let Some(consent) = case.get_mut("consent").and_then(Json::as_object_mut) else {
            take(case, "consent");
            return Map::new();
        };
        let claimed = ["given", "date", "share_with"]
            .into_iter()
            .filter_map(|key| Some((key.to_string(), consent.remove(key)?)))
            .collect();
        if consent.is_empty() {
            take(case, "consent");
        }
        claimed
    };
    let (before, after) = (claim(old), claim(new));
    let get = |map: &Map<String, Json>, key: &str| map.get(key).cloned().unwrap_or(Json::Null);
    match (was, is) {
        (Consent::Absent | Consent::NotGiven, Consent::Given) => {
            let share_with = get(&after, "share_with");
            out.push(Change::ConsentGiven {
                date: text(&get(&after, "date")),
                organisations: match &share_with {
                    Json::Null => Some(0),
                    Json::Array(list) => Some(list.len()),
                    _ => None,
                },
                share_with: (shared && share_with.is_array()).then_some(share_with),
            });
        }
        (Consent::Given, Consent::Absent | Consent::NotGiven) => {
            let date = get(&after, "date");
            out.push(Change::ConsentWithdrawn {
                date: text(&date).filter(|_| date != get(&before, "date")),
            });
        }
        (Consent::Absent, Consent::NotGiven) => out.push(Change::ConsentRefused {
            date: text(&get(&after, "date")),
        }),
        _ => {
            let mut fields = Vec::new();
            let plain = |map: &Map<String, Json>| {
                Json::Object(
                    map.iter()
                        .filter(|(key, _)| *key != "share_with")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                )
            };
            compare(
                &plain(&before),
                &plain(&after),
                &["consent"],
                &mut Vec::new(),
                include,
                &mut fields,
            );
            // The list is one field: which organisation came or went is the personal part.
            let (from, to) = (get(&before, "share_with"), get(&after, "share_with"));
            if from != to {
                let value = |v: Json| (shared && !v.is_null()).then_some(v);
                fields.push(Field {
                    path: "share_with".to_string(),
                    change: match (&from, &to) {
                        (Json::Null, _) => FieldChange::Added,
                        (_, Json::Null) => FieldChange::Removed,
                        _ => FieldChange::Changed,
                    },
                    from: value(from),
                    to: value(to),
                });
            }
            later_fields.splice(0..0, fields);
        }
    }
    if !later_fields.is_empty() {
        out.push(Change::ConsentChanged {
            fields: later_fields,
        });
    }
    out.extend(decisions);
}

/// A later decision about consent in words; `None` when it is not one (no known decision).
fn decision(update: &Json, shared: bool) -> Option<Change> {
    let date = text(&update["date"]);
    Some(match update["decision"].as_str()? {
        "given" => {
            let share_with = &update["share_with"];
            Change::ConsentGiven {
                date,
                organisations: match share_with {
                    Json::Null => Some(0),
                    Json::Array(list) => Some(list.len()),
                    _ => None,
                },
                share_with: (shared && share_with.is_array()).then(|| share_with.clone()),
            }
        }
        "withdrawn" => Change::ConsentWithdrawn { date },
        "refused" => Change::ConsentRefused { date },
        _ => return None,
    })
}

/// The reviews appended after the first `before` of `typed` (the new case), each with the scores
/// it moved from those carried forward to it.
fn reviews(old: &mut Json, new: &mut Json, typed: &Case, before: usize, out: &mut Vec<Change>) {
    let Some(added) = appended(old, new, "reviews") else {
        return;
    };
    for (i, review) in added.iter().enumerate() {
        out.push(Change::ReviewAdded {
            date: text(&review["date"]),
            by: text(&review["by"]),
            domains: moved(
                &json_scores(&view::domains_after(typed, before + i)),
                &review["domains"],
            ),
            goals: moved(
                &json_scores(&view::goals_after(typed, before + i)),
                &review["goals"],
            ),
        });
    }
}

/// When the list at `key` of `old` is the start of that of `new`, removes the entries appended
/// from `new` and returns them (the list is then claimed: nothing more to compare in it). A list
/// that was not there at all goes with its entries: the entries tell it, not "`key` added" too.
fn appended(old: &Json, new: &mut Json, key: &str) -> Option<Vec<Json>> {
    let empty = Vec::new();
    let before = match &old[key] {
        Json::Array(items) => items,
        Json::Null => &empty,
        _ => return None,
    };
    let Some(Json::Array(after)) = new.get_mut(key) else {
        return None;
    };
    if after.len() <= before.len() || after[..before.len()] != before[..] {
        return None;
    }
    let added = after.split_off(before.len());
    if old[key].is_null() {
        take(new, key);
    }
    Some(added)
}

/// The kinds of listed items matched by their id.
#[derive(Clone, Copy)]
enum Items {
    Goals,
    Services,
}

impl Items {
    /// Where the items are in a case, as the allow-list names places.
    fn place(self) -> &'static [&'static str] {
        match self {
            Items::Goals => &["plan", "goals"],
            Items::Services => &["services"],
        }
    }

    /// The object holding the list, and the list's key: `plan` and `goals`, or the case and
    /// `services`.
    fn holder(self, case: &mut Json) -> Option<(&mut Map<String, Json>, &'static str)> {
        match self {
            Items::Goals => Some((case.get_mut("plan")?.as_object_mut()?, "goals")),
            Items::Services => Some((case.as_object_mut()?, "services")),
        }
    }
}

/// Goals or services, matched by id: those added, removed, and changed field by field. When
/// an item has no id, or two share one, the list is left to the field-by-field comparison.
fn items(old: &mut Json, new: &mut Json, kind: Items, include: &[String], out: &mut Vec<Change>) {
    let by_id = |case: &mut Json| -> Option<Vec<(String, Json)>> {
        let list = match kind.holder(case).and_then(|(holder, key)| holder.get(key)) {
            Some(Json::Array(list)) => list,
            Some(Json::Null) | None => return Some(Vec::new()),
            Some(_) => return None,
        };
        let items: Option<Vec<(String, Json)>> = list
            .iter()
            .map(|item| Some((item["id"].as_str()?.to_string(), item.clone())))
            .collect();
        let items = items?;
        let mut ids: Vec<&str> = items.iter().map(|(id, _)| id.as_str()).collect();
        ids.sort_unstable();
        ids.windows(2).all(|w| w[0] != w[1]).then_some(items)
    };
    let (Some(before), Some(after)) = (by_id(old), by_id(new)) else {
        return;
    };
    for case in [&mut *old, &mut *new] {
        if let Some((holder, key)) = kind.holder(case) {
            holder.remove(key);
        }
    }
    for (id, item) in &after {
        match before.iter().find(|(i, _)| i == id) {
            None => out.push(match kind {
                Items::Goals => Change::GoalAdded {
                    id: id.clone(),
                    domain: text(&item["domain"]),
                },
                Items::Services => Change::ServiceAdded {
                    id: id.clone(),
                    kind: text(&item["type"]),
                    status: text(&item["status"]),
                },
            }),
            Some((_, was)) => {
                let (mut was, mut item) = (was.clone(), item.clone());
                match kind {
                    Items::Services => updates(id, &mut was, &mut item, out),
                    Items::Goals => goal_updates(id, &mut was, &mut item, out),
                }
                // Paths within the item; whether a field may be shown depends on where it is.
                let mut fields = Vec::new();
                compare(
                    &was,
                    &item,
                    kind.place(),
                    &mut Vec::new(),
                    include,
                    &mut fields,
                );
                if !fields.is_empty() {
                    out.push(match kind {
                        Items::Goals => Change::GoalChanged {
                            id: id.clone(),
                            fields,
                        },
                        Items::Services => Change::ServiceChanged {
                            id: id.clone(),
                            fields,
                        },
                    });
                }
            }
        }
    }
    for (id, _) in before
        .iter()
        .filter(|(id, _)| after.iter().all(|(i, _)| i != id))
    {
        out.push(match kind {
            Items::Goals => Change::GoalRemoved { id: id.clone() },
            Items::Services => Change::ServiceRemoved { id: id.clone() },
        });
    }
}

/// The updates appended to an item (a service, a goal), each with the status it moved from:
/// that of the update above it, else `first`. They claim the updates appended, and the item's
/// `status` when the last accounts for it. `None` when the updates were otherwise changed: they
/// are told field by field.
fn moves(was: &mut Json, item: &mut Json, first: String) -> Option<Vec<(Option<String>, Json)>> {
    let all = item["updates"].clone();
    let added = appended(was, item, "updates")?;
    let all = all.as_array().map(Vec::as_slice).unwrap_or_default();
    let start = all.len().saturating_sub(added.len());
    let moves: Vec<(Option<String>, Json)> = added
        .into_iter()
        .enumerate()
        .map(|(i, update)| {
            let from = match (start + i).checked_sub(1) {
                Some(above) => all.get(above).and_then(|u| text(&u["status"])),
                None => Some(first.clone()),
            };
            (from, update)
        })
        .collect();
    if let Some((_, last)) = moves.last()
        && item["status"] == last["status"]
    {
        take(was, "status");
        take(item, "status");
    }
    Some(moves)
}

/// The updates appended to the service `id`, each a move from the status before it (see
/// [`moves`]); they also claim `ended` when the last update ended the service on that day.
fn updates(id: &str, was: &mut Json, item: &mut Json, out: &mut Vec<Change>) {
    let Some(moves) = moves(was, item, ServiceStatus::Referred.to_string()) else {
        return;
    };
    for (from, update) in &moves {
        out.push(Change::ServiceUpdated {
            id: id.to_string(),
            from: from.clone(),
            to: text(&update["status"]),
            date: text(&update["date"]),
            by: text(&update["by"]),
            reason: text(&update["reason"]),
        });
    }
    let Some((_, last)) = moves.last() else {
        return;
    };
    let ended = last["status"]
        .as_str()
        .and_then(|s| s.parse::<ServiceStatus>().ok())
        .is_some_and(ServiceStatus::is_final);
    if ended && !item["ended"].is_null() && item["ended"] == last["date"] {
        take(was, "ended");
        take(item, "ended");
    }
}

/// The updates appended to the goal `id`, each a change of its status on a day (see
/// [`moves`]).
fn goal_updates(id: &str, was: &mut Json, item: &mut Json, out: &mut Vec<Change>) {
    for (from, update) in moves(was, item, GoalStatus::Active.to_string()).unwrap_or_default() {
        out.push(Change::GoalUpdated {
            id: id.to_string(),
            from,
            to: text(&update["status"]),
            date: text(&update["date"]),
            by: text(&update["by"]),
        });
    }
}

/// Scores as JSON values, to compare with those written in a file.
fn json_scores(scores: &Scores) -> Map<String, Json> {
    scores
        .iter()
        .map(|(name, score)| (name.clone(), Json::from(*score)))
        .collect()
}

/// The scores in `now` that differ from those in `before`, in the order written.
fn moved(before: &Map<String, Json>, now: &Json) -> Vec<Score> {
    object(now)
        .into_iter()
        .filter(|(name, to)| {
            // Compared as the readers read a score (`4.0` is 4), shown as written.
            let read = whole(to).map(Json::from);
            before.get(name) != Some(read.as_ref().unwrap_or(to))
        })
        .map(|(name, to)| Score {
            from: before.get(&name).map(shown),
            name: key_name(&name).into_owned(),
            to: shown(&to),
        })
        .collect()
}

fn take(case: &mut Json, key: &str) -> Json {
    case.as_object_mut()
        .and_then(|m| m.remove(key))
        .unwrap_or(Json::Null)
}

fn text(value: &Json) -> Option<String> {
    match shown(value) {
        Json::Null => None,
        Json::String(s) => Some(s),
        other => Some(other.to_string()),
    }
}

/// A value at an allowed place as it may be shown: a plain value as it is; a mapping or list
/// (where a plain value belongs) only as `…`, since what is under it is on no allow-list.
fn shown(value: &Json) -> Json {
    match value {
        Json::Object(_) | Json::Array(_) => Json::String("…".to_string()),
        plain => plain.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cm_base::calendar::Calendar;
    use serde_json::json;

    fn words(old: Json, new: Json) -> Vec<String> {
        describe(&old, &new, &[])
            .iter()
            .map(|c| c.words(Calendar::Gregorian))
            .collect()
    }

    #[test]
    fn a_transfer_is_told_in_words_and_claims_the_caseworker() {
        let old = json!({"caseworker": "s.ahmadi", "history": []});
        let mut new = old.clone();
        new["caseworker"] = json!("n.moradi");
        new["transfers"] = json!([{"date": "2026-11-01", "from": "s.ahmadi", "to": "n.moradi",
            "by": "s.ahmadi", "approved_by": "z.rahimi", "reason": "Moved east"}]);
        assert_eq!(
            words(old.clone(), new.clone()),
            ["transferred s.ahmadi → n.moradi on 2026-11-01 (approved by z.rahimi)"]
        );
        new["transfers"][0]
            .as_object_mut()
            .unwrap()
            .remove("approved_by");
        new["risk"] = json!("high");
        assert_eq!(
            words(old, new),
            [
                "transferred s.ahmadi → n.moradi on 2026-11-01",
                "risk (none) → high"
            ]
        );
    }

    #[test]
    fn an_edited_history_is_told_field_by_field_not_as_a_move() {
        let old = json!({"phase": "assessment", "history": [
            {"date": "2026-03-02", "phase": "intake"}, {"date": "2026-03-09", "phase": "assessment"}]});
        let mut new = old.clone();
        new["history"][1]["date"] = json!("2026-03-10");
        assert_eq!(
            words(old, new),
            ["other fields: history[1].date 2026-03-09 → 2026-03-10"]
        );
    }

    #[test]
    fn scores_carry_forward_through_earlier_reviews() {
        let old = json!({"assessment": {"domains": {"income": 1, "housing": 2}},
                         "reviews": [{"date": "2026-04-01", "domains": {"income": 2}, "goals": {"G1": -1}}]});
        let mut new = old.clone();
        new["reviews"].as_array_mut().unwrap().push(
            json!({"date": "2026-05-01", "domains": {"income": 2, "housing": 3}, "goals": {"G1": 0, "G2": 1}}),
        );
        assert_eq!(
            words(old, new),
            ["review 2026-05-01 added: housing 2 → 3, G1 -1 → 0, G2 +1"]
        );
    }

    /// A score written `4.0` is the score 4, as the readers read it: re-scored unchanged, it has
    /// not moved.
    #[test]
    fn a_score_written_as_a_whole_float_is_that_score() {
        let old = json!({"assessment": {"domains": {"income": 4.0, "housing": 2}}, "reviews": []});
        let mut new = old.clone();
        new["reviews"] = json!([{"date": "2026-05-01", "domains": {"income": 4.0, "housing": 3}}]);
        assert_eq!(words(old, new), ["review 2026-05-01 added: housing 2 → 3"]);
    }

    #[test]
    fn items_without_ids_and_a_changed_closure_fall_back_to_paths() {
        let old = json!({"services": [{"type": "x", "status": "referred"}],
                         "closure": {"date": "2026-10-01", "reason": "moved", "note": "secret"}});
        let mut new = old.clone();
        new["services"][0]["status"] = json!("accepted");
        new["closure"]["reason"] = json!("other");
        new["closure"]["note"] = json!("another secret");
        assert_eq!(
            words(old, new),
            [
                "other fields: services[0].status referred → accepted, closure.reason moved → other, closure.note changed"
            ]
        );
    }

    /// Contacts appended are told by date, type and who made them, never with whom or their
    /// note; the first makes the log, and is told as itself.
    #[test]
    fn contacts_added_are_told_without_their_personal_fields() {
        let old = json!({"phase": "monitoring"});
        let mut new = old.clone();
        new["contacts"] = json!([{"date": "2026-10-28", "type": "home-visit", "by": "s.ahmadi",
                                  "with": "her mother", "note": "rent paid"}]);
        assert_eq!(
            words(old, new.clone()),
            ["contact 2026-10-28 home-visit added"]
        );
        let mut more = new.clone();
        more["contacts"]
            .as_array_mut()
            .unwrap()
            .push(json!({"date": "2026-11-01", "type": "phone", "by": "s.ahmadi"}));
        assert_eq!(words(new, more), ["contact 2026-11-01 phone added"]);
    }

    /// The first review, history entry, goal, service or closure is told once, as itself: the
    /// list or mapping that holds it, new with it, is not told again under other fields.
    #[test]
    fn what_appears_for_the_first_time_is_told_once() {
        let old = json!({"phase": "assessment", "risk": "high"});
        let new = json!({
            "phase": "monitoring",
            "risk": "high",
            "history": [{"date": "2026-05-01", "phase": "monitoring"}],
            "plan": {"goals": [{"id": "G1", "domain": "income"}]},
            "services": [{"id": "S1", "type": "cash", "status": "referred"}],
            "reviews": [{"date": "2026-06-01", "goals": {"G1": 1}}],
            "closure": {"date": "2026-07-01", "reason": "moved"},
        });
        assert_eq!(
            words(old, new),
            [
                "phase assessment → monitoring (2026-05-01)",
                "closure 2026-07-01 moved",
                "goal G1 added (income)",
                "service S1 added (cash, referred)",
                "review 2026-06-01 added: G1 +1",
            ]
        );
    }

    #[test]
    fn consent_in_words_its_organisations_counted_unless_included() {
        let none = json!({"risk": "low"});
        let given = json!({"risk": "low", "consent": {"given": true, "date": "2026-03-01",
                                                      "share_with": ["behzisti", "emdad"]}});
        assert_eq!(
            words(none.clone(), given.clone()),
            ["consent given (2026-03-01, shared with 2 organisations)"]
        );
        let include = ["consent.share_with".to_string()];
        assert_eq!(
            describe(&none, &given, &include)[0].words(Calendar::Gregorian),
            "consent given (2026-03-01, shared with behzisti, emdad)"
        );
        let mut withdrawn = given.clone();
        withdrawn["consent"]["given"] = json!(false);
        withdrawn["consent"]["date"] = json!("2026-05-02");
        assert_eq!(
            words(given.clone(), withdrawn),
            ["consent withdrawn (2026-05-02)"]
        );
        assert_eq!(words(given.clone(), none.clone()), ["consent withdrawn"]);
        let refused = json!({"risk": "low", "consent": {"given": false, "date": "2026-03-01"}});
        assert_eq!(words(none, refused), ["consent refused (2026-03-01)"]);
        let mut shared = given.clone();
        shared["consent"]["share_with"] = json!(["emdad"]);
        shared["consent"]["date"] = json!("2026-03-02");
        assert_eq!(
            words(given.clone(), shared.clone()),
            ["consent: date 2026-03-01 → 2026-03-02, share_with changed"]
        );
        assert_eq!(
            describe(&given, &shared, &include)[0].words(Calendar::Gregorian),
            "consent: date 2026-03-01 → 2026-03-02, share_with [behzisti, emdad] → [emdad]"
        );
        // A key the schema does not know under `consent` is left to the other fields.
        let mut odd = given.clone();
        odd["consent"]["witness"] = json!("a neighbour");
        assert_eq!(words(given, odd), ["other fields: consent.witness added"]);
    }

    /// A goal's updates appended are told as the status it took on a day, and claim its status;
    /// their reason and note, personal, are not told; a status changed by hand without an update
    /// is a field like any other.
    #[test]
    fn updates_appended_to_a_goal_are_told_as_its_status_on_a_day() {
        let old = json!({"plan": {"date": "2026-03-16", "goals": [
            {"id": "G1", "domain": "income", "text": "Work", "status": "active"},
            {"id": "G2", "domain": "housing", "text": "Rent", "status": "dropped",
             "updates": [{"date": "2026-05-01", "status": "dropped", "by": "a"}]},
            {"id": "G3", "domain": "income", "text": "Savings", "status": "active"}]}});
        let mut new = old.clone();
        new["plan"]["goals"][0]["status"] = json!("achieved");
        new["plan"]["goals"][0]["updates"] = json!([{"date": "2026-11-02", "status": "achieved",
            "by": "a", "reason": "a secret", "note": "another"}]);
        new["plan"]["goals"][1]["status"] = json!("active");
        new["plan"]["goals"][1]["updates"]
            .as_array_mut()
            .unwrap()
            .push(json!({"date": "2026-11-03", "status": "active", "by": "a"}));
        new["plan"]["goals"][2]["status"] = json!("achieved");
        assert_eq!(
            words(old.clone(), new.clone()),
            [
                "goal G1 achieved on 2026-11-02",
                "goal G2 active on 2026-11-03",
                "goal G3 status active → achieved",
            ]
        );
        let json = serde_json::to_value(&describe(&old, &new, &[])[1]).unwrap();
        assert_eq!(
            json,
            json!({"kind": "goal_updated", "id": "G2", "from": "dropped", "to": "active",
                   "date": "2026-11-03", "by": "a"})
        );
    }

    #[test]
    fn later_decisions_about_consent_in_words_each_with_its_date() {
        let given = json!({"risk": "low", "consent": {"given": true, "date": "2026-03-01",
                                                      "share_with": ["behzisti", "emdad"]}});
        let mut later = given.clone();
        later["consent"]["updates"] = json!([
            {"date": "2026-06-01", "decision": "withdrawn", "by": "a", "note": "secret"},
            {"date": "2026-07-01", "decision": "given", "share_with": ["emdad"], "by": "a"},
        ]);
        assert_eq!(
            words(given.clone(), later.clone()),
            [
                "consent withdrawn (2026-06-01)",
                "consent given (2026-07-01, shared with 1 organisation)"
            ]
        );
        // One more appended: only it is told.
        let mut more = later.clone();
        more["consent"]["updates"]
            .as_array_mut()
            .unwrap()
            .push(json!({"date": "2026-08-01", "decision": "refused", "by": "a"}));
        assert_eq!(words(later.clone(), more), ["consent refused (2026-08-01)"]);
        // A decision edited in place is told field by field, its note unnamed.
        let mut edited = later.clone();
        edited["consent"]["updates"][0]["date"] = json!("2026-06-02");
        edited["consent"]["updates"][0]["note"] = json!("other");
        assert_eq!(
            words(later, edited),
            ["consent: updates[0].date 2026-06-01 → 2026-06-02, updates[0].note changed"]
        );
    }

    #[test]
    fn updates_appended_to_a_service_are_told_as_moves() {
        let old = json!({"services": [
            {"id": "S4", "type": "rent-deposit-loan", "status": "referred",
             "referred": "2026-10-20"},
            {"id": "S5", "type": "microcredit", "status": "accepted", "referred": "2026-10-01",
             "updates": [{"date": "2026-10-05", "status": "accepted", "by": "a"}]}]});
        let mut new = old.clone();
        new["services"][0]["status"] = json!("declined");
        new["services"][0]["ended"] = json!("2026-11-02");
        new["services"][0]["updates"] = json!([{"date": "2026-11-02", "status": "declined",
            "by": "a", "reason": "no-capacity", "note": "a secret"}]);
        new["services"][1]["status"] = json!("completed");
        new["services"][1]["ended"] = json!("2026-11-20");
        new["services"][1]["cost"] = json!(1000);
        let updates = new["services"][1]["updates"].as_array_mut().unwrap();
        updates.push(json!({"date": "2026-11-01", "status": "in-progress", "by": "a"}));
        updates.push(json!({"date": "2026-11-20", "status": "completed", "by": "a"}));
        new["services"].as_array_mut().unwrap().push(json!(
            {"id": "S6", "type": "rent-deposit-loan", "status": "referred",
             "referred": "2026-11-25"}));
        assert_eq!(
            words(old.clone(), new.clone()),
            [
                "service S4 referred → declined (no-capacity) on 2026-11-02",
                "service S5 accepted → in-progress on 2026-11-01",
                "service S5 in-progress → completed on 2026-11-20",
                "service S5 cost set to 1000",
                "service S6 added (rent-deposit-loan, referred)",
            ]
        );
        let json = serde_json::to_value(&describe(&old, &new, &[])[0]).unwrap();
        assert_eq!(
            json,
            json!({"kind": "service_updated", "id": "S4", "from": "referred", "to": "declined",
                   "date": "2026-11-02", "by": "a", "reason": "no-capacity"})
        );
        let json = serde_json::to_value(&describe(&old, &new, &[])[1]).unwrap();
        assert!(json.get("reason").is_none(), "{json}");
    }

    /// Updates written for a service whose status was already written (its history recorded
    /// afterwards) are its moves from `referred`; an update edited, or a status the updates do
    /// not account for, is told field by field.
    #[test]
    fn updates_recorded_afterwards_and_edited_ones() {
        let old = json!({"services": [{"id": "S1", "status": "completed", "ended": "2026-06-28",
                                       "referred": "2026-03-20"}]});
        let mut new = old.clone();
        new["services"][0]["updates"] = json!([
            {"date": "2026-03-25", "status": "accepted", "by": "a"},
            {"date": "2026-06-28", "status": "completed", "by": "a"}]);
        assert_eq!(
            words(old, new.clone()),
            [
                "service S1 referred → accepted on 2026-03-25",
                "service S1 accepted → completed on 2026-06-28",
            ]
        );
        let mut edited = new.clone();
        edited["services"][0]["updates"][1]["date"] = json!("2026-06-29");
        edited["services"][0]["ended"] = json!("2026-06-29");
        assert_eq!(
            words(new.clone(), edited),
            ["service S1 ended 2026-06-28 → 2026-06-29, updates[1].date 2026-06-28 → 2026-06-29"]
        );
        let mut odd = new.clone();
        odd["services"][0]["updates"]
            .as_array_mut()
            .unwrap()
            .push(json!({"date": "2026-07-01", "status": "cancelled", "by": "a"}));
        odd["services"][0]["status"] = json!("declined");
        assert_eq!(
            words(new, odd),
            [
                "service S1 completed → cancelled on 2026-07-01",
                "service S1 status completed → declined"
            ]
        );
    }

    #[test]
    fn a_goal_removed_and_a_service_cancelled() {
        let old = json!({"plan": {"goals": [{"id": "G1"}, {"id": "G2", "text": "a"}]},
                         "services": [{"id": "S1", "status": "referred"}]});
        let new = json!({"plan": {"goals": [{"id": "G2", "text": "b"}]},
                         "services": [{"id": "S1", "status": "cancelled"}]});
        assert_eq!(
            words(old, new),
            [
                "goal G2 text changed",
                "goal G1 removed",
                "service S1 status referred → cancelled"
            ]
        );
    }
}
