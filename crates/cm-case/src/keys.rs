//! The one description of a case's keys: every place the contract knows, in the contract's
//! order, and whether a value there is personal (the values allowed at a place are the schema's,
//! the same as the typed model's names: a test holds them together). The privacy allow-list and
//! the order in which the editor writes new keys and the names `--include` takes are read from
//! [`PLACES`], and a test holds every place of the built-in schema to be on it: a field added to
//! the schema is added here once.

use cm_base::path::{Step, keys_of};

/// Whether a value at a place may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Known to hold no personal data: it may appear in reports, exports, diffs, diagnostics.
    Shown,
    /// Personal: named, never shown, unless the user asks for it by this name (`--include`): the
    /// place itself, or for the free texts found in several places, their key (`note`).
    Personal(&'static str),
}

use Kind::Shown;

/// A personal place that `--include` names by the place itself.
const fn personal(place: &'static str) -> (&'static str, Kind) {
    (place, Kind::Personal(place))
}

/// Every place of a case, as keys from the root with list indexes left out (`*` stands for any
/// key of a mapping whose keys the agency names: domain names, goal ids), in the order of the
/// contract: the order new keys are written in. `extra` is personal all the way down.
pub const PLACES: &[(&str, Kind)] = &[
    ("id", Shown),
    ("program", Shown),
    ("opened", Shown),
    ("caseworker", Shown),
    ("risk", Shown),
    ("phase", Shown),
    ("model", Shown),
    personal("client.name"),
    ("client.sex", Shown),
    personal("client.birth_date"),
    personal("client.birth_year"),
    personal("client.national_id"),
    personal("client.phone"),
    personal("client.address"),
    personal("client.household_size"),
    personal("client.guardian"),
    ("household", Shown),
    ("links.case", Shown),
    ("links.relation", Shown),
    ("not_duplicate_of", Shown),
    ("consent.given", Shown),
    ("consent.date", Shown),
    personal("consent.share_with"),
    ("consent.by", Shown),
    ("consent.note", Kind::Personal("note")),
    ("consent.updates.date", Shown),
    ("consent.updates.decision", Shown),
    (
        "consent.updates.share_with",
        Kind::Personal("consent.share_with"),
    ),
    ("consent.updates.by", Shown),
    ("consent.updates.note", Kind::Personal("note")),
    ("assessment.date", Shown),
    ("assessment.domains.*", Shown),
    ("assessment.strengths", Kind::Personal("strengths")),
    ("assessment.needs", Kind::Personal("needs")),
    ("plan.date", Shown),
    ("plan.goals.id", Shown),
    ("plan.goals.domain", Shown),
    ("plan.goals.text", Kind::Personal("text")),
    ("plan.goals.target_date", Shown),
    ("plan.goals.weight", Shown),
    ("plan.goals.status", Shown),
    ("plan.goals.added", Shown),
    ("plan.goals.updates.date", Shown),
    ("plan.goals.updates.status", Shown),
    ("plan.goals.updates.by", Shown),
    ("plan.goals.updates.reason", Kind::Personal("reason")),
    ("plan.goals.updates.note", Kind::Personal("note")),
    ("services.id", Shown),
    ("services.goal", Shown),
    ("services.type", Shown),
    ("services.provider", Shown),
    ("services.referred", Shown),
    ("services.by", Shown),
    ("services.status", Shown),
    ("services.ended", Shown),
    ("services.cost", Shown),
    ("services.note", Kind::Personal("note")),
    ("services.updates.date", Shown),
    ("services.updates.status", Shown),
    ("services.updates.by", Shown),
    ("services.updates.reason", Shown),
    ("services.updates.note", Kind::Personal("note")),
    ("reviews.date", Shown),
    ("reviews.by", Shown),
    ("reviews.domains.*", Shown),
    ("reviews.goals.*", Shown),
    ("reviews.risk", Shown),
    ("reviews.next_due", Shown),
    ("reviews.note", Kind::Personal("note")),
    ("contacts.date", Shown),
    ("contacts.type", Shown),
    ("contacts.by", Shown),
    personal("contacts.with"),
    ("contacts.note", Kind::Personal("note")),
    ("risk_changes.date", Shown),
    ("risk_changes.risk", Shown),
    ("risk_changes.by", Shown),
    ("risk_changes.note", Kind::Personal("note")),
    ("closure.date", Shown),
    ("closure.reason", Shown),
    ("closure.domains.*", Shown),
    ("closure.to_office", Shown),
    ("closure.note", Kind::Personal("note")),
    ("episodes.opened", Shown),
    ("episodes.closure.date", Shown),
    ("episodes.closure.reason", Shown),
    ("episodes.closure.domains.*", Shown),
    ("episodes.closure.to_office", Shown),
    ("episodes.closure.note", Kind::Personal("note")),
    ("history.date", Shown),
    ("history.phase", Shown),
    ("history.by", Shown),
    ("history.risk", Shown),
    ("history.approved_by", Shown),
    ("history.note", Kind::Personal("note")),
    ("history.reason", Kind::Personal("reason")),
    ("transfers.date", Shown),
    ("transfers.from", Shown),
    ("transfers.to", Shown),
    ("transfers.by", Shown),
    ("transfers.approved_by", Shown),
    ("transfers.from_office", Shown),
    ("transfers.reason", Kind::Personal("reason")),
    personal("extra"),
];

