//! The typed case the rules, listings and reports read.
//!
//! It is derived from the same tree the schema checks, but leniently: a field that is missing or
//! of the wrong type becomes `None` (or is left out of a list), because the schema has already
//! reported it, and the meaning rules should still check everything else. List items keep their
//! index, so a rule about `services[1]` names the item the file has at that place.
//!
//! - `names`: the closed sets of names a case uses (programs, risks, phases, …);
//! - `scores`: the scores of a review or an assessment;
//! - `records`: the case and the records it holds;
//! - `read`: reading them leniently from the case's JSON.

mod names;
mod read;
mod records;
mod scores;

pub use names::{
    ClosureReason, ConsentDecision, ContactType, DeclineReason, GoalStatus, Phase, Program,
    Relation, Risk, ServiceStatus, Sex,
};
pub use read::whole;
pub use records::{
    Assessment, Case, Client, Closure, Consent, ConsentUpdate, Contact, Depth, Goal, GoalUpdate,
    HistoryEntry, INCLUDABLE_IN_LISTINGS, Link, PastEpisode, Plan, Review, RiskChange, Service,
    ServiceUpdate, Transfer,
};
pub use scores::Scores;
