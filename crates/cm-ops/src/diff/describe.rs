//! What changed between two versions of one case, in the words of the work: phase moves,
//! reviews, goals, services, the closure; and, for everything else, the paths of the fields
//! that changed. A pure function of the two JSON documents.
//!
//! Each kind of change *claims* its part of the case (the phase and the history entries
//! appended, the reviews appended, goals and services matched by id, …); what no kind claims is
//! compared field by field, so every difference is told exactly once.

use serde::Serialize;
use serde_json::{Map, Value as Json};

use cm_base::calendar::{self, Calendar, parse_iso as parse_date};
use cm_base::diagnostic::Code;
use cm_base::path::{Step, key_name, keys_of};
use cm_case::privacy::may_show;
use cm_case::{Case, Scores, view};

/// One change to a case.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The file is new.
    Opened {
        opened: Option<String>,
        program: Option<String>,
        phase: Option<String>,
        risk: Option<String>,
        caseworker: Option<String>,
    },
    /// The file was deleted.
    Deleted {
        phase: Option<String>,
    },
    /// The case's id changed (and so its file).
    Renamed {
        from: String,
    },
    /// The file moved, the id staying the same.
    Moved {
        from: String,
    },
    /// One version cannot be read, so the two are not compared.
    Unreadable {
        at: String,
        path: String,
        line: usize,
        column: usize,
        code: Code,
        message: String,
    },
    /// The phase changed: the history entries appended, oldest first.
    Phase {
        from: Option<String>,
        to: Option<String>,
        entered: Vec<Entered>,
    },
    /// The case was closed: the closure written, with the exit scores that moved.
    Closure {
        date: Option<String>,
        reason: Option<String>,
        domains: Vec<Score>,
    },
    Risk {
        from: Option<String>,
        to: Option<String>,
    },
    /// The case went to another caseworker.
    Caseworker {
        from: Option<String>,
        to: Option<String>,
    },
    /// The needs assessment was recorded.
    Assessment {
        date: Option<String>,
        domains: Vec<Score>,
    },
    GoalAdded {
        id: String,
        domain: Option<String>,
    },
    GoalRemoved {
        id: String,
    },
    GoalChanged {
        id: String,
        fields: Vec<Field>,
    },
    ServiceAdded {
        id: String,
        #[serde(rename = "type")]
        kind: Option<String>,
        status: Option<String>,
    },
    ServiceRemoved {
        id: String,
    },
    ServiceChanged {
        id: String,
        fields: Vec<Field>,
    },
    /// A monitoring review was appended: the domain and goal scores it moved.
    ReviewAdded {
        date: Option<String>,
        by: Option<String>,
        domains: Vec<Score>,
        goals: Vec<Score>,
    },
    /// Every other field that changed.
    Other {
        fields: Vec<Field>,
    },
    /// The file changed but the case did not: comments, quoting or layout only.
    Layout,
}

/// A history entry appended: the phase entered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entered {
    pub phase: Option<String>,
    pub date: Option<String>,
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// A score that moved: a domain's (1..5) or a goal's attainment (-2..+2). `from` is the score
/// before (carried forward through the reviews), absent when there was none.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub name: String,
    pub from: Option<Json>,
    pub to: Json,
}