/// The places whose values may be shown: the allow-list.
pub fn shown() -> impl Iterator<Item = &'static str> {
    PLACES
        .iter()
        .filter(|(_, kind)| *kind == Shown)
        .map(|(place, _)| *place)
}

/// The personal places, each with the name `--include` takes for it.
pub fn personal_places() -> impl Iterator<Item = (&'static str, &'static str)> {
    PLACES.iter().filter_map(|(place, kind)| match kind {
        Kind::Personal(named) => Some((*place, *named)),
        Shown => None,
    })
}

/// The personal fields, as `--include` names them, each once, in the contract's order.
pub fn personal_fields() -> Vec<&'static str> {
    let mut fields: Vec<&'static str> = Vec::new();
    for (_, named) in personal_places() {
        if !fields.contains(&named) {
            fields.push(named);
        }
    }
    fields
}

/// Where `key` stands among the keys of the mapping at `mapping` (a path into a case) in the
/// contract's order; a key the contract does not know there goes last. The editor writes a new
/// key after the last key present that comes before it.
pub fn rank(mapping: &[Step], key: &str) -> usize {
    let keys = keys_of(mapping);
    PLACES
        .iter()
        .filter_map(|(place, _)| {
            let mut parts = place.split('.');
            let under = keys.iter().all(|k| parts.next() == Some(k));
            under.then(|| parts.next()).flatten()
        })
        .position(|k| k == key)
        .unwrap_or(PLACES.len())
}

/// The built-in JSON Schema of a case, used when a workspace has none of its own: the structure
/// [`PLACES`] describes, with the phase requirements.
pub const BUILTIN_SCHEMA: &str = include_str!("../../../schemas/case.schema.json");

#[cfg(test)]
mod tests {
    use super::*;
    use cm_base::at;

    /// The values the schema allows at a place are the spellings of the typed model's names, so
    /// that what the schema passes the readers understand.
    #[test]
    fn the_schema_allows_the_values_the_model_names() {
        use crate::model::{
            ClosureReason, ContactType, GoalStatus, Phase, Program, Risk, ServiceStatus, Sex,
        };
        use cm_base::names::Names;
        let schema: serde_json::Value = serde_json::from_str(BUILTIN_SCHEMA).unwrap();
        let allowed = |name: &str| -> Vec<String> {
            schema["$defs"][name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("no enum for {name}"))
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let spelt =
            |names: Vec<&str>| -> Vec<String> { names.into_iter().map(str::to_string).collect() };
        assert_eq!(allowed("program"), spelt(Program::spellings()));
        assert_eq!(allowed("risk"), spelt(Risk::spellings()));
        assert_eq!(allowed("phase"), spelt(Phase::spellings()));
        assert_eq!(allowed("sex"), spelt(Sex::spellings()));
        assert_eq!(allowed("goalStatus"), spelt(GoalStatus::spellings()));
        assert_eq!(allowed("serviceStatus"), spelt(ServiceStatus::spellings()));
        assert_eq!(allowed("closureReason"), spelt(ClosureReason::spellings()));
        assert_eq!(allowed("contactType"), spelt(ContactType::spellings()));
    }

    #[test]
    fn new_keys_follow_the_contract() {
        assert!(rank(&[], "phase") < rank(&[], "client"));
        assert!(rank(&[], "closure") < rank(&[], "history"));
        let closure = at!["closure"];
        assert!(rank(&closure, "date") < rank(&closure, "reason"));
        assert!(rank(&closure, "reason") < rank(&closure, "domains"));
        assert!(rank(&closure, "domains") < rank(&closure, "note"));
        assert_eq!(rank(&closure, "unknown"), PLACES.len());
        let review = at!["reviews", 3];
        assert!(rank(&review, "risk") < rank(&review, "next_due"));
    }
}
