//! The one description of a case's keys: every place the contract knows, in the contract's
//! order, and whether a value there is personal (the values allowed at a place are the schema's,
//! the same as the typed model's names: a test holds them together). The privacy allow-list and
//! the order in which the editor writes new keys are read from [`PLACES`], and a test holds every
//! place of the built-in schema to be on it: a field added to the schema is added here once.

use cm_base::path::{Step, keys_of};

/// Whether a value at a place may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Known to hold no personal data: it may appear in reports, exports, diffs, diagnostics.
    Shown,
    /// Personal: named, never shown, unless the user asks for it by name (`--include`).
    Personal,
}

use Kind::{Personal, Shown};

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
    ("client.name", Personal),
    ("client.sex", Shown),
    ("client.birth_date", Personal),
    ("client.national_id", Personal),
    ("client.phone", Personal),
    ("client.address", Personal),
    ("client.household_size", Personal),
    ("client.guardian", Personal),
    ("consent.given", Shown),
    ("consent.date", Shown),
    ("consent.share_with", Personal),
    ("assessment.date", Shown),
    ("assessment.domains.*", Shown),
    ("assessment.strengths", Personal),
    ("assessment.needs", Personal),
    ("plan.date", Shown),
    ("plan.goals.id", Shown),
    ("plan.goals.domain", Shown),
    ("plan.goals.text", Personal),
    ("plan.goals.target_date", Shown),
    ("plan.goals.weight", Shown),
    ("plan.goals.status", Shown),
    ("services.id", Shown),
    ("services.goal", Shown),
    ("services.type", Shown),
    ("services.provider", Shown),
    ("services.referred", Shown),
    ("services.status", Shown),
    ("services.ended", Shown),
    ("services.cost", Shown),
    ("reviews.date", Shown),
    ("reviews.by", Shown),
    ("reviews.domains.*", Shown),
    ("reviews.goals.*", Shown),
    ("reviews.risk", Shown),
    ("reviews.next_due", Shown),
    ("reviews.note", Personal),
    ("closure.date", Shown),
    ("closure.reason", Shown),
    ("closure.domains.*", Shown),
    ("closure.note", Personal),
    ("history.date", Shown),
    ("history.phase", Shown),
    ("history.by", Shown),
    ("history.approved_by", Shown),
    ("history.note", Personal),
    ("extra", Personal),
];

/// The places of `kind`.
pub fn places(kind: Kind) -> impl Iterator<Item = &'static str> {
    PLACES
        .iter()
        .filter(move |(_, k)| *k == kind)
        .map(|(place, _)| *place)
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
        use crate::model::{ClosureReason, GoalStatus, Phase, Program, Risk, ServiceStatus, Sex};
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
