//! The schema of a line of `cm export` (`schemas/export.schema.json`): the case schema, with
//! only the places that may go out required — those on the allow-list of [`crate::privacy`] and
//! the mappings and lists on the way to them; a personal field is there only when the export
//! names it (`--include`) — and with the case ids a partner receives as pseudonyms. Derived,
//! never written by hand: a test holds the published file to [`derive`] of the built-in case
//! schema.

use serde_json::{Map, Value as Json, json};

use crate::privacy::{is_allowed, leads_to_allowed};

/// The version of the export format: the `$id` of its schema ends in it. It changes when a
/// line of an export may no longer read as before.
pub const VERSION: u32 = 1;

/// The key of a line that names the office the case is of (its workspace's `id_prefix`): not a
/// key of a case file, but of every line of an export.
pub const OFFICE: &str = "office";

/// The places whose case ids go out as pseudonyms (32 hexadecimal digits), unless the export
/// includes the ids.
const PSEUDONYMS: &[&str] = &["id", "household", "links.case", "not_duplicate_of"];

/// The export schema of the case schema `case`.
pub fn derive(case: &Json) -> Json {
    let defs = case.get("$defs").cloned().unwrap_or(Json::Null);
    let mut out = cut(case, &mut Vec::new(), &defs);
    if let Json::Object(map) = &mut out {
        map.remove("$defs");
        if let Some(Json::Object(properties)) = map.get_mut("properties") {
            properties.insert(
                OFFICE.into(),
                json!({
                    "type": "string",
                    "pattern": "^[A-Z][A-Z0-9]*$",
                    "description": "The office the case is of: the id_prefix of its workspace."
                }),
            );
        }
        if let Some(Json::Array(required)) = map.get_mut("required") {
            required.push(json!(OFFICE));
        }
        map.insert(
            "$id".into(),
            json!(format!("https://cm.example/schemas/export/{VERSION}")),
        );
        map.insert("title".into(), json!("A case as `cm export` writes it"));
        map.insert(
            "description".into(),
            json!(
                "One line of `cm export --redact`: a case with only the values that may leave the office, its case ids as pseudonyms. Derived from the case schema; every line of an export of valid cases passes it."
            ),
        );
    }
    out
}

/// `node` of the case schema at the place `at`, requiring only what may go out; `$ref`s to
/// `defs` written out in full (a definition may hold places of both kinds). A condition (`if`)
/// is kept as it is: it tests values that go out.
fn cut(node: &Json, at: &mut Vec<String>, defs: &Json) -> Json {
    let Json::Object(map) = node else {
        return node.clone();
    };
    let mut out = Map::new();
    if let Some(name) = map.get("$ref").and_then(|r| r.as_str()) {
        let def = name
            .strip_prefix("#/$defs/")
            .and_then(|n| defs.get(n))
            .unwrap_or(&Json::Null);
        if let Json::Object(def) = cut(def, at, defs) {
            out.extend(def);
        }
    }
    let place = at.join(".");
    // Whether the value at `name` within this node may go out, or leads to one that may.
    let goes_out = |at: &[String], name: &str| {
        let mut keys: Vec<&str> = at.iter().map(String::as_str).collect();
        keys.push(name);
        is_allowed(&keys) || leads_to_allowed(&keys)
    };
    for (key, value) in map {
        match key.as_str() {
            "$ref" => {}
            "properties" => {
                let mut kept = Map::new();
                for (name, sub) in value.as_object().into_iter().flatten() {
                    at.push(name.clone());
                    kept.insert(name.clone(), cut(sub, at, defs));
                    at.pop();
                }
                out.insert(key.clone(), Json::Object(kept));
            }
            "required" => {
                let required: Vec<Json> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|name| goes_out(at, name.as_str().unwrap_or_default()))
                    .cloned()
                    .collect();
                out.insert(key.clone(), Json::Array(required));
            }
            // A mapping whose keys the agency names (domains, goal ids): its values at `*`.
            "additionalProperties" if value.is_object() => {
                at.push("*".into());
                out.insert(key.clone(), cut(value, at, defs));
                at.pop();
            }
            "items" | "then" | "else" | "not" | "propertyNames" | "contains" => {
                out.insert(key.clone(), cut(value, at, defs));
            }
            "allOf" | "anyOf" | "oneOf" => {
                let each = value.as_array().into_iter().flatten();
                out.insert(
                    key.clone(),
                    Json::Array(each.map(|v| cut(v, at, defs)).collect()),
                );
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if PSEUDONYMS.contains(&place.as_str()) && !map.contains_key("items") {
        let description = out.remove("description");
        let mut either = Map::new();
        if let Some(d) = description {
            either.insert("description".into(), d);
        }
        either.insert(
            "anyOf".into(),
            json!([
                {"type": "string", "pattern": "^[0-9a-f]{32}$", "description": "The pseudonym of the case id (a keyed hash)."},
                Json::Object(out),
            ]),
        );
        return Json::Object(either);
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_places_are_not_required_and_ids_may_be_pseudonyms() {
        let case: Json = serde_json::from_str(crate::keys::BUILTIN_SCHEMA).unwrap();
        let schema = derive(&case);
        let client = &schema["properties"]["client"];
        let required = client["required"].as_array().unwrap();
        assert!(required.contains(&json!("sex")), "{client}");
        assert!(!required.contains(&json!("name")), "{client}");
        assert_eq!(
            schema["properties"]["id"]["anyOf"][0]["pattern"],
            "^[0-9a-f]{32}$"
        );
        // No reference is left to a definition that is not there.
        assert!(!schema.to_string().contains("$ref"));
    }
}
