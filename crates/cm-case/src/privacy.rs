//! Which values of a case may leave the files: privacy by allow-list, in one place.
//!
//! A value may be shown — in an export, a diff, a listing, a report or a diagnostic — only if
//! its place is on the allow-list, the places of [`crate::keys::PLACES`] known to hold no
//! personal data (the phase, the risk, dates of events, scores, ids of goals and services,
//! roster ids...).
//! Everything else is at most named, never shown: the personal fields of the contract
//! (`client.*` but `client.sex`, `consent.share_with`, every `note`, `text`, `strengths` and
//! `needs`, and the free-form `extra`), and any key the schema does not know — a misspelt
//! `clinet:` or `notes:`, a top-level `phone:` — wherever it stands, with everything under it.
//! The one way past the list is for the user to name a known personal field with `--include`.

use std::cmp::Ordering;

use cm_base::path::{Step, keys_of};

use crate::keys::{personal_places, shown};

/// How `keys` stands to the place `pattern` (as [`crate::keys::PLACES`] writes places; `*` is any
/// key), compared part by part: `None` when a part differs; else `Equal` when `keys` is the place,
/// `Less` when it lies under it, `Greater` when it leads to it. No allocation: it runs for every
/// value shown.
fn compare(pattern: &str, keys: &[&str]) -> Option<Ordering> {
    let mut parts = pattern.split('.');
    let mut keys = keys.iter();
    loop {
        match (parts.next(), keys.next()) {
            (Some(p), Some(k)) if p == "*" || p == *k => {}
            (Some(_), Some(_)) => return None,
            (None, None) => return Some(Ordering::Equal),
            (None, Some(_)) => return Some(Ordering::Less),
            (Some(_), None) => return Some(Ordering::Greater),
        }
    }
}

/// Whether the value at `keys` (the keys from the root of the case, list indexes left out) is
/// on the allow-list: it may be shown as it is.
pub fn is_allowed(keys: &[&str]) -> bool {
    shown().any(|place| compare(place, keys) == Some(Ordering::Equal))
}

/// Whether places on the allow-list lie within the value at `keys` (a mapping or list on the way
/// to them, such as `client` or `reviews`).
pub fn leads_to_allowed(keys: &[&str]) -> bool {
    shown().any(|place| {
        matches!(
            compare(place, keys),
            Some(Ordering::Equal | Ordering::Greater)
        )
    })
}

/// Whether the value at `path` in a case may be quoted in a diagnostic: only a value on the
/// allow-list. Diagnostics name the place of any other value but never quote it: their output
/// ends up in CI logs.
pub fn may_quote(path: &[Step]) -> bool {
    is_allowed(&keys_of(path))
}

