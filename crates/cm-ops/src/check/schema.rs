//! The schema check: the case against the workspace's JSON Schema (draft 2020-12), compiled once
//! per run, with every error turned into a sentence a coordinator understands and placed at the
//! node it is about.

use std::borrow::Cow;
use std::path::Path;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value as Json;

use cm_base::at;
use cm_base::error::{Error, Result};
use cm_base::files::read_to_string_limited;
use cm_base::path::{Step, dotted, key_name, keys_of};
use cm_base::text::suggest;
use cm_base::yaml::Place;
use cm_case::privacy::{leads_to_allowed, may_quote};
use cm_case::workspace::{SCHEMA_FILE, Workspace};

use super::{Code, Finding};

/// The built-in schema, used when the workspace has none of its own.
pub use cm_case::keys::BUILTIN_SCHEMA as BUILTIN;

/// A compiled schema and its source (read for the names it knows, to suggest them).
pub struct Schema {
    validator: Validator,
    source: Json,
    /// What identifies this schema: the hash of its text (the cache's verdicts hold for it).
    pub digest: [u8; 16],
}

impl Schema {
    /// The workspace's `schemas/case.schema.json`, else the built-in one.
    pub fn for_workspace(ws: &Workspace) -> Result<Schema> {
        let path = ws.root.join(SCHEMA_FILE);
        ws.confine(&path)?;
        match read_to_string_limited(&path, 4 * 1024 * 1024) {
            Ok(text) => Schema::parse(&text, Path::new(SCHEMA_FILE)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Schema::builtin(),
            Err(e) => Err(Error::io(SCHEMA_FILE, e)),
        }
    }

    pub fn builtin() -> Result<Schema> {
        Schema::parse(BUILTIN, Path::new("built-in schema"))
    }

    /// The schema of a line of an export (`schemas/export.schema.json`): derived from the
    /// built-in case schema, as the published file is.
    pub fn export() -> Result<Schema> {
        let case: Json = serde_json::from_str(BUILTIN).map_err(|e| Error::Schema {
            path: "built-in schema".into(),
            message: format!("not valid JSON: {e}"),
        })?;
        let text = cm_case::export_schema::derive(&case).to_string();
        Schema::parse(&text, Path::new("export schema"))
    }

    /// Compiles a schema from its JSON text.
    pub fn parse(text: &str, path: &Path) -> Result<Schema> {
        let invalid = |message: String| Error::Schema {
            path: path.to_path_buf(),
            message,
        };
        let source: Json =
            serde_json::from_str(text).map_err(|e| invalid(format!("not valid JSON: {e}")))?;
        let validator = jsonschema::validator_for(&source)
            .map_err(|e| invalid(format!("not a valid JSON Schema: {e}")))?;
        let digest = cm_base::files::hash(text.as_bytes());
        Ok(Schema {
            validator,
            source,
            digest,
        })
    }

    /// Appends a finding for every way `case` breaks the schema.
    pub fn check(&self, case: &Json, out: &mut Vec<Finding>) {
        // Most cases are valid, and the yes/no check is much cheaper than collecting errors.
        if self.validator.is_valid(case) {
            return;
        }
        for error in self.validator.iter_errors(case) {
            self.explain(&error, case, out);
        }
    }

    fn explain(&self, error: &ValidationError<'_>, case: &Json, out: &mut Vec<Finding>) {
        let path = steps(error.instance_path().as_str(), case);
        let what = dotted(&path);
        let instance: &Json = error.instance();
        let found = match instance {
            _ if may_quote(&path) => describe(instance),
            // A personal place, or one the schema does not know.
            _ if !leads_to_allowed(&keys_of(&path)) => "a personal value (not shown)".to_string(),
            // Where a mapping or list of places that may be shown belongs (a link given as
            // text): a mapping, a list or nothing is said, another value is not shown.
            Json::Object(_) | Json::Array(_) | Json::Null => describe(instance),
            _ => "a value that is not shown".to_string(),
        };
        let schema_path = error.schema_path().as_str();
        let finding =
            |message: String| Finding::error(Code::Schema, Place::At(path.clone()), message);
        let finding = match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                // A phase requirement (`if`/`then` on `phase`) points at the phase.
                let phase = case
                    .get("phase")
                    .and_then(Json::as_str)
                    .filter(|_| schema_path.contains("/then/") && path.is_empty());
                match phase {
                    Some(phase) => Finding::error(
                        Code::Schema,
                        Place::At(at!["phase"]),
                        format!("a case in phase `{phase}` must have `{name}`"),
                    )
                    .help(format!("record `{name}` in the case file first")),
                    None if path.is_empty() => Finding::error(
                        Code::Schema,
                        Place::KeyOf(path.clone()),
                        format!("the case must have `{name}`"),
                    ),
                    None => Finding::error(
                        Code::Schema,
                        Place::KeyOf(path.clone()),
                        format!("{what} must have `{name}`"),
                    ),
                }
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = self.known_properties(schema_path);
                for key in unexpected {
                    let mut at = path.clone();
                    at.push(Step::from(key.clone()));
                    let place = if path.is_empty() {
                        "".to_string()
                    } else {
                        format!(" in {what}")
                    };
                    let mut f = Finding::error(
                        Code::Schema,
                        Place::KeyOf(at),
                        format!("unknown field `{}`{place}", key_name(key)),
                    );
                    if let Some(s) = suggest(key, known.iter().map(String::as_str)) {
                        f = f.help(format!("did you mean `{s}`?"));
                    } else if path.is_empty() {
                        f = f.help("the agency's own fields go under `extra:`");
                    }
                    out.push(f);
                }
                return;
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_name(&t.to_string()).to_string(),
                    TypeKind::Multiple(set) => set
                        .iter()
                        .map(|t| type_name(&t.to_string()).to_string())
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                finding(format!("{what} must be {expected}, found {found}"))
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Json::as_str).collect())
                    .unwrap_or_default();
                let f = finding(format!(
                    "{what} must be one of {}; found {found}",
                    options.join(", ")
                ));
                match error.instance().as_str().and_then(|s| suggest(s, options)) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f,
                }
            }
            ValidationErrorKind::Minimum { limit }
            | ValidationErrorKind::Maximum { limit }
            | ValidationErrorKind::ExclusiveMinimum { limit } => {
                let keywords = self.schema_at(parent(schema_path));
                let min = keywords.and_then(|k| k.get("minimum"));
                let max = keywords.and_then(|k| k.get("maximum"));
                let message = match (min, max, error.kind()) {
                    (Some(min), Some(max), _) => {
                        format!("{what} must be between {min} and {max}, found {found}")
                    }
                    (_, _, ValidationErrorKind::Maximum { .. }) => {
                        format!("{what} must be at most {limit}, found {found}")
                    }
                    (_, _, ValidationErrorKind::ExclusiveMinimum { .. }) => {
                        format!("{what} must be more than {limit}, found {found}")
                    }
                    _ => format!("{what} must be at least {limit}, found {found}"),
                };
                finding(message)
            }
            ValidationErrorKind::Pattern { pattern } => {
                let form = match pattern.as_str() {
                    p if p.contains("[0-9]{4}-[0-9]{2}-[0-9]{2}") => {
                        "a date written YYYY-MM-DD".to_string()
                    }
                    p if schema_path.contains("caseId") || what == "id" => {
                        format!("an id like PREFIX-YYYY-NNNN (pattern {p})")
                    }
                    "\\S" => "text that is not blank".to_string(),
                    p => format!("text matching {p}"),
                };
                finding(format!("{what} must be {form}, found {found}"))
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                let name = inner
                    .instance()
                    .as_str()
                    .map_or(Cow::Borrowed("…"), key_name);
                finding(format!(
                    "{what} has a key `{name}` that is not allowed here (keys here are \
                     lowercase names: a-z, 0-9 and _)"
                ))
            }
            ValidationErrorKind::MinItems { limit } => finding(format!(
                "{what} must have at least {limit} item{}",
                if *limit == 1 { "" } else { "s" }
            )),
            ValidationErrorKind::MinProperties { limit } => finding(format!(
                "{what} must have at least {limit} entr{}",
                if *limit == 1 { "y" } else { "ies" }
            )),
            ValidationErrorKind::MinLength { .. } => finding(format!("{what} must not be empty")),
            ValidationErrorKind::UniqueItems => {
                finding(format!("{what} lists the same item twice"))
            }
            // jsonschema's own sentence quotes the value: only a plain value at an allowed place.
            _ if may_quote(&path) && !is_collection(error.instance()) => {
                finding(format!("{what}: {error}"))
            }
            _ => {
                let rule = schema_path.rsplit('/').next().unwrap_or("schema");
                finding(format!(
                    "{what} breaks the schema's `{rule}` rule (the value is not shown)"
                ))
            }
        };
        out.push(finding);
    }

    /// The `properties` names next to the keyword at `schema_path`.
    fn known_properties(&self, schema_path: &str) -> Vec<String> {
        self.schema_at(parent(schema_path))
            .and_then(|s| s.get("properties"))
            .and_then(Json::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The schema object at a keyword location, following `$ref`s to local definitions.
    fn schema_at(&self, pointer: &str) -> Option<&Json> {
        let mut node = &self.source;
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            node = match (segment.as_str(), node) {
                ("$ref", n) => n
                    .get("$ref")
                    .and_then(Json::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .and_then(|r| self.source.pointer(r))?,
                (s, Json::Array(items)) => items.get(s.parse::<usize>().ok()?)?,
                (s, n) => n.get(s)?,
            };
        }
        match node.get("$ref").and_then(Json::as_str) {
            Some(r) if node.get("properties").is_none() && node.get("minimum").is_none() => r
                .strip_prefix('#')
                .and_then(|r| self.source.pointer(r))
                .or(Some(node)),
            _ => Some(node),
        }
    }
}

fn parent(pointer: &str) -> &str {
    pointer.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The instance path as steps; numbers are indices where the instance has a list.
fn steps(pointer: &str, case: &Json) -> Vec<Step> {
    let mut node = Some(case);
    let mut out = Vec::new();
    for segment in pointer.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        match (node, key.parse::<usize>()) {
            (Some(Json::Array(items)), Ok(i)) => {
                node = items.get(i);
                out.push(Step::Index(i));
            }
            (n, _) => {
                node = n.and_then(|n| n.get(&key));
                out.push(Step::from(key));
            }
        }
    }
    out
}

/// A found value as a message shows it.
/// Whether `value` is a mapping or a list (which is never quoted: what it holds is at places on
/// no allow-list).
fn is_collection(value: &Json) -> bool {
    value.is_object() || value.is_array()
}

fn describe(value: &Json) -> String {
    match value {
        Json::Null => "nothing".to_string(),
        Json::String(s) => format!("`{s}`"),
        Json::Array(_) => "a list".to_string(),
        Json::Object(_) => "a mapping".to_string(),
        other => other.to_string(),
    }
}

fn type_name(json_type: &str) -> &str {
    match json_type {
        "object" => "a mapping (key: value lines)",
        "array" => "a list",
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "null" => "empty",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{ROSTER, findings};

    /// A name of spaces is no name; the message says so without showing it.
    #[test]
    fn a_blank_name_is_refused_without_being_shown() {
        let case = "id: CM-2026-0001\nprogram: general\nopened: 2026-01-05\ncaseworker: s.ahmadi\n\
                    risk: low\nphase: intake\nclient: {name: \"   \", sex: female}\n\
                    history:\n  - {date: 2026-01-05, phase: intake, by: s.ahmadi, risk: low}\n";
        let found = findings(ROSTER, case);
        assert!(
            found.contains(
                &"7:16 schema: client.name must be text that is not blank, found a personal value (not shown)"
                    .to_string()
            ),
            "{found:?}"
        );
    }
}