/// A field that changed, by its path in the case (`client.phone`, `history[2].date`). The
/// values are given only for plain values that may be shown: a personal field is named, its
/// value kept back unless the user asked for it with `--include`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    pub path: String,
    pub change: FieldChange,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Json>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldChange {
    Added,
    Removed,
    Changed,
}

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
    phase(&mut old, &mut new, &mut changes);
    if old["closure"].is_null() && !new["closure"].is_null() {
        take(&mut old, "closure");
        let closure = take(&mut new, "closure");
        changes.push(Change::Closure {
            date: text(&closure["date"]),
            reason: text(&closure["reason"]),
            domains: moved(&latest, &closure["domains"]),
        });
    }
    for key in ["risk", "caseworker"] {
        let (from, to) = (take(&mut old, key), take(&mut new, key));
        if from != to {
            let (from, to) = (text(&from), text(&to));
            changes.push(if key == "risk" {
                Change::Risk { from, to }
            } else {
                Change::Caseworker { from, to }
            });
        }
    }
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
/// from `new` and returns them (the list is then claimed: nothing more to compare in it).
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
    Some(after.split_off(before.len()))
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
                // Paths within the item; whether a field may be shown depends on where it is.
                let mut fields = Vec::new();
                compare(
                    was,
                    item,
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

/// Compares `old` and `new`, the values at path `at` (keys, and `[i]` for list items), field
/// by field, pushing what differs. A field missing on one side is compared as null.
fn compare(
    old: &Json,
    new: &Json,
    within: &[&str],
    at: &mut Vec<Step>,
    include: &[String],
    out: &mut Vec<Field>,
) {
    if old == new {
        return;
    }
    match (old, new) {
        (Json::Object(_) | Json::Null, Json::Object(_)) | (Json::Object(_), Json::Null) => {
            let (a, b) = (object(old), object(new));
            let keys = b.keys().chain(a.keys().filter(|k| !b.contains_key(*k)));
            for key in keys.cloned().collect::<Vec<_>>() {
                let (x, y) = (a.get(&key), b.get(&key));
                at.push(Step::Key(key));
                compare(
                    x.unwrap_or(&Json::Null),
                    y.unwrap_or(&Json::Null),
                    within,
                    at,
                    include,
                    out,
                );
                at.pop();
            }
        }
        (Json::Array(a), Json::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                at.push(Step::Index(i));
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => compare(x, y, within, at, include, out),
                    (x, y) => out.push(field(within, at, x, y, include)),
                }
                at.pop();
            }
        }
        _ => out.push(field(within, at, Some(old), Some(new), include)),
    }
}

