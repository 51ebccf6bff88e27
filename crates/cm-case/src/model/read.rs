//! Reading the typed case from its JSON leniently: a field that is missing or of the wrong type
//! becomes `None` (or is left out of a list), and list items keep their index.

use chrono::NaiveDate;
use cm_base::calendar::parse_iso;
use serde_json::Value as Json;

use super::names::{
    ClosureReason, ConsentDecision, ContactType, DeclineReason, GoalStatus, Phase, Program,
    Relation, Risk, ServiceStatus, Sex,
};
use super::records::{
    Assessment, Case, Client, Closure, Consent, ConsentUpdate, Contact, Goal, GoalUpdate,
    HistoryEntry, Link, PastEpisode, Plan, Review, RiskChange, Service, ServiceUpdate, Transfer,
};
use super::scores::Scores;

impl Case {
    /// Reads the typed view of a case from its JSON value. Never fails.
    pub fn from_json(json: &Json) -> Case {
        Case::read(json).unwrap_or_default()
    }
}

/// Reading the typed case from its JSON, leniently: a value of the wrong type is `None` (or
/// left out of a list), since the schema has already reported it. Hand-written rather than
/// derived with serde, because serde's lenient path copies every sub-tree once per level, and
/// this runs on every case of every command.
trait Read: Sized {
    /// The value read from `json`, or `None` when it has another type.
    fn read(json: &Json) -> Option<Self>;
}

/// A field of a record, read from the value at its key (if any).
trait FieldValue: Sized {
    fn field(json: Option<&Json>) -> Self;
}

impl<T: Read> FieldValue for Option<T> {
    fn field(json: Option<&Json>) -> Self {
        json.and_then(T::read)
    }
}

/// Lists: an item of the wrong type is left out, except a record, which is kept empty so that
/// the others keep their index.
impl<T: ListItem> FieldValue for Vec<T> {
    fn field(json: Option<&Json>) -> Self {
        json.and_then(Json::as_array)
            .map(|items| items.iter().filter_map(T::item).collect())
            .unwrap_or_default()
    }
}

trait ListItem: Sized {
    fn item(json: &Json) -> Option<Self>;
}

impl ListItem for String {
    fn item(json: &Json) -> Option<Self> {
        String::read(json)
    }
}

/// A score as the readers read it: a whole number as JSON Schema counts one, `4` and `4.0` too
/// (`integer` takes both), so that a score the schema accepts is never dropped; `None` for
/// anything else.
pub fn whole(value: &Json) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    })
}

impl FieldValue for Scores {
    fn field(json: Option<&Json>) -> Self {
        json.and_then(Json::as_object)
            .map(|map| {
                map.iter()
                    .filter_map(|(k, v)| Some((k.clone(), whole(v)?)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The closed sets of names are read by their spelling.
macro_rules! read_names {
    ($($name:ident),+) => {$(
        impl Read for $name {
            fn read(json: &Json) -> Option<Self> {
                json.as_str()?.parse().ok()
            }
        }
    )+};
}

read_names!(
    Program,
    Risk,
    Phase,
    Sex,
    GoalStatus,
    ServiceStatus,
    ClosureReason,
    DeclineReason,
    ContactType,
    ConsentDecision,
    Relation
);

impl Read for String {
    fn read(json: &Json) -> Option<Self> {
        json.as_str().map(str::to_string)
    }
}

impl Read for bool {
    fn read(json: &Json) -> Option<Self> {
        json.as_bool()
    }
}

impl Read for i32 {
    fn read(json: &Json) -> Option<Self> {
        whole(json).and_then(|n| i32::try_from(n).ok())
    }
}

impl Read for f64 {
    fn read(json: &Json) -> Option<Self> {
        json.as_f64()
    }
}

impl Read for NaiveDate {
    fn read(json: &Json) -> Option<Self> {
        parse_iso(json.as_str()?)
    }
}

/// Declares how a record is read: each field from its key (`field = "key"` when they differ).
/// Only a mapping is a record.
macro_rules! record {
    ($name:ident { $($field:ident $(= $key:literal)?),+ $(,)? }) => {
        impl Read for $name {
            fn read(json: &Json) -> Option<Self> {
                // One pass over the mapping, each key matched with its field: looking each field
                // up would hash its key.
                $(let mut $field: Option<&Json> = None;)+
                for (key, value) in json.as_object()? {
                    match key.as_str() {
                        $(record!(@key $field $($key)?) => $field = Some(value),)+
                        _ => {}
                    }
                }
                Some($name {
                    $($field: FieldValue::field($field),)+
                })
            }
        }

        impl ListItem for $name {
            fn item(json: &Json) -> Option<Self> {
                Some($name::read(json).unwrap_or_default())
            }
        }
    };
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
}

record!(Case {
    id,
    program,
    opened,
    caseworker,
    risk,
    phase,
    client,
    household,
    links,
    not_duplicate_of,
    consent,
    assessment,
    plan,
    services,
    reviews,
    contacts,
    risk_changes,
    closure,
    episodes,
    history,
    transfers,
});
record!(Client {
    name,
    sex,
    birth_date,
    birth_year,
    national_id,
    phone,
});
record!(Link { case, relation });
record!(Consent {
    given,
    date,
    share_with,
    by,
    updates
});
record!(ConsentUpdate {
    date,
    decision,
    share_with,
    by
});
record!(Assessment { date, domains });
record!(Plan { date, goals });
record!(Goal {
    id,
    domain,
    target_date,
    weight,
    status,
    added,
    updates,
});
record!(GoalUpdate { date, status, by });
record!(Service {
    id,
    goal,
    kind = "type",
    provider,
    referred,
    by,
    status,
    ended,
    cost,
    updates,
});
record!(ServiceUpdate {
    date,
    status,
    by,
    reason
});
record!(Review {
    date,
    by,
    domains,
    goals,
    risk,
    next_due,
});
record!(Contact {
    date,
    kind = "type",
    by
});
record!(Closure {
    date,
    reason,
    domains,
    to_office
});
record!(PastEpisode { opened, closure });
record!(HistoryEntry {
    date,
    phase,
    by,
    risk,
    approved_by,
});
record!(RiskChange { date, risk, by });
record!(Transfer {
    date,
    from,
    to,
    by,
    approved_by,
    from_office,
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_become_none_and_keep_the_rest() {
        let case = Case::from_json(&json!({
            "id": "THR-2026-0001",
            "risk": "hgih",
            "opened": "2026-02-30",
            "services": [{"id": "S1"}, 7, {"id": "S3", "goal": "G1"}],
        }));
        assert_eq!(case.id.as_deref(), Some("THR-2026-0001"));
        assert_eq!(case.risk, None);
        assert_eq!(case.opened, None);
        assert_eq!(case.services.len(), 3);
        assert_eq!(case.services[2].goal.as_deref(), Some("G1"));
    }

    #[test]
    fn a_list_is_not_read_as_a_record_by_position() {
        let case = Case::from_json(&json!({
            "client": ["Maryam", "female"],
            "history": [["2026-01-01", "intake"], {"phase": "assessment"}],
        }));
        assert!(case.client.is_none());
        assert_eq!(case.history.len(), 2);
        assert_eq!(case.history[0].phase, None);
        assert_eq!(case.history[1].phase, Some(Phase::Assessment));
        assert!(
            Case::from_json(&json!(["CM-2026-0001", "general"]))
                .id
                .is_none()
        );
    }
}