/// Whether the value at `keys` may be shown: it is on the allow-list, or it is at (or under) the
/// place of a personal field that `include` names (see [`crate::keys::Kind::Personal`]) —
/// `client.phone` names that place, `note` every personal place that ends in `note`. A place the
/// schema does not know is never shown, whatever is named: not a `note` under `extra` or under a
/// misspelt key.
pub fn may_show(keys: &[&str], include: &[String]) -> bool {
    is_allowed(keys)
        || personal_places().any(|(place, named)| {
            matches!(compare(place, keys), Some(Ordering::Equal | Ordering::Less))
                && include.iter().any(|field| field == named)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the value at `keys` is one of the contract's personal fields, at its place, as
    /// opposed to one at a place the schema does not know.
    fn is_personal(keys: &[&str]) -> bool {
        personal_places().any(|(place, _)| {
            let exact = compare(place, keys) == Some(Ordering::Equal);
            exact || (place == "extra" && compare(place, keys) == Some(Ordering::Less))
        })
    }

    #[test]
    fn personal_fields() {
        assert!(is_personal(&["client", "name"]));
        assert!(!is_personal(&["client", "sex"]));
        assert!(is_personal(&["consent", "share_with"]));
        assert!(!is_personal(&["consent", "given"]));
        assert!(is_personal(&["reviews", "note"]));
        assert!(is_personal(&["plan", "goals", "text"]));
        assert!(is_personal(&["extra", "paper_file"]));
        assert!(!is_personal(&["plan", "goals", "status"]));
        // A personal key at a place the schema does not know is not a field `--include` names.
        assert!(!is_personal(&["clinet", "note"]));
    }

    #[test]
    fn only_the_allow_list_is_shown() {
        assert!(may_show(&["risk"], &[]));
        assert!(may_show(&["reviews", "domains", "income"], &[]));
        assert!(
            !may_show(&["reviews", "domains"], &[]),
            "a mapping, not a value"
        );
        for unknown in [
            &["clinet", "phone"][..],
            &["phone"],
            &["reviews", "notes"],
            &["assessment", "strenghts"],
            &["extras", "paper_file"],
            &["client", "sex", "x"],
        ] {
            assert!(!may_show(unknown, &[]), "{unknown:?}");
            assert!(!may_show(unknown, &["note".to_string()]), "{unknown:?}");
        }
    }

    #[test]
    fn include_names_a_field_or_a_key_everywhere() {
        let include = ["client.phone".to_string(), "note".to_string()];
        assert!(may_show(&["client", "phone"], &include));
        assert!(!may_show(&["client", "name"], &include));
        assert!(may_show(&["reviews", "note"], &include));
        assert!(may_show(&["closure", "note"], &include));
        assert!(!may_show(&["plan", "goals", "text"], &include));
        assert!(!may_show(&["clinet", "note"], &include));
        assert!(!may_show(&["extra", "sw", "note"], &include));
        assert!(may_show(&["extra", "sw", "note"], &["extra".to_string()]));
    }

    /// Every personal place is one that `--include` can name.
    #[test]
    fn every_personal_place_can_be_included() {
        for (place, _) in personal_places() {
            let keys: Vec<&str> = place.split('.').collect();
            assert!(
                crate::keys::personal_fields()
                    .iter()
                    .any(|field| may_show(&keys, &[field.to_string()])),
                "{place}"
            );
        }
    }

    /// Every place of the built-in schema that holds a value is either on the allow-list or a
    /// personal field, and not both: a field added to the schema must be put on one list.
    #[test]
    fn every_place_of_the_schema_is_allowed_or_personal() {
        let schema: serde_json::Value = serde_json::from_str(crate::keys::BUILTIN_SCHEMA).unwrap();
        let mut places = Vec::new();
        leaves(&schema, &schema, &mut Vec::new(), &mut places);
        assert!(places.len() > 40, "{places:?}");
        for place in places {
            let keys: Vec<&str> = place.iter().map(String::as_str).collect();
            assert!(
                is_allowed(&keys) != is_personal(&keys),
                "{} is {}",
                place.join("."),
                if is_allowed(&keys) {
                    "on both lists"
                } else {
                    "on neither list"
                }
            );
        }
    }

    /// The places of `node` (a part of `schema`) that hold values, as key paths.
    fn leaves(
        schema: &serde_json::Value,
        node: &serde_json::Value,
        at: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
    ) {
        if let Some(name) = node["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            return leaves(schema, &schema["$defs"][name], at, out);
        }
        let mut inner = false;
        if let Some(props) = node["properties"].as_object() {
            for (key, sub) in props {
                at.push(key.clone());
                leaves(schema, sub, at, out);
                at.pop();
            }
            inner = true;
        }
        for key in ["additionalProperties", "patternProperties"] {
            let subs: Vec<&serde_json::Value> = match &node[key] {
                serde_json::Value::Object(map) if key == "patternProperties" => {
                    map.values().collect()
                }
                sub @ serde_json::Value::Object(_) => vec![sub],
                _ => Vec::new(),
            };
            for sub in subs {
                at.push("*".to_string());
                leaves(schema, sub, at, out);
                at.pop();
                inner = true;
            }
        }
        if node["items"].is_object() {
            return leaves(schema, &node["items"], at, out);
        }
        if !inner && !at.is_empty() {
            out.push(at.clone());
        }
    }
}