/// One changed field at `at` (within the place `within` of the case), with its values when they
/// are plain and may be shown.
fn field(
    within: &[&str],
    at: &[Step],
    old: Option<&Json>,
    new: Option<&Json>,
    include: &[String],
) -> Field {
    let keys: Vec<&str> = within.iter().copied().chain(keys_of(at)).collect();
    let shown = may_show(&keys, include);
    let old = old.filter(|v| !v.is_null());
    let new = new.filter(|v| !v.is_null());
    let plain = |v: Option<&Json>| {
        v.filter(|v| shown && !v.is_object() && !v.is_array())
            .cloned()
    };
    let mut path = String::new();
    for step in at {
        match step {
            Step::Key(k) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key_name(k));
            }
            Step::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    Field {
        path,
        change: match (old, new) {
            (None, _) => FieldChange::Added,
            (_, None) => FieldChange::Removed,
            _ => FieldChange::Changed,
        },
        from: plain(old),
        to: plain(new),
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
        .filter(|(name, to)| before.get(name) != Some(to))
        .map(|(name, to)| Score {
            from: before.get(&name).map(shown),
            name: key_name(&name).into_owned(),
            to: shown(&to),
        })
        .collect()
}

fn object(value: &Json) -> Map<String, Json> {
    value.as_object().cloned().unwrap_or_default()
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

impl Change {
    /// The change in words, dates in `calendar`.
    pub fn words(&self, calendar: Calendar) -> String {
        let date = |d: &Option<String>| {
            d.as_deref()
                .map_or("?".to_string(), |d| show_date(d, calendar))
        };
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
        match self {
            Change::Opened {
                opened,
                program,
                phase,
                risk,
                caseworker,
            } => format!(
                "new case, opened {}: {}, phase {}, risk {}, caseworker {}",
                date(opened),
                or_none(program),
                or_none(phase),
                or_none(risk),
                or_none(caseworker)
            ),
            Change::Deleted { phase } => match phase {
                Some(p) => format!("case file deleted (it was in {p})"),
                None => "case file deleted".to_string(),
            },
            Change::Renamed { from } => format!("renamed from {from}"),
            Change::Moved { from } => format!("moved from {from}"),
            Change::Unreadable {
                at,
                path,
                line,
                column,
                code,
                message,
            } => format!(
                "cannot be read {} ({path}:{line}:{column}: {code}: {message}), so not compared",
                if at == WORKING_TREE {
                    "in the working tree".to_string()
                } else {
                    format!("at {at}")
                }
            ),
            Change::Phase { from, to, entered } => {
                let mut words = format!("phase {}", or_none(from));
                if entered.is_empty() {
                    words.push_str(&format!(" → {}", or_none(to)));
                }
                for e in entered {
                    words.push_str(&format!(" → {} ({}", or_none(&e.phase), date(&e.date)));
                    if let Some(a) = &e.approved_by {
                        words.push_str(&format!(", approved by {a}"));
                    }
                    words.push(')');
                }
                words
            }
            Change::Closure {
                date: d,
                reason,
                domains,
            } => format!(
                "closure {} {}{}",
                date(d),
                or_none(reason),
                listed(scores(domains, false))
            ),
            Change::Risk { from, to } => format!("risk {} → {}", or_none(from), or_none(to)),
            Change::Caseworker { from, to } => {
                format!("caseworker {} → {}", or_none(from), or_none(to))
            }
            Change::Assessment { date: d, domains } => {
                format!("assessment {}{}", date(d), listed(scores(domains, false)))
            }
            Change::GoalAdded { id, domain } => match domain {
                Some(d) => format!("goal {id} added ({d})"),
                None => format!("goal {id} added"),
            },
            Change::GoalRemoved { id } => format!("goal {id} removed"),
            Change::GoalChanged { id, fields } => {
                format!("goal {id} {}", fields_words(fields, calendar))
            }
            Change::ServiceAdded { id, kind, status } => format!(
                "service {id} added ({}, {})",
                or_none(kind),
                or_none(status)
            ),
            Change::ServiceRemoved { id } => format!("service {id} removed"),
            Change::ServiceChanged { id, fields } => {
                format!("service {id} {}", fields_words(fields, calendar))
            }
            Change::ReviewAdded {
                date: d,
                domains,
                goals,
                ..
            } => format!(
                "review {} added{}",
                date(d),
                listed(scores(domains, false).chain(scores(goals, true)))
            ),
            Change::Other { fields } => {
                format!("other fields: {}", fields_words(fields, calendar))
            }
            Change::Layout => "only comments or layout changed".to_string(),
        }
    }
}

/// The label of the working tree where a revision's name would stand.
pub const WORKING_TREE: &str = "working tree";

/// The scores in words: `income 1 → 2`, `housing 3` when new; goal attainment signed
/// (`G1 -1 → +1`).
fn scores(list: &[Score], signed: bool) -> impl Iterator<Item = String> + '_ {
    let value = move |v: &Json| match v.as_i64() {
        Some(n) if signed && n > 0 => format!("+{n}"),
        _ => plain(v),
    };
    list.iter().map(move |s| match &s.from {
        Some(from) => format!("{} {} → {}", s.name, value(from), value(&s.to)),
        None => format!("{} {}", s.name, value(&s.to)),
    })
}

/// `: a, b` after what they belong to; nothing when there are none.
fn listed(parts: impl Iterator<Item = String>) -> String {
    let parts: Vec<String> = parts.collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    }
}

fn fields_words(fields: &[Field], calendar: Calendar) -> String {
    let value = |v: &Json| {
        v.as_str()
            .map_or_else(|| plain(v), |s| show_date(s, calendar))
    };
    fields
        .iter()
        .map(|f| match (f.change, &f.from, &f.to) {
            (FieldChange::Changed, Some(a), Some(b)) => {
                format!("{} {} → {}", f.path, value(a), value(b))
            }
            (FieldChange::Added, _, Some(b)) => format!("{} set to {}", f.path, value(b)),
            (FieldChange::Added, _, _) => format!("{} added", f.path),
            (FieldChange::Removed, _, _) => format!("{} removed", f.path),
            (FieldChange::Changed, _, _) => format!("{} changed", f.path),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn show_date(text: &str, calendar: Calendar) -> String {
    parse_date(text).map_or_else(|| text.to_string(), |d| calendar::display(d, calendar))
}

/// A plain value as written in a file: strings without quotes.
fn plain(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(old: Json, new: Json) -> Vec<String> {
        describe(&old, &new, &[])
            .iter()
            .map(|c| c.words(Calendar::Gregorian))
            .collect()
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
